/*
 * forecast.c - one series in, one forecast out: fit the log-linear decline,
 * backtest it against the naive last-price forecast, project monthly points
 * with 80%/95% prediction intervals, find the target crossing, and render
 * the result as a table or as the JSON contract of forecast.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/forecast.h"

#include <json-c/json.h>

#include "tokentrend/clock.h"

const char *forecast_status_name(enum forecast_status s)
{
	switch (s) {
	case FORECAST_OK: return "ok";
	case FORECAST_NO_INTERVAL: return "no_interval";
	case FORECAST_INSUFFICIENT: return "insufficient_data";
	case FORECAST_FREE: return "free";
	}
	return "unknown";
}

char *forecast_fmt_num(double v, int sig, char *out, size_t outlen)
{
	int dec;

	if (!isfinite(v)) {
		snprintf(out, outlen, "null");
		return out;
	}
	if (sig < 1)
		sig = 1;
	if (v == 0.0) {
		snprintf(out, outlen, "0");
		return out;
	}
	dec = sig - 1 - (int)floor(log10(fabs(v)));
	if (dec < 0)
		dec = 0;
	if (dec > 30)
		dec = 30;
	snprintf(out, outlen, "%.*f", dec, v);
	return out;
}

/* Append a sentence to a fixed message buffer, "; "-separated. */
static void msg_add(char *dst, size_t size, const char *fmt, ...) TT_PRINTF(3, 4);
static void msg_add(char *dst, size_t size, const char *fmt, ...)
{
	size_t len = strlen(dst);
	va_list ap;

	if (len + 3 >= size)
		return;
	if (len) {
		dst[len++] = ';';
		dst[len++] = ' ';
		dst[len] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(dst + len, size - len, fmt, ap);
	va_end(ap);
}

void forecast_release(struct forecast *f)
{
	if (!f)
		return;
	free(f->points);
	f->points = NULL;
	f->n_proj = 0;
	fit_backtest_release(&f->backtest);
}

static double forecast_t(const struct forecast *f, int64_t day)
{
	return (double)(day - f->day0) / FIT_DAYS_PER_YEAR;
}

/* The day containing time t (a tiny epsilon keeps exact days exact). */
static int64_t forecast_day(const struct forecast *f, double t)
{
	return f->day0 + (int64_t)floor(t * FIT_DAYS_PER_YEAR + 1e-6);
}

static void forecast_set_date(const struct forecast *f, enum fit_cross_status st, double t,
			      struct forecast_date *d)
{
	d->status = st;
	d->date[0] = '\0';
	if (st == FIT_CROSS_DATE)
		date_format(forecast_day(f, t), d->date);
}

static int forecast_add_point(struct forecast *f, int64_t day, size_t *alloc, struct tt_error *err)
{
	struct fit_band b80, b95;
	struct forecast_point *p;
	double t = forecast_t(f, day);
	int rc;

	rc = fit_loglinear_band(&f->fit, t, 0.80, FIT_BAND_PREDICTION, &b80, err);
	if (rc == 0)
		rc = fit_loglinear_band(&f->fit, t, 0.95, FIT_BAND_PREDICTION, &b95, err);
	if (rc < 0)
		return rc;
	if (f->n_proj == *alloc) {
		size_t na = *alloc ? 2 * *alloc : 64;
		struct forecast_point *nv = realloc(f->points, na * sizeof(*nv));

		if (!nv)
			return tt_set_error(err, TT_ENOMEM, "forecast: out of memory");
		f->points = nv;
		*alloc = na;
	}
	p = &f->points[f->n_proj++];
	p->day = day;
	date_format(day, p->date);
	p->median = b80.median;
	p->lo80 = b80.lo;
	p->hi80 = b80.hi;
	p->lo95 = b95.lo;
	p->hi95 = b95.hi;
	p->has_interval = b80.has_interval;
	return 0;
}

/* Points: the last change, the 1st of every later month up to end, and end. */
static int forecast_project(struct forecast *f, int64_t start, int64_t end, struct tt_error *err)
{
	size_t alloc = 0;
	int64_t y, day;
	unsigned m, d;
	int rc;

	rc = forecast_add_point(f, start, &alloc, err);
	date_to_ymd(start, &y, &m, &d);
	for (;;) {
		if (rc == TT_ERANGE)
			break;
		if (rc < 0)
			return rc;
		if (++m > 12) {
			m = 1;
			y++;
		}
		day = date_from_ymd(y, m, 1);
		if (day > end)
			break;
		rc = forecast_add_point(f, day, &alloc, err);
	}
	if (rc == 0 && f->points[f->n_proj - 1].day < end)
		rc = forecast_add_point(f, end, &alloc, err);
	if (rc == TT_ERANGE) {
		char last[11] = "";

		if (f->n_proj)
			date_format(f->points[f->n_proj - 1].day, last);
		msg_add(f->notes, sizeof(f->notes),
			"the projection stops after %s: later values leave the range of a double", last);
		rc = 0;
	}
	return rc;
}

static void forecast_candidates(struct forecast *f)
{
	struct forecast_candidate *c = f->candidates;
	char a[48], b[48];

	f->model = FIT_MODEL_LOGLINEAR;
	f->n_candidates = 2;
	c[0].model = FIT_MODEL_LOGLINEAR;
	c[0].chosen = 1;
	snprintf(c[0].reason, sizeof(c[0].reason),
		 "exponential decline: OLS on ln price with t-based prediction intervals");
	c[1].model = FIT_MODEL_NAIVE;
	c[1].chosen = 0;
	if (f->backtest.has_scores) {
		forecast_fmt_num(f->backtest.naive_mae_log10, 4, a, sizeof(a));
		forecast_fmt_num(f->backtest.mae_log10, 4, b, sizeof(b));
		snprintf(c[1].reason, sizeof(c[1].reason),
			 "baseline (the price stays at its last value; no trend, no interval): "
			 "backtest MAE log10 %s vs loglinear %s, %s",
			 a, b, f->backtest.naive_mae_log10 < f->backtest.mae_log10 ? "naive wins" : "loglinear wins");
	} else {
		snprintf(c[1].reason, sizeof(c[1].reason),
			 "baseline (the price stays at its last value; no trend, no interval), "
			 "scored in the backtest only");
	}
}

int forecast_run(const struct series *s, const struct forecast_options *o, struct forecast *out,
		 struct tt_error *err)
{
	double *t = NULL, *p = NULL, *tp = NULL, *pp = NULL;
	int64_t as_of_day, first_day = 0, last_day = 0, end, base;
	size_t i, np = 0;
	int rc = TT_EINVAL, have_first = 0;
	struct fit_crossing c;
	const char *free_since;

	memset(out, 0, sizeof(*out));
	out->series = s;
	out->horizon_days = o->horizon_days ? o->horizon_days : FORECAST_DEFAULT_HORIZON_DAYS;
	if (out->horizon_days < 1 || out->horizon_days > FORECAST_MAX_HORIZON_DAYS)
		return tt_set_error(err, TT_EINVAL, "forecast: horizon of %d days is not in 1..%d",
				    o->horizon_days, FORECAST_MAX_HORIZON_DAYS);
	if (o->has_target && (!isfinite(o->target) || o->target <= 0.0))
		return tt_set_error(err, TT_EINVAL, "forecast: target price %g must be a positive number",
				    o->target);
	if (o->as_of) {
		if (date_parse(o->as_of, &as_of_day) < 0)
			return tt_set_error(err, TT_EINVAL, "forecast: as-of date '%s' is not YYYY-MM-DD",
					    o->as_of);
	} else {
		char today[11];

		if (date_parse(clock_today(today), &as_of_day) < 0)
			return tt_set_error(err, TT_EFAIL, "forecast: cannot read today's date");
	}
	date_format(as_of_day, out->as_of);
	out->has_target = o->has_target;
	out->target = o->target;
	if (s->note && s->note[0])
		msg_add(out->notes, sizeof(out->notes), "%s", s->note);

	if (s->n) {
		t = malloc(s->n * sizeof(*t));
		p = malloc(s->n * sizeof(*p));
		tp = malloc(s->n * sizeof(*tp));
		pp = malloc(s->n * sizeof(*pp));
		if (!t || !p || !tp || !pp) {
			rc = tt_set_error(err, TT_ENOMEM, "forecast: out of memory");
			goto out;
		}
	}
	for (i = 0; i < s->n; i++) {
		if (s->v[i].nanos > 0) {
			if (!have_first)
				first_day = s->v[i].day, have_first = 1;
			last_day = s->v[i].day;
		}
	}
	out->day0 = have_first ? first_day : (s->n ? s->v[0].day : as_of_day);
	for (i = 0; i < s->n; i++) {
		t[i] = forecast_t(out, s->v[i].day);
		p[i] = s->v[i].price;
		if (s->v[i].nanos > 0) {
			tp[np] = t[i];
			pp[np] = p[i];
			np++;
		}
	}
	rc = fit_loglinear(t, p, s->n, &out->fit, err);
	if (rc < 0)
		goto out;
	out->n_points = out->fit.n;
	out->n_zero = out->fit.n_zero;
	if (have_first) {
		date_format(first_day, out->first_date);
		date_format(last_day, out->last_date);
	}
	if (out->n_zero)
		msg_add(out->notes, sizeof(out->notes), "%zu zero price%s excluded from the log fit",
			out->n_zero, out->n_zero == 1 ? "" : "s");
	base = as_of_day > last_day ? as_of_day : last_day;
	end = base + out->horizon_days;
	date_format(end, out->end_date);

	if (out->fit.status != FIT_INSUFFICIENT) {
		out->has_factor = 1;
		out->factor_per_year = fit_loglinear_factor_per_year(&out->fit);
		out->has_factor_ci = fit_loglinear_factor_ci(&out->fit, 0.90, &out->factor_ci90_lo,
							     &out->factor_ci90_hi);
		out->has_half_life = fit_loglinear_half_life_days(&out->fit, &out->half_life_days);
	}
	rc = fit_backtest_loglinear(tp, pp, np, FIT_MIN_POINTS_INTERVAL, &out->backtest, err);
	if (rc < 0)
		goto out;
	forecast_candidates(out);

	free_since = series_free_since(s);
	if (free_since) {
		out->status = FORECAST_FREE;
		out->has_factor = out->has_factor_ci = out->has_half_life = 0;
		snprintf(out->free_since, sizeof(out->free_since), "%s", free_since);
		msg_add(out->reason, sizeof(out->reason),
			"free since %s: the price is 0, so there is no decline left to forecast", free_since);
		if (np < FIT_MIN_POINTS_INTERVAL)
			msg_add(out->reason, sizeof(out->reason),
				"insufficient data: %zu priced change%s before it (%d are needed for intervals)",
				np, np == 1 ? "" : "s", FIT_MIN_POINTS_INTERVAL);
		if (o->has_target)
			out->cross_median.status = out->cross_early.status = out->cross_late.status =
				FIT_CROSS_ALREADY_BELOW;
		rc = 0;
		goto out;
	}

	switch (out->fit.status) {
	case FIT_OK:
		out->status = FORECAST_OK;
		break;
	case FIT_NO_INTERVAL:
		out->status = FORECAST_NO_INTERVAL;
		msg_add(out->reason, sizeof(out->reason), "%s; the median is projected without intervals",
			out->fit.reason);
		break;
	case FIT_TWO_POINTS:
	case FIT_INSUFFICIENT:
		out->status = FORECAST_INSUFFICIENT;
		msg_add(out->reason, sizeof(out->reason),
			"insufficient data: %zu priced change%s; %d are needed for a forecast with intervals",
			np, np == 1 ? "" : "s", FIT_MIN_POINTS_INTERVAL);
		if (np == 1) {
			/* A list price that never changed: the observed decline is 0
			 * (case 20 b), though there is nothing to fit. */
			msg_add(out->reason, sizeof(out->reason),
				"the price has not changed since %s: no decline observed", out->first_date);
			out->has_factor = 1;
			out->factor_per_year = 1.0;
		}
		break;
	}

	if (out->status == FORECAST_OK || out->status == FORECAST_NO_INTERVAL) {
		rc = forecast_project(out, last_day, end, err);
		if (rc < 0)
			goto out;
	}

	if (o->has_target) {
		if (out->fit.status == FIT_INSUFFICIENT) {
			out->cross_median.status = out->cross_early.status = out->cross_late.status =
				FIT_CROSS_UNAVAILABLE;
		} else {
			rc = fit_loglinear_crossing(&out->fit, o->target, forecast_t(out, last_day),
						    forecast_t(out, end), 0.80, &c, err);
			if (rc < 0)
				goto out;
			forecast_set_date(out, c.median_status, c.median_t, &out->cross_median);
			forecast_set_date(out, c.early_status, c.early_t, &out->cross_early);
			forecast_set_date(out, c.late_status, c.late_t, &out->cross_late);
		}
	}
	rc = 0;
out:
	free(t);
	free(p);
	free(tp);
	free(pp);
	return rc;
}

/* ---- rendering ---- */

static const char *series_unit_text(const struct series *s, char *out, size_t n)
{
	snprintf(out, n, "%s per %s", s->currency ? s->currency : "", s->unit ? s->unit : "");
	return out;
}

static int render_cross(struct buf *out, const char *label, const struct forecast_date *d)
{
	switch (d->status) {
	case FIT_CROSS_DATE: return buf_addf(out, "%s %s", label, d->date);
	case FIT_CROSS_ALREADY_BELOW: return buf_addf(out, "%s already below", label);
	case FIT_CROSS_BEYOND_HORIZON: return buf_addf(out, "%s not within the horizon", label);
	case FIT_CROSS_NEVER: return buf_addf(out, "%s never (rising or flat series)", label);
	case FIT_CROSS_UNAVAILABLE: return buf_addf(out, "%s unavailable (no interval)", label);
	}
	return 0;
}

int forecast_render_table(const struct forecast *f, struct buf *out)
{
	const struct series *s = f->series;
	char a[48], b[48], c[48], d[48], e[48], g[48], unit[96];
	size_t i;
	int rc = 0;

	rc |= buf_adds(out, "Forecast: ");
	rc |= series_describe(s, out);
	rc |= buf_addf(out, " (%s, source %s)\n", series_unit_text(s, unit, sizeof(unit)),
		       s->source && s->source[0] ? s->source : "-");
	rc |= buf_addf(out, "Model:    %s (exponential decline on ln price), as of %s, horizon to %s\n",
		       fit_model_name(f->model), f->as_of, f->end_date);
	if (f->first_date[0])
		rc |= buf_addf(out, "Data:     n = %zu priced changes, %s .. %s\n", f->n_points,
			       f->first_date, f->last_date);
	else
		rc |= buf_addf(out, "Data:     no priced changes\n");
	rc |= buf_addf(out, "Status:   %s%s%s\n", forecast_status_name(f->status),
		       f->reason[0] ? ": " : "", f->reason);
	if (f->has_factor) {
		if (f->fit.k > 0.0)
			rc |= buf_addf(out, "Decline:  %sx per year", forecast_fmt_num(f->factor_per_year, 4, a, sizeof(a)));
		else if (f->fit.k < 0.0)
			rc |= buf_addf(out, "Decline:  none: rising %sx per year",
				       forecast_fmt_num(1.0 / f->factor_per_year, 4, a, sizeof(a)));
		else
			rc |= buf_addf(out, "Decline:  none (flat)");
		if (f->has_factor_ci)
			rc |= buf_addf(out, " (90%% CI %sx .. %sx)",
				       forecast_fmt_num(f->factor_ci90_lo, 4, a, sizeof(a)),
				       forecast_fmt_num(f->factor_ci90_hi, 4, b, sizeof(b)));
		if (f->has_half_life)
			rc |= buf_addf(out, ", half-life %s days (%s months)",
				       forecast_fmt_num(f->half_life_days, 4, a, sizeof(a)),
				       forecast_fmt_num(f->half_life_days / 30.4375, 3, b, sizeof(b)));
		rc |= buf_addch(out, '\n');
	}
	if (f->backtest.has_scores)
		rc |= buf_addf(out,
			       "Backtest: %zu origins (one step ahead), MAE log10 %s vs naive %s: %s; "
			       "80%% coverage %zu/%zu\n",
			       f->backtest.n_origins,
			       forecast_fmt_num(f->backtest.mae_log10, 4, a, sizeof(a)),
			       forecast_fmt_num(f->backtest.naive_mae_log10, 4, b, sizeof(b)),
			       f->backtest.naive_mae_log10 < f->backtest.mae_log10 ? "naive wins" : "loglinear wins",
			       f->backtest.n_covered, f->backtest.n_interval);
	else
		rc |= buf_addf(out, "Backtest: none (%s)\n", f->backtest.reason);
	if (f->has_target) {
		rc |= buf_addf(out, "Target:   %s %s: ", forecast_fmt_num(f->target, 4, a, sizeof(a)), unit);
		rc |= render_cross(out, "median", &f->cross_median);
		rc |= buf_adds(out, "; ");
		if (f->cross_early.status == FIT_CROSS_UNAVAILABLE) {
			rc |= buf_adds(out, "80% range unavailable (no interval)");
		} else {
			rc |= render_cross(out, "80% earliest", &f->cross_early);
			rc |= buf_adds(out, "; ");
			rc |= render_cross(out, "80% latest", &f->cross_late);
		}
		rc |= buf_addch(out, '\n');
	}
	if (f->notes[0])
		rc |= buf_addf(out, "Notes:    %s\n", f->notes);
	if (f->n_proj) {
		rc |= buf_addf(out, "\n%-10s  %12s  %12s  %12s  %12s  %12s\n", "date", "median",
			       "80% low", "80% high", "95% low", "95% high");
		for (i = 0; i < f->n_proj; i++) {
			const struct forecast_point *p = &f->points[i];

			if (p->has_interval)
				rc |= buf_addf(out, "%-10s  %12s  %12s  %12s  %12s  %12s\n", p->date,
					       forecast_fmt_num(p->median, 6, a, sizeof(a)),
					       forecast_fmt_num(p->lo80, 6, b, sizeof(b)),
					       forecast_fmt_num(p->hi80, 6, c, sizeof(c)),
					       forecast_fmt_num(p->lo95, 6, d, sizeof(d)),
					       forecast_fmt_num(p->hi95, 6, e, sizeof(e)));
			else
				rc |= buf_addf(out, "%-10s  %12s  %12s  %12s  %12s  %12s\n", p->date,
					       forecast_fmt_num(p->median, 6, g, sizeof(g)), "-", "-", "-", "-");
		}
	}
	return rc ? TT_ENOMEM : 0;
}

/* A JSON number with sig significant digits as plain decimal text; NULL (null) when not finite. */
static struct json_object *jnum(double v, int sig)
{
	char txt[64];

	if (!isfinite(v))
		return NULL;
	return json_object_new_double_s(v, forecast_fmt_num(v, sig, txt, sizeof(txt)));
}

static struct json_object *jstr_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static void jadd(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *jcross(const struct forecast_date *d)
{
	struct json_object *o = json_object_new_object();

	jadd(o, "status", json_object_new_string(fit_cross_status_name(d->status)));
	jadd(o, "date", jstr_or_null(d->date));
	return o;
}

int forecast_render_json(const struct forecast *f, struct buf *out)
{
	const struct series *s = f->series;
	struct json_object *o = json_object_new_object(), *a, *x;
	const char *txt;
	size_t i;
	int rc;

	if (!o)
		return TT_ENOMEM;
	jadd(o, "provider", json_object_new_string(s->provider ? s->provider : ""));
	jadd(o, "model", json_object_new_string(s->model ? s->model : ""));
	jadd(o, "dimension", json_object_new_string(s->dimension ? s->dimension : ""));
	jadd(o, "tier", json_object_new_string(s->tier ? s->tier : ""));
	jadd(o, "condition", json_object_new_string(s->condition ? s->condition : ""));
	jadd(o, "region", json_object_new_string(s->region ? s->region : ""));
	jadd(o, "currency", json_object_new_string(s->currency ? s->currency : ""));
	jadd(o, "unit", json_object_new_string(s->unit ? s->unit : ""));
	jadd(o, "source", json_object_new_string(s->source ? s->source : ""));
	jadd(o, "status", json_object_new_string(forecast_status_name(f->status)));
	jadd(o, "reason", jstr_or_null(f->reason));
	jadd(o, "notes", jstr_or_null(f->notes));
	jadd(o, "as_of", json_object_new_string(f->as_of));
	jadd(o, "horizon_days", json_object_new_int(f->horizon_days));
	jadd(o, "horizon_end", json_object_new_string(f->end_date));
	jadd(o, "n_points", json_object_new_int64((int64_t)f->n_points));
	jadd(o, "n_zero_excluded", json_object_new_int64((int64_t)f->n_zero));
	jadd(o, "first_date", jstr_or_null(f->first_date));
	jadd(o, "last_date", jstr_or_null(f->last_date));
	jadd(o, "free_since", jstr_or_null(f->free_since));

	jadd(o, "forecast_model", json_object_new_string(fit_model_name(f->model)));
	a = json_object_new_array();
	for (i = 0; i < f->n_candidates; i++) {
		x = json_object_new_object();
		jadd(x, "model", json_object_new_string(fit_model_name(f->candidates[i].model)));
		jadd(x, "chosen", json_object_new_boolean(f->candidates[i].chosen));
		jadd(x, "reason", json_object_new_string(f->candidates[i].reason));
		json_object_array_add(a, x);
	}
	jadd(o, "candidates", a);

	if (f->fit.status != FIT_INSUFFICIENT) {
		char d0[11];

		x = json_object_new_object();
		jadd(x, "form", json_object_new_string("ln(price) = c0 + c1 * t, t in years since reference_date"));
		jadd(x, "reference_date", json_object_new_string(date_format(f->day0, d0)));
		jadd(x, "days_per_year", json_object_new_double_s(FIT_DAYS_PER_YEAR, "365.25"));
		jadd(x, "c0", jnum(f->fit.c0, 10));
		jadd(x, "c1", jnum(f->fit.c1, 10));
		jadd(x, "k_per_year", jnum(f->fit.k, 10));
		jadd(x, "se_c1", f->fit.has_interval ? jnum(sqrt(f->fit.cov11), 6) : NULL);
		jadd(x, "residual_variance", f->fit.has_interval ? jnum(f->fit.s2, 6) : NULL);
		jadd(x, "r2", f->fit.n >= 3 && f->fit.r2 > 0.0 ? jnum(f->fit.r2, 6) : NULL);
		jadd(x, "interval_method", json_object_new_string(
			f->fit.has_interval
				? "OLS prediction interval on ln price, t quantile with n-2 dof, back-transformed at the endpoints (median, not mean)"
				: "unavailable"));
		jadd(o, "parameters", x);
	} else {
		jadd(o, "parameters", NULL);
	}
	jadd(o, "factor_per_year", f->has_factor ? jnum(f->factor_per_year, 6) : NULL);
	if (!f->has_factor)
		jadd(o, "factor_per_year_reason",
		     json_object_new_string(f->reason[0] ? f->reason : "no fit"));
	if (f->has_factor_ci) {
		a = json_object_new_array();
		json_object_array_add(a, jnum(f->factor_ci90_lo, 6));
		json_object_array_add(a, jnum(f->factor_ci90_hi, 6));
		jadd(o, "factor_per_year_ci90", a);
	} else {
		jadd(o, "factor_per_year_ci90", NULL);
	}
	jadd(o, "half_life_days", f->has_half_life ? jnum(f->half_life_days, 6) : NULL);
	if (!f->has_half_life)
		jadd(o, "half_life_reason", json_object_new_string(
			!f->has_factor ? "no fitted rate"
			: f->fit.k < 0.0 ? "rising series: no half-life"
					: "flat series: no decline, no half-life"));

	if (f->backtest.has_scores) {
		x = json_object_new_object();
		jadd(x, "method", json_object_new_string(
			"rolling origin, expanding window, one step ahead; errors are log10(actual/forecast)"));
		jadd(x, "n_origins", json_object_new_int64((int64_t)f->backtest.n_origins));
		jadd(x, "mae_log10", jnum(f->backtest.mae_log10, 6));
		jadd(x, "naive_mae_log10", jnum(f->backtest.naive_mae_log10, 6));
		jadd(x, "coverage80", f->backtest.n_interval ? jnum(f->backtest.coverage80, 6) : NULL);
		jadd(x, "n_covered80", json_object_new_int64((int64_t)f->backtest.n_covered));
		jadd(x, "n_with_interval", json_object_new_int64((int64_t)f->backtest.n_interval));
		jadd(x, "winner", json_object_new_string(
			f->backtest.naive_mae_log10 < f->backtest.mae_log10 ? "naive" : "loglinear"));
		jadd(o, "backtest", x);
	} else {
		jadd(o, "backtest", NULL);
		jadd(o, "backtest_reason", json_object_new_string(f->backtest.reason));
	}

	if (f->has_target) {
		x = json_object_new_object();
		jadd(x, "price", jnum(f->target, 6));
		jadd(x, "median", jcross(&f->cross_median));
		jadd(x, "lo80", jcross(&f->cross_early));
		jadd(x, "hi80", jcross(&f->cross_late));
		jadd(o, "target", x);
	} else {
		jadd(o, "target", NULL);
	}

	a = json_object_new_array();
	for (i = 0; i < f->n_proj; i++) {
		const struct forecast_point *p = &f->points[i];

		x = json_object_new_object();
		jadd(x, "date", json_object_new_string(p->date));
		jadd(x, "median", jnum(p->median, 6));
		jadd(x, "lo80", p->has_interval ? jnum(p->lo80, 6) : NULL);
		jadd(x, "hi80", p->has_interval ? jnum(p->hi80, 6) : NULL);
		jadd(x, "lo95", p->has_interval ? jnum(p->lo95, 6) : NULL);
		jadd(x, "hi95", p->has_interval ? jnum(p->hi95, 6) : NULL);
		json_object_array_add(a, x);
	}
	jadd(o, "points", a);
	if (f->n_proj && !f->points[0].has_interval)
		jadd(o, "points_interval_reason", json_object_new_string(
			f->reason[0] ? f->reason : "uncertainty unavailable"));
	else if (!f->n_proj)
		jadd(o, "points_reason", json_object_new_string(
			f->reason[0] ? f->reason : "no projection"));

	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = txt ? buf_adds(out, txt) : TT_ENOMEM;
	if (rc == 0)
		rc = buf_addch(out, '\n');
	json_object_put(o);
	return rc < 0 ? TT_ENOMEM : 0;
}
