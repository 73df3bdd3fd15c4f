/*
 * extract_user.c - the extractor of user-defined sources (usersrc.h): an
 * HTML table matched by header text, HTML rows and cells by XPath, or a
 * JSON document read by dot paths.  Every cell goes through pricetext (so
 * bands, currencies, "Free", "-" and number formats are read as for the
 * built-in pages) and every JSON value through json_money (its text, never
 * a double).  The structure the rules anchor on must be there exactly once
 * (extract_anchor_once); anything else fails closed.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"

#include <json-c/json.h>

#include "extract_int.h"
#include "tokentrend/html.h"
#include "tokentrend/json.h"
#include "tokentrend/log.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "tokentrend/usersrc.h"

#define UX_MAX_RULES 64

struct ux_state {
	const struct usersrc *u;
	const struct extract_ctx *ctx;
	const char *what;         /* origin for messages */
	struct price_list *out;
	size_t from;
};

/* Count a skip in the run log (ctx->skips is optional). */
static void ux_skip(const struct ux_state *s, const char *reason, const char *example)
{
	if (s->ctx)
		extract_skips_add(s->ctx->skips, reason, example);
}

/* Add one price of model for rule r from v (a parsed cell or JSON text). */
static int ux_add_value(struct ux_state *s, const char *model, const struct usersrc_rule *r,
			const struct pricetext_value *v, struct tt_error *err)
{
	enum money_unit_kind unit = v->unit != MONEY_UNIT_UNKNOWN ? v->unit : s->u->unit;
	char cond[96];
	struct price p;
	int rc;

	if (v->status == PRICETEXT_UNKNOWN)
		return 0; /* "-", "N/A", empty: missing is NULL, never 0 */
	if (v->status == PRICETEXT_AMBIGUOUS) {
		LOG(LOG_WARN, "%s: %s %s '%s' skipped: %s", s->what, model, r->dimension, v->text, v->note);
		ux_skip(s, "ambiguous number", model);
		return 0;
	}
	if (v->unit == MONEY_UNIT_UNKNOWN && v->unit_text[0]) {
		LOG(LOG_INFO, "%s: %s '%s' is priced per %s; skipped", s->what, model, v->text, v->unit_text);
		ux_skip(s, "not a token unit", model);
		return 0;
	}
	memset(&p, 0, sizeof(p));
	if (v->status == PRICETEXT_FREE)
		p.nanos = 0;
	else if ((rc = money_parse(v->number, strlen(v->number), money_unit_scale(unit), &p.nanos, err)) < 0)
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' is not a price", s->what, model,
				    r->dimension, v->text);
	if (p.nanos < 0) {
		ux_skip(s, "negative price (sentinel)", model);
		return 0;
	}
	if (v->status == PRICETEXT_VALUE && p.nanos == 0 && strspn(v->number, "0.") != strlen(v->number))
		return tt_set_error(err, TT_EPARSE, "%s: %s %s: '%s' rounds to 0 per 1M tokens", s->what,
				    model, r->dimension, v->text);
	if (pricetext_condition(v->prompt, v->time_band, v->modality, cond, sizeof(cond)) < 0)
		return tt_set_error(err, TT_EPARSE, "%s: %s: condition too long", s->what, model);
	p.provider = s->u->provider;
	p.model = (char *)model;
	p.dimension = r->dimension;
	p.tier = r->tier;
	p.condition = cond;
	p.region = "";
	p.unit = PRICE_UNIT_MTOK;
	p.currency = v->currency[0] ? (char *)v->currency : s->u->currency;
	p.text = (char *)v->text;
	p.note = v->note[0] ? (char *)v->note : NULL;
	return extract_add(s->out, s->from, &p, s->what, err);
}

/* Parse a cell's text and add each value it holds. */
static int ux_add_cell(struct ux_state *s, const char *model, const struct usersrc_rule *r,
		       const char *cell, struct tt_error *err)
{
	struct pricetext_value v[PRICETEXT_MAX];
	int n, k, rc, added = 0;

	n = pricetext_parse(cell, strlen(cell), s->u->currency, s->u->locale, v, PRICETEXT_MAX, err);
	if (n < 0)
		return n;
	for (k = 0; k < n; k++) {
		rc = ux_add_value(s, model, r, &v[k], err);
		if (rc < 0)
			return rc;
		added += rc;
	}
	return added;
}

