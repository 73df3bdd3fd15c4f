/*
 * test_store.c - the SQLite history: migrations vs schema.sql, snapshots,
 * observations -> intervals and change events (cases 8, 16, 17), removals,
 * and whole rollback of a failed write.
 */
#include "tokentrend/tt_compat.h"
#include <pthread.h>
#include <sqlite3.h>

#include "tt_test.h"
#include "store_int.h"
#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"

/* ---- helpers ------------------------------------------------------------ */

struct obs {
	const char *date;
	const char *dimension;
	const char *price; /* decimal text */
	const char *effective;
};

static void add_price(struct price_list *l, const char *provider, const char *model,
		      const char *dimension, const char *text, const char *effective)
{
	struct price p = { 0 };

	p.provider = (char *)provider;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.text = (char *)text;
	p.effective = (char *)effective;
	assert_int_equal(money_parse_str(text, 0, &p.nanos, NULL), 0);
	assert_int_equal(price_list_add(l, &p), 0);
}

static struct store *open_mem(void)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };

	if (store_open(":memory:", 0, &st, &err) != 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

/* A temporary directory for file databases; removed by rm_tree. */
static char *make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d = malloc(256);

	snprintf(d, 256, "%s/tt-store-XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(d));
	return d;
}

static void rm_tree(char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	free(d);
}

static int dump_cb(void *arg, int n, char **v, char **names)
{
	struct buf *b = arg;
	int i;

	for (i = 0; i < n; i++)
		buf_addf(b, "%s=%s|", names[i], v[i] ? v[i] : "NULL");
	buf_addch(b, '\n');
	return 0;
}

/* Every row of the tables that hold history, in a stable order. */
static char *dump(sqlite3 *db, int with_ids)
{
	static const char *const q_ids[] = {
		"SELECT * FROM run ORDER BY id", "SELECT * FROM run_source ORDER BY id",
		"SELECT * FROM snapshot ORDER BY sha256", "SELECT * FROM price_key ORDER BY id",
		"SELECT * FROM observation ORDER BY id", "SELECT * FROM price_interval ORDER BY id",
		"SELECT * FROM change_event ORDER BY id",
	};
	/* Without row ids: what a reader sees, independent of write order. */
	static const char *const q_vals[] = {
		"SELECT k.provider,k.model,k.dimension,i.source,i.valid_from,i.valid_to,i.nanos,"
		"i.first_seen,i.last_seen,i.removed FROM price_interval i JOIN price_key k ON k.id=i.key_id"
		" ORDER BY 1,2,3,4,5",
		"SELECT k.provider,k.model,k.dimension,e.source,e.date,e.kind,e.old_nanos,e.new_nanos,"
		"e.seen,e.interval_from FROM change_event e JOIN price_key k ON k.id=e.key_id"
		" ORDER BY 1,2,3,4,5,6",
	};
	struct buf b = BUF_INIT;
	size_t i, n = with_ids ? TT_ARRAY_SIZE(q_ids) : TT_ARRAY_SIZE(q_vals);

	for (i = 0; i < n; i++) {
		buf_addf(&b, "-- %zu\n", i);
		assert_int_equal(sqlite3_exec(db, with_ids ? q_ids[i] : q_vals[i], dump_cb, &b, NULL),
				 SQLITE_OK);
	}
	return buf_detach(&b, NULL);
}

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Observe one (date, price list) for source "demo". */
static int observe(struct store *st, const char *date, struct price_list *l,
		   struct store_observe_stats *stats, struct tt_error *err)
{
	return store_observe(st, 0, "demo", date, l, "test", stats, err);
}

/* ---- migrations and open ------------------------------------------------ */

static int master_cb(void *arg, int n, char **v, char **names)
{
	struct buf *b = arg;
	int i;

	(void)names;
	for (i = 0; i < n; i++) {
		/* collapse white space so layout differences do not matter */
		const char *s = v[i] ? v[i] : "NULL";
		int sp = 0;
		for (; *s; s++) {
			if (isspace((unsigned char)*s)) {
				sp = 1;
				continue;
			}
			if (sp)
				buf_addch(b, ' ');
			sp = 0;
			buf_addch(b, *s);
		}
		buf_addch(b, '|');
	}
	buf_addch(b, '\n');
	return 0;
}

static void test_migrations_match_schema(void **state)
{
	const char *q = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";
	struct store *st = open_mem();
	sqlite3 *db = NULL;
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_true(store_schema_latest() >= 1);
	assert_int_equal(sqlite3_exec(store_db(st), q, master_cb, &a, NULL), SQLITE_OK);

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_schema_sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, master_cb, &b, NULL), SQLITE_OK);
	assert_true(a.len > 100);
	assert_string_equal(a.buf, b.buf);
	assert_int_equal(count(db, "PRAGMA user_version"), store_schema_latest());
	/* money columns are INTEGER in STRICT tables: a REAL is refused */
	assert_int_not_equal(sqlite3_exec(store_db(st),
					  "INSERT INTO price_key(provider,model,dimension,unit,currency)"
					  " VALUES('p','m','input','1M tokens','USD');"
					  "INSERT INTO observation(source,key_id,obs_date,nanos)"
					  " VALUES('demo',1,'2026-01-01',8.2)", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
	buf_release(&a);
	buf_release(&b);
	store_close(st);
}

static void test_open_dirs_and_newer_schema(void **state)
{
	char *dir = make_tmpdir();
	char path[512];
	struct store *st = NULL;
	struct tt_error err = { 0 };
	sqlite3 *db = NULL;
	char sql[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/a/b/tokentrend.db", dir);
	assert_int_equal(store_open(path, 0, &st, &err), 0);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
	assert_int_equal(count(store_db(st), "PRAGMA foreign_keys"), 1);
	store_close(st);
	/* reopening migrates nothing and keeps the version */
	assert_int_equal(store_open(path, 0, &st, &err), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);

	/* a database from a newer build is refused, naming both versions */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = NULL;
	assert_int_equal(store_open(path, 0, &st, &err), TT_EDB);
	assert_null(st);
	assert_non_null(strstr(err.msg, "newer"));
	assert_non_null(strstr(err.msg, path));
	rm_tree(dir);
}

/* ---- snapshots ---------------------------------------------------------- */

static void test_snapshot_roundtrip(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		const char *sha;
	} cases[] = {
		{ "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "a\0b", 3, NULL },
	};
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	char sha[65], *body = NULL, *big;
	size_t i, len, n = 200000;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		assert_int_equal(store_snapshot_put(st, cases[i].body, cases[i].len, sha, &err), 0);
		if (cases[i].sha)
			assert_string_equal(sha, cases[i].sha);
		assert_int_equal(store_snapshot_get(st, sha, &body, &len, &err), 0);
		assert_int_equal(len, cases[i].len);
		assert_memory_equal(body, cases[i].body, len);
		free(body);
	}
	/* a big page compresses and dedupes */
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = "<td>$8.20</td>\n"[i % 15];
	assert_int_equal(store_snapshot_put(st, big, n, sha, &err), 0);
	assert_int_equal(store_snapshot_put(st, big, n, sha, &err), 0);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM snapshot"), 4);
	assert_true(count(store_db(st), "SELECT max(length(body)) FROM snapshot") < 20000);
	assert_int_equal(store_snapshot_get(st, sha, &body, &len, &err), 0);
	assert_int_equal(len, n);
	assert_memory_equal(body, big, n);
	free(body);
	free(big);
	assert_int_equal(store_snapshot_get(st, "00", &body, &len, &err), TT_ENOTFOUND);
	store_close(st);
}

static void test_runs_and_outcomes(void **state)
{
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct store_source_outcome o = { "demo", "2026-01-05", "ok", 200, 1234, 3, 9,
					  "https://example.test/pricing", NULL, NULL };
	char sha[65];
	int64_t run = 0;

	(void)state;
	assert_int_equal(store_run_begin(st, "scrape", "2026-01-05T06:00:00Z", &run, &err), 0);
	assert_true(run > 0);
	assert_int_equal(store_snapshot_put(st, "x", 1, sha, &err), 0);
	o.snapshot = sha;
	assert_int_equal(store_source_outcome(st, run, &o, &err), 0);
	o.status = "failed";
	o.error = "anchor heading missing";
	o.snapshot = NULL;
	o.source = "other";
	assert_int_equal(store_source_outcome(st, run, &o, &err), 0);
	assert_int_equal(store_run_finish(st, run, "2026-01-05T06:01:00Z", "partial", &err), 0);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM run_source WHERE error IS NOT NULL"), 1);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM run WHERE status='partial'"), 1);
	assert_int_equal(store_run_finish(st, run + 7, "x", "ok", &err), TT_ENOTFOUND);
	o.obs_date = "2026-02-30";
	assert_int_equal(store_source_outcome(st, run, &o, &err), TT_EINVAL);
	store_close(st);
}

