/*
 * plot.h - the charts for planning documents: forecast fan charts, price
 * history of several models, and a workload's cost layers.  Each is a
 * gnuplot data file and script written beside the image, rendered by
 * running gnuplot directly (fork/execvp, no shell).
 *
 * Files: for an image "DIR/STEM.png" (or .svg) the data go to DIR/STEM.dat
 * and the script to DIR/STEM.gp; the script names both by absolute path, so
 * `gnuplot DIR/STEM.gp` re-renders from anywhere.  The script picks the
 * pngcairo terminal when this gnuplot has it and falls back to the libgd
 * `png` terminal (Debian's gnuplot-nox 5.4 has both; some builds lack
 * cairo), with the DejaVu Sans font (fonts-dejavu-core); .svg uses `svg`.
 *
 * Every text from the data (model ids come from scraped pages) is escaped
 * as a gnuplot single-quoted string and drawn with enhanced text off; none
 * of it ever reaches a shell.  Each data file says in '#' comments what
 * each block (gnuplot `index N`) and column holds; history prices are the
 * exact stored decimals.
 *
 * THE FORECAST CHART.  List-price history as steps with its change points,
 * the chosen model's median with 80% and 95% prediction bands, the other
 * candidate models' medians in grey, a log price axis labelled with
 * currency and unit, a title with the series, the model and its rate
 * ("loglinear: falls 11.8x/yr, half-life 3.37 months"), as of and n; a
 * footer with the source and how the model was chosen; the threshold line
 * with the median crossing (a dotted line) and the 80% range of crossing
 * dates (a shaded span from the lower bound's crossing to the upper
 * bound's) when the forecast has a target.
 *   The fan starts where the model does: at the last change, the point it
 * was fitted through (forecast.h), so the chart agrees with `forecast`.
 * When "as of" is later, the list price still in force is drawn on to as
 * of, the fan's months already past are drawn lighter with a dashed
 * median, both values on as of are marked, and a note under the chart
 * says where the list price stands against the model's band that day
 * (e.g. 2.8x the median, above the 80% band: a cut is overdue by this
 * trend).  The projection is never re-anchored to the list price: that
 * would draw a forecast the model did not make.
 */
#ifndef TT_PLOT_H
#define TT_PLOT_H

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/costmodel.h"
#include "tokentrend/forecast.h"
#include "tokentrend/models.h"
#include "tokentrend/query.h"
#include "tokentrend/series.h"

#define PLOT_DEFAULT_WIDTH 1200
#define PLOT_DEFAULT_HEIGHT 700

