# tests/lib.sh - shell helpers shared by the script tests (sourced)

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"

T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)

# ok MESSAGE: record a passed check
ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok $T_PASS+$T_FAIL - $*"
}

# fail MESSAGE: record a failed check (the script goes on)
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*" >&2
	echo "not ok - $*"
}

# check DESCRIPTION COMMAND...: run COMMAND, pass if it exits 0
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# skip REASON: exit 77, the automake code for a skipped test
skip() {
	echo "SKIP: $T_NAME: $*"
	exit 77
}

# finish: print the summary line and exit with the right status
finish() {
	echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}

# json_valid: every line of stdin is one JSON document
json_valid() {
	if command -v jq >/dev/null 2>&1; then
		jq -e -c . >/dev/null 2>&1
	else
		python3 -c 'import json,sys
for l in sys.stdin:
    json.loads(l)'
	fi
}

# need_root_audit: skip unless root with a kernel audit subsystem
need_root_audit() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for kernel audit"
	command -v auditctl >/dev/null 2>&1 || skip "auditctl not installed"
	auditctl -s >/dev/null 2>&1 || skip "kernel audit unavailable"
}
