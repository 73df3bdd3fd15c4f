/*
 * model.c - the candidate decline models on ln price (loglinear, random
 * walk with drift, Arps harmonic and hyperbolic, exponential decay to a
 * floor): fits, delta-method prediction intervals, crossing times, derived
 * answers, rolling-origin backtests and the metrics that score them.
 * See model.h for the parameterisations and the interval formulas.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/model.h"

#include <float.h>

#include "model_int.h"
#include "tokentrend/nls.h"

#define MODEL_LOG_MAX 700.0
#define MODEL_DAYS FIT_DAYS_PER_YEAR

const enum fit_model model_candidates[MODEL_N_CANDIDATES] = {
	FIT_MODEL_LOGLINEAR, FIT_MODEL_RWDRIFT, FIT_MODEL_HARMONIC, FIT_MODEL_HYPERBOLIC,
	FIT_MODEL_EXPFLOOR,
};

size_t model_n_params(enum fit_model m)
{
	switch (m) {
	case FIT_MODEL_LOGLINEAR: return 2;
	case FIT_MODEL_NAIVE: return 0;
	case FIT_MODEL_RWDRIFT: return 1;
	case FIT_MODEL_HARMONIC: return 2;
	case FIT_MODEL_HYPERBOLIC: return 3;
	case FIT_MODEL_EXPFLOOR: return 3;
	}
	return 0;
}

size_t model_min_train(enum fit_model m)
{
	switch (m) {
	case FIT_MODEL_NAIVE: return 1;
	case FIT_MODEL_LOGLINEAR:
	case FIT_MODEL_RWDRIFT: return 3;
	case FIT_MODEL_HARMONIC:
	case FIT_MODEL_HYPERBOLIC:
	case FIT_MODEL_EXPFLOOR: return model_n_params(m) + 2;
	}
	return 3;
}

/* ---- small helpers ---- */

static double sigmoid(double x)
{
	double e;

	if (x >= 0.0)
		return 1.0 / (1.0 + exp(-x));
	e = exp(x);
	return e / (1.0 + e);
}

static double logit(double p)
{
	return log(p / (1.0 - p));
}

static double clamp_exp(double x)
{
	if (x > MODEL_LOG_MAX)
		x = MODEL_LOG_MAX;
	if (x < -MODEL_LOG_MAX)
		x = -MODEL_LOG_MAX;
	return exp(x);
}

/* g^T C g for a p x p row-major C. */
static double quad_form(const double *g, const double *c, size_t p)
{
	double s = 0.0;
	size_t i, j;

	for (i = 0; i < p; i++)
		for (j = 0; j < p; j++)
			s += g[i] * c[i * p + j] * g[j];
	return s > 0.0 ? s : 0.0;
}

/* ---- the mean functions ---- */

double model_log_mean(const struct model_fit *f, const double *th, double t, double *grad)
{
	double d, x, b, s, u, db, e, a, k, c, m;

	switch (f->model) {
	case FIT_MODEL_LOGLINEAR:
		if (grad) {
			grad[0] = 1.0;
			grad[1] = t;
		}
		return th[0] + th[1] * t;
	case FIT_MODEL_RWDRIFT:
		if (grad)
			grad[0] = t - f->t_last;
		return f->u_last + th[0] * (t - f->t_last);
	case FIT_MODEL_HARMONIC:
		d = clamp_exp(th[1]);
		x = d * t;
		if (grad) {
			grad[0] = 1.0;
			grad[1] = -x / (1.0 + x);
		}
		return th[0] - log1p(x);
	case FIT_MODEL_HYPERBOLIC:
		d = clamp_exp(th[1]);
		s = sigmoid(th[2]);
		b = MODEL_B_MAX * s;
		x = b * d * t;
		if (b == 0.0 || x < 1e-5) {
			/* ln(1+x)/b = d t (1 - x/2 + x^2/3 - ...): no 0/0 near b = 0 */
			u = th[0] - d * t * (1.0 - x / 2.0 + x * x / 3.0);
			db = d * t * d * t * (0.5 - 2.0 * x / 3.0);
		} else {
			u = th[0] - log1p(x) / b;
			db = log1p(x) / (b * b) - d * t / (b * (1.0 + x));
		}
		if (grad) {
			grad[0] = 1.0;
			grad[1] = -d * t / (1.0 + x);
			grad[2] = db * MODEL_B_MAX * s * (1.0 - s);
		}
		return u;
	case FIT_MODEL_EXPFLOOR:
		a = clamp_exp(th[0]);
		k = clamp_exp(th[1]);
		s = sigmoid(th[2]);
		c = f->p_min * s;
		e = exp(-k * t);
		m = c + a * e;
		if (!(m > 0.0))
			m = DBL_MIN;
		if (grad) {
			grad[0] = a * e / m;
			grad[1] = -a * e * k * t / m;
			grad[2] = f->p_min * s * (1.0 - s) / m;
		}
		return log(m);
	case FIT_MODEL_NAIVE:
		break;
	}
	if (grad)
		grad[0] = 0.0;
	return f->u_last;
}

static void model_nls_fn(const double *theta, double t, const void *ctx, double *val, double *grad)
{
	*val = model_log_mean(ctx, theta, t, grad);
}

