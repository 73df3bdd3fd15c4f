/*
 * stats.c - lows, highs, time-weighted averages and changes per key, and
 * the cheapest model per tier on a date (see stats.h for the definitions).
 * Works on the rows query.c returns; money stays in int64 nano-units
 * (sums in 128 bits).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/stats.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"

const int stats_window_days[STATS_WINDOWS] = { 30, 90, 180 };

/* ---- small helpers -------------------------------------------------------- */

static int64_t day_of(const char *d)
{
	int64_t x = 0;

	date_parse(d, &x);
	return x;
}

/* (new - old) / old in basis points, rounded half away from zero; old 0 gives 0. */
static int64_t change_bp(int64_t old, int64_t new_)
{
	__int128 num = (__int128)(new_ - old) * 10000;
	__int128 q, r;

	if (old <= 0)
		return 0;
	q = num / old;
	r = num % old;
	if (2 * (r < 0 ? -r : r) >= old)
		q += num < 0 ? -1 : 1;
	return (int64_t)q;
}

/* "-50.00" from basis points. */
static char *bp_text(int64_t bp, char out[24])
{
	int64_t a = bp < 0 ? -bp : bp;

	snprintf(out, 24, "%s%" PRId64 ".%02" PRId64, bp < 0 ? "-" : bp > 0 ? "+" : "", a / 100, a % 100);
	return out;
}

static int dup_str(char **dst, const char *s)
{
	*dst = strdup(s ? s : "");
	return *dst ? 0 : TT_ENOMEM;
}

static int copy_key(struct price *dst, const struct price *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->nanos = src->nanos;
	if (dup_str(&dst->provider, src->provider) || dup_str(&dst->model, src->model) ||
	    dup_str(&dst->dimension, src->dimension) || dup_str(&dst->tier, src->tier) ||
	    dup_str(&dst->condition, src->condition) || dup_str(&dst->region, src->region) ||
	    dup_str(&dst->unit, src->unit) || dup_str(&dst->currency, src->currency))
		return TT_ENOMEM;
	return 0;
}

/* ---- per key -------------------------------------------------------------- */

void stats_keys_release(struct stats_keys *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		price_release(&s->v[i].p);
		free(s->v[i].source);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->alloc = 0;
}

static int row_group_cmp(const void *a, const void *b)
{
	const struct price_row *x = *(const struct price_row *const *)a;
	const struct price_row *y = *(const struct price_row *const *)b;
	int c = price_key_cmp(&x->p, &y->p);

	if (c)
		return c;
	if ((c = strcmp(x->source, y->source)))
		return c;
	return strcmp(x->valid_from, y->valid_from);
}

static int same_group(const struct price_row *x, const struct price_row *y)
{
	return price_key_cmp(&x->p, &y->p) == 0 && !strcmp(x->source, y->source);
}

