/*
 * test_forecast.c - the forecast result and its JSON/table contract: TV4's
 * series end to end (rate, backtest, crossing, monthly points), and case 20
 * (a) and (b) of ../shared/cases (no NaN/inf, "free since", flat series).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/forecast.h"
#include "tokentrend/money.h"

#include <json-c/json.h>

struct dp {
	const char *date;
	const char *price;
};

static void build(struct series *s, const char *model, const struct dp *d, size_t n)
{
	size_t i;

	assert_int_equal(series_set_key(s, "demo", model, "input", NULL, NULL, NULL, NULL, "USD", "test"), 0);
	for (i = 0; i < n; i++) {
		int64_t v;
		struct tt_error err = { 0 };

		assert_int_equal(money_parse_str(d[i].price, 0, &v, &err), 0);
		assert_true(series_add(s, d[i].date, v, &err) >= 0);
	}
}

static const struct dp tv4[] = {
	{ "2021-11-20", "60" }, { "2022-09-01", "20" }, { "2023-03-06", "2.0" },
	{ "2023-07-18", "0.56" }, { "2023-12-01", "0.20" }, { "2024-04-14", "0.13" },
	{ "2024-07-23", "0.10" }, { "2024-09-24", "0.08" }, { "2024-10-03", "0.07" },
};

static const struct dp case20a[] = {
	{ "2026-01-01", "0.60" }, { "2026-02-01", "0.30" }, { "2026-03-01", "0.00" }, { "2026-04-01", "0.00" },
};

/* Five monthly observations of one list price are one change (series.h). */
static const struct dp case20b[] = {
	{ "2026-01-01", "2.50" }, { "2026-02-01", "2.50" }, { "2026-03-01", "2.50" },
	{ "2026-04-01", "2.50" }, { "2026-05-01", "2.50" },
};

/* Noise-free halving every 365 days: a rate, but no scatter to build intervals from. */
static const struct dp exact[] = { { "2021-01-01", "8" }, { "2022-01-01", "4" }, { "2023-01-01", "2" } };

static const struct dp two_points[] = { { "2025-06-01", "0.35" }, { "2026-06-01", "0.15" } };

/* No NaN, inf or -inf may appear anywhere in rendered output. */
static void assert_no_nonfinite(const char *txt)
{
	const char *bad[] = { "nan", "NaN", "inf", "Inf", "INF" };
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(bad); i++)
		if (strstr(txt, bad[i]))
			fail_msg("output contains '%s':\n%s", bad[i], txt);
}

static struct json_object *render_json(const struct forecast *f)
{
	struct buf b = BUF_INIT;
	struct json_object *o;

	assert_int_equal(forecast_render_json(f, &b), 0);
	assert_no_nonfinite(b.buf);
	o = json_tokener_parse(b.buf);
	if (!o)
		fail_msg("not JSON:\n%s", b.buf);
	buf_release(&b);
	return o;
}

static struct json_object *jget(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("JSON lacks key '%s'", k);
	return v;
}

