/*
 * html.c - libxml2 helpers shared by the HTML extractors: parsing, XPath,
 * whole-node text with normalised white space, and table grids with
 * colspan/rowspan expanded.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/html.h"
#include "tokentrend/textnorm.h"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#define HTML_SPAN_MAX 1000

/* 1 when the first 4 KB declare a charset that is not UTF-8. */
static int html_declares_other_charset(const char *body, size_t len)
{
	size_t lim = len < 4096 ? len : 4096, i, k;

	for (i = 0; i + 8 <= lim; i++) {
		if (strncasecmp(body + i, "charset=", 8) != 0)
			continue;
		k = i + 8;
		while (k < lim && (body[k] == '"' || body[k] == '\'' || body[k] == ' '))
			k++;
		if (k + 5 <= lim && (!strncasecmp(body + k, "utf-8", 5) || !strncasecmp(body + k, "utf8", 4)))
			return 0;
		return 1;
	}
	return 0;
}

int html_parse(const char *body, size_t len, const char *origin, xmlDocPtr *out,
	       struct tt_error *err)
{
	const char *enc = NULL;
	xmlDocPtr doc;
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;

	*out = NULL;
	if (!origin)
		origin = "(body)";
	if (!body || len == 0)
		return tt_set_error(err, TT_EPARSE, "%s: empty body", origin);
	if (len > INT_MAX)
		return tt_set_error(err, TT_EINVAL, "%s: body of %zu bytes is too large to parse", origin, len);
	if (!html_declares_other_charset(body, len))
		enc = "UTF-8";
	doc = htmlReadMemory(body, (int)len, NULL, enc, opts);
	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		return tt_set_error(err, TT_EPARSE, "%s: not parseable as HTML (%zu bytes)", origin, len);
	}
	/* Number the elements so that document-order comparisons are O(1). */
	xmlXPathOrderDocElems(doc);
	*out = doc;
	return 0;
}

void html_free(xmlDocPtr doc)
{
	if (doc)
		xmlFreeDoc(doc);
}

void html_nodes_release(struct html_nodes *ns)
{
	if (!ns)
		return;
	FREE_AND_NULL(ns->v);
	ns->n = 0;
}

/* libxml2 would print XPath errors to stderr; library code never prints. */
static void html_quiet_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* Evaluate expr; the caller frees the result with xmlXPathFreeObject. */
static int html_eval(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, xmlXPathObjectPtr *res,
		     struct tt_error *err)
{
	xmlXPathContextPtr xc;

	*res = NULL;
	xc = xmlXPathNewContext(doc);
	if (!xc)
		return tt_set_error(err, TT_ENOMEM, "xpath context for '%s'", expr);
	xc->node = ctx ? ctx : (xmlNodePtr)doc;
	xc->error = html_quiet_error;
	*res = xmlXPathEvalExpression((const xmlChar *)expr, xc);
	xmlXPathFreeContext(xc);
	if (!*res)
		return tt_set_error(err, TT_EINVAL, "bad XPath expression '%s'", expr);
	return 0;
}

int html_xpath_nodes(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, struct html_nodes *out,
		     struct tt_error *err)
{
	xmlXPathObjectPtr res = NULL;
	int rc, i, n;

	html_nodes_release(out);
	rc = html_eval(doc, ctx, expr, &res, err);
	if (rc < 0)
		return rc;
	n = (res->type == XPATH_NODESET && res->nodesetval) ? res->nodesetval->nodeNr : 0;
	if (n > 0) {
		out->v = malloc((size_t)n * sizeof(*out->v));
		if (!out->v) {
			rc = tt_set_error(err, TT_ENOMEM, "%d nodes for '%s'", n, expr);
			goto out;
		}
		for (i = 0; i < n; i++)
			out->v[i] = res->nodesetval->nodeTab[i];
		out->n = (size_t)n;
	}
	rc = n;
out:
	xmlXPathFreeObject(res);
	return rc;
}

xmlNodePtr html_xpath_node(xmlDocPtr doc, xmlNodePtr ctx, const char *expr)
{
	xmlXPathObjectPtr res = NULL;
	xmlNodePtr node = NULL;

	if (html_eval(doc, ctx, expr, &res, NULL) < 0)
		return NULL;
	if (res->type == XPATH_NODESET && res->nodesetval && res->nodesetval->nodeNr > 0)
		node = res->nodesetval->nodeTab[0];
	xmlXPathFreeObject(res);
	return node;
}

int html_xpath_text(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, struct buf *out,
		    struct tt_error *err)
{
	xmlXPathObjectPtr res = NULL;
	xmlChar *s = NULL;
	int rc;

