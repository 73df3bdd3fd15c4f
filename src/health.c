/*
 * health.c - the per-source health report (see health.h): SQL over
 * run_source and price_interval, rendered as a table, CSV or JSON.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/health.h"

#include <sqlite3.h>

#include "tokentrend/catalog.h"
#include "tokentrend/store.h"
#include "tokentrend/json.h"

void health_report_release(struct health_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct health_source *h = &r->v[i];
		free(h->source);
		free(h->state);
		free(h->last_status);
		free(h->last_ok_date);
		free(h->last_ok_run);
		free(h->last_fail_date);
		free(h->last_fail_run);
		free(h->last_fail_status);
		free(h->last_fail_reason);
	}
	free(r->v);
	free(r->last_run_started);
	free(r->last_run_finished);
	free(r->last_run_status);
	memset(r, 0, sizeof(*r));
}

static char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? strdup((const char *)t) : NULL;
}

static struct health_source *add_source(struct health_report *r, const char *id)
{
	struct health_source *v;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].source, id))
			return &r->v[i];
	v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	r->v = v;
	v = &r->v[r->n];
	memset(v, 0, sizeof(*v));
	v->source = strdup(id);
	if (!v->source)
		return NULL;
	r->n++;
	return v;
}

#define OUTCOMES "FROM run_source r JOIN run u ON u.id = r.run_id WHERE u.kind IN ('scrape', 'replay')" \
	" AND r.source = ?1"

int health_report(struct store *st, struct health_report *out, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL, *ok = NULL, *bad = NULL, *last = NULL, *now = NULL, *streak = NULL;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < catalog_count(); i++)
		if (catalog_at(i)->extract && !add_source(out, catalog_at(i)->id))
			return tt_set_error(err, TT_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT r.source FROM run_source r JOIN run u ON u.id = r.run_id"
			       " WHERE u.kind IN ('scrape', 'replay') ORDER BY 1", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT r.obs_date, u.started, r.models, r.prices " OUTCOMES
			       " AND r.status IN ('ok', 'unchanged') ORDER BY r.id DESC LIMIT 1", -1, &ok, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT r.obs_date, u.started, r.status, r.error " OUTCOMES
			       " AND r.status NOT IN ('ok', 'unchanged') ORDER BY r.id DESC LIMIT 1", -1, &bad, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT r.status " OUTCOMES " ORDER BY r.id DESC", -1, &streak, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(DISTINCT k.provider || char(31) || k.model), count(*)"
			       " FROM price_interval i JOIN price_key k ON k.id = i.key_id"
			       " WHERE i.source = ?1 AND i.valid_to IS NULL AND i.removed = 0", -1, &now, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, started, finished, status FROM run WHERE kind = 'scrape'"
			       " ORDER BY id DESC LIMIT 1", -1, &last, NULL) != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "source health: %s", sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		if (!add_source(out, (const char *)sqlite3_column_text(s, 0))) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
	for (i = 0; i < out->n; i++) {
		struct health_source *h = &out->v[i];
		sqlite3_stmt *q[4] = { ok, bad, streak, now };
		size_t k;

		for (k = 0; k < 4; k++) {
			sqlite3_reset(q[k]);
			sqlite3_bind_text(q[k], 1, h->source, -1, SQLITE_STATIC);
		}
		if (sqlite3_step(ok) == SQLITE_ROW) {
			h->last_ok_date = col(ok, 0);
			h->last_ok_run = col(ok, 1);
			h->last_models = sqlite3_column_int64(ok, 2);
			h->last_prices = sqlite3_column_int64(ok, 3);
		}
		if (sqlite3_step(bad) == SQLITE_ROW) {
			h->last_fail_date = col(bad, 0);
			h->last_fail_run = col(bad, 1);
			h->last_fail_status = col(bad, 2);
			h->last_fail_reason = col(bad, 3);
		}
		while (sqlite3_step(streak) == SQLITE_ROW) {
			const char *stt = (const char *)sqlite3_column_text(streak, 0);
			if (!h->last_status)
				h->last_status = strdup(stt);
			if (!strcmp(stt, "ok") || !strcmp(stt, "unchanged"))
				break;
			h->failing_runs++;
		}
		if (sqlite3_step(now) == SQLITE_ROW) {
			h->models_now = sqlite3_column_int64(now, 0);
			h->prices_now = sqlite3_column_int64(now, 1);
		}
		h->state = strdup(!h->last_status ? "never run" : h->failing_runs ? "failing" : "ok");
		if (!h->state) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (sqlite3_step(last) == SQLITE_ROW) {
		out->last_run_id = sqlite3_column_int64(last, 0);
		out->last_run_started = col(last, 1);
		out->last_run_finished = col(last, 2);
		out->last_run_status = col(last, 3);
	}
out:
	sqlite3_finalize(s);
	sqlite3_finalize(ok);
	sqlite3_finalize(bad);
	sqlite3_finalize(last);
	sqlite3_finalize(now);
	sqlite3_finalize(streak);
	return rc;
}

static void csv_field(struct buf *b, const char *s)
{
	if (!s)
		return;
	if (strpbrk(s, ",\"\n\r")) {
		buf_addch(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_addch(b, '"');
			buf_addch(b, *s);
		}
		buf_addch(b, '"');
	} else {
		buf_adds(b, s);
	}
}

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

int health_render(const struct health_report *r, enum query_format fmt, struct buf *out)
{
	size_t i;

	if (fmt == QUERY_FORMAT_JSON) {
		buf_addch(out, '[');
		for (i = 0; i < r->n; i++) {
			const struct health_source *h = &r->v[i];
			buf_adds(out, i ? ",\n{\"source\":" : "{\"source\":");
			json_buf_add_string_or_null(out, h->source);
			buf_adds(out, ",\"state\":");
			json_buf_add_string_or_null(out, h->state);
			buf_adds(out, ",\"last_status\":");
			json_buf_add_string_or_null(out, h->last_status);
			buf_adds(out, ",\"last_success\":");
			json_buf_add_string_or_null(out, h->last_ok_date);
			buf_adds(out, ",\"last_success_run\":");
			json_buf_add_string_or_null(out, h->last_ok_run);
			buf_adds(out, ",\"last_failure\":");
			json_buf_add_string_or_null(out, h->last_fail_date);
			buf_adds(out, ",\"last_failure_run\":");
			json_buf_add_string_or_null(out, h->last_fail_run);
			buf_adds(out, ",\"last_failure_status\":");
			json_buf_add_string_or_null(out, h->last_fail_status);
			buf_adds(out, ",\"last_failure_reason\":");
			json_buf_add_string_or_null(out, h->last_fail_reason);
			buf_addf(out, ",\"failing_runs\":%d,\"models\":%" PRId64 ",\"prices\":%" PRId64
				 ",\"models_in_force\":%" PRId64 ",\"prices_in_force\":%" PRId64 "}",
				 h->failing_runs, h->last_models, h->last_prices, h->models_now, h->prices_now);
		}
		return buf_adds(out, "]\n");
	}
	if (fmt == QUERY_FORMAT_CSV) {
		buf_adds(out, "source,state,last_success,last_failure,last_failure_status,failing_runs,"
			 "models,prices,models_in_force,prices_in_force,last_failure_reason\n");
		for (i = 0; i < r->n; i++) {
			const struct health_source *h = &r->v[i];
			buf_addf(out, "%s,%s,%s,%s,", h->source, h->state, h->last_ok_date ? h->last_ok_date : "",
				 h->last_fail_date ? h->last_fail_date : "");
			csv_field(out, h->last_fail_status);
			buf_addf(out, ",%d,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",", h->failing_runs,
				 h->last_models, h->last_prices, h->models_now, h->prices_now);
			csv_field(out, h->last_fail_reason);
			buf_addch(out, '\n');
		}
		return 0;
	}
	buf_addf(out, "%-11s %-9s %-10s %-10s %-12s %6s %6s %6s  %s\n", "SOURCE", "STATE", "LAST OK",
		 "LAST FAIL", "FAIL STATUS", "STREAK", "MODELS", "PRICES", "REASON");
	for (i = 0; i < r->n; i++) {
		const struct health_source *h = &r->v[i];
		char reason[101];
		snprintf(reason, sizeof(reason), "%s", dash(h->last_fail_reason));
		buf_addf(out, "%-11s %-9s %-10s %-10s %-12s %6d %6" PRId64 " %6" PRId64 "  %s\n", h->source,
			 h->state, dash(h->last_ok_date), dash(h->last_fail_date), dash(h->last_fail_status),
			 h->failing_runs, h->models_now, h->prices_now, reason);
	}
	return 0;
}
