/*
 * test_runsafe.c - runs that cannot corrupt, with the real binary (case 16
 * of ../shared/cases and the kill test of issue 4).
 *
 *  - A live scrape against a loopback server (one slow source) is killed
 *    with SIGKILL at many points: on events (the first request arrived;
 *    two sources are stored and the slow one is in flight) and after a
 *    sweep of delays that lands in start-up, fetching and the storing of
 *    a big source.  After each kill: PRAGMA integrity_check is ok, no
 *    foreign key dangles, every source is whole or absent (never half
 *    stored), and the next run completes with every source whole.
 *  - The run lock: a run that finds it held waits its budget, exits 7 and
 *    writes nothing; once free, the run goes through.
 *  - Case 16: another connection holds the write lock; a run waits and
 *    completes after the commit, a read-only command is not blocked (WAL),
 *    a run whose busy budget runs out exits 7 and writes nothing; a second
 *    identical run adds no interval and no change event.
 * Waits are events (server hits, database contents), never timing
 * assertions.
 */
#include "tt_test.h"
#include "tt_httpd.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/schedule.h"

#include <sqlite3.h>

#define NSRC 3
static const char *const ids[NSRC] = { "openai", "anthropic", "openrouter" };
static const char *const files[NSRC] = { "openai-2026-08-21.html", "anthropic-2025-11-14.html",
					 "openrouter-models-2026-08-18.json" };
static const int64_t full[NSRC] = { 139, 40, 1825 };
static char *bodies[NSRC];
static char tmp[128], db[256], conf[256], outf[256], errf[256];
static struct httpd srv;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Start the binary with argv (argv[0] ignored); stdout/stderr to files. */
static pid_t spawn(const char *const *args)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[16];
		int i, o = open(outf, O_WRONLY | O_CREAT | O_TRUNC, 0600), e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(e, 2);
		argv[0] = (char *)TT_BINARY;
		for (i = 0; args[i] && i < 14; i++)
			argv[i + 1] = (char *)args[i];
		argv[i + 1] = NULL;
		execv(TT_BINARY, argv);
		_exit(127);
	}
	return pid;
}

