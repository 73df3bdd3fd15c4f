/*
 * test_extract_bedrock.c - the AWS Price List offer file for Amazon
 * Bedrock.  UNVERIFIED source: no real capture exists, so these inputs are
 * built by hand from the offer-file shape AWS documents (products by SKU
 * with attributes; terms.OnDemand by SKU and offer term, priceDimensions
 * by rate code with unit, beginRange/endRange and pricePerUnit).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tokentrend/extract.h"

#define NANO(x) ((int64_t)((x) * 1000000.0 + 0.5) * INT64_C(1000)) /* exact for <= 6 decimals */

/* A product and its one OnDemand term with one rate. */
#define PRODUCT(sku, model, region, usage)                                                    \
	"\"" sku "\":{\"sku\":\"" sku "\",\"productFamily\":\"Amazon Bedrock\",\"attributes\":{" \
	"\"servicecode\":\"AmazonBedrock\",\"model\":\"" model "\",\"regionCode\":\"" region    \
	"\",\"usagetype\":\"" usage "\"}}"
#define TERM(sku, unit, begin, end, ppu)                                                      \
	"\"" sku "\":{\"" sku ".JRTCKXETXF\":{\"offerTermCode\":\"JRTCKXETXF\",\"sku\":\"" sku  \
	"\",\"effectiveDate\":\"2025-06-01T00:00:00Z\",\"termAttributes\":{},"                  \
	"\"priceDimensions\":{\"" sku ".JRTCKXETXF.6YS6EN2CT7\":{\"rateCode\":\"" sku           \
	".JRTCKXETXF.6YS6EN2CT7\",\"description\":\"per tokens\",\"unit\":\"" unit "\","        \
	"\"beginRange\":\"" begin "\",\"endRange\":\"" end "\",\"pricePerUnit\":" ppu ","       \
	"\"appliesTo\":[]}}}}"

static const char offer[] =
	"{\"formatVersion\":\"v1.0\",\"disclaimer\":\"...\",\"offerCode\":\"AmazonBedrock\","
	"\"version\":\"20250601000000\",\"publicationDate\":\"2025-06-01T00:00:00Z\","
	"\"products\":{"
	PRODUCT("SKU1", "Claude 3.5 Sonnet", "us-east-1", "USE1-Claude3.5Sonnet-input-tokens") ","
	PRODUCT("SKU2", "Claude 3.5 Sonnet", "us-east-1", "USE1-Claude3.5Sonnet-output-tokens") ","
	PRODUCT("SKU3", "Claude 3.5 Sonnet", "us-east-1", "USE1-Claude3.5Sonnet-batch-input-tokens") ","
	PRODUCT("SKU4", "Claude 3.7 Sonnet", "us-west-2", "USW2-Claude3.7Sonnet-cache-read-input-token-count") ","
	PRODUCT("SKU5", "Claude 3.7 Sonnet", "us-west-2", "USW2-Claude3.7Sonnet-cache-write-input-token-count") ","
	PRODUCT("SKU6", "Llama 3 70B Instruct", "eu-west-1", "EU-Llama3-70B-output-tokens") ","
	PRODUCT("SKU7", "Titan Image Generator", "us-east-1", "USE1-TitanImageGenerator-images") ","
	PRODUCT("SKU8", "Nova Pro", "us-east-1", "USE1-NovaPro-input-tokens") ","
	PRODUCT("SKU9", "Nova Pro", "us-east-1", "USE1-NovaPro-latency-optimized-input-tokens") ","
	PRODUCT("SKU10", "Nova Pro", "cn-north-1", "CNN1-NovaPro-output-tokens") ","
	PRODUCT("SKU11", "Nova Pro", "us-east-2", "USE2-NovaPro-input-tokens")
	"},\"terms\":{\"OnDemand\":{"
	TERM("SKU1", "1K tokens", "0", "Inf", "{\"USD\":\"0.0030000000\"}") ","
	TERM("SKU2", "1K tokens", "0", "Inf", "{\"USD\":\"0.0150000000\"}") ","
	TERM("SKU3", "1K tokens", "0", "Inf", "{\"USD\":\"0.0015000000\"}") ","
	TERM("SKU4", "1M tokens", "0", "Inf", "{\"USD\":\"0.3000000000\"}") ","
	TERM("SKU5", "1M tokens", "0", "Inf", "{\"USD\":\"3.7500000000\"}") ","
	TERM("SKU6", "1K tokens", "0", "Inf", "{\"USD\":\"0.0035000000\"}") ","
	TERM("SKU7", "Images", "0", "Inf", "{\"USD\":\"0.0080000000\"}") ","
	TERM("SKU8", "1K tokens", "0", "Inf", "{\"USD\":\"0.0008000000\"}") ","
	TERM("SKU9", "1K tokens", "0", "Inf", "{\"USD\":\"0.0010000000\"}") ","
	TERM("SKU10", "1K tokens", "0", "Inf", "{\"CNY\":\"0.0230000000\"}") ","
	TERM("SKU11", "1K tokens", "1000000", "Inf", "{\"USD\":\"0.0007000000\"}")
	"},\"Reserved\":{}}}";

