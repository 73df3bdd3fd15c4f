-- schema.sql - the tokentrend schema after every migration (today: 0001 .. 0006).
-- Keep it equal to what db/migrations/ produce: tests/test_store.c compares
-- sqlite_master of a migrated database with this file applied to an empty one.
--
-- Conventions:
--   * dates are 'YYYY-MM-DD' text (UTC), timestamps 'YYYY-MM-DDTHH:MM:SSZ';
--   * money is INTEGER nano-units (1e-9 of the currency per unit), never REAL;
--     STRICT tables make SQLite refuse anything else;
--   * a price key (provider .. currency) lives once in price_key and is
--     referenced by id, which keeps the big tables narrow;
--   * source is the catalog id ('openai', 'litellm', ...).
-- store.c runs this file in one transaction; it ends by setting user_version.

-- One scrape, import or re-parse.
CREATE TABLE run (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('scrape', 'replay', 'import', 'reparse')),
	started TEXT NOT NULL,
	finished TEXT,
	status TEXT
) STRICT;

-- A raw fetched body, content-addressed by SHA-256 and zlib-compressed.
CREATE TABLE snapshot (
	sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	size INTEGER NOT NULL CHECK (size >= 0),
	body BLOB NOT NULL
) STRICT;

-- The outcome of one source within a run.
CREATE TABLE run_source (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
	source TEXT NOT NULL,
	obs_date TEXT NOT NULL,
	status TEXT NOT NULL,
	http_status INTEGER NOT NULL DEFAULT 0,
	bytes INTEGER NOT NULL DEFAULT 0,
	models INTEGER NOT NULL DEFAULT 0,
	prices INTEGER NOT NULL DEFAULT 0,
	origin TEXT,
	error TEXT,
	snapshot TEXT REFERENCES snapshot(sha256)
) STRICT;
CREATE INDEX run_source_by_source ON run_source(source, obs_date);
CREATE INDEX run_source_by_run ON run_source(run_id);

-- A price key: who sells what, on which terms, in which unit and currency.
CREATE TABLE price_key (
	id INTEGER PRIMARY KEY,
	provider TEXT NOT NULL,
	model TEXT NOT NULL,
	dimension TEXT NOT NULL,
	tier TEXT NOT NULL DEFAULT 'standard',
	condition TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	unit TEXT NOT NULL,
	currency TEXT NOT NULL,
	UNIQUE (provider, model, dimension, tier, condition, region, unit, currency)
) STRICT;
-- one model's prices or history without its provider
CREATE INDEX price_key_model ON price_key(model);

-- What a source published for a key on a date.  nanos NULL is a tombstone:
-- the key was absent from `missed` successful runs from this date on
-- (written by store_mark_removed).
CREATE TABLE observation (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	obs_date TEXT NOT NULL,
	nanos INTEGER CHECK (nanos IS NULL OR nanos >= 0),
	text TEXT,
	note TEXT,
	effective TEXT,
	provenance TEXT,
	run_id INTEGER REFERENCES run(id) ON DELETE SET NULL,
	UNIQUE (source, key_id, obs_date)
) STRICT;

-- Half-open intervals [valid_from, valid_to) of one value, per key and
-- source, derived from the observations (store.c rebuilds them).
-- valid_to NULL: still in force.  removed 1: closed by a removal, not by a
-- new value.
CREATE TABLE price_interval (
	id INTEGER PRIMARY KEY,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	source TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to TEXT CHECK (valid_to IS NULL OR valid_to > valid_from),
	nanos INTEGER NOT NULL CHECK (nanos >= 0),
	text TEXT,
	note TEXT,
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
	UNIQUE (key_id, source, valid_from)
) STRICT;
-- The open intervals per source (0005).
CREATE INDEX price_interval_open ON price_interval(source) WHERE valid_to IS NULL;

