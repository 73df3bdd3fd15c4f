/*
 * test_stats.c - per-key statistics and the cheapest model per tier, on
 * known series with hand-checked answers (worked out in the comments).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"
#include "tokentrend/stats.h"
#include "tokentrend/store.h"

static struct store *open_mem(void)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };

	if (store_open(":memory:", 0, &st, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

static void observe(struct store *st, const char *source, const char *date, const char *provider,
		    const char *model, const char *dim, const char *tier, const char *cond,
		    const char *price)
{
	struct price_list l = PRICE_LIST_INIT;
	struct price p;
	struct tt_error err = { 0 };

	memset(&p, 0, sizeof(p));
	p.provider = (char *)provider;
	p.model = (char *)model;
	p.dimension = (char *)dim;
	p.tier = (char *)tier;
	p.condition = (char *)cond;
	p.text = (char *)price;
	assert_int_equal(money_parse_str(price, 0, &p.nanos, NULL), 0);
	assert_int_equal(price_list_add(&l, &p), 0);
	if (store_observe(st, 0, source, date, &l, "test", NULL, &err) < 0)
		fail_msg("observe: %s", err.msg);
	price_list_release(&l);
}

static const char *fmt(int64_t v, char b[MONEY_FMT_MAX])
{
	return money_format(v, b, MONEY_FMT_MAX);
}

/*
 * demo-luna input: 10.00 from 2026-01-01, 8.00 from 2026-03-01 (-20%),
 * 12.00 from 2026-05-01 (+50%); asked as of 2026-06-15.
 *   avg 30:  2026-05-17..06-15, all 12.00                      -> 12.00
 *   avg 90:  2026-03-18..06-15: 44 days at 8 (03-18..04-30) and
 *            46 days at 12 (05-01..06-15) = (352 + 552) / 90   -> 10.044444444
 *   avg 180: 2025-12-18..06-15, priced from 01-01 only: 59 days at 10,
 *            61 at 8, 46 at 12 = 1630 / 166 days               -> 9.819277108
 *   last change 2026-05-01, 45 days before 06-15.
 * As of 2026-04-15 the 12.00 does not exist yet:
 *   avg 30:  03-17..04-15 at 8                                  -> 8.00
 *   avg 90:  2026-01-16..04-15: 44 days at 10, 46 at 8 = 808/90 -> 8.977777778
 *   avg 180: 2025-10-18..04-15, priced from 01-01: 59 days at 10,
 *            46 at 8 = 958 / 105 days                          -> 9.123809524
 */
