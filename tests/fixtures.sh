#!/bin/bash
# fixtures.sh - replay each recorded audit stream and diff its alerts
#
# For every tests/fixtures/CASE.log (or CASE.log.xz), run
# "$PLUGIN" -r FILE -o - with the built-in configuration (rule version 1),
# check that every output line is strict JSON, project each alert onto the
# fields the fixture is about (see PROJECTION), and compare the result with
# tests/fixtures/CASE.json using diff -u. An empty CASE.json means the
# recording must raise no alert. A CASE.conf beside it is the configuration
# for that case instead (rule_version = 7, say); CASE.log may then be a
# symlink to another recording. A CASE.known-bug beside it marks a known
# bug: CASE.json holds the right alerts, and the file's first line says
# what the plugin does instead; while the replay differs, the case prints
# "KNOWN BUG" and its diff and does not fail; once it matches, it prints
# "NOW PASSING" (delete the marker and its mark in tests/README).
# UPDATE_GOLDEN=1 rewrites CASE.json from the plugin's output instead:
# check every changed line by hand before committing it
# (tests/fixtures/README says how each was worked out).
#
# Environment: top_srcdir, PLUGIN (set by make check). Needs jq; xz for the
# compressed recordings.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PLUGIN=${PLUGIN:-$top_srcdir/audisp-dracut}
fixdir=$top_srcdir/tests/fixtures

# The fields a fixture is about: the process and its parent, as the rule and
# an analyst see them, the exec's audit serial, where the parent's details
# came from (stream: its execve; fork: a clone seen in the stream), and the
# user name, which only the log itself may give in a replay (ENRICHED
# records carry it; RAW ones do not). The rest of the document is the alert
# module's and is checked by its own golden tests.
PROJECTION='{
	"@timestamp": .["@timestamp"],
	auditd: {sequence: .auditd.sequence},
	user: {name: .user.name},
	audisp_dracut: {process: {parent: {
		source: .audisp_dracut.process.parent.source
	}}},
	process: (.process | {
		pid, name, executable, args, args_count, command_line,
		working_directory,
		parent: ((.parent // {}) | {
			pid, name, executable, args, args_count, command_line
		})
	})
}'

if ! command -v jq >/dev/null 2>&1; then
	echo "fixtures.sh: jq is not installed (apt-get install jq)" >&2
	exit 77
fi
if [ ! -x "$PLUGIN" ]; then
	echo "fixtures.sh: no plugin binary at $PLUGIN" >&2
	exit 1
fi

tmp=$(mktemp -d /tmp/fixtures.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# an empty configuration file: the built-in defaults, whatever the host's
# /etc/audit/audisp-dracut.conf says
: >"$tmp/empty.conf"
chmod 0600 "$tmp/empty.conf"

pass=0
fail=0
known=0
for log in "$fixdir"/*.log "$fixdir"/*.log.xz; do
	[ -e "$log" ] || continue
	name=$(basename "$log")
	case=${name%.xz}
	case=${case%.log}
	expected=$fixdir/$case.json
	out=$tmp/$case.out
	if [ ! -f "$expected" ] && [ -z "${UPDATE_GOLDEN:-}" ]; then
		echo "FAIL $case: no $case.json beside $name"
		fail=$((fail + 1))
		continue
	fi
	conf=$tmp/empty.conf
	if [ -f "$fixdir/$case.conf" ]; then
		# a private copy: the plugin wants its config file mode 0600
		conf=$tmp/$case.conf
		cp "$fixdir/$case.conf" "$conf"
		chmod 0600 "$conf"
	fi
	case $log in
	*.xz)
		if ! command -v xz >/dev/null 2>&1; then
			echo "FAIL $case: xz is not installed (apt-get install xz-utils)"
			fail=$((fail + 1))
			continue
		fi
		xz -dc "$log" | "$PLUGIN" -c "$conf" -r - -o - \
			>"$out" 2>"$tmp/$case.err"
		rc=$?
		;;
	*)
		"$PLUGIN" -c "$conf" -r "$log" -o - \
			>"$out" 2>"$tmp/$case.err"
		rc=$?
		;;
	esac
	if [ $rc -ne 0 ]; then
		echo "FAIL $case: $PLUGIN exited $rc"
		sed 's/^/  stderr: /' "$tmp/$case.err" | head -n 20
		fail=$((fail + 1))
		continue
	fi
	# strict JSON, one document per line, then the projection
	if ! jq -S -c "$PROJECTION" <"$out" >"$tmp/$case.got" 2>"$tmp/$case.jq"; then
		echo "FAIL $case: output is not one JSON alert per line"
		head -n 5 "$tmp/$case.jq" "$out" | sed 's/^/  /'
		fail=$((fail + 1))
		continue
	fi
	if [ "$(grep -c '' "$out")" != "$(grep -c '' "$tmp/$case.got")" ]; then
		echo "FAIL $case: some output lines are not JSON documents"
		fail=$((fail + 1))
		continue
	fi
	if [ -n "${UPDATE_GOLDEN:-}" ] && [ -f "$fixdir/$case.known-bug" ]; then
		echo "NOT UPDATED $case.json: a known bug's alerts are the right ones"
		continue
	fi
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		if ! cmp -s "$tmp/$case.got" "$expected"; then
			cp "$tmp/$case.got" "$expected"
			echo "UPDATED $case.json: check it by hand"
		fi
		pass=$((pass + 1))
		continue
	fi
	if [ -f "$fixdir/$case.known-bug" ]; then
		if cmp -s "$expected" "$tmp/$case.got"; then
			echo "NOW PASSING $case: delete tests/fixtures/$case.known-bug and its mark in tests/README"
			pass=$((pass + 1))
		else
			echo "KNOWN BUG $case: $(head -n 1 "$fixdir/$case.known-bug")"
			diff -u --label "$case.json (right)" \
				--label "$case (replayed)" "$expected" \
				"$tmp/$case.got" | sed 's/^/  /'
			known=$((known + 1))
		fi
		continue
	fi
	if diff -u --label "$case.json (expected)" --label "$case (replayed)" \
		"$expected" "$tmp/$case.got"; then
		pass=$((pass + 1))
	else
		echo "FAIL $case"
		fail=$((fail + 1))
	fi
done

echo "fixtures: $pass passed, $fail failed, $known known bugs"
if [ $((pass + fail + known)) -eq 0 ]; then
	echo "fixtures.sh: no recordings in $fixdir" >&2
	exit 1
fi
[ $fail -eq 0 ]
