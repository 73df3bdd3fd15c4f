/*
 * changes.c - `tokentrend changes`: price changes (new, up, down, removed)
 * on or after --since (default: the 30 days before --until, or the last
 * 30 days), oldest first.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/clock.h"
#include "filter_opts.h"

#define CHANGES_DEFAULT_DAYS 30

static const struct option changes_options[] = {
	FILTER_OPTS_RANGE_ROWS,
	FILTER_OPTS_KEY_ROWS,
	FILTER_OPTS_FORMAT_ROW,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_changes(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("changes");
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	char today[11], since[11];
	int64_t days;
	int fmt = QUERY_FORMAT_TABLE, c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", changes_options, NULL)) != -1) {
		rc = filter_opts_take(cmd, FILTER_OPTS_KEY | FILTER_OPTS_RANGE | FILTER_OPTS_FORMAT, c,
				      argv, &f, &fmt);
		if (rc != FILTER_OPTS_TAKEN)
			return rc;
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	/* Default: the 30 days before --until, or before today. */
	if (!f.since && date_parse(f.until ? f.until : clock_today(today), &days) == 0)
		f.since = date_format(days - CHANGES_DEFAULT_DAYS, since);

	rc = query_changes(app->st, &f, &rows, &err);
	if (rc < 0) {
		rc = cli_report("changes", rc, &err);
		goto out;
	}
	rc = filter_opts_write_rows("changes", &rows, fmt, 1, 1, &out);
out:
	buf_release(&out);
	price_rows_release(&rows);
	return rc;
}
