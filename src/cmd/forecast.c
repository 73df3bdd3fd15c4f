/*
 * forecast.c - `tokentrend forecast`: fit the decline models to one price
 * series (or, with --all, to every series matching a filter), choose one by
 * backtest and print the projection with intervals (table or JSON), plus
 * the option parsing that `plot forecast` shares (forecast_cli.h).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "forecast_cli.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"

static const struct option forecast_options_long[] = {
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "dimension", required_argument, NULL, 'd' },
	{ "tier", required_argument, NULL, 't' },
	{ "condition", required_argument, NULL, 'c' },
	{ "region", required_argument, NULL, 'r' },
	{ "source", required_argument, NULL, 's' },
	{ "currency", required_argument, NULL, 'C' },
	{ "horizon-days", required_argument, NULL, 'H' },
	{ "target", required_argument, NULL, 'T' },
	{ "as-of", required_argument, NULL, 'A' },
	{ "format", required_argument, NULL, 'f' },
	{ "out", required_argument, NULL, 'o' },
	{ "fit", required_argument, NULL, 'F' },
	{ "all", no_argument, NULL, 'L' },
	{ "min-points", required_argument, NULL, 'N' },
	{ "help", no_argument, NULL, 'h' },
	{ "group", required_argument, NULL, 'G' },
	{ "profile", required_argument, NULL, 'P' },
	{ "models", required_argument, NULL, 'M' },
	{ "all-sellers", no_argument, NULL, 'S' },
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
		case 'C':
			if (!money_currency_code(optarg))
				return cli_usage(cmd, "--currency takes an ISO code such as USD, not '%s'",
						 optarg);
			fc->sel.currency = optarg;
			break;
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
		case 'F': {
			int forced;
			enum fit_model fm;

			if (forecast_parse_fit(optarg, &forced, &fm) < 0)
				return cli_usage(cmd, "unknown model '%s' for --fit (expected auto, loglinear, rwdrift, harmonic, hyperbolic or expfloor)",
						 optarg);
			fc->fo.fit = optarg;
			break;
		}
		case 'L':
			if (is_plot)
				return cli_usage(cmd, "plot draws one series; --all belongs to `forecast`");
			fc->all = 1;
			break;
		case 'N':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 100000)
				return cli_usage(cmd, "invalid --min-points '%s' (expected a whole number, 1..100000)",
						 optarg);
			fc->min_points = (size_t)v;
			break;
		case 'h':
			return cli_help(cmd);
		case 'G': fc->group = optarg; break;
		case 'P': fc->profile = optarg; break;
		case 'M': fc->models = optarg; break;
		case 'S': fc->all_sellers = 1; break;
		case ':':
			return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (fc->all && (fc->group || fc->profile))
		return cli_usage(cmd, "--all goes over single-key series: not with --group or --profile");
	if (fc->min_points && !fc->all)
		return cli_usage(cmd, "--min-points goes with --all");
	if (fc->all) {
		if (!fc->min_points)
			fc->min_points = 1;
		return -1;
	}
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

/* Key order for --all: provider, model, dimension, tier, condition, region, currency
 * (a key priced in two currencies is two series). */
static int key_cmp(const void *a, const void *b)
{
	const struct price *x = &(*(const struct price_row *const *)a)->p;
	const struct price *y = &(*(const struct price_row *const *)b)->p;
	const char *xs[7] = { x->provider, x->model,  x->dimension, x->tier,
			      x->condition, x->region, x->currency };
	const char *ys[7] = { y->provider, y->model,  y->dimension, y->tier,
			      y->condition, y->region, y->currency };
	int i, c;

	for (i = 0; i < 7; i++) {
		c = strcmp(xs[i] ? xs[i] : "", ys[i] ? ys[i] : "");
		if (c)
			return c;
	}
	return 0;
}

