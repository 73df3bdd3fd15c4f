/*
 * test_extract_mistral.c - extract_mistral() on an input built from the
 * documented format of Mistral's API pricing table (no real capture exists;
 * the source is marked unverified in the catalog).
 *
 * (a) the built input, row by row: API ids from the Endpoint column, USD
 * and EUR prices as separate keys, "-" absent; (b) the catalog marks the
 * source unverified; (c) fail closed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tt_extract_test.h"

#define M "1M tokens"

static const struct xrow rows[] = {
	{ "open-mistral-7b", "input", "", "0.25", "USD", M, "Mistral 7B" },
	{ "open-mistral-7b", "output", "", "0.25", "USD", M, "Mistral 7B" },
	{ "open-mistral-7b", "input", "", "0.20", "EUR", M, "Mistral 7B" },
	{ "open-mistral-7b", "output", "", "0.20", "EUR", M, "Mistral 7B" },
	{ "open-mixtral-8x7b", "input", "", "0.70", "USD", M, "Mixtral 8x7B" },
	{ "open-mixtral-8x7b", "output", "", "0.70", "USD", M, "Mixtral 8x7B" },
	{ "open-mixtral-8x7b", "input", "", "0.65", "EUR", M, "Mixtral 8x7B" },
	{ "open-mixtral-8x7b", "output", "", "0.65", "EUR", M, "Mixtral 8x7B" },
	{ "mistral-small-latest", "input", "", "2.00", "USD", M, "Mistral Small" },
	{ "mistral-small-latest", "output", "", "6.00", "USD", M, "Mistral Small" },
	{ "mistral-small-latest", "input", "", "1.85", "EUR", M, "Mistral Small" },
	{ "mistral-small-latest", "output", "", "5.55", "EUR", M, "Mistral Small" },
	{ "mistral-large-latest", "input", "", "8.00", "USD", M, "Mistral Large" },
	{ "mistral-large-latest", "output", "", "24.00", "USD", M, "Mistral Large" },
	{ "mistral-large-latest", "input", "", "7.30", "EUR", M, "Mistral Large" },
	{ "mistral-large-latest", "output", "", "22.00", "EUR", M, "Mistral Large" },
	{ "mistral-embed", "input", "", "0.10", "USD", M, "Mistral Embed" },
	{ "mistral-embed", "input", "", "0.10", "EUR", M, "Mistral Embed" },
};

static void test_built_rows(void **state)
{
	(void)state;
	xt_check_fixture(extract_mistral, "mistral", "mistral-built-pricing.html", NULL, rows,
			 TT_ARRAY_SIZE(rows));
}

/* Without an Endpoint column the display name's slug is the id, the name the note. */
static void test_names_without_endpoint(void **state)
{
	static const char page[] =
		"<table><thead><tr><th>Model</th><th>Input (/M tokens)</th><th>Output (/M tokens)</th></tr></thead>"
		"<tbody><tr><td>Mistral Medium 3</td><td>$0.4</td><td>$2</td></tr></tbody></table>";
	static const struct xrow want[] = {
		{ "mistral-medium-3", "input", "", "0.40", "USD", M, "Mistral Medium 3" },
		{ "mistral-medium-3", "output", "", "2.00", "USD", M, "Mistral Medium 3" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(xt_run_text(extract_mistral, "mistral", page, &l, &err), 2);
	xt_check_rows(&l, "mistral", want, TT_ARRAY_SIZE(want));
	price_list_release(&l);
}

/* Neither the cell nor the header names a currency: never guessed. */
static void test_no_currency_fails(void **state)
{
	static const char page[] =
		"<table><thead><tr><th>Model</th><th>Input (/M tokens)</th></tr></thead>"
		"<tbody><tr><td>Mistral Medium 3</td><td>0.4</td></tr></tbody></table>";
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(xt_run_text(extract_mistral, "mistral", page, &l, &err), TT_EPARSE);
	assert_non_null(strstr(err.msg, "names currency ''"));
	assert_int_equal(l.n, 0);
}

static void test_catalog_unverified(void **state)
{
	const struct source_def *s = catalog_find("mistral");

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->verified, 0);
	assert_true(s->extract == extract_mistral);
	assert_int_equal(catalog_find("openai")->verified, 1);
}

static void test_fail_closed(void **state)
{
	static const struct xfail cases[] = {
		{ "anchor gone: no Model/Endpoint column", "<th>Model</th><th>Endpoint</th>",
		  "<th>Name</th><th>Id</th>", 0, TT_EPARSE, "no price table" },
		{ "currency in the cell disagrees with the header", "<td>1.85€ / 1M tokens</td>",
		  "<td>1.85$ / 1M tokens</td>", 0, TT_EPARSE, "names currency 'USD' under header 'Input (EUR)'" },
		{ "no token unit", "0.25$ / 1M tokens", "0.25$", 1, TT_EPARSE, "names no token unit" },
		{ "endpoint not an id", ">mistral-small-latest<", ">mistral small<", 0, TT_EPARSE,
		  "is not an API id" },
		{ "price per request, not per token", "<td>2$ / 1M tokens</td>", "<td>2$ / request</td>", 0, TT_EPARSE,
		  "names no token unit" },
	};
	char path[512];

	(void)state;
	tt_fixture_path("mistral-built-pricing.html", path, sizeof(path));
	xt_check_fails(extract_mistral, "mistral", path, cases, TT_ARRAY_SIZE(cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_rows),
		cmocka_unit_test(test_names_without_endpoint),
		cmocka_unit_test(test_no_currency_fails),
		cmocka_unit_test(test_catalog_unverified),
		cmocka_unit_test(test_fail_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
