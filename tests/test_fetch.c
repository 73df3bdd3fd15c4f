/*
 * test_fetch.c - live runs (scrape_run_live) against a scripted loopback
 * server, day after day on one database, checking after every scenario
 * what the database holds: the outcome of each source, the prices in
 * force, their last_seen, that nothing was removed or copied because of a
 * failure.  Conditional requests and 304, cases 9 (redirect to a JS shell,
 * 404, stall) and 10 (challenges, 429 with and without a usable
 * Retry-After), robots.txt, compressed, mislabelled and undecodable
 * bodies, retries, a per-source body cap; then re-parsing, snapshot
 * retention and the health report.  The bodies are the bundled real
 * captures (db/captures).  No real waits: a virtual clock.
 */
#include "tt_test.h"
#include "tt_httpd.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/health.h"
#include "tokentrend/http.h"
#include "tokentrend/scrape.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"

#include <curl/curl.h>
#include <sqlite3.h>

enum act { OK, NOT_MOD, REDIRECT_JS, NOTFOUND, STALL, CF403, CF503, LIMITED, LIMITED_LONG, DISALLOW,
	   GZIP, FAKE_GZIP, UNKNOWN_ENC, FLAKY, CAP };

#define NSRC 3
static const char *const ids[NSRC] = { "openai", "anthropic", "openrouter" };
static const char *const files[NSRC] = { "openai-2026-08-21.html", "anthropic-2025-11-14.html",
					 "openrouter-models-2026-08-18.json" };
static const int64_t full[NSRC] = { 139, 40, 1825 }; /* prices of each capture */
static char *bodies[NSRC];

struct scen {
	const char *name;
	const char *date;
	enum act act[NSRC];
	const char *status[NSRC];   /* expected outcome */
	const char *err_has[NSRC];  /* in the error, or NULL */
	const char *last_seen;      /* every open price's last_seen afterwards */
};

static const struct scen scens[] = {
	{ "first run: every source stored, validators kept", "2026-09-01", { OK, OK, OK },
	  { "ok", "ok", "ok" }, { NULL, NULL, NULL }, "2026-09-01" },
	{ "304: unchanged, last_seen moves on", "2026-09-02", { NOT_MOD, NOT_MOD, NOT_MOD },
	  { "unchanged", "unchanged", "unchanged" }, { NULL, NULL, NULL }, "2026-09-02" },
	{ "case 9: JS shell after a redirect, 404, stalled transfer", "2026-09-03",
	  { REDIRECT_JS, NOTFOUND, STALL }, { "failed", "failed", "failed" },
	  { "(redirected from http://127.0.0.1", "HTTP 404", "curl error 28" }, "2026-09-02" },
	{ "case 10 (a) (b) (d): challenges and a long Retry-After", "2026-09-04",
	  { CF403, CF503, LIMITED_LONG }, { "blocked", "blocked", "rate limited" },
	  { "bot challenge", "bot challenge", "giving up for today" }, "2026-09-02" },
	{ "case 10: a third failed run removes nothing", "2026-09-05", { CF403, CF403, CF403 },
	  { "blocked", "blocked", "blocked" }, { NULL, NULL, NULL }, "2026-09-02" },
	{ "case 10 (c), a 500 then 200, gzip", "2026-09-06", { LIMITED, FLAKY, GZIP },
	  { "ok", "ok", "ok" }, { NULL, NULL, NULL }, "2026-09-06" },
	{ "robots.txt, a mislabelled and an undecodable body", "2026-09-07",
	  { DISALLOW, FAKE_GZIP, UNKNOWN_ENC }, { "disallowed", "failed", "failed" },
	  { "disallowed by", "not valid gzip", "cannot decode" }, "2026-09-06" },
	{ "a per-source body cap", "2026-09-08", { OK, OK, CAP }, { "ok", "ok", "failed" },
	  { NULL, NULL, "byte cap" }, NULL },
};

static struct httpd srv;
static long long virtual_offset;
static long slept_max;
static char tmpdir[256];

static long long real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long fake_now(void)
{
	return real_ms() + virtual_offset;
}

static void fake_sleep(long ms)
{
	virtual_offset += ms;
	if (ms > slept_max)
		slept_max = ms;
}

static int64_t q1(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(st)));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int setup(void **state)
{
	size_t i;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 0; i < NSRC; i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", TT_CAPTURES, files[i]);
		bodies[i] = tt_read_file(p, NULL);
		if (!bodies[i])
			return -1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tt-fetch-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	http_sleep_ms = fake_sleep;
	http_now_ms = fake_now;
	return httpd_start(&srv);
}

