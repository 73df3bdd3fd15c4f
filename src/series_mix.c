/*
 * series_mix.c - build a group series (cheapest member over time) and a
 * blended series (a workload's token mix, priced by the cost model) from
 * history rows of several keys (series_mix.h).  The store-backed loaders
 * live in series_mix_load.c.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/series_mix.h"

#include "tokentrend/buf.h"
#include "tokentrend/clock.h"
#include "tokentrend/costmodel.h"
#include "tokentrend/money.h"
#include "tokentrend/price.h"
#include "series_int.h"

/* One interval of a component, with what decides between intervals. */
struct mix_row {
	const struct price_row *r;
	int64_t from, to;  /* days; to = INT64_MAX while open */
	int rank;          /* query_source_rank of its source */
	int64_t band;      /* 0: unconditioned; else the lower band's bound */
};

/* A component: the intervals that price one member at one seller. */
struct mix_comp {
	struct mix_row *v;
	size_t n, alloc;
	const char *provider;   /* borrowed */
	const char *canonical;  /* borrowed: catalog id, or the model as given */
};

struct mix_comps {
	struct mix_comp *v;
	size_t n, alloc;
};

static void comps_release(struct mix_comps *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].v);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static struct mix_comp *comps_add(struct mix_comps *c)
{
	if (c->n == c->alloc) {
		size_t na = c->alloc ? 2 * c->alloc : 16;
		struct mix_comp *nv = realloc(c->v, na * sizeof(*nv));

		if (!nv)
			return NULL;
		c->v = nv;
		c->alloc = na;
	}
	memset(&c->v[c->n], 0, sizeof(c->v[0]));
	return &c->v[c->n++];
}

static int comp_push(struct mix_comp *c, const struct mix_row *r)
{
	if (c->n == c->alloc) {
		size_t na = c->alloc ? 2 * c->alloc : 8;
		struct mix_row *nv = realloc(c->v, na * sizeof(*nv));

		if (!nv)
			return TT_ENOMEM;
		c->v = nv;
		c->alloc = na;
	}
	c->v[c->n++] = *r;
	return 0;
}

void series_mix_trace_release(struct series_mix_trace *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].provider);
		free(t->v[i].model);
		free(t->v[i].canonical);
		free(t->v[i].source);
		free(t->v[i].condition);
		free(t->v[i].region);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int64_t series_mix_lower_band(const char *c)
{
	const char *p;
	int64_t v = 0, mult = 1;
	int digits = 0;

	if (!c || strncmp(c, "prompt<", 7))
		return -1;
	p = c + 7;
	if (*p == '=')
		p++;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (v > INT64_C(1000000000000))
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p == 'k' || *p == 'K')
		mult = 1000, p++;
	else if (*p == 'm' || *p == 'M')
		mult = 1000000, p++;
	if (*p || !digits || !v)
		return -1;
	return v * mult;
}

/* 1 when a beats b on a date both are in force (see series_mix.h). */
static int mix_better(const struct mix_row *a, const struct mix_row *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->band != b->band)
		return a->band < b->band;
	return a->r->p.nanos < b->r->p.nanos;
}

static const struct mix_row *comp_at(const struct mix_comp *c, int64_t day)
{
	const struct mix_row *best = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct mix_row *r = &c->v[i];

		if (r->from <= day && day < r->to && (!best || mix_better(r, best)))
			best = r;
	}
	return best;
}

/*
 * Fill a mix_row from a price row; returns 1 when the row may count (dates
 * valid, condition unconditioned or a lower band), 0 when it never counts.
 */
static int mix_row_make(const struct price_row *r, struct mix_row *out)
{
	const char *cond = r->p.condition ? r->p.condition : "";

	memset(out, 0, sizeof(*out));
	out->r = r;
	if (cond[0]) {
		out->band = series_mix_lower_band(cond);
		if (out->band < 0)
			return 0;
	}
	if (date_parse(r->valid_from, &out->from) < 0)
		return 0;
	out->to = INT64_MAX;
	if (r->valid_to[0] && date_parse(r->valid_to, &out->to) < 0)
		return 0;
	if (out->to <= out->from)
		return 0;
	out->rank = query_source_rank(r->source);
	return 1;
}

