/*
 * test_extract_vertex.c - extract_vertex() on the Vertex AI pricing page.
 *
 * (a) the committed excerpt tests/fixtures/vertex-excerpt.html (from
 *     vertex-ai-pricing-excerpt-undated.html: rows of three Gemini models
 *     of table 1, Gemini 3.5 Flash of the Flex/Batch table, and the Claude
 *     tab panels cut to Opus 5.5 and Sonnet 4.5; the tab buttons became
 *     spans because the trimming script drops buttons) row by row, observed
 *     before and after a scheduled price's day; (b) acceptance on the real
 *     capture (count, spot values checked by hand; skipped when absent);
 *     (c) fail closed: anchor removed, a Claude panel without region,
 *     half the models missing (floor).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

/* Observed 2026-06-01: Gemini 3.8 Flash at its price "through December 31,
 * 2026"; its "Starting January 1, 2027" rows are counted as skipped. */
static const struct xrow_full excerpt_rows[] = {
	{ "gemini-3.1-pro-preview", "input", "standard", "prompt<=200k", "global", "1M tokens", "2.00", NULL },
	{ "gemini-3.1-pro-preview", "input", "standard", "prompt>200k", "global", "1M tokens", "4.00", NULL },
	{ "gemini-3.1-pro-preview", "cache_read", "standard", "prompt<=200k", "global", "1M tokens", "0.20", NULL },
	{ "gemini-3.1-pro-preview", "cache_read", "standard", "prompt>200k", "global", "1M tokens", "0.40", NULL },
	{ "gemini-3.1-pro-preview", "output", "standard", "prompt<=200k,text", "global", "1M tokens", "12.00", NULL },
	{ "gemini-3.1-pro-preview", "output", "standard", "prompt>200k,text", "global", "1M tokens", "18.00", NULL },
	{ "gemini-3.8-flash", "input", "standard", "prompt<=200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.8-flash", "input", "standard", "prompt>200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.8-flash", "cache_read", "standard", "prompt<=200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.8-flash", "cache_read", "standard", "prompt>200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.8-flash", "input", "standard", "prompt<=200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.8-flash", "input", "standard", "prompt>200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.8-flash", "cache_read", "standard", "prompt<=200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.8-flash", "cache_read", "standard", "prompt>200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.8-flash", "output", "standard", "prompt<=200k,text", "global", "1M tokens", "3.75", NULL },
	{ "gemini-3.8-flash", "output", "standard", "prompt>200k,text", "global", "1M tokens", "3.75", NULL },
	{ "gemini-3.8-flash", "output", "standard", "prompt<=200k,text", "non-global", "1M tokens", "4.125", NULL },
	{ "gemini-3.8-flash", "output", "standard", "prompt>200k,text", "non-global", "1M tokens", "4.125", NULL },
	{ "gemini-3.5-flash", "input", "batch", "prompt<=200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.5-flash", "input", "batch", "prompt>200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.5-flash", "cache_read", "batch", "prompt<=200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.5-flash", "cache_read", "batch", "prompt>200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.5-flash", "input", "flex", "prompt<=200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.5-flash", "input", "flex", "prompt>200k", "global", "1M tokens", "0.75", NULL },
	{ "gemini-3.5-flash", "cache_read", "flex", "prompt<=200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.5-flash", "cache_read", "flex", "prompt>200k", "global", "1M tokens", "0.075", NULL },
	{ "gemini-3.5-flash", "input", "flex", "prompt<=200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.5-flash", "input", "batch", "prompt<=200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.5-flash", "input", "flex", "prompt>200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.5-flash", "input", "batch", "prompt>200k", "non-global", "1M tokens", "0.825", NULL },
	{ "gemini-3.5-flash", "cache_read", "flex", "prompt<=200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.5-flash", "cache_read", "batch", "prompt<=200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.5-flash", "cache_read", "flex", "prompt>200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.5-flash", "cache_read", "batch", "prompt>200k", "non-global", "1M tokens", "0.0825", NULL },
	{ "gemini-3.5-flash", "output", "flex", "prompt<=200k,text", "global", "1M tokens", "4.50", NULL },
	{ "gemini-3.5-flash", "output", "batch", "prompt<=200k,text", "global", "1M tokens", "4.50", NULL },
	{ "gemini-3.5-flash", "output", "flex", "prompt>200k,text", "global", "1M tokens", "4.50", NULL },
	{ "gemini-3.5-flash", "output", "batch", "prompt>200k,text", "global", "1M tokens", "4.50", NULL },
	{ "gemini-3.5-flash", "output", "flex", "prompt<=200k,text", "non-global", "1M tokens", "4.95", NULL },
	{ "gemini-3.5-flash", "output", "batch", "prompt<=200k,text", "non-global", "1M tokens", "4.95", NULL },
	{ "gemini-3.5-flash", "output", "flex", "prompt>200k,text", "non-global", "1M tokens", "4.95", NULL },
	{ "gemini-3.5-flash", "output", "batch", "prompt>200k,text", "non-global", "1M tokens", "4.95", NULL },
	{ "gemini-3.5-flash-lite", "input", "flex", "prompt<=200k", "global", "1M tokens", "0.15", NULL },
	{ "gemini-3.5-flash-lite", "input", "batch", "prompt<=200k", "global", "1M tokens", "0.15", NULL },
	{ "gemini-3.5-flash-lite", "input", "flex", "prompt>200k", "global", "1M tokens", "0.15", NULL },
	{ "gemini-3.5-flash-lite", "input", "batch", "prompt>200k", "global", "1M tokens", "0.15", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "flex", "prompt<=200k", "global", "1M tokens", "0.015", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "batch", "prompt<=200k", "global", "1M tokens", "0.015", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "flex", "prompt>200k", "global", "1M tokens", "0.015", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "batch", "prompt>200k", "global", "1M tokens", "0.015", NULL },
	{ "gemini-3.5-flash-lite", "input", "flex", "prompt<=200k", "non-global", "1M tokens", "0.165", NULL },
	{ "gemini-3.5-flash-lite", "input", "batch", "prompt<=200k", "non-global", "1M tokens", "0.165", NULL },
	{ "gemini-3.5-flash-lite", "input", "flex", "prompt>200k", "non-global", "1M tokens", "0.165", NULL },
	{ "gemini-3.5-flash-lite", "input", "batch", "prompt>200k", "non-global", "1M tokens", "0.165", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "flex", "prompt<=200k", "non-global", "1M tokens", "0.0165", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "batch", "prompt<=200k", "non-global", "1M tokens", "0.0165", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "flex", "prompt>200k", "non-global", "1M tokens", "0.0165", NULL },
	{ "gemini-3.5-flash-lite", "cache_read", "batch", "prompt>200k", "non-global", "1M tokens", "0.0165", NULL },
	{ "gemini-3.5-flash-lite", "output", "flex", "prompt<=200k,text", "global", "1M tokens", "1.25", NULL },
	{ "gemini-3.5-flash-lite", "output", "batch", "prompt<=200k,text", "global", "1M tokens", "1.25", NULL },
	{ "gemini-3.5-flash-lite", "output", "flex", "prompt>200k,text", "global", "1M tokens", "1.25", NULL },
	{ "gemini-3.5-flash-lite", "output", "batch", "prompt>200k,text", "global", "1M tokens", "1.25", NULL },
	{ "gemini-3.5-flash-lite", "output", "flex", "prompt<=200k,text", "non-global", "1M tokens", "1.375", NULL },
	{ "gemini-3.5-flash-lite", "output", "batch", "prompt<=200k,text", "non-global", "1M tokens", "1.375", NULL },
	{ "gemini-3.5-flash-lite", "output", "flex", "prompt>200k,text", "non-global", "1M tokens", "1.375", NULL },
	{ "gemini-3.5-flash-lite", "output", "batch", "prompt>200k,text", "non-global", "1M tokens", "1.375", NULL },
	{ "claude-opus-5.5", "input", "standard", "prompt<=200k", "global", "1M tokens", "4.00", NULL },
	{ "claude-opus-5.5", "output", "standard", "prompt<=200k", "global", "1M tokens", "20.00", NULL },
	{ "claude-opus-5.5", "output", "standard", "prompt>200k", "global", "1M tokens", "20.00", NULL },
	{ "claude-opus-5.5", "input", "batch", "prompt<=200k", "global", "1M tokens", "2.50", NULL },
	{ "claude-opus-5.5", "output", "batch", "prompt<=200k", "global", "1M tokens", "12.50", NULL },
	{ "claude-opus-5.5", "cache_write", "standard", "prompt<=200k", "global", "1M tokens", "5.00", NULL },
	{ "claude-opus-5.5", "cache_write", "standard", "prompt>200k", "global", "1M tokens", "5.00", NULL },
	{ "claude-opus-5.5", "cache_write_1h", "standard", "prompt<=200k", "global", "1M tokens", "8.00", NULL },
	{ "claude-opus-5.5", "cache_write_1h", "standard", "prompt>200k", "global", "1M tokens", "8.00", NULL },
	{ "claude-opus-5.5", "cache_read", "standard", "prompt<=200k", "global", "1M tokens", "0.20", NULL },
	{ "claude-opus-5.5", "cache_read", "standard", "prompt>200k", "global", "1M tokens", "0.20", NULL },
	{ "claude-opus-5.5", "cache_write", "batch", "prompt<=200k", "global", "1M tokens", "2.50", NULL },
	{ "claude-opus-5.5", "cache_write_1h", "batch", "prompt<=200k", "global", "1M tokens", "4.00", NULL },
	{ "claude-opus-5.5", "cache_read", "batch", "prompt<=200k", "global", "1M tokens", "0.10", NULL },
	{ "claude-sonnet-4.5", "input", "standard", "prompt<=200k", "global", "1M tokens", "3.00", NULL },
	{ "claude-sonnet-4.5", "input", "standard", "prompt>200k", "global", "1M tokens", "6.00", NULL },
	{ "claude-sonnet-4.5", "output", "standard", "prompt<=200k", "global", "1M tokens", "15.00", NULL },
	{ "claude-sonnet-4.5", "output", "standard", "prompt>200k", "global", "1M tokens", "22.50", NULL },
	{ "claude-sonnet-4.5", "input", "batch", "prompt<=200k", "global", "1M tokens", "1.50", NULL },
	{ "claude-sonnet-4.5", "output", "batch", "prompt<=200k", "global", "1M tokens", "7.50", NULL },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt<=200k", "global", "1M tokens", "3.75", NULL },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt>200k", "global", "1M tokens", "7.50", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "standard", "prompt<=200k", "global", "1M tokens", "6.00", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "standard", "prompt>200k", "global", "1M tokens", "12.00", NULL },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt<=200k", "global", "1M tokens", "0.30", NULL },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt>200k", "global", "1M tokens", "0.60", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "batch", "prompt<=200k", "global", "1M tokens", "3.00", NULL },
	{ "claude-sonnet-4.5", "cache_read", "batch", "prompt<=200k", "global", "1M tokens", "0.15", NULL },
	{ "claude-sonnet-4.5", "input", "standard", "prompt<=200k", "us-east5", "1M tokens", "3.30", NULL },
	{ "claude-sonnet-4.5", "input", "standard", "prompt>200k", "us-east5", "1M tokens", "6.60", NULL },
	{ "claude-sonnet-4.5", "output", "standard", "prompt<=200k", "us-east5", "1M tokens", "16.50", NULL },
	{ "claude-sonnet-4.5", "output", "standard", "prompt>200k", "us-east5", "1M tokens", "24.75", NULL },
	{ "claude-sonnet-4.5", "input", "batch", "prompt<=200k", "us-east5", "1M tokens", "1.65", NULL },
	{ "claude-sonnet-4.5", "output", "batch", "prompt<=200k", "us-east5", "1M tokens", "8.25", NULL },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt<=200k", "us-east5", "1M tokens", "4.13", NULL },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt>200k", "us-east5", "1M tokens", "8.25", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "standard", "prompt<=200k", "us-east5", "1M tokens", "6.60", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "standard", "prompt>200k", "us-east5", "1M tokens", "13.20", NULL },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt<=200k", "us-east5", "1M tokens", "0.33", NULL },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt>200k", "us-east5", "1M tokens", "0.66", NULL },
	{ "claude-sonnet-4.5", "cache_write", "batch", "prompt<=200k", "us-east5", "1M tokens", "2.06", NULL },
	{ "claude-sonnet-4.5", "cache_read", "batch", "prompt<=200k", "us-east5", "1M tokens", "0.17", NULL },
};

