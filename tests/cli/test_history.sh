#!/bin/bash
# test_history.sh - history in and out from the command line: imports of
# every format (fixtures), idempotent re-imports, prices by effective vs
# observed date, stats, export and its round trip, the portable database,
# ECB rates and labelled conversions, usage errors.
. "$(dirname "$0")/lib.sh"

fx="$TT_TOP/tests/fixtures"
export TOKENTREND_NOW=2026-08-24

run init --no-seed
expect "init exits 0" test "$rc" -eq 0

run import litellm "$fx/litellm-model-prices-2026-07-24-excerpt.json"
expect "litellm import exits 0" test "$rc" -eq 0
expect "litellm import dated from the file name" has "$out" "litellm     2026-07-24  ok         67 prices"
run import litellm "$fx/litellm-model-prices-2026-07-24-excerpt.json"
expect "litellm re-import adds no change" has "$out" " 0 changes"

run import llmprices "$fx/llmprices-anthropic-2026-06-30-excerpt.json"
expect "llmprices import exits 0" test "$rc" -eq 0
run import llmprices "$fx/llmprices-openai-2026-07-30-excerpt.json" --date 2026-07-30
expect "llmprices import with --date exits 0" test "$rc" -eq 0

# the same extractor through scrape: nothing new
run scrape --source litellm --file "$fx/litellm-model-prices-2026-07-24-excerpt.json" --date 2026-07-24
expect "scrape --source litellm runs the same extractor" has "$out" "litellm     2026-07-24  ok         67 prices"
expect "scrape of the same file adds no change" has "$out" " 0 changes"

run prices --source llmprices --model claude-sonnet-5 --dimension input --as-of 2026-09-02 --format json
expect "scheduled price in force on its day" has "$out" '"price": "3.00"'
expect "JSON states the date basis" has "$out" '"by": "effective"'
run prices --source llmprices --model claude-sonnet-5 --dimension input --as-of 2026-07-01
expect "table states the date basis" has "$out" "by effective date"
run prices --by observed --source llmprices --model gpt-5.6-terra --dimension input --as-of 2026-07-29 --format csv
expect "observed basis shows the old price" has "$out" ",2.50,"
run prices --by sometime
expect "bad --by is a usage error" test "$rc" -eq 2

run stats --provider openai --model gpt-5.6-terra --source llmprices --dimension input --format json
expect "stats exits 0" test "$rc" -eq 0
expect "stats counts the cut" has "$out" '"changes": 1, "downs": 1'
expect "stats size of the cut" has "$out" '"max_cut_pct": "-20.00"'
run stats
expect "stats without a key is a usage error" test "$rc" -eq 2
run stats --cheapest --format csv
expect "cheapest per tier" has "$out" "standard,"
expect "cheapest has the batch tier" has "$out" ",batch,"

# export -> import into a new database -> export again: identical
run export --format csv
expect "export exits 0" test "$rc" -eq 0
printf '%s\n' "$out" >"$TT_TMP/h1.csv"
TOKENTREND_DB="$TT_TMP/t2.db" "$TT_BIN" import csv "$TT_TMP/h1.csv" >"$TT_TMP/imp" 2>&1
expect "exported CSV imports back" has "$(cat "$TT_TMP/imp")" "0 rejected"
TOKENTREND_DB="$TT_TMP/t2.db" "$TT_BIN" export --format csv >"$TT_TMP/h2.csv"
expect "round trip gives the same history" cmp -s "$TT_TMP/h1.csv" "$TT_TMP/h2.csv"
run export --format json
expect "JSON export is one object" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert set(d)=={"as_of","prices","history","changes"}' "$TT_TMP/out"
run export --format csv --what all --out "$TT_TMP/exp"
expect "folder export" test -s "$TT_TMP/exp/history.csv" -a -s "$TT_TMP/exp/prices.csv" -a -s "$TT_TMP/exp/changes.csv"
expect "folder export names the folder once" has "$out" "changes to $TT_TMP/exp/"
run export --format csv --what all --out "$TT_TMP/exp2/"
expect "a trailing slash is not doubled" has "$out" "changes to $TT_TMP/exp2/"
expect "a trailing slash is not doubled (no //)" test -z "$(printf '%s' "$out" | grep -F '//')"
run export --db "$TT_TMP/copy.db"
expect "database export exits 0" test "$rc" -eq 0
TOKENTREND_DB="$TT_TMP/copy.db" "$TT_BIN" export --format csv >"$TT_TMP/h3.csv"
expect "the portable copy holds the same history" cmp -s "$TT_TMP/h1.csv" "$TT_TMP/h3.csv"
run export --db "$TT_TMP/copy.db"
expect "database export never overwrites" test "$rc" -ne 0

# exchange rates
run import ecb "$fx/ecb-eurofxref-daily-2024-06-28-excerpt.xml"
expect "ECB import" has "$out" "6 rates on 1 days, 6 new"
run prices --currency EUR --source litellm --model gpt-4o --dimension input --tier standard --as-of 2026-07-30
expect "no rate near the date: stays in USD, says why" has "$err" "no ECB rate"
run import nosuch x.json
expect "unknown import format is a usage error" test "$rc" -eq 2
run import litellm "$fx/litellm-model-prices-2026-07-24-excerpt.json" --source openai
expect "--source goes with csv only" test "$rc" -eq 2

finish
