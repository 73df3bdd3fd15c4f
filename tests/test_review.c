/*
 * test_review.c - validation that fails closed, end to end through
 * scrape_body() on the committed captures (db/captures) and modified
 * copies built here, and the review list of 10x jumps:
 *  - a capture with its anchor structure removed, or with more than half
 *    its models missing against the last good run, stores nothing, says
 *    why, and the previous good values stay in force;
 *  - an old capture replayed late is judged against the runs of its own
 *    time (the last good run before its date);
 *  - a cache read above the input price breaks a relation: nothing stored;
 *  - a 10x jump waits for review: pending, then rejected (kept, never
 *    re-flagged, and the key is not marked removed) or accepted (stored on
 *    the dates it was seen);
 *  - a value left out as implausible (a bound) in three runs in a row
 *    does not make its key removed: the last good value stays in force;
 *    a model truly gone from the page for those runs is still removed.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/review.h"
#include "tokentrend/scrape.h"
#include "tokentrend/store.h"

static char *capture(const char *name, size_t *len)
{
	char path[512];
	char *body;

	snprintf(path, sizeof(path), "%s/%s", TT_CAPTURES, name);
	body = tt_read_file(path, len);
	assert_non_null(body);
	return body;
}

/* body with every (all) or the first occurrence of from replaced by to. */
static char *edit(const char *body, const char *from, const char *to, int all)
{
	struct buf b = BUF_INIT;
	const char *p = body, *q;

	while ((q = strstr(p, from))) {
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, to);
		p = q + strlen(from);
		if (!all)
			break;
	}
	assert_true(p != body);
	buf_adds(&b, p);
	return buf_detach(&b, NULL);
}

/* The OpenRouter capture cut after its first `keep` models, plus its anchor
 * model openai/gpt-4o (so that only the count is wrong). */
static char *openrouter_first(const char *body, size_t keep)
{
	struct buf b = BUF_INIT;
	const char *p = body, *a, *e;
	size_t i;

	for (i = 0; i < keep; i++) {
		p = strstr(p + 1, ",{\"id\":\"");
		assert_non_null(p);
	}
	buf_add(&b, body, (size_t)(p - body));
	a = strstr(body, ",{\"id\":\"openai/gpt-4o\"");
	assert_non_null(a);
	if (a >= p) {
		e = strstr(a + 1, ",{\"id\":\"");
		assert_non_null(e);
		buf_add(&b, a, (size_t)(e - a));
	}
	buf_adds(&b, "]}");
	return buf_detach(&b, NULL);
}

static int scrape(struct store *st, const char *source, const char *date, const char *body,
		  struct scrape_result *res)
{
	int64_t run = 0;

	assert_int_equal(store_run_begin(st, "replay", "2026-01-01T00:00:00Z", &run, NULL), 0);
	scrape_result_init(res);
	return scrape_body(st, run, catalog_find(source), date, "test", 0, body, strlen(body), res);
}

/* Rows of source in force on as_of (optionally one model/dimension), and
 * the value text of the first. */
static size_t in_force(struct store *st, const char *source, const char *as_of, const char *model,
		       const char *dim, char *value, size_t vn)
{
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	size_t n;

	f.source = source;
	f.as_of = as_of;
	f.model = model;
	f.dimension = dim;
	if (query_prices(st, &f, &rows, &err) < 0)
		fail_msg("query_prices: %s", err.msg);
	n = rows.n;
	if (value)
		snprintf(value, vn, "%s", n ? rows.v[0].p.text : "");
	if (value && n) {
		char v[32];
		snprintf(value, vn, "%s", money_format(rows.v[0].p.nanos, v, sizeof(v)));
	}
	price_rows_release(&rows);
	return n;
}

/* Anchor removed: the OpenAI page without h2#text-tokens fails closed. */
static void test_anchor_removed(void **state)
{
	struct store *st = NULL;
	struct scrape_result res;
	size_t len, before;
	char *body = capture("openai-2026-08-21.html", &len), *broken;

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(scrape(st, "openai", "2026-08-21", body, &res), 0);
	before = res.prices;
	assert_true(before > 100);
	scrape_result_release(&res);

	broken = edit(body, "id=\"text-tokens\"", "id=\"flagship-tokens\"", 1);
	assert_int_equal(scrape(st, "openai", "2026-08-22", broken, &res), TT_EPARSE);
	assert_string_equal(res.status, "failed");
	assert_non_null(strstr(res.error, "anchor h2#text-tokens (the text-token section) is missing"));
	assert_int_equal(res.prices, 0);
	scrape_result_release(&res);
	free(broken);

	/* Twice is no better than none. */
	broken = edit(body, "</body>", "<h2 id=\"text-tokens\">Text tokens</h2></body>", 0);
	assert_int_equal(scrape(st, "openai", "2026-08-23", broken, &res), TT_EPARSE);
	assert_non_null(strstr(res.error, "appears 2 times, expected exactly once"));
	scrape_result_release(&res);
	free(broken);

	/* `prices` still shows the previous good values. */
	assert_int_equal(in_force(st, "openai", "2026-08-24", NULL, NULL, NULL, 0), before);
	free(body);
	store_close(st);
}

