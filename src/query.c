/*
 * query.c - questions asked of the stored history (prices as of a date,
 * interval history, change events) and their rendering as a terminal
 * table, RFC 4180 CSV or the JSON contract of DESIGN.md.
 *
 * It also holds the one source-ranking table (source_ranks[] below) that
 * decides which source's value `prices` shows when several have the key.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/query.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"
#include "tokentrend/store.h"

/*
 * Source ranking (DESIGN.md "Several sources, one key"): when several
 * sources publish the same key, the lowest rank wins.
 *   0..   first-party pricing pages: the seller's own word;
 *   100.. feeds of marketplaces and clouds that sell at their own prices;
 *   200   any source not listed here (user-defined sources);
 *   300.. aggregators that copy others' prices and are often stale.
 * Equal ranks are broken by the source id.  This is the only place that
 * knows the order; the C sort of query rows (sort_rows) reads it.
 */
static const struct {
	const char *source;
	int rank;
} source_ranks[] = {
	{ "openai", 0 },     { "anthropic", 1 }, { "gemini", 2 },  { "vertex", 3 },
	{ "deepseek", 4 },   { "zai", 5 },       { "mistral", 6 }, { "groq", 7 },
	{ "xai", 8 },
	{ "openrouter", 100 }, { "azure", 101 }, { "bedrock", 102 },
	{ "litellm", 300 },  { "llmprices", 301 },
};
#define SOURCE_RANK_OTHER 200

/* Display order of dimensions: the common ones first, then by name. */
static const char *const dimension_order[] = {
	"input", "output", "cache_read", "cache_write", "cache_write_1h", "cache_storage", "reasoning",
};

int query_source_rank(const char *source)
{
	size_t i;

	for (i = 0; source && i < TT_ARRAY_SIZE(source_ranks); i++)
		if (!strcmp(source, source_ranks[i].source))
			return source_ranks[i].rank;
	return SOURCE_RANK_OTHER;
}

/* ---- rows --------------------------------------------------------------- */

void price_rows_release(struct price_rows *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		price_release(&r->v[i].p);
		free(r->v[i].source);
		free(r->v[i].change);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
}

