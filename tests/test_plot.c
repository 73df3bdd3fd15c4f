/*
 * test_plot.c - the charts: script text (titles, labels, units, escaping),
 * data file values checked by hand, real PNG/SVG renders when gnuplot is on
 * PATH (PNG signature and IHDR size, SVG width/height), and the clear error
 * with the script and data still written when it is not.  Forecast fan
 * chart (with the as-of handling), price history (lines chosen from rows,
 * groups, ranges, gaps, the series limit), cost layers and comparison.
 * Everything goes to a temporary folder.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"
#include "tokentrend/plot.h"
#include "plot_int.h"
#include "tt_rows.h"

static char tmpdir[256];

static const struct {
	const char *date, *price;
} tv4[] = {
	{ "2021-11-20", "60" }, { "2022-09-01", "20" }, { "2023-03-06", "2.0" },
	{ "2023-07-18", "0.56" }, { "2023-12-01", "0.20" }, { "2024-04-14", "0.13" },
	{ "2024-07-23", "0.10" }, { "2024-09-24", "0.08" }, { "2024-10-03", "0.07" },
};

/* FORECASTING.md TV4 (Epoch's MMLU GPT-3 level series), forced loglinear. */
static void build_forecast(struct series *s, struct forecast *f, const char *model, const char *as_of,
			   int target)
{
	struct forecast_options o = { as_of, 0, target, 0.001, "loglinear" };
	struct tt_error err = { 0 };
	size_t i;

	assert_int_equal(series_set_key(s, "demo", model, "input", NULL, NULL, NULL, NULL, "USD", "test"), 0);
	for (i = 0; i < TT_ARRAY_SIZE(tv4); i++) {
		int64_t v;
		assert_int_equal(money_parse_str(tv4[i].price, 0, &v, &err), 0);
		assert_true(series_add(s, tv4[i].date, v, &err) == 1);
	}
	assert_int_equal(forecast_run(s, &o, f, &err), 0);
	assert_int_equal(f->status, FORECAST_OK);
}

