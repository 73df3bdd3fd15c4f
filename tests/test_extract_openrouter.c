/*
 * test_extract_openrouter.c - OpenRouter /api/v1/models into prices.
 * Cases 2 (c), 3 and 6 of ../shared/cases, long-context and time-of-day
 * overrides, fail-closed anchors, the committed excerpt of the
 * 2026-08-18 capture and an acceptance test on the full capture.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"

#define NONE INT64_C(-999) /* "unknown": no price stored */

struct run {
	struct price_list prices;
	struct extract_skips skips;
	struct tt_error err;
	int rc;
};

static void run_body(struct run *r, const char *body, size_t len)
{
	struct extract_ctx ctx = { "openrouter", "2026-08-18", "test.json", NULL };

	memset(r, 0, sizeof(*r));
	ctx.skips = &r->skips;
	r->rc = extract_openrouter(body, len, &ctx, &r->prices, &r->err);
}

static void run_str(struct run *r, const char *body)
{
	run_body(r, body, strlen(body));
}

static void run_release(struct run *r)
{
	price_list_release(&r->prices);
	extract_skips_release(&r->skips);
}

static const struct price *find(const struct run *r, const char *model, const char *dim,
				const char *cond)
{
	size_t i;

	for (i = 0; i < r->prices.n; i++) {
		const struct price *p = &r->prices.v[i];
		if (!strcmp(p->model, model) && !strcmp(p->dimension, dim) &&
		    !strcmp(p->condition, cond))
			return p;
	}
	return NULL;
}

/* The stored nanos of a key, or NONE. */
static int64_t value(const struct run *r, const char *model, const char *dim, const char *cond)
{
	const struct price *p = find(r, model, dim, cond);

	return p ? p->nanos : NONE;
}

static size_t count_model(const struct run *r, const char *model)
{
	size_t i, n = 0;

	for (i = 0; i < r->prices.n; i++)
		n += !strcmp(r->prices.v[i].model, model);
	return n;
}

static void assert_no_negative(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->prices.n; i++)
		if (r->prices.v[i].nanos < 0)
			fail_msg("negative value stored for %s %s", r->prices.v[i].model,
				 r->prices.v[i].dimension);
}

#define USD(x) ((int64_t)((x) * 1000.0 + 0.5) * INT64_C(1000000)) /* exact for <= 3 decimals */

/* ---- case 6: sentinels "-1", "0", missing, null ---- */

static const char case6_json[] =
	"{\"data\":[\n"
	" {\"id\":\"router/auto\",        \"pricing\":{\"prompt\":\"-1\",\"completion\":\"-1\"}},\n"
	" {\"id\":\"vendor/model-free\",  \"pricing\":{\"prompt\":\"0\",\"completion\":\"0\"}},\n"
	" {\"id\":\"vendor/model-half\",  \"pricing\":{\"prompt\":\"0\"}},\n"
	" {\"id\":\"vendor/model-null\",  \"pricing\":{\"prompt\":null,\"completion\":null}},\n"
	" {\"id\":\"vendor/model-empty\", \"pricing\":{}},\n"
	" {\"id\":\"vendor/model-paid\",  \"pricing\":{\"prompt\":\"0.0000003\","
	"\"completion\":\"0.0000012\"}},\n"
	" {\"id\":\"vendor/song-model\",  \"pricing\":{\"prompt\":\"0\",\"completion\":\"0\","
	"\"request\":\"0.08\"}}\n"
	"]}\n";

struct case6_row {
	const char *id;
	int64_t input, output, request;
	const char *label;
};

static const struct case6_row case6_rows[] = {
	{ "router/auto", NONE, NONE, NONE, "dynamic" },
	{ "vendor/model-free", 0, 0, NONE, "free" },
	{ "vendor/model-half", 0, NONE, NONE, "not free" },
	{ "vendor/model-null", NONE, NONE, NONE, "not free" },
	{ "vendor/model-empty", NONE, NONE, NONE, "not free" },
	{ "vendor/model-paid", USD(0.30), USD(1.20), NONE, "paid" },
	{ "vendor/song-model", 0, 0, USD(0.08), "not free" },
};

/* The label a reader derives from the stored prices (DESIGN.md: missing is
 * NULL, never 0; free is 0 with the source saying so). */
static const char *label_of(const struct run *r, const char *id)
{
	size_t i, n = 0, zeros = 0;

	for (i = 0; i < r->prices.n; i++) {
		const struct price *p = &r->prices.v[i];
		if (strcmp(p->model, id))
			continue;
		n++;
		zeros += p->nanos == 0;
	}
	if (n == 0 && !strcmp(id, "router/auto") &&
	    extract_skips_count(&r->skips, "negative price (sentinel)") == 2)
		return "dynamic";
	if (n > zeros)
		return zeros == n - 1 && value(r, id, "request", "") > 0 ? "not free" : "paid";
	if (value(r, id, "input", "") == 0 && value(r, id, "output", "") == 0)
		return "free";
	return "not free";
}

