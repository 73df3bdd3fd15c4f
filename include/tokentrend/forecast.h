/*
 * forecast.h - fit a series, backtest it, project it to a horizon, and
 * render the result as a table (people) or as the JSON contract (scripts).
 *
 * Time axis: t = (day - first priced day) / 365.25 years.  The projection
 * starts at the last observed change and has one point on the 1st of every
 * month up to as_of + horizon (and one on the end date).  Points carry the
 * median (the back-transformed mean of ln price) and the 80% and 95%
 * prediction intervals of the chosen model.
 *
 * Models (model.h): log-linear, random walk with drift, Arps harmonic and
 * hyperbolic, exponential decay to a floor, all on ln price.  Every one is
 * fitted and scored, and every score is reported.  Selection:
 *   1. a model is a candidate when it could be fitted (n > p, converged),
 *      its extra parameter is identified (b or the floor not at a bound,
 *      95% CI excluding 0), it has an AICc (n - k - 1 >= 1 with k = p + 1)
 *      and a rolling-origin backtest (at least one origin after its
 *      minimum training size: 3 for loglinear/rwdrift, p + 2 otherwise);
 *      the others are listed with the reason they were left out;
 *   2. candidates are compared on their COMMON backtest origins (the ones
 *      every candidate forecast): lowest MAE of log10 error wins; a tie goes
 *      to fewer parameters, then lower AICc;
 *   3. the naive last-price forecast is scored on the same origins; when
 *      it does at least as well, the output says no model beats naive;
 *   4. when no model is a candidate (3 or 4 points is common), the
 *      log-linear fit is shown as the unvalidated default, and the output
 *      says so and why.
 * forecast_options.fit forces one model instead (the scores are still
 * computed and reported).
 *
 * JSON contract (DESIGN.md): one object naming its series (provider, model,
 * dimension, tier, condition, region, currency, unit, source), status, the
 * chosen model and its parameters, factor_per_year, half_life_days, the
 * backtest scores, n_points, first/last date and a points array of
 * {date, median, lo80, hi80, lo95, hi95}.  No NaN or inf ever reaches it:
 * an unavailable value is null with a *_reason beside it.
 */
#ifndef TT_FORECAST_H
#define TT_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/fit.h"
#include "tokentrend/model.h"
#include "tokentrend/series.h"

#define FORECAST_DEFAULT_HORIZON_DAYS 1096 /* 3 years */
#define FORECAST_MAX_HORIZON_DAYS 36525    /* 100 years */

enum forecast_status {
	FORECAST_OK = 0,       /* median with 80% and 95% intervals */
	FORECAST_NO_INTERVAL,  /* median only: the uncertainty cannot be estimated (flat series) */
	FORECAST_INSUFFICIENT, /* fewer than 3 priced changes: no projection */
	FORECAST_FREE,         /* the price is 0 now ("free since"): nothing to project */
};

/* Stable name: "ok", "no_interval", "insufficient_data", "free". */
const char *forecast_status_name(enum forecast_status s);

struct forecast_options {
	const char *as_of;   /* YYYY-MM-DD the forecast is made on; NULL: clock_today() */
	int horizon_days;    /* 1..FORECAST_MAX_HORIZON_DAYS; 0: FORECAST_DEFAULT_HORIZON_DAYS */
	int has_target;      /* 1: compute when the price reaches target */
	double target;       /* price in the series' currency per unit (> 0) */
	const char *fit;     /* NULL or "auto": select; else a model name (fit_model_name) to force */
};

/* Parse a --fit value: "auto" (or NULL) sets *forced 0; a model name sets
 * *forced 1 and *m.  Returns 0, or TT_EINVAL for an unknown name. */
int forecast_parse_fit(const char *name, int *forced, enum fit_model *m);

#define FORECAST_N_CANDIDATES (MODEL_N_CANDIDATES + 1) /* the models and the naive baseline */

struct forecast_point {
	int64_t day;
	char date[11];
	double median;          /* currency per unit */
	double lo80, hi80;      /* equal to median when has_interval is 0 */
	double lo95, hi95;
	int has_interval;
	double alt[FORECAST_N_CANDIDATES]; /* other candidates' medians (candidates[i].drawn) */
};

