/*
 * test_extract_gemini.c - extract_gemini() on the Gemini API pricing page.
 *
 * (a) the committed excerpt tests/fixtures/gemini-2026-04-27-excerpt.html
 *     (the three sections of gemini-excerpt-undated.html plus the Flash
 *     Live, Flash Image, 2.0 Flash and Imagen sections of the 2026-04-27
 *     page) row by row; (b) acceptance on both real captures (counts, spot
 *     values checked by hand; skipped when absent); (c) fail closed: anchor
 *     removed, half the models of the excerpt capture missing (floor).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

static const struct xrow_full excerpt_rows[] = {
	{ "gemini-3.5-flash", "input", "standard", "", "", "1M tokens", "1.50", NULL },
	{ "gemini-3.5-flash", "output", "standard", "", "", "1M tokens", "9.00", NULL },
	{ "gemini-3.5-flash", "cache_read", "standard", "", "", "1M tokens", "0.15", NULL },
	{ "gemini-3.5-flash", "cache_storage", "standard", "", "", "1M tokens/hour", "1.00", NULL },
	{ "gemini-3.1-flash-lite", "input", "standard", "text/image/video", "", "1M tokens", "0.25", NULL },
	{ "gemini-3.1-flash-lite", "input", "standard", "audio", "", "1M tokens", "0.50", NULL },
	{ "gemini-3.1-flash-lite", "output", "standard", "", "", "1M tokens", "1.50", NULL },
	{ "gemini-3.1-flash-lite", "cache_read", "standard", "text/image/video", "", "1M tokens", "0.025", NULL },
	{ "gemini-3.1-flash-lite", "cache_read", "standard", "audio", "", "1M tokens", "0.05", NULL },
	{ "gemini-3.1-flash-lite", "cache_storage", "standard", "", "", "1M tokens/hour", "1.00", NULL },
	{ "gemini-2.5-pro", "input", "standard", "prompt<=200k", "", "1M tokens", "1.25", NULL },
	{ "gemini-2.5-pro", "input", "standard", "prompt>200k", "", "1M tokens", "2.50", NULL },
	{ "gemini-2.5-pro", "output", "standard", "prompt<=200k", "", "1M tokens", "10.00", NULL },
	{ "gemini-2.5-pro", "output", "standard", "prompt>200k", "", "1M tokens", "15.00", NULL },
	{ "gemini-2.5-pro", "cache_read", "standard", "prompt<=200k", "", "1M tokens", "0.125", NULL },
	{ "gemini-2.5-pro", "cache_read", "standard", "prompt>200k", "", "1M tokens", "0.25", NULL },
	{ "gemini-2.5-pro", "cache_storage", "standard", "", "", "1M tokens/hour", "4.50", NULL },
	{ "gemini-3.1-flash-live-preview", "input", "standard", "text", "", "1M tokens", "0.75", NULL },
	{ "gemini-3.1-flash-live-preview", "input", "standard", "audio", "", "1M tokens", "3.00", NULL },
	{ "gemini-3.1-flash-live-preview", "input", "standard", "image/video", "", "1M tokens", "1.00", NULL },
	{ "gemini-3.1-flash-live-preview", "output", "standard", "text", "", "1M tokens", "4.50", NULL },
	{ "gemini-3.1-flash-live-preview", "output", "standard", "audio", "", "1M tokens", "12.00", NULL },
	{ "gemini-3.1-flash-image-preview", "input", "standard", "text/image", "", "1M tokens", "0.50", NULL },
	{ "gemini-3.1-flash-image-preview", "output", "standard", "text", "", "1M tokens", "3.00", NULL },
	{ "gemini-3.1-flash-image-preview", "output", "standard", "image", "", "1M tokens", "60.00", NULL },
	{ "gemini-2.0-flash", "input", "standard", "text/image/video", "", "1M tokens", "0.10", NULL },
	{ "gemini-2.0-flash", "input", "standard", "audio", "", "1M tokens", "0.70", NULL },
	{ "gemini-2.0-flash", "output", "standard", "", "", "1M tokens", "0.40", NULL },
	{ "gemini-2.0-flash", "cache_read", "standard", "text/image/video", "", "1M tokens", "0.025", NULL },
	{ "gemini-2.0-flash", "cache_read", "standard", "audio", "", "1M tokens", "0.175", NULL },
	{ "gemini-2.0-flash", "cache_storage", "standard", "", "", "1M tokens/hour", "1.00", NULL },
};

static int run(const char *body, size_t len, const char *origin, struct price_list *out,
	       struct extract_skips *skips, struct tt_error *err)
{
	struct extract_ctx ctx = { "gemini", "2026-04-27", origin, skips };

	return extract_gemini(body, len, &ctx, out, err);
}

static void test_excerpt_rows(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct extract_skips skips = EXTRACT_SKIPS_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len;
	char *body;
	int rc;

	(void)state;
	tt_fixture_path("gemini-2026-04-27-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &skips, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	xt_check_rows_full(&l, "gemini", excerpt_rows, TT_ARRAY_SIZE(excerpt_rows));
	/* Skipped and counted: per-minute alternatives, per-image equivalents,
	 * the Imagen table (per image), grounding rows. */
	assert_int_equal(extract_skips_count(&skips, "per-unit alternative of a token price"), 3);
	assert_int_equal(extract_skips_count(&skips, "per-image equivalent of a token price (footnoted)"), 2);
	assert_int_equal(extract_skips_count(&skips,
					     "table priced per image/second/request (variants in row labels)"), 1);
	price_list_release(&l);
	extract_skips_release(&skips);
	free(body);
}

