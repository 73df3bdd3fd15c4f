/*
 * test_http.c - http_get against a scripted HTTP server on loopback that
 * the test starts itself: redirects, 404, stalled transfers, gzip bodies,
 * bot challenges, 429 with Retry-After, the body cap.  Cases 9 and 10 of
 * ../shared/cases.  No real waits: the retry sleep hook records instead.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <zlib.h>

struct route {
	const char *path;
	const char *responses[3]; /* served in turn on successive requests; last repeats */
	int stall;                /* after writing, hold the connection until the client leaves */
	int gzip_body;            /* responses[0] is a body to gzip and serve as 200 */
	int hits;
};

static struct route routes[] = {
	{ "/ok", { "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\nConnection: close\r\n\r\n<p>hello</p>" }, 0, 0, 0 },
	/* case 9 (a): redirect to a JavaScript shell */
	{ "/pricing", { "HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" }, 0, 0, 0 },
	{ "/", { "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n"
		 "<!doctype html><html><head><script src=\"/assets/app.js\" defer></script></head>"
		 "<body><div id=\"root\"></div><noscript>Please enable JavaScript.</noscript></body></html>" }, 0, 0, 0 },
	/* case 9 (b) */
	{ "/missing", { "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<h1>Not found</h1>" }, 0, 0, 0 },
	/* case 9 (c): 100 bytes of a promised 50000, then silence */
	{ "/stall", { "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n"
		      "<table><tr><td>demo</td><td>$0.15</td><td>$0.60</td></tr><tr><td>demo2</td><td>$0.15</td></tr></table>" }, 1, 0, 0 },
	{ "/gz", { "<table><tr><td>demo</td><td>$0.15</td><td>$0.60</td></tr></table>" }, 0, 1, 0 },
	/* case 10 (a), (b) */
	{ "/cf403", { "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\ncf-mitigated: challenge\r\nContent-Type: text/html; charset=UTF-8\r\nConnection: close\r\n\r\n"
		      "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>" }, 0, 0, 0 },
	{ "/cf503", { "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=UTF-8\r\nConnection: close\r\n\r\n"
		      "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>" }, 0, 0, 0 },
	/* case 10 (c): 429 then the page */
	{ "/limited", { "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<table><tr><td>demo</td><td>$0.15</td><td>$0.60</td></tr></table>" }, 0, 0, 0 },
	/* case 10 (d) */
	{ "/limited-long", { "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7200\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" }, 0, 0, 0 },
	{ "/flaky", { "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok" }, 0, 0, 0 },
	{ "/big", { "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789012345678901234567890123456789" }, 0, 0, 0 },
};

static int listen_fd = -1;
static int port;
static pthread_t server_thread;
static long slept_ms[8];
static int nslept;

static void fake_sleep(long ms)
{
	if (nslept < 8)
		slept_ms[nslept++] = ms;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void serve_gzip(int fd, const char *body)
{
	unsigned char out[4096];
	z_stream zs;
	char head[256];
	int n;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)body;
	zs.avail_in = (unsigned)strlen(body);
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	deflate(&zs, Z_FINISH);
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
		     "Content-Length: %lu\r\nConnection: close\r\n\r\n", zs.total_out);
	send_all(fd, head, (size_t)n);
	send_all(fd, (const char *)out, zs.total_out);
	deflateEnd(&zs);
}

static void *server_main(void *arg)
{
	(void)arg;
	for (;;) {
		char req[4096], path[256];
		size_t got = 0;
		size_t i;
		int fd = accept(listen_fd, NULL, NULL);
		if (fd < 0)
			return NULL;
		while (got < sizeof(req) - 1) {
			ssize_t r = recv(fd, req + got, sizeof(req) - 1 - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[got] = '\0';
		if (!strncmp(req, "QUIT", 4)) {
			close(fd);
			return NULL;
		}
		if (sscanf(req, "GET %255s", path) != 1)
			path[0] = '\0';
		for (i = 0; i < TT_ARRAY_SIZE(routes); i++) {
			struct route *rt = &routes[i];
			int k;
			if (strcmp(rt->path, path))
				continue;
			k = rt->hits < 3 && rt->responses[rt->hits] ? rt->hits : 0;
			while (k > 0 && !rt->responses[k])
				k--;
			rt->hits++;
			if (rt->gzip_body)
				serve_gzip(fd, rt->responses[0]);
			else
				send_all(fd, rt->responses[k], strlen(rt->responses[k]));
			if (rt->stall) {
				/* Hold the connection open until the client gives up. */
				struct pollfd p = { fd, POLLIN, 0 };
				char tmp[64];
				while (poll(&p, 1, 10000) > 0 && recv(fd, tmp, sizeof(tmp), 0) > 0)
					;
			}
			break;
		}
		if (i == TT_ARRAY_SIZE(routes))
			send_all(fd, "HTTP/1.1 500 x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 56);
		close(fd);
	}
}

static int setup(void **state)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) || listen(listen_fd, 16))
		return -1;
	getsockname(listen_fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	http_sleep_ms = fake_sleep;
	return pthread_create(&server_thread, NULL, server_main, NULL);
}

static int teardown(void **state)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		send_all(fd, "QUIT\r\n\r\n", 8);
	close(fd);
	pthread_join(server_thread, NULL);
	close(listen_fd);
	curl_global_cleanup();
	return 0;
}

