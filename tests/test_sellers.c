/*
 * test_sellers.c - one model, many sellers: rows grouped through the
 * catalog, the highest-ranked source shown, disagreements between sources
 * reported (a lower prompt band compares with an unconditioned price), and
 * an unknown name never merged into a catalog model.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/sellers.h"
#include "tt_rows.h"

#define U(n) INT64_C(n)

static const char catalog[] =
	"model sonnet\n  name anthropic claude-sonnet-4.5 claude-sonnet-4-5\n"
	"  name bedrock anthropic.claude-sonnet\n  name openrouter anthropic/claude-sonnet-4.5\n"
	"model luna\n  name openai luna\n"
	"model o1-mini\n  name openai o1-mini-2024-09-12\n";

static struct price_row rows[] = {
	/* the page names a band, LiteLLM does not: same price, no disagreement */
	ROW("anthropic", "claude-sonnet-4.5", "input", "standard", "prompt<=200k", "", "1M tokens", "USD", U(3000000000), "anthropic", "2025-11-14", ""),
	ROW("anthropic", "claude-sonnet-4.5", "input", "standard", "prompt>200k", "", "1M tokens", "USD", U(6000000000), "anthropic", "2025-11-14", ""),
	ROW("anthropic", "claude-sonnet-4-5", "input", "standard", "", "", "1M tokens", "USD", U(3000000000), "litellm", "2025-09-29", ""),
	ROW("bedrock", "anthropic.claude-sonnet", "input", "standard", "", "", "1M tokens", "USD", U(3300000000), "litellm", "2025-09-29", ""),
	ROW("openrouter", "anthropic/claude-sonnet-4.5", "input", "standard", "", "", "1M tokens", "USD", U(3000000000), "openrouter", "2026-08-18", ""),
	/* a stale aggregator: reported */
	ROW("openai", "luna", "input", "standard", "prompt<=272k", "", "1M tokens", "USD", U(200000000), "openai", "2026-08-21", ""),
	ROW("openai", "luna", "input", "standard", "", "", "1M tokens", "USD", U(1000000000), "litellm", "2026-07-09", ""),
	/* an unmapped name equal to a catalog id stays apart */
	ROW("openai", "o1-mini", "input", "standard", "", "", "1M tokens", "USD", U(1210000000), "litellm", "2025-04-26", ""),
	ROW("openai", "o1-mini-2024-09-12", "input", "standard", "", "", "1M tokens", "USD", U(1100000000), "litellm", "2025-04-26", ""),
};

static void load(struct models *m)
{
	struct tt_error err = { 0 };

	if (models_parse(m, catalog, strlen(catalog), "t.conf", &err))
		fail_msg("%s", err.msg);
}

static void test_one_model(void **state)
{
	struct price_rows pr = { rows, TT_ARRAY_SIZE(rows), TT_ARRAY_SIZE(rows) };
	struct sellers_view v = SELLERS_VIEW_INIT;
	struct models m = MODELS_INIT;
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	load(&m);
	assert_int_equal(sellers_build(&pr, &m, "sonnet", SELLERS_BY_PRICE, &v, NULL), 4);
	/* by price: the three 3.00 rows, then bedrock's 3.30; the upper band on its own */
	assert_int_equal(v.v[0].row->p.nanos, U(3000000000));
	assert_string_equal(v.v[0].row->p.provider, "anthropic");
	assert_string_equal(v.v[0].row->source, "anthropic"); /* the page outranks LiteLLM */
	assert_int_equal(v.v[0].n_disagree, 0);
	assert_string_equal(v.v[1].row->p.provider, "openrouter");
	assert_string_equal(v.v[2].row->p.provider, "bedrock");
	assert_rel(v.v[2].x_cheapest, 1.1, 1e-12);
	assert_string_equal(v.v[3].row->p.condition, "prompt>200k");
	assert_rel(v.v[3].x_cheapest, 1.0, 1e-12);
	for (i = 0; i < v.n; i++)
		assert_string_equal(v.v[i].canonical, "sonnet");
	assert_int_equal(sellers_render(&v, QUERY_FORMAT_JSON, &out), 0);
	assert_non_null(strstr(out.buf, "\"canonical\": \"sonnet\""));
	assert_non_null(strstr(out.buf, "\"price\": \"3.30\""));
	assert_non_null(strstr(out.buf, "\"x_cheapest\": 1.1000"));
	assert_non_null(strstr(out.buf, "\"disagreements\": []"));
	buf_release(&out);
	assert_int_equal(sellers_render(&v, QUERY_FORMAT_CSV, &out), 0);
	assert_non_null(strstr(out.buf, "dimension,tier,condition,seller,model,region,price,currency,unit,source,x_cheapest,note\r\n"));
	assert_non_null(strstr(out.buf, "input,standard,,bedrock,anthropic.claude-sonnet,,3.30,USD,1M tokens,litellm,1.10,\r\n"));
	buf_release(&out);
	sellers_view_release(&v);
	models_release(&m);
}

static void test_disagreements(void **state)
{
	struct price_rows pr = { rows, TT_ARRAY_SIZE(rows), TT_ARRAY_SIZE(rows) };
	struct sellers_view v = SELLERS_VIEW_INIT;
	struct models m = MODELS_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	load(&m);
	assert_int_equal(sellers_build(&pr, &m, NULL, SELLERS_ONLY_DISAGREEMENTS, &v, NULL), 1);
	assert_string_equal(v.v[0].row->p.model, "luna");
	assert_string_equal(v.v[0].row->source, "openai");
	assert_int_equal(v.v[0].row->p.nanos, U(200000000));
	assert_int_equal(v.v[0].n_disagree, 1);
	assert_string_equal(v.v[0].disagree[0]->source, "litellm");
	assert_int_equal(v.v[0].disagree[0]->p.nanos, U(1000000000));
	assert_int_equal(sellers_render(&v, QUERY_FORMAT_TABLE, &out), 0);
	assert_non_null(strstr(out.buf, "disagrees: litellm says 1.00 (since 2026-07-09)"));
	assert_null(strstr(out.buf, "x_cheapest")); /* no ratio across models */
	buf_release(&out);
	assert_int_equal(sellers_render(&v, QUERY_FORMAT_JSON, &out), 0);
	assert_non_null(strstr(out.buf, "\"disagreements\": [{\"source\": \"litellm\", \"model\": \"luna\", "
				       "\"price\": \"1.00\", \"valid_from\": \"2026-07-09\"}]"));
	buf_release(&out);
	sellers_view_release(&v);

	/* the unmapped "o1-mini" (1.21) is not the catalog's o1-mini (1.10): no disagreement,
	 * and each is selected on its own */
	assert_int_equal(sellers_build(&pr, &m, "o1-mini", 0, &v, NULL), 1);
	assert_string_equal(v.v[0].row->p.model, "o1-mini-2024-09-12");
	sellers_view_release(&v);
	models_release(&m);
	/* without a catalog, "o1-mini" is the published name */
	assert_int_equal(sellers_build(&pr, NULL, "o1-mini", 0, &v, NULL), 1);
	assert_int_equal(v.v[0].row->p.nanos, U(1210000000));
	sellers_view_release(&v);

	/* without a catalog every name is its own model */
	assert_int_equal(sellers_build(&pr, NULL, NULL, SELLERS_ONLY_DISAGREEMENTS, &v, NULL), 1);
	sellers_view_release(&v);
	assert_int_equal(sellers_build(&pr, NULL, "claude-sonnet-4-5", 0, &v, NULL), 1);
	sellers_view_release(&v);
	sellers_view_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_model),
		cmocka_unit_test(test_disagreements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
