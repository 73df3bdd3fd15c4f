/*
 * tt_compat.h - the first header every tokentrend .c file includes.
 *
 * It pulls in every system header the project uses, fixes the feature
 * macros, and then poisons libc functions that are easy to misuse
 * (after the system headers, as git's banned.h does, so that a system
 * header declaring one of these names still compiles).
 */
#ifndef TT_COMPAT_H
#define TT_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* TT_STATIC: file-local in normal builds, visible to unit tests. */
#ifdef TT_TESTING
#define TT_STATIC
#else
#define TT_STATIC static
#endif

#define TT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Free a pointer and set it to NULL; safe on NULL. */
#define FREE_AND_NULL(p) \
	do {             \
		free(p); \
		(p) = NULL; \
	} while (0)

#if defined(__GNUC__)
#define TT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TT_PRINTF(f, a)
#endif

/* Banned functions: use snprintf/buf_addf, strtol with an end pointer, the _r time functions. */
#ifndef TT_ALLOW_BANNED
#undef strcpy
#pragma GCC poison strcpy
#undef strcat
#pragma GCC poison strcat
#undef sprintf
#pragma GCC poison sprintf
#undef strtok
#pragma GCC poison strtok
#undef gmtime
#pragma GCC poison gmtime
#undef localtime
#pragma GCC poison localtime
#undef ctime
#pragma GCC poison ctime
#undef atoi
#pragma GCC poison atoi
#endif

#endif /* TT_COMPAT_H */