	rc = html_eval(doc, ctx, expr, &res, err);
	if (rc < 0)
		return rc;
	if (res->type == XPATH_NODESET) {
		rc = 0;
		if (res->nodesetval && res->nodesetval->nodeNr > 0) {
			rc = html_node_text(res->nodesetval->nodeTab[0], out);
			if (rc == 0)
				rc = 1;
		}
		goto out;
	}
	s = xmlXPathCastToString(res);
	if (!s) {
		rc = tt_set_error(err, TT_ENOMEM, "string of '%s'", expr);
		goto out;
	}
	rc = textnorm_space((const char *)s, strlen((const char *)s), TEXTNORM_KEEP_NEWLINES, out);
	if (rc == 0)
		rc = 1;
out:
	xmlFree(s);
	xmlXPathFreeObject(res);
	return rc;
}

/* Elements whose content is not text a reader sees. */
static int html_is_skipped(const xmlChar *name)
{
	static const char *const skip[] = { "script", "style", "template", "noscript", "svg" };
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(skip); i++)
		if (!xmlStrcasecmp(name, (const xmlChar *)skip[i]))
			return 1;
	return 0;
}

/* Block-level elements: their content starts and ends a line. */
static int html_is_block(const xmlChar *name)
{
	static const char *const block[] = {
		"p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot",
		"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
		"blockquote", "pre", "dd", "dt", "dl", "caption", "figure", "figcaption", "hr",
		"address", "nav", "aside", "main", "form", "fieldset",
	};
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(block); i++)
		if (!xmlStrcasecmp(name, (const xmlChar *)block[i]))
			return 1;
	return 0;
}

/* Append raw text: newlines inside text nodes are ordinary blanks. */
static int html_add_text(struct buf *raw, const xmlChar *s)
{
	const char *p;
	int rc;

	for (p = (const char *)s; p && *p; p++)
		if ((rc = buf_addch(raw, *p == '\n' ? ' ' : *p)) < 0)
			return rc;
	return 0;
}

static int html_collect(xmlNodePtr node, struct buf *raw, int depth)
{
	xmlNodePtr c;
	int rc, block;

	if (depth > 256)
		return 0; /* pathological nesting: stop descending */
	switch (node->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		return html_add_text(raw, node->content);
	case XML_ELEMENT_NODE:
		break;
	default:
		return 0;
	}
	if (html_is_skipped(node->name))
		return 0;
	if (!xmlStrcasecmp(node->name, (const xmlChar *)"br"))
		return buf_addch(raw, '\n');
	block = html_is_block(node->name);
	if (block && (rc = buf_addch(raw, '\n')) < 0)
		return rc;
	for (c = node->children; c; c = c->next)
		if ((rc = html_collect(c, raw, depth + 1)) < 0)
			return rc;
	if (block && (rc = buf_addch(raw, '\n')) < 0)
		return rc;
	return 0;
}

int html_node_text(xmlNodePtr node, struct buf *out)
{
	struct buf raw = BUF_INIT;
	xmlNodePtr c;
	int rc = 0;

	if (!node)
		return 0;
	if (node->type == XML_ATTRIBUTE_NODE) {
		for (c = node->children; c && rc == 0; c = c->next)
			if (c->content)
				rc = buf_adds(&raw, (const char *)c->content);
	} else if (node->type == XML_ELEMENT_NODE) {
		/* The node's own block status does not matter: its text is trimmed. */
		for (c = node->children; c && rc == 0; c = c->next)
			rc = html_collect(c, &raw, 1);
	} else {
		rc = html_collect(node, &raw, 0);
	}
	if (rc == 0)
		rc = textnorm_space(raw.buf, raw.len, TEXTNORM_KEEP_NEWLINES, out);
	buf_release(&raw);
	return rc;
}

int html_attr(xmlNodePtr node, const char *name, struct buf *out)
{
	xmlChar *v;
	int rc;

	if (!node || node->type != XML_ELEMENT_NODE)
		return 0;
	v = xmlGetProp(node, (const xmlChar *)name);
	if (!v)
		return 0;
	rc = buf_adds(out, (const char *)v);
	xmlFree(v);
	return rc < 0 ? rc : 1;
}