static int str_eq0(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* `forecast --all`: every series (key) matching the filter, one after another. */
static int forecast_all(struct app *app, const struct forecast_cli *fc)
{
	struct price_rows rows = PRICE_ROWS_INIT, view = PRICE_ROWS_INIT;
	const struct price_row **idx = NULL;
	struct query_filter qf;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	size_t i, j, k, n_series = 0, n_forecast = 0, n_scored = 0, n_beat = 0, n_failed = 0;
	int rc;

	memset(&qf, 0, sizeof(qf));
	qf.provider = fc->sel.provider;
	qf.model = fc->sel.model;
	qf.dimension = fc->sel.dimension;
	qf.tier = fc->sel.tier;
	qf.source = fc->sel.source;
	rc = query_history(app->st, &qf, &rows, &err);
	if (rc < 0) {
		rc = cli_report("forecast", rc, &err);
		goto out;
	}
	if (rows.n) {
		idx = calloc(rows.n, sizeof(*idx));
		view.v = calloc(rows.n, sizeof(*view.v));
		if (!idx || !view.v) {
			cli_error("forecast: out of memory for %zu rows", rows.n);
			rc = TT_EXIT_FAIL;
			goto out;
		}
	}
	for (i = 0; i < rows.n; i++)
		idx[i] = &rows.v[i];
	if (rows.n)
		qsort(idx, rows.n, sizeof(*idx), key_cmp);
	rc = fc->json ? buf_adds(&out, "[") : forecast_render_line_header(&out);
	for (i = 0; i < rows.n && rc == 0; i = j) {
		const struct price *p = &idx[i]->p;
		struct series_selector sel;
		struct series s = SERIES_INIT;
		struct forecast f;

		for (j = i + 1; j < rows.n && key_cmp(&idx[i], &idx[j]) == 0; j++)
			;
		if ((fc->sel.condition && !str_eq0(fc->sel.condition, p->condition)) ||
		    (fc->sel.region && !str_eq0(fc->sel.region, p->region)) ||
		    (fc->sel.currency && !str_eq0(fc->sel.currency, p->currency)))
			continue;
		/* a shallow view of this key's rows: series_from_rows only reads them */
		for (k = i; k < j; k++)
			view.v[k - i] = *idx[k];
		view.n = j - i;
		memset(&sel, 0, sizeof(sel));
		sel.provider = p->provider;
		sel.model = p->model;
		sel.dimension = p->dimension;
		sel.tier = p->tier;
		sel.condition = p->condition ? p->condition : "";
		sel.region = p->region ? p->region : "";
		sel.source = fc->sel.source;
		sel.currency = p->currency;
		memset(&f, 0, sizeof(f));
		rc = series_from_rows(&view, &sel, &s, &err);
		if (rc < 0) {
			cli_error("forecast: skipped %s/%s %s %s %s: %s", p->provider, p->model,
				  p->dimension, p->tier, p->currency, err.msg);
			n_failed++;
			rc = 0;
			series_release(&s);
			continue;
		}
		if (s.n < fc->min_points) {
			series_release(&s);
			continue;
		}
		n_series++;
		rc = forecast_run(&s, &fc->fo, &f, &err);
		if (rc < 0) {
			cli_error("forecast: %s/%s %s %s %s: %s", p->provider, p->model, p->dimension,
				  p->tier, p->currency, err.msg);
			n_failed++;
			rc = 0;
		} else {
			if (f.status == FORECAST_OK || f.status == FORECAST_NO_INTERVAL)
				n_forecast++;
			if (f.n_common) {
				n_scored++;
				n_beat += f.beats_naive != 0;
			}
			if (fc->json) {
				if (n_series > 1)
					rc = buf_adds(&out, ",");
				if (rc == 0)
					rc = buf_addch(&out, '\n');
				if (rc == 0)
					rc = forecast_render_json(&f, &out);
				if (rc == 0 && out.len && out.buf[out.len - 1] == '\n')
					out.buf[--out.len] = '\0';
			} else {
				rc = forecast_render_line(&f, &out);
			}
		}
		forecast_release(&f);
		series_release(&s);
	}
	if (rc == 0)
		rc = fc->json ? buf_adds(&out, "\n]\n")
			      : buf_addf(&out, "\n%zu series with at least %zu dated change%s; %zu projected; "
					       "%zu with a scored backtest, of which a model beats naive in %zu\n",
					 n_series, fc->min_points, fc->min_points == 1 ? "" : "s", n_forecast,
					 n_scored, n_beat);
	if (rc < 0) {
		cli_error("forecast: out of memory rendering the results");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	if (!n_series && !n_failed) {
		cli_error("forecast: no series matches the filter%s", fc->min_points > 1 ? " and --min-points" : "");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
	if (rc == TT_EXIT_OK && n_failed && !n_series)
		rc = TT_EXIT_FAIL;
out:
	free(idx);
	free(view.v); /* shallow copies: the strings belong to rows */
	price_rows_release(&rows);
	buf_release(&out);
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
	if (fc.all)
		return forecast_all(app, &fc);
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
