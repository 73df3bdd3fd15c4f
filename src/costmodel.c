/*
 * costmodel.c - price a workload profile on stored prices, exactly: today's
 * breakdown by layer, the same workload on every past change date, across
 * models side by side, and the guard rails (costmodel.h).  The projection
 * and crossing dates live in costmodel_project.c, the renderers in
 * costmodel_render.c.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/costmodel.h"

#include "costmodel_int.h"
#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/price.h"
#include "tokentrend/store.h"

static const char *const cm_dims[4] = { "input", "cache_read", "cache_write", "output" };

int64_t cm_div_half_even(__int128 num, __int128 den)
{
	return (int64_t)money_div_half_even(num, den);
}

static int str_eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

const char *costmodel_layer_name(enum costmodel_layer l)
{
	switch (l) {
	case COSTMODEL_API: return "api";
	case COSTMODEL_SILENT: return "silent";
	case COSTMODEL_INFRASTRUCTURE: return "infrastructure";
	case COSTMODEL_ENGINEERING: return "engineering";
	case COSTMODEL_N_LAYERS: break;
	}
	return "?";
}

/* ---- context ---- */

/* Convert one cost layer into the prices' currency, or refuse. */
static int cm_convert(const struct costmodel *cm, const struct costmodel_options *o,
		      const char *what, const struct profile_money *m, int64_t *out,
		      struct buf *notes, struct tt_error *err)
{
	int rc;

	if (str_eq(m->currency, cm->currency) || m->nanos == 0) {
		*out = m->nanos;
		return 0;
	}
	if (!o || !o->fx || !o->fx->convert)
		return tt_set_error(err, TT_EINVAL,
				    "%s is in %s and the prices are in %s, and no exchange rate is "
				    "available: tokentrend does not mix currencies (write it in %s, "
				    "or load exchange rates)", what, m->currency, cm->currency,
				    cm->currency);
	rc = o->fx->convert(o->fx->ctx, m->currency, cm->currency, cm->as_of, m->nanos, out, err);
	if (rc < 0) {
		if (rc == TT_ENOTFOUND)
			return tt_set_error(err, TT_EINVAL,
					    "%s is in %s and the prices are in %s, and there is no %s/%s "
					    "rate for %s: tokentrend does not mix currencies", what,
					    m->currency, cm->currency, m->currency, cm->currency, cm->as_of);
		return rc;
	}
	{
		char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];

		buf_addf(notes, "%s%s %s %s = %s %s (%s, %s)", notes->len ? "; " : "", what,
			 money_format(m->nanos, a, sizeof(a)), m->currency,
			 money_format(*out, b, sizeof(b)), cm->currency,
			 o->fx->name ? o->fx->name : "exchange rate", cm->as_of);
	}
	return 0;
}

int costmodel_init_prices(struct costmodel *cm, const struct profile *p, const struct models *cat,
			  const struct price_rows *rows, const struct costmodel_options *o,
			  struct tt_error *err)
{
	const char *cur = o && o->currency ? o->currency : "USD";

	memset(cm, 0, sizeof(*cm));
	cm->p = p;
	cm->cat = cat;
	cm->use = rows ? rows : &cm->rows;
	cm->source = o ? o->source : NULL;
	if (strlen(cur) != 3)
		return tt_set_error(err, TT_EINVAL, "currency '%s' is not an ISO code", cur);
	memcpy(cm->currency, cur, 4);
	if (o && o->as_of) {
		if (date_parse(o->as_of, &cm->as_of_day) < 0)
			return tt_set_error(err, TT_EINVAL, "as-of date '%s' is not YYYY-MM-DD", o->as_of);
		date_format(cm->as_of_day, cm->as_of);
	} else {
		clock_today(cm->as_of);
		if (date_parse(cm->as_of, &cm->as_of_day) < 0)
			return tt_set_error(err, TT_EFAIL, "cannot read today's date");
	}
	return 0;
}

int costmodel_init(struct costmodel *cm, const struct profile *p, const struct models *cat,
		   const struct price_rows *rows, const struct costmodel_options *o,
		   struct tt_error *err)
{
	struct profile_money eng;
	struct buf notes = BUF_INIT;
	int rc;

