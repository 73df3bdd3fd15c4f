/*
 * test_costmodel.c - the cost model on hand-built rows: every figure of
 * three profiles' breakdowns computed by hand in the table below (one of
 * them already below the threshold), the history, side by side, guard
 * rails, currencies refused or converted, and TV2 of FORECASTING.md through
 * the forecasting engine (crossing 2029-02-17, and 2029-06-30 with the BLS
 * wage), with "already below", "not within the horizon" and "never".
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/costmodel.h"

#define ROW(prov, model, dim, tier, cond, cur, nanos, src, from, to)                                 \
	{ { (char *)prov, (char *)model, (char *)dim, (char *)tier, (char *)cond, (char *)"",         \
	    (char *)"1M tokens", (char *)cur, nanos, NULL, NULL, NULL, NULL },                          \
	  (char *)src, from, to, from, from, NULL, 0, 0, "" }
#define U(n) INT64_C(n)
#define USD(n) (U(n) * U(1000000000))

static const char catalog[] =
	"model alpha\n  name va alpha alpha-2024\n"
	"model beta\n  name vb beta\n"
	"model gamma\n  name vc gamma\n"
	"group g Alpha, beta and gamma\n  member alpha beta gamma\n";

/*
 * alpha (seller va): input 10.00 until 2024-06-01, then 4.00 under its
 * dated name alpha-2024; output 30.00; from 2024-06-01 a cache_read price
 * 1.00 and batch prices 2.00 / 15.00 (no batch cache_read).  An aggregator's
 * 3.00 from 2024-03-01 ranks below the seller's own page and never counts.
 * beta (vb): 0.25 / 1.25, no batch, no cache_read.
 * gamma (vc): priced by prompt length only: input 1.25 / 2.50 and output
 * 10.00 / 15.000002 under and over 200k.  A EUR row is never mixed in.
 */
static struct price_row rows[] = {
	ROW("va", "alpha", "input", "standard", "", "USD", U(10000000000), "va", "2024-01-01", "2024-06-01"),
	ROW("va", "alpha-2024", "input", "standard", "", "USD", U(4000000000), "va", "2024-06-01", ""),
	ROW("va", "alpha", "input", "standard", "", "USD", U(3000000000), "litellm", "2024-03-01", ""),
	ROW("va", "alpha", "output", "standard", "", "USD", U(30000000000), "va", "2024-01-01", ""),
	ROW("va", "alpha", "cache_read", "standard", "", "USD", U(1000000000), "va", "2024-06-01", ""),
	ROW("va", "alpha", "input", "batch", "", "USD", U(2000000000), "va", "2024-06-01", ""),
	ROW("va", "alpha", "output", "batch", "", "USD", U(15000000000), "va", "2024-06-01", ""),
	ROW("va", "alpha", "input", "standard", "", "EUR", U(1000000), "va", "2024-01-01", ""),
	ROW("vb", "beta", "input", "standard", "", "USD", U(250000000), "vb", "2024-01-01", ""),
	ROW("vb", "beta", "output", "standard", "", "USD", U(1250000000), "vb", "2024-01-01", ""),
	ROW("vc", "gamma", "input", "standard", "prompt<=200k", "USD", U(1250000000), "vc", "2024-01-01", ""),
	ROW("vc", "gamma", "input", "standard", "prompt>200k", "USD", U(2500000000), "vc", "2024-01-01", ""),
	ROW("vc", "gamma", "output", "standard", "prompt<=200k", "USD", U(10000000000), "vc", "2024-01-01", ""),
	ROW("vc", "gamma", "output", "standard", "prompt>200k", "USD", U(15000002000), "vc", "2024-01-01", ""),
};

struct line_exp {
	const char *model, *dimension, *tier;
	int64_t tokens, price, cost;
	unsigned flags;
};

struct breakdown_case {
	const char *name;
	const char *profile;
	const char *as_of;
	size_t n_lines;
	struct line_exp lines[8];
	int64_t api, silent, infra, eng, total, blend;
	int64_t share[COSTMODEL_N_LAYERS]; /* ppb */
	int64_t bill_eng_ppb, threshold;
	int below;
};

