/*
 * plot.c - `tokentrend plot KIND ...`: dispatch to the kind (forecast,
 * history, cost) and `plot forecast`: render a forecast fan chart with
 * gnuplot (image, data and script side by side; see plot.h).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "forecast_cli.h"
#include "plot_cli.h"

#include "tokentrend/costmodel.h"
#include "tokentrend/plot.h"
#include "tokentrend/profile.h"

int plot_cli_wrote(const char *image, const char *data, const char *script)
{
	printf("wrote %s (data %s, script %s)\n", image, data, script);
	return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
}

/*
 * The threshold of a workload profile as a price: the price of 1M tokens
 * of the profile's mix at which today's API bill (tokens x (1 + silent))
 * equals threshold_share x engineering cost, as `cost --project` computes
 * it (p*), with engineering converted into the prices' currency by the
 * cost model.  Sets fo->target and writes the box's first line to label.
 * Returns -1 to go on, or an exit code.
 */
static int plot_profile_target(const struct forecast_cli *fc, struct forecast_options *fo,
			       char *label, size_t len)
{
	struct profile prof;
	struct costmodel cm;
	struct costmodel_options co;
	struct tt_error err = { 0 };
	char shr[32], eng[64], sil[32], p[48];
	double tokens, denom;
	int rc;

	memset(&prof, 0, sizeof(prof));
	memset(&cm, 0, sizeof(cm));
	memset(&co, 0, sizeof(co));
	co.as_of = fc->fo.as_of;
	co.currency = fc->sel.currency;
	rc = profile_load(&prof, fc->profile, &err);
	if (rc == 0)
		rc = costmodel_init(&cm, &prof, NULL, NULL, &co, &err);
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	tokens = (double)profile_tokens_total(&prof);
	denom = tokens * (1.0 + profile_share_value(prof.silent_share));
	if (!(denom > 0) || cm.engineering_nanos <= 0) {
		cli_error("plot: %s has no tokens or no engineering cost, so it sets no threshold price; "
			  "give --target PRICE", fc->profile);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	fo->has_target = 1;
	fo->target = profile_share_value(prof.threshold_share) * ((double)cm.engineering_nanos / 1e9) *
		     1e6 / denom;
	snprintf(label, len, "threshold: %s%% of engineering (%s %s/month)\nat today's %.4gM tokens%s%s%s "
		 "= %s %s per 1M tokens of the mix%s",
		 costmodel_fmt_share(prof.threshold_share, shr, sizeof(shr)),
		 costmodel_fmt_money(cm.engineering_nanos, eng, sizeof(eng)), cm.currency, tokens / 1e6,
		 prof.silent_share ? " (+" : "",
		 prof.silent_share ? costmodel_fmt_share(prof.silent_share, sil, sizeof(sil)) : "",
		 prof.silent_share ? "% silent)" : "", forecast_fmt_num(fo->target, 4, p, sizeof(p)),
		 cm.currency, prof.token_growth || prof.engineering_growth ? " (growth not drawn: see plot cost)" : "");
	rc = -1;
out:
	costmodel_release(&cm);
	profile_release(&prof);
	return rc;
}

int cmd_plot(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("plot");
	struct forecast_cli fc;
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct plot_options po = { NULL, 0, 0, NULL, NULL };
	struct tt_error err = { 0 };
	char target_label[512];
	int rc;

	memset(&f, 0, sizeof(f));
	if (argc < 2)
		return cli_usage(cmd, "what to plot? (expected: plot forecast|history|cost ...)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cli_help(cmd);
	if (!strcmp(argv[1], "history"))
		return cmd_plot_history(argc - 1, argv + 1, app);
	if (!strcmp(argv[1], "cost"))
		return cmd_plot_cost(argc - 1, argv + 1, app);
	if (strcmp(argv[1], "forecast"))
		return cli_usage(cmd, "unknown plot kind '%s' (expected: forecast, history or cost)", argv[1]);
	rc = forecast_cli_parse(cmd, argc - 1, argv + 1, 1, &fc);
	if (rc >= 0)
		return rc;
	if (fc.profile && !fc.fo.has_target) {
		rc = plot_profile_target(&fc, &fc.fo, target_label, sizeof(target_label));
		if (rc >= 0)
			return rc;
		po.target_label = target_label;
	}
	rc = forecast_cli_run("plot", app, &fc, &s, &f);
	if (rc >= 0)
		goto out;
	if (f.status == FORECAST_INSUFFICIENT || f.status == FORECAST_FREE) {
		rc = forecast_cli_status("plot", &f);
		goto out;
	}
	po.out = fc.out;
	rc = plot_forecast(&f, &po, &pf, &err);
	if (rc < 0) {
		rc = cli_report("plot", rc, &err);
		goto out;
	}
	rc = plot_cli_wrote(pf.image, pf.data, pf.script);
out:
	plot_files_release(&pf);
	forecast_release(&f);
	series_release(&s);
	return rc;
}
