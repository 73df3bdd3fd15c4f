/*
 * plot_cost.c - `tokentrend plot cost`: a workload's monthly cost layers
 * over time with the date its API bill falls under the chosen share of
 * engineering cost, and (--compare) the same workload priced across
 * models.  The workload is a profile file (--profile) with KEY=VALUE
 * overrides, as for `cost`; the numbers are costmodel.h's.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "plot_cli.h"

#include "tokentrend/clock.h"
#include "tokentrend/costmodel.h"
#include "tokentrend/models.h"
#include "tokentrend/plot.h"
#include "tokentrend/profile.h"

static const struct option plot_cost_options[] = {
	{ "profile", required_argument, NULL, 'P' },
	{ "models", required_argument, NULL, 'M' },
	{ "as-of", required_argument, NULL, 'A' },
	{ "source", required_argument, NULL, 's' },
	{ "threshold", required_argument, NULL, 'T' },
	{ "horizon-months", required_argument, NULL, 'H' },
	{ "fit", required_argument, NULL, 'F' },
	{ "scenario", required_argument, NULL, 'S' },
	{ "compare", optional_argument, NULL, 'C' },
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Split "a, b,c" into specs (pointers into copy). */
static size_t plot_cost_specs(char *copy, char **specs)
{
	char *p, *next;
	size_t n = 0;

	for (p = copy; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (*p)
			specs[n++] = p;
	}
	return n;
}

/* The profile: the file (or the defaults), then KEY=VALUE overrides in
 * order (the first model= or compare= replaces the file's list). */
static int plot_cost_profile(const struct command *cmd, const char *path, int argc, char **argv,
			     const char *threshold, struct profile *prof)
{
	struct tt_error err = { 0 };
	int models_dropped = 0, compare_dropped = 0, rc;
	size_t k;

	rc = path ? profile_load(prof, path, &err) : (profile_init(prof), 0);
	if (rc < 0)
		return cli_report("plot", rc, &err);
	for (; optind < argc; optind++) {
		char *eq = strchr(argv[optind], '=');
		struct profile_model **v = NULL;
		size_t *n = NULL;

		if (!eq || eq == argv[optind])
			return cli_usage(cmd, "unexpected argument '%s' (profile overrides are KEY=VALUE)",
					 argv[optind]);
		*eq = '\0';
		if (!strcmp(argv[optind], "model") && !models_dropped++) {
			v = &prof->models;
			n = &prof->n_models;
		} else if (!strcmp(argv[optind], "compare") && !compare_dropped++) {
			v = &prof->compare;
			n = &prof->n_compare;
		}
		for (k = 0; v && k < *n; k++) {
			free((*v)[k].provider);
			free((*v)[k].model);
		}
		if (v) {
			FREE_AND_NULL(*v);
			*n = 0;
		}
		rc = profile_set(prof, argv[optind], eq + 1, "command line", 0, &err);
		*eq = '=';
		if (rc < 0)
			return cli_report("plot", rc, &err);
	}
	if (threshold && (rc = profile_set(prof, "threshold_share", threshold, "--threshold", 0, &err)) < 0)
		return cli_report("plot", rc, &err);
	rc = profile_check(prof, &err);
	if (rc < 0)
		return cli_report("plot", rc, &err);
	return -1;
}

