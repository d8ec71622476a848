#!/bin/bash
# audit4.sh - build and test the plugin against audit-userspace 4.x releases
#
# Usage: tests/audit4.sh [VERSION...]      (default: 4.0.2 4.2.1)
#        make check-audit4 [AUDIT4_VERSIONS="4.2.1"]
#
# For each VERSION:
#  1. PREFIX=/opt/audit-VERSION holds that release. When PREFIX/sbin/auditd
#     is missing, it is built there from
#     ../shared/audit-src/audit-userspace-VERSION.tar.xz with the options of
#     that directory's README (about 2 minutes at make -j2, at nice 10).
#  2. The project's release tree (make distdir, or the committed tree when
#     the source tree is not configured) is configured with
#     PKG_CONFIG_PATH=PREFIX/lib/pkgconfig and an rpath to PREFIX/lib, and
#     built: the plugin and the Check suites must load PREFIX's libauparse
#     and libaudit (ldd). An rpath, not LD_LIBRARY_PATH: auditd 4.x starts
#     its plugins with an empty environment.
#  3. make check runs with PATH=PREFIX/sbin:$PATH: the Check suites, the
#     replays and script tests, and the e2e suites under PREFIX's auditd and
#     auditctl (tests/e2e/lib.sh, audit_path); the e2e logs must name
#     that version.
# Prints one line per version, "audit4: VERSION: PASS (...)" or
# "audit4: VERSION: FAIL (...)" with the log to read, and exits 0 when
# every version passed, 1 otherwise, 77 when nothing could run (not root,
# no sources). Work files: AUDIT4_WORK (default /tmp/audisp-dracut-audit4),
# kept for the failed versions only. AUDIT4_PREFIX_ROOT (default /opt)
# moves the prefixes.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
shared=$top_srcdir/../shared
work=${AUDIT4_WORK:-/tmp/audisp-dracut-audit4}
prefix_root=${AUDIT4_PREFIX_ROOT:-/opt}
# Build jobs: the machines are shared (2 cores).
JOBS=2

[ $# -gt 0 ] || set -- 4.0.2 4.2.1
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: audit4: needs root (a prefix under $prefix_root, e2e tests)"
	exit 77
fi

# submake ARGS...: make in the build tree, outside any caller's jobserver
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -C "$top_builddir" "$@"
}

# keep_flag_table: in audit-userspace before 4.0.3 (upstream issue #390),
# lib/ and auparse/ each compile lib/gen_tables.c into the same object,
# lib/gen_flagtabs_h-gen_tables.o, with different tables. make builds lib/
# first, so its flagtabs.h is right, but auparse/ then replaces the object,
# and the next make (make install) relinks lib/'s generator from it and
# rebuilds libaudit without its filter list names: every auditctl -a rule
# then fails with EINVAL. Making both generators newer than the object
# keeps make from relinking them. Run in the source tree after make.
keep_flag_table() {
	[ -f auparse/gen_flagtabs_h ] || return 0
	touch lib/gen_flagtabs_h auparse/gen_flagtabs_h
}

# build_prefix VERSION PREFIX LOGDIR: build audit-userspace VERSION into
# PREFIX from shared/audit-src; returns 1 (the reason on stdout) if it
# cannot
build_prefix() {
	local v=$1 prefix=$2 logs=$3 tarball src
	tarball=$shared/audit-src/audit-userspace-$v.tar.xz
	if [ ! -f "$tarball" ]; then
		echo "no $tarball"
		return 1
	fi
	src=$work/audit-userspace-$v
	rm -rf "$src"
	tar -xf "$tarball" -C "$work" || { echo "cannot unpack $tarball"; return 1; }
	(
		cd "$src" &&
			nice -n 10 autoreconf -fi >"$logs/audit-autoreconf.log" 2>&1 &&
			nice -n 10 ./configure --prefix="$prefix" --without-python3 \
				--without-golang --disable-zos-remote \
				--without-libcap-ng >"$logs/audit-configure.log" 2>&1 &&
			nice -n 10 make -j"$JOBS" >"$logs/audit-make.log" 2>&1 &&
			keep_flag_table &&
			make install >"$logs/audit-install.log" 2>&1
	) || {
		echo "building audit-userspace $v failed (logs in $logs)"
		return 1
	}
	# libaudit's table of filter list names (task, exit, user, exclude,
	# filesystem): without it auditctl -a always,exit fails with EINVAL
	if ! strings -a "$prefix/lib/libaudit.so" | grep -qx filesystem; then
		echo "audit-userspace $v: libaudit lacks its filter list names"
		return 1
	fi
	rm -rf "$src"
}

