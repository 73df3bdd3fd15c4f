/*
 * forecast.c - one series in, one forecast out: fit every decline model,
 * backtest each against the naive last-price forecast, choose one by the
 * rule of forecast.h, project monthly points with 80%/95% prediction
 * intervals, derive the rate, half-life and target crossing.  Rendering
 * (table, JSON, one line per series) is in forecast_render.c.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/forecast.h"

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

int forecast_parse_fit(const char *name, int *forced, enum fit_model *m)
{
	size_t i;

	*forced = 0;
	*m = FIT_MODEL_LOGLINEAR;
	if (!name || !strcmp(name, "auto"))
		return 0;
	for (i = 0; i < MODEL_N_CANDIDATES; i++) {
		if (!strcmp(name, fit_model_name(model_candidates[i]))) {
			*forced = 1;
			*m = model_candidates[i];
			return 0;
		}
	}
	return TT_EINVAL;
}

void forecast_release(struct forecast *f)
{
	size_t i;

	if (!f)
		return;
	free(f->points);
	f->points = NULL;
	f->n_proj = 0;
	fit_backtest_release(&f->backtest);
	for (i = 0; i < FORECAST_N_CANDIDATES; i++)
		fit_backtest_release(&f->candidates[i].bt);
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

static const struct model_fit *chosen_fit(const struct forecast *f)
{
	return &f->candidates[f->chosen].fit;
}

static int forecast_add_point(struct forecast *f, int64_t day, size_t *alloc, struct tt_error *err)
{
	struct fit_band b80, b95, ba;
	struct forecast_point *p;
	double t = forecast_t(f, day);
	size_t i;
	int rc;

	rc = model_band(chosen_fit(f), t, 0.80, &b80, err);
	if (rc == 0)
		rc = model_band(chosen_fit(f), t, 0.95, &b95, err);
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
	memset(p, 0, sizeof(*p));
	p->day = day;
	date_format(day, p->date);
	p->median = b80.median;
	p->lo80 = b80.lo;
	p->hi80 = b80.hi;
	p->lo95 = b95.lo;
	p->hi95 = b95.hi;
	p->has_interval = b80.has_interval;
	for (i = 0; i < f->n_candidates; i++) {
		if (!f->candidates[i].drawn)
			continue;
		if (model_band(&f->candidates[i].fit, t, 0.80, &ba, NULL) == 0)
			p->alt[i] = ba.median;
		else
			f->candidates[i].drawn = 0; /* leaves the range of a double: stop drawing it */
	}
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
		fit_note_add(f->notes, sizeof(f->notes),
			     "the projection stops after %s: later values leave the range of a double", last);
		rc = 0;
	}
	return rc;
}

/* ---- selection ---- */

/* Why c is not a candidate ("" when it is). */
static void candidate_verdict(struct forecast_candidate *c, char *why, size_t size)
{
	const struct model_fit *mf = &c->fit;
	size_t k = mf->p + 1;

	why[0] = '\0';
	if (mf->status == FIT_INSUFFICIENT) {
		snprintf(why, size, "%s", mf->reason[0] ? mf->reason : "insufficient data");
	} else if (mf->status == FIT_TWO_POINTS) {
		snprintf(why, size, "two priced points: a rate but no interval, AICc or backtest");
	} else if (!mf->converged) {
		snprintf(why, size, "the fit did not converge (%s)", mf->reason);
	} else if (mf->poorly_identified) {
		snprintf(why, size, "%s", mf->reason);
	} else if (!mf->has_aicc) {
		if (mf->model == FIT_MODEL_RWDRIFT)
			snprintf(why, size, "too few points for AICc: %zu increments, %zu needed (k = 2 with sigma^2)",
				 mf->n ? mf->n - 1 : 0, k + 2);
		else if (!(mf->rss > 0.0))
			snprintf(why, size, "zero residual: AICc undefined (%s)", mf->reason);
		else
			snprintf(why, size, "too few points for AICc: n = %zu, %zu needed (k = %zu with sigma^2)",
				 mf->n, k + 2, k);
	} else if (!c->bt.has_scores) {
		snprintf(why, size, "%s", c->bt.reason);
	}
}

/* Does candidate c have a backtest origin at training size k? */
static const struct fit_backtest_origin *origin_at(const struct fit_backtest *bt, size_t k)
{
	size_t i;

	for (i = 0; i < bt->n_origins; i++)
		if (bt->origins[i].k == k)
			return &bt->origins[i];
	return NULL;
}

