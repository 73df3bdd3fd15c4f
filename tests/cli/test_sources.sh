#!/bin/bash
# test_sources.sh - sources list/show/test, user-defined sources end to end
# (an HTML table by header text: case 1 with its own headers; a JSON feed),
# fail-closed runs that keep the last good prices, and the review command.
. "$(dirname "$0")/lib.sh"

caps="$TT_TOP/db/captures"
export TOKENTREND_NOW=2026-09-01T12:00:00Z

# --- sources test never opens (or creates) a database ---------------------
export TOKENTREND_DB="$TT_TMP/must-not-exist.db"
run sources test openai "$caps/openai-2026-08-21.html" --date 2026-08-21 --format json
expect "sources test exits 0" test "$rc" -eq 0
expect "sources test prints the prices" has "$out" '"model": "gpt-5.6-sol", "dimension": "input"'
expect "sources test says what would be stored" has "$err" "prices, 11 models would be stored as observed on 2026-08-21"
expect "sources test created no database" test ! -e "$TOKENTREND_DB"
run sources show openai
expect "sources show without a database exits 0" test "$rc" -eq 0
expect "sources show names the URL" has "$out" "https://developers.openai.com/api/docs/pricing"
expect "sources show says no database" has "$out" "no database at"
expect "sources show created no database" test ! -e "$TOKENTREND_DB"
sed 's/id="text-tokens"/id="flagship"/' "$caps/openai-2026-08-21.html" >"$TT_TMP/openai-broken.html"
run sources test openai "$TT_TMP/openai-broken.html"
expect "sources test on a broken page exits 4" test "$rc" -eq 4
expect "sources test names the missing anchor" has "$err" "anchor h2#text-tokens (the text-token section) is missing"
run sources test nosuch "$TT_TMP/openai-broken.html"
expect "unknown source exits 2" test "$rc" -eq 2

# --- user-defined sources --------------------------------------------------
cat >"$TT_TMP/tiers.html" <<'EOF'
<table id="paid">
 <thead><tr><th>Model</th><th>Input price (USD / 1M tokens)</th><th>Output price (USD / 1M tokens)</th></tr></thead>
 <tbody>
  <tr><td>demo-pro</td>
      <td>$1.25, prompts &lt;= 200k tokens<br>$2.50, prompts &gt; 200k tokens</td>
      <td>$10.00, prompts &lt;= 200k tokens<br>$15.00, prompts &gt; 200k tokens</td></tr>
  <tr><td>demo-pro-b</td><td>$2.00 (&lt;=200K) / $4.00 (&gt;200K)</td><td>$12.00 (&lt;=200K) / $18.00 (&gt;200K)</td></tr>
  <tr><td>demo-flash</td><td>$0.30</td><td>$2.50</td></tr>
 </tbody>
</table>
EOF
cat >"$TT_TMP/feed.json" <<'EOF'
{"models":[{"name":"acme-large","cost":{"in":"0.000003","out":1.5e-5}},
           {"name":"acme-small","cost":{"in":"0.0000002","out":"-1"}}]}
EOF
mkdir -p "$HOME/.config/tokentrend"
cat >"$HOME/.config/tokentrend/sources.conf" <<'EOF'
# case 1 of ../shared/cases, by the table's own header text
[source vendor]
format = html
url = https://vendor.example/pricing
currency = USD
unit = 1M tokens
table_header = Input price
model = Model
input = Input price
output = Output price
min_models = 3
anchor_models = demo-pro

[source acme]
format = json
currency = USD
unit = per token
items = models
model = name
input = cost.in
output = cost.out
EOF
export TOKENTREND_DB="$TT_TMP/t.db"
run init --no-seed
run sources
expect "the ECB rates are fetched live and hold no prices to rank" has "$out" "ecb         xml       none         live"
expect "an aggregator read from files only is a replay source" has "$out" "litellm     json      aggregator   replay"
expect "user sources are listed" has "$out" "vendor      html      user         live     user       https://vendor.example/pricing  (user-defined)"
run sources --format json
expect "JSON marks user sources" has "$out" '"id":"acme".*"user_defined":true'
run scrape --source vendor --file "$TT_TMP/tiers.html" --date 2026-01-05
expect "user HTML source scrapes" test "$rc" -eq 0
expect "case 1: 10 prices, 3 models" has "$out" "vendor      2026-01-05  ok         10 prices     3 models"
run prices --source vendor --format csv
expect "case 1: 10 rows" test "$(printf '%s\n' "$out" | grep -c '^vendor,')" -eq 10
expect "case 1: upper band kept" has "$out" "demo-pro,input,standard,prompt>200k,,1M tokens,USD,2.50"
expect "case 1: lower band kept" has "$out" "demo-pro-b,output,standard,prompt<=200k,,1M tokens,USD,12.00"
expect "case 1: no glued value" test -z "$(printf '%s' "$out" | grep '1\.252\.50')"
run scrape --source acme --file "$TT_TMP/feed.json" --date 2026-01-05
expect "user JSON source scrapes" test "$rc" -eq 0
run prices --source acme --format csv
expect "JSON per-token prices scaled to 1M" has "$out" "acme,acme-large,output,standard,,,1M tokens,USD,15.00"
expect "sentinel skipped" test -z "$(printf '%s' "$out" | grep 'acme-small,output')"
mkdir -p "$TT_TMP/caps"
cp "$TT_TMP/tiers.html" "$TT_TMP/caps/vendor-2026-01-06.html"
run scrape --from-dir "$TT_TMP/caps"
expect "user source replays from a folder" has "$out" "vendor      2026-01-06  ok         10 prices     3 models      0 changes"
run sources show vendor
expect "show lists the rules" has "$out" "input/standard = Input price"
expect "show lists the outcomes" has "$out" "2026-01-06 ok"
run --sources "$TT_TMP/none.conf" sources
expect "a named sources file that is missing exits 1" test "$rc" -eq 1
expect "the missing file is named" has "$err" "none.conf"
printf '[source bad]\nformat = xml\n' >"$TT_TMP/bad.conf"
run --sources "$TT_TMP/bad.conf" scrape --source vendor --file "$TT_TMP/tiers.html" --date 2026-01-07
expect "a bad sources file exits 2" test "$rc" -eq 2
expect "the mistake is named by line" has "$err" "bad.conf:2: format 'xml': html or json"

