/*
 * fx.h - exchange rates by date: the European Central Bank's euro foreign
 * exchange reference rates (keyless XML), stored per day, and conversions
 * of prices at the rate of their own date.
 *
 * Format (eurofxref-daily.xml, eurofxref-hist.xml, eurofxref-hist-90d.xml):
 *   <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
 *                    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
 *     <gesmes:subject>Reference rates</gesmes:subject> ...
 *     <Cube>
 *       <Cube time="2024-06-28">
 *         <Cube currency="USD" rate="1.0705"/>
 *         <Cube currency="CNY" rate="7.7748"/> ...
 * A rate is units of the currency per 1 EUR.  Rates are kept as the text
 * and as exact nano-units; a conversion is integer arithmetic with
 * half-even rounding, never a double.  Stored rows are never part of a
 * price: conversion happens at query time (DESIGN.md).
 */
#ifndef TT_FX_H
#define TT_FX_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"

struct store;
struct price_rows;

#define FX_ECB_DAILY_URL "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
#define FX_ECB_HIST_URL "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.xml"
/* A rate older than this many days before the asked date is not used. */
#define FX_MAX_AGE_DAYS 14

struct fx_rate {
	char date[11];      /* YYYY-MM-DD */
	char currency[4];   /* ISO 4217 */
	char text[24];      /* as published: "1.0705" */
	int64_t nanos;      /* units of currency per 1 EUR, x 1e9 */
};

struct fx_rates {
	struct fx_rate *v;  /* owned */
	size_t n, alloc;
	size_t days;        /* distinct dates */
};

#define FX_RATES_INIT { NULL, 0, 0, 0 }

/* Free the array; r is left empty.  NULL is a no-op. */
void fx_rates_release(struct fx_rates *r);

/*
 * Parse an ECB reference-rate XML body (daily or history file) with
 * libxml2 (no network, no entities).  Appends every (date, currency, rate)
 * to *out.  Fails closed with TT_EPARSE when the body is not XML, has no
 * ECB Cube with a time, or a rate is not a positive decimal (the message
 * names origin, date and currency).  Returns the number of rates.
 */
int fx_parse_ecb(const char *body, size_t len, const char *origin, struct fx_rates *out,
		 struct tt_error *err);

/*
 * Store rates under source (e.g. "ecb") with base "EUR", one transaction.
 * A rate already stored for the same day is replaced only when it differs
 * (the ECB corrects rarely).  *added (may be NULL) gets the number of new
 * or changed rows.  Idempotent.  Returns 0 or a negative code.
 */
int fx_store(struct store *st, const char *source, const struct fx_rates *rates, size_t *added,
	     struct tt_error *err);

/* One conversion's result. */
struct fx_conversion {
	int64_t nanos;          /* the converted value, nano-units of `to` */
	char rate[32];          /* units of `to` per 1 `from`, exact decimal text (9 decimals max) */
	char rate_date[11];     /* the reference day used (the older of the two legs) */
};

/*
 * Convert nanos of currency `from` into `to` at the ECB rates of the latest
 * day on or before date (within FX_MAX_AGE_DAYS).  EUR needs no rate.
 * from == to copies the value with rate "1".  Returns 0, TT_ENOTFOUND when
 * no rate is stored for that day range (the message says which currency
 * and date), TT_ERANGE on overflow, TT_EDB.
 */
int fx_convert(struct store *st, int64_t nanos, const char *from, const char *to,
	       const char *date, struct fx_conversion *out, struct tt_error *err);

/*
 * Show rows in currency `to` (prices on date): a row already in `to` stays;
 * a row in another currency is dropped when a row of the same key (all but
 * the currency) exists in `to` (the provider's own list wins, case 3), else converted at the rate of date and marked (fx_from,
 * fx_orig_nanos, fx_rate, fx_date in struct price_row).  Rows that cannot
 * be converted (no stored rate) stay in their currency.  *unconverted (may
 * be NULL) counts them.  Returns the number of rows converted, or a
 * negative code (TT_EDB, TT_ENOMEM).
 */
int fx_convert_rows(struct store *st, struct price_rows *rows, const char *to, const char *date,
		    size_t *unconverted, struct tt_error *err);

/* The catalog id of the rates source (src/catalog.c; no price extractor). */
#define FX_SOURCE_ID "ecb"

/*
 * The rates' step of a scrape, like scrape_body() for prices: keep the raw
 * body as a snapshot, parse it, store the rates, and record the outcome of
 * source FX_SOURCE_ID on date in run_id (origin: URL or file; http_status 0
 * for a file).  *rates / *added (may be NULL) get the rates read and the
 * rows new or changed.  A body that does not parse stores no rates (fail
 * closed) and records a failed outcome.  Returns 0 or the failure's code.
 */
int fx_scrape_body(struct store *st, int64_t run_id, const char *date, const char *origin,
		   long http_status, const char *body, size_t len, size_t *rates, size_t *added,
		   struct tt_error *err);

#endif /* TT_FX_H */
