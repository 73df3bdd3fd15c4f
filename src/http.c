/*
 * http.c - every fetch, on libcurl's multi interface (see http.h): a batch
 * of GETs with bounded concurrency, robots.txt once per host, conditional
 * requests, retries with backoff/jitter/Retry-After, bot-challenge and
 * bad-encoding recognition, and a small POST for webhooks.
 *
 * The batch loop, in one sentence: start what may start (robots.txt first
 * for each host, then requests whose host is cleared, whose retry time has
 * come, within the total and per-host limits), let libcurl work, and turn
 * each finished transfer into either a result or a retry at a later time;
 * when nothing is running but retries are waiting, sleep until the first.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/http.h"

#include <curl/curl.h>

#include "tokentrend/clock.h"
#include "tokentrend/log.h"

#define HTTP_ROBOTS_MAX (512u * 1024u) /* RFC 9309: parse at least 500 KiB */

/* ---- hooks ---------------------------------------------------------------- */

static long long real_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One nanosleep: a signal ends it early, so that a stop flag is seen. */
static void real_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

long long (*http_now_ms)(void) = real_now_ms;
void (*http_sleep_ms)(long ms) = real_sleep_ms;

/* Jitter: xorshift, seeded once from the pid and the time. */
static unsigned jitter_pct(void)
{
	static uint64_t s;

	if (!s)
		s = ((uint64_t)getpid() << 32) ^ (uint64_t)real_now_ms() ^ 0x9e3779b97f4a7c15ull;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (unsigned)(s % 26); /* 0..25 % */
}

/* ---- responses and requests ------------------------------------------------- */

void http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, 0);
	r->retry_after_s = -1;
}

void http_response_release(struct http_response *r)
{
	if (!r)
		return;
	buf_release(&r->body);
	FREE_AND_NULL(r->effective_url);
	FREE_AND_NULL(r->content_type);
	FREE_AND_NULL(r->content_encoding);
	FREE_AND_NULL(r->etag);
	FREE_AND_NULL(r->last_modified);
}

void http_request_init(struct http_request *req, const char *url, const struct http_opts *opts)
{
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->opts = opts;
	http_response_init(&req->resp);
}

void http_request_release(struct http_request *req)
{
	if (req)
		http_response_release(&req->resp);
}

const char *http_supported_encodings(void)
{
	static char list[64];
	curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	struct buf b = BUF_INIT;
	char *s;

	if (list[0])
		return list;
	if (v->features & CURL_VERSION_LIBZ)
		buf_adds(&b, "gzip, deflate");
	if (v->features & CURL_VERSION_BROTLI)
		buf_addf(&b, "%sbr", b.len ? ", " : "");
#ifdef CURL_VERSION_ZSTD
	if (v->features & CURL_VERSION_ZSTD)
		buf_addf(&b, "%szstd", b.len ? ", " : "");
#endif
	s = buf_detach(&b, NULL);
	snprintf(list, sizeof(list), "%s", *s ? s : "none");
	free(s);
	return list;
}

/* ---- challenge pages ------------------------------------------------------ */

static int memcasemem(const char *hay, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (nl > len)
		return 0;
	for (i = 0; i + nl <= len; i++)
		if (!strncasecmp(hay + i, needle, nl))
			return 1;
	return 0;
}

int http_is_challenge(long status, const char *body, size_t len, int cf_mitigated)
{
	if (cf_mitigated)
		return 1;
	if (status != 403 && status != 503 && status != 429)
		return 0;
	if (!body)
		return 0;
	return memcasemem(body, len, "Just a moment") ||
	       memcasemem(body, len, "Enable JavaScript and cookies") ||
	       memcasemem(body, len, "challenge-platform") ||
	       memcasemem(body, len, "Attention Required");
}

/* ---- robots.txt (RFC 9309) ------------------------------------------------- */

/* Does pattern p[0..pn) (with '*' and a final '$') match the start of path? */
static int robots_match(const char *p, size_t pn, const char *path)
{
	if (pn == 0)
		return 1;
	if (*p == '*') {
		for (;; path++) {
			if (robots_match(p + 1, pn - 1, path))
				return 1;
			if (!*path)
				return 0;
		}
	}
	if (*p == '$' && pn == 1)
		return *path == '\0';
	if (*path && *p == *path)
		return robots_match(p + 1, pn - 1, path + 1);
	return 0;
}

