/*
 * fit.h - decline models fitted with GSL, their intervals, crossings and
 * rolling-origin backtests.
 *
 * Time is in YEARS since a reference point chosen by the caller (forecast.c
 * uses the first priced point and 365.25 days per year; the Epoch test
 * vector uses 365).  Keeping t in years keeps the parameters O(1) and
 * cov00 well conditioned (FORECASTING.md section 4).  Prices are doubles
 * here: these are model inputs and forecasts; stored money stays integer.
 *
 * Models.  This file fits the log-linear model (exponential decay,
 * p = e^(c0 + c1 t)) in closed form; enum fit_model names every model the
 * selection layer knows, and model.h fits the others (random walk with
 * drift, Arps harmonic and hyperbolic, exponential decay to a floor).  The
 * naive model ("the price stays at its last value") is the backtest
 * baseline every model must beat.
 *
 * Degenerate input never yields NaN or inf: zero prices are excluded from
 * the log fit and counted (fit.n_zero), a flat series gives rate 0 with the
 * uncertainty marked unavailable, and too few points give a status, not an
 * error.  Every double this module hands out is finite.
 *
 * fit_init() must run once before any fit (it turns GSL's aborting error
 * handler off); the fit functions call it themselves, so a caller only needs
 * it when it uses GSL directly.
 */
#ifndef TT_FIT_H
#define TT_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"

#define FIT_DAYS_PER_YEAR 365.25

/* Points needed for a fit with prediction intervals (n - 2 degrees of freedom). */
#define FIT_MIN_POINTS_INTERVAL 3

/* The models the selection layer knows. */
enum fit_model {
	FIT_MODEL_LOGLINEAR = 0, /* ln p = c0 + c1 t, OLS, t-based prediction intervals */
	FIT_MODEL_NAIVE,         /* p stays at its last observed value (baseline) */
	FIT_MODEL_RWDRIFT,       /* random walk with drift on ln p (model.h) */
	FIT_MODEL_HARMONIC,      /* Arps harmonic qi / (1 + Di t) */
	FIT_MODEL_HYPERBOLIC,    /* Arps hyperbolic qi (1 + b Di t)^(-1/b) */
	FIT_MODEL_EXPFLOOR,      /* exponential decay to a floor c + A e^(-k t) */
};

#define FIT_MODEL_COUNT 6

/* Stable lowercase name ("loglinear", "naive", "rwdrift", "harmonic",
 * "hyperbolic", "expfloor"); never NULL. */
const char *fit_model_name(enum fit_model m);

enum fit_status {
	FIT_OK = 0,        /* n >= 3, residual variance > 0: rate and intervals */
	FIT_NO_INTERVAL,   /* n >= 3 but the points lie exactly on a line (flat series or
	                    * noise-free data): rate known, uncertainty unavailable */
	FIT_TWO_POINTS,    /* n == 2: the two-point rate, no interval (0 degrees of freedom) */
	FIT_INSUFFICIENT,  /* fewer than 2 priced points, or all on one date: no fit */
};

/* Stable name: "ok", "no_interval", "two_points", "insufficient_data". */
const char *fit_status_name(enum fit_status s);

/* A fitted log-linear model.  All doubles are finite.  Plain value: no release. */
struct fit_loglinear {
	enum fit_status status;
	size_t n_in;       /* points given */
	size_t n;          /* points used in the fit (price > 0) */
	size_t n_zero;     /* zero prices excluded from the log fit */
	double t_first;    /* first and last t used (years) */
	double t_last;
	double p_last;     /* last priced (non-zero) observation */
	double c0, c1;     /* ln p = c0 + c1 t (c1 per year); 0 when status is INSUFFICIENT */
	double cov00, cov01, cov11; /* gsl_fit_linear covariance (0 unless FIT_OK/NO_INTERVAL) */
	double sumsq;      /* residual sum of squares (ln scale) */
	double s2;         /* residual variance sumsq/(n-2); 0 when n < 3 */
	double r2;         /* coefficient of determination; 0 when undefined */
	double k;          /* decline rate -c1 per year (0 for flat, negative when rising) */
	int has_interval;  /* 1 when status == FIT_OK */
	char reason[256];  /* why there is no interval / no fit, or warnings; "" when none */
};

