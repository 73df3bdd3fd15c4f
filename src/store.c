/*
 * store.c - the SQLite history: opening and migrating the database, runs,
 * source outcomes, snapshots, observations, and the price intervals and
 * change events derived from the observations.
 *
 * The derivation (store_observe, store_mark_removed) always rebuilds the
 * intervals and change events of a touched (source, key) from ALL of its
 * observations, in date order, then writes only the difference to what is
 * stored.  So the order in which observations arrive never matters, a
 * repeated observation changes nothing, and a daily scrape of unchanged
 * prices costs one UPDATE (last_seen) per key.
 *
 * Prepared statements live in struct store and are reused across calls.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/store.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <zlib.h>

#include "store_int.h"
#include "tokentrend/buf.h"
#include "tokentrend/clock.h"

#define STORE_BUSY_DEFAULT_MS 10000
#define STORE_MISSED_DEFAULT 3
#define SNAPSHOT_MAX (256u * 1024u * 1024u) /* refuse larger bodies */

/* Every statement store.c runs more than once, prepared on first use. */
enum store_stmt {
	SQL_KEY_GET,
	SQL_KEY_PUT,
	SQL_OBS_GET,
	SQL_OBS_PUT,
	SQL_OBS_SET,
	SQL_OBS_LIST,
	SQL_IV_LIST,
	SQL_IV_DEL,
	SQL_IV_SET,
	SQL_IV_PUT,
	SQL_EV_LIST,
	SQL_EV_DEL,
	SQL_EV_PUT,
	SQL_IV_LAST,
	SQL_OBS_MAX,
	SQL_IV_SEEN,
	SQL_IV_CLOSE,
	SQL_OBS_ANY,
	SQL_COUNT
};

static const char *const store_sql[SQL_COUNT] = {
	[SQL_KEY_GET] = "SELECT id FROM price_key WHERE provider=?1 AND model=?2 AND dimension=?3"
			" AND tier=?4 AND condition=?5 AND region=?6 AND unit=?7 AND currency=?8",
	[SQL_KEY_PUT] = "INSERT INTO price_key(provider,model,dimension,tier,condition,region,unit,"
			"currency) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
	[SQL_OBS_GET] = "SELECT id, nanos, effective FROM observation"
			" WHERE source=?1 AND key_id=?2 AND obs_date=?3",
	[SQL_OBS_PUT] = "INSERT INTO observation(source,key_id,obs_date,nanos,text,note,effective,"
			"provenance,run_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[SQL_OBS_SET] = "UPDATE observation SET nanos=?2, text=?3, note=?4, effective=?5,"
			" provenance=?6, run_id=?7 WHERE id=?1",
	[SQL_OBS_LIST] = "SELECT obs_date, nanos, text, note, effective FROM observation"
			 " WHERE source=?1 AND key_id=?2 ORDER BY obs_date",
	[SQL_IV_LIST] = "SELECT id, valid_from, valid_to, nanos, text, note, first_seen, last_seen,"
			" removed FROM price_interval WHERE key_id=?1 AND source=?2 ORDER BY valid_from",
	[SQL_IV_DEL] = "DELETE FROM price_interval WHERE id=?1",
	[SQL_IV_SET] = "UPDATE price_interval SET valid_to=?2, nanos=?3, text=?4, note=?5,"
		       " first_seen=?6, last_seen=?7, removed=?8 WHERE id=?1",
	[SQL_IV_PUT] = "INSERT INTO price_interval(key_id,source,valid_from,valid_to,nanos,text,note,"
		       "first_seen,last_seen,removed) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[SQL_EV_LIST] = "SELECT id, date, kind, old_nanos, new_nanos, seen, interval_from"
			" FROM change_event WHERE key_id=?1 AND source=?2",
	[SQL_EV_DEL] = "DELETE FROM change_event WHERE id=?1",
	[SQL_EV_PUT] = "INSERT INTO change_event(key_id,source,date,kind,old_nanos,new_nanos,seen,"
		       "interval_from) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
	[SQL_IV_LAST] = "SELECT id, nanos, last_seen, valid_to, removed, valid_from FROM price_interval"
			" WHERE key_id=?1 AND source=?2 ORDER BY valid_from DESC LIMIT 1",
	[SQL_OBS_MAX] = "SELECT max(obs_date) FROM observation WHERE source=?1 AND key_id=?2",
	[SQL_IV_SEEN] = "UPDATE price_interval SET last_seen=?2 WHERE id=?1",
	[SQL_IV_CLOSE] = "UPDATE price_interval SET valid_to=?2 WHERE id=?1",
	[SQL_OBS_ANY] = "SELECT 1 FROM observation WHERE source=?1 AND key_id=?2 LIMIT 1",
};

/* Statements other modules prepare through store_stmt_cached(). */
#define STORE_QCACHE 16

struct store_qstmt {
	char *sql;          /* the SQL text, the cache key (owned) */
	sqlite3_stmt *s;
	uint64_t used;      /* last use, for eviction */
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT];
	struct store_qstmt qcache[STORE_QCACHE];
	uint64_t qclock;
	int no_bulk;        /* store_bulk_enable(st, 0): imports take the general path */
};

/* ---- errors and statements ---------------------------------------------- */

/* Map a SQLite result code to TT_E* and describe it. */
static int db_fail(struct store *st, int rc, struct tt_error *err, const char *what)
{
	int code = TT_EDB;
	int prim = rc & 0xff;

	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		code = TT_EBUSY;
	else if (prim == SQLITE_NOMEM)
		code = TT_ENOMEM;
	return tt_set_error(err, code, "%s: %s (sqlite %d)%s", what,
			    st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), rc,
			    code == TT_EBUSY ? ": the database is busy (another writer held it past the wait budget)" : "");
}

