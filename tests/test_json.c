/*
 * test_json.c - json-c wrappers: number text kept as written, money read
 * from text (never a double), located parse errors.
 * Cases 2 (c) and 17 of ../shared/cases: JSON strings and numbers are
 * money read digit by digit.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/json.h"

/* Parse {"v": <value>} and return the document; *v is its member v. */
static struct json_object *doc_with(const char *value, struct json_object **v)
{
	char body[256];
	struct json_object *doc = NULL;
	struct tt_error err = { 0 };

	snprintf(body, sizeof(body), "{\"v\": %s}", value);
	if (json_doc_parse(body, strlen(body), "test", &doc, &err) != 0)
		fail_msg("cannot parse %s: %s", body, err.msg);
	*v = json_get(doc, "v");
	return doc;
}

struct text_case {
	const char *json; /* a JSON number as written */
	const char *text; /* what json_number_text must give */
};

static const struct text_case text_cases[] = {
	{ "2.5e-06", "2.5e-06" },   /* double: original text, not "2.5000000000000002e-06" */
	{ "1e-05", "1e-05" },
	{ "0.0000000208333333333333", "0.0000000208333333333333" }, /* all digits kept */
	{ "1E2", "1E2" },
	{ "1.0", "1.0" },
	{ "8.20", "8.20" },         /* case 17: the text, so money_parse gives 8.20 exactly */
	{ "15", "15" },             /* int: exact decimal of the int64 */
	{ "-1", "-1" },
	{ "-0", "0" },              /* int text is regenerated: same value */
	{ "123456789012345678901234567890.5", "123456789012345678901234567890.5" },
};

static void test_number_text(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(text_cases); i++) {
		struct json_object *v = NULL, *doc = doc_with(text_cases[i].json, &v);
		const char *t = json_number_text(v);
		if (!t || strcmp(t, text_cases[i].text))
			fail_msg("case %zu %s: text '%s', expected '%s'", i, text_cases[i].json,
				 t ? t : "(null)", text_cases[i].text);
		json_doc_free(doc);
	}
}

static void test_number_text_not_number(void **state)
{
	struct json_object *v = NULL, *doc = doc_with("\"2.5\"", &v);

	(void)state;
	assert_null(json_number_text(v));          /* a string is not a number */
	assert_string_equal(json_money_text(v), "2.5");
	assert_null(json_number_text(NULL));
	json_doc_free(doc);
	doc = doc_with("true", &v);
	assert_null(json_number_text(v));
	assert_null(json_money_text(v));
	json_doc_free(doc);
}

struct money_case {
	const char *json;
	int scale;
	int rc;        /* JSON_MONEY_* or TT_E* */
	int64_t nanos;
};

