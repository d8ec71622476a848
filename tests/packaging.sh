#!/bin/sh
# packaging.sh - what `make install` puts where, man page lint, the rules file
#
# Run by `make check` with top_srcdir and top_builddir set. Checks:
#  1. `make install DESTDIR=tmp` installs exactly the expected files, with
#     the expected modes, and the plugins.d entry points at the installed
#     binary; `make uninstall DESTDIR=tmp` removes every one of them.
#  2. mandoc -T lint (and groff -ww when present) finds nothing in the man
#     pages.
#  3. rules.d/ goes through a private copy of augenrules (so the host's
#     /etc/audit is never touched): as shipped it merges the full rules
#     alone (the lean file's rules are commented out); switched to the lean
#     rules as 41-audisp-dracut-lean.rules says, it merges those alone.
#  4. As root with kernel audit available: the rules file (and its optional
#     fork rules, uncommented) loads with auditctl -R, and so do the lean
#     rules, turned on, both where they name the host's directories and
#     where they name directories that hold no dracut, under the project's
#     audit lock; the host's rules are saved first and restored after.
#     Set AUDISP_DRACUT_NO_KERNEL_AUDIT=1 to skip this part (package builds),
#     AUDISP_DRACUT_AUDIT_LOCKED=1 when the caller holds the lock already.
# A part whose tool is missing prints SKIP; the script exits 77 only when
# `make` itself is missing, 0 when every part that ran passed, 1 otherwise.

set -u

# top_srcdir, top_builddir, ok/fail/skip/skip_part/finish
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
LOCK=/tmp/audisp-dracut-audit.lock
RULES=$top_srcdir/rules.d/40-audisp-dracut.rules
LEAN=$top_srcdir/rules.d/41-audisp-dracut-lean.rules

command -v make >/dev/null 2>&1 || skip "make not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/packaging.XXXXXX") || exit 99
saved_rules=
restore_rules() {
	# Put the host's audit rules back as they were before step 4.
	[ -n "$saved_rules" ] || return 0
	auditctl -D >/dev/null 2>&1
	if ! grep -qx 'No rules' "$saved_rules"; then
		auditctl -R "$saved_rules" >/dev/null 2>&1 ||
			echo "WARNING: could not restore the host's audit rules" \
				"from $saved_rules"
	fi
	saved_rules=
}
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	restore_rules
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

# The value of a Makefile variable (fully expanded) in the build tree.
# shellcheck disable=SC2016 # $($*) is make syntax
printf 'print-%%:\n\t@printf "%%s\\n" "$($*)"\n' >"$tmp/print.mk"
mkvar() {
	submake -s -f Makefile -f "$tmp/print.mk" "print-$1"
}

mode_of() {
	stat -c %a "$1"
}

# ---------------------------------------------------------------- install
sbindir=$(mkvar sbindir)
sysconfdir=$(mkvar sysconfdir)
mandir=$(mkvar mandir)
if [ -z "$sbindir" ] || [ -z "$sysconfdir" ] || [ -z "$mandir" ]; then
	fail "cannot read sbindir/sysconfdir/mandir from" \
		"$top_builddir/Makefile"
	finish
	exit 1
fi

dest=$tmp/dest
plugin_conf=$sysconfdir/audit/plugins.d/audisp-dracut.conf
# path mode: the plugins.d entry and the plugin's own configuration are
# 0640 as audit-userspace installs its own; the rules file may be 0640 (as
# Debian's auditd ships rules.d/audit.rules) or 0644 (automake's default).
cat >"$tmp/expected" <<EOF
$sbindir/audisp-dracut 755
$plugin_conf 640
$sysconfdir/audit/audisp-dracut.conf 640
$sysconfdir/audit/rules.d/40-audisp-dracut.rules 640|644
$sysconfdir/audit/rules.d/41-audisp-dracut-lean.rules 640|644
$sysconfdir/logrotate.d/audisp-dracut 644
$mandir/man8/audisp-dracut.8 644
$mandir/man5/audisp-dracut.conf.5 644
EOF

if submake install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR"
else
	sed 's/^/  | /' "$tmp/install.log"
	fail "make install DESTDIR"
fi

# every expected file, with its mode
while read -r path modes; do
	f=$dest$path
	if [ ! -f "$f" ]; then
		fail "not installed: $path"
		continue
	fi
	m=$(mode_of "$f")
	case "|$modes|" in
	*"|$m|"*) ok "$path mode $m" ;;
	*) fail "$path has mode $m, expected $modes" ;;
	esac
