/*
 * test_extract_azure.c - the Azure Retail Prices API: the meter-name
 * parser (table), the committed two-page excerpt (exact rows), the full
 * 2026-07-31 capture (counts and spot values checked by hand against the
 * items), fail-closed envelopes, and the live pagination loop against a
 * scripted HTTP server on loopback (3 pages, the page cap, a failed page
 * stores nothing and the last good prices stay).
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/azure.h"
#include "tokentrend/catalog.h"
#include "tokentrend/extract.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/scrape.h"
#include "tokentrend/store.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#define NANO(x) ((int64_t)((x) * 1000000.0 + 0.5) * INT64_C(1000)) /* exact for <= 6 decimals */

/* ---- the meter-name parser ---- */

struct meter_case {
	const char *meter, *uom;
	int rc;
	const char *model, *dimension, *tier, *band, *modality, *deployment, *unit;
	int scale;
};

#define OK AZURE_METER_OK
#define SKIP AZURE_METER_SKIP
#define UNCL AZURE_METER_UNCLASSIFIED
#define MT PRICE_UNIT_MTOK

static const struct meter_case meter_cases[] = {
	/* the brief's two examples */
	{ "gpt-4o-0806-Inp-glbl Tokens", "1K", OK, "gpt-4o-0806", "input", "standard", NULL, NULL, "global", MT, 3 },
	{ "GPT 5 outpt Glbl 1M Tokens", "1M", OK, "gpt-5", "output", "standard", NULL, NULL, "global", MT, 0 },
	/* Inp / Inpt / inp / input / in; outp / opt / out */
	{ "GPT 5 Mini cchd Inpt DZone 1M Tokens", "1M", OK, "gpt-5-mini", "cache_read", "standard", NULL, NULL, "datazone", MT, 0 },
	{ "o3 mini 0131 cached input regnl Tokens", "1K", OK, "o3-mini-0131", "cache_read", "standard", NULL, NULL, "regional", MT, 3 },
	{ "gpt img 1.5 in cd img DZ 1M Tokens", "1M", OK, "gpt-image-1.5", "cache_read", "standard", NULL, "image", "datazone", MT, 0 },
	{ "gpt img 1.5 out txt gl 1M Tokens", "1M", OK, "gpt-image-1.5", "output", "standard", NULL, "text", "global", MT, 0 },
	{ "4.1 pp opt Dz Tokens", "1K", OK, "gpt-4.1", "output", "priority", NULL, NULL, "datazone", MT, 3 },
	/* Data Zone spelled as two words, glued, DZn */
	{ "gpt 4o 0513 Batch Inp Data Zone Tokens", "1K", OK, "gpt-4o-0513", "input", "batch", NULL, NULL, "datazone", MT, 3 },
	{ "gpt 4o mini0718 BatchOutp DataZone Tokens", "1K", OK, "gpt-4o-mini-0718", "output", "batch", NULL, NULL, "datazone", MT, 3 },
	{ "gpt4o realtimePrvwTxtOutp DataZone Tokens", "1K", OK, "gpt-4o-realtime-preview", "output", "standard", NULL, "text", "datazone", MT, 3 },
	{ "gpt-4o-rt-aud-1217 cchd Inp DZn Tokens", "1K", OK, "gpt-4o-realtime-1217", "cache_read", "standard", NULL, "audio", "datazone", MT, 3 },
	/* an audio model's own tokens vs its text tokens */
	{ "gpt-4o-aud-0603 Inp glbl Tokens", "1K", OK, "gpt-4o-audio-0603", "input", "standard", NULL, "audio", "global", MT, 3 },
	{ "gpt-4o-aud-0603-txt Outp regnl Tokens", "1K", OK, "gpt-4o-audio-0603", "output", "standard", NULL, "text", "regional", MT, 3 },
	{ "gpt aud mn txt in DZ 1215 1M Tokens", "1M", OK, "gpt-audio-mini-1215", "input", "standard", NULL, "text", "datazone", MT, 0 },
	{ "gpt rt aud mn cd in gl 1215 1M Tokens", "1M", OK, "gpt-realtime-mini-1215", "cache_read", "standard", NULL, "audio", "global", MT, 0 },
	/* bands, cache write, Std */
	{ "5.4 longco batch cd inp Dz 1M Tokens", "1M", OK, "gpt-5.4", "cache_read", "batch", "long-context", NULL, "datazone", MT, 0 },
	{ "5.5 ShortCo PP opt Gl 1M Tokens", "1M", OK, "gpt-5.5", "output", "priority", "short-context", NULL, "global", MT, 0 },
	{ "5.6 terra LongCo Cd Wr Std DZ 1M Tokens", "1M", OK, "gpt-5.6-terra", "cache_write", "standard", "long-context", NULL, "datazone", MT, 0 },
	/* embeddings name no dimension; other units */
	{ "text-embedding-3-large-glbl Tokens", "1K", OK, "text-embedding-3-large", "input", "standard", NULL, NULL, "global", MT, 3 },
	{ "Embed v4 Img DZ Tokens", "1K", OK, "embed-v4", "input", "standard", NULL, "image", "datazone", MT, 3 },
	{ "Speech-Text to Speech-Regional Characters", "1M", OK, "tts", "character", "standard", NULL, NULL, "regional", "1M characters", 0 },
	{ "Rerank v4 Pro Glbl Search", "1K", OK, "rerank-v4-pro", "query", "standard", NULL, NULL, "global", "1K queries", 0 },
	/* skipped on purpose */
	{ "gpt-4o-0806-FT-inp-glbl Tokens", "1K", SKIP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "o4 mini dev RFT inp glb Tokens", "1K", SKIP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "Provisioned Managed Global Unit", "1/Hour", SKIP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "Sora 720p 1-5s glbl Video", "1 Second", SKIP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* never guessed */
	{ "Az-GPT-3.5-turbo Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt-35-trb16K-Batch-125-Inp-glbl Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 7 Inp glbl Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 Inp glbl Tokens", "1 Hour", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 Inp Outp glbl Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 glbl Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 Inp glbl Dz Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 cached Outp glbl Tokens", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "gpt 4.1 Inp glbl Widgets", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "", "1K", UNCL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static void assert_str_or_null(const char *what, const char *got, const char *want, const char *meter)
{
	if ((!got) != (!want) || (got && strcmp(got, want)))
		fail_msg("%s: %s is '%s', expected '%s'", meter, what, got ? got : "(null)",
			 want ? want : "(null)");
}

static void test_meter_parser(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(meter_cases); i++) {
		const struct meter_case *c = &meter_cases[i];
		struct azure_meter m;
		int rc = azure_meter_classify(c->meter, c->uom, &m);

		if (rc != c->rc)
			fail_msg("%s (%s): rc %d, expected %d (%s)", c->meter, c->uom, rc, c->rc,
				 m.why ? m.why : "");
		if (rc != OK) {
			assert_non_null(m.why);
			continue;
		}
		assert_str_or_null("model", m.model, c->model, c->meter);
		assert_str_or_null("dimension", m.dimension, c->dimension, c->meter);
		assert_str_or_null("tier", m.tier, c->tier, c->meter);
		assert_str_or_null("band", m.band, c->band, c->meter);
		assert_str_or_null("modality", m.modality, c->modality, c->meter);
		assert_str_or_null("deployment", m.deployment, c->deployment, c->meter);
		assert_str_or_null("unit", m.unit, c->unit, c->meter);
		assert_int_equal(m.scale, c->scale);
	}
	assert_int_equal(azure_meter_classify(NULL, "1K", &(struct azure_meter){ 0 }), UNCL);
}

/* ---- running the extractor ---- */

struct run {
	struct price_list prices;
	struct extract_skips skips;
	struct tt_error err;
	int rc;
};

static void run_body(struct run *r, const char *body, size_t len)
{
	struct extract_ctx ctx = { "azure", "2026-07-31", "test.json", NULL };

	memset(r, 0, sizeof(*r));
	ctx.skips = &r->skips;
	r->rc = extract_azure(body, len, &ctx, &r->prices, &r->err);
}

static void run_release(struct run *r)
{
	price_list_release(&r->prices);
	extract_skips_release(&r->skips);
}

static const struct price *find(const struct run *r, const char *model, const char *dim,
				const char *tier, const char *cond, const char *region)
{
	size_t i;

	for (i = 0; i < r->prices.n; i++) {
		const struct price *p = &r->prices.v[i];
		if (!strcmp(p->model, model) && !strcmp(p->dimension, dim) && !strcmp(p->tier, tier) &&
		    !strcmp(p->condition, cond) && !strcmp(p->region, region))
			return p;
	}
	return NULL;
}

/* One expected row: the key, the stored value and what was published. */
struct row {
	const char *model, *dimension, *tier, *condition, *region, *unit;
	int64_t nanos;
	const char *text, *effective;
	int per_1k;
};

static void check_rows(const struct run *r, const struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		const struct price *p = find(r, w->model, w->dimension, w->tier, w->condition, w->region);

		if (!p)
			fail_msg("no price for %s %s %s '%s' %s", w->model, w->dimension, w->tier,
				 w->condition, w->region);
		assert_int_equal(p->nanos, w->nanos);
		assert_string_equal(p->unit, w->unit);
		assert_string_equal(p->currency, "USD");
		assert_string_equal(p->provider, "azure");
		assert_string_equal(p->text, w->text);
		assert_non_null(p->effective);
		assert_string_equal(p->effective, w->effective);
		assert_int_equal(p->note && strstr(p->note, "published per 1K"), w->per_1k);
		assert_non_null(p->origin);
		assert_non_null(strstr(p->origin, "meter \""));
	}
}

/* The committed excerpt: two pages, twelve items of the 2026-07-31 capture. */
static const struct row excerpt_rows[] = {
	{ "gpt-4o-0806", "input", "standard", "global", "eastus2", MT, NANO(2.50), "0.0025", "2024-08-01", 1 },
	{ "gpt-5", "output", "standard", "global", "eastus2", MT, NANO(10.00), "10.0", "2025-08-01", 0 },
	{ "gpt-5", "cache_read", "batch", "datazone", "swedencentral", MT, NANO(0.06875), "0.06875", "2025-08-01", 0 },
	{ "gpt-4.1", "input", "standard", "datazone", "swedencentral", MT, NANO(2.20), "0.0022", "2025-04-01", 1 },
	{ "gpt-5.4", "cache_read", "batch", "long-context,global", "eastus2", MT, NANO(0.25), "0.25", "2026-04-01", 0 },
	{ "gpt-5.4", "cache_read", "batch", "short-context,global", "eastus2", MT, NANO(0.13), "0.13", "2026-03-01", 0 },
	{ "gpt-4o-realtime-preview", "input", "standard", "audio,datazone", "eastus2", MT, NANO(110.00), "0.11", "2024-10-01", 1 },
	{ "gpt-5.6-luna", "cache_write", "priority", "short-context,global", "eastus2", MT, NANO(2.50), "2.5", "2026-07-01", 0 },
	{ "gpt-4.1-nano", "cache_read", "standard", "datazone", "eastus2", MT, NANO(0.028), "2.8e-05", "2025-04-01", 1 },
	{ "tts-hd", "character", "standard", "global", "swedencentral", "1M characters", NANO(30.00), "30.0", "2024-06-01", 0 },
};

static void test_excerpt(void **state)
{
	char path[512];
	size_t len = 0;
	char *body;
	struct run r;
	const struct price *p;

	(void)state;
	tt_fixture_path("azure-retail-prices-2026-07-31-excerpt.json", path, sizeof(path));
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	if (r.rc < 0)
		fail_msg("%s", r.err.msg);
	assert_int_equal(r.rc, (int)TT_ARRAY_SIZE(excerpt_rows));
	assert_int_equal(r.prices.n, TT_ARRAY_SIZE(excerpt_rows));
	check_rows(&r, excerpt_rows, TT_ARRAY_SIZE(excerpt_rows));
	/* The unbanded sibling of a LongCo meter says its band is implied. */
	p = find(&r, "gpt-5.4", "cache_read", "batch", "short-context,global", "eastus2");
	assert_non_null(strstr(p->note, "short band implied"));
	/* Skipped and counted, never guessed. */
	assert_int_equal(extract_skips_count(&r.skips, "fine-tuning meter"), 1);
	assert_int_equal(extract_skips_count(&r.skips, "unclassified meter Az-GPT-3.5-turbo Tokens (1K)"), 1);
	assert_int_equal(r.skips.n, 2);
	run_release(&r);
	free(body);
}

/* ---- acceptance on the full capture ---- */

struct dim_count {
	const char *dimension, *unit;
	size_t n;
};

static const struct dim_count capture_counts[] = {
	{ "input", MT, 746 },
	{ "output", MT, 659 },
	{ "cache_read", MT, 460 },
	{ "cache_write", MT, 36 },
	{ "character", "1M characters", 4 },
	{ "query", "1K queries", 8 },
	{ "request", "1K calls", 6 },
};

/* Checked by hand against the items of the capture (retailPrice, unitOfMeasure). */
static const struct row capture_rows[] = {
	/* "gpt-4o-0806-Outp-regnl Tokens" swedencentral 0.011 per 1K */
	{ "gpt-4o-0806", "output", "standard", "regional", "swedencentral", MT, NANO(11.00), "0.011", "2024-08-01", 1 },
	/* "o3 0416 Inp glbl Tokens" eastus2 0.002 per 1K */
	{ "o3-0416", "input", "standard", "global", "eastus2", MT, NANO(2.00), "0.002", "2025-06-01", 1 },
	/* "gpt 4.1 nano Batch Inp glbl Tokens" eastus2 5e-05 per 1K */
	{ "gpt-4.1-nano", "input", "batch", "global", "eastus2", MT, NANO(0.05), "5e-05", "2025-04-01", 1 },
	/* "GPT 5 Inpt Glbl 1M Tokens" eastus2 1.25 per 1M */
	{ "gpt-5", "input", "standard", "global", "eastus2", MT, NANO(1.25), "1.25", "2025-08-01", 0 },
	/* "5 pp inp Gl 1M Tokens" eastus2 2.5 per 1M */
	{ "gpt-5", "input", "priority", "global", "eastus2", MT, NANO(2.50), "2.5", "2026-03-01", 0 },
	/* "5.4 longco opt Dz 1M Tokens" eastus2 24.75 per 1M */
	{ "gpt-5.4", "output", "standard", "long-context,datazone", "eastus2", MT, NANO(24.75), "24.75", "2026-03-01", 0 },
	/* "5.4 opt Gl 1M Tokens" eastus2 15.0 per 1M (short band implied) */
	{ "gpt-5.4", "output", "standard", "short-context,global", "eastus2", MT, NANO(15.00), "15.0", "2026-03-01", 0 },
	/* "gpt-realtime-0828": "gpt rt aud 0828 Inp glbl Tokens" eastus2 0.032 per 1K */
	{ "gpt-realtime-0828", "input", "standard", "audio,global", "eastus2", MT, NANO(32.00), "0.032", "2025-09-01", 1 },
	/* "gpt 4.1 Inp regnl Tokens" eastus2 0.0022 per 1K */
	{ "gpt-4.1", "input", "standard", "regional", "eastus2", MT, NANO(2.20), "0.0022", "2025-11-01", 1 },
	/* "Rerank v4 Fast Glbl Search" eastus2 2.0 per 1K searches */
	{ "rerank-v4-fast", "query", "standard", "global", "eastus2", "1K queries", NANO(2.00), "2.0", "2026-03-01", 0 },
};

static void test_capture(void **state)
{
	char path[512];
	size_t len = 0, i, j, n;
	char *body;
	struct run r;

	(void)state;
	if (tt_shared_path("pages/azure-retail-prices-2026-07-31.json", path, sizeof(path)) < 0)
		return;
	body = tt_read_file(path, &len);
	assert_non_null(body);
	run_body(&r, body, len);
	if (r.rc < 0)
		fail_msg("%s", r.err.msg);
	/* 2,357 items = 1,919 prices + 269 fine-tuning + 161 other units + 8 unclassified. */
	assert_int_equal(r.rc, 1919);
	assert_int_equal(extract_skips_count(&r.skips, "fine-tuning meter"), 269);
	assert_int_equal(extract_skips_count(&r.skips, "meter not priced per token, character or query"), 161);
	for (i = 0, n = 0; i < r.skips.n; i++)
		if (!strncmp(r.skips.v[i].reason, "unclassified meter ", 19))
			n += r.skips.v[i].count;
	assert_int_equal(n, 8);
	for (i = 0; i < TT_ARRAY_SIZE(capture_counts); i++) {
		for (j = 0, n = 0; j < r.prices.n; j++)
			n += !strcmp(r.prices.v[j].dimension, capture_counts[i].dimension) &&
			     !strcmp(r.prices.v[j].unit, capture_counts[i].unit);
		if (n != capture_counts[i].n)
			fail_msg("%s per %s: %zu prices, expected %zu", capture_counts[i].dimension,
				 capture_counts[i].unit, n, capture_counts[i].n);
	}
	check_rows(&r, capture_rows, TT_ARRAY_SIZE(capture_rows));
	/* Every price is positive, keyed to one of the two regions. */
	for (j = 0; j < r.prices.n; j++) {
		assert_true(r.prices.v[j].nanos > 0);
		assert_true(!strcmp(r.prices.v[j].region, "eastus2") ||
			    !strcmp(r.prices.v[j].region, "swedencentral"));
	}
	run_release(&r);
	free(body);
}

/* ---- fail closed ---- */

#define ITEM(meter, price)                                                                      \
	"{\"currencyCode\":\"USD\",\"retailPrice\":" price ",\"armRegionName\":\"eastus2\","       \
	"\"effectiveStartDate\":\"2025-08-01T00:00:00Z\",\"meterName\":\"" meter "\","            \
	"\"unitOfMeasure\":\"1M\",\"type\":\"Consumption\"}"

struct closed_case {
	const char *name, *body;
	int rc;
	const char *msg; /* substring of the error, or of the one price's text */
};

static const struct closed_case closed_cases[] = {
	{ "not JSON", "<html>", TT_EPARSE, "test.json" },
	{ "an object without Items", "{\"data\":[]}", TT_EPARSE, "not an array of Azure" },
	{ "an empty array", "[]", TT_EPARSE, "not an array of Azure" },
	{ "a page without Items", "[{\"NextPageLink\":null}]", TT_EPARSE, "no \"Items\" array" },
	{ "the last page links on (pages lost)",
	  "[{\"Items\":[" ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "],\"NextPageLink\":\"https://x/?$skip=100\",\"Count\":1}]",
	  TT_EPARSE, "pages are missing" },
	{ "a page without a link before the last",
	  "[{\"Items\":[],\"NextPageLink\":null,\"Count\":0},{\"Items\":[],\"NextPageLink\":null,\"Count\":0}]",
	  TT_EPARSE, "no NextPageLink but 1 more" },
	{ "Count disagrees with the items",
	  "[{\"Items\":[" ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "],\"NextPageLink\":null,\"Count\":2}]",
	  TT_EPARSE, "Count 2 but holds 1" },
	{ "no classified meter", "[{\"Items\":[" ITEM("Mystery Widget Tokens", "1.0") "],\"NextPageLink\":null}]",
	  TT_EPARSE, "no priced meter among 1 items" },
	{ "two meters, one key, two prices",
	  "[{\"Items\":[" ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "," ITEM("gpt 5 Inp global 1M Tokens", "1.5") "],\"NextPageLink\":null}]",
	  TT_EPARSE, "published twice with different prices" },
	/* Accepted: one page served alone; the same price twice is one price. */
	{ "a single last page", "{\"Items\":[" ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "],\"NextPageLink\":null}",
	  1, "1.25" },
	{ "a repeated meter", "[{\"Items\":[" ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "," ITEM("GPT 5 Inpt Glbl 1M Tokens", "1.25") "]}]",
	  1, "1.25" },
};

static void test_fail_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(closed_cases); i++) {
		const struct closed_case *c = &closed_cases[i];
		struct run r;

		run_body(&r, c->body, strlen(c->body));
		if (r.rc != c->rc)
			fail_msg("%s: rc %d, expected %d (%s)", c->name, r.rc, c->rc, r.err.msg);
		if (c->rc < 0 && !strstr(r.err.msg, c->msg))
			fail_msg("%s: message '%s' lacks '%s'", c->name, r.err.msg, c->msg);
		if (c->rc > 0)
			assert_string_equal(r.prices.v[0].text, c->msg);
		run_release(&r);
	}
}

