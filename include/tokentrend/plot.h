/*
 * plot.h - forecast fan charts: a gnuplot data file and script written
 * beside the image, rendered by running gnuplot directly (fork/execvp, no
 * shell).
 *
 * Files: for an image "DIR/STEM.png" (or .svg) the data go to DIR/STEM.dat
 * and the script to DIR/STEM.gp; the script names both by absolute path, so
 * `gnuplot DIR/STEM.gp` re-renders from anywhere.  The script picks the
 * pngcairo terminal when this gnuplot has it and falls back to the libgd
 * `png` terminal (Debian's gnuplot-nox 5.4 has both; some builds lack
 * cairo), with the DejaVu Sans font (fonts-dejavu-core); .svg uses `svg`.
 *
 * The chart: list-price history as steps with its change points, the
 * median forecast line, 80% and 95% prediction bands, a log price axis
 * labelled with currency and unit, dates on x, a title with the model and
 * rate ("loglinear: 11.8x/yr, half-life 3.4 months"), an "as of" line with
 * n and the source, and the target line with its crossing dates when the
 * forecast has a target.  Every text from the data (model ids come from
 * scraped pages) is escaped as a gnuplot single-quoted string and drawn
 * with enhanced text off; none of it ever reaches a shell.
 */
#ifndef TT_PLOT_H
#define TT_PLOT_H

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/forecast.h"

#define PLOT_DEFAULT_WIDTH 1200
#define PLOT_DEFAULT_HEIGHT 750

struct plot_options {
	const char *out;     /* image path ending .png or .svg; NULL: plot_default_path() */
	int width, height;   /* pixels, 200..10000; 0: the defaults above */
	const char *gnuplot; /* program to run; NULL: "gnuplot" looked up on PATH */
};

/* The files of one plot; strings owned (plot_files_release). */
struct plot_files {
	char *image;
	char *data;
	char *script;
};

#define PLOT_FILES_INIT { NULL, NULL, NULL }

/*
 * Append the default image path "plots/<provider>-<model>-<dimension>-forecast.png"
 * to out; characters outside [A-Za-z0-9._-] in the names become '_' (model
 * ids such as "openai/gpt-4o" carry slashes).  Returns 0 or TT_ENOMEM.
 */
int plot_default_path(const struct series *s, struct buf *out);

/*
 * Escape text as a gnuplot single-quoted string literal, quotes included:
 * ' becomes '' and control characters become spaces.  Returns 0 or TT_ENOMEM.
 */
int plot_quote(const char *text, struct buf *out);

/*
 * Write the data file and the script for f, then render the image with
 * gnuplot.  Creates the image's folder when missing.  f must have a
 * projection (f->n_proj > 0).  files receives the three paths whatever
 * happens after they are known.
 * Returns 0; TT_EINVAL (no projection: err carries the forecast's reason;
 * bad extension or size); TT_EIO (a file could not be written: err names
 * it); TT_ENOTFOUND (gnuplot is not installed or not on PATH: the data and
 * script ARE written and err says how to render them); TT_EFAIL (gnuplot
 * failed: err holds its exit status and the end of its stderr).
 */
int plot_forecast(const struct forecast *f, const struct plot_options *o, struct plot_files *files,
		  struct tt_error *err);

/* Free the paths; NULL is a no-op. */
void plot_files_release(struct plot_files *p);

#endif /* TT_PLOT_H */
