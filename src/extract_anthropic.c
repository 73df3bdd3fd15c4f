/*
 * extract_anthropic.c - prices from www.claude.com/pricing (Webflow).
 *
 * Each API model is a card div.card_pricing_api_wrap with its title in
 * h3.card_pricing_title_text ("Opus 4.1").  Inside, nested wraps
 * (tokens_l1_wrap > tokens_l2_wrap > tokens_l3_wrap) each open with a
 * div.tokens_main_wrap holding a div.tokens_main_label; a price sits in
 * div.tokens_main_val as "$" + span.tokens_main_val_number[@data-value] +
 * " / MTok".  A price's meaning is the chain of labels above it, outer to
 * inner: "Input" > "Prompts ≤ 200K tokens", or "Prompt caching" > "> 200K
 * tokens" > "Write".  Labels are matched by text: Input, Output, Write
 * (cache_write, the 5-minute write), Read (cache_read), prompt bands, and
 * "Prompt caching" as a plain heading.  The batch toggle is client-side:
 * the static values are the standard tier.
 *
 * The platform docs pricing page (platform.claude.com) is read by
 * extract_anthropic_docs.c when the page has no card.
 *
 * Model ids: the store keeps the seller's published name; the card shows
 * "Opus 4.1", so the id is the deterministic slug "claude-opus-4.1" and
 * the published title goes in the price's note.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define AN_PROVIDER "anthropic"

#define AN_CLASS(c) "contains(concat(' ', normalize-space(@class), ' '), ' " c " ')"

static const struct {
	const char *label;
	const char *dimension;
} an_dims[] = {
	{ "input", "input" },
	{ "output", "output" },
	{ "write", "cache_write" },
	{ "cache write", "cache_write" },
	{ "cache writes", "cache_write" },
	{ "read", "cache_read" },
	{ "cache read", "cache_read" },
	{ "cache reads", "cache_read" },
	{ "cache hits", "cache_read" },
};

/* Plain headings that carry no meaning of their own. */
static const char *const an_headings[] = { "prompt caching" };

/*
 * Walk the labels above one value and fill dimension and band.
 * Returns 0, or 1 when the value must be skipped (reason in why).
 */
static int an_labels(xmlDocPtr doc, xmlNodePtr span, const char **dimension, char *band,
		     size_t bandlen, char *why, size_t whylen)
{
	struct html_nodes labels = HTML_NODES_INIT;
	struct buf t = BUF_INIT;
	size_t i, k;
	int rc = 1;

	*dimension = NULL;
	band[0] = '\0';
	/* Labels of every enclosing wrap, outer first, then the value's own. */
	if (html_xpath_nodes(doc, span,
			     "ancestor::div[" AN_CLASS("tokens_l1_wrap") " or " AN_CLASS("tokens_l2_wrap")
			     " or " AN_CLASS("tokens_l3_wrap") "]/div[" AN_CLASS("tokens_main_wrap")
			     "]/div[" AN_CLASS("tokens_main_label") "]"
			     " | ancestor::div[" AN_CLASS("tokens_main_wrap") "][1]/div["
			     AN_CLASS("tokens_main_label") "]",
			     &labels, NULL) <= 0) {
		snprintf(why, whylen, "no label");
		goto out;
	}
	for (i = 0; i < labels.n; i++) {
		char b[32];
		const char *dim = NULL;
		int heading = 0;

		buf_reset(&t);
		if (html_node_text(labels.v[i], &t) < 0) {
			snprintf(why, whylen, "out of memory");
			goto out;
		}
		textnorm_lower(t.buf);
		for (k = 0; k < TT_ARRAY_SIZE(an_dims); k++)
			if (!strcmp(t.buf, an_dims[k].label))
				dim = an_dims[k].dimension;
		for (k = 0; k < TT_ARRAY_SIZE(an_headings); k++)
			if (!strcmp(t.buf, an_headings[k]))
				heading = 1;
		if (dim) {
			if (*dimension && strcmp(*dimension, dim)) {
				snprintf(why, whylen, "two dimensions (%s, %s)", *dimension, dim);
				goto out;
			}
			*dimension = dim;
		} else if (pricetext_band(t.buf, b, sizeof(b)) == 1) {
			if (band[0] && strcmp(band, b)) {
				snprintf(why, whylen, "two prompt bands (%s, %s)", band, b);
				goto out;
			}
			snprintf(band, bandlen, "%s", b);
		} else if (!heading) {
			snprintf(why, whylen, "unknown label '%s'", t.buf);
			goto out;
		}
	}
	if (!*dimension) {
		snprintf(why, whylen, "no Input/Output/Write/Read label");
		goto out;
	}
	rc = 0;
out:
	html_nodes_release(&labels);
	buf_release(&t);
	return rc;
}

/* One card.  Returns prices added or a negative code. */
static int an_card(xmlDocPtr doc, xmlNodePtr card, const struct extract_ctx *ctx, const char *what,
		   struct price_list *out, size_t from, struct tt_error *err)
{
	struct html_nodes vals = HTML_NODES_INIT;
	struct buf title = BUF_INIT, model = BUF_INIT, num = BUF_INIT, valtext = BUF_INIT;
	size_t i;
	int rc, added = 0;