/* Natural parameters, their names and the delta-method Jacobian G (d nat / d theta). */
static void model_natural(struct model_fit *f)
{
	double G[MODEL_MAX_PAR * MODEL_MAX_PAR] = { 0 }, cn, s;
	size_t p = f->p, i, j, l, r;

	switch (f->model) {
	case FIT_MODEL_LOGLINEAR:
		f->par_name[0] = "c0";
		f->par_name[1] = "c1";
		f->par[0] = f->theta[0];
		f->par[1] = f->theta[1];
		G[0] = G[3] = 1.0;
		break;
	case FIT_MODEL_RWDRIFT:
		f->par_name[0] = "mu";
		f->par[0] = f->theta[0];
		G[0] = 1.0;
		break;
	case FIT_MODEL_HARMONIC:
		f->par_name[0] = "qi";
		f->par_name[1] = "Di";
		f->par[0] = clamp_exp(f->theta[0]);
		f->par[1] = clamp_exp(f->theta[1]);
		G[0] = f->par[0];
		G[3] = f->par[1];
		break;
	case FIT_MODEL_HYPERBOLIC:
		f->par_name[0] = "qi";
		f->par_name[1] = "Di";
		f->par_name[2] = "b";
		s = sigmoid(f->theta[2]);
		f->par[0] = clamp_exp(f->theta[0]);
		f->par[1] = clamp_exp(f->theta[1]);
		f->par[2] = MODEL_B_MAX * s;
		G[0] = f->par[0];
		G[4] = f->par[1];
		G[8] = MODEL_B_MAX * s * (1.0 - s);
		break;
	case FIT_MODEL_EXPFLOOR:
		f->par_name[0] = "p0";
		f->par_name[1] = "k";
		f->par_name[2] = "floor";
		s = sigmoid(f->theta[2]);
		f->par[2] = f->p_min * s;
		f->par[0] = clamp_exp(f->theta[0]) + f->par[2];
		f->par[1] = clamp_exp(f->theta[1]);
		G[0] = clamp_exp(f->theta[0]);
		G[2] = f->p_min * s * (1.0 - s);
		G[4] = f->par[1];
		G[8] = f->p_min * s * (1.0 - s);
		break;
	case FIT_MODEL_NAIVE:
		return;
	}
	for (i = 0; i < p; i++) {
		f->par_se[i] = 0.0;
		if (!f->has_cov)
			continue;
		cn = 0.0;
		for (l = 0; l < p; l++)
			for (r = 0; r < p; r++)
				cn += G[i * p + l] * f->cov[l * p + r] * G[i * p + r];
		f->par_se[i] = cn > 0.0 && isfinite(cn) ? sqrt(cn) : 0.0;
	}
	for (j = 0; j < p; j++)
		if (!isfinite(f->par[j]))
			f->par[j] = 0.0;
}

/* ---- fitting ---- */

struct pt {
	double t, p;
};

