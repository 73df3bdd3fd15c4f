/*
 * extract_groq.c - prices from groq.com/pricing.
 *
 * UNVERIFIED: no real capture of the page exists here; this extractor is
 * built from the page's documented public format and tested on inputs we
 * built.  The catalog marks the source unverified until a real capture
 * confirms it.
 *
 * The documented format: one <table> per product family under a heading
 * ("Large Language Models", "Text-to-Speech Models", "Automatic Speech
 * Recognition (ASR) Models"), matched by header text:
 *   - model: the column whose header holds "Model" ("AI Model").  The page
 *     shows display names ("Llama 3.3 70B Versatile 128k"), not API ids, so
 *     the id is the name's slug ("llama-3.3-70b-versatile-128k") and the
 *     published name goes in the note; no API id is guessed;
 *   - token prices: "Input Token Price (Per Million Tokens)" (input),
 *     "Cached Input Token Price ..." (cache_read), "Output Token Price
 *     (Per Million Tokens)" (output); the unit comes from the header;
 *   - text-to-speech: a "... (per 1M Characters)" column is the
 *     `character` dimension in unit "1M characters";
 *   - speech recognition priced "per Hour Transcribed" has no unit of ours
 *     and is skipped (counted in the run's skips), as is "Current Speed".
 * Cells read "$0.59 (1.69M / $1)*": the parenthesis is the number of
 * tokens one dollar buys and the star points to that footnote; both are
 * removed before the price is read, so "$1" is never taken for a price.
 * The batch discount ("50% lower cost") is prose, not a price table, and is
 * not turned into prices.  A page with no Model + Input/Output table fails
 * closed.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define GQ_PROVIDER "groq"
#define GQ_MAX_COLS 16
#define GQ_UNIT_CHARS "1M characters"

struct gq_col {
	const char *dimension;      /* NULL: not read */
	const char *unit;           /* stored unit */
	enum money_unit_kind kind;  /* scale of the published unit */
};

/* Classify one header.  Returns 1 for a price column, 0 otherwise,
 * and sets *skip for a price column we deliberately do not read. */
static int gq_header(const char *h, struct gq_col *col, const char **skip)
{
	char low[128];

	memset(col, 0, sizeof(*col));
	*skip = NULL;
	snprintf(low, sizeof(low), "%s", h);
	textnorm_lower(low);
	if (strstr(low, "character")) {
		/* Check before the token unit: "per 1M Characters" also names "1M". */
		if (strstr(low, "per second"))
			return 0; /* "Characters per Second": speed */
		if (strstr(low, "1m character") || strstr(low, "million character")) {
			col->dimension = "character";
			col->unit = GQ_UNIT_CHARS;
			col->kind = MONEY_UNIT_PER_1M;
			return 1;
		}
		*skip = "character price in an unknown unit";
		return 0;
	}
	if (strstr(low, "hour")) {
		*skip = "price per hour transcribed (no unit of ours)";
		return 0;
	}
	if (strstr(low, "speed"))
		return 0;
	col->kind = money_unit_from_text(h);
	col->unit = PRICE_UNIT_MTOK;
	if (!strncmp(low, "cached input", 12) || !strncmp(low, "cache read", 10))
		col->dimension = "cache_read";
	else if (!strncmp(low, "input", 5))
		col->dimension = "input";
	else if (!strncmp(low, "output", 6))
		col->dimension = "output";
	if (col->dimension && col->kind == MONEY_UNIT_UNKNOWN) {
		col->dimension = NULL;
		*skip = "price column names no unit";
	}
	return col->dimension != NULL;
}

/* Remove "(… / $1)" tokens-per-dollar notes and footnote stars. */
static void gq_clean_cell(const char *cell, char *out, size_t n)
{
	char *open, *close;

	snprintf(out, n, "%s", cell);
	while ((open = strchr(out, '(')) && (close = strchr(open, ')'))) {
		char inner[96];
		snprintf(inner, sizeof(inner), "%.*s", (int)(close - open), open);
		if (!strstr(inner, "/ $1") && !strstr(inner, "/$1") && !strstr(inner, "per $1"))
			break;
		memmove(open, close + 1, strlen(close + 1) + 1);
	}
	for (open = out; (open = strchr(open, '*'));)
		memmove(open, open + 1, strlen(open + 1) + 1);
}

