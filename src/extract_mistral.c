/*
 * extract_mistral.c - prices from Mistral's API pricing page (mistral.ai/pricing).
 *
 * UNVERIFIED: no real capture of the page exists here (see
 * ../shared/data/README.md "Not found"); this extractor is built from the
 * page's documented public format and tested on inputs we built.  The
 * catalog marks the source unverified until a real capture confirms it.
 *
 * The documented format: pay-as-you-go <table>s with a header row
 * "Model | Endpoint | Input (USD) | Output (USD) | Input (EUR) | Output
 * (EUR)", where "Model" is the display name ("Mistral Small") and
 * "Endpoint" (or "API name" / "API endpoint") the API id
 * ("mistral-small-latest"), and price cells read "2$ / 1M tokens" or
 * "1.85€ / 1M tokens".  Matched by header text, never position:
 *   - model: the Endpoint / API name column when there is one (the seller's
 *     id, as published), else the display name as a slug ("Mistral Small"
 *     -> "mistral-small") with the name kept in the note;
 *   - dimension from the header before its parenthesis: Input, Output,
 *     Cached input / Cache read;
 *   - currency: the cell's sign, else the header's "(USD)" / "(EUR)"; both
 *     present and different fails closed; USD and EUR prices are separate
 *     keys and both are stored, never converted;
 *   - unit: the cell's ("/ 1M tokens"), else the header's ("(/M tokens)");
 *     a price with no token unit fails closed.
 * A page with no such table fails closed.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define MI_PROVIDER "mistral"
#define MI_MAX_COLS 32

static const struct {
	const char *header;
	const char *dimension;
} mi_dims[] = {
	{ "input", "input" },
	{ "output", "output" },
	{ "cached input", "cache_read" },
	{ "cache read", "cache_read" },
};

static const char *const mi_id_headers[] = { "endpoint", "api endpoint", "api name", "api id" };

struct mi_col {
	const char *dimension;      /* NULL: not a price column */
	const char *currency;       /* from the header, or NULL */
	enum money_unit_kind unit;  /* from the header, or UNKNOWN */
};

/* Lowercased header cut at '(' and trimmed. */
static void mi_key(const char *h, char *out, size_t n)
{
	size_t i;

	snprintf(out, n, "%s", h);
	for (i = 0; out[i]; i++)
		if (out[i] == '(' || out[i] == '\n')
			out[i] = '\0';
	for (i = strlen(out); i > 0 && out[i - 1] == ' '; i--)
		out[i - 1] = '\0';
	textnorm_lower(out);
}

/* The currency code a header names in parentheses: "Input (USD)". */
static const char *mi_header_currency(const char *h)
{
	const char *open = strchr(h, '(');
	char code[16];
	size_t i = 0;

	if (!open)
		return NULL;
	for (open++; *open == ' '; open++)
		;
	while (i + 1 < sizeof(code) && open[i] && open[i] != ')' && open[i] != ' ' && open[i] != '/') {
		code[i] = open[i];
		i++;
	}
	code[i] = '\0';
	return i ? money_currency_from_text(code) : NULL;
}