static int pt_cmp(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static void model_from_loglinear(struct model_fit *f, const struct fit_loglinear *ll)
{
	f->status = ll->status;
	f->theta[0] = ll->c0;
	f->theta[1] = ll->c1;
	f->has_cov = ll->has_interval;
	f->cov[0] = ll->cov00;
	f->cov[1] = f->cov[2] = ll->cov01;
	f->cov[3] = ll->cov11;
	f->rss = ll->sumsq;
	f->s2 = ll->s2;
	f->dof = ll->has_interval ? (double)(ll->n - 2) : 0.0;
	f->has_interval = ll->has_interval;
	f->converged = 1;
	snprintf(f->reason, sizeof(f->reason), "%s", ll->reason);
}

void model_fit_of_loglinear(const struct fit_loglinear *ll, struct model_fit *out)
{
	memset(out, 0, sizeof(*out));
	out->model = FIT_MODEL_LOGLINEAR;
	out->p = model_n_params(FIT_MODEL_LOGLINEAR);
	out->aicc_comparable = 1;
	out->n = ll->n;
	out->n_zero = ll->n_zero;
	out->t_first = ll->t_first;
	out->t_last = ll->t_last;
	out->p_last = ll->p_last;
	out->u_last = ll->p_last > 0.0 ? log(ll->p_last) : 0.0;
	model_from_loglinear(out, ll);
	if (ll->status != FIT_INSUFFICIENT)
		model_natural(out);
}

static int model_fit_rwdrift(struct model_fit *f, const struct pt *v, size_t n)
{
	double T, mu, ss = 0.0, d, dt, sum_ldt = 0.0, a;
	size_t i, m;

	if (n < 2) {
		fit_note_add(f->reason, sizeof(f->reason),
			     "insufficient data: %zu priced point%s; 2 are needed for a drift and 3 for intervals",
			     n, n == 1 ? "" : "s");
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (!(v[i].t > v[i - 1].t)) {
			fit_note_add(f->reason, sizeof(f->reason),
				     "insufficient data: two priced points share a date");
			return 0;
		}
	}
	T = v[n - 1].t - v[0].t;
	mu = (log(v[n - 1].p) - log(v[0].p)) / T;
	f->theta[0] = mu == 0.0 ? 0.0 : mu;
	f->T = T;
	f->converged = 1;
	if (n == 2) {
		f->status = FIT_TWO_POINTS;
		fit_note_add(f->reason, sizeof(f->reason),
			     "two priced points: a drift but no interval (3 points are needed for intervals)");
		return 0;
	}
	m = n - 1;
	for (i = 1; i < n; i++) {
		dt = v[i].t - v[i - 1].t;
		d = log(v[i].p) - log(v[i - 1].p) - mu * dt;
		ss += d * d / dt;
		sum_ldt += log(dt);
	}
	f->rss = ss;
	f->s2 = ss / (double)(m - 1);
	f->dof = (double)(m - 1);
	if (!(f->s2 > 1e-24)) {
		f->status = FIT_NO_INTERVAL;
		f->s2 = 0.0;
		f->dof = 0.0;
		fit_note_add(f->reason, sizeof(f->reason), "%s",
			     mu == 0.0 ? "flat series: no drift, and no scatter to estimate uncertainty from"
			     : "the log increments are exactly proportional to time: uncertainty unavailable");
		return 0;
	}
	f->status = FIT_OK;
	f->has_interval = 1;
	f->has_cov = 1;
	f->cov[0] = f->s2 / T;
	/* AICc of the Gaussian increments d_i ~ N(mu dt_i, sigma^2 dt_i), k = 2
	 * (mu, sigma^2): a likelihood of the n-1 increments, so it is not on
	 * the scale of the curve models' AICc. */
	if (m >= 4 && ss > 0.0) {
		a = (double)m * log(ss / (double)m) + sum_ldt + 4.0 + 12.0 / (double)(m - 3);
		if (isfinite(a)) {
			f->has_aicc = 1;
			f->aicc = a;
		}
	}
	return 0;
}

/* Start values from the log-linear fit of the same points. */
static void model_start(const struct model_fit *f, const struct pt *v, size_t n, double *th)
{
	struct fit_loglinear ll;
	double *t = NULL, *p = NULL, c0, k, lvl, c;
	size_t i;

	c0 = log(v[0].p);
	k = 0.5;
	t = malloc(n * sizeof(*t));
	p = malloc(n * sizeof(*p));
	if (t && p) {
		for (i = 0; i < n; i++) {
			t[i] = v[i].t;
			p[i] = v[i].p;
		}
		if (fit_loglinear(t, p, n, &ll, NULL) == 0 && ll.status != FIT_INSUFFICIENT) {
			c0 = ll.c0;
			k = ll.k;
		}
	}
	free(t);
	free(p);
	if (!(k > 0.05))
		k = 0.05;
	switch (f->model) {
	case FIT_MODEL_HARMONIC:
		th[0] = c0;
		th[1] = log(k);
		break;
	case FIT_MODEL_HYPERBOLIC:
		th[0] = c0;
		th[1] = log(k);
		th[2] = logit(0.5 / MODEL_B_MAX);
		break;
	case FIT_MODEL_EXPFLOOR:
		c = 0.5 * f->p_min;
		lvl = exp(c0 > MODEL_LOG_MAX ? MODEL_LOG_MAX : c0);
		th[0] = log(lvl > 2.0 * c ? lvl - c : c);
		th[1] = log(1.5 * k);
		th[2] = 0.0;
		break;
	default:
		break;
	}
}

static void model_identification(struct model_fit *f)
{
	double s;

	switch (f->model) {
	case FIT_MODEL_HARMONIC:
		if (f->par[1] < 1e-4) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "no decline: Di is at its lower bound (%.3g per year)",
				     f->par[1]);
		}
		break;
	case FIT_MODEL_HYPERBOLIC:
		s = f->par[2] / MODEL_B_MAX;
		if (f->par[1] < 1e-4) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "no decline: Di is at its lower bound (%.3g per year)",
				     f->par[1]);
		}
		if (s < 0.005 || s > 0.995) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "b = %.3g is at a bound of (0, %g]: the curvature is not identified, the simpler model is preferred",
				     f->par[2], MODEL_B_MAX);
		} else if (f->has_cov && 1.96 * f->par_se[2] >= f->par[2]) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "b = %.3g +- %.3g is poorly identified (its 95%% CI includes 0): the simpler model is preferred",
				     f->par[2], f->par_se[2]);
		}
		break;
	case FIT_MODEL_EXPFLOOR:
		s = f->par[2] / f->p_min;
		if (f->par[1] < 1e-4 || f->par[1] > 100.0) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "k = %.3g per year is at a bound: no decline, or a step to the floor",
				     f->par[1]);
		}
		if (s < 0.005 || s > 0.995) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "the floor (%.4g) is at a bound of (0, lowest price %.4g): not identified, the simpler model is preferred",
				     f->par[2], f->p_min);
		} else if (f->has_cov && 1.96 * f->par_se[2] >= f->par[2]) {
			f->poorly_identified = 1;
			fit_note_add(f->reason, sizeof(f->reason),
				     "the floor %.4g +- %.3g is poorly identified (its 95%% CI includes 0): the simpler model is preferred",
				     f->par[2], f->par_se[2]);
		}
		break;
	default:
		break;
	}
}