/* Fill k from the intervals iv[0..n) of one (key, source), in date order. */
static void key_stats(struct stats_key *k, struct price_row **iv, size_t n, int64_t d)
{
	size_t i, w;
	int64_t first = day_of(iv[0]->valid_from);

	k->intervals = n;
	k->low = k->high = iv[0]->p.nanos;
	snprintf(k->first_from, sizeof(k->first_from), "%s", iv[0]->valid_from);
	for (i = 0; i < n; i++) {
		const struct price_row *r = iv[i];
		int64_t from = day_of(r->valid_from);
		int open_on_d = !r->valid_to[0] || day_of(r->valid_to) > d;

		if (from <= d && open_on_d) {
			k->current = 1;
			k->p.nanos = r->p.nanos;
		}
		if (r->p.nanos < k->low || i == 0) {
			k->low = r->p.nanos;
			snprintf(k->low_from, sizeof(k->low_from), "%s", r->valid_from);
		}
		if (r->p.nanos == k->low)
			snprintf(k->low_to, sizeof(k->low_to), "%s", open_on_d ? "" : r->valid_to);
		if (r->p.nanos > k->high || i == 0) {
			k->high = r->p.nanos;
			snprintf(k->high_from, sizeof(k->high_from), "%s", r->valid_from);
		}
		if (r->p.nanos == k->high)
			snprintf(k->high_to, sizeof(k->high_to), "%s", open_on_d ? "" : r->valid_to);
		/* a change: this interval starts where the previous one ended */
		if (i > 0 && iv[i - 1]->valid_to[0] && !strcmp(iv[i - 1]->valid_to, r->valid_from) &&
		    iv[i - 1]->p.nanos != r->p.nanos) {
			int64_t bp = change_bp(iv[i - 1]->p.nanos, r->p.nanos);
			k->changes++;
			if (r->p.nanos > iv[i - 1]->p.nanos)
				k->ups++;
			else
				k->downs++;
			if (bp < k->max_cut_bp)
				k->max_cut_bp = bp;
			if (bp > k->max_rise_bp)
				k->max_rise_bp = bp;
			snprintf(k->last_change, sizeof(k->last_change), "%s", r->valid_from);
			k->last_change_old = iv[i - 1]->p.nanos;
			k->last_change_new = r->p.nanos;
			k->last_change_bp = bp;
		}
	}
	k->days_since_change = d - (k->last_change[0] ? day_of(k->last_change) : first);
	for (w = 0; w < STATS_WINDOWS; w++) {
		int64_t w0 = d - stats_window_days[w] + 1, end = d + 1, days = 0;
		__int128 sum = 0;

		for (i = 0; i < n; i++) {
			int64_t a = day_of(iv[i]->valid_from);
			int64_t b = iv[i]->valid_to[0] ? day_of(iv[i]->valid_to) : end;
			if (a < w0)
				a = w0;
			if (b > end)
				b = end;
			if (b > a) {
				sum += (__int128)iv[i]->p.nanos * (b - a);
				days += b - a;
			}
		}
		k->avg_days[w] = (int)days;
		k->has_avg[w] = days > 0;
		k->avg[w] = days > 0 ? (int64_t)money_div_half_even(sum, days) : 0;
	}
}

int stats_keys_compute(struct store *st, const struct query_filter *f, struct stats_keys *out,
		       struct tt_error *err)
{
	struct query_filter q = *f;
	struct price_rows rows = PRICE_ROWS_INIT;
	struct price_row **idx = NULL;
	char today[11], until[11];
	int64_t d = 0;
	size_t i, j;
	int rc;

	snprintf(out->as_of, sizeof(out->as_of), "%s",
		 f->as_of && *f->as_of ? f->as_of : clock_today(today));
	if (date_parse(out->as_of, &d) < 0)
		return tt_set_error(err, TT_EINVAL, "invalid as-of date '%s'", out->as_of);
	q.since = NULL;
	q.until = date_format(d + 1, until);
	rc = query_history(st, &q, &rows, err);
	if (rc < 0)
		goto out;
	if (rows.n) {
		idx = malloc(rows.n * sizeof(*idx));
		if (!idx) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < rows.n; i++)
		idx[i] = &rows.v[i];
	if (rows.n > 1)
		qsort(idx, rows.n, sizeof(*idx), row_group_cmp);
	for (i = 0; i < rows.n; i = j) {
		struct stats_key *k;

		for (j = i + 1; j < rows.n && same_group(idx[i], idx[j]); j++)
			;
		if (out->n == out->alloc) {
			size_t na = out->alloc ? out->alloc * 2 : 16;
			struct stats_key *nv = realloc(out->v, na * sizeof(*nv));
			if (!nv) {
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
				goto out;
			}
			out->v = nv;
			out->alloc = na;
		}
		k = &out->v[out->n];
		memset(k, 0, sizeof(*k));
		out->n++;
		if (copy_key(&k->p, &idx[i]->p) < 0 || dup_str(&k->source, idx[i]->source) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		key_stats(k, &idx[i], j - i, d);
	}
	rc = (int)out->n;
out:
	free(idx);
	price_rows_release(&rows);
	return rc;
}

/* ---- rendering, per key ----------------------------------------------------- */

static const char *money_or(int has, int64_t v, char buf[MONEY_FMT_MAX])
{
	return has ? money_format(v, buf, MONEY_FMT_MAX) : NULL;
}

static int render_key_table(const struct stats_keys *s, struct buf *o)
{
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], p1[24], p2[24];
	size_t i;
	int w, rc = 0;

