/*
 * test_store_bulk.c - the fast import path (store_observe_bulk) leaves the
 * same tables as the general one (per-date store_observe), by content hash
 * of observations, intervals, change events and keys: on a generated
 * history with effective dates, removals, returns and several sources, on
 * the bundled history's export, and when some keys are already stored.
 * Also the as-of query (case 8: a cut does not rewrite earlier days) and
 * the statement cache.
 */
#include "tt_test.h"
#include "tt_db.h"
#include "tokentrend/tt_compat.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/export.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/seed.h"
#include "tokentrend/store.h"

static struct store *open_mem(int bulk)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };

	if (store_open(":memory:", 0, &st, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	store_bulk_enable(st, bulk);
	return st;
}

#define KEY_COLS "k.provider, k.model, k.dimension, k.tier, k.condition, k.region, k.unit, k.currency"

/* Every column but the row ids, in natural-key order; price_key with its
 * ids (the bulk path creates keys in the same order). */
static const char *const table_sql[] = {
	"SELECT id, provider, model, dimension, tier, condition, region, unit, currency"
	" FROM price_key ORDER BY id",
	"SELECT " KEY_COLS ", o.source, o.obs_date, o.nanos, o.text, o.note, o.effective,"
	" o.provenance, o.run_id FROM observation o JOIN price_key k ON k.id = o.key_id"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
	"SELECT " KEY_COLS ", i.source, i.valid_from, i.valid_to, i.nanos, i.text, i.note,"
	" i.first_seen, i.last_seen, i.removed FROM price_interval i JOIN price_key k ON k.id = i.key_id"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
	"SELECT " KEY_COLS ", e.source, e.date, e.kind, e.old_nanos, e.new_nanos, e.seen,"
	" e.interval_from FROM change_event e JOIN price_key k ON k.id = e.key_id"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
	"SELECT key_id, source FROM price_series ORDER BY 1, 2",
};
#define NTABLES TT_ARRAY_SIZE(table_sql)

/* What an export keeps: intervals and events by value and date. */
static const char *const round_trip_sql[2] = {
	"SELECT " KEY_COLS ", i.source, i.valid_from, i.valid_to, i.nanos, i.first_seen, i.last_seen,"
	" i.removed FROM price_interval i JOIN price_key k ON k.id = i.key_id"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
	"SELECT " KEY_COLS ", e.source, e.date, e.kind, e.old_nanos, e.new_nanos, e.seen,"
	" e.interval_from FROM change_event e JOIN price_key k ON k.id = e.key_id"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
};

static void hash_tables(struct store *st, char h[][65])
{
	size_t i;

	for (i = 0; i < NTABLES; i++)
		tt_db_hash(st, table_sql[i], h[i]);
}

static void assert_same_tables(struct store *a, struct store *b, const char *what)
{
	static const char *const names[NTABLES] = { "price_key", "observation", "price_interval",
						    "change_event", "price_series" };
	char ha[NTABLES][65], hb[NTABLES][65];
	size_t i;

	hash_tables(a, ha);
	hash_tables(b, hb);
	for (i = 0; i < NTABLES; i++)
		if (strcmp(ha[i], hb[i]))
			fail_msg("%s: table %s differs between the bulk and the general path", what,
				 names[i]);
}

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)((rng_state >> 33) % n);
}

/*
 * An export-shape history: models x 4 dimensions x 2 sources over `days`,
 * a change every 20-80 days; some values take effect before they were
 * first seen or after (scheduled), some intervals end in a removal (no
 * successor) and the key comes back later, some are seen once.
 */