static void test_case6_sentinels(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_str(&r, case6_json);
	assert_int_equal(r.rc, 8); /* 2 + 1 + 2 + 3 prices */
	for (i = 0; i < TT_ARRAY_SIZE(case6_rows); i++) {
		const struct case6_row *c = &case6_rows[i];
		const struct price *req = find(&r, c->id, "request", "");
		if (value(&r, c->id, "input", "") != c->input ||
		    value(&r, c->id, "output", "") != c->output ||
		    value(&r, c->id, "request", "") != c->request)
			fail_msg("case 6 %s: input %" PRId64 " output %" PRId64 " request %" PRId64,
				 c->id, value(&r, c->id, "input", ""),
				 value(&r, c->id, "output", ""), value(&r, c->id, "request", ""));
		if (strcmp(label_of(&r, c->id), c->label))
			fail_msg("case 6 %s: label %s, expected %s", c->id, label_of(&r, c->id),
				 c->label);
		if (req) {
			assert_string_equal(req->unit, "request");
			assert_string_equal(req->currency, "USD");
			assert_string_equal(req->text, "0.08");
		}
	}
	assert_no_negative(&r);
	assert_int_equal(extract_skips_count(&r.skips, "negative price (sentinel)"), 2);
	run_release(&r);
}

/* ---- case 3: currency and unit fields next to the number ---- */

static const char case3_json[] =
	"{\"data\":[\n"
	" {\"id\":\"demo-flash-cn\",\"pricing\":{\"currency\":\"CNY\",\"unit\":\"per_1m_tokens\","
	"\"prompt\":\"1\",\"completion\":\"2\",\"cache_read\":\"0.02\"}},\n"
	" {\"id\":\"demo-flash-intl\",\"pricing\":{\"currency\":\"USD\",\"unit\":\"per_1m_tokens\","
	"\"prompt\":\"0.15\",\"completion\":\"0.60\",\"cache_read\":\"0.003\"}},\n"
	" {\"id\":\"demo-other\",\"pricing\":{\"prompt\":\"0.0000005\",\"completion\":\"0.0000015\"}}\n"
	"]}";

struct case3_row {
	const char *id;
	const char *dim;
	const char *currency;
	int64_t nanos;
	const char *text;
};

static const struct case3_row case3_rows[] = {
	{ "demo-flash-cn", "input", "CNY", USD(1.00), "1" },
	{ "demo-flash-cn", "output", "CNY", USD(2.00), "2" },
	{ "demo-flash-cn", "cache_read", "CNY", USD(0.02), "0.02" },
	{ "demo-flash-intl", "input", "USD", USD(0.15), "0.15" },
	{ "demo-flash-intl", "output", "USD", USD(0.60), "0.60" },
	{ "demo-flash-intl", "cache_read", "USD", USD(0.003), "0.003" },
	{ "demo-other", "input", "USD", USD(0.50), "0.0000005" },   /* default: USD per token */
	{ "demo-other", "output", "USD", USD(1.50), "0.0000015" },
};

static void test_case3_currency_unit(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_str(&r, case3_json);
	assert_int_equal(r.rc, (int)TT_ARRAY_SIZE(case3_rows));
	for (i = 0; i < TT_ARRAY_SIZE(case3_rows); i++) {
		const struct case3_row *c = &case3_rows[i];
		const struct price *p = find(&r, c->id, c->dim, "");
		if (!p)
			fail_msg("case 3 %s %s: missing", c->id, c->dim);
		if (p->nanos != c->nanos || strcmp(p->currency, c->currency) ||
		    strcmp(p->text, c->text) || strcmp(p->unit, PRICE_UNIT_MTOK))
			fail_msg("case 3 %s %s: %" PRId64 " %s '%s' %s", c->id, c->dim, p->nanos,
				 p->currency, p->text, p->unit);
	}
	for (i = 0; i < r.prices.n; i++)
		assert_true(r.prices.v[i].nanos <= MONEY_MAX_PER_MTOK);
	run_release(&r);
}

/* ---- case 2 (c): JSON strings are per token ---- */

static void test_case2c_per_token(void **state)
{
	struct run r;

	(void)state;
	run_str(&r, "{\"data\":[{\"id\":\"demo-oss\",\"pricing\":{\"prompt\":\"0.00000015\","
		    "\"completion\":\"0.0000006\"}}]}");
	assert_int_equal(r.rc, 2);
	assert_true(value(&r, "demo-oss", "input", "") == USD(0.15));
	assert_true(value(&r, "demo-oss", "output", "") == USD(0.60));
	assert_string_equal(find(&r, "demo-oss", "input", "")->unit, "1M tokens");
	run_release(&r);
}

