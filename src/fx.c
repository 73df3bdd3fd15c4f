/*
 * fx.c - ECB euro reference rates: parsing the XML with libxml2, storing
 * them by day, and converting prices at the rate of their own date with
 * integer arithmetic (see fx.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/fx.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"

#define ECB_NS "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"

void fx_rates_release(struct fx_rates *r)
{
	if (!r)
		return;
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int is_cube(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "Cube") && n->ns &&
	       n->ns->href && !strcmp((const char *)n->ns->href, ECB_NS);
}

static int rates_push(struct fx_rates *r, const struct fx_rate *x)
{
	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 64;
		struct fx_rate *nv = realloc(r->v, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		r->v = nv;
		r->alloc = na;
	}
	r->v[r->n++] = *x;
	return 0;
}

/* One <Cube time="..."> with its <Cube currency rate/> children. */
static int read_day(const xmlNode *day, const char *origin, struct fx_rates *out,
		    struct tt_error *err)
{
	xmlChar *time = xmlGetProp(day, (const xmlChar *)"time");
	const xmlNode *c;
	int rc = 0, n = 0;

	if (!time || !date_valid((const char *)time)) {
		rc = tt_set_error(err, TT_EPARSE, "%s: a Cube has a bad time '%s'", origin,
				  time ? (const char *)time : "");
		goto out;
	}
	for (c = day->children; c && rc == 0; c = c->next) {
		xmlChar *cur, *rate;
		struct fx_rate x;

		if (!is_cube(c))
			continue;
		cur = xmlGetProp(c, (const xmlChar *)"currency");
		rate = xmlGetProp(c, (const xmlChar *)"rate");
		memset(&x, 0, sizeof(x));
		snprintf(x.date, sizeof(x.date), "%s", (const char *)time);
		if (!cur || strlen((const char *)cur) != 3 || !rate ||
		    strlen((const char *)rate) >= sizeof(x.text) ||
		    money_parse_str((const char *)rate, 0, &x.nanos, NULL) < 0 || x.nanos <= 0) {
			rc = tt_set_error(err, TT_EPARSE, "%s: %s: bad rate '%s' for currency '%s'", origin,
					  x.date, rate ? (const char *)rate : "", cur ? (const char *)cur : "");
		} else {
			snprintf(x.currency, sizeof(x.currency), "%s", (const char *)cur);
			snprintf(x.text, sizeof(x.text), "%s", (const char *)rate);
			rc = rates_push(out, &x);
			if (rc < 0)
				tt_set_error(err, rc, "%s: out of memory", origin);
			n++;
		}
		xmlFree(cur);
		xmlFree(rate);
	}
	if (rc == 0)
		out->days++;
out:
	xmlFree(time);
	return rc < 0 ? rc : n;
}