static int finish(pid_t pid)
{
	int st = 0;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(const char *const *args)
{
	return finish(spawn(args));
}

static int64_t q1(sqlite3 *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q1(sqlite3 *h, const char *fmt, ...)
{
	char sql[1024];
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Every source whole or absent; the file sound.  Returns how many
 * sources are stored. */
static int check_whole(const char *when)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int i, stored = 0;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(s, 0), "ok"))
		fail_msg("%s: integrity_check: %s", when, sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		fail_msg("%s: a dangling foreign key in %s", when, sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	for (i = 0; i < NSRC; i++) {
		int64_t ok = q1(h, "SELECT count(*) FROM run_source WHERE source='%s' AND status IN ('ok','unchanged')", ids[i]);
		int64_t obs = q1(h, "SELECT count(*) FROM observation WHERE source='%s'", ids[i]);
		int64_t open = q1(h, "SELECT count(*) FROM price_interval WHERE source='%s' AND valid_to IS NULL", ids[i]);
		int64_t ev = q1(h, "SELECT count(*) FROM change_event WHERE source='%s'", ids[i]);
		if (ok == 0 && (obs || open || ev))
			fail_msg("%s: %s is half stored: no outcome but %lld observations, %lld prices, %lld events",
				 when, ids[i], (long long)obs, (long long)open, (long long)ev);
		if (ok > 0 && (open != full[i] || ev != full[i] || obs < full[i]))
			fail_msg("%s: %s is not whole: %lld observations, %lld prices, %lld events (want %lld)",
				 when, ids[i], (long long)obs, (long long)open, (long long)ev, (long long)full[i]);
		stored += ok > 0;
	}
	sqlite3_close(h);
	return stored;
}

static int64_t db_count(const char *sql)
{
	sqlite3 *h = NULL;
	int64_t v;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, 1000);
	v = q1(h, "%s", sql);
	sqlite3_close(h);
	return v;
}

static void fresh_db(void)
{
	static const char *const init[] = { "init", "--no-seed", NULL };
	char p[300];

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	assert_int_equal(run(init), 0);
}

static struct httpd_route routes[NSRC + 1];

static void serve(long slow_ms)
{
	int i;

	memset(routes, 0, sizeof(routes));
	for (i = 0; i < NSRC; i++) {
		static char paths[NSRC][32];
		snprintf(paths[i], sizeof(paths[i]), "/%s", ids[i]);
		routes[i].path = paths[i];
		routes[i].steps[0] = (struct httpd_step){ NULL, 200, "Content-Type: text/html\r\n", bodies[i], 0, 0, 0, 0 };
	}
	/* the big source is slow on its first request only */
	routes[2].steps[0].delay_ms = slow_ms;
	routes[2].steps[1] = (struct httpd_step){ NULL, 200, "Content-Type: application/json\r\n", bodies[2], 0, 0, 0, 0 };
	routes[NSRC].path = "/robots.txt";
	routes[NSRC].steps[0] = (struct httpd_step){ NULL, 200, NULL, "User-agent: *\nDisallow: /private/\n", 0, 0, 0, 0 };
	httpd_routes(&srv, routes, NSRC + 1);
}

static int setup(void **state)
{
	FILE *f;
	int i;

	(void)state;
	for (i = 0; i < NSRC; i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", TT_CAPTURES, files[i]);
		bodies[i] = tt_read_file(p, NULL);
		if (!bodies[i])
			return -1;
	}
	snprintf(tmp, sizeof(tmp), "/tmp/tt-runsafe-XXXXXX");
	if (!mkdtemp(tmp) || httpd_start(&srv) < 0)
		return -1;
	snprintf(db, sizeof(db), "%s/t.db", tmp);
	snprintf(conf, sizeof(conf), "%s/tokentrend.conf", tmp);
	snprintf(outf, sizeof(outf), "%s/out", tmp);
	snprintf(errf, sizeof(errf), "%s/err", tmp);
	f = fopen(conf, "w");
	fprintf(f, "[fetch]\nparallel = 3\nper_host = 3\nretries = -1\ntotal_timeout_ms = 20000\n"
		   "lock_wait_ms = 100\nbusy_timeout_ms = 10000\nsnapshot_keep_days = 0\n");
	for (i = 0; i < NSRC; i++)
		fprintf(f, "[source %s]\nurl = http://127.0.0.1:%d/%s\n", ids[i], srv.port, ids[i]);
	fclose(f);
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("TOKENTREND_NOW");
	unsetenv("TOKENTREND_LOCK_WAIT_MS");
	setenv("TOKENTREND_CONFIG", conf, 1);
	setenv("TOKENTREND_DB", db, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[200];
	int i;

	(void)state;
	httpd_stop(&srv);
	for (i = 0; i < NSRC; i++)
		free(bodies[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

enum point { AT_DELAY, AT_FIRST_REQUEST, AT_TWO_STORED, AT_SLOW_ANSWERED };

static void test_kill_anywhere(void **state)
{
	/* Only the sources the loopback server plays (the catalog has more). */
	static const char *const scrape[] = { "scrape", "--source", "openai", "--source", "anthropic",
					      "--source", "openrouter", NULL };
	struct { enum point p; long ms; } points[] = {
		{ AT_FIRST_REQUEST, 0 }, { AT_TWO_STORED, 0 },
		{ AT_DELAY, 0 }, { AT_DELAY, 4 }, { AT_DELAY, 40 },
		/* in the storing of the big source, wherever that lands */
		{ AT_SLOW_ANSWERED, 0 }, { AT_SLOW_ANSWERED, 15 }, { AT_SLOW_ANSWERED, 60 },
		{ AT_SLOW_ANSWERED, 200 },
	};
	size_t k;

	(void)state;
	for (k = 0; k < TT_ARRAY_SIZE(points); k++) {
		char when[64];
		pid_t pid;
		int stored, rc;
		long long t0;

		fresh_db();
		serve(150);
		pid = spawn(scrape);
		switch (points[k].p) {
		case AT_DELAY:
			sleep_ms(points[k].ms);
			break;
		case AT_FIRST_REQUEST:
			httpd_wait_hits(&srv, "/openai", 1, 20000);
			break;
		case AT_TWO_STORED:
			/* the two quick sources committed; the slow one is in flight */
			t0 = now_ms();
			while (db_count("SELECT count(*) FROM run_source") < 2 && now_ms() - t0 < 20000)
				sleep_ms(2);
			break;
		case AT_SLOW_ANSWERED:
			httpd_wait_hits(&srv, "/openrouter", 1, 20000);
			sleep_ms(150 + points[k].ms);
			break;
		}
		kill(pid, SIGKILL);
		rc = finish(pid);
		snprintf(when, sizeof(when), "kill point %zu (rc %d)", k, rc);
		stored = check_whole(when);
		if (points[k].p == AT_TWO_STORED && rc == 128 + SIGKILL)
			assert_int_equal(stored, 2);
		/* the next run completes */
		rc = run(scrape);
		if (rc != 0) {
			char *e = tt_read_file(errf, NULL);
			fail_msg("%s: the next run exited %d: %s", when, rc, e ? e : "");
		}
		snprintf(when, sizeof(when), "after kill point %zu, the next run", k);
		assert_int_equal(check_whole(when), NSRC);
	}
}

static void test_run_lock(void **state)
{
	char cap[512], *err;
	const char *args[] = { "scrape", "--source", "anthropic", "--file", cap, "--date", "2026-01-05", NULL };
	struct schedule_lock lk = SCHEDULE_LOCK_INIT;

	(void)state;
	snprintf(cap, sizeof(cap), "%s/%s", TT_CAPTURES, files[1]);
	fresh_db();
	assert_int_equal(schedule_lock_acquire(db, 0, &lk, NULL), 0);
	assert_int_equal(run(args), 7);
	err = tt_read_file(errf, NULL);
	assert_non_null(strstr(err, "holds the run lock"));
	free(err);
	assert_int_equal(db_count("SELECT count(*) FROM run"), 0);
	schedule_lock_release(&lk);
	assert_int_equal(run(args), 0);
	assert_int_equal(check_whole("after the lock was freed"), 1);
}

static void test_case16_busy(void **state)
{
	char cap[512], bconf[300];
	const char *args[] = { "scrape", "--source", "anthropic", "--file", cap, "--date", "2026-01-05", NULL };
	const char *prices[] = { "prices", "--source", "anthropic", "--format", "csv", NULL };
	sqlite3 *a = NULL;
	pid_t b;
	FILE *f;
	char *out;

	(void)state;
	snprintf(cap, sizeof(cap), "%s/%s", TT_CAPTURES, files[1]);
	fresh_db();
	assert_int_equal(sqlite3_open(db, &a), SQLITE_OK);

	/* a budget that runs out: exit 7, nothing written */
	snprintf(bconf, sizeof(bconf), "%s/busy.conf", tmp);
	f = fopen(bconf, "w");
	fputs("[fetch]\nbusy_timeout_ms = 150\nlock_wait_ms = 100\n", f);
	fclose(f);
	assert_int_equal(sqlite3_exec(a, "BEGIN IMMEDIATE; INSERT INTO run(kind, started) VALUES('import', 'A')", NULL, NULL, NULL), SQLITE_OK);
	setenv("TOKENTREND_CONFIG", bconf, 1);
	assert_int_equal(run(args), 7);
	setenv("TOKENTREND_CONFIG", conf, 1);

	/* B waits; a reader is not blocked meanwhile; A commits; B completes */
	b = spawn(args);
	{
		/* the reader: while A still holds the write lock */
		pid_t r = fork();
		if (r == 0) {
			int o = open(outf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			char *argv[] = { (char *)TT_BINARY, (char *)prices[0], (char *)prices[1], (char *)prices[2],
					 (char *)prices[3], (char *)prices[4], NULL };
			dup2(o, 1);
			execv(TT_BINARY, argv);
			_exit(127);
		}
		assert_int_equal(finish(r), 0);
	}
	assert_int_equal(sqlite3_exec(a, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(finish(b), 0);
	assert_int_equal(db_count("SELECT count(*) FROM run_source WHERE source='anthropic' AND status='ok'"), 1);

	/* B again: the same capture adds nothing */
	assert_int_equal(run(args), 0);
	out = tt_read_file(outf, NULL);
	assert_non_null(strstr(out, "0 changes"));
	free(out);
	assert_int_equal(db_count("SELECT count(*) FROM price_interval WHERE source='anthropic'"), 40);
	assert_int_equal(db_count("SELECT count(*) FROM change_event WHERE source='anthropic'"), 40);
	assert_int_equal(db_count("SELECT count(*) FROM run WHERE kind='import'"), 1); /* A's row */
	sqlite3_close(a);
	check_whole("case 16");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_anywhere),
		cmocka_unit_test(test_run_lock),
		cmocka_unit_test(test_case16_busy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
