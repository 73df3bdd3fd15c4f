/*
 * extract_anchor.c - the anchor rule shared by every extractor: the
 * structure a source is read from is present exactly once (extract.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"

#include "extract_int.h"

int extract_anchor_once(const struct extract_ctx *ctx, const char *anchor, size_t count,
			struct tt_error *err)
{
	const char *what = extract_origin(ctx, "source");

	if (count == 1)
		return 0;
	if (count == 0)
		return tt_set_error(err, TT_EPARSE, "%s: anchor %s is missing; the page layout changed",
				    what, anchor ? anchor : "(unnamed)");
	return tt_set_error(err, TT_EPARSE,
			    "%s: anchor %s appears %zu times, expected exactly once; the page layout changed",
			    what, anchor ? anchor : "(unnamed)", count);
}
