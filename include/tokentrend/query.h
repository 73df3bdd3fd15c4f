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
	int64_t old_nanos;     /* for changes "up"/"down": the previous value;
				* "removed": the value that went away */
	int has_old;           /* old_nanos is meaningful */
	char date[11];         /* for changes: the event date (valid_from of the
				* interval it opened, valid_to of one removed); else "" */
	/* prices: the date asked about and the date basis ("effective" or
	 * "observed"); "" / NULL for other queries.  Rendered as as_of / by. */
	char as_of[11];
	const char *by;        /* static string or NULL */
	/* Set when fx_convert_rows() converted the row (p.nanos and
	 * p.currency are then the converted value): the published currency
	 * and value, the rate used (units of p.currency per 1 fx_from, exact
	 * decimal text) and the date of the reference rate.  fx_from "" else. */
	char fx_from[4];
	int64_t fx_orig_nanos;
	char fx_rate[32];
	char fx_date[11];
};

struct price_rows {
	struct price_row *v;
	size_t n, alloc;
};

#define PRICE_ROWS_INIT { NULL, 0, 0 }

/* Free every row and the array; r is left empty.  NULL is a no-op. */
void price_rows_release(struct price_rows *r);

/*
 * Rank of a source when several publish the same key: lower wins.  The one
 * table lives in query.c: first-party pages (openai anthropic gemini vertex
 * deepseek zai mistral groq xai) 0-8, feeds (openrouter azure bedrock)
 * 100-102, any other (user-defined) source 200, aggregators (litellm
 * llmprices) 300-301.  Equal ranks fall back to the source id.  NULL: 200.
 */
int query_source_rank(const char *source);

/* Filters shared by the queries; NULL/empty fields mean "any". */
struct query_filter {
	const char *provider;
	const char *model;      /* exact id, or a SQL LIKE pattern when it holds '%' */
	const char *dimension;
	const char *tier;
	const char *source;     /* one source only */
	int all_sources;        /* prices: 1 every source's row; 0 the highest-ranked
				 * source per key.  history/changes always return
				 * every source's rows (narrow with source) */
	const char *as_of;      /* prices: date (default: today) */
	const char *since;      /* changes: date (inclusive) */
	const char *until;      /* history/changes: date (exclusive), may be NULL */
	int by_observed;        /* prices: 0 by effective date (valid_from <= as_of <
				 * valid_to: when the source says each price took
				 * effect); 1 by observation date (what tokentrend would
				 * have answered on as_of: a value counts from the later
				 * of its first_seen and valid_from until the next value
				 * counts, or until its removal was recorded) */
};

/*
 * Prices in force on f->as_of (valid_from <= as_of < valid_to, or open):
 * one row per key from the highest-ranked source having one, or one per
 * key and source with all_sources or source.  Ordered by provider, model,
 * dimension (input, output, cache_read, ... first), tier, condition,
 * region, then source rank.  Rows are appended to *out (caller releases
 * with price_rows_release).  Returns the number of rows, or TT_EINVAL (bad
 * as_of), TT_EDB, TT_ENOMEM.
 */
int query_prices(struct store *st, const struct query_filter *f, struct price_rows *out,
		 struct tt_error *err);

/*
 * query_prices() by f->by_observed: see struct query_filter.  Each row's
 * as_of and by say which date and basis it answers.
 */

/*
 * Every interval matching f, ordered by key, valid_from, then source rank.
 * f->since keeps intervals still in force on or after it (valid_to > since
 * or open); f->until keeps those starting before it.  Returns the count;
 * TT_EINVAL for a bad date or when since is not before until.
 */
int query_history(struct store *st, const struct query_filter *f, struct price_rows *out,
		  struct tt_error *err);

/*
 * Change events on or after f->since (NULL: all) and before f->until,
 * ordered by date, key, then source rank.  Each row carries the interval
 * the event opened (for "removed": the interval it closed), change,
 * date, and old_nanos/has_old.  For "removed", p.nanos is the removed
 * value too and renderers print price as null.  Returns the count;
 * TT_EINVAL for a bad date or when since is not before until.
 */
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
 * Render rows, appending to out.  Table: aligned columns for a terminal;
 * CSV: RFC 4180 (CRLF line ends, fields quoted when they hold a comma,
 * quote, CR or LF) with a header row; JSON: one array, one object per row
 * per line.  with_valid_to adds the valid_to column (history, changes);
 * with_change adds change/old_price (changes).  JSON: an array of objects
 * with at least provider, model, dimension, tier, condition, region, unit,
 * currency, price, valid_from, first_seen, last_seen, source (+ valid_to,
 * null while open); price and old_price are JSON strings holding the exact
 * decimal (money_format) or null; with_change adds date, change, old_price.
 * Strings are escaped (control characters as \uXXXX, invalid UTF-8 as
 * U+FFFD; valid UTF-8 is kept).  Columns that only some queries fill
 * (as_of and by for prices; converted, original_price, original_currency,
 * fx_rate, fx_date after a currency conversion) appear in CSV and JSON only
 * when some row has them; as_of/by are not table columns (the command
 * states them above the table).  Returns 0 or TT_ENOMEM.
 */
int query_render(const struct price_rows *rows, enum query_format fmt, int with_valid_to,
		 int with_change, struct buf *out);

/* Append s as a JSON string (escaped as query_render does), or null when
 * s is NULL.  Returns 0 or TT_ENOMEM. */
int query_json_string(struct buf *b, const char *s);

/* Append s as one RFC 4180 CSV field (quoted when it holds a comma, quote,
 * CR or LF; nothing for NULL).  Returns 0 or TT_ENOMEM. */
int query_csv_field(struct buf *b, const char *s);

#endif /* TT_QUERY_H */
