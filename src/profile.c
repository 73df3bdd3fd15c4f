/*
 * profile.c - parse and check a workload profile (profile.h), from one
 * table of documented keys with their defaults.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/profile.h"

#include "tokentrend/buf.h"
#include "tokentrend/money.h"

enum profile_type {
	PT_TOKENS,
	PT_SHARE,        /* 0..100% */
	PT_SILENT,       /* 0..1000% */
	PT_GROWTH,       /* > -100% */
	PT_THRESHOLD,    /* (0, 100%] */
	PT_MONEY,
	PT_HOURS,
	PT_MODEL,        /* repeatable */
	PT_TEXT,
};

struct profile_key_def {
	struct profile_key doc;
	enum profile_type type;
	size_t offset;
};

#define K(name, type, field, dflt, help) \
	{ { name, dflt, help }, type, offsetof(struct profile, field) }

static const struct profile_key_def profile_table[] = {
	K("tokens_input", PT_TOKENS, tokens_input, "0",
	  "tokens per month billed at the input price"),
	K("tokens_cached_input", PT_TOKENS, tokens_cached_input, "0",
	  "tokens per month read from the prompt cache (cache_read price)"),
	K("tokens_cache_write", PT_TOKENS, tokens_cache_write, "0",
	  "tokens per month written to the prompt cache (cache_write price)"),
	K("tokens_output", PT_TOKENS, tokens_output, "0",
	  "tokens per month billed at the output price (reasoning tokens included)"),
	K("batch_share", PT_SHARE, batch_share, "0%",
	  "share of the tokens of every dimension run through the batch tier"),
	K("model", PT_MODEL, models, "",
	  "PROVIDER/MODEL [SHARE], repeatable: the models the workload runs on"),
	K("compare", PT_MODEL, compare, "",
	  "PROVIDER/MODEL, repeatable: other models to price side by side"),
	K("group", PT_TEXT, group, "",
	  "capability group of the model catalog (the cheapest-in-group scenario)"),
	K("infrastructure", PT_MONEY, infrastructure, "0 USD",
	  "infrastructure cost per month (hosting, vector store, monitoring)"),
	K("engineering_hours", PT_HOURS, engineering_hours, "",
	  "engineering hours per month (with engineering_rate)"),
	K("engineering_rate", PT_MONEY, engineering_rate, "",
	  "fully loaded cost of one engineering hour (with engineering_hours)"),
	K("engineering_monthly", PT_MONEY, engineering_monthly, "15000 USD",
	  "engineering cost per month, instead of hours x rate"),
	K("silent_share", PT_SILENT, silent_share, "0%",
	  "silent costs (retries, runaway loops, overconsumption) as a share of the tokens"),
	K("token_growth", PT_GROWTH, token_growth, "0%",
	  "growth per year of the token volume"),
	K("engineering_growth", PT_GROWTH, engineering_growth, "0%",
	  "growth per year of the engineering cost"),
	K("threshold_share", PT_THRESHOLD, threshold_share, "1%",
	  "the API bill counts as negligible under this share of the engineering cost"),
	K("prompt_length", PT_TOKENS, prompt_length, "0",
	  "typical prompt of one request, in tokens: picks the prompt-length price band (0: the lowest band)"),
};

const struct profile_key *profile_keys(size_t *n)
{
	static struct profile_key keys[TT_ARRAY_SIZE(profile_table)];
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(profile_table); i++)
		keys[i] = profile_table[i].doc;
	*n = TT_ARRAY_SIZE(profile_table);
	return keys;
}

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->infrastructure.currency, "USD", 4);
	memcpy(p->engineering_rate.currency, "USD", 4);
	memcpy(p->engineering_monthly.currency, "USD", 4);
	p->engineering_monthly.nanos = INT64_C(15000) * MONEY_NANO;
	p->engineering_from = PROFILE_ENG_DEFAULT;
	p->threshold_share = PROFILE_PPB / 100;
}

static void model_list_release(struct profile_model *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].provider);
		free(v[i].model);
	}
	free(v);
}

void profile_release(struct profile *p)
{
	if (!p)
		return;
	model_list_release(p->models, p->n_models);
	model_list_release(p->compare, p->n_compare);
	free(p->group);
	free(p->origin);
	memset(p, 0, sizeof(*p));
}

int64_t profile_tokens_total(const struct profile *p)
{
	return p->tokens_input + p->tokens_cached_input + p->tokens_cache_write + p->tokens_output;
}

double profile_share_value(int64_t ppb)
{
	return (double)ppb / (double)PROFILE_PPB;
}

