/*
 * fit.c - the log-linear decline model with GSL: OLS on ln(price) and its
 * closed-form answers; its prediction intervals, threshold crossings and
 * rolling-origin backtest are model.c's, the engine of every model.
 *
 * The GSL pitfalls this file guards against (FORECASTING.md section 4):
 *   - gsl_fit_linear's covariance divides by n - 2: n = 2 gets the
 *     two-point rate computed here, with no interval;
 *   - the s.e. of the MEAN line (gsl_fit_linear_est's y_err) is not a
 *     forecast interval, which needs sqrt(y_err^2 + s^2) (model.c);
 *   - the default GSL error handler aborts: fit_init() turns it off and
 *     every return code is checked;
 *   - intervals are built on the log scale and back-transformed at the
 *     endpoints, so the point forecast is the median.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/fit.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>

#include "model_int.h"

/* ln(DBL_MAX) is about 709.78: stay clear of it. */
#define FIT_LOG_MAX 700.0

const char *fit_model_name(enum fit_model m)
{
	switch (m) {
	case FIT_MODEL_LOGLINEAR: return "loglinear";
	case FIT_MODEL_NAIVE: return "naive";
	case FIT_MODEL_RWDRIFT: return "rwdrift";
	case FIT_MODEL_HARMONIC: return "harmonic";
	case FIT_MODEL_HYPERBOLIC: return "hyperbolic";
	case FIT_MODEL_EXPFLOOR: return "expfloor";
	}
	return "unknown";
}

const char *fit_status_name(enum fit_status s)
{
	switch (s) {
	case FIT_OK: return "ok";
	case FIT_NO_INTERVAL: return "no_interval";
	case FIT_TWO_POINTS: return "two_points";
	case FIT_INSUFFICIENT: return "insufficient_data";
	}
	return "unknown";
}

const char *fit_cross_status_name(enum fit_cross_status s)
{
	switch (s) {
	case FIT_CROSS_DATE: return "date";
	case FIT_CROSS_ALREADY_BELOW: return "already_below";
	case FIT_CROSS_BEYOND_HORIZON: return "not_within_horizon";
	case FIT_CROSS_NEVER: return "never";
	case FIT_CROSS_UNAVAILABLE: return "unavailable";
	case FIT_CROSS_NEVER_FLOOR: return "never_floor";
	}
	return "unknown";
}

int fit_init(void)
{
	static int done;

	if (!done) {
		gsl_set_error_handler_off();
		done = 1;
	}
	return 0;
}

int fit_tquantile(double p, double nu, double *q)
{
	double v;

	fit_init();
	if (!(p > 0.0 && p < 1.0) || !(nu >= 1.0) || !isfinite(nu))
		return TT_EINVAL;
	v = gsl_cdf_tdist_Pinv(p, nu);
	if (!isfinite(v))
		return TT_EINVAL;
	*q = v;
	return 0;
}