	rc = costmodel_init_prices(cm, p, cat, rows, o, err);
	if (rc < 0)
		return rc;
	rc = profile_engineering_cost(p, &eng, err);
	if (rc < 0)
		return rc;
	memcpy(cm->engineering_currency, eng.currency, 4);
	cm->engineering_written = eng.nanos;
	rc = cm_convert(cm, o, "engineering", &eng, &cm->engineering_nanos, &notes, err);
	if (rc == 0)
		rc = cm_convert(cm, o, "infrastructure", &p->infrastructure, &cm->infrastructure_nanos,
				&notes, err);
	if (rc == 0 && notes.len)
		snprintf(cm->notes, sizeof(cm->notes), "%s", notes.buf);
	buf_release(&notes);
	return rc;
}

int costmodel_load(struct costmodel *cm, struct store *st, struct tt_error *err)
{
	struct query_filter f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.source = cm->source;
	price_rows_release(&cm->rows);
	rc = query_history(st, &f, &cm->rows, err);
	if (rc < 0)
		return rc;
	cm->use = &cm->rows;
	return 0;
}

void costmodel_release(struct costmodel *cm)
{
	if (!cm)
		return;
	price_rows_release(&cm->rows);
	memset(cm, 0, sizeof(*cm));
}

/* ---- candidate rows of one model ---- */

/* Parse a prompt-length band: "prompt<=200k", "prompt<272k", "prompt>200k",
 * "prompt>=272k".  Returns 1 and fills kind (1 lower, 2 upper), incl and
 * bound; 0 for anything else. */
static int cm_parse_band(const char *c, int *kind, int *incl, int64_t *bound)
{
	const char *p;
	int64_t v = 0;
	int digits = 0;

	if (!c || strncmp(c, "prompt", 6))
		return 0;
	p = c + 6;
	if (*p == '<')
		*kind = 1;
	else if (*p == '>')
		*kind = 2;
	else
		return 0;
	p++;
	*incl = 0;
	if (*p == '=') {
		*incl = 1;
		p++;
	}
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (v > INT64_C(1000000000000))
			return 0;
		v = v * 10 + (*p - '0');
	}
	if (*p == 'k' || *p == 'K')
		v *= 1000, p++;
	else if (*p == 'm' || *p == 'M')
		v *= 1000000, p++;
	if (*p || !digits)
		return 0;
	*bound = v;
	return 1;
}

static int cm_band_contains(const struct cm_row *r, int64_t len)
{
	if (!r->band_kind)
		return 1;
	if (r->band_kind == 1)
		return r->band_incl ? len <= r->band_bound : len < r->band_bound;
	return r->band_incl ? len >= r->band_bound : len > r->band_bound;
}

static int cm_dim_index(const char *d)
{
	int i;

	for (i = 0; i < 4; i++)
		if (str_eq(d, cm_dims[i]))
			return i;
	return -1;
}

void cm_cands_release(struct cm_cands *c)
{
	if (!c)
		return;
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int cm_cands_for(const struct costmodel *cm, const char *provider, const char *model,
		 struct cm_cands *out)
{
	const char *target = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->provider = provider;
	out->model = model;
	if (cm->cat) {
		target = models_lookup(cm->cat, provider, model);
		if (!target && models_find(cm->cat, model))
			target = model;
	}
	for (i = 0; i < cm->use->n; i++) {
		const struct price_row *r = &cm->use->v[i];
		struct cm_row cr;
		const char *cond = r->p.condition ? r->p.condition : "";

		if (!str_eq(r->p.provider, provider))
			continue;
		memset(&cr, 0, sizeof(cr));
		cr.exact = str_eq(r->p.model, model);
		if (!cr.exact &&
		    !(target && str_eq(models_lookup(cm->cat, r->p.provider, r->p.model), target)))
			continue;
		if (cm->source && !str_eq(r->source, cm->source))
			continue;
		cr.dim = cm_dim_index(r->p.dimension);
		if (cr.dim < 0)
			continue;
		if (str_eq(r->p.tier, "standard"))
			cr.batch = 0;
		else if (str_eq(r->p.tier, "batch"))
			cr.batch = 1;
		else
			continue;
		if (!str_eq(r->p.currency, cm->currency) || !str_eq(r->p.unit, PRICE_UNIT_MTOK))
			continue;
		if (cond[0] && !cm_parse_band(cond, &cr.band_kind, &cr.band_incl, &cr.band_bound))
			continue;
		if (date_parse(r->valid_from, &cr.from) < 0)
			continue;
		cr.to = INT64_MAX;
		if (r->valid_to[0] && date_parse(r->valid_to, &cr.to) < 0)
			continue;
		if (cr.to <= cr.from)
			continue;
		if (r->p.nanos <= 0)
			continue; /* free or placeholder: not what a workload pays */
		cr.r = r;
		cr.rank = query_source_rank(r->source);
		cr.regional = r->p.region && r->p.region[0];
		if (out->n == out->alloc) {
			size_t na = out->alloc ? 2 * out->alloc : 16;
			struct cm_row *nv = realloc(out->v, na * sizeof(*nv));

			if (!nv)
				return TT_ENOMEM;
			out->v = nv;
			out->alloc = na;
		}
		out->v[out->n++] = cr;
	}
	return 0;
}

/* 1 when a is the better price to use than b (both in force, both fit). */
static int cm_better(const struct cm_row *a, const struct cm_row *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if ((a->band_kind != 0) != (b->band_kind != 0))
		return a->band_kind == 0;
	if (a->regional != b->regional)
		return !a->regional;
	if (a->exact != b->exact)
		return a->exact;
	return a->r->p.nanos < b->r->p.nanos;
}

const struct cm_row *cm_pick(const struct cm_cands *c, int dim, int batch, int64_t day,
			     int64_t prompt_len)
{
	const struct cm_row *best = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct cm_row *r = &c->v[i];

		if (r->dim != dim || r->batch != batch || r->from > day || day >= r->to)
			continue;
		if (!cm_band_contains(r, prompt_len))
			continue;
		if (!best || cm_better(r, best))
			best = r;
	}
	return best;
}

