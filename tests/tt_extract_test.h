/*
 * tt_extract_test.h - table-driven checks shared by the extractor tests:
 * run an extractor on a file or a text, compare every row with an expected
 * table, look up spot values read by hand off a page, edit a body to make a
 * fail-closed case and run a table of them, and check the source's
 * validation floor.  Header-only; include after tt_test.h.
 *
 * Two row shapes, for two kinds of page:
 *   struct xrow       standard tier and no region (one price list per
 *                     page: deepseek, groq, mistral, xai, zai); any
 *                     currency, and the note when it matters;
 *   struct xrow_full  the whole key (tiers and regions: gemini, vertex,
 *                     anthropic docs, openai 2023), USD, and the effective
 *                     date; struct xspot is its spot value.
 */
#ifndef TT_EXTRACT_TEST_H
#define TT_EXTRACT_TEST_H

#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tokentrend/price.h"
#include "tokentrend/validate.h"

/* The observation date and origin of xt_run_file() and xt_run_text(). */
#define XT_DATE "2026-08-18"

/* One expected price: the key fields that vary, the exact decimal, and
 * (optional, NULL = not checked) the note. */
struct xrow {
	const char *model, *dimension, *condition, *price, *currency, *unit;
	const char *note;
};

/* One expected price with its whole key, in extraction order. */
struct xrow_full {
	const char *model, *dimension, *tier, *condition, *region, *unit, *price, *effective;
};

/* A value read off the page by hand (whole key). */
struct xspot {
	const char *model, *dimension, *tier, *condition, *region, *unit, *price;
};

/* A fail-closed case: edit the body (the first, or every, from -> to),
 * expect rc == code with msg in the error, and nothing left in the list. */
struct xfail {
	const char *name, *from, *to;
	int all;
	int code;
	const char *msg;
};

/* The file at path, read whole (*len its length); fails the test when unreadable. */
static inline char *xt_load(const char *path, size_t *len)
{
	char *b;

	*len = 0;
	b = tt_read_file(path, len);
	if (!b)
		fail_msg("cannot read %s", path);
	return b;
}

/* Run fn on the file at path; returns its rc, fills l and err. */
static inline int xt_run_file(extract_fn fn, const char *source, const char *path,
			      struct price_list *l, struct extract_skips *skips, struct tt_error *err)
{
	struct extract_ctx ctx = { source, XT_DATE, path, skips };
	size_t len = 0;
	char *body = xt_load(path, &len);
	int rc = fn(body, len, &ctx, l, err);

	free(body);
	return rc;
}

static inline int xt_run_text(extract_fn fn, const char *source, const char *body,
			      struct price_list *l, struct tt_error *err)
{
	struct extract_ctx ctx = { source, XT_DATE, "test input", NULL };

	return fn(body, strlen(body), &ctx, l, err);
}

static inline int xt_same(const struct price *p, const struct xrow *w)
{
	char got[MONEY_FMT_MAX];

	money_format(p->nanos, got, sizeof(got));
	return !strcmp(p->model, w->model) && !strcmp(p->dimension, w->dimension) &&
	       !strcmp(p->condition, w->condition) && !strcmp(got, w->price) &&
	       !strcmp(p->currency, w->currency) && !strcmp(p->unit, w->unit) &&
	       (!w->note || (p->note ? !strcmp(p->note, w->note) : !*w->note));
}

/* Every row of l, in order, equals rows[0..n), and the provider is provider. */
static inline void xt_check_rows(const struct price_list *l, const char *provider,
				 const struct xrow *rows, size_t n)
{
	size_t i;

	if (l->n != n)
		fail_msg("%zu prices, expected %zu", l->n, n);
	for (i = 0; i < n; i++) {
		const struct price *p = &l->v[i];
		char got[MONEY_FMT_MAX];
		if (!xt_same(p, &rows[i])) {
			money_format(p->nanos, got, sizeof(got));
			fail_msg("row %zu: %s %s '%s' %s %s/%s note '%s'; expected %s %s '%s' %s %s/%s note '%s'",
				 i, p->model, p->dimension, p->condition, got, p->currency, p->unit,
				 p->note ? p->note : "", rows[i].model, rows[i].dimension, rows[i].condition,
				 rows[i].price, rows[i].currency, rows[i].unit,
				 rows[i].note ? rows[i].note : "(any)");
		}
		assert_string_equal(p->provider, provider);
		assert_string_equal(p->tier, "standard");
		assert_string_equal(p->region, "");
		assert_non_null(p->text);
	}
}

