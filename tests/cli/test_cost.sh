#!/bin/bash
# test_cost.sh - `tokentrend cost` on the bundled history and captures: the
# README's worked examples run exactly as written (the lines of the block
# after the "cost-example" marker), with their figures checked; JSON output;
# overrides on the command line; currencies refused; usage errors.
. "$(dirname "$0")/lib.sh"

export TOKENTREND_NOW=2026-09-01
unset XDG_CONFIG_HOME
cd "$TT_TOP" || exit 1

# The README's example block, line by line, `tokentrend` being the binary under test.
sed -n '/<!-- cost-example/,/^```$/p' README.md | sed -n '/^tokentrend /p' >"$TT_TMP/example.sh"
expect "the README has the example block" test "$(wc -l <"$TT_TMP/example.sh")" -eq 10
n=0
while IFS= read -r line; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	set -- ${line#tokentrend }
	run "$@"
	expect "README line $n exits 0: $line" test "$rc" -eq 0
	printf '%s\n' "$out" >"$TT_TMP/example-$n.out"
done <"$TT_TMP/example.sh"
cd "$TT_TMP" || exit 1

out=$(cat example-3.out)
expect "pipeline: GPT-4o input line" has "$out" "openai/gpt-4o                      input        standard           160,000         2.50             0.40"
expect "pipeline: API 0.80, silent 0.20" has "$out" "silent                         0.20"
expect "pipeline: already below" has "$out" "API bill (api + silent) 1.00 = 0.0833333% of engineering; threshold 1% = 12.00: already below"
out=$(cat example-4.out)
expect "pipeline compare: flash is the cheapest" has "$out" "gemini/gemini-2.0-flash                                0.04         0.16     1.00x            1.00x          1220.04    1.000x  (cheapest)"
expect "pipeline compare: Sonnet 4 at 33.75x" has "$out" "anthropic/claude-sonnet-4-20250514                     1.35         5.40    33.75x"
out=$(cat example-5.out)
expect "pipeline guard: 125,000 tokens a run on GPT-4o" has "$out" "openai/gpt-4o                                        4.00            125,000          100,000           25,000"
out=$(cat example-6.out)
expect "agent: cache reads at 1.25" has "$out" "openai/gpt-4o                      cache_read   standard        48,000,000         1.25            60.00"
expect "agent: total 16163.00" has "$out" "total                      16163.00         100%"
expect "agent: above" has "$out" "363.00 = 2.42% of engineering; threshold 1% = 150.00: above"
out=$(cat example-7.out)
expect "agent compare: Sonnet 4 411.84" has "$out" "anthropic/claude-sonnet-4-20250514                   411.84         3.12    31.20x"
out=$(cat example-8.out)
expect "agent history: 792.00 on 2024-05-14" has "$out" "2024-05-14            720.00           72.00            792.00"
expect "agent history: 363.00 from 2024-11-14" has "$out" "2024-11-14            330.00           33.00            363.00"
out=$(cat example-9.out)
expect "agent project: the crossing date" has "$out" "under 1% of engineering: 2027-06-10 (80% interval: 2026-08-21 .. never"
expect "agent project: cheapest of the group already below" has "$out" "under 1% of engineering: already below"
out=$(cat example-10.out)
expect "agent project JSON: estimates" has "$out" '"estimates": true'
expect "agent project JSON: crossing" has "$out" '"crossing": {"status": "date", "date": "2027-06-10"'
expect "agent project JSON: 61 months per scenario" test "$(printf '%s' "$out" | grep -c '{"date": ')" -eq 122

# Overrides on the command line: a model replaces the file's; KEY=VALUE and --KEY VALUE.
run cost --profile "$TT_TOP/docs/profile-monitoring-agent.conf" --as-of 2026-08-21 --model gemini/gemini-2.0-flash --format json
expect "override --model exits 0" test "$rc" -eq 0
expect "override --model prices the flash model only" has "$out" '"api_bill": "13.20"'
run cost --as-of 2026-08-21 model=openai/gpt-4o tokens_input=1M --tokens-output 1M engineering_monthly=1000
expect "a profile from flags alone" has "$out" "API bill (api + silent) 12.50 = 1.25% of engineering"

# Currencies are never mixed.
run cost --as-of 2026-08-21 model=openai/gpt-4o tokens_input=1M "engineering_rate=95 EUR" engineering_hours=100
expect "EUR engineering without a rate is refused" test "$rc" -eq 2
expect "the refusal names both currencies" has "$err" "engineering is in EUR and the prices are in USD, and no exchange rate is available"
run cost --as-of 2026-08-21 model=openai/gpt-4o tokens_input=1M --guard --budget-run 5EUR
expect "a budget in another currency is refused" test "$rc" -eq 2

# Usage errors.
run cost --as-of 2026-08-21
expect "no model: usage error" test "$rc" -eq 2
run cost --profile "$TT_TOP/docs/profile-monitoring-agent.conf" --history --project
expect "two modes: usage error" test "$rc" -eq 2
run cost --profile "$TT_TOP/docs/profile-monitoring-agent.conf" --guard
expect "--guard without a budget: usage error" test "$rc" -eq 2
run cost --profile "$TT_TOP/docs/profile-monitoring-agent.conf" bogus_key=1
expect "unknown key: usage error" test "$rc" -eq 2
expect "unknown key named" has "$err" "bogus_key"
run cost --profile "$TT_TOP/docs/profile-monitoring-agent.conf" --as-of 2026-08-21 --compare no-such-model
expect "unknown model: usage error" test "$rc" -eq 2
run cost --help
expect "--help exits 0 on stdout" has "$out" "cost --project"

finish