/*
 * Hand computations (USD):
 * A  input 100M: 20% batch = 20M x 2.00 = 40; 80M x 4.00 = 320.
 *    cached 50M: 10M batch, no batch cache_read -> standard 1.00 = 10; 40M x 1.00 = 40.
 *    output 10M: 2M x 15.00 = 30; 8M x 30.00 = 240.       API = 680, silent 10% = 68,
 *    engineering 100 h x 150 = 15000, infrastructure 500, total 16248;
 *    shares 680/16248 = 4.1851305%, 68/16248 = 0.418513%, 500/16248 = 3.0773018%,
 *    15000/16248 = 92.3190547%; bill 748 = 4.9866667% of 15000 > 1% (150).
 *    blend = 680 / 160M tokens = 4.25 per 1M.
 * B  (a content pipeline: 4 runs of 50K tokens) 160K x 0.25 = 0.04, 40K x 1.25 = 0.05:
 *    API 0.09, engineering 15000 (the default), total 15000.09; 0.09/15000.09 =
 *    0.0006% (6000 ppb); bill = 0.0006% of engineering: already below 1% (150).
 * C  two models 75/25 on a 300K-token prompt (gamma's >200k band); input 1,000,001:
 *    alpha 750,001 (750,000.75 rounded half to even, the last model takes the rest)
 *    x 4.00 = 3.000004; gamma 250,000 x 2.50 = 0.625; output 1000: alpha 750 x 30 =
 *    0.0225, gamma 250 x 15.000002 = 0.0037500005 -> 0.00375 (half to even: 3750000.5
 *    nanos -> 3750000).  API: exact sum 3651254000.5 nanos -> 3.651254 (half to even),
 *    silent 12.5% = 0.45640675, engineering 8000, total 8004.10766075.
 */
static const struct breakdown_case breakdown_cases[] = {
	{ "A: batch, cache reads, a batch fallback, hours x rate; above the threshold",
	  "model = va/alpha\ntokens_input = 100M\ntokens_cached_input = 50M\ntokens_output = 10M\n"
	  "batch_share = 20%\ninfrastructure = 500 USD\nengineering_hours = 100\n"
	  "engineering_rate = 150 USD\nsilent_share = 10%\n",
	  "2024-07-01", 6,
	  { { "alpha", "input", "standard", U(80000000), U(4000000000), USD(320), 0 },
	    { "alpha", "input", "batch", U(20000000), U(2000000000), USD(40), 0 },
	    { "alpha", "cache_read", "standard", U(40000000), U(1000000000), USD(40), 0 },
	    { "alpha", "cache_read", "batch", U(10000000), U(1000000000), USD(10), COSTMODEL_BATCH_AS_STANDARD },
	    { "alpha", "output", "standard", U(8000000), U(30000000000), USD(240), 0 },
	    { "alpha", "output", "batch", U(2000000), U(15000000000), USD(30), 0 } },
	  USD(680), USD(68), USD(500), USD(15000), USD(16248), U(4250000000),
	  { U(41851305), U(4185130), U(30773018), U(923190547) }, U(49866667), USD(150), 0 },
	{ "B: a small content pipeline, already below",
	  "model = vb/beta\ntokens_input = 160K\ntokens_output = 40K\n", "2024-07-01", 2,
	  { { "beta", "input", "standard", U(160000), U(250000000), U(40000000), 0 },
	    { "beta", "output", "standard", U(40000), U(1250000000), U(50000000), 0 } },
	  U(90000000), 0, 0, USD(15000), U(15000090000000), U(450000000),
	  { U(6000), 0, 0, U(999994000) }, U(6000), USD(150), 1 },
	{ "C: two models by share, a long-context band, half-to-even rounding",
	  "model = va/alpha 75%\nmodel = vc/gamma 25%\nprompt_length = 300K\n"
	  "tokens_input = 1000001\ntokens_output = 1000\nsilent_share = 12.5%\n"
	  "engineering_monthly = 8000 USD\n",
	  "2024-07-01", 4,
	  { { "alpha", "input", "standard", U(750001), U(4000000000), U(3000004000), 0 },
	    { "gamma", "input", "standard", U(250000), U(2500000000), U(625000000), COSTMODEL_BAND },
	    { "alpha", "output", "standard", U(750), U(30000000000), U(22500000), 0 },
	    { "gamma", "output", "standard", U(250), U(15000002000), U(3750000), COSTMODEL_BAND } },
	  U(3651254000), U(456406750), 0, USD(8000), U(8004107660750), U(3647602750),
	  { U(456173), U(57022), 0, U(999486806) }, U(513458), USD(80), 1 },
};

