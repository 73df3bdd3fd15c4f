/*
 * test_http.c - the http module against a scripted HTTP server on loopback
 * that the test starts itself (tests/tt_httpd.h): redirects, 404, stalled
 * and slow transfers, gzip, an encoding the build cannot decode, a
 * mislabelled gzip body, bot challenges, 429/5xx with Retry-After,
 * conditional requests (304), the body cap, the User-Agent, robots.txt
 * once per host, and bounded concurrency.  Cases 9 and 10 of
 * ../shared/cases.  No real waits: the retry sleep advances a virtual
 * clock and records what it was asked to wait.
 */
#include "tt_test.h"
#include "tt_httpd.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/http.h"

#include <curl/curl.h>

static struct httpd srv;
static long slept_ms[16];
static int nslept;
static long long virtual_offset;

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
	if (nslept < 16)
		slept_ms[nslept++] = ms;
	virtual_offset += ms;
}

#define CHALLENGE_BODY "<!DOCTYPE html><html><head><title>Just a moment...</title></head>" \
	"<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>"
#define DEMO_TABLE "<table><tr><td>demo</td><td>$0.15</td><td>$0.60</td></tr></table>"

static struct httpd_route routes[] = {
	{ "/ok", { { NULL, 200, "Content-Type: text/html\r\n", "<p>hello</p>", 0, 0, 0, 0 } }, 0, "", "" },
	/* case 9 (a): redirect to a JavaScript shell */
	{ "/pricing", { { "HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0, 0, 0, 0, 0, 0, 0 } }, 0, "", "" },
	{ "/", { { NULL, 200, "Content-Type: text/html; charset=utf-8\r\n",
		   "<!doctype html><html><head><script src=\"/assets/app.js\" defer></script></head>"
		   "<body><div id=\"root\"></div><noscript>Please enable JavaScript.</noscript></body></html>", 0, 0, 0, 0 } }, 0, "", "" },
	/* case 9 (b) */
	{ "/missing", { { NULL, 404, "Content-Type: text/html\r\n", "<h1>Not found</h1>", 0, 0, 0, 0 } }, 0, "", "" },
	/* case 9 (c): 100 bytes of a promised 50000, then silence */
	{ "/stall", { { "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n"
			"<table><tr><td>demo</td><td>$0.15</td><td>$0.60</td></tr><tr><td>demo2</td><td>$0.15</td></tr></table>", 0, 0, 0, 0, 0, 1, 0 } }, 0, "", "" },
	{ "/gz", { { NULL, 200, "Content-Type: text/html\r\n", DEMO_TABLE, 1, 0, 0, 0 } }, 0, "", "" },
	/* an encoding this build cannot decode, and a body that lies about its encoding */
	{ "/compress", { { NULL, 200, "Content-Type: text/html\r\nContent-Encoding: compress\r\n", DEMO_TABLE, 0, 0, 0, 0 } }, 0, "", "" },
	{ "/fake-gzip", { { NULL, 200, "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", DEMO_TABLE, 0, 0, 0, 0 } }, 0, "", "" },
	/* case 10 (a), (b) */
	{ "/cf403", { { NULL, 403, "Server: cloudflare\r\ncf-mitigated: challenge\r\nContent-Type: text/html; charset=UTF-8\r\n", CHALLENGE_BODY, 0, 0, 0, 0 } }, 0, "", "" },
	{ "/cf503", { { NULL, 503, "Content-Type: text/html; charset=UTF-8\r\n", CHALLENGE_BODY, 0, 0, 0, 0 } }, 0, "", "" },
	/* case 10 (c): 429 then the page */
	{ "/limited", { { NULL, 429, "Retry-After: 30\r\n", "", 0, 0, 0, 0 },
			{ NULL, 200, "Content-Type: text/html\r\n", DEMO_TABLE, 0, 0, 0, 0 } }, 0, "", "" },
	/* case 10 (d) */
	{ "/limited-long", { { NULL, 429, "Retry-After: 7200\r\n", "", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/limited-date", { { NULL, 429, "Retry-After: Wed, 21 Oct 2037 07:28:00 GMT\r\n", "", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/flaky", { { NULL, 500, NULL, "", 0, 0, 0, 0 }, { NULL, 200, NULL, "ok", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/down", { { NULL, 502, NULL, "bad gateway", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/big", { { NULL, 200, NULL, "0123456789012345678901234567890123456789", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/loop", { { "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0, 0, 0, 0, 0, 0, 0 } }, 0, "", "" },
	{ "/slow", { { NULL, 200, NULL, "slow but fine", 0, 50, 0, 0 } }, 0, "", "" },
	/* conditional requests: a 200 with validators, then 304 */
	{ "/cond", { { NULL, 200, "ETag: \"v1\"\r\nLast-Modified: Mon, 05 Jan 2026 06:00:00 GMT\r\n", DEMO_TABLE, 0, 0, 0, 0 },
		     { NULL, 304, "ETag: \"v1\"\r\n", NULL, 0, 0, 0, 0 } }, 0, "", "" },
	/* robots.txt */
	{ "/robots.txt", { { NULL, 200, "Content-Type: text/plain\r\n",
			     "User-agent: *\nDisallow: /private\n\nUser-agent: tokentrend\nDisallow: /no-bots\nAllow: /no-bots/ok\n", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/no-bots/page", { { NULL, 200, NULL, "secret", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/no-bots/ok", { { NULL, 200, NULL, "allowed", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/private", { { NULL, 200, NULL, "private but not for us", 0, 0, 0, 0 } }, 0, "", "" },
	/* concurrency: each answer waits until three connections are open at once */
	{ "/p1", { { NULL, 200, NULL, "p1", 0, 0, 0, 3 } }, 0, "", "" },
	{ "/p2", { { NULL, 200, NULL, "p2", 0, 0, 0, 3 } }, 0, "", "" },
	{ "/p3", { { NULL, 200, NULL, "p3", 0, 0, 0, 3 } }, 0, "", "" },
	{ "/p4", { { NULL, 200, NULL, "p4", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/p5", { { NULL, 200, NULL, "p5", 0, 0, 0, 0 } }, 0, "", "" },
	{ "/p6", { { NULL, 200, NULL, "p6", 0, 0, 0, 0 } }, 0, "", "" },
};

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (httpd_start(&srv) < 0)
		return -1;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	http_sleep_ms = fake_sleep;
	http_now_ms = fake_now;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	httpd_stop(&srv);
	curl_global_cleanup();
	return 0;
}

static char *url_of(const char *path)
{
	static char u[128];
	return (char *)httpd_url(&srv, path, u, sizeof(u));
}

/* Short limits so the suite runs in seconds, under sanitizers too. */
static const struct http_opts fast = {
	.connect_timeout_ms = 2000, .total_timeout_ms = 5000, .low_speed_limit = 1,
	.low_speed_time_s = 1, .retries = 2, .retry_base_ms = 10, .retry_after_cap_s = 300,
	.max_body = 1 << 20,
};

struct http_case {
	const char *name;
	const char *path;
	int rc;
	long status;
	const char *body_has;  /* substring of the body on success */
	const char *err_has;   /* substring of the error message on failure */
	int attempts;
	int challenge;
	long slept;            /* first recorded sleep in ms, -1 for none */
	int hits;              /* requests the server saw (0: not checked) */
};

static const struct http_case cases[] = {
	{ "plain 200", "/ok", 0, 200, "hello", NULL, 1, 0, -1, 1 },
	{ "case 9 (a): redirect to a JS shell is a 200 with no prices", "/pricing", 0, 200, "enable JavaScript", NULL, 1, 0, -1, 1 },
	{ "case 9 (b): 404, not retried", "/missing", TT_ENET, 404, NULL, "HTTP 404", 1, 0, -1, 1 },
	{ "gzip body decoded", "/gz", 0, 200, "<td>$0.15</td>", NULL, 1, 0, -1, 1 },
	{ "an encoding the build cannot decode is named", "/compress", TT_ENET, 200, NULL, "Content-Encoding 'compress', which this build cannot decode", 1, 0, -1, 1 },
	{ "a body mislabelled gzip is named", "/fake-gzip", TT_ENET, 200, NULL, "labelled Content-Encoding 'gzip' but is not valid gzip", 1, 0, -1, 1 },
	{ "case 10 (a): 403 challenge, no retry", "/cf403", TT_EBLOCKED, 403, NULL, "bot challenge", 1, 1, -1, 1 },
	{ "case 10 (b): 503 challenge, no retry", "/cf503", TT_EBLOCKED, 503, NULL, "bot challenge", 1, 1, -1, 1 },
	{ "case 10 (c): 429 Retry-After 30 then 200", "/limited", 0, 200, "$0.60", NULL, 2, 0, 30000, 2 },
	{ "case 10 (d): 429 Retry-After 7200 gives up", "/limited-long", TT_EBLOCKED, 429, NULL, "rate limited", 1, 0, -1, 1 },
	{ "429 Retry-After as a far HTTP date gives up", "/limited-date", TT_EBLOCKED, 429, NULL, "above the 300s cap", 1, 0, -1, 1 },
	{ "500 then 200 retried with backoff", "/flaky", 0, 200, "ok", NULL, 2, 0, 10, 2 },
	{ "502 three times: gives up after 3 attempts", "/down", TT_ENET, 502, NULL, "HTTP 502", 3, 0, 10, 3 },
	{ "a redirect loop stops at the limit, not retried", "/loop", TT_ENET, 302, NULL, "curl error 47", 1, 0, -1, 0 },
	{ "a slow answer within the limits is fine", "/slow", 0, 200, "slow but fine", NULL, 1, 0, -1, 1 },
};

static void test_http_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		const struct http_case *c = &cases[i];
		struct http_response r;
		struct tt_error err = { 0 };
		int rc;

		httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
		nslept = 0;
		http_response_init(&r);
		rc = http_get(url_of(c->path), &fast, &r, &err);
		if (rc != c->rc)
			fail_msg("%s: rc %d (%s), expected %d", c->name, rc, err.msg, c->rc);
		if (r.status != c->status)
			fail_msg("%s: status %ld, expected %ld", c->name, r.status, c->status);
		if (c->body_has && !strstr(r.body.buf, c->body_has))
			fail_msg("%s: body lacks '%s'", c->name, c->body_has);
		if (!c->body_has && r.body.len)
			fail_msg("%s: a failed fetch kept %zu body bytes", c->name, r.body.len);
		if (c->err_has && !strstr(err.msg, c->err_has))
			fail_msg("%s: error '%s' lacks '%s'", c->name, err.msg, c->err_has);
		if (r.attempts != c->attempts)
			fail_msg("%s: %d attempts, expected %d", c->name, r.attempts, c->attempts);
		if (r.challenge != c->challenge)
			fail_msg("%s: challenge %d", c->name, r.challenge);
		if (c->slept >= 0 && (nslept < 1 || slept_ms[0] < c->slept))
			fail_msg("%s: slept %ld ms, expected >= %ld", c->name, nslept ? slept_ms[0] : -1, c->slept);
		if (c->slept < 0 && nslept)
			fail_msg("%s: slept although no retry was expected", c->name);
		if (c->hits && httpd_hits(&srv, c->path) != c->hits)
			fail_msg("%s: server saw %d requests, expected %d", c->name, httpd_hits(&srv, c->path), c->hits);
		http_response_release(&r);
	}
}

/* Backoff doubles between attempts, with at most 25% jitter. */
static void test_backoff_doubles(void **state)
{
	struct http_response r;
	struct http_opts o = fast;

	(void)state;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	o.retries = 3;
	o.retry_base_ms = 1000;
	nslept = 0;
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/down"), &o, &r, NULL), TT_ENET);
	assert_int_equal(r.attempts, 4);
	assert_int_equal(nslept, 3);
	assert_in_range(slept_ms[0], 1000, 1250);
	assert_in_range(slept_ms[1], 2000, 2500);
	assert_in_range(slept_ms[2], 4000, 5000);
	http_response_release(&r);
}

/* Case 9 (a): the redirect is followed and the origin is known. */
static void test_redirect_recorded(void **state)
{
	struct http_response r;

	(void)state;
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/pricing"), &fast, &r, NULL), 0);
	assert_int_equal(r.redirects, 1);
	assert_non_null(r.effective_url);
	assert_string_equal(r.effective_url + strlen(r.effective_url) - 1, "/");
	http_response_release(&r);
}

/* Case 9 (c): a stalled transfer is aborted by the limits (here the total
 * timeout, cut to milliseconds; libcurl's low-speed window counts whole
 * seconds) and the partial body is discarded. */
static void test_stall_aborted(void **state)
{
	struct http_opts o = fast;
	long totals[2] = { 400, 250 };
	size_t i;

	(void)state;
	o.retries = -1;
	for (i = 0; i < 2; i++) {
		struct http_response r;
		struct tt_error err = { 0 };
		o.total_timeout_ms = totals[i];
		http_response_init(&r);
		assert_int_equal(http_get(url_of("/stall"), &o, &r, &err), TT_ENET);
		assert_non_null(strstr(err.msg, "curl error 28"));  /* CURLE_OPERATION_TIMEDOUT */
		assert_non_null(strstr(err.msg, "partial body"));
		assert_int_equal(r.body.len, 0);
		assert_int_equal(r.attempts, 1);
		http_response_release(&r);
	}
}

static void test_body_cap(void **state)
{
	struct http_response r;
	struct tt_error err = { 0 };
	struct http_opts o = fast;

	(void)state;
	o.max_body = 16;
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/big"), &o, &r, &err), TT_ENOMEM);
	assert_non_null(strstr(err.msg, "16-byte cap"));
	assert_int_equal(r.body.len, 0);
	http_response_release(&r);
}

static void test_user_agent(void **state)
{
	struct http_response r;
	struct http_opts o = fast;
	size_t i;

	(void)state;
	assert_non_null(strstr(HTTP_DEFAULT_USER_AGENT, "tokentrend/"));
	assert_true(http_is_challenge(403, "<title>Just a moment...</title>", 31, 0));
	assert_false(http_is_challenge(200, "<title>Just a moment...</title>", 31, 0));
	assert_false(http_is_challenge(403, "<h1>Forbidden</h1>", 18, 0));

	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/ok"), &fast, &r, NULL), 0);
	http_response_release(&r);
	for (i = 0; i < TT_ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].path, "/ok"))
			assert_non_null(strstr(routes[i].last_request, "User-Agent: tokentrend/"));

	o.user_agent = "pricebot/1.0 (ops@example.com)";
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/ok"), &o, &r, NULL), 0);
	http_response_release(&r);
	for (i = 0; i < TT_ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].path, "/ok"))
			assert_non_null(strstr(routes[i].last_request, "User-Agent: pricebot/1.0 (ops@example.com)"));
}

/* ETag and Last-Modified are kept; sent back, a 304 is success with
 * not_modified and no body. */
static void test_conditional(void **state)
{
	struct http_request q;
	size_t i;

	(void)state;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	http_request_init(&q, url_of("/cond"), &fast);
	assert_int_equal(http_get_many(&q, 1, NULL, NULL), 0);
	assert_int_equal(q.rc, 0);
	assert_int_equal(q.resp.not_modified, 0);
	assert_string_equal(q.resp.etag, "\"v1\"");
	assert_string_equal(q.resp.last_modified, "Mon, 05 Jan 2026 06:00:00 GMT");
	http_request_release(&q);

	http_request_init(&q, url_of("/cond"), &fast);
	q.etag = "\"v1\"";
	q.last_modified = "Mon, 05 Jan 2026 06:00:00 GMT";
	assert_int_equal(http_get_many(&q, 1, NULL, NULL), 0);
	assert_int_equal(q.rc, 0);
	assert_int_equal(q.resp.status, 304);
	assert_int_equal(q.resp.not_modified, 1);
	assert_int_equal(q.resp.body.len, 0);
	for (i = 0; i < TT_ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].path, "/cond")) {
			assert_non_null(strstr(routes[i].last_request, "If-None-Match: \"v1\""));
			assert_non_null(strstr(routes[i].last_request, "If-Modified-Since: Mon, 05 Jan 2026"));
		}
	http_request_release(&q);
}

struct robots_case {
	const char *txt;
	const char *path;
	int allowed;
};

static const struct robots_case robots_cases[] = {
	{ NULL, "/anything", 1 },
	{ "", "/anything", 1 },
	{ "User-agent: *\nDisallow: /\n", "/pricing", 0 },
	{ "User-agent: *\nDisallow:\n", "/pricing", 1 },
	{ "User-agent: *\nDisallow: /api/\n", "/api/v1/models", 0 },
	{ "User-agent: *\nDisallow: /api/\n", "/apis", 1 },
	{ "User-agent: *\nDisallow: /api\nAllow: /api/v1/models\n", "/api/v1/models", 1 },
	{ "User-agent: *\nDisallow: /api\nAllow: /api/v1/models\n", "/api/v2", 0 },
	/* a group naming us replaces the * group */
	{ "User-agent: *\nDisallow: /\n\nUser-agent: TokenTrend\nAllow: /\n", "/pricing", 1 },
	{ "User-agent: *\nAllow: /\n\nUser-agent: tokentrend/1.0\nDisallow: /pricing\n", "/pricing", 0 },
	{ "User-agent: googlebot\nUser-agent: tokentrend\nDisallow: /x\n", "/x/y", 0 },
	{ "User-agent: googlebot\nDisallow: /\n", "/pricing", 1 },
	/* wildcards and end anchors */
	{ "User-agent: *\nDisallow: /*.json$\n", "/api/models.json", 0 },
	{ "User-agent: *\nDisallow: /*.json$\n", "/api/models.json?x=1", 1 },
	{ "User-agent: *\nDisallow: /*?\n", "/pricing?tab=api", 0 },
	/* equal length: allow wins */
	{ "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", 1 },
	/* comments, CRLF, blanks */
	{ "# hi\r\nUser-Agent : * # all\r\n  Disallow :  /docs  # no\r\n", "/docs/pricing", 0 },
	{ "User-agent: *\nCrawl-delay: 10\nDisallow: /a\n", "/a", 0 },
};

static void test_robots_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(robots_cases); i++) {
		const struct robots_case *c = &robots_cases[i];
		int got = http_robots_allowed(c->txt, c->txt ? strlen(c->txt) : 0, HTTP_ROBOTS_TOKEN, c->path);
		if (got != c->allowed)
			fail_msg("robots case %zu (%s): %d, expected %d", i, c->path, got, c->allowed);
	}
}

static int done_calls;

static void count_done(struct http_request *q, void *ud)
{
	(void)q;
	(void)ud;
	done_calls++;
}

/* robots.txt is read once per host per batch; a disallowed URL is reported
 * and never requested. */
static void test_robots_batch(void **state)
{
	struct http_request q[4];
	const char *paths[4] = { "/no-bots/page", "/no-bots/ok", "/private", "/ok" };
	const int expect[4] = { TT_EBLOCKED, 0, 0, 0 };
	struct http_batch_opts bo = { 0 };
	size_t i;
	char urls[4][128];

	(void)state;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	bo.robots = 1;
	bo.robots_opts = &fast;
	bo.parallel = 4;
	bo.per_host = 4;
	bo.on_done = count_done;
	done_calls = 0;
	for (i = 0; i < 4; i++)
		http_request_init(&q[i], httpd_url(&srv, paths[i], urls[i], sizeof(urls[i])), &fast);
	assert_int_equal(http_get_many(q, 4, &bo, NULL), 0);
	for (i = 0; i < 4; i++)
		if (q[i].rc != expect[i])
			fail_msg("%s: rc %d (%s)", paths[i], q[i].rc, q[i].err.msg);
	assert_int_equal(q[0].resp.robots_disallowed, 1);
	assert_non_null(strstr(q[0].err.msg, "disallowed by"));
	assert_int_equal(httpd_hits(&srv, "/no-bots/page"), 0);
	assert_int_equal(httpd_hits(&srv, "/robots.txt"), 1);
	assert_int_equal(done_calls, 4);
	for (i = 0; i < 4; i++)
		http_request_release(&q[i]);
}

/* A robots.txt that answers 5xx means "disallow all" (RFC 9309); one that
 * is missing (404) allows everything. */
static void test_robots_unreachable(void **state)
{
	static struct httpd_route r503[] = {
		{ "/robots.txt", { { NULL, 503, NULL, "down", 0, 0, 0, 0 } }, 0, "", "" },
		{ "/ok", { { NULL, 200, NULL, "fine", 0, 0, 0, 0 } }, 0, "", "" },
	};
	static struct httpd_route r404[] = {
		{ "/ok", { { NULL, 200, NULL, "fine", 0, 0, 0, 0 } }, 0, "", "" },
	};
	struct http_batch_opts bo = { 0 };
	struct http_request q;
	char u[128];

	(void)state;
	bo.robots = 1;
	bo.robots_opts = &fast;
	httpd_routes(&srv, r503, TT_ARRAY_SIZE(r503));
	http_request_init(&q, httpd_url(&srv, "/ok", u, sizeof(u)), &fast);
	assert_int_equal(http_get_many(&q, 1, &bo, NULL), 0);
	assert_int_equal(q.rc, TT_EBLOCKED);
	assert_int_equal(q.resp.robots_unreachable, 1);
	assert_non_null(strstr(q.err.msg, "unreachable (HTTP 503)"));
	assert_int_equal(httpd_hits(&srv, "/ok"), 0);
	assert_int_equal(httpd_hits(&srv, "/robots.txt"), 1); /* no retry for robots.txt */
	http_request_release(&q);

	httpd_routes(&srv, r404, TT_ARRAY_SIZE(r404));
	http_request_init(&q, httpd_url(&srv, "/ok", u, sizeof(u)), &fast);
	assert_int_equal(http_get_many(&q, 1, &bo, NULL), 0);
	assert_int_equal(q.rc, 0);
	assert_string_equal(q.resp.body.buf, "fine");
	http_request_release(&q);
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
}

/* Six requests, at most three at once: the first three only answer when
 * three connections are open together (an event, not a time). */
static void test_bounded_concurrency(void **state)
{
	struct http_request q[6];
	struct http_batch_opts bo = { 0 };
	char urls[6][128];
	size_t i;

	(void)state;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	bo.parallel = 3;
	bo.per_host = 3;
	for (i = 0; i < 6; i++) {
		char p[8];
		snprintf(p, sizeof(p), "/p%zu", i + 1);
		http_request_init(&q[i], httpd_url(&srv, p, urls[i], sizeof(urls[i])), &fast);
	}
	assert_int_equal(http_get_many(q, 6, &bo, NULL), 0);
	for (i = 0; i < 6; i++) {
		char want[8];
		snprintf(want, sizeof(want), "p%zu", i + 1);
		if (q[i].rc != 0 || strcmp(q[i].resp.body.buf, want))
			fail_msg("/p%zu: rc %d (%s) body '%s'", i + 1, q[i].rc, q[i].err.msg, q[i].resp.body.buf);
		http_request_release(&q[i]);
	}
	assert_int_equal(srv.open_max, 3);

	/* per host 1: never two at once to the same host */
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	bo.per_host = 1;
	for (i = 3; i < 6; i++) {
		char p[8];
		snprintf(p, sizeof(p), "/p%zu", i + 1);
		http_request_init(&q[i], httpd_url(&srv, p, urls[i], sizeof(urls[i])), &fast);
	}
	assert_int_equal(http_get_many(q + 3, 3, &bo, NULL), 0);
	for (i = 3; i < 6; i++) {
		assert_int_equal(q[i].rc, 0);
		http_request_release(&q[i]);
	}
	assert_int_equal(srv.open_max, 1);
}

/* A stop flag set before the batch: nothing is fetched. */
static void test_stop_flag(void **state)
{
	volatile sig_atomic_t stop = 1;
	struct http_batch_opts bo = { 0 };
	struct http_request q;

	(void)state;
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
	bo.stop = &stop;
	http_request_init(&q, url_of("/ok"), &fast);
	assert_int_equal(http_get_many(&q, 1, &bo, NULL), 0);
	assert_int_equal(q.rc, TT_EFAIL);
	assert_int_equal(q.resp.stopped, 1);
	assert_int_equal(httpd_hits(&srv, "/ok"), 0);
	http_request_release(&q);
}

/* A webhook POST never names its URL in errors. */
static void test_post_hides_url(void **state)
{
	static struct httpd_route r[] = {
		{ "/hook/SECRET-TOKEN", { { NULL, 404, NULL, "no such hook", 0, 0, 0, 0 } }, 0, "", "" },
		{ "/hook/good", { { NULL, 200, NULL, "ok", 0, 0, 0, 0 } }, 0, "", "" },
	};
	struct tt_error err = { 0 };
	long status = 0;
	char u[128];

	(void)state;
	httpd_routes(&srv, r, TT_ARRAY_SIZE(r));
	assert_int_equal(http_post(httpd_url(&srv, "/hook/SECRET-TOKEN", u, sizeof(u)), "webhook",
				   "application/json", "{}", 2, &fast, &status, &err), TT_ENET);
	assert_int_equal(status, 404);
	assert_null(strstr(err.msg, "SECRET"));
	assert_null(strstr(err.msg, "127.0.0.1"));
	assert_non_null(strstr(err.msg, "webhook"));
	assert_int_equal(http_post(httpd_url(&srv, "/hook/good", u, sizeof(u)), "webhook",
				   "application/json", "{\"text\":\"x\"}", 12, &fast, &status, &err), 0);
	assert_non_null(strstr(r[1].last_request, "POST /hook/good"));
	assert_non_null(strstr(r[1].last_request, "Content-Type: application/json"));
	/* a refused connection: still no URL */
	assert_int_equal(http_post("http://127.0.0.1:1/hook/SECRET-TOKEN", "webhook", NULL, "{}", 2,
				   &fast, &status, &err), TT_ENET);
	assert_null(strstr(err.msg, "SECRET"));
	assert_null(strstr(err.msg, "127.0.0.1"));
	httpd_routes(&srv, routes, TT_ARRAY_SIZE(routes));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_cases),
		cmocka_unit_test(test_backoff_doubles),
		cmocka_unit_test(test_redirect_recorded),
		cmocka_unit_test(test_stall_aborted),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_user_agent),
		cmocka_unit_test(test_conditional),
		cmocka_unit_test(test_robots_rules),
		cmocka_unit_test(test_robots_batch),
		cmocka_unit_test(test_robots_unreachable),
		cmocka_unit_test(test_bounded_concurrency),
		cmocka_unit_test(test_stop_flag),
		cmocka_unit_test(test_post_hides_url),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
