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

/*
 * What an extractor saw and deliberately did not store, counted by reason
 * ("unclassified field image", "negative price (sentinel)"), for the run
 * log: DESIGN.md "Unknown means error or skip, stated in the run log".
 * Reasons are short fixed phrases (plus a field name) so that counts group.
 */
struct extract_skip {
	char *reason;   /* owned */
	char *example;  /* owned: the first place it happened (a model id), or NULL */
	size_t count;   /* how many times */
};

struct extract_skips {
	struct extract_skip *v; /* owned, in order of first occurrence */
	size_t n;
	size_t alloc;
};

#define EXTRACT_SKIPS_INIT { NULL, 0, 0 }

/* Count one skip under reason (copied); example (copied, may be NULL) is
 * kept for the first occurrence only.  s NULL is a no-op.  Returns 0 or
 * TT_ENOMEM. */
int extract_skips_add(struct extract_skips *s, const char *reason, const char *example);

/* The count recorded under reason (0 when none or s is NULL). */
size_t extract_skips_count(const struct extract_skips *s, const char *reason);

/* Free all entries; s is left empty.  NULL is a no-op. */
void extract_skips_release(struct extract_skips *s);

struct extract_ctx {
	const char *source_id; /* catalog id, e.g. "openai" */
	const char *date;      /* observation date YYYY-MM-DD (for messages, effective dates) */
	const char *origin;    /* URL or file path the body came from, for messages */
	struct extract_skips *skips; /* optional (NULL): where the extractor counts what it skipped */
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
/* LiteLLM's model_prices_and_context_window.json (src/extract_litellm.c). */
int extract_litellm(const char *body, size_t len, const struct extract_ctx *ctx,
		    struct price_list *out, struct tt_error *err);
/* simonw/llm-prices vendor files with price_history periods
 * (src/extract_llmprices.c); needs ctx->date (the file's date) and sets
 * price.observed on past and scheduled periods. */
int extract_llmprices(const char *body, size_t len, const struct extract_ctx *ctx,
		      struct price_list *out, struct tt_error *err);

#endif /* TT_EXTRACT_H */
