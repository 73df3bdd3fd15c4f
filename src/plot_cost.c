/*
 * plot_cost.c - the cost charts of a workload (costmodel.h): its monthly
 * cost layers over time with the API bill's share of engineering cost and
 * the crossing date, and the same workload priced across models.  See
 * plot.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/plot.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "plot_int.h"

/* Layer colours: API (the question), silent, infrastructure, engineering. */
#define PLOT_C_API "#1f77b4"
#define PLOT_C_SILENT "#9ecae1"
#define PLOT_C_INFRA "#fdae6b"
#define PLOT_C_ENG "#c7c7c7"

/* Money for a chart label: exact, two decimals at least ("1500.00"). */
static const char *plot_money(int64_t nanos, char *out, size_t n)
{
	return costmodel_fmt_money(nanos, out, n);
}

/* An estimate for a chart label: 2 decimals, or 3 significant digits when small. */
static const char *plot_est(double v, char *out, size_t n)
{
	if (v >= 100.0 || v <= -100.0)
		snprintf(out, n, "%.0f", v);
	else if (v >= 1.0 || v <= -1.0)
		snprintf(out, n, "%.2f", v);
	else
		forecast_fmt_num(v, 3, out, n);
	return out;
}

/* Tokens for a title: "315M", "1.5B", "800K", "950". */
static const char *plot_tokens(int64_t n, char *out, size_t len)
{
	static const struct {
		int64_t div;
		const char *suffix;
	} u[] = { { INT64_C(1000000000000), "T" }, { 1000000000, "B" }, { 1000000, "M" }, { 1000, "K" } };
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(u); i++)
		if (n >= u[i].div) {
			snprintf(out, len, "%.4g%s", (double)n / (double)u[i].div, u[i].suffix);
			return out;
		}
	snprintf(out, len, "%" PRId64, n);
	return out;
}

static int plot_cost_cross_text(struct buf *t, enum fit_cross_status st, const char *date)
{
	switch (st) {
	case FIT_CROSS_DATE: return buf_adds(t, date);
	case FIT_CROSS_ALREADY_BELOW: return buf_adds(t, "already below");
	case FIT_CROSS_BEYOND_HORIZON: return buf_adds(t, "not within the horizon");
	case FIT_CROSS_NEVER: return buf_adds(t, "never (flat or rising prices)");
	case FIT_CROSS_UNAVAILABLE: return buf_adds(t, "unavailable");
	case FIT_CROSS_NEVER_FLOOR: return buf_adds(t, "never (the fitted floor is above it)");
	}
	return 0;
}

static int plot_cost_default_path(const struct costmodel *cm, const char *kind, struct buf *out)
{
	const char *origin = cm->p && cm->p->origin ? cm->p->origin : "workload";
	const char *base = strrchr(origin, '/');
	const char *dot;
	int rc;

	base = base ? base + 1 : origin;
	dot = strrchr(base, '.');
	rc = buf_adds(out, "plots/");
	if (dot && dot > base) {
		struct buf stem = BUF_INIT;

		rc |= buf_add(&stem, base, (size_t)(dot - base));
		rc |= plot_add_safe_name(out, stem.buf);
		buf_release(&stem);
	} else {
		rc |= plot_add_safe_name(out, base);
	}
	rc |= buf_addf(out, "-%s.png", kind);
	return rc ? TT_ENOMEM : 0;
}

/*
 * Data: block 0 the observed months (history of the bill on every price
 * change, with infrastructure and engineering as the profile states them),
 * block 1 the projection; the same columns in both:
 *   date api silent infrastructure engineering bill total share share_lo80 share_hi80 threshold_share
 * (money per month in the prices' currency; shares in percent of
 * engineering cost).  Stacking is done in the script: api, api+silent, ...
 */
