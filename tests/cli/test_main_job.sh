#!/bin/bash
# test_main_job.sh - the README's main job, end to end on the bundled
# captures and history, then the questions a user asks of it: prices on a
# date, history, changes, JSON contract, idempotent replays.
. "$(dirname "$0")/lib.sh"

export TOKENTREND_BIN="$TT_BIN" TOKENTREND_PLOTS="$TT_TMP/plots"
mkdir -p "$TOKENTREND_PLOTS"
bash "$TT_TOP/scripts/main-job.sh" >"$TT_TMP/out" 2>"$TT_TMP/err"
rc=$?
out=$(cat "$TT_TMP/out")
err=$(cat "$TT_TMP/err")
expect "main job exits 0" test "$rc" -eq 0
expect "history loaded" has "$out" "bundled history: 3160 rows"
expect "anthropic capture stored" has "$out" "anthropic   2025-11-14  ok"
expect "openai capture stored" has "$out" "openai      2026-08-21  ok"
expect "openrouter capture stored" has "$out" "openrouter  2026-08-18  ok"
expect "tiered Anthropic price shown" has "$out" "prompt>200k   22.50"
expect "forecast printed" has "$out" "Decline:"
png="$TOKENTREND_PLOTS/mistral-large-latest-input-forecast.png"
expect "plot written" test -s "$png"
expect "plot is a PNG" test "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
expect "plot keeps its data and script" test -s "${png%.png}.dat" -a -s "${png%.png}.gp"

# Replaying the same captures again adds no change.
run scrape --from-dir "$TT_TOP/db/captures"
expect "replay exits 0" test "$rc" -eq 0
expect "replay adds no change" test "$(printf '%s\n' "$out" | grep -c ' 0 changes')" -eq 3

# prices --as-of returns the value in force on that date (bundled history:
# gpt-4o input 5.00 from 2024-05-13, 2.50 from 2024-11-14).
run prices --provider openai --model gpt-4o --dimension input --as-of 2024-06-01 --format json
expect "as-of before the cut" has "$out" '"price": *"5.00"'
run prices --provider openai --model gpt-4o --dimension input --as-of 2025-01-01 --format json
expect "as-of after the cut" has "$out" '"price": *"2.50"'
run prices --provider openai --model gpt-4o --dimension input --as-of 2023-01-01 --format json
expect "as-of before any price" test "$out" = "[]"

# The JSON contract (DESIGN.md): fields, price as an exact decimal string.
run prices --provider anthropic --format json
printf '%s' "$out" >"$TT_TMP/prices.json"
python3 - "$TT_TMP/prices.json" <<'PY' >"$TT_TMP/py" 2>&1
import json, sys
rows = json.load(open(sys.argv[1]))
need = ["provider", "model", "dimension", "tier", "condition", "region", "unit", "currency",
        "price", "valid_from", "first_seen", "last_seen", "source"]
assert rows, "no rows"
for r in rows:
    for k in need:
        assert k in r, "missing " + k
    assert isinstance(r["price"], str), "price is not a string"
opus = [r for r in rows if r["model"] == "claude-opus-4.1" and r["dimension"] == "input"]
assert [r["price"] for r in opus] == ["15.00"], opus
print("ok")
PY
py=$(cat "$TT_TMP/py")
expect "prices JSON follows the contract" test "$py" = "ok"

run history --provider mistral --model mistral-large-latest --dimension input --format json
printf '%s' "$out" >"$TT_TMP/hist.json"
python3 - "$TT_TMP/hist.json" <<'PY' >"$TT_TMP/py" 2>&1
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["price"] for r in rows] == ["8.00", "4.00", "3.00", "2.00", "0.50"], [r["price"] for r in rows]
assert rows[-1]["valid_to"] is None
assert rows[0]["valid_to"] == rows[1]["valid_from"]
print("ok")
PY
py=$(cat "$TT_TMP/py")
expect "history gives half-open intervals" test "$py" = "ok"

run changes --since 2026-08-01 --provider openai --format csv
expect "changes lists the new OpenAI prices" has "$out" "gpt-5.6-sol"
run changes --since 2026-08-01 --provider openai --model gpt-5.6-sol --dimension input --tier standard --format json
expect "changes JSON has valid_to" has "$out" '"valid_to"'

run forecast --provider mistral --model mistral-large-latest --format json
printf '%s' "$out" >"$TT_TMP/fc.json"
python3 - "$TT_TMP/fc.json" <<'PY' >"$TT_TMP/py" 2>&1
import json, sys, math
f = json.load(open(sys.argv[1]), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
for k in ["provider", "model", "dimension", "tier", "condition", "factor_per_year",
          "half_life_days", "backtest", "points", "parameters", "forecast_model"]:
    assert k in f, "missing " + k
assert f["factor_per_year"] > 1
assert all(math.isfinite(p["median"]) for p in f["points"])
print("ok")
PY
py=$(cat "$TT_TMP/py")
expect "forecast JSON follows the contract" test "$py" = "ok"

finish
