/*
 * extract_deepseek.c - prices from api-docs.deepseek.com/quick_start/pricing
 * (English, USD) and its Chinese twin /zh-cn/quick_start/pricing (CNY).
 *
 * Both are Docusaurus pages with one model-per-column <table>: a header
 * row whose label cell reads "MODEL" / "模型" (spanning the label columns)
 * followed by one cell per model id ("deepseek-v4-flash", footnote marks
 * such as "<sup>(1)</sup>" dropped), then label rows.  Price rows are the
 * rows whose labels name a token unit: "1M INPUT TOKENS (CACHE HIT)"
 * (cache_read), "1M INPUT TOKENS (CACHE MISS)" or, with a <br>, "1M INPUT
 * TOKENS(CACHE MISS)" (input), "1M OUTPUT TOKENS" (output), and in Chinese
 * "百万tokens输入（缓存命中）" (cache_read), "百万tokens输入（缓存未命中）"
 * (input), "百万tokens输出" (output).  The grid (html_table_grid) expands
 * the rowspans, so a price row's labels are read by header text whatever
 * the nesting: "PRICING | 1M INPUT TOKENS (CACHE MISS) | OFF-PEAK".
 *
 * Time bands: an "OFF-PEAK" / "PEAK" label (or a cell that states its own
 * band, "$0.14 (off-peak) / $0.28 (peak, UTC 01:00–10:00)") puts the
 * price under condition "offpeak" / "peak"; a banded price is never stored
 * as the plain price (case 8).  The hours go in the note: the cell's own
 * hours, else the page's footnote that states the peak hours ("Peak hours
 * are 01:00 - 04:00 and 06:00 - 10:00 UTC, ..."), else none.
 *
 * Currency is read from each cell ("$0.22" USD, "1元" CNY) and never
 * assumed; a cell without one fails the page closed.  The two language
 * pages are one source (`deepseek`, as their capture names say): the
 * English page is the live URL; the Chinese page, replayed from a capture,
 * gives CNY rows, which are different keys from the USD rows (currency is
 * part of the key), hence separate series (case 3).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/html.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "extract_int.h"

#define DS_PROVIDER "deepseek"
#define DS_MAX_COLS 32

/* Label text (lowercased) -> dimension; the first match wins, so the
 * "cache miss" forms come before "cache hit" ("缓存未命中" holds "命中"). */
static const struct {
	const char *label;
	const char *dimension;
} ds_dims[] = {
	{ "cache miss", "input" },
	{ "\xe7\xbc\x93\xe5\xad\x98\xe6\x9c\xaa\xe5\x91\xbd\xe4\xb8\xad", "input" },      /* 缓存未命中 */
	{ "cache hit", "cache_read" },
	{ "\xe7\xbc\x93\xe5\xad\x98\xe5\x91\xbd\xe4\xb8\xad", "cache_read" },              /* 缓存命中 */
	{ "output", "output" },
	{ "\xe8\xbe\x93\xe5\x87\xba", "output" },                                          /* 输出 */
	{ "input", "input" },
	{ "\xe8\xbe\x93\xe5\x85\xa5", "input" },                                           /* 输入 */
};

/* Header-row labels. */
static const char *const ds_model_labels[] = { "model", "\xe6\xa8\xa1\xe5\x9e\x8b" /* 模型 */ };

struct ds_state {
	xmlDocPtr doc;
	const char *what;
	const char *locale;
	const struct extract_ctx *ctx;
	struct price_list *out;
	size_t from;
	int hours_known;   /* -1 not looked up, 0 none, 1 found */
	struct buf hours;  /* the page's statement of the peak hours */
	size_t price_rows;
};

/* Copy a model cell, dropping footnote marks "(1)" at the end. */
static int ds_model_id(const char *cell, char *out, size_t n)
{
	size_t len = strlen(cell);

	while (len > 0 && cell[len - 1] == ')') {
		size_t k = len - 1;
		while (k > 0 && isdigit((unsigned char)cell[k - 1]))
			k--;
		if (k == len - 1 || k == 0 || cell[k - 1] != '(')
			break;
		len = k - 1;
		while (len > 0 && cell[len - 1] == ' ')
			len--;
	}
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, cell, len);
	out[len] = '\0';
	return strpbrk(out, " \t\n") ? -1 : 0;
}