static void forecast_select(struct forecast *f, size_t np, int forced, enum fit_model forced_model)
{
	struct forecast_candidate *c = f->candidates, *best = NULL;
	size_t i, k, k0 = 0, n_comm = 0, nm = MODEL_N_CANDIDATES;
	double naive_sum = 0.0, min_aicc = 0.0, sums[FORECAST_N_CANDIDATES] = { 0 };
	char why[400], a[48], b[48];
	int have_min = 0;

	/* candidates and the comparable AICc minimum */
	for (i = 0; i < nm; i++) {
		candidate_verdict(&c[i], why, sizeof(why));
		c[i].eligible = !why[0];
		if (!c[i].eligible)
			snprintf(c[i].reason, sizeof(c[i].reason), "not a candidate: %s", why);
		else
			f->n_eligible++;
		if (c[i].fit.has_aicc && c[i].fit.aicc_comparable && c[i].fit.status != FIT_TWO_POINTS &&
		    (!have_min || c[i].fit.aicc < min_aicc)) {
			min_aicc = c[i].fit.aicc;
			have_min = 1;
		}
		if (c[i].eligible && model_min_train(c[i].model) > k0)
			k0 = model_min_train(c[i].model);
	}
	for (i = 0; i < nm; i++) {
		if (c[i].fit.has_aicc && c[i].fit.aicc_comparable && have_min) {
			c[i].has_delta_aicc = 1;
			c[i].delta_aicc = c[i].fit.aicc - min_aicc;
		}
	}

	/* the common origins: every candidate forecast there */
	if (f->n_eligible) {
		for (k = k0; k < np; k++) {
			const struct fit_backtest_origin *o = NULL;
			int all = 1;

			for (i = 0; i < nm && all; i++) {
				if (!c[i].eligible)
					continue;
				o = origin_at(&c[i].bt, k);
				all = o != NULL;
			}
			if (!all || !o)
				continue;
			for (i = 0; i < nm; i++)
				if (c[i].eligible)
					sums[i] += fabs(origin_at(&c[i].bt, k)->err_log10);
			naive_sum += fabs(o->naive_err_log10);
			n_comm++;
		}
	}
	f->n_common = n_comm;
	if (n_comm) {
		f->naive_common_mae_log10 = naive_sum / (double)n_comm;
		for (i = 0; i < nm; i++) {
			if (!c[i].eligible)
				continue;
			c[i].has_common = 1;
			c[i].common_mae_log10 = sums[i] / (double)n_comm;
			if (!best || c[i].common_mae_log10 < best->common_mae_log10 - 1e-12 ||
			    (fabs(c[i].common_mae_log10 - best->common_mae_log10) <= 1e-12 &&
			     (c[i].fit.p < best->fit.p ||
			      (c[i].fit.p == best->fit.p && c[i].fit.aicc_comparable &&
			       best->fit.aicc_comparable && c[i].fit.aicc < best->fit.aicc))))
				best = &c[i];
		}
	}
	/* naive: the baseline row */
	c[nm].has_common = n_comm > 0;
	c[nm].common_mae_log10 = f->naive_common_mae_log10;

	if (forced) {
		for (i = 0; i < nm; i++)
			if (c[i].model == forced_model)
				f->chosen = i;
		f->forced = 1;
		snprintf(f->selection, sizeof(f->selection), "%s forced by --fit",
			 fit_model_name(forced_model));
	} else if (best) {
		f->chosen = (size_t)(best - c);
		f->selected_by_backtest = 1;
		snprintf(f->selection, sizeof(f->selection),
			 "%s chosen: lowest backtest error among %zu candidate%s on %zu common origin%s (MAE log10 %s)",
			 fit_model_name(best->model), f->n_eligible, f->n_eligible == 1 ? "" : "s", n_comm,
			 n_comm == 1 ? "" : "s", forecast_fmt_num(best->common_mae_log10, 4, a, sizeof(a)));
	} else {
		f->chosen = 0; /* loglinear */
		snprintf(f->selection, sizeof(f->selection),
			 "no model could be scored (%s): the log-linear fit is shown as an unvalidated default",
			 f->n_eligible ? "no common backtest origin"
				       : np < 5 ? "fewer than 5 priced changes: too few for AICc and a backtest"
						: "see each model's reason");
	}
	if (n_comm && c[f->chosen].has_common) {
		const struct forecast_candidate *ch = &c[f->chosen];

		f->beats_naive = ch->common_mae_log10 < f->naive_common_mae_log10;
		if (f->beats_naive)
			fit_note_add(f->selection, sizeof(f->selection),
				     "it beats the naive last-price forecast (naive MAE log10 %s)",
				     forecast_fmt_num(f->naive_common_mae_log10, 4, a, sizeof(a)));
		else if (f->selected_by_backtest)
			fit_note_add(f->selection, sizeof(f->selection),
				     "no model beats the naive last-price forecast on the backtest (naive MAE "
				     "log10 %s vs %s %s): the price staying where it was predicted the past better",
				     forecast_fmt_num(f->naive_common_mae_log10, 4, a, sizeof(a)),
				     fit_model_name(ch->model),
				     forecast_fmt_num(ch->common_mae_log10, 4, b, sizeof(b)));
		else
			fit_note_add(f->selection, sizeof(f->selection),
				     "%s does not beat the naive last-price forecast on the backtest (naive MAE "
				     "log10 %s vs %s)", fit_model_name(ch->model),
				     forecast_fmt_num(f->naive_common_mae_log10, 4, a, sizeof(a)),
				     forecast_fmt_num(ch->common_mae_log10, 4, b, sizeof(b)));
	}
	for (i = 0; i < nm; i++) {
		c[i].chosen = i == f->chosen;
		if (c[i].chosen) {
			char prev[sizeof(c[i].reason)];

			snprintf(prev, sizeof(prev), "%s", c[i].reason);
			snprintf(c[i].reason, sizeof(c[i].reason), "chosen: %s%s%s", f->selection,
				 prev[0] ? "; " : "", prev);
		} else if (c[i].eligible) {
			c[i].drawn = 1;
			snprintf(c[i].reason, sizeof(c[i].reason),
				 "candidate, not chosen: common-origin MAE log10 %s vs %s for %s",
				 forecast_fmt_num(c[i].common_mae_log10, 4, a, sizeof(a)),
				 forecast_fmt_num(c[f->chosen].common_mae_log10, 4, b, sizeof(b)),
				 fit_model_name(c[f->chosen].model));
		}
	}
	snprintf(c[nm].reason, sizeof(c[nm].reason),
		 "baseline: the price stays at its last value (no trend, no interval)%s",
		 n_comm ? ", scored on the common origins" : "");
}

