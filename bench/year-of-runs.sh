#!/bin/sh
# year-of-runs.sh - how much a year of daily runs adds to the database
# (README "Fetching every day").  Run on demand, never by the test suite:
#   bench/year-of-runs.sh [build/tokentrend] [DAYS (365)]
# Replays the three bundled captures once a day for DAYS days into a fresh
# database (unchanged pages, as most days are), then prints the database
# size, the rows per table and the snapshot store; and the zlib-compressed
# size of each full capture in ../shared/data/pages (what one distinct
# snapshot costs when a page changes every day).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/tokentrend}
days=${2:-365}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TOKENTREND_DB="$tmp/year.db" HOME="$tmp" TOKENTREND_CONFIG="$tmp/none.conf"
: >"$TOKENTREND_CONFIG"
"$bin" init --no-seed >/dev/null
before=$(stat -c %s "$TOKENTREND_DB")
d=0
while [ "$d" -lt "$days" ]; do
	date=$(date -u -d "2026-01-01 + $d days" +%Y-%m-%d)
	"$bin" scrape --source openai --file "$top/db/captures/openai-2026-08-21.html" --date "$date" >/dev/null
	"$bin" scrape --source anthropic --file "$top/db/captures/anthropic-2025-11-14.html" --date "$date" >/dev/null
	"$bin" scrape --source openrouter --file "$top/db/captures/openrouter-models-2026-08-18.json" --date "$date" >/dev/null
	d=$((d + 1))
done
sqlite3 "$TOKENTREND_DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null 2>&1 || true
after=$(stat -c %s "$TOKENTREND_DB")
echo "days: $days; database: $before bytes empty, $after bytes after ($(( (after - before) / days )) bytes/day)"
if command -v sqlite3 >/dev/null; then
	for t in observation price_interval change_event run run_source snapshot; do
		printf '%-15s %s rows\n' "$t" "$(sqlite3 "$TOKENTREND_DB" "SELECT count(*) FROM $t")"
	done
	sqlite3 "$TOKENTREND_DB" "SELECT 'snapshots: ' || count(*) || ' stored, ' || sum(size) || ' bytes raw, ' || sum(length(body)) || ' bytes compressed' FROM snapshot"
	sqlite3 "$TOKENTREND_DB" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8" 2>/dev/null || true
fi
python3 - "$top/../shared/data/pages" <<'PY' || true
import sys, zlib, os
d = sys.argv[1]
for f in ["openai-2026-08-21.html", "anthropic-2025-11-14.html", "openrouter-models-2026-08-18.json"]:
    p = os.path.join(d, f)
    if not os.path.exists(p):
        print("SKIP: %s absent" % p); continue
    b = open(p, "rb").read()
    print("%-36s %8d bytes raw, %7d zlib-9" % (f, len(b), len(zlib.compress(b, 9))))
PY
