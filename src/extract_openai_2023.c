/*
 * extract_openai_2023.c - prices from the older openai.com/pricing layout
 * (Nuxt, 2023), priced per 1K tokens, so that old captures can be
 * backfilled through the `openai` source (extract_openai() dispatches here
 * when the page has no h2#text-tokens but has the h2 "Language models").
 *
 * The page carries one desktop <table> per section (the nearest preceding
 * h3: GPT-4 Turbo, GPT-4, GPT-3.5 Turbo, Assistants API, Fine-tuning
 * models, Embedding models, Base models, Image models, Audio models).  Its
 * header row is made of <td>s ("Model | Input | Output"), so the header
 * row is found by text: the first row whose cell reads "Model" (or
 * "Tool").  Columns are matched by header text:
 *   Input, Input usage          -> input
 *   Output, Output usage        -> output
 *   Training                    -> training (fine-tuning, per token trained)
 *   Usage, Price                -> by the unit of the cell: tokens -> input
 *                                  (and output too in "Base models", where
 *                                  one usage price covers every token);
 *                                  image -> image; minute -> minute;
 *                                  1K characters -> character (per 1M)
 *   Quality, Resolution         -> condition terms of per-image prices
 * Per-1K prices are stored per 1M exactly (money_parse scale 3).
 *
 * Naming: fine-tuned models are stored as "ft:<base>" (OpenAI's own prefix
 * for fine-tuned model ids), so ft:gpt-3.5-turbo never collides with
 * gpt-3.5-turbo.  Display names of the Embedding, Image and Audio tables
 * ("ada v2", "DALL·E 3", "Whisper", "TTS HD") are mapped to the API ids
 * OpenAI documents for them by a fixed table (oa23_names); any other name
 * that is not an id is kept as a deterministic slug; the published name
 * goes in the note.  Image prices carry "quality,WxH" as their condition
 * ("hd,1024x1792"); a cell naming two resolutions gives one row each.
 *
 * Not read: the Assistants API tools (per session / per GB-day, not model
 * prices), the vision calculator, and the mobile cards (same prices).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define OA23_PROVIDER "openai"
#define OA23_MAX_COLS 16

/* Display names on the 2023 page -> the API ids OpenAI documents. */
static const struct {
	const char *name;
	const char *id;
} oa23_names[] = {
	{ "ada v2", "text-embedding-ada-002" },
	{ "dall\xc2\xb7" "e 3", "dall-e-3" },
	{ "dall\xc2\xb7" "e 2", "dall-e-2" },
	{ "whisper", "whisper-1" },
	{ "tts", "tts-1" },
	{ "tts hd", "tts-1-hd" },
};

enum oa23_col {
	OA23_NONE = 0,
	OA23_MODEL,
	OA23_INPUT,
	OA23_OUTPUT,
	OA23_TRAINING,
	OA23_USAGE,
	OA23_QUALITY,
	OA23_RESOLUTION,
};

static const struct {
	const char *header;
	enum oa23_col col;
} oa23_headers[] = {
	{ "model", OA23_MODEL },           { "input", OA23_INPUT },
	{ "input usage", OA23_INPUT },     { "output", OA23_OUTPUT },
	{ "output usage", OA23_OUTPUT },   { "training", OA23_TRAINING },
	{ "usage", OA23_USAGE },           { "price", OA23_USAGE },
	{ "quality", OA23_QUALITY },       { "resolution", OA23_RESOLUTION },
};

struct oa23_state {
	xmlDocPtr doc;
	const char *what;
	struct price_list *out;
	size_t from;
	struct extract_skips *skips;
	size_t text_prices; /* prices from Model/Input/Output tables */
};

static void oa23_lower(const char *s, char *out, size_t n)
{
	snprintf(out, n, "%s", s);
	textnorm_lower(out);
}

/* The stored model id for a published name; note is set when they differ. */
static int oa23_model_id(const char *name, int fine_tuned, struct buf *id, const char **note)
{
	char low[96];
	size_t k;
	int rc;

	buf_reset(id);
	*note = NULL;
	oa23_lower(name, low, sizeof(low));
	if (fine_tuned && (rc = buf_adds(id, "ft:")) < 0)
		return rc;
	for (k = 0; k < TT_ARRAY_SIZE(oa23_names); k++) {
		if (!strcmp(low, oa23_names[k].name)) {
			*note = name;
			return buf_adds(id, oa23_names[k].id);
		}
	}
	if (!strpbrk(name, " \t\n")) {
		size_t i;
		int ascii = 1;
		for (i = 0; name[i]; i++)
			if ((unsigned char)name[i] >= 0x80)
				ascii = 0;
		if (ascii)
			return buf_adds(id, name);
	}
	*note = name;
	return extract_slug("", name, id);
}

