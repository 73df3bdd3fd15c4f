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
 * Models: the candidates are the log-linear decline (chosen) and the naive
 * last-price forecast (the backtest baseline).  The selection layer will
 * add Arps, random walk and floor models as candidates with AICc and
 * backtest scores; struct forecast_candidate carries each one's verdict.
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
};

struct forecast_point {
	int64_t day;
	char date[11];
	double median;          /* currency per unit */
	double lo80, hi80;      /* equal to median when has_interval is 0 */
	double lo95, hi95;
	int has_interval;
};

struct forecast_candidate {
	enum fit_model model;
	int chosen;
	char reason[256];  /* why it was chosen or left out */
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
	struct forecast_candidate candidates[2];
	size_t n_candidates;
	struct fit_loglinear fit;
	int64_t day0;                /* day of t = 0 (first priced change) */

	int has_factor;              /* a rate exists (2+ priced changes) */
	double factor_per_year;      /* e^k: 11.8 means "falls 11.8x per year" */
	int has_factor_ci;
	double factor_ci90_lo, factor_ci90_hi;
	int has_half_life;
	double half_life_days;

	struct fit_backtest backtest; /* has_scores 0 with reason when too few points */

	int has_target;
	double target;
	struct forecast_date cross_median, cross_early, cross_late; /* early: 80% lower bound */

	struct forecast_point *points; /* owned, n_proj items */
	size_t n_proj;
};

/*
 * Fit s with the log-linear model, backtest it against naive, and project.
 * A series that is too short, free, or flat is not an error: the result's
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

/*
 * Format a positive double as plain decimal text with sig significant digits
 * (no exponent): 0.00430397, 11.7729.  Non-finite values give "null".
 * Returns out (outlen >= 48 is always enough for sig <= 12 and |v| < 1e20).
 */
char *forecast_fmt_num(double v, int sig, char *out, size_t outlen);

#endif /* TT_FORECAST_H */
