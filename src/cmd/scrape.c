/*
 * scrape.c - `tokentrend scrape`: fetch every built-in source (or the ones
 * named), or replay saved captures, and store the dated prices.
 *
 *   scrape [--source ID]...                      live fetch, observed today
 *   scrape --from-dir DIR [--source ID]...       replay <source>-...-YYYY-MM-DD.<ext> files
 *   scrape --source ID --file PATH --date DATE   replay one file
 *
 * One line per source on stdout; reasons for failures on stderr.  Exit 0
 * when every source stored, 6 when some failed and others stored, else the
 * failure's own code (3 network, 4 extraction, 5 database, 7 busy).  A live
 * run reads the configuration file (settings.h), fetches every source in
 * one polite batch (scrape_run_live), then sends notifications.
 */
#include "tokentrend/tt_compat.h"
#include <dirent.h>

#include "cli.h"
#include "tokentrend/catalog.h"
#include "tokentrend/clock.h"
#include "tokentrend/notify.h"
#include "tokentrend/fx.h"
#include "tokentrend/http.h"
#include "tokentrend/scrape.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"

#define MAX_SOURCES 32

struct job {
	const struct source_def *src;
	char date[11];
	char *path; /* NULL for a live fetch */
};

struct jobs {
	struct job *v;
	size_t n, alloc;
};

static int jobs_add(struct jobs *j, const struct source_def *src, const char *date, const char *path)
{
	if (j->n == j->alloc) {
		size_t na = j->alloc ? j->alloc * 2 : 16;
		struct job *nv = realloc(j->v, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		j->v = nv;
		j->alloc = na;
	}
	j->v[j->n].src = src;
	snprintf(j->v[j->n].date, sizeof(j->v[j->n].date), "%s", date);
	j->v[j->n].path = path ? strdup(path) : NULL;
	if (path && !j->v[j->n].path)
		return TT_ENOMEM;
	j->n++;
	return 0;
}

static void jobs_release(struct jobs *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		free(j->v[i].path);
	free(j->v);
}

static int job_cmp(const void *a, const void *b)
{
	const struct job *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c ? c : strcmp(x->path ? x->path : "", y->path ? y->path : "");
}

static int selected(const char **only, size_t nonly, const char *id)
{
	size_t i;

	if (!nonly)
		return 1;
	for (i = 0; i < nonly; i++)
		if (!strcmp(only[i], id))
			return 1;
	return 0;
}

/* Collect the captures of DIR; unusable names are reported, never guessed. */
static int collect_dir(const char *dir, const char **only, size_t nonly, struct jobs *jobs)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		cli_error("cannot open capture folder '%s': %s", dir, strerror(errno));
		return TT_EIO;
	}
	while ((e = readdir(d))) {
		char path[4096], source[64], date[11];
		struct stat sb;
		int r;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (!strcasecmp(e->d_name, "README.md") || !strcasecmp(e->d_name, "README"))
			continue;
		r = scrape_parse_capture_name(e->d_name, source, sizeof(source), date);
		if (r == TT_EINVAL) {
			cli_error("skipped %s: its name carries no full date (want <source>-...-YYYY-MM-DD.<ext>); "
				  "replay it with --source ID --file PATH --date YYYY-MM-DD", path);
			continue;
		}
		if (!selected(only, nonly, source))
			continue;
		if (r == TT_ENOTFOUND && !strcmp(source, FX_SOURCE_ID)) {
			/* exchange rates ride along with the price captures */
			rc = jobs_add(jobs, catalog_find(source), date, path);
			if (rc < 0)
				break;
			continue;
		}
		if (r == TT_ENOTFOUND) {
			cli_error("skipped %s: no source '%s' with an extractor", path, source);
			continue;
		}
		rc = jobs_add(jobs, catalog_find(source), date, path);
		if (rc < 0)
			break;
	}
	closedir(d);
	return rc;
}

/* One line per source on stdout; warnings (each naming the source and
 * date) and the reason for a failure on stderr. */
