/*
 * test_series_mix.c - group series (the cheapest member switches as prices
 * change; currencies never mixed; bands, free prices, sellers and source
 * ranking) and blended series (hand-checked numbers, the cost model's
 * fallbacks, and equal to `cost`'s price of the mix on every date), on
 * hand-built rows.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"
#include "tokentrend/costmodel.h"
#include "tokentrend/series_mix.h"
#include "tt_rows.h"

#define U(n) INT64_C(n)

static const char catalog[] =
	"model alpha\n  name va alpha alpha-2024\n  name cloud va/alpha\n"
	"model beta\n  name vb beta\n"
	"model gamma\n  name vc gamma\n"
	"model delta\n  name vd delta\n"
	"group g Alpha and beta\n  member alpha beta\n"
	"group banded\n  member delta\n"
	"group empty\n";

/* alpha: 10 then 4 (from 2024-06-01); beta: 6 from 2024-03-01, 3 from 2024-09-01;
 * gamma is not a member and always cheapest; the CNY row of beta is cheaper
 * but never mixed in. */
static struct price_row rows_group[] = {
	ROW("va", "alpha", "input", "standard", "", "", "1M tokens", "USD", U(10000000000), "va", "2024-01-01", "2024-06-01"),
	ROW("va", "alpha-2024", "input", "standard", "", "", "1M tokens", "USD", U(4000000000), "va", "2024-06-01", ""),
	ROW("vb", "beta", "input", "standard", "", "", "1M tokens", "USD", U(6000000000), "vb", "2024-03-01", "2024-09-01"),
	ROW("vb", "beta", "input", "standard", "", "", "1M tokens", "USD", U(3000000000), "vb", "2024-09-01", ""),
	ROW("vb", "beta", "input", "standard", "", "", "1M tokens", "CNY", U(1000000000), "vb", "2024-02-01", ""),
	ROW("vc", "gamma", "input", "standard", "", "", "1M tokens", "USD", U(100000000), "vc", "2024-01-01", ""),
	/* other dimensions and tiers never count */
	ROW("va", "alpha", "output", "standard", "", "", "1M tokens", "USD", U(1000000), "va", "2024-01-01", ""),
	ROW("va", "alpha", "input", "batch", "", "", "1M tokens", "USD", U(1000000), "va", "2024-01-01", ""),
	/* a reseller: only with all_sellers or provider "cloud" */
	ROW("cloud", "va/alpha", "input", "standard", "", "", "1M tokens", "USD", U(2000000000), "cloud", "2024-04-01", ""),
	/* a free tier never counts */
	ROW("vb", "beta", "input", "standard", "", "", "1M tokens", "USD", U(0), "litellm", "2024-05-01", "2024-05-15"),
};

struct group_case {
	const char *name;
	const char *group, *currency, *provider;
	int all_sellers;
	int rc;
	size_t n;
	const char *dates[6];
	int64_t nanos[6];
	const char *who[6];      /* trace: model as sold */
	const char *note_has;
};

static const struct group_case group_cases[] = {
	{ "cheapest switches between members", "g", NULL, NULL, 0, 0, 4,
	  { "2024-01-01", "2024-03-01", "2024-06-01", "2024-09-01" },
	  { U(10000000000), U(6000000000), U(4000000000), U(3000000000) },
	  { "alpha", "beta", "alpha-2024", "beta" }, "1 interval in other currencies (CNY) left out" },
	{ "only the CNY prices, never mixed with USD", "g", "CNY", NULL, 0, 0, 1,
	  { "2024-02-01" }, { U(1000000000) }, { "beta" }, "in other currencies (USD)" },
	{ "every seller: the reseller's 2.00 wins from 2024-04-01", "g", NULL, NULL, 1, 0, 4,
	  { "2024-01-01", "2024-03-01", "2024-04-01" , "" },
	  { U(10000000000), U(6000000000), U(2000000000) }, { "alpha", "beta", "va/alpha" }, "(every seller)" },
	{ "one seller", "g", NULL, "vb", 0, 0, 2, { "2024-03-01", "2024-09-01" },
	  { U(6000000000), U(3000000000) }, { "beta", "beta" }, "sold by vb" },
	{ "no such group: lists the groups", "nope", NULL, NULL, 0, TT_ENOTFOUND, 0, { NULL }, { 0 },
	  { NULL }, NULL },
	{ "a group without prices", "empty", NULL, NULL, 0, TT_ENOTFOUND, 0, { NULL }, { 0 }, { NULL },
	  NULL },
};