/*
 * Fit ln(price) = c0 + c1 t by OLS with gsl_fit_linear.
 *   t, price  [in] n times (years, ascending not required) and prices (>= 0).
 *             Zero prices are skipped (counted in out->n_zero, noted in
 *             out->reason).  A negative or non-finite value is an error.
 *   out       [out] the fit; its status says what is available.
 * Returns 0 (whatever the status), TT_EINVAL (bad input: err names the
 * index and value) or TT_EFAIL (GSL reported an error).
 */
int fit_loglinear(const double *t, const double *price, size_t n, struct fit_loglinear *out,
		  struct tt_error *err);

/* Decline factor per year e^k = e^(-c1): 7/3 means "falls 2.33x per year"; 1 when flat. */
double fit_loglinear_factor_per_year(const struct fit_loglinear *f);

/*
 * Half-life in days (ln2/k years x 365.25).  Returns 1 and sets *days when the
 * series declines (k > 0), else 0 (no half-life: flat or rising).
 */
int fit_loglinear_half_life_days(const struct fit_loglinear *f, double *days);

/*
 * Two-sided confidence interval of the factor per year at level (0.90 for
 * Epoch's convention): e^-(c1 +- t_{(1+level)/2, n-2} se(c1)).  Returns 1
 * and sets *lo, *hi when available (FIT_OK), else 0.
 */
int fit_loglinear_factor_ci(const struct fit_loglinear *f, double level, double *lo, double *hi);

enum fit_band_kind {
	FIT_BAND_PREDICTION = 0, /* where a future observation falls: se = sqrt(y_err^2 + s^2) */
	FIT_BAND_MEAN,           /* where the fitted mean line is: se = y_err (NOT a forecast interval) */
};

/* The fitted median and an interval at one time, back-transformed at the endpoints. */
struct fit_band {
	double t;          /* years */
	double median;     /* e^(c0 + c1 t): the median price, not the mean */
	double lo, hi;     /* interval endpoints; equal to median when has_interval is 0 */
	double se_log;     /* standard error on the ln scale (0 when no interval) */
	int has_interval;
};

/*
 * Median and level interval (e.g. 0.80, 0.95) at time t, using
 * gsl_fit_linear_est and gsl_cdf_tdist_Pinv(1 - alpha/2, n - 2).
 * Returns 0, TT_EINVAL (no fit, or level not in (0,1)) or TT_ERANGE (the
 * value overflows a double at this t; nothing is set to inf).
 */
int fit_loglinear_band(const struct fit_loglinear *f, double t, double level,
		       enum fit_band_kind kind, struct fit_band *out, struct tt_error *err);

/* Lower-tail t quantile gsl_cdf_tdist_Pinv(p, nu); returns 0, or TT_EINVAL
 * when p is not in (0,1), nu < 1 or GSL fails. */
int fit_tquantile(double p, double nu, double *q);

enum fit_cross_status {
	FIT_CROSS_DATE = 0,       /* crosses at t */
	FIT_CROSS_ALREADY_BELOW,  /* the last observed price is already at or below the target */
	FIT_CROSS_BEYOND_HORIZON, /* would cross, but not before t_to */
	FIT_CROSS_NEVER,          /* never: rising or flat series (median) */
	FIT_CROSS_UNAVAILABLE,    /* no interval to cross (bounds only) */
	FIT_CROSS_NEVER_FLOOR,    /* never: the fitted floor is at or above the target */
};

/* Stable name: "date", "already_below", "not_within_horizon", "never", "unavailable",
 * "never_floor". */
const char *fit_cross_status_name(enum fit_cross_status s);

struct fit_crossing {
	enum fit_cross_status median_status;
	double median_t;               /* years, when median_status == FIT_CROSS_DATE */
	enum fit_cross_status early_status; /* lower bound of the interval: the earliest plausible date */
	double early_t;
	enum fit_cross_status late_status;  /* upper bound: the latest plausible date */
	double late_t;
};

