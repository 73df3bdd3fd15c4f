/*
 * history.c - `tokentrend history`: every dated price interval of the
 * matching keys, from every source (or one with --source), oldest first.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "filter_opts.h"

static const struct option history_options[] = {
	FILTER_OPTS_KEY_ROWS,
	FILTER_OPTS_RANGE_ROWS,
	FILTER_OPTS_FORMAT_ROW,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_history(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("history");
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	int fmt = QUERY_FORMAT_TABLE, c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", history_options, NULL)) != -1) {
		rc = filter_opts_take(cmd, FILTER_OPTS_KEY | FILTER_OPTS_RANGE | FILTER_OPTS_FORMAT, c,
				      argv, &f, &fmt);
		if (rc != FILTER_OPTS_TAKEN)
			return rc;
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);

	rc = query_history(app->st, &f, &rows, &err);
	if (rc < 0) {
		rc = cli_report("history", rc, &err);
		goto out;
	}
	rc = filter_opts_write_rows("history", &rows, fmt, 1, 0, &out);
out:
	buf_release(&out);
	price_rows_release(&rows);
	return rc;
}
