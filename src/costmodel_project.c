/*
 * costmodel_project.c - the month-by-month projection of a workload's cost
 * and the date its API bill falls under a share of the engineering cost,
 * for two scenarios: stay on today's model(s), or move to the cheapest
 * member of the capability group as prices change (costmodel.h).
 *
 * The blended price per 1M tokens of the profile's mix is priced exactly on
 * every change date up to as_of (costmodel.c), then handed to the
 * forecasting engine (forecast_run) like any other series; the chosen
 * model's median and 80%/95% bands are evaluated day by day.  All figures
 * from here on are doubles: estimates.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/costmodel.h"

#include "costmodel_int.h"
#include "tokentrend/clock.h"
#include "tokentrend/model.h"
#include "tokentrend/money.h"

#define CM_FAR_DAYS 36525 /* 100 years: "not within the horizon" or "never" */

const char *costmodel_scenario_name(enum costmodel_scenario_kind k)
{
	switch (k) {
	case COSTMODEL_STAY: return "stay";
	case COSTMODEL_CHEAPEST: return "cheapest_in_group";
	case COSTMODEL_N_SCENARIOS: break;
	}
	return "?";
}

/* The price path of a scenario: the chosen model's fit, or flat. */
struct cm_path {
	const struct model_fit *fit; /* NULL when flat */
	int64_t day0;
	double flat_price;
	double anchor;  /* today's observed blend / the fitted median today */
	int has_interval;
};

/* Median and level bounds of the blend (currency per 1M tokens) on day.
 * Returns 0, or < 0 when the value overflows (set to +inf for the caller). */
static int path_at(const struct cm_path *pa, int64_t day, double level, double *med, double *lo,
		   double *hi)
{
	struct fit_band b;
	struct tt_error e = { 0 };

	if (!pa->fit) {
		*med = *lo = *hi = pa->flat_price;
		return 0;
	}
	if (model_band(pa->fit, (double)(day - pa->day0) / FIT_DAYS_PER_YEAR, level, &b, &e) < 0) {
		*med = *lo = *hi = HUGE_VAL;
		return -1;
	}
	*med = b.median * pa->anchor;
	*lo = (b.has_interval ? b.lo : b.median) * pa->anchor;
	*hi = (b.has_interval ? b.hi : b.median) * pa->anchor;
	return 0;
}

/* What the scenario's figures depend on besides the path. */
struct cm_scale {
	int64_t as_of_day;
	double tokens;        /* per month, today */
	double silent;        /* fraction */
	double g_tok, g_eng;  /* ln(1 + growth) per year */
	double eng0;          /* engineering per month today, currency */
	double infra;         /* currency */
	double f;             /* threshold share, fraction */
};

static double years_since(const struct cm_scale *sc, int64_t day)
{
	return (double)(day - sc->as_of_day) / FIT_DAYS_PER_YEAR;
}

static double bill_of(const struct cm_scale *sc, double blend, int64_t day)
{
	return blend * sc->tokens * exp(years_since(sc, day) * sc->g_tok) * (1.0 + sc->silent) / 1e6;
}

static double eng_of(const struct cm_scale *sc, int64_t day)
{
	return sc->eng0 * exp(years_since(sc, day) * sc->g_eng);
}

/* bill / (threshold share x engineering) on day for one of the path's
 * values (which: 0 median, 1 lower 80%, 2 upper 80%). */
static double ratio_at(const struct cm_path *pa, const struct cm_scale *sc, int64_t day, int which)
{
	double v[3], lim = sc->f * eng_of(sc, day);

	if (path_at(pa, day, 0.80, &v[0], &v[1], &v[2]) < 0)
		return HUGE_VAL;
	if (!(lim > 0))
		return v[which] > 0 ? HUGE_VAL : 0.0;
	return bill_of(sc, v[which], day) / lim;
}

