/*
 * review.c - `tokentrend review`: the prices that jumped more than 10x and
 * wait for a decision (review.h).
 *
 *   review [list] [--status pending|accepted|rejected|all] [--format table|csv|json]
 *   review accept ID [--by WHO] [--why TEXT]
 *   review reject ID [--by WHO] [--why TEXT]
 *
 * The command opens the database itself: listing never creates one (like
 * every read command); accept and reject need one that exists.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/money.h"
#include "tokentrend/query.h"
#include "tokentrend/review.h"
#include "tokentrend/store.h"

static int review_open(struct app *app, struct store **st)
{
	struct tt_error err = { 0 };
	struct stat sb;
	int r;

	if (strcmp(app->db_path, ":memory:") && stat(app->db_path, &sb) < 0 && errno == ENOENT) {
		cli_error("no database at '%s'; create it with 'tokentrend init' "
			  "(or name another with --db PATH or TOKENTREND_DB)", app->db_path);
		return TT_EXIT_DB;
	}
	r = store_open(app->db_path, 0, st, &err);
	if (r < 0) {
		cli_report("database", r, &err);
		return r == TT_EBUSY ? TT_EXIT_BUSY : TT_EXIT_DB;
	}
	return TT_EXIT_OK;
}

int cmd_review(int argc, char **argv, struct app *app)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "by", required_argument, NULL, 'b' },
		{ "why", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *self = cli_find("review");
	const char *status = "pending", *who = NULL, *why = NULL, *sub = "list";
	struct review_items items = REVIEW_ITEMS_INIT;
	struct store_observe_stats stats = { 0 };
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	struct store *st = app->st;
	long long id = 0;
	int c, fmt = QUERY_FORMAT_TABLE, rc, opened = 0, status_set = 0;

	while ((c = getopt_long(argc, argv, "s:F:b:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': status = optarg; status_set = 1; break;
		case 'F':
			fmt = query_format_parse(optarg);
			if (fmt < 0)
				return cli_usage(self, "unknown format '%s' (table, csv or json)", optarg);
			break;
		case 'b': who = optarg; break;
		case 'w': why = optarg; break;
		case 'h': return cli_help(self);
		default: return cli_usage(self, "bad option");
		}
	}
	if (optind < argc)
		sub = argv[optind++];
	if (!strcmp(sub, "list")) {
		if (optind < argc)
			return cli_usage(self, "unexpected argument '%s'", argv[optind]);
		if (who || why)
			return cli_usage(self, "--by and --why go with accept or reject");
		if (strcmp(status, "pending") && strcmp(status, "accepted") && strcmp(status, "rejected") &&
		    strcmp(status, "all"))
			return cli_usage(self, "unknown --status '%s' (pending, accepted, rejected or all)", status);
	} else if (!strcmp(sub, "accept") || !strcmp(sub, "reject")) {
		char *end = NULL;
		if (optind >= argc)
			return cli_usage(self, "'review %s' needs an item ID (see 'tokentrend review')", sub);
		errno = 0;
		id = strtoll(argv[optind], &end, 10);
		if (errno || !end || *end || end == argv[optind] || id <= 0)
			return cli_usage(self, "'%s' is not a review item ID", argv[optind]);
		if (++optind < argc)
			return cli_usage(self, "unexpected argument '%s'", argv[optind]);
		if (status_set || fmt != QUERY_FORMAT_TABLE)
			return cli_usage(self, "--status and --format go with list");
	} else {
		return cli_usage(self, "unknown subcommand '%s' (list, accept or reject)", sub);
	}

	if (!st) {
		rc = review_open(app, &st);
		if (rc != TT_EXIT_OK)
			return rc;
		opened = 1;
	}
	if (!strcmp(sub, "list")) {
		rc = review_list(st, status, &items, &err);
		if (rc < 0) {
			rc = cli_report("review", rc, &err);
			goto out;
		}
		if (review_render(&items, fmt, &out) < 0) {
			cli_error("out of memory");
			rc = TT_EXIT_FAIL;
			goto out;
		}
		rc = cli_write(&out);
		goto out;
	}
	rc = review_decide(st, (int64_t)id, !strcmp(sub, "accept"), who, why, &stats, &err);
	if (rc < 0) {
		rc = rc == TT_ENOTFOUND || rc == TT_EINVAL ? (cli_error("%s", err.msg), TT_EXIT_FAIL)
							   : cli_report("review", rc, &err);
		goto out;
	}
	if (!strcmp(sub, "accept"))
		printf("review #%lld accepted: stored (%zu change%s)\n", id, stats.changes,
		       stats.changes == 1 ? "" : "s");
	else
		printf("review #%lld rejected: not stored; the same value will not be flagged again\n", id);
	rc = fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
out:
	review_items_release(&items);
	buf_release(&out);
	if (opened)
		store_close(st);
	return rc;
}
