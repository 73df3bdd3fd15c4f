/*
 * test_usersrc.c - user-defined sources: the configuration file (its
 * mistakes named by line), the catalog merge, and extract_user on an HTML
 * table by header text (case 1 of ../shared/cases with its own headers),
 * HTML rows by XPath, and JSON by paths (cases 3 and 6 shapes).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/catalog.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tokentrend/usersrc.h"

/* Case 1, verbatim from ../shared/cases/README.md. */
static const char case1_html[] =
	"<table id=\"paid\">\n"
	" <thead><tr><th>Model</th><th>Input price (USD / 1M tokens)</th><th>Output price (USD / 1M tokens)</th></tr></thead>\n"
	" <tbody>\n"
	"  <tr><td>demo-pro</td>\n"
	"      <td>$1.25, prompts &lt;= 200k tokens<br>$2.50, prompts &gt; 200k tokens</td>\n"
	"      <td>$10.00, prompts &lt;= 200k tokens<br>$15.00, prompts &gt; 200k tokens</td></tr>\n"
	"  <tr><td>demo-pro-b</td><td>$2.00 (&lt;=200K) / $4.00 (&gt;200K)</td><td>$12.00 (&lt;=200K) / $18.00 (&gt;200K)</td></tr>\n"
	"  <tr><td>demo-flash</td><td>$0.30</td><td>$2.50</td></tr>\n"
	" </tbody>\n"
	"</table>\n";

static const char conf[] =
	"# user sources for the tests\n"
	"[source tiers]   # the case-1 table\n"
	"format = html    # a comment after a value\n"
	"url = https://vendor.example/pricing\n"
	"currency = USD\n"
	"unit = 1M tokens\n"
	"table = //table[@id='paid' or @href='#x']\n"
	"model = Model\n"
	"input = Input price\n"
	"output = Output price\n"
	"min_models = 3\n"
	"anchor_models = demo-pro, demo-flash\n"
	"\n"
	"[source byheader]\n"
	"format = html\n"
	"currency = USD\n"
	"unit = 1M tokens\n"
	"table_header = Input price\n"
	"model = model\n"
	"input = input price\n"
	"\n"
	"[source cards]\n"
	"format = html\n"
	"currency = EUR\n"
	"unit = 1K tokens\n"
	"locale = de-DE\n"
	"rows = //div[@class='plan']\n"
	"anchor = //section[@id='plans']\n"
	"model = .//h3\n"
	"input = .//span[@class='in']\n"
	"output/batch = .//span[@class='out-batch']\n"
	"\n"
	"[source feed]\n"
	"format = json\n"
	"provider = acme\n"
	"currency = USD\n"
	"unit = per token\n"
	"items = data\n"
	"model = id\n"
	"input = pricing.prompt\n"
	"output = pricing.completion\n"
	"cache_read = pricing.cached\n"
	"\n"
	"[source mapfeed]\n"
	"format = json\n"
	"currency = CNY\n"
	"unit = 1M tokens\n"
	"items = .\n"
	"model = @key\n"
	"input = 0.in\n";

struct want {
	const char *model, *dimension, *tier, *condition, *value, *currency;
};

static void check(const struct price_list *l, const struct want *w, size_t nw, const char *name)
{
	size_t i, k;

	if (l->n != nw)
		fail_msg("%s: %zu prices, expected %zu", name, l->n, nw);
	for (k = 0; k < nw; k++) {
		int64_t want;
		int found = 0;
		assert_int_equal(money_parse_str(w[k].value, 0, &want, NULL), 0);
		for (i = 0; i < l->n; i++) {
			const struct price *p = &l->v[i];
			if (!strcmp(p->model, w[k].model) && !strcmp(p->dimension, w[k].dimension) &&
			    !strcmp(p->tier, w[k].tier) && !strcmp(p->condition, w[k].condition)) {
				found = 1;
				if (p->nanos != want || strcmp(p->currency, w[k].currency) ||
				    strcmp(p->unit, "1M tokens"))
					fail_msg("%s: %s %s %s: %lld %s %s", name, p->model, p->dimension, p->condition,
						 (long long)p->nanos, p->currency, p->unit);
			}
		}
		if (!found)
			fail_msg("%s: no %s %s %s '%s'", name, w[k].model, w[k].dimension, w[k].tier, w[k].condition);
	}
}