struct forecast_candidate {
	enum fit_model model;
	int chosen;
	int eligible;                /* a candidate for selection (see the rule above) */
	int drawn;                   /* its median is in points[].alt[] (an eligible alternative) */
	char reason[400];            /* why it was chosen or left out, and notes */
	struct model_fit fit;        /* FIT_INSUFFICIENT for naive */
	struct model_derived derived;/* 90% CIs */
	int has_delta_aicc;
	double delta_aicc;           /* AICc - the lowest comparable AICc */
	struct fit_backtest bt;      /* its own rolling-origin scores (origins freed after selection) */
	int has_common;
	double common_mae_log10;     /* MAE of log10 error on the common origins */
};

/* A crossing date or why there is none. */
struct forecast_date {
	enum fit_cross_status status;
	char date[11];     /* when status == FIT_CROSS_DATE, else "" */
};

struct forecast {
	const struct series *series; /* borrowed from the caller: must outlive this */
	enum forecast_status status;
	char reason[512];            /* why no projection or no interval; "" when none */
	char notes[512];             /* warnings: zero prices excluded, source chosen...; or "" */
	char as_of[11];
	char first_date[11], last_date[11]; /* priced changes used (empty when none) */
	char end_date[11];           /* as_of (or last change, if later) + horizon */
	char free_since[11];         /* when status == FORECAST_FREE */
	int horizon_days;
	size_t n_points;             /* priced changes in the fit */
	size_t n_zero;               /* zero prices excluded from the log fit */

	enum fit_model model;        /* chosen model */
	struct forecast_candidate candidates[FORECAST_N_CANDIDATES]; /* in model_candidates order, naive last */
	size_t n_candidates;
	size_t chosen;               /* index of the chosen model in candidates */
	int forced;                  /* forecast_options.fit named the model */
	int selected_by_backtest;    /* 1: chosen by the backtest; 0: forced or the unvalidated default */
	size_t n_eligible;
	size_t n_common;             /* common backtest origins */
	double naive_common_mae_log10;
	int beats_naive;             /* the chosen model beat naive on the common origins */
	char selection[512];         /* the choice in one or two sentences */
	struct fit_loglinear fit;    /* the log-linear fit (always computed) */
	int64_t day0;                /* day of t = 0 (first priced change) */

	int has_factor;              /* a rate exists (2+ priced changes) */
	double factor_per_year;      /* median m(last)/m(last + 1 yr): 11.8 means "falls 11.8x per year" */
	double rate_per_year;        /* ln factor: > 0 declining, < 0 rising, 0 flat */
	int has_factor_ci;
	double factor_ci90_lo, factor_ci90_hi;
	int has_half_life;
	double half_life_days;       /* from the last change until the median halves */
	int has_half_life_ci;
	double half_life_ci90_lo, half_life_ci90_hi;
	char half_life_reason[160];

	struct fit_backtest backtest; /* the chosen model's; has_scores 0 with reason when too few points */

	int has_target;
	double target;
	struct forecast_date cross_median, cross_early, cross_late; /* early: 80% lower bound */

	struct forecast_point *points; /* owned, n_proj items */
	size_t n_proj;
};

/*
 * Fit every model to s (any struct series: one key, a blend or a group),
 * backtest them against naive, choose one (rule above), and project.  A
 * series that is too short, free, or flat is not an error: the result's
 * status and reason say so (and a free series gets free_since).  s is
 * borrowed by out.  Returns 0, TT_EINVAL (bad options: err names the value)
 * or TT_ENOMEM / TT_EFAIL.  Release out with forecast_release() on every path.
 */
int forecast_run(const struct series *s, const struct forecast_options *o, struct forecast *out,
		 struct tt_error *err);

/* Free the projection and backtest; NULL is a no-op. */
void forecast_release(struct forecast *f);

/* Append a human-readable report: header lines and a table of the points. */
int forecast_render_table(const struct forecast *f, struct buf *out);

/* Append the JSON object (pretty-printed, newline-terminated).  Returns 0 or TT_ENOMEM. */
int forecast_render_json(const struct forecast *f, struct buf *out);

/* Header line of forecast_render_line()'s table (newline-terminated). */
int forecast_render_line_header(struct buf *out);

/* One line for `forecast --all`: series, n, status, chosen model, factor/yr,
 * half-life, backtest winner.  Newline-terminated.  Returns 0 or TT_ENOMEM. */
int forecast_render_line(const struct forecast *f, struct buf *out);

/*
 * Format a positive double as plain decimal text with sig significant digits
 * (no exponent): 0.00430397, 11.7729.  Non-finite values give "null".
 * Returns out (outlen >= 48 is always enough for sig <= 12 and |v| < 1e20).
 */
char *forecast_fmt_num(double v, int sig, char *out, size_t outlen);

#endif /* TT_FORECAST_H */