static void gen_history(struct buf *b, int models, int days, unsigned seed)
{
	static const char *const dims[4] = { "input", "output", "cache_read", "cache_write" };
	static const char *const srcs[2] = { "custom", "mirror" };
	int64_t start = date_from_ymd(2023, 1, 1), end = start + days;
	int m, d, s;

	rng_state = seed;
	buf_adds(b, "provider,model,dimension,tier,condition,region,unit,currency,price,valid_from,"
		    "valid_to,first_seen,last_seen,source,note\r\n");
	for (m = 0; m < models; m++)
		for (s = 0; s < 2; s++)
			for (d = 0; d < 4; d++) {
				int64_t day = start + rnd(40), nanos = (int64_t)(1 + rnd(5000)) * 1000000;
				if (s == 1 && m % 3 == 0)
					continue; /* the mirror lists two models in three */
				while (day < end) {
					int64_t next = day + 20 + rnd(61), first = day, last;
					int removed = rnd(12) == 0, kind = rnd(6);
					char from[11], to[11], fs[11], ls[11], price[MONEY_FMT_MAX];
					if (kind == 0)
						first = day + 1 + rnd(5); /* effective before first seen */
					last = next - 1 - rnd(3);
					if (kind == 1)
						last = first; /* seen once */
					if (last < first)
						last = first;
					date_format(day, from);
					date_format(next, to);
					date_format(first, fs);
					date_format(last, ls);
					buf_addf(b, "prov%d,gen-model-%03d,%s,standard,,,1M tokens,USD,%s,%s,%s,%s,%s,%s,%s\r\n",
						 m % 4, m, dims[d], money_format(nanos, price, sizeof(price)), from,
						 next < end ? to : "", fs, ls, srcs[s], kind == 2 ? "batch note" : "");
					if (next >= end)
						break;
					nanos += nanos / 10 * ((int64_t)rnd(3) - 1) + (rnd(2) ? 1000 : -1000);
					if (nanos <= 0)
						nanos = 1000000;
					day = removed ? next + 5 + rnd(20) : next; /* removal, then back */
				}
			}
}

static void import(struct store *st, const struct buf *csv, struct seed_import_stats *ss)
{
	struct tt_error err = { 0 };
	int rc = seed_import_csv(st, csv->buf, csv->len, "gen.csv", "litellm", ss, NULL, &err);

	if (rc < 0)
		fail_msg("import: %s", err.msg);
	assert_int_equal(ss->rejected, 0);
}

static void test_generated_history(void **state)
{
	struct store *a = open_mem(1), *b = open_mem(0);
	struct seed_import_stats sa, sb;
	struct buf csv = BUF_INIT;

	(void)state;
	gen_history(&csv, 40, 3 * 365, 7);
	import(a, &csv, &sa);
	import(b, &csv, &sb);
	assert_true(sa.export_shape);
	assert_int_equal(sa.prices, sb.prices);
	assert_int_equal(sa.changes, sb.changes);
	assert_true(tt_db_count(a, "SELECT count(*) FROM change_event WHERE kind = 'removed'") > 5);
	assert_true(tt_db_count(a, "SELECT count(*) FROM observation WHERE effective < obs_date") > 5);
	printf("generated: %zu rows, %zu observations, %zu changes\n", sa.rows, sa.prices, sa.changes);
	assert_same_tables(a, b, "generated history");

	/* idempotent: the same file again changes nothing, on either path */
	import(a, &csv, &sa);
	import(b, &csv, &sb);
	assert_int_equal(sa.changes, 0);
	assert_int_equal(sa.prices, 0);
	assert_int_equal(sb.changes, 0);
	assert_same_tables(a, b, "generated history imported twice");
	buf_release(&csv);
	store_close(a);
	store_close(b);
}

/* Part of the file first (the general path for those keys afterwards),
 * then all of it: keys already stored merge as per-date calls merge. */
static void test_some_keys_already_stored(void **state)
{
	struct store *a = open_mem(1), *b = open_mem(0);
	struct seed_import_stats sa, sb;
	struct buf csv = BUF_INIT, part = BUF_INIT;
	const char *p;
	size_t line = 0;

	(void)state;
	gen_history(&csv, 24, 2 * 365, 11);
	/* the header and every third data line */
	for (p = csv.buf; *p; line++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
		if (line == 0 || line % 3 == 0)
			buf_add(&part, p, n);
		p += n;
	}
	import(a, &part, &sa);
	import(b, &part, &sb);
	assert_same_tables(a, b, "a third of the history");
	import(a, &csv, &sa);
	import(b, &csv, &sb);
	assert_int_equal(sa.prices, sb.prices);
	assert_int_equal(sa.changes, sb.changes);
	assert_same_tables(a, b, "then all of it");
	buf_release(&csv);
	buf_release(&part);
	store_close(a);
	store_close(b);
}

/* The bundled history (stored by date, the general path), exported and
 * imported into empty databases: the bulk path gives the general path's
 * tables, and both give the intervals and changes of the original. */
