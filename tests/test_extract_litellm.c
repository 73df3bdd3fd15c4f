/*
 * test_extract_litellm.c - LiteLLM's model_prices_and_context_window.json
 * into prices: exponent-notation USD per token read exactly per 1M, tiers
 * (batches, priority, flex), prompt bands (above_200k/272k, both bands
 * written), 1-hour cache writes, modalities, the legacy DeepSeek cache-hit
 * field, provider mapping and model prefixes, skipped modes and fields,
 * duplicates, fail-closed roots; the committed excerpt of the 2026-07-24
 * capture and an acceptance test on the full capture.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"

#define NONE INT64_C(-999)

struct run {
	struct price_list prices;
	struct extract_skips skips;
	struct tt_error err;
	int rc;
};

static void run_body(struct run *r, const char *body, size_t len)
{
	struct extract_ctx ctx = { "litellm", "2026-07-24", "dir/litellm-test.json", NULL };

	memset(r, 0, sizeof(*r));
	ctx.skips = &r->skips;
	r->rc = extract_litellm(body, len, &ctx, &r->prices, &r->err);
}

static void run_release(struct run *r)
{
	price_list_release(&r->prices);
	extract_skips_release(&r->skips);
}

static int64_t value(const struct run *r, const char *prov, const char *model, const char *dim,
		     const char *tier, const char *cond)
{
	size_t i;

	for (i = 0; i < r->prices.n; i++) {
		const struct price *p = &r->prices.v[i];
		if (!strcmp(p->provider, prov) && !strcmp(p->model, model) && !strcmp(p->dimension, dim) &&
		    !strcmp(p->tier, tier) && !strcmp(p->condition, cond))
			return p->nanos;
	}
	return NONE;
}

static int64_t m(const char *text)
{
	int64_t n = 0;

	assert_int_equal(money_parse_str(text, 0, &n, NULL), 0);
	return n;
}

static void test_excerpt(void **state)
{
	static const struct {
		const char *prov, *model, *dim, *tier, *cond, *price;
	} cases[] = {
		/* gpt-4o: tiers, exponent notation */
		{ "openai", "gpt-4o", "input", "standard", "", "2.50" },
		{ "openai", "gpt-4o", "input", "batch", "", "1.25" },
		{ "openai", "gpt-4o", "input", "priority", "", "4.25" },
		{ "openai", "gpt-4o", "output", "priority", "", "17.00" },
		{ "openai", "gpt-4o", "cache_read", "priority", "", "2.125" },
		/* gpt-5.4: a 272k band, both bands written; flex has no band */
		{ "openai", "gpt-5.4", "input", "standard", "prompt<=272k", "2.50" },
		{ "openai", "gpt-5.4", "input", "standard", "prompt>272k", "5.00" },
		{ "openai", "gpt-5.4", "output", "standard", "prompt>272k", "22.50" },
		{ "openai", "gpt-5.4", "cache_read", "flex", "", "0.13" },
		{ "openai", "gpt-5.4", "output", "batch", "", "7.50" },
		/* claude-sonnet-4-5: 200k bands, 5-minute and 1-hour cache writes */
		{ "anthropic", "claude-sonnet-4-5", "cache_write", "standard", "prompt<=200k", "3.75" },
		{ "anthropic", "claude-sonnet-4-5", "cache_write_1h", "standard", "prompt<=200k", "6.00" },
		{ "anthropic", "claude-sonnet-4-5", "cache_write_1h", "standard", "prompt>200k", "12.00" },
		{ "anthropic", "claude-sonnet-4-5", "output", "standard", "prompt<=200k", "15.00" },
		/* gemini/ prefix stripped; priority tier with its own bands */
		{ "gemini", "gemini-2.5-pro", "input", "priority", "prompt>200k", "2.50" },
		{ "gemini", "gemini-2.5-pro", "cache_read", "standard", "prompt<=200k", "0.125" },
		/* two entries, one key: equal values kept once; legacy cache_hit unused */
		{ "deepseek", "deepseek-chat", "cache_read", "standard", "", "0.028" },
		{ "deepseek", "deepseek-chat", "cache_write", "standard", "", "0.00" },
		/* vertex_ai-anthropic_models -> vertex, prefix vertex_ai/ stripped */
		{ "vertex", "claude-sonnet-4-5", "input", "batch", "", "1.50" },
		{ "vertex", "claude-sonnet-4-5", "cache_write_1h", "standard", "", "6.00" },
		/* a Bedrock key keeps the region-prefixed model id as published */
		{ "bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "cache_read", "standard", "", "0.08" },
		/* modalities */
		{ "openai", "gpt-4o-audio-preview", "input", "standard", "audio", "40.00" },
		{ "openai", "gpt-4o-audio-preview", "output", "standard", "audio", "80.00" },
		/* case 2: per token, a float repr's long tail rounded at the nano */
		{ "databricks", "databricks-claude-3-7-sonnet", "input", "standard", "", "2.99999" },
		{ "databricks", "databricks-claude-3-7-sonnet", "output", "standard", "", "15.00002" },
	};
	char path[512];
	struct run r;
	size_t len = 0, i;
	char *body;

	(void)state;
	tt_fixture_path("litellm-model-prices-2026-07-24-excerpt.json", path, sizeof(path));
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	assert_int_equal(r.rc, 67);
	assert_int_equal(r.prices.n, 67);
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		int64_t got = value(&r, cases[i].prov, cases[i].model, cases[i].dim, cases[i].tier,
				    cases[i].cond);
		if (got != m(cases[i].price))
			fail_msg("%s %s %s %s '%s': got %" PRId64 ", want %s", cases[i].prov, cases[i].model,
				 cases[i].dim, cases[i].tier, cases[i].cond, got, cases[i].price);
	}
	/* no plain-condition row where bands exist; embedding skipped; DBU counted */
	assert_int_equal(value(&r, "openai", "gpt-5.4", "input", "standard", ""), NONE);
	assert_int_equal(value(&r, "openai", "text-embedding-3-small", "input", "standard", ""), NONE);
	assert_int_equal(extract_skips_count(&r.skips, "mode embedding not imported"), 1);
	assert_int_equal(extract_skips_count(&r.skips, "unclassified field input_dbu_cost_per_token"), 1);
	/* the text is the number as written; the origin keeps the original key */
	for (i = 0; i < r.prices.n; i++) {
		const struct price *p = &r.prices.v[i];
		if (!strcmp(p->model, "gpt-4o") && !strcmp(p->dimension, "input") && !strcmp(p->tier, "standard")) {
			assert_string_equal(p->text, "2.5e-06");
			assert_string_equal(p->origin, "file=litellm-test.json key=gpt-4o litellm_provider=openai");
			assert_null(p->effective);
			assert_null(p->observed);
		}
		if (!strcmp(p->provider, "vertex"))
			assert_non_null(strstr(p->origin, "key=vertex_ai/claude-sonnet-4-5 litellm_provider=vertex_ai-anthropic_models"));
	}
	run_release(&r);
	free(body);
}