# project_tree DIR: the project's release files in DIR (not configured)
project_tree() {
	if [ -f "$top_builddir/Makefile" ]; then
		submake distdir distdir="$1" >"$1.log" 2>&1
	elif git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
		mkdir -p "$1" &&
			git -C "$top_srcdir" archive --format=tar HEAD |
			tar -x -C "$1" && (cd "$1" && autoreconf -fi >/dev/null 2>&1)
	else
		echo "audit4: $top_srcdir is neither configured nor a git tree" >&2
		return 1
	fi
}

# counts LOG: "N passed, M failed, K skipped" from a test-suite.log
counts() {
	local k out=
	for k in PASS FAIL SKIP ERROR; do
		out="$out $k=$(sed -n "s/^# $k: *//p" "$1" | head -n 1)"
	done
	echo "$out" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); n[kv[1]] = kv[2] + 0 }
		printf "%d passed, %d failed, %d skipped", n["PASS"],
			n["FAIL"] + n["ERROR"], n["SKIP"] }'
}

# run_version VERSION: steps 1-3; prints the result line, returns 1 on a
# failure
run_version() {
	local v=$1 prefix=$prefix_root/audit-$1 dir=$work/$1 tree why bin lib e2e
	local start=$SECONDS
	rm -rf "$dir"
	mkdir -p "$dir"
	tree=$dir/audisp-dracut
	# the tests read shared material from ../shared, as in the tree
	[ -d "$shared" ] && ln -s "$(cd "$shared" && pwd)" "$dir/shared"
	if [ ! -x "$prefix/sbin/auditd" ] ||
	   [ ! -f "$prefix/lib/pkgconfig/auparse.pc" ]; then
		echo "audit4: $v: building audit-userspace $v into $prefix"
		if ! why=$(build_prefix "$v" "$prefix" "$dir"); then
			echo "audit4: $v: FAIL ($why)"
			return 1
		fi
	fi
	if ! project_tree "$tree"; then
		echo "audit4: $v: FAIL (cannot make the release tree; $tree.log)"
		return 1
	fi
	if ! (cd "$tree" &&
		PKG_CONFIG_PATH=$prefix/lib/pkgconfig ./configure --enable-werror \
			LDFLAGS="-Wl,-rpath,$prefix/lib" >configure.out 2>&1 &&
		nice -n 10 make -j"$JOBS" >make.out 2>&1 &&
		nice -n 10 make -j"$JOBS" check TESTS= >make-check.out 2>&1); then
		echo "audit4: $v: FAIL (build; $tree/configure.out, make.out)"
		return 1
	fi
	for bin in audisp-dracut tests/check_exec_event; do
		for lib in libauparse libaudit; do
			ldd "$tree/$bin" | grep -q "$lib\.so[.0-9]* => $prefix/lib/" &&
				continue
			echo "audit4: $v: FAIL ($bin does not load $prefix/lib/$lib)"
			ldd "$tree/$bin" | grep -E 'audit|auparse'
			return 1
		done
	done
	# auditd 4.2 and 4.2.1 hand plugins every RAW record without its last
	# 16 bytes (upstream commit 2c6409d8, after 4.2.1, fixes it): their
	# e2e tests run on ENRICHED records only.
	local format=
	case $v in
	4.2 | 4.2.1) format=ENRICHED ;;
	esac
	(cd "$tree" && PATH=$prefix/sbin:$PATH E2E_LOG_FORMAT=$format \
		make -j"$JOBS" check >check.out 2>&1)
	local rc=$?
	e2e=$(grep -h -o "auditctl version [0-9.]*" \
		"$tree"/tests/e2e/*.log 2>/dev/null | sort -u | tr '\n' ';')
	e2e=${e2e%;}
	local summary
	summary="$(counts "$tree/test-suite.log"); e2e under ${e2e:-no auditd}"
	[ -n "$format" ] && summary="$summary log_format $format only"
	summary="$summary; $((SECONDS - start)) s"
	if [ "$rc" != 0 ]; then
		echo "audit4: $v: FAIL ($summary; $tree/test-suite.log)"
		return 1
	fi
	if [ "$e2e" != "auditctl version $v" ]; then
		echo "audit4: $v: FAIL ($summary: the e2e tests did not run under auditd $v)"
		return 1
	fi
	echo "audit4: $v: PASS ($summary)"
	rm -rf "$dir"
}

mkdir -p "$work"
fail=0
for v in "$@"; do
	run_version "$v" || fail=1
done
exit $fail
