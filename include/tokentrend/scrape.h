/*
 * scrape.h - one source, end to end: body -> snapshot -> extract ->
 * validate -> store, with the outcome recorded in the run; a live run of
 * every source (fetched together, politely, conditionally); and re-parsing
 * stored snapshots with today's extractors.
 *
 * Used by `scrape` (live fetches and replays of saved captures), `reparse`
 * and the daemon.  Each source is stored in ONE transaction: its snapshot,
 * its prices, its removals, its validators and its outcome commit together
 * or not at all, so a run killed at any point leaves whole sources only.
 * A source that fails stores no prices (its snapshot and outcome are kept)
 * and its last good prices stay in force.  Nothing here prints.
 */
#ifndef TT_SCRAPE_H
#define TT_SCRAPE_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/catalog.h"
#include "tokentrend/err.h"
#include "tokentrend/http.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"

struct scrape_result {
	const char *source;    /* catalog id (static) */
	char date[11];         /* observation date */
	int rc;                /* 0 stored; else the TT_E* code of the failure */
	const char *status;    /* "ok", "unchanged" (304), "failed", "blocked", "rate limited",
			        * "disallowed" (robots.txt) */
	size_t prices;         /* prices stored */
	size_t models;         /* distinct models found (recorded with a failed validation too) */
	size_t rejected;       /* implausible prices left out */
	size_t changes;        /* change events created */
	struct buf notes;      /* rejected-price lines, one per line */
	char error[1024];      /* reason when rc != 0 */
	size_t flagged;        /* prices that jumped > 10x and wait in the review list (new or again) */
	long http_status;      /* 0 for a file */
	int stopped;           /* 1: the run was stopped before this source; nothing recorded */
	char snapshot[65];     /* sha256 of the body read, "" when none */
	size_t removed;        /* keys marked removed by this run (absent from several good runs) */
};

void scrape_result_init(struct scrape_result *r);
void scrape_result_release(struct scrape_result *r);

/*
 * Process one body that src published on date (YYYY-MM-DD), fetched from
 * origin (URL or file path) with http_status (0 for a file).  Records the
 * snapshot, the prices and the source outcome under run_id.  Returns 0
 * when stored, else the failure code (also in res->rc / res->error); a
 * failure to record the outcome itself is returned as TT_EDB.
 * Validation (validate.h) is given the source's last good run before date
 * and the values it has in force on date; prices that jumped more than
 * 10x go to the review list (review.h) in the same transaction as the
 * stored prices, and res->notes says so.
 */
int scrape_body(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *origin, long http_status, const char *body, size_t len,
		struct scrape_result *res);

/*
 * As scrape_body, for a stored snapshot re-read by `reparse`: the day's
 * observations of src become exactly what the extractor reads now (keys it
 * no longer reads are forgotten) when extraction succeeds.
 */
int scrape_body_reparse(struct store *st, int64_t run_id, const struct source_def *src,
			const char *date, const char *origin, long http_status, const char *body,
			size_t len, struct scrape_result *res);

/*
 * Fetch src->url with http_get (opts may be NULL) and process the body as
 * observed on date.  A failed fetch records a failed outcome and stores no
 * prices.
 */
int scrape_fetch(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		 const struct http_opts *opts, struct scrape_result *res);

/* Options of a live run. */
struct scrape_run_opts {
	const struct settings *settings;  /* fetch options, URLs, retention; NULL: defaults */
	const char *const *only;          /* source ids to fetch; NULL/none: every built-in source */
	size_t nonly;
	volatile sig_atomic_t *stop;      /* set by a signal handler: start nothing new */
	/* Called once per source as soon as it is stored (or has failed). */
	void (*on_result)(const struct scrape_result *res, void *ud);
	void *ud;
};

/* What a live run did. */
struct scrape_run_summary {
	int64_t run_id;
	size_t ok;           /* stored (including "unchanged") */
	size_t unchanged;    /* of which 304 */
	size_t failed;
	size_t stopped;      /* not tried: the run was stopped */
	int worst;           /* the most telling failure code (TT_EDB/TT_EBUSY first), 0 when none */
	int net_only;        /* 1 when every failure was a network/blocked one */
	const char *status;  /* "ok", "partial", "failed" */
	struct store_snapshot_stats snapshots; /* after retention */
};

/*
 * One live run observed on date: start a "scrape" run, fetch every
 * selected source with a URL and an extractor in one batch (settings:
 * concurrency, robots.txt, per-source options and URLs), sending the
 * validators of the last answer (If-None-Match / If-Modified-Since); a 304
 * re-reads the stored snapshot (status "unchanged": last_seen moves on);
 * store each source as it arrives (scrape_body's transaction), finish the
 * run, then apply the snapshot retention rule.  Returns 0 when the run ran
 * (sum says how it went), or a negative code when it could not start.
 */
int scrape_run_live(struct store *st, const char *date, const struct scrape_run_opts *o,
		    struct scrape_run_summary *sum, struct tt_error *err);

/* Which stored snapshots to re-read. */
struct scrape_reparse_opts {
	const char *source;     /* one source id, or NULL for all with an extractor */
	const char *since;      /* first observation date, or NULL */
	const char *until;      /* last observation date, or NULL */
	void (*on_result)(const struct scrape_result *res, void *ud);
	void *ud;
};

/*
 * Re-run today's extractors over the stored snapshots: for every (source,
 * observation date) whose outcome kept a snapshot (the latest such
 * outcome of that day), in date order, under one "reparse" run.  Each day
 * is one transaction: when extraction succeeds, that day's observations
 * become exactly what the extractor reads now (keys it no longer reads are
 * forgotten; see store_forget_day) and intervals and change events are
 * rebuilt; when it fails, the day is left as it was.  Re-running is
 * idempotent.  *run_id receives the run.  Returns 0 when it ran (results
 * through on_result; *failed counts failed days), or a negative code.
 */
int scrape_reparse(struct store *st, const struct scrape_reparse_opts *o, int64_t *run_id,
		   size_t *days, size_t *failed, struct tt_error *err);

/*
 * Replay one saved capture: read path and process it as src's page observed
 * on date.  A file that cannot be read records a failed outcome (with the
 * reason, naming the file) and stores no prices, like any other failure.
 */
int scrape_file(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *path, struct scrape_result *res);

/*
 * Read a capture's file name: "<source>-<anything>-YYYY-MM-DD.<ext>" or
 * "<source>-YYYY-MM-DD.<ext>" (directories stripped).  On success copies
 * the source id (the text before the first '-') into source and the date
 * into date.  Returns 0, TT_EINVAL when the name carries no full valid
 * date (reported, never guessed), TT_ENOTFOUND when the source id is not
 * in the catalog or has no extractor.
 */
int scrape_parse_capture_name(const char *path, char *source, size_t source_len, char date[11]);

#endif /* TT_SCRAPE_H */