static void test_tv4_end_to_end(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct forecast_options o = { "2024-10-03", 1096, 1, 0.001, "loglinear" };
	struct tt_error err = { 0 };
	struct json_object *j, *pts, *p0, *bt, *tg;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	build(&s, "mmlu-gpt3", tv4, TT_ARRAY_SIZE(tv4));
	assert_int_equal(forecast_run(&s, &o, &f, &err), 0);
	assert_int_equal(f.status, FORECAST_OK);
	assert_int_equal(f.n_points, 9);
	assert_string_equal(f.first_date, "2021-11-20");
	assert_string_equal(f.last_date, "2024-10-03");
	/* 365.25-day years: Epoch's 11.772873 (365-day years) rescaled. */
	assert_rel(f.factor_per_year, pow(11.772873, 365.25 / 365.0), 1e-6);
	assert_true(f.has_half_life);
	assert_rel(f.half_life_days, M_LN2 / (1.070882 * M_LN10) * 365.0, 1e-5);
	assert_true(f.backtest.has_scores);
	assert_abs(f.backtest.mae_log10, 0.2520, 1e-4);
	assert_abs(f.backtest.naive_mae_log10, 0.2427, 1e-4);
	/* The crossing date does not depend on the year length. */
	assert_int_equal(f.cross_median.status, FIT_CROSS_DATE);
	assert_string_equal(f.cross_median.date, "2026-05-07");
	assert_int_equal(f.cross_early.status, FIT_CROSS_DATE);
	assert_true(strcmp(f.cross_early.date, f.cross_median.date) < 0);
	/* Points: the last change, then the 1st of each month, then the end. */
	assert_true(f.n_proj > 30);
	assert_string_equal(f.points[0].date, "2024-10-03");
	assert_string_equal(f.points[1].date, "2024-11-01");
	assert_string_equal(f.points[f.n_proj - 1].date, f.end_date);
	assert_string_equal(f.end_date, "2027-10-04");
	for (i = 0; i < f.n_proj; i++) {
		const struct forecast_point *p = &f.points[i];
		assert_true(p->has_interval);
		assert_true(p->lo95 < p->lo80 && p->lo80 < p->median && p->median < p->hi80 &&
			    p->hi80 < p->hi95);
		if (!strcmp(p->date, "2025-10-01")) {
			/* two days before TV4's 2025-10-03 forecast ($0.004304, 80% [0.001673, 0.011068]) */
			assert_rel(p->median, 0.004304, 0.02);
		}
	}

	j = render_json(&f);
	assert_string_equal(json_object_get_string(jget(j, "provider")), "demo");
	assert_string_equal(json_object_get_string(jget(j, "model")), "mmlu-gpt3");
	assert_string_equal(json_object_get_string(jget(j, "dimension")), "input");
	assert_string_equal(json_object_get_string(jget(j, "tier")), "standard");
	assert_string_equal(json_object_get_string(jget(j, "condition")), "");
	assert_string_equal(json_object_get_string(jget(j, "currency")), "USD");
	assert_string_equal(json_object_get_string(jget(j, "unit")), "1M tokens");
	assert_string_equal(json_object_get_string(jget(j, "source")), "test");
	assert_string_equal(json_object_get_string(jget(j, "forecast_model")), "loglinear");
	assert_string_equal(json_object_get_string(jget(j, "status")), "ok");
	assert_int_equal(json_object_array_length(jget(j, "candidates")), FORECAST_N_CANDIDATES);
	assert_string_equal(json_object_get_string(jget(jget(j, "selection"), "by")), "forced");
	assert_int_equal(json_object_get_int(jget(j, "n_points")), 9);
	assert_rel(json_object_get_double(jget(j, "factor_per_year")), f.factor_per_year, 1e-5);
	assert_true(json_object_is_type(jget(j, "half_life_days"), json_type_double));
	assert_non_null(jget(j, "parameters"));
	bt = jget(j, "backtest");
	assert_int_equal(json_object_get_int(jget(bt, "n_origins")), 6);
	assert_string_equal(json_object_get_string(jget(bt, "winner")), "naive");
	assert_rel(json_object_get_double(jget(bt, "coverage80")), 1.0, 1e-9);
	tg = jget(j, "target");
	assert_string_equal(json_object_get_string(jget(jget(tg, "median"), "date")), "2026-05-07");
	pts = jget(j, "points");
	assert_int_equal(json_object_array_length(pts), f.n_proj);
	p0 = json_object_array_get_idx(pts, 0);
	assert_string_equal(json_object_get_string(jget(p0, "date")), "2024-10-03");
	assert_rel(json_object_get_double(jget(p0, "median")), f.points[0].median, 1e-5);
	assert_rel(json_object_get_double(jget(p0, "hi95")), f.points[0].hi95, 1e-5);
	json_object_put(j);

	assert_int_equal(forecast_render_table(&f, &b), 0);
	assert_no_nonfinite(b.buf);
	assert_non_null(strstr(b.buf, "naive wins"));
	assert_non_null(strstr(b.buf, "median 2026-05-07"));
	assert_non_null(strstr(b.buf, "USD per 1M tokens"));
	buf_release(&b);
	forecast_release(&f);

	/* One year ahead ends on TV4's forecast date, 2025-10-03: exact values. */
	o.horizon_days = 365;
	assert_int_equal(forecast_run(&s, &o, &f, &err), 0);
	{
		const struct forecast_point *p = &f.points[f.n_proj - 1];
		assert_string_equal(p->date, "2025-10-03");
		assert_abs(p->median, 0.004304, 6e-7);
		assert_abs(p->lo80, 0.001673, 6e-7);
		assert_abs(p->hi80, 0.011068, 6e-7);
		assert_abs(p->lo95, 0.000888, 6e-7);
		assert_abs(p->hi95, 0.020866, 6e-7);
	}
	assert_int_equal(f.cross_median.status, FIT_CROSS_BEYOND_HORIZON);
	forecast_release(&f);
	series_release(&s);
}

struct degenerate_case {
	const char *name;
	const struct dp *d;
	size_t n;
	enum forecast_status status;
	const char *reason_has, *reason_has2;
	const char *free_since;
	size_t n_proj_min;
};

