#!/usr/bin/env bash
# tests/samples.sh - replay public audit samples and broken input: no crash
#
# Run by `make check` with top_srcdir and PLUGIN set. Checks:
#  1. Every file under ../shared/audit-samples/laurel (when that directory
#     exists) replays with exit 0 and no alert (no sample runs dracut), and
#     so do the tree/ series as one stream and every sample reversed.
#  2. Under valgrind (when installed), a few of them replay with no memory
#     error and no definite leak.
#  3. Deliberately broken input (truncated lines, garbage, huge lines,
#     binary bytes, absurd argc and indexes) replays with exit 0, and
#     garbage around a real dracut start does not lose its alert; some of
#     it also under valgrind.
# Output, when there is any, must be JSON lines. Without the samples, part
# 1 and 2 are skipped: the script exits 77 if part 3 passed, 1 otherwise.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"

samples=$top_srcdir/../shared/audit-samples/laurel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An empty configuration: built-in defaults, whatever the host has in /etc.
conf=$tmp/empty.conf
: > "$conf"
chmod 600 "$conf"

# replay NAME FILE [WRAPPER...]: replay FILE to stdout; check exit 0 and
# JSON lines. The alerts are left in $tmp/out, stderr in $tmp/err.
replay() {
	local name=$1 file=$2 rc
	shift 2
	timeout 300 "$@" "$PLUGIN" -c "$conf" -r "$file" -o - \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: exit $rc"
		sed -n '1,5p' "$tmp/err" >&2
		return 1
	fi
	if ! json_valid <"$tmp/out"; then
		fail "$name: stdout is not JSON lines"
		return 1
	fi
	ok "$name"
}

# alerts: number of alert lines the last replay wrote
alerts() {
	grep -c . "$tmp/out"
}