static int run(const char *body, size_t len, const char *date, struct price_list *out,
	       struct extract_skips *skips, struct tt_error *err)
{
	struct extract_ctx ctx = { "vertex", date, "vertex-excerpt.html", skips };

	return extract_vertex(body, len, &ctx, out, err);
}

static void test_excerpt_rows(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct extract_skips skips = EXTRACT_SKIPS_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i, n38 = 0;
	char *body;
	int rc;

	(void)state;
	tt_fixture_path("vertex-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	rc = run(body, len, "2026-06-01", &l, &skips, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	xt_check_rows_full(&l, "vertex", excerpt_rows, TT_ARRAY_SIZE(excerpt_rows));
	assert_int_equal(extract_skips_count(&skips,
					     "scheduled price not yet in force on the observation date"), 12);
	/* Sonnet 4.5's "5m Batch Cache Write" is given twice ($1.88, $1.00): dropped. */
	assert_int_equal(extract_skips_count(&skips, "published twice with different prices"), 1);
	assert_int_equal(extract_skips_count(&skips, "unknown Claude row type"), 1);
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].model, "gemini-3.8-flash") && !strcmp(l.v[i].dimension, "input") &&
		    !strcmp(l.v[i].region, "global") && !strcmp(l.v[i].condition, "prompt<=200k"))
			assert_string_equal(l.v[i].note,
					    "Gemini 3.8 Flash* through December 31, 2026; from 2027-01-01: 1.50");
	price_list_release(&l);
	extract_skips_release(&skips);

	/* Observed on the day: the scheduled price, effective 2027-01-01. */
	rc = run(body, len, "2027-01-01", &l, NULL, &err);
	assert_int_equal(rc, (int)TT_ARRAY_SIZE(excerpt_rows));
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].model, "gemini-3.8-flash"))
			continue;
		n38++;
		assert_non_null(l.v[i].effective);
		assert_string_equal(l.v[i].effective, "2027-01-01");
		if (!strcmp(l.v[i].dimension, "input") && !strcmp(l.v[i].region, "global") &&
		    !strcmp(l.v[i].condition, "prompt<=200k"))
			assert_int_equal(l.v[i].nanos, INT64_C(1500000000));
	}
	assert_int_equal(n38, 12);
	price_list_release(&l);
	free(body);
}

