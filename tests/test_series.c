/*
 * test_series.c - history rows -> one key's dated series of changes:
 * step-function convention, one source, one region, one currency (chosen
 * when the key has several), never two units, and errors that name the key
 * and what exists instead.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/series.h"
#include "tt_rows.h"


static struct price_row rows_main[] = {
	/* out of order on purpose; equal consecutive values merge */
	ROW("openai", "gpt-x", "input", "standard", "", "", "1M tokens", "USD", INT64_C(2500000000), "openai", "2024-08-06", ""),
	ROW("openai", "gpt-x", "input", "standard", "", "", "1M tokens", "USD", INT64_C(5000000000), "openai", "2024-05-13", "2024-08-06"),
	ROW("openai", "gpt-x", "input", "standard", "", "", "1M tokens", "USD", INT64_C(5000000000), "openai", "2024-03-01", "2024-05-13"),
	ROW("openai", "gpt-x", "output", "standard", "", "", "1M tokens", "USD", INT64_C(15000000000), "openai", "2024-03-01", ""),
	ROW("openai", "gpt-x", "input", "batch", "", "", "1M tokens", "USD", INT64_C(1250000000), "openai", "2024-03-01", ""),
	ROW("openai", "gpt-y", "input", "standard", "", "", "1M tokens", "USD", INT64_C(1000000000), "openai", "2024-03-01", ""),
};

static struct price_row rows_mixed_currency[] = {
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "USD", INT64_C(270000000), "deepseek", "2024-12-26", "2025-02-01"),
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "CNY", INT64_C(2000000000), "deepseek", "2025-02-01", ""),
};

/* DeepSeek's English page (USD) and Chinese page (CNY): one source, two keys, two series */
static struct price_row rows_two_currencies[] = {
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "CNY", INT64_C(2000000000), "deepseek", "2024-12-26", "2025-02-09"),
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "CNY", INT64_C(1000000000), "deepseek", "2025-02-09", ""),
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "USD", INT64_C(270000000), "deepseek", "2024-12-26", "2025-02-09"),
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "USD", INT64_C(140000000), "deepseek", "2025-02-09", "2025-09-05"),
	ROW("deepseek", "chat", "input", "standard", "", "", "1M tokens", "USD", INT64_C(70000000), "deepseek", "2025-09-05", ""),
};

static struct price_row rows_mixed_unit[] = {
	ROW("x", "m", "input", "standard", "", "", "1M tokens", "USD", INT64_C(1000000000), "x", "2024-01-01", "2024-06-01"),
	ROW("x", "m", "input", "standard", "", "", "1M characters", "USD", INT64_C(2000000000), "x", "2024-06-01", ""),
};

static struct price_row rows_two_sources[] = {
	ROW("openai", "o3", "input", "standard", "", "", "1M tokens", "USD", INT64_C(10000000000), "llmprices", "2025-04-16", ""),
	ROW("openai", "o3", "input", "standard", "", "", "1M tokens", "USD", INT64_C(10000000000), "openai", "2025-04-16", "2025-06-10"),
	ROW("openai", "o3", "input", "standard", "", "", "1M tokens", "USD", INT64_C(2000000000), "openai", "2025-06-10", ""),
};

static struct price_row rows_regions[] = {
	ROW("azure", "gpt-x", "input", "standard", "", "eastus2", "1M tokens", "USD", INT64_C(2500000000), "azure", "2024-08-06", ""),
	ROW("azure", "gpt-x", "input", "standard", "", "westeurope", "1M tokens", "USD", INT64_C(2750000000), "azure", "2024-08-06", ""),
};


struct series_case {
	const char *name;
	struct price_rows rows;
	struct series_selector sel;
	int rc;
	size_t n;
	const char *dates[4];
	int64_t nanos[4];
	const char *source, *note_has, *err_has, *err_has2;
};

