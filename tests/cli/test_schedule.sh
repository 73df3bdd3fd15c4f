#!/bin/bash
# test_schedule.sh - `schedule install|status|remove` (systemd and cron), `reparse`
# and `daemon` through the binary, with a temporary HOME and systemctl,
# crontab and loginctl replaced by stubs on PATH (the machine's own crontab
# and units are never touched), and every source URL pointed at a closed
# loopback port (no network).
. "$(dirname "$0")/lib.sh"

stubs="$TT_TMP/bin"
mkdir -p "$stubs"
export STUB_LOG="$TT_TMP/stub.log" STUB_CRONTAB="$TT_TMP/crontab"
cat >"$stubs/systemctl" <<'EOF'
#!/bin/sh
echo "systemctl $*" >>"$STUB_LOG"
case "$2" in
show-environment) exit "${STUB_SYSTEMD_FAIL:-0}" ;;
show) echo 'NextElapseUSecRealtime=Tue 2026-01-06 06:17:00 UTC' ;;
esac
exit 0
EOF
cat >"$stubs/crontab" <<'EOF'
#!/bin/sh
echo "crontab $*" >>"$STUB_LOG"
if [ "$1" = -l ]; then
	if [ -f "$STUB_CRONTAB" ]; then cat "$STUB_CRONTAB"; else echo "no crontab for $USER" >&2; exit 1; fi
elif [ "$1" = - ]; then cat >"$STUB_CRONTAB"; fi
EOF
printf '#!/bin/sh\necho no\n' >"$stubs/loginctl"
chmod +x "$stubs"/*
export PATH="$stubs:/usr/bin:/bin"
unset XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY no_proxy NO_PROXY
export TOKENTREND_CONFIG="$TT_TMP/tokentrend.conf"
cat >"$TOKENTREND_CONFIG" <<'EOF'
[fetch]
retries = -1
connect_timeout_ms = 1000
[source openai]
url = http://127.0.0.1:9/openai
[source anthropic]
url = http://127.0.0.1:9/anthropic
[source openrouter]
url = http://127.0.0.1:9/openrouter
EOF

run schedule status
expect "status without a schedule exits 0" test "$rc" -eq 0
expect "status says not installed" has "$out" "not installed"

run schedule install --dry-run --systemd
expect "dry run prints the timer" has "$out" "Persistent=true"
expect "dry run installs nothing" test ! -e "$HOME/.config/systemd/user/tokentrend-scrape.timer"

export https_proxy="http://proxy.example:3128"
run schedule install --at 05:30
expect "systemd install exits 0" test "$rc" -eq 0
expect "systemd install says systemd" has "$out" "systemd user timer"
expect "linger advice" has "$out" "loginctl enable-linger"
expect "timer written" test -f "$HOME/.config/systemd/user/tokentrend-scrape.timer"
expect "proxy carried into the unit" grep -q 'Environment="https_proxy=http://proxy.example:3128"' "$HOME/.config/systemd/user/tokentrend-scrape.service"
expect "the unit names the database" grep -q "\"$TOKENTREND_DB\" scrape" "$HOME/.config/systemd/user/tokentrend-scrape.service"
expect "timer enabled" grep -q "enable --now tokentrend-scrape.timer" "$STUB_LOG"
unset https_proxy

run schedule install
expect "a second install is refused (exit 2)" test "$rc" -eq 2
expect "refusal says why" has "$err" "already installed"

run schedule status
expect "status shows the next run" has "$out" "next run:  Tue 2026-01-06 06:17:00 UTC"
expect "status shows the timer" has "$out" "tokentrend-scrape.timer, daily at 05:30"

run schedule remove
expect "remove exits 0" test "$rc" -eq 0
expect "units gone" test ! -e "$HOME/.config/systemd/user/tokentrend-scrape.timer"
expect "timer disabled" grep -q "disable --now tokentrend-scrape.timer" "$STUB_LOG"
expect "cron never touched by the systemd install" test ! -e "$STUB_CRONTAB"

run schedule remove
expect "removing twice says nothing is installed" has "$err" "no schedule is installed"

printf '0 1 * * * /usr/local/bin/backup\n' >"$STUB_CRONTAB"
export STUB_SYSTEMD_FAIL=1
run schedule install
expect "without a user manager, cron" has "$out" "cron schedule"
expect "crontab keeps the user's line" grep -q "^0 1 \* \* \* /usr/local/bin/backup$" "$STUB_CRONTAB"
expect "crontab gains ours" grep -q "tokentrend-schedule$" "$STUB_CRONTAB"
run schedule status --format json
expect "json status names cron" has "$out" '"schedule":"cron"'
run schedule remove
expect "cron remove restores the crontab exactly" test "$(cat "$STUB_CRONTAB")" = "0 1 * * * /usr/local/bin/backup"
unset STUB_SYSTEMD_FAIL

# Live runs fail (nothing listens on port 9): recorded, reported per source.
export TOKENTREND_NOW=2026-01-05
run init --no-seed
run scrape
expect "a run where every fetch failed exits 3" test "$rc" -eq 3
expect "each source reported" has "$out" "openrouter  2026-01-05  failed"
run schedule status
expect "status shows the failed run" has "$out" "failed, finished"
expect "health names the failing source" has "$out" "openai      failing"

# reparse re-reads stored snapshots
run scrape --from-dir "$TT_TOP/db/captures"
run reparse --source anthropic
expect "reparse exits 0" test "$rc" -eq 0
expect "reparse re-read the anthropic day" has "$out" "anthropic   2025-11-14  ok         40 prices"
run reparse --since 2030-01-01
expect "reparse of nothing exits 0" test "$rc" -eq 0
run reparse --since 2026-13-01
expect "bad date exits 2" test "$rc" -eq 2

# daemon: --once catches up (the last success is over a day old) and exits
run daemon --once --at 06:17
expect "daemon --once exits 0" test "$rc" -eq 0
expect "daemon caught up" has "$out" "running now"

# daemon: SIGTERM while sleeping stops it cleanly (event: it said it sleeps)
"$TT_BIN" daemon --at 06:17 >"$TT_TMP/daemon.out" 2>&1 &
dpid=$!
for _ in $(seq 1 200); do
	grep -q "sleeping until" "$TT_TMP/daemon.out" && break
	sleep 0.05
done
run schedule status
expect "status sees the running daemon" has "$out" "daemon:    running (pid $dpid)"
kill -TERM "$dpid"
wait "$dpid"
rc=$?
out=$(cat "$TT_TMP/daemon.out")
err=""
expect "daemon stops on SIGTERM with 0" test "$rc" -eq 0
expect "daemon says it stopped" has "$out" "daemon stopped (signal)"

finish
