/*
 * test_extract_openai.c - extract_openai() on developers.openai.com/api/docs/pricing.
 *
 * (a) the committed excerpt tests/fixtures/openai-2026-08-21-excerpt.html,
 *     row by row; (b) acceptance on the full captures in ../shared/data/pages
 *     (skipped, saying so, when absent): counts per tier and spot values
 *     checked by hand against the page; (c) fail closed: anchor removed,
 *     threshold statement removed, the page contradicting itself.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"

struct row {
	const char *model, *dimension, *tier, *condition, *price, *text;
};

/* Every price of the excerpt, in page order (checked against the page). */
static const struct row excerpt_rows[] = {
	{ "gpt-5.6-sol", "input", "standard", "prompt<=272k", "5.00", "$5.00" },
	{ "gpt-5.6-sol", "cache_read", "standard", "prompt<=272k", "0.50", "$0.50" },
	{ "gpt-5.6-sol", "cache_write", "standard", "prompt<=272k", "6.25", "$6.25" },
	{ "gpt-5.6-sol", "output", "standard", "prompt<=272k", "30.00", "$30.00" },
	{ "gpt-5.6-sol", "input", "standard", "prompt>272k", "10.00", "$10.00" },
	{ "gpt-5.6-sol", "cache_read", "standard", "prompt>272k", "1.00", "$1.00" },
	{ "gpt-5.6-sol", "cache_write", "standard", "prompt>272k", "12.50", "$12.50" },
	{ "gpt-5.6-sol", "output", "standard", "prompt>272k", "45.00", "$45.00" },
	{ "gpt-5.6-sol", "input", "batch", "prompt<=272k", "2.50", "$2.50" },
	{ "gpt-5.6-sol", "cache_read", "batch", "prompt<=272k", "0.25", "$0.25" },
	{ "gpt-5.6-sol", "cache_write", "batch", "prompt<=272k", "3.125", "$3.125" },
	{ "gpt-5.6-sol", "output", "batch", "prompt<=272k", "15.00", "$15.00" },
	{ "gpt-5.6-sol", "input", "batch", "prompt>272k", "5.00", "$5.00" },
	{ "gpt-5.6-sol", "cache_read", "batch", "prompt>272k", "0.50", "$0.50" },
	{ "gpt-5.6-sol", "cache_write", "batch", "prompt>272k", "6.25", "$6.25" },
	{ "gpt-5.6-sol", "output", "batch", "prompt>272k", "22.50", "$22.50" },
	{ "gpt-5.6-sol", "input", "flex", "prompt<=272k", "2.50", "$2.50" },
	{ "gpt-5.6-sol", "cache_read", "flex", "prompt<=272k", "0.25", "$0.25" },
	{ "gpt-5.6-sol", "cache_write", "flex", "prompt<=272k", "3.125", "$3.125" },
	{ "gpt-5.6-sol", "output", "flex", "prompt<=272k", "15.00", "$15.00" },
	{ "gpt-5.6-sol", "input", "flex", "prompt>272k", "5.00", "$5.00" },
	{ "gpt-5.6-sol", "cache_read", "flex", "prompt>272k", "0.50", "$0.50" },
	{ "gpt-5.6-sol", "cache_write", "flex", "prompt>272k", "6.25", "$6.25" },
	{ "gpt-5.6-sol", "output", "flex", "prompt>272k", "22.50", "$22.50" },
	{ "gpt-5.6-sol", "input", "priority", "prompt<=272k", "10.00", "$10.00" },
	{ "gpt-5.6-sol", "cache_read", "priority", "prompt<=272k", "1.00", "$1.00" },
	{ "gpt-5.6-sol", "cache_write", "priority", "prompt<=272k", "12.50", "$12.50" },
	{ "gpt-5.6-sol", "output", "priority", "prompt<=272k", "60.00", "$60.00" },
	{ "gpt-5.6-sol", "input", "priority", "prompt>272k", "20.00", "$20.00" },
	{ "gpt-5.6-sol", "cache_read", "priority", "prompt>272k", "2.00", "$2.00" },
	{ "gpt-5.6-sol", "cache_write", "priority", "prompt>272k", "25.00", "$25.00" },
	{ "gpt-5.6-sol", "output", "priority", "prompt>272k", "90.00", "$90.00" },
	{ "gpt-5.6-cyber", "input", "standard", "prompt<=272k", "12.50", "$12.50" },
	{ "gpt-5.6-cyber", "cache_read", "standard", "prompt<=272k", "1.25", "$1.25" },
	{ "gpt-5.6-cyber", "cache_write", "standard", "prompt<=272k", "15.625", "$15.625" },
	{ "gpt-5.6-cyber", "output", "standard", "prompt<=272k", "75.00", "$75.00" },
	{ "gpt-realtime-2.1", "input", "standard", "audio", "32.00", "$32.00" },
	{ "gpt-realtime-2.1", "cache_read", "standard", "audio", "0.40", "$0.40" },
	{ "gpt-realtime-2.1", "output", "standard", "audio", "64.00", "$64.00" },
	{ "gpt-realtime-2.1", "input", "standard", "text", "4.00", "$4.00" },
	{ "gpt-realtime-2.1", "cache_read", "standard", "text", "0.40", "$0.40" },
	{ "gpt-realtime-2.1", "output", "standard", "text", "24.00", "$24.00" },
	{ "gpt-realtime-2.1", "input", "standard", "image", "5.00", "$5.00" },
	{ "gpt-realtime-2.1", "cache_read", "standard", "image", "0.50", "$0.50" },
	{ "gpt-4o-transcribe", "input", "standard", "", "2.50", "$2.50" },
	{ "gpt-4o-transcribe", "output", "standard", "", "10.00", "$10.00" },
	{ "gpt-5.3-codex", "input", "standard", "", "1.75", "$1.75" },
	{ "gpt-5.3-codex", "cache_read", "standard", "", "0.175", "$0.175" },
	{ "gpt-5.3-codex", "output", "standard", "", "14.00", "$14.00" },
	{ "gpt-5.3-codex", "input", "priority", "", "3.50", "$3.50" },
	{ "gpt-5.3-codex", "cache_read", "priority", "", "0.35", "$0.35" },
	{ "gpt-5.3-codex", "output", "priority", "", "28.00", "$28.00" },
};