static int teardown(void **state)
{
	size_t i;
	char cmd[300];

	(void)state;
	httpd_stop(&srv);
	for (i = 0; i < NSRC; i++)
		free(bodies[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return -1;
	curl_global_cleanup();
	return 0;
}

#define JS_SHELL "<!doctype html><html><head><script src=\"/assets/app.js\" defer></script></head>" \
	"<body><div id=\"root\"></div><noscript>Please enable JavaScript.</noscript></body></html>"
#define CHALLENGE "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>" \
	"<noscript>Enable JavaScript and cookies to continue</noscript></body></html>"

/* The routes of one source for an act; *n routes appended. */
static void routes_for(struct httpd_route *r, size_t *n, const char *path, enum act a, const char *body,
		       char *paths, size_t k)
{
	struct httpd_route *x = &r[(*n)++];
	struct httpd_step ok = { NULL, 200, "Content-Type: text/html\r\nETag: \"v1\"\r\n", body, 0, 0, 0, 0 };

	memset(x, 0, sizeof(*x));
	x->path = path;
	x->steps[0] = ok;
	switch (a) {
	case OK:
	case CAP:
	case DISALLOW:
		break;
	case NOT_MOD:
		x->steps[0] = (struct httpd_step){ NULL, 304, "ETag: \"v1\"\r\n", NULL, 0, 0, 0, 0 };
		break;
	case REDIRECT_JS: {
		/* /openai -> /openai-shell: a JS shell with no prices */
		char *shell = paths + k * 64;
		struct httpd_route *y = &r[(*n)++];
		snprintf(shell, 64, "%s-shell", path);
		x->steps[0] = (struct httpd_step){ NULL, 301, NULL, "", 0, 0, 0, 0 };
		memset(y, 0, sizeof(*y));
		y->path = shell;
		y->steps[0] = (struct httpd_step){ NULL, 200, "Content-Type: text/html\r\n", JS_SHELL, 0, 0, 0, 0 };
		/* the Location header must name the shell */
		{
			static char loc[NSRC][96];
			snprintf(loc[k], sizeof(loc[k]), "Location: %s\r\n", shell);
			x->steps[0].headers = loc[k];
		}
		break;
	}
	case NOTFOUND:
		x->steps[0] = (struct httpd_step){ NULL, 404, "Content-Type: text/html\r\n", "<h1>Not found</h1>", 0, 0, 0, 0 };
		break;
	case STALL:
		x->steps[0] = (struct httpd_step){ "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n"
						   "<table><tr><td>demo</td><td>$0.15</td></tr></table>", 0, 0, 0, 0, 0, 1, 0 };
		break;
	case CF403:
		x->steps[0] = (struct httpd_step){ NULL, 403, "Server: cloudflare\r\ncf-mitigated: challenge\r\n", CHALLENGE, 0, 0, 0, 0 };
		break;
	case CF503:
		x->steps[0] = (struct httpd_step){ NULL, 503, "Content-Type: text/html\r\n", CHALLENGE, 0, 0, 0, 0 };
		break;
	case LIMITED:
		x->steps[0] = (struct httpd_step){ NULL, 429, "Retry-After: 30\r\n", "", 0, 0, 0, 0 };
		x->steps[1] = ok;
		break;
	case LIMITED_LONG:
		x->steps[0] = (struct httpd_step){ NULL, 429, "Retry-After: 7200\r\n", "", 0, 0, 0, 0 };
		break;
	case FLAKY:
		x->steps[0] = (struct httpd_step){ NULL, 500, NULL, "oops", 0, 0, 0, 0 };
		x->steps[1] = ok;
		break;
	case GZIP:
		x->steps[0].gzip = 1;
		break;
	case FAKE_GZIP:
		x->steps[0].headers = "Content-Type: text/html\r\nContent-Encoding: gzip\r\n";
		break;
	case UNKNOWN_ENC:
		x->steps[0].headers = "Content-Type: application/json\r\nContent-Encoding: compress\r\n";
		break;
	}
}

static void write_config(const char *path, const struct scen *sc)
{
	FILE *f = fopen(path, "w");
	size_t i;

	assert_non_null(f);
	fprintf(f, "# test configuration\n[fetch]\nparallel = 3\nper_host = 3\nretries = 2\nretry_base_ms = 10\n"
		   "connect_timeout_ms = 2000\ntotal_timeout_ms = 400\nlow_speed_time_s = 1\n"
		   "snapshot_keep_days = 0\n");
	for (i = 0; i < NSRC; i++) {
		fprintf(f, "[source %s]\nurl = http://127.0.0.1:%d/%s\n", ids[i], srv.port, ids[i]);
		if (sc->act[i] == CAP)
			fprintf(f, "max_body = 1K\n");
	}
	fclose(f);
}

static void test_days(void **state)
{
	struct store *st = NULL;
	char db[300], conf[300];
	size_t d, i;

	(void)state;
	snprintf(db, sizeof(db), "%s/fetch.db", tmpdir);
	snprintf(conf, sizeof(conf), "%s/tokentrend.conf", tmpdir);
	assert_int_equal(store_open(db, 0, &st, NULL), 0);
	for (d = 0; d < TT_ARRAY_SIZE(scens); d++) {
		const struct scen *sc = &scens[d];
		struct httpd_route routes[2 * NSRC + 1];
		char paths[NSRC * 64], p[NSRC][32];
		struct settings set;
		struct scrape_run_opts o = { 0 };
		struct scrape_run_summary sum;
		long long run_start, run_ms;
		struct tt_error err = { 0 };
		size_t n = 0;
		int disallow = 0;

		for (i = 0; i < NSRC; i++) {
			snprintf(p[i], sizeof(p[i]), "/%s", ids[i]);
			routes_for(routes, &n, p[i], sc->act[i], bodies[i], paths, i);
			disallow |= sc->act[i] == DISALLOW;
		}
		memset(&routes[n], 0, sizeof(routes[n]));
		routes[n].path = "/robots.txt";
		routes[n].steps[0] = (struct httpd_step){ NULL, 200, "Content-Type: text/plain\r\n",
			disallow ? "User-agent: *\nAllow: /\n\nUser-agent: tokentrend\nDisallow: /openai\n"
				 : "User-agent: *\nDisallow: /private/\n", 0, 0, 0, 0 };
		n++;
		httpd_routes(&srv, routes, n);
		write_config(conf, sc);
		settings_init(&set);
		if (settings_load(&set, conf, &err) < 0)
			fail_msg("config: %s", err.msg);
		o.settings = &set;
		slept_max = 0;
		run_start = fake_now();
		/* only the sources the loopback server plays (the catalog has more) */
		o.only = ids;
		o.nonly = NSRC;
		if (scrape_run_live(st, sc->date, &o, &sum, &err) < 0)
			fail_msg("%s: %s", sc->name, err.msg);
		run_ms = fake_now() - run_start;

		/* what the database holds */
		for (i = 0; i < NSRC; i++) {
			char sql[512];
			sqlite3_stmt *s = NULL;
			const char *status, *error;

			snprintf(sql, sizeof(sql), "SELECT status, coalesce(error, ''), prices FROM run_source"
				 " WHERE run_id = %" PRId64 " AND source = '%s'", sum.run_id, ids[i]);
			assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
			if (sqlite3_step(s) != SQLITE_ROW)
				fail_msg("%s: no outcome for %s", sc->name, ids[i]);
			status = (const char *)sqlite3_column_text(s, 0);
			error = (const char *)sqlite3_column_text(s, 1);
			if (strcmp(status, sc->status[i]))
				fail_msg("%s: %s is '%s' (%s), expected '%s'", sc->name, ids[i], status, error, sc->status[i]);
			if (sc->err_has[i] && !strstr(error, sc->err_has[i]))
				fail_msg("%s: %s error '%s' lacks '%s'", sc->name, ids[i], error, sc->err_has[i]);
			if (!strcmp(status, "ok") || !strcmp(status, "unchanged")) {
				if (sqlite3_column_int64(s, 2) != full[i])
					fail_msg("%s: %s read %lld prices", sc->name, ids[i], (long long)sqlite3_column_int64(s, 2));
			}
			sqlite3_finalize(s);

			/* the prices in force are whole, whatever happened today */
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM price_interval WHERE source='%s'"
				 " AND valid_to IS NULL AND removed = 0", ids[i]);
			if (q1(st, sql) != full[i])
				fail_msg("%s: %s has %lld prices in force", sc->name, ids[i], (long long)q1(st, sql));
			if (sc->last_seen) {
				snprintf(sql, sizeof(sql), "SELECT count(*) FROM price_interval WHERE source='%s'"
					 " AND valid_to IS NULL AND last_seen <> '%s'", ids[i], sc->last_seen);
				if (q1(st, sql) != 0)
					fail_msg("%s: %s: prices not last seen on %s", sc->name, ids[i], sc->last_seen);
			}
			/* a failure writes no observation for its day */
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM observation WHERE source='%s' AND obs_date='%s'",
				 ids[i], sc->date);
			if (q1(st, sql) != (strcmp(sc->status[i], "ok") && strcmp(sc->status[i], "unchanged") ? 0 : full[i]))
				fail_msg("%s: %s has %lld observations on %s", sc->name, ids[i], (long long)q1(st, sql), sc->date);
		}
		/* nothing is ever removed or changed by these runs */
		assert_int_equal(q1(st, "SELECT count(*) FROM price_interval WHERE removed = 1"), 0);
		assert_int_equal(q1(st, "SELECT count(*) FROM change_event WHERE kind <> 'new'"), 0);
		assert_int_equal(q1(st, "SELECT count(*) FROM run WHERE finished IS NULL"), 0);

		if (d == 0) /* validators kept for the next run */
			assert_int_equal(q1(st, "SELECT count(*) FROM source_http WHERE etag = '\"v1\"'"), NSRC);
		if (d == 1) /* ...and sent */
			for (i = 0; i < n; i++)
				if (!strcmp(routes[i].path, "/openai"))
					assert_non_null(strstr(routes[i].last_request, "If-None-Match: \"v1\""));
		if (sc->act[0] == LIMITED)
			/* case 10 (c): the run's own clock moved on by the Retry-After
			 * (however the wait was split around other transfers) */
			assert_true(run_ms >= 30000 && slept_max > 0);
		if (sc->act[0] == DISALLOW)
			assert_int_equal(httpd_hits(&srv, "/openai"), 0);
		if (sc->act[0] == CF403 && sc->act[1] == CF403) {
			assert_int_equal(httpd_hits(&srv, "/openai"), 1); /* no retry loop */
		}
		settings_release(&set);
	}

	/* The health report: openrouter failed its last run, the others are fine. */
	{
		struct health_report h;
		struct buf out = BUF_INIT;
		struct tt_error err = { 0 };
		assert_int_equal(health_report(st, &h, &err), 0);
		for (i = 0; i < h.n; i++) {
			if (!strcmp(h.v[i].source, "openrouter")) {
				assert_string_equal(h.v[i].state, "failing");
				assert_int_equal(h.v[i].failing_runs, 2); /* undecodable, then over the cap */
				assert_string_equal(h.v[i].last_ok_date, "2026-09-06");
				assert_non_null(strstr(h.v[i].last_fail_reason, "cap"));
				assert_int_equal(h.v[i].prices_now, 1825);
				assert_int_equal(h.v[i].models_now, 477);
			}
			if (!strcmp(h.v[i].source, "openai")) {
				assert_string_equal(h.v[i].state, "ok");
				assert_string_equal(h.v[i].last_fail_status, "disallowed");
				assert_int_equal(h.v[i].last_models, 11);
			}
		}
		assert_string_equal(h.last_run_status, "partial");
		assert_int_equal(health_render(&h, QUERY_FORMAT_JSON, &out), 0);
		assert_non_null(strstr(out.buf, "\"failing_runs\":2"));
		buf_release(&out);
		health_report_release(&h);
	}
	store_close(st);
}

