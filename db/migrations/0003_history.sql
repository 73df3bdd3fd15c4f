-- 0003_history.sql - exchange rates by date (issue 8: history in and out).
-- Independent of 0002; applied after whatever precedes it.

-- Daily reference rates: `rate` units of `currency` per 1 `base`, as
-- published ('1.0705' USD per EUR), and the same in nano-units (rate x 1e9,
-- exact from the text; never REAL).  The ECB publishes EUR-based rates on
-- TARGET business days; a conversion uses the latest rate on or before the
-- price's date and says which one it used.
CREATE TABLE fx_rate (
	source TEXT NOT NULL,
	base TEXT NOT NULL,
	currency TEXT NOT NULL,
	date TEXT NOT NULL,
	rate TEXT NOT NULL,
	rate_nanos INTEGER NOT NULL CHECK (rate_nanos > 0),
	PRIMARY KEY (source, base, currency, date)
) STRICT;