static const struct series_case series_cases[] = {
	{ "step function: changes only, in date order", ROWS(rows_main),
	  { "openai", "gpt-x", NULL, NULL, NULL, NULL, NULL, NULL }, 0, 2,
	  { "2024-03-01", "2024-08-06" }, { INT64_C(5000000000), INT64_C(2500000000) }, "openai", NULL, NULL, NULL },
	{ "tier batch", ROWS(rows_main), { "openai", "gpt-x", "input", "batch", NULL, NULL, NULL, NULL }, 0, 1,
	  { "2024-03-01" }, { INT64_C(1250000000) }, "openai", NULL, NULL, NULL },
	{ "no such key: names it and lists what exists", ROWS(rows_main),
	  { "openai", "gpt-x", "cache_read", NULL, NULL, NULL, NULL, NULL }, TT_ENOTFOUND, 0, { NULL }, { 0 }, NULL, NULL,
	  "openai/gpt-x cache_read standard", "output standard" },
	{ "no such model", ROWS(rows_main), { "openai", "gpt-z", NULL, NULL, NULL, NULL, NULL, NULL }, TT_ENOTFOUND, 0,
	  { NULL }, { 0 }, NULL, NULL, "openai/gpt-z input standard", NULL },
	{ "a key in two currencies over time: names both, asks for one", ROWS(rows_mixed_currency),
	  { "deepseek", "chat", NULL, NULL, NULL, NULL, NULL, NULL }, TT_EINVAL, 0, { NULL }, { 0 }, NULL, NULL,
	  "several currencies (USD, CNY)", "--currency" },
	{ "two currencies, none chosen: names them and suggests --currency", ROWS(rows_two_currencies),
	  { "deepseek", "chat", NULL, NULL, NULL, NULL, NULL, NULL }, TT_EINVAL, 0, { NULL }, { 0 }, NULL, NULL,
	  "deepseek/chat input standard is priced in several currencies (CNY, USD)", "choose one with --currency" },
	{ "two currencies, CNY chosen", ROWS(rows_two_currencies),
	  { "deepseek", "chat", NULL, NULL, NULL, NULL, NULL, "CNY" }, 0, 2, { "2024-12-26", "2025-02-09" },
	  { INT64_C(2000000000), INT64_C(1000000000) }, "deepseek", NULL, NULL, NULL },
	{ "two currencies, USD chosen", ROWS(rows_two_currencies),
	  { "deepseek", "chat", NULL, NULL, NULL, NULL, NULL, "USD" }, 0, 3, { "2024-12-26", "2025-02-09", "2025-09-05" },
	  { INT64_C(270000000), INT64_C(140000000), INT64_C(70000000) }, "deepseek", NULL, NULL, NULL },
	{ "a currency the key is not priced in: names the ones it is", ROWS(rows_two_currencies),
	  { "deepseek", "chat", NULL, NULL, NULL, NULL, NULL, "EUR" }, TT_ENOTFOUND, 0, { NULL }, { 0 }, NULL, NULL,
	  "deepseek/chat input standard in EUR", "priced in CNY, USD" },
	{ "one currency: taken without asking", ROWS(rows_main),
	  { "openai", "gpt-x", NULL, NULL, NULL, NULL, NULL, NULL }, 0, 2, { "2024-03-01", "2024-08-06" },
	  { INT64_C(5000000000), INT64_C(2500000000) }, "openai", NULL, NULL, NULL },
	{ "mixed units: error names both", ROWS(rows_mixed_unit), { "x", "m", NULL, NULL, NULL, NULL, NULL, NULL }, TT_EFAIL, 0,
	  { NULL }, { 0 }, NULL, NULL, "1M tokens", "1M characters" },
	{ "two sources: one is used and named", ROWS(rows_two_sources),
	  { "openai", "o3", NULL, NULL, NULL, NULL, NULL, NULL }, 0, 2, { "2025-04-16", "2025-06-10" },
	  { INT64_C(10000000000), INT64_C(2000000000) }, "openai", "using openai", NULL, NULL },
	{ "source named by the caller", ROWS(rows_two_sources),
	  { "openai", "o3", NULL, NULL, NULL, NULL, "llmprices", NULL }, 0, 1, { "2025-04-16" },
	  { INT64_C(10000000000) }, "llmprices", NULL, NULL, NULL },
	{ "several regions, none chosen", ROWS(rows_regions), { "azure", "gpt-x", NULL, NULL, NULL, NULL, NULL, NULL },
	  TT_EINVAL, 0, { NULL }, { 0 }, NULL, NULL, "eastus2", "westeurope" },
	{ "region chosen", ROWS(rows_regions), { "azure", "gpt-x", NULL, NULL, NULL, "westeurope", NULL, NULL }, 0, 1,
	  { "2024-08-06" }, { INT64_C(2750000000) }, "azure", NULL, NULL, NULL },
	{ "no provider", ROWS(rows_main), { NULL, "gpt-x", NULL, NULL, NULL, NULL, NULL, NULL }, TT_EINVAL, 0, { NULL },
	  { 0 }, NULL, NULL, "provider", NULL },
};

