#!/usr/bin/env bash
# tests/explain.sh - --explain on the recorded scenarios, and its modes
#
# Replays every tests/fixtures/CASE.log (with CASE.conf where there is one)
# with --explain and checks its lines against what the records and the
# fixtures' own notes say, never against the plugin's earlier output:
#
# - the dracut candidates are found by a reader of the records of its own
#   (ORACLE below: a successful execve/execveat whose PATH item 0 is named
#   dracut, as tests/fixtures/README defines the alerting exec): each gets
#   exactly one line, with its pid, @timestamp and serial;
# - the "alert" lines are the alerts of the same replay without --explain,
#   one for one, and carry the process and parent of CASE.json (worked out
#   by hand);
# - every other candidate is in EXPECTED below, written from the fixture's
#   scenario, its records and the rule (plugin/rule.c, ../shared/seed):
#   the clause or local exception that takes it (field, operator, the
#   pattern and the value matched), or why its parent is unknown;
# - every line stands alone: @timestamp, host.name, the process and its
#   parent;
# - where the lines go (standard output, FILE, plugin mode), the errors and
#   the exit codes.
#
# Environment: top_srcdir, PLUGIN (set by make check). Needs jq, python3;
# xz for the compressed recordings.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
for t in jq python3 xz; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
fix=$top_srcdir/tests/fixtures

tmp=$(mktemp -d /tmp/audisp-dracut-explain.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty.conf"
chmod 0600 "$tmp/empty.conf"

# oracle.py FILE...: the dracut candidates of each audit stream FILE, read
# from its records alone, into $tmp/CASE.cand, one per line: NODE PID PPID
# @timestamp SERIAL LASTARG (tab-separated; NODE "-" for records without
# node=, LASTARG the exec's last argument: the scenarios' marker). One
# python3 for all: it is slow to start on a loaded machine.
cat >"$tmp/oracle.py" <<'PY'
import os, re, subprocess, sys, time

EXEC = {("c000003e", "59"), ("c000003e", "322"),
        ("40000003", "11"), ("40000003", "358")}
STAMP = re.compile(rb"msg=audit\((\d+)\.(\d+):(\d+)\)")


def field(rec, name, text=False):
    m = re.search(rb"(?:^| )" + name.encode() + rb"=(\"[^\"]*\"|\S+)", rec)
    if not m:
        return None
    v = m.group(1)
    if v.startswith(b'"'):
        return v[1:-1]
    if v == b"(null)":
        return None
    if text and re.fullmatch(rb"(?:[0-9A-F]{2})+", v):
        return bytes.fromhex(v.decode())
    return v


def events(data):
    """The records of each event (node, time and serial), in order."""
    evs = {}
    for line in data.split(b"\n"):
        if not line or line.startswith(b"#"):
            continue
        line = line.split(b"\x1d")[0]  # ENRICHED: the raw part
        node = b"-"
        if line.startswith(b"node="):
            node, line = line[5:].split(b" ", 1)
        m = STAMP.search(line)
        if m:
            evs.setdefault((node,) + m.groups(), []).append(line)
    return evs.items()


def candidate(key, recs):
    sc = [r for r in recs if r.startswith(b"type=SYSCALL ")]
    p0 = [r for r in recs if r.startswith(b"type=PATH ")
          and field(r, "item") == b"0"]
    ex = [r for r in recs if r.startswith(b"type=EXECVE ")]
    if not sc or not p0:
        return None
    s = sc[0]
    if (field(s, "arch").decode(), field(s, "syscall").decode()) \
            not in EXEC or field(s, "success") != b"yes":
        return None
    name = field(p0[0], "name", True) or b""
    if name.rsplit(b"/", 1)[-1] != b"dracut":
        return None
    last = b""
    if ex:
        argc = int(field(ex[0], "argc"))
        last = field(ex[0], "a%d" % (argc - 1), True) or b""
    node, sec, frac, serial = key
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(sec)))
    ts += ".%03dZ" % int(frac)
    return "\t".join([node.decode(), field(s, "pid").decode(),
                      field(s, "ppid").decode(), ts, serial.decode(),
                      last.decode("utf-8", "replace")])


