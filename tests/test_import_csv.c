/*
 * test_import_csv.c - the history CSV importer: good and bad rows, RFC 4180
 * quoting, CRLF, header by name, provider mapping, same-day supersession,
 * and an acceptance test on ../shared/data/price-history.csv.
 * Cases 2 (e) (implausible > 1000 per 1M) and 17 (exact decimals).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/buf.h"
#include "tokentrend/import.h"
#include "tokentrend/money.h"

#define HEADER "date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source\n"
#define NONE INT64_C(-999)
#define USD(x) ((int64_t)((x) * 1000.0 + 0.5) * INT64_C(1000000)) /* exact for <= 3 decimals */

static int parse(const char *body, struct import_result *r, struct tt_error *err)
{
	memset(err, 0, sizeof(*err));
	return import_csv_parse(body, strlen(body), "/data/seed/price-history.csv", r, err);
}

static const struct price *find(const struct import_result *r, const char *date,
				const char *provider, const char *model, const char *dim)
{
	size_t d, i;

	for (d = 0; d < r->ndays; d++) {
		if (strcmp(r->days[d].date, date))
			continue;
		for (i = 0; i < r->days[d].prices.n; i++) {
			const struct price *p = &r->days[d].prices.v[i];
			if (!strcmp(p->provider, provider) && !strcmp(p->model, model) &&
			    !strcmp(p->dimension, dim))
				return p;
		}
	}
	return NULL;
}

static int64_t value(const struct import_result *r, const char *date, const char *provider,
		     const char *model, const char *dim)
{
	const struct price *p = find(r, date, provider, model, dim);

	return p ? p->nanos : NONE;
}

/* ---- good rows ---- */

struct good_case {
	const char *row;                 /* one data row (no header) */
	const char *provider, *model;    /* stored key */
	int64_t input, output, cached;   /* NONE: no price */
	const char *text_in;             /* the input cell as written */
};

static const struct good_case good_cases[] = {
	{ "2024-11-14,openai,gpt-4o,2.5,10,1.25,tokencost@1448939752:x.json", "openai", "gpt-4o",
	  USD(2.50), USD(10.00), USD(1.25), "2.5" },
	{ "2025-01-01,openai,gpt-4o-mini,0.15,0.6,,s", "openai", "gpt-4o-mini", USD(0.15),
	  USD(0.60), NONE, "0.15" },                                  /* empty cached: no price */
	{ "2025-01-01,demo,demo-x,8.20,8.20,0.075,s", "demo", "demo-x", INT64_C(8200000000),
	  INT64_C(8200000000), INT64_C(75000000), "8.20" },          /* case 17: exact */
	{ "2025-01-01,demo,demo-e,2.5e-1,1E0,,s", "demo", "demo-e", USD(0.25), USD(1.00), NONE,
	  "2.5e-1" },
	{ "2025-01-01,ollama,ollama/llama3,0,0,0,s", "ollama", "llama3", 0, 0, 0, "0" }, /* free */
	{ "2025-01-01,demo,demo-max,1000,1000,,s", "demo", "demo-max", USD(1000), USD(1000), NONE,
	  "1000" },                                                   /* the bound itself is fine */
	{ "2025-01-01,demo,demo-q,\"0.5\",\"1.5\",\"\",\"a,b\"", "demo", "demo-q", USD(0.50),
	  USD(1.50), NONE, "0.5" },                                   /* quoted cells */
	/* provider mapping and prefix stripping */
	{ "2025-01-01,vertex_ai,vertex_ai/claude-3-haiku@20240307,0.25,1.25,,s", "vertex",
	  "claude-3-haiku@20240307", USD(0.25), USD(1.25), NONE, "0.25" },
	{ "2025-01-01,vertex_ai,gemini-1.5-pro,1.25,5,,s", "vertex", "gemini-1.5-pro", USD(1.25),
	  USD(5.00), NONE, "1.25" },
	{ "2025-01-01,gemini,gemini/gemini-2.0-flash,0.1,0.4,0.025,s", "gemini",
	  "gemini-2.0-flash", USD(0.10), USD(0.40), USD(0.025), "0.1" },
	{ "2025-01-01,openrouter,openrouter/openai/o1,15,60,,s", "openrouter", "openai/o1",
	  USD(15.00), USD(60.00), NONE, "15" },
	{ "2025-01-01,together,together_ai/meta-llama/Llama-3-8b,0.2,0.2,,s", "together",
	  "meta-llama/Llama-3-8b", USD(0.20), USD(0.20), NONE, "0.2" },
	{ "2025-01-01,bedrock,bedrock/us-east-1/anthropic.claude-v2,8,24,,s", "bedrock",
	  "us-east-1/anthropic.claude-v2", USD(8.00), USD(24.00), NONE, "8" },
	{ "2025-01-01,openai,azure/gpt-35-turbo-instruct,1.5,2,,s", "openai",
	  "azure/gpt-35-turbo-instruct", USD(1.50), USD(2.00), NONE, "1.5" }, /* other seller: kept */
	{ "2025-01-01,fireworks_ai,fireworks_ai/accounts/fireworks/models/x,0.9,0.9,,s",
	  "fireworks_ai", "accounts/fireworks/models/x", USD(0.90), USD(0.90), NONE, "0.9" },
	{ "2025-01-01,amazon_nova,amazon-nova/nova-pro-v1,0.8,3.2,0.2,s", "amazon_nova",
	  "amazon-nova/nova-pro-v1", USD(0.80), USD(3.20), USD(0.20), "0.8" }, /* not guessed */
	{ "2025-01-01,gemini,gemini/,0.1,0.4,,s", "gemini", "gemini/", USD(0.10), USD(0.40), NONE,
	  "0.1" },                                                    /* nothing after the prefix */
};