/* Depth-first search for every Cube with a time attribute. */
static int walk(const xmlNode *n, const char *origin, struct fx_rates *out, struct tt_error *err)
{
	int rc;

	for (; n; n = n->next) {
		if (is_cube(n) && xmlHasProp(n, (const xmlChar *)"time")) {
			rc = read_day(n, origin, out, err);
			if (rc < 0)
				return rc;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			rc = walk(n->children, origin, out, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int fx_parse_ecb(const char *body, size_t len, const char *origin, struct fx_rates *out,
		 struct tt_error *err)
{
	xmlDocPtr doc = NULL;
	size_t before = out->n, days = out->days;
	int rc;

	if (!origin)
		origin = "ECB rates";
	if (len > INT_MAX)
		return tt_set_error(err, TT_ERANGE, "%s: too large", origin);
	doc = xmlReadMemory(body, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
	if (!doc || !xmlDocGetRootElement(doc)) {
		rc = tt_set_error(err, TT_EPARSE, "%s: not well-formed XML", origin);
		goto out;
	}
	rc = walk(xmlDocGetRootElement(doc), origin, out, err);
	if (rc < 0)
		goto out;
	if (out->days == days || out->n == before) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no ECB reference rates (no <Cube time=...> with rates in the "
				  "eurofxref namespace)", origin);
		goto out;
	}
	rc = (int)(out->n - before);
out:
	if (rc < 0) {
		out->n = before;
		out->days = days;
	}
	xmlFreeDoc(doc);
	return rc;
}

int fx_store(struct store *st, const char *source, const struct fx_rates *rates, size_t *added,
	     struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	size_t i, n = 0;
	int rc;

	if (added)
		*added = 0;
	rc = store_begin(st, err);
	if (rc < 0)
		return rc;
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO fx_rate(source, base, currency, date, rate, rate_nanos)"
				" VALUES(?1, 'EUR', ?2, ?3, ?4, ?5) ON CONFLICT(source, base, currency, date)"
				" DO UPDATE SET rate = excluded.rate, rate_nanos = excluded.rate_nanos"
				" WHERE rate_nanos <> excluded.rate_nanos", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "store rates: %s", sqlite3_errmsg(db));
		goto out;
	}
	for (i = 0; i < rates->n; i++) {
		const struct fx_rate *x = &rates->v[i];
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, x->currency, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, x->date, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, x->text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, x->nanos);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = tt_set_error(err, TT_EDB, "store rate %s %s: %s", x->date, x->currency,
					  sqlite3_errmsg(db));
			goto out;
		}
		n += (size_t)sqlite3_changes(db);
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	if (rc == 0)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	if (rc == 0 && added)
		*added = n;
	return rc;
}

/* The latest EUR rate of cur on or before date: nanos per EUR and its day. */
static int rate_on(struct store *st, const char *cur, const char *date, int64_t *nanos,
		   char day[11], struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int64_t d = 0, r = 0;
	int rc;

	if (!strcmp(cur, "EUR")) {
		*nanos = MONEY_NANO;
		snprintf(day, 11, "%s", date);
		return 0;
	}
	rc = sqlite3_prepare_v2(db,
				"SELECT date, rate_nanos FROM fx_rate WHERE source = 'ecb' AND base = 'EUR'"
				" AND currency = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "rates: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(s, 1, cur, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(day, 11, "%s", (const char *)sqlite3_column_text(s, 0));
		*nanos = sqlite3_column_int64(s, 1);
		if (date_parse(day, &r) == 0 && date_parse(date, &d) == 0 && d - r <= FX_MAX_AGE_DAYS) {
			rc = 0;
			goto out;
		}
	} else if (rc != SQLITE_DONE) {
		rc = tt_set_error(err, TT_EDB, "rates: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = tt_set_error(err, TT_ENOTFOUND,
			  "no ECB rate for %s on or within %d days before %s (import or scrape the ECB rates)",
			  cur, FX_MAX_AGE_DAYS, date);
out:
	sqlite3_finalize(s);
	return rc;
}

int fx_convert(struct store *st, int64_t nanos, const char *from, const char *to,
	       const char *date, struct fx_conversion *out, struct tt_error *err)
{
	int64_t rf = 0, rt = 0;
	char df[11], dt[11];
	__int128 v, cross;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!date_valid(date))
		return tt_set_error(err, TT_EINVAL, "bad conversion date '%s'", date ? date : "");
	if (!strcmp(from, to)) {
		out->nanos = nanos;
		snprintf(out->rate, sizeof(out->rate), "1");
		snprintf(out->rate_date, sizeof(out->rate_date), "%s", date);
		return 0;
	}
	rc = rate_on(st, from, date, &rf, df, err);
	if (rc == 0)
		rc = rate_on(st, to, date, &rt, dt, err);
	if (rc < 0)
		return rc;
	/* value_to = value_from * (to per EUR) / (from per EUR) */
	v = money_div_half_even((__int128)nanos * rt, rf);
	if (v > INT64_MAX || v < INT64_MIN)
		return tt_set_error(err, TT_ERANGE, "conversion of %s to %s overflows", from, to);
	out->nanos = (int64_t)v;
	cross = money_div_half_even((__int128)rt * MONEY_NANO, rf);
	if (cross > INT64_MAX)
		return tt_set_error(err, TT_ERANGE, "conversion rate %s/%s overflows", to, from);
	{
		/* money_format keeps two decimals at least; a rate reads better bare. */
		char buf[MONEY_FMT_MAX];
		money_format((int64_t)cross, buf, sizeof(buf));
		snprintf(out->rate, sizeof(out->rate), "%s", buf);
	}
	snprintf(out->rate_date, sizeof(out->rate_date), "%s",
		 strcmp(df, dt) < 0 ? df : dt);
	if (!strcmp(from, "EUR"))
		snprintf(out->rate_date, sizeof(out->rate_date), "%s", dt);
	if (!strcmp(to, "EUR"))
		snprintf(out->rate_date, sizeof(out->rate_date), "%s", df);
	return 0;
}

/* Same key but the currency. */
static int same_but_currency(const struct price *a, const struct price *b)
{
	return !strcmp(a->provider, b->provider) && !strcmp(a->model, b->model) &&
	       !strcmp(a->dimension, b->dimension) && !strcmp(a->tier, b->tier) &&
	       !strcmp(a->condition, b->condition) && !strcmp(a->region, b->region) &&
	       !strcmp(a->unit, b->unit);
}

int fx_convert_rows(struct store *st, struct price_rows *rows, const char *to, const char *date,
		    size_t *unconverted, struct tt_error *err)
{
	size_t i, j, o, skipped = 0;
	int converted = 0, rc = 0;
	char *drop = NULL;

	if (unconverted)
		*unconverted = 0;
	if (rows->n == 0)
		return 0;
	drop = calloc(rows->n, 1);
	if (!drop)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	/* The provider's own list in `to` wins over a conversion (case 3). */
	for (i = 0; i < rows->n; i++) {
		if (!strcmp(rows->v[i].p.currency, to))
			continue;
		for (j = 0; j < rows->n && !drop[i]; j++)
			drop[i] = j != i && !strcmp(rows->v[j].p.currency, to) &&
				  same_but_currency(&rows->v[j].p, &rows->v[i].p);
	}
	for (i = 0; rc == 0 && i < rows->n; i++) {
		struct price_row *r = &rows->v[i];
		struct fx_conversion c;
		char *cur;

		if (drop[i] || !strcmp(r->p.currency, to))
			continue;
		rc = fx_convert(st, r->p.nanos, r->p.currency, to, date, &c, err);
		if (rc == TT_ENOTFOUND) {
			skipped++;
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		cur = strdup(to);
		if (!cur) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			break;
		}
		snprintf(r->fx_from, sizeof(r->fx_from), "%s", r->p.currency);
		r->fx_orig_nanos = r->p.nanos;
		snprintf(r->fx_rate, sizeof(r->fx_rate), "%s", c.rate);
		snprintf(r->fx_date, sizeof(r->fx_date), "%s", c.rate_date);
		free(r->p.currency);
		r->p.currency = cur;
		r->p.nanos = c.nanos;
		converted++;
	}
	for (i = 0, o = 0; i < rows->n; i++) {
		if (drop[i]) {
			price_release(&rows->v[i].p);
			free(rows->v[i].source);
			free(rows->v[i].change);
			continue;
		}
		rows->v[o++] = rows->v[i];
	}
	rows->n = o;
	free(drop);
	if (unconverted)
		*unconverted = skipped;
	return rc < 0 ? rc : converted;
}

int fx_scrape_body(struct store *st, int64_t run_id, const char *date, const char *origin,
		   long http_status, const char *body, size_t len, size_t *rates, size_t *added,
		   struct tt_error *err)
{
	struct fx_rates r = FX_RATES_INIT;
	struct store_source_outcome o = { 0 };
	struct tt_error e2 = { 0 };
	char sha[65] = "";
	size_t n_added = 0;
	int rc;

	if (rates)
		*rates = 0;
	if (added)
		*added = 0;
	rc = store_snapshot_put(st, body, len, sha, err);
	if (rc == 0)
		rc = fx_parse_ecb(body, len, origin, &r, err);
	if (rc >= 0)
		rc = fx_store(st, FX_SOURCE_ID, &r, &n_added, err);
	o.source = FX_SOURCE_ID;
	o.obs_date = date;
	o.status = rc < 0 ? "failed" : "ok";
	o.http_status = (int)http_status;
	o.bytes = len;
	o.prices = rc < 0 ? 0 : r.n;
	o.origin = origin;
	o.error = rc < 0 && err ? err->msg : NULL;
	o.snapshot = sha[0] ? sha : NULL;
	if (store_source_outcome(st, run_id, &o, &e2) < 0 && rc >= 0)
		rc = tt_set_error(err, e2.code ? e2.code : TT_EDB, "%s", e2.msg);
	if (rc >= 0) {
		if (rates)
			*rates = r.n;
		if (added)
			*added = n_added;
	}
	fx_rates_release(&r);
	return rc < 0 ? rc : 0;
}
