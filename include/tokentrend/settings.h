/*
 * settings.h - the user's configuration file for fetching, runs and
 * notifications.
 *
 * One file, found at $TOKENTREND_CONFIG, else
 * $XDG_CONFIG_HOME/tokentrend/tokentrend.conf, else
 * ~/.config/tokentrend/tokentrend.conf; absent means defaults.  Lines are
 * `key = value` in sections; `#` starts a comment:
 *
 *   [fetch]                      every source (keys: settings_keys[] in settings.c)
 *   user_agent = ...
 *   parallel = 4
 *   total_timeout_ms = 120000
 *   [source openrouter]          one source: url and the per-request keys
 *   max_body = 67108864
 *   [notify]
 *   webhook = https://hooks.slack.com/services/...
 *   command = /usr/local/bin/price-alert --channel ops
 *   rule = move 10 provider=openai
 *
 * Unknown keys and bad values are errors naming FILE:LINE; a webhook URL
 * is never repeated in a message.  Defaults < file < environment
 * (TOKENTREND_LOCK_WAIT_MS) < flags.
 */
#ifndef TT_SETTINGS_H
#define TT_SETTINGS_H

#include <stddef.h>

#include "tokentrend/err.h"
#include "tokentrend/http.h"
#include "tokentrend/notify.h"

struct settings_source {
	char *id;                  /* catalog id; owned */
	char *url;                 /* replaces the catalog URL, or NULL; owned */
	struct http_opts http;     /* non-zero fields override [fetch] */
};

struct settings {
	char *path;                /* the file read, or NULL; owned */
	char *user_agent;          /* or NULL for the default; owned (http.user_agent points here) */
	struct http_opts http;     /* [fetch] request options */
	int parallel;              /* transfers at once; 4 */
	int per_host;              /* transfers at once to one host; 1 */
	int robots;                /* obey robots.txt; 1 */
	long lock_wait_ms;         /* how long a run waits for the run lock; 60000 */
	int busy_timeout_ms;       /* SQLite busy timeout: another writer's transaction; 10000 */
	int snapshot_keep_days;    /* keep every snapshot this long; 0 keeps all forever; 90 */
	int missed_runs;           /* absent from this many successful runs: removed; 3 */
	struct settings_source *sources;
	size_t nsources;
	struct notify_config notify;
};

/* Defaults (no file). */
void settings_init(struct settings *s);

/* Free everything s owns; s is left at defaults.  NULL is a no-op. */
void settings_release(struct settings *s);

/*
 * Read the configuration file: path, or (NULL) the default location
 * above, where absence is fine.  An explicit path that does not exist is
 * TT_EIO.  Returns 0, TT_EINVAL (bad line: FILE:LINE and the reason in
 * *err), TT_EIO or TT_ENOMEM.  Environment overrides are applied last.
 */
int settings_load(struct settings *s, const char *path, struct tt_error *err);

/* The default path into a malloc'd string (caller frees). */
char *settings_default_path(void);

/*
 * The request options and URL for source id: [fetch] merged with
 * [source id].  *url is catalog_url unless the file replaces it.
 * out is a copy; its user_agent points into s.
 */
void settings_source_http(const struct settings *s, const char *id, const char *catalog_url,
			  struct http_opts *out, const char **url);

#endif /* TT_SETTINGS_H */
