/*
 * extract_int.h - helpers shared by the extractors (src/extract_*.c only).
 */
#ifndef TT_EXTRACT_INT_H
#define TT_EXTRACT_INT_H

#include <stddef.h>

#include <libxml/tree.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/extract.h"
#include "tokentrend/price.h"

/*
 * Append p to out unless an item at index >= from already has the same key
 * (provider, model, dimension, tier, condition, region, unit, currency):
 * with the same value it is a repeat on the page and is dropped; with a
 * different value the page contradicts itself and the extractor must fail
 * closed.  what names the source for messages.
 * Returns 1 (added), 0 (repeat dropped), TT_EPARSE (conflict, *err names
 * the key and both values) or TT_ENOMEM.
 */
int extract_add(struct price_list *out, size_t from, const struct price *p, const char *what,
		struct tt_error *err);

/*
 * A deterministic model slug: prefix + title lowercased, blanks as '-'
 * ("claude-", "Opus 4.1" -> "claude-opus-4.1").  Appends to out.
 * Returns 0, TT_EINVAL (empty title) or TT_ENOMEM.
 */
int extract_slug(const char *prefix, const char *title, struct buf *out);

/*
 * Fail closed: release the prices appended to out since index from (out->n
 * when the extractor began), so that a page that fails adds nothing.
 */
void extract_drop_since(struct price_list *out, size_t from);

/*
 * Run table(st, node, err) on every node that xpath selects in doc (such as
 * "//table") and add up what the calls return (prices added).  Returns the
 * sum, or the first negative code (of html_xpath_nodes or of a call: the
 * remaining nodes are not read).  *n_nodes, when not NULL, gets how many
 * nodes the expression selected.
 */
int extract_each_node(xmlDocPtr doc, const char *xpath,
		      int (*table)(void *st, xmlNodePtr node, struct tt_error *err), void *st,
		      size_t *n_nodes, struct tt_error *err);

/* The name a message uses for the body: ctx->origin, else ctx->source_id, else dflt. */
const char *extract_origin(const struct extract_ctx *ctx, const char *dflt);

/* The 2023 openai.com/pricing reader on an already parsed document
 * (extract_openai.c dispatches to it); same contract as extract_fn. */
int extract_openai_2023_doc(xmlDocPtr doc, const struct extract_ctx *ctx,
			    struct price_list *out, struct tt_error *err);

/* The platform docs pricing reader on an already parsed document
 * (extract_anthropic.c dispatches to it); same contract as extract_fn. */
int extract_anthropic_docs_doc(xmlDocPtr doc, const struct extract_ctx *ctx,
			       struct price_list *out, struct tt_error *err);

#endif /* TT_EXTRACT_INT_H */
