/*
 * test_profile.c - the workload profile: documented defaults, every kind of
 * value (exact tokens, shares, money, hours), cross-key checks, errors
 * that name the file, the line and the key, and docs/profile-example.conf.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/profile.h"

#define NANO INT64_C(1000000000)

static void test_defaults(void **state)
{
	struct profile p;
	struct profile_money e;
	const struct profile_key *k;
	size_t n, i;

	(void)state;
	profile_init(&p);
	assert_int_equal(p.tokens_input, 0);
	assert_int_equal(p.batch_share, 0);
	assert_int_equal(p.threshold_share, PROFILE_PPB / 100); /* 1% */
	assert_int_equal(p.infrastructure.nanos, 0);
	assert_string_equal(p.infrastructure.currency, "USD");
	assert_int_equal(p.engineering_from, PROFILE_ENG_DEFAULT);
	assert_int_equal(profile_engineering_cost(&p, &e, NULL), 0);
	assert_int_equal(e.nanos, 15000 * NANO);
	assert_string_equal(e.currency, "USD");
	assert_int_equal(p.n_models, 0);
	assert_int_equal(profile_check(&p, NULL), 0);
	/* every key is documented with a help text */
	k = profile_keys(&n);
	assert_int_equal(n, 17); /* prompt_length added for the cost model */
	for (i = 0; i < n; i++)
		assert_true(k[i].help[0] != '\0');
	profile_release(&p);
}

struct value_case {
	const char *key, *value;
	int ok;
	int64_t want; /* the int64 field the key sets (tokens, ppb, nanos) */
};

static const struct value_case value_cases[] = {
	{ "tokens_input", "300000000", 1, INT64_C(300000000) },
	{ "tokens_input", "300M", 1, INT64_C(300000000) },
	{ "tokens_input", "1.5M", 1, INT64_C(1500000) },
	{ "tokens_input", "2_000_000", 1, INT64_C(2000000) },
	{ "tokens_input", "10B", 1, INT64_C(10000000000) },   /* TV2's 10,000 M tokens */
	{ "tokens_input", "1000T", 1, INT64_C(1000000000000000) },
	{ "tokens_input", "1001T", 0, 0 },                     /* over 1e15 */
	{ "tokens_input", "50k", 1, INT64_C(50000) },
	{ "tokens_input", "1.5", 0, 0 },                       /* a fraction of a token */
	{ "tokens_input", "1.0000005M", 0, 0 },
	{ "tokens_input", "-5", 0, 0 },
	{ "tokens_input", "1e6", 0, 0 },
	{ "tokens_input", "M", 0, 0 },
	{ "tokens_output", "0", 1, 0 },
	{ "batch_share", "12.5%", 1, INT64_C(125000000) },
	{ "batch_share", "0.125", 1, INT64_C(125000000) },
	{ "batch_share", "100%", 1, PROFILE_PPB },
	{ "batch_share", "101%", 0, 0 },
	{ "batch_share", "-1%", 0, 0 },
	{ "batch_share", "half", 0, 0 },
	{ "silent_share", "250%", 1, INT64_C(2500000000) },
	{ "token_growth", "-20%", 1, INT64_C(-200000000) },
	{ "token_growth", "-100%", 0, 0 },
	{ "engineering_growth", "3%", 1, INT64_C(30000000) },
	{ "threshold_share", "0.5%", 1, INT64_C(5000000) },
	{ "threshold_share", "0%", 0, 0 },
	{ "infrastructure", "1200 USD", 1, 1200 * NANO },
	{ "infrastructure", "95.50 EUR", 1, INT64_C(95500000000) },
	{ "infrastructure", "1200", 1, 1200 * NANO },
	{ "infrastructure", "1200 usd", 0, 0 },
	{ "infrastructure", "$1200", 0, 0 },
	{ "infrastructure", "-5 USD", 0, 0 },
	{ "engineering_hours", "37.5", 1, INT64_C(37500000000) },
	{ "engineering_hours", "745", 0, 0 },
	{ "no_such_key", "1", 0, 0 },
	{ "tokens_input", "", 0, 0 },
};