/* ---- case 8 ------------------------------------------------------------- */

/* The case 8 fetches of demo-luna: (date, input, output). */
struct fetch {
	char date[11];
	const char *input, *output;
};

static size_t case8_fetches(struct fetch *f)
{
	size_t n = 0;
	int d;

	for (d = 9; d <= 29; d++, n++) {
		snprintf(f[n].date, sizeof(f[n].date), "2026-07-%02d", d);
		f[n].input = "1.00";
		f[n].output = "6.00";
	}
	snprintf(f[n].date, 11, "2026-07-30");
	f[n].input = "0.20", f[n++].output = "1.20";
	snprintf(f[n].date, 11, "2026-07-31");
	f[n].input = "0.20", f[n++].output = "1.20";
	snprintf(f[n].date, 11, "2026-07-30"); /* fetched a second time */
	f[n].input = "0.20", f[n++].output = "1.20";
	return n;
}

static void feed(struct store *st, const struct fetch *f, const size_t *order, size_t n)
{
	struct tt_error err = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		struct price_list l = PRICE_LIST_INIT;
		const struct fetch *x = &f[order[i]];
		add_price(&l, "demo", "demo-luna", "input", x->input, NULL);
		add_price(&l, "demo", "demo-luna", "output", x->output, NULL);
		if (observe(st, x->date, &l, NULL, &err) != 0)
			fail_msg("observe %s: %s", x->date, err.msg);
		price_list_release(&l);
	}
}

