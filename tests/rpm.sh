#!/bin/sh
# rpm.sh - build the RPM from the release tarball and inspect it
#
# Run by `make check` with top_srcdir and top_builddir set. Steps:
#  1. the spec's Version is configure's, and it asks for the build
#     requirements the package needs (audit-libs-devel, json-c-devel,
#     check-devel, ...);
#  2. `make distdir` and tar make the tarball `make dist` makes, and
#     `rpmbuild -ta` builds the binary package from it;
#  3. rpm -qp lists every file with its mode, owner and flags: they must be
#     the table below, written from the spec's intent (the configuration
#     files %config(noreplace) and 0640, the alert directory 0750, ...);
#     the packaged plugins.d entry names /usr/sbin/audisp-dracut;
#  4. %post and %postun only print what to run: with stand-ins for every
#     program that could reload or restart auditd on PATH, none is called;
#  5. rpmlint on the package, the source package and the spec, with the
#     Fedora policy of tests/rpm/fedora.toml and the package's
#     audisp-dracut.rpmlintrc: no error, and every warning is explained in
#     the spec.
# The build runs with --without check (this make check runs the suite) and
# --nodeps: on Debian rpm's database holds none of the build requirements,
# whose Debian equivalents make check itself needs. Debian's brp-compress
# (which compresses the man pages) needs bash, not /bin/sh.
# Exits 77 where rpmbuild is missing; a part whose tool is missing
# (rpmlint, rpm2archive) prints SKIP.

set -u

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
SPEC=$top_srcdir/audisp-dracut.spec
LINTRC=$top_srcdir/audisp-dracut.rpmlintrc

for tool in rpmbuild rpm rpmspec make tar gzip; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (apt-get install rpm)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpm.XXXXXX") || exit 99
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# `make` run from a test inherits the jobserver of the `make check` that
# runs the test; give it a clean environment.
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -C "$top_builddir" "$@"
}

# ---------------------------------------------------------------- 1. spec
version=$(sed -n 's/^VERSION = //p' "$top_builddir/Makefile")
spec_version=$(rpmspec -q --srpm --qf '%{version}\n' "$SPEC" 2>"$tmp/rpmspec.err")
check "the spec's Version is configure's ($version)" \
	test -n "$version" -a "$spec_version" = "$version"
rpmspec -q --buildrequires "$SPEC" >"$tmp/buildrequires" 2>>"$tmp/rpmspec.err"
for req in audit-libs-devel json-c-devel check-devel libcap-ng-devel gcc \
	make pkgconfig; do
	check "BuildRequires: $req" grep -qx "$req" "$tmp/buildrequires"
done

# ---------------------------------------------------------------- 2. build
name=audisp-dracut-$version
mkdir -p "$tmp/src"
if ! submake distdir distdir="$tmp/src/$name" >"$tmp/distdir.log" 2>&1; then
	tail -20 "$tmp/distdir.log"
	fail "make distdir"
	finish
	exit 1
fi
tar -C "$tmp/src" -czf "$tmp/src/$name.tar.gz" "$name"
if rpmbuild -ta --nodeps --without check \
	--define "_topdir $tmp/rpmbuild" \
	--define "__brp_compress bash %{_rpmconfigdir}/brp-compress %{_prefix}" \
	"$tmp/src/$name.tar.gz" >"$tmp/rpmbuild.log" 2>&1; then
	ok "rpmbuild -ta $name.tar.gz"
else
	tail -40 "$tmp/rpmbuild.log"
	fail "rpmbuild -ta $name.tar.gz"
	finish
	exit 1
fi
rpm_file=$(find "$tmp/rpmbuild/RPMS" -name "audisp-dracut-$version-*.rpm" \
	! -name '*debug*' | head -n 1)
srpm_file=$(find "$tmp/rpmbuild/SRPMS" -name '*.src.rpm' | head -n 1)
check "one binary and one source package" test -f "$rpm_file" -a -f "$srpm_file"

# ---------------------------------------------------------------- 3. files
# path, mode (octal, with the file type), flags (c config, n noreplace,
# d doc, l license, - none), owner:group. The doc and licence directories
# are named without the version (Fedora) or with it (Debian's rpm): the
# version is cut off before comparing.
cat >"$tmp/files.want" <<'EOF'
/etc/audit/audisp-dracut.conf 100640 cn root:root
/etc/audit/plugins.d/audisp-dracut.conf 100640 cn root:root
/etc/audit/rules.d/40-audisp-dracut.rules 100640 cn root:root
/etc/audit/rules.d/41-audisp-dracut-lean.rules 100640 cn root:root
/etc/logrotate.d/audisp-dracut 100644 cn root:root
/usr/sbin/audisp-dracut 100755 - root:root
/usr/share/doc/audisp-dracut 40755 - root:root
/usr/share/doc/audisp-dracut/README 100644 d root:root
/usr/share/licenses/audisp-dracut 40755 - root:root
/usr/share/licenses/audisp-dracut/COPYING 100644 l root:root
/usr/share/man/man5/audisp-dracut.conf.5.gz 100644 d root:root
/usr/share/man/man8/audisp-dracut.8.gz 100644 d root:root
/var/log/audisp-dracut 40750 - root:root
EOF
# shellcheck disable=SC2016 # rpm query format, not shell
rpm -qp --qf '[%{FILENAMES} %{FILEMODES:octal} %{FILEFLAGS:fflags} %{FILEUSERNAME}:%{FILEGROUPNAME}\n]' \
	"$rpm_file" 2>"$tmp/rpmq.err" |
	grep -v '^/usr/lib/\.build-id' |
	sed -e "s|^\(/usr/share/[a-z]*/audisp-dracut\)-$version|\1|" \
	    -e 's|^\([^ ]* [0-9]*\)  |\1 - |' |
	sort >"$tmp/files.got"