static int day_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted unique change days of every component (from and finite to). */
static int mix_days(const struct mix_comps *cs, int64_t **out, size_t *n)
{
	size_t i, j, k = 0, cap = 0;
	int64_t *d;

	for (i = 0; i < cs->n; i++)
		cap += 2 * cs->v[i].n;
	d = malloc((cap ? cap : 1) * sizeof(*d));
	if (!d)
		return TT_ENOMEM;
	for (i = 0; i < cs->n; i++)
		for (j = 0; j < cs->v[i].n; j++) {
			d[k++] = cs->v[i].v[j].from;
			if (cs->v[i].v[j].to != INT64_MAX)
				d[k++] = cs->v[i].v[j].to;
		}
	qsort(d, k, sizeof(*d), day_cmp);
	for (i = 0, j = 0; i < k; i++)
		if (!j || d[j - 1] != d[i])
			d[j++] = d[i];
	*out = d;
	*n = j;
	return 0;
}

/* Rows left out, for the note. */
struct mix_skips {
	size_t currency, unit, condition, free;
	struct buf currencies;  /* the other currencies seen */
};

/* 1 when the row is in the wanted currency and unit; counts it otherwise. */
static int mix_row_money_ok(const struct price_row *r, const char *currency, struct mix_skips *sk)
{
	if (!series_str_eq(r->p.currency, currency)) {
		sk->currency++;
		series_list_add_unique(&sk->currencies, r->p.currency ? r->p.currency : "?");
		return 0;
	}
	if (!series_str_eq(r->p.unit, PRICE_UNIT_MTOK)) {
		sk->unit++;
		return 0;
	}
	return 1;
}

/* mix_row_make() and mix_row_money_ok(): 1 when the row counts, else 0
 * with the reason counted in sk. */
static int mix_row_take(const struct price_row *r, const char *currency, struct mix_skips *sk,
			struct mix_row *out)
{
	if (!mix_row_make(r, out)) {
		sk->condition++;
		return 0;
	}
	return mix_row_money_ok(r, currency, sk);
}

static int mix_skips_note(const struct mix_skips *sk, struct buf *note)
{
	int rc = 0;

	if (sk->currency)
		rc |= buf_addf(note, "; %zu interval%s in other currencies (%s) left out", sk->currency,
			       sk->currency == 1 ? "" : "s", sk->currencies.buf);
	if (sk->unit)
		rc |= buf_addf(note, "; %zu interval%s in other units left out", sk->unit,
			       sk->unit == 1 ? "" : "s");
	if (sk->free)
		rc |= buf_addf(note, "; %zu free (0) interval%s left out", sk->free,
			       sk->free == 1 ? "" : "s");
	if (sk->condition)
		rc |= buf_addf(note, "; %zu interval%s under other conditions (upper bands, off-peak, "
			       "modality) left out", sk->condition, sk->condition == 1 ? "" : "s");
	return rc ? TT_ENOMEM : 0;
}

/* Finish a mixed series: the skips after the note, then hand the sources
 * list and the note to out (its source and note).  0 or TT_ENOMEM. */
static int mix_finish(struct series *out, struct buf *sources, struct buf *note,
		      const struct mix_skips *sk)
{
	if (mix_skips_note(sk, note) < 0)
		return TT_ENOMEM;
	free(out->source);
	out->source = buf_detach(sources, NULL);
	out->note = buf_detach(note, NULL);
	return out->source && out->note ? 0 : TT_ENOMEM;
}

static int trace_push(struct series_mix_trace *t, const struct series_point *pt,
		      const struct mix_row *r, const char *canonical)
{
	struct series_mix_pick *k;

	if (t->n == t->alloc) {
		size_t na = t->alloc ? 2 * t->alloc : 16;
		struct series_mix_pick *nv = realloc(t->v, na * sizeof(*nv));

		if (!nv)
			return TT_ENOMEM;
		t->v = nv;
		t->alloc = na;
	}
	k = &t->v[t->n];
	memset(k, 0, sizeof(*k));
	memcpy(k->date, pt->date, sizeof(k->date));
	k->nanos = pt->nanos;
	k->provider = strdup(r->r->p.provider ? r->r->p.provider : "");
	k->model = strdup(r->r->p.model ? r->r->p.model : "");
	k->canonical = strdup(canonical ? canonical : "");
	k->source = strdup(r->r->source ? r->r->source : "");
	k->condition = strdup(r->r->p.condition ? r->r->p.condition : "");
	k->region = strdup(r->r->p.region ? r->r->p.region : "");
	t->n++;
	if (!k->provider || !k->model || !k->canonical || !k->source || !k->condition || !k->region)
		return TT_ENOMEM;
	return 0;
}