static struct price_row *rows_push(struct price_rows *r)
{
	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 64;
		struct price_row *nv = realloc(r->v, na * sizeof(*nv));
		if (!nv)
			return NULL;
		r->v = nv;
		r->alloc = na;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

/* ---- SQL ---------------------------------------------------------------- */

/* Columns every query selects, in this order (see read_row). */
#define ROW_COLUMNS                                                                          \
	"k.provider, k.model, k.dimension, k.tier, k.condition, k.region, k.unit, k.currency," \
	" i.nanos, i.text, i.note, %s, %s, i.valid_to, i.first_seen, i.last_seen"
enum {
	COL_PROVIDER, COL_MODEL, COL_DIMENSION, COL_TIER, COL_CONDITION, COL_REGION, COL_UNIT,
	COL_CURRENCY, COL_NANOS, COL_TEXT, COL_NOTE, COL_SOURCE, COL_VALID_FROM, COL_VALID_TO,
	COL_FIRST_SEEN, COL_LAST_SEEN,
	COL_EV_DATE, COL_EV_KIND, COL_EV_OLD, COL_EV_NEW, /* changes only */
};

/* The shared key and source filters, with :named parameters. */
static int add_filters(struct buf *b, const struct query_filter *f, const char *source_col)
{
	int rc = 0;

	if (f->provider && *f->provider)
		rc = buf_adds(b, " AND k.provider = :provider");
	if (rc == 0 && f->model && *f->model)
		rc = buf_adds(b, strchr(f->model, '%') ? " AND k.model LIKE :model"
						       : " AND k.model = :model");
	if (rc == 0 && f->dimension && *f->dimension)
		rc = buf_adds(b, " AND k.dimension = :dimension");
	if (rc == 0 && f->tier && *f->tier)
		rc = buf_adds(b, " AND k.tier = :tier");
	if (rc == 0 && f->source && *f->source)
		rc = buf_addf(b, " AND %s = :source", source_col);
	return rc;
}

static void bind_named(sqlite3_stmt *s, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0 && v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static void bind_filters(sqlite3_stmt *s, const struct query_filter *f, const char *as_of)
{
	bind_named(s, ":provider", f->provider);
	bind_named(s, ":model", f->model);
	bind_named(s, ":dimension", f->dimension);
	bind_named(s, ":tier", f->tier);
	bind_named(s, ":source", f->source);
	bind_named(s, ":as_of", as_of);
	bind_named(s, ":since", f->since);
	bind_named(s, ":until", f->until);
}

static int check_date(const char *what, const char *d, struct tt_error *err)
{
	if (d && *d && !date_valid(d))
		return tt_set_error(err, TT_EINVAL, "invalid %s date '%s' (expected YYYY-MM-DD)", what, d);
	return 0;
}

/* since (inclusive) must come before until (exclusive): an inverted or
 * empty range is the caller's mistake, not "no rows". */
static int check_range(const struct query_filter *f, struct tt_error *err)
{
	if (f->since && *f->since && f->until && *f->until && strcmp(f->since, f->until) >= 0)
		return tt_set_error(err, TT_EINVAL,
				    "empty date range: since %s is not before until %s (until is exclusive)",
				    f->since, f->until);
	return 0;
}

/* A copy of column i (its length known: no strlen), dflt when NULL. */
static int dup_col(sqlite3_stmt *s, int i, const char *dflt, char **out)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n;

	*out = NULL;
	if (t)
		n = (size_t)sqlite3_column_bytes(s, i);
	else if (dflt)
		n = strlen(dflt), t = (const unsigned char *)dflt;
	else
		return 0;
	*out = malloc(n + 1);
	if (!*out)
		return TT_ENOMEM;
	memcpy(*out, t, n);
	(*out)[n] = '\0';
	return 0;
}

/* Column i (a date, at most 10 bytes, or NULL) into out[11]. */
static void date_col(sqlite3_stmt *s, int i, char out[11])
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (n > 10)
		n = 10;
	memcpy(out, t ? (const char *)t : "", n);
	out[n] = '\0';
}

/* Fill a row from the current result row; changes adds the event columns. */
static int read_row(sqlite3_stmt *s, struct price_row *r, int changes)
{
	struct price *p = &r->p;

	if (dup_col(s, COL_PROVIDER, "", &p->provider) || dup_col(s, COL_MODEL, "", &p->model) ||
	    dup_col(s, COL_DIMENSION, "", &p->dimension) || dup_col(s, COL_TIER, "", &p->tier) ||
	    dup_col(s, COL_CONDITION, "", &p->condition) || dup_col(s, COL_REGION, "", &p->region) ||
	    dup_col(s, COL_UNIT, "", &p->unit) || dup_col(s, COL_CURRENCY, "", &p->currency) ||
	    dup_col(s, COL_TEXT, NULL, &p->text) || dup_col(s, COL_NOTE, NULL, &p->note) ||
	    dup_col(s, COL_SOURCE, "", &r->source))
		return TT_ENOMEM;
	p->nanos = sqlite3_column_int64(s, COL_NANOS);
	date_col(s, COL_VALID_FROM, r->valid_from);
	date_col(s, COL_VALID_TO, r->valid_to);
	date_col(s, COL_FIRST_SEEN, r->first_seen);
	date_col(s, COL_LAST_SEEN, r->last_seen);
	if (!changes)
		return 0;
	date_col(s, COL_EV_DATE, r->date);
	if (dup_col(s, COL_EV_KIND, "", &r->change))
		return TT_ENOMEM;
	r->has_old = sqlite3_column_type(s, COL_EV_OLD) != SQLITE_NULL;
	r->old_nanos = sqlite3_column_int64(s, COL_EV_OLD);
	if (sqlite3_column_type(s, COL_EV_NEW) != SQLITE_NULL)
		p->nanos = sqlite3_column_int64(s, COL_EV_NEW);
	else if (r->has_old)
		p->nanos = r->old_nanos;
	return 0;
}