/* Half the models missing against the last good run; and replays of
 * older captures judged against the runs of their own time. */
static void test_half_models_and_own_time(void **state)
{
	struct store *st = NULL;
	struct scrape_result res;
	size_t len, full_prices, full_models, cut_models;
	char *body = capture("openrouter-models-2026-08-18.json", &len);
	char *cut = openrouter_first(body, 200);
	char v[32];

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(scrape(st, "openrouter", "2026-08-18", body, &res), 0);
	full_prices = res.prices;
	full_models = res.models;
	scrape_result_release(&res);

	/* 200 of 549 entries: above the floor of 100, under half of the last run. */
	if (scrape(st, "openrouter", "2026-08-19", cut, &res) != TT_EVALIDATE)
		fail_msg("short capture: %s", res.error);
	cut_models = 0;
	if (!strstr(res.error, "fewer than half of the"))
		fail_msg("message: %s", res.error);
	assert_non_null(strstr(res.error, "in the last good run (2026-08-18); nothing stored"));
	scrape_result_release(&res);
	assert_int_equal(in_force(st, "openrouter", "2026-08-20", NULL, NULL, NULL, 0), full_prices);
	assert_int_equal(in_force(st, "openrouter", "2026-08-20", "openai/gpt-4o", "input", v, sizeof(v)), 1);
	assert_string_equal(v, "2.50");

	/* The same short capture dated before the full one: no good run before
	 * it, so it is judged on its own and stored. */
	assert_int_equal(scrape(st, "openrouter", "2026-08-10", cut, &res), 0);
	cut_models = res.models;
	assert_true(cut_models >= 100 && cut_models * 2 < full_models);
	scrape_result_release(&res);
	/* ... and one dated between them is judged against 2026-08-10, not 08-18. */
	assert_int_equal(scrape(st, "openrouter", "2026-08-15", cut, &res), 0);
	scrape_result_release(&res);
	/* After 08-18 the full run is the reference again. */
	assert_int_equal(scrape(st, "openrouter", "2026-08-21", cut, &res), TT_EVALIDATE);
	scrape_result_release(&res);
	assert_int_equal(in_force(st, "openrouter", "2026-08-22", NULL, NULL, NULL, 0), full_prices);

	free(cut);
	free(body);
	store_close(st);
}

/* A cache read above the input price: the source stores nothing. */
static void test_relation_break(void **state)
{
	struct store *st = NULL;
	struct scrape_result res;
	size_t len;
	char *body = capture("anthropic-2025-11-14.html", &len);
	/* Opus 4.1's cache read, 1.50, raised above its input price (15). */
	char *broken = edit(body, "data-value=\"1.50\" class=\"tokens_main_val_number\">1.50<",
			    "data-value=\"16\" class=\"tokens_main_val_number\">16<", 0);

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(scrape(st, "anthropic", "2025-11-14", broken, &res), TT_EVALIDATE);
	assert_non_null(strstr(res.error, "anthropic: 1 value breaks a relation (anthropic "
					  "claude-opus-4.1 standard: cache_read 16.00 is above input 15.00)"));
	assert_non_null(strstr(res.notes.buf, "cache_read 16.00 is above input 15.00"));
	scrape_result_release(&res);
	assert_int_equal(in_force(st, "anthropic", "2025-11-15", NULL, NULL, NULL, 0), 0);
	free(broken);
	free(body);
	store_close(st);
}

static size_t list_count(struct store *st, const char *status)
{
	struct review_items l = REVIEW_ITEMS_INIT;
	int n = review_list(st, status, &l, NULL);

	assert_true(n >= 0);
	review_items_release(&l);
	return (size_t)n;
}

/* The first price `old` on the page (Opus 4.1's comes first) replaced by value. */
static char *opus_price(const char *body, const char *old, const char *value)
{
	char from[160], to[160];

	snprintf(from, sizeof(from), "data-value=\"%s\" class=\"tokens_main_val_number\">%s<", old, old);
	snprintf(to, sizeof(to), "data-value=\"%s\" class=\"tokens_main_val_number\">%s<", value, value);
	return edit(body, from, to, 0);
}