static void test_good_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(good_cases); i++) {
		const struct good_case *c = &good_cases[i];
		struct import_result r = IMPORT_RESULT_INIT;
		struct tt_error err;
		const struct price *p;
		char body[512], key[300];
		const char *date;

		snprintf(body, sizeof(body), HEADER "%s\n", c->row);
		if (parse(body, &r, &err) != 1 || r.nrejects)
			fail_msg("case %zu %s: not accepted (%s; %s)", i, c->row, err.msg,
				 r.nrejects ? r.rejects[0].reason : "");
		date = r.days[0].date;
		if (value(&r, date, c->provider, c->model, "input") != c->input ||
		    value(&r, date, c->provider, c->model, "output") != c->output ||
		    value(&r, date, c->provider, c->model, "cache_read") != c->cached)
			fail_msg("case %zu %s: %" PRId64 " / %" PRId64 " / %" PRId64, i, c->row,
				 value(&r, date, c->provider, c->model, "input"),
				 value(&r, date, c->provider, c->model, "output"),
				 value(&r, date, c->provider, c->model, "cache_read"));
		p = find(&r, date, c->provider, c->model, "input");
		assert_string_equal(p->text, c->text_in);
		assert_string_equal(p->unit, PRICE_UNIT_MTOK);
		assert_string_equal(p->currency, "USD");
		assert_string_equal(p->tier, "standard");
		assert_string_equal(p->condition, "");
		assert_null(p->effective);
		/* provenance: file name, line, the original (unmapped) key */
		assert_non_null(strstr(p->origin, "file=price-history.csv line=2 source="));
		snprintf(key, sizeof(key), "provider=%.*s", (int)(strchr(c->row + 11, ',') - (c->row + 11)),
			 c->row + 11);
		if (!strstr(p->origin, key))
			fail_msg("case %zu: origin '%s' lacks '%s'", i, p->origin, key);
		assert_int_equal(r.rows, 1);
		assert_int_equal(r.accepted, 1);
		import_result_release(&r);
	}
}

/* ---- bad rows: reported and skipped, the rest loads ---- */

