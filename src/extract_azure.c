/*
 * extract_azure.c - the Azure Retail Prices API (Foundry Models meters)
 * into prices: a table-driven meter-name parser, the extractor over the
 * array of pages, and the live pagination loop that builds that array.
 *
 * Keys.  provider = ctx->source_id ("azure"), model = the model table's id
 * for the meter's model words (Azure's model name with the version as the
 * meter writes it: "gpt-4o-0806", "o3-mini-0131"; abbreviations expanded
 * only where the meter vocabulary is unambiguous: rt = realtime, aud =
 * audio, mn = mini, img = image), region = armRegionName ("eastus2").
 * The deployment type the meter names (Global, Data Zone, Regional) is a
 * condition term written last: "global", "datazone", "regional".  A
 * condition joins, in order: prompt band ("short-context"/"long-context",
 * from ShortCo/LongCo: the meters state no threshold, so none is written),
 * modality ("audio", "text", "image"), deployment.  When a key has a
 * LongCo meter and a sibling meter that names no band, the sibling is the
 * short band (DESIGN.md: every band is written): it gets "short-context"
 * and a note saying the band is implied.
 *
 * Dimensions: Inp/Inpt/input/in -> input; Outp/outpt/opt/out/output ->
 * output; cached/cchd/cd + input -> cache_read; Cd Wr -> cache_write.
 * Tiers: Batch -> batch, pp -> priority (its prices are OpenAI's priority
 * prices: gpt-5 2.50/20.00), Std or none -> standard.
 *
 * Units.  Token meters ("... Tokens") are published per 1K or per 1M
 * (unitOfMeasure "1K"/"1M", mixed within one feed) and stored per 1M
 * tokens exactly (money_parse with scale 3 or 0 on the number's TEXT); a
 * 1K row keeps its published text and says "published per 1K tokens" in
 * its note.  Text-to-speech "Characters" per 1M characters, rerank
 * "Search" per 1K queries, tool "Calls" per 1K calls.  Hosting hours,
 * provisioned units, sessions, images, video seconds and storage are not
 * stored (counted as skips); fine-tuning meters (training, hosting,
 * grader, fine-tuned inference) are skipped and counted.
 *
 * Fail closed (TT_EPARSE): not an array of page objects with an Items
 * array (one page object alone is accepted when its NextPageLink is null);
 * a page whose Count differs from its number of items; a NextPageLink on
 * the last page (the capture lost pages) or a null one before it; no
 * priced item at all; two meters that map to one key with different
 * prices.  A meter that is not understood is skipped and counted as
 * "unclassified meter NAME" (never guessed).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/azure.h"
#include "tokentrend/clock.h"
#include "tokentrend/extract.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"
#include "extract_int.h"

#include <curl/curl.h>
#include <json-c/json.h>

#define AZ_MAX_WORDS 24
#define AZ_WORD_LEN 32

/* ---- the word table ---- */

enum az_class {
	AZW_DEPLOY,  /* deployment type */
	AZW_DIM,     /* input / output */
	AZW_CACHE,   /* cached input */
	AZW_WRITE,   /* "Wr": with a cache word, a cache write */
	AZW_TIER,
	AZW_BAND,
	AZW_MOD,     /* modality: stays in the model phrase, see az_lookup_model() */
	AZW_FT,      /* fine-tuning: the meter is skipped */
};

struct az_word {
	const char *word;
	enum az_class cls;
	const char *value;
};

static const struct az_word az_words[] = {
	{ "glbl", AZW_DEPLOY, "global" }, { "gl", AZW_DEPLOY, "global" },
	{ "glb", AZW_DEPLOY, "global" }, { "global", AZW_DEPLOY, "global" },
	{ "dz", AZW_DEPLOY, "datazone" }, { "dzone", AZW_DEPLOY, "datazone" },
	{ "dzn", AZW_DEPLOY, "datazone" }, { "datazone", AZW_DEPLOY, "datazone" },
	{ "regnl", AZW_DEPLOY, "regional" }, { "regional", AZW_DEPLOY, "regional" },
	{ "rgnl", AZW_DEPLOY, "regional" }, { "regn", AZW_DEPLOY, "regional" },
	{ "inp", AZW_DIM, "input" }, { "inpt", AZW_DIM, "input" }, { "input", AZW_DIM, "input" },
	{ "in", AZW_DIM, "input" },
	{ "outp", AZW_DIM, "output" }, { "outpt", AZW_DIM, "output" }, { "opt", AZW_DIM, "output" },
	{ "out", AZW_DIM, "output" }, { "output", AZW_DIM, "output" },
	{ "cached", AZW_CACHE, NULL }, { "cchd", AZW_CACHE, NULL }, { "cd", AZW_CACHE, NULL },
	{ "cched", AZW_CACHE, NULL }, { "ccchd", AZW_CACHE, NULL },
	{ "wr", AZW_WRITE, NULL },
	{ "batch", AZW_TIER, "batch" }, { "pp", AZW_TIER, "priority" }, { "std", AZW_TIER, "standard" },
	{ "longco", AZW_BAND, "long-context" }, { "shortco", AZW_BAND, "short-context" },
	{ "aud", AZW_MOD, "audio" }, { "audio", AZW_MOD, "audio" }, { "txt", AZW_MOD, "text" },
	{ "text", AZW_MOD, "text" }, { "img", AZW_MOD, "image" }, { "image", AZW_MOD, "image" },
	{ "ft", AZW_FT, NULL }, { "rft", AZW_FT, NULL }, { "training", AZW_FT, NULL },
	{ "trng", AZW_FT, NULL }, { "hstng", AZW_FT, NULL }, { "hosting", AZW_FT, NULL },
	{ "grader", AZW_FT, NULL }, { "grdr", AZW_FT, NULL }, { "tkn", AZW_FT, NULL },
};

