/*
 * export.c - prices, history and changes as CSV or JSON, and the whole
 * database as a portable file (see export.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/export.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/store.h"

int export_what_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "history"))
		return EXPORT_HISTORY;
	if (!strcmp(s, "prices"))
		return EXPORT_PRICES;
	if (!strcmp(s, "changes"))
		return EXPORT_CHANGES;
	if (!strcmp(s, "all"))
		return EXPORT_ALL;
	return -1;
}

/* One table's rows, rendered. */
static int one_table(struct store *st, enum export_what what, enum query_format fmt,
		     const char *as_of, struct buf *out, struct tt_error *err)
{
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	int rc;

	f.all_sources = 1;
	f.as_of = as_of;
	switch (what) {
	case EXPORT_PRICES: rc = query_prices(st, &f, &rows, err); break;
	case EXPORT_CHANGES: rc = query_changes(st, &f, &rows, err); break;
	default: rc = query_history(st, &f, &rows, err); break;
	}
	if (rc >= 0 && query_render(&rows, fmt, what != EXPORT_PRICES, what == EXPORT_CHANGES, out) < 0)
		rc = tt_set_error(err, TT_ENOMEM, "out of memory rendering %zu rows", rows.n);
	if (rc >= 0)
		rc = (int)rows.n;
	price_rows_release(&rows);
	return rc;
}

int export_render(struct store *st, enum export_what what, enum query_format fmt,
		  const char *as_of, struct buf *out, struct tt_error *err)
{
	static const enum export_what parts[3] = { EXPORT_PRICES, EXPORT_HISTORY, EXPORT_CHANGES };
	static const char *const names[3] = { "prices", "history", "changes" };
	char today[11];
	int rc = 0, total = 0, i;

	if (!as_of || !*as_of)
		as_of = clock_today(today);
	if (!date_valid(as_of))
		return tt_set_error(err, TT_EINVAL, "invalid as-of date '%s'", as_of);
	if (what != EXPORT_ALL)
		return one_table(st, what, fmt, as_of, out, err);
	if (fmt != QUERY_FORMAT_JSON)
		return tt_set_error(err, TT_EINVAL, "all three tables go in one JSON object; as CSV, "
				    "export one table (--what) or write a folder (--out DIR)");
	rc = buf_addf(out, "{\"as_of\": \"%s\",\n", as_of);
	for (i = 0; rc >= 0 && i < 3; i++) {
		rc = buf_addf(out, "\"%s\": ", names[i]);
		if (rc == 0)
			rc = one_table(st, parts[i], fmt, as_of, out, err);
		if (rc >= 0) {
			total += rc;
			/* the renderer ends its array with a newline: keep the object valid */
			if (out->len && out->buf[out->len - 1] == '\n')
				out->len--;
			rc = buf_adds(out, i < 2 ? ",\n" : "\n}\n") < 0 ? TT_ENOMEM : 0;
		}
	}
	if (rc == TT_ENOMEM && (!err || !err->code))
		tt_set_error(err, TT_ENOMEM, "out of memory");
	return rc < 0 ? rc : total;
}

int export_write_dir(struct store *st, const char *dir, enum query_format fmt, const char *as_of,
		     struct tt_error *err)
{
	static const enum export_what parts[3] = { EXPORT_PRICES, EXPORT_HISTORY, EXPORT_CHANGES };
	static const char *const names[3] = { "prices", "history", "changes" };
	const char *ext = fmt == QUERY_FORMAT_JSON ? "json" : "csv";
	int i, rc = 0;

	if (fmt == QUERY_FORMAT_TABLE)
		return tt_set_error(err, TT_EINVAL, "a folder export is csv or json");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return tt_set_error(err, TT_EIO, "cannot create folder '%s': %s", dir, strerror(errno));
	for (i = 0; rc >= 0 && i < 3; i++) {
		struct buf b = BUF_INIT;
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.%s", dir, names[i], ext);
		rc = export_render(st, parts[i], fmt, as_of, &b, err);
		if (rc >= 0) {
			f = fopen(path, "wb");
			if (!f || (b.len && fwrite(b.buf, 1, b.len, f) != b.len) || fclose(f) != 0) {
				rc = tt_set_error(err, TT_EIO, "cannot write '%s': %s", path, strerror(errno));
				f = NULL;
			}
		}
		buf_release(&b);
	}
	return rc < 0 ? rc : 0;
}

int export_database(struct store *st, const char *path, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	struct stat sb;
	int rc;

	if (!path || !*path)
		return tt_set_error(err, TT_EINVAL, "no file to export the database to");
	if (stat(path, &sb) == 0)
		return tt_set_error(err, TT_EINVAL, "'%s' exists: the export never overwrites a file", path);
	rc = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE) {
		rc = tt_set_error(err, (rc & 0xff) == SQLITE_BUSY ? TT_EBUSY : TT_EDB,
				  "cannot write the database to '%s': %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}
