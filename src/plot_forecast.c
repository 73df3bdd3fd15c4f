/*
 * plot_forecast.c - the forecast fan chart: list-price steps, the chosen
 * model's median with 80% and 95% bands, the other candidates faintly, the
 * threshold and its crossing dates.  See plot.h for what is drawn and why
 * the fan starts at the last change.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/plot.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "plot_int.h"

#include <math.h>

/* The series key for a '#' comment line. */
static int plot_add_comment_key(struct buf *out, const struct series *s)
{
	struct buf t = BUF_INIT;
	int rc = series_describe(s, &t);

	if (rc == 0)
		rc = plot_add_comment(out, t.buf);
	buf_release(&t);
	return rc;
}

/* Candidates drawn faintly beside the chosen one. */
static size_t plot_n_alt(const struct forecast *f)
{
	size_t j, n = 0;

	for (j = 0; j < f->n_candidates; j++)
		n += f->candidates[j].drawn != 0;
	return n;
}

/* What the chart knows about "as of": the list price in force then and the
 * model's band on that day (when as of falls after the last change). */
struct plot_asof {
	int64_t day;
	int has_list;           /* a priced list price was in force on as of */
	int64_t list_nanos;
	char list_from[11];     /* the change it came from */
	int split;              /* 1: as of is after the projection's first point */
	struct forecast_point p; /* the model on as of (date, median, bands) */
};

static int plot_asof_find(const struct forecast *f, struct plot_asof *a, struct tt_error *err)
{
	const struct series *s = f->series;
	struct fit_band b80, b95;
	double t;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	if (date_parse(f->as_of, &a->day) < 0)
		return tt_set_error(err, TT_EINVAL, "plot: bad as-of date '%s'", f->as_of);
	for (i = 0; i < s->n && s->v[i].day <= a->day; i++) {
		a->has_list = s->v[i].nanos > 0;
		a->list_nanos = s->v[i].nanos;
		memcpy(a->list_from, s->v[i].date, sizeof(a->list_from));
	}
	if (!f->n_proj || a->day <= f->points[0].day || a->day > f->points[f->n_proj - 1].day)
		return 0;
	t = (double)(a->day - f->day0) / FIT_DAYS_PER_YEAR;
	rc = model_band(&f->candidates[f->chosen].fit, t, 0.80, &b80, err);
	if (rc == 0)
		rc = model_band(&f->candidates[f->chosen].fit, t, 0.95, &b95, err);
	if (rc < 0)
		return rc;
	a->split = 1;
	a->p.day = a->day;
	memcpy(a->p.date, f->as_of, sizeof(a->p.date));
	a->p.median = b80.median;
	a->p.lo80 = b80.lo;
	a->p.hi80 = b80.hi;
	a->p.lo95 = b95.lo;
	a->p.hi95 = b95.hi;
	a->p.has_interval = b80.has_interval;
	return 0;
}

static int plot_add_point_row(struct buf *d, const struct forecast_point *p)
{
	char a[48], b[48], c[48], e[48], g[48];
	int rc = buf_addf(d, "%s %s", p->date, forecast_fmt_num(p->median, 8, a, sizeof(a)));

	if (p->has_interval)
		rc |= buf_addf(d, " %s %s %s %s", forecast_fmt_num(p->lo80, 8, b, sizeof(b)),
			       forecast_fmt_num(p->hi80, 8, c, sizeof(c)),
			       forecast_fmt_num(p->lo95, 8, e, sizeof(e)),
			       forecast_fmt_num(p->hi95, 8, g, sizeof(g)));
	rc |= buf_addch(d, '\n');
	return rc;
}

/*
 * Data blocks (gnuplot `index N`):
 *   0 list-price history, one row per change: date price
 *   1 the list price in force carried from its change to as of: date price
 *   2 the forecast from the last change up to as of (months already past)
 *   3 the forecast from as of on: date median lo80 hi80 lo95 hi95
 *   4 the other candidate models' medians: date, one column each
 * Blocks 2 and 3 share the as-of row, so the fan is continuous.
 */
