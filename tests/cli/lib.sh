# lib.sh - helpers for the command-line tests: each test runs the built
# binary in a temporary folder with a temporary HOME and database, checks
# exit codes and which stream said what.  Sourced by tests/cli/test_*.sh,
# which receive the binary and the source folder as $1 and $2.
set -u
TT_BIN=$1
TT_TOP=$2
TT_TMP=$(mktemp -d)
trap 'rm -rf "$TT_TMP"' EXIT
export HOME="$TT_TMP/home"
mkdir -p "$HOME"
export TOKENTREND_DB="$TT_TMP/t.db"
unset XDG_DATA_HOME
failures=0
passes=0

# run ARGS...: runs the binary, leaving $rc, $out (stdout) and $err (stderr).
run() {
	"$TT_BIN" "$@" >"$TT_TMP/out" 2>"$TT_TMP/err"
	rc=$?
	out=$(cat "$TT_TMP/out")
	err=$(cat "$TT_TMP/err")
}

# expect NAME CONDITION...: evaluates the condition (a shell test) and counts.
expect() {
	name=$1
	shift
	if "$@"; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAIL: $name"
		echo "  rc=$rc"
		echo "  stdout: $(printf '%s' "$out" | head -c 600)"
		echo "  stderr: $(printf '%s' "$err" | head -c 600)"
	fi
}

has() { printf '%s' "$1" | grep -q -- "$2"; }

finish() {
	echo "$passes passed, $failures failed"
	[ "$failures" -eq 0 ]
}
