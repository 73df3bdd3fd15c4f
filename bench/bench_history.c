/*
 * bench_history.c - tokentrend at a size far beyond today's price lists.
 *
 * Generates a synthetic history (default 10 years x 5,000 models x 4
 * dimensions, a price change every 30-90 days, about 1.2 million change
 * intervals; deterministic), writes it as the export's history CSV, then
 * measures in one run:
 *   1. a bare SQLite bulk insert of the same intervals (one prepared
 *      INSERT per row, one transaction, the same two tables and indexes)
 *      -> rows/s, the baseline;
 *   2. `tokentrend import csv` of that file (CSV parse, validation,
 *      observations, interval and change derivation) -> rows/s;
 *   3. `prices --as-of` for all models (query_prices) -> ms;
 *   4. single-model `history` (query_history) -> ms;
 *   5. the database size.
 * Never run in CI; bench/README.md has the one command.
 *
 *   bench_history [--models N] [--years Y] [--dir DIR] [--keep] [--general] [--queries-only]
 */
#include "tokentrend/tt_compat.h"

#include <sqlite3.h>
#include <time.h>

#include "tokentrend/buf.h"
#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/seed.h"
#include "tokentrend/store.h"

static const char *const dims[4] = { "input", "output", "cache_read", "cache_write" };

struct iv {
	uint32_t series;   /* model * 4 + dimension */
	int32_t from, to;  /* day numbers; to = -1 while open */
	int64_t nanos;
};

