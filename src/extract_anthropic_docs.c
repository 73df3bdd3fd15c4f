/*
 * extract_anthropic_docs.c - prices from the Claude platform docs pricing
 * page (platform.claude.com/docs/en/about-claude/pricing, Next.js), the
 * second page of the `anthropic` source: extract_anthropic() dispatches
 * here when the page has no claude.com pricing card.
 *
 * The page has plain <table>s with a <thead>; section anchors are ids on a
 * div inside the h2/h3.  Tables are recognised by header text, never by
 * position:
 *   "Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes |
 *    Cache Hits & Refreshes | Output Tokens" (the anchor: exactly one)
 *        -> input, cache_write, cache_write_1h, cache_read, output; standard
 *   "Model | Batch input | Batch output" -> input, output; tier batch
 *   the fast-mode section's "Input | Output" table, whose model the page
 *   names in the sentence before it ("Currently supported on Opus 4.6:")
 *        -> input, output; tier fast (DESIGN.md: Anthropic's fast mode)
 * The long-context section is prose only (no prices).  Values read
 * "$5 / MTok".
 *
 * Model ids use the cards extractor's slug, so both pages give the same
 * keys: "Claude Opus 4.7" -> "claude-opus-4.7".  A "(deprecated)" suffix
 * is dropped from the id; the published name, suffix included, is the
 * price's note.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define AD_PROVIDER "anthropic"
#define AD_MAX_COLS 16
#define AD_ANCHOR "//table[.//th[normalize-space()='Base Input Tokens']]"

/* Lowercased column header -> dimension. */
static const struct {
	const char *header;
	const char *dimension;
} ad_dims[] = {
	{ "base input tokens", "input" },
	{ "input tokens", "input" },
	{ "input", "input" },
	{ "batch input", "input" },
	{ "5m cache writes", "cache_write" },
	{ "1h cache writes", "cache_write_1h" },
	{ "cache hits & refreshes", "cache_read" },
	{ "cache hits", "cache_read" },
	{ "output tokens", "output" },
	{ "output", "output" },
	{ "batch output", "output" },
};

struct ad_state {
	xmlDocPtr doc;
	const char *what;
	struct price_list *out;
	size_t from;
	struct extract_skips *skips;
};

/*
 * Model id and note from a published name: "Claude Sonnet 3.7 (deprecated)"
 * -> "claude-sonnet-3.7"; "Opus 4.6" -> "claude-opus-4.6".
 */
static int ad_model_id(const char *name, struct buf *id)
{
	char base[128];
	size_t n;
	const char *p;

	buf_reset(id);
	snprintf(base, sizeof(base), "%s", name);
	n = strlen(base);
	while (n > 0 && base[n - 1] == ' ')
		base[--n] = '\0';
	if (n > 12 && !strcasecmp(base + n - 12, "(deprecated)")) {
		base[n - 12] = '\0';
		n -= 12;
		while (n > 0 && base[n - 1] == ' ')
			base[--n] = '\0';
	}
	p = base;
	if (!strncasecmp(p, "claude ", 7))
		p += 7;
	return extract_slug("claude-", p, id);
}

/* The id of the section heading before node ("" when none). */
static void ad_section(struct ad_state *st, xmlNodePtr node, struct buf *id)
{
	xmlNodePtr h = html_xpath_node(st->doc, node,
				       "preceding::*[self::h2 or self::h3][1]/descendant-or-self::*[@id][1]");
	buf_reset(id);
	if (h)
		html_attr(h, "id", id);
}

/* The fast-mode model: "... supported on Opus 4.6:" in the text before the table. */
static int ad_fast_model(struct ad_state *st, xmlNodePtr table, struct buf *name)
{
	xmlNodePtr p = html_xpath_node(st->doc, table, "preceding::p[contains(., 'supported on ')][1]");
	xmlNodePtr h = html_xpath_node(st->doc, table, "preceding::*[self::h2 or self::h3][1]");
	struct buf t = BUF_INIT;
	const char *s;
	int rc = 0;

	buf_reset(name);
	/* The sentence must lie in the table's own section. */
	if (!p || !h || html_node_order(h, p) > 0 || html_node_text(p, &t) < 0 || !t.len)
		goto out;
	s = strstr(t.buf, "supported on ");
	if (!s)
		goto out;
	s += 13;
	{
		size_t n = strlen(s);
		while (n > 0 && (s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == ' '))
			n--;
		if (n == 0 || memchr(s, ',', n) || memchr(s, ' ', n) == NULL)
			goto out; /* one model, "Opus 4.6", or nothing */
		rc = buf_add(name, s, n) < 0 ? TT_ENOMEM : 1;
	}
out:
	buf_release(&t);
	return rc;
}

static int ad_add(struct ad_state *st, const char *model, const char *dimension, const char *tier,
		  const struct pricetext_value *v, const char *note, struct tt_error *err)
{
	struct price p;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = money_parse(v->number, strlen(v->number), money_unit_scale(v->unit), &p.nanos,
			      err)) < 0)
		return rc;
	p.provider = AD_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.tier = (char *)tier;
	p.condition = "";
	p.region = "";
	p.unit = PRICE_UNIT_MTOK;
	p.currency = (char *)v->currency;
	p.text = (char *)v->text;
	p.note = (char *)note;
	return extract_add(st->out, st->from, &p, st->what, err);
}