static int64_t field_of(const struct profile *p, const char *key)
{
	if (!strcmp(key, "tokens_input"))
		return p->tokens_input;
	if (!strcmp(key, "tokens_output"))
		return p->tokens_output;
	if (!strcmp(key, "batch_share"))
		return p->batch_share;
	if (!strcmp(key, "silent_share"))
		return p->silent_share;
	if (!strcmp(key, "token_growth"))
		return p->token_growth;
	if (!strcmp(key, "engineering_growth"))
		return p->engineering_growth;
	if (!strcmp(key, "threshold_share"))
		return p->threshold_share;
	if (!strcmp(key, "infrastructure"))
		return p->infrastructure.nanos;
	if (!strcmp(key, "engineering_hours"))
		return p->engineering_hours;
	return -1;
}

static void test_values(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(value_cases); i++) {
		const struct value_case *c = &value_cases[i];
		struct tt_error err = { 0 };
		struct profile p;
		int rc;

		profile_init(&p);
		rc = profile_set(&p, c->key, c->value, "p.conf", 7, &err);
		if (c->ok) {
			if (rc != 0)
				fail_msg("%s = '%s': rc %d (%s)", c->key, c->value, rc, err.msg);
			if (field_of(&p, c->key) != c->want)
				fail_msg("%s = '%s': got %" PRId64 ", expected %" PRId64, c->key, c->value,
					 field_of(&p, c->key), c->want);
		} else {
			char want[128];

			if (rc != TT_EINVAL)
				fail_msg("%s = '%s': accepted (rc %d)", c->key, c->value, rc);
			/* the message names file, line, key and value */
			snprintf(want, sizeof(want), "p.conf:7: %s: ", c->key);
			if (!strstr(err.msg, want) || !strstr(err.msg, c->value))
				fail_msg("%s = '%s': message '%s'", c->key, c->value, err.msg);
		}
		profile_release(&p);
	}
}

struct parse_case {
	const char *name, *text;
	int rc;
	const char *err_has;
};

static const struct parse_case parse_cases[] = {
	{ "comments, blanks, spaces around '='",
	  "# a profile\n\n  tokens_input=1M   # inline comment\ntokens_output = 200k\n", 0, NULL },
	{ "a key twice", "tokens_input = 1M\n\ntokens_input = 2M\n", TT_EINVAL,
	  "p.conf:3: tokens_input: given twice (first on line 1)" },
	{ "not key = value", "tokens_input 1M\n", TT_EINVAL, "p.conf:1: expected `key = value`" },
	{ "a bad value on line 4", "tokens_input = 1M\n\n# x\nbatch_share = 2\n", TT_EINVAL,
	  "p.conf:4: batch_share: a share lies between 0% and 100% ('2')" },
	{ "unknown key", "token_input = 1M\n", TT_EINVAL, "p.conf:1: token_input: unknown key" },
	{ "model without provider", "model = gpt-4o\n", TT_EINVAL,
	  "p.conf:1: model: expected PROVIDER/MODEL" },
	{ "two models without shares", "model = openai/gpt-4o\nmodel = openai/gpt-4o-mini\n", TT_EINVAL,
	  "give each one a share" },
	{ "shares that do not add up", "model = openai/gpt-4o 80%\nmodel = openai/gpt-4o-mini 30%\n",
	  TT_EINVAL, "add up to 110.00%, not 100%" },
	{ "shares that add up", "model = openai/gpt-4o 80%\nmodel = openai/gpt-4o-mini 0.2\n", 0, NULL },
	{ "a compared model takes no share", "compare = openai/gpt-4o 50%\n", TT_EINVAL,
	  "p.conf:1: compare: a compared model takes no share" },
	{ "hours without a rate", "engineering_hours = 160\n", TT_EINVAL,
	  "engineering_hours without engineering_rate" },
	{ "monthly and hours x rate", "engineering_monthly = 9000 USD\nengineering_hours = 160\n"
	  "engineering_rate = 100 USD\n", TT_EINVAL, "keep one" },
	{ "CRLF line ends", "tokens_input = 1M\r\nbatch_share = 50%\r\n", 0, NULL },
};

static void test_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct tt_error err = { 0 };
		struct profile p;
		int rc;

		profile_init(&p);
		rc = profile_parse(&p, c->text, strlen(c->text), "p.conf", &err);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (c->err_has && !strstr(err.msg, c->err_has))
			fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->err_has);
		profile_release(&p);
	}
}