/* Does the User-agent value v[0..n) name token? ("*" is handled apart.) */
static int robots_agent_is(const char *v, size_t n, const char *token)
{
	size_t tl = strlen(token);

	/* The product token is the value up to the first blank or '/'. */
	size_t k = 0;
	while (k < n && v[k] != ' ' && v[k] != '\t' && v[k] != '/')
		k++;
	return k == tl && !strncasecmp(v, token, tl);
}

int http_robots_allowed(const char *txt, size_t len, const char *token, const char *path)
{
	/* Two passes: first find whether any group names our token. */
	int pass, named = 0;
	long best_len = -1;
	int best_allow = 1;

	if (!txt)
		return 1;
	for (pass = 0; pass < 2; pass++) {
		const char *p = txt, *end = txt + len;
		int in_agents = 0, group_applies = 0, group_has_rules = 0;

		while (p < end) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			const char *le = eol ? eol : end, *colon, *k, *ke, *v, *ve;
			const char *hash = memchr(p, '#', (size_t)(le - p));

			if (hash)
				le = hash;
			colon = memchr(p, ':', (size_t)(le - p));
			if (colon) {
				k = p;
				ke = colon;
				while (k < ke && isspace((unsigned char)*k))
					k++;
				while (ke > k && isspace((unsigned char)ke[-1]))
					ke--;
				v = colon + 1;
				ve = le;
				while (v < ve && isspace((unsigned char)*v))
					v++;
				while (ve > v && isspace((unsigned char)ve[-1]))
					ve--;
				if ((size_t)(ke - k) == 10 && !strncasecmp(k, "user-agent", 10)) {
					int applies;
					if (!in_agents || group_has_rules) {
						group_applies = 0;
						group_has_rules = 0;
					}
					in_agents = 1;
					if (pass == 0)
						applies = robots_agent_is(v, (size_t)(ve - v), token);
					else
						applies = named ? robots_agent_is(v, (size_t)(ve - v), token)
								: (ve - v == 1 && *v == '*');
					if (pass == 0 && applies)
						named = 1;
					group_applies |= applies;
				} else if (((size_t)(ke - k) == 5 && !strncasecmp(k, "allow", 5)) ||
					   ((size_t)(ke - k) == 8 && !strncasecmp(k, "disallow", 8))) {
					int allow = (ke - k) == 5;
					group_has_rules = 1;
					if (pass == 1 && group_applies && ve > v &&
					    robots_match(v, (size_t)(ve - v), path)) {
						long l = (long)(ve - v);
						if (l > best_len || (l == best_len && allow)) {
							best_len = l;
							best_allow = allow;
						}
					}
				} else {
					/* sitemap, crawl-delay, ...: do not end the agent list */
				}
			}
			p = eol ? eol + 1 : end;
		}
	}
	return best_len < 0 ? 1 : best_allow;
}

/* ---- the batch ------------------------------------------------------------ */

enum xfer_state { X_WAIT_HOST, X_QUEUED, X_RUNNING, X_DONE };

struct fetch_state {
	struct buf *body;
	int toobig;
	int cf_mitigated;
	long retry_after_s;
	char *etag, *last_modified, *content_encoding;
};

struct host;

struct http_xfer {
	struct http_request *req;
	struct host *host;
	int is_robots;
	CURL *easy;
	struct curl_slist *hdrs;
	enum xfer_state state;
	long long due;       /* not before (http_now_ms) */
	long backoff;        /* next backoff in ms */
	int max_attempts;
	struct fetch_state fs;
	char errbuf[CURL_ERROR_SIZE];
};

struct host {
	char *key;                   /* scheme://host:port */
	int running;                 /* transfers to this host now */
	int robots_state;            /* 0 not needed/not started, 1 running, 2 done */
	int robots_unreachable;
	long robots_status;
	char robots_why[256];
	struct buf robots_txt;
	struct http_request robots_req;
	char *robots_url;
};

struct batch {
	CURLM *multi;
	const struct http_batch_opts *bo;
	struct http_opts robots_opts;
	struct http_xfer *x;         /* n request xfers, then nh robots xfers */
	size_t n;
	struct host *hosts;
	size_t nh;
	int running;
	int parallel, per_host;
};