static int plot_build_data(const struct forecast *f, const struct plot_asof *a, struct buf *d)
{
	const struct series *s = f->series;
	char lastbuf[MONEY_FMT_MAX], num[48];
	int bands = f->n_proj && f->points[0].has_interval;
	size_t i, j;
	int rc = 0;

	rc |= buf_adds(d, "# tokentrend forecast data for ");
	rc |= plot_add_comment_key(d, s);
	rc |= buf_addf(d, " (%s per %s, source %s), as of %s, model %s\n", s->currency, s->unit,
		       s->source && s->source[0] ? s->source : "-", f->as_of, fit_model_name(f->model));
	rc |= buf_adds(d, "# prices in currency per unit; history values are the exact stored decimals\n");
	rc |= buf_adds(d, "\n# block 0 (index 0): list-price history, one row per change: date price\n");
	rc |= buf_adds(d, "# (zero prices cannot be drawn on a log axis and are commented out)\n");
	for (i = 0; i < s->n; i++) {
		const struct series_point *p = &s->v[i];

		if (p->nanos == 0)
			rc |= buf_addf(d, "# %s 0 (free)\n", p->date);
		else
			rc |= buf_addf(d, "%s %s\n", p->date, money_format(p->nanos, lastbuf, sizeof(lastbuf)));
	}
	rc |= buf_adds(d, "\n\n# block 1 (index 1): the list price in force carried from its change to as of: date price\n");
	if (a->has_list && strcmp(f->as_of, a->list_from) > 0)
		rc |= buf_addf(d, "%s %s\n%s %s\n", a->list_from,
			       money_format(a->list_nanos, lastbuf, sizeof(lastbuf)), f->as_of, lastbuf);
	rc |= buf_adds(d, "\n\n# block 2 (index 2): forecast from the last change up to as of (months already past): date median");
	if (bands)
		rc |= buf_adds(d, " lo80 hi80 lo95 hi95");
	rc |= buf_addch(d, '\n');
	for (i = 0; a->split && i < f->n_proj && f->points[i].day < a->day; i++)
		rc |= plot_add_point_row(d, &f->points[i]);
	if (a->split)
		rc |= plot_add_point_row(d, &a->p);
	rc |= buf_adds(d, "\n\n# block 3 (index 3): forecast from as of: date median");
	if (bands)
		rc |= buf_adds(d, " lo80 hi80 lo95 hi95 (80% and 95% prediction intervals)");
	rc |= buf_addch(d, '\n');
	if (a->split)
		rc |= plot_add_point_row(d, &a->p);
	for (i = 0; i < f->n_proj; i++)
		if (!a->split || f->points[i].day > a->day)
			rc |= plot_add_point_row(d, &f->points[i]);
	rc |= buf_adds(d, "\n\n# block 4 (index 4): other candidate models' medians: date");
	for (j = 0; j < f->n_candidates; j++)
		if (f->candidates[j].drawn)
			rc |= buf_addf(d, " %s", fit_model_name(f->candidates[j].model));
	rc |= buf_addch(d, '\n');
	for (i = 0; i < f->n_proj && plot_n_alt(f); i++) {
		rc |= buf_adds(d, f->points[i].date);
		for (j = 0; j < f->n_candidates; j++)
			if (f->candidates[j].drawn)
				rc |= buf_addf(d, " %s", forecast_fmt_num(f->points[i].alt[j], 8, num, sizeof(num)));
		rc |= buf_addch(d, '\n');
	}
	return rc ? TT_ENOMEM : 0;
}

/* "loglinear: falls 11.8×/yr, half-life 3.37 months" */
static int plot_rate_text(const struct forecast *f, struct buf *t)
{
	char a[48], b[48];
	int rc = buf_addf(t, "%s: ", fit_model_name(f->model));

	if (!f->has_factor)
		return rc | buf_adds(t, "no rate");
	if (f->rate_per_year > 0.0) {
		rc |= buf_addf(t, "falls %s\xc3\x97/yr", forecast_fmt_num(f->factor_per_year, 3, a, sizeof(a)));
		if (f->has_half_life)
			rc |= buf_addf(t, ", half-life %s months",
				       forecast_fmt_num(f->half_life_days / 30.4375, 3, b, sizeof(b)));
	} else if (f->rate_per_year < 0.0) {
		rc |= buf_addf(t, "rising %s\xc3\x97/yr, no half-life",
			       forecast_fmt_num(1.0 / f->factor_per_year, 3, a, sizeof(a)));
	} else {
		rc |= buf_adds(t, "no decline (flat)");
	}
	return rc;
}

static int plot_cross_text(struct buf *t, const struct forecast_date *d)
{
	switch (d->status) {
	case FIT_CROSS_DATE: return buf_adds(t, d->date);
	case FIT_CROSS_ALREADY_BELOW: return buf_adds(t, "already below");
	case FIT_CROSS_BEYOND_HORIZON: return buf_adds(t, "not within the horizon");
	case FIT_CROSS_NEVER: return buf_adds(t, "never (rising or flat series)");
	case FIT_CROSS_UNAVAILABLE: return buf_adds(t, "unavailable");
	case FIT_CROSS_NEVER_FLOOR: return buf_adds(t, "never (the fitted floor is above it)");
	}
	return 0;
}

