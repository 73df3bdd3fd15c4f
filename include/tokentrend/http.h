/*
 * http.h - fetching pages and feeds with libcurl.
 *
 * One module for every fetch, built on libcurl's multi interface: a batch
 * of requests runs with bounded concurrency (a total limit and a per-host
 * limit), each request with its own options.  Defaults are polite and
 * bounded: an honest User-Agent naming the tool, connect/low-speed/total
 * timeouts, at most 5 redirects, every compression the libcurl build
 * supports, a body size cap, and a small number of retries with
 * exponential backoff and jitter for network errors, 5xx and 429 only
 * (honouring Retry-After up to a cap; above the cap the source is given up
 * for the day).  Bot-challenge interstitials (403/503/429 "Just a
 * moment...", cf-mitigated: challenge) are reported as blocked and never
 * retried.  A batch can fetch robots.txt once per host and obey it
 * (RFC 9309): a disallowed URL is reported, not fetched.  Conditional
 * requests (If-None-Match / If-Modified-Since) turn a 304 into success
 * with not_modified set.  An encoding the build cannot decode, and a body
 * whose label lies (Content-Encoding: gzip over plain bytes), are clear
 * errors.
 *
 * Nothing here prints.  The caller initialises libcurl once
 * (curl_global_init).  Time and sleeping go through two hooks that tests
 * replace (http_now_ms, http_sleep_ms), so retry waits of minutes cost a
 * test nothing.
 */
#ifndef TT_HTTP_H
#define TT_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

#define HTTP_DEFAULT_USER_AGENT \
	"tokentrend/" TT_VERSION " (LLM API price tracker; daily fetch of public pricing pages)"

/* The product token matched against robots.txt User-agent lines. */
#define HTTP_ROBOTS_TOKEN "tokentrend"

/* Per-request options.  A zero field means "the default" given beside it. */
struct http_opts {
	const char *user_agent;  /* NULL: HTTP_DEFAULT_USER_AGENT */
	long connect_timeout_ms; /* 0: 10000 */
	long total_timeout_ms;   /* 0: 120000 */
	long low_speed_limit;    /* bytes/s; 0: 1 */
	long low_speed_time_s;   /* 0: 30 */
	long max_redirects;      /* 0: 5 */
	size_t max_body;         /* bytes after decoding; 0: 32 MiB */
	int retries;             /* extra attempts on retryable failures; -1: none, 0: 2 */
	long retry_base_ms;      /* first backoff, doubled per attempt; 0: 1000 */
	long retry_after_cap_s;  /* largest Retry-After honoured; 0: 300 */
};

struct http_response {
	long status;              /* final HTTP status, 0 when none */
	struct buf body;          /* decoded body; owned */
	char *effective_url;      /* after redirects; owned */
	char *content_type;       /* or NULL; owned */
	char *content_encoding;   /* Content-Encoding of the final response, or NULL; owned */
	char *etag;               /* ETag of the final response, or NULL; owned */
	char *last_modified;      /* Last-Modified of the final response, or NULL; owned */
	long redirects;           /* number followed */
	int attempts;             /* requests made */
	long retry_after_s;       /* Retry-After of the last response, -1 when absent */
	int challenge;            /* 1 when a bot challenge was recognised */
	int not_modified;         /* 1 for a 304 answer to a conditional request */
	int robots_disallowed;    /* 1 when robots.txt forbade the URL (nothing fetched) */
	int robots_unreachable;   /* 1 when robots.txt could not be read (5xx/network: RFC 9309) */
	int stopped;              /* 1 when the batch was stopped before this finished */
	int curl_code;            /* last CURLcode, 0 when none */
};

/* Initialise / release a response (release frees everything it owns). */
void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/* One request of a batch. */
struct http_request {
	/* in (borrowed; they must outlive http_get_many) */
	const char *url;
	const struct http_opts *opts; /* NULL: defaults */
	const char *etag;             /* sent as If-None-Match, or NULL */
	const char *last_modified;    /* sent as If-Modified-Since, or NULL */
	void *user;                   /* the caller's, for on_done */
	/* out */
	int rc;                       /* 0, or the TT_E* code of the failure */
	struct http_response resp;
	struct tt_error err;
	/* private to http.c */
	struct http_xfer *x;
};

