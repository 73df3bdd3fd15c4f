/*
 * pricetext.h - read the text of one price cell into zero or more values.
 *
 * A cell can hold one price ("$0.15 / 1M tokens"), several ("$1.25,
 * prompts <= 200k tokens\n$2.50, prompts > 200k tokens", "$2.00 (<=200K) /
 * $4.00 (>200K)", "$0.14 (off-peak) / $0.28 (peak, UTC 01:00–10:00)"), a
 * word ("Free", "N/A", "Contact sales", "—") or nothing.  Each value
 * carries its status, its exact amount (money_parse, never a double), its
 * ISO currency, the unit the cell names, and the condition terms the cell
 * states: a prompt band, a time band and a modality (DESIGN.md order).
 *
 * Number formats (cases 11 and 14): "$1,234.50", "1.234,50 €" (de-DE),
 * "0,89 €", ",89 €", "$1 250.00" with U+202F/NBSP/U+2009 as thousands
 * marks.  A lone comma followed by exactly three digits ("1,600") is a
 * thousands separator when the locale uses a decimal point or the price
 * carries a "$"; a decimal comma in a decimal-comma locale (de, fr, ...);
 * otherwise the value is AMBIGUOUS and must not be stored.
 */
#ifndef TT_PRICETEXT_H
#define TT_PRICETEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/err.h"
#include "tokentrend/money.h"

enum pricetext_status {
	PRICETEXT_VALUE = 0,  /* a number was read: nanos/number are set */
	PRICETEXT_FREE,       /* the cell says free: nanos 0, known */
	PRICETEXT_UNKNOWN,    /* no price: "", "-", "—", "N/A", "Contact sales"... (NULL, never 0) */
	PRICETEXT_AMBIGUOUS,  /* a number that cannot be read safely ("1,600" without locale); note says why */
};

/* Largest number of values one cell may hold. */
#define PRICETEXT_MAX 8

struct pricetext_value {
	enum pricetext_status status;
	int64_t nanos;              /* VALUE: nano-units of currency per the published unit; else 0 */
	char number[48];            /* VALUE: the amount as plain decimal text ("1234.50"); FREE: "0" */
	char currency[8];           /* ISO code from the text, else the caller's default; "" when neither */
	enum money_unit_kind unit;  /* token unit the cell names, MONEY_UNIT_UNKNOWN when none */
	char unit_text[48];         /* the unit phrase after "/" or "per" ("1M tokens", "minute"), or "" */
	char prompt[32];            /* prompt band ("prompt<=200k"), or "" */
	char time_band[8];          /* "offpeak", "peak", or "" */
	char modality[32];          /* "audio", "text/image/video" (fixed order text/image/video/audio), or "" */
	char note[96];              /* hours of a time band ("UTC 01:00–10:00"), or why AMBIGUOUS; or "" */
	char text[160];             /* the part of the cell this value was read from (may be truncated) */
};

/*
 * Parse one cell.
 *   text, len         the cell text (raw or from html_node_text(); not
 *                     necessarily NUL-terminated; NULL with len 0 is empty).
 *   default_currency  ISO code used when the text names none (may be NULL).
 *   locale            the page's language tag ("en-US", "de-DE"), or NULL
 *                     when the source declares none.
 *   out, max          room for up to max values.
 * Returns the number of values written (at least 1: an empty or wordy cell
 * gives one UNKNOWN or FREE value), TT_EINVAL when the cell holds more than
 * max prices (*err quotes it), or TT_ENOMEM.
 */
int pricetext_parse(const char *text, size_t len, const char *default_currency, const char *locale,
		    struct pricetext_value *out, size_t max, struct tt_error *err);

/*
 * Find a prompt-length band in text ("Prompts ≤ 200K tokens", "(<=200K)",
 * "> 200k tokens", "≤272K input tokens", "(<272K context length)", "up to
 * 128K tokens") and write it as a condition term: "prompt<=200k",
 * "prompt>272k" (amount in k for thousands, m for millions).  Returns 1
 * when exactly one band was found, 0 when none, TT_EINVAL when several
 * different ones were.
 */
int pricetext_band(const char *text, char *out, size_t outlen);

/* The other side of a band: "prompt<272k" -> "prompt>=272k", "prompt<=200k"
 * -> "prompt>200k" and back.  Returns 0 or TT_EINVAL. */
int pricetext_band_complement(const char *band, char *out, size_t outlen);

/*
 * Join condition terms in DESIGN.md's fixed order (prompt band, time band,
 * modality), skipping NULL/empty ones: ("prompt>200k", "peak", "audio") ->
 * "prompt>200k,peak,audio".  Returns 0, or TT_ENOMEM when out is too small.
 */
int pricetext_condition(const char *prompt, const char *time_band, const char *modality, char *out,
			size_t outlen);

/* "value", "free", "unknown", "ambiguous". */
const char *pricetext_status_name(enum pricetext_status s);

#endif /* TT_PRICETEXT_H */
