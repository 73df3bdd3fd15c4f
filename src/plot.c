/*
 * plot.c - write a forecast's gnuplot data file and script, and render them
 * by running gnuplot with fork/execvp (never through a shell).  See plot.h
 * for the files and the chart.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/plot.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"

void plot_files_release(struct plot_files *p)
{
	if (!p)
		return;
	FREE_AND_NULL(p->image);
	FREE_AND_NULL(p->data);
	FREE_AND_NULL(p->script);
}

/* The series key for a '#' comment line: no control characters and no
 * backslash (a trailing one would continue the comment onto the next line). */
static int plot_add_comment_key(struct buf *out, const struct series *s)
{
	struct buf t = BUF_INIT;
	size_t i;
	int rc = series_describe(s, &t);

	for (i = 0; i < t.len && rc == 0; i++) {
		unsigned char c = (unsigned char)t.buf[i];

		rc = buf_addch(out, (c < 0x20 || c == 0x7f || c == '\\') ? ' ' : (char)c);
	}
	buf_release(&t);
	return rc;
}

static int plot_add_safe_name(struct buf *out, const char *s)
{
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		rc = buf_addch(out, (isalnum(c) || c == '.' || c == '_' || c == '-') ? (char)c : '_');
	}
	return rc;
}

int plot_default_path(const struct series *s, struct buf *out)
{
	int rc = buf_adds(out, "plots/");

	if (rc == 0)
		rc = plot_add_safe_name(out, s->provider);
	if (rc == 0)
		rc = buf_addch(out, '-');
	if (rc == 0)
		rc = plot_add_safe_name(out, s->model);
	if (rc == 0)
		rc = buf_addch(out, '-');
	if (rc == 0)
		rc = plot_add_safe_name(out, s->dimension);
	if (rc == 0)
		rc = buf_adds(out, "-forecast.png");
	return rc < 0 ? TT_ENOMEM : 0;
}

int plot_quote(const char *text, struct buf *out)
{
	int rc = buf_addch(out, '\'');

	for (; text && *text && rc == 0; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == '\'')
			rc = buf_adds(out, "''");
		else if (c < 0x20 || c == 0x7f)
			rc = buf_addch(out, ' ');
		else
			rc = buf_addch(out, (char)c);
	}
	if (rc == 0)
		rc = buf_addch(out, '\'');
	return rc < 0 ? TT_ENOMEM : 0;
}

/* mkdir -p for the folder part of path (nothing when path has no '/'). */
static int plot_make_dirs(const char *path, struct tt_error *err)
{
	char *dir = strdup(path), *p;
	int rc = 0;

	if (!dir)
		return tt_set_error(err, TT_ENOMEM, "plot: out of memory");
	p = strrchr(dir, '/');
	if (!p || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char save = *p;

			*p = '\0';
			if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
				rc = tt_set_error(err, TT_EIO, "plot: cannot create folder '%s': %s", dir,
						  strerror(errno));
				goto out;
			}
			*p = save;
			if (!save)
				break;
		}
	}
out:
	free(dir);
	return rc;
}

/* Absolute form of path (its folder must exist). */
static char *plot_abspath(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct buf b = BUF_INIT;
	char *dir = NULL, *real = NULL;

	if (slash == path) /* "/x" */
		return strdup(path);
	dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return NULL;
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	if (buf_addf(&b, "%s/%s", real, slash ? slash + 1 : path) < 0) {
		free(real);
		buf_release(&b);
		return NULL;
	}
	free(real);
	return buf_detach(&b, NULL);
}

