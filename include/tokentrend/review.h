/*
 * review.h - the review list: prices that jumped more than 10x against the
 * value their source had in force (validate.h) wait here instead of being
 * stored as a normal change (DESIGN.md "Extraction rules", issue 3).
 *
 * Life of an item (table review_item, db/migrations/0004_review.sql):
 *  - a scrape flags a price: a new item is "pending", dated first_seen =
 *    last_seen = the observation date; the same value of the same key seen
 *    again (on any date) widens first_seen..last_seen of that one item;
 *  - `review accept ID` stores the value through store_observe() as an
 *    observation of its source on first_seen (and on last_seen when that is
 *    later), so the history shows it from the date it was published; the
 *    item becomes "accepted";
 *  - `review reject ID` stores nothing; the item becomes "rejected";
 *  - decisions are kept (when, by whom, why) and decide what happens the
 *    next time the same value of the same key is seen: an accepted value is
 *    stored like any other price; a rejected value is dropped again
 *    without a new item (only its last_seen moves, so the key still counts
 *    as present on the page and is not marked removed); a DIFFERENT value
 *    is judged afresh and may be flagged as a new item.
 * Only a pending item can be decided.  Nothing here prints.
 */
#ifndef TT_REVIEW_H
#define TT_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/price.h"
#include "tokentrend/store.h"

struct review_item {
	int64_t id;
	char *source;          /* catalog id (owned) */
	struct price p;        /* key, unit, currency, flagged value, text, note (owned) */
	int64_t prev_nanos;    /* the value in force when first flagged */
	int has_prev;
	char *reason;          /* "12.5x the stored 2.00" (owned) */
	char first_seen[11];   /* first observation date of this value */
	char last_seen[11];    /* last observation date of this value */
	int64_t run_id;        /* the run that first flagged it, 0 when gone */
	char *flagged_at;      /* timestamp (owned) */
	char *status;          /* "pending", "accepted", "rejected" (owned) */
	char *decided_at;      /* timestamp, or NULL while pending (owned) */
	char *decided_by;      /* free text, or NULL (owned) */
	char *decision_note;   /* free text, or NULL (owned) */
};

struct review_items {
	struct review_item *v;
	size_t n, alloc;
};

#define REVIEW_ITEMS_INIT { NULL, 0, 0 }

/* Free every item; the list is left empty.  NULL is a no-op. */
void review_items_release(struct review_items *l);

/* What review_route() did with a source's flagged prices. */
struct review_route_stats {
	size_t flagged;        /* new pending items */
	size_t pending;        /* already pending with the same value: dates widened */
	size_t rejected;       /* rejected before with the same value: dropped again */
	size_t accepted;       /* accepted before with the same value: moved to *store */
};

/*
 * Route the prices validate_prices() flagged for source on date:
 *   flagged  [in] the flagged prices (validate_report.flagged), not changed;
 *   prev     [in] prev[i] is the value in force for flagged->v[i];
 *   store    [in,out] a price accepted before with the same value is
 *            appended here (to be stored with the rest);
 *   notes    [out] one line per flagged price for the run log, may be NULL.
 * New items and widened dates are written under run_id (<= 0: NULL) with
 * flagged_at = clock_timestamp().  Call it inside the same transaction as
 * the source's store_observe() (store_begin()) so that both or neither are
 * kept.  Returns 0, TT_EDB, TT_EBUSY or TT_ENOMEM.
 */
int review_route(struct store *st, int64_t run_id, const char *source, const char *date,
		 const struct price_list *flagged, const int64_t *prev, struct price_list *store,
		 struct buf *notes, struct review_route_stats *stats, struct tt_error *err);

/*
 * Items with the given status ("pending", "accepted", "rejected"; NULL or
 * "all": every item), oldest first (first_seen, then id), appended to
 * *out.  Returns the number appended, TT_EINVAL (unknown status), TT_EDB
 * or TT_ENOMEM.
 */
int review_list(struct store *st, const char *status, struct review_items *out,
		struct tt_error *err);

/*
 * Decide pending item id: accept (1) stores its value through
 * store_observe() (see the top of this file) and marks it accepted; accept
 * (0) marks it rejected.  who and why are free text (NULL allowed); the
 * decision time is clock_timestamp().  One transaction.  stats (may be
 * NULL) receives what store_observe() did.  Returns 0, TT_ENOTFOUND (no
 * such item), TT_EINVAL (already decided: *err says how and when), TT_EDB
 * or TT_EBUSY.
 */
int review_decide(struct store *st, int64_t id, int accept, const char *who, const char *why,
		  struct store_observe_stats *stats, struct tt_error *err);

/*
 * Render items as a table, CSV (RFC 4180, header row) or a JSON array
 * (fmt: enum query_format).  JSON objects: id, status, source, provider,
 * model, dimension, tier, condition, region, unit, currency, price and
 * previous_price (exact decimal strings; previous_price null when
 * unknown), reason, first_seen, last_seen, flagged_at, decided_at,
 * decided_by, decision_note (null when unset).  Returns 0 or TT_ENOMEM.
 */
int review_render(const struct review_items *l, int fmt, struct buf *out);

#endif /* TT_REVIEW_H */
