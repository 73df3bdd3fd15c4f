/*
 * models.c - `tokentrend models`: the model catalog (canonical ids, each
 * seller's names, capability groups) and a group's cheapest member over
 * time (the group series that `forecast --group` fits).
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "filter_opts.h"

#include "tokentrend/json.h"
#include "tokentrend/models.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/series_mix.h"
#include "tokentrend/store.h"

static const struct option models_options[] = {
	{ "group", required_argument, NULL, 'g' },
	{ "dimension", required_argument, NULL, 'd' },
	{ "tier", required_argument, NULL, 't' },
	{ "provider", required_argument, NULL, 'p' },
	{ "source", required_argument, NULL, 's' },
	{ "all-sellers", no_argument, NULL, 'L' },
	{ "models", required_argument, NULL, 'M' },
	FILTER_OPTS_FORMAT_ROW,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "gpt-4-class, frontier" for model index i. */
static int groups_text(const struct models *m, const char *id, struct buf *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < m->n_groups; i++)
		if (models_group_has(&m->groups[i], id))
			rc = buf_addf(b, "%s%s", b->len ? " " : "", m->groups[i].name);
	return rc;
}

static int list_models(const struct models *m, const char *group, int fmt, struct buf *out)
{
	const struct models_group *g = group ? models_group_find(m, group) : NULL;
	struct buf gr = BUF_INIT, nm = BUF_INIT;
	size_t i, j, shown = 0;
	int rc = 0;

	if (fmt == QUERY_FORMAT_JSON)
		rc = buf_adds(out, "[");
	else if (fmt == QUERY_FORMAT_CSV)
		rc = buf_adds(out, "model,groups,seller,name\r\n");
	else
		rc = buf_addf(out, "%-26s %-34s %s\n", "MODEL", "GROUPS", "SELLERS: NAMES");
	for (i = 0; rc == 0 && i < m->n; i++) {
		const char *id = m->v[i].id;

		if (g && !models_group_has(g, id))
			continue;
		buf_reset(&gr);
		rc = groups_text(m, id, &gr);
		if (fmt == QUERY_FORMAT_JSON) {
			rc |= buf_adds(out, shown ? ",\n {\"model\": " : "\n {\"model\": ");
			rc |= json_buf_add_string(out, id);
			rc |= buf_adds(out, ", \"groups\": [");
			for (j = 0; j < m->n_groups; j++)
				if (models_group_has(&m->groups[j], id)) {
					rc |= buf_adds(out, out->buf[out->len - 1] == '[' ? "" : ", ");
					rc |= json_buf_add_string(out, m->groups[j].name);
				}
			rc |= buf_adds(out, "], \"names\": [");
			for (j = 0; j < m->n_names; j++)
				if (m->names[j].model == i) {
					rc |= buf_adds(out, out->buf[out->len - 1] == '[' ? "{\"seller\": " : ", {\"seller\": ");
					rc |= json_buf_add_string(out, m->names[j].provider);
					rc |= buf_adds(out, ", \"name\": ");
					rc |= json_buf_add_string(out, m->names[j].name);
					rc |= buf_addch(out, '}');
				}
			rc |= buf_adds(out, "]}");
		} else if (fmt == QUERY_FORMAT_CSV) {
			for (j = 0; j < m->n_names; j++)
				if (m->names[j].model == i)
					rc |= buf_addf(out, "%s,%s,%s,%s\r\n", id, gr.buf ? gr.buf : "",
						       m->names[j].provider, m->names[j].name);
		} else {
			const char *last = NULL;

			buf_reset(&nm);
			for (j = 0; j < m->n_names; j++) {
				if (m->names[j].model != i)
					continue;
				if (!last || strcmp(last, m->names[j].provider))
					rc |= buf_addf(&nm, "%s%s: ", nm.len ? "; " : "", m->names[j].provider);
				else
					rc |= buf_addch(&nm, ' ');
				rc |= buf_adds(&nm, m->names[j].name);
				last = m->names[j].provider;
			}
			rc |= buf_addf(out, "%-26s %-34s %s\n", id, gr.buf ? gr.buf : "-", nm.buf ? nm.buf : "-");
		}
		shown++;
	}
	if (rc == 0 && fmt == QUERY_FORMAT_JSON)
		rc = buf_adds(out, shown ? "\n]\n" : "]\n");
	buf_release(&gr);
	buf_release(&nm);
	return rc ? TT_ENOMEM : 0;
}

