/*
 * series_load.c - build a series from the store through the query API.
 * Kept apart from series.c so that code using series arrays (tests, the
 * forecast module) links without the store.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/series.h"

int series_load(struct store *st, const struct series_selector *sel, struct series *out,
		struct tt_error *err)
{
	struct price_rows rows = PRICE_ROWS_INIT;
	struct query_filter f;
	int rc;

	if (!st)
		return tt_set_error(err, TT_EINVAL, "series: no open store");
	if (!sel->provider || !sel->provider[0] || !sel->model || !sel->model[0])
		return tt_set_error(err, TT_EINVAL, "series: a provider and a model are required");
	if (strchr(sel->model, '%'))
		return tt_set_error(err, TT_EINVAL,
				    "series: model '%s' must be an exact id, not a pattern", sel->model);
	memset(&f, 0, sizeof(f));
	f.provider = sel->provider;
	f.model = sel->model;
	/* Dimension and tier are filtered in series_from_rows, so that a miss can
	 * list what the model does have. */
	f.source = sel->source;
	f.all_sources = 0;
	rc = query_history(st, &f, &rows, err);
	if (rc < 0)
		goto out;
	rc = series_from_rows(&rows, sel, out, err);
out:
	price_rows_release(&rows);
	return rc;
}