/* Fit, backtest and derive every model on the priced points. */
static int forecast_fit_all(struct forecast *f, const double *tp, const double *pp, size_t np,
			    struct tt_error *err)
{
	struct forecast_candidate *c;
	size_t i;
	int rc;

	f->n_candidates = FORECAST_N_CANDIDATES;
	for (i = 0; i < MODEL_N_CANDIDATES; i++) {
		c = &f->candidates[i];
		c->model = model_candidates[i];
		rc = model_fit(c->model, tp, pp, np, &c->fit, err);
		if (rc < 0)
			return rc;
		model_derive(&c->fit, 0.90, &c->derived);
		rc = model_backtest(c->model, tp, pp, np, 0, &c->bt, err);
		if (rc < 0)
			return rc;
	}
	c = &f->candidates[MODEL_N_CANDIDATES];
	c->model = FIT_MODEL_NAIVE;
	c->fit.model = FIT_MODEL_NAIVE;
	c->fit.status = FIT_INSUFFICIENT;
	return 0;
}

int forecast_run(const struct series *s, const struct forecast_options *o, struct forecast *out,
		 struct tt_error *err)
{
	double *t = NULL, *p = NULL, *tp = NULL, *pp = NULL;
	int64_t as_of_day, first_day = 0, last_day = 0, end, base;
	size_t i, np = 0;
	int rc = TT_EINVAL, have_first = 0, forced = 0;
	enum fit_model forced_model = FIT_MODEL_LOGLINEAR;
	struct forecast_candidate *ch;
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
	if (forecast_parse_fit(o->fit, &forced, &forced_model) < 0)
		return tt_set_error(err, TT_EINVAL,
				    "forecast: unknown model '%s' (expected auto, loglinear, rwdrift, harmonic, hyperbolic or expfloor)",
				    o->fit);
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
		fit_note_add(out->notes, sizeof(out->notes), "%s", s->note);

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
		fit_note_add(out->notes, sizeof(out->notes),
			     "%zu zero price%s excluded from the log fit",
			     out->n_zero, out->n_zero == 1 ? "" : "s");
	base = as_of_day > last_day ? as_of_day : last_day;
	end = base + out->horizon_days;
	date_format(end, out->end_date);

	rc = forecast_fit_all(out, tp, pp, np, err);
	if (rc < 0)
		goto out;
	forecast_select(out, np, forced, forced_model);
	ch = &out->candidates[out->chosen];
	out->model = ch->model;