static int plot_cost_row(struct buf *d, const char *date, double api, double silent, double infra,
			 double eng, double lo80, double hi80, double thr)
{
	double bill = api + silent;

	return buf_addf(d, "%s %.6f %.6f %.6f %.6f %.6f %.6f %.8g %.8g %.8g %.8g\n", date, api, silent,
			infra, eng, bill, bill + infra + eng, eng > 0 ? 100.0 * bill / eng : 0.0,
			eng > 0 ? 100.0 * lo80 / eng : 0.0, eng > 0 ? 100.0 * hi80 / eng : 0.0,
			100.0 * thr);
}

/* An observed row: the money columns as exact decimals. */
static int plot_cost_row_exact(struct buf *d, const char *date, int64_t api, int64_t silent,
			       int64_t infra, int64_t eng, double thr)
{
	char a[64], b[64], c[64], e[64], f[64], g[64];
	double share = eng > 0 ? 100.0 * (double)(api + silent) / (double)eng : 0.0;

	return buf_addf(d, "%s %s %s %s %s %s %s %.8g %.8g %.8g %.8g\n", date,
			plot_money(api, a, sizeof(a)), plot_money(silent, b, sizeof(b)),
			plot_money(infra, c, sizeof(c)), plot_money(eng, e, sizeof(e)),
			plot_money(api + silent, f, sizeof(f)),
			plot_money(api + silent + infra + eng, g, sizeof(g)), share, share, share, 100.0 * thr);
}

static int plot_cost_data(const struct costmodel *cm, const struct costmodel_history *h,
			  const struct costmodel_scenario *sc, int64_t threshold_ppb, struct buf *d)
{
	double s = profile_share_value(cm->p->silent_share), thr = profile_share_value(threshold_ppb);
	char m[MONEY_FMT_MAX + 8];
	size_t i;
	int rc = 0;

	rc |= buf_addf(d, "# tokentrend cost layers of %s: %s per month\n",
		       cm->p->origin ? cm->p->origin : "the workload", cm->currency);
	rc |= buf_addf(d, "# infrastructure %s per month", plot_money(cm->infrastructure_nanos, m, sizeof(m)));
	rc |= buf_addf(d, ", engineering %s per month (as the profile states them, today)\n",
		       plot_money(cm->engineering_nanos, m, sizeof(m)));
	rc |= buf_adds(d, "# columns: date api silent infrastructure engineering bill total share share_lo80 "
			  "share_hi80 threshold_share\n"
			  "# bill = api + silent (what the provider invoices); total = bill + infrastructure +\n"
			  "# engineering; share = bill / engineering in percent, with its 80% band (projection)\n"
			  "# observed money is exact (the stored prices); projected money is an estimate\n");
	rc |= buf_adds(d, "\n# block 0 (index 0): observed: the workload priced on every date a price changed\n");
	for (i = 0; h && i < h->n; i++) {
		const struct costmodel_bill *b = &h->v[i];

		if (strcmp(b->date, cm->as_of) > 0)
			break;
		rc |= plot_cost_row_exact(d, b->date, b->api_nanos, b->silent_nanos,
					  cm->infrastructure_nanos, cm->engineering_nanos, thr);
	}
	if (sc->today.date[0]) /* today's observed bill carries the last step to as of */
		rc |= plot_cost_row_exact(d, cm->as_of, sc->today.api_nanos, sc->today.silent_nanos,
					  cm->infrastructure_nanos, cm->engineering_nanos, thr);
	rc |= buf_adds(d, "\n\n# block 1 (index 1): projected (estimates: the forecast median of the prices, "
			  "token and engineering growth)\n");
	for (i = 0; i < sc->n_months; i++) {
		const struct costmodel_month *mo = &sc->months[i];
		double api = mo->bill_est / (1.0 + s);

		rc |= plot_cost_row(d, mo->date, api, mo->bill_est - api, mo->infrastructure,
				    mo->engineering_est, mo->has_interval ? mo->bill_lo80 : mo->bill_est,
				    mo->has_interval ? mo->bill_hi80 : mo->bill_est,
				    mo->engineering_est > 0 ? mo->threshold_est / mo->engineering_est : thr);
	}
	return rc ? TT_ENOMEM : 0;
}

