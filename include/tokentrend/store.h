/*
 * store.h - the SQLite history: migrations, runs, snapshots, observations,
 * price intervals and change events.
 *
 * Prices are kept as observations (source, key, date, value) and as
 * half-open intervals [valid_from, valid_to) derived from them per key and
 * source, so that observations arriving out of date order give the same
 * intervals.  Every opened or closed interval is a change event.  A
 * failed source stores nothing.  Dates are "YYYY-MM-DD" text (UTC).
 *
 * The connection runs in WAL mode with a busy timeout; each write API call
 * is one transaction (BEGIN IMMEDIATE ... COMMIT) that is rolled back whole
 * on any failure, so a killed or failed run never leaves half a source.
 */
#ifndef TT_STORE_H
#define TT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"
#include "tokentrend/price.h"

struct store;
struct sqlite3;
struct sqlite3_stmt;

/*
 * Open (creating when absent) the database at path, set WAL, foreign keys
 * and a busy timeout of busy_ms milliseconds (0: the default, 10000), then
 * apply pending migrations.  path ":memory:" is allowed (tests).  Parent
 * directories are created.  On success *out owns the connection; free it
 * with store_close().  Returns 0, TT_EDB or TT_EBUSY.
 */
int store_open(const char *path, int busy_ms, struct store **out, struct tt_error *err);

/* Close the connection; NULL is a no-op. */
void store_close(struct store *st);

/* The raw connection, for query.c and tests.  Owned by st. */
struct sqlite3 *store_db(struct store *st);

/* Current schema version (PRAGMA user_version) and the latest known. */
int store_schema_version(struct store *st);
int store_schema_latest(void);

/*
 * Start a run: kind is "scrape", "replay" (saved captures), "import" or "reparse"; started is an
 * ISO-8601 UTC timestamp.  *run_id receives the new id.
 */
int store_run_begin(struct store *st, const char *kind, const char *started, int64_t *run_id,
		    struct tt_error *err);

/* Finish a run with an overall status text ("ok", "partial", "failed"). */
int store_run_finish(struct store *st, int64_t run_id, const char *finished, const char *status,
		     struct tt_error *err);

/* The outcome of one source within a run. */
struct store_source_outcome {
	const char *source;    /* catalog id */
	const char *obs_date;  /* observation date YYYY-MM-DD */
	const char *status;    /* "ok", "failed", "blocked", "rate limited", "unchanged" */
	int http_status;       /* 0 when replayed from a file */
	size_t bytes;          /* body size */
	size_t models;         /* distinct models found */
	size_t prices;         /* prices found */
	const char *origin;    /* URL or file path */
	const char *error;     /* reason when not ok, else NULL */
	const char *snapshot;  /* sha256 hex of the stored body, or NULL */
};

/* Record a source outcome for run_id (its own small transaction). */
int store_source_outcome(struct store *st, int64_t run_id, const struct store_source_outcome *o,
			 struct tt_error *err);

/*
 * Keep a raw body, compressed and content-addressed by SHA-256.  An
 * identical body is stored once.  sha_hex receives the 64-hex digest.
 */
int store_snapshot_put(struct store *st, const void *body, size_t len, char sha_hex[65],
		       struct tt_error *err);

/* Read a snapshot back (decompressed).  *body is malloc'd; caller frees. */
int store_snapshot_get(struct store *st, const char *sha_hex, char **body, size_t *len,
		       struct tt_error *err);

/* What store_observe did. */
struct store_observe_stats {
	size_t observed;   /* prices written as observations (new or repeated) */
	size_t repeated;   /* of which the same source/key/date was already there */
	size_t changes;    /* change events created (new, up, down, removed) */
	size_t keys;       /* distinct keys touched */
};

/*
 * Store the prices one source published on obs_date, in one transaction:
 * insert the observations (a repeat of the same source/key/date with the
 * same value is a no-op; with a different value it replaces it), then
 * rebuild the intervals and change events of every touched key of that
 * source from all of its observations.  provenance is free text kept on
 * each observation (file, commit, original key) unless the price carries
 * its own (struct price.origin, which wins); may be NULL.
 * Nothing is written when anything fails.
 *
 * Details of the derivation (DESIGN.md "History model"): consecutive equal
 * values merge into one interval; a new value starts at its `effective`
 * date when given, else at its observation date, and closes the interval
 * before it (valid_to = that start); each opened interval is a change
 * event ("new" for the first or after a removal, else "up"/"down" with the
 * old value), each removal a "removed" event.  run_id <= 0 stores NULL.
 * Fails closed with TT_EINVAL (nothing stored) on a record without
 * provider, model or dimension, a negative price, a bad effective date, or
 * one key listed twice in `prices` with different values: an importer
 * whose file has several rows for a key on one date (price-history.csv
 * does: same-day commits) passes them in separate calls, in file order, so
 * that the last one replaces the others.  Inside store_begin() the call is
 * a savepoint, rolled back alone on failure.  TT_EBUSY when the write lock
 * stayed held past the busy timeout.
 */