/* ---- pricing ---- */

void costmodel_bill_release(struct costmodel_bill *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n_lines; i++) {
		struct costmodel_line *l = &b->lines[i];

		free(l->provider);
		free(l->model);
		free(l->priced_as);
		free(l->dimension);
		free(l->price_dimension);
		free(l->tier);
		free(l->price_tier);
		free(l->condition);
		free(l->source);
	}
	free(b->lines);
	free(b->label);
	memset(b, 0, sizeof(*b));
}

static int bill_add_line(struct costmodel_bill *b, const struct cm_cands *c, int dim, int batch,
			 const struct cm_row *r, int64_t tokens, unsigned flags)
{
	struct costmodel_line *l;

	if (b->n_lines == b->alloc) {
		size_t na = b->alloc ? 2 * b->alloc : 8;
		struct costmodel_line *nv = realloc(b->lines, na * sizeof(*nv));

		if (!nv)
			return TT_ENOMEM;
		b->lines = nv;
		b->alloc = na;
	}
	l = &b->lines[b->n_lines++];
	memset(l, 0, sizeof(*l));
	l->provider = strdup(c->provider);
	l->model = strdup(c->model);
	l->priced_as = strdup(r->r->p.model ? r->r->p.model : "");
	l->dimension = strdup(cm_dims[dim]);
	l->price_dimension = strdup(cm_dims[r->dim]);
	l->tier = strdup(batch ? "batch" : "standard");
	l->price_tier = strdup(r->batch ? "batch" : "standard");
	l->condition = strdup(r->r->p.condition ? r->r->p.condition : "");
	l->source = strdup(r->r->source ? r->r->source : "");
	memcpy(l->valid_from, r->r->valid_from, sizeof(l->valid_from));
	l->tokens = tokens;
	l->price_nanos = r->r->p.nanos;
	l->cost_nanos = cm_div_half_even((__int128)tokens * r->r->p.nanos, 1000000);
	l->flags = flags | (r->band_kind ? COSTMODEL_BAND : 0);
	b->flags |= l->flags;
	if (!l->provider || !l->model || !l->priced_as || !l->dimension || !l->price_dimension ||
	    !l->tier || !l->price_tier || !l->condition || !l->source)
		return TT_ENOMEM;
	return 0;
}

/* Split total into parts by ppb weights, rounding half to even, the last
 * part taking the remainder so the parts add up to total. */
static void split_tokens(int64_t total, const int64_t *ppb, size_t n, int64_t *out)
{
	int64_t given = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i + 1 == n) {
			out[i] = total - given;
		} else {
			out[i] = cm_div_half_even((__int128)total * ppb[i], PROFILE_PPB);
			given += out[i];
		}
	}
}