/* ---- the pagination loop against a loopback server ---- */

struct route {
	const char *target; /* request target, after percent-encoding */
	char response[2048];
	int hits;
};

static struct route routes[] = {
	{ "/p1", "", 0 },
	{ "/p2?$skip=1&f='Foundry%20Models'", "", 0 },
	{ "/p3", "", 0 },
	{ "/f1", "", 0 },
	{ "/f2", "", 0 },
	{ "/off", "", 0 },
	{ "/self", "", 0 },
	{ "/bad", "", 0 },
};

static int listen_fd = -1;
static int port;
static pthread_t server_thread;

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void *server_main(void *arg)
{
	(void)arg;
	for (;;) {
		char req[4096], target[512];
		size_t got = 0, i;
		int fd = accept(listen_fd, NULL, NULL);

		if (fd < 0)
			return NULL;
		while (got < sizeof(req) - 1) {
			ssize_t r = recv(fd, req + got, sizeof(req) - 1 - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[got] = '\0';
		if (!strncmp(req, "QUIT", 4)) {
			close(fd);
			return NULL;
		}
		if (sscanf(req, "GET %511s", target) != 1)
			target[0] = '\0';
		for (i = 0; i < TT_ARRAY_SIZE(routes); i++) {
			if (!strcmp(routes[i].target, target)) {
				routes[i].hits++;
				send_all(fd, routes[i].response, strlen(routes[i].response));
				break;
			}
		}
		if (i == TT_ARRAY_SIZE(routes))
			send_all(fd, "HTTP/1.1 404 x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 56);
		close(fd);
	}
}

/* A 200 response carrying one page with one item. */
static void set_page(const char *target, const char *meter, const char *price, const char *next)
{
	char body[1024], link[256];
	size_t i;

	if (next)
		snprintf(link, sizeof(link), "\"%s\"", next);
	else
		snprintf(link, sizeof(link), "null");
	snprintf(body, sizeof(body),
		 "{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\","
		 "\"CustomerEntityType\":\"Retail\",\"Items\":[{\"currencyCode\":\"USD\","
		 "\"retailPrice\":%s,\"armRegionName\":\"eastus2\",\"effectiveStartDate\":"
		 "\"2025-08-01T00:00:00Z\",\"meterName\":\"%s\",\"unitOfMeasure\":\"1M\","
		 "\"type\":\"Consumption\"}],\"NextPageLink\":%s,\"Count\":1}",
		 price, meter, link);
	for (i = 0; i < TT_ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].target, target))
			snprintf(routes[i].response, sizeof(routes[i].response),
				 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
				 "%zu\r\nConnection: close\r\n\r\n%s",
				 strlen(body), body);
}

static void set_raw(const char *target, const char *response)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].target, target))
			snprintf(routes[i].response, sizeof(routes[i].response), "%s", response);
}

