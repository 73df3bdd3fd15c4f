/*
 * changes.c - `tokentrend changes`: price changes (new, up, down, removed)
 * on or after --since (default: the 30 days before --until, or the last
 * 30 days), oldest first.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/clock.h"
#include "tokentrend/query.h"

#define CHANGES_DEFAULT_DAYS 30

static const struct option changes_options[] = {
	{ "since", required_argument, NULL, 'S' },
	{ "until", required_argument, NULL, 'U' },
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "dimension", required_argument, NULL, 'd' },
	{ "tier", required_argument, NULL, 't' },
	{ "source", required_argument, NULL, 's' },
	{ "format", required_argument, NULL, 'f' },
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
		switch (c) {
		case 'S':
		case 'U':
			if (!date_valid(optarg))
				return cli_usage(cmd, "invalid date '%s' for --%s (expected YYYY-MM-DD)", optarg,
						 c == 'S' ? "since" : "until");
			if (c == 'S')
				f.since = optarg;
			else
				f.until = optarg;
			break;
		case 'p': f.provider = optarg; break;
		case 'm': f.model = optarg; break;
		case 'd': f.dimension = optarg; break;
		case 't': f.tier = optarg; break;
		case 's': f.source = optarg; break;
		case 'f':
			fmt = query_format_parse(optarg);
			if (fmt < 0)
				return cli_usage(cmd, "unknown format '%s' for --format (expected table, csv or json)",
						 optarg);
			break;
		case 'h':
			return cli_help(cmd);
		case ':':
			return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
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
	if (query_render(&rows, (enum query_format)fmt, 1, 1, &out) < 0) {
		cli_error("changes: out of memory rendering %zu rows", rows.n);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
out:
	buf_release(&out);
	price_rows_release(&rows);
	return rc;
}
