/*
 * test_backfill.c - history in and out: imports are idempotent and keep
 * provenance (bundled history, then the real captures, then the same files
 * again leave the same intervals and changes, by content hash), an
 * exported history CSV imports back into the same intervals and changes
 * (removals included), dates from file names, folders of snapshots, and
 * the two date bases of `prices` (effective vs observed).
 */
#include "tt_test.h"
#include "tt_db.h"
#include "tokentrend/tt_compat.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include "tokentrend/backfill.h"
#include "tokentrend/export.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/seed.h"
#include "tokentrend/store.h"

static struct store *open_mem(void)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };

	if (store_open(":memory:", 0, &st, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

/* Content hashes of the intervals and the change events, by key (not row ids). */
static void hash_history(struct store *st, char iv[65], char ev[65])
{
	tt_db_hash(st, "SELECT k.provider, k.model, k.dimension, k.tier, k.condition, k.region, k.unit,"
		       " k.currency, i.source, i.valid_from, i.valid_to, i.nanos, i.first_seen, i.last_seen,"
		       " i.removed FROM price_interval i JOIN price_key k ON k.id = i.key_id"
		       " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10", iv);
	tt_db_hash(st, "SELECT k.provider, k.model, k.dimension, k.tier, k.condition, k.region, k.unit,"
		       " k.currency, e.source, e.date, e.kind, e.old_nanos, e.new_nanos, e.seen,"
		       " e.interval_from FROM change_event e JOIN price_key k ON k.id = e.key_id"
		       " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", ev);
}

static void test_date_from_name(void **state)
{
	static const struct {
		const char *path, *date;
	} cases[] = {
		{ "/x/litellm-model-prices-2026-07-24.json", "2026-07-24" },
		{ "llmprices-openai-2026-07-30.json", "2026-07-30" },
		{ "snapshots/model_prices_2025-02-06.json", "2025-02-06" },
		{ "2024-11-14.json", "2024-11-14" },
		{ "a-2024-01-01-b-2025-03-04.json", "2025-03-04" },
		{ "litellm-2026-07.json", NULL },
		{ "litellm-2026-02-30.json", NULL },
		{ "prices.json", NULL },
		{ "x12026-07-24.json", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		char d[11] = "";
		int rc = backfill_date_from_name(cases[i].path, d);
		if (cases[i].date) {
			assert_int_equal(rc, 0);
			assert_string_equal(d, cases[i].date);
		} else if (rc != TT_EINVAL) {
			fail_msg("%s: got a date '%s'", cases[i].path, d);
		}
	}
}

/* Load everything once: the bundled history, the bundled captures, and
 * (when ../shared/data is present) the real LiteLLM, llm-prices and
 * OpenRouter files. */
static void load_all(struct store *st, size_t *files)
{
	static const struct {
		const char *source, *rel;
		int shared;
	} inputs[] = {
		{ "anthropic", "anthropic-2025-11-14.html", 0 },
		{ "openai", "openai-2026-08-21.html", 0 },
		{ "openrouter", "openrouter-models-2026-08-18.json", 0 },
		{ "litellm", "pages/litellm-model-prices-2026-07-24.json", 1 },
		{ "llmprices", "pages/llmprices-anthropic-2026-06-30.json", 1 },
		{ "llmprices", "pages/llmprices-openai-2026-07-30.json", 1 },
		{ "llmprices", "pages/llmprices-google-2026-07-24.json", 1 },
		{ "openrouter", "pages/openrouter-models-2026-08-18.json", 1 },
	};
	struct seed_import_stats ss;
	struct tt_error err = { 0 };
	size_t len = 0, i;
	const char *csv = seed_csv(&len);

	assert_int_equal(seed_import_csv(st, csv, len, "db/seed/price-history.csv", "litellm", &ss, NULL,
					 &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(inputs); i++) {
		struct backfill_report rep;
		char path[1024];
		int rc;

		if (inputs[i].shared) {
			if (tt_shared_path(inputs[i].rel, path, sizeof(path)) < 0)
				continue;
		} else {
			snprintf(path, sizeof(path), "%s/%s", TT_CAPTURES, inputs[i].rel);
		}
		backfill_report_init(&rep);
		rc = backfill_import(st, inputs[i].source, path, NULL, &rep, &err);
		if (rc != 1)
			fail_msg("%s: rc %d (%s) %s", path, rc, err.msg, rep.nfiles ? rep.files[0].error : "");
		(*files)++;
		backfill_report_release(&rep);
	}
}

static void test_idempotent_with_provenance(void **state)
{
	struct store *st = open_mem();
	char iv1[65], ev1[65], iv2[65], ev2[65];
	size_t files = 0;
	int64_t obs1;

	(void)state;
	load_all(st, &files);
	hash_history(st, iv1, ev1);
	obs1 = tt_db_count(st, "SELECT count(*) FROM observation");
	printf("loaded %zu files: %" PRId64 " intervals, %" PRId64 " changes, %" PRId64 " observations\n",
	       files, tt_db_count(st, "SELECT count(*) FROM price_interval"),
	       tt_db_count(st, "SELECT count(*) FROM change_event"), obs1);
	/* provenance on every row: file and source (and the original key) */
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation WHERE provenance IS NULL"
				   " OR provenance = ''"), 0);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation WHERE nanos IS NOT NULL AND"
				   " provenance NOT LIKE '%file=%' AND provenance NOT LIKE '%/%'"), 0);
	/* the same files again: nothing changes */
	files = 0;
	load_all(st, &files);
	hash_history(st, iv2, ev2);
	assert_string_equal(iv1, iv2);
	assert_string_equal(ev1, ev2);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation"), obs1);
	store_close(st);
}

