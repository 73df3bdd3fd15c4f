/*
 * cli.h - the command table and what every subcommand shares.
 *
 * Adding a command:
 *   1. write src/cmd/<name>.c defining `int cmd_<name>(int argc, char **argv,
 *      struct app *app)`, with its own getopt_long `struct option[]` beside
 *      its usage string; it parses its options, does its work through the
 *      core library, prints results to stdout and errors through
 *      cli_error()/cli_report(), and returns an enum tt_exit code;
 *   2. declare it below and add its row to commands[] in src/cmd/commands.c
 *      (name, handler, CMD_* flags, usage, one-line summary);
 *   3. CMake picks up every .c file in src/cmd by itself;
 *   4. add tests/cli/test_<name>.sh (exit codes, stdout vs stderr);
 *   5. document it in README.md.
 * argv[0] is the command name; getopt state is reset by the dispatcher.
 */
#ifndef TT_CLI_H
#define TT_CLI_H

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

struct store;

/* Documented exit codes (README, `tokentrend help`). */
enum tt_exit {
	TT_EXIT_OK = 0,       /* success */
	TT_EXIT_FAIL = 1,     /* runtime failure */
	TT_EXIT_USAGE = 2,    /* bad command line */
	TT_EXIT_NET = 3,      /* network failure (every source failed to fetch) */
	TT_EXIT_PARSE = 4,    /* extraction or input-file failure */
	TT_EXIT_DB = 5,       /* database failure */
	TT_EXIT_PARTIAL = 6,  /* scrape: some sources failed, others stored */
	TT_EXIT_BUSY = 7,     /* database busy / run lock held past the wait budget */
};

enum cmd_flags {
	CMD_NEEDS_DB = (1 << 0),  /* open and migrate the database first */
	CMD_NEEDS_NET = (1 << 1), /* initialise libcurl */
	CMD_WRITES_DB = (1 << 2), /* writes: documented, used by the run lock */
};

struct app {
	const char *db_path;  /* --db, TOKENTREND_DB, or the XDG default */
	struct store *st;     /* open when the command has CMD_NEEDS_DB */
	int verbose;          /* -v count */
	const char *sources_path; /* --sources FILE (user-defined sources), or NULL */
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct app *app);
	unsigned flags;
	const char *usage;   /* "prices [--as-of DATE] [--format table|csv|json] ..." */
	const char *summary; /* one line */
};

extern const struct command commands[];
extern const size_t command_count;

/* Exact lookup; NULL when unknown (no prefix matching). */
const struct command *cli_find(const char *name);

/* Print "tokentrend: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a usage error for cmd to stderr and return TT_EXIT_USAGE. */
int cli_usage(const struct command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the command's --help text to stdout and return TT_EXIT_OK. */
int cli_help(const struct command *cmd);

/* Report a library failure (rc < 0 with details in err) on stderr, prefixed
 * by what, and map it to an exit code. */
int cli_report(const char *what, int rc, const struct tt_error *err);

/* Map a TT_E* code to an exit code. */
int cli_exit_for(int rc);

/* Write b to stdout and check fflush/ferror; returns TT_EXIT_OK or TT_EXIT_FAIL. */
int cli_write(const struct buf *b);

int cmd_help(int argc, char **argv, struct app *app);
int cmd_init(int argc, char **argv, struct app *app);
int cmd_scrape(int argc, char **argv, struct app *app);
int cmd_sources(int argc, char **argv, struct app *app);
int cmd_prices(int argc, char **argv, struct app *app);
int cmd_history(int argc, char **argv, struct app *app);
int cmd_changes(int argc, char **argv, struct app *app);
int cmd_import(int argc, char **argv, struct app *app);
int cmd_forecast(int argc, char **argv, struct app *app);
int cmd_plot(int argc, char **argv, struct app *app);
int cmd_review(int argc, char **argv, struct app *app);

/*
 * Load the user-defined sources (usersrc.h) into the catalog: from
 * app->sources_path (`--sources FILE`), else $TOKENTREND_SOURCES, else
 * $XDG_CONFIG_HOME/tokentrend/sources.conf (~/.config/... without
 * XDG_CONFIG_HOME) when that file exists.  A named file that is missing or
 * any mistake in the file is reported on stderr.  Commands that work with
 * sources (scrape, sources) call it before reading their options.
 * Returns TT_EXIT_OK or the exit code to return.
 */
int cli_load_user_sources(struct app *app);
int cmd_models(int argc, char **argv, struct app *app);
int cmd_cost(int argc, char **argv, struct app *app);

#endif /* TT_CLI_H */