/*
 * Run sql with f's parameters and append its rows to out (prices keeps one
 * row per key after sort_rows, not here).
 */
static int run_query(struct store *st, const char *sql, const struct query_filter *f,
		     const char *as_of, int changes, struct price_rows *out, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int rc, count = 0;

	/* The same filters build the same text: prepared once per connection. */
	rc = store_stmt_cached(st, sql, &s, err);
	if (rc < 0)
		goto out;
	bind_filters(s, f, as_of);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct price_row *r = rows_push(out);

		if (!r || read_row(s, r, changes) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory reading query rows");
			goto out;
		}
		count++;
	}
	if (rc != SQLITE_DONE) {
		rc = tt_set_error(err, (rc & 0xff) == SQLITE_BUSY ? TT_EBUSY : TT_EDB, "query: %s",
				  sqlite3_errmsg(db));
		goto out;
	}
	rc = count;
out:
	if (s)
		sqlite3_reset(s); /* cached: reset, never finalized here */
	return rc;
}

/*
 * The display order of query rows, in C rather than in SQL: sorting 20,000
 * wide rows in SQLite's sorter cost more than the rest of `prices --as-of`
 * (bench/README.md).  Keys by provider, model, dimension (dimension_order[]
 * first), tier, condition, region, unit, currency; then, for history,
 * valid_from (for changes, the event date comes first); then the source
 * rank and id.  Strings compare bytewise, as SQLite's BINARY collation does.
 */
static size_t dimension_rank(const char *d)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(dimension_order); i++)
		if (!strcmp(d, dimension_order[i]))
			return i;
	return 99;
}

static int key_cmp(const struct price_row *x, const struct price_row *y)
{
	const struct price *a = &x->p, *b = &y->p;
	size_t da, db;
	int c;

	if ((c = strcmp(a->provider, b->provider)) || (c = strcmp(a->model, b->model)))
		return c;
	if (strcmp(a->dimension, b->dimension)) {
		da = dimension_rank(a->dimension);
		db = dimension_rank(b->dimension);
		if (da != db)
			return da < db ? -1 : 1;
		return strcmp(a->dimension, b->dimension);
	}
	if ((c = strcmp(a->tier, b->tier)) || (c = strcmp(a->condition, b->condition)) ||
	    (c = strcmp(a->region, b->region)) || (c = strcmp(a->unit, b->unit)))
		return c;
	return strcmp(a->currency, b->currency);
}

static int source_cmp(const struct price_row *x, const struct price_row *y)
{
	int ra, rb;

	if (!strcmp(x->source, y->source))
		return 0;
	ra = query_source_rank(x->source);
	rb = query_source_rank(y->source);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(x->source, y->source);
}

/* prices: key, source rank, source (valid_from last, for a total order) */
static int prices_row_cmp(const void *a, const void *b)
{
	const struct price_row *x = a, *y = b;
	int c;

	if ((c = key_cmp(x, y)) || (c = source_cmp(x, y)))
		return c;
	return strcmp(x->valid_from, y->valid_from);
}

/* history: key, valid_from, source rank, source */
static int history_row_cmp(const void *a, const void *b)
{
	const struct price_row *x = a, *y = b;
	int c;

	if ((c = key_cmp(x, y)) || (c = strcmp(x->valid_from, y->valid_from)))
		return c;
	return source_cmp(x, y);
}

/* changes: event date, key, source rank, source; a removal before the
 * event that opens the key's next interval on the same day */
static int changes_row_cmp(const void *a, const void *b)
{
	const struct price_row *x = a, *y = b;
	int c;

	if ((c = strcmp(x->date, y->date)) || (c = key_cmp(x, y)) || (c = source_cmp(x, y)))
		return c;
	return !strcmp(y->change, "removed") - !strcmp(x->change, "removed");
}

static void row_release(struct price_row *r)
{
	price_release(&r->p);
	free(r->source);
	free(r->change);
}

