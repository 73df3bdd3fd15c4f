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
int extract_deepseek(const char *body, size_t len, const struct extract_ctx *ctx,
		     struct price_list *out, struct tt_error *err);
int extract_zai(const char *body, size_t len, const struct extract_ctx *ctx,
		struct price_list *out, struct tt_error *err);
int extract_xai(const char *body, size_t len, const struct extract_ctx *ctx,
		struct price_list *out, struct tt_error *err);
int extract_mistral(const char *body, size_t len, const struct extract_ctx *ctx,
		    struct price_list *out, struct tt_error *err);
int extract_groq(const char *body, size_t len, const struct extract_ctx *ctx,
		 struct price_list *out, struct tt_error *err);

/*
 * extract_openai() reads both OpenAI layouts: the developers page (h2#text-tokens)
 * and, when that anchor is missing, the older openai.com/pricing layout priced
 * per 1K tokens (h2 "Language models"), through extract_openai_2023(), which can
 * also be called on its own.  Same contract as extract_fn.
 */
int extract_openai_2023(const char *body, size_t len, const struct extract_ctx *ctx,
			struct price_list *out, struct tt_error *err);
/*
 * extract_anthropic() reads the claude.com cards page and, when it has no
 * card, the platform docs pricing tables through extract_anthropic_docs()
 * (also callable on its own).  Same contract as extract_fn.
 */
int extract_anthropic_docs(const char *body, size_t len, const struct extract_ctx *ctx,
			   struct price_list *out, struct tt_error *err);
/* Google Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing). */
int extract_gemini(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err);
/* Vertex AI generative AI pricing page (cloud.google.com), Gemini and Claude tables. */
int extract_vertex(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err);

/*
 * The anchor rule (DESIGN.md "Extraction rules": the structure a source is
 * read from must be present exactly once).  An extractor counts the
 * structure it anchors on (a heading, a table, a JSON key, one title per
 * card) and passes the count here before reading prices from it:
 *   ctx     [in] for the origin named in the message (may be NULL);
 *   anchor  [in] what was counted, as a reader would find it in the page:
 *           "h2#text-tokens", "top-level \"data\" array";
 *   count   [in] how many times it was found.
 * Returns 0 when count is exactly 1.  Otherwise TT_EPARSE with *err saying
 * "ORIGIN: anchor ANCHOR is missing; the page layout changed" (0) or
 * "ORIGIN: anchor ANCHOR appears N times, expected exactly once; the page
 * layout changed" (N > 1); the extractor returns that code and the source
 * stores nothing for the run (fail closed).  err may be NULL.
 */
int extract_anchor_once(const struct extract_ctx *ctx, const char *anchor, size_t count,
			struct tt_error *err);

/* User-defined sources (usersrc.h): reads the body by the rules of the
 * loaded source whose id is ctx->source_id; TT_ENOTFOUND when none is. */
int extract_user(const char *body, size_t len, const struct extract_ctx *ctx,
		 struct price_list *out, struct tt_error *err);

/* Azure Retail Prices API pages (src/extract_azure.c; see azure.h). */
int extract_azure(const char *body, size_t len, const struct extract_ctx *ctx,
		  struct price_list *out, struct tt_error *err);
/* AWS Price List bulk offer file for Amazon Bedrock (src/extract_bedrock.c). */
int extract_bedrock(const char *body, size_t len, const struct extract_ctx *ctx,
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
