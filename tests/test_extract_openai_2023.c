/*
 * test_extract_openai_2023.c - the `openai` source on the older
 * openai.com/pricing layout (2023, per 1K tokens), read by
 * extract_openai_2023.c through extract_openai().
 *
 * (a) the committed excerpt tests/fixtures/openai-2023-12-14-excerpt.html
 *     row by row; (b) acceptance on the full capture
 *     ../shared/data/pages/openai-2023-12-14.html (count, spot values
 *     checked by hand against the page; skipped, saying so, when absent);
 *     (c) fail closed: anchor h2 removed, header row renamed, a page
 *     contradicting itself, a collapse of the model count (validation floor).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tt_extract_test.h"

/* Every price of the excerpt (GPT-4, Assistants API, Fine-tuning,
 * Embedding, Base, Image and Audio tables), in page order. */
static const struct xrow_full excerpt_rows[] = {
	{ "gpt-4", "input", "standard", "", "", "1M tokens", "30.00", NULL },
	{ "gpt-4", "output", "standard", "", "", "1M tokens", "60.00", NULL },
	{ "gpt-4-32k", "input", "standard", "", "", "1M tokens", "60.00", NULL },
	{ "gpt-4-32k", "output", "standard", "", "", "1M tokens", "120.00", NULL },
	{ "ft:gpt-3.5-turbo", "training", "standard", "", "", "1M tokens", "8.00", NULL },
	{ "ft:gpt-3.5-turbo", "input", "standard", "", "", "1M tokens", "3.00", NULL },
	{ "ft:gpt-3.5-turbo", "output", "standard", "", "", "1M tokens", "6.00", NULL },
	{ "ft:davinci-002", "training", "standard", "", "", "1M tokens", "6.00", NULL },
	{ "ft:davinci-002", "input", "standard", "", "", "1M tokens", "12.00", NULL },
	{ "ft:davinci-002", "output", "standard", "", "", "1M tokens", "12.00", NULL },
	{ "ft:babbage-002", "training", "standard", "", "", "1M tokens", "0.40", NULL },
	{ "ft:babbage-002", "input", "standard", "", "", "1M tokens", "1.60", NULL },
	{ "ft:babbage-002", "output", "standard", "", "", "1M tokens", "1.60", NULL },
	{ "text-embedding-ada-002", "input", "standard", "", "", "1M tokens", "0.10", NULL },
	{ "davinci-002", "input", "standard", "", "", "1M tokens", "2.00", NULL },
	{ "davinci-002", "output", "standard", "", "", "1M tokens", "2.00", NULL },
	{ "babbage-002", "input", "standard", "", "", "1M tokens", "0.40", NULL },
	{ "babbage-002", "output", "standard", "", "", "1M tokens", "0.40", NULL },
	{ "dall-e-3", "image", "standard", "standard,1024x1024", "", "image", "0.04", NULL },
	{ "dall-e-3", "image", "standard", "standard,1024x1792", "", "image", "0.08", NULL },
	{ "dall-e-3", "image", "standard", "standard,1792x1024", "", "image", "0.08", NULL },
	{ "dall-e-3", "image", "standard", "hd,1024x1024", "", "image", "0.08", NULL },
	{ "dall-e-3", "image", "standard", "hd,1024x1792", "", "image", "0.12", NULL },
	{ "dall-e-3", "image", "standard", "hd,1792x1024", "", "image", "0.12", NULL },
	{ "dall-e-2", "image", "standard", "1024x1024", "", "image", "0.02", NULL },
	{ "dall-e-2", "image", "standard", "512x512", "", "image", "0.018", NULL },
	{ "dall-e-2", "image", "standard", "256x256", "", "image", "0.016", NULL },
	{ "whisper-1", "minute", "standard", "", "", "minute", "0.006", NULL },
	{ "tts-1", "character", "standard", "", "", "1M characters", "15.00", NULL },
	{ "tts-1-hd", "character", "standard", "", "", "1M characters", "30.00", NULL },
};

static int run(const char *body, size_t len, const char *origin, struct price_list *out,
	       struct extract_skips *skips, struct tt_error *err)
{
	struct extract_ctx ctx = { "openai", "2023-12-14", origin, skips };

	return extract_openai(body, len, &ctx, out, err);
}

