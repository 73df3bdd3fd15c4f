/*
 * test_fx.c - ECB reference rates: parsing the documented XML with
 * libxml2 (a daily file excerpt; a two-day history body), fail-closed
 * bodies, idempotent storage, conversions at the rate of their own date
 * in integer arithmetic, and case 3 (the provider's own USD list wins
 * over a converted CNY price; conversions are labelled with rate and date).
 *
 * The fixture follows the ECB's published format (gesmes envelope, Cube
 * time / currency / rate) with the 2024-06-28 reference rates; no network.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/fx.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"

#define ENVELOPE(cubes)                                                                           \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\""                  \
	" xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">"                           \
	"<gesmes:subject>Reference rates</gesmes:subject><Cube>" cubes "</Cube></gesmes:Envelope>"

/* A synthetic earlier day (not ECB figures) to test "latest on or before". */
#define HIST_BODY ENVELOPE("<Cube time='2024-06-20'><Cube currency='USD' rate='1.08'/>"         \
			   "<Cube currency='CNY' rate='7.80'/></Cube>")

static struct store *open_mem(void)
{
	struct store *st = NULL;
	struct tt_error err = { 0 };

	if (store_open(":memory:", 0, &st, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

static void load(struct store *st, const char *body, size_t len, size_t *added)
{
	struct fx_rates r = FX_RATES_INIT;
	struct tt_error err = { 0 };

	if (fx_parse_ecb(body, len, "test.xml", &r, &err) < 0 || fx_store(st, "ecb", &r, added, &err) < 0)
		fail_msg("load: %s", err.msg);
	fx_rates_release(&r);
}

static void load_fixture(struct store *st, size_t *added)
{
	char path[512];
	size_t len = 0;
	char *body;

	tt_fixture_path("ecb-eurofxref-daily-2024-06-28-excerpt.xml", path, sizeof(path));
	body = tt_read_file(path, &len);
	assert_non_null(body);
	load(st, body, len, added);
	free(body);
}

static void test_parse(void **state)
{
	static const struct {
		const char *name, *body;
		int rc;
	} cases[] = {
		{ "two days", ENVELOPE("<Cube time='2024-06-27'><Cube currency='USD' rate='1.0713'/></Cube>"
				       "<Cube time='2024-06-28'><Cube currency='USD' rate='1.0705'/>"
				       "<Cube currency='JPY' rate='171.94'/></Cube>"), 3 },
		{ "not XML", "<html><body>Service unavailable", TT_EPARSE },
		{ "no Cube (a portal page)", "<html><body><p>rates</p></body></html>", TT_EPARSE },
		{ "Cube outside the ECB namespace",
		  "<Envelope><Cube><Cube time='2024-06-28'><Cube currency='USD' rate='1.0705'/></Cube></Cube></Envelope>",
		  TT_EPARSE },
		{ "bad rate", ENVELOPE("<Cube time='2024-06-28'><Cube currency='USD' rate='n/a'/></Cube>"),
		  TT_EPARSE },
		{ "bad time", ENVELOPE("<Cube time='28.06.2024'><Cube currency='USD' rate='1.07'/></Cube>"),
		  TT_EPARSE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct fx_rates r = FX_RATES_INIT;
		struct tt_error err = { 0 };
		int rc = fx_parse_ecb(cases[i].body, strlen(cases[i].body), "test.xml", &r, &err);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d (%s)", cases[i].name, rc, cases[i].rc, err.msg);
		if (rc == 3) {
			assert_int_equal(r.days, 2);
			assert_string_equal(r.v[2].currency, "JPY");
			assert_string_equal(r.v[2].text, "171.94");
			assert_int_equal(r.v[2].nanos, INT64_C(171940000000));
		}
		fx_rates_release(&r);
	}
}

static void test_store_and_convert(void **state)
{
	static const struct {
		const char *amount, *from, *to, *date;
		int rc;
		const char *want, *rate, *rate_date;
	} cases[] = {
		{ "7.20", "CNY", "USD", "2024-06-28", 0, "0.991356691", "0.137688429", "2024-06-28" },
		/* a Sunday uses Friday's rate */
		{ "7.20", "CNY", "USD", "2024-06-30", 0, "0.991356691", "0.137688429", "2024-06-28" },
		/* its own date: the earlier rates (7.20 x 1.08 / 7.80) */
		{ "7.20", "CNY", "USD", "2024-06-25", 0, "0.996923077", "0.138461538", "2024-06-20" },
		{ "2.00", "EUR", "USD", "2024-06-28", 0, "2.141", "1.0705", "2024-06-28" },
		{ "0.15", "USD", "USD", "2024-06-28", 0, "0.15", "1", "2024-06-28" },
		/* no rate near enough: never guessed */
		{ "1.00", "CNY", "USD", "2024-08-01", TT_ENOTFOUND, NULL, NULL, NULL },
		{ "1.00", "CNY", "USD", "2024-06-01", TT_ENOTFOUND, NULL, NULL, NULL },
		{ "1.00", "XYZ", "USD", "2024-06-28", TT_ENOTFOUND, NULL, NULL, NULL },
	};
	struct store *st = open_mem();
	size_t added = 0, i;

	(void)state;
	load_fixture(st, &added);
	assert_int_equal(added, 6);
	load_fixture(st, &added);
	assert_int_equal(added, 0); /* idempotent */
	load(st, HIST_BODY, strlen(HIST_BODY), &added);
	assert_int_equal(added, 2);
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct fx_conversion c;
		struct tt_error err = { 0 };
		int64_t n = 0, want = 0;
		int rc;

		assert_int_equal(money_parse_str(cases[i].amount, 0, &n, NULL), 0);
		rc = fx_convert(st, n, cases[i].from, cases[i].to, cases[i].date, &c, &err);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc, err.msg);
		if (rc < 0)
			continue;
		assert_int_equal(money_parse_str(cases[i].want, 0, &want, NULL), 0);
		if (c.nanos != want)
			fail_msg("case %zu: %" PRId64 ", want %s", i, c.nanos, cases[i].want);
		if (strcmp(c.rate, cases[i].rate))
			fail_msg("case %zu: rate %s, want %s", i, c.rate, cases[i].rate);
		assert_string_equal(c.rate_date, cases[i].rate_date);
	}
	store_close(st);
}

/* Case 3: CNY and USD rows of one key -> the USD list wins (0.15, not a
 * conversion); a CNY-only row converts at its date's rate and says so. */
static void test_case3_rows(void **state)
{
	static const struct {
		const char *model, *currency, *price;
	} in[] = {
		{ "demo-flash", "CNY", "1.00" },
		{ "demo-flash", "USD", "0.15" },
		{ "demo-flash-cn", "CNY", "7.20" },
		{ "demo-eu", "EUR", "2.00" },
		{ "demo-yen", "JPY", "100" },
	};
	struct store *st = open_mem();
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	size_t i, unconverted = 0, added = 0;
	char b[MONEY_FMT_MAX];

	(void)state;
	load_fixture(st, &added);
	for (i = 0; i < TT_ARRAY_SIZE(in); i++) {
		struct price_row *r;
		if (rows.n == rows.alloc) {
			rows.alloc = 8;
			rows.v = calloc(rows.alloc, sizeof(*rows.v));
		}
		r = &rows.v[rows.n++];
		memset(r, 0, sizeof(*r));
		r->p.provider = strdup("demo");
		r->p.model = strdup(in[i].model);
		r->p.dimension = strdup("input");
		r->p.tier = strdup("standard");
		r->p.condition = strdup("");
		r->p.region = strdup("");
		r->p.unit = strdup(PRICE_UNIT_MTOK);
		r->p.currency = strdup(in[i].currency);
		assert_int_equal(money_parse_str(in[i].price, 0, &r->p.nanos, NULL), 0);
		r->source = strdup("demo");
	}
	/* JPY: the fixture has it, so 100 JPY converts too; nothing stays */
	assert_int_equal(fx_convert_rows(st, &rows, "USD", "2024-06-29", &unconverted, &err), 3);
	assert_int_equal(unconverted, 0);
	assert_int_equal(rows.n, 4); /* the CNY demo-flash row gave way to the USD list */
	assert_string_equal(rows.v[0].p.model, "demo-flash");
	assert_string_equal(rows.v[0].p.currency, "USD");
	assert_string_equal(money_format(rows.v[0].p.nanos, b, sizeof(b)), "0.15");
	assert_string_equal(rows.v[0].fx_from, "");
	assert_string_equal(rows.v[1].p.model, "demo-flash-cn");
	assert_string_equal(money_format(rows.v[1].p.nanos, b, sizeof(b)), "0.991356691");
	assert_string_equal(rows.v[1].fx_from, "CNY");
	assert_string_equal(rows.v[1].fx_date, "2024-06-28");
	assert_string_equal(money_format(rows.v[2].p.nanos, b, sizeof(b)), "2.141");
	assert_int_equal(query_render(&rows, QUERY_FORMAT_JSON, 0, 0, &out), 0);
	assert_non_null(strstr(out.buf, "\"converted\": \"from CNY 7.20 at 0.137688429, ECB 2024-06-28\", "
				       "\"original_price\": \"7.20\", \"original_currency\": \"CNY\", "
				       "\"fx_rate\": \"0.137688429\", \"fx_date\": \"2024-06-28\""));
	buf_reset(&out);
	assert_int_equal(query_render(&rows, QUERY_FORMAT_TABLE, 0, 0, &out), 0);
	assert_non_null(strstr(out.buf, "CONVERTED"));
	buf_release(&out);
	price_rows_release(&rows);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_store_and_convert),
		cmocka_unit_test(test_case3_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
