/*
 * daemon.c - `tokentrend daemon [--at HH:MM] [--once] [--retry-minutes N]`:
 * the scheduler for containers and machines without systemd or cron.
 *
 * At start, and whenever it wakes, it runs a live scrape when the last
 * successful one (status ok or partial) is a day old or older (catch-up
 * after downtime); then it sleeps until the next daily slot (local time,
 * default 06:17) and runs again.  After a run in which every source
 * failed it tries again after --retry-minutes (default 60) until one
 * succeeds.  Each run takes the run lock (so a manual `scrape` never
 * overlaps it), reloads the configuration file and sends notifications.
 * SIGTERM or SIGINT stops it cleanly: no new fetch starts, the current
 * source's transaction commits or rolls back whole, exit status 0.
 * One line per event on stdout (the container's log).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/notify.h"
#include "tokentrend/schedule.h"
#include "tokentrend/scrape.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"

static volatile sig_atomic_t daemon_stop;

static void on_signal(int sig)
{
	(void)sig;
	daemon_stop = 1;
}

static void stamp(char out[21])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char ts[21];
	va_list ap;

	stamp(ts);
	printf("%s ", ts);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void print_result(const struct scrape_result *res, void *ud)
{
	(void)ud;
	if (res->stopped)
		return;
	if (res->rc == 0)
		say("%-11s %s  %-7s %5zu prices  %4zu models  %5zu changes", res->source, res->date, res->status,
		    res->prices, res->models, res->changes);
	else
		say("%-11s %s  %s: %s", res->source, res->date, res->status, res->error);
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> time_t (UTC); 0 when unreadable. */
static time_t parse_ts(const char *s)
{
	char d[11];
	int64_t days;
	int h, m, sec;

	if (!s || strlen(s) < 20)
		return 0;
	memcpy(d, s, 10);
	d[10] = '\0';
	if (date_parse(d, &days) < 0 || sscanf(s + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3)
		return 0;
	return (time_t)(days * 86400 + h * 3600 + m * 60 + sec);
}

/* When the last live run that stored something started (0: never). */
static time_t last_success(struct store *st)
{
	sqlite3_stmt *s = NULL;
	time_t t = 0;

	if (sqlite3_prepare_v2(store_db(st), "SELECT max(started) FROM run WHERE kind = 'scrape'"
			       " AND status IN ('ok', 'partial')", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		t = parse_ts((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return t;
}

/* One run under the lock.  Returns 1 when something was stored, 0 when
 * every source failed or the lock was busy, < 0 on a database failure. */
static int one_run(struct app *app)
{
	struct settings set;
	struct schedule_lock lock = SCHEDULE_LOCK_INIT;
	struct scrape_run_opts o = { 0 };
	struct scrape_run_summary sum;
	struct notify_report rep;
	struct tt_error err = { 0 };
	char today[11];
	int rc;

	settings_init(&set);
	if (settings_load(&set, NULL, &err) < 0) {
		say("configuration: %s (using the defaults for this run)", err.msg);
		settings_release(&set);
		settings_init(&set);
	}
	rc = schedule_lock_acquire(app->db_path, set.lock_wait_ms, &lock, &err);
	if (rc < 0) {
		say("run skipped: %s", err.msg);
		settings_release(&set);
		return 0;
	}
	clock_today(today);
	o.settings = &set;
	o.stop = &daemon_stop;
	o.on_result = print_result;
	say("run started (observed %s)", today);
	rc = scrape_run_live(app->st, today, &o, &sum, &err);
	if (rc < 0) {
		say("run failed: %s", err.msg);
	} else {
		say("run %" PRId64 " finished: %s (%zu stored, %zu unchanged, %zu failed%s)", sum.run_id,
		    sum.status, sum.ok, sum.unchanged, sum.failed, sum.stopped ? ", stopped early" : "");
		if (!daemon_stop && notify_run(app->st, &set.notify, today, &rep, &err) < 0)
			say("notifications: %s", err.msg);
		else if (rep.events)
			say("%zu notification%s delivered", rep.delivered, rep.delivered == 1 ? "" : "s");
		rc = sum.ok > 0;
	}
	schedule_lock_release(&lock);
	settings_release(&set);
	return rc;
}

static void write_state(const char *db_path, time_t next)
{
	struct buf p = BUF_INIT;
	struct tm tm;
	char when[64];
	FILE *f;

	localtime_r(&next, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M %Z", &tm);
	buf_addf(&p, "%s.daemon", db_path);
	f = fopen(p.buf, "w");
	if (f) {
		fprintf(f, "pid=%ld\nnext=%s\n", (long)getpid(), when);
		fclose(f);
	}
	buf_release(&p);
}

static void remove_state(const char *db_path)
{
	struct buf p = BUF_INIT;

	buf_addf(&p, "%s.daemon", db_path);
	unlink(p.buf);
	buf_release(&p);
}

int cmd_daemon(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "once", no_argument, NULL, '1' },
		{ "retry-minutes", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("daemon");
	struct sigaction sa;
	int c, hour = 6, minute = 17, once = 0, failed_last = 0;
	long retry_min = 60;
	time_t next_slot, retry_at = 0;

	while ((c = getopt_long(argc, argv, "a:1r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (schedule_parse_time(optarg, &hour, &minute) < 0)
				return cli_usage(self, "--at '%s' is not a time HH:MM (00:00 to 23:59)", optarg);
			break;
		case '1': once = 1; break;
		case 'r': {
			char *end;
			errno = 0;
			retry_min = strtol(optarg, &end, 10);
			if (end == optarg || *end || errno || retry_min < 1 || retry_min > 1440)
				return cli_usage(self, "--retry-minutes '%s' is not a number from 1 to 1440", optarg);
			break;
		}
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	say("daemon started (pid %ld): daily at %02d:%02d local time, database %s", (long)getpid(), hour,
	    minute, app->db_path);
	if (schedule_catch_up_due(clock_now(), last_success(app->st))) {
		say("the last successful run is a day old or more: running now");
		failed_last = one_run(app) == 0;
	}
	next_slot = schedule_next_slot(time(NULL), hour, minute);
	while (!daemon_stop && !once) {
		time_t now = time(NULL), wake;
		struct tm tm;
		char when[64];

		retry_at = failed_last && schedule_catch_up_due(clock_now(), last_success(app->st))
			? now + retry_min * 60 : 0;
		wake = retry_at && retry_at < next_slot ? retry_at : next_slot;
		localtime_r(&wake, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M %Z", &tm);
		say("sleeping until %s%s", when, wake == retry_at ? " (retry after a failed run)" : "");
		write_state(app->db_path, wake);
		while (!daemon_stop && time(NULL) < wake) {
			long left = (long)(wake - time(NULL));
			struct timespec ts = { left > 60 ? 60 : left, 0 };
			nanosleep(&ts, NULL);
		}
		if (daemon_stop)
			break;
		failed_last = one_run(app) == 0;
		if (time(NULL) >= next_slot)
			next_slot = schedule_next_slot(time(NULL), hour, minute);
	}
	remove_state(app->db_path);
	say("daemon stopped%s", daemon_stop ? " (signal)" : "");
	return TT_EXIT_OK;
}