	/* The anchor of a card: its title, exactly once (two would mix models). */
	rc = html_xpath_nodes(doc, card, ".//h3[" AN_CLASS("card_pricing_title_text") "]", &vals, err);
	if (rc < 0)
		goto out;
	if ((rc = extract_anchor_once(ctx, "h3.card_pricing_title_text (an API card's title)", vals.n,
				      err)) < 0)
		goto out;
	rc = html_xpath_text(doc, card, ".//h3[" AN_CLASS("card_pricing_title_text") "]", &title, err);
	if (rc < 0)
		goto out;
	if (rc == 0 || title.len == 0 || extract_slug("claude-", title.buf, &model) < 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: an API pricing card has no title", what);
		goto out;
	}
	rc = html_xpath_nodes(doc, card, ".//span[" AN_CLASS("tokens_main_val_number") "]", &vals, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: card '%s' holds no price", what, title.buf);
		goto out;
	}
	for (i = 0; i < vals.n; i++) {
		struct pricetext_value v[PRICETEXT_MAX];
		xmlNodePtr val;
		const char *dimension;
		char band[32], why[128], cond[64];
		struct price p;
		int64_t check;
		int n;

		buf_reset(&num);
		buf_reset(&valtext);
		if (html_attr(vals.v[i], "data-value", &num) <= 0 || num.len == 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: card '%s': a price has no data-value", what,
					  title.buf);
			goto out;
		}
		memset(&p, 0, sizeof(p));
		if ((rc = money_parse(num.buf, num.len, 0, &p.nanos, err)) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: card '%s': data-value '%s' is not a number",
					  what, title.buf, num.buf);
			goto out;
		}
		/* The visible "$15 / MTok" gives currency and unit, and must agree. */
		val = html_xpath_node(doc, vals.v[i], "ancestor::div[" AN_CLASS("tokens_main_val") "][1]");
		if ((rc = html_node_text(val ? val : vals.v[i], &valtext)) < 0)
			goto out;
		n = pricetext_parse(valtext.buf, valtext.len, NULL, "en-US", v, PRICETEXT_MAX, err);
		if (n < 0) {
			rc = n;
			goto out;
		}
		if (n != 1 || v[0].status != PRICETEXT_VALUE || !v[0].currency[0] ||
		    v[0].unit == MONEY_UNIT_UNKNOWN) {
			rc = tt_set_error(err, TT_EPARSE,
					  "%s: card '%s': price text '%s' names no single value with currency and unit",
					  what, title.buf, valtext.buf);
			goto out;
		}
		check = v[0].nanos;
		if (check != p.nanos) {
			rc = tt_set_error(err, TT_EPARSE,
					  "%s: card '%s': data-value '%s' disagrees with the shown price '%s'",
					  what, title.buf, num.buf, valtext.buf);
			goto out;
		}
		if (v[0].unit != MONEY_UNIT_PER_1M &&
		    (rc = money_parse(num.buf, num.len, money_unit_scale(v[0].unit), &p.nanos, err)) < 0)
			goto out;
		if (an_labels(doc, vals.v[i], &dimension, band, sizeof(band), why, sizeof(why))) {
			LOG(LOG_WARN, "%s: card '%s': price %s skipped: %s", what, title.buf, num.buf, why);
			continue;
		}
		if (pricetext_condition(band, NULL, NULL, cond, sizeof(cond)) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: card '%s': condition too long", what, title.buf);
			goto out;
		}
		p.provider = AN_PROVIDER;
		p.model = model.buf;
		p.dimension = (char *)dimension;
		p.tier = "standard";
		p.condition = cond;
		p.region = "";
		p.unit = PRICE_UNIT_MTOK;
		p.currency = v[0].currency;
		p.text = valtext.buf;
		p.note = title.buf;
		rc = extract_add(out, from, &p, what, err);
		if (rc < 0)
			goto out;
		added += rc;
	}
	rc = added;
out:
	html_nodes_release(&vals);
	buf_release(&title);
	buf_release(&model);
	buf_release(&num);
	buf_release(&valtext);
	return rc;
}

int extract_anthropic(const char *body, size_t len, const struct extract_ctx *ctx,
		      struct price_list *out, struct tt_error *err)
{
	struct html_nodes cards = HTML_NODES_INIT;
	xmlDocPtr doc = NULL;
	const char *what = extract_origin(ctx, "anthropic pricing page");
	size_t from = out->n, i;
	int rc, total = 0;

	if ((rc = html_parse(body, len, what, &doc, err)) < 0)
		goto out;
	rc = html_xpath_nodes(doc, NULL, "//div[" AN_CLASS("card_pricing_api_wrap") "]", &cards, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		/* The platform docs pricing page (extract_anthropic_docs.c). */
		if (html_xpath_node(doc, NULL, "//table//th[normalize-space()='Base Input Tokens']")) {
			rc = extract_anthropic_docs_doc(doc, ctx, out, err);
			goto out;
		}
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no API pricing card (div.card_pricing_api_wrap) and no docs model "
				  "pricing table (th 'Base Input Tokens'); the page layout changed",
				  what);
		goto out;
	}
	for (i = 0; i < cards.n; i++) {
		rc = an_card(doc, cards.v[i], ctx, what, out, from, err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu API cards but no price could be read", what,
				  cards.n);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, from);
	html_nodes_release(&cards);
	html_free(doc);
	return rc;
}
