/*
 * extract_litellm.c - LiteLLM's price map (model_prices_and_context_window.json)
 * into prices.  One code path for `import litellm FILE|DIR` and
 * `scrape --source litellm --file FILE --date D`.
 *
 * Shape: one top-level object; each member is a model entry keyed by
 * LiteLLM's model name ("gpt-4o", "azure/gpt-4o", "gemini/gemini-2.5-pro")
 * with "litellm_provider", "mode" and *_cost_* fields in USD per token
 * (JSON numbers, often in exponent notation: 2.5e-06).  `sample_spec` (a
 * documentation entry) and any non-object member (RoCry's mirror adds a
 * top-level "last_updated" string) are skipped.  Fail closed (TT_EPARSE):
 * the root is not an object, or no entry yields a price.
 *
 * Keys.  The provider is litellm_provider merged as the bundled history
 * does (db/seed/README.md: text-completion-openai -> openai, vertex_ai-* ->
 * vertex_ai, together_ai -> together, cohere_chat -> cohere,
 * bedrock_converse -> bedrock), then mapped to our ids with
 * import_provider_id() (vertex_ai -> vertex), and the model is the entry
 * key without a leading "<provider>/" (import_model_id()).  So the same
 * model gets the same key here and in the bundled history, which is
 * LiteLLM's file walked through time.  The original key and provider are
 * kept in each price's origin ("file=F key=K litellm_provider=P").
 *
 * Modes.  Only entries whose mode is chat, completion or responses (or
 * that have no mode) are read, as in the bundled history: their
 * *_cost_per_token fields are token prices.  Other modes (embedding,
 * image_generation, audio_transcription, audio_speech, rerank, search,
 * video_generation, ocr, moderation, realtime, ...) are skipped whole and
 * counted ("mode MODE not imported"): their prices are per image, second,
 * character, page or query, or per token of another kind of product, and
 * tokentrend's series are chat-model token prices.  Realtime models are
 * left out with them (their audio token prices are a different product).
 *
 * Fields (USD per token, stored per 1M tokens exactly from the number's
 * text, never through a double):
 *   input_cost_per_token                      -> input
 *   output_cost_per_token                     -> output
 *   cache_read_input_token_cost               -> cache_read
 *   input_cost_per_token_cache_hit            -> cache_read (legacy DeepSeek
 *                                                field, used only when the
 *                                                entry has no cache_read_*)
 *   cache_creation_input_token_cost           -> cache_write (5-minute)
 *   cache_creation_input_token_cost_above_1hr -> cache_write_1h
 *   output_cost_per_reasoning_token           -> reasoning
 *   input_cost_per_audio_token                -> input, condition audio
 *   output_cost_per_audio_token               -> output, condition audio
 *   cache_read_input_audio_token_cost         -> cache_read, condition audio
 *   cache_creation_input_audio_token_cost     -> cache_write, condition audio
 *   input_cost_per_image_token                -> input, condition image
 *   output_cost_per_image_token               -> output, condition image
 * each optionally followed by
 *   _above_<N>_tokens   a prompt-length band: the band is "prompt>N" and the
 *                       plain field of the same dimension becomes
 *                       "prompt<=N" (every band is written, DESIGN.md);
 *   _batches | _priority | _flex   the tier batch / priority / flex.
 * Any other *_cost_* field (per character, second, image, pixel, query,
 * page, DBU...) is skipped and counted as "unclassified field NAME".
 * A negative value is skipped as a sentinel; 0 is a known free price;
 * null stores nothing.
 *
 * Two entries that map to one key (LiteLLM lists "deepseek-chat" and
 * "deepseek/deepseek-chat") keep one price: equal values are one price;
 * different values keep the entry listed later in the file (as the bundled
 * history keeps the later row of a day) and count "conflicting duplicate
 * key".
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"

#include <json-c/json.h>

#include "extract_int.h"
#include "tokentrend/buf.h"
#include "tokentrend/import.h"
#include "tokentrend/json.h"

struct ll_field {
	const char *name;      /* base field name, without band or tier suffix */
	const char *dimension;
	const char *modality;  /* condition term or NULL */
	int legacy;            /* input_cost_per_token_cache_hit */
};

