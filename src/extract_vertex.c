/*
 * extract_vertex.c - prices from the Vertex AI ("Agent Platform")
 * generative AI pricing page on cloud.google.com.
 *
 * Gemini tables are table.nooFgd (Google Sites markup).  Columns are found
 * by header text: Model, Type, Region and price columns "Price (/1M
 * tokens) <= 200K input tokens", "... > 200K cached input tokens" (band
 * from the header, "cached" -> cache_read), with an optional suffix "with
 * Priority" (tier priority) or "with Flex/Batch" (tiers flex and batch);
 * none is standard.  The Model cell is filled on a model's first row only
 * and the Type cell often too: both are carried down.  Region "Global" ->
 * global, "Non-global*" -> non-global, "Global (Batch)" / "Global (Flex)"
 * -> global for that tier only.  Type gives dimension and modality
 * ("Input (audio)", "Input: video, image", "Text output (response and
 * reasoning)", "Image Output**"); an input for every modality (text,
 * image, video, audio) carries no modality term.
 *
 * Model names carry notes: "Gemini 3.8 Flash* through December 31, 2026"
 * and "Gemini 3.8 Flash Starting January 1, 2027" (a scheduled price).
 * The store keeps one value per key and observation date, so the
 * extractor keeps the price in force on the observation date (ctx->date):
 * before the change, the current price, whose note names the scheduled
 * one ("from 2027-01-01: 1.50"), and the scheduled row is counted as
 * skipped; from the change on, the scheduled price with `effective` set
 * to its day.  Names lose their "*" marks and "(Nano Banana 2)"
 * nicknames; the id is the slug ("gemini-3.1-flash-image") and the
 * published name is the note.
 *
 * Claude tables: the tab panels under div#anthropics-claude-models, one
 * per region (the tab's label: "Global" -> global, "us-east5").  Columns
 * Model | Type | band columns ("=< 200K input tokens *", "> 100K input
 * tokens **"); Type is Input, Output, Batch Input, 5m Cache Write, 1h
 * Batch Cache Write, Cache Hit... -> dimension and tier.  Claude ids use
 * the anthropic source's slug ("Claude Sonnet 4.6", "Opus 5.5" ->
 * "claude-sonnet-4.6", "claude-opus-5.5").
 *
 * The page contradicts itself in places (one key with two values, e.g.
 * two "5m Batch Cache Write" rows for one model): such a key is dropped
 * whole and counted as skipped ("published twice with different prices");
 * the rest of the page is kept.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/clock.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define VX_PROVIDER "vertex"
#define VX_MAX_COLS 16
#define VX_GEMINI_TABLES "//table[contains(concat(' ', normalize-space(@class), ' '), ' nooFgd ')]"
#define VX_CLAUDE_PANELS "//div[@id='anthropics-claude-models']//div[@role='tabpanel']"

struct vx_state {
	xmlDocPtr doc;
	const char *what;
	const char *date;            /* observation date, or NULL */
	struct price_list cand;      /* every price read, before selection */
	struct extract_skips *skips;
	size_t claude_panels;
};

/* Claude row types (lowercase, without "batch ") -> dimension. */
static const struct {
	const char *type;
	const char *dimension;
} vx_claude_types[] = {
	{ "input", "input" },
	{ "output", "output" },
	{ "5m cache write", "cache_write" },
	{ "1h cache write", "cache_write_1h" },
	{ "cache hit", "cache_read" },
};

static const char *const vx_months[] = { "january", "february", "march",     "april",
					 "may",     "june",     "july",      "august",
					 "september", "october", "november", "december" };

static int vx_skip(struct vx_state *st, const char *reason, const char *example)
{
	return extract_skips_add(st->skips, reason, example);
}

