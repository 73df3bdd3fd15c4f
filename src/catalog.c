/*
 * catalog.c - the table of built-in sources.  Adding a source: write its
 * extractor (src/extract_<family>.c, declared in extract.h), add a row
 * here with its live URL and expectations, and add an acceptance test on
 * a real capture.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tokentrend/azure.h"

/* OpenAI shows only its three newest models per tier in the static tables,
 * and they change every few months, so its floor is a model count only. */
static const char *const anthropic_anchors[] = { "claude-opus-4.1", "claude-sonnet-4.5", NULL };
static const char *const openrouter_anchors[] = { "openai/gpt-4o", NULL };
static const char *const azure_anchors[] = { "gpt-4.1", "gpt-5", NULL };

static const struct source_def sources[] = {
	{ "openai", "OpenAI API pricing page", "https://developers.openai.com/api/docs/pricing",
	  SOURCE_HTML, extract_openai, 3, NULL },
	{ "anthropic", "Anthropic (claude.com) pricing page", "https://www.claude.com/pricing",
	  SOURCE_HTML, extract_anthropic, 5, anthropic_anchors },
	{ "openrouter", "OpenRouter models feed", "https://openrouter.ai/api/v1/models",
	  SOURCE_JSON, extract_openrouter, 100, openrouter_anchors },
	{ "litellm", "LiteLLM price map (bundled history and imports)", NULL,
	  SOURCE_CSV, NULL, 0, NULL },
	{ "llmprices", "llm-prices.com price data", NULL,
	  SOURCE_JSON, NULL, 0, NULL },
	/* Paginated: scrape_fetch() fetches it with azure_fetch() (azure.h),
	 * which follows NextPageLink and assembles the array of pages the
	 * extractor reads; page 1 alone fails closed. */
	{ "azure", "Azure Retail Prices API (Foundry Models)", AZURE_PRICES_URL,
	  SOURCE_JSON, extract_azure, 40, azure_anchors },
	/* UNVERIFIED: built from AWS's documented offer-file format; no real
	 * capture has confirmed it yet (mark it so in `sources list` once
	 * struct source_def has its verified field). */
	{ "bedrock", "AWS Price List offer file for Amazon Bedrock (unverified)",
	  "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonBedrock/current/index.json",
	  SOURCE_JSON, extract_bedrock, 5, NULL },
};

size_t catalog_count(void)
{
	return TT_ARRAY_SIZE(sources);
}

const struct source_def *catalog_at(size_t i)
{
	return i < TT_ARRAY_SIZE(sources) ? &sources[i] : NULL;
}

const struct source_def *catalog_find(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < TT_ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].id, id))
			return &sources[i];
	return NULL;
}

const char *catalog_format_name(enum source_format f)
{
	switch (f) {
	case SOURCE_HTML: return "html";
	case SOURCE_JSON: return "json";
	case SOURCE_MARKDOWN: return "markdown";
	case SOURCE_CSV: return "csv";
	}
	return "?";
}