struct ivs {
	struct iv *v;
	size_t n, alloc;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static double unit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void push(struct ivs *a, const struct iv *x)
{
	if (a->n == a->alloc) {
		a->alloc = a->alloc ? a->alloc * 2 : 1 << 20;
		a->v = realloc(a->v, a->alloc * sizeof(*a->v));
		if (!a->v) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
	a->v[a->n++] = *x;
}

/* Synthetic prices: a base per model, decaying with noise (not real prices). */
static void generate(int models, int years, int64_t start, struct ivs *out)
{
	static const double mult[4] = { 1.0, 4.0, 0.1, 1.25 };
	int64_t end = start + (int64_t)years * 365 + years / 4;
	int m, d;

	for (m = 0; m < models; m++) {
		double base = exp(log(0.05) + unit() * (log(60.0) - log(0.05)));
		for (d = 0; d < 4; d++) {
			double price = base * mult[d];
			int64_t day = start + (int64_t)(unit() * 30);
			struct iv x;

			while (day < end) {
				int64_t next = day + 30 + (int64_t)(unit() * 61);
				x.series = (uint32_t)(m * 4 + d);
				x.from = (int32_t)day;
				x.to = next < end ? (int32_t)next : -1;
				/* 4 significant digits, never 0 */
				x.nanos = (int64_t)(price * 1e9);
				{
					int64_t p = 1;
					while (x.nanos / p >= 10000)
						p *= 10;
					x.nanos = x.nanos / p * p;
					if (x.nanos <= 0)
						x.nanos = 1000;
				}
				if (out->n && out->v[out->n - 1].series == x.series &&
				    out->v[out->n - 1].nanos == x.nanos)
					x.nanos += x.nanos / 1000 ? x.nanos / 1000 : 1; /* a change is a change */
				push(out, &x);
				price *= exp((unit() - 0.6) * 0.3);
				day = next;
			}
		}
	}
}

static void model_name(uint32_t series, char *out, size_t n)
{
	snprintf(out, n, "bench-model-%05u", series / 4);
}

static void provider_name(uint32_t series, char *out, size_t n)
{
	snprintf(out, n, "prov%02u", (series / 4) % 25);
}

/* The export's history CSV. */
static void write_csv(const struct ivs *a, struct buf *b, int64_t end)
{
	size_t i;
	char from[11], to[11], last[11], money[MONEY_FMT_MAX], model[32], prov[16];

	buf_adds(b, "provider,model,dimension,tier,condition,region,unit,currency,price,valid_from,"
		    "valid_to,first_seen,last_seen,source,note\r\n");
	for (i = 0; i < a->n; i++) {
		const struct iv *x = &a->v[i];
		model_name(x->series, model, sizeof(model));
		provider_name(x->series, prov, sizeof(prov));
		date_format(x->from, from);
		if (x->to >= 0) {
			date_format(x->to, to);
			date_format(x->to - 1, last);
		} else {
			to[0] = '\0';
			date_format(end, last);
		}
		buf_addf(b, "%s,%s,%s,standard,,,1M tokens,USD,%s,%s,%s,%s,%s,bench,\r\n", prov, model,
			 dims[x->series % 4], money_format(x->nanos, money, sizeof(money)), from, to, from,
			 last);
	}
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite: %s\n", msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The baseline: the same rows straight into price_key + price_interval,
 * with the indexes db/schema.sql gives them (0005_perf.sql replaced the
 * (valid_to, valid_from) index by the partial price_interval_open). */
static double bare_insert(const char *path, const struct ivs *a, int models, int64_t end)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *k = NULL, *s = NULL;
	char from[11], to[11], last[11], model[32], prov[16];
	double t0;
	size_t i;
	uint32_t series;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
		 "CREATE TABLE price_key (id INTEGER PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL,"
		 " dimension TEXT NOT NULL, tier TEXT NOT NULL, condition TEXT NOT NULL, region TEXT NOT NULL,"
		 " unit TEXT NOT NULL, currency TEXT NOT NULL,"
		 " UNIQUE (provider, model, dimension, tier, condition, region, unit, currency)) STRICT;"
		 "CREATE INDEX price_key_model ON price_key(model);"
		 "CREATE TABLE price_interval (id INTEGER PRIMARY KEY, key_id INTEGER NOT NULL,"
		 " source TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, nanos INTEGER NOT NULL,"
		 " text TEXT, note TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
		 " removed INTEGER NOT NULL DEFAULT 0, UNIQUE (key_id, source, valid_from)) STRICT;"
		 "CREATE INDEX price_interval_open ON price_interval(source) WHERE valid_to IS NULL;");
	t0 = now_s();
	exec(db, "BEGIN");
	sqlite3_prepare_v2(db, "INSERT INTO price_key(id, provider, model, dimension, tier, condition,"
			       " region, unit, currency) VALUES(?1, ?2, ?3, ?4, 'standard', '', '',"
			       " '1M tokens', 'USD')", -1, &k, NULL);
	for (series = 0; series < (uint32_t)models * 4; series++) {
		model_name(series, model, sizeof(model));
		provider_name(series, prov, sizeof(prov));
		sqlite3_bind_int64(k, 1, series + 1);
		sqlite3_bind_text(k, 2, prov, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(k, 3, model, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(k, 4, dims[series % 4], -1, SQLITE_STATIC);
		sqlite3_step(k);
		sqlite3_reset(k);
	}
	sqlite3_prepare_v2(db, "INSERT INTO price_interval(key_id, source, valid_from, valid_to, nanos,"
			       " text, first_seen, last_seen) VALUES(?1, 'bench', ?2, ?3, ?4, ?5, ?2, ?6)",
			   -1, &s, NULL);
	for (i = 0; i < a->n; i++) {
		const struct iv *x = &a->v[i];
		char money[MONEY_FMT_MAX];
		date_format(x->from, from);
		if (x->to >= 0) {
			date_format(x->to, to);
			date_format(x->to - 1, last);
		} else {
			date_format(end, last);
		}
		sqlite3_bind_int64(s, 1, x->series + 1);
		sqlite3_bind_text(s, 2, from, -1, SQLITE_TRANSIENT);
		if (x->to >= 0)
			sqlite3_bind_text(s, 3, to, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 3);
		sqlite3_bind_int64(s, 4, x->nanos);
		sqlite3_bind_text(s, 5, money_format(x->nanos, money, sizeof(money)), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, last, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE) {
			fprintf(stderr, "bare insert: %s\n", sqlite3_errmsg(db));
			break;
		}
		sqlite3_reset(s);
	}
	exec(db, "COMMIT");
	t0 = now_s() - t0;
	sqlite3_finalize(k);
	sqlite3_finalize(s);
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(db);
	return t0;
}

static long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of n latencies (sorts lat). */
static double median(double *lat, int n)
{
	qsort(lat, (size_t)n, sizeof(lat[0]), cmp_double);
	return lat[n / 2];
}

/* query_prices for every key on date d, rows in *n; returns ms or -1. */
static double time_as_of(struct store *st, const char *d, size_t *n)
{
	struct query_filter q = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	double t0;

	q.as_of = d;
	t0 = now_s();
	if (query_prices(st, &q, &rows, &err) < 0) {
		fprintf(stderr, "prices: %s\n", err.msg);
		return -1;
	}
	t0 = (now_s() - t0) * 1e3;
	*n = rows.n;
	price_rows_release(&rows);
	return t0;
}

/* Steps 3 and 4: the query timings. */
static int run_queries(struct store *st, int models, int64_t start, int64_t end)
{
	struct tt_error err = { 0 };
	char asof[11], endd[11], d[11];
	double lat[50], med;
	size_t n = 0;
	int i, k;

	/* prices --as-of for every model: 20 runs, median */
	date_format(end - 180, asof);
	date_format(end, endd);
	for (i = 0; i < 20; i++) {
		lat[i] = time_as_of(st, i % 2 ? asof : endd, &n);
		if (lat[i] < 0)
			return 1;
		if (i == 0)
			printf("prices --as-of %s:   %zu rows\n", endd, n);
	}
	med = median(lat, 20);
	printf("prices --as-of, all models: median %.1f ms, max %.1f ms (goal < 50 ms)\n", med, lat[19]);
	/* and by the age of the date: 10 runs each */
	for (k = 0; k < 4; k++) {
		static const char *const what[4] = { "last day", "180 days before", "mid-range",
						     "one year in" };
		int64_t day = k == 0 ? end : k == 1 ? end - 180 : k == 2 ? (start + end) / 2 : start + 365;
		date_format(day, d);
		for (i = 0; i < 10; i++)
			if ((lat[i] = time_as_of(st, d, &n)) < 0)
				return 1;
		printf("  as of %s (%s): median %.1f ms, %zu rows\n", d, what[k], median(lat, 10), n);
	}

	/* single-model history: 50 models, median */
	for (i = 0; i < 50; i++) {
		struct query_filter q = { 0 };
		struct price_rows rows = PRICE_ROWS_INIT;
		char model[32];
		double t0;
		model_name((uint32_t)(((unsigned)i * 97u) % (unsigned)models) * 4u, model, sizeof(model));
		q.model = model;
		q.dimension = "input";
		t0 = now_s();
		if (query_history(st, &q, &rows, &err) < 0) {
			fprintf(stderr, "history: %s\n", err.msg);
			return 1;
		}
		lat[i] = (now_s() - t0) * 1e3;
		price_rows_release(&rows);
	}
	med = median(lat, 50);
	printf("history, one model (input): median %.3f ms, max %.3f ms (goal < 0.1 ms)\n", med, lat[49]);
	return 0;
}

/* BENCH_CACHE_KB / BENCH_MMAP_MB: try a page cache or memory map size. */
static void bench_pragmas(struct store *st)
{
	char pragma[96];

	if (getenv("BENCH_CACHE_KB")) {
		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%ld",
			 strtol(getenv("BENCH_CACHE_KB"), NULL, 10));
		sqlite3_exec(store_db(st), pragma, NULL, NULL, NULL);
	}
	if (getenv("BENCH_MMAP_MB")) {
		snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size = %ld",
			 strtol(getenv("BENCH_MMAP_MB"), NULL, 10) * 1048576L);
		sqlite3_exec(store_db(st), pragma, NULL, NULL, NULL);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_history [--models N] [--years Y] [--dir DIR] [--keep]"
			" [--general] [--queries-only]\n");
}

int main(int argc, char **argv)
{
	int models = 5000, years = 10, keep = 0, general = 0, queries_only = 0, i, rc;
	const char *dir = "/tmp/tokentrend-bench";
	struct ivs a = { 0 };
	struct buf csv = BUF_INIT;
	struct store *st = NULL;
	struct tt_error err = { 0 };
	struct seed_import_stats ss;
	char ttdb[512], baredb[512], csvpath[512], wal[600];
	int64_t start = date_from_ymd(2016, 1, 1), end;
	double t_bare, t_imp, t0;
	FILE *f;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--models") && i + 1 < argc)
			models = (int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--years") && i + 1 < argc)
			years = (int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else if (!strcmp(argv[i], "--general"))
			general = 1; /* import through per-date store_observe only */
		else if (!strcmp(argv[i], "--queries-only"))
			queries_only = 1; /* time the queries on DIR's kept database */
		else {
			usage();
			return 2;
		}
	}
	if (models <= 0 || years <= 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	end = start + (int64_t)years * 365 + years / 4 - 1;
	mkdir(dir, 0777);
	snprintf(ttdb, sizeof(ttdb), "%s/tokentrend.db", dir);
	snprintf(baredb, sizeof(baredb), "%s/bare.db", dir);
	snprintf(csvpath, sizeof(csvpath), "%s/history.csv", dir);
	snprintf(wal, sizeof(wal), "%s-wal", ttdb);

	if (queries_only) {
		if (file_size(ttdb) < 0) {
			fprintf(stderr, "%s: no database (run once with --keep and the same --models/--years)\n",
				ttdb);
			return 1;
		}
		if (store_open(ttdb, 0, &st, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		bench_pragmas(st);
		printf("queries on %s (%.1f MB)\n", ttdb, file_size(ttdb) / 1e6);
		rc = run_queries(st, models, start, end);
		store_close(st);
		return rc;
	}

	buf_init(&csv, 0);
	t0 = now_s();
	generate(models, years, start, &a);
	write_csv(&a, &csv, end);
	f = fopen(csvpath, "wb");
	if (!f || fwrite(csv.buf, 1, csv.len, f) != csv.len || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", csvpath);
		return 1;
	}
	printf("synthetic history: %d models x 4 dimensions x %d years = %zu intervals"
	       " (%.1f MB CSV, generated in %.1f s)\n", models, years, a.n, csv.len / 1e6, now_s() - t0);

	t_bare = bare_insert(baredb, &a, models, end);
	printf("bare SQLite bulk insert:   %9.0f rows/s  (%.2f s)\n", a.n / t_bare, t_bare);

	unlink(ttdb);
	unlink(wal);
	if (store_open(ttdb, 0, &st, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	bench_pragmas(st);
	store_bulk_enable(st, !general);
	t0 = now_s();
	if (seed_import_csv(st, csv.buf, csv.len, csvpath, "bench", &ss, NULL, &err) < 0) {
		fprintf(stderr, "import: %s\n", err.msg);
		return 1;
	}
	t_imp = now_s() - t0;
	printf("tokentrend import csv:     %9.0f rows/s  (%.2f s, %.1fx the bare insert; %zu rows,"
	       " %zu rejected, %zu changes%s)\n", a.n / t_imp, t_imp, t_imp / t_bare, ss.rows, ss.rejected,
	       ss.changes, general ? "; general path" : "");
	sqlite3_exec(store_db(st), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	printf("database size:             %.1f MB  (bare tables: %.1f MB)\n", file_size(ttdb) / 1e6,
	       file_size(baredb) / 1e6);

	rc = run_queries(st, models, start, end);
	store_close(st);
	buf_release(&csv);
	free(a.v);
	if (!keep) {
		unlink(ttdb);
		unlink(wal);
		unlink(baredb);
		unlink(csvpath);
		rmdir(dir);
	}
	return rc;
}
