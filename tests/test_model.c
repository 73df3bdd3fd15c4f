/*
 * test_model.c - the candidate models against FORECASTING.md's test
 * vectors: TV1 (two-point rate), TV2 (bill-share crossing dates), TV3
 * (annualising), TV4 (loglinear intervals through the generic delta-method
 * path), TV5 (AICc, Jacobian term), TV6 (backtest through model_backtest),
 * TV7 (Arps closed forms), TV11 (metric toys), TV13 (random-walk interval
 * width); analytic Jacobians against finite differences; nonlinear fits
 * recovering known curves; and case 20 of ../shared/cases with rising and
 * too-short series (no NaN or inf anywhere).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/model.h"
#include "tokentrend/nls.h"
#include "tt_epoch.h"

/* ---- TV1 and TV2 ---- */
struct tv2_case {
	double target;
	double years;      /* from the last point; < 0: already below */
	const char *date;
};

static const struct tv2_case tv2_cases[] = {
	{ 0.001, 5.913665, "2032-04-29" },       /* TV1: $0.15 -> $0.001 */
	{ 0.015, 2.717563, "2029-02-17" },       /* TV2: 1% of $15,000/mo over 10B tokens */
	{ 0.0110225, 3.081203, "2029-06-30" },   /* TV2: BLS median wage */
	{ 0.15, -1, NULL },                      /* p_now <= P*: already below */
	{ 0.20, -1, NULL },
};

static void test_tv1_tv2_two_point(void **state)
{
	const double t[] = { 0.0, 1.0 }, p[] = { 0.35, 0.15 };
	enum fit_model ms[] = { FIT_MODEL_LOGLINEAR, FIT_MODEL_RWDRIFT };
	struct model_fit f;
	struct model_derived d;
	struct fit_crossing c;
	struct tt_error err = { 0 };
	char date[11];
	size_t i, j;

	(void)state;
	for (j = 0; j < TT_ARRAY_SIZE(ms); j++) {
		assert_int_equal(model_fit(ms[j], t, p, 2, &f, &err), 0);
		assert_int_equal(f.status, FIT_TWO_POINTS);
		model_derive(&f, 0.90, &d);
		assert_true(d.has_factor);
		assert_rel(d.factor_per_year, 7.0 / 3.0, 1e-9);
		assert_rel(d.rate_per_year, 0.847298, 1e-6);
		assert_false(d.has_factor_ci);
		assert_true(d.has_half_life);
		assert_rel(d.half_life_days, 298.80, 1e-4);
		assert_rel(d.half_life_days / 30.4375, 9.8168, 1e-4);
		for (i = 0; i < TT_ARRAY_SIZE(tv2_cases); i++) {
			const struct tv2_case *tc = &tv2_cases[i];

			assert_int_equal(model_crossing(&f, tc->target, 1.0, 30.0, 0.80, &c, &err), 0);
			if (tc->years < 0) {
				assert_int_equal(c.median_status, FIT_CROSS_ALREADY_BELOW);
				continue;
			}
			assert_int_equal(c.median_status, FIT_CROSS_DATE);
			assert_rel(c.median_t - 1.0, tc->years, 1e-6);
			date_at(day_of("2026-06-01"), c.median_t - 1.0, FIT_DAYS_PER_YEAR, date);
			assert_string_equal(date, tc->date);
			assert_int_equal(c.early_status, FIT_CROSS_UNAVAILABLE);
		}
		/* not within a 2-year horizon */
		assert_int_equal(model_crossing(&f, 0.001, 1.0, 3.0, 0.80, &c, &err), 0);
		assert_int_equal(c.median_status, FIT_CROSS_BEYOND_HORIZON);
	}
	/* 10x decline takes ln10/k years */
	assert_rel(M_LN10 / 0.847298, 2.717563, 1e-6);
}