static void test_models_and_overrides(void **state)
{
	static const char text[] = "model = openrouter/openai/gpt-4o 80%\nmodel = openai/gpt-4o-mini 20%\n"
				   "compare = anthropic/claude-sonnet-4-5\ntokens_input = 1M\n";
	struct tt_error err = { 0 };
	struct profile p;

	(void)state;
	profile_init(&p);
	assert_int_equal(profile_parse(&p, text, strlen(text), "p.conf", &err), 0);
	assert_int_equal(p.n_models, 2);
	assert_string_equal(p.models[0].provider, "openrouter"); /* split at the first '/' */
	assert_string_equal(p.models[0].model, "openai/gpt-4o");
	assert_int_equal(p.models[0].share, INT64_C(800000000));
	assert_int_equal(p.models[0].line, 1);
	assert_int_equal(p.n_compare, 1);
	assert_string_equal(p.compare[0].model, "claude-sonnet-4-5");
	assert_int_equal(p.compare[0].share, PROFILE_PPB);
	/* a flag later overrides a file value (line 0: not from a file) */
	assert_int_equal(profile_set(&p, "tokens_input", "2M", "--tokens-input", 0, &err), 0);
	assert_int_equal(p.tokens_input, 2000000);
	assert_int_equal(profile_tokens_total(&p), 2000000);
	profile_release(&p);
	profile_release(&p);
	profile_release(NULL);
}

struct eng_case {
	const char *text;
	int64_t nanos;
	const char *currency;
};

static const struct eng_case eng_cases[] = {
	{ "", 15000 * NANO, "USD" },
	{ "engineering_hours = 80\nengineering_rate = 120 USD\n", 9600 * NANO, "USD" },
	{ "engineering_hours = 37.5\nengineering_rate = 95.50 EUR\n", INT64_C(3581250000000), "EUR" },
	{ "engineering_monthly = 11022.50 USD\n", INT64_C(11022500000000), "USD" },
	/* 0.333333333 h x 0.000000003 = 9.99999999e-10: rounds half-even to 1 nano */
	{ "engineering_hours = 0.333333333\nengineering_rate = 0.000000003\n", 1, "USD" },
};

static void test_engineering_cost(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(eng_cases); i++) {
		struct tt_error err = { 0 };
		struct profile_money m;
		struct profile p;

		profile_init(&p);
		if (profile_parse(&p, eng_cases[i].text, strlen(eng_cases[i].text), "p.conf", &err))
			fail_msg("case %zu: %s", i, err.msg);
		assert_int_equal(profile_engineering_cost(&p, &m, &err), 0);
		if (m.nanos != eng_cases[i].nanos)
			fail_msg("case %zu: %" PRId64 " nanos, expected %" PRId64, i, m.nanos, eng_cases[i].nanos);
		assert_string_equal(m.currency, eng_cases[i].currency);
		profile_release(&p);
	}
}

static void test_example_file(void **state)
{
	char path[512];
	struct tt_error err = { 0 };
	struct profile_money e;
	struct profile p;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/profile-example.conf", TT_SOURCE_DIR);
	if (profile_load(&p, path, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(p.tokens_input, INT64_C(150000000));
	assert_int_equal(p.tokens_cached_input, INT64_C(150000000));
	assert_int_equal(p.tokens_output, INT64_C(15000000));
	assert_int_equal(p.n_models, 1);
	assert_string_equal(p.models[0].provider, "openai");
	assert_string_equal(p.models[0].model, "gpt-4o");
	assert_int_equal(p.n_compare, 2);
	assert_string_equal(p.group, "gpt-4-class");
	assert_int_equal(p.infrastructure.nanos, 1200 * NANO);
	assert_int_equal(profile_engineering_cost(&p, &e, &err), 0);
	assert_int_equal(e.nanos, 9600 * NANO);
	assert_int_equal(p.silent_share, PROFILE_PPB / 10);
	assert_int_equal(p.token_growth, PROFILE_PPB / 2);
	assert_int_equal(p.threshold_share, PROFILE_PPB / 100);
	profile_release(&p);

	assert_int_equal(profile_load(&p, "/nonexistent/p.conf", &err), TT_EIO);
	profile_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_models_and_overrides),
		cmocka_unit_test(test_engineering_cost),
		cmocka_unit_test(test_example_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