int series_group_from_rows(const struct price_rows *rows, const struct models *cat,
			   const char *group, const struct series_group_options *o,
			   struct series *out, struct series_mix_trace *trace, struct tt_error *err)
{
	const char *dim = o && o->dimension ? o->dimension : "input";
	const char *tier = o && o->tier ? o->tier : "standard";
	const char *cur = o && o->currency ? o->currency : "USD";
	const char *seller = o ? o->provider : NULL, *only_source = o ? o->source : NULL;
	const struct models_group *g = models_group_find(cat, group);
	struct mix_comps cs = { NULL, 0, 0 };
	struct mix_skips sk = { 0, 0, 0, 0, BUF_INIT };
	struct buf sources = BUF_INIT, note = BUF_INIT, names = BUF_INIT, members = BUF_INIT;
	int all_sellers = o ? o->all_sellers : 0;
	int64_t *days = NULL;
	size_t i, j, nd = 0, n_names = 0, n_members = 0;
	int rc = TT_ENOMEM;

	if (!g) {
		struct buf all = BUF_INIT;

		for (i = 0; i < cat->n_groups; i++)
			buf_addf(&all, "%s%s", i ? ", " : "", cat->groups[i].name);
		rc = tt_set_error(err, TT_ENOTFOUND, "no group '%s' in the model catalog (groups: %s)",
				  group ? group : "", all.buf ? all.buf : "none");
		buf_release(&all);
		return rc;
	}

	for (i = 0; i < rows->n; i++) {
		const struct price_row *r = &rows->v[i];
		const char *canon;
		struct mix_comp *c = NULL;
		struct mix_row mr;

		if (!series_str_eq(r->p.dimension, dim) || !series_str_eq(r->p.tier, tier))
			continue;
		if ((seller && !series_str_eq(r->p.provider, seller)) ||
		    (only_source && !series_str_eq(r->source, only_source)))
			continue;
		canon = models_lookup(cat, r->p.provider, r->p.model);
		if (!canon || !models_group_has(g, canon))
			continue;
		if (!seller && !all_sellers && !series_str_eq(models_vendor(cat, canon), r->p.provider))
			continue;
		if (!mix_row_take(r, cur, &sk, &mr))
			continue;
		if (r->p.nanos == 0) {
			sk.free++;
			continue;
		}
		for (j = 0; j < cs.n && !c; j++)
			if (!strcmp(cs.v[j].provider, r->p.provider) && !strcmp(cs.v[j].canonical, canon))
				c = &cs.v[j];
		if (!c) {
			c = comps_add(&cs);
			if (!c)
				goto nomem;
			c->provider = r->p.provider;
			c->canonical = canon;
			if (series_list_add_unique(&members, canon) < 0)
				goto nomem;
		}
		if (comp_push(c, &mr) < 0)
			goto nomem;
		{
			char nm[512];

			snprintf(nm, sizeof(nm), "%s/%s", r->p.provider, r->p.model);
			if (series_list_add_unique(&names, nm) < 0)
				goto nomem;
		}
	}
	if (!cs.n) {
		rc = tt_set_error(err, TT_ENOTFOUND,
				  "no member of group '%s' has a %s %s price in %s per 1M tokens%s%s%s%s",
				  g->name, dim, tier, cur, seller ? " sold by " : "", seller ? seller : "",
				  only_source ? " from source " : "", only_source ? only_source : "");
		goto out;
	}
	for (i = 0; members.buf && members.buf[i]; i++)
		n_members += members.buf[i] == ',';
	n_members++;
	for (i = 0; names.buf && names.buf[i]; i++)
		n_names += names.buf[i] == ',';
	n_names++;