/* Glued spellings, split into the words they stand for. */
static const struct {
	const char *glued;
	const char *words;
} az_respell[] = {
	{ "aud1217", "aud 1217" },
	{ "txt1217", "txt 1217" },
	{ "mini0718", "mini 0718" },
	{ "batchoutp", "batch outp" },
	{ "realtimeprvw", "realtime prvw" },
	{ "realtimeprvwaudinp", "realtime prvw aud inp" },
	{ "realtimeprvwaudoutp", "realtime prvw aud outp" },
	{ "realtimeprvwtxtinp", "realtime prvw txt inp" },
	{ "realtimeprvwtxtoutp", "realtime prvw txt outp" },
};

/* ---- the model table: model words (modality words included) -> id ---- */

struct az_model {
	const char *phrase;     /* the meter's model words, lower case, one blank apart */
	const char *model;      /* our id */
	const char *modality;   /* implied modality (an audio model's own tokens), or NULL */
	const char *dimension;  /* dimension when the meter names none (embeddings), or NULL */
};

static const struct az_model az_models[] = {
	/* GPT-5 family, product "Azure OpenAI GPT5" and priority ("pp") meters */
	{ "gpt 5", "gpt-5", NULL, NULL },
	{ "5", "gpt-5", NULL, NULL },
	{ "gpt 5 mini", "gpt-5-mini", NULL, NULL },
	{ "5 mini", "gpt-5-mini", NULL, NULL },
	{ "gpt 5 nano", "gpt-5-nano", NULL, NULL },
	{ "gpt 5 chat", "gpt-5-chat", NULL, NULL },
	{ "gpt 5 codex", "gpt-5-codex", NULL, NULL },
	{ "gpt 5 pro", "gpt-5-pro", NULL, NULL },
	{ "gpt 5.1", "gpt-5.1", NULL, NULL },
	{ "5.1", "gpt-5.1", NULL, NULL },
	{ "gpt 5.1 chat", "gpt-5.1-chat", NULL, NULL },
	{ "5.1 codex", "gpt-5.1-codex", NULL, NULL },
	{ "5.1 codex max", "gpt-5.1-codex-max", NULL, NULL },
	{ "5.1 codex mini", "gpt-5.1-codex-mini", NULL, NULL },
	{ "gpt 5.2", "gpt-5.2", NULL, NULL },
	{ "5.2", "gpt-5.2", NULL, NULL },
	{ "gpt 5.2 chat", "gpt-5.2-chat", NULL, NULL },
	{ "5.2 chat 0210", "gpt-5.2-chat-0210", NULL, NULL },
	{ "5.2 codex", "gpt-5.2-codex", NULL, NULL },
	{ "gpt 5.2 pro", "gpt-5.2-pro", NULL, NULL },
	{ "5.3 chat", "gpt-5.3-chat", NULL, NULL },
	{ "5.3 codex", "gpt-5.3-codex", NULL, NULL },
	{ "5.4", "gpt-5.4", NULL, NULL },
	{ "5.4 mini", "gpt-5.4-mini", NULL, NULL },
	{ "5.4 nano", "gpt-5.4-nano", NULL, NULL },
	{ "5.4 pro", "gpt-5.4-pro", NULL, NULL },
	{ "5.5", "gpt-5.5", NULL, NULL },
	{ "5.6 luna", "gpt-5.6-luna", NULL, NULL },
	{ "5.6 sol", "gpt-5.6-sol", NULL, NULL },
	{ "5.6 terra", "gpt-5.6-terra", NULL, NULL },
	{ "chat latest 05052026", "chat-latest-05052026", NULL, NULL },
	{ "chat latest 05282026", "chat-latest-05282026", NULL, NULL },
	{ "gpt latest 05052026", "gpt-latest-05052026", NULL, NULL },
	/* GPT-4.x, GPT-4o, GPT-3.5 */
	{ "gpt 4.1", "gpt-4.1", NULL, NULL },
	{ "4.1", "gpt-4.1", NULL, NULL },
	{ "gpt 4.1 mini", "gpt-4.1-mini", NULL, NULL },
	{ "4.1 mini", "gpt-4.1-mini", NULL, NULL },
	{ "gpt 4.1 nano", "gpt-4.1-nano", NULL, NULL },
	{ "gpt 4.5 0227", "gpt-4.5-0227", NULL, NULL },
	{ "gpt 4o 0513", "gpt-4o-0513", NULL, NULL },
	{ "gpt 4o 0806", "gpt-4o-0806", NULL, NULL },
	{ "gpt 4o 1120", "gpt-4o-1120", NULL, NULL },
	{ "gpt 4o mini 0718", "gpt-4o-mini-0718", NULL, NULL },
	{ "gpt 4 8k", "gpt-4-8k", NULL, NULL },
	{ "gpt 4 32k", "gpt-4-32k", NULL, NULL },
	{ "gpt 4 turbo 128k", "gpt-4-turbo-128k", NULL, NULL },
	{ "gpt 4 turbo128k", "gpt-4-turbo-128k", NULL, NULL },
	{ "gpt 4 turbo vision 128k", "gpt-4-turbo-vision-128k", NULL, NULL },
	{ "gpt 35 turbo 4k", "gpt-35-turbo-4k", NULL, NULL },
	{ "gpt 35 turbo 16k", "gpt-35-turbo-16k", NULL, NULL },
	{ "gpt 35 trb16k", "gpt-35-turbo-16k", NULL, NULL },
	{ "gpt 35 turbo 16k 0125", "gpt-35-turbo-16k-0125", NULL, NULL },
	{ "gpt 35 turbo 16k 1106", "gpt-35-turbo-16k-1106", NULL, NULL },
	{ "gpt 35 turbo instruct", "gpt-35-turbo-instruct", NULL, NULL },
	/* reasoning models */
	{ "o1", "o1", NULL, NULL },
	{ "o1 1217", "o1-1217", NULL, NULL },
	{ "o1 mini", "o1-mini", NULL, NULL },
	{ "o1 preview", "o1-preview", NULL, NULL },
	{ "o1 pro", "o1-pro", NULL, NULL },
	{ "o3 0416", "o3-0416", NULL, NULL },
	{ "o3 mini 0131", "o3-mini-0131", NULL, NULL },
	{ "o3 pro", "o3-pro", NULL, NULL },
	{ "o3 deep research 0626", "o3-deep-research-0626", NULL, NULL },
	{ "o4 mini 0416", "o4-mini-0416", NULL, NULL },
	{ "codex mini", "codex-mini", NULL, NULL },
	{ "computer use", "computer-use", NULL, NULL },
	{ "gpt oss 120b", "gpt-oss-120b", NULL, NULL },
	/* audio, realtime, transcription, speech */
	{ "gpt 4o aud 0603", "gpt-4o-audio-0603", "audio", NULL },
	{ "gpt 4o aud 1217", "gpt-4o-audio-1217", "audio", NULL },
	{ "gpt4omini aud 1217", "gpt-4o-mini-audio-1217", "audio", NULL },
	{ "gpt 4o rt 0603", "gpt-4o-realtime-0603", NULL, NULL },
	{ "gpt 4o rt 1217", "gpt-4o-realtime-1217", NULL, NULL },
	{ "gpt4omini rt 1217", "gpt-4o-mini-realtime-1217", NULL, NULL },
	{ "gpt4o realtime", "gpt-4o-realtime-preview", NULL, NULL },
	{ "gpt4o realtime prvw", "gpt-4o-realtime-preview", NULL, NULL },
	{ "gpt4o rtime", "gpt-4o-realtime-preview", NULL, NULL },
	{ "gpt aud 0828", "gpt-audio-0828", "audio", NULL },
	{ "gpt aud 1.5", "gpt-audio-1.5", "audio", NULL },
	{ "gpt aud mini", "gpt-audio-mini", "audio", NULL },
	{ "gpt aud mn 1215", "gpt-audio-mini-1215", "audio", NULL },
	{ "gpt rt 0828", "gpt-realtime-0828", NULL, NULL },
	{ "gpt rt 1.5", "gpt-realtime-1.5", NULL, NULL },
	{ "gpt rt mini", "gpt-realtime-mini", NULL, NULL },
	{ "gpt rt mn 1215", "gpt-realtime-mini-1215", NULL, NULL },
	{ "gpt realtime 2", "gpt-realtime-2", NULL, NULL },
	{ "gpt realtime 2.1", "gpt-realtime-2.1", NULL, NULL },
	{ "gpt realtime 2.1 mini", "gpt-realtime-2.1-mini", NULL, NULL },
	{ "gpt 4o transcribe", "gpt-4o-transcribe", NULL, NULL },
	{ "gpt 4o tcrb d", "gpt-4o-transcribe-diarize", NULL, NULL },
	{ "gpt 4o mini transcribe", "gpt-4o-mini-transcribe", NULL, NULL },
	{ "gpt4o mn trscb 1215", "gpt-4o-mini-transcribe-1215", NULL, NULL },
	{ "gpt 4o mini tts", "gpt-4o-mini-tts", NULL, NULL },
	{ "gpt4o mn tts 1215", "gpt-4o-mini-tts-1215", NULL, NULL },
	{ "speech text to speech", "tts", NULL, "character" },
	{ "speech text to speech hd", "tts-hd", NULL, "character" },
	/* images */
	{ "gpt image 1", "gpt-image-1", NULL, NULL },
	{ "gpt img 1 mini", "gpt-image-1-mini", NULL, NULL },
	{ "gpt img 1.5", "gpt-image-1.5", NULL, NULL },
	{ "image 2", "image-2", NULL, NULL },
	/* embeddings: priced per input token, the meter names no dimension */
	{ "text embedding 3 large", "text-embedding-3-large", NULL, "input" },
	{ "text embedding 3 small", "text-embedding-3-small", NULL, "input" },
	{ "embedding ada", "embedding-ada", NULL, "input" },
	/* Cohere */
	{ "command a", "command-a", NULL, NULL },
	{ "command a plus", "command-a-plus", NULL, NULL },
	{ "embed v4", "embed-v4", NULL, "input" },
	{ "rerank v4 fast", "rerank-v4-fast", NULL, "query" },
	{ "rerank v4 pro", "rerank-v4-pro", NULL, "query" },
	/* tools */
	{ "file search tool calls", "file-search-tool", NULL, "request" },
};

