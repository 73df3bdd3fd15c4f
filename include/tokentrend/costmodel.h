/*
 * costmodel.h - what a team's AI system costs, layer by layer, and when the
 * API bill becomes negligible next to what the engineers cost.
 *
 * Input: a workload profile (profile.h) and the stored price history
 * (query.h rows).  Output: today's monthly breakdown, the same workload
 * priced on every past change date, side by side across models, guard
 * rails for runaway runs, and a month-by-month projection with the crossing
 * date, for two scenarios.  Nothing here prints: the renderers append to a
 * struct buf (costmodel_render.c); src/cmd/cost.c prints.
 *
 * EXACT MONEY.  Every figure of a breakdown, a history or a comparison is
 * int64 nano-units of the prices' currency (1e-9 USD), computed in integer
 * arithmetic (__int128 for the products) and rounded half to even ONCE, at
 * the end of each figure:
 *   - the tokens of a line are whole tokens: a dimension's tokens are split
 *     between models by their shares and between the batch and standard
 *     tiers by batch_share, each split rounded half to even with the
 *     remainder going to the last part, so the lines add up to the
 *     profile's tokens exactly;
 *   - line cost  = tokens x price per 1M / 1e6 (rounded for display);
 *   - API        = sum over lines of tokens x price / 1e6, rounded once;
 *   - silent     = API x silent_share, rounded (extra tokens at the same
 *                  prices, so the same proportion of the bill);
 *   - shares     = layer / total in parts per billion, rounded.
 * Projections come from the forecasting engine and are doubles: they are
 * estimates and are labelled so (fields named *_est, "est." in tables).
 *
 * WHICH PRICE A LINE USES (on the date asked, from the rows in force):
 *   - the profile's model at its seller: the name given, or the catalog's
 *     other names for the same model at the same seller;
 *   - dimension input, cache_read (cached input), cache_write, output;
 *     a dimension with 0 tokens is not priced;
 *   - tier batch for the batch share when the model has a batch price for
 *     that dimension, else the standard price (noted as a fallback);
 *   - cached input without a cache_read price, and cache writes without a
 *     cache_write price, are billed at the input price (noted);
 *   - prompt-length bands: the unconditioned price when there is one; else
 *     the band the profile's prompt_length falls in (0 = short prompts: the
 *     lowest band); other conditions (off-peak, modality) never count;
 *   - among sources: query_source_rank, then no region before a region,
 *     then the exact name before an alias, then the lower price.
 * A part with tokens whose input or output price is missing (after the
 * fallbacks) leaves the workload unpriced on that date: TT_ENOTFOUND.
 *
 * CURRENCIES.  Prices are taken in one currency (costmodel_options.currency,
 * default USD); rows in others are left out.  Infrastructure and
 * engineering may be written in another currency: they are converted
 * through costmodel_options.fx on the as-of date; without a hook (or when
 * it has no rate) the model refuses with TT_EINVAL naming both currencies,
 * never mixing them.
 *
 * THE CROSSING.  The API bill is what the provider invoices: API + silent.
 * It is negligible when bill <= threshold_share x engineering.  Projected:
 *   bill(t) = blend(t) x T x (1 + token_growth)^t x (1 + silent) / 1e6
 *   eng(t)  = E x (1 + engineering_growth)^t        (t in years, 365.25 d)
 * with blend(t) the forecast of the workload's price per 1M tokens of its
 * mix (median, and the 80%/95% bounds).  The path is ANCHORED at today's
 * observed price: blend(t) = blend_today x m(t) / m(as_of), with m the
 * chosen model's fitted median and bounds (a fitted line that kept falling
 * through months of unchanged list prices would otherwise start below what
 * the team pays today).  A series too short to fit (fewer than 3 dated
 * changes) is held flat at today's price and says so.  Infrastructure is
 * held flat.  The
 * crossing date is the day during which the median bill falls to the
 * threshold (TV2: 2029-02-17); its interval comes from the lower 80% bound
 * (earliest) and the upper 80% bound (latest).  When today's observed bill
 * is already at or under the threshold the answer is "already below" and
 * no date is projected; a median that never falls far enough within the
 * horizon is "not within the horizon"; a flat or rising path, or a fitted
 * floor above the threshold, is "never".
 */