int html_has_class(xmlNodePtr node, const char *cls)
{
	xmlChar *v;
	const char *p;
	size_t n = strlen(cls);
	int found = 0;

	if (!node || node->type != XML_ELEMENT_NODE || n == 0)
		return 0;
	v = xmlGetProp(node, (const xmlChar *)"class");
	if (!v)
		return 0;
	for (p = (const char *)v; *p;) {
		size_t k;
		while (*p && isspace((unsigned char)*p))
			p++;
		for (k = 0; p[k] && !isspace((unsigned char)p[k]); k++)
			;
		if (k == n && !memcmp(p, cls, n)) {
			found = 1;
			break;
		}
		p += k;
	}
	xmlFree(v);
	return found;
}

int html_node_order(xmlNodePtr a, xmlNodePtr b)
{
	/* xmlXPathCmpNodes: 1 when a precedes b, 0 same, -1 after. */
	return -xmlXPathCmpNodes(a, b);
}

/* ---- table grid ---------------------------------------------------- */

static int html_is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, (const xmlChar *)name);
}

/* The table's own rows, in document order, with a thead flag each. */
struct html_rowlist {
	xmlNodePtr *tr;
	int *in_thead;
	size_t n, alloc;
};

static int html_rowlist_add(struct html_rowlist *rl, xmlNodePtr tr, int in_thead)
{
	if (rl->n == rl->alloc) {
		size_t na = rl->alloc ? rl->alloc * 2 : 16;
		xmlNodePtr *nt = realloc(rl->tr, na * sizeof(*nt));
		int *nh;
		if (!nt)
			return TT_ENOMEM;
		rl->tr = nt;
		nh = realloc(rl->in_thead, na * sizeof(*nh));
		if (!nh)
			return TT_ENOMEM;
		rl->in_thead = nh;
		rl->alloc = na;
	}
	rl->tr[rl->n] = tr;
	rl->in_thead[rl->n] = in_thead;
	rl->n++;
	return 0;
}

static long html_span_attr(xmlNodePtr cell, const char *name)
{
	xmlChar *v = xmlGetProp(cell, (const xmlChar *)name);
	char *end;
	long n;

	if (!v)
		return 1;
	errno = 0;
	n = strtol((const char *)v, &end, 10);
	if (end == (char *)v || errno)
		n = 1;
	xmlFree(v);
	if (n < 0)
		n = 1;
	if (n > HTML_SPAN_MAX)
		n = HTML_SPAN_MAX;
	return n; /* 0 is kept: rowspan="0" spans to the end */
}

/*
 * Place the cells of every row.  With slots == NULL only the width is
 * computed into *cols; otherwise slots (rows x *cols) are filled.
 */
static int html_place(const struct html_rowlist *rl, size_t *cols, struct html_cell *slots)
{
	size_t width = slots ? *cols : 0, r, c, k;
	long *left = NULL;        /* rows still covered by a rowspan, per column */
	xmlNodePtr *from = NULL;  /* the cell covering it */
	size_t alloc = 0;
	int rc = 0;

	for (r = 0; r < rl->n; r++) {
		xmlNodePtr cell;
		c = 0;
		for (cell = rl->tr[r]->children;; cell = cell ? cell->next : NULL) {
			long cs, rs;
			if (cell && !html_is_el(cell, "td") && !html_is_el(cell, "th"))
				continue;
			/* Skip slots held by rowspans from above. */
			while (c < alloc && left[c] > 0) {
				if (slots) {
					slots[r * width + c].node = from[c];
					slots[r * width + c].origin = 0;
				}
				left[c]--;
				c++;
			}
			if (!cell)
				break;
			cs = html_span_attr(cell, "colspan");
			rs = html_span_attr(cell, "rowspan");
			if (cs == 0)
				cs = 1;
			if (rs == 0 || (size_t)rs > rl->n - r)
				rs = (long)(rl->n - r);
			if (c + (size_t)cs > alloc) {
				size_t na = c + (size_t)cs + 8;
				long *nl = realloc(left, na * sizeof(*nl));
				xmlNodePtr *nf;
				if (!nl) {
					rc = TT_ENOMEM;
					goto out;
				}
				left = nl;
				nf = realloc(from, na * sizeof(*nf));
				if (!nf) {
					rc = TT_ENOMEM;
					goto out;
				}
				from = nf;
				for (k = alloc; k < na; k++) {
					left[k] = 0;
					from[k] = NULL;
				}
				alloc = na;
			}
			for (k = 0; k < (size_t)cs; k++) {
				if (slots && c + k < width) {
					slots[r * width + c + k].node = cell;
					slots[r * width + c + k].origin = k == 0;
				}
				left[c + k] = rs - 1;
				from[c + k] = cell;
			}
			c += (size_t)cs;
		}
		/* Columns past the last cell may still be held by rowspans. */
		for (; c < alloc; c++) {
			if (left[c] > 0) {
				if (slots) {
					slots[r * width + c].node = from[c];
					slots[r * width + c].origin = 0;
				}
				left[c]--;
			}
		}
		if (!slots) {
			size_t used = 0;
			for (k = 0; k < alloc; k++)
				if (from[k])
					used = k + 1;
			if (used > width)
				width = used;
		}
	}
	if (!slots)
		*cols = width;
out:
	free(left);
	free(from);
	return rc;
}