/* The crossing of one of the path's values between as_of and end. */
static enum fit_cross_status cross_find(const struct cm_path *pa, const struct cm_scale *sc,
					int64_t end, int which, char date[11])
{
	int64_t d;
	double r_end, r_far;

	date[0] = '\0';
	for (d = sc->as_of_day; d <= end; d++)
		if (ratio_at(pa, sc, d, which) <= 1.0) {
			/* below at the start of day d: it crossed during day d - 1
			 * (the fitted line already under today's value counts from today) */
			date_format(d > sc->as_of_day ? d - 1 : d, date);
			return FIT_CROSS_DATE;
		}
	r_end = ratio_at(pa, sc, end, which);
	r_far = ratio_at(pa, sc, sc->as_of_day + CM_FAR_DAYS, which);
	if (r_far <= 1.0 || (isfinite(r_far) && r_far < r_end * (1.0 - 1e-9)))
		return FIT_CROSS_BEYOND_HORIZON;
	if (pa->fit && pa->fit->model == FIT_MODEL_EXPFLOOR)
		return FIT_CROSS_NEVER_FLOOR;
	return FIT_CROSS_NEVER;
}

/* The series of the blend for the given models, on every change date up to as_of. */
static int blend_series(const struct costmodel *cm, const struct profile_model *models, size_t n,
			struct series *s, const char *prov, const char *model, struct tt_error *err)
{
	struct cm_cands *cands = NULL;
	int64_t *shares = NULL, *days = NULL;
	size_t i, nd = 0;
	int rc;

	rc = cm_models_setup(cm, models, n, &cands, &shares, err);
	if (rc < 0)
		goto out;
	if (cm_change_days(cands, n, cm->as_of_day, &days, &nd) < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
		goto out;
	}
	rc = series_set_key(s, prov, model, "blend", "standard", "", "", "1M tokens", cm->currency,
			    "");
	if (rc < 0)
		goto out;
	for (i = 0; i < nd; i++) {
		struct costmodel_bill b;
		struct tt_error e2 = { 0 };
		char date[11];

		memset(&b, 0, sizeof(b));
		rc = cm_price_day(cm, cands, shares, n, days[i], &b, NULL, &e2);
		if (rc == 0)
			rc = series_add(s, date_format(days[i], date), b.blend_nanos, err);
		costmodel_bill_release(&b);
		if (rc == TT_ENOTFOUND)
			continue;
		if (rc < 0) {
			if (err && e2.code)
				*err = e2;
			goto out;
		}
	}
	rc = 0;
out:
	free(days);
	cm_models_free(cands, shares, n);
	return rc;
}

