/*
 * prices_sellers.h - `prices --sellers` and `prices --disagreements`
 * (src/cmd/prices_sellers.c), called by `prices` (src/cmd/prices.c).
 */
#ifndef TT_PRICES_SELLERS_H
#define TT_PRICES_SELLERS_H

#include "cli.h"
#include "tokentrend/query.h"

/*
 * Print the sellers view of f->model (a canonical id or a seller's name,
 * resolved through the catalog) when sellers is set, or the keys on which
 * sources disagree when disagreements is set (both: the sellers view
 * restricted to disagreements).  models_path: the user's catalog file or
 * NULL.  Returns an exit code.
 */
int prices_sellers(struct app *app, const struct query_filter *f, int fmt, int sellers,
		   int disagreements, const char *models_path);

#endif /* TT_PRICES_SELLERS_H */
