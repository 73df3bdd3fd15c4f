/*
 * schedule.h - running unattended: the single-run lock, installing and
 * removing a daily systemd user timer or cron entry, and the daemon's
 * plan (catch up after downtime, then sleep until the next slot).
 *
 * The lock is flock(2) on "<database>.lock" beside the database: every
 * command that writes takes it (src/main.c), so a scheduled run, a manual
 * run and the daemon never overlap; a run that finds it held waits up to
 * a bounded time, then gives up with TT_EBUSY (exit status 7).  The lock
 * dies with its process, so a killed run never leaves it held.
 *
 * Install writes a manifest ($XDG_CONFIG_HOME/tokentrend/schedule.installed)
 * of exactly what it wrote, and remove undoes exactly that.  systemctl,
 * crontab and loginctl are found on PATH and run without a shell.
 * Nothing here prints.
 */
#ifndef TT_SCHEDULE_H
#define TT_SCHEDULE_H

#include <stddef.h>
#include <time.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

/* ---- the run lock ------------------------------------------------------------ */

struct schedule_lock {
	int fd;       /* -1 when not held */
	char *path;   /* owned */
};

#define SCHEDULE_LOCK_INIT { -1, NULL }

/*
 * Take the run lock of the database at db_path, waiting up to wait_ms
 * (0: try once).  Databases without a file (":memory:", "file:" URIs) need
 * no lock: returns 0 holding nothing.  Returns 0, TT_EBUSY when another
 * process held it all along (*err names the holder's pid and the lock
 * file), TT_EIO when the lock file cannot be opened.  Release with
 * schedule_lock_release (NULL-safe, idempotent).
 */
int schedule_lock_acquire(const char *db_path, long wait_ms, struct schedule_lock *lk,
			  struct tt_error *err);
void schedule_lock_release(struct schedule_lock *lk);

/* ---- install / remove / status ----------------------------------------------- */

enum schedule_kind {
	SCHEDULE_AUTO = 0,  /* systemd when a user manager answers, else cron */
	SCHEDULE_SYSTEMD,
	SCHEDULE_CRON,
};

struct schedule_opts {
	enum schedule_kind kind;
	const char *binary;       /* absolute path of tokentrend */
	const char *db_path;      /* absolute path of the database */
	int hour, minute;         /* daily time, local (default 06:17 when both < 0) */
	long random_delay_s;      /* systemd RandomizedDelaySec; < 0: 3600 */
};

/* What is installed, as recorded in the manifest. */
struct schedule_state {
	enum schedule_kind kind;  /* SCHEDULE_AUTO: nothing installed */
	char *files[4];           /* files written (systemd units); owned */
	size_t nfiles;
	char *unit;               /* the timer unit enabled, or NULL; owned */
	char *cron_line;          /* the crontab line added, or NULL; owned */
	char *time;               /* "HH:MM" */
	char *installed;          /* timestamp */
	char *db_path;            /* the database the schedule runs against */
	char *manifest;           /* where this was read from; owned */
};

void schedule_state_release(struct schedule_state *s);

/* The manifest path (malloc'd; caller frees). */
char *schedule_manifest_path(void);

/*
 * Install the daily schedule.  notes receives lines for the user (the
 * linger advice, where logs go).  Refuses (TT_EINVAL) when a schedule is
 * already installed.  Returns 0 or a negative code; on failure whatever
 * was written is undone.
 */
int schedule_install(const struct schedule_opts *o, struct schedule_state *out, struct buf *notes,
		     struct tt_error *err);

/* Remove exactly what the manifest lists.  TT_ENOTFOUND when nothing is
 * installed.  *removed (may be NULL) receives what was removed. */
int schedule_remove(struct schedule_state *removed, struct buf *notes, struct tt_error *err);

/* Read the manifest: 0 (s->kind AUTO when nothing is installed) or TT_EIO. */
int schedule_read(struct schedule_state *s, struct tt_error *err);

/*
 * The next run of the installed schedule as text into out: systemd's
 * NextElapseUSecRealtime for the timer, or the next local HH:MM for cron.
 */
int schedule_next_run(const struct schedule_state *s, time_t now, char *out, size_t n,
		      struct tt_error *err);

/* The text of the systemd service and timer units, and of the cron line,
 * for o (exposed for tests and --dry-run). */
int schedule_systemd_units(const struct schedule_opts *o, struct buf *service, struct buf *timer);
int schedule_cron_line(const struct schedule_opts *o, struct buf *line);

/* ---- the daemon's plan ----------------------------------------------------------- */

/* The next local time at hour:minute strictly after now. */
time_t schedule_next_slot(time_t now, int hour, int minute);

/* 1 when a run is due now because the last successful run (0: never) is a
 * day old or older. */
int schedule_catch_up_due(time_t now, time_t last_success);

/* "HH:MM" -> hour and minute; 0 or TT_EINVAL. */
int schedule_parse_time(const char *s, int *hour, int *minute);

#endif /* TT_SCHEDULE_H */