static int model_fit_nls(struct model_fit *f, const struct pt *v, size_t n, struct tt_error *err)
{
	struct nls_problem pr;
	struct nls_result r;
	struct tt_error e2 = { 0 };
	double t[64], y[64], *tb = t, *yb = y, th0[NLS_MAX_P], a;
	size_t i;
	int rc;

	if (n <= f->p) {
		/* Checked before any GSL allocation (case 20 c). */
		fit_note_add(f->reason, sizeof(f->reason),
			     "not enough points (%zu) for a %zu-parameter model", n,
			     f->p);
		return 0;
	}
	if (!(v[n - 1].t > v[0].t)) {
		fit_note_add(f->reason, sizeof(f->reason),
			     "insufficient data: all priced points are on one date");
		return 0;
	}
	if (n > TT_ARRAY_SIZE(t)) {
		tb = malloc(n * sizeof(*tb));
		yb = malloc(n * sizeof(*yb));
		if (!tb || !yb) {
			rc = tt_set_error(err, TT_ENOMEM, "model: out of memory for %zu points", n);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		tb[i] = v[i].t;
		yb[i] = log(v[i].p);
	}
	model_start(f, v, n, th0);
	memset(&pr, 0, sizeof(pr));
	pr.n = n;
	pr.p = f->p;
	pr.t = tb;
	pr.y = yb;
	pr.model = model_nls_fn;
	pr.ctx = f;
	pr.analytic = 1;
	pr.cov_mode = NLS_COV_SCALED;
	pr.maxiter = 100;
	pr.xtol = 1e-8;
	pr.gtol = 1e-8;
	rc = nls_fit(&pr, th0, &r, &e2);
	if (rc == TT_ENOMEM) {
		rc = tt_set_error(err, rc, "%s", e2.msg);
		goto out;
	}
	if (rc < 0) {
		/* A fit that could not be computed is a status, not an error. */
		fit_note_add(f->reason, sizeof(f->reason),
			     "%s fit failed: %s", fit_model_name(f->model), e2.msg);
		rc = 0;
		goto out;
	}
	memcpy(f->theta, r.theta, f->p * sizeof(*f->theta));
	f->converged = r.converged;
	f->gsl_status = r.gsl_status;
	f->gsl_info = r.gsl_info;
	f->iters = r.iters;
	f->rss = r.chi2;
	f->dof = r.dof;
	f->s2 = r.chi2 / r.dof;
	f->has_cov = r.has_cov;
	if (r.has_cov)
		memcpy(f->cov, r.cov, f->p * f->p * sizeof(*f->cov));
	if (r.reason[0])
		fit_note_add(f->reason, sizeof(f->reason), "%s", r.reason);
	if (!r.converged)
		fit_note_add(f->reason, sizeof(f->reason),
			     "the %s fit did not converge", fit_model_name(f->model));
	model_natural(f);
	if (!(f->s2 > 1e-24)) {
		f->status = FIT_NO_INTERVAL;
		f->s2 = 0.0;
		f->dof = 0.0;
		fit_note_add(f->reason, sizeof(f->reason),
			     "the points lie exactly on the fitted curve: uncertainty unavailable");
	} else if (!f->has_cov) {
		f->status = FIT_NO_INTERVAL;
		f->dof = 0.0;
		fit_note_add(f->reason, sizeof(f->reason), "uncertainty unavailable");
	} else {
		f->status = FIT_OK;
		f->has_interval = 1;
	}
	model_identification(f);
	if (model_aicc(f->rss, n, f->p + 1, 0.0, &a) == 0) {
		f->has_aicc = 1;
		f->aicc = a;
	}
	rc = 0;
out:
	if (tb != t)
		free(tb);
	if (yb != y)
		free(yb);
	return rc;
}

int model_fit(enum fit_model m, const double *t, const double *price, size_t n,
	      struct model_fit *out, struct tt_error *err)
{
	struct pt buf[64], *v = buf;
	struct fit_loglinear ll;
	size_t i, np = 0;
	double a;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->model = m;
	out->status = FIT_INSUFFICIENT;
	out->p = model_n_params(m);
	out->aicc_comparable = m != FIT_MODEL_RWDRIFT;
	if (n && (!t || !price))
		return tt_set_error(err, TT_EINVAL, "model: NULL data for %zu points", n);
	for (i = 0; i < n; i++)
		if (!isfinite(t[i]) || !isfinite(price[i]) || price[i] < 0.0)
			return tt_set_error(err, TT_EINVAL,
					    "model: point %zu (t %g, price %g) must be finite with price >= 0",
					    i, t[i], price[i]);
	if (m == FIT_MODEL_NAIVE)
		return tt_set_error(err, TT_EINVAL, "model: naive is a baseline, not a fitted model");
	if (n > TT_ARRAY_SIZE(buf)) {
		v = malloc(n * sizeof(*v));
		if (!v)
			return tt_set_error(err, TT_ENOMEM, "model: out of memory for %zu points", n);
	}
	for (i = 0; i < n; i++) {
		if (price[i] == 0.0) {
			out->n_zero++;
			continue;
		}
		v[np].t = t[i];
		v[np].p = price[i];
		np++;
	}
	out->n = np;
	if (out->n_zero)
		fit_note_add(out->reason, sizeof(out->reason),
			     "%zu zero price%s excluded from the log fit",
			     out->n_zero, out->n_zero == 1 ? "" : "s");
	if (np == 0) {
		fit_note_add(out->reason, sizeof(out->reason),
			     "insufficient data: no priced points");
		goto out;
	}
	for (i = 1; i < np; i++) {
		if (v[i].t < v[i - 1].t) {
			qsort(v, np, sizeof(*v), pt_cmp);
			break;
		}
	}
	out->t_first = v[0].t;
	out->t_last = v[np - 1].t;
	out->p_last = v[np - 1].p;
	out->u_last = log(out->p_last);
	out->p_min = v[0].p;
	for (i = 1; i < np; i++)
		if (v[i].p < out->p_min)
			out->p_min = v[i].p;

	switch (m) {
	case FIT_MODEL_LOGLINEAR:
		/* the closed form of fit.c: exactly the OLS numbers of TV4 */
		rc = fit_loglinear(t, price, n, &ll, err);
		if (rc < 0)
			goto out;
		out->reason[0] = '\0';
		model_from_loglinear(out, &ll);
		if (ll.status != FIT_INSUFFICIENT)
			model_natural(out);
		if (ll.status != FIT_INSUFFICIENT && ll.sumsq > 0.0 &&
		    model_aicc(ll.sumsq, ll.n, 3, 0.0, &a) == 0) {
			out->has_aicc = 1;
			out->aicc = a;
		}
		break;
	case FIT_MODEL_RWDRIFT:
		rc = model_fit_rwdrift(out, v, np);
		if (out->status != FIT_INSUFFICIENT)
			model_natural(out);
		break;
	case FIT_MODEL_HARMONIC:
	case FIT_MODEL_HYPERBOLIC:
	case FIT_MODEL_EXPFLOOR:
		rc = model_fit_nls(out, v, np, err);
		break;
	case FIT_MODEL_NAIVE:
		break;
	}
	if (rc == 0 && out->has_interval && out->dof >= 1.0 &&
	    fit_tquantile(0.90, out->dof, &a) == 0)
		out->q80 = a;
out:
	if (v != buf)
		free(v);
	return rc;
}

/* ---- prediction ---- */

/* ln-scale median and the s.e. of kind at t: a prediction adds the
 * residual scatter (rwdrift: the random walk's tau) to the uncertainty of
 * the fitted mean. */
static void model_log_se(const struct model_fit *f, double t, enum fit_band_kind kind, double *u,
			 double *se)
{
	double g[MODEL_MAX_PAR] = { 0 }, tau, var;
	int predict = kind == FIT_BAND_PREDICTION;

	*u = model_log_mean(f, f->theta, t, g);
	*se = 0.0;
	if (!f->has_interval)
		return;
	if (f->model == FIT_MODEL_RWDRIFT) {
		tau = t - f->t_last;
		if (tau < 0.0)
			tau = 0.0;
		var = f->s2 * ((predict ? tau : 0.0) + tau * tau / f->T);
	} else {
		var = quad_form(g, f->cov, f->p) + (predict ? f->s2 : 0.0);
	}
	*se = var > 0.0 && isfinite(var) ? sqrt(var) : 0.0;
}

static int model_quantile(const struct model_fit *f, double level, double *q)
{
	if (!f->has_interval || !(f->dof >= 1.0))
		return TT_EINVAL;
	if (level == 0.80 && f->q80 > 0.0) {
		*q = f->q80; /* the level every band and backtest uses: computed once per fit */
		return 0;
	}
	return fit_tquantile(1.0 - (1.0 - level) / 2.0, f->dof, q);
}

int model_band_kind(const struct model_fit *f, double t, double level, enum fit_band_kind kind,
		    struct fit_band *out, struct tt_error *err)
{
	double u, se, q = 0.0;

	memset(out, 0, sizeof(*out));
	if (f->status == FIT_INSUFFICIENT)
		return tt_set_error(err, TT_EINVAL, "model: no fitted %s model (%s)",
				    fit_model_name(f->model), f->reason[0] ? f->reason : "insufficient data");
	if (!(level > 0.0 && level < 1.0) || !isfinite(t))
		return tt_set_error(err, TT_EINVAL, "model: interval level %g is not in (0, 1)", level);
	model_log_se(f, t, kind, &u, &se);
	if (f->has_interval && model_quantile(f, level, &q) < 0)
		return tt_set_error(err, TT_EINVAL, "model: no t quantile for level %g", level);
	if (!isfinite(u) || fabs(u) + q * se > MODEL_LOG_MAX)
		return tt_set_error(err, TT_ERANGE,
				    "model: the projection at t = %.3f years leaves the range of a double", t);
	out->t = t;
	out->median = exp(u);
	out->se_log = se;
	out->has_interval = f->has_interval;
	out->lo = f->has_interval ? exp(u - q * se) : out->median;
	out->hi = f->has_interval ? exp(u + q * se) : out->median;
	return 0;
}

int model_band(const struct model_fit *f, double t, double level, struct fit_band *out,
	       struct tt_error *err)
{
	return model_band_kind(f, t, level, FIT_BAND_PREDICTION, out, err);
}

enum fit_cross_status model_median_time_to(const struct model_fit *f, double target,
					   double t_from, double t_to, double *tc)
{
	double lt = log(target), x, qi, d, b, c, a, k;

	*tc = 0.0;
	if (model_log_mean(f, f->theta, t_from, NULL) <= lt) {
		*tc = t_from;
		return FIT_CROSS_DATE;
	}
	switch (f->model) {
	case FIT_MODEL_LOGLINEAR:
		if (!(f->theta[1] < 0.0))
			return FIT_CROSS_NEVER;
		x = (lt - f->theta[0]) / f->theta[1];
		break;
	case FIT_MODEL_RWDRIFT:
		if (!(f->theta[0] < 0.0))
			return FIT_CROSS_NEVER;
		x = f->t_last + (lt - f->u_last) / f->theta[0];
		break;
	case FIT_MODEL_HARMONIC:
		qi = f->theta[0];
		d = clamp_exp(f->theta[1]);
		if (!(d > 0.0))
			return FIT_CROSS_NEVER;
		x = expm1(qi - lt > MODEL_LOG_MAX ? MODEL_LOG_MAX : qi - lt) / d;
		break;
	case FIT_MODEL_HYPERBOLIC:
		qi = f->theta[0];
		d = clamp_exp(f->theta[1]);
		b = MODEL_B_MAX * sigmoid(f->theta[2]);
		if (!(d > 0.0))
			return FIT_CROSS_NEVER;
		if (b < 1e-10) {
			x = (qi - lt) / d;
		} else {
			x = b * (qi - lt);
			x = expm1(x > MODEL_LOG_MAX ? MODEL_LOG_MAX : x) / (b * d);
		}
		break;
	case FIT_MODEL_EXPFLOOR:
		a = clamp_exp(f->theta[0]);
		k = clamp_exp(f->theta[1]);
		c = f->p_min * sigmoid(f->theta[2]);
		if (target <= c)
			return FIT_CROSS_NEVER_FLOOR;
		x = log(a / (target - c)) / k;
		break;
	default:
		return FIT_CROSS_NEVER;
	}
	if (!isfinite(x) || x > t_to)
		return FIT_CROSS_BEYOND_HORIZON;
	*tc = x < t_from ? t_from : x;
	return FIT_CROSS_DATE;
}

static double bound_gap(const struct model_fit *f, double t, double q, int upper, double lt)
{
	double u, se;

	model_log_se(f, t, FIT_BAND_PREDICTION, &u, &se);
	return (upper ? u + q * se : u - q * se) - lt;
}

static void bound_cross(const struct model_fit *f, double q, int upper, double lt, double t_from,
			double t_to, enum fit_cross_status *st, double *tc)
{
	double step = 1.0 / MODEL_DAYS, a, b, mid;
	size_t i, steps;
	int it;

	*tc = 0.0;
	if (bound_gap(f, t_from, q, upper, lt) <= 0.0) {
		*st = FIT_CROSS_DATE;
		*tc = t_from;
		return;
	}
	steps = (size_t)ceil((t_to - t_from) / step);
	if (steps > 400000) {
		steps = 400000;
		step = (t_to - t_from) / 400000.0;
	}
	a = t_from;
	for (i = 1; i <= steps; i++) {
		b = t_from + (double)i * step;
		if (b > t_to)
			b = t_to;
		if (bound_gap(f, b, q, upper, lt) <= 0.0) {
			for (it = 0; it < 60; it++) {
				mid = 0.5 * (a + b);
				if (bound_gap(f, mid, q, upper, lt) <= 0.0)
					b = mid;
				else
					a = mid;
			}
			*st = FIT_CROSS_DATE;
			*tc = b;
			return;
		}
		a = b;
	}
	*st = FIT_CROSS_BEYOND_HORIZON;
}

int model_crossing(const struct model_fit *f, double target, double t_from, double t_to,
		   double level, struct fit_crossing *out, struct tt_error *err)
{
	double q, lt;

	memset(out, 0, sizeof(*out));
	if (f->status == FIT_INSUFFICIENT)
		return tt_set_error(err, TT_EINVAL, "model: no fitted model to cross (%s)",
				    f->reason[0] ? f->reason : "insufficient data");
	if (!isfinite(target) || target <= 0.0)
		return tt_set_error(err, TT_EINVAL, "model: target price %g must be a positive number",
				    target);
	if (!isfinite(t_from) || !isfinite(t_to) || t_to < t_from)
		return tt_set_error(err, TT_EINVAL, "model: crossing window [%g, %g] is empty", t_from,
				    t_to);
	if (!(level > 0.0 && level < 1.0))
		return tt_set_error(err, TT_EINVAL, "model: interval level %g is not in (0, 1)", level);
	if (f->p_last <= target) {
		out->median_status = out->early_status = out->late_status = FIT_CROSS_ALREADY_BELOW;
		return 0;
	}
	out->median_status = model_median_time_to(f, target, t_from, t_to, &out->median_t);
	if (model_quantile(f, level, &q) < 0) {
		out->early_status = out->late_status = FIT_CROSS_UNAVAILABLE;
		return 0;
	}
	lt = log(target);
	bound_cross(f, q, 0, lt, t_from, t_to, &out->early_status, &out->early_t);
	if (out->median_status == FIT_CROSS_NEVER_FLOOR || out->median_status == FIT_CROSS_NEVER) {
		/* the upper bound lies above a median that never gets there */
		out->late_status = out->median_status;
		out->late_t = 0.0;
	} else {
		bound_cross(f, q, 1, lt, t_from, t_to, &out->late_status, &out->late_t);
	}
	return 0;
}

/* ---- derived answers ---- */

/* Half-life in years from t_last for parameters th; <= 0 when there is none. */
static double half_life_years(const struct model_fit *f, const double *th, enum fit_cross_status *st)
{
	struct model_fit g = *f;
	double tc, half;

	memcpy(g.theta, th, sizeof(g.theta));
	half = exp(model_log_mean(&g, th, g.t_last, NULL)) / 2.0;
	/* the median "from" the last point: start the search just after it */
	*st = model_median_time_to(&g, half, g.t_last + 1e-9, g.t_last + 1000.0, &tc);
	if (*st != FIT_CROSS_DATE)
		return -1.0;
	return tc - g.t_last;
}

void model_derive(const struct model_fit *f, double level, struct model_derived *out)
{
	double g0[MODEL_MAX_PAR] = { 0 }, g1[MODEL_MAX_PAR] = { 0 }, g[MODEL_MAX_PAR], L, se, q = 0,
	       h, th[MODEL_MAX_PAR], hp, hm, step, var;
	enum fit_cross_status st, st2;
	size_t j;
	int ok;

	memset(out, 0, sizeof(*out));
	if (f->status == FIT_INSUFFICIENT)
		return;
	L = model_log_mean(f, f->theta, f->t_last, g0) - model_log_mean(f, f->theta, f->t_last + 1.0, g1);
	if (!isfinite(L))
		return;
	if (fabs(L) < 1e-14)
		L = 0.0;
	out->has_factor = 1;
	out->rate_per_year = L;
	out->factor_per_year = clamp_exp(L);
	ok = f->has_interval && f->has_cov && model_quantile(f, level, &q) == 0;
	if (ok) {
		for (j = 0; j < f->p; j++)
			g[j] = g0[j] - g1[j];
		se = sqrt(quad_form(g, f->cov, f->p));
		if (fabs(L) + q * se < MODEL_LOG_MAX) {
			out->has_factor_ci = 1;
			out->factor_lo = exp(L - q * se);
			out->factor_hi = exp(L + q * se);
		}
	}

	h = half_life_years(f, f->theta, &st);
	if (h <= 0.0) {
		snprintf(out->half_life_reason, sizeof(out->half_life_reason), "%s",
			 st == FIT_CROSS_NEVER_FLOOR ? "never: the fitted floor is above half the last price"
			 : st == FIT_CROSS_BEYOND_HORIZON ? "longer than 1000 years"
			 : L < 0.0 ? "rising series: no half-life"
				   : "flat series: no decline, no half-life");
		return;
	}
	out->has_half_life = 1;
	out->half_life_days = h * MODEL_DAYS;
	if (!ok) {
		snprintf(out->half_life_reason, sizeof(out->half_life_reason),
			 "interval unavailable: no uncertainty estimate");
		return;
	}
	if (f->model == FIT_MODEL_LOGLINEAR || f->model == FIT_MODEL_RWDRIFT) {
		/* half-life = ln 2 / ln(factor): map the factor's CI */
		if (out->has_factor_ci && out->factor_lo > 1.0) {
			out->has_half_life_ci = 1;
			out->half_life_lo = M_LN2 / log(out->factor_hi) * MODEL_DAYS;
			out->half_life_hi = M_LN2 / log(out->factor_lo) * MODEL_DAYS;
		} else {
			snprintf(out->half_life_reason, sizeof(out->half_life_reason),
				 "no upper bound: the interval of the rate includes no decline");
		}
		return;
	}
	/* delta method on ln(half-life), central differences in theta */
	for (j = 0; j < f->p; j++) {
		memcpy(th, f->theta, sizeof(th));
		step = 1e-5 * (1.0 + fabs(th[j]));
		th[j] = f->theta[j] + step;
		hp = half_life_years(f, th, &st);
		th[j] = f->theta[j] - step;
		hm = half_life_years(f, th, &st2);
		if (hp <= 0.0 || hm <= 0.0) {
			snprintf(out->half_life_reason, sizeof(out->half_life_reason),
				 "no interval: the half-life is not defined near the fitted parameters");
			return;
		}
		g[j] = (log(hp) - log(hm)) / (2.0 * step);
	}
	var = quad_form(g, f->cov, f->p);
	se = sqrt(var);
	if (!isfinite(se) || q * se > MODEL_LOG_MAX) {
		snprintf(out->half_life_reason, sizeof(out->half_life_reason),
			 "no interval: the half-life is not identified");
		return;
	}
	out->has_half_life_ci = 1;
	out->half_life_lo = out->half_life_days * exp(-q * se);
	out->half_life_hi = out->half_life_days * exp(q * se);
	if (!isfinite(out->half_life_lo) || !isfinite(out->half_life_hi))
		out->has_half_life_ci = 0;
}

/* ---- backtests ---- */

int model_backtest(enum fit_model m, const double *t, const double *price, size_t n,
		   size_t min_train, struct fit_backtest *out, struct tt_error *err)
{
	double *x = NULL, *p = NULL, scale = 0.0, sum = 0.0, sum_naive = 0.0, wsum = 0.0;
	struct model_fit mf;
	struct fit_band band;
	size_t i, np = 0, k, train;
	int rc = TT_EINVAL;

	memset(out, 0, sizeof(*out));
	out->model = m;
	train = model_min_train(m);
	if (min_train > train)
		train = min_train;
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
		if (np && t[i] < x[np - 1]) {
			rc = tt_set_error(err, TT_EINVAL, "backtest: points are not in time order at %zu", i);
			goto out;
		}
		x[np] = t[i];
		p[np] = price[i];
		np++;
	}
	if (np < train + 1) {
		snprintf(out->reason, sizeof(out->reason),
			 "too few points for a backtest: %zu priced, %zu needed (%zu to fit, 1 to test)", np,
			 train + 1, train);
		rc = 0;
		goto out;
	}
	for (i = 1; i < np; i++)
		scale += fabs(log10(p[i] / p[i - 1]));
	scale /= (double)(np - 1);
	for (k = train; k < np; k++) {
		struct fit_backtest_origin *o = &out->origins[out->n_origins];

		rc = model_fit(m, x, p, k, &mf, err);
		if (rc < 0)
			goto out;
		if (mf.status == FIT_INSUFFICIENT) {
			out->n_skipped++;
			continue;
		}
		rc = model_band(&mf, x[k], 0.80, &band, NULL);
		if (rc < 0) {
			out->n_skipped++;
			continue;
		}
		if (!mf.converged)
			out->n_unconverged++;
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
		/* the median's fall over the year after the origin (model_derive's
		 * factor without its intervals) */
		o->factor_per_year = clamp_exp(model_log_mean(&mf, mf.theta, mf.t_last, NULL) -
					       model_log_mean(&mf, mf.theta, mf.t_last + 1.0, NULL));
		if (!isfinite(o->err_log10) || !isfinite(o->naive_err_log10)) {
			out->n_skipped++;
			continue;
		}
		sum += fabs(o->err_log10);
		sum_naive += fabs(o->naive_err_log10);
		if (o->has_interval) {
			double w = metric_winkler(log10(band.lo), log10(band.hi), log10(p[k]), 0.20);

			out->n_interval++;
			out->n_covered += (size_t)o->covered;
			if (isfinite(w)) {
				wsum += w;
				out->n_winkler++;
			}
		}
		out->n_origins++;
	}
	if (out->n_origins == 0) {
		snprintf(out->reason, sizeof(out->reason),
			 "no backtest origin could be fitted (%zu priced points)", np);
		rc = 0;
		goto out;
	}
	out->mae_log10 = sum / (double)out->n_origins;
	out->naive_mae_log10 = sum_naive / (double)out->n_origins;
	out->coverage80 = out->n_interval ? (double)out->n_covered / (double)out->n_interval : 0.0;
	out->winkler80 = out->n_winkler ? wsum / (double)out->n_winkler : 0.0;
	if (scale > 0.0 && isfinite(scale)) {
		out->has_mase = 1;
		out->mase = out->mae_log10 / scale;
	}
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

/* ---- metrics ---- */

double metric_mae(const double *actual, const double *forecast, size_t n)
{
	double s = 0.0;
	size_t i;

	for (i = 0; i < n; i++)
		s += fabs(actual[i] - forecast[i]);
	return n ? s / (double)n : 0.0;
}

double metric_mape(const double *actual, const double *forecast, size_t n)
{
	double s = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (actual[i] == 0.0)
			return -1.0;
		s += fabs((actual[i] - forecast[i]) / actual[i]);
	}
	return n ? 100.0 * s / (double)n : 0.0;
}

