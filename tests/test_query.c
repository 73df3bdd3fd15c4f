/*
 * test_query.c - prices as of a date, source ranking, filters, history,
 * changes, and the table / CSV / JSON renderers (JSON checked by parsing
 * it back with json-c).
 */
#include "tokentrend/tt_compat.h"
#include <json-c/json.h>
#include <sqlite3.h>

#include "tt_test.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"

struct fixture_row {
	const char *source, *date, *provider, *model, *dimension, *tier, *price;
};

/* Two intervals of demo-luna input at openai, [03-01, 03-10) 1.00 and
 * [03-10, open) 0.80; other sources and keys for ranking and filters. */
static const struct fixture_row fixture[] = {
	{ "openai", "2026-03-01", "openai", "demo-luna", "input", NULL, "1.00" },
	{ "openai", "2026-03-01", "openai", "demo-luna", "output", NULL, "8.20" },
	{ "openai", "2026-03-10", "openai", "demo-luna", "input", NULL, "0.80" },
	{ "openai", "2026-03-10", "openai", "demo-luna", "output", NULL, "8.20" },
	{ "openai", "2026-03-01", "openai", "demo-luna", "input", "batch", "0.50" },
	{ "litellm", "2026-02-01", "openai", "demo-luna", "input", NULL, "1.10" },
	{ "litellm", "2026-02-01", "openai", "demo-sol", "input", NULL, "3.00" },
	{ "openrouter", "2026-03-05", "openai", "demo-luna", "input", NULL, "0.90" },
	{ "custom", "2026-03-05", "openai", "demo-luna", "input", NULL, "0.95" },
	{ "anthropic", "2026-03-02", "anthropic", "claude-demo", "input", NULL, "3.00" },
	{ "anthropic", "2026-03-02", "anthropic", "claude-demo", "cache_read", NULL, "0.30" },
};

static struct store *load_fixture(void)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };
	size_t i;

	assert_int_equal(store_open(":memory:", 0, &st, &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(fixture); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct price p = { 0 };
		const struct fixture_row *r = &fixture[i];

		p.provider = (char *)r->provider;
		p.model = (char *)r->model;
		p.dimension = (char *)r->dimension;
		p.tier = (char *)r->tier;
		p.text = (char *)r->price;
		assert_int_equal(money_parse_str(r->price, 0, &p.nanos, NULL), 0);
		assert_int_equal(price_list_add(&l, &p), 0);
		if (store_observe(st, 0, r->source, r->date, &l, NULL, NULL, &err) != 0)
			fail_msg("%s", err.msg);
		price_list_release(&l);
	}
	return st;
}

/* "source:price" of each row, comma-joined. */
static void summarise(const struct price_rows *rows, char *out, size_t n)
{
	char money[MONEY_FMT_MAX];
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < rows->n && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s:%s:%s:%s:%s", i ? "," : "",
					 rows->v[i].source, rows->v[i].p.model, rows->v[i].p.dimension,
					 rows->v[i].p.tier,
					 money_format(rows->v[i].p.nanos, money, sizeof(money)));
}