static void test_bundled_history_export(void **state)
{
	struct store *s = open_mem(1), *a = open_mem(1), *b = open_mem(0);
	struct seed_import_stats ss, sa, sb;
	struct tt_error err = { 0 };
	struct buf csv = BUF_INIT;
	char h0[NTABLES][65], ha[NTABLES][65];
	size_t len = 0;
	const char *seed = seed_csv(&len);

	(void)state;
	assert_int_equal(seed_import_csv(s, seed, len, "db/seed/price-history.csv", "litellm", &ss, NULL,
					 &err), 0);
	assert_true(export_render(s, EXPORT_HISTORY, QUERY_FORMAT_CSV, "2026-08-24", &csv, &err) > 0);
	import(a, &csv, &sa);
	import(b, &csv, &sb);
	assert_int_equal(sa.prices, sb.prices);
	assert_int_equal(sa.changes, sb.changes);
	assert_int_equal(sa.changes, ss.changes);
	printf("bundled history: %zu intervals exported, %zu observations, %zu changes\n", sa.rows,
	       sa.prices, sa.changes);
	assert_same_tables(a, b, "bundled history export");
	/* the round trip keeps values and dates (the price text is the
	 * export's decimal, not the page's) */
	tt_db_hash(s, round_trip_sql[0], h0[0]);
	tt_db_hash(a, round_trip_sql[0], ha[0]);
	assert_string_equal(h0[0], ha[0]);
	tt_db_hash(s, round_trip_sql[1], h0[1]);
	tt_db_hash(a, round_trip_sql[1], ha[1]);
	assert_string_equal(h0[1], ha[1]);
	buf_release(&csv);
	store_close(s);
	store_close(a);
	store_close(b);
}

static void add(struct price_list *l, const char *model, const char *price, const char *observed)
{
	struct price p;

	memset(&p, 0, sizeof(p));
	p.provider = (char *)"demo";
	p.model = (char *)model;
	p.dimension = (char *)"input";
	p.text = (char *)price;
	assert_int_equal(money_parse(price, strlen(price), 0, &p.nanos, NULL), 0);
	p.observed = (char *)observed;
	assert_int_equal(price_list_add(l, &p), 0);
}

/* What store_observe_bulk takes and what it leaves to store_observe. */
static void test_bulk_leaves_to_general_path(void **state)
{
	struct store *st = open_mem(1);
	struct price_list l = PRICE_LIST_INIT, one = PRICE_LIST_INIT;
	struct store_observe_stats s;
	struct tt_error err = { 0 };
	unsigned char done[8];
	static const unsigned char want[] = { 1, 1, 0, 0, 0, 1 };
	size_t i;

	(void)state;
	add(&one, "demo-old", "1.00", NULL);
	assert_int_equal(store_observe(st, 0, "demo", "2026-07-01", &one, "test", NULL, &err), 0);
	add(&l, "demo-luna", "1.00", "2026-07-09");
	add(&l, "demo-luna", "0.20", "2026-07-30");
	add(&l, "demo-twice", "1.00", "2026-07-09"); /* two prices on one date */
	add(&l, "demo-twice", "2.00", "2026-07-09");
	add(&l, "demo-old", "0.50", "2026-07-20");   /* already stored */
	add(&l, "demo-new", "3.00", NULL);            /* the call's date */
	assert_int_equal(store_observe_bulk(st, 0, "demo", "2026-08-01", &l, "test", done, &s, &err), 3);
	for (i = 0; i < l.n; i++)
		assert_int_equal(done[i], want[i]);
	assert_int_equal(s.observed, 3);
	assert_int_equal(s.changes, 3); /* luna new + down, demo-new new */
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation WHERE obs_date = '2026-08-01'"), 1);
	/* a price store_observe would refuse: nothing here, it fails there */
	l.v[1].nanos = -1;
	assert_int_equal(store_observe_bulk(st, 0, "demo2", "2026-08-01", &l, "test", done, &s, &err), 0);
	for (i = 0; i < l.n; i++)
		assert_int_equal(done[i], 0);
	l.v[1].nanos = 200000000;
	/* switched off: nothing */
	store_bulk_enable(st, 0);
	assert_int_equal(store_observe_bulk(st, 0, "demo3", "2026-08-01", &l, "test", done, &s, &err), 0);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation WHERE source <> 'demo'"), 0);
	price_list_release(&l);
	price_list_release(&one);
	store_close(st);
}

