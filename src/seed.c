/*
 * seed.c - the bundled price history compiled into the binary, and the
 * importer that stores a history CSV one date at a time.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/seed.h"

#include "tokentrend/backfill.h"
#include "tokentrend/clock.h"
#include "tokentrend/import.h"
#include "tokentrend/money.h"
#include "tokentrend/store.h"

/* db/seed/price-history.csv, embedded at build time (see CMakeLists.txt). */
__asm__(".section .rodata\n"
	".balign 16\n"
	".global tt_seed_csv_start\n"
	"tt_seed_csv_start:\n"
	".incbin \"" TT_SEED_CSV "\"\n"
	".global tt_seed_csv_end\n"
	"tt_seed_csv_end:\n"
	".byte 0\n"
	".previous\n");
extern const char tt_seed_csv_start[];
extern const char tt_seed_csv_end[];

const char *seed_csv(size_t *len)
{
	*len = (size_t)(tt_seed_csv_end - tt_seed_csv_start);
	return tt_seed_csv_start;
}

int seed_import_csv(struct store *st, const char *body, size_t len, const char *origin,
		    const char *source, struct seed_import_stats *stats, struct buf *rejects,
		    struct tt_error *err)
{
	struct import_result res;
	int64_t run_id = 0;
	char ts[21];
	size_t i;
	int rc;

	memset(stats, 0, sizeof(*stats));
	memset(&res, 0, sizeof(res));
	rc = import_csv_parse(body, len, origin, &res, err);
	if (rc < 0)
		goto out;
	stats->rows = res.rows;
	stats->rejected = res.nrejects;
	for (i = 0; rejects && i < res.nrejects; i++) {
		const struct import_reject *rj = &res.rejects[i];
		buf_addf(rejects, "%s:%zu: skipped: %s", origin, rj->line, rj->reason);
		if (rj->column)
			buf_addf(rejects, " (%s%s%s%s)", rj->column, rj->value ? " = '" : "",
				 rj->value ? rj->value : "", rj->value ? "'" : "");
		buf_addch(rejects, '\n');
	}
	rc = store_run_begin(st, "import", clock_timestamp(ts), &run_id, err);
	if (rc < 0)
		goto out;
	for (i = 0; i < res.ndays; i++) {
		struct store_observe_stats os = { 0 };
		const struct import_day *d = &res.days[i];
		/* The export's shape names each row's source and dates each price. */
		const char *src = d->source[0] ? d->source : source;
		size_t k;

		rc = backfill_observe(st, run_id, src, d->date, &d->prices, origin, &os, err);
		for (k = 0; rc == 0 && k < d->removals.n; k++)
			rc = store_observe_removed(st, run_id, src, &d->removals.v[k],
						   d->removals.v[k].observed, d->removals.v[k].origin, err);
		if (rc < 0) {
			/* Each date is its own transaction: say what stayed stored. */
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err ? err->msg : "");
			tt_set_error(err, rc, "%s: %s; stopped at %s with %zu of %zu dates stored "
				     "(importing the file again adds the rest)", origin, why,
				     d->date, i, res.ndays);
			break;
		}
		stats->days++;
		stats->export_shape |= d->source[0] != '\0';
		stats->prices += os.observed - os.repeated;
		stats->changes += os.changes;
	}
	store_run_finish(st, run_id, clock_timestamp(ts), rc < 0 ? "failed" : "ok", NULL);
out:
	import_result_release(&res);
	return rc;
}
