/*
 * test_scrape.c - one source end to end through scrape_body(): snapshot,
 * extract, validate, store, outcome.  A capture that lost its structure
 * stores nothing and the last good prices stay in force; a replay of the
 * same capture adds no change; capture names are read, never guessed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/scrape.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"

struct name_case {
	const char *path;
	int rc;
	const char *source;
	const char *date;
};

static const struct name_case name_cases[] = {
	{ "openai-2026-08-21.html", 0, "openai", "2026-08-21" },
	{ "dir/sub/openai-api-docs-pricing-2026-04-27.html", 0, "openai", "2026-04-27" },
	{ "openrouter-models-2026-08-18.json", 0, "openrouter", "2026-08-18" },
	{ "anthropic-2025-11-14", 0, "anthropic", "2025-11-14" },
	{ "gemini-excerpt-undated.html", TT_EINVAL, NULL, NULL },
	{ "deepseek-table-excerpt-2026-08.html", TT_EINVAL, NULL, NULL },  /* no day: not guessed */
	{ "openai-2026-02-30.html", TT_EINVAL, NULL, NULL },               /* not a calendar day */
	{ "openai-x2026-08-21.html", TT_EINVAL, NULL, NULL },              /* date not its own part */
	{ "zai-2026-08-18.html", TT_ENOTFOUND, "zai", "2026-08-18" },      /* no extractor yet */
	{ "nosuch-2026-08-18.html", TT_ENOTFOUND, "nosuch", "2026-08-18" },
	{ "2026-08-18.html", TT_EINVAL, NULL, NULL },
};

static void test_capture_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(name_cases); i++) {
		const struct name_case *c = &name_cases[i];
		char source[64] = "", date[11] = "";
		int rc = scrape_parse_capture_name(c->path, source, sizeof(source), date);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d", c->path, rc, c->rc);
		if (c->source && strcmp(source, c->source))
			fail_msg("%s: source '%s'", c->path, source);
		if (c->date && strcmp(date, c->date))
			fail_msg("%s: date '%s'", c->path, date);
	}
}

static size_t count_prices(struct store *st, const char *as_of, const char *model, const char *price)
{
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	size_t i, n = 0;
	char buf[32];

	f.source = "anthropic";
	f.as_of = as_of;
	f.model = model;
	struct tt_error err = { 0 };
	if (query_prices(st, &f, &rows, &err) < 0)
		fail_msg("query_prices: %s", err.msg);
	for (i = 0; i < rows.n; i++) {
		if (price) {
			snprintf(buf, sizeof(buf), "%s", rows.v[i].p.text);
			if (!strcmp(rows.v[i].p.dimension, "input") && strstr(buf, price))
				n++;
		} else {
			n++;
		}
	}
	price_rows_release(&rows);
	return n;
}

static void test_fail_closed_keeps_last_good(void **state)
{
	const struct source_def *src = catalog_find("anthropic");
	struct store *st = NULL;
	struct scrape_result res;
	int64_t run = 0;
	char *body, *broken, *p;
	size_t len = 0;
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/anthropic-2025-11-14.html", TT_CAPTURES);
	body = tt_read_file(path, &len);
	assert_non_null(body);
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(store_run_begin(st, "replay", "2026-01-01T00:00:00Z", &run, NULL), 0);

	scrape_result_init(&res);
	assert_int_equal(scrape_body(st, run, src, "2025-11-14", path, 0, body, len, &res), 0);
	assert_string_equal(res.status, "ok");
	assert_int_equal(res.prices, 40);
	assert_int_equal(res.models, 9);
	assert_int_equal(res.changes, 40);
	scrape_result_release(&res);

	/* The same capture again: nothing changes. */
	scrape_result_init(&res);
	assert_int_equal(scrape_body(st, run, src, "2025-11-15", path, 0, body, len, &res), 0);
	assert_int_equal(res.changes, 0);
	scrape_result_release(&res);

	/* A later page whose API cards were renamed away: fail closed. */
	broken = strdup(body);
	while ((p = strstr(broken, "card_pricing_api_wrap")))
		memcpy(p, "card_pricing_xyz_wrap", 21);
	scrape_result_init(&res);
	assert_int_equal(scrape_body(st, run, src, "2025-12-01", "broken.html", 0, broken, len, &res),
			 TT_EPARSE);
	assert_string_equal(res.status, "failed");
	assert_non_null(strstr(res.error, "card_pricing_api_wrap"));
	assert_int_equal(res.prices, 0);
	scrape_result_release(&res);

	/* The last good prices stay in force after the failed run. */
	assert_int_equal(count_prices(st, "2025-12-02", NULL, NULL), 40);
	assert_int_equal(count_prices(st, "2025-12-02", "claude-opus-4.1", "15"), 1);

	free(broken);
	free(body);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_names),
		cmocka_unit_test(test_fail_closed_keeps_last_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
