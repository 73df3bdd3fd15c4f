/*
 * scrape.c - one source end to end (see scrape.h): snapshot the body, run
 * its extractor, validate, store in one transaction, record the outcome.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/scrape.h"

#include "tokentrend/azure.h"
#include "tokentrend/backfill.h"
#include "tokentrend/clock.h"
#include "tokentrend/log.h"
#include "tokentrend/review.h"
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
			  const char *sha, struct scrape_result *res, struct tt_error *err)
{
	struct store_source_outcome o = { 0 };

	o.source = src->id;
	o.obs_date = date;
	o.status = res->status;
	o.http_status = (int)http_status;
	o.bytes = bytes;
	o.models = res->models;
	o.prices = res->prices;
	o.origin = origin;
	o.error = res->rc ? res->error : NULL;
	o.snapshot = sha && *sha ? sha : NULL;
	return store_source_outcome(st, run_id, &o, err);
}

/* validate_prev_fn: the value the source has in force for p's key on the
 * date, from the sorted list store_values_as_of() gave. */
static int lookup_prev(void *ctx, const struct price *p, int64_t *nanos)
{
	const struct price_list *stored = ctx;
	const struct price *hit;

	if (stored->n == 0)
		return 0;
	hit = bsearch(p, stored->v, stored->n, sizeof(*stored->v), price_key_cmp);
	if (!hit)
		return 0;
	*nanos = hit->nanos;
	return 1;
}

static void fail(struct scrape_result *res, int rc, const char *status, const struct tt_error *err)
{
	res->rc = rc;
	res->status = status;
	snprintf(res->error, sizeof(res->error), "%s", err->msg[0] ? err->msg : tt_strerror(rc));
}

/* How a body is to be stored, beyond scrape_body's arguments. */
struct body_meta {
	const char *url;           /* live: keep these validators for url, else NULL */
	const char *etag;
	const char *last_modified;
	const char *ok_status;     /* "ok", or "unchanged" for a 304 */
	int forget;                /* reparse: forget keys the extractor no longer reads */
	int missed;                /* runs absent before a model is removed; 0: 3 */
};

/*
 * The one transaction of a source: snapshot, prices (a savepoint, rolled
 * back alone when they fail), removals, validators, outcome.  A failure to
 * commit rolls everything back and is the result.
 */
