/*
 * health.h - how each source has been doing: the report behind
 * `schedule status` and `sources status`.
 *
 * Built from the outcomes of live and replayed runs (run kinds "scrape"
 * and "replay"; re-parses and imports are not fetches): per source the
 * last success, the last failure with its status and reason, how many
 * runs in a row have failed, the models and prices of the last success,
 * and the models and prices in force now.  Every built-in source with an
 * extractor is listed, run or not, plus any other source that has run.
 */
#ifndef TT_HEALTH_H
#define TT_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/query.h"

struct store;

struct health_source {
	char *source;             /* catalog id; owned */
	char *state;              /* "ok", "failing", "never run"; owned */
	char *last_status;        /* status of the latest outcome, or NULL; owned */
	char *last_ok_date;       /* observation date of the last success, or NULL; owned */
	char *last_ok_run;        /* when that run started (timestamp), or NULL; owned */
	char *last_fail_date;     /* observation date of the last failure, or NULL; owned */
	char *last_fail_run;      /* when that run started, or NULL; owned */
	char *last_fail_status;   /* "failed", "blocked", "rate limited", "disallowed"; owned */
	char *last_fail_reason;   /* its error text, or NULL; owned */
	int failing_runs;         /* consecutive failed outcomes up to now (0 when the last was ok) */
	int64_t last_models;      /* models found by the last success (0 when none) */
	int64_t last_prices;      /* prices found by the last success */
	int64_t models_now;       /* distinct models with a price in force from this source */
	int64_t prices_now;       /* prices in force from this source */
};

struct health_report {
	struct health_source *v;  /* owned */
	size_t n;
	char *last_run_started;   /* the latest live ("scrape") run, or NULL; owned */
	char *last_run_finished;  /* NULL while running or when it was killed */
	char *last_run_status;    /* "ok", "partial", "failed", or NULL */
	int64_t last_run_id;
};

/* Build the report.  Returns 0 or TT_EDB / TT_ENOMEM; free with
 * health_report_release (also after a failure). */
int health_report(struct store *st, struct health_report *out, struct tt_error *err);
void health_report_release(struct health_report *r);

/* Render the per-source table as text, CSV or a JSON array. */
int health_render(const struct health_report *r, enum query_format fmt, struct buf *out);

#endif /* TT_HEALTH_H */
