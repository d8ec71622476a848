#!/bin/bash
# fleet.sh - a collector's log replayed: each host's alerts are its own replay's
#
# Builds what a fleet's collector logs from recorded fixtures
# (tests/fleet/interleave.py): each host below replays a recording under
# its own node name, records interleaved one by one, nothing shifted, so
# that hosts replaying the same recording (h1, h2) collide on every pid,
# serial and time; the collector's own records carry no node= ("-") or its
# local_node name ("me", which the configuration names). One host (sw)
# switches from RAW to ENRICHED. Replays it with -r, once without EOE
# records (audisp-remote does not pass them on), once by whole events with
# them, and checks that the alerts of every host are exactly those of its
# own recording replayed alone: the same documents, event.created aside,
# host.name (the node's name; the machine's for its own records) and the
# host in event.reason made alike. Then h1 and h2 have as many alerts as
# script-raw alone: one host's exec is no duplicate of another's.
# Environment: top_srcdir, PLUGIN (set by make check). Needs jq, python3.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
for t in jq python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
fix=$top_srcdir/tests/fixtures
interleave=$top_srcdir/tests/fleet/interleave.py

tmp=$(mktemp -d /tmp/audisp-dracut-fleet.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf 'local_node = me\n' >"$tmp/plugin.conf"
chmod 0600 "$tmp/plugin.conf"

# NAME RECORDING...: the hosts (several recordings: one after the other)
hosts="h1 script-raw
h2 script-raw
h3 script-enriched
h4 python-raw
h5 late-fork-raw
h6 execveat-enriched
h7 launchers-enriched
h8 clock-step-raw
h9 subshell-fork-raw
h10 rulebypass-enriched
h11 reuse-fork-raw
- sh-script-raw
me sh-script-enriched
sw bash-c-raw bash-c-enriched"

# norm: each alert with event.created left out and its host made alike:
# host.name HOST, and HOST in event.reason's " on NAME created "
norm='.host.name as $h | del(.event.created, .observer)
	| .host.name = "HOST"
	| .event.reason |= (split(" on " + $h + " created ")
		| join(" on HOST created "))'

args=()
machine=
while read -r name recs; do
	log=$tmp/own-$name.log
	: >"$log"
	for r in $recs; do
		cat "$fix/$r.log" >>"$log"
	done
	args+=("$name=$log")
	"$PLUGIN" -c "$tmp/plugin.conf" -r "$log" -o - >"$tmp/own-$name.json" \
		2>"$tmp/own-$name.err" || fail "$name: $recs replayed alone: exit $?"
	[ -s "$tmp/own-$name.json" ] || fail "$name: $recs alone: no alert"
	# a host's own replay names the machine
	[ -n "$machine" ] ||
		machine=$(jq -r '.host.name' "$tmp/own-$name.json" | head -n 1)
done <<<"$hosts"

# the alerts of host NAME (as host.name has it) in FILE, normalised, sorted
alerts_of() {
	jq -c --arg n "$1" "select(.host.name == \$n) | $norm" "$2" | sort
}

for mode in drop-eoe by-event; do
	python3 "$interleave" "--$mode" "${args[@]}" >"$tmp/coll-$mode.log" ||
		{ fail "$mode: interleave.py failed"; continue; }
	if ! "$PLUGIN" -c "$tmp/plugin.conf" -r "$tmp/coll-$mode.log" -o - \
		>"$tmp/coll-$mode.json" 2>"$tmp/coll-$mode.err"; then
		fail "$mode: the collector's log replayed: exit $?"
		head -n 5 "$tmp/coll-$mode.err"
		continue
	fi
	total=0
	while read -r name recs; do
		case $name in
		-|me) continue ;; # the machine's own, below
		esac
		n=$(grep -c . "$tmp/own-$name.json")
		total=$((total + n))
		if cmp -s <(alerts_of "$name" "$tmp/coll-$mode.json") \
			<(jq -c "$norm" "$tmp/own-$name.json" | sort); then
			ok "$mode: $name ($recs): its $n alerts, as replayed alone"
		else
			fail "$mode: $name ($recs): alerts differ from its own replay's"
			diff <(jq -c "{host: .host.name, seq: .auditd.sequence, pid: .process.pid, exe: .process.executable, parent: .process.parent.executable}" "$tmp/own-$name.json") \
				<(jq -c --arg n "$name" "select(.host.name == \$n) | {host: .host.name, seq: .auditd.sequence, pid: .process.pid, exe: .process.executable, parent: .process.parent.executable}" "$tmp/coll-$mode.json") | head -n 10
		fi
	done <<<"$hosts"
	n=$(($(grep -c . "$tmp/own--.json") + $(grep -c . "$tmp/own-me.json")))
	total=$((total + n))
	if cmp -s <(alerts_of "$machine" "$tmp/coll-$mode.json") \
		<(cat "$tmp/own--.json" "$tmp/own-me.json" | jq -c "$norm" |
		  sort); then
		ok "$mode: the collector's own records (no node=, and node=me): their $n alerts on $machine"
	else
		fail "$mode: the collector's own records: alerts differ"
	fi
	got=$(grep -c . "$tmp/coll-$mode.json")
	check "$mode: $got alerts in all, the hosts' $total" [ "$got" = "$total" ]
	check "$mode: no observer in a replay (it does not know the collector)" \
		[ "$(jq -c 'select(.observer)' "$tmp/coll-$mode.json")" = "" ]
done
# h1 and h2 replay the same recording: both alert, as often as it does
n=$(grep -c . "$tmp/own-h1.json")
check "h1 and h2 collide on every pid, serial and time: $n alerts each" \
	[ "$(jq -r 'select(.host.name == "h1" or .host.name == "h2") | .host.name' "$tmp/coll-drop-eoe.json" | sort | uniq -c | awk '{ print $1 }' | sort -u)" = "$n" ]
finish