static int process(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		   const char *origin, long http_status, const char *body, size_t len,
		   const struct body_meta *meta, struct scrape_result *res)
{
	struct price_list prices = PRICE_LIST_INIT, stored = PRICE_LIST_INIT;
	struct validate_report rep;
	struct store_observe_stats stats = { 0 };
	struct review_route_stats rs = { 0 };
	struct extract_ctx ctx = { src->id, date, origin, NULL };
	struct tt_error err = { 0 }, derr = { 0 };
	char sha[65] = "", ts[21];
	int rc = 0, drc = 0;

	validate_report_init(&rep);
	res->source = src->id;
	res->http_status = http_status;
	snprintf(res->date, sizeof(res->date), "%s", date);
	if (!src->extract) {
		rc = tt_set_error(&err, TT_EINVAL, "%s: this source is imported, not scraped", src->id);
		fail(res, rc, "failed", &err);
		drc = record_outcome(st, run_id, src, date, origin, http_status, len, NULL, res, &derr);
		goto out;
	}
	drc = store_begin(st, &derr);
	if (drc < 0) {
		fail(res, drc, "failed", &derr);
		rc = drc;
		goto out;
	}
	/* Keep the raw body first, so that a fixed extractor can re-parse it. */
	drc = store_snapshot_put(st, body, len, sha, &derr);
	if (drc < 0)
		goto rollback;
	snprintf(res->snapshot, sizeof(res->snapshot), "%s", sha);
	rc = src->extract(body, len, &ctx, &prices, &err);
	if (rc < 0) {
		if (err.code == 0)
			tt_set_error(&err, rc, "%s: extraction failed", origin);
		fail(res, rc, "failed", &err);
	} else {
		/* What the store knows at the capture's own date: the last good run
		 * before it and the values in force on it (an old capture replayed
		 * late is judged against its own time). */
		rc = store_last_good_run(st, src->id, date, &rep.last_good_models, rep.last_good_date,
					 &err);
		/* Jumps are judged against the values in force the day before:
		 * a second observation of the same day (a replay, a reparse that
		 * repairs the day) is not compared with what it replaces. */
		if (rc >= 0) {
			int64_t d = 0;
			char before[11];
			date_parse(date, &d);
			rc = store_values_as_of(st, src->id, date_format(d - 1, before), &stored, &err);
		}
		if (rc >= 0) {
			rep.prev = lookup_prev;
			rep.prev_ctx = &stored;
			rc = validate_prices(src, &prices, &rep, &err);
			res->models = rep.models; /* found: recorded even when the source fails closed */
			res->rejected = rep.rejected;
			buf_add(&res->notes, rep.notes.buf, rep.notes.len);
		}
		if (rc < 0)
			fail(res, rc, "failed", &err);
	}
	if (rc >= 0 && meta->forget)
		rc = store_forget_day(st, src->id, date, &prices, &err);
	/* Jumps over 10x wait in the review list instead of being stored. */
	if (rc >= 0)
		rc = review_route(st, run_id, src->id, date, &rep.flagged, rep.flagged_prev, &prices,
				  &res->notes, &rs, &err);
	/* Values refused for breaking a bound were on the page all the same:
	 * recorded so that their keys do not count as absent (removals). */
	if (rc >= 0 && rep.refused.n) {
		rc = store_observe_refused(st, run_id, src->id, date, &rep.refused, &err);
		if (rc > 0)
			rc = 0;
	}
	/* backfill_observe: store_observe, honouring dates a dated history
	 * (llm-prices' price periods) puts on its prices. */
	if (rc >= 0 && prices.n)
		rc = backfill_observe(st, run_id, src->id, date, &prices, origin, &stats, &err);
	if (rc >= 0) {
		res->flagged = rs.flagged + rs.pending + rs.rejected;
		res->rc = 0;
		res->status = meta->ok_status ? meta->ok_status : "ok";
		res->prices = prices.n;
		res->models = rep.models;
		res->changes = stats.changes;
		/* the outcome must count as a successful run before removals are judged */
		drc = record_outcome(st, run_id, src, date, origin, http_status, len, sha, res, &derr);
		if (drc < 0)
			goto rollback;
		rc = store_mark_removed(st, src->id, date, meta->missed, &err);
		if (rc > 0)
			res->removed = (size_t)rc;
		if (rc < 0) {
			if (rc == TT_EBUSY || rc == TT_EDB) {
				drc = rc;
				derr = err;
				goto rollback;
			}
			LOG(LOG_WARN, "%s: cannot mark removed models: %s", src->id, err.msg);
		}
		rc = 0;
	} else {
		if (res->rc == 0)
			fail(res, rc, "failed", &err);
		drc = record_outcome(st, run_id, src, date, origin, http_status, len, sha, res, &derr);
		if (drc < 0)
			goto rollback;
	}
	if (meta->url && (meta->etag || meta->last_modified)) {
		drc = store_http_put(st, src->id, meta->url, meta->etag, meta->last_modified, sha,
				     clock_timestamp(ts), &derr);
		if (drc < 0)
			goto rollback;
	}
	drc = store_commit(st, &derr);
	if (drc == 0)
		goto out;
rollback:
	store_rollback(st);
	/* Nothing of this source is stored: say why, as the result. */
	res->prices = res->models = res->changes = 0;
	fail(res, drc, "failed", &derr);
	rc = drc;
out:
	price_list_release(&prices);
	price_list_release(&stored);
	validate_report_release(&rep);
	if (drc < 0 && rc >= 0)
		rc = drc;
	return rc < 0 ? rc : 0;
}

