/*
 * pricetext.c - one price cell's text into values (see pricetext.h).
 *
 * The cell is normalised (textnorm), scanned for number tokens, and each
 * token is classed as a price or as a qualifier (a quantity like "200K" or
 * "1M tokens", a threshold after "<=", a time "01:00", a word part like
 * "gpt-4o").  The text is then cut into one segment per price, and each
 * segment's qualifiers become that value's condition terms.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/pricetext.h"
#include "tokentrend/textnorm.h"
#include "tokentrend/buf.h"

#define PT_THIN_LEN 3

static int pt_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int pt_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int pt_alnum(int c)
{
	return pt_digit(c) || pt_alpha(c);
}

static int pt_thin_at(const char *s, size_t i, size_t n)
{
	return i + PT_THIN_LEN <= n && !memcmp(s + i, TEXTNORM_THIN, PT_THIN_LEN);
}

/* Copy s[a..b) into out (NUL-terminated, truncated at a UTF-8 boundary). */
static void pt_copy(char *out, size_t outlen, const char *s, size_t a, size_t b)
{
	size_t n = b > a ? b - a : 0;

	if (outlen == 0)
		return;
	if (n >= outlen) {
		n = outlen - 1;
		while (n > 0 && ((unsigned char)s[a + n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s + a, n);
	out[n] = '\0';
}

/* Case-insensitive: does s[i..n) start with word w (ASCII)? */
static int pt_starts(const char *s, size_t i, size_t n, const char *w)
{
	size_t k = strlen(w);

	return i + k <= n && !strncasecmp(s + i, w, k);
}

/* ---- currencies ------------------------------------------------------- */

struct pt_sign {
	const char *text;
	const char *iso; /* NULL: "¥", yen or yuan depending on the source */
	int word;        /* an alphabetic code: needs word boundaries */
};

static const struct pt_sign pt_signs[] = {
	{ "US$", "USD", 0 }, { "$", "USD", 0 }, { "\xe2\x82\xac", "EUR", 0 },
	{ "\xc2\xa3", "GBP", 0 }, { "\xef\xbf\xa5", "CNY", 0 }, { "\xe5\x85\x83", "CNY", 0 },
	{ "\xc2\xa5", NULL, 0 }, { "USD", "USD", 1 }, { "EUR", "EUR", 1 }, { "CNY", "CNY", 1 },
	{ "RMB", "CNY", 1 }, { "GBP", "GBP", 1 }, { "JPY", "JPY", 1 },
};

/* A sign starting at s[i]: its table entry, or NULL. */
static const struct pt_sign *pt_sign_at(const char *s, size_t i, size_t n)
{
	size_t k, l;

	for (k = 0; k < TT_ARRAY_SIZE(pt_signs); k++) {
		l = strlen(pt_signs[k].text);
		if (i + l > n || memcmp(s + i, pt_signs[k].text, l) != 0)
			continue;
		if (pt_signs[k].word && ((i > 0 && pt_alpha(s[i - 1])) || (i + l < n && pt_alpha(s[i + l]))))
			continue;
		return &pt_signs[k];
	}
	return NULL;
}

/* A sign ending at s[e] (exclusive): its entry and start, or NULL. */
static const struct pt_sign *pt_sign_before(const char *s, size_t e, size_t n, size_t *start)
{
	size_t k, l;

	for (k = 0; k < TT_ARRAY_SIZE(pt_signs); k++) {
		l = strlen(pt_signs[k].text);
		if (l > e || memcmp(s + e - l, pt_signs[k].text, l) != 0)
			continue;
		if (pt_signs[k].word && e - l > 0 && pt_alpha(s[e - l - 1]))
			continue;
		*start = e - l;
		(void)n;
		return &pt_signs[k];
	}
	return NULL;
}

/* Resolve a sign to an ISO code; "¥" is the default when that is CNY or JPY. */
static const char *pt_sign_iso(const struct pt_sign *sg, const char *dflt)
{
	if (sg->iso)
		return sg->iso;
	if (dflt && (!strcmp(dflt, "CNY") || !strcmp(dflt, "JPY")))
		return dflt;
	return NULL;
}

/* ---- locale ----------------------------------------------------------- */

/* -1: no locale declared; 0: decimal point; 1: decimal comma. */
static int pt_locale_class(const char *loc)
{
	static const char *const comma[] = {
		"de", "fr", "es", "it", "pt", "nl", "ru", "pl", "cs", "sk", "sv", "da", "fi",
		"nb", "nn", "no", "tr", "id", "vi", "uk", "ro", "hu", "el", "bg", "hr", "sl",
		"lt", "lv", "et", "sr", "ca", "eu", "gl", "be", "kk", "az", "is",
	};
	char lang[8];
	size_t i;

	if (!loc || !*loc)
		return -1;
	for (i = 0; loc[i] && loc[i] != '-' && loc[i] != '_' && i + 1 < sizeof(lang); i++)
		lang[i] = (char)tolower((unsigned char)loc[i]);
	lang[i] = '\0';
	for (i = 0; i < TT_ARRAY_SIZE(comma); i++)
		if (!strcmp(lang, comma[i]))
			return 1;
	return 0;
}

/* ---- numbers ---------------------------------------------------------- */

/*
 * Turn the number token s[a..b) into plain decimal text.  loc is the
 * locale class, dollar 1 when the price carries "$"/USD.  Returns 0, or 1
 * when the token cannot be read safely (why says so).
 */
static int pt_number(const char *s, size_t a, size_t b, int loc, int dollar, char *out,
		     size_t outlen, char *why, size_t whylen)
{
	char groups[16][24];
	char seps[16] = { 0 }; /* one per separator read; zeroed for the compiler */
	size_t ng = 1, gl = 0, i, k, ndot = 0, ncomma = 0;
	int dec = -1; /* index into seps of the decimal mark, -1 none */
	struct buf t = BUF_INIT;
	int rc = 1;

	groups[0][0] = '\0';
	for (i = a; i < b;) {
		char c = s[i];
		if (pt_digit(c)) {
			if (gl + 1 >= sizeof(groups[0])) {
				snprintf(why, whylen, "number too long");
				return 1;
			}
			groups[ng - 1][gl++] = c;
			groups[ng - 1][gl] = '\0';
			i++;
			continue;
		}
		if (ng >= TT_ARRAY_SIZE(groups)) {
			snprintf(why, whylen, "too many digit groups");
			return 1;
		}
		if (c == '.' || c == ',') {
			seps[ng - 1] = c;
			ndot += c == '.';
			ncomma += c == ',';
			i++;
		} else {
			seps[ng - 1] = 't';
			i += PT_THIN_LEN;
		}
		groups[ng][0] = '\0';
		gl = 0;
		ng++;
	}
	/* seps[j] sits between groups[j] and groups[j+1]; there are ng-1 seps. */
	if (ndot && ncomma) {
		char last = seps[ng - 2];
		if (last == 't' || (last == '.' ? ndot : ncomma) != 1) {
			snprintf(why, whylen, "mixed separators in '%.*s'", (int)(b - a), s + a);
			return 1;
		}
		dec = (int)ng - 2;
	} else if (ndot + ncomma >= 2) {
		dec = -1; /* "1,234,567": thousands only */
	} else if (ndot + ncomma == 1) {
		char x = ndot ? '.' : ',';
		size_t j, flen;
		int allzero = 1;
		for (j = 0; j < ng - 1 && seps[j] != x; j++)
			;
		if (j != ng - 2) {
			snprintf(why, whylen, "irregular number '%.*s'", (int)(b - a), s + a);
			return 1;
		}
		flen = strlen(groups[ng - 1]);
		for (k = 0; k < j + 1; k++) {
			const char *g = groups[k];
			for (; *g; g++)
				if (*g != '0')
					allzero = 0;
		}
		if (flen != 3 || allzero)
			dec = (int)j;
		else if (x == '.')
			dec = loc == 1 ? -1 : (int)j;
		else if (loc == 0 || (loc == -1 && dollar))
			dec = -1;
		else if (loc == 1)
			dec = (int)j;
		else {
			snprintf(why, whylen,
				 "'%.*s' has a comma before 3 digits and the source declares no locale "
				 "(thousands separator or decimal comma?)",
				 (int)(b - a), s + a);
			return 1;
		}
	}
	/* Digit grouping before the decimal mark must be regular: 1-3, then 3s. */
	for (k = 0; k + 1 < ng && (dec < 0 || k < (size_t)dec); k++) {
		if ((k == 0 && (strlen(groups[0]) < 1 || strlen(groups[0]) > 3)) ||
		    strlen(groups[k + 1]) != 3) {
			snprintf(why, whylen, "irregular digit grouping in '%.*s'", (int)(b - a), s + a);
			return 1;
		}
	}
	for (k = 0; k < ng; k++) {
		if (dec >= 0 && k == (size_t)dec + 1 && buf_addch(&t, '.') < 0)
			goto out;
		if (buf_adds(&t, groups[k]) < 0)
			goto out;
	}
	if (t.len == 0 || !strcmp(t.buf, ".")) {
		snprintf(why, whylen, "no digits in '%.*s'", (int)(b - a), s + a);
		goto out;
	}
	if (t.len + 1 >= outlen) {
		snprintf(why, whylen, "number too long");
		goto out;
	}
	if (t.buf[0] == '.')
		snprintf(out, outlen, "0%s", t.buf);
	else
		snprintf(out, outlen, "%s", t.buf);
	rc = 0;
out:
	buf_release(&t);
	return rc;
}

/* ---- prompt bands ------------------------------------------------------ */

struct pt_op {
	const char *text;
	const char *op;
	int word;
};

static const struct pt_op pt_ops[] = {
	{ "<=", "<=", 0 }, { "=<", "<=", 0 }, { "\xe2\x89\xa4", "<=", 0 }, { ">=", ">=", 0 },
	{ "=>", ">=", 0 }, { "\xe2\x89\xa5", ">=", 0 }, { "<", "<", 0 }, { ">", ">", 0 },
	{ "up to", "<=", 1 }, { "at most", "<=", 1 }, { "at least", ">=", 1 },
	{ "more than", ">", 1 }, { "greater than", ">", 1 }, { "over", ">", 1 },
	{ "above", ">", 1 }, { "exceeding", ">", 1 }, { "beyond", ">", 1 },
	{ "less than", "<", 1 }, { "under", "<", 1 }, { "below", "<", 1 },
};

/*
 * A band starting at s[i]: fills op and tokens, *end past it.  Returns 1
 * when found.  Word operators need the text to talk about tokens.
 */
static int pt_band_at(const char *s, size_t i, size_t n, int tokeny, const char **op,
		      int64_t *tokens, size_t *end)
{
	size_t k, j, l;
	int64_t ip = 0, mult = 0, frac = 0, fscale = 1;
	int digits = 0, has_token_word = 0;

	for (k = 0; k < TT_ARRAY_SIZE(pt_ops); k++) {
		l = strlen(pt_ops[k].text);
		if (i + l > n || strncasecmp(s + i, pt_ops[k].text, l) != 0)
			continue;
		if (pt_ops[k].word && (!tokeny || (i > 0 && pt_alpha(s[i - 1])) ||
				       (i + l < n && pt_alpha(s[i + l]))))
			continue;
		break;
	}
	if (k == TT_ARRAY_SIZE(pt_ops))
		return 0;
	j = i + l;
	while (j < n && s[j] == ' ')
		j++;
	for (; j < n; j++) {
		if (pt_digit(s[j])) {
			if (ip > INT64_C(1000000000000))
				return 0;
			ip = ip * 10 + (s[j] - '0');
			digits++;
		} else if ((s[j] == ',' || pt_thin_at(s, j, n)) && j + 1 < n && pt_digit(s[j + (s[j] == ',' ? 1 : PT_THIN_LEN)])) {
			if (s[j] != ',')
				j += PT_THIN_LEN - 1;
		} else {
			break;
		}
	}
	if (!digits)
		return 0;
	if (j + 1 < n && s[j] == '.' && pt_digit(s[j + 1])) {
		for (j++; j < n && pt_digit(s[j]); j++) {
			if (fscale < INT64_C(1000000)) {
				frac = frac * 10 + (s[j] - '0');
				fscale *= 10;
			}
		}
	}
	while (j < n && s[j] == ' ')
		j++;
	if (j < n && (s[j] == 'k' || s[j] == 'K') && !(j + 1 < n && pt_alpha(s[j + 1]))) {
		mult = 1000;
		j++;
	} else if (j < n && (s[j] == 'm' || s[j] == 'M') &&
		   !(j + 1 < n && pt_alpha(s[j + 1]) && !pt_starts(s, j + 1, n, "tok"))) {
		mult = 1000000;
		j++;
	} else if (pt_starts(s, j, n, "thousand")) {
		mult = 1000;
		j += 8;
	} else if (pt_starts(s, j, n, "million")) {
		mult = 1000000;
		j += 7;
	}
	{
		size_t w = j;
		while (w < n && s[w] == ' ')
			w++;
		if (pt_starts(s, w, n, "input token") || pt_starts(s, w, n, "token") ||
		    pt_starts(s, w, n, "context") || pt_starts(s, w, n, "tok"))
			has_token_word = 1;
	}
	if (!mult && !has_token_word)
		return 0;
	if (!mult)
		mult = 1;
	*tokens = ip * mult + frac * mult / fscale;
	*op = pt_ops[k].op;
	*end = j;
	return 1;
}

static void pt_band_format(const char *op, int64_t tokens, char *out, size_t outlen)
{
	if (tokens > 0 && tokens % 1000000 == 0)
		snprintf(out, outlen, "prompt%s%" PRId64 "m", op, tokens / 1000000);
	else if (tokens > 0 && tokens % 1000 == 0)
		snprintf(out, outlen, "prompt%s%" PRId64 "k", op, tokens / 1000);
	else
		snprintf(out, outlen, "prompt%s%" PRId64, op, tokens);
}

static int pt_band_range(const char *s, size_t n, char *out, size_t outlen)
{
	char found[32] = "", cur[32];
	size_t i = 0, end;
	const char *op;
	int64_t tokens;
	int tokeny = 0;

	for (i = 0; i < n; i++)
		if (pt_starts(s, i, n, "token") || pt_starts(s, i, n, "context") ||
		    pt_starts(s, i, n, "prompt") || pt_starts(s, i, n, "tok"))
			tokeny = 1;
	for (i = 0; i < n;) {
		if (pt_band_at(s, i, n, tokeny, &op, &tokens, &end)) {
			pt_band_format(op, tokens, cur, sizeof(cur));
			if (found[0] && strcmp(found, cur) != 0)
				return TT_EINVAL;
			snprintf(found, sizeof(found), "%s", cur);
			i = end;
		} else {
			i++;
		}
	}
	if (!found[0])
		return 0;
	snprintf(out, outlen, "%s", found);
	return 1;
}

int pricetext_band(const char *text, char *out, size_t outlen)
{
	struct buf t = BUF_INIT;
	int rc;

	if (outlen)
		out[0] = '\0';
	if (!text)
		return 0;
	if (textnorm_space(text, strlen(text), 0, &t) < 0)
		return TT_ENOMEM;
	rc = pt_band_range(t.buf, t.len, out, outlen);
	buf_release(&t);
	return rc;
}

int pricetext_band_complement(const char *band, char *out, size_t outlen)
{
	static const struct {
		const char *op, *other;
	} pairs[] = { { "<=", ">" }, { ">=", "<" }, { "<", ">=" }, { ">", "<=" } };
	size_t k, l;

	if (!band || strncmp(band, "prompt", 6) != 0)
		return TT_EINVAL;
	for (k = 0; k < TT_ARRAY_SIZE(pairs); k++) {
		l = strlen(pairs[k].op);
		if (!strncmp(band + 6, pairs[k].op, l) && band[6 + l] && band[6 + l] != '=') {
			if ((size_t)snprintf(out, outlen, "prompt%s%s", pairs[k].other, band + 6 + l) >= outlen)
				return TT_EINVAL;
			return 0;
		}
	}
	return TT_EINVAL;
}

int pricetext_condition(const char *prompt, const char *time_band, const char *modality, char *out,
			size_t outlen)
{
	const char *terms[3] = { prompt, time_band, modality };
	size_t k, o = 0, l;

	if (outlen == 0)
		return TT_ENOMEM;
	out[0] = '\0';
	for (k = 0; k < 3; k++) {
		if (!terms[k] || !*terms[k])
			continue;
		l = strlen(terms[k]);
		if (o + (o ? 1 : 0) + l + 1 > outlen)
			return TT_ENOMEM;
		if (o)
			out[o++] = ',';
		memcpy(out + o, terms[k], l + 1);
		o += l;
	}
	return 0;
}

const char *pricetext_status_name(enum pricetext_status s)
{
	switch (s) {
	case PRICETEXT_VALUE: return "value";
	case PRICETEXT_FREE: return "free";
	case PRICETEXT_UNKNOWN: return "unknown";
	case PRICETEXT_AMBIGUOUS: return "ambiguous";
	}
	return "?";
}

/* ---- qualifiers ------------------------------------------------------- */

static int pt_word_at(const char *s, size_t i, size_t n, const char *w)
{
	size_t l = strlen(w);

	return pt_starts(s, i, n, w) && (i == 0 || !pt_alpha(s[i - 1])) &&
	       (i + l >= n || !pt_alpha(s[i + l]));
}

static int pt_has_word(const char *s, size_t a, size_t b, const char *w)
{
	size_t i;

	for (i = a; i < b; i++)
		if (pt_word_at(s, i, b, w))
			return 1;
	return 0;
}

static void pt_time_band(const char *s, size_t a, size_t b, struct pricetext_value *v)
{
	size_t i;

	for (i = a; i < b; i++) {
		if (pt_starts(s, i, b, "off-peak") || pt_starts(s, i, b, "off peak") ||
		    pt_starts(s, i, b, "offpeak")) {
			snprintf(v->time_band, sizeof(v->time_band), "offpeak");
			return;
		}
	}
	for (i = a; i < b; i++) {
		if (pt_word_at(s, i, b, "peak")) {
			snprintf(v->time_band, sizeof(v->time_band), "peak");
			return;
		}
	}
}

/* "HH:MM" at s[i]: returns its length or 0. */
static size_t pt_clock_at(const char *s, size_t i, size_t n)
{
	size_t j = i;

	if (i > 0 && pt_digit(s[i - 1]))
		return 0;
	while (j < n && j - i < 2 && pt_digit(s[j]))
		j++;
	if (j == i || j + 3 > n || s[j] != ':' || !pt_digit(s[j + 1]) || !pt_digit(s[j + 2]))
		return 0;
	return j + 3 - i;
}

/* The hours of a time band ("UTC 01:00–10:00") into note. */
static void pt_hours(const char *s, size_t a, size_t b, struct pricetext_value *v)
{
	size_t i, l1, j, l2, start, end;
	static const char *const dashes[] = { "-", "\xe2\x80\x93", "\xe2\x80\x94", "to" };

	for (i = a; i < b; i++) {
		size_t k;
		if (!(l1 = pt_clock_at(s, i, b)))
			continue;
		j = i + l1;
		while (j < b && s[j] == ' ')
			j++;
		for (k = 0; k < TT_ARRAY_SIZE(dashes); k++)
			if (pt_starts(s, j, b, dashes[k]))
				break;
		if (k == TT_ARRAY_SIZE(dashes))
			continue;
		j += strlen(dashes[k]);
		while (j < b && s[j] == ' ')
			j++;
		if (!(l2 = pt_clock_at(s, j, b)))
			continue;
		start = i;
		end = j + l2;
		if (start >= a + 4 && (pt_starts(s, start - 4, b, "UTC ") || pt_starts(s, start - 4, b, "GMT ")))
			start -= 4;
		else if (end + 4 <= b && (pt_starts(s, end, b, " UTC") || pt_starts(s, end, b, " GMT")))
			end += 4;
		pt_copy(v->note, sizeof(v->note), s, start, end);
		return;
	}
}

static void pt_modality(const char *s, size_t a, size_t b, struct pricetext_value *v)
{
	static const char *const order[] = { "text", "image", "video", "audio" };
	size_t k, o = 0;

	v->modality[0] = '\0';
	for (k = 0; k < TT_ARRAY_SIZE(order); k++) {
		if (!pt_has_word(s, a, b, order[k]))
			continue;
		o += (size_t)snprintf(v->modality + o, sizeof(v->modality) - o, "%s%s", o ? "/" : "",
				      order[k]);
		if (o >= sizeof(v->modality))
			break;
	}
}

/* ---- number tokens ---------------------------------------------------- */

struct pt_tok {
	size_t a, b;                /* the number bytes */
	size_t lead, trail;         /* extent with a leading / trailing currency sign */
	const struct pt_sign *sign; /* the sign next to it, or NULL */
	int price;                  /* 1: a price; 0: a qualifier */
};

static const char *const pt_qty_words[] = {
	"k", "m", "b", "tok", "token", "tokens", "mtok", "million", "thousand", "billion", "gb",
	"mb", "kb", "tb", "hour", "hours", "hr", "minute", "minutes", "min", "second", "seconds",
	"sec", "s", "day", "days", "x", "calls", "call", "requests", "request", "images", "image",
	"characters", "chars", "pixels", "px", "p", "percent", "queries", "searches", "month",
	"months", "year", "years", "rpm", "tpm",
};

/* Is the word at s[i] a unit of quantity? */
static int pt_qty_word_at(const char *s, size_t i, size_t n)
{
	size_t k, l;

	for (k = 0; k < TT_ARRAY_SIZE(pt_qty_words); k++) {
		l = strlen(pt_qty_words[k]);
		if (pt_starts(s, i, n, pt_qty_words[k]) && (i + l >= n || !pt_alpha(s[i + l])))
			return 1;
	}
	return 0;
}

/* Class the token: fills sign/lead/trail and price. */
static void pt_classify(const char *s, size_t n, struct pt_tok *t)
{
	size_t i, j, start;
	int depth = 0;
	const struct pt_sign *sg;

	t->lead = t->a;
	t->trail = t->b;
	t->sign = NULL;
	t->price = 0;

	for (i = 0; i < t->a; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
	}
	/* Leading sign: "$1", "US$ 1", "€1", "USD 1". */
	i = t->a;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	if ((sg = pt_sign_before(s, i, n, &start))) {
		t->sign = sg;
		t->lead = start;
	}
	/* Word parts and quantities. */
	if (!t->sign && t->a > 0 &&
	    (pt_alpha(s[t->a - 1]) || s[t->a - 1] == '_' || s[t->a - 1] == ':' ||
	     (s[t->a - 1] == '-' && t->a > 1 && pt_alnum(s[t->a - 2]))))
		return;
	if (t->b < n && (s[t->b] == ':' || s[t->b] == '%'))
		return;
	if (t->b < n && pt_alpha(s[t->b]) && !pt_sign_at(s, t->b, n))
		return;
	j = t->b;
	while (j < n && s[j] == ' ')
		j++;
	if (j > t->b && j < n && pt_qty_word_at(s, j, n) && !pt_sign_at(s, j, n))
		return;
	/* Thresholds: "<= 200", "≤200". */
	i = t->a;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	if (!t->sign && i > 0 && (s[i - 1] == '<' || s[i - 1] == '>' || s[i - 1] == '=' ||
				  (i >= 3 && !memcmp(s + i - 3, "\xe2\x89", 2))))
		return;
	/* Trailing sign: "0,89 €", "2.50\n€", "2.50 USD" - but not the next price's prefix. */
	j = t->b;
	while (j < n && (s[j] == ' ' || s[j] == '\n'))
		j++;
	if (j < n && (sg = pt_sign_at(s, j, n))) {
		size_t e = j + strlen(sg->text), f = e;
		while (f < n && s[f] == ' ')
			f++;
		if (!(f < n && (pt_digit(s[f]) || ((s[f] == '.' || s[f] == ',') && f + 1 < n && pt_digit(s[f + 1]))))) {
			if (!t->sign)
				t->sign = sg;
			t->trail = e;
		}
	}
	if (depth > 0 && !t->sign)
		return;
	/* "/ 1000" with no sign: a unit quantity. */
	i = t->a;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	if (!t->sign && i > 0 && s[i - 1] == '/')
		return;
	t->price = 1;
}

/* Where to cut between price p (ending at from) and the next (starting at to). */
static size_t pt_split(const char *s, size_t from, size_t to)
{
	size_t i, k;

	for (i = to; i > from; i--)
		if (s[i - 1] == '\n')
			return i;
	for (i = to; i > from; i--) {
		char c = s[i - 1];
		if (c == ';' || c == '|')
			return i;
		if (c == '/') {
			for (k = i; k < to && s[k] == ' '; k++)
				;
			if (k >= to || !pt_alnum(s[k]))
				return i;
		}
	}
	return to;
}

/* Fill the unit phrase that follows a price: "/ 1M tokens", "per 1K tokens". */
static void pt_unit(const char *s, size_t from, size_t segend, struct pricetext_value *v)
{
	size_t i = from, e;

	while (i < segend && s[i] == ' ')
		i++;
	if (i < segend && s[i] == '/')
		i++;
	else if (pt_word_at(s, i, segend, "per"))
		i += 3;
	else
		return;
	while (i < segend && s[i] == ' ')
		i++;
	for (e = i; e < segend; e++) {
		char c = s[e];
		if (c == '(' || c == ')' || c == ',' || c == ';' || c == '\n' || c == '|' || c == '/')
			break;
	}
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '.'))
		e--;
	pt_copy(v->unit_text, sizeof(v->unit_text), s, i, e);
	v->unit = v->unit_text[0] ? money_unit_from_text(v->unit_text) : MONEY_UNIT_UNKNOWN;
}

/* Qualifiers of one segment s[a..b): band, time band, hours, modality, currency. */
static void pt_qualify(const char *s, size_t a, size_t b, const char *dflt,
		       struct pricetext_value *v)
{
	size_t i;
	int rc;

	rc = pt_band_range(s + a, b - a, v->prompt, sizeof(v->prompt));
	if (rc < 0) {
		v->prompt[0] = '\0';
		if (v->status == PRICETEXT_VALUE) {
			v->status = PRICETEXT_AMBIGUOUS;
			snprintf(v->note, sizeof(v->note), "several prompt bands in one price");
		}
	}
	pt_time_band(s, a, b, v);
	if (v->time_band[0] && !v->note[0])
		pt_hours(s, a, b, v);
	pt_modality(s, a, b, v);
	if (!v->currency[0]) {
		for (i = a; i < b; i++) {
			const struct pt_sign *sg = pt_sign_at(s, i, b);
			const char *iso;
			if (sg && (iso = pt_sign_iso(sg, dflt))) {
				snprintf(v->currency, sizeof(v->currency), "%s", iso);
				break;
			}
		}
	}
	if (!v->currency[0] && dflt)
		snprintf(v->currency, sizeof(v->currency), "%s", dflt);
}

static void pt_value_init(struct pricetext_value *v)
{
	memset(v, 0, sizeof(*v));
	v->status = PRICETEXT_UNKNOWN;
	v->unit = MONEY_UNIT_UNKNOWN;
}

/* Trim blanks and separators at both ends of s[*a..*b). */
static void pt_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && (s[*a] == ' ' || s[*a] == '\n' || s[*a] == '/' || s[*a] == ';' || s[*a] == '|'))
		(*a)++;
	while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\n' || s[*b - 1] == '/' ||
			   s[*b - 1] == ';' || s[*b - 1] == '|' || s[*b - 1] == ','))
		(*b)--;
}

