#!/bin/sh
# main-job.sh - tokentrend's whole job on the bundled real captures, step by
# step, as a new user would run it (README, first command).  Uses a fresh
# database ./tokentrend-demo.db unless TOKENTREND_DB is set.
#   1. create the database and load the bundled dated price history
#   2. scrape the bundled captures (trimmed real provider pages and feeds)
#   3. print the current prices of one provider
#   4. forecast one real price series (Mistral Large input, 5 dated prices)
#   5. draw its forecast fan chart into plots/
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${TOKENTREND_BIN:-$top/build/tokentrend}
db=${TOKENTREND_DB:-$top/tokentrend-demo.db}
plots=${TOKENTREND_PLOTS:-$top/plots}
if [ -z "${TOKENTREND_DB:-}" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
fi
export TOKENTREND_DB="$db"
step() { printf '\n$ tokentrend %s\n' "$*"; "$bin" "$@"; }

step init
step scrape --from-dir "$top/db/captures"
step prices --provider anthropic --model claude-sonnet-4.5
step prices --provider openai --model gpt-5.6-sol --dimension input
step forecast --provider mistral --model mistral-large-latest --dimension input
step plot forecast --provider mistral --model mistral-large-latest --dimension input \
	--out "$plots/mistral-large-latest-input-forecast.png"
printf '\nDone: database %s, plot %s\n' "$db" "$plots/mistral-large-latest-input-forecast.png"