# ------------------------------------------------------------ 1. samples
have_samples=0
if [ -d "$samples" ]; then
	have_samples=1
	while IFS= read -r f; do
		rel=${f#"$samples"/}
		if replay "sample $rel" "$f"; then
			check "sample $rel: no alert" test "$(alerts)" -eq 0
		fi
		tac "$f" >"$tmp/reversed.txt"
		replay "sample $rel, lines reversed" "$tmp/reversed.txt"
	done < <(find "$samples" -type f -name '*.txt' | LC_ALL=C sort)
	if [ -d "$samples/tree" ]; then
		find "$samples/tree" -type f -name '[0-9]*.txt' | LC_ALL=C sort |
			xargs cat >"$tmp/tree.txt"
		replay "tree/ as one stream" "$tmp/tree.txt"
	fi
	# the same stream from stdin
	if timeout 60 "$PLUGIN" -c "$conf" -r - -o - \
		<"$samples/record-execve-long.txt" >"$tmp/out" 2>"$tmp/err" &&
		json_valid <"$tmp/out"; then
		ok "record-execve-long.txt from stdin"
	else
		fail "record-execve-long.txt from stdin"
	fi
else
	echo "SKIP: no samples at $samples"
fi

# ------------------------------------------------------------ 2. valgrind
if [ "$have_samples" = 1 ] && have_valgrind; then
	for f in record-execve-long.txt shell-proc-trace-reordered.txt \
		fork-sleep-exec.txt; do
		[ -f "$samples/$f" ] || continue
		replay "valgrind $f" "$samples/$f" valgrind -q \
			--error-exitcode=1 --leak-check=full \
			--errors-for-leak-kinds=definite
	done
else
	echo "SKIP: valgrind part (no valgrind, a sanitized build, or no samples)"
fi

# ------------------------------------------------------------ 3. broken
# A well-formed stream (synthetic_stream, lib.sh): bash (pid 200) starts,
# then runs dracut (pid 300) through its #! line. Replayed alone it raises
# exactly one alert: dracut by hand, parent bash.
synthetic_stream --force >"$tmp/good.log"
if replay "good stream" "$tmp/good.log"; then
	check "good stream: one alert" test "$(alerts)" -eq 1
fi

# Lines that are not records, or records that are nonsense.
cat >"$tmp/garbage.txt" <<'LOG'
hello world
type=
type=SYSCALL
type=SYSCALL msg=audit(
type=SYSCALL msg=audit(abc.def:ghi): arch=c000003e syscall=59
type=SYSCALL msg=audit(1700000000.999): arch=c000003e syscall=59 pid=1
type=SYSCALL msg=audit(1700000000.500:17): arch=c000003e syscall=59 success=yes exit=0 ppid=x pid=-5 comm= exe=
type=SYSCALL msg=audit(1700000000.500:18): arch=zz syscall=59 success=yes
type=SYSCALL msg=audit(1700000000.500:19): arch=c000003e syscall=99999999999999999999 success=yes
type=SYSCALL msg=audit(1700000000.500:20): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 comm="x" exe=(null)
type=EXECVE msg=audit(1700000000.500:21): argc=2 a0="only an EXECVE"
type=PATH msg=audit(1700000000.500:22): item=0 name=(null)
node= type=CWD msg=audit(1700000000.500:23): cwd=
msg=audit(1700000000.500:24): no type
type=SYSCALL msg=audit(1700000000.500:25): a=b=c ==== "unterminated
=====
LOG
cat "$tmp/garbage.txt" "$tmp/good.log" "$tmp/garbage.txt" >"$tmp/garbage-good.log"
if replay "garbage around a dracut start" "$tmp/garbage-good.log"; then
	check "garbage around a dracut start: its alert is kept" \
		test "$(alerts)" -eq 1
fi
replay "garbage alone" "$tmp/garbage.txt"

# An event that will never end, between the two good ones.
{
	sed -n '1,6p' "$tmp/good.log"
	printf 'type=SYSCALL msg=audit(1700000000.900:1500): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=250 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm="half" exe="/usr/bin/ha'
	printf '\n'
	sed -n '7,$p' "$tmp/good.log"
} >"$tmp/half.log"
if replay "a cut record between two events" "$tmp/half.log"; then
	check "a cut record between two events: the alert is kept" \
		test "$(alerts)" -eq 1
fi

# Empty input, blank lines, comments.
: >"$tmp/empty.log"
replay "empty file" "$tmp/empty.log"
printf '\n\n# comment\n   \n\n' >"$tmp/blank.log"
replay "blank lines" "$tmp/blank.log"

# Truncated lines: every line of the good stream cut in half, and the file
# cut mid-line at many points.
awk '{ print substr($0, 1, int(length($0) / 2)) }' "$tmp/good.log" \
	>"$tmp/halves.log"
replay "every line cut in half" "$tmp/halves.log"
size=$(wc -c <"$tmp/good.log")
cutfail=0
for n in 1 17 100 333 700 1200 1500 2000 $((size - 1)); do
	head -c "$n" "$tmp/good.log" >"$tmp/cut.log"
	timeout 60 "$PLUGIN" -c "$conf" -r "$tmp/cut.log" -o - \
		</dev/null >"$tmp/out" 2>/dev/null || cutfail=$((cutfail + 1))
	json_valid <"$tmp/out" || cutfail=$((cutfail + 1))
done
check "the good stream cut at 9 points" test "$cutfail" -eq 0

# Huge lines: 1 MiB of one character, and a dracut exec whose argument is
# 512 KiB in hex (1 MiB of digits).
awk 'BEGIN { s = "A"; while (length(s) < 1048576) s = s s; print s }' \
	>"$tmp/huge.log"
cat "$tmp/good.log" >>"$tmp/huge.log"
replay "a 1 MiB line" "$tmp/huge.log"
{
	sed -n '1,6p' "$tmp/good.log"
	printf 'type=SYSCALL msg=audit(1700000002.000:1003): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=200 pid=301 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="dracut" exe="/usr/bin/dracut" key="exec"\n'
	printf 'type=EXECVE msg=audit(1700000002.000:1003): argc=2 a0="dracut" a1_len=1048576 a1[0]='
	awk 'BEGIN { s = "41"; while (length(s) < 1048576) s = s s; printf "%s", s }'
	printf '\n'
	printf 'type=PATH msg=audit(1700000002.000:1003): item=0 name="/usr/bin/dracut" inode=2 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n'
	printf 'type=EOE msg=audit(1700000002.000:1003):\n'
} >"$tmp/hugearg.log"
replay "a 1 MiB EXECVE argument" "$tmp/hugearg.log"

# Binary bytes: NUL, 0xff and control bytes inside records, and whole
# binary files (a compressed stream, the plugin's own first 256 KiB).
{
	printf 'type=SYSCALL msg=audit(1700000003.000:5): arch=c000003e syscall=59 \000\377\001 success=yes pid=\033[2J ppid=1\n'
	printf 'type=EXECVE msg=audit(1700000003.000:5): argc=1 a0="\377\376\000"\n'
	printf '\000\000\000\n\377\376\375\r\n\r\r\r\n'
	printf 'type=CWD msg=audit(1700000003.000:5): cwd="/\001\002"\n'
	cat "$tmp/good.log"
} >"$tmp/binary.log"
replay "binary bytes inside records" "$tmp/binary.log"
gzip -c "$tmp/good.log" >"$tmp/good.gz"
replay "a gzip file" "$tmp/good.gz"
head -c 262144 "$PLUGIN" >"$tmp/elf.bin"
replay "an ELF file" "$tmp/elf.bin"

# Absurd counts and indexes in EXECVE records of dracut execs.
{
	sed -n '1,6p' "$tmp/good.log"
	n=1003
	for args in 'argc=99999' \
		'argc=99999 a0="dracut"' \
		'argc=4294967296 a0="dracut"' \
		'argc=18446744073709551616 a0="dracut"' \
		'argc=1 a99999999999="x" a4294967295="y" a0="dracut"' \
		'argc=1 a0_len=99999999999999999999 a0[0]="dracut"' \
		'argc=1 a0_len=12 a0[4294967295]="x" a0[0]="dracut"' \
		'argc=1 a0="dracut" a0="dracut" a0[0]="x" a0_len=1' \
		'argc=-1 a-1="x"' \
		'argc=2 a0=6 a1=ZZ' \
		'argc=1 a0=64726163757400'; do
		n=$((n + 1))
		printf 'type=SYSCALL msg=audit(1700000004.000:%d): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=200 pid=%d auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="dracut" exe="/usr/bin/dracut" key="exec"\n' "$n" "$n"
		printf 'type=EXECVE msg=audit(1700000004.000:%d): %s\n' "$n" "$args"
		printf 'type=PATH msg=audit(1700000004.000:%d): item=0 name="/usr/bin/dracut" inode=2\n' "$n"
		printf 'type=EOE msg=audit(1700000004.000:%d):\n' "$n"
	done
} >"$tmp/argc.log"
replay "absurd argc and argument indexes" "$tmp/argc.log"

# 10,000 arguments over 20 EXECVE records.
{
	printf 'type=SYSCALL msg=audit(1700000005.000:2000): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=2000 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm="xargs" exe="/usr/bin/echo" key=(null)\n'
	awk 'BEGIN {
		for (r = 0; r < 20; r++) {
			printf "type=EXECVE msg=audit(1700000005.000:2000):"
			if (r == 0)
				printf " argc=10000"
			for (i = r * 500; i < (r + 1) * 500; i++)
				printf " a%d=\"arg%d\"", i, i
			printf "\n"
		}
	}'
	printf 'type=PATH msg=audit(1700000005.000:2000): item=0 name="/usr/bin/echo" inode=9\n'
	printf 'type=EOE msg=audit(1700000005.000:2000):\n'
} >"$tmp/many.log"
replay "10,000 arguments" "$tmp/many.log"

# The broken inputs again under valgrind: no memory error, no definite leak.
if have_valgrind; then
	for f in garbage-good.log binary.log argc.log half.log; do
		replay "valgrind $f" "$tmp/$f" valgrind -q --error-exitcode=1 \
			--leak-check=full --errors-for-leak-kinds=definite
	done
else
	echo "SKIP: valgrind on broken input (no valgrind, or a sanitized build)"
fi

if [ "$have_samples" = 0 ]; then
	finish || exit 1
	skip "no samples at $samples (the broken-input checks passed)"
fi
finish