/* Read one price cell; 1 with *v set, 0 for an empty/unknown cell, or TT_EPARSE. */
static int ad_cell(struct ad_state *st, const char *model, const char *cell,
		   struct pricetext_value *v, struct tt_error *err)
{
	struct pricetext_value vs[PRICETEXT_MAX];
	int n = pricetext_parse(cell, strlen(cell), NULL, "en-US", vs, PRICETEXT_MAX, err);

	if (n < 0)
		return n;
	if (n == 1 && vs[0].status == PRICETEXT_UNKNOWN)
		return 0;
	if (n != 1 || vs[0].status != PRICETEXT_VALUE || !vs[0].currency[0] ||
	    vs[0].unit == MONEY_UNIT_UNKNOWN)
		return tt_set_error(err, TT_EPARSE,
				    "%s: %s: price cell '%s' is not one value with currency and token unit",
				    st->what, model, cell);
	*v = vs[0];
	return 1;
}

/* One table.  Returns prices added, or a negative code. */
static int ad_table(struct ad_state *st, xmlNodePtr table, const char *section,
		    struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	const char *dims[AD_MAX_COLS];
	struct buf id = BUF_INIT, name = BUF_INIT;
	size_t r, c, model_col = SIZE_MAX, ndims = 0;
	int rc, added = 0, batch = 0;
	const char *tier;

	if (html_table_grid(table, &g, NULL) < 0 || g.header_rows == 0 || g.cols > AD_MAX_COLS) {
		rc = 0;
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		char h[64];
		size_t k;
		dims[c] = NULL;
		snprintf(h, sizeof(h), "%s", html_grid_leaf(&g, c));
		textnorm_lower(h);
		if (!strcmp(h, "model") && model_col == SIZE_MAX)
			model_col = c;
		for (k = 0; k < TT_ARRAY_SIZE(ad_dims); k++)
			if (!strcmp(h, ad_dims[k].header))
				dims[c] = ad_dims[k].dimension;
		if (!strncmp(h, "batch ", 6))
			batch = 1;
		ndims += dims[c] != NULL;
	}
	if (ndims == 0) {
		rc = 0;
		goto out;
	}
	if (model_col == SIZE_MAX) {
		/* Only the fast-mode table prices a model named outside the table. */
		if (strcmp(section, "fast-mode-pricing")) {
			rc = extract_skips_add(st->skips, "price table without a Model column", section);
			goto out;
		}
		if ((rc = ad_fast_model(st, table, &name)) < 0)
			goto out;
		if (rc == 0) {
			rc = extract_skips_add(st->skips, "fast mode table names no model", section);
			goto out;
		}
		if ((rc = ad_model_id(name.buf, &id)) < 0)
			goto out;
		tier = "fast";
	} else {
		tier = batch ? "batch" : "standard";
	}
	for (r = g.header_rows; r < g.rows; r++) {
		const char *model, *note;

		if (g.header_row[r])
			continue;
		if (model_col != SIZE_MAX) {
			note = html_grid_at(&g, r, model_col)->text;
			if (!*note)
				continue;
			if ((rc = ad_model_id(note, &id)) < 0) {
				rc = tt_set_error(err, TT_EPARSE, "%s: model name '%s' gives no id", st->what,
						  note);
				goto out;
			}
		} else {
			note = name.buf;
		}
		model = id.buf;
		for (c = 0; c < g.cols; c++) {
			struct pricetext_value v;
			if (!dims[c])
				continue;
			rc = ad_cell(st, model, html_grid_at(&g, r, c)->text, &v, err);
			if (rc < 0)
				goto out;
			if (rc == 0)
				continue;
			if ((rc = ad_add(st, model, dims[c], tier, &v, note, err)) < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&id);
	buf_release(&name);
	return rc;
}

int extract_anthropic_docs_doc(xmlDocPtr doc, const struct extract_ctx *ctx,
			       struct price_list *out, struct tt_error *err)
{
	struct ad_state st;
	struct html_nodes tables = HTML_NODES_INIT;
	struct buf section = BUF_INIT;
	size_t i;
	int rc, total = 0, n;

	memset(&st, 0, sizeof(st));
	st.doc = doc;
	st.what = extract_origin(ctx, "anthropic docs pricing page");
	st.out = out;
	st.from = out->n;
	st.skips = ctx ? ctx->skips : NULL;
	if ((n = html_xpath_nodes(doc, NULL, AD_ANCHOR, &tables, err)) < 0) {
		rc = n;
		goto out;
	}
	if (n != 1) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: expected one model pricing table (th 'Base Input Tokens'), found %d; "
				  "the page layout changed", st.what, n);
		goto out;
	}
	if ((rc = html_xpath_nodes(doc, NULL, "//table", &tables, err)) < 0)
		goto out;
	for (i = 0; i < tables.n; i++) {
		ad_section(&st, tables.v[i], &section);
		rc = ad_table(&st, tables.v[i], section.len ? section.buf : "", err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: the model pricing table holds no price", st.what);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from);
	html_nodes_release(&tables);
	buf_release(&section);
	return rc;
}

int extract_anthropic_docs(const char *body, size_t len, const struct extract_ctx *ctx,
			   struct price_list *out, struct tt_error *err)
{
	xmlDocPtr doc = NULL;
	int rc;

	if ((rc = html_parse(body, len, extract_origin(ctx, "anthropic docs pricing page"), &doc,
			     err)) < 0)
		return rc;
	rc = extract_anthropic_docs_doc(doc, ctx, out, err);
	html_free(doc);
	return rc;
}