struct bad_case {
	const char *row;
	const char *reason;
	const char *column;  /* NULL: none */
	const char *value;   /* NULL: none */
};

static const struct bad_case bad_cases[] = {
	{ "2025-02-30,demo,m,1,2,,s", "bad date", "date", "2025-02-30" },
	{ "25-01-01,demo,m,1,2,,s", "bad date", "date", "25-01-01" },
	{ ",demo,m,1,2,,s", "bad date", "date", "" },
	{ "2025-01-01,,m,1,2,,s", "empty provider or model", "provider", NULL },
	{ "2025-01-01,demo,,1,2,,s", "empty provider or model", "model", NULL },
	/* every price cell empty: nothing to store (one empty cell: see test_empty_cells) */
	{ "2025-01-01,demo,m,,,,s", "no price (every price cell is empty)", NULL, NULL },
	{ "2025-01-01,demo,m, ,\t,,s", "no price (every price cell is empty)", NULL, NULL },
	{ "2025-01-01,demo,m,abc,2,,s", "not a number", "input_per_mtok", "abc" },
	{ "2025-01-01,demo,m,$1,2,,s", "not a number", "input_per_mtok", "$1" },
	{ "2025-01-01,demo,m,1,2,n/a,s", "not a number", "cached_input_per_mtok", "n/a" },
	{ "2025-01-01,demo,m,-1,2,,s", "negative price", "input_per_mtok", "-1" },
	{ "2025-01-01,demo,m,1,2,-0.1,s", "negative price", "cached_input_per_mtok", "-0.1" },
	/* case 2 (e): 15,000 per 1M tokens is a data-entry error */
	{ "2025-01-01,demo,demo-oss,15000,2,,s", "implausible price (> 1000 per 1M tokens)",
	  "input_per_mtok", "15000" },
	{ "2025-10-02,azure_ai,azure_ai/grok-4-fast-reasoning,5.8,2900,,s",
	  "implausible price (> 1000 per 1M tokens)", "output_per_mtok", "2900" },
	{ "2025-01-01,demo,m,1000.000000001,2,,s", "implausible price (> 1000 per 1M tokens)",
	  "input_per_mtok", "1000.000000001" },
	{ "2025-01-01,demo,m,1e30,2,,s", "implausible price (> 1000 per 1M tokens)",
	  "input_per_mtok", "1e30" },
	{ "2025-01-01,demo,m,0.0000000001,2,,s", "rounds to 0", "input_per_mtok", "0.0000000001" },
	/* real upstream error: cached 0.8 == input 0.8 (corrected to 0.08 later) */
	{ "2025-02-28,anthropic,claude-3-5-haiku-20241022,0.8,4,0.8,s",
	  "cache read not below input", "cached_input_per_mtok", "0.8" },
	{ "2025-01-01,demo,m,1,2,1.5,s", "cache read not below input", "cached_input_per_mtok",
	  "1.5" },
	{ "2025-01-01,demo,m,0,0,0.1,s", "cache read not below input", "cached_input_per_mtok",
	  "0.1" },
	{ "2025-01-01,demo,m,1,2,,s,extra", "wrong field count", NULL, "8 fields, header has 7" },
	{ "2025-01-01,demo,m,1,2", "wrong field count", NULL, "5 fields, header has 7" },
	{ "2025-01-01,demo,\"m\"x,1,2,,s", "bad quoting", NULL, NULL },
	{ "2025-01-01,demo,m\"x,1,2,,s", "bad quoting", NULL, NULL },
};

