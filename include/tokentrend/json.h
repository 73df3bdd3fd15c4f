/*
 * json.h - thin helpers over json-c for the JSON feeds (OpenRouter, LiteLLM,
 * llm-prices, Azure): parse a whole body with a located error, look keys
 * up, and read money from a value's TEXT, never from a double.
 *
 * Why json-c: its tokener keeps a parsed number's original text.  For a
 * JSON double, json_object_get_string() returns the characters as written
 * ("2.5e-06" stays "2.5e-06", "0.0000000208333333333333" keeps all its
 * digits); the double json-c also computes is never used for money.  JSON
 * integers are kept as int64 (or uint64): their text is regenerated from
 * the exact integer, which has the same value ("-0" becomes "0"); an
 * integer outside 64 bits is clamped by json-c to INT64_MIN / UINT64_MAX,
 * which money_parse() then rejects as out of range for a price
 * (tests/test_json.c pins all of this down).
 *
 * Ownership: json_doc_parse() gives the caller one reference to the root;
 * free it with json_doc_free().  Every pointer these helpers return
 * (children, strings, number text) is borrowed from the document and lives
 * until the document is freed.
 */
#ifndef TT_JSON_H
#define TT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

struct json_object;

/*
 * Parse a whole JSON document (RFC 8259, json-c strict mode: no trailing
 * commas, no leading zeros, nothing but blanks after the value; strings
 * must be valid UTF-8; a leading UTF-8 byte-order mark is skipped).
 *   body, len  [in] the bytes, not necessarily NUL-terminated.
 *   origin     [in] file path or URL, for messages; NULL means "JSON".
 *   out        [out] the root value on success (a JSON null root is
 *              refused: *out is never NULL on success).
 * Returns 0, or TT_EPARSE with *err naming the origin, line, column and
 * byte offset and json-c's reason ("truncated" for a body that ends inside
 * a value).  err may be NULL.
 */
int json_doc_parse(const char *body, size_t len, const char *origin, struct json_object **out,
		   struct tt_error *err);

/* Drop the caller's reference to a parsed document.  NULL is a no-op. */
void json_doc_free(struct json_object *doc);

/* The member `key` of an object: NULL when obj is NULL or not an object,
 * when the key is absent, or when its value is JSON null (json-c keeps
 * null as a NULL pointer; callers treat absent and null alike). */
struct json_object *json_get(const struct json_object *obj, const char *key);

/* The string value of member `key`, or NULL when absent, null or not a
 * string. */
const char *json_get_str(const struct json_object *obj, const char *key);

/* 1 when v is a JSON array / object, else 0 (NULL gives 0). */
int json_is_array(const struct json_object *v);
int json_is_object(const struct json_object *v);

/* Number of elements of an array (0 for NULL or a non-array) and element i
 * (NULL when out of range or a JSON null element). */
size_t json_array_len(const struct json_object *arr);
struct json_object *json_array_at(const struct json_object *arr, size_t i);

/*
 * The text of a JSON number as written in the document (doubles) or as the
 * exact decimal of the integer (integers).  Returns NULL when num is NULL
 * or not a number.  Borrowed pointer.
 */
const char *json_number_text(struct json_object *num);

/* What json_money() read. */
enum json_money_kind {
	JSON_MONEY_ABSENT = 0, /* NULL pointer: key missing or JSON null; nothing read */
	JSON_MONEY_STRING = 1, /* a JSON string holding a decimal: "0.0000025" */
	JSON_MONEY_NUMBER = 2, /* a JSON number, read from its text: 2.5e-06 */
};

/*
 * Read a price from a JSON value through its text with money_parse().
 *   v            [in] a string holding a decimal, a number, or NULL.
 *   scale_pow10  [in] 6 for a per-token price stored per 1M, 0 to keep it.
 *   nanos        [out] the value in nano-units (set only on success).
 * Returns JSON_MONEY_STRING or JSON_MONEY_NUMBER (> 0) on success,
 * JSON_MONEY_ABSENT (0) when v is NULL (*nanos untouched), TT_EINVAL when v
 * is a boolean, object or array or its text is not a decimal ("", "N/A",
 * "NaN"), TT_ERANGE when the value does not fit or when non-zero text
 * rounds to 0 nano-units (a price that rounds to 0 is an error, never
 * free).  Negative values are returned as they are: sentinels such as
 * OpenRouter's "-1" are the caller's business.  A string holding a NUL
 * character (\u0000) is TT_EINVAL.  *err quotes the text.
 */
int json_money(struct json_object *v, int scale_pow10, int64_t *nanos, struct tt_error *err);

/* The text json_money() reads: a string's contents or a number's text;
 * NULL for anything else.  Borrowed pointer. */
const char *json_money_text(struct json_object *v);

/*
 * Append s to b as one JSON string literal, quotes included: '"' and '\\'
 * escaped, control characters and DEL as \b \t \n \f \r or \u00XX,
 * U+2028/U+2029 as \u2028/\u2029 (safe inside JavaScript too), and each
 * byte of invalid UTF-8 as \ufffd, so the output is always valid JSON.
 * s must not be NULL (write null yourself).  Returns 0 or TT_ENOMEM (b's
 * cap or memory; b may then hold part of the string).  The one JSON string
 * writer for hand-built JSON (query rows, `sources --format json`).
 */
int json_buf_add_string(struct buf *b, const char *s);

/* The same, writing null when s is NULL. */
int json_buf_add_string_or_null(struct buf *b, const char *s);

#endif /* TT_JSON_H */