static void test_case8_intervals(void **state)
{
	static const struct {
		const char *dimension, *from, *to, *price, *first, *last;
	} want_iv[] = {
		{ "input", "2026-07-09", "2026-07-30", "1.00", "2026-07-09", "2026-07-29" },
		{ "input", "2026-07-30", "", "0.20", "2026-07-30", "2026-07-31" },
		{ "output", "2026-07-09", "2026-07-30", "6.00", "2026-07-09", "2026-07-29" },
		{ "output", "2026-07-30", "", "1.20", "2026-07-30", "2026-07-31" },
	};
	static const struct {
		const char *date, *dimension, *change, *price, *old;
	} want_ev[] = {
		{ "2026-07-09", "input", "new", "1.00", NULL },
		{ "2026-07-09", "output", "new", "6.00", NULL },
		{ "2026-07-30", "input", "down", "0.20", "1.00" },
		{ "2026-07-30", "output", "down", "1.20", "6.00" },
	};
	static const struct {
		const char *as_of, *input;
	} want_price[] = {
		{ "2026-07-08", NULL }, { "2026-07-09", "1.00" }, { "2026-07-20", "1.00" },
		{ "2026-07-29", "1.00" }, { "2026-07-30", "0.20" }, { "2027-01-01", "0.20" },
	};
	struct fetch f[32];
	size_t n = case8_fetches(f), order[32], i, k;
	char *ref = NULL;
	int variant;

	(void)state;
	/* 0: date order, 1: reverse, 2..4: shuffled (fixed LCG) */
	for (variant = 0; variant < 5; variant++) {
		struct store *st = open_mem();
		struct price_rows rows = PRICE_ROWS_INIT;
		struct query_filter qf = { 0 };
		struct tt_error err = { 0 };
		uint32_t seed = 12345u + (uint32_t)variant;
		char money[MONEY_FMT_MAX], *got;

		for (i = 0; i < n; i++)
			order[i] = variant == 1 ? n - 1 - i : i;
		if (variant >= 2)
			for (i = n - 1; i > 0; i--) {
				size_t j, t;
				seed = seed * 1103515245u + 12345u;
				j = (seed >> 8) % (i + 1);
				t = order[i], order[i] = order[j], order[j] = t;
			}
		feed(st, f, order, n);

		qf.model = "demo-luna";
		assert_int_equal(query_history(st, &qf, &rows, &err), (int)TT_ARRAY_SIZE(want_iv));
		for (i = 0; i < rows.n; i++) {
			assert_string_equal(rows.v[i].p.dimension, want_iv[i].dimension);
			assert_string_equal(rows.v[i].valid_from, want_iv[i].from);
			assert_string_equal(rows.v[i].valid_to, want_iv[i].to);
			assert_string_equal(money_format(rows.v[i].p.nanos, money, sizeof(money)), want_iv[i].price);
			assert_string_equal(rows.v[i].first_seen, want_iv[i].first);
			assert_string_equal(rows.v[i].last_seen, want_iv[i].last);
		}
		price_rows_release(&rows);

		/* exactly one change per dimension besides the initial "new" */
		assert_int_equal(query_changes(st, &qf, &rows, &err), (int)TT_ARRAY_SIZE(want_ev));
		for (i = 0; i < rows.n; i++) {
			assert_string_equal(rows.v[i].date, want_ev[i].date);
			assert_string_equal(rows.v[i].p.dimension, want_ev[i].dimension);
			assert_string_equal(rows.v[i].change, want_ev[i].change);
			assert_string_equal(money_format(rows.v[i].p.nanos, money, sizeof(money)), want_ev[i].price);
			assert_int_equal(rows.v[i].has_old, want_ev[i].old != NULL);
			if (want_ev[i].old)
				assert_string_equal(money_format(rows.v[i].old_nanos, money, sizeof(money)),
						    want_ev[i].old);
		}
		price_rows_release(&rows);

		for (k = 0; k < TT_ARRAY_SIZE(want_price); k++) {
			qf.as_of = want_price[k].as_of;
			qf.dimension = "input";
			assert_int_equal(query_prices(st, &qf, &rows, &err), want_price[k].input ? 1 : 0);
			if (want_price[k].input)
				assert_string_equal(money_format(rows.v[0].p.nanos, money, sizeof(money)),
						    want_price[k].input);
			price_rows_release(&rows);
		}
		/* the repeated 07-30 fetch made no duplicate row */
		assert_int_equal(count(store_db(st), "SELECT count(*) FROM observation"), 2 * 23);
		assert_int_equal(count(store_db(st), "SELECT count(*) FROM price_interval"), 4);
		assert_int_equal(count(store_db(st), "SELECT count(*) FROM change_event"), 4);

		got = dump(store_db(st), 0);
		if (!ref)
			ref = got;
		else {
			assert_string_equal(got, ref);
			free(got);
		}
		store_close(st);
	}
	free(ref);
}