static void fs_clear(struct fetch_state *fs)
{
	FREE_AND_NULL(fs->etag);
	FREE_AND_NULL(fs->last_modified);
	FREE_AND_NULL(fs->content_encoding);
	fs->cf_mitigated = 0;
	fs->retry_after_s = -1;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct fetch_state *fs = ud;
	size_t n = size * nmemb;

	if (buf_add(fs->body, ptr, n) < 0) {
		fs->toobig = 1;
		return 0; /* abort the transfer: CURLE_WRITE_ERROR */
	}
	return n;
}

/* The value of a header line "Name: value\r\n" when its name is `name`. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *v, *e;

	if (n <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
		return NULL;
	v = line + nl + 1;
	e = line + n;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return strndup(v, (size_t)(e - v));
}

/* Retry-After: delta seconds or an HTTP date. */
static long parse_retry_after(const char *v)
{
	char *end;
	long s;
	time_t t;

	errno = 0;
	s = strtol(v, &end, 10);
	if (end != v && *end == '\0' && errno == 0 && s >= 0)
		return s;
	t = curl_getdate(v, NULL);
	if (t < 0)
		return LONG_MAX; /* unreadable: treat as "long" */
	t -= clock_now();
	return t < 0 ? 0 : (long)t;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct fetch_state *fs = ud;
	size_t n = size * nmemb;
	char *v;

	/* A new response (after a redirect or 100-continue) resets what we keep. */
	if (n >= 5 && !strncmp(ptr, "HTTP/", 5)) {
		fs_clear(fs);
		return n;
	}
	if ((v = header_value(ptr, n, "cf-mitigated"))) {
		fs->cf_mitigated = 1;
		free(v);
	} else if ((v = header_value(ptr, n, "retry-after"))) {
		fs->retry_after_s = parse_retry_after(v);
		free(v);
	} else if ((v = header_value(ptr, n, "etag"))) {
		free(fs->etag);
		fs->etag = v;
	} else if ((v = header_value(ptr, n, "last-modified"))) {
		free(fs->last_modified);
		fs->last_modified = v;
	} else if ((v = header_value(ptr, n, "content-encoding"))) {
		free(fs->content_encoding);
		fs->content_encoding = v;
	}
	return n;
}

static long opt_or(long v, long dflt)
{
	return v > 0 ? v : dflt;
}

static const struct http_opts *opts_of(const struct http_xfer *x)
{
	static const struct http_opts defaults;

	return x->req->opts ? x->req->opts : &defaults;
}

static size_t max_body_of(const struct http_opts *o)
{
	return o->max_body ? o->max_body : (size_t)32 << 20;
}

/* scheme://host:port of url into a new string, and its path?query. */
static int split_url(const char *url, char **key, char **pathq)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	struct buf b = BUF_INIT, p = BUF_INIT;
	int rc = TT_EINVAL;

	*key = NULL;
	if (pathq)
		*pathq = NULL;
	if (!u)
		return TT_ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (buf_addf(&b, "%s://%s:%s", scheme, host, port) < 0 ||
	    buf_addf(&p, "%s%s%s", path ? path : "/", query ? "?" : "", query ? query : "") < 0) {
		rc = TT_ENOMEM;
		goto out;
	}
	*key = buf_detach(&b, NULL);
	if (pathq)
		*pathq = buf_detach(&p, NULL);
	rc = 0;
out:
	buf_release(&b);
	buf_release(&p);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

static struct host *host_find(struct batch *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->nh; i++)
		if (!strcmp(b->hosts[i].key, key))
			return &b->hosts[i];
	return NULL;
}

