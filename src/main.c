/*
 * main.c - the thin tokentrend command-line tool: global options, command
 * lookup, and the shared setup the command's flags ask for (open and
 * migrate the database, initialise libcurl, take the single-run lock for
 * commands that write).  Everything else is in the core library and
 * src/cmd/.
 */
#include "tokentrend/tt_compat.h"
#include <curl/curl.h>
#include <libxml/parser.h>

#include "cli.h"
#include "tokentrend/clock.h"
#include "tokentrend/log.h"
#include "tokentrend/schedule.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"
#include "tokentrend/usersrc.h"

/*
 * Commands that write take the run lock beside the database, waiting up
 * to lock_wait_ms (configuration file, TOKENTREND_LOCK_WAIT_MS); a run
 * that cannot get it exits 7 and writes nothing.
 */
static int take_run_lock(const char *db_path, const struct settings *set, struct schedule_lock *lock)
{
	struct tt_error err = { 0 };
	int rc;

	rc = schedule_lock_acquire(db_path, 0, lock, &err);
	if (rc == TT_EBUSY && set->lock_wait_ms > 0) {
		fprintf(stderr, "tokentrend: waiting up to %ld ms for another run to finish (%s)\n",
			set->lock_wait_ms, err.msg);
		rc = schedule_lock_acquire(db_path, set->lock_wait_ms, lock, &err);
	}
	if (rc < 0) {
		/* The lock file sits beside the database: a path where it cannot
		 * be made is a database failure (5); a held lock is "busy" (7). */
		cli_report("run lock", rc, &err);
		return rc == TT_EBUSY ? TT_EXIT_BUSY : TT_EXIT_DB;
	}
	return 0;
}

static char *default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (xdg && *xdg)
		buf_addf(&b, "%s/tokentrend/tokentrend.db", xdg);
	else
		buf_addf(&b, "%s/.local/share/tokentrend/tokentrend.db", home && *home ? home : ".");
	return buf_detach(&b, NULL);
}

static void global_usage(FILE *f)
{
	fprintf(f, "usage: tokentrend [--db PATH] [--sources FILE] [-v] COMMAND [OPTIONS]\n"
		   "       tokentrend help    (lists the commands)\n");
}

int main(int argc, char **argv)
{
	struct app app = { 0 };
	const struct command *cmd;
	char *db_default = NULL;
	struct tt_error err = { 0 };
	struct schedule_lock lock = SCHEDULE_LOCK_INIT;
	struct settings set;
	int i, rc = TT_EXIT_FAIL, curl_inited = 0;
	static char cmd_name[64];

	/* Global options come before the command name. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= argc) {
				cli_error("option '--db' needs a PATH");
				global_usage(stderr);
				return TT_EXIT_USAGE;
			}
			app.db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			app.db_path = argv[i] + 5;
		} else if (!strcmp(argv[i], "--sources")) {
			if (i + 1 >= argc) {
				cli_error("option '--sources' needs a FILE");
				global_usage(stderr);
				return TT_EXIT_USAGE;
			}
			app.sources_path = argv[++i];
		} else if (!strncmp(argv[i], "--sources=", 10)) {
			app.sources_path = argv[i] + 10;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			app.verbose++;
		} else if (!strcmp(argv[i], "-vv")) {
			app.verbose += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return cmd_help(1, argv, &app);
		} else if (!strcmp(argv[i], "--version")) {
			printf("tokentrend %s\n", TT_VERSION);
			return TT_EXIT_OK;
		} else {
			cli_error("unknown option '%s'", argv[i]);
			global_usage(stderr);
			return TT_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		global_usage(stderr);
		return TT_EXIT_USAGE;
	}
	cmd = cli_find(argv[i]);
	if (!cmd) {
		cli_error("unknown command '%s'", argv[i]);
		global_usage(stderr);
		return TT_EXIT_USAGE;
	}
	/* `COMMAND --help` prints usage without opening anything. */
	if (argc - i >= 2 && (!strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h")))
		return cli_help(cmd);

	if (clock_env_check() < 0) {
		cli_error("TOKENTREND_NOW='%s' is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
			  getenv("TOKENTREND_NOW"));
		return TT_EXIT_USAGE;
	}
	if (app.verbose)
		log_set_level(app.verbose >= 2 ? LOG_DEBUG : LOG_INFO);
	else
		log_set_level(LOG_ERROR - 1);

	if (!app.db_path) {
		const char *env = getenv("TOKENTREND_DB");
		if (env && *env) {
			app.db_path = env;
		} else {
			db_default = default_db_path();
			app.db_path = db_default;
		}
	}

	settings_init(&set);
	if (cmd->flags & CMD_NEEDS_NET) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			cli_error("cannot initialise libcurl");
			goto out;
		}
		curl_inited = 1;
	}
	if (cmd->flags & (CMD_NEEDS_DB | CMD_WRITES_DB)) {
		int r = settings_load(&set, NULL, &err);
		if (r < 0) {
			rc = cli_report("configuration", r, &err);
			goto out;
		}
	}
	if (cmd->flags & CMD_WRITES_DB) {
		int r = take_run_lock(app.db_path, &set, &lock);
		if (r != 0) {
			rc = r;
			goto out;
		}
	}
	if (cmd->flags & CMD_NEEDS_DB) {
		struct stat sb;
		int r;

		/* A command that only reads never creates a database: a mistyped
		 * --db would otherwise answer every question with an empty table. */
		if (!(cmd->flags & CMD_WRITES_DB) && strcmp(app.db_path, ":memory:") &&
		    stat(app.db_path, &sb) < 0 && errno == ENOENT) {
			cli_error("no database at '%s'; create it with 'tokentrend init' "
				  "(or name another with --db PATH or TOKENTREND_DB)", app.db_path);
			rc = TT_EXIT_DB;
			goto out;
		}
		r = store_open(app.db_path, set.busy_timeout_ms, &app.st, &err);
		if (r < 0) {
			/* store_open's messages name the path already; any failure to
			 * open the database is a database failure (exit 5). */
			cli_report("database", r, &err);
			rc = r == TT_EBUSY ? TT_EXIT_BUSY : TT_EXIT_DB;
			goto out;
		}
	}
	optind = 0; /* reset getopt for the command's own parsing (glibc) */
	/* getopt's own messages then read "tokentrend scrape: option ...". */
	snprintf(cmd_name, sizeof(cmd_name), "tokentrend %s", cmd->name);
	argv[i] = cmd_name;
	rc = cmd->fn(argc - i, argv + i, &app);
out:
	store_close(app.st);
	usersrc_clear();
	schedule_lock_release(&lock);
	settings_release(&set);
	if (curl_inited)
		curl_global_cleanup();
	xmlCleanupParser();
	free(db_default);
	return rc;
}
