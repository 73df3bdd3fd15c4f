/*
 * test_seed.c - the history CSV loader (seed_import_csv): what a failure
 * part way through leaves stored, and that importing again completes it.
 */
#include "tt_test.h"
#include "tt_db.h"
#include "tokentrend/tt_compat.h"
#include <sqlite3.h>

#include "tokentrend/seed.h"
#include "tokentrend/store.h"

#define CSV "date,provider,model,input_per_mtok,output_per_mtok\n" \
	    "2024-01-01,demo,m,3,6\n"                              \
	    "2024-02-01,demo,m,2,6\n"                              \
	    "2024-03-01,demo,m,1,6\n"

/*
 * Regression (review): a failure on one date (here a trigger standing in
 * for a busy or full database) said only the store's reason; the dates
 * committed before it stayed without a word.  The message now says where
 * it stopped and how many dates are stored, the failed date stores
 * nothing, and importing again completes the history.
 */
static const struct stop_case {
	const char *fail_on;   /* obs_date whose insert fails */
	const char *expect;    /* in the message */
	int64_t obs_before;    /* observations left by the failed import */
} stop_cases[] = {
	{ "2024-01-01", "stopped at 2024-01-01 with 0 of 3 dates stored", 0 },
	{ "2024-02-01", "stopped at 2024-02-01 with 1 of 3 dates stored", 2 },
	{ "2024-03-01", "stopped at 2024-03-01 with 2 of 3 dates stored", 4 },
};

static void test_failure_says_what_stayed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(stop_cases); i++) {
		const struct stop_case *c = &stop_cases[i];
		struct seed_import_stats stats;
		struct tt_error err = { 0 };
		struct store *st = NULL;
		char trig[256];
		int rc;

		assert_int_equal(store_open(":memory:", 0, &st, &err), 0);
		snprintf(trig, sizeof(trig),
			 "CREATE TEMP TRIGGER fail BEFORE INSERT ON observation WHEN NEW.obs_date = '%s'"
			 " BEGIN SELECT RAISE(ABORT, 'injected failure'); END", c->fail_on);
		assert_int_equal(sqlite3_exec(store_db(st), trig, NULL, NULL, NULL), SQLITE_OK);
		rc = seed_import_csv(st, CSV, strlen(CSV), "h.csv", "litellm", &stats, NULL, &err);
		assert_true(rc < 0);
		if (!strstr(err.msg, c->expect) || !strstr(err.msg, "h.csv") ||
		    !strstr(err.msg, "injected failure"))
			fail_msg("stop case %zu: %s", i, err.msg);
		assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation"), c->obs_before);
		assert_int_equal(tt_db_count(st, "SELECT count(*) FROM run WHERE status = 'failed'"), 1);

		assert_int_equal(sqlite3_exec(store_db(st), "DROP TRIGGER fail", NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(seed_import_csv(st, CSV, strlen(CSV), "h.csv", "litellm", &stats, NULL,
						 &err), 0);
		assert_int_equal(tt_db_count(st, "SELECT count(*) FROM observation"), 6);
		assert_int_equal(tt_db_count(st, "SELECT count(*) FROM price_interval"), 4);
		store_close(st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failure_says_what_stayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