/* ---- value forms and unknowns ---- */

struct value_case {
	const char *pricing;   /* the pricing object */
	const char *dim, *cond;
	int64_t nanos;         /* NONE: nothing stored */
	const char *skip;      /* skip reason that must be counted, or NULL */
};

static const struct value_case value_cases[] = {
	/* JSON numbers are read from their text (LiteLLM-style exponent). */
	{ "{\"prompt\":2.5e-06}", "input", "", USD(2.50), NULL },
	{ "{\"prompt\":\"0.0000000208333333333333\"}", "input", "", INT64_C(20833333), NULL },
	{ "{\"prompt\":\"-0.5\"}", "input", "", NONE, "negative price (sentinel)" },
	{ "{\"prompt\":\"abc\"}", "input", "", NONE, "price is not a decimal number" },
	{ "{\"prompt\":\"\"}", "input", "", NONE, "price is not a decimal number" },
	{ "{\"prompt\":true}", "input", "", NONE, "price is not a decimal number" },
	{ "{\"prompt\":\"0.0000000000000001\"}", "input", "", NONE,
	  "price out of range or rounds to 0" },
	{ "{\"prompt\":\"0\",\"foo\":\"0.1\"}", "input", "", 0, "unclassified field foo" },
	{ "{\"prompt\":\"0\",\"image\":\"0.003\"}", "input", "", 0, "unclassified field image" },
	{ "{\"prompt\":\"0\",\"image_token\":\"0.00001\"}", "input", "", 0,
	  "unclassified field image_token" },
	{ "{\"prompt\":\"0\",\"discount\":0.1}", "input", "", 0, "unclassified field discount" },
	{ "{\"prompt\":\"0.000003\",\"currency\":\"XX\"}", "input", "", NONE,
	  "unknown pricing currency" },
	{ "{\"prompt\":\"0.000003\",\"unit\":\"per_image\"}", "input", "", NONE,
	  "unknown pricing unit" },
	{ "{\"prompt\":\"0.000003\",\"unit\":\"per_1m_images\"}", "input", "", NONE,
	  "unknown pricing unit" },
	{ "{\"prompt\":\"0.000003\",\"unit\":7}", "input", "", NONE,
	  "pricing currency or unit is not a string" },
	{ "{\"prompt\":\"0.003\",\"unit\":\"per_1k_tokens\",\"currency\":\"EUR\"}", "input", "",
	  USD(3.00), NULL },
	{ "{\"prompt\":\"0\",\"internal_reasoning\":\"0.000003\"}", "reasoning", "", USD(3.00),
	  NULL },
	{ "{\"prompt\":\"0\",\"input_cache_write_1h\":\"0.00001\"}", "cache_write_1h", "",
	  USD(10.00), NULL },
	{ "{\"prompt\":\"0\",\"audio\":\"0.000032\"}", "input", "audio", USD(32.00), NULL },
	{ "{\"prompt\":\"0\",\"input_audio_cache\":\"0.0000001\"}", "cache_read", "audio",
	  USD(0.10), NULL },
	{ "{\"prompt\":\"0\",\"audio_output\":\"0.000064\"}", "output", "audio", USD(64.00),
	  NULL },
	{ "{\"prompt\":\"0\",\"image_output\":\"0.00003\"}", "output", "image", USD(30.00), NULL },
	{ "{\"prompt\":\"0\",\"web_search\":\"0.01\"}", "query", "", USD(0.01), NULL },
	/* pricing.unit describes token prices only: web_search stays per query. */
	{ "{\"prompt\":\"1\",\"unit\":\"per_1m_tokens\",\"web_search\":\"0.01\"}", "query", "",
	  USD(0.01), NULL },
	{ "{\"prompt\":\"0\",\"request\":\"0.005\"}", "request", "", USD(0.005), NULL },
};

static void test_value_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(value_cases); i++) {
		const struct value_case *c = &value_cases[i];
		char body[512];
		struct run r;

		/* A second, plain model keeps the feed priced whatever happens to the first. */
		snprintf(body, sizeof(body),
			 "{\"data\":[{\"id\":\"m\",\"pricing\":%s},"
			 "{\"id\":\"anchor\",\"pricing\":{\"prompt\":\"0.000001\"}}]}",
			 c->pricing);
		run_str(&r, body);
		if (r.rc < 1)
			fail_msg("case %zu %s: rc %d %s", i, c->pricing, r.rc, r.err.msg);
		if (value(&r, "m", c->dim, c->cond) != c->nanos)
			fail_msg("case %zu %s: %s [%s] = %" PRId64 ", expected %" PRId64, i,
				 c->pricing, c->dim, c->cond, value(&r, "m", c->dim, c->cond),
				 c->nanos);
		if (c->skip && extract_skips_count(&r.skips, c->skip) != 1)
			fail_msg("case %zu %s: skip '%s' not counted once", i, c->pricing, c->skip);
		if (!c->skip && r.skips.n)
			fail_msg("case %zu %s: unexpected skip '%s'", i, c->pricing,
				 r.skips.v[0].reason);
		assert_no_negative(&r);
		run_release(&r);
	}
}

