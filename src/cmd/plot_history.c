/*
 * plot_history.c - `tokentrend plot history`: several models' list prices
 * over time on one chart (steps on a log axis), chosen by provider, model
 * (repeatable, or a LIKE pattern), dimension, tier, date range, or the
 * members of a catalog group.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "plot_cli.h"

#include "tokentrend/clock.h"
#include "tokentrend/models.h"
#include "tokentrend/plot.h"
#include "tokentrend/query.h"

#define PLOT_HISTORY_MAX_MODELS 32

static const struct option plot_history_options[] = {
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "dimension", required_argument, NULL, 'd' },
	{ "tier", required_argument, NULL, 't' },
	{ "condition", required_argument, NULL, 'c' },
	{ "region", required_argument, NULL, 'r' },
	{ "source", required_argument, NULL, 's' },
	{ "since", required_argument, NULL, 'S' },
	{ "until", required_argument, NULL, 'U' },
	{ "as-of", required_argument, NULL, 'A' },
	{ "group", required_argument, NULL, 'G' },
	{ "all-sellers", no_argument, NULL, 'L' },
	{ "models", required_argument, NULL, 'M' },
	{ "max-series", required_argument, NULL, 'x' },
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* SQL LIKE as SQLite does it: % any run, _ one character, ASCII case folded. */
static int plot_like(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (*pat == '%') {
			for (; *s; s++)
				if (plot_like(pat + 1, s))
					return 1;
			return plot_like(pat + 1, s);
		}
		if (!*s)
			return 0;
		if (*pat != '_' && tolower((unsigned char)*pat) != tolower((unsigned char)*s))
			return 0;
	}
	return !*s;
}

/* Keep the group lines whose member id matches one of the --model values. */
static void plot_keep_members(struct plot_lines *l, const char *const *models, size_t n_models)
{
	size_t i, j, k = 0;

	for (i = 0; i < l->n; i++) {
		int keep = 0;

		for (j = 0; j < n_models && !keep; j++)
			keep = plot_like(models[j], l->v[i].label ? l->v[i].label : "");
		if (keep) {
			l->v[k++] = l->v[i];
		} else {
			series_release(&l->v[i].s);
			free(l->v[i].label);
		}
	}
	l->n = k;
}

/* "openai gpt-4o, gpt-4o-mini", "group frontier", "anthropic" ... */
static int plot_history_what(const char *provider, const char *const *models, size_t n_models,
			     const char *group, struct buf *w)
{
	size_t i;
	int rc = 0;

	if (group)
		rc |= buf_addf(w, "group %s", group);
	if (provider)
		rc |= buf_addf(w, "%s%s", w->len ? " at " : "", provider);
	for (i = 0; i < n_models; i++)
		rc |= buf_addf(w, "%s%s", i ? ", " : group ? " (members " : w->len ? " " : "", models[i]);
	if (group && n_models)
		rc |= buf_addch(w, ')');
	if (!w->len)
		rc |= buf_adds(w, "every provider");
	return rc;
}

