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
	if (r)
		buf_release(&r->notes);
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
			price_release(p);
			continue;
		}
		prices->v[o++] = *p;
	}
	prices->n = o;
	rep->kept = o;

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
out:
	free(models);
	return rc;
}
