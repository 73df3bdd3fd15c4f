/*
 * sources.c - `tokentrend sources`: the catalog of sources.
 *
 *   sources [list] [--format table|csv|json]     built-in and user-defined sources
 *   sources show ID [--format table|json]        one source: URL, format, floor,
 *                                                anchors, rules, last outcomes
 *   sources test ID FILE [--date D] [--format table|csv|json]
 *                                                what the extractor would store from
 *                                                a saved file; never opens the database
 *
 * A source whose extractor was built from a documented format without a
 * real capture to confirm it is shown as UNVERIFIED (catalog.h verified).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/health.h"
#include "tokentrend/catalog.h"
#include "tokentrend/clock.h"
#include "tokentrend/json.h"
#include "tokentrend/query.h"
#include "tokentrend/store.h"
#include "tokentrend/usersrc.h"
#include "tokentrend/validate.h"

#define SOURCES_SHOW_RUNS 10

/* Kind of source by its rank (query_source_rank: lower wins); a source
 * without an extractor (the ECB's exchange rates) holds no prices to rank. */
static const char *rank_name(const struct source_def *s)
{
	int r = query_source_rank(s->id);

	if (!s->extract)
		return "none";

	return r < 100 ? "first-party" : r < 200 ? "feed" : r < 300 ? "user" : "aggregator";
}

/* How a source's data comes in: fetched by `scrape` from its URL, read by
 * its extractor from saved files only, or loaded by `import` only. */
static const char *scraped_name(const struct source_def *s)
{
	return s->url ? "live" : s->extract ? "replay" : "import";
}

static int sources_list(int fmt)
{
	struct buf out = BUF_INIT;
	size_t i;
	int rc;

	if (fmt == QUERY_FORMAT_JSON)
		buf_addch(&out, '[');
	else if (fmt == QUERY_FORMAT_CSV)
		buf_adds(&out, "id,name,format,rank,scraped,url,verified,user_defined\n");
	else
		buf_addf(&out, "%-11s %-9s %-12s %-8s %-10s %s\n", "ID", "FORMAT", "RANK", "SCRAPED",
			 "VERIFIED", "URL / NAME");
	for (i = 0; i < catalog_count(); i++) {
		const struct source_def *s = catalog_at(i);
		const char *scraped = scraped_name(s);
		int user = catalog_is_user(s);
		if (fmt == QUERY_FORMAT_JSON) {
			buf_adds(&out, i ? ",\n {\"id\":" : "\n {\"id\":");
			json_buf_add_string(&out, s->id);
			buf_adds(&out, ",\"name\":");
			json_buf_add_string(&out, s->name);
			buf_addf(&out, ",\"format\":\"%s\",\"rank\":\"%s\",\"scraped\":%s,\"verified\":%s,\"url\":",
				 catalog_format_name(s->format), rank_name(s), s->url ? "true" : "false",
				 s->verified ? "true" : "false");
			if (s->url)
				json_buf_add_string(&out, s->url);
			else
				buf_adds(&out, "null");
			buf_addf(&out, ",\"user_defined\":%s}", user ? "true" : "false");
		} else if (fmt == QUERY_FORMAT_CSV) {
			buf_addf(&out, "%s,\"%s\",%s,%s,%s,%s,%s,%s\n", s->id, s->name, catalog_format_name(s->format),
				 rank_name(s), scraped, s->url ? s->url : "", s->verified ? "yes" : "no",
				 user ? "yes" : "no");
		} else {
			buf_addf(&out, "%-11s %-9s %-12s %-8s %-10s %s%s\n", s->id, catalog_format_name(s->format),
				 rank_name(s), scraped, user ? "user" : s->verified ? "yes" : "UNVERIFIED",
				 s->url ? s->url : s->name, user ? "  (user-defined)" : "");
		}
	}
	if (fmt == QUERY_FORMAT_JSON)
		buf_adds(&out, "\n]\n");
	rc = cli_write(&out);
	buf_release(&out);
	return rc;
}

