/*
 * extract_gemini.c - prices from the Gemini Developer API pricing page
 * (ai.google.dev/gemini-api/docs/pricing, Google devsite).
 *
 * Each model is a section opened by h2[@id] (the id is the model id,
 * "gemini-2.5-pro"); inside, optional h3 tiers (Standard, Batch, Flex,
 * Priority; none means standard) each hold a table.pricing-table.  Its
 * columns are found by header text: the row label (empty header), "Free
 * Tier" (ignored) and "Paid Tier, per 1M tokens in USD" (read; the header
 * names unit and currency).  Rows are matched by label:
 *   Input price...            -> input
 *   Text/Image/Audio/Video input price -> input, with that modality
 *   Output price...           -> output
 *   Context caching price     -> cache_read (and a "per hour (storage
 *                                price)" line in it -> cache_storage)
 *   Context caching (storage) -> cache_storage
 * Storage is stored per "1M tokens/hour".  A cell holds one price per line
 * (<br>): "$1.25, prompts <= 200k tokens" (band; both bands are written),
 * "$0.30 (text / image / video)" / "$1.00 (audio)" (modality), "$60.00
 * (images)" (image), "$3.00 or $0.005/min (audio)" (the token price; the
 * per-minute alternative is not stored).  Lines that restate a token price
 * per image ("Equivalent to $0.039 per image", or any footnoted "*" line)
 * and per-unit alternatives are skipped and counted.  Tables priced per
 * image, per second or per request (Imagen, Veo, Lyria) name their
 * variants only in row labels; they are skipped and counted.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define GM_PROVIDER "gemini"
#define GM_TABLES "//table[contains(concat(' ', normalize-space(@class), ' '), ' pricing-table ')]"
#define GM_STORAGE_UNIT "1M tokens/hour"

static const char *const gm_tiers[] = { "standard", "batch", "flex", "priority" };

/* Row label (lowercase) prefix -> dimension and modality. */
static const struct {
	const char *label;
	const char *dimension;
	const char *modality;
} gm_rows[] = {
	{ "input price", "input", NULL },
	{ "text input price", "input", "text" },
	{ "image input price", "input", "image" },
	{ "audio input price", "input", "audio" },
	{ "video input price", "input", "video" },
	{ "output price", "output", NULL },
	{ "context caching price", "cache_read", NULL },
	{ "context caching (storage)", "cache_storage", NULL },
};

struct gm_state {
	xmlDocPtr doc;
	const char *what;
	struct price_list *out;
	size_t from;
	struct extract_skips *skips;
};

static int gm_skip(struct gm_state *st, const char *reason, const char *example)
{
	return extract_skips_add(st->skips, reason, example);
}

/* The tier of a table: the h3 between its h2 and it, else standard.
 * Returns 0, or 1 when the h3 names no known tier. */
static int gm_tier(struct gm_state *st, xmlNodePtr h2, xmlNodePtr table, char *tier, size_t n)
{
	xmlNodePtr h3 = html_xpath_node(st->doc, table, "preceding::h3[1]");
	struct buf t = BUF_INIT;
	size_t k;
	int rc = 1;

	snprintf(tier, n, "standard");
	if (!h3 || html_node_order(h3, h2) < 0)
		return 0;
	if (html_node_text(h3, &t) < 0 || !t.len)
		goto out;
	textnorm_lower(t.buf);
	for (k = 0; k < TT_ARRAY_SIZE(gm_tiers); k++)
		if (!strcmp(t.buf, gm_tiers[k])) {
			snprintf(tier, n, "%s", gm_tiers[k]);
			rc = 0;
		}
out:
	if (rc)
		snprintf(tier, n, "%s", t.len ? t.buf : "?");
	buf_release(&t);
	return rc;
}

static int gm_add(struct gm_state *st, const char *model, const char *dimension, const char *tier,
		  const char *cond, const char *unit, int64_t nanos, const char *text,
		  struct tt_error *err)
{
	struct price p;

	memset(&p, 0, sizeof(p));
	p.provider = GM_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.tier = (char *)tier;
	p.condition = (char *)cond;
	p.region = "";
	p.unit = (char *)unit;
	p.currency = "USD";
	p.nanos = nanos;
	p.text = (char *)text;
	return extract_add(st->out, st->from, &p, st->what, err);
}