static void test_case8_repeat_is_noop(void **state)
{
	struct store *st = open_mem();
	struct store_observe_stats s1, s2;
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;
	char *before, *after;

	(void)state;
	add_price(&l, "demo", "demo-luna", "input", "0.20", NULL);
	add_price(&l, "demo", "demo-luna", "output", "1.20", NULL);
	assert_int_equal(observe(st, "2026-07-30", &l, &s1, &err), 0);
	assert_int_equal(s1.observed, 2);
	assert_int_equal(s1.repeated, 0);
	assert_int_equal(s1.changes, 2);
	assert_int_equal(s1.keys, 2);
	before = dump(store_db(st), 1);
	assert_int_equal(observe(st, "2026-07-30", &l, &s2, &err), 0);
	assert_int_equal(s2.observed, 2);
	assert_int_equal(s2.repeated, 2);
	assert_int_equal(s2.changes, 0);
	after = dump(store_db(st), 1);
	assert_string_equal(before, after);
	free(before);
	free(after);
	price_list_release(&l);
	store_close(st);
}

/*
 * Order independence, randomised: the same observations fed in date order
 * (the incremental fast paths), in reverse and shuffled (full rebuilds)
 * give the same intervals and change events.  Values repeat, some carry
 * effective dates before or after their observation.
 */
static void test_any_order_same_history(void **state)
{
	uint32_t seed = 20260709u;
	int trial;

	(void)state;
	for (trial = 0; trial < 150; trial++) {
		char dates[16][11], effs[16][11], *ref = NULL;
		const char *vals[16];
		static const char *const pool[] = { "1.00", "2.00", "3.00" };
		size_t n = 0, order[16], i;
		int day = 0, variant;

		while (n < 12) {
			int64_t base = date_from_ymd(2026, 1, 1);
			seed = seed * 1103515245u + 12345u;
			day += 1 + (int)((seed >> 16) % 4);
			date_format(base + day, dates[n]);
			vals[n] = pool[(seed >> 8) % 3];
			effs[n][0] = '\0';
			if ((seed >> 4) % 5 == 0)
				date_format(base + day - 6 + (int)((seed >> 20) % 16), effs[n]);
			n++;
		}
		for (variant = 0; variant < 3; variant++) {
			struct store *st = open_mem();
			struct tt_error err = { 0 };
			char *got;

			for (i = 0; i < n; i++)
				order[i] = variant == 1 ? n - 1 - i : i;
			if (variant == 2)
				for (i = n - 1; i > 0; i--) {
					size_t j, t;
					seed = seed * 1103515245u + 12345u;
					j = (seed >> 8) % (i + 1);
					t = order[i], order[i] = order[j], order[j] = t;
				}
			for (i = 0; i < n; i++) {
				struct price_list l = PRICE_LIST_INIT;
				size_t k = order[i];
				add_price(&l, "demo", "demo-luna", "input", vals[k], effs[k][0] ? effs[k] : NULL);
				if (observe(st, dates[k], &l, NULL, &err) != 0)
					fail_msg("trial %d: %s", trial, err.msg);
				price_list_release(&l);
			}
			got = dump(store_db(st), 0);
			if (!ref) {
				ref = got;
			} else {
				if (strcmp(got, ref))
					fail_msg("trial %d variant %d:\n%s\nvs date order:\n%s", trial, variant, got, ref);
				free(got);
			}
			store_close(st);
		}
		free(ref);
	}
}

/* ---- case 17 ------------------------------------------------------------ */

static void test_case17_integer_money(void **state)
{
	static const struct {
		const char *date, *input, *output, *cache_read;
		size_t changes; /* change events created that day */
	} days[] = {
		{ "2026-03-01", "0.70", "8.20", "0.10", 3 }, /* three "new" */
		{ "2026-03-02", "0.70", "8.20", "0.10", 0 },
		{ "2026-03-03", "0.80", "8.20", "0.10", 1 },
	};
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct query_filter qf = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	size_t i;
	int64_t in1, cr1, in3;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(days); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct store_observe_stats s;
		add_price(&l, "demo", "demo", "input", days[i].input, NULL);
		add_price(&l, "demo", "demo", "output", days[i].output, NULL);
		add_price(&l, "demo", "demo", "cache_read", days[i].cache_read, NULL);
		assert_int_equal(observe(st, days[i].date, &l, &s, &err), 0);
		assert_int_equal(s.changes, days[i].changes);
		price_list_release(&l);
	}
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM price_interval i JOIN price_key k"
					     " ON k.id=i.key_id WHERE k.dimension='output' AND"
					     " i.nanos=8200000000 AND typeof(i.nanos)='integer'"), 1);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM observation WHERE typeof(nanos)<>'integer'"), 0);
	qf.since = "2026-03-02";
	assert_int_equal(query_changes(st, &qf, &rows, &err), 1);
	assert_string_equal(rows.v[0].date, "2026-03-03");
	assert_string_equal(rows.v[0].p.dimension, "input");
	assert_string_equal(rows.v[0].change, "up");
	assert_int_equal(rows.v[0].old_nanos, 700000000);
	assert_int_equal(rows.v[0].p.nanos, 800000000);
	price_rows_release(&rows);
	in1 = count(store_db(st), "SELECT nanos FROM observation o JOIN price_key k ON k.id=o.key_id"
				  " WHERE k.dimension='input' AND obs_date='2026-03-01'");
	cr1 = count(store_db(st), "SELECT nanos FROM observation o JOIN price_key k ON k.id=o.key_id"
				  " WHERE k.dimension='cache_read' AND obs_date='2026-03-01'");
	in3 = count(store_db(st), "SELECT nanos FROM observation o JOIN price_key k ON k.id=o.key_id"
				  " WHERE k.dimension='input' AND obs_date='2026-03-03'");
	assert_int_equal(in1 + cr1, in3);
	store_close(st);
}

