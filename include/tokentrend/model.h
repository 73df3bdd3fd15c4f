/*
 * model.h - the candidate decline models, fitted on one scale, with
 * prediction intervals, derived answers (factor per year, half-life, date
 * a price is reached) and rolling-origin backtests; and the metrics that
 * score them.
 *
 * Scale.  Every candidate is fitted to LN PRICE: errors are multiplicative
 * (a 10% miss at $60 and at $0.06 weigh the same), the models' AICc are on
 * one scale without a Jacobian term, and intervals back-transform to
 * asymmetric price intervals whose centre is the median.  model_aicc()
 * takes the Jacobian term (-2 sum ln p_i) for a fit made on raw prices, so
 * such a fit can be compared too (TV5).
 *
 * Time t is in years since the series' first priced point (forecast.c).
 *
 *   model        ln-price mean u(t)                         theta (unconstrained)
 *   loglinear    c0 + c1 t                                  c0, c1 (OLS, gsl_fit_linear)
 *   rwdrift      ln p_T + mu (t - t_T)                      mu (MLE: total change / total time)
 *   harmonic     ln qi - ln(1 + Di t)                       ln qi, ln Di
 *   hyperbolic   ln qi - ln(1 + b Di t) / b                 ln qi, ln Di, logit(b / b_max)
 *   expfloor     ln(c + A e^(-k t))                         ln A, ln k, logit(c / p_min)
 *
 * so qi, Di, A, k > 0, b in (0, MODEL_B_MAX) and the floor c in (0, p_min)
 * (p_min: the lowest price in the fit) hold by construction.  The natural
 * parameters' covariance is the delta method J_g C J_g^T of theta's.
 *
 * Prediction intervals (level 80% and 95%):
 *   regression models: var = g(t)^T C g(t) + s^2 on the ln scale, where
 *     g = du/dtheta (delta method), C the covariance of theta scaled by
 *     s^2 = RSS/(n - p), with a t quantile on n - p degrees of freedom;
 *     for loglinear this is exactly the OLS prediction interval (TV4);
 *   rwdrift: var = sigma^2 (tau + tau^2 / T) (Farmer & Lafond, theta = 0:
 *     tau years ahead of the last point, drift estimated over T years;
 *     with yearly steps T = m and this is TV13's tau + tau^2/m), t quantile
 *     on m - 1 degrees of freedom (m = n - 1 increments).
 * The bounds are exponentiated at the endpoints: the centre is the median.
 *
 * Nothing here returns NaN or inf: an unavailable value has a status.
 */
#ifndef TT_MODEL_H
#define TT_MODEL_H

#include <stddef.h>

#include "tokentrend/err.h"
#include "tokentrend/fit.h"

#define MODEL_B_MAX 2.0      /* Arps b in (0, 2] as aRpsDCA bounds it */
#define MODEL_MAX_PAR 3

/* Decline models the forecast chooses from (FIT_MODEL_NAIVE is the baseline). */
#define MODEL_N_CANDIDATES 5
extern const enum fit_model model_candidates[MODEL_N_CANDIDATES];

/* Mean-function parameters of a model (2 or 3; naive 0; rwdrift 1). */
size_t model_n_params(enum fit_model m);

/* Smallest training size for a fit with intervals: 3 for loglinear and
 * rwdrift, p + 2 for the nonlinear models (FORECASTING.md section 6). */
size_t model_min_train(enum fit_model m);

struct model_fit {
	enum fit_model model;
	enum fit_status status;   /* FIT_OK, FIT_NO_INTERVAL, FIT_TWO_POINTS (loglinear/rwdrift
	                           * with 2 points: a rate, no interval) or FIT_INSUFFICIENT */
	size_t n;                 /* priced points used */
	size_t n_zero;            /* zero prices excluded */
	size_t p;                 /* mean-function parameters */
	double t_first, t_last;   /* years */
	double p_last;            /* last priced observation */
	double p_min;             /* lowest priced observation */
	double u_last;            /* ln p_last */