/* A reset, unbound cached statement; NULL (and *err) on failure. */
static sqlite3_stmt *stmt_get(struct store *st, enum store_stmt id, struct tt_error *err)
{
	sqlite3_stmt *s = st->stmt[id];

	if (!s) {
		int rc = sqlite3_prepare_v3(st->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					    &st->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			db_fail(st, rc, err, "prepare");
			return NULL;
		}
		return st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Step a statement that returns no row; resets it. */
static int stmt_done(struct store *st, sqlite3_stmt *s, struct tt_error *err, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, rc, err, what);
	return 0;
}

static int exec_sql(struct store *st, const char *sql, struct tt_error *err, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_fail(st, rc, err, what);
}

/* Bind text, or NULL when s is NULL. */
static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Bind a date, NULL when empty. */
static void bind_date(sqlite3_stmt *s, int i, const char *d)
{
	bind_text(s, i, d && *d ? d : NULL);
}

/* Copy column i (a date or NULL) into out[11]. */
static void col_date(sqlite3_stmt *s, int i, char out[11])
{
	const unsigned char *t = sqlite3_column_text(s, i);

	snprintf(out, 11, "%s", t ? (const char *)t : "");
}

/* strdup of column i, NULL for SQL NULL; *oom set on allocation failure. */
static char *col_dup(sqlite3_stmt *s, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	char *r;

	if (!t)
		return NULL;
	r = strdup((const char *)t);
	if (!r)
		*oom = 1;
	return r;
}

/* ---- transactions ------------------------------------------------------- */

/*
 * One write call = one transaction.  Inside an outer store_begin() the call
 * becomes a savepoint, rolled back alone on failure.
 */
static int tx_begin(struct store *st, int *nested, struct tt_error *err)
{
	*nested = !sqlite3_get_autocommit(st->db);
	if (*nested)
		return exec_sql(st, "SAVEPOINT tt_call", err, "savepoint");
	return exec_sql(st, "BEGIN IMMEDIATE", err, "begin transaction");
}

/* Commit (ok) or roll back the call's transaction; returns rc or the
 * commit failure. */
static int tx_end(struct store *st, int nested, int rc, struct tt_error *err)
{
	if (rc >= 0) {
		int c = exec_sql(st, nested ? "RELEASE tt_call" : "COMMIT", err, "commit");
		if (c == 0)
			return rc;
		rc = c;
	}
	if (nested) {
		sqlite3_exec(st->db, "ROLLBACK TO tt_call", NULL, NULL, NULL);
		sqlite3_exec(st->db, "RELEASE tt_call", NULL, NULL, NULL);
	} else if (!sqlite3_get_autocommit(st->db)) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}

int store_begin(struct store *st, struct tt_error *err)
{
	return exec_sql(st, "BEGIN IMMEDIATE", err, "begin transaction");
}

int store_commit(struct store *st, struct tt_error *err)
{
	int rc = exec_sql(st, "COMMIT", err, "commit");

	if (rc < 0)
		store_rollback(st);
	return rc;
}

void store_rollback(struct store *st)
{
	if (st && st->db && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- open, migrate, close ----------------------------------------------- */

/* mkdir -p of the directory part of path. */
static int make_parent_dirs(const char *path, struct tt_error *err)
{
	char *dir = NULL, *p;
	int rc = 0;

	if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5) || !strchr(path, '/'))
		return 0;
	dir = strdup(path);
	if (!dir)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	p = strrchr(dir, '/');
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (dir[0] && mkdir(dir, 0777) != 0 && errno != EEXIST) {
				rc = tt_set_error(err, TT_EIO, "cannot create directory '%s' for the database: %s",
						  dir, strerror(errno));
				goto out;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
out:
	free(dir);
	return rc;
}

int store_schema_latest(void)
{
	int v = 0;
	size_t i;

	for (i = 0; i < store_migration_count; i++)
		if (store_migrations[i].version > v)
			v = store_migrations[i].version;
	return v;
}

static int user_version(struct store *st, int *v, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = db_fail(st, rc, err, "read schema version");
		sqlite3_finalize(s);
		return rc;
	}
	*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int store_schema_version(struct store *st)
{
	int v = -1;

	if (user_version(st, &v, NULL) < 0)
		return TT_EDB;
	return v;
}

/* Apply every migration newer than the database, each in its own
 * transaction that ends with PRAGMA user_version = N. */
static int migrate(struct store *st, const char *path, struct tt_error *err)
{
	int v = 0, latest = store_schema_latest(), rc;
	size_t i;

	rc = user_version(st, &v, err);
	if (rc < 0)
		return rc;
	if (v > latest)
		return tt_set_error(err, TT_EDB,
				    "database '%s' has schema version %d, newer than this tokentrend build "
				    "knows (%d): upgrade tokentrend", path, v, latest);
	for (i = 0; i < store_migration_count; i++) {
		const struct store_migration *m = &store_migrations[i];
		int now = 0;

		if (m->version <= v)
			continue;
		rc = exec_sql(st, "BEGIN IMMEDIATE", err, "begin migration");
		if (rc < 0)
			return rc;
		/* Another process may have migrated while we waited. */
		rc = user_version(st, &now, err);
		if (rc == 0 && now < m->version) {
			char pragma[64];
			int r = sqlite3_exec(st->db, m->sql, NULL, NULL, NULL);
			if (r != SQLITE_OK) {
				rc = tt_set_error(err, (r & 0xff) == SQLITE_BUSY ? TT_EBUSY : TT_EDB,
						  "migration %s failed: %s", m->name, sqlite3_errmsg(st->db));
			} else {
				snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", m->version);
				rc = exec_sql(st, pragma, err, "set schema version");
			}
		}
		if (rc == 0)
			rc = exec_sql(st, "COMMIT", err, "commit migration");
		if (rc < 0) {
			store_rollback(st);
			return rc;
		}
		v = m->version;
	}
	return 0;
}

int store_open(const char *path, int busy_ms, struct store **out, struct tt_error *err)
{
	struct store *st = NULL;
	int rc;

	*out = NULL;
	if (!path || !*path)
		return tt_set_error(err, TT_EINVAL, "no database path");
	rc = make_parent_dirs(path, err);
	if (rc < 0)
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	/* NOMUTEX: a store is used by one thread (tokentrend has no others),
	 * so every sqlite3_column_*() call need not take the connection's
	 * mutex (about a tenth of `prices --as-of`, bench/README.md). */
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
				     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "cannot open database '%s': %s", path,
				  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : STORE_BUSY_DEFAULT_MS);
	/* journal_mode answers "memory" for :memory:; that is fine. */
	rc = exec_sql(st, "PRAGMA journal_mode = WAL", err, path);
	if (rc == 0)
		rc = exec_sql(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", err, path);
	if (rc == 0)
		rc = migrate(st, path, err);
out:
	if (rc < 0) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < STORE_QCACHE; i++) {
		sqlite3_finalize(st->qcache[i].s);
		free(st->qcache[i].sql);
	}
	sqlite3_close_v2(st->db);
	free(st);
}

struct sqlite3 *store_db(struct store *st)
{
	return st ? st->db : NULL;
}

int store_stmt_cached(struct store *st, const char *sql, struct sqlite3_stmt **out,
		      struct tt_error *err)
{
	struct store_qstmt *slot = &st->qcache[0];
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < STORE_QCACHE; i++) {
		struct store_qstmt *q = &st->qcache[i];
		if (q->sql && !strcmp(q->sql, sql)) {
			q->used = ++st->qclock;
			sqlite3_reset(q->s);
			sqlite3_clear_bindings(q->s);
			*out = q->s;
			return 0;
		}
		if (!q->sql || (slot->sql && q->used < slot->used))
			slot = q; /* an empty slot, else the least recently used */
	}
	sqlite3_finalize(slot->s);
	free(slot->sql);
	memset(slot, 0, sizeof(*slot));
	slot->sql = strdup(sql);
	if (!slot->sql)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->s, NULL);
	if (rc != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "query: %s", sqlite3_errmsg(st->db));
		sqlite3_finalize(slot->s);
		FREE_AND_NULL(slot->sql);
		slot->s = NULL;
		return rc;
	}
	slot->used = ++st->qclock;
	*out = slot->s;
	return 0;
}

void store_bulk_enable(struct store *st, int on)
{
	if (st)
		st->no_bulk = !on;
}

/* ---- runs and outcomes -------------------------------------------------- */

int store_run_begin(struct store *st, const char *kind, const char *started, int64_t *run_id,
		    struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT INTO run(kind, started) VALUES(?1, ?2)", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "start run");
		goto out;
	}
	bind_text(s, 1, kind);
	bind_text(s, 2, started);
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, rc, err, "start run");
		goto out;
	}
	*run_id = sqlite3_last_insert_rowid(st->db);
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_run_finish(struct store *st, int64_t run_id, const char *finished, const char *status,
		     struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "UPDATE run SET finished=?2, status=?3 WHERE id=?1", -1, &s,
				NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "finish run");
		goto out;
	}
	sqlite3_bind_int64(s, 1, run_id);
	bind_text(s, 2, finished);
	bind_text(s, 3, status);
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, rc, err, "finish run");
		goto out;
	}
	rc = sqlite3_changes(st->db) == 1 ? 0
		: tt_set_error(err, TT_ENOTFOUND, "finish run: no run with id %" PRId64, run_id);
out:
	sqlite3_finalize(s);
	return rc;
}

int store_source_outcome(struct store *st, int64_t run_id, const struct store_source_outcome *o,
			 struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (!o->source || !o->status || !date_valid(o->obs_date ? o->obs_date : ""))
		return tt_set_error(err, TT_EINVAL, "source outcome: source, status and a valid "
				    "obs_date are required (got date '%s')",
				    o->obs_date ? o->obs_date : "(null)");
	rc = sqlite3_prepare_v2(st->db,
				"INSERT INTO run_source(run_id,source,obs_date,status,http_status,bytes,"
				"models,prices,origin,error,snapshot) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "record source outcome");
		goto out;
	}
	sqlite3_bind_int64(s, 1, run_id);
	bind_text(s, 2, o->source);
	bind_text(s, 3, o->obs_date);
	bind_text(s, 4, o->status);
	sqlite3_bind_int(s, 5, o->http_status);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)o->bytes);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)o->models);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)o->prices);
	bind_text(s, 9, o->origin);
	bind_text(s, 10, o->error);
	bind_text(s, 11, o->snapshot);
	rc = sqlite3_step(s);
	rc = rc == SQLITE_DONE ? 0 : db_fail(st, rc, err, "record source outcome");