#ifndef TT_COSTMODEL_H
#define TT_COSTMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/fit.h"
#include "tokentrend/forecast.h"
#include "tokentrend/models.h"
#include "tokentrend/profile.h"
#include "tokentrend/query.h"
#include "tokentrend/series.h"

struct store;

#define COSTMODEL_DEFAULT_HORIZON_MONTHS 60
#define COSTMODEL_MAX_HORIZON_MONTHS 1200

/*
 * Currency conversion hook (the ECB rates module provides one).  Convert
 * nanos of currency `from` into currency `to` as of `date`, rounding half
 * to even, into *out.  Return 0, TT_ENOTFOUND when no rate is known for
 * that pair and date (err says so), or another TT_E* code.
 */
struct costmodel_fx {
	int (*convert)(void *ctx, const char *from, const char *to, const char *date,
		       int64_t nanos, int64_t *out, struct tt_error *err);
	void *ctx;
	const char *name;  /* "ECB reference rates", for the output's notes */
};

struct costmodel_options {
	const char *as_of;    /* YYYY-MM-DD; NULL: clock_today() */
	const char *currency; /* the prices' currency; NULL: "USD" */
	const char *source;   /* only this source's prices; NULL: the ranking above */
	const struct costmodel_fx *fx; /* NULL: no conversion (other currencies refused) */
};

/*
 * The model's context: the profile and catalog (borrowed: they must outlive
 * it), the history rows (owned, or borrowed from the caller for tests), the
 * as-of date and the other layers converted into the prices' currency.
 */
struct costmodel {
	const struct profile *p;      /* borrowed */
	const struct models *cat;     /* borrowed; NULL: names are exact */
	struct price_rows rows;       /* owned (costmodel_load) */
	const struct price_rows *use; /* the rows priced: &rows or the caller's */
	char as_of[11];
	int64_t as_of_day;
	char currency[4];             /* the prices' currency */
	const char *source;           /* borrowed option */
	int64_t infrastructure_nanos; /* per month, in currency */
	int64_t engineering_nanos;    /* per month, in currency */
	char engineering_currency[4]; /* as written in the profile */
	int64_t engineering_written;  /* as written (hours x rate rounded), its own currency */
	char notes[512];              /* conversions applied; "" */
};

/*
 * Set up cm for profile p: as-of date, currency, engineering cost
 * (profile_engineering_cost) and infrastructure converted when needed.
 * rows: the history to price from (borrowed; all keys, any order, e.g.
 * query_history output), or NULL to call costmodel_load() next.
 * Returns 0; TT_EINVAL (bad date, a cost layer in another currency with no
 * rate: err names the currencies); TT_ERANGE.  Release with
 * costmodel_release() on every path.
 */
int costmodel_init(struct costmodel *cm, const struct profile *p, const struct models *cat,
		   const struct price_rows *rows, const struct costmodel_options *o,
		   struct tt_error *err);

/*
 * The pricing half of costmodel_init(): profile, catalog, rows, currency,
 * source and as-of date, and nothing of the other layers (engineering and
 * infrastructure stay 0, and no currency conversion is attempted, so a
 * profile whose engineering is in another currency is no obstacle).
 * Enough for costmodel_price() and costmodel_history(), which price the
 * API lines only; the blended series (series_mix.h) prices through it.
 * Returns 0; TT_EINVAL (bad date or currency code).  Release with
 * costmodel_release() on every path.
 */
int costmodel_init_prices(struct costmodel *cm, const struct profile *p, const struct models *cat,
			  const struct price_rows *rows, const struct costmodel_options *o,
			  struct tt_error *err);

/* Load every stored interval (query_history) into cm->rows and use them.
 * Returns 0 or the query's error. */
int costmodel_load(struct costmodel *cm, struct store *st, struct tt_error *err);

/* Free what cm owns; the borrowed profile, catalog and rows are untouched.  NULL is a no-op. */
void costmodel_release(struct costmodel *cm);

/* ---- pricing the workload on a date ---- */

enum costmodel_line_flags {
	COSTMODEL_BATCH_AS_STANDARD = (1 << 0), /* no batch price: standard used */
	COSTMODEL_AT_INPUT_PRICE = (1 << 1),    /* cached input / cache write at the input price */
	COSTMODEL_BAND = (1 << 2),              /* a prompt-length band's price */
};

