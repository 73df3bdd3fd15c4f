/*
 * filter_opts.c - the shared filter options of the listing commands: one
 * place that stores and checks --provider .. --format, and writes their
 * rows (filter_opts.h).
 */
#include "tokentrend/tt_compat.h"
#include "filter_opts.h"

#include "tokentrend/clock.h"

/* A YYYY-MM-DD value for --name into *dst; returns FILTER_OPTS_TAKEN or the usage exit code. */
static int filter_opts_date(const struct command *cmd, const char *name, const char *arg,
			    const char **dst)
{
	if (!date_valid(arg))
		return cli_usage(cmd, "invalid date '%s' for --%s (expected YYYY-MM-DD)", arg, name);
	*dst = arg;
	return FILTER_OPTS_TAKEN;
}

int filter_opts_take(const struct command *cmd, unsigned which, int c, char **argv,
		     struct query_filter *f, int *fmt)
{
	if (which & FILTER_OPTS_KEY) {
		switch (c) {
		case 'p': f->provider = optarg; return FILTER_OPTS_TAKEN;
		case 'm': f->model = optarg; return FILTER_OPTS_TAKEN;
		case 'd': f->dimension = optarg; return FILTER_OPTS_TAKEN;
		case 't': f->tier = optarg; return FILTER_OPTS_TAKEN;
		case 's': f->source = optarg; return FILTER_OPTS_TAKEN;
		}
	}
	if (which & FILTER_OPTS_RANGE) {
		if (c == 'S')
			return filter_opts_date(cmd, "since", optarg, &f->since);
		if (c == 'U')
			return filter_opts_date(cmd, "until", optarg, &f->until);
	}
	if ((which & FILTER_OPTS_AS_OF) && c == 'a')
		return filter_opts_date(cmd, "as-of", optarg, &f->as_of);
	if ((which & FILTER_OPTS_FORMAT) && c == 'f') {
		*fmt = query_format_parse(optarg);
		if (*fmt < 0)
			return cli_usage(cmd, "unknown format '%s' for --format (expected table, csv or json)",
					 optarg);
		return FILTER_OPTS_TAKEN;
	}
	switch (c) {
	case 'h':
		return cli_help(cmd);
	case ':':
		return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
	default:
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	}
}

int filter_opts_write_rows(const char *what, const struct price_rows *rows, int fmt,
			   int with_valid_to, int with_change, struct buf *out)
{
	if (query_render(rows, (enum query_format)fmt, with_valid_to, with_change, out) < 0) {
		cli_error("%s: out of memory rendering %zu rows", what, rows->n);
		return TT_EXIT_FAIL;
	}
	return cli_write(out);
}
