#!/usr/bin/env bash
# tests/progress.sh - a replay's progress on a terminal, and only there
#
# Under a pseudo-terminal (script(1)), a replay of a regular file shows on
# standard error, on one line redrawn with \r (and erased to its end,
# ESC [ K), the bytes read of the file's size, the rate and the time left,
# a few times a second (progress.h: every 250 ms at most), and erases it
# before the summary. Nothing when standard error is not a terminal, when
# reading standard input (-r -), or in plugin mode.
#
# The input is ../shared/corpus (61 MB) twice, about a second of replay;
# without it, the fixtures repeated to 100 MB.
#
# Environment: top_srcdir, PLUGIN (set by make check). Needs script(1)
# (util-linux).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
command -v script >/dev/null 2>&1 || skip "script(1) is not installed"

tmp=$(mktemp -d /tmp/audisp-dracut-progress.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty.conf"
chmod 0600 "$tmp/empty.conf"

big=$tmp/big.log
corpus=$top_srcdir/../shared/corpus/exec-stream-enriched.txt.xz
if [ -r "$corpus" ] && command -v xz >/dev/null 2>&1; then
	xz -dc "$corpus" >"$tmp/one.log" && cat "$tmp/one.log" "$tmp/one.log" >"$big"
	rm -f "$tmp/one.log"
else
	while [ "$(stat -c %s "$big" 2>/dev/null || echo 0)" -lt 100000000 ]; do
		cat "$top_srcdir"/tests/fixtures/*.log >>"$big"
	done
fi
size=$(stat -c %s "$big")
# the size as the line writes it (progress.h: "12.3 MiB"), from the size
human() {
	awk -v n="$1" 'BEGIN {
		split("B KiB MiB GiB TiB", u, " "); i = 1
		while (n >= 1024 && i < 5) { n /= 1024; i++ }
		if (i == 1) printf "%d B", n; else printf "%.1f %s", n, u[i] }'
}
total=$(human "$size")

# pty CMD: run CMD (a string for sh) with a pseudo-terminal as its
# standard input, output and error; what it wrote there in $tmp/pty, its
# time in ms in $tmp/ms. Returns CMD's status.
pty() {
	local t0 rc
	t0=$(date +%s%N)
	script -qec "$1" /dev/null </dev/null >"$tmp/pty"
	rc=$?
	echo $((($(date +%s%N) - t0) / 1000000)) >"$tmp/ms"
	return $rc
}

# frames: the progress lines in $tmp/pty, one per line (the \r-separated
# pieces that hold one)
frames() {
	tr '\r' '\n' <"$tmp/pty" | grep -a '^audisp-dracut: .* of .* left'
}

# --- a regular file, stderr a terminal
pty "'$PLUGIN' -c '$tmp/empty.conf' -r '$big' >/dev/null"
check "replay of $total under a terminal: exit 0" test $? -eq 0
ms=$(cat "$tmp/ms")
frames >"$tmp/frames"
n=$(grep -c '' "$tmp/frames")
check "... progress drawn ($n times in $ms ms)" test "$n" -ge 2
check "... first: nothing read yet, of the file's size" \
	test "$(head -n 1 "$tmp/frames")" = \
	"audisp-dracut: 0 B of $total (0.0 %), -, - left"$'\033[K'
num='[0-9]+(\.[0-9])?'
unit='(B|KiB|MiB|GiB)'
check "... every frame: bytes read of $total, percent, rate, time left" \
	test -z "$(grep -a -v -E "^audisp-dracut: $num $unit of $total \($num %\), ($num $unit/s|-), ([0-9]+:[0-9]{2}(:[0-9]{2})?|-) left"$'\033\\[K$' \
	"$tmp/frames")"
# a frame after the first is drawn 250 ms or more after it: by then the
# rate and the time left are known
check "... every frame after the first: a rate and a time left" \
	test -z "$(tail -n +2 "$tmp/frames" | grep -a -v -E \
	"\), $num $unit/s, [0-9]+:[0-9]{2} left")"
# bytes read in each frame, in bytes, must not go back
awk '{ v = $2; u = $3
	m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1
	printf "%d\n", v * m }' "$tmp/frames" >"$tmp/done"
check "... the bytes read never go back" sort -n -c "$tmp/done"
check "... the percent stays within 100" test -z "$(awk '{
	p = $0; sub(/.*\(/, "", p); sub(/ %.*/, "", p); if (p + 0 > 100) print }' \
	"$tmp/frames")"
check "... a few times a second, not more (250 ms apart at least)" \
	test "$n" -le $((ms / 250 + 2))
# one line: no newline from the first frame to the summary, which comes
# after the line is erased (\r ESC [ K)
before=$(grep -a -o -b 'audisp-dracut: summary of the replay' "$tmp/pty" |
	head -n 1 | cut -d: -f1)
check "... the summary follows" test -n "$before"
head -c "${before:-0}" "$tmp/pty" >"$tmp/head"
check "... all on one line, redrawn with \\r" \
	test "$(tr -cd '\n' <"$tmp/head" | wc -c)" -eq 0
check "... erased before the summary" \
	test "$(tail -c 4 "$tmp/head" | od -An -c | tr -d ' ')" = '\r033[K'
check "... the summary counts the file's bytes" grep -a -q -E \
	"^  read  *$size bytes" "$tmp/pty"

# --- standard error not a terminal (standard output one)
pty "'$PLUGIN' -c '$tmp/empty.conf' -r '$big' 2>'$tmp/err' >/dev/null"
check "stderr a file: exit 0" test $? -eq 0
check "... nothing on the terminal" test ! -s "$tmp/pty"
check "... no progress in the file" test -z "$(tr -d -c '\r' <"$tmp/err")"
check "... the summary alone" test "$(head -n 1 "$tmp/err")" = \
	"audisp-dracut: summary of the replay"

# --- standard input (-r -): from a pipe its size is not known; from a
# regular file (-r - <FILE) it is, from where the descriptor stands
pty "cat '$big' | '$PLUGIN' -c '$tmp/empty.conf' -r - >/dev/null"
check "-r - from a pipe under a terminal: exit 0" test $? -eq 0
check "... no progress" test "$(frames | grep -c '')" -eq 0
check "... the summary still" grep -a -q 'summary of the replay' "$tmp/pty"
skip=$((size / 2 / 1048576))
rest=$(human $((size - skip * 1048576)))
pty "{ dd bs=1048576 skip=$skip count=0 2>/dev/null;
	'$PLUGIN' -c '$tmp/empty.conf' -r - >/dev/null; } <'$big'"
check "-r - <FILE, $skip MiB in, under a terminal: exit 0" test $? -eq 0
check "... progress of the $rest left to read" \
	test "$(frames | head -n 1)" = \
	"audisp-dracut: 0 B of $rest (0.0 %), -, - left"$'\033[K'
# the read starts mid-line: that piece of a record is dropped, and said
# while the progress line is up. The message takes a line of its own: the
# progress line is erased first (\r ESC [ K), not written after.
check "... a message meanwhile gets a line of its own" grep -a -q \
	$'\r\033\\[Kaudisp-dracut: input line dropped' "$tmp/pty"
check "... not glued to the progress line" test -z "$(grep -a \
	$'left\033\\[K[^\r]' "$tmp/pty")"

# --- plugin mode: never
pty "'$PLUGIN' -c '$tmp/empty.conf' -o - <'$big' >/dev/null"
check "plugin mode under a terminal: exit 0" test $? -eq 0
check "... no progress, no summary" test -z "$(tr -d -c '\r' <"$tmp/pty")"

finish