static void test_rules(void **state)
{
	static const struct {
		const char *name, *body;
		int rc;           /* prices, or an error code */
		const char *model, *dim, *tier, *cond, *price; /* one expected value, or NULL */
		const char *skip;  /* a skip reason counted once, or NULL */
	} cases[] = {
		{ "legacy cache hit used without cache_read",
		  "{\"m\":{\"litellm_provider\":\"deepseek\",\"mode\":\"chat\",\"input_cost_per_token\":2.7e-07,"
		  "\"input_cost_per_token_cache_hit\":7e-08}}",
		  2, "m", "cache_read", "standard", "", "0.07", NULL },
		{ "case 6: a negative value is a sentinel, skipped",
		  "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":-1,\"output_cost_per_token\":1e-06}}",
		  1, "m", "output", "standard", "", "1.00", "negative price (sentinel)" },
		{ "null stores nothing, 0 is free",
		  "{\"m\":{\"litellm_provider\":\"ollama\",\"input_cost_per_token\":0.0,\"output_cost_per_token\":null}}",
		  1, "m", "input", "standard", "", "0.00", NULL },
		{ "a conflicting duplicate keeps the later entry",
		  "{\"x\":{\"litellm_provider\":\"gemini\",\"input_cost_per_token\":1e-07},"
		  "\"gemini/x\":{\"litellm_provider\":\"gemini\",\"input_cost_per_token\":2e-07}}",
		  1, "x", "input", "standard", "", "0.20", "conflicting duplicate key (kept the later entry)" },
		{ "other modes are skipped whole",
		  "{\"i\":{\"litellm_provider\":\"openai\",\"mode\":\"image_generation\",\"input_cost_per_token\":1e-06},"
		  "\"c\":{\"litellm_provider\":\"openai\",\"mode\":\"completion\",\"input_cost_per_token\":1e-06}}",
		  1, "c", "input", "standard", "", "1.00", "mode image_generation not imported" },
		{ "provider merge: text-completion-openai, together_ai prefix",
		  "{\"together_ai/meta/llama\":{\"litellm_provider\":\"together_ai\",\"input_cost_per_token\":8.8e-07}}",
		  1, "meta/llama", "input", "standard", "", "0.88", NULL },
		{ "sample_spec and last_updated are not models; nothing else: fail closed",
		  "{\"sample_spec\":{\"litellm_provider\":\"x\",\"input_cost_per_token\":0.0},\"last_updated\":\"2026\"}",
		  TT_EPARSE, NULL, NULL, NULL, NULL, NULL, NULL },
		{ "not an object", "[1,2]", TT_EPARSE, NULL, NULL, NULL, NULL, NULL, NULL },
		{ "not JSON", "{\"a\":", TT_EPARSE, NULL, NULL, NULL, NULL, NULL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct run r;
		run_body(&r, cases[i].body, strlen(cases[i].body));
		if (r.rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d (%s)", cases[i].name, r.rc, cases[i].rc, r.err.msg);
		if (cases[i].price) {
			size_t k;
			int64_t got = NONE;
			for (k = 0; k < r.prices.n; k++)
				if (!strcmp(r.prices.v[k].model, cases[i].model) &&
				    !strcmp(r.prices.v[k].dimension, cases[i].dim) &&
				    !strcmp(r.prices.v[k].tier, cases[i].tier) &&
				    !strcmp(r.prices.v[k].condition, cases[i].cond))
					got = r.prices.v[k].nanos;
			if (got != m(cases[i].price))
				fail_msg("%s: got %" PRId64 ", want %s", cases[i].name, got, cases[i].price);
		}
		if (cases[i].skip && extract_skips_count(&r.skips, cases[i].skip) != 1)
			fail_msg("%s: skip '%s' not counted once", cases[i].name, cases[i].skip);
		run_release(&r);
	}
}

/* Acceptance: the full 2026-07-24 capture (1.49 MB). */
static void test_full_capture(void **state)
{
	char path[512];
	struct run r;
	size_t len = 0, i;
	char *body;

	(void)state;
	if (tt_shared_path("pages/litellm-model-prices-2026-07-24.json", path, sizeof(path)) < 0)
		return;
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	assert_true(r.rc > 6000);
	printf("litellm 2026-07-24: %d prices, %zu skip reasons\n", r.rc, r.skips.n);
	assert_int_equal(value(&r, "openai", "gpt-4o", "input", "standard", ""), m("2.50"));
	assert_int_equal(value(&r, "openai", "gpt-4o", "cache_read", "standard", ""), m("1.25"));
	assert_int_equal(value(&r, "anthropic", "claude-sonnet-4-5", "input", "standard", "prompt<=200k"), m("3.00"));
	assert_int_equal(value(&r, "anthropic", "claude-sonnet-4-5", "output", "standard", "prompt<=200k"), m("15.00"));
	assert_int_equal(value(&r, "openai", "o3", "input", "standard", ""), m("2.00"));
	for (i = 0; i < r.prices.n; i++)
		assert_true(r.prices.v[i].nanos >= 0);
	run_release(&r);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_full_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
