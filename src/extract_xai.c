/*
 * extract_xai.c - prices from xAI's docs, which are served as Markdown.
 *
 * Two page forms are read, both through the pipe-table reader (mdtable.h)
 * and matched by header text:
 *
 *  - the pricing page (docs.x.ai .../pricing): a table with a "Model"
 *    column and price columns "Input / 1M tokens", "Cached input / 1M
 *    tokens", "Output / 1M tokens" (the unit is in the header).  A model
 *    with long-context pricing has two rows, "grok-4.7 (< 200k prompt
 *    tokens)" and "grok-4.7 (≥ 200k prompt tokens)": the model id is the
 *    cell without the parenthesis and the parenthesis is the prompt band
 *    (prompt<200k / prompt>=200k).  A model priced on one row only has no
 *    band.  The page lists every model, so a table with fewer than
 *    XAI_MIN_PRICING_MODELS models is taken as cut and fails closed.
 *  - a model page (docs.x.ai .../models/grok-4.7): a "Type" column (Input,
 *    Cached input, Output) and one column per band ("< 200k prompt tokens
 *    (per 1M tokens)"); the model id is the "Model name: `grok-4.7`" line,
 *    and without it the page fails closed (the title "Grok 4.7" is not an
 *    id).
 *
 * Not read, on purpose: the prose sections after the table.  The batch
 * discount ("20% off standard rates" for a list of models), priority
 * processing ("2x") and the US regional endpoint ("1.1x", with example
 * prices in a sentence) are stated as percentages and multipliers, not as
 * published prices; deriving batch/priority/regional prices from them would
 * be our arithmetic, not the seller's price, so nothing is stored for them
 * (each is counted in the run's skips).  Their comparison tables
 * ("| | Real-time API | Batch API |") have neither a Model nor a Type
 * column and are passed over.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/log.h"
#include "tokentrend/mdtable.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define XAI_PROVIDER "xai"
#define XAI_MIN_PRICING_MODELS 4
#define XAI_MAX_COLS 16

/* Header text (lowercased, cut at " /" or "(") -> dimension. */
static const struct {
	const char *header;
	const char *dimension;
} xai_dims[] = {
	{ "input", "input" },
	{ "cached input", "cache_read" },
	{ "cache read", "cache_read" },
	{ "output", "output" },
};

/* Prose sections whose multipliers are deliberately not turned into prices. */
static const struct {
	const char *marker;
	const char *reason;
} xai_prose[] = {
	{ "Batch API Pricing", "batch discount stated as a percentage (not a price table)" },
	{ "Priority Processing Pricing", "priority multiplier stated in prose (not a price table)" },
	{ "Regional Endpoint Pricing", "regional multiplier stated in prose (not a price table)" },
};

static const char *xai_dimension(const char *header)
{
	char key[64];
	size_t i;

	snprintf(key, sizeof(key), "%s", header);
	for (i = 0; key[i]; i++)
		if (key[i] == '(' || (key[i] == ' ' && key[i + 1] == '/') || key[i] == '/') {
			key[i] = '\0';
			break;
		}
	for (i = strlen(key); i > 0 && key[i - 1] == ' '; i--)
		key[i - 1] = '\0';
	textnorm_lower(key);
	for (i = 0; i < TT_ARRAY_SIZE(xai_dims); i++)
		if (!strcmp(key, xai_dims[i].header))
			return xai_dims[i].dimension;
	return NULL;
}

