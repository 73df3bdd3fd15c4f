/*
 * test_fit.c - the log-linear model against FORECASTING.md's test vectors:
 * TV1 (two-point rate), TV4 (Epoch's MMLU fit, intervals, crossing), TV6
 * (rolling-origin backtest), TV10 (t quantiles), and case 20 (a) and (b) of
 * ../shared/cases (zero prices, flat series).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/fit.h"
#include "tt_epoch.h"

/* ---- TV10: t quantiles ---- */
struct tq_case {
	double nu, p, q;
};

static const struct tq_case tq_cases[] = {
	{ 1, 0.90, 3.077684 }, { 1, 0.95, 6.313752 }, { 1, 0.975, 12.706205 },
	{ 2, 0.90, 1.885618 }, { 2, 0.95, 2.919986 }, { 2, 0.975, 4.302653 },
	{ 3, 0.90, 1.637744 }, { 3, 0.95, 2.353363 }, { 3, 0.975, 3.182446 },
	{ 4, 0.90, 1.533206 }, { 4, 0.95, 2.131847 }, { 4, 0.975, 2.776445 },
	{ 5, 0.90, 1.475884 }, { 5, 0.95, 2.015048 }, { 5, 0.975, 2.570582 },
	{ 6, 0.90, 1.439756 },
	{ 7, 0.90, 1.414924 }, { 7, 0.95, 1.894579 }, { 7, 0.975, 2.364624 },
	{ 10, 0.90, 1.372184 }, { 10, 0.95, 1.812461 }, { 10, 0.975, 2.228139 },
	{ 30, 0.90, 1.310415 }, { 30, 0.95, 1.697261 }, { 30, 0.975, 2.042272 },
	{ 100, 0.90, 1.290075 }, { 100, 0.95, 1.660234 }, { 100, 0.975, 1.983972 },
};

static void test_tv10_tquantiles(void **state)
{
	size_t i;
	double q;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(tq_cases); i++) {
		assert_int_equal(fit_tquantile(tq_cases[i].p, tq_cases[i].nu, &q), 0);
		assert_abs(q, tq_cases[i].q, 1e-6);
	}
	assert_int_equal(fit_tquantile(1.0, 3, &q), TT_EINVAL);
	assert_int_equal(fit_tquantile(0.9, 0, &q), TT_EINVAL);
}

