#!/usr/bin/env bash
# test_forecast_currency.sh - a key priced in two currencies (DeepSeek's
# English page in USD, its Chinese page in CNY, one source) is two series:
# `forecast`, `forecast --all` and `plot forecast` take --currency CUR to
# pick one, and without it the error names the currencies and suggests
# --currency.  A profile's blend and plot history are in one currency too.
# Usage: test_forecast_currency.sh TOKENTREND_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"

export TOKENTREND_NOW=2025-12-01
# The export's shape: one row per interval, with its currency.  USD: 4 dated
# changes; CNY: 3.
cat >"$TT_TMP/two.csv" <<'CSV'
provider,model,dimension,tier,condition,region,unit,currency,price,valid_from,valid_to,source
deepseek,ds-chat,input,standard,,,1M tokens,USD,0.27,2024-12-26,2025-02-09,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,USD,0.14,2025-02-09,2025-05-01,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,USD,0.10,2025-05-01,2025-09-05,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,USD,0.07,2025-09-05,,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,CNY,2,2024-12-26,2025-02-09,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,CNY,1,2025-02-09,2025-09-05,deepseek
deepseek,ds-chat,input,standard,,,1M tokens,CNY,0.5,2025-09-05,,deepseek
deepseek,ds-chat,output,standard,,,1M tokens,USD,1.10,2024-12-26,,deepseek
deepseek,ds-chat,output,standard,,,1M tokens,CNY,8,2024-12-26,,deepseek
CSV
run init
expect "init exits 0" test "$rc" -eq 0
run import csv "$TT_TMP/two.csv"
expect "import exits 0" test "$rc" -eq 0
run prices --provider deepseek --model ds-chat --dimension input --format csv
expect "both currencies are stored, as two keys" \
	test "$(printf '%s\n' "$out" | grep -c ',ds-chat,input,standard,')" -eq 2

# Without --currency: which one? The error says, and exits 2 like several regions.
run forecast --provider deepseek --model ds-chat
expect "two currencies, none chosen: exit 2" test "$rc" -eq 2
expect "... names the key and both currencies" \
	has "$err" "deepseek/ds-chat input standard is priced in several currencies (CNY, USD)"
expect "... suggests --currency" has "$err" "choose one with --currency"
expect "... nothing on stdout" test -z "$out"

# With --currency: each its own series.
run forecast --provider deepseek --model ds-chat --currency USD --format json
expect "--currency USD exits 0" test "$rc" -eq 0
expect "--currency USD: the USD series" has "$out" '"currency": "USD"'
expect "--currency USD: its 4 changes" has "$out" '"n_points": 4'
run forecast --provider deepseek --model ds-chat --currency CNY --format json
expect "--currency CNY exits 0" test "$rc" -eq 0
expect "--currency CNY: the CNY series" has "$out" '"currency": "CNY"'
expect "--currency CNY: its 3 changes" has "$out" '"n_points": 3'
run forecast --provider deepseek --model ds-chat --currency CNY
expect "table: the unit says CNY" has "$out" "(CNY per 1M tokens"
run forecast --provider deepseek --model ds-chat --currency EUR
expect "a currency the key is not priced in: exit 1" test "$rc" -eq 1
expect "... names it and the ones there are" has "$err" "in EUR: it is priced in CNY, USD"
run forecast --provider deepseek --model ds-chat --currency usd
expect "--currency takes an ISO code: exit 2" test "$rc" -eq 2
expect "... and says so" has "$err" "--currency takes an ISO code such as USD, not 'usd'"
run forecast --provider deepseek --model ds-chat --dimension output --currency CNY
expect "one change: exit 1 (insufficient), in CNY" test "$rc" -eq 1

# --all: currency is part of the key, so each currency is its own series.
run forecast --all --provider deepseek --model ds-chat --format json
expect "--all exits 0" test "$rc" -eq 0
expect "--all: none skipped" test -z "$err"
expect "--all: 4 series (input and output, in CNY and USD)" \
	test "$(printf '%s\n' "$out" | grep -c '"forecast_model"')" -eq 4
expect "--all: the CNY input series" has "$out" '"currency": "CNY"'
run forecast --all --provider deepseek --model ds-chat
expect "--all table: the CNY lines say so" has "$out" "deepseek/ds-chat input standard (CNY)"
run forecast --all --provider deepseek --model ds-chat --currency CNY --format json
expect "--all --currency CNY exits 0" test "$rc" -eq 0
expect "--all --currency CNY: 2 series" test "$(printf '%s\n' "$out" | grep -c '"forecast_model"')" -eq 2
expect "--all --currency CNY: no USD" bash -c "! grep -q '\"currency\": \"USD\"' '$TT_TMP/out'"
run forecast --all --provider deepseek --model ds-chat --currency EUR
expect "--all --currency EUR: nothing matches, exit 1" test "$rc" -eq 1

# plot forecast shares the selectors.
run plot forecast --provider deepseek --model ds-chat --out "$TT_TMP/p/none.svg"
expect "plot, two currencies, none chosen: exit 2" test "$rc" -eq 2
expect "plot: suggests --currency" has "$err" "choose one with --currency"
run plot forecast --provider deepseek --model ds-chat --currency CNY --out "$TT_TMP/p/cny.svg"
expect "plot --currency CNY writes its data" test -s "$TT_TMP/p/cny.dat"
expect "plot --currency CNY: the axis is in CNY" grep -q "CNY per 1M tokens" "$TT_TMP/p/cny.gp"
if command -v gnuplot >/dev/null; then
	expect "plot --currency CNY exits 0" test "$rc" -eq 0
fi

# plot history draws one currency (USD by default) and no longer trips on the other.
run plot history --provider deepseek --model ds-chat --out "$TT_TMP/p/h.svg"
expect "plot history writes its data" test -s "$TT_TMP/p/h.dat"
expect "plot history leaves the CNY key out and says so" grep -q "in other currencies than USD left out" "$TT_TMP/p/h.gp"

# A profile's blend is priced in one currency: USD by default, --currency picks another.
printf 'model = deepseek/ds-chat\ntokens_input = 3M\ntokens_output = 1M\nengineering_monthly = 100000 CNY\n' \
	>"$TT_TMP/ds.conf"
run forecast --profile "$TT_TMP/ds.conf" --format json
expect "forecast --profile: USD by default" has "$out" '"currency": "USD"'
run forecast --profile "$TT_TMP/ds.conf" --currency CNY --format json
expect "forecast --profile --currency CNY exits 0" test "$rc" -eq 0
expect "forecast --profile --currency CNY: the CNY blend" has "$out" '"currency": "CNY"'
expect "forecast --profile --currency CNY: 3 changes" has "$out" '"n_points": 3'
run plot forecast --profile "$TT_TMP/ds.conf" --currency CNY --out "$TT_TMP/p/blend.svg"
expect "plot forecast --profile --currency CNY writes its data" test -s "$TT_TMP/p/blend.dat"
expect "... its threshold is in CNY" grep -q "threshold: 1% of engineering (100000.00 CNY/month)" "$TT_TMP/p/blend.gp"

run forecast --help
expect "forecast usage names --currency" has "$out" "--currency CUR"
finish