/* ---- effective dates, removals ------------------------------------------ */

static void test_effective_dates(void **state)
{
	static const struct obs seq[] = {
		{ "2026-07-01", "input", "2.00", NULL },
		{ "2026-07-25", "input", "1.50", "2026-08-01" }, /* announced, takes effect later */
		{ "2026-07-26", "input", "1.50", "2026-08-01" },
		{ "2026-08-02", "input", "1.50", NULL },
	};
	static const struct {
		const char *as_of, *price;
	} want[] = {
		{ "2026-07-10", "2.00" }, { "2026-07-28", "2.00" }, { "2026-07-31", "2.00" },
		{ "2026-08-01", "1.50" }, { "2026-09-01", "1.50" },
	};
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct query_filter qf = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	char money[MONEY_FMT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(seq); i++) {
		struct price_list l = PRICE_LIST_INIT;
		add_price(&l, "demo", "demo-sol", seq[i].dimension, seq[i].price, seq[i].effective);
		assert_int_equal(observe(st, seq[i].date, &l, NULL, &err), 0);
		price_list_release(&l);
	}
	for (i = 0; i < TT_ARRAY_SIZE(want); i++) {
		qf.as_of = want[i].as_of;
		assert_int_equal(query_prices(st, &qf, &rows, &err), 1);
		assert_string_equal(money_format(rows.v[0].p.nanos, money, sizeof(money)), want[i].price);
		price_rows_release(&rows);
	}
	qf.as_of = NULL;
	assert_int_equal(query_history(st, &qf, &rows, &err), 2);
	assert_string_equal(rows.v[1].valid_from, "2026-08-01");
	assert_string_equal(rows.v[1].first_seen, "2026-07-25");
	assert_string_equal(rows.v[1].last_seen, "2026-08-02");
	assert_string_equal(rows.v[0].valid_to, "2026-08-01");
	price_rows_release(&rows);
	store_close(st);
}