static int list_groups(const struct models *m, int fmt, struct buf *out)
{
	size_t i, j;
	int rc = 0;

	if (fmt == QUERY_FORMAT_JSON)
		rc = buf_adds(out, "[");
	else if (fmt == QUERY_FORMAT_CSV)
		rc = buf_adds(out, "group,members,about\r\n");
	for (i = 0; rc == 0 && i < m->n_groups; i++) {
		const struct models_group *g = &m->groups[i];

		if (fmt == QUERY_FORMAT_JSON) {
			rc |= buf_adds(out, i ? ",\n {\"group\": " : "\n {\"group\": ");
			rc |= json_buf_add_string(out, g->name);
			rc |= buf_adds(out, ", \"about\": ");
			rc |= json_buf_add_string(out, g->about);
			rc |= buf_adds(out, ", \"members\": [");
			for (j = 0; j < g->n_members; j++) {
				rc |= buf_adds(out, j ? ", " : "");
				rc |= json_buf_add_string(out, g->members[j]);
			}
			rc |= buf_adds(out, "]}");
		} else if (fmt == QUERY_FORMAT_CSV) {
			rc |= buf_addf(out, "%s,", g->name);
			rc |= buf_addch(out, '"');
			for (j = 0; j < g->n_members; j++)
				rc |= buf_addf(out, "%s%s", j ? " " : "", g->members[j]);
			rc |= buf_addf(out, "\",\"%s\"\r\n", g->about);
		} else {
			rc |= buf_addf(out, "%s (%zu members): %s\n ", g->name, g->n_members, g->about);
			for (j = 0; j < g->n_members; j++)
				rc |= buf_addf(out, " %s", g->members[j]);
			rc |= buf_adds(out, "\n");
		}
	}
	if (rc == 0 && fmt == QUERY_FORMAT_JSON)
		rc = buf_adds(out, m->n_groups ? "\n]\n" : "]\n");
	return rc ? TT_ENOMEM : 0;
}

/* `models cheapest GROUP`: the group series with the member behind each point. */
static int show_cheapest(struct app *app, const struct models *m, const char *group,
			 const struct series_group_options *o, int fmt, struct buf *out)
{
	struct series s = SERIES_INIT;
	struct series_mix_trace t = SERIES_MIX_TRACE_INIT;
	struct store *st = NULL;
	struct tt_error err = { 0 };
	struct stat sb;
	char money[MONEY_FMT_MAX];
	size_t i;
	int rc;

	if (strcmp(app->db_path, ":memory:") && stat(app->db_path, &sb) < 0 && errno == ENOENT) {
		cli_error("no database at '%s'; create it with 'tokentrend init'", app->db_path);
		return TT_EXIT_DB;
	}
	rc = store_open(app->db_path, 0, &st, &err);
	if (rc < 0) {
		rc = cli_report("database", rc, &err);
		goto out;
	}
	rc = series_group_load(st, m, group, o, &s, &t, &err);
	if (rc < 0) {
		rc = cli_report("models cheapest", rc, &err);
		goto out;
	}
	if (fmt == QUERY_FORMAT_JSON)
		buf_adds(out, "[");
	else if (fmt == QUERY_FORMAT_CSV)
		buf_adds(out, "date,price,currency,seller,model,canonical,condition,region,source\r\n");
	else
		buf_addf(out, "# %s %s %s per 1M tokens: %s\n%-10s %12s  %-11s %-40s %s\n", s.model,
			 s.dimension, s.currency, s.note ? s.note : "", "date", "price", "seller",
			 "model (as sold)", "source");
	for (i = 0; i < t.n; i++) {
		const struct series_mix_pick *k = &t.v[i];

		money_format(k->nanos, money, sizeof(money));
		if (fmt == QUERY_FORMAT_JSON) {
			buf_addf(out, "%s{\"date\": \"%s\", \"price\": \"%s\", \"currency\": ",
				 i ? ",\n " : "\n ", k->date, money);
			json_buf_add_string(out, s.currency);
			buf_adds(out, ", \"seller\": ");
			json_buf_add_string(out, k->provider);
			buf_adds(out, ", \"model\": ");
			json_buf_add_string(out, k->model);
			buf_adds(out, ", \"canonical\": ");
			json_buf_add_string(out, k->canonical);
			buf_adds(out, ", \"condition\": ");
			json_buf_add_string(out, k->condition);
			buf_adds(out, ", \"region\": ");
			json_buf_add_string(out, k->region);
			buf_adds(out, ", \"source\": ");
			json_buf_add_string(out, k->source);
			buf_addch(out, '}');
		} else if (fmt == QUERY_FORMAT_CSV) {
			buf_addf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", k->date, money, s.currency,
				 k->provider, k->model, k->canonical, k->condition, k->region, k->source);
		} else {
			buf_addf(out, "%-10s %12s  %-11s %-40s %s%s%s\n", k->date, money, k->provider,
				 k->model, k->source, k->condition[0] ? "  " : "", k->condition);
		}
	}
	if (fmt == QUERY_FORMAT_JSON)
		buf_adds(out, t.n ? "\n]\n" : "]\n");
	rc = -1;