/* (Re)configure the easy handle of x for its next attempt and add it. */
static int xfer_start(struct batch *b, struct http_xfer *x)
{
	const struct http_opts *o = opts_of(x);
	struct http_response *r = &x->req->resp;
	size_t cap = x->is_robots ? HTTP_ROBOTS_MAX : max_body_of(o);
	CURL *c;

	if (!x->easy) {
		x->easy = curl_easy_init();
		if (!x->easy)
			return TT_ENOMEM;
	} else {
		curl_easy_reset(x->easy);
	}
	c = x->easy;
	buf_release(&r->body);
	buf_init(&r->body, cap);
	fs_clear(&x->fs);
	x->fs.body = &r->body;
	x->fs.toobig = 0;
	x->errbuf[0] = '\0';
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	if (x->req->etag && *x->req->etag) {
		char h[1024];
		snprintf(h, sizeof(h), "If-None-Match: %s", x->req->etag);
		x->hdrs = curl_slist_append(x->hdrs, h);
	}
	if (x->req->last_modified && *x->req->last_modified) {
		char h[1024];
		snprintf(h, sizeof(h), "If-Modified-Since: %s", x->req->last_modified);
		x->hdrs = curl_slist_append(x->hdrs, h);
	}
	curl_easy_setopt(c, CURLOPT_URL, x->req->url);
	curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : HTTP_DEFAULT_USER_AGENT);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, opt_or(o->max_redirects, 5));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, opt_or(o->connect_timeout_ms, 10000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opt_or(o->total_timeout_ms, 120000));
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, opt_or(o->low_speed_limit, 1));
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, opt_or(o->low_speed_time_s, 30));
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding this libcurl decodes */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x->fs);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x->fs);
	curl_easy_setopt(c, CURLOPT_PRIVATE, x);
	if (x->hdrs)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->hdrs);
	if (!x->is_robots)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cap);
	if (curl_multi_add_handle(b->multi, c) != CURLM_OK)
		return TT_EFAIL;
	r->attempts++;
	x->state = X_RUNNING;
	x->host->running++;
	b->running++;
	return 0;
}

static void xfer_done(struct batch *b, struct http_xfer *x)
{
	x->state = X_DONE;
	if (!x->is_robots && x->req->rc != 0)
		buf_reset(&x->req->resp.body); /* a failed fetch keeps no bytes */
	if (!x->is_robots && b->bo && b->bo->on_done)
		b->bo->on_done(x->req, b->bo->ud);
}

/* Apply a host's robots.txt verdict to its waiting requests. */
static void robots_apply(struct batch *b, struct host *h)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct http_xfer *x = &b->x[i];
		char *key = NULL, *pathq = NULL;

		if (x->host != h || x->state != X_WAIT_HOST)
			continue;
		if (h->robots_unreachable && h->robots_status == 0) {
			/* No answer at all: the host is down, a network failure. */
			x->req->rc = tt_set_error(&x->req->err, TT_ENET,
						  "%s: not fetched: %s did not answer for robots.txt (%s)",
						  x->req->url, h->key, h->robots_why);
			xfer_done(b, x);
			continue;
		}
		if (h->robots_unreachable) {
			x->req->resp.robots_unreachable = 1;
			x->req->rc = tt_set_error(&x->req->err, TT_EBLOCKED,
						  "%s: not fetched: robots.txt of %s is unreachable (%s); RFC 9309 "
						  "treats that as disallowed", x->req->url, h->key, h->robots_why);
			xfer_done(b, x);
			continue;
		}
		if (split_url(x->req->url, &key, &pathq) == 0 &&
		    !http_robots_allowed(h->robots_txt.buf, h->robots_txt.len, HTTP_ROBOTS_TOKEN, pathq)) {
			x->req->resp.robots_disallowed = 1;
			x->req->rc = tt_set_error(&x->req->err, TT_EBLOCKED,
						  "%s: not fetched: disallowed by %s/robots.txt for %s",
						  x->req->url, h->key, HTTP_ROBOTS_TOKEN);
			free(key);
			free(pathq);
			xfer_done(b, x);
			continue;
		}
		free(key);
		free(pathq);
		x->state = X_QUEUED;
	}
}

/* Keep the response details libcurl knows after an attempt. */
static void xfer_collect(struct http_xfer *x, CURLcode cc)
{
	struct http_response *r = &x->req->resp;
	char *eff = NULL, *ct = NULL;

	r->curl_code = (int)cc;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &r->redirects);
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	free(r->effective_url);
	r->effective_url = eff ? strdup(eff) : NULL;
	free(r->content_type);
	r->content_type = ct ? strdup(ct) : NULL;
	r->retry_after_s = x->fs.retry_after_s;
	free(r->etag);
	r->etag = x->fs.etag;
	x->fs.etag = NULL;
	free(r->last_modified);
	r->last_modified = x->fs.last_modified;
	x->fs.last_modified = NULL;
	free(r->content_encoding);
	r->content_encoding = x->fs.content_encoding;
	x->fs.content_encoding = NULL;
}