static void load_catalog(struct models *m)
{
	struct tt_error err = { 0 };

	assert_int_equal(models_parse(m, catalog, strlen(catalog), "t.conf", &err), 0);
}

static void load_profile(struct profile *p, const char *text)
{
	struct tt_error err = { 0 };
	int rc;

	profile_init(p);
	rc = profile_parse(p, text, strlen(text), "p.conf", &err);
	if (rc)
		fail_msg("profile: %s", err.msg);
}

static struct price_rows all_rows(void)
{
	struct price_rows r = { rows, TT_ARRAY_SIZE(rows), TT_ARRAY_SIZE(rows) };

	return r;
}

static void test_breakdowns(void **state)
{
	struct price_rows pr = all_rows();
	struct models cat = MODELS_INIT;
	size_t i, j;
	int k;

	(void)state;
	load_catalog(&cat);
	for (i = 0; i < TT_ARRAY_SIZE(breakdown_cases); i++) {
		const struct breakdown_case *c = &breakdown_cases[i];
		struct costmodel_options o = { c->as_of, NULL, NULL, NULL };
		struct costmodel cm;
		struct costmodel_breakdown b;
		struct profile p;
		struct tt_error err = { 0 };
		struct buf out = BUF_INIT;

		print_message("case %s\n", c->name);
		load_profile(&p, c->profile);
		assert_int_equal(costmodel_init(&cm, &p, &cat, &pr, &o, &err), 0);
		if (costmodel_breakdown(&cm, &b, &err))
			fail_msg("%s: %s", c->name, err.msg);
		assert_int_equal(b.bill.n_lines, c->n_lines);
		for (j = 0; j < c->n_lines; j++) {
			const struct line_exp *e = &c->lines[j];
			const struct costmodel_line *l = NULL;
			size_t m;

			for (m = 0; m < b.bill.n_lines; m++)
				if (!strcmp(b.bill.lines[m].model, e->model) &&
				    !strcmp(b.bill.lines[m].dimension, e->dimension) &&
				    !strcmp(b.bill.lines[m].tier, e->tier))
					l = &b.bill.lines[m];
			if (!l)
				fail_msg("%s: no line %s %s %s", c->name, e->model, e->dimension, e->tier);
			assert_int_equal(l->tokens, e->tokens);
			assert_int_equal(l->price_nanos, e->price);
			assert_int_equal(l->cost_nanos, e->cost);
			assert_int_equal(l->flags, e->flags);
		}
		assert_int_equal(b.layer_nanos[COSTMODEL_API], c->api);
		assert_int_equal(b.layer_nanos[COSTMODEL_SILENT], c->silent);
		assert_int_equal(b.layer_nanos[COSTMODEL_INFRASTRUCTURE], c->infra);
		assert_int_equal(b.layer_nanos[COSTMODEL_ENGINEERING], c->eng);
		assert_int_equal(b.total_nanos, c->total);
		assert_int_equal(b.bill.blend_nanos, c->blend);
		for (k = 0; k < COSTMODEL_N_LAYERS; k++)
			assert_int_equal(b.layer_share_ppb[k], c->share[k]);
		assert_int_equal(b.bill_engineering_ppb, c->bill_eng_ppb);
		assert_int_equal(b.threshold_nanos, c->threshold);
		assert_int_equal(b.below, c->below);
		/* both renderings work and say it */
		assert_int_equal(costmodel_render_breakdown(&cm, &b, 0, &out), 0);
		assert_non_null(strstr(out.buf, c->below ? "already below" : "above"));
		buf_reset(&out);
		assert_int_equal(costmodel_render_breakdown(&cm, &b, 1, &out), 0);
		assert_non_null(strstr(out.buf, c->below ? "\"already_below\": true" : "\"already_below\": false"));
		buf_release(&out);
		costmodel_breakdown_release(&b);
		costmodel_release(&cm);
		profile_release(&p);
	}
	models_release(&cat);
}