int cm_price_day(const struct costmodel *cm, const struct cm_cands *cands, const int64_t *shares,
		 size_t n_models, int64_t day, struct costmodel_bill *out, __int128 *sum_out,
		 struct tt_error *err)
{
	const struct profile *p = cm->p;
	int64_t dim_tokens[4] = { p->tokens_input, p->tokens_cached_input, p->tokens_cache_write,
				  p->tokens_output };
	int64_t total = profile_tokens_total(p), *per_model = NULL;
	__int128 sum = 0;
	size_t m;
	int d, rc = 0;

	if (!n_models)
		return tt_set_error(err, TT_EINVAL, "%s: the profile names no `model` to price",
				    p->origin ? p->origin : "profile");
	if (total <= 0)
		return tt_set_error(err, TT_EINVAL,
				    "%s: the profile has no tokens per month (tokens_input, "
				    "tokens_cached_input, tokens_cache_write, tokens_output)",
				    p->origin ? p->origin : "profile");
	per_model = calloc(n_models, sizeof(*per_model));
	if (!per_model)
		return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	date_format(day, out->date);
	out->tokens = total;
	for (d = 0; d < 4; d++) {
		if (!dim_tokens[d])
			continue;
		split_tokens(dim_tokens[d], shares, n_models, per_model);
		for (m = 0; m < n_models; m++) {
			int64_t tier_tokens[2], bshare[2];
			int batch;

			bshare[0] = PROFILE_PPB - p->batch_share;
			bshare[1] = p->batch_share;
			split_tokens(per_model[m], bshare, 2, tier_tokens);
			for (batch = 0; batch < 2; batch++) {
				const struct cm_row *r;
				unsigned flags = 0;

				if (!tier_tokens[batch])
					continue;
				r = cm_pick(&cands[m], d, batch, day, p->prompt_length);
				if (!r && batch) {
					r = cm_pick(&cands[m], d, 0, day, p->prompt_length);
					flags |= COSTMODEL_BATCH_AS_STANDARD;
				}
				if (!r && (d == 1 || d == 2)) {
					flags |= COSTMODEL_AT_INPUT_PRICE;
					flags &= ~(unsigned)COSTMODEL_BATCH_AS_STANDARD;
					r = cm_pick(&cands[m], 0, batch, day, p->prompt_length);
					if (!r && batch) {
						r = cm_pick(&cands[m], 0, 0, day, p->prompt_length);
						flags |= COSTMODEL_BATCH_AS_STANDARD;
					}
				}
				if (!r) {
					rc = tt_set_error(err, TT_ENOTFOUND,
							  "no %s %s price per 1M tokens for %s/%s on %s%s",
							  cm->currency, cm_dims[d], cands[m].provider,
							  cands[m].model, out->date,
							  p->prompt_length ? " for that prompt_length" : "");
					goto out;
				}
				sum += (__int128)tier_tokens[batch] * r->r->p.nanos;
				rc = bill_add_line(out, &cands[m], d, batch, r, tier_tokens[batch], flags);
				if (rc < 0) {
					rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
					goto out;
				}
			}
		}
	}
	if (sum / 1000000 > INT64_MAX / 2) {
		rc = tt_set_error(err, TT_ERANGE, "cost: the monthly API bill does not fit in 64 bits");
		goto out;
	}
	out->api_nanos = cm_div_half_even(sum, 1000000);
	out->silent_nanos = cm_div_half_even((__int128)out->api_nanos * p->silent_share, PROFILE_PPB);
	if (out->silent_nanos > INT64_MAX / 2) {
		rc = tt_set_error(err, TT_ERANGE, "cost: the silent costs do not fit in 64 bits");
		goto out;
	}
	out->bill_nanos = out->api_nanos + out->silent_nanos;
	out->blend_nanos = cm_div_half_even(sum, total);
	if (sum_out)
		*sum_out = sum;
	if (!out->label) {
		char lb[320];

		if (n_models == 1)
			snprintf(lb, sizeof(lb), "%s/%s", cands[0].provider, cands[0].model);
		else
			snprintf(lb, sizeof(lb), "%zu models", n_models);
		out->label = strdup(lb);
		if (!out->label)
			rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	}
out:
	free(per_model);
	return rc;
}

int cm_models_setup(const struct costmodel *cm, const struct profile_model *models, size_t n,
		    struct cm_cands **cands, int64_t **shares, struct tt_error *err)
{
	size_t i;

