-- 0006_refused.sql - values a successful run found on its source's page but
-- refused to store because they break a bound (validate.h: negative, or
-- above the per-1M-tokens limit).  They are never prices; they only say the
-- key was still on the page that day, so store_mark_removed() does not
-- count the key as absent (a 10x jump held in review_item counts the same
-- way).  One row per source, key and observation date; a re-parse of the
-- day (store_forget_day) forgets the day's rows before recording its own.
CREATE TABLE refused_value (
	source TEXT NOT NULL,
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	obs_date TEXT NOT NULL,
	nanos INTEGER NOT NULL,
	text TEXT,
	run_id INTEGER REFERENCES run(id) ON DELETE SET NULL,
	PRIMARY KEY (source, key_id, obs_date)
) STRICT, WITHOUT ROWID;