/* Open the database for reading the outcomes, only when it exists. */
static int show_open(struct app *app, struct store **st, struct buf *why)
{
	struct tt_error err = { 0 };
	struct stat sb;
	int r;

	*st = NULL;
	if (strcmp(app->db_path, ":memory:") && stat(app->db_path, &sb) < 0 && errno == ENOENT) {
		buf_addf(why, "no database at '%s'", app->db_path);
		return TT_EXIT_OK;
	}
	r = store_open(app->db_path, 0, st, &err);
	if (r < 0) {
		cli_report("database", r, &err);
		return r == TT_EBUSY ? TT_EXIT_BUSY : TT_EXIT_DB;
	}
	return TT_EXIT_OK;
}

static void show_rules(struct buf *out, const struct usersrc *u)
{
	size_t i;

	buf_addf(out, "%-14s %s:%d\n", "defined in", u->file, u->line);
	buf_addf(out, "%-14s %s, %s per %s\n", "declared", u->provider, u->currency,
		 u->unit == MONEY_UNIT_PER_TOKEN ? "token" : u->unit == MONEY_UNIT_PER_1K ? "1K tokens" : "1M tokens");
	if (u->table)
		buf_addf(out, "%-14s %s\n", "table", u->table);
	if (u->table_header)
		buf_addf(out, "%-14s %s\n", "table_header", u->table_header);
	if (u->rows)
		buf_addf(out, "%-14s %s\n", "rows", u->rows);
	if (u->anchor)
		buf_addf(out, "%-14s %s\n", "anchor", u->anchor);
	if (u->items)
		buf_addf(out, "%-14s %s\n", "items", u->items);
	buf_addf(out, "%-14s %s\n", "model", u->model);
	for (i = 0; i < u->nrules; i++)
		buf_addf(out, "%-14s %s/%s = %s\n", i ? "" : "price rules", u->rules[i].dimension,
			 u->rules[i].tier, u->rules[i].rule);
}

