#!/bin/bash
# test_models.sh - the model catalog on the bundled history and captures:
# `models`, `prices --sellers` and `--disagreements`, `forecast --group`,
# `forecast --profile` (blend with hand-checked values), `plot forecast
# --group`, a user's catalog file, and their usage errors.
. "$(dirname "$0")/lib.sh"

export TOKENTREND_NOW=2026-09-01
unset XDG_CONFIG_HOME
run init
expect "init exits 0" test "$rc" -eq 0
run scrape --from-dir "$TT_TOP/db/captures"
expect "scrape exits 0" test "$rc" -eq 0

# The catalog
run models
expect "models exits 0" test "$rc" -eq 0
expect "models lists claude-3.5-sonnet with its Bedrock name" has "$out" "us.anthropic.claude-3-5-sonnet-20240620-v1:0"
run models groups --format json
expect "groups as JSON" has "$out" '"group": "gpt-4-class"'
expect "four shipped groups" test "$(printf '%s' "$out" | grep -c '"group":')" -eq 4
run models --group flash-tier --format csv
expect "members of a group" has "$out" "gpt-4o-mini,flash-tier,openai,gpt-4o-mini"
run models --group nope
expect "unknown group exits 1" test "$rc" -eq 1
expect "unknown group lists the groups" has "$err" "groups: gpt-4-class, frontier, flash-tier, reasoning"
run models cheapest flash-tier --format csv
expect "cheapest in group exits 0" test "$rc" -eq 0
expect "gpt-4o-mini was the cheapest flash-tier input on 2024-07-18" has "$out" "2024-07-18,0.15,USD,openai,gpt-4o-mini,gpt-4o-mini"

# One model, many sellers
run prices --model claude-3.5-sonnet --sellers --as-of 2025-01-01 --dimension input --format csv
expect "sellers exits 0" test "$rc" -eq 0
for s in anthropic bedrock vertex openrouter; do
	expect "claude-3.5-sonnet sold by $s" has "$out" ",$s,"
done
expect "all at 3.00" test "$(printf '%s\n' "$out" | tail -n +2 | grep -vc ',3.00,')" -eq 0
run prices --model anthropic/claude-3.5-sonnet --sellers --as-of 2025-01-01 --dimension input --format json
expect "a seller's name resolves to the catalog model" has "$out" '"canonical": "claude-3.5-sonnet"'
run prices --model gpt-5.6-luna --sellers --dimension input --tier standard
expect "a stale aggregator is reported" has "$out" "disagrees: litellm says 1.00 (since 2026-07-09)"
run prices --disagreements --format json
expect "disagreements exit 0" test "$rc" -eq 0
expect "disagreements: OpenAI's page vs LiteLLM" has "$out" '"model": "gpt-5.6-terra"'
expect "disagreements: the OpenRouter feed vs LiteLLM" has "$out" '"model": "openai/gpt-3.5-turbo"'
run prices --disagreements --provider anthropic --format csv
expect "no disagreement for anthropic (header only)" test "$(printf '%s\n' "$out" | wc -l)" -eq 1
run prices --sellers
expect "--sellers without --model is a usage error" test "$rc" -eq 2
run prices --model gpt-4o --sellers --all-sources
expect "--sellers with --all-sources is a usage error" test "$rc" -eq 2
run prices --model no-such-model --sellers
expect "unknown model exits 1" test "$rc" -eq 1
expect "unknown model is named" has "$err" "no seller has a price for 'no-such-model'"

# Group series
run forecast --group gpt-4-class --as-of 2026-09-01 --format json
expect "forecast --group exits 0" test "$rc" -eq 0
expect "names the group" has "$out" '"model": "gpt-4-class"'
expect "provider reads group" has "$out" '"provider": "group"'
expect "no NaN or inf" bash -c "! grep -qiE 'nan|inf[^o]' '$TT_TMP/out'"
run forecast --group reasoning --dimension output --as-of 2026-09-01
expect "a group on output prices" test "$rc" -eq 0
expect "first party by default" has "$out" "(first party)"
run forecast --group frontier --all-sellers --as-of 2026-09-01
expect "--all-sellers" has "$out" "(every seller)"
run forecast --group nope
expect "unknown group exits 1" test "$rc" -eq 1
run forecast --group gpt-4-class --model gpt-4o
expect "--group with --model is a usage error" test "$rc" -eq 2
run forecast --group gpt-4-class --profile x.conf
expect "--group with --profile is a usage error" test "$rc" -eq 2
run forecast --provider openai --model gpt-4o --all-sellers
expect "--all-sellers without --group is a usage error" test "$rc" -eq 2
run plot forecast --group gpt-4-class --out "$TT_TMP/p/group.png"
expect "plot --group writes its script" test -s "$TT_TMP/p/group.gp"

# A user's catalog file
cat >"$TT_TMP/my.conf" <<'EOF'
group mine Two old flagships
  member gpt-4 claude-3-opus