/* A jump over 10x is held for review, then rejected: kept, not re-flagged,
 * the key stays (not marked removed), and a different value is new. */
static void test_jump_rejected(void **state)
{
	struct store *st = NULL;
	struct scrape_result res;
	struct review_items l = REVIEW_ITEMS_INIT;
	struct tt_error err = { 0 };
	size_t len;
	char *body = capture("anthropic-2025-11-14.html", &len);
	char *jump = opus_price(body, "15", "160"), *jump2 = opus_price(body, "15", "170");
	char v[32];
	static const char *const dates[] = { "2025-12-03", "2025-12-04", "2025-12-05", "2025-12-06" };
	size_t i;

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(scrape(st, "anthropic", "2025-11-14", body, &res), 0);
	scrape_result_release(&res);

	assert_int_equal(scrape(st, "anthropic", "2025-12-01", jump, &res), 0);
	assert_int_equal(res.flagged, 1);
	assert_int_equal(res.prices, 39);
	assert_non_null(strstr(res.notes.buf, "claude-opus-4.1 input standard: 160.00 is 10.7x the stored "
					      "15.00: flagged for review (review #1); not stored"));
	scrape_result_release(&res);
	assert_int_equal(in_force(st, "anthropic", "2025-12-02", "claude-opus-4.1", "input", v, sizeof(v)), 1);
	assert_string_equal(v, "15.00");

	/* Seen again: the same item, its dates widened. */
	assert_int_equal(scrape(st, "anthropic", "2025-12-02", jump, &res), 0);
	assert_non_null(strstr(res.notes.buf, "still waiting for review (review #1)"));
	scrape_result_release(&res);
	assert_int_equal(review_list(st, "pending", &l, NULL), 1);
	assert_string_equal(l.v[0].first_seen, "2025-12-01");
	assert_string_equal(l.v[0].last_seen, "2025-12-02");
	assert_int_equal(l.v[0].prev_nanos, INT64_C(15000000000));
	assert_string_equal(l.v[0].reason, "160.00 is 10.7x the stored 15.00");
	review_items_release(&l);

	assert_int_equal(review_decide(st, 1, 0, "ana", "a typo on the page", NULL, &err), 0);
	/* A decision is kept: it cannot be taken again. */
	assert_int_equal(review_decide(st, 1, 1, NULL, NULL, NULL, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "was already rejected"));
	assert_int_equal(review_decide(st, 99, 1, NULL, NULL, NULL, &err), TT_ENOTFOUND);

	/* The rejected value keeps appearing for several runs: not flagged
	 * again, not stored, and the key is not marked removed. */
	for (i = 0; i < TT_ARRAY_SIZE(dates); i++) {
		assert_int_equal(scrape(st, "anthropic", dates[i], jump, &res), 0);
		assert_int_equal(res.flagged, 1);
		assert_non_null(strstr(res.notes.buf, "rejected in review before (review #1)"));
		scrape_result_release(&res);
		assert_true(store_mark_removed(st, "anthropic", dates[i], 3, NULL) >= 0);
	}
	assert_int_equal(list_count(st, "all"), 1);
	assert_int_equal(in_force(st, "anthropic", "2025-12-07", "claude-opus-4.1", "input", v, sizeof(v)), 1);
	assert_string_equal(v, "15.00");
	assert_int_equal(review_list(st, "rejected", &l, NULL), 1);
	assert_string_equal(l.v[0].decided_by, "ana");
	assert_string_equal(l.v[0].decision_note, "a typo on the page");
	assert_string_equal(l.v[0].last_seen, "2025-12-06");
	review_items_release(&l);

	/* A different value is judged afresh. */
	assert_int_equal(scrape(st, "anthropic", "2025-12-08", jump2, &res), 0);
	assert_non_null(strstr(res.notes.buf, "170.00 is 11.3x the stored 15.00: flagged for review (review #2)"));
	scrape_result_release(&res);
	assert_int_equal(list_count(st, "pending"), 1);

	free(jump);
	free(jump2);
	free(body);
	store_close(st);
}