/* Read off gemini-api-pricing-2026-04-27.html by hand. */
static const struct xspot spots[] = {
	/* case 1: both bands of a tiered cell, never only the first */
	{ "gemini-2.5-pro", "input", "standard", "prompt<=200k", "", "1M tokens", "1.25" },
	{ "gemini-2.5-pro", "input", "standard", "prompt>200k", "", "1M tokens", "2.50" },
	{ "gemini-2.5-pro", "output", "batch", "prompt>200k", "", "1M tokens", "7.50" },
	{ "gemini-2.5-pro", "cache_storage", "standard", "", "", "1M tokens/hour", "4.50" },
	{ "gemini-3.1-pro-preview", "input", "priority", "prompt>200k", "", "1M tokens", "7.20" },
	{ "gemini-3.1-pro-preview", "cache_storage", "priority", "", "", "1M tokens/hour", "8.10" },
	{ "gemini-2.5-flash", "input", "standard", "text/image/video", "", "1M tokens", "0.30" },
	{ "gemini-2.5-flash", "input", "standard", "audio", "", "1M tokens", "1.00" },
	{ "gemini-2.5-flash", "cache_read", "standard", "audio", "", "1M tokens", "0.10" },  /* "$0.1" */
	{ "gemini-2.5-flash-lite", "output", "flex", "", "", "1M tokens", "0.20" },
	{ "gemini-3-pro-image-preview", "output", "standard", "image", "", "1M tokens", "120.00" },
	{ "gemini-2.0-flash", "cache_read", "batch", "audio", "", "1M tokens", "0.175" },
	{ "gemini-2.0-flash-lite", "input", "batch", "", "", "1M tokens", "0.0375" },
	{ "gemini-embedding-2", "input", "standard", "video", "", "1M tokens", "12.00" },
};

static const struct xspot excerpt_spots[] = { /* gemini-excerpt-undated.html */
	{ "gemini-3.5-flash", "input", "standard", "", "", "1M tokens", "1.50" },
	{ "gemini-3.5-flash", "cache_storage", "standard", "", "", "1M tokens/hour", "1.00" },
	{ "gemini-3.1-flash-lite", "cache_read", "standard", "audio", "", "1M tokens", "0.05" },
	{ "gemini-2.5-pro", "output", "standard", "prompt>200k", "", "1M tokens", "15.00" },
	{ "gemini-2.5-pro", "cache_read", "standard", "prompt<=200k", "", "1M tokens", "0.125" },
	{ "gemini-2.5-pro", "cache_read", "standard", "prompt>200k", "", "1M tokens", "0.25" },
};

static void test_full_captures(void **state)
{
	struct price_list l = PRICE_LIST_INIT, ex = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i;
	char *body;
	int rc;

	(void)state;
	if (tt_shared_path("pages/gemini-api-pricing-2026-04-27.html", path, sizeof(path)) == 0) {
		body = xt_load(path, &len);
		rc = run(body, len, path, &l, NULL, &err);
		if (rc != 240)
			fail_msg("%d prices, expected 240 (%s)", rc, err.msg);
		assert_int_equal(xt_models(&l), 22);
		xt_check_spots_full(&l, spots, TT_ARRAY_SIZE(spots));
		/* The free tier is never read: no zero price. */
		for (i = 0; i < l.n; i++)
			assert_true(l.v[i].nanos > 0);
		free(body);
	}
	if (tt_shared_path("pages/gemini-excerpt-undated.html", path, sizeof(path)) == 0) {
		body = xt_load(path, &len);
		rc = run(body, len, path, &ex, NULL, &err);
		if (rc != 17)
			fail_msg("excerpt: %d prices, expected 17 (%s)", rc, err.msg);
		xt_check_spots_full(&ex, excerpt_spots, TT_ARRAY_SIZE(excerpt_spots));
		/* Half its 3 models gone: the floor (3) fails it closed. */
		xt_fewer_models_fail("gemini", &ex, 1);
		free(body);
	}
	price_list_release(&l);
	price_list_release(&ex);
}

static const struct xfail fail_cases[] = {
	{ "anchor table.pricing-table removed", "pricing-table", "price-grid", 1, TT_EPARSE,
	  "no table.pricing-table" },
	{ "Paid Tier column renamed", "Paid Tier", "Tier 1", 1, TT_EPARSE, "no 'Input price' row" },
	{ "the page contradicts itself", "id=\"gemini-3.1-flash-lite\"", "id=\"gemini-3.5-flash\"", 0, TT_EPARSE,
	  "different prices" },
};

static void test_fail_closed(void **state)
{
	struct extract_ctx ctx = { "gemini", "2026-04-27", "broken.html", NULL };
	char path[512];

	(void)state;
	tt_fixture_path("gemini-2026-04-27-excerpt.html", path, sizeof(path));
	xt_check_fails_ctx(extract_gemini, &ctx, path, fail_cases, TT_ARRAY_SIZE(fail_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_captures),
		cmocka_unit_test(test_fail_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