	rc = series_set_key(out, "group", g->name, dim, tier, "", "", PRICE_UNIT_MTOK, cur, "");
	if (rc < 0)
		goto nomem;
	rc = mix_days(&cs, &days, &nd);
	if (rc < 0)
		goto nomem;
	for (i = 0; i < nd; i++) {
		const struct mix_row *best = NULL;
		const char *best_canon = NULL;
		char date[11];

		for (j = 0; j < cs.n; j++) {
			const struct mix_row *r = comp_at(&cs.v[j], days[i]);

			if (r && (!best || r->r->p.nanos < best->r->p.nanos)) {
				best = r;
				best_canon = cs.v[j].canonical;
			}
		}
		if (!best)
			continue; /* no member priced on this date: a gap, no point */
		date_format(days[i], date);
		rc = series_add(out, date, best->r->p.nanos, err);
		if (rc < 0)
			goto out;
		if (rc == 1) {
			if (series_list_add_unique(&sources, best->r->source ? best->r->source : "") < 0)
				goto nomem;
			if (trace && trace_push(trace, &out->v[out->n - 1], best, best_canon) < 0)
				goto nomem;
		}
	}
	if (buf_addf(&note, "cheapest of group %s: %zu of %zu members priced, at %zu seller names%s%s",
		     g->name, n_members, g->n_members, n_names,
		     seller ? " sold by " : all_sellers ? " (every seller)" : " (first party)",
		     seller ? seller : "") < 0 ||
	    mix_finish(out, &sources, &note, &sk) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "group series: out of memory");
out:
	free(days);
	comps_release(&cs);
	buf_release(&sk.currencies);
	buf_release(&sources);
	buf_release(&note);
	buf_release(&names);
	buf_release(&members);
	return rc;
}

/* The dimensions a profile weighs, in the cost model's order (costmodel.h). */
static const char *const blend_dim_names[4] = { "input", "cache_read", "cache_write", "output" };

static void blend_dim_tokens(const struct profile *p, int64_t t[4])
{
	t[0] = p->tokens_input;
	t[1] = p->tokens_cached_input;
	t[2] = p->tokens_cache_write;
	t[3] = p->tokens_output;
}

static int blend_dim_index(const char *d)
{
	int i;

	for (i = 0; i < 4; i++)
		if (series_str_eq(d, blend_dim_names[i]))
			return i;
	return -1;
}

/*
 * What the rows hold for the profile's models, for the note and for naming
 * a part that has no price at all: the rows left out (other currencies and
 * units, free) and, per model, the dimensions with a price the cost model
 * can use.  Matching as cm_cands_for: the seller, and the name given or the
 * catalog's other names for the same model.  priced: n_models x 4, zeroed.
 */
static void blend_scan(const struct price_rows *rows, const struct profile *p,
		       const struct models *cat, const char *cur, const char *only_source,
		       struct mix_skips *sk, unsigned char *priced)
{
	size_t i, j;

	for (i = 0; i < p->n_models; i++) {
		const struct profile_model *pm = &p->models[i];
		const char *target = NULL;

		if (cat) {
			target = models_lookup(cat, pm->provider, pm->model);
			if (!target && models_find(cat, pm->model))
				target = pm->model;
		}
		for (j = 0; j < rows->n; j++) {
			const struct price_row *r = &rows->v[j];
			int d;

			if (!series_str_eq(r->p.provider, pm->provider))
				continue;
			if (!series_str_eq(r->p.model, pm->model) &&
			    !(target && series_str_eq(models_lookup(cat, r->p.provider, r->p.model), target)))
				continue;
			if (only_source && !series_str_eq(r->source, only_source))
				continue;
			if (!mix_row_money_ok(r, cur, sk))
				continue;
			if (r->p.nanos <= 0) {
				sk->free++;
				continue;
			}
			d = blend_dim_index(r->p.dimension);
			if (d >= 0 && (series_str_eq(r->p.tier, "standard") ||
				       series_str_eq(r->p.tier, "batch")))
				priced[i * 4 + (size_t)d] = 1;
		}
	}
}

/*
 * When a fallback of the cost model priced a dimension's lines: the first
 * priced date it did, the first priced date after its last use that it did
 * not (0 while still in use), and whether it paused in between.
 */
struct blend_span {
	int64_t first, end;
	int used, open, gap;
};

static void blend_span_step(struct blend_span *sp, int used_now, int64_t day)
{
	if (used_now) {
		if (!sp->used)
			sp->first = day;
		else if (!sp->open)
			sp->gap = 1;
		sp->used = sp->open = 1;
	} else if (sp->open) {
		sp->end = day;
		sp->open = 0;
	}
}