static int gnuplot_on_path(void)
{
	const char *path = getenv("PATH");
	char *copy, *p, *dir;
	char full[1024];
	int found = 0;

	if (!path)
		return 0;
	copy = strdup(path);
	for (p = copy; !found && (dir = strsep(&p, ":")) != NULL;) {
		snprintf(full, sizeof(full), "%s/gnuplot", dir[0] ? dir : ".");
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

static unsigned be32(const unsigned char *b)
{
	return (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3];
}

/* The PNG at path is valid (signature, IHDR first) and w x h pixels. */
static void assert_png(const char *path, unsigned w, unsigned h)
{
	size_t len = 0;
	char *png = tt_read_file(path, &len);

	assert_non_null(png);
	assert_true(len > 1000);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(png + 12, "IHDR", 4);
	assert_int_equal(be32((const unsigned char *)png + 16), w);
	assert_int_equal(be32((const unsigned char *)png + 20), h);
	free(png);
}

/* The SVG at path has the document size as width/height attributes. */
static void assert_svg(const char *path, unsigned w, unsigned h)
{
	char *svg = tt_read_file(path, NULL), want[96];

	assert_non_null(svg);
	assert_non_null(strstr(svg, "<svg"));
	snprintf(want, sizeof(want), "width=\"%u\" height=\"%u\"", w, h);
	if (!strstr(svg, want))
		fail_msg("%s: no %s", path, want);
	snprintf(want, sizeof(want), "viewBox=\"0 0 %u %u\"", w, h);
	assert_non_null(strstr(svg, want));
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);
}

/* The text of block `index` of a gnuplot data file (from its comment line
 * to the next block), malloc'd. */
static char *data_block(const char *data, int index)
{
	char tag[48];
	const char *b, *e;

	snprintf(tag, sizeof(tag), "(index %d)", index);
	b = strstr(data, tag);
	if (!b)
		return NULL;
	b = strchr(b, '\n') + 1;
	e = strstr(b - 1, "\n\n\n# block");
	return strndup(b, e ? (size_t)(e - b) + 1 : strlen(b));
}

/* The script with multi-line labels joined: '...'."\n".'...' -> "... ..." */
static char *unwrapped(const char *script)
{
	static const char join[] = "'.\"\\n\".'";
	char *u = strdup(script), *p;

	while ((p = strstr(u, join)) != NULL) {
		*p = ' ';
		memmove(p + 1, p + strlen(join), strlen(p + strlen(join)) + 1);
	}
	return u;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tt-test-plot-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", tmpdir, NULL };
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	if (pid == 0) {
		execv("/bin/rm", argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return 0;
}

struct quote_case {
	const char *in, *out;
};

static const struct quote_case quote_cases[] = {
	{ "plain", "'plain'" },
	{ "it's", "'it''s'" },
	{ "a\nb\tc", "'a b c'" },
	{ "\"dq\" \\n $x `y`", "'\"dq\" \\n $x `y`'" }, /* literal inside single quotes */
	{ "", "''" },
};

struct lines_case {
	const char *in;
	size_t wrap;
	const char *out;
	int n;
};

static const struct lines_case lines_cases[] = {
	{ "one line", 0, "'one line'", 1 },
	{ "a\nb", 0, "'a'.\"\\n\".'b'", 2 },
	{ "aa bb cc dd", 5, "'aa bb'.\"\\n\".'cc dd'", 2 },
	{ "aa bb cc", 4, "'aa'.\"\\n\".'bb'.\"\\n\".'cc'", 3 },
	{ "toolongword x", 4, "'toolongword'.\"\\n\".'x'", 2 },
	{ "it's\n", 0, "'it''s'.\"\\n\".''", 2 },
	{ "\xc3\x97\xc3\x97 ab", 5, "'\xc3\x97\xc3\x97 ab'", 1 }, /* characters, not bytes */
};

static void test_quote_and_default_path(void **state)
{
	struct series s = SERIES_INIT;
	struct buf b = BUF_INIT;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(quote_cases); i++) {
		buf_reset(&b);
		assert_int_equal(plot_quote(quote_cases[i].in, &b), 0);
		assert_string_equal(b.buf, quote_cases[i].out);
	}
	for (i = 0; i < TT_ARRAY_SIZE(lines_cases); i++) {
		buf_reset(&b);
		assert_int_equal(plot_quote_lines(lines_cases[i].in, lines_cases[i].wrap, &b, &n), 0);
		assert_string_equal(b.buf, lines_cases[i].out);
		assert_int_equal(n, lines_cases[i].n);
	}
	buf_reset(&b);
	assert_int_equal(plot_add_log_ytics(&b, 1.5, 6.0), 0);
	assert_string_equal(b.buf, "set ytics ('1.5' 1.5, '2' 2, '3' 3, '4' 4, '5' 5)\n");
	buf_reset(&b);
	assert_int_equal(plot_add_log_ytics(&b, 0.05, 40), 0);
	assert_string_equal(b.buf, "set ytics ('0.05' 0.05, '0.1' 0.1, '0.2' 0.2, '0.3' 0.3, '0.5' 0.5, "
				   "'1' 1, '2' 2, '3' 3, '5' 5, '10' 10, '20' 20, '30' 30)\n");
	buf_reset(&b);
	assert_int_equal(plot_add_log_ytics(&b, 0.000004, 0.0012), 0);
	assert_string_equal(b.buf, "set ytics ('0.000005' 0.000005, '0.00001' 0.00001, '0.00002' 0.00002, "
				   "'0.00003' 0.00003, '0.00005' 0.00005, '0.0001' 0.0001, '0.0002' 0.0002, "
				   "'0.0003' 0.0003, '0.0005' 0.0005, '0.001' 0.001)\n"); /* never 1e-05 */
	buf_reset(&b);
	assert_int_equal(series_set_key(&s, "openrouter", "openai/gpt-4o", "output", NULL, NULL, NULL,
					NULL, NULL, NULL), 0);
	assert_int_equal(plot_default_path(&s, &b), 0);
	assert_string_equal(b.buf, "plots/openrouter-openai_gpt-4o-output-forecast.png");
	buf_release(&b);
	series_release(&s);
}

/* case: the forecast chart with as of after the last change, and a target */
static void test_forecast_png_script_and_data(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], want[512], pwned[600];
	struct plot_options po = { out, 800, 500, NULL, NULL };
	char *script, *data, *blk;
	double med, lo80, hi80, lo95, hi95, m0 = 0, m1 = 0;
	char date[11];
	size_t i;
	int rc;

	(void)state;
	/* A scraped model id with a quote, a newline and a command: stays text. */
	build_forecast(&s, &f, "evil'; system('touch pwned') #\nx\\", "2025-06-15", 1);
	snprintf(out, sizeof(out), "%s/sub/dir/chart.png", tmpdir);
	rc = plot_forecast(&f, &po, &pf, &err);

	script = tt_read_file(pf.script, NULL);
	data = tt_read_file(pf.data, NULL);
	assert_non_null(script);
	assert_non_null(data);
	snprintf(want, sizeof(want), "%s/sub/dir/chart.gp", tmpdir);
	assert_string_equal(pf.script, want);
	/* title: series, model and rate, as of and n */
	assert_non_null(strstr(script, "set title 'demo/evil''; system(''touch pwned'') # x\\ input standard: list price and forecast'"));
	assert_non_null(strstr(script, "'loglinear: falls 11.8\xc3\x97/yr, half-life 3.37 months'"));
	assert_non_null(strstr(script, "'as of 2025-06-15  \xc2\xb7  n = 9 priced changes (2021-11-20 .. 2024-10-03)'"));
	/* axes and units */
	assert_non_null(strstr(script, "set ylabel 'USD per 1M tokens (log scale)'"));
	assert_non_null(strstr(script, "set xlabel 'date'"));
	assert_non_null(strstr(script, "set logscale y"));
	assert_non_null(strstr(script, "set xrange ['2021-11-20':'2028-06-15']"));
	/* bands, median, steps, alternatives */
	assert_non_null(strstr(script, "index 3 using 1:5:6 with filledcurves"));
	assert_non_null(strstr(script, "title '80% prediction interval'"));
	assert_non_null(strstr(script, "title '95% prediction interval'"));
	assert_non_null(strstr(script, "index 0 using 1:2 with steps"));
	assert_non_null(strstr(script, "title 'median, months already past'"));
	assert_non_null(strstr(script, "(alternative)"));
	assert_non_null(strstr(script, "loglinear forced with --fit"));
	/* as of: the list price still in force and the model's median marked, and said */
	assert_non_null(strstr(script, "set label 6 'list 0.07' at '2025-06-15', 0.07"));
	{
		char *u = unwrapped(script);

		assert_non_null(strstr(u, "The fan starts at the last change (2024-10-03), where the model was fitted"));
		assert_non_null(strstr(u, "On 2025-06-15 the list price 0.07 USD is still in force"));
		assert_non_null(strstr(u, "above the 80% band: by this model''s trend a cut is overdue."));
		free(u);
	}
	/* the threshold and crossing (TV4: the median reaches 0.001 on 2026-05-07) */
	assert_non_null(strstr(script, "'median crossing 2026-05-07' at '2026-05-07'"));
	assert_non_null(strstr(script, "set arrow 1 from '2026-05-07', graph 0"));
	assert_non_null(strstr(script, "'target 0.001 USD per 1M tokens'.\"\\n\".'median reaches it: 2026-05-07'"));
	snprintf(want, sizeof(want), "set object 1 rect from '%s', graph 0 to '%s', graph 1",
		 f.cross_early.date, f.cross_late.date);
	assert_non_null(strstr(script, want));
	assert_non_null(strstr(script, "title 'threshold 0.001'"));
	assert_non_null(strstr(script, "size 800,500"));
	assert_null(strstr(script, "nan"));

	/* data block 0: the exact stored history; block 1: 0.07 carried to as of */
	blk = data_block(data, 0);
	assert_non_null(strstr(blk, "\n2021-11-20 60.00\n"));
	assert_non_null(strstr(blk, "\n2024-10-03 0.07\n"));
	free(blk);
	blk = data_block(data, 1);
	assert_string_equal(blk, "2024-10-03 0.07\n2025-06-15 0.07\n");
	free(blk);
	/* block 2 runs from the last change to as of; block 3 from as of on */
	blk = data_block(data, 2);
	assert_int_equal(sscanf(blk, "%10s %lf %lf %lf %lf %lf", date, &med, &lo80, &hi80, &lo95, &hi95), 6);
	assert_string_equal(date, "2024-10-03");
	assert_rel(med, f.points[0].median, 1e-7);
	assert_rel(lo80, f.points[0].lo80, 1e-7);
	assert_rel(hi95, f.points[0].hi95, 1e-7);
	assert_non_null(strstr(blk, "\n2025-06-01 "));
	assert_null(strstr(blk, "\n2025-07-01 "));
	free(blk);
	blk = data_block(data, 3);
	assert_int_equal(sscanf(blk, "%10s %lf %lf %lf %lf %lf", date, &med, &lo80, &hi80, &lo95, &hi95), 6);
	assert_string_equal(date, "2025-06-15");
	/* hand check: the log-linear median is exponential in time, so on the
	 * 15th of June it is the geometric interpolation of 1 June and 1 July */
	for (i = 0; i < f.n_proj; i++) {
		if (!strcmp(f.points[i].date, "2025-06-01"))
			m0 = f.points[i].median;
		if (!strcmp(f.points[i].date, "2025-07-01"))
			m1 = f.points[i].median;
	}
	assert_true(m0 > 0 && m1 > 0);
	assert_rel(med, m0 * pow(m1 / m0, 14.0 / 30.0), 1e-6);
	assert_true(lo95 < lo80 && lo80 < med && med < hi80 && hi80 < hi95);
	assert_true(0.07 > hi80); /* the list price is above the band: "overdue" */
	assert_non_null(strstr(blk, "\n2025-07-01 "));
	free(blk);

	if (gnuplot_on_path()) {
		if (rc != 0)
			fail_msg("render failed: %s", err.msg);
		assert_png(out, 800, 500);
		snprintf(pwned, sizeof(pwned), "%s/sub/dir/pwned", tmpdir);
		assert_int_equal(access(pwned, F_OK), -1);
		assert_int_equal(access("pwned", F_OK), -1);
	} else {
		printf("SKIP: gnuplot is not on PATH; render check skipped\n");
		assert_int_equal(rc, TT_ENOTFOUND);
	}
	free(script);
	free(data);
	plot_files_release(&pf);
	forecast_release(&f);
	series_release(&s);
}

/* as of on the last change: no split, no note, no as-of marks */
static void test_forecast_asof_on_last_change(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], *script, *data, *blk;
	struct plot_options po = { out, 0, 0, "/nonexistent/gnuplot", NULL };

	(void)state;
	build_forecast(&s, &f, "m", "2024-10-03", 0);
	snprintf(out, sizeof(out), "%s/last/chart.png", tmpdir);
	assert_int_equal(plot_forecast(&f, &po, &pf, &err), TT_ENOTFOUND);
	script = tt_read_file(pf.script, NULL);
	data = tt_read_file(pf.data, NULL);
	assert_non_null(script);
	assert_null(strstr(script, "The fan starts"));
	assert_null(strstr(script, "set label 6"));
	assert_null(strstr(script, "index 2 using"));
	assert_null(strstr(script, "threshold"));
	blk = data_block(data, 2);
	assert_string_equal(blk, "");
	free(blk);
	blk = data_block(data, 3);
	assert_true(!strncmp(blk, "2024-10-03 ", 11));
	free(blk);
	free(script);
	free(data);
	plot_files_release(&pf);
	forecast_release(&f);
	series_release(&s);
}

