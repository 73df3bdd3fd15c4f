/*
 * validate.c - bounds on single prices and fail-closed expectations on a
 * source's whole extraction (see validate.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/validate.h"
#include "tokentrend/money.h"

void validate_report_init(struct validate_report *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->notes, 0);
}

void validate_report_release(struct validate_report *r)
{
	if (!r)
		return;
	buf_release(&r->notes);
	price_list_release(&r->refused);
	price_list_release(&r->flagged);
	free(r->flagged_prev);
	r->flagged_prev = NULL;
}

int validate_is_jump(int64_t nanos, int64_t prev)
{
	if (nanos <= 0 || prev <= 0)
		return 0;
	/* nanos > F * prev without overflow: prices are far below INT64_MAX / F. */
	if (nanos / VALIDATE_JUMP_FACTOR > prev || (nanos / VALIDATE_JUMP_FACTOR == prev &&
						    nanos % VALIDATE_JUMP_FACTOR))
		return 1;
	if (prev / VALIDATE_JUMP_FACTOR > nanos || (prev / VALIDATE_JUMP_FACTOR == nanos &&
						    prev % VALIDATE_JUMP_FACTOR))
		return 1;
	return 0;
}

static int cmp_price_ptr(const void *a, const void *b)
{
	return price_key_cmp(*(const struct price *const *)a, *(const struct price *const *)b);
}

/* The price in sorted (by key) ps equal to p but with dimension/tier replaced. */
static const struct price *find_sibling(const struct price **ps, size_t n, const struct price *p,
					const char *dimension, const char *tier)
{
	struct price k = *p;
	const struct price *kp = &k, *const *hit;

	k.dimension = (char *)dimension;
	k.tier = (char *)tier;
	hit = bsearch(&kp, ps, n, sizeof(*ps), cmp_price_ptr);
	return hit ? *hit : NULL;
}

static void add_break(struct buf *why, const struct price *p, const char *what, const struct price *q,
		      const char *than)
{
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];

	if (!why)
		return;
	buf_addf(why, "%s %s %s%s%s: %s %s is above %s %s\n", p->provider, p->model, p->tier,
		 *p->condition ? " " : "", p->condition, what, money_format(p->nanos, a, sizeof(a)),
		 than, money_format(q->nanos, b, sizeof(b)));
}

int validate_relations(const struct price_list *prices, struct buf *why)
{
	const struct price **ps = NULL;
	size_t i, n = prices ? prices->n : 0;
	int breaks = 0;

	if (n == 0)
		return 0;
	ps = malloc(n * sizeof(*ps));
	if (!ps)
		return TT_ENOMEM;
	for (i = 0; i < n; i++)
		ps[i] = &prices->v[i];
	qsort(ps, n, sizeof(*ps), cmp_price_ptr);
	for (i = 0; i < n; i++) {
		const struct price *p = ps[i], *q;
		if (!strcmp(p->dimension, "cache_read") &&
		    (q = find_sibling(ps, n, p, "input", p->tier)) && p->nanos > q->nanos) {
			add_break(why, p, "cache_read", q, "input");
			breaks++;
		}
		if (!strcmp(p->tier, "batch") && (q = find_sibling(ps, n, p, p->dimension, "standard")) &&
		    p->nanos > q->nanos) {
			char what[64];
			snprintf(what, sizeof(what), "batch %s", p->dimension);
			add_break(why, p, what, q, "standard");
			breaks++;
		}
	}
	free(ps);
	return breaks;
}

/* Move the prices that jumped against the stored value into rep->flagged. */
static int split_jumps(struct price_list *prices, struct validate_report *rep, struct tt_error *err)
{
	size_t i, o = 0;

	for (i = 0; i < prices->n; i++) {
		struct price *p = &prices->v[i];
		int64_t prev = 0;
		int r = rep->prev(rep->prev_ctx, p, &prev);

		if (r < 0)
			return tt_set_error(err, r, "cannot read the stored value of %s %s", p->model,
					    p->dimension);
		if (r == 1 && validate_is_jump(p->nanos, prev)) {
			size_t k = rep->flagged.n;
			int64_t *np = realloc(rep->flagged_prev, (k + 1) * sizeof(*np));
			if (!np)
				return tt_set_error(err, TT_ENOMEM, "out of memory");
			rep->flagged_prev = np;
			/* Ownership of the strings moves with the struct. */
			if (price_list_take(&rep->flagged, p) < 0)
				return tt_set_error(err, TT_ENOMEM, "out of memory");
			np[k] = prev;
			continue;
		}
		prices->v[o++] = *p;
	}
	prices->n = o;
	return 0;
}

/* Largest plausible token price per 1M tokens, in units of its currency. */
static int64_t max_per_mtok(const char *currency)
{
	if (!strcmp(currency, "CNY"))
		return 10000 * MONEY_NANO; /* about 7x the USD bound */
	return MONEY_MAX_PER_MTOK;
}

