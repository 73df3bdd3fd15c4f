/*
 * scrape.c - one source end to end (see scrape.h): snapshot the body, run
 * its extractor, validate, store in one transaction, record the outcome.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/scrape.h"

#include "tokentrend/backfill.h"
#include "tokentrend/clock.h"
#include "tokentrend/log.h"
#include "tokentrend/validate.h"

void scrape_result_init(struct scrape_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->notes, 0);
	r->status = "failed";
}

void scrape_result_release(struct scrape_result *r)
{
	if (r)
		buf_release(&r->notes);
}

static int record_outcome(struct store *st, int64_t run_id, const struct source_def *src,
			  const char *date, const char *origin, long http_status, size_t bytes,
			  const char *sha, struct scrape_result *res)
{
	struct store_source_outcome o = { 0 };
	struct tt_error err = { 0 };
	int rc;

	o.source = src->id;
	o.obs_date = date;
	o.status = res->status;
	o.http_status = (int)http_status;
	o.bytes = bytes;
	o.models = res->models;
	o.prices = res->prices;
	o.origin = origin;
	o.error = res->rc ? res->error : NULL;
	o.snapshot = sha;
	rc = store_source_outcome(st, run_id, &o, &err);
	if (rc < 0)
		LOG(LOG_ERROR, "cannot record the outcome of %s: %s", src->id, err.msg);
	return rc;
}

static void fail(struct scrape_result *res, int rc, const char *status, const struct tt_error *err)
{
	res->rc = rc;
	res->status = status;
	snprintf(res->error, sizeof(res->error), "%s", err->msg[0] ? err->msg : tt_strerror(rc));
}

int scrape_body(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *origin, long http_status, const char *body, size_t len,
		struct scrape_result *res)
{
	struct price_list prices = PRICE_LIST_INIT;
	struct validate_report rep;
	struct store_observe_stats stats = { 0 };
	struct extract_ctx ctx = { src->id, date, origin, NULL };
	struct tt_error err = { 0 };
	char sha[65] = "";
	const char *sha_p = NULL;
	int rc;

	validate_report_init(&rep);
	res->source = src->id;
	snprintf(res->date, sizeof(res->date), "%s", date);
	if (!src->extract) {
		rc = tt_set_error(&err, TT_EINVAL, "%s: this source is imported, not scraped", src->id);
		fail(res, rc, "failed", &err);
		goto out;
	}
	/* Keep the raw body first, so that a fixed extractor can re-parse it. */
	rc = store_snapshot_put(st, body, len, sha, &err);
	if (rc < 0) {
		fail(res, rc, "failed", &err);
		goto out;
	}
	sha_p = sha;
	rc = src->extract(body, len, &ctx, &prices, &err);
	if (rc < 0) {
		if (err.code == 0)
			tt_set_error(&err, rc, "%s: extraction failed", origin);
		fail(res, rc, "failed", &err);
		goto out;
	}
	rc = validate_prices(src, &prices, &rep, &err);
	res->rejected = rep.rejected;
	buf_add(&res->notes, rep.notes.buf, rep.notes.len);
	if (rc < 0) {
		fail(res, rc, "failed", &err);
		goto out;
	}
	/* backfill_observe: store_observe, honouring dates a dated history
	 * (llm-prices' price periods) puts on its prices. */
	rc = backfill_observe(st, run_id, src->id, date, &prices, origin, &stats, &err);
	if (rc < 0) {
		fail(res, rc, "failed", &err);
		goto out;
	}
	res->rc = 0;
	res->status = "ok";
	res->prices = prices.n;
	res->models = rep.models;
	res->changes = stats.changes;
	rc = 0;
out:
	if (record_outcome(st, run_id, src, date, origin, http_status, len, sha_p, res) < 0 && rc == 0)
		rc = TT_EDB;
	price_list_release(&prices);
	validate_report_release(&rep);
	return rc;
}

int scrape_fetch(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		 const struct http_opts *opts, struct scrape_result *res)
{
	struct http_response resp;
	struct tt_error err = { 0 };
	int rc;

	http_response_init(&resp);
	res->source = src->id;
	snprintf(res->date, sizeof(res->date), "%s", date);
	rc = http_get(src->url, opts, &resp, &err);
	if (rc < 0) {
		const char *status = "failed";
		if (rc == TT_EBLOCKED)
			status = resp.challenge ? "blocked" : "rate limited";
		fail(res, rc, status, &err);
		if (record_outcome(st, run_id, src, date, src->url, resp.status, 0, NULL, res) < 0)
			rc = TT_EDB;
		goto out;
	}
	{
		/* Say where a redirect led, so "no price table" names the real page. */
		char origin[2048];
		if (resp.redirects && resp.effective_url)
			snprintf(origin, sizeof(origin), "%s (redirected from %s)", resp.effective_url, src->url);
		else
			snprintf(origin, sizeof(origin), "%s", src->url);
		rc = scrape_body(st, run_id, src, date, origin, resp.status, resp.body.buf, resp.body.len, res);
	}
out:
	http_response_release(&resp);
	return rc;
}

int scrape_parse_capture_name(const char *path, char *source, size_t source_len, char date[11])
{
	const char *base = strrchr(path, '/');
	const char *dash, *dot;
	const struct source_def *src;
	char tmp[11];
	size_t n;

	base = base ? base + 1 : path;
	dash = strchr(base, '-');
	dot = strrchr(base, '.');
	if (!dash || dash == base)
		return TT_EINVAL;
	n = (size_t)(dash - base);
	snprintf(source, source_len, "%.*s", (int)n, base);
	if (!dot || dot < dash)
		dot = base + strlen(base);
	/* The date is the last ten characters before the extension. */
	if (dot - base < (ptrdiff_t)(n + 1 + 10))
		return TT_EINVAL;
	memcpy(tmp, dot - 10, 10);
	tmp[10] = '\0';
	if (!date_valid(tmp) || (dot - 10 != dash + 1 && dot[-11] != '-'))
		return TT_EINVAL;
	memcpy(date, tmp, 11);
	src = catalog_find(source);
	if (!src || !src->extract)
		return TT_ENOTFOUND;
	return 0;
}
