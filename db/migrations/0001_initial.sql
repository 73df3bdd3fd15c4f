-- placeholder, replaced by the store work
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
