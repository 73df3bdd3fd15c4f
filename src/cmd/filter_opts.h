/*
 * filter_opts.h - the row filter options that prices, history, changes and
 * stats share (--provider, --model, --dimension, --tier, --source, --since,
 * --until, --as-of, --format): their getopt_long rows, and one parser that
 * checks their values with the same messages in every command; and the
 * rows' output they share.
 *
 * A command lists the rows it takes in its own struct option[] and hands
 * every option its switch does not handle to filter_opts_take():
 *
 *	static const struct option history_options[] = {
 *		FILTER_OPTS_KEY_ROWS,
 *		FILTER_OPTS_RANGE_ROWS,
 *		FILTER_OPTS_FORMAT_ROW,
 *		{ "help", no_argument, NULL, 'h' },
 *		{ NULL, 0, NULL, 0 },
 *	};
 *	...
 *	while ((c = getopt_long(argc, argv, ":h", history_options, NULL)) != -1) {
 *		rc = filter_opts_take(cmd, FILTER_OPTS_KEY | FILTER_OPTS_RANGE |
 *				      FILTER_OPTS_FORMAT, c, argv, &f, &fmt);
 *		if (rc != FILTER_OPTS_TAKEN)
 *			return rc;
 *	}
 */
#ifndef TT_FILTER_OPTS_H
#define TT_FILTER_OPTS_H

#include <getopt.h>

#include "cli.h"
#include "tokentrend/query.h"

/* --provider, --model, --dimension, --tier, --source: the key of a price. */
#define FILTER_OPTS_KEY_ROWS                             \
	{ "provider", required_argument, NULL, 'p' },    \
	{ "model", required_argument, NULL, 'm' },       \
	{ "dimension", required_argument, NULL, 'd' },   \
	{ "tier", required_argument, NULL, 't' },        \
	{ "source", required_argument, NULL, 's' }
/* --since, --until: a date range (YYYY-MM-DD). */
#define FILTER_OPTS_RANGE_ROWS                           \
	{ "since", required_argument, NULL, 'S' },       \
	{ "until", required_argument, NULL, 'U' }
/* --as-of: one date (YYYY-MM-DD). */
#define FILTER_OPTS_AS_OF_ROW { "as-of", required_argument, NULL, 'a' }
/* --format table|csv|json. */
#define FILTER_OPTS_FORMAT_ROW { "format", required_argument, NULL, 'f' }

/* Which of the rows above a command takes. */
enum filter_opts_flags {
	FILTER_OPTS_KEY = (1 << 0),    /* p m d t s */
	FILTER_OPTS_RANGE = (1 << 1),  /* S U */
	FILTER_OPTS_AS_OF = (1 << 2),  /* a */
	FILTER_OPTS_FORMAT = (1 << 3), /* f */
};

/* filter_opts_take() stored the option: go on with the next one. */
#define FILTER_OPTS_TAKEN (-1)

/*
 * Take option c (getopt_long's return, value in optarg) when it is one of
 * the rows in which (enum filter_opts_flags): store it in *f (its strings
 * point into argv) or, for --format, the enum query_format in *fmt.  Any
 * other c ends the command's option loop the usual way: 'h' prints the
 * help, ':' says the option needs a value, anything else is an unknown
 * option (argv[optind - 1] names it).
 *   cmd   [in] the command, for its usage line
 *   f     [out] may be NULL when which has none of KEY, RANGE, AS_OF
 *   fmt   [out] may be NULL when which lacks FORMAT
 * Returns FILTER_OPTS_TAKEN, or the exit code the command returns now
 * (TT_EXIT_OK after --help, TT_EXIT_USAGE after printing a usage error
 * such as "invalid date 'x' for --since (expected YYYY-MM-DD)").
 */
int filter_opts_take(const struct command *cmd, unsigned which, int c, char **argv,
		     struct query_filter *f, int *fmt);

/*
 * The listing commands' last step: append rows to out in fmt (query_render
 * with with_valid_to and with_change) and write out to stdout.  what names
 * the command in the out-of-memory message.  Returns the exit code.
 */
int filter_opts_write_rows(const char *what, const struct price_rows *rows, int fmt,
			   int with_valid_to, int with_change, struct buf *out);

#endif /* TT_FILTER_OPTS_H */