/* Accepted: stored as observed on the dates it was seen, then a normal price. */
static void test_jump_accepted(void **state)
{
	struct store *st = NULL;
	struct scrape_result res;
	struct store_observe_stats stats = { 0 };
	struct buf out = BUF_INIT;
	struct review_items l = REVIEW_ITEMS_INIT;
	size_t len;
	char *body = capture("anthropic-2025-11-14.html", &len);
	char *drop = opus_price(body, "75", "6"); /* output 75 -> 6, 1/12.5: a cut this deep is checked too */
	char v[32];

	(void)state;
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(scrape(st, "anthropic", "2025-11-14", body, &res), 0);
	scrape_result_release(&res);
	if (scrape(st, "anthropic", "2025-12-01", drop, &res) != 0)
		fail_msg("drop: %s", res.error);
	assert_int_equal(res.flagged, 1);
	assert_non_null(strstr(res.notes.buf, "6.00 is 1/12.5 of the stored 75.00"));
	scrape_result_release(&res);
	assert_int_equal(scrape(st, "anthropic", "2025-12-03", drop, &res), 0);
	scrape_result_release(&res);

	assert_int_equal(review_decide(st, 1, 1, "bo", NULL, &stats, NULL), 0);
	assert_int_equal(stats.changes, 1);
	/* In force from the first date it was seen, not from the decision. */
	assert_int_equal(in_force(st, "anthropic", "2025-11-30", "claude-opus-4.1", "output", v, sizeof(v)), 1);
	assert_string_equal(v, "75.00");
	assert_int_equal(in_force(st, "anthropic", "2025-12-01", "claude-opus-4.1", "output", v, sizeof(v)), 1);
	assert_string_equal(v, "6.00");

	/* The next run with the same value is an ordinary, unchanged price. */
	assert_int_equal(scrape(st, "anthropic", "2025-12-04", drop, &res), 0);
	assert_int_equal(res.flagged, 0);
	assert_int_equal(res.changes, 0);
	assert_int_equal(res.prices, 40);
	scrape_result_release(&res);

	/* Renderers: JSON keeps exact decimals; CSV has its header. */
	assert_int_equal(review_list(st, "all", &l, NULL), 1);
	assert_int_equal(review_render(&l, QUERY_FORMAT_JSON, &out), 0);
	assert_non_null(strstr(out.buf, "\"status\": \"accepted\""));
	assert_non_null(strstr(out.buf, "\"price\": \"6.00\", \"previous_price\": \"75.00\""));
	assert_non_null(strstr(out.buf, "\"decided_by\": \"bo\", \"decision_note\": null"));
	buf_reset(&out);
	assert_int_equal(review_render(&l, QUERY_FORMAT_CSV, &out), 0);
	assert_non_null(strstr(out.buf, "id,status,source,provider,model"));
	assert_non_null(strstr(out.buf, "1,accepted,anthropic,anthropic,claude-opus-4.1,output,standard"));
	review_items_release(&l);
	assert_int_equal(review_list(st, "maybe", &l, NULL), TT_EINVAL);

	buf_release(&out);
	free(drop);
	free(body);
	store_close(st);
}

/* ---- values refused by a bound still count as on the page ---------------- */

/* body without the OpenRouter entry of model id (not the last entry). */
static char *openrouter_without(const char *body, const char *id)
{
	struct buf b = BUF_INIT;
	char from[200];
	const char *a, *e;

	snprintf(from, sizeof(from), "{\"id\":\"%s\"", id);
	a = strstr(body, from);
	assert_non_null(a);
	e = strstr(a + 1, ",{\"id\":\"");
	assert_non_null(e);
	if (a[-1] == ',') /* from its comma to the next entry's */
		a--;
	else              /* the first entry: up to the next one */
		e++;
	buf_add(&b, body, (size_t)(a - body));
	buf_adds(&b, e);
	return buf_detach(&b, NULL);
}

/* "removed" change events of source for model (and dimension, NULL: any). */
static size_t removed_events(struct store *st, const char *source, const char *model, const char *dim)
{
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	size_t i, n = 0;

	f.source = source;
	f.model = model;
	f.dimension = dim;
	if (query_changes(st, &f, &rows, &err) < 0)
		fail_msg("query_changes: %s", err.msg);
	for (i = 0; i < rows.n; i++)
		n += !strcmp(rows.v[i].change, "removed");
	price_rows_release(&rows);
	return n;
}

/*
 * A model stays on the page but one of its values is left out as
 * implausible (validate.h bounds) in three successful runs in a row: the
 * key is still on the page, so its last good interval stays open and no
 * "removed" event is written.  A model truly gone from the page for the
 * same three runs is still removed.
 */
struct refused_case {
	const char *name;
	const char *from, *to;  /* the edit of qwen/qwen3.8-27b's entry; to NULL: entry deleted */
	const char *dim;        /* the dimension judged */
	const char *last_good;  /* its value before the edit */
	int removed;            /* 1: expected removed (truly absent) */
};

#define QWEN "{\"id\":\"qwen/qwen3.8-27b\""
#define QWEN_PRICES "\"pricing\":{\"prompt\":\"0.00000045\",\"completion\":\"0.0000032\""