-- Every (key, source) with intervals (0005): `prices --as-of` seeks the last
-- interval starting on or before the date once per pair.  Kept by a trigger.
CREATE TABLE price_series (
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	source TEXT NOT NULL,
	PRIMARY KEY (key_id, source)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER price_series_add AFTER INSERT ON price_interval
BEGIN
	INSERT OR IGNORE INTO price_series(key_id, source) VALUES (NEW.key_id, NEW.source);
END;

-- Every opened interval ('new', 'up', 'down') and every removal.
-- interval_from names the interval it opened (or, for 'removed', closed).
CREATE TABLE change_event (
	id INTEGER PRIMARY KEY,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('new', 'up', 'down', 'removed')),
	old_nanos INTEGER,
	new_nanos INTEGER,
	seen TEXT NOT NULL,
	interval_from TEXT NOT NULL,
	UNIQUE (key_id, source, date, kind)
) STRICT;
CREATE INDEX change_event_by_date ON change_event(date);

-- 0002_fetch.sql ------------------------------------------------------------

-- The validators (ETag, Last-Modified) of a source's last 200 answer and the
-- snapshot they describe: a later 304 means "still that body", which is
-- re-read so that the prices' last_seen moves on.
CREATE TABLE source_http (
	source TEXT PRIMARY KEY,
	url TEXT NOT NULL,
	etag TEXT,
	last_modified TEXT,
	snapshot TEXT NOT NULL REFERENCES snapshot(sha256),
	updated TEXT NOT NULL
) STRICT;

-- Notifications delivered, so that a second run the same day repeats none.
-- kind 'change': key_id/date/change name the change_event; 'failing':
-- key_id 0, date = the first failed run of the streak, change ''.
CREATE TABLE notification (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('change', 'failing')),
	source TEXT NOT NULL,
	key_id INTEGER NOT NULL DEFAULT 0,
	date TEXT NOT NULL,
	change TEXT NOT NULL DEFAULT '',
	sent TEXT NOT NULL,
	UNIQUE (kind, source, key_id, date, change)
) STRICT;

-- snapshot retention looks outcomes up by snapshot; notifications by `seen`.
CREATE INDEX run_source_by_snapshot ON run_source(snapshot);
CREATE INDEX change_event_by_seen ON change_event(seen);


-- A price that moved more than 10x against the value in force waits here
-- (0004_review.sql): pending until accepted (stored as an observation) or
-- rejected (never stored; the same value is not flagged again).
CREATE TABLE review_item (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	nanos INTEGER NOT NULL CHECK (nanos >= 0),
	text TEXT,
	note TEXT,
	prev_nanos INTEGER,
	reason TEXT NOT NULL,
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL CHECK (last_seen >= first_seen),
	run_id INTEGER REFERENCES run(id) ON DELETE SET NULL,
	flagged_at TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
	decided_at TEXT,
	decided_by TEXT,
	decision_note TEXT,
	UNIQUE (source, key_id, nanos)
) STRICT;
CREATE INDEX review_item_by_status ON review_item(status, first_seen);


-- Daily reference rates (0003): `rate` units of `currency` per 1 `base`,
-- as published, and the same in nano-units (exact from the text).
CREATE TABLE fx_rate (
	source TEXT NOT NULL,
	base TEXT NOT NULL,
	currency TEXT NOT NULL,
	date TEXT NOT NULL,
	rate TEXT NOT NULL,
	rate_nanos INTEGER NOT NULL CHECK (rate_nanos > 0),
	PRIMARY KEY (source, base, currency, date)
) STRICT;


-- A value a successful run found on the page but refused to store for
-- breaking a bound (0006): never a price; the key counts as present for
-- removals.  nanos may be negative (that is why it was refused).
CREATE TABLE refused_value (
	source TEXT NOT NULL,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	obs_date TEXT NOT NULL,
	nanos INTEGER NOT NULL,
	text TEXT,
	run_id INTEGER REFERENCES run(id) ON DELETE SET NULL,
	PRIMARY KEY (source, key_id, obs_date)
) STRICT, WITHOUT ROWID;


PRAGMA user_version = 6;