/* ---- HTML: a table matched by header text ------------------------------- */

/* Lowercase, newlines as blanks, blanks collapsed and trimmed. */
static void ux_norm(const char *in, char *out, size_t n)
{
	size_t o = 0;
	int blank = 0;

	for (; *in && o + 1 < n; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			blank = o > 0;
			continue;
		}
		if (blank && o + 2 < n)
			out[o++] = ' ';
		blank = 0;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

/* A header matches a rule when equal, or starting with it then ' ' or '('. */
static int ux_header_match(const char *header, const char *rule)
{
	char h[256], r[256];
	size_t rl;

	ux_norm(header, h, sizeof(h));
	ux_norm(rule, r, sizeof(r));
	rl = strlen(r);
	return rl && !strncmp(h, r, rl) && (h[rl] == '\0' || h[rl] == ' ' || h[rl] == '(');
}

/* The one column whose leaf header matches rule; TT_EPARSE otherwise. */
static int ux_column(struct ux_state *s, const struct html_grid *g, const char *key, const char *rule,
		     size_t *col, struct tt_error *err)
{
	struct buf heads = BUF_INIT;
	size_t c, found = 0;
	int rc = 0;

	for (c = 0; c < g->cols; c++) {
		if (c && html_grid_at(g, g->header_rows - 1, c)->node &&
		    html_grid_at(g, g->header_rows - 1, c)->node == html_grid_at(g, g->header_rows - 1, c - 1)->node)
			continue; /* one header spanning several slots counts once */
		if (ux_header_match(html_grid_leaf(g, c), rule)) {
			if (!found)
				*col = c;
			found++;
		}
	}
	if (found != 1) {
		for (c = 0; c < g->cols; c++)
			buf_addf(&heads, "%s'%s'", c ? ", " : "", html_grid_leaf(g, c));
		rc = tt_set_error(err, TT_EPARSE, "%s: rule %s = '%s' matches %zu columns, expected one "
				  "(headers: %s)", s->what, key, rule, found, heads.buf);
	}
	buf_release(&heads);
	return rc;
}

/* 1 when one of the table's header cells matches text. */
static int ux_table_has_header(xmlNodePtr table, const char *text)
{
	struct html_grid g = HTML_GRID_INIT;
	size_t c, l;
	int hit = 0;

	if (html_table_grid(table, &g, NULL) == 0)
		for (l = 0; l < g.header_rows && !hit; l++)
			for (c = 0; c < g.cols && !hit; c++)
				hit = ux_header_match(html_grid_header(&g, l, c), text);
	html_grid_release(&g);
	return hit;
}

static int ux_html_table(struct ux_state *s, xmlDocPtr doc, struct tt_error *err)
{
	const struct usersrc *u = s->u;
	struct html_nodes tables = HTML_NODES_INIT;
	struct html_grid g = HTML_GRID_INIT;
	xmlNodePtr table = NULL;
	size_t cols[UX_MAX_RULES], model_col = 0, r, k, i, hits = 0;
	char anchor[512];
	int rc, added = 0;

	if (u->table) {
		rc = html_xpath_nodes(doc, NULL, u->table, &tables, err);
		if (rc < 0)
			goto out;
		snprintf(anchor, sizeof(anchor), "table %s", u->table);
		for (i = 0; i < tables.n; i++)
			if (xmlStrcasecmp(tables.v[i]->name, (const xmlChar *)"table") == 0) {
				table = table ? table : tables.v[i];
				hits++;
			}
	} else {
		rc = html_xpath_nodes(doc, NULL, "//table", &tables, err);
		if (rc < 0)
			goto out;
		snprintf(anchor, sizeof(anchor), "table with a header '%s'", u->table_header);
		for (i = 0; i < tables.n; i++)
			if (ux_table_has_header(tables.v[i], u->table_header)) {
				table = table ? table : tables.v[i];
				hits++;
			}
	}
	if ((rc = extract_anchor_once(s->ctx, anchor, hits, err)) < 0)
		goto out;
	if ((rc = html_table_grid(table, &g, err)) < 0)
		goto out;
	if (g.header_rows == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: the %s has no header row (th or thead)", s->what, anchor);
		goto out;
	}
	if ((rc = ux_column(s, &g, "model", u->model, &model_col, err)) < 0)
		goto out;
	for (k = 0; k < u->nrules && k < UX_MAX_RULES; k++)
		if ((rc = ux_column(s, &g, u->rules[k].dimension, u->rules[k].rule, &cols[k], err)) < 0)
			goto out;
	for (r = g.header_rows; r < g.rows; r++) {
		const char *model = html_grid_at(&g, r, model_col)->text;

		if (g.header_row[r] || !*model)
			continue;
		for (k = 0; k < u->nrules && k < UX_MAX_RULES; k++) {
			rc = ux_add_cell(s, model, &u->rules[k], html_grid_at(&g, r, cols[k])->text, err);
			if (rc < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_grid_release(&g);
	html_nodes_release(&tables);
	return rc;
}

/* ---- HTML: rows and cells by XPath ------------------------------------- */

static int ux_html_rows(struct ux_state *s, xmlDocPtr doc, struct tt_error *err)
{
	const struct usersrc *u = s->u;
	struct html_nodes rows = HTML_NODES_INIT;
	struct buf model = BUF_INIT, cell = BUF_INIT;
	size_t i, k;
	int rc, added = 0;

	if (u->anchor) {
		char anchor[512];
		rc = html_xpath_nodes(doc, NULL, u->anchor, &rows, err);
		if (rc < 0)
			goto out;
		snprintf(anchor, sizeof(anchor), "%s", u->anchor);
		if ((rc = extract_anchor_once(s->ctx, anchor, rows.n, err)) < 0)
			goto out;
	}
	rc = html_xpath_nodes(doc, NULL, u->rows, &rows, err);
	if (rc < 0)
		goto out;
	if (rows.n == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: rows %s selects nothing; the page layout changed",
				  s->what, u->rows);
		goto out;
	}
	for (i = 0; i < rows.n; i++) {
		buf_reset(&model);
		if ((rc = html_xpath_text(doc, rows.v[i], u->model, &model, err)) < 0)
			goto out;
		if (rc == 0 || model.len == 0) {
			ux_skip(s, "row without a model", NULL);
			continue;
		}
		for (k = 0; k < u->nrules; k++) {
			buf_reset(&cell);
			if ((rc = html_xpath_text(doc, rows.v[i], u->rules[k].rule, &cell, err)) < 0)
				goto out;
			if (rc == 0)
				continue;
			if ((rc = ux_add_cell(s, model.buf, &u->rules[k], cell.buf, err)) < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	html_nodes_release(&rows);
	buf_release(&model);
	buf_release(&cell);
	return rc;
}

/* ---- JSON --------------------------------------------------------------- */

/* Follow a dot path ("pricing.prompt", "data.0.id"; "." the root). */
static struct json_object *ux_path(struct json_object *v, const char *path)
{
	char step[256];
	const char *p = path;

	if (!strcmp(path, "."))
		return v;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char *end = NULL;
		long idx;

		if (n == 0 || n >= sizeof(step))
			return NULL;
		memcpy(step, p, n);
		step[n] = '\0';
		if (json_is_array(v)) {
			errno = 0;
			idx = strtol(step, &end, 10);
			if (errno || *end || idx < 0)
				return NULL;
			v = json_array_at(v, (size_t)idx);
		} else {
			v = json_get(v, step);
		}
		p += n + (dot ? 1 : 0);
	}
	return v;
}

/* One item: its model and every rule's value. */
static int ux_json_item(struct ux_state *s, struct json_object *item, const char *key,
			struct tt_error *err)
{
	const struct usersrc *u = s->u;
	const char *model;
	size_t k;
	int rc, added = 0;

	if (!strcmp(u->model, "@key")) {
		model = key;
	} else {
		struct json_object *m = ux_path(item, u->model);
		model = m && json_object_is_type(m, json_type_string) ? json_object_get_string(m) : NULL;
	}
	if (!model || !*model) {
		ux_skip(s, "item without a model id", key);
		return 0;
	}
	for (k = 0; k < u->nrules; k++) {
		struct json_object *v = ux_path(item, u->rules[k].rule);
		struct pricetext_value pv;
		struct tt_error e2 = { 0 };
		int64_t nanos = 0;
		const char *text;

		if (!v)
			continue; /* absent or null: unknown, never 0 */
		text = json_money_text(v);
		rc = json_money(v, money_unit_scale(u->unit), &nanos, &e2);
		if (rc > 0) {
			memset(&pv, 0, sizeof(pv));
			pv.status = PRICETEXT_VALUE;
			snprintf(pv.number, sizeof(pv.number), "%s", text);
			snprintf(pv.text, sizeof(pv.text), "%s", text);
			if (nanos < 0) {
				ux_skip(s, "negative price (sentinel)", model);
				continue;
			}
			rc = ux_add_value(s, model, &u->rules[k], &pv, err);
		} else if (rc == TT_EINVAL && json_object_is_type(v, json_type_string)) {
			/* "$0.15 / 1M tokens", "Free", "N/A": read it as a cell. */
			rc = ux_add_cell(s, model, &u->rules[k], json_object_get_string(v), err);
		} else if (rc == TT_ERANGE) {
			return tt_set_error(err, TT_EPARSE, "%s: %s %s: %s", s->what, model,
					    u->rules[k].dimension, e2.msg);
		} else {
			LOG(LOG_INFO, "%s: %s %s: %s; skipped", s->what, model, u->rules[k].dimension, e2.msg);
			ux_skip(s, "value not a price", model);
			continue;
		}
		if (rc < 0)
			return rc;
		added += rc;
	}
	return added;
}

static int ux_json(struct ux_state *s, const char *body, size_t len, struct tt_error *err)
{
	struct json_object *doc = NULL, *items;
	char anchor[300];
	int rc, added = 0;
	size_t i, n;

	rc = json_doc_parse(body, len, s->what, &doc, err);
	if (rc < 0)
		goto out;
	items = ux_path(doc, s->u->items);
	snprintf(anchor, sizeof(anchor), "items '%s' (an array or object)", s->u->items);
	/* A JSON object holds a key once: present means once. */
	if ((rc = extract_anchor_once(s->ctx, anchor, json_is_array(items) || json_is_object(items), err)) < 0)
		goto out;
	if (json_is_array(items)) {
		n = json_array_len(items);
		for (i = 0; i < n; i++) {
			char idx[24];
			snprintf(idx, sizeof(idx), "#%zu", i);
			if ((rc = ux_json_item(s, json_array_at(items, i), idx, err)) < 0)
				goto out;
			added += rc;
		}
	} else {
		json_object_object_foreach(items, key, val) {
			if ((rc = ux_json_item(s, val, key, err)) < 0)
				goto out;
			added += rc;
		}
	}
	rc = added;
out:
	json_doc_free(doc);
	return rc;
}

int extract_user(const char *body, size_t len, const struct extract_ctx *ctx,
		 struct price_list *out, struct tt_error *err)
{
	struct ux_state s;
	xmlDocPtr doc = NULL;
	int rc;

	memset(&s, 0, sizeof(s));
	s.u = usersrc_find(ctx ? ctx->source_id : NULL);
	s.ctx = ctx;
	s.what = extract_origin(ctx, "user source");
	s.out = out;
	s.from = out->n;
	if (!s.u)
		return tt_set_error(err, TT_ENOTFOUND, "no user-defined source '%s' is loaded",
				    ctx && ctx->source_id ? ctx->source_id : "(none)");
	if (s.u->def.format == SOURCE_JSON) {
		rc = ux_json(&s, body, len, err);
	} else {
		rc = html_parse(body, len, s.what, &doc, err);
		if (rc == 0)
			rc = s.u->rows ? ux_html_rows(&s, doc, err) : ux_html_table(&s, doc, err);
	}
	if (rc == 0)
		rc = tt_set_error(err, TT_EPARSE, "%s: the %s rules found no price", s.what, s.u->id);
	if (rc < 0)
		extract_drop_since(out, s.from);
	html_free(doc);
	return rc;
}