/* A fan fitted to three points is astronomically wide: the y range keeps
 * the prices and medians with three decades of margin, the bands are
 * clipped at its edges and the footer says so; TV4's fan is not clipped. */
static void test_forecast_wide_bands_clipped(void **state)
{
	static const struct {
		const char *date, *price;
	} blend[] = { /* docs/profile-example.conf's blend on the bundled history */
		{ "2024-05-14", "5.476190476" }, { "2024-10-17", "3.69047619" }, { "2024-11-14", "2.261904762" },
	};
	struct forecast_options fo = { "2026-12-04", 0, 0, 0, "loglinear" };
	struct series s = SERIES_INIT, s4 = SERIES_INIT;
	struct forecast f, f4;
	struct plot_files pf = PLOT_FILES_INIT, pf4 = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], *script;
	struct plot_options po = { out, 0, 0, "/nonexistent/gnuplot", NULL };
	double lo = 0, hi = 0;
	const char *yr;
	size_t i;

	(void)state;
	assert_int_equal(series_set_key(&s, "openai", "gpt-4o", "blend", NULL, NULL, NULL, NULL, "USD", "test"), 0);
	for (i = 0; i < TT_ARRAY_SIZE(blend); i++) {
		int64_t v;
		assert_int_equal(money_parse_str(blend[i].price, 0, &v, &err), 0);
		assert_true(series_add(&s, blend[i].date, v, &err) == 1);
	}
	assert_int_equal(forecast_run(&s, &fo, &f, &err), 0);
	assert_true(f.points[f.n_proj - 1].hi95 / f.points[f.n_proj - 1].lo95 > 1e12);
	snprintf(out, sizeof(out), "%s/wide/chart.png", tmpdir);
	assert_int_equal(plot_forecast(&f, &po, &pf, &err), TT_ENOTFOUND);
	script = tt_read_file(pf.script, NULL);
	assert_non_null(script);
	yr = strstr(script, "set yrange [");
	assert_non_null(yr);
	assert_int_equal(sscanf(yr, "set yrange [%lf:%lf]", &lo, &hi), 2);
	/* lowest median / 1000 .. highest price x 1000 */
	assert_true(hi > 5476.0 && hi < 5477.0);
	assert_true(lo > 0 && lo < f.points[f.n_proj - 1].median / 999.0 &&
		    lo > f.points[f.n_proj - 1].median / 1001.0);
	{
		char *u = unwrapped(script); /* the footer is wrapped; ' is doubled in gnuplot */

		assert_non_null(strstr(u, "bands clipped at the chart''s edges"));
		free(u);
	}
	free(script);

	build_forecast(&s4, &f4, "m", "2025-06-15", 0);
	snprintf(out, sizeof(out), "%s/tv4/chart.png", tmpdir);
	assert_int_equal(plot_forecast(&f4, &po, &pf4, &err), TT_ENOTFOUND);
	script = tt_read_file(pf4.script, NULL);
	assert_non_null(script);
	assert_null(strstr(script, "set yrange"));
	assert_null(strstr(script, "clipped"));
	free(script);
	plot_files_release(&pf);
	plot_files_release(&pf4);
	forecast_release(&f);
	forecast_release(&f4);
	series_release(&s);
	series_release(&s4);
}