static int parse_catalog(struct models *m)
{
	struct tt_error err = { 0 };
	int rc = models_parse(m, catalog, strlen(catalog), "t.conf", &err);

	if (rc)
		fail_msg("catalog: %s", err.msg);
	return rc;
}

static void test_group_cases(void **state)
{
	struct price_rows rows = ROWS(rows_group);
	struct models m = MODELS_INIT;
	size_t i, j;

	(void)state;
	parse_catalog(&m);
	for (i = 0; i < TT_ARRAY_SIZE(group_cases); i++) {
		const struct group_case *c = &group_cases[i];
		struct series_group_options o = { NULL, NULL, c->currency, c->provider, NULL, c->all_sellers };
		struct series s = SERIES_INIT;
		struct series_mix_trace t = SERIES_MIX_TRACE_INIT;
		struct tt_error err = { 0 };
		int rc = series_group_from_rows(&rows, &m, c->group, &o, &s, &t, &err);
		size_t want_n = c->n;

		if (c->all_sellers)
			want_n = 3; /* 10, 6, then the reseller's 2 for good */
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (rc < 0) {
			if (c->rc == TT_ENOTFOUND && !strcmp(c->group, "nope"))
				assert_non_null(strstr(err.msg, "groups: g, banded, empty"));
			series_release(&s);
			series_mix_trace_release(&t);
			continue;
		}
		if (s.n != want_n)
			fail_msg("%s: %zu points, expected %zu", c->name, s.n, want_n);
		assert_int_equal(t.n, s.n);
		for (j = 0; j < s.n; j++) {
			if (strcmp(s.v[j].date, c->dates[j]) || s.v[j].nanos != c->nanos[j])
				fail_msg("%s: point %zu is %s %" PRId64 ", expected %s %" PRId64, c->name, j,
					 s.v[j].date, s.v[j].nanos, c->dates[j], c->nanos[j]);
			if (strcmp(t.v[j].model, c->who[j]))
				fail_msg("%s: point %zu from %s, expected %s", c->name, j, t.v[j].model, c->who[j]);
		}
		assert_string_equal(s.provider, "group");
		assert_string_equal(s.model, c->group);
		assert_string_equal(s.currency, c->currency ? c->currency : "USD");
		if (c->note_has && (!s.note || !strstr(s.note, c->note_has)))
			fail_msg("%s: note '%s' lacks '%s'", c->name, s.note ? s.note : "", c->note_has);
		series_release(&s);
		series_mix_trace_release(&t);
	}
	models_release(&m);
}

/* Bands, conditions, free prices and the source ranking. */
static struct price_row rows_rules[] = {
	/* delta is priced in bands only: the lower band counts, the upper never */
	ROW("vd", "delta", "input", "standard", "prompt<=200k", "", "1M tokens", "USD", U(3000000000), "vd", "2024-01-01", ""),
	ROW("vd", "delta", "input", "standard", "prompt>200k", "", "1M tokens", "USD", U(1000000000), "vd", "2024-01-01", ""),
	ROW("vd", "delta", "input", "standard", "offpeak", "", "1M tokens", "USD", U(500000000), "vd", "2024-01-01", ""),
	/* an aggregator's stale lower value loses to the seller's own page while both are in force */
	ROW("vd", "delta", "input", "standard", "", "", "1M tokens", "USD", U(2000000000), "litellm", "2024-02-01", ""),
	ROW("vd", "delta", "input", "standard", "prompt<=200k", "", "1M tokens", "USD", U(2500000000), "vd", "2024-03-01", "2024-04-01"),
	/* free: left out */
	ROW("vd", "delta", "input", "standard", "", "", "1M tokens", "USD", U(0), "litellm", "2024-05-01", "2024-06-01"),
};

