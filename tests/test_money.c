/*
 * test_money.c - exact decimal money: parsing, scaling, rounding, formatting.
 * Cases 2 (unit scale) and 17 (money stored as REAL) of ../shared/cases.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"

struct parse_case {
	const char *text;
	int scale;
	int rc;
	int64_t nanos;
};

static const struct parse_case parse_cases[] = {
	{ "8.20", 0, 0, INT64_C(8200000000) },           /* case 17: not 8199999999 */
	{ "0.70", 0, 0, INT64_C(700000000) },
	{ "0.075", 0, 0, INT64_C(75000000) },
	{ "0", 0, 0, 0 },
	{ "-1", 6, 0, INT64_C(-1000000000000000) },       /* sentinel parses; caller skips */
	{ "2.5e-06", 6, 0, INT64_C(2500000000) },         /* JSON number text, per token */
	{ "1e-05", 6, 0, INT64_C(10000000000) },
	{ "0.00000015", 6, 0, INT64_C(150000000) },       /* case 2 (c) */
	{ "0.0000006", 6, 0, INT64_C(600000000) },
	{ "0.00015", 3, 0, INT64_C(150000000) },          /* case 2 (b): per 1K */
	{ "0.0000000208333333333333", 6, 0, INT64_C(20833333) }, /* OpenRouter repeating decimal */
	{ "0.0000000000005", 0, 0, 0 },                   /* half to even: 0.0000000005 -> 0 */
	{ "0.0000000015", 0, 0, 2 },                      /* 1.5 nano -> 2 (even) */
	{ "0.0000000025", 0, 0, 2 },                      /* 2.5 nano -> 2 (even) */
	{ "0.00000000250001", 0, 0, 3 },
	{ ".5", 0, 0, INT64_C(500000000) },
	{ " 15 ", 0, 0, INT64_C(15000000000) },
	{ "1234.50", 0, 0, INT64_C(1234500000000) },
	{ "1E2", 0, 0, INT64_C(100000000000) },
	{ "abc", 0, TT_EINVAL, 0 },
	{ "", 0, TT_EINVAL, 0 },
	{ "1.2.3", 0, TT_EINVAL, 0 },
	{ "1e", 0, TT_EINVAL, 0 },
	{ "1,234", 0, TT_EINVAL, 0 },
	{ "99999999999999999999", 0, TT_ERANGE, 0 },
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		int64_t v = -42;
		struct tt_error err = { 0 };
		int rc = money_parse_str(c->text, c->scale, &v, &err);
		if (rc != c->rc)
			fail_msg("case %zu '%s': rc %d, expected %d", i, c->text, rc, c->rc);
		if (rc == 0 && v != c->nanos)
			fail_msg("case %zu '%s': %" PRId64 ", expected %" PRId64, i, c->text, v, c->nanos);
		if (rc != 0)
			assert_non_null(strstr(err.msg, c->text));
	}
}

struct fmt_case {
	int64_t nanos;
	const char *text;
};

static const struct fmt_case fmt_cases[] = {
	{ INT64_C(8200000000), "8.20" },
	{ INT64_C(75000000), "0.075" },   /* case 17: not "0.07" */
	{ 0, "0.00" },
	{ INT64_C(20833333), "0.020833333" },
	{ INT64_C(-1000000000), "-1.00" },
	{ INT64_C(1250000000000), "1250.00" },
	{ INT64_C(22500000000), "22.50" },
	{ INT64_MIN, "-9223372036.854775808" },
};

static void test_format_table(void **state)
{
	char out[MONEY_FMT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(fmt_cases); i++)
		assert_string_equal(money_format(fmt_cases[i].nanos, out, sizeof(out)), fmt_cases[i].text);
}

