/*
 * test_validate.c - bounds on single prices and the fail-closed rules on a
 * source's whole extraction.  Case 2 (e) of ../shared/cases: "$15,000 / 1M
 * tokens" is not written, and is reported as implausible.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/validate.h"
#include "tokentrend/money.h"

struct bound_case {
	const char *name;
	const char *value;   /* decimal text */
	const char *unit;
	const char *currency;
	int rc;
	const char *msg_has;
};

static const struct bound_case bound_cases[] = {
	{ "case 2 (a): 0.15 per 1M", "0.15", "1M tokens", "USD", 0, NULL },
	{ "case 2 (e): 15000 per 1M is implausible", "15000", "1M tokens", "USD", TT_EVALIDATE,
	  "implausible: 15000.00 USD per 1M tokens (> 1000.00)" },
	{ "exactly the bound is allowed", "1000", "1M tokens", "USD", 0, NULL },
	{ "negative", "-1", "1M tokens", "USD", TT_EVALIDATE, "negative price -1.00" },
	{ "free is plausible", "0", "1M tokens", "USD", 0, NULL },
	{ "CNY has a wider bound", "5000", "1M tokens", "CNY", 0, NULL },
	{ "a per-request price is not bounded per 1M tokens", "5000", "request", "USD", 0, NULL },
};

static void test_bounds(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(bound_cases); i++) {
		const struct bound_case *c = &bound_cases[i];
		struct price p = { 0 };
		struct tt_error err = { 0 };
		int rc;

		p.unit = (char *)c->unit;
		p.currency = (char *)c->currency;
		assert_int_equal(money_parse_str(c->value, 0, &p.nanos, NULL), 0);
		rc = validate_price_bounds(&p, &err);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (c->msg_has && !strstr(err.msg, c->msg_has))
			fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->msg_has);
	}
}

static void add(struct price_list *l, const char *model, const char *dim, const char *value)
{
	struct price p = { 0 };

	p.provider = "demo";
	p.model = (char *)model;
	p.dimension = (char *)dim;
	assert_int_equal(money_parse_str(value, 0, &p.nanos, NULL), 0);
	p.text = (char *)value;
	assert_int_equal(price_list_add(l, &p), 0);
}

static const char *const anchors[] = { "demo-a", NULL };
static const struct source_def demo_src = { "demo", "demo page", NULL, SOURCE_HTML, NULL, 2, anchors, 1 };

/* Implausible values are removed and reported; the rest of the source stores. */
static void test_implausible_left_out(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct validate_report rep;
	struct tt_error err = { 0 };

	(void)state;
	add(&l, "demo-a", "input", "0.15");
	add(&l, "demo-a", "output", "15000");
	add(&l, "demo-b", "input", "0.60");
	validate_report_init(&rep);
	assert_int_equal(validate_prices(&demo_src, &l, &rep, &err), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(rep.models, 2);
	assert_non_null(strstr(rep.notes.buf, "demo-a output standard: implausible: 15000.00"));
	validate_report_release(&rep);
	price_list_release(&l);
}

/*
 * A value left out for breaking a bound is handed back in rep->refused
 * (key and value), so that the caller can count its key as still on the
 * page; a plausible value stays in the list.
 */
struct refused_case {
	const char *name;
	const char *value;
	const char *currency;
	int refused;
};

static const struct refused_case refused_cases[] = {
	{ "over the bound", "15000", "USD", 1 },
	{ "just over the bound", "1000.000000001", "USD", 1 },
	{ "negative", "-0.5", "USD", 1 },
	{ "over the CNY bound", "10001", "CNY", 1 },
	{ "the bound itself", "1000", "USD", 0 },
	{ "free", "0", "USD", 0 },
	{ "CNY under its bound", "5000", "CNY", 0 },
};

static void test_refused_handed_back(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(refused_cases); i++) {
		const struct refused_case *c = &refused_cases[i];
		struct price_list l = PRICE_LIST_INIT;
		struct validate_report rep;
		struct tt_error err = { 0 };
		struct price p = { 0 };

		add(&l, "demo-a", "input", "0.15");
		p.provider = "demo";
		p.model = "demo-c";
		p.dimension = "output";
		p.currency = (char *)c->currency;
		p.text = (char *)c->value;
		assert_int_equal(money_parse_str(c->value, 0, &p.nanos, NULL), 0);
		assert_int_equal(price_list_add(&l, &p), 0);
		add(&l, "demo-b", "input", "0.60");
		validate_report_init(&rep);
		if (validate_prices(&demo_src, &l, &rep, &err) != 0)
			fail_msg("%s: %s", c->name, err.msg);
		if (rep.refused.n != (size_t)c->refused || rep.rejected != (size_t)c->refused ||
		    l.n != 3 - (size_t)c->refused)
			fail_msg("%s: %zu refused, %zu rejected, %zu kept", c->name, rep.refused.n,
				 rep.rejected, l.n);
		if (c->refused) {
			const struct price *r = &rep.refused.v[0];
			assert_string_equal(r->provider, "demo");
			assert_string_equal(r->model, "demo-c");
			assert_string_equal(r->dimension, "output");
			assert_string_equal(r->currency, c->currency);
			assert_string_equal(r->text, c->value);
			assert_true(r->nanos == p.nanos);
		}
		validate_report_release(&rep);
		price_list_release(&l);
	}
}

