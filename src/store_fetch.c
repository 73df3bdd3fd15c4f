/*
 * store_fetch.c - the parts of the store that live fetching adds (see the
 * "fetching for real" block of store.h): the validators kept for
 * conditional requests, and the snapshot retention rule.  Plain SQL over
 * store_db(); the interval derivation stays in store.c.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/store.h"

#include <sqlite3.h>

static int fail(sqlite3 *db, struct tt_error *err, const char *what)
{
	int rc = sqlite3_errcode(db) & 0xff;

	return tt_set_error(err, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? TT_EBUSY : TT_EDB,
			    "%s: %s", what, sqlite3_errmsg(db));
}

static char *dup_col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? strdup((const char *)t) : NULL;
}

int store_http_get(struct store *st, const char *source, const char *url, char **etag,
		   char **last_modified, char sha_hex[65], struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int rc;

	*etag = NULL;
	*last_modified = NULL;
	sha_hex[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT h.etag, h.last_modified, h.snapshot FROM source_http h"
			       " JOIN snapshot s ON s.sha256 = h.snapshot WHERE h.source=?1 AND h.url=?2",
			       -1, &s, NULL) != SQLITE_OK)
		return fail(db, err, "read validators");
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*etag = dup_col(s, 0);
		*last_modified = dup_col(s, 1);
		snprintf(sha_hex, 65, "%s", (const char *)sqlite3_column_text(s, 2));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = TT_ENOTFOUND;
	} else {
		rc = fail(db, err, "read validators");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_http_put(struct store *st, const char *source, const char *url, const char *etag,
		   const char *last_modified, const char *sha_hex, const char *ts,
		   struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int rc;

	if (!etag && !last_modified) {
		rc = sqlite3_prepare_v2(db, "DELETE FROM source_http WHERE source=?1", -1, &s, NULL);
		if (rc == SQLITE_OK)
			sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	} else {
		rc = sqlite3_prepare_v2(db, "INSERT INTO source_http(source,url,etag,last_modified,snapshot,updated)"
					" VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(source) DO UPDATE SET url=?2,"
					" etag=?3, last_modified=?4, snapshot=?5, updated=?6", -1, &s, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, etag, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, last_modified, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, sha_hex, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 6, ts, -1, SQLITE_STATIC);
		}
	}
	if (rc != SQLITE_OK)
		return fail(db, err, "keep validators");
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(db, err, "keep validators");
	sqlite3_finalize(s);
	return rc;
}

int store_snapshot_stats(struct store *st, struct store_snapshot_stats *stats, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (sqlite3_prepare_v2(db, "SELECT count(*), total(size), total(length(body)) FROM snapshot", -1,
			       &s, NULL) != SQLITE_OK)
		return fail(db, err, "measure snapshots");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		stats->count = (size_t)sqlite3_column_int64(s, 0);
		stats->raw_bytes = sqlite3_column_int64(s, 1);
		stats->stored_bytes = sqlite3_column_int64(s, 2);
		rc = 0;
	} else {
		rc = fail(db, err, "measure snapshots");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The rule of store.h, as one query: every snapshot some reason keeps. */
static const char prune_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS tt_doomed(sha256 TEXT PRIMARY KEY);"
	"DELETE FROM tt_doomed;"
	"INSERT INTO tt_doomed SELECT sha256 FROM snapshot WHERE sha256 NOT IN ("
	"  SELECT r.snapshot FROM run_source r WHERE r.snapshot IS NOT NULL AND ("
	"    r.obs_date >= date(:today, '-' || :days || ' days')"
	"    OR r.status NOT IN ('ok', 'unchanged')"
	"    OR EXISTS (SELECT 1 FROM change_event e WHERE e.source = r.source AND e.seen = r.obs_date)"
	"    OR r.obs_date = (SELECT min(f.obs_date) FROM run_source f WHERE f.source = r.source"
	"                     AND f.snapshot IS NOT NULL"
	"                     AND substr(f.obs_date, 1, 7) = substr(r.obs_date, 1, 7)))"
	"  UNION SELECT snapshot FROM source_http);";

int store_snapshot_prune(struct store *st, const char *today, int keep_days,
			 struct store_snapshot_stats *stats, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	struct store_snapshot_stats before, after;
	const char *tail;
	int rc, in_tx = 0;

	if (keep_days <= 0)
		return stats ? store_snapshot_stats(st, stats, err) : 0;
	rc = store_snapshot_stats(st, &before, err);
	if (rc < 0)
		return rc;
	rc = store_begin(st, err);
	if (rc < 0)
		return rc;
	in_tx = 1;
	/* Three statements; the third takes the parameters. */
	tail = prune_sql;
	while (*tail) {
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &s, &next) != SQLITE_OK) {
			rc = fail(db, err, "prune snapshots");
			goto out;
		}
		if (!s)
			break;
		if (sqlite3_bind_parameter_count(s) > 0) {
			sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":today"), today, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":days"), keep_days);
		}
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = fail(db, err, "prune snapshots");
			goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
		tail = next;
	}
	if (sqlite3_exec(db, "UPDATE run_source SET snapshot = NULL WHERE snapshot IN (SELECT sha256 FROM tt_doomed);"
			 "DELETE FROM snapshot WHERE sha256 IN (SELECT sha256 FROM tt_doomed);"
			 "DELETE FROM tt_doomed;", NULL, NULL, NULL) != SQLITE_OK) {
		rc = fail(db, err, "prune snapshots");
		goto out;
	}
	rc = store_commit(st, err);
	in_tx = 0;
	if (rc < 0)
		goto out;
	rc = store_snapshot_stats(st, &after, err);
	if (rc == 0 && stats) {
		*stats = after;
		stats->pruned = before.count - after.count;
		stats->pruned_bytes = before.stored_bytes - after.stored_bytes;
	}
out:
	sqlite3_finalize(s);
	if (in_tx)
		store_rollback(st);
	return rc;
}
