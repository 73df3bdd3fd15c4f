/*
 * prices_sellers.c - `prices --model M --sellers`: one model's price at
 * every seller side by side through the model catalog; `prices
 * --disagreements`: the keys on which two sources disagree on that date.
 */
#include "tokentrend/tt_compat.h"
#include "prices_sellers.h"

#include "tokentrend/models.h"
#include "tokentrend/sellers.h"

int prices_sellers(struct app *app, const struct query_filter *f, int fmt, int sellers,
		   int disagreements, const char *models_path)
{
	struct models cat = MODELS_INIT;
	struct price_rows rows = PRICE_ROWS_INIT;
	struct sellers_view v = SELLERS_VIEW_INIT;
	struct query_filter q = *f;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	const char *canonical = NULL;
	unsigned flags = 0;
	int rc;

	rc = models_load(&cat, models_path, &err);
	if (rc < 0) {
		rc = cli_report("prices", rc, &err);
		goto out;
	}
	if (f->model && strchr(f->model, '%')) {
		cli_error("prices: --sellers and --disagreements take an exact model, not a pattern ('%s')",
			  f->model);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if (f->model) {
		canonical = models_resolve(&cat, f->model, &err);
		if (!canonical && err.code == TT_EINVAL) {
			rc = cli_report("prices", TT_EINVAL, &err);
			goto out;
		}
		/* A name the catalog does not know is kept as published. */
		if (!canonical)
			canonical = f->model;
	}
	/* Every source's row on that date; the catalog decides what is one model. */
	q.model = NULL;
	q.all_sources = 1;
	q.source = NULL;
	rc = query_prices(app->st, &q, &rows, &err);
	if (rc < 0) {
		rc = cli_report("prices", rc, &err);
		goto out;
	}
	if (disagreements)
		flags |= SELLERS_ONLY_DISAGREEMENTS;
	if (sellers)
		flags |= SELLERS_BY_PRICE;
	rc = sellers_build(&rows, &cat, canonical, flags, &v, &err);
	if (rc < 0) {
		rc = cli_report("prices", rc, &err);
		goto out;
	}
	if (sellers && !v.n && !disagreements) {
		cli_error("prices: no seller has a price for '%s'%s%s on %s", canonical,
			  f->provider ? " sold by " : "", f->provider ? f->provider : "", q.as_of);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	if (sellers_render(&v, (enum query_format)fmt, &out) < 0) {
		cli_error("prices: out of memory rendering %zu rows", v.n);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
out:
	buf_release(&out);
	sellers_view_release(&v);
	price_rows_release(&rows);
	models_release(&cat);
	return rc;
}
