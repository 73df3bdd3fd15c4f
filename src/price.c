/*
 * price.c - the observed-price record and its list.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/price.h"
#include "tokentrend/err.h"

static int dup_or(char **dst, const char *src, const char *dflt)
{
	const char *s = src ? src : dflt;

	*dst = NULL;
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : TT_ENOMEM;
}

void price_release(struct price *p)
{
	if (!p)
		return;
	FREE_AND_NULL(p->provider);
	FREE_AND_NULL(p->model);
	FREE_AND_NULL(p->dimension);
	FREE_AND_NULL(p->tier);
	FREE_AND_NULL(p->condition);
	FREE_AND_NULL(p->region);
	FREE_AND_NULL(p->unit);
	FREE_AND_NULL(p->currency);
	FREE_AND_NULL(p->text);
	FREE_AND_NULL(p->note);
	FREE_AND_NULL(p->effective);
	FREE_AND_NULL(p->origin);
	FREE_AND_NULL(p->observed);
}

/* Room for one more item.  0 or TT_ENOMEM. */
static int list_grow(struct price_list *l)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 32;
		struct price *nv = realloc(l->v, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		l->v = nv;
		l->alloc = na;
	}
	return 0;
}

int price_list_take(struct price_list *l, const struct price *p)
{
	if (list_grow(l) < 0)
		return TT_ENOMEM;
	l->v[l->n++] = *p;
	return 0;
}

int price_list_add(struct price_list *l, const struct price *p)
{
	struct price q;

	if (list_grow(l) < 0)
		return TT_ENOMEM;
	memset(&q, 0, sizeof(q));
	q.nanos = p->nanos;
	if (dup_or(&q.provider, p->provider, "") || dup_or(&q.model, p->model, "") ||
	    dup_or(&q.dimension, p->dimension, "input") || dup_or(&q.tier, p->tier, "standard") ||
	    dup_or(&q.condition, p->condition, "") || dup_or(&q.region, p->region, "") ||
	    dup_or(&q.unit, p->unit, PRICE_UNIT_MTOK) || dup_or(&q.currency, p->currency, "USD") ||
	    dup_or(&q.text, p->text, "") || dup_or(&q.note, p->note, NULL) ||
	    dup_or(&q.effective, p->effective, NULL) || dup_or(&q.origin, p->origin, NULL) ||
	    dup_or(&q.observed, p->observed, NULL)) {
		price_release(&q);
		return TT_ENOMEM;
	}
	l->v[l->n++] = q;
	return 0;
}

void price_list_release(struct price_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		price_release(&l->v[i]);
	FREE_AND_NULL(l->v);
	l->n = 0;
	l->alloc = 0;
}

int price_key_cmp(const void *a, const void *b)
{
	const struct price *x = a, *y = b;
	int c;

	if ((c = strcmp(x->provider, y->provider)))
		return c;
	if ((c = strcmp(x->model, y->model)))
		return c;
	if ((c = strcmp(x->dimension, y->dimension)))
		return c;
	if ((c = strcmp(x->tier, y->tier)))
		return c;
	if ((c = strcmp(x->condition, y->condition)))
		return c;
	if ((c = strcmp(x->region, y->region)))
		return c;
	if ((c = strcmp(x->unit, y->unit)))
		return c;
	return strcmp(x->currency, y->currency);
}