/* Sort out->v[first..] by cmp; one_per_key keeps the first row of each key. */
static void sort_rows(struct price_rows *out, size_t first, int (*cmp)(const void *, const void *),
		      int one_per_key)
{
	size_t i, o;

	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(out->v[0]), cmp);
	if (!one_per_key)
		return;
	for (i = o = first; i < out->n; i++) {
		if (o > first && !key_cmp(&out->v[o - 1], &out->v[i])) {
			row_release(&out->v[i]);
			continue;
		}
		out->v[o++] = out->v[i];
	}
	out->n = o;
}

int query_prices(struct store *st, const struct query_filter *f, struct price_rows *out,
		 struct tt_error *err)
{
	struct buf sql = BUF_INIT;
	char today[11];
	const char *as_of = f->as_of && *f->as_of ? f->as_of : clock_today(today);
	int rc, one = !f->all_sources && !(f->source && *f->source);
	size_t first = out->n, i;

	rc = check_date("as-of", as_of, err);
	if (rc < 0)
		return rc;
	if (f->by_observed)
		/* What tokentrend would have answered on as_of: a value counts
		 * from the later of its first observation and its effective date
		 * until the next value counts, or until the removal was recorded. */
		rc = buf_addf(&sql, "WITH obs AS (SELECT i.*, max(i.first_seen, i.valid_from) AS seen_from,"
				    " CASE WHEN i.removed THEN i.valid_to ELSE lead(max(i.first_seen, i.valid_from))"
				    " OVER (PARTITION BY i.key_id, i.source ORDER BY i.valid_from) END AS seen_to"
				    " FROM price_interval i JOIN price_key k ON k.id = i.key_id WHERE 1");
	if (rc == 0 && f->by_observed)
		rc = add_filters(&sql, f, "i.source");
	if (rc == 0 && f->by_observed)
		rc = buf_addf(&sql, ") SELECT " ROW_COLUMNS " FROM obs i JOIN price_key k ON k.id = i.key_id"
				    " WHERE i.seen_from <= :as_of AND (i.seen_to IS NULL OR i.seen_to > :as_of)",
			      "i.source", "i.valid_from");
	/* By effective date: per (key, source) of price_series, the last
	 * interval starting on or before as_of (one index seek each), in force
	 * unless it ended by then (a removal).  The time does not grow with the
	 * age of the date (0005_perf.sql). */
	if (rc == 0 && !f->by_observed)
		rc = buf_addf(&sql, "SELECT " ROW_COLUMNS " FROM price_series s"
				    " JOIN price_key k ON k.id = s.key_id"
				    " JOIN price_interval i ON i.id = (SELECT x.id FROM price_interval x"
				    " WHERE x.key_id = s.key_id AND x.source = s.source AND x.valid_from <= :as_of"
				    " ORDER BY x.valid_from DESC LIMIT 1)"
				    " WHERE (i.valid_to IS NULL OR i.valid_to > :as_of)",
			      "i.source", "i.valid_from");
	if (rc == 0)
		rc = add_filters(&sql, f, f->by_observed ? "i.source" : "s.source");
	if (rc < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory building a query");
		goto out;
	}
	rc = run_query(st, sql.buf, f, as_of, 0, out, err);
	if (rc >= 0) {
		sort_rows(out, first, prices_row_cmp, one);
		rc = (int)(out->n - first);
	}
	for (i = first; rc >= 0 && i < out->n; i++) {
		memcpy(out->v[i].as_of, as_of, sizeof(out->v[i].as_of)); /* date_valid: 10 + NUL */
		out->v[i].by = f->by_observed ? "observed" : "effective";
	}
out:
	buf_release(&sql);
	return rc;
}

/*
 * A dated query: history and changes differ only in these parts.  The SQL
 * is "SELECT " ROW_COLUMNS(src, from) rest, the date clauses and the
 * filters; the rows are then sorted in C by sort (sort_rows).
 */
struct dated_query {
	const char *src, *from; /* the source and valid_from columns of ROW_COLUMNS */
	const char *rest;       /* the rest of the SELECT, up to "WHERE 1" */
	const char *since;      /* clause added for :since */
	const char *until;      /* clause added for :until */
	int (*sort)(const void *, const void *); /* the display order */
	int changes;            /* rows carry the change event's columns */
};