/* Set up req for url (opts may be NULL); release frees the response. */
void http_request_init(struct http_request *req, const char *url, const struct http_opts *opts);
void http_request_release(struct http_request *req);

struct http_batch_opts {
	int parallel;                 /* transfers at once; 0: 4 */
	int per_host;                 /* transfers at once to one host; 0: 1 */
	int robots;                   /* 1: fetch robots.txt once per host and obey it */
	const struct http_opts *robots_opts; /* timeouts for robots.txt; NULL: defaults, no retries */
	/* Called once per request as soon as it is finished (success or not),
	 * from inside http_get_many; may use the database. */
	void (*on_done)(struct http_request *req, void *ud);
	void *ud;
	/* When *stop becomes non-zero (a signal handler), nothing new is
	 * started; unstarted requests finish with TT_EFAIL "stopped". */
	volatile sig_atomic_t *stop;
};

/*
 * Run a batch of GETs.  Each request ends with req->rc:
 *   0            a 2xx body in resp.body, or a 304 (resp.not_modified);
 *   TT_EBLOCKED  a bot challenge (resp.challenge), a 429 whose Retry-After
 *                is over the cap ("rate limited"), or a URL robots.txt
 *                disallows or whose robots.txt was unreachable
 *                (a 5xx answer: resp.robots_disallowed / robots_unreachable);
 *   TT_ENET      transport errors (for robots.txt too: a host that does not
 *                answer at all), timeouts, other statuses, a body that
 *                cannot be decoded (the message names the URL, the redirect
 *                origin and the status or curl error);
 *   TT_ENOMEM    the body exceeds max_body (nothing kept);
 *   TT_EFAIL     stopped before it started.
 * and req->err says why.  bo may be NULL (parallel 4, per host 1, no
 * robots.txt).  Returns 0 when the batch ran (whatever each request's
 * outcome), TT_ENOMEM / TT_EFAIL when libcurl could not be set up.
 */
int http_get_many(struct http_request *reqs, size_t n, const struct http_batch_opts *bo,
		  struct tt_error *err);

/*
 * GET url into *resp: a batch of one without robots.txt.  Returns req.rc
 * as above.  opts may be NULL for the defaults.
 */
int http_get(const char *url, const struct http_opts *opts, struct http_response *resp,
	     struct tt_error *err);

/*
 * POST body (content_type, e.g. "application/json") to url, one attempt
 * plus one retry on a network error or 5xx.  The URL is treated as a
 * secret: messages name it only as `label` ("webhook"), never the URL or
 * its host.  *status receives the HTTP status (0 when none).  Returns 0
 * for 2xx, else TT_ENET.
 */
int http_post(const char *url, const char *label, const char *content_type, const char *body,
	      size_t len, const struct http_opts *opts, long *status, struct tt_error *err);

/* 1 when the status/headers/body look like a bot-challenge interstitial. */
int http_is_challenge(long status, const char *body, size_t len, int cf_mitigated);

/*
 * robots.txt (RFC 9309): 1 when `path` (path and query of a URL, starting
 * with '/') may be fetched by a crawler whose product token is `token`
 * under the rules in txt[0..len), else 0.  The groups naming the token
 * (case-insensitively) apply, else the '*' groups, else everything is
 * allowed; the longest matching Allow/Disallow pattern wins, Allow on a
 * tie; '*' and a final '$' are understood.  txt NULL allows everything.
 */
int http_robots_allowed(const char *txt, size_t len, const char *token, const char *path);

/* The encodings this libcurl decodes, e.g. "gzip, deflate, br, zstd". */
const char *http_supported_encodings(void);

/* Milliseconds on a monotonic clock, and the sleep used between retries.
 * Tests replace both (a virtual clock that the fake sleep advances). */
extern long long (*http_now_ms)(void);
extern void (*http_sleep_ms)(long ms);

#endif /* TT_HTTP_H */