double metric_naive_scale(const double *train, size_t ntrain)
{
	double s = 0.0;
	size_t i;

	if (ntrain < 2)
		return -1.0;
	for (i = 1; i < ntrain; i++)
		s += fabs(train[i] - train[i - 1]);
	return s / (double)(ntrain - 1);
}

double metric_mase(const double *actual, const double *forecast, size_t n, const double *train,
		   size_t ntrain)
{
	double sc = metric_naive_scale(train, ntrain);

	if (!(sc > 0.0))
		return -1.0;
	return metric_mae(actual, forecast, n) / sc;
}

double metric_winkler(double lo, double hi, double y, double alpha)
{
	double w = hi - lo;

	if (y < lo)
		w += 2.0 / alpha * (lo - y);
	else if (y > hi)
		w += 2.0 / alpha * (y - hi);
	return w;
}

double metric_quantile_score(double f, double y, double p)
{
	return y < f ? 2.0 * (1.0 - p) * (f - y) : 2.0 * p * (y - f);
}

/* ---- closed forms ---- */

double model_annualise(double ratio, double years)
{
	return pow(ratio, 1.0 / years);
}

double model_arps_rate(double qi, double di, double b, double t)
{
	if (b < 1e-10)
		return qi * exp(-di * t);
	if (fabs(b - 1.0) < 1e-10)
		return qi / (1.0 + di * t);
	return qi * exp(-log1p(b * di * t) / b);
}

