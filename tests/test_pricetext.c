/*
 * test_pricetext.c - one price cell's text into values.
 * Cases 1 (tiered cells), 8 (time-of-day cell), 11 (number formats) and
 * 14 (NBSP, U+202F, split text) of ../shared/cases, plus qualifiers.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/pricetext.h"

#define NBSP "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"
#define EURO "\xe2\x82\xac"
#define EMDASH "\xe2\x80\x94"
#define ENDASH "\xe2\x80\x93"

struct want {
	enum pricetext_status status;
	const char *number;   /* exact decimal text, NULL when not VALUE */
	int64_t nanos;
	const char *currency;
	const char *prompt;
	const char *time_band;
	const char *modality;
	const char *note;     /* substring expected in the note, or NULL for "" */
	enum money_unit_kind unit;
};

struct pt_case {
	const char *name;
	const char *text;
	const char *currency; /* default currency */
	const char *locale;
	int n;                /* values expected */
	struct want v[3];
};

#define V(num, nanos, cur) PRICETEXT_VALUE, num, INT64_C(nanos), cur
#define UNKNOWN PRICETEXT_UNKNOWN, NULL, 0, "USD"

static const struct pt_case cases[] = {
	/* Case 1: tiered cells (as html_node_text gives them: <br> is "\n"). */
	{ "case 1: demo-pro input", "$1.25, prompts <= 200k tokens\n$2.50, prompts > 200k tokens",
	  "USD", "en-US", 2,
	  { { V("1.25", 1250000000, "USD"), "prompt<=200k", "", "", NULL, 0 },
	    { V("2.50", 2500000000, "USD"), "prompt>200k", "", "", NULL, 0 } } },
	{ "case 1: demo-pro output", "$10.00, prompts <= 200k tokens\n$15.00, prompts > 200k tokens",
	  "USD", "en-US", 2,
	  { { V("10.00", 10000000000, "USD"), "prompt<=200k", "", "", NULL, 0 },
	    { V("15.00", 15000000000, "USD"), "prompt>200k", "", "", NULL, 0 } } },
	{ "case 1: demo-pro-b input", "$2.00 (<=200K) / $4.00 (>200K)", "USD", "en-US", 2,
	  { { V("2.00", 2000000000, "USD"), "prompt<=200k", "", "", NULL, 0 },
	    { V("4.00", 4000000000, "USD"), "prompt>200k", "", "", NULL, 0 } } },
	{ "case 1: demo-pro-b output", "$12.00 (<=200K) / $18.00 (>200K)", "USD", "en-US", 2,
	  { { V("12.00", 12000000000, "USD"), "prompt<=200k", "", "", NULL, 0 },
	    { V("18.00", 18000000000, "USD"), "prompt>200k", "", "", NULL, 0 } } },
	{ "case 1: demo-flash input", "$0.30", "USD", "en-US", 1,
	  { { V("0.30", 300000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 1: demo-flash output", "$2.50", "USD", "en-US", 1,
	  { { V("2.50", 2500000000, "USD"), "", "", "", NULL, 0 } } },

	/* Case 11: number formats (page locale en-US unless noted). */
	{ "case 11: $0.15 / 1M tokens", "$0.15 / 1M tokens", "USD", "en-US", 1,
	  { { V("0.15", 150000000, "USD"), "", "", "", NULL, MONEY_UNIT_PER_1M } } },
	{ "case 11: $0.075", "$0.075", "USD", "en-US", 1,
	  { { V("0.075", 75000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 11: $1,234.50", "$1,234.50", "USD", "en-US", 1,
	  { { V("1234.50", 1234500000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 11: 1.234,50 EUR de-DE", "1.234,50 " EURO, "EUR", "de-DE", 1,
	  { { V("1234.50", 1234500000000, "EUR"), "", "", "", NULL, 0 } } },
	{ "case 11: 0,89 EUR", "0,89 " EURO, "USD", "en-US", 1,
	  { { V("0.89", 890000000, "EUR"), "", "", "", NULL, 0 } } },
	{ "case 11: ,89 EUR", ",89 " EURO, "USD", "en-US", 1,
	  { { V("0.89", 890000000, "EUR"), "", "", "", NULL, 0 } } },
	{ "case 11: tiered $1.25 (<=200K) / $2.50 (>200K)", "$1.25 (<=200K) / $2.50 (>200K)", "USD",
	  "en-US", 2,
	  { { V("1.25", 1250000000, "USD"), "prompt<=200k", "", "", NULL, 0 },
	    { V("2.50", 2500000000, "USD"), "prompt>200k", "", "", NULL, 0 } } },
	{ "case 11: Free", "Free", "USD", "en-US", 1,
	  { { PRICETEXT_FREE, "0", 0, "USD", "", "", "", NULL, 0 } } },
	{ "case 11: em dash", EMDASH, "USD", "en-US", 1, { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 11: hyphen", "-", "USD", "en-US", 1, { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 11: N/A", "N/A", "USD", "en-US", 1, { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 11: Contact sales", "Contact sales", "USD", "en-US", 1,
	  { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 11: empty", "", "USD", "en-US", 1, { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 11: 1,600 no sign, no locale", "1,600", "USD", NULL, 1,
	  { { PRICETEXT_AMBIGUOUS, NULL, 0, "USD", "", "", "", "no locale", 0 } } },
	{ "case 11: $1,600 no locale", "$1,600", "USD", NULL, 1,
	  { { V("1600", 1600000000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 11: 1,600 en-US", "1,600", "USD", "en-US", 1,
	  { { V("1600", 1600000000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 11: 1,600 de-DE", "1,600", "EUR", "de-DE", 1,
	  { { V("1.600", 1600000000, "EUR"), "", "", "", NULL, 0 } } },

	/* Case 14: NBSP, U+202F, split text (cell strings as a page has them). */
	{ "case 14: demo-a NBSP", "$0.15" NBSP "/" NBSP "1M" NBSP "tokens", "USD", "en-US", 1,
	  { { V("0.15", 150000000, "USD"), "", "", "", NULL, MONEY_UNIT_PER_1M } } },
	{ "case 14: demo-b NBSP only", NBSP, "USD", "en-US", 1, { { UNKNOWN, "", "", "", NULL, 0 } } },
	{ "case 14: demo-c 2.50 <br> EUR", "2.50" NBSP "\n" EURO, "USD", "en-US", 1,
	  { { V("2.50", 2500000000, "EUR"), "", "", "", NULL, 0 } } },
	{ "case 14: demo-d U+202F thousands", "$1" NNBSP "250.00", "USD", "en-US", 1,
	  { { V("1250.00", 1250000000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 14: demo-e joined spans", "$0.60", "USD", "en-US", 1,
	  { { V("0.60", 600000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 14: U+2009 thousands", "$1\xe2\x80\x89" "250.00", "USD", "en-US", 1,
	  { { V("1250.00", 1250000000000, "USD"), "", "", "", NULL, 0 } } },
	{ "case 14: zero-width space", "$0.\xe2\x80\x8b" "60", "USD", "en-US", 1,
	  { { V("0.60", 600000000, "USD"), "", "", "", NULL, 0 } } },

	/* Case 8: demo-v4's time-of-day cell. */
	{ "case 8: demo-v4 off-peak / peak", "$0.14 (off-peak) / $0.28 (peak, UTC 01:00" ENDASH "10:00)",
	  "USD", "en-US", 2,
	  { { V("0.14", 140000000, "USD"), "", "offpeak", "", NULL, 0 },
	    { V("0.28", 280000000, "USD"), "", "peak", "", "UTC 01:00" ENDASH "10:00", 0 } } },

	/* Qualifiers and units. */
	{ "modality: text / image / video then audio", "$0.30 (text / image / video)\n$1.00 (audio)",
	  "USD", "en-US", 2,
	  { { V("0.30", 300000000, "USD"), "", "", "text/image/video", NULL, 0 },
	    { V("1.00", 1000000000, "USD"), "", "", "audio", NULL, 0 } } },
	{ "unit: / 1K tokens", "$0.002 / 1K tokens", "USD", "en-US", 1,
	  { { V("0.002", 2000000, "USD"), "", "", "", NULL, MONEY_UNIT_PER_1K } } },
	{ "unit: / MTok", "$3 / MTok", "USD", "en-US", 1,
	  { { V("3", 3000000000, "USD"), "", "", "", NULL, MONEY_UNIT_PER_1M } } },
	{ "unit: per minute is no token unit", "$0.006 / minute", "USD", "en-US", 1,
	  { { V("0.006", 6000000, "USD"), "", "", "", NULL, MONEY_UNIT_UNKNOWN } } },
	{ "currency: US$", "US$0.50", "EUR", "en-US", 1,
	  { { V("0.50", 500000000, "USD"), "", "", "", NULL, 0 } } },
	{ "currency: yuan sign after", "2" "\xe5\x85\x83", "USD", "zh-CN", 1,
	  { { V("2", 2000000000, "CNY"), "", "", "", NULL, 0 } } },
	{ "currency: bare yen sign, non-Chinese source", "\xc2\xa5" "100", "USD", NULL, 1,
	  { { PRICETEXT_AMBIGUOUS, NULL, 0, "USD", "", "", "", "yen or yuan", 0 } } },
	{ "number: no sign uses default", "0.50", "CNY", "zh-CN", 1,
	  { { V("0.50", 500000000, "CNY"), "", "", "", NULL, 0 } } },
	{ "model names are not prices", "gpt-4o: $2.50", "USD", "en-US", 1,
	  { { V("2.50", 2500000000, "USD"), "", "", "", NULL, 0 } } },
	{ "band label before the price on each line", "Prompts <= 128K tokens: $0.10\nPrompts > 128K tokens: $0.20",
	  "USD", "en-US", 2,
	  { { V("0.10", 100000000, "USD"), "prompt<=128k", "", "", NULL, 0 },
	    { V("0.20", 200000000, "USD"), "prompt>128k", "", "", NULL, 0 } } },
};

static void check_value(const struct pt_case *c, size_t k, const struct pricetext_value *v)
{
	const struct want *w = &c->v[k];

	if (v->status != w->status)
		fail_msg("%s [%zu]: status %s, expected %s (note '%s')", c->name, k,
			 pricetext_status_name(v->status), pricetext_status_name(w->status), v->note);
	if (w->number && strcmp(v->number, w->number))
		fail_msg("%s [%zu]: number '%s', expected '%s'", c->name, k, v->number, w->number);
	if (v->nanos != w->nanos)
		fail_msg("%s [%zu]: nanos %" PRId64 ", expected %" PRId64, c->name, k, v->nanos, w->nanos);
	if (strcmp(v->currency, w->currency))
		fail_msg("%s [%zu]: currency '%s', expected '%s'", c->name, k, v->currency, w->currency);
	if (strcmp(v->prompt, w->prompt))
		fail_msg("%s [%zu]: prompt '%s', expected '%s'", c->name, k, v->prompt, w->prompt);
	if (strcmp(v->time_band, w->time_band))
		fail_msg("%s [%zu]: time band '%s', expected '%s'", c->name, k, v->time_band, w->time_band);
	if (strcmp(v->modality, w->modality))
		fail_msg("%s [%zu]: modality '%s', expected '%s'", c->name, k, v->modality, w->modality);
	if (w->note ? !strstr(v->note, w->note) : v->note[0] != '\0')
		fail_msg("%s [%zu]: note '%s', expected '%s'", c->name, k, v->note, w->note ? w->note : "");
	if (w->unit && v->unit != w->unit)
		fail_msg("%s [%zu]: unit %d, expected %d", c->name, k, (int)v->unit, (int)w->unit);
}

static void test_cases(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		const struct pt_case *c = &cases[i];
		struct pricetext_value v[PRICETEXT_MAX];
		struct tt_error err = { 0 };
		int n = pricetext_parse(c->text, strlen(c->text), c->currency, c->locale, v,
					PRICETEXT_MAX, &err);
		if (n != c->n)
			fail_msg("%s: %d values, expected %d (%s)", c->name, n, c->n, err.msg);
		for (k = 0; k < (size_t)n; k++)
			check_value(c, k, &v[k]);
	}
}

/* Case 1: no value is ever a glued "1.252.50" or the first number of a tiered cell alone. */
static void test_case1_never_glued(void **state)
{
	struct pricetext_value v[PRICETEXT_MAX];
	int n, k;

	(void)state;
	n = pricetext_parse("$1.25, prompts <= 200k tokens\n$2.50, prompts > 200k tokens", 58, "USD",
			    "en-US", v, PRICETEXT_MAX, NULL);
	assert_int_equal(n, 2);
	for (k = 0; k < n; k++) {
		assert_null(strstr(v[k].number, "1.252.50"));
		assert_true(v[k].prompt[0] != '\0');
	}
}

struct band_case {
	const char *text;
	int rc;
	const char *band;
	const char *complement;
};

static const struct band_case band_cases[] = {
	{ "Prompts \xe2\x89\xa4 200K tokens", 1, "prompt<=200k", "prompt>200k" },
	{ "Prompts &gt; 200K tokens", 0, "", NULL },
	{ "Prompts > 200K tokens", 1, "prompt>200k", "prompt<=200k" },
	{ "\xe2\x89\xa4" "272K input tokens", 1, "prompt<=272k", "prompt>272k" },
	{ ">272K input tokens", 1, "prompt>272k", "prompt<=272k" },
	{ "gpt-5.5 (<272K context length)", 1, "prompt<272k", "prompt>=272k" },
	{ "(<=200K)", 1, "prompt<=200k", "prompt>200k" },
	{ "up to 128,000 tokens", 1, "prompt<=128k", "prompt>128k" },
	{ "> 1M tokens", 1, "prompt>1m", "prompt<=1m" },
	{ "Short context", 0, "", NULL },
	{ "<=200K and >200K", TT_EINVAL, "", NULL },
};

static void test_bands(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(band_cases); i++) {
		const struct band_case *c = &band_cases[i];
		char out[32], comp[32];
		int rc = pricetext_band(c->text, out, sizeof(out));
		if (rc != c->rc)
			fail_msg("band '%s': rc %d, expected %d", c->text, rc, c->rc);
		if (rc == 1 && strcmp(out, c->band))
			fail_msg("band '%s': '%s', expected '%s'", c->text, out, c->band);
		if (c->complement) {
			assert_int_equal(pricetext_band_complement(out, comp, sizeof(comp)), 0);
			if (strcmp(comp, c->complement))
				fail_msg("complement of '%s': '%s', expected '%s'", out, comp, c->complement);
		}
	}
	{
		char comp[32];
		assert_int_equal(pricetext_band_complement("offpeak", comp, sizeof(comp)), TT_EINVAL);
	}
}

static void test_condition_order(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(pricetext_condition("prompt>200k", "peak", "audio", out, sizeof(out)), 0);
	assert_string_equal(out, "prompt>200k,peak,audio");
	assert_int_equal(pricetext_condition(NULL, "", "text", out, sizeof(out)), 0);
	assert_string_equal(out, "text");
	assert_int_equal(pricetext_condition("", NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(pricetext_condition("prompt>200k", "peak", "audio", out, 8), TT_ENOMEM);
}

static void test_too_many(void **state)
{
	struct pricetext_value v[2];
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(pricetext_parse("$1 / $2 / $3", 12, "USD", "en-US", v, 2, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "$1 / $2 / $3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_case1_never_glued),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_condition_order),
		cmocka_unit_test(test_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