struct plot_options {
	const char *out;     /* image path ending .png or .svg; NULL: plot_default_path() */
	int width, height;   /* pixels, 200..10000; 0: the defaults above */
	const char *gnuplot; /* program to run; NULL: "gnuplot" looked up on PATH */
	const char *target_label; /* forecast: how the threshold was set, drawn in its
				   * box ("1% of engineering cost: 0.0417 USD per 1M
				   * tokens"); NULL: "target PRICE CUR per UNIT" */
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

/*
 * THE HISTORY CHART.  Several price keys on one chart: each a step line on
 * a log price axis (a list price holds until the next change), its change
 * points marked, a line stopping where its model was removed, the legend
 * outside the plot in order of the latest price.  All lines share one
 * dimension, tier, currency and unit (the title and y label say which).
 * Free (0) periods cannot be drawn on a log axis: the line has a gap there.
 */
#define PLOT_HISTORY_MAX_LINES 12  /* default: more is unreadable */
#define PLOT_HISTORY_LIMIT 24      /* the most plot_history_options.max_lines may allow */

/* One line of a history chart. */
struct plot_line {
	struct series s;   /* the key's dated changes (owned) */
	char *label;       /* legend text (owned), or NULL: provider/model[ (condition)][ [region]] */
	char end[11];      /* the date its last price stopped (a removed model), or "" while in force */
};

/* The lines of one chart; release with plot_lines_release(). */
struct plot_lines {
	struct plot_line *v;
	size_t n, alloc;
	struct buf note;   /* what was left out and why ("" when nothing) */
	char *what;        /* the chart's subject for its title and file name, set by the
			    * caller ("openai gpt-4%", "group frontier"), or NULL (owned) */
	char *dimension, *tier; /* shared by every line (owned) */
	char unit[32], currency[8];
};

#define PLOT_LINES_INIT { NULL, 0, 0, BUF_INIT, NULL, NULL, NULL, "", "" }

void plot_lines_release(struct plot_lines *l);

struct plot_lines_options {
	const char *dimension; /* NULL: "input" */
	const char *tier;      /* NULL: "standard" */
	const char *condition; /* NULL: a key's unconditioned price, or its lowest prompt band
				* when it has only bands; else exactly this condition */
	const char *region;    /* NULL: keys without a region only; else exactly this region */
	const char *currency;  /* NULL: USD when any row has it, else the first row's */
	const char *source;    /* NULL: each key's highest-ranked source; else only this one */
	const char *provider;  /* groups only: the one seller (NULL: the makers, or see all_sellers) */
	int all_sellers;       /* groups only: each member's cheapest price at any seller */
};

/*
 * One line per stored key in rows (query_history output) of the
 * dimension and tier: (provider, model, condition, region), from its
 * highest-ranked source (series_from_rows), ending where its last interval
 * closed.  Keys in another currency or unit, in a region or under another
 * condition than the options allow are left out and counted in out->note.
 * out must be PLOT_LINES_INIT.  Returns the number of lines, or TT_ENOMEM
 * / series_from_rows's error.
 */
int plot_lines_from_rows(const struct price_rows *rows, const struct plot_lines_options *o,
			 struct plot_lines *out, struct tt_error *err);

/*
 * One line per member of catalog group `group`, labelled with its
 * canonical id: the member's cheapest price over time among its names at
 * its maker (or o->provider, or every seller with o->all_sellers), by the
 * rules of series_group_from_rows() (series_mix.h).  Members without a
 * price are counted in out->note.  Returns the number of lines;
 * TT_ENOTFOUND (no such group: err lists the groups; or no member has a
 * price); TT_ENOMEM.
 */
int plot_lines_group(const struct price_rows *rows, const struct models *cat, const char *group,
		     const struct plot_lines_options *o, struct plot_lines *out, struct tt_error *err);

struct plot_history_options {
	const char *since;  /* x range start; NULL: the earliest change drawn */
	const char *until;  /* x range end (exclusive in queries); NULL: as_of */
	const char *as_of;  /* where lines still in force end; NULL: clock_today() */
	size_t max_lines;   /* 0: PLOT_HISTORY_MAX_LINES */
};

/*
 * Draw l.  Default image: "plots/<what>-<dimension>-history.png".  Returns
 * 0 or as plot_forecast(); TT_ENOTFOUND when l has no line; TT_EINVAL when
 * it has more than max_lines (err: "N series match; one chart shows at
 * most M") or the range is empty.
 */
int plot_history(const struct plot_lines *l, const struct plot_history_options *ho,
		 const struct plot_options *o, struct plot_files *files, struct tt_error *err);

/*
 * THE COST CHART (plot_cost).  Two panels over one time axis, for one
 * scenario of a costmodel projection (stay on today's models, or move to
 * the cheapest of the group):
 *   top: the monthly cost layers stacked, API at the bottom, then silent
 *   costs, infrastructure and engineering (linear axis); the observed part
 *   is the workload priced exactly on every past price change (a
 *   costmodel_history), the projected part (lighter) the forecast median;
 *   bottom: the API bill as a share of engineering cost (log axis), observed
 *   steps, the projected median with its 80% band, the threshold line, and
 *   the crossing: the median date dotted, the 80% range of dates shaded,
 *   both written in a box.
 * Infrastructure and engineering have no history: the observed part shows
 * them as the profile states them today.  Default image:
 * "plots/<profile file stem>-cost.png".
 * h may be NULL (no observed part).  Returns 0 or as plot_forecast();
 * TT_EINVAL when the scenario has no projection (err carries its reason).
 */
int plot_cost(const struct costmodel *cm, const struct costmodel_history *h,
	      const struct costmodel_projection *pr, enum costmodel_scenario_kind kind,
	      const struct plot_options *o, struct plot_files *files, struct tt_error *err);

/*
 * THE COMPARISON CHART (plot_cost_compare).  The workload's monthly API
 * bill (API + silent) on each priced model as horizontal bars, cheapest at
 * the top, each labelled with the exact amount, its ratio to the cheapest
 * and how much more the whole system (bill + infrastructure + engineering)
 * costs; a dashed line at the threshold (threshold_share x engineering);
 * a log axis when the bills span more than 30x; models that could not be
 * priced listed under the chart with the reason.  Default image:
 * "plots/<profile file stem>-cost-compare.png".  Returns 0 or as
 * plot_forecast(); TT_ENOTFOUND when no row is priced.
 */
int plot_cost_compare(const struct costmodel *cm, const struct costmodel_compare *c,
		      const struct plot_options *o, struct plot_files *files, struct tt_error *err);

#endif /* TT_PLOT_H */