int pricetext_parse(const char *text, size_t len, const char *default_currency, const char *locale,
		    struct pricetext_value *out, size_t max, struct tt_error *err)
{
	struct buf norm = BUF_INIT;
	struct pt_tok toks[64];
	size_t ntok = 0, nprice = 0, i, j, k, n;
	size_t idx[PRICETEXT_MAX + 1];
	const char *s;
	int loc = pt_locale_class(locale), rc = 0;

	if (max == 0)
		return tt_set_error(err, TT_EINVAL, "pricetext_parse: no room for values");
	if (textnorm_space(text ? text : "", text ? len : 0, TEXTNORM_KEEP_NEWLINES, &norm) < 0)
		return tt_set_error(err, TT_ENOMEM, "normalising a price cell");
	s = norm.buf;
	n = norm.len;

	/* Number tokens. */
	for (i = 0; i < n;) {
		int start = pt_digit(s[i]) ||
			    ((s[i] == '.' || s[i] == ',') && i + 1 < n && pt_digit(s[i + 1]) &&
			     (i == 0 || !pt_digit(s[i - 1])));
		if (!start) {
			i++;
			continue;
		}
		j = i + 1;
		for (;;) {
			if (j < n && pt_digit(s[j]))
				j++;
			else if (j + 1 < n && (s[j] == '.' || s[j] == ',') && pt_digit(s[j + 1]))
				j++;
			else if (pt_thin_at(s, j, n) && j + PT_THIN_LEN < n && pt_digit(s[j + PT_THIN_LEN]))
				j += PT_THIN_LEN;
			else
				break;
		}
		if (ntok < TT_ARRAY_SIZE(toks)) {
			toks[ntok].a = i;
			toks[ntok].b = j;
			pt_classify(s, n, &toks[ntok]);
			if (toks[ntok].price) {
				if (nprice >= max || nprice >= PRICETEXT_MAX) {
					rc = tt_set_error(err, TT_EINVAL, "price cell holds more than %zu prices: '%.120s'",
							  max < PRICETEXT_MAX ? max : (size_t)PRICETEXT_MAX, s);
					goto out;
				}
				idx[nprice++] = ntok;
			}
			ntok++;
		}
		i = j;
	}

