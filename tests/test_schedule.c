/*
 * test_schedule.c - the run lock, the daemon's timing, the unit and cron
 * texts (proxies carried, quoting), and install / status / remove for
 * systemd and cron with a temporary HOME and `systemctl`, `crontab` and
 * `loginctl` replaced by stubs on PATH: the machine's own crontab and
 * units are never touched.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/schedule.h"

static char tmp[128], stubs[256], home[256], cronfile[256], stublog[256];

static int setup(void **state)
{
	struct stub {
		const char *name;
		const char *text;
	} s[] = {
		{ "systemctl",
		  "#!/bin/sh\necho \"systemctl $*\" >> \"$STUB_LOG\"\n"
		  "case \"$2\" in\n"
		  "  show-environment) exit \"${STUB_SYSTEMD_FAIL:-0}\" ;;\n"
		  "  show) echo 'NextElapseUSecRealtime=Tue 2026-01-06 06:17:00 UTC' ;;\n"
		  "esac\nexit 0\n" },
		{ "crontab",
		  "#!/bin/sh\necho \"crontab $*\" >> \"$STUB_LOG\"\n"
		  "if [ \"$1\" = -l ]; then\n"
		  "  if [ -f \"$STUB_CRONTAB\" ]; then cat \"$STUB_CRONTAB\"; else echo \"no crontab for $USER\" >&2; exit 1; fi\n"
		  "elif [ \"$1\" = - ]; then cat > \"$STUB_CRONTAB\"; fi\n" },
		{ "loginctl", "#!/bin/sh\necho \"loginctl $*\" >> \"$STUB_LOG\"\necho no\n" },
	};
	size_t i;
	char path[512];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/tt-schedule-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(stubs, sizeof(stubs), "%s/bin", tmp);
	snprintf(home, sizeof(home), "%s/home", tmp);
	snprintf(cronfile, sizeof(cronfile), "%s/crontab", tmp);
	snprintf(stublog, sizeof(stublog), "%s/stub.log", tmp);
	mkdir(stubs, 0700);
	mkdir(home, 0700);
	for (i = 0; i < TT_ARRAY_SIZE(s); i++) {
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", stubs, s[i].name);
		f = fopen(path, "w");
		fputs(s[i].text, f);
		fclose(f);
		chmod(path, 0755);
	}
	snprintf(path, sizeof(path), "%s:/usr/bin:/bin", stubs);
	setenv("PATH", path, 1);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("STUB_LOG", stublog, 1);
	setenv("STUB_CRONTAB", cronfile, 1);
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("HTTPS_PROXY");
	unsetenv("TOKENTREND_CONFIG");
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_parse_time(void **state)
{
	struct { const char *s; int rc, h, m; } c[] = {
		{ "06:17", 0, 6, 17 }, { "00:00", 0, 0, 0 }, { "23:59", 0, 23, 59 },
		{ "24:00", TT_EINVAL, 0, 0 }, { "6:17", TT_EINVAL, 0, 0 }, { "06:60", TT_EINVAL, 0, 0 },
		{ "0617", TT_EINVAL, 0, 0 }, { "", TT_EINVAL, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(c); i++) {
		int h = -1, m = -1;
		assert_int_equal(schedule_parse_time(c[i].s, &h, &m), c[i].rc);
		if (c[i].rc == 0) {
			assert_int_equal(h, c[i].h);
			assert_int_equal(m, c[i].m);
		}
	}
}

/* 2026-01-05T00:00:00Z */
#define JAN5 ((time_t)1767571200)

