/*
 * tt_extract_rows.h - table-driven checks shared by the extractor tests:
 * run an extractor on a file, compare every row with an expected table,
 * look up spot values read by hand off a page, and edit a body to make a
 * fail-closed case.  Include after tt_test.h.
 */
#ifndef TT_EXTRACT_ROWS_H
#define TT_EXTRACT_ROWS_H

#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tokentrend/price.h"

/* One expected price: the key fields that vary, the exact decimal, and
 * (optional, NULL = not checked) the note. */
struct xrow {
	const char *model, *dimension, *condition, *price, *currency, *unit;
	const char *note;
};

static inline char *xt_load(const char *path, size_t *len)
{
	char *b = tt_read_file(path, len);

	if (!b)
		fail_msg("cannot read %s", path);
	return b;
}

/* Run fn on the file at path; returns its rc, fills l and err. */
static inline int xt_run_file(extract_fn fn, const char *source, const char *path,
			      struct price_list *l, struct extract_skips *skips, struct tt_error *err)
{
	struct extract_ctx ctx = { source, "2026-08-18", path, skips };
	size_t len = 0;
	char *body = xt_load(path, &len);
	int rc = fn(body, len, &ctx, l, err);

	free(body);
	return rc;
}

static inline int xt_run_text(extract_fn fn, const char *source, const char *body,
			      struct price_list *l, struct tt_error *err)
{
	struct extract_ctx ctx = { source, "2026-08-18", "test input", NULL };

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

/* A fail-closed case: edit the body, expect rc == code with msg in the
 * error, and nothing left in the list. */
struct xfail {
	const char *name, *from, *to;
	int all;
	int code;
	const char *msg;
};

static inline void xt_check_fails(extract_fn fn, const char *source, const char *path,
				  const struct xfail *cases, size_t n)
{
	size_t len = 0, i;
	char *body = xt_load(path, &len);

	for (i = 0; i < n; i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct tt_error err = { 0 };
		char *b = xt_edit(body, cases[i].from, cases[i].to, cases[i].all);
		int rc = xt_run_text(fn, source, b, &l, &err);
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

#endif /* TT_EXTRACT_ROWS_H */