	*cands = calloc(n ? n : 1, sizeof(**cands));
	*shares = calloc(n ? n : 1, sizeof(**shares));
	if (!*cands || !*shares)
		return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
	for (i = 0; i < n; i++) {
		if (cm_cands_for(cm, models[i].provider, models[i].model, &(*cands)[i]) < 0)
			return tt_set_error(err, TT_ENOMEM, "cost: out of memory");
		(*shares)[i] = n == 1 ? PROFILE_PPB : models[i].share;
	}
	return 0;
}

void cm_models_free(struct cm_cands *cands, int64_t *shares, size_t n)
{
	size_t i;

	if (cands)
		for (i = 0; i < n; i++)
			cm_cands_release(&cands[i]);
	free(cands);
	free(shares);
}

int costmodel_price(const struct costmodel *cm, const struct profile_model *models,
		    size_t n_models, const char *date, struct costmodel_bill *out,
		    struct tt_error *err)
{
	struct cm_cands *cands = NULL;
	int64_t *shares = NULL, day = cm->as_of_day;
	int rc;

	if (!models) {
		models = cm->p->models;
		n_models = cm->p->n_models;
	}
	if (date && date_parse(date, &day) < 0)
		return tt_set_error(err, TT_EINVAL, "date '%s' is not YYYY-MM-DD", date);
	rc = cm_models_setup(cm, models, n_models, &cands, &shares, err);
	if (rc == 0)
		rc = cm_price_day(cm, cands, shares, n_models, day, out, NULL, err);
	cm_models_free(cands, shares, n_models);
	return rc;
}

/* ---- breakdown ---- */

int costmodel_breakdown(const struct costmodel *cm, struct costmodel_breakdown *out,
			struct tt_error *err)
{
	int64_t eng = cm->engineering_nanos;
	int rc, i;

	memset(out, 0, sizeof(*out));
	rc = costmodel_price(cm, NULL, 0, NULL, &out->bill, err);
	if (rc < 0)
		return rc;
	out->layer_nanos[COSTMODEL_API] = out->bill.api_nanos;
	out->layer_nanos[COSTMODEL_SILENT] = out->bill.silent_nanos;
	out->layer_nanos[COSTMODEL_INFRASTRUCTURE] = cm->infrastructure_nanos;
	out->layer_nanos[COSTMODEL_ENGINEERING] = eng;
	for (i = 0; i < COSTMODEL_N_LAYERS; i++) {
		if (out->layer_nanos[i] > INT64_MAX / 8)
			return tt_set_error(err, TT_ERANGE, "cost: the %s layer is too large",
					    costmodel_layer_name((enum costmodel_layer)i));
		out->total_nanos += out->layer_nanos[i];
	}
	for (i = 0; i < COSTMODEL_N_LAYERS; i++)
		out->layer_share_ppb[i] =
			out->total_nanos ? cm_div_half_even((__int128)out->layer_nanos[i] * PROFILE_PPB,
							    out->total_nanos)
					 : 0;
	out->threshold_ppb = cm->p->threshold_share;
	out->threshold_nanos = cm_div_half_even((__int128)eng * out->threshold_ppb, PROFILE_PPB);
	out->bill_engineering_ppb =
		eng > 0 ? cm_div_half_even((__int128)out->bill.bill_nanos * PROFILE_PPB, eng) : -1;
	out->below = (__int128)out->bill.bill_nanos * PROFILE_PPB <=
		     (__int128)out->threshold_ppb * eng;
	return 0;
}

void costmodel_breakdown_release(struct costmodel_breakdown *b)
{
	if (!b)
		return;
	costmodel_bill_release(&b->bill);
	memset(b, 0, sizeof(*b));
}

/* ---- change dates ---- */

static int day_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int cm_change_days(const struct cm_cands *cands, size_t n, int64_t until, int64_t **out,
		   size_t *n_out)
{
	size_t i, j, k = 0, cap = 1;
	int64_t *d;

	for (i = 0; i < n; i++)
		cap += 2 * cands[i].n;
	d = malloc(cap * sizeof(*d));
	if (!d)
		return TT_ENOMEM;
	for (i = 0; i < n; i++)
		for (j = 0; j < cands[i].n; j++) {
			if (cands[i].v[j].from <= until)
				d[k++] = cands[i].v[j].from;
			if (cands[i].v[j].to != INT64_MAX && cands[i].v[j].to <= until)
				d[k++] = cands[i].v[j].to;
		}
	if (k)
		qsort(d, k, sizeof(*d), day_cmp);
	for (i = 0, j = 0; i < k; i++)
		if (!j || d[j - 1] != d[i])
			d[j++] = d[i];
	*out = d;
	*n_out = j;
	return 0;
}