static const struct ll_field ll_fields[] = {
	{ "input_cost_per_token", "input", NULL, 0 },
	{ "output_cost_per_token", "output", NULL, 0 },
	{ "cache_read_input_token_cost", "cache_read", NULL, 0 },
	{ "input_cost_per_token_cache_hit", "cache_read", NULL, 1 },
	{ "cache_creation_input_token_cost", "cache_write", NULL, 0 },
	{ "cache_creation_input_token_cost_above_1hr", "cache_write_1h", NULL, 0 },
	{ "output_cost_per_reasoning_token", "reasoning", NULL, 0 },
	{ "input_cost_per_audio_token", "input", "audio", 0 },
	{ "output_cost_per_audio_token", "output", "audio", 0 },
	{ "cache_read_input_audio_token_cost", "cache_read", "audio", 0 },
	{ "cache_creation_input_audio_token_cost", "cache_write", "audio", 0 },
	{ "input_cost_per_image_token", "input", "image", 0 },
	{ "output_cost_per_image_token", "output", "image", 0 },
};

static const struct {
	const char *suffix;
	const char *tier;
} ll_tiers[] = {
	{ "_batches", "batch" },
	{ "_priority", "priority" },
	{ "_flex", "flex" },
};

static const char *const ll_modes[] = { "chat", "completion", "responses" };

/* litellm_provider -> the provider name of the bundled history. */
static const char *ll_merge_provider(const char *p)
{
	if (!strcmp(p, "text-completion-openai"))
		return "openai";
	if (!strncmp(p, "vertex_ai-", 10))
		return "vertex_ai";
	if (!strcmp(p, "together_ai"))
		return "together";
	if (!strcmp(p, "cohere_chat"))
		return "cohere";
	if (!strcmp(p, "bedrock_converse"))
		return "bedrock";
	return p;
}

/* One price field of an entry, parsed from its name. */
struct ll_item {
	const struct ll_field *f;
	const char *tier;
	char band[16];           /* "200k" or "" */
	struct json_object *v;
};

#define LL_MAX_ITEMS 96

/*
 * Split a field name into base field, band and tier.  Returns 1 when it is
 * a field we read, 0 when it is not a price field at all, -1 when it is a
 * cost field we do not classify.
 */
static int ll_parse_name(const char *name, struct ll_item *it)
{
	char base[128];
	size_t n = strlen(name), i;
	const char *above;

	if (n >= sizeof(base))
		return strstr(name, "cost") ? -1 : 0;
	memcpy(base, name, n + 1);
	it->tier = "standard";
	it->band[0] = '\0';
	for (i = 0; i < TT_ARRAY_SIZE(ll_tiers); i++) {
		size_t k = strlen(ll_tiers[i].suffix);
		if (n > k && !strcmp(base + n - k, ll_tiers[i].suffix)) {
			it->tier = ll_tiers[i].tier;
			n -= k;
			base[n] = '\0';
			break;
		}
	}
	/* "_above_<digits>k_tokens" at the end: a prompt-length band. */
	if (n > 7 && !strcmp(base + n - 7, "_tokens")) {
		above = NULL;
		for (i = n - 7; i-- > 0;)
			if (!strncmp(base + i, "_above_", 7)) {
				above = base + i;
				break;
			}
		if (above) {
			const char *d = above + 7, *e = base + n - 7;
			size_t dl = (size_t)(e - d);
			if (dl >= 2 && dl < sizeof(it->band) && (e[-1] == 'k' || e[-1] == 'm' || e[-1] == 'M') &&
			    strspn(d, "0123456789") == dl - 1) {
				memcpy(it->band, d, dl);
				it->band[dl] = '\0';
				base[above - base] = '\0';
			}
		}
	}
	for (i = 0; i < TT_ARRAY_SIZE(ll_fields); i++)
		if (!strcmp(base, ll_fields[i].name)) {
			it->f = &ll_fields[i];
			return 1;
		}
	return strstr(name, "cost") ? -1 : 0;
}