/* Is enc (a Content-Encoding value) one this build decodes? */
static int encoding_supported(const char *enc)
{
	const char *list = http_supported_encodings();
	char one[32];
	size_t n = 0;

	/* The last coding applied is the last listed; check each. */
	while (*enc) {
		while (*enc == ' ' || *enc == ',' || *enc == '\t')
			enc++;
		n = 0;
		while (enc[n] && enc[n] != ',' && enc[n] != ' ' && n + 1 < sizeof(one)) {
			one[n] = (char)tolower((unsigned char)enc[n]);
			n++;
		}
		one[n] = '\0';
		enc += n;
		if (!n || !strcmp(one, "identity"))
			continue;
		if (!strcmp(one, "x-gzip") && strstr(list, "gzip"))
			continue;
		if (!strstr(list, one))
			return 0;
	}
	return 1;
}

/*
 * Judge a finished attempt of a request: sets req->rc/err and returns 1
 * when it should be retried (with *wait_ms), else 0.
 */
static int xfer_judge(struct http_xfer *x, CURLcode cc, long *wait_ms)
{
	struct http_request *q = x->req;
	struct http_response *r = &q->resp;
	const struct http_opts *o = opts_of(x);
	const char *url = q->url;
	long cap_s = opt_or(o->retry_after_cap_s, 300);
	int retryable = 0;

	*wait_ms = x->backoff;
	if (x->fs.toobig || cc == CURLE_FILESIZE_EXCEEDED) {
		q->rc = tt_set_error(&q->err, TT_ENOMEM, "%s: body larger than the %zu-byte cap; nothing kept",
				     url, max_body_of(o));
		buf_reset(&r->body);
		return 0;
	}
	if (cc == CURLE_BAD_CONTENT_ENCODING) {
		const char *enc = r->content_encoding ? r->content_encoding : "?";
		if (!encoding_supported(enc))
			q->rc = tt_set_error(&q->err, TT_ENET,
					     "%s: the server sent Content-Encoding '%s', which this build cannot "
					     "decode (libcurl here decodes: %s); nothing kept",
					     url, enc, http_supported_encodings());
		else
			q->rc = tt_set_error(&q->err, TT_ENET,
					     "%s: the body is labelled Content-Encoding '%s' but is not valid %s "
					     "data (%s); nothing kept", url, enc, enc,
					     x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc));
		buf_reset(&r->body);
		return 0;
	}
	if (cc != CURLE_OK) {
		q->rc = tt_set_error(&q->err, TT_ENET,
				     "%s: %s (curl error %d: %s); partial body of %zu bytes discarded",
				     url, curl_easy_strerror(cc), (int)cc, x->errbuf[0] ? x->errbuf : "-",
				     r->body.len);
		buf_reset(&r->body);
		retryable = cc != CURLE_TOO_MANY_REDIRECTS && cc != CURLE_UNSUPPORTED_PROTOCOL &&
			    cc != CURLE_URL_MALFORMAT && cc != CURLE_BAD_CONTENT_ENCODING &&
			    cc != CURLE_PEER_FAILED_VERIFICATION && cc != CURLE_SSL_CACERT_BADFILE;
		return retryable;
	}
	if (http_is_challenge(r->status, r->body.buf, r->body.len, x->fs.cf_mitigated)) {
		r->challenge = 1;
		q->rc = tt_set_error(&q->err, TT_EBLOCKED, "%s: blocked (bot challenge), HTTP %ld", url,
				     r->status);
		return 0; /* never loop on a challenge */
	}
	if (r->status == 304 && (q->etag || q->last_modified)) {
		r->not_modified = 1;
		q->rc = 0;
		return 0;
	}
	if (r->status == 429) {
		if (r->retry_after_s > cap_s) {
			q->rc = tt_set_error(&q->err, TT_EBLOCKED,
					     "%s: rate limited (HTTP 429, Retry-After %lds above the %lds cap); "
					     "giving up for today", url, r->retry_after_s, cap_s);
			return 0;
		}
		q->rc = tt_set_error(&q->err, TT_EBLOCKED, "%s: rate limited (HTTP 429)", url);
		if (r->retry_after_s >= 0 && r->retry_after_s * 1000 > *wait_ms)
			*wait_ms = r->retry_after_s * 1000;
		return 1;
	}
	if (r->status >= 500) {
		if (r->retry_after_s > cap_s) {
			q->rc = tt_set_error(&q->err, TT_ENET,
					     "%s: HTTP %ld with Retry-After %lds above the %lds cap; giving up "
					     "for today", url, r->status, r->retry_after_s, cap_s);
			return 0;
		}
		q->rc = tt_set_error(&q->err, TT_ENET, "%s: HTTP %ld", url, r->status);
		if (r->retry_after_s >= 0 && r->retry_after_s * 1000 > *wait_ms)
			*wait_ms = r->retry_after_s * 1000;
		return 1;
	}
	if (r->status < 200 || r->status > 299) {
		q->rc = tt_set_error(&q->err, TT_ENET, "%s: HTTP %ld%s%s", url, r->status,
				     r->redirects ? " at " : "",
				     r->redirects && r->effective_url ? r->effective_url : "");
		return 0;
	}
	q->rc = 0;
	tt_error_clear(&q->err);
	return 0;
}