/* "January 1, 2027" at s -> "2027-01-01".  Returns 0 or -1. */
static int vx_date(const char *s, char *out, size_t n)
{
	size_t m;

	for (m = 0; m < 12; m++) {
		size_t l = strlen(vx_months[m]);
		if (!strncasecmp(s, vx_months[m], l) && s[l] == ' ') {
			char *e;
			long d = strtol(s + l + 1, &e, 10), y;
			if (e == s + l + 1 || *e != ',' || d < 1 || d > 31)
				return -1;
			y = strtol(e + 1, &e, 10);
			if (y < 2000 || y > 2100)
				return -1;
			snprintf(out, n, "%04ld-%02zu-%02ld", y, m + 1, d);
			return date_valid(out) ? 0 : -1;
		}
	}
	return -1;
}

/*
 * Split a model cell: name (no "*", no "(nickname)", no note), the note
 * ("through December 31, 2026"), and the scheduled start ("2027-01-01")
 * when the note says "starting <date>".
 */
static void vx_model_name(const char *cell, char *name, size_t nn, char *note, size_t noten,
			  char *start, size_t sn)
{
	char low[160];
	const char *cut = NULL, *p;
	size_t i, o = 0;

	start[0] = note[0] = '\0';
	snprintf(low, sizeof(low), "%s", cell);
	textnorm_lower(low);
	if ((p = strstr(low, "through ")) || (p = strstr(low, "starting ")))
		cut = cell + (p - low);
	if (cut) {
		snprintf(note, noten, "%s", cut);
		for (i = 0; note[i]; i++)
			if (note[i] == '\n')
				note[i] = ' ';
		if (!strncmp(p, "starting ", 9) && vx_date(cut + 9, start, sn) < 0)
			start[0] = '\0';
	}
	for (p = cell; *p && p != cut && o + 1 < nn; p++) {
		if (*p == '(') { /* nickname: drop to ')' */
			while (*p && *p != ')' && p != cut)
				p++;
			if (!*p || p == cut)
				break;
			continue;
		}
		name[o++] = (*p == '*' || *p == '\n' || *p == '/') ? ' ' : *p;
	}
	name[o] = '\0';
	while (o > 0 && name[o - 1] == ' ')
		name[--o] = '\0';
}

/* Modality terms stated in a Gemini row type; "" when all four or none. */
static void vx_modality(const char *type, char *out, size_t n)
{
	static const char *const order[] = { "text", "image", "video", "audio" };
	char low[128], *paren;
	size_t k, found = 0;

	snprintf(low, sizeof(low), "%s", type);
	textnorm_lower(low);
	/* "(response and reasoning)", "(avatar)" qualify the output, not a modality. */
	if ((paren = strstr(low, "(response")) || (paren = strstr(low, "(avatar")))
		*paren = '\0';
	out[0] = '\0';
	for (k = 0; k < TT_ARRAY_SIZE(order); k++) {
		if (strstr(low, order[k])) {
			snprintf(out + strlen(out), n - strlen(out), "%s%s", found ? "/" : "", order[k]);
			found++;
		}
	}
	if (found == 4)
		out[0] = '\0';
}

static int vx_cand(struct vx_state *st, const char *model, const char *dimension, const char *tier,
		   const char *cond, const char *region, int64_t nanos, const char *text,
		   const char *note, const char *effective, struct tt_error *err)
{
	struct price p;

	memset(&p, 0, sizeof(p));
	p.provider = VX_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.tier = (char *)tier;
	p.condition = (char *)cond;
	p.region = (char *)region;
	p.unit = PRICE_UNIT_MTOK;
	p.currency = "USD";
	p.nanos = nanos;
	p.text = (char *)text;
	p.note = note && *note ? (char *)note : NULL;
	p.effective = effective && *effective ? (char *)effective : NULL;
	if (price_list_add(&st->cand, &p) < 0)
		return tt_set_error(err, TT_ENOMEM, "%s: out of memory", st->what);
	return 1;
}

