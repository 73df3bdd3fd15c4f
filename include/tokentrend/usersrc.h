/*
 * usersrc.h - user-defined sources, read from a configuration file at run
 * time (DESIGN.md: "A user can add a simple HTML-table or JSON source by
 * configuration, without recompiling").
 *
 * The file ($XDG_CONFIG_HOME/tokentrend/sources.conf, or the one named by
 * `tokentrend --sources FILE` / TOKENTREND_SOURCES) holds one section per
 * source.  Lines are `key = value`; blank lines and lines starting with
 * '#' or ';' are ignored, and a '#' after a blank starts a comment at the
 * end of a line (a '#' inside an XPath such as @href='#top' is kept).
 *
 *   [source acme]                  the id: a-z, 0-9 and '_' (no '-': capture
 *                                  file names are <id>-...-YYYY-MM-DD.<ext>),
 *                                  not a built-in id
 *   format = html | json           required
 *   currency = USD                 required: ISO code of values that name none
 *   unit = 1M tokens               required: per token | 1K tokens | 1M tokens
 *   url = https://...              optional: without it the source is only
 *                                  replayed from files
 *   name = Acme pricing page       optional (default: "user source ID")
 *   provider = acme                optional (default: the id)
 *   locale = en-US                 optional: the page's number format
 *   min_models = 2                 optional floor (default 1)
 *   anchor_models = a, b           optional: models that must be present
 *   model = RULE                   required: where the model id is
 *   DIMENSION[/TIER] = RULE        one or more: input, output, cache_read,
 *                                  cache_write, cache_write_1h, reasoning;
 *                                  TIER defaults to standard (input/batch)
 *  html, a table matched by header text (one of):
 *   table = XPATH                  the price table; must match exactly once
 *   table_header = TEXT            the one table having a header cell TEXT
 *     then every RULE is header text: a header matches when it equals the
 *     text or starts with it followed by a blank or '(' (case and blanks
 *     ignored): "Input price" matches "Input price (USD / 1M tokens)".
 *     Each rule must match exactly one column.
 *  html, rows by XPath:
 *   rows = XPATH                   one node per model (e.g. //tr[td])
 *   anchor = XPATH                 optional: must match exactly once
 *     then every RULE is an XPath relative to the row (td[1], .//h3).
 *  json:
 *   items = PATH                   dot path to the array of models, or to an
 *                                  object whose members are the models;
 *                                  "." is the root
 *     then every RULE is a dot path inside an item (pricing.prompt; a
 *     numeric step indexes an array); `model = @key` takes the member name.
 *
 * A cell or value may carry its own currency, unit and prompt band
 * ("$1.25, prompts <= 200k tokens / $2.50, prompts > 200k tokens"): these
 * win over the declared ones; "-", "N/A" and missing values are skipped
 * (never 0), "Free" is 0.  Values are read as exact decimals (never a
 * double) and scaled to per 1M tokens.
 *
 * Loaded sources join the catalog (catalog.h: catalog_find, catalog_at),
 * are scraped and validated like built-in ones (floor, anchors, relations,
 * jumps), and rank as user sources (query_source_rank: 200).
 */
#ifndef TT_USERSRC_H
#define TT_USERSRC_H

#include <stddef.h>

#include "tokentrend/catalog.h"
#include "tokentrend/err.h"
#include "tokentrend/money.h"

/* One price rule: where a dimension's value is. */
struct usersrc_rule {
	char *dimension;  /* "input" */
	char *tier;       /* "standard" */
	char *rule;       /* header text, XPath or JSON path (see above) */
};

struct usersrc {
	struct source_def def;       /* what the catalog hands out; def.extract = extract_user */
	char *id, *name, *url;       /* owned; def points at them */
	char *provider;              /* who sells: the id unless given */
	char *currency;              /* declared ISO code */
	enum money_unit_kind unit;   /* declared token unit */
	char *locale;                /* or NULL */
	char *table;                 /* html: table XPath, or NULL */
	char *table_header;          /* html: header text of the table, or NULL */
	char *rows;                  /* html: rows XPath, or NULL */
	char *anchor;                /* html rows mode: anchor XPath, or NULL */
	char *items;                 /* json: path to the items */
	char *model;                 /* the model rule */
	struct usersrc_rule *rules;  /* price rules, in file order */
	size_t nrules;
	char **anchors;              /* NULL-terminated anchor models (def.anchors), or NULL */
	char *file;                  /* where it was defined */
	int line;                    /* the line of its [source ID] */
	int format_set;              /* 'format' was read */
};

/*
 * Read a configuration file and add its sources to the catalog (replacing
 * any loaded before).  Returns the number of sources loaded, or TT_EIO
 * (unreadable: *err names the file and the reason) or TT_EINVAL (*err says
 * "FILE:LINE: ..." for the first mistake; nothing is loaded then).
 */
int usersrc_load_file(const char *path, struct tt_error *err);

/* The same from text in memory; origin names it in messages. */
int usersrc_load_text(const char *text, size_t len, const char *origin, struct tt_error *err);

/* Forget every loaded source (tests; the catalog shrinks back). */
void usersrc_clear(void);

/* Number of loaded sources and the i-th, or NULL. */
size_t usersrc_count(void);
const struct usersrc *usersrc_at(size_t i);

/* The loaded source with this id, or NULL. */
const struct usersrc *usersrc_find(const char *id);

#endif /* TT_USERSRC_H */
