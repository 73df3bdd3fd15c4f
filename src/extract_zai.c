/*
 * extract_zai.c - prices from docs.z.ai/guides/overview/pricing (Mintlify).
 *
 * Each section is an h2/h3 heading ("Text Models", "Vision Models",
 * "Image Generation Models", ...), then a unit line
 * <span data-as="p">Prices per 1M tokens.</span> ("Prices per image."),
 * then a plain <table> with a <thead>.  Tables are matched by header text:
 * a "Model" column and price columns "Input" (input), "Cached Input"
 * (cache_read), "Cached Input Storage" (cache_storage) and "Output"
 * (output); or, in a section priced per image, a "Price" column (image,
 * unit "image").  The page states "All prices are in USD."; cells carry
 * "$" too, and a cell's own sign wins.
 *
 * Words: "Free" is a known 0; "Limited-time Free" is 0 with the text kept
 * in the note (the offer can end); "-" and "\" are absent (never 0).
 * Cache storage is stored in the unit the section states ("Prices per 1M
 * tokens."): the page names no storage period, and none is assumed.
 *
 * Not read: built-in tools (per use), video generation (per video: no
 * dimension of ours), audio and agent tables whose "Price" column names no
 * dimension; they are counted in the run's skips.  Model ids are kept as
 * published ("GLM-4.5").
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define ZAI_PROVIDER "zai"
#define ZAI_MAX_COLS 16

static const struct {
	const char *header;
	const char *dimension;
} zai_dims[] = {
	{ "input", "input" },
	{ "cached input", "cache_read" },
	{ "cached input storage", "cache_storage" },
	{ "output", "output" },
};

enum zai_unit {
	ZAI_UNIT_NONE = 0,
	ZAI_UNIT_TOKENS,  /* "Prices per 1M tokens." */
	ZAI_UNIT_IMAGE,   /* "Prices per image." */
};

struct zai_state {
	xmlDocPtr doc;
	const char *what;
	const struct extract_ctx *ctx;
	struct price_list *out;
	size_t from;
	char currency[8];   /* the page's "All prices are in XXX." or "" */
	size_t token_tables;
};

static int zai_skip(struct zai_state *st, const char *reason, const char *example)
{
	return extract_skips_add(st->ctx ? st->ctx->skips : NULL, reason, example);
}

/* The section heading of a table and the unit line between them. */
static enum zai_unit zai_section(struct zai_state *st, xmlNodePtr table, struct buf *title)
{
	xmlNodePtr h = html_xpath_node(st->doc, table, "preceding::*[self::h2 or self::h3][1]");
	xmlNodePtr meta = html_xpath_node(st->doc, table,
					  "preceding::*[@data-as='p' or self::p][1]");
	struct buf t = BUF_INIT;
	enum zai_unit u = ZAI_UNIT_NONE;

	buf_reset(title);
	if (h)
		html_node_text(h, title);
	if (!meta || (h && html_node_order(meta, h) < 0))
		return u; /* the line belongs to an earlier section */
	if (html_node_text(meta, &t) == 0) {
		textnorm_lower(t.buf);
		if (strstr(t.buf, "prices per image"))
			u = ZAI_UNIT_IMAGE;
		else if (money_unit_from_text(t.buf) == MONEY_UNIT_PER_1M)
			u = ZAI_UNIT_TOKENS;
	}
	buf_release(&t);
	return u;
}

/* One cell: a token price (unit PRICE_UNIT_MTOK) or a per-image price
 * (unit "image").  Returns 1 added, 0 nothing, or a negative code. */
static int zai_add(struct zai_state *st, const char *model, const char *dim, const char *unit,
		   const char *cell, struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	struct price p;
	const char *cur;
	int n, rc;

	n = pricetext_parse(cell, strlen(cell), st->currency[0] ? st->currency : NULL, "en-US", v,
			    PRICETEXT_MAX, err);
	if (n < 0)
		return n;
	if (n != 1)
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: cell '%s' holds %d prices", st->what, model,
				    dim, cell, n);
	if (v[0].status == PRICETEXT_UNKNOWN)
		return 0;
	if (v[0].status == PRICETEXT_AMBIGUOUS)
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' cannot be read safely: %s", st->what,
				    model, dim, cell, v[0].note);
	cur = v[0].currency;
	if (!cur[0])
		return tt_set_error(err, TT_EPARSE,
				    "%s: %s %s: '%s' names no currency and the page states none", st->what,
				    model, dim, cell);
	if (v[0].unit_text[0] && (strcmp(unit, PRICE_UNIT_MTOK) ? strcasecmp(v[0].unit_text, unit) != 0
							       : v[0].unit != MONEY_UNIT_PER_1M)) {
		LOG(LOG_INFO, "%s: %s %s '%s' is priced per %s; skipped", st->what, model, dim, cell,
		    v[0].unit_text);
		return zai_skip(st, "price in a unit the column does not state", model) < 0 ? TT_ENOMEM : 0;
	}
	memset(&p, 0, sizeof(p));
	if (v[0].status == PRICETEXT_VALUE &&
	    (rc = money_parse(v[0].number, strlen(v[0].number), 0, &p.nanos, err)) < 0)
		return rc;
	p.provider = ZAI_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dim;
	p.tier = "standard";
	p.condition = "";
	p.region = "";
	p.unit = (char *)unit;
	p.currency = (char *)cur;
	p.text = v[0].text;
	/* "Free" is plain; "Limited-time Free" and the like keep their words. */
	p.note = v[0].status == PRICETEXT_FREE && strcasecmp(v[0].text, "free") ? v[0].text : NULL;
	return extract_add(st->out, st->from, &p, st->what, err);
}

