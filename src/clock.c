/*
 * clock.c - injectable wall clock and exact calendar-date arithmetic.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static time_t injected;

void clock_set(time_t t)
{
	injected = t;
}

/* Parse TOKENTREND_NOW: exactly "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[Z]".
 * Returns 0 and the time, or -1 when the text is anything else. */
static int env_time(const char *env, time_t *t)
{
	char d[11];
	int64_t days;
	size_t n = strlen(env);
	unsigned hh = 0, mm = 0, ss = 0;

	if (n < 10)
		return -1;
	memcpy(d, env, 10);
	d[10] = '\0';
	if (date_parse(d, &days) != 0)
		return -1;
	if (n > 10) {
		int used = 0;

		if ((n != 19 && !(n == 20 && env[19] == 'Z')) || env[10] != 'T' ||
		    sscanf(env + 11, "%2u:%2u:%2u%n", &hh, &mm, &ss, &used) != 3 || used != 8 ||
		    hh > 23 || mm > 59 || ss > 60)
			return -1;
	}
	*t = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}

int clock_env_check(void)
{
	const char *env = getenv("TOKENTREND_NOW");
	time_t t;

	return !env || !*env || env_time(env, &t) == 0 ? 0 : -1;
}

time_t clock_now(void)
{
	const char *env;
	time_t t;

	if (injected)
		return injected;
	env = getenv("TOKENTREND_NOW");
	if (env && *env && env_time(env, &t) == 0)
		return t;
	return time(NULL);
}

int64_t date_from_ymd(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y += *m <= 2;
}

int date_parse(const char *s, int64_t *days)
{
	int64_t y = 0;
	unsigned m, d, i, mdays;
	static const unsigned ml[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (m < 1 || m > 12 || d < 1)
		return -1;
	mdays = ml[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		mdays = 29;
	if (d > mdays)
		return -1;
	if (days)
		*days = date_from_ymd(y, m, d);
	return 0;
}

int date_valid(const char *s)
{
	return date_parse(s, NULL) == 0;
}

char *date_format(int64_t days, char out[11])
{
	int64_t y;
	unsigned m, d;
	char tmp[40];

	date_to_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* clamp: the text format has four year digits */
	snprintf(tmp, sizeof(tmp), "%04" PRId64 "-%02u-%02u", y, m % 100, d % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
	return out;
}

char *clock_today(char out[11])
{
	time_t t = clock_now();
	return date_format((int64_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400), out);
}

char *clock_timestamp(char out[21])
{
	time_t t = clock_now();
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}