static char *load(const char *path, size_t *len)
{
	char *b;

	*len = 0;
	b = tt_read_file(path, len);

	if (!b)
		fail_msg("cannot read %s", path);
	return b;
}

static int run(const char *body, size_t len, const char *origin, struct price_list *out,
	       struct tt_error *err)
{
	struct extract_ctx ctx = { "openai", "2026-08-21", origin, NULL };

	return extract_openai(body, len, &ctx, out, err);
}

static void check_row(const struct price *p, const struct row *w, size_t i)
{
	char got[MONEY_FMT_MAX];

	money_format(p->nanos, got, sizeof(got));
	if (strcmp(p->model, w->model) || strcmp(p->dimension, w->dimension) ||
	    strcmp(p->tier, w->tier) || strcmp(p->condition, w->condition) ||
	    strcmp(got, w->price) || strcmp(p->text, w->text))
		fail_msg("row %zu: %s %s %s '%s' %s '%s', expected %s %s %s '%s' %s '%s'", i, p->model,
			 p->dimension, p->tier, p->condition, got, p->text, w->model, w->dimension,
			 w->tier, w->condition, w->price, w->text);
	assert_string_equal(p->provider, "openai");
	assert_string_equal(p->currency, "USD");
	assert_string_equal(p->unit, "1M tokens");
	assert_string_equal(p->region, "");
}

static void test_excerpt_rows(void **state)
{
	char path[512];
	size_t len, i;
	char *body;
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	int rc;

	(void)state;
	tt_fixture_path("openai-2026-08-21-excerpt.html", path, sizeof(path));
	body = load(path, &len);
	rc = run(body, len, path, &l, &err);
	if (rc != (int)TT_ARRAY_SIZE(excerpt_rows))
		fail_msg("%d prices, expected %zu (%s)", rc, TT_ARRAY_SIZE(excerpt_rows), err.msg);
	assert_int_equal(l.n, TT_ARRAY_SIZE(excerpt_rows));
	for (i = 0; i < l.n; i++)
		check_row(&l.v[i], &excerpt_rows[i], i);
	price_list_release(&l);
	free(body);
}

/* Look a price up by key; NULL when absent. */
static const struct price *find(const struct price_list *l, const char *model, const char *dim,
				const char *tier, const char *cond)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].model, model) && !strcmp(l->v[i].dimension, dim) &&
		    !strcmp(l->v[i].tier, tier) && !strcmp(l->v[i].condition, cond))
			return &l->v[i];
	return NULL;
}

struct spot {
	const char *model, *dimension, *tier, *condition, *price; /* price NULL: must be absent */
};

struct capture_case {
	const char *file;
	int total;
	int standard, batch, flex, priority;
	struct spot spots[16];
};

