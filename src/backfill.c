/*
 * backfill.c - imports of files people already keep (see backfill.h):
 * prices that carry their own observation dates, single files and folders
 * of dated snapshots run through the catalog's extractors.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/backfill.h"

#include <dirent.h>
#include <sqlite3.h>

#include "tokentrend/catalog.h"
#include "tokentrend/clock.h"
#include "tokentrend/scrape.h"

/* ---- prices with their own observation dates ----------------------------- */

struct dated {
	const char *date;
	size_t idx;
};

/* By date, then list order (stable: a list's order is kept within a day). */
static int dated_cmp(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

int backfill_observe(struct store *st, int64_t run_id, const char *source, const char *date,
		     const struct price_list *prices, const char *provenance,
		     struct store_observe_stats *stats, struct tt_error *err)
{
	struct store_observe_stats sum = { 0 };
	struct price_list group = PRICE_LIST_INIT;
	struct dated *order = NULL;
	unsigned char *done = NULL;
	sqlite3 *db = store_db(st);
	size_t i, j, n = prices ? prices->n : 0;
	int rc = 0, own_tx = 0, savepoint = 0, any = 0;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	for (i = 0; i < n; i++)
		any |= prices->v[i].observed != NULL;
	if (!any)
		return store_observe(st, run_id, source, date, prices, provenance, stats, err);
	for (i = 0; i < n; i++) {
		const char *d = prices->v[i].observed;
		if (d && !date_valid(d))
			return tt_set_error(err, TT_EINVAL, "%s: price %zu (%s %s) has an invalid observation "
					    "date '%s'; nothing stored", source, i + 1, prices->v[i].model,
					    prices->v[i].dimension, d);
	}
	order = malloc(n * sizeof(*order));
	group.v = malloc(n * sizeof(*group.v));
	done = malloc(n);
	if (!order || !group.v || !done) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		order[i].date = prices->v[i].observed ? prices->v[i].observed : date;
		order[i].idx = i;
	}
	qsort(order, n, sizeof(*order), dated_cmp);

	if (sqlite3_get_autocommit(db)) {
		rc = store_begin(st, err);
		own_tx = rc == 0;
	} else {
		rc = sqlite3_exec(db, "SAVEPOINT tt_backfill", NULL, NULL, NULL) == SQLITE_OK ? 0
			: tt_set_error(err, TT_EDB, "savepoint: %s", sqlite3_errmsg(db));
		savepoint = rc == 0;
	}
	if (rc < 0)
		goto out;
	/* keys the source never had: stored whole at once (store_observe_bulk) */
	rc = store_observe_bulk(st, run_id, source, date, prices, provenance, done, &sum, err);
	if (rc > 0)
		rc = 0;
	/* the rest: one store_observe per observation date, in date order */
	for (i = 0; i < n && rc == 0; i = j) {
		struct store_observe_stats s = { 0 };
		group.n = 0;
		for (j = i; j < n && !strcmp(order[j].date, order[i].date); j++)
			if (!done[order[j].idx])
				group.v[group.n++] = prices->v[order[j].idx]; /* shallow: never released */
		if (group.n == 0)
			continue;
		rc = store_observe(st, run_id, source, order[i].date, &group, provenance, &s, err);
		sum.observed += s.observed;
		sum.repeated += s.repeated;
		sum.changes += s.changes;
		sum.keys += s.keys;
	}
	if (own_tx) {
		if (rc == 0)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	} else if (savepoint) {
		if (rc < 0)
			sqlite3_exec(db, "ROLLBACK TO tt_backfill", NULL, NULL, NULL);
		sqlite3_exec(db, "RELEASE tt_backfill", NULL, NULL, NULL);
	}
	if (rc == 0 && stats)
		*stats = sum;
out:
	free(done);
	free(group.v);
	free(order);
	return rc < 0 ? rc : 0;
}

/* ---- file names and folders ---------------------------------------------- */

int backfill_date_from_name(const char *path, char date[11])
{
	const char *base = strrchr(path, '/');
	const char *dot, *p;
	char tmp[11];

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	/* the last YYYY-MM-DD that ends at or before the extension */
	for (p = dot - 10; p >= base; p--) {
		if (p > base && isdigit((unsigned char)p[-1]))
			continue;
		if (p + 10 < dot && isdigit((unsigned char)p[10]))
			continue;
		memcpy(tmp, p, 10);
		tmp[10] = '\0';
		if (date_valid(tmp)) {
			memcpy(date, tmp, 11);
			return 0;
		}
	}
	return TT_EINVAL;
}

void backfill_report_init(struct backfill_report *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->notes, 0);
}

void backfill_report_release(struct backfill_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
	buf_release(&r->notes);
	memset(r, 0, sizeof(*r));
}