/* "ORIGIN:LINE: KEY: why ('value')" */
static int bad(struct tt_error *err, const char *origin, int line, const char *key,
	       const char *value, const char *why)
{
	if (line > 0)
		return tt_set_error(err, TT_EINVAL, "%s:%d: %s: %s ('%s')", origin ? origin : "profile",
				    line, key, why, value);
	return tt_set_error(err, TT_EINVAL, "%s: %s: %s ('%s')", origin ? origin : "profile", key,
			    why, value);
}

/* Copy value without '_' digit separators into out (size outlen). */
static int strip_underscores(const char *v, char *out, size_t outlen)
{
	size_t j = 0;

	for (; *v; v++) {
		if (*v == '_')
			continue;
		if (j + 1 >= outlen)
			return -1;
		out[j++] = *v;
	}
	out[j] = '\0';
	return 0;
}

/* Whole tokens: "300000000", "300M", "1.5M", "2_000_000". */
static int parse_tokens(const char *v, int64_t *out)
{
	char t[64], *s = t;
	__int128 whole = 0, frac = 0, fscale = 1, mult = 1;
	size_t len;
	int digits = 0;

	if (strip_underscores(v, t, sizeof(t)) < 0)
		return -1;
	len = strlen(t);
	if (len && strchr("KkMmBbTt", t[len - 1])) {
		switch (t[len - 1]) {
		case 'K': case 'k': mult = 1000; break;
		case 'M': case 'm': mult = 1000000; break;
		case 'B': case 'b': mult = 1000000000; break;
		default: mult = (__int128)1000000000000; break;
		}
		t[--len] = '\0';
	}
	for (; isdigit((unsigned char)*s); s++, digits++) {
		whole = whole * 10 + (*s - '0');
		if (whole > PROFILE_MAX_TOKENS)
			return -1;
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, digits++) {
			if (fscale > (__int128)1000000000000000000)
				return -1;
			frac = frac * 10 + (*s - '0');
			fscale *= 10;
		}
	}
	if (*s || !digits)
		return -1;
	whole *= mult;
	if (whole > PROFILE_MAX_TOKENS || (frac * mult) % fscale)
		return -1; /* a fraction of a token */
	whole += frac * mult / fscale;
	if (whole > PROFILE_MAX_TOKENS)
		return -1;
	*out = (int64_t)whole;
	return 0;
}

/* "12.5%" or "0.125" -> ppb (may be negative when allowed by the caller). */
static int parse_share(const char *v, int64_t *out)
{
	size_t len = strlen(v);

	if (!len)
		return -1;
	if (v[len - 1] == '%')
		return money_parse(v, len - 1, -2, out, NULL) < 0 ? -1 : 0;
	return money_parse(v, len, 0, out, NULL) < 0 ? -1 : 0;
}

/* "15000 USD", "15000", "95.50 EUR" */
static int parse_money(const char *v, struct profile_money *out, const char **why)
{
	const char *sp = v;
	size_t nlen;

	while (*sp && *sp != ' ' && *sp != '\t')
		sp++;
	nlen = (size_t)(sp - v);
	if (!nlen || money_parse(v, nlen, 0, &out->nanos, NULL) < 0) {
		*why = "expected an amount and an optional ISO currency code, e.g. 15000 USD";
		return -1;
	}
	if (out->nanos < 0) {
		*why = "an amount of money is not negative";
		return -1;
	}
	while (*sp == ' ' || *sp == '\t')
		sp++;
	if (!*sp) {
		memcpy(out->currency, "USD", 4);
		return 0;
	}
	if (!money_currency_code(sp)) {
		*why = "the currency is a 3-letter ISO code such as USD or EUR";
		return -1;
	}
	memcpy(out->currency, sp, 4);
	return 0;
}

