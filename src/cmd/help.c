/*
 * help.c - `tokentrend help [COMMAND]`: generated from the command table.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"

static const char exit_codes[] =
	"exit status:\n"
	"  0  success\n"
	"  1  runtime failure\n"
	"  2  usage error (unknown command or option, bad value)\n"
	"  3  network failure (no source could be fetched)\n"
	"  4  extraction or input-file failure\n"
	"  5  database failure\n"
	"  6  scrape: some sources failed, the others were stored\n"
	"  7  database busy, or another run holds the lock\n";

int cmd_help(int argc, char **argv, struct app *app)
{
	size_t i;

	(void)app;
	if (argc > 1 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
		const struct command *c = cli_find(argv[1]);
		if (!c) {
			cli_error("unknown command '%s'", argv[1]);
			return TT_EXIT_USAGE;
		}
		return cli_help(c);
	}
	printf("usage: tokentrend [--db PATH] [--sources FILE] [-v] COMMAND [OPTIONS]\n\n"
	       "Tracks what LLM APIs cost over time and forecasts where prices go.\n\n"
	       "commands:\n");
	for (i = 0; i < command_count; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'tokentrend help COMMAND' or 'tokentrend COMMAND --help' shows a command's options.\n"
	       "The database is --db PATH, else $TOKENTREND_DB, else\n"
	       "$XDG_DATA_HOME/tokentrend/tokentrend.db (~/.local/share/tokentrend/tokentrend.db).\n"
	       "User-defined sources are read from --sources FILE, else $TOKENTREND_SOURCES, else\n"
	       "$XDG_CONFIG_HOME/tokentrend/sources.conf (~/.config/tokentrend/sources.conf).\n\n%s",
	       exit_codes);
	return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
}
