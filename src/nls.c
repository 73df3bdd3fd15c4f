/*
 * nls.c - gsl_multifit_nlinear wrapped with its pitfalls handled (n > p
 * before allocation, error handler off, status AND info, covariance
 * scaling, singular covariance, non-finite results).  See nls.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/nls.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include "tokentrend/fit.h"

static int nls_f(const gsl_vector *x, void *params, gsl_vector *f)
{
	const struct nls_problem *pr = params;
	size_t i;
	double v;

	for (i = 0; i < pr->n; i++) {
		pr->model(x->data, pr->t[i], pr->ctx, &v, NULL);
		v -= pr->y[i]; /* GSL applies sqrt(w_i) itself after winit */
		if (!isfinite(v))
			return GSL_EDOM;
		gsl_vector_set(f, i, v);
	}
	return GSL_SUCCESS;
}

static int nls_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
	const struct nls_problem *pr = params;
	double g[NLS_MAX_P], v;
	size_t i, j;

	for (i = 0; i < pr->n; i++) {
		pr->model(x->data, pr->t[i], pr->ctx, &v, g);
		for (j = 0; j < pr->p; j++) {
			if (!isfinite(g[j]))
				return GSL_EDOM;
			gsl_matrix_set(J, i, j, g[j]); /* GSL weights the rows after winit */
		}
	}
	return GSL_SUCCESS;
}

double nls_check_gradient(const struct nls_problem *pr, const double *theta)
{
	double th[NLS_MAX_P], g[NLS_MAX_P], v, vp, vm, h, fd, worst = 0.0, d;
	size_t i, j;

	for (i = 0; i < pr->n; i++) {
		memcpy(th, theta, pr->p * sizeof(*th));
		pr->model(th, pr->t[i], pr->ctx, &v, g);
		for (j = 0; j < pr->p; j++) {
			h = 1e-6 * (1.0 + fabs(theta[j]));
			th[j] = theta[j] + h;
			pr->model(th, pr->t[i], pr->ctx, &vp, NULL);
			th[j] = theta[j] - h;
			pr->model(th, pr->t[i], pr->ctx, &vm, NULL);
			th[j] = theta[j];
			fd = (vp - vm) / (2.0 * h);
			d = fabs(fd - g[j]) / (1e-4 + fabs(fd) + fabs(g[j]));
			if (d > worst)
				worst = d;
		}
	}
	return worst;
}

/* Scaled gradient test at the current point: max_j |g_j| max(|x_j|, 1) <= tol max(chi2, 1). */
static int nls_stationary(gsl_multifit_nlinear_workspace *w, size_t p, double chi2, double tol)
{
	const gsl_matrix *J = gsl_multifit_nlinear_jac(w);
	const gsl_vector *f = gsl_multifit_nlinear_residual(w);
	const gsl_vector *x = gsl_multifit_nlinear_position(w);
	double gbuf[NLS_MAX_P], worst = 0.0, v;
	gsl_vector_view g = gsl_vector_view_array(gbuf, p);
	size_t j;

	if (gsl_blas_dgemv(CblasTrans, 1.0, J, f, 0.0, &g.vector) != GSL_SUCCESS)
		return 0;
	for (j = 0; j < p; j++) {
		v = fabs(gbuf[j]) * fmax(fabs(gsl_vector_get(x, j)), 1.0);
		if (!isfinite(v))
			return 0;
		if (v > worst)
			worst = v;
	}
	return worst <= tol * fmax(chi2, 1.0);
}

int nls_fit(const struct nls_problem *pr, const double *theta0, struct nls_result *out,
	    struct tt_error *err)
{
	gsl_multifit_nlinear_workspace *w = NULL;
	gsl_multifit_nlinear_parameters params;
	gsl_multifit_nlinear_fdf fdf;
	gsl_matrix *covar = NULL;
	const gsl_vector *f, *x;
	size_t i, j, p, n;
	double chi2, scale;
	int rc = TT_EINVAL, g, info = 0;

	fit_init();
	memset(out, 0, sizeof(*out));
	if (!pr || !pr->model || !theta0 || pr->p < 1 || pr->p > NLS_MAX_P)
		return tt_set_error(err, TT_EINVAL, "nls: malformed problem (p = %zu, at most %d)",
				    pr ? pr->p : 0, NLS_MAX_P);
	n = pr->n;
	p = pr->p;
	/* n > p before anything is allocated: GSL needs n >= p, and the
	 * covariance needs at least one degree of freedom. */
	if (n <= p)
		return tt_set_error(err, TT_EINVAL, "not enough points (%zu) for a %zu-parameter model",
				    n, p);
	if (!pr->t || !pr->y)
		return tt_set_error(err, TT_EINVAL, "nls: NULL data for %zu points", n);
	for (i = 0; i < n; i++) {
		if (!isfinite(pr->t[i]) || !isfinite(pr->y[i]))
			return tt_set_error(err, TT_EINVAL, "nls: point %zu is not finite", i);
		if (pr->w && !(pr->w[i] > 0.0 && isfinite(pr->w[i])))
			return tt_set_error(err, TT_EINVAL, "nls: weight %zu is %g (must be > 0)", i,
					    pr->w[i]);
	}
	for (j = 0; j < p; j++)
		if (!isfinite(theta0[j]))
			return tt_set_error(err, TT_EINVAL, "nls: start value %zu is not finite", j);
	out->dof = (double)(n - p);

