/*
 * plot.c - what every chart shares: output paths beside the image, gnuplot
 * string quoting, the terminal lines of a script, and rendering by running
 * gnuplot with fork/execvp (never through a shell).  The charts themselves
 * are in plot_forecast.c, plot_history.c and plot_cost.c; see plot.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/plot.h"

#include "tokentrend/clock.h"
#include "plot_int.h"

/* Tableau 10, then two darker tones: distinguishable on white and in print. */
const char *const plot_colors[PLOT_N_COLORS] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
};

void plot_files_release(struct plot_files *p)
{
	if (!p)
		return;
	FREE_AND_NULL(p->image);
	FREE_AND_NULL(p->data);
	FREE_AND_NULL(p->script);
}

int plot_add_comment(struct buf *out, const char *text)
{
	int rc = 0;

	/* no control characters and no backslash (a trailing one would continue
	 * the comment onto the next line) */
	for (; text && *text && rc == 0; text++) {
		unsigned char c = (unsigned char)*text;

		rc = buf_addch(out, (c < 0x20 || c == 0x7f || c == '\\') ? ' ' : (char)c);
	}
	return rc < 0 ? TT_ENOMEM : 0;
}

int plot_add_safe_name(struct buf *out, const char *s)
{
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		rc = buf_addch(out, (isalnum(c) || c == '.' || c == '_' || c == '-') ? (char)c : '_');
	}
	return rc < 0 ? TT_ENOMEM : 0;
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

void plot_out_release(struct plot_out *po)
{
	if (!po)
		return;
	FREE_AND_NULL(po->abs_image);
	FREE_AND_NULL(po->abs_data);
}

int plot_begin(const struct plot_options *o, const char *default_image, struct plot_files *files,
	       struct plot_out *po, struct tt_error *err)
{
	struct buf data = BUF_INIT, script = BUF_INIT, stem = BUF_INIT;
	const char *ext, *image = o->out && o->out[0] ? o->out : default_image;
	int rc;