/* Append one price read from cell.  Returns 1 added, 0 nothing, or < 0. */
static int xai_price(struct price_list *out, size_t from, const char *what, const char *model,
		     const char *dimension, const char *band, enum money_unit_kind col_unit,
		     const char *cell, struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	struct price p;
	char cond[64];
	enum money_unit_kind unit;
	int n, rc;

	n = pricetext_parse(cell, strlen(cell), NULL, "en-US", v, PRICETEXT_MAX, err);
	if (n < 0)
		return n;
	if (n != 1)
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: cell '%s' holds %d prices, expected one",
				    what, model, dimension, cell, n);
	if (v[0].status == PRICETEXT_UNKNOWN)
		return 0; /* "-", "N/A": missing is absent, never 0 */
	if (v[0].status == PRICETEXT_AMBIGUOUS)
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' cannot be read safely: %s", what,
				    model, dimension, cell, v[0].note);
	if (!v[0].currency[0])
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' names no currency", what, model,
				    dimension, cell);
	unit = v[0].unit != MONEY_UNIT_UNKNOWN ? v[0].unit : col_unit;
	if (unit == MONEY_UNIT_UNKNOWN || (v[0].unit == MONEY_UNIT_UNKNOWN && v[0].unit_text[0]))
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s': the table names no token unit",
				    what, model, dimension, cell);
	memset(&p, 0, sizeof(p));
	if (v[0].status == PRICETEXT_VALUE &&
	    (rc = money_parse(v[0].number, strlen(v[0].number), money_unit_scale(unit), &p.nanos, err)) < 0)
		return rc;
	if (pricetext_condition(band, v[0].time_band, v[0].modality, cond, sizeof(cond)) < 0)
		return tt_set_error(err, TT_EPARSE, "%s: %s: condition too long", what, model);
	p.provider = XAI_PROVIDER;
	p.model = (char *)model;
	p.dimension = (char *)dimension;
	p.tier = "standard";
	p.condition = cond;
	p.region = "";
	p.unit = PRICE_UNIT_MTOK;
	p.currency = v[0].currency;
	p.text = v[0].text;
	p.note = v[0].status == PRICETEXT_FREE ? v[0].text : NULL;
	return extract_add(out, from, &p, what, err);
}

/*
 * Split "grok-4.7 (< 200k prompt tokens)" into the id and a band.
 * Returns 0, or TT_EPARSE when the id is not a plain token or the
 * parenthesis is not a band.
 */
static int xai_model_cell(const char *cell, char *model, size_t mlen, char *band, size_t blen)
{
	const char *open = strchr(cell, '(');
	size_t n = open ? (size_t)(open - cell) : strlen(cell);
	int rc;

	while (n > 0 && cell[n - 1] == ' ')
		n--;
	if (n == 0 || n >= mlen)
		return TT_EPARSE;
	memcpy(model, cell, n);
	model[n] = '\0';
	if (strpbrk(model, " \t\n"))
		return TT_EPARSE;
	band[0] = '\0';
	if (!open)
		return 0;
	rc = pricetext_band(open, band, blen);
	return rc == 1 ? 0 : TT_EPARSE;
}

/* The pricing-page table.  Returns prices added or a negative code. */
static int xai_pricing_table(const struct mdtable *t, long model_col, const char *what,
			     struct price_list *out, size_t from, struct tt_error *err)
{
	const char *dims[XAI_MAX_COLS];
	enum money_unit_kind units[XAI_MAX_COLS];
	char (*models)[64] = NULL;
	size_t c, r, k, ndims = 0, nmodels = 0;
	int rc, added = 0;

	if (t->cols > XAI_MAX_COLS)
		return tt_set_error(err, TT_EPARSE, "%s: the Model table has %zu columns", what, t->cols);
	for (c = 0; c < t->cols; c++) {
		dims[c] = (long)c == model_col ? NULL : xai_dimension(t->header[c]);
		units[c] = money_unit_from_text(t->header[c]);
		ndims += dims[c] != NULL;
	}
	if (ndims == 0)
		return tt_set_error(err, TT_EPARSE,
				    "%s: the Model table (line %zu) has no Input/Cached input/Output column",
				    what, t->line);
	models = calloc(t->rows ? t->rows : 1, sizeof(*models));
	if (!models)
		return tt_set_error(err, TT_ENOMEM, "%s: out of memory", what);
	for (r = 0; r < t->rows; r++) {
		char model[64], band[32];
		const char *cell = mdtable_cell(t, r, (size_t)model_col);

		if (xai_model_cell(cell, model, sizeof(model), band, sizeof(band)) < 0) {
			rc = tt_set_error(err, TT_EPARSE,
					  "%s: model cell '%s' is not an id with an optional prompt band", what,
					  cell);
			goto out;
		}
		for (k = 0; k < nmodels && strcmp(models[k], model); k++)
			;
		if (k == nmodels)
			snprintf(models[nmodels++], sizeof(models[0]), "%s", model);
		for (c = 0; c < t->cols; c++) {
			if (!dims[c])
				continue;
			rc = xai_price(out, from, what, model, dims[c], band, units[c], mdtable_cell(t, r, c), err);
			if (rc < 0)
				goto out;
			added += rc;
		}
	}
	if (nmodels < XAI_MIN_PRICING_MODELS) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: the pricing table lists %zu models, fewer than %d: the table looks cut",
				  what, nmodels, XAI_MIN_PRICING_MODELS);
		goto out;
	}
	rc = added;
out:
	free(models);
	return rc;
}