int html_table_grid(xmlNodePtr table, struct html_grid *out, struct tt_error *err)
{
	struct html_rowlist rl = { NULL, NULL, 0, 0 };
	struct buf text = BUF_INIT;
	xmlNodePtr c, tr;
	size_t cols = 0, r, k;
	int rc = 0;

	html_grid_release(out);
	if (!html_is_el(table, "table"))
		return tt_set_error(err, TT_EINVAL, "html_table_grid: not a <table> element");
	for (c = table->children; c; c = c->next) {
		if (html_is_el(c, "tr")) {
			if ((rc = html_rowlist_add(&rl, c, 0)) < 0)
				goto nomem;
		} else if (html_is_el(c, "thead") || html_is_el(c, "tbody") || html_is_el(c, "tfoot")) {
			for (tr = c->children; tr; tr = tr->next)
				if (html_is_el(tr, "tr") &&
				    (rc = html_rowlist_add(&rl, tr, html_is_el(c, "thead"))) < 0)
					goto nomem;
		}
	}
	if (rl.n == 0) {
		rc = tt_set_error(err, TT_EPARSE, "table has no rows");
		goto out;
	}
	if ((rc = html_place(&rl, &cols, NULL)) < 0)
		goto nomem;
	if (cols == 0) {
		rc = tt_set_error(err, TT_EPARSE, "table has no cells");
		goto out;
	}
	out->cells = calloc(rl.n * cols, sizeof(*out->cells));
	out->header_row = calloc(rl.n, sizeof(*out->header_row));
	if (!out->cells || !out->header_row)
		goto nomem;
	out->rows = rl.n;
	out->cols = cols;
	if ((rc = html_place(&rl, &cols, out->cells)) < 0)
		goto nomem;

	/* Header rows: in <thead>, or made of <th> cells only. */
	for (r = 0; r < rl.n; r++) {
		int cells = 0, ths = 0;
		for (c = rl.tr[r]->children; c; c = c->next) {
			if (html_is_el(c, "th")) {
				ths++;
				cells++;
			} else if (html_is_el(c, "td")) {
				cells++;
			}
		}
		out->header_row[r] = rl.in_thead[r] || (cells > 0 && ths == cells);
	}
	for (r = 0; r < rl.n && out->header_row[r]; r++)
		;
	out->header_rows = r;

	/* Text of every slot (a spanned cell's text is copied into each slot). */
	for (k = 0; k < out->rows * out->cols; k++) {
		struct html_cell *s = &out->cells[k];
		buf_reset(&text);
		if (s->node && (rc = html_node_text(s->node, &text)) < 0)
			goto nomem;
		s->text = strdup(text.buf);
		if (!s->text)
			goto nomem;
		s->is_header = out->header_row[k / out->cols] || html_is_el(s->node, "th");
	}
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "out of memory laying out a table");
out:
	if (rc < 0)
		html_grid_release(out);
	buf_release(&text);
	free(rl.tr);
	free(rl.in_thead);
	return rc;
}

void html_grid_release(struct html_grid *g)
{
	size_t k;

	if (!g)
		return;
	if (g->cells)
		for (k = 0; k < g->rows * g->cols; k++)
			free(g->cells[k].text);
	FREE_AND_NULL(g->cells);
	FREE_AND_NULL(g->header_row);
	g->rows = g->cols = g->header_rows = 0;
}

const struct html_cell *html_grid_at(const struct html_grid *g, size_t r, size_t c)
{
	if (!g || !g->cells || r >= g->rows || c >= g->cols)
		return NULL;
	return &g->cells[r * g->cols + c];
}

const char *html_grid_header(const struct html_grid *g, size_t level, size_t c)
{
	const struct html_cell *s;

	if (!g || level >= g->header_rows)
		return "";
	s = html_grid_at(g, level, c);
	return s && s->text ? s->text : "";
}

const char *html_grid_leaf(const struct html_grid *g, size_t c)
{
	if (!g || g->header_rows == 0)
		return "";
	return html_grid_header(g, g->header_rows - 1, c);
}
