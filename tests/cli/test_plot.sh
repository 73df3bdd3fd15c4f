#!/usr/bin/env bash
# test_plot.sh - `plot forecast`, `plot history` and `plot cost` end to end
# on a small imported history (FORECASTING.md TV4 and three demo models):
# exit codes, stdout vs stderr, PNG and SVG sizes, the data and script
# beside each image, the series limit, and no gnuplot on PATH.
# Usage: test_plot.sh TOKENTREND_BINARY SOURCE_DIR
set -u
BIN=$1
TMP=$(mktemp -d /tmp/tt-cli-plot-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export TOKENTREND_NOW=2025-06-15 HOME=$TMP XDG_DATA_HOME=$TMP XDG_CONFIG_HOME=$TMP/config
export TOKENTREND_DB=$TMP/tt.db
fail=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
# png_size FILE: "W H" from the IHDR chunk
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d\n", ($1*16777216+$2*65536+$3*256+$4), ($5*16777216+$6*65536+$7*256+$8) }'
}
have_gnuplot=0
command -v gnuplot >/dev/null && have_gnuplot=1

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
2024-01-01,demo,alpha,10,30,,test
2024-06-01,demo,alpha,4,12,,test
2024-03-01,demo,beta,3,15,,test
2024-02-01,demo,gamma-1,1.5,6,,test
2024-09-01,demo,gamma-1,0.5,2,,test
CSV
"$BIN" import csv "$TMP/h.csv" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; echo "not ok - import"; exit 1; }

# plot forecast: PNG at the document size, with a target
"$BIN" plot forecast --provider epoch --model mmlu-gpt3 --fit loglinear --target 0.001 --out "$TMP/p/f.png" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "forecast: says where the files went" grep -q "wrote $TMP/p/f.png (data $TMP/p/f.dat, script $TMP/p/f.gp)" "$TMP/out"
check "forecast: data and script beside the image" test -s "$TMP/p/f.dat" -a -s "$TMP/p/f.gp"
check "forecast: title names the series" grep -q "set title 'epoch/mmlu-gpt3 input standard: list price and forecast'" "$TMP/p/f.gp"
check "forecast: as of and n in the title" grep -q "as of 2025-06-15  ·  n = 9 priced changes" "$TMP/p/f.gp"
check "forecast: price axis with units" grep -q "set ylabel 'USD per 1M tokens (log scale)'" "$TMP/p/f.gp"
check "forecast: crossing marked (TV4 2026-05-07)" grep -q "median crossing 2026-05-07" "$TMP/p/f.gp"
check "forecast: list price carried to as of" grep -q "^2025-06-15 0.07$" "$TMP/p/f.dat"
if [ $have_gnuplot = 1 ]; then
	check "forecast: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$TMP/err"
	check "forecast: PNG 1200x700" test "$(png_size "$TMP/p/f.png")" = "1200 700"
fi

# the threshold from a workload profile
cat > "$TMP/w.conf" <<'CONF'
tokens_input = 300M
tokens_output = 60M
model = epoch/mmlu-gpt3
engineering_monthly = 15000 USD
threshold_share = 1%
CONF
"$BIN" plot forecast --profile "$TMP/w.conf" --fit loglinear --out "$TMP/p/fp.svg" >"$TMP/out" 2>"$TMP/err"
rc=$?
# 1% of 15000 per month over 360M tokens: 0.15/360 x 1e6 ... = 0.4167 per 1M tokens
check "forecast --profile: the threshold comes from the profile" grep -q "threshold: 1% of engineering (15000.00 USD/month)" "$TMP/p/fp.gp"
check "forecast --profile: threshold price 0.4167" grep -q "= 0.4167 USD per 1M tokens of the mix" "$TMP/p/fp.gp"
if [ $have_gnuplot = 1 ]; then
	check "forecast --profile: exit 0" test $rc -eq 0
	check "forecast --profile: SVG 1200x700" grep -q 'width="1200" height="700"' "$TMP/p/fp.svg"
fi

