#!/bin/bash
# test_exit_codes.sh - documented exit codes, and stdout vs stderr.
. "$(dirname "$0")/lib.sh"

run help
expect "help exits 0" test "$rc" -eq 0
expect "help lists commands on stdout" has "$out" "scrape"
expect "help documents exit codes" has "$out" "exit status"
expect "help writes nothing to stderr" test -z "$err"

run --help
expect "--help exits 0" test "$rc" -eq 0

run prices --help
expect "command --help exits 0" test "$rc" -eq 0
expect "command --help prints usage to stdout" has "$out" "usage: tokentrend"

run frobnicate
expect "unknown command exits 2" test "$rc" -eq 2
expect "unknown command is named on stderr" has "$err" "unknown command 'frobnicate'"
expect "unknown command prints nothing on stdout" test -z "$out"

run pri
expect "no prefix matching" test "$rc" -eq 2

run
expect "no command exits 2" test "$rc" -eq 2

run init --no-seed
expect "init --no-seed creates an empty database" test "$rc" -eq 0

run prices --as-of 2026-13-45
expect "bad date exits 2" test "$rc" -eq 2
expect "bad date is named" has "$err" "2026-13-45"

# regression (review): an inverted range listed rows instead of saying so
run history --since 2025-01-01 --until 2024-01-01
expect "inverted history range exits 2" test "$rc" -eq 2
expect "inverted range names the dates" has "$err" "2025-01-01 is not before until 2024-01-01"
run changes --since 2025-01-01 --until 2024-01-01
expect "inverted changes range exits 2" test "$rc" -eq 2

# regression (review): `changes --until D` took its default --since from
# today, an empty range for any D older than 30 days; it is now D - 30
printf 'date,provider,model,input_per_mtok,output_per_mtok\n2024-01-01,demo,m,2,4\n2024-02-10,demo,m,1,4\n' >"$TT_TMP/ch.csv"
run import csv "$TT_TMP/ch.csv"
run changes --provider demo --until 2024-02-20 --format csv
expect "changes --until alone exits 0" test "$rc" -eq 0
expect "changes --until alone shows the 30 days before it" has "$out" "2024-02-10,down"
expect "... and not older ones" test "$(printf '%s\n' "$out" | grep -c 2024-01-01,new)" -eq 0

run prices --format yaml
expect "bad format exits 2" test "$rc" -eq 2
expect "bad format is named" has "$err" "yaml"

run scrape --source nosuch
expect "unknown source exits 2" test "$rc" -eq 2
expect "unknown source is named" has "$err" "nosuch"

run scrape --from-dir "$TT_TMP/does-not-exist"
expect "missing capture folder exits 4" test "$rc" -eq 4
expect "missing capture folder is named" has "$err" "does-not-exist"

mkdir -p "$TT_TMP/caps"
echo '<html></html>' > "$TT_TMP/caps/openai-undated.html"
run scrape --from-dir "$TT_TMP/caps"
expect "a capture without a full date is reported, not guessed" has "$err" "no full date"
expect "no usable capture exits 4" test "$rc" -eq 4

echo '<html><body><p>no prices here</p></body></html>' > "$TT_TMP/caps/openai-2026-01-05.html"
run scrape --from-dir "$TT_TMP/caps"
expect "a capture without its anchor fails closed (exit 4)" test "$rc" -eq 4
expect "the failure says why" has "$err" "openai 2026-01-05"
run prices --provider openai --format json
expect "nothing stored from a failed capture" test "$out" = "[]"

run import csv "$TT_TMP/nope.csv"
expect "missing import file exits 4" test "$rc" -eq 4
expect "missing import file is named" has "$err" "nope.csv"

run import yaml x
expect "unknown import format exits 2" test "$rc" -eq 2

# regression (review): a trailing --db was reported as an unknown option
run --db
expect "--db without a PATH exits 2" test "$rc" -eq 2
expect "--db without a PATH says so" has "$err" "'--db' needs a PATH"

# regression (review): the path was printed twice ("x: x: file is not a database")
echo 'not a database' >"$TT_TMP/garbage.db"
run --db "$TT_TMP/garbage.db" prices
expect "a file that is not a database exits 5" test "$rc" -eq 5
expect "... names it once" test "$(printf '%s' "$err" | grep -o garbage.db | wc -l)" -eq 1

run --db "$TT_TMP/ro/x.db" prices
expect "a read command never creates a database (exit 5)" test "$rc" -eq 5
expect "a missing database says how to create it" has "$err" "tokentrend init"
expect "a missing database is not created" test ! -e "$TT_TMP/ro/x.db"

run --db /proc/no/such/x.db init --no-seed
expect "a database that cannot be created exits 5" test "$rc" -eq 5

printf 'date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source\n2026-13-01,openai,x,1,2,,t\n' >"$TT_TMP/bad.csv"
run import csv "$TT_TMP/bad.csv"
expect "an import whose every row is rejected exits 4" test "$rc" -eq 4
expect "the rejected row is named with its line" has "$err" "bad.csv:2"
printf 'date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source\n' >"$TT_TMP/empty.csv"
run import csv "$TT_TMP/empty.csv"
expect "an import with no data rows exits 4" test "$rc" -eq 4

run scrape --source
expect "a missing option value exits 2" test "$rc" -eq 2
expect "getopt's message names the command" has "$err" "tokentrend scrape: option"

# regression (validation): a malformed TOKENTREND_NOW was silently replaced by the wall clock
TOKENTREND_NOW=2026-09-1a run prices
expect "a malformed TOKENTREND_NOW exits 2" test "$rc" -eq 2
expect "a malformed TOKENTREND_NOW is named" has "$err" "TOKENTREND_NOW='2026-09-1a'"

# every --currency is an ISO code, stats included
run stats --cheapest --currency usd
expect "stats --currency usd exits 2" test "$rc" -eq 2
expect "stats names the bad currency" has "$err" "not 'usd'"

finish