/* Date tick labels: months over most of a year, days on shorter ranges
 * (where gnuplot puts several ticks in one month). */
static void test_date_fmt(void **state)
{
	static const struct {
		const char *from, *to, *fmt;
	} cases[] = {
		{ "2026-06-01", "2026-09-30", "%Y-%m-%d" },
		{ "2026-01-01", "2026-08-28", "%Y-%m-%d" }, /* 239 days */
		{ "2026-01-01", "2026-08-29", "%Y-%m" },    /* 240 days */
		{ "2021-11-20", "2028-06-15", "%Y-%m" },
		{ "bad", "2026-01-01", "%Y-%m" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(cases); i++)
		assert_string_equal(plot_date_fmt(cases[i].from, cases[i].to), cases[i].fmt);
}

static void test_forecast_svg(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512];
	struct plot_options po = { out, 0, 0, NULL, "1% of engineering cost: 0.001 USD per 1M tokens" };
	char *script;

	(void)state;
	if (!gnuplot_on_path()) {
		printf("SKIP: gnuplot is not on PATH; svg render skipped\n");
		return;
	}
	build_forecast(&s, &f, "m", "2025-06-15", 1);
	snprintf(out, sizeof(out), "%s/chart.svg", tmpdir);
	if (plot_forecast(&f, &po, &pf, &err) != 0)
		fail_msg("svg render failed: %s", err.msg);
	assert_svg(out, PLOT_DEFAULT_WIDTH, PLOT_DEFAULT_HEIGHT);
	script = tt_read_file(pf.script, NULL);
	assert_non_null(strstr(script, "set terminal svg size 1200,700"));
	assert_non_null(strstr(script, "'1% of engineering cost: 0.001 USD per 1M tokens'.\"\\n\".'median reaches it"));
	free(script);
	plot_files_release(&pf);
	forecast_release(&f);
	series_release(&s);
}

static void test_no_gnuplot_on_path(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	struct plot_options po = { out, 0, 0, NULL, NULL };
	struct stat st;
	int rc;

	(void)state;
	build_forecast(&s, &f, "m", "2025-06-15", 0);
	snprintf(out, sizeof(out), "%s/nogp/chart.png", tmpdir);
	setenv("PATH", "", 1);
	rc = plot_forecast(&f, &po, &pf, &err);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	assert_int_equal(rc, TT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "not found on PATH"));
	assert_non_null(strstr(err.msg, pf.script));
	assert_non_null(strstr(err.msg, "gnuplot-nox"));
	assert_int_equal(stat(pf.script, &st), 0);
	assert_true(st.st_size > 100);
	assert_int_equal(stat(pf.data, &st), 0);
	assert_true(st.st_size > 100);
	assert_int_equal(stat(out, &st), -1);
	plot_files_release(&pf);
	forecast_release(&f);
	series_release(&s);
}

struct bad_case {
	const char *out;
	int w, h;
	const char *err_has;
};

static const struct bad_case bad_cases[] = {
	{ "chart.jpg", 0, 0, ".png or .svg" },
	{ "chart", 0, 0, ".png or .svg" },
	{ "dir.png/chart", 0, 0, ".png or .svg" },
	{ "chart.png", 50, 50, "50x50" },
};