	params = gsl_multifit_nlinear_default_parameters();
	memset(&fdf, 0, sizeof(fdf));
	fdf.f = nls_f;
	fdf.df = pr->analytic ? nls_df : NULL; /* NULL: forward differences, step sqrt(DBL_EPSILON) */
	fdf.fvv = NULL;
	fdf.n = n;
	fdf.p = p;
	fdf.params = (void *)(uintptr_t)pr;

	w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n, p);
	covar = gsl_matrix_alloc(p, p);
	if (!w || !covar) {
		rc = tt_set_error(err, TT_ENOMEM, "nls: out of memory for %zu points", n);
		goto out;
	}
	{
		gsl_vector_const_view x0 = gsl_vector_const_view_array(theta0, p);

		if (pr->w) {
			gsl_vector_const_view wts = gsl_vector_const_view_array(pr->w, n);

			g = gsl_multifit_nlinear_winit(&x0.vector, &wts.vector, &fdf, w);
		} else {
			g = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
		}
	}
	if (g != GSL_SUCCESS) {
		rc = tt_set_error(err, TT_EFAIL, "nls: the model cannot be evaluated at the start (%s)",
				  gsl_strerror(g));
		goto out;
	}
	g = gsl_multifit_nlinear_driver(pr->maxiter ? pr->maxiter : 200,
					pr->xtol > 0 ? pr->xtol : 1e-10, pr->gtol > 0 ? pr->gtol : 1e-10,
					0.0, NULL, NULL, &info, w);
	out->gsl_status = g;
	out->gsl_info = info;
	out->iters = gsl_multifit_nlinear_niter(w);
	f = gsl_multifit_nlinear_residual(w);
	x = gsl_multifit_nlinear_position(w);
	if (gsl_blas_ddot(f, f, &chi2) != GSL_SUCCESS || !isfinite(chi2)) {
		rc = tt_set_error(err, TT_EFAIL, "nls: the residuals are not finite (%s)",
				  gsl_strerror(g));
		goto out;
	}
	out->chi2 = chi2;
	for (j = 0; j < p; j++) {
		out->theta[j] = gsl_vector_get(x, j);
		if (!isfinite(out->theta[j])) {
			rc = tt_set_error(err, TT_EFAIL, "nls: parameter %zu is not finite", j);
			goto out;
		}
	}
	if (g == GSL_SUCCESS) {
		out->converged = 1;
	} else if ((g == GSL_EMAXITER || g == GSL_ENOPROG) && (info == GSL_ENOPROG || g == GSL_ENOPROG)) {
		/* TV12: no progress, typically because the start is already the
		 * optimum.  Accept it only when the gradient says so. */
		out->converged = nls_stationary(w, p, chi2, 1e-8);
		snprintf(out->reason, sizeof(out->reason),
			 "the solver made no progress (status %s, info %d)%s", gsl_strerror(g), info,
			 out->converged ? " at a stationary point: accepted" : "");
	} else if (g == GSL_EMAXITER) {
		out->converged = nls_stationary(w, p, chi2, 1e-6);
		snprintf(out->reason, sizeof(out->reason), "no convergence in %zu iterations%s",
			 out->iters, out->converged ? " (gradient ~0: accepted)" : "");
	} else {
		snprintf(out->reason, sizeof(out->reason), "the solver stopped: %s", gsl_strerror(g));
	}
	if (gsl_multifit_nlinear_rcond(&out->rcond, w) != GSL_SUCCESS || !isfinite(out->rcond))
		out->rcond = 0.0;

	g = gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 1e-12, covar);
	scale = 1.0;
	if (pr->cov_mode == NLS_COV_SCALED)
		scale = chi2 / out->dof;
	else if (pr->cov_mode == NLS_COV_INFLATED)
		scale = fmax(1.0, chi2 / out->dof);
	out->has_cov = g == GSL_SUCCESS;
	for (i = 0; i < p && out->has_cov; i++) {
		for (j = 0; j < p; j++) {
			double c = gsl_matrix_get(covar, i, j) * scale;

			if (!isfinite(c)) {
				out->has_cov = 0;
				break;
			}
			out->cov[i * p + j] = c;
		}
		/* GSL zeroes the rows/columns of dependent parameters. */
		if (out->has_cov && !(gsl_matrix_get(covar, i, i) > 0.0))
			out->has_cov = 0;
	}
	if (!out->has_cov) {
		memset(out->cov, 0, sizeof(out->cov));
		if (!out->reason[0])
			snprintf(out->reason, sizeof(out->reason),
				 "singular covariance: the parameters are not identified by these data");
	}
	rc = 0;
out:
	gsl_multifit_nlinear_free(w);
	gsl_matrix_free(covar);
	return rc;
}
