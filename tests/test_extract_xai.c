/*
 * test_extract_xai.c - extract_xai() on xAI's Markdown docs: the pricing
 * page (Model table with prompt-band rows) and a model page (Type table
 * with band columns).
 *
 * (a) the committed excerpts, row by row; (b) acceptance on the two real
 * captures (skipped, saying so, when absent); (c) the prose multipliers
 * (batch 20%, priority 2x, regional 1.1x) give no prices; (d) fail closed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

#define M "1M tokens"
#define LO "prompt<200k"
#define HI "prompt>=200k"

#define XAI_MODEL_ROWS(id, i, c, o, i2, c2, o2)                  \
	{ id, "input", LO, i, "USD", M, "" },                     \
	{ id, "cache_read", LO, c, "USD", M, "" },                \
	{ id, "output", LO, o, "USD", M, "" },                    \
	{ id, "input", HI, i2, "USD", M, "" },                    \
	{ id, "cache_read", HI, c2, "USD", M, "" },               \
	{ id, "output", HI, o2, "USD", M, "" }

/* Every price of tests/fixtures/xai-pricing-excerpt.md, in page order. */
static const struct xrow pricing_rows[] = {
	XAI_MODEL_ROWS("grok-4.7", "2.00", "0.50", "6.00", "4.00", "1.00", "12.00"),
	XAI_MODEL_ROWS("grok-4.6", "2.00", "0.50", "6.00", "4.00", "1.00", "12.00"),
	XAI_MODEL_ROWS("grok-4.5", "2.00", "0.30", "6.00", "4.00", "0.60", "12.00"),
	XAI_MODEL_ROWS("grok-4.3", "1.25", "0.20", "2.50", "2.50", "0.40", "5.00"),
};

/* Every price of tests/fixtures/xai-model-grok-4.7-excerpt.md (rows by type, then band). */
static const struct xrow model_rows[] = {
	{ "grok-4.7", "input", LO, "2.00", "USD", M, "" },
	{ "grok-4.7", "input", HI, "4.00", "USD", M, "" },
	{ "grok-4.7", "cache_read", LO, "0.50", "USD", M, "" },
	{ "grok-4.7", "cache_read", HI, "1.00", "USD", M, "" },
	{ "grok-4.7", "output", LO, "6.00", "USD", M, "" },
	{ "grok-4.7", "output", HI, "12.00", "USD", M, "" },
};

static void test_excerpt_rows(void **state)
{
	(void)state;
	xt_check_fixture(extract_xai, "xai", "xai-pricing-excerpt.md", NULL, pricing_rows,
			 TT_ARRAY_SIZE(pricing_rows));
	xt_check_fixture(extract_xai, "xai", "xai-model-grok-4.7-excerpt.md", NULL, model_rows,
			 TT_ARRAY_SIZE(model_rows));
}

/* Spot values read by hand off the full pricing page. */
static const struct xrow spots_pricing[] = {
	{ "grok-4.7", "input", LO, "2.00", "USD", M, NULL },
	{ "grok-4.7", "output", HI, "12.00", "USD", M, NULL },
	{ "grok-4.5", "cache_read", LO, "0.30", "USD", M, NULL },
	{ "grok-4.3", "input", HI, "2.50", "USD", M, NULL },
	{ "grok-4.20-0309-reasoning", "cache_read", LO, "0.20", "USD", M, NULL },
	{ "grok-4.20-0309-non-reasoning", "output", HI, "5.00", "USD", M, NULL },
	{ "grok-build-0.1", "input", LO, "1.00", "USD", M, NULL },
	{ "grok-build-0.1", "output", HI, "4.00", "USD", M, NULL },
	{ "grok-4.20-multi-agent-0309", "cache_read", HI, "0.40", "USD", M, NULL },
};

static void test_full_captures(void **state)
{
	static const char *const prose[] = {
		"batch discount stated as a percentage (not a price table)",
		"priority multiplier stated in prose (not a price table)",
		"regional multiplier stated in prose (not a price table)",
	};
	struct price_list l = PRICE_LIST_INIT;
	struct extract_skips sk = EXTRACT_SKIPS_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t i;
	int rc;

	(void)state;
	if (tt_shared_path("pages/xai-docs-pricing-undated.md", path, sizeof(path)) == 0) {
		rc = xt_run_file(extract_xai, "xai", path, &l, &sk, &err);
		if (rc != 48)
			fail_msg("pricing page: %d prices, expected 48 (%s)", rc, err.msg);
		assert_int_equal(xt_models(&l), 8);
		xt_check_spots(&l, spots_pricing, TT_ARRAY_SIZE(spots_pricing));
		/* Nothing derived from the prose: one tier, no region, and the
		 * regional example "$2.20" is no stored price. */
		for (i = 0; i < l.n; i++) {
			assert_string_equal(l.v[i].tier, "standard");
			assert_string_equal(l.v[i].region, "");
			assert_true(l.v[i].nanos != INT64_C(2200000000));
		}
		for (i = 0; i < TT_ARRAY_SIZE(prose); i++)
			assert_int_equal(extract_skips_count(&sk, prose[i]), 1);
		price_list_release(&l);
		extract_skips_release(&sk);
	}
	if (tt_shared_path("pages/xai-docs-model-grok-4.7-undated.md", path, sizeof(path)) == 0) {
		rc = xt_run_file(extract_xai, "xai", path, &l, NULL, &err);
		if (rc != 6)
			fail_msg("model page: %d prices, expected 6 (%s)", rc, err.msg);
		xt_check_rows(&l, "xai", model_rows, TT_ARRAY_SIZE(model_rows));
		price_list_release(&l);
	}
}

static void test_fail_closed(void **state)
{
	static const struct xfail pricing[] = {
		{ "anchor gone: no Model column", "| Model |", "| Name |", 0, TT_EPARSE,
		  "no Markdown price table" },
		{ "delimiter row gone (not a table)", "| --- | --- | --- | --- | --- |\n", "", 0, TT_EPARSE,
		  "no Markdown price table" },
		{ "half the models cut (table ends)", "| grok-4.5 (< 200k", "\n| grok-4.5 (< 200k", 0, TT_EPARSE,
		  "fewer than 4" },
		{ "band not readable", "(< 200k prompt tokens)", "(long prompts)", 0, TT_EPARSE,
		  "not an id with an optional prompt band" },
		{ "unit gone from the headers", " / 1M tokens |", " |", 1, TT_EPARSE, "names no token unit" },
		{ "price without currency", "| $1.25 |", "| 1.25 |", 0, TT_EPARSE, "names no currency" },
		{ "no price columns", "| Input / 1M tokens | Cached input / 1M tokens | Output / 1M tokens |",
		  "| A | B | C |", 0, TT_EPARSE, "has no Input/Cached input/Output column" },
	};
	static const struct xfail model[] = {
		{ "model page without its id", "`grok-4.7`", "Grok 4.7", 0, TT_EPARSE, "no 'Model name" },
		{ "model page mixing band and plain columns", "< 200k prompt tokens (per 1M tokens)",
		  "Standard", 0, TT_EPARSE, "expected band columns or a single price column" },
	};
	char path[512];

	(void)state;
	tt_fixture_path("xai-pricing-excerpt.md", path, sizeof(path));
	xt_check_fails(extract_xai, "xai", path, pricing, TT_ARRAY_SIZE(pricing));
	tt_fixture_path("xai-model-grok-4.7-excerpt.md", path, sizeof(path));
	xt_check_fails(extract_xai, "xai", path, model, TT_ARRAY_SIZE(model));
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