	if (nprice == 0) {
		struct pricetext_value *v = &out[0];
		pt_value_init(v);
		if (pt_has_word(s, 0, n, "free")) {
			v->status = PRICETEXT_FREE;
			snprintf(v->number, sizeof(v->number), "0");
		}
		pt_copy(v->text, sizeof(v->text), s, 0, n);
		pt_qualify(s, 0, n, default_currency, v);
		rc = 1;
		goto out;
	}

	for (k = 0; k < nprice; k++) {
		struct pt_tok *t = &toks[idx[k]];
		struct pricetext_value *v = &out[k];
		size_t sa, sb, ta, tb;
		int dollar;

		sa = k == 0 ? 0 : pt_split(s, toks[idx[k - 1]].trail, t->lead);
		sb = k + 1 == nprice ? n : pt_split(s, t->trail, toks[idx[k + 1]].lead);
		pt_value_init(v);
		if (t->sign) {
			const char *iso = pt_sign_iso(t->sign, default_currency);
			if (iso) {
				snprintf(v->currency, sizeof(v->currency), "%s", iso);
			} else {
				v->status = PRICETEXT_AMBIGUOUS;
				snprintf(v->note, sizeof(v->note), "'\xc2\xa5' is yen or yuan and the source names neither");
			}
		}
		dollar = t->sign && t->sign->iso && !strcmp(t->sign->iso, "USD");
		if (v->status != PRICETEXT_AMBIGUOUS) {
			if (pt_number(s, t->a, t->b, loc, dollar, v->number, sizeof(v->number), v->note,
				      sizeof(v->note)) != 0) {
				v->status = PRICETEXT_AMBIGUOUS;
				v->number[0] = '\0';
			} else if (money_parse(v->number, strlen(v->number), 0, &v->nanos, NULL) != 0) {
				v->status = PRICETEXT_AMBIGUOUS;
				snprintf(v->note, sizeof(v->note), "'%s' is out of range", v->number);
				v->number[0] = '\0';
			} else {
				v->status = PRICETEXT_VALUE;
			}
		}
		pt_unit(s, t->trail, sb, v);
		pt_qualify(s, sa, sb, default_currency, v);
		ta = sa;
		tb = sb;
		pt_trim(s, &ta, &tb);
		pt_copy(v->text, sizeof(v->text), s, ta, tb);
	}
	rc = (int)nprice;
out:
	buf_release(&norm);
	return rc;
}