static int query_dated(struct store *st, const struct query_filter *f,
		       const struct dated_query *q, struct price_rows *out, struct tt_error *err)
{
	struct buf sql = BUF_INIT;
	int rc;

	rc = check_date("since", f->since, err);
	if (rc == 0)
		rc = check_date("until", f->until, err);
	if (rc == 0)
		rc = check_range(f, err);
	if (rc < 0)
		return rc;
	rc = buf_addf(&sql, "SELECT " ROW_COLUMNS, q->src, q->from);
	if (rc == 0)
		rc = buf_adds(&sql, q->rest);
	if (rc == 0 && f->since && *f->since)
		rc = buf_adds(&sql, q->since);
	if (rc == 0 && f->until && *f->until)
		rc = buf_adds(&sql, q->until);
	if (rc == 0)
		rc = add_filters(&sql, f, q->src);
	if (rc < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory building a query");
		goto out;
	}
	rc = run_query(st, sql.buf, f, NULL, q->changes, out, err);
	if (rc >= 0)
		sort_rows(out, out->n - (size_t)rc, q->sort, 0);
out:
	buf_release(&sql);
	return rc;
}

int query_history(struct store *st, const struct query_filter *f, struct price_rows *out,
		  struct tt_error *err)
{
	static const struct dated_query history = {
		"i.source", "i.valid_from",
		" FROM price_interval i JOIN price_key k ON k.id = i.key_id WHERE 1",
		" AND (i.valid_to IS NULL OR i.valid_to > :since)",
		" AND i.valid_from < :until",
		history_row_cmp,
		0,
	};

	return query_dated(st, f, &history, out, err);
}

int query_changes(struct store *st, const struct query_filter *f, struct price_rows *out,
		  struct tt_error *err)
{
	static const struct dated_query changes = {
		"e.source", "e.interval_from",
		", e.date, e.kind, e.old_nanos, e.new_nanos"
		" FROM change_event e JOIN price_key k ON k.id = e.key_id"
		" LEFT JOIN price_interval i ON i.key_id = e.key_id AND i.source = e.source"
		" AND i.valid_from = e.interval_from WHERE 1",
		" AND e.date >= :since",
		" AND e.date < :until",
		changes_row_cmp,
		1,
	};

	return query_dated(st, f, &changes, out, err);
}

/* ---- rendering ---------------------------------------------------------- */

static int csv_field(struct buf *b, const char *s);

int query_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "table"))
		return QUERY_FORMAT_TABLE;
	if (!strcmp(s, "csv"))
		return QUERY_FORMAT_CSV;
	if (!strcmp(s, "json"))
		return QUERY_FORMAT_JSON;
	return -1;
}

/* The output fields, in CSV/JSON order. */
enum field {
	F_DATE, F_CHANGE, F_PROVIDER, F_MODEL, F_DIMENSION, F_TIER, F_CONDITION, F_REGION, F_UNIT,
	F_CURRENCY, F_OLD_PRICE, F_PRICE, F_VALID_FROM, F_VALID_TO, F_FIRST_SEEN, F_LAST_SEEN,
	F_SOURCE, F_NOTE,
	F_AS_OF, F_BY, F_CONVERTED, F_ORIG_PRICE, F_ORIG_CURRENCY, F_FX_RATE, F_FX_DATE,
	F_COUNT
};

enum field_flags {
	FF_CHANGE = (1 << 0),   /* only with with_change */
	FF_VALID_TO = (1 << 1), /* only with with_valid_to */
	FF_MONEY = (1 << 2),    /* a price: JSON string of the exact decimal, right-aligned */
	FF_NOTABLE = (1 << 3),  /* not in the terminal table */
	FF_SPARSE = (1 << 4),   /* table: dropped when empty in every row */
	FF_IFANY = (1 << 5),    /* every format: present only when some row has a value */
};

