/*
 * model_int.h - model.c internals that fit.c builds its log-linear API
 * (bands, crossings, backtest) on, so that one engine computes them all.
 * Not a public API.
 */
#ifndef TT_MODEL_INT_H
#define TT_MODEL_INT_H

#include "tokentrend/fit.h"
#include "tokentrend/model.h"

/*
 * Fill *out with the log-linear model of ll (c0, c1 and their covariance,
 * residual variance, status, reason and the first/last points), as
 * model_fit(FIT_MODEL_LOGLINEAR, ...) would from the same points.  Plain
 * value: nothing to free.
 */
void model_fit_of_loglinear(const struct fit_loglinear *ll, struct model_fit *out);

/*
 * model_band() for either kind of band: FIT_BAND_PREDICTION (where a new
 * observation falls; what model_band() gives) or FIT_BAND_MEAN (where the
 * fitted mean line is: the parameter uncertainty without the residual
 * scatter).  Same returns as model_band().
 */
int model_band_kind(const struct model_fit *f, double t, double level, enum fit_band_kind kind,
		    struct fit_band *out, struct tt_error *err);

#endif /* TT_MODEL_INT_H */
