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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_implausible_left_out),
		cmocka_unit_test(test_case2e_previous_value),
		cmocka_unit_test(test_fail_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
