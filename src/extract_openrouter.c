/*
 * extract_openrouter.c - OpenRouter `GET /api/v1/models` (and catalogs of
 * the same shape) into prices.
 *
 * Shape: {"data":[{"id":"openai/gpt-4o","pricing":{"prompt":"0.0000025",
 * "completion":"0.00001",...,"overrides":[...]}}, ...]}.  Fail closed: no
 * top-level "data" array, or no model with a usable price, is TT_EPARSE.
 *
 * Keys.  provider = ctx->source_id ("openrouter"; the feed's own name, as
 * DESIGN.md wants for a reseller), model = the id as published (":free",
 * ":batch", "-fast" variants are their own ids), tier "standard", region "".
 *
 * Units and currency.  Prices are read from their text (json_money), never
 * from a double.  Token prices are USD per token unless the pricing object
 * says otherwise: optional "currency" (ISO code, e.g. "CNY") and "unit"
 * (a token unit money_unit_from_text() knows: "per_1m_tokens",
 * "per_1k_tokens", "per_token"); an unknown currency or unit skips the
 * model (never guessed).  Token prices are stored per 1M tokens.  The
 * "unit" field applies to token prices only; per-unit fields (web_search,
 * request) are per query / per request as published.
 *
 * Field map (every field of the 2026-08-18 capture, plus case 3/6 spellings):
 *   prompt               -> input                  per token
 *   completion           -> output                 per token
 *   input_cache_read     -> cache_read             per token
 *   cache_read           -> cache_read             per token (case 3 spelling)
 *   input_cache_write    -> cache_write (5 min)    per token
 *   cache_write          -> cache_write            per token
 *   input_cache_write_1h -> cache_write_1h         per token
 *   internal_reasoning   -> reasoning              per token
 *   audio                -> input, condition audio  per token
 *   input_audio_cache    -> cache_read, cond. audio per token
 *   audio_output         -> output, condition audio per token
 *   image_output         -> output, condition image per token
 *   web_search           -> dimension query, unit "query", note "web search"
 *   request              -> dimension request, unit "request"
 * Not stored, counted in ctx->skips as "unclassified field NAME":
 *   image        its unit is ambiguous in the feed: per input token for the
 *                Gemini models (equal to their prompt price: 0.00000125 for
 *                gemini-2.5-pro) but per input image for image generators
 *                (0.003, 0.01: read per token that would be 3000-10000 USD
 *                per 1M);
 *   image_token  input or output image tokens is not stated (it equals
 *                image_output wherever both appear);
 *   discount     a rate, not a price; and any field not listed here.
 *
 * Models.  A model whose architecture.modality has an output other than
 * text, image, embeddings or audio (->speech, ->transcription, ->video,
 * ->rerank) is skipped whole: its prompt/completion figures are not token
 * prices (whisper-1 "0.006" is per minute, TTS "0.000015" per character,
 * video and rerank "0" while the real price is per second or per search),
 * and the unit is not stated per model.  No modality: token prices.
 *
 * Values (case 6).  A negative value ("-1": dynamic router price) is
 * skipped ("negative price (sentinel)"), so no negative value is stored;
 * "0" is a known free price 0; a missing or null field stores nothing
 * (never 0); text that is not a decimal or that rounds to 0 nano-units is
 * skipped and counted.
 *
 * Overrides.  pricing.overrides is an array of objects, each overriding
 * some price fields under one condition; a field that no override names
 * keeps its flat price.
 *   {"min_prompt_tokens":T,...}: prompt-length bands.  An override applies
 *     when the prompt has at least T tokens, so thresholds T1 < ... < Tn
 *     give the bands "prompt<T1", "T1<=prompt<T2", ..., "prompt>=Tn"
 *     (T written 200k, 1M or the plain number); the base price is the
 *     lowest band and every band is written.
 *   {"utc_start":HHMM,"utc_end":HHMM,...}: time-of-day bands in UTC, end
 *     exclusive, wrapping past midnight (DeepSeek: 1000-0100 and 0400-0600
 *     at one price, 0100-0400 and 0600-1000 at twice that).  The base price
 *     covers the hours no window covers.  Two distinct prices over the day
 *     become condition "offpeak" (the lower) and "peak" (the higher), with
 *     the hours in the note ("UTC 01:00-04:00, 06:00-10:00"); one price is
 *     flat; more than two are skipped.  The base price is not also stored
 *     as a plain price when the windows cover the day.
 *   A field named by some overrides but not others, overrides of mixed or
 *   unknown shape (other keys such as utc_days), overlapping windows:
 *   the fields concerned are skipped and counted, never collapsed to the
 *   base price.
 * Conditions join in DESIGN.md order: prompt band, time band, modality.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"

#include <json-c/json.h>

#define OR_MAX_OVERRIDES 16
#define OR_DAY_MINUTES 1440

enum or_kind {
	OR_TOKEN, /* per token (or the pricing.unit), stored per 1M tokens */
	OR_UNIT,  /* per unit as published (query, request) */
};

