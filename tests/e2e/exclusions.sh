# exclusions.sh - e2e group: one scenario per exclusion of the rule
#
# Sourced by run.sh. Each scenario drives the real /usr/bin/dracut from the
# real-world shape of the exclusion (a kernel-install plugin, a dpkg
# postinst, run-parts, an rpm scriptlet, ...) and expects no alert, with
# the plugin's counters showing that the rule excluded it (not that the
# parent was unknown). Parents that do not exist on Debian, or cannot run
# here, are #!/bin/sh stand-ins at the path the rule names (e2e_standin);
# the files go to the namespace's overlays, never to the host. The parent
# executables added in version 7 alert under version 1: there the alert is
# checked like any other.

# e2e_none NAME NEXCL CMD...: snapshot the counters, run CMD with E2E_MARK
# set to a fresh marker, and expect no alert for it
e2e_none()
{
	local name=$1 nexcl=$2 m
	shift 2
	m=$(e2e_mark "${name//[^A-Za-z0-9]/_}")
	if ! e2e_snap; then
		e2e_fail "v$E2E_V $name: no state report from the plugin"
		return
	fi
	E2E_MARK=$m "$@" </dev/null >/dev/null 2>&1
	e2e_expect_none "v$E2E_V no alert: $name" "$m" "$nexcl"
}

# e2e_v7_parent V NAME PEXE PARGS CMD...: for the parents version 6 added:
# under v7 no alert; under v1 an alert whose parent is PEXE with args PARGS
# (a JSON array in which the string "@MARK" stands for the marker).
e2e_v7_parent()
{
	local v=$1 name=$2 pexe=$3 pargs=$4 m
	shift 4
	if [ "$v" = 7 ]; then
		e2e_none "$name" 1 "$@"
		return
	fi
	m=$(e2e_mark "${name//[^A-Za-z0-9]/_}")
	E2E_MARK=$m "$@" </dev/null >/dev/null 2>&1
	pargs=$(jq -c --arg m "$m" 'map(if . == "@MARK" then $m else . end)' \
		<<<"$pargs")
	e2e_expect_alert "v$v alert: $name (excluded only from v6 on)" "$m" \
		/usr/bin/dracut "$(dracut_args "$m")" "$pexe" "$pargs"
}