static const struct degenerate_case cases[] = {
	{ "case 20 (a): became free", case20a, TT_ARRAY_SIZE(case20a), FORECAST_FREE,
	  "free since 2026-03-01", "insufficient data", "2026-03-01", 0 },
	{ "case 20 (b): flat", case20b, TT_ARRAY_SIZE(case20b), FORECAST_INSUFFICIENT,
	  "has not changed since 2026-01-01", "no decline observed", "", 0 },
	{ "exact exponential", exact, TT_ARRAY_SIZE(exact), FORECAST_NO_INTERVAL, "exactly", NULL, "", 10 },
	{ "two points", two_points, TT_ARRAY_SIZE(two_points), FORECAST_INSUFFICIENT,
	  "insufficient data: 2 priced changes", "3 are needed", "", 0 },
	{ "empty", NULL, 0, FORECAST_INSUFFICIENT, "insufficient data: 0 priced changes", NULL, "", 0 },
};

static void test_case20_degenerate(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		const struct degenerate_case *c = &cases[i];
		struct series s = SERIES_INIT;
		struct forecast f;
		struct forecast_options o = { "2026-06-01", 0, 1, 0.01, NULL };
		struct tt_error err = { 0 };
		struct json_object *j;
		struct buf b = BUF_INIT;

		build(&s, "demo-x", c->d, c->n);
		if (forecast_run(&s, &o, &f, &err) != 0)
			fail_msg("%s: %s", c->name, err.msg);
		if (f.status != c->status)
			fail_msg("%s: status %s", c->name, forecast_status_name(f.status));
		if (!strstr(f.reason, c->reason_has) || (c->reason_has2 && !strstr(f.reason, c->reason_has2)))
			fail_msg("%s: reason '%s'", c->name, f.reason);
		assert_string_equal(f.free_since, c->free_since);
		assert_true(f.n_proj >= c->n_proj_min);
		if (c->n_proj_min == 0)
			assert_int_equal(f.n_proj, 0);
		for (k = 0; k < f.n_proj; k++) {
			assert_true(isfinite(f.points[k].median));
			assert_int_equal(f.points[k].has_interval, 0);
		}
		j = render_json(&f);
		assert_string_equal(json_object_get_string(jget(j, "status")), forecast_status_name(c->status));
		if (c->d == case20b) {
			/* flat: decline 0 (factor 1), no half-life, never reaches the target */
			assert_rel(json_object_get_double(jget(j, "factor_per_year")), 1.0, 1e-12);
			assert_true(json_object_is_type(jget(j, "half_life_days"), json_type_null));
			assert_non_null(strstr(json_object_get_string(jget(j, "half_life_reason")), "flat"));
		}
		if (c->status == FORECAST_NO_INTERVAL) {
			/* a median line without bounds: bounds null with a reason */
			struct json_object *p0 = json_object_array_get_idx(jget(j, "points"), 0);
			assert_rel(json_object_get_double(jget(j, "factor_per_year")), pow(2.0, 365.25 / 365.0), 1e-5);
			assert_true(json_object_is_type(jget(p0, "lo80"), json_type_null));
			assert_rel(json_object_get_double(jget(p0, "median")), 2.0, 1e-9);
			assert_non_null(jget(j, "points_interval_reason"));
			assert_string_equal(json_object_get_string(jget(jget(jget(j, "target"), "lo80"), "status")),
					    "unavailable");
		} else {
			assert_int_equal(json_object_array_length(jget(j, "points")), 0);
			assert_non_null(jget(j, "points_reason"));
		}
		if (c->status == FORECAST_FREE)
			assert_string_equal(json_object_get_string(jget(j, "free_since")), "2026-03-01");
		assert_true(json_object_is_type(jget(j, "backtest"), json_type_null));
		assert_non_null(jget(j, "backtest_reason"));
		json_object_put(j);
		assert_int_equal(forecast_render_table(&f, &b), 0);
		assert_no_nonfinite(b.buf);
		buf_release(&b);
		forecast_release(&f);
		series_release(&s);
	}
}

struct opt_case {
	struct forecast_options o;
	const char *err_has;
};

static const struct opt_case opt_cases[] = {
	{ { "2026-06-01", -5, 0, 0, NULL }, "-5" },
	{ { "2026-06-01", 99999999, 0, 0, NULL }, "99999999" },
	{ { "2026-06-01", 0, 1, -1.0, NULL }, "target" },
	{ { "2026/06/01", 0, 0, 0, NULL }, "2026/06/01" },
	{ { "2026-06-01", 0, 0, 0, "quadratic" }, "quadratic" },
};

