/*
 * scrape_reparse.c - `reparse`: today's extractors over stored snapshots,
 * one transaction per (source, day), so that a fixed extractor repairs
 * history (see scrape_reparse in scrape.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/scrape.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"

struct day {
	char *source;
	char date[11];
	char sha[65];
	char *origin;
	long http_status;
};

static void days_free(struct day *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].source);
		free(d[i].origin);
	}
	free(d);
}

/* The latest outcome with a snapshot of each (source, day) in range. */
static int list_days(struct store *st, const struct scrape_reparse_opts *o, struct day **out,
		     size_t *nout, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	struct day *v = NULL;
	size_t n = 0, a = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	rc = sqlite3_prepare_v2(db,
				"SELECT r.source, r.obs_date, r.snapshot, r.origin, r.http_status FROM run_source r"
				" WHERE r.snapshot IS NOT NULL AND (?1 IS NULL OR r.source = ?1)"
				" AND (?2 IS NULL OR r.obs_date >= ?2) AND (?3 IS NULL OR r.obs_date <= ?3)"
				" AND r.id = (SELECT max(q.id) FROM run_source q WHERE q.source = r.source"
				"             AND q.obs_date = r.obs_date AND q.snapshot IS NOT NULL)"
				" ORDER BY r.obs_date, r.source", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return tt_set_error(err, TT_EDB, "list snapshots: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, o->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, o->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, o->until, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *origin = sqlite3_column_text(s, 3);
		struct day *d;
		if (n == a) {
			size_t na = a ? a * 2 : 64;
			struct day *nv = realloc(v, na * sizeof(*nv));
			if (!nv) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
			a = na;
		}
		d = &v[n++];
		memset(d, 0, sizeof(*d));
		d->source = strdup((const char *)sqlite3_column_text(s, 0));
		snprintf(d->date, sizeof(d->date), "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(d->sha, sizeof(d->sha), "%s", (const char *)sqlite3_column_text(s, 2));
		d->origin = strdup(origin ? (const char *)origin : "snapshot");
		d->http_status = (long)sqlite3_column_int64(s, 4);
		if (!d->source || !d->origin) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = rc == SQLITE_NOMEM ? tt_set_error(err, TT_ENOMEM, "out of memory")
			: tt_set_error(err, TT_EDB, "list snapshots: %s", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		days_free(v, n);
		return rc;
	}
	sqlite3_finalize(s);
	*out = v;
	*nout = n;
	return 0;
}

int scrape_reparse(struct store *st, const struct scrape_reparse_opts *o, int64_t *run_id,
		   size_t *ndays, size_t *failed, struct tt_error *err)
{
	struct day *days = NULL;
	size_t n = 0, i, ok = 0;
	char ts[21];
	int rc;

	*ndays = 0;
	*failed = 0;
	*run_id = 0;
	rc = list_days(st, o, &days, &n, err);
	if (rc < 0)
		return rc;
	rc = store_run_begin(st, "reparse", clock_timestamp(ts), run_id, err);
	if (rc < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const struct source_def *src = catalog_find(days[i].source);
		struct scrape_result res;
		struct tt_error e = { 0 };
		char *body = NULL;
		size_t len = 0;
		int r;

		if (!src || !src->extract)
			continue; /* imported sources have no extractor to re-run */
		(*ndays)++;
		scrape_result_init(&res);
		res.source = src->id;
		snprintf(res.date, sizeof(res.date), "%s", days[i].date);
		r = store_snapshot_get(st, days[i].sha, &body, &len, &e);
		if (r < 0) {
			res.rc = r;
			snprintf(res.error, sizeof(res.error), "%s", e.msg);
		} else {
			r = scrape_body_reparse(st, *run_id, src, days[i].date, days[i].origin,
						days[i].http_status, body, len, &res);
		}
		free(body);
		if (r == 0)
			ok++;
		else
			(*failed)++;
		if (o->on_result)
			o->on_result(&res, o->ud);
		scrape_result_release(&res);
		if (r == TT_EDB || r == TT_EBUSY) {
			rc = r;
			tt_set_error(err, r, "%s %s: %s", src->id, days[i].date, res.error);
			break;
		}
	}
	store_run_finish(st, *run_id, clock_timestamp(ts),
			 *failed == 0 ? "ok" : ok ? "partial" : "failed", NULL);
out:
	days_free(days, n);
	return rc;
}