/* Read a price cell: 1 with *nanos and the text, 0 when empty/N/A, or a negative code. */
static int vx_value(struct vx_state *st, const char *model, const char *cell, int64_t *nanos,
		    char *text, size_t tn, struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	int n = pricetext_parse(cell, strlen(cell), "USD", "en-US", v, PRICETEXT_MAX, err);

	if (n < 0)
		return n;
	if (n == 1 && v[0].status == PRICETEXT_UNKNOWN)
		return 0;
	if (n != 1 || v[0].status != PRICETEXT_VALUE || strcmp(v[0].currency, "USD") ||
	    (v[0].unit_text[0] && v[0].unit == MONEY_UNIT_UNKNOWN)) {
		int rc = vx_skip(st, "cell not read as one USD price", model);
		return rc < 0 ? rc : 0;
	}
	snprintf(text, tn, "%s", v[0].text);
	return money_parse(v[0].number, strlen(v[0].number), 0, nanos, err) < 0 ? TT_EPARSE : 1;
}

/* A Gemini table.  Returns candidates added or a negative code. */
static int vx_gemini_table(struct vx_state *st, xmlNodePtr table, struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	struct {
		int price;
		int cached;
		char band[32];
		const char *tiers[2];
	} cols[VX_MAX_COLS];
	struct buf id = BUF_INIT;
	size_t r, c, mcol = SIZE_MAX, tcol = SIZE_MAX, rcol = SIZE_MAX, nprice = 0;
	char model_cell[160] = "", type[128] = "", region_cell[64] = "";
	int rc, added = 0;

	if (html_table_grid(table, &g, err) < 0 || g.header_rows == 0 || g.cols > VX_MAX_COLS) {
		rc = tt_set_error(err, TT_EPARSE, "%s: a table.nooFgd has no header row", st->what);
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		char h[160];
		memset(&cols[c], 0, sizeof(cols[c]));
		snprintf(h, sizeof(h), "%s", html_grid_leaf(&g, c));
		textnorm_lower(h);
		if (!strcmp(h, "model"))
			mcol = c;
		else if (!strcmp(h, "type"))
			tcol = c;
		else if (!strcmp(h, "region"))
			rcol = c;
		else if (strstr(h, "price") && money_unit_from_text(h) == MONEY_UNIT_PER_1M &&
			 pricetext_band(h, cols[c].band, sizeof(cols[c].band)) == 1) {
			cols[c].price = 1;
			cols[c].cached = strstr(h, "cached") != NULL;
			if (strstr(h, "with priority"))
				cols[c].tiers[0] = "priority";
			else if (strstr(h, "with flex/batch"))
				cols[c].tiers[0] = "flex", cols[c].tiers[1] = "batch";
			else
				cols[c].tiers[0] = "standard";
			nprice++;
		}
	}
	if (mcol == SIZE_MAX || tcol == SIZE_MAX || rcol == SIZE_MAX || nprice == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: a table.nooFgd lacks the Model, Type, Region or 'Price (/1M tokens) "
				  "<= 200K ...' columns", st->what);
		goto out;
	}
	for (r = g.header_rows; r < g.rows; r++) {
		const char *cell;
		char name[128], note[96], start[16], modality[40], region[32], rlow[64];
		const char *dimension, *only_tier = NULL;

		if (g.header_row[r])
			continue;
		cell = html_grid_at(&g, r, mcol)->text;
		if (*cell)
			snprintf(model_cell, sizeof(model_cell), "%s", cell);
		cell = html_grid_at(&g, r, tcol)->text;
		if (*cell)
			snprintf(type, sizeof(type), "%s", cell);
		cell = html_grid_at(&g, r, rcol)->text;
		if (*cell)
			snprintf(region_cell, sizeof(region_cell), "%s", cell);
		if (!model_cell[0] || !type[0] || !region_cell[0])
			continue;
		vx_model_name(model_cell, name, sizeof(name), note, sizeof(note), start, sizeof(start));
		buf_reset(&id);
		if (extract_slug("", name, &id) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: model cell '%s' names no model", st->what,
					  model_cell);
			goto out;
		}
		{
			char low[128];
			snprintf(low, sizeof(low), "%s", type);
			textnorm_lower(low);
			dimension = strstr(low, "input") ? "input" : strstr(low, "output") ? "output" : NULL;
		}
		if (!dimension) {
			if ((rc = vx_skip(st, "unknown row type", type)) < 0)
				goto out;
			continue;
		}
		vx_modality(type, modality, sizeof(modality));
		/* Region: "Global", "Non-global*", "Global (Batch)". */
		snprintf(rlow, sizeof(rlow), "%s", region_cell);
		textnorm_lower(rlow);
		if (strstr(rlow, "(batch)"))
			only_tier = "batch";
		else if (strstr(rlow, "(flex)"))
			only_tier = "flex";
		snprintf(region, sizeof(region), "%s", !strncmp(rlow, "non-global", 10) ? "non-global"
						       : !strncmp(rlow, "global", 6) ? "global" : "");
		if (!region[0]) {
			if ((rc = vx_skip(st, "unknown region", region_cell)) < 0)
				goto out;
			continue;
		}
		for (c = 0; c < g.cols; c++) {
			char text[160], cond[96];
			int64_t nanos;
			size_t k;

			if (!cols[c].price)
				continue;
			rc = vx_value(st, id.buf, html_grid_at(&g, r, c)->text, &nanos, text, sizeof(text),
				      err);
			if (rc < 0)
				goto out;
			if (rc == 0)
				continue;
			if (cols[c].cached && strcmp(dimension, "input")) {
				if ((rc = vx_skip(st, "cached price on an output row", id.buf)) < 0)
					goto out;
				continue;
			}
			if (pricetext_condition(cols[c].band, NULL, modality, cond, sizeof(cond)) < 0) {
				rc = tt_set_error(err, TT_EPARSE, "%s: condition too long", st->what);
				goto out;
			}
			for (k = 0; k < 2 && cols[c].tiers[k]; k++) {
				char fullnote[224];
				if (only_tier && strcmp(only_tier, cols[c].tiers[k]))
					continue;
				size_t q;
				/* The published name, notes and nickname included. */
				snprintf(fullnote, sizeof(fullnote), "%s", model_cell);
				for (q = 0; fullnote[q]; q++)
					if (fullnote[q] == '\n')
						fullnote[q] = ' ';
				rc = vx_cand(st, id.buf, cols[c].cached ? "cache_read" : dimension,
					     cols[c].tiers[k], cond, region, nanos, text, fullnote, start, err);
				if (rc < 0)
					goto out;
				added += rc;
			}
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&id);
	return rc;
}