out:
	sqlite3_finalize(s);
	return rc;
}

/* ---- snapshots ---------------------------------------------------------- */

static int sha256_hex(const void *body, size_t len, char hex[65], struct tt_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(body, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return tt_set_error(err, TT_EFAIL, "SHA-256 failed");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int store_snapshot_put(struct store *st, const void *body, size_t len, char sha_hex[65],
		       struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	unsigned char *z = NULL;
	uLongf zlen;
	int rc;

	if (len > SNAPSHOT_MAX)
		return tt_set_error(err, TT_ERANGE, "snapshot of %zu bytes is over the %u byte limit",
				    len, SNAPSHOT_MAX);
	rc = sha256_hex(body ? body : "", len, sha_hex, err);
	if (rc < 0)
		return rc;
	zlen = compressBound((uLong)len);
	z = malloc(zlen);
	if (!z)
		return tt_set_error(err, TT_ENOMEM, "out of memory compressing a snapshot");
	if (compress2(z, &zlen, body ? body : (const void *)"", (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
		rc = tt_set_error(err, TT_EFAIL, "zlib could not compress snapshot %s", sha_hex);
		goto out;
	}
	rc = sqlite3_prepare_v2(st->db,
				"INSERT INTO snapshot(sha256,size,body) VALUES(?1,?2,?3)"
				" ON CONFLICT(sha256) DO NOTHING", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "store snapshot");
		goto out;
	}
	bind_text(s, 1, sha_hex);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)len);
	sqlite3_bind_blob(s, 3, z, (int)zlen, SQLITE_STATIC);
	rc = sqlite3_step(s);
	rc = rc == SQLITE_DONE ? 0 : db_fail(st, rc, err, "store snapshot");
out:
	sqlite3_finalize(s);
	free(z);
	return rc;
}

int store_snapshot_get(struct store *st, const char *sha_hex, char **body, size_t *len,
		       struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	char *out = NULL;
	uLongf olen;
	sqlite3_int64 size;
	int rc;

	*body = NULL;
	*len = 0;
	rc = sqlite3_prepare_v2(st->db, "SELECT size, body FROM snapshot WHERE sha256=?1", -1, &s,
				NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "read snapshot");
		goto out;
	}
	bind_text(s, 1, sha_hex);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = tt_set_error(err, TT_ENOTFOUND, "no snapshot %s", sha_hex);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(st, rc, err, "read snapshot");
		goto out;
	}
	size = sqlite3_column_int64(s, 0);
	if (size < 0 || size > SNAPSHOT_MAX) {
		rc = tt_set_error(err, TT_EDB, "snapshot %s: bad size %lld", sha_hex, (long long)size);
		goto out;
	}
	out = malloc((size_t)size + 1);
	if (!out) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory reading snapshot %s", sha_hex);
		goto out;
	}
	olen = (uLongf)size;
	if (uncompress((Bytef *)out, &olen, sqlite3_column_blob(s, 1),
		       (uLong)sqlite3_column_bytes(s, 1)) != Z_OK || olen != (uLongf)size) {
		rc = tt_set_error(err, TT_EDB, "snapshot %s is corrupt (zlib)", sha_hex);
		goto out;
	}
	out[size] = '\0';
	*body = out;
	*len = (size_t)size;
	out = NULL;
	rc = 0;
out:
	free(out);
	sqlite3_finalize(s);
	return rc;
}

/* ---- keys and observations ---------------------------------------------- */

/* The eight columns of p's key, with the defaults of price.h filled in. */
static void key_fields(const struct price *p, const char *f[8])
{
	f[0] = p->provider;
	f[1] = p->model;
	f[2] = p->dimension;
	f[3] = p->tier ? p->tier : "standard";
	f[4] = p->condition ? p->condition : "";
	f[5] = p->region ? p->region : "";
	f[6] = p->unit ? p->unit : PRICE_UNIT_MTOK;
	f[7] = p->currency ? p->currency : "USD";
}

/* Bind the key's columns to ?1..?8 of statement which (SQL_KEY_GET or
 * SQL_KEY_PUT); NULL when it cannot be prepared. */
static sqlite3_stmt *key_stmt(struct store *st, enum store_stmt which, const struct price *p,
			      struct tt_error *err)
{
	sqlite3_stmt *s = stmt_get(st, which, err);
	const char *f[8];
	int i;

	if (!s)
		return NULL;
	key_fields(p, f);
	for (i = 0; i < 8; i++)
		bind_text(s, i + 1, f[i]);
	return s;
}

/* The id of p's key: 1 with *id set, 0 when it has none yet, or a
 * negative code. */
static int key_id_find(struct store *st, const struct price *p, int64_t *id, struct tt_error *err)
{
	sqlite3_stmt *s = key_stmt(st, SQL_KEY_GET, p, err);
	int rc;

	if (!s)
		return err ? err->code : TT_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, rc, err, "look up price key");
	return 0;
}

/* Find or create the id of p's key. */
static int key_id_of(struct store *st, const struct price *p, int64_t *id, struct tt_error *err)
{
	sqlite3_stmt *s;
	int rc;

	rc = key_id_find(st, p, id, err);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	s = key_stmt(st, SQL_KEY_PUT, p, err);
	if (!s)
		return err ? err->code : TT_EDB;
	rc = stmt_done(st, s, err, "add price key");
	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/*
 * Write one observation.  *wrote: 0 when it repeated what was there (same
 * value and effective date), 1 when it added or replaced one.
 * nanos < 0 writes a removal tombstone (nanos NULL).
 */
static int obs_write(struct store *st, const char *source, int64_t key, const char *date,
		     int64_t nanos, const struct price *p, const char *prov, int64_t run_id,
		     int *wrote, int *repeated, struct tt_error *err)
{
	const char *eff = p && p->effective && *p->effective ? p->effective : NULL;
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc, same = 0, found = 0;

	*wrote = 0;
	*repeated = 0;
	s = stmt_get(st, SQL_OBS_GET, err);
	if (!s)
		return err ? err->code : TT_EDB;
	bind_text(s, 1, source);
	sqlite3_bind_int64(s, 2, key);
	bind_text(s, 3, date);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *e = sqlite3_column_text(s, 2);
		int was_null = sqlite3_column_type(s, 1) == SQLITE_NULL;
		found = 1;
		id = sqlite3_column_int64(s, 0);
		if (nanos < 0)
			same = was_null;
		else
			same = !was_null && sqlite3_column_int64(s, 1) == nanos &&
			       ((!e && !eff) || (e && eff && !strcmp((const char *)e, eff)));
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return db_fail(st, rc, err, "look up observation");
	}
	sqlite3_reset(s);
	if (found) {
		*repeated = 1;
		if (same)
			return 0;
	}
	s = stmt_get(st, found ? SQL_OBS_SET : SQL_OBS_PUT, err);
	if (!s)
		return err ? err->code : TT_EDB;
	if (found) {
		sqlite3_bind_int64(s, 1, id);
	} else {
		bind_text(s, 1, source);
		sqlite3_bind_int64(s, 2, key);
		bind_text(s, 3, date);
	}
	/* The remaining columns: nanos, text, note, effective, provenance, run_id. */
	{
		int b = found ? 2 : 4;
		if (nanos < 0)
			sqlite3_bind_null(s, b);
		else
			sqlite3_bind_int64(s, b, nanos);
		bind_text(s, b + 1, p ? p->text : NULL);
		bind_text(s, b + 2, p ? p->note : NULL);
		bind_text(s, b + 3, eff);
		bind_text(s, b + 4, p && p->origin ? p->origin : prov);
		if (run_id > 0)
			sqlite3_bind_int64(s, b + 5, run_id);
		else
			sqlite3_bind_null(s, b + 5);
	}
	rc = stmt_done(st, s, err, "write observation");
	if (rc == 0)
		*wrote = 1;
	return rc;
}

/* ---- interval derivation ------------------------------------------------ */

struct obs_rec {
	char date[11];
	int is_tomb;      /* removal tombstone (nanos NULL) */
	int64_t nanos;
	char *text, *note;
	char eff[11];     /* "" when none */
};

