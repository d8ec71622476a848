#!/bin/sh
# deb.sh - build the Debian package, lint it, install it, remove and purge it
#
# Not run by `make check` (it builds the whole tree again and installs a
# package on the host); .ci/run calls it as root. Steps:
#  1. copy the source tree (tracked and untracked files, not ignored build
#     output) to a temporary directory and run `dpkg-buildpackage -us -uc
#     -b` there; the package's own `make check` runs inside;
#  2. lintian -I --pedantic on the .changes: any E: or W: fails;
#  3. dpkg -i: every file in place with its mode, the conffiles registered,
#     the program runs and accepts its shipped configuration, augenrules
#     --check accepts the rules directory, the directories auditd owns keep
#     their modes; a private auditd (under the audit lock) starts the
#     installed plugin from its installed plugins.d entry, the plugin drops
#     its capabilities, and stops with auditd;
#  4. dpkg -r: the program and man pages are gone, the conffiles kept;
#  5. dpkg -P: the conffiles and /var/log/audisp-dracut are gone too.
# The package is installed only if it is not installed already, auditd is
# never reloaded, and an EXIT trap purges what the test installed.
# Exit 0 when everything passed, 1 on a failure, 77 when a tool, root or
# auditd is missing.

set -u

# top_srcdir, ok/fail/skip/finish, write_auditd_conf
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
PKG=audisp-dracut

for tool in dpkg-buildpackage dpkg-checkbuilddeps dpkg-parsechangelog lintian \
	dpkg dpkg-query rsync; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
[ "$(id -u)" -eq 0 ] || skip "not root: cannot install the package"
[ -f "$top_srcdir/debian/control" ] || skip "no debian/ in $top_srcdir"

status_of() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null
}
[ "$(status_of auditd)" = installed ] ||
	skip "auditd is not installed (the package depends on it)"
case "$(status_of $PKG)" in
"" | not-installed) ;;
*) skip "$PKG is already installed on this host; not touching it" ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/deb.XXXXXX") || exit 99
installed_by_us=0
auditd_pid=
audit_enabled_before=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	stop_auditd
	if [ "$installed_by_us" = 1 ]; then
		dpkg -P "$PKG" >/dev/null 2>&1 ||
			echo "WARNING: could not purge $PKG"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# Stop the private auditd started below (by its pid), and put the
# kernel's audit enabled flag back.
stop_auditd() {
	if [ -n "$auditd_pid" ]; then
		kill -TERM "$auditd_pid" 2>/dev/null
		i=0
		while kill -0 "$auditd_pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$auditd_pid" 2>/dev/null
		wait "$auditd_pid" 2>/dev/null
		auditd_pid=
	fi
	if [ -n "$audit_enabled_before" ]; then
		auditctl -e "$audit_enabled_before" >/dev/null 2>&1
		audit_enabled_before=
	fi
}

version=$(dpkg-parsechangelog -l "$top_srcdir/debian/changelog" -S Version)
src=$tmp/$PKG-$version

# ---------------------------------------------------------------- build
mkdir -p "$src"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top_srcdir" ls-files -z --cached --others --exclude-standard |
		rsync -a --from0 --files-from=- --ignore-missing-args \
			"$top_srcdir/" "$src/"
else
	rsync -a --exclude .git "$top_srcdir/" "$src/"
fi
# dpkg-buildpackage would stop on the first missing build dependency;
# name them all, and skip, so that the caller knows what to install.
if ! (cd "$src" && dpkg-checkbuilddeps) >"$tmp/deps.log" 2>&1; then
	sed 's/^/  | /' "$tmp/deps.log"
	skip "build dependencies missing (apt-get install them, see above)"