/* Stacked layers of one block (gnuplot index idx), painted from the top
 * layer down, each filled from 0 to its cumulative sum.  file: the data
 * file for the first element of a plot command, else NULL ('' reuses it). */
static int plot_cost_stack(struct buf *g, const char *file, int idx, int titled, int projected)
{
	static const struct {
		const char *col, *color, *light, *title;
	} layer[] = {
		{ "($2+$3+$4+$5)", PLOT_C_ENG, "#e6e6e6", "engineering" },
		{ "($2+$3+$4)", PLOT_C_INFRA, "#fdd9b8", "infrastructure" },
		{ "($2+$3)", PLOT_C_SILENT, "#cfe4f0", "silent (retries, loops)" },
		{ "($2)", PLOT_C_API, "#8fbbd9", "API" },
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < TT_ARRAY_SIZE(layer); i++) {
		if (i || !file)
			rc |= buf_adds(g, i ? ", \\\n  ''" : "  ''");
		else
			rc |= buf_adds(g, "  ") | plot_quote(file, g);
		/* observed: steps (a bill holds until the next price change);
		 * projected: a monthly curve, in lighter tones of the same colours */
		if (projected)
			rc |= buf_addf(g, " index %d using 1:%s with filledcurves x1 fs solid 1.0 noborder "
					  "lc rgb '%s' ", idx, layer[i].col, layer[i].light);
		else
			rc |= buf_addf(g, " index %d using 1:%s with fillsteps fs solid 1.0 noborder lc rgb '%s' ",
				       idx, layer[i].col, layer[i].color);
		if (titled)
			rc |= buf_adds(g, "title ") | plot_quote(layer[i].title, g);
		else
			rc |= buf_adds(g, "notitle");
	}
	return rc;
}

