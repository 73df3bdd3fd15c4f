/*
 * export.c - `tokentrend export`: prices, history and changes as CSV or
 * JSON, or the whole database as one portable SQLite file.
 *
 *   export [--format csv|json] [--what history|prices|changes|all] [--as-of D] [--out PATH]
 *   export --out DIR --format csv|json --what all      prices/history/changes files in DIR
 *   export --db FILE        (also: export sqlite FILE) the whole database (VACUUM INTO)
 *
 * The history CSV imports back with `tokentrend import csv FILE`.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/clock.h"
#include "tokentrend/export.h"

static const struct option export_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "what", required_argument, NULL, 'w' },
	{ "as-of", required_argument, NULL, 'a' },
	{ "out", required_argument, NULL, 'o' },
	{ "db", required_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_export(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("export");
	const char *as_of = NULL, *outp = NULL, *dbfile = NULL;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	int fmt = QUERY_FORMAT_CSV, what = -1, c, rc;
	struct stat sb;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", export_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = query_format_parse(optarg);
			if (fmt != QUERY_FORMAT_CSV && fmt != QUERY_FORMAT_JSON)
				return cli_usage(cmd, "--format takes csv or json, not '%s'", optarg);
			break;
		case 'w':
			what = export_what_parse(optarg);
			if (what < 0)
				return cli_usage(cmd, "--what takes history, prices, changes or all, not '%s'", optarg);
			break;
		case 'a':
			if (!date_valid(optarg))
				return cli_usage(cmd, "invalid date '%s' for --as-of (expected YYYY-MM-DD)", optarg);
			as_of = optarg;
			break;
		case 'o': outp = optarg; break;
		case 'D': dbfile = optarg; break;
		case 'h': return cli_help(cmd);
		case ':': return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind == 2 && !strcmp(argv[optind], "sqlite") && !dbfile)
		dbfile = argv[optind + 1];
	else if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (dbfile) {
		rc = export_database(app->st, dbfile, &err);
		if (rc < 0)
			return cli_report("export", rc, &err);
		printf("exported the database to %s\n", dbfile);
		return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
	}
	if (what < 0)
		what = fmt == QUERY_FORMAT_JSON && !outp ? EXPORT_ALL : EXPORT_HISTORY;
	if (outp && (what == EXPORT_ALL || (stat(outp, &sb) == 0 && S_ISDIR(sb.st_mode)))) {
		rc = export_write_dir(app->st, outp, (enum query_format)fmt, as_of, &err);
		if (rc < 0)
			return cli_report("export", rc, &err);
		printf("exported prices, history and changes to %s%s\n", outp,
		       *outp && outp[strlen(outp) - 1] == '/' ? "" : "/");
		return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
	}
	if (what == EXPORT_ALL && fmt == QUERY_FORMAT_CSV)
		return cli_usage(cmd, "--what all as CSV needs --out DIR (one file per table)");
	rc = export_render(app->st, (enum export_what)what, (enum query_format)fmt, as_of, &out, &err);
	if (rc < 0) {
		rc = cli_report("export", rc, &err);
		goto out;
	}
	if (outp) {
		FILE *f = fopen(outp, "wb");
		if (!f || (out.len && fwrite(out.buf, 1, out.len, f) != out.len) || fclose(f) != 0) {
			cli_error("export: cannot write '%s': %s", outp, strerror(errno));
			rc = TT_EXIT_PARSE;
			goto out;
		}
		rc = TT_EXIT_OK;
		goto out;
	}
	rc = cli_write(&out);
out:
	buf_release(&out);
	return rc;
}
