/*
 * catalog.h - the built-in sources: id, live URL, format, extractor and
 * the expectations validation holds them to.
 *
 * Source ids are short lowercase provider names (DESIGN.md).  Which source
 * wins when several publish the same key is decided in one place:
 * query_source_rank() (query.h).
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
	SOURCE_XML,      /* the ECB's exchange rates (fx.h), not prices */
};

struct source_def {
	const char *id;               /* "openai" */
	const char *name;             /* "OpenAI API pricing page" */
	const char *url;              /* live URL fetched by `scrape` (NULL: import only) */
	enum source_format format;
	extract_fn extract;           /* NULL: import only */
	size_t min_models;            /* fewer distinct models fails the source closed; 1 means the
	                               * source has one-model pages, which are not held to "no fewer
	                               * than half the models of the last good run" */
	const char *const *anchors;   /* models that must be present (NULL-terminated), or NULL */
	int verified;                 /* 1: the extractor is confirmed on a real capture of the source;
				       * 0: built from the source's documented format only (shown as
				       * UNVERIFIED by `sources` until a real capture confirms it) */
};

/* Number of sources (built-in, then user-defined ones loaded by
 * usersrc_load_file()), and the i-th (0-based). */
size_t catalog_count(void);
const struct source_def *catalog_at(size_t i);

/* Exact lookup by id, built-in sources first; NULL when unknown. */
const struct source_def *catalog_find(const char *id);

/* 1 when s is a user-defined source (usersrc.h), else 0. */
int catalog_is_user(const struct source_def *s);

/* "html", "json", "markdown", "csv", "xml". */
const char *catalog_format_name(enum source_format f);

#endif /* TT_CATALOG_H */