static void test_bad_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct import_result r = IMPORT_RESULT_INIT;
		struct tt_error err;
		const struct import_reject *j;
		char body[512];
		int rc;

		/* the bad row sits between two good ones, which must still load */
		snprintf(body, sizeof(body),
			 HEADER "2025-01-01,demo,good-a,1,2,,s\n%s\n2025-01-02,demo,good-b,1,2,,s\n",
			 c->row);
		rc = parse(body, &r, &err);
		if (rc != 2 || r.nrejects != 1 || r.rows != 3)
			fail_msg("case %zu %s: rc %d, %zu rejects, %zu rows (%s)", i, c->row, rc,
				 r.nrejects, r.rows, err.msg);
		j = &r.rejects[0];
		if (j->line != 3 || strcmp(j->reason, c->reason))
			fail_msg("case %zu %s: line %zu reason '%s', expected 3 '%s'", i, c->row,
				 j->line, j->reason, c->reason);
		if ((c->column == NULL) != (j->column == NULL) ||
		    (c->column && strcmp(c->column, j->column)))
			fail_msg("case %zu: column %s, expected %s", i, j->column ? j->column : "-",
				 c->column ? c->column : "-");
		if ((c->value == NULL) != (j->value == NULL) || (c->value && strcmp(c->value, j->value)))
			fail_msg("case %zu: value '%s', expected '%s'", i, j->value ? j->value : "-",
				 c->value ? c->value : "-");
		assert_int_equal(import_reject_count(&r, c->reason), 1);
		assert_true(value(&r, "2025-01-01", "demo", "good-a", "input") == USD(1.00));
		assert_true(value(&r, "2025-01-02", "demo", "good-b", "output") == USD(2.00));
		import_result_release(&r);
	}
}

/*
 * Missing is absent, never 0 (DESIGN.md): an empty price cell means that
 * dimension is absent from the row, and the row's other prices load.  The
 * cache-read relation is judged only when the row has an input price.
 */
struct empty_case {
	const char *cells;             /* input,output,cached */
	int64_t input, output, cached; /* NONE: absent */
};

static const struct empty_case empty_cases[] = {
	{ "1,,", USD(1.00), NONE, NONE },          /* the validation run's row: output empty */
	{ ",2,", NONE, USD(2.00), NONE },
	{ "1,,0.5", USD(1.00), NONE, USD(0.50) },
	{ ",2,0.5", NONE, USD(2.00), USD(0.50) },  /* no input: no relation to judge */
	{ ",,0.5", NONE, NONE, USD(0.50) },
	{ " ,2,", NONE, USD(2.00), NONE },         /* blank is empty */
	{ "0,,", 0, NONE, NONE },                  /* free is a price, not absent */
	{ "\"\",\"3\",", NONE, USD(3.00), NONE },  /* quoted empty */
};

static void test_empty_cells(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(empty_cases); i++) {
		const struct empty_case *c = &empty_cases[i];
		struct import_result r = IMPORT_RESULT_INIT;
		struct tt_error err;
		char body[512];
		size_t want = (c->input != NONE) + (c->output != NONE) + (c->cached != NONE);
		int rc;

		snprintf(body, sizeof(body), HEADER "2025-01-01,demo,good-a,1,2,,s\n"
			 "2025-01-01,demo,m,%s,s\n2025-01-02,demo,good-b,1,2,,s\n", c->cells);
		rc = parse(body, &r, &err);
		if (rc != 3 || r.nrejects != 0 || r.rows != 3)
			fail_msg("case %zu '%s': rc %d, %zu rejects (%s) (%s)", i, c->cells, rc, r.nrejects,
				 r.nrejects ? r.rejects[0].reason : "", err.msg);
		if (value(&r, "2025-01-01", "demo", "m", "input") != c->input ||
		    value(&r, "2025-01-01", "demo", "m", "output") != c->output ||
		    value(&r, "2025-01-01", "demo", "m", "cache_read") != c->cached)
			fail_msg("case %zu '%s': %" PRId64 " / %" PRId64 " / %" PRId64, i, c->cells,
				 value(&r, "2025-01-01", "demo", "m", "input"),
				 value(&r, "2025-01-01", "demo", "m", "output"),
				 value(&r, "2025-01-01", "demo", "m", "cache_read"));
		if (r.nprices != 4 + want)
			fail_msg("case %zu '%s': %zu prices, expected %zu", i, c->cells, r.nprices, 4 + want);
		assert_int_equal(r.accepted, 3);
		import_result_release(&r);
	}
}

