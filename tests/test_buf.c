/*
 * test_buf.c - the growable buffer: buf_read_file(), the one file reader
 * that `scrape --file/--from-dir` and `import csv` share.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/buf.h"
#include "tokentrend/err.h"

struct read_case {
	const char *name;     /* file name in the temporary folder; "" = the folder itself */
	const char *content;  /* bytes to write first, or NULL: do not create */
	size_t len;
	size_t cap;           /* buffer cap */
	int rc;
	const char *msg;      /* substring of err.msg on failure */
};

#define BYTES(s) s, sizeof(s) - 1

/* Regression (review): scrape.c and import.c each had their own reader,
 * and both printed strerror(errno) after fclose() had run; one reader now
 * names the file and the reason in err, and leaves the buffer as it was. */
static const struct read_case read_cases[] = {
	{ "plain.csv", BYTES("date,provider\n2024-01-01,x\n"), 0, 0, NULL },
	{ "empty.csv", BYTES(""), 0, 0, NULL },
	{ "nul.bin", BYTES("a\0b\0c"), 0, 0, NULL },        /* binary: every byte kept */
	{ "missing.csv", NULL, 0, 0, TT_EIO, "No such file or directory" },
	{ "", NULL, 0, 0, TT_EIO, "Is a directory" },
	{ "big.html", BYTES("0123456789abcdef"), 8, TT_ENOMEM, "big.html" },
};

static void test_read_file_table(void **state)
{
	char dir[] = "/tmp/tt_test_buf.XXXXXX";
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < TT_ARRAY_SIZE(read_cases); i++) {
		const struct read_case *c = &read_cases[i];
		struct buf b = BUF_INIT;
		struct tt_error err = { 0 };
		char path[512];
		int rc;

		snprintf(path, sizeof(path), "%s%s%s", dir, c->name[0] ? "/" : "", c->name);
		if (c->content) {
			FILE *f = fopen(path, "wb");
			assert_non_null(f);
			assert_int_equal(fwrite(c->content, 1, c->len, f), c->len);
			assert_int_equal(fclose(f), 0);
		}
		buf_init(&b, c->cap);
		assert_int_equal(buf_adds(&b, "kept"), 0);
		rc = buf_read_file(&b, path, &err);
		if (rc != c->rc)
			fail_msg("case %s: rc %d, expected %d (%s)", c->name, rc, c->rc, err.msg);
		if (rc == 0) {
			assert_int_equal(b.len, 4 + c->len);
			assert_memory_equal(b.buf + 4, c->content, c->len);
		} else {
			/* the buffer is left as it was; the message names the file */
			assert_int_equal(b.len, 4);
			assert_string_equal(b.buf, "kept");
			if (!strstr(err.msg, path) && !strstr(err.msg, c->name))
				fail_msg("case %s: message does not name the file: %s", c->name, err.msg);
			if (!strstr(err.msg, c->msg))
				fail_msg("case %s: message lacks '%s': %s", c->name, c->msg, err.msg);
		}
		assert_int_equal(b.buf[b.len], '\0');
		buf_release(&b);
		if (c->content)
			remove(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_file_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