# The README's example file is valid as written.
# (the first ini block of its section on user-defined sources)
awk '/^## Validation, review and user-defined sources/{sec=1} sec&&/^```ini$/{inb=1;next} inb&&/^```$/{exit} inb{print}' \
	"$TT_TOP/README.md" >"$TT_TMP/readme.conf"
run --sources "$TT_TMP/readme.conf" sources --format csv
expect "the README example loads" test "$rc" -eq 0
expect "the README example has three sources" test "$(printf '%s\n' "$out" | grep -c ',yes$')" -eq 3
run --sources "$TT_TMP/readme.conf" scrape --source vendor --file "$TT_TMP/tiers.html" --date 2026-01-08
expect "the README's vendor section reads case 1" has "$out" "vendor      2026-01-08  ok         10 prices     3 models"

# --- fail closed: the last good prices stay --------------------------------
run scrape --source openai --file "$caps/openai-2026-08-21.html" --date 2026-08-21
expect "openai stores" test "$rc" -eq 0
run scrape --source openai --file "$TT_TMP/openai-broken.html" --date 2026-08-22
expect "anchor removed: exit 4" test "$rc" -eq 4
expect "anchor removed: the reason" has "$err" "openai 2026-08-22: .*anchor h2#text-tokens (the text-token section) is missing"
run prices --source openai --model gpt-5.6-sol --dimension input --as-of 2026-08-23 --format csv
expect "prices still shows the previous good value" has "$out" "openai,gpt-5.6-sol,input,standard,prompt<=272k,,1M tokens,USD,5.00,2026-08-21"

# --- a 10x jump waits for review -------------------------------------------
run scrape --source anthropic --file "$caps/anthropic-2025-11-14.html" --date 2025-11-14
sed '0,/data-value="15" class="tokens_main_val_number">15</s//data-value="160" class="tokens_main_val_number">160</' \
	"$caps/anthropic-2025-11-14.html" >"$TT_TMP/anthropic-jump.html"
run scrape --source anthropic --file "$TT_TMP/anthropic-jump.html" --date 2025-12-01
expect "a jump still stores the rest (exit 0)" test "$rc" -eq 0
expect "the jump is held" has "$out" "1 jumped over 10x: held for 'tokentrend review'"
expect "the warning names the values" has "$err" "160.00 is 10.7x the stored 15.00: flagged for review (review #1)"
run review
expect "review lists it" has "$out" "pending   anthropic   claude-opus-4.1"
run review --format json
expect "review JSON" has "$out" '"price": "160.00", "previous_price": "15.00"'
run prices --provider anthropic --model claude-opus-4.1 --dimension input --as-of 2025-12-02 --format csv
expect "the held value is not in force" has "$out" "USD,15.00"
run review reject 1 --by ana --why "typo on the page"
expect "reject exits 0" test "$rc" -eq 0
run review reject 1
expect "a decision is kept" test "$rc" -eq 1
expect "deciding twice says so" has "$err" "already rejected"
run review --status rejected --format csv
expect "the decision is listed" has "$out" "ana,typo on the page"
run review accept 7
expect "unknown item exits 1" test "$rc" -eq 1
run review maybe
expect "unknown subcommand exits 2" test "$rc" -eq 2
rm -f "$TT_TMP/nodb.db"
TOKENTREND_DB="$TT_TMP/nodb.db" run review
expect "review never creates a database" test ! -e "$TT_TMP/nodb.db"

# sources status: health per source, and model counts of the latest runs.
run sources status
expect "sources status exits 0" test "$rc" -eq 0
expect "sources status has the health table" has "$out" "SOURCE *STATE *LAST OK"
expect "sources status shows model counts over runs" has "$out" "models found by the latest runs"
expect "a source never run says so" has "$out" "bedrock *never run"
run sources status --format json
expect "sources status JSON is an array" has "$out" "^\["
run --db "$TT_TMP/none/x.db" sources status
expect "sources status without a database exits 5" test "$rc" -eq 5
expect "and says how to create one" has "$err" "tokentrend init"

finish