static int ll_skip(const struct extract_ctx *ctx, const char *reason, const char *example)
{
	return extract_skips_add(ctx ? ctx->skips : NULL, reason, example);
}

static int ll_same_group(const struct ll_item *a, const struct ll_item *b)
{
	return !strcmp(a->f->dimension, b->f->dimension) && a->f->modality == b->f->modality &&
	       !strcmp(a->tier, b->tier);
}

/* Read one entry's prices into out.  Returns the number added or a negative code. */
static int ll_entry(const struct extract_ctx *ctx, const char *file, const char *key,
		    struct json_object *e, struct price_list *out, struct tt_error *err)
{
	struct ll_item items[LL_MAX_ITEMS];
	const char *lprov = json_get_str(e, "litellm_provider");
	const char *mode = json_get_str(e, "mode");
	const char *prov, *model;
	size_t n = 0, i, j;
	int added = 0, has_cache_read = 0;
	char origin[512];

	if (mode) {
		int ok = 0;
		for (i = 0; i < TT_ARRAY_SIZE(ll_modes); i++)
			ok |= !strcmp(mode, ll_modes[i]);
		if (!ok) {
			char why[96];
			snprintf(why, sizeof(why), "mode %.60s not imported", mode);
			return ll_skip(ctx, why, key);
		}
	}
	if (!lprov || !*lprov)
		return ll_skip(ctx, "no litellm_provider", key);
	prov = import_provider_id(ll_merge_provider(lprov));
	model = import_model_id(ll_merge_provider(lprov), key);

	json_object_object_foreach(e, name, val) {
		struct ll_item it = { 0 };
		int r = ll_parse_name(name, &it);
		if (r == 0)
			continue;
		if (r < 0) {
			char why[160];
			snprintf(why, sizeof(why), "unclassified field %.120s", name);
			if (ll_skip(ctx, why, key) < 0)
				return TT_ENOMEM;
			continue;
		}
		if (!val)
			continue; /* null: no price */
		if (n == LL_MAX_ITEMS)
			return ll_skip(ctx, "too many price fields", key);
		it.v = val;
		items[n++] = it;
		if (!strcmp(it.f->dimension, "cache_read") && !it.f->modality && !it.f->legacy)
			has_cache_read = 1;
	}
	snprintf(origin, sizeof(origin), "file=%s key=%s litellm_provider=%s", file, key, lprov);
	for (i = 0; i < n; i++) {
		const struct ll_item *it = &items[i];
		struct tt_error e2 = { 0 };
		struct price p;
		const char *band_of_group = "";
		char cond[64];
		int64_t nanos = 0;
		int r;

		if (it->f->legacy && has_cache_read)
			continue;
		/* The group's band threshold (at most one per group is understood). */
		for (j = 0; j < n; j++) {
			if (!items[j].band[0] || !ll_same_group(it, &items[j]))
				continue;
			if (*band_of_group && strcmp(band_of_group, items[j].band)) {
				band_of_group = NULL;
				break;
			}
			band_of_group = items[j].band;
		}
		if (!band_of_group) {
			if (ll_skip(ctx, "several prompt bands for one price", key) < 0)
				return TT_ENOMEM;
			continue;
		}
		r = json_money(it->v, 6, &nanos, &e2);
		if (r == JSON_MONEY_ABSENT)
			continue;
		if (r < 0) {
			if (ll_skip(ctx, r == TT_ERANGE ? "price out of range or rounds to 0"
							: "price is not a decimal number", key) < 0)
				return TT_ENOMEM;
			continue;
		}
		if (nanos < 0) {
			if (ll_skip(ctx, "negative price (sentinel)", key) < 0)
				return TT_ENOMEM;
			continue;
		}
		cond[0] = '\0';
		if (it->band[0])
			snprintf(cond, sizeof(cond), "prompt>%s", it->band);
		else if (*band_of_group)
			snprintf(cond, sizeof(cond), "prompt<=%s", band_of_group);
		if (it->f->modality)
			snprintf(cond + strlen(cond), sizeof(cond) - strlen(cond), "%s%s",
				 cond[0] ? "," : "", it->f->modality);
		memset(&p, 0, sizeof(p));
		p.provider = (char *)prov;
		p.model = (char *)model;
		p.dimension = (char *)it->f->dimension;
		p.tier = (char *)it->tier;
		p.condition = cond;
		p.unit = (char *)PRICE_UNIT_MTOK;
		p.currency = (char *)"USD";
		p.nanos = nanos;
		p.text = (char *)json_money_text(it->v);
		p.origin = origin;
		if (price_list_add(out, &p) < 0)
			return tt_set_error(err, TT_ENOMEM, "%s: out of memory", file);
		added++;
	}
	return added;
}

