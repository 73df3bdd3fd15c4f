/*
 * test_extract_anthropic_docs.c - the `anthropic` source on the Claude
 * platform docs pricing page, read by extract_anthropic_docs.c through
 * extract_anthropic().
 *
 * (a) the committed excerpt
 *     tests/fixtures/anthropic-platform-docs-2026-04-26-excerpt.html (5 of
 *     13 models of each table, the fast-mode section; its sentence naming
 *     the model shortened by hand) row by row; (b) acceptance on
 *     ../shared/data/pages/anthropic-platform-docs-pricing-2026-04-26.html
 *     (count, spot values checked by hand; skipped when absent), and the
 *     same keys as the claude.com cards page for the same model; (c) fail
 *     closed: anchor table removed, a price without unit, half the models
 *     missing (validation floor).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

static const struct xrow_full excerpt_rows[] = {
	{ "claude-opus-4.7", "input", "standard", "", "", "1M tokens", "5.00", NULL },
	{ "claude-opus-4.7", "cache_write", "standard", "", "", "1M tokens", "6.25", NULL },
	{ "claude-opus-4.7", "cache_write_1h", "standard", "", "", "1M tokens", "10.00", NULL },
	{ "claude-opus-4.7", "cache_read", "standard", "", "", "1M tokens", "0.50", NULL },
	{ "claude-opus-4.7", "output", "standard", "", "", "1M tokens", "25.00", NULL },
	{ "claude-opus-4.1", "input", "standard", "", "", "1M tokens", "15.00", NULL },
	{ "claude-opus-4.1", "cache_write", "standard", "", "", "1M tokens", "18.75", NULL },
	{ "claude-opus-4.1", "cache_write_1h", "standard", "", "", "1M tokens", "30.00", NULL },
	{ "claude-opus-4.1", "cache_read", "standard", "", "", "1M tokens", "1.50", NULL },
	{ "claude-opus-4.1", "output", "standard", "", "", "1M tokens", "75.00", NULL },
	{ "claude-sonnet-4.5", "input", "standard", "", "", "1M tokens", "3.00", NULL },
	{ "claude-sonnet-4.5", "cache_write", "standard", "", "", "1M tokens", "3.75", NULL },
	{ "claude-sonnet-4.5", "cache_write_1h", "standard", "", "", "1M tokens", "6.00", NULL },
	{ "claude-sonnet-4.5", "cache_read", "standard", "", "", "1M tokens", "0.30", NULL },
	{ "claude-sonnet-4.5", "output", "standard", "", "", "1M tokens", "15.00", NULL },
	{ "claude-sonnet-3.7", "input", "standard", "", "", "1M tokens", "3.00", NULL },
	{ "claude-sonnet-3.7", "cache_write", "standard", "", "", "1M tokens", "3.75", NULL },
	{ "claude-sonnet-3.7", "cache_write_1h", "standard", "", "", "1M tokens", "6.00", NULL },
	{ "claude-sonnet-3.7", "cache_read", "standard", "", "", "1M tokens", "0.30", NULL },
	{ "claude-sonnet-3.7", "output", "standard", "", "", "1M tokens", "15.00", NULL },
	{ "claude-haiku-3", "input", "standard", "", "", "1M tokens", "0.25", NULL },
	{ "claude-haiku-3", "cache_write", "standard", "", "", "1M tokens", "0.30", NULL },
	{ "claude-haiku-3", "cache_write_1h", "standard", "", "", "1M tokens", "0.50", NULL },
	{ "claude-haiku-3", "cache_read", "standard", "", "", "1M tokens", "0.03", NULL },
	{ "claude-haiku-3", "output", "standard", "", "", "1M tokens", "1.25", NULL },
	{ "claude-opus-4.6", "input", "fast", "", "", "1M tokens", "30.00", NULL },
	{ "claude-opus-4.6", "output", "fast", "", "", "1M tokens", "150.00", NULL },
	{ "claude-opus-4.7", "input", "batch", "", "", "1M tokens", "2.50", NULL },
	{ "claude-opus-4.7", "output", "batch", "", "", "1M tokens", "12.50", NULL },
	{ "claude-opus-4.1", "input", "batch", "", "", "1M tokens", "7.50", NULL },
	{ "claude-opus-4.1", "output", "batch", "", "", "1M tokens", "37.50", NULL },
	{ "claude-sonnet-4.5", "input", "batch", "", "", "1M tokens", "1.50", NULL },
	{ "claude-sonnet-4.5", "output", "batch", "", "", "1M tokens", "7.50", NULL },
	{ "claude-sonnet-3.7", "input", "batch", "", "", "1M tokens", "1.50", NULL },
	{ "claude-sonnet-3.7", "output", "batch", "", "", "1M tokens", "7.50", NULL },
	{ "claude-haiku-3", "input", "batch", "", "", "1M tokens", "0.125", NULL },
	{ "claude-haiku-3", "output", "batch", "", "", "1M tokens", "0.625", NULL },
};

static int run(const char *body, size_t len, const char *origin, struct price_list *out,
	       struct tt_error *err)
{
	struct extract_ctx ctx = { "anthropic", "2026-04-26", origin, NULL };

	return extract_anthropic(body, len, &ctx, out, err);
}

static void test_excerpt_rows(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i;
	char *body;
	int rc;

	(void)state;
	tt_fixture_path("anthropic-platform-docs-2026-04-26-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	xt_check_rows_full(&l, "anthropic", excerpt_rows, TT_ARRAY_SIZE(excerpt_rows));
	/* "(deprecated)" leaves the id and stays in the note. */
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].model, "claude-sonnet-3.7"))
			assert_string_equal(l.v[i].note, "Claude Sonnet 3.7 (deprecated)");
	assert_string_equal(l.v[0].text, "$5 / MTok");
	price_list_release(&l);
	free(body);
}