struct row {
	const char *model, *dimension, *tier, *region, *currency;
	int64_t nanos;
	const char *text;
};

static const struct row offer_rows[] = {
	{ "claude-3.5-sonnet", "input", "standard", "us-east-1", "USD", NANO(3.00), "0.0030000000" },
	{ "claude-3.5-sonnet", "output", "standard", "us-east-1", "USD", NANO(15.00), "0.0150000000" },
	{ "claude-3.5-sonnet", "input", "batch", "us-east-1", "USD", NANO(1.50), "0.0015000000" },
	{ "claude-3.7-sonnet", "cache_read", "standard", "us-west-2", "USD", NANO(0.30), "0.3000000000" },
	{ "claude-3.7-sonnet", "cache_write", "standard", "us-west-2", "USD", NANO(3.75), "3.7500000000" },
	{ "llama-3-70b-instruct", "output", "standard", "eu-west-1", "USD", NANO(3.50), "0.0035000000" },
	{ "nova-pro", "input", "standard", "us-east-1", "USD", NANO(0.80), "0.0008000000" },
	{ "nova-pro", "input", "latency-optimized", "us-east-1", "USD", NANO(1.00), "0.0010000000" },
	{ "nova-pro", "output", "standard", "cn-north-1", "CNY", NANO(23.00), "0.0230000000" },
};

struct run {
	struct price_list prices;
	struct extract_skips skips;
	struct tt_error err;
	int rc;
};

static void run_str(struct run *r, const char *body)
{
	struct extract_ctx ctx = { "bedrock", "2025-06-02", "offer.json", NULL };

	memset(r, 0, sizeof(*r));
	ctx.skips = &r->skips;
	r->rc = extract_bedrock(body, strlen(body), &ctx, &r->prices, &r->err);
}

static void run_release(struct run *r)
{
	price_list_release(&r->prices);
	extract_skips_release(&r->skips);
}

static void test_offer_rows(void **state)
{
	struct run r;
	size_t i, j;

	(void)state;
	run_str(&r, offer);
	if (r.rc < 0)
		fail_msg("%s", r.err.msg);
	assert_int_equal(r.rc, (int)TT_ARRAY_SIZE(offer_rows));
	for (i = 0; i < TT_ARRAY_SIZE(offer_rows); i++) {
		const struct row *w = &offer_rows[i];
		const struct price *p = NULL;

		for (j = 0; j < r.prices.n && !p; j++)
			if (!strcmp(r.prices.v[j].model, w->model) &&
			    !strcmp(r.prices.v[j].dimension, w->dimension) &&
			    !strcmp(r.prices.v[j].tier, w->tier) && !strcmp(r.prices.v[j].region, w->region))
				p = &r.prices.v[j];
		if (!p)
			fail_msg("no price for %s %s %s %s", w->model, w->dimension, w->tier, w->region);
		assert_int_equal(p->nanos, w->nanos);
		assert_string_equal(p->text, w->text);
		assert_string_equal(p->currency, w->currency);
		assert_string_equal(p->unit, "1M tokens");
		assert_string_equal(p->condition, "");
		assert_string_equal(p->provider, "bedrock");
		assert_string_equal(p->effective, "2025-06-01");
		assert_non_null(strstr(p->origin, "usagetype"));
	}
	assert_int_equal(extract_skips_count(&r.skips, "rate not priced per token"), 1);
	assert_int_equal(extract_skips_count(&r.skips, "volume-tiered rate"), 1);
	assert_int_equal(extract_skips_count(&r.skips, "term type not read (only OnDemand)"), 1);
	run_release(&r);
}

struct usage_case {
	const char *usage;
	int stored; /* 1: classified, 0: skipped as unclassified */
	const char *dimension, *tier;
};

static const struct usage_case usage_cases[] = {
	{ "USE1-X-input-tokens", 1, "input", "standard" },
	{ "USE1-X-output-tokens", 1, "output", "standard" },
	{ "USE1-X-flex-output-tokens", 1, "output", "flex" },
	{ "USE1-X-priority-input-tokens", 1, "input", "priority" },
	{ "USE1-X-Cache-Read-Input-Token-Count", 1, "cache_read", "standard" },
	{ "USE1-X-batch-cache-write-input-token-count", 1, "cache_write", "batch" },
	{ "USE1-X-tokens", 0, NULL, NULL },
	{ "USE1-X-input-output-tokens", 0, NULL, NULL },
	{ "USE1-X-cache-output-tokens", 0, NULL, NULL },
	{ "USE1-X-batch-flex-input-tokens", 0, NULL, NULL },
	{ "USE1-X-read-input-tokens", 0, NULL, NULL },
	{ "USE1-X-input-tokens-provisioned", 0, NULL, NULL },
};

