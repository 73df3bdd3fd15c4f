/*
 * profile.h - the workload profile: what a team's AI system consumes and
 * what else it costs.  One format shared by `forecast --profile` (the
 * blended price series) and `cost` (the monthly bill and the crossing date).
 *
 * FORMAT: text, one `key = value` per line; '#' starts a comment (at the
 * start of a line or after a blank); blank lines are ignored; keys are
 * lowercase.  A key given twice is an error, except `model` and `compare`,
 * which repeat.  docs/profile-example.conf is a commented example, and the
 * README lists every key with its default (the table profile_keys[] in
 * profile.c is the one source of both).
 *
 *   tokens_input         = 300M    tokens per month at the input price
 *   tokens_cached_input  = 0       ... at the cache-read price (cache_read)
 *   tokens_cache_write   = 0       ... at the cache-write price (cache_write)
 *   tokens_output        = 60M     ... at the output price
 *   batch_share          = 0%      share of every dimension run as batch jobs
 *   model                = openai/gpt-4o [SHARE]   (repeatable)
 *   compare              = anthropic/claude-sonnet-4-5   (repeatable)
 *   group                = gpt-4-class
 *   infrastructure       = 0 USD   per month
 *   engineering_hours    = 160     per month   } both, or
 *   engineering_rate     = 95 USD  per hour    } neither, or
 *   engineering_monthly  = 15000 USD per month   (the default)
 *   silent_share         = 0%      extra tokens (retries, loops) as a share
 *   token_growth         = 0%      per year (may be negative, > -100%)
 *   engineering_growth   = 0%      per year (may be negative, > -100%)
 *   threshold_share      = 1%      API bill / engineering cost to reach
 *
 * VALUES.  Token counts are whole tokens (int64), written as an integer or
 * a decimal with a K, M, B or T suffix (1.5M = 1500000); '_' may group
 * digits.  Shares are "12.5%" or a fraction "0.125", held exactly as int64
 * parts per billion (1e9 = 100%).  Money is exact decimal text and an
 * optional ISO currency code (default USD), held as int64 nano-units: never
 * a double.  Hours are exact decimals held as int64 nano-hours.  A model is
 * PROVIDER/MODEL split at the first '/' (openrouter/openai/gpt-4o is
 * provider openrouter, model openai/gpt-4o), with the seller's model id as
 * stored; an optional share after it splits the token volume between
 * several models (then every `model` line needs one and they sum to 100%).
 */
#ifndef TT_PROFILE_H
#define TT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"

#define PROFILE_PPB INT64_C(1000000000)           /* 100% in parts per billion */
#define PROFILE_MAX_TOKENS INT64_C(1000000000000000) /* 1e15 tokens per month */
#define PROFILE_MAX_MODELS 32

/* Which figure the engineering cost comes from. */
enum profile_engineering {
	PROFILE_ENG_DEFAULT = 0, /* engineering_monthly's default: 15000 USD */
	PROFILE_ENG_MONTHLY,     /* engineering_monthly was given */
	PROFILE_ENG_HOURS,       /* engineering_hours x engineering_rate */
};

/* An amount of money in one currency. */
struct profile_money {
	int64_t nanos;      /* 1e-9 currency units */
	char currency[4];   /* ISO 4217, "USD" */
};

struct profile_model {
	char *provider;     /* the seller, as stored (owned) */
	char *model;        /* the seller's model id (owned) */
	int64_t share;      /* share of the token volume, ppb; PROFILE_PPB when alone */
	int has_share;      /* a share was written */
	int line;           /* where it was given (0: not from a file) */
};

struct profile {
	char *origin;                 /* file name for messages (owned), or NULL */
	int64_t tokens_input;         /* tokens per month, >= 0 */
	int64_t tokens_cached_input;
	int64_t tokens_cache_write;
	int64_t tokens_output;
	int64_t batch_share;          /* ppb, 0..PROFILE_PPB */
	struct profile_model *models; /* the models the workload runs on */
	size_t n_models;
	struct profile_model *compare; /* alternatives to price side by side */
	size_t n_compare;
	char *group;                  /* capability group of the catalog, or NULL */
	struct profile_money infrastructure;       /* per month */
	int64_t engineering_hours;    /* nano-hours per month */
	struct profile_money engineering_rate;     /* per hour */
	struct profile_money engineering_monthly;  /* per month */
	enum profile_engineering engineering_from;
	int64_t silent_share;         /* ppb, 0..10*PROFILE_PPB */
	int64_t token_growth;         /* ppb per year, > -PROFILE_PPB */
	int64_t engineering_growth;   /* ppb per year, > -PROFILE_PPB */
	int64_t threshold_share;      /* ppb, 1..PROFILE_PPB; default 1% */
	int64_t prompt_length;        /* tokens in one request's prompt: picks the price band
				       * of models priced by prompt length; 0 = the lowest band */
	int line_of[32];              /* line each scalar key was set on (internal) */
};

/* One documented key: the table behind the parser, the README and --help. */
struct profile_key {
	const char *name;
	const char *dflt;   /* default as text, "" when none */
	const char *help;
};

/* The keys in documentation order; *n gets the count.  Static storage. */
const struct profile_key *profile_keys(size_t *n);

/* Fill p with the documented defaults (no models).  Release with profile_release(). */
void profile_init(struct profile *p);

/*
 * Set one key from its text value, as a file line or a command-line flag
 * would.  origin/line name where it came from for messages (line 0: no
 * line).  Scalar keys are replaced (the parser refuses a key given twice
 * in one file before calling this); `model` and `compare` append.
 * Returns 0; TT_EINVAL with err reading "ORIGIN:LINE: KEY: <why> ('VALUE')"
 * for an unknown key or a bad value; TT_ENOMEM.
 */
int profile_set(struct profile *p, const char *key, const char *value, const char *origin,
		int line, struct tt_error *err);

/*
 * Check what no single key can: the model shares (all or none, summing to
 * 100%), engineering_hours and engineering_rate given together and not
 * with engineering_monthly, at most PROFILE_MAX_MODELS models.  Returns 0
 * or TT_EINVAL naming the keys.
 */
int profile_check(const struct profile *p, struct tt_error *err);

/*
 * Parse profile text onto p (which holds defaults from profile_init, or
 * earlier settings), then profile_check().  Errors name origin, line and
 * key.  Returns 0, TT_EINVAL or TT_ENOMEM.
 */
int profile_parse(struct profile *p, const char *text, size_t len, const char *origin,
		  struct tt_error *err);

/* profile_init + read the file at path + profile_parse.  TT_EIO when unreadable. */
int profile_load(struct profile *p, const char *path, struct tt_error *err);

/* Free what p owns; p is left zeroed.  NULL is a no-op. */
void profile_release(struct profile *p);

/* Tokens per month over the four dimensions (before silent costs). */
int64_t profile_tokens_total(const struct profile *p);

/*
 * The engineering cost per month: engineering_monthly, or hours x rate
 * rounded half to even to the nano-unit.  Returns 0 or TT_ERANGE.
 */
int profile_engineering_cost(const struct profile *p, struct profile_money *out,
			     struct tt_error *err);

/* A ppb share as a double fraction (for display and growth curves only). */
double profile_share_value(int64_t ppb);

#endif /* TT_PROFILE_H */