int plot_cost(const struct costmodel *cm, const struct costmodel_history *h,
	      const struct costmodel_projection *pr, enum costmodel_scenario_kind kind,
	      const struct plot_options *o, struct plot_files *files, struct tt_error *err)
{
	const struct costmodel_scenario *sc = &pr->s[kind];
	const struct costmodel_cross *x = &sc->cross;
	struct buf def = BUF_INIT, data = BUF_INIT, g = BUF_INIT, t = BUF_INIT;
	struct plot_out po = PLOT_OUT_INIT;
	char m1[64], m2[64], m3[64], shr[32];
	double thr = profile_share_value(pr->threshold_ppb), lo = 0, hi = 0;
	int rc = 0, nl = 0, observed = h && h->n && strcmp(h->v[0].date, cm->as_of) < 0;
	const char *x_from;
	size_t i;

	if (!sc->available || !sc->n_months)
		return tt_set_error(err, TT_EINVAL, "nothing to plot: %s",
				    sc->reason[0] ? sc->reason : "the scenario has no projection");
	if (!(o->out && o->out[0]) && plot_cost_default_path(cm, "cost", &def) < 0)
		goto nomem;
	rc = plot_begin(o, def.buf, files, &po, err);
	if (rc < 0)
		goto out;
	if (plot_cost_data(cm, h, sc, pr->threshold_ppb, &data) < 0)
		goto nomem;

	/* the share panel's range: observed shares, the projected median and
	 * the threshold; the 80% band widens fast with few changes, so it may
	 * add at most a factor of 10 each way and is clipped beyond */
	for (i = 0; i < sc->n_months; i++) {
		double a = sc->months[i].share_of_engineering;

		if (a > 0 && (lo == 0 || a < lo))
			lo = a;
		if (a > hi)
			hi = a;
	}
	for (i = 0; h && i < h->n; i++) {
		double a = cm->engineering_nanos ? (double)h->v[i].bill_nanos / (double)cm->engineering_nanos : 0;

		if (a > 0 && (lo == 0 || a < lo))
			lo = a;
		if (a > hi)
			hi = a;
	}
	if (thr > 0 && (lo == 0 || thr < lo))
		lo = thr;
	if (thr > hi)
		hi = thr;
	{
		double blo = lo, bhi = hi;

		for (i = 0; i < sc->n_months; i++) {
			const struct costmodel_month *mo = &sc->months[i];

			if (!mo->has_interval)
				continue;
			if (mo->share_lo80 > 0 && mo->share_lo80 < blo)
				blo = mo->share_lo80;
			if (mo->share_hi80 > bhi)
				bhi = mo->share_hi80;
		}
		lo = blo < lo / 10.0 ? lo / 10.0 : blo;
		hi = bhi > hi * 10.0 ? hi * 10.0 : bhi;
	}

	costmodel_fmt_share(pr->threshold_ppb, shr, sizeof(shr));
	rc |= buf_addf(&t, "cost layers of %s", cm->p->origin ? cm->p->origin : "a workload");
	rc |= plot_add_header(&g, t.buf, &po);
	buf_reset(&t);
	rc |= buf_adds(&g, "set xdata time\nset timefmt '%Y-%m-%d'\n"
			   "set grid xtics ytics lc rgb '#e4e4e4'\nset border 3\nset tics nomirror\n"
			   "set key outside right top vertical Left reverse samplen 2.5 spacing 1.15 width 2 font ',10'\n"
			   "set lmargin at screen 0.085\nset rmargin at screen 0.80\n"
			   "set style textbox opaque fc rgb 'white' border lc rgb '#aa0000'\n");
	x_from = observed ? h->v[0].date : cm->as_of;
	rc |= buf_addf(&g, "set xrange ['%s':'%s']\n", x_from, pr->end);

	/* overall title */
	rc |= buf_addf(&t, "Monthly cost of %s: %s", cm->p->origin ? cm->p->origin : "the workload",
		       sc->label);
	rc |= buf_addf(&t, "\nas of %s  \xc2\xb7  today: API bill %s, infrastructure %s, engineering %s %s per month",
		       cm->as_of, plot_money(sc->today.bill_nanos, m1, sizeof(m1)),
		       plot_money(cm->infrastructure_nanos, m2, sizeof(m2)),
		       plot_money(cm->engineering_nanos, m3, sizeof(m3)), cm->currency);
	rc |= buf_adds(&g, "set multiplot title ");
	rc |= plot_quote_lines(t.buf, 0, &g, NULL);
	rc |= buf_adds(&g, " font ',13'\n");
	buf_reset(&t);

	/* as of: a dashed line in both panels */
	/* left of the line, or right of it when as of opens the chart (no observed part) */
	rc |= buf_addf(&g, "set arrow 2 from '%s', graph 0 to '%s', graph 1 nohead dt 2 lc rgb '#666666' front\n"
			   "set label 3 'as of %s' at '%s', graph 0.97 %s font ',9' tc rgb '#555555' front\n",
		       cm->as_of, cm->as_of, cm->as_of, cm->as_of,
		       observed ? "right offset -0.6,0" : "left offset 0.6,0");
	/* the crossing: the median dotted in both panels (its 80% range is
	 * shaded in the share panel only: the cost layers would hide it) */
	if (x->status == FIT_CROSS_DATE)
		rc |= buf_addf(&g, "set arrow 1 from '%s', graph 0 to '%s', graph 1 nohead dt 3 lw 1.5 "
				   "lc rgb '#aa0000' front\n", x->date, x->date);

	/* top panel: the stacked layers (linear) */
	rc |= buf_addf(&g, "set tmargin at screen 0.86\nset bmargin at screen 0.50\nset format x ''\n"
			   "set ylabel '%s per month'\nset yrange [0:*]\nset format y '%%.0f'\n",
		       cm->currency);
	rc |= buf_adds(&g, "plot \\\n");
	rc |= plot_cost_stack(&g, po.abs_data, 0, 1, 0);
	rc |= buf_adds(&g, ", \\\n");
	rc |= plot_cost_stack(&g, NULL, 1, 0, 1);
	rc |= buf_adds(&g, "\n");

	/* bottom panel: the API bill as a share of engineering cost (log) */
	if (x->early_status == FIT_CROSS_DATE &&
	    (x->late_status == FIT_CROSS_DATE || x->late_status == FIT_CROSS_BEYOND_HORIZON))
		rc |= buf_addf(&g, "set object 1 rect from '%s', graph 0 to '%s', graph 1 fc rgb '#fbe4e4' "
				   "fs solid 1.0 noborder behind\n",
			       x->early, x->late_status == FIT_CROSS_DATE ? x->late : pr->end);
	rc |= buf_addf(&g, "set tmargin at screen 0.45\nset format x '%s'\nset xlabel 'date'\n"
			   "set ylabel 'API bill, %% of engineering (log)'\nset logscale y\n",
		       plot_date_fmt(x_from, pr->end));
	if (lo > 0 && hi > lo) {
		char a[48], b[48];

		rc |= buf_addf(&g, "set yrange [%s:%s]\nset format y '%%g'\n",
			       forecast_fmt_num(100.0 * lo / 1.5, 6, a, sizeof(a)),
			       forecast_fmt_num(100.0 * hi * 1.5, 6, b, sizeof(b)));
		rc |= plot_add_log_ytics(&g, 100.0 * lo / 1.5, 100.0 * hi * 1.5);
	} else {
		rc |= buf_adds(&g, "set yrange [*:*]\nset format y '%g'\n");
	}
	/* the crossing, in words, in a box */
	rc |= buf_addf(&t, "API bill under %s%% of engineering cost\nmedian: ", shr);
	rc |= plot_cost_cross_text(&t, x->status, x->date);
	rc |= buf_adds(&t, "\n80% range: ");
	if (x->status == FIT_CROSS_ALREADY_BELOW || x->early_status == FIT_CROSS_UNAVAILABLE) {
		rc |= buf_adds(&t, x->status == FIT_CROSS_ALREADY_BELOW ? "-" : "unavailable (no interval)");
	} else {
		rc |= plot_cost_cross_text(&t, x->early_status, x->early);
		rc |= buf_adds(&t, " .. ");
		rc |= plot_cost_cross_text(&t, x->late_status, x->late);
	}
	rc |= buf_adds(&g, "set label 5 ");
	rc |= plot_quote_lines(t.buf, 0, &g, &nl);
	rc |= buf_addf(&g, " at graph 0.012, graph 0 left offset 0.4,%.2f font ',10' tc rgb '#aa0000' "
			   "front boxed bs 1\n", 0.3 + 0.95 * nl);
	buf_reset(&t);

	/* footer */
	if (observed)
		rc |= buf_adds(&t, "Before as of: the workload priced exactly on every price change (steps); "
				   "after: projected, lighter. ");
	rc |= buf_addf(&t, "%s. Bill = API + silent (what the provider invoices). Infrastructure and "
			   "engineering as the profile states them (engineering grows %s%%/yr from as of; "
			   "tokens %s%%/yr).",
		       sc->flat ? "Prices held at today's level (too few changes to fit)"
				: "Projection: the forecast median of the workload's price, with its 80% band",
		       costmodel_fmt_share(cm->p->engineering_growth, m1, sizeof(m1)),
		       costmodel_fmt_share(cm->p->token_growth, m2, sizeof(m2)));
	if (!sc->flat && sc->anchor > 0 && (sc->anchor > 1.05 || sc->anchor < 1 / 1.05))
		rc |= buf_addf(&t, " The projection is anchored at today's observed bill: the price model's "
				   "median on %s was %s\xc3\x97 %s the list prices in force, and the path keeps "
				   "the model's rate from there.",
			       cm->as_of, plot_est(sc->anchor > 1 ? sc->anchor : 1 / sc->anchor, m1, sizeof(m1)),
			       sc->anchor > 1 ? "below" : "above");
	rc |= buf_adds(&g, "set label 1 ");
	rc |= plot_quote_lines(t.buf, (size_t)(po.width - 40) / 7, &g, &nl);
	rc |= buf_addf(&g, " at screen 0.012, character %.2f left font ',10' tc rgb '#444444'\n"
			   "set bmargin at screen %.3f\n", 0.2 + 0.95 * nl,
		       (4.2 + 0.95 * nl) * 17.0 / (double)po.height);
	buf_reset(&t);
	rc |= buf_adds(&g, "plot \\\n  ");
	rc |= plot_quote(po.abs_data, &g);
	if (sc->months[0].has_interval)
		rc |= buf_adds(&g, " index 1 using 1:9:10 with filledcurves fc rgb '#aec7e8' "
				   "title 'API bill share: 80% band', \\\n  ''");
	rc |= buf_adds(&g, " index 1 using 1:8 with lines lw 2.5 lc rgb '" PLOT_C_API "' "
			   "title 'API bill share: median', \\\n");
	if (observed)
		rc |= buf_adds(&g, "  '' index 0 using 1:8 with steps lw 2 lc rgb '#111111' "
				   "title 'API bill share: observed', \\\n");
	rc |= buf_adds(&g, "  '' index 1 using 1:11 with lines dt 2 lw 1.8 lc rgb '#aa0000' title ");
	rc |= buf_addf(&t, "threshold %s%%", shr);
	rc |= plot_quote(t.buf, &g);
	rc |= buf_adds(&g, "\nunset multiplot\nunset output\n");
	if (rc)
		goto nomem;
	rc = plot_finish(o, files, &data, &g, err);
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	plot_out_release(&po);
	buf_release(&def);
	buf_release(&data);
	buf_release(&g);
	buf_release(&t);
	return rc;
}