static int blend_span_note(struct buf *note, const struct blend_span *sp, const char *what)
{
	char a[11], b[11];

	if (!sp->used)
		return 0;
	date_format(sp->first, a);
	if (sp->open)
		return buf_addf(note, "; %s %sfrom %s on", what, sp->gap ? "at times " : "", a);
	date_format(sp->end, b);
	return buf_addf(note, "; %s %sfrom %s until %s", what, sp->gap ? "at times " : "", a, b);
}

/* Name the first part that has no price at all (after the fallbacks) in err; 0 when none. */
static int blend_missing_part(const struct profile *p, const unsigned char *priced, const char *cur,
			      const struct mix_skips *sk, struct tt_error *err)
{
	int64_t t[4];
	size_t m;
	int d;

	blend_dim_tokens(p, t);
	for (m = 0; m < p->n_models; m++)
		for (d = 0; d < 4; d++) {
			int cache = d == 1 || d == 2;

			if (!t[d] || priced[m * 4 + (size_t)d] || (cache && priced[m * 4]))
				continue;
			return tt_set_error(err, TT_ENOTFOUND,
					    "no %s price per 1M tokens for %s/%s %s%s, which the "
					    "profile needs%s%s", cur, p->models[m].provider,
					    p->models[m].model, blend_dim_names[d],
					    cache ? " (nor an input price to bill it at)" : "",
					    sk->currencies.len ? "; other currencies seen: " : "",
					    sk->currencies.len ? sk->currencies.buf : "");
		}
	return 0;
}

int series_blend_from_rows(const struct price_rows *rows, const struct profile *p,
			   const struct models *cat, const struct series_blend_options *o,
			   struct series *out, struct tt_error *err)
{
	const char *cur = o && o->currency ? o->currency : "USD";
	const char *only_source = o ? o->source : NULL;
	/* every change date the rows hold: no as-of limit */
	struct costmodel_options co = { "9999-12-31", cur, only_source, NULL };
	struct costmodel cm;
	struct costmodel_history h;
	struct mix_skips sk = { 0, 0, 0, 0, BUF_INIT };
	struct buf sources = BUF_INIT, note = BUF_INIT, mix = BUF_INIT;
	struct blend_span at_input[4], as_standard[4];
	unsigned char *priced = NULL;
	unsigned flags = 0;
	int64_t t[4], total = profile_tokens_total(p), b = p->batch_share;
	size_t i, j;
	int d, rc = TT_ENOMEM;

	memset(&cm, 0, sizeof(cm));
	memset(&h, 0, sizeof(h));
	memset(at_input, 0, sizeof(at_input));
	memset(as_standard, 0, sizeof(as_standard));
	if (!p->n_models)
		return tt_set_error(err, TT_EINVAL, "%s: the profile names no `model` to price",
				    p->origin ? p->origin : "profile");
	if (total <= 0)
		return tt_set_error(err, TT_EINVAL, "%s: the profile has no tokens per month "
				    "(tokens_input, tokens_cached_input, tokens_cache_write, tokens_output)",
				    p->origin ? p->origin : "profile");
	blend_dim_tokens(p, t);
	rc = costmodel_init_prices(&cm, p, cat, rows, &co, err);
	if (rc < 0)
		goto out;
	priced = calloc(p->n_models, 4);
	if (!priced)
		goto nomem;
	blend_scan(rows, p, cat, cur, only_source, &sk, priced);

	/* The workload priced on every change date exactly as `cost --history` prices it. */
	{
		struct tt_error e2 = { 0 };

		rc = costmodel_history(&cm, &h, &e2);
		if (rc == TT_ENOTFOUND) {
			rc = blend_missing_part(p, priced, cur, &sk, err);
			if (rc == 0)
				rc = tt_set_error(err, TT_ENOTFOUND,
						  "the profile's parts never have prices in force on "
						  "the same date (each part: provider/model dimension; "
						  "cached input and cache writes at the input price "
						  "when they have none) for %s/%s%s%s",
						  p->models[0].provider, p->models[0].model,
						  sk.currencies.len ? "; other currencies seen: " : "",
						  sk.currencies.len ? sk.currencies.buf : "");
			goto out;
		}
		if (rc < 0) {
			if (err)
				*err = e2;
			goto out;
		}
	}

