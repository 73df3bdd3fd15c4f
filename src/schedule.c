/*
 * schedule.c - the run lock, the systemd user timer and cron entry, the
 * manifest of what was installed, and the daemon's timing (see
 * schedule.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/schedule.h"

#include <pwd.h>
#include <sys/file.h>

#include "tokentrend/clock.h"
#include "tokentrend/proc.h"

#define UNIT_BASE "tokentrend-scrape"
#define CRON_MARK "# tokentrend-schedule"
#define SCHEDULE_TIMEOUT_MS 30000

/* ---- small helpers ------------------------------------------------------------ */

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int mkdir_p(const char *dir, struct tt_error *err)
{
	char *d = strdup(dir), *p;
	int rc = 0;

	if (!d)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	for (p = d + 1;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;
			*p = '\0';
			if (mkdir(d, 0700) != 0 && errno != EEXIST) {
				rc = tt_set_error(err, TT_EIO, "cannot create '%s': %s", d, strerror(errno));
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(d);
	return rc;
}

static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static char *config_home(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (xdg && *xdg)
		buf_adds(&b, xdg);
	else
		buf_addf(&b, "%s/.config", home && *home ? home : ".");
	return buf_detach(&b, NULL);
}

/* ---- the run lock -------------------------------------------------------------- */

int schedule_lock_acquire(const char *db_path, long wait_ms, struct schedule_lock *lk,
			  struct tt_error *err)
{
	struct buf p = BUF_INIT;
	char *dir = NULL;
	long long deadline;
	int rc = 0;

	lk->fd = -1;
	lk->path = NULL;
	if (!db_path || !strcmp(db_path, ":memory:") || !strncmp(db_path, "file:", 5) || !*db_path)
		return 0;
	buf_addf(&p, "%s.lock", db_path);
	lk->path = buf_detach(&p, NULL);
	dir = parent_dir(lk->path);
	if (dir && strcmp(dir, ".") && mkdir_p(dir, err) < 0) {
		rc = err ? err->code : TT_EIO;
		goto out;
	}
	lk->fd = open(lk->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lk->fd < 0) {
		rc = tt_set_error(err, TT_EIO, "cannot open the run lock '%s': %s", lk->path, strerror(errno));
		goto out;
	}
	deadline = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
	for (;;) {
		if (flock(lk->fd, LOCK_EX | LOCK_NB) == 0) {
			char pid[32];
			int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
			if (ftruncate(lk->fd, 0) == 0 && pwrite(lk->fd, pid, (size_t)n, 0) != n) {
				/* the pid is only informative */
			}
			goto out;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = tt_set_error(err, TT_EIO, "cannot lock '%s': %s", lk->path, strerror(errno));
			goto out;
		}
		if (mono_ms() >= deadline) {
			char holder[32] = "";
			ssize_t n = pread(lk->fd, holder, sizeof(holder) - 1, 0);
			holder[n > 0 ? n : 0] = '\0';
			holder[strcspn(holder, "\n")] = '\0';
			rc = tt_set_error(err, TT_EBUSY,
					  "another tokentrend run (pid %s) holds the run lock %s; gave up after %ld ms",
					  holder[0] ? holder : "?", lk->path, wait_ms > 0 ? wait_ms : 0);
			goto out;
		}
		{
			long long left = deadline - mono_ms();
			struct timespec ts = { 0, (left < 50 ? (long)left : 50) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
out:
	free(dir);
	if (rc < 0) {
		if (lk->fd >= 0)
			close(lk->fd);
		lk->fd = -1;
		FREE_AND_NULL(lk->path);
	}
	return rc;
}

void schedule_lock_release(struct schedule_lock *lk)
{
	if (!lk)
		return;
	if (lk->fd >= 0) {
		flock(lk->fd, LOCK_UN);
		close(lk->fd);
	}
	lk->fd = -1;
	FREE_AND_NULL(lk->path);
}

/* ---- unit and cron texts ------------------------------------------------------- */

static const char *proxy_vars[] = { "http_proxy", "https_proxy", "no_proxy", "all_proxy",
				    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
				    "TOKENTREND_CONFIG", NULL };

/* A word for systemd's command lines and Environment=: in double quotes,
 * with \ " escaped, % doubled (specifiers) and $ doubled (expansion). */
static void systemd_quote(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_addch(b, '\\');
		if (*s == '%' || *s == '$')
			buf_addch(b, *s);
		if (*s == '\n')
			continue;
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

/* A word for cron's /bin/sh: single quotes, and % escaped for cron. */
static void cron_quote(struct buf *b, const char *s)
{
	buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else if (*s == '%')
			buf_adds(b, "\\%");
		else if (*s != '\n')
			buf_addch(b, *s);
	}
	buf_addch(b, '\'');
}

static void time_of(const struct schedule_opts *o, int *h, int *m)
{
	*h = o->hour;
	*m = o->minute;
	if (*h < 0 || *m < 0) {
		*h = 6;
		*m = 17;
	}
}

int schedule_systemd_units(const struct schedule_opts *o, struct buf *service, struct buf *timer)
{
	size_t i;
	int h, m;

	time_of(o, &h, &m);
	buf_adds(service, "# Written by `tokentrend schedule install`; `tokentrend schedule remove` deletes it.\n"
		 "[Unit]\nDescription=tokentrend: fetch LLM API prices and store them\n"
		 "Wants=network-online.target\nAfter=network-online.target\n\n[Service]\nType=oneshot\n"
		 "# exit status 6: some sources failed, others were stored\nSuccessExitStatus=6\nNice=10\n");
	for (i = 0; proxy_vars[i]; i++) {
		const char *v = getenv(proxy_vars[i]);
		struct buf kv = BUF_INIT;
		if (!v || !*v)
			continue;
		buf_addf(&kv, "%s=%s", proxy_vars[i], v);
		buf_adds(service, "Environment=");
		systemd_quote(service, kv.buf);
		buf_addch(service, '\n');
		buf_release(&kv);
	}
	buf_adds(service, "ExecStart=");
	systemd_quote(service, o->binary);
	buf_adds(service, " --db ");
	systemd_quote(service, o->db_path);
	buf_adds(service, " scrape\n");

	buf_addf(timer, "# Written by `tokentrend schedule install`; `tokentrend schedule remove` deletes it.\n"
		 "[Unit]\nDescription=tokentrend: daily price fetch\n\n[Timer]\n"
		 "OnCalendar=*-*-* %02d:%02d:00\n"
		 "# a run missed while the machine was off runs at the next boot\nPersistent=true\n"
		 "RandomizedDelaySec=%ld\nUnit=" UNIT_BASE ".service\n\n[Install]\nWantedBy=timers.target\n",
		 h, m, o->random_delay_s >= 0 ? o->random_delay_s : 3600L);
	return service->len && timer->len ? 0 : TT_ENOMEM;
}

int schedule_cron_line(const struct schedule_opts *o, struct buf *line)
{
	struct buf log = BUF_INIT;
	size_t i;
	int h, m;

	time_of(o, &h, &m);
	buf_addf(line, "%d %d * * * ", m, h);
	for (i = 0; proxy_vars[i]; i++) {
		const char *v = getenv(proxy_vars[i]);
		if (!v || !*v)
			continue;
		buf_addf(line, "%s=", proxy_vars[i]);
		cron_quote(line, v);
		buf_addch(line, ' ');
	}
	cron_quote(line, o->binary);
	buf_adds(line, " --db ");
	cron_quote(line, o->db_path);
	buf_adds(line, " scrape >>");
	buf_addf(&log, "%s.log", o->db_path);
	cron_quote(line, log.buf);
	buf_adds(line, " 2>&1 " CRON_MARK);
	buf_release(&log);
	return line->len ? 0 : TT_ENOMEM;
}

/* ---- manifest ---------------------------------------------------------------- */

char *schedule_manifest_path(void)
{
	char *home = config_home();
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/tokentrend/schedule.installed", home);
	free(home);
	return buf_detach(&b, NULL);
}

void schedule_state_release(struct schedule_state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->unit);
	free(s->cron_line);
	free(s->time);
	free(s->installed);
	free(s->db_path);
	free(s->manifest);
	memset(s, 0, sizeof(*s));
}

static int set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst ? 0 : TT_ENOMEM;
}

int schedule_read(struct schedule_state *s, struct tt_error *err)
{
	char line[8192];
	FILE *f;

	memset(s, 0, sizeof(*s));
	s->manifest = schedule_manifest_path();
	f = fopen(s->manifest, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return tt_set_error(err, TT_EIO, "cannot read %s: %s", s->manifest, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		line[strcspn(line, "\n")] = '\0';
		if (!eq || line[0] == '#')
			continue;
		*eq++ = '\0';
		if (!strcmp(line, "kind"))
			s->kind = !strcmp(eq, "systemd") ? SCHEDULE_SYSTEMD : !strcmp(eq, "cron") ? SCHEDULE_CRON
				: SCHEDULE_AUTO;
		else if (!strcmp(line, "file") && s->nfiles < TT_ARRAY_SIZE(s->files))
			s->files[s->nfiles++] = strdup(eq);
		else if (!strcmp(line, "unit"))
			set_str(&s->unit, eq);
		else if (!strcmp(line, "cron"))
			set_str(&s->cron_line, eq);
		else if (!strcmp(line, "time"))
			set_str(&s->time, eq);
		else if (!strcmp(line, "installed"))
			set_str(&s->installed, eq);
		else if (!strcmp(line, "db"))
			set_str(&s->db_path, eq);
	}
	fclose(f);
	return 0;
}

static int write_file(const char *path, const char *text, size_t len, int excl, struct tt_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (excl ? O_EXCL : 0), 0600);
	ssize_t w;

	if (fd < 0)
		return tt_set_error(err, errno == EEXIST ? TT_EINVAL : TT_EIO, "cannot write '%s': %s%s", path,
				    strerror(errno), errno == EEXIST ? " (not written by tokentrend: left alone)" : "");
	w = write(fd, text, len);
	if (w != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return tt_set_error(err, TT_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

static int write_manifest(const struct schedule_state *s, struct tt_error *err)
{
	struct buf b = BUF_INIT;
	char *dir = parent_dir(s->manifest);
	size_t i;
	int rc;

	buf_adds(&b, "# What `tokentrend schedule install` wrote; `schedule remove` undoes exactly this.\n");
	buf_addf(&b, "kind=%s\n", s->kind == SCHEDULE_SYSTEMD ? "systemd" : "cron");
	for (i = 0; i < s->nfiles; i++)
		buf_addf(&b, "file=%s\n", s->files[i]);
	if (s->unit)
		buf_addf(&b, "unit=%s\n", s->unit);
	if (s->cron_line)
		buf_addf(&b, "cron=%s\n", s->cron_line);
	buf_addf(&b, "time=%s\ninstalled=%s\ndb=%s\n", s->time, s->installed, s->db_path);
	rc = mkdir_p(dir, err);
	if (rc == 0)
		rc = write_file(s->manifest, b.buf, b.len, 0, err);
	free(dir);
	buf_release(&b);
	return rc;
}

/* ---- running the tools ---------------------------------------------------------- */

/* Run a tool; *status its exit status; out/errout captured (may be NULL). */
static int tool(char *const argv[], const char *in, struct buf *out, int *status, struct tt_error *err)
{
	struct buf e = BUF_INIT;
	int rc = proc_run(argv, NULL, in, in ? strlen(in) : 0, out, &e, SCHEDULE_TIMEOUT_MS, status, err);

	if (rc == 0 && *status != 0) {
		buf_rtrim(&e);
		tt_set_error(err, TT_EFAIL, "'%s %s' failed (status %d): %s", argv[0], argv[1] ? argv[1] : "",
			     *status, e.len ? e.buf : "no message");
	}
	buf_release(&e);
	return rc;
}

static int systemctl(const char *a, const char *b, const char *c, struct buf *out, struct tt_error *err)
{
	char *argv[] = { (char *)"systemctl", (char *)"--user", (char *)a, (char *)b, (char *)c, NULL };
	int status = -1, rc = tool(argv, NULL, out, &status, err);

	return rc < 0 ? rc : status == 0 ? 0 : TT_EFAIL;
}

static int systemd_available(void)
{
	struct buf out = BUF_INIT;
	int rc = systemctl("show-environment", NULL, NULL, &out, NULL);

	buf_release(&out);
	return rc == 0;
}

static int crontab_read(struct buf *out, struct tt_error *err)
{
	char *argv[] = { (char *)"crontab", (char *)"-l", NULL };
	struct buf e = BUF_INIT;
	int status = -1, rc;

	rc = proc_run(argv, NULL, NULL, 0, out, &e, SCHEDULE_TIMEOUT_MS, &status, err);
	if (rc == 0 && status != 0) {
		/* "no crontab for USER" is an empty crontab */
		if (strstr(e.buf, "no crontab"))
			buf_reset(out);
		else
			rc = tt_set_error(err, TT_EFAIL, "'crontab -l' failed (status %d): %s", status, e.buf);
	}
	buf_release(&e);
	return rc;
}

static int crontab_write(const char *text, struct tt_error *err)
{
	char *argv[] = { (char *)"crontab", (char *)"-", NULL };
	int status = -1, rc = tool(argv, text, NULL, &status, err);

	return rc < 0 ? rc : status == 0 ? 0 : TT_EFAIL;
}

static void linger_note(struct buf *notes)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096];
	const char *user = getenv("USER");
	struct buf out = BUF_INIT;
	int status = -1;

	if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
		user = pw.pw_name;
	if (user) {
		char *argv[] = { (char *)"loginctl", (char *)"show-user", (char *)user, (char *)"--property=Linger",
				 (char *)"--value", NULL };
		if (proc_run(argv, NULL, NULL, 0, &out, NULL, SCHEDULE_TIMEOUT_MS, &status, NULL) == 0 && status == 0) {
			buf_rtrim(&out);
			if (!strcmp(out.buf, "yes")) {
				buf_addf(notes, "lingering is enabled for %s: the timer runs even when you are logged out\n", user);
				buf_release(&out);
				return;
			}
		}
	}
	buf_addf(notes, "note: a user timer runs only while %s has a session; to run it while logged out "
		 "(a server), enable lingering once: loginctl enable-linger %s\n",
		 user ? user : "you", user ? user : "$USER");
	buf_release(&out);
}

/* ---- install / remove ---------------------------------------------------------- */

static int install_systemd(const struct schedule_opts *o, struct schedule_state *s, struct buf *notes,
			   struct tt_error *err)
{
	struct buf service = BUF_INIT, timer = BUF_INIT, p = BUF_INIT;
	char *home = config_home(), *dir = NULL;
	int rc, wrote = 0;

	schedule_systemd_units(o, &service, &timer);
	buf_addf(&p, "%s/systemd/user", home);
	dir = buf_detach(&p, NULL);
	rc = mkdir_p(dir, err);
	if (rc < 0)
		goto out;
	buf_addf(&p, "%s/" UNIT_BASE ".service", dir);
	s->files[0] = buf_detach(&p, NULL);
	buf_addf(&p, "%s/" UNIT_BASE ".timer", dir);
	s->files[1] = buf_detach(&p, NULL);
	s->nfiles = 2;
	rc = write_file(s->files[0], service.buf, service.len, 1, err);
	if (rc < 0) {
		s->nfiles = 0;
		goto out;
	}
	wrote = 1;
	rc = write_file(s->files[1], timer.buf, timer.len, 1, err);
	if (rc < 0) {
		s->nfiles = 1;
		goto out;
	}
	wrote = 2;
	s->unit = strdup(UNIT_BASE ".timer");
	rc = systemctl("daemon-reload", NULL, NULL, NULL, err);
	if (rc == 0)
		rc = systemctl("enable", "--now", UNIT_BASE ".timer", NULL, err);
	if (rc < 0)
		goto out;
	buf_addf(notes, "installed %s and %s (daily at %s, up to %ld s later at random; a missed run "
		 "happens at the next boot)\nlogs: journalctl --user -u " UNIT_BASE ".service\n",
		 s->files[0], s->files[1], s->time, o->random_delay_s >= 0 ? o->random_delay_s : 3600L);
	linger_note(notes);
out:
	if (rc < 0 && wrote) {
		int i;
		for (i = 0; i < wrote; i++)
			unlink(s->files[i]);
		systemctl("daemon-reload", NULL, NULL, NULL, NULL);
	}
	buf_release(&service);
	buf_release(&timer);
	free(home);
	free(dir);
	return rc;
}

static int install_cron(const struct schedule_opts *o, struct schedule_state *s, struct buf *notes,
			struct tt_error *err)
{
	struct buf tab = BUF_INIT, line = BUF_INIT;
	int rc;

	rc = crontab_read(&tab, err);
	if (rc < 0)
		goto out;
	if (strstr(tab.buf, CRON_MARK)) {
		rc = tt_set_error(err, TT_EINVAL, "the crontab already has a tokentrend line (" CRON_MARK
				  ") that this installation did not record; remove it by hand first");
		goto out;
	}
	schedule_cron_line(o, &line);
	if (tab.len && tab.buf[tab.len - 1] != '\n')
		buf_addch(&tab, '\n');
	buf_addf(&tab, "%s\n", line.buf);
	rc = crontab_write(tab.buf, err);
	if (rc < 0)
		goto out;
	s->cron_line = buf_detach(&line, NULL);
	buf_addf(notes, "added to your crontab (daily at %s local time): %s\nlogs: %s.log\n"
		 "overlapping runs wait for the run lock (%s.lock), so a slow run never races the next\n",
		 s->time, s->cron_line, o->db_path, o->db_path);
out:
	buf_release(&tab);
	buf_release(&line);
	return rc;
}

int schedule_install(const struct schedule_opts *o, struct schedule_state *out, struct buf *notes,
		     struct tt_error *err)
{
	struct schedule_state cur;
	char ts[21], hm[8];
	int rc, h, m;

	memset(out, 0, sizeof(*out));
	if (!o->binary || o->binary[0] != '/' || !o->db_path || o->db_path[0] != '/')
		return tt_set_error(err, TT_EINVAL, "schedule install needs absolute paths of the program and "
				    "the database");
	rc = schedule_read(&cur, err);
	if (rc < 0)
		return rc;
	if (cur.kind != SCHEDULE_AUTO) {
		rc = tt_set_error(err, TT_EINVAL, "a %s schedule is already installed (%s); run "
				  "'tokentrend schedule remove' first",
				  cur.kind == SCHEDULE_SYSTEMD ? "systemd" : "cron", cur.manifest);
		schedule_state_release(&cur);
		return rc;
	}
	out->manifest = cur.manifest;
	cur.manifest = NULL;
	schedule_state_release(&cur);
	time_of(o, &h, &m);
	snprintf(hm, sizeof(hm), "%02d:%02d", h, m);
	out->time = strdup(hm);
	out->installed = strdup(clock_timestamp(ts));
	out->db_path = strdup(o->db_path);
	out->kind = o->kind != SCHEDULE_AUTO ? o->kind : systemd_available() ? SCHEDULE_SYSTEMD : SCHEDULE_CRON;
	rc = out->kind == SCHEDULE_SYSTEMD ? install_systemd(o, out, notes, err)
		: install_cron(o, out, notes, err);
	if (rc == 0)
		rc = write_manifest(out, err);
	if (rc < 0) {
		if (out->kind == SCHEDULE_SYSTEMD && out->unit) {
			systemctl("disable", "--now", out->unit, NULL, NULL);
		}
		schedule_state_release(out);
	}
	return rc;
}

int schedule_remove(struct schedule_state *removed, struct buf *notes, struct tt_error *err)
{
	struct schedule_state s;
	size_t i;
	int rc;

	rc = schedule_read(&s, err);
	if (rc < 0)
		return rc;
	if (s.kind == SCHEDULE_AUTO) {
		rc = tt_set_error(err, TT_ENOTFOUND, "no schedule is installed (%s is absent)", s.manifest);
		goto out;
	}
	if (s.kind == SCHEDULE_SYSTEMD) {
		if (s.unit && systemctl("disable", "--now", s.unit, NULL, err) < 0)
			buf_addf(notes, "warning: %s\n", err ? err->msg : "systemctl disable failed");
		for (i = 0; i < s.nfiles; i++) {
			if (unlink(s.files[i]) == 0)
				buf_addf(notes, "removed %s\n", s.files[i]);
			else if (errno != ENOENT) {
				rc = tt_set_error(err, TT_EIO, "cannot remove %s: %s", s.files[i], strerror(errno));
				goto out;
			} else
				buf_addf(notes, "%s was already gone\n", s.files[i]);
		}
		systemctl("daemon-reload", NULL, NULL, NULL, NULL);
	} else if (s.cron_line) {
		struct buf tab = BUF_INIT, kept = BUF_INIT;
		const char *p;
		int found = 0;

		rc = crontab_read(&tab, err);
		for (p = tab.buf; rc == 0 && *p;) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (n == strlen(s.cron_line) && !strncmp(p, s.cron_line, n)) {
				found = 1;
			} else {
				buf_add(&kept, p, n);
				buf_addch(&kept, '\n');
			}
			p += n + (e ? 1 : 0);
		}
		if (rc == 0)
			rc = crontab_write(kept.buf, err);
		if (rc == 0)
			buf_addf(notes, found ? "removed the crontab line: %s\n"
				 : "the crontab line was already gone: %s\n", s.cron_line);
		buf_release(&tab);
		buf_release(&kept);
		if (rc < 0)
			goto out;
	}
	if (unlink(s.manifest) != 0 && errno != ENOENT) {
		rc = tt_set_error(err, TT_EIO, "cannot remove %s: %s", s.manifest, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (removed && rc == 0)
		*removed = s;
	else
		schedule_state_release(&s);
	return rc;
}

/* ---- timing ------------------------------------------------------------------------ */

time_t schedule_next_slot(time_t now, int hour, int minute)
{
	struct tm tm;
	time_t t;
	int i;

	localtime_r(&now, &tm);
	for (i = 0; i < 3; i++) {
		struct tm c = tm;
		c.tm_mday += i;
		c.tm_hour = hour;
		c.tm_min = minute;
		c.tm_sec = 0;
		c.tm_isdst = -1;
		t = mktime(&c);
		if (t > now)
			return t;
	}
	return now + 86400;
}

int schedule_catch_up_due(time_t now, time_t last_success)
{
	return last_success <= 0 || now - last_success >= 86400;
}

int schedule_parse_time(const char *s, int *hour, int *minute)
{
	if (!s || strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return TT_EINVAL;
	*hour = (s[0] - '0') * 10 + (s[1] - '0');
	*minute = (s[3] - '0') * 10 + (s[4] - '0');
	return *hour < 24 && *minute < 60 ? 0 : TT_EINVAL;
}

int schedule_next_run(const struct schedule_state *s, time_t now, char *out, size_t n,
		      struct tt_error *err)
{
	snprintf(out, n, "unknown");
	if (s->kind == SCHEDULE_SYSTEMD && s->unit) {
		struct buf o = BUF_INIT;
		int rc = systemctl("show", s->unit, "--property=NextElapseUSecRealtime", &o, err);
		if (rc == 0) {
			char *v = strchr(o.buf, '=');
			buf_rtrim(&o);
			snprintf(out, n, "%s", v && v[1] ? v + 1 : "not scheduled (is the timer enabled?)");
		}
		buf_release(&o);
		return rc;
	}
	if (s->kind == SCHEDULE_CRON && s->time) {
		int h, m;
		time_t t;
		struct tm tm;
		if (schedule_parse_time(s->time, &h, &m) < 0)
			return tt_set_error(err, TT_EINVAL, "bad time '%s' in the manifest", s->time);
		t = schedule_next_slot(now, h, m);
		localtime_r(&t, &tm);
		strftime(out, n, "%Y-%m-%d %H:%M %Z", &tm);
	}
	return 0;
}
