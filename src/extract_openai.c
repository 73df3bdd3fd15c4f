/*
 * extract_openai.c - prices from developers.openai.com/api/docs/pricing.
 *
 * The page (Astro) carries its prices statically in <table>s.  Each
 * section starts at an h2/h3 with an id (text-tokens, cyber-models,
 * audio-tokens, image-generation, ...) and states its unit in a
 * `.pricing-switcher-meta` or `.pricing-section-meta` line ("Prices per 1M
 * tokens.", "Prices per 1M tokens unless noted.").  Service tiers
 * are sibling panes div[@data-content-switcher-pane='true'] with
 * @data-value standard|batch|flex|fast (fast, earlier "priority", is the
 * priority tier).  Every table is read as a grid and its columns are
 * matched by header text: Model, Modality, Input, Cached input, Cache
 * writes, Output, under optional "Short context"/"Long context" groups.
 * The prompt-length threshold of those groups is not in the table: the
 * page states it in the headings' tooltips ("≤272K input tokens",
 * ">272K input tokens") or, in older captures, in model names of the
 * all-models list ("gpt-5.5 (<272K context length)"); without such a
 * statement the long-context prices are not stored (fail closed).
 *
 * The older openai.com/pricing layout (2023, per 1K tokens) is read by
 * extract_openai_2023.c when h2#text-tokens is missing.
 *
 * Not read: video (priced per second), transcription "Estimated cost" (per
 * minute), built-in tools (per call / GB), fine-tuning (prices of
 * fine-tuned models, which would collide with the base model ids), and the
 * all-models lists that exist only as JavaScript props.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define OA_PROVIDER "openai"
#define OA_MAX_COLS 32

/* Sections whose tables are not base-model token prices. */
static const char *const oa_skip_sections[] = { "fine-tuning", "built-in-tools", "video" };

/* Column leaf header (lowercase, up to '(') -> dimension. */
static const struct {
	const char *header;
	const char *dimension;
} oa_dims[] = {
	{ "input", "input" },
	{ "cached input", "cache_read" },
	{ "cache read", "cache_read" },
	{ "cache reads", "cache_read" },
	{ "cache writes", "cache_write" },
	{ "cache write", "cache_write" },
	{ "output", "output" },
	{ "output / cost", "output" },
};

struct oa_col {
	const char *dimension;     /* NULL: not a price column */
	int context;               /* 0 none, 1 short, 2 long */
	char band[32];             /* a band the header states itself */
	enum money_unit_kind unit; /* a unit the header names */
};

struct oa_state {
	xmlDocPtr doc;
	const char *what;        /* origin for messages */
	struct price_list *out;
	size_t from;             /* first item of this run in out */
	int bands_known;         /* -1 not looked up, 0 none, 1 found */
	char low[32], high[32];  /* short / long context bands */
	size_t text_tokens;      /* prices from the text-tokens section */
	size_t tables;           /* text-token tables recognised */
};

/* Lowercased header text cut at '(' and trimmed, into out. */
static void oa_header_key(const char *h, char *out, size_t n)
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

/* The threshold text after `"<label>"],"tooltip":[0,"` in a props string. */
static int oa_tooltip_band(const char *s, const char *label, char *band, size_t n)
{
	char key[64], tip[96];
	const char *p = s, *q, *e;

	snprintf(key, sizeof(key), "\"%s\"", label);
	while ((p = strstr(p, key))) {
		p += strlen(key);
		q = strstr(p, "\"tooltip\"");
		if (!q || q - p > 40)
			continue;
		q = strchr(q + 9, '"');
		if (!q)
			return 0;
		q++;
		e = strchr(q, '"');
		if (!e || e - q >= (long)sizeof(tip))
			continue;
		snprintf(tip, sizeof(tip), "%.*s", (int)(e - q), q);
		if (pricetext_band(tip, band, n) == 1)
			return 1;
	}
	return 0;
}

/* A "(<272K context length)" statement anywhere in s. */
static int oa_name_band(const char *s, char *band, size_t n)
{
	const char *p = s, *open;
	char part[64];

	while ((p = strstr(p, "context length"))) {
		for (open = p; open > s && *open != '(' && p - open < 30; open--)
			;
		if (*open == '(') {
			snprintf(part, sizeof(part), "%.*s", (int)(p - open) + 14, open);
			if (pricetext_band(part, band, n) == 1)
				return 1;
		}
		p += 14;
	}
	return 0;
}

