/*
 * notify.h - telling people when prices change or a source keeps failing.
 *
 * After a live run, notify_run() collects the change events that run
 * created (price up or down, new model, removed model) and the sources
 * whose last `failing_runs` live outcomes all failed, keeps those that a
 * rule selects, and delivers them: one JSON POST to a webhook (with a
 * Slack-compatible "text" field) and/or one run of a command per event,
 * WITHOUT a shell (fork/execvp): the event as JSON on the command's
 * standard input and as TOKENTREND_* environment variables.  Scraped text
 * never reaches a shell.  The webhook URL is a secret: it never appears in
 * an error message or a log line.  What was delivered is recorded, so a
 * second run the same day does not repeat it.  Nothing here prints.
 */
#ifndef TT_NOTIFY_H
#define TT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

struct store;

enum notify_rule_kind {
	NOTIFY_ANY = 0, /* "any": every change event */
	NOTIFY_MOVE,    /* "move PCT": up or down by at least PCT percent */
	NOTIFY_BELOW,   /* "below PRICE": a price falls from >= PRICE to < PRICE (or appears below it) */
	NOTIFY_ABOVE,   /* "above PRICE": a price rises from <= PRICE to > PRICE (or appears above it) */
};

/* One rule: "any | move PCT | below PRICE | above PRICE" followed by
 * optional filters provider=P model=M dimension=D tier=T source=ID. */
struct notify_rule {
	enum notify_rule_kind kind;
	int64_t value;     /* MOVE: percent in nano-units (10% = 10e9); BELOW/ABOVE: price nanos */
	char *provider;    /* filters, NULL for any; owned */
	char *model;
	char *dimension;
	char *tier;
	char *source;
};

/* Parse text into *r (zeroed first).  Returns 0 or TT_EINVAL with the
 * reason in *err.  Free with notify_rule_release(). */
int notify_rule_parse(const char *text, struct notify_rule *r, struct tt_error *err);
void notify_rule_release(struct notify_rule *r);

/* One event to deliver. */
struct notify_event {
	const char *kind;       /* "change" or "failing" */
	const char *source;     /* catalog id */
	const char *date;       /* change: the date the price took effect; failing: the run date */
	/* change */
	const char *change;     /* "new", "up", "down", "removed" */
	const char *provider, *model, *dimension, *tier, *condition, *region, *unit, *currency;
	int has_old, has_new;
	int64_t old_nanos, new_nanos;
	/* failing */
	int failures;           /* consecutive failed runs */
	const char *reason;     /* the last failure's reason */
};

/* 1 when rule r selects event e (failing events are selected by every
 * rule without a price condition: any rule at all). */
int notify_rule_matches(const struct notify_rule *r, const struct notify_event *e);

/* One line of human text for e ("openai gpt-4o input standard: 5.00 -> 2.50 USD/1M tokens
 * (down 50.0%) from 2025-01-01"), appended to out. */
int notify_event_text(const struct notify_event *e, struct buf *out);

/* e as a JSON object (prices as exact decimal strings), appended to out. */
int notify_event_json(const struct notify_event *e, struct buf *out);

struct notify_config {
	char *webhook;          /* URL (a secret), or NULL; owned */
	char **command;         /* argv (NULL-terminated), or NULL; owned */
	int failing_runs;       /* consecutive failed live runs that raise an alert; 0: 3 */
	long timeout_ms;        /* webhook and command time limit; 0: 30000 */
	struct notify_rule *rules; /* none: "any" */
	size_t nrules;
};

void notify_config_release(struct notify_config *c);

/*
 * Split a command line into argv the way a shell would split words, but
 * without a shell: blanks separate words, '...' and "..." quote, a
 * backslash escapes the next character; nothing is expanded.  *argv is a
 * NULL-terminated malloc'd array of malloc'd strings (free with
 * notify_argv_free).  Returns the word count (> 0) or TT_EINVAL.
 */
int notify_split_command(const char *line, char ***argv, struct tt_error *err);
void notify_argv_free(char **argv);

/* What notify_run() did. */
struct notify_report {
	size_t events;          /* events selected */
	size_t delivered;       /* events delivered on every channel */
	size_t failed;          /* events whose delivery failed (they are retried next run) */
};

/*
 * Deliver what the live run on `date` produced (see the top of this file).
 * Change events considered: those first seen on date or up to seven days
 * before by a live run and not yet delivered, except "new" events of a source's first
 * successful run (a first run finds every model "new").  Does nothing and
 * returns 0 when cfg has neither webhook nor command.  Returns 0 when
 * everything was delivered, TT_ENET when a delivery failed (rep says how
 * many; *err says why without the webhook URL), TT_EDB on a database
 * failure.
 */
int notify_run(struct store *st, const struct notify_config *cfg, const char *date,
	       struct notify_report *rep, struct tt_error *err);

#endif /* TT_NOTIFY_H */