int cmd_plot_cost(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("plot");
	const char *profile_path = NULL, *models_path = NULL, *threshold = NULL, *compare_list = NULL;
	struct costmodel_projection_options pjo;
	struct costmodel_options co;
	struct plot_options po = { NULL, 0, 0, NULL, NULL };
	struct plot_files pf = PLOT_FILES_INIT;
	enum costmodel_scenario_kind kind = COSTMODEL_STAY;
	struct profile prof;
	struct models cat = MODELS_INIT;
	struct costmodel cm;
	struct costmodel_history h;
	struct costmodel_projection pr;
	struct costmodel_compare cc;
	struct tt_error err = { 0 };
	char *spec_copy = NULL, **specs = NULL;
	size_t n_specs = 0;
	int compare = 0, c, rc, have_h = 0;
	char *end;
	long v;

	memset(&pjo, 0, sizeof(pjo));
	memset(&co, 0, sizeof(co));
	memset(&prof, 0, sizeof(prof));
	memset(&cm, 0, sizeof(cm));
	memset(&h, 0, sizeof(h));
	memset(&pr, 0, sizeof(pr));
	memset(&cc, 0, sizeof(cc));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", plot_cost_options, NULL)) != -1) {
		switch (c) {
		case 'P': profile_path = optarg; break;
		case 'M': models_path = optarg; break;
		case 'A':
			if (!date_valid(optarg))
				return cli_usage(cmd, "invalid date '%s' for --as-of (expected YYYY-MM-DD)", optarg);
			co.as_of = optarg;
			break;
		case 's': co.source = optarg; break;
		case 'T': threshold = optarg; break;
		case 'H':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > COSTMODEL_MAX_HORIZON_MONTHS)
				return cli_usage(cmd, "invalid --horizon-months '%s' (expected 1..%d)", optarg,
						 COSTMODEL_MAX_HORIZON_MONTHS);
			pjo.horizon_months = (int)v;
			break;
		case 'F': pjo.fit = optarg; break;
		case 'S':
			if (!strcmp(optarg, "stay"))
				kind = COSTMODEL_STAY;
			else if (!strcmp(optarg, "cheapest"))
				kind = COSTMODEL_CHEAPEST;
			else
				return cli_usage(cmd, "unknown --scenario '%s' (expected stay or cheapest)", optarg);
			break;
		case 'C':
			compare = 1;
			compare_list = optarg;
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
	if (compare && (pjo.horizon_months || pjo.fit || kind != COSTMODEL_STAY))
		return cli_usage(cmd, "--horizon-months, --fit and --scenario belong to the cost layers, not --compare");
	if (!profile_path && optind >= argc)
		return cli_usage(cmd, "plot cost needs a workload: --profile FILE and/or KEY=VALUE settings");
	rc = plot_cost_profile(cmd, profile_path, argc, argv, threshold, &prof);
	if (rc >= 0)
		goto out;
	if (!profile_tokens_total(&prof)) {
		rc = cli_usage(cmd, "no tokens to price: the profile sets no tokens_input, tokens_output...");
		goto out;
	}
	if (!prof.n_models && !compare) {
		rc = cli_usage(cmd, "no model to price: the profile needs a `model` line (or model=PROVIDER/MODEL)");
		goto out;
	}
	rc = models_load(&cat, models_path, &err);
	if (rc == 0)
		rc = costmodel_init(&cm, &prof, &cat, NULL, &co, &err);
	if (rc == 0)
		rc = costmodel_load(&cm, app->st, &err);
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	if (compare) {
		if (compare_list) {
			spec_copy = strdup(compare_list);
			specs = calloc(strlen(compare_list) + 1, sizeof(*specs));
			if (!spec_copy || !specs) {
				rc = cli_report("plot", TT_ENOMEM, &err);
				goto out;
			}
			n_specs = plot_cost_specs(spec_copy, specs);
			if (!n_specs) {
				rc = cli_usage(cmd, "--compare=LIST needs MODEL[,MODEL...] or a group");
				goto out;
			}
		}
		rc = costmodel_compare(&cm, (const char *const *)specs, n_specs, &cc, &err);
		if (rc == 0)
			rc = plot_cost_compare(&cm, &cc, &po, &pf, &err);
	} else {
		rc = costmodel_project(&cm, &pjo, &pr, &err);
		if (rc == 0 && kind == COSTMODEL_STAY) {
			/* the observed part: the bill on every past price change */
			rc = costmodel_history(&cm, &h, &err);
			have_h = rc == 0;
			if (rc == TT_ENOTFOUND)
				rc = 0;
		}
		if (rc == 0)
			rc = plot_cost(&cm, have_h ? &h : NULL, &pr, kind, &po, &pf, &err);
	}
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	rc = plot_cli_wrote(pf.image, pf.data, pf.script);
out:
	plot_files_release(&pf);
	costmodel_compare_release(&cc);
	costmodel_projection_release(&pr);
	costmodel_history_release(&h);
	costmodel_release(&cm);
	models_release(&cat);
	profile_release(&prof);
	free(spec_copy);
	free(specs);
	return rc;
}
