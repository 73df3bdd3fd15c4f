/*
 * mdtable.h - GitHub-flavoured Markdown pipe tables, read by header text.
 *
 * Some sources publish their prices as Markdown (docs.x.ai serves its
 * pages as .md).  A pipe table is a header row, a delimiter row whose
 * cells are only '-', ':' and blanks ("| --- | :---: |"), then body rows
 * up to the first blank line or line without '|'.  Leading and trailing
 * pipes are optional; "\|" is a literal pipe inside a cell.  Lines inside
 * fenced code blocks (``` or ~~~) are not tables.
 *
 * Cell text is normalised as HTML cell text is (textnorm_space: NBSP and
 * friends are blanks, runs collapse) and stripped of inline markup: `code`
 * spans lose their backticks, **bold**, __bold__, *em* and _em_ markers
 * around words go, [text](url) becomes text, <br> becomes a line break.
 * Extractors then match columns by header text, never by position
 * (DESIGN.md "Extraction rules").
 */
#ifndef TT_MDTABLE_H
#define TT_MDTABLE_H

#include <stddef.h>

#include "tokentrend/err.h"

struct mdtable {
	size_t cols;      /* columns: the header row's cell count */
	size_t rows;      /* body rows (the header row is not counted) */
	char **header;    /* cols strings, owned */
	char **cells;     /* rows * cols strings, row-major, owned; "" for a cell a short row lacks */
	size_t line;      /* 1-based line number of the header row in the text */
	char *heading;    /* text of the nearest Markdown heading (#...) above the table, "" if none; owned */
};

#define MDTABLE_INIT { 0, 0, NULL, NULL, 0, NULL }

/*
 * Find the next pipe table in text[0..len) at or after byte *pos and read
 * it into *out (released first).  On success *pos is moved past the table,
 * so a loop `while ((rc = mdtable_next(t, n, &pos, &tab, err)) > 0)` visits
 * every table in order.  Body rows longer than the header are cut to the
 * header's width (the extra cells are dropped); shorter ones are padded
 * with "".  text need not be NUL-terminated.
 * Returns 1 (a table was read), 0 (no more tables; *out is left empty),
 * TT_EINVAL (text or pos NULL) or TT_ENOMEM.
 */
int mdtable_next(const char *text, size_t len, size_t *pos, struct mdtable *out,
		 struct tt_error *err);

/* Cell (r, c) of the body, or NULL when out of range. */
const char *mdtable_cell(const struct mdtable *t, size_t r, size_t c);

/*
 * Index of the first column whose header, lowercased, equals name
 * lowercased (ASCII case only), or -1 when there is none (or t is NULL).
 */
long mdtable_col(const struct mdtable *t, const char *name);

/* Free a table's strings; the struct is left empty.  NULL is a no-op. */
void mdtable_release(struct mdtable *t);

#endif /* TT_MDTABLE_H */
