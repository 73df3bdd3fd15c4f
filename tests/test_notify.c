/*
 * test_notify.c - notification rules, the command splitter, the process
 * runner (no shell), the configuration file, and notify_run end to end:
 * change events of live runs go to a loopback webhook (Slack-style "text"
 * plus the events) and to a command that gets each event as JSON on stdin
 * and as TOKENTREND_* variables, never through a shell; what was
 * delivered is not repeated; a failing webhook never names its URL and
 * its events are retried; a source failing three runs in a row raises
 * one alert per streak.
 */
#include "tt_test.h"
#include "tt_httpd.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"
#include "tokentrend/notify.h"
#include "tokentrend/proc.h"
#include "tokentrend/settings.h"
#include "tokentrend/store.h"

#include <curl/curl.h>
#include <sqlite3.h>

static char tmpdir[128];

struct rule_case {
	const char *text;
	int rc;
	enum notify_rule_kind kind;
	int64_t value;
	const char *model;
};

static const struct rule_case rule_cases[] = {
	{ "any", 0, NOTIFY_ANY, 0, NULL },
	{ "move 10", 0, NOTIFY_MOVE, 10000000000LL, NULL },
	{ "move 12.5%", 0, NOTIFY_MOVE, 12500000000LL, NULL },
	{ "below 1.00 provider=openai model=gpt-4o", 0, NOTIFY_BELOW, 1000000000LL, "gpt-4o" },
	{ "above 0.075", 0, NOTIFY_ABOVE, 75000000LL, NULL },
	{ "  any   source=openai ", 0, NOTIFY_ANY, 0, NULL },
	{ "", TT_EINVAL, 0, 0, NULL },
	{ "move", TT_EINVAL, 0, 0, NULL },
	{ "move -5", TT_EINVAL, 0, 0, NULL },
	{ "below cheap", TT_EINVAL, 0, 0, NULL },
	{ "sometimes", TT_EINVAL, 0, 0, NULL },
	{ "any colour=red", TT_EINVAL, 0, 0, NULL },
	{ "any model", TT_EINVAL, 0, 0, NULL },
};

static void test_rule_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(rule_cases); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct notify_rule r;
		struct tt_error err = { 0 };
		int rc = notify_rule_parse(c->text, &r, &err);
		if (rc != c->rc)
			fail_msg("'%s': rc %d (%s)", c->text, rc, err.msg);
		if (rc == 0 && (r.kind != c->kind || r.value != c->value))
			fail_msg("'%s': kind %d value %lld", c->text, r.kind, (long long)r.value);
		if (c->model && (!r.model || strcmp(r.model, c->model)))
			fail_msg("'%s': model filter", c->text);
		notify_rule_release(&r);
	}
}

struct match_case {
	const char *rule;
	const char *change;
	int has_old;
	int64_t old_nanos, new_nanos;
	int match;
};

#define P(x) ((int64_t)((x) * 1000000LL)) /* micro-dollars, exact for these */

static const struct match_case match_cases[] = {
	{ "any", "down", 1, P(2000), P(1500), 1 },
	{ "any", "new", 0, 0, P(100), 1 },
	{ "move 25", "down", 1, P(2000), P(1500), 1 },     /* exactly 25% */
	{ "move 25.01", "down", 1, P(2000), P(1500), 0 },
	{ "move 10", "up", 1, P(1000), P(1099), 0 },        /* 9.9% */
	{ "move 10", "up", 1, P(1000), P(1100), 1 },
	{ "move 10", "new", 0, 0, P(1000), 0 },            /* a new model is no move */
	{ "below 1.80", "down", 1, P(2000), P(1500), 1 },   /* crosses */
	{ "below 1.80", "down", 1, P(1700), P(1500), 0 },   /* already below */
	{ "below 1.80", "new", 0, 0, P(1000), 1 },          /* appears below */
	{ "below 1.50", "down", 1, P(2000), P(1500), 0 },   /* reaches, not under */
	{ "above 1.80", "up", 1, P(1500), P(2000), 1 },
	{ "above 1.80", "down", 1, P(2000), P(1500), 0 },
	{ "any model=gpt-x", "down", 1, P(2000), P(1500), 1 },
	{ "any model=other", "down", 1, P(2000), P(1500), 0 },
	{ "any source=anthropic", "down", 1, P(2000), P(1500), 0 },
};