/* A failure half-way rolls the whole call back. */
static void test_bulk_failure_stores_nothing(void **state)
{
	struct store *st = open_mem(1);
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	unsigned char done[3] = { 1, 1, 1 };

	(void)state;
	assert_int_equal(sqlite3_exec(store_db(st),
				      "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.change_event"
				      " WHEN (SELECT model FROM price_key WHERE id=NEW.key_id)='demo-bad'"
				      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
				      NULL, NULL, NULL), SQLITE_OK);
	add(&l, "demo-good", "1.00", "2026-07-09");
	add(&l, "demo-bad", "1.00", "2026-07-09");
	add(&l, "demo-good", "2.00", "2026-07-10");
	assert_int_equal(store_observe_bulk(st, 0, "demo", "2026-07-09", &l, "test", done, NULL, &err),
			 TT_EDB);
	assert_non_null(strstr(err.msg, "injected failure"));
	assert_int_equal(done[0] | done[1] | done[2], 0);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation"), 0);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM price_interval"), 0);
	assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
	price_list_release(&l);
	store_close(st);
}

/* case 8: a cut does not rewrite earlier days; as-of answers from the
 * interval in force, whatever the date (before the first, between,
 * after a removal), on both paths' tables. */
static void test_case8_as_of(void **state)
{
	static const struct {
		const char *date;
		const char *price; /* NULL: no row */
	} cases[] = {
		{ "2026-07-08", NULL },   { "2026-07-09", "1.00" }, { "2026-07-20", "1.00" },
		{ "2026-07-29", "1.00" }, { "2026-07-30", "0.20" }, { "2026-08-14", "0.20" },
		{ "2026-08-15", NULL },   { "2026-09-01", "0.30" }, { "2030-01-01", "0.30" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct price_list gone = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	int bulk;
	size_t i;

	(void)state;
	add(&l, "demo-luna", "1.00", "2026-07-09");
	add(&l, "demo-luna", "1.00", "2026-07-29");
	add(&l, "demo-luna", "0.20", "2026-07-30");
	add(&l, "demo-luna", "0.30", "2026-09-01");
	add(&gone, "demo-luna", "0", NULL);
	for (bulk = 0; bulk < 2; bulk++) {
		struct store *st = open_mem(bulk);
		unsigned char done[4];
		if (bulk) {
			assert_int_equal(store_observe_bulk(st, 0, "demo", "2026-07-09", &l, "test", done,
							    NULL, &err), 4);
		} else {
			for (i = 0; i < l.n; i++) {
				struct price_list one = PRICE_LIST_INIT;
				assert_int_equal(price_list_add(&one, &l.v[i]), 0);
				assert_int_equal(store_observe(st, 0, "demo", l.v[i].observed, &one, "test",
							       NULL, &err), 0);
				price_list_release(&one);
			}
		}
		assert_int_equal(store_observe_removed(st, 0, "demo", &gone.v[0], "2026-08-15", "test",
						       &err), 0);
		for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
			struct query_filter f = { 0 };
			struct price_rows rows = PRICE_ROWS_INIT;
			char money[MONEY_FMT_MAX];
			f.as_of = cases[i].date;
			assert_int_equal(query_prices(st, &f, &rows, &err), cases[i].price ? 1 : 0);
			if (cases[i].price)
				assert_string_equal(money_format(rows.v[0].p.nanos, money, sizeof(money)),
						    cases[i].price);
			price_rows_release(&rows);
		}
		store_close(st);
	}
	price_list_release(&l);
	price_list_release(&gone);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "key|source|valid_from" of each row, sorted; *n gets the count. */
static char **row_ids(struct store *st, const struct price_rows *rows, size_t *n)
{
	char **v = calloc(rows->n + 1, sizeof(*v));
	size_t i;

	(void)st;
	assert_non_null(v);
	for (i = 0; i < rows->n; i++) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s|%s|%s|%s|%s", rows->v[i].p.provider, rows->v[i].p.model,
			 rows->v[i].p.dimension, rows->v[i].source, rows->v[i].valid_from);
		v[i] = buf_detach(&b, NULL);
	}
	qsort(v, rows->n, sizeof(*v), str_cmp);
	*n = rows->n;
	return v;
}

/* The per-series as-of answers what the interval predicate answers
 * (valid_from <= D < valid_to), every week of a generated history with
 * removals and two sources, and the first-ranked source per key. */
