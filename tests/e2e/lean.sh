# lean.sh - e2e group: the lean rules, dracut's execs only, parents from /proc
#
# Sourced by run.sh; meaningful only under E2E_RULES=lean (run-lean.sh),
# where auditd logs the execs of dracut's installed paths and nothing else.
# Each scenario runs the real dracut by hand and checks the alert's process
# and parent fields, and the plugin's counters: the stream held one exec
# (dracut's: not the parent's, not dracut's own children) and the parent
# came from /proc, not from the stream.
# shellcheck shell=bash

# e2e_lean_counts NAME: after one dracut run, check that the plugin's
# counters moved by one exec, none failed, one parent read from /proc and
# none found in the stream, since the e2e_snap before the run
e2e_lean_counts()
{
	local name=$1 k d why=
	local -A before want=([execs]=1 [execs_failed]=0 [parents_proc]=1
		[parents_stream]=0)
	for k in "${!want[@]}"; do
		before[$k]=${E2E_STATE[$k]:-0}
	done
	if ! e2e_snap; then
		e2e_fail "$name: no state report from the plugin"
		return
	fi
	for k in execs execs_failed parents_proc parents_stream; do
		# shellcheck disable=SC2004 # keys of associative arrays
		d=$((E2E_STATE[$k] - before[$k]))
		[ "$d" = "${want[$k]}" ] || why="$why $k +$d (want +${want[$k]});"
	done
	if [ -n "$why" ]; then
		e2e_fail "$name: the counters say:$why"
		return
	fi
	e2e_ok "$name: one exec in the stream, the parent from /proc"
}

# e2e_lean_bash_c V NAME DRACUT: bash -c runs DRACUT (a path, or dracut
# through PATH) with a marker; expect the alert and the counters
e2e_lean_bash_c()
{
	local v=$1 name=$2 path=$3 m cmd pid
	m=$(e2e_mark "lean-${name//[^A-Za-z0-9]/_}")
	cmd="$path --help $m >/dev/null; true"
	if ! e2e_snap; then
		e2e_fail "v$v lean: $name: no state report from the plugin"
		return
	fi
	/usr/bin/bash -c "$cmd" &
	pid=$!
	wait "$pid"
	[ "$path" = dracut ] && path=/usr/bin/dracut
	e2e_expect_alert "v$v lean alert: $name" "$m" "$path" \
		"$(dracut_args "$m" "$path")" /usr/bin/bash \
		"$(jarr /usr/bin/bash -c "$cmd")" "$pid"
	e2e_lean_counts "v$v lean: $name"
}

# e2e_group_lean V
e2e_group_lean()
{
	local v=$1 m s=$B/s/lean-build pid i0 i1

	e2e_lean_bash_c "$v" "bash -c" dracut

	# a #! script: /proc names the script, not its interpreter
	m=$(e2e_mark lean-script)
	cat >"$s" <<'EOF'
#!/bin/bash
# a hand-made initramfs build script
uname -r >/dev/null
/bin/true
dracut --help "$1" >/dev/null
EOF
	chmod 0755 "$s"
	e2e_snap || e2e_fail "v$v lean: #! script: no state report"
	"$s" "$m" &
	pid=$!
	wait "$pid"
	e2e_expect_alert "v$v lean alert: #! script" "$m" /usr/bin/dracut \
		"$(dracut_args "$m")" "$s" "$(jarr /bin/bash "$s" "$m")" "$pid"
	e2e_lean_counts "v$v lean: #! script"

	# /bin/dracut: the same file as /usr/bin/dracut on a merged /usr
	if [ /bin/dracut -ef /usr/bin/dracut ]; then
		e2e_lean_bash_c "$v" "/bin/dracut (merged /usr)" /bin/dracut
	else
		echo "note: /bin/dracut is not /usr/bin/dracut here; not run"
	fi

	# an upgrade: a new file renamed over /usr/bin/dracut (as dpkg and
	# rpm install it) has a new inode; the rule follows it
	i0=$(stat -c %i /usr/bin/dracut)
	cp -p /usr/bin/dracut /usr/bin/.dracut.e2e-new &&
		mv -f /usr/bin/.dracut.e2e-new /usr/bin/dracut
	i1=$(stat -c %i /usr/bin/dracut)
	if [ "$i0" = "$i1" ]; then
		e2e_fail "v$v lean: the upgrade kept inode $i0"
	else
		e2e_lean_bash_c "$v" "upgraded /usr/bin/dracut (inode $i0 -> $i1)" \
			dracut
	fi
}

# e2e_group_leanloss V: a measurement, not a check (it prints notes and
# never fails): a parent that runs dracut in the background and exits
# DELAY seconds later. The full rules know such a parent from its own exec
# in the stream; the lean rules only from /proc, where it must still be
# when the plugin reads it. For each delay, E2E_LOSS_RUNS runs (default
# 10): how many alerts named the parent (bash), another process (the
# reaper: the parent had gone before the exec), or none (parent unknown).
e2e_group_leanloss()
{
	local v=$1 delay i m n=${E2E_LOSS_RUNS:-10} fifo=$B/s/never.fifo
	local bash_n other none p unknown0
	local -a marks
	[ -p "$fifo" ] || mkfifo "$fifo"
	for delay in 0 0.002 0.02 0.2; do
		marks=()
		e2e_snap
		unknown0=${E2E_STATE[parents_unknown]:-0}
		for ((i = 0; i < n; i++)); do
			m=$(e2e_mark "loss-$delay-$i")
			marks+=("$m")
			# shellcheck disable=SC2016 # expanded by that bash
			/usr/bin/bash -c 'dracut --help "$1" >/dev/null &
				read -r -t "$2" _ <>"$3"; exit 0' bash "$m" \
				"$delay" "$fifo"
			e2e_sleep 0.1
		done
		e2e_control || echo "note: the control alert did not come"
		e2e_snap
		bash_n=0 other=0 none=0
		for m in "${marks[@]}"; do
			p=$(e2e_alerts_of "$m" | jq -r '.process.parent.name')
			case $p in
			"") none=$((none + 1)) ;;
			bash) bash_n=$((bash_n + 1)) ;;
			*) other=$((other + 1)) ;;
			esac
		done
		echo "note: v$v $E2E_RULES rules, parent exits ${delay} s after" \
			"starting dracut, $n runs: $bash_n alerts name bash," \
			"$other another parent, $none no alert (parents_unknown" \
			"+$((E2E_STATE[parents_unknown] - unknown0)))"
	done
}