# plot history: repeated --model, a LIKE pattern, hand-checked data
"$BIN" plot history --provider demo --model alpha --model 'gamma%' --out "$TMP/p/h.png" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "history: two lines, alpha first (higher latest price)" grep -q "(index 0): alpha (source litellm)" "$TMP/p/h.dat"
check "history: gamma-1 second" grep -q "(index 1): gamma-1 (source litellm)" "$TMP/p/h.dat"
check "history: alpha's steps to as of" bash -c "grep -A3 '(index 0)' '$TMP/p/h.dat' | tr '\n' '|' | grep -q '2024-01-01 10.00 1|2024-06-01 4.00 1|2025-06-15 4.00 0|'"
check "history: the provider goes to the title" grep -q "List prices over time: demo alpha, gamma%" "$TMP/p/h.gp"
check "history: log axis with units" grep -q "set ylabel 'USD per 1M tokens (log scale)'" "$TMP/p/h.gp"
[ $have_gnuplot = 1 ] && check "history: exit 0, PNG 1200x700" test $rc -eq 0 -a "$(png_size "$TMP/p/h.png")" = "1200 700"
"$BIN" plot history --provider demo --dimension output --since 2024-05-01 --out "$TMP/p/h2.png" >/dev/null 2>"$TMP/err"
check "history --since: steps start at the range's edge" grep -q "^2024-05-01 30.00 0$" "$TMP/p/h2.dat"

"$BIN" plot history --provider demo --max-series 2 >"$TMP/out" 2>"$TMP/err"
check "history: too many series is exit 2" test $? -eq 2
check "history: too many series says how many and how to narrow" grep -q "3 series match.*at most 2: narrow it" "$TMP/err"
check "history: too many series prints nothing on stdout" test ! -s "$TMP/out"
"$BIN" plot history --provider nobody >"$TMP/out" 2>"$TMP/err"
check "history: no match is exit 1" test $? -eq 1
check "history: no match is said" grep -q "no input standard price history matches" "$TMP/err"
"$BIN" plot history >/dev/null 2>"$TMP/err"
check "history: nothing selected is a usage error" test $? -eq 2
"$BIN" plot nonsense >/dev/null 2>"$TMP/err"
check "unknown kind is a usage error" test $? -eq 2

# no gnuplot: clear error, the script and data are still written
PATH= "$BIN" plot history --provider demo --model beta --out "$TMP/q/h.png" >"$TMP/out" 2>"$TMP/err"
check "no gnuplot: exit 1" test $? -eq 1
check "no gnuplot: says so and how to render" grep -q "not found on PATH.*gnuplot-nox" "$TMP/err"
check "no gnuplot: script written" test -s "$TMP/q/h.gp"
check "no gnuplot: data written" grep -q "^2024-03-01 3.00 1$" "$TMP/q/h.dat"
check "no gnuplot: no image" test ! -e "$TMP/q/h.png"

# plot cost: layers over time and the comparison
"$BIN" plot cost --profile "$TMP/w.conf" --out "$TMP/p/c.png" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "cost: title names the workload" grep -q "Monthly cost of $TMP/w.conf: stay on epoch/mmlu-gpt3" "$TMP/p/c.gp"
check "cost: layers in the data" grep -q "^# columns: date api silent infrastructure engineering bill total" "$TMP/p/c.dat"
check "cost: threshold line" grep -q "title 'threshold 1%'" "$TMP/p/c.gp"
[ $have_gnuplot = 1 ] && check "cost: exit 0, PNG 1200x700" test $rc -eq 0 -a "$(png_size "$TMP/p/c.png")" = "1200 700"
"$BIN" plot cost --profile "$TMP/w.conf" --compare=epoch/mmlu-gpt3,demo/alpha,demo/beta --out "$TMP/p/cc.svg" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "cost --compare: cheapest first" bash -c "grep -v '^#' '$TMP/p/cc.dat' | head -1 | grep -q 'cheapest'"
check "cost --compare: three bars" test "$(grep -vc '^#' "$TMP/p/cc.dat")" -eq 3
[ $have_gnuplot = 1 ] && check "cost --compare: exit 0, SVG 1200x700" test $rc -eq 0 -a -n "$(grep -l 'width="1200" height="700"' "$TMP/p/cc.svg")"
"$BIN" plot cost >/dev/null 2>"$TMP/err"
check "cost without a workload is a usage error" test $? -eq 2
exit $fail