static const struct {
	const char *name;  /* CSV header and JSON member */
	const char *title; /* table header */
	unsigned flags;
} fields[F_COUNT] = {
	[F_DATE] = { "date", "DATE", FF_CHANGE },
	[F_CHANGE] = { "change", "CHANGE", FF_CHANGE },
	[F_PROVIDER] = { "provider", "PROVIDER", 0 },
	[F_MODEL] = { "model", "MODEL", 0 },
	[F_DIMENSION] = { "dimension", "DIMENSION", 0 },
	[F_TIER] = { "tier", "TIER", 0 },
	[F_CONDITION] = { "condition", "CONDITION", FF_SPARSE },
	[F_REGION] = { "region", "REGION", FF_SPARSE },
	[F_UNIT] = { "unit", "UNIT", 0 },
	[F_CURRENCY] = { "currency", "CUR", 0 },
	[F_OLD_PRICE] = { "old_price", "OLD", FF_CHANGE | FF_MONEY },
	[F_PRICE] = { "price", "PRICE", FF_MONEY },
	[F_VALID_FROM] = { "valid_from", "FROM", 0 },
	[F_VALID_TO] = { "valid_to", "TO", FF_VALID_TO },
	[F_FIRST_SEEN] = { "first_seen", "FIRST SEEN", FF_NOTABLE },
	[F_LAST_SEEN] = { "last_seen", "LAST SEEN", 0 },
	[F_SOURCE] = { "source", "SOURCE", 0 },
	[F_NOTE] = { "note", "NOTE", FF_NOTABLE },
	[F_AS_OF] = { "as_of", "AS OF", FF_IFANY | FF_NOTABLE },
	[F_BY] = { "by", "BY", FF_IFANY | FF_NOTABLE },
	[F_CONVERTED] = { "converted", "CONVERTED", FF_IFANY | FF_SPARSE },
	[F_ORIG_PRICE] = { "original_price", "ORIGINAL", FF_IFANY | FF_MONEY | FF_NOTABLE },
	[F_ORIG_CURRENCY] = { "original_currency", "ORIG CUR", FF_IFANY | FF_NOTABLE },
	[F_FX_RATE] = { "fx_rate", "RATE", FF_IFANY | FF_NOTABLE },
	[F_FX_DATE] = { "fx_date", "RATE DATE", FF_IFANY | FF_NOTABLE },
};

/* Table column order: the key, the money, the dates. */
static const enum field table_order[] = {
	F_DATE, F_CHANGE, F_PROVIDER, F_MODEL, F_DIMENSION, F_TIER, F_CONDITION, F_REGION,
	F_OLD_PRICE, F_PRICE, F_CURRENCY, F_UNIT, F_VALID_FROM, F_VALID_TO, F_LAST_SEEN, F_SOURCE,
	F_CONVERTED,
};

#define FIELD_TEXT_MAX 160

/* Fields with FF_IFANY that some row of the current rendering fills. */
static int field_any[F_COUNT];

static int field_on(enum field f, int with_valid_to, int with_change)
{
	unsigned fl = fields[f].flags;

	if ((fl & FF_IFANY) && !field_any[f])
		return 0;
	if ((fl & FF_CHANGE) && !with_change)
		return 0;
	if ((fl & FF_VALID_TO) && !with_valid_to)
		return 0;
	return 1;
}

/* The value of a field as text; NULL for a JSON null (absent).  money
 * holds MONEY_FMT_MAX bytes, and 160 for the conversion text. */
