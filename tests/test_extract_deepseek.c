/*
 * test_extract_deepseek.c - extract_deepseek() on DeepSeek's English (USD,
 * off-peak/peak rows) and Chinese (CNY) pricing pages.
 *
 * (a) the committed excerpts, row by row; (b) acceptance on the three real
 * captures in ../shared/data/pages (skipped, saying so, when absent):
 * count and spot values read by hand off each page; (c) case 8: a time
 * band is a condition, never the plain price; (d) case 3: CNY and USD rows
 * are different keys; (e) fail closed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

#define HOURS "Off-peak rates are half of the peak rates. Peak hours are 01:00 - 04:00 and 06:00 - " \
	"10:00 UTC, Monday through Friday, excluding Chinese public holidays. All other hours are " \
	"off-peak, including weekends and Chinese public holidays in full."
#define M "1M tokens"

/* Every price of tests/fixtures/deepseek-docs-pricing-excerpt.html, in page order. */
static const struct xrow en_rows[] = {
	{ "deepseek-flash", "cache_read", "offpeak", "0.003", "USD", M, HOURS },
	{ "deepseek-v4-pro", "cache_read", "offpeak", "0.022", "USD", M, HOURS },
	{ "deepseek-flash", "cache_read", "peak", "0.006", "USD", M, HOURS },
	{ "deepseek-v4-pro", "cache_read", "peak", "0.044", "USD", M, HOURS },
	{ "deepseek-flash", "input", "offpeak", "0.15", "USD", M, HOURS },
	{ "deepseek-v4-pro", "input", "offpeak", "0.66", "USD", M, HOURS },
	{ "deepseek-flash", "input", "peak", "0.30", "USD", M, HOURS },
	{ "deepseek-v4-pro", "input", "peak", "1.32", "USD", M, HOURS },
	{ "deepseek-flash", "output", "offpeak", "0.60", "USD", M, HOURS },
	{ "deepseek-v4-pro", "output", "offpeak", "1.98", "USD", M, HOURS },
	{ "deepseek-flash", "output", "peak", "1.20", "USD", M, HOURS },
	{ "deepseek-v4-pro", "output", "peak", "3.96", "USD", M, HOURS },
};

/* Every price of tests/fixtures/deepseek-zh-cn-2026-07-17-excerpt.html. */
static const struct xrow zh_rows[] = {
	{ "deepseek-v4-flash", "cache_read", "", "0.02", "CNY", M, "" },
	{ "deepseek-v4-pro", "cache_read", "", "0.025", "CNY", M, "" },
	{ "deepseek-v4-flash", "input", "", "1.00", "CNY", M, "" },
	{ "deepseek-v4-pro", "input", "", "3.00", "CNY", M, "" },
	{ "deepseek-v4-flash", "output", "", "2.00", "CNY", M, "" },
	{ "deepseek-v4-pro", "output", "", "6.00", "CNY", M, "" },
};

static void test_excerpt_rows(void **state)
{
	(void)state;
	xt_check_fixture(extract_deepseek, "deepseek", "deepseek-docs-pricing-excerpt.html", NULL,
			 en_rows, TT_ARRAY_SIZE(en_rows));
	xt_check_fixture(extract_deepseek, "deepseek", "deepseek-zh-cn-2026-07-17-excerpt.html", NULL,
			 zh_rows, TT_ARRAY_SIZE(zh_rows));
}