	for (i = 0; rc == 0 && i < s->n; i++) {
		const struct stats_key *k = &s->v[i];

		rc = buf_addf(o, "%s%s %s %s %s%s%s%s%s (source %s), %s per %s, as of %s\n", i ? "\n" : "",
			      k->p.provider, k->p.model, k->p.dimension, k->p.tier,
			      *k->p.condition ? " " : "", k->p.condition, *k->p.region ? " " : "",
			      k->p.region, k->source, k->p.currency, k->p.unit, s->as_of);
		if (rc == 0)
			rc = k->current ? buf_addf(o, "  now          %s\n", money_format(k->p.nanos, a, sizeof(a)))
					: buf_adds(o, "  now          no price in force\n");
		if (rc == 0)
			rc = buf_addf(o, "  lowest       %s from %s%s%s\n", money_format(k->low, a, sizeof(a)),
				      k->low_from, k->low_to[0] ? " to " : " (still)", k->low_to);
		if (rc == 0)
			rc = buf_addf(o, "  highest      %s from %s%s%s\n", money_format(k->high, b, sizeof(b)),
				      k->high_from, k->high_to[0] ? " to " : " (still)", k->high_to);
		for (w = 0; rc == 0 && w < STATS_WINDOWS; w++) {
			if (!k->has_avg[w])
				rc = buf_addf(o, "  avg %3d days no price in the window\n", stats_window_days[w]);
			else
				rc = buf_addf(o, "  avg %3d days %s%s\n", stats_window_days[w],
					      money_format(k->avg[w], a, sizeof(a)),
					      k->avg_days[w] < stats_window_days[w] ? " (over the days priced)" : "");
		}
		if (rc == 0)
			rc = buf_addf(o, "  changes      %zu (%zu down, %zu up); largest cut %s%%, largest rise %s%%\n",
				      k->changes, k->downs, k->ups, bp_text(k->max_cut_bp, p1),
				      bp_text(k->max_rise_bp, p2));
		if (rc == 0 && k->last_change[0])
			rc = buf_addf(o, "  last change  %s: %s -> %s (%s%%), %" PRId64 " days before %s\n",
				      k->last_change, money_format(k->last_change_old, a, sizeof(a)),
				      money_format(k->last_change_new, b, sizeof(b)),
				      bp_text(k->last_change_bp, p1), k->days_since_change, s->as_of);
		else if (rc == 0)
			rc = buf_addf(o, "  last change  none since the first price on %s, %" PRId64 " days before %s\n",
				      k->first_from, k->days_since_change, s->as_of);
	}
	return rc;
}