static void test_units_and_text(void **state)
{
	struct run r;
	const struct price *p;

	(void)state;
	run_str(&r, "{\"data\":[{\"id\":\"m\",\"pricing\":{\"prompt\":2.5e-06,"
		    "\"web_search\":\"0.014\",\"request\":\"0.08\"}}]}");
	assert_int_equal(r.rc, 3);
	p = find(&r, "m", "input", "");
	assert_string_equal(p->text, "2.5e-06"); /* the number's text, kept */
	assert_string_equal(p->provider, "openrouter");
	assert_string_equal(p->tier, "standard");
	assert_string_equal(p->region, "");
	assert_null(p->note);
	assert_null(p->effective);
	p = find(&r, "m", "query", "");
	assert_string_equal(p->unit, "query");
	assert_string_equal(p->note, "web search");
	p = find(&r, "m", "request", "");
	assert_string_equal(p->unit, "request");
	run_release(&r);
}

/* ---- model modality: which models carry token prices ---- */

struct modality_case {
	const char *architecture; /* the "architecture" member, or NULL for none */
	size_t prices;            /* prices stored for {"prompt":"0.006","completion":"0"} */
	const char *skip;
};

static const struct modality_case modality_cases[] = {
	{ NULL, 2, NULL },
	{ "{\"modality\":\"text->text\"}", 2, NULL },
	{ "{\"modality\":\"text+image+file+audio+video->text\"}", 2, NULL },
	{ "{\"modality\":\"text+image->text+image\"}", 2, NULL },
	{ "{\"modality\":\"text+audio->text+audio\"}", 2, NULL },
	{ "{\"modality\":\"text->embeddings\"}", 2, NULL },
	{ "{\"modality\":\"text+image->image\"}", 2, NULL },
	{ "{\"modality\":\"audio->transcription\"}", 0,
	  "model output is not billed per token (->transcription)" },
	{ "{\"modality\":\"text->speech\"}", 0, "model output is not billed per token (->speech)" },
	{ "{\"modality\":\"text+image->video\"}", 0, "model output is not billed per token (->video)" },
	{ "{\"modality\":\"text->rerank\"}", 0, "model output is not billed per token (->rerank)" },
	{ "{\"modality\":\"text+image->text+hologram\"}", 0,
	  "model output is not billed per token (->text+hologram)" },
	{ "{\"modality\":\"text\"}", 0, "unknown model modality" },
	{ "{\"modality\":\"text->\"}", 0, "unknown model modality" },
	{ "{\"modality\":\"text->text+\"}", 0, "unknown model modality" },
};

static void test_modality_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(modality_cases); i++) {
		const struct modality_case *c = &modality_cases[i];
		char body[512], arch[160] = "";
		struct run r;

		if (c->architecture)
			snprintf(arch, sizeof(arch), "\"architecture\":%s,", c->architecture);
		snprintf(body, sizeof(body),
			 "{\"data\":[{\"id\":\"m\",%s\"pricing\":{\"prompt\":\"0.006\","
			 "\"completion\":\"0\"}},"
			 "{\"id\":\"anchor\",\"pricing\":{\"prompt\":\"0.000001\"}}]}",
			 arch);
		run_str(&r, body);
		if (r.rc < 1)
			fail_msg("case %zu: rc %d %s", i, r.rc, r.err.msg);
		if (count_model(&r, "m") != c->prices)
			fail_msg("case %zu %s: %zu prices, expected %zu", i,
				 c->architecture ? c->architecture : "(none)", count_model(&r, "m"),
				 c->prices);
		if (c->skip && extract_skips_count(&r.skips, c->skip) != 1)
			fail_msg("case %zu: '%s' not counted (first: %s)", i, c->skip,
				 r.skips.n ? r.skips.v[0].reason : "none");
		run_release(&r);
	}
}

/* ---- overrides ---- */

struct band_case {
	const char *pricing;
	const char *dim, *cond;
	int64_t nanos;
	const char *note; /* expected note, or NULL for none */
};

#define SONNET                                                                            \
	"{\"prompt\":\"0.000003\",\"completion\":\"0.000015\",\"web_search\":\"0.01\","   \
	"\"overrides\":[{\"min_prompt_tokens\":200000,\"prompt\":\"0.000006\","            \
	"\"completion\":\"0.0000225\"}]}"
