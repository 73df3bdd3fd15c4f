/*
 * catalog.c - the table of built-in sources.  Adding a source: write its
 * extractor (src/extract_<family>.c, declared in extract.h), add a row
 * here with its live URL and expectations, and add an acceptance test on
 * a real capture.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"

/* OpenAI shows only its three newest models per tier in the static tables,
 * and they change every few months, so its floor is a model count only. */
static const char *const anthropic_anchors[] = { "claude-opus-4.1", "claude-sonnet-4.5", NULL };
static const char *const openrouter_anchors[] = { "openai/gpt-4o", NULL };

static const struct source_def sources[] = {
	{ "openai", "OpenAI API pricing page", "https://developers.openai.com/api/docs/pricing",
	  SOURCE_HTML, extract_openai, 3, NULL },
	{ "anthropic", "Anthropic (claude.com) pricing page", "https://www.claude.com/pricing",
	  SOURCE_HTML, extract_anthropic, 5, anthropic_anchors },
	{ "openrouter", "OpenRouter models feed", "https://openrouter.ai/api/v1/models",
	  SOURCE_JSON, extract_openrouter, 100, openrouter_anchors },
	{ "litellm", "LiteLLM price map (bundled history and imports)", NULL,
	  SOURCE_JSON, extract_litellm, 0, NULL },
	{ "llmprices", "llm-prices.com price data", NULL,
	  SOURCE_JSON, extract_llmprices, 0, NULL },
	/* Exchange rates, not prices: no extractor; `scrape` stores them with
	 * fx_scrape_body() (fx.h) after the price sources. */
	{ "ecb", "ECB euro foreign exchange reference rates (for currency conversion)",
	  "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml", SOURCE_XML, NULL, 0, NULL },
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
	case SOURCE_XML: return "xml";
	}
	return "?";
}