/* Find the short/long context thresholds the page states. */
static int oa_find_bands(struct oa_state *st, struct tt_error *err)
{
	struct html_nodes ns = HTML_NODES_INIT;
	struct buf b = BUF_INIT;
	int rc, found_low = 0, found_high = 0, named = 0;
	size_t i;
	char named_band[32] = "";

	st->bands_known = 0;
	rc = html_xpath_nodes(st->doc, NULL,
			      "//@*[contains(., 'context')][contains(., 'tooltip') or contains(., 'context length')]",
			      &ns, err);
	if (rc < 0)
		goto out;
	for (i = 0; i < ns.n; i++) {
		buf_reset(&b);
		if ((rc = html_node_text(ns.v[i], &b)) < 0)
			goto out;
		if (!found_low)
			found_low = oa_tooltip_band(b.buf, "Short context", st->low, sizeof(st->low));
		if (!found_high)
			found_high = oa_tooltip_band(b.buf, "Long context", st->high, sizeof(st->high));
		if (!named)
			named = oa_name_band(b.buf, named_band, sizeof(named_band));
	}
	if (!found_low && !found_high && !named) {
		/* Model names in the static tables may carry it too. */
		buf_reset(&b);
		if ((rc = html_xpath_text(st->doc, NULL, "//table[contains(., 'context length')]", &b, err)) < 0)
			goto out;
		named = oa_name_band(b.buf, named_band, sizeof(named_band));
	}
	if (!found_low && !found_high && named)
		found_low = snprintf(st->low, sizeof(st->low), "%s", named_band) > 0;
	if (found_low && !found_high)
		found_high = pricetext_band_complement(st->low, st->high, sizeof(st->high)) == 0;
	if (found_high && !found_low)
		found_low = pricetext_band_complement(st->high, st->low, sizeof(st->low)) == 0;
	st->bands_known = found_low && found_high;
	if (st->bands_known)
		LOG(LOG_DEBUG, "%s: context bands %s / %s", st->what, st->low, st->high);
	rc = 0;
out:
	html_nodes_release(&ns);
	buf_release(&b);
	return rc;
}

/* The id of the section heading a table belongs to ("" when none). */
static xmlNodePtr oa_section(struct oa_state *st, xmlNodePtr table, struct buf *id)
{
	xmlNodePtr h = html_xpath_node(st->doc, table,
				       "preceding::*[self::h2 or self::h3][@id][1]");

	buf_reset(id);
	if (h)
		html_attr(h, "id", id);
	return h;
}

/* The unit the section states in its meta line, if it lies before the table. */
static enum money_unit_kind oa_section_unit(struct oa_state *st, xmlNodePtr heading,
					    xmlNodePtr table)
{
	struct buf t = BUF_INIT;
	xmlNodePtr meta;
	enum money_unit_kind u = MONEY_UNIT_UNKNOWN;

	if (!heading)
		return u;
	meta = html_xpath_node(st->doc, heading,
			       "following::*[contains(@class, 'pricing-switcher-meta') or "
			       "contains(@class, 'pricing-section-meta')][1]");
	if (meta && html_node_order(meta, table) < 0 && html_node_text(meta, &t) == 0)
		u = money_unit_from_text(t.buf);
	buf_release(&t);
	return u;
}

/* The tier of the pane holding the table: standard when there is none. */
static int oa_tier(struct oa_state *st, xmlNodePtr table, char *tier, size_t n)
{
	xmlNodePtr pane = html_xpath_node(st->doc, table,
					  "ancestor::div[@data-content-switcher-pane='true'][1]");
	struct buf v = BUF_INIT;
	int rc = 0;

	if (!pane) {
		snprintf(tier, n, "standard");
		return 0;
	}
	if (html_attr(pane, "data-value", &v) <= 0 || v.len == 0) {
		rc = -1;
		goto out;
	}
	textnorm_lower(v.buf);
	/* "fast" (since 2026-07-30) and "priority" are the priority tier. */
	if (!strcmp(v.buf, "fast") || !strcmp(v.buf, "priority"))
		snprintf(tier, n, "priority");
	else
		snprintf(tier, n, "%s", v.buf);
out:
	buf_release(&v);
	return rc;
}

static int oa_modality_ok(const char *m)
{
	return !strcmp(m, "text") || !strcmp(m, "image") || !strcmp(m, "audio") || !strcmp(m, "video");
}