/* One priced part of the API bill. */
struct costmodel_line {
	char *provider;       /* the seller (owned) */
	char *model;          /* the profile's model id (owned) */
	char *priced_as;      /* the stored name whose price was used (owned) */
	char *dimension;      /* "input", "cache_read", "cache_write", "output" (owned) */
	char *price_dimension;/* the dimension whose price was used (owned) */
	char *tier;           /* "standard" or "batch": the tokens' tier (owned) */
	char *price_tier;     /* the tier whose price was used (owned) */
	char *condition;      /* "" or the band used (owned) */
	char *source;         /* the source of the price (owned) */
	char valid_from[11];  /* the price's interval start */
	int64_t tokens;       /* whole tokens per month on this line */
	int64_t price_nanos;  /* per 1M tokens */
	int64_t cost_nanos;   /* tokens x price / 1e6, rounded half to even */
	unsigned flags;       /* enum costmodel_line_flags */
};

/* The workload's API bill on one date for one set of models. */
struct costmodel_bill {
	char date[11];
	char *label;          /* "openai/gpt-4o" or "2 models" (owned) */
	struct costmodel_line *lines; /* owned */
	size_t n_lines, alloc;
	int64_t tokens;       /* tokens per month priced (the profile's, before silent) */
	int64_t api_nanos;    /* exact sum of the lines, rounded once */
	int64_t silent_nanos; /* api x silent_share, rounded */
	int64_t bill_nanos;   /* api + silent: what the provider invoices */
	int64_t blend_nanos;  /* price of 1M tokens of the mix: api x 1e6 / tokens, rounded */
	unsigned flags;       /* OR of the lines' flags */
};

/* Free the lines; the bill is left zeroed.  NULL is a no-op. */
void costmodel_bill_release(struct costmodel_bill *b);

/*
 * Price the profile's token mix on `date` (NULL: cm->as_of) on models
 * (NULL: the profile's models; a single model of share PROFILE_PPB prices
 * the whole volume on it).  out must be zeroed; release it on every path.
 * Returns 0; TT_ENOTFOUND when a part has no price in force (err names the
 * model, dimension and date); TT_EINVAL (no model, no tokens, bad date);
 * TT_ERANGE; TT_ENOMEM.
 */
int costmodel_price(const struct costmodel *cm, const struct profile_model *models,
		    size_t n_models, const char *date, struct costmodel_bill *out,
		    struct tt_error *err);

/* ---- today's monthly breakdown ---- */

enum costmodel_layer {
	COSTMODEL_API = 0,        /* the tokens the profile names */
	COSTMODEL_SILENT,         /* retries, loops, overconsumption: extra API usage */
	COSTMODEL_INFRASTRUCTURE,
	COSTMODEL_ENGINEERING,
	COSTMODEL_N_LAYERS
};

/* Stable name: "api", "silent", "infrastructure", "engineering". */
const char *costmodel_layer_name(enum costmodel_layer l);

struct costmodel_breakdown {
	struct costmodel_bill bill;            /* the API lines (owned) */
	int64_t layer_nanos[COSTMODEL_N_LAYERS];
	int64_t total_nanos;                   /* sum of the layers */
	int64_t layer_share_ppb[COSTMODEL_N_LAYERS]; /* layer / total, ppb, rounded */
	int64_t bill_engineering_ppb;          /* (api + silent) / engineering, ppb */
	int64_t threshold_ppb;                 /* the profile's threshold_share */
	int64_t threshold_nanos;               /* threshold_share x engineering, rounded */
	int below;                             /* bill <= threshold: "already below" */
};

/* Price today's month (cm->as_of) and the other layers.  Returns as costmodel_price(). */
int costmodel_breakdown(const struct costmodel *cm, struct costmodel_breakdown *out,
			struct tt_error *err);

void costmodel_breakdown_release(struct costmodel_breakdown *b);

/* ---- history: the same workload priced on every past change date ---- */

struct costmodel_history {
	struct costmodel_bill *v;  /* one per date a price of the workload changed, oldest first (owned) */
	size_t n, alloc;
	size_t n_unpriced;         /* change dates where some part had no price (left out) */
	char first_unpriced[11];   /* the first of them, or "" */
};

