/*
 * commands.c - the one command table, and the helpers every command uses
 * to report errors and write results.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"

const struct command commands[] = {
	{ "init", cmd_init, CMD_NEEDS_DB | CMD_WRITES_DB,
	  "init [--no-seed]",
	  "create or migrate the database and load the bundled price history" },
	{ "scrape", cmd_scrape, CMD_NEEDS_DB | CMD_NEEDS_NET | CMD_WRITES_DB,
	  "scrape [--source ID]... | --from-dir DIR | --source ID --file PATH --date YYYY-MM-DD",
	  "fetch (or replay) pricing pages and feeds and store dated prices" },
	{ "sources", cmd_sources, 0,
	  "sources [list] [--format table|csv|json] | sources status [--format table|csv|json] | sources show ID [--format table|json] | sources test ID FILE [--date YYYY-MM-DD] [--format table|csv|json]",
	  "list the sources (built-in and user-defined), their health, show one, or test its extractor on a saved file" },
	{ "prices", cmd_prices, CMD_NEEDS_DB,
	  "prices [--as-of DATE] [--by effective|observed] [--currency CUR] [--provider P] [--model M] [--dimension D] [--tier T] [--source ID | --all-sources] [--format table|csv|json] [--model M --sellers] [--disagreements] [--models FILE]",
	  "prices in force on a date (default today); one model at every seller; where sources disagree" },
	{ "history", cmd_history, CMD_NEEDS_DB,
	  "history [--provider P] [--model M] [--dimension D] [--tier T] [--source ID] [--since DATE] [--until DATE] [--format table|csv|json]",
	  "every dated price interval of the matching keys" },
	{ "changes", cmd_changes, CMD_NEEDS_DB,
	  "changes [--since DATE (default: 30 days before --until or today)] [--until DATE] [--provider P] [--model M] [--dimension D] [--tier T] [--source ID] [--format table|csv|json]",
	  "price changes (new, up, down, removed) since a date" },
	{ "import", cmd_import, CMD_NEEDS_DB | CMD_WRITES_DB,
	  "import csv FILE [--source ID (default litellm)] | import litellm FILE|DIR [--date D] | import llmprices FILE [--date D] | import openrouter FILE --date D | import SOURCE FILE|DIR [--date D] | import ecb FILE",
	  "backfill history: our CSV (bundled or exported shape), LiteLLM snapshots, llm-prices, OpenRouter JSON, saved pages, ECB rates" },
	{ "forecast", cmd_forecast, CMD_NEEDS_DB,
	  "forecast --provider P --model M [--dimension D (input)] [--tier T (standard)] [--condition C] [--region R] [--source ID] [--currency CUR] [--as-of DATE] [--horizon-days N (1096)] [--target PRICE] [--fit auto|loglinear|rwdrift|harmonic|hyperbolic|expfloor] [--format table|json]\n"
	  "       tokentrend forecast --all [--provider P] [--model PATTERN (SQL LIKE with %)] [--dimension D] [--tier T] [--currency CUR] [--min-points N (1)] [--as-of DATE] [--horizon-days N] [--target PRICE] [--fit MODEL] [--format table|json]\n"
	  "       tokentrend forecast --group NAME [--dimension D] [--tier T] [--currency CUR (USD)] [--provider P | --all-sellers] [--models FILE] ...\n"
	  "       tokentrend forecast --profile FILE [--currency CUR (USD)] ...\n"
	  "--currency CUR picks the prices in that currency (nothing is converted): a key priced in several currencies is one series per currency and needs it; --group and --profile take USD without it.",
	  "fit a decline curve to one price series and project it with intervals" },
	{ "plot", cmd_plot, CMD_NEEDS_DB,
	  "plot forecast --provider P --model M [--dimension D] [--tier T] [--condition C] [--region R] [--source ID] [--currency CUR] [--as-of DATE] [--horizon-days N] [--target PRICE] [--fit MODEL] [--out PATH.png|PATH.svg]\n"
	  "       tokentrend plot forecast --group NAME ... | plot forecast --profile FILE [--target PRICE] ... (the profile's threshold when no --target)\n"
	  "       tokentrend plot history [--provider P] [--model M]... (exact, or SQL LIKE with %) [--dimension D (input)] [--tier T (standard)] [--condition C] [--region R] [--source ID] [--since DATE] [--until DATE] [--as-of DATE] [--max-series N (12, at most 24)] [--out PATH]\n"
	  "       tokentrend plot history --group NAME [--model PATTERN]... [--provider P | --all-sellers] [--models FILE] ...\n"
	  "       tokentrend plot cost --profile FILE [KEY=VALUE]... [--as-of DATE] [--source ID] [--threshold SHARE] [--horizon-months N] [--fit MODEL] [--scenario stay|cheapest] [--models FILE] [--out PATH]\n"
	  "       tokentrend plot cost --profile FILE --compare[=MODEL,MODEL...|GROUP] ... [--out PATH]\n"
	  "Each plot writes PATH (.png or .svg, default under plots/) with PATH.dat (data) and PATH.gp (gnuplot script) beside it.",
	  "charts for planning documents with gnuplot: forecast fan, price history, cost layers" },
	{ "help", cmd_help, 0,
	  "help [COMMAND]",
	  "list the commands, or show one command's usage" },
	{ "review", cmd_review, 0,
	  "review [list] [--status pending|accepted|rejected|all] [--format table|csv|json] | review accept|reject ID [--by WHO] [--why TEXT]",
	  "prices that jumped more than 10x: list them, accept (store) or reject each" },
	{ "models", cmd_models, 0,
	  "models [list [--group G] | groups | cheapest GROUP [--dimension D] [--tier T] [--provider P | --all-sellers] [--source ID]] [--models FILE] [--format table|csv|json]",
	  "the model catalog: canonical models, each seller's names, capability groups, a group's cheapest member over time" },
	{ "reparse", cmd_reparse, CMD_NEEDS_DB | CMD_WRITES_DB,
	  "reparse [--source ID] [--since DATE] [--until DATE]",
	  "re-run today's extractors over stored snapshots (a fixed extractor repairs history)" },
	{ "schedule", cmd_schedule, 0,
	  "schedule install [--systemd | --cron] [--at HH:MM (06:17)] [--random-delay SECONDS (3600)] [--dry-run] | schedule remove | schedule status [--format table|csv|json]",
	  "install, remove or show the daily run (systemd user timer or cron) and each source's health" },
	{ "daemon", cmd_daemon, CMD_NEEDS_DB | CMD_NEEDS_NET,
	  "daemon [--at HH:MM (06:17)] [--once] [--retry-minutes N (60)]",
	  "run daily in the foreground (containers): catch up after downtime, stop cleanly on SIGTERM" },
	{ "stats", cmd_stats, CMD_NEEDS_DB,
	  "stats --provider P [--model M] [--dimension D] [--tier T] [--source ID] [--as-of DATE] [--format table|csv|json] | stats --cheapest [--as-of DATE] [--dimension D (input)] [--currency CUR (USD)] [--provider P] [--source ID] [--format table|csv|json]",
	  "lows, highs, 30/90/180-day averages and changes per key; or the cheapest model per tier" },
	{ "export", cmd_export, CMD_NEEDS_DB,
	  "export [--format csv|json] [--what history|prices|changes|all] [--as-of DATE] [--out FILE|DIR] | export --db FILE | export sqlite FILE",
	  "write prices, history and changes as CSV/JSON, or the whole database as one SQLite file" },
	{ "cost", cmd_cost, CMD_NEEDS_DB,
	  "cost [--profile FILE] [KEY=VALUE...] [--KEY VALUE...] [--as-of DATE] [--source ID] [--models FILE] [--format table|json]\n"
	  "       tokentrend cost --history ...\n"
	  "       tokentrend cost --compare MODEL[,MODEL...]|GROUP ...   (MODEL: PROVIDER/MODEL or a catalog id)\n"
	  "       tokentrend cost --project [--threshold SHARE (1%)] [--horizon-months N (60)] [--fit MODEL] ...\n"
	  "       tokentrend cost --guard --budget-run AMOUNT | --budget-month AMOUNT [--compare MODEL,...] ...\n"
	  "       KEY is any workload profile key (tokens_input, tokens_output, model, silent_share, ...; see docs/profile-example.conf)",
	  "what the system costs per month by layer, over time, across models; when the API bill becomes negligible; guard rails" },
};
const size_t command_count = TT_ARRAY_SIZE(commands);

const struct command *cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < command_count; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tokentrend: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("tokentrend: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: tokentrend %s\n", cmd->usage);
	return TT_EXIT_USAGE;
}

int cli_help(const struct command *cmd)
{
	printf("usage: tokentrend [--db PATH] %s\n\n%s\n", cmd->usage, cmd->summary);
	return fflush(stdout) || ferror(stdout) ? TT_EXIT_FAIL : TT_EXIT_OK;
}

int cli_exit_for(int rc)
{
	switch (rc) {
	case TT_OK: return TT_EXIT_OK;
	case TT_EINVAL: return TT_EXIT_USAGE;
	case TT_ENET:
	case TT_EBLOCKED: return TT_EXIT_NET;
	case TT_EPARSE:
	case TT_EVALIDATE:
	case TT_EIO: return TT_EXIT_PARSE;
	case TT_EDB: return TT_EXIT_DB;
	case TT_EBUSY: return TT_EXIT_BUSY;
	}
	return TT_EXIT_FAIL;
}

int cli_report(const char *what, int rc, const struct tt_error *err)
{
	if (err && err->code && err->msg[0])
		cli_error("%s: %s", what, err->msg);
	else
		cli_error("%s: %s", what, tt_strerror(rc));
	return cli_exit_for(rc);
}

int cli_write(const struct buf *b)
{
	if (b->len && fwrite(b->buf, 1, b->len, stdout) != b->len)
		return TT_EXIT_FAIL;
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return TT_EXIT_FAIL;
	}
	return TT_EXIT_OK;
}
