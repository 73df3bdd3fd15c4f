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
 * whose last observation is older than `missed` successful runs as removed
 * (closing their interval at the first missed run).  Returns the number of
 * keys marked, or a negative code.  missed <= 0 means the default, 3.
 * The successful runs are the distinct obs_dates of run_source rows with
 * status "ok" for source, plus obs_date itself.  A removal is kept as an
 * observation with NULL nanos (a tombstone) dated at the first missed run,
 * so rebuilds keep it; a later observation of the key opens a "new"
 * interval.
 */
int store_mark_removed(struct store *st, const char *source, const char *obs_date, int missed,
		       struct tt_error *err);

/* Begin (BEGIN IMMEDIATE) / commit / roll back an outer transaction for
 * multi-call writes such as an import; the write calls inside become
 * savepoints.  store_commit rolls back when COMMIT fails. */
int store_begin(struct store *st, struct tt_error *err);
int store_commit(struct store *st, struct tt_error *err);
void store_rollback(struct store *st);

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

#endif /* TT_STORE_H */
