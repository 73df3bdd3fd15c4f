/*
 * forecast.c - `tokentrend forecast`: fit a decline curve to one price
 * series and print its projection with intervals (table or JSON), plus the
 * option parsing that `plot forecast` shares (forecast_cli.h).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "forecast_cli.h"

#include "tokentrend/clock.h"

static const struct option forecast_options_long[] = {
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "dimension", required_argument, NULL, 'd' },
	{ "tier", required_argument, NULL, 't' },
	{ "condition", required_argument, NULL, 'c' },
	{ "region", required_argument, NULL, 'r' },
	{ "source", required_argument, NULL, 's' },
	{ "horizon-days", required_argument, NULL, 'H' },
	{ "target", required_argument, NULL, 'T' },
	{ "as-of", required_argument, NULL, 'A' },
	{ "format", required_argument, NULL, 'f' },
	{ "out", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "group", required_argument, NULL, 'G' },
	{ "profile", required_argument, NULL, 'P' },
	{ "models", required_argument, NULL, 'M' },
	{ "all-sellers", no_argument, NULL, 'L' },
	{ NULL, 0, NULL, 0 },
};

int forecast_cli_parse(const struct command *cmd, int argc, char **argv, int is_plot,
		       struct forecast_cli *fc)
{
	char *end;
	long v;
	double d;
	int c;

	memset(fc, 0, sizeof(*fc));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", forecast_options_long, NULL)) != -1) {
		switch (c) {
		case 'p': fc->sel.provider = optarg; break;
		case 'm': fc->sel.model = optarg; break;
		case 'd': fc->sel.dimension = optarg; break;
		case 't': fc->sel.tier = optarg; break;
		case 'c': fc->sel.condition = optarg; break;
		case 'r': fc->sel.region = optarg; break;
		case 's': fc->sel.source = optarg; break;
		case 'H':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > FORECAST_MAX_HORIZON_DAYS)
				return cli_usage(cmd, "invalid --horizon-days '%s' (expected a whole number of days, 1..%d)",
						 optarg, FORECAST_MAX_HORIZON_DAYS);
			fc->fo.horizon_days = (int)v;
			break;
		case 'T':
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(d) || d <= 0.0)
				return cli_usage(cmd, "invalid --target '%s' (expected a positive price, e.g. 0.015)",
						 optarg);
			fc->fo.has_target = 1;
			fc->fo.target = d;
			break;
		case 'A':
			if (!date_valid(optarg))
				return cli_usage(cmd, "invalid date '%s' for --as-of (expected YYYY-MM-DD)", optarg);
			fc->fo.as_of = optarg;
			break;
		case 'f':
			if (is_plot)
				return cli_usage(cmd, "plot takes --out PATH (.png or .svg), not --format");
			if (!strcmp(optarg, "json"))
				fc->json = 1;
			else if (strcmp(optarg, "table"))
				return cli_usage(cmd, "unknown format '%s' for --format (expected table or json)",
						 optarg);
			break;
		case 'o':
			if (!is_plot)
				return cli_usage(cmd, "--out belongs to `plot forecast`; forecast prints to stdout");
			fc->out = optarg;
			break;
		case 'h':
			return cli_help(cmd);
		case 'G': fc->group = optarg; break;
		case 'P': fc->profile = optarg; break;
		case 'M': fc->models = optarg; break;
		case 'L': fc->all_sellers = 1; break;
		case ':':
			return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (fc->group && fc->profile)
		return cli_usage(cmd, "--group and --profile exclude each other");
	if (fc->group && (fc->sel.model || fc->sel.condition || fc->sel.region))
		return cli_usage(cmd, "--group takes the group's members from the model catalog: "
				 "no --model, --condition or --region (--provider keeps one seller)");
	if (fc->profile && (fc->sel.provider || fc->sel.model || fc->sel.dimension || fc->sel.tier ||
			    fc->sel.condition || fc->sel.region))
		return cli_usage(cmd, "--profile takes the models and the token mix from the profile: "
				 "no --provider, --model, --dimension, --tier, --condition or --region");
	if (fc->all_sellers && !fc->group)
		return cli_usage(cmd, "--all-sellers belongs to --group");
	if (fc->all_sellers && fc->sel.provider)
		return cli_usage(cmd, "--all-sellers and --provider exclude each other");
	if (fc->group || fc->profile)
		return -1;
	if (!fc->sel.provider || !fc->sel.provider[0])
		return cli_usage(cmd, "--provider is required");
	if (!fc->sel.model || !fc->sel.model[0])
		return cli_usage(cmd, "--model is required");
	return -1;
}

int forecast_cli_run(const char *what, struct app *app, const struct forecast_cli *fc,
		     struct series *s, struct forecast *f)
{
	struct tt_error err = { 0 };
	int rc;

	memset(f, 0, sizeof(*f));
	if (fc->group || fc->profile) {
		rc = forecast_cli_load_mix(what, app, fc, s);
		if (rc >= 0)
			return rc;
	} else {
		rc = series_load(app->st, &fc->sel, s, &err);
		if (rc < 0)
			return cli_report(what, rc, &err);
	}
	rc = forecast_run(s, &fc->fo, f, &err);
	if (rc < 0)
		return cli_report(what, rc, &err);
	return -1;
}

int forecast_cli_status(const char *what, const struct forecast *f)
{
	struct buf key = BUF_INIT, span = BUF_INIT;
	int rc = TT_EXIT_FAIL;

	if (f->status != FORECAST_INSUFFICIENT && f->status != FORECAST_FREE)
		return TT_EXIT_OK;
	if (series_describe(f->series, &key) < 0)
		goto out;
	if (f->first_date[0] && strcmp(f->first_date, f->last_date)) {
		if (buf_addf(&span, " (%s .. %s)", f->first_date, f->last_date) < 0)
			goto out;
	} else if (f->first_date[0] && buf_addf(&span, " (%s)", f->first_date) < 0) {
		goto out;
	}
	if (f->status == FORECAST_FREE)
		cli_error("%s: %s is free since %s: there is no price decline left to forecast", what,
			  key.buf, f->free_since);
	else
		cli_error("%s: insufficient data: %s has %zu priced change%s%s; %d are needed for a "
			  "forecast with intervals", what, key.buf, f->n_points,
			  f->n_points == 1 ? "" : "s", span.buf, FIT_MIN_POINTS_INTERVAL);
out:
	buf_release(&key);
	buf_release(&span);
	return rc;
}

int cmd_forecast(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("forecast");
	struct forecast_cli fc;
	struct series s = SERIES_INIT;
	struct forecast f;
	struct buf out = BUF_INIT;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = forecast_cli_parse(cmd, argc, argv, 0, &fc);
	if (rc >= 0)
		return rc;
	rc = forecast_cli_run("forecast", app, &fc, &s, &f);
	if (rc >= 0)
		goto out;
	if ((fc.json ? forecast_render_json(&f, &out) : forecast_render_table(&f, &out)) < 0) {
		cli_error("forecast: out of memory rendering the result");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
	if (rc == TT_EXIT_OK)
		rc = forecast_cli_status("forecast", &f);
out:
	buf_release(&out);
	forecast_release(&f);
	series_release(&s);
	return rc;
}