/* The fields of a key, in CSV/JSON order; value NULL is null/empty. */
#define KEY_FIELDS 30
static void key_fields(const struct stats_keys *s, const struct stats_key *k, const char **name,
		       const char **val, int *is_num, char bufs[][MONEY_FMT_MAX])
{
	int n = 0, w;
	static const char *const avg_names[STATS_WINDOWS] = { "avg_30d", "avg_90d", "avg_180d" };
	static const char *const days_names[STATS_WINDOWS] = { "avg_30d_days", "avg_90d_days",
							       "avg_180d_days" };
#define F(nm, v, num) (name[n] = (nm), val[n] = (v), is_num[n] = (num), n++)
	F("provider", k->p.provider, 0);
	F("model", k->p.model, 0);
	F("dimension", k->p.dimension, 0);
	F("tier", k->p.tier, 0);
	F("condition", k->p.condition, 0);
	F("region", k->p.region, 0);
	F("unit", k->p.unit, 0);
	F("currency", k->p.currency, 0);
	F("source", k->source, 0);
	F("as_of", s->as_of, 0);
	F("price", money_or(k->current, k->p.nanos, bufs[0]), 0);
	F("low", money_format(k->low, bufs[1], MONEY_FMT_MAX), 0);
	F("low_from", k->low_from, 0);
	F("low_to", k->low_to[0] ? k->low_to : NULL, 0);
	F("high", money_format(k->high, bufs[2], MONEY_FMT_MAX), 0);
	F("high_from", k->high_from, 0);
	F("high_to", k->high_to[0] ? k->high_to : NULL, 0);
	for (w = 0; w < STATS_WINDOWS; w++) {
		F(avg_names[w], money_or(k->has_avg[w], k->avg[w], bufs[3 + w]), 0);
		snprintf(bufs[6 + w], MONEY_FMT_MAX, "%d", k->avg_days[w]);
		F(days_names[w], bufs[6 + w], 1);
	}
	snprintf(bufs[9], MONEY_FMT_MAX, "%zu", k->changes);
	F("changes", bufs[9], 1);
	snprintf(bufs[10], MONEY_FMT_MAX, "%zu", k->downs);
	F("downs", bufs[10], 1);
	snprintf(bufs[11], MONEY_FMT_MAX, "%zu", k->ups);
	F("ups", bufs[11], 1);
	F("max_cut_pct", bp_text(k->max_cut_bp, bufs[12]), 0);
	F("max_rise_pct", bp_text(k->max_rise_bp, bufs[13]), 0);
	F("last_change", k->last_change[0] ? k->last_change : NULL, 0);
	snprintf(bufs[14], MONEY_FMT_MAX, "%" PRId64, k->days_since_change);
	F("days_since_change", bufs[14], 1);
#undef F
	assert(n == KEY_FIELDS);
}

static int render_key_flat(const struct stats_keys *s, int json, struct buf *o)
{
	const char *name[KEY_FIELDS], *val[KEY_FIELDS];
	char bufs[16][MONEY_FMT_MAX];
	int is_num[KEY_FIELDS], f, rc = 0;
	size_t i;

	if (json)
		rc = buf_adds(o, "[");
	for (i = 0; rc == 0 && i < s->n; i++) {
		key_fields(s, &s->v[i], name, val, is_num, bufs);
		if (!json && i == 0)
			for (f = 0; rc == 0 && f < KEY_FIELDS; f++)
				rc = buf_addf(o, "%s%s", f ? "," : "", name[f]);
		if (rc == 0)
			rc = buf_adds(o, json ? (i ? ",\n  {" : "\n  {") : "\r\n");
		for (f = 0; rc == 0 && f < KEY_FIELDS; f++) {
			if (json) {
				rc = buf_addf(o, "%s\"%s\": ", f ? ", " : "", name[f]);
				if (rc == 0)
					rc = is_num[f] ? buf_adds(o, val[f]) : query_json_string(o, val[f]);
			} else {
				rc = f ? buf_addch(o, ',') : 0;
				if (rc == 0)
					rc = query_csv_field(o, val[f]);
			}
		}
		if (rc == 0 && json)
			rc = buf_addch(o, '}');
	}
	if (rc == 0)
		rc = json ? buf_adds(o, s->n ? "\n]\n" : "]\n") : buf_adds(o, s->n ? "\r\n" : "");
	return rc;
}

int stats_keys_render(const struct stats_keys *s, enum query_format fmt, struct buf *out)
{
	int rc;

	if (fmt == QUERY_FORMAT_JSON)
		rc = render_key_flat(s, 1, out);
	else if (fmt == QUERY_FORMAT_CSV)
		rc = render_key_flat(s, 0, out);
	else
		rc = render_key_table(s, out);
	return rc < 0 ? TT_ENOMEM : 0;
}

/* ---- market view ---------------------------------------------------------- */

void stats_market_release(struct stats_market *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		struct price_rows one = { &m->v[i].row, 1, 1 };
		free(m->v[i].tier);
		/* release the row's strings through the rows API, not the array */
		price_release(&one.v[0].p);
		free(one.v[0].source);
		free(one.v[0].change);
	}
	free(m->v);
	m->v = NULL;
	m->n = m->alloc = 0;
}