/* Without a cached column, a row whose input and output are empty has no price. */
static void test_no_price_without_cached_column(void **state)
{
	const char *body = "date,provider,model,input_per_mtok,output_per_mtok\n"
			   "2025-01-01,demo,a,,\n"
			   "2025-01-01,demo,b,,4\n";
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 1);
	assert_int_equal(r.nrejects, 1);
	assert_int_equal(r.rejects[0].line, 2);
	assert_string_equal(r.rejects[0].reason, "no price (every price cell is empty)");
	assert_null(r.rejects[0].column);
	assert_true(value(&r, "2025-01-01", "demo", "b", "output") == USD(4.00));
	assert_true(value(&r, "2025-01-01", "demo", "b", "input") == NONE);
	assert_int_equal(r.nprices, 1);
	import_result_release(&r);
}

/* ---- CSV syntax, header, days ---- */

/*
 * Regression (review): a NUL byte inside a field cut the field short at the
 * NUL, so "2\0999" loaded as a price of 2 and "open\0ai" as provider
 * "open".  Such a row is now reported and skipped; the good rows load.
 */
static const struct nul_case {
	const char *row; /* bytes, with embedded NULs */
	size_t len;
} nul_cases[] = {
#define NUL_ROW(s) { s, sizeof(s) - 1 }
	NUL_ROW("2025-01-01,demo,m,1,2\0" "999,,s"),
	NUL_ROW("2025-01-01,open\0" "ai,m,1,2,,s"),
	NUL_ROW("2025-01-01,demo,\"m\0x\",1,2,,s"),
	NUL_ROW("\0"),
	NUL_ROW("\0" "2025-01-01,demo,m,1,2,,s"),
#undef NUL_ROW
};

static void test_nul_byte_rejected(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(nul_cases); i++) {
		const struct nul_case *c = &nul_cases[i];
		struct import_result r = IMPORT_RESULT_INIT;
		struct tt_error err = { 0 };
		struct buf body = BUF_INIT;
		int rc;

		assert_int_equal(buf_adds(&body, HEADER "2025-01-01,demo,good-a,1,2,,s\n"), 0);
		assert_int_equal(buf_add(&body, c->row, c->len), 0);
		assert_int_equal(buf_adds(&body, "\n2025-01-02,demo,good-b,1,2,,s\n"), 0);
		rc = import_csv_parse(body.buf, body.len, "nul.csv", &r, &err);
		if (rc != 2 || r.nrejects != 1 || r.rows != 3)
			fail_msg("NUL case %zu: rc %d, %zu rejects, %zu rows (%s)", i, rc, r.nrejects,
				 r.rows, err.msg);
		if (r.rejects[0].line != 3 || strcmp(r.rejects[0].reason, "NUL byte in a field"))
			fail_msg("NUL case %zu: line %zu reason '%s'", i, r.rejects[0].line,
				 r.rejects[0].reason);
		assert_int_equal(r.nprices, 4);
		import_result_release(&r);
		buf_release(&body);
	}
}

static void test_quoting_and_crlf(void **state)
{
	const char *body =
		"\xef\xbb\xbf" /* BOM */
		"date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source\r\n"
		"2025-01-01,demo,\"with,comma\",1,2,,\"say \"\"hi\"\"\"\r\n"
		"\r\n"
		"2025-01-01,demo,\"multi\nline\",1,2,,\"s\"\r\n"
		"2025-01-02,demo,after,3,4,0.5,s"; /* no final newline */
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;
	const struct price *p;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 3);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.nrejects, 0);
	p = find(&r, "2025-01-01", "demo", "with,comma", "input");
	assert_non_null(p);
	assert_non_null(strstr(p->origin, "line=2 source=say \"hi\" "));
	p = find(&r, "2025-01-01", "demo", "multi\nline", "output");
	assert_non_null(p);
	assert_non_null(strstr(p->origin, "line=4 "));
	/* the quoted line break counts: the next record starts on line 6 */
	p = find(&r, "2025-01-02", "demo", "after", "cache_read");
	assert_non_null(p);
	assert_non_null(strstr(p->origin, "line=6 "));
	assert_string_equal(p->text, "0.5");
	import_result_release(&r);
}

