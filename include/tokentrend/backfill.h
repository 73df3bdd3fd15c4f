/*
 * backfill.h - loading history from files people already keep: LiteLLM
 * price-map snapshots, llm-prices vendor files, OpenRouter models JSON,
 * saved pricing pages, and tokentrend's own CSV (both the bundled
 * history's shape and the fuller shape `export` writes).
 *
 * One code path per format (DESIGN.md): a JSON/HTML file is run through
 * its catalog source's extractor, validation and store exactly as
 * `scrape --source ID --file FILE --date D` does (scrape_body()), as one
 * run of kind "import".  Every stored observation keeps its provenance
 * (file, source, date, original key).  Importing the same file again adds
 * nothing.  Nothing here prints.
 */
#ifndef TT_BACKFILL_H
#define TT_BACKFILL_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/price.h"
#include "tokentrend/store.h"

/*
 * store_observe() for a list whose prices may carry their own observation
 * date (price.observed, set by extractors of dated histories such as
 * llm-prices): the prices are grouped by observation date (NULL: date) and
 * each group is stored with store_observe(), all in one transaction (a
 * savepoint inside a caller's transaction), so the file stores whole or
 * not at all.  Without any price.observed this is exactly store_observe().
 * stats (may be NULL) sums the groups.  Returns 0 or a negative code.
 */
int backfill_observe(struct store *st, int64_t run_id, const char *source, const char *date,
		     const struct price_list *prices, const char *provenance,
		     struct store_observe_stats *stats, struct tt_error *err);

/*
 * Find a date "YYYY-MM-DD" in a file name (the last one before the
 * extension, directories ignored): "litellm-model-prices-2026-07-24.json"
 * gives 2026-07-24.  Returns 0 with date filled, or TT_EINVAL when the
 * name carries no full valid date (never guessed).
 */
int backfill_date_from_name(const char *path, char date[11]);

/* What one file of an import did. */
struct backfill_file {
	char *path;           /* owned */
	char date[11];        /* the date it was stored under */
	int rc;               /* 0 stored, else the TT_E* code */
	size_t prices, models, changes, rejected;
	char error[512];      /* reason when rc != 0 */
};

struct backfill_report {
	struct backfill_file *files; /* owned, in the order imported (date order) */
	size_t nfiles;
	size_t ok, failed;
	size_t prices, changes;
	struct buf notes;            /* implausible prices left out, skipped file names */
};

void backfill_report_init(struct backfill_report *r);
void backfill_report_release(struct backfill_report *r);

/*
 * Import path for catalog source `source` ("litellm", "llmprices",
 * "openrouter", or any source with an extractor).  path is a file or a
 * folder; in a folder every regular file whose name carries a date is one
 * snapshot of that date (others are listed in rep->notes and skipped),
 * imported in date order.  date (may be NULL) overrides the file name's
 * date for a single file; a file without either is an error (TT_EINVAL).
 * Each file is its own transaction: a bad file stores nothing and the
 * others still load.  Returns the number of files stored, or a negative
 * code when nothing could be tried (unknown source, unreadable path, no
 * date, database failure); per-file failures are in rep->files.
 */
int backfill_import(struct store *st, const char *source, const char *path, const char *date,
		    struct backfill_report *rep, struct tt_error *err);

#endif /* TT_BACKFILL_H */