void fit_note_add(char *dst, size_t size, const char *fmt, ...)
{
	size_t len = strlen(dst);
	va_list ap;

	if (len + 3 >= size)
		return;
	if (len) {
		dst[len++] = ';';
		dst[len++] = ' ';
		dst[len] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(dst + len, size - len, fmt, ap);
	va_end(ap);
}

int fit_loglinear(const double *t, const double *price, size_t n, struct fit_loglinear *out,
		  struct tt_error *err)
{
	double *x = NULL, *y = NULL;
	double tmin, tmax, c0, c1, cov00, cov01, cov11, sumsq, ybar, tss;
	size_t i, m = 0, last = 0;
	int rc = TT_EINVAL, g;

	fit_init();
	memset(out, 0, sizeof(*out));
	out->status = FIT_INSUFFICIENT;
	out->n_in = n;
	if (n && (!t || !price))
		return tt_set_error(err, TT_EINVAL, "fit: NULL data for %zu points", n);
	for (i = 0; i < n; i++) {
		if (!isfinite(t[i]))
			return tt_set_error(err, TT_EINVAL, "fit: time of point %zu is not finite", i);
		if (!isfinite(price[i]) || price[i] < 0.0)
			return tt_set_error(err, TT_EINVAL,
					    "fit: price of point %zu is %g (must be finite and >= 0)", i,
					    price[i]);
	}
	if (n) {
		x = malloc(n * sizeof(*x));
		y = malloc(n * sizeof(*y));
		if (!x || !y) {
			rc = tt_set_error(err, TT_ENOMEM, "fit: out of memory for %zu points", n);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (price[i] == 0.0) {
			out->n_zero++;
			continue;
		}
		if (m == 0 || t[i] >= x[last]) {
			last = m;
			out->p_last = price[i];
		}
		x[m] = t[i];
		y[m] = log(price[i]);
		m++;
	}
	out->n = m;
	if (out->n_zero)
		fit_note_add(out->reason, sizeof(out->reason),
			     "%zu zero price%s excluded from the log fit", out->n_zero,
			     out->n_zero == 1 ? "" : "s");
	if (m < 2) {
		fit_note_add(out->reason, sizeof(out->reason),
			     "insufficient data: %zu priced point%s; 2 are needed for a rate and %d for intervals",
			     m, m == 1 ? "" : "s", FIT_MIN_POINTS_INTERVAL);
		rc = 0;
		goto out;
	}
	tmin = tmax = x[0];
	for (i = 1; i < m; i++) {
		if (x[i] < tmin)
			tmin = x[i];
		if (x[i] > tmax)
			tmax = x[i];
	}
	out->t_first = tmin;
	out->t_last = tmax;
	if (!(tmax > tmin)) {
		fit_note_add(out->reason, sizeof(out->reason),
			     "insufficient data: all %zu priced points are on one date", m);
		rc = 0;
		goto out;
	}

	if (m == 2) {
		/* gsl_fit_linear would divide 0 by 0 for the covariance: do the
		 * two-point rate by hand and report no interval. */
		c1 = (y[1] - y[0]) / (x[1] - x[0]);
		out->c1 = c1 == 0.0 ? 0.0 : c1;
		out->c0 = y[0] - c1 * x[0];
		out->k = -out->c1 == 0.0 ? 0.0 : -out->c1;
		out->status = FIT_TWO_POINTS;
		fit_note_add(out->reason, sizeof(out->reason),
			     "two priced points: a rate but no interval (%d points are needed for intervals)",
			     FIT_MIN_POINTS_INTERVAL);
		rc = 0;
		goto out;
	}

	g = gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	if (g != GSL_SUCCESS) {
		rc = tt_set_error(err, TT_EFAIL, "fit: gsl_fit_linear failed: %s", gsl_strerror(g));
		goto out;
	}
	if (!isfinite(c0) || !isfinite(c1) || !isfinite(cov00) || !isfinite(cov01) ||
	    !isfinite(cov11) || !isfinite(sumsq)) {
		rc = tt_set_error(err, TT_EFAIL, "fit: gsl_fit_linear gave a non-finite result for %zu points", m);
		goto out;
	}
	out->c0 = c0;
	out->c1 = c1 == 0.0 ? 0.0 : c1;
	out->k = c1 == 0.0 ? 0.0 : -c1;
	out->cov00 = cov00;
	out->cov01 = cov01;
	out->cov11 = cov11;
	out->sumsq = sumsq < 0.0 ? 0.0 : sumsq;
	out->s2 = out->sumsq / (double)(m - 2);
	ybar = 0.0;
	for (i = 0; i < m; i++)
		ybar += y[i];
	ybar /= (double)m;
	tss = 0.0;
	for (i = 0; i < m; i++)
		tss += (y[i] - ybar) * (y[i] - ybar);
	out->r2 = tss > 0.0 ? 1.0 - out->sumsq / tss : 0.0;

	/* Zero residual (flat series, or noise-free data): the "interval" would
	 * have zero width, which is not knowledge but a missing estimate. */
	if (sqrt(out->s2) <= 1e-12 * (1.0 + fabs(ybar))) {
		out->status = FIT_NO_INTERVAL;
		out->cov00 = out->cov01 = out->cov11 = 0.0;
		out->s2 = 0.0;
		if (out->c1 == 0.0)
			fit_note_add(out->reason, sizeof(out->reason),
				     "flat series: no decline, and no scatter to estimate uncertainty from");
		else
			fit_note_add(out->reason, sizeof(out->reason),
				     "the points lie exactly on the fitted line: uncertainty unavailable");
	} else {
		out->status = FIT_OK;
		out->has_interval = 1;
	}
	rc = 0;
out:
	free(x);
	free(y);
	return rc;
}

double fit_loglinear_factor_per_year(const struct fit_loglinear *f)
{
	double v;

	if (f->status == FIT_INSUFFICIENT)
		return 1.0;
	v = exp(f->k > FIT_LOG_MAX ? FIT_LOG_MAX : (f->k < -FIT_LOG_MAX ? -FIT_LOG_MAX : f->k));
	return v;
}

int fit_loglinear_half_life_days(const struct fit_loglinear *f, double *days)
{
	if (f->status == FIT_INSUFFICIENT || !(f->k > 0.0))
		return 0;
	*days = M_LN2 / f->k * FIT_DAYS_PER_YEAR;
	return isfinite(*days) ? 1 : 0;
}

int fit_loglinear_factor_ci(const struct fit_loglinear *f, double level, double *lo, double *hi)
{
	double q, se, a, b;

	if (!f->has_interval || !(level > 0.0 && level < 1.0))
		return 0;
	if (fit_tquantile(1.0 - (1.0 - level) / 2.0, (double)(f->n - 2), &q) < 0)
		return 0;
	se = sqrt(f->cov11);
	a = -(f->c1 + q * se);
	b = -(f->c1 - q * se);
	if (fabs(a) > FIT_LOG_MAX || fabs(b) > FIT_LOG_MAX)
		return 0;
	*lo = exp(a);
	*hi = exp(b);
	return 1;
}

/*
 * The bands, crossings and backtest of a log-linear fit are model.c's: the
 * fit is handed over as a struct model_fit (model_fit_of_loglinear), so one
 * engine computes them for every model (and checks their arguments).
 */

int fit_loglinear_band(const struct fit_loglinear *f, double t, double level,
		       enum fit_band_kind kind, struct fit_band *out, struct tt_error *err)
{
	struct model_fit mf;

	fit_init();
	model_fit_of_loglinear(f, &mf);
	return model_band_kind(&mf, t, level, kind, out, err);
}

int fit_loglinear_crossing(const struct fit_loglinear *f, double target, double t_from,
			   double t_to, double level, struct fit_crossing *out,
			   struct tt_error *err)
{
	struct model_fit mf;

	fit_init();
	model_fit_of_loglinear(f, &mf);
	return model_crossing(&mf, target, t_from, t_to, level, out, err);
}

void fit_backtest_release(struct fit_backtest *b)
{
	if (!b)
		return;
	free(b->origins);
	memset(b, 0, sizeof(*b));
}

int fit_backtest_loglinear(const double *t, const double *price, size_t n, size_t min_train,
			   struct fit_backtest *out, struct tt_error *err)
{
	fit_init();
	return model_backtest(FIT_MODEL_LOGLINEAR, t, price, n, min_train, out, err);
}