if diff -u "$tmp/files.want" "$tmp/files.got" >"$tmp/files.diff"; then
	ok "files, modes, owners and config flags are the expected table"
else
	fail "files, modes, owners and config flags differ (- want, + got):"
	sed 's/^/    /' "$tmp/files.diff"
fi

if command -v rpm2archive >/dev/null 2>&1; then
	mkdir "$tmp/root"
	rpm2archive - <"$rpm_file" | tar -xzf - -C "$tmp/root"
	check "the plugins.d entry names /usr/sbin/audisp-dracut" \
		grep -qx 'path = /usr/sbin/audisp-dracut' \
		"$tmp/root/etc/audit/plugins.d/audisp-dracut.conf"
	grep -v '^path = ' "$top_srcdir/plugin/audisp-dracut.conf" \
		>"$tmp/entry.want"
	grep -v '^path = ' "$tmp/root/etc/audit/plugins.d/audisp-dracut.conf" \
		>"$tmp/entry.got"
	check "... and is the source tree's entry otherwise" \
		cmp -s "$tmp/entry.want" "$tmp/entry.got"
	check "the rules file is the source tree's" cmp -s \
		"$top_srcdir/rules.d/40-audisp-dracut.rules" \
		"$tmp/root/etc/audit/rules.d/40-audisp-dracut.rules"
	check "the lean rules file is the source tree's" cmp -s \
		"$top_srcdir/rules.d/41-audisp-dracut-lean.rules" \
		"$tmp/root/etc/audit/rules.d/41-audisp-dracut-lean.rules"
	check "the binary runs and says its version" sh -c \
		"'$tmp/root/usr/sbin/audisp-dracut' -V | grep -q '$version'"
else
	skip_part "payload checks: rpm2archive not found"
fi

# ---------------------------------------------------------------- 4. scripts
# Each scriptlet runs with $1 as rpm gives it (%post: 1 install, 2
# upgrade; %postun: 0 erase, 1 upgrade) and a PATH of stand-ins that log
# their name: nothing may reload, restart or signal auditd, nor load rules.
mkdir "$tmp/bin"
for prog in auditctl augenrules auditd service systemctl kill pkill \
	killall initctl; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/called"\n' "$prog" "$tmp" \
		>"$tmp/bin/$prog"
	chmod 0755 "$tmp/bin/$prog"
done
# run_scriptlet TAG ARG: run the package's scriptlet TAG (POSTIN, POSTUN)
# with $1 = ARG; its output in $tmp/TAG.ARG
run_scriptlet() {
	rpm -qp --qf "%{$1}" "$rpm_file" >"$tmp/$1.sh" 2>/dev/null
	PATH=$tmp/bin /bin/sh "$tmp/$1.sh" "$2" >"$tmp/$1.$2" 2>&1
}
: >"$tmp/called"
run_scriptlet POSTIN 1
run_scriptlet POSTIN 2
run_scriptlet POSTUN 0
run_scriptlet POSTUN 1
check "%post and %postun call no program (no reload, no restart)" \
	test ! -s "$tmp/called"
check "... and name none by an absolute path" sh -c \
	"! grep -Eq '(^|[^a-z])/(usr/)?s?bin/' '$tmp/POSTIN.sh' '$tmp/POSTUN.sh'"
check "%post on install says: augenrules --load, auditctl --signal reload" \
	sh -c "grep -q 'augenrules --load' '$tmp/POSTIN.1' &&
	       grep -q 'auditctl --signal reload' '$tmp/POSTIN.1'"
check "%post on upgrade says: auditctl --signal reload" \
	grep -q 'auditctl --signal reload' "$tmp/POSTIN.2"
check "%postun on erase says what to run" \
	sh -c "grep -q 'augenrules --load' '$tmp/POSTUN.0' &&
	       grep -q 'auditctl --signal reload' '$tmp/POSTUN.0'"
check "%postun on upgrade says nothing (%post did)" test ! -s "$tmp/POSTUN.1"

# ---------------------------------------------------------------- 5. rpmlint
if command -v rpmlint >/dev/null 2>&1; then
	rpmlint -c "$top_srcdir/tests/rpm/fedora.toml" -r "$LINTRC" \
		"$rpm_file" "$srpm_file" "$SPEC" >"$tmp/rpmlint.out" 2>&1
	sed -n 's/^.*[0-9] packages and .*checked; /rpmlint: /p' \
		"$tmp/rpmlint.out"
	if grep -q ' 0 errors,' "$tmp/rpmlint.out" &&
	   ! grep -q ': E: ' "$tmp/rpmlint.out"; then
		ok "rpmlint: no error"
	else
		fail "rpmlint reports errors:"
		grep ': E: ' "$tmp/rpmlint.out" | sed 's/^/    /'
	fi
	sed -n 's/^.*: W: \([a-z0-9-]*\).*/\1/p' "$tmp/rpmlint.out" | sort -u \
		>"$tmp/warnings"
	while read -r w; do
		check "rpmlint warning $w is explained in the spec" \
			grep -Eq "^#.*[ ,]$w([ ,:]|\$)" "$SPEC"
	done <"$tmp/warnings"
else
	skip_part "rpmlint: not installed (apt-get install rpmlint)"
fi

finish