/* ---- TV1: the two-point rate ---- */
static void test_tv1_two_point_rate(void **state)
{
	const double t[] = { 0.0, 1.0 }, p[] = { 0.35, 0.15 };
	struct fit_loglinear f;
	struct fit_crossing c;
	struct fit_band b;
	struct tt_error err = { 0 };
	double hl = 0, tcross;
	char date[11];

	(void)state;
	assert_int_equal(fit_loglinear(t, p, 2, &f, &err), 0);
	assert_int_equal(f.status, FIT_TWO_POINTS);
	assert_int_equal(f.has_interval, 0);
	assert_rel(f.k, 0.847298, 1e-6);
	assert_rel(fit_loglinear_factor_per_year(&f), 7.0 / 3.0, 1e-6);
	assert_int_equal(fit_loglinear_half_life_days(&f, &hl), 1);
	assert_rel(hl, 298.80, 1e-4);
	assert_rel(M_LN2 / f.k * 12.0, 9.8168, 1e-4);
	/* $0.15 -> $0.001 from the last point (2026-06-01). */
	assert_int_equal(fit_loglinear_crossing(&f, 0.001, 1.0, 20.0, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_DATE);
	tcross = c.median_t - 1.0;
	assert_rel(tcross, 5.913665, 1e-6);
	date_at(day_of("2026-06-01"), tcross, FIT_DAYS_PER_YEAR, date);
	assert_string_equal(date, "2032-04-29");
	assert_int_equal(c.early_status, FIT_CROSS_UNAVAILABLE);
	/* 10x decline takes ln10/k. */
	assert_int_equal(fit_loglinear_crossing(&f, 0.015, 1.0, 20.0, 0.80, &c, &err), 0);
	assert_rel(c.median_t - 1.0, 2.717563, 1e-6);
	/* A two-point fit has a median line but no band. */
	assert_int_equal(fit_loglinear_band(&f, 2.0, 0.80, FIT_BAND_PREDICTION, &b, &err), 0);
	assert_int_equal(b.has_interval, 0);
	assert_rel(b.median, 0.15 * 3.0 / 7.0, 1e-9);
	assert_rel(b.lo, b.median, 1e-12);
	/* Already below, and never for a rising series. */
	assert_int_equal(fit_loglinear_crossing(&f, 0.20, 1.0, 20.0, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_ALREADY_BELOW);
	{
		const double pr[] = { 0.15, 0.35 };
		assert_int_equal(fit_loglinear(t, pr, 2, &f, &err), 0);
		assert_int_equal(fit_loglinear_half_life_days(&f, &hl), 0);
		assert_int_equal(fit_loglinear_crossing(&f, 0.001, 1.0, 20.0, 0.80, &c, &err), 0);
		assert_int_equal(c.median_status, FIT_CROSS_NEVER);
	}
}

/* ---- TV4: Epoch's MMLU GPT-3-level series (tv4_data: tt_epoch.h) ---- */
struct tv4_band_case {
	double level;
	enum fit_band_kind kind;
	double lo, hi;
};

static const struct tv4_band_case tv4_bands[] = {
	{ 0.80, FIT_BAND_PREDICTION, 0.001673, 0.011068 },
	{ 0.95, FIT_BAND_PREDICTION, 0.000888, 0.020866 },
	{ 0.95, FIT_BAND_MEAN, 0.001613, 0.011482 }, /* the narrower mean-line band: the pitfall */
};

static void test_tv4_epoch_fit(void **state)
{
	double t[TV4_N], p[TV4_N], lo, hi, x;
	struct fit_loglinear f;
	struct fit_band b;
	struct fit_crossing c;
	struct tt_error err = { 0 };
	char date[11];
	size_t i;

	(void)state;
	tv4_arrays(t, p);
	assert_int_equal(fit_loglinear(t, p, TV4_N, &f, &err), 0);
	assert_int_equal(f.status, FIT_OK);
	assert_int_equal(f.n, 9);
	assert_rel(f.c0 / M_LN10, 1.779489, 1e-6);
	assert_rel(f.c1 / M_LN10, -1.070882, 1e-6);
	assert_rel(sqrt(f.cov11) / M_LN10, 0.080475, 1e-5);
	assert_rel(f.sumsq / (M_LN10 * M_LN10), 0.361069, 1e-5);
	assert_abs(f.r2, 0.9620, 1e-4);
	assert_rel(fit_loglinear_factor_per_year(&f), 11.772873, 1e-6);
	assert_int_equal(fit_loglinear_factor_ci(&f, 0.90, &lo, &hi), 1);
	assert_rel(lo, 8.287355, 1e-6);
	assert_rel(hi, 16.724340, 1e-6);

	/* Forecast for 2025-10-03. */
	x = (double)(day_of("2025-10-03") - day_of("2021-11-20")) / 365.0;
	assert_abs(x, 3.8712, 1e-4);
	for (i = 0; i < TT_ARRAY_SIZE(tv4_bands); i++) {
		const struct tv4_band_case *bc = &tv4_bands[i];
		assert_int_equal(fit_loglinear_band(&f, x, bc->level, bc->kind, &b, &err), 0);
		assert_int_equal(b.has_interval, 1);
		assert_abs(b.median, 0.004304, 6e-7);
		assert_abs(b.lo, bc->lo, 6e-7);
		assert_abs(b.hi, bc->hi, 6e-7);
		assert_abs(b.se_log / M_LN10, bc->kind == FIT_BAND_MEAN ? 0.180219 : 0.289931, 1e-6);
	}
	/* The median line reaches $0.001 at x = 4.463131, i.e. 2026-05-07. */
	assert_int_equal(fit_loglinear_crossing(&f, 0.001, t[TV4_N - 1], 10.0, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_DATE);
	assert_rel(c.median_t, 4.463131, 1e-6);
	date_at(day_of("2021-11-20"), c.median_t, 365.0, date);
	assert_string_equal(date, "2026-05-07");
	/* The 80% bounds bracket the median crossing. */
	assert_int_equal(c.early_status, FIT_CROSS_DATE);
	assert_int_equal(c.late_status, FIT_CROSS_DATE);
	assert_true(c.early_t < c.median_t && c.median_t < c.late_t);
	{
		/* At the lower bound's crossing time the 80% lower bound equals the target. */
		assert_int_equal(fit_loglinear_band(&f, c.early_t, 0.80, FIT_BAND_PREDICTION, &b, &err), 0);
		assert_rel(b.lo, 0.001, 1e-6);
		assert_int_equal(fit_loglinear_band(&f, c.late_t, 0.80, FIT_BAND_PREDICTION, &b, &err), 0);
		assert_rel(b.hi, 0.001, 1e-6);
	}
	/* Not within a short horizon. */
	assert_int_equal(fit_loglinear_crossing(&f, 0.001, t[TV4_N - 1], 3.5, 0.80, &c, &err), 0);
	assert_int_equal(c.median_status, FIT_CROSS_BEYOND_HORIZON);
	assert_int_equal(c.late_status, FIT_CROSS_BEYOND_HORIZON);
	/* Bad target. */
	assert_int_equal(fit_loglinear_crossing(&f, 0.0, 0, 1, 0.8, &c, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "target"));
}

/* ---- TV6: rolling-origin backtest on TV4's data ---- */
static const struct {
	size_t k;
	double forecast, err_log10, lo80, hi80, factor;
} tv6_rows[] = {
	{ 3, 1.15559, -0.3146, 0.02748, 48.59898, 12.592 },
	{ 4, 0.25836, -0.1112, 0.04627, 1.44263, 17.688 },
	{ 5, 0.07585, +0.2340, 0.02336, 0.24628, 19.345 },
	{ 6, 0.04471, +0.3496, 0.01676, 0.11930, 16.699 },
	{ 7, 0.03855, +0.3171, 0.01494, 0.09949, 14.068 },
	{ 8, 0.04563, +0.1859, 0.01852, 0.11238, 12.444 },
};

static void test_tv6_backtest(void **state)
{
	double t[TV4_N], p[TV4_N];
	struct fit_backtest bt = FIT_BACKTEST_INIT;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	tv4_arrays(t, p);
	assert_int_equal(fit_backtest_loglinear(t, p, TV4_N, 3, &bt, &err), 0);
	assert_int_equal(bt.has_scores, 1);
	assert_int_equal(bt.n_origins, TT_ARRAY_SIZE(tv6_rows));
	for (i = 0; i < bt.n_origins; i++) {
		const struct fit_backtest_origin *o = &bt.origins[i];
		assert_int_equal(o->k, tv6_rows[i].k);
		assert_rel(o->forecast, tv6_rows[i].forecast, 1e-4);
		assert_abs(o->err_log10, tv6_rows[i].err_log10, 1e-4);
		assert_rel(o->lo80, tv6_rows[i].lo80, 2e-4);
		assert_rel(o->hi80, tv6_rows[i].hi80, 1e-4);
		assert_rel(o->factor_per_year, tv6_rows[i].factor, 1e-4);
		assert_int_equal(o->covered, 1);
	}
	assert_abs(bt.mae_log10, 0.2520, 1e-4);
	assert_abs(bt.naive_mae_log10, 0.2427, 1e-4);
	assert_true(bt.naive_mae_log10 < bt.mae_log10); /* naive wins */
	assert_int_equal(bt.n_covered, 6);
	assert_rel(bt.coverage80, 1.0, 1e-12);
	fit_backtest_release(&bt);

	/* Too few points: no scores, a reason, no error. */
	assert_int_equal(fit_backtest_loglinear(t, p, 3, 3, &bt, &err), 0);
	assert_int_equal(bt.has_scores, 0);
	assert_non_null(strstr(bt.reason, "too few points"));
	fit_backtest_release(&bt);
}

/* ---- case 20: degenerate series ---- */
struct degenerate_case {
	const char *name;
	double p[5];
	size_t n;
	enum fit_status status;
	size_t n_used, n_zero;
	const char *reason_has;
};

static const struct degenerate_case degenerate_cases[] = {
	{ "case 20 (a): became free", { 0.60, 0.30, 0.0, 0.0 }, 4, FIT_TWO_POINTS, 2, 2, "zero price" },
	{ "case 20 (b): flat", { 2.5, 2.5, 2.5, 2.5, 2.5 }, 5, FIT_NO_INTERVAL, 5, 0, "flat series" },
	{ "one point", { 1.0 }, 1, FIT_INSUFFICIENT, 1, 0, "insufficient data" },
	{ "no points", { 0 }, 0, FIT_INSUFFICIENT, 0, 0, "insufficient data" },
	{ "all free", { 0.0, 0.0, 0.0 }, 3, FIT_INSUFFICIENT, 0, 3, "insufficient data" },
	{ "exact exponential", { 8, 4, 2, 1 }, 4, FIT_NO_INTERVAL, 4, 0, "exactly" },
};

static void test_case20_degenerate(void **state)
{
	const double t[] = { 0.0, 1.0 / 12, 2.0 / 12, 3.0 / 12, 4.0 / 12 }; /* monthly */
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(degenerate_cases); i++) {
		const struct degenerate_case *dc = &degenerate_cases[i];
		struct fit_loglinear f;
		struct fit_band b;
		struct fit_crossing c;
		struct fit_backtest bt = FIT_BACKTEST_INIT;
		struct tt_error err = { 0 };
		double hl = 0, lo = 0, hi = 0;
		int rc;

		rc = fit_loglinear(t, dc->p, dc->n, &f, &err);
		if (rc != 0)
			fail_msg("%s: rc %d (%s)", dc->name, rc, err.msg);
		if (f.status != dc->status)
			fail_msg("%s: status %s", dc->name, fit_status_name(f.status));
		assert_int_equal(f.n, dc->n_used);
		assert_int_equal(f.n_zero, dc->n_zero);
		if (!strstr(f.reason, dc->reason_has))
			fail_msg("%s: reason '%s' lacks '%s'", dc->name, f.reason, dc->reason_has);
		assert_int_equal(f.has_interval, 0);
		assert_true(isfinite(f.c0) && isfinite(f.c1) && isfinite(f.k) && isfinite(f.s2) &&
			    isfinite(f.r2) && isfinite(f.cov11));
		assert_true(isfinite(fit_loglinear_factor_per_year(&f)));
		assert_int_equal(fit_loglinear_factor_ci(&f, 0.9, &lo, &hi), 0);
		if (f.status == FIT_INSUFFICIENT) {
			assert_int_equal(fit_loglinear_band(&f, 1.0, 0.8, FIT_BAND_PREDICTION, &b, &err),
					 TT_EINVAL);
			assert_int_equal(fit_loglinear_half_life_days(&f, &hl), 0);
		} else {
			assert_int_equal(fit_loglinear_band(&f, 1.0, 0.8, FIT_BAND_PREDICTION, &b, &err), 0);
			assert_true(isfinite(b.median) && isfinite(b.lo) && isfinite(b.hi));
			assert_int_equal(b.has_interval, 0);
			assert_int_equal(fit_loglinear_crossing(&f, 0.01, f.t_last, 3.0, 0.8, &c, &err), 0);
			assert_int_equal(c.early_status, FIT_CROSS_UNAVAILABLE);
		}
		if (dc->status == FIT_NO_INTERVAL && dc->p[0] == dc->p[1]) {
			/* flat: decline 0, factor 1, no half-life, never crosses */
			assert_true(f.k == 0.0 && !signbit(f.k));
			assert_rel(fit_loglinear_factor_per_year(&f), 1.0, 1e-15);
			assert_int_equal(fit_loglinear_half_life_days(&f, &hl), 0);
			assert_int_equal(c.median_status, FIT_CROSS_NEVER);
		}
		assert_int_equal(fit_backtest_loglinear(t, dc->p, dc->n, 3, &bt, &err), 0);
		if (bt.has_scores) {
			assert_true(isfinite(bt.mae_log10) && isfinite(bt.naive_mae_log10));
		}
		fit_backtest_release(&bt);
	}
}

static void test_bad_input(void **state)
{
	const double t[] = { 0, 1, 2 }, p[] = { 1.0, -2.0, 0.5 }, pn[] = { 1.0, NAN, 0.5 };
	struct fit_loglinear f;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(fit_loglinear(t, p, 3, &f, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "point 1"));
	assert_int_equal(fit_loglinear(t, pn, 3, &f, &err), TT_EINVAL);
	assert_string_equal(fit_model_name(FIT_MODEL_LOGLINEAR), "loglinear");
	assert_string_equal(fit_model_name(FIT_MODEL_NAIVE), "naive");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tv10_tquantiles),
		cmocka_unit_test(test_tv1_two_point_rate),
		cmocka_unit_test(test_tv4_epoch_fit),
		cmocka_unit_test(test_tv6_backtest),
		cmocka_unit_test(test_case20_degenerate),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