/* Prices on the chart: 3 significant digits, no exponent ("0.177", "12.5"). */
static const char *plot_price(double v, char *buf, size_t n)
{
	char *dot, *end;

	forecast_fmt_num(v, 3, buf, n);
	dot = strchr(buf, '.');
	if (dot) {
		for (end = buf + strlen(buf); end > dot + 1 && end[-1] == '0'; end--)
			end[-1] = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	return buf;
}

/* A list price for a label: the exact decimal when short ("0.50"), else 3
 * significant digits (a blend: 0.666666667 -> "0.667"). */
static const char *plot_list_price(int64_t nanos, char *buf, size_t n)
{
	char exact[MONEY_FMT_MAX];

	money_format(nanos, exact, sizeof(exact));
	if (strlen(exact) <= 7 && strlen(exact) < n) {
		memcpy(buf, exact, strlen(exact) + 1);
		return buf;
	}
	return plot_price((double)nanos / 1e9, buf, n);
}

/* The threshold, its crossing dates and the marks for them. */
static int plot_add_target(const struct forecast *f, const struct plot_options *o,
			   const struct plot_asof *a, struct buf *g)
{
	const struct series *s = f->series;
	const struct forecast_date *m = &f->cross_median, *lo = &f->cross_early, *hi = &f->cross_late;
	struct buf t = BUF_INIT;
	char num[48];
	int rc = 0, nl = 0;

	/* The 80% range of the crossing: from the lower bound's crossing to the
	 * upper bound's (or the chart's end when that is beyond the horizon). */
	if (lo->status == FIT_CROSS_DATE && (hi->status == FIT_CROSS_DATE || hi->status == FIT_CROSS_BEYOND_HORIZON))
		rc |= buf_addf(g, "set object 1 rect from '%s', graph 0 to '%s', graph 1 "
				  "fc rgb '#fbe4e4' fs solid 1.0 noborder behind\n",
			       lo->date, hi->status == FIT_CROSS_DATE ? hi->date : f->end_date);
	if (m->status == FIT_CROSS_DATE) {
		int64_t md = 0, x0 = s->n ? s->v[0].day : f->day0, x1 = x0;
		double near;

		date_parse(m->date, &md);
		date_parse(f->end_date, &x1);
		/* the "as of" label sits on the same top line: go one line down
		 * when the two dates are close (a quarter of the chart) */
		near = x1 > x0 ? fabs((double)(md - a->day)) / (double)(x1 - x0) : 1.0;
		rc |= buf_addf(g, "set arrow 1 from '%s', graph 0 to '%s', graph 1 nohead dt 3 lw 1.5 "
				  "lc rgb '#aa0000' front\n", m->date, m->date);
		rc |= buf_addf(g, "set label 4 'median crossing %s' at '%s', graph %s left "
				  "offset 0.6,0 font ',9' tc rgb '#aa0000' front\n", m->date, m->date,
			       near < 0.25 ? "0.94" : "0.985");
	}
	/* the box in the lower left: how the threshold was set and every date */
	if (o->target_label && o->target_label[0])
		rc |= buf_adds(&t, o->target_label);
	else
		rc |= buf_addf(&t, "target %s %s per %s", plot_price(f->target, num, sizeof(num)),
			       s->currency, s->unit);
	rc |= buf_adds(&t, "\nmedian reaches it: ");
	rc |= plot_cross_text(&t, m);
	if (m->status == FIT_CROSS_DATE && a->split && strcmp(m->date, f->as_of) < 0 && a->has_list &&
	    (double)a->list_nanos / 1e9 > f->target)
		rc |= buf_adds(&t, " (before as of: the list price is still above it)");
	rc |= buf_adds(&t, "\n80% range: ");
	if (lo->status == FIT_CROSS_UNAVAILABLE) {
		rc |= buf_adds(&t, "unavailable (no interval)");
	} else {
		rc |= plot_cross_text(&t, lo);
		rc |= buf_adds(&t, " .. ");
		rc |= plot_cross_text(&t, hi);
	}
	rc |= buf_adds(g, "set label 2 ");
	rc |= plot_quote_lines(t.buf, 0, g, &nl);
	/* a label's first line sits on its position, the others below it */
	rc |= buf_addf(g, " at graph 0.012, graph 0 left offset 0.4,%.2f font ',10' tc rgb '#aa0000' "
			  "front boxed bs 1\n", 0.3 + 0.95 * nl);
	buf_release(&t);
	return rc;
}

/* The note under the chart when the list price stayed put after the last
 * change: where the list price is against the model on as of. */
static int plot_asof_note(const struct forecast *f, const struct plot_asof *a, struct buf *t)
{
	const struct series *s = f->series;
	double list = (double)a->list_nanos / 1e9;
	char x[48], y[48], r[48], lp[MONEY_FMT_MAX];
	int rc = 0;

	if (!a->split || !a->has_list)
		return 0;
	rc |= buf_addf(t, "The fan starts at the last change (%s), where the model was fitted; "
			  "the lighter part covers the months since. On %s the list price %s %s is still "
			  "in force, ", f->points[0].date, f->as_of, plot_list_price(a->list_nanos, lp, sizeof(lp)),
		       s->currency);
	if (list > a->p.hi80 && a->p.has_interval)
		rc |= buf_addf(t, "%s\xc3\x97 the median %s and above the 80%% band: by this model's trend a cut is overdue.",
			       forecast_fmt_num(list / a->p.median, 3, r, sizeof(r)),
			       plot_price(a->p.median, x, sizeof(x)));
	else if (list < a->p.lo80 && a->p.has_interval)
		rc |= buf_addf(t, "below the 80%% band (median %s): cheaper than the trend.",
			       plot_price(a->p.median, x, sizeof(x)));
	else if (a->p.has_interval)
		rc |= buf_addf(t, "within the 80%% band (%s .. %s) around the median %s.",
			       plot_price(a->p.lo80, y, sizeof(y)), plot_price(a->p.hi80, r, sizeof(r)),
			       plot_price(a->p.median, x, sizeof(x)));
	else
		rc |= buf_addf(t, "against a median of %s.", plot_price(a->p.median, x, sizeof(x)));
	return rc;
}

/*
 * A fan fitted to few points can be astronomically wide (a 3-point blend's
 * 95% band spans 1e-20 .. 1e15), and gnuplot's autoscale would then squash
 * the prices into a line.  The y range keeps the prices, the medians and
 * the threshold with three decades of margin; bands beyond it are clipped
 * at the edge, and the footer says so.  Returns 1 when the range is set
 * (lo, hi), 0 when autoscale shows everything already.
 */
#define PLOT_FAN_MARGIN 1000.0

static int plot_fan_range(const struct forecast *f, double *lo, double *hi)
{
	const struct series *s = f->series;
	double clo = INFINITY, chi = 0, blo = INFINITY, bhi = 0;
	size_t j;

	for (j = 0; j < s->n; j++)
		if (s->v[j].price > 0) {
			clo = fmin(clo, s->v[j].price);
			chi = fmax(chi, s->v[j].price);
		}
	for (j = 0; j < f->n_proj; j++) {
		const struct forecast_point *p = &f->points[j];

		if (p->median > 0 && isfinite(p->median)) {
			clo = fmin(clo, p->median);
			chi = fmax(chi, p->median);
		}
		if (p->has_interval) {
			if (p->lo95 > 0 && isfinite(p->lo95))
				blo = fmin(blo, p->lo95);
			if (isfinite(p->hi95))
				bhi = fmax(bhi, p->hi95);
		}
	}
	if (f->has_target && f->target > 0) {
		clo = fmin(clo, f->target);
		chi = fmax(chi, f->target);
	}
	if (!(chi > 0) || !isfinite(clo))
		return 0;
	clo /= PLOT_FAN_MARGIN;
	chi *= PLOT_FAN_MARGIN;
	if (blo >= clo && bhi <= chi)
		return 0;
	*lo = fmax(clo, blo < INFINITY ? blo : clo);
	*hi = fmin(chi, bhi > 0 ? bhi : chi);
	return 1;
}

static int plot_build_script(const struct forecast *f, const struct plot_options *o,
			     const struct plot_asof *a, const struct plot_out *po, struct buf *g)
{
	const struct series *s = f->series;
	struct buf t = BUF_INIT;
	char x0[11], num[48], lp[MONEY_FMT_MAX];
	int rc = 0, bands = f->n_proj && f->points[0].has_interval, col, nl = 0, clipped;
	double ylo = 0, yhi = 0;
	size_t j;

#define Q(text) (rc |= plot_quote((text), g))
	rc |= series_describe(s, &t);
	rc |= buf_adds(&t, ": forecast chart");
	rc |= plot_add_header(g, t.buf, po);
	buf_reset(&t);

	/* Title: the series; then the model and rate, as of and n. */
	rc |= series_describe(s, &t);
	rc |= buf_adds(&t, ": list price and forecast");
	rc |= buf_adds(g, "set title ");
	Q(t.buf);
	buf_reset(&t);
	rc |= plot_rate_text(f, &t);
	rc |= buf_addf(&t, "\nas of %s  \xc2\xb7  n = %zu priced change%s (%s .. %s)", f->as_of,
		       f->n_points, f->n_points == 1 ? "" : "s", f->first_date, f->last_date);
	rc |= buf_adds(g, ".\"\\n\".");
	rc |= plot_quote_lines(t.buf, 0, g, NULL);
	buf_reset(&t);
	rc |= buf_adds(g, " font ',13'\n");

	rc |= buf_addf(&t, "%s per %s (log scale)", s->currency, s->unit);
	rc |= buf_adds(g, "set ylabel ");
	Q(t.buf);
	buf_reset(&t);
	rc |= buf_adds(g, "\nset xlabel 'date'\n");
	rc |= buf_adds(g, "set xdata time\nset timefmt '%Y-%m-%d'\n"
			  "set logscale y\nset format y '%g'\nset mytics 10\n"
			  "set grid xtics ytics lc rgb '#e4e4e4'\n"
			  "set key outside right top vertical Left reverse samplen 2.5 spacing 1.15 width 2 font ',10'\n"
			  "set border 3\nset tics nomirror\n"
			  "set style textbox opaque fc rgb 'white' border lc rgb '#aa0000'\n"
			  "set lmargin 12\n");
	date_format(s->n ? s->v[0].day : f->day0, x0);
	rc |= buf_addf(g, "set xrange ['%s':'%s']\nset format x '%s'\n", x0, f->end_date,
		       plot_date_fmt(x0, f->end_date));
	clipped = bands && plot_fan_range(f, &ylo, &yhi);
	if (clipped)
		rc |= buf_addf(g, "set yrange [%.6g:%.6g]\n", ylo, yhi);

	/* Footer: source, what the bands are, how the model was chosen. */
	rc |= buf_addf(&t, "source %s; ", s->source && s->source[0] ? s->source : "-");
	rc |= buf_adds(&t, bands ? "bands: 80% and 95% prediction intervals around the median"
			       : "median only: uncertainty unavailable");
	rc |= buf_addf(&t, "; %s %s", fit_model_name(f->model),
		       f->forced ? "forced with --fit" : f->selected_by_backtest ? "chosen by backtest"
								 : "shown unvalidated (too few points to score)");
	if (f->n_common && !f->beats_naive)
		rc |= buf_adds(&t, "; naive (no change) did better in the backtest");
	if (plot_n_alt(f))
		rc |= buf_adds(&t, "; grey: the other candidate models' medians");
	if (clipped)
		rc |= buf_adds(&t, "; bands clipped at the chart's edges (more than 1000\xc3\x97 beyond the prices)");
	rc |= buf_addch(&t, '\n');
	rc |= plot_asof_note(f, a, &t);
	if (t.len && t.buf[t.len - 1] == '\n')
		t.buf[--t.len] = '\0';
	rc |= buf_adds(g, "set label 1 ");
	rc |= plot_quote_lines(t.buf, (size_t)(po->width - 40) / 7, g, &nl);
	/* the first line sits on the position, the others below it */
	rc |= buf_addf(g, " at screen 0.012, character %.2f left font ',10' tc rgb '#444444'\n"
			  "set bmargin %.2f\n", 0.2 + 0.95 * nl, 4.4 + 0.95 * nl);
	buf_reset(&t);

	/* as of: a line, and the list price and median marked on it */
	rc |= buf_addf(g, "set arrow 2 from '%s', graph 0 to '%s', graph 1 nohead dt 2 lc rgb '#888888'\n"
			  "set label 3 'as of %s' at '%s', graph 0.985 right offset -0.6,0 font ',9' tc rgb '#555555' front\n",
		       f->as_of, f->as_of, f->as_of, f->as_of);
	if (a->split && a->has_list) {
		rc |= buf_addf(g, "set label 6 'list %s' at '%s', ",
			       plot_list_price(a->list_nanos, num, sizeof(num)), f->as_of);
		rc |= buf_addf(g, "%s left offset 0.8,0.4 point pt 7 ps 1.1 lc rgb '#111111' font ',9' "
				  "tc rgb '#111111' front\n", money_format(a->list_nanos, lp, sizeof(lp)));
		rc |= buf_addf(g, "set label 7 'median %s' at '%s', ",
			       plot_price(a->p.median, num, sizeof(num)), f->as_of);
		rc |= buf_addf(g, "%s left offset 0.8,-0.6 point pt 7 ps 1.0 lc rgb '#1f3a93' font ',9' "
				  "tc rgb '#1f3a93' front\n", forecast_fmt_num(a->p.median, 10, num, sizeof(num)));
	}
	if (f->has_target)
		rc |= plot_add_target(f, o, a, g);

	rc |= buf_adds(g, "plot \\\n  ");
	Q(po->abs_data);
	if (bands) {
		rc |= buf_adds(g, " index 3 using 1:5:6 with filledcurves fc rgb '#d5dbff' "
				  "title '95% prediction interval', \\\n"
				  "  '' index 3 using 1:3:4 with filledcurves fc rgb '#8c9be6' "
				  "title '80% prediction interval', \\\n  ''");
		if (a->split)
			rc |= buf_adds(g, " index 2 using 1:5:6 with filledcurves fc rgb '#eceffd' notitle, \\\n"
					  "  '' index 2 using 1:3:4 with filledcurves fc rgb '#c9d0f3' notitle, \\\n  ''");
	}
	rc |= buf_adds(g, " index 3 using 1:2 with lines lw 2.5 lc rgb '#1f3a93' title 'median forecast'");
	if (a->split)
		rc |= buf_adds(g, ", \\\n  '' index 2 using 1:2 with lines lw 2 dt 2 lc rgb '#1f3a93' "
				  "title 'median, months already past'");
	rc |= buf_adds(g, ", \\\n  '' index 0 using 1:2 with steps lw 2 lc rgb '#111111' title 'list price', \\\n"
			  "  '' index 0 using 1:2 with points pt 7 ps 1.0 lc rgb '#111111' notitle");
	if (a->has_list && strcmp(f->as_of, a->list_from) > 0)
		rc |= buf_adds(g, ", \\\n  '' index 1 using 1:2 with lines lw 2 lc rgb '#111111' notitle");
	for (j = 0, col = 2; j < f->n_candidates; j++) {
		if (!f->candidates[j].drawn)
			continue;
		rc |= buf_addf(g, ", \\\n  '' index 4 using 1:%d with lines dt %d lw 1.2 lc rgb '#9a9a9a' title ",
			       col, 2 + (col % 3));
		rc |= buf_addf(&t, "%s (alternative)", fit_model_name(f->candidates[j].model));
		Q(t.buf);
		buf_reset(&t);
		col++;
	}
	if (f->has_target) {
		rc |= buf_addf(g, ", \\\n  %s with lines dt 2 lw 1.8 lc rgb '#aa0000' title ",
			       forecast_fmt_num(f->target, 10, num, sizeof(num)));
		rc |= buf_addf(&t, "threshold %s", plot_price(f->target, num, sizeof(num)));
		Q(t.buf);
		buf_reset(&t);
	}
	rc |= buf_adds(g, "\nunset output\n");
#undef Q
	buf_release(&t);
	return rc ? TT_ENOMEM : 0;
}

int plot_forecast(const struct forecast *f, const struct plot_options *o, struct plot_files *files,
		  struct tt_error *err)
{
	struct buf path = BUF_INIT, data = BUF_INIT, script = BUF_INIT;
	struct plot_out po = PLOT_OUT_INIT;
	struct plot_asof a;
	int rc;

	if (!f->n_proj)
		return tt_set_error(err, TT_EINVAL, "nothing to plot: %s",
				    f->reason[0] ? f->reason : "the forecast has no projection");
	if (!(o->out && o->out[0]) && plot_default_path(f->series, &path) < 0)
		goto nomem;
	rc = plot_begin(o, path.buf, files, &po, err);
	if (rc < 0)
		goto out;
	rc = plot_asof_find(f, &a, err);
	if (rc < 0)
		goto out;
	if (plot_build_data(f, &a, &data) < 0 || plot_build_script(f, o, &a, &po, &script) < 0)
		goto nomem;
	rc = plot_finish(o, files, &data, &script, err);
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	plot_out_release(&po);
	buf_release(&path);
	buf_release(&data);
	buf_release(&script);
	return rc;
}
