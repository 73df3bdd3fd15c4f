/*
 * test_models.c - the model catalog: parsing (bad lines reported with their
 * line numbers), exact lookups on the built-in db/models.conf (unknown
 * names stay as published), groups, and a user file that edits them.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/models.h"

/* The built-in catalog alone: no user file from the environment. */
static void load_builtin(struct models *m)
{
	struct tt_error err = { 0 };
	size_t len;
	const char *text = models_builtin_text(&len);
	int rc = models_parse(m, text, len, "db/models.conf", &err);

	if (rc != 0)
		fail_msg("built-in catalog: %s", err.msg);
}

struct parse_case {
	const char *name;
	const char *text;
	int rc;
	const char *err_has; /* "t.conf:LINE: ..." */
	const char *err_has2;
};

static const struct parse_case parse_cases[] = {
	{ "minimal catalog", "# c\nmodel m1\n  name p m-one m-1  # two names\ngroup g About g\n  member m1\n",
	  0, NULL, NULL },
	{ "unknown directive names its line", "model m1\n  name p a\nalias p b\n", TT_EPARSE,
	  "t.conf:3:", "unknown directive" },
	{ "name outside a model block", "group g\nname p a\n", TT_EPARSE, "t.conf:2:",
	  "inside a `model` block" },
	{ "member outside a group block", "model m1\nmember m1\n", TT_EPARSE, "t.conf:2:",
	  "inside a `group` block" },
	{ "canonical id must be lowercase", "model GPT-4o\n", TT_EPARSE, "t.conf:1:", "lowercase" },
	{ "model without id", "model\n", TT_EPARSE, "t.conf:1:", "expected `model ID`" },
	{ "name without seller's id", "model m1\n  name openai\n", TT_EPARSE, "t.conf:2:",
	  "expected `name PROVIDER NAME" },
	{ "bad provider id", "model m1\n  name Open/AI x\n", TT_EPARSE, "t.conf:2:", "provider id" },
	{ "a model declared twice", "model m1\nmodel m2\nmodel m1\n", TT_EPARSE, "t.conf:3:",
	  "already declared at line 1" },
	{ "one name for two models", "model m1\n name p x\nmodel m2\n name p x\n", TT_EPARSE,
	  "t.conf:4:", "already named for model 'm1' at line 2" },
	{ "member no model declares: its own line", "model m1\ngroup g\n member m1\n member m9\n",
	  TT_EPARSE, "t.conf:4:", "'m9', which no `model` declares" },
	{ "member listed twice", "model m1\ngroup g\n member m1 m1\n", TT_EPARSE, "t.conf:3:",
	  "listed twice" },
	{ "group declared twice", "model m1\ngroup g\ngroup g\n", TT_EPARSE, "t.conf:3:",
	  "already declared at line 2" },
	{ "non-ASCII in a name", "model m1\n name p caf\xc3\xa9\n", TT_EPARSE, "t.conf:2:",
	  "printable ASCII" },
	{ "CRLF line ends and blank lines", "model m1\r\n\r\n  name p a\r\n", 0, NULL, NULL },
};

static void test_parse_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct models m = MODELS_INIT;
		struct tt_error err = { 0 };
		int rc = models_parse(&m, c->text, strlen(c->text), "t.conf", &err);

		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (c->err_has && !strstr(err.msg, c->err_has))
			fail_msg("%s: error '%s' lacks '%s'", c->name, err.msg, c->err_has);
		if (c->err_has2 && !strstr(err.msg, c->err_has2))
			fail_msg("%s: error '%s' lacks '%s'", c->name, err.msg, c->err_has2);
		models_release(&m);
	}
}

static void test_parse_nul_byte(void **state)
{
	static const char text[] = "model m1\n name p a\0b\n";
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(models_parse(&m, text, sizeof(text) - 1, "t.conf", &err), TT_EPARSE);
	assert_non_null(strstr(err.msg, "t.conf:2: a NUL byte"));
	models_release(&m);
}

struct lookup_case {
	const char *provider, *name;
	const char *canonical; /* NULL: not in the catalog, kept as published */
};