/* The region of a Claude tab panel: its tab's label, lowercased. */
static int vx_panel_region(struct vx_state *st, xmlNodePtr panel, char *region, size_t n)
{
	struct buf lab = BUF_INIT, t = BUF_INIT;
	char xp[160];
	xmlNodePtr tab;
	int rc = -1;

	if (html_attr(panel, "aria-labelledby", &lab) <= 0 || !lab.len || strchr(lab.buf, '\''))
		goto out;
	snprintf(xp, sizeof(xp), "//*[@id='%s']", lab.buf);
	tab = html_xpath_node(st->doc, NULL, xp);
	if (!tab || html_node_text(tab, &t) < 0 || !t.len || strchr(t.buf, ' '))
		goto out;
	textnorm_lower(t.buf);
	snprintf(region, n, "%s", t.buf);
	rc = 0;
out:
	buf_release(&lab);
	buf_release(&t);
	return rc;
}

/* One Claude table in a panel.  Returns candidates added or a negative code. */
static int vx_claude_table(struct vx_state *st, xmlNodePtr table, const char *region,
			   struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	char bands[VX_MAX_COLS][32];
	struct buf id = BUF_INIT;
	size_t r, c, mcol = SIZE_MAX, tcol = SIZE_MAX, nprice = 0;
	char model_cell[128] = "";
	int rc, added = 0;

	if (html_table_grid(table, &g, err) < 0 || g.header_rows == 0 || g.cols > VX_MAX_COLS) {
		rc = tt_set_error(err, TT_EPARSE, "%s: a Claude pricing table has no header row",
				  st->what);
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		char h[160];
		bands[c][0] = '\0';
		snprintf(h, sizeof(h), "%s", html_grid_leaf(&g, c));
		textnorm_lower(h);
		if (!strcmp(h, "model"))
			mcol = c;
		else if (!strcmp(h, "type"))
			tcol = c;
		else if (strstr(h, "price") && money_unit_from_text(h) == MONEY_UNIT_PER_1M &&
			 pricetext_band(h, bands[c], sizeof(bands[c])) == 1)
			nprice++;
		else
			bands[c][0] = '\0';
	}
	if (mcol == SIZE_MAX || tcol == SIZE_MAX || nprice == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: a Claude pricing table lacks the Model, Type or 'Price (/1M tokens) "
				  "=< 200K ...' columns", st->what);
		goto out;
	}
	for (r = g.header_rows; r < g.rows; r++) {
		const char *cell = html_grid_at(&g, r, mcol)->text, *dimension = NULL, *tier;
		char type[64], base[64], *b;
		size_t k;

		if (g.header_row[r])
			continue;
		if (*cell)
			snprintf(model_cell, sizeof(model_cell), "%s", cell);
		if (!model_cell[0])
			continue;
		snprintf(type, sizeof(type), "%s", html_grid_at(&g, r, tcol)->text);
		textnorm_lower(type);
		snprintf(base, sizeof(base), "%s", type);
		tier = "standard";
		if ((b = strstr(base, "batch "))) {
			memmove(b, b + 6, strlen(b + 6) + 1);
			tier = "batch";
		}
		for (k = 0; k < TT_ARRAY_SIZE(vx_claude_types); k++)
			if (!strcmp(base, vx_claude_types[k].type))
				dimension = vx_claude_types[k].dimension;
		if (!dimension) {
			if ((rc = vx_skip(st, "unknown Claude row type", type)) < 0)
				goto out;
			continue;
		}
		{
			const char *n = model_cell;
			buf_reset(&id);
			if (!strncasecmp(n, "claude ", 7))
				n += 7;
			if (extract_slug("claude-", n, &id) < 0) {
				rc = tt_set_error(err, TT_EPARSE, "%s: Claude model cell '%s' names no model",
						  st->what, model_cell);
				goto out;
			}
		}
		for (c = 0; c < g.cols; c++) {
			char text[160];
			int64_t nanos;

			if (!bands[c][0])
				continue;
			rc = vx_value(st, id.buf, html_grid_at(&g, r, c)->text, &nanos, text, sizeof(text),
				      err);
			if (rc < 0)
				goto out;
			if (rc == 0)
				continue;
			rc = vx_cand(st, id.buf, dimension, tier, bands[c], region, nanos, text, model_cell,
				     NULL, err);
			if (rc < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&id);
	return rc;
}

static int vx_same_key(const struct price *a, const struct price *b)
{
	return price_key_cmp(a, b) == 0;
}

/*
 * Keep the price in force on the observation date among current and
 * scheduled rows, then drop keys the page gives two values, and append
 * the rest to out.  Returns prices added or a negative code.
 */
static int vx_select(struct vx_state *st, struct price_list *out, size_t from,
		     struct tt_error *err)
{
	struct price_list *l = &st->cand;
	char *drop = calloc(l->n ? l->n : 1, 1);
	size_t i, j;
	int rc = 0, added = 0;

	if (!drop)
		return tt_set_error(err, TT_ENOMEM, "%s: out of memory", st->what);
	/* Scheduled rows (effective set) against the current rows of the same key. */
	for (i = 0; i < l->n; i++) {
		const char *eff = l->v[i].effective;
		int in_force;

		if (!eff)
			continue;
		in_force = st->date && strcmp(st->date, eff) >= 0;
		for (j = 0; j < l->n; j++) {
			if (j == i || l->v[j].effective || !vx_same_key(&l->v[i], &l->v[j]))
				continue;
			if (in_force) {
				drop[j] = 1;
			} else {
				char m[MONEY_FMT_MAX], note[256], *nn;
				snprintf(note, sizeof(note), "%s; from %s: %s", l->v[j].note ? l->v[j].note : "",
					 eff, money_format(l->v[i].nanos, m, sizeof(m)));
				if (!(nn = strdup(note))) {
					rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", st->what);
					goto out;
				}
				free(l->v[j].note);
				l->v[j].note = nn;
			}
		}
		if (!in_force) {
			drop[i] = 1;
			if ((rc = vx_skip(st, "scheduled price not yet in force on the observation date",
					  l->v[i].model)) < 0)
				goto out;
		}
	}
	/* Contradictions: one key, two values. */
	for (i = 0; i < l->n; i++) {
		int bad = 0;
		if (drop[i] == 1)
			continue;
		for (j = i + 1; j < l->n; j++) {
			if (drop[j] == 1 || !vx_same_key(&l->v[i], &l->v[j]))
				continue;
			if (l->v[j].nanos != l->v[i].nanos)
				bad = 1;
		}
		if (!bad)
			continue;
		for (j = i; j < l->n; j++)
			if (drop[j] != 1 && vx_same_key(&l->v[i], &l->v[j]))
				drop[j] = 1;
		LOG(LOG_WARN, "%s: %s %s %s %s '%s' is published twice with different prices; not stored",
		    st->what, l->v[i].model, l->v[i].dimension, l->v[i].tier, l->v[i].region,
		    l->v[i].condition);
		if ((rc = vx_skip(st, "published twice with different prices", l->v[i].model)) < 0)
			goto out;
	}
	for (i = 0; i < l->n; i++) {
		if (drop[i])
			continue;
		if ((rc = extract_add(out, from, &l->v[i], st->what, err)) < 0)
			goto out;
		added += rc;
	}
	rc = added;
out:
	free(drop);
	return rc;
}

int extract_vertex(const char *body, size_t len, const struct extract_ctx *ctx,
		   struct price_list *out, struct tt_error *err)
{
	struct vx_state st;
	struct html_nodes tables = HTML_NODES_INIT, panels = HTML_NODES_INIT, inner = HTML_NODES_INIT;
	xmlDocPtr doc = NULL;
	size_t from = out->n, i, k;
	int rc, gemini = 0;

	memset(&st, 0, sizeof(st));
	st.what = extract_origin(ctx, "vertex pricing page");
	st.date = ctx && ctx->date && *ctx->date ? ctx->date : NULL;
	st.skips = ctx ? ctx->skips : NULL;
	if ((rc = html_parse(body, len, st.what, &doc, err)) < 0)
		goto out;
	st.doc = doc;
	if ((rc = html_xpath_nodes(doc, NULL, VX_GEMINI_TABLES, &tables, err)) < 0)
		goto out;
	if (rc == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no Gemini pricing table (table.nooFgd); the page layout changed",
				  st.what);
		goto out;
	}
	for (i = 0; i < tables.n; i++) {
		if ((rc = vx_gemini_table(&st, tables.v[i], err)) < 0)
			goto out;
		gemini += rc;
	}
	if (gemini == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu table.nooFgd tables but no Gemini price",
				  st.what, tables.n);
		goto out;
	}
	if ((rc = html_xpath_nodes(doc, NULL, VX_CLAUDE_PANELS, &panels, err)) < 0)
		goto out;
	for (i = 0; i < panels.n; i++) {
		char region[32];
		if (vx_panel_region(&st, panels.v[i], region, sizeof(region)) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: a Claude tab panel has no region tab",
					  st.what);
			goto out;
		}
		if ((rc = html_xpath_nodes(doc, panels.v[i], ".//table", &inner, err)) < 0)
			goto out;
		for (k = 0; k < inner.n; k++)
			if ((rc = vx_claude_table(&st, inner.v[k], region, err)) < 0)
				goto out;
	}
	if (panels.n == 0 && (rc = vx_skip(&st, "no Claude tab panels", NULL)) < 0)
		goto out;
	rc = vx_select(&st, out, from, err);
	if (rc == 0)
		rc = tt_set_error(err, TT_EPARSE, "%s: no price left after selection", st.what);
out:
	if (rc < 0)
		extract_drop_since(out, from);
	price_list_release(&st.cand);
	html_nodes_release(&tables);
	html_nodes_release(&panels);
	html_nodes_release(&inner);
	html_free(doc);
	return rc;
}