int store_observe(struct store *st, int64_t run_id, const char *source, const char *obs_date,
		  const struct price_list *prices, const char *provenance,
		  struct store_observe_stats *stats, struct tt_error *err);

/*
 * After a successful run of source on obs_date: mark keys of that source
 * whose last sighting is older than `missed` successful runs as removed
 * (closing their interval at the first missed run).  Returns the number of
 * keys marked, or a negative code.  missed <= 0 means the default, 3.
 * The successful runs are the distinct obs_dates of run_source rows with
 * status "ok" or "unchanged" for source, plus obs_date itself.  A key is
 * sighted on the page by an observation, and also by a value the source
 * published but that was not stored: a value refused for breaking a bound
 * (store_observe_refused) or held in the review list (review.h,
 * last_seen).  A removal is kept as an observation with NULL nanos (a
 * tombstone) dated at the first missed run, so rebuilds keep it; a later
 * observation of the key opens a "new" interval.
 */
int store_mark_removed(struct store *st, const char *source, const char *obs_date, int missed,
		       struct tt_error *err);

/*
 * Record that a run of source on obs_date found the prices of `refused` on
 * the page but stored none of them, because each breaks a bound
 * (validate.h: negative, or an implausible token price).  Nothing becomes
 * a price, an interval or a change; the keys only count as still on the
 * page for store_mark_removed().  A key that was never stored (no
 * price_key row) is skipped: it has no interval to keep open.  Call it for
 * a successful run only, inside the run's transaction.  A repeat on the
 * same date replaces that date's value.  run_id <= 0 stores NULL.  One
 * transaction (a savepoint inside store_begin()).  Returns the number of
 * keys recorded, or a negative code (TT_EINVAL for a bad source or date).
 */
int store_observe_refused(struct store *st, int64_t run_id, const char *source, const char *obs_date,
			  const struct price_list *refused, struct tt_error *err);

/* Begin (BEGIN IMMEDIATE) / commit / roll back an outer transaction for
 * multi-call writes such as an import; the write calls inside become
 * savepoints.  store_commit rolls back when COMMIT fails. */
int store_begin(struct store *st, struct tt_error *err);
int store_commit(struct store *st, struct tt_error *err);
void store_rollback(struct store *st);

/* ---- source history for validation and `sources show` (store_runs.c) ---- */

/*
 * The last good run of source strictly before date `before` (YYYY-MM-DD):
 * the latest run_source row with status "ok" and obs_date < before (ties:
 * the latest recorded).  A replay of an old capture is so judged against
 * the runs of its own time, not against later ones.  On 1, *models gets
 * that run's model count and date its obs_date (both may be NULL).
 * Returns 1 when found, 0 when the source has no good run before the date,
 * or TT_EDB.
 */
int store_last_good_run(struct store *st, const char *source, const char *before, size_t *models,
			char date[11], struct tt_error *err);

/*
 * The values source has in force on date (valid_from <= date < valid_to,
 * or open): one price per key with nanos and text, appended to *out
 * (strings copied; release with price_list_release) sorted by
 * price_key_cmp, so callers can bsearch them.  Returns the number of
 * prices, TT_EDB or TT_ENOMEM.
 */
int store_values_as_of(struct store *st, const char *source, const char *date,
		       struct price_list *out, struct tt_error *err);

/* One recorded source outcome, as read back. */
struct store_outcome_row {
	int64_t run_id;
	char *run_kind;        /* "scrape", "replay", ... (owned) */
	char *started;         /* the run's start timestamp (owned) */
	char obs_date[11];
	char *status;          /* owned */
	int http_status;
	size_t bytes, models, prices;
	char *origin;          /* owned, or NULL */
	char *error;           /* owned, or NULL */
};

struct store_outcome_rows {
	struct store_outcome_row *v;
	size_t n, alloc;
};

#define STORE_OUTCOME_ROWS_INIT { NULL, 0, 0 }

/*
 * The latest `limit` outcomes of source (newest run first, then newest
 * observation date), appended to *out.  Returns the number appended,
 * TT_EDB or TT_ENOMEM.  Release with store_outcome_rows_release().
 */
int store_source_history(struct store *st, const char *source, size_t limit,
			 struct store_outcome_rows *out, struct tt_error *err);

/* Free every row; the list is left empty.  NULL is a no-op. */
void store_outcome_rows_release(struct store_outcome_rows *r);
/* ---- fetching for real (issue 4): validators, re-parsing, retention ---- */

/*
 * The validators kept for source's last 200 answer from url: *etag and
 * *last_modified are malloc'd (or NULL; caller frees), sha_hex receives the
 * snapshot they describe.  Returns 0, TT_ENOTFOUND when none are kept for
 * that URL (or their snapshot was pruned), TT_EDB.
 */
int store_http_get(struct store *st, const char *source, const char *url, char **etag,
		   char **last_modified, char sha_hex[65], struct tt_error *err);

/*
 * Keep (replace) the validators of source's answer from url describing
 * snapshot sha_hex, at timestamp ts.  Both etag and last_modified NULL
 * forget them.  Returns 0 or TT_EDB.
 */
