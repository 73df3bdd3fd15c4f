/*
 * reparse.c - `tokentrend reparse [--source ID] [--since DATE] [--until DATE]`:
 * run today's extractors over the stored snapshots, so that a fixed
 * extractor repairs history.  One line per (source, day) on stdout;
 * failures' reasons on stderr.  Exit 0 when every day re-read, 6 when some
 * failed (those days are left as they were), 4 when all failed, 5/7 on a
 * database failure.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/catalog.h"
#include "tokentrend/clock.h"
#include "tokentrend/scrape.h"

static void print_day(const struct scrape_result *res, void *ud)
{
	(void)ud;
	if (res->rc == 0)
		printf("%-11s %s  ok      %5zu prices  %4zu models  %5zu changes\n", res->source, res->date,
		       res->prices, res->models, res->changes);
	else {
		printf("%-11s %s  failed (left as it was)\n", res->source, res->date);
		cli_error("%s %s: %s", res->source, res->date, res->error[0] ? res->error : tt_strerror(res->rc));
	}
}

int cmd_reparse(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("reparse");
	struct scrape_reparse_opts o = { 0 };
	struct tt_error err = { 0 };
	int64_t run_id = 0;
	size_t days = 0, failed = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:S:U:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!catalog_find(optarg) || !catalog_find(optarg)->extract)
				return cli_usage(self, "unknown source '%s' (or one without an extractor)", optarg);
			o.source = optarg;
			break;
		case 'S':
			if (!date_valid(optarg))
				return cli_usage(self, "--since '%s' is not a valid YYYY-MM-DD date", optarg);
			o.since = optarg;
			break;
		case 'U':
			if (!date_valid(optarg))
				return cli_usage(self, "--until '%s' is not a valid YYYY-MM-DD date", optarg);
			o.until = optarg;
			break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);
	o.on_result = print_day;
	rc = scrape_reparse(app->st, &o, &run_id, &days, &failed, &err);
	if (rc < 0)
		return cli_report("reparse", rc, &err);
	fprintf(stderr, "tokentrend: re-read %zu stored snapshot day%s (run %" PRId64 "), %zu failed\n",
		days, days == 1 ? "" : "s", run_id, failed);
	if (fflush(stdout) || ferror(stdout))
		return TT_EXIT_FAIL;
	if (failed == 0)
		return TT_EXIT_OK;
	return failed < days ? TT_EXIT_PARTIAL : TT_EXIT_PARSE;
}