	if (p->n_models == 1)
		rc = series_set_key(out, p->models[0].provider, p->models[0].model, "blend",
				    b == 0 ? "standard" : b == PROFILE_PPB ? "batch" : "mixed", "", "",
				    PRICE_UNIT_MTOK, cur, "");
	else {
		char label[32];

		snprintf(label, sizeof(label), "%zu models", p->n_models);
		rc = series_set_key(out, "blend", label, "blend",
				    b == 0 ? "standard" : b == PROFILE_PPB ? "batch" : "mixed", "", "",
				    PRICE_UNIT_MTOK, cur, "");
	}
	if (rc < 0)
		goto nomem;
	for (i = 0; i < h.n; i++) {
		const struct costmodel_bill *bill = &h.v[i];
		int64_t day;
		int in_at[4] = { 0, 0, 0, 0 }, in_std[4] = { 0, 0, 0, 0 };

		rc = series_add(out, bill->date, bill->blend_nanos, err);
		if (rc < 0)
			goto out;
		if (date_parse(bill->date, &day) < 0) {
			rc = tt_set_error(err, TT_EINVAL, "blend: '%s' is not a date", bill->date);
			goto out;
		}
		flags |= bill->flags;
		for (j = 0; j < bill->n_lines; j++) {
			const struct costmodel_line *l = &bill->lines[j];

			d = blend_dim_index(l->dimension);
			if (d >= 0) {
				in_at[d] |= !!(l->flags & COSTMODEL_AT_INPUT_PRICE);
				in_std[d] |= !!(l->flags & COSTMODEL_BATCH_AS_STANDARD);
			}
			if (series_list_add_unique(&sources, l->source ? l->source : "") < 0)
				goto nomem;
		}
		for (d = 0; d < 4; d++) {
			blend_span_step(&at_input[d], in_at[d], day);
			blend_span_step(&as_standard[d], in_std[d], day);
		}
	}

	for (d = 0; d < 4; d++)
		if (t[d]) {
			char pct[MONEY_FMT_MAX];

			/* share of the tokens in percent, exact to 1e-9 % */
			money_format((int64_t)money_div_half_even((__int128)t[d] * 100 * MONEY_NANO, total),
				     pct, sizeof(pct));
			if (buf_addf(&mix, "%s%s %s%%", mix.len ? ", " : "", blend_dim_names[d], pct) < 0)
				goto nomem;
		}
	if (buf_addf(&note, "blend per 1M tokens of the profile's mix (%s", mix.buf) < 0)
		goto nomem;
	if (b && buf_addf(&note, "; batch share %s%%",
			  money_format(b * 100, (char[MONEY_FMT_MAX]){ 0 }, MONEY_FMT_MAX)) < 0)
		goto nomem;
	if (p->n_models > 1)
		for (i = 0; i < p->n_models; i++)
			if (buf_addf(&note, "; %s/%s %s%%", p->models[i].provider, p->models[i].model,
				     money_format(p->models[i].share * 100, (char[MONEY_FMT_MAX]){ 0 },
						  MONEY_FMT_MAX)) < 0)
				goto nomem;
	if (buf_addf(&note, "), priced as `cost` prices it; from %s, the first date every part has "
		     "a price", out->n ? out->v[0].date : "") < 0)
		goto nomem;
	for (d = 0; d < 4; d++) {
		char what[96];

		snprintf(what, sizeof(what), "%s at the input price (no %s price)",
			 blend_dim_names[d], blend_dim_names[d]);
		if (blend_span_note(&note, &at_input[d], what) < 0)
			goto nomem;
		snprintf(what, sizeof(what), "%s batch at the standard price (no batch price)",
			 blend_dim_names[d]);
		if (blend_span_note(&note, &as_standard[d], what) < 0)
			goto nomem;
	}
	if ((flags & COSTMODEL_BAND) &&
	    buf_addf(&note, "; prompt-length bands: the one a prompt of %" PRId64
		     " tokens falls in", p->prompt_length) < 0)
		goto nomem;
	if (mix_finish(out, &sources, &note, &sk) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "blend series: out of memory");
out:
	free(priced);
	costmodel_history_release(&h);
	costmodel_release(&cm);
	buf_release(&sk.currencies);
	buf_release(&sources);
	buf_release(&note);
	buf_release(&mix);
	return rc;
}