static int history_push(struct costmodel_history *h, struct costmodel_bill *b)
{
	if (h->n == h->alloc) {
		size_t na = h->alloc ? 2 * h->alloc : 16;
		struct costmodel_bill *nv = realloc(h->v, na * sizeof(*nv));

		if (!nv)
			return TT_ENOMEM;
		h->v = nv;
		h->alloc = na;
	}
	h->v[h->n++] = *b;
	memset(b, 0, sizeof(*b));
	return 0;
}

int costmodel_history(const struct costmodel *cm, struct costmodel_history *out,
		      struct tt_error *err)
{
	const struct profile *p = cm->p;
	struct cm_cands *cands = NULL;
	int64_t *shares = NULL, *days = NULL;
	size_t i, nd = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cm_models_setup(cm, p->models, p->n_models, &cands, &shares, err);
	if (rc < 0)
		goto out;
	if (cm_change_days(cands, p->n_models, cm->as_of_day, &days, &nd) < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
		goto out;
	}
	for (i = 0; i < nd; i++) {
		struct costmodel_bill b;
		struct tt_error e2 = { 0 };

		memset(&b, 0, sizeof(b));
		rc = cm_price_day(cm, cands, shares, p->n_models, days[i], &b, NULL, &e2);
		if (rc == TT_ENOTFOUND) {
			if (!out->n_unpriced++)
				date_format(days[i], out->first_unpriced);
			costmodel_bill_release(&b);
			continue;
		}
		if (rc < 0) {
			if (err)
				*err = e2;
			costmodel_bill_release(&b);
			goto out;
		}
		/* a boundary that changes nothing (another source, a re-observation) is not a change */
		if (out->n && out->v[out->n - 1].api_nanos == b.api_nanos) {
			costmodel_bill_release(&b);
			continue;
		}
		if (history_push(out, &b) < 0) {
			costmodel_bill_release(&b);
			rc = tt_set_error(err, TT_ENOMEM, "cost: out of memory");
			goto out;
		}
	}
	rc = 0;
	if (!out->n)
		rc = tt_set_error(err, TT_ENOTFOUND,
				  "the profile's models were never fully priced up to %s "
				  "(every dimension with tokens needs a price)", cm->as_of);
out:
	free(days);
	cm_models_free(cands, shares, p->n_models);
	return rc;
}

void costmodel_history_release(struct costmodel_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		costmodel_bill_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* ---- specs: PROVIDER/MODEL, catalog id or group ---- */

void cm_specs_release(struct cm_specs *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].provider);
		free(s->v[i].model);
		free(s->canonical[i]);
	}
	free(s->v);
	free(s->canonical);
	memset(s, 0, sizeof(*s));
}

static int specs_add(struct cm_specs *s, const char *provider, const char *model,
		     const char *canonical)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].provider, provider) && !strcmp(s->v[i].model, model))
			return 0; /* listed twice: priced once */
	if (s->n == s->alloc) {
		size_t na = s->alloc ? 2 * s->alloc : 8;
		struct profile_model *nv = realloc(s->v, na * sizeof(*nv));
		char **nc;

		if (!nv)
			return TT_ENOMEM;
		s->v = nv;
		nc = realloc(s->canonical, na * sizeof(*nc));
		if (!nc)
			return TT_ENOMEM;
		s->canonical = nc;
		s->alloc = na;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].provider = strdup(provider);
	s->v[s->n].model = strdup(model);
	s->v[s->n].share = PROFILE_PPB;
	s->canonical[s->n] = strdup(canonical ? canonical : model);
	s->n++;
	if (!s->v[s->n - 1].provider || !s->v[s->n - 1].model || !s->canonical[s->n - 1])
		return TT_ENOMEM;
	return 0;
}

/* A catalog id at its maker. */
static int specs_add_id(const struct costmodel *cm, struct cm_specs *s, const char *id,
			struct tt_error *err)
{
	const char *vendor = models_vendor(cm->cat, id);

	if (!vendor)
		return tt_set_error(err, TT_EINVAL, "catalog model '%s' has no seller", id);
	return specs_add(s, vendor, id, id) < 0 ? tt_set_error(err, TT_ENOMEM, "out of memory") : 0;
}

