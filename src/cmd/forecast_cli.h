/*
 * forecast_cli.h - the series selectors and forecast options that
 * `forecast` and `plot forecast` share, parsed once (src/cmd/forecast.c).
 */
#ifndef TT_FORECAST_CLI_H
#define TT_FORECAST_CLI_H

#include "cli.h"
#include "tokentrend/forecast.h"
#include "tokentrend/series.h"

struct forecast_cli {
	struct series_selector sel;
	struct forecast_options fo;
	int json;         /* forecast: --format json */
	const char *out;  /* plot: --out PATH */
	const char *group;   /* --group NAME: the catalog group's cheapest price */
	const char *profile; /* --profile FILE: the workload's blended price */
	const char *models;  /* --models FILE: the user's catalog file */
	int all_sellers;     /* --all-sellers: group members at every seller, not first party only */
	int all;          /* forecast: --all (every series matching the filter) */
	size_t min_points;/* forecast --all: --min-points N (dated changes), default 1 */
};

/*
 * Build the group (--group) or blended (--profile) series into s, loading
 * the model catalog (and the profile).  On failure the error is reported
 * and an exit code returned; on success returns -1.  (forecast_mix.c)
 */
int forecast_cli_load_mix(const char *what, struct app *app, const struct forecast_cli *fc,
			  struct series *s);

/*
 * Parse argv (argv[0] is the command or kind name) into fc.  is_plot allows
 * --out and refuses --format.  Returns -1 to go on, or an exit code to
 * return at once (usage error, or --help printed).
 */
int forecast_cli_parse(const struct command *cmd, int argc, char **argv, int is_plot,
		       struct forecast_cli *fc);

/*
 * Load the series and run the forecast.  On failure the error is reported
 * (naming the key) and an exit code returned; on success returns -1 and s
 * and f hold the results (release both on every path).
 */
int forecast_cli_run(const char *what, struct app *app, const struct forecast_cli *fc,
		     struct series *s, struct forecast *f);

/*
 * After a forecast without projection: report why on stderr (how many
 * points, that 3 are needed; or "free since") and return TT_EXIT_FAIL; for
 * a projected forecast return TT_EXIT_OK.
 */
int forecast_cli_status(const char *what, const struct forecast *f);

#endif /* TT_FORECAST_CLI_H */