static const struct capture_case captures[] = {
	{ "pages/openai-2026-08-21.html", 139, 59, 29, 24, 27,
	  { { "gpt-5.6-sol", "input", "standard", "prompt<=272k", "5.00" },
	    { "gpt-5.6-sol", "cache_read", "standard", "prompt<=272k", "0.50" },
	    { "gpt-5.6-sol", "cache_write", "standard", "prompt<=272k", "6.25" },
	    { "gpt-5.6-sol", "output", "standard", "prompt<=272k", "30.00" },
	    { "gpt-5.6-sol", "input", "standard", "prompt>272k", "10.00" },
	    { "gpt-5.6-sol", "output", "standard", "prompt>272k", "45.00" },
	    { "gpt-5.6-sol", "input", "batch", "prompt<=272k", "2.50" },       /* batch is half */
	    { "gpt-5.6-sol", "cache_write", "batch", "prompt<=272k", "3.125" },
	    { "gpt-5.6-sol", "output", "batch", "prompt<=272k", "15.00" },
	    { "gpt-5.6-luna", "output", "priority", "prompt>272k", "3.60" },   /* the "fast" pane */
	    { "gpt-5.6-cyber", "input", "standard", "prompt>272k", NULL },     /* "-": NULL, never 0 */
	    { "gpt-realtime-2.1", "input", "standard", "audio", "32.00" },
	    { "gpt-image-2", "cache_read", "batch", "text", "0.625" },
	    { "gpt-5.3-codex", "output", "priority", "", "28.00" },
	    { "o4-mini-2025-04-16", "input", "standard", "", NULL },          /* fine-tuning not read */
	    { NULL, NULL, NULL, NULL, NULL } } },
	{ "pages/openai-api-docs-pricing-2026-04-27.html", 150, 68, 46, 24, 12,
	  { { "gpt-5.5", "input", "standard", "prompt<272k", "5.00" },
	    { "gpt-5.5", "cache_read", "standard", "prompt<272k", "0.50" },
	    { "gpt-5.5", "output", "standard", "prompt<272k", "30.00" },
	    { "gpt-5.5", "input", "standard", "prompt>=272k", "10.00" },
	    { "gpt-5.5", "cache_read", "standard", "prompt>=272k", "1.00" },
	    { "gpt-5.5", "output", "standard", "prompt>=272k", "45.00" },
	    { "gpt-5.5", "input", "batch", "prompt<272k", "2.50" },
	    { "gpt-5.5", "input", "priority", "prompt<272k", "12.50" },
	    { "gpt-5.5", "cache_read", "priority", "prompt<272k", "1.25" },
	    { "gpt-5.5", "output", "priority", "prompt<272k", "75.00" },
	    { "gpt-5.5", "input", "priority", "prompt>=272k", NULL },
	    { "gpt-5.5-pro", "cache_read", "standard", "prompt<272k", NULL },
	    { "gpt-5.4-mini", "cache_read", "batch", "prompt<272k", "0.0375" },
	    { "gpt-5.4", "cache_write", "standard", "prompt<272k", NULL },      /* no such column in April */
	    { NULL, NULL, NULL, NULL, NULL } } },
};

static void test_full_captures(void **state)
{
	size_t c, i;

	(void)state;
	for (c = 0; c < TT_ARRAY_SIZE(captures); c++) {
		const struct capture_case *k = &captures[c];
		struct price_list l = PRICE_LIST_INIT;
		struct tt_error err = { 0 };
		int per[4] = { 0, 0, 0, 0 }, rc;
		char path[512];
		size_t len;
		char *body;

		if (tt_shared_path(k->file, path, sizeof(path)) != 0)
			continue;
		body = load(path, &len);
		rc = run(body, len, path, &l, &err);
		if (rc != k->total)
			fail_msg("%s: %d prices, expected %d (%s)", k->file, rc, k->total, err.msg);
		for (i = 0; i < l.n; i++) {
			const struct price *p = &l.v[i];
			per[!strcmp(p->tier, "standard") ? 0 : !strcmp(p->tier, "batch") ? 1
			    : !strcmp(p->tier, "flex") ? 2 : 3]++;
			assert_string_equal(p->currency, "USD");
			assert_string_equal(p->unit, "1M tokens");
			assert_true(p->nanos > 0);
		}
		if (per[0] != k->standard || per[1] != k->batch || per[2] != k->flex || per[3] != k->priority)
			fail_msg("%s: per tier %d/%d/%d/%d, expected %d/%d/%d/%d", k->file, per[0], per[1],
				 per[2], per[3], k->standard, k->batch, k->flex, k->priority);
		for (i = 0; k->spots[i].model; i++) {
			const struct spot *s = &k->spots[i];
			const struct price *p = find(&l, s->model, s->dimension, s->tier, s->condition);
			char got[MONEY_FMT_MAX];
			if (!s->price) {
				if (p)
					fail_msg("%s: %s %s %s '%s' should be absent", k->file, s->model,
						 s->dimension, s->tier, s->condition);
				continue;
			}
			if (!p)
				fail_msg("%s: %s %s %s '%s' missing", k->file, s->model, s->dimension, s->tier,
					 s->condition);
			money_format(p->nanos, got, sizeof(got));
			if (strcmp(got, s->price))
				fail_msg("%s: %s %s %s '%s' = %s, expected %s", k->file, s->model, s->dimension,
					 s->tier, s->condition, got, s->price);
		}
		price_list_release(&l);
		free(body);
	}
}