static int sources_show(const struct source_def *s, int fmt, struct app *app)
{
	struct store_outcome_rows rows = STORE_OUTCOME_ROWS_INIT;
	struct buf out = BUF_INIT, why = BUF_INIT, anchors = BUF_INIT;
	struct tt_error err = { 0 };
	struct store *st = NULL;
	const struct usersrc *u = catalog_is_user(s) ? usersrc_find(s->id) : NULL;
	size_t i;
	int rc;

	rc = show_open(app, &st, &why);
	if (rc != TT_EXIT_OK)
		return rc;
	if (st && store_source_history(st, s->id, SOURCES_SHOW_RUNS, &rows, &err) < 0) {
		rc = cli_report("sources show", TT_EDB, &err);
		goto out;
	}
	for (i = 0; s->anchors && s->anchors[i]; i++)
		buf_addf(&anchors, "%s%s", i ? ", " : "", s->anchors[i]);
	if (fmt == QUERY_FORMAT_JSON) {
		buf_adds(&out, "{\"id\":");
		json_buf_add_string(&out, s->id);
		buf_adds(&out, ",\"name\":");
		json_buf_add_string(&out, s->name);
		buf_adds(&out, ",\"url\":");
		if (s->url)
			json_buf_add_string(&out, s->url);
		else
			buf_adds(&out, "null");
		buf_addf(&out, ",\"format\":\"%s\",\"rank\":\"%s\",\"scraped\":%s,\"user_defined\":%s,"
			       "\"min_models\":%zu,\"anchors\":[",
			 catalog_format_name(s->format), rank_name(s), s->url ? "true" : "false",
			 u ? "true" : "false", s->min_models);
		for (i = 0; s->anchors && s->anchors[i]; i++) {
			if (i)
				buf_addch(&out, ',');
			json_buf_add_string(&out, s->anchors[i]);
		}
		buf_adds(&out, "],\"defined_in\":");
		if (u) {
			struct buf d = BUF_INIT;
			buf_addf(&d, "%s:%d", u->file, u->line);
			json_buf_add_string(&out, d.buf);
			buf_release(&d);
		} else {
			buf_adds(&out, "null");
		}
		buf_adds(&out, ",\"outcomes\":[");
		for (i = 0; i < rows.n; i++) {
			const struct store_outcome_row *o = &rows.v[i];
			buf_addf(&out, "%s\n {\"run\":%lld,\"kind\":", i ? "," : "", (long long)o->run_id);
			json_buf_add_string(&out, o->run_kind);
			buf_adds(&out, ",\"started\":");
			json_buf_add_string(&out, o->started);
			buf_addf(&out, ",\"date\":\"%s\",\"status\":", o->obs_date);
			json_buf_add_string(&out, o->status);
			buf_addf(&out, ",\"http_status\":%d,\"bytes\":%zu,\"models\":%zu,\"prices\":%zu,\"origin\":",
				 o->http_status, o->bytes, o->models, o->prices);
			if (o->origin)
				json_buf_add_string(&out, o->origin);
			else
				buf_adds(&out, "null");
			buf_adds(&out, ",\"error\":");
			if (o->error)
				json_buf_add_string(&out, o->error);
			else
				buf_adds(&out, "null");
			buf_addch(&out, '}');
		}
		buf_adds(&out, rows.n ? "\n]}\n" : "]}\n");
	} else {
		buf_addf(&out, "%-14s %s\n", "id", s->id);
		buf_addf(&out, "%-14s %s\n", "name", s->name);
		buf_addf(&out, "%-14s %s\n", "url", s->url ? s->url : "(none: imported or replayed from files)");
		buf_addf(&out, "%-14s %s\n", "format", catalog_format_name(s->format));
		buf_addf(&out, "%-14s %s%s\n", "rank", rank_name(s), u ? " (user-defined)" : "");
		buf_addf(&out, "%-14s %s\n", "scraped",
			 s->url ? (s->extract ? "live, and from saved files" : "live (exchange rates)")
				: s->extract ? "from saved files only (scrape --from-dir/--file, import)"
					     : "no (import only)");
		buf_addf(&out, "%-14s at least %zu models, and no fewer than half of the last good run\n",
			 "floor", s->min_models);
		buf_addf(&out, "%-14s %s\n", "anchor models", anchors.len ? anchors.buf : "(none)");
		if (u)
			show_rules(&out, u);
		if (!st) {
			buf_addf(&out, "\nlast outcomes: none (%s)\n", why.buf);
		} else if (rows.n == 0) {
			buf_adds(&out, "\nlast outcomes: none recorded\n");
		} else {
			buf_addf(&out, "\nlast outcomes (newest first):\n%-6s %-7s %-20s %-10s %-12s %5s %6s %6s  %s\n",
				 "RUN", "KIND", "STARTED", "DATE", "STATUS", "HTTP", "MODELS", "PRICES", "ERROR / ORIGIN");
			for (i = 0; i < rows.n; i++) {
				const struct store_outcome_row *o = &rows.v[i];
				buf_addf(&out, "%-6lld %-7s %-20s %-10s %-12s %5d %6zu %6zu  %s\n",
					 (long long)o->run_id, o->run_kind, o->started, o->obs_date, o->status,
					 o->http_status, o->models, o->prices,
					 o->error ? o->error : o->origin ? o->origin : "");
			}
		}
	}
	rc = cli_write(&out);
out:
	store_outcome_rows_release(&rows);
	store_close(st);
	buf_release(&out);
	buf_release(&why);
	buf_release(&anchors);
	return rc;
}