outdir = os.path.dirname(sys.argv[0])
for path in sys.argv[1:]:
    data = (subprocess.run(["xz", "-dc", path], check=True,
                           stdout=subprocess.PIPE).stdout
            if path.endswith(".xz") else open(path, "rb").read())
    case = re.sub(r"\.log(\.xz)?$", "", os.path.basename(path))
    with open(os.path.join(outdir, case + ".cand"), "w") as out:
        for key, recs in events(data):
            c = candidate(key, recs)
            if c:
                print(c, file=out)
PY

# Every candidate that raises no alert, by CASE and marker (the exec's last
# argument), worked out from the fixture's notes (tests/fixtures/README),
# its scenario and records, and the rule's clauses in order (1 parent
# executable, 2 parent name, 3 parent args, 4 parent command line):
#   CASE|MARKER|excluded|CLAUSE|FIELD|OPERATOR|PATTERN|VALUE
#   CASE|MARKER|excepted|EXCEPTION|FIELD|OPERATOR|PATTERN|VALUE
#   CASE|MARKER|no_parent|REASON|TRIED
# (EXCEPTION counts the file's exception lines from 1; missing_pid is
# checked against the exec's ppid in the records.) Any candidate not
# listed must alert.
EXPECTED=$(cat <<'EOF'
rulebypass-enriched|B3|excluded|3|process.parent.args|like~|/usr/bin/dracut-rebuild|/usr/bin/dracut-rebuild
rulebypass-enriched|B4|excluded|3|process.parent.args|like~|/var/tmp/rpm-tmp.*|/var/tmp/rpm-tmp.adfx
rulebypass-enriched|B5|excluded|4|process.parent.command_line|like~|/bin/sh -c if command -v mkinitcpio*|/bin/sh -c if command -v mkinitcpio >/dev/null; then :; fi; dracut --help B5 >/dev/null; true
rulebypass-enriched|B6|excluded|2|process.parent.name|in|run-parts|run-parts
rulebypass-enriched|B7|excluded|2|process.parent.name|in|sudo|sudo
rulebypass-enriched|B8|excluded|2|process.parent.name|in|dracut-install|dracut-install
rulebypass-enriched|B9|excluded|2|process.parent.name|in|dracut|dracut
rulebypass-enriched|B10|excluded|2|process.parent.name|in|run-parts|run-parts
namespaces-enriched|N4|excluded|1|process.parent.executable|like~|/tmp/newroot/*|/tmp/newroot/usr/bin/bash
launchers-enriched|L13|excluded|2|process.parent.name|in|sudo|sudo
launchers-v7|L11|excluded|1|process.parent.executable|like|/usr/bin/timeout|/usr/bin/timeout
launchers-v7|L12|excluded|1|process.parent.executable|like|/usr/bin/xargs|/usr/bin/xargs
launchers-v7|L13|excluded|2|process.parent.name|in|sudo|sudo
launchers-excepted|L11|excluded|1|process.parent.executable|like|/usr/bin/timeout|/usr/bin/timeout
launchers-excepted|L12|excluded|1|process.parent.executable|like|/usr/bin/xargs|/usr/bin/xargs
launchers-excepted|L13|excluded|2|process.parent.name|in|sudo|sudo
launchers-excepted|L2|excepted|1|process.parent.executable|==|/usr/bin/perl|/usr/bin/perl
launchers-excepted|L4|excepted|2|process.parent.name|in|busybox|busybox
launchers-excepted|L16|excepted|2|process.parent.name|in|flock|flock
launchers-excepted|L10|excepted|3|process.args|like|L1?|L10
launchers-excepted|L14|excepted|3|process.args|like|L1?|L14
launchers-excepted|L15|excepted|3|process.args|like|L1?|L15
launchers-excepted|L17|excepted|3|process.args|like|L1?|L17
orphan-sh-enriched|--help|no_parent|never_seen|stream
subshell-raw|--help|no_parent|never_seen|stream
subshell-enriched|--help|no_parent|never_seen|stream
atcron-enriched|C1|no_parent|never_seen|stream
EOF
)

# The fields the alert lines share with CASE.json (fixtures.sh's projection
# without user.name, which the lines leave out; the parent's source is the
# lookup's in a line).
ALERT_VIEW='{
	"@timestamp": .["@timestamp"],
	auditd: {sequence: .auditd.sequence},
	source: (.audisp_dracut.process.parent.source // .lookup.source),
	process: (.process | {
		pid, name, executable, args, args_count, command_line,
		working_directory,
		parent: ((.parent // {}) | {
			pid, name, executable, args, args_count, command_line
		})
	})
}'

# What makes a line stand alone, for every verdict; and what each verdict
# adds (the clause or exception, or the lookup's reason), and leaves out.
STANDS_ALONE='(.["@timestamp"] | type == "string" and test("^[0-9-]+T[0-9:.]+Z$"))
	and (.host.name | type == "string" and length > 0)
	and (.process.pid | type == "number")
	and (.process.args | type == "array" and length > 0)
	and (.process.name == "dracut")
	and (.process.parent.pid | type == "number")
	and (.auditd.sequence | type == "number")
	and (.rule.version | type == "number")
	and (.lookup.tried | type == "array")
	and (if .verdict == "no_parent" then
		(.process.parent | keys) == ["pid"]
		and (.lookup.reason | type == "string")
	else
		(.process.parent.executable | type == "string")
		and (.process.parent.name | type == "string")
		and (.process.parent.args | type == "array")
		and (.process.parent.command_line | type == "string")
		and (.lookup.source | type == "string")
	end)
	and (if .verdict == "excluded" then
		(.clause | type == "number") and .exception == null
	elif .verdict == "excepted" then
		(.exception | type == "number") and (.line | type == "number")
		and .clause == null
	else
		.clause == null and .exception == null and .field == null
		and .operator == null and .pattern == null and .value == null
	end)
	and (if .verdict == "excluded" or .verdict == "excepted" then
		[.field, .operator, .pattern, .value]
		| map(type == "string") | all
	else true end)'

# replay CASE OUT [ARGS...]: replay CASE's recording with its configuration
# (a private copy: the plugin wants mode 0600); standard error to OUT.err.
# Returns the plugin's status.
replay() {
	local case=$1 out=$2 log conf=$tmp/empty.conf
	shift 2
	if [ -f "$fix/$case.conf" ]; then
		conf=$tmp/$case.conf
		cp "$fix/$case.conf" "$conf"
		chmod 0600 "$conf"
	fi
	log=$fix/$case.log
	if [ -e "$log" ]; then
		"$PLUGIN" -c "$conf" -r "$log" "$@" >"$out" 2>"$out.err"
	else
		xz -dc "$log.xz" |
			"$PLUGIN" -c "$conf" -r - "$@" >"$out" 2>"$out.err"
	fi
}

# tagged FILTER FILE...: FILTER's text for each line of the FILEs, after
# the FILE's case name (its base name less .json) and a tab. One jq for
# all the files: a process per case is seconds on a loaded machine.
tagged() {
	local filter=$1
	shift
	jq -r "(input_filename | split(\"/\")[-1] | sub(\"\\\\.json\$\"; \"\"))
		+ \"\\t\" + ($filter)" "$@"
}

# same WHAT A B: check that files A and B are the same, else show the diff
same() {
	if diff -u --label want --label got "$2" "$3" >"$tmp/diff"; then
		ok "$1"
	else
		fail "$1"
		head -n 30 "$tmp/diff" | sed 's/^/  /'
	fi
}

# --- every recording, replayed with and without --explain
mkdir "$tmp/ex" "$tmp/al" "$tmp/js"
python3 "$tmp/oracle.py" "$fix"/*.log "$fix"/*.log.xz ||
	fail "oracle.py cannot read the recordings"
cases=()
for log in "$fix"/*.log "$fix"/*.log.xz; do
	[ -e "$log" ] || continue
	case=$(basename "$log")
	case=${case%.xz}
	case=${case%.log}
	cases+=("$case")
	replay "$case" "$tmp/ex/$case.json" --explain ||
		fail "$case: the replay with --explain exits $?"
	replay "$case" "$tmp/al/$case.json" ||
		fail "$case: the replay without --explain exits $?"
	ln -s "$fix/$case.json" "$tmp/js/$case.json"
done
check "every recording replayed (${#cases[@]})" test "${#cases[@]}" -ge 40
ex=("$tmp"/ex/*.json)

# every line one JSON document (jq reads documents, not lines: count both)
tagged '"x"' "${ex[@]}" 2>/dev/null | sort | uniq -c |
	awk '{ print $2, $1 }' >"$tmp/docs"
for case in "${cases[@]}"; do
	n=0
	while IFS= read -r _; do n=$((n + 1)); done <"$tmp/ex/$case.json"
	[ "$n" -eq 0 ] || echo "$case $n"
done | sort >"$tmp/lines"
same "every line of every --explain output is one JSON document" \
	"$tmp/lines" "$tmp/docs"

# one line per dracut candidate that the records hold, none for the rest
for case in "${cases[@]}"; do
	while IFS=$'\t' read -r _ pid _ ts serial _; do
		printf '%s\t%s\t%s\t%s\n' "$case" "$pid" "$ts" "$serial"
	done <"$tmp/$case.cand"
done | sort >"$tmp/cand.keys"
KEY='[.process.pid, .["@timestamp"], .auditd.sequence] | @tsv'
tagged "$KEY" "${ex[@]}" | sort >"$tmp/ex.keys"
same "one line per dracut candidate in the records ($(grep -c '' \
	"$tmp/cand.keys") in ${#cases[@]} recordings)" \
	"$tmp/cand.keys" "$tmp/ex.keys"

# the alert lines are the alerts of the same replay, one for one, and
# carry the process and parent that CASE.json says (worked out by hand)
tagged "select(.verdict == \"alert\") | $KEY" "${ex[@]}" |
	sort >"$tmp/exal.keys"
tagged "$KEY" "$tmp"/al/*.json | sort >"$tmp/al.keys"
same "alert lines = the alerts of the replay without --explain ($(grep -c \
	'' "$tmp/al.keys"))" "$tmp/al.keys" "$tmp/exal.keys"
tagged "$ALERT_VIEW | tojson" "$tmp"/js/*.json | sort >"$tmp/js.view"
tagged "select(.verdict == \"alert\") | $ALERT_VIEW | tojson" "${ex[@]}" |
	sort >"$tmp/ex.view"
same "alert lines carry CASE.json's process, parent and serial" \
	"$tmp/js.view" "$tmp/ex.view"

# every line stands alone
tagged "select(($STANDS_ALONE) | not) | [.verdict, .process.pid] | tojson" \
	"${ex[@]}" >"$tmp/alone"
same "every line stands alone (@timestamp, host, process, parent, lookup)" \
	/dev/null "$tmp/alone"

# every line names the rule version of its case: its CASE.conf's, else 1
for case in "${cases[@]}"; do
	v=1
	if [ -f "$fix/$case.conf" ]; then
		while IFS=' =' read -r k n; do
			[ "$k" = rule_version ] && v=${n//[ =]/}
		done <"$fix/$case.conf"
	fi
	printf '%s\t%s\n' "$case" "$v"
done | sort >"$tmp/versions"
tagged '.rule.version | tostring' "${ex[@]}" | sort -u >"$tmp/ex.versions"
same "every line names the rule version of its configuration" \
	"$tmp/versions" "$tmp/ex.versions"

# --- the candidates that do not alert: exactly the ones in EXPECTED, each
# taken by the clause or exception it names, or without a parent for the
# reason it gives
tagged 'select(.verdict != "alert") | [.process.args[-1], .verdict,
	if .verdict == "excluded" then .clause
	elif .verdict == "excepted" then .exception
	else .lookup.reason end,
	if .verdict == "no_parent" then
		(.lookup.tried | join(",")), .lookup.missing_pid,
		.process.parent.pid, .process.pid
	else .field, .operator, .pattern, .value, .line end
	] | map(tostring) | join("|")' "${ex[@]}" | sed 's/\t/|/' |
	sort >"$tmp/ex.not"
declare -A got
while IFS='|' read -r case marker rest; do
	got[$case|$marker]=$rest
done <"$tmp/ex.not"
cut -d'|' -f1,2 <<<"$EXPECTED" | sort >"$tmp/want.not"
cut -d'|' -f1,2 "$tmp/ex.not" >"$tmp/got.not"
same "the candidates that do not alert are the ones listed ($(grep -c '' \
	"$tmp/want.not"))" "$tmp/want.not" "$tmp/got.not"

# excepted.line: the line of CONF holding its Nth exception (N from 1)
exception_line() {
	local n=0 i=0 l
	while IFS= read -r l; do
		i=$((i + 1))
		case $l in
		exception*) n=$((n + 1)) ;;
		*) continue ;;
		esac
		[ "$n" -eq "$2" ] && echo "$i $l" && return
	done <"$1"
}

while IFS='|' read -r case marker verdict n a b c d; do
	what="$case $marker"
	have=${got[$case|$marker]-}
	case $verdict in
	excluded)
		check "$what: excluded by clause $n, $a $b \"$c\" matched \"$d\"" \
			test "$have" = "excluded|$n|$a|$b|$c|$d|null"
		;;
	excepted)
		# the exception's line in the file: the one that says it
		read -r ln text <<<"$(exception_line "$fix/$case.conf" "$n")"
		check "$what: excepted by exception $n, line $ln, $a $b \"$c\" matched \"$d\"" \
			test "$have" = "excepted|$n|$a|$b|$c|$d|$ln"
		case $text in
		"exception = $a $b "*\""$c"\"*) ok "... line $ln of $case.conf says so" ;;
		*) fail "... line $ln of $case.conf ($text) says so" ;;
		esac
		;;
	no_parent)
		pid=$(awk -F'\t' -v m="$marker" '$6 == m { print $2 }' \
			"$tmp/$case.cand")
		ppid=$(awk -F'\t' -v m="$marker" '$6 == m { print $3 }' \
			"$tmp/$case.cand")
		check "$what: no parent: $ppid $n, tried $a" \
			test "$have" = "no_parent|$n|$a|$ppid|$ppid|$pid"
		;;
	*)
		fail "$what: EXPECTED has no verdict $verdict"
		;;
	esac
done <<<"$EXPECTED"

# --rule-version on the command line: launchers-enriched under version 7
# gives launchers-v7's lines (its CASE.conf says rule_version = 7)
"$PLUGIN" -c "$tmp/empty.conf" -r "$fix/launchers-enriched.log" \
	--rule-version 7 --explain >"$tmp/v7.ex" 2>/dev/null
check "--rule-version 7 --explain: launchers-v7's lines" \
	cmp -s "$tmp/v7.ex" "$tmp/ex/launchers-v7.json"

# --- a parent the process table evicted: long-parent-raw, whose parent
# exec'd about 2,000 execs before its dracut run, with room for 1,950
# images. The parent is evicted (every image after it is newer); the
# table's record of evictions (a quarter as many slots) still holds it, as
# about 70 evictions came after it.
printf 'table_max_entries = 1950\n' >"$tmp/small.conf"
chmod 0600 "$tmp/small.conf"
xz -dc "$fix/long-parent-raw.log.xz" |
	"$PLUGIN" -c "$tmp/small.conf" -r - --explain >"$tmp/evict.ex" \
	2>"$tmp/evict.err"
IFS=$'\t' read -r _ pid ppid _ <"$tmp/long-parent-raw.cand"
check "a parent evicted: no_parent, evicted, pid $ppid, tried stream" \
	test "$(jq -r '[.verdict, .lookup.reason, .lookup.missing_pid,
	(.lookup.tried | join(",")), .process.pid] | join("|")' \
	"$tmp/evict.ex")" = "no_parent|evicted|$ppid|stream|$pid"
check "... the summary counts it" grep -q -E -x '    +1  evicted' \
	"$tmp/evict.err"

# --- a collector's log (tests/fleet/interleave.py: two hosts' recordings,
# their records under node= names): each line names the host the exec ran
# on, as its alert does
python3 "$top_srcdir/tests/fleet/interleave.py" --by-event \
	"h1=$fix/script-raw.log" "h2=$fix/rulebypass-enriched.log" \
	>"$tmp/coll.log" || fail "interleave.py failed"
python3 "$tmp/oracle.py" "$tmp/coll.log"
cut -f 1,2,4,5 "$tmp/coll.cand" | sort >"$tmp/coll.want"
"$PLUGIN" -c "$tmp/empty.conf" -r "$tmp/coll.log" --explain \
	>"$tmp/coll.ex" 2>/dev/null || fail "collector's log: exit $?"
jq -r '[.host.name, .process.pid, .["@timestamp"], .auditd.sequence]
	| @tsv' "$tmp/coll.ex" | sort >"$tmp/coll.got"
same "a collector's log: each line names its sender's host ($(grep -c '' \
	"$tmp/coll.want") lines, hosts $(cut -f1 "$tmp/coll.want" | sort -u |
	tr '\n' ' '))" "$tmp/coll.want" "$tmp/coll.got"

# --- where the lines go, and the exit codes
log=$fix/rulebypass-enriched.log
conf=$tmp/empty.conf
n=$(grep -c '' "$tmp/rulebypass-enriched.cand")
# the alerts, without event.created (the wall clock's)
alerts() {
	jq -c 'del(.event.created)' "$@"
}
"$PLUGIN" -c "$conf" -r "$log" 2>/dev/null | alerts >"$tmp/plain" ||
	fail "replay without --explain: exit $?"

"$PLUGIN" -c "$conf" -r "$log" --explain >"$tmp/m1" 2>"$tmp/m1.err"
check "replay --explain: exit 0" test $? -eq 0
check "... its $n lines, and no alert, on standard output" \
	test "$(jq -c 'select(.verdict)' "$tmp/m1" | grep -c '')" = "$n" \
	-a "$(grep -c '' "$tmp/m1")" = "$n"
check "... the summary says the alerts are not written" \
	grep -q '^  alerts  *6, not written: the --explain lines say them$' \
	"$tmp/m1.err"
"$PLUGIN" -c "$conf" -r "$log" --explain=- >"$tmp/m2" 2>/dev/null
check "--explain=- is --explain" cmp -s "$tmp/m1" "$tmp/m2"
"$PLUGIN" -c "$conf" -r "$log" --explain= >"$tmp/m2" 2>/dev/null
check "--explain= is --explain" cmp -s "$tmp/m1" "$tmp/m2"

"$PLUGIN" -c "$conf" -r "$log" --explain -o - >"$tmp/m3" 2>"$tmp/m3.err"
check "--explain with -o -: exit 1" test $? -eq 1
check "... one line, naming both" test "$(grep -c '' "$tmp/m3.err")" = 1 \
	-a -n "$(grep -e '--explain and -o - both' "$tmp/m3.err")"
check "... nothing on standard output" test ! -s "$tmp/m3"
"$PLUGIN" -c "$conf" -r "$log" --explain -o "-,file:$tmp/x" >"$tmp/m3" \
	2>/dev/null
check "--explain with -o -,file:...: exit 1" test $? -eq 1

"$PLUGIN" -c "$conf" -r "$log" --explain="$tmp/d/explain.json" \
	>"$tmp/m4" 2>"$tmp/m4.err"
check "--explain=FILE: exit 0" test $? -eq 0
check "... FILE holds the lines (its directory made)" \
	cmp -s "$tmp/m1" "$tmp/d/explain.json"
check "... FILE has mode 0600" \
	test "$(stat -c %a "$tmp/d/explain.json")" = 600
alerts "$tmp/m4" >"$tmp/m4.al"
check "... the alerts on standard output, as without --explain" \
	cmp -s "$tmp/plain" "$tmp/m4.al"
check "... the summary does not say they are not written" \
	grep -q '^  alerts  *6$' "$tmp/m4.err"
"$PLUGIN" -c "$conf" -r "$log" --explain="$tmp/d/explain.json" \
	>/dev/null 2>&1
check "... a second replay appends to FILE ($((2 * n)) lines)" \
	test "$(grep -c '' "$tmp/d/explain.json")" = $((2 * n))
"$PLUGIN" -c "$conf" -r "$log" --explain -o "file:$tmp/alerts.json" \
	>"$tmp/m5" 2>/dev/null
check "--explain -o file:PATH: exit 0, the lines on standard output" \
	cmp -s "$tmp/m1" "$tmp/m5"
alerts "$tmp/alerts.json" >"$tmp/m5.al"
check "... the alerts in PATH" cmp -s "$tmp/plain" "$tmp/m5.al"

: >"$tmp/notadir"
"$PLUGIN" -c "$conf" -r "$log" --explain="$tmp/notadir/x" >"$tmp/m6" \
	2>"$tmp/m6.err"
check "--explain=FILE that cannot be made: exit 1" test $? -eq 1
check "... saying so" grep -q "cannot open $tmp/notadir/x for --explain" \
	"$tmp/m6.err"
check "... before reading: no alert" test ! -s "$tmp/m6"
if [ -w /dev/full ]; then
	"$PLUGIN" -c "$conf" -r "$log" --explain=/dev/full >/dev/null \
		2>"$tmp/m7.err"
	check "--explain=/dev/full: exit 1 (its lines lost)" test $? -eq 1
	check "... saying so" grep -q "cannot write --explain line to /dev/full" \
		"$tmp/m7.err"
	check "... and counted in the summary" grep -q \
		"^  explained  *0 lines, $n lost$" "$tmp/m7.err"
else
	skip_part "no /dev/full: --explain on a full disk"
fi
"$PLUGIN" -c "$conf" -r "$log" --explain "$tmp/m8.json" >/dev/null \
	2>"$tmp/m8.err"
check "--explain FILE (not --explain=FILE): exit 1, a stray argument" \
	test $? -eq 1 -a -n "$(grep "unexpected argument '$tmp/m8.json'" \
	"$tmp/m8.err")"

# plugin mode (no -r): standard output is auditd's, so a FILE is needed;
# proc_fallback = no keeps /proc out of it, as in a replay
printf 'proc_fallback = no\n' >"$tmp/live.conf"
chmod 0600 "$tmp/live.conf"
"$PLUGIN" -c "$tmp/live.conf" --explain -o - <"$log" >"$tmp/p1" \
	2>"$tmp/p1.err"
check "plugin mode --explain without FILE: exit 1" test $? -eq 1
check "... one line saying a file is needed" \
	test "$(grep -c '' "$tmp/p1.err")" = 1 -a -n "$(grep \
	'needs a file in plugin mode' "$tmp/p1.err")"
check "... no alert" test ! -s "$tmp/p1"
"$PLUGIN" -c "$tmp/live.conf" --explain="$tmp/p2.json" -o - <"$log" \
	>"$tmp/p2" 2>/dev/null
check "plugin mode --explain=FILE: exit 0" test $? -eq 0
check "... FILE holds the replay's lines" cmp -s "$tmp/m1" "$tmp/p2.json"
alerts "$tmp/p2" >"$tmp/p2.al"
check "... the alerts go to the outputs" cmp -s "$tmp/plain" "$tmp/p2.al"

# plugin mode, FILE rotated: SIGHUP reopens it (as logrotate's postrotate
# does); the lines before go to the renamed file, the ones after to FILE
mkfifo "$tmp/fifo"
"$PLUGIN" -c "$tmp/live.conf" --explain="$tmp/rot.json" -o - <"$tmp/fifo" \
	>/dev/null 2>&1 &
plug=$!
exec 3>"$tmp/fifo"
cat "$fix/bash-c-raw.log" >&3
for _ in $(seq 100); do
	[ -s "$tmp/rot.json" ] && break
	sleep 0.05
done
mv "$tmp/rot.json" "$tmp/rot.json.1"
kill -HUP "$plug"
for _ in $(seq 100); do
	[ -e "$tmp/rot.json" ] && break
	sleep 0.05
done
cat "$log" >&3
exec 3>&-
wait "$plug"
check "plugin mode, FILE renamed and SIGHUP: exit 0" test $? -eq 0
check "... the line before in the renamed file" \
	test "$(grep -c '' "$tmp/rot.json.1")" = 1
check "... the $n after in a new FILE" \
	test "$(grep -c '' "$tmp/rot.json" 2>/dev/null)" = "$n"

finish