static void test_as_of_matches_interval_scan(void **state)
{
	struct store *st = open_mem(1);
	struct seed_import_stats ss;
	struct buf csv = BUF_INIT;
	struct tt_error err = { 0 };
	int64_t day, start = date_from_ymd(2022, 12, 20), end = date_from_ymd(2025, 2, 1);
	size_t checked = 0;

	(void)state;
	gen_history(&csv, 20, 2 * 365, 3);
	import(st, &csv, &ss);
	for (day = start; day < end; day += 7) {
		struct query_filter f = { 0 };
		struct price_rows got = PRICE_ROWS_INIT;
		sqlite3_stmt *s = NULL;
		char d[11], **g, **w;
		size_t ng = 0, nw = 0, i;

		date_format(day, d);
		f.as_of = d;
		f.all_sources = 1;
		assert_true(query_prices(st, &f, &got, &err) >= 0);
		g = row_ids(st, &got, &ng);
		w = calloc(ng + 64, sizeof(*w));
		assert_int_equal(sqlite3_prepare_v2(store_db(st),
						    "SELECT k.provider || '|' || k.model || '|' || k.dimension || '|' ||"
						    " i.source || '|' || i.valid_from FROM price_interval i"
						    " JOIN price_key k ON k.id = i.key_id WHERE i.valid_from <= ?1"
						    " AND (i.valid_to IS NULL OR i.valid_to > ?1)", -1, &s, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(s, 1, d, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			assert_true(nw < ng + 63);
			w[nw++] = strdup((const char *)sqlite3_column_text(s, 0));
		}
		sqlite3_finalize(s);
		qsort(w, nw, sizeof(*w), str_cmp);
		assert_int_equal(ng, nw);
		for (i = 0; i < ng; i++)
			assert_string_equal(g[i], w[i]);
		checked += ng;
		/* one row per key: the first of its sources (equal ranks: by id) */
		f.all_sources = 0;
		price_rows_release(&got);
		assert_true(query_prices(st, &f, &got, &err) >= 0);
		{
			size_t n1 = 0, k = 0;
			char **one = row_ids(st, &got, &n1);
			for (i = 0; i < ng; i++) {
				/* g is sorted: a key's first row has the lowest source id */
				const char *bar = strchr(strchr(strchr(g[i], '|') + 1, '|') + 1, '|');
				size_t klen = (size_t)(bar - g[i]) + 1;
				if (i && !strncmp(g[i], g[i - 1], klen))
					continue;
				assert_true(k < n1);
				assert_string_equal(one[k], g[i]);
				k++;
			}
			assert_int_equal(k, n1);
			for (i = 0; i < n1; i++)
				free(one[i]);
			free(one);
		}
		for (i = 0; i < ng; i++)
			free(g[i]);
		for (i = 0; i < nw; i++)
			free(w[i]);
		free(g);
		free(w);
		price_rows_release(&got);
	}
	printf("as-of: %zu rows checked over %d dates\n", checked, (int)((end - start + 6) / 7));
	assert_true(checked > 1000);
	buf_release(&csv);
	store_close(st);
}

/* The statement cache: the same text is the same statement, reset; more
 * texts than slots evict the least recently used. */
static void test_stmt_cache(void **state)
{
	struct store *st = open_mem(1);
	struct tt_error err = { 0 };
	sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;
	char sql[64];
	int i;

	(void)state;
	assert_int_equal(store_stmt_cached(st, "SELECT 1", &a, &err), 0);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(store_stmt_cached(st, "SELECT 1", &b, &err), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(sqlite3_step(b), SQLITE_ROW); /* reset: a row again */
	sqlite3_reset(b);
	for (i = 0; i < 40; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		assert_int_equal(store_stmt_cached(st, sql, &c, &err), 0);
		assert_int_equal(sqlite3_step(c), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(c, 0), i);
		sqlite3_reset(c);
	}
	assert_int_equal(store_stmt_cached(st, "SELECT nonsense FROM nowhere", &c, &err), TT_EDB);
	assert_null(c);
	assert_non_null(strstr(err.msg, "nowhere"));
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_history),
		cmocka_unit_test(test_some_keys_already_stored),
		cmocka_unit_test(test_bundled_history_export),
		cmocka_unit_test(test_bulk_leaves_to_general_path),
		cmocka_unit_test(test_bulk_failure_stores_nothing),
		cmocka_unit_test(test_case8_as_of),
		cmocka_unit_test(test_as_of_matches_interval_scan),
		cmocka_unit_test(test_stmt_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
