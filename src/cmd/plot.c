/*
 * plot.c - `tokentrend plot KIND ...`: dispatch to the kind (forecast,
 * history, cost) and `plot forecast`: render a forecast fan chart with
 * gnuplot (image, data and script side by side; see plot.h).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "forecast_cli.h"
#include "plot_cli.h"

#include "tokentrend/plot.h"

int plot_cli_wrote(const char *image, const char *data, const char *script)
{
	printf("wrote %s (data %s, script %s)\n", image, data, script);
	return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
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