/* One line of a paid-tier cell.  Returns prices added or a negative code. */
static int gm_line(struct gm_state *st, const char *model, const char *tier, const char *dimension,
		   const char *row_modality, enum money_unit_kind header_unit, const char *line,
		   struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	char low[256], line_mod[32] = "";
	int n, k, rc, added = 0, per_mtok;

	snprintf(low, sizeof(low), "%s", line);
	textnorm_lower(low);
	if (!strncmp(low, "equivalent", 10) || !strncmp(low, "and ", 4) || strchr(low, '*'))
		return gm_skip(st, "per-image equivalent of a token price (footnoted)", model);
	n = pricetext_parse(line, strlen(line), "USD", "en-US", v, PRICETEXT_MAX, err);
	if (n < 0)
		return n;
	per_mtok = strstr(low, "1,000,000 tokens") != NULL;
	if (strstr(low, "per hour")) {
		/* "$4.50 / 1,000,000 tokens per hour (storage price)" */
		int64_t nanos;
		if (n < 1 || v[0].status != PRICETEXT_VALUE || !per_mtok)
			return gm_skip(st, "storage price with an unknown unit", model);
		if ((rc = money_parse(v[0].number, strlen(v[0].number), 0, &nanos, err)) < 0)
			return rc;
		return gm_add(st, model, "cache_storage", tier, "", GM_STORAGE_UNIT, nanos, line, err);
	}
	for (k = 0; k < n && v[k].status == PRICETEXT_UNKNOWN; k++)
		;
	if (k == n)
		return 0; /* "Not available", "Same as Standard, ...": no price */
	if (!strcmp(dimension, "cache_storage"))
		return gm_skip(st, "storage price without 'per hour'", model);
	for (k = 0; k < n; k++)
		if (v[k].modality[0] && !line_mod[0])
			snprintf(line_mod, sizeof(line_mod), "%s", v[k].modality);
	if (!line_mod[0] && strstr(low, "(images)"))
		snprintf(line_mod, sizeof(line_mod), "image");
	for (k = 0; k < n; k++) {
		enum money_unit_kind unit = header_unit;
		char cond[96];
		const char *mod;
		int64_t nanos;

		if (v[k].status == PRICETEXT_UNKNOWN)
			continue;
		if (v[k].status == PRICETEXT_AMBIGUOUS) {
			if ((rc = gm_skip(st, "ambiguous number", model)) < 0)
				return rc;
			continue;
		}
		if (v[k].unit != MONEY_UNIT_UNKNOWN)
			unit = v[k].unit;
		else if (v[k].unit_text[0]) {
			if (per_mtok)
				unit = MONEY_UNIT_PER_1M;
			else {
				if ((rc = gm_skip(st, "per-unit alternative of a token price", model)) < 0)
					return rc;
				continue;
			}
		}
		if (unit == MONEY_UNIT_UNKNOWN) {
			if ((rc = gm_skip(st, "no token unit", model)) < 0)
				return rc;
			continue;
		}
		mod = row_modality ? row_modality : v[k].modality[0] ? v[k].modality : line_mod;
		if (pricetext_condition(v[k].prompt, v[k].time_band, mod, cond, sizeof(cond)) < 0)
			return tt_set_error(err, TT_EPARSE, "%s: %s: condition too long", st->what, model);
		if ((rc = money_parse(v[k].number, strlen(v[k].number), money_unit_scale(unit), &nanos,
				      err)) < 0)
			return rc;
		/* The whole line is the published text ("$3.00 or $0.005/min (audio)"). */
		if ((rc = gm_add(st, model, dimension, tier, cond, PRICE_UNIT_MTOK, nanos, line, err)) < 0)
			return rc;
		added += rc;
	}
	return added;
}

