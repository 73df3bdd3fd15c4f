/*
 * test_clock.c - the injected clock: TOKENTREND_NOW is read exactly, and a
 * malformed value is reported (clock_env_check) instead of silently ignored.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"

#include <stdlib.h>

static const struct {
	const char *env;
	int ok;
	const char *today;     /* clock_today() when ok */
	const char *timestamp; /* clock_timestamp() when ok */
} env_cases[] = {
	{ "2026-09-01", 1, "2026-09-01", "2026-09-01T00:00:00Z" },
	{ "2026-09-01T12:34:56Z", 1, "2026-09-01", "2026-09-01T12:34:56Z" },
	{ "2026-09-01T23:59:59", 1, "2026-09-01", "2026-09-01T23:59:59Z" },
	{ "2024-02-29", 1, "2024-02-29", "2024-02-29T00:00:00Z" },
	{ "2026-09-1a", 0, NULL, NULL },
	{ "2026-13-01", 0, NULL, NULL },
	{ "2025-02-29", 0, NULL, NULL },
	{ "2026-09-01 junk", 0, NULL, NULL },
	{ "2026-09-01T25:00:00Z", 0, NULL, NULL },
	{ "2026-09-01T12:3:56Z", 0, NULL, NULL },
	{ "yesterday", 0, NULL, NULL },
	{ "2026-9-1", 0, NULL, NULL },
};

static void test_env_table(void **state)
{
	size_t i;

	(void)state;
	clock_set(0);
	for (i = 0; i < TT_ARRAY_SIZE(env_cases); i++) {
		char d[11], ts[21];

		setenv("TOKENTREND_NOW", env_cases[i].env, 1);
		if (env_cases[i].ok) {
			if (clock_env_check() != 0)
				fail_msg("'%s' refused", env_cases[i].env);
			assert_string_equal(clock_today(d), env_cases[i].today);
			assert_string_equal(clock_timestamp(ts), env_cases[i].timestamp);
		} else if (clock_env_check() != -1) {
			fail_msg("'%s' accepted", env_cases[i].env);
		}
	}
	unsetenv("TOKENTREND_NOW");
	assert_int_equal(clock_env_check(), 0);
	setenv("TOKENTREND_NOW", "", 1);
	assert_int_equal(clock_env_check(), 0);
	unsetenv("TOKENTREND_NOW");
}

/* clock_set() wins over the environment. */
static void test_injected_wins(void **state)
{
	char d[11];

	(void)state;
	setenv("TOKENTREND_NOW", "2026-09-01", 1);
	clock_set((time_t)20000 * 86400);
	assert_string_equal(clock_today(d), "2024-10-04");
	clock_set(0);
	assert_string_equal(clock_today(d), "2026-09-01");
	unsetenv("TOKENTREND_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_table),
		cmocka_unit_test(test_injected_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