double model_arps_time_to(double qi, double di, double b, double q)
{
	if (q >= qi)
		return -1.0;
	if (b < 1e-10)
		return log(qi / q) / di;
	if (fabs(b - 1.0) < 1e-10)
		return (qi / q - 1.0) / di;
	return expm1(b * log(qi / q)) / (b * di);
}

double model_arps_decline(double di, double b, double t)
{
	return di / (1.0 + b * di * t);
}

int model_aicc(double rss, size_t n, size_t k, double sum_ln_y, double *aicc)
{
	double a;

	if (n < k + 2 || !(rss > 0.0) || !isfinite(rss))
		return -1;
	a = (double)n * log(rss / (double)n) + 2.0 * (double)k +
	    2.0 * (double)k * (double)(k + 1) / (double)(n - k - 1) - 2.0 * sum_ln_y;
	if (!isfinite(a))
		return -1;
	*aicc = a;
	return 0;
}

/* ---- an exponential fitted on raw prices (case 19) ---- */

static void exp_raw_fn(const double *th, double t, const void *ctx, double *val, double *grad)
{
	double a = clamp_exp(th[0]), b = clamp_exp(th[1]), e = exp(-b * t);

	(void)ctx;
	*val = a * e;
	if (grad) {
		grad[0] = a * e;
		grad[1] = -a * e * b * t;
	}
}