static const struct lookup_case lookup_cases[] = {
	/* one model, many sellers */
	{ "anthropic", "claude-3-5-sonnet-20240620", "claude-3.5-sonnet" },
	{ "anthropic", "claude-3-5-sonnet-20241022", "claude-3.5-sonnet" },
	{ "openrouter", "anthropic/claude-3.5-sonnet", "claude-3.5-sonnet" },
	{ "bedrock", "us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3.5-sonnet" },
	{ "bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3.5-sonnet" },
	{ "vertex", "claude-3-5-sonnet@20240620", "claude-3.5-sonnet" },
	/* the claude.com card slug and LiteLLM's names */
	{ "anthropic", "claude-sonnet-4.5", "claude-sonnet-4.5" },
	{ "anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4.5" },
	{ "anthropic", "claude-haiku-3.5", "claude-3.5-haiku" },
	{ "openai", "gpt-4o", "gpt-4o" },
	{ "openai", "gpt-4o-2024-08-06", "gpt-4o" },
	{ "azure", "gpt-4o-2024-08-06", "gpt-4o" },
	/* a snapshot at another price is its own model */
	{ "openai", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13" },
	{ "gemini", "gemini-2.5-flash", "gemini-2.5-flash" },
	{ "vertex", "gemini-2.5-flash", "gemini-2.5-flash" },
	{ "mistral", "mistral-large-2411", "mistral-large-2411" },
	{ "deepseek", "deepseek-chat", "deepseek-chat" },
	{ "xai", "grok-4-0709", "grok-4" },
	{ "openrouter", "x-ai/grok-4", "grok-4" },
	/* unknown stays as published: no case folding, no prefixes, no guessing */
	{ "openai", "GPT-4o", NULL },
	{ "openai", "gpt-4o ", NULL },
	{ "openai", "gpt-4o-2024-11-21", NULL },
	{ "anthropic", "claude-3-5-sonnet-latest", NULL },
	{ "azure", "us/gpt-4o-2024-08-06", NULL },
	{ "openrouter", "anthropic/claude-3.5-sonnet:beta", NULL },
	{ "openrouter", "openai/gpt-4o:batch", NULL },
	{ "anthropic", "anthropic/claude-3.5-sonnet", NULL }, /* another seller's name */
	{ "deepinfra", "gpt-4o", NULL },                      /* a seller the catalog does not list */
	{ "azure", "gpt-4o-2024-11-20", NULL },               /* priced apart at Azure: left out */
};

static void test_lookup_cases(void **state)
{
	struct models m = MODELS_INIT;
	size_t i;

	(void)state;
	load_builtin(&m);
	for (i = 0; i < TT_ARRAY_SIZE(lookup_cases); i++) {
		const struct lookup_case *c = &lookup_cases[i];
		const char *got = models_lookup(&m, c->provider, c->name);
		const char *canon = models_canonical(&m, c->provider, c->name);

		if (c->canonical ? !got || strcmp(got, c->canonical) : got != NULL)
			fail_msg("%s %s: got %s, expected %s", c->provider, c->name, got ? got : "NULL",
				 c->canonical ? c->canonical : "NULL");
		/* models_canonical keeps an unknown name exactly as published */
		if (!c->canonical && canon != c->name)
			fail_msg("%s %s: models_canonical did not keep the name", c->provider, c->name);
	}
	assert_null(models_canonical(&m, "openai", NULL));
	assert_null(models_lookup(&m, NULL, "gpt-4o"));
	models_release(&m);
}

static void test_builtin_groups(void **state)
{
	struct models m = MODELS_INIT;
	const struct models_group *gs[8];
	const struct models_group *g;
	size_t i, n;
	static const char *const want[] = { "gpt-4-class", "frontier", "flash-tier", "reasoning" };

	(void)state;
	load_builtin(&m);
	for (i = 0; i < TT_ARRAY_SIZE(want); i++) {
		g = models_group_find(&m, want[i]);
		assert_non_null(g);
		assert_true(g->n_members >= 10);
		assert_true(g->about[0] != '\0');
	}
	/* every model has a maker, and the first name line names it */
	for (i = 0; i < m.n; i++)
		if (!m.v[i].vendor)
			fail_msg("model %s has no `name` line", m.v[i].id);
	assert_string_equal(models_vendor(&m, "claude-3.5-sonnet"), "anthropic");
	assert_string_equal(models_vendor(&m, "gemini-2.5-pro"), "gemini");
	assert_null(models_vendor(&m, "no-such-model"));

	n = models_groups_of(&m, "gpt-4o", gs, TT_ARRAY_SIZE(gs));
	assert_int_equal(n, 2);
	assert_string_equal(gs[0]->name, "gpt-4-class");
	assert_string_equal(gs[1]->name, "frontier");
	n = models_groups_of(&m, "gpt-4o-mini", gs, TT_ARRAY_SIZE(gs));
	assert_int_equal(n, 1);
	assert_string_equal(gs[0]->name, "flash-tier");
	assert_int_equal(models_groups_of(&m, "mixtral-8x7b", NULL, 0), 0);
	assert_true(models_group_has(models_group_find(&m, "gpt-4-class"), "claude-3-opus"));
	assert_false(models_group_has(models_group_find(&m, "gpt-4-class"), "claude-3-sonnet"));
	assert_null(models_group_find(&m, "no-such-group"));
	models_release(&m);
}

static void test_override(void **state)
{
	static const char user[] =
		"# my catalog\n"
		"model gpt-4o\n"
		"  name deepinfra openai/gpt-4o\n"         /* a new seller for a built-in model */
		"model my-model\n"
		"  name openai gpt-4o-2024-05-13\n"        /* moved from the built-in model */
		"group flash-tier Just two\n"              /* redefined: members replace the old */
		"  member gpt-4o-mini my-model\n"
		"group mine My own group\n"
		"  member gpt-4o claude-3.5-sonnet\n";
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };
	const struct models_group *g;

	(void)state;
	load_builtin(&m);
	assert_int_equal(models_parse(&m, user, strlen(user), "user.conf", &err), 0);
	assert_string_equal(models_lookup(&m, "deepinfra", "openai/gpt-4o"), "gpt-4o");
	assert_string_equal(models_lookup(&m, "openai", "gpt-4o"), "gpt-4o");
	assert_string_equal(models_lookup(&m, "openai", "gpt-4o-2024-05-13"), "my-model");
	assert_string_equal(models_vendor(&m, "my-model"), "openai");
	assert_string_equal(models_vendor(&m, "gpt-4o"), "openai"); /* unchanged */
	g = models_group_find(&m, "flash-tier");
	assert_non_null(g);
	assert_int_equal(g->n_members, 2);
	assert_string_equal(g->about, "Just two");
	assert_string_equal(g->origin, "user.conf");
	g = models_group_find(&m, "mine");
	assert_non_null(g);
	assert_int_equal(g->n_members, 2);
	assert_non_null(models_group_find(&m, "gpt-4-class")); /* untouched groups stay */

	/* an error in the user's file names that file and line */
	{
		static const char bad[] = "model x1\n  name p a\ngroup g2\n  member nope\n";

		assert_int_equal(models_parse(&m, bad, strlen(bad), "user2.conf", &err), TT_EPARSE);
		assert_non_null(strstr(err.msg, "user2.conf:4:"));
	}
	models_release(&m);
	models_release(&m); /* released twice: a no-op */
	models_release(NULL);
}

