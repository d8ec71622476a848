#!/bin/sh
# tests/memcheck.sh - valgrind memcheck on a replay of every recorded fixture
#
# Run by `make check` with top_srcdir and PLUGIN set; exits 77 without
# valgrind or in a sanitized build (see have_valgrind in lib.sh). Checks:
#  1. Every tests/fixtures/*.log (and *.log.xz) replays under
#     valgrind --leak-check=full with exit 0, 0 errors and 0 bytes
#     definitely lost.
#  2. Nothing reachable grows with the input: the fixtures as one stream
#     (the mix, without the long-parent recordings) and the same mix 8
#     times over, each copy moved 100,000 s later with its serials, pids
#     and ppids moved out of the way of the other copies, leave the same
#     number of bytes "still reachable" at exit (both are printed), and
#  3. under massif, with the table at its smallest bound, the same peak
#     heap (give or take 64 KiB).
# tests/samples.sh runs valgrind on the public samples and on broken
# input; this script covers the recordings.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
have_valgrind || skip "no valgrind, or a sanitized build"
command -v perl >/dev/null 2>&1 || skip "no perl"

fixdir=$top_srcdir/tests/fixtures
tmp=$(mktemp -d /tmp/memcheck.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the built-in defaults, but no rate limit: every alert of the 8x mix
conf=$tmp/nolimit.conf
echo "rate_limit_alerts = 0" >"$conf"
chmod 600 "$conf"

# vg_full NAME FILE: replay FILE under valgrind; its report, summary
# included, is in $tmp/NAME.vg. Returns valgrind's exit status (1 for a
# memory error or a definite leak).
vg_full() {
	valgrind --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=1 \
		--log-file="$tmp/$1.vg" \
		"$PLUGIN" -c "$conf" -r "$2" -o - </dev/null >"$tmp/$1.out" \
		2>"$tmp/$1.err"
}

# bytes KIND NAME: the bytes valgrind's summary gives for KIND ("definitely
# lost", "still reachable"...) in $tmp/NAME.vg; 0 when absent (nothing of
# that kind, or all heap blocks freed)
bytes() {
	sed -n "s/.*$1: \([0-9,]*\) bytes in.*/\1/p" "$tmp/$2.vg" |
		tr -d , | tail -1 | grep . || echo 0
}

# ------------------------------------------------------------ 1. fixtures
n=0
for log in "$fixdir"/*.log "$fixdir"/*.log.xz; do
	[ -e "$log" ] || continue
	name=$(basename "$log")
	name=${name%.xz}
	name=${name%.log}
	case $log in
	*.xz)
		command -v xz >/dev/null 2>&1 || {
			skip_part "$name (no xz)"
			continue
		}
		xz -dc "$log" >"$tmp/$name.log"
		log=$tmp/$name.log
		;;
	esac
	n=$((n + 1))
	if vg_full "$name" "$log"; then
		lost=$(bytes "definitely lost" "$name")
		errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
			"$tmp/$name.vg" | tail -1)
		if [ "${errs:-x}" = 0 ] && [ "$lost" = 0 ]; then
			ok "$name: 0 errors, 0 bytes definitely lost"
		else
			fail "$name: ${errs:-?} errors, $lost bytes definitely lost"
			sed -n '1,40p' "$tmp/$name.vg" >&2
		fi
	else
		fail "$name: valgrind exit status $?"
		grep -v '^==[0-9]*== *$' "$tmp/$name.vg" | sed -n '1,60p' >&2
		sed -n '1,5p' "$tmp/$name.err" >&2
	fi
done
[ "$n" -gt 0 ] || fail "no fixture found in $fixdir"

# ------------------------------------------------------------ 2. growth
# The mix: every fixture but the two long-parent ones, comments dropped.
for log in "$fixdir"/*.log; do
	case $log in *long-parent*) continue ;; esac
	grep -v '^#' "$log"
done >"$tmp/mix1.log"
# copy K of the mix: event times + K * 100000 s, serials + K * 10^7, pids,
# ppids and the child pids of clone/fork/vfork/clone3 + K * 10^6 (the
# recordings' pids are below 10^6)
: >"$tmp/mix8.log"
for k in 0 1 2 3 4 5 6 7; do
	perl -pe '
		BEGIN { $k = shift @ARGV }
		s/msg=audit\((\d+)\.(\d+):(\d+)\)/sprintf("msg=audit(%d.%s:%d)",
			$1 + $k * 100000, $2, $3 + $k * 10000000)/e;
		s/\b(pid|ppid)=(\d+)/sprintf("%s=%d", $1, $2 + $k * 1000000)/ge;
		# the child pid a clone, fork or vfork returns
		s/\bexit=(\d+)/sprintf("exit=%d", $1 + $k * 1000000)/e
			if / syscall=(56|57|58|435) .*success=yes/;
	' "$k" "$tmp/mix1.log" >>"$tmp/mix8.log"
done
lines1=$(wc -l <"$tmp/mix1.log")
lines8=$(wc -l <"$tmp/mix8.log")
check "the 8x mix has 8 times the lines ($lines1, $lines8)" \
	test "$lines8" -eq $((8 * lines1))
for m in mix1 mix8; do
	if vg_full "$m" "$tmp/$m.log"; then
		ok "$m: replays under valgrind with no error"
	else
		fail "$m: valgrind exit status $?"
		sed -n '1,40p' "$tmp/$m.vg" >&2
	fi
done
a1=$(grep -c . "$tmp/mix1.out")
a8=$(grep -c . "$tmp/mix8.out")
check "the 8x mix raises 8 times the alerts ($a1, $a8)" \
	test "$a8" -eq $((8 * a1))
r1=$(bytes "still reachable" mix1)
r8=$(bytes "still reachable" mix8)
echo "still reachable at exit: ${r1} bytes for 1x ($lines1 lines)," \
	"${r8} bytes for 8x ($lines8 lines)"
check "still reachable does not grow with the input ($r1 -> $r8 bytes)" \
	test "$r8" -le "$r1"
d1=$(bytes "definitely lost" mix1)
d8=$(bytes "definitely lost" mix8)
check "nothing definitely lost for 1x or 8x ($d1, $d8 bytes)" \
	test "$d1" -eq 0 -a "$d8" -eq 0

# ------------------------------------------------------------ 3. peak heap
# All is freed at exit, so part 2 says little about what the plugin holds
# while it runs. Here valgrind's massif takes the heap's peak over each
# run, with the table at its smallest bound (64 entries, so that both runs
# fill it): the 8x mix may not need more heap than the mix at its peak,
# give or take 64 KiB (allocator rounding, longer strings here or there).
small=$tmp/small.conf
printf 'rate_limit_alerts = 0\ntable_max_entries = 64\n' >"$small"
chmod 600 "$small"
for m in mix1 mix8; do
	if valgrind --tool=massif --stacks=no --massif-out-file="$tmp/$m.ms" \
		"$PLUGIN" -c "$small" -r "$tmp/$m.log" -o - </dev/null \
		>/dev/null 2>"$tmp/$m.ms.err"; then
		ok "$m: replays under massif"
	else
		fail "$m: massif run failed"
		sed -n '1,10p' "$tmp/$m.ms.err" >&2
	fi
done
peak() {
	sed -n 's/^mem_heap_B=//p' "$tmp/$1.ms" | sort -n | tail -1 | grep . ||
		echo 0
}
p1=$(peak mix1)
p8=$(peak mix8)
echo "peak heap with a 64-entry table: ${p1} bytes for 1x, ${p8} bytes for 8x"
check "the peak heap does not grow with the input ($p1 -> $p8 bytes)" \
	test "$p1" -gt 0 -a "$p8" -le $((p1 + 65536))
finish