int model_fit_exp_raw(const double *t, const double *price, size_t n, const double *start,
		      struct model_expfit *out, struct tt_error *err)
{
	struct nls_problem pr;
	struct nls_result r;
	double *tau = NULL, tmin, tmax, span, th0[2], a0, b0, sum_ln = 0.0, aic;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n && (!t || !price))
		return tt_set_error(err, TT_EINVAL, "expfit: NULL data for %zu points", n);
	for (i = 0; i < n; i++)
		if (!isfinite(t[i]) || !isfinite(price[i]) || price[i] <= 0.0)
			return tt_set_error(err, TT_EINVAL,
					    "expfit: point %zu (t %g, price %g) must be finite with price > 0",
					    i, t[i], price[i]);
	if (n <= 2) {
		snprintf(out->reason, sizeof(out->reason),
			 "not enough points (%zu) for a 2-parameter model", n);
		return 0;
	}
	tmin = tmax = t[0];
	for (i = 1; i < n; i++) {
		tmin = fmin(tmin, t[i]);
		tmax = fmax(tmax, t[i]);
	}
	span = tmax - tmin;
	if (!(span > 0.0)) {
		snprintf(out->reason, sizeof(out->reason), "all points are at one time");
		return 0;
	}
	tau = malloc(n * sizeof(*tau));
	if (!tau)
		return tt_set_error(err, TT_ENOMEM, "expfit: out of memory");
	for (i = 0; i < n; i++) {
		tau[i] = (t[i] - tmin) / span;
		sum_ln += log(price[i]);
	}
	if (start && start[0] > 0.0 && start[1] > 0.0) {
		a0 = start[0];
		b0 = start[1] * span;
	} else {
		a0 = price[0];
		b0 = 1.0;
	}
	th0[0] = log(a0);
	th0[1] = log(b0);
	memset(&pr, 0, sizeof(pr));
	pr.n = n;
	pr.p = 2;
	pr.t = tau;
	pr.y = price;
	pr.model = exp_raw_fn;
	pr.analytic = 1;
	pr.cov_mode = NLS_COV_SCALED;
	rc = nls_fit(&pr, th0, &r, err);
	if (rc < 0)
		goto out;
	out->converged = r.converged;
	out->has_cov = r.has_cov;
	out->iters = r.iters;
	out->ssr = r.chi2;
	snprintf(out->reason, sizeof(out->reason), "%s", r.reason);
	out->a = clamp_exp(r.theta[0]);
	out->b = clamp_exp(r.theta[1]) / span;
	if (r.has_cov) {
		/* delta method: d a / d theta0 = a, d b / d theta1 = b */
		out->se_a = out->a * sqrt(r.cov[0]);
		out->se_b = out->b * sqrt(r.cov[3]);
	}
	out->half_life = out->b > 0.0 ? M_LN2 / out->b : 0.0;
	if (model_aicc(out->ssr, n, 3, sum_ln, &aic) == 0) {
		out->has_aicc = 1;
		out->aicc_log = aic;
	}
	rc = 0;
out:
	free(tau);
	return rc;
}