static const struct refused_case refused_cases[] = {
	{ "input 2000 per 1M (over the bound)", QWEN_PRICES,
	  "\"pricing\":{\"prompt\":\"0.002\",\"completion\":\"0.0000032\"", "input", "0.45", 0 },
	{ "output 50000 per 1M (over the bound)", QWEN_PRICES,
	  "\"pricing\":{\"prompt\":\"0.00000045\",\"completion\":\"0.05\"", "output", "3.20", 0 },
	{ "input 1000.001 per 1M (just over)", QWEN_PRICES,
	  "\"pricing\":{\"prompt\":\"0.001000001\",\"completion\":\"0.0000032\"", "input", "0.45", 0 },
	{ "model gone from the page", NULL, NULL, "input", "0.45", 1 },
};

static void test_refused_not_removed(void **state)
{
	static const char *const runs[] = { "2026-08-19", "2026-08-20", "2026-08-21" };
	size_t len, i, k;
	char *body = capture("openrouter-models-2026-08-18.json", &len);

	(void)state;
	assert_non_null(strstr(body, QWEN "," "\"name\"")); /* the edits below find their entry */
	for (i = 0; i < TT_ARRAY_SIZE(refused_cases); i++) {
		const struct refused_case *c = &refused_cases[i];
		struct store *st = NULL;
		struct scrape_result res;
		char *edited, *page, v[32];

		/* the control: a model truly gone from the page in every later run */
		page = openrouter_without(body, "dots-studio/dots-3-note-preview:free");
		edited = c->to ? edit(page, c->from, c->to, 0) : openrouter_without(page, "qwen/qwen3.8-27b");
		free(page);
		assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
		assert_int_equal(scrape(st, "openrouter", "2026-08-18", body, &res), 0);
		scrape_result_release(&res);
		for (k = 0; k < TT_ARRAY_SIZE(runs); k++) {
			if (scrape(st, "openrouter", runs[k], edited, &res) != 0)
				fail_msg("%s: run %s failed: %s", c->name, runs[k], res.error);
			if (c->to && (res.rejected != 1 || !strstr(res.notes.buf, "(not stored)")))
				fail_msg("%s: run %s: %zu rejected, notes '%s'", c->name, runs[k],
					 res.rejected, res.notes.buf ? res.notes.buf : "");
			scrape_result_release(&res);
		}
		if (in_force(st, "openrouter", "2026-08-22", "qwen/qwen3.8-27b", c->dim, v, sizeof(v)) !=
		    (size_t)!c->removed)
			fail_msg("%s: qwen %s in force after 3 runs: expected %s", c->name, c->dim,
				 c->removed ? "none" : c->last_good);
		if (!c->removed && strcmp(v, c->last_good))
			fail_msg("%s: qwen %s in force is %s, expected the last good %s", c->name,
				 c->dim, v, c->last_good);
		if ((removed_events(st, "openrouter", "qwen/qwen3.8-27b", c->dim) != 0) != c->removed)
			fail_msg("%s: qwen %s: %zu removed events", c->name, c->dim,
				 removed_events(st, "openrouter", "qwen/qwen3.8-27b", c->dim));
		/* the other values of qwen stay whatever happens to one of them */
		if (!c->removed && in_force(st, "openrouter", "2026-08-22", "qwen/qwen3.8-27b", NULL,
					    NULL, 0) != 3)
			fail_msg("%s: qwen lost a value", c->name);
		/* the truly absent model is removed, at the first missed run */
		if (in_force(st, "openrouter", "2026-08-22", "dots-studio/dots-3-note-preview:free",
			     NULL, NULL, 0) != 0 ||
		    removed_events(st, "openrouter", "dots-studio/dots-3-note-preview:free", NULL) != 2)
			fail_msg("%s: the absent control model is not removed", c->name);
		if (in_force(st, "openrouter", "2026-08-18", "dots-studio/dots-3-note-preview:free",
			     NULL, NULL, 0) != 2 ||
		    in_force(st, "openrouter", "2026-08-19", "dots-studio/dots-3-note-preview:free",
			     NULL, NULL, 0) != 0)
			fail_msg("%s: the control is not removed from 2026-08-19", c->name);
		free(edited);
		store_close(st);
	}
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchor_removed),
		cmocka_unit_test(test_half_models_and_own_time),
		cmocka_unit_test(test_relation_break),
		cmocka_unit_test(test_jump_rejected),
		cmocka_unit_test(test_jump_accepted),
		cmocka_unit_test(test_refused_not_removed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