static void test_prices_as_of(void **state)
{
	static const struct {
		const char *name;
		struct query_filter f;
		const char *want;
	} cases[] = {
		{ "before every interval", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2026-01-15" }, "" },
		{ "only the aggregator yet", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2026-02-15" },
		  "litellm:demo-luna:input:standard:1.10" },
		{ "first-party wins (first interval)", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2026-03-09" },
		  "openai:demo-luna:input:standard:1.00" },
		{ "second interval starts on its day", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2026-03-10" },
		  "openai:demo-luna:input:standard:0.80" },
		{ "open interval, far after", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2030-01-01" },
		  "openai:demo-luna:input:standard:0.80" },
		{ "all sources, ranked", { .model = "demo-luna", .dimension = "input", .tier = "standard", .as_of = "2026-03-09", .all_sources = 1 },
		  "openai:demo-luna:input:standard:1.00,openrouter:demo-luna:input:standard:0.90,"
		  "custom:demo-luna:input:standard:0.95,litellm:demo-luna:input:standard:1.10" },
		{ "one source", { .model = "demo-luna", .dimension = "input", .as_of = "2026-03-09", .source = "litellm" },
		  "litellm:demo-luna:input:standard:1.10" },
		{ "model and dimension order", { .model = "demo-luna", .as_of = "2026-03-12" },
		  "openai:demo-luna:input:batch:0.50,openai:demo-luna:input:standard:0.80,"
		  "openai:demo-luna:output:standard:8.20" },
		{ "LIKE pattern", { .model = "demo-%", .tier = "standard", .dimension = "input", .as_of = "2026-03-12" },
		  "openai:demo-luna:input:standard:0.80,litellm:demo-sol:input:standard:3.00" },
		{ "provider, input before cache_read", { .provider = "anthropic", .as_of = "2026-03-12" },
		  "anthropic:claude-demo:input:standard:3.00,anthropic:claude-demo:cache_read:standard:0.30" },
	};
	struct store *st = load_fixture();
	struct tt_error err = { 0 };
	char got[1024];
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct price_rows rows = PRICE_ROWS_INIT;
		int n = query_prices(st, &cases[i].f, &rows, &err);
		if (n < 0)
			fail_msg("%s: %s", cases[i].name, err.msg);
		assert_int_equal(n, (int)rows.n);
		summarise(&rows, got, sizeof(got));
		if (strcmp(got, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].name, got, cases[i].want);
		price_rows_release(&rows);
	}
	store_close(st);
}

static void test_source_rank(void **state)
{
	static const struct {
		const char *source;
		int rank;
	} cases[] = {
		{ "openai", 0 }, { "xai", 8 }, { "openrouter", 100 }, { "bedrock", 102 },
		{ "custom", 200 }, { NULL, 200 }, { "litellm", 300 }, { "llmprices", 301 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++)
		assert_int_equal(query_source_rank(cases[i].source), cases[i].rank);
}

static void test_bad_dates(void **state)
{
	static const struct query_filter cases[] = {
		{ .as_of = "2026-02-30" }, { .as_of = "yesterday" }, { .since = "2026-1-1" },
	};
	struct store *st = load_fixture();
	struct tt_error err = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;

	(void)state;
	assert_int_equal(query_prices(st, &cases[0], &rows, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "2026-02-30"));
	assert_int_equal(query_prices(st, &cases[1], &rows, &err), TT_EINVAL);
	assert_int_equal(query_changes(st, &cases[2], &rows, &err), TT_EINVAL);
	assert_int_equal(query_history(st, &cases[2], &rows, &err), TT_EINVAL);
	assert_int_equal(rows.n, 0);
	store_close(st);
}

/* Regression (review): an inverted range (`history --since 2025-01-01
 * --until 2024-01-01`) listed rows overlapping neither bound's intent, and
 * an empty one printed nothing as if there were no changes. */
static void test_bad_ranges(void **state)
{
	static const struct {
		const char *since, *until;
		int ok;
	} cases[] = {
		{ "2026-03-05", "2026-03-10", 1 },
		{ "2026-03-10", "2026-03-05", 0 },
		{ "2026-03-10", "2026-03-10", 0 }, /* until is exclusive: always empty */
		{ NULL, "2026-03-10", 1 },
		{ "2026-03-10", NULL, 1 },
	};
	struct store *st = load_fixture();
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct query_filter f = { .since = cases[i].since, .until = cases[i].until };
		struct price_rows rows = PRICE_ROWS_INIT;
		struct tt_error err = { 0 };
		int h = query_history(st, &f, &rows, &err);

		price_rows_release(&rows);
		if (cases[i].ok ? h < 0 : h != TT_EINVAL)
			fail_msg("range case %zu: history rc %d (%s)", i, h, err.msg);
		if (!cases[i].ok && !strstr(err.msg, cases[i].since))
			fail_msg("range case %zu: message does not name the dates: %s", i, err.msg);
		h = query_changes(st, &f, &rows, &err);
		price_rows_release(&rows);
		if (cases[i].ok ? h < 0 : h != TT_EINVAL)
			fail_msg("range case %zu: changes rc %d (%s)", i, h, err.msg);
	}
	store_close(st);
}