done <"$tmp/expected"

# and nothing else
(cd "$dest" 2>/dev/null && find . \( -type f -o -type l \) | sed 's/^\.//' |
	LC_ALL=C sort) >"$tmp/installed"
cut -d' ' -f1 "$tmp/expected" | LC_ALL=C sort >"$tmp/expected.list"
extra=$(LC_ALL=C comm -23 "$tmp/installed" "$tmp/expected.list")
if [ -n "$extra" ]; then
	fail "unexpected files installed: $(echo "$extra" | tr '\n' ' ')"
else
	ok "no unexpected files"
fi

# the installed binary runs
if [ -x "$dest$sbindir/audisp-dracut" ] &&
	"$dest$sbindir/audisp-dracut" -V >"$tmp/version" 2>&1 &&
	grep -q '0\.1\.0\|[0-9]\.[0-9]' "$tmp/version"; then
	ok "installed binary: $(head -n1 "$tmp/version")"
else
	fail "installed audisp-dracut -V did not print a version"
fi

# the plugins.d entry: what auditd needs, pointing at the installed binary
conf_value() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" \
		"$dest$plugin_conf"
}
if [ -f "$dest$plugin_conf" ]; then
	for kv in active=yes direction=out type=always format=string \
		"path=$sbindir/audisp-dracut"; do
		k=${kv%%=*}
		want=${kv#*=}
		got=$(conf_value "$k")
		if [ "$got" = "$want" ]; then
			ok "plugins.d: $k = $got"
		else
			fail "plugins.d: $k = '$got', expected '$want'"
		fi
	done
fi

# logrotate accepts its snippet (dry run, private state file)
lr=$dest$sysconfdir/logrotate.d/audisp-dracut
if ! command -v logrotate >/dev/null 2>&1; then
	skip_part "logrotate not found: snippet not checked"
elif [ -f "$lr" ]; then
	if logrotate -d -s "$tmp/logrotate.state" "$lr" >"$tmp/lr.log" 2>&1 &&
		! grep -qi 'error' "$tmp/lr.log"; then
		ok "logrotate -d accepts the snippet"
	else
		sed 's/^/  | /' "$tmp/lr.log"
		fail "logrotate -d rejects the snippet"
	fi
fi

# ---------------------------------------------------------------- uninstall
if submake uninstall DESTDIR="$dest" >"$tmp/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR"
else
	sed 's/^/  | /' "$tmp/uninstall.log"
	fail "make uninstall DESTDIR"
fi
left=$(cd "$dest" 2>/dev/null && find . \( -type f -o -type l \) |
	sed 's/^\.//')
if [ -n "$left" ]; then
	fail "left after uninstall: $(echo "$left" | tr '\n' ' ')"
else
	ok "uninstall leaves no files"
fi

# ---------------------------------------------------------------- man pages
for page in "$top_srcdir/man/audisp-dracut.8" \
	"$top_srcdir/man/audisp-dracut.conf.5"; do
	name=${page##*/}
	if command -v mandoc >/dev/null 2>&1; then
		# -W all: style messages too; any output is a finding
		if out=$(mandoc -T lint -W all "$page" 2>&1) &&
			[ -z "$out" ]; then
			ok "mandoc -T lint $name"
		else
			echo "$out" | sed 's/^/  | /'
			fail "mandoc -T lint $name"
		fi
	else
		skip_part "mandoc not found: $name not linted"
	fi
	if command -v groff >/dev/null 2>&1; then
		out=$(LC_ALL=C.UTF-8 groff -ww -b -z -man -Tutf8 "$page" 2>&1)
		if [ -z "$out" ]; then
			ok "groff -ww $name"
		else
			echo "$out" | sed 's/^/  | /'
			fail "groff -ww $name"
		fi
	else
		skip_part "groff not found: $name not rendered"
	fi
done

# ---------------------------------------------------------------- rules
# The two rules the plugin needs, as auditctl -l prints them once loaded.
cat >"$tmp/rules.expected" <<'EOF'
-a always,exit -F arch=b64 -S execve,execveat -F key=audisp-dracut
-a always,exit -F arch=b32 -S execve,execveat -F key=audisp-dracut
EOF
# The same file with its optional fork rules uncommented.
sed 's/^#-a /-a /' "$RULES" >"$tmp/fork.rules"
chmod 0600 "$tmp/fork.rules"
if cmp -s "$RULES" "$tmp/fork.rules"; then
	fail "no optional (commented) rules found in ${RULES##*/}"
fi
# The lean rules, turned on as the file's comments say, and as auditctl -l
# prints them: dracut's four paths, for 64-bit and for 32-bit programs.
sed 's/^#-a /-a /' "$LEAN" >"$tmp/lean.rules"
chmod 0600 "$tmp/lean.rules"
for arch in b64 b32; do
	for p in /usr/bin/dracut /usr/sbin/dracut /bin/dracut /sbin/dracut; do
		echo "-a always,exit -F arch=$arch -S execve,execveat -F path=$p -F key=audisp-dracut"
	done
done >"$tmp/lean.expected"

# augenrules on a private copy: its rules.d and audit.rules paths are fixed
# in the script, so they are rewritten to point into $tmp.
augenrules=$(command -v augenrules 2>/dev/null ||
	{ [ -x /usr/sbin/augenrules ] && echo /usr/sbin/augenrules; } ||
	{ [ -x /sbin/augenrules ] && echo /sbin/augenrules; })
if [ -z "$augenrules" ]; then
	skip_part "augenrules not found"
else
	mkdir -p "$tmp/rules.d"
	cp "$RULES" "$LEAN" "$tmp/rules.d/"
	sed -e "s|^DestinationFile=.*|DestinationFile=$tmp/audit.rules|" \
		-e "s|^SourceRulesDir=.*|SourceRulesDir=$tmp/rules.d|" \
		-e 's|^\([[:space:]]*\)/sbin/auditctl |\1false |' \
		"$augenrules" >"$tmp/augenrules"
	if grep -q "^SourceRulesDir=$tmp/rules.d\$" "$tmp/augenrules" &&
		grep -q "^DestinationFile=$tmp/audit.rules\$" "$tmp/augenrules"; then
		out=$(sh "$tmp/augenrules" --check 2>&1)
		rc=$?
		echo "  | augenrules --check: $out (exit $rc)"
		# --check only says whether the merged file would change; here
		# there is no audit.rules yet, so it must say it would.
		if [ $rc -eq 0 ] && echo "$out" | grep -q 'should be updated'; then
			ok "augenrules --check"
		else
			fail "augenrules --check"
		fi
		# a real merge writes both rules, in order, and nothing else but
		# its header comment and the blank -D/-b/-f/-e slots: the lean
		# file, as shipped, adds nothing
		cat >"$tmp/merged.expected" <<'EOF'
-a always,exit -F arch=b64 -S execve,execveat -k audisp-dracut
-a always,exit -F arch=b32 -S execve,execveat -k audisp-dracut
EOF
		if sh "$tmp/augenrules" >"$tmp/augenrules.log" 2>&1 &&
			grep -v -e '^#' -e '^$' "$tmp/audit.rules" >"$tmp/merged" &&
			cmp -s "$tmp/merged" "$tmp/merged.expected"; then
			ok "augenrules merges the rules file"
		else
			sed 's/^/  | /' "$tmp/augenrules.log" "$tmp/audit.rules"
			fail "augenrules merge"
		fi
		# the switch to the lean rules that 41-audisp-dracut-lean.rules
		# describes: the full rules commented out, the lean ones on
		(cd "$tmp/rules.d" &&
			sed -i 's/^-a /#-a /' 40-audisp-dracut.rules &&
			sed -i 's/^#-a /-a /' 41-audisp-dracut-lean.rules)
		sed 's/ -F key=/ -k /' "$tmp/lean.expected" >"$tmp/merged.expected"
		if sh "$tmp/augenrules" >"$tmp/augenrules.log" 2>&1 &&
			grep -v -e '^#' -e '^$' "$tmp/audit.rules" >"$tmp/merged" &&
			cmp -s "$tmp/merged" "$tmp/merged.expected"; then
			ok "augenrules merges the lean rules alone after the switch"
		else
			sed 's/^/  | /' "$tmp/augenrules.log" "$tmp/audit.rules"
			fail "augenrules merge after the switch to the lean rules"
		fi
	else
		skip_part "augenrules has an unexpected layout; not checked"
	fi
fi

# lean_load: the lean rules load with auditctl -R where they name the
# host's directories (whether or not dracut is there), and where they name
# directories that exist but hold no dracut at all (a host without it)
lean_load() {
	auditctl -D >/dev/null
	if auditctl -R "$tmp/lean.rules" >"$tmp/load.log" 2>&1 &&
		auditctl -l >"$tmp/loaded" 2>&1 &&
		cmp -s "$tmp/loaded" "$tmp/lean.expected"; then
		ok "auditctl -R the lean rules (dracut here:$(
			for d in /usr/bin /usr/sbin /bin /sbin; do
				[ -e "$d/dracut" ] && printf ' %s' "$d/dracut"
			done))"
	else
		sed 's/^/  | /' "$tmp/load.log" "$tmp/loaded"
		fail "auditctl -R the lean rules"
	fi
	auditctl -D >/dev/null
	mkdir -p "$tmp/nodracut/usr/bin" "$tmp/nodracut/usr/sbin" \
		"$tmp/nodracut/bin" "$tmp/nodracut/sbin"
	sed "s| -F path=/| -F path=$tmp/nodracut/|" "$tmp/lean.rules" \
		>"$tmp/nodracut.rules"
	chmod 0600 "$tmp/nodracut.rules"
	if auditctl -R "$tmp/nodracut.rules" >"$tmp/load.log" 2>&1 &&
		[ "$(auditctl -l | grep -c " -F path=$tmp/nodracut/")" -eq 8 ]; then
		ok "auditctl -R the lean rules where no dracut is installed"
	else
		sed 's/^/  | /' "$tmp/load.log"
		fail "auditctl -R the lean rules where no dracut is installed"
	fi
	auditctl -D >/dev/null
}