fi
echo "  | building $PKG $version in $src"
if (cd "$src" &&
	DEB_BUILD_OPTIONS="parallel=$(nproc 2>/dev/null || echo 1) ${DEB_BUILD_OPTIONS:-}" \
		dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	tail -n 60 "$tmp/build.log" | sed 's/^/  | /'
	fail "dpkg-buildpackage -us -uc -b (log above)"
	finish
	exit 1
fi
arch=$(dpkg --print-architecture)
deb=$tmp/${PKG}_${version}_$arch.deb
changes=$tmp/${PKG}_${version}_$arch.changes
[ -f "$deb" ] || fail "no $deb"
grep -E '^(PASS|FAIL|SKIP|ERROR|XFAIL|XPASS|# [A-Z]+:)' "$tmp/build.log" |
	sed 's/^/  | make check: /'

# ---------------------------------------------------------------- lintian
lintian -I --pedantic "$changes" >"$tmp/lintian.log" 2>&1
grep -v 'running with root privileges' "$tmp/lintian.log" | sed 's/^/  | /'
if grep -q '^[EW]: ' "$tmp/lintian.log"; then
	fail "lintian: errors or warnings"
else
	ok "lintian -I --pedantic: no E: or W:"
fi

# ---------------------------------------------------------------- install
mode_of() {
	stat -c %a "$1"
}
# the directories auditd owns, before we install into them
for d in /etc/audit /etc/audit/plugins.d /etc/audit/rules.d; do
	[ -d "$d" ] && echo "$d $(mode_of "$d")"
done >"$tmp/dirmodes.before"

if dpkg -i "$deb" >"$tmp/install.log" 2>&1; then
	installed_by_us=1
	ok "dpkg -i"
else
	installed_by_us=1
	sed 's/^/  | /' "$tmp/install.log"
	fail "dpkg -i"
fi
if [ "$(status_of $PKG)" = installed ]; then
	ok "status installed"
else
	fail "status is '$(status_of $PKG)' after dpkg -i"
fi

# path mode (a directory when the mode ends in /)
cat >"$tmp/files" <<'EOF'
/usr/sbin/audisp-dracut 755
/etc/audit/plugins.d/audisp-dracut.conf 640
/etc/audit/audisp-dracut.conf 640
/etc/audit/rules.d/40-audisp-dracut.rules 640
/etc/audit/rules.d/41-audisp-dracut-lean.rules 640
/etc/logrotate.d/audisp-dracut 644
/usr/share/man/man8/audisp-dracut.8.gz 644
/usr/share/man/man5/audisp-dracut.conf.5.gz 644
/usr/share/doc/audisp-dracut/copyright 644
/usr/share/doc/audisp-dracut/README.Debian 644
/var/log/audisp-dracut 750/
EOF
while read -r path mode; do
	case $mode in
	*/) test -d "$path" ;;
	*) test -f "$path" ;;
	esac || {
		fail "missing after install: $path"
		continue
	}
	m=$(mode_of "$path")
	if [ "$m" = "${mode%/}" ] && [ "$(stat -c %U:%G "$path")" = root:root ]; then
		ok "$path root:root $m"
	else
		fail "$path is $(stat -c %U:%G "$path") $m, expected root:root ${mode%/}"
	fi
done <"$tmp/files"

conffiles=$(dpkg-query -W -f='${Conffiles}\n' $PKG | awk 'NF {print $1}' |
	LC_ALL=C sort | tr '\n' ' ')
want="/etc/audit/audisp-dracut.conf /etc/audit/plugins.d/audisp-dracut.conf \
/etc/audit/rules.d/40-audisp-dracut.rules \
/etc/audit/rules.d/41-audisp-dracut-lean.rules /etc/logrotate.d/audisp-dracut "
if [ "$conffiles" = "$want" ]; then
	ok "conffiles: $conffiles"
else
	fail "conffiles are '$conffiles', expected '$want'"
fi

if out=$(/usr/sbin/audisp-dracut -V 2>&1) &&
	[ "$out" = "audisp-dracut ${version%%-*}" ]; then
	ok "audisp-dracut -V: $out"
else
	fail "audisp-dracut -V printed '$out'"
fi
if out=$(/usr/sbin/audisp-dracut --check-config 2>&1); then
	ok "the shipped configuration is valid: $out"
else
	echo "$out" | sed 's/^/  | /'
	fail "audisp-dracut --check-config on the shipped configuration"
fi
if command -v man >/dev/null 2>&1; then
	if [ "$(man -w 8 audisp-dracut 2>/dev/null)" = \
		/usr/share/man/man8/audisp-dracut.8.gz ] &&
		[ "$(man -w 5 audisp-dracut.conf 2>/dev/null)" = \
			/usr/share/man/man5/audisp-dracut.conf.5.gz ]; then
		ok "man finds both pages"
	else
		fail "man -w does not find the installed pages"
	fi