/* An exported history CSV imports into an empty database as the same
 * intervals and change events: real data plus a removal and a return. */
static void test_export_round_trip(void **state)
{
	struct store *a = open_mem(), *b = open_mem();
	struct price_list l = PRICE_LIST_INIT;
	struct price p;
	struct buf csv = BUF_INIT;
	struct seed_import_stats ss;
	struct tt_error err = { 0 };
	char iva[65], eva[65], ivb[65], evb[65];
	size_t files = 0;
	int rc;

	(void)state;
	load_all(a, &files);
	/* a key that is removed, then comes back at another price */
	memset(&p, 0, sizeof(p));
	p.provider = (char *)"demo";
	p.model = (char *)"demo-gone";
	p.dimension = (char *)"input";
	p.nanos = 2 * MONEY_NANO;
	p.text = (char *)"2";
	assert_int_equal(price_list_add(&l, &p), 0);
	assert_int_equal(store_observe(a, 0, "custom", "2026-01-05", &l, "test", NULL, &err), 0);
	assert_int_equal(store_observe_removed(a, 0, "custom", &p, "2026-02-01", "test", &err), 0);
	l.v[0].nanos = MONEY_NANO;
	assert_int_equal(store_observe(a, 0, "custom", "2026-03-01", &l, "test", NULL, &err), 0);
	assert_int_equal(tt_db_count(a, "SELECT count(*) FROM change_event WHERE kind = 'removed'"), 1);

	rc = export_render(a, EXPORT_HISTORY, QUERY_FORMAT_CSV, "2026-08-24", &csv, &err);
	assert_true(rc > 0);
	rc = seed_import_csv(b, csv.buf, csv.len, "export.csv", "litellm", &ss, NULL, &err);
	if (rc < 0)
		fail_msg("import: %s", err.msg);
	assert_int_equal(ss.rejected, 0);
	assert_true(ss.export_shape);
	hash_history(a, iva, eva);
	hash_history(b, ivb, evb);
	assert_string_equal(iva, ivb);
	assert_string_equal(eva, evb);
	/* and importing it again changes nothing */
	rc = seed_import_csv(b, csv.buf, csv.len, "export.csv", "litellm", &ss, NULL, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(ss.changes, 0);
	hash_history(b, ivb, evb);
	assert_string_equal(iva, ivb);
	assert_string_equal(eva, evb);
	price_list_release(&l);
	buf_release(&csv);
	store_close(a);
	store_close(b);
}

/* Two dates: a page seen on 2026-08-05 says the cut took effect 2026-08-01. */
static void test_effective_vs_observed(void **state)
{
	static const struct {
		const char *as_of;
		int by_observed;
		const char *price; /* NULL: no row */
	} cases[] = {
		{ "2026-07-15", 0, "1.00" },
		{ "2026-07-15", 1, "1.00" },
		{ "2026-08-03", 0, "0.50" }, /* in effect (the source says so) */
		{ "2026-08-03", 1, "1.00" }, /* not yet seen by then */
		{ "2026-08-05", 1, "0.50" },
		{ "2026-06-30", 0, NULL },
		{ "2026-09-02", 0, "0.40" }, /* the scheduled price waits for its day */
		{ "2026-08-31", 0, "0.50" },
		{ "2026-08-25", 1, "0.50" }, /* 0.40 known since 08-20, but for 09-01 */
		{ "2026-09-02", 1, "0.40" }, /* what tokentrend would have answered on 09-02 */
	};
	struct store *st = open_mem();
	struct price_list l = PRICE_LIST_INIT;
	struct price p;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.provider = (char *)"demo";
	p.model = (char *)"demo-luna";
	p.dimension = (char *)"input";
	p.nanos = MONEY_NANO;
	assert_int_equal(price_list_add(&l, &p), 0);
	assert_int_equal(store_observe(st, 0, "demo", "2026-07-01", &l, "t", NULL, &err), 0);
	l.v[0].nanos = MONEY_NANO / 2;
	l.v[0].effective = strdup("2026-08-01");
	assert_int_equal(store_observe(st, 0, "demo", "2026-08-05", &l, "t", NULL, &err), 0);
	/* announced on 2026-08-20: 0.40 from 2026-09-01 (a scheduled price) */
	l.v[0].nanos = MONEY_NANO / 10 * 4;
	free(l.v[0].effective);
	l.v[0].effective = strdup("2026-09-01");
	assert_int_equal(store_observe(st, 0, "demo", "2026-08-20", &l, "t", NULL, &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct query_filter f = { 0 };
		struct price_rows rows = PRICE_ROWS_INIT;
		char mbuf[MONEY_FMT_MAX];

		f.as_of = cases[i].as_of;
		f.by_observed = cases[i].by_observed;
		assert_true(query_prices(st, &f, &rows, &err) >= 0);
		if (!cases[i].price) {
			assert_int_equal(rows.n, 0);
		} else {
			if (rows.n != 1 || strcmp(money_format(rows.v[0].p.nanos, mbuf, sizeof(mbuf)), cases[i].price))
				fail_msg("as of %s by %s: got %zu rows, %s; want %s", cases[i].as_of,
					 cases[i].by_observed ? "observed" : "effective", rows.n,
					 rows.n ? mbuf : "-", cases[i].price);
			assert_string_equal(rows.v[0].as_of, cases[i].as_of);
			assert_string_equal(rows.v[0].by, cases[i].by_observed ? "observed" : "effective");
		}
		price_rows_release(&rows);
	}
	price_list_release(&l);
	store_close(st);
}

/* A folder of dated LiteLLM snapshots imports in date order; undated
 * names are listed and skipped; a second run adds nothing. */
static void test_folder_of_snapshots(void **state)
{
	static const char *const snaps[][2] = {
		{ "snap-2025-03-01.json", "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":2e-06}}" },
		{ "snap-2025-01-01.json", "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":3e-06}}" },
		{ "snap-2025-02-01.json", "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":3e-06}}" },
		{ "notes.json", "{}" },
	};
	char dir[] = "/tmp/tt-backfill-XXXXXX";
	struct store *st = open_mem();
	struct backfill_report rep;
	struct tt_error err = { 0 };
	size_t i;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < TT_ARRAY_SIZE(snaps); i++) {
		char path[256];
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", dir, snaps[i][0]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(snaps[i][1], f);
		fclose(f);
	}
	backfill_report_init(&rep);
	rc = backfill_import(st, "litellm", dir, NULL, &rep, &err);
	assert_int_equal(rc, 3);
	assert_string_equal(rep.files[0].date, "2025-01-01");
	assert_string_equal(rep.files[2].date, "2025-03-01");
	assert_non_null(strstr(rep.notes.buf, "notes.json"));
	assert_int_equal(rep.changes, 2); /* new 3.00, down to 2.00 */
	backfill_report_release(&rep);
	assert_int_equal(tt_db_count(st, "SELECT count(*) FROM price_interval WHERE valid_from = '2025-01-01'"
				   " AND valid_to = '2025-03-01' AND last_seen = '2025-02-01'"), 1);
	backfill_report_init(&rep);
	assert_int_equal(backfill_import(st, "litellm", dir, NULL, &rep, &err), 3);
	assert_int_equal(rep.changes, 0);
	backfill_report_release(&rep);
	/* a single undated file needs --date */
	backfill_report_init(&rep);
	{
		char path[256];
		snprintf(path, sizeof(path), "%s/notes.json", dir);
		assert_int_equal(backfill_import(st, "litellm", path, NULL, &rep, &err), TT_EINVAL);
		for (i = 0; i < TT_ARRAY_SIZE(snaps); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, snaps[i][0]);
			unlink(path);
		}
	}
	backfill_report_release(&rep);
	rmdir(dir);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_from_name),
		cmocka_unit_test(test_idempotent_with_provenance),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_effective_vs_observed),
		cmocka_unit_test(test_folder_of_snapshots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
