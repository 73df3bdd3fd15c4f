/*
 * test_mdtable.c - Markdown pipe tables: where a table starts and ends,
 * cell splitting (outer pipes optional, escaped pipes, pipes in code
 * spans), inline markup, headings, fences, and column lookup by header.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/mdtable.h"

struct md_case {
	const char *name;
	const char *text;
	int tables;              /* tables found */
	size_t cols, rows;       /* of the first table */
	const char *cells;       /* first table's header and body, cells joined by '|', rows by ';' */
	const char *heading;     /* of the first table */
};

static const struct md_case cases[] = {
	{ "basic with outer pipes", "| A | B |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n", 1, 2, 2,
	  "A|B;1|2;3|4", "" },
	{ "no outer pipes, aligned delimiter", "A | B\n:--|--:\n1 | 2\n", 1, 2, 1, "A|B;1|2", "" },
	{ "heading above, CRLF", "# Pricing\r\n\r\n### Text\r\n| M | P |\r\n|---|---|\r\n| x | $1 |\r\n", 1,
	  2, 1, "M|P;x|$1", "Text" },
	{ "escaped pipe and code span pipe", "| A | B |\n|---|---|\n| a\\|b | `c|d` |\n", 1, 2, 1,
	  "A|B;a|b|c|d", "" },
	{ "inline markup", "| **Type** | [Link](/x) |\n|---|---|\n| *em* x_y | a<br>b |\n", 1, 2, 1,
	  "Type|Link;em x_y|a\nb", "" },
	{ "short and long rows", "| A | B | C |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n", 1, 3, 2,
	  "A|B|C;1||;1|2|3", "" },
	{ "table ends at a blank line", "| A |\n|---|\n| 1 |\n\n| 2 |\n", 1, 1, 1, "A;1", "" },
	{ "no delimiter row: not a table", "| A | B |\n| 1 | 2 |\n", 0, 0, 0, NULL, NULL },
	{ "delimiter width differs: not a table", "| A | B |\n|---|\n| 1 | 2 |\n", 0, 0, 0, NULL, NULL },
	{ "inside a fence: not a table", "```\n| A |\n|---|\n| 1 |\n```\n", 0, 0, 0, NULL, NULL },
	{ "two tables", "## One\n| A |\n|---|\n| 1 |\n\n## Two\n| B |\n|---|\n| 2 |\n", 2, 1, 1, "A;1",
	  "One" },
	{ "NBSP normalised", "| A\xc2\xa0" "B |\n|---|\n| $1\xc2\xa0/\xc2\xa0" "1M |\n", 1, 1, 1,
	  "A B;$1 / 1M", "" },
};

static void join(const struct mdtable *t, char *out, size_t n)
{
	size_t r, c, o = 0;

	out[0] = '\0';
	for (c = 0; c < t->cols; c++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", c ? "|" : "", t->header[c]);
	for (r = 0; r < t->rows; r++) {
		o += (size_t)snprintf(out + o, n - o, ";");
		for (c = 0; c < t->cols; c++)
			o += (size_t)snprintf(out + o, n - o, "%s%s", c ? "|" : "", mdtable_cell(t, r, c));
	}
}

static void test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct mdtable t = MDTABLE_INIT;
		struct tt_error err = { 0 };
		size_t pos = 0;
		int n = 0, rc;
		char got[512];

		while ((rc = mdtable_next(cases[i].text, strlen(cases[i].text), &pos, &t, &err)) > 0) {
			if (n++ == 0) {
				if (t.cols != cases[i].cols || t.rows != cases[i].rows)
					fail_msg("%s: %zux%zu, expected %zux%zu", cases[i].name, t.cols, t.rows,
						 cases[i].cols, cases[i].rows);
				join(&t, got, sizeof(got));
				if (strcmp(got, cases[i].cells))
					fail_msg("%s: '%s', expected '%s'", cases[i].name, got, cases[i].cells);
				if (strcmp(t.heading, cases[i].heading))
					fail_msg("%s: heading '%s', expected '%s'", cases[i].name, t.heading,
						 cases[i].heading);
			}
		}
		if (rc < 0)
			fail_msg("%s: rc %d (%s)", cases[i].name, rc, err.msg);
		if (n != cases[i].tables)
			fail_msg("%s: %d tables, expected %d", cases[i].name, n, cases[i].tables);
		mdtable_release(&t);
	}
}

static void test_col_lookup(void **state)
{
	static const char text[] = "| Model | Input / 1M tokens | OUTPUT |\n|---|---|---|\n| m | $1 | $2 |\n";
	struct mdtable t = MDTABLE_INIT;
	size_t pos = 0;

	(void)state;
	assert_int_equal(mdtable_next(text, strlen(text), &pos, &t, NULL), 1);
	assert_int_equal(mdtable_col(&t, "model"), 0);
	assert_int_equal(mdtable_col(&t, "output"), 2);
	assert_int_equal(mdtable_col(&t, "input"), -1); /* exact header text only */
	assert_null(mdtable_cell(&t, 1, 0));
	assert_null(mdtable_cell(&t, 0, 3));
	assert_int_equal(mdtable_col(NULL, "x"), -1);
	assert_int_equal(mdtable_next(text, strlen(text), &pos, &t, NULL), 0);
	assert_int_equal(mdtable_next(NULL, 0, &pos, &t, NULL), TT_EINVAL);
	mdtable_release(&t);
	mdtable_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_col_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