/* The page's footnote on peak hours, looked up once. */
static int ds_find_hours(struct ds_state *st)
{
	struct html_nodes ns = HTML_NODES_INIT;
	size_t i;
	int rc;

	st->hours_known = 0;
	rc = html_xpath_nodes(st->doc, NULL,
			      "//p[contains(translate(., 'PEAKHOURS', 'peakhours'), 'peak hours')]", &ns, NULL);
	if (rc < 0)
		return rc;
	for (i = 0; i < ns.n && !st->hours_known; i++) {
		const char *s;
		buf_reset(&st->hours);
		if ((rc = html_node_text(ns.v[i], &st->hours)) < 0)
			goto out;
		s = st->hours.buf;
		/* Drop a leading footnote number "(2) ". */
		if (s[0] == '(') {
			const char *e = strchr(s, ')');
			if (e && e - s < 5) {
				size_t skip = (size_t)(e + 1 - s);
				while (s[skip] == ' ')
					skip++;
				memmove(st->hours.buf, s + skip, st->hours.len - skip + 1);
				st->hours.len -= skip;
			}
		}
		st->hours_known = st->hours.len > 0;
	}
	if (st->hours_known)
		LOG(LOG_DEBUG, "%s: peak hours: %s", st->what, st->hours.buf);
	rc = 0;
out:
	html_nodes_release(&ns);
	return rc;
}

/* Classify the label slots of row r.  Returns 1 for a price row. */
static int ds_row_labels(const struct html_grid *g, size_t r, size_t label_end, const char **dim,
			 enum money_unit_kind *unit, char *band, size_t blen, char *label, size_t llen)
{
	size_t c, k;
	xmlNodePtr last = NULL;

	*dim = NULL;
	*unit = MONEY_UNIT_UNKNOWN;
	band[0] = '\0';
	label[0] = '\0';
	for (c = 0; c < label_end; c++) {
		const struct html_cell *cell = html_grid_at(g, r, c);
		char low[160];
		enum money_unit_kind u;

		if (!cell->node || cell->node == last)
			continue;
		last = cell->node;
		snprintf(low, sizeof(low), "%s", cell->text);
		textnorm_lower(low);
		if (!strcmp(low, "off-peak") || !strcmp(low, "offpeak") || !strcmp(low, "off peak")) {
			snprintf(band, blen, "offpeak");
			continue;
		}
		if (!strcmp(low, "peak")) {
			snprintf(band, blen, "peak");
			continue;
		}
		/* A price label names a token unit ("1M ... TOKENS", "百万tokens"). */
		u = strstr(low, "token") ? money_unit_from_text(cell->text) : MONEY_UNIT_UNKNOWN;
		if (u == MONEY_UNIT_UNKNOWN)
			continue; /* a group label: "PRICING(1)", "价格" */
		*unit = u;
		snprintf(label, llen, "%s", cell->text);
		for (k = 0; k < TT_ARRAY_SIZE(ds_dims); k++)
			if (strstr(low, ds_dims[k].label)) {
				*dim = ds_dims[k].dimension;
				break;
			}
	}
	return *unit != MONEY_UNIT_UNKNOWN;
}

/* One price cell.  Returns prices added or a negative code. */
static int ds_cell(struct ds_state *st, const char *model, const char *dim, enum money_unit_kind unit,
		   const char *row_band, const char *cell, struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	int n, k, rc, added = 0;

	n = pricetext_parse(cell, strlen(cell), NULL, st->locale, v, PRICETEXT_MAX, err);
	if (n < 0)
		return n;
	for (k = 0; k < n; k++) {
		struct price p;
		char cond[64];
		const char *band = row_band, *note = NULL;
		enum money_unit_kind u = v[k].unit != MONEY_UNIT_UNKNOWN ? v[k].unit : unit;

		if (v[k].status == PRICETEXT_UNKNOWN)
			continue; /* missing is absent, never 0 */
		if (v[k].status == PRICETEXT_AMBIGUOUS)
			return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' cannot be read safely: %s",
					    st->what, model, dim, cell, v[k].note);
		if (!v[k].currency[0])
			return tt_set_error(err, TT_EPARSE,
					    "%s: %s %s: '%s' names no currency ($, 元); not guessed", st->what,
					    model, dim, cell);
		if (v[k].unit == MONEY_UNIT_UNKNOWN && v[k].unit_text[0])
			return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' is priced per %s", st->what,
					    model, dim, cell, v[k].unit_text);
		if (v[k].time_band[0]) {
			if (row_band[0] && strcmp(row_band, v[k].time_band))
				return tt_set_error(err, TT_EPARSE,
						    "%s: %s %s: cell '%s' says %s in a %s row", st->what, model,
						    dim, cell, v[k].time_band, row_band);
			band = v[k].time_band;
		}
		if (n > 1 && !v[k].time_band[0] && !v[k].prompt[0])
			return tt_set_error(err, TT_EPARSE,
					    "%s: %s %s: cell '%s' holds several prices without a band", st->what,
					    model, dim, cell);
		if (band[0]) {
			if (v[k].note[0]) {
				note = v[k].note;
			} else {
				if (st->hours_known < 0 && (rc = ds_find_hours(st)) < 0)
					return tt_set_error(err, rc, "%s: out of memory", st->what);
				note = st->hours_known ? st->hours.buf : NULL;
			}
		}
		memset(&p, 0, sizeof(p));
		if (v[k].status == PRICETEXT_VALUE &&
		    (rc = money_parse(v[k].number, strlen(v[k].number), money_unit_scale(u), &p.nanos, err)) < 0)
			return rc;
		if (pricetext_condition(v[k].prompt, band, v[k].modality, cond, sizeof(cond)) < 0)
			return tt_set_error(err, TT_EPARSE, "%s: %s: condition too long", st->what, model);
		p.provider = DS_PROVIDER;
		p.model = (char *)model;
		p.dimension = (char *)dim;
		p.tier = "standard";
		p.condition = cond;
		p.region = "";
		p.unit = PRICE_UNIT_MTOK;
		p.currency = v[k].currency;
		p.text = v[k].text;
		p.note = (char *)note;
		rc = extract_add(st->out, st->from, &p, st->what, err);
		if (rc < 0)
			return rc;
		added += rc;
	}
	return added;
}