/* The cheapest member's blend on every change date of any member. */
static int cheapest_series(const struct costmodel *cm, const struct cm_specs *sp, struct series *s,
			   const char *group, struct costmodel_bill *today, char *today_model,
			   size_t today_len, struct tt_error *err)
{
	struct cm_cands *cands = NULL;
	int64_t one = PROFILE_PPB, *days = NULL;
	size_t i, j, nd = 0;
	int rc;

	cands = calloc(sp->n ? sp->n : 1, sizeof(*cands));
	if (!cands)
		return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	for (i = 0; i < sp->n; i++)
		if (cm_cands_for(cm, sp->v[i].provider, sp->v[i].model, &cands[i]) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
			goto out;
		}
	if (cm_change_days(cands, sp->n, cm->as_of_day, &days, &nd) < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
		goto out;
	}
	rc = series_set_key(s, "group", group, "blend", "standard", "", "", "1M tokens",
			    cm->currency, "");
	if (rc < 0)
		goto out;
	for (i = 0; i < nd + 1; i++) {
		int64_t day = i < nd ? days[i] : cm->as_of_day;
		struct costmodel_bill best;
		size_t best_j = 0;
		int have = 0;
		char date[11];

		memset(&best, 0, sizeof(best));
		for (j = 0; j < sp->n; j++) {
			struct costmodel_bill b;
			struct tt_error e2 = { 0 };

			memset(&b, 0, sizeof(b));
			rc = cm_price_day(cm, &cands[j], &one, 1, day, &b, NULL, &e2);
			if (rc == TT_ENOTFOUND) {
				costmodel_bill_release(&b);
				continue;
			}
			if (rc < 0) {
				costmodel_bill_release(&b);
				costmodel_bill_release(&best);
				if (err)
					*err = e2;
				goto out;
			}
			if (!have || b.blend_nanos < best.blend_nanos) {
				costmodel_bill_release(&best);
				best = b;
				best_j = j;
				have = 1;
			} else {
				costmodel_bill_release(&b);
			}
		}
		if (!have)
			continue;
		if (i == nd) {
			/* as_of itself: the bill today */
			*today = best;
			snprintf(today_model, today_len, "%s/%s", sp->v[best_j].provider,
				 sp->v[best_j].model);
			break;
		}
		rc = series_add(s, date_format(day, date), best.blend_nanos, err);
		costmodel_bill_release(&best);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	free(days);
	if (cands)
		for (i = 0; i < sp->n; i++)
			cm_cands_release(&cands[i]);
	free(cands);
	return rc;
}

static int month_days(int64_t as_of, int n_months, int64_t **out, size_t *n)
{
	int64_t y, *d;
	unsigned m, dd;
	int i;

	d = malloc(((size_t)n_months + 1) * sizeof(*d));
	if (!d)
		return TT_ENOMEM;
	date_to_ymd(as_of, &y, &m, &dd);
	d[0] = as_of;
	for (i = 1; i <= n_months; i++) {
		int64_t mm = (int64_t)m - 1 + i;

		d[i] = date_from_ymd(y + mm / 12, (unsigned)(mm % 12) + 1, 1);
	}
	*out = d;
	*n = (size_t)n_months + 1;
	return 0;
}

static void scenario_release(struct costmodel_scenario *sc)
{
	if (sc->has_fc)
		forecast_release(&sc->fc);
	series_release(&sc->series);
	costmodel_bill_release(&sc->today);
	free(sc->months);
	memset(sc, 0, sizeof(*sc));
}

void costmodel_projection_release(struct costmodel_projection *pr)
{
	int i;

	if (!pr)
		return;
	for (i = 0; i < COSTMODEL_N_SCENARIOS; i++)
		scenario_release(&pr->s[i]);
	memset(pr, 0, sizeof(*pr));
}

/* Forecast the scenario's series and fill its months and crossing. */
static int scenario_project(const struct costmodel *cm, const struct costmodel_projection_options *o,
			    const struct cm_scale *scale, const int64_t *days, size_t nd,
			    int64_t threshold_ppb, struct costmodel_scenario *sc, struct tt_error *err)
{
	struct forecast_options fo;
	struct cm_path pa;
	int64_t end = days[nd - 1];
	size_t i;
	int rc;

	memset(&fo, 0, sizeof(fo));
	memset(&pa, 0, sizeof(pa));
	fo.as_of = cm->as_of;
	fo.horizon_days = (int)(end - cm->as_of_day);
	if (fo.horizon_days < 1)
		fo.horizon_days = 1;
	fo.fit = o ? o->fit : NULL;
	rc = forecast_run(&sc->series, &fo, &sc->fc, err);
	sc->has_fc = 1;
	if (rc < 0)
		return rc;
	if (sc->fc.status == FORECAST_OK || sc->fc.status == FORECAST_NO_INTERVAL) {
		pa.fit = &sc->fc.candidates[sc->fc.chosen].fit;
		pa.day0 = sc->fc.day0;
		pa.has_interval = sc->fc.status == FORECAST_OK;
		pa.anchor = 1.0;
		{
			/* anchor the path at today's observed price: a fitted line that
			 * kept falling through months of unchanged prices would start
			 * the projection below what the team pays today */
			double med, lo, hi, today = (double)sc->today.blend_nanos / 1e9;

			if (path_at(&pa, cm->as_of_day, 0.80, &med, &lo, &hi) == 0 && med > 0 &&
			    isfinite(med) && today > 0)
				pa.anchor = today / med;
		}
		sc->anchor = pa.anchor;
	} else {
		sc->flat = 1;
		sc->anchor = 1.0;
		pa.flat_price = (double)sc->today.blend_nanos / 1e9;
		snprintf(sc->reason, sizeof(sc->reason),
			 "%s; the price is held at today's level (no decline assumed)",
			 sc->fc.reason[0] ? sc->fc.reason : "no forecast");
	}
	sc->months = calloc(nd, sizeof(*sc->months));
	if (!sc->months)
		return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	sc->n_months = nd;
	for (i = 0; i < nd; i++) {
		struct costmodel_month *m = &sc->months[i];
		double med, lo, hi;

		date_format(days[i], m->date);
		m->years = years_since(scale, days[i]);
		m->tokens_est = scale->tokens * exp(m->years * scale->g_tok);
		path_at(&pa, days[i], 0.80, &med, &lo, &hi);
		m->blend_est = med;
		m->blend_lo80 = lo;
		m->blend_hi80 = hi;
		path_at(&pa, days[i], 0.95, &med, &lo, &hi);
		m->blend_lo95 = lo;
		m->blend_hi95 = hi;
		m->has_interval = pa.has_interval;
		m->bill_est = bill_of(scale, m->blend_est, days[i]);
		m->bill_lo80 = bill_of(scale, m->blend_lo80, days[i]);
		m->bill_hi80 = bill_of(scale, m->blend_hi80, days[i]);
		m->bill_lo95 = bill_of(scale, m->blend_lo95, days[i]);
		m->bill_hi95 = bill_of(scale, m->blend_hi95, days[i]);
		m->infrastructure = scale->infra;
		m->engineering_est = eng_of(scale, days[i]);
		m->threshold_est = scale->f * m->engineering_est;
		m->total_est = m->bill_est + m->infrastructure + m->engineering_est;
		if (m->engineering_est > 0) {
			m->share_of_engineering = m->bill_est / m->engineering_est;
			m->share_lo80 = m->bill_lo80 / m->engineering_est;
			m->share_hi80 = m->bill_hi80 / m->engineering_est;
		}
		m->share_of_total = m->total_est > 0 ? m->bill_est / m->total_est : 0.0;
	}
	if ((__int128)sc->today.bill_nanos * PROFILE_PPB <=
	    (__int128)threshold_ppb * cm->engineering_nanos) {
		sc->cross.status = sc->cross.early_status = sc->cross.late_status =
			FIT_CROSS_ALREADY_BELOW;
		return 0;
	}
	sc->cross.status = cross_find(&pa, scale, end, 0, sc->cross.date);
	if (pa.has_interval) {
		sc->cross.early_status = cross_find(&pa, scale, end, 1, sc->cross.early);
		sc->cross.late_status = cross_find(&pa, scale, end, 2, sc->cross.late);
	} else {
		sc->cross.early_status = sc->cross.late_status = FIT_CROSS_UNAVAILABLE;
	}
	return 0;
}

int costmodel_project(const struct costmodel *cm, const struct costmodel_projection_options *o,
		      struct costmodel_projection *out, struct tt_error *err)
{
	const struct profile *p = cm->p;
	struct cm_scale scale;
	struct cm_specs sp;
	int64_t *days = NULL, threshold_ppb;
	size_t nd = 0;
	int horizon = o && o->horizon_months ? o->horizon_months : COSTMODEL_DEFAULT_HORIZON_MONTHS;
	const char *group = o && o->group ? o->group : p->group;
	int rc, k;

	memset(out, 0, sizeof(*out));
	memset(&sp, 0, sizeof(sp));
	if (horizon < 1 || horizon > COSTMODEL_MAX_HORIZON_MONTHS)
		return tt_set_error(err, TT_EINVAL, "horizon of %d months is not in 1..%d", horizon,
				    COSTMODEL_MAX_HORIZON_MONTHS);
	threshold_ppb = o && o->threshold_ppb ? o->threshold_ppb : p->threshold_share;
	if (threshold_ppb <= 0 || threshold_ppb > PROFILE_PPB)
		return tt_set_error(err, TT_EINVAL, "threshold share must be in (0, 100%%]");
	memcpy(out->as_of, cm->as_of, sizeof(out->as_of));
	memcpy(out->currency, cm->currency, sizeof(out->currency));
	out->horizon_months = horizon;
	out->threshold_ppb = threshold_ppb;
	for (k = 0; k < COSTMODEL_N_SCENARIOS; k++)
		out->s[k].kind = (enum costmodel_scenario_kind)k;

	if (month_days(cm->as_of_day, horizon, &days, &nd) < 0)
		return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	date_format(days[nd - 1], out->end);

	memset(&scale, 0, sizeof(scale));
	scale.as_of_day = cm->as_of_day;
	scale.tokens = (double)profile_tokens_total(p);
	scale.silent = profile_share_value(p->silent_share);
	scale.g_tok = log1p(profile_share_value(p->token_growth));
	scale.g_eng = log1p(profile_share_value(p->engineering_growth));
	scale.eng0 = (double)cm->engineering_nanos / 1e9;
	scale.infra = (double)cm->infrastructure_nanos / 1e9;
	scale.f = profile_share_value(threshold_ppb);

	/* stay on today's model(s) */
	{
		struct costmodel_scenario *sc = &out->s[COSTMODEL_STAY];
		char prov[160], model[160];

		if (p->n_models == 1) {
			snprintf(prov, sizeof(prov), "%s", p->models[0].provider);
			snprintf(model, sizeof(model), "%s", p->models[0].model);
			snprintf(sc->label, sizeof(sc->label), "stay on %s/%s", prov, model);
		} else {
			snprintf(prov, sizeof(prov), "blend");
			snprintf(model, sizeof(model), "%zu models", p->n_models);
			snprintf(sc->label, sizeof(sc->label), "stay on the profile's %zu models",
				 p->n_models);
		}
		rc = costmodel_price(cm, NULL, 0, NULL, &sc->today, err);
		if (rc < 0)
			goto out;
		rc = blend_series(cm, p->models, p->n_models, &sc->series, prov, model, err);
		if (rc < 0)
			goto out;
		rc = scenario_project(cm, o, &scale, days, nd, threshold_ppb, sc, err);
		if (rc < 0)
			goto out;
		sc->available = 1;
	}

	/* move to the cheapest member of the capability group */
	{
		struct costmodel_scenario *sc = &out->s[COSTMODEL_CHEAPEST];
		const char *specs[1];
		struct tt_error e2 = { 0 };

		if (!group && cm->cat && p->n_models) {
			const struct models_group *g[1];
			const char *id = models_canonical(cm->cat, p->models[0].provider,
							  p->models[0].model);

			if (models_groups_of(cm->cat, id, g, 1) > 0)
				group = g[0]->name;
		}
		if (!group || !cm->cat) {
			snprintf(sc->reason, sizeof(sc->reason),
				 "no capability group: the model is in no catalog group and the "
				 "profile names none (`group = NAME`)");
			snprintf(sc->label, sizeof(sc->label), "cheapest of its group");
			rc = 0;
			goto out;
		}
		snprintf(sc->label, sizeof(sc->label), "cheapest of %s", group);
		if (!models_group_find(cm->cat, group)) {
			snprintf(sc->reason, sizeof(sc->reason),
				 "no group '%s' in the model catalog", group);
			rc = 0;
			goto out;
		}
		specs[0] = group;
		rc = cm_specs_resolve(cm, specs, 1, &sp, &e2);
		if (rc == 0)
			rc = cheapest_series(cm, &sp, &sc->series, group, &sc->today, sc->today_model,
					     sizeof(sc->today_model), &e2);
		if (rc == TT_ENOMEM) {
			if (err)
				*err = e2;
			goto out;
		}
		if (rc < 0 || !sc->today.label) {
			snprintf(sc->reason, sizeof(sc->reason), "%s",
				 rc < 0 ? e2.msg : "no member of the group has prices for every "
						   "dimension of the profile on the as-of date");
			rc = 0;
			goto out;
		}
		snprintf(sc->label, sizeof(sc->label), "cheapest of %s (on %s: %s)", group, cm->as_of,
			 sc->today_model);
		rc = scenario_project(cm, o, &scale, days, nd, threshold_ppb, sc, err);
		if (rc < 0)
			goto out;
		sc->available = 1;
	}
	rc = 0;
out:
	for (k = 0; k < COSTMODEL_N_SCENARIOS; k++) {
		struct costmodel_scenario *sc = &out->s[k];
		double denom = scale.tokens * (1.0 + scale.silent);

		sc->p_star_est = denom > 0 ? scale.f * scale.eng0 * 1e6 / denom : 0.0;
	}
	cm_specs_release(&sp);
	free(days);
	return rc;
}