static int mi_table(xmlNodePtr table, const char *what, const char *locale, struct price_list *out,
		    size_t from, size_t *tables, struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	struct mi_col cols[MI_MAX_COLS];
	struct buf slug = BUF_INIT;
	size_t c, r, k, name_col = SIZE_MAX, id_col = SIZE_MAX, ndims = 0;
	int rc, added = 0;

	if (html_table_grid(table, &g, NULL) < 0 || g.header_rows == 0 || g.cols > MI_MAX_COLS) {
		rc = 0;
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		const char *h = html_grid_leaf(&g, c);
		char key[64];
		memset(&cols[c], 0, sizeof(cols[c]));
		mi_key(h, key, sizeof(key));
		if (!strcmp(key, "model") && name_col == SIZE_MAX)
			name_col = c;
		for (k = 0; k < TT_ARRAY_SIZE(mi_id_headers); k++)
			if (!strcmp(key, mi_id_headers[k]) && id_col == SIZE_MAX)
				id_col = c;
		for (k = 0; k < TT_ARRAY_SIZE(mi_dims); k++)
			if (!strcmp(key, mi_dims[k].header))
				cols[c].dimension = mi_dims[k].dimension;
		cols[c].currency = mi_header_currency(h);
		cols[c].unit = money_unit_from_text(h);
		ndims += cols[c].dimension != NULL;
	}
	if ((name_col == SIZE_MAX && id_col == SIZE_MAX) || ndims == 0) {
		rc = 0;
		goto out;
	}
	(*tables)++;
	for (r = g.header_rows; r < g.rows; r++) {
		const char *name = name_col != SIZE_MAX ? html_grid_at(&g, r, name_col)->text : "";
		const char *model;

		if (g.header_row[r])
			continue;
		buf_reset(&slug);
		if (id_col != SIZE_MAX) {
			model = html_grid_at(&g, r, id_col)->text;
			if (!*model)
				continue;
			if (strpbrk(model, " \t\n")) {
				rc = tt_set_error(err, TT_EPARSE, "%s: endpoint cell '%s' is not an API id", what,
						  model);
				goto out;
			}
		} else {
			if (!*name)
				continue;
			if ((rc = extract_slug(NULL, name, &slug)) < 0)
				goto out;
			model = slug.buf;
		}
		for (c = 0; c < g.cols; c++) {
			struct pricetext_value v[PRICETEXT_MAX];
			const char *cell = html_grid_at(&g, r, c)->text;
			struct price p;
			enum money_unit_kind unit;
			const char *cur;
			int n;

			if (!cols[c].dimension)
				continue;
			n = pricetext_parse(cell, strlen(cell), cols[c].currency, locale, v, PRICETEXT_MAX, err);
			if (n < 0) {
				rc = n;
				goto out;
			}
			if (n != 1) {
				rc = tt_set_error(err, TT_EPARSE, "%s: %s %s: cell '%s' holds %d prices", what,
						  model, cols[c].dimension, cell, n);
				goto out;
			}
			if (v[0].status == PRICETEXT_UNKNOWN)
				continue;
			if (v[0].status == PRICETEXT_AMBIGUOUS) {
				rc = tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' cannot be read safely: %s",
						  what, model, cols[c].dimension, cell, v[0].note);
				goto out;
			}
			cur = v[0].currency;
			if (!cur[0] || (cols[c].currency && strcmp(cur, cols[c].currency))) {
				rc = tt_set_error(err, TT_EPARSE,
						  "%s: %s %s: '%s' names currency '%s' under header '%s'", what,
						  model, cols[c].dimension, cell, cur, html_grid_leaf(&g, c));
				goto out;
			}
			unit = v[0].unit != MONEY_UNIT_UNKNOWN ? v[0].unit : cols[c].unit;
			if (unit == MONEY_UNIT_UNKNOWN || (v[0].unit == MONEY_UNIT_UNKNOWN && v[0].unit_text[0])) {
				rc = tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' names no token unit", what,
						  model, cols[c].dimension, cell);
				goto out;
			}
			memset(&p, 0, sizeof(p));
			if (v[0].status == PRICETEXT_VALUE &&
			    (rc = money_parse(v[0].number, strlen(v[0].number), money_unit_scale(unit), &p.nanos,
					      err)) < 0)
				goto out;
			p.provider = MI_PROVIDER;
			p.model = (char *)model;
			p.dimension = (char *)cols[c].dimension;
			p.tier = "standard";
			p.condition = "";
			p.region = "";
			p.unit = PRICE_UNIT_MTOK;
			p.currency = (char *)cur;
			p.text = v[0].text;
			p.note = *name ? (char *)name : NULL;
			if ((rc = extract_add(out, from, &p, what, err)) < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&slug);
	return rc;
}

int extract_mistral(const char *body, size_t len, const struct extract_ctx *ctx,
		    struct price_list *out, struct tt_error *err)
{
	struct html_nodes tables = HTML_NODES_INIT;
	struct buf lang = BUF_INIT;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	const char *what = extract_origin(ctx, "mistral pricing page");
	size_t from = out->n, i, ntables = 0;
	int rc, total = 0;

	if ((rc = html_parse(body, len, what, &doc, err)) < 0)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (root)
		html_attr(root, "lang", &lang);
	if ((rc = html_xpath_nodes(doc, NULL, "//table", &tables, err)) < 0)
		goto out;
	for (i = 0; i < tables.n; i++) {
		rc = mi_table(tables.v[i], what, lang.len ? lang.buf : "en-US", out, from, &ntables, err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	if (ntables == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no price table (a Model or Endpoint column with Input/Output columns); "
				  "the page layout changed", what);
		goto out;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu price tables but no price could be read", what,
				  ntables);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, from);
	html_nodes_release(&tables);
	buf_release(&lang);
	html_free(doc);
	return rc;
}
