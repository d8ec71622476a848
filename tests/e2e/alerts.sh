# alerts.sh - e2e group: manual dracut runs that must raise an alert
#
# Sourced by run.sh. Each scenario starts the real /usr/bin/dracut (a #!
# script: `#!/bin/bash -p`, so its args are /bin/bash -p /usr/bin/dracut
# ...) with `--help MARKER`, which only prints the usage, and checks the
# alert's process and parent fields against what it ran.

# dracut_args MARKER [PATH]: the args the kernel reports for PATH --help
# MARKER (PATH defaults to /usr/bin/dracut)
dracut_args()
{
	jarr /bin/bash -p "${2:-/usr/bin/dracut}" --help "$1"
}

# An interactive-style shell: bash -c with a command list (a single command
# would be exec'd in place of the shell).
e2e_alert_bash_c()
{
	local m cmd pid
	m=$(e2e_mark bash-c)
	cmd="dracut --help $m >/dev/null; true"
	/usr/bin/bash -c "$cmd" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$1 alert: bash -c" "$m" /usr/bin/dracut \
		"$(dracut_args "$m")" /usr/bin/bash \
		"$(jarr /usr/bin/bash -c "$cmd")" "$pid"
}

# A #! script that runs a couple of binaries and then dracut.
e2e_alert_script()
{
	local m s=$B/s/build-initramfs pid
	m=$(e2e_mark script)
	cat >"$s" <<'EOF'
#!/bin/bash
# a hand-made initramfs build script
uname -r >/dev/null
/bin/true
dracut --help "$1" >/dev/null
EOF
	chmod 0755 "$s"
	"$s" "$m" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$1 alert: #! script" "$m" /usr/bin/dracut \
		"$(dracut_args "$m")" "$s" "$(jarr /bin/bash "$s" "$m")" "$pid"
}

# python3 with subprocess (execvp: a failed exec in /usr/sbin first).
e2e_alert_python()
{
	local m pid code
	m=$(e2e_mark python)
	code='import subprocess, sys
subprocess.run(["dracut", "--help", sys.argv[1]], stdout=subprocess.DEVNULL)'
	/usr/bin/python3 -c "$code" "$m" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$1 alert: python3" "$m" /usr/bin/dracut \
		"$(dracut_args "$m")" /usr/bin/python3 \
		"$(jarr /usr/bin/python3 -c "$code" "$m")" "$pid"
}

# A copy of the real dracut, named dracut, in another directory.
e2e_alert_copy()
{
	local m d=$B/s/opt/bin cmd pid
	m=$(e2e_mark copy)
	mkdir -p "$d"
	cp /usr/bin/dracut "$d/dracut"
	cmd="$d/dracut --help $m >/dev/null; true"
	/usr/bin/bash -c "$cmd" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$1 alert: copy in $d" "$m" "$d/dracut" \
		"$(dracut_args "$m" "$d/dracut")" /usr/bin/bash \
		"$(jarr /usr/bin/bash -c "$cmd")" "$pid"
}

# A forked subshell of a script runs dracut: the subshell never execs, so
# the plugin finds it in /proc, where it shows the script. It stays a
# moment after dracut, as a subshell around a real (slow) dracut would:
# the trailing ':' keeps bash from exec'ing sleep in the subshell itself,
# which would race the plugin's read of /proc (see BUGS in the man page).
e2e_alert_subshell()
{
	local m s=$B/s/subshell-build sub pid
	m=$(e2e_mark subshell)
	cat >"$s" <<EOF
#!/bin/bash
( echo \$BASHPID >"$B/s/subshell.pid"; dracut --help "\$1" >/dev/null; sleep 1; : )
EOF
	chmod 0755 "$s"
	rm -f "$B/s/subshell.pid"
	"$s" "$m" &
	pid=$!
	e2e_wait_seen "$m" 10
	sub=$(cat "$B/s/subshell.pid" 2>/dev/null)
	e2e_expect_alert "v$1 alert: forked subshell in a script" "$m" \
		/usr/bin/dracut "$(dracut_args "$m")" "$s" \
		"$(jarr /bin/bash "$s" "$m")" "$sub"
	wait "$pid"
}

# A parent started long before its dracut, with thousands of unrelated
# execs (by another process) in between.
e2e_alert_long_parent()
{
	local m s=$B/s/long-parent pid i n=${E2E_LONG_EXECS:-3000}
	m=$(e2e_mark long-parent)
	rm -f "$B/s/go"
	mkfifo "$B/s/go"
	cat >"$s" <<EOF
#!/bin/bash
read -r _ <"$B/s/go"
dracut --help "\$1" >/dev/null
EOF
	chmod 0755 "$s"
	"$s" "$m" &
	pid=$!
	for ((i = 0; i < n; i++)); do
		/usr/bin/true
	done
	# a parent that never started must not hang the test on the fifo
	timeout 10 sh -c 'echo go >"$1"' sh "$B/s/go"
	wait "$pid"
	e2e_expect_alert "v$1 alert: parent started $n execs earlier" "$m" \
		/usr/bin/dracut "$(dracut_args "$m")" "$s" \
		"$(jarr /bin/bash "$s" "$m")" "$pid"
}

# dracut in the middle of an exec storm: four loops of /usr/bin/true run
# while bash -c starts dracut, so the alert's latency is measured while the
# plugin is busy with other events.
e2e_alert_storm()
{
	local m cmd pid i j n=${E2E_STORM_EXECS:-1500}
	local -a storm=()
	m=$(e2e_mark storm)
	for i in 1 2 3 4; do
		(for ((j = 0; j < n; j++)); do /usr/bin/true; done) &
		storm+=($!)
	done
	e2e_sleep 0.5
	cmd="dracut --help $m >/dev/null; true"
	/usr/bin/bash -c "$cmd" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$1 alert: bash -c during an exec storm (4 x $n execs)" \
		"$m" /usr/bin/dracut "$(dracut_args "$m")" /usr/bin/bash \
		"$(jarr /usr/bin/bash -c "$cmd")" "$pid"
	wait "${storm[@]}"
}

# e2e_group_alerts V: every true-positive scenario
e2e_group_alerts()
{
	e2e_alert_bash_c "$1"
	e2e_alert_script "$1"
	e2e_alert_python "$1"
	e2e_alert_copy "$1"
	e2e_alert_subshell "$1"
	e2e_alert_long_parent "$1"
	e2e_alert_storm "$1"
}