static int run(const char *id, const char *body, struct price_list *l, struct tt_error *err)
{
	struct extract_ctx ctx = { id, "2026-01-05", "test", NULL };

	return extract_user(body, strlen(body), &ctx, l, err);
}

static int setup(void **state)
{
	struct tt_error err = { 0 };

	(void)state;
	if (usersrc_load_text(conf, strlen(conf), "test.conf", &err) != 5) {
		fprintf(stderr, "load: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	usersrc_clear();
	return 0;
}

/* Loaded sources join the catalog after the built-in ones. */
static void test_catalog_merge(void **state)
{
	const struct source_def *s = catalog_find("tiers");
	const struct usersrc *u = usersrc_find("cards");

	(void)state;
	assert_non_null(s);
	assert_true(catalog_is_user(s));
	assert_false(catalog_is_user(catalog_find("openai")));
	assert_string_equal(s->url, "https://vendor.example/pricing");
	assert_int_equal(s->min_models, 3);
	assert_string_equal(s->anchors[1], "demo-flash");
	assert_ptr_equal(s->extract, extract_user);
	assert_ptr_equal(catalog_at(catalog_count() - 1), catalog_find("mapfeed"));
	assert_string_equal(u->rules[1].dimension, "output");
	assert_string_equal(u->rules[1].tier, "batch");
	assert_int_equal(u->line, 22);
	assert_string_equal(catalog_find("feed")->name, "user source feed");
}

/* Case 1: 10 rows with bands, no glued values, through a user source
 * whose rules use the case's own headers. */
static void test_case1_tiers(void **state)
{
	static const struct want w[] = {
		{ "demo-pro", "input", "standard", "prompt<=200k", "1.25", "USD" },
		{ "demo-pro", "input", "standard", "prompt>200k", "2.50", "USD" },
		{ "demo-pro", "output", "standard", "prompt<=200k", "10.00", "USD" },
		{ "demo-pro", "output", "standard", "prompt>200k", "15.00", "USD" },
		{ "demo-pro-b", "input", "standard", "prompt<=200k", "2.00", "USD" },
		{ "demo-pro-b", "input", "standard", "prompt>200k", "4.00", "USD" },
		{ "demo-pro-b", "output", "standard", "prompt<=200k", "12.00", "USD" },
		{ "demo-pro-b", "output", "standard", "prompt>200k", "18.00", "USD" },
		{ "demo-flash", "input", "standard", "", "0.30", "USD" },
		{ "demo-flash", "output", "standard", "", "2.50", "USD" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	if (run("tiers", case1_html, &l, &err) != 10)
		fail_msg("case 1: %s", err.msg);
	check(&l, w, TT_ARRAY_SIZE(w), "case 1");
	for (i = 0; i < l.n; i++) /* no glued value such as 1.252.50 */
		assert_null(strstr(l.v[i].text, "1.252.50"));
	price_list_release(&l);

	/* The same table found by a header text instead of an XPath. */
	assert_int_equal(run("byheader", case1_html, &l, &err), 5);
	price_list_release(&l);
}

struct fail_case {
	const char *name, *id, *body, *msg;
};

static const struct fail_case fail_cases[] = {
	{ "table gone", "tiers", "<table id=\"free\"><tr><th>Model</th></tr></table>",
	  "anchor table //table[@id='paid' or @href='#x'] is missing" },
	{ "table twice", "tiers",
	  "<table id=\"paid\"><tr><th>Model</th><th>Input price</th><th>Output price</th></tr></table>"
	  "<table id=\"paid\"><tr><th>Model</th><th>Input price</th><th>Output price</th></tr></table>",
	  "appears 2 times, expected exactly once" },
	{ "column renamed", "tiers",
	  "<table id=\"paid\"><tr><th>Model</th><th>Prompt</th><th>Output price</th></tr>"
	  "<tr><td>a</td><td>$1</td><td>$2</td></tr></table>",
	  "rule input = 'Input price' matches 0 columns, expected one (headers: 'Model', 'Prompt', 'Output price')" },
	{ "two columns match", "tiers",
	  "<table id=\"paid\"><tr><th>Model</th><th>Input price</th><th>Input price (batch)</th><th>Output price</th></tr>"
	  "<tr><td>a</td><td>$1</td><td>$0.5</td><td>$2</td></tr></table>",
	  "matches 2 columns" },
	{ "no price at all", "tiers",
	  "<table id=\"paid\"><tr><th>Model</th><th>Input price</th><th>Output price</th></tr>"
	  "<tr><td>a</td><td>-</td><td>N/A</td></tr></table>",
	  "found no price" },
	{ "rows anchor missing", "cards", "<div class=\"plan\"><h3>x</h3><span class=\"in\">1</span></div>",
	  "anchor //section[@id='plans'] is missing" },
	{ "json items missing", "feed", "{\"models\":[]}", "anchor items 'data' (an array or object) is missing" },
	{ "json value rounds to 0", "feed", "{\"data\":[{\"id\":\"a\",\"pricing\":{\"prompt\":\"1e-20\"}}]}",
	  "a input" },
	{ "page contradicts itself", "feed",
	  "{\"data\":[{\"id\":\"a\",\"pricing\":{\"prompt\":\"0.000001\"}},{\"id\":\"a\",\"pricing\":{\"prompt\":\"0.000002\"}}]}",
	  "published twice with different prices" },
};

static void test_fail_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(fail_cases); i++) {
		const struct fail_case *f = &fail_cases[i];
		struct price_list l = PRICE_LIST_INIT;
		struct tt_error err = { 0 };
		int rc = run(f->id, f->body, &l, &err);

		if (rc != TT_EPARSE)
			fail_msg("%s: rc %d, expected TT_EPARSE (%s)", f->name, rc, err.msg);
		if (!strstr(err.msg, f->msg))
			fail_msg("%s: message '%s' lacks '%s'", f->name, err.msg, f->msg);
		assert_int_equal(l.n, 0);
		price_list_release(&l);
	}
}

/* Rows and cells by XPath; a de-DE page priced in EUR per 1K tokens. */
static void test_rows_xpath(void **state)
{
	static const char body[] =
		"<section id=\"plans\">"
		"<div class=\"plan\"><h3>acme-large</h3><span class=\"in\">0,0025</span>"
		"<span class=\"out-batch\">0,005 \xe2\x82\xac</span></div>"
		"<div class=\"plan\"><h3>acme-small</h3><span class=\"in\">Kostenlos</span></div>"
		"<div class=\"plan\"><h3></h3><span class=\"in\">1</span></div>"
		"<div class=\"plan\"><h3>acme-mini</h3><span class=\"in\">0,0001</span></div>"
		"</section>";
	static const struct want w[] = {
		{ "acme-large", "input", "standard", "", "2.50", "EUR" },
		{ "acme-large", "output", "batch", "", "5.00", "EUR" },
		{ "acme-mini", "input", "standard", "", "0.10", "EUR" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct tt_error err = { 0 };

	(void)state;
	if (run("cards", body, &l, &err) < 0)
		fail_msg("rows: %s", err.msg);
	check(&l, w, TT_ARRAY_SIZE(w), "rows");
	price_list_release(&l);
}

/* JSON by paths: per-token strings and numbers (their text), sentinels,
 * nulls and words skipped, "Free" is 0; an object keyed by model. */
static void test_json(void **state)
{
	static const char feed[] =
		"{\"data\":["
		"{\"id\":\"acme-large\",\"pricing\":{\"prompt\":\"0.000003\",\"completion\":1.5e-5,\"cached\":\"0.0000003\"}},"
		"{\"id\":\"acme-auto\",\"pricing\":{\"prompt\":\"-1\",\"completion\":\"-1\"}},"
		"{\"id\":\"acme-null\",\"pricing\":{\"prompt\":null}},"
		"{\"id\":\"acme-free\",\"pricing\":{\"prompt\":\"0\",\"completion\":\"Free\"}},"
		"{\"id\":\"acme-text\",\"pricing\":{\"prompt\":\"$0.15 / 1M tokens\",\"completion\":\"N/A\"}},"
		"{\"pricing\":{\"prompt\":\"1\"}}"
		"]}";
	static const struct want w[] = {
		{ "acme-large", "input", "standard", "", "3.00", "USD" },
		{ "acme-large", "output", "standard", "", "15.00", "USD" },
		{ "acme-large", "cache_read", "standard", "", "0.30", "USD" },
		{ "acme-free", "input", "standard", "", "0", "USD" },
		{ "acme-free", "output", "standard", "", "0", "USD" },
		{ "acme-text", "input", "standard", "", "0.15", "USD" },
	};
	static const char map[] = "{\"glm-x\":[{\"in\":\"2\"}],\"glm-y\":[{\"in\":0.5}]}";
	static const struct want wm[] = {
		{ "glm-x", "input", "standard", "", "2.00", "CNY" },
		{ "glm-y", "input", "standard", "", "0.50", "CNY" },
	};
	struct price_list l = PRICE_LIST_INIT;
	struct extract_skips skips = EXTRACT_SKIPS_INIT;
	struct extract_ctx ctx = { "feed", "2026-01-05", "feed.json", &skips };
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	if (extract_user(feed, strlen(feed), &ctx, &l, &err) < 0)
		fail_msg("feed: %s", err.msg);
	check(&l, w, TT_ARRAY_SIZE(w), "feed");
	for (i = 0; i < l.n; i++)
		assert_string_equal(l.v[i].provider, "acme");
	assert_int_equal(extract_skips_count(&skips, "negative price (sentinel)"), 2);
	assert_int_equal(extract_skips_count(&skips, "item without a model id"), 1);
	extract_skips_release(&skips);
	price_list_release(&l);

	if (run("mapfeed", map, &l, &err) < 0)
		fail_msg("map: %s", err.msg);
	check(&l, wm, TT_ARRAY_SIZE(wm), "map");
	price_list_release(&l);
}

struct conf_case {
	const char *name, *text, *msg;
};

static const struct conf_case conf_cases[] = {
	{ "key before a section", "format = html\n", "x.conf:1: a key before the first [source ID]" },
	{ "bad section", "[acme]\n", "x.conf:1: a section is written [source ID]" },
	{ "id with a dash", "[source my-src]\n", "x.conf:1: source id 'my-src'" },
	{ "built-in id", "[source openai]\nformat = json\ncurrency = USD\nunit = per token\nitems = data\n"
			 "model = id\ninput = p\n", "'openai' is a built-in source id" },
	{ "twice", "[source a]\nformat = json\ncurrency = USD\nunit = per token\nitems = .\nmodel = id\n"
		   "input = p\n[source a]\nformat = json\ncurrency = USD\nunit = per token\nitems = .\n"
		   "model = id\ninput = p\n", "source 'a' is defined twice" },
	{ "no format", "[source a]\ncurrency = USD\n", "x.conf:1: source 'a' has no 'format'" },
	{ "no currency", "[source a]\nformat = json\n", "needs 'currency' as an ISO code" },
	{ "no unit", "[source a]\nformat = json\ncurrency = USD\n", "needs 'unit'" },
	{ "bad unit", "[source a]\nunit = per image\n", "x.conf:2: unit 'per image' is not a token unit" },
	{ "no rules", "[source a]\nformat = json\ncurrency = USD\nunit = 1M tokens\nitems = .\nmodel = id\n",
	  "has no price rule" },
	{ "unknown key", "[source a]\ncolour = red\n", "x.conf:2: unknown key 'colour'" },
	{ "key twice", "[source a]\nmodel = a\nmodel = b\n", "x.conf:3: 'model' is given twice" },
	{ "two html modes", "[source a]\nformat = html\ncurrency = USD\nunit = 1M tokens\nmodel = M\n"
			    "input = I\ntable = //table\nrows = //tr\n", "exactly one of 'table', 'table_header' or 'rows'" },
	{ "json without items", "[source a]\nformat = json\ncurrency = USD\nunit = 1M tokens\nmodel = M\ninput = I\n",
	  "needs 'items'" },
	{ "not key = value", "[source a]\njust words\n", "x.conf:2: expected 'key = value'" },
	{ "empty value", "[source a]\nurl =\n", "x.conf:2: 'url' has no value" },
	{ "bad floor", "[source a]\nmin_models = many\n", "x.conf:2: min_models 'many' is not a count" },
};

/* Mistakes are named by file and line, and nothing is loaded. */
static void test_conf_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(conf_cases); i++) {
		const struct conf_case *c = &conf_cases[i];
		struct tt_error err = { 0 };
		int rc = usersrc_load_text(c->text, strlen(c->text), "x.conf", &err);

		if (rc != TT_EINVAL)
			fail_msg("%s: rc %d", c->name, rc);
		if (!strstr(err.msg, c->msg))
			fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->msg);
	}
	/* The sources loaded before are still there. */
	assert_non_null(usersrc_find("tiers"));
	assert_int_equal(usersrc_load_file("/nonexistent/sources.conf", NULL), TT_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_merge),
		cmocka_unit_test(test_case1_tiers),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_rows_xpath),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_conf_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
