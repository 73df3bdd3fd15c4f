/*
 * mdtable.c - find and read GitHub-flavoured Markdown pipe tables (see
 * mdtable.h): split rows on unescaped '|', strip inline markup, normalise
 * white space, remember the heading above each table.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/mdtable.h"
#include "tokentrend/buf.h"
#include "tokentrend/textnorm.h"

/* One line of the text: [a, b) without the line break. */
struct md_line {
	size_t a, b;
};

/* The line starting at p; returns the offset of the next line. */
static size_t md_line_at(const char *s, size_t n, size_t p, struct md_line *l)
{
	size_t e = p;

	while (e < n && s[e] != '\n')
		e++;
	l->a = p;
	l->b = e > p && s[e - 1] == '\r' ? e - 1 : e;
	return e < n ? e + 1 : n;
}

static void md_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
		(*a)++;
	while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t'))
		(*b)--;
}

/* A line that holds an unescaped '|' outside code spans. */
static int md_has_pipe(const char *s, const struct md_line *l)
{
	size_t i;
	int code = 0;

	for (i = l->a; i < l->b; i++) {
		if (s[i] == '\\' && i + 1 < l->b) {
			i++;
			continue;
		}
		if (s[i] == '`')
			code = !code;
		else if (s[i] == '|' && !code)
			return 1;
	}
	return 0;
}

/* Fenced code block marker (``` or ~~~, up to 3 spaces of indent). */
static int md_is_fence(const char *s, const struct md_line *l)
{
	size_t i = l->a;

	while (i < l->b && i - l->a < 3 && s[i] == ' ')
		i++;
	return i + 3 <= l->b && (!strncmp(s + i, "```", 3) || !strncmp(s + i, "~~~", 3));
}

/*
 * Split a row into cell ranges (raw, not yet cleaned).  Leading and
 * trailing pipes are optional.  Returns the number of cells (at most max).
 */
static size_t md_split(const char *s, const struct md_line *l, size_t *ca, size_t *cb, size_t max)
{
	size_t a = l->a, b = l->b, i, start, n = 0;
	int code = 0;

	md_trim(s, &a, &b);
	if (a < b && s[a] == '|')
		a++;
	if (b > a && s[b - 1] == '|' && !(b - 1 > a && s[b - 2] == '\\'))
		b--;
	start = a;
	for (i = a; i <= b; i++) {
		if (i < b && s[i] == '\\' && i + 1 < b) {
			i++;
			continue;
		}
		if (i < b && s[i] == '`') {
			code = !code;
			continue;
		}
		if (i == b || (s[i] == '|' && !code)) {
			if (n < max) {
				ca[n] = start;
				cb[n] = i;
				n++;
			}
			start = i + 1;
		}
	}
	return n;
}

/* A delimiter row: every cell is dashes with optional colons, at least one dash. */
static int md_is_delim(const char *s, const struct md_line *l, size_t *ncells)
{
	size_t ca[256], cb[256], n, k, i;

	if (!md_has_pipe(s, l))
		return 0;
	n = md_split(s, l, ca, cb, TT_ARRAY_SIZE(ca));
	for (k = 0; k < n; k++) {
		int dash = 0;
		md_trim(s, &ca[k], &cb[k]);
		for (i = ca[k]; i < cb[k]; i++) {
			if (s[i] == '-')
				dash = 1;
			else if (s[i] != ':')
				return 0;
		}
		if (!dash)
			return 0;
	}
	*ncells = n;
	return n > 0;
}

/* A heading line ("## Pricing"): its text into out. */
static int md_heading(const char *s, const struct md_line *l, struct buf *out)
{
	size_t a = l->a, b = l->b, h = 0;

	while (a < b && a - l->a < 3 && s[a] == ' ')
		a++;
	while (a < b && s[a] == '#' && h < 7) {
		a++;
		h++;
	}
	if (h == 0 || h > 6 || (a < b && s[a] != ' ' && s[a] != '\t'))
		return 0;
	while (b > a && (s[b - 1] == '#' || s[b - 1] == ' '))
		b--;
	md_trim(s, &a, &b);
	buf_reset(out);
	if (buf_add(out, s + a, b - a) < 0)
		return TT_ENOMEM;
	return 1;
}

/* Is s[i] an emphasis marker run boundary we may drop? */
static int md_word(int c)
{
	return c && c != ' ' && c != '\t' && c != '\n';
}

/*
 * Clean one cell: unescape, drop inline markup, turn <br> into a line
 * break, then normalise white space.  The result is malloc'd into *out.
 */