static void test_bad_requests(void **state)
{
	struct series s = SERIES_INIT, free_s = SERIES_INIT;
	struct forecast f, ff;
	struct forecast_options o = { "2026-06-01", 0, 0, 0, NULL };
	struct tt_error err = { 0 };
	size_t i;

	(void)state;
	build_forecast(&s, &f, "m", "2025-06-15", 0);
	for (i = 0; i < TT_ARRAY_SIZE(bad_cases); i++) {
		struct plot_files pf = PLOT_FILES_INIT;
		struct plot_options po = { bad_cases[i].out, bad_cases[i].w, bad_cases[i].h, NULL, NULL };

		assert_int_equal(plot_forecast(&f, &po, &pf, &err), TT_EINVAL);
		assert_non_null(strstr(err.msg, bad_cases[i].err_has));
		plot_files_release(&pf);
	}
	/* case 20 (a): a free series has no projection to draw */
	assert_int_equal(series_set_key(&free_s, "demo", "demo-x", NULL, NULL, NULL, NULL, NULL, NULL, "t"), 0);
	assert_true(series_add(&free_s, "2026-01-01", INT64_C(600000000), &err) == 1);
	assert_true(series_add(&free_s, "2026-02-01", INT64_C(300000000), &err) == 1);
	assert_true(series_add(&free_s, "2026-03-01", 0, &err) == 1);
	assert_int_equal(forecast_run(&free_s, &o, &ff, &err), 0);
	{
		struct plot_files pf = PLOT_FILES_INIT;
		struct plot_options po = { "x.png", 0, 0, NULL, NULL };

		assert_int_equal(plot_forecast(&ff, &po, &pf, &err), TT_EINVAL);
		assert_non_null(strstr(err.msg, "free since 2026-03-01"));
		plot_files_release(&pf);
	}
	forecast_release(&ff);
	series_release(&free_s);
	forecast_release(&f);
	series_release(&s);
}

/* ---- history ---- */

/* A per-1M-token row, on tt_rows.h's designated ROW. */
#define HROW(prov, model, dim, tier, cond, region, cur, nanos, src, from, to) \
	ROW(prov, model, dim, tier, cond, region, "1M tokens", cur, nanos, src, from, to)
#define U(n) INT64_C(n)

static struct price_row hist_rows[] = {
	/* alpha: 10 then 4 from va (a user source, rank 200); litellm's 9 ranks lower */
	HROW("va", "alpha", "input", "standard", "", "", "USD", U(10000000000), "va", "2024-01-01", "2024-06-01"),
	HROW("va", "alpha", "input", "standard", "", "", "USD", U(4000000000), "va", "2024-06-01", ""),
	HROW("va", "alpha", "input", "standard", "", "", "USD", U(9000000000), "litellm", "2024-01-01", ""),
	/* beta: priced only in bands; the lower band counts; removed on 2024-09-01 */
	HROW("vb", "beta", "input", "standard", "prompt<=200k", "", "USD", U(3000000000), "vb", "2024-03-01", "2024-09-01"),
	HROW("vb", "beta", "input", "standard", "prompt>200k", "", "USD", U(6000000000), "vb", "2024-03-01", "2024-09-01"),
	/* left out: another currency, a region, another dimension and tier */
	HROW("vc", "gamma", "input", "standard", "", "", "CNY", U(1000000000), "vc", "2024-01-01", ""),
	HROW("vd", "delta", "input", "standard", "", "eastus", "USD", U(2000000000), "vd", "2024-01-01", ""),
	HROW("va", "alpha", "output", "standard", "", "", "USD", U(30000000000), "va", "2024-01-01", ""),
	HROW("va", "alpha", "input", "batch", "", "", "USD", U(5000000000), "va", "2024-01-01", ""),
	/* eps: goes free for a while (a gap on a log axis), then 2 */
	HROW("ve", "eps", "input", "standard", "", "", "USD", U(5000000000), "ve", "2024-02-01", "2024-04-01"),
	HROW("ve", "eps", "input", "standard", "", "", "USD", U(0), "ve", "2024-04-01", "2024-05-01"),
	HROW("ve", "eps", "input", "standard", "", "", "USD", U(2000000000), "ve", "2024-05-01", ""),
};

struct hist_case {
	const char *name;
	const char *since, *until;
	const char *block[3]; /* in legend order: alpha (4), beta (3), eps (2) */
};

/* hand-written expected data blocks */
static const struct hist_case hist_cases[] = {
	{ "whole range to as of", NULL, NULL,
	  { "2024-01-01 10.00 1\n2024-06-01 4.00 1\n2024-12-01 4.00 0\n",
	    "2024-03-01 3.00 1\n2024-09-01 3.00 0\n",
	    "2024-02-01 5.00 1\n2024-04-01 5.00 0\n\n# 2024-04-01 0 (free: not drawn on a log axis)\n"
	    "2024-05-01 2.00 1\n2024-12-01 2.00 0\n" } },
	{ "since: steps start at the range's edge", "2024-07-01", NULL,
	  { "2024-07-01 4.00 0\n2024-12-01 4.00 0\n", "2024-07-01 3.00 0\n2024-09-01 3.00 0\n",
	    "2024-07-01 2.00 0\n2024-12-01 2.00 0\n" } },
	{ "until: steps stop at the range's edge", NULL, "2024-05-15",
	  { "2024-01-01 10.00 1\n2024-05-15 10.00 0\n", "2024-03-01 3.00 1\n2024-05-15 3.00 0\n",
	    "2024-02-01 5.00 1\n2024-04-01 5.00 0\n\n# 2024-04-01 0 (free: not drawn on a log axis)\n"
	    "2024-05-01 2.00 1\n2024-05-15 2.00 0\n" } },
};