# e2e_group_exclusions V: every exclusion
e2e_group_exclusions()
{
	local v=$1 f

	# --- process.parent.executable
	# kernel-install plugins (kernel-install runs each with add KVER
	# ENTRY_DIR IMAGE); run the way kernel-install runs them.
	f=/usr/lib/kernel/install.d/50-dracut.install
	e2e_standin "$f" 'case $1 in add) dracut --help "$E2E_MARK" >/dev/null ;; esac'
	e2e_none "kernel-install plugin $f" 1 \
		"$f" add 6.1.0-e2e /boot/e2e /boot/vmlinuz-6.1.0-e2e
	f=/etc/kernel/install.d/50-dracut.install
	e2e_standin "$f" 'case $1 in add) dracut --help "$E2E_MARK" >/dev/null ;; esac'
	e2e_none "kernel-install plugin $f" 1 \
		"$f" add 6.1.0-e2e /boot/e2e /boot/vmlinuz-6.1.0-e2e
	# dpkg runs a maintainer script as: postinst configure OLD-VERSION
	f=/var/lib/dpkg/info/dracut.postinst
	e2e_standin "$f" 'set -e
if [ "$1" = configure ]; then dracut --help "$E2E_MARK" >/dev/null; fi'
	e2e_none "dpkg $f" 1 "$f" configure 059-3
	f=/tmp/newroot/usr/lib/kernel/postinst
	e2e_standin "$f"
	e2e_none "parent under /tmp/newroot ($f)" 1 "$f"
	f=/usr/lib/module-init-tools/initramfs-update
	e2e_standin "$f"
	e2e_none "parent under /usr/lib/module-init-tools ($f)" 1 "$f"

	# the six parents version 6 added; real xargs and timeout, stand-ins
	# for dkms and mkinitrd (not installed) and systemd-inhibit (needs
	# logind over D-Bus)
	e2e_v7_parent "$v" "parent /usr/bin/xargs" /usr/bin/xargs \
		'["/usr/bin/xargs","dracut","--help"]' \
		bash -c 'echo "$E2E_MARK" | /usr/bin/xargs dracut --help >/dev/null'
	e2e_v7_parent "$v" "parent /usr/bin/timeout" /usr/bin/timeout \
		'["/usr/bin/timeout","60","dracut","--help","@MARK"]' \
		bash -c '/usr/bin/timeout 60 dracut --help "$E2E_MARK" >/dev/null'
	e2e_standin /usr/sbin/dkms
	e2e_v7_parent "$v" "parent /sbin/dkms" /sbin/dkms \
		'["/bin/sh","/sbin/dkms","autoinstall"]' /sbin/dkms autoinstall
	e2e_v7_parent "$v" "parent /usr/sbin/dkms" /usr/sbin/dkms \
		'["/bin/sh","/usr/sbin/dkms","autoinstall"]' \
		/usr/sbin/dkms autoinstall
	e2e_standin /usr/sbin/mkinitrd
	e2e_v7_parent "$v" "parent /sbin/mkinitrd" /sbin/mkinitrd \
		'["/bin/sh","/sbin/mkinitrd"]' /sbin/mkinitrd
	e2e_standin /usr/bin/systemd-inhibit \
		'while [ "${1#--}" != "$1" ]; do shift; done; "$@"'
	e2e_v7_parent "$v" "parent /usr/bin/systemd-inhibit" \
		/usr/bin/systemd-inhibit \
		'["/bin/sh","/usr/bin/systemd-inhibit","--what=shutdown","dracut","--help","@MARK"]' \
		bash -c '/usr/bin/systemd-inhibit --what=shutdown dracut --help "$E2E_MARK"'

	# --- process.parent.name
	e2e_standin "$B/s/lib/dracut-install"
	e2e_none "parent named dracut-install" 1 "$B/s/lib/dracut-install"
	# Debian's shape: run-parts /etc/kernel/postinst.d runs a script
	# named dracut, which runs dracut. Two dracut execs, both excluded:
	# the script (parent run-parts) and dracut (parent named dracut).
	mkdir -p /etc/kernel/postinst.d
	e2e_standin /etc/kernel/postinst.d/dracut
	e2e_none "parent named dracut (run-parts /etc/kernel/postinst.d)" 2 \
		run-parts --arg=6.1.0-e2e --arg=/boot/vmlinuz-6.1.0-e2e \
		/etc/kernel/postinst.d
	# run-parts running dracut itself (a link in the directory)
	mkdir -p "$B/s/run-parts.d"
	ln -sf /usr/bin/dracut "$B/s/run-parts.d/dracut"
	e2e_none "parent named run-parts" 1 \
		bash -c 'run-parts --arg=--help --arg="$E2E_MARK" '"$B/s/run-parts.d"
	for f in /usr/sbin/weak-modules /usr/sbin/mkdumprd \
		/usr/sbin/new-kernel-pkg; do
		e2e_standin "$f"
		e2e_none "parent named ${f##*/}" 1 "$f"
	done
	# real sudo, without a terminal (setsid): the exec'd sudo is the parent
	if [ -u /usr/bin/sudo ]; then
		e2e_none "parent named sudo (real sudo)" 1 \
			bash -c 'setsid /usr/bin/sudo dracut --help "$E2E_MARK"'
	else
		echo "note: sudo is not installed (apt-get install sudo); using a stand-in"
		e2e_standin /usr/bin/sudo '"$@"'
		e2e_none "parent named sudo (stand-in)" 1 \
			bash -c '/usr/bin/sudo dracut --help "$E2E_MARK"'
	fi

	# --- process.parent.args
	# an rpm scriptlet: /bin/sh /var/tmp/rpm-tmp.XXXXXX 1
	f=/var/tmp/rpm-tmp.Xk3a9Q
	printf 'dracut --help "$E2E_MARK" >/dev/null\nexit 0\n' >"$f"
	e2e_none "rpm scriptlet (/bin/sh $f 1)" 1 /bin/sh "$f" 1
	# /usr/bin/dracut-rebuild among the parent's args (run as a program)
	printf '#!/bin/bash\ndracut --help "$E2E_MARK" >/dev/null\nexit 0\n' \
		>/usr/bin/dracut-rebuild
	chmod 0755 /usr/bin/dracut-rebuild
	e2e_none "parent args hold /usr/bin/dracut-rebuild" 1 \
		/usr/bin/dracut-rebuild

	# --- process.parent.command_line
	e2e_none "mkinitcpio command line (/bin/sh -c \"if command -v mkinitcpio ...\")" 1 \
		/bin/sh -c 'if command -v mkinitcpio >/dev/null 2>&1; then mkinitcpio -P; else dracut --help "$E2E_MARK" >/dev/null; fi'
}