static void test_usage_types(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(usage_cases); i++) {
		const struct usage_case *c = &usage_cases[i];
		char body[2048];
		struct run r;

		snprintf(body, sizeof(body),
			 "{\"offerCode\":\"AmazonBedrock\",\"products\":{\"A\":{\"sku\":\"A\",\"attributes\":"
			 "{\"model\":\"M\",\"regionCode\":\"us-east-1\",\"usagetype\":\"%s\"}},"
			 "\"B\":{\"sku\":\"B\",\"attributes\":{\"model\":\"Anchor\",\"regionCode\":"
			 "\"us-east-1\",\"usagetype\":\"USE1-Anchor-input-tokens\"}}},"
			 "\"terms\":{\"OnDemand\":{"
			 "\"A\":{\"A.T\":{\"priceDimensions\":{\"A.T.R\":{\"unit\":\"1M tokens\","
			 "\"pricePerUnit\":{\"USD\":\"1.5\"}}}}},"
			 "\"B\":{\"B.T\":{\"priceDimensions\":{\"B.T.R\":{\"unit\":\"1M tokens\","
			 "\"pricePerUnit\":{\"USD\":\"1\"}}}}}}}}",
			 c->usage);
		run_str(&r, body);
		if (r.rc < 0)
			fail_msg("%s: %s", c->usage, r.err.msg);
		assert_int_equal(r.rc, 1 + c->stored);
		if (c->stored) {
			assert_string_equal(r.prices.v[0].dimension, c->dimension);
			assert_string_equal(r.prices.v[0].tier, c->tier);
			assert_int_equal(r.prices.v[0].nanos, NANO(1.5));
			assert_null(r.prices.v[0].effective);
		} else {
			char reason[160];
			snprintf(reason, sizeof(reason), "unclassified usagetype %s", c->usage);
			assert_int_equal(extract_skips_count(&r.skips, reason), 1);
		}
		run_release(&r);
	}
}

struct closed_case {
	const char *name, *body, *msg;
};

static const struct closed_case closed_cases[] = {
	{ "not JSON", "<html>", "offer.json" },
	{ "an array", "[]", "not the AmazonBedrock offer file" },
	{ "another service", "{\"offerCode\":\"AmazonEC2\",\"products\":{},\"terms\":{\"OnDemand\":{}}}",
	  "offerCode AmazonEC2" },
	{ "no products", "{\"offerCode\":\"AmazonBedrock\",\"terms\":{\"OnDemand\":{}}}", "no \"products\" object" },
	{ "no OnDemand terms", "{\"offerCode\":\"AmazonBedrock\",\"products\":{},\"terms\":{\"Reserved\":{}}}",
	  "\"OnDemand\" object" },
	{ "nothing priced", "{\"offerCode\":\"AmazonBedrock\",\"products\":{},\"terms\":{\"OnDemand\":{}}}",
	  "no priced product among 0 products" },
	{ "one key, two prices",
	  "{\"offerCode\":\"AmazonBedrock\",\"products\":{\"A\":{\"attributes\":{\"model\":\"M\","
	  "\"regionCode\":\"us-east-1\",\"usagetype\":\"USE1-M-input-tokens\"}}},\"terms\":{\"OnDemand\":"
	  "{\"A\":{\"A.T\":{\"priceDimensions\":{\"R1\":{\"unit\":\"1M tokens\",\"pricePerUnit\":{\"USD\":\"1\"}},"
	  "\"R2\":{\"unit\":\"1M tokens\",\"pricePerUnit\":{\"USD\":\"2\"}}}}}}}}",
	  "published twice with different prices" },
};

static void test_fail_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(closed_cases); i++) {
		struct run r;

		run_str(&r, closed_cases[i].body);
		if (r.rc != TT_EPARSE || !strstr(r.err.msg, closed_cases[i].msg))
			fail_msg("%s: rc %d '%s', expected TT_EPARSE '%s'", closed_cases[i].name, r.rc,
				 r.err.msg, closed_cases[i].msg);
		run_release(&r);
	}
}

static void test_catalog_row(void **state)
{
	const struct source_def *s = catalog_find("bedrock");

	(void)state;
	assert_non_null(s);
	assert_true(s->extract == extract_bedrock);
	assert_int_equal(s->verified, 0); /* no real capture has confirmed it */
	assert_non_null(strstr(s->url, "/AmazonBedrock/current/index.json"));
	s = catalog_find("azure");
	assert_non_null(s);
	assert_true(s->extract == extract_azure);
	assert_int_equal(s->verified, 1); /* test_extract_azure: the 2026-07-31 capture */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer_rows),
		cmocka_unit_test(test_usage_types),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_catalog_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