/* Spot values read by hand off each full capture (the page's own cells). */
static const struct xrow spots_aug[] = {
	{ "deepseek-v4-flash", "cache_read", "offpeak", "0.007", "USD", M, NULL },
	{ "deepseek-v4-pro", "cache_read", "peak", "0.044", "USD", M, NULL },
	{ "deepseek-v4-flash", "input", "offpeak", "0.22", "USD", M, NULL },
	{ "deepseek-v4-flash", "input", "peak", "0.44", "USD", M, NULL },
	{ "deepseek-v4-pro", "input", "peak", "1.32", "USD", M, NULL },
	{ "deepseek-v4-flash", "output", "offpeak", "0.66", "USD", M, NULL },
	{ "deepseek-v4-pro", "output", "peak", "3.96", "USD", M, NULL },
};
static const struct xrow spots_undated[] = {
	{ "deepseek-flash", "cache_read", "offpeak", "0.003", "USD", M, HOURS },
	{ "deepseek-flash", "input", "offpeak", "0.15", "USD", M, HOURS },
	{ "deepseek-flash", "input", "peak", "0.30", "USD", M, HOURS },
	{ "deepseek-v4-pro", "input", "offpeak", "0.66", "USD", M, HOURS },
	{ "deepseek-flash", "output", "peak", "1.20", "USD", M, HOURS },
	{ "deepseek-v4-pro", "output", "offpeak", "1.98", "USD", M, HOURS },
};
static const struct xrow spots_zh[] = {
	{ "deepseek-v4-flash", "cache_read", "", "0.02", "CNY", M, NULL },
	{ "deepseek-v4-pro", "cache_read", "", "0.025", "CNY", M, NULL },
	{ "deepseek-v4-flash", "input", "", "1.00", "CNY", M, NULL },
	{ "deepseek-v4-pro", "input", "", "3.00", "CNY", M, NULL },
	{ "deepseek-v4-flash", "output", "", "2.00", "CNY", M, NULL },
	{ "deepseek-v4-pro", "output", "", "6.00", "CNY", M, NULL },
};

static void test_full_captures(void **state)
{
	static const struct {
		const char *file;
		int prices;
		size_t models;
		const struct xrow *spots;
		size_t nspots;
	} caps[] = {
		{ "pages/deepseek-table-excerpt-2026-08.html", 12, 2, spots_aug, TT_ARRAY_SIZE(spots_aug) },
		{ "pages/deepseek-docs-pricing-excerpt-undated.html", 12, 2, spots_undated,
		  TT_ARRAY_SIZE(spots_undated) },
		{ "pages/deepseek-zh-cn-2026-07-17.html", 6, 2, spots_zh, TT_ARRAY_SIZE(spots_zh) },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(caps); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct tt_error err = { 0 };
		char path[512];
		int rc;

		if (tt_shared_path(caps[i].file, path, sizeof(path)) != 0)
			continue;
		rc = xt_run_file(extract_deepseek, "deepseek", path, &l, NULL, &err);
		if (rc != caps[i].prices)
			fail_msg("%s: %d prices, expected %d (%s)", caps[i].file, rc, caps[i].prices, err.msg);
		assert_int_equal(xt_models(&l), caps[i].models);
		xt_check_spots(&l, caps[i].spots, caps[i].nspots);
		/* The table-only excerpt carries no footnote: no hours, no note. */
		for (k = 0; i == 0 && k < l.n; k++)
			assert_null(l.v[k].note);
		price_list_release(&l);
	}
}

/* Case 8: demo-v4's cell "$0.14 (off-peak) / $0.28 (peak, UTC 01:00–10:00)":
 * two variant rows, and no plain (empty-condition) input price. */