struct or_field {
	const char *name;      /* key in the pricing object */
	const char *dimension; /* price.h dimension */
	const char *modality;  /* condition term, or NULL */
	enum or_kind kind;
	const char *unit;      /* for OR_UNIT */
	const char *note;      /* stored note, or NULL */
};

static const struct or_field or_fields[] = {
	{ "prompt", "input", NULL, OR_TOKEN, NULL, NULL },
	{ "completion", "output", NULL, OR_TOKEN, NULL, NULL },
	{ "input_cache_read", "cache_read", NULL, OR_TOKEN, NULL, NULL },
	{ "cache_read", "cache_read", NULL, OR_TOKEN, NULL, NULL },
	{ "input_cache_write", "cache_write", NULL, OR_TOKEN, NULL, NULL },
	{ "cache_write", "cache_write", NULL, OR_TOKEN, NULL, NULL },
	{ "input_cache_write_1h", "cache_write_1h", NULL, OR_TOKEN, NULL, NULL },
	{ "internal_reasoning", "reasoning", NULL, OR_TOKEN, NULL, NULL },
	{ "audio", "input", "audio", OR_TOKEN, NULL, NULL },
	{ "input_audio_cache", "cache_read", "audio", OR_TOKEN, NULL, NULL },
	{ "audio_output", "output", "audio", OR_TOKEN, NULL, NULL },
	{ "image_output", "output", "image", OR_TOKEN, NULL, NULL },
	{ "web_search", "query", NULL, OR_UNIT, "query", "web search" },
	{ "request", "request", NULL, OR_UNIT, "request", NULL },
};

/* Keys of a pricing object that are not prices. */
static const char *const or_meta_keys[] = { "currency", "unit", "overrides" };
/* Keys of an override object that state its condition. */
static const char *const or_cond_keys[] = { "min_prompt_tokens", "utc_start", "utc_end" };

enum or_ov_kind { OV_NONE, OV_PROMPT, OV_TIME };

struct or_override {
	struct json_object *obj;
	int64_t min_tokens; /* OV_PROMPT */
	int start, end;     /* OV_TIME: minutes after 00:00 UTC */
};

struct or_model {
	const char *provider;
	const char *id;
	struct json_object *pricing;
	const char *currency; /* ISO 4217 */
	int scale;            /* power of ten for OR_TOKEN fields */
	enum or_ov_kind ov;
	size_t nov;
	struct or_override ovs[OR_MAX_OVERRIDES];
	const char *ov_bad; /* why the overrides were not understood, or NULL */
};

static const struct or_field *or_field_find(const char *name)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(or_fields); i++)
		if (!strcmp(or_fields[i].name, name))
			return &or_fields[i];
	return NULL;
}

static int in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static int skip(const struct extract_ctx *ctx, const char *reason, const char *example)
{
	return extract_skips_add(ctx ? ctx->skips : NULL, reason, example);
}

static int skipf(const struct extract_ctx *ctx, const char *example, const char *fmt, ...)
	TT_PRINTF(3, 4);

static int skipf(const struct extract_ctx *ctx, const char *example, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return skip(ctx, reason, example);
}

/* "200k", "1M", or the plain number. */
static void fmt_tokens(int64_t t, char *out, size_t n)
{
	if (t % 1000000 == 0)
		snprintf(out, n, "%" PRId64 "M", t / 1000000);
	else if (t % 1000 == 0)
		snprintf(out, n, "%" PRId64 "k", t / 1000);
	else
		snprintf(out, n, "%" PRId64, t);
}

/* Join the non-empty condition terms with commas. */
static void join_cond(char *out, size_t n, const char *band, const char *time, const char *mod)
{
	const char *terms[3] = { band, time, mod };
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < 3; i++) {
		if (!terms[i] || !terms[i][0])
			continue;
		o += (size_t)snprintf(out + o, o < n ? n - o : 0, "%s%s", o ? "," : "", terms[i]);
	}
}