/* One table (st: struct zai_state).  Returns prices added or a negative code. */
static int zai_table(void *arg, xmlNodePtr table, struct tt_error *err)
{
	struct zai_state *st = arg;
	struct html_grid g = HTML_GRID_INIT;
	struct buf title = BUF_INIT;
	const char *dims[ZAI_MAX_COLS];
	size_t c, r, model_col = SIZE_MAX, price_col = SIZE_MAX, ndims = 0;
	enum zai_unit unit;
	int rc, added = 0;

	if (html_table_grid(table, &g, NULL) < 0 || g.header_rows == 0 || g.cols > ZAI_MAX_COLS) {
		rc = 0;
		goto out;
	}
	unit = zai_section(st, table, &title);
	for (c = 0; c < g.cols; c++) {
		char key[64];
		size_t k;
		snprintf(key, sizeof(key), "%s", html_grid_leaf(&g, c));
		textnorm_lower(key);
		dims[c] = NULL;
		if (!strcmp(key, "model") && model_col == SIZE_MAX)
			model_col = c;
		else if (!strcmp(key, "price"))
			price_col = c;
		for (k = 0; k < TT_ARRAY_SIZE(zai_dims); k++)
			if (!strcmp(key, zai_dims[k].header))
				dims[c] = zai_dims[k].dimension;
		ndims += dims[c] != NULL;
	}
	if (model_col == SIZE_MAX) {
		LOG(LOG_DEBUG, "%s: table under '%s' has no Model column; skipped", st->what, title.buf);
		rc = zai_skip(st, "table without a Model column (tools, agents)", title.buf) < 0 ? TT_ENOMEM : 0;
		goto out;
	}
	if (ndims > 0) {
		if (unit != ZAI_UNIT_TOKENS) {
			rc = tt_set_error(err, TT_EPARSE,
					  "%s: the Input/Output table under '%s' has no 'Prices per 1M tokens.' line",
					  st->what, title.buf);
			goto out;
		}
		st->token_tables++;
	} else if (price_col == SIZE_MAX || unit != ZAI_UNIT_IMAGE) {
		LOG(LOG_INFO, "%s: table under '%s' names no dimension; skipped", st->what, title.buf);
		rc = zai_skip(st, "Price column without a dimension (video, audio)", title.buf) < 0 ? TT_ENOMEM : 0;
		goto out;
	}
	for (r = g.header_rows; r < g.rows; r++) {
		const char *model = html_grid_at(&g, r, model_col)->text;

		if (g.header_row[r] || !*model)
			continue;
		if (strpbrk(model, " \t\n")) {
			rc = tt_set_error(err, TT_EPARSE, "%s: model cell '%s' under '%s' is not an id",
					  st->what, model, title.buf);
			goto out;
		}
		for (c = 0; c < g.cols; c++) {
			const char *cell = html_grid_at(&g, r, c)->text;
			if (ndims > 0 && dims[c])
				rc = zai_add(st, model, dims[c], PRICE_UNIT_MTOK, cell, err);
			else if (ndims == 0 && c == price_col)
				rc = zai_add(st, model, "image", "image", cell, err);
			else
				continue;
			if (rc < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&title);
	return rc;
}

/* "All prices are in USD." -> USD. */
static void zai_page_currency(struct zai_state *st)
{
	struct buf t = BUF_INIT;
	const char *p;

	if (html_xpath_text(st->doc, NULL, "//*[contains(text(), 'All prices are in')]", &t, NULL) > 0 &&
	    (p = strstr(t.buf, "All prices are in "))) {
		char code[8] = "";
		const char *iso;
		size_t i;
		p += strlen("All prices are in ");
		for (i = 0; i + 1 < sizeof(code) && isalpha((unsigned char)p[i]); i++)
			code[i] = p[i];
		code[i] = '\0';
		iso = money_currency_from_text(code);
		if (iso)
			snprintf(st->currency, sizeof(st->currency), "%s", iso);
	}
	buf_release(&t);
}

int extract_zai(const char *body, size_t len, const struct extract_ctx *ctx, struct price_list *out,
		struct tt_error *err)
{
	struct zai_state st;
	xmlDocPtr doc = NULL;
	int rc, total;

	memset(&st, 0, sizeof(st));
	st.what = extract_origin(ctx, "z.ai pricing page");
	st.ctx = ctx;
	st.out = out;
	st.from = out->n;
	if ((rc = html_parse(body, len, st.what, &doc, err)) < 0)
		goto out;
	st.doc = doc;
	zai_page_currency(&st);
	rc = extract_each_node(doc, "//table[thead]", zai_table, &st, NULL, err);
	if (rc < 0)
		goto out;
	total = rc;
	if (st.token_tables == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no Model | Input | ... | Output table; the page layout changed", st.what);
		goto out;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu token tables but no price could be read", st.what,
				  st.token_tables);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from);
	html_free(doc);
	return rc;
}