/* Re-parsing: a day whose observations were wrong is repaired from its
 * snapshot, idempotently; keys the extractor no longer reads go. */
static void test_reparse(void **state)
{
	const struct source_def *src = catalog_find("anthropic");
	struct store *st = NULL;
	struct scrape_result res;
	struct scrape_reparse_opts o = { 0 };
	struct price_list bogus = PRICE_LIST_INIT;
	struct price p = { 0 };
	int64_t run = 0, rrun = 0;
	size_t days = 0, failed = 0;
	int k;

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(store_run_begin(st, "replay", "2026-01-01T00:00:00Z", &run, NULL), 0);
	scrape_result_init(&res);
	assert_int_equal(scrape_body(st, run, src, "2025-11-14", "capture", 0, bodies[1], strlen(bodies[1]), &res), 0);
	scrape_result_release(&res);
	/* an old extractor's mistake on that day: a wrong value and a bogus key */
	p.provider = "anthropic";
	p.model = "claude-opus-4.1";
	p.dimension = "input";
	p.condition = "";
	p.unit = "1M tokens";
	p.currency = "USD";
	p.nanos = 1;
	p.text = "0.000000001";
	assert_int_equal(price_list_add(&bogus, &p), 0);
	p.model = "claude-imaginary";
	assert_int_equal(price_list_add(&bogus, &p), 0);
	assert_int_equal(store_observe(st, run, "anthropic", "2025-11-14", &bogus, "old extractor", NULL, NULL), 0);
	price_list_release(&bogus);
	assert_int_equal(q1(st, "SELECT count(*) FROM price_interval WHERE source='anthropic' AND valid_to IS NULL"), 41);

	for (k = 0; k < 2; k++) { /* twice: idempotent */
		assert_int_equal(scrape_reparse(st, &o, &rrun, &days, &failed, NULL), 0);
		assert_int_equal(days, 1);
		assert_int_equal(failed, 0);
		assert_int_equal(q1(st, "SELECT count(*) FROM price_interval WHERE source='anthropic' AND valid_to IS NULL"), 40);
		assert_int_equal(q1(st, "SELECT count(*) FROM observation o JOIN price_key k ON k.id = o.key_id"
				    " WHERE k.model = 'claude-imaginary'"), 0);
		assert_int_equal(q1(st, "SELECT count(*) FROM price_interval WHERE nanos = 1"), 0);
		assert_int_equal(q1(st, "SELECT count(*) FROM run WHERE kind = 'reparse'"), k + 1);
	}
	(void)rrun;
	store_close(st);
}