int cmd_plot_history(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("plot");
	const char *models_arg[PLOT_HISTORY_MAX_MODELS];
	size_t n_models = 0, i;
	struct query_filter qf;
	struct plot_lines_options lo;
	struct plot_history_options ho;
	struct plot_options po = { NULL, 0, 0, NULL, NULL };
	struct plot_lines lines = PLOT_LINES_INIT;
	struct plot_files pf = PLOT_FILES_INIT;
	struct price_rows rows = PRICE_ROWS_INIT;
	struct models cat = MODELS_INIT;
	struct tt_error err = { 0 };
	struct buf what = BUF_INIT;
	const char *group = NULL, *models_file = NULL;
	char *end;
	long v;
	int c, rc;

	memset(&qf, 0, sizeof(qf));
	memset(&lo, 0, sizeof(lo));
	memset(&ho, 0, sizeof(ho));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", plot_history_options, NULL)) != -1) {
		switch (c) {
		case 'p': qf.provider = lo.provider = optarg; break;
		case 'm':
			if (n_models == PLOT_HISTORY_MAX_MODELS)
				return cli_usage(cmd, "at most %d --model options", PLOT_HISTORY_MAX_MODELS);
			models_arg[n_models++] = optarg;
			break;
		case 'd': qf.dimension = lo.dimension = optarg; break;
		case 't': qf.tier = lo.tier = optarg; break;
		case 'c': lo.condition = optarg; break;
		case 'r': lo.region = optarg; break;
		case 's': qf.source = lo.source = optarg; break;
		case 'S':
		case 'U':
		case 'A':
			if (!date_valid(optarg))
				return cli_usage(cmd, "invalid date '%s' for --%s (expected YYYY-MM-DD)", optarg,
						 c == 'S' ? "since" : c == 'U' ? "until" : "as-of");
			if (c == 'S')
				qf.since = ho.since = optarg;
			else if (c == 'U')
				qf.until = ho.until = optarg;
			else
				ho.as_of = optarg;
			break;
		case 'G': group = optarg; break;
		case 'L': lo.all_sellers = 1; break;
		case 'M': models_file = optarg; break;
		case 'x':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > PLOT_HISTORY_LIMIT)
				return cli_usage(cmd, "invalid --max-series '%s' (expected 1..%d)", optarg,
						 PLOT_HISTORY_LIMIT);
			ho.max_lines = (size_t)v;
			break;
		case 'o': po.out = optarg; break;
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
	if (!group && (lo.all_sellers || models_file))
		return cli_usage(cmd, "--all-sellers and --models belong to --group");
	if (lo.all_sellers && lo.provider)
		return cli_usage(cmd, "--all-sellers and --provider exclude each other");
	if (group && (lo.condition || lo.region))
		return cli_usage(cmd, "--group picks each member's price by the group rules: no --condition or --region");
	if (!group && !qf.provider && !n_models)
		return cli_usage(cmd, "say what to draw: --provider P, --model M (repeatable, or a LIKE "
				 "pattern with %%), or --group NAME");
	if (ho.since && ho.until && strcmp(ho.since, ho.until) >= 0)
		return cli_usage(cmd, "--since %s is not before --until %s", ho.since, ho.until);

	/* the rows: one query per --model (each may be a LIKE pattern) */
	if (!qf.dimension)
		qf.dimension = "input";
	if (!qf.tier)
		qf.tier = "standard";
	if (group)
		qf.provider = NULL; /* the seller filter is the group's (lo.provider) */
	for (i = 0; i < (n_models && !group ? n_models : 1); i++) {
		qf.model = n_models && !group ? models_arg[i] : NULL;
		rc = query_history(app->st, &qf, &rows, &err);
		if (rc < 0) {
			rc = cli_report("plot", rc, &err);
			goto out;
		}
	}
	if (group) {
		rc = models_load(&cat, models_file, &err);
		if (rc == 0)
			rc = plot_lines_group(&rows, &cat, group, &lo, &lines, &err);
		if (rc >= 0 && n_models) /* --model narrows the members (canonical ids) */
			plot_keep_members(&lines, models_arg, n_models);
	} else {
		rc = plot_lines_from_rows(&rows, &lo, &lines, &err);
	}
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	if (!lines.n) {
		cli_error("plot: no %s %s price history matches%s%s", qf.dimension, qf.tier,
			  lines.note.len ? " (" : "", lines.note.len ? lines.note.buf : "");
		if (lines.note.len)
			fputs(")\n", stderr);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	if (lines.n > (ho.max_lines ? ho.max_lines : PLOT_HISTORY_MAX_LINES)) {
		struct buf some = BUF_INIT;

		for (i = 0; i < lines.n && i < 8; i++)
			if (lines.v[i].label)
				buf_addf(&some, "%s%s", i ? ", " : "", lines.v[i].label);
			else
				buf_addf(&some, "%s%s/%s", i ? ", " : "", lines.v[i].s.provider, lines.v[i].s.model);
		cli_error("plot: %zu series match (%s%s); one chart shows at most %zu: narrow it with "
			  "--provider, --model (repeatable or a LIKE pattern; with --group it picks members), "
			  "--group or --dimension, or raise "
			  "--max-series (up to %d)", lines.n, some.buf, lines.n > 8 ? ", ..." : "",
			  ho.max_lines ? ho.max_lines : (size_t)PLOT_HISTORY_MAX_LINES, PLOT_HISTORY_LIMIT);
		buf_release(&some);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if (plot_history_what(group ? lo.provider : qf.provider, models_arg, n_models, group, &what) < 0) {
		rc = cli_report("plot", TT_ENOMEM, &err);
		goto out;
	}
	lines.what = buf_detach(&what, NULL);
	if (lines.note.len)
		cli_error("plot: note: left out: %s", lines.note.buf);
	rc = plot_history(&lines, &ho, &po, &pf, &err);
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	rc = plot_cli_wrote(pf.image, pf.data, pf.script);
out:
	buf_release(&what);
	plot_files_release(&pf);
	plot_lines_release(&lines);
	models_release(&cat);
	price_rows_release(&rows);
	return rc;
}