static void test_timing(void **state)
{
	struct { time_t now; int h, m; time_t next; } slots[] = {
		{ JAN5, 6, 17, JAN5 + 6 * 3600 + 17 * 60 },                      /* later today */
		{ JAN5 + 6 * 3600 + 17 * 60, 6, 17, JAN5 + 86400 + 6 * 3600 + 17 * 60 }, /* exactly now: tomorrow */
		{ JAN5 + 23 * 3600, 6, 17, JAN5 + 86400 + 6 * 3600 + 17 * 60 },
		{ JAN5 + 86399, 0, 0, JAN5 + 86400 },
	};
	struct { time_t now, last; int due; } catchup[] = {
		{ JAN5, 0, 1 },                  /* never ran */
		{ JAN5, JAN5 - 86400, 1 },       /* exactly a day */
		{ JAN5, JAN5 - 3 * 86400, 1 },   /* the machine was off */
		{ JAN5, JAN5 - 86399, 0 },
		{ JAN5, JAN5 - 60, 0 },
	};
	size_t i;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < TT_ARRAY_SIZE(slots); i++)
		if (schedule_next_slot(slots[i].now, slots[i].h, slots[i].m) != slots[i].next)
			fail_msg("slot %zu: %ld, expected %ld", i, (long)schedule_next_slot(slots[i].now, slots[i].h, slots[i].m),
				 (long)slots[i].next);
	for (i = 0; i < TT_ARRAY_SIZE(catchup); i++)
		assert_int_equal(schedule_catch_up_due(catchup[i].now, catchup[i].last), catchup[i].due);
	/* local time: the slot is 06:17 on the wall clock, also across a DST change */
	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == 0) {
		/* 2026-03-29 02:00 CET -> 03:00 CEST; from 2026-03-28 12:00 UTC the next 06:17 local
		 * is 2026-03-29 06:17 CEST = 04:17 UTC */
		setenv("TZ", "Europe/Berlin", 1);
		tzset();
		assert_int_equal(schedule_next_slot((time_t)1774699200, 6, 17), (time_t)1774757820);
	} else {
		printf("SKIP: no tzdata for Europe/Berlin; DST case skipped\n");
	}
	setenv("TZ", "UTC", 1);
	tzset();
}

/* The lock: a second holder waits a bounded time, then TT_EBUSY naming
 * the holder; the lock dies with its process (even a SIGKILLed one). */