static int gq_table(xmlNodePtr table, const struct extract_ctx *ctx, const char *what,
		    struct price_list *out, size_t from, size_t *tables, struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	struct gq_col cols[GQ_MAX_COLS];
	struct buf slug = BUF_INIT;
	size_t c, r, model_col = SIZE_MAX, nprice = 0;
	int rc, added = 0;

	if (html_table_grid(table, &g, NULL) < 0 || g.header_rows == 0 || g.cols > GQ_MAX_COLS) {
		rc = 0;
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		const char *h = html_grid_leaf(&g, c), *skip = NULL;
		char low[64];
		snprintf(low, sizeof(low), "%s", h);
		textnorm_lower(low);
		if (model_col == SIZE_MAX && strstr(low, "model")) {
			memset(&cols[c], 0, sizeof(cols[c]));
			model_col = c;
			continue;
		}
		nprice += (size_t)gq_header(h, &cols[c], &skip);
		if (skip && (rc = extract_skips_add(ctx ? ctx->skips : NULL, skip, h)) < 0)
			goto out;
	}
	if (model_col == SIZE_MAX || nprice == 0) {
		rc = 0;
		goto out;
	}
	(*tables)++;
	for (r = g.header_rows; r < g.rows; r++) {
		const char *name = html_grid_at(&g, r, model_col)->text;

		if (g.header_row[r] || !*name)
			continue;
		buf_reset(&slug);
		if ((rc = extract_slug(NULL, name, &slug)) < 0)
			goto out;
		for (c = 0; c < g.cols; c++) {
			struct pricetext_value v[PRICETEXT_MAX];
			char cell[256];
			struct price p;
			int n;

			if (c == model_col || !cols[c].dimension)
				continue;
			gq_clean_cell(html_grid_at(&g, r, c)->text, cell, sizeof(cell));
			n = pricetext_parse(cell, strlen(cell), NULL, "en-US", v, PRICETEXT_MAX, err);
			if (n < 0) {
				rc = n;
				goto out;
			}
			if (n != 1) {
				rc = tt_set_error(err, TT_EPARSE, "%s: %s %s: cell '%s' holds %d prices", what, name,
						  cols[c].dimension, cell, n);
				goto out;
			}
			if (v[0].status == PRICETEXT_UNKNOWN)
				continue;
			if (v[0].status == PRICETEXT_AMBIGUOUS || !v[0].currency[0] || v[0].unit_text[0]) {
				rc = tt_set_error(err, TT_EPARSE,
						  "%s: %s %s: '%s' is not a plain price in the column's unit%s%s",
						  what, name, cols[c].dimension, cell, v[0].note[0] ? ": " : "",
						  v[0].note);
				goto out;
			}
			memset(&p, 0, sizeof(p));
			if (v[0].status == PRICETEXT_VALUE &&
			    (rc = money_parse(v[0].number, strlen(v[0].number), money_unit_scale(cols[c].kind),
					      &p.nanos, err)) < 0)
				goto out;
			p.provider = GQ_PROVIDER;
			p.model = slug.buf;
			p.dimension = (char *)cols[c].dimension;
			p.tier = "standard";
			p.condition = "";
			p.region = "";
			p.unit = (char *)cols[c].unit;
			p.currency = v[0].currency;
			p.text = v[0].text;
			p.note = (char *)name;
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

int extract_groq(const char *body, size_t len, const struct extract_ctx *ctx, struct price_list *out,
		 struct tt_error *err)
{
	struct html_nodes tables = HTML_NODES_INIT;
	xmlDocPtr doc = NULL;
	const char *what = extract_origin(ctx, "groq pricing page");
	size_t from = out->n, i, ntables = 0, tokens = 0;
	int rc, total = 0;

	if ((rc = html_parse(body, len, what, &doc, err)) < 0)
		goto out;
	if ((rc = html_xpath_nodes(doc, NULL, "//table", &tables, err)) < 0)
		goto out;
	for (i = 0; i < tables.n; i++) {
		rc = gq_table(tables.v[i], ctx, what, out, from, &ntables, err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	for (i = from; i < out->n; i++)
		tokens += !strcmp(out->v[i].unit, PRICE_UNIT_MTOK);
	if (ntables == 0 || tokens == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no model table with Input/Output token prices (%zu price tables); "
				  "the page layout changed", what, ntables);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, from);
	html_nodes_release(&tables);
	html_free(doc);
	return rc;
}
