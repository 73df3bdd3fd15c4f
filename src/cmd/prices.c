/*
 * prices.c - `tokentrend prices`: the prices in force on a date (default
 * today), one row per key from the highest-ranked source, or every
 * source's row with --all-sources, or one source's with --source.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "tokentrend/clock.h"
#include "tokentrend/fx.h"
#include "tokentrend/money.h"
#include "filter_opts.h"
#include "prices_sellers.h"

static const struct option prices_options[] = {
	FILTER_OPTS_AS_OF_ROW,
	FILTER_OPTS_KEY_ROWS,
	{ "all-sources", no_argument, NULL, 'A' },
	FILTER_OPTS_FORMAT_ROW,
	{ "by", required_argument, NULL, 'b' },
	{ "currency", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "sellers", no_argument, NULL, 'S' },
	{ "disagreements", no_argument, NULL, 'D' },
	{ "models", required_argument, NULL, 'M' },
	{ NULL, 0, NULL, 0 },
};

int cmd_prices(int argc, char **argv, struct app *app)
{
	const struct command *cmd = cli_find("prices");
	struct query_filter f = { 0 };
	struct price_rows rows = PRICE_ROWS_INIT;
	struct tt_error err = { 0 };
	struct buf out = BUF_INIT;
	const char *currency = NULL;
	size_t unconverted = 0;
	char today[11];
	int fmt = QUERY_FORMAT_TABLE, c, rc, sellers = 0, disagreements = 0, converted = 0;
	const char *models_path = NULL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", prices_options, NULL)) != -1) {
		switch (c) {
		case 'A': f.all_sources = 1; break;
		case 'b':
			if (strcmp(optarg, "effective") && strcmp(optarg, "observed"))
				return cli_usage(cmd, "--by takes 'effective' or 'observed', not '%s'", optarg);
			f.by_observed = !strcmp(optarg, "observed");
			break;
		case 'c':
			if (!money_currency_code(optarg))
				return cli_usage(cmd, "--currency takes an ISO code such as USD, not '%s'", optarg);
			currency = optarg;
			break;
		case 'S': sellers = 1; break;
		case 'D': disagreements = 1; break;
		case 'M': models_path = optarg; break;
		default:
			rc = filter_opts_take(cmd, FILTER_OPTS_AS_OF | FILTER_OPTS_KEY | FILTER_OPTS_FORMAT,
					      c, argv, &f, &fmt);
			if (rc != FILTER_OPTS_TAKEN)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (f.source && f.all_sources)
		return cli_usage(cmd, "--source and --all-sources exclude each other");
	if (!f.as_of)
		f.as_of = clock_today(today);
	if (sellers && !f.model)
		return cli_usage(cmd, "--sellers needs --model (a catalog id such as claude-3.5-sonnet, or a seller's name)");
	if ((sellers || disagreements) && (f.source || f.all_sources))
		return cli_usage(cmd, "--sellers and --disagreements compare every source: no --source or --all-sources");
	if (sellers || disagreements)
		return prices_sellers(app, &f, fmt, sellers, disagreements, models_path);
	if (models_path)
		return cli_usage(cmd, "--models belongs to --sellers and --disagreements");

	rc = query_prices(app->st, &f, &rows, &err);
	if (rc < 0) {
		rc = cli_report("prices", rc, &err);
		goto out;
	}
	if (currency) {
		converted = fx_convert_rows(app->st, &rows, currency, f.as_of, &unconverted, &err);
		if (converted < 0) {
			rc = cli_report("prices", converted, &err);
			goto out;
		}
		if (unconverted)
			cli_error("prices: %zu rows stay in their own currency: no ECB rate stored near %s "
				  "(tokentrend import ecb FILE, or scrape)", unconverted, f.as_of);
	}
	/* Say which date the table answers, and on which basis. */
	if (fmt == QUERY_FORMAT_TABLE &&
	    buf_addf(&out, "Prices in force on %s, by %s%s\n", f.as_of,
		     f.by_observed ? "observation date (the value tokentrend had seen by then)"
				   : "effective date (when the source says each price took effect)",
		     converted > 0 ? "; converted at ECB reference rates" : "") < 0) {
		rc = TT_EXIT_FAIL;
		goto out;
	}
	rc = filter_opts_write_rows("prices", &rows, fmt, 0, 0, &out);
out:
	buf_release(&out);
	price_rows_release(&rows);
	return rc;
}
