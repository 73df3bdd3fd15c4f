/*
 * catalog.c - the table of built-in sources.  Adding a source: write its
 * extractor (src/extract_<family>.c, declared in extract.h), add a row
 * here with its live URL and expectations, and add an acceptance test on
 * a real capture.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tokentrend/usersrc.h"
#include "tokentrend/azure.h"

/* OpenAI shows only its three newest models per tier in the static tables,
 * and they change every few months, so its floor is a model count only. */
static const char *const anthropic_anchors[] = { "claude-opus-4.1", "claude-sonnet-4.5", NULL };
static const char *const openrouter_anchors[] = { "openai/gpt-4o", NULL };
/* DeepSeek: the English page (2026-08, and the later one that renamed
 * deepseek-v4-flash to deepseek-flash) and the Chinese page (2026-07)
 * all list deepseek-v4-pro. */
static const char *const deepseek_anchors[] = { "deepseek-v4-pro", NULL };
static const char *const zai_anchors[] = { "GLM-4.5", "GLM-4.6", NULL };
/* xAI: the floor is 1 because a model page (one model) is a valid
 * capture of the source; the pricing-page table itself fails closed in
 * the extractor below 4 models. */
static const char *const xai_anchors[] = { "grok-4.7", NULL };

/* Gemini: the floor holds for the 3-section excerpt capture too. */
static const char *const gemini_anchors[] = { "gemini-2.5-pro", NULL };
static const char *const vertex_anchors[] = { "gemini-3.1-pro-preview", "claude-sonnet-4.6", NULL };
static const char *const azure_anchors[] = { "gpt-4.1", "gpt-5", NULL };

static const struct source_def sources[] = {
	{ "openai", "OpenAI API pricing page", "https://developers.openai.com/api/docs/pricing",
	  SOURCE_HTML, extract_openai, 3, NULL, 1 },
	{ "anthropic", "Anthropic (claude.com) pricing page", "https://www.claude.com/pricing",
	  SOURCE_HTML, extract_anthropic, 5, anthropic_anchors, 1 },
	{ "openrouter", "OpenRouter models feed", "https://openrouter.ai/api/v1/models",
	  SOURCE_JSON, extract_openrouter, 100, openrouter_anchors, 1 },
	{ "litellm", "LiteLLM price map (bundled history and imports)", NULL,
	  SOURCE_JSON, extract_litellm, 0, NULL, 1 },
	{ "llmprices", "llm-prices.com price data", NULL,
	  SOURCE_JSON, extract_llmprices, 0, NULL, 1 },
	/* DeepSeek's English page (USD) is the live URL; its Chinese page
	 * (/zh-cn/quick_start/pricing, CNY) replays under the same id: its
	 * CNY rows are different keys from the USD rows, separate series. */
	{ "deepseek", "DeepSeek API models & pricing page", "https://api-docs.deepseek.com/quick_start/pricing",
	  SOURCE_HTML, extract_deepseek, 2, deepseek_anchors, 1 },
	{ "zai", "Z.ai API pricing page", "https://docs.z.ai/guides/overview/pricing",
	  SOURCE_HTML, extract_zai, 10, zai_anchors, 1 },
	/* The captures do not record the exact URL of the Markdown page; the
	 * docs link to it as /developers/pricing. */
	{ "xai", "xAI API pricing (docs, Markdown)", "https://docs.x.ai/developers/pricing",
	  SOURCE_MARKDOWN, extract_xai, 1, xai_anchors, 1 },
	{ "mistral", "Mistral AI API pricing page", "https://mistral.ai/pricing",
	  SOURCE_HTML, extract_mistral, 3, NULL, 0 },
	{ "groq", "Groq on-demand pricing page", "https://groq.com/pricing",
	  SOURCE_HTML, extract_groq, 3, NULL, 0 },
	{ "gemini", "Google Gemini API pricing page", "https://ai.google.dev/gemini-api/docs/pricing",
	  SOURCE_HTML, extract_gemini, 3, gemini_anchors, 1 },
	{ "vertex", "Google Vertex AI generative AI pricing page",
	  "https://cloud.google.com/vertex-ai/generative-ai/pricing",
	  SOURCE_HTML, extract_vertex, 9, vertex_anchors, 1 },
	/* Paginated: scrape_fetch() fetches it with azure_fetch() (azure.h),
	 * which follows NextPageLink and assembles the array of pages the
	 * extractor reads; page 1 alone fails closed. */
	{ "azure", "Azure Retail Prices API (Foundry Models)", AZURE_PRICES_URL,
	  SOURCE_JSON, extract_azure, 40, azure_anchors, 1 },
	/* Built from AWS's documented offer-file format; no real capture has
	 * confirmed it yet. */
	{ "bedrock", "AWS Price List offer file for Amazon Bedrock",
	  "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonBedrock/current/index.json",
	  SOURCE_JSON, extract_bedrock, 5, NULL, 0 },
	/* Exchange rates, not prices: no extractor; `scrape` stores them with
	 * fx_scrape_body() (fx.h) after the price sources. */
	{ "ecb", "ECB euro foreign exchange reference rates (for currency conversion)",
	  "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml", SOURCE_XML, NULL, 0, NULL, 1 },
};

size_t catalog_count(void)
{
	return TT_ARRAY_SIZE(sources) + usersrc_count();
}

const struct source_def *catalog_at(size_t i)
{
	const struct usersrc *u;

	if (i < TT_ARRAY_SIZE(sources))
		return &sources[i];
	u = usersrc_at(i - TT_ARRAY_SIZE(sources));
	return u ? &u->def : NULL;
}

int catalog_is_user(const struct source_def *s)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(sources); i++)
		if (s == &sources[i])
			return 0;
	return s != NULL;
}

const struct source_def *catalog_find(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < TT_ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].id, id))
			return &sources[i];
	{
		const struct usersrc *u = usersrc_find(id);
		return u ? &u->def : NULL;
	}
}

const char *catalog_format_name(enum source_format f)
{
	switch (f) {
	case SOURCE_HTML: return "html";
	case SOURCE_JSON: return "json";
	case SOURCE_MARKDOWN: return "markdown";
	case SOURCE_CSV: return "csv";
	case SOURCE_XML: return "xml";
	}
	return "?";
}
