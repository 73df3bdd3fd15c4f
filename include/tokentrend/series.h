/*
 * series.h - one price key's history as a dated series, ready to fit.
 *
 * List prices are step functions: a price holds from the day it takes effect
 * until the next change.  A series is therefore the list of DATED CHANGES:
 * each stored interval's valid_from with its value, in date order, with
 * consecutive equal values merged (a re-observed or re-opened price is not a
 * change).  Fitting on change points rather than on periodic samples is the
 * convention of Epoch and a16z (FORECASTING.md section 8, question 3): a
 * long flat stretch does not add weight.
 *
 * A series never mixes currencies or units, and never mixes sources: when
 * several sources carry the key, one is used (the one query_history ranks
 * first with all_sources = 0, or the one the caller names) and s->note says
 * which.
 */
#ifndef TT_SERIES_H
#define TT_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/query.h"

struct store;

/* Which key to build.  NULL fields take the defaults noted. */
struct series_selector {
	const char *provider;  /* required */
	const char *model;     /* required, exact id */
	const char *dimension; /* NULL: "input" */
	const char *tier;      /* NULL: "standard" */
	const char *condition; /* NULL: "" (no condition) */
	const char *region;    /* NULL: "" when present, else the only region there is */
	const char *source;    /* NULL: the highest-ranked source that has the key */
	const char *currency;  /* NULL: the only currency the key is priced in (currency is
				* part of a key: DeepSeek's USD and CNY prices are two series) */
};

struct series_point {
	int64_t day;     /* days since 1970-01-01 */
	char date[11];   /* YYYY-MM-DD */
	int64_t nanos;   /* the exact stored value: 1e-9 currency per unit */
	double price;    /* nanos / 1e9, for the fit (currency per unit) */
};

struct series {
	char *provider, *model, *dimension, *tier, *condition, *region; /* the key, owned */
	char *unit;      /* "1M tokens" */
	char *currency;  /* "USD" */
	char *source;    /* the one source the points come from */
	char *note;      /* which source was chosen among several, merged duplicates...; or NULL */
	struct series_point *v; /* points in date order, owned */
	size_t n, alloc;
};

#define SERIES_INIT { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 }

/*
 * Set the key, unit, currency and source of an empty series (strings are
 * copied; NULL tier -> "standard", NULL condition/region -> "", NULL unit ->
 * "1M tokens", NULL currency -> "USD", NULL source -> "").  Returns 0 or
 * TT_ENOMEM.  Used by series_from_rows() and by tests that build series
 * from arrays.
 */
int series_set_key(struct series *s, const char *provider, const char *model,
		   const char *dimension, const char *tier, const char *condition,
		   const char *region, const char *unit, const char *currency, const char *source);

/*
 * Append a change point.  date must be a valid "YYYY-MM-DD" after the last
 * point's date; a value equal to the last point's is merged (not added);
 * nanos must be >= 0 (0 = free).  Returns 1 when added, 0 when merged,
 * TT_EINVAL (err names the date/value and why) or TT_ENOMEM.
 */
int series_add(struct series *s, const char *date, int64_t nanos, struct tt_error *err);

/*
 * Build the series for sel from history rows (query_history output, any
 * order): keep rows of exactly that key, pick one currency, one region and
 * one source, refuse mixed units, sort by valid_from and add the changes.
 * Returns 0; TT_ENOTFOUND when no row has the key (err names the key and, when
 * the model exists under other dimensions/tiers/conditions, lists them; with
 * sel->currency, the currencies it is priced in instead); TT_EFAIL for mixed
 * units (the data's fault: err names both values); TT_EINVAL for several
 * currencies or several regions and none chosen (err lists them and, for
 * currencies, says --currency chooses) or a bad selector; TT_ENOMEM.  out must be SERIES_INIT; release it on every path.
 */
int series_from_rows(const struct price_rows *rows, const struct series_selector *sel,
		     struct series *out, struct tt_error *err);

/*
 * Load the series for sel from the store: query_history with provider,
 * model, dimension, tier and source (all_sources = 0 unless sel->source is
 * set), then series_from_rows().  Returns as series_from_rows(), or the
 * query's error code.
 */
int series_load(struct store *st, const struct series_selector *sel, struct series *out,
		struct tt_error *err);

/* "provider/model dimension tier[ condition][ region]" for messages, appended to out. */
int series_describe(const struct series *s, struct buf *out);

/* Date of the change to a zero price when the series is free now (last point 0), else NULL. */
const char *series_free_since(const struct series *s);

/* Free everything; the series is left SERIES_INIT.  NULL is a no-op. */
void series_release(struct series *s);

#endif /* TT_SERIES_H */