/* ---- TV3 ---- */
static const struct {
	double ratio, years, factor;
} tv3_cases[] = {
	{ 1000.0, 3.0, 10.000 },
	{ 20.0 / 0.07, 23.0 / 12.0, 19.114 },
	{ 20.0 / 0.07, 18.0 / 12.0, 43.380 },
	{ 200.0, 0, 51.078 }, /* GPT-4 $30 (2023-03-14) -> 4o-mini $0.15 (2024-07-18) */
	{ 45.0 / 10.0, 0, 3.631 }, /* 2023-03-14 -> 2024-05-13 */
	{ 2.0 / 0.5, 0, 4.749 }, /* 2023-03-06 -> 2024-01-25 */
	{ 3.0, 0, 4.088 }, /* 2021-11-20 -> 2022-09-01 */
};

static const char *tv3_dates[][2] = {
	{ NULL, NULL }, { NULL, NULL }, { NULL, NULL },
	{ "2023-03-14", "2024-07-18" }, { "2023-03-14", "2024-05-13" },
	{ "2023-03-06", "2024-01-25" }, { "2021-11-20", "2022-09-01" },
};

static void test_tv3_annualise(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(tv3_cases); i++) {
		double years = tv3_cases[i].years;

		if (tv3_dates[i][0])
			years = (double)(day_of(tv3_dates[i][1]) - day_of(tv3_dates[i][0])) / 365.25;
		assert_rel(model_annualise(tv3_cases[i].ratio, years), tv3_cases[i].factor, 1e-4);
	}
}