/* One pricing table (st: struct gm_state).  Returns prices added or a negative code. */
static int gm_table(void *arg, xmlNodePtr table, struct tt_error *err)
{
	struct gm_state *st = arg;
	struct html_grid g = HTML_GRID_INIT;
	struct buf model = BUF_INIT;
	xmlNodePtr h2 = html_xpath_node(st->doc, table, "preceding::h2[@id][1]");
	size_t r, c, label_col = SIZE_MAX, paid_col = SIZE_MAX;
	enum money_unit_kind header_unit;
	char tier[32], hdr[128];
	int rc, added = 0;

	if (!h2 || html_attr(h2, "id", &model) <= 0 || !model.len) {
		rc = gm_skip(st, "pricing table outside a model section", NULL);
		goto out;
	}
	if (gm_tier(st, h2, table, tier, sizeof(tier))) {
		rc = gm_skip(st, "unknown tier heading", tier);
		goto out;
	}
	if (html_table_grid(table, &g, NULL) < 0 || g.header_rows == 0) {
		rc = gm_skip(st, "pricing table without a header row", model.buf);
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		snprintf(hdr, sizeof(hdr), "%s", html_grid_leaf(&g, c));
		textnorm_lower(hdr);
		if (!hdr[0] && label_col == SIZE_MAX)
			label_col = c;
		else if (strstr(hdr, "paid tier") && paid_col == SIZE_MAX)
			paid_col = c;
	}
	if (label_col == SIZE_MAX || paid_col == SIZE_MAX) {
		rc = gm_skip(st, "pricing table without label and Paid Tier columns", model.buf);
		goto out;
	}
	snprintf(hdr, sizeof(hdr), "%s", html_grid_leaf(&g, paid_col));
	textnorm_lower(hdr);
	header_unit = money_unit_from_text(hdr);
	if (header_unit == MONEY_UNIT_UNKNOWN) {
		/* Imagen (per image), Veo (per second), Lyria (per request). */
		rc = gm_skip(st, "table priced per image/second/request (variants in row labels)",
			     model.buf);
		goto out;
	}
	if (!strstr(hdr, "usd")) {
		rc = gm_skip(st, "paid tier column names no USD", model.buf);
		goto out;
	}
	for (r = g.header_rows; r < g.rows; r++) {
		char label[96];
		const char *dimension = NULL, *modality = NULL, *cell, *p;
		size_t k, best = 0;

		if (g.header_row[r])
			continue;
		snprintf(label, sizeof(label), "%s", html_grid_at(&g, r, label_col)->text);
		textnorm_lower(label);
		for (k = 0; k < TT_ARRAY_SIZE(gm_rows); k++) {
			size_t l = strlen(gm_rows[k].label);
			if (!strncmp(label, gm_rows[k].label, l) && l > best) {
				best = l;
				dimension = gm_rows[k].dimension;
				modality = gm_rows[k].modality;
			}
		}
		if (!dimension) {
			if (strchr(html_grid_at(&g, r, paid_col)->text, '$') &&
			    (rc = gm_skip(st, "not a token price row (grounding, tools)", label)) < 0)
				goto out;
			continue;
		}
		cell = html_grid_at(&g, r, paid_col)->text;
		for (p = cell; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char line[256];

			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			if (line[0]) {
				rc = gm_line(st, model.buf, tier, dimension, modality, header_unit, line, err);
				if (rc < 0)
					goto out;
				added += rc;
			}
			p += len;
			if (*p == '\n')
				p++;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&model);
	return rc < 0 ? rc : added;
}

int extract_gemini(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err)
{
	struct gm_state st;
	xmlDocPtr doc = NULL;
	size_t ntables;
	int rc, total;

	memset(&st, 0, sizeof(st));
	st.what = extract_origin(ctx, "gemini pricing page");
	st.out = out;
	st.from = out->n;
	st.skips = ctx ? ctx->skips : NULL;
	if ((rc = html_parse(body, len, st.what, &doc, err)) < 0)
		goto out;
	st.doc = doc;
	rc = extract_each_node(doc, GM_TABLES, gm_table, &st, &ntables, err);
	if (rc < 0)
		goto out;
	total = rc;
	if (ntables == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no table.pricing-table (the anchor of every model section); the page "
				  "layout changed", st.what);
		goto out;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: %zu pricing tables but no 'Input price' row with a Paid Tier price "
				  "under an h2[@id] model section", st.what, ntables);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from);
	html_free(doc);
	return rc;
}
