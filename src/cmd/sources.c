/*
 * sources.c - `tokentrend sources [list]`: the built-in sources.
 * A source whose extractor was built from a documented format without a
 * real capture to confirm it is shown as UNVERIFIED (catalog.h verified).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/catalog.h"
#include "tokentrend/json.h"
#include "tokentrend/query.h"

/* Kind of source by its rank (query_source_rank: lower wins). */
static const char *rank_name(const char *id)
{
	int r = query_source_rank(id);

	return r < 100 ? "first-party" : r < 200 ? "feed" : r < 300 ? "user" : "aggregator";
}

int cmd_sources(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("sources");
	struct buf out = BUF_INIT;
	int c, fmt = QUERY_FORMAT_TABLE, rc;
	size_t i;

	(void)app;
	while ((c = getopt_long(argc, argv, "F:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			fmt = query_format_parse(optarg);
			if (fmt < 0)
				return cli_usage(self, "unknown format '%s' (table, csv or json)", optarg);
			break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc && strcmp(argv[optind], "list"))
		return cli_usage(self, "unknown subcommand '%s'", argv[optind]);

	if (fmt == QUERY_FORMAT_JSON)
		buf_addch(&out, '[');
	else if (fmt == QUERY_FORMAT_CSV)
		buf_adds(&out, "id,name,format,rank,scraped,url,verified\n");
	else
		buf_addf(&out, "%-11s %-9s %-12s %-8s %-10s %s\n", "ID", "FORMAT", "RANK", "SCRAPED",
			 "VERIFIED", "URL / NAME");
	for (i = 0; i < catalog_count(); i++) {
		const struct source_def *s = catalog_at(i);
		const char *scraped = s->extract ? "yes" : "import";
		if (fmt == QUERY_FORMAT_JSON) {
			buf_adds(&out, i ? ",\n {\"id\":" : "\n {\"id\":");
			json_buf_add_string(&out, s->id);
			buf_adds(&out, ",\"name\":");
			json_buf_add_string(&out, s->name);
			buf_addf(&out, ",\"format\":\"%s\",\"rank\":\"%s\",\"scraped\":%s,\"verified\":%s,\"url\":",
				 catalog_format_name(s->format), rank_name(s->id), s->extract ? "true" : "false",
				 s->verified ? "true" : "false");
			if (s->url)
				json_buf_add_string(&out, s->url);
			else
				buf_adds(&out, "null");
			buf_addch(&out, '}');
		} else if (fmt == QUERY_FORMAT_CSV) {
			buf_addf(&out, "%s,\"%s\",%s,%s,%s,%s,%s\n", s->id, s->name, catalog_format_name(s->format),
				 rank_name(s->id), scraped, s->url ? s->url : "", s->verified ? "yes" : "no");
		} else {
			buf_addf(&out, "%-11s %-9s %-12s %-8s %-10s %s\n", s->id, catalog_format_name(s->format),
				 rank_name(s->id), scraped, s->verified ? "yes" : "UNVERIFIED",
				 s->url ? s->url : s->name);
		}
	}
	if (fmt == QUERY_FORMAT_JSON)
		buf_adds(&out, "\n]\n");
	rc = cli_write(&out);
	buf_release(&out);
	return rc;
}