/* A price a short plain-text prompt pays: no modality, no time band, at
 * most a lower prompt band. */
static int plain_condition(const char *c)
{
	if (!*c)
		return 1;
	if (strchr(c, ','))
		return 0;
	return !strncmp(c, "prompt<", 7);
}

static int tier_rank(const char *t)
{
	static const char *const order[] = { "standard", "batch", "flex", "priority" };
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(order); i++)
		if (!strcmp(order[i], t))
			return (int)i;
	return 100;
}

static int cheapest_cmp(const void *a, const void *b)
{
	const struct stats_cheapest *x = a, *y = b;
	int c = tier_rank(x->tier) - tier_rank(y->tier);

	return c ? c : strcmp(x->tier, y->tier);
}

static int move_row(struct price_row *dst, struct price_row *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
	return 0;
}

int stats_market_compute(struct store *st, const struct query_filter *f, const char *dimension,
			 const char *currency, struct stats_market *out, struct tt_error *err)
{
	struct query_filter q = *f;
	struct price_rows rows = PRICE_ROWS_INIT;
	char today[11];
	size_t i, t;
	int rc;

	dimension = dimension && *dimension ? dimension : "input";
	currency = currency && *currency ? currency : "USD";
	snprintf(out->as_of, sizeof(out->as_of), "%s",
		 f->as_of && *f->as_of ? f->as_of : clock_today(today));
	snprintf(out->dimension, sizeof(out->dimension), "%s", dimension);
	snprintf(out->currency, sizeof(out->currency), "%s", currency);
	q.as_of = out->as_of;
	q.dimension = dimension;
	q.tier = NULL;
	rc = query_prices(st, &q, &rows, err);
	if (rc < 0)
		goto out;
	for (i = 0; i < rows.n; i++) {
		struct price_row *r = &rows.v[i];
		struct stats_cheapest *c = NULL;

		if (strcmp(r->p.unit, PRICE_UNIT_MTOK) || strcmp(r->p.currency, currency) ||
		    !plain_condition(r->p.condition))
			continue;
		for (t = 0; t < out->n; t++)
			if (!strcmp(out->v[t].tier, r->p.tier))
				c = &out->v[t];
		if (!c) {
			if (out->n == out->alloc) {
				size_t na = out->alloc ? out->alloc * 2 : 8;
				struct stats_cheapest *nv = realloc(out->v, na * sizeof(*nv));
				if (!nv) {
					rc = tt_set_error(err, TT_ENOMEM, "out of memory");
					goto out;
				}
				out->v = nv;
				out->alloc = na;
			}
			c = &out->v[out->n++];
			memset(c, 0, sizeof(*c));
			c->tier = strdup(r->p.tier);
			if (!c->tier) {
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
				goto out;
			}
		}
		if (r->p.nanos == 0) {
			c->free_models++;
			continue;
		}
		c->models++;
		if (c->row.p.provider && r->p.nanos == c->row.p.nanos) {
			c->ties++;
			continue;
		}
		if (!c->row.p.provider || r->p.nanos < c->row.p.nanos) {
			if (c->row.p.provider) {
				price_release(&c->row.p);
				free(c->row.source);
				free(c->row.change);
			}
			move_row(&c->row, r);
			c->ties = 0;
		}
	}
	/* tiers with only free prices have no cheapest paid row: drop them */
	for (i = 0, t = 0; i < out->n; i++) {
		if (!out->v[i].row.p.provider) {
			free(out->v[i].tier);
			continue;
		}
		out->v[t++] = out->v[i];
	}
	out->n = t;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cheapest_cmp);
	rc = (int)out->n;
out:
	price_rows_release(&rows);
	return rc;
}