	double theta[MODEL_MAX_PAR];               /* unconstrained parameters */
	double cov[MODEL_MAX_PAR * MODEL_MAX_PAR]; /* their covariance (0 when !has_cov) */
	int has_cov;
	double par[MODEL_MAX_PAR];                 /* natural parameters (see par_name) */
	double par_se[MODEL_MAX_PAR];              /* delta-method standard errors (0 when !has_cov) */
	const char *par_name[MODEL_MAX_PAR];       /* "qi", "Di", "b", "c0", "c1", "mu", "p0", "k", "floor" */

	double rss;               /* residual sum of squares on ln price (rwdrift: scaled increments) */
	double s2;                /* residual variance (ln scale); rwdrift: sigma^2 per year */
	double dof;               /* for the t quantile (0 when no interval) */
	double T;                 /* rwdrift: years the drift is estimated over */
	double q80;               /* cached t quantile of the 80% interval (0 when no interval) */

	int has_aicc;
	double aicc;              /* n ln(RSS/n) + 2k + 2k(k+1)/(n-k-1), k = p + 1 */
	int aicc_comparable;      /* 1 on the ln-price levels; 0 for rwdrift (its likelihood is on increments) */

	int has_interval;         /* status == FIT_OK */
	int poorly_identified;    /* b or the floor at a bound or with a CI that includes 0 */
	int converged;            /* nonlinear: the solver converged (always 1 for closed forms) */
	int gsl_status, gsl_info;
	size_t iters;
	char reason[320];         /* why no fit / no interval / poorly identified; notes; or "" */
};

/*
 * Fit model m to the priced points (t years, price >= 0, any order for the
 * closed forms; time order for rwdrift and the backtest).  Zero prices are
 * excluded (counted in n_zero).  Too few points is a status, not an error:
 * status FIT_INSUFFICIENT with reason "not enough points (2) for a
 * 3-parameter model" (checked before any GSL allocation).  Returns 0,
 * TT_EINVAL (negative or non-finite input) or TT_ENOMEM.
 */
int model_fit(enum fit_model m, const double *t, const double *price, size_t n,
	      struct model_fit *out, struct tt_error *err);

/* ln-price mean u(t) and, when grad != NULL, du/dtheta at t. */
double model_log_mean(const struct model_fit *f, const double *theta, double t, double *grad);

/*
 * Median and level prediction interval at t (t >= t_last for rwdrift).
 * Returns 0; TT_EINVAL (no fit, bad level) or TT_ERANGE (the value would
 * overflow a double; nothing set to inf).  With no interval, lo = hi = median.
 */
int model_band(const struct model_fit *f, double t, double level, struct fit_band *out,
	       struct tt_error *err);

/*
 * Years t (absolute) when the median reaches price target, searched after
 * t_from.  Returns FIT_CROSS_DATE (sets *t), FIT_CROSS_NEVER (flat or
 * rising), FIT_CROSS_NEVER_FLOOR (the floor is at or above target) or
 * FIT_CROSS_BEYOND_HORIZON (not before t_to).  Already-below is the
 * caller's test (it compares the last observation).
 */
enum fit_cross_status model_median_time_to(const struct model_fit *f, double target,
					   double t_from, double t_to, double *t);

/*
 * Crossing of target by the median and by the bounds of the level interval
 * between t_from and t_to (daily scan, then bisection), like
 * fit_loglinear_crossing().  Returns 0 or TT_EINVAL.
 */
int model_crossing(const struct model_fit *f, double target, double t_from, double t_to,
		   double level, struct fit_crossing *out, struct tt_error *err);

/* Derived answers at the last observation, each with a two-sided interval. */
struct model_derived {
	int has_factor;
	double factor_per_year;       /* median m(t_last) / m(t_last + 1 yr): 11.8 = "falls 11.8x/yr" */
	int has_factor_ci;
	double factor_lo, factor_hi;  /* level CI (delta method on the ln ratio) */
	double rate_per_year;         /* ln factor: > 0 declining, < 0 rising, 0 flat */
	int has_half_life;
	double half_life_days;        /* from the last observation until the median halves */
	int has_half_life_ci;
	double half_life_lo, half_life_hi;
	char half_life_reason[160];   /* why no half-life or no CI; "" */
};

/* Compute the derived answers with level CIs (0.90 is Epoch's). */
void model_derive(const struct model_fit *f, double level, struct model_derived *out);

/* ---- backtests ---- */