/*
 * The profile's models priced on every date up to cm->as_of on which one of
 * their prices opened or closed; a date on which the bill did not change
 * (another source's interval, a re-observation) is left out.  Returns 0;
 * TT_ENOTFOUND when no date could be priced; TT_ENOMEM.
 */
int costmodel_history(const struct costmodel *cm, struct costmodel_history *out,
		      struct tt_error *err);

void costmodel_history_release(struct costmodel_history *h);

/* ---- side by side ---- */

struct costmodel_compare_row {
	struct costmodel_bill bill;  /* the whole workload on this one model (owned) */
	char *canonical;             /* catalog id, or the model as given (owned) */
	int priced;                  /* 0: no price on the date (reason says why) */
	char reason[256];
	double cost_ratio;           /* bill / cheapest bill (1 for the cheapest); display */
	double quality_ratio_needed; /* rule of thumb: must do cost_ratio x better on the metric */
	double system_ratio;         /* (bill + infra + engineering) / the cheapest's: what the
				      * whole system costs more */
	int64_t system_nanos;        /* bill + infrastructure + engineering */
};

struct costmodel_compare {
	struct costmodel_compare_row *v; /* in the order given, expanded groups in catalog order (owned) */
	size_t n, alloc;
	size_t cheapest;             /* index of the cheapest priced row */
	size_t n_priced;
};

/*
 * Price the workload on each of specs (n of them), each "PROVIDER/MODEL",
 * a catalog id (priced at its maker), or a catalog group name (every
 * member at its maker); NULL specs: the profile's models and compare
 * lines.  Returns 0; TT_EINVAL (an unknown spec: err names it);
 * TT_ENOTFOUND (no row could be priced); TT_ENOMEM.
 */
int costmodel_compare(const struct costmodel *cm, const char *const *specs, size_t n,
		      struct costmodel_compare *out, struct tt_error *err);

void costmodel_compare_release(struct costmodel_compare *c);

/* ---- guard rails ---- */

struct costmodel_guard_row {
	char *label;                 /* "openai/gpt-4o" (owned) */
	int priced;
	char reason[256];
	int64_t cost_per_mtok_nanos; /* price of 1M tokens of the mix (blend), rounded */
	int64_t max_tokens;          /* sum of max_by_dim: whole tokens that never cost more
				      * than the budget */
	int64_t max_by_dim[4];       /* input, cache_read, cache_write, output: each
				      * floor(N x T_d / T) with N = floor(budget x 1e6 x T /
				      * sum T_d p_d), T_d the profile's tokens per dimension */
	double months_volume_ratio;  /* per-month budget: max_tokens / the profile's tokens per month */
};

struct costmodel_guard {
	int64_t budget_nanos;
	int per_month;               /* 0: budget per run; 1: per month */
	struct costmodel_guard_row *v;
	size_t n, alloc;
};

/*
 * The largest token count a run (per_month 0) or a month (1) may burn on
 * each model before the budget is spent, at the prices of cm->as_of and the
 * profile's mix of dimensions and batch share (silent costs are inside the
 * cap: they are tokens too).  specs as costmodel_compare (NULL: the
 * profile's models and compare lines).  Returns 0; TT_EINVAL (budget <= 0,
 * unknown spec); TT_ERANGE; TT_ENOMEM.
 */
int costmodel_guard(const struct costmodel *cm, int64_t budget_nanos, int per_month,
		    const char *const *specs, size_t n, struct costmodel_guard *out,
		    struct tt_error *err);

void costmodel_guard_release(struct costmodel_guard *g);

/* ---- projection and crossing ---- */

enum costmodel_scenario_kind {
	COSTMODEL_STAY = 0,      /* stay on today's model(s) */
	COSTMODEL_CHEAPEST,      /* move to the cheapest member of the capability group as prices change */
	COSTMODEL_N_SCENARIOS
};

/* Stable name: "stay", "cheapest_in_group". */
const char *costmodel_scenario_name(enum costmodel_scenario_kind k);

/* The crossing date or why there is none. */
struct costmodel_cross {
	enum fit_cross_status status;  /* median: date, already_below, not_within_horizon, never,
					* never_floor, unavailable */
	char date[11];                 /* when status is FIT_CROSS_DATE */
	enum fit_cross_status early_status; /* lower 80% bound of the bill: the earliest date */
	char early[11];
	enum fit_cross_status late_status;  /* upper 80% bound: the latest date */
	char late[11];
};

