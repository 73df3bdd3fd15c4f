/*
 * schedule.c - `tokentrend schedule install|remove|status`:
 *
 *   schedule install [--systemd | --cron] [--at HH:MM] [--random-delay SECONDS] [--dry-run]
 *   schedule remove
 *   schedule status [--format table|csv|json]
 *
 * install writes a daily systemd user timer (or a crontab line) running
 * `tokentrend --db DB scrape`, and a manifest of what it wrote; remove
 * undoes exactly that; status shows the schedule, the last and next run,
 * and each source's health (health.h, the same report as `sources status`).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/clock.h"
#include "tokentrend/health.h"
#include "tokentrend/schedule.h"
#include "tokentrend/store.h"
#include "tokentrend/json.h"

/* An absolute path for p (which need not exist). */
static char *absolute(const char *p)
{
	struct buf b = BUF_INIT;
	char cwd[4096];

	if (p[0] == '/')
		return strdup(p);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	buf_addf(&b, "%s/%s", cwd, p[0] == '.' && p[1] == '/' ? p + 2 : p);
	return buf_detach(&b, NULL);
}

static int do_install(const struct command *self, int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "systemd", no_argument, NULL, 'S' },
		{ "cron", no_argument, NULL, 'C' },
		{ "at", required_argument, NULL, 'a' },
		{ "random-delay", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct schedule_opts o = { SCHEDULE_AUTO, NULL, NULL, -1, -1, -1 };
	struct schedule_state s;
	struct buf notes = BUF_INIT;
	struct tt_error err = { 0 };
	char exe[4096], *db = NULL;
	ssize_t n;
	int c, rc, dry = 0;

	while ((c = getopt_long(argc, argv, "SCa:r:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'S': o.kind = SCHEDULE_SYSTEMD; break;
		case 'C': o.kind = SCHEDULE_CRON; break;
		case 'a':
			if (schedule_parse_time(optarg, &o.hour, &o.minute) < 0)
				return cli_usage(self, "--at '%s' is not a time HH:MM (00:00 to 23:59)", optarg);
			break;
		case 'r': {
			char *end;
			errno = 0;
			o.random_delay_s = strtol(optarg, &end, 10);
			if (end == optarg || *end || errno || o.random_delay_s < 0 || o.random_delay_s > 86400)
				return cli_usage(self, "--random-delay '%s' is not a number of seconds (0 to 86400)", optarg);
			break;
		}
		case 'n': dry = 1; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		cli_error("cannot find this program's own path: %s", strerror(errno));
		return TT_EXIT_FAIL;
	}
	exe[n] = '\0';
	db = absolute(app->db_path);
	if (!db) {
		cli_error("cannot make the database path absolute: %s", strerror(errno));
		return TT_EXIT_FAIL;
	}
	o.binary = exe;
	o.db_path = db;
	if (dry) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		if (o.kind != SCHEDULE_CRON) {
			schedule_systemd_units(&o, &a, &b);
			printf("# " "tokentrend-scrape.service\n%s\n# tokentrend-scrape.timer\n%s", a.buf, b.buf);
		}
		if (o.kind != SCHEDULE_SYSTEMD) {
			buf_reset(&a);
			schedule_cron_line(&o, &a);
			printf("%s# crontab line\n%s\n", o.kind == SCHEDULE_AUTO ? "\n" : "", a.buf);
		}
		buf_release(&a);
		buf_release(&b);
		free(db);
		return cli_write(&notes);
	}
	rc = schedule_install(&o, &s, &notes, &err);
	free(db);
	if (rc < 0) {
		buf_release(&notes);
		return cli_report("schedule install", rc, &err);
	}
	printf("installed a daily %s schedule at %s; manifest: %s\n",
	       s.kind == SCHEDULE_SYSTEMD ? "systemd user timer" : "cron", s.time, s.manifest);
	schedule_state_release(&s);
	rc = cli_write(&notes);
	buf_release(&notes);
	return rc;
}

static int do_remove(const struct command *self, int argc, char **argv)
{
	struct schedule_state s;
	struct buf notes = BUF_INIT;
	struct tt_error err = { 0 };
	int rc;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_help(self);
	if (argc > 1)
		return cli_usage(self, "unexpected argument '%s'", argv[1]);
	rc = schedule_remove(&s, &notes, &err);
	if (rc < 0) {
		buf_release(&notes);
		return cli_report("schedule remove", rc, &err);
	}
	printf("removed the %s schedule installed %s\n", s.kind == SCHEDULE_SYSTEMD ? "systemd" : "cron",
	       s.installed ? s.installed : "earlier");
	schedule_state_release(&s);
	rc = cli_write(&notes);
	buf_release(&notes);
	return rc;
}

/* The daemon's state file, when a live daemon wrote it: "pid=N\nnext=TEXT\n". */
static int daemon_next(const char *db_path, char *next, size_t n)
{
	struct buf p = BUF_INIT;
	char line[256];
	long pid = 0;
	FILE *f;

	buf_addf(&p, "%s.daemon", db_path);
	f = fopen(p.buf, "r");
	buf_release(&p);
	if (!f)
		return 0;
	next[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "pid=", 4))
			pid = strtol(line + 4, NULL, 10);
		else if (!strncmp(line, "next=", 5))
			snprintf(next, n, "%s", line + 5);
	}
	fclose(f);
	return pid > 0 && kill((pid_t)pid, 0) == 0 ? (int)pid : 0;
}

