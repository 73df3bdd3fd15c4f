/*
 * series_int.h - helpers that series.c shares with series_mix.c (both build
 * series from history rows).  Not a public API.
 */
#ifndef TT_SERIES_INT_H
#define TT_SERIES_INT_H

#include "tokentrend/buf.h"

/* 1 when a and b are the same text, NULL counting as "". */
int series_str_eq(const char *a, const char *b);

/*
 * Append name to the ", "-separated list in b unless the list already holds
 * it (whole entries compared).  Returns 0, or TT_ENOMEM (b is left as it was
 * or with a trailing ", ").
 */
int series_list_add_unique(struct buf *b, const char *name);

#endif /* TT_SERIES_INT_H */
