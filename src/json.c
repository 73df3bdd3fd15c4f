/*
 * json.c - json-c wrappers: located parse errors and money from number text.
 *
 * json-c's tokener runs in strict mode with UTF-8 validation.  A parse
 * error is located by counting lines up to json-c's parse end, so the
 * message points a human at the broken byte of a 1 MB feed.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"

#include <json-c/json.h>

/* Line (1-based) and column (1-based, in bytes) of byte offset off. */
static void locate(const char *body, size_t off, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;

	for (i = 0; i < off; i++) {
		if (body[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

int json_doc_parse(const char *body, size_t len, const char *origin, struct json_object **out,
		   struct tt_error *err)
{
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL;
	enum json_tokener_error jerr;
	const char *what = origin ? origin : "JSON";
	size_t skip = 0, end, line, col;
	int rc = TT_EPARSE;

	*out = NULL;
	if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3))
		skip = 3; /* UTF-8 byte-order mark */
	if (len - skip > (size_t)INT_MAX) {
		tt_set_error(err, TT_EPARSE, "%s: JSON body of %zu bytes is too large", what, len);
		goto out;
	}
	tok = json_tokener_new();
	if (!tok) {
		rc = tt_set_error(err, TT_ENOMEM, "%s: cannot allocate a JSON tokener", what);
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, body + skip, (int)(len - skip));
	jerr = json_tokener_get_error(tok);
	end = skip + json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue && len > skip) {
		/* A top-level number or literal only ends at a terminator:
		 * feed the NUL that json_tokener_parse() would have passed. */
		root = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_success && jerr != json_tokener_continue)
			jerr = json_tokener_continue; /* the NUL is ours, not the body's */
	}
	if (jerr == json_tokener_continue) {
		locate(body, end, &line, &col);
		tt_set_error(err, TT_EPARSE,
			     "%s: JSON parse error at line %zu, column %zu (byte %zu): %s", what,
			     line, col, end,
			     len == skip ? "empty body" : "truncated: the body ends inside a value");
		goto out;
	}
	if (jerr == json_tokener_success && !root) {
		locate(body, end, &line, &col);
		tt_set_error(err, TT_EPARSE, "%s: line %zu: the document is JSON null", what,
			     line);
		goto out;
	}
	if (jerr != json_tokener_success) {
		locate(body, end, &line, &col);
		tt_set_error(err, TT_EPARSE,
			     "%s: JSON parse error at line %zu, column %zu (byte %zu): %s", what,
			     line, col, end, json_tokener_error_desc(jerr));
		goto out;
	}
	*out = root;
	root = NULL;
	rc = 0;
out:
	json_object_put(root);
	if (tok)
		json_tokener_free(tok);
	return rc;
}

void json_doc_free(struct json_object *doc)
{
	json_object_put(doc);
}

struct json_object *json_get(const struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

const char *json_get_str(const struct json_object *obj, const char *key)
{
	struct json_object *v = json_get(obj, key);

	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int json_is_array(const struct json_object *v)
{
	return v && json_object_is_type(v, json_type_array);
}

int json_is_object(const struct json_object *v)
{
	return v && json_object_is_type(v, json_type_object);
}

size_t json_array_len(const struct json_object *arr)
{
	if (!json_is_array(arr))
		return 0;
	return json_object_array_length(arr);
}

struct json_object *json_array_at(const struct json_object *arr, size_t i)
{
	if (i >= json_array_len(arr))
		return NULL;
	return json_object_array_get_idx(arr, i);
}

const char *json_number_text(struct json_object *num)
{
	if (!num)
		return NULL;
	if (!json_object_is_type(num, json_type_double) && !json_object_is_type(num, json_type_int))
		return NULL;
	/* For a parsed double json-c serialises the original text (its
	 * tokener installs json_object_userdata_to_json_string); for an
	 * integer it prints the exact int64/uint64. */
	return json_object_get_string(num);
}

const char *json_money_text(struct json_object *v)
{
	if (v && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_number_text(v);
}

/* 1 when the mantissa of decimal text has a non-zero digit. */
static int text_nonzero(const char *s)
{
	for (; *s && *s != 'e' && *s != 'E'; s++)
		if (*s >= '1' && *s <= '9')
			return 1;
	return 0;
}

int json_money(struct json_object *v, int scale_pow10, int64_t *nanos, struct tt_error *err)
{
	const char *text;
	int64_t n = 0;
	int kind, rc;

	if (!v)
		return JSON_MONEY_ABSENT;
	if (json_object_is_type(v, json_type_string)) {
		kind = JSON_MONEY_STRING;
	} else if (json_object_is_type(v, json_type_double) ||
		   json_object_is_type(v, json_type_int)) {
		kind = JSON_MONEY_NUMBER;
	} else {
		return tt_set_error(err, TT_EINVAL, "a price must be a string or a number, not %s",
				    json_type_to_name(json_object_get_type(v)));
	}
	text = json_money_text(v);
	/* json-c keeps a \u0000 inside a string: the C string would end early
	 * and "0.000002\u0000999" would read as 0.000002. */
	if (kind == JSON_MONEY_STRING && (size_t)json_object_get_string_len(v) != strlen(text))
		return tt_set_error(err, TT_EINVAL, "price text '%s...' holds a NUL character (\\u0000)",
				    text);
	rc = money_parse(text, strlen(text), scale_pow10, &n, err);
	if (rc < 0)
		return rc;
	if (n == 0 && text_nonzero(text))
		return tt_set_error(err, TT_ERANGE,
				    "price '%s' rounds to 0 nano-units (a price that rounds to 0 "
				    "is an error, never free)",
				    text);
	*nanos = n;
	return kind;
}

/* ---- writing ---- */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	uint32_t cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int json_buf_add_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = buf_addch(b, '"');

	while (rc == 0 && *p) {
		size_t n = utf8_len(p);

		if (*p == '"' || *p == '\\') {
			rc = buf_addch(b, '\\');
			if (rc == 0)
				rc = buf_addch(b, (char)*p);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			static const char esc[] = { 'b', 't', 'n', 0, 'f', 'r' };
			if (*p >= 8 && *p <= 13 && esc[*p - 8])
				rc = buf_addf(b, "\\%c", esc[*p - 8]);
			else
				rc = buf_addf(b, "\\u%04x", *p);
			p++;
		} else if (n == 0) {
			rc = buf_adds(b, "\\ufffd");
			p++;
		} else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			rc = buf_addf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 3;
		} else {
			rc = buf_add(b, p, n);
			p += n;
		}
	}
	return rc ? rc : buf_addch(b, '"');
}

int json_buf_add_string_or_null(struct buf *b, const char *s)
{
	return s ? json_buf_add_string(b, s) : buf_adds(b, "null");
}