static const char *field_text(const struct price_row *r, enum field f, char money[FIELD_TEXT_MAX])
{
	char orig[MONEY_FMT_MAX];

	int removed = r->change && !strcmp(r->change, "removed");

	switch (f) {
	case F_DATE: return r->date[0] ? r->date : NULL;
	case F_CHANGE: return r->change;
	case F_PROVIDER: return r->p.provider;
	case F_MODEL: return r->p.model;
	case F_DIMENSION: return r->p.dimension;
	case F_TIER: return r->p.tier;
	case F_CONDITION: return r->p.condition ? r->p.condition : "";
	case F_REGION: return r->p.region ? r->p.region : "";
	case F_UNIT: return r->p.unit;
	case F_CURRENCY: return r->p.currency;
	case F_OLD_PRICE: return r->has_old ? money_format(r->old_nanos, money, MONEY_FMT_MAX) : NULL;
	case F_PRICE: return removed ? NULL : money_format(r->p.nanos, money, MONEY_FMT_MAX);
	case F_VALID_FROM: return r->valid_from[0] ? r->valid_from : NULL;
	case F_VALID_TO: return r->valid_to[0] ? r->valid_to : NULL;
	case F_FIRST_SEEN: return r->first_seen[0] ? r->first_seen : NULL;
	case F_LAST_SEEN: return r->last_seen[0] ? r->last_seen : NULL;
	case F_SOURCE: return r->source;
	case F_NOTE: return r->p.note;
	case F_AS_OF: return r->as_of[0] ? r->as_of : NULL;
	case F_BY: return r->by;
	case F_CONVERTED:
		if (!r->fx_from[0])
			return NULL;
		snprintf(money, FIELD_TEXT_MAX, "from %s %s at %s, ECB %s", r->fx_from,
			 money_format(r->fx_orig_nanos, orig, sizeof(orig)), r->fx_rate, r->fx_date);
		return money;
	case F_ORIG_PRICE:
		return r->fx_from[0] ? money_format(r->fx_orig_nanos, money, MONEY_FMT_MAX) : NULL;
	case F_ORIG_CURRENCY: return r->fx_from[0] ? r->fx_from : NULL;
	case F_FX_RATE: return r->fx_from[0] ? r->fx_rate : NULL;
	case F_FX_DATE: return r->fx_from[0] ? r->fx_date : NULL;
	case F_COUNT: break;
	}
	return NULL;
}

static int render_json(const struct price_rows *rows, int vt, int ch, struct buf *out)
{
	char money[FIELD_TEXT_MAX];
	size_t i;
	int rc = buf_adds(out, "[");

	for (i = 0; rc == 0 && i < rows->n; i++) {
		const char *sep = "";
		int f;

		rc = buf_adds(out, i ? ",\n  {" : "\n  {");
		for (f = 0; rc == 0 && f < F_COUNT; f++) {
			const char *v;

			if (!field_on((enum field)f, vt, ch))
				continue;
			v = field_text(&rows->v[i], (enum field)f, money);
			rc = buf_addf(out, "%s\"%s\": ", sep, fields[f].name);
			if (rc == 0)
				rc = v ? json_buf_add_string(out, v) : buf_adds(out, "null");
			sep = ", ";
		}
		if (rc == 0)
			rc = buf_addch(out, '}');
	}
	if (rc == 0)
		rc = buf_adds(out, rows->n ? "\n]\n" : "]\n");
	return rc;
}

int query_json_string(struct buf *b, const char *s)
{
	return s ? json_buf_add_string(b, s) : buf_adds(b, "null");
}