#define QWEN                                                                              \
	"{\"prompt\":\"0.00000078\",\"completion\":\"0.0000039\",\"overrides\":["         \
	"{\"min_prompt_tokens\":128000,\"prompt\":\"0.00000195\",\"completion\":\"0.00000975\"}," \
	"{\"min_prompt_tokens\":32000,\"prompt\":\"0.00000156\",\"completion\":\"0.0000078\"}]}"
#define DEEPSEEK                                                                          \
	"{\"prompt\":\"0.00000066\",\"overrides\":["                                     \
	"{\"utc_start\":1000,\"utc_end\":100,\"prompt\":\"0.00000066\"},"                  \
	"{\"utc_start\":100,\"utc_end\":400,\"prompt\":\"0.00000132\"},"                   \
	"{\"utc_start\":400,\"utc_end\":600,\"prompt\":\"0.00000066\"},"                   \
	"{\"utc_start\":600,\"utc_end\":1000,\"prompt\":\"0.00000132\"}]}"
#define PARTIAL                                                                           \
	"{\"prompt\":\"0.000001\",\"overrides\":["                                       \
	"{\"utc_start\":1630,\"utc_end\":30,\"prompt\":\"0.0000005\"}]}"
#define MILLION                                                                           \
	"{\"prompt\":\"0.000001\",\"overrides\":["                                       \
	"{\"min_prompt_tokens\":1000000,\"prompt\":\"0.000002\"},"                         \
	"{\"min_prompt_tokens\":272500,\"prompt\":\"0.0000015\"}]}"

static const struct band_case band_cases[] = {
	/* case 1 shape: both bands written, the lower one too; untouched fields flat */
	{ SONNET, "input", "prompt<200k", USD(3.00), NULL },
	{ SONNET, "input", "prompt>=200k", USD(6.00), NULL },
	{ SONNET, "output", "prompt<200k", USD(15.00), NULL },
	{ SONNET, "output", "prompt>=200k", USD(22.50), NULL },
	{ SONNET, "input", "", NONE, NULL },          /* never a collapsed flat price */
	{ SONNET, "query", "", USD(0.01), "web search" },
	/* three bands, overrides listed out of order */
	{ QWEN, "input", "prompt<32k", USD(0.78), NULL },
	{ QWEN, "input", "32k<=prompt<128k", USD(1.56), NULL },
	{ QWEN, "input", "prompt>=128k", USD(1.95), NULL },
	{ QWEN, "output", "32k<=prompt<128k", USD(7.80), NULL },
	{ MILLION, "input", "prompt<272500", USD(1.00), NULL },
	{ MILLION, "input", "272500<=prompt<1M", USD(1.50), NULL },
	{ MILLION, "input", "prompt>=1M", USD(2.00), NULL },
	/* case 8 shape: peak / off-peak with the hours in the note, no plain price */
	{ DEEPSEEK, "input", "offpeak", USD(0.66), "UTC 10:00-01:00, 04:00-06:00" },
	{ DEEPSEEK, "input", "peak", USD(1.32), "UTC 01:00-04:00, 06:00-10:00" },
	{ DEEPSEEK, "input", "", NONE, NULL },
	/* a window that does not cover the day: the base price holds elsewhere */
	{ PARTIAL, "input", "offpeak", USD(0.50), "UTC 16:30-00:30" },
	{ PARTIAL, "input", "peak", USD(1.00), "UTC 00:30-16:30" },
	/* prompt band and modality join in DESIGN.md order */
	{ "{\"audio\":\"0.00000125\",\"overrides\":[{\"min_prompt_tokens\":200000,"
	  "\"audio\":\"0.0000025\"}]}",
	  "input", "prompt>=200k,audio", USD(2.50), NULL },
	/* a field only in the override: the lower band is unknown, the upper stored */
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":200000,"
	  "\"prompt\":\"0.000002\",\"input_cache_read\":\"0.0000002\"}]}",
	  "cache_read", "prompt>=200k", USD(0.20), NULL },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":200000,"
	  "\"prompt\":\"0.000002\",\"input_cache_read\":\"0.0000002\"}]}",
	  "cache_read", "prompt<200k", NONE, NULL },
};

static void test_band_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(band_cases); i++) {
		const struct band_case *c = &band_cases[i];
		char body[1024];
		const struct price *p;
		struct run r;

		snprintf(body, sizeof(body), "{\"data\":[{\"id\":\"m\",\"pricing\":%s}]}",
			 c->pricing);
		run_str(&r, body);
		if (r.rc < 1)
			fail_msg("case %zu: rc %d %s", i, r.rc, r.err.msg);
		p = find(&r, "m", c->dim, c->cond);
		if ((p ? p->nanos : NONE) != c->nanos)
			fail_msg("case %zu: %s [%s] = %" PRId64 ", expected %" PRId64, i, c->dim,
				 c->cond, p ? p->nanos : NONE, c->nanos);
		if (p && c->note && (!p->note || strcmp(p->note, c->note)))
			fail_msg("case %zu: %s [%s] note '%s', expected '%s'", i, c->dim, c->cond,
				 p->note ? p->note : "(null)", c->note);
		if (r.skips.n)
			fail_msg("case %zu: unexpected skip '%s'", i, r.skips.v[0].reason);
		run_release(&r);
	}
}