static int prev_015(void *ctx, const struct price *p, int64_t *nanos)
{
	(void)ctx;
	if (strcmp(p->model, "demo-a"))
		return 0;
	*nanos = INT64_C(150000000); /* 0.15 stored before */
	return 1;
}

/* Case 2 (e): the rejection says how far the value jumped from the stored one. */
static void test_case2e_previous_value(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct validate_report rep;

	(void)state;
	add(&l, "demo-a", "input", "15000");
	add(&l, "demo-a", "output", "0.60");
	add(&l, "demo-b", "input", "0.60");
	validate_report_init(&rep);
	rep.prev = prev_015;
	assert_int_equal(validate_prices(&demo_src, &l, &rep, NULL), 0);
	assert_int_equal(rep.rejected, 1);
	assert_non_null(strstr(rep.notes.buf, "implausible: 15000.00 USD per 1M tokens (> 1000.00) / "
					      "100000\xc3\x97 previous value 0.15 (not stored)"));
	validate_report_release(&rep);
	price_list_release(&l);
}

struct closed_case {
	const char *name;
	const char *models[4];
	const char *msg_has;
};

static const struct closed_case closed_cases[] = {
	{ "no prices", { NULL }, "no prices found" },
	{ "fewer models than the floor", { "demo-a", NULL }, "only 1 models found, expected at least 2" },
	{ "anchor model missing", { "demo-b", "demo-c", NULL }, "anchor model 'demo-a' is missing" },
};

static void test_fail_closed(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(closed_cases); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct validate_report rep;
		struct tt_error err = { 0 };

		for (k = 0; closed_cases[i].models[k]; k++)
			add(&l, closed_cases[i].models[k], "input", "1.00");
		validate_report_init(&rep);
		if (validate_prices(&demo_src, &l, &rep, &err) != TT_EVALIDATE)
			fail_msg("%s: not failed closed", closed_cases[i].name);
		if (!strstr(err.msg, closed_cases[i].msg_has))
			fail_msg("%s: message '%s' lacks '%s'", closed_cases[i].name, err.msg,
				 closed_cases[i].msg_has);
		validate_report_release(&rep);
		price_list_release(&l);
	}
}

/* A price of demo with the given model, dimension and tier. */
static void add_tier(struct price_list *l, const char *model, const char *dim, const char *tier,
		     const char *value)
{
	struct price p = { 0 };

	p.provider = "demo";
	p.model = (char *)model;
	p.dimension = (char *)dim;
	p.tier = (char *)tier;
	assert_int_equal(money_parse_str(value, 0, &p.nanos, NULL), 0);
	assert_int_equal(price_list_add(l, &p), 0);
}

struct relation_case {
	const char *name;
	struct {
		const char *dim, *tier, *value;
	} prices[4];
	int breaks;
	const char *msg_has;
};

static const struct relation_case relation_cases[] = {
	{ "cache read below input", { { "input", "standard", "2.50" }, { "cache_read", "standard", "0.25" } }, 0, NULL },
	{ "cache read equal to input (no discount; OpenRouter has such models)",
	  { { "input", "standard", "0.05" }, { "cache_read", "standard", "0.05" } }, 0, NULL },
	{ "cache read above input", { { "input", "standard", "2.50" }, { "cache_read", "standard", "3.00" } }, 1,
	  "demo demo-a standard: cache_read 3.00 is above input 2.50" },
	{ "cache read without an input price", { { "cache_read", "standard", "3.00" } }, 0, NULL },
	{ "batch below standard", { { "input", "standard", "2.50" }, { "input", "batch", "1.25" } }, 0, NULL },
	{ "batch above standard", { { "output", "standard", "10.00" }, { "output", "batch", "12.00" } }, 1,
	  "demo demo-a batch: batch output 12.00 is above standard 10.00" },
	{ "two breaks", { { "input", "standard", "1.00" }, { "input", "batch", "2.00" },
			  { "cache_read", "standard", "3.00" } }, 2, "cache_read 3.00 is above input 1.00" },
	{ "flex is not compared", { { "input", "standard", "1.00" }, { "input", "flex", "2.00" } }, 0, NULL },
};

static void test_relations(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(relation_cases); i++) {
		const struct relation_case *c = &relation_cases[i];
		struct price_list l = PRICE_LIST_INIT;
		struct buf why = BUF_INIT;
		int n;

		for (k = 0; k < 4 && c->prices[k].dim; k++)
			add_tier(&l, "demo-a", c->prices[k].dim, c->prices[k].tier, c->prices[k].value);
		n = validate_relations(&l, &why);
		if (n != c->breaks)
			fail_msg("%s: %d breaks, expected %d (%s)", c->name, n, c->breaks, why.buf);
		if (c->msg_has && !strstr(why.buf, c->msg_has))
			fail_msg("%s: '%s' lacks '%s'", c->name, why.buf, c->msg_has);
		buf_release(&why);
		price_list_release(&l);
	}
}