static void test_bad_options(void **state)
{
	struct series s = SERIES_INIT;
	size_t i;

	(void)state;
	build(&s, "demo-x", tv4, TT_ARRAY_SIZE(tv4));
	for (i = 0; i < TT_ARRAY_SIZE(opt_cases); i++) {
		struct forecast f;
		struct tt_error err = { 0 };

		assert_int_equal(forecast_run(&s, &opt_cases[i].o, &f, &err), TT_EINVAL);
		assert_non_null(strstr(err.msg, opt_cases[i].err_has));
		forecast_release(&f);
	}
	series_release(&s);
}

static void test_fmt_num(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(forecast_fmt_num(0.00430397, 6, b, sizeof(b)), "0.00430397");
	assert_string_equal(forecast_fmt_num(11.7728727, 6, b, sizeof(b)), "11.7729");
	assert_string_equal(forecast_fmt_num(60.0, 6, b, sizeof(b)), "60.0000");
	assert_string_equal(forecast_fmt_num(1234567.0, 6, b, sizeof(b)), "1234567");
	assert_string_equal(forecast_fmt_num(NAN, 6, b, sizeof(b)), "null");
	assert_string_equal(forecast_fmt_num(INFINITY, 6, b, sizeof(b)), "null");
}

/* ---- selection ---- */
static const struct dp case20c[] = { { "2026-01-01", "3.00" }, { "2026-02-01", "2.00" } };
static const struct dp three[] = { { "2025-01-01", "5.00" }, { "2025-06-01", "3.00" }, { "2026-01-01", "2.50" } };
/* a cut, then the price holds: every trend keeps falling, "no change" wins */
static const struct dp cut_then_flat[] = {
	{ "2024-01-01", "10" }, { "2024-03-01", "6.00" }, { "2024-04-30", "6.10" }, { "2024-06-29", "6.05" },
	{ "2024-08-28", "6.12" }, { "2024-10-27", "6.08" }, { "2024-12-26", "6.10" },
};

static void check_selection_invariants(const struct forecast *f, struct json_object *j)
{
	size_t i;
	struct json_object *c = jget(j, "candidates"), *sel = jget(j, "selection");

	assert_int_equal(json_object_array_length(c), FORECAST_N_CANDIDATES);
	for (i = 0; i < f->n_candidates; i++) {
		struct json_object *x = json_object_array_get_idx(c, i);

		/* every candidate has a verdict */
		assert_true(strlen(json_object_get_string(jget(x, "reason"))) > 0);
		if (f->candidates[i].eligible && f->selected_by_backtest)
			assert_true(f->candidates[f->chosen].common_mae_log10 <=
				    f->candidates[i].common_mae_log10 + 1e-12);
		if (!f->candidates[i].eligible && f->candidates[i].model != FIT_MODEL_NAIVE)
			assert_non_null(strstr(f->candidates[i].reason, "not a candidate"));
	}
	assert_string_equal(json_object_get_string(jget(sel, "text")), f->selection);
	if (f->selected_by_backtest) {
		assert_true(f->n_common > 0);
		assert_true(json_object_get_boolean(jget(sel, "beats_naive")) == f->beats_naive);
		if (!f->beats_naive)
			assert_non_null(strstr(f->selection, "no model beats the naive"));
		else
			assert_non_null(strstr(f->selection, "beats the naive"));
	}
}

static void test_selection_auto(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct forecast_options o = { "2024-10-03", 1096, 1, 0.001, NULL };
	struct tt_error err = { 0 };
	struct json_object *j;
	struct buf b = BUF_INIT;
	size_t i, n_left_out = 0;

	(void)state;
	build(&s, "mmlu-gpt3", tv4, TT_ARRAY_SIZE(tv4));
	assert_int_equal(forecast_run(&s, &o, &f, &err), 0);
	assert_int_equal(f.selected_by_backtest, 1);
	assert_true(f.n_eligible >= 2);
	assert_true(f.candidates[f.chosen].eligible);
	assert_int_equal(f.model, f.candidates[f.chosen].model);
	for (i = 0; i < f.n_candidates; i++)
		n_left_out += !f.candidates[i].eligible && f.candidates[i].model != FIT_MODEL_NAIVE;
	assert_int_equal(f.n_eligible + n_left_out, MODEL_N_CANDIDATES);
	/* the chosen model's own backtest is the one reported */
	assert_true(f.backtest.has_scores);
	assert_int_equal(f.backtest.model, f.model);
	j = render_json(&f);
	check_selection_invariants(&f, j);
	assert_string_equal(json_object_get_string(jget(jget(j, "selection"), "by")), "backtest");
	json_object_put(j);
	assert_int_equal(forecast_render_table(&f, &b), 0);
	assert_no_nonfinite(b.buf);
	assert_non_null(strstr(b.buf, "Choice:"));
	assert_non_null(strstr(b.buf, "hyperbolic"));
	buf_reset(&b);
	assert_int_equal(forecast_render_line(&f, &b), 0);
	assert_non_null(strstr(b.buf, fit_model_name(f.model)));
	assert_no_nonfinite(b.buf);
	buf_release(&b);
	forecast_release(&f);
	series_release(&s);
}

