#!/bin/sh
# tests/fuzz/run.sh - replay the regression inputs, then fuzz each harness
#
# Usage: run.sh [-t SECONDS] [-w WORKDIR] [-k] HARNESS...
# For each libFuzzer harness (tests/fuzz/fuzz_NAME, built with
# ./configure CC=clang --enable-fuzz): run every file of
# tests/fuzz/regress/NAME/ once, then fuzz for SECONDS (default 60) from a
# fresh seed corpus (tests/fuzz/seeds.sh NAME) in WORKDIR/NAME (default: a
# temporary directory, removed unless -k). One process per harness, one
# harness at a time. Any crash, leak or timeout fails; its input is left in
# WORKDIR/NAME/ and the run's log in WORKDIR/NAME.log (both kept on
# failure). `make fuzz-smoke` runs this with -t 60. For a long run:
#   nice -n 10 tests/fuzz/run.sh -t 1500 -w /var/tmp/fuzz -k \
#	tests/fuzz/fuzz_plugin
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
fuzzdir=$top_srcdir/tests/fuzz
time=60
work=
keep=0
while getopts t:w:k opt; do
	case $opt in
	t) time=$OPTARG ;;
	w) work=$OPTARG ;;
	k) keep=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || {
	echo "usage: run.sh [-t SECONDS] [-w WORKDIR] [-k] HARNESS..." >&2
	exit 2
}
if [ -z "$work" ]; then
	work=$(mktemp -d /tmp/audisp-dracut-fuzz.XXXXXX)
else
	mkdir -p "$work"
fi

failed=0
for h in "$@"; do
	name=$(basename "$h")
	name=${name#fuzz_}
	case $name in
	config)
		dict=$fuzzdir/config.dict
		max_len=4096
		;;
	*)
		dict=$fuzzdir/audit.dict
		max_len=65536
		;;
	esac
	log=$work/$name.log
	corpus=$work/$name
	rm -rf "$corpus"
	mkdir -p "$corpus/crashes"
	if ! sh "$fuzzdir/seeds.sh" "$name" "$corpus/seeds" >"$log" 2>&1; then
		echo "fuzz: $name: cannot build the seed corpus" >&2
		cat "$log" >&2
		failed=1
		continue
	fi
	# the regression inputs, each run once
	nreg=0
	for f in "$fuzzdir/regress/$name"/*; do
		[ -f "$f" ] || continue
		nreg=$((nreg + 1))
		if ! "$h" -close_fd_mask=2 -timeout=60 "$f" >>"$log" 2>&1; then
			echo "fuzz: $name: regression input $f fails:" >&2
			tail -40 "$log" >&2
			failed=1
			continue 2
		fi
	done
	mkdir -p "$corpus/queue"
	start=$(date +%s)
	"$h" -max_total_time="$time" -timeout=25 -max_len="$max_len" \
		-dict="$dict" -close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$corpus/crashes/" \
		"$corpus/queue" "$corpus/seeds" >>"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" |
		sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/p' |
		tail -1)
	files=$(find "$corpus/queue" -type f | wc -l)
	status=ok
	if [ "$rc" -ne 0 ]; then
		status="FAILED (exit $rc; inputs in $corpus/crashes, log $log)"
		failed=1
		keep=1
		grep -E -A30 '^==[0-9]+==ERROR|^SUMMARY|deadly signal|timeout' \
			"$log" | head -60 >&2
	fi
	echo "fuzz: $name: $nreg regression inputs, ${execs:-0} execs in" \
		"${secs}s (${rate:-0}/s), ${cov:-no coverage}," \
		"corpus $files new files: $status"
done
if [ "$keep" = 1 ]; then
	echo "fuzz: work directory kept: $work"
else
	rm -rf "$work"
fi
exit $failed