/* ---- the same workload across models ---- */

static int plot_cmp_order(const void *a, const void *b)
{
	const struct costmodel_compare_row *x = *(const struct costmodel_compare_row *const *)a;
	const struct costmodel_compare_row *y = *(const struct costmodel_compare_row *const *)b;

	if (x->bill.bill_nanos != y->bill.bill_nanos)
		return x->bill.bill_nanos < y->bill.bill_nanos ? -1 : 1;
	return strcmp(x->bill.label ? x->bill.label : "", y->bill.label ? y->bill.label : "");
}

int plot_cost_compare(const struct costmodel *cm, const struct costmodel_compare *c,
		      const struct plot_options *o, struct plot_files *files, struct tt_error *err)
{
	struct buf def = BUF_INIT, data = BUF_INIT, g = BUF_INIT, t = BUF_INIT;
	struct plot_out po = PLOT_OUT_INIT;
	const struct costmodel_compare_row **v = NULL;
	char m1[64], m2[64], m3[64], m4[64], shr[32];
	size_t i, n = 0, n_un = 0;
	int64_t thr_nanos = 0, lo = 0, hi = 0, sys_lo = 0, sys_hi = 0;
	int rc = 0, nl = 0, logx;
	double xmin, xmax;

	if (!c->n_priced)
		return tt_set_error(err, TT_ENOTFOUND, "nothing to plot: no model could be priced");
	v = calloc(c->n, sizeof(*v));
	if (!v)
		goto nomem;
	for (i = 0; i < c->n; i++) {
		if (!c->v[i].priced) {
			n_un++;
			continue;
		}
		v[n++] = &c->v[i];
	}
	qsort(v, n, sizeof(*v), plot_cmp_order);
	lo = v[0]->bill.bill_nanos;
	hi = v[n - 1]->bill.bill_nanos;
	for (i = 0; i < n; i++) {
		if (!i || v[i]->system_nanos < sys_lo)
			sys_lo = v[i]->system_nanos;
		if (v[i]->system_nanos > sys_hi)
			sys_hi = v[i]->system_nanos;
	}
	thr_nanos = (int64_t)((__int128)cm->engineering_nanos * cm->p->threshold_share / PROFILE_PPB);
	xmin = (double)(lo < thr_nanos || !thr_nanos ? lo : thr_nanos) / 1e9;
	xmax = (double)(hi > thr_nanos ? hi : thr_nanos) / 1e9;
	logx = xmin > 0 && xmax / xmin > 30.0;
	if (!(o->out && o->out[0]) && plot_cost_default_path(cm, "cost-compare", &def) < 0)
		goto nomem;
	rc = plot_begin(o, def.buf, files, &po, err);
	if (rc < 0)
		goto out;

	/* data: one row per priced model, cheapest first */
	rc |= buf_addf(&data, "# tokentrend: %s priced on each model as of %s, %s per month\n",
		       cm->p->origin ? cm->p->origin : "the workload", cm->as_of, cm->currency);
	rc |= buf_adds(&data, "# columns: y bill system ratio label\n"
			      "# y: the bar's row (0 at the bottom); bill: the monthly API bill (API + silent,\n"
			      "# exact); system: bill + infrastructure + engineering; ratio: bill / the cheapest's;\n"
			      "# label: the text drawn at the bar's end.  Rows in order, cheapest first:\n");
	for (i = 0; i < n; i++) {
		const struct costmodel_compare_row *r = v[i];

		rc |= buf_adds(&data, "# ");
		rc |= plot_add_comment(&data, r->bill.label ? r->bill.label : "?");
		rc |= buf_addch(&data, '\n');
		rc |= buf_addf(&data, "%zu %s %s %.4f \"%s %s", n - 1 - i,
			       plot_money(r->bill.bill_nanos, m1, sizeof(m1)),
			       plot_money(r->system_nanos, m2, sizeof(m2)), r->cost_ratio, m1, cm->currency);
		if (i)
			rc |= buf_addf(&data, "  (%.3g\xc3\x97 the cheapest; whole system +%.1f%%)", r->cost_ratio,
				       sys_lo ? 100.0 * (double)(r->system_nanos - sys_lo) / (double)sys_lo : 0.0);
		else
			rc |= buf_adds(&data, "  (cheapest)");
		rc |= buf_adds(&data, "\"\n");
	}

	/* script */
	rc |= buf_addf(&t, "%s priced across models", cm->p->origin ? cm->p->origin : "a workload");
	rc |= plot_add_header(&g, t.buf, &po);
	buf_reset(&t);
	rc |= buf_addf(&t, "Monthly API bill of %s on each model\nprices in force on %s  \xc2\xb7  "
			   "%s tokens per month  \xc2\xb7  %zu model%s priced",
		       cm->p->origin ? cm->p->origin : "the workload", cm->as_of,
		       plot_tokens(profile_tokens_total(cm->p), m1, sizeof(m1)), n, n == 1 ? "" : "s");
	rc |= buf_adds(&g, "set title ");
	rc |= plot_quote_lines(t.buf, 0, &g, NULL);
	rc |= buf_adds(&g, " font ',13'\n");
	buf_reset(&t);
	rc |= buf_addf(&g, "set xlabel '%s per month%s'\n", cm->currency, logx ? " (log scale)" : "");
	rc |= buf_adds(&g, "set border 3\nset tics nomirror\nset grid xtics lc rgb '#e4e4e4'\nunset key\n"
			   "set style fill solid 1.0 noborder\n");
	if (logx) {
		char a[48], b[48];

		rc |= buf_addf(&g, "set logscale x\nset format x '%%g'\nset xrange [%s:%s]\n",
			       forecast_fmt_num(xmin / 2.0, 6, a, sizeof(a)),
			       forecast_fmt_num(xmax * 12.0, 6, b, sizeof(b)));
	} else {
		char b[48];

		rc |= buf_addf(&g, "set format x '%%g'\nset xrange [0:%s]\n",
			       forecast_fmt_num(xmax * 1.9, 6, b, sizeof(b)));
	}
	rc |= buf_addf(&g, "set yrange [-0.7:%zu.7]\nset ytics (", n - 1);
	for (i = 0; i < n; i++) {
		rc |= buf_adds(&g, i ? ", " : "");
		rc |= plot_quote(v[i]->bill.label ? v[i]->bill.label : "?", &g);
		rc |= buf_addf(&g, " %zu", n - 1 - i);
	}
	rc |= buf_adds(&g, ") scale 0\nset lmargin 26\nset rmargin 4\n");
	if (thr_nanos > 0) {
		costmodel_fmt_share(cm->p->threshold_share, shr, sizeof(shr));
		rc |= buf_addf(&g, "set arrow 1 from %s, graph 0 to %s, graph 1 nohead dt 2 lw 1.8 lc rgb '#aa0000' back\n",
			       plot_money(thr_nanos, m1, sizeof(m1)), m1);
		rc |= buf_addf(&t, "%s%% of engineering = %s %s", shr, m1, cm->currency);
		rc |= buf_adds(&g, "set label 2 ");
		rc |= plot_quote(t.buf, &g);
		rc |= buf_addf(&g, " at %s, graph 1 left offset 0.5,0.6 font ',9' tc rgb '#aa0000' front\n", m1);
		buf_reset(&t);
	}
	/* footer */
	rc |= buf_addf(&t, "Bars: API + silent per month at each model's prices on %s. The whole system "
			   "(bill + infrastructure %s + engineering %s) costs %s .. %s %s per month across "
			   "these models.", cm->as_of, plot_money(cm->infrastructure_nanos, m1, sizeof(m1)),
		       plot_money(cm->engineering_nanos, m2, sizeof(m2)), plot_money(sys_lo, m3, sizeof(m3)),
		       plot_money(sys_hi, m4, sizeof(m4)), cm->currency);
	if (n_un) {
		rc |= buf_addf(&t, "\nNot priced (%zu): ", n_un);
		for (i = 0, nl = 0; i < c->n; i++) {
			if (c->v[i].priced)
				continue;
			rc |= buf_addf(&t, "%s%s (%s)", nl++ ? "; " : "",
				       c->v[i].bill.label ? c->v[i].bill.label : c->v[i].canonical ? c->v[i].canonical : "?",
				       c->v[i].reason);
		}
	}
	rc |= buf_adds(&g, "set label 1 ");
	rc |= plot_quote_lines(t.buf, (size_t)(po.width - 40) / 7, &g, &nl);
	rc |= buf_addf(&g, " at screen 0.012, character %.2f left font ',10' tc rgb '#444444'\n"
			   "set bmargin %.2f\n", 0.2 + 0.95 * nl, 4.4 + 0.95 * nl);
	rc |= buf_adds(&g, "plot \\\n  ");
	rc |= plot_quote(po.abs_data, &g);
	rc |= buf_addf(&g, " using 2:1:(%s):2:($1-0.32):($1+0.32) with boxxyerror lc rgb '" PLOT_C_API "', \\\n"
			   "  '' using 2:1:5 with labels left offset 0.6,0 font ',10' tc rgb '#222222'\n",
		       logx ? forecast_fmt_num(xmin / 2.0, 6, m1, sizeof(m1)) : "0");
	rc |= buf_adds(&g, "unset output\n");
	if (rc)
		goto nomem;
	rc = plot_finish(o, files, &data, &g, err);
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	free(v);
	plot_out_release(&po);
	buf_release(&def);
	buf_release(&data);
	buf_release(&g);
	buf_release(&t);
	return rc;
}
