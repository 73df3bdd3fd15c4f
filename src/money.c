/*
 * money.c - exact decimal parsing and formatting of prices in nano-units.
 *
 * The parser collects the significant digits and a decimal exponent, then
 * shifts to nine decimals with integer arithmetic and rounds half to even
 * on the dropped digits.  No floating point touches a price here.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"

#define MONEY_MAX_DIGITS 64

int money_parse(const char *text, size_t len, int scale_pow10, int64_t *nanos,
		struct tt_error *err)
{
	char digits[MONEY_MAX_DIGITS];
	size_t nd = 0, i = 0, end = len, keep, k;
	long exp10 = 0, e = 0;
	int neg = 0, seen_digit = 0, seen_dot = 0, roundup = 0, s;
	unsigned __int128 v = 0;

	while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
			   text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	if (i < end && (text[i] == '+' || text[i] == '-'))
		neg = text[i++] == '-';
	for (; i < end; i++) {
		char c = text[i];
		if (c >= '0' && c <= '9') {
			seen_digit = 1;
			if (seen_dot)
				exp10--;
			if (nd == 0 && c == '0')
				continue; /* leading zero: insignificant */
			if (nd >= MONEY_MAX_DIGITS)
				goto bad_range;
			digits[nd++] = c;
		} else if (c == '.' && !seen_dot) {
			seen_dot = 1;
		} else {
			break;
		}
	}
	if (!seen_digit)
		goto bad;
	if (i < end && (text[i] == 'e' || text[i] == 'E')) {
		int eneg = 0, edig = 0;
		i++;
		if (i < end && (text[i] == '+' || text[i] == '-'))
			eneg = text[i++] == '-';
		for (; i < end && text[i] >= '0' && text[i] <= '9'; i++) {
			edig = 1;
			if (e > 10000)
				goto bad_range;
			e = e * 10 + (text[i] - '0');
		}
		if (!edig)
			goto bad;
		exp10 += eneg ? -e : e;
	}
	if (i != end)
		goto bad;

	/* value = digits * 10^(exp10 + scale); nanos = digits * 10^(exp10 + scale + 9) */
	s = (int)(exp10 + scale_pow10 + 9);
	if (nd == 0) {
		*nanos = 0;
		return 0;
	}
	if (s >= 0) {
		if ((long)nd + s > 19)
			goto bad_range;
		for (k = 0; k < nd; k++)
			v = v * 10 + (unsigned)(digits[k] - '0');
		for (k = 0; k < (size_t)s; k++)
			v *= 10;
	} else {
		size_t drop = (size_t)(-s);
		keep = drop >= nd ? 0 : nd - drop;
		if (keep > 19)
			goto bad_range;
		for (k = 0; k < keep; k++)
			v = v * 10 + (unsigned)(digits[k] - '0');
		/* Rounding on the dropped digits: digits[keep..nd) preceded by
		 * (drop - (nd - keep)) implicit leading zeros. */
		if (drop <= nd) {
			char first = digits[keep];
			int rest_nonzero = 0;
			for (k = keep + 1; k < nd; k++)
				if (digits[k] != '0')
					rest_nonzero = 1;
			if (first > '5' || (first == '5' && rest_nonzero))
				roundup = 1;
			else if (first == '5' && !rest_nonzero)
				roundup = (int)(v & 1); /* half to even */
		}
		v += (unsigned)roundup;
	}
	if (v > (unsigned __int128)INT64_MAX)
		goto bad_range;
	*nanos = neg ? -(int64_t)v : (int64_t)v;
	return 0;
bad:
	return tt_set_error(err, TT_EINVAL, "not a decimal number: '%.*s'", (int)(len > 80 ? 80 : len), text);
bad_range:
	return tt_set_error(err, TT_ERANGE, "number out of range: '%.*s'", (int)(len > 80 ? 80 : len), text);
}

int money_parse_str(const char *text, int scale_pow10, int64_t *nanos, struct tt_error *err)
{
	return money_parse(text, strlen(text), scale_pow10, nanos, err);
}

char *money_format(int64_t nanos, char *out, size_t outlen)
{
	uint64_t a, ip, fp;
	char frac[10];
	int n;

	a = nanos < 0 ? (uint64_t)(-(nanos + 1)) + 1 : (uint64_t)nanos;
	ip = a / (uint64_t)MONEY_NANO;
	fp = a % (uint64_t)MONEY_NANO;
	snprintf(frac, sizeof(frac), "%09" PRIu64, fp);
	n = 9;
	while (n > 2 && frac[n - 1] == '0')
		n--;
	frac[n] = '\0';
	snprintf(out, outlen, "%s%" PRIu64 ".%s", nanos < 0 ? "-" : "", ip, frac);
	return out;
}

int money_unit_scale(enum money_unit_kind u)
{
	switch (u) {
	case MONEY_UNIT_PER_TOKEN: return 6;
	case MONEY_UNIT_PER_1K: return 3;
	case MONEY_UNIT_PER_1M: return 0;
	case MONEY_UNIT_UNKNOWN: break;
	}
	return -1000;
}

/* Lower-case copy of text without blanks, '_' and '-' into out. */
static void squeeze(const char *text, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *text && o + 1 < outlen; text++) {
		unsigned char c = (unsigned char)*text;
		if (c == ' ' || c == '\t' || c == '\n' || c == '_' || c == '-')
			continue;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

enum money_unit_kind money_unit_from_text(const char *text)
{
	char s[256];

	if (!text)
		return MONEY_UNIT_UNKNOWN;
	squeeze(text, s, sizeof(s));
	if (strstr(s, "mtok") || strstr(s, "1mtokens") || strstr(s, "1m") ||
	    strstr(s, "milliontokens") || strstr(s, "million") || strstr(s, "百万") ||
	    strstr(s, "1,000,000tokens") || strstr(s, "per1m"))
		return MONEY_UNIT_PER_1M;
	if (strstr(s, "1ktokens") || strstr(s, "per1k") || strstr(s, "/1k") ||
	    strstr(s, "thousandtokens") || strstr(s, "1,000tokens") || strstr(s, "千"))
		return MONEY_UNIT_PER_1K;
	if (strstr(s, "pertoken") || strstr(s, "/token"))
		return MONEY_UNIT_PER_TOKEN;
	return MONEY_UNIT_UNKNOWN;
}

const char *money_currency_from_text(const char *text)
{
	static const struct {
		const char *text;
		const char *iso;
	} map[] = {
		{ "US$", "USD" }, { "$", "USD" }, { "USD", "USD" }, { "usd", "USD" },
		{ "\xe2\x82\xac", "EUR" }, { "EUR", "EUR" }, { "eur", "EUR" },
		{ "\xe5\x85\x83", "CNY" }, { "CNY", "CNY" }, { "cny", "CNY" }, { "RMB", "CNY" },
		{ "\xef\xbf\xa5", "CNY" }, /* fullwidth yen sign as used on Chinese pages */
		{ "\xc2\xa3", "GBP" }, { "GBP", "GBP" },
	};
	size_t i;

	if (!text)
		return NULL;
	for (i = 0; i < TT_ARRAY_SIZE(map); i++)
		if (!strcmp(text, map[i].text))
			return map[i].iso;
	return NULL;
}

__int128 money_div_half_even(__int128 num, __int128 den)
{
	__int128 q, r;
	int neg = 0;

	if (num < 0) {
		num = -num;
		neg = 1;
	}
	q = num / den;
	r = num % den;
	if (2 * r > den || (2 * r == den && (q & 1)))
		q++;
	return neg ? -q : q;
}

int money_currency_code(const char *c)
{
	return c && strlen(c) == 3 && strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}