/* What the meter's last word says it counts, and the units it may come in. */
struct az_kind {
	const char *word;      /* last word of the meter name */
	const char *uom;       /* unitOfMeasure */
	const char *unit;      /* stored unit */
	int scale;             /* to the stored unit */
};

static const struct az_kind az_kinds[] = {
	{ "tokens", "1K", PRICE_UNIT_MTOK, 3 },
	{ "tokens", "1M", PRICE_UNIT_MTOK, 0 },
	{ "characters", "1M", "1M characters", 0 },
	{ "characters", "1K", "1M characters", 3 },
	{ "search", "1K", "1K queries", 0 },
	{ "calls", "1K", "1K calls", 0 },
};

/* Last words of meters that are understood and not stored. */
static const char *const az_other_kinds[] = { "unit", "units", "session", "images", "video",
					       "second", "gb" };

static const struct az_word *az_word_find(const char *w)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(az_words); i++)
		if (!strcmp(az_words[i].word, w))
			return &az_words[i];
	return NULL;
}

struct az_words {
	char w[AZ_MAX_WORDS][AZ_WORD_LEN];
	size_t n;
};

static int az_push(struct az_words *ws, const char *s, size_t len)
{
	if (ws->n == AZ_MAX_WORDS || len == 0 || len >= AZ_WORD_LEN)
		return -1;
	memcpy(ws->w[ws->n], s, len);
	ws->w[ws->n][len] = '\0';
	ws->n++;
	return 0;
}