	po->width = o->width ? o->width : PLOT_DEFAULT_WIDTH;
	po->height = o->height ? o->height : PLOT_DEFAULT_HEIGHT;
	if (po->width < 200 || po->width > 10000 || po->height < 200 || po->height > 10000)
		return tt_set_error(err, TT_EINVAL, "plot: size %dx%d is not within 200..10000 pixels",
				    po->width, po->height);
	ext = image ? strrchr(image, '.') : NULL;
	if (!ext || strchr(ext, '/') || (strcasecmp(ext, ".png") && strcasecmp(ext, ".svg")))
		return tt_set_error(err, TT_EINVAL, "plot: output '%s' must end in .png or .svg",
				    image ? image : "");
	po->svg = !strcasecmp(ext, ".svg");
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
	po->abs_image = plot_abspath(files->image);
	po->abs_data = plot_abspath(files->data);
	if (!po->abs_image || !po->abs_data) {
		rc = tt_set_error(err, TT_EIO, "plot: cannot resolve the folder of '%s': %s", image,
				  strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	buf_release(&data);
	buf_release(&script);
	buf_release(&stem);
	return rc;
}

int plot_add_header(struct buf *g, const char *what, const struct plot_out *po)
{
	int rc = 0;

	rc |= buf_adds(g, "# tokentrend: ");
	rc |= plot_add_comment(g, what);
	rc |= buf_adds(g, "\n# Generated by tokentrend.  Restyle freely and re-render with: gnuplot <this file>\n"
			  "# The data file named in the plot command below holds every value drawn;\n"
			  "# its comments say what each block (index N) and column is.\n");
	rc |= buf_adds(g, "set encoding utf8\n");
	if (po->svg) {
		rc |= buf_addf(g, "set terminal svg size %d,%d fixed noenhanced font 'DejaVu Sans,12' "
				  "background rgb 'white'\n", po->width, po->height);
	} else {
		/* pngcairo when this gnuplot has it, else the libgd png terminal. */
		rc |= buf_addf(g, "if (strstrt(GPVAL_TERMINALS.' ', ' pngcairo ') > 0) {\n"
				  "  set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,11' "
				  "background rgb 'white'\n"
				  "} else {\n"
				  "  set terminal png size %d,%d noenhanced font 'DejaVu Sans,11' "
				  "background rgb 'white'\n"
				  "}\n", po->width, po->height, po->width, po->height);
	}
	rc |= buf_adds(g, "set output ");
	rc |= plot_quote(po->abs_image, g);
	rc |= buf_addch(g, '\n');
	return rc ? TT_ENOMEM : 0;
}

int plot_finish(const struct plot_options *o, const struct plot_files *files,
		const struct buf *data, const struct buf *script, struct tt_error *err)
{
	struct stat st;
	int rc = plot_write_file(files->data, data, err);

	if (rc == 0)
		rc = plot_write_file(files->script, script, err);
	if (rc < 0)
		return rc;
	/* a stale image from an earlier run must not pass for this one */
	if (unlink(files->image) < 0 && errno != ENOENT)
		return tt_set_error(err, TT_EIO, "plot: cannot replace '%s': %s", files->image,
				    strerror(errno));
	rc = plot_run_gnuplot(o->gnuplot && o->gnuplot[0] ? o->gnuplot : "gnuplot", files->script,
			      files->image, files->data, err);
	if (rc < 0)
		return rc;
	if (stat(files->image, &st) < 0 || st.st_size == 0)
		return tt_set_error(err, TT_EFAIL, "gnuplot ran but wrote no image at %s", files->image);
	return 0;
}

/* Characters (not bytes) of UTF-8 text s[0..n). */
static size_t plot_utf8_len(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

int plot_quote_lines(const char *text, size_t wrap, struct buf *out, int *nlines)
{
	const char *p = text ? text : "";
	struct buf line = BUF_INIT;
	int rc = 0, n = 0;

	for (;;) {
		size_t len = strcspn(p, "\n"), take = len;

		/* the longest prefix of whole words within wrap characters */
		if (wrap && plot_utf8_len(p, len) > wrap) {
			size_t i, best = 0;

			for (i = 0; i < len && plot_utf8_len(p, i) <= wrap; i++)
				if (p[i] == ' ')
					best = i;
			if (!best) /* one long word: break at the first space after it */
				for (best = 0; best < len && p[best] != ' '; best++)
					;
			take = best;
		}
		buf_reset(&line);
		rc |= buf_add(&line, p, take);
		if (n++)
			rc |= buf_adds(out, ".\"\\n\".");
		rc |= plot_quote(line.buf, out);
		p += take;
		if (take < len) {
			p++; /* the space the line was broken at */
			continue;
		}
		if (*p != '\n')
			break;
		p++;
	}
	buf_release(&line);
	if (nlines)
		*nlines = n;
	return rc ? TT_ENOMEM : 0;
}

int plot_add_log_ytics(struct buf *g, double lo, double hi)
{
	static const double m1[] = { 1 }, m3[] = { 1, 2, 3, 5 }, m7[] = { 1, 1.5, 2, 3, 4, 5, 7 };
	const double *m;
	double span, dec;
	size_t nm, i;
	int rc = 0, n = 0;

	if (!(lo > 0.0) || !(hi > lo) || !isfinite(hi))
		return 0;
	span = log10(hi / lo);
	if (span >= 3.0) {
		m = m1;
		nm = 1;
	} else if (span >= 1.2) {
		m = m3;
		nm = TT_ARRAY_SIZE(m3);
	} else {
		m = m7;
		nm = TT_ARRAY_SIZE(m7);
	}
	rc |= buf_adds(g, "set ytics (");
	for (dec = pow(10.0, floor(log10(lo))); dec <= hi && n < 60; dec *= 10.0) {
		for (i = 0; i < nm; i++) {
			double v = dec * m[i];
			char a[48];

			if (v < lo * 0.999 || v > hi * 1.001)
				continue;
			/* plain decimals, never exponents: 0.00001, not 1e-05 */
			if (v >= 1e-4) {
				snprintf(a, sizeof(a), "%.6g", v);
			} else {
				char *e;

				snprintf(a, sizeof(a), "%.*f", (int)ceil(-log10(v)) + 2, v);
				for (e = a + strlen(a); e > a && e[-1] == '0'; e--)
					e[-1] = '\0';
			}
			rc |= buf_addf(g, "%s'%s' %s", n++ ? ", " : "", a, a);
		}
	}
	rc |= buf_adds(g, ")\n");
	return rc ? TT_ENOMEM : 0;
}

#define PLOT_DAY_LABELS_MAX_DAYS 240

const char *plot_date_fmt(const char *from, const char *to)
{
	int64_t a, b;

	if (date_parse(from, &a) == 0 && date_parse(to, &b) == 0 && b - a < PLOT_DAY_LABELS_MAX_DAYS)
		return "%Y-%m-%d";
	return "%Y-%m";
}