static void test_group_rules(void **state)
{
	struct price_rows rows = ROWS(rows_rules);
	struct models m = MODELS_INIT;
	struct series_group_options o = { NULL, NULL, NULL, NULL, NULL, 0 };
	struct series s = SERIES_INIT;
	struct series_mix_trace t = SERIES_MIX_TRACE_INIT;
	struct tt_error err = { 0 };

	(void)state;
	parse_catalog(&m);
	assert_int_equal(series_group_from_rows(&rows, &m, "banded", &o, &s, &t, &err), 0);
	/* 01-01: only the vd page (3.00, lower band); 02-01: litellm 2.00 is in force but
	 * vd outranks it; 03-01: the page's 2.50; 04-01: the page's first interval (3.00)
	 * is still open, the 2.50 one closed */
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].date, "2024-01-01");
	assert_int_equal(s.v[0].nanos, U(3000000000));
	assert_string_equal(t.v[0].condition, "prompt<=200k");
	assert_string_equal(s.v[1].date, "2024-03-01");
	assert_int_equal(s.v[1].nanos, U(2500000000));
	assert_string_equal(s.v[2].date, "2024-04-01");
	assert_int_equal(s.v[2].nanos, U(3000000000));
	assert_non_null(strstr(s.note, "1 free (0) interval left out"));
	assert_non_null(strstr(s.note, "2 intervals under other conditions"));
	series_release(&s);
	series_mix_trace_release(&t);

	/* one source only: litellm's view (its free interval still left out) */
	o.source = "litellm";
	assert_int_equal(series_group_from_rows(&rows, &m, "banded", &o, &s, NULL, &err), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].nanos, U(2000000000));
	assert_string_equal(s.source, "litellm");
	series_release(&s);
	models_release(&m);
}

struct band_case {
	const char *cond;
	int64_t want;
};

static const struct band_case band_cases[] = {
	{ "prompt<=200k", 200000 }, { "prompt<272k", 272000 }, { "prompt<=1m", 1000000 },
	{ "prompt<=128000", 128000 }, { "", -1 }, { "prompt>200k", -1 }, { "prompt>=272k", -1 },
	{ "prompt<=200k,audio", -1 }, { "offpeak", -1 }, { "prompt<k", -1 }, { "prompt<=0k", -1 },
};

static void test_lower_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(band_cases); i++)
		if (series_mix_lower_band(band_cases[i].cond) != band_cases[i].want)
			fail_msg("'%s': %" PRId64, band_cases[i].cond, series_mix_lower_band(band_cases[i].cond));
	assert_int_equal(series_mix_lower_band(NULL), -1);
}

/* gpt-x: input 5 -> 2.50 (2024-08-06), output 15 -> 10 (2024-10-01), cache
 * read 1.25 from 2024-10-17, batch at half price from 2024-05-13. */
static struct price_row rows_blend[] = {
	ROW("openai", "gpt-x", "input", "standard", "", "", "1M tokens", "USD", U(5000000000), "openai", "2024-05-13", "2024-08-06"),
	ROW("openai", "gpt-x", "input", "standard", "", "", "1M tokens", "USD", U(2500000000), "openai", "2024-08-06", ""),
	ROW("openai", "gpt-x", "output", "standard", "", "", "1M tokens", "USD", U(15000000000), "openai", "2024-05-13", "2024-10-01"),
	ROW("openai", "gpt-x", "output", "standard", "", "", "1M tokens", "USD", U(10000000000), "openai", "2024-10-01", ""),
	ROW("openai", "gpt-x", "cache_read", "standard", "", "", "1M tokens", "USD", U(1250000000), "openai", "2024-10-17", ""),
	ROW("openai", "gpt-x", "input", "batch", "", "", "1M tokens", "USD", U(2500000000), "openai", "2024-05-13", "2024-08-06"),
	ROW("openai", "gpt-x", "input", "batch", "", "", "1M tokens", "USD", U(1250000000), "openai", "2024-08-06", ""),
	ROW("openai", "gpt-x", "output", "batch", "", "", "1M tokens", "USD", U(7500000000), "openai", "2024-05-13", "2024-10-01"),
	ROW("openai", "gpt-x", "output", "batch", "", "", "1M tokens", "USD", U(5000000000), "openai", "2024-10-01", ""),
	ROW("openai", "gpt-y", "input", "standard", "", "", "1M tokens", "USD", U(150000000), "openai", "2024-07-18", ""),
	ROW("openai", "gpt-y", "output", "standard", "", "", "1M tokens", "USD", U(600000000), "openai", "2024-07-18", ""),
	/* another currency for gpt-x output: never mixed in */
	ROW("openai", "gpt-x", "output", "standard", "", "", "1M tokens", "EUR", U(1000000000), "openai", "2024-05-13", ""),
	/* a catalog alias of gpt-x at the same seller (the aggregator's name) */
	ROW("openai", "gpt-x-2024", "input", "standard", "", "", "1M tokens", "USD", U(9000000000), "litellm", "2024-01-01", ""),
	/* gpt-w has an input price and nothing else */
	ROW("openai", "gpt-w", "input", "standard", "", "", "1M tokens", "USD", U(1000000000), "openai", "2024-01-01", ""),
};

