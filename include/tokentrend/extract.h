/*
 * extract.h - turning a fetched body into prices.
 *
 * One extractor per source family (src/extract_<family>.c).  An extractor
 * reads the whole body, appends every price it finds to *out with the
 * source's vocabulary already normalised (per 1M tokens, ISO currency,
 * dimension/tier/condition names of price.h), and fails closed: when the
 * structure it anchors on is missing it returns TT_EPARSE with a reason in
 * *err and the caller stores nothing.  Extractors never touch the database.
 */
#ifndef TT_EXTRACT_H
#define TT_EXTRACT_H

#include <stddef.h>

#include "tokentrend/err.h"
#include "tokentrend/price.h"

struct extract_ctx {
	const char *source_id; /* catalog id, e.g. "openai" */
	const char *date;      /* observation date YYYY-MM-DD (for messages, effective dates) */
	const char *origin;    /* URL or file path the body came from, for messages */
};

/*
 * The extractor signature.  body is not necessarily NUL-terminated.
 * Returns the number of prices appended (>= 0) or a negative TT_E* code;
 * on failure *out may hold partial items, which the caller discards.
 */
typedef int (*extract_fn)(const char *body, size_t len, const struct extract_ctx *ctx,
			  struct price_list *out, struct tt_error *err);

int extract_openai(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err);
int extract_anthropic(const char *body, size_t len, const struct extract_ctx *ctx,
		      struct price_list *out, struct tt_error *err);
int extract_openrouter(const char *body, size_t len, const struct extract_ctx *ctx,
		       struct price_list *out, struct tt_error *err);

#endif /* TT_EXTRACT_H */