static int md_clean(const char *s, size_t a, size_t b, char **out)
{
	struct buf raw = BUF_INIT, norm = BUF_INIT;
	size_t i;
	int rc = TT_ENOMEM;

	md_trim(s, &a, &b);
	for (i = a; i < b; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < b && strchr("\\`*_{}[]()#+-.!|<>~", s[i + 1])) {
			if (buf_addch(&raw, s[++i]) < 0)
				goto out;
			continue;
		}
		if (c == '`')
			continue; /* code span markers; the text stays */
		if ((c == '*' || c == '_') ) {
			/* A run of markers next to a word is emphasis; alone it is text. */
			size_t j = i;
			while (j < b && s[j] == c)
				j++;
			if ((j < b && md_word(s[j])) || (i > a && md_word(s[i - 1]))) {
				if (c == '_' && i > a && j < b && md_word(s[i - 1]) && md_word(s[j])) {
					/* snake_case inside a word is not emphasis */
					if (buf_add(&raw, s + i, j - i) < 0)
						goto out;
				}
				i = j - 1;
				continue;
			}
		}
		if (c == '[') {
			/* [text](url) -> text */
			const char *close = memchr(s + i, ']', b - i);
			if (close && (size_t)(close - s) + 1 < b && close[1] == '(') {
				const char *end = memchr(close, ')', (size_t)(s + b - close));
				if (end) {
					if (buf_add(&raw, s + i + 1, (size_t)(close - (s + i + 1))) < 0)
						goto out;
					i = (size_t)(end - s);
					continue;
				}
			}
		}
		if (c == '<' && (i + 4 <= b) && !strncasecmp(s + i, "<br", 3)) {
			const char *gt = memchr(s + i, '>', b - i);
			if (gt) {
				if (buf_addch(&raw, '\n') < 0)
					goto out;
				i = (size_t)(gt - s);
				continue;
			}
		}
		if (buf_addch(&raw, c) < 0)
			goto out;
	}
	if (textnorm_space(raw.buf, raw.len, TEXTNORM_KEEP_NEWLINES, &norm) < 0)
		goto out;
	*out = buf_detach(&norm, NULL);
	rc = 0;
out:
	buf_release(&raw);
	buf_release(&norm);
	return rc;
}

void mdtable_release(struct mdtable *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->header && i < t->cols; i++)
		free(t->header[i]);
	for (i = 0; t->cells && i < t->rows * t->cols; i++)
		free(t->cells[i]);
	free(t->header);
	free(t->cells);
	free(t->heading);
	memset(t, 0, sizeof(*t));
}

/* Read the body rows from line offset p; returns the offset after the table. */
static int md_body(const char *s, size_t n, size_t p, struct mdtable *t, size_t *endp)
{
	size_t ca[256], cb[256], k, nc, alloc = 0;
	struct md_line l;

	while (p < n) {
		size_t next = md_line_at(s, n, p, &l), a = l.a, b = l.b;
		md_trim(s, &a, &b);
		if (a == b || !md_has_pipe(s, &l))
			break;
		nc = md_split(s, &l, ca, cb, TT_ARRAY_SIZE(ca));
		if (t->rows == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			char **v = realloc(t->cells, na * t->cols * sizeof(*v));
			if (!v)
				return TT_ENOMEM;
			t->cells = v;
			alloc = na;
		}
		for (k = 0; k < t->cols; k++) {
			char **cell = &t->cells[t->rows * t->cols + k];
			*cell = NULL;
		}
		t->rows++;
		for (k = 0; k < t->cols; k++) {
			char **cell = &t->cells[(t->rows - 1) * t->cols + k];
			if (k < nc) {
				if (md_clean(s, ca[k], cb[k], cell) < 0)
					return TT_ENOMEM;
			} else if (!(*cell = strdup(""))) {
				return TT_ENOMEM;
			}
		}
		p = next;
	}
	*endp = p;
	return 0;
}

int mdtable_next(const char *text, size_t len, size_t *pos, struct mdtable *out,
		 struct tt_error *err)
{
	struct buf heading = BUF_INIT;
	struct md_line l, d;
	size_t p = 0, lineno = 1, k, ca[256], cb[256];
	int fence = 0, rc;

	if (!text || !pos || !out)
		return tt_set_error(err, TT_EINVAL, "mdtable: no text");
	mdtable_release(out);
	/* Walk from the start so that headings and fences above *pos count. */
	while (p < len) {
		size_t next = md_line_at(text, len, p, &l), ndelim = 0, nh;

		if (md_is_fence(text, &l)) {
			fence = !fence;
		} else if (!fence && (rc = md_heading(text, &l, &heading)) != 0) {
			if (rc < 0)
				goto nomem;
		} else if (!fence && p >= *pos && next < len && md_has_pipe(text, &l)) {
			size_t after = md_line_at(text, len, next, &d);
			if (md_is_delim(text, &d, &ndelim)) {
				nh = md_split(text, &l, ca, cb, TT_ARRAY_SIZE(ca));
				if (nh == ndelim) {
					out->cols = nh;
					out->line = lineno;
					out->header = calloc(nh, sizeof(*out->header));
					if (!out->header)
						goto nomem;
					for (k = 0; k < nh; k++)
						if (md_clean(text, ca[k], cb[k], &out->header[k]) < 0)
							goto nomem;
					if (!(out->heading = strdup(heading.buf)))
						goto nomem;
					if (md_body(text, len, after, out, pos) < 0)
						goto nomem;
					buf_release(&heading);
					return 1;
				}
			}
		}
		p = next;
		lineno++;
	}
	buf_release(&heading);
	*pos = len;
	return 0;
nomem:
	buf_release(&heading);
	mdtable_release(out);
	return tt_set_error(err, TT_ENOMEM, "mdtable: out of memory");
}

const char *mdtable_cell(const struct mdtable *t, size_t r, size_t c)
{
	if (!t || r >= t->rows || c >= t->cols)
		return NULL;
	return t->cells[r * t->cols + c];
}

long mdtable_col(const struct mdtable *t, const char *name)
{
	size_t c;

	if (!t || !name)
		return -1;
	for (c = 0; c < t->cols; c++)
		if (!strcasecmp(t->header[c], name))
			return (long)c;
	return -1;
}