/*
 * Rolling (expanding) origin backtest of model m on priced points in time
 * order: for k = max(min_train, model_min_train(m)) .. n-1, fit on the
 * first k points and forecast point k, against the naive last price.
 * Scores in out: MAE of log10 errors (and naive's on the same origins),
 * MASE (MAE of log10 errors over the in-sample MAE of the one-step naive
 * forecast of log10 price on the whole series), 80% coverage and the mean
 * 80% Winkler score on log10 price.  Zero prices are skipped.  Too few
 * points: has_scores 0 and a reason.  Returns 0, TT_EINVAL or TT_ENOMEM;
 * free with fit_backtest_release().
 */
int model_backtest(enum fit_model m, const double *t, const double *price, size_t n,
		   size_t min_train, struct fit_backtest *out, struct tt_error *err);

/* ---- metrics (TV11) ---- */

/* Mean absolute error; 0 for n == 0. */
double metric_mae(const double *actual, const double *forecast, size_t n);
/* Mean absolute percentage error in percent; returns -1 when an actual is 0. */
double metric_mape(const double *actual, const double *forecast, size_t n);
/* In-sample MAE of the one-step naive forecast of train; -1 when ntrain < 2. */
double metric_naive_scale(const double *train, size_t ntrain);
/* MASE = MAE / naive scale; -1 when the scale is 0 or undefined. */
double metric_mase(const double *actual, const double *forecast, size_t n, const double *train,
		   size_t ntrain);
/* Winkler score of [lo, hi] at level 1 - alpha for observation y. */
double metric_winkler(double lo, double hi, double y, double alpha);
/* Quantile (pinball) score at probability p: 2(1-p)(f-y) if y < f else 2p(y-f). */
double metric_quantile_score(double f, double y, double p);

/* ---- closed forms (TV1, TV3, TV7) ---- */

/* Factor per year from a ratio over a span: F^(1/years) (TV3). */
double model_annualise(double ratio, double years);
/* Arps hyperbolic q(t) = qi (1 + b Di t)^(-1/b); exponential at b -> 0, harmonic at b = 1. */
double model_arps_rate(double qi, double di, double b, double t);
/* Time for an Arps curve to reach q (closed form); -1 when q >= qi. */
double model_arps_time_to(double qi, double di, double b, double q);
/* Instantaneous decline D(t) = Di / (1 + b Di t). */
double model_arps_decline(double di, double b, double t);

/* AICc of a least-squares fit: n ln(rss/n) + 2k + 2k(k+1)/(n-k-1), minus
 * 2 sum_ln_y when the fit was on raw prices (Jacobian to the ln scale;
 * pass 0 for a fit on ln price).  Returns 0 and sets *aicc, or -1 when
 * n - k - 1 < 1 or rss <= 0. */
int model_aicc(double rss, size_t n, size_t k, double sum_ln_y, double *aicc);

/* ---- an exponential fitted on raw prices (case 19) ---- */

struct model_expfit {
	double a, b;           /* price = a e^(-b (t - t_first)), b per unit of the caller's t */
	double se_a, se_b;     /* scaled by SSR/(n-2): the unweighted fit's real uncertainty */
	double ssr;            /* sum of squared raw-price residuals */
	double half_life;      /* ln2 / b in the caller's time unit (0 when b <= 0) */
	int has_aicc;
	double aicc_log;       /* AICc moved to the ln-price scale with the Jacobian term */
	int converged, has_cov;
	size_t n, iters;
	char reason[200];
};

/*
 * Fit price = a e^(-b (t - t_first)) to raw prices by unweighted NLS
 * (gsl_multifit_nlinear, a = e^theta0, b = e^theta1 / span).  t may be in
 * any unit (days, Unix seconds): it is rescaled internally to [0, 1] over
 * its span, so seconds and days give the same half-life in their units.
 * start (a, b in the caller's unit) may be NULL (then from the first and
 * last points).  Too few points (n <= 2) is a status (reason, converged 0),
 * checked before any allocation.  Returns 0, TT_EINVAL or TT_ENOMEM.
 */
int model_fit_exp_raw(const double *t, const double *price, size_t n, const double *start,
		      struct model_expfit *out, struct tt_error *err);

#endif /* TT_MODEL_H */