static void print_result(const struct scrape_result *res, void *ud)
{
	(void)ud;
	fflush(stdout);
	if (res->notes.len) {
		const char *line = res->notes.buf, *nl;
		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line);
			fprintf(stderr, "tokentrend: warning: %s %s: %.*s\n", res->source, res->date,
				(int)(nl - line), line);
			if (!*nl)
				break;
		}
	}
	if (res->stopped)
		return;
	if (res->rc == 0) {
		printf("%-11s %s  %-7s %5zu prices  %4zu models  %5zu changes", res->source, res->date,
		       res->status, res->prices, res->models, res->changes + res->removed);
		if (res->removed)
			printf(" (%zu removed: absent from 3 successful runs)", res->removed);
		if (res->rejected)
			printf("  (%zu implausible values left out: see the warnings)", res->rejected);
		if (res->flagged)
			printf("  (%zu jumped over 10x: held for 'tokentrend review')", res->flagged);
		putchar('\n');
	} else {
		printf("%-11s %s  %s\n", res->source, res->date, res->status);
		fflush(stdout);
		cli_error("%s %s: %s", res->source, res->date, res->error[0] ? res->error : tt_strerror(res->rc));
	}
	fflush(stdout);
}

/* One job of the rates source: fetch or read, then fx_scrape_body(). */
static int scrape_fx(struct app *app, int64_t run_id, const struct job *j)
{
	struct http_response resp;
	struct tt_error err = { 0 };
	struct buf body = BUF_INIT;
	size_t rates = 0, added = 0;
	long status = 0;
	int rc;

	http_response_init(&resp);
	if (j->path) {
		rc = buf_read_file(&body, j->path, &err);
	} else {
		rc = http_get(j->src->url, NULL, &resp, &err);
		status = resp.status;
	}
	if (rc == 0)
		rc = fx_scrape_body(app->st, run_id, j->date, j->path ? j->path : j->src->url, status,
				    j->path ? body.buf : resp.body.buf, j->path ? body.len : resp.body.len, &rates,
				    &added, &err);
	if (rc == 0) {
		printf("%-11s %s  ok      %5zu rates   %5zu new\n", j->src->id, j->date, rates, added);
	} else {
		printf("%-11s %s  failed\n", j->src->id, j->date);
		cli_error("%s %s: %s", j->src->id, j->date, err.msg[0] ? err.msg : tt_strerror(rc));
	}
	http_response_release(&resp);
	buf_release(&body);
	return rc;
}

/* A live run of every (or the named) source, then notifications. */
static int live_run(struct app *app, const char **only, size_t nonly)
{
	struct settings set;
	struct scrape_run_opts o = { 0 };
	struct scrape_run_summary sum;
	struct notify_report rep;
	struct tt_error err = { 0 };
	char today[11];
	int rc;

	settings_init(&set);
	rc = settings_load(&set, NULL, &err);
	if (rc < 0) {
		rc = cli_report("configuration", rc, &err);
		goto out;
	}
	clock_today(today);
	o.settings = &set;
	o.only = only;
	o.nonly = nonly;
	o.on_result = print_result;
	rc = scrape_run_live(app->st, today, &o, &sum, &err);
	if (rc < 0) {
		rc = cli_report("scrape", rc, &err);
		goto out;
	}
	/* The ECB's exchange rates ride along (fx.h): stored by date, not prices. */
	if (selected(only, nonly, FX_SOURCE_ID)) {
		struct job fxj = { 0 };
		int r;
		fxj.src = catalog_find(FX_SOURCE_ID);
		snprintf(fxj.date, sizeof(fxj.date), "%s", today);
		r = fxj.src ? scrape_fx(app, sum.run_id, &fxj) : 0;
		if (r == 0) {
			sum.ok++;
		} else {
			sum.failed++;
			if (r != TT_ENET && r != TT_EBLOCKED)
				sum.net_only = 0;
			if (!sum.worst || r == TT_EDB || r == TT_EBUSY)
				sum.worst = r;
		}
	}
	if (sum.snapshots.pruned)
		fprintf(stderr, "tokentrend: snapshot retention: %zu old snapshots pruned (%" PRId64 " bytes)\n",
			sum.snapshots.pruned, sum.snapshots.pruned_bytes);
	if (notify_run(app->st, &set.notify, today, &rep, &err) < 0)
		cli_error("notifications: %s", err.msg);
	else if (rep.events)
		fprintf(stderr, "tokentrend: %zu notification%s delivered\n", rep.delivered,
			rep.delivered == 1 ? "" : "s");
	if (fflush(stdout) || ferror(stdout))
		rc = TT_EXIT_FAIL;
	else if (sum.failed == 0)
		rc = TT_EXIT_OK;
	else if (sum.worst == TT_EDB)
		rc = TT_EXIT_DB;
	else if (sum.worst == TT_EBUSY)
		rc = TT_EXIT_BUSY;
	else if (sum.ok)
		rc = TT_EXIT_PARTIAL;
	else
		rc = sum.net_only ? TT_EXIT_NET : TT_EXIT_PARSE;
out:
	settings_release(&set);
	return rc;
}