int scrape_body(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *origin, long http_status, const char *body, size_t len,
		struct scrape_result *res)
{
	struct body_meta meta = { 0 };

	return process(st, run_id, src, date, origin, http_status, body, len, &meta, res);
}

int scrape_body_reparse(struct store *st, int64_t run_id, const struct source_def *src,
			const char *date, const char *origin, long http_status, const char *body,
			size_t len, struct scrape_result *res)
{
	struct body_meta meta = { 0 };

	meta.forget = 1;
	return process(st, run_id, src, date, origin, http_status, body, len, &meta, res);
}

/* Record a fetch that brought no body. */
static int fetch_failed(struct store *st, int64_t run_id, const struct source_def *src,
			const char *date, const char *url, const struct http_request *q,
			struct scrape_result *res)
{
	struct tt_error derr = { 0 };
	const char *status = "failed";

	if (q->rc == TT_EBLOCKED)
		status = q->resp.challenge ? "blocked"
			: q->resp.robots_disallowed || q->resp.robots_unreachable ? "disallowed"
			: "rate limited";
	fail(res, q->rc, status, &q->err);
	res->http_status = q->resp.status;
	if (record_outcome(st, run_id, src, date, url, q->resp.status, 0, NULL, res, &derr) < 0) {
		LOG(LOG_ERROR, "cannot record the outcome of %s: %s", src->id, derr.msg);
		return derr.code ? derr.code : TT_EDB;
	}
	return q->rc;
}

/* One source of a live run. */
struct live_job {
	const struct source_def *src;
	struct http_opts opts;
	const char *url;
	char *etag, *last_modified;  /* sent, from the last answer */
	char sha[65];                /* the snapshot they describe */
	struct scrape_result res;
	int rc;
	int done;
};

struct live_ctx {
	struct store *st;
	int64_t run_id;
	const char *date;
	const struct scrape_run_opts *o;
	int missed;
};

/* Store one fetched source (called by http_get_many as each finishes). */
static void live_done(struct http_request *q, void *ud)
{
	struct live_ctx *c = ud;
	struct live_job *j = q->user;
	struct scrape_result *res = &j->res;
	struct http_response *r = &q->resp;

	j->done = 1;
	res->source = j->src->id;
	snprintf(res->date, sizeof(res->date), "%s", c->date);
	if (r->stopped) {
		res->stopped = 1;
		res->rc = TT_EFAIL;
		res->status = "stopped";
		snprintf(res->error, sizeof(res->error), "%s", q->err.msg);
		j->rc = TT_EFAIL;
	} else if (q->rc < 0) {
		j->rc = fetch_failed(c->st, c->run_id, j->src, c->date, j->url, q, res);
	} else if (r->not_modified) {
		struct body_meta meta = { 0 };
		struct tt_error e = { 0 };
		char *body = NULL;
		size_t len = 0;
		meta.ok_status = "unchanged";
		meta.missed = c->missed;
		j->rc = store_snapshot_get(c->st, j->sha, &body, &len, &e);
		if (j->rc < 0) {
			fail(res, j->rc, "failed", &e);
		} else {
			char origin[2048];
			snprintf(origin, sizeof(origin), "%s (304: unchanged since snapshot %.12s)", j->url, j->sha);
			j->rc = process(c->st, c->run_id, j->src, c->date, origin, r->status, body, len, &meta, res);
		}
		free(body);
	} else {
		/* Say where a redirect led, so "no price table" names the real page. */
		struct body_meta meta = { 0 };
		char origin[2048];
		meta.url = j->url;
		meta.etag = r->etag;
		meta.last_modified = r->last_modified;
		meta.missed = c->missed;
		if (r->redirects && r->effective_url)
			snprintf(origin, sizeof(origin), "%s (redirected from %s)", r->effective_url, j->url);
		else
			snprintf(origin, sizeof(origin), "%s", j->url);
		j->rc = process(c->st, c->run_id, j->src, c->date, origin, r->status, r->body.buf,
				r->body.len, &meta, res);
	}
	/* The body is stored or refused: free it now, not at the end of the batch. */
	buf_release(&r->body);
	if (c->o && c->o->on_result)
		c->o->on_result(res, c->o->ud);
}