/* A relation break fails the whole source closed (DESIGN.md) and says why. */
static void test_relation_fails_source(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct validate_report rep;
	struct tt_error err = { 0 };

	(void)state;
	add_tier(&l, "demo-a", "input", "standard", "2.50");
	add_tier(&l, "demo-a", "cache_read", "standard", "3.00");
	add_tier(&l, "demo-b", "input", "standard", "1.00");
	validate_report_init(&rep);
	assert_int_equal(validate_prices(&demo_src, &l, &rep, &err), TT_EVALIDATE);
	assert_non_null(strstr(err.msg, "demo: 1 value breaks a relation (demo demo-a standard: "
				     "cache_read 3.00 is above input 2.50); nothing stored"));
	assert_int_equal(rep.relation_breaks, 1);
	validate_report_release(&rep);
	price_list_release(&l);
}

struct jump_case {
	const char *value, *prev;
	int jump;
};

static const struct jump_case jump_cases[] = {
	{ "16.00", "1.50", 1 },   /* 10.67x up */
	{ "15.00", "1.50", 0 },   /* exactly 10x: not over */
	{ "15.000000001", "1.50", 1 },
	{ "0.15", "1.50", 0 },    /* exactly a tenth */
	{ "0.149999999", "1.50", 1 },
	{ "0.10", "2.00", 1 },    /* a twentieth */
	{ "2.00", "2.50", 0 },
	{ "0", "2.50", 0 },       /* to free: no ratio, a normal change */
	{ "2.50", "0", 0 },       /* from free */
};

static void test_is_jump(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(jump_cases); i++) {
		int64_t a, b;
		assert_int_equal(money_parse_str(jump_cases[i].value, 0, &a, NULL), 0);
		assert_int_equal(money_parse_str(jump_cases[i].prev, 0, &b, NULL), 0);
		if (validate_is_jump(a, b) != jump_cases[i].jump)
			fail_msg("%s vs stored %s: jump %d, expected %d", jump_cases[i].value, jump_cases[i].prev,
				 !jump_cases[i].jump, jump_cases[i].jump);
	}
}

static int prev_all_2(void *ctx, const struct price *p, int64_t *nanos)
{
	(void)ctx;
	(void)p;
	*nanos = INT64_C(2000000000); /* 2.00 stored for every key */
	return 1;
}

/* Jumps over 10x leave the list for the review list, with the stored value. */
static void test_jumps_split(void **state)
{
	struct price_list l = PRICE_LIST_INIT;
	struct validate_report rep;

	(void)state;
	add(&l, "demo-a", "input", "2.10");
	add(&l, "demo-a", "output", "25.00");
	add(&l, "demo-b", "input", "0.10");
	validate_report_init(&rep);
	rep.prev = prev_all_2;
	assert_int_equal(validate_prices(&demo_src, &l, &rep, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].model, "demo-a");
	assert_int_equal(rep.flagged.n, 2);
	assert_string_equal(rep.flagged.v[0].dimension, "output");
	assert_int_equal(rep.flagged_prev[0], INT64_C(2000000000));
	assert_string_equal(rep.flagged.v[1].model, "demo-b");
	validate_report_release(&rep);
	price_list_release(&l);
}

struct half_case {
	size_t last_good, now;
	int rc;
};

static const struct half_case half_cases[] = {
	{ 0, 2, 0 },            /* no good run known */
	{ 4, 2, 0 },            /* exactly half is enough */
	{ 5, 2, TT_EVALIDATE }, /* 2 < 2.5 */
	{ 10, 3, TT_EVALIDATE },
	{ 3, 9, 0 },            /* growth is fine */
};

/* "No fewer than half the models of the last good run." */
static void test_half_of_last_good(void **state)
{
	static const char *const names[] = { "demo-a", "demo-b", "demo-c", "demo-d", "demo-e",
					     "demo-f", "demo-g", "demo-h", "demo-i" };
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(half_cases); i++) {
		struct price_list l = PRICE_LIST_INIT;
		struct validate_report rep;
		struct tt_error err = { 0 };
		int rc;

		for (k = 0; k < half_cases[i].now; k++)
			add(&l, names[k], "input", "1.00");
		validate_report_init(&rep);
		rep.last_good_models = half_cases[i].last_good;
		snprintf(rep.last_good_date, sizeof(rep.last_good_date), "2026-01-01");
		rc = validate_prices(&demo_src, &l, &rep, &err);
		if (rc != half_cases[i].rc)
			fail_msg("last good %zu, now %zu: rc %d (%s)", half_cases[i].last_good, half_cases[i].now,
				 rc, err.msg);
		if (rc && !strstr(err.msg, "fewer than half of the"))
			fail_msg("message '%s'", err.msg);
		validate_report_release(&rep);
		price_list_release(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_implausible_left_out),
		cmocka_unit_test(test_refused_handed_back),
		cmocka_unit_test(test_case2e_previous_value),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_relation_fails_source),
		cmocka_unit_test(test_is_jump),
		cmocka_unit_test(test_jumps_split),
		cmocka_unit_test(test_half_of_last_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
