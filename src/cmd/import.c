/*
 * import.c - `tokentrend import FORMAT PATH`: backfill history from the
 * files people already keep.
 *
 *   import csv FILE [--source ID]     the bundled history's CSV shape (stored
 *                                     under --source, default litellm) or
 *                                     the fuller shape `export` writes (each
 *                                     row under its own source)
 *   import litellm FILE|DIR [--date D]  LiteLLM price-map snapshots
 *   import llmprices FILE [--date D]    llm-prices vendor files
 *   import openrouter FILE --date D     an OpenRouter models JSON
 *   import SOURCE FILE|DIR [--date D]   any saved page of a built-in source
 *   import ecb FILE                     ECB reference rates (daily or history XML)
 *
 * JSON and HTML files go through their source's extractor exactly as
 * `scrape --source ID --file FILE --date D` does.  A file's date is --date
 * or the YYYY-MM-DD in its name.  Bad rows and left-out values are reported
 * on stderr; the rest loads.  Importing the same files again adds nothing.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/backfill.h"
#include "tokentrend/catalog.h"
#include "tokentrend/clock.h"
#include "tokentrend/fx.h"
#include "tokentrend/seed.h"

static int import_csv(struct app *app, const char *path, const char *source)
{
	struct seed_import_stats stats;
	struct buf rejects = BUF_INIT, body = BUF_INIT;
	struct tt_error err = { 0 };
	int rc;

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
	if (stats.export_shape)
		printf("imported %s: %zu rows, %zu rejected, %zu sources, %zu prices, %zu changes (exported history)\n",
		       path, stats.rows, stats.rejected, stats.days, stats.prices, stats.changes);
	else
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

static int import_ecb(struct app *app, const char *path)
{
	struct fx_rates rates = FX_RATES_INIT;
	struct tt_error err = { 0 };
	struct buf body = BUF_INIT;
	size_t added = 0;
	int rc;

	rc = buf_read_file(&body, path, &err);
	if (rc < 0) {
		rc = cli_report("import", rc, &err);
		goto out;
	}
	rc = fx_parse_ecb(body.buf, body.len, path, &rates, &err);
	if (rc >= 0)
		rc = fx_store(app->st, "ecb", &rates, &added, &err);
	if (rc < 0) {
		rc = cli_report("import", rc, &err);
		goto out;
	}
	printf("imported %s: %zu rates on %zu days, %zu new (source ecb)\n", path, rates.n, rates.days,
	       added);
	rc = fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
out:
	fx_rates_release(&rates);
	buf_release(&body);
	return rc;
}

static int import_source(struct app *app, const struct command *self, const char *source,
			 const char *path, const char *date)
{
	struct backfill_report rep;
	struct tt_error err = { 0 };
	size_t i;
	int rc;

	backfill_report_init(&rep);
	rc = backfill_import(app->st, source, path, date, &rep, &err);
	if (rep.notes.len)
		fputs(rep.notes.buf, stderr);
	for (i = 0; i < rep.nfiles; i++) {
		const struct backfill_file *f = &rep.files[i];
		if (f->rc == 0)
			printf("%-11s %s  ok      %5zu prices  %4zu models  %5zu changes  %s\n", source,
			       f->date, f->prices, f->models, f->changes, f->path);
		else if (i < rep.ok + rep.failed) {
			printf("%-11s %s  failed  %s\n", source, f->date, f->path);
			cli_error("%s: %s", f->path, f->error);
		}
	}
	if (rc < 0) {
		rc = rc == TT_EINVAL && rep.nfiles == 0 ? cli_usage(self, "%s", err.msg)
							: cli_report("import", rc, &err);
		goto out;
	}
	if (fflush(stdout) || ferror(stdout))
		rc = TT_EXIT_FAIL;
	else if (rep.failed == 0)
		rc = TT_EXIT_OK;
	else
		rc = rep.ok ? TT_EXIT_PARTIAL : TT_EXIT_PARSE;
out:
	backfill_report_release(&rep);
	return rc;
}

int cmd_import(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("import");
	const char *source = NULL, *date = NULL, *kind, *path;
	const struct source_def *src;
	int c;

	while ((c = getopt_long(argc, argv, "s:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': source = optarg; break;
		case 'D': date = optarg; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (argc - optind != 2)
		return cli_usage(self, "expected a format and a file");
	kind = argv[optind];
	path = argv[optind + 1];
	if (date && !date_valid(date))
		return cli_usage(self, "--date '%s' is not a valid YYYY-MM-DD date", date);
	if (!strcmp(kind, "csv")) {
		if (date)
			return cli_usage(self, "a CSV carries its own dates: --date goes with JSON and HTML files");
		return import_csv(app, path, source ? source : "litellm");
	}
	if (source)
		return cli_usage(self, "--source goes with csv (the format names the source)");
	if (!strcmp(kind, "ecb")) {
		if (date)
			return cli_usage(self, "ECB files carry their own dates");
		return import_ecb(app, path);
	}
	src = catalog_find(kind);
	if (!src || !src->extract)
		return cli_usage(self, "unknown import format '%s' (csv, litellm, llmprices, openrouter, ecb, "
				 "or a built-in source with an extractor: see 'tokentrend sources')", kind);
	return import_source(app, self, src->id, path, date);
}