typedef int (*page_fetch_fn)(const char *url, const struct http_opts *opts,
			     struct http_response *resp, struct tt_error *err);

/*
 * Sources whose feed is paginated are fetched page by page into the array
 * of pages that their extractor (and a replayed capture) reads, outside the
 * parallel batch.  NULL for an ordinary one-body source.
 */
static page_fetch_fn paginated_fetch(const struct source_def *src)
{
	if (src->extract == extract_azure)
		return azure_fetch;
	return NULL;
}

/* Fetch a paginated source and store it as live_done() stores the others. */
static void fetch_pages(struct live_job *j, page_fetch_fn fetch, struct live_ctx *ctx)
{
	struct http_request q;

	http_request_init(&q, j->url, &j->opts);
	q.user = j;
	q.rc = fetch(j->url, &j->opts, &q.resp, &q.err);
	live_done(&q, ctx);
	http_request_release(&q);
}

static int selected(const struct scrape_run_opts *o, const char *id)
{
	size_t i;

	if (!o || !o->only || !o->nonly)
		return 1;
	for (i = 0; i < o->nonly; i++)
		if (!strcmp(o->only[i], id))
			return 1;
	return 0;
}

int scrape_run_live(struct store *st, const char *date, const struct scrape_run_opts *o,
		    struct scrape_run_summary *sum, struct tt_error *err)
{
	struct settings dflt;
	const struct settings *set;
	struct live_job *jobs = NULL;
	struct http_request *reqs = NULL;
	struct http_batch_opts bo = { 0 };
	struct live_ctx ctx = { 0 };
	size_t i, n = 0, npaged = 0;
	char ts[21];
	int rc;

