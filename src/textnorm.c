/*
 * textnorm.c - white-space normalisation of page text (see textnorm.h).
 *
 * One pass over the UTF-8 bytes: each character is classed as ordinary,
 * blank, line break or removable; blanks are held back as "pending" and
 * written as one space only when an ordinary character follows on the
 * same line.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/textnorm.h"
#include "tokentrend/err.h"

enum tn_class {
	TN_CHAR,   /* ordinary character, copied */
	TN_BLANK,  /* white space */
	TN_NL,     /* hard line break */
	TN_DROP,   /* zero-width: removed */
};

/* Class the character at s[i] and store its byte length in *n. */
static enum tn_class tn_classify(const unsigned char *s, size_t i, size_t len, unsigned flags,
				 size_t *n)
{
	unsigned c = s[i];
	unsigned cp;

	*n = 1;
	if (c == '\n')
		return (flags & TEXTNORM_KEEP_NEWLINES) ? TN_NL : TN_BLANK;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
		return TN_BLANK;
	if (c < 0x80)
		return TN_CHAR;
	if ((c & 0xE0) == 0xC0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
		*n = 2;
		cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
	} else if ((c & 0xF0) == 0xE0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
		   (s[i + 2] & 0xC0) == 0x80) {
		*n = 3;
		cp = ((c & 0x0F) << 12) | ((unsigned)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
	} else {
		return TN_CHAR; /* 4-byte or invalid: copy byte by byte */
	}
	if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	    cp == 0x205F || cp == 0x3000)
		return TN_BLANK;
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD)
		return TN_DROP;
	return TN_CHAR;
}

static int tn_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int textnorm_space(const char *s, size_t len, unsigned flags, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, start = out->len;
	int pending_blank = 0, pending_nl = 0, pending_thin = 0, rc;
	int last = 0; /* last byte written by us, 0 at the start */

	while (i < len) {
		enum tn_class k = tn_classify(u, i, len, flags, &n);

		if (k == TN_DROP) {
			i += n;
			continue;
		}
		if (k == TN_BLANK) {
			/* A Unicode blank (n > 1) between digits is a thousands mark. */
			if (n > 1 && tn_is_digit(last) && !pending_blank && !pending_nl &&
			    i + n < len && tn_is_digit(u[i + n]))
				pending_thin = 1;
			else
				pending_blank = 1;
			i += n;
			continue;
		}
		if (k == TN_NL) {
			if (out->len > start)
				pending_nl = 1;
			pending_blank = 0;
			pending_thin = 0;
			i += n;
			continue;
		}
		if (pending_nl) {
			if ((rc = buf_addch(out, '\n')) < 0)
				return rc;
		} else if (pending_thin && !pending_blank && tn_is_digit(u[i])) {
			if ((rc = buf_adds(out, TEXTNORM_THIN)) < 0)
				return rc;
		} else if ((pending_blank || pending_thin) && out->len > start) {
			if ((rc = buf_addch(out, ' ')) < 0)
				return rc;
		}
		pending_nl = pending_blank = pending_thin = 0;
		if ((rc = buf_add(out, s + i, n)) < 0)
			return rc;
		last = u[i + n - 1];
		i += n;
	}
	return 0;
}

char *textnorm_lower(char *s)
{
	char *p;

	for (p = s; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}