/* Read off vertex-ai-pricing-excerpt-undated.html by hand. */
static const struct xspot spots[] = {
	{ "gemini-3.1-pro-preview", "input", "standard", "prompt<=200k", "global", "1M tokens", "2.00" },
	{ "gemini-3.1-pro-preview", "output", "standard", "prompt>200k,text", "global", "1M tokens", "18.00" },
	{ "gemini-3.1-pro-preview", "cache_read", "priority", "prompt>200k", "global", "1M tokens", "0.72" },
	{ "gemini-3.8-flash-cyber", "input", "standard", "prompt<=200k", "non-global", "1M tokens", "1.65" },
	{ "gemini-3.5-flash", "input", "batch", "prompt<=200k", "global", "1M tokens", "0.75" },
	{ "gemini-3.5-flash", "cache_read", "flex", "prompt>200k", "non-global", "1M tokens", "0.0825" },
	{ "gemini-3.8-live-api", "input", "standard", "prompt<=200k,audio", "non-global", "1M tokens", "3.00" },
	{ "gemini-3-pro-image", "output", "priority", "prompt<=200k,image", "global", "1M tokens", "216.00" },
	{ "gemini-3.1-flash-image", "output", "standard", "prompt<=200k,image", "non-global", "1M tokens", "66.00" },
	{ "claude-haiku-5.5", "cache_write_1h", "standard", "prompt>100k", "global", "1M tokens", "1.00" },
	{ "claude-opus-5.5", "input", "batch", "prompt<=200k", "global", "1M tokens", "2.50" },
	{ "claude-sonnet-4.5", "output", "standard", "prompt>200k", "us-east5", "1M tokens", "24.75" },
	{ "claude-sonnet-4.6", "cache_write", "standard", "prompt<=200k", "us-east5", "1M tokens", "4.13" },
};

