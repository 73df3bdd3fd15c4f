/*
 * http.h - fetching pages and feeds with libcurl.
 *
 * One module for every fetch.  Defaults are polite and bounded: an honest
 * User-Agent naming the tool, connect/low-speed/total timeouts, at most 5
 * redirects, every compression the libcurl build supports, a body size
 * cap, and a small number of retries with exponential backoff for network
 * errors, 5xx and 429 (honouring Retry-After up to a cap).  Bot-challenge
 * interstitials (403/503 "Just a moment...", cf-mitigated: challenge) are
 * reported as blocked and never retried in a loop.  Nothing here prints.
 * The caller initialises libcurl once (curl_global_init).
 */
#ifndef TT_HTTP_H
#define TT_HTTP_H

#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

#define HTTP_DEFAULT_USER_AGENT \
	"tokentrend/" TT_VERSION " (LLM API price tracker; daily fetch of public pricing pages)"

struct http_opts {
	const char *user_agent;  /* NULL: HTTP_DEFAULT_USER_AGENT */
	long connect_timeout_ms; /* 0: 10000 */
	long total_timeout_ms;   /* 0: 120000 */
	long low_speed_limit;    /* bytes/s; 0: 1 */
	long low_speed_time_s;   /* 0: 30 */
	long max_redirects;      /* 0: 5 */
	size_t max_body;         /* 0: 32 MiB */
	int retries;             /* extra attempts on retryable failures; -1: none, 0: 2 */
	long retry_base_ms;      /* first backoff; 0: 1000 */
	long retry_after_cap_s;  /* largest Retry-After honoured; 0: 300 */
};

struct http_response {
	long status;              /* final HTTP status, 0 when none */
	struct buf body;          /* decoded body; owned */
	char *effective_url;      /* after redirects; owned */
	char *content_type;       /* or NULL; owned */
	long redirects;           /* number followed */
	int attempts;             /* requests made */
	long retry_after_s;       /* Retry-After of the last response, -1 when absent */
	int challenge;            /* 1 when a bot challenge was recognised */
};

/* Initialise / release a response (release frees everything it owns). */
void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/*
 * GET url into *resp.  Returns 0 for a 2xx response with a body;
 * TT_EBLOCKED for a bot challenge or a 429 whose Retry-After exceeds the
 * cap ("rate limited"); TT_ENET for transport errors, timeouts and other
 * HTTP statuses (the message names the URL, the redirect origin and the
 * status or curl error); TT_ENOMEM when the body exceeds max_body.
 * opts may be NULL for the defaults.
 */
int http_get(const char *url, const struct http_opts *opts, struct http_response *resp,
	     struct tt_error *err);

/* 1 when the status/headers/body look like a bot-challenge interstitial. */
int http_is_challenge(long status, const char *body, size_t len, int cf_mitigated);

/* Sleep hook used between retries; tests replace it to avoid real waits.
 * Receives milliseconds. */
extern void (*http_sleep_ms)(long ms);

#endif /* TT_HTTP_H */