fi
# augenrules --check reads rules.d and compares with audit.rules; it
# writes nothing (only a temporary file of its own).
if command -v augenrules >/dev/null 2>&1; then
	out=$(augenrules --check 2>&1)
	rc=$?
	echo "  | augenrules --check: $out (exit $rc)"
	if [ $rc -eq 0 ] && echo "$out" | grep -q \
		-e 'Rules have changed and should be updated' -e 'No change'; then
		ok "augenrules --check with the rules installed"
	else
		fail "augenrules --check"
	fi
fi
for d in /etc/audit /etc/audit/plugins.d /etc/audit/rules.d; do
	[ -d "$d" ] && echo "$d $(mode_of "$d")"
done >"$tmp/dirmodes.after"
if cmp -s "$tmp/dirmodes.before" "$tmp/dirmodes.after"; then
	ok "auditd's directories keep their modes ($(tr '\n' ' ' \
		<"$tmp/dirmodes.after"))"
else
	fail "auditd's directory modes changed: $(tr '\n' ' ' \
		<"$tmp/dirmodes.before") -> $(tr '\n' ' ' <"$tmp/dirmodes.after")"
fi

# the upgrade path (postrm upgrade, conffile handling): install over itself,
# with a local change to a conffile that must survive
echo '# local change' >>/etc/audit/audisp-dracut.conf
if dpkg -i "$deb" >"$tmp/reinstall.log" 2>&1 &&
	[ "$(status_of $PKG)" = installed ]; then
	ok "dpkg -i over the installed package"
else
	sed 's/^/  | /' "$tmp/reinstall.log"
	fail "dpkg -i over the installed package"
fi
if tail -n1 /etc/audit/audisp-dracut.conf | grep -qx '# local change' &&
	[ "$(mode_of /etc/audit/audisp-dracut.conf)" = 640 ]; then
	ok "a changed conffile is kept, mode 640"
else
	fail "the local change to /etc/audit/audisp-dracut.conf was lost"
fi

# ---------------------------------------------------------------- auditd
# A private auditd (auditd -n -c DIR) whose plugin_dir holds the installed
# plugins.d entry, unchanged: auditd must accept it and start the installed
# program, which must drop to CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, and
# stop when auditd stops. No audit rule is loaded. Under the audit lock.
LOCK=/tmp/audisp-dracut-audit.lock
under_auditd() {
	for t in auditd auditctl flock pgrep; do
		if ! command -v $t >/dev/null 2>&1; then
			echo "SKIP: $t not found: the plugin was not run under auditd"
			return 0
		fi
	done
	exec 8>"$LOCK"
	if ! flock -w 900 8; then
		fail "could not take $LOCK"
		return 0
	fi
	if ! st=$(auditctl -s 2>&1); then
		echo "SKIP: kernel audit not available: not run under auditd"
		return 0
	fi
	owner=$(echo "$st" | awk '$1 == "pid" { print $2 }')
	if [ -n "$owner" ] && [ "$owner" != 0 ] && kill -0 "$owner" 2>/dev/null; then
		echo "SKIP: an audit daemon (pid $owner) owns the audit socket"
		return 0
	fi
	audit_enabled_before=$(echo "$st" | awk '$1 == "enabled" { print $2 }')
	d=$tmp/auditd
	write_auditd_conf "$d" ENRICHED 8 2000
	cp -p /etc/audit/plugins.d/audisp-dracut.conf "$d/plugins/"
	auditd -n -c "$d" >"$d/auditd.out" 2>&1 &
	auditd_pid=$!
	plugin=
	i=0
	while [ -z "$plugin" ] && [ $i -lt 100 ] &&
		kill -0 "$auditd_pid" 2>/dev/null; do
		sleep 0.1
		plugin=$(pgrep -P "$auditd_pid" -x audisp-dracut | head -n1)
		i=$((i + 1))
	done
	if [ -z "$plugin" ]; then
		sed 's/^/  | /' "$d/auditd.out"
		fail "auditd did not start /usr/sbin/audisp-dracut from the" \
			"installed plugins.d entry"
		stop_auditd
		return 0
	fi
	ok "auditd started the installed plugin (pid $plugin)"
	# let it finish start-up (the capability drop) before looking
	sleep 1
	exe=$(readlink "/proc/$plugin/exe")
	capeff=$(awk '$1 == "CapEff:" { print $2 }' "/proc/$plugin/status")
	capprm=$(awk '$1 == "CapPrm:" { print $2 }' "/proc/$plugin/status")
	if [ "$exe" = /usr/sbin/audisp-dracut ]; then
		ok "it runs /usr/sbin/audisp-dracut"
	else
		fail "the plugin runs '$exe'"
	fi
	# CAP_DAC_READ_SEARCH is bit 2, CAP_SYS_PTRACE bit 19: 0x80004
	if [ "$capeff" = 0000000000080004 ] && [ "$capprm" = 0000000000080004 ]; then
		ok "capabilities dropped to dac_read_search,sys_ptrace ($capeff)"
	else
		fail "capabilities after start-up: CapEff $capeff CapPrm $capprm," \
			"expected 0000000000080004"
	fi
	stop_auditd
	i=0
	while kill -0 "$plugin" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$plugin" 2>/dev/null; then
		fail "the plugin (pid $plugin) outlived auditd"
		kill -KILL "$plugin" 2>/dev/null
	else
		ok "the plugin stopped with auditd"
	fi
}
under_auditd
exec 8>&- # release the audit lock, whichever way under_auditd returned

