/*
 * query.h - questions asked of the stored history, and their output.
 *
 * Rows come back as struct price_row (an interval of one key and source),
 * and format.c-style renderers turn a row list into a table, CSV or the
 * JSON contract of DESIGN.md ("price" is a JSON string holding the exact
 * decimal).  Nothing here prints: renderers append to a struct buf.
 */
#ifndef TT_QUERY_H
#define TT_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/price.h"

struct store;

struct price_row {
	struct price p;        /* the key, unit, currency, value and text */
	char *source;          /* catalog id of the source that published it */
	char valid_from[11];   /* YYYY-MM-DD */
	char valid_to[11];     /* YYYY-MM-DD, or "" while open */
	char first_seen[11];   /* first observation date */
	char last_seen[11];    /* last observation date */
	char *change;          /* for changes: "new", "up", "down", "removed"; else NULL */
	int64_t old_nanos;     /* for changes "up"/"down": the previous value */
	int has_old;           /* old_nanos is meaningful */
};

struct price_rows {
	struct price_row *v;
	size_t n, alloc;
};

#define PRICE_ROWS_INIT { NULL, 0, 0 }

void price_rows_release(struct price_rows *r);

/* Filters shared by the queries; NULL/empty fields mean "any". */
struct query_filter {
	const char *provider;
	const char *model;      /* exact id, or a SQL LIKE pattern when it holds '%' */
	const char *dimension;
	const char *tier;
	const char *source;     /* one source only */
	int all_sources;        /* 1: every source's row; 0: highest-ranked source per key */
	const char *as_of;      /* prices: date (default: today) */
	const char *since;      /* changes: date (inclusive) */
	const char *until;      /* history/changes: date (exclusive), may be NULL */
};

/* Prices in force on f->as_of: one row per key (per source with all_sources). */
int query_prices(struct store *st, const struct query_filter *f, struct price_rows *out,
		 struct tt_error *err);

/* Every interval matching f, ordered by key then valid_from. */
int query_history(struct store *st, const struct query_filter *f, struct price_rows *out,
		  struct tt_error *err);

/* Change events on or after f->since, ordered by date then key. */
int query_changes(struct store *st, const struct query_filter *f, struct price_rows *out,
		  struct tt_error *err);

enum query_format {
	QUERY_FORMAT_TABLE = 0,
	QUERY_FORMAT_CSV,
	QUERY_FORMAT_JSON,
};

/* Parse "table" / "csv" / "json"; returns -1 when unknown. */
int query_format_parse(const char *s);

/*
 * Render rows.  with_valid_to adds the valid_to column (history, changes);
 * with_change adds change/old_price (changes).  JSON: an array of objects
 * with at least provider, model, dimension, tier, condition, region, unit,
 * currency, price, valid_from, first_seen, last_seen, source (+ valid_to,
 * null while open).  Returns 0 or TT_ENOMEM.
 */
int query_render(const struct price_rows *rows, enum query_format fmt, int with_valid_to,
		 int with_change, struct buf *out);

#endif /* TT_QUERY_H */