int validate_price_bounds(const struct price *p, struct tt_error *err)
{
	char v[MONEY_FMT_MAX], lim[MONEY_FMT_MAX];

	if (p->nanos < 0)
		return tt_set_error(err, TT_EVALIDATE, "negative price %s %s per %s",
				    money_format(p->nanos, v, sizeof(v)), p->currency, p->unit);
	if (!strcmp(p->unit, PRICE_UNIT_MTOK) && p->nanos > max_per_mtok(p->currency))
		return tt_set_error(err, TT_EVALIDATE, "implausible: %s %s per 1M tokens (> %s)",
				    money_format(p->nanos, v, sizeof(v)), p->currency,
				    money_format(max_per_mtok(p->currency), lim, sizeof(lim)));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int validate_prices(const struct source_def *src, struct price_list *prices,
		    struct validate_report *rep, struct tt_error *err)
{
	const char **models = NULL;
	size_t i, o = 0, nm = 0;
	int rc = 0;

	for (i = 0; i < prices->n; i++) {
		struct price *p = &prices->v[i];
		struct tt_error e = { 0 };
		if (validate_price_bounds(p, &e) < 0) {
			int64_t prev = 0;
			buf_addf(&rep->notes, "%s %s %s%s%s: %s", p->model, p->dimension, p->tier,
				 *p->condition ? " " : "", p->condition, e.msg);
			if (rep->prev && rep->prev(rep->prev_ctx, p, &prev) == 1 && prev > 0) {
				char pv[MONEY_FMT_MAX];
				/* A ratio for people to read, not money: a double is fine here. */
				buf_addf(&rep->notes, " / %.0f\xc3\x97 previous value %s", (double)p->nanos / (double)prev,
					 money_format(prev, pv, sizeof(pv)));
			}
			buf_adds(&rep->notes, " (not stored)\n");
			rep->rejected++;
			/* Kept for the caller: the key was on the page all the same. */
			if (price_list_take(&rep->refused, p) < 0) {
				price_release(p);
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			}
			continue;
		}
		prices->v[o++] = *p;
	}
	prices->n = o;
	rep->kept = o;
	if (rc < 0)
		goto out;

	if (o == 0) {
		rc = tt_set_error(err, TT_EVALIDATE, "%s: no prices found", src ? src->id : "source");
		goto out;
	}
	models = malloc(o * sizeof(*models));
	if (!models) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < o; i++)
		models[i] = prices->v[i].model;
	qsort(models, o, sizeof(*models), cmp_str);
	for (i = 0; i < o; i++)
		if (i == 0 || strcmp(models[i], models[i - 1]))
			models[nm++] = models[i];
	rep->models = nm;
	if (!src)
		goto out;
	if (nm < src->min_models) {
		rc = tt_set_error(err, TT_EVALIDATE,
				  "%s: only %zu models found, expected at least %zu; nothing stored",
				  src->id, nm, src->min_models);
		goto out;
	}
	for (i = 0; src->anchors && src->anchors[i]; i++) {
		if (!bsearch(&src->anchors[i], models, nm, sizeof(*models), cmp_str)) {
			rc = tt_set_error(err, TT_EVALIDATE,
					  "%s: anchor model '%s' is missing from the page; nothing stored",
					  src->id, src->anchors[i]);
			goto out;
		}
	}
	/* A source whose floor is a single model publishes one-model pages
	 * (xAI's per-model pages) beside its full table; its extractor holds
	 * the table to its own floor, so the half rule would only refuse the
	 * one-model pages. */
	if (src->min_models > 1 && rep->last_good_models && nm * 2 < rep->last_good_models) {
		rc = tt_set_error(err, TT_EVALIDATE,
				  "%s: only %zu models found, fewer than half of the %zu in the last good run "
				  "(%s); nothing stored", src->id, nm, rep->last_good_models,
				  rep->last_good_date[0] ? rep->last_good_date : "earlier");
		goto out;
	}
	{
		struct buf why = BUF_INIT;
		int nb = validate_relations(prices, &why);
		if (nb > 0) {
			char *nl;
			buf_add(&rep->notes, why.buf, why.len); /* every break, one per line */
			nl = strchr(why.buf, '\n');
			if (nl)
				*nl = '\0';
			rep->relation_breaks = (size_t)nb;
			rc = tt_set_error(err, TT_EVALIDATE, "%s: %d %s a relation (%s%s); nothing stored",
					  src->id, nb, nb == 1 ? "value breaks" : "values break", why.buf,
					  nb > 1 ? "; ..." : "");
		} else if (nb < 0) {
			rc = tt_set_error(err, nb, "out of memory");
		}
		buf_release(&why);
		if (rc < 0)
			goto out;
	}
	if (rep->prev)
		rc = split_jumps(prices, rep, err);
out:
	free(models);
	return rc;
}
