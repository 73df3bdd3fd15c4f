/*
 * tt_test.h - shared helpers for the cmocka test programs.
 *
 * cmocka 1.1.5 only has a float-precision assert_float_equal, so doubles
 * are compared with assert_rel() (relative tolerance) and assert_abs().
 * Acceptance tests that read ../shared/data call tt_shared_path() and
 * skip, saying so, when the folder is absent.
 */
#ifndef TT_TEST_H
#define TT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <cmocka.h>

#define assert_rel(actual, expected, rel)                                                    \
	do {                                                                                  \
		double a_ = (actual), e_ = (expected), r_ = (rel);                            \
		double d_ = fabs(a_ - e_), m_ = fabs(e_) > 1e-300 ? fabs(e_) : 1.0;           \
		if (!(d_ <= r_ * m_))                                                         \
			fail_msg("%s = %.12g, expected %.12g (rel tol %g)", #actual, a_, e_, r_); \
	} while (0)

#define assert_abs(actual, expected, tol)                                                    \
	do {                                                                                  \
		double a_ = (actual), e_ = (expected), t_ = (tol);                            \
		if (!(fabs(a_ - e_) <= t_))                                                   \
			fail_msg("%s = %.12g, expected %.12g (abs tol %g)", #actual, a_, e_, t_); \
	} while (0)

/* Read a whole file into a malloc'd NUL-terminated buffer; NULL if absent. */
static inline char *tt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	if (p)
		p[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return p;
}

/* Path of a file in ../shared/data into buf; returns 0 when it exists,
 * otherwise prints why the acceptance test is skipped and returns -1. */
static inline int tt_shared_path(const char *rel, char *buf, size_t n)
{
	struct stat st;
	const char *base = getenv("TT_SHARED_DATA");

	snprintf(buf, n, "%s/%s", base ? base : TT_SHARED_DATA, rel);
	if (stat(buf, &st) == 0)
		return 0;
	printf("SKIP: %s is absent; acceptance test skipped\n", buf);
	return -1;
}

/* Path of a committed fixture. */
static inline void tt_fixture_path(const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", TT_FIXTURES, rel);
}

#endif /* TT_TEST_H */