static void test_mark_removed(void **state)
{
	/* luna is on every page; sol is on the pages of days 1-2 only */
	static const char *const dates[] = {
		"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
	};
	static const int marked[] = { 0, 0, 0, 0, 1 }; /* missed = 3 */
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct query_filter qf = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	int64_t run = 0;
	size_t i;

	(void)state;
	assert_int_equal(store_run_begin(st, "scrape", "2026-05-01T06:00:00Z", &run, &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(dates); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct store_source_outcome o = { "demo", dates[i], "ok", 200, 10, 1, 1, "x", NULL, NULL };
		add_price(&l, "demo", "demo-luna", "input", "1.00", NULL);
		if (i < 2)
			add_price(&l, "demo", "demo-sol", "input", "3.00", NULL);
		assert_int_equal(store_observe(st, run, "demo", dates[i], &l, NULL, NULL, &err), 0);
		assert_int_equal(store_source_outcome(st, run, &o, &err), 0);
		/* a failed run in between counts for nothing */
		o.status = "failed";
		o.obs_date = "2026-05-04";
		assert_int_equal(store_source_outcome(st, run, &o, &err), 0);
		assert_int_equal(store_mark_removed(st, "demo", dates[i], 3, &err), marked[i]);
		price_list_release(&l);
	}
	assert_int_equal(store_mark_removed(st, "demo", "2026-05-05", 3, &err), 0);

	qf.model = "demo-sol";
	qf.as_of = "2026-05-02";
	assert_int_equal(query_prices(st, &qf, &rows, &err), 1);
	price_rows_release(&rows);
	qf.as_of = "2026-05-03";
	assert_int_equal(query_prices(st, &qf, &rows, &err), 0);
	price_rows_release(&rows);
	qf.as_of = NULL;
	assert_int_equal(query_changes(st, &qf, &rows, &err), 2);
	assert_string_equal(rows.v[1].change, "removed");
	assert_string_equal(rows.v[1].date, "2026-05-03");
	assert_int_equal(rows.v[1].old_nanos, 3000000000);
	assert_string_equal(rows.v[1].valid_to, "2026-05-03");
	price_rows_release(&rows);

	/* it comes back: a new interval and a "new" event */
	{
		struct price_list l = PRICE_LIST_INIT;
		add_price(&l, "demo", "demo-sol", "input", "2.50", NULL);
		assert_int_equal(store_observe(st, run, "demo", "2026-05-07", &l, NULL, NULL, &err), 0);
		price_list_release(&l);
	}
	assert_int_equal(query_changes(st, &qf, &rows, &err), 3);
	assert_string_equal(rows.v[2].change, "new");
	assert_string_equal(rows.v[2].date, "2026-05-07");
	price_rows_release(&rows);
	store_close(st);
}

/*
 * A value refused for breaking a bound (store_observe_refused) is a
 * sighting of its key: the key is not counted absent on that day, yet
 * nothing becomes a price.  demo-sol is observed on day 1 only; on later
 * days its value is refused ('r'), absent ('.'), or refused and then
 * forgotten by a re-parse of the day ('f', store_forget_day).
 */
struct refused_case {
	const char *name;
	const char *value;      /* the refused value */
	const char *days;       /* days 2..6 */
	int marked[6];          /* store_mark_removed() on days 1..6 (missed = 3) */
	const char *removed_on; /* the removal's date, NULL: still in force */
};

static const struct refused_case refused_cases[] = {
	{ "absent from day 2", "15000", ".....", { 0, 0, 0, 1, 0, 0 }, "2026-05-02" },
	{ "refused on days 2-6", "15000", "rrrrr", { 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refused negative on days 2-6", "-1", "rrrrr", { 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refused on day 2 only", "15000", "r....", { 0, 0, 0, 0, 1, 0 }, "2026-05-03" },
	{ "refused on days 3 and 6", "15000", ".r..r", { 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refused, then forgotten by re-parses", "15000", "fffff", { 0, 0, 0, 1, 0, 0 },
	  "2026-05-02" },
};

static void test_refused_counts_as_seen(void **state)
{
	static const char *const dates[] = {
		"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06",
	};
	size_t i, d;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(refused_cases); i++) {
		const struct refused_case *c = &refused_cases[i];
		struct store *st = open_mem();
		struct tt_error err = { 0 };
		struct query_filter qf = { 0 };
		struct price_rows rows = PRICE_ROWS_INIT;
		int64_t run = 0;

		assert_int_equal(store_run_begin(st, "scrape", "2026-05-01T06:00:00Z", &run, &err), 0);
		for (d = 0; d < TT_ARRAY_SIZE(dates); d++) {
			struct price_list l = PRICE_LIST_INIT, refused = PRICE_LIST_INIT;
			struct store_source_outcome o = { "demo", dates[d], "ok", 200, 10, 1, 1, "x", NULL, NULL };
			char what = d ? c->days[d - 1] : 'o';
			int rc;

			add_price(&l, "demo", "demo-luna", "input", "1.00", NULL);
			if (what == 'o')
				add_price(&l, "demo", "demo-sol", "input", "3.00", NULL);
			assert_int_equal(store_observe(st, run, "demo", dates[d], &l, NULL, NULL, &err), 0);
			if (what == 'r' || what == 'f') {
				add_price(&refused, "demo", "demo-sol", "input", c->value, NULL);
				rc = store_observe_refused(st, run, "demo", dates[d], &refused, &err);
				if (rc != 1)
					fail_msg("%s: day %zu: store_observe_refused %d (%s)", c->name, d + 1,
						 rc, err.msg);
			}
			if (what == 'f') /* a re-parse that no longer reads demo-sol */
				assert_int_equal(store_forget_day(st, "demo", dates[d], &l, &err), 0);
			assert_int_equal(store_source_outcome(st, run, &o, &err), 0);
			rc = store_mark_removed(st, "demo", dates[d], 3, &err);
			if (rc != c->marked[d])
				fail_msg("%s: day %zu: %d marked, expected %d", c->name, d + 1, rc,
					 c->marked[d]);
			price_list_release(&refused);
			price_list_release(&l);
		}
		qf.model = "demo-sol";
		assert_int_equal(query_changes(st, &qf, &rows, &err), c->removed_on ? 2 : 1);
		assert_string_equal(rows.v[0].change, "new");
		if (c->removed_on) {
			assert_string_equal(rows.v[1].change, "removed");
			assert_string_equal(rows.v[1].date, c->removed_on);
		}
		price_rows_release(&rows);
		qf.as_of = "2026-05-07";
		assert_int_equal(query_prices(st, &qf, &rows, &err), c->removed_on ? 0 : 1);
		if (!c->removed_on) /* the last good value, never the refused one */
			assert_int_equal(rows.v[0].p.nanos, 3000000000);
		price_rows_release(&rows);
		/* nothing refused became an observation */
		assert_int_equal(count(store_db(st), "SELECT count(*) FROM observation o JOIN price_key k"
				       " ON k.id=o.key_id WHERE k.model='demo-sol' AND o.nanos IS NOT NULL"), 1);
		store_close(st);
	}
}

/* A refused value of a key never stored has no interval to keep open:
 * nothing is recorded and no key is created. */
static void test_refused_unknown_key(void **state)
{
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;

	(void)state;
	add_price(&l, "demo", "demo-luna", "input", "1.00", NULL);
	assert_int_equal(observe(st, "2026-05-01", &l, NULL, &err), 0);
	price_list_release(&l);
	add_price(&l, "demo", "demo-new", "input", "15000", NULL);
	add_price(&l, "demo", "demo-luna", "input", "-2", NULL);
	assert_int_equal(store_observe_refused(st, 0, "demo", "2026-05-02", &l, &err), 1);
	/* a repeat on the same date replaces that date's row */
	assert_int_equal(store_observe_refused(st, 0, "demo", "2026-05-02", &l, &err), 1);
	assert_int_equal(store_observe_refused(st, 0, "demo", "2026-05-32", &l, &err), TT_EINVAL);
	price_list_release(&l);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM price_key"), 1);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM refused_value"), 1);
	assert_int_equal(count(store_db(st), "SELECT nanos FROM refused_value"), -2000000000);
	store_close(st);
}