static void test_unterminated_quote(void **state)
{
	const char *body = HEADER "2025-01-01,demo,ok,1,2,,s\n2025-01-01,demo,\"open,1,2,,s\n";
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 1);
	assert_int_equal(r.nrejects, 1);
	assert_int_equal(r.rejects[0].line, 3);
	assert_true(!strcmp(r.rejects[0].reason, "bad quoting") ||
		    !strcmp(r.rejects[0].reason, "wrong field count"));
	import_result_release(&r);
}

static void test_header_by_name(void **state)
{
	/* columns reordered, an extra column, no cached and no source column */
	const char *body = "model,extra,output_per_mtok,date,input_per_mtok,provider\n"
			   "gpt-4o,zzz,10,2024-11-14,2.5,openai\n";
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;
	const struct price *p;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 1);
	assert_true(value(&r, "2024-11-14", "openai", "gpt-4o", "input") == USD(2.50));
	assert_true(value(&r, "2024-11-14", "openai", "gpt-4o", "output") == USD(10.00));
	assert_true(value(&r, "2024-11-14", "openai", "gpt-4o", "cache_read") == NONE);
	p = find(&r, "2024-11-14", "openai", "gpt-4o", "input");
	assert_non_null(strstr(p->origin, "source= "));
	import_result_release(&r);
}

struct header_fail {
	const char *body;
	const char *msg;
};

static const struct header_fail header_fails[] = {
	{ "", "empty file" },
	{ "\n\n", "empty file" },
	{ "date,provider,model,input,output\n2025-01-01,a,b,1,2\n",
	  "no column 'input_per_mtok'" },
	{ "provider,model,input_per_mtok,output_per_mtok\n", "no column 'date'" },
	{ "<html><body>Not found</body></html>\n", "no column 'date'" },
};

static void test_header_fail_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(header_fails); i++) {
		struct import_result r = IMPORT_RESULT_INIT;
		struct tt_error err;
		int rc = parse(header_fails[i].body, &r, &err);
		if (rc != TT_EPARSE)
			fail_msg("case %zu: rc %d", i, rc);
		if (!strstr(err.msg, header_fails[i].msg) || !strstr(err.msg, "price-history.csv"))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, header_fails[i].msg);
		assert_null(r.days);
		assert_null(r.rejects);
	}
}

static void test_days_in_date_order(void **state)
{
	const char *body = HEADER "2025-03-01,demo,a,3,3,,s\n"
				  "2024-01-01,demo,a,1,1,,s\n"
				  "2025-03-01,demo,b,2,2,,s\n"
				  "2024-06-30,demo,a,2,2,,s\n";
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 4);
	assert_int_equal(r.ndays, 3);
	assert_string_equal(r.days[0].date, "2024-01-01");
	assert_string_equal(r.days[1].date, "2024-06-30");
	assert_string_equal(r.days[2].date, "2025-03-01");
	assert_int_equal(r.days[2].prices.n, 4);
	assert_string_equal(r.days[2].prices.v[0].model, "a"); /* file order within a day */
	assert_int_equal(r.nprices, 8);
	import_result_release(&r);
}

