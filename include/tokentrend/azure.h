/*
 * azure.h - the Azure Retail Prices API: the meter-name parser behind
 * extract_azure() (extract.h) and the live pagination loop that assembles
 * what the extractor reads.
 *
 * The API (https://prices.azure.com/api/retail/prices) is paginated: each
 * page is {BillingCurrency, CustomerEntityId, CustomerEntityType,
 * Items[...], NextPageLink, Count}, NextPageLink null on the last page.  A
 * capture, and what azure_fetch() assembles live, is one JSON array of the
 * pages as served, in order (DESIGN.md), so replay and live share one path.
 */
#ifndef TT_AZURE_H
#define TT_AZURE_H

#include <stddef.h>

#include "tokentrend/err.h"
#include "tokentrend/http.h"

/* The live query: every Foundry Models meter priced in USD. */
#define AZURE_PRICES_URL                                                                      \
	"https://prices.azure.com/api/retail/prices?currencyCode=%27USD%27&$filter=serviceName" \
	"%20eq%20%27Foundry%20Models%27"

/* Most pages azure_fetch() follows before it gives up (fail closed). */
#define AZURE_MAX_PAGES 200

/* What a meter name (plus its unitOfMeasure) says. */
struct azure_meter {
	char model[64];         /* our model id ("gpt-4o-0806"), from the model table */
	const char *dimension;  /* price.h dimension: input, output, cache_read, ... */
	const char *tier;       /* standard, batch, priority */
	const char *band;       /* "long-context", "short-context" or NULL */
	const char *modality;   /* "audio", "text", "image" or NULL */
	const char *deployment; /* "global", "datazone", "regional" or NULL */
	const char *unit;       /* stored unit: "1M tokens", "1M characters", "1K queries", ... */
	int scale;              /* power of ten from the published unit to the stored one */
	const char *why;        /* static reason when not AZURE_METER_OK */
};

enum azure_meter_result {
	AZURE_METER_OK = 0,           /* classified: m is filled */
	AZURE_METER_SKIP = 1,         /* understood and deliberately not stored (fine-tuning, hosting hours) */
	AZURE_METER_UNCLASSIFIED = 2, /* not understood: never guessed, counted by the caller */
};

/*
 * Classify one meter.
 *   meter  [in] meterName as published ("gpt-4o-0806-Inp-glbl Tokens",
 *          "GPT 5 outpt Glbl 1M Tokens", "5.4 longco batch cd inp Dz 1M Tokens").
 *   uom    [in] unitOfMeasure ("1K", "1M", "1 Hour", ...).
 *   m      [out] always written; on OK every field but band/modality/
 *          deployment is non-NULL; m->why is set otherwise.
 * Returns an enum azure_meter_result.  NULL meter or uom is UNCLASSIFIED.
 *
 * How: the name is lower-cased and split on blanks and '-'; glued forms
 * are respelled ("mini0718" -> "mini 0718", "Data Zone" -> "dz"); each word
 * is looked up in a word table (deployment, dimension, cache, tier, band,
 * modality, fine-tuning, unit); the words left over, in order, are the
 * model phrase, looked up in the model table (with the last modality word
 * taken out as the modality when the whole phrase is not there).  Anything
 * not in the tables, or two words that disagree, is UNCLASSIFIED.
 */
int azure_meter_classify(const char *meter, const char *uom, struct azure_meter *m);

/*
 * Fetch every page of a Retail Prices query: GET url, then follow each
 * page's NextPageLink until it is null, at most max_pages pages, and
 * assemble the pages' bodies, as served, into one JSON array in
 * resp->body.  A NextPageLink must stay on the scheme, host and port of
 * url (default ports made explicit) and must not repeat; blanks in it are
 * percent-encoded before the request.
 *   resp  [in,out] initialised by the caller (http_response_init); on
 *         success body holds the array, status the last page's status,
 *         attempts the sum over pages, effective_url the first page's URL.
 * Returns 0; the failing page's http_get() code (TT_ENET, TT_EBLOCKED,
 * TT_ENOMEM); or TT_EPARSE for a page that is not a JSON object with an
 * Items array, a link that leaves the host or repeats, or more than
 * max_pages pages.  On failure resp->body is emptied (nothing is stored
 * from a partial feed) and *err names the page number and URL.
 */
int azure_fetch_pages(const char *url, const struct http_opts *opts, size_t max_pages,
		      struct http_response *resp, struct tt_error *err);

/* azure_fetch_pages() with AZURE_MAX_PAGES: the same signature as
 * http_get(), so a live scrape can call it in http_get()'s place. */
int azure_fetch(const char *url, const struct http_opts *opts, struct http_response *resp,
		struct tt_error *err);

#endif /* TT_AZURE_H */