	/* the chosen model's backtest moves to out->backtest; the others'
	 * origins are not needed once they are scored */
	out->backtest = ch->bt;
	ch->bt.origins = NULL;
	for (i = 0; i < FORECAST_N_CANDIDATES; i++) {
		free(out->candidates[i].bt.origins);
		out->candidates[i].bt.origins = NULL;
	}

	if (ch->derived.has_factor) {
		out->has_factor = 1;
		out->factor_per_year = ch->derived.factor_per_year;
		out->rate_per_year = ch->derived.rate_per_year;
		out->has_factor_ci = ch->derived.has_factor_ci;
		out->factor_ci90_lo = ch->derived.factor_lo;
		out->factor_ci90_hi = ch->derived.factor_hi;
		out->has_half_life = ch->derived.has_half_life;
		out->half_life_days = ch->derived.half_life_days;
		out->has_half_life_ci = ch->derived.has_half_life_ci;
		out->half_life_ci90_lo = ch->derived.half_life_lo;
		out->half_life_ci90_hi = ch->derived.half_life_hi;
	}
	snprintf(out->half_life_reason, sizeof(out->half_life_reason), "%s",
		 ch->derived.half_life_reason);

	free_since = series_free_since(s);
	if (free_since) {
		out->status = FORECAST_FREE;
		out->has_factor = out->has_factor_ci = out->has_half_life = out->has_half_life_ci = 0;
		snprintf(out->free_since, sizeof(out->free_since), "%s", free_since);
		fit_note_add(out->reason, sizeof(out->reason),
			     "free since %s: the price is 0, so there is no decline left to forecast", free_since);
		if (np < FIT_MIN_POINTS_INTERVAL)
			fit_note_add(out->reason, sizeof(out->reason),
				     "insufficient data: %zu priced change%s before it (%d are needed for intervals)",
				     np, np == 1 ? "" : "s", FIT_MIN_POINTS_INTERVAL);
		if (o->has_target)
			out->cross_median.status = out->cross_early.status = out->cross_late.status =
				FIT_CROSS_ALREADY_BELOW;
		for (i = 0; i < FORECAST_N_CANDIDATES; i++)
			out->candidates[i].drawn = 0;
		rc = 0;
		goto out;
	}

	switch (ch->fit.status) {
	case FIT_OK:
		out->status = FORECAST_OK;
		break;
	case FIT_NO_INTERVAL:
		out->status = FORECAST_NO_INTERVAL;
		fit_note_add(out->reason, sizeof(out->reason),
			     "%s; the median is projected without intervals",
			     ch->fit.reason);
		break;
	case FIT_TWO_POINTS:
	case FIT_INSUFFICIENT:
		out->status = FORECAST_INSUFFICIENT;
		if (out->forced && np >= FIT_MIN_POINTS_INTERVAL)
			fit_note_add(out->reason, sizeof(out->reason), "%s cannot be fitted: %s",
				     fit_model_name(ch->model), ch->fit.reason);
		else
			fit_note_add(out->reason, sizeof(out->reason),
				     "insufficient data: %zu priced change%s; %d are needed for a forecast with intervals",
				     np, np == 1 ? "" : "s", FIT_MIN_POINTS_INTERVAL);
		if (np == 1) {
			/* A list price that never changed: the observed decline is 0
			 * (case 20 b), though there is nothing to fit. */
			fit_note_add(out->reason, sizeof(out->reason),
				     "the price has not changed since %s: no decline observed", out->first_date);
			out->has_factor = 1;
			out->factor_per_year = 1.0;
			out->rate_per_year = 0.0;
			snprintf(out->half_life_reason, sizeof(out->half_life_reason),
				 "flat series: no decline, no half-life");
		}
		break;
	}
	if (out->status == FORECAST_INSUFFICIENT)
		for (i = 0; i < FORECAST_N_CANDIDATES; i++)
			out->candidates[i].drawn = 0;

	if (out->status == FORECAST_OK || out->status == FORECAST_NO_INTERVAL) {
		rc = forecast_project(out, last_day, end, err);
		if (rc < 0)
			goto out;
	}

	if (o->has_target) {
		if (ch->fit.status == FIT_INSUFFICIENT) {
			out->cross_median.status = out->cross_early.status = out->cross_late.status =
				FIT_CROSS_UNAVAILABLE;
		} else {
			rc = model_crossing(&ch->fit, o->target, forecast_t(out, last_day),
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
