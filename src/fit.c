/*
 * fit.c - the log-linear decline model with GSL: OLS on ln(price), honest
 * prediction intervals, threshold crossings and a rolling-origin backtest.
 *
 * The GSL pitfalls this file guards against (FORECASTING.md section 4):
 *   - gsl_fit_linear's covariance divides by n - 2: n = 2 gets the
 *     two-point rate computed here, with no interval;
 *   - gsl_fit_linear_est's y_err is the s.e. of the MEAN line; a forecast
 *     interval needs sqrt(y_err^2 + s^2);
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

/* Append a sentence to f->reason (truncating quietly: it is a message). */
static void fit_note(struct fit_loglinear *f, const char *fmt, ...) TT_PRINTF(2, 3);
static void fit_note(struct fit_loglinear *f, const char *fmt, ...)
{
	size_t len = strlen(f->reason);
	va_list ap;

	if (len + 2 >= sizeof(f->reason))
		return;
	if (len) {
		f->reason[len++] = ';';
		f->reason[len++] = ' ';
		f->reason[len] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(f->reason + len, sizeof(f->reason) - len, fmt, ap);
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
		fit_note(out, "%zu zero price%s excluded from the log fit", out->n_zero,
			 out->n_zero == 1 ? "" : "s");
	if (m < 2) {
		fit_note(out, "insufficient data: %zu priced point%s; 2 are needed for a rate and %d for intervals",
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
		fit_note(out, "insufficient data: all %zu priced points are on one date", m);
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
		fit_note(out, "two priced points: a rate but no interval (%d points are needed for intervals)",
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
			fit_note(out, "flat series: no decline, and no scatter to estimate uncertainty from");
		else
			fit_note(out, "the points lie exactly on the fitted line: uncertainty unavailable");
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

/* ln-scale mean and the standard error of kind at t (0 when no interval). */
static int fit_log_se(const struct fit_loglinear *f, double t, enum fit_band_kind kind,
		      double *ymean, double *se, struct tt_error *err)
{
	double y, yerr;
	int g;

	*ymean = f->c0 + f->c1 * t;
	*se = 0.0;
	if (!f->has_interval)
		return 0;
	g = gsl_fit_linear_est(t, f->c0, f->c1, f->cov00, f->cov01, f->cov11, &y, &yerr);
	if (g != GSL_SUCCESS || !isfinite(y) || !isfinite(yerr))
		return tt_set_error(err, TT_EFAIL, "fit: gsl_fit_linear_est failed at t = %g: %s", t,
				    gsl_strerror(g));
	*ymean = y;
	/* y_err alone is the mean-line band; a new observation adds s^2. */
	*se = kind == FIT_BAND_MEAN ? yerr : sqrt(yerr * yerr + f->s2);
	return 0;
}

int fit_loglinear_band(const struct fit_loglinear *f, double t, double level,
		       enum fit_band_kind kind, struct fit_band *out, struct tt_error *err)
{
	double ym, se, q = 0.0;
	int rc;

	fit_init();
	memset(out, 0, sizeof(*out));
	if (f->status == FIT_INSUFFICIENT)
		return tt_set_error(err, TT_EINVAL, "fit: no fitted model (%s)",
				    f->reason[0] ? f->reason : "insufficient data");
	if (!(level > 0.0 && level < 1.0) || !isfinite(t))
		return tt_set_error(err, TT_EINVAL, "fit: interval level %g is not in (0, 1)", level);
	rc = fit_log_se(f, t, kind, &ym, &se, err);
	if (rc < 0)
		return rc;
	if (f->has_interval) {
		rc = fit_tquantile(1.0 - (1.0 - level) / 2.0, (double)(f->n - 2), &q);
		if (rc < 0)
			return tt_set_error(err, rc, "fit: no t quantile for level %g with %zu points",
					    level, f->n);
	}
	if (fabs(ym) + q * se > FIT_LOG_MAX)
		return tt_set_error(err, TT_ERANGE,
				    "fit: the projection at t = %.3f years leaves the range of a double", t);
	out->t = t;
	out->median = exp(ym);
	out->se_log = se;
	out->has_interval = f->has_interval;
	out->lo = f->has_interval ? exp(ym - q * se) : out->median;
	out->hi = f->has_interval ? exp(ym + q * se) : out->median;
	return 0;
}

/* ln of a prediction bound at t, minus ln(target): <= 0 once the bound is at or below it. */
static int fit_bound_gap(const struct fit_loglinear *f, double t, double q, int upper,
			 double ltarget, double *gap)
{
	double ym, se;
	int rc = fit_log_se(f, t, FIT_BAND_PREDICTION, &ym, &se, NULL);

	if (rc < 0)
		return rc;
	*gap = (upper ? ym + q * se : ym - q * se) - ltarget;
	return 0;
}

/* First t in [t_from, t_to] where the bound reaches the target: a daily scan, then bisection. */
static int fit_bound_cross(const struct fit_loglinear *f, double q, int upper, double ltarget,
			   double t_from, double t_to, enum fit_cross_status *st, double *tc)
{
	double step = 1.0 / FIT_DAYS_PER_YEAR, a, b, ga, gb, mid, gm;
	size_t i, steps;
	int rc, it;

	rc = fit_bound_gap(f, t_from, q, upper, ltarget, &ga);
	if (rc < 0)
		return rc;
	if (ga <= 0.0) {
		*st = FIT_CROSS_DATE;
		*tc = t_from;
		return 0;
	}
	steps = (size_t)ceil((t_to - t_from) / step);
	if (steps > 400000)
		steps = 400000, step = (t_to - t_from) / 400000.0;
	a = t_from;
	for (i = 1; i <= steps; i++) {
		b = t_from + (double)i * step;
		if (b > t_to)
			b = t_to;
		rc = fit_bound_gap(f, b, q, upper, ltarget, &gb);
		if (rc < 0)
			return rc;
		if (gb <= 0.0) {
			for (it = 0; it < 60; it++) {
				mid = 0.5 * (a + b);
				rc = fit_bound_gap(f, mid, q, upper, ltarget, &gm);
				if (rc < 0)
					return rc;
				if (gm <= 0.0)
					b = mid;
				else
					a = mid;
			}
			*st = FIT_CROSS_DATE;
			*tc = b;
			return 0;
		}
		a = b;
	}
	*st = FIT_CROSS_BEYOND_HORIZON;
	*tc = 0.0;
	return 0;
}

int fit_loglinear_crossing(const struct fit_loglinear *f, double target, double t_from,
			   double t_to, double level, struct fit_crossing *out,
			   struct tt_error *err)
{
	double ltarget, tc, q;
	int rc;

	fit_init();
	memset(out, 0, sizeof(*out));
	if (f->status == FIT_INSUFFICIENT)
		return tt_set_error(err, TT_EINVAL, "fit: no fitted model to cross (%s)",
				    f->reason[0] ? f->reason : "insufficient data");
	if (!isfinite(target) || target <= 0.0)
		return tt_set_error(err, TT_EINVAL, "fit: target price %g must be a positive number",
				    target);
	if (!isfinite(t_from) || !isfinite(t_to) || t_to < t_from)
		return tt_set_error(err, TT_EINVAL, "fit: crossing window [%g, %g] is empty", t_from,
				    t_to);
	if (!(level > 0.0 && level < 1.0))
		return tt_set_error(err, TT_EINVAL, "fit: interval level %g is not in (0, 1)", level);
	if (f->p_last <= target) {
		out->median_status = out->early_status = out->late_status = FIT_CROSS_ALREADY_BELOW;
		return 0;
	}
	ltarget = log(target);

	if (!(f->c1 < 0.0)) {
		out->median_status = FIT_CROSS_NEVER;
	} else {
		tc = (ltarget - f->c0) / f->c1;
		if (tc < t_from)
			tc = t_from;
		if (tc > t_to) {
			out->median_status = FIT_CROSS_BEYOND_HORIZON;
		} else {
			out->median_status = FIT_CROSS_DATE;
			out->median_t = tc;
		}
	}

	if (!f->has_interval) {
		out->early_status = out->late_status = FIT_CROSS_UNAVAILABLE;
		return 0;
	}
	rc = fit_tquantile(1.0 - (1.0 - level) / 2.0, (double)(f->n - 2), &q);
	if (rc < 0)
		return tt_set_error(err, rc, "fit: no t quantile for level %g", level);
	rc = fit_bound_cross(f, q, 0, ltarget, t_from, t_to, &out->early_status, &out->early_t);
	if (rc == 0)
		rc = fit_bound_cross(f, q, 1, ltarget, t_from, t_to, &out->late_status, &out->late_t);
	if (rc < 0)
		return tt_set_error(err, rc, "fit: crossing scan failed");
	return 0;
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
	double *x = NULL, *p = NULL;
	struct fit_loglinear fl;
	struct fit_band band;
	size_t i, m = 0, k;
	double sum = 0.0, sum_naive = 0.0;
	int rc = TT_EINVAL;

	fit_init();
	memset(out, 0, sizeof(*out));
	out->model = FIT_MODEL_LOGLINEAR;
	if (min_train < FIT_MIN_POINTS_INTERVAL)
		min_train = FIT_MIN_POINTS_INTERVAL;
	if (n && (!t || !price))
		return tt_set_error(err, TT_EINVAL, "backtest: NULL data for %zu points", n);
	if (n) {
		x = malloc(n * sizeof(*x));
		p = malloc(n * sizeof(*p));
		out->origins = calloc(n, sizeof(*out->origins));
		if (!x || !p || !out->origins) {
			rc = tt_set_error(err, TT_ENOMEM, "backtest: out of memory");
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(t[i]) || !isfinite(price[i]) || price[i] < 0.0) {
			rc = tt_set_error(err, TT_EINVAL, "backtest: point %zu is not a finite price >= 0", i);
			goto out;
		}
		if (price[i] == 0.0)
			continue;
		if (m && t[i] < x[m - 1]) {
			rc = tt_set_error(err, TT_EINVAL, "backtest: points are not in time order at %zu", i);
			goto out;
		}
		x[m] = t[i];
		p[m] = price[i];
		m++;
	}
	if (m < min_train + 1) {
		snprintf(out->reason, sizeof(out->reason),
			 "too few points for a backtest: %zu priced, %zu needed (%zu to fit, 1 to test)", m,
			 min_train + 1, min_train);
		rc = 0;
		goto out;
	}
	for (k = min_train; k < m; k++) {
		struct fit_backtest_origin *o = &out->origins[out->n_origins];

		rc = fit_loglinear(x, p, k, &fl, err);
		if (rc < 0)
			goto out;
		if (fl.status == FIT_INSUFFICIENT)
			continue;
		rc = fit_loglinear_band(&fl, x[k], 0.80, FIT_BAND_PREDICTION, &band, err);
		if (rc == TT_ERANGE)
			continue;
		if (rc < 0)
			goto out;
		o->k = k;
		o->t = x[k];
		o->actual = p[k];
		o->forecast = band.median;
		o->err_log10 = log10(p[k] / band.median);
		o->naive = p[k - 1];
		o->naive_err_log10 = log10(p[k] / p[k - 1]);
		o->lo80 = band.lo;
		o->hi80 = band.hi;
		o->has_interval = band.has_interval;
		o->covered = band.has_interval && band.lo <= p[k] && p[k] <= band.hi;
		o->factor_per_year = fit_loglinear_factor_per_year(&fl);
		if (!isfinite(o->err_log10) || !isfinite(o->naive_err_log10))
			continue;
		sum += fabs(o->err_log10);
		sum_naive += fabs(o->naive_err_log10);
		if (o->has_interval) {
			out->n_interval++;
			out->n_covered += (size_t)o->covered;
		}
		out->n_origins++;
	}
	if (out->n_origins == 0) {
		snprintf(out->reason, sizeof(out->reason),
			 "no backtest origin could be fitted (%zu priced points)", m);
		rc = 0;
		goto out;
	}
	out->mae_log10 = sum / (double)out->n_origins;
	out->naive_mae_log10 = sum_naive / (double)out->n_origins;
	out->coverage80 = out->n_interval ? (double)out->n_covered / (double)out->n_interval : 0.0;
	out->has_scores = 1;
	rc = 0;
out:
	free(x);
	free(p);
	if (rc < 0) {
		free(out->origins);
		out->origins = NULL;
		out->n_origins = 0;
		out->has_scores = 0;
	}
	return rc;
}
