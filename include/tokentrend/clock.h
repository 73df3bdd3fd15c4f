/*
 * clock.h - the one place that reads the wall clock, and calendar dates.
 *
 * Tests and replays inject time: the environment variable TOKENTREND_NOW
 * ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") or clock_set() overrides the
 * real clock.  Dates are proleptic Gregorian, UTC, as day numbers since
 * 1970-01-01 (int64_t), which makes date arithmetic exact.
 */
#ifndef TT_CLOCK_H
#define TT_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch, UTC: the injected time when set, else time(). */
time_t clock_now(void);

/* 0 when TOKENTREND_NOW is unset, empty or well formed; -1 when it is set
 * to anything else (clock_now() would ignore it: callers report it). */
int clock_env_check(void);

/* Inject a time (tests); 0 returns to the environment/real clock. */
void clock_set(time_t t);

/* Today's UTC date as "YYYY-MM-DD" into out[11]; returns out. */
char *clock_today(char out[11]);

/* Now as "YYYY-MM-DDTHH:MM:SSZ" into out[21]; returns out. */
char *clock_timestamp(char out[21]);

/* Parse "YYYY-MM-DD" (exactly, a real calendar day) into days since
 * 1970-01-01.  Returns 0, or -1 when the text is not a valid date. */
int date_parse(const char *s, int64_t *days);

/* 1 when s is a valid "YYYY-MM-DD" date, else 0. */
int date_valid(const char *s);

/* Format days since 1970-01-01 as "YYYY-MM-DD" into out[11]; returns out. */
char *date_format(int64_t days, char out[11]);

/* Days from civil date and back (Howard Hinnant's algorithms). */
int64_t date_from_ymd(int64_t y, unsigned m, unsigned d);
void date_to_ymd(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif /* TT_CLOCK_H */