/* What the extractor would store from a saved file: no database at all. */
static int sources_test(const struct source_def *s, const char *file, const char *date, int fmt)
{
	struct buf body = BUF_INIT, out = BUF_INIT;
	struct price_list prices = PRICE_LIST_INIT;
	struct price_rows rows = PRICE_ROWS_INIT;
	struct extract_skips skips = EXTRACT_SKIPS_INIT;
	struct extract_ctx ctx = { s->id, date, file, &skips };
	struct validate_report rep;
	struct tt_error err = { 0 };
	size_t i;
	int rc, vrc;

	validate_report_init(&rep);
	if (!s->extract) {
		cli_error("source '%s' is imported, not scraped: it has no extractor to test", s->id);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if ((rc = buf_read_file(&body, file, &err)) < 0) {
		rc = cli_report("sources test", rc, &err);
		goto out;
	}
	rc = s->extract(body.buf, body.len, &ctx, &prices, &err);
	if (rc < 0) {
		rc = cli_report(s->id, rc, &err);
		goto out;
	}
	/* The checks that need no history: bounds, floor, anchors, relations. */
	vrc = validate_prices(s, &prices, &rep, &err);
	rows.v = calloc(prices.n ? prices.n : 1, sizeof(*rows.v));
	if (!rows.v) {
		cli_error("out of memory");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rows.alloc = prices.n ? prices.n : 1;
	for (i = 0; i < prices.n; i++) {
		struct price_row *r = &rows.v[rows.n++];
		const char *from = prices.v[i].effective ? prices.v[i].effective : date;
		r->p = prices.v[i]; /* the strings move to the row */
		r->source = strdup(s->id);
		snprintf(r->valid_from, sizeof(r->valid_from), "%s", from);
		snprintf(r->first_seen, sizeof(r->first_seen), "%s", date);
		snprintf(r->last_seen, sizeof(r->last_seen), "%s", date);
	}
	prices.n = 0;
	if (query_render(&rows, fmt, 0, 0, &out) < 0) {
		cli_error("out of memory");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
	if (rc != TT_EXIT_OK)
		goto out;
	if (rep.notes.len)
		fprintf(stderr, "%s", rep.notes.buf);
	for (i = 0; i < skips.n; i++)
		fprintf(stderr, "tokentrend: %s: skipped %zu: %s%s%s\n", s->id, skips.v[i].count,
			skips.v[i].reason, skips.v[i].example ? ", e.g. " : "",
			skips.v[i].example ? skips.v[i].example : "");
	if (vrc < 0) {
		rc = cli_report(s->id, vrc, &err);
		fprintf(stderr, "tokentrend: %s: a scrape of this file would store nothing (fail closed)\n", s->id);
	} else {
		fprintf(stderr, "tokentrend: %s: %zu prices, %zu models would be stored as observed on %s "
			"(plus the checks against stored history: half of the last good run, 10x jumps)\n",
			s->id, rows.n, rep.models, date);
	}
out:
	validate_report_release(&rep);
	price_list_release(&prices);
	price_rows_release(&rows);
	extract_skips_release(&skips);
	buf_release(&body);
	buf_release(&out);
	return rc;
}

#define SOURCES_STATUS_RUNS 6

/*
 * `sources status`: each source's health (health.h: last success, last
 * failure and its reason, failing streak, models now) and, in the table,
 * the model counts of its latest runs, newest first: a page that is
 * losing models shows here before the half rule refuses it.
 */
static int sources_status(int fmt, struct app *app)
{
	struct health_report h;
	struct buf out = BUF_INIT, why = BUF_INIT;
	struct tt_error err = { 0 };
	struct store *st = NULL;
	size_t i, k;
	int rc;

	memset(&h, 0, sizeof(h));
	rc = show_open(app, &st, &why);
	if (rc != TT_EXIT_OK)
		goto out;
	if (!st) {
		cli_error("sources status: %s; create it with 'tokentrend init'", why.buf);
		rc = TT_EXIT_DB;
		goto out;
	}
	if (health_report(st, &h, &err) < 0) {
		rc = cli_report("sources status", err.code ? err.code : TT_EDB, &err);
		goto out;
	}
	health_render(&h, (enum query_format)fmt, &out);
	if (fmt == QUERY_FORMAT_TABLE) {
		buf_addf(&out, "\nmodels found by the latest runs (newest first; 'x' = failed):\n");
		for (i = 0; i < h.n; i++) {
			struct store_outcome_rows rows = STORE_OUTCOME_ROWS_INIT;
			if (store_source_history(st, h.v[i].source, SOURCES_STATUS_RUNS, &rows, &err) < 0) {
				store_outcome_rows_release(&rows);
				rc = cli_report("sources status", err.code ? err.code : TT_EDB, &err);
				goto out;
			}
			if (!rows.n) {
				store_outcome_rows_release(&rows);
				continue;
			}
			buf_addf(&out, "  %-11s", h.v[i].source);
			for (k = 0; k < rows.n; k++) {
				const struct store_outcome_row *o = &rows.v[k];
				if (!strcmp(o->status, "ok") || !strcmp(o->status, "unchanged"))
					buf_addf(&out, " %s:%zu", o->obs_date, o->models);
				else
					buf_addf(&out, " %s:x", o->obs_date);
			}
			buf_addch(&out, '\n');
			store_outcome_rows_release(&rows);
		}
	}
	rc = cli_write(&out);
out:
	health_report_release(&h);
	store_close(st);
	buf_release(&out);
	buf_release(&why);
	return rc;
}

int cmd_sources(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "date", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("sources");
	const struct source_def *s;
	const char *sub = "list", *date = NULL;
	char today[11];
	int c, fmt = QUERY_FORMAT_TABLE, fmt_set = 0, rc;

	while ((c = getopt_long(argc, argv, "F:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			fmt = query_format_parse(optarg);
			if (fmt < 0)
				return cli_usage(self, "unknown format '%s' (table, csv or json)", optarg);
			fmt_set = 1;
			break;
		case 'D': date = optarg; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		sub = argv[optind++];
	if (date && (strcmp(sub, "test") || !date_valid(date)))
		return cli_usage(self, strcmp(sub, "test") ? "--date goes with test"
							   : "--date is not a valid YYYY-MM-DD date");
	rc = cli_load_user_sources(app);
	if (rc != TT_EXIT_OK)
		return rc;
	if (!strcmp(sub, "list")) {
		if (optind < argc)
			return cli_usage(self, "unexpected argument '%s'", argv[optind]);
		return sources_list(fmt);
	}
	if (!strcmp(sub, "status")) {
		if (optind < argc)
			return cli_usage(self, "unexpected argument '%s'", argv[optind]);
		return sources_status(fmt, app);
	}
	if (strcmp(sub, "show") && strcmp(sub, "test"))
		return cli_usage(self, "unknown subcommand '%s' (list, status, show or test)", sub);
	if (optind >= argc)
		return cli_usage(self, "'sources %s' needs a source ID", sub);
	s = catalog_find(argv[optind]);
	if (!s)
		return cli_usage(self, "unknown source '%s' (see 'tokentrend sources')", argv[optind]);
	optind++;
	if (!strcmp(sub, "show")) {
		if (optind < argc)
			return cli_usage(self, "unexpected argument '%s'", argv[optind]);
		if (fmt_set && fmt == QUERY_FORMAT_CSV)
			return cli_usage(self, "sources show prints a table or JSON");
		return sources_show(s, fmt, app);
	}
	if (optind >= argc)
		return cli_usage(self, "'sources test %s' needs a FILE", s->id);
	if (optind + 1 < argc)
		return cli_usage(self, "unexpected argument '%s'", argv[optind + 1]);
	if (!date)
		date = clock_today(today);
	return sources_test(s, argv[optind], date, fmt);
}