static void test_key_series(void **state)
{
	static const struct {
		const char *as_of;
		const char *now, *low, *low_from, *low_to, *high, *high_from, *high_to;
		const char *avg[3];
		int avg_days[3];
		size_t changes, downs, ups;
		int64_t max_cut_bp, max_rise_bp;
		const char *last_change;
		int64_t days_since;
	} cases[] = {
		{ "2026-06-15", "12.00", "8.00", "2026-03-01", "2026-05-01", "12.00", "2026-05-01", "",
		  { "12.00", "10.044444444", "9.819277108" }, { 30, 90, 166 },
		  2, 1, 1, -2000, 5000, "2026-05-01", 45 },
		{ "2026-04-15", "8.00", "8.00", "2026-03-01", "", "10.00", "2026-01-01", "2026-03-01",
		  { "8.00", "8.977777778", "9.123809524" }, { 30, 90, 105 },
		  1, 1, 0, -2000, 0, "2026-03-01", 45 },
		/* before any change: since the first price */
		{ "2026-02-10", "10.00", "10.00", "2026-01-01", "", "10.00", "2026-01-01", "",
		  { "10.00", "10.00", "10.00" }, { 30, 41, 41 },
		  0, 0, 0, 0, 0, "", 40 },
	};
	struct store *st = open_mem();
	size_t i;
	int w;

	(void)state;
	observe(st, "demo", "2026-01-01", "demo", "demo-luna", "input", "standard", "", "10.00");
	observe(st, "demo", "2026-03-01", "demo", "demo-luna", "input", "standard", "", "8.00");
	observe(st, "demo", "2026-05-01", "demo", "demo-luna", "input", "standard", "", "12.00");
	observe(st, "demo", "2026-05-01", "demo", "demo-other", "input", "standard", "", "1.00");
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct query_filter f = { 0 };
		struct stats_keys ks = STATS_KEYS_INIT;
		struct tt_error err = { 0 };
		const struct stats_key *k;
		char b[MONEY_FMT_MAX];

		f.model = "demo-luna";
		f.as_of = cases[i].as_of;
		assert_int_equal(stats_keys_compute(st, &f, &ks, &err), 1);
		k = &ks.v[0];
		assert_true(k->current);
		assert_string_equal(fmt(k->p.nanos, b), cases[i].now);
		assert_string_equal(fmt(k->low, b), cases[i].low);
		assert_string_equal(k->low_from, cases[i].low_from);
		assert_string_equal(k->low_to, cases[i].low_to);
		assert_string_equal(fmt(k->high, b), cases[i].high);
		assert_string_equal(k->high_from, cases[i].high_from);
		assert_string_equal(k->high_to, cases[i].high_to);
		for (w = 0; w < STATS_WINDOWS; w++) {
			assert_true(k->has_avg[w]);
			if (strcmp(fmt(k->avg[w], b), cases[i].avg[w]))
				fail_msg("as of %s avg %d: %s, want %s", cases[i].as_of, stats_window_days[w], b,
					 cases[i].avg[w]);
			assert_int_equal(k->avg_days[w], cases[i].avg_days[w]);
		}
		assert_int_equal(k->changes, cases[i].changes);
		assert_int_equal(k->downs, cases[i].downs);
		assert_int_equal(k->ups, cases[i].ups);
		assert_int_equal(k->max_cut_bp, cases[i].max_cut_bp);
		assert_int_equal(k->max_rise_bp, cases[i].max_rise_bp);
		assert_string_equal(k->last_change, cases[i].last_change);
		assert_int_equal(k->days_since_change, cases[i].days_since);
		stats_keys_release(&ks);
	}
	store_close(st);
}

/* The rendered JSON carries money as exact decimal strings. */
static void test_key_render(void **state)
{
	struct store *st = open_mem();
	struct query_filter f = { 0 };
	struct stats_keys ks = STATS_KEYS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;

	(void)state;
	observe(st, "demo", "2026-01-01", "demo", "demo-luna", "input", "standard", "", "10.00");
	observe(st, "demo", "2026-03-01", "demo", "demo-luna", "input", "standard", "", "8.00");
	f.model = "demo-luna";
	f.as_of = "2026-03-31";
	assert_int_equal(stats_keys_compute(st, &f, &ks, &err), 1);
	assert_int_equal(stats_keys_render(&ks, QUERY_FORMAT_JSON, &out), 0);
	/* avg 90 over 01-01..03-31: 59 days at 10, 31 at 8 = 838 / 90 = 9.311111111 */
	assert_non_null(strstr(out.buf, "\"avg_90d\": \"9.311111111\", \"avg_90d_days\": 90"));
	assert_non_null(strstr(out.buf, "\"max_cut_pct\": \"-20.00\""));
	assert_non_null(strstr(out.buf, "\"high_to\": \"2026-03-01\""));
	assert_non_null(strstr(out.buf, "\"low_to\": null"));
	buf_reset(&out);
	assert_int_equal(stats_keys_render(&ks, QUERY_FORMAT_TABLE, &out), 0);
	assert_non_null(strstr(out.buf, "last change  2026-03-01: 10.00 -> 8.00 (-20.00%), 30 days before 2026-03-31"));
	buf_release(&out);
	stats_keys_release(&ks);
	store_close(st);
}

/*
 * Market view.  On 2026-06-01: standard: a 1.00, b 0.25 (cheapest),
 * c 0.00 (free: left out), d 0.10 but only for audio (left out), e 0.20
 * above 200k (left out) and 0.30 up to 200k (counts); batch: a 0.50;
 * priority: a 2.00.  b's price starts 2026-05-01, so on 2026-04-01 the
 * standard tier's cheapest is e (0.30).
 */