struct blend_case {
	const char *name;
	const char *profile;
	int use_catalog;
	const char *currency; /* NULL: USD */
	int rc;
	size_t n;
	const char *dates[5];
	int64_t nanos[5];
	const char *tier, *err_has; /* err_has: in the message, or with rc 0 in the note */
};

static const struct blend_case blend_cases[] = {
	/* 300M in, 60M out: (300 x 5 + 60 x 15) / 360 = 6.6666666667; (750 + 900) / 360 =
	 * 4.5833333333; (750 + 600) / 360 = 3.75 */
	{ "input and output, 5:1", "model = openai/gpt-x\ntokens_input = 300M\ntokens_output = 60M\n", 0,
	  NULL, 0, 3, { "2024-05-13", "2024-08-06", "2024-10-01" },
	  { U(6666666667), U(4583333333), U(3750000000) }, "standard", NULL },
	/* with cached input 150M of 510M, billed at the input price until cache_read has a
	 * price, as `cost` bills it: (300 x 5 + 150 x 5 + 60 x 15) / 510 = 6.1764705882;
	 * (300 x 2.5 + 150 x 2.5 + 900) / 510 = 3.9705882353; (1125 + 600) / 510 = 3.3823529412;
	 * then (750 + 150 x 1.25 + 600) / 510 = 1537.5 / 510 = 3.0147058824 */
	{ "cached input without a cache_read price is billed at the input price",
	  "model = openai/gpt-x\ntokens_input = 300M\ntokens_cached_input = 150M\ntokens_output = 60M\n", 0,
	  NULL, 0, 4, { "2024-05-13", "2024-08-06", "2024-10-01", "2024-10-17" },
	  { U(6176470588), U(3970588235), U(3382352941), U(3014705882) }, "standard",
	  "cache_read at the input price (no cache_read price) from 2024-05-13 until 2024-10-17" },
	/* batch 50%: per dimension 0.5 std + 0.5 batch: input 3.75 then 1.875, output 11.25 then 7.5;
	 * 1:1 mix: (3.75 + 11.25) / 2 = 7.5; (1.875 + 11.25) / 2 = 6.5625; (1.875 + 7.5) / 2 = 4.6875 */
	{ "batch share 50%", "model = openai/gpt-x\ntokens_input = 1M\ntokens_output = 1M\nbatch_share = 50%\n",
	  0, NULL, 0, 3, { "2024-05-13", "2024-08-06", "2024-10-01" },
	  { U(7500000000), U(6562500000), U(4687500000) }, "mixed", NULL },
	/* all batch: (2.5 + 7.5) / 2 = 5; (1.25 + 7.5) / 2 = 4.375; (1.25 + 5) / 2 = 3.125 */
	{ "batch only", "model = openai/gpt-x\ntokens_input = 1M\ntokens_output = 1M\nbatch_share = 100%\n",
	  0, NULL, 0, 3, { "2024-05-13", "2024-08-06", "2024-10-01" },
	  { U(5000000000), U(4375000000), U(3125000000) }, "batch", NULL },
	/* two models 80/20, 3:1 mix: gpt-x 3:1 = (3 x 5 + 15) / 4 = 7.5 from 05-13; gpt-y from 07-18
	 * = (3 x 0.15 + 0.6) / 4 = 0.2625.  07-18: 0.8 x 7.5 + 0.2 x 0.2625 = 6.0525;
	 * 08-06: gpt-x (7.5 + 15) / 4 = 5.625 -> 4.5525; 10-01: (7.5 + 10) / 4 = 4.375 -> 3.5525 */
	{ "two models with shares",
	  "model = openai/gpt-x 80%\nmodel = openai/gpt-y 20%\ntokens_input = 3M\ntokens_output = 1M\n", 0,
	  NULL, 0, 3, { "2024-07-18", "2024-08-06", "2024-10-01" },
	  { U(6052500000), U(4552500000), U(3552500000) }, "standard", NULL },
	/* through the catalog, the aggregator's alias gpt-x-2024 (9.00 from 2024-01-01) counts where the
	 * page has no price yet, and loses to the page once it has one */
	{ "catalog alias fills the earlier dates", "model = openai/gpt-x\ntokens_input = 1M\n", 1, NULL, 0,
	  3, { "2024-01-01", "2024-05-13", "2024-08-06" },
	  { U(9000000000), U(5000000000), U(2500000000) }, "standard", NULL },
	/* gpt-y has no cache_write price: its input price 0.15 */
	{ "cache writes without a cache_write price are billed at the input price",
	  "model = openai/gpt-y\ntokens_cache_write = 1M\n", 0, NULL, 0, 1, { "2024-07-18" },
	  { U(150000000) }, "standard", "cache_write at the input price (no cache_write price) from 2024-07-18 on" },
	/* gpt-y has no batch price: the standard 0.15 */
	{ "batch without a batch price is billed at the standard price",
	  "model = openai/gpt-y\ntokens_input = 1M\nbatch_share = 10%\n", 0, NULL, 0, 1, { "2024-07-18" },
	  { U(150000000) }, "mixed", "input batch at the standard price (no batch price) from 2024-07-18 on" },
	{ "no tokens", "model = openai/gpt-x\n", 0, NULL, TT_EINVAL, 0, { NULL }, { 0 }, NULL,
	  "no tokens per month" },
	{ "no model", "tokens_input = 1M\n", 0, NULL, TT_EINVAL, 0, { NULL }, { 0 }, NULL, "names no `model`" },
	{ "a part without any price is named", "model = openai/gpt-w\ntokens_input = 1M\ntokens_output = 1M\n",
	  0, NULL, TT_ENOTFOUND, 0, { NULL }, { 0 }, NULL,
	  "no USD price per 1M tokens for openai/gpt-w output, which the profile needs" },
	/* in EUR, gpt-x has an output price only */
	{ "a part priced only in other currencies names them", "model = openai/gpt-x\ntokens_input = 1M\n", 0,
	  "EUR", TT_ENOTFOUND, 0, { NULL }, { 0 }, NULL,
	  "no EUR price per 1M tokens for openai/gpt-x input, which the profile needs; other currencies seen: USD" },
};