static void test_history_and_changes(void **state)
{
	struct store *st = load_fixture();
	struct tt_error err = { 0 };
	struct query_filter f = { .model = "demo-luna", .dimension = "input", .tier = "standard" };
	struct price_rows rows = PRICE_ROWS_INIT;
	char got[1024];

	(void)state;
	assert_int_equal(query_history(st, &f, &rows, &err), 5);
	summarise(&rows, got, sizeof(got));
	assert_string_equal(got, "litellm:demo-luna:input:standard:1.10,openai:demo-luna:input:standard:1.00,"
				 "openrouter:demo-luna:input:standard:0.90,custom:demo-luna:input:standard:0.95,"
				 "openai:demo-luna:input:standard:0.80");
	assert_string_equal(rows.v[1].valid_to, "2026-03-10");
	assert_string_equal(rows.v[4].valid_to, "");
	price_rows_release(&rows);

	f.source = "openai";
	f.since = "2026-03-05";
	assert_int_equal(query_changes(st, &f, &rows, &err), 1);
	assert_string_equal(rows.v[0].change, "down");
	assert_string_equal(rows.v[0].date, "2026-03-10");
	assert_int_equal(rows.v[0].old_nanos, 1000000000);
	assert_int_equal(rows.v[0].p.nanos, 800000000);
	assert_string_equal(rows.v[0].valid_from, "2026-03-10");
	price_rows_release(&rows);
	f.until = "2026-03-10";
	assert_int_equal(query_changes(st, &f, &rows, &err), 0);
	price_rows_release(&rows);
	store_close(st);
}

/* The order of changes: event date, then the key order (dimensions in
 * their own order), then the source rank; a removal before a new interval
 * of the same key, source and day. */
static void test_changes_order(void **state)
{
	struct store *st = load_fixture();
	struct tt_error err = { 0 };
	struct query_filter f = { .since = "2026-01-01" };
	struct price_rows rows = PRICE_ROWS_INIT;
	char got[2048];
	size_t i;

	(void)state;
	assert_int_equal(query_changes(st, &f, &rows, &err), 10);
	got[0] = '\0';
	for (i = 0; i < rows.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s %s %s %s %s %s", i ? "," : "",
			 rows.v[i].date, rows.v[i].source, rows.v[i].p.model, rows.v[i].p.dimension,
			 rows.v[i].p.tier, rows.v[i].change);
	assert_string_equal(got,
			    "2026-02-01 litellm demo-luna input standard new,"
			    "2026-02-01 litellm demo-sol input standard new,"
			    "2026-03-01 openai demo-luna input batch new,"
			    "2026-03-01 openai demo-luna input standard new,"
			    "2026-03-01 openai demo-luna output standard new,"
			    "2026-03-02 anthropic claude-demo input standard new,"
			    "2026-03-02 anthropic claude-demo cache_read standard new,"
			    "2026-03-05 openrouter demo-luna input standard new,"
			    "2026-03-05 custom demo-luna input standard new,"
			    "2026-03-10 openai demo-luna input standard down");
	price_rows_release(&rows);

	/* a removal and a return on one day (as a re-parse can leave them) */
	assert_int_equal(sqlite3_exec(store_db(st),
				      "INSERT INTO change_event(key_id,source,date,kind,old_nanos,new_nanos,seen,"
				      "interval_from) SELECT key_id, source, '2026-03-20', k, 800000000,"
				      " 800000000, '2026-03-20', '2026-03-10' FROM change_event,"
				      " (SELECT 'new' AS k UNION ALL SELECT 'removed')"
				      " WHERE kind = 'down'", NULL, NULL, NULL), SQLITE_OK);
	f.since = "2026-03-20";
	assert_int_equal(query_changes(st, &f, &rows, &err), 2);
	assert_string_equal(rows.v[0].change, "removed");
	assert_string_equal(rows.v[1].change, "new");
	price_rows_release(&rows);
	store_close(st);
}

/* ---- renderers ---------------------------------------------------------- */