/* Judge a finished robots.txt fetch and release the host's requests. */
static void robots_judge(struct batch *b, struct http_xfer *x, CURLcode cc)
{
	struct host *h = x->host;
	struct http_response *r = &x->req->resp;

	h->robots_state = 2;
	h->robots_status = r->status;
	if (cc != CURLE_OK && !(x->fs.toobig && r->status >= 200 && r->status <= 299)) {
		if (cc == CURLE_TOO_MANY_REDIRECTS) {
			buf_reset(&r->body); /* RFC 9309 2.3.1.2: treat as unavailable: allowed */
		} else {
			h->robots_unreachable = 1;
			snprintf(h->robots_why, sizeof(h->robots_why), "curl error %d: %s", (int)cc,
				 curl_easy_strerror(cc));
		}
	} else if (r->status >= 500) {
		h->robots_unreachable = 1;
		snprintf(h->robots_why, sizeof(h->robots_why), "HTTP %ld", r->status);
	} else if (r->status >= 200 && r->status <= 299) {
		buf_add(&h->robots_txt, r->body.buf, r->body.len);
	}
	/* 4xx: unavailable, everything allowed. */
	LOG(LOG_INFO, "%s/robots.txt: HTTP %ld, %zu bytes%s", h->key, r->status, h->robots_txt.len,
	    h->robots_unreachable ? " (unreachable: disallow all)" : "");
	robots_apply(b, h);
}

static void xfer_finished(struct batch *b, struct http_xfer *x, CURLcode cc)
{
	long wait_ms = 0;
	int retry;

	curl_multi_remove_handle(b->multi, x->easy);
	x->host->running--;
	b->running--;
	xfer_collect(x, cc);
	if (x->is_robots) {
		robots_judge(b, x, cc);
		x->state = X_DONE;
		return;
	}
	retry = xfer_judge(x, cc, &wait_ms);
	if (retry && x->req->resp.attempts < x->max_attempts) {
		long j = wait_ms / 4 * (long)jitter_pct() / 25;
		LOG(LOG_INFO, "%s: attempt %d failed (%s); retrying in %ld ms", x->req->url,
		    x->req->resp.attempts, x->req->err.msg, wait_ms + j);
		x->due = http_now_ms() + wait_ms + j;
		x->backoff *= 2;
		x->state = X_QUEUED;
		return;
	}
	xfer_done(b, x);
}

static void stop_all(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct http_xfer *x = &b->x[i];
		if (x->state == X_DONE)
			continue;
		if (x->state == X_RUNNING) {
			curl_multi_remove_handle(b->multi, x->easy);
			x->host->running--;
			b->running--;
			buf_reset(&x->req->resp.body);
		}
		x->req->resp.stopped = 1;
		x->req->rc = tt_set_error(&x->req->err, TT_EFAIL, "%s: stopped before it finished",
					  x->req->url);
		xfer_done(b, x);
	}
}

