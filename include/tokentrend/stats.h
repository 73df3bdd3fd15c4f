/*
 * stats.h - the statistical questions price trackers answer: per key, the
 * lowest and highest price ever (with dates), time-weighted averages over
 * the last 30, 90 and 180 days, the number and size of changes and the
 * time since the last one; and a market view: the cheapest model in each
 * tier on a date.
 *
 * Definitions (all on the effective-date basis: intervals [valid_from,
 * valid_to) as the history stores them, up to and including the as-of
 * date D; money stays in integer nano-units):
 *   - low / high: the smallest / largest value of an interval starting on
 *     or before D; low_from is the first day the key was at that value,
 *     low_to the end of the last interval at it ("" while it still is).
 *   - avg N: the time-weighted mean over the N days D-N+1 .. D: each day
 *     counts the value in force that day; days without a value (before the
 *     key existed, after a removal) are left out and avg_days[N] says how
 *     many days were covered.  Rounded half to even at the nano-unit.  No
 *     covered day: no average (has_avg 0).
 *   - changes: every up/down event on or before D (a "new" after a removal
 *     is not a change of price); the largest cut and rise as a share of the
 *     old value (in basis points, 1/100 of a percent, rounded half away from
 *     zero), the last change's date and its size, and the days from it to
 *     D.  With no change, days_since_change counts from the first price.
 *   - market view: among the prices in force on D (one per key from the
 *     highest-ranked source, as `prices` shows), for one dimension (input by
 *     default), unit 1M tokens and one currency (USD by default), the
 *     cheapest paid price (0, free, is left out and counted) in each tier.
 *     A tier is the service level the price is sold at: standard (the
 *     plain list price), batch (asynchronous, results within hours), flex
 *     (slower, interruptible capacity), priority (faster, reserved
 *     capacity), or another named level (fast).  Only prices a short plain
 *     text prompt pays count: condition empty or a lower prompt band
 *     ("prompt<=200k", "prompt<272k"); modality and peak/off-peak variants
 *     are left out.
 */
#ifndef TT_STATS_H
#define TT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/price.h"
#include "tokentrend/query.h"

struct store;

#define STATS_WINDOWS 3
extern const int stats_window_days[STATS_WINDOWS]; /* 30, 90, 180 */

struct stats_key {
	struct price p;            /* key, unit, currency; p.nanos = value on D (if current) */
	char *source;              /* owned */
	int current;               /* a value is in force on D */
	size_t intervals;          /* intervals starting on or before D */
	int64_t low, high;
	char low_from[11], low_to[11], high_from[11], high_to[11];
	int has_avg[STATS_WINDOWS];
	int64_t avg[STATS_WINDOWS];
	int avg_days[STATS_WINDOWS];
	size_t changes, ups, downs;
	int64_t max_cut_bp;        /* most negative relative change, basis points (<= 0) */
	int64_t max_rise_bp;       /* largest positive relative change, basis points (>= 0) */
	char last_change[11];      /* "" when none */
	int64_t last_change_old;   /* the value before the last change */
	int64_t last_change_new;   /* and after it */
	int64_t last_change_bp;
	char first_from[11];       /* first valid_from */
	int64_t days_since_change; /* D - last change (or first price) in days */
};

struct stats_keys {
	struct stats_key *v;
	size_t n, alloc;
	char as_of[11];
};

#define STATS_KEYS_INIT { NULL, 0, 0, "" }

void stats_keys_release(struct stats_keys *s);

/*
 * Statistics of every (key, source) matching f (provider, model, dimension,
 * tier, source; f->as_of is D, default today) that has an interval
 * starting on or before D.  Returns the number of keys or a negative code.
 */
int stats_keys_compute(struct store *st, const struct query_filter *f, struct stats_keys *out,
		       struct tt_error *err);

/* Render as a table, CSV or JSON (array of objects).  Returns 0 or TT_ENOMEM. */
int stats_keys_render(const struct stats_keys *s, enum query_format fmt, struct buf *out);

struct stats_cheapest {
	char *tier;                /* owned */
	struct price_row row;      /* the cheapest row (owned strings) */
	size_t models;             /* paid prices of that tier considered */
	size_t ties;               /* other keys at the same price */
	size_t free_models;        /* prices of 0 left out */
};

struct stats_market {
	struct stats_cheapest *v;
	size_t n, alloc;
	char as_of[11];
	char dimension[32];
	char currency[4];
};

#define STATS_MARKET_INIT { NULL, 0, 0, "", "", "" }

void stats_market_release(struct stats_market *m);

/*
 * The cheapest model per tier on f->as_of (default today) for dimension
 * (NULL: input) in currency (NULL: USD); f's provider/model/source narrow
 * the field.  Tiers are ordered standard, batch, flex, priority, then
 * others by name.  Returns the number of tiers or a negative code.
 */
int stats_market_compute(struct store *st, const struct query_filter *f, const char *dimension,
			 const char *currency, struct stats_market *out, struct tt_error *err);

int stats_market_render(const struct stats_market *m, enum query_format fmt, struct buf *out);

#endif /* TT_STATS_H */