static void test_history_lines_and_chart(void **state)
{
	struct price_rows rows = ROWS(hist_rows);
	struct plot_lines l = PLOT_LINES_INIT;
	struct plot_lines_options lo;
	struct tt_error err = { 0 };
	size_t i, k;

	(void)state;
	memset(&lo, 0, sizeof(lo));
	assert_int_equal(plot_lines_from_rows(&rows, &lo, &l, &err), 3);
	assert_string_equal(l.currency, "USD");
	assert_string_equal(l.unit, "1M tokens");
	assert_string_equal(l.v[0].s.model, "alpha");
	assert_string_equal(l.v[0].s.source, "va");
	assert_int_equal(l.v[0].s.n, 2);
	assert_string_equal(l.v[0].end, "");
	assert_string_equal(l.v[1].s.model, "beta");
	assert_string_equal(l.v[1].s.condition, "prompt<=200k");
	assert_string_equal(l.v[1].end, "2024-09-01");
	assert_string_equal(l.v[2].s.model, "eps");
	assert_non_null(strstr(l.note.buf, "1 key in other currencies than USD left out"));
	assert_non_null(strstr(l.note.buf, "1 regional key left out"));
	assert_non_null(strstr(l.note.buf, "1 conditioned key left out"));
	assert_non_null(strstr(l.note.buf, "1 line free (0) at times"));
	l.what = strdup("test models");

	for (k = 0; k < TT_ARRAY_SIZE(hist_cases); k++) {
		const struct hist_case *c = &hist_cases[k];
		struct plot_history_options ho = { c->since, c->until, "2024-12-01", 0 };
		struct plot_files pf = PLOT_FILES_INIT;
		char out[512], *script, *data;
		struct plot_options po = { out, 0, 0, NULL, NULL };
		int rc;

		snprintf(out, sizeof(out), "%s/hist%zu.png", tmpdir, k);
		rc = plot_history(&l, &ho, &po, &pf, &err);
		data = tt_read_file(pf.data, NULL);
		script = tt_read_file(pf.script, NULL);
		assert_non_null(data);
		assert_non_null(script);
		for (i = 0; i < 3; i++) {
			char *blk = data_block(data, (int)i);

			if (!blk || strcmp(blk, c->block[i]))
				fail_msg("%s: block %zu is\n%s\nexpected\n%s", c->name, i, blk ? blk : "(none)",
					 c->block[i]);
			free(blk);
		}
		/* legend order (latest price), labels, title, axis, units */
		assert_non_null(strstr(data, "(index 0): va/alpha (source va)"));
		assert_non_null(strstr(data, "(index 1): vb/beta (prompt<=200k) (source vb)"));
		assert_non_null(strstr(script, "title 'va/alpha'"));
		assert_non_null(strstr(script, "title 'vb/beta (prompt<=200k)'"));
		assert_non_null(strstr(script, "set title 'List prices over time: test models'.\"\\n\".'input price, standard tier"));
		assert_non_null(strstr(script, "set ylabel 'USD per 1M tokens (log scale)'"));
		assert_non_null(strstr(script, "set xlabel 'date'"));
		assert_non_null(strstr(script, "set logscale y"));
		assert_non_null(strstr(script, "with steps"));
		assert_non_null(strstr(script, "($3 > 0 ? $2 : NaN) with points")); /* change points */
		assert_non_null(strstr(script, "Left out: 1 key in other currencies"));
		if (gnuplot_on_path()) {
			if (rc != 0)
				fail_msg("%s: render failed: %s", c->name, err.msg);
			assert_png(out, PLOT_DEFAULT_WIDTH, PLOT_DEFAULT_HEIGHT);
		}
		free(data);
		free(script);
		plot_files_release(&pf);
	}
	/* the series limit */
	{
		struct plot_history_options ho = { NULL, NULL, "2024-12-01", 2 };
		struct plot_files pf = PLOT_FILES_INIT;
		struct plot_options po = { "x.png", 0, 0, NULL, NULL };

		assert_int_equal(plot_history(&l, &ho, &po, &pf, &err), TT_EINVAL);
		assert_non_null(strstr(err.msg, "3 series match; one chart shows at most 2"));
		plot_files_release(&pf);
	}
	plot_lines_release(&l);

	/* one condition and one region asked for */
	lo.condition = "prompt>200k";
	assert_int_equal(plot_lines_from_rows(&rows, &lo, &l, &err), 1);
	assert_string_equal(l.v[0].s.condition, "prompt>200k");
	plot_lines_release(&l);
	lo.condition = NULL;
	lo.region = "eastus";
	assert_int_equal(plot_lines_from_rows(&rows, &lo, &l, &err), 1);
	assert_string_equal(l.v[0].s.model, "delta");
	plot_lines_release(&l);
}

static const char catalog[] =
	"model alpha\n  name va alpha alpha-2024\n  name cloud va/alpha\n"
	"model beta\n  name vb beta\n"
	"model zeta\n  name vz zeta\n"
	"group g Alpha, beta and zeta\n  member alpha beta zeta\n";

static struct price_row group_rows[] = {
	HROW("va", "alpha", "input", "standard", "", "", "USD", U(10000000000), "va", "2024-01-01", "2024-06-01"),
	HROW("va", "alpha-2024", "input", "standard", "", "", "USD", U(4000000000), "va", "2024-06-01", ""),
	HROW("cloud", "va/alpha", "input", "standard", "", "", "USD", U(2000000000), "cloud", "2024-04-01", ""),
	HROW("vb", "beta", "input", "standard", "", "", "USD", U(6000000000), "vb", "2024-03-01", ""),
};

