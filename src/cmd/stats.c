/*
 * stats.c - `tokentrend stats`: per key, lowest and highest ever with
 * dates, time-weighted averages over 30/90/180 days, the number and size
 * of changes and the time since the last one; or, with --cheapest, the
 * cheapest model in each tier on a date.  Definitions in stats.h and the
 * README.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "filter_opts.h"
#include "tokentrend/money.h"
#include "tokentrend/stats.h"

static const struct option stats_options[] = {
	FILTER_OPTS_KEY_ROWS,
	FILTER_OPTS_AS_OF_ROW,
	{ "cheapest", no_argument, NULL, 'C' },
	{ "currency", required_argument, NULL, 'c' },
	FILTER_OPTS_FORMAT_ROW,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_stats(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("stats");
	struct query_filter f = { 0 };
	struct stats_keys keys = STATS_KEYS_INIT;
	struct stats_market market = STATS_MARKET_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	const char *currency = NULL;
	int fmt = QUERY_FORMAT_TABLE, cheapest = 0, c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", stats_options, NULL)) != -1) {
		switch (c) {
		case 'C': cheapest = 1; break;
		case 'c':
			if (!money_currency_code(optarg))
				return cli_usage(cmd, "--currency takes an ISO code such as USD, not '%s'", optarg);
			currency = optarg;
			break;
		default:
			rc = filter_opts_take(cmd, FILTER_OPTS_KEY | FILTER_OPTS_AS_OF | FILTER_OPTS_FORMAT,
					      c, argv, &f, &fmt);
			if (rc != FILTER_OPTS_TAKEN)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (cheapest) {
		if (f.tier)
			return cli_usage(cmd, "--cheapest lists every tier; leave out --tier");
		rc = stats_market_compute(app->st, &f, f.dimension, currency, &market, &err);
		if (rc < 0) {
			rc = cli_report("stats", rc, &err);
			goto out;
		}
		if (stats_market_render(&market, (enum query_format)fmt, &out) < 0)
			goto oom;
	} else {
		if (!f.provider && !f.model)
			return cli_usage(cmd, "name a --provider and/or --model (or ask --cheapest)");
		if (currency)
			return cli_usage(cmd, "--currency goes with --cheapest");
		rc = stats_keys_compute(app->st, &f, &keys, &err);
		if (rc < 0) {
			rc = cli_report("stats", rc, &err);
			goto out;
		}
		if (rc == 0 && fmt == QUERY_FORMAT_TABLE)
			cli_error("stats: no price history matches (see 'tokentrend history')");
		if (stats_keys_render(&keys, (enum query_format)fmt, &out) < 0)
			goto oom;
	}
	rc = cli_write(&out);
	goto out;
oom:
	cli_error("stats: out of memory");
	rc = TT_EXIT_FAIL;
out:
	buf_release(&out);
	stats_keys_release(&keys);
	stats_market_release(&market);
	return rc;
}