/* One table (st: struct ds_state).  Returns prices added (0: not a model
 * table) or a negative code. */
static int ds_table(void *arg, xmlNodePtr table, struct tt_error *err)
{
	struct ds_state *st = arg;
	struct html_grid g = HTML_GRID_INIT;
	char models[DS_MAX_COLS][64];
	size_t r, c, hr = SIZE_MAX, label_end = 0;
	int rc, added = 0;

	if (html_table_grid(table, &g, NULL) < 0 || g.cols > DS_MAX_COLS || g.cols < 2) {
		rc = 0;
		goto out;
	}
	for (r = 0; r < g.rows && hr == SIZE_MAX; r++) {
		char low[32];
		size_t k;
		snprintf(low, sizeof(low), "%s", html_grid_at(&g, r, 0)->text);
		textnorm_lower(low);
		for (k = 0; k < TT_ARRAY_SIZE(ds_model_labels); k++)
			if (!strcmp(low, ds_model_labels[k]))
				hr = r;
	}
	if (hr == SIZE_MAX) {
		rc = 0;
		goto out;
	}
	while (label_end < g.cols && html_grid_at(&g, hr, label_end)->node == html_grid_at(&g, hr, 0)->node)
		label_end++;
	if (label_end >= g.cols) {
		rc = tt_set_error(err, TT_EPARSE, "%s: the MODEL row names no model", st->what);
		goto out;
	}
	for (c = label_end; c < g.cols; c++) {
		const struct html_cell *cell = html_grid_at(&g, hr, c);
		if (!cell->origin || ds_model_id(cell->text, models[c], sizeof(models[c])) < 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: model header cell '%s' is not a model id",
					  st->what, cell->text);
			goto out;
		}
	}
	for (r = hr + 1; r < g.rows; r++) {
		const char *dim;
		enum money_unit_kind unit;
		char band[16], label[160];

		if (!ds_row_labels(&g, r, label_end, &dim, &unit, band, sizeof(band), label, sizeof(label)))
			continue;
		if (!dim) {
			LOG(LOG_WARN, "%s: price row '%s' names no known dimension; skipped", st->what, label);
			if ((rc = extract_skips_add(st->ctx ? st->ctx->skips : NULL, "unknown price row", label)) < 0)
				goto out;
			continue;
		}
		st->price_rows++;
		for (c = label_end; c < g.cols; c++) {
			const struct html_cell *cell = html_grid_at(&g, r, c);
			if (!cell->origin) {
				rc = tt_set_error(err, TT_EPARSE,
						  "%s: row '%s': one price spans several models; not read as each model's price",
						  st->what, label);
				goto out;
			}
			rc = ds_cell(st, models[c], dim, unit, band, cell->text, err);
			if (rc < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	return rc;
}

int extract_deepseek(const char *body, size_t len, const struct extract_ctx *ctx,
		     struct price_list *out, struct tt_error *err)
{
	struct ds_state st;
	struct buf lang = BUF_INIT;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int rc, total;

	memset(&st, 0, sizeof(st));
	st.what = extract_origin(ctx, "deepseek pricing page");
	st.ctx = ctx;
	st.out = out;
	st.from = out->n;
	st.hours_known = -1;
	buf_init(&st.hours, 0);
	if ((rc = html_parse(body, len, st.what, &doc, err)) < 0)
		goto out;
	st.doc = doc;
	root = xmlDocGetRootElement(doc);
	if (root && html_attr(root, "lang", &lang) > 0 && lang.len)
		st.locale = lang.buf;
	else
		st.locale = "en-US";
	rc = extract_each_node(doc, "//table", ds_table, &st, NULL, err);
	if (rc < 0)
		goto out;
	total = rc;
	if (st.price_rows == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no pricing table (a MODEL / 模型 header row with '1M ... TOKENS' / "
				  "'百万tokens' price rows); the page layout changed", st.what);
		goto out;
	}
	if (total == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: %zu price rows but no price could be read", st.what,
				  st.price_rows);
		goto out;
	}
	rc = total;
out:
	if (rc < 0)
		extract_drop_since(out, st.from);
	buf_release(&st.hours);
	buf_release(&lang);
	html_free(doc);
	return rc;
}