static char *url_of(const char *target)
{
	static char u[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(u[k], sizeof(u[k]), "http://127.0.0.1:%d%s", port, target);
	return u[k];
}

static int setup(void **state)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) || listen(listen_fd, 16))
		return -1;
	getsockname(listen_fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	/* Three pages; page 1 links with a blank that must be encoded. */
	set_page("/p1", "GPT 5 Inpt Glbl 1M Tokens", "1.25", url_of("/p2?$skip=1&f='Foundry Models'"));
	set_page("/p2?$skip=1&f='Foundry%20Models'", "GPT 5 outpt Glbl 1M Tokens", "10.0", url_of("/p3"));
	set_page("/p3", "GPT 5 cchd Inpt Glbl 1M Tokens", "0.125", NULL);
	/* Page 2 fails. */
	set_page("/f1", "GPT 5 Inpt Glbl 1M Tokens", "9.99", url_of("/f2"));
	set_raw("/f2", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	/* A link off the API host, a link to itself, a page that is no page. */
	set_page("/off", "GPT 5 Inpt Glbl 1M Tokens", "1.25", "http://example.invalid/p2");
	set_page("/self", "GPT 5 Inpt Glbl 1M Tokens", "1.25", url_of("/self"));
	set_raw("/bad", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"data\":[]}");
	return pthread_create(&server_thread, NULL, server_main, NULL);
}

static int teardown(void **state)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		send_all(fd, "QUIT\r\n\r\n", 8);
	close(fd);
	pthread_join(server_thread, NULL);
	close(listen_fd);
	curl_global_cleanup();
	return 0;
}