int cm_specs_resolve(const struct costmodel *cm, const char *const *specs, size_t n,
		     struct cm_specs *out, struct tt_error *err)
{
	const struct profile *p = cm->p;
	size_t i, j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!specs) {
		for (i = 0; i < p->n_models && rc == 0; i++)
			rc = specs_add(out, p->models[i].provider, p->models[i].model,
				       cm->cat ? models_canonical(cm->cat, p->models[i].provider,
								   p->models[i].model)
					       : NULL);
		for (i = 0; i < p->n_compare && rc == 0; i++)
			rc = specs_add(out, p->compare[i].provider, p->compare[i].model,
				       cm->cat ? models_canonical(cm->cat, p->compare[i].provider,
								   p->compare[i].model)
					       : NULL);
		if (rc < 0)
			return tt_set_error(err, TT_ENOMEM, "out of memory");
		if (!out->n)
			return tt_set_error(err, TT_EINVAL,
					    "no model to price: the profile names no `model` or `compare`");
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *sp = specs[i], *slash = strchr(sp, '/');
		const struct models_group *g;

		if (!sp[0])
			continue;
		if (slash) {
			char prov[128];
			size_t pl = (size_t)(slash - sp);

			if (!pl || pl >= sizeof(prov) || !slash[1])
				return tt_set_error(err, TT_EINVAL,
						    "'%s' is not PROVIDER/MODEL, a catalog model or a group", sp);
			memcpy(prov, sp, pl);
			prov[pl] = '\0';
			rc = specs_add(out, prov, slash + 1,
				       cm->cat ? models_canonical(cm->cat, prov, slash + 1) : NULL);
			if (rc < 0)
				return tt_set_error(err, TT_ENOMEM, "out of memory");
			continue;
		}
		if (!cm->cat)
			return tt_set_error(err, TT_EINVAL,
					    "'%s': write PROVIDER/MODEL (no model catalog loaded)", sp);
		g = models_group_find(cm->cat, sp);
		if (g) {
			for (j = 0; j < g->n_members; j++) {
				rc = specs_add_id(cm, out, g->members[j], err);
				if (rc < 0)
					return rc;
			}
			continue;
		}
		{
			struct tt_error e2 = { 0 };
			const char *id = models_find(cm->cat, sp) ? sp : models_resolve(cm->cat, sp, &e2);

			if (!id)
				return tt_set_error(err, TT_EINVAL,
						    "'%s' is not PROVIDER/MODEL, a catalog model or a group%s%s",
						    sp, e2.msg[0] ? ": " : "", e2.msg);
			rc = specs_add_id(cm, out, id, err);
			if (rc < 0)
				return rc;
		}
	}
	if (!out->n)
		return tt_set_error(err, TT_EINVAL, "no model to price");
	return 0;
}

/* ---- side by side ---- */