/* "1024×1792, 1792×1024" -> up to max "WxH" terms.  Returns the count. */
static size_t oa23_resolutions(const char *text, char terms[][24], size_t max)
{
	size_t n = 0;
	const char *p = text;

	while (*p && n < max) {
		size_t o = 0;
		while (*p == ' ' || *p == ',' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && *p != ',' && *p != '\n' && o + 1 < sizeof(terms[0])) {
			if (!strncmp(p, "\xc3\x97", 2)) { /* U+00D7 MULTIPLICATION SIGN */
				terms[n][o++] = 'x';
				p += 2;
			} else if (*p == ' ') {
				p++;
			} else {
				terms[n][o++] = (char)tolower((unsigned char)*p++);
			}
		}
		terms[n][o] = '\0';
		while (*p && *p != ',' && *p != '\n')
			p++;
		if (o)
			n++;
	}
	return n;
}

static int oa23_skip(struct oa23_state *st, const char *reason, const char *example)
{
	return extract_skips_add(st->skips, reason, example);
}

/* Add one price.  Returns 1/0 or a negative code. */
static int oa23_add(struct oa23_state *st, const char *model, const char *dimension,
		    const char *condition, const char *unit, int64_t nanos, const char *text,
		    const char *note, struct tt_error *err)
{
	struct price p;

	memset(&p, 0, sizeof(p));
	p.provider = OA23_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.tier = "standard";
	p.condition = (char *)condition;
	p.region = "";
	p.unit = (char *)unit;
	p.currency = "USD";
	p.nanos = nanos;
	p.text = (char *)text;
	p.note = (char *)note;
	return extract_add(st->out, st->from, &p, st->what, err);
}

/* One table.  Returns prices added or a negative code. */
static int oa23_table(struct oa23_state *st, xmlNodePtr table, const char *section,
		      struct tt_error *err)
{
	struct html_grid g = HTML_GRID_INIT;
	enum oa23_col cols[OA23_MAX_COLS];
	struct buf model = BUF_INIT;
	char sec[64], carried[96] = "";
	size_t r, c, hdr = SIZE_MAX, model_col = SIZE_MAX, q_col = SIZE_MAX, res_col = SIZE_MAX;
	int rc, added = 0, fine_tuned, base_models, tools = 0;