struct band_skip_case {
	const char *pricing;
	const char *skip;   /* counted reason */
	size_t prices;      /* prices still written for the model */
};

static const struct band_skip_case band_skip_cases[] = {
	/* a field named by one prompt band but not the other: ambiguous */
	{ "{\"prompt\":\"0.000001\",\"completion\":\"0.000002\",\"overrides\":["
	  "{\"min_prompt_tokens\":32000,\"prompt\":\"0.000002\",\"completion\":\"0.000003\"},"
	  "{\"min_prompt_tokens\":128000,\"prompt\":\"0.000003\"}]}",
	  "overrides: field missing from some bands", 3 },
	/* an override shape we do not know: its fields skipped, the others kept */
	{ "{\"prompt\":\"0.000001\",\"completion\":\"0.000002\",\"overrides\":["
	  "{\"utc_days\":[6,0],\"prompt\":\"0.0000005\"}]}",
	  "overrides: unknown override key", 1 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"prompt\":\"0.0000005\"}]}",
	  "overrides: override of unknown shape", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":1000,"
	  "\"utc_start\":100,\"utc_end\":200,\"prompt\":\"0.0000005\"}]}",
	  "overrides: override of unknown shape", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":1000,"
	  "\"prompt\":\"0.000002\"},{\"utc_start\":100,\"utc_end\":200,\"prompt\":\"0.0000005\"}]}",
	  "overrides: overrides of mixed kinds", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":\"200000\","
	  "\"prompt\":\"0.000002\"}]}",
	  "overrides: bad min_prompt_tokens", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"utc_start\":170,\"utc_end\":200,"
	  "\"prompt\":\"0.000002\"}]}",
	  "overrides: bad utc_start/utc_end", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"utc_start\":100,\"utc_end\":300,"
	  "\"prompt\":\"0.000002\"},{\"utc_start\":200,\"utc_end\":400,\"prompt\":\"0.000003\"}]}",
	  "overrides: time windows overlap", 0 },
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"utc_start\":100,\"utc_end\":300,"
	  "\"prompt\":\"0.000002\"},{\"utc_start\":300,\"utc_end\":400,\"prompt\":\"0.000003\"}]}",
	  "overrides: more than two time-band prices", 0 },
	{ "{\"completion\":\"0.000001\",\"overrides\":[{\"utc_start\":100,\"utc_end\":300,"
	  "\"prompt\":\"0.000002\"}]}",
	  "overrides: no price outside the time windows", 1 },
	/* a sentinel inside a band skips that band only */
	{ "{\"prompt\":\"0.000001\",\"overrides\":[{\"min_prompt_tokens\":1000,"
	  "\"prompt\":\"-1\"}]}",
	  "negative price (sentinel)", 1 },
	{ "{\"prompt\":\"0.000001\",\"completion\":\"0.000002\",\"overrides\":{}}",
	  "overrides not an array of objects", 0 },
};

static void test_band_skips(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(band_skip_cases); i++) {
		const struct band_skip_case *c = &band_skip_cases[i];
		char body[1024];
		struct run r;

		snprintf(body, sizeof(body),
			 "{\"data\":[{\"id\":\"m\",\"pricing\":%s},"
			 "{\"id\":\"anchor\",\"pricing\":{\"prompt\":\"0.000001\"}}]}",
			 c->pricing);
		run_str(&r, body);
		if (r.rc < 1)
			fail_msg("case %zu: rc %d %s", i, r.rc, r.err.msg);
		if (extract_skips_count(&r.skips, c->skip) < 1)
			fail_msg("case %zu: '%s' not counted (first skip: %s)", i, c->skip,
				 r.skips.n ? r.skips.v[0].reason : "none");
		if (count_model(&r, "m") != c->prices)
			fail_msg("case %zu: %zu prices, expected %zu", i, count_model(&r, "m"),
				 c->prices);
		if (value(&r, "m", "input", "") != NONE && c->prices == 0)
			fail_msg("case %zu: a collapsed flat input price was stored", i);
		assert_no_negative(&r);
		run_release(&r);
	}
}

/* ---- fail closed ---- */

struct fail_case {
	const char *body;
	const char *msg;
};