static const struct http_opts fast = {
	NULL, 2000, 5000, 1, 2, 0, 0, -1, 1, 1,
};

static void test_fetch_three_pages(void **state)
{
	struct http_response resp;
	struct tt_error err = { 0 };
	struct run r;

	(void)state;
	http_response_init(&resp);
	if (azure_fetch_pages(url_of("/p1"), &fast, 10, &resp, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 3);
	assert_true(resp.body.buf[0] == '[' && resp.body.buf[resp.body.len - 1] == ']');
	/* The assembled array is what a replayed capture looks like. */
	run_body(&r, resp.body.buf, resp.body.len);
	if (r.rc < 0)
		fail_msg("%s", r.err.msg);
	assert_int_equal(r.rc, 3);
	assert_int_equal(find(&r, "gpt-5", "input", "standard", "global", "eastus2")->nanos, NANO(1.25));
	assert_int_equal(find(&r, "gpt-5", "output", "standard", "global", "eastus2")->nanos, NANO(10.0));
	assert_int_equal(find(&r, "gpt-5", "cache_read", "standard", "global", "eastus2")->nanos, NANO(0.125));
	run_release(&r);
	http_response_release(&resp);
}

struct fetch_case {
	const char *name, *target;
	size_t max_pages;
	int rc;
	const char *msg;
};

static const struct fetch_case fetch_cases[] = {
	{ "page cap", "/p1", 2, TT_EPARSE, "more than 2 pages" },
	{ "failed page", "/f1", 10, TT_ENET, "page 2 failed" },
	{ "link off the host", "/off", 10, TT_EPARSE, "links to http://example.invalid/p2" },
	{ "link to itself", "/self", 10, TT_EPARSE, "links to itself" },
	{ "not a page", "/bad", 10, TT_EPARSE, "no \"Items\" array" },
	{ "404 on page 1", "/nowhere", 10, TT_ENET, "page 1 failed" },
};

static void test_fetch_fails_closed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(fetch_cases); i++) {
		const struct fetch_case *c = &fetch_cases[i];
		struct http_response resp;
		struct tt_error err = { 0 };
		int rc;

		http_response_init(&resp);
		rc = azure_fetch_pages(url_of(c->target), &fast, c->max_pages, &resp, &err);
		if (rc != c->rc || !strstr(err.msg, c->msg))
			fail_msg("%s: rc %d (%s), expected %d '%s'", c->name, rc, err.msg, c->rc, c->msg);
		assert_int_equal(resp.body.len, 0);
		http_response_release(&resp);
	}
}