static void test_rule_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];
		struct notify_rule r;
		struct notify_event e = { 0 };
		assert_int_equal(notify_rule_parse(c->rule, &r, NULL), 0);
		e.kind = "change";
		e.source = "openai";
		e.provider = "openai";
		e.model = "gpt-x";
		e.dimension = "input";
		e.tier = "standard";
		e.change = c->change;
		e.has_old = c->has_old;
		e.old_nanos = c->old_nanos;
		e.has_new = 1;
		e.new_nanos = c->new_nanos;
		if (notify_rule_matches(&r, &e) != c->match)
			fail_msg("case %zu '%s' %s: expected %d", i, c->rule, c->change, c->match);
		notify_rule_release(&r);
	}
}

struct split_case {
	const char *line;
	int n;
	const char *words[4];
};

static const struct split_case split_cases[] = {
	{ "/usr/bin/notify-send tokentrend", 2, { "/usr/bin/notify-send", "tokentrend" } },
	{ "  a   'b c'  \"d \\\"e\\\"\" ", 3, { "a", "b c", "d \"e\"" } },
	{ "x $(rm -rf /) ; y", 6, { "x", "$(rm", "-rf", "/)" } },   /* nothing is expanded */
	{ "a\\ b", 1, { "a b" } },
	{ "", TT_EINVAL, { NULL } },
	{ "'open", TT_EINVAL, { NULL } },
};

static void test_split_command(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		char **argv = NULL;
		int k, n = notify_split_command(c->line, &argv, NULL);
		if (n != c->n)
			fail_msg("'%s': %d words", c->line, n);
		for (k = 0; n > 0 && k < 4 && c->words[k]; k++)
			if (strcmp(argv[k], c->words[k]))
				fail_msg("'%s': word %d is '%s'", c->line, k, argv[k]);
		notify_argv_free(argv);
	}
}

/* The runner: no shell, stdin and stdout, status, not found, time limit. */
static void test_proc(void **state)
{
	char *echo[] = { (char *)"printf", (char *)"%s|", (char *)"a;b", (char *)"$(id)", NULL };
	char *cat[] = { (char *)"cat", NULL };
	char *env[] = { (char *)"sh", (char *)"-c", (char *)"printf %s \"$TT_X\"", NULL };
	char *add[] = { (char *)"TT_X=$(never run)", NULL };
	char *fail[] = { (char *)"false", NULL };
	char *none[] = { (char *)"tokentrend-no-such-program", NULL };
	char *slow[] = { (char *)"sleep", (char *)"5", NULL };
	struct buf out = BUF_INIT;
	struct tt_error err = { 0 };
	int status;

	(void)state;
	assert_int_equal(proc_run(echo, NULL, NULL, 0, &out, NULL, 5000, &status, &err), 0);
	assert_string_equal(out.buf, "a;b|$(id)|");
	assert_int_equal(status, 0);
	buf_reset(&out);
	assert_int_equal(proc_run(cat, NULL, "hello\n", 6, &out, NULL, 5000, &status, &err), 0);
	assert_string_equal(out.buf, "hello\n");
	buf_reset(&out);
	/* (sh here only prints the variable: its value is never evaluated) */
	assert_int_equal(proc_run(env, add, NULL, 0, &out, NULL, 5000, &status, &err), 0);
	assert_string_equal(out.buf, "$(never run)");
	assert_int_equal(proc_run(fail, NULL, NULL, 0, NULL, NULL, 5000, &status, &err), 0);
	assert_int_equal(status, 1);
	assert_int_equal(proc_run(none, NULL, NULL, 0, NULL, NULL, 5000, &status, &err), TT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "tokentrend-no-such-program"));
	assert_int_equal(proc_run(slow, NULL, NULL, 0, NULL, NULL, 100, &status, &err), TT_EFAIL);
	assert_non_null(strstr(err.msg, "longer than 100 ms"));
	buf_release(&out);
}

