/*
 * test_html.c - HTML helpers: whole-node text with normalised white space,
 * table grids with colspan/rowspan, XPath, and the text normaliser.
 * Cases 1 (tiers.html through grid + pricetext) and 14 (nbsp.html).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/html.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"

static xmlDocPtr parse(const char *html)
{
	xmlDocPtr doc = NULL;
	struct tt_error err = { 0 };

	if (html_parse(html, strlen(html), "test", &doc, &err) != 0)
		fail_msg("parse: %s", err.msg);
	return doc;
}

struct norm_case {
	const char *in;
	const char *out;
};

static const struct norm_case norm_cases[] = {
	{ "  a \t b  ", "a b" },
	{ "\xc2\xa0x\xc2\xa0", "x" },                           /* NBSP trimmed, no stray C2 */
	{ "$1\xe2\x80\xaf" "250.00", "$1" TEXTNORM_THIN "250.00" }, /* U+202F kept between digits */
	{ "$1\xc2\xa0" "250", "$1" TEXTNORM_THIN "250" },         /* NBSP between digits: the mark */
	{ "1\xe2\x80\x89 2", "1 2" },                           /* blank run: plain space */
	{ "a\xe2\x80\x8b" "b", "ab" },                          /* zero-width space removed */
	{ "a \n\n b\n", "a\nb" },                               /* lines trimmed, empty lines dropped */
	{ "\xe2\x80\x83" "em\xe3\x80\x80" "space", "em space" },
};

static void test_textnorm(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(norm_cases); i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(textnorm_space(norm_cases[i].in, strlen(norm_cases[i].in),
						TEXTNORM_KEEP_NEWLINES, &b), 0);
		if (strcmp(b.buf, norm_cases[i].out))
			fail_msg("norm %zu: '%s', expected '%s'", i, b.buf, norm_cases[i].out);
		buf_release(&b);
	}
}

/* Case 14: nbsp.html, cell by cell: text, then the parsed value. */
static const char nbsp_html[] =
	"<table>\n"
	" <tr><td>demo-a</td><td>$0.15&nbsp;/&nbsp;1M&nbsp;tokens</td></tr>\n"
	" <tr><td>demo-b</td><td>&nbsp;</td></tr>\n"
	" <tr><td>demo-c</td><td>2.50&nbsp;<br>\xe2\x82\xac</td></tr>\n"
	" <tr><td>demo-d</td><td>$1&#x202F;250.00</td></tr>\n"
	" <tr><td>demo-e</td><td><span>$0.</span><span>60</span></td></tr>\n"
	"</table>\n";

static const struct {
	const char *model;
	const char *text;
	enum pricetext_status status;
	int64_t nanos;
	const char *currency;
} nbsp_want[] = {
	{ "demo-a", "$0.15 / 1M tokens", PRICETEXT_VALUE, INT64_C(150000000), "USD" },
	{ "demo-b", "", PRICETEXT_UNKNOWN, 0, "USD" },
	{ "demo-c", "2.50\n\xe2\x82\xac", PRICETEXT_VALUE, INT64_C(2500000000), "EUR" },
	{ "demo-d", "$1" TEXTNORM_THIN "250.00", PRICETEXT_VALUE, INT64_C(1250000000000), "USD" },
	{ "demo-e", "$0.60", PRICETEXT_VALUE, INT64_C(600000000), "USD" },
};

