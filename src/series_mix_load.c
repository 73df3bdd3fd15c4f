/*
 * series_mix_load.c - load group and blended series from the store through
 * the query API.  Kept apart from series_mix.c so that code building them
 * from rows (tests, the cost model) links without the store.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/series_mix.h"

int series_group_load(struct store *st, const struct models *cat, const char *group,
		      const struct series_group_options *o, struct series *out,
		      struct series_mix_trace *trace, struct tt_error *err)
{
	struct price_rows rows = PRICE_ROWS_INIT;
	struct query_filter f;
	int rc;

	if (!st)
		return tt_set_error(err, TT_EINVAL, "group series: no open store");
	if (!models_group_find(cat, group))
		return series_group_from_rows(&rows, cat, group, o, out, trace, err);
	memset(&f, 0, sizeof(f));
	f.dimension = o && o->dimension ? o->dimension : "input";
	f.tier = o && o->tier ? o->tier : "standard";
	f.provider = o ? o->provider : NULL;
	f.source = o ? o->source : NULL;
	rc = query_history(st, &f, &rows, err);
	if (rc < 0)
		goto out;
	rc = series_group_from_rows(&rows, cat, group, o, out, trace, err);
out:
	price_rows_release(&rows);
	return rc;
}

int series_blend_load(struct store *st, const struct profile *p, const struct models *cat,
		      const struct series_blend_options *o, struct series *out,
		      struct tt_error *err)
{
	struct price_rows rows = PRICE_ROWS_INIT;
	struct query_filter f;
	size_t i;
	int rc = 0;

	if (!st)
		return tt_set_error(err, TT_EINVAL, "blend series: no open store");
	/* Every row of each model's seller: the catalog may map other names of
	 * the same model; the blend keeps only those it needs. */
	for (i = 0; i < p->n_models; i++) {
		size_t j;
		int seen = 0;

		for (j = 0; j < i; j++)
			seen |= !strcmp(p->models[j].provider, p->models[i].provider);
		if (seen)
			continue;
		memset(&f, 0, sizeof(f));
		f.provider = p->models[i].provider;
		f.source = o ? o->source : NULL;
		rc = query_history(st, &f, &rows, err);
		if (rc < 0)
			goto out;
	}
	rc = series_blend_from_rows(&rows, p, cat, o, out, err);
out:
	price_rows_release(&rows);
	return rc;
}