static const struct money_case money_cases[] = {
	{ "\"0.0000025\"", 6, JSON_MONEY_STRING, INT64_C(2500000000) },  /* per token string */
	{ "2.5e-06", 6, JSON_MONEY_NUMBER, INT64_C(2500000000) },        /* LiteLLM number */
	{ "0.0000025", 6, JSON_MONEY_NUMBER, INT64_C(2500000000) },
	{ "\"0.00000015\"", 6, JSON_MONEY_STRING, INT64_C(150000000) },  /* case 2 (c): 0.15 */
	{ "\"0.0000006\"", 6, JSON_MONEY_STRING, INT64_C(600000000) },   /* case 2 (c): 0.60 */
	{ "\"0.0000000208333333333333\"", 6, JSON_MONEY_STRING, INT64_C(20833333) },
	{ "8.20", 0, JSON_MONEY_NUMBER, INT64_C(8200000000) },           /* case 17 */
	{ "2.5", 0, JSON_MONEY_NUMBER, INT64_C(2500000000) },            /* llm-prices per 1M */
	{ "15", 0, JSON_MONEY_NUMBER, INT64_C(15000000000) },            /* int */
	{ "0", 6, JSON_MONEY_NUMBER, 0 },                                /* known free */
	{ "\"0\"", 6, JSON_MONEY_STRING, 0 },
	{ "\"-1\"", 6, JSON_MONEY_STRING, INT64_C(-1000000000000000) },  /* sentinel: caller skips */
	{ "null", 6, JSON_MONEY_ABSENT, 0 },                             /* missing is not 0 */
	{ "true", 6, TT_EINVAL, 0 },
	{ "{}", 6, TT_EINVAL, 0 },
	{ "[1]", 6, TT_EINVAL, 0 },
	{ "\"\"", 6, TT_EINVAL, 0 },
	{ "\"N/A\"", 6, TT_EINVAL, 0 },
	{ "\"$0.15\"", 0, TT_EINVAL, 0 },
	{ "NaN", 6, TT_EINVAL, 0 },                      /* json-c accepts NaN even when strict */
	{ "1e400", 6, TT_ERANGE, 0 },
	{ "99999999999999999999", 0, TT_ERANGE, 0 },     /* json-c clamps to UINT64_MAX */
	{ "-99999999999999999999", 0, TT_ERANGE, 0 },    /* ... and to INT64_MIN */
	{ "\"0.0000000000001\"", 0, TT_ERANGE, 0 },      /* rounds to 0: error, never free */
	{ "1e-20", 6, TT_ERANGE, 0 },
	/* regression (review): json-c keeps \u0000 inside a string; the price
	 * text was cut at it and "0.000002\u0000999" read as 2 per 1M */
	{ "\"0.000002\\u0000999\"", 6, TT_EINVAL, 0 },
	{ "\"\\u00002.5\"", 0, TT_EINVAL, 0 },
};

static void test_money_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(money_cases); i++) {
		const struct money_case *c = &money_cases[i];
		struct json_object *v = NULL, *doc = doc_with(c->json, &v);
		struct tt_error err = { 0 };
		int64_t n = -42;
		int rc = json_money(v, c->scale, &n, &err);
		if (rc != c->rc)
			fail_msg("case %zu %s: rc %d, expected %d (%s)", i, c->json, rc, c->rc,
				 err.msg);
		if (rc > 0 && n != c->nanos)
			fail_msg("case %zu %s: %" PRId64 ", expected %" PRId64, i, c->json, n,
				 c->nanos);
		if (rc == JSON_MONEY_ABSENT && n != -42)
			fail_msg("case %zu %s: absent value wrote %" PRId64, i, c->json, n);
		if (rc < 0 && !err.msg[0])
			fail_msg("case %zu %s: error without a message", i, c->json);
		json_doc_free(doc);
	}
}

struct parse_case {
	const char *body;
	const char *where; /* substring the message must hold, or NULL for success */
};

static const struct parse_case parse_cases[] = {
	{ "{\"data\":[]}", NULL },
	{ "{\"data\":[]}\n\n  ", NULL },                       /* trailing blanks are fine */
	{ "\xef\xbb\xbf{\"a\":1}", NULL },                      /* BOM skipped */
	{ "{\"a\":1,}", "line 1, column 8" },                   /* trailing comma (strict) */
	{ "{\n  \"a\": 1,\n  \"b\": x\n}", "line 3, column 8" },
	{ "{\"a\":[1,2", "truncated" },
	{ "", "empty body" },
	{ "{\"a\":007}", "line 1" },                            /* leading zeros (strict) */
	{ "{\"a\":1} {\"b\":2}", "line 1, column 9" },          /* two documents */
	{ "{\"a\":\"\xff\"}", "invalid utf-8" },
	{ "null", "JSON null" },                                /* a null root is refused */
	{ "15", NULL },                                         /* a top-level number ends at len */
	{ "\"abc", "truncated" },
};

