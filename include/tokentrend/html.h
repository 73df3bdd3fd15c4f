/*
 * html.h - libxml2 helpers shared by every HTML extractor.
 *
 * Parse a fetched body leniently (recover, no network, no messages),
 * evaluate XPath, read a node's whole text with white space normalised,
 * and lay a <table> out as a rectangular grid with colspan and rowspan
 * expanded, so that extractors match columns by header text, never by
 * position (DESIGN.md "Extraction rules").  The libxml2 types are part of
 * this interface: extractors walk the tree with them.
 */
#ifndef TT_HTML_H
#define TT_HTML_H

#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

/*
 * Parse an HTML body (not necessarily NUL-terminated) with
 * HTML_PARSE_RECOVER | NOERROR | NOWARNING | NONET.  When the first 4 KB
 * declare no charset other than UTF-8 the body is read as UTF-8 (libxml2
 * would otherwise assume Latin-1).  origin names the body in messages (may
 * be NULL).  On success *out owns the document: free it with html_free().
 * Returns 0, or TT_EPARSE (empty or unparsable body; *err says which) or
 * TT_EINVAL (body too large for libxml2).
 */
int html_parse(const char *body, size_t len, const char *origin, xmlDocPtr *out,
	       struct tt_error *err);

/* Free a document from html_parse(); NULL is a no-op. */
void html_free(xmlDocPtr doc);

/* A node set copied out of an XPath result; the nodes belong to the document. */
struct html_nodes {
	xmlNodePtr *v;
	size_t n;
};

#define HTML_NODES_INIT { NULL, 0 }

/*
 * Evaluate expr with ctx as context node (NULL: the document) and put the
 * resulting nodes, in document order, in *out (released first).  A result
 * that is not a node set gives 0 nodes.  Returns the number of nodes, or
 * TT_EINVAL (bad expression, named in *err) or TT_ENOMEM.
 */
int html_xpath_nodes(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, struct html_nodes *out,
		     struct tt_error *err);

/* Free the array of a node set (not the nodes); NULL is a no-op. */
void html_nodes_release(struct html_nodes *ns);

/* The first node expr selects from ctx, or NULL (none, or a bad expression). */
xmlNodePtr html_xpath_node(xmlDocPtr doc, xmlNodePtr ctx, const char *expr);

/*
 * Append the normalised string value of the first node expr selects (or of
 * a string/number result) to out.  Returns 1 when something was selected,
 * 0 when nothing was, or a negative TT_E* code.
 */
int html_xpath_text(xmlDocPtr doc, xmlNodePtr ctx, const char *expr, struct buf *out,
		    struct tt_error *err);

/*
 * Append the string value of the WHOLE node to out: every descendant text
 * node joined (text split over <span>s comes out whole), <script>,
 * <style> and <template> skipped, <br> and block elements (p, div, li,
 * tr, headings, ...) as line breaks "\n", white space normalised by
 * textnorm_space() with TEXTNORM_KEEP_NEWLINES (NBSP and U+202F become
 * spaces or, between digits, the thousands mark TEXTNORM_THIN; U+200B is
 * removed; runs collapse; lines are trimmed).  For an attribute node, its
 * value normalised.  NULL node appends nothing.  Returns 0 or TT_ENOMEM.
 */
int html_node_text(xmlNodePtr node, struct buf *out);

/* Value of attribute name on node appended to out (not normalised).
 * Returns 1 when present, 0 when absent, or TT_ENOMEM. */
int html_attr(xmlNodePtr node, const char *name, struct buf *out);

/* 1 when node's class attribute holds the class token cls, else 0. */
int html_has_class(xmlNodePtr node, const char *cls);

/* Document order: negative when a comes before b, 0 same node, positive after. */
int html_node_order(xmlNodePtr a, xmlNodePtr b);

/* One slot of a table grid. */
struct html_cell {
	char *text;       /* html_node_text() of the cell, owned by the grid; "" for a hole */
	xmlNodePtr node;  /* the td/th element (a spanned cell fills several slots); NULL for a hole */
	int is_header;    /* a th, or any cell of a header row */
	int origin;       /* 1 in the cell's top-left slot, 0 in slots its span fills */
};

/* A table laid out as rows x cols slots, row-major. */
struct html_grid {
	size_t rows, cols;
	struct html_cell *cells; /* rows * cols slots */
	int *header_row;         /* per row: 1 when in <thead> or made of <th> cells only */
	size_t header_rows;      /* number of leading header rows */
};

#define HTML_GRID_INIT { 0, 0, NULL, NULL, 0 }

/*
 * Lay out table (a <table> element) as a grid: rows are the table's own
 * <tr>s (in thead, tbody, tfoot or directly under table; nested tables are
 * not entered) in document order; colspan and rowspan are expanded (each
 * capped at 1000; rowspan="0" spans to the last row); short rows are
 * padded with holes.  *out is released first.  Returns 0, TT_EINVAL (not a
 * table element), TT_EPARSE (no rows) or TT_ENOMEM.  Free with
 * html_grid_release().
 */
int html_table_grid(xmlNodePtr table, struct html_grid *out, struct tt_error *err);

/* Free a grid's storage; the struct is left empty.  NULL is a no-op. */
void html_grid_release(struct html_grid *g);

/* Slot (r, c), or NULL when out of range. */
const struct html_cell *html_grid_at(const struct html_grid *g, size_t r, size_t c);

/*
 * Header text of column c at header level `level` (0 = top header row):
 * the text of that row's slot, or "" when the row is beyond the header
 * rows.  The returned string belongs to the grid.
 */
const char *html_grid_header(const struct html_grid *g, size_t level, size_t c);

/* Header text of column c in the last header row ("" when there is none). */
const char *html_grid_leaf(const struct html_grid *g, size_t c);

#endif /* TT_HTML_H */