/* ---- TV4, TV5, TV6 on Epoch's MMLU series (tv4_data: tt_epoch.h) ---- */
static void test_tv4_tv5_loglinear(void **state)
{
	double t[TV4_N], p[TV4_N], x, sum_ln = 0.0, a;
	struct model_fit f;
	struct model_derived d;
	struct fit_band b;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	tv4_arrays(t, p);
	assert_int_equal(model_fit(FIT_MODEL_LOGLINEAR, t, p, TV4_N, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	x = (double)(day_of("2025-10-03") - day_of("2021-11-20")) / 365.0;
	assert_int_equal(model_band(&f, x, 0.80, &b, &err), 0);
	assert_abs(b.median, 0.004304, 6e-7);
	assert_abs(b.lo, 0.001673, 6e-7);
	assert_abs(b.hi, 0.011068, 6e-7);
	assert_abs(b.se_log / M_LN10, 0.289931, 1e-6);
	assert_int_equal(model_band(&f, x, 0.95, &b, &err), 0);
	assert_abs(b.lo, 0.000888, 6e-7);
	assert_abs(b.hi, 0.020866, 6e-7);
	model_derive(&f, 0.90, &d);
	assert_rel(d.factor_per_year, 11.772873, 1e-6);
	assert_rel(d.factor_lo, 8.287355, 1e-6);
	assert_rel(d.factor_hi, 16.724340, 1e-6);
	assert_true(d.has_half_life_ci);
	assert_true(d.half_life_lo < d.half_life_days && d.half_life_days < d.half_life_hi);

	/* TV5: AICc on ln price, k counts sigma^2 */
	assert_rel(f.rss, 1.914353, 1e-6);
	assert_true(f.has_aicc && f.aicc_comparable);
	assert_abs(f.aicc, -3.1306, 1e-3);
	assert_int_equal(model_aicc(1.914353, 9, 3, 0.0, &a), 0);
	assert_abs(a, -3.1306, 1e-3);
	assert_int_equal(model_aicc(1.460812, 9, 4, 0.0, &a), 0);
	assert_abs(a, 1.6359, 1e-3);                /* AICc prefers the linear model */
	assert_abs(a - 2.0 * 4.0 * 5.0 / 4.0, -8.3641, 1e-3); /* AIC slightly prefers the quadratic */
	for (i = 0; i < TV4_N; i++)
		sum_ln += log(p[i]);
	assert_abs(sum_ln, -3.933827, 1e-6);
	/* the Jacobian term for a fit on raw prices */
	assert_int_equal(model_aicc(1.914353, 9, 3, sum_ln, &a), 0);
	assert_abs(a, -3.1306 + 2.0 * 3.933827, 1e-3);
	/* too few points for AICc: n - k - 1 < 1 */
	assert_int_equal(model_aicc(1.0, 4, 3, 0.0, &a), -1);
}

static const struct {
	size_t k;
	double forecast, err_log10, lo80, hi80;
} tv6_rows[] = {
	{ 3, 1.15559, -0.3146, 0.02748, 48.59898 }, { 4, 0.25836, -0.1112, 0.04627, 1.44263 },
	{ 5, 0.07585, +0.2340, 0.02336, 0.24628 }, { 6, 0.04471, +0.3496, 0.01676, 0.11930 },
	{ 7, 0.03855, +0.3171, 0.01494, 0.09949 }, { 8, 0.04563, +0.1859, 0.01852, 0.11238 },
};

static void test_tv6_backtest(void **state)
{
	double t[TV4_N], p[TV4_N], scale = 0.0;
	struct fit_backtest bt = FIT_BACKTEST_INIT;
	struct tt_error err = { 0 };
	size_t i, m;

	(void)state;
	tv4_arrays(t, p);
	assert_int_equal(model_backtest(FIT_MODEL_LOGLINEAR, t, p, TV4_N, 3, &bt, &err), 0);
	assert_int_equal(bt.has_scores, 1);
	assert_int_equal(bt.n_origins, 6);
	for (i = 0; i < bt.n_origins; i++) {
		assert_int_equal(bt.origins[i].k, tv6_rows[i].k);
		assert_rel(bt.origins[i].forecast, tv6_rows[i].forecast, 1e-4);
		assert_abs(bt.origins[i].err_log10, tv6_rows[i].err_log10, 1e-4);
		assert_rel(bt.origins[i].lo80, tv6_rows[i].lo80, 2e-4);
		assert_rel(bt.origins[i].hi80, tv6_rows[i].hi80, 1e-4);
	}
	assert_abs(bt.mae_log10, 0.2520, 1e-4);
	assert_abs(bt.naive_mae_log10, 0.2427, 1e-4);
	assert_rel(bt.coverage80, 1.0, 1e-12);
	for (i = 1; i < TV4_N; i++)
		scale += fabs(log10(p[i] / p[i - 1]));
	scale /= (double)(TV4_N - 1);
	assert_true(bt.has_mase);
	assert_rel(bt.mase, bt.mae_log10 / scale, 1e-12);
	assert_int_equal(bt.n_winkler, 6);
	assert_true(bt.winkler80 > 0.0 && isfinite(bt.winkler80));
	fit_backtest_release(&bt);

	/* every model backtests TV4 with finite scores */
	for (m = 0; m < MODEL_N_CANDIDATES; m++) {
		assert_int_equal(model_backtest(model_candidates[m], t, p, TV4_N, 0, &bt, &err), 0);
		assert_true(bt.has_scores);
		assert_int_equal(bt.n_origins + bt.n_skipped, TV4_N - model_min_train(model_candidates[m]));
		assert_true(isfinite(bt.mae_log10) && isfinite(bt.naive_mae_log10) && isfinite(bt.winkler80));
		fit_backtest_release(&bt);
	}
}

/* ---- TV7: Arps closed forms ---- */
static void test_tv7_arps(void **state)
{
	(void)state;
	assert_rel(model_arps_rate(30, 1.5, 0.5, 1), 9.795918367, 1e-9);
	assert_rel(model_arps_rate(30, 1.5, 0.5, 2), 4.8, 1e-9);
	assert_rel(model_arps_rate(30, 1.5, 0.0, 1), 6.693904804, 1e-9);
	assert_rel(model_arps_rate(30, 1.5, 1.0, 1), 12.0, 1e-9);
	assert_rel(model_arps_time_to(30, 1.5, 0.5, 0.3), 12.0, 1e-9);
	assert_rel(model_arps_time_to(30, 1.5, 0.0, 0.3), 3.070113457, 1e-9);
	assert_rel(model_arps_time_to(30, 1.5, 1.0, 0.3), 66.0, 1e-9);
	assert_rel(model_arps_decline(1.5, 0.5, 2), 0.6, 1e-9);
	assert_rel(model_arps_decline(1.5, 0.5, 10), 0.176470588, 1e-8);
	assert_true(model_arps_time_to(30, 1.5, 0.5, 31) < 0);
	/* effective 57.142857%/yr is nominal 0.847298/yr (TV1's k) */
	assert_rel(-log(1.0 - 0.57142857), 0.847298, 1e-6);
	assert_rel(-log(1.0 - 0.95), 2.995732, 1e-6);
}

/* ---- TV11: metric toys ---- */
static void test_tv11_metrics(void **state)
{
	const double a[] = { 10, 8, 6 }, f[] = { 9, 8.5, 5 }, train[] = { 20, 16, 12 };

	(void)state;
	assert_abs(metric_mape(a, f, 3), 10.972222222, 1e-8);
	assert_abs(metric_mae(a, f, 3), 0.833333333, 1e-8);
	assert_abs(metric_naive_scale(train, 3), 4.0, 1e-12);
	assert_abs(metric_mase(a, f, 3, train, 3), 0.208333333, 1e-8);
	assert_abs(metric_winkler(7, 11, 6, 0.2), 14.0, 1e-12);
	assert_abs(metric_winkler(7, 11, 9, 0.2), 4.0, 1e-12);
	assert_abs(metric_winkler(7, 11, 12, 0.2), 14.0, 1e-12);
	assert_abs(metric_quantile_score(744.54, 741.84, 0.1), 4.86, 1e-9);
	assert_abs(metric_mape((const double[]){ 0.0 }, f, 1), -1.0, 0);
	assert_abs(metric_mase(a, f, 3, (const double[]){ 5, 5, 5 }, 3), -1.0, 0);
}

/* ---- TV13: random walk with drift interval width ---- */
static void test_tv13_rwdrift(void **state)
{
	struct model_fit f;
	struct fit_band b;
	struct tt_error err = { 0 };
	const double t[] = { 0, 1, 2, 3, 4 }, p[] = { 100, 20, 8, 1, 0.5 };

	(void)state;
	memset(&f, 0, sizeof(f));
	f.model = FIT_MODEL_RWDRIFT;
	f.status = FIT_OK;
	f.has_interval = 1;
	f.p = 1;
	f.s2 = (0.5 * M_LN10) * (0.5 * M_LN10); /* K = 0.5 per year on log10 */
	f.T = 4.0;                             /* m = 4 yearly steps */
	f.dof = 3.0;
	f.t_last = 0.0;
	f.u_last = 0.0;
	f.p_last = 1.0;
	assert_int_equal(model_band(&f, 2.0, 0.80, &b, &err), 0);
	assert_abs(b.se_log / M_LN10, 0.866025, 1e-6);
	assert_int_equal(model_band(&f, 1.0, 0.80, &b, &err), 0);
	assert_abs(b.se_log / M_LN10, 0.559017, 1e-6);

	/* a fitted random walk: drift = total change / total time, sigma from increments */
	assert_int_equal(model_fit(FIT_MODEL_RWDRIFT, t, p, 5, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_rel(f.par[0], log(0.5 / 100.0) / 4.0, 1e-12);
	assert_rel(f.T, 4.0, 1e-12);
	assert_rel(f.dof, 3.0, 1e-12);
	assert_false(f.aicc_comparable);
	assert_true(f.has_aicc); /* 4 increments, k = 2 */
	assert_int_equal(model_band(&f, 6.0, 0.80, &b, &err), 0);
	assert_rel(b.median, 0.5 * exp(2.0 * f.par[0]), 1e-12);
	assert_rel(b.se_log, sqrt(f.s2 * (2.0 + 4.0 / 4.0)), 1e-12);
	assert_true(b.lo < b.median && b.median < b.hi);
}

/* ---- Jacobians against finite differences ---- */
static void jac_fn(const double *theta, double t, const void *ctx, double *val, double *grad)
{
	*val = model_log_mean(ctx, theta, t, grad);
}

static void test_jacobians(void **state)
{
	static const struct {
		enum fit_model m;
		double th[3];
	} cases[] = {
		{ FIT_MODEL_HARMONIC, { 1.0, 0.3, 0 } },
		{ FIT_MODEL_HARMONIC, { -2.0, -3.0, 0 } },
		{ FIT_MODEL_HYPERBOLIC, { 1.0, 0.3, 0.2 } },
		{ FIT_MODEL_HYPERBOLIC, { 1.0, 0.3, -12.0 } }, /* b ~ 1e-5: the series branch */
		{ FIT_MODEL_HYPERBOLIC, { 3.0, 1.5, 4.0 } },   /* b near 2 */
		{ FIT_MODEL_EXPFLOOR, { 0.5, 0.4, 0.0 } },
		{ FIT_MODEL_EXPFLOOR, { -1.0, 2.0, -3.0 } },
		{ FIT_MODEL_LOGLINEAR, { 1.0, -0.5, 0 } },
	};
	const double t[] = { 0.0, 0.1, 0.5, 1.0, 2.5, 5.0 }, y[6] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct model_fit f;
		struct nls_problem pr;
		double worst;

		memset(&f, 0, sizeof(f));
		f.model = cases[i].m;
		f.p = model_n_params(cases[i].m);
		f.p_min = 0.8;
		memset(&pr, 0, sizeof(pr));
		pr.n = 6;
		pr.p = f.p;
		pr.t = t;
		pr.y = y;
		pr.model = jac_fn;
		pr.ctx = &f;
		worst = nls_check_gradient(&pr, cases[i].th);
		if (worst > 1e-5)
			fail_msg("%s case %zu: analytic Jacobian off by %g", fit_model_name(cases[i].m), i, worst);
	}
}

/* ---- nonlinear fits recover known curves ---- */
/* deterministic "noise": a fixed +-3% pattern on ln price */
static const double noise[] = { 0.03, -0.02, 0.01, -0.03, 0.02, -0.01, 0.025, -0.015, 0.0, 0.01, -0.02, 0.015 };

static void test_nonlinear_recovery(void **state)
{
	double t[12], p[12];
	struct model_fit f;
	struct model_derived d;
	struct fit_crossing c;
	struct fit_band b;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	/* TV7's hyperbolic curve qi 30, Di 1.5, b 0.5 */
	for (i = 0; i < 12; i++) {
		t[i] = 0.4 * (double)i;
		p[i] = model_arps_rate(30, 1.5, 0.5, t[i]) * exp(noise[i]);
	}
	assert_int_equal(model_fit(FIT_MODEL_HYPERBOLIC, t, p, 12, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_true(f.converged);
	assert_rel(f.par[0], 30.0, 0.05);
	assert_rel(f.par[1], 1.5, 0.15);
	assert_abs(f.par[2], 0.5, 0.15);
	assert_true(f.par_se[2] > 0.0 && f.par_se[2] < 0.25);
	assert_false(f.poorly_identified);
	assert_true(f.has_aicc);
	model_derive(&f, 0.90, &d);
	assert_true(d.has_factor && d.has_factor_ci && d.has_half_life && d.has_half_life_ci);
	assert_true(d.factor_lo < d.factor_per_year && d.factor_per_year < d.factor_hi);
	assert_true(d.half_life_lo < d.half_life_days && d.half_life_days < d.half_life_hi);
	/* the time to 0.3 from t = 0 is about 12 years (TV7) */
	assert_int_equal(model_crossing(&f, 0.3, t[11], 40.0, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_DATE);
	assert_abs(c.median_t, 12.0, 2.0);
	assert_int_equal(c.early_status, FIT_CROSS_DATE);
	assert_true(c.early_t <= c.median_t);

	/* harmonic qi 12, Di 2 */
	for (i = 0; i < 12; i++)
		p[i] = model_arps_rate(12, 2.0, 1.0, t[i]) * exp(noise[i]);
	assert_int_equal(model_fit(FIT_MODEL_HARMONIC, t, p, 12, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_rel(f.par[0], 12.0, 0.05);
	assert_rel(f.par[1], 2.0, 0.1);

	/* exponential decay to a floor: 1 + 5 e^(-1.5 t), noise scattered on
	 * both sides: the late points dip under the true floor, so the fitted
	 * floor runs into its bound (the lowest price) and is flagged */
	for (i = 0; i < 12; i++)
		p[i] = (1.0 + 5.0 * exp(-1.5 * t[i])) * exp(noise[i]);
	assert_int_equal(model_fit(FIT_MODEL_EXPFLOOR, t, p, 12, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_true(f.poorly_identified);
	assert_non_null(strstr(f.reason, "at a bound"));
	/* list prices sit on or above the curve (|noise|): the floor is identified */
	for (i = 0; i < 12; i++)
		p[i] = (1.0 + 5.0 * exp(-1.5 * t[i])) * exp(fabs(noise[i]));
	assert_int_equal(model_fit(FIT_MODEL_EXPFLOOR, t, p, 12, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_true(f.converged);
	assert_rel(f.par[0], 6.0, 0.05);
	assert_rel(f.par[1], 1.5, 0.15);
	assert_rel(f.par[2], 1.0, 0.05);
	if (f.poorly_identified)
		fail_msg("expfloor: %s", f.reason);
	/* the floor answers "never" below it */
	assert_int_equal(model_crossing(&f, 0.5, t[11], 100.0, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_NEVER_FLOOR);
	assert_int_equal(c.late_status, FIT_CROSS_NEVER_FLOOR);
	model_derive(&f, 0.90, &d);
	assert_false(d.has_half_life);
	assert_non_null(strstr(d.half_life_reason, "floor"));
	assert_int_equal(model_band(&f, 10.0, 0.95, &b, &err), 0);
	assert_rel(b.median, f.par[2], 0.01);
	assert_true(b.lo < b.median && b.median < b.hi);
}

/* ---- case 20 and other degenerate input ---- */
struct degen_case {
	const char *name;
	double p[6];
	size_t n;
};

static const struct degen_case degen_cases[] = {
	{ "case 20 (a): became free", { 0.60, 0.30, 0.0, 0.0 }, 4 },
	{ "case 20 (b): flat", { 2.5, 2.5, 2.5, 2.5, 2.5 }, 5 },
	{ "case 20 (c): two points", { 3.0, 2.0 }, 2 },
	{ "rising", { 1.0, 1.5, 2.2, 3.1, 4.9, 7.0 }, 6 },
	{ "one point", { 1.0 }, 1 },
	{ "empty", { 0 }, 0 },
	{ "all free", { 0, 0, 0 }, 3 },
	{ "flat then cut", { 2.5, 2.5, 2.5, 2.5, 2.5, 1.0 }, 6 },
	{ "exact exponential", { 8, 4, 2, 1, 0.5, 0.25 }, 6 },
	{ "three points", { 5.0, 3.0, 2.5 }, 3 },
	{ "tiny and huge", { 1e-9, 1e6, 1e-9, 1e6 }, 4 },
};

static void assert_finite_fit(const char *name, const struct model_fit *f)
{
	size_t i;

	for (i = 0; i < MODEL_MAX_PAR; i++)
		if (!isfinite(f->theta[i]) || !isfinite(f->par[i]) || !isfinite(f->par_se[i]))
			fail_msg("%s %s: parameter %zu not finite", name, fit_model_name(f->model), i);
	for (i = 0; i < MODEL_MAX_PAR * MODEL_MAX_PAR; i++)
		if (!isfinite(f->cov[i]))
			fail_msg("%s %s: covariance not finite", name, fit_model_name(f->model));
	if (!isfinite(f->rss) || !isfinite(f->s2) || !isfinite(f->aicc) || !isfinite(f->dof))
		fail_msg("%s %s: scores not finite", name, fit_model_name(f->model));
}

static void test_degenerate(void **state)
{
	const double t[] = { 0.0, 1.0 / 12, 2.0 / 12, 3.0 / 12, 4.0 / 12, 5.0 / 12 };
	size_t i, m;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(degen_cases); i++) {
		const struct degen_case *dc = &degen_cases[i];

		for (m = 0; m < MODEL_N_CANDIDATES; m++) {
			struct model_fit f;
			struct model_derived d;
			struct fit_band b;
			struct fit_crossing c;
			struct fit_backtest bt = FIT_BACKTEST_INIT;
			struct tt_error err = { 0 };
			int rc;

			rc = model_fit(model_candidates[m], t, dc->p, dc->n, &f, &err);
			if (rc != 0)
				fail_msg("%s %s: rc %d (%s)", dc->name, fit_model_name(model_candidates[m]), rc, err.msg);
			assert_finite_fit(dc->name, &f);
			if (!strcmp(dc->name, "case 20 (c): two points") && model_n_params(model_candidates[m]) == 3) {
				assert_int_equal(f.status, FIT_INSUFFICIENT);
				assert_string_equal(f.reason, "not enough points (2) for a 3-parameter model");
			}
			if (f.status == FIT_INSUFFICIENT) {
				assert_true(f.reason[0] != '\0');
				assert_int_equal(model_band(&f, 1.0, 0.8, &b, &err), TT_EINVAL);
			} else {
				rc = model_band(&f, 1.0, 0.8, &b, &err);
				assert_true(rc == 0 || rc == TT_ERANGE);
				if (rc == 0)
					assert_true(isfinite(b.median) && isfinite(b.lo) && isfinite(b.hi) && b.median > 0);
				model_derive(&f, 0.9, &d);
				assert_true(isfinite(d.factor_per_year) && isfinite(d.factor_lo) &&
					    isfinite(d.factor_hi) && isfinite(d.half_life_days) &&
					    isfinite(d.half_life_lo) && isfinite(d.half_life_hi));
				assert_int_equal(model_crossing(&f, 0.01, f.t_last, 5.0, 0.8, &c, &err), 0);
				assert_true(isfinite(c.median_t) && isfinite(c.early_t) && isfinite(c.late_t));
				if (!strcmp(dc->name, "case 20 (b): flat") &&
				    (model_candidates[m] == FIT_MODEL_LOGLINEAR || model_candidates[m] == FIT_MODEL_RWDRIFT)) {
					assert_int_equal(f.status, FIT_NO_INTERVAL);
					assert_true(d.factor_per_year == 1.0 && d.rate_per_year == 0.0);
					assert_false(d.has_half_life);
					assert_int_equal(c.median_status, FIT_CROSS_NEVER);
				}
				if (!strcmp(dc->name, "rising") && model_candidates[m] == FIT_MODEL_LOGLINEAR) {
					assert_true(d.factor_per_year < 1.0);
					assert_non_null(strstr(d.half_life_reason, "rising"));
				}
				if (!strcmp(dc->name, "flat then cut") || !strcmp(dc->name, "rising") ||
				    !strcmp(dc->name, "case 20 (b): flat")) {
					/* decline curves cannot describe these: flagged, not trusted */
					if (model_n_params(model_candidates[m]) == 3 && f.status == FIT_OK &&
					    !strcmp(dc->name, "rising"))
						assert_true(f.poorly_identified);
				}
			}
			rc = model_backtest(model_candidates[m], t, dc->p, dc->n, 0, &bt, &err);
			assert_int_equal(rc, 0);
			if (bt.has_scores)
				assert_true(isfinite(bt.mae_log10) && isfinite(bt.naive_mae_log10) &&
					    isfinite(bt.mase) && isfinite(bt.winkler80));
			else
				assert_true(bt.reason[0] != '\0');
			fit_backtest_release(&bt);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tv1_tv2_two_point),
		cmocka_unit_test(test_tv3_annualise),
		cmocka_unit_test(test_tv4_tv5_loglinear),
		cmocka_unit_test(test_tv6_backtest),
		cmocka_unit_test(test_tv7_arps),
		cmocka_unit_test(test_tv11_metrics),
		cmocka_unit_test(test_tv13_rwdrift),
		cmocka_unit_test(test_jacobians),
		cmocka_unit_test(test_nonlinear_recovery),
		cmocka_unit_test(test_degenerate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