static void test_blend_cases(void **state)
{
	static const char blend_catalog[] = "model gpt-x\n  name openai gpt-x gpt-x-2024\n";
	struct price_rows rows = ROWS(rows_blend);
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };
	size_t i, j;

	(void)state;
	assert_int_equal(models_parse(&m, blend_catalog, strlen(blend_catalog), "t.conf", &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(blend_cases); i++) {
		const struct blend_case *c = &blend_cases[i];
		struct series_blend_options o = { c->currency, NULL };
		struct series s = SERIES_INIT;
		struct profile p;
		int rc;

		print_message("case %s\n", c->name);
		profile_init(&p);
		if (profile_parse(&p, c->profile, strlen(c->profile), "p.conf", &err))
			fail_msg("%s: profile: %s", c->name, err.msg);
		rc = series_blend_from_rows(&rows, &p, c->use_catalog ? &m : NULL, &o, &s, &err);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (rc < 0) {
			if (!strstr(err.msg, c->err_has))
				fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->err_has);
		} else {
			if (s.n != c->n)
				fail_msg("%s: %zu points, expected %zu", c->name, s.n, c->n);
			for (j = 0; j < s.n; j++)
				if (strcmp(s.v[j].date, c->dates[j]) || s.v[j].nanos != c->nanos[j])
					fail_msg("%s: point %zu is %s %" PRId64 ", expected %s %" PRId64, c->name,
						 j, s.v[j].date, s.v[j].nanos, c->dates[j], c->nanos[j]);
			assert_string_equal(s.dimension, "blend");
			assert_string_equal(s.tier, c->tier);
			assert_string_equal(s.currency, "USD");
			assert_non_null(strstr(s.note, "the first date every part has a price"));
			if (c->err_has && !strstr(s.note, c->err_has))
				fail_msg("%s: note '%s' lacks '%s'", c->name, s.note, c->err_has);
		}
		series_release(&s);
		profile_release(&p);
	}
	models_release(&m);
}