/* Read off the docs page by hand. */
static const struct xspot spots[] = {
	{ "claude-opus-4.7", "input", "standard", "", "", "1M tokens", "5.00" },
	{ "claude-opus-4.7", "cache_write", "standard", "", "", "1M tokens", "6.25" },
	{ "claude-opus-4.7", "cache_write_1h", "standard", "", "", "1M tokens", "10.00" },
	{ "claude-opus-4.7", "cache_read", "standard", "", "", "1M tokens", "0.50" },
	{ "claude-opus-4.7", "output", "standard", "", "", "1M tokens", "25.00" },
	{ "claude-haiku-3.5", "cache_write_1h", "standard", "", "", "1M tokens", "1.60" }, /* "$1.6 / MTok" */
	{ "claude-opus-3", "output", "standard", "", "", "1M tokens", "75.00" },
	{ "claude-haiku-3", "input", "batch", "", "", "1M tokens", "0.125" },
	{ "claude-haiku-3", "output", "batch", "", "", "1M tokens", "0.625" },
	{ "claude-sonnet-3.7", "input", "batch", "", "", "1M tokens", "1.50" },
	{ "claude-opus-4.6", "input", "fast", "", "", "1M tokens", "30.00" },
	{ "claude-opus-4.6", "output", "fast", "", "", "1M tokens", "150.00" },
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
	if (tt_shared_path("pages/anthropic-platform-docs-pricing-2026-04-26.html", path,
			   sizeof(path)) != 0)
		return;
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &err);
	if (rc != 93) /* 13 models x 5 + 13 x 2 batch + 2 fast */
		fail_msg("%d prices, expected 93 (%s)", rc, err.msg);
	assert_int_equal(xt_models(&l), 13);
	xt_check_spots_full(&l, spots, TT_ARRAY_SIZE(spots));
	xt_fewer_models_fail("anthropic", &l, 6);
	price_list_release(&l);
	free(body);
}

/* The cards page and the docs page give the same key for the same model. */
static void test_same_keys_as_cards(void **state)
{
	struct price_list cards = PRICE_LIST_INIT, docs = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i, j, same = 0;
	char *body;

	(void)state;
	tt_fixture_path("anthropic-2025-11-14-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	assert_true(run(body, len, path, &cards, &err) > 0);
	free(body);
	tt_fixture_path("anthropic-platform-docs-2026-04-26-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	assert_true(run(body, len, path, &docs, &err) > 0);
	free(body);
	for (i = 0; i < cards.n; i++)
		for (j = 0; j < docs.n; j++)
			if (!price_key_cmp(&cards.v[i], &docs.v[j])) {
				assert_int_equal(cards.v[i].nanos, docs.v[j].nanos);
				same++;
			}
	/* Opus 4.1 and Haiku 3: input, output, cache write (5m), cache read. */
	assert_int_equal(same, 8);
	price_list_release(&cards);
	price_list_release(&docs);
}

static const struct xfail fail_cases[] = {
	{ "anchor table removed", "Base Input Tokens", "Input Tokens (base)", 1, TT_EPARSE,
	  "Base Input Tokens" },
	{ "a price without its unit", "$25 / MTok", "$25", 0, TT_EPARSE,
	  "not one value with currency" },
	{ "the page contradicts itself", ">Claude Opus 4.1<", ">Claude Opus 4.7<", 1, TT_EPARSE,
	  "different prices" },
};

static void test_fail_closed(void **state)
{
	struct extract_ctx ctx = { "anthropic", "2026-04-26", "broken.html", NULL };
	char path[512];

	(void)state;
	tt_fixture_path("anthropic-platform-docs-2026-04-26-excerpt.html", path, sizeof(path));
	xt_check_fails_ctx(extract_anthropic, &ctx, path, fail_cases, TT_ARRAY_SIZE(fail_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_capture),
		cmocka_unit_test(test_same_keys_as_cards),
		cmocka_unit_test(test_fail_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
