/*
 * tt_extract_test.h - checks shared by the HTML extractor tests
 * (test_extract_openai_2023, _anthropic_docs, _gemini, _vertex): exact
 * row tables, spot values, page edits for fail-closed cases, and the
 * source's validation floor.  Header-only; include after tt_test.h.
 */
#ifndef TT_EXTRACT_TEST_H
#define TT_EXTRACT_TEST_H

#include "tokentrend/catalog.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tokentrend/validate.h"

/* One expected price, in extraction order. */
struct xrow {
	const char *model, *dimension, *tier, *condition, *region, *unit, *price, *effective;
};

/* A value read off the page by hand. */
struct xspot {
	const char *model, *dimension, *tier, *condition, *region, *unit, *price;
};

static char *xt_load(const char *path, size_t *len)
{
	char *b = tt_read_file(path, len);

	if (!b)
		fail_msg("cannot read %s", path);
	return b;
}

static void xt_check_rows(const struct price_list *l, const struct xrow *rows, size_t n,
			  const char *provider)
{
	char got[MONEY_FMT_MAX];
	size_t i;

	if (l->n != n)
		fail_msg("%zu prices, expected %zu", l->n, n);
	for (i = 0; i < n; i++) {
		const struct price *p = &l->v[i];
		const struct xrow *w = &rows[i];
		money_format(p->nanos, got, sizeof(got));
		if (strcmp(p->model, w->model) || strcmp(p->dimension, w->dimension) ||
		    strcmp(p->tier, w->tier) || strcmp(p->condition, w->condition) ||
		    strcmp(p->region, w->region) || strcmp(p->unit, w->unit) || strcmp(got, w->price) ||
		    (w->effective ? !p->effective || strcmp(p->effective, w->effective)
				  : p->effective != NULL))
			fail_msg("row %zu: %s %s %s '%s' '%s' %s %s eff %s, expected %s %s %s '%s' '%s' %s "
				 "%s eff %s", i, p->model, p->dimension, p->tier, p->condition, p->region,
				 p->unit, got, p->effective ? p->effective : "-", w->model, w->dimension,
				 w->tier, w->condition, w->region, w->unit, w->price,
				 w->effective ? w->effective : "-");
		assert_string_equal(p->provider, provider);
		assert_string_equal(p->currency, "USD");
		assert_non_null(p->text);
	}
}

static void xt_check_spots(const struct price_list *l, const struct xspot *s, size_t n)
{
	char got[MONEY_FMT_MAX];
	size_t i, k;

	for (k = 0; k < n; k++) {
		const struct price *p = NULL;
		for (i = 0; i < l->n && !p; i++)
			if (!strcmp(l->v[i].model, s[k].model) && !strcmp(l->v[i].dimension, s[k].dimension) &&
			    !strcmp(l->v[i].tier, s[k].tier) && !strcmp(l->v[i].condition, s[k].condition) &&
			    !strcmp(l->v[i].region, s[k].region))
				p = &l->v[i];
		if (!p)
			fail_msg("spot %s %s %s '%s' '%s' missing", s[k].model, s[k].dimension, s[k].tier,
				 s[k].condition, s[k].region);
		money_format(p->nanos, got, sizeof(got));
		if (strcmp(got, s[k].price) || strcmp(p->unit, s[k].unit))
			fail_msg("spot %s %s %s '%s' '%s' = %s per %s, expected %s per %s", s[k].model,
				 s[k].dimension, s[k].tier, s[k].condition, s[k].region, got, p->unit,
				 s[k].price, s[k].unit);
	}
}

/* Distinct models in a list. */
static size_t xt_models(const struct price_list *l)
{
	size_t i, j, n = 0;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(l->v[i].model, l->v[j].model))
				break;
		n += j == i;
	}
	return n;
}

/* Replace the first (or every) `from` in body by `to`; the caller frees. */
static char *xt_edit(const char *body, const char *from, const char *to, int all)
{
	size_t n = strlen(body) * 2 + strlen(to) + 1, o = 0;
	const char *q = body, *p;
	char *out = malloc(n);

	assert_non_null(out);
	if (!strstr(body, from))
		fail_msg("edit: '%s' not in the page", from);
	while ((p = strstr(q, from))) {
		o += (size_t)snprintf(out + o, n - o, "%.*s%s", (int)(p - q), q, to);
		q = p + strlen(from);
		if (!all)
			break;
	}
	snprintf(out + o, n - o, "%s", q);
	return out;
}

/*
 * Models gone: keep the prices of the first `keep` models (in order of
 * first appearance) and run the source's validation, which must fail
 * closed naming the floor or an anchor.  Also: the full list passes.
 */
static void xt_fewer_models_fail(const char *source, struct price_list *l, size_t keep)
{
	const struct source_def *src = catalog_find(source);
	struct validate_report rep;
	struct tt_error err = { 0 };
	struct price_list half = PRICE_LIST_INIT;
	const char *seen[512];
	size_t i, j, nseen = 0;

	assert_non_null(src);
	for (i = 0; i < l->n; i++) {
		size_t idx = nseen;
		for (j = 0; j < nseen; j++)
			if (!strcmp(seen[j], l->v[i].model))
				idx = j;
		if (idx == nseen && nseen < 512)
			seen[nseen++] = l->v[i].model;
		if (idx < keep)
			assert_int_equal(price_list_add(&half, &l->v[i]), 0);
	}
	validate_report_init(&rep);
	if (validate_prices(src, l, &rep, &err) != 0)
		fail_msg("%s: the full extraction fails validation: %s", source, err.msg);
	validate_report_release(&rep);
	validate_report_init(&rep);
	if (validate_prices(src, &half, &rep, &err) != TT_EVALIDATE)
		fail_msg("%s: %zu of %zu models passed validation", source, rep.models, nseen);
	if (!strstr(err.msg, "models found") && !strstr(err.msg, "anchor model"))
		fail_msg("%s: reason '%s' names neither the floor nor an anchor", source, err.msg);
	validate_report_release(&rep);
	price_list_release(&half);
}

#endif /* TT_EXTRACT_TEST_H */