/* a group: one line per member, each its cheapest name at its maker */
static void test_history_group(void **state)
{
	struct price_rows rows = ROWS(group_rows);
	struct models m = MODELS_INIT;
	struct plot_lines l = PLOT_LINES_INIT;
	struct plot_lines_options lo;
	struct tt_error err = { 0 };

	(void)state;
	memset(&lo, 0, sizeof(lo));
	assert_int_equal(models_parse(&m, catalog, strlen(catalog), "t.conf", &err), 0);
	assert_int_equal(plot_lines_group(&rows, &m, "g", &lo, &l, &err), 2);
	assert_string_equal(l.v[0].label, "alpha");
	assert_int_equal(l.v[0].s.n, 2);
	assert_true(l.v[0].s.v[1].nanos == U(4000000000));
	assert_string_equal(l.v[1].label, "beta");
	assert_non_null(strstr(l.note.buf, "1 of 3 members without a input standard price in USD at their makers"));
	plot_lines_release(&l);
	lo.all_sellers = 1; /* the reseller's 2.00 counts from 2024-04-01 */
	assert_int_equal(plot_lines_group(&rows, &m, "g", &lo, &l, &err), 2);
	assert_int_equal(l.v[0].s.n, 2);
	assert_true(l.v[0].s.v[1].nanos == U(2000000000));
	plot_lines_release(&l);
	assert_int_equal(plot_lines_group(&rows, &m, "nope", &lo, &l, &err), TT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "groups: g"));
	plot_lines_release(&l);
	models_release(&m);
}

/* ---- cost ---- */

#define B(n) (INT64_C(n) * 1000000000)

static void cost_setup(struct profile *prof, struct costmodel *cm)
{
	profile_init(prof);
	prof->origin = strdup("w.conf");
	prof->silent_share = 100000000;   /* 10% */
	prof->threshold_share = 10000000; /* 1% */
	memset(cm, 0, sizeof(*cm));
	cm->p = prof;
	memcpy(cm->as_of, "2026-01-01", 11);
	memcpy(cm->currency, "USD", 4);
	cm->infrastructure_nanos = B(1000);
	cm->engineering_nanos = B(10000);
}

/* case: the cost layers, observed and projected, and the crossing */
static void test_cost_layers(void **state)
{
	struct profile prof;
	struct costmodel cm;
	struct costmodel_bill bills[2];
	struct costmodel_history h;
	struct costmodel_projection pr;
	struct costmodel_month months[3];
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], *data, *script, *blk, *u;
	struct plot_options po = { out, 0, 0, NULL, NULL };
	size_t i;
	int rc;

	(void)state;
	cost_setup(&prof, &cm);
	memset(bills, 0, sizeof(bills));
	memcpy(bills[0].date, "2025-01-01", 11);
	bills[0].api_nanos = B(1000);
	bills[0].silent_nanos = B(100);
	bills[0].bill_nanos = B(1100);
	memcpy(bills[1].date, "2025-07-01", 11);
	bills[1].api_nanos = B(500);
	bills[1].silent_nanos = B(50);
	bills[1].bill_nanos = B(550);
	memset(&h, 0, sizeof(h));
	h.v = bills;
	h.n = 2;
	memset(&pr, 0, sizeof(pr));
	memcpy(pr.as_of, "2026-01-01", 11);
	memcpy(pr.end, "2026-03-01", 11);
	pr.threshold_ppb = 10000000;
	pr.s[0].available = 1;
	snprintf(pr.s[0].label, sizeof(pr.s[0].label), "stay on x/y");
	memcpy(pr.s[0].today.date, "2026-01-01", 11);
	pr.s[0].today.api_nanos = B(500);
	pr.s[0].today.silent_nanos = B(50);
	pr.s[0].today.bill_nanos = B(550);
	pr.s[0].anchor = 1.0;
	memset(months, 0, sizeof(months));
	for (i = 0; i < 3; i++) {
		static const char *d[] = { "2026-01-01", "2026-02-01", "2026-03-01" };
		static const double bill[] = { 550, 110, 55 };

		memcpy(months[i].date, d[i], 11);
		months[i].bill_est = bill[i];
		months[i].bill_lo80 = bill[i] / 2;
		months[i].bill_hi80 = bill[i] * 2;
		months[i].infrastructure = 1000;
		months[i].engineering_est = 10000;
		months[i].threshold_est = 100;
		months[i].share_of_engineering = bill[i] / 10000;
		months[i].share_lo80 = bill[i] / 20000;
		months[i].share_hi80 = bill[i] / 5000;
		months[i].has_interval = 1;
	}
	pr.s[0].months = months;
	pr.s[0].n_months = 3;
	pr.s[0].cross.status = FIT_CROSS_DATE;
	memcpy(pr.s[0].cross.date, "2026-02-10", 11);
	pr.s[0].cross.early_status = FIT_CROSS_DATE;
	memcpy(pr.s[0].cross.early, "2026-01-20", 11);
	pr.s[0].cross.late_status = FIT_CROSS_BEYOND_HORIZON;

	snprintf(out, sizeof(out), "%s/cost.png", tmpdir);
	rc = plot_cost(&cm, &h, &pr, COSTMODEL_STAY, &po, &pf, &err);
	data = tt_read_file(pf.data, NULL);
	script = tt_read_file(pf.script, NULL);
	assert_non_null(data);
	assert_non_null(script);
	/* hand-checked rows: api silent infra eng bill total share% lo80% hi80% threshold% */
	blk = data_block(data, 0);
	assert_string_equal(blk,
		"2025-01-01 1000.00 100.00 1000.00 10000.00 1100.00 12100.00 11 11 11 1\n"
		"2025-07-01 500.00 50.00 1000.00 10000.00 550.00 11550.00 5.5 5.5 5.5 1\n"
		"2026-01-01 500.00 50.00 1000.00 10000.00 550.00 11550.00 5.5 5.5 5.5 1\n");
	free(blk);
	blk = data_block(data, 1);
	/* 110 = api 100 + silent 10 (silent 10% of the API) */
	assert_non_null(strstr(blk, "2026-02-01 100.000000 10.000000 1000.000000 10000.000000 110.000000 11110.000000 1.1 0.55 2.2 1\n"));
	free(blk);
	u = unwrapped(script);
	assert_non_null(strstr(u, "set multiplot title 'Monthly cost of w.conf: stay on x/y as of 2026-01-01"));
	assert_non_null(strstr(u, "today: API bill 550.00, infrastructure 1000.00, engineering 10000.00 USD per month"));
	assert_non_null(strstr(u, "set ylabel 'USD per month'"));
	assert_non_null(strstr(u, "set ylabel 'API bill, % of engineering (log)'"));
	assert_non_null(strstr(u, "title 'engineering'"));
	assert_non_null(strstr(u, "title 'infrastructure'"));
	assert_non_null(strstr(u, "title 'API'"));
	assert_non_null(strstr(u, "with fillsteps"));
	assert_non_null(strstr(u, "'API bill under 1% of engineering cost median: 2026-02-10 80% range: 2026-01-20 .. not within the horizon'"));
	assert_non_null(strstr(u, "set object 1 rect from '2026-01-20', graph 0 to '2026-03-01', graph 1"));
	assert_non_null(strstr(u, "set arrow 1 from '2026-02-10', graph 0"));
	assert_non_null(strstr(u, "title 'threshold 1%'"));
	assert_non_null(strstr(u, "set xrange ['2025-01-01':'2026-03-01']"));
	free(u);
	if (gnuplot_on_path()) {
		if (rc != 0)
			fail_msg("render failed: %s", err.msg);
		assert_png(out, PLOT_DEFAULT_WIDTH, PLOT_DEFAULT_HEIGHT);
	}
	free(data);
	free(script);
	plot_files_release(&pf);
	/* a scenario without projection is refused with its reason */
	pr.s[1].available = 0;
	snprintf(pr.s[1].reason, sizeof(pr.s[1].reason), "no capability group");
	assert_int_equal(plot_cost(&cm, NULL, &pr, COSTMODEL_CHEAPEST, &po, &pf, &err), TT_EINVAL);
	assert_non_null(strstr(err.msg, "no capability group"));
	plot_files_release(&pf);
	profile_release(&prof);
}