/*
 * The blend is `cost`'s "per 1M tokens of the mix" on every date: on each
 * point's date and on the day before the next point (costmodel_price), and
 * point for point with `cost --history` (costmodel_history).  Before the
 * first point `cost` cannot price the workload either.  The profiles take
 * the fallbacks (cached input and cache writes at the input price, gpt-y's
 * batch share at the standard price) and split odd token counts.
 */
static const char *const equal_profiles[] = {
	/* docs/profile-example.conf's mix on gpt-x */
	"model = openai/gpt-x\ntokens_input = 150M\ntokens_cached_input = 150M\ntokens_output = 15M\n",
	"model = openai/gpt-x 80%\nmodel = openai/gpt-y 20%\ntokens_input = 1000001\n"
	"tokens_cached_input = 333333\ntokens_cache_write = 7\ntokens_output = 250001\nbatch_share = 12.5%\n",
	"model = openai/gpt-x\ntokens_input = 3M\ntokens_output = 1M\nbatch_share = 33.3%\n",
};

static int64_t cost_blend_on(const struct costmodel *cm, int64_t day, int *rc)
{
	struct costmodel_bill b;
	struct tt_error err = { 0 };
	char date[11];
	int64_t v;

	memset(&b, 0, sizeof(b));
	*rc = costmodel_price(cm, NULL, 0, date_format(day, date), &b, &err);
	v = b.blend_nanos;
	costmodel_bill_release(&b);
	return v;
}

static void test_blend_equals_cost(void **state)
{
	static const char blend_catalog[] = "model gpt-x\n  name openai gpt-x gpt-x-2024\n";
	struct price_rows rows = ROWS(rows_blend);
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };
	size_t i, j;

	(void)state;
	assert_int_equal(models_parse(&m, blend_catalog, strlen(blend_catalog), "t.conf", &err), 0);
	for (i = 0; i < TT_ARRAY_SIZE(equal_profiles); i++) {
		struct costmodel_options o = { "2030-01-01", NULL, NULL, NULL };
		struct costmodel_history h;
		struct costmodel cm;
		struct series s = SERIES_INIT;
		struct profile p;
		int rc;

		profile_init(&p);
		if (profile_parse(&p, equal_profiles[i], strlen(equal_profiles[i]), "p.conf", &err))
			fail_msg("profile %zu: %s", i, err.msg);
		if (series_blend_from_rows(&rows, &p, &m, NULL, &s, &err))
			fail_msg("profile %zu: blend: %s", i, err.msg);
		assert_true(s.n >= 2);
		assert_int_equal(costmodel_init(&cm, &p, &m, &rows, &o, &err), 0);
		for (j = 0; j < s.n; j++) {
			int64_t last = j + 1 < s.n ? s.v[j + 1].day - 1 : s.v[j].day + 365;
			int64_t on = cost_blend_on(&cm, s.v[j].day, &rc), later;

			if (rc || on != s.v[j].nanos)
				fail_msg("profile %zu: %s: blend %" PRId64 ", cost %" PRId64 " (rc %d)", i,
					 s.v[j].date, s.v[j].nanos, on, rc);
			later = cost_blend_on(&cm, last, &rc);
			if (rc || later != s.v[j].nanos)
				fail_msg("profile %zu: the day before the point after %s: blend %" PRId64
					 ", cost %" PRId64 " (rc %d)", i, s.v[j].date, s.v[j].nanos, later, rc);
		}
		(void)cost_blend_on(&cm, s.v[0].day - 1, &rc);
		if (rc != TT_ENOTFOUND)
			fail_msg("profile %zu: cost prices the day before the blend's first point (rc %d)", i, rc);
		assert_int_equal(costmodel_history(&cm, &h, &err), 0);
		if (h.n != s.n)
			fail_msg("profile %zu: cost --history has %zu dates, the blend %zu points", i, h.n, s.n);
		for (j = 0; j < s.n; j++) {
			assert_string_equal(h.v[j].date, s.v[j].date);
			assert_int_equal(h.v[j].blend_nanos, s.v[j].nanos);
		}
		costmodel_history_release(&h);
		costmodel_release(&cm);
		series_release(&s);
		profile_release(&p);
	}
	models_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_cases),
		cmocka_unit_test(test_group_rules),
		cmocka_unit_test(test_lower_band),
		cmocka_unit_test(test_blend_cases),
		cmocka_unit_test(test_blend_equals_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