/*
 * Run fn on tests/fixtures/<file> and check that it returns exactly
 * rows[0..n) (xt_check_rows, with source as the provider).  skips, when
 * not NULL, collects what the extractor skipped.
 */
static inline void xt_check_fixture(extract_fn fn, const char *source, const char *file,
				    struct extract_skips *skips, const struct xrow *rows, size_t n)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	int rc;

	tt_fixture_path(file, path, sizeof(path));
	rc = xt_run_file(fn, source, path, &l, skips, &err);
	if (rc != (int)n)
		fail_msg("%s: %d prices, expected %zu (%s)", file, rc, n, err.msg);
	xt_check_rows(&l, source, rows, n);
	price_list_release(&l);
}

/* Each spot (read by hand off the page) is in l, whatever the order. */
static inline void xt_check_spots(const struct price_list *l, const struct xrow *spots, size_t n)
{
	size_t i, k;

	for (k = 0; k < n; k++) {
		for (i = 0; i < l->n && !xt_same(&l->v[i], &spots[k]); i++)
			;
		if (i == l->n)
			fail_msg("spot %s %s '%s' = %s %s not found", spots[k].model, spots[k].dimension,
				 spots[k].condition, spots[k].price, spots[k].currency);
	}
}

/* Every row of l, in order, equals rows[0..n) (whole key, USD), and the
 * provider is provider. */
static inline void xt_check_rows_full(const struct price_list *l, const char *provider,
				      const struct xrow_full *rows, size_t n)
{
	char got[MONEY_FMT_MAX];
	size_t i;

	if (l->n != n)
		fail_msg("%zu prices, expected %zu", l->n, n);
	for (i = 0; i < n; i++) {
		const struct price *p = &l->v[i];
		const struct xrow_full *w = &rows[i];
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

/* Each spot (whole key) is in l with its price and unit. */
static inline void xt_check_spots_full(const struct price_list *l, const struct xspot *s, size_t n)
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

/* Count of distinct models in l. */
static inline size_t xt_models(const struct price_list *l)
{
	size_t i, k, n = 0;

	for (i = 0; i < l->n; i++) {
		for (k = 0; k < i && strcmp(l->v[k].model, l->v[i].model); k++)
			;
		n += k == i;
	}
	return n;
}

/* body with the first (or every) `from` replaced by `to`; malloc'd. */
static inline char *xt_edit(const char *body, const char *from, const char *to, int all)
{
	size_t n = strlen(body) * 2 + strlen(to) + 1, o = 0;
	const char *q = body, *p;
	char *out = malloc(n);

	assert_non_null(out);
	if (!strstr(body, from))
		fail_msg("edit: '%s' is not in the input", from);
	while ((p = strstr(q, from))) {
		o += (size_t)snprintf(out + o, n - o, "%.*s%s", (int)(p - q), q, to);
		q = p + strlen(from);
		if (!all)
			break;
	}
	snprintf(out + o, n - o, "%s", q);
	return out;
}

/* Run each fail-closed case on the file at path, edited, with ctx. */
static inline void xt_check_fails_ctx(extract_fn fn, const struct extract_ctx *ctx,
				      const char *path, const struct xfail *cases, size_t n)
{
	size_t len = 0, i;
	char *body = xt_load(path, &len);

	for (i = 0; i < n; i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct tt_error err = { 0 };
		char *b = xt_edit(body, cases[i].from, cases[i].to, cases[i].all);
		int rc = fn(b, strlen(b), ctx, &l, &err);
		if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
			fail_msg("%s: rc %d '%s', expected %d with '%s'", cases[i].name, rc, err.msg,
				 cases[i].code, cases[i].msg);
		if (l.n != 0)
			fail_msg("%s: %zu prices left after failing", cases[i].name, l.n);
		price_list_release(&l);
		free(b);
	}
	free(body);
}

/* xt_check_fails_ctx() with xt_run_text()'s context. */
static inline void xt_check_fails(extract_fn fn, const char *source, const char *path,
				  const struct xfail *cases, size_t n)
{
	struct extract_ctx ctx = { source, XT_DATE, "test input", NULL };

	xt_check_fails_ctx(fn, &ctx, path, cases, n);
}

/*
 * Models gone: keep the prices of the first `keep` models (in order of
 * first appearance) and run the source's validation, which must fail
 * closed naming the floor or an anchor.  Also: the full list passes.
 */
static inline void xt_fewer_models_fail(const char *source, struct price_list *l, size_t keep)
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
