/*
 * money.h - exact decimal money: text <-> integer nano-units, units, currencies.
 *
 * Every price is an int64_t count of nano-units (1e-9) of its currency per
 * its unit (for tokens: per 1M tokens).  Text is parsed digit by digit,
 * never through a double: strtod("8.20") * 1e6 truncates to 8199999.
 * Digits past the ninth decimal are rounded half to even; the caller keeps
 * the original text beside the integer.
 */
#ifndef TT_MONEY_H
#define TT_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"

#define MONEY_NANO INT64_C(1000000000)

/* Largest price a token source may publish per 1M tokens before it is
 * flagged implausible (case 2: "15000 per 1M tokens (> 1000)"). */
#define MONEY_MAX_PER_MTOK (INT64_C(1000) * MONEY_NANO)

/*
 * Parse decimal text into nano-units, multiplied by 10^scale_pow10 first.
 *   text, len     [in] the number: optional sign, digits, optional '.',
 *                 optional exponent ("2.5e-06", "-1", ".5", "8.20").
 *                 Leading and trailing ASCII blanks are skipped.  No
 *                 thousands separators, no currency signs (see pricetext).
 *   scale_pow10   [in] power of ten to apply: 6 turns a per-token price
 *                 into per-1M, 3 a per-1K price, 0 keeps it.
 *   nanos         [out] the value in 1e-9 units, rounded half to even.
 * Returns 0, TT_EINVAL (not a number; *err names the text) or TT_ERANGE
 * (does not fit in int64 nano-units).  err may be NULL.
 */
int money_parse(const char *text, size_t len, int scale_pow10, int64_t *nanos,
		struct tt_error *err);

/* Convenience: money_parse on a NUL-terminated string. */
int money_parse_str(const char *text, int scale_pow10, int64_t *nanos, struct tt_error *err);

/*
 * Format nano-units as exact decimal text with at least two decimals and
 * no trailing zeros beyond them: 8200000000 -> "8.20", 75000000 -> "0.075",
 * 20833333 -> "0.020833333", -1000000000 -> "-1.00".
 * out must hold MONEY_FMT_MAX bytes.  Returns out.
 */
#define MONEY_FMT_MAX 32
char *money_format(int64_t nanos, char *out, size_t outlen);

/* num / den rounded half to even (den > 0; num of either sign, rounded
 * symmetrically): the one rounding rule of every money division. */
__int128 money_div_half_even(__int128 num, __int128 den);

/* The unit a published price is quoted in, and the power of ten that turns
 * it into our stored per-1M unit for tokens. */
enum money_unit_kind {
	MONEY_UNIT_UNKNOWN = 0,
	MONEY_UNIT_PER_TOKEN,  /* scale 6 */
	MONEY_UNIT_PER_1K,     /* scale 3 */
	MONEY_UNIT_PER_1M,     /* scale 0 */
};

/* Power of ten for a unit kind; -1000 for MONEY_UNIT_UNKNOWN. */
int money_unit_scale(enum money_unit_kind u);

/*
 * Recognise a unit phrase ("/ 1M tokens", "per 1K tokens", "MTok",
 * "per million input tokens", "per_1m_tokens", "per token", "百万tokens").
 * Case-insensitive, blanks ignored.  Returns MONEY_UNIT_UNKNOWN when the
 * text names no token unit.
 */
enum money_unit_kind money_unit_from_text(const char *text);

/*
 * Map a currency sign or code found in price text to an ISO 4217 code:
 * "$" "USD" "US$" -> "USD", "€" "EUR" -> "EUR", "元" "CNY" "RMB" "￥" -> "CNY".
 * Returns a static string, or NULL when the text is not a known currency.
 * (A bare "¥" is CNY only when the caller says the source is Chinese; it
 * returns NULL here because it is also the yen sign.)
 */
const char *money_currency_from_text(const char *text);

/* 1 when c is an ISO 4217 code as we store it: three ASCII capitals
 * ("USD", "CNY"); 0 otherwise, NULL included. */
int money_currency_code(const char *c);

#endif /* TT_MONEY_H */
