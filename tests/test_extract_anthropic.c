/*
 * test_extract_anthropic.c - extract_anthropic() on www.claude.com/pricing.
 *
 * (a) the committed excerpt tests/fixtures/anthropic-2025-11-14-excerpt.html,
 *     row by row; (b) acceptance on the full capture in ../shared/data/pages
 *     (skipped, saying so, when absent); (c) fail closed: no API card, a
 *     data-value that disagrees with the shown price.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tt_extract_test.h"

struct row {
	const char *model, *dimension, *tier, *condition, *price, *text;
};

/* Every price of the excerpt, in page order (checked against the page). */
static const struct row excerpt_rows[] = {
	{ "claude-opus-4.1", "input", "standard", "", "15.00", "$15 / MTok" },
	{ "claude-opus-4.1", "output", "standard", "", "75.00", "$75 / MTok" },
	{ "claude-opus-4.1", "cache_write", "standard", "", "18.75", "$18.75 / MTok" },
	{ "claude-opus-4.1", "cache_read", "standard", "", "1.50", "$1.50 / MTok" },
	{ "claude-sonnet-4.5", "input", "standard", "prompt<=200k", "3.00", "$3 / MTok" },
	{ "claude-sonnet-4.5", "input", "standard", "prompt>200k", "6.00", "$6 / MTok" },
	{ "claude-sonnet-4.5", "output", "standard", "prompt<=200k", "15.00", "$15 / MTok" },
	{ "claude-sonnet-4.5", "output", "standard", "prompt>200k", "22.50", "$22.50 / MTok" },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt<=200k", "3.75", "$3.75 / MTok" },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt<=200k", "0.30", "$0.30 / MTok" },
	{ "claude-sonnet-4.5", "cache_write", "standard", "prompt>200k", "7.50", "$7.50 / MTok" },
	{ "claude-sonnet-4.5", "cache_read", "standard", "prompt>200k", "0.60", "$0.60 / MTok" },
	{ "claude-haiku-3", "input", "standard", "", "0.25", "$0.25 / MTok" },
	{ "claude-haiku-3", "output", "standard", "", "1.25", "$1.25 / MTok" },
	{ "claude-haiku-3", "cache_write", "standard", "", "0.30", "$0.30 / MTok" },
	{ "claude-haiku-3", "cache_read", "standard", "", "0.03", "$0.03 / MTok" },
};

static int run(const char *body, size_t len, const char *origin, struct price_list *out,
	       struct tt_error *err)
{
	struct extract_ctx ctx = { "anthropic", "2025-11-14", origin, NULL };

	return extract_anthropic(body, len, &ctx, out, err);
}

static void test_excerpt_rows(void **state)
{
	char path[512], got[MONEY_FMT_MAX];
	size_t len, i;
	char *body;
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	int rc;

	(void)state;
	tt_fixture_path("anthropic-2025-11-14-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	for (i = 0; i < l.n; i++) {
		const struct price *p = &l.v[i];
		const struct row *w = &excerpt_rows[i];
		money_format(p->nanos, got, sizeof(got));
		if (strcmp(p->model, w->model) || strcmp(p->dimension, w->dimension) ||
		    strcmp(p->tier, w->tier) || strcmp(p->condition, w->condition) ||
		    strcmp(got, w->price) || strcmp(p->text, w->text))
			fail_msg("row %zu: %s %s %s '%s' %s '%s', expected %s %s %s '%s' %s '%s'", i,
				 p->model, p->dimension, p->tier, p->condition, got, p->text, w->model,
				 w->dimension, w->tier, w->condition, w->price, w->text);
		assert_string_equal(p->provider, "anthropic");
		assert_string_equal(p->currency, "USD");
		assert_string_equal(p->unit, "1M tokens");
		assert_non_null(p->note); /* the published title */
	}
	assert_string_equal(l.v[0].note, "Opus 4.1");
	price_list_release(&l);
	free(body);
}

static const struct price *find(const struct price_list *l, const char *model, const char *dim,
				const char *cond)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].model, model) && !strcmp(l->v[i].dimension, dim) &&
		    !strcmp(l->v[i].condition, cond))
			return &l->v[i];
	return NULL;
}

