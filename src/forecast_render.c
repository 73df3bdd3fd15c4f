/*
 * forecast_render.c - a forecast as a table for people, as the JSON
 * contract of DESIGN.md for scripts, and as one summary line per series
 * for `forecast --all`.  No NaN or inf ever reaches the output: unavailable
 * values are null (JSON) or "-" (table) with a reason.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/forecast.h"

#include <json-c/json.h>

#include "tokentrend/clock.h"

static const char *model_description(enum fit_model m)
{
	switch (m) {
	case FIT_MODEL_LOGLINEAR: return "exponential decline: OLS on ln price";
	case FIT_MODEL_RWDRIFT: return "random walk with drift on ln price";
	case FIT_MODEL_HARMONIC: return "Arps harmonic decline qi/(1 + Di t)";
	case FIT_MODEL_HYPERBOLIC: return "Arps hyperbolic decline qi (1 + b Di t)^(-1/b)";
	case FIT_MODEL_EXPFLOOR: return "exponential decay to a floor c + A e^(-k t)";
	case FIT_MODEL_NAIVE: return "the price stays at its last value";
	}
	return "";
}

static const char *model_form(enum fit_model m)
{
	switch (m) {
	case FIT_MODEL_LOGLINEAR: return "ln(price) = c0 + c1 * t, t in years since reference_date";
	case FIT_MODEL_RWDRIFT: return "ln(price) = ln(last price) + mu * (t - t_last) + random walk, t in years";
	case FIT_MODEL_HARMONIC: return "price = qi / (1 + Di * t), t in years since reference_date";
	case FIT_MODEL_HYPERBOLIC: return "price = qi * (1 + b * Di * t)^(-1/b), t in years since reference_date";
	case FIT_MODEL_EXPFLOOR: return "price = floor + (p0 - floor) * exp(-k * t), t in years since reference_date";
	case FIT_MODEL_NAIVE: return "price = last price";
	}
	return "";
}


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
	case FIT_CROSS_NEVER_FLOOR: return buf_addf(out, "%s never (the fitted floor is above it)", label);
	}
	return 0;
}

/* "-" or the number. */
static const char *num_or_dash(int has, double v, int sig, char *buf, size_t n)
{
	if (!has || !isfinite(v))
		return "-";
	return forecast_fmt_num(v, sig, buf, n);
}