/* A JSON integer as int64, or -1 when v is not a non-negative integer. */
static int64_t json_uint(struct json_object *v)
{
	if (!v || !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v) < 0 ? -1 : json_object_get_int64(v);
}

static int cmp_override(const void *a, const void *b)
{
	const struct or_override *x = a, *y = b;

	return x->min_tokens < y->min_tokens ? -1 : x->min_tokens > y->min_tokens;
}

/*
 * Understand pricing.overrides.  Returns 0 (m->ov and m->ovs filled, or
 * m->ov_bad set: then the overridden fields are skipped) or 1 when the
 * overrides are so malformed that no field can be trusted (model skipped).
 */
static int read_overrides(struct or_model *m)
{
	struct json_object *arr = json_get(m->pricing, "overrides");
	size_t i, n;

	m->ov = OV_NONE;
	m->nov = 0;
	m->ov_bad = NULL;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return 1;
	n = json_array_len(arr);
	for (i = 0; i < n; i++)
		if (!json_is_object(json_array_at(arr, i)))
			return 1;
	if (n > OR_MAX_OVERRIDES) {
		m->ov_bad = "more than 16 overrides";
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct json_object *o = json_array_at(arr, i);
		struct or_override *ov = &m->ovs[m->nov];
		struct json_object *vmin = json_get(o, "min_prompt_tokens");
		struct json_object *vs = json_get(o, "utc_start"), *ve = json_get(o, "utc_end");
		enum or_ov_kind kind;

		json_object_object_foreach(o, key, val) {
			(void)val;
			if (!or_field_find(key) &&
			    !in_list(or_cond_keys, TT_ARRAY_SIZE(or_cond_keys), key)) {
				m->ov_bad = "unknown override key";
				return 0;
			}
		}
		if (vmin && !vs && !ve) {
			kind = OV_PROMPT;
			ov->min_tokens = json_uint(vmin);
			if (ov->min_tokens <= 0) {
				m->ov_bad = "bad min_prompt_tokens";
				return 0;
			}
		} else if (!vmin && vs && ve) {
			int64_t s = json_uint(vs), e = json_uint(ve);
			kind = OV_TIME;
			if (s < 0 || e < 0 || s > 2400 || e > 2400 || s % 100 >= 60 || e % 100 >= 60) {
				m->ov_bad = "bad utc_start/utc_end";
				return 0;
			}
			ov->start = (int)(s / 100 * 60 + s % 100) % OR_DAY_MINUTES;
			ov->end = (int)(e / 100 * 60 + e % 100) % OR_DAY_MINUTES;
			if (ov->start == ov->end) {
				m->ov_bad = "bad utc_start/utc_end";
				return 0;
			}
		} else {
			m->ov_bad = "override of unknown shape";
			return 0;
		}
		if (m->ov != OV_NONE && m->ov != kind) {
			m->ov_bad = "overrides of mixed kinds";
			return 0;
		}
		m->ov = kind;
		ov->obj = o;
		m->nov++;
	}
	if (m->ov == OV_PROMPT) {
		qsort(m->ovs, m->nov, sizeof(m->ovs[0]), cmp_override);
		for (i = 1; i < m->nov; i++) {
			if (m->ovs[i].min_tokens == m->ovs[i - 1].min_tokens) {
				m->ov_bad = "duplicate min_prompt_tokens";
				return 0;
			}
		}
	}
	return 0;
}

/*
 * Read one value of field f.  Returns 1 with *nanos and *text set, 0 when
 * the value is absent or null, -1 when it was skipped (counted).
 */
static int read_value(const struct extract_ctx *ctx, const struct or_model *m,
		      const struct or_field *f, struct json_object *v, int64_t *nanos,
		      const char **text)
{
	struct tt_error e = { 0 };
	int rc = json_money(v, f->kind == OR_TOKEN ? m->scale : 0, nanos, &e);

	if (rc == JSON_MONEY_ABSENT)
		return 0;
	if (rc == TT_ERANGE) {
		skip(ctx, "price out of range or rounds to 0", m->id);
		return -1;
	}
	if (rc < 0) {
		skip(ctx, "price is not a decimal number", m->id);
		return -1;
	}
	if (*nanos < 0) {
		skip(ctx, "negative price (sentinel)", m->id);
		return -1;
	}
	*text = json_money_text(v);
	return 1;
}

