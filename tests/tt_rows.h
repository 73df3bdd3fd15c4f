/*
 * tt_rows.h - building struct price_row tables in tests.  Designated
 * initialisers, so that fields added to the structs later need no change
 * in any test.  Include after tt_test.h and tokentrend/query.h.
 */
#ifndef TT_ROWS_H
#define TT_ROWS_H

#define ROW(prov_, model_, dim_, tier_, cond_, region_, unit_, cur_, nanos_, src_, from_, to_)      \
	{ .p = { .provider = (char *)prov_, .model = (char *)model_, .dimension = (char *)dim_,     \
		 .tier = (char *)tier_, .condition = (char *)cond_, .region = (char *)region_,       \
		 .unit = (char *)unit_, .currency = (char *)cur_, .nanos = nanos_ },                 \
	  .source = (char *)src_, .valid_from = from_, .valid_to = to_, .first_seen = from_,         \
	  .last_seen = from_ }

#define ROWS(a) { a, TT_ARRAY_SIZE(a), TT_ARRAY_SIZE(a) }

#endif /* TT_ROWS_H */