static char *url_of(const char *path)
{
	static char u[128];
	snprintf(u, sizeof(u), "http://127.0.0.1:%d%s", port, path);
	return u;
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
};

static const struct http_case cases[] = {
	{ "plain 200", "/ok", 0, 200, "hello", NULL, 1, 0, -1 },
	{ "case 9 (a): redirect to a JS shell is a 200 with no prices", "/pricing", 0, 200, "enable JavaScript", NULL, 1, 0, -1 },
	{ "case 9 (b): 404", "/missing", TT_ENET, 404, NULL, "HTTP 404", 1, 0, -1 },
	{ "gzip body decoded", "/gz", 0, 200, "<td>$0.15</td>", NULL, 1, 0, -1 },
	{ "case 10 (a): 403 challenge, no retry", "/cf403", TT_EBLOCKED, 403, NULL, "bot challenge", 1, 1, -1 },
	{ "case 10 (b): 503 challenge, no retry", "/cf503", TT_EBLOCKED, 503, NULL, "bot challenge", 1, 1, -1 },
	{ "case 10 (c): 429 Retry-After 30 then 200", "/limited", 0, 200, "$0.60", NULL, 2, 0, 30000 },
	{ "case 10 (d): 429 Retry-After 7200 gives up", "/limited-long", TT_EBLOCKED, 429, NULL, "rate limited", 1, 0, -1 },
	{ "500 then 200 retried with backoff", "/flaky", 0, 200, "ok", NULL, 2, 0, 10 },
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

		nslept = 0;
		http_response_init(&r);
		rc = http_get(url_of(c->path), &fast, &r, &err);
		if (rc != c->rc)
			fail_msg("%s: rc %d (%s), expected %d", c->name, rc, err.msg, c->rc);
		if (r.status != c->status)
			fail_msg("%s: status %ld, expected %ld", c->name, r.status, c->status);
		if (c->body_has && !strstr(r.body.buf, c->body_has))
			fail_msg("%s: body lacks '%s'", c->name, c->body_has);
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
		http_response_release(&r);
	}
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

/* Case 9 (c): a stalled transfer is aborted by the low-speed limit and the
 * partial body is discarded. */
static void test_stall_aborted(void **state)
{
	struct http_response r;
	struct tt_error err = { 0 };
	struct http_opts o = fast;

	(void)state;
	o.retries = -1;
	http_response_init(&r);
	assert_int_equal(http_get(url_of("/stall"), &o, &r, &err), TT_ENET);
	assert_non_null(strstr(err.msg, "curl error 28"));  /* CURLE_OPERATION_TIMEDOUT */
	assert_int_equal(r.body.len, 0);
	http_response_release(&r);
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
	assert_non_null(strstr(err.msg, "cap"));
	http_response_release(&r);
}

static void test_user_agent_is_honest(void **state)
{
	(void)state;
	assert_non_null(strstr(HTTP_DEFAULT_USER_AGENT, "tokentrend/"));
	assert_true(http_is_challenge(403, "<title>Just a moment...</title>", 31, 0));
	assert_false(http_is_challenge(200, "<title>Just a moment...</title>", 31, 0));
	assert_false(http_is_challenge(403, "<h1>Forbidden</h1>", 18, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_cases),
		cmocka_unit_test(test_redirect_recorded),
		cmocka_unit_test(test_stall_aborted),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_user_agent_is_honest),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