struct iv_rec {
	int64_t id;       /* row id when loaded from the table, else 0 */
	char from[11], to[11]; /* to "" while open */
	int64_t nanos;
	char *text, *note; /* owned */
	char first[11], last[11];
	int removed;
	int matched;      /* diff bookkeeping */
};

struct ev_rec {
	int64_t id;
	char date[11];
	char kind[8];
	int has_old, has_new;
	int64_t old_nanos, new_nanos;
	char seen[11];
	char ivfrom[11];
	int matched;
};

struct rebuild {
	struct obs_rec *obs;
	size_t nobs, aobs;
	struct iv_rec *iv, *old_iv;
	size_t niv, aiv, nold_iv, aold_iv;
	struct ev_rec *ev, *old_ev;
	size_t nev, aev, nold_ev, aold_ev;
};

/*
 * Append one zeroed element to the array whose pointer is at *vpp (n used,
 * a allocated, es bytes each); returns the new element or NULL (ENOMEM).
 * The pointer is read and written with memcpy so that any element type can
 * share this one helper without type punning.
 */
static void *push(void *vpp, size_t *n, size_t *a, size_t es)
{
	char *v;

	memcpy(&v, vpp, sizeof(v));
	if (*n == *a) {
		size_t na = *a ? *a * 2 : 8;
		char *nv = realloc(v, na * es);
		if (!nv)
			return NULL;
		v = nv;
		*a = na;
		memcpy(vpp, &v, sizeof(v));
	}
	memset(v + *n * es, 0, es);
	return v + (*n)++ * es;
}

static void rebuild_clear(struct rebuild *r)
{
	size_t i;

	for (i = 0; i < r->nobs; i++) {
		free(r->obs[i].text);
		free(r->obs[i].note);
	}
	for (i = 0; i < r->niv; i++) {
		free(r->iv[i].text);
		free(r->iv[i].note);
	}
	for (i = 0; i < r->nold_iv; i++) {
		free(r->old_iv[i].text);
		free(r->old_iv[i].note);
	}
	r->nobs = r->niv = r->nold_iv = r->nev = r->nold_ev = 0;
}

static void rebuild_release(struct rebuild *r)
{
	rebuild_clear(r);
	free(r->obs);
	free(r->iv);
	free(r->old_iv);
	free(r->ev);
	free(r->old_ev);
	memset(r, 0, sizeof(*r));
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int dup_into(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : TT_ENOMEM;
}

/* Load the observations of (source, key) in date order. */
static int load_obs(struct store *st, struct rebuild *r, const char *source, int64_t key,
		    struct tt_error *err)
{
	sqlite3_stmt *s = stmt_get(st, SQL_OBS_LIST, err);
	int rc, oom = 0;

	if (!s)
		return err ? err->code : TT_EDB;
	bind_text(s, 1, source);
	sqlite3_bind_int64(s, 2, key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct obs_rec *o = push(&r->obs, &r->nobs, &r->aobs, sizeof(*o));
		if (!o) {
			oom = 1;
			break;
		}
		col_date(s, 0, o->date);
		o->is_tomb = sqlite3_column_type(s, 1) == SQLITE_NULL;
		o->nanos = sqlite3_column_int64(s, 1);
		o->text = col_dup(s, 2, &oom);
		o->note = col_dup(s, 3, &oom);
		col_date(s, 4, o->eff);
	}
	sqlite3_reset(s);
	if (oom)
		return tt_set_error(err, TT_ENOMEM, "out of memory loading observations");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, rc, err, "load observations");
	return 0;
}

/*
 * Turn the observations into intervals (DESIGN.md "History model"):
 * consecutive equal values merge; a new value starts at its effective date
 * when the source gave one, else at its observation date, and closes the
 * interval before it; a value that would start on or before the start of
 * the interval it replaces supersedes that interval (a scheduled price
 * that never took effect); a tombstone closes the open interval as removed.
 */
static int derive_intervals(struct rebuild *r)
{
	size_t i;

	for (i = 0; i < r->nobs; i++) {
		const struct obs_rec *o = &r->obs[i];
		struct iv_rec *top;
		char from[11];

		if (o->is_tomb) {
			while (r->niv && !r->iv[r->niv - 1].removed &&
			       strcmp(r->iv[r->niv - 1].from, o->date) >= 0) {
				r->niv--;
				free(r->iv[r->niv].text);
				free(r->iv[r->niv].note);
			}
			if (r->niv) {
				top = &r->iv[r->niv - 1];
				if (!top->removed) {
					top->removed = 1;
					snprintf(top->to, sizeof(top->to), "%s", o->date);
				}
			}
			continue;
		}
		top = r->niv ? &r->iv[r->niv - 1] : NULL;
		if (top && !top->removed && top->nanos == o->nanos) {
			snprintf(top->last, sizeof(top->last), "%s", o->date);
			continue;
		}
		snprintf(from, sizeof(from), "%s", o->eff[0] ? o->eff : o->date);
		if (top && top->removed && strcmp(from, top->to) < 0)
			snprintf(from, sizeof(from), "%s", top->to);
		while (r->niv && !r->iv[r->niv - 1].removed && strcmp(r->iv[r->niv - 1].from, from) >= 0) {
			r->niv--;
			free(r->iv[r->niv].text);
			free(r->iv[r->niv].note);
		}
		top = r->niv ? &r->iv[r->niv - 1] : NULL;
		if (top && !top->removed && top->nanos == o->nanos) {
			snprintf(top->last, sizeof(top->last), "%s", o->date);
			continue;
		}
		top = push(&r->iv, &r->niv, &r->aiv, sizeof(*top));
		if (!top)
			return TT_ENOMEM;
		snprintf(top->from, sizeof(top->from), "%s", from);
		top->nanos = o->nanos;
		snprintf(top->first, sizeof(top->first), "%s", o->date);
		snprintf(top->last, sizeof(top->last), "%s", o->date);
		if (dup_into(&top->text, o->text) || dup_into(&top->note, o->note))
			return TT_ENOMEM;
	}
	/* valid_to: the next interval's start unless closed by a removal. */
	for (i = 0; i < r->niv; i++)
		if (!r->iv[i].removed)
			snprintf(r->iv[i].to, sizeof(r->iv[i].to), "%s",
				 i + 1 < r->niv ? r->iv[i + 1].from : "");
	return 0;
}

/* Every opened interval is an event (new after nothing or a removal, else
 * up/down), every removal too. */
static int derive_events(struct rebuild *r)
{
	size_t i;

	for (i = 0; i < r->niv; i++) {
		const struct iv_rec *v = &r->iv[i];
		const struct iv_rec *prev = i ? &r->iv[i - 1] : NULL;
		struct ev_rec *e = push(&r->ev, &r->nev, &r->aev, sizeof(*e));

		if (!e)
			return TT_ENOMEM;
		snprintf(e->date, sizeof(e->date), "%s", v->from);
		snprintf(e->seen, sizeof(e->seen), "%s", v->first);
		snprintf(e->ivfrom, sizeof(e->ivfrom), "%s", v->from);
		e->has_new = 1;
		e->new_nanos = v->nanos;
		if (!prev || prev->removed) {
			snprintf(e->kind, sizeof(e->kind), "new");
		} else {
			snprintf(e->kind, sizeof(e->kind), "%s", v->nanos > prev->nanos ? "up" : "down");
			e->has_old = 1;
			e->old_nanos = prev->nanos;
		}
		if (v->removed) {
			e = push(&r->ev, &r->nev, &r->aev, sizeof(*e));
			if (!e)
				return TT_ENOMEM;
			snprintf(e->date, sizeof(e->date), "%s", v->to);
			snprintf(e->seen, sizeof(e->seen), "%s", v->to);
			snprintf(e->ivfrom, sizeof(e->ivfrom), "%s", v->from);
			snprintf(e->kind, sizeof(e->kind), "removed");
			e->has_old = 1;
			e->old_nanos = v->nanos;
		}
	}
	return 0;
}