# ---------------------------------------------------------------- remove
# a file the plugin would have written, so that purge has one to delete
echo '{}' >/var/log/audisp-dracut/alerts.json
if dpkg -r $PKG >"$tmp/remove.log" 2>&1; then
	ok "dpkg -r"
else
	sed 's/^/  | /' "$tmp/remove.log"
	fail "dpkg -r"
fi
if [ "$(status_of $PKG)" = config-files ]; then
	ok "status config-files"
else
	fail "status is '$(status_of $PKG)' after dpkg -r"
fi
for path in /usr/sbin/audisp-dracut /usr/share/man/man8/audisp-dracut.8.gz \
	/usr/share/man/man5/audisp-dracut.conf.5.gz \
	/usr/share/doc/audisp-dracut/copyright; do
	if [ -e "$path" ]; then
		fail "left after dpkg -r: $path"
	else
		ok "removed by dpkg -r: $path"
	fi
done
for path in /etc/audit/plugins.d/audisp-dracut.conf \
	/etc/audit/audisp-dracut.conf /etc/audit/rules.d/40-audisp-dracut.rules \
	/etc/audit/rules.d/41-audisp-dracut-lean.rules \
	/etc/logrotate.d/audisp-dracut; do
	if [ -f "$path" ]; then
		ok "conffile kept by dpkg -r: $path"
	else
		fail "conffile lost by dpkg -r: $path"
	fi
done

# ---------------------------------------------------------------- purge
if dpkg -P $PKG >"$tmp/purge.log" 2>&1; then
	installed_by_us=0
	ok "dpkg -P"
else
	sed 's/^/  | /' "$tmp/purge.log"
	fail "dpkg -P"
fi
case "$(status_of $PKG)" in
"" | not-installed) ok "status not-installed" ;;
*) fail "status is '$(status_of $PKG)' after dpkg -P" ;;
esac
for path in /etc/audit/plugins.d/audisp-dracut.conf \
	/etc/audit/audisp-dracut.conf /etc/audit/rules.d/40-audisp-dracut.rules \
	/etc/audit/rules.d/41-audisp-dracut-lean.rules \
	/etc/logrotate.d/audisp-dracut /var/log/audisp-dracut \
	/usr/share/doc/audisp-dracut; do
	if [ -e "$path" ]; then
		fail "left after dpkg -P: $path"
	else
		ok "removed by dpkg -P: $path"
	fi
done
for d in /etc/audit /etc/audit/plugins.d /etc/audit/rules.d; do
	[ -d "$d" ] && echo "$d $(mode_of "$d")"
done >"$tmp/dirmodes.purged"
if cmp -s "$tmp/dirmodes.before" "$tmp/dirmodes.purged"; then
	ok "auditd's directories still there after purge"
else
	fail "auditd's directories changed by purge"
fi

finish