static void test_series_from_rows(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(series_cases); i++) {
		const struct series_case *c = &series_cases[i];
		struct series s = SERIES_INIT;
		struct tt_error err = { 0 };
		int rc;

		print_message("case %s\n", c->name);
		rc = series_from_rows(&c->rows, &c->sel, &s, &err);

		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (c->err_has && !strstr(err.msg, c->err_has))
			fail_msg("%s: error '%s' lacks '%s'", c->name, err.msg, c->err_has);
		if (c->err_has2 && !strstr(err.msg, c->err_has2))
			fail_msg("%s: error '%s' lacks '%s'", c->name, err.msg, c->err_has2);
		if (rc == 0) {
			if (s.n != c->n)
				fail_msg("%s: %zu points, expected %zu", c->name, s.n, c->n);
			for (j = 0; j < c->n; j++) {
				assert_string_equal(s.v[j].date, c->dates[j]);
				assert_true(s.v[j].nanos == c->nanos[j]);
				assert_rel(s.v[j].price, (double)c->nanos[j] / 1e9, 1e-15);
			}
			assert_string_equal(s.source, c->source);
			if (c->sel.currency)
				assert_string_equal(s.currency, c->sel.currency);
			if (c->note_has) {
				assert_non_null(s.note);
				if (!strstr(s.note, c->note_has))
					fail_msg("%s: note '%s' lacks '%s'", c->name, s.note, c->note_has);
			}
		}
		series_release(&s);
	}
}

struct add_case {
	const char *date;
	int64_t nanos;
	int rc;
};

static const struct add_case add_cases[] = {
	{ "2026-01-01", INT64_C(600000000), 1 },
	{ "2026-02-01", INT64_C(300000000), 1 },
	{ "2026-02-15", INT64_C(300000000), 0 },  /* same value: merged */
	{ "2026-01-15", INT64_C(100000000), TT_EINVAL }, /* before the last change */
	{ "2026-13-01", INT64_C(100000000), TT_EINVAL },
	{ "2026-03-01", INT64_C(-1), TT_EINVAL },
	{ "2026-03-01", 0, 1 },                   /* case 20 (a): became free */
	{ "2026-04-01", 0, 0 },
};

static void test_series_add_case20a(void **state)
{
	struct series s = SERIES_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(series_set_key(&s, "demo", "demo-x", NULL, NULL, NULL, NULL, NULL, NULL, "test"), 0);
	for (i = 0; i < TT_ARRAY_SIZE(add_cases); i++) {
		struct tt_error err = { 0 };
		int rc = series_add(&s, add_cases[i].date, add_cases[i].nanos, &err);
		if (rc != add_cases[i].rc)
			fail_msg("add %s: rc %d, expected %d", add_cases[i].date, rc, add_cases[i].rc);
		if (rc < 0)
			assert_non_null(strstr(err.msg, add_cases[i].date));
	}
	assert_int_equal(s.n, 3);
	assert_string_equal(series_free_since(&s), "2026-03-01");
	assert_int_equal(series_describe(&s, &b), 0);
	assert_string_equal(b.buf, "demo/demo-x input standard");
	buf_release(&b);
	series_release(&s);
	series_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_from_rows),
		cmocka_unit_test(test_series_add_case20a),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
