/*
 * test_extract_zai.c - extract_zai() on docs.z.ai/guides/overview/pricing.
 *
 * (a) the committed excerpt, row by row (Free, Limited-time Free, "-" and
 * "\" cells, the per-image table); (b) acceptance on the full capture
 * (skipped, saying so, when absent): count and spot values read by hand;
 * (c) fail closed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

#define M "1M tokens"
#define LTF "Limited-time Free"

/* Every price of tests/fixtures/zai-2026-08-18-excerpt.html, in page order. */
static const struct xrow rows[] = {
	{ "GLM-5.2", "input", "", "1.40", "USD", M, "" },
	{ "GLM-5.2", "cache_read", "", "0.26", "USD", M, "" },
	{ "GLM-5.2", "cache_storage", "", "0.00", "USD", M, LTF },
	{ "GLM-5.2", "output", "", "4.40", "USD", M, "" },
	{ "GLM-4.6", "input", "", "0.60", "USD", M, "" },
	{ "GLM-4.6", "cache_read", "", "0.11", "USD", M, "" },
	{ "GLM-4.6", "cache_storage", "", "0.00", "USD", M, LTF },
	{ "GLM-4.6", "output", "", "2.20", "USD", M, "" },
	{ "GLM-4.5", "input", "", "0.60", "USD", M, "" },
	{ "GLM-4.5", "cache_read", "", "0.11", "USD", M, "" },
	{ "GLM-4.5", "cache_storage", "", "0.00", "USD", M, LTF },
	{ "GLM-4.5", "output", "", "2.20", "USD", M, "" },
	/* "-" for cached input and storage: absent, not 0 */
	{ "GLM-4-32B-0414-128K", "input", "", "0.10", "USD", M, "" },
	{ "GLM-4-32B-0414-128K", "output", "", "0.10", "USD", M, "" },
	/* "Free": a known 0, in the currency the page states */
	{ "GLM-4.7-Flash", "input", "", "0.00", "USD", M, "" },
	{ "GLM-4.7-Flash", "cache_read", "", "0.00", "USD", M, "" },
	{ "GLM-4.7-Flash", "cache_storage", "", "0.00", "USD", M, "" },
	{ "GLM-4.7-Flash", "output", "", "0.00", "USD", M, "" },
	{ "GLM-4.6V", "input", "", "0.30", "USD", M, "" },
	{ "GLM-4.6V", "cache_read", "", "0.05", "USD", M, "" },
	{ "GLM-4.6V", "cache_storage", "", "0.00", "USD", M, LTF },
	{ "GLM-4.6V", "output", "", "0.90", "USD", M, "" },
	/* "\" cells: absent */
	{ "GLM-OCR", "input", "", "0.03", "USD", M, "" },
	{ "GLM-OCR", "output", "", "0.03", "USD", M, "" },
	/* "Prices per image." */
	{ "GLM-Image", "image", "", "0.015", "USD", "image", "" },
	{ "CogView-4", "image", "", "0.01", "USD", "image", "" },
};

static void test_excerpt_rows(void **state)
{
	struct extract_skips sk = EXTRACT_SKIPS_INIT;

	(void)state;
	xt_check_fixture(extract_zai, "zai", "zai-2026-08-18-excerpt.html", &sk, rows, TT_ARRAY_SIZE(rows));
	/* Tools, video and audio tables are counted as skipped, not stored. */
	assert_int_equal(extract_skips_count(&sk, "table without a Model column (tools, agents)"), 1);
	assert_int_equal(extract_skips_count(&sk, "Price column without a dimension (video, audio)"), 2);
	extract_skips_release(&sk);
}

/* Spot values read by hand off the full page. */
static const struct xrow spots[] = {
	{ "GLM-5.1", "input", "", "1.40", "USD", M, NULL },
	{ "GLM-5", "output", "", "3.20", "USD", M, NULL },
	{ "GLM-5-Turbo", "cache_read", "", "0.24", "USD", M, NULL },
	{ "GLM-4.7-FlashX", "input", "", "0.07", "USD", M, NULL },
	{ "GLM-4.5-X", "output", "", "8.90", "USD", M, NULL },
	{ "GLM-4.5-AirX", "cache_read", "", "0.22", "USD", M, NULL },
	{ "GLM-4.6V-FlashX", "cache_read", "", "0.004", "USD", M, NULL },
	{ "GLM-4.5V", "output", "", "1.80", "USD", M, NULL },
	{ "GLM-5V-Turbo", "cache_storage", "", "0.00", "USD", M, LTF },
	{ "GLM-4.5-Flash", "output", "", "0.00", "USD", M, "" },
	{ "GLM-Image", "image", "", "0.015", "USD", "image", NULL },
};

static void test_full_capture(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t i, storage = 0, images = 0;
	int rc;

	(void)state;
	if (tt_shared_path("pages/zai-2026-08-18.html", path, sizeof(path)) != 0)
		return;
	rc = xt_run_file(extract_zai, "zai", path, &l, NULL, &err);
	/* 14 text + 6 vision models (76 token prices: "-" and "\" cells
	 * absent) and 2 image models. */
	if (rc != 78)
		fail_msg("%d prices, expected 78 (%s)", rc, err.msg);
	assert_int_equal(xt_models(&l), 22);
	for (i = 0; i < l.n; i++) {
		storage += !strcmp(l.v[i].dimension, "cache_storage");
		images += !strcmp(l.v[i].dimension, "image");
	}
	assert_int_equal(storage, 18);
	assert_int_equal(images, 2);
	xt_check_spots(&l, spots, TT_ARRAY_SIZE(spots));
	price_list_release(&l);
}

static void test_fail_closed(void **state)
{
	static const struct xfail cases[] = {
		{ "anchor gone: no Model column", "<th style=\"text-align:left\">Model</th>",
		  "<th style=\"text-align:left\">Name</th>", 1, TT_EPARSE, "no Model | Input" },
		{ "unit line gone", "Prices per 1M tokens.", "Prices below.", 1, TT_EPARSE,
		  "has no 'Prices per 1M tokens.' line" },
		{ "page and cell disagree (repeated row, other value)", ">GLM-4.6<", ">GLM-5.2<", 0,
		  TT_EPARSE, "published twice with different prices" },
		{ "model cell not an id", ">GLM-4.5<", ">GLM 4.5<", 0, TT_EPARSE, "is not an id" },
		{ "no currency anywhere", "All prices are in USD.", "", 0, TT_EPARSE, "names no currency" },
	};
	char path[512];

	(void)state;
	tt_fixture_path("zai-2026-08-18-excerpt.html", path, sizeof(path));
	xt_check_fails(extract_zai, "zai", path, cases, TT_ARRAY_SIZE(cases));
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