/* A's history: on 2024-01-01 everything at standard input/output prices
 * (10.00 / 30.00; no batch or cache_read yet): 100M + 50M at 10.00 = 1500,
 * 10M x 30 = 300, API 1800; on 2024-06-01 680.  The aggregator's interval
 * from 2024-03-01 changes nothing and is not a row. */
static void test_history(void **state)
{
	struct price_rows pr = all_rows();
	struct models cat = MODELS_INIT;
	struct costmodel_options o = { "2024-07-01", NULL, NULL, NULL };
	struct costmodel cm;
	struct costmodel_history h;
	struct profile p;
	struct tt_error err = { 0 };

	(void)state;
	load_catalog(&cat);
	load_profile(&p, breakdown_cases[0].profile);
	assert_int_equal(costmodel_init(&cm, &p, &cat, &pr, &o, &err), 0);
	assert_int_equal(costmodel_history(&cm, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].date, "2024-01-01");
	assert_int_equal(h.v[0].api_nanos, USD(1800));
	assert_int_equal(h.v[0].bill_nanos, USD(1980));
	assert_true(h.v[0].flags & COSTMODEL_AT_INPUT_PRICE);
	assert_string_equal(h.v[1].date, "2024-06-01");
	assert_int_equal(h.v[1].api_nanos, USD(680));
	costmodel_history_release(&h);
	costmodel_release(&cm);
	profile_release(&p);
	models_release(&cat);
}

/* A on alpha 748 (bill), beta: (100M + 50M) x 0.25 + 10M x 1.25 = 50, bill 55;
 * gamma (short prompts: the lower band): 150M x 1.25 + 10M x 10 = 287.5, bill
 * 316.25.  Ratios to beta: 13.6 and 5.75; whole system 16248 / 15555. */
static void test_compare(void **state)
{
	struct price_rows pr = all_rows();
	struct models cat = MODELS_INIT;
	struct costmodel_options o = { "2024-07-01", NULL, NULL, NULL };
	const char *specs[] = { "va/alpha", "g", "nobody/none" };
	struct costmodel cm;
	struct costmodel_compare c;
	struct profile p;
	struct tt_error err = { 0 };

	(void)state;
	load_catalog(&cat);
	load_profile(&p, breakdown_cases[0].profile);
	assert_int_equal(costmodel_init(&cm, &p, &cat, &pr, &o, &err), 0);
	assert_int_equal(costmodel_compare(&cm, specs, 3, &c, &err), 0);
	assert_int_equal(c.n, 4); /* alpha once, beta, gamma, the unknown one */
	assert_int_equal(c.n_priced, 3);
	assert_int_equal(c.v[0].bill.bill_nanos, USD(748));
	assert_string_equal(c.v[1].canonical, "beta");
	assert_int_equal(c.v[1].bill.bill_nanos, USD(55));
	assert_int_equal(c.v[2].bill.bill_nanos, U(316250000000));
	assert_int_equal(c.cheapest, 1);
	assert_rel(c.v[0].cost_ratio, 13.6, 1e-12);
	assert_rel(c.v[0].quality_ratio_needed, 13.6, 1e-12);
	assert_rel(c.v[2].cost_ratio, 5.75, 1e-12);
	assert_rel(c.v[0].system_ratio, 16248.0 / 15555.0, 1e-12);
	assert_false(c.v[3].priced);
	assert_non_null(strstr(c.v[3].reason, "nobody/none"));
	costmodel_compare_release(&c);
	{
		const char *bad[] = { "no-such-thing" };

		assert_int_equal(costmodel_compare(&cm, bad, 1, &c, &err), TT_EINVAL);
		costmodel_compare_release(&c);
	}
	costmodel_release(&cm);
	profile_release(&p);
	models_release(&cat);
}

