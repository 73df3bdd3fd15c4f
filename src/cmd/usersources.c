/*
 * usersources.c - finding and loading the user-defined sources file for
 * the commands that work with sources (cli.h: cli_load_user_sources).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/usersrc.h"

int cli_load_user_sources(struct app *app)
{
	struct tt_error err = { 0 };
	struct buf path = BUF_INIT;
	const char *env = getenv("TOKENTREND_SOURCES");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int named = 1, rc = TT_EXIT_OK, r;
	struct stat sb;

	if (app->sources_path)
		buf_adds(&path, app->sources_path);
	else if (env && *env)
		buf_adds(&path, env);
	else if (xdg && *xdg)
		buf_addf(&path, "%s/tokentrend/sources.conf", xdg), named = 0;
	else if (home && *home)
		buf_addf(&path, "%s/.config/tokentrend/sources.conf", home), named = 0;
	else
		goto out;
	if (!named && stat(path.buf, &sb) < 0 && errno == ENOENT)
		goto out; /* no file in the default place: no user sources */
	r = usersrc_load_file(path.buf, &err);
	if (r < 0) {
		cli_error("user-defined sources: %s", err.msg);
		rc = r == TT_EIO || r == TT_ENOMEM ? TT_EXIT_FAIL : TT_EXIT_USAGE;
	}
out:
	buf_release(&path);
	return rc;
}