static void test_full_capture(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len;
	char *body;
	int rc;

	(void)state;
	if (tt_shared_path("pages/vertex-ai-pricing-excerpt-undated.html", path, sizeof(path)) != 0)
		return;
	body = xt_load(path, &len);
	rc = run(body, len, "2026-06-01", &l, NULL, &err);
	if (rc != 579)
		fail_msg("%d prices, expected 579 (%s)", rc, err.msg);
	assert_int_equal(xt_models(&l), 17);
	xt_check_spots_full(&l, spots, TT_ARRAY_SIZE(spots));
	xt_fewer_models_fail("vertex", &l, 8); /* half of 17, under the floor of 9 */
	price_list_release(&l);
	free(body);
}

static const struct xfail fail_cases[] = {
	{ "anchor table.nooFgd removed", "nooFgd", "tbl", 1, TT_EPARSE, "no Gemini pricing table" },
	{ "Region column renamed", ">Region<", ">Where<", 1, TT_EPARSE,
	  "lacks the Model, Type, Region" },
	{ "a Claude panel without its tab", "aria-labelledby=", "data-x=", 0, TT_EPARSE,
	  "no region tab" },
};

static void test_fail_closed(void **state)
{
	struct extract_ctx ctx = { "vertex", "2026-06-01", "vertex-excerpt.html", NULL };
	char path[512];

	(void)state;
	tt_fixture_path("vertex-excerpt.html", path, sizeof(path));
	xt_check_fails_ctx(extract_vertex, &ctx, path, fail_cases, TT_ARRAY_SIZE(fail_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_capture),
		cmocka_unit_test(test_fail_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