static int add_price(const struct or_model *m, const struct or_field *f, int64_t nanos,
		     const char *text, const char *band, const char *time, const char *note,
		     struct price_list *out)
{
	struct price p;
	char cond[128];

	join_cond(cond, sizeof(cond), band, time, f->modality);
	memset(&p, 0, sizeof(p));
	p.provider = (char *)m->provider;
	p.model = (char *)m->id;
	p.dimension = (char *)f->dimension;
	p.tier = (char *)"standard";
	p.condition = cond;
	p.region = (char *)"";
	p.unit = (char *)(f->kind == OR_TOKEN ? PRICE_UNIT_MTOK : f->unit);
	p.currency = (char *)m->currency;
	p.nanos = nanos;
	p.text = (char *)text;
	p.note = (char *)(note ? note : f->note);
	return price_list_add(out, &p);
}

/* Read and store one value with the given band terms.  Returns 0 or TT_ENOMEM. */
static int emit(const struct extract_ctx *ctx, const struct or_model *m, const struct or_field *f,
		struct json_object *v, const char *band, struct price_list *out)
{
	int64_t nanos = 0;
	const char *text = NULL;

	if (read_value(ctx, m, f, v, &nanos, &text) <= 0)
		return 0;
	return add_price(m, f, nanos, text, band, NULL, NULL, out);
}

static int emit_prompt_bands(const struct extract_ctx *ctx, const struct or_model *m,
			     const struct or_field *f, struct price_list *out)
{
	char band[64], lo[24], hi[24];
	size_t i;
	int rc;

	fmt_tokens(m->ovs[0].min_tokens, hi, sizeof(hi));
	snprintf(band, sizeof(band), "prompt<%s", hi);
	rc = emit(ctx, m, f, json_get(m->pricing, f->name), band, out);
	for (i = 0; rc == 0 && i < m->nov; i++) {
		fmt_tokens(m->ovs[i].min_tokens, lo, sizeof(lo));
		if (i + 1 < m->nov) {
			fmt_tokens(m->ovs[i + 1].min_tokens, hi, sizeof(hi));
			snprintf(band, sizeof(band), "%s<=prompt<%s", lo, hi);
		} else {
			snprintf(band, sizeof(band), "prompt>=%s", lo);
		}
		rc = emit(ctx, m, f, json_get(m->ovs[i].obj, f->name), band, out);
	}
	return rc;
}

/* One price over some hours of the day. */
struct or_slot {
	int64_t nanos;
	const char *text;
	char hours[160]; /* "UTC 01:00-04:00, 06:00-10:00" */
};

static void add_hours(char *h, size_t n, int start, int end)
{
	size_t o = strlen(h);

	snprintf(h + o, n - o, "%s%02d:%02d-%02d:%02d", o ? ", " : "UTC ", start / 60, start % 60,
		 (end / 60) % 24, end % 60);
}