EOF
run models groups --models "$TT_TMP/my.conf"
expect "a user group is listed" has "$out" "mine (2 members): Two old flagships"
run models cheapest mine --models "$TT_TMP/my.conf" --format csv
expect "user group series" has "$out" "2023-12-08,30.00,USD,openai,gpt-4"
printf 'model x\n  nme p y\n' >"$TT_TMP/bad.conf"
run models --models "$TT_TMP/bad.conf"
expect "a bad catalog line exits 4" test "$rc" -eq 4
expect "a bad catalog line is named" has "$err" "bad.conf:2: unknown directive"
mkdir -p "$HOME/.config/tokentrend"
cp "$TT_TMP/my.conf" "$HOME/.config/tokentrend/models.conf"
run models groups
expect "~/.config/tokentrend/models.conf is read" has "$out" "mine (2 members)"
rm "$HOME/.config/tokentrend/models.conf"

# Blended series from a profile: gpt-4o 3:1 in the bundled history.
# 2024-05-14: (3 x 5 + 15) / 4 = 7.50; 2024-11-14: (3 x 2.5 + 10) / 4 = 4.375.
cat >"$TT_TMP/p.conf" <<'EOF'
tokens_input = 3M
tokens_output = 1M
model = openai/gpt-4o
EOF
run forecast --profile "$TT_TMP/p.conf" --format json
expect "two changes: exit 1 (insufficient)" test "$rc" -eq 1
expect "blend names its dimension" has "$out" '"dimension": "blend"'
expect "blend note gives the mix" has "$out" "input 75.00%, output 25.00%"
expect "says 3 are needed" has "$err" "3 are needed"
# Three dated changes, imported: 20 -> 10 -> 4 at 1:1.
cat >"$TT_TMP/h.csv" <<'EOF'
date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source
2024-01-01,demo,blendy,10,30,,test
2024-07-01,demo,blendy,5,15,,test
2025-01-01,demo,blendy,2,6,,test
2025-07-01,demo,blendy,1,3,,test
EOF
run import csv "$TT_TMP/h.csv"
expect "import exits 0" test "$rc" -eq 0
printf 'tokens_input = 1M\ntokens_output = 1M\nmodel = demo/blendy\n' >"$TT_TMP/q.conf"
run forecast --profile "$TT_TMP/q.conf" --as-of 2026-09-01 --format json
expect "forecast --profile exits 0" test "$rc" -eq 0
expect "four blended changes" has "$out" '"n_points": 4'
# 1:1 blend: 20, 10, 4, 2 -> halves, then 2.5x, then halves: the fit is finite
expect "no NaN or inf in the blend forecast" bash -c "! grep -qiE 'nan|inf[^o]' '$TT_TMP/out'"
printf 'tokens_input = 1M\nbatch_share = 2\n' >"$TT_TMP/bad.conf"
run forecast --profile "$TT_TMP/bad.conf"
expect "a bad profile value exits 2" test "$rc" -eq 2
expect "names file, line and key" has "$err" "bad.conf:2: batch_share:"
run forecast --profile "$TT_TMP/nope.conf"
expect "a missing profile exits 4" test "$rc" -eq 4
run forecast --profile "$TT_TMP/q.conf" --provider demo
expect "--profile with --provider is a usage error" test "$rc" -eq 2
run plot forecast --profile "$TT_TMP/q.conf" --as-of 2026-09-01 --out "$TT_TMP/p/blend.svg"
expect "plot --profile writes its data" test -s "$TT_TMP/p/blend.dat"

# The README's example profile on a fresh database (init only): gpt-4o has no cache_read price
# before 2024-10-17, so the cached input is billed at the input price there, as `cost` bills it,
# and the blend has the three dates and values of `cost --history`.
fresh="$TT_TMP/fresh.db"
run --db "$fresh" init
expect "fresh init exits 0" test "$rc" -eq 0
run --db "$fresh" forecast --profile "$TT_TOP/docs/profile-example.conf" --format json
expect "README profile: forecast --profile exits 0" test "$rc" -eq 0
expect "README profile: three blended changes" has "$out" '"n_points": 3'
expect "README profile: from 2024-05-14" has "$out" '"first_date": "2024-05-14"'
expect "README profile: the note says cache_read is at the input price until it has one" \
	has "$out" "cache_read at the input price (no cache_read price) from 2024-05-14 until 2024-10-17"
run --db "$fresh" cost --profile "$TT_TOP/docs/profile-example.conf" --history --format json
expect "README profile: cost --history exits 0" test "$rc" -eq 0
for v in 5.476190476 3.69047619 2.261904762; do
	expect "README profile: cost --history prices the mix at $v" has "$out" "\"blend_per_1m\": \"$v\""
done
run --db "$fresh" plot forecast --profile "$TT_TOP/docs/profile-example.conf" --out "$TT_TMP/p/example.png"
expect "README profile: plot writes its data" test -s "$TT_TMP/p/example.dat"
for pt in "2024-05-14 5.476190476" "2024-10-17 3.69047619" "2024-11-14 2.261904762"; do
	expect "README profile: the blend is cost's price of the mix: $pt" grep -q "^$pt\$" "$TT_TMP/p/example.dat"
done
if command -v gnuplot >/dev/null; then
	expect "README profile: plot exits 0" test "$rc" -eq 0
	expect "README profile: plot wrote a PNG" bash -c "head -c 8 '$TT_TMP/p/example.png' | od -An -c | grep -q 'P   N   G'"
fi

# help lists the new command and options
run help models
expect "help models" has "$out" "cheapest GROUP"
run forecast --help
expect "forecast usage names --group and --profile" has "$out" "--group NAME"
finish