static struct backfill_file *report_add(struct backfill_report *r, const char *path,
					const char *date)
{
	struct backfill_file *nv = realloc(r->files, (r->nfiles + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	r->files = nv;
	nv = &r->files[r->nfiles];
	memset(nv, 0, sizeof(*nv));
	nv->path = strdup(path);
	if (!nv->path)
		return NULL;
	snprintf(nv->date, sizeof(nv->date), "%s", date);
	r->nfiles++;
	return nv;
}

static int file_cmp(const void *a, const void *b)
{
	const struct backfill_file *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c ? c : strcmp(x->path, y->path);
}

static int read_whole(const char *path, char **body, size_t *len, struct tt_error *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f)
		return tt_set_error(err, TT_EIO, "cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(&b, chunk, n) < 0) {
			fclose(f);
			buf_release(&b);
			return tt_set_error(err, TT_ENOMEM, "'%s' is too large", path);
		}
	}
	if (ferror(f)) {
		fclose(f);
		buf_release(&b);
		return tt_set_error(err, TT_EIO, "cannot read '%s'", path);
	}
	fclose(f);
	*body = buf_detach(&b, len);
	return 0;
}

/* List the dated files of a folder into rep->files (not yet imported). */
static int collect(const char *dir, struct backfill_report *rep, struct tt_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return tt_set_error(err, TT_EIO, "cannot open folder '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char path[4096], date[11];
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (backfill_date_from_name(e->d_name, date) < 0) {
			buf_addf(&rep->notes, "skipped %s: its name carries no YYYY-MM-DD date\n", path);
			continue;
		}
		if (!report_add(rep, path, date)) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			break;
		}
	}
	closedir(d);
	if (rc == 0 && rep->nfiles > 1)
		qsort(rep->files, rep->nfiles, sizeof(*rep->files), file_cmp);
	return rc;
}

int backfill_import(struct store *st, const char *source, const char *path, const char *date,
		    struct backfill_report *rep, struct tt_error *err)
{
	const struct source_def *src = catalog_find(source);
	struct stat sb;
	int64_t run_id = 0;
	char ts[21], fdate[11];
	size_t i;
	int rc;

	if (!src || !src->extract)
		return tt_set_error(err, TT_EINVAL, "no built-in source '%s' with an extractor",
				    source ? source : "");
	if (date && !date_valid(date))
		return tt_set_error(err, TT_EINVAL, "bad date '%s' (expected YYYY-MM-DD)", date);
	if (stat(path, &sb) < 0)
		return tt_set_error(err, TT_EIO, "cannot read '%s': %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		if (date)
			return tt_set_error(err, TT_EINVAL, "--date goes with one file: a folder's snapshots "
					    "carry their dates in their names");
		rc = collect(path, rep, err);
		if (rc < 0)
			return rc;
		if (rep->nfiles == 0)
			return tt_set_error(err, TT_EINVAL, "no dated files in '%s'", path);
	} else {
		if (date)
			snprintf(fdate, sizeof(fdate), "%s", date);
		else if (backfill_date_from_name(path, fdate) < 0)
			return tt_set_error(err, TT_EINVAL, "'%s': its name carries no YYYY-MM-DD date; "
					    "give the date it was published with --date", path);
		if (!report_add(rep, path, fdate))
			return tt_set_error(err, TT_ENOMEM, "out of memory");
	}
	rc = store_run_begin(st, "import", clock_timestamp(ts), &run_id, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rep->nfiles; i++) {
		struct backfill_file *f = &rep->files[i];
		struct scrape_result res;
		struct tt_error e2 = { 0 };
		char *body = NULL;
		size_t len = 0;

		scrape_result_init(&res);
		f->rc = read_whole(f->path, &body, &len, &e2);
		if (f->rc == 0)
			f->rc = scrape_body(st, run_id, src, f->date, f->path, 0, body, len, &res);
		else
			snprintf(res.error, sizeof(res.error), "%s", e2.msg);
		free(body);
		if (res.notes.len)
			buf_add(&rep->notes, res.notes.buf, res.notes.len);
		f->prices = res.prices;
		f->models = res.models;
		f->changes = res.changes;
		f->rejected = res.rejected;
		if (f->rc == 0) {
			rep->ok++;
			rep->prices += res.prices;
			rep->changes += res.changes;
		} else {
			rep->failed++;
			snprintf(f->error, sizeof(f->error), "%s", res.error[0] ? res.error : tt_strerror(f->rc));
		}
		scrape_result_release(&res);
		if (f->rc == TT_EDB || f->rc == TT_EBUSY) {
			rc = tt_set_error(err, f->rc, "%s: %s", f->path, f->error);
			break;
		}
	}
	store_run_finish(st, run_id, clock_timestamp(ts),
			 rep->failed == 0 ? "ok" : rep->ok ? "partial" : "failed", NULL);
	return rc < 0 ? rc : (int)rep->ok;
}