/* ---- failures roll back whole ------------------------------------------- */

static void test_failed_observe_changes_nothing(void **state)
{
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;
	char *before, *after;
	int rc;

	(void)state;
	add_price(&l, "demo", "demo-luna", "input", "1.00", NULL);
	assert_int_equal(observe(st, "2026-07-09", &l, NULL, &err), 0);
	price_list_release(&l);
	before = dump(store_db(st), 1);

	/* (a) a record without a model */
	add_price(&l, "demo", "demo-luna", "input", "0.50", NULL);
	add_price(&l, "demo", "demo-x", "output", "2.00", NULL);
	FREE_AND_NULL(l.v[1].model);
	assert_int_equal(observe(st, "2026-07-10", &l, NULL, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "no model"));
	price_list_release(&l);

	/* (b) one key with two prices on one date: found after the inserts */
	add_price(&l, "demo", "demo-new", "input", "0.50", NULL);
	add_price(&l, "demo", "demo-luna", "input", "0.40", NULL);
	add_price(&l, "demo", "demo-luna", "input", "0.30", NULL);
	assert_int_equal(observe(st, "2026-07-10", &l, NULL, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "twice"));
	price_list_release(&l);

	/* (c) a failure injected in the middle of the interval rebuild */
	assert_int_equal(sqlite3_exec(store_db(st),
				      "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.price_interval"
				      " WHEN (SELECT model FROM price_key WHERE id=NEW.key_id)='demo-bad'"
				      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
				      NULL, NULL, NULL), SQLITE_OK);
	add_price(&l, "demo", "demo-luna", "input", "0.40", NULL);
	add_price(&l, "demo", "demo-new", "input", "0.50", NULL);
	add_price(&l, "demo", "demo-bad", "input", "0.60", NULL);
	rc = observe(st, "2026-07-10", &l, NULL, &err);
	assert_int_equal(rc, TT_EDB);
	assert_non_null(strstr(err.msg, "injected failure"));
	price_list_release(&l);

	after = dump(store_db(st), 1);
	assert_string_equal(before, after);
	assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
	free(before);
	free(after);
	store_close(st);
}

static void test_outer_transaction(void **state)
{
	struct store *st = open_mem();
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;

	(void)state;
	add_price(&l, "demo", "demo-luna", "input", "1.00", NULL);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(observe(st, "2026-07-09", &l, NULL, &err), 0);
	assert_int_equal(observe(st, "2026-07-10", &l, NULL, &err), 0);
	store_rollback(st);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM observation"), 0);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(observe(st, "2026-07-09", &l, NULL, &err), 0);
	assert_int_equal(store_commit(st, &err), 0);
	assert_int_equal(count(store_db(st), "SELECT count(*) FROM price_interval"), 1);
	price_list_release(&l);
	store_close(st);
}

/* ---- case 16: concurrent writers ---------------------------------------- */

/* Connection A of case 16, in its own thread: BEGIN IMMEDIATE, write,
 * announce "locked", hold until told, then wait hold_ms and COMMIT. */
struct holder {
	const char *path;
	int hold_ms;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int locked, release, committed, rc;
};

static void *holder_main(void *arg)
{
	struct holder *h = arg;
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open(h->path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO run(kind, started)"
				      " VALUES('scrape', '2026-01-05T00:00:00Z')", NULL, NULL, NULL);
	pthread_mutex_lock(&h->mu);
	h->locked = 1;
	h->rc = rc;
	pthread_cond_broadcast(&h->cv);
	while (!h->release)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	if (h->hold_ms)
		usleep((useconds_t)h->hold_ms * 1000);
	pthread_mutex_lock(&h->mu);
	h->committed = 1; /* set before COMMIT: B cannot finish before this */
	pthread_mutex_unlock(&h->mu);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	h->rc = rc;
	sqlite3_close(db);
	return NULL;
}

