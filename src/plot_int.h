/*
 * plot_int.h - what the chart files (plot_forecast.c, plot_history.c,
 * plot_cost.c) share with plot.c: resolving the three output paths,
 * the terminal lines of a script, comment-safe text, and writing the
 * files then running gnuplot.  Internal to the plot module.
 */
#ifndef TT_PLOT_INT_H
#define TT_PLOT_INT_H

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/plot.h"

/* One plot's resolved output (plot_begin); release with plot_out_release. */
struct plot_out {
	int svg;          /* 1: svg terminal, 0: png */
	int width, height;
	char *abs_image;  /* absolute paths the script names (owned) */
	char *abs_data;
};

#define PLOT_OUT_INIT { 0, 0, 0, NULL, NULL }

/*
 * Check the size and extension, choose the image path (o->out, else
 * default_image), fill files with image/.dat/.gp, create the folder and
 * resolve absolute paths into po.  Returns 0, TT_EINVAL (bad extension or
 * size), TT_EIO (folder), TT_ENOMEM.
 */
int plot_begin(const struct plot_options *o, const char *default_image, struct plot_files *files,
	       struct plot_out *po, struct tt_error *err);

void plot_out_release(struct plot_out *po);

/*
 * The script's opening: a comment naming what (sanitised) and how to
 * re-render, `set encoding utf8`, the terminal (pngcairo when available,
 * else png; or svg) at po's size with DejaVu Sans, and `set output`.
 * Returns 0 or TT_ENOMEM.
 */
int plot_add_header(struct buf *g, const char *what, const struct plot_out *po);

/* Append text for a '#' comment: control characters and '\' become spaces. */
int plot_add_comment(struct buf *out, const char *text);

/* Append s with characters outside [A-Za-z0-9._-] turned into '_'. */
int plot_add_safe_name(struct buf *out, const char *s);

/*
 * Write data and script to files->data and files->script, then run
 * gnuplot (o->gnuplot or "gnuplot" on PATH) on the script and check that
 * the image exists.  Returns as plot_forecast() documents.
 */
int plot_finish(const struct plot_options *o, const struct plot_files *files,
		const struct buf *data, const struct buf *script, struct tt_error *err);

/*
 * Append text as a gnuplot string expression of several lines: each line
 * (the text's own '\n's, and breaks between words so that no line is
 * longer than wrap characters; 0: no wrapping) quoted by plot_quote() and
 * joined with ."\n". .  *nlines (may be NULL) gets the number of lines.
 * Returns 0 or TT_ENOMEM.
 */
int plot_quote_lines(const char *text, size_t wrap, struct buf *out, int *nlines);

/*
 * Append `set ytics (...)` for a log axis from lo to hi (> 0): every decade
 * when it spans 3 or more, 1-2-3-5 from 1.2 decades, else 1, 1.5, 2, 3, 4,
 * 5, 7 per decade, labelled as plain decimals.  Nothing when the range is
 * empty.  Returns 0 or TT_ENOMEM.
 */
int plot_add_log_ytics(struct buf *g, double lo, double hi);

/*
 * The gnuplot time format for date tick labels on an axis from `from` to
 * `to` (YYYY-MM-DD): "%Y-%m" over most of a year or more, "%Y-%m-%d" on
 * shorter ranges, where gnuplot puts several ticks in one month and month
 * labels would repeat.
 */
const char *plot_date_fmt(const char *from, const char *to);

/* A qualitative palette (Tableau 10 plus two) for lines and bars. */
#define PLOT_N_COLORS 12
extern const char *const plot_colors[PLOT_N_COLORS];

#endif /* TT_PLOT_INT_H */
