/*
 * extract_bedrock.c - the AWS Price List bulk offer file for Amazon
 * Bedrock (offer code AmazonBedrock) into prices.
 *
 * UNVERIFIED: no real capture of this file exists here.  This reads the
 * offer-file JSON shape AWS documents for every service ("Reading the
 * service price list file"): {formatVersion, offerCode, version,
 * publicationDate, products: {SKU: {sku, productFamily, attributes:
 * {name: value}}}, terms: {OnDemand: {SKU: {OFFERTERM: {offerTermCode,
 * sku, effectiveDate, termAttributes, priceDimensions: {RATECODE:
 * {rateCode, description, unit, beginRange, endRange, pricePerUnit:
 * {USD: "0.0030000000"}, appliesTo}}}}}}}.  The Bedrock attribute names
 * read here (model, regionCode, usagetype) are the documented Price List
 * attribute conventions, not checked against a Bedrock file; a file that
 * lacks them fails closed rather than being guessed at.
 *
 * Keys.  provider = ctx->source_id ("bedrock"); model = attributes.model
 * as published, lower-cased with blanks as '-' ("Claude 3.5 Sonnet" ->
 * "claude-3.5-sonnet"); region = attributes.regionCode ("us-east-1");
 * condition "".  Dimension and tier come from attributes.usagetype, read
 * from its end ("USE1-Claude3.5Sonnet-batch-input-tokens"): the trailing
 * words of the vocabulary below, up to the first word outside it (the
 * model part).  input / output; cache + read -> cache_read; cache + write
 * -> cache_write; batch / flex / priority / latency-optimized -> tier,
 * else standard.  A usage type with no dimension word, or with two
 * dimensions or tiers, is skipped and counted ("unclassified usagetype").
 *
 * Values.  Only OnDemand terms are read (other term types are counted).
 * The rate's unit must name a token unit ("1K tokens", "1M tokens",
 * "tokens"): prices are stored per 1M tokens exactly from the TEXT of
 * pricePerUnit (a string in offer files); non-token units are skipped and
 * counted.  pricePerUnit must hold exactly one ISO currency.  A rate with
 * a volume range other than 0..Inf is skipped (a volume tier is not a
 * list price).  effectiveDate is the price's effective date.
 *
 * Fail closed (TT_EPARSE): not a JSON object; offerCode present and not
 * AmazonBedrock; no "products" object; no "terms.OnDemand" object; no
 * priced product; one key with two different prices.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/extract.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"
#include "extract_int.h"

#include <json-c/json.h>

enum br_class { BRW_UNIT, BRW_DIM, BRW_CACHE, BRW_READ, BRW_WRITE, BRW_TIER };

struct br_word {
	const char *word;
	enum br_class cls;
	const char *value;
};

/* The usage-type vocabulary, read from the end of the usage type. */
static const struct br_word br_words[] = {
	{ "tokens", BRW_UNIT, NULL }, { "token", BRW_UNIT, NULL }, { "count", BRW_UNIT, NULL },
	{ "input", BRW_DIM, "input" }, { "output", BRW_DIM, "output" },
	{ "cache", BRW_CACHE, NULL }, { "read", BRW_READ, NULL }, { "write", BRW_WRITE, NULL },
	{ "batch", BRW_TIER, "batch" }, { "flex", BRW_TIER, "flex" },
	{ "priority", BRW_TIER, "priority" }, { "optimized", BRW_TIER, "latency-optimized" },
	{ "latency", BRW_TIER, "latency-optimized" },
};

static const struct br_word *br_word_find(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(br_words); i++)
		if (strlen(br_words[i].word) == n && !strncasecmp(br_words[i].word, w, n))
			return &br_words[i];
	return NULL;
}