static const struct fail_case fail_cases[] = {
	{ "{}", "anchor top-level \"data\" array" },
	{ "{\"data\":{}}", "anchor top-level \"data\" array" },
	{ "[{\"id\":\"a\"}]", "anchor top-level \"data\" array" },
	{ "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}}",
	  "anchor top-level \"data\" array" },
	{ "{\"data\":[]}", "no priced model among 0 entries" },
	{ "{\"data\":[{\"id\":\"router/auto\",\"pricing\":{\"prompt\":\"-1\"}}]}",
	  "no priced model among 1 entries" },
	{ "{\"data\":[{\"id\":\"x\"}]}", "no priced model" },
	{ "{\"data\":[{\"id\":\"x\",\"pricing\":{\"prompt\":\"0.1\",}}]}", "line 1, column" },
	{ "<!DOCTYPE html><html><head><title>Just a moment...</title>", "line 1, column 1" },
	{ "{\"data\":[{\"id\":\"x\",\"pricing\":{\"prompt\":\"0.000001\"}}", "truncated" },
	{ "", "empty body" },
};

static void test_fail_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(fail_cases); i++) {
		struct run r;

		run_str(&r, fail_cases[i].body);
		if (r.rc != TT_EPARSE)
			fail_msg("case %zu: rc %d, expected TT_EPARSE", i, r.rc);
		if (!strstr(r.err.msg, fail_cases[i].msg) || !strstr(r.err.msg, "test.json"))
			fail_msg("case %zu: message '%s' lacks '%s' or the origin", i, r.err.msg,
				 fail_cases[i].msg);
		run_release(&r);
	}
}

/* ---- the committed excerpt of the 2026-08-18 capture ---- */

struct spot {
	const char *model, *dim, *cond;
	int64_t nanos;
	const char *text;
};

static const struct spot excerpt_spots[] = {
	{ "openai/gpt-4o", "input", "", USD(2.50), "0.0000025" },
	{ "openai/gpt-4o", "output", "", USD(10.00), "0.00001" },
	{ "openai/gpt-4o", "cache_read", "", USD(1.25), "0.00000125" },
	{ "google/gemma-4-31b-it:free", "input", "", 0, "0" },
	{ "google/gemma-4-31b-it:free", "output", "", 0, "0" },
	{ "anthropic/claude-sonnet-4.5", "input", "prompt<200k", USD(3.00), "0.000003" },
	{ "anthropic/claude-sonnet-4.5", "input", "prompt>=200k", USD(6.00), "0.000006" },
	{ "anthropic/claude-sonnet-4.5", "cache_write_1h", "prompt>=200k", USD(12.00), "0.000012" },
	{ "anthropic/claude-opus-4.7:batch", "cache_write", "", USD(3.125), "0.000003125" },
	{ "anthropic/claude-opus-4.7:batch", "query", "", USD(0.01), "0.01" },
	{ "google/gemini-2.5-pro", "output", "prompt>=200k", USD(15.00), "0.000015" },
	{ "google/gemini-2.5-pro", "cache_read", "prompt<200k,audio", USD(0.125), "0.000000125" },
	{ "google/gemini-2.5-pro", "cache_write", "", USD(0.375), "0.000000375" },
	{ "google/gemini-2.5-pro", "reasoning", "", USD(10.00), "0.00001" },
	{ "google/gemini-2.5-pro", "query", "", USD(0.014), "0.014" },
	{ "deepseek/deepseek-v4-pro", "input", "offpeak", USD(0.66), "0.00000066" },
	{ "deepseek/deepseek-v4-pro", "output", "peak", USD(3.96), "0.00000396" },
	{ "deepseek/deepseek-v4-pro", "cache_read", "peak", USD(0.044), "0.000000044" },
	{ "qwen/qwen3.7-flash", "cache_write", "32k<=prompt<256k", USD(0.125), "0.000000125" },
	{ "bytedance-seed/seedream-5-0-pro", "output", "image", INT64_C(10778443114),
	  "0.0000107784431137725" },
	{ "openai/gpt-audio", "output", "audio", USD(64.00), "0.000064" },
	{ "perplexity/sonar-deep-research", "reasoning", "", USD(3.00), "0.000003" },
};

static void check_spots(const struct run *r, const struct spot *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct price *p = find(r, s[i].model, s[i].dim, s[i].cond);
		if (!p)
			fail_msg("%s %s [%s]: missing", s[i].model, s[i].dim, s[i].cond);
		if (p->nanos != s[i].nanos || strcmp(p->text, s[i].text) ||
		    strcmp(p->currency, "USD"))
			fail_msg("%s %s [%s]: %" PRId64 " '%s' %s, expected %" PRId64 " '%s'",
				 s[i].model, s[i].dim, s[i].cond, p->nanos, p->text, p->currency,
				 s[i].nanos, s[i].text);
	}
}

