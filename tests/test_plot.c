/*
 * test_plot.c - the forecast fan chart: script text (title, labels, units,
 * escaping), data file values, a real PNG/SVG render when gnuplot is on
 * PATH (signature and IHDR size), and the clear error with the script and
 * data still written when it is not.  Everything goes to a temporary folder.
 */
#include "tt_test.h"
#include "tokentrend/tt_compat.h"
#include "tokentrend/money.h"
#include "tokentrend/plot.h"

static char tmpdir[256];

static const struct {
	const char *date, *price;
} tv4[] = {
	{ "2021-11-20", "60" }, { "2022-09-01", "20" }, { "2023-03-06", "2.0" },
	{ "2023-07-18", "0.56" }, { "2023-12-01", "0.20" }, { "2024-04-14", "0.13" },
	{ "2024-07-23", "0.10" }, { "2024-09-24", "0.08" }, { "2024-10-03", "0.07" },
};

static void build_forecast(struct series *s, struct forecast *f, const char *model)
{
	struct forecast_options o = { "2025-06-01", 0, 1, 0.001, "loglinear" };
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

static void test_quote_and_default_path(void **state)
{
	struct series s = SERIES_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < TT_ARRAY_SIZE(quote_cases); i++) {
		buf_reset(&b);
		assert_int_equal(plot_quote(quote_cases[i].in, &b), 0);
		assert_string_equal(b.buf, quote_cases[i].out);
	}
	buf_reset(&b);
	assert_int_equal(series_set_key(&s, "openrouter", "openai/gpt-4o", "output", NULL, NULL, NULL,
					NULL, NULL, NULL), 0);
	assert_int_equal(plot_default_path(&s, &b), 0);
	assert_string_equal(b.buf, "plots/openrouter-openai_gpt-4o-output-forecast.png");
	buf_release(&b);
	series_release(&s);
}

static void test_png_script_and_data(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512], want[512], pwned[600];
	struct plot_options po = { out, 800, 500, NULL, NULL };
	char *script, *data, *png;
	size_t len = 0;
	int rc;

	(void)state;
	/* A scraped model id with a quote, a newline and a command: stays text. */
	build_forecast(&s, &f, "evil'; system('touch pwned') #\nx\\");
	snprintf(out, sizeof(out), "%s/sub/dir/chart.png", tmpdir);
	rc = plot_forecast(&f, &po, &pf, &err);

	script = tt_read_file(pf.script, NULL);
	data = tt_read_file(pf.data, NULL);
	assert_non_null(script);
	assert_non_null(data);
	snprintf(want, sizeof(want), "%s/sub/dir/chart.gp", tmpdir);
	assert_string_equal(pf.script, want);
	/* title, model and rate, units, as-of line, bands */
	assert_non_null(strstr(script, "set title 'demo/evil''; system(''touch pwned'') # x\\ input standard'"));
	assert_non_null(strstr(script, "loglinear: falls 11.8\xc3\x97/yr, half-life 3.37 months"));
	/* the other candidates are drawn faintly, from block 3 of the data */
	assert_non_null(strstr(script, "index 3 using 1:2"));
	assert_non_null(strstr(script, "(alternative)"));
	assert_non_null(strstr(script, "loglinear forced"));
	assert_non_null(strstr(script, "set ylabel 'USD per 1M tokens (log scale)'"));
	assert_non_null(strstr(script, "set xlabel 'date'"));
	assert_non_null(strstr(script, "set logscale y"));
	assert_non_null(strstr(script, "as of 2025-06-01; n = 9 priced changes"));
	assert_non_null(strstr(script, "filledcurves"));
	assert_non_null(strstr(script, "with steps"));
	assert_non_null(strstr(script, "80% prediction interval"));
	assert_non_null(strstr(script, "95% prediction interval"));
	assert_non_null(strstr(script, "median 2026-05-07"));
	assert_non_null(strstr(script, "size 800,500"));
	assert_null(strstr(script, "nan"));
	/* data: exact history, then the forecast rows */
	assert_non_null(strstr(data, "\n2021-11-20 60.00\n"));
	assert_non_null(strstr(data, "\n2024-10-03 0.07\n"));
	{
		const char *blk = strstr(data, "# block 1");
		const char *row;
		double med, lo80, hi80, lo95, hi95;
		char date[11];

		assert_non_null(blk);
		row = strchr(blk, '\n') + 1;
		assert_int_equal(sscanf(row, "%10s %lf %lf %lf %lf %lf", date, &med, &lo80, &hi80, &lo95, &hi95), 6);
		assert_string_equal(date, f.points[0].date);
		assert_rel(med, f.points[0].median, 1e-7);
		assert_rel(lo80, f.points[0].lo80, 1e-7);
		assert_rel(hi95, f.points[0].hi95, 1e-7);
	}
	assert_non_null(strstr(data, "\n2024-10-03 0.07\n2025-06-01 0.07\n")); /* carried to as-of */

	if (gnuplot_on_path()) {
		if (rc != 0)
			fail_msg("render failed: %s", err.msg);
		png = tt_read_file(out, &len);
		assert_non_null(png);
		assert_true(len > 1000);
		assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
		assert_memory_equal(png + 12, "IHDR", 4);
		assert_int_equal(be32((const unsigned char *)png + 16), 800);
		assert_int_equal(be32((const unsigned char *)png + 20), 500);
		free(png);
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

static void test_svg(void **state)
{
	struct series s = SERIES_INIT;
	struct forecast f;
	struct plot_files pf = PLOT_FILES_INIT;
	struct tt_error err = { 0 };
	char out[512];
	struct plot_options po = { out, 0, 0, NULL, NULL };
	char *svg;

	(void)state;
	if (!gnuplot_on_path()) {
		printf("SKIP: gnuplot is not on PATH; svg render skipped\n");
		return;
	}
	build_forecast(&s, &f, "m");
	snprintf(out, sizeof(out), "%s/chart.svg", tmpdir);
	if (plot_forecast(&f, &po, &pf, &err) != 0)
		fail_msg("svg render failed: %s", err.msg);
	svg = tt_read_file(out, NULL);
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<svg"));
	assert_non_null(strstr(svg, "viewBox=\"0 0 1200 750\""));
	free(svg);
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
	build_forecast(&s, &f, "m");
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
	build_forecast(&s, &f, "m");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_and_default_path),
		cmocka_unit_test(test_png_script_and_data),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_no_gnuplot_on_path),
		cmocka_unit_test(test_bad_requests),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