static int emit_time_bands(const struct extract_ctx *ctx, const struct or_model *m,
			   const struct or_field *f, struct price_list *out)
{
	unsigned char covered[OR_DAY_MINUTES];
	struct or_slot slot[2];
	size_t i, nslot = 0, free_minutes = 0;
	int t, lo;

	memset(covered, 0, sizeof(covered));
	memset(slot, 0, sizeof(slot));
	for (i = 0; i < m->nov; i++) {
		const struct or_override *ov = &m->ovs[i];
		int64_t nanos;
		const char *text;
		size_t k;
		int r = read_value(ctx, m, f, json_get(ov->obj, f->name), &nanos, &text);

		if (r <= 0)
			return 0; /* counted: no band of this field is written */
		for (t = ov->start; t != ov->end; t = (t + 1) % OR_DAY_MINUTES) {
			if (covered[t])
				return skipf(ctx, m->id, "overrides: %s", "time windows overlap");
			covered[t] = 1;
		}
		for (k = 0; k < nslot && slot[k].nanos != nanos; k++)
			;
		if (k == nslot) {
			if (nslot == 2)
				return skip(ctx, "overrides: more than two time-band prices", m->id);
			slot[nslot].nanos = nanos;
			slot[nslot].text = text;
			nslot++;
		}
		add_hours(slot[k].hours, sizeof(slot[k].hours), ov->start, ov->end);
	}
	for (t = 0; t < OR_DAY_MINUTES; t++)
		free_minutes += !covered[t];
	if (free_minutes) {
		/* The base price holds outside the windows. */
		int64_t nanos;
		const char *text;
		size_t k;
		int r = read_value(ctx, m, f, json_get(m->pricing, f->name), &nanos, &text);

		if (r < 0)
			return 0;
		if (r == 0)
			return skip(ctx, "overrides: no price outside the time windows", m->id);
		for (k = 0; k < nslot && slot[k].nanos != nanos; k++)
			;
		if (k == nslot) {
			if (nslot == 2)
				return skip(ctx, "overrides: more than two time-band prices", m->id);
			slot[nslot].nanos = nanos;
			slot[nslot].text = text;
			nslot++;
		}
		for (t = 0; t < OR_DAY_MINUTES; t++) {
			int s;
			if (covered[t] || (t > 0 && !covered[t - 1]))
				continue;
			for (s = t; s < OR_DAY_MINUTES && !covered[s]; s++)
				;
			add_hours(slot[k].hours, sizeof(slot[k].hours), t, s);
		}
	}
	if (nslot == 1)
		return add_price(m, f, slot[0].nanos, slot[0].text, NULL, NULL, NULL, out);
	lo = slot[0].nanos < slot[1].nanos ? 0 : 1;
	if (add_price(m, f, slot[lo].nanos, slot[lo].text, NULL, "offpeak", slot[lo].hours, out))
		return TT_ENOMEM;
	return add_price(m, f, slot[1 - lo].nanos, slot[1 - lo].text, NULL, "peak",
			 slot[1 - lo].hours, out);
}

/* All prices of one known field of a model.  Returns 0 or TT_ENOMEM. */
static int emit_field(const struct extract_ctx *ctx, const struct or_model *m,
		      const struct or_field *f, struct price_list *out)
{
	size_t i, named = 0;

	for (i = 0; i < m->nov; i++)
		named += json_get(m->ovs[i].obj, f->name) != NULL;
	if (m->ov_bad) {
		/* Which fields the overrides touch is known only when they parsed;
		 * read_overrides() stopped early, so any override mention counts. */
		struct json_object *arr = json_get(m->pricing, "overrides");
		for (i = 0, named = 0; i < json_array_len(arr); i++)
			named += json_get(json_array_at(arr, i), f->name) != NULL;
		if (named)
			return skipf(ctx, m->id, "overrides: %s", m->ov_bad);
		return emit(ctx, m, f, json_get(m->pricing, f->name), NULL, out);
	}
	if (m->ov == OV_NONE || named == 0)
		return emit(ctx, m, f, json_get(m->pricing, f->name), NULL, out);
	if (named < m->nov)
		return skip(ctx, "overrides: field missing from some bands", m->id);
	if (m->ov == OV_PROMPT)
		return emit_prompt_bands(ctx, m, f, out);
	return emit_time_bands(ctx, m, f, out);
}

/* Count the fields of obj that are neither known prices nor meta keys. */
static int count_unknown_fields(const struct extract_ctx *ctx, const char *id,
				struct json_object *obj, int is_override)
{
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (or_field_find(key))
			continue;
		if (!is_override && in_list(or_meta_keys, TT_ARRAY_SIZE(or_meta_keys), key))
			continue;
		if (is_override && in_list(or_cond_keys, TT_ARRAY_SIZE(or_cond_keys), key))
			continue;
		if (skipf(ctx, id, "unclassified field %s", key))
			return TT_ENOMEM;
	}
	return 0;
}

/*
 * 1 when the model's prompt/completion prices are token prices: its
 * architecture.modality outputs ("text+image->text") are all token
 * outputs, or it states no modality (the feed's default).  Speech,
 * transcription, video and rerank models carry prompt/completion figures
 * in other units (per character, per minute, per hour, or "0" while the
 * real price is per second or per search): the model is skipped, counted
 * as "model output is not billed per token (->speech)".
 */