int query_csv_field(struct buf *b, const char *s)
{
	return csv_field(b, s);
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double quotes. */
static int csv_field(struct buf *b, const char *s)
{
	int rc = 0;

	if (!s)
		return 0;
	if (!strpbrk(s, ",\"\r\n"))
		return buf_adds(b, s);
	rc = buf_addch(b, '"');
	for (; rc == 0 && *s; s++) {
		if (*s == '"')
			rc = buf_addch(b, '"');
		if (rc == 0)
			rc = buf_addch(b, *s);
	}
	return rc ? rc : buf_addch(b, '"');
}

static int render_csv(const struct price_rows *rows, int vt, int ch, struct buf *out)
{
	char money[FIELD_TEXT_MAX];
	size_t i;
	int f, rc = 0, first = 1;

	for (f = 0; rc == 0 && f < F_COUNT; f++) {
		if (!field_on((enum field)f, vt, ch))
			continue;
		rc = buf_adds(out, first ? fields[f].name : ",");
		if (rc == 0 && !first)
			rc = buf_adds(out, fields[f].name);
		first = 0;
	}
	if (rc == 0)
		rc = buf_adds(out, "\r\n");
	for (i = 0; rc == 0 && i < rows->n; i++) {
		first = 1;
		for (f = 0; rc == 0 && f < F_COUNT; f++) {
			if (!field_on((enum field)f, vt, ch))
				continue;
			if (!first)
				rc = buf_addch(out, ',');
			if (rc == 0)
				rc = csv_field(out, field_text(&rows->v[i], (enum field)f, money));
			first = 0;
		}
		if (rc == 0)
			rc = buf_adds(out, "\r\n");
	}
	return rc;
}

/* Display width of UTF-8 text: one column per code point, control
 * characters shown as '?'. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Append s for a table cell: control characters become '?'. */
static int table_cell(struct buf *b, const char *s, size_t width, int right)
{
	size_t w = text_width(s), pad = width > w ? width - w : 0;
	int rc = 0;

	if (right)
		while (rc == 0 && pad--)
			rc = buf_addch(b, ' ');
	for (; rc == 0 && *s; s++)
		rc = buf_addch(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	if (!right)
		while (rc == 0 && pad--)
			rc = buf_addch(b, ' ');
	return rc;
}

static int render_table(const struct price_rows *rows, int vt, int ch, struct buf *out)
{
	size_t width[F_COUNT] = { 0 }, i, c;
	int shown[F_COUNT] = { 0 }, rc = 0;
	char money[FIELD_TEXT_MAX];

	for (c = 0; c < TT_ARRAY_SIZE(table_order); c++) {
		enum field f = table_order[c];
		width[f] = text_width(fields[f].title);
		shown[f] = field_on(f, vt, ch) && !(fields[f].flags & FF_SPARSE);
	}
	for (i = 0; i < rows->n; i++)
		for (c = 0; c < TT_ARRAY_SIZE(table_order); c++) {
			enum field f = table_order[c];
			const char *v = field_text(&rows->v[i], f, money);
			size_t w = text_width(v && *v ? v : "-");
			if (w > width[f])
				width[f] = w;
			if (v && *v && field_on(f, vt, ch))
				shown[f] = 1;
		}
	for (i = 0; rc == 0 && i <= rows->n; i++) {
		int first = 1;

		for (c = 0; rc == 0 && c < TT_ARRAY_SIZE(table_order); c++) {
			enum field f = table_order[c];
			const char *v;
			int last = 1, right = (fields[f].flags & FF_MONEY) != 0;
			size_t d;

			if (!shown[f])
				continue;
			if (i == 0)
				v = fields[f].title;
			else
				v = field_text(&rows->v[i - 1], f, money);
			if (!v || !*v)
				v = "-";
			if (!first)
				rc = buf_adds(out, "  ");
			first = 0;
			for (d = c + 1; d < TT_ARRAY_SIZE(table_order); d++)
				if (shown[table_order[d]])
					last = 0;
			/* No trailing blanks after the last column. */
			if (rc == 0)
				rc = table_cell(out, v, last && !right ? 0 : width[f], right);
		}
		if (rc == 0)
			rc = buf_addch(out, '\n');
	}
	return rc;
}

int query_render(const struct price_rows *rows, enum query_format fmt, int with_valid_to,
		 int with_change, struct buf *out)
{
	char money[FIELD_TEXT_MAX];
	size_t i;
	int rc, f;

	for (f = 0; f < F_COUNT; f++) {
		field_any[f] = 0;
		if (!(fields[f].flags & FF_IFANY))
			continue;
		for (i = 0; i < rows->n && !field_any[f]; i++)
			field_any[f] = field_text(&rows->v[i], (enum field)f, money) != NULL;
	}

	switch (fmt) {
	case QUERY_FORMAT_JSON:
		rc = render_json(rows, with_valid_to, with_change, out);
		break;
	case QUERY_FORMAT_CSV:
		rc = render_csv(rows, with_valid_to, with_change, out);
		break;
	case QUERY_FORMAT_TABLE:
	default:
		rc = render_table(rows, with_valid_to, with_change, out);
		break;
	}
	return rc < 0 ? TT_ENOMEM : 0;
}