/* Push a word, respelled when it is a known glued form. */
static int az_push_word(struct az_words *ws, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(az_respell); i++) {
		const char *g = az_respell[i].glued, *p, *q;
		if (strlen(g) != len || memcmp(g, s, len))
			continue;
		for (p = az_respell[i].words; *p; p = *q ? q + 1 : q) {
			q = strchr(p, ' ');
			if (!q)
				q = p + strlen(p);
			if (az_push(ws, p, (size_t)(q - p)) < 0)
				return -1;
		}
		return 0;
	}
	/* "Data Zone" is one word. */
	if (len == 4 && !memcmp(s, "zone", 4) && ws->n && !strcmp(ws->w[ws->n - 1], "data")) {
		snprintf(ws->w[ws->n - 1], AZ_WORD_LEN, "dz");
		return 0;
	}
	return az_push(ws, s, len);
}

/* Split a meter name into lower-case words.  Returns 0 or -1 (too long). */
static int az_split(const char *meter, struct az_words *ws)
{
	char low[256];
	size_t i, n = strlen(meter), start = 0;

	if (n >= sizeof(low))
		return -1;
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)meter[i]);
	ws->n = 0;
	for (i = 0; i <= n; i++) {
		char c = low[i];
		if (c == ' ' || c == '-' || c == '\t' || c == '\0') {
			if (i > start && az_push_word(ws, low + start, i - start) < 0)
				return -1;
			start = i + 1;
		}
	}
	return ws->n ? 0 : -1;
}

/* Join words[0..n) except index skip (or n) with blanks. */
static void az_join(const struct az_words *ws, const size_t *idx, size_t n, size_t skip,
		    char *out, size_t outlen)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i == skip)
			continue;
		o += (size_t)snprintf(out + o, o < outlen ? outlen - o : 0, "%s%s", o ? " " : "",
				      ws->w[idx[i]]);
	}
}