/* Case 17: 0.70 + 0.10 == 0.80 exactly in stored units. */
static void test_case17_integer_sum(void **state)
{
	int64_t a, b, c;

	(void)state;
	assert_int_equal(money_parse_str("0.70", 0, &a, NULL), 0);
	assert_int_equal(money_parse_str("0.10", 0, &b, NULL), 0);
	assert_int_equal(money_parse_str("0.80", 0, &c, NULL), 0);
	assert_true(a + b == c);
}

/* Case 2: the same price in three units normalises to one value. */
static void test_case2_units(void **state)
{
	static const struct {
		const char *unit_text;
		const char *number;
		enum money_unit_kind kind;
	} cases[] = {
		{ "/ 1M tokens", "0.15", MONEY_UNIT_PER_1M },
		{ "per 1K tokens", "0.00015", MONEY_UNIT_PER_1K },
		{ "per million input tokens", "0.15", MONEY_UNIT_PER_1M },
		{ "per token", "0.00000015", MONEY_UNIT_PER_TOKEN },
		{ "per_1m_tokens", "0.15", MONEY_UNIT_PER_1M },
		{ "$5 / MTok", "0.15", MONEY_UNIT_PER_1M },
		{ "百万tokens输入", "0.15", MONEY_UNIT_PER_1M },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		int64_t v;
		enum money_unit_kind k = money_unit_from_text(cases[i].unit_text);
		if (k != cases[i].kind)
			fail_msg("unit '%s': kind %d, expected %d", cases[i].unit_text, k, cases[i].kind);
		assert_int_equal(money_parse_str(cases[i].number, money_unit_scale(k), &v, NULL), 0);
		assert_true(v == INT64_C(150000000));
	}
	assert_int_equal(money_unit_from_text("per image"), MONEY_UNIT_UNKNOWN);
}

static void test_currency(void **state)
{
	(void)state;
	assert_string_equal(money_currency_from_text("$"), "USD");
	assert_string_equal(money_currency_from_text("\xe2\x82\xac"), "EUR");
	assert_string_equal(money_currency_from_text("\xe5\x85\x83"), "CNY");
	assert_string_equal(money_currency_from_text("CNY"), "CNY");
	assert_null(money_currency_from_text("\xc2\xa5")); /* bare yen sign: ambiguous */
	assert_null(money_currency_from_text("XYZ"));

	assert_true(money_currency_code("USD"));
	assert_true(money_currency_code("CNY"));
	assert_false(money_currency_code("usd"));
	assert_false(money_currency_code("US"));
	assert_false(money_currency_code("USDT"));
	assert_false(money_currency_code("U$D"));
	assert_false(money_currency_code(""));
	assert_false(money_currency_code(NULL));
}

/* One rounding rule for every money division: half to even, symmetric in sign. */
static void test_div_half_even(void **state)
{
	static const struct {
		int64_t num, den, want;
	} cases[] = {
		{ 5, 2, 2 },   { 7, 2, 4 },   { -5, 2, -2 }, { -7, 2, -4 },
		{ 6, 4, 2 },   { 10, 4, 2 },  { 11, 4, 3 },  { -11, 4, -3 },
		{ 1, 3, 0 },   { 2, 3, 1 },   { -2, 3, -1 }, { 0, 7, 0 },
		{ 9, 1, 9 },   { 1, 1000000, 0 }, { 500000, 1000000, 0 }, { 1500000, 1000000, 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		__int128 got = money_div_half_even(cases[i].num, cases[i].den);

		if (got != cases[i].want)
			fail_msg("%lld / %lld: got %lld, want %lld", (long long)cases[i].num,
				 (long long)cases[i].den, (long long)got, (long long)cases[i].want);
	}
	/* beyond int64: the 128-bit product of a price and a token count */
	assert_true(money_div_half_even((__int128)INT64_MAX * 1000 + 500, 1000) == (__int128)INT64_MAX + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_case17_integer_sum),
		cmocka_unit_test(test_case2_units),
		cmocka_unit_test(test_currency),
		cmocka_unit_test(test_div_half_even),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