static int do_status(const struct command *self, int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct schedule_state s;
	struct health_report h;
	struct store *st = NULL;
	struct buf out = BUF_INIT;
	struct tt_error err = { 0 };
	char next[256] = "-", dnext[256] = "";
	struct stat sb;
	int c, fmt = QUERY_FORMAT_TABLE, rc, dpid;

	memset(&h, 0, sizeof(h));
	while ((c = getopt_long(argc, argv, "F:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			fmt = query_format_parse(optarg);
			if (fmt < 0)
				return cli_usage(self, "unknown format '%s' (table, csv or json)", optarg);
			break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);
	rc = schedule_read(&s, &err);
	if (rc < 0)
		return cli_report("schedule status", rc, &err);
	if (s.kind != SCHEDULE_AUTO && schedule_next_run(&s, clock_now(), next, sizeof(next), &err) < 0)
		snprintf(next, sizeof(next), "unknown (%s)", err.msg);
	dpid = daemon_next(app->db_path, dnext, sizeof(dnext));
	if (stat(app->db_path, &sb) == 0) {
		rc = store_open(app->db_path, 0, &st, &err);
		if (rc == 0)
			rc = health_report(st, &h, &err);
		if (rc < 0) {
			store_close(st);
			schedule_state_release(&s);
			health_report_release(&h);
			return cli_report(app->db_path, rc, &err);
		}
	}
	if (fmt == QUERY_FORMAT_JSON) {
		buf_adds(&out, "{\"schedule\":");
		json_buf_add_string_or_null(&out, s.kind == SCHEDULE_SYSTEMD ? "systemd"
						  : s.kind == SCHEDULE_CRON ? "cron" : NULL);
		buf_adds(&out, ",\"time\":");
		json_buf_add_string_or_null(&out, s.time);
		buf_adds(&out, ",\"installed\":");
		json_buf_add_string_or_null(&out, s.installed);
		buf_adds(&out, ",\"next_run\":");
		json_buf_add_string_or_null(&out, s.kind != SCHEDULE_AUTO ? next : dpid ? dnext : NULL);
		buf_addf(&out, ",\"daemon_pid\":%d,\"database\":", dpid);
		json_buf_add_string_or_null(&out, app->db_path);
		buf_adds(&out, ",\"last_run\":");
		if (h.last_run_started) {
			buf_addf(&out, "{\"id\":%" PRId64 ",\"started\":", h.last_run_id);
			json_buf_add_string_or_null(&out, h.last_run_started);
			buf_adds(&out, ",\"finished\":");
			json_buf_add_string_or_null(&out, h.last_run_finished);
			buf_adds(&out, ",\"status\":");
			json_buf_add_string_or_null(&out, h.last_run_status ? h.last_run_status : "unfinished");
			buf_addch(&out, '}');
		} else {
			buf_adds(&out, "null");
		}
		buf_adds(&out, ",\"sources\":");
		health_render(&h, QUERY_FORMAT_JSON, &out);
		buf_rtrim(&out);
		buf_adds(&out, "}\n");
	} else if (fmt == QUERY_FORMAT_CSV) {
		health_render(&h, QUERY_FORMAT_CSV, &out);
	} else {
		if (s.kind == SCHEDULE_AUTO)
			buf_adds(&out, "schedule:  not installed ('tokentrend schedule install', or run 'tokentrend daemon')\n");
		else
			buf_addf(&out, "schedule:  %s, daily at %s local time (installed %s; %s)\n",
				 s.kind == SCHEDULE_SYSTEMD ? "systemd user timer tokentrend-scrape.timer" : "crontab line",
				 s.time ? s.time : "?", s.installed ? s.installed : "?", s.manifest);
		if (dpid)
			buf_addf(&out, "daemon:    running (pid %d), next run %s\n", dpid, dnext);
		buf_addf(&out, "database:  %s%s\n", app->db_path, st ? "" : " (not created yet)");
		if (s.kind != SCHEDULE_AUTO)
			buf_addf(&out, "next run:  %s\n", next);
		if (h.last_run_started)
			buf_addf(&out, "last run:  #%" PRId64 " started %s, %s%s%s\n", h.last_run_id, h.last_run_started,
				 h.last_run_status ? h.last_run_status : "unfinished (still running, or killed)",
				 h.last_run_finished ? ", finished " : "", h.last_run_finished ? h.last_run_finished : "");
		else
			buf_adds(&out, "last run:  never (no live scrape yet)\n");
		buf_addch(&out, '\n');
		health_render(&h, QUERY_FORMAT_TABLE, &out);
	}
	rc = cli_write(&out);
	buf_release(&out);
	health_report_release(&h);
	schedule_state_release(&s);
	store_close(st);
	return rc;
}

int cmd_schedule(int argc, char **argv, struct app *app)
{
	const struct command *self = cli_find("schedule");

	if (argc < 2)
		return cli_usage(self, "which: install, remove or status?");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cli_help(self);
	optind = 0; /* glibc: start over for the subcommand's own options */
	if (!strcmp(argv[1], "install"))
		return do_install(self, argc - 1, argv + 1, app);
	if (!strcmp(argv[1], "remove"))
		return do_remove(self, argc - 1, argv + 1);
	if (!strcmp(argv[1], "status"))
		return do_status(self, argc - 1, argv + 1, app);
	return cli_usage(self, "unknown subcommand '%s' (install, remove, status)", argv[1]);
}