/* B's mix on beta: sum T_d p_d = 160000 x 0.25 + 40000 x 1.25 = 0.09 USD for
 * 200,000 tokens.  A run budget of 0.01: N = floor(0.01 x 200000 / 0.09) =
 * 22222; input floor(22222 x 0.8) = 17777, output floor(22222 x 0.2) = 4444:
 * 22221 tokens costing 0.00999925 <= 0.01.  A month budget of 150: N =
 * 333,333,333 -> 266,666,666 + 66,666,666. */
static void test_guard(void **state)
{
	struct price_rows pr = all_rows();
	struct models cat = MODELS_INIT;
	struct costmodel_options o = { "2024-07-01", NULL, NULL, NULL };
	struct costmodel cm;
	struct costmodel_guard g;
	struct profile p;
	struct tt_error err = { 0 };

	(void)state;
	load_catalog(&cat);
	load_profile(&p, breakdown_cases[1].profile);
	assert_int_equal(costmodel_init(&cm, &p, &cat, &pr, &o, &err), 0);
	assert_int_equal(costmodel_guard(&cm, U(10000000), 0, NULL, 0, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_true(g.v[0].priced);
	assert_int_equal(g.v[0].cost_per_mtok_nanos, U(450000000));
	assert_int_equal(g.v[0].max_by_dim[0], 17777);
	assert_int_equal(g.v[0].max_by_dim[3], 4444);
	assert_int_equal(g.v[0].max_tokens, 22221);
	costmodel_guard_release(&g);
	assert_int_equal(costmodel_guard(&cm, USD(150), 1, NULL, 0, &g, &err), 0);
	assert_int_equal(g.v[0].max_by_dim[0], U(266666666));
	assert_int_equal(g.v[0].max_by_dim[3], U(66666666));
	assert_int_equal(g.v[0].max_tokens, U(333333332));
	assert_rel(g.v[0].months_volume_ratio, 333333332.0 / 200000.0, 1e-12);
	costmodel_guard_release(&g);
	assert_int_equal(costmodel_guard(&cm, 0, 0, NULL, 0, &g, &err), TT_EINVAL);
	costmodel_guard_release(&g);
	costmodel_release(&cm);
	profile_release(&p);
	models_release(&cat);
}

/* 1 EUR = 1.10 USD, for the conversion hook. */
static int fx_eur(void *ctx, const char *from, const char *to, const char *date, int64_t nanos,
		  int64_t *out, struct tt_error *err)
{
	(void)ctx;
	(void)date;
	if (strcmp(from, "EUR") || strcmp(to, "USD"))
		return tt_set_error(err, TT_ENOTFOUND, "no rate");
	*out = nanos / 10 * 11;
	return 0;
}

static void test_currencies(void **state)
{
	struct price_rows pr = all_rows();
	struct costmodel_options o = { "2024-07-01", NULL, NULL, NULL };
	struct costmodel_fx fx = { fx_eur, NULL, "test rate" };
	struct costmodel cm;
	struct profile p;
	struct tt_error err = { 0 };

	(void)state;
	load_profile(&p, "model = vb/beta\ntokens_input = 1M\nengineering_monthly = 12000 EUR\n");
	/* no rate: refuse, naming both currencies */
	assert_int_equal(costmodel_init(&cm, &p, NULL, &pr, &o, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "EUR"));
	assert_non_null(strstr(err.msg, "USD"));
	assert_non_null(strstr(err.msg, "no exchange rate"));
	costmodel_release(&cm);
	/* with the hook: 12000 EUR = 13200 USD, and the note says so */
	o.fx = &fx;
	assert_int_equal(costmodel_init(&cm, &p, NULL, &pr, &o, &err), 0);
	assert_int_equal(cm.engineering_nanos, USD(13200));
	assert_non_null(strstr(cm.notes, "test rate"));
	costmodel_release(&cm);
	profile_release(&p);
	/* infrastructure in GBP with a EUR-only hook: refused */
	load_profile(&p, "model = vb/beta\ntokens_input = 1M\ninfrastructure = 10 GBP\n");
	assert_int_equal(costmodel_init(&cm, &p, NULL, &pr, &o, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "GBP"));
	costmodel_release(&cm);
	profile_release(&p);
}

/*
 * TV2: $0.15/M on 2026-06-01 falling at k = ln(7/3) per year; 10,000 M
 * tokens per month.  The history is four yearly points on that exact curve
 * (0.15 x (7/3)^(days/365.25), to the nano-unit), fitted by the engine's
 * log-linear model.
 */
static struct price_row rows_tv2[] = {
	ROW("tv", "flash", "input", "standard", "", "USD", U(1906660991), "tv", "2023-06-01", "2024-06-01"),
	ROW("tv", "flash", "input", "standard", "", "USD", U(815719974), "tv", "2024-06-01", "2025-06-01"),
	ROW("tv", "flash", "input", "standard", "", "USD", U(349797079), "tv", "2025-06-01", "2026-06-01"),
	ROW("tv", "flash", "input", "standard", "", "USD", U(150000000), "tv", "2026-06-01", ""),
	/* a series that rises: never */
	ROW("tr", "up", "input", "standard", "", "USD", U(100000000), "tr", "2024-06-01", "2025-06-01"),
	ROW("tr", "up", "input", "standard", "", "USD", U(120000000), "tr", "2025-06-01", "2026-01-01"),
	ROW("tr", "up", "input", "standard", "", "USD", U(150000000), "tr", "2026-01-01", ""),
};

struct tv2_case {
	const char *name;
	const char *profile;
	int horizon;
	enum fit_cross_status status;
	const char *date;
	double p_star;
};

static const struct tv2_case tv2_cases[] = {
	{ "TV2: E = 15,000/mo, P* = 0.015, crossing 2029-02-17",
	  "model = tv/flash\ntokens_input = 10000M\nengineering_monthly = 15000 USD\n", 60,
	  FIT_CROSS_DATE, "2029-02-17", 0.015 },
	{ "TV2: E = 11,022.50/mo (BLS median wage), crossing 2029-06-30",
	  "model = tv/flash\ntokens_input = 10000M\nengineering_monthly = 11022.50 USD\n", 60,
	  FIT_CROSS_DATE, "2029-06-30", 0.0110225 },
	{ "TV2 generic: bill 1500 = 1% of 150,000: already below",
	  "model = tv/flash\ntokens_input = 10000M\nengineering_monthly = 150000 USD\n", 60,
	  FIT_CROSS_ALREADY_BELOW, "", 0.15 },
	{ "TV2 with a 24-month horizon: not within the horizon",
	  "model = tv/flash\ntokens_input = 10000M\nengineering_monthly = 15000 USD\n", 24,
	  FIT_CROSS_BEYOND_HORIZON, "", 0.015 },
	{ "TV2 with tokens growing 7/3 per year as fast as prices fall: never",
	  "model = tv/flash\ntokens_input = 10000M\nengineering_monthly = 15000 USD\n"
	  "token_growth = 133.3333333333%\n", 60, FIT_CROSS_NEVER, "", 0.015 },
	{ "a rising price: never",
	  "model = tr/up\ntokens_input = 10000M\nengineering_monthly = 15000 USD\n", 60,
	  FIT_CROSS_NEVER, "", 0.015 },
};

static void test_tv2(void **state)
{
	struct price_rows pr = { rows_tv2, TT_ARRAY_SIZE(rows_tv2), TT_ARRAY_SIZE(rows_tv2) };
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(tv2_cases); i++) {
		const struct tv2_case *c = &tv2_cases[i];
		struct costmodel_options o = { "2026-06-01", NULL, NULL, NULL };
		struct costmodel_projection_options po = { c->horizon, 0, "loglinear", NULL };
		struct costmodel_projection proj;
		const struct costmodel_scenario *s;
		struct costmodel cm;
		struct profile p;
		struct tt_error err = { 0 };
		struct buf out = BUF_INIT;

		print_message("case %s\n", c->name);
		load_profile(&p, c->profile);
		assert_int_equal(costmodel_init(&cm, &p, NULL, &pr, &o, &err), 0);
		if (costmodel_project(&cm, &po, &proj, &err))
			fail_msg("%s: %s", c->name, err.msg);
		s = &proj.s[COSTMODEL_STAY];
		assert_true(s->available);
		assert_int_equal(s->cross.status, c->status);
		assert_string_equal(s->cross.date, c->date);
		assert_rel(s->p_star_est, c->p_star, 1e-9);
		if (i == 0) {
			/* bill now 10,000 x 0.15 = 1500 exactly; the fit is TV1's rate */
			assert_int_equal(s->today.bill_nanos, USD(1500));
			assert_rel(s->fc.factor_per_year, 7.0 / 3.0, 1e-6);
			assert_rel(s->months[0].bill_est, 1500.0, 1e-6);
			assert_string_equal(s->months[0].date, "2026-06-01");
			assert_string_equal(s->months[1].date, "2026-07-01");
			assert_int_equal(s->n_months, 61);
			assert_string_equal(proj.end, "2031-06-01");
		}
		/* no catalog: the cheapest-of-group scenario says why it is missing */
		assert_false(proj.s[COSTMODEL_CHEAPEST].available);
		assert_non_null(strstr(proj.s[COSTMODEL_CHEAPEST].reason, "group"));
		assert_int_equal(costmodel_render_projection(&cm, &proj, 1, &out), 0);
		assert_non_null(strstr(out.buf, "\"estimates\": true"));
		buf_release(&out);
		costmodel_projection_release(&proj);
		costmodel_release(&cm);
		profile_release(&p);
	}
}

/* The cheapest-of-group scenario on the A profile: beta is the cheapest
 * member from the start (its bill 55 is under 150 already). */
static void test_cheapest_scenario(void **state)
{
	struct price_rows pr = all_rows();
	struct models cat = MODELS_INIT;
	struct costmodel_options o = { "2024-07-01", NULL, NULL, NULL };
	struct costmodel_projection proj;
	struct costmodel cm;
	struct profile p;
	struct tt_error err = { 0 };

	(void)state;
	load_catalog(&cat);
	load_profile(&p, breakdown_cases[0].profile);
	assert_int_equal(costmodel_init(&cm, &p, &cat, &pr, &o, &err), 0);
	assert_int_equal(costmodel_project(&cm, NULL, &proj, &err), 0);
	assert_true(proj.s[COSTMODEL_STAY].available);
	assert_true(proj.s[COSTMODEL_CHEAPEST].available);
	assert_string_equal(proj.s[COSTMODEL_CHEAPEST].today_model, "vb/beta");
	assert_int_equal(proj.s[COSTMODEL_CHEAPEST].today.bill_nanos, USD(55));
	assert_int_equal(proj.s[COSTMODEL_CHEAPEST].cross.status, FIT_CROSS_ALREADY_BELOW);
	/* alpha's two changes are too few to fit: held flat and said so */
	assert_true(proj.s[COSTMODEL_STAY].flat);
	assert_non_null(strstr(proj.s[COSTMODEL_STAY].reason, "held at today's level"));
	assert_int_equal(proj.s[COSTMODEL_STAY].cross.status, FIT_CROSS_NEVER);
	costmodel_projection_release(&proj);
	costmodel_release(&cm);
	profile_release(&p);
	models_release(&cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breakdowns),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_currencies),
		cmocka_unit_test(test_tv2),
		cmocka_unit_test(test_cheapest_scenario),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