/* case: the same workload across models, cheapest first */
static void test_cost_compare(void **state)
{
	struct profile prof;
	struct costmodel cm;
	struct costmodel_compare_row rows[3];
	struct costmodel_compare c;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], *data, *script, *u;
	struct plot_options po = { out, 0, 0, NULL, NULL };
	int rc;

	(void)state;
	cost_setup(&prof, &cm);
	prof.tokens_input = 300000000;
	memset(rows, 0, sizeof(rows));
	rows[0].bill.label = (char *)"va/alpha";
	rows[0].bill.bill_nanos = B(200);
	rows[0].system_nanos = B(11200);
	rows[0].cost_ratio = 2.0;
	rows[0].priced = 1;
	rows[1].bill.label = (char *)"vb/beta";
	rows[1].bill.bill_nanos = B(100);
	rows[1].system_nanos = B(11100);
	rows[1].cost_ratio = 1.0;
	rows[1].priced = 1;
	rows[2].bill.label = (char *)"vc/gamma";
	snprintf(rows[2].reason, sizeof(rows[2].reason), "no output price on 2026-01-01");
	memset(&c, 0, sizeof(c));
	c.v = rows;
	c.n = 3;
	c.n_priced = 2;
	c.cheapest = 1;
	snprintf(out, sizeof(out), "%s/compare.svg", tmpdir);
	rc = plot_cost_compare(&cm, &c, &po, &pf, &err);
	data = tt_read_file(pf.data, NULL);
	script = tt_read_file(pf.script, NULL);
	assert_non_null(data);
	assert_non_null(script);
	/* hand-checked: system +0.9% = (11200 - 11100) / 11100 */
	assert_non_null(strstr(data, "# vb/beta\n1 100.00 11100.00 1.0000 \"100.00 USD  (cheapest)\"\n"
				     "# va/alpha\n0 200.00 11200.00 2.0000 \"200.00 USD  (2\xc3\x97 the cheapest; whole system +0.9%)\"\n"));
	u = unwrapped(script);
	assert_non_null(strstr(u, "set title 'Monthly API bill of w.conf on each model prices in force on 2026-01-01  \xc2\xb7  300M tokens per month  \xc2\xb7  2 models priced'"));
	assert_non_null(strstr(u, "set xlabel 'USD per month'"));
	assert_non_null(strstr(u, "set ytics ('vb/beta' 1, 'va/alpha' 0)"));
	assert_non_null(strstr(u, "set arrow 1 from 100.00, graph 0 to 100.00, graph 1"));
	assert_non_null(strstr(u, "'1% of engineering = 100.00 USD'"));
	assert_non_null(strstr(u, "Not priced (1): vc/gamma (no output price on 2026-01-01)"));
	assert_non_null(strstr(u, "with boxxyerror"));
	assert_null(strstr(u, "logscale"));
	free(u);
	if (gnuplot_on_path()) {
		if (rc != 0)
			fail_msg("render failed: %s", err.msg);
		assert_svg(out, PLOT_DEFAULT_WIDTH, PLOT_DEFAULT_HEIGHT);
	}
	free(data);
	free(script);
	plot_files_release(&pf);
	profile_release(&prof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_and_default_path),
		cmocka_unit_test(test_forecast_png_script_and_data),
		cmocka_unit_test(test_forecast_asof_on_last_change),
		cmocka_unit_test(test_forecast_wide_bands_clipped),
		cmocka_unit_test(test_forecast_svg),
		cmocka_unit_test(test_date_fmt),
		cmocka_unit_test(test_no_gnuplot_on_path),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_history_lines_and_chart),
		cmocka_unit_test(test_history_group),
		cmocka_unit_test(test_cost_layers),
		cmocka_unit_test(test_cost_compare),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