static int add_model(struct profile *p, int compare, const char *v, const char *origin, int line,
		     const char *key, struct tt_error *err)
{
	struct profile_model **list = compare ? &p->compare : &p->models;
	size_t *n = compare ? &p->n_compare : &p->n_models;
	struct profile_model m, *nv;
	const char *sp = v, *slash;
	char *id = NULL;

	memset(&m, 0, sizeof(m));
	while (*sp && *sp != ' ' && *sp != '\t')
		sp++;
	slash = memchr(v, '/', (size_t)(sp - v));
	if (!slash || slash == v || slash + 1 == sp)
		return bad(err, origin, line, key, v, "expected PROVIDER/MODEL, e.g. openai/gpt-4o");
	if (*n >= PROFILE_MAX_MODELS)
		return bad(err, origin, line, key, v, "too many models (at most 32)");
	while (*sp == ' ' || *sp == '\t')
		sp++;
	if (*sp) {
		if (compare)
			return bad(err, origin, line, key, v, "a compared model takes no share");
		if (parse_share(sp, &m.share) < 0 || m.share <= 0 || m.share > PROFILE_PPB)
			return bad(err, origin, line, key, v,
				   "the share after the model is a percentage or fraction in (0, 100%]");
		m.has_share = 1;
	} else {
		m.share = PROFILE_PPB;
	}
	m.provider = strndup(v, (size_t)(slash - v));
	for (id = (char *)slash + 1; *id && *id != ' ' && *id != '\t'; id++)
		;
	m.model = strndup(slash + 1, (size_t)(id - slash - 1));
	m.line = line;
	nv = realloc(*list, (*n + 1) * sizeof(**list));
	if (!m.provider || !m.model || !nv) {
		free(m.provider);
		free(m.model);
		if (nv)
			*list = nv;
		return tt_set_error(err, TT_ENOMEM, "profile: out of memory");
	}
	*list = nv;
	(*list)[(*n)++] = m;
	return 0;
}

static const struct profile_key_def *key_find(const char *key, size_t *idx)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(profile_table); i++)
		if (!strcmp(profile_table[i].doc.name, key)) {
			*idx = i;
			return &profile_table[i];
		}
	return NULL;
}

int profile_set(struct profile *p, const char *key, const char *value, const char *origin,
		int line, struct tt_error *err)
{
	size_t idx = 0;
	const struct profile_key_def *k = key_find(key, &idx);
	char *field = (char *)p;
	const char *why = NULL;
	int64_t v;

	if (!k)
		return bad(err, origin, line, key, value, "unknown key (see docs/profile-example.conf)");
	if (!value[0])
		return bad(err, origin, line, key, value, "needs a value");
	field += k->offset;
	switch (k->type) {
	case PT_TOKENS:
		if (parse_tokens(value, &v) < 0)
			return bad(err, origin, line, key, value,
				   "expected whole tokens per month, e.g. 300000000 or 300M (at most 1e15)");
		*(int64_t *)field = v;
		break;
	case PT_SHARE:
	case PT_SILENT:
	case PT_GROWTH:
	case PT_THRESHOLD:
		if (parse_share(value, &v) < 0)
			return bad(err, origin, line, key, value, "expected a percentage (12.5%) or a fraction (0.125)");
		if (k->type == PT_SHARE && (v < 0 || v > PROFILE_PPB))
			return bad(err, origin, line, key, value, "a share lies between 0% and 100%");
		if (k->type == PT_SILENT && (v < 0 || v > 10 * PROFILE_PPB))
			return bad(err, origin, line, key, value, "silent costs lie between 0% and 1000%");
		if (k->type == PT_GROWTH && (v <= -PROFILE_PPB || v > 100 * PROFILE_PPB))
			return bad(err, origin, line, key, value, "a growth rate lies above -100% (and at most 10000%)");
		if (k->type == PT_THRESHOLD && (v <= 0 || v > PROFILE_PPB))
			return bad(err, origin, line, key, value, "the threshold lies in (0%, 100%]");
		*(int64_t *)field = v;
		break;
	case PT_MONEY:
		if (parse_money(value, (struct profile_money *)field, &why) < 0)
			return bad(err, origin, line, key, value, why);
		if (!strcmp(key, "engineering_monthly"))
			p->engineering_from = PROFILE_ENG_MONTHLY;
		break;
	case PT_HOURS:
		if (money_parse_str(value, 0, &v, NULL) < 0 || v < 0 || v > INT64_C(744) * MONEY_NANO)
			return bad(err, origin, line, key, value,
				   "expected hours per month, 0 to 744 (a decimal such as 160 or 37.5)");
		p->engineering_hours = v;
		break;
	case PT_MODEL:
		return add_model(p, !strcmp(key, "compare"), value, origin, line, key, err);
	case PT_TEXT: {
		char *s = strdup(value);

		if (!s)
			return tt_set_error(err, TT_ENOMEM, "profile: out of memory");
		free(*(char **)field);
		*(char **)field = s;
		break;
	}
	}
	if (idx < TT_ARRAY_SIZE(p->line_of))
		p->line_of[idx] = line > 0 ? line : -1;
	return 0;
}

static int key_given(const struct profile *p, const char *key)
{
	size_t idx;

	return key_find(key, &idx) && p->line_of[idx] != 0;
}

