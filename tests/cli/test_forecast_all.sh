#!/usr/bin/env bash
# test_forecast_all.sh - model selection and `forecast --all` end to end:
# every series matching a filter as one JSON array or one table line each,
# --min-points, --fit, case 20 (c) of ../shared/cases (a 2-point series is
# reported, not fitted, and the run still exits 0), no NaN anywhere.
# Usage: test_forecast_all.sh TOKENTREND_BINARY SOURCE_DIR
set -u
BIN=$1
TMP=$(mktemp -d /tmp/tt-cli-forecast-all-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export TOKENTREND_NOW=2026-06-01 HOME=$TMP XDG_DATA_HOME=$TMP
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
2026-01-01,demo,demo-z,3.00,3.00,,test
2026-02-01,demo,demo-z,2.00,2.00,,test
2026-01-01,demo,demo-y,2.50,2.50,,test
2026-05-01,demo,demo-y,2.50,2.50,,test
2026-01-01,demo,demo-x,0.60,0.60,,test
2026-02-01,demo,demo-x,0.30,0.30,,test
2026-03-01,demo,demo-x,0.00,0.00,,test
CSV
"$BIN" --db "$DB" import csv "$TMP/h.csv" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; echo "not ok - import"; exit 1; }

# one series, selection by backtest
"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 --format json >"$TMP/out" 2>"$TMP/err"
check "auto forecast exits 0" test $? -eq 0
check "auto: chosen by the backtest" grep -q '"by": "backtest"' "$TMP/out"
check "auto: every model is reported" bash -c "grep -c '\"candidate\":' '$TMP/out' | grep -qx 6"
check "auto: a left-out model says why" grep -q 'not a candidate' "$TMP/out"
"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 >"$TMP/out" 2>"$TMP/err"
check "table: the choice is explained" grep -q '^Choice: ' "$TMP/out"
check "table: candidate scores" grep -q '^hyperbolic ' "$TMP/out"
"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 --fit hyperbolic --format json >"$TMP/out" 2>"$TMP/err"
check "--fit forces a model" grep -q '"forecast_model": "hyperbolic"' "$TMP/out"
"$BIN" --db "$DB" forecast --provider epoch --model mmlu-gpt3 --fit quadratic >/dev/null 2>"$TMP/err"
check "--fit with an unknown model is a usage error" test $? -eq 2

# --all as JSON: every series, case 20 (c) included
"$BIN" --db "$DB" forecast --all --format json >"$TMP/out" 2>"$TMP/err"
check "--all exits 0 (case 20 c: the run finishes)" test $? -eq 0
check "--all JSON is an array" bash -c "head -c 1 '$TMP/out' | grep -q '\['"
check "--all covers 8 series (4 models x input/output)" bash -c "grep -c '\"forecast_model\"' '$TMP/out' | grep -qx 8"
check "case 20 (c): not enough points for a 3-parameter model" \
	grep -q 'not enough points (2) for a 3-parameter model' "$TMP/out"
check "case 20 (a): free since" grep -q '"free_since": "2026-03-01"' "$TMP/out"
check "no NaN or inf in --all JSON" bash -c "! grep -qE '(^|[^a-zA-Z])(nan|NaN|-?inf|Infinity)([^a-zA-Z]|$)' '$TMP/out'"
if command -v python3 >/dev/null; then
	check "--all JSON parses" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 8" "$TMP/out"
fi

# --all as a table, filtered
"$BIN" --db "$DB" forecast --all --provider demo --dimension input >"$TMP/out" 2>"$TMP/err"
check "--all table exits 0" test $? -eq 0
check "--all table: one line per series" bash -c "grep -c '^demo/' '$TMP/out' | grep -qx 3"
check "--all table: a summary line" grep -q 'series with at least 1 dated change' "$TMP/out"
"$BIN" --db "$DB" forecast --all --min-points 3 >"$TMP/out" 2>"$TMP/err"
check "--min-points 3 keeps series with 3+ dated changes (a drop to 0 counts)" \
	bash -c "grep -c '^epoch/' '$TMP/out' | grep -qx 2 && grep -c '^demo/demo-x' '$TMP/out' | grep -qx 2 && ! grep -qE '^demo/demo-(y|z)' '$TMP/out'"
"$BIN" --db "$DB" forecast --all --model 'demo-%' --min-points 2 --format json >"$TMP/out" 2>"$TMP/err"
check "--model PATTERN with --all" bash -c "grep -c '\"forecast_model\"' '$TMP/out' | grep -qx 4"
"$BIN" --db "$DB" forecast --all --provider nobody >/dev/null 2>"$TMP/err"
check "--all with no match exits 1" test $? -eq 1
check "--all with no match says so" grep -q 'no series matches' "$TMP/err"
"$BIN" --db "$DB" forecast --provider demo --model demo-z --min-points 3 >/dev/null 2>&1
check "--min-points without --all is a usage error" test $? -eq 2
"$BIN" --db "$DB" plot forecast --all >/dev/null 2>&1
check "plot --all is a usage error" test $? -eq 2
exit $fail