static size_t count_stored(struct store *st, const char *as_of, int64_t *input)
{
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	size_t i, n;

	f.source = "azure";
	f.as_of = as_of;
	if (query_prices(st, &f, &rows, &err) < 0)
		fail_msg("query_prices: %s", err.msg);
	n = rows.n;
	for (i = 0; i < rows.n; i++)
		if (!strcmp(rows.v[i].p.dimension, "input"))
			*input = rows.v[i].p.nanos;
	price_rows_release(&rows);
	return n;
}

/* scrape_fetch: a feed whose page 2 fails stores nothing; the last good stays. */
static void test_scrape_failed_page(void **state)
{
	struct source_def good = { .id = "azure", .name = "Azure test", .url = url_of("/p1"),
				   .format = SOURCE_JSON, .extract = extract_azure, .min_models = 1 };
	struct source_def bad = good;
	struct store *st = NULL;
	struct scrape_result res;
	int64_t run = 0, input = 0;

	(void)state;
	bad.url = url_of("/f1");
	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	assert_int_equal(store_run_begin(st, "scrape", "2026-07-31T00:00:00Z", &run, NULL), 0);
	scrape_result_init(&res);
	assert_int_equal(scrape_fetch(st, run, &good, "2026-07-31", &fast, &res), 0);
	assert_int_equal(res.prices, 3);
	scrape_result_release(&res);

	scrape_result_init(&res);
	assert_int_equal(scrape_fetch(st, run, &bad, "2026-08-01", &fast, &res), TT_ENET);
	assert_string_equal(res.status, "failed");
	assert_int_equal(res.prices, 0);
	assert_non_null(strstr(res.error, "page 2 failed"));
	scrape_result_release(&res);

	/* Page 1 of the failed feed said 9.99: nothing of it was stored. */
	assert_int_equal(count_stored(st, "2026-08-02", &input), 3);
	assert_int_equal(input, NANO(1.25));
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meter_parser),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_fetch_three_pages),
		cmocka_unit_test(test_fetch_fails_closed),
		cmocka_unit_test(test_scrape_failed_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
