/*
 * http.c - libcurl GET with timeouts, redirects, compression, a size cap,
 * bounded retries and bot-challenge recognition (see http.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/http.h"

#include <curl/curl.h>

#include "tokentrend/log.h"

static void real_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void (*http_sleep_ms)(long ms) = real_sleep_ms;

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
}

struct fetch_state {
	struct buf *body;
	int toobig;
	int cf_mitigated;
	long retry_after_s;
};

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

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct fetch_state *fs = ud;
	size_t n = size * nmemb;

	if (n > 13 && !strncasecmp(ptr, "cf-mitigated:", 13))
		fs->cf_mitigated = 1;
	if (n > 12 && !strncasecmp(ptr, "retry-after:", 12)) {
		char tmp[32];
		char *end;
		long v;
		size_t k = n - 12 < sizeof(tmp) - 1 ? n - 12 : sizeof(tmp) - 1;
		memcpy(tmp, ptr + 12, k);
		tmp[k] = '\0';
		errno = 0;
		v = strtol(tmp, &end, 10);
		/* Only the delta-seconds form; an HTTP-date counts as "long". */
		if (end != tmp && errno == 0 && v >= 0)
			fs->retry_after_s = v;
		else
			fs->retry_after_s = LONG_MAX;
	}
	/* A new response (after a redirect or 100-continue) resets per-response flags. */
	if (n >= 5 && !strncmp(ptr, "HTTP/", 5)) {
		fs->cf_mitigated = 0;
		fs->retry_after_s = -1;
	}
	return n;
}

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

static long opt_or(long v, long dflt)
{
	return v > 0 ? v : dflt;
}

int http_get(const char *url, const struct http_opts *opts, struct http_response *resp,
	     struct tt_error *err)
{
	static const struct http_opts defaults;
	const struct http_opts *o = opts ? opts : &defaults;
	CURL *c = NULL;
	char errbuf[CURL_ERROR_SIZE];
	int attempt, max_attempts, rc = TT_ENET;
	long backoff = opt_or(o->retry_base_ms, 1000);
	long cap_s = opt_or(o->retry_after_cap_s, 300);

	max_attempts = 1 + (o->retries < 0 ? 0 : (o->retries == 0 ? 2 : o->retries));
	c = curl_easy_init();
	if (!c)
		return tt_set_error(err, TT_ENOMEM, "%s: cannot create a libcurl handle", url);

	for (attempt = 1; attempt <= max_attempts; attempt++) {
		struct fetch_state fs = { &resp->body, 0, 0, -1 };
		CURLcode cc;
		char *eff = NULL, *ct = NULL;
		int retryable = 0;
		long wait_ms = backoff;

		buf_release(&resp->body);
		buf_init(&resp->body, o->max_body ? o->max_body : (size_t)32 << 20);
		errbuf[0] = '\0';
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, url);
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
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &fs);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &fs);
		if (o->max_body)
			curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);

		resp->attempts = attempt;
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
		curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &resp->redirects);
		curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		free(resp->effective_url);
		resp->effective_url = eff ? strdup(eff) : NULL;
		free(resp->content_type);
		resp->content_type = ct ? strdup(ct) : NULL;
		resp->retry_after_s = fs.retry_after_s;

		if (fs.toobig) {
			rc = tt_set_error(err, TT_ENOMEM, "%s: body larger than the %zu-byte cap", url,
					  resp->body.cap);
			goto out;
		}
		if (cc != CURLE_OK) {
			rc = tt_set_error(err, TT_ENET, "%s: %s (curl error %d: %s); partial body of %zu bytes discarded",
					  url, curl_easy_strerror(cc), (int)cc, errbuf[0] ? errbuf : "-",
					  resp->body.len);
			buf_reset(&resp->body);
			retryable = cc != CURLE_TOO_MANY_REDIRECTS && cc != CURLE_UNSUPPORTED_PROTOCOL &&
				    cc != CURLE_URL_MALFORMAT && cc != CURLE_BAD_CONTENT_ENCODING &&
				    cc != CURLE_FILESIZE_EXCEEDED;
			if (cc == CURLE_FILESIZE_EXCEEDED)
				rc = tt_set_error(err, TT_ENOMEM, "%s: body larger than the %zu-byte cap", url,
						  o->max_body);
		} else if (http_is_challenge(resp->status, resp->body.buf, resp->body.len, fs.cf_mitigated)) {
			resp->challenge = 1;
			rc = tt_set_error(err, TT_EBLOCKED, "%s: blocked (bot challenge), HTTP %ld", url,
					  resp->status);
			goto out; /* never loop on a challenge */
		} else if (resp->status == 429) {
			if (fs.retry_after_s > cap_s) {
				rc = tt_set_error(err, TT_EBLOCKED,
						  "%s: rate limited (HTTP 429, Retry-After %lds above the %lds cap); giving up for today",
						  url, fs.retry_after_s, cap_s);
				goto out;
			}
			rc = tt_set_error(err, TT_ENET, "%s: rate limited (HTTP 429)", url);
			retryable = 1;
			if (fs.retry_after_s >= 0)
				wait_ms = fs.retry_after_s * 1000;
		} else if (resp->status >= 500) {
			rc = tt_set_error(err, TT_ENET, "%s: HTTP %ld", url, resp->status);
			retryable = 1;
			if (fs.retry_after_s >= 0 && fs.retry_after_s <= cap_s)
				wait_ms = fs.retry_after_s * 1000;
		} else if (resp->status < 200 || resp->status > 299) {
			rc = tt_set_error(err, TT_ENET, "%s: HTTP %ld%s%s", url, resp->status,
					  resp->redirects ? " at " : "",
					  resp->redirects && resp->effective_url ? resp->effective_url : "");
			goto out;
		} else {
			rc = 0;
			goto out;
		}
		if (!retryable || attempt == max_attempts)
			goto out;
		LOG(LOG_INFO, "%s: attempt %d failed (%s); retrying in %ld ms", url, attempt,
		    err ? err->msg : "", wait_ms);
		/* Exponential backoff with jitter (0-25%). */
		http_sleep_ms(wait_ms + (wait_ms / 4) * (rand() % 100) / 100);
		backoff *= 2;
	}
out:
	curl_easy_cleanup(c);
	return rc;
}