static void test_case14_nbsp(void **state)
{
	xmlDocPtr doc = parse(nbsp_html);
	struct html_grid g = HTML_GRID_INIT;
	size_t r;

	(void)state;
	assert_int_equal(html_table_grid(html_xpath_node(doc, NULL, "//table"), &g, NULL), 0);
	assert_int_equal(g.rows, 5);
	assert_int_equal(g.cols, 2);
	assert_int_equal(g.header_rows, 0);
	for (r = 0; r < g.rows; r++) {
		struct pricetext_value v[PRICETEXT_MAX];
		const char *t = html_grid_at(&g, r, 1)->text;
		int n;
		assert_string_equal(html_grid_at(&g, r, 0)->text, nbsp_want[r].model);
		if (strcmp(t, nbsp_want[r].text))
			fail_msg("case 14 %s: text '%s', expected '%s'", nbsp_want[r].model, t, nbsp_want[r].text);
		assert_null(strstr(t, "\xc2"));
		n = pricetext_parse(t, strlen(t), "USD", "en-US", v, PRICETEXT_MAX, NULL);
		assert_int_equal(n, 1);
		assert_int_equal(v[0].status, nbsp_want[r].status);
		assert_true(v[0].nanos == nbsp_want[r].nanos);
		assert_string_equal(v[0].currency, nbsp_want[r].currency);
	}
	html_grid_release(&g);
	html_free(doc);
}

/* Case 1: tiers.html -> 10 rows, matched by header text. */
static const char tiers_html[] =
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

static const char *const tiers_want[] = {
	"demo-pro input prompt<=200k 1.25",   "demo-pro input prompt>200k 2.50",
	"demo-pro output prompt<=200k 10.00", "demo-pro output prompt>200k 15.00",
	"demo-pro-b input prompt<=200k 2.00", "demo-pro-b input prompt>200k 4.00",
	"demo-pro-b output prompt<=200k 12.00", "demo-pro-b output prompt>200k 18.00",
	"demo-flash input  0.30",             "demo-flash output  2.50",
};

static void test_case1_tiers(void **state)
{
	xmlDocPtr doc = parse(tiers_html);
	struct html_grid g = HTML_GRID_INIT;
	size_t r, c, got = 0;
	char line[128];

	(void)state;
	assert_int_equal(html_table_grid(html_xpath_node(doc, NULL, "//table[@id='paid']"), &g, NULL), 0);
	assert_int_equal(g.header_rows, 1);
	for (r = g.header_rows; r < g.rows; r++) {
		for (c = 0; c < g.cols; c++) {
			const char *h = html_grid_leaf(&g, c), *dim;
			struct pricetext_value v[PRICETEXT_MAX];
			int n, k;
			if (!strncasecmp(h, "Input", 5))
				dim = "input";
			else if (!strncasecmp(h, "Output", 6))
				dim = "output";
			else
				continue;
			n = pricetext_parse(html_grid_at(&g, r, c)->text, strlen(html_grid_at(&g, r, c)->text),
					    "USD", "en-US", v, PRICETEXT_MAX, NULL);
			for (k = 0; k < n; k++) {
				assert_int_equal(v[k].status, PRICETEXT_VALUE);
				snprintf(line, sizeof(line), "%s %s %s %s", html_grid_at(&g, r, 0)->text, dim,
					 v[k].prompt, v[k].number);
				assert_true(got < TT_ARRAY_SIZE(tiers_want));
				if (strcmp(line, tiers_want[got]))
					fail_msg("case 1 row %zu: '%s', expected '%s'", got, line, tiers_want[got]);
				got++;
			}
		}
	}
	assert_int_equal(got, 10);
	html_grid_release(&g);
	html_free(doc);
}

/* colspan / rowspan expansion and header detection. */
static const char span_html[] =
	"<table><thead>"
	"<tr><th></th><th colspan=\"2\">Short context</th><th colSpan=\"2\">Long context</th></tr>"
	"<tr><th>Model</th><th>Input</th><th>Output</th><th>Input</th><th>Output</th></tr></thead>"
	"<tbody><tr><td rowspan=\"2\">m1</td><td>1</td><td>2</td><td>3</td><td>4</td></tr>"
	"<tr><td>5</td><td colspan=\"3\">6</td></tr>"
	"<tr><td>m2</td><td>7</td></tr></tbody></table>";