static void make_row(struct price_rows *rows, const char *model, const char *price,
		     const char *valid_to, const char *change, const char *old)
{
	struct price_row *r;
	struct price p = { 0 };
	struct price_list l = PRICE_LIST_INIT;

	p.provider = "openai";
	p.model = (char *)model;
	p.dimension = "output";
	p.text = (char *)price;
	assert_int_equal(money_parse_str(price, 0, &p.nanos, NULL), 0);
	assert_int_equal(price_list_add(&l, &p), 0);
	if (rows->n == rows->alloc) {
		rows->alloc = rows->alloc ? rows->alloc * 2 : 8;
		rows->v = realloc(rows->v, rows->alloc * sizeof(*rows->v));
	}
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof(*r));
	r->p = l.v[0];
	free(l.v);
	r->source = strdup("openai");
	snprintf(r->valid_from, sizeof(r->valid_from), "2026-03-01");
	snprintf(r->valid_to, sizeof(r->valid_to), "%s", valid_to);
	snprintf(r->first_seen, sizeof(r->first_seen), "2026-03-01");
	snprintf(r->last_seen, sizeof(r->last_seen), "2026-03-02");
	if (change) {
		r->change = strdup(change);
		snprintf(r->date, sizeof(r->date), "2026-03-01");
	}
	if (old) {
		r->has_old = 1;
		assert_int_equal(money_parse_str(old, 0, &r->old_nanos, NULL), 0);
	}
}

static const char *jstr(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("JSON member '%s' is missing", k);
	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_string))
		fail_msg("JSON member '%s' is not a string", k);
	return json_object_get_string(v);
}

static void test_render_json(void **state)
{
	static const struct {
		const char *model; /* as stored */
		const char *back;  /* as json-c reads it back */
	} names[] = {
		{ "gpt-5", "gpt-5" },
		{ "a \"quoted\" \\ name", "a \"quoted\" \\ name" },
		{ "tab\there\nnewline\x01", "tab\there\nnewline\x01" },
		{ "模型-ü", "模型-ü" },
		{ "bad\xff" "byte", "bad\xef\xbf\xbd" "byte" },
	};
	static const char *const required[] = {
		"provider", "model", "dimension", "tier", "condition", "region", "unit", "currency",
		"price", "valid_from", "first_seen", "last_seen", "source",
	};
	struct price_rows rows = PRICE_ROWS_INIT;
	struct buf out = BUF_INIT;
	struct json_object *root, *o;
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(names); i++)
		make_row(&rows, names[i].model, i == 0 ? "8.20" : "0.075", i == 0 ? "" : "2026-04-01",
			 NULL, NULL);
	/* prices: no valid_to member */
	assert_int_equal(query_render(&rows, QUERY_FORMAT_JSON, 0, 0, &out), 0);
	root = json_tokener_parse(out.buf);
	assert_non_null(root);
	assert_true(json_object_is_type(root, json_type_array));
	assert_int_equal(json_object_array_length(root), TT_ARRAY_SIZE(names));
	for (i = 0; i < TT_ARRAY_SIZE(names); i++) {
		o = json_object_array_get_idx(root, i);
		for (k = 0; k < TT_ARRAY_SIZE(required); k++)
			jstr(o, required[k]);
		assert_false(json_object_object_get_ex(o, "valid_to", NULL));
		assert_string_equal(jstr(o, "model"), names[i].back);
		assert_string_equal(jstr(o, "price"), i == 0 ? "8.20" : "0.075");
		assert_string_equal(jstr(o, "unit"), "1M tokens");
		assert_string_equal(jstr(o, "condition"), "");
	}
	json_object_put(root);
	buf_reset(&out);

	/* history: valid_to null while open, else the date */
	assert_int_equal(query_render(&rows, QUERY_FORMAT_JSON, 1, 0, &out), 0);
	root = json_tokener_parse(out.buf);
	assert_non_null(root);
	o = json_object_array_get_idx(root, 0);
	assert_true(json_object_object_get_ex(o, "valid_to", NULL));
	assert_null(jstr(o, "valid_to"));
	assert_string_equal(jstr(json_object_array_get_idx(root, 1), "valid_to"), "2026-04-01");
	json_object_put(root);
	buf_reset(&out);
	price_rows_release(&rows);

	/* changes: change, date, old_price (null for "new"); price null when removed */
	make_row(&rows, "m", "0.80", "", "down", "1.00");
	make_row(&rows, "m", "0.20", "", "new", NULL);
	make_row(&rows, "m", "0.30", "2026-03-05", "removed", "0.30");
	assert_int_equal(query_render(&rows, QUERY_FORMAT_JSON, 1, 1, &out), 0);
	root = json_tokener_parse(out.buf);
	assert_non_null(root);
	o = json_object_array_get_idx(root, 0);
	assert_string_equal(jstr(o, "change"), "down");
	assert_string_equal(jstr(o, "old_price"), "1.00");
	assert_string_equal(jstr(o, "price"), "0.80");
	assert_string_equal(jstr(o, "date"), "2026-03-01");
	assert_null(jstr(json_object_array_get_idx(root, 1), "old_price"));
	o = json_object_array_get_idx(root, 2);
	assert_null(jstr(o, "price"));
	assert_string_equal(jstr(o, "old_price"), "0.30");
	json_object_put(root);
	buf_reset(&out);
	price_rows_release(&rows);

	/* no rows: an empty array */
	assert_int_equal(query_render(&rows, QUERY_FORMAT_JSON, 0, 0, &out), 0);
	assert_string_equal(out.buf, "[]\n");
	buf_release(&out);
}

