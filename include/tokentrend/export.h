/*
 * export.h - taking the history elsewhere: prices, history and changes as
 * CSV or JSON (for spreadsheets and other tools), and the whole database
 * as one portable SQLite file (to move history between machines).
 *
 * The history CSV is the fuller shape import_csv_parse() reads back
 * (import.h): importing an export into an empty database rebuilds the same
 * intervals and change events.  Nothing here prints.
 */
#ifndef TT_EXPORT_H
#define TT_EXPORT_H

#include "tokentrend/buf.h"
#include "tokentrend/err.h"
#include "tokentrend/query.h"

struct store;

enum export_what {
	EXPORT_HISTORY = 0, /* every interval of every source (the round-trip table) */
	EXPORT_PRICES,      /* every source's prices in force on as_of */
	EXPORT_CHANGES,     /* every change event */
	EXPORT_ALL,         /* JSON only: {"as_of", "prices", "history", "changes"} */
};

/* Parse "history" / "prices" / "changes" / "all"; -1 when unknown. */
int export_what_parse(const char *s);

/*
 * Append one table (or, for EXPORT_ALL with JSON, one object holding all
 * three arrays) to out in fmt (CSV with a header row, or JSON).  as_of
 * (NULL: today) is the date of the prices table.  Returns the number of
 * rows written, TT_EINVAL (EXPORT_ALL as CSV or table), TT_EDB, TT_ENOMEM.
 */
int export_render(struct store *st, enum export_what what, enum query_format fmt,
		  const char *as_of, struct buf *out, struct tt_error *err);

/*
 * Write prices, history and changes into folder dir (created when absent)
 * as prices.<ext>, history.<ext>, changes.<ext> (ext csv or json).
 * Existing files are replaced.  Returns 0 or a negative code (TT_EIO names
 * the file).
 */
int export_write_dir(struct store *st, const char *dir, enum query_format fmt, const char *as_of,
		     struct tt_error *err);

/*
 * Write the whole database to path as one self-contained SQLite file
 * (VACUUM INTO: consistent, compacted, without WAL files), which `--db
 * path` opens on any machine.  path must not exist (TT_EINVAL).  Returns 0
 * or a negative code.
 */
int export_database(struct store *st, const char *path, struct tt_error *err);

#endif /* TT_EXPORT_H */
