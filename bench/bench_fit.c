/*
 * bench_fit.c - the forecasting engine's speed and memory on a history CSV
 * (the shape of price-history.csv): every (provider, model, dimension)
 * series is fitted with every model, backtested, selected and projected by
 * forecast_run(), exactly as `forecast --all` does, and the program prints
 * series per second and peak memory (getrusage ru_maxrss).  Run on demand,
 * never as a test (DESIGN.md "Tests"); see bench/README.md.
 *
 *   bench_fit FILE.csv [--repeat N] [--as-of YYYY-MM-DD]
 */
#include "tokentrend/tt_compat.h"

#include <sys/resource.h>
#include <time.h>

#include "tokentrend/buf.h"
#include "tokentrend/forecast.h"
#include "tokentrend/import.h"
#include "tokentrend/money.h"
#include "tokentrend/series.h"

struct obs {
	const struct price *p;
	const char *date;
};

static int obs_cmp(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int c = strcmp(x->p->provider, y->p->provider);

	if (!c)
		c = strcmp(x->p->model, y->p->model);
	if (!c)
		c = strcmp(x->p->dimension, y->p->dimension);
	if (!c)
		c = strcmp(x->date, y->date);
	return c;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(b, chunk, n) < 0) {
			fclose(fp);
			return -1;
		}
	fclose(fp);
	return 0;
}

int main(int argc, char **argv)
{
	struct import_result ir = IMPORT_RESULT_INIT;
	struct tt_error err = { 0 };
	struct buf body = BUF_INIT;
	struct series *ser = NULL;
	struct obs *ob = NULL;
	struct forecast_options fo;
	struct rusage ru;
	const char *path = NULL, *as_of = NULL;
	char last_date[11] = "";
	size_t i, j, nobs = 0, nser = 0, npts = 0, repeat = 1, r;
	size_t chosen[FIT_MODEL_COUNT] = { 0 }, scored = 0, beat = 0, projected = 0, unconv = 0;
	double t0, t_parse, t_fit = 0.0;
	int rc = 1;

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--repeat") && i + 1 < (size_t)argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end || v < 1 || v > 1000) {
				fprintf(stderr, "bench_fit: --repeat takes 1..1000\n");
				return 2;
			}
			repeat = (size_t)v;
		} else if (!strcmp(argv[i], "--as-of") && i + 1 < (size_t)argc) {
			as_of = argv[++i];
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: bench_fit FILE.csv [--repeat N] [--as-of YYYY-MM-DD]\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: bench_fit FILE.csv [--repeat N] [--as-of YYYY-MM-DD]\n");
		return 2;
	}

	t0 = now_s();
	if (read_file(path, &body) < 0) {
		fprintf(stderr, "bench_fit: cannot read %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (import_csv_parse(body.buf, body.len, path, &ir, &err) < 0) {
		fprintf(stderr, "bench_fit: %s\n", err.msg);
		goto out;
	}
	for (i = 0; i < ir.ndays; i++)
		nobs += ir.days[i].prices.n;
	ob = calloc(nobs ? nobs : 1, sizeof(*ob));
	if (!ob)
		goto nomem;
	nobs = 0;
	for (i = 0; i < ir.ndays; i++) {
		for (j = 0; j < ir.days[i].prices.n; j++) {
			ob[nobs].p = &ir.days[i].prices.v[j];
			ob[nobs].date = ir.days[i].date;
			nobs++;
		}
		if (strcmp(ir.days[i].date, last_date) > 0)
			snprintf(last_date, sizeof(last_date), "%s", ir.days[i].date);
	}
	qsort(ob, nobs, sizeof(*ob), obs_cmp);
	ser = calloc(nobs ? nobs : 1, sizeof(*ser));
	if (!ser)
		goto nomem;
	for (i = 0; i < nobs; i = j) {
		struct series *s = &ser[nser++];
		const struct price *p = ob[i].p;

		if (series_set_key(s, p->provider, p->model, p->dimension, p->tier, p->condition,
				   p->region, p->unit, p->currency, "bench") < 0)
			goto nomem;
		for (j = i; j < nobs && !strcmp(ob[j].p->provider, p->provider) &&
			    !strcmp(ob[j].p->model, p->model) && !strcmp(ob[j].p->dimension, p->dimension);
		     j++) {
			if (series_add(s, ob[j].date, ob[j].p->nanos, &err) < 0) {
				fprintf(stderr, "bench_fit: %s\n", err.msg);
				goto out;
			}
		}
		npts += s->n;
	}
	t_parse = now_s() - t0;

	memset(&fo, 0, sizeof(fo));
	fo.as_of = as_of ? as_of : last_date; /* never the wall clock */
	for (r = 0; r < repeat; r++) {
		t0 = now_s();
		for (i = 0; i < nser; i++) {
			struct forecast f;

			if (forecast_run(&ser[i], &fo, &f, &err) < 0) {
				fprintf(stderr, "bench_fit: series %zu: %s\n", i, err.msg);
				forecast_release(&f);
				goto out;
			}
			if (r == 0) {
				size_t k;

				chosen[f.model]++;
				projected += f.n_proj > 0;
				if (f.n_common) {
					scored++;
					beat += f.beats_naive != 0;
				}
				for (k = 0; k < f.n_candidates; k++)
					unconv += f.candidates[k].model == f.model ? f.backtest.n_unconverged
										   : f.candidates[k].bt.n_unconverged;
			}
			forecast_release(&f);
		}
		t_fit += now_s() - t0;
	}
	getrusage(RUSAGE_SELF, &ru);

	printf("input:        %s\n", path);
	printf("series:       %zu (%zu dated prices), as of %s\n", nser, npts, fo.as_of);
	printf("parse+build:  %.3f s\n", t_parse);
	printf("fit+select+backtest+project: %.3f s for %zu series x %zu run%s = %.0f series/s (%.1f us per series)\n",
	       t_fit, nser, repeat, repeat == 1 ? "" : "s", (double)(nser * repeat) / t_fit,
	       1e6 * t_fit / (double)(nser * repeat));
	printf("peak memory:  %ld KiB (ru_maxrss)\n", ru.ru_maxrss);
	printf("chosen:      ");
	for (i = 0; i < FIT_MODEL_COUNT; i++)
		if (chosen[i])
			printf(" %s %zu", fit_model_name((enum fit_model)i), chosen[i]);
	printf("\nprojected:    %zu; scored on common origins: %zu, a model beats naive in %zu (%.1f%%)\n",
	       projected, scored, beat, scored ? 100.0 * (double)beat / (double)scored : 0.0);
	printf("backtest origins whose nonlinear fit did not converge: %zu\n", unconv);
	rc = 0;
	goto out;
nomem:
	fprintf(stderr, "bench_fit: out of memory\n");
out:
	for (i = 0; i < nser; i++)
		series_release(&ser[i]);
	free(ser);
	free(ob);
	import_result_release(&ir);
	buf_release(&body);
	return rc;
}