static int token_model(const struct extract_ctx *ctx, struct json_object *item, const char *id)
{
	static const char *const token_outputs[] = { "text", "image", "embeddings", "audio" };
	const char *mod = json_get_str(json_get(item, "architecture"), "modality");
	const char *arrow, *p, *q;
	char term[32];

	if (!mod)
		return 1;
	arrow = strstr(mod, "->");
	if (!arrow || !arrow[2]) {
		skip(ctx, "unknown model modality", id);
		return 0;
	}
	for (p = arrow + 2;; p = q + 1) {
		size_t n;
		q = strchr(p, '+');
		if (!q)
			q = p + strlen(p);
		n = (size_t)(q - p);
		if (n == 0 || n >= sizeof(term)) {
			skip(ctx, "unknown model modality", id);
			return 0;
		}
		memcpy(term, p, n);
		term[n] = '\0';
		if (!in_list(token_outputs, TT_ARRAY_SIZE(token_outputs), term)) {
			skipf(ctx, id, "model output is not billed per token (->%s)", arrow + 2);
			return 0;
		}
		if (!*q)
			return 1;
	}
}

/* Currency and unit of a pricing object.  Returns 0, or 1 when the model
 * must be skipped (counted). */
static int read_currency_unit(const struct extract_ctx *ctx, struct or_model *m)
{
	const char *cur = json_get_str(m->pricing, "currency");
	const char *unit = json_get_str(m->pricing, "unit");

	m->currency = "USD";
	m->scale = money_unit_scale(MONEY_UNIT_PER_TOKEN);
	if ((json_get(m->pricing, "currency") && !cur) || (json_get(m->pricing, "unit") && !unit)) {
		skip(ctx, "pricing currency or unit is not a string", m->id);
		return 1;
	}
	if (cur) {
		const char *iso = money_currency_from_text(cur);
		if (!iso && strlen(cur) == 3 && isupper((unsigned char)cur[0]) &&
		    isupper((unsigned char)cur[1]) && isupper((unsigned char)cur[2]))
			iso = cur; /* an ISO 4217 code as published */
		if (!iso) {
			skip(ctx, "unknown pricing currency", m->id);
			return 1;
		}
		m->currency = iso;
	}
	if (unit) {
		enum money_unit_kind k = money_unit_from_text(unit);
		if (k == MONEY_UNIT_UNKNOWN || !strcasestr(unit, "tok")) {
			skip(ctx, "unknown pricing unit", m->id);
			return 1;
		}
		m->scale = money_unit_scale(k);
	}
	return 0;
}

int extract_openrouter(const char *body, size_t len, const struct extract_ctx *ctx,
		       struct price_list *out, struct tt_error *err)
{
	struct json_object *doc = NULL, *data;
	const char *origin = ctx && ctx->origin ? ctx->origin : "OpenRouter models";
	struct or_model m;
	size_t i, n, j, priced = 0, start = out->n;
	int rc;

	rc = json_doc_parse(body, len, origin, &doc, err);
	if (rc < 0)
		goto out;
	data = json_get(doc, "data");
	/* The anchor: a JSON object holds a key once, so present means once. */
	if (!json_is_array(data)) {
		rc = extract_anchor_once(ctx, "top-level \"data\" array (not an OpenRouter models response)",
					 0, err);
		goto out;
	}
	n = json_array_len(data);
	for (i = 0; i < n; i++) {
		struct json_object *item = json_array_at(data, i);
		size_t before = out->n;

		memset(&m, 0, sizeof(m));
		m.provider = ctx && ctx->source_id ? ctx->source_id : "openrouter";
		m.id = json_get_str(item, "id");
		if (!m.id || !m.id[0]) {
			skip(ctx, "model without an id", NULL);
			continue;
		}
		m.pricing = json_get(item, "pricing");
		if (!json_is_object(m.pricing)) {
			skip(ctx, "model without a pricing object", m.id);
			continue;
		}
		if (!token_model(ctx, item, m.id))
			continue;
		if (read_currency_unit(ctx, &m))
			continue;
		if (read_overrides(&m)) {
			skip(ctx, "overrides not an array of objects", m.id);
			continue;
		}
		rc = count_unknown_fields(ctx, m.id, m.pricing, 0);
		for (j = 0; rc == 0 && j < m.nov; j++)
			rc = count_unknown_fields(ctx, m.id, m.ovs[j].obj, 1);
		for (j = 0; rc == 0 && j < TT_ARRAY_SIZE(or_fields); j++)
			rc = emit_field(ctx, &m, &or_fields[j], out);
		if (rc < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory at model %s", origin,
					  m.id);
			goto out;
		}
		priced += out->n > before;
	}
	if (priced == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: no priced model among %zu entries of \"data\"",
				  origin, n);
		goto out;
	}
	rc = (int)(out->n - start);
out:
	json_doc_free(doc);
	return rc;
}