static void test_case8_time_band_cell(void **state)
{
	static const char page[] =
		"<html lang=\"en\"><body><table>"
		"<tr><td colspan=\"2\">MODEL</td><td>demo-v4</td></tr>"
		"<tr><td>PRICING</td><td>1M INPUT TOKENS</td>"
		"<td>$0.14 (off-peak) / $0.28 (peak, UTC 01:00\xe2\x80\x93" "10:00)</td></tr>"
		"</table></body></html>";
	static const struct xrow rows[] = {
		{ "demo-v4", "input", "offpeak", "0.14", "USD", M, "" },
		{ "demo-v4", "input", "peak", "0.28", "USD", M, "UTC 01:00\xe2\x80\x93" "10:00" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(xt_run_text(extract_deepseek, "deepseek", page, &l, &err), 2);
	xt_check_rows(&l, "deepseek", rows, TT_ARRAY_SIZE(rows));
	for (i = 0; i < l.n; i++)
		assert_true(l.v[i].condition[0] != '\0');
	price_list_release(&l);
}

/* Case 3: the zh-cn page's CNY rows and the English page's USD rows for the
 * same model and dimension are different keys (separate series); the CNY
 * value is stored as published (3 CNY), never converted. */
static void test_case3_currencies_are_separate_keys(void **state)
{
	struct price_list en = PRICE_LIST_INIT, zh = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t i, k, pairs = 0;

	(void)state;
	tt_fixture_path("deepseek-docs-pricing-excerpt.html", path, sizeof(path));
	assert_true(xt_run_file(extract_deepseek, "deepseek", path, &en, NULL, &err) > 0);
	tt_fixture_path("deepseek-zh-cn-2026-07-17-excerpt.html", path, sizeof(path));
	assert_true(xt_run_file(extract_deepseek, "deepseek", path, &zh, NULL, &err) > 0);
	for (i = 0; i < zh.n; i++) {
		assert_string_equal(zh.v[i].currency, "CNY");
		for (k = 0; k < en.n; k++) {
			assert_true(price_key_cmp(&zh.v[i], &en.v[k]) != 0);
			if (!strcmp(zh.v[i].model, en.v[k].model) &&
			    !strcmp(zh.v[i].dimension, en.v[k].dimension))
				pairs++;
		}
	}
	assert_true(pairs > 0); /* deepseek-v4-pro is on both pages */
	for (i = 0; i < zh.n; i++)
		if (!strcmp(zh.v[i].model, "deepseek-v4-pro") && !strcmp(zh.v[i].dimension, "input"))
			assert_true(zh.v[i].nanos == INT64_C(3000000000));
	price_list_release(&en);
	price_list_release(&zh);
}

static void test_fail_closed(void **state)
{
	static const struct xfail en[] = {
		{ "anchor gone: no MODEL row", ">MODEL<", ">NAME<", 0, TT_EPARSE, "no pricing table" },
		{ "price rows gone", "TOKENS", "UNITS", 1, TT_EPARSE, "no pricing table" },
		{ "currency missing", "$0.15", "0.15", 0, TT_EPARSE, "names no currency" },
		{ "model cell not an id", ">deepseek-v4-pro<", ">DeepSeek V4 Pro<", 0, TT_EPARSE,
		  "is not a model id" },
		{ "one price spanning both models", "<td>$0.6</td><td>$1.98</td>",
		  "<td colspan=\"2\">$0.6</td>", 0, TT_EPARSE, "spans several models" },
		{ "page contradicts itself (two bands read as one)", ">PEAK<", ">OFF-PEAK<", 1, TT_EPARSE,
		  "published twice with different prices" },
		{ "unreadable number", "$0.022", "$0.0.22", 0, TT_EPARSE, "cannot be read safely" },
	};
	static const struct xfail zh[] = {
		{ "zh: currency missing", ">1元<", ">1<", 0, TT_EPARSE, "names no currency" },
	};
	char path[512];

	(void)state;
	tt_fixture_path("deepseek-docs-pricing-excerpt.html", path, sizeof(path));
	xt_check_fails(extract_deepseek, "deepseek", path, en, TT_ARRAY_SIZE(en));
	tt_fixture_path("deepseek-zh-cn-2026-07-17-excerpt.html", path, sizeof(path));
	xt_check_fails(extract_deepseek, "deepseek", path, zh, TT_ARRAY_SIZE(zh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_captures),
		cmocka_unit_test(test_case8_time_band_cell),
		cmocka_unit_test(test_case3_currencies_are_separate_keys),
		cmocka_unit_test(test_fail_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