static int batch_setup(struct batch *b, struct http_request *reqs, size_t n)
{
	size_t i;

	b->x = calloc(n * 2 + 1, sizeof(*b->x));
	b->hosts = calloc(n + 1, sizeof(*b->hosts));
	if (!b->x || !b->hosts)
		return TT_ENOMEM;
	b->n = n;
	for (i = 0; i < n; i++) {
		struct http_xfer *x = &b->x[i];
		struct http_request *q = &reqs[i];
		const struct http_opts *o;
		char *key = NULL;
		struct host *h;

		q->x = x;
		q->rc = TT_EFAIL;
		x->req = q;
		o = opts_of(x);
		x->backoff = opt_or(o->retry_base_ms, 1000);
		x->max_attempts = 1 + (o->retries < 0 ? 0 : (o->retries == 0 ? 2 : o->retries));
		x->fs.retry_after_s = -1;
		if (split_url(q->url ? q->url : "", &key, NULL) < 0)
			key = strdup("?");
		if (!key)
			return TT_ENOMEM;
		h = host_find(b, key);
		if (!h) {
			h = &b->hosts[b->nh++];
			h->key = key;
			buf_init(&h->robots_txt, HTTP_ROBOTS_MAX);
		} else {
			free(key);
		}
		x->host = h;
		x->state = X_QUEUED;
		if (!q->url || !*q->url || !strcmp(h->key, "?")) {
			q->rc = tt_set_error(&q->err, TT_EINVAL, "'%s' is not an http(s) URL",
					     q->url ? q->url : "");
			x->state = X_DONE;
		} else if (b->bo && b->bo->robots) {
			x->state = X_WAIT_HOST;
		}
	}
	/* One robots.txt transfer per host that needs it. */
	for (i = 0; b->bo && b->bo->robots && i < b->nh; i++) {
		struct host *h = &b->hosts[i];
		struct http_xfer *x = &b->x[n + i];
		struct buf u = BUF_INIT;

		if (!strcmp(h->key, "?"))
			continue;
		buf_addf(&u, "%s/robots.txt", h->key);
		h->robots_url = buf_detach(&u, NULL);
		http_request_init(&h->robots_req, h->robots_url, &b->robots_opts);
		x->req = &h->robots_req;
		x->host = h;
		x->is_robots = 1;
		x->max_attempts = 1;
		x->fs.retry_after_s = -1;
		x->state = X_QUEUED;
		h->robots_state = 1;
	}
	return 0;
}

static void batch_release(struct batch *b)
{
	size_t i;

	for (i = 0; b->x && i < b->n + b->nh; i++) {
		struct http_xfer *x = &b->x[i];
		if (x->easy) {
			if (x->state == X_RUNNING)
				curl_multi_remove_handle(b->multi, x->easy);
			curl_easy_cleanup(x->easy);
		}
		curl_slist_free_all(x->hdrs);
		fs_clear(&x->fs);
		if (x->req)
			x->req->x = NULL;
	}
	for (i = 0; b->hosts && i < b->nh; i++) {
		free(b->hosts[i].key);
		buf_release(&b->hosts[i].robots_txt);
		http_request_release(&b->hosts[i].robots_req);
		free(b->hosts[i].robots_url);
	}
	free(b->x);
	free(b->hosts);
	if (b->multi)
		curl_multi_cleanup(b->multi);
}