static int load_old(struct store *st, struct rebuild *r, const char *source, int64_t key,
		    struct tt_error *err)
{
	sqlite3_stmt *s = stmt_get(st, SQL_IV_LIST, err);
	int rc, oom = 0;

	if (!s)
		return err ? err->code : TT_EDB;
	sqlite3_bind_int64(s, 1, key);
	bind_text(s, 2, source);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct iv_rec *v = push(&r->old_iv, &r->nold_iv, &r->aold_iv, sizeof(*v));
		if (!v) {
			oom = 1;
			break;
		}
		v->id = sqlite3_column_int64(s, 0);
		col_date(s, 1, v->from);
		col_date(s, 2, v->to);
		v->nanos = sqlite3_column_int64(s, 3);
		v->text = col_dup(s, 4, &oom);
		v->note = col_dup(s, 5, &oom);
		col_date(s, 6, v->first);
		col_date(s, 7, v->last);
		v->removed = sqlite3_column_int(s, 8);
	}
	sqlite3_reset(s);
	if (oom)
		return tt_set_error(err, TT_ENOMEM, "out of memory loading intervals");
	if (rc != SQLITE_DONE)
		return db_fail(st, rc, err, "load intervals");

	s = stmt_get(st, SQL_EV_LIST, err);
	if (!s)
		return err ? err->code : TT_EDB;
	sqlite3_bind_int64(s, 1, key);
	bind_text(s, 2, source);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev_rec *e = push(&r->old_ev, &r->nold_ev, &r->aold_ev, sizeof(*e));
		if (!e) {
			oom = 1;
			break;
		}
		e->id = sqlite3_column_int64(s, 0);
		col_date(s, 1, e->date);
		snprintf(e->kind, sizeof(e->kind), "%s", (const char *)sqlite3_column_text(s, 2));
		e->has_old = sqlite3_column_type(s, 3) != SQLITE_NULL;
		e->old_nanos = sqlite3_column_int64(s, 3);
		e->has_new = sqlite3_column_type(s, 4) != SQLITE_NULL;
		e->new_nanos = sqlite3_column_int64(s, 4);
		col_date(s, 5, e->seen);
		col_date(s, 6, e->ivfrom);
	}
	sqlite3_reset(s);
	if (oom)
		return tt_set_error(err, TT_ENOMEM, "out of memory loading change events");
	if (rc != SQLITE_DONE)
		return db_fail(st, rc, err, "load change events");
	return 0;
}

static int iv_equal(const struct iv_rec *a, const struct iv_rec *b)
{
	return !strcmp(a->to, b->to) && a->nanos == b->nanos && str_eq(a->text, b->text) &&
	       str_eq(a->note, b->note) && !strcmp(a->first, b->first) &&
	       !strcmp(a->last, b->last) && a->removed == b->removed;
}

static int ev_equal(const struct ev_rec *a, const struct ev_rec *b)
{
	return !strcmp(a->date, b->date) && !strcmp(a->kind, b->kind) && a->has_old == b->has_old &&
	       (!a->has_old || a->old_nanos == b->old_nanos) && a->has_new == b->has_new &&
	       (!a->has_new || a->new_nanos == b->new_nanos) && !strcmp(a->seen, b->seen) &&
	       !strcmp(a->ivfrom, b->ivfrom);
}

/* Write the difference between the stored and the derived rows.  Deletes
 * go first so that the unique (key, source, valid_from) never collides. */
static int write_diff(struct store *st, struct rebuild *r, const char *source, int64_t key,
		      size_t *new_events, struct tt_error *err)
{
	sqlite3_stmt *s;
	size_t i, j;
	int rc;

	for (i = 0; i < r->niv; i++) {
		r->iv[i].id = 0;
		for (j = 0; j < r->nold_iv; j++) {
			if (!r->old_iv[j].matched && !strcmp(r->old_iv[j].from, r->iv[i].from)) {
				r->old_iv[j].matched = 1;
				r->iv[i].id = r->old_iv[j].id;
				r->iv[i].matched = iv_equal(&r->iv[i], &r->old_iv[j]);
				break;
			}
		}
	}
	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->nold_ev; j++)
			if (!r->old_ev[j].matched && ev_equal(&r->ev[i], &r->old_ev[j])) {
				r->old_ev[j].matched = 1;
				r->ev[i].matched = 1;
				break;
			}
	for (j = 0; j < r->nold_ev; j++) {
		if (r->old_ev[j].matched)
			continue;
		s = stmt_get(st, SQL_EV_DEL, err);
		if (!s)
			return err ? err->code : TT_EDB;
		sqlite3_bind_int64(s, 1, r->old_ev[j].id);
		rc = stmt_done(st, s, err, "delete change event");
		if (rc < 0)
			return rc;
	}
	for (j = 0; j < r->nold_iv; j++) {
		if (r->old_iv[j].matched)
			continue;
		s = stmt_get(st, SQL_IV_DEL, err);
		if (!s)
			return err ? err->code : TT_EDB;
		sqlite3_bind_int64(s, 1, r->old_iv[j].id);
		rc = stmt_done(st, s, err, "delete interval");
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < r->niv; i++) {
		const struct iv_rec *v = &r->iv[i];
		int b;

		if (v->id && v->matched)
			continue;
		s = stmt_get(st, v->id ? SQL_IV_SET : SQL_IV_PUT, err);
		if (!s)
			return err ? err->code : TT_EDB;
		if (v->id) {
			sqlite3_bind_int64(s, 1, v->id);
			b = 2;
		} else {
			sqlite3_bind_int64(s, 1, key);
			bind_text(s, 2, source);
			bind_text(s, 3, v->from);
			b = 4;
		}
		bind_date(s, b, v->to);
		sqlite3_bind_int64(s, b + 1, v->nanos);
		bind_text(s, b + 2, v->text);
		bind_text(s, b + 3, v->note);
		bind_text(s, b + 4, v->first);
		bind_text(s, b + 5, v->last);
		sqlite3_bind_int(s, b + 6, v->removed);
		rc = stmt_done(st, s, err, "write interval");
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < r->nev; i++) {
		const struct ev_rec *e = &r->ev[i];

		if (e->matched)
			continue;
		s = stmt_get(st, SQL_EV_PUT, err);
		if (!s)
			return err ? err->code : TT_EDB;
		sqlite3_bind_int64(s, 1, key);
		bind_text(s, 2, source);
		bind_text(s, 3, e->date);
		bind_text(s, 4, e->kind);
		if (e->has_old)
			sqlite3_bind_int64(s, 5, e->old_nanos);
		if (e->has_new)
			sqlite3_bind_int64(s, 6, e->new_nanos);
		bind_text(s, 7, e->seen);
		bind_text(s, 8, e->ivfrom);
		rc = stmt_done(st, s, err, "write change event");
		if (rc < 0)
			return rc;
		(*new_events)++;
	}
	return 0;
}

/*
 * The common cases, done without a rebuild: the new observation (not a
 * replacement) is later than every other one of (source, key), so it can
 * only touch the tail.  Same value as the open last interval: move its
 * last_seen (a daily scrape).  A new value starting after the last
 * interval's start: close that interval and open one, with its event (a
 * chronological import).  No interval yet: open the first, "new".  Anything
 * else (removals, effective dates reaching back) falls back to the full
 * rebuild, which gives the same rows.  *done is 1 when it applied.
 */