static void test_cheapest(void **state)
{
	static const struct {
		const char *as_of;
		const char *want; /* "tier provider/model price paid;..." */
	} cases[] = {
		{ "2026-06-01", "standard demo/b 0.25 3;batch demo/a 0.50 1;priority demo/a 2.00 1" },
		{ "2026-04-01", "standard demo/e 0.30 2;batch demo/a 0.50 1;priority demo/a 2.00 1" },
		{ "2025-01-01", "" },
	};
	struct store *st = open_mem();
	size_t i, k;

	(void)state;
	observe(st, "demo", "2026-01-01", "demo", "a", "input", "standard", "", "1.00");
	observe(st, "demo", "2026-01-01", "demo", "a", "input", "batch", "", "0.50");
	observe(st, "demo", "2026-01-01", "demo", "a", "input", "priority", "", "2.00");
	observe(st, "demo", "2026-05-01", "demo", "b", "input", "standard", "", "0.25");
	observe(st, "demo", "2026-01-01", "demo", "c", "input", "standard", "", "0");
	observe(st, "demo", "2026-01-01", "demo", "d", "input", "standard", "audio", "0.10");
	observe(st, "demo", "2026-01-01", "demo", "e", "input", "standard", "prompt>200k", "0.20");
	observe(st, "demo", "2026-01-01", "demo", "e", "input", "standard", "prompt<=200k", "0.30");
	observe(st, "demo", "2026-01-01", "demo", "a", "output", "standard", "", "0.01");
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct query_filter f = { 0 };
		struct stats_market m = STATS_MARKET_INIT;
		struct tt_error err = { 0 };
		char got[512] = "", b[MONEY_FMT_MAX];
		size_t o = 0;

		f.as_of = cases[i].as_of;
		assert_true(stats_market_compute(st, &f, NULL, NULL, &m, &err) >= 0);
		for (k = 0; k < m.n; k++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s %s/%s %s %zu", k ? ";" : "",
					      m.v[k].tier, m.v[k].row.p.provider, m.v[k].row.p.model,
					      fmt(m.v[k].row.p.nanos, b), m.v[k].models);
		if (strcmp(got, cases[i].want))
			fail_msg("as of %s: got '%s', want '%s'", cases[i].as_of, got, cases[i].want);
		if (i == 0)
			assert_int_equal(m.v[0].free_models, 1);
		stats_market_release(&m);
	}
	store_close(st);
}

/* The market table sizes its columns to the longest value: a long model
 * name (LiteLLM's accounts/fireworks/models/...) keeps every column aligned. */
static void test_cheapest_table_aligned(void **state)
{
	struct store *st = open_mem();
	struct query_filter f = { 0 };
	struct stats_market m = STATS_MARKET_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	const char *line, *col;
	size_t at = 0, n = 0;

	(void)state;
	observe(st, "demo", "2026-01-01", "fireworks_ai",
		"accounts/fireworks/models/flux-1-dev-controlnet-union", "input", "standard", "", "0.001");
	observe(st, "demo", "2026-01-01", "demo", "a", "input", "batch", "", "0.50");
	f.as_of = "2026-06-01";
	assert_int_equal(stats_market_compute(st, &f, NULL, NULL, &m, &err), 2);
	assert_int_equal(stats_market_render(&m, QUERY_FORMAT_TABLE, &out), 0);
	/* the PRICE header and every price end in the same column */
	line = strchr(out.buf, '\n') + 1;
	col = strstr(line, "PRICE");
	assert_non_null(col);
	at = (size_t)(col - line) + 5;
	for (line = strchr(line, '\n') + 1; *line; line = strchr(line, '\n') + 1, n++) {
		const char *end = line + at;

		assert_true(end[-1] >= '0' && end[-1] <= '9');
		assert_true(end[0] == ' ');
	}
	assert_int_equal(n, 2);
	buf_release(&out);
	stats_market_release(&m);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_series),
		cmocka_unit_test(test_key_render),
		cmocka_unit_test(test_cheapest),
		cmocka_unit_test(test_cheapest_table_aligned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
