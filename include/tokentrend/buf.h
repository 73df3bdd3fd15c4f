/*
 * buf.h - one small growable byte buffer with a size cap.
 *
 * Used as the libcurl write sink, the SQL/text builder and the gnuplot
 * script builder.  Invariants (after git's strbuf): b->buf is always
 * NUL-terminated and never NULL after buf_init/BUF_INIT; b->len excludes
 * the NUL.  When an append would exceed b->cap (0 = no cap) the append
 * fails with TT_ENOMEM and the buffer is left unchanged ("toobig").
 */
#ifndef TT_BUF_H
#define TT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct tt_error;

struct buf {
	char *buf;    /* bytes, NUL-terminated; owned by the buf */
	size_t len;   /* bytes used, excluding the NUL */
	size_t alloc; /* bytes allocated (0: buf points at a static "") */
	size_t cap;   /* largest len allowed; 0 means unlimited */
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, 0 }

/* Initialise an embedded buf with a size cap (0 = unlimited). */
void buf_init(struct buf *b, size_t cap);

/* Free the storage and reset to the empty state; the cap is kept. */
void buf_release(struct buf *b);

/* Empty the buffer but keep its storage. */
void buf_reset(struct buf *b);

/*
 * Take the bytes out: returns a malloc'd NUL-terminated string that the
 * caller frees (never NULL; an empty buf gives a new ""), stores its
 * length in *len when len is not NULL, and resets b to empty.
 */
char *buf_detach(struct buf *b, size_t *len);

/* Append n bytes.  Returns 0, or TT_ENOMEM (cap or malloc) with b unchanged. */
int buf_add(struct buf *b, const void *data, size_t n);

/* Append a NUL-terminated string. */
int buf_adds(struct buf *b, const char *s);

/* Append one byte. */
int buf_addch(struct buf *b, char c);

/* Append printf-style formatted text. */
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* Make room for at least extra more bytes.  Returns 0 or TT_ENOMEM. */
int buf_grow(struct buf *b, size_t extra);

/* Remove trailing ASCII white space. */
void buf_rtrim(struct buf *b);

/*
 * Append the whole content of the file at path (a capture, a CSV) to b,
 * within b's cap.  Returns 0; TT_EIO when the file cannot be opened or
 * read (a folder, a missing file): err names the path and the system's
 * reason; TT_ENOMEM when it does not fit the cap or memory: err names the
 * path.  On failure b is left as it was.  err may be NULL.
 */
int buf_read_file(struct buf *b, const char *path, struct tt_error *err);

#endif /* TT_BUF_H */