static int append_fast(struct store *st, const char *source, int64_t key, const char *date,
		       const struct price *p, int *done, size_t *new_events, struct tt_error *err)
{
	const char *from = p->effective && *p->effective ? p->effective : date;
	sqlite3_stmt *s;
	int64_t id = 0, top_nanos = 0;
	int rc, have_top = 0, ok = 1, same = 0;

	*done = 0;
	s = stmt_get(st, SQL_OBS_MAX, err);
	if (!s)
		return err ? err->code : TT_EDB;
	bind_text(s, 1, source);
	sqlite3_bind_int64(s, 2, key);
	rc = sqlite3_step(s);
	ok = rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
	     !strcmp((const char *)sqlite3_column_text(s, 0), date);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, rc, err, "read last observation");
	if (!ok)
		return 0;

	s = stmt_get(st, SQL_IV_LAST, err);
	if (!s)
		return err ? err->code : TT_EDB;
	sqlite3_bind_int64(s, 1, key);
	bind_text(s, 2, source);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *vfrom = sqlite3_column_text(s, 5);
		have_top = 1;
		id = sqlite3_column_int64(s, 0);
		top_nanos = sqlite3_column_int64(s, 1);
		same = top_nanos == p->nanos;
		/* open, not removed, and (for a new value) starting before `from` */
		ok = sqlite3_column_type(s, 3) == SQLITE_NULL && sqlite3_column_int(s, 4) == 0 &&
		     (same || (vfrom && strcmp((const char *)vfrom, from) < 0));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, rc, err, "read last interval");
	if (!ok)
		return 0;

	if (have_top && same) {
		s = stmt_get(st, SQL_IV_SEEN, err);
		if (!s)
			return err ? err->code : TT_EDB;
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, date);
		rc = stmt_done(st, s, err, "extend interval");
		if (rc == 0)
			*done = 1;
		return rc;
	}
	if (have_top) {
		s = stmt_get(st, SQL_IV_CLOSE, err);
		if (!s)
			return err ? err->code : TT_EDB;
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, from);
		rc = stmt_done(st, s, err, "close interval");
		if (rc < 0)
			return rc;
	}
	s = stmt_get(st, SQL_IV_PUT, err);
	if (!s)
		return err ? err->code : TT_EDB;
	sqlite3_bind_int64(s, 1, key);
	bind_text(s, 2, source);
	bind_text(s, 3, from);
	sqlite3_bind_null(s, 4);
	sqlite3_bind_int64(s, 5, p->nanos);
	bind_text(s, 6, p->text);
	bind_text(s, 7, p->note);
	bind_text(s, 8, date);
	bind_text(s, 9, date);
	sqlite3_bind_int(s, 10, 0);
	rc = stmt_done(st, s, err, "write interval");
	if (rc < 0)
		return rc;
	s = stmt_get(st, SQL_EV_PUT, err);
	if (!s)
		return err ? err->code : TT_EDB;
	sqlite3_bind_int64(s, 1, key);
	bind_text(s, 2, source);
	bind_text(s, 3, from);
	bind_text(s, 4, !have_top ? "new" : p->nanos > top_nanos ? "up" : "down");
	if (have_top)
		sqlite3_bind_int64(s, 5, top_nanos);
	sqlite3_bind_int64(s, 6, p->nanos);
	bind_text(s, 7, date);
	bind_text(s, 8, from);
	rc = stmt_done(st, s, err, "write change event");
	if (rc < 0)
		return rc;
	(*new_events)++;
	*done = 1;
	return 0;
}

/* Rebuild the intervals and change events of one (source, key). */
static int rebuild_key(struct store *st, struct rebuild *r, const char *source, int64_t key,
		       size_t *new_events, struct tt_error *err)
{
	int rc;

	rebuild_clear(r);
	rc = load_obs(st, r, source, key, err);
	if (rc == 0 && derive_intervals(r) < 0)
		rc = tt_set_error(err, TT_ENOMEM, "out of memory deriving intervals");
	if (rc == 0 && derive_events(r) < 0)
		rc = tt_set_error(err, TT_ENOMEM, "out of memory deriving change events");
	if (rc == 0)
		rc = load_old(st, r, source, key, err);
	if (rc == 0)
		rc = write_diff(st, r, source, key, new_events, err);
	return rc;
}

/* ---- store_observe ------------------------------------------------------ */

struct touched {
	int64_t key;
	int64_t nanos;
	size_t idx;   /* index in the price list */
	int wrote;    /* the observation was added or replaced */
	int fresh;    /* it was added (no observation of that date before) */
};

static int touched_cmp(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Reject a record the history must never hold (fail closed). */
static int check_price(const char *source, const char *obs_date, size_t i, const struct price *p,
		       struct tt_error *err)
{
	const char *why = NULL;

	if (!p->provider || !*p->provider)
		why = "no provider";
	else if (!p->model || !*p->model)
		why = "no model";
	else if (!p->dimension || !*p->dimension)
		why = "no dimension";
	else if (p->nanos < 0)
		why = "a negative price";
	else if (p->effective && *p->effective && !date_valid(p->effective))
		why = "an invalid effective date";
	if (!why)
		return 0;
	return tt_set_error(err, TT_EINVAL,
			    "%s %s: price %zu (%s %s %s, effective '%s') has %s; nothing stored",
			    source, obs_date, i + 1, p->provider ? p->provider : "(null)",
			    p->model ? p->model : "(null)", p->dimension ? p->dimension : "(null)",
			    p->effective ? p->effective : "", why);
}

int store_observe(struct store *st, int64_t run_id, const char *source, const char *obs_date,
		  const struct price_list *prices, const char *provenance,
		  struct store_observe_stats *stats, struct tt_error *err)
{
	struct store_observe_stats sx = { 0 };
	struct touched *t = NULL;
	struct rebuild r = { 0 };
	size_t i, n = prices ? prices->n : 0;
	int rc = 0, nested = 0, in_tx = 0;

	if (stats)
		*stats = sx;
	if (!source || !*source)
		return tt_set_error(err, TT_EINVAL, "store_observe: no source");
	if (!obs_date || !date_valid(obs_date))
		return tt_set_error(err, TT_EINVAL, "%s: invalid observation date '%s' (expected YYYY-MM-DD)",
				    source, obs_date ? obs_date : "(null)");
	for (i = 0; i < n; i++) {
		rc = check_price(source, obs_date, i, &prices->v[i], err);
		if (rc < 0)
			return rc;
	}
	if (n) {
		t = calloc(n, sizeof(*t));
		if (!t)
			return tt_set_error(err, TT_ENOMEM, "out of memory");
	}
	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		goto out;
	in_tx = 1;
	for (i = 0; i < n; i++) {
		const struct price *p = &prices->v[i];
		int repeated = 0;

		rc = key_id_of(st, p, &t[i].key, err);
		if (rc < 0)
			goto out;
		t[i].nanos = p->nanos;
		t[i].idx = i;
		rc = obs_write(st, source, t[i].key, obs_date, p->nanos, p, provenance, run_id,
			       &t[i].wrote, &repeated, err);
		if (rc < 0)
			goto out;
		t[i].fresh = t[i].wrote && !repeated;
		sx.observed++;
		sx.repeated += (size_t)repeated;
	}
	if (n)
		qsort(t, n, sizeof(*t), touched_cmp);
	for (i = 0; i < n; i++) {
		size_t j = i;
		int wrote = t[i].wrote, fresh = t[i].fresh;

		for (; j + 1 < n && t[j + 1].key == t[i].key; j++) {
			if (t[j + 1].nanos != t[i].nanos) {
				const struct price *p = &prices->v[t[i].idx];
				rc = tt_set_error(err, TT_EINVAL,
						  "%s %s: %s %s %s %s%s%s is listed twice with different "
						  "prices (items %zu and %zu); nothing stored",
						  source, obs_date, p->provider, p->model, p->dimension,
						  p->tier ? p->tier : "standard",
						  p->condition && *p->condition ? " " : "",
						  p->condition ? p->condition : "",
						  t[i].idx + 1, t[j + 1].idx + 1);
				goto out;
			}
			wrote |= t[j + 1].wrote;
			fresh = 0;
		}
		sx.keys++;
		if (wrote) {
			int done = 0;
			if (fresh)
				rc = append_fast(st, source, t[i].key, obs_date, &prices->v[t[i].idx],
						 &done, &sx.changes, err);
			if (rc == 0 && !done)
				rc = rebuild_key(st, &r, source, t[i].key, &sx.changes, err);
			if (rc < 0)
				goto out;
		}
		i = j;
	}
out:
	if (in_tx)
		rc = tx_end(st, nested, rc, err);
	if (rc >= 0 && stats)
		*stats = sx;
	rebuild_release(&r);
	free(t);
	return rc < 0 ? rc : 0;
}

/* ---- removals ----------------------------------------------------------- */

struct open_key {
	int64_t key;
	char last[11];
};

int store_mark_removed(struct store *st, const char *source, const char *obs_date, int missed,
		       struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	char (*dates)[11] = NULL;
	struct open_key *keys = NULL;
	struct rebuild r = { 0 };
	size_t nd = 0, ad = 0, nk = 0, ak = 0, i, dummy = 0;
	int rc, nested = 0, in_tx = 0, marked = 0;

	if (!source || !*source || !obs_date || !date_valid(obs_date))
		return tt_set_error(err, TT_EINVAL, "mark removed: bad source or date '%s'",
				    obs_date ? obs_date : "(null)");
	if (missed <= 0)
		missed = STORE_MISSED_DEFAULT;
	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		goto out;
	in_tx = 1;

	/* The successful runs of the source up to obs_date, which counts as one. */
	rc = sqlite3_prepare_v2(st->db,
				"SELECT obs_date FROM run_source WHERE source=?1 AND status IN ('ok','unchanged')"
				" AND obs_date<=?2 UNION SELECT ?2 ORDER BY 1", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "list runs");
		goto out;
	}
	bind_text(s, 1, source);
	bind_text(s, 2, obs_date);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char (*d)[11] = push(&dates, &nd, &ad, sizeof(*dates));
		if (!d) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		col_date(s, 0, *d);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, rc, err, "list runs");
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;

	/* Keys of the source still in force, with their last sighting: an
	 * observation, or a value published but not stored, which counts as
	 * seen on the page all the same: one held in the review list
	 * (review.h) or one refused for breaking a bound (refused_value). */
	rc = sqlite3_prepare_v2(st->db,
				"SELECT i.key_id, max(coalesce((SELECT max(o.obs_date) FROM observation o"
				" WHERE o.source=i.source AND o.key_id=i.key_id), ''),"
				" coalesce((SELECT max(r.last_seen) FROM review_item r"
				" WHERE r.source=i.source AND r.key_id=i.key_id), ''),"
				" coalesce((SELECT max(v.obs_date) FROM refused_value v"
				" WHERE v.source=i.source AND v.key_id=i.key_id), ''))"
				" FROM price_interval i WHERE i.source=?1 AND i.valid_to IS NULL",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "list open keys");
		goto out;
	}
	bind_text(s, 1, source);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct open_key *k = push(&keys, &nk, &ak, sizeof(*keys));
		if (!k) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		k->key = sqlite3_column_int64(s, 0);
		col_date(s, 1, k->last);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, rc, err, "list open keys");
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;

	for (i = 0; i < nk; i++) {
		size_t first = nd, j;
		int wrote = 0, repeated = 0;

		for (j = 0; j < nd; j++)
			if (strcmp(dates[j], keys[i].last) > 0) {
				first = j;
				break;
			}
		if (first == nd || nd - first < (size_t)missed)
			continue;
		rc = obs_write(st, source, keys[i].key, dates[first], -1, NULL, "removed: absent from runs",
			       0, &wrote, &repeated, err);
		if (rc == 0)
			rc = rebuild_key(st, &r, source, keys[i].key, &dummy, err);
		if (rc < 0)
			goto out;
		marked++;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	if (in_tx)
		rc = tx_end(st, nested, rc, err);
	rebuild_release(&r);
	free(dates);
	free(keys);
	return rc < 0 ? rc : marked;
}

