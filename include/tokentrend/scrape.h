/*
 * scrape.h - one source, end to end: body -> snapshot -> extract ->
 * validate -> store, with the outcome recorded in the run.
 *
 * Used by `scrape` (live fetches and replays of saved captures) and later
 * by `reparse` and the daemon.  Each source is stored in its own
 * transaction: a source that fails stores nothing and its last good prices
 * stay in force.  Nothing here prints.
 */
#ifndef TT_SCRAPE_H
#define TT_SCRAPE_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/catalog.h"
#include "tokentrend/err.h"
#include "tokentrend/http.h"
#include "tokentrend/store.h"

struct scrape_result {
	const char *source;    /* catalog id (static) */
	char date[11];         /* observation date */
	int rc;                /* 0 stored; else the TT_E* code of the failure */
	const char *status;    /* "ok", "failed", "blocked", "rate limited" */
	size_t prices;         /* prices stored */
	size_t models;         /* distinct models stored */
	size_t rejected;       /* implausible prices left out */
	size_t changes;        /* change events created */
	struct buf notes;      /* rejected-price lines, one per line */
	char error[1024];      /* reason when rc != 0 */
};

void scrape_result_init(struct scrape_result *r);
void scrape_result_release(struct scrape_result *r);

/*
 * Process one body that src published on date (YYYY-MM-DD), fetched from
 * origin (URL or file path) with http_status (0 for a file).  Records the
 * snapshot, the prices and the source outcome under run_id.  Returns 0
 * when stored, else the failure code (also in res->rc / res->error); a
 * failure to record the outcome itself is returned as TT_EDB.
 */
int scrape_body(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		const char *origin, long http_status, const char *body, size_t len,
		struct scrape_result *res);

/*
 * Fetch src->url with http_get (opts may be NULL) and process the body as
 * observed on date.  A failed fetch records a failed outcome and stores no
 * prices.
 */
int scrape_fetch(struct store *st, int64_t run_id, const struct source_def *src, const char *date,
		 const struct http_opts *opts, struct scrape_result *res);

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