	oa23_lower(section, sec, sizeof(sec));
	fine_tuned = !strncmp(sec, "fine-tuning", 11);
	base_models = !strcmp(sec, "base models");
	if (html_table_grid(table, &g, NULL) < 0 || g.cols > OA23_MAX_COLS) {
		rc = 0;
		goto out;
	}
	/* The header row: the first row with a cell reading "Model" or "Tool". */
	for (r = 0; r < g.rows && hdr == SIZE_MAX; r++) {
		for (c = 0; c < g.cols; c++) {
			char h[32];
			oa23_lower(html_grid_at(&g, r, c)->text, h, sizeof(h));
			if (!strcmp(h, "model"))
				hdr = r;
			else if (!strcmp(h, "tool"))
				hdr = r, tools = 1;
		}
	}
	if (hdr == SIZE_MAX) {
		rc = 0; /* the vision calculator and other non-price tables */
		goto out;
	}
	if (tools) {
		for (r = hdr + 1; r < g.rows; r++)
			if ((rc = oa23_skip(st, "tool price (not a model price)",
					    html_grid_at(&g, r, 0)->text)) < 0)
				goto out;
		rc = 0;
		goto out;
	}
	for (c = 0; c < g.cols; c++) {
		char h[64];
		size_t k;
		cols[c] = OA23_NONE;
		oa23_lower(html_grid_at(&g, hdr, c)->text, h, sizeof(h));
		for (k = 0; k < TT_ARRAY_SIZE(oa23_headers); k++)
			if (!strcmp(h, oa23_headers[k].header))
				cols[c] = oa23_headers[k].col;
		if (cols[c] == OA23_MODEL && model_col == SIZE_MAX)
			model_col = c;
		else if (cols[c] == OA23_QUALITY)
			q_col = c;
		else if (cols[c] == OA23_RESOLUTION)
			res_col = c;
	}
	for (r = hdr + 1; r < g.rows; r++) {
		const char *name = html_grid_at(&g, r, model_col)->text;
		const char *note;
		char quality[32] = "", res[4][24];
		size_t nres = 0;

		if (!strcmp(name, html_grid_at(&g, hdr, model_col)->text))
			continue; /* the header repeated */
		if (*name)
			snprintf(carried, sizeof(carried), "%s", name);
		else if (carried[0])
			name = carried; /* Image models: the name is on the first row only */
		else
			continue;
		if ((rc = oa23_model_id(name, fine_tuned, &model, &note)) < 0)
			goto out;
		if (q_col != SIZE_MAX)
			oa23_lower(html_grid_at(&g, r, q_col)->text, quality, sizeof(quality));
		if (res_col != SIZE_MAX)
			nres = oa23_resolutions(html_grid_at(&g, r, res_col)->text, res, 4);
		for (c = 0; c < g.cols; c++) {
			struct pricetext_value v[PRICETEXT_MAX];
			const char *cell = html_grid_at(&g, r, c)->text;
			const char *dims[2] = { NULL, NULL }, *unit = PRICE_UNIT_MTOK;
			int n, scale, token, k;
			int64_t nanos;

			if (cols[c] < OA23_INPUT || cols[c] > OA23_USAGE)
				continue;
			n = pricetext_parse(cell, strlen(cell), "USD", "en-US", v, PRICETEXT_MAX, err);
			if (n < 0) {
				rc = n;
				goto out;
			}
			if (n != 1 || v[0].status != PRICETEXT_VALUE) {
				if (n == 1 && v[0].status == PRICETEXT_UNKNOWN)
					continue;
				if ((rc = oa23_skip(st, "cell not read as one price", model.buf)) < 0)
					goto out;
				continue;
			}
			token = v[0].unit != MONEY_UNIT_UNKNOWN;
			scale = token ? money_unit_scale(v[0].unit) : 0;
			if (token) {
				if (cols[c] == OA23_INPUT)
					dims[0] = "input";
				else if (cols[c] == OA23_OUTPUT)
					dims[0] = "output";
				else if (cols[c] == OA23_TRAINING)
					dims[0] = "training";
				else {
					dims[0] = "input";
					if (base_models)
						dims[1] = "output";
				}
			} else if (cols[c] == OA23_USAGE && !strcmp(v[0].unit_text, "image")) {
				dims[0] = "image";
				unit = "image";
			} else if (cols[c] == OA23_USAGE && !strncmp(v[0].unit_text, "minute", 6)) {
				dims[0] = "minute";
				unit = "minute";
			} else if (cols[c] == OA23_USAGE && !strcmp(v[0].unit_text, "1K characters")) {
				dims[0] = "character";
				unit = "1M characters";
				scale = 3;
			} else {
				if ((rc = oa23_skip(st, "unit not understood", cell)) < 0)
					goto out;
				continue;
			}
			if ((rc = money_parse(v[0].number, strlen(v[0].number), scale, &nanos, err)) < 0)
				goto out;
			for (k = 0; k < 2 && dims[k]; k++) {
				size_t i, nconds = nres ? nres : 1;
				for (i = 0; i < nconds; i++) {
					char cond[64];
					snprintf(cond, sizeof(cond), "%s%s%s", quality,
						 quality[0] && nres ? "," : "", nres ? res[i] : "");
					rc = oa23_add(st, model.buf, dims[k], cond, unit, nanos, v[0].text, note,
						      err);
					if (rc < 0)
						goto out;
					added += rc;
					if (rc > 0 && token && !fine_tuned && !base_models &&
					    cols[c] != OA23_USAGE)
						st->text_prices++;
				}
			}
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	buf_release(&model);
	return rc;
}

int extract_openai_2023_doc(xmlDocPtr doc, const struct extract_ctx *ctx, struct price_list *out,
			    struct tt_error *err)
{
	struct oa23_state st;
	struct html_nodes tables = HTML_NODES_INIT, anchors = HTML_NODES_INIT;
	struct buf section = BUF_INIT;
	size_t i;
	int rc, total = 0;

	memset(&st, 0, sizeof(st));
	st.doc = doc;
	st.what = extract_origin(ctx, "openai pricing page (2023 layout)");
	st.out = out;
	st.from = out->n;
	st.skips = ctx ? ctx->skips : NULL;
	if ((rc = html_xpath_nodes(doc, NULL, "//h2[normalize-space()='Language models']", &anchors,
				   err)) < 0)
		goto out;
	if (rc != 1) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: the 2023 layout needs exactly one h2 'Language models' (found %d)",
				  st.what, rc);
		goto out;
	}
	if ((rc = html_xpath_nodes(doc, anchors.v[0], "following::table", &tables, err)) < 0)
		goto out;
	for (i = 0; i < tables.n; i++) {
		xmlNodePtr h = html_xpath_node(doc, tables.v[i], "preceding::h3[1]");
		buf_reset(&section);
		if (h && (rc = html_node_text(h, &section)) < 0)
			goto out;
		rc = oa23_table(&st, tables.v[i], section.len ? section.buf : "", err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	if (st.text_prices == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: h2 'Language models' is there but no Model/Input/Output table with "
				  "per-token prices follows it", st.what);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from);
	html_nodes_release(&tables);
	html_nodes_release(&anchors);
	buf_release(&section);
	return rc;
}

int extract_openai_2023(const char *body, size_t len, const struct extract_ctx *ctx,
			struct price_list *out, struct tt_error *err)
{
	xmlDocPtr doc = NULL;
	int rc;

	if ((rc = html_parse(body, len, extract_origin(ctx, "openai pricing page"), &doc, err)) < 0)
		return rc;
	rc = extract_openai_2023_doc(doc, ctx, out, err);
	html_free(doc);
	return rc;
}
