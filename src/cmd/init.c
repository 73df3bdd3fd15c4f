/*
 * init.c - `tokentrend init`: create (or migrate) the database and load
 * the bundled price history into it, once.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/seed.h"
#include "tokentrend/store.h"

int cmd_init(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "no-seed", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("init");
	struct seed_import_stats stats;
	struct buf rejects = BUF_INIT;
	struct tt_error err = { 0 };
	const char *csv;
	size_t len;
	int c, rc, no_seed = 0;

	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': no_seed = 1; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);
	printf("database %s (schema version %d)\n", app->db_path, store_schema_version(app->st));
	if (no_seed)
		return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
	csv = seed_csv(&len);
	rc = seed_import_csv(app->st, csv, len, "db/seed/price-history.csv", "litellm", &stats,
			     &rejects, &err);
	if (rejects.len && app->verbose)
		fputs(rejects.buf, stderr);
	if (rc < 0) {
		rc = cli_report("loading the bundled history", rc, &err);
		goto out;
	}
	printf("bundled history: %zu rows, %zu rejected (bad rows in the source data; -v lists them), "
	       "%zu new prices, %zu changes\n", stats.rows, stats.rejected, stats.prices, stats.changes);
	rc = fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
out:
	buf_release(&rejects);
	return rc;
}
