/*
 * series.c - turn one key's stored price intervals into a dated series of
 * changes (see series.h for the step-function convention).  The store-backed
 * loader lives in series_load.c so that this file links without a store.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/series.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/price.h"
#include "series_int.h"

static char *series_dup(const char *s, const char *dflt)
{
	return strdup(s ? s : dflt);
}

int series_set_key(struct series *s, const char *provider, const char *model,
		   const char *dimension, const char *tier, const char *condition,
		   const char *region, const char *unit, const char *currency, const char *source)
{
	s->provider = series_dup(provider, "");
	s->model = series_dup(model, "");
	s->dimension = series_dup(dimension, "input");
	s->tier = series_dup(tier, "standard");
	s->condition = series_dup(condition, "");
	s->region = series_dup(region, "");
	s->unit = series_dup(unit, PRICE_UNIT_MTOK);
	s->currency = series_dup(currency, "USD");
	s->source = series_dup(source, "");
	if (!s->provider || !s->model || !s->dimension || !s->tier || !s->condition ||
	    !s->region || !s->unit || !s->currency || !s->source)
		return TT_ENOMEM;
	return 0;
}

int series_add(struct series *s, const char *date, int64_t nanos, struct tt_error *err)
{
	struct series_point *p;
	int64_t day;

	if (!date || date_parse(date, &day) < 0)
		return tt_set_error(err, TT_EINVAL, "series: '%s' is not a YYYY-MM-DD date",
				    date ? date : "(null)");
	if (nanos < 0)
		return tt_set_error(err, TT_EINVAL, "series: price %" PRId64 " nano-units on %s is negative",
				    nanos, date);
	if (s->n) {
		p = &s->v[s->n - 1];
		if (day <= p->day)
			return tt_set_error(err, TT_EINVAL,
					    "series: change on %s is not after the previous one (%s)", date,
					    p->date);
		if (p->nanos == nanos)
			return 0;
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? 2 * s->alloc : 16;
		struct series_point *nv = realloc(s->v, na * sizeof(*nv));

		if (!nv)
			return tt_set_error(err, TT_ENOMEM, "series: out of memory");
		s->v = nv;
		s->alloc = na;
	}
	p = &s->v[s->n++];
	p->day = day;
	date_format(day, p->date);
	p->nanos = nanos;
	p->price = (double)nanos / 1e9;
	return 1;
}

const char *series_free_since(const struct series *s)
{
	if (!s->n || s->v[s->n - 1].nanos != 0)
		return NULL;
	return s->v[s->n - 1].date;
}

int series_describe(const struct series *s, struct buf *out)
{
	int rc = buf_addf(out, "%s/%s %s %s", s->provider ? s->provider : "",
			  s->model ? s->model : "", s->dimension ? s->dimension : "",
			  s->tier ? s->tier : "");

	if (rc == 0 && s->condition && s->condition[0])
		rc = buf_addf(out, " [%s]", s->condition);
	if (rc == 0 && s->region && s->region[0])
		rc = buf_addf(out, " region %s", s->region);
	return rc;
}

void series_release(struct series *s)
{
	if (!s)
		return;
	free(s->provider);
	free(s->model);
	free(s->dimension);
	free(s->tier);
	free(s->condition);
	free(s->region);
	free(s->unit);
	free(s->currency);
	free(s->source);
	free(s->note);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int series_str_eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int series_list_add_unique(struct buf *b, const char *name)
{
	const char *p = b->buf;
	size_t nl = strlen(name);

	while (p && *p) {
		const char *e = strstr(p, ", ");
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == nl && !strncmp(p, name, l))
			return 0;
		p = e ? e + 2 : NULL;
	}
	if (b->len && buf_adds(b, ", ") < 0)
		return TT_ENOMEM;
	return buf_adds(b, name);
}

static int row_cmp_from(const void *a, const void *b)
{
	const struct price_row *x = *(const struct price_row *const *)a;
	const struct price_row *y = *(const struct price_row *const *)b;

	return strcmp(x->valid_from, y->valid_from);
}

int series_from_rows(const struct price_rows *rows, const struct series_selector *sel,
		     struct series *out, struct tt_error *err)
{
	const char *dim = sel->dimension ? sel->dimension : "input";
	const char *tier = sel->tier ? sel->tier : "standard";
	const char *cond = sel->condition ? sel->condition : "";
	const char *region = sel->region, *source = sel->source, *currency = sel->currency;
	const struct price_row **keep = NULL, *latest = NULL, *first = NULL;
	struct buf others = BUF_INIT, regions = BUF_INIT, sources = BUF_INIT, note = BUF_INIT;
	struct buf currencies = BUF_INIT, other_currencies = BUF_INIT;
	size_t i, nk = 0, merged = 0;
	int rc = TT_EINVAL, has_empty_region = 0;

	if (!sel->provider || !sel->provider[0] || !sel->model || !sel->model[0])
		return tt_set_error(err, TT_EINVAL, "series: a provider and a model are required");
	if (rows->n) {
		keep = calloc(rows->n, sizeof(*keep));
		if (!keep) {
			rc = tt_set_error(err, TT_ENOMEM, "series: out of memory");
			goto out;
		}
	}

	/* Pass 1: rows of exactly this key; collect what else exists for a hint. */
	for (i = 0; i < rows->n; i++) {
		const struct price_row *r = &rows->v[i];
		const struct price *p = &r->p;

		if (!series_str_eq(p->provider, sel->provider) || !series_str_eq(p->model, sel->model))
			continue;
		if (!series_str_eq(p->dimension, dim) || !series_str_eq(p->tier, tier) ||
		    !series_str_eq(p->condition, cond)) {
			char alt[256];

			snprintf(alt, sizeof(alt), "%s %s%s%s", p->dimension ? p->dimension : "",
				 p->tier ? p->tier : "", p->condition && p->condition[0] ? " " : "",
				 p->condition ? p->condition : "");
			if (series_list_add_unique(&others, alt) < 0)
				goto nomem;
			continue;
		}
		if (source && !series_str_eq(r->source, source))
			continue;
		if (currency && !series_str_eq(p->currency, currency)) {
			if (series_list_add_unique(&other_currencies, p->currency ? p->currency : "") < 0)
				goto nomem;
			continue;
		}
		if (region && !series_str_eq(p->region, region))
			continue;
		if (!p->region || !p->region[0])
			has_empty_region = 1;
		if (series_list_add_unique(&regions,
					   p->region && p->region[0] ? p->region : "(none)") < 0 ||
		    series_list_add_unique(&currencies, p->currency ? p->currency : "") < 0)
			goto nomem;
		keep[nk++] = r;
	}
	if (!nk && other_currencies.len) {
		rc = tt_set_error(err, TT_ENOTFOUND,
				  "no price series for %s/%s %s %s%s%s in %s: it is priced in %s",
				  sel->provider, sel->model, dim, tier, cond[0] ? " condition " : "", cond,
				  currency, other_currencies.buf);
		goto out;
	}
	if (!nk) {
		rc = tt_set_error(err, TT_ENOTFOUND,
				  "no price series for %s/%s %s %s%s%s%s%s%s%s%s%s", sel->provider,
				  sel->model, dim, tier, cond[0] ? " condition " : "", cond,
				  region ? " region " : "", region ? region : "",
				  source ? " from source " : "", source ? source : "",
				  others.len ? "; this model has: " : "", others.len ? others.buf : "");
		goto out;
	}

	/* One currency: the named one, else the only one.  Currency is part of a
	 * key (DeepSeek's English page in USD, its Chinese page in CNY, from one
	 * source): two currencies are two series, never one. */
	if (!currency && strchr(currencies.buf, ',')) {
		rc = tt_set_error(err, TT_EINVAL,
				  "%s/%s %s %s is priced in several currencies (%s), each its own "
				  "series: choose one with --currency", sel->provider, sel->model, dim,
				  tier, currencies.buf);
		goto out;
	}

	/* One region: the named one, else "" when present, else the only one. */
	if (!region && strchr(regions.buf, ',')) {
		if (!has_empty_region) {
			rc = tt_set_error(err, TT_EINVAL,
					  "%s/%s %s %s is priced in several regions (%s); choose one",
					  sel->provider, sel->model, dim, tier, regions.buf);
			goto out;
		}
		region = "";
	}
	if (region) {
		size_t j = 0;

		for (i = 0; i < nk; i++)
			if (series_str_eq(keep[i]->p.region, region))
				keep[j++] = keep[i];
		nk = j;
	}

	/* One source: the named one, else the one whose interval is the latest
	 * (query_history with all_sources = 0 returns only the highest-ranked
	 * source per key, so this only decides when the store returns more). */
	for (i = 0; i < nk; i++) {
		if (!latest || strcmp(keep[i]->valid_from, latest->valid_from) > 0)
			latest = keep[i];
		if (series_list_add_unique(&sources, keep[i]->source ? keep[i]->source : "") < 0)
			goto nomem;
	}
	if (strchr(sources.buf, ',')) {
		size_t j = 0;

		if (buf_addf(&note, "several sources carry this key (%s); using %s", sources.buf,
			     latest->source ? latest->source : "") < 0)
			goto nomem;
		for (i = 0; i < nk; i++)
			if (series_str_eq(keep[i]->source, latest->source))
				keep[j++] = keep[i];
		nk = j;
	}

	/* Never mix units (one currency is kept above). */
	first = keep[0];
	for (i = 1; i < nk; i++) {
		const struct price *p = &keep[i]->p;

		if (!series_str_eq(p->unit, first->p.unit)) {
			rc = tt_set_error(err, TT_EFAIL,
					  "%s/%s %s %s mixes units '%s' (from %s) and '%s' (from %s); a series needs one",
					  sel->provider, sel->model, dim, tier, first->p.unit,
					  first->valid_from, p->unit, keep[i]->valid_from);
			goto out;
		}
	}

	rc = series_set_key(out, sel->provider, sel->model, dim, tier, cond, first->p.region,
			    first->p.unit, first->p.currency, first->source);
	if (rc < 0)
		goto nomem;
	qsort(keep, nk, sizeof(*keep), row_cmp_from);
	for (i = 0; i < nk; i++) {
		/* Two intervals from one date (should not happen): the later row wins. */
		if (i + 1 < nk && !strcmp(keep[i]->valid_from, keep[i + 1]->valid_from)) {
			merged++;
			continue;
		}
		rc = series_add(out, keep[i]->valid_from, keep[i]->p.nanos, err);
		if (rc < 0)
			goto out;
	}
	if (merged && buf_addf(&note, "%s%zu interval%s sharing a start date with another were dropped",
			       note.len ? "; " : "", merged, merged == 1 ? "" : "s") < 0)
		goto nomem;
	if (note.len)
		out->note = buf_detach(&note, NULL);
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "series: out of memory");
out:
	free(keep);
	buf_release(&others);
	buf_release(&regions);
	buf_release(&currencies);
	buf_release(&other_currencies);
	buf_release(&sources);
	buf_release(&note);
	return rc;
}
