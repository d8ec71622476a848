# boundaries.sh - e2e group: the edges of the rule and of the plugin
#
# Sourced by run.sh. Case variants (like~ on the parent executable in v1,
# like in v7; `in` on names is case-sensitive in both; like~ on args and on
# the command line in both), near misses of the exclusion patterns, names
# that only resemble dracut, a failed exec, and a 20,000+ byte argument
# that the alert must carry intact.

# e2e_alert_cmd V NAME PEXE PARGS CMD...: run CMD with E2E_MARK set and
# expect one alert for /usr/bin/dracut --help MARKER whose parent is PEXE
# with args PARGS (JSON; "@MARK" stands for the marker)
e2e_alert_cmd()
{
	local v=$1 name=$2 pexe=$3 pargs=$4 m
	shift 4
	m=$(e2e_mark "${name//[^A-Za-z0-9]/_}")
	E2E_MARK=$m "$@" </dev/null >/dev/null 2>&1
	pargs=$(jq -c --arg m "$m" 'map(if . == "@MARK" then $m else . end)' \
		<<<"$pargs")
	e2e_expect_alert "v$v alert: $name" "$m" /usr/bin/dracut \
		"$(dracut_args "$m")" "$pexe" "$pargs"
}

# e2e_group_boundaries V
e2e_group_boundaries()
{
	local v=$1 f n m big cmd pid

	# parent executable in another case: like~ (v1) excludes it, like
	# (v7) does not
	f=/usr/lib/Kernel/install.d/50-dracut.install
	e2e_standin "$f" 'case $1 in add) dracut --help "$E2E_MARK" >/dev/null ;; esac'
	if [ "$v" = 1 ]; then
		e2e_none "case variant $f (like~)" 1 "$f" add 6.1.0-e2e
	else
		e2e_alert_cmd "$v" "case variant $f (like is case-sensitive)" \
			"$f" "[\"/bin/sh\",\"$f\",\"add\",\"6.1.0-e2e\"]" \
			"$f" add 6.1.0-e2e
	fi
	# parent names in another case: `in` is case-sensitive in both
	for n in Run-Parts SUDO Dracut; do
		f=$B/s/case/$n
		e2e_standin "$f"
		e2e_alert_cmd "$v" "parent named $n (in is case-sensitive)" \
			"$f" "[\"/bin/sh\",\"$f\"]" "$f"
	done
	# parent args in another case: like~ in both versions
	f=/var/tmp/RPM-TMP.Ab12Cd
	printf 'dracut --help "$E2E_MARK" >/dev/null\nexit 0\n' >"$f"
	e2e_none "rpm scriptlet in capitals ($f, like~)" 1 /bin/sh "$f" 1
	# near miss: the pattern's "." is literal, so rpm-tmpX... is no match
	f=/var/tmp/rpm-tmpXk3a9Q
	printf 'dracut --help "$E2E_MARK" >/dev/null\nexit 0\n' >"$f"
	e2e_alert_cmd "$v" "near miss /bin/sh $f 1 (literal .)" /bin/sh \
		"[\"/bin/sh\",\"$f\",\"1\"]" /bin/sh "$f" 1
	# the mkinitcpio command line with argv[0] in capitals (like~)
	cmd='if command -v mkinitcpio >/dev/null 2>&1; then mkinitcpio -P; else dracut --help "$E2E_MARK" >/dev/null; fi'
	e2e_none "mkinitcpio command line as /BIN/SH (like~)" 1 \
		bash -c 'exec -a /BIN/SH /bin/sh -c "$0"' "$cmd"
	# near miss: one more space after -c, so the command line does not
	# start with "/bin/sh -c if command -v mkinitcpio"
	e2e_alert_cmd "$v" "near miss mkinitcpio command line (extra space)" \
		/bin/sh "$(jarr /bin/sh -c " $cmd")" /bin/sh -c " $cmd"

	# names that only resemble dracut: copies of the real one; no
	# candidate at all (process.name == "dracut" is case-sensitive)
	mkdir -p "$B/s/resemble"
	for n in Dracut dracut.sh xdracut dracut-ng; do
		cp /usr/bin/dracut "$B/s/resemble/$n"
	done
	e2e_none "names that only resemble dracut (Dracut, dracut.sh, xdracut, dracut-ng)" 0 \
		bash -c 'for n in Dracut dracut.sh xdracut dracut-ng; do '"$B"'/s/resemble/$n --help "$E2E_MARK"; done'

	# a failed exec: a file named dracut without the x bit (EACCES)
	mkdir -p "$B/s/noexec"
	cp /usr/bin/dracut "$B/s/noexec/dracut"
	chmod 0644 "$B/s/noexec/dracut"
	e2e_none "failed exec of $B/s/noexec/dracut (EACCES)" 0 \
		bash -c "$B"'/s/noexec/dracut --help "$E2E_MARK"; true'

	# an argument of 20,000+ bytes, with spaces and quotes (hex-encoded
	# and split over several EXECVE records), carried intact
	m=$(e2e_mark long-arg)
	big="$(head -c 15360 /dev/urandom | base64 -w 0) a \"quoted\" tail"
	cmd='dracut --help "$E2E_MARK" "$BIG" >/dev/null; true'
	E2E_MARK=$m BIG=$big /usr/bin/bash -c "$cmd" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$v alert: argument of ${#big} bytes carried intact" \
		"$m" /usr/bin/dracut \
		"$(jarr /bin/bash -p /usr/bin/dracut --help "$m" "$big")" \
		/usr/bin/bash "$(jarr /usr/bin/bash -c "$cmd")" "$pid"
	if [ -n "$(e2e_alerts_of "$m" | jq -r 'select(.audisp_dracut.process.args_truncated == true) | 1')" ]; then
		e2e_fail "v$v: the long-argument alert is marked truncated"
	fi
}