static void holder_start(struct holder *h, pthread_t *t, const char *path, int hold_ms)
{
	memset(h, 0, sizeof(*h));
	h->path = path;
	h->hold_ms = hold_ms;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	assert_int_equal(pthread_create(t, NULL, holder_main, h), 0);
	pthread_mutex_lock(&h->mu);
	while (!h->locked)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	assert_int_equal(h->rc, SQLITE_OK);
}

static void holder_release(struct holder *h)
{
	pthread_mutex_lock(&h->mu);
	h->release = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void holder_join(struct holder *h, pthread_t t)
{
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(h->rc, SQLITE_OK);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
}

static void case16_prices(struct price_list *l)
{
	add_price(l, "demo", "demo", "input", "0.15", NULL);
	add_price(l, "demo", "demo", "output", "0.60", NULL);
}

static void test_case16_busy_wait(void **state)
{
	char *dir = make_tmpdir();
	char path[512];
	struct store *b = NULL, *reader = NULL;
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;
	struct price_rows rows = PRICE_ROWS_INIT;
	struct query_filter qf = { 0 };
	struct holder h;
	pthread_t t;
	int i;

	(void)state;
	snprintf(path, sizeof(path), "%s/tt.db", dir);
	assert_int_equal(store_open(path, 0, &b, &err), 0);
	case16_prices(&l);

	holder_start(&h, &t, path, 50);
	/* t=1.0: a read-only command is not blocked while A holds the write
	 * lock: opening (already migrated) and querying need no wait at all */
	if (store_open(path, 1, &reader, &err) != 0)
		fail_msg("reader open: %s", err.msg);
	qf.as_of = "2026-01-05";
	assert_int_equal(query_prices(reader, &qf, &rows, &err), 0);
	price_rows_release(&rows);
	/* t=0.5: B waits for A's commit and then succeeds */
	holder_release(&h);
	assert_int_equal(store_observe(b, 0, "demo", "2026-01-05", &l, NULL, NULL, &err), 0);
	assert_int_equal(h.committed, 1);
	holder_join(&h, t);
	/* t=6.0: B again with the same capture: nothing new */
	assert_int_equal(store_observe(b, 0, "demo", "2026-01-05", &l, NULL, NULL, &err), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(count(store_db(reader), "SELECT count(*) FROM price_interval"), 2);
		assert_int_equal(count(store_db(reader), "SELECT count(*) FROM change_event"), 2);
		assert_int_equal(count(store_db(reader), "SELECT count(*) FROM run"), 1);
	}
	assert_int_equal(query_prices(reader, &qf, &rows, &err), 2);
	price_rows_release(&rows);
	store_close(reader);
	store_close(b);
	price_list_release(&l);
	rm_tree(dir);
}

static void test_case16_busy_budget(void **state)
{
	char *dir = make_tmpdir();
	char path[512];
	struct store *b = NULL, *setup = NULL;
	struct tt_error err = { 0 };
	struct price_list l = PRICE_LIST_INIT;
	struct holder h;
	pthread_t t;

	(void)state;
	snprintf(path, sizeof(path), "%s/tt.db", dir);
	assert_int_equal(store_open(path, 0, &setup, &err), 0); /* migrate first */
	assert_int_equal(store_open(path, 5, &b, &err), 0);     /* 5 ms budget */
	case16_prices(&l);
	holder_start(&h, &t, path, 0);
	assert_int_equal(store_observe(b, 0, "demo", "2026-01-05", &l, NULL, NULL, &err), TT_EBUSY);
	assert_non_null(strstr(err.msg, "busy"));
	holder_release(&h);
	holder_join(&h, t);
	assert_int_equal(count(store_db(setup), "SELECT count(*) FROM observation"), 0);
	assert_int_equal(count(store_db(setup), "SELECT count(*) FROM price_key"), 0);
	assert_int_equal(count(store_db(setup), "SELECT count(*) FROM run"), 1); /* A's row */
	/* and once A is gone, B goes through */
	assert_int_equal(store_observe(b, 0, "demo", "2026-01-05", &l, NULL, NULL, &err), 0);
	store_close(b);
	store_close(setup);
	price_list_release(&l);
	rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_match_schema),
		cmocka_unit_test(test_open_dirs_and_newer_schema),
		cmocka_unit_test(test_snapshot_roundtrip),
		cmocka_unit_test(test_runs_and_outcomes),
		cmocka_unit_test(test_case8_intervals),
		cmocka_unit_test(test_case8_repeat_is_noop),
		cmocka_unit_test(test_any_order_same_history),
		cmocka_unit_test(test_case17_integer_money),
		cmocka_unit_test(test_effective_dates),
		cmocka_unit_test(test_mark_removed),
		cmocka_unit_test(test_refused_counts_as_seen),
		cmocka_unit_test(test_refused_unknown_key),
		cmocka_unit_test(test_failed_observe_changes_nothing),
		cmocka_unit_test(test_outer_transaction),
		cmocka_unit_test(test_case16_busy_wait),
		cmocka_unit_test(test_case16_busy_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
