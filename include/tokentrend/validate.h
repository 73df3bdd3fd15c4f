/*
 * validate.h - checks a source's extracted prices before anything is stored.
 *
 * Two levels (DESIGN.md "Extraction rules"):
 *  - per price: a value that breaks a bound (negative; a token price above
 *    VALIDATE_MAX_PER_MTOK per 1M tokens) is removed from the list and
 *    reported as implausible; the rest may still be stored;
 *  - per source (fail closed): no prices at all, fewer distinct models than
 *    the source's floor, or a named anchor model missing -> TT_EVALIDATE and
 *    the whole source stores nothing for that run.
 * Nothing here touches the database.
 */
#ifndef TT_VALIDATE_H
#define TT_VALIDATE_H

#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/catalog.h"
#include "tokentrend/err.h"
#include "tokentrend/price.h"

/*
 * Optional lookup of the value currently stored for p's key (same source),
 * so that a rejection can say how far the new value jumped.  Returns 1 and
 * sets *nanos when there is one, 0 when none, negative on error.
 */
typedef int (*validate_prev_fn)(void *ctx, const struct price *p, int64_t *nanos);

struct validate_report {
	size_t kept;       /* prices that passed */
	size_t rejected;   /* prices removed for breaking a bound */
	size_t models;     /* distinct models among the kept prices */
	struct buf notes;  /* one line per rejected price: "model dimension: implausible: ..." */
	validate_prev_fn prev; /* optional, set by the caller after init */
	void *prev_ctx;        /* passed to prev */
};

void validate_report_init(struct validate_report *r);
void validate_report_release(struct validate_report *r);

/*
 * Check prices (extracted from src) in place: implausible prices are
 * removed and described in rep->notes.  Returns 0 when the source may be
 * stored, or TT_EVALIDATE with the reason in *err (fail closed).
 */
int validate_prices(const struct source_def *src, struct price_list *prices,
		    struct validate_report *rep, struct tt_error *err);

/*
 * Check one price against the bounds.  Returns 0 when plausible, else
 * TT_EVALIDATE with a reason such as "implausible: 15000.00 per 1M tokens
 * (> 1000)" in *err.
 */
int validate_price_bounds(const struct price *p, struct tt_error *err);

#endif /* TT_VALIDATE_H */