/* Replace the first occurrence of from after the first occurrence of after
 * (when given), or, with after == "*", every occurrence. */
static char *edit(const char *body, const char *after, const char *from, const char *to)
{
	int all = after && !strcmp(after, "*");
	const char *base = after && !all ? strstr(body, after) : body, *p, *q;
	size_t n = strlen(body) * 2 + strlen(to) + 1, o = 0;
	char *out;

	assert_non_null(base);
	assert_non_null(strstr(base, from));
	out = malloc(n);
	assert_non_null(out);
	memcpy(out, body, (size_t)(base - body));
	o = (size_t)(base - body);
	for (q = base; (p = strstr(q, from)) && (all || q == base); q = p + strlen(from)) {
		o += (size_t)snprintf(out + o, n - o, "%.*s%s", (int)(p - q), q, to);
	}
	snprintf(out + o, n - o, "%s", q);
	return out;
}

struct fail_case {
	const char *name;
	const char *after, *from, *to; /* the edit that breaks the page; from NULL: whole body is to */
	const char *msg;               /* expected in the error message */
};

static const struct fail_case fail_cases[] = {
	{ "anchor h2#text-tokens removed", NULL, "id=\"text-tokens\"", "id=\"flagship\"", "text-tokens" },
	{ "anchor h2#text-tokens twice", NULL, "</body>", "<h2 id=\"text-tokens\">Text tokens</h2></body>",
	  "appears 2 times, expected exactly once" },
	{ "threshold statement removed (the tooltips of the context headings)", "*",
	  "272K input tokens", "input tokens", "threshold" },
	{ "Model columns renamed", "*", "<th>Model</th>", "<th>Name</th>",
	  "no Model/Input/Output table" },
	{ "page contradicts itself (cyber table repeats gpt-5.6-sol at another price)",
	  "id=\"cyber-models\"", "$5.00", "$5.50", "published twice" },
	{ "empty body", NULL, NULL, "", "empty" },
	{ "a JS shell", NULL, NULL, "<html><body><div id=\"root\"></div></body></html>", "text-tokens" },
};

static void test_fail_closed(void **state)
{
	char path[512];
	size_t len, i;
	char *body;

	(void)state;
	tt_fixture_path("openai-2026-08-21-excerpt.html", path, sizeof(path));
	body = load(path, &len);
	for (i = 0; i < TT_ARRAY_SIZE(fail_cases); i++) {
		const struct fail_case *f = &fail_cases[i];
		struct price_list l = PRICE_LIST_INIT;
		struct price keep = { 0 };
		struct tt_error err = { 0 };
		char *broken = f->from ? edit(body, f->after, f->from, f->to) : strdup(f->to);
		int rc;

		/* An item already in the list survives; nothing of this run is left. */
		keep.provider = "other";
		keep.model = "m";
		assert_int_equal(price_list_add(&l, &keep), 0);
		rc = run(broken, strlen(broken), "broken.html", &l, &err);
		if (rc != TT_EPARSE)
			fail_msg("%s: rc %d, expected TT_EPARSE", f->name, rc);
		assert_int_equal(l.n, 1);
		if (!strstr(err.msg, f->msg))
			fail_msg("%s: message '%s' lacks '%s'", f->name, err.msg, f->msg);
		price_list_release(&l);
		free(broken);
	}
	free(body);
}

/* The 2023 openai.com/pricing page has no text-token section: it is not
 * misread as the developers page but dispatched to the 2023 reader
 * (tests/test_extract_openai_2023.c checks its prices). */
static void test_old_page_refused(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	char path[512];
	size_t len, i;
	char *body;

	(void)state;
	if (tt_shared_path("pages/openai-2023-12-14.html", path, sizeof(path)) != 0)
		return;
	body = load(path, &len);
	assert_int_equal(run(body, len, path, &l, &err), 38);
	for (i = 0; i < l.n; i++)
		assert_true(strstr(l.v[i].text, "/ 1K") || strcmp(l.v[i].unit, "1M tokens"));
	price_list_release(&l);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_rows),
		cmocka_unit_test(test_full_captures),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_old_page_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