int http_get_many(struct http_request *reqs, size_t n, const struct http_batch_opts *bo,
		  struct tt_error *err)
{
	struct batch b;
	size_t i, total;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.bo = bo;
	b.parallel = bo && bo->parallel > 0 ? bo->parallel : 4;
	b.per_host = bo && bo->per_host > 0 ? bo->per_host : 1;
	if (bo && bo->robots_opts)
		b.robots_opts = *bo->robots_opts;
	b.robots_opts.retries = -1;
	b.robots_opts.max_body = HTTP_ROBOTS_MAX;
	b.multi = curl_multi_init();
	if (!b.multi) {
		rc = tt_set_error(err, TT_ENOMEM, "cannot create a libcurl multi handle");
		goto out;
	}
	rc = batch_setup(&b, reqs, n);
	if (rc < 0) {
		tt_set_error(err, rc, "out of memory setting up %zu fetches", n);
		goto out;
	}
	total = n + b.nh;
	for (;;) {
		long long now = http_now_ms(), next_due = -1;
		int pending = 0, still = 0, msgs = 0;
		CURLMsg *m;

		if (bo && bo->stop && *bo->stop) {
			stop_all(&b);
			break;
		}
		/* Start robots.txt fetches first, then what is due. */
		for (i = 0; i < total; i++) {
			struct http_xfer *x = &b.x[i];
			if (!x->req || x->state == X_DONE || x->state == X_RUNNING)
				continue;
			pending = 1;
			if (x->state != X_QUEUED) /* X_WAIT_HOST: its robots.txt is not read yet */
				continue;
			if (x->due > now) {
				if (next_due < 0 || x->due < next_due)
					next_due = x->due;
				continue;
			}
			if (b.running >= b.parallel || x->host->running >= b.per_host)
				continue;
			if (xfer_start(&b, x) < 0) {
				x->req->rc = tt_set_error(&x->req->err, TT_ENOMEM, "%s: cannot start the transfer",
							  x->req->url);
				if (x->is_robots) {
					x->host->robots_unreachable = 1;
					snprintf(x->host->robots_why, sizeof(x->host->robots_why), "no transfer");
					x->host->robots_state = 2;
					robots_apply(&b, x->host);
				}
				xfer_done(&b, x);
			}
		}
		if (!pending && b.running == 0)
			break;
		if (b.running == 0) {
			/* Only retries are waiting: sleep until the first is due. */
			if (next_due > now) {
				http_sleep_ms((long)(next_due - now));
				continue;
			}
			if (next_due < 0) {
				/* Nothing can ever start (cannot happen): do not spin. */
				stop_all(&b);
				break;
			}
			continue;
		}
		curl_multi_perform(b.multi, &still);
		while ((m = curl_multi_info_read(b.multi, &msgs))) {
			char *priv = NULL;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
			if (priv)
				xfer_finished(&b, (struct http_xfer *)(void *)priv, m->data.result);
		}
		if (b.running) {
			long t = 200;
			if (next_due >= 0 && next_due - now < t)
				t = next_due - now < 1 ? 1 : (long)(next_due - now);
			curl_multi_poll(b.multi, NULL, 0, (int)t, NULL);
		}
	}
	rc = 0;
out:
	batch_release(&b);
	return rc;
}

int http_get(const char *url, const struct http_opts *opts, struct http_response *resp,
	     struct tt_error *err)
{
	struct http_request req;
	int rc;

	http_request_init(&req, url, opts);
	rc = http_get_many(&req, 1, NULL, err);
	if (rc == 0) {
		rc = req.rc;
		if (rc < 0 && err)
			*err = req.err;
	}
	/* Hand the response over to the caller's struct. */
	http_response_release(resp);
	*resp = req.resp;
	return rc;
}

/* ---- POST (webhooks) ------------------------------------------------------- */

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	(void)ptr;
	(void)ud;
	return size * nmemb;
}

int http_post(const char *url, const char *label, const char *content_type, const char *body,
	      size_t len, const struct http_opts *opts, long *status, struct tt_error *err)
{
	static const struct http_opts defaults;
	const struct http_opts *o = opts ? opts : &defaults;
	struct curl_slist *hdrs = NULL;
	CURL *c = NULL;
	char h[256];
	int attempt, rc = TT_ENET;

	*status = 0;
	if (!label)
		label = "POST";
	c = curl_easy_init();
	if (!c)
		return tt_set_error(err, TT_ENOMEM, "%s: cannot create a libcurl handle", label);
	snprintf(h, sizeof(h), "Content-Type: %s", content_type ? content_type : "application/json");
	hdrs = curl_slist_append(hdrs, h);
	for (attempt = 1; attempt <= 2; attempt++) {
		CURLcode cc;

		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : HTTP_DEFAULT_USER_AGENT);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, opt_or(o->connect_timeout_ms, 10000));
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opt_or(o->total_timeout_ms, 30000));
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
		/* No redirects: a webhook that moves is a configuration error. */
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		if (cc != CURLE_OK) {
			/* curl's error buffer would name the host: only the generic text. */
			rc = tt_set_error(err, TT_ENET, "%s (URL hidden): %s (curl error %d)", label,
					  curl_easy_strerror(cc), (int)cc);
		} else if (*status < 200 || *status > 299) {
			rc = tt_set_error(err, TT_ENET, "%s (URL hidden): HTTP %ld", label, *status);
			if (*status < 500)
				break;
		} else {
			rc = 0;
			break;
		}
		if (attempt == 1)
			http_sleep_ms(opt_or(o->retry_base_ms, 1000));
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return rc;
}