/* Spot values read off the page by hand. */
static const struct {
	const char *model, *dimension, *condition, *price;
} spots[] = {
	{ "claude-opus-4.1", "input", "", "15.00" },
	{ "claude-opus-4.1", "cache_write", "", "18.75" },
	{ "claude-sonnet-4.5", "input", "prompt<=200k", "3.00" },
	{ "claude-sonnet-4.5", "input", "prompt>200k", "6.00" },
	{ "claude-sonnet-4.5", "output", "prompt<=200k", "15.00" },
	{ "claude-sonnet-4.5", "output", "prompt>200k", "22.50" },
	{ "claude-sonnet-4.5", "cache_write", "prompt<=200k", "3.75" },
	{ "claude-sonnet-4.5", "cache_write", "prompt>200k", "7.50" },
	{ "claude-sonnet-4.5", "cache_read", "prompt<=200k", "0.30" },
	{ "claude-sonnet-4.5", "cache_read", "prompt>200k", "0.60" },
	{ "claude-haiku-4.5", "output", "", "5.00" },
	{ "claude-haiku-3.5", "input", "", "0.80" },
	{ "claude-haiku-3", "cache_read", "", "0.03" },
};

static void test_full_capture(void **state)
{
	static const char *const models[] = {
		"claude-opus-4.1", "claude-sonnet-4.5", "claude-haiku-4.5", "claude-sonnet-4",
		"claude-opus-4", "claude-sonnet-3.7", "claude-haiku-3.5", "claude-opus-3", "claude-haiku-3",
	};
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512], got[MONEY_FMT_MAX];
	size_t len, i, k, sonnet45 = 0;
	char *body;
	int rc;

	(void)state;
	if (tt_shared_path("pages/anthropic-2025-11-14.html", path, sizeof(path)) != 0)
		return;
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &err);
	if (rc != 40)
		fail_msg("%d prices, expected 40 (%s)", rc, err.msg);
	for (k = 0; k < TT_ARRAY_SIZE(models); k++) {
		size_t n = 0;
		for (i = 0; i < l.n; i++)
			n += !strcmp(l.v[i].model, models[k]);
		if (n != (!strcmp(models[k], "claude-sonnet-4.5") ? 8u : 4u))
			fail_msg("%s: %zu prices", models[k], n);
	}
	for (i = 0; i < l.n; i++)
		sonnet45 += !strcmp(l.v[i].model, "claude-sonnet-4.5");
	assert_int_equal(sonnet45, 8);
	for (k = 0; k < TT_ARRAY_SIZE(spots); k++) {
		const struct price *p = find(&l, spots[k].model, spots[k].dimension, spots[k].condition);
		if (!p)
			fail_msg("%s %s '%s' missing", spots[k].model, spots[k].dimension, spots[k].condition);
		money_format(p->nanos, got, sizeof(got));
		if (strcmp(got, spots[k].price))
			fail_msg("%s %s '%s' = %s, expected %s", spots[k].model, spots[k].dimension,
				 spots[k].condition, got, spots[k].price);
	}
	price_list_release(&l);
	free(body);
}

static const struct xfail fail_cases[] = {
	{ "no API card (class renamed)", "card_pricing_api_wrap", "card_pricing_x_wrap", 1,
	  TT_EPARSE, "no API pricing card" },
	{ "data-value disagrees with the shown price", "data-value=\"15\"", "data-value=\"16\"", 0,
	  TT_EPARSE, "disagrees" },
	{ "price without data-value", "data-value=\"15\"", "data-x=\"15\"", 0, TT_EPARSE,
	  "no data-value" },
	{ "card without title", "card_pricing_title_text", "card_title", 1, TT_EPARSE,
	  "title) is missing" },
	{ "card with two titles (anchor twice)", "<h3 class=\"card_pricing_title_text u-text-style-h4 u-mb-1-5\">Opus 4.1",
	  "<h3 class=\"card_pricing_title_text\">Opus 4</h3><h3 class=\"card_pricing_title_text u-text-style-h4 u-mb-1-5\">Opus 4.1",
	  0, TT_EPARSE, "appears 2 times, expected exactly once" },
	{ "unit gone", "\xc2\xa0/ MTok", "", 0, TT_EPARSE, "unit" }, /* an NBSP before "/" */
};

static void test_fail_closed(void **state)
{
	struct extract_ctx ctx = { "anthropic", "2025-11-14", "broken.html", NULL };
	char path[512];

	(void)state;
	tt_fixture_path("anthropic-2025-11-14-excerpt.html", path, sizeof(path));
	xt_check_fails_ctx(extract_anthropic, &ctx, path, fail_cases, TT_ARRAY_SIZE(fail_cases));
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
