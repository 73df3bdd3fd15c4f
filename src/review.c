/*
 * review.c - the review list of prices that jumped more than 10x: routing
 * a scrape's flagged prices, listing, accepting and rejecting (review.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/review.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"

#define REVIEW_SELECT                                                                              \
	"SELECT r.id, r.source, k.provider, k.model, k.dimension, k.tier, k.condition, k.region,"   \
	" k.unit, k.currency, r.nanos, r.text, r.note, r.prev_nanos, r.reason, r.first_seen,"       \
	" r.last_seen, r.run_id, r.flagged_at, r.status, r.decided_at, r.decided_by,"               \
	" r.decision_note FROM review_item r JOIN price_key k ON k.id = r.key_id"

static int rv_fail(struct store *st, int rc, struct tt_error *err, const char *what)
{
	int prim = rc & 0xff;

	return tt_set_error(err, prim == SQLITE_BUSY || prim == SQLITE_LOCKED ? TT_EBUSY : TT_EDB,
			    "review: %s: %s", what, sqlite3_errmsg(store_db(st)));
}

static void bind_str(sqlite3_stmt *s, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? strdup((const char *)t) : NULL;
}

void review_items_release(struct review_items *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		struct review_item *r = &l->v[i];
		free(r->source);
		price_release(&r->p);
		free(r->reason);
		free(r->flagged_at);
		free(r->status);
		free(r->decided_at);
		free(r->decided_by);
		free(r->decision_note);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

/* Read one REVIEW_SELECT row into a new item of l. */
static int read_item(sqlite3_stmt *s, struct review_items *l, struct tt_error *err)
{
	struct review_item *r;
	char *need[10];
	size_t i;

	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 8;
		struct review_item *nv = realloc(l->v, na * sizeof(*nv));
		if (!nv)
			return tt_set_error(err, TT_ENOMEM, "review: out of memory");
		l->v = nv;
		l->alloc = na;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->source = col_dup(s, 1);
	r->p.provider = col_dup(s, 2);
	r->p.model = col_dup(s, 3);
	r->p.dimension = col_dup(s, 4);
	r->p.tier = col_dup(s, 5);
	r->p.condition = col_dup(s, 6);
	r->p.region = col_dup(s, 7);
	r->p.unit = col_dup(s, 8);
	r->p.currency = col_dup(s, 9);
	r->p.nanos = sqlite3_column_int64(s, 10);
	r->p.text = col_dup(s, 11);
	r->p.note = col_dup(s, 12);
	r->has_prev = sqlite3_column_type(s, 13) != SQLITE_NULL;
	r->prev_nanos = sqlite3_column_int64(s, 13);
	r->reason = col_dup(s, 14);
	snprintf(r->first_seen, sizeof(r->first_seen), "%s", (const char *)sqlite3_column_text(s, 15));
	snprintf(r->last_seen, sizeof(r->last_seen), "%s", (const char *)sqlite3_column_text(s, 16));
	r->run_id = sqlite3_column_int64(s, 17);
	r->flagged_at = col_dup(s, 18);
	r->status = col_dup(s, 19);
	r->decided_at = col_dup(s, 20);
	r->decided_by = col_dup(s, 21);
	r->decision_note = col_dup(s, 22);
	need[0] = r->source;
	need[1] = r->p.provider;
	need[2] = r->p.model;
	need[3] = r->p.dimension;
	need[4] = r->p.tier;
	need[5] = r->p.condition;
	need[6] = r->p.region;
	need[7] = r->p.unit;
	need[8] = r->p.currency;
	need[9] = r->status;
	for (i = 0; i < TT_ARRAY_SIZE(need); i++)
		if (!need[i])
			return tt_set_error(err, TT_ENOMEM, "review: out of memory");
	return 0;
}

/* The id of p's key, creating it when absent (it exists: a value is in force). */
static int key_id(struct store *st, const struct price *p, int64_t *id, struct tt_error *err)
{
	static const char *const sql[2] = {
		"INSERT OR IGNORE INTO price_key(provider,model,dimension,tier,condition,region,unit,"
		"currency) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
		"SELECT id FROM price_key WHERE provider=?1 AND model=?2 AND dimension=?3 AND tier=?4"
		" AND condition=?5 AND region=?6 AND unit=?7 AND currency=?8",
	};
	int i, rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		sqlite3_stmt *s = NULL;
		int r = sqlite3_prepare_v2(store_db(st), sql[i], -1, &s, NULL);
		if (r == SQLITE_OK) {
			bind_str(s, 1, p->provider);
			bind_str(s, 2, p->model);
			bind_str(s, 3, p->dimension);
			bind_str(s, 4, p->tier);
			bind_str(s, 5, p->condition);
			bind_str(s, 6, p->region);
			bind_str(s, 7, p->unit);
			bind_str(s, 8, p->currency);
			r = sqlite3_step(s);
			if (i == 1 && r == SQLITE_ROW)
				*id = sqlite3_column_int64(s, 0);
		}
		if (r != SQLITE_DONE && !(i == 1 && r == SQLITE_ROW))
			rc = rv_fail(st, r, err, "price key");
		sqlite3_finalize(s);
	}
	return rc;
}