static void test_excerpt(void **state)
{
	char path[512];
	size_t len = 0;
	char *body;
	struct run r;

	(void)state;
	tt_fixture_path("openrouter-models-2026-08-18-excerpt.json", path, sizeof(path));
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	assert_int_equal(r.rc, 64);
	check_spots(&r, excerpt_spots, TT_ARRAY_SIZE(excerpt_spots));
	assert_int_equal(count_model(&r, "openrouter/auto"), 0);
	assert_int_equal(count_model(&r, "google/gemini-2.5-pro"), 13);
	assert_int_equal(count_model(&r, "deepseek/deepseek-v4-pro"), 6);
	assert_int_equal(count_model(&r, "qwen/qwen3.7-flash"), 12);
	assert_int_equal(extract_skips_count(&r.skips, "unclassified field image"), 2);
	assert_int_equal(extract_skips_count(&r.skips, "unclassified field image_token"), 1);
	assert_int_equal(extract_skips_count(&r.skips, "negative price (sentinel)"), 2);
	assert_int_equal(r.skips.n, 3);
	assert_no_negative(&r);
	run_release(&r);
	free(body);
}

/* ---- acceptance: the full capture (549 models) ---- */

static const struct spot capture_spots[] = {
	{ "openai/gpt-4o", "input", "", USD(2.50), "0.0000025" },
	{ "openai/gpt-4o", "output", "", USD(10.00), "0.00001" },
	{ "openai/gpt-4o-mini", "input", "", USD(0.15), "0.00000015" },
	{ "openai/gpt-4o-mini", "output", "", USD(0.60), "0.0000006" },
	{ "anthropic/claude-opus-4.7", "input", "", USD(5.00), "0.000005" },
	{ "anthropic/claude-opus-4.7", "cache_write_1h", "", USD(10.00), "0.00001" },
	{ "anthropic/claude-opus-4.7:batch", "output", "", USD(12.50), "0.0000125" },
	{ "google/gemini-2.5-pro", "input", "prompt<200k", USD(1.25), "0.00000125" },
	{ "google/gemini-2.5-pro", "input", "prompt>=200k", USD(2.50), "0.0000025" },
	{ "deepseek/deepseek-v4-pro-0813", "input", "peak", USD(1.32), "0.00000132" },
	{ "deepseek/deepseek-chat", "input", "", INT64_C(257400000), "0.0000002574" },
	{ "x-ai/grok-4.6", "cache_read", "prompt>=200k", USD(1.00), "0.000001" },
	{ "x-ai/grok-4.6", "query", "", USD(0.005), "0.005" },
	{ "google/gemini-3-pro-image", "output", "image", USD(120.00), "0.00012" },
};

static void test_capture_acceptance(void **state)
{
	char path[512];
	size_t len = 0, i, models = 0;
	char *body;
	struct run r;

	(void)state;
	if (tt_shared_path("pages/openrouter-models-2026-08-18.json", path, sizeof(path)) < 0)
		skip();
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	assert_int_equal(r.rc, 1825);
	for (i = 0; i < r.prices.n; i++)
		models += i == 0 || strcmp(r.prices.v[i].model, r.prices.v[i - 1].model) != 0;
	/* 549 models: 67 speech/transcription/video/rerank models skipped,
	 * 5 routers priced "-1" store nothing. */
	assert_int_equal(models, 477);
	check_spots(&r, capture_spots, TT_ARRAY_SIZE(capture_spots));
	assert_int_equal(extract_skips_count(&r.skips, "unclassified field image"), 37);
	assert_int_equal(extract_skips_count(&r.skips, "unclassified field image_token"), 28);
	assert_int_equal(extract_skips_count(&r.skips, "negative price (sentinel)"), 10);
	assert_int_equal(extract_skips_count(&r.skips,
					     "model output is not billed per token (->transcription)"),
			 19);
	assert_int_equal(extract_skips_count(&r.skips,
					     "model output is not billed per token (->speech)"),
			 18);
	assert_int_equal(extract_skips_count(&r.skips,
					     "model output is not billed per token (->video)"),
			 23);
	assert_int_equal(extract_skips_count(&r.skips,
					     "model output is not billed per token (->rerank)"),
			 7);
	assert_int_equal(r.skips.n, 7);
	assert_int_equal(count_model(&r, "openai/whisper-1"), 0); /* "0.006" is per minute */
	assert_int_equal(count_model(&r, "openai/sora-2-pro"), 0); /* "0" is not free */
	for (i = 0; i < r.prices.n; i++)
		if (!strcmp(r.prices.v[i].unit, PRICE_UNIT_MTOK))
			assert_true(r.prices.v[i].nanos <= MONEY_MAX_PER_MTOK);
	assert_no_negative(&r);
	run_release(&r);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case6_sentinels),
		cmocka_unit_test(test_case3_currency_unit),
		cmocka_unit_test(test_case2c_per_token),
		cmocka_unit_test(test_value_table),
		cmocka_unit_test(test_units_and_text),
		cmocka_unit_test(test_modality_table),
		cmocka_unit_test(test_band_table),
		cmocka_unit_test(test_band_skips),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_capture_acceptance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
