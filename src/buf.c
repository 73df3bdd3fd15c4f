/*
 * buf.c - growable, capped byte buffer (see buf.h for the invariants).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/buf.h"
#include "tokentrend/err.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t cap)
{
	b->buf = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void buf_release(struct buf *b)
{
	if (!b)
		return;
	if (b->alloc)
		free(b->buf);
	b->buf = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *res;

	if (b->alloc) {
		res = b->buf;
	} else {
		res = malloc(1);
		if (res)
			res[0] = '\0';
	}
	if (len)
		*len = b->len;
	b->buf = buf_empty;
	b->len = 0;
	b->alloc = 0;
	return res;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t want, n;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return TT_ENOMEM;
	if (b->cap && b->len + extra > b->cap)
		return TT_ENOMEM;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < want)
		n = n < SIZE_MAX / 2 ? n * 2 : want;
	p = b->alloc ? realloc(b->buf, n) : malloc(n);
	if (!p)
		return TT_ENOMEM;
	if (!b->alloc)
		p[0] = '\0';
	b->buf = p;
	b->alloc = n;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return TT_ENOMEM;
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return TT_EINVAL;
	if (buf_grow(b, (size_t)n) < 0)
		return TT_ENOMEM;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_rtrim(struct buf *b)
{
	while (b->len && isspace((unsigned char)b->buf[b->len - 1]))
		b->len--;
	if (b->alloc)
		b->buf[b->len] = '\0';
}

int buf_read_file(struct buf *b, const char *path, struct tt_error *err)
{
	FILE *f = NULL;
	size_t old = b->len, n;
	char chunk[65536];
	int rc = 0;

	f = fopen(path, "rb");
	if (!f)
		return tt_set_error(err, TT_EIO, "cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(b, chunk, n) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "cannot read '%s': it does not fit in memory%s",
					  path, b->cap ? " (over the size limit)" : "");
			goto out;
		}
	}
	if (ferror(f))
		rc = tt_set_error(err, TT_EIO, "cannot read '%s': %s", path, strerror(errno));
out:
	fclose(f);
	if (rc < 0) {
		b->len = old;
		if (b->alloc)
			b->buf[old] = '\0';
	}
	return rc;
}