static void test_render_csv(void **state)
{
	static const struct {
		const char *model, *field;
	} cases[] = {
		{ "plain", "plain" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
	};
	struct price_rows rows = PRICE_ROWS_INIT;
	struct buf out = BUF_INIT;
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++)
		make_row(&rows, cases[i].model, "8.20", "", NULL, NULL);
	assert_int_equal(query_render(&rows, QUERY_FORMAT_CSV, 1, 0, &out), 0);
	assert_true(!strncmp(out.buf, "provider,model,dimension,tier,condition,region,unit,currency,"
				       "price,valid_from,valid_to,first_seen,last_seen,source,note\r\n",
			     strlen("provider,model,dimension,tier,condition,region,unit,currency,"
				    "price,valid_from,valid_to,first_seen,last_seen,source,note\r\n")));
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		snprintf(want, sizeof(want),
			 "\r\nopenai,%s,output,standard,,,1M tokens,USD,8.20,2026-03-01,,2026-03-01,"
			 "2026-03-02,openai,\r\n", cases[i].field);
		if (!strstr(out.buf, want))
			fail_msg("CSV lacks %s in:\n%s", want, out.buf);
	}
	buf_release(&out);
	price_rows_release(&rows);
}

static void test_render_table(void **state)
{
	struct price_rows rows = PRICE_ROWS_INIT;
	struct buf out = BUF_INIT;
	const char *line[3], *p;
	size_t col[3], i;

	(void)state;
	make_row(&rows, "short", "8.20", "", NULL, NULL);
	make_row(&rows, "a-much-longer-model-name", "0.075", "", NULL, NULL);
	assert_int_equal(query_render(&rows, QUERY_FORMAT_TABLE, 0, 0, &out), 0);
	/* every line puts SOURCE (and the prices' right edge) in the same column */
	p = out.buf;
	for (i = 0; i < 3; i++) {
		line[i] = p;
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	assert_int_equal(*p, '\0');
	assert_non_null(strstr(line[0], "PROVIDER"));
	col[0] = (size_t)(strstr(line[0], "SOURCE") - line[0]);
	col[1] = (size_t)(strstr(line[1], "openai\n") - line[1]);
	col[2] = (size_t)(strstr(line[2], "openai\n") - line[2]);
	assert_int_equal(col[0], col[1]);
	assert_int_equal(col[0], col[2]);
	col[1] = (size_t)(strstr(line[1], "8.20") - line[1]);
	col[2] = (size_t)(strstr(line[2], "0.075") - line[2]);
	assert_int_equal(col[1] + 4, col[2] + 5);
	buf_release(&out);
	price_rows_release(&rows);
}

static void test_format_parse(void **state)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "table", QUERY_FORMAT_TABLE }, { "csv", QUERY_FORMAT_CSV }, { "json", QUERY_FORMAT_JSON },
		{ "JSON", -1 }, { "xml", -1 }, { "", -1 }, { NULL, -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++)
		assert_int_equal(query_format_parse(cases[i].s), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prices_as_of),
		cmocka_unit_test(test_source_rank),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_history_and_changes),
		cmocka_unit_test(test_changes_order),
		cmocka_unit_test(test_render_json),
		cmocka_unit_test(test_render_csv),
		cmocka_unit_test(test_render_table),
		cmocka_unit_test(test_format_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
