/*
 * err.h - the library's one error convention.
 *
 * Library functions return 0 (or a count) on success and a negative TT_E*
 * code on failure.  Details for a human (HTTP status, libxml2 line,
 * sqlite3_errmsg, the offending value) go into a struct tt_error that the
 * caller owns, filled by tt_set_error(), which also records the function.
 * Only src/cmd/ prints errors.
 */
#ifndef TT_ERR_H
#define TT_ERR_H

#include <stddef.h>

enum tt_errcode {
	TT_OK = 0,
	TT_EFAIL = -1,     /* generic runtime failure */
	TT_ENOMEM = -2,    /* out of memory, or a buffer cap was hit */
	TT_EINVAL = -3,    /* bad argument or bad input value */
	TT_ENET = -4,      /* network / HTTP failure */
	TT_EPARSE = -5,    /* extraction or parse failure (fail closed) */
	TT_EDB = -6,       /* SQLite failure */
	TT_EIO = -7,       /* file system failure */
	TT_ENOTFOUND = -8, /* a looked-up thing does not exist */
	TT_EBUSY = -9,     /* database busy or run lock held past the wait budget */
	TT_EVALIDATE = -10,/* values broke a bound or relation */
	TT_EBLOCKED = -11, /* bot challenge or rate limit: the source refused us */
	TT_ERANGE = -12,   /* a number out of the representable range */
};

struct tt_error {
	int code;          /* last TT_E* code, 0 when clear */
	const char *func;  /* function that set it (static string) */
	char msg[1024];    /* human-readable detail, NUL-terminated */
};

/* Return a static English description of a TT_E* code; never NULL. */
const char *tt_strerror(int code);

/*
 * Record an error in *err (which may be NULL: then nothing is recorded).
 * Returns code, so that `return tt_set_error(err, TT_EPARSE, "...")` works.
 */
int tt_error_set(struct tt_error *err, int code, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define tt_set_error(err, code, ...) tt_error_set((err), (code), __func__, __VA_ARGS__)

/* Reset *err to the clear state; NULL is a no-op. */
void tt_error_clear(struct tt_error *err);

#endif /* TT_ERR_H */