static void test_parse_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct json_object *doc = (struct json_object *)&doc;
		struct tt_error err = { 0 };
		int rc = json_doc_parse(c->body, strlen(c->body), "feeds/demo.json", &doc, &err);
		if (!c->where) {
			if (rc != 0 || !doc)
				fail_msg("case %zu: rc %d (%s)", i, rc, err.msg);
			json_doc_free(doc);
			continue;
		}
		if (rc != TT_EPARSE || doc)
			fail_msg("case %zu: rc %d, expected TT_EPARSE", i, rc);
		if (!strstr(err.msg, c->where) || !strstr(err.msg, "feeds/demo.json"))
			fail_msg("case %zu: message '%s' lacks '%s' or the origin", i, err.msg,
				 c->where);
	}
}

static void test_not_nul_terminated(void **state)
{
	/* The body is a prefix of a longer buffer: parsing must stop at len. */
	const char buf[] = "{\"a\":\"0.5\"}GARBAGE";
	struct json_object *doc = NULL;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(json_doc_parse(buf, 11, "mem", &doc, &err), 0);
	assert_string_equal(json_get_str(doc, "a"), "0.5");
	json_doc_free(doc);
}

static void test_lookups(void **state)
{
	const char *body = "{\"s\":\"x\",\"n\":null,\"i\":3,\"a\":[1,null,\"z\"],\"o\":{}}";
	struct json_object *doc = NULL, *a;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(json_doc_parse(body, strlen(body), NULL, &doc, &err), 0);
	assert_string_equal(json_get_str(doc, "s"), "x");
	assert_null(json_get(doc, "n"));         /* null reads as absent */
	assert_null(json_get(doc, "missing"));
	assert_null(json_get_str(doc, "i"));     /* not a string */
	assert_null(json_get(json_get(doc, "s"), "x")); /* not an object */
	assert_null(json_get(NULL, "x"));
	a = json_get(doc, "a");
	assert_true(json_is_array(a));
	assert_false(json_is_object(a));
	assert_true(json_is_object(json_get(doc, "o")));
	assert_int_equal(json_array_len(a), 3);
	assert_null(json_array_at(a, 1));
	assert_null(json_array_at(a, 3));
	assert_int_equal(json_array_len(json_get(doc, "o")), 0);
	json_doc_free(doc);
	json_doc_free(NULL);
}

/*
 * json_buf_add_string: the one JSON string writer.  Regression (review):
 * `sources --format json` had its own escaper that passed DEL and invalid
 * UTF-8 through raw (invalid JSON); query.c and sources.c now share this.
 */
static const struct escape_case {
	const char *in;
	const char *out;
} escape_cases[] = {
	{ "", "\"\"" },
	{ "gpt-4o", "\"gpt-4o\"" },
	{ "say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"" },
	{ "a\tb\nc\rd\be\ff", "\"a\\tb\\nc\\rd\\be\\ff\"" },
	{ "\x01\x1f", "\"\\u0001\\u001f\"" },
	{ "del\x7f", "\"del\\u007f\"" },                              /* old escaper: raw */
	{ "bad\xff\xfe", "\"bad\\ufffd\\ufffd\"" },                /* old escaper: raw */
	{ "trunc\xe2\x82", "\"trunc\\ufffd\\ufffd\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "ls\xe2\x80\xa8ps\xe2\x80\xa9", "\"ls\\u2028ps\\u2029\"" },
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },        /* a UTF-16 surrogate */
};

static void test_buf_add_string(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(escape_cases); i++) {
		struct buf b = BUF_INIT;
		struct json_object *doc = NULL;

		assert_int_equal(json_buf_add_string(&b, escape_cases[i].in), 0);
		if (strcmp(b.buf, escape_cases[i].out))
			fail_msg("escape case %zu: %s, expected %s", i, b.buf, escape_cases[i].out);
		/* and json-c reads it back as one valid string */
		assert_int_equal(json_doc_parse(b.buf, b.len, "escape", &doc, NULL), 0);
		json_doc_free(doc);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_text),
		cmocka_unit_test(test_number_text_not_number),
		cmocka_unit_test(test_money_table),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_buf_add_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