/* The configuration file: keys, sections, errors with FILE:LINE, and a
 * webhook that is never echoed. */
static void test_settings_file(void **state)
{
	struct conf_case {
		const char *text;
		int rc;
		const char *err_has;
	} cases[] = {
		{ "", 0, NULL },
		{ "# c\n[fetch]\nparallel = 8\nmax_body = 64M\nrobots = no\n[source openrouter]\nurl = https://mirror.example/models\n"
		  "total_timeout_ms = 180000\n[notify]\nwebhook = https://hooks.example/T0/SECRET\ncommand = /bin/echo 'a b'\n"
		  "rule = move 10\nrule = below 1.00 model=gpt-4o\nfailing_runs = 2\n", 0, NULL },
		{ "[fetch]\nparallel = 0\n", TT_EINVAL, ":2: parallel wants a whole number from 1 to 64" },
		{ "[fetch]\nfrobs = 1\n", TT_EINVAL, ":2: unknown key 'frobs'" },
		{ "[source openai]\nparallel = 3\n", TT_EINVAL, "unknown key 'parallel' in [source]" },
		{ "[weird]\n", TT_EINVAL, "unknown section [weird]" },
		{ "[notify]\nwebhook = ftp://SECRET/hook\n", TT_EINVAL, "value not shown" },
		{ "[notify]\nrule = sometimes\n", TT_EINVAL, ":2: rule 'sometimes'" },
		{ "just words\n", TT_EINVAL, ":1: expected 'key = value'" },
	};
	size_t i;
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct settings s;
		struct tt_error err = { 0 };
		FILE *f = fopen(path, "w");
		int rc;
		fputs(cases[i].text, f);
		fclose(f);
		settings_init(&s);
		rc = settings_load(&s, path, &err);
		if (rc != cases[i].rc)
			fail_msg("config %zu: rc %d (%s)", i, rc, err.msg);
		if (cases[i].err_has && !strstr(err.msg, cases[i].err_has))
			fail_msg("config %zu: '%s' lacks '%s'", i, err.msg, cases[i].err_has);
		if (rc < 0)
			assert_null(strstr(err.msg, "SECRET"));
		if (i == 1) {
			struct http_opts o;
			const char *url;
			assert_int_equal(s.parallel, 8);
			assert_int_equal(s.robots, 0);
			assert_int_equal(s.http.max_body, 64u << 20);
			assert_int_equal(s.notify.nrules, 2);
			assert_int_equal(s.notify.failing_runs, 2);
			assert_string_equal(s.notify.command[1], "a b");
			settings_source_http(&s, "openrouter", "https://openrouter.ai/api/v1/models", &o, &url);
			assert_string_equal(url, "https://mirror.example/models");
			assert_int_equal(o.total_timeout_ms, 180000);
			assert_int_equal(o.max_body, 64u << 20);
			settings_source_http(&s, "openai", "https://x/", &o, &url);
			assert_string_equal(url, "https://x/");
			assert_int_equal(o.total_timeout_ms, 0);
		}
		settings_release(&s);
	}
	/* an explicit file that does not exist is an error; the default one may be absent */
	{
		struct settings s;
		settings_init(&s);
		assert_int_equal(settings_load(&s, "/nonexistent/tokentrend.conf", NULL), TT_EIO);
		settings_release(&s);
	}
}

/* ---- notify_run end to end ---- */

static void add_price(struct price_list *l, const char *model, const char *dim, const char *text)
{
	struct price p = { 0 };

	p.provider = "openai";
	p.model = (char *)model;
	p.dimension = (char *)dim;
	p.unit = "1M tokens";
	p.currency = "USD";
	p.text = (char *)text;
	assert_int_equal(money_parse_str(text, 0, &p.nanos, NULL), 0);
	assert_int_equal(price_list_add(l, &p), 0);
}