/* The "Model name: `id`" line of a model page, into model. */
static int xai_model_name(const char *body, size_t len, char *model, size_t mlen)
{
	static const char key[] = "Model name:";
	const char *p = body, *end = body + len, *q, *e;

	while (p < end && (q = memmem(p, (size_t)(end - p), key, sizeof(key) - 1))) {
		q += sizeof(key) - 1;
		while (q < end && (*q == ' ' || *q == '*'))
			q++;
		if (q < end && *q == '`') {
			q++;
			e = memchr(q, '`', (size_t)(end - q));
			if (e && e > q && (size_t)(e - q) < mlen) {
				memcpy(model, q, (size_t)(e - q));
				model[e - q] = '\0';
				if (!strpbrk(model, " \t\n"))
					return 0;
			}
		}
		p = q;
	}
	return TT_ENOTFOUND;
}

/* The model-page "Type" table.  Returns prices added or a negative code. */
static int xai_type_table(const struct mdtable *t, long type_col, const char *body, size_t len,
			  const char *what, struct price_list *out, size_t from, struct tt_error *err)
{
	char model[64], bands[XAI_MAX_COLS][32];
	enum money_unit_kind units[XAI_MAX_COLS];
	size_t c, r, nbands = 0, nplain = 0;
	int rc, added = 0;

	if (t->cols > XAI_MAX_COLS)
		return tt_set_error(err, TT_EPARSE, "%s: the Type table has %zu columns", what, t->cols);
	if (xai_model_name(body, len, model, sizeof(model)) < 0)
		return tt_set_error(err, TT_EPARSE,
				    "%s: a model page with a Type price table but no 'Model name: `id`' line",
				    what);
	for (c = 0; c < t->cols; c++) {
		bands[c][0] = '\0';
		units[c] = money_unit_from_text(t->header[c]);
		if ((long)c == type_col)
			continue;
		if (pricetext_band(t->header[c], bands[c], sizeof(bands[c])) == 1)
			nbands++;
		else
			nplain++;
	}
	/* Band columns, or one plain price column; never a mix (a plain
	 * column next to band columns would be read as neither). */
	if ((nbands && nplain) || nplain > 1 || nbands + nplain == 0)
		return tt_set_error(err, TT_EPARSE,
				    "%s: the Type table (line %zu) has %zu prompt-band and %zu other price "
				    "columns; expected band columns or a single price column",
				    what, t->line, nbands, nplain);
	for (r = 0; r < t->rows; r++) {
		const char *dim = xai_dimension(mdtable_cell(t, r, (size_t)type_col));

		if (!dim) {
			LOG(LOG_INFO, "%s: %s: row '%s' is not a token price; skipped", what, model,
			    mdtable_cell(t, r, (size_t)type_col));
			continue;
		}
		for (c = 0; c < t->cols; c++) {
			if ((long)c == type_col)
				continue;
			rc = xai_price(out, from, what, model, dim, bands[c], units[c], mdtable_cell(t, r, c), err);
			if (rc < 0)
				return rc;
			added += rc;
		}
	}
	return added;
}

int extract_xai(const char *body, size_t len, const struct extract_ctx *ctx, struct price_list *out,
		struct tt_error *err)
{
	struct mdtable t = MDTABLE_INIT;
	const char *what = extract_origin(ctx, "xai docs page");
	size_t from = out->n, pos = 0, k, tables = 0;
	int rc, total = 0;

	while ((rc = mdtable_next(body, len, &pos, &t, err)) > 0) {
		long model_col = mdtable_col(&t, "model");
		long type_col = mdtable_col(&t, "type");

		if (model_col >= 0) {
			rc = xai_pricing_table(&t, model_col, what, out, from, err);
		} else if (type_col == 0) {
			rc = xai_type_table(&t, type_col, body, len, what, out, from, err);
		} else {
			continue; /* comparison or rate-limit tables */
		}
		if (rc < 0)
			goto out;
		tables++;
		total += rc;
	}
	if (rc < 0)
		goto out;
	if (tables == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no Markdown price table (a pipe table with a 'Model' or 'Type' column); "
				  "the page layout changed", what);
		goto out;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu price tables but no price could be read", what,
				  tables);
		goto out;
	}
	for (k = 0; k < TT_ARRAY_SIZE(xai_prose); k++)
		if (memmem(body, len, xai_prose[k].marker, strlen(xai_prose[k].marker)) &&
		    (rc = extract_skips_add(ctx ? ctx->skips : NULL, xai_prose[k].reason, NULL)) < 0)
			goto out;
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, from);
	mdtable_release(&t);
	return rc;
}
