/*
 * plot_cost.c - `tokentrend plot cost`: a workload's monthly cost layers
 * over time, and (--compare) the same workload priced across models.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "plot_cli.h"

int cmd_plot_cost(int argc, char **argv, struct app *app)
{
	(void)argc;
	(void)argv;
	(void)app;
	cli_error("plot cost: not built yet");
	return TT_EXIT_FAIL;
}