int profile_check(const struct profile *p, struct tt_error *err)
{
	const char *o = p->origin ? p->origin : "profile";
	int hours = key_given(p, "engineering_hours"), rate = key_given(p, "engineering_rate");
	size_t i, with = 0;
	int64_t sum = 0;

	for (i = 0; i < p->n_models; i++) {
		with += p->models[i].has_share ? 1 : 0;
		sum += p->models[i].share;
	}
	if (p->n_models > 1 && with != p->n_models)
		return tt_set_error(err, TT_EINVAL,
				    "%s: %zu `model` lines: give each one a share of the tokens (e.g. "
				    "`model = openai/gpt-4o-mini 80%%`), or keep one model",
				    o, p->n_models);
	if (p->n_models > 1 && sum != PROFILE_PPB) {
		char txt[MONEY_FMT_MAX];

		money_format(sum * 100, txt, sizeof(txt));
		return tt_set_error(err, TT_EINVAL, "%s: the `model` shares add up to %s%%, not 100%%", o,
				    txt);
	}
	if (hours != rate)
		return tt_set_error(err, TT_EINVAL, "%s: %s without %s: give both (or engineering_monthly)",
				    o, hours ? "engineering_hours" : "engineering_rate",
				    hours ? "engineering_rate" : "engineering_hours");
	if (hours && p->engineering_from == PROFILE_ENG_MONTHLY)
		return tt_set_error(err, TT_EINVAL,
				    "%s: engineering_monthly and engineering_hours x engineering_rate both "
				    "given: keep one", o);
	return 0;
}

int profile_engineering_cost(const struct profile *p, struct profile_money *out,
			     struct tt_error *err)
{
	__int128 prod, q, r;

	if (!key_given(p, "engineering_hours") || !key_given(p, "engineering_rate")) {
		*out = p->engineering_monthly;
		return 0;
	}
	prod = (__int128)p->engineering_hours * p->engineering_rate.nanos;
	q = prod / MONEY_NANO;
	r = prod % MONEY_NANO;
	if (r * 2 > MONEY_NANO || (r * 2 == MONEY_NANO && (q & 1)))
		q++;
	if (q > INT64_MAX)
		return tt_set_error(err, TT_ERANGE, "profile: engineering_hours x engineering_rate is too large");
	out->nanos = (int64_t)q;
	memcpy(out->currency, p->engineering_rate.currency, 4);
	return 0;
}

int profile_parse(struct profile *p, const char *text, size_t len, const char *origin,
		  struct tt_error *err)
{
	struct buf lb = BUF_INIT;
	const char *s = text, *end = text + len;
	int line = 0, rc = 0;

	if (origin && (!p->origin || strcmp(p->origin, origin))) {
		free(p->origin);
		p->origin = strdup(origin);
		if (!p->origin)
			return tt_set_error(err, TT_ENOMEM, "profile: out of memory");
	}
	origin = p->origin ? p->origin : "profile";
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t ll = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *k, *eq, *v, *c;
		size_t idx;

		line++;
		buf_reset(&lb);
		if (buf_add(&lb, s, ll) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "profile: out of memory");
			goto out;
		}
		s = nl ? nl + 1 : end;
		if (lb.len && memchr(lb.buf, '\0', lb.len)) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: a NUL byte in the line", origin, line);
			goto out;
		}
		k = lb.buf ? lb.buf : (char *)"";
		/* A comment starts at '#' at the line start or after a blank. */
		for (c = k; *c; c++)
			if (*c == '#' && (c == k || c[-1] == ' ' || c[-1] == '\t')) {
				*c = '\0';
				break;
			}
		while (*k == ' ' || *k == '\t')
			k++;
		if (lb.buf)
			buf_rtrim(&lb);
		if (!*k || *k == '\r')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: expected `key = value` ('%s')", origin, line, k);
			goto out;
		}
		v = eq + 1;
		while (eq > k && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		{
			size_t vl = strlen(v);

			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
				v[--vl] = '\0';
		}
		if (key_find(k, &idx) && profile_table[idx].type != PT_MODEL &&
		    idx < TT_ARRAY_SIZE(p->line_of) && p->line_of[idx] > 0) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: %s: given twice (first on line %d)", origin,
					  line, k, p->line_of[idx]);
			goto out;
		}
		rc = profile_set(p, k, v, origin, line, err);
		if (rc < 0)
			goto out;
	}
	rc = profile_check(p, err);
out:
	buf_release(&lb);
	return rc;
}

int profile_load(struct profile *p, const char *path, struct tt_error *err)
{
	struct buf body = BUF_INIT;
	int rc;

	profile_init(p);
	rc = buf_read_file(&body, path, err);
	if (rc < 0)
		goto out;
	rc = profile_parse(p, body.buf ? body.buf : "", body.len, path, err);
out:
	buf_release(&body);
	return rc;
}