int stats_market_render(const struct stats_market *m, enum query_format fmt, struct buf *o)
{
	char a[MONEY_FMT_MAX], n1[24], n2[24], n3[24];
	size_t i;
	int rc = 0;

	if (fmt == QUERY_FORMAT_TABLE) {
		int wt = 8, wp = 8, wm = 5; /* column widths: the longest value, at least the header */

		for (i = 0; i < m->n; i++) {
			const struct stats_cheapest *c = &m->v[i];
			if (strlen(c->tier) > (size_t)wt)
				wt = (int)strlen(c->tier);
			if (strlen(c->row.p.provider) > (size_t)wp)
				wp = (int)strlen(c->row.p.provider);
			if (strlen(c->row.p.model) > (size_t)wm)
				wm = (int)strlen(c->row.p.model);
		}
		rc = buf_addf(o, "Cheapest paid %s price per tier on %s (%s per 1M tokens, by effective date)\n",
			      m->dimension, m->as_of, m->currency);
		if (rc == 0)
			rc = buf_addf(o, "%-*s  %-*s  %-*s  %12s  %-10s  %-11s %s\n", wt, "TIER", wp, "PROVIDER",
				      wm, "MODEL", "PRICE", "FROM", "SOURCE", "PAID MODELS");
		for (i = 0; rc == 0 && i < m->n; i++) {
			const struct stats_cheapest *c = &m->v[i];
			rc = buf_addf(o, "%-*s  %-*s  %-*s  %12s  %-10s  %-11s %zu%s\n", wt, c->tier, wp,
				      c->row.p.provider, wm, c->row.p.model,
				      money_format(c->row.p.nanos, a, sizeof(a)), c->row.valid_from,
				      c->row.source, c->models, c->ties ? " (ties: see --format json)" : "");
		}
		return rc < 0 ? TT_ENOMEM : 0;
	}
	if (fmt == QUERY_FORMAT_CSV)
		rc = buf_adds(o, "as_of,dimension,currency,tier,provider,model,condition,region,price,"
				 "valid_from,source,paid_models,ties,free_models\r\n");
	else
		rc = buf_adds(o, "[");
	for (i = 0; rc == 0 && i < m->n; i++) {
		const struct stats_cheapest *c = &m->v[i];
		const char *v[14];
		int k;

		snprintf(n1, sizeof(n1), "%zu", c->models);
		snprintf(n2, sizeof(n2), "%zu", c->ties);
		snprintf(n3, sizeof(n3), "%zu", c->free_models);
		v[0] = m->as_of; v[1] = m->dimension; v[2] = m->currency; v[3] = c->tier;
		v[4] = c->row.p.provider; v[5] = c->row.p.model; v[6] = c->row.p.condition;
		v[7] = c->row.p.region; v[8] = money_format(c->row.p.nanos, a, sizeof(a));
		v[9] = c->row.valid_from; v[10] = c->row.source; v[11] = n1; v[12] = n2; v[13] = n3;
		if (fmt == QUERY_FORMAT_CSV) {
			for (k = 0; rc == 0 && k < 14; k++) {
				rc = k ? buf_addch(o, ',') : 0;
				if (rc == 0)
					rc = query_csv_field(o, v[k]);
			}
			if (rc == 0)
				rc = buf_adds(o, "\r\n");
			continue;
		}
		{
			static const char *const names[14] = {
				"as_of", "dimension", "currency", "tier", "provider", "model", "condition",
				"region", "price", "valid_from", "source", "paid_models", "ties", "free_models",
			};
			rc = buf_adds(o, i ? ",\n  {" : "\n  {");
			for (k = 0; rc == 0 && k < 14; k++) {
				rc = buf_addf(o, "%s\"%s\": ", k ? ", " : "", names[k]);
				if (rc == 0)
					rc = k >= 11 ? buf_adds(o, v[k]) : query_json_string(o, v[k]);
			}
			if (rc == 0)
				rc = buf_addch(o, '}');
		}
	}
	if (rc == 0 && fmt == QUERY_FORMAT_JSON)
		rc = buf_adds(o, m->n ? "\n]\n" : "]\n");
	return rc < 0 ? TT_ENOMEM : 0;
}