/* Read one table.  Returns prices added, or a negative code. */
static int oa_table(struct oa_state *st, xmlNodePtr table, const char *section,
		    enum money_unit_kind section_unit, const char *tier, struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	struct oa_col cols[OA_MAX_COLS];
	size_t c, r, lvl, model_col = SIZE_MAX, modality_col = SIZE_MAX, ndims = 0;
	int rc, added = 0, needs_bands = 0;

	rc = html_table_grid(table, &g, NULL);
	if (rc < 0 || g.header_rows == 0 || g.cols > OA_MAX_COLS) {
		rc = 0; /* not a price table */
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		char key[64];
		memset(&cols[c], 0, sizeof(cols[c]));
		oa_header_key(html_grid_leaf(&g, c), key, sizeof(key));
		if (!strcmp(key, "model") && model_col == SIZE_MAX)
			model_col = c;
		else if (!strcmp(key, "modality") && modality_col == SIZE_MAX)
			modality_col = c;
		else {
			size_t k;
			for (k = 0; k < TT_ARRAY_SIZE(oa_dims); k++)
				if (!strcmp(key, oa_dims[k].header))
					cols[c].dimension = oa_dims[k].dimension;
		}
		cols[c].unit = money_unit_from_text(html_grid_leaf(&g, c));
		for (lvl = 0; lvl + 1 < g.header_rows; lvl++) {
			char grp[64];
			const char *h = html_grid_header(&g, lvl, c);
			oa_header_key(h, grp, sizeof(grp));
			if (strstr(grp, "short context"))
				cols[c].context = 1;
			else if (strstr(grp, "long context"))
				cols[c].context = 2;
			if (pricetext_band(h, cols[c].band, sizeof(cols[c].band)) != 1)
				cols[c].band[0] = '\0';
			if (cols[c].unit == MONEY_UNIT_UNKNOWN)
				cols[c].unit = money_unit_from_text(h);
		}
		if (cols[c].dimension) {
			ndims++;
			if (cols[c].context && !cols[c].band[0])
				needs_bands = 1;
		}
	}
	if (model_col == SIZE_MAX || ndims == 0) {
		LOG(LOG_DEBUG, "%s: a table in #%s has no Model/price columns; skipped", st->what, section);
		rc = 0;
		goto out;
	}
	if (needs_bands) {
		if (st->bands_known < 0 && (rc = oa_find_bands(st, err)) < 0)
			goto out;
		if (!st->bands_known) {
			rc = tt_set_error(err, TT_EPARSE,
					  "%s: the table in #%s has 'Short context'/'Long context' columns but "
					  "the page states no prompt-length threshold for them",
					  st->what, section);
			goto out;
		}
	}
	if (!strcmp(section, "text-tokens"))
		st->tables++;

	for (r = g.header_rows; r < g.rows; r++) {
		const char *model = html_grid_at(&g, r, model_col)->text;
		char modality[16] = "";

		if (g.header_row[r] || !*model)
			continue;
		if (strpbrk(model, " \n\t")) {
			LOG(LOG_INFO, "%s: model cell '%s' in #%s is not an id; row skipped", st->what, model,
			    section);
			continue;
		}
		if (modality_col != SIZE_MAX) {
			snprintf(modality, sizeof(modality), "%s", html_grid_at(&g, r, modality_col)->text);
			textnorm_lower(modality);
			if (!oa_modality_ok(modality)) {
				LOG(LOG_INFO, "%s: %s: unknown modality '%s'; row skipped", st->what, model, modality);
				continue;
			}
		}
		for (c = 0; c < g.cols; c++) {
			struct pricetext_value v[PRICETEXT_MAX];
			const char *cell = html_grid_at(&g, r, c)->text;
			int n, k;

			if (!cols[c].dimension)
				continue;
			n = pricetext_parse(cell, strlen(cell), "USD", "en-US", v, PRICETEXT_MAX, err);
			if (n < 0) {
				rc = n;
				goto out;
			}
			for (k = 0; k < n; k++) {
				struct price p;
				enum money_unit_kind unit;
				char cond[96];
				const char *band = cols[c].band[0] ? cols[c].band
						   : cols[c].context == 1 ? st->low
						   : cols[c].context == 2 ? st->high : v[k].prompt;

				if (v[k].status == PRICETEXT_UNKNOWN)
					continue; /* "-": missing is NULL, never 0 */
				if (v[k].status == PRICETEXT_AMBIGUOUS) {
					LOG(LOG_WARN, "%s: %s %s '%s' skipped: %s", st->what, model,
					    cols[c].dimension, cell, v[k].note);
					continue;
				}
				unit = v[k].unit != MONEY_UNIT_UNKNOWN ? v[k].unit
				       : cols[c].unit != MONEY_UNIT_UNKNOWN ? cols[c].unit : section_unit;
				if (v[k].unit == MONEY_UNIT_UNKNOWN && v[k].unit_text[0]) {
					LOG(LOG_INFO, "%s: %s '%s' is priced per %s; skipped", st->what, model, cell,
					    v[k].unit_text);
					continue;
				}
				if (unit == MONEY_UNIT_UNKNOWN) {
					LOG(LOG_INFO, "%s: #%s names no token unit; '%s' skipped", st->what, section, cell);
					continue;
				}
				memset(&p, 0, sizeof(p));
				if ((rc = money_parse(v[k].number, strlen(v[k].number), money_unit_scale(unit),
						      &p.nanos, err)) < 0)
					goto out;
				if ((rc = pricetext_condition(band, v[k].time_band,
							      modality[0] ? modality : v[k].modality, cond,
							      sizeof(cond))) < 0) {
					rc = tt_set_error(err, TT_EPARSE, "%s: condition too long for %s", st->what, model);
					goto out;
				}
				p.provider = OA_PROVIDER;
				p.model = (char *)model;
				p.dimension = (char *)cols[c].dimension;
				p.tier = (char *)tier;
				p.condition = cond;
				p.region = "";
				p.unit = PRICE_UNIT_MTOK;
				p.currency = v[k].currency[0] ? v[k].currency : "USD";
				p.text = v[k].text;
				p.note = v[k].note[0] ? v[k].note : NULL;
				rc = extract_add(st->out, st->from, &p, st->what, err);
				if (rc < 0)
					goto out;
				added += rc;
				if (rc > 0 && !strcmp(section, "text-tokens"))
					st->text_tokens++;
			}
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	return rc;
}

int extract_openai(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err)
{
	struct oa_state st;
	struct html_nodes tables = HTML_NODES_INIT;
	struct buf section = BUF_INIT;
	xmlDocPtr doc = NULL;
	size_t i, k;
	int rc, total = 0;

	memset(&st, 0, sizeof(st));
	st.what = extract_origin(ctx, "openai pricing page");
	st.out = out;
	st.from = out->n;
	st.bands_known = -1;
	if ((rc = html_parse(body, len, st.what, &doc, err)) < 0)
		goto out;
	st.doc = doc;
	/* The anchor: one text-token section heading, exactly once. */
	if ((rc = html_xpath_nodes(doc, NULL, "//h2[@id='text-tokens']", &tables, err)) < 0)
		goto out;
	if (tables.n == 0 && html_xpath_node(doc, NULL, "//h2[normalize-space()='Language models']")) {
		/* The older openai.com/pricing layout (per 1K tokens). */
		rc = extract_openai_2023_doc(doc, ctx, out, err);
		goto out;
	}
	if (tables.n == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: anchor h2#text-tokens (the text-token section) is missing, and so is "
				  "the 2023 layout's h2 'Language models'; the page layout changed", st.what);
		goto out;
	}
	if ((rc = extract_anchor_once(ctx, "h2#text-tokens (the text-token section)", tables.n, err)) < 0)
		goto out;
	if ((rc = html_xpath_nodes(doc, NULL, "//h2[@id='text-tokens']/following::table", &tables, err)) < 0)
		goto out;
	for (i = 0; i < tables.n; i++) {
		xmlNodePtr heading = oa_section(&st, tables.v[i], &section);
		char tier[32];
		int skip = 0;

		for (k = 0; k < TT_ARRAY_SIZE(oa_skip_sections); k++)
			if (!strcmp(section.buf, oa_skip_sections[k]))
				skip = 1;
		if (skip)
			continue;
		if (oa_tier(&st, tables.v[i], tier, sizeof(tier)) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: a pane in #%s has no data-value (tier)", st.what,
					  section.buf);
			goto out;
		}
		rc = oa_table(&st, tables.v[i], section.buf, oa_section_unit(&st, heading, tables.v[i]),
			      tier, err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	if (st.tables == 0 || st.text_tokens == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: h2#text-tokens is there but no Model/Input/Output table with prices "
				  "follows it (%zu tables, %zu prices)", st.what, st.tables, st.text_tokens);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from); /* fail closed */
	html_nodes_release(&tables);
	buf_release(&section);
	html_free(doc);
	return rc;
}