/* "25.00 is 12.5x the stored 2.00" (the ratio is for people: a double is fine). */
static void jump_reason(int64_t nanos, int64_t prev, char *out, size_t n)
{
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];

	money_format(nanos, a, sizeof(a));
	money_format(prev, b, sizeof(b));
	if (nanos >= prev)
		snprintf(out, n, "%s is %.1fx the stored %s", a, (double)nanos / (double)prev, b);
	else
		snprintf(out, n, "%s is 1/%.1f of the stored %s", a, (double)prev / (double)nanos, b);
}

int review_route(struct store *st, int64_t run_id, const char *source, const char *date,
		 const struct price_list *flagged, const int64_t *prev, struct price_list *store,
		 struct buf *notes, struct review_route_stats *stats, struct tt_error *err)
{
	sqlite3_stmt *find = NULL, *widen = NULL, *put = NULL;
	struct review_route_stats dummy;
	char ts[21];
	size_t i;
	int rc;

	if (!stats)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	if (!flagged || flagged->n == 0)
		return 0;
	clock_timestamp(ts);
	rc = sqlite3_prepare_v2(store_db(st),
				"SELECT id, status FROM review_item WHERE source=?1 AND key_id=?2 AND nanos=?3",
				-1, &find, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(store_db(st),
					"UPDATE review_item SET first_seen=min(first_seen, ?2),"
					" last_seen=max(last_seen, ?2) WHERE id=?1", -1, &widen, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(store_db(st),
					"INSERT INTO review_item(source,key_id,nanos,text,note,prev_nanos,reason,"
					"first_seen,last_seen,run_id,flagged_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8,?9,?10)",
					-1, &put, NULL);
	if (rc != SQLITE_OK) {
		rc = rv_fail(st, rc, err, "prepare");
		goto out;
	}
	for (i = 0; i < flagged->n; i++) {
		const struct price *p = &flagged->v[i];
		char reason[160], status[16] = "";
		int64_t kid = 0, item = 0;
		int r;

		if ((rc = key_id(st, p, &kid, err)) < 0)
			goto out;
		jump_reason(p->nanos, prev[i], reason, sizeof(reason));
		sqlite3_reset(find);
		sqlite3_bind_text(find, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_int64(find, 2, kid);
		sqlite3_bind_int64(find, 3, p->nanos);
		r = sqlite3_step(find);
		if (r == SQLITE_ROW) {
			item = sqlite3_column_int64(find, 0);
			snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(find, 1));
		} else if (r != SQLITE_DONE) {
			rc = rv_fail(st, r, err, "find item");
			goto out;
		}
		if (item) {
			sqlite3_reset(widen);
			sqlite3_bind_int64(widen, 1, item);
			sqlite3_bind_text(widen, 2, date, -1, SQLITE_STATIC);
			if ((r = sqlite3_step(widen)) != SQLITE_DONE) {
				rc = rv_fail(st, r, err, "update item");
				goto out;
			}
		} else {
			sqlite3_reset(put);
			sqlite3_bind_text(put, 1, source, -1, SQLITE_STATIC);
			sqlite3_bind_int64(put, 2, kid);
			sqlite3_bind_int64(put, 3, p->nanos);
			bind_str(put, 4, p->text);
			bind_str(put, 5, p->note);
			sqlite3_bind_int64(put, 6, prev[i]);
			sqlite3_bind_text(put, 7, reason, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(put, 8, date, -1, SQLITE_STATIC);
			if (run_id > 0)
				sqlite3_bind_int64(put, 9, run_id);
			else
				sqlite3_bind_null(put, 9);
			sqlite3_bind_text(put, 10, ts, -1, SQLITE_STATIC);
			if ((r = sqlite3_step(put)) != SQLITE_DONE) {
				rc = rv_fail(st, r, err, "add item");
				goto out;
			}
			item = sqlite3_last_insert_rowid(store_db(st));
			snprintf(status, sizeof(status), "new");
		}
		if (!strcmp(status, "accepted")) {
			if (price_list_add(store, p) < 0) {
				rc = tt_set_error(err, TT_ENOMEM, "review: out of memory");
				goto out;
			}
			stats->accepted++;
			continue;
		}
		if (notes)
			buf_addf(notes, "%s %s %s%s%s: %s: %s (review #%lld); not stored\n", p->model,
				 p->dimension, p->tier, *p->condition ? " " : "", p->condition, reason,
				 !strcmp(status, "new") ? "flagged for review"
				 : !strcmp(status, "pending") ? "still waiting for review"
				 : "rejected in review before",
				 (long long)item);
		if (!strcmp(status, "new"))
			stats->flagged++;
		else if (!strcmp(status, "pending"))
			stats->pending++;
		else
			stats->rejected++;
	}
	rc = 0;
out:
	sqlite3_finalize(find);
	sqlite3_finalize(widen);
	sqlite3_finalize(put);
	return rc;
}

int review_list(struct store *st, const char *status, struct review_items *out,
		struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, all = !status || !strcmp(status, "all"), added = 0;

	if (!all && strcmp(status, "pending") && strcmp(status, "accepted") && strcmp(status, "rejected"))
		return tt_set_error(err, TT_EINVAL,
				    "unknown review status '%s' (pending, accepted, rejected or all)", status);
	rc = sqlite3_prepare_v2(store_db(st),
				all ? REVIEW_SELECT " ORDER BY r.first_seen, r.id"
				    : REVIEW_SELECT " WHERE r.status=?1 ORDER BY r.first_seen, r.id",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return rv_fail(st, rc, err, "list");
	if (!all)
		sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((rc = read_item(s, out, err)) < 0)
			goto out;
		added++;
	}
	rc = rc == SQLITE_DONE ? added : rv_fail(st, rc, err, "list");
out:
	sqlite3_finalize(s);
	return rc;
}

int review_decide(struct store *st, int64_t id, int accept, const char *who, const char *why,
		  struct store_observe_stats *stats, struct tt_error *err)
{
	struct review_items one = REVIEW_ITEMS_INIT;
	struct price_list l = PRICE_LIST_INIT;
	sqlite3_stmt *s = NULL;
	char ts[21], prov[64];
	int rc, in_tx = 0;

	rc = store_begin(st, err);
	if (rc < 0)
		goto out;
	in_tx = 1;
	rc = sqlite3_prepare_v2(store_db(st), REVIEW_SELECT " WHERE r.id=?1", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = rv_fail(st, rc, err, "find item");
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = tt_set_error(err, TT_ENOTFOUND, "no review item #%lld (see 'tokentrend review')",
				  (long long)id);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = rv_fail(st, rc, err, "find item");
		goto out;
	}
	if ((rc = read_item(s, &one, err)) < 0)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (strcmp(one.v[0].status, "pending")) {
		rc = tt_set_error(err, TT_EINVAL, "review item #%lld was already %s on %s%s%s; a decision is kept",
				  (long long)id, one.v[0].status,
				  one.v[0].decided_at ? one.v[0].decided_at : "an earlier date",
				  one.v[0].decided_by ? " by " : "", one.v[0].decided_by ? one.v[0].decided_by : "");
		goto out;
	}
	if (accept) {
		const struct review_item *r = &one.v[0];
		if ((rc = price_list_add(&l, &r->p)) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "review: out of memory");
			goto out;
		}
		snprintf(prov, sizeof(prov), "review #%lld accepted", (long long)id);
		rc = store_observe(st, r->run_id, r->source, r->first_seen, &l, prov, stats, err);
		if (rc == 0 && strcmp(r->last_seen, r->first_seen))
			rc = store_observe(st, r->run_id, r->source, r->last_seen, &l, prov, NULL, err);
		if (rc < 0)
			goto out;
	}
	rc = sqlite3_prepare_v2(store_db(st),
				"UPDATE review_item SET status=?2, decided_at=?3, decided_by=?4, decision_note=?5"
				" WHERE id=?1", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = rv_fail(st, rc, err, "decide");
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, accept ? "accepted" : "rejected", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, clock_timestamp(ts), -1, SQLITE_STATIC);
	bind_str(s, 4, who && *who ? who : NULL);
	bind_str(s, 5, why && *why ? why : NULL);
	rc = sqlite3_step(s);
	rc = rc == SQLITE_DONE ? 0 : rv_fail(st, rc, err, "decide");
out:
	sqlite3_finalize(s);
	if (in_tx) {
		if (rc == 0)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	}
	price_list_release(&l);
	review_items_release(&one);
	return rc;
}

/* One CSV field, quoted when it holds a comma, quote, CR or LF. */
static int csv_field(struct buf *b, const char *s, int last)
{
	int bad = 0;

	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		bad |= buf_addch(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				bad |= buf_addch(b, '"');
			bad |= buf_addch(b, *s);
		}
		bad |= buf_addch(b, '"');
	} else {
		bad |= buf_adds(b, s);
	}
	bad |= buf_adds(b, last ? "\r\n" : ",");
	return bad;
}

static int json_field(struct buf *b, const char *name, const char *v)
{
	int bad = buf_addf(b, ", \"%s\": ", name);

	return bad | (v ? json_buf_add_string(b, v) : buf_adds(b, "null"));
}

int review_render(const struct review_items *l, int fmt, struct buf *out)
{
	size_t i;
	int bad = 0;

	if (fmt == QUERY_FORMAT_CSV)
		bad |= buf_adds(out, "id,status,source,provider,model,dimension,tier,condition,region,unit,currency,"
			      "price,previous_price,reason,first_seen,last_seen,flagged_at,decided_at,"
			      "decided_by,decision_note\r\n");
	else if (fmt == QUERY_FORMAT_JSON)
		bad |= buf_addch(out, '[');
	else
		bad |= buf_addf(out, "%-5s %-9s %-11s %-28s %-11s %-9s %-13s %10s %10s  %-10s %-10s %s\n", "ID",
			 "STATUS", "SOURCE", "MODEL", "DIMENSION", "TIER", "CONDITION", "PRICE", "STORED",
			 "FIRST_SEEN", "LAST_SEEN", "REASON");
	for (i = 0; i < l->n; i++) {
		const struct review_item *r = &l->v[i];
		char v[MONEY_FMT_MAX], pv[MONEY_FMT_MAX], id[24];

		money_format(r->p.nanos, v, sizeof(v));
		if (r->has_prev)
			money_format(r->prev_nanos, pv, sizeof(pv));
		else
			snprintf(pv, sizeof(pv), "%s", fmt == QUERY_FORMAT_TABLE ? "-" : "");
		snprintf(id, sizeof(id), "%lld", (long long)r->id);
		if (fmt == QUERY_FORMAT_CSV) {
			const char *f[] = { id, r->status, r->source, r->p.provider, r->p.model, r->p.dimension,
					    r->p.tier, r->p.condition, r->p.region, r->p.unit, r->p.currency, v,
					    pv, r->reason, r->first_seen, r->last_seen, r->flagged_at,
					    r->decided_at, r->decided_by, r->decision_note };
			size_t k;
			for (k = 0; k < TT_ARRAY_SIZE(f); k++)
				bad |= csv_field(out, f[k], k + 1 == TT_ARRAY_SIZE(f));
		} else if (fmt == QUERY_FORMAT_JSON) {
			bad |= buf_addf(out, "%s\n  {\"id\": %s", i ? "," : "", id);
			bad |= json_field(out, "status", r->status);
			bad |= json_field(out, "source", r->source);
			bad |= json_field(out, "provider", r->p.provider);
			bad |= json_field(out, "model", r->p.model);
			bad |= json_field(out, "dimension", r->p.dimension);
			bad |= json_field(out, "tier", r->p.tier);
			bad |= json_field(out, "condition", r->p.condition);
			bad |= json_field(out, "region", r->p.region);
			bad |= json_field(out, "unit", r->p.unit);
			bad |= json_field(out, "currency", r->p.currency);
			bad |= json_field(out, "price", v);
			bad |= json_field(out, "previous_price", r->has_prev ? pv : NULL);
			bad |= json_field(out, "reason", r->reason);
			bad |= json_field(out, "first_seen", r->first_seen);
			bad |= json_field(out, "last_seen", r->last_seen);
			bad |= json_field(out, "flagged_at", r->flagged_at);
			bad |= json_field(out, "decided_at", r->decided_at);
			bad |= json_field(out, "decided_by", r->decided_by);
			bad |= json_field(out, "decision_note", r->decision_note);
			bad |= buf_addch(out, '}');
		} else {
			bad |= buf_addf(out, "%-5s %-9s %-11s %-28s %-11s %-9s %-13s %10s %10s  %-10s %-10s %s\n", id,
				 r->status, r->source, r->p.model, r->p.dimension, r->p.tier,
				 *r->p.condition ? r->p.condition : "-", v, pv, r->first_seen, r->last_seen,
				 r->reason ? r->reason : "");
		}
	}
	if (fmt == QUERY_FORMAT_JSON)
		bad |= buf_adds(out, l->n ? "\n]\n" : "]\n");
	return bad ? TT_ENOMEM : 0;
}