static void test_superseded_same_day(void **state)
{
	/* the real 2025-02-07 gemini-2.0-flash pair: 150/600, corrected the same day */
	const char *body = HEADER "2025-02-07,gemini,gemini/gemini-2.0-flash,150,600,,c1\n"
				  "2025-02-07,gemini,gemini/gemini-2.0-flash-001,0.1,0.4,,c2\n"
				  "2025-02-07,gemini,gemini/gemini-2.0-flash,0.1,0.4,,c2\n"
				  "2025-02-07,vertex_ai,gemini-3-pro-preview,2,12,0.2,c3\n"
				  "2025-02-07,vertex_ai,vertex_ai/gemini-3-pro-preview,2,12,,c3\n";
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err;

	(void)state;
	assert_int_equal(parse(body, &r, &err), 3);
	assert_int_equal(r.rows, 5);
	assert_int_equal(r.nrejects, 2);
	assert_int_equal(r.rejects[0].line, 2);
	assert_string_equal(r.rejects[0].reason, "superseded later the same day");
	assert_string_equal(r.rejects[0].value, "line 4");
	assert_int_equal(r.rejects[1].line, 5);
	assert_true(value(&r, "2025-02-07", "gemini", "gemini-2.0-flash", "input") == USD(0.10));
	assert_true(value(&r, "2025-02-07", "gemini", "gemini-2.0-flash", "output") == USD(0.40));
	/* two published keys, one of ours: the later row is the day's state */
	assert_true(value(&r, "2025-02-07", "vertex", "gemini-3-pro-preview", "input") == USD(2.00));
	assert_true(value(&r, "2025-02-07", "vertex", "gemini-3-pro-preview", "cache_read") == NONE);
	assert_int_equal(r.nprices, 6);
	assert_int_equal(r.days[0].prices.n, 6);
	import_result_release(&r);
}

/* ---- the provider map ---- */

struct map_case {
	const char *provider, *model;
	const char *id, *model_id;
};

static const struct map_case map_cases[] = {
	{ "vertex_ai", "vertex_ai/gemini-pro", "vertex", "gemini-pro" },
	{ "vertex_ai", "vertex/gemini-pro", "vertex", "gemini-pro" },
	{ "vertex_ai", "gemini-pro", "vertex", "gemini-pro" },
	{ "gemini", "gemini/gemini-2.0-flash", "gemini", "gemini-2.0-flash" },
	{ "together", "together_ai/x/y", "together", "x/y" },
	{ "together", "together/x", "together", "x" },
	{ "openai", "gpt-4o", "openai", "gpt-4o" },
	{ "openai", "openrouter/openai/o1-mini", "openai", "openrouter/openai/o1-mini" },
	{ "openrouter", "openrouter/openai/o1-mini", "openrouter", "openai/o1-mini" },
	{ "azure", "azure/gpt-4o", "azure", "gpt-4o" },
	{ "azure_ai", "azure_ai/deepseek-r1", "azure_ai", "deepseek-r1" },
	{ "azure_ai", "azure/claude-haiku-4-5", "azure_ai", "azure/claude-haiku-4-5" },
	{ "azure_text", "azure/gpt-35-turbo-instruct", "azure_text", "azure/gpt-35-turbo-instruct" },
	{ "anthropic", "us/claude-opus-4-6", "anthropic", "us/claude-opus-4-6" },
	{ "bedrock", "anthropic.claude-v2", "bedrock", "anthropic.claude-v2" },
	{ "deepseek", "deepseek/deepseek-chat", "deepseek", "deepseek-chat" },
	{ "novita", "novita/deepseek/deepseek-r1", "novita", "deepseek/deepseek-r1" },
	{ "xai", "xai", "xai", "xai" },
	{ "xai", "xai-grok", "xai", "xai-grok" },
};

static void test_provider_map(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(map_cases); i++) {
		const struct map_case *c = &map_cases[i];
		if (strcmp(import_provider_id(c->provider), c->id) ||
		    strcmp(import_model_id(c->provider, c->model), c->model_id))
			fail_msg("case %zu %s %s: %s %s, expected %s %s", i, c->provider, c->model,
				 import_provider_id(c->provider),
				 import_model_id(c->provider, c->model), c->id, c->model_id);
	}
}

/* ---- acceptance: the bundled history ---- */

struct spot {
	const char *date, *provider, *model, *dim;
	int64_t nanos;
};