static void test_grid_spans(void **state)
{
	static const char *const want[5][5] = {
		{ "", "Short context", "Short context", "Long context", "Long context" },
		{ "Model", "Input", "Output", "Input", "Output" },
		{ "m1", "1", "2", "3", "4" },
		{ "m1", "5", "6", "6", "6" },
		{ "m2", "7", "", "", "" },
	};
	xmlDocPtr doc = parse(span_html);
	struct html_grid g = HTML_GRID_INIT;
	size_t r, c;

	(void)state;
	assert_int_equal(html_table_grid(html_xpath_node(doc, NULL, "//table"), &g, NULL), 0);
	assert_int_equal(g.rows, 5);
	assert_int_equal(g.cols, 5);
	assert_int_equal(g.header_rows, 2);
	for (r = 0; r < 5; r++)
		for (c = 0; c < 5; c++)
			if (strcmp(html_grid_at(&g, r, c)->text, want[r][c]))
				fail_msg("slot %zu,%zu: '%s', expected '%s'", r, c, html_grid_at(&g, r, c)->text,
					 want[r][c]);
	assert_string_equal(html_grid_header(&g, 0, 3), "Long context");
	assert_string_equal(html_grid_leaf(&g, 3), "Input");
	assert_true(html_grid_at(&g, 2, 0)->origin);
	assert_false(html_grid_at(&g, 3, 0)->origin);
	assert_null(html_grid_at(&g, 4, 2)->node);
	assert_null(html_grid_at(&g, 5, 0));
	html_grid_release(&g);
	html_grid_release(&g); /* twice is harmless */
	html_free(doc);
}

static void test_xpath_and_text(void **state)
{
	xmlDocPtr doc = parse("<html><body><div class=\"a  card_x b\" data-v=\"15\"><h3>Opus&nbsp;4.1</h3>"
			      "<p>one</p><p>two<br>three</p><script>var x = 1;</script></div></body></html>");
	struct html_nodes ns = HTML_NODES_INIT;
	struct buf b = BUF_INIT;
	struct tt_error err = { 0 };
	xmlNodePtr div;

	(void)state;
	assert_int_equal(html_xpath_nodes(doc, NULL, "//p", &ns, &err), 2);
	assert_true(html_node_order(ns.v[0], ns.v[1]) < 0);
	assert_true(html_node_order(ns.v[1], ns.v[0]) > 0);
	assert_int_equal(html_node_order(ns.v[0], ns.v[0]), 0);
	div = html_xpath_node(doc, NULL, "//div");
	assert_true(html_has_class(div, "card_x"));
	assert_false(html_has_class(div, "card"));
	assert_int_equal(html_node_text(div, &b), 0);
	assert_string_equal(b.buf, "Opus 4.1\none\ntwo\nthree");
	buf_reset(&b);
	assert_int_equal(html_xpath_text(doc, div, "./@data-v", &b, NULL), 1);
	assert_string_equal(b.buf, "15");
	buf_reset(&b);
	assert_int_equal(html_xpath_text(doc, div, "./@missing", &b, NULL), 0);
	assert_int_equal(html_attr(div, "data-v", &b), 1);
	assert_string_equal(b.buf, "15");
	assert_int_equal(html_xpath_nodes(doc, NULL, "//p[", &ns, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "//p["));
	assert_int_equal(ns.n, 0);
	html_nodes_release(&ns);
	buf_release(&b);
	html_free(doc);
	html_free(NULL);
}

static void test_parse_errors(void **state)
{
	xmlDocPtr doc = (xmlDocPtr)1;
	struct tt_error err = { 0 };

	(void)state;
	assert_int_equal(html_parse("", 0, "empty.html", &doc, &err), TT_EPARSE);
	assert_null(doc);
	assert_non_null(strstr(err.msg, "empty.html"));
}

/* A page that declares no charset is read as UTF-8, not Latin-1. */
static void test_utf8_default(void **state)
{
	xmlDocPtr doc = parse("<p>\xe2\x82\xac" "2</p>");
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(html_xpath_text(doc, NULL, "//p", &b, NULL), 1);
	assert_string_equal(b.buf, "\xe2\x82\xac" "2");
	buf_release(&b);
	html_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_textnorm),
		cmocka_unit_test(test_case14_nbsp),
		cmocka_unit_test(test_case1_tiers),
		cmocka_unit_test(test_grid_spans),
		cmocka_unit_test(test_xpath_and_text),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_utf8_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