# auditctl -R on the kernel, under the lock
if [ "${AUDISP_DRACUT_NO_KERNEL_AUDIT:-0}" = 1 ]; then
	skip_part "kernel audit disabled by AUDISP_DRACUT_NO_KERNEL_AUDIT=1"
elif [ "$(id -u)" -ne 0 ]; then
	skip_part "not root: rules not loaded with auditctl"
elif ! command -v auditctl >/dev/null 2>&1; then
	skip_part "auditctl not found"
elif ! command -v flock >/dev/null 2>&1; then
	skip_part "flock not found"
else
	# AUDISP_DRACUT_AUDIT_LOCKED=1: the caller already holds the lock
	exec 9>"$LOCK"
	if [ "${AUDISP_DRACUT_AUDIT_LOCKED:-0}" != 1 ] && ! flock -w 900 9; then
		fail "could not take $LOCK"
	elif ! auditctl -s >"$tmp/status" 2>&1; then
		skip_part "kernel audit not available: $(head -n1 "$tmp/status")"
	elif grep -qx 'enabled 2' "$tmp/status"; then
		skip_part "audit rules are immutable (enabled 2)"
	else
		saved_rules=$tmp/saved.rules
		if ! auditctl -l >"$saved_rules" 2>&1; then
			fail "auditctl -l"
			saved_rules=
		else
			echo "  | host rules saved: $(grep -vcx 'No rules' \
				"$saved_rules") rule(s)"
			# auditctl wants a root-owned file others cannot write
			cp "$RULES" "$tmp/plain.rules"
			chmod 0600 "$tmp/plain.rules"
			auditctl -D >/dev/null
			if auditctl -R "$tmp/plain.rules" >"$tmp/load.log" 2>&1 &&
				auditctl -l >"$tmp/loaded" 2>&1 &&
				cmp -s "$tmp/loaded" "$tmp/rules.expected"; then
				ok "auditctl -R ${RULES##*/}"
			else
				sed 's/^/  | /' "$tmp/load.log" "$tmp/loaded"
				fail "auditctl -R ${RULES##*/}"
			fi
			auditctl -D >/dev/null
			if auditctl -R "$tmp/fork.rules" >"$tmp/load.log" 2>&1 &&
				auditctl -l >"$tmp/loaded" 2>&1 &&
				[ "$(grep -c 'fork' "$tmp/loaded")" -eq 2 ] &&
				[ "$(grep -c '^-a never,exit .*-S clone -F a0&0x10000$' \
					"$tmp/loaded")" -eq 2 ]; then
				ok "auditctl -R with the optional fork rules"
			else
				sed 's/^/  | /' "$tmp/load.log" "$tmp/loaded"
				fail "auditctl -R with the optional fork rules"
			fi
			lean_load
			restore_rules
			auditctl -l >"$tmp/after" 2>&1
			if cmp -s "$tmp/after" "$tmp/saved.rules"; then
				ok "host audit rules restored"
			else
				fail "host audit rules differ after the test"
			fi
		fi
	fi
	exec 9>&-
fi

finish
