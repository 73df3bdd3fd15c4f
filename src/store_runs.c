/*
 * store_runs.c - reading a source's run history back: its last good run
 * before a date (validation: "no fewer than half the models of the last
 * good run"), the values it has in force on a date (jump detection), and
 * its recent outcomes (`sources show`).  Read-only; see store.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/store.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"

static int runs_fail(struct store *st, struct tt_error *err, const char *what)
{
	return tt_set_error(err, TT_EDB, "%s: %s", what, sqlite3_errmsg(store_db(st)));
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? strdup((const char *)t) : NULL;
}

static void col_copy(sqlite3_stmt *s, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

int store_last_good_run(struct store *st, const char *source, const char *before, size_t *models,
			char date[11], struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (!source || !before || !date_valid(before))
		return tt_set_error(err, TT_EINVAL, "last good run: bad source or date");
	rc = sqlite3_prepare_v2(store_db(st),
				"SELECT models, obs_date FROM run_source WHERE source=?1 AND status='ok'"
				" AND obs_date<?2 ORDER BY obs_date DESC, id DESC LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return runs_fail(st, err, "last good run");
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, before, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (models)
			*models = (size_t)sqlite3_column_int64(s, 0);
		if (date)
			col_copy(s, 1, date, 11);
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = runs_fail(st, err, "last good run");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_values_as_of(struct store *st, const char *source, const char *date,
		       struct price_list *out, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t from = out->n;
	int rc;

	if (!source || !date || !date_valid(date))
		return tt_set_error(err, TT_EINVAL, "values as of: bad source or date");
	rc = sqlite3_prepare_v2(store_db(st),
				"SELECT k.provider, k.model, k.dimension, k.tier, k.condition, k.region, k.unit,"
				" k.currency, i.nanos, i.text FROM price_series s JOIN price_key k ON k.id=s.key_id"
				" JOIN price_interval i ON i.id=(SELECT x.id FROM price_interval x WHERE"
				" x.key_id=s.key_id AND x.source=s.source AND x.valid_from<=?2"
				" ORDER BY x.valid_from DESC LIMIT 1)"
				" WHERE s.source=?1 AND (i.valid_to IS NULL OR i.valid_to>?2)",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return runs_fail(st, err, "values as of");
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct price p = { 0 };
		p.provider = (char *)sqlite3_column_text(s, 0);
		p.model = (char *)sqlite3_column_text(s, 1);
		p.dimension = (char *)sqlite3_column_text(s, 2);
		p.tier = (char *)sqlite3_column_text(s, 3);
		p.condition = (char *)sqlite3_column_text(s, 4);
		p.region = (char *)sqlite3_column_text(s, 5);
		p.unit = (char *)sqlite3_column_text(s, 6);
		p.currency = (char *)sqlite3_column_text(s, 7);
		p.nanos = sqlite3_column_int64(s, 8);
		p.text = (char *)sqlite3_column_text(s, 9);
		if (price_list_add(out, &p) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "values as of: out of memory");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = runs_fail(st, err, "values as of");
		goto out;
	}
	if (out->n > from)
		qsort(out->v + from, out->n - from, sizeof(*out->v), price_key_cmp);
	rc = (int)(out->n - from);
out:
	sqlite3_finalize(s);
	return rc;
}

int store_source_history(struct store *st, const char *source, size_t limit,
			 struct store_outcome_rows *out, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t added = 0;
	int rc;

	rc = sqlite3_prepare_v2(store_db(st),
				"SELECT s.run_id, r.kind, r.started, s.obs_date, s.status, s.http_status, s.bytes,"
				" s.models, s.prices, s.origin, s.error FROM run_source s JOIN run r ON r.id=s.run_id"
				" WHERE s.source=?1 ORDER BY s.run_id DESC, s.obs_date DESC, s.id DESC LIMIT ?2",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return runs_fail(st, err, "source history");
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)(limit ? limit : 10));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_outcome_row *o;
		if (out->n == out->alloc) {
			size_t na = out->alloc ? out->alloc * 2 : 8;
			struct store_outcome_row *nv = realloc(out->v, na * sizeof(*nv));
			if (!nv) {
				rc = tt_set_error(err, TT_ENOMEM, "source history: out of memory");
				goto out;
			}
			out->v = nv;
			out->alloc = na;
		}
		o = &out->v[out->n++];
		memset(o, 0, sizeof(*o));
		o->run_id = sqlite3_column_int64(s, 0);
		o->run_kind = col_dup(s, 1);
		o->started = col_dup(s, 2);
		col_copy(s, 3, o->obs_date, sizeof(o->obs_date));
		o->status = col_dup(s, 4);
		o->http_status = sqlite3_column_int(s, 5);
		o->bytes = (size_t)sqlite3_column_int64(s, 6);
		o->models = (size_t)sqlite3_column_int64(s, 7);
		o->prices = (size_t)sqlite3_column_int64(s, 8);
		o->origin = col_dup(s, 9);
		o->error = col_dup(s, 10);
		if (!o->run_kind || !o->started || !o->status) {
			rc = tt_set_error(err, TT_ENOMEM, "source history: out of memory");
			goto out;
		}
		added++;
	}
	rc = rc == SQLITE_DONE ? (int)added : runs_fail(st, err, "source history");
out:
	sqlite3_finalize(s);
	return rc;
}

void store_outcome_rows_release(struct store_outcome_rows *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].run_kind);
		free(r->v[i].started);
		free(r->v[i].status);
		free(r->v[i].origin);
		free(r->v[i].error);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
}