/* Read dimension and tier from a usage type.  Returns 0 or -1 (unclassified). */
static int br_usage(const char *usage, const char **dim, const char **tier)
{
	const char *end = usage + strlen(usage), *p = end;
	int cache = 0, read = 0, write = 0;

	*dim = NULL;
	*tier = NULL;
	while (p > usage) {
		const char *q = p;
		const struct br_word *w;

		while (q > usage && q[-1] != '-')
			q--;
		w = br_word_find(q, (size_t)(p - q));
		if (!w)
			break; /* the model part begins */
		switch (w->cls) {
		case BRW_UNIT:
			break;
		case BRW_DIM:
			if (*dim && strcmp(*dim, w->value))
				return -1;
			*dim = w->value;
			break;
		case BRW_CACHE:
			cache = 1;
			break;
		case BRW_READ:
			read = 1;
			break;
		case BRW_WRITE:
			write = 1;
			break;
		case BRW_TIER:
			if (*tier && strcmp(*tier, w->value))
				return -1;
			*tier = w->value;
			break;
		}
		p = q > usage ? q - 1 : q;
	}
	if (cache) {
		if (read == write || (*dim && strcmp(*dim, "input")))
			return -1;
		*dim = read ? "cache_read" : "cache_write";
	} else if (read || write) {
		return -1;
	}
	if (!*dim)
		return -1;
	if (!*tier)
		*tier = "standard";
	return 0;
}

static int br_skip(const struct extract_ctx *ctx, const char *reason, const char *example)
{
	return extract_skips_add(ctx ? ctx->skips : NULL, reason, example);
}

/* One price dimension of an OnDemand term of product sku.  Returns 0,
 * TT_EPARSE (conflict) or TT_ENOMEM. */
static int br_rate(const struct extract_ctx *ctx, const char *sku, struct json_object *product,
		   const char *effective, struct json_object *rate, size_t from,
		   struct price_list *out, struct tt_error *err)
{
	struct json_object *attrs = json_get(product, "attributes");
	struct json_object *ppu = json_get(rate, "pricePerUnit");
	const char *name = json_get_str(attrs, "model");
	const char *region = json_get_str(attrs, "regionCode");
	const char *usage = json_get_str(attrs, "usagetype");
	const char *unit = json_get_str(rate, "unit");
	const char *begin = json_get_str(rate, "beginRange");
	const char *endr = json_get_str(rate, "endRange");
	const char *dim, *tier, *currency = NULL;
	struct json_object *value = NULL;
	struct buf model = BUF_INIT;
	enum money_unit_kind uk;
	struct tt_error e = { 0 };
	struct price p;
	char prov[512];
	int64_t nanos;
	int rc;

	if (!name || !*name)
		return br_skip(ctx, "product without a model attribute", sku);
	if (!region || !*region)
		return br_skip(ctx, "product without a regionCode", sku);
	uk = unit ? money_unit_from_text(unit) : MONEY_UNIT_UNKNOWN;
	if (uk == MONEY_UNIT_UNKNOWN || !strcasestr(unit, "tok"))
		return br_skip(ctx, "rate not priced per token", sku);
	if (!usage || br_usage(usage, &dim, &tier) < 0) {
		char reason[256];
		snprintf(reason, sizeof(reason), "unclassified usagetype %s", usage ? usage : "(none)");
		return br_skip(ctx, reason, sku);
	}
	if ((begin && strcmp(begin, "0")) || (endr && strcmp(endr, "Inf")))
		return br_skip(ctx, "volume-tiered rate", sku);
	if (!json_is_object(ppu) || json_object_object_length(ppu) != 1)
		return br_skip(ctx, "pricePerUnit without exactly one currency", sku);
	{
		json_object_object_foreach(ppu, key, val) {
			currency = key;
			value = val;
		}
	}
	if (!money_currency_code(currency))
		return br_skip(ctx, "pricePerUnit currency is not an ISO code", sku);
	rc = json_money(value, money_unit_scale(uk), &nanos, &e);
	if (rc == TT_ERANGE)
		return br_skip(ctx, "price out of range or rounds to 0", sku);
	if (rc <= 0)
		return br_skip(ctx, "price is not a decimal number", sku);
	if (nanos < 0)
		return br_skip(ctx, "negative price", sku);
	if (extract_slug("", name, &model) < 0) {
		buf_release(&model);
		return tt_set_error(err, TT_ENOMEM, "Bedrock offer file: out of memory");
	}
	snprintf(prov, sizeof(prov), "%s sku %s usagetype %s",
		 extract_origin(ctx, "Bedrock offer file"), sku, usage);
	memset(&p, 0, sizeof(p));
	p.provider = (char *)(ctx && ctx->source_id ? ctx->source_id : "bedrock");
	p.model = model.buf;
	p.dimension = (char *)dim;
	p.tier = (char *)tier;
	p.condition = (char *)"";
	p.region = (char *)region;
	p.unit = (char *)PRICE_UNIT_MTOK;
	p.currency = (char *)currency;
	p.nanos = nanos;
	p.text = (char *)json_money_text(value);
	p.effective = (char *)effective;
	p.origin = prov;
	rc = extract_add(out, from, &p, extract_origin(ctx, "Bedrock offer file"), err);
	buf_release(&model);
	return rc < 0 ? rc : 0;
}