/* ---- values refused by a bound ------------------------------------------ */

int store_observe_refused(struct store *st, int64_t run_id, const char *source, const char *obs_date,
			  const struct price_list *refused, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t i, n = refused ? refused->n : 0;
	int rc, nested = 0, recorded = 0;

	if (!source || !*source || !obs_date || !date_valid(obs_date))
		return tt_set_error(err, TT_EINVAL, "refused values: bad source or date '%s'",
				    obs_date ? obs_date : "(null)");
	if (n == 0)
		return 0;
	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		return rc;
	rc = sqlite3_prepare_v2(st->db,
				"INSERT INTO refused_value(source,key_id,obs_date,nanos,text,run_id)"
				" VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(source,key_id,obs_date)"
				" DO UPDATE SET nanos=excluded.nanos, text=excluded.text, run_id=excluded.run_id",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "record a refused value");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct price *p = &refused->v[i];
		int64_t key = 0;

		if (!p->provider || !*p->provider || !p->model || !*p->model || !p->dimension ||
		    !*p->dimension)
			continue; /* no key: nothing it could keep open */
		rc = key_id_find(st, p, &key, err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue; /* never stored: no interval to keep open */
		sqlite3_reset(s);
		bind_text(s, 1, source);
		sqlite3_bind_int64(s, 2, key);
		bind_text(s, 3, obs_date);
		sqlite3_bind_int64(s, 4, p->nanos);
		bind_text(s, 5, p->text);
		if (run_id > 0)
			sqlite3_bind_int64(s, 6, run_id);
		else
			sqlite3_bind_null(s, 6);
		rc = stmt_done(st, s, err, "record a refused value");
		if (rc < 0)
			goto out;
		recorded++;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	rc = tx_end(st, nested, rc, err);
	return rc < 0 ? rc : recorded;
}

/* ---- re-parsing a day --------------------------------------------------- */

static int int64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int store_forget_day(struct store *st, const char *source, const char *obs_date,
		     const struct price_list *keep, struct tt_error *err)
{
	sqlite3_stmt *s = NULL, *del = NULL;
	int64_t *keys = NULL, *gone = NULL;
	size_t nk = keep ? keep->n : 0, ng = 0, ag = 0, i, dummy = 0;
	struct rebuild r = { 0 };
	int rc, nested = 0, in_tx = 0;

	if (!source || !*source || !obs_date || !date_valid(obs_date))
		return tt_set_error(err, TT_EINVAL, "forget day: bad source or date '%s'",
				    obs_date ? obs_date : "(null)");
	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		goto out;
	in_tx = 1;
	if (nk) {
		keys = calloc(nk, sizeof(*keys));
		if (!keys) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < nk; i++) {
		rc = key_id_of(st, &keep->v[i], &keys[i], err);
		if (rc < 0)
			goto out;
	}
	if (nk)
		qsort(keys, nk, sizeof(*keys), int64_cmp);
	rc = sqlite3_prepare_v2(st->db, "SELECT key_id FROM observation WHERE source=?1 AND obs_date=?2"
				" AND nanos IS NOT NULL", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "list a day's observations");
		goto out;
	}
	bind_text(s, 1, source);
	bind_text(s, 2, obs_date);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t k = sqlite3_column_int64(s, 0), *slot;
		if (nk && bsearch(&k, keys, nk, sizeof(*keys), int64_cmp))
			continue;
		slot = push(&gone, &ng, &ag, sizeof(*gone));
		if (!slot) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		*slot = k;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, rc, err, "list a day's observations");
		goto out;
	}
	rc = sqlite3_prepare_v2(st->db, "DELETE FROM observation WHERE source=?1 AND obs_date=?2 AND key_id=?3",
				-1, &del, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "forget an observation");
		goto out;
	}
	for (i = 0; i < ng; i++) {
		sqlite3_reset(del);
		bind_text(del, 1, source);
		bind_text(del, 2, obs_date);
		sqlite3_bind_int64(del, 3, gone[i]);
		rc = stmt_done(st, del, err, "forget an observation");
		if (rc == 0)
			rc = rebuild_key(st, &r, source, gone[i], &dummy, err);
		if (rc < 0)
			goto out;
	}
	/* The values refused that day: the re-parse records its own. */
	sqlite3_finalize(del);
	rc = sqlite3_prepare_v2(st->db, "DELETE FROM refused_value WHERE source=?1 AND obs_date=?2",
				-1, &del, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(st, rc, err, "forget refused values");
		goto out;
	}
	bind_text(del, 1, source);
	bind_text(del, 2, obs_date);
	rc = stmt_done(st, del, err, "forget refused values");
	if (rc < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_finalize(del);
	if (in_tx)
		rc = tx_end(st, nested, rc, err);
	rebuild_release(&r);
	free(keys);
	free(gone);
	return rc < 0 ? rc : (int)ng;
}

/* ---- removals from imported history ------------------------------------ */