static void test_excerpt_rows(void **state)
{
	struct price_list l = PRICE_LIST_INIT, l2 = PRICE_LIST_INIT;
	struct extract_skips skips = EXTRACT_SKIPS_INIT;
	struct extract_ctx ctx = { "openai", "2023-12-14", "excerpt", NULL };
	struct tt_error err = { 0 };
	char path[512];
	size_t len;
	char *body;
	int rc;

	(void)state;
	tt_fixture_path("openai-2023-12-14-excerpt.html", path, sizeof(path));
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, &skips, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	xt_check_rows_full(&l, "openai", excerpt_rows, TT_ARRAY_SIZE(excerpt_rows));
	/* Texts and notes as published; per 1K read exactly. */
	assert_string_equal(l.v[0].text, "$0.03 / 1K tokens");
	assert_null(l.v[0].note);
	/* The Assistants API tools are counted as skipped, not stored. */
	assert_int_equal(extract_skips_count(&skips, "tool price (not a model price)"), 2);
	/* The 2023 reader called directly gives the same prices. */
	assert_int_equal(extract_openai_2023(body, len, &ctx, &l2, &err), rc);
	price_list_release(&l);
	price_list_release(&l2);
	extract_skips_release(&skips);
	free(body);
}

/* Read off openai-2023-12-14.html by hand (the page prices per 1K tokens). */
static const struct xspot spots[] = {
	{ "gpt-4-1106-preview", "input", "standard", "", "", "1M tokens", "10.00" },   /* $0.01 / 1K */
	{ "gpt-4-1106-vision-preview", "output", "standard", "", "", "1M tokens", "30.00" },
	{ "gpt-4-32k", "output", "standard", "", "", "1M tokens", "120.00" },         /* $0.12 / 1K */
	{ "gpt-3.5-turbo-1106", "input", "standard", "", "", "1M tokens", "1.00" },   /* $0.0010 / 1K */
	{ "gpt-3.5-turbo-instruct", "input", "standard", "", "", "1M tokens", "1.50" },
	{ "ft:gpt-3.5-turbo", "training", "standard", "", "", "1M tokens", "8.00" },  /* $0.0080 / 1K */
	{ "ft:davinci-002", "input", "standard", "", "", "1M tokens", "12.00" },
	{ "davinci-002", "output", "standard", "", "", "1M tokens", "2.00" },         /* base: usage */
	{ "text-embedding-ada-002", "input", "standard", "", "", "1M tokens", "0.10" },
	{ "dall-e-3", "image", "standard", "hd,1792x1024", "", "image", "0.12" },
	{ "dall-e-2", "image", "standard", "256x256", "", "image", "0.016" },
	{ "whisper-1", "minute", "standard", "", "", "minute", "0.006" },
	{ "tts-1-hd", "character", "standard", "", "", "1M characters", "30.00" },   /* $0.030 / 1K chars */
};

static void test_full_capture(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i;
	char *body;
	int rc;

	(void)state;
	if (tt_shared_path("pages/openai-2023-12-14.html", path, sizeof(path)) != 0)
		return;
	body = xt_load(path, &len);
	rc = run(body, len, path, &l, NULL, &err);
	if (rc != 38)
		fail_msg("%d prices, expected 38 (%s)", rc, err.msg);
	assert_int_equal(xt_models(&l), 17);
	xt_check_spots_full(&l, spots, TT_ARRAY_SIZE(spots));
	/* Fine-tuned prices never land on base keys. */
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].dimension, "training"))
			assert_memory_equal(l.v[i].model, "ft:", 3);
	/* The openai floor is 3 models (the 2026 page shows three per tier), so
	 * it catches a collapse, not half the 2023 page: keep 2 of 17. */
	xt_fewer_models_fail("openai", &l, 2);
	price_list_release(&l);
	free(body);
}

static const struct xfail fail_cases[] = {
	{ "anchor h2 'Language models' removed", "Language models", "Models", 1, TT_EPARSE,
	  "Language models" },
	{ "Model header cells renamed", ">Model<", ">Name<", 1, TT_EPARSE,
	  "no Model/Input/Output table" },
	{ "the page contradicts itself", ">gpt-4-32k<", ">gpt-4<", 0, TT_EPARSE,
	  "different prices" },
};

static void test_fail_closed(void **state)
{
	struct extract_ctx ctx = { "openai", "2023-12-14", "broken.html", NULL };
	char path[512];

	(void)state;
	tt_fixture_path("openai-2023-12-14-excerpt.html", path, sizeof(path));
	xt_check_fails_ctx(extract_openai, &ctx, path, fail_cases, TT_ARRAY_SIZE(fail_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_capture),
		cmocka_unit_test(test_fail_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
