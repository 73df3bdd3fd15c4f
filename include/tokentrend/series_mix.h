/*
 * series_mix.h - series made of several price keys: a capability group's
 * cheapest price over time, and a workload profile's blended price.  Both
 * come out as an ordinary struct series (series.h), so forecast_run() and
 * the plots take them unchanged.
 *
 * HOW A SERIES IS BUILT FROM SEVERAL KEYS.  Every stored interval of every
 * key involved is a step [valid_from, valid_to).  The change dates of the
 * result are the union of all those boundaries; on each such date the value
 * is computed from the prices in force that day, and consecutive equal
 * values merge (series_add), so the result is again a list of dated changes.
 *
 * WHICH PRICE OF A KEY COUNTS ON A DATE (group series; a blended series
 * prices its lines as the cost model does, see series_blend_from_rows).
 * Among the intervals in force:
 * the highest-ranked source (query_source_rank: first-party pages before
 * feeds before aggregators; DESIGN.md "Several sources, one key"), then the
 * unconditioned price before a prompt-length band, then the name the caller
 * gave before the catalog's other names for the model, then the lower price.
 *
 * CONDITIONS AND BANDS.  A key's unconditioned price counts; for a key that
 * is only priced in prompt-length bands, its lowest band counts (the price a
 * short prompt pays: a single term "prompt<=N" or "prompt<N").  Every other
 * condition (upper bands, off-peak hours, audio or image modality, several
 * terms) never counts.
 *
 * CURRENCIES AND UNITS are never mixed: rows in another currency than the
 * one asked for (default USD), or in another unit than per 1M tokens, are
 * left out and counted in the series note.
 */
#ifndef TT_SERIES_MIX_H
#define TT_SERIES_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"
#include "tokentrend/models.h"
#include "tokentrend/profile.h"
#include "tokentrend/query.h"
#include "tokentrend/series.h"

struct store;

/* For a group series: which member was cheapest at each point of the series. */
struct series_mix_pick {
	char date[11];        /* the series point's date */
	int64_t nanos;        /* its value */
	char *provider;       /* the seller (owned) */
	char *model;          /* the seller's model id as stored (owned) */
	char *canonical;      /* the catalog id (owned) */
	char *source;         /* the source the price came from (owned) */
	char *condition;      /* "" or the band used (owned) */
	char *region;         /* "" or the region (owned) */
};

struct series_mix_trace {
	struct series_mix_pick *v;
	size_t n, alloc;
};

#define SERIES_MIX_TRACE_INIT { NULL, 0, 0 }

/* Free the picks; the trace is left empty.  NULL is a no-op. */
void series_mix_trace_release(struct series_mix_trace *t);

struct series_group_options {
	const char *dimension; /* NULL: "input" */
	const char *tier;      /* NULL: "standard" */
	const char *currency;  /* NULL: "USD" */
	const char *provider;  /* only this seller; NULL: see all_sellers */
	const char *source;    /* NULL: the ranking above; else only this source's intervals */
	int all_sellers;       /* with provider NULL: 0 = each member at its maker only (first
				* party: the provider of its first `name` line in the catalog),
				* 1 = at every seller the catalog names (clouds, OpenRouter) */
};

/*
 * The cheapest price among the members of catalog group `group` over time,
 * from history rows (query_history output, any keys, any order).  A row
 * counts when the catalog maps its (provider, model) to a member, at the
 * sellers the options allow.  A free price (0) never counts: a free tier
 * is rate-limited and is not what a workload pays (the bundled history also
 * holds 0 as a placeholder for unknown prices).  The
 * result's key reads provider "group", model GROUP, the dimension and
 * tier, source the sources used (comma-separated), and its note says how
 * many members and seller names had prices and what was left out.  trace
 * (may be NULL) gets the cheapest member at each point.  out must be
 * SERIES_INIT; release it (and trace) on every path.
 * Returns 0; TT_ENOTFOUND (no such group: err lists the groups; or no
 * member has a price for that dimension/tier/currency: err says so);
 * TT_EINVAL (bad options); TT_ENOMEM.
 */
int series_group_from_rows(const struct price_rows *rows, const struct models *cat,
			   const char *group, const struct series_group_options *o,
			   struct series *out, struct series_mix_trace *trace, struct tt_error *err);

/* query_history for the dimension and tier, then series_group_from_rows(). */
int series_group_load(struct store *st, const struct models *cat, const char *group,
		      const struct series_group_options *o, struct series *out,
		      struct series_mix_trace *trace, struct tt_error *err);

struct series_blend_options {
	const char *currency;  /* NULL: "USD" */
	const char *source;    /* NULL: the ranking above; else only this source */
};

/*
 * The price of 1M tokens of the profile's mix over time:
 *   blend(t) = sum over models m of share_m x
 *              sum over dimensions d of T_d x ((1 - b) p_{m,d,standard}(t) + b p_{m,d,batch}(t)) / T
 * with T_d the profile's tokens per month of input, cached input
 * (cache_read), cache writes (cache_write) and output, T their sum, b the
 * batch share.  Priced by the cost model (costmodel_history(), "WHICH
 * PRICE A LINE USES" in costmodel.h), so that every point is exactly
 * `cost`'s price per 1M tokens of the mix on that date: tokens split in
 * whole tokens, the exact sum rounded half to even once; cached input
 * without a cache_read price and cache writes without a cache_write price
 * at the input price, a batch share without a batch price at the standard
 * price; prompt-length bands by the profile's prompt_length; free (0)
 * prices never count.  A point exists on each change date of the profile's
 * prices on which every part has a price after those fallbacks; the note
 * says from when, and which fallbacks priced which dates.  cat (may be
 * NULL) lets a profile's model match the seller's other names for the same
 * catalog model (anthropic/claude-sonnet-4.5 also reads claude-sonnet-4-5
 * and claude-sonnet-4-5-20250929); without it, names are exact.  The key
 * reads the model's provider and id (or provider "blend", model "N
 * models"), dimension "blend", tier "standard", "batch" or "mixed".
 * Returns 0; TT_EINVAL (the profile has no model or no tokens, or a bad
 * currency code); TT_ENOTFOUND (a part has no price at all: err names it
 * and the other currencies seen; or the parts are never priced on one
 * date); TT_ERANGE; TT_ENOMEM.
 */
int series_blend_from_rows(const struct price_rows *rows, const struct profile *p,
			   const struct models *cat, const struct series_blend_options *o,
			   struct series *out, struct tt_error *err);

/* query_history for each of the profile's models, then series_blend_from_rows(). */
int series_blend_load(struct store *st, const struct profile *p, const struct models *cat,
		      const struct series_blend_options *o, struct series *out,
		      struct tt_error *err);

/*
 * The lower bound of a single-term lower prompt band: "prompt<=200k" ->
 * 200000, "prompt<272k" -> 272000, "prompt<=1m" -> 1000000; -1 for "" and
 * for any other condition.
 */
int64_t series_mix_lower_band(const char *condition);

#endif /* TT_SERIES_MIX_H */