static const struct spot csv_spots[] = {
	{ "2023-12-08", "openai", "gpt-3.5-turbo", "input", USD(1.50) },
	{ "2024-11-14", "openai", "gpt-4o", "input", USD(2.50) },   /* the Aug 2024 cut, late */
	{ "2024-11-14", "openai", "gpt-4o", "output", USD(10.00) },
	{ "2025-06-11", "openai", "o3", "input", USD(2.00) },       /* 10/40 -> 2/8 */
	{ "2025-06-11", "openai", "o3", "output", USD(8.00) },
	{ "2025-06-11", "openai", "o3", "cache_read", USD(0.50) },
	{ "2025-02-07", "deepseek", "deepseek-chat", "input", USD(0.27) },
	{ "2025-02-07", "deepseek", "deepseek-chat", "output", USD(1.10) },
	{ "2025-02-07", "gemini", "gemini-2.0-flash", "input", USD(0.10) },
	{ "2025-04-09", "anthropic", "claude-3-5-haiku-20241022", "cache_read", USD(0.08) },
	{ "2025-04-03", "vertex", "gemini-2.0-flash", "output", USD(0.40) },
};

static void test_history_acceptance(void **state)
{
	char path[512];
	size_t len = 0, i, nprices = 0;
	struct import_result r = IMPORT_RESULT_INIT;
	struct tt_error err = { 0 };
	char *body;
	int rc;

	(void)state;
	if (tt_shared_path("price-history.csv", path, sizeof(path)) < 0)
		skip();
	body = tt_read_file(path, &len);
	assert_non_null(body);
	rc = import_csv_parse(body, len, path, &r, &err);
	assert_int_equal(rc, 3038);
	assert_int_equal(r.rows, 3160);
	assert_int_equal(r.accepted, 3038);
	assert_int_equal(r.nrejects, 122);
	assert_int_equal(import_reject_count(&r, "implausible price (> 1000 per 1M tokens)"), 94);
	assert_int_equal(import_reject_count(&r, "superseded later the same day"), 25);
	assert_int_equal(import_reject_count(&r, "cache read not below input"), 3);
	assert_int_equal(r.ndays, 282);
	assert_string_equal(r.days[0].date, "2023-12-08");
	assert_string_equal(r.days[r.ndays - 1].date, "2026-07-24");
	for (i = 0; i < r.ndays; i++) {
		nprices += r.days[i].prices.n;
		if (i > 0)
			assert_true(strcmp(r.days[i - 1].date, r.days[i].date) < 0);
	}
	assert_int_equal(nprices, 6917);
	assert_int_equal(r.nprices, 6917);
	for (i = 0; i < TT_ARRAY_SIZE(csv_spots); i++) {
		const struct spot *s = &csv_spots[i];
		if (value(&r, s->date, s->provider, s->model, s->dim) != s->nanos)
			fail_msg("%s %s %s %s: %" PRId64 ", expected %" PRId64, s->date,
				 s->provider, s->model, s->dim,
				 value(&r, s->date, s->provider, s->model, s->dim), s->nanos);
	}
	/* the claude-3-5-haiku row with cached 0.8 == input 0.8 (line 822) */
	for (i = 0; i < r.nrejects && r.rejects[i].line != 822; i++)
		;
	assert_true(i < r.nrejects);
	assert_string_equal(r.rejects[i].reason, "cache read not below input");
	assert_string_equal(r.rejects[i].value, "0.8");
	assert_null(find(&r, "2025-02-28", "anthropic", "claude-3-5-haiku-20241022", "input"));
	import_result_release(&r);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_rows),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_empty_cells),
		cmocka_unit_test(test_no_price_without_cached_column),
		cmocka_unit_test(test_nul_byte_rejected),
		cmocka_unit_test(test_quoting_and_crlf),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_header_by_name),
		cmocka_unit_test(test_header_fail_closed),
		cmocka_unit_test(test_days_in_date_order),
		cmocka_unit_test(test_superseded_same_day),
		cmocka_unit_test(test_provider_map),
		cmocka_unit_test(test_history_acceptance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