static const struct az_model *az_model_find(const char *phrase)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(az_models); i++)
		if (!strcmp(az_models[i].phrase, phrase))
			return &az_models[i];
	return NULL;
}

/* Set *slot to v unless it already holds a different value.  Returns 0 or -1. */
static int az_set(const char **slot, const char *v)
{
	if (*slot && strcmp(*slot, v))
		return -1;
	*slot = v;
	return 0;
}

static int az_unclassified(struct azure_meter *m, const char *why)
{
	m->why = why;
	return AZURE_METER_UNCLASSIFIED;
}

int azure_meter_classify(const char *meter, const char *uom, struct azure_meter *m)
{
	struct az_words ws;
	size_t phrase[AZ_MAX_WORDS], np = 0, i, last_mod = AZ_MAX_WORDS, end;
	const struct az_kind *kind = NULL;
	const struct az_model *mod = NULL;
	const char *dim = NULL, *modality = NULL;
	int cache = 0, write = 0;
	char text[256];

	memset(m, 0, sizeof(*m));
	if (!meter || !uom)
		return az_unclassified(m, "no meter name or unit");
	if (az_split(meter, &ws) < 0)
		return az_unclassified(m, "meter name too long or empty");
	end = ws.n - 1;
	for (i = 0; i < TT_ARRAY_SIZE(az_kinds) && !kind; i++)
		if (!strcmp(az_kinds[i].word, ws.w[end]) && !strcmp(az_kinds[i].uom, uom))
			kind = &az_kinds[i];
	if (!kind) {
		for (i = 0; i < TT_ARRAY_SIZE(az_other_kinds); i++) {
			if (!strcmp(az_other_kinds[i], ws.w[end])) {
				m->why = "meter not priced per token, character or query";
				return AZURE_METER_SKIP;
			}
		}
		for (i = 0; i < TT_ARRAY_SIZE(az_kinds); i++)
			if (!strcmp(az_kinds[i].word, ws.w[end]))
				return az_unclassified(m, "unknown unitOfMeasure");
		return az_unclassified(m, "unknown last word");
	}
	/* "1M Tokens": the unit is unitOfMeasure's business. */
	if (end > 0 && !strcmp(ws.w[end - 1], "1m"))
		end--;
	for (i = 0; i < end; i++) {
		const struct az_word *w = az_word_find(ws.w[i]);
		int bad = 0;

		if (!w) {
			phrase[np++] = i;
			continue;
		}
		switch (w->cls) {
		case AZW_FT:
			m->why = "fine-tuning meter";
			return AZURE_METER_SKIP;
		case AZW_DEPLOY:
			bad = az_set(&m->deployment, w->value);
			break;
		case AZW_DIM:
			bad = az_set(&dim, w->value);
			break;
		case AZW_CACHE:
			cache = 1;
			break;
		case AZW_WRITE:
			write = 1;
			break;
		case AZW_TIER:
			bad = az_set(&m->tier, w->value);
			break;
		case AZW_BAND:
			bad = az_set(&m->band, w->value);
			break;
		case AZW_MOD:
			last_mod = np;
			phrase[np++] = i;
			break;
		}
		if (bad)
			return az_unclassified(m, "two words disagree");
	}
	if (np == 0)
		return az_unclassified(m, "no model words");
	az_join(&ws, phrase, np, np, text, sizeof(text));
	mod = az_model_find(text);
	if (!mod && last_mod < np) {
		/* The last modality word names the tokens, not the model. */
		az_join(&ws, phrase, np, last_mod, text, sizeof(text));
		mod = az_model_find(text);
		if (mod)
			modality = az_word_find(ws.w[phrase[last_mod]])->value;
	}
	if (!mod)
		return az_unclassified(m, "unknown model words");
	if (!modality)
		modality = mod->modality;
	/* Dimension. */
	if (write && !cache)
		return az_unclassified(m, "write without cache");
	if (cache && write) {
		if (dim && strcmp(dim, "input"))
			return az_unclassified(m, "cache write of output");
		dim = "cache_write";
	} else if (cache) {
		if (dim && strcmp(dim, "input"))
			return az_unclassified(m, "cached output");
		dim = "cache_read";
	}
	if (!dim)
		dim = mod->dimension;
	if (!dim)
		return az_unclassified(m, "no dimension");
	if (strcmp(kind->unit, PRICE_UNIT_MTOK) && mod->dimension && strcmp(dim, mod->dimension))
		return az_unclassified(m, "dimension does not fit the unit");
	if (!strcmp(kind->unit, PRICE_UNIT_MTOK) && mod->dimension &&
	    (!strcmp(mod->dimension, "character") || !strcmp(mod->dimension, "query") ||
	     !strcmp(mod->dimension, "request")))
		return az_unclassified(m, "token meter of a non-token model");
	if (strcmp(kind->unit, PRICE_UNIT_MTOK) && !mod->dimension)
		return az_unclassified(m, "non-token meter of a token model");
	snprintf(m->model, sizeof(m->model), "%s", mod->model);
	m->dimension = dim;
	m->modality = modality;
	if (!m->tier)
		m->tier = "standard";
	m->unit = kind->unit;
	m->scale = kind->scale;
	return AZURE_METER_OK;
}

