/*
 * cost.c - `tokentrend cost`: what the system costs per month, layer by
 * layer (API, silent costs, infrastructure, engineering); the same workload
 * on every past change date (--history) and across models (--compare); the
 * month-by-month projection and the date the API bill becomes negligible
 * next to engineering (--project); and guard rails for runaway runs
 * (--guard).  The workload comes from a profile file (--profile) and/or
 * KEY=VALUE arguments and --KEY VALUE flags for every profile key.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"

#include "tokentrend/costmodel.h"
#include "tokentrend/models.h"
#include "tokentrend/money.h"
#include "tokentrend/profile.h"

enum cost_opt {
	OPT_PROFILE = 1000,
	OPT_MODELS,
	OPT_AS_OF,
	OPT_FORMAT,
	OPT_SOURCE,
	OPT_HISTORY,
	OPT_COMPARE,
	OPT_PROJECT,
	OPT_THRESHOLD,
	OPT_HORIZON,
	OPT_FIT,
	OPT_GUARD,
	OPT_BUDGET_RUN,
	OPT_BUDGET_MONTH,
	OPT_HELP,
	OPT_KEY = 2000,        /* + index of the profile key: --tokens_input */
	OPT_KEY_DASH = 3000,   /* + index: --tokens-input */
};

static const struct option cost_fixed_options[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "history", no_argument, NULL, OPT_HISTORY },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "project", no_argument, NULL, OPT_PROJECT },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "horizon-months", required_argument, NULL, OPT_HORIZON },
	{ "fit", required_argument, NULL, OPT_FIT },
	{ "guard", no_argument, NULL, OPT_GUARD },
	{ "budget-run", required_argument, NULL, OPT_BUDGET_RUN },
	{ "budget-month", required_argument, NULL, OPT_BUDGET_MONTH },
	{ "help", no_argument, NULL, OPT_HELP },
};

#define COST_MAX_KEYS 32

/* One KEY=VALUE override, applied after the profile file in command-line order. */
struct cost_override {
	const char *key;
	const char *value;
};

enum cost_mode { MODE_BREAKDOWN, MODE_HISTORY, MODE_COMPARE, MODE_PROJECT, MODE_GUARD };

