/*
 * seed.h - the bundled price history (db/seed/price-history.csv), compiled
 * into the binary so that `init` works from any folder, and the loader
 * that imports a history CSV into the store.
 */
#ifndef TT_SEED_H
#define TT_SEED_H

#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

struct store;

/* The embedded seed CSV: *len bytes (not NUL-counted).  Static storage. */
const char *seed_csv(size_t *len);

/* What an import did. */
struct seed_import_stats {
	size_t rows;      /* data rows read */
	size_t rejected;  /* rows reported and skipped */
	size_t days;      /* distinct dates stored */
	size_t prices;    /* new observations written (repeats of stored ones not counted) */
	size_t changes;   /* change events created */
	int export_shape; /* the file had the export's fuller shape: days counts sources */
};

/*
 * Import a history CSV into st, as one run of kind "import": the bundled
 * history's shape under source id `source` (the bundled history is
 * "litellm"), one transaction per date; or the export's fuller shape
 * (import.h), each row under its own source, one transaction per source,
 * with interval ends that had no successor stored as removals.  Rejected rows are described, one per
 * line, in *rejects (may be NULL).  Importing the same file again adds
 * nothing.  Returns 0 or a negative code with the reason in *err; on
 * failure the dates already committed stay (each is complete) and *err
 * says at which date it stopped and how many dates are stored.
 */
int seed_import_csv(struct store *st, const char *body, size_t len, const char *origin,
		    const char *source, struct seed_import_stats *stats, struct buf *rejects,
		    struct tt_error *err);

#endif /* TT_SEED_H */