int extract_bedrock(const char *body, size_t len, const struct extract_ctx *ctx,
		    struct price_list *out, struct tt_error *err)
{
	struct json_object *doc = NULL, *products, *terms, *ondemand;
	const char *origin = extract_origin(ctx, "Bedrock offer file");
	const char *offer;
	size_t start = out->n, nproducts;
	int rc;

	rc = json_doc_parse(body, len, origin, &doc, err);
	if (rc < 0)
		goto out;
	offer = json_get_str(doc, "offerCode");
	products = json_get(doc, "products");
	terms = json_get(doc, "terms");
	ondemand = json_get(terms, "OnDemand");
	if (!json_is_object(doc) || (json_get(doc, "offerCode") && (!offer || strcmp(offer, "AmazonBedrock")))) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: not the AmazonBedrock offer file (offerCode %s)", origin,
				  offer ? offer : "missing or not a string");
		goto out;
	}
	if (!json_is_object(products) || !json_is_object(ondemand)) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no \"products\" object or no \"terms\".\"OnDemand\" object: not "
				  "an AWS Price List offer file",
				  origin);
		goto out;
	}
	nproducts = (size_t)json_object_object_length(products);
	{
		json_object_object_foreach(terms, ttype, tval) {
			(void)tval;
			if (strcmp(ttype, "OnDemand"))
				br_skip(ctx, "term type not read (only OnDemand)", ttype);
		}
	}
	{
		json_object_object_foreach(ondemand, sku, offers) {
			struct json_object *product = json_get(products, sku);

			if (!json_is_object(product)) {
				br_skip(ctx, "OnDemand term of an unknown sku", sku);
				continue;
			}
			if (!json_is_object(offers))
				continue;
			json_object_object_foreach(offers, code, term) {
				struct json_object *dims = json_get(term, "priceDimensions");
				const char *eff = json_get_str(term, "effectiveDate");
				char effective[11];

				(void)code;
				effective[0] = '\0';
				if (eff) {
					snprintf(effective, sizeof(effective), "%.10s", eff);
					if (strlen(eff) < 10 || !date_valid(effective)) {
						br_skip(ctx, "bad effectiveDate", sku);
						continue;
					}
				}
				if (!json_is_object(dims)) {
					br_skip(ctx, "term without priceDimensions", sku);
					continue;
				}
				json_object_object_foreach(dims, rcode, rate) {
					(void)rcode;
					rc = br_rate(ctx, sku, product, effective[0] ? effective : NULL,
						     rate, start, out, err);
					if (rc < 0)
						goto out;
				}
			}
		}
	}
	if (out->n == start) {
		rc = tt_set_error(err, TT_EPARSE, "%s: no priced product among %zu products", origin,
				  nproducts);
		goto out;
	}
	rc = (int)(out->n - start);
out:
	json_doc_free(doc);
	return rc;
}
