/*
 * test_extract_groq.c - extract_groq() on an input built from the
 * documented format of groq.com/pricing (no real capture exists; the
 * source is marked unverified in the catalog).
 *
 * (a) the built input, row by row: display names as slugs with the name in
 * the note, "(1.69M / $1)" tokens-per-dollar notes and footnote stars not
 * read as prices, TTS per 1M characters, ASR per hour skipped; (b) fail
 * closed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tt_extract_test.h"

#define M "1M tokens"

static const struct xrow rows[] = {
	{ "gpt-oss-120b-128k", "input", "", "0.15", "USD", M, "GPT OSS 120B 128k" },
	{ "gpt-oss-120b-128k", "output", "", "0.75", "USD", M, "GPT OSS 120B 128k" },
	{ "kimi-k2-1t-128k", "input", "", "1.00", "USD", M, "Kimi K2 1T 128k" },
	{ "kimi-k2-1t-128k", "output", "", "3.00", "USD", M, "Kimi K2 1T 128k" },
	{ "llama-3.3-70b-versatile-128k", "input", "", "0.59", "USD", M, "Llama 3.3 70B Versatile 128k" },
	{ "llama-3.3-70b-versatile-128k", "output", "", "0.79", "USD", M, "Llama 3.3 70B Versatile 128k" },
	{ "llama-3.1-8b-instant-128k", "input", "", "0.05", "USD", M, "Llama 3.1 8B Instant 128k" },
	{ "llama-3.1-8b-instant-128k", "output", "", "0.08", "USD", M, "Llama 3.1 8B Instant 128k" },
	{ "playai-dialog-v1.0", "character", "", "50.00", "USD", "1M characters", "PlayAI Dialog v1.0" },
};

static void test_built_rows(void **state)
{
	struct extract_skips sk = EXTRACT_SKIPS_INIT;

	(void)state;
	xt_check_fixture(extract_groq, "groq", "groq-built-pricing.html", &sk, rows, TT_ARRAY_SIZE(rows));
	assert_int_equal(extract_skips_count(&sk, "price per hour transcribed (no unit of ours)"), 1);
	assert_int_equal(catalog_find("groq")->verified, 0);
	extract_skips_release(&sk);
}

static void test_fail_closed(void **state)
{
	static const struct xfail cases[] = {
		{ "anchor gone: no model column", "<th>AI Model</th>", "<th>Name</th>", 0, TT_EPARSE,
		  "no model table with Input/Output token prices" },
		{ "token prices gone", "Token Price (Per Million Tokens)", "Token Price", 1, TT_EPARSE,
		  "no model table with Input/Output token prices" },
		{ "price without currency", "<td>$0.59 (1.69M / $1)</td>", "<td>0.59</td>", 0, TT_EPARSE,
		  "is not a plain price" },
		{ "two prices in a cell", "<td>$0.05 (20M / $1)</td>", "<td>$0.05 / $0.07</td>", 0,
		  TT_EPARSE, "holds 2 prices" },
		{ "the same model twice with other prices", ">Kimi K2 1T 128k<", ">GPT OSS 120B 128k<", 0,
		  TT_EPARSE, "published twice with different prices" },
	};
	char path[512];

	(void)state;
	tt_fixture_path("groq-built-pricing.html", path, sizeof(path));
	xt_check_fails(extract_groq, "groq", path, cases, TT_ARRAY_SIZE(cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_rows),
		cmocka_unit_test(test_fail_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