out:
	series_mix_trace_release(&t);
	series_release(&s);
	store_close(st);
	return rc;
}

int cmd_models(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("models");
	struct series_group_options go = { NULL, NULL, NULL, NULL, NULL, 0 };
	struct models m = MODELS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	const char *group = NULL, *path = NULL, *sub = "list";
	int fmt = QUERY_FORMAT_TABLE, c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", models_options, NULL)) != -1) {
		switch (c) {
		case 'g': group = optarg; break;
		case 'd': go.dimension = optarg; break;
		case 't': go.tier = optarg; break;
		case 'p': go.provider = optarg; break;
		case 's': go.source = optarg; break;
		case 'L': go.all_sellers = 1; break;
		case 'M': path = optarg; break;
		default:
			rc = filter_opts_take(cmd, FILTER_OPTS_FORMAT, c, argv, NULL, &fmt);
			if (rc != FILTER_OPTS_TAKEN)
				return rc;
		}
	}
	if (optind < argc)
		sub = argv[optind++];
	if (!strcmp(sub, "cheapest")) {
		if (optind >= argc)
			return cli_usage(cmd, "models cheapest needs a GROUP");
		group = argv[optind++];
	} else if (strcmp(sub, "list") && strcmp(sub, "groups")) {
		return cli_usage(cmd, "unknown subcommand '%s' (expected list, groups or cheapest)", sub);
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (strcmp(sub, "cheapest") && (go.dimension || go.tier || go.provider || go.source ||
					go.all_sellers))
		return cli_usage(cmd, "--dimension, --tier, --provider and --source belong to `models cheapest`");

	rc = models_load(&m, path, &err);
	if (rc < 0) {
		rc = cli_report("models", rc, &err);
		goto out;
	}
	if (group && !models_group_find(&m, group)) {
		size_t i;

		for (i = 0; i < m.n_groups; i++)
			buf_addf(&out, "%s%s", i ? ", " : "", m.groups[i].name);
		cli_error("models: no group '%s' in the model catalog (groups: %s)", group,
			  out.buf ? out.buf : "none");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	if (!strcmp(sub, "cheapest")) {
		rc = show_cheapest(app, &m, group, &go, fmt, &out);
		if (rc >= 0)
			goto out;
		rc = TT_EXIT_OK;
	} else if (!strcmp(sub, "groups")) {
		rc = list_groups(&m, fmt, &out);
	} else {
		rc = list_models(&m, group, fmt, &out);
	}
	if (rc < 0) {
		cli_error("models: out of memory");
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = cli_write(&out);
out:
	buf_release(&out);
	models_release(&m);
	return rc;
}
