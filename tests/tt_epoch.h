/*
 * tt_epoch.h - what test_fit and test_model share: date helpers and TV4,
 * Epoch's MMLU GPT-3-level series (FORECASTING.md), on which TV4, TV5 and
 * TV6 are computed.  Header-only; include after tt_test.h and clock.h.
 */
#ifndef TT_EPOCH_H
#define TT_EPOCH_H

#include "tokentrend/clock.h"

static inline int64_t day_of(const char *s)
{
	int64_t d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

/* Date of a time t years after day0, days_per_year long, floored to the day. */
static inline void date_at(int64_t day0, double t, double dpy, char out[11])
{
	date_format(day0 + (int64_t)floor(t * dpy), out);
}

static const struct {
	const char *date;
	double price;
} tv4_data[] = {
	{ "2021-11-20", 60 }, { "2022-09-01", 20 }, { "2023-03-06", 2.0 },
	{ "2023-07-18", 0.56 }, { "2023-12-01", 0.20 }, { "2024-04-14", 0.13 },
	{ "2024-07-23", 0.10 }, { "2024-09-24", 0.08 }, { "2024-10-03", 0.07 },
};
#define TV4_N TT_ARRAY_SIZE(tv4_data)

/* Epoch's x: days since the first point / 365. */
static inline void tv4_arrays(double *t, double *p)
{
	int64_t d0 = day_of(tv4_data[0].date);
	size_t i;

	for (i = 0; i < TV4_N; i++) {
		t[i] = (double)(day_of(tv4_data[i].date) - d0) / 365.0;
		p[i] = tv4_data[i].price;
	}
}

#endif /* TT_EPOCH_H */