/* ---- the extractor ---- */

struct az_row {
	struct azure_meter m;
	const char *meter;      /* borrowed from the document */
	const char *region;
	const char *currency;
	const char *text;       /* the number's text as published */
	int64_t nanos;
	char effective[11];     /* "" when the item states none */
	int implied_band;
};

struct az_rows {
	struct az_row *v;
	size_t n, alloc;
};

static int az_rows_push(struct az_rows *r, const struct az_row *row)
{
	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 256;
		struct az_row *nv = realloc(r->v, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		r->v = nv;
		r->alloc = na;
	}
	r->v[r->n++] = *row;
	return 0;
}

static int az_skip(const struct extract_ctx *ctx, const char *reason, const char *example)
{
	return extract_skips_add(ctx ? ctx->skips : NULL, reason, example);
}

static int az_streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The same key but for the band. */
static int az_same_but_band(const struct az_row *a, const struct az_row *b)
{
	return !strcmp(a->m.model, b->m.model) && !strcmp(a->m.dimension, b->m.dimension) &&
	       !strcmp(a->m.tier, b->m.tier) && az_streq(a->m.modality, b->m.modality) &&
	       az_streq(a->m.deployment, b->m.deployment) && !strcmp(a->region, b->region) &&
	       !strcmp(a->m.unit, b->m.unit) && !strcmp(a->currency, b->currency);
}

/* Classify and read one item.  Returns 0 (row added or skip counted) or TT_ENOMEM. */
static int az_item(const struct extract_ctx *ctx, struct json_object *item, struct az_rows *rows)
{
	struct az_row row;
	struct tt_error e = { 0 };
	const char *uom, *type, *eff;
	char reason[320];
	int rc;

	memset(&row, 0, sizeof(row));
	row.meter = json_get_str(item, "meterName");
	uom = json_get_str(item, "unitOfMeasure");
	type = json_get_str(item, "type");
	if (!row.meter)
		return az_skip(ctx, "item without a meterName", NULL);
	if (type && strcmp(type, "Consumption"))
		return az_skip(ctx, "not a Consumption price", row.meter);
	rc = azure_meter_classify(row.meter, uom, &row.m);
	if (rc == AZURE_METER_SKIP)
		return az_skip(ctx, row.m.why, row.meter);
	if (rc != AZURE_METER_OK) {
		snprintf(reason, sizeof(reason), "unclassified meter %s (%s)", row.meter,
			 uom ? uom : "no unit");
		return az_skip(ctx, reason, row.m.why);
	}
	row.region = json_get_str(item, "armRegionName");
	if (!row.region)
		row.region = "";
	row.currency = json_get_str(item, "currencyCode");
	if (!money_currency_code(row.currency))
		return az_skip(ctx, "no ISO currencyCode", row.meter);
	rc = json_money(json_get(item, "retailPrice"), row.m.scale, &row.nanos, &e);
	if (rc == JSON_MONEY_ABSENT)
		return az_skip(ctx, "no retailPrice", row.meter);
	if (rc == TT_ERANGE)
		return az_skip(ctx, "price out of range or rounds to 0", row.meter);
	if (rc < 0)
		return az_skip(ctx, "price is not a decimal number", row.meter);
	if (row.nanos < 0)
		return az_skip(ctx, "negative price", row.meter);
	row.text = json_money_text(json_get(item, "retailPrice"));
	eff = json_get_str(item, "effectiveStartDate");
	if (eff) {
		char d[11];
		snprintf(d, sizeof(d), "%.10s", eff);
		if (strlen(eff) < 10 || !date_valid(d))
			return az_skip(ctx, "bad effectiveStartDate", row.meter);
		memcpy(row.effective, d, sizeof(d));
	}
	return az_rows_push(rows, &row);
}

static int az_emit(const struct extract_ctx *ctx, const struct az_row *r, size_t from,
		   struct price_list *out, struct tt_error *err)
{
	const char *terms[3] = { r->m.band, r->m.modality, r->m.deployment };
	const char *origin = extract_origin(ctx, "Azure retail prices");
	char cond[128], note[160], prov[512];
	struct price p;
	size_t i, o = 0;
	int rc;