/* One live run of source "openai" on date with the given outcome. */
static void live_day(struct store *st, const char *date, const struct price_list *l, const char *status)
{
	struct store_source_outcome o = { 0 };
	int64_t run = 0;
	char ts[32];

	snprintf(ts, sizeof(ts), "%sT06:00:00Z", date);
	assert_int_equal(store_run_begin(st, "scrape", ts, &run, NULL), 0);
	if (l)
		assert_int_equal(store_observe(st, run, "openai", date, l, "test", NULL, NULL), 0);
	o.source = "openai";
	o.obs_date = date;
	o.status = status;
	o.error = strcmp(status, "ok") ? "HTTP 503" : NULL;
	assert_int_equal(store_source_outcome(st, run, &o, NULL), 0);
	assert_int_equal(store_run_finish(st, run, ts, strcmp(status, "ok") ? "failed" : "ok", NULL), 0);
}

static void test_notify_run(void **state)
{
	static struct httpd_route hook_ok[] = {
		{ "/hooks/T0/SECRET", { { NULL, 200, NULL, "ok", 0, 0, 0, 0 } }, 0, "", "" },
	};
	static struct httpd_route hook_down[] = {
		{ "/hooks/T0/SECRET", { { NULL, 500, NULL, "down", 0, 0, 0, 0 } }, 0, "", "" },
	};
	struct httpd srv;
	struct store *st = NULL;
	struct price_list d1 = PRICE_LIST_INIT, d2 = PRICE_LIST_INIT;
	struct notify_config cfg = { 0 };
	struct notify_report rep;
	struct tt_error err = { 0 };
	char url[256], script[256], out[256], pwned[256], cmdline[1024], weird[512];
	char *got;
	FILE *f;

	(void)state;
	assert_int_equal(httpd_start(&srv), 0);
	snprintf(script, sizeof(script), "%s/hook.sh", tmpdir);
	snprintf(out, sizeof(out), "%s/hook.out", tmpdir);
	snprintf(pwned, sizeof(pwned), "%s/PWNED", tmpdir);
	f = fopen(script, "w");
	fputs("#!/bin/sh\nout=$1\nshift\n{ printf 'ARGS:%s\\n' \"$*\"; cat; printf '\\n'; env | grep '^TOKENTREND_' | sort; } >> \"$out\"\n", f);
	fclose(f);
	chmod(script, 0755);

	assert_int_equal(store_open(":memory:", 0, &st, NULL), 0);
	add_price(&d1, "gpt-x", "input", "2.00");
	add_price(&d1, "gpt-x", "output", "8.00");
	live_day(st, "2026-01-05", &d1, "ok");
	/* day 2: input down 25%, output the same, a new model with a hostile name */
	snprintf(weird, sizeof(weird), "evil$(touch %s)`touch %s`;'\"", pwned, pwned);
	add_price(&d2, "gpt-x", "input", "1.50");
	add_price(&d2, "gpt-x", "output", "8.00");
	add_price(&d2, weird, "input", "0.10");
	live_day(st, "2026-01-06", &d2, "ok");

	cfg.webhook = strdup(httpd_url(&srv, "/hooks/T0/SECRET", url, sizeof(url)));
	snprintf(cmdline, sizeof(cmdline), "'%s' '%s' 'an arg; $(id)'", script, out);
	assert_true(notify_split_command(cmdline, &cfg.command, NULL) == 3);
	cfg.failing_runs = 3;
	cfg.timeout_ms = 5000;

	/* the webhook is down: nothing is marked sent, the URL is never named */
	httpd_routes(&srv, hook_down, 1);
	assert_int_equal(notify_run(st, &cfg, "2026-01-06", &rep, &err), TT_ENET);
	assert_int_equal(rep.events, 2); /* the first run's "new" prices are not news */
	assert_int_equal(rep.failed, 2);
	assert_null(strstr(err.msg, "SECRET"));
	assert_null(strstr(err.msg, "127.0.0.1"));
	assert_non_null(strstr(err.msg, "webhook"));

	/* up again: both delivered */
	unlink(out);
	httpd_routes(&srv, hook_ok, 1);
	assert_int_equal(notify_run(st, &cfg, "2026-01-06", &rep, &err), 0);
	assert_int_equal(rep.delivered, 2);
	assert_non_null(strstr(hook_ok[0].last_body, "\"text\":\"tokentrend: 2 price events"));
	assert_non_null(strstr(hook_ok[0].last_body, "gpt-x input standard: 2.00 -> 1.50 USD per 1M tokens (down 25.0%)"));
	assert_non_null(strstr(hook_ok[0].last_body, "\"change\":\"down\""));
	assert_non_null(strstr(hook_ok[0].last_body, "\"old_price\":\"2.00\",\"price\":\"1.50\""));
	assert_non_null(strstr(hook_ok[0].last_request, "Content-Type: application/json"));
	got = tt_read_file(out, NULL);
	assert_non_null(got);
	assert_non_null(strstr(got, "ARGS:an arg; $(id)"));
	assert_non_null(strstr(got, "\"change\":\"down\""));                 /* JSON on stdin */
	assert_non_null(strstr(got, "TOKENTREND_PRICE=1.50"));
	assert_non_null(strstr(got, "TOKENTREND_OLD_PRICE=2.00"));
	assert_non_null(strstr(got, "TOKENTREND_CHANGE=new"));
	assert_non_null(strstr(got, "TOKENTREND_MODEL=evil$(touch "));       /* literal */
	free(got);
	assert_int_not_equal(access(pwned, F_OK), 0);                         /* never run */

	/* again: nothing new */
	assert_int_equal(notify_run(st, &cfg, "2026-01-06", &rep, &err), 0);
	assert_int_equal(rep.events, 0);

	/* a rule that selects only big moves: a 25% cut is not one */
	{
		struct price_list d3 = PRICE_LIST_INIT;
		add_price(&d3, "gpt-x", "input", "1.20"); /* -20% */
		add_price(&d3, "gpt-x", "output", "8.00");
		add_price(&d3, weird, "input", "0.10");
		live_day(st, "2026-01-07", &d3, "ok");
		cfg.rules = calloc(1, sizeof(*cfg.rules));
		cfg.nrules = 1;
		assert_int_equal(notify_rule_parse("move 30", &cfg.rules[0], NULL), 0);
		assert_int_equal(notify_run(st, &cfg, "2026-01-07", &rep, &err), 0);
		assert_int_equal(rep.events, 0);
		price_list_release(&d3);
	}

	/* three failed runs in a row: one alert; a fourth adds none */
	live_day(st, "2026-01-08", NULL, "blocked");
	live_day(st, "2026-01-09", NULL, "failed");
	assert_int_equal(notify_run(st, &cfg, "2026-01-09", &rep, &err), 0);
	assert_int_equal(rep.events, 0);
	live_day(st, "2026-01-10", NULL, "failed");
	assert_int_equal(notify_run(st, &cfg, "2026-01-10", &rep, &err), 0);
	assert_int_equal(rep.events, 1);
	assert_non_null(strstr(hook_ok[0].last_body, "openai has failed 3 runs in a row (since 2026-01-08): HTTP 503"));
	live_day(st, "2026-01-11", NULL, "failed");
	assert_int_equal(notify_run(st, &cfg, "2026-01-11", &rep, &err), 0);
	assert_int_equal(rep.events, 0);

	notify_config_release(&cfg);
	price_list_release(&d1);
	price_list_release(&d2);
	store_close(st);
	httpd_stop(&srv);
}

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tt-notify-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	curl_global_cleanup();
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_parse),
		cmocka_unit_test(test_rule_match),
		cmocka_unit_test(test_split_command),
		cmocka_unit_test(test_proc),
		cmocka_unit_test(test_settings_file),
		cmocka_unit_test(test_notify_run),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