/* Snapshot retention: recent days, failed days, days that changed
 * something and each month's first day stay; the rest goes. */
static void test_retention(void **state)
{
	struct store *st = NULL;
	struct store_snapshot_stats ss;
	int64_t run = 0;
	char sha[65], sql[512];
	int day;

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(store_run_begin(st, "scrape", "2026-01-01T00:00:00Z", &run, NULL), 0);
	/* 60 days of January-February, each with its own body; day 10 failed, day 20 changed a price */
	for (day = 0; day < 60; day++) {
		struct store_source_outcome oc = { 0 };
		char body[64], date[11];
		snprintf(body, sizeof(body), "<html>day %d nonce %d</html>", day, day * 7919);
		assert_int_equal(store_snapshot_put(st, body, strlen(body), sha, NULL), 0);
		date_format(date_from_ymd(2026, 1, 1) + day, date);
		oc.source = "openai";
		oc.obs_date = date;
		oc.status = day == 10 ? "failed" : "ok";
		oc.snapshot = sha;
		assert_int_equal(store_source_outcome(st, run, &oc, NULL), 0);
	}
	snprintf(sql, sizeof(sql), "INSERT INTO price_key(provider,model,dimension,unit,currency) VALUES('openai','m','input','1M tokens','USD');"
		 "INSERT INTO change_event(key_id,source,date,kind,new_nanos,seen,interval_from) VALUES(1,'openai','2026-01-21','down',1,'2026-01-21','2026-01-21')");
	assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	/* The days are Jan 1 .. Mar 1.  Keeping 14 days before Mar 1 keeps Feb 15 .. Mar 1
	 * (15 days), Jan 1 and Feb 1 (month firsts), Jan 11 (failed), Jan 21 (changed). */
	assert_int_equal(store_snapshot_prune(st, "2026-03-01", 14, &ss, NULL), 0);
	assert_int_equal(ss.count, 15 + 2 + 1 + 1);
	assert_int_equal(ss.pruned, 60 - 19);
	assert_int_equal(q1(st, "SELECT count(*) FROM run_source WHERE snapshot IS NULL"), 60 - 19);
	assert_int_equal(q1(st, "SELECT count(*) FROM run_source WHERE snapshot IS NOT NULL AND obs_date IN ('2026-01-01','2026-01-11','2026-01-21','2026-02-01')"), 4);
	/* again: nothing more goes */
	assert_int_equal(store_snapshot_prune(st, "2026-03-01", 14, &ss, NULL), 0);
	assert_int_equal(ss.pruned, 0);
	/* 0 keeps everything */
	assert_int_equal(store_snapshot_prune(st, "2027-03-01", 0, &ss, NULL), 0);
	assert_int_equal(ss.count, 19);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_retention),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