	cond[0] = '\0';
	for (i = 0; i < 3; i++)
		if (terms[i])
			o += (size_t)snprintf(cond + o, o < sizeof(cond) ? sizeof(cond) - o : 0,
					      "%s%s", o ? "," : "", terms[i]);
	note[0] = '\0';
	if (r->m.scale == 3)
		snprintf(note, sizeof(note), "published per 1K %s",
			 strcmp(r->m.unit, PRICE_UNIT_MTOK) ? "characters" : "tokens");
	if (r->implied_band) {
		size_t n = strlen(note);
		snprintf(note + n, sizeof(note) - n,
			 "%sshort band implied: the meter names no band, a LongCo meter exists",
			 n ? "; " : "");
	}
	snprintf(prov, sizeof(prov), "%s meter \"%s\"", origin, r->meter);
	memset(&p, 0, sizeof(p));
	p.provider = (char *)(ctx && ctx->source_id ? ctx->source_id : "azure");
	p.model = (char *)r->m.model;
	p.dimension = (char *)r->m.dimension;
	p.tier = (char *)r->m.tier;
	p.condition = cond;
	p.region = (char *)r->region;
	p.unit = (char *)r->m.unit;
	p.currency = (char *)r->currency;
	p.nanos = r->nanos;
	p.text = (char *)r->text;
	p.note = note[0] ? note : NULL;
	p.effective = r->effective[0] ? (char *)r->effective : NULL;
	p.origin = prov;
	rc = extract_add(out, from, &p, origin, err);
	return rc < 0 ? rc : 0;
}

/* Check one page's envelope.  Returns its Items array or NULL (err set). */
static struct json_object *az_page_items(struct json_object *page, size_t k, size_t npages,
					 const char *origin, struct tt_error *err)
{
	struct json_object *items = json_get(page, "Items");
	struct json_object *count = json_get(page, "Count");
	struct json_object *link;
	const char *next;

	if (!json_is_object(page) || !json_is_array(items)) {
		tt_set_error(err, TT_EPARSE,
			     "%s: page %zu is not an Azure Retail Prices page (no \"Items\" array)",
			     origin, k + 1);
		return NULL;
	}
	if (count && (!json_object_is_type(count, json_type_int) ||
		      json_object_get_int64(count) != (int64_t)json_array_len(items))) {
		tt_set_error(err, TT_EPARSE, "%s: page %zu says Count %s but holds %zu items", origin,
			     k + 1, json_object_get_string(count), json_array_len(items));
		return NULL;
	}
	link = json_get(page, "NextPageLink");
	next = json_get_str(page, "NextPageLink");
	if (link && !next) {
		tt_set_error(err, TT_EPARSE, "%s: page %zu: NextPageLink is not a string", origin,
			     k + 1);
		return NULL;
	}
	if (k + 1 == npages && next && *next) {
		tt_set_error(err, TT_EPARSE,
			     "%s: the last page (%zu) still has a NextPageLink: pages are missing",
			     origin, k + 1);
		return NULL;
	}
	if (k + 1 < npages && (!next || !*next)) {
		tt_set_error(err, TT_EPARSE,
			     "%s: page %zu has no NextPageLink but %zu more pages follow", origin,
			     k + 1, npages - k - 1);
		return NULL;
	}
	return items;
}

int extract_azure(const char *body, size_t len, const struct extract_ctx *ctx,
		  struct price_list *out, struct tt_error *err)
{
	struct json_object *doc = NULL;
	const char *origin = extract_origin(ctx, "Azure retail prices");
	struct az_rows rows = { NULL, 0, 0 };
	size_t k, npages, i, j, nitems = 0, start = out->n;
	int rc;

	rc = json_doc_parse(body, len, origin, &doc, err);
	if (rc < 0)
		goto out;
	if (json_is_object(doc) && json_get(doc, "Items"))
		npages = 1; /* one page served alone */
	else if (json_is_array(doc) && json_array_len(doc) > 0)
		npages = json_array_len(doc);
	else {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: not an array of Azure Retail Prices pages (expected "
				  "[{\"Items\":[...],\"NextPageLink\":...}, ...])",
				  origin);
		goto out;
	}
	for (k = 0; k < npages; k++) {
		struct json_object *page = json_is_array(doc) ? json_array_at(doc, k) : doc;
		struct json_object *items = az_page_items(page, k, npages, origin, err);

		if (!items) {
			rc = TT_EPARSE;
			goto out;
		}
		for (i = 0; i < json_array_len(items); i++, nitems++) {
			if (az_item(ctx, json_array_at(items, i), &rows) < 0) {
				rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", origin);
				goto out;
			}
		}
	}
	if (rows.n == 0) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: no priced meter among %zu items in %zu pages", origin, nitems,
				  npages);
		goto out;
	}
	/* A key with a LongCo meter: its unbanded sibling is the short band. */
	for (i = 0; i < rows.n; i++) {
		if (rows.v[i].m.band)
			continue;
		for (j = 0; j < rows.n; j++) {
			if (rows.v[j].m.band && !strcmp(rows.v[j].m.band, "long-context") &&
			    az_same_but_band(&rows.v[i], &rows.v[j])) {
				rows.v[i].m.band = "short-context";
				rows.v[i].implied_band = 1;
				break;
			}
		}
	}
	for (i = 0; i < rows.n; i++) {
		rc = az_emit(ctx, &rows.v[i], start, out, err);
		if (rc < 0)
			goto out;
	}
	rc = (int)(out->n - start);