	settings_init(&dflt);
	set = o && o->settings ? o->settings : &dflt;
	memset(sum, 0, sizeof(*sum));
	sum->net_only = 1;
	sum->status = "failed";
	jobs = calloc(catalog_count() + 1, sizeof(*jobs));
	reqs = calloc(catalog_count() + 1, sizeof(*reqs));
	if (!jobs || !reqs) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	rc = store_run_begin(st, "scrape", clock_timestamp(ts), &sum->run_id, err);
	if (rc < 0)
		goto out;
	/* Two passes: the one-body sources (fetched in one parallel batch),
	 * then the paginated feeds, fetched after the batch page by page. */
	for (i = 0; i < 2 * catalog_count(); i++) {
		const struct source_def *src = catalog_at(i % catalog_count());
		struct live_job *j = &jobs[n];
		struct tt_error e = { 0 };

		if (!src->url || !src->extract || !selected(o, src->id))
			continue;
		if ((i < catalog_count()) == !!paginated_fetch(src))
			continue;
		if (paginated_fetch(src))
			npaged++;
		j->src = src;
		scrape_result_init(&j->res);
		settings_source_http(set, src->id, src->url, &j->opts, &j->url);
		if (store_http_get(st, src->id, j->url, &j->etag, &j->last_modified, j->sha, &e) < 0) {
			j->etag = j->last_modified = NULL;
			j->sha[0] = '\0';
		}
		http_request_init(&reqs[n], j->url, &j->opts);
		reqs[n].etag = j->etag;
		reqs[n].last_modified = j->last_modified;
		reqs[n].user = j;
		n++;
	}
	ctx.st = st;
	ctx.run_id = sum->run_id;
	ctx.date = date;
	ctx.o = o;
	ctx.missed = set->missed_runs;
	bo.parallel = set->parallel;
	bo.per_host = set->per_host;
	bo.robots = set->robots;
	bo.robots_opts = &set->http;
	bo.on_done = live_done;
	bo.ud = &ctx;
	bo.stop = o ? o->stop : NULL;
	rc = http_get_many(reqs, n - npaged, &bo, err);
	if (rc < 0)
		goto finish;
	for (i = n - npaged; i < n; i++)
		if (!(o && o->stop && *o->stop))
			fetch_pages(&jobs[i], paginated_fetch(jobs[i].src), &ctx);
	for (i = 0; i < n; i++) {
		struct live_job *j = &jobs[i];
		if (!j->done || j->res.stopped) {
			sum->stopped++;
			continue;
		}
		if (j->rc == 0) {
			sum->ok++;
			if (!strcmp(j->res.status, "unchanged"))
				sum->unchanged++;
			continue;
		}
		sum->failed++;
		if (j->rc != TT_ENET && j->rc != TT_EBLOCKED)
			sum->net_only = 0;
		if (!sum->worst || j->rc == TT_EDB || j->rc == TT_EBUSY)
			sum->worst = j->rc;
	}
	sum->status = sum->failed == 0 && sum->stopped == 0 ? "ok" : sum->ok ? "partial" : "failed";
finish:
	{
		struct tt_error e = { 0 };
		store_run_finish(st, sum->run_id, clock_timestamp(ts), sum->status, &e);
		if (store_snapshot_prune(st, date, set->snapshot_keep_days, &sum->snapshots, &e) < 0)
			LOG(LOG_WARN, "snapshot retention: %s", e.msg);
	}
out:
	for (i = 0; i < n; i++) {
		http_request_release(&reqs[i]);
		free(jobs[i].etag);
		free(jobs[i].last_modified);
		scrape_result_release(&jobs[i].res);
	}
	free(jobs);
	free(reqs);
	return rc;
}

int scrape_fetch(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		 const struct http_opts *opts, struct scrape_result *res)
{
	struct http_request q;
	struct live_job j;
	struct live_ctx ctx = { 0 };
	struct tt_error err = { 0 };
	struct http_batch_opts bo = { 0 };
	int rc;

	memset(&j, 0, sizeof(j));
	j.src = src;
	j.url = src->url;
	scrape_result_init(&j.res);
	http_request_init(&q, src->url, opts);
	q.user = &j;
	ctx.st = st;
	ctx.run_id = run_id;
	ctx.date = date;
	bo.on_done = live_done;
	bo.ud = &ctx;
	if (paginated_fetch(src)) {
		q.rc = paginated_fetch(src)(src->url, opts, &q.resp, &q.err);
		live_done(&q, &ctx);
		rc = 0;
	} else {
		rc = http_get_many(&q, 1, &bo, &err);
	}
	if (rc < 0) {
		fail(res, rc, "failed", &err);
	} else {
		/* hand the result over */
		scrape_result_release(res);
		*res = j.res;
		scrape_result_init(&j.res);
		rc = j.rc;
	}
	scrape_result_release(&j.res);
	http_request_release(&q);
	return rc;
}

int scrape_file(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *path, struct scrape_result *res)
{
	struct buf body = BUF_INIT;
	struct tt_error err = { 0 }, derr = { 0 };
	int rc;

	res->source = src->id;
	snprintf(res->date, sizeof(res->date), "%s", date);
	rc = buf_read_file(&body, path, &err);
	if (rc < 0) {
		fail(res, rc, "failed", &err);
		if (record_outcome(st, run_id, src, date, path, 0, 0, NULL, res, &derr) < 0) {
			LOG(LOG_ERROR, "cannot record the outcome of %s: %s", src->id, derr.msg);
			rc = TT_EDB;
		}
		return rc;
	}
	rc = scrape_body(st, run_id, src, date, path, 0, body.buf, body.len, res);
	buf_release(&body);
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
