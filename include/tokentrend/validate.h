/*
 * validate.h - checks a source's extracted prices before anything is stored.
 *
 * Two levels (DESIGN.md "Extraction rules"):
 *  - per price: a value that breaks a bound (negative; a token price above
 *    VALIDATE_MAX_PER_MTOK per 1M tokens) is moved out of the list into
 *    rep->refused and reported as implausible; the rest may still be
 *    stored.  The key was on the page all the same: the caller records it
 *    (store_observe_refused) so that it is not marked removed;
 *  - per source (fail closed): no prices at all, fewer distinct models than
 *    the source's floor, a named anchor model missing, fewer than half the
 *    models of the source's last good run before this date, or values that
 *    break a relation (a cache read above the input price of the same key;
 *    a batch price above the standard one) -> TT_EVALIDATE and the whole
 *    source stores nothing for that run;
 *  - jumps: a price more than VALIDATE_JUMP_FACTOR times above or below the
 *    value the source has in force for its key is moved out of the list
 *    into rep->flagged, for the review list (review.h), not stored as a
 *    normal change.  A change to or from 0 (free) has no ratio and is not
 *    flagged.
 * The caller supplies what the database knows (last good run, values in
 * force) through the report; nothing here touches the database.
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
	size_t rejected;   /* prices removed for breaking a bound (rep->refused.n) */
	size_t models;     /* distinct models among the kept prices */
	struct buf notes;  /* one line per rejected price: "model dimension: implausible: ..." */
	validate_prev_fn prev; /* optional, set by the caller after init */
	void *prev_ctx;        /* passed to prev */
	/* Set by the caller after init (0 / "": no good run known): */
	size_t last_good_models;   /* distinct models of the last good run before this date */
	char last_good_date[11];   /* its observation date, for the message */
	/* Filled by validate_prices: the prices removed for breaking a bound,
	 * in page order (owned; filled even when the source then fails closed). */
	struct price_list refused;
	/* Filled by validate_prices when prev is set: */
	struct price_list flagged; /* prices moved out by the jump check (owned) */
	int64_t *flagged_prev;     /* flagged_prev[i]: the value in force for flagged.v[i] (owned) */
	size_t relation_breaks;    /* values that broke a relation (the source then failed) */
};

/* A price more than this many times above or below the stored value is flagged. */
#define VALIDATE_JUMP_FACTOR 10

void validate_report_init(struct validate_report *r);
void validate_report_release(struct validate_report *r);

/*
 * Check prices (extracted from src) in place: implausible prices are
 * moved to rep->refused and described in rep->notes.  Returns 0 when the source may be
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

/*
 * The relations a source's prices must keep, checked over the whole list:
 * for one key otherwise equal, cache_read is not above input, and a batch
 * price is not above the standard one (equal is allowed: OpenRouter lists
 * models whose cache reads cost the input price).  Appends one line per
 * break to why (may be NULL): "openai gpt-x standard: cache_read 3.00 is
 * above input 2.50".  Returns the number of breaks (0: all kept), or
 * TT_ENOMEM.  Importers validating row by row can call it on one row's
 * prices.
 */
int validate_relations(const struct price_list *prices, struct buf *why);

/*
 * 1 when nanos moved more than VALIDATE_JUMP_FACTOR times away from prev
 * (either way), 0 otherwise; 0 when either is 0 or negative.
 */
int validate_is_jump(int64_t nanos, int64_t prev);

#endif /* TT_VALIDATE_H */