int store_observe_removed(struct store *st, int64_t run_id, const char *source,
			  const struct price *p, const char *date, const char *provenance,
			  struct tt_error *err)
{
	struct rebuild r = { 0 };
	struct price q;
	int64_t key = 0;
	size_t dummy = 0;
	int rc, nested = 0, wrote = 0, repeated = 0;

	if (!source || !*source || !date || !date_valid(date))
		return tt_set_error(err, TT_EINVAL, "removal: bad source or date '%s'",
				    date ? date : "(null)");
	q = *p;
	q.nanos = 0;
	q.effective = NULL;
	rc = check_price(source, date, 0, &q, err);
	if (rc < 0)
		return rc;
	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		return rc;
	rc = key_id_of(st, &q, &key, err);
	if (rc == 0)
		rc = obs_write(st, source, key, date, -1, NULL, provenance ? provenance : "removed",
			       run_id, &wrote, &repeated, err);
	if (rc == 0 && wrote)
		rc = rebuild_key(st, &r, source, key, &dummy, err);
	rc = tx_end(st, nested, rc, err);
	rebuild_release(&r);
	return rc < 0 ? rc : 0;
}

/* ---- bulk: keys a source has never published ---------------------------- */

/* One price of a store_observe_bulk() call. */
struct bulk_item {
	const struct price *p;
	const char *date;  /* its observation date */
	size_t idx;        /* position in the list */
	const char *f[8];  /* its key (key_fields) */
};

/* One key of the call: items [start, start + n) of the sorted array, and
 * where it first appears (date, then list position). */
struct bulk_key {
	size_t start, n;
	const char *first_date;
	size_t first_idx;
};

static int bulk_key_cmp(const struct bulk_item *x, const struct bulk_item *y)
{
	int i, c;

	for (i = 0; i < 8; i++)
		if ((c = strcmp(x->f[i], y->f[i])))
			return c;
	return 0;
}

/* By key, then observation date, then list order. */
static int bulk_item_cmp(const void *a, const void *b)
{
	const struct bulk_item *x = a, *y = b;
	int c = bulk_key_cmp(x, y);

	if (c)
		return c;
	if ((c = strcmp(x->date, y->date)))
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Keys by their first appearance: the order in which per-date
 * store_observe() calls would create them. */
static int bulk_first_cmp(const void *a, const void *b)
{
	const struct bulk_key *x = a, *y = b;
	int c = strcmp(x->first_date, y->first_date);

	return c ? c : (x->first_idx > y->first_idx) - (x->first_idx < y->first_idx);
}

/* 1 when source has any observation of key. */
static int bulk_has_obs(struct store *st, const char *source, int64_t key, struct tt_error *err)
{
	sqlite3_stmt *s = stmt_get(st, SQL_OBS_ANY, err);
	int rc;

	if (!s)
		return err ? err->code : TT_EDB;
	bind_text(s, 1, source);
	sqlite3_bind_int64(s, 2, key);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(st, rc, err, "look up observations");
}

/* Write the observations of one fresh key, then derive and write its
 * intervals and change events exactly as rebuild_key() would. */
static int bulk_write_key(struct store *st, struct rebuild *r, int64_t run_id, const char *source,
			  int64_t key, const struct bulk_item *it, size_t n, const char *prov,
			  size_t *new_events, struct tt_error *err)
{
	size_t i;
	int rc, oom = 0;

	rebuild_clear(r);
	for (i = 0; i < n; i++) {
		const struct price *p = it[i].p;
		const char *eff = p->effective && *p->effective ? p->effective : NULL;
		struct obs_rec *o = push(&r->obs, &r->nobs, &r->aobs, sizeof(*o));
		sqlite3_stmt *s;

		if (!o)
			return tt_set_error(err, TT_ENOMEM, "out of memory");
		snprintf(o->date, sizeof(o->date), "%s", it[i].date);
		o->nanos = p->nanos;
		snprintf(o->eff, sizeof(o->eff), "%s", eff ? eff : "");
		if (dup_into(&o->text, p->text) || dup_into(&o->note, p->note))
			oom = 1;
		s = stmt_get(st, SQL_OBS_PUT, err);
		if (!s)
			return err ? err->code : TT_EDB;
		bind_text(s, 1, source);
		sqlite3_bind_int64(s, 2, key);
		bind_text(s, 3, it[i].date);
		sqlite3_bind_int64(s, 4, p->nanos);
		bind_text(s, 5, p->text);
		bind_text(s, 6, p->note);
		bind_text(s, 7, eff);
		bind_text(s, 8, p->origin ? p->origin : prov);
		if (run_id > 0)
			sqlite3_bind_int64(s, 9, run_id);
		rc = stmt_done(st, s, err, "write observation");
		if (rc < 0)
			return rc;
	}
	if (oom || derive_intervals(r) < 0 || derive_events(r) < 0)
		return tt_set_error(err, TT_ENOMEM, "out of memory deriving intervals");
	return write_diff(st, r, source, key, new_events, err);
}

int store_observe_bulk(struct store *st, int64_t run_id, const char *source, const char *date,
		       const struct price_list *prices, const char *provenance, unsigned char *done,
		       struct store_observe_stats *stats, struct tt_error *err)
{
	struct store_observe_stats sx = { 0 };
	struct bulk_item *it = NULL;
	struct bulk_key *keys = NULL;
	struct rebuild r = { 0 };
	size_t i, j, n = prices ? prices->n : 0, nk = 0;
	int rc = 0, nested = 0, in_tx = 0;

	if (stats)
		*stats = sx;
	if (n)
		memset(done, 0, n);
	if (st->no_bulk || n == 0 || !source || !*source || !date || !date_valid(date))
		return 0;
	/* Anything store_observe() would refuse goes its way, to fail there. */
	for (i = 0; i < n; i++) {
		const struct price *p = &prices->v[i];
		if (check_price(source, date, i, p, NULL) < 0 || (p->observed && !date_valid(p->observed)))
			return 0;
	}
	it = malloc(n * sizeof(*it));
	keys = malloc(n * sizeof(*keys));
	if (!it || !keys) {
		rc = tt_set_error(err, TT_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct price *p = &prices->v[i];
		it[i].p = p;
		it[i].date = p->observed ? p->observed : date;
		it[i].idx = i;
		key_fields(p, it[i].f);
	}
	qsort(it, n, sizeof(*it), bulk_item_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !bulk_key_cmp(&it[i], &it[j]); j++)
			;
		/* sorted by date then list order: the first item is the first seen */
		keys[nk].start = i;
		keys[nk].n = j - i;
		keys[nk].first_date = it[i].date;
		keys[nk++].first_idx = it[i].idx;
	}
	qsort(keys, nk, sizeof(*keys), bulk_first_cmp);

	rc = tx_begin(st, &nested, err);
	if (rc < 0)
		goto out;
	in_tx = 1;
	for (i = 0; i < nk; i++) {
		const struct bulk_item *k = &it[keys[i].start];
		int64_t key = 0;
		int dup = 0;

		/* Created in first-appearance order: the ids per-date calls give. */
		rc = key_id_of(st, k->p, &key, err);
		if (rc < 0)
			goto out;
		for (j = 1; j < keys[i].n; j++)
			dup |= !strcmp(k[j].date, k[j - 1].date);
		if (dup)
			continue; /* two prices on one date: store_observe's rules */
		rc = bulk_has_obs(st, source, key, err);
		if (rc < 0)
			goto out;
		if (rc == 1) {
			rc = 0;
			continue; /* the general path merges with what is stored */
		}
		rc = bulk_write_key(st, &r, run_id, source, key, k, keys[i].n, provenance, &sx.changes,
				    err);
		if (rc < 0)
			goto out;
		for (j = 0; j < keys[i].n; j++)
			done[k[j].idx] = 1;
		sx.observed += keys[i].n;
		sx.keys += keys[i].n; /* one per date, as per-date calls count */
	}
out:
	if (in_tx)
		rc = tx_end(st, nested, rc, err);
	if (rc < 0 && n)
		memset(done, 0, n);
	if (rc >= 0 && stats)
		*stats = sx;
	rebuild_release(&r);
	free(it);
	free(keys);
	return rc < 0 ? rc : (int)sx.observed;
}