out:
	free(rows.v);
	json_doc_free(doc);
	return rc;
}

/* ---- live pagination ---- */

/* Percent-encode what a URL may not carry raw (blanks, controls, quotes). */
static int az_url_clean(const char *in, struct buf *out)
{
	const unsigned char *p;

	for (p = (const unsigned char *)in; *p; p++) {
		int rc;
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			rc = buf_addf(out, "%%%02X", *p);
		else
			rc = buf_addch(out, (char)*p);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* "scheme://host:port" of url, default port explicit, into out.  Returns 0 or -1. */
static int az_url_origin(const char *url, char *out, size_t outlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;

	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		char *h;
		for (h = host; *h; h++)
			*h = (char)tolower((unsigned char)*h);
		snprintf(out, outlen, "%s://%s:%s", scheme, host, port);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

int azure_fetch_pages(const char *url, const struct http_opts *opts, size_t max_pages,
		      struct http_response *resp, struct tt_error *err)
{
	struct buf all = BUF_INIT, cur = BUF_INIT, prev = BUF_INIT;
	struct http_response page;
	struct json_object *doc = NULL;
	char origin0[512], origin1[512];
	size_t npage = 0;
	int rc, attempts = 0;

	http_response_init(&page);
	buf_reset(&resp->body);
	if (!url || az_url_clean(url, &cur) < 0 || az_url_origin(cur.buf, origin0, sizeof(origin0))) {
		rc = tt_set_error(err, TT_EINVAL, "Azure retail prices: bad URL %s",
				  url ? url : "(null)");
		goto out;
	}
	if ((rc = buf_addch(&all, '[')) < 0)
		goto nomem;
	for (;;) {
		const char *next;

		if (npage == max_pages) {
			rc = tt_set_error(err, TT_EPARSE,
					  "Azure retail prices: more than %zu pages (next: %s); "
					  "nothing stored",
					  max_pages, cur.buf);
			goto out;
		}
		npage++;
		http_response_release(&page);
		http_response_init(&page);
		rc = http_get(cur.buf, opts, &page, err);
		attempts += page.attempts;
		if (rc < 0) {
			char msg[sizeof(err->msg)];
			if (err) {
				snprintf(msg, sizeof(msg), "%s", err->msg);
				tt_set_error(err, rc, "Azure retail prices: page %zu failed: %s", npage,
					     msg);
			}
			goto out;
		}
		json_doc_free(doc);
		doc = NULL;
		rc = json_doc_parse(page.body.buf, page.body.len, cur.buf, &doc, err);
		if (rc < 0)
			goto out;
		if (!json_is_object(doc) || !json_is_array(json_get(doc, "Items"))) {
			rc = tt_set_error(err, TT_EPARSE,
					  "Azure retail prices: page %zu (%s) has no \"Items\" array",
					  npage, cur.buf);
			goto out;
		}
		if ((npage > 1 && (rc = buf_addch(&all, ',')) < 0) ||
		    (rc = buf_add(&all, page.body.buf, page.body.len)) < 0)
			goto nomem;
		resp->status = page.status;
		next = json_get_str(doc, "NextPageLink");
		if (!next || !*next)
			break;
		buf_reset(&prev);
		if ((rc = buf_add(&prev, cur.buf, cur.len)) < 0)
			goto nomem;
		buf_reset(&cur);
		if ((rc = az_url_clean(next, &cur)) < 0)
			goto nomem;
		if (az_url_origin(cur.buf, origin1, sizeof(origin1)) || strcmp(origin0, origin1)) {
			rc = tt_set_error(err, TT_EPARSE,
					  "Azure retail prices: page %zu links to %s, off %s; nothing "
					  "stored",
					  npage, cur.buf, origin0);
			goto out;
		}
		if (!strcmp(cur.buf, prev.buf)) {
			rc = tt_set_error(err, TT_EPARSE,
					  "Azure retail prices: page %zu links to itself (%s)", npage,
					  cur.buf);
			goto out;
		}
	}
	if ((rc = buf_addch(&all, ']')) < 0)
		goto nomem;
	buf_release(&resp->body);
	resp->body = all;
	all.buf = buf_empty;
	all.len = all.alloc = 0;
	free(resp->effective_url);
	resp->effective_url = strdup(url);
	resp->attempts = attempts;
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "Azure retail prices: out of memory at page %zu", npage);
out:
	if (rc < 0)
		buf_reset(&resp->body);
	json_doc_free(doc);
	http_response_release(&page);
	buf_release(&all);
	buf_release(&cur);
	buf_release(&prev);
	return rc;
}

int azure_fetch(const char *url, const struct http_opts *opts, struct http_response *resp,
		struct tt_error *err)
{
	return azure_fetch_pages(url, opts, AZURE_MAX_PAGES, resp, err);
}