int cmd_scrape(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "from-dir", required_argument, NULL, 'd' },
		{ "file", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("scrape");
	const char *only[MAX_SOURCES];
	size_t nonly = 0, i, ok = 0, failed = 0;
	const char *dir = NULL, *file = NULL, *date = NULL;
	struct jobs jobs = { 0 };
	struct tt_error err = { 0 };
	int64_t run_id = 0;
	char ts[21];
	int c, rc = TT_EXIT_FAIL, worst = 0, net_only = 1;

	/* User-defined sources join the catalog before --source is checked. */
	if ((c = cli_load_user_sources(app)) != TT_EXIT_OK)
		return c;
	while ((c = getopt_long(argc, argv, "s:d:f:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!catalog_find(optarg) ||
			    (!catalog_find(optarg)->extract && strcmp(optarg, FX_SOURCE_ID)))
				return cli_usage(self, "unknown source '%s' (see 'tokentrend sources')", optarg);
			if (nonly == MAX_SOURCES)
				return cli_usage(self, "too many --source options");
			only[nonly++] = optarg;
			break;
		case 'd': dir = optarg; break;
		case 'f': file = optarg; break;
		case 'D': date = optarg; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind]);
	if (date && !date_valid(date))
		return cli_usage(self, "--date '%s' is not a valid YYYY-MM-DD date", date);
	if (file && dir)
		return cli_usage(self, "--file and --from-dir cannot be combined");
	if (file && (nonly != 1 || !date))
		return cli_usage(self, "--file needs exactly one --source and a --date");
	if (date && !file)
		return cli_usage(self, "--date goes with --file (a capture folder's names carry their dates)");

	if (file) {
		if (jobs_add(&jobs, catalog_find(only[0]), date, file) < 0)
			goto oom;
	} else if (dir) {
		if (collect_dir(dir, only, nonly, &jobs) < 0) {
			rc = TT_EXIT_PARSE;
			goto out;
		}
		if (jobs.n == 0) {
			cli_error("no usable captures in '%s'", dir);
			rc = TT_EXIT_PARSE;
			goto out;
		}
		qsort(jobs.v, jobs.n, sizeof(*jobs.v), job_cmp);
	} else {
		return live_run(app, only, nonly);
	}

	c = store_run_begin(app->st, file || dir ? "replay" : "scrape", clock_timestamp(ts), &run_id, &err);
	if (c < 0) {
		rc = cli_report("cannot start a run", c, &err);
		goto out;
	}
	for (i = 0; i < jobs.n; i++) {
		struct job *j = &jobs.v[i];
		struct scrape_result res;
		int r;

		if (!j->src->extract) {
			/* the ECB's exchange rates (fx.h): stored by date, not prices */
			r = scrape_fx(app, run_id, j);
			if (r == 0) {
				ok++;
			} else {
				failed++;
				if (r != TT_ENET && r != TT_EBLOCKED)
					net_only = 0;
				if (!worst || r == TT_EDB || r == TT_EBUSY)
					worst = r;
			}
			continue;
		}
		scrape_result_init(&res);
		r = scrape_file(app->st, run_id, j->src, j->date, j->path, &res);
		print_result(&res, NULL);
		if (r == 0) {
			ok++;
		} else {
			failed++;
			if (r != TT_ENET && r != TT_EBLOCKED)
				net_only = 0;
			if (!worst || r == TT_EDB || r == TT_EBUSY)
				worst = r;
		}
		scrape_result_release(&res);
	}
	store_run_finish(app->st, run_id, clock_timestamp(ts),
			 failed == 0 ? "ok" : (ok ? "partial" : "failed"), NULL);
	if (fflush(stdout) || ferror(stdout)) {
		rc = TT_EXIT_FAIL;
		goto out;
	}
	if (failed == 0)
		rc = TT_EXIT_OK;
	else if (worst == TT_EDB)
		rc = TT_EXIT_DB;
	else if (worst == TT_EBUSY)
		rc = TT_EXIT_BUSY;
	else if (ok)
		rc = TT_EXIT_PARTIAL;
	else
		rc = net_only ? TT_EXIT_NET : TT_EXIT_PARSE;
	goto out;
oom:
	cli_error("out of memory");
	rc = TT_EXIT_FAIL;
out:
	jobs_release(&jobs);
	return rc;
}