static void test_no_model_beats_naive(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct forecast_options o = { "2025-03-01", 365, 0, 0, NULL };
	struct tt_error err = { 0 };
	struct json_object *j;
	struct buf b = BUF_INIT;

	(void)state;
	build(&s, "cut-then-flat", cut_then_flat, TT_ARRAY_SIZE(cut_then_flat));
	assert_int_equal(forecast_run(&s, &o, &f, &err), 0);
	assert_true(f.selected_by_backtest);
	assert_false(f.beats_naive);
	j = render_json(&f);
	check_selection_invariants(&f, j);
	assert_false(json_object_get_boolean(jget(jget(j, "selection"), "beats_naive")));
	json_object_put(j);
	assert_int_equal(forecast_render_table(&f, &b), 0);
	assert_non_null(strstr(b.buf, "no model beats the naive last-price forecast"));
	buf_reset(&b);
	assert_int_equal(forecast_render_line(&f, &b), 0);
	assert_non_null(strstr(b.buf, "naive ("));
	buf_release(&b);
	forecast_release(&f);
	series_release(&s);
}

struct short_case {
	const char *name;
	const struct dp *d;
	size_t n;
	enum forecast_status status;
	const char *selection_has;
	enum fit_model model;         /* whose reason is checked */
	const char *reason_has;
};

static const struct short_case short_cases[] = {
	{ "case 20 (c): two points", case20c, TT_ARRAY_SIZE(case20c), FORECAST_INSUFFICIENT,
	  "no model could be scored", FIT_MODEL_EXPFLOOR, "not enough points (2) for a 3-parameter model" },
	{ "case 20 (c): hyperbolic too", case20c, TT_ARRAY_SIZE(case20c), FORECAST_INSUFFICIENT,
	  "no model could be scored", FIT_MODEL_HYPERBOLIC, "not enough points (2) for a 3-parameter model" },
	{ "three points: loglinear unvalidated", three, TT_ARRAY_SIZE(three), FORECAST_OK,
	  "unvalidated default", FIT_MODEL_LOGLINEAR, "too few points for AICc" },
	{ "three points: no backtest for harmonic", three, TT_ARRAY_SIZE(three), FORECAST_OK,
	  "fewer than 5 priced changes", FIT_MODEL_HARMONIC, "too few points for AICc" },
};

static void test_short_series(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(short_cases); i++) {
		const struct short_case *c = &short_cases[i];
		struct series s = SERIES_INIT;
		struct forecast f;
		struct forecast_options o = { "2026-06-01", 0, 1, 0.5, NULL };
		struct tt_error err = { 0 };
		struct json_object *j;

		build(&s, "demo-z", c->d, c->n);
		if (forecast_run(&s, &o, &f, &err) != 0)
			fail_msg("%s: %s", c->name, err.msg);
		if (f.status != c->status)
			fail_msg("%s: status %s (%s)", c->name, forecast_status_name(f.status), f.reason);
		if (!strstr(f.selection, c->selection_has))
			fail_msg("%s: selection '%s'", c->name, f.selection);
		assert_int_equal(f.model, FIT_MODEL_LOGLINEAR);
		assert_int_equal(f.n_eligible, 0);
		for (k = 0; k < f.n_candidates; k++)
			if (f.candidates[k].model == c->model && !strstr(f.candidates[k].reason, c->reason_has))
				fail_msg("%s: %s reason '%s'", c->name, fit_model_name(c->model),
					 f.candidates[k].reason);
		j = render_json(&f);
		check_selection_invariants(&f, j);
		json_object_put(j);
		forecast_release(&f);
		series_release(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tv4_end_to_end),
		cmocka_unit_test(test_case20_degenerate),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_fmt_num),
		cmocka_unit_test(test_selection_auto),
		cmocka_unit_test(test_no_model_beats_naive),
		cmocka_unit_test(test_short_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
