/*
 * nls.h - nonlinear least squares with gsl_multifit_nlinear, used the way
 * FORECASTING.md section 4 says it must be.
 *
 * The caller gives a model function y(t; theta) of p <= NLS_MAX_P
 * parameters (and, optionally, its gradient), n data points and a start.
 * The residuals are f_i = y(t_i; theta) - y_i (times sqrt(w_i) when
 * weighted).  The engine:
 *   - checks n > p BEFORE allocating the GSL workspace (GSL requires
 *     n >= p, and covariance needs n - p >= 1 degrees of freedom);
 *   - runs with gsl_set_error_handler_off() (the default handler aborts);
 *   - inspects both the driver's status and its info: the driver can
 *     return GSL_EMAXITER with info = GSL_ENOPROG (27) when the very first
 *     step makes no progress, e.g. when started exactly at the optimum of
 *     noise-free data (TV12); that result is accepted only when the
 *     scaled gradient is ~0 there;
 *   - scales the covariance (J^T J)^-1 by s^2 = chi2/(n - p) for an
 *     unweighted fit (the classic bug: DanWood's s.e. are 0.5565 unscaled,
 *     0.018282 scaled), or by max(1, chi2/(n - p)) for a weighted fit
 *     (GSL's own example), as the caller asks;
 *   - never hands out NaN or inf: a non-finite result is a failed fit, and
 *     a singular covariance (GSL zeroes dependent columns) is reported as
 *     has_cov = 0 with a reason, not as zero or infinite uncertainty.
 *
 * Reparameterisation (positive rates, bounded b or floor) is the model's
 * business: it maps an unconstrained theta to its natural parameters, so
 * the solver never leaves the valid region (model.c).
 */
#ifndef TT_NLS_H
#define TT_NLS_H

#include <stddef.h>

#include "tokentrend/err.h"

#define NLS_MAX_P 4

/* Model value at t and, when grad != NULL, d value / d theta_j (p entries). */
typedef void (*nls_model_fn)(const double *theta, double t, const void *ctx, double *val,
			     double *grad);

enum nls_cov_mode {
	NLS_COV_SCALED = 0, /* unweighted: (J^T J)^-1 * chi2/(n-p) */
	NLS_COV_INFLATED,   /* weighted: (J^T W J)^-1 * max(1, chi2/(n-p)) (GSL's example, TV9) */
	NLS_COV_RAW,        /* (J^T W J)^-1 as GSL returns it (weights are exact variances) */
};

struct nls_problem {
	size_t n, p;            /* points and parameters (1 <= p <= NLS_MAX_P) */
	const double *t, *y;    /* n abscissae and observations (finite) */
	const double *w;        /* n weights 1/sigma_i^2 (> 0), or NULL for an unweighted fit */
	nls_model_fn model;
	const void *ctx;        /* passed to model */
	int analytic;           /* 1: Jacobian from model's grad; 0: df = NULL (GSL forward differences) */
	enum nls_cov_mode cov_mode;
	size_t maxiter;         /* 0: 200 */
	double xtol, gtol;      /* 0: 1e-10 and 1e-10 */
};

struct nls_result {
	double theta[NLS_MAX_P];            /* the solution (or the last iterate) */
	double cov[NLS_MAX_P * NLS_MAX_P];  /* row-major p x p, scaled per cov_mode; 0 when !has_cov */
	double chi2;                        /* ||f||^2 (weighted residuals when weighted) */
	double dof;                         /* n - p */
	size_t iters;
	int gsl_status;                     /* the driver's return value */
	int gsl_info;                       /* its info: 1 small step, 2 small gradient, 27 no progress */
	int converged;                      /* 1: SUCCESS, or no progress at a stationary point */
	int has_cov;                        /* 1: covariance finite and non-singular */
	double rcond;                       /* reciprocal condition number of J (0 when unknown) */
	char reason[200];                   /* why not converged / no covariance / notes; "" when none */
};

/*
 * Fit pr from theta0 (p values).  Returns 0 when the solver ran (read
 * out->converged and out->has_cov), TT_EINVAL when the problem is malformed
 * or has too few points (err: "not enough points (2) for a 3-parameter
 * model"; nothing is allocated), TT_ENOMEM, or TT_EFAIL when GSL fails
 * outright or the result is not finite (err says which).
 */
int nls_fit(const struct nls_problem *pr, const double *theta0, struct nls_result *out,
	    struct tt_error *err);

/*
 * Largest relative difference between the model's analytic gradient and a
 * central finite difference over every point (a development check of a
 * Jacobian, used by the tests).  Returns it (>= 0).
 */
double nls_check_gradient(const struct nls_problem *pr, const double *theta);

#endif /* TT_NLS_H */