/* Sort helper: key order, then position (the later entry last). */
struct ll_ref {
	const struct price *p;
	size_t idx;
};

static int ll_ref_cmp(const void *a, const void *b)
{
	const struct ll_ref *x = a, *y = b;
	int c = price_key_cmp(x->p, y->p);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * One price per key from index `from` on: equal repeats dropped, a
 * conflict keeps the later one.  Returns 0 or TT_ENOMEM.
 */
static int ll_dedupe(const struct extract_ctx *ctx, struct price_list *out, size_t from)
{
	size_t n = out->n - from, i, j, o;
	struct ll_ref *refs = NULL;
	char *drop = NULL;
	int rc = 0;

	if (n < 2)
		return 0;
	refs = malloc(n * sizeof(*refs));
	drop = calloc(n, 1);
	if (!refs || !drop) {
		rc = TT_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		refs[i].p = &out->v[from + i];
		refs[i].idx = i;
	}
	qsort(refs, n, sizeof(*refs), ll_ref_cmp);
	for (i = 0; i < n; i = j) {
		int conflict = 0;
		for (j = i + 1; j < n && price_key_cmp(refs[i].p, refs[j].p) == 0; j++)
			if (refs[j].p->nanos != refs[i].p->nanos)
				conflict = 1;
		/* keep refs[j-1] (the later entry), drop the rest of the run */
		for (o = i; o + 1 < j; o++)
			drop[refs[o].idx] = 1;
		if (conflict && ll_skip(ctx, "conflicting duplicate key (kept the later entry)",
					refs[j - 1].p->model) < 0) {
			rc = TT_ENOMEM;
			goto out;
		}
	}
	for (i = 0, o = from; i < n; i++) {
		if (drop[i]) {
			price_release(&out->v[from + i]);
			continue;
		}
		out->v[o++] = out->v[from + i];
	}
	out->n = o;
out:
	free(refs);
	free(drop);
	return rc;
}

int extract_litellm(const char *body, size_t len, const struct extract_ctx *ctx,
		    struct price_list *out, struct tt_error *err)
{
	const char *origin = extract_origin(ctx, "litellm");
	const char *file = strrchr(origin, '/') ? strrchr(origin, '/') + 1 : origin;
	struct json_object *root = NULL;
	size_t start = out->n, entries = 0;
	int rc;

	rc = json_doc_parse(body, len, origin, &root, err);
	if (rc < 0)
		return rc;
	if (!json_is_object(root)) {
		rc = tt_set_error(err, TT_EPARSE, "%s: not a LiteLLM price map (the top level is not an object)",
				  origin);
		goto out;
	}
	{
		json_object_object_foreach(root, key, val) {
			if (!strcmp(key, "sample_spec") || !json_is_object(val))
				continue;
			entries++;
			rc = ll_entry(ctx, file, key, val, out, err);
			if (rc < 0)
				goto out;
		}
	}
	rc = ll_dedupe(ctx, out, start);
	if (rc < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", origin);
		goto out;
	}
	if (out->n == start) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no token price in %zu entries (not a LiteLLM price map?)", origin,
				  entries);
		goto out;
	}
	rc = (int)(out->n - start);
out:
	json_doc_free(root);
	return rc;
}