static void test_lock(void **state)
{
	struct schedule_lock a = SCHEDULE_LOCK_INIT, b = SCHEDULE_LOCK_INIT;
	struct tt_error err = { 0 };
	char db[256], pidtxt[32];
	int go[2], ready[2], status;
	pid_t child;
	char c;

	(void)state;
	snprintf(db, sizeof(db), "%s/sub/dir/t.db", tmp);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	if (child == 0) {
		struct schedule_lock l = SCHEDULE_LOCK_INIT;
		if (schedule_lock_acquire(db, 0, &l, NULL) != 0)
			_exit(2);
		if (write(ready[1], "x", 1) != 1)
			_exit(3);
		if (read(go[0], &c, 1) != 1)
			_exit(4);
		_exit(0); /* no release: exiting drops it */
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(schedule_lock_acquire(db, 50, &a, &err), TT_EBUSY);
	snprintf(pidtxt, sizeof(pidtxt), "pid %ld", (long)child);
	assert_non_null(strstr(err.msg, pidtxt));
	assert_non_null(strstr(err.msg, "t.db.lock"));
	assert_int_equal(a.fd, -1);
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(schedule_lock_acquire(db, 10000, &a, &err), 0); /* waits for the exit */
	waitpid(child, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* held by us: try once */
	assert_int_equal(schedule_lock_acquire(db, 0, &b, &err), TT_EBUSY);
	schedule_lock_release(&a);
	schedule_lock_release(&a); /* idempotent */
	assert_int_equal(schedule_lock_acquire(db, 0, &b, &err), 0);
	schedule_lock_release(&b);

	/* a SIGKILLed holder */
	child = fork();
	if (child == 0) {
		struct schedule_lock l = SCHEDULE_LOCK_INIT;
		if (schedule_lock_acquire(db, 0, &l, NULL) != 0)
			_exit(2);
		if (write(ready[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	assert_int_equal(schedule_lock_acquire(db, 0, &b, &err), 0);
	schedule_lock_release(&b);
	/* no file, no lock */
	assert_int_equal(schedule_lock_acquire(":memory:", 0, &b, &err), 0);
	assert_int_equal(b.fd, -1);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

static const struct schedule_opts opts_base = {
	SCHEDULE_AUTO, "/opt/token trend/bin/tokentrend", "/srv/data/prices 100%.db", 5, 30, 600
};

static void test_texts(void **state)
{
	struct buf svc = BUF_INIT, tim = BUF_INIT, cron = BUF_INIT;

	(void)state;
	setenv("https_proxy", "http://user:p%40ss@proxy.example:3128", 1);
	setenv("NO_PROXY", "localhost,127.0.0.1", 1);
	assert_int_equal(schedule_systemd_units(&opts_base, &svc, &tim), 0);
	assert_non_null(strstr(svc.buf, "ExecStart=\"/opt/token trend/bin/tokentrend\" --db \"/srv/data/prices 100%%.db\" scrape\n"));
	assert_non_null(strstr(svc.buf, "Environment=\"https_proxy=http://user:p%%40ss@proxy.example:3128\"\n"));
	assert_non_null(strstr(svc.buf, "Environment=\"NO_PROXY=localhost,127.0.0.1\"\n"));
	assert_non_null(strstr(svc.buf, "Type=oneshot"));
	assert_non_null(strstr(svc.buf, "After=network-online.target"));
	assert_non_null(strstr(tim.buf, "OnCalendar=*-*-* 05:30:00\n"));
	assert_non_null(strstr(tim.buf, "Persistent=true\n"));
	assert_non_null(strstr(tim.buf, "RandomizedDelaySec=600\n"));
	assert_non_null(strstr(tim.buf, "WantedBy=timers.target"));
	assert_int_equal(schedule_cron_line(&opts_base, &cron), 0);
	assert_string_equal(cron.buf, "30 5 * * * https_proxy='http://user:p\\%40ss@proxy.example:3128' "
			    "NO_PROXY='localhost,127.0.0.1' '/opt/token trend/bin/tokentrend' --db "
			    "'/srv/data/prices 100\\%.db' scrape >>'/srv/data/prices 100\\%.db.log' 2>&1 # tokentrend-schedule");
	unsetenv("https_proxy");
	unsetenv("NO_PROXY");
	buf_release(&svc);
	buf_release(&tim);
	buf_release(&cron);
}

static int file_has(const char *path, const char *needle)
{
	char *t = tt_read_file(path, NULL);
	int r = t && strstr(t, needle);

	free(t);
	return r;
}

static void test_systemd_install_remove(void **state)
{
	struct schedule_opts o = opts_base;
	struct schedule_state s, r;
	struct buf notes = BUF_INIT;
	struct tt_error err = { 0 };
	char unitdir[300], other[400], next[128], *manifest;

	(void)state;
	unlink(stublog);
	setenv("STUB_SYSTEMD_FAIL", "0", 1);
	setenv("https_proxy", "http://proxy.example:3128", 1);
	o.binary = "/usr/local/bin/tokentrend";
	o.db_path = "/home/u/prices.db";
	/* a unit of someone else's in the same folder must survive */
	snprintf(unitdir, sizeof(unitdir), "%s/.config/systemd/user", home);
	snprintf(other, sizeof(other), "%s/other.service", unitdir);
	assert_int_equal(system("true"), 0);
	{
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && echo keep > '%s'", unitdir, other);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(schedule_install(&o, &s, &notes, &err), 0);
	assert_int_equal(s.kind, SCHEDULE_SYSTEMD);
	assert_int_equal(s.nfiles, 2);
	assert_true(file_has(s.files[0], "ExecStart=\"/usr/local/bin/tokentrend\" --db \"/home/u/prices.db\" scrape"));
	assert_true(file_has(s.files[0], "Environment=\"https_proxy=http://proxy.example:3128\""));
	assert_true(file_has(s.files[1], "Persistent=true"));
	assert_true(file_has(stublog, "systemctl --user daemon-reload"));
	assert_true(file_has(stublog, "systemctl --user enable --now tokentrend-scrape.timer"));
	assert_non_null(strstr(notes.buf, "loginctl enable-linger"));
	assert_true(access(cronfile, F_OK) != 0); /* cron untouched */
	manifest = schedule_manifest_path();
	assert_true(file_has(manifest, "kind=systemd"));
	schedule_state_release(&s);

	/* a second install is refused */
	assert_int_equal(schedule_install(&o, &s, &notes, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "already installed"));

	/* status */
	assert_int_equal(schedule_read(&s, &err), 0);
	assert_int_equal(s.kind, SCHEDULE_SYSTEMD);
	assert_string_equal(s.time, "05:30");
	assert_int_equal(schedule_next_run(&s, JAN5, next, sizeof(next), &err), 0);
	assert_string_equal(next, "Tue 2026-01-06 06:17:00 UTC");
	schedule_state_release(&s);

	/* remove: exactly what was written */
	buf_reset(&notes);
	assert_int_equal(schedule_remove(&r, &notes, &err), 0);
	assert_true(file_has(stublog, "systemctl --user disable --now tokentrend-scrape.timer"));
	assert_true(access(r.files[0], F_OK) != 0);
	assert_true(access(r.files[1], F_OK) != 0);
	assert_true(access(other, F_OK) == 0);
	assert_true(access(manifest, F_OK) != 0);
	schedule_state_release(&r);
	assert_int_equal(schedule_remove(&r, &notes, &err), TT_ENOTFOUND);
	free(manifest);
	buf_release(&notes);
	unsetenv("https_proxy");
}

static void test_cron_install_remove(void **state)
{
	struct schedule_opts o = opts_base;
	struct schedule_state s, r;
	struct buf notes = BUF_INIT;
	struct tt_error err = { 0 };
	const char *mine = "0 1 * * * /usr/local/bin/backup --all\n# a comment\n";
	char next[128], *tab;
	FILE *f;

	(void)state;
	unlink(stublog);
	setenv("STUB_SYSTEMD_FAIL", "1", 1); /* no user manager: auto picks cron */
	o.binary = "/usr/local/bin/tokentrend";
	o.db_path = "/home/u/prices.db";
	f = fopen(cronfile, "w");
	fputs(mine, f);
	fclose(f);
	assert_int_equal(schedule_install(&o, &s, &notes, &err), 0);
	assert_int_equal(s.kind, SCHEDULE_CRON);
	tab = tt_read_file(cronfile, NULL);
	assert_non_null(strstr(tab, mine));
	assert_non_null(strstr(tab, "30 5 * * * '/usr/local/bin/tokentrend' --db '/home/u/prices.db' scrape >>'/home/u/prices.db.log' 2>&1 # tokentrend-schedule\n"));
	free(tab);
	assert_false(file_has(stublog, "enable"));
	schedule_state_release(&s);

	assert_int_equal(schedule_read(&s, &err), 0);
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(schedule_next_run(&s, JAN5, next, sizeof(next), &err), 0);
	assert_string_equal(next, "2026-01-05 05:30 UTC");
	schedule_state_release(&s);

	assert_int_equal(schedule_remove(&r, &notes, &err), 0);
	tab = tt_read_file(cronfile, NULL);
	assert_string_equal(tab, mine); /* exactly as before */
	free(tab);
	schedule_state_release(&r);

	/* from an empty crontab ("no crontab for user") and back */
	unlink(cronfile);
	assert_int_equal(schedule_install(&o, &s, &notes, &err), 0);
	schedule_state_release(&s);
	assert_int_equal(schedule_remove(&r, &notes, &err), 0);
	schedule_state_release(&r);
	tab = tt_read_file(cronfile, NULL);
	assert_string_equal(tab, "");
	free(tab);
	buf_release(&notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_timing),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_systemd_install_remove),
		cmocka_unit_test(test_cron_install_remove),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