int store_http_put(struct store *st, const char *source, const char *url, const char *etag,
		   const char *last_modified, const char *sha_hex, const char *ts,
		   struct tt_error *err);

/*
 * Before re-storing what a fixed extractor reads from a stored snapshot:
 * delete source's observations of obs_date whose key is not in keep, and
 * rebuild those keys' intervals and change events; also forget every value
 * refused on obs_date (store_observe_refused: the caller records again
 * what the re-parse refuses).  Removal tombstones stay.  One transaction
 * (a savepoint inside store_begin).  Returns the number of keys whose
 * observation was forgotten, or a negative code.
 */
int store_forget_day(struct store *st, const char *source, const char *obs_date,
		     const struct price_list *keep, struct tt_error *err);

/* What store_snapshot_prune did, and the sizes of the snapshot store. */
struct store_snapshot_stats {
	size_t count;          /* snapshots */
	int64_t raw_bytes;     /* their bodies' sizes */
	int64_t stored_bytes;  /* their compressed sizes */
	size_t pruned;         /* deleted by this prune */
	int64_t pruned_bytes;  /* compressed bytes deleted */
};

/*
 * The retention rule.  Identical bodies are stored once (content
 * addressing).  A snapshot is deleted only when every outcome that used it
 * is older than keep_days before today, all of those outcomes succeeded
 * ("ok" or "unchanged"), none of their days changed a price of that source
 * (a change_event seen that day), none of them is its source's first
 * snapshot of a calendar month, and the validators of no source point at
 * it.  So a fixed extractor can always re-read every failed day, every
 * day that changed something and one day a month; recent days are all
 * kept.  The outcomes keep their row with snapshot NULL.  keep_days <= 0
 * keeps everything.  stats (may be NULL) gets the counts after pruning.
 * One transaction.  Returns 0 or a negative code.
 */
int store_snapshot_prune(struct store *st, const char *today, int keep_days,
			 struct store_snapshot_stats *stats, struct tt_error *err);

/* Sizes of the snapshot store into *stats (pruned fields 0). */
int store_snapshot_stats(struct store *st, struct store_snapshot_stats *stats, struct tt_error *err);
/*
 * Record that source no longer published the key of p (provider .. currency;
 * the value is ignored) on date: a removal tombstone as store_mark_removed()
 * writes, then the key's intervals are rebuilt, so the interval in force on
 * date closes there as removed.  Used to import an exported history whose
 * interval ended without a successor.  A repeat changes nothing.  One
 * transaction (a savepoint inside store_begin()).  Returns 0 or a negative
 * code (TT_EINVAL for a bad date or key).
 */
int store_observe_removed(struct store *st, int64_t run_id, const char *source,
			  const struct price *p, const char *date, const char *provenance,
			  struct tt_error *err);

/* ---- speed at scale (issue 8 item 6, bench/README.md) ---- */

/*
 * A prepared statement for sql, cached on st and keyed by the SQL text, so
 * that code building the same query again (query.c) parses and plans it
 * once per connection.  On 0, *out is reset with its bindings cleared; st
 * owns it (store_close() finalizes it): bind, step, then sqlite3_reset()
 * it when done, since a statement left mid-step holds its read snapshot.
 * *out stays valid until the next store_stmt_cached() call (the cache
 * holds 16 and evicts the least recently used) or store_close().
 * Returns 0, TT_EDB (the SQL does not prepare) or TT_ENOMEM.
 */
int store_stmt_cached(struct store *st, const char *sql, struct sqlite3_stmt **out,
		      struct tt_error *err);

/*
 * The fast path of a dated import (backfill_observe()): prices may carry
 * their own observation date (price.observed; NULL means date).  Every key
 * that source has no stored observation of, and that has at most one price
 * per observation date here, is stored at once: its observations, then the
 * intervals and change events derived from them by the same code that
 * store_observe() rebuilds with, so the rows are the ones that per-date
 * store_observe() calls in date order would leave (row ids aside; price_key
 * ids are created in the same first-appearance order).  done[i] (n bytes,
 * n = prices->n, caller-allocated) is set to 1 for each price stored; the
 * others are left for store_observe().  When any price would make
 * store_observe() fail (no provider, negative price, bad date), nothing is
 * done here, so that it fails there with its own message.  stats (may be
 * NULL) counts as those calls would: observed, changes, and keys once per
 * (key, date).  One transaction (a savepoint inside store_begin()).
 * Returns the number of prices stored, or a negative code (done all 0).
 */
int store_observe_bulk(struct store *st, int64_t run_id, const char *source, const char *date,
		       const struct price_list *prices, const char *provenance, unsigned char *done,
		       struct store_observe_stats *stats, struct tt_error *err);

/* Turn store_observe_bulk() off (on = 0; it then stores nothing) or back on
 * (the default): tests and bench_history compare both paths.  NULL: no-op. */
void store_bulk_enable(struct store *st, int on);

#endif /* TT_STORE_H */
