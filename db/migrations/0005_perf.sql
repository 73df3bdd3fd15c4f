-- 0005_perf.sql - speed at scale (issue 8 item 6, bench/README.md).
--
-- `prices --as-of D` asks, for every key and source, for the last interval
-- that started on or before D.  price_series lists the (key, source) pairs
-- that have intervals, so that question is one seek per pair in the
-- (key_id, source, valid_from) index, whatever D is; the old
-- (valid_to, valid_from) index read every interval ending after D, which
-- for an old D is nearly the whole table.  A trigger keeps the list whole;
-- a pair whose intervals are all gone stays listed and simply finds none.
CREATE TABLE price_series (
	key_id INTEGER NOT NULL REFERENCES price_key(id),
	source TEXT NOT NULL,
	PRIMARY KEY (key_id, source)
) STRICT, WITHOUT ROWID;
INSERT INTO price_series(key_id, source) SELECT DISTINCT key_id, source FROM price_interval;
CREATE TRIGGER price_series_add AFTER INSERT ON price_interval
BEGIN
	INSERT OR IGNORE INTO price_series(key_id, source) VALUES (NEW.key_id, NEW.source);
END;

-- The open intervals per source (removal checks, `sources health`) need
-- only this small partial index; every interval no longer pays for an
-- entry in the (valid_to, valid_from) index.
DROP INDEX price_interval_asof;
CREATE INDEX price_interval_open ON price_interval(source) WHERE valid_to IS NULL;
