#!/bin/bash
# test_sources_misc.sh - the DeepSeek, Z.ai and xAI captures replayed end to
# end (`scrape --source ID --file PATH --date`), CNY and USD rows as
# separate series (case 3), time bands kept apart (case 8), a capture with
# its anchor removed failing closed while the previous prices stay, and
# Mistral/Groq shown as UNVERIFIED by `sources`.
. "$(dirname "$0")/lib.sh"
pages="$TT_TOP/../shared/data/pages"

run sources
expect "sources lists mistral as UNVERIFIED" has "$out" "mistral .*UNVERIFIED"
expect "sources lists groq as UNVERIFIED" has "$out" "groq .*UNVERIFIED"
expect "deepseek is verified" sh -c "printf '%s' \"\$1\" | grep '^deepseek' | grep -qv UNVERIFIED" _ "$out"
run sources --format json
expect "sources json carries verified" has "$out" '"id":"groq".*"verified":false'

if [ ! -d "$pages" ]; then
	echo "SKIP: $pages is absent; capture replays skipped"
	finish
	exit $?
fi

run init
# name / file / date / prices stored
while read -r src file date n; do
	run scrape --source "$src" --file "$pages/$file" --date "$date"
	expect "$file replays (rc 0)" test "$rc" -eq 0
	expect "$file stores $n prices" has "$out" " $n prices"
done <<'LIST'
deepseek deepseek-zh-cn-2026-07-17.html 2026-07-17 6
deepseek deepseek-table-excerpt-2026-08.html 2026-08-13 12
deepseek deepseek-docs-pricing-excerpt-undated.html 2026-08-20 12
zai zai-2026-08-18.html 2026-08-18 78
xai xai-docs-pricing-undated.md 2026-08-20 48
xai xai-docs-model-grok-4.7-undated.md 2026-08-21 6
LIST

# Case 3: the CNY row and the USD rows are separate series, none replaces another.
run prices --source deepseek --provider deepseek --model deepseek-v4-pro --dimension input \
	--as-of 2026-08-25 --format json
expect "case 3: CNY 3.00 is kept as published" has "$out" '"currency": "CNY"[^}]*"price": "3.00"'
expect "case 3: USD off-peak 0.66 alongside" has "$out" '"condition": "offpeak"[^}]*"price": "0.66"'
expect "case 8: USD peak 1.32 alongside" has "$out" '"condition": "peak"[^}]*"price": "1.32"'
expect "case 8: no plain USD price from the page" sh -c \
	"! printf '%s' \"\$1\" | grep -q '\"condition\": \"\",[^}]*\"currency\": \"USD\"'" _ "$out"
run history --source deepseek --provider deepseek --model deepseek-v4-pro --dimension input --format json
expect "case 3: the CNY interval is never closed by a USD price" has "$out" '"currency": "CNY"[^}]*"valid_to": null'

# Fail closed: the Z.ai page with its anchor removed stores nothing; the last good prices stay.
sed 's/>Model</>Name</g' "$pages/zai-2026-08-18.html" >"$TT_TMP/zai-broken.html"
run scrape --source zai --file "$TT_TMP/zai-broken.html" --date 2026-08-25
expect "zai without its anchor fails (rc 4)" test "$rc" -eq 4
expect "the reason names the anchor" has "$out$err" "no Model | Input"
run prices --provider zai --model GLM-4.5 --dimension input --as-of 2026-08-26 --format json
expect "zai GLM-4.5 input 0.60 still in force" has "$out" '"price": "0.60"'

# xAI pricing page cut to half its models fails closed.
head -n 12 "$pages/xai-docs-pricing-undated.md" >"$TT_TMP/xai-cut.md"
run scrape --source xai --file "$TT_TMP/xai-cut.md" --date 2026-08-26
expect "xai cut to 3 models fails (rc 4)" test "$rc" -eq 4
run prices --provider xai --model grok-build-0.1 --as-of 2026-08-27 --format json
expect "xai grok-build-0.1 still in force" has "$out" '"model": "grok-build-0.1"'

finish