/*
 * When does the price reach target?  The median line e^(c0+c1 t) is solved in
 * closed form; the lower and upper bounds of the level prediction interval
 * are scanned from t_from to t_to and refined by bisection.  "Already below"
 * compares the last observed price (f->p_last) with target.  A median
 * crossing that the fitted line placed before t_from is reported at t_from.
 * This is model_crossing() (model.h) on the fit: when the median never gets
 * there (flat or rising), neither does the upper bound.
 * Returns 0 or TT_EINVAL (no fit, target <= 0 or not finite, t_to < t_from).
 */
int fit_loglinear_crossing(const struct fit_loglinear *f, double target, double t_from,
			   double t_to, double level, struct fit_crossing *out,
			   struct tt_error *err);

/* One origin of a rolling-origin backtest: fit on points [0, k), forecast point k. */
struct fit_backtest_origin {
	size_t k;              /* training size */
	double t;              /* time of the forecast point (years) */
	double actual;         /* observed price at t */
	double forecast;       /* model median at t */
	double err_log10;      /* log10(actual / forecast) */
	double naive;          /* last training price */
	double naive_err_log10;/* log10(actual / naive) */
	double lo80, hi80;     /* 80% prediction interval (= forecast when has_interval is 0) */
	int has_interval;
	int covered;           /* lo80 <= actual <= hi80 */
	double factor_per_year;/* factor/yr of the fit at this origin */
};

struct fit_backtest {
	enum fit_model model;
	size_t n_origins;
	struct fit_backtest_origin *origins; /* n_origins items, owned */
	double mae_log10;        /* mean |err_log10| of the model */
	double naive_mae_log10;  /* mean |naive_err_log10| */
	size_t n_interval;       /* origins that had an interval */
	size_t n_covered;        /* of which the actual fell inside the 80% interval */
	double coverage80;       /* n_covered / n_interval (0 when n_interval is 0) */
	int has_scores;          /* 1 when n_origins > 0 */
	char reason[160];        /* why there are no scores; "" otherwise */
	/* Filled by model_backtest() (model.h), which fit_backtest_loglinear() runs. */
	int has_mase;
	double mase;             /* mae_log10 / in-sample MAE of one-step naive on log10 price */
	size_t n_winkler;        /* origins with an interval */
	double winkler80;        /* mean 80% Winkler score on log10 price */
	size_t n_unconverged;    /* origins whose nonlinear fit did not converge (best iterate used) */
	size_t n_skipped;        /* origins that could not be fitted */
};

#define FIT_BACKTEST_INIT { FIT_MODEL_LOGLINEAR, 0, NULL, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0, 0, 0 }

/*
 * Rolling (expanding) origin backtest of the log-linear model on priced
 * points in time order: for k = min_train .. n-1, fit on the first k and
 * forecast point k (one step ahead), against the naive last-price forecast.
 * This is model_backtest(FIT_MODEL_LOGLINEAR, ...): it fills the MASE and
 * Winkler scores too.
 * Zero prices are skipped.  min_train < 3 is raised to 3.  Too few points
 * is not an error: has_scores = 0 and reason says how many were needed.
 * Returns 0, TT_EINVAL or TT_ENOMEM.  Free with fit_backtest_release().
 */
int fit_backtest_loglinear(const double *t, const double *price, size_t n, size_t min_train,
			   struct fit_backtest *out, struct tt_error *err);

/* Free the origins; the struct is left empty.  NULL is a no-op. */
void fit_backtest_release(struct fit_backtest *b);

/*
 * Append a sentence to a status message such as fit_loglinear.reason,
 * model_fit.reason or forecast.reason, "; "-separated from what dst
 * already holds.  dst is a NUL-terminated buffer of size bytes; a sentence
 * that does not fit is cut (or dropped when fewer than 3 bytes are left).
 */
void fit_note_add(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Turn GSL's aborting error handler off (idempotent).  Always returns 0. */
int fit_init(void);

#endif /* TT_FIT_H */