static int plot_write_file(const char *path, const struct buf *b, struct tt_error *err)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return tt_set_error(err, TT_EIO, "plot: cannot write '%s': %s", path, strerror(errno));
	if ((b->len && fwrite(b->buf, 1, b->len, fp) != b->len) || fflush(fp) != 0) {
		int e = errno;

		fclose(fp);
		return tt_set_error(err, TT_EIO, "plot: cannot write '%s': %s", path, strerror(e));
	}
	if (fclose(fp) != 0)
		return tt_set_error(err, TT_EIO, "plot: cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* Candidates drawn faintly beside the chosen one. */
static size_t plot_n_alt(const struct forecast *f)
{
	size_t j, n = 0;

	for (j = 0; j < f->n_candidates; j++)
		n += f->candidates[j].drawn != 0;
	return n;
}

/* Data: block 0 the history, block 1 the forecast, block 2 the last price
 * carried to the as-of date, block 3 the alternatives (gnuplot `index`). */
static int plot_build_data(const struct forecast *f, struct buf *d)
{
	const struct series *s = f->series;
	char a[48], b[48], c[48], e[48], g[48];
	const char *last_price = NULL;
	char lastbuf[MONEY_FMT_MAX];
	size_t i, j;
	int rc = 0;

	rc |= buf_adds(d, "# tokentrend forecast data for ");
	rc |= plot_add_comment_key(d, s);
	rc |= buf_addf(d, " (%s per %s, source %s), as of %s\n", s->currency, s->unit,
		       s->source && s->source[0] ? s->source : "-", f->as_of);
	rc |= buf_adds(d, "# block 0 (index 0): list-price history, one row per change: date price\n");
	rc |= buf_adds(d, "# (zero prices cannot be drawn on a log axis and are commented out)\n");
	for (i = 0; i < s->n; i++) {
		const struct series_point *p = &s->v[i];

		if (p->nanos == 0) {
			rc |= buf_addf(d, "# %s 0 (free)\n", p->date);
			last_price = NULL;
			continue;
		}
		last_price = money_format(p->nanos, lastbuf, sizeof(lastbuf)); /* exact */
		rc |= buf_addf(d, "%s %s\n", p->date, last_price);
	}
	rc |= buf_adds(d, "\n\n# block 1 (index 1): forecast: date median");
	if (f->n_proj && f->points[0].has_interval)
		rc |= buf_adds(d, " lo80 hi80 lo95 hi95 (prediction intervals)");
	rc |= buf_addch(d, '\n');
	for (i = 0; i < f->n_proj; i++) {
		const struct forecast_point *p = &f->points[i];

		rc |= buf_addf(d, "%s %s", p->date, forecast_fmt_num(p->median, 8, a, sizeof(a)));
		if (p->has_interval)
			rc |= buf_addf(d, " %s %s %s %s", forecast_fmt_num(p->lo80, 8, b, sizeof(b)),
				       forecast_fmt_num(p->hi80, 8, c, sizeof(c)),
				       forecast_fmt_num(p->lo95, 8, e, sizeof(e)),
				       forecast_fmt_num(p->hi95, 8, g, sizeof(g)));
		rc |= buf_addch(d, '\n');
	}
	rc |= buf_adds(d, "\n\n# block 2 (index 2): the last price carried to the as-of date: date price\n");
	if (last_price && s->n && strcmp(f->as_of, s->v[s->n - 1].date) > 0)
		rc |= buf_addf(d, "%s %s\n%s %s\n", s->v[s->n - 1].date, last_price, f->as_of,
			       last_price);
	/* block 3: the other candidates' medians, one column each, in candidate order */
	rc |= buf_adds(d, "\n\n# block 3 (index 3): other candidate models' medians: date");
	for (j = 0; j < f->n_candidates; j++)
		if (f->candidates[j].drawn)
			rc |= buf_addf(d, " %s", fit_model_name(f->candidates[j].model));
	rc |= buf_addch(d, '\n');
	for (i = 0; i < f->n_proj && plot_n_alt(f); i++) {
		rc |= buf_adds(d, f->points[i].date);
		for (j = 0; j < f->n_candidates; j++)
			if (f->candidates[j].drawn)
				rc |= buf_addf(d, " %s", forecast_fmt_num(f->points[i].alt[j], 8, a, sizeof(a)));
		rc |= buf_addch(d, '\n');
	}
	return rc ? TT_ENOMEM : 0;
}

/* "loglinear: 11.8×/yr, half-life 3.37 months" */
static int plot_rate_text(const struct forecast *f, struct buf *t)
{
	char a[48], b[48];
	int rc = buf_addf(t, "%s: ", fit_model_name(f->model));

	if (!f->has_factor)
		return rc | buf_adds(t, "no rate");
	if (f->rate_per_year > 0.0) {
		rc |= buf_addf(t, "falls %s\xc3\x97/yr", forecast_fmt_num(f->factor_per_year, 3, a, sizeof(a)));
		if (f->has_half_life)
			rc |= buf_addf(t, ", half-life %s months",
				       forecast_fmt_num(f->half_life_days / 30.4375, 3, b, sizeof(b)));
	} else if (f->rate_per_year < 0.0) {
		rc |= buf_addf(t, "rising %s\xc3\x97/yr, no half-life",
			       forecast_fmt_num(1.0 / f->factor_per_year, 3, a, sizeof(a)));
	} else {
		rc |= buf_adds(t, "no decline (flat)");
	}
	return rc;
}

static int plot_cross_text(struct buf *t, const struct forecast_date *d)
{
	switch (d->status) {
	case FIT_CROSS_DATE: return buf_adds(t, d->date);
	case FIT_CROSS_ALREADY_BELOW: return buf_adds(t, "already below");
	case FIT_CROSS_BEYOND_HORIZON: return buf_adds(t, "not within the horizon");
	case FIT_CROSS_NEVER: return buf_adds(t, "never (rising or flat series)");
	case FIT_CROSS_UNAVAILABLE: return buf_adds(t, "unavailable");
	case FIT_CROSS_NEVER_FLOOR: return buf_adds(t, "never (the fitted floor is above it)");
	}
	return 0;
}

static int plot_build_script(const struct forecast *f, const char *image, const char *data,
			     int svg, int width, int height, struct buf *g)
{
	const struct series *s = f->series;
	struct buf t = BUF_INIT;
	char a[48], x0[11];
	int rc = 0, bands = f->n_proj && f->points[0].has_interval, col;
	int64_t first;
	size_t j;

#define Q(text) (rc |= plot_quote((text), g))
	rc |= buf_adds(g, "# tokentrend forecast chart for ");
	rc |= plot_add_comment_key(g, s);
	rc |= buf_adds(g, "\n# Generated; re-render with: gnuplot <this file>\n");
	rc |= buf_adds(g, "set encoding utf8\n");
	if (svg) {
		rc |= buf_addf(g, "set terminal svg size %d,%d dynamic noenhanced font 'DejaVu Sans,12' "
				  "background rgb 'white'\n", width, height);
	} else {
		/* pngcairo when this gnuplot has it, else the libgd png terminal. */
		rc |= buf_addf(g, "if (strstrt(GPVAL_TERMINALS.' ', ' pngcairo ') > 0) {\n"
				  "  set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,11' "
				  "background rgb 'white'\n"
				  "} else {\n"
				  "  set terminal png size %d,%d noenhanced font 'DejaVu Sans,11' "
				  "background rgb 'white'\n"
				  "}\n", width, height, width, height);
	}
	rc |= buf_adds(g, "set output ");
	Q(image);
	rc |= buf_adds(g, "\n");

	/* Title: the series, then the model and rate. */
	rc |= series_describe(s, &t);
	rc |= buf_adds(g, "set title ");
	Q(t.buf);
	buf_reset(&t);
	rc |= plot_rate_text(f, &t);
	rc |= buf_adds(g, ".\"\\n\".");
	Q(t.buf);
	buf_reset(&t);
	rc |= buf_adds(g, " font ',13'\n");

	rc |= buf_addf(&t, "%s per %s (log scale)", s->currency, s->unit);
	rc |= buf_adds(g, "set ylabel ");
	Q(t.buf);
	buf_reset(&t);
	rc |= buf_adds(g, "\nset xlabel 'date'\n");
	rc |= buf_adds(g, "set xdata time\nset timefmt '%Y-%m-%d'\nset format x '%Y-%m'\n"
			  "set logscale y\nset format y '%g'\nset mytics 10\n"
			  "set grid xtics ytics mytics lc rgb '#dddddd'\n"
			  "set key top right box opaque\nset border 3\nset tics nomirror\n"
			  "set lmargin 12\nset bmargin 6\n");
	first = s->n ? s->v[0].day : f->day0;
	rc |= buf_addf(g, "set xrange ['%s':'%s']\n", date_format(first, x0), f->end_date);

	/* The "as of" line: date, n, source, what the bands are. */
	rc |= buf_addf(&t, "as of %s; n = %zu priced changes (%s .. %s); source %s; ", f->as_of,
		       f->n_points, f->first_date, f->last_date,
		       s->source && s->source[0] ? s->source : "-");
	rc |= buf_adds(&t, bands ? "bands: 80% and 95% prediction intervals; line: median"
			       : "median only: uncertainty unavailable");
	if (f->free_since[0])
		rc |= buf_addf(&t, "; free since %s", f->free_since);
	rc |= buf_addf(&t, "; %s %s", fit_model_name(f->model),
		       f->forced ? "forced" : f->selected_by_backtest ? "chosen by backtest"
								 : "shown unvalidated (too few points to score)");
	if (f->n_common && !f->beats_naive)
		rc |= buf_adds(&t, "; naive (no change) did better in the backtest");
	rc |= buf_adds(g, "set label 1 ");
	Q(t.buf);
	buf_reset(&t);
	rc |= buf_adds(g, " at screen 0.01, screen 0.025 left font ',10' tc rgb '#444444'\n");

	rc |= buf_addf(g, "set arrow 2 from '%s', graph 0 to '%s', graph 1 nohead dt 2 lc rgb '#888888'\n"
			  "set label 3 'as of' at '%s', graph 0.97 right offset -0.5,0 font ',9' tc rgb '#666666'\n",
		       f->as_of, f->as_of, f->as_of);
	if (f->has_target) {
		rc |= buf_addf(&t, "target %.4g %s per %s: median ", f->target, s->currency, s->unit);
		rc |= plot_cross_text(&t, &f->cross_median);
		rc |= buf_adds(&t, "; 80% range ");
		if (f->cross_early.status == FIT_CROSS_UNAVAILABLE) {
			rc |= buf_adds(&t, "unavailable (no interval)");
		} else {
			rc |= plot_cross_text(&t, &f->cross_early);
			rc |= buf_adds(&t, " .. ");
			rc |= plot_cross_text(&t, &f->cross_late);
		}
		rc |= buf_adds(g, "set label 2 ");
		Q(t.buf);
		buf_reset(&t);
		rc |= buf_adds(g, " at graph 0.01, graph 0.04 left font ',10' tc rgb '#aa0000' front\n");
		if (f->cross_median.status == FIT_CROSS_DATE)
			rc |= buf_addf(g, "set arrow 1 from '%s', graph 0 to '%s', graph 1 nohead dt 3 "
					  "lc rgb '#aa0000'\n", f->cross_median.date, f->cross_median.date);
	}

	rc |= buf_adds(g, "plot \\\n");
	if (bands) {
		rc |= buf_adds(g, "  ");
		Q(data);
		rc |= buf_adds(g, " index 1 using 1:5:6 with filledcurves fc rgb '#d5dbff' "
				  "title '95% prediction interval', \\\n  '' index 1 using 1:3:4 with "
				  "filledcurves fc rgb '#8c9be6' title '80% prediction interval', \\\n  '' ");
	} else {
		rc |= buf_adds(g, "  ");
		Q(data);
		rc |= buf_adds(g, " ");
	}
	rc |= buf_adds(g, "index 1 using 1:2 with lines lw 2.5 lc rgb '#1f3a93' title 'median forecast', \\\n"
			  "  '' index 0 using 1:2 with steps lw 2 lc rgb '#111111' title 'list price', \\\n"
			  "  '' index 0 using 1:2 with points pt 7 ps 1.0 lc rgb '#111111' notitle");
	if (s->n && s->v[s->n - 1].nanos > 0 && strcmp(f->as_of, s->v[s->n - 1].date) > 0)
		rc |= buf_adds(g, ", \\\n  '' index 2 using 1:2 with lines lw 2 lc rgb '#111111' notitle");
	for (j = 0, col = 2; j < f->n_candidates; j++) {
		if (!f->candidates[j].drawn)
			continue;
		rc |= buf_addf(g, ", \\\n  '' index 3 using 1:%d with lines dt %d lw 1.2 lc rgb '#9a9a9a' title ",
			       col, 2 + (col % 3));
		rc |= buf_addf(&t, "%s (alternative)", fit_model_name(f->candidates[j].model));
		Q(t.buf);
		buf_reset(&t);
		col++;
	}
	if (f->has_target) {
		rc |= buf_addf(g, ", \\\n  %s with lines dt 2 lw 1.5 lc rgb '#aa0000' title ",
			       forecast_fmt_num(f->target, 10, a, sizeof(a)));
		rc |= buf_addf(&t, "target %.4g", f->target);
		Q(t.buf);
		buf_reset(&t);
	}
	rc |= buf_adds(g, "\nunset output\n");
#undef Q
	buf_release(&t);
	return rc ? TT_ENOMEM : 0;
}

/* Run prog with the script; capture the end of its stderr for the error message. */
static int plot_run_gnuplot(const char *prog, const char *script, const char *image,
			    const char *data, struct tt_error *err)
{
	int errpipe[2] = { -1, -1 }, outpipe[2] = { -1, -1 };
	char tail[1024], chunk[512]; /* chunk must stay smaller than tail */
	size_t tlen = 0;
	int child_errno = 0, status = 0, rc = TT_EFAIL;
	ssize_t r;
	pid_t pid;

	if (pipe2(errpipe, O_CLOEXEC) < 0 || pipe2(outpipe, O_CLOEXEC) < 0) {
		rc = tt_set_error(err, TT_EFAIL, "plot: pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = tt_set_error(err, TT_EFAIL, "plot: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		char *argv[3];
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
		}
		dup2(outpipe[1], 2);
		argv[0] = (char *)prog;
		argv[1] = (char *)script;
		argv[2] = NULL;
		execvp(prog, argv);
		child_errno = errno;
		if (write(errpipe[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(126);
		_exit(127);
	}
	close(errpipe[1]);
	errpipe[1] = -1;
	close(outpipe[1]);
	outpipe[1] = -1;
	do
		r = read(errpipe[0], &child_errno, sizeof(child_errno));
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)sizeof(child_errno))
		child_errno = 0;
	for (;;) {
		r = read(outpipe[0], chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		/* keep the last sizeof(tail) - 1 bytes (chunk is smaller than tail) */
		if (tlen + (size_t)r > sizeof(tail) - 1) {
			size_t drop = tlen + (size_t)r - (sizeof(tail) - 1);

			memmove(tail, tail + drop, tlen - drop);
			tlen -= drop;
		}
		memcpy(tail + tlen, chunk, (size_t)r);
		tlen += (size_t)r;
	}
	tail[tlen] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = tt_set_error(err, TT_EFAIL, "plot: waitpid: %s", strerror(errno));
			goto out;
		}
	}
	if (child_errno) {
		if (child_errno == ENOENT)
			rc = tt_set_error(err, TT_ENOTFOUND,
					  "gnuplot ('%s') was not found on PATH, so %s was not rendered; "
					  "the data (%s) and script (%s) were written: install gnuplot "
					  "(Debian: gnuplot-nox) and run: gnuplot '%s'",
					  prog, image, data, script, script);
		else
			rc = tt_set_error(err, TT_ENOTFOUND, "cannot run gnuplot ('%s'): %s; the data (%s) "
					  "and script (%s) were written", prog, strerror(child_errno),
					  data, script);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		while (tlen && isspace((unsigned char)tail[tlen - 1]))
			tail[--tlen] = '\0';
		rc = tt_set_error(err, TT_EFAIL, "gnuplot failed on %s (%s %d)%s%s", script,
				  WIFEXITED(status) ? "exit status" : "signal",
				  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				  tlen ? ": " : "", tail);
		goto out;
	}
	rc = 0;
out:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	if (outpipe[0] >= 0)
		close(outpipe[0]);
	if (outpipe[1] >= 0)
		close(outpipe[1]);
	return rc;
}

int plot_forecast(const struct forecast *f, const struct plot_options *o, struct plot_files *files,
		  struct tt_error *err)
{
	struct buf path = BUF_INIT, data = BUF_INIT, script = BUF_INIT, stem = BUF_INIT;
	const char *ext, *image;
	char *abs_image = NULL, *abs_data = NULL;
	int width = o->width ? o->width : PLOT_DEFAULT_WIDTH;
	int height = o->height ? o->height : PLOT_DEFAULT_HEIGHT;
	int svg, rc;
	struct stat st;

	if (!f->n_proj)
		return tt_set_error(err, TT_EINVAL, "nothing to plot: %s",
				    f->reason[0] ? f->reason : "the forecast has no projection");
	if (width < 200 || width > 10000 || height < 200 || height > 10000)
		return tt_set_error(err, TT_EINVAL, "plot: size %dx%d is not within 200..10000 pixels",
				    width, height);
	if (o->out && o->out[0]) {
		image = o->out;
	} else {
		rc = plot_default_path(f->series, &path);
		if (rc < 0)
			goto nomem;
		image = path.buf;
	}
	ext = strrchr(image, '.');
	if (!ext || strchr(ext, '/') || (strcasecmp(ext, ".png") && strcasecmp(ext, ".svg"))) {
		rc = tt_set_error(err, TT_EINVAL,
				  "plot: output '%s' must end in .png or .svg", image);
		goto out;
	}
	svg = !strcasecmp(ext, ".svg");
	if (buf_add(&stem, image, (size_t)(ext - image)) < 0)
		goto nomem;
	files->image = strdup(image);
	if (!files->image || buf_addf(&data, "%s.dat", stem.buf) < 0 ||
	    buf_addf(&script, "%s.gp", stem.buf) < 0)
		goto nomem;
	files->data = buf_detach(&data, NULL);
	files->script = buf_detach(&script, NULL);

	rc = plot_make_dirs(image, err);
	if (rc < 0)
		goto out;
	abs_image = plot_abspath(files->image);
	abs_data = plot_abspath(files->data);
	if (!abs_image || !abs_data) {
		rc = tt_set_error(err, TT_EIO, "plot: cannot resolve the folder of '%s': %s", image,
				  strerror(errno));
		goto out;
	}
	rc = plot_build_data(f, &data);
	if (rc == 0)
		rc = plot_build_script(f, abs_image, abs_data, svg, width, height, &script);
	if (rc < 0)
		goto nomem;
	rc = plot_write_file(files->data, &data, err);
	if (rc == 0)
		rc = plot_write_file(files->script, &script, err);
	if (rc < 0)
		goto out;
	rc = plot_run_gnuplot(o->gnuplot && o->gnuplot[0] ? o->gnuplot : "gnuplot", files->script,
			      files->image, files->data, err);
	if (rc < 0)
		goto out;
	if (stat(files->image, &st) < 0 || st.st_size == 0) {
		rc = tt_set_error(err, TT_EFAIL, "gnuplot ran but wrote no image at %s", files->image);
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	free(abs_image);
	free(abs_data);
	buf_release(&path);
	buf_release(&data);
	buf_release(&script);
	buf_release(&stem);
	return rc;
}
