-- 0002_fetch.sql - fetching for real, every day (issue 4): the validators of
-- each source's last answer for conditional requests, the notifications
-- already delivered, and indexes for snapshot retention and notifications.
-- store.c runs this file in one transaction; it ends by setting user_version.

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
