/*
 * plot_cli.h - the kinds of `tokentrend plot`, one handler each:
 * plot forecast (plot.c), plot history (plot_history.c), plot cost
 * (plot_cost.c).  argv[0] is the kind's name.
 */
#ifndef TT_PLOT_CLI_H
#define TT_PLOT_CLI_H

#include "cli.h"

int cmd_plot_history(int argc, char **argv, struct app *app);
int cmd_plot_cost(int argc, char **argv, struct app *app);

/* Print where the files went; returns TT_EXIT_OK or TT_EXIT_FAIL. */
int plot_cli_wrote(const char *image, const char *data, const char *script);

#endif /* TT_PLOT_CLI_H */