void costmodel_compare_release(struct costmodel_compare *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		costmodel_bill_release(&c->v[i].bill);
		free(c->v[i].canonical);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int costmodel_compare(const struct costmodel *cm, const char *const *specs, size_t n,
		      struct costmodel_compare *out, struct tt_error *err)
{
	struct cm_specs sp;
	size_t i;
	int rc;
	int64_t others = cm->infrastructure_nanos + cm->engineering_nanos;

	memset(out, 0, sizeof(*out));
	rc = cm_specs_resolve(cm, specs, n, &sp, err);
	if (rc < 0)
		goto out;
	out->v = calloc(sp.n, sizeof(*out->v));
	if (!out->v) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	out->alloc = sp.n;
	for (i = 0; i < sp.n; i++) {
		struct costmodel_compare_row *r = &out->v[out->n++];
		struct tt_error e2 = { 0 };

		r->canonical = strdup(sp.canonical[i]);
		if (!r->canonical) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		rc = costmodel_price(cm, &sp.v[i], 1, NULL, &r->bill, &e2);
		if (rc == TT_ENOTFOUND) {
			snprintf(r->reason, sizeof(r->reason), "%s", e2.msg);
			costmodel_bill_release(&r->bill);
			r->bill.label = NULL;
			{
				char lb[320];

				snprintf(lb, sizeof(lb), "%s/%s", sp.v[i].provider, sp.v[i].model);
				r->bill.label = strdup(lb);
			}
			continue;
		}
		if (rc < 0) {
			if (err)
				*err = e2;
			goto out;
		}
		r->priced = 1;
		r->system_nanos = r->bill.bill_nanos + others;
		if (!out->n_priced || r->bill.bill_nanos < out->v[out->cheapest].bill.bill_nanos)
			out->cheapest = i;
		out->n_priced++;
	}
	if (!out->n_priced) {
		rc = tt_set_error(err, TT_ENOTFOUND, "none of the models has prices on %s: %s",
				  cm->as_of, out->n ? out->v[0].reason : "");
		goto out;
	}
	for (i = 0; i < out->n; i++) {
		struct costmodel_compare_row *r = &out->v[i];
		const struct costmodel_compare_row *c = &out->v[out->cheapest];

		if (!r->priced)
			continue;
		r->cost_ratio = c->bill.bill_nanos > 0
					? (double)r->bill.bill_nanos / (double)c->bill.bill_nanos
					: 1.0;
		r->quality_ratio_needed = r->cost_ratio;
		r->system_ratio = c->system_nanos > 0
					  ? (double)r->system_nanos / (double)c->system_nanos
					  : 1.0;
	}
	rc = 0;
out:
	cm_specs_release(&sp);
	return rc;
}

/* ---- guard rails ---- */

void costmodel_guard_release(struct costmodel_guard *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++)
		free(g->v[i].label);
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int costmodel_guard(const struct costmodel *cm, int64_t budget_nanos, int per_month,
		    const char *const *specs, size_t n, struct costmodel_guard *out,
		    struct tt_error *err)
{
	const struct profile *p = cm->p;
	int64_t dim_tokens[4] = { p->tokens_input, p->tokens_cached_input, p->tokens_cache_write,
				  p->tokens_output };
	int64_t total = profile_tokens_total(p);
	struct cm_specs sp;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&sp, 0, sizeof(sp));
	out->budget_nanos = budget_nanos;
	out->per_month = per_month;
	if (budget_nanos <= 0)
		return tt_set_error(err, TT_EINVAL, "the budget must be a positive amount");
	rc = cm_specs_resolve(cm, specs, n, &sp, err);
	if (rc < 0)
		goto out;
	out->v = calloc(sp.n, sizeof(*out->v));
	if (!out->v) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	out->alloc = sp.n;
	for (i = 0; i < sp.n; i++) {
		struct costmodel_guard_row *g = &out->v[out->n++];
		struct costmodel_bill b;
		struct cm_cands c;
		int64_t one = PROFILE_PPB;
		struct tt_error e2 = { 0 };
		__int128 sum = 0, num;
		char lb[320];

		snprintf(lb, sizeof(lb), "%s/%s", sp.v[i].provider, sp.v[i].model);
		g->label = strdup(lb);
		if (!g->label) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		memset(&b, 0, sizeof(b));
		if (cm_cands_for(cm, sp.v[i].provider, sp.v[i].model, &c) < 0) {
			cm_cands_release(&c);
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		rc = cm_price_day(cm, &c, &one, 1, cm->as_of_day, &b, &sum, &e2);
		cm_cands_release(&c);
		costmodel_bill_release(&b);
		if (rc == TT_ENOTFOUND) {
			snprintf(g->reason, sizeof(g->reason), "%s", e2.msg);
			continue;
		}
		if (rc < 0) {
			if (err)
				*err = e2;
			goto out;
		}
		if (sum <= 0) {
			snprintf(g->reason, sizeof(g->reason), "the mix costs nothing on this model");
			continue;
		}
		g->priced = 1;
		g->cost_per_mtok_nanos = cm_div_half_even(sum, total);
		/* N = floor(budget x 1e6 x T / sum): the largest whole token count whose
		 * cost at the mix's prices stays within the budget */
		if (__builtin_mul_overflow((__int128)budget_nanos, (__int128)1000000 * total, &num)) {
			rc = tt_set_error(err, TT_ERANGE, "guard: the budget is too large to divide");
			goto out;
		}
		num /= sum;
		g->max_tokens = num > INT64_MAX ? INT64_MAX : (int64_t)num;
		{
			int64_t sum_parts = 0;
			int d;

			/* split by the mix, each dimension's share rounded down, so
			 * that no dimension's part costs more than its share of the
			 * budget: the parts add up to at most N */
			for (d = 0; d < 4; d++) {
				g->max_by_dim[d] = (int64_t)((__int128)g->max_tokens * dim_tokens[d] / total);
				sum_parts += g->max_by_dim[d];
			}
			g->max_tokens = sum_parts;
		}
		g->months_volume_ratio = (double)g->max_tokens / (double)total;
	}
	rc = 0;
out:
	cm_specs_release(&sp);
	return rc;
}
