/*
 * catalog.h - the built-in sources: id, live URL, format, extractor and
 * the expectations validation holds them to.
 *
 * Source ids are short lowercase provider names (DESIGN.md).  The rank
 * orders sources that publish the same key: first-party pages and feeds
 * outrank aggregators.
 */
#ifndef TT_CATALOG_H
#define TT_CATALOG_H

#include <stddef.h>

#include "tokentrend/extract.h"

enum source_format {
	SOURCE_HTML = 0,
	SOURCE_JSON,
	SOURCE_MARKDOWN,
	SOURCE_CSV,
};

enum source_rank {
	SOURCE_RANK_FIRST_PARTY = 0, /* the seller's own page or API */
	SOURCE_RANK_FEED = 1,        /* a reseller's own price feed (OpenRouter, Azure) */
	SOURCE_RANK_AGGREGATOR = 2,  /* third-party lists (LiteLLM, llm-prices) */
};

struct source_def {
	const char *id;               /* "openai" */
	const char *name;             /* "OpenAI API pricing page" */
	const char *url;              /* live URL fetched by `scrape` (NULL: import only) */
	enum source_format format;
	extract_fn extract;           /* NULL: import only */
	enum source_rank rank;
	size_t min_models;            /* fewer distinct models fails the source closed */
	const char *const *anchors;   /* models that must be present (NULL-terminated), or NULL */
};

/* Number of built-in sources, and the i-th (0-based). */
size_t catalog_count(void);
const struct source_def *catalog_at(size_t i);

/* Exact lookup by id; NULL when unknown. */
const struct source_def *catalog_find(const char *id);

/* Rank of a source id; unknown ids (user sources, imports) rank as feeds. */
enum source_rank catalog_rank(const char *id);

/* "html", "json", "markdown", "csv". */
const char *catalog_format_name(enum source_format f);

#endif /* TT_CATALOG_H */
