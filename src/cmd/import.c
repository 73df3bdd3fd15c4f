/*
 * import.c - `tokentrend import csv FILE [--source ID]`: load a price
 * history CSV (the bundled history's shape).  Bad rows are reported on
 * stderr and skipped; the rest loads.  Importing the same file again adds
 * nothing.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/seed.h"

int cmd_import(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("import");
	const char *source = "litellm", *kind, *path;
	struct seed_import_stats stats;
	struct buf rejects = BUF_INIT, body = BUF_INIT;
	struct tt_error err = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': source = optarg; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (argc - optind != 2)
		return cli_usage(self, "expected a format and a file");
	kind = argv[optind];
	path = argv[optind + 1];
	if (strcmp(kind, "csv"))
		return cli_usage(self, "unknown import format '%s' (this version reads: csv)", kind);
	rc = buf_read_file(&body, path, &err);
	if (rc < 0) {
		rc = cli_report("import", rc, &err);
		goto out;
	}
	rc = seed_import_csv(app->st, body.buf, body.len, path, source, &stats, &rejects, &err);
	if (rejects.len)
		fputs(rejects.buf, stderr);
	if (rc < 0) {
		rc = cli_report("import", rc, &err);
		goto out;
	}
	printf("imported %s: %zu rows, %zu rejected, %zu dates, %zu prices, %zu changes (source %s)\n",
	       path, stats.rows, stats.rejected, stats.days, stats.prices, stats.changes, source);
	rc = fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
	if (rc == TT_EXIT_OK && stats.rows == 0) {
		cli_error("import: '%s' holds no data rows", path);
		rc = TT_EXIT_PARSE;
	} else if (rc == TT_EXIT_OK && stats.rejected == stats.rows) {
		cli_error("import: no row of '%s' could be imported (every row was rejected: see above)", path);
		rc = TT_EXIT_PARSE;
	}
out:
	buf_release(&rejects);
	buf_release(&body);
	return rc;
}
