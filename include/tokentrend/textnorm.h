/*
 * textnorm.h - white-space normalisation of text taken from pages.
 *
 * Shared by html (cell and heading text) and pricetext (price cells fed
 * directly), so that both see the same bytes: Unicode blanks become plain
 * spaces, zero-width characters disappear, runs collapse, lines are
 * trimmed.  A Unicode blank between two ASCII digits is a thousands
 * separator on real pages ("$1 250.00" with U+202F); it is kept as the one
 * mark TEXTNORM_THIN (U+202F) so that pricetext can read it as such.
 */
#ifndef TT_TEXTNORM_H
#define TT_TEXTNORM_H

#include <stddef.h>

#include "tokentrend/buf.h"

/* U+202F NARROW NO-BREAK SPACE: the thousands mark kept between digits. */
#define TEXTNORM_THIN "\xe2\x80\xaf"

enum textnorm_flags {
	TEXTNORM_KEEP_NEWLINES = (1 << 0), /* '\n' is a line break; else it is a blank */
};

/*
 * Append the normalised form of s[0..len) to out.
 *   - ASCII blanks (space, tab, CR, FF, VT) and, unless TEXTNORM_KEEP_NEWLINES,
 *     '\n' are blanks;
 *   - U+00A0, U+1680, U+2000..U+200A, U+202F, U+205F, U+3000 are blanks,
 *     except between two ASCII digits, where they become TEXTNORM_THIN;
 *   - U+200B..U+200D, U+2060, U+FEFF and U+00AD (soft hyphen) are removed;
 *   - runs of blanks become one space; blanks at line ends, empty lines and
 *     blanks/newlines at both ends are dropped.
 * Invalid UTF-8 bytes are copied as they are.  Returns 0 or TT_ENOMEM.
 */
int textnorm_space(const char *s, size_t len, unsigned flags, struct buf *out);

/* ASCII-lowercase the bytes of s in place (UTF-8 multibyte bytes are left alone); returns s. */
char *textnorm_lower(char *s);

#endif /* TT_TEXTNORM_H */
