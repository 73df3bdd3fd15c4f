-- 0004_review.sql - the review list (DESIGN.md "Extraction rules", issue 3):
-- a price that moved more than 10x against the value its source had in
-- force is not stored as a normal change; it waits here until someone
-- accepts it (it is then stored as an observation on the dates it was
-- seen) or rejects it (it is never stored; the same value seen again is
-- not flagged again, only its last_seen moves).  Decisions are kept.

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

PRAGMA user_version = 4;