/* Drop the models (or compare lines) a file gave, before the first override replaces them. */
static void drop_models(struct profile_model **v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free((*v)[i].provider);
		free((*v)[i].model);
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

/* "50", "50 USD", "50USD" -> nanos and currency (default: none given). */
static int parse_budget(const char *text, int64_t *nanos, char cur[4], struct tt_error *err)
{
	size_t n = strlen(text), k = n;
	char num[64];

	cur[0] = '\0';
	while (k > 0 && isalpha((unsigned char)text[k - 1]))
		k--;
	if (k < n) {
		if (n - k != 3)
			return tt_set_error(err, TT_EINVAL, "budget '%s': the currency must be an ISO code", text);
		memcpy(cur, text + k, 3);
		cur[3] = '\0';
	}
	while (k > 0 && isspace((unsigned char)text[k - 1]))
		k--;
	if (k == 0 || k >= sizeof(num))
		return tt_set_error(err, TT_EINVAL, "budget '%s' is not an amount", text);
	memcpy(num, text, k);
	num[k] = '\0';
	return money_parse_str(num, 0, nanos, err);
}

int cmd_cost(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("cost");
	struct option opts[TT_ARRAY_SIZE(cost_fixed_options) + 2 * COST_MAX_KEYS + 1];
	char dash_names[COST_MAX_KEYS][48];
	struct cost_override *ov = NULL;
	size_t n_ov = 0, nk = 0, i, no = 0;
	const struct profile_key *keys = profile_keys(&nk);
	const char *profile_path = NULL, *models_path = NULL, *as_of = NULL, *source = NULL;
	const char *compare = NULL, *fit = NULL, *budget = NULL;
	char **specs = NULL;
	size_t n_specs = 0;
	int json = 0, horizon = 0, per_month = 0, c, rc = TT_EXIT_FAIL, lrc, modes = 0;
	enum cost_mode mode = MODE_BREAKDOWN;
	struct profile prof;
	struct models cat = MODELS_INIT;
	struct costmodel cm;
	struct costmodel_options co;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	char *spec_copy = NULL;

	memset(&prof, 0, sizeof(prof));
	memset(&cm, 0, sizeof(cm));
	if (nk > COST_MAX_KEYS)
		nk = COST_MAX_KEYS;
	for (i = 0; i < TT_ARRAY_SIZE(cost_fixed_options); i++)
		opts[no++] = cost_fixed_options[i];
	for (i = 0; i < nk; i++) {
		char *d;

		if (!strcmp(keys[i].name, "compare"))
			continue; /* --compare is the side-by-side mode; compare=... sets the key */
		opts[no].name = keys[i].name;
		opts[no].has_arg = required_argument;
		opts[no].flag = NULL;
		opts[no].val = OPT_KEY + (int)i;
		no++;
		snprintf(dash_names[i], sizeof(dash_names[i]), "%s", keys[i].name);
		for (d = dash_names[i]; *d; d++)
			if (*d == '_')
				*d = '-';
		if (strcmp(dash_names[i], keys[i].name)) {
			opts[no].name = dash_names[i];
			opts[no].has_arg = required_argument;
			opts[no].flag = NULL;
			opts[no].val = OPT_KEY_DASH + (int)i;
			no++;
		}
	}
	memset(&opts[no], 0, sizeof(opts[no]));

	ov = calloc((size_t)argc + 1, sizeof(*ov));
	if (!ov) {
		cli_error("cost: out of memory");
		return TT_EXIT_FAIL;
	}
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: profile_path = optarg; break;
		case OPT_MODELS: models_path = optarg; break;
		case OPT_AS_OF: as_of = optarg; break;
		case OPT_SOURCE: source = optarg; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (!strcmp(optarg, "table"))
				json = 0;
			else {
				rc = cli_usage(cmd, "--format must be table or json, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_HISTORY: mode = MODE_HISTORY; modes++; break;
		case OPT_COMPARE: compare = optarg; break;
		case OPT_PROJECT: mode = MODE_PROJECT; modes++; break;
		case OPT_GUARD: mode = MODE_GUARD; modes++; break;
		case OPT_THRESHOLD:
			ov[n_ov].key = "threshold_share";
			ov[n_ov++].value = optarg;
			break;
		case OPT_HORIZON: {
			char *end = NULL;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || !end || *end || v < 1 || v > COSTMODEL_MAX_HORIZON_MONTHS) {
				rc = cli_usage(cmd, "--horizon-months must be a whole number in 1..%d, not '%s'",
					       COSTMODEL_MAX_HORIZON_MONTHS, optarg);
				goto out;
			}
			horizon = (int)v;
			break;
		}
		case OPT_FIT: fit = optarg; break;
		case OPT_BUDGET_RUN:
		case OPT_BUDGET_MONTH:
			if (budget) {
				rc = cli_usage(cmd, "give one of --budget-run and --budget-month");
				goto out;
			}
			budget = optarg;
			per_month = c == OPT_BUDGET_MONTH;
			break;
		case 'h':
		case OPT_HELP:
			rc = cli_help(cmd);
			goto out;
		case ':':
			rc = cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
			goto out;
		case '?':
			rc = cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			goto out;
		default:
			if (c >= OPT_KEY_DASH && c < OPT_KEY_DASH + (int)nk)
				ov[n_ov].key = keys[c - OPT_KEY_DASH].name;
			else if (c >= OPT_KEY && c < OPT_KEY + (int)nk)
				ov[n_ov].key = keys[c - OPT_KEY].name;
			else {
				rc = cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
				goto out;
			}
			ov[n_ov++].value = optarg;
			break;
		}
	}
	for (; optind < argc; optind++) {
		char *eq = strchr(argv[optind], '=');

		if (!eq || eq == argv[optind]) {
			rc = cli_usage(cmd, "unexpected argument '%s' (overrides are KEY=VALUE)",
				       argv[optind]);
			goto out;
		}
		*eq = '\0';
		ov[n_ov].key = argv[optind];
		ov[n_ov++].value = eq + 1;
	}
	if (modes > 1 || (compare && modes && mode != MODE_GUARD)) {
		rc = cli_usage(cmd, "give at most one of --history, --compare, --project and --guard "
			       "(--compare LIST may go with --guard)");
		goto out;
	}
	if (compare && mode == MODE_BREAKDOWN)
		mode = MODE_COMPARE;
	if (budget && mode != MODE_GUARD) {
		rc = cli_usage(cmd, "--budget-run and --budget-month go with --guard");
		goto out;
	}
	if (mode == MODE_GUARD && !budget) {
		rc = cli_usage(cmd, "--guard needs --budget-run AMOUNT or --budget-month AMOUNT");
		goto out;
	}
	if ((horizon || fit) && mode != MODE_PROJECT) {
		rc = cli_usage(cmd, "--horizon-months and --fit go with --project");
		goto out;
	}

	/* the profile: file, then overrides in order */
	if (profile_path) {
		lrc = profile_load(&prof, profile_path, &err);
		if (lrc < 0) {
			rc = cli_report("cost", lrc, &err);
			goto out;
		}
	} else {
		profile_init(&prof);
	}
	{
		int models_dropped = 0, compare_dropped = 0;

		for (i = 0; i < n_ov; i++) {
			if (!strcmp(ov[i].key, "model") && !models_dropped) {
				drop_models(&prof.models, &prof.n_models);
				models_dropped = 1;
			}
			if (!strcmp(ov[i].key, "compare") && !compare_dropped) {
				drop_models(&prof.compare, &prof.n_compare);
				compare_dropped = 1;
			}
			lrc = profile_set(&prof, ov[i].key, ov[i].value, "command line", 0, &err);
			if (lrc < 0) {
				rc = cli_report("cost", lrc, &err);
				goto out;
			}
		}
	}
	lrc = profile_check(&prof, &err);
	if (lrc < 0) {
		rc = cli_report("cost", lrc, &err);
		goto out;
	}
	if (!prof.n_models && mode != MODE_COMPARE) {
		rc = cli_usage(cmd, "no model to price: give --profile FILE with a `model` line, or --model PROVIDER/MODEL");
		goto out;
	}

	lrc = models_load(&cat, models_path, &err);
	if (lrc < 0) {
		rc = cli_report("cost", lrc, &err);
		goto out;
	}
	memset(&co, 0, sizeof(co));
	co.as_of = as_of;
	co.source = source;
	lrc = costmodel_init(&cm, &prof, &cat, NULL, &co, &err);
	if (lrc == 0)
		lrc = costmodel_load(&cm, app->st, &err);
	if (lrc < 0) {
		rc = cli_report("cost", lrc, &err);
		goto out;
	}

	if (compare) {
		char *p, *save = NULL;

		spec_copy = strdup(compare);
		specs = calloc(strlen(compare) + 1, sizeof(*specs));
		if (!spec_copy || !specs) {
			cli_error("cost: out of memory");
			goto out;
		}
		for (p = spec_copy; p; p = save) {
			save = strchr(p, ',');
			if (save)
				*save++ = '\0';
			while (*p == ' ')
				p++;
			if (*p)
				specs[n_specs++] = p;
		}
		if (!n_specs) {
			rc = cli_usage(cmd, "--compare needs MODEL[,MODEL...] or a group");
			goto out;
		}
	}

	switch (mode) {
	case MODE_BREAKDOWN: {
		struct costmodel_breakdown b;

		lrc = costmodel_breakdown(&cm, &b, &err);
		if (lrc == 0)
			lrc = costmodel_render_breakdown(&cm, &b, json, &out);
		costmodel_breakdown_release(&b);
		break;
	}
	case MODE_HISTORY: {
		struct costmodel_history h;

		lrc = costmodel_history(&cm, &h, &err);
		if (lrc == 0)
			lrc = costmodel_render_history(&cm, &h, json, &out);
		costmodel_history_release(&h);
		break;
	}
	case MODE_COMPARE: {
		struct costmodel_compare cc;

		if (!profile_tokens_total(&prof)) {
			rc = cli_usage(cmd, "no tokens to price: give --profile FILE or tokens_input=..., tokens_output=...");
			goto out;
		}
		lrc = costmodel_compare(&cm, (const char *const *)specs, n_specs, &cc, &err);
		if (lrc == 0)
			lrc = costmodel_render_compare(&cm, &cc, json, &out);
		costmodel_compare_release(&cc);
		break;
	}
	case MODE_PROJECT: {
		struct costmodel_projection pr;
		struct costmodel_projection_options po;

		memset(&po, 0, sizeof(po));
		po.horizon_months = horizon;
		po.fit = fit;
		lrc = costmodel_project(&cm, &po, &pr, &err);
		if (lrc == 0)
			lrc = costmodel_render_projection(&cm, &pr, json, &out);
		costmodel_projection_release(&pr);
		break;
	}
	case MODE_GUARD: {
		struct costmodel_guard g;
		int64_t nanos = 0;
		char cur[4];

		lrc = parse_budget(budget, &nanos, cur, &err);
		if (lrc < 0) {
			rc = cli_usage(cmd, "%s", err.msg);
			goto out;
		}
		if (cur[0] && strcmp(cur, cm.currency)) {
			rc = cli_usage(cmd, "the budget is in %s and the prices in %s: tokentrend does not mix currencies",
				       cur, cm.currency);
			goto out;
		}
		lrc = costmodel_guard(&cm, nanos, per_month, (const char *const *)specs, n_specs, &g,
				      &err);
		if (lrc == 0)
			lrc = costmodel_render_guard(&cm, &g, json, &out);
		costmodel_guard_release(&g);
		break;
	}
	}
	if (lrc < 0) {
		rc = cli_report("cost", lrc, &err);
		goto out;
	}
	rc = cli_write(&out);
out:
	buf_release(&out);
	free(spec_copy);
	free(specs);
	costmodel_release(&cm);
	models_release(&cat);
	profile_release(&prof);
	free(ov);
	return rc;
}
