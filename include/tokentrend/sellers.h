/*
 * sellers.h - one model, many sellers: the prices of one catalog model at
 * every seller side by side, and the keys on which sources disagree.
 *
 * Input is the rows of query_prices() with all_sources = 1 on one date.
 * Rows are grouped by (seller, catalog model, dimension, tier, condition,
 * region, unit, currency): the catalog (models.h) makes a seller's several
 * names for one model one group (the claude.com card "claude-sonnet-4.5"
 * and LiteLLM's "claude-sonnet-4-5" at anthropic); a name the catalog does
 * not know is its own group, as published.  An unconditioned price and a
 * lower prompt band ("prompt<=272k", "prompt<200k") count as one condition,
 * the price a short prompt pays: some sources name the band, others do not
 * (LiteLLM lists gpt-5.6-luna at 1.00 unconditioned where OpenAI's page has
 * 0.20 for prompts up to 272K).  In each group the row shown is
 * the highest-ranked source's (query_source_rank; then the name equal to
 * the canonical id, then the shorter name).  Every other row of the group
 * whose value differs is a DISAGREEMENT (DESIGN.md "Several sources, one
 * key"): both values are in force on the same date, and the view names the
 * other source, its name for the model, and its value.
 */
#ifndef TT_SELLERS_H
#define TT_SELLERS_H

#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/models.h"
#include "tokentrend/query.h"

struct sellers_row {
	const struct price_row *row;       /* the row shown (borrowed from the input rows) */
	const char *canonical;             /* catalog id, or the row's model as published (borrowed) */
	const struct price_row **disagree; /* other rows of the group with another value (owned array) */
	size_t n_disagree;
	double x_cheapest;                 /* with SELLERS_BY_PRICE: price / cheapest price of the
					    * same dimension, tier, condition and currency in the view
					    * (display only); 0 when the cheapest is free or without
					    * SELLERS_BY_PRICE */
};

struct sellers_view {
	struct sellers_row *v;
	size_t n, alloc;
};

#define SELLERS_VIEW_INIT { NULL, 0, 0 }

enum sellers_flags {
	SELLERS_ONLY_DISAGREEMENTS = (1 << 0), /* keep only groups with a disagreement */
	SELLERS_BY_PRICE = (1 << 1),           /* order by dimension, tier, condition, then
						* price (side by side); else by seller and model */
};

/*
 * Build the view from rows (borrowed: they must outlive the view).
 * canonical: keep only rows the catalog maps to this id, or, when it is
 * not a catalog id, rows of that exact (unmapped) name (NULL: every row).
 * cat may be NULL (then every name is its own model).  Returns the number
 * of rows in the view, or TT_ENOMEM.  Release with sellers_view_release().
 */
int sellers_build(const struct price_rows *rows, const struct models *cat, const char *canonical,
		  unsigned flags, struct sellers_view *out, struct tt_error *err);

/* Free the view (not the rows it points to).  NULL is a no-op. */
void sellers_view_release(struct sellers_view *v);

/*
 * Render: a table (dimension, tier, condition, seller, model as sold,
 * region, price, currency, unit, source, x cheapest, note), CSV with the
 * same columns and a header, or JSON: an array of objects with the price
 * contract's fields (provider, model, dimension, tier, condition, region,
 * unit, currency, price as an exact decimal string, valid_from, first_seen,
 * last_seen, source) plus canonical, x_cheapest (number or null) and
 * disagreements: [{source, model, price, valid_from}].  Returns 0 or TT_ENOMEM.
 */
int sellers_render(const struct sellers_view *v, enum query_format fmt, struct buf *out);

#endif /* TT_SELLERS_H */