static void test_resolve(void **state)
{
	static const char text[] = "model a1\n name p1 same\nmodel b1\n name p2 same\n name p2 only-b\n";
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(models_parse(&m, text, strlen(text), "t.conf", &err), 0);
	assert_string_equal(models_resolve(&m, "a1", &err), "a1");
	assert_string_equal(models_resolve(&m, "only-b", &err), "b1");
	memset(&err, 0, sizeof(err));
	assert_null(models_resolve(&m, "same", &err));
	assert_int_equal(err.code, TT_EINVAL);
	assert_non_null(strstr(err.msg, "a1 (p1)"));
	assert_non_null(strstr(err.msg, "b1 (p2)"));
	memset(&err, 0, sizeof(err));
	assert_null(models_resolve(&m, "unknown", &err));
	assert_int_equal(err.code, TT_ENOTFOUND);
	models_release(&m);
}

static void test_load_user_file(void **state)
{
	char dir[] = "/tmp/tt-models-XXXXXX", path[256], sub[256];
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/tokentrend", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/models.conf", sub);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("group mine\n  member gpt-4o\n", f);
	fclose(f);

	/* $XDG_CONFIG_HOME/tokentrend/models.conf is read after the built-in file */
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(models_load(&m, NULL, &err), 0);
	assert_non_null(models_group_find(&m, "mine"));
	models_release(&m);

	/* a named file must exist */
	assert_int_equal(models_load(&m, "/nonexistent/models.conf", &err), TT_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/models.conf"));
	models_release(&m);

	/* no user file: the built-in catalog alone */
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_int_equal(models_load(&m, NULL, &err), 0);
	assert_null(models_group_find(&m, "mine"));
	models_release(&m);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_parse_nul_byte),
		cmocka_unit_test(test_lookup_cases),
		cmocka_unit_test(test_builtin_groups),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_load_user_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