/* The candidates' scores, one row each. */
static int render_candidates(const struct forecast *f, struct buf *out)
{
	char a[48], b[48], c[48], d[48], e[48], g[48], h[48], k[48];
	size_t i;
	int rc = 0;

	rc |= buf_addf(out, "\n%-11s %2s %9s %7s %4s %9s %9s %6s %7s %8s %9s  %s\n", "model", "p", "AICc",
		       "dAICc", "orig", "MAE log10", "naive", "MASE", "cover80", "Winkler", "common", "verdict");
	for (i = 0; i < f->n_candidates; i++) {
		const struct forecast_candidate *x = &f->candidates[i];
		const struct fit_backtest *bt = x->chosen ? &f->backtest : &x->bt;
		char cov[24] = "-";

		if (x->model == FIT_MODEL_NAIVE) {
			rc |= buf_addf(out, "%-11s %2d %9s %7s %4s %9s %9s %6s %7s %8s %9s  %s\n", "naive", 0,
				       "-", "-", "-", "-", "-", "-", "-", "-",
				       num_or_dash(x->has_common, x->common_mae_log10, 4, a, sizeof(a)),
				       "baseline");
			continue;
		}
		if (bt->has_scores && bt->n_interval)
			snprintf(cov, sizeof(cov), "%zu/%zu", bt->n_covered, bt->n_interval);
		rc |= buf_addf(out, "%-11s %2zu %9s %7s %4zu %9s %9s %6s %7s %8s %9s  %s\n",
			       fit_model_name(x->model), x->fit.p,
			       num_or_dash(x->fit.has_aicc && x->fit.aicc_comparable, x->fit.aicc, 5, a, sizeof(a)),
			       num_or_dash(x->has_delta_aicc, x->delta_aicc, 3, b, sizeof(b)),
			       bt->has_scores ? bt->n_origins : 0,
			       num_or_dash(bt->has_scores, bt->mae_log10, 4, c, sizeof(c)),
			       num_or_dash(bt->has_scores, bt->naive_mae_log10, 4, d, sizeof(d)),
			       num_or_dash(bt->has_scores && bt->has_mase, bt->mase, 3, e, sizeof(e)), cov,
			       num_or_dash(bt->has_scores && bt->n_winkler, bt->winkler80, 4, g, sizeof(g)),
			       num_or_dash(x->has_common, x->common_mae_log10, 4, h, sizeof(h)),
			       x->chosen ? "chosen" : x->eligible ? "candidate" : "left out");
		(void)k;
	}
	for (i = 0; i < f->n_candidates; i++) {
		const struct forecast_candidate *x = &f->candidates[i];

		if (!x->eligible && x->model != FIT_MODEL_NAIVE)
			rc |= buf_addf(out, "  %s: %s\n", fit_model_name(x->model), x->reason);
	}
	return rc;
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
	rc |= buf_addf(out, "Model:    %s (%s), as of %s, horizon to %s\n", fit_model_name(f->model),
		       model_description(f->model), f->as_of, f->end_date);
	if (f->selection[0])
		rc |= buf_addf(out, "Choice:   %s\n", f->selection);
	if (f->first_date[0])
		rc |= buf_addf(out, "Data:     n = %zu priced changes, %s .. %s\n", f->n_points,
			       f->first_date, f->last_date);
	else
		rc |= buf_addf(out, "Data:     no priced changes\n");
	rc |= buf_addf(out, "Status:   %s%s%s\n", forecast_status_name(f->status),
		       f->reason[0] ? ": " : "", f->reason);
	if (f->has_factor) {
		if (f->rate_per_year > 0.0)
			rc |= buf_addf(out, "Decline:  %sx per year", forecast_fmt_num(f->factor_per_year, 4, a, sizeof(a)));
		else if (f->rate_per_year < 0.0)
			rc |= buf_addf(out, "Decline:  none: rising %sx per year",
				       forecast_fmt_num(1.0 / f->factor_per_year, 4, a, sizeof(a)));
		else
			rc |= buf_addf(out, "Decline:  none (flat)");
		if (f->has_factor_ci)
			rc |= buf_addf(out, " (90%% CI %sx .. %sx)",
				       forecast_fmt_num(f->factor_ci90_lo, 4, a, sizeof(a)),
				       forecast_fmt_num(f->factor_ci90_hi, 4, b, sizeof(b)));
		if (f->has_half_life) {
			rc |= buf_addf(out, ", half-life %s days (%s months)",
				       forecast_fmt_num(f->half_life_days, 4, a, sizeof(a)),
				       forecast_fmt_num(f->half_life_days / 30.4375, 3, b, sizeof(b)));
			if (f->has_half_life_ci)
				rc |= buf_addf(out, " (90%% CI %s .. %s days)",
					       forecast_fmt_num(f->half_life_ci90_lo, 4, a, sizeof(a)),
					       forecast_fmt_num(f->half_life_ci90_hi, 4, b, sizeof(b)));
		} else if (f->half_life_reason[0] && f->rate_per_year > 0.0) {
			rc |= buf_addf(out, ", half-life: %s", f->half_life_reason);
		}
		rc |= buf_addch(out, '\n');
	}
	if (f->backtest.has_scores)
		rc |= buf_addf(out,
			       "Backtest: %s, %zu origins (one step ahead), MAE log10 %s vs naive %s: %s; "
			       "80%% coverage %zu/%zu\n", fit_model_name(f->model),
			       f->backtest.n_origins,
			       forecast_fmt_num(f->backtest.mae_log10, 4, a, sizeof(a)),
			       forecast_fmt_num(f->backtest.naive_mae_log10, 4, b, sizeof(b)),
			       f->backtest.naive_mae_log10 <= f->backtest.mae_log10 ? "naive wins" : "the model wins",
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
	if (f->n_candidates)
		rc |= render_candidates(f, out);
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

int forecast_render_line_header(struct buf *out)
{
	return buf_addf(out, "%-52s %3s %-17s %-10s %10s %12s  %s\n", "series", "n", "status", "model",
			"factor/yr", "half-life d", "backtest") < 0 ? TT_ENOMEM : 0;
}

int forecast_render_line(const struct forecast *f, struct buf *out)
{
	struct buf key = BUF_INIT;
	char a[48], b[48], bt[160];
	const char *fac = "-", *hl = "-";
	int rc;

	/* a key priced in several currencies is one line per currency: say which when not USD */
	if (series_describe(f->series, &key) < 0 ||
	    (f->series->currency && strcmp(f->series->currency, "USD") &&
	     buf_addf(&key, " (%s)", f->series->currency) < 0)) {
		buf_release(&key);
		return TT_ENOMEM;
	}
	if (f->has_factor)
		fac = forecast_fmt_num(f->factor_per_year, 4, a, sizeof(a));
	if (f->has_half_life)
		hl = forecast_fmt_num(f->half_life_days, 4, b, sizeof(b));
	if (f->n_common)
		snprintf(bt, sizeof(bt), "%s (%zu common origin%s)",
			 f->beats_naive ? fit_model_name(f->model) : "naive", f->n_common,
			 f->n_common == 1 ? "" : "s");
	else
		snprintf(bt, sizeof(bt), "%s", f->status == FORECAST_FREE ? "-" : "not scored");
	rc = buf_addf(out, "%-52s %3zu %-17s %-10s %10s %12s  %s\n", key.buf, f->n_points,
		      forecast_status_name(f->status),
		      f->status == FORECAST_INSUFFICIENT || f->status == FORECAST_FREE ? "-" : fit_model_name(f->model),
		      fac, hl, bt);
	buf_release(&key);
	return rc < 0 ? TT_ENOMEM : 0;
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
	x = json_object_new_object();
	jadd(x, "rule", json_object_new_string(
		"candidates: fitted, identified, with AICc (ln price) and a backtest; chosen: lowest MAE of "
		"log10 error on the backtest origins common to all candidates (ties: fewer parameters, "
		"then AICc); compared with the naive last-price forecast on the same origins"));
	jadd(x, "by", json_object_new_string(f->forced ? "forced" : f->selected_by_backtest ? "backtest"
											    : "default"));
	jadd(x, "n_candidates", json_object_new_int64((int64_t)f->n_eligible));
	jadd(x, "n_common_origins", json_object_new_int64((int64_t)f->n_common));
	jadd(x, "naive_mae_log10", f->n_common ? jnum(f->naive_common_mae_log10, 6) : NULL);
	jadd(x, "chosen_mae_log10", f->candidates[f->chosen].has_common
					    ? jnum(f->candidates[f->chosen].common_mae_log10, 6) : NULL);
	jadd(x, "beats_naive", f->candidates[f->chosen].has_common ? json_object_new_boolean(f->beats_naive)
								   : NULL);
	jadd(x, "text", json_object_new_string(f->selection));
	jadd(o, "selection", x);
	a = json_object_new_array();
	for (i = 0; i < f->n_candidates; i++) {
		const struct forecast_candidate *c = &f->candidates[i];
		const struct fit_backtest *bt = c->chosen ? &f->backtest : &c->bt;
		struct json_object *y;
		size_t j;

		x = json_object_new_object();
		jadd(x, "model", json_object_new_string(fit_model_name(c->model)));
		jadd(x, "chosen", json_object_new_boolean(c->chosen));
		jadd(x, "candidate", json_object_new_boolean(c->eligible));
		jadd(x, "reason", json_object_new_string(c->reason));
		jadd(x, "n_params", json_object_new_int64((int64_t)model_n_params(c->model)));
		if (c->model != FIT_MODEL_NAIVE) {
			jadd(x, "fit_status", json_object_new_string(fit_status_name(c->fit.status)));
			y = json_object_new_object();
			for (j = 0; j < c->fit.p && c->fit.status != FIT_INSUFFICIENT; j++)
				jadd(y, c->fit.par_name[j], jnum(c->fit.par[j], 8));
			jadd(x, "parameters", c->fit.status != FIT_INSUFFICIENT ? y : NULL);
			if (c->fit.status == FIT_INSUFFICIENT)
				json_object_put(y);
			jadd(x, "aicc", c->fit.has_aicc ? jnum(c->fit.aicc, 6) : NULL);
			jadd(x, "aicc_scale", json_object_new_string(
				c->fit.aicc_comparable ? "ln price" : "log increments (not comparable)"));
			jadd(x, "delta_aicc", c->has_delta_aicc ? jnum(c->delta_aicc, 6) : NULL);
			jadd(x, "factor_per_year", c->derived.has_factor ? jnum(c->derived.factor_per_year, 6) : NULL);
			jadd(x, "half_life_days", c->derived.has_half_life ? jnum(c->derived.half_life_days, 6) : NULL);
			if (bt->has_scores) {
				y = json_object_new_object();
				jadd(y, "n_origins", json_object_new_int64((int64_t)bt->n_origins));
				jadd(y, "mae_log10", jnum(bt->mae_log10, 6));
				jadd(y, "naive_mae_log10", jnum(bt->naive_mae_log10, 6));
				jadd(y, "mase", bt->has_mase ? jnum(bt->mase, 6) : NULL);
				jadd(y, "coverage80", bt->n_interval ? jnum(bt->coverage80, 6) : NULL);
				jadd(y, "winkler80_log10", bt->n_winkler ? jnum(bt->winkler80, 6) : NULL);
				jadd(y, "n_unconverged", json_object_new_int64((int64_t)bt->n_unconverged));
				jadd(x, "backtest", y);
			} else {
				jadd(x, "backtest", NULL);
				jadd(x, "backtest_reason", json_object_new_string(bt->reason));
			}
		}
		jadd(x, "common_mae_log10", c->has_common ? jnum(c->common_mae_log10, 6) : NULL);
		json_object_array_add(a, x);
	}
	jadd(o, "candidates", a);

	if (f->candidates[f->chosen].fit.status != FIT_INSUFFICIENT) {
		const struct model_fit *mf = &f->candidates[f->chosen].fit;
		struct json_object *v = json_object_new_object(), *se = json_object_new_object();
		char d0[11];
		size_t j;

		x = json_object_new_object();
		jadd(x, "form", json_object_new_string(model_form(f->model)));
		jadd(x, "reference_date", json_object_new_string(date_format(f->day0, d0)));
		jadd(x, "days_per_year", json_object_new_double_s(FIT_DAYS_PER_YEAR, "365.25"));
		for (j = 0; j < mf->p; j++) {
			jadd(v, mf->par_name[j], jnum(mf->par[j], 10));
			jadd(se, mf->par_name[j], mf->has_interval && mf->has_cov ? jnum(mf->par_se[j], 6) : NULL);
		}
		jadd(x, "values", v);
		jadd(x, "se", se);
		if (f->model == FIT_MODEL_LOGLINEAR) {
			jadd(x, "c0", jnum(f->fit.c0, 10));
			jadd(x, "c1", jnum(f->fit.c1, 10));
			jadd(x, "k_per_year", jnum(f->fit.k, 10));
			jadd(x, "se_c1", f->fit.has_interval ? jnum(sqrt(f->fit.cov11), 6) : NULL);
			jadd(x, "r2", f->fit.n >= 3 && f->fit.r2 > 0.0 ? jnum(f->fit.r2, 6) : NULL);
		}
		jadd(x, "residual_variance", mf->has_interval ? jnum(mf->s2, 6) : NULL);
		jadd(x, "interval_method", json_object_new_string(
			!mf->has_interval ? "unavailable"
			: f->model == FIT_MODEL_LOGLINEAR
				? "OLS prediction interval on ln price, t quantile with n-2 dof, back-transformed at the endpoints (median, not mean)"
			: f->model == FIT_MODEL_RWDRIFT
				? "random walk with drift on ln price: variance sigma^2 (tau + tau^2/T), t quantile with n-2 dof, back-transformed at the endpoints (median)"
				: "delta method on ln price (gradient' C gradient, C scaled by RSS/(n-p)) plus the residual variance, t quantile with n-p dof, back-transformed at the endpoints (median)"));
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
			: f->half_life_reason[0] ? f->half_life_reason
			: f->rate_per_year < 0.0 ? "rising series: no half-life"
						 : "flat series: no decline, no half-life"));
	if (f->has_half_life_ci) {
		a = json_object_new_array();
		json_object_array_add(a, jnum(f->half_life_ci90_lo, 6));
		json_object_array_add(a, jnum(f->half_life_ci90_hi, 6));
		jadd(o, "half_life_days_ci90", a);
	} else {
		jadd(o, "half_life_days_ci90", NULL);
	}

	if (f->backtest.has_scores) {
		x = json_object_new_object();
		jadd(x, "method", json_object_new_string(
			"rolling origin, expanding window, one step ahead; errors are log10(actual/forecast)"));
		jadd(x, "model", json_object_new_string(fit_model_name(f->model)));
		jadd(x, "n_origins", json_object_new_int64((int64_t)f->backtest.n_origins));
		jadd(x, "mae_log10", jnum(f->backtest.mae_log10, 6));
		jadd(x, "naive_mae_log10", jnum(f->backtest.naive_mae_log10, 6));
		jadd(x, "mase", f->backtest.has_mase ? jnum(f->backtest.mase, 6) : NULL);
		jadd(x, "coverage80", f->backtest.n_interval ? jnum(f->backtest.coverage80, 6) : NULL);
		jadd(x, "n_covered80", json_object_new_int64((int64_t)f->backtest.n_covered));
		jadd(x, "n_with_interval", json_object_new_int64((int64_t)f->backtest.n_interval));
		jadd(x, "winkler80_log10", f->backtest.n_winkler ? jnum(f->backtest.winkler80, 6) : NULL);
		jadd(x, "winner", json_object_new_string(
			f->backtest.naive_mae_log10 <= f->backtest.mae_log10 ? "naive" : fit_model_name(f->model)));
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
