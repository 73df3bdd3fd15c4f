#!/usr/bin/env bash
# test_forecast.sh - `forecast` and `plot forecast` end to end: import a
# small dated history (FORECASTING.md TV4 and a two-point series), check the
# JSON contract, exit codes, error messages on stderr, and the plot files.
# Usage: test_forecast.sh TOKENTREND_BINARY SOURCE_DIR
set -u
BIN=$1
TMP=$(mktemp -d /tmp/tt-cli-forecast-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export TOKENTREND_NOW=2025-06-01 HOME=$TMP XDG_DATA_HOME=$TMP
DB=$TMP/tt.db
fail=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}

cat > "$TMP/h.csv" <<'CSV'
date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source
2021-11-20,epoch,mmlu-gpt3,60,60,,test
2022-09-01,epoch,mmlu-gpt3,20,20,,test
2023-03-06,epoch,mmlu-gpt3,2.0,2.0,,test
2023-07-18,epoch,mmlu-gpt3,0.56,0.56,,test
2023-12-01,epoch,mmlu-gpt3,0.20,0.20,,test
2024-04-14,epoch,mmlu-gpt3,0.13,0.13,,test
2024-07-23,epoch,mmlu-gpt3,0.10,0.10,,test
2024-09-24,epoch,mmlu-gpt3,0.08,0.08,,test
2024-10-03,epoch,mmlu-gpt3,0.07,0.07,,test
2025-06-01,demo,two,0.35,1.40,,test
2026-06-01,demo,two,0.15,0.60,,test
CSV
"$BIN" --db "$DB" import csv "$TMP/h.csv" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; echo "not ok - import"; exit 1; }

"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 --target 0.001 --fit loglinear --format json >"$TMP/out" 2>"$TMP/err"
check "forecast exits 0" test $? -eq 0
check "JSON names the series" grep -q '"model": "mmlu-gpt3"' "$TMP/out"
check "JSON names the chosen model" grep -q '"forecast_model": "loglinear"' "$TMP/out"
check "JSON has 9 points in the fit" grep -q '"n_points": 9' "$TMP/out"
check "median reaches 0.001 on 2026-05-07 (TV4)" grep -q '"date": "2026-05-07"' "$TMP/out"
check "backtest: naive wins (TV6)" grep -q '"winner": "naive"' "$TMP/out"
check "no NaN or inf in JSON" bash -c "! grep -qiE 'nan|inf[^o]' '$TMP/out'"
check "nothing on stderr" test ! -s "$TMP/err"

"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 --dimension cache_read >"$TMP/out" 2>"$TMP/err"
check "missing key exits 1" test $? -eq 1
check "missing key is named" grep -q 'epoch/mmlu-gpt3 cache_read standard' "$TMP/err"

"$BIN" --db "$DB" forecast --provider demo --model two >"$TMP/out" 2>"$TMP/err"
check "two points exit 1" test $? -eq 1
check "two points: says how many and that 3 are needed" grep -q '2 priced changes.*3 are needed' "$TMP/err"

"$BIN" --db "$DB" forecast --provider epoch >/dev/null 2>"$TMP/err"
check "--model missing is a usage error (2)" test $? -eq 2

"$BIN" --db "$DB" plot forecast --provider epoch --model mmlu-gpt3 --out "$TMP/p/chart.png" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "plot wrote the script" test -s "$TMP/p/chart.gp"
check "plot wrote the data" test -s "$TMP/p/chart.dat"
if command -v gnuplot >/dev/null; then
	check "plot exits 0" test $rc -eq 0
	check "plot wrote a PNG" bash -c "head -c 8 '$TMP/p/chart.png' | od -An -c | grep -q 'P   N   G'"
else
	echo "SKIP: gnuplot is not on PATH; render not checked"
fi
PATH= "$BIN" --db "$DB" plot forecast --provider epoch --model mmlu-gpt3 --out "$TMP/q/chart.png" >/dev/null 2>"$TMP/err"
check "plot without gnuplot exits 1" test $? -eq 1
check "plot without gnuplot says so" grep -q 'not found on PATH' "$TMP/err"
check "plot without gnuplot still writes the script" test -s "$TMP/q/chart.gp"
exit $fail