/* One month of the projection (all doubles are estimates in the prices' currency). */
struct costmodel_month {
	char date[11];          /* as_of, then the 1st of every month to the horizon */
	double years;           /* since as_of */
	double tokens_est;      /* tokens per month with growth (before silent) */
	double blend_est, blend_lo80, blend_hi80, blend_lo95, blend_hi95; /* per 1M tokens */
	double bill_est, bill_lo80, bill_hi80, bill_lo95, bill_hi95;      /* API + silent per month */
	double infrastructure;  /* flat */
	double engineering_est; /* with engineering_growth */
	double threshold_est;   /* threshold_share x engineering */
	double total_est;       /* bill + infrastructure + engineering */
	double share_of_engineering, share_lo80, share_hi80; /* bill / engineering (fraction) */
	double share_of_total;  /* bill / total (fraction) */
	int has_interval;
};

struct costmodel_scenario {
	enum costmodel_scenario_kind kind;
	int available;          /* 0: no projection (reason says why) */
	char reason[512];
	char label[256];        /* "stay on openai/gpt-4o", "cheapest of gpt-4-class (on YYYY-MM-DD: ...)" */
	char today_model[160];  /* cheapest scenario: the group's cheapest member today, else "" */
	struct costmodel_bill today;   /* the observed bill on as_of (owned) */
	struct series series;   /* the blend per 1M tokens over time, up to as_of (owned) */
	struct forecast fc;     /* the forecast of series (owned; borrows series) */
	int has_fc;
	int flat;               /* too few changes to fit: held at today's price */
	double anchor;          /* today's blend / the fitted median on as_of (1 when flat) */
	struct costmodel_month *months; /* owned */
	size_t n_months;
	struct costmodel_cross cross;
	double p_star_est;      /* blend price per 1M at which today's bill meets the threshold */
};

struct costmodel_projection_options {
	int horizon_months;     /* 1..COSTMODEL_MAX_HORIZON_MONTHS; 0: the default (60) */
	int64_t threshold_ppb;  /* 0: the profile's threshold_share */
	const char *fit;        /* NULL/"auto" or a model name to force (forecast_options.fit) */
	const char *group;      /* NULL: the profile's group, else the first catalog group of
				 * the first model */
};

struct costmodel_projection {
	char as_of[11];
	char end[11];
	int horizon_months;
	int64_t threshold_ppb;
	char currency[4];
	struct costmodel_scenario s[COSTMODEL_N_SCENARIOS];
};

/*
 * Project both scenarios month by month and find their crossing dates.  A
 * scenario that cannot be projected (no group, no prices, fewer than 3
 * changes and no flat fallback) has available 0 and a reason; it is not an
 * error.  out must be zeroed; release with costmodel_projection_release()
 * on every path.  Returns 0; TT_EINVAL (bad options); TT_ENOTFOUND (the
 * profile's own models have no price today); TT_ENOMEM.
 */
int costmodel_project(const struct costmodel *cm, const struct costmodel_projection_options *o,
		      struct costmodel_projection *out, struct tt_error *err);

void costmodel_projection_release(struct costmodel_projection *pr);

/* ---- rendering (costmodel_render.c): append to out, return 0 or TT_ENOMEM ---- */

int costmodel_render_breakdown(const struct costmodel *cm, const struct costmodel_breakdown *b,
			       int json, struct buf *out);
int costmodel_render_history(const struct costmodel *cm, const struct costmodel_history *h,
			     int json, struct buf *out);
int costmodel_render_compare(const struct costmodel *cm, const struct costmodel_compare *c,
			     int json, struct buf *out);
int costmodel_render_guard(const struct costmodel *cm, const struct costmodel_guard *g,
			   int json, struct buf *out);
int costmodel_render_projection(const struct costmodel *cm, const struct costmodel_projection *pr,
				int json, struct buf *out);

/*
 * Money as text: nanos as an exact decimal (money_format) with at least
 * two decimals ("1500.00", "0.0375").  Returns out.
 */
char *costmodel_fmt_money(int64_t nanos, char *out, size_t outlen);

/* A ppb share as a percent with up to 7 decimals, trailing zeros trimmed ("1", "12.5"). */
char *costmodel_fmt_share(int64_t ppb, char *out, size_t outlen);

#endif /* TT_COSTMODEL_H */
