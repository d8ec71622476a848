# syslog.sh - e2e group: the fleet path, syslog(3) -> rsyslogd -> JSON file
#
# Sourced by run.sh inside its namespace, where /dev/log points at
# $B/log.sock. A real rsyslogd on a private configuration receives the
# plugin's "@cee: " messages (ident audisp-dracut-e2e), parses them with
# mmjsonparse and writes the parsed JSON ($!all-json) to a file, as a fleet
# would before shipping it on. The check: an alert that reached the alert
# file also arrived through rsyslog, parsed into the same document.
# shellcheck shell=bash

RS_PARSED=
RS_ALL=

# e2e_syslog_start: start rsyslogd -n on the private config; exits 77 if
# rsyslogd or its mmjsonparse module is missing.
e2e_syslog_start()
{
	local i
	RS_PARSED=$B/syslog-parsed.json
	RS_ALL=$B/syslog-all.log
	if ! command -v rsyslogd >/dev/null 2>&1; then
		echo "SKIP: e2e: rsyslogd is not installed (apt-get install rsyslog)"
		exit 77
	fi
	write_rsyslog_conf "$B" 256k audisp-dracut-e2e "$RS_ALL" "$RS_PARSED"
	if ! rsyslogd -N1 -f "$B/rsyslog.conf" >"$B/rsyslog.check" 2>&1; then
		cat "$B/rsyslog.check"
		echo "SKIP: e2e: rsyslogd rejects the private config (mmjsonparse missing?)"
		exit 77
	fi
	rsyslogd -n -f "$B/rsyslog.conf" -i "$B/rsyslog.pid" \
		>"$B/rsyslog.out" 2>&1 &
	RS_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$B/log.sock" ] && break
		e2e_sleep 0.05
	done
	if [ ! -S "$B/log.sock" ]; then
		cat "$B/rsyslog.out"
		e2e_fail "syslog: rsyslogd did not create its socket"
		return 1
	fi
	e2e_ok "syslog: rsyslogd $RS_PID listens on the private /dev/log"
}

# e2e_syslog_check: run one alerting dracut and check that its alert reaches
# the parsed-JSON file, equal to the alert-file document.
e2e_syslog_check()
{
	local m i file parsed
	m=$(e2e_mark syslog)
	/usr/bin/bash -c "dracut --help $m >/dev/null; true"
	if ! e2e_wait_seen "$m" 10; then
		e2e_fail "syslog: no alert in the file for $m"
		return
	fi
	for ((i = 0; i < 250; i++)); do
		grep -qF -- "$m" "$RS_PARSED" 2>/dev/null && break
		e2e_sleep 0.02
	done
	parsed=$(grep -F -- "$m" "$RS_PARSED" 2>/dev/null |
		jq -S -c --arg m "$m" 'select(any(.process.args[]; . == $m))')
	if [ -z "$parsed" ]; then
		e2e_fail "syslog: the alert did not arrive parsed through rsyslogd"
		grep -F -- "$m" "$RS_ALL" | cut -c 1-300 | sed 's/^/       /'
		return
	fi
	file=$(e2e_alerts_of "$m" | jq -S -c .)
	if [ "$parsed" = "$file" ]; then
		e2e_ok "syslog: the alert arrived through rsyslogd (@cee:, mmjsonparse) as the same JSON document"
	else
		e2e_fail "syslog: the parsed alert differs from the file's"
		diff <(printf '%s\n' "$file" | jq .) \
			<(printf '%s\n' "$parsed" | jq .) | head -n 20 |
			sed 's/^/       /'
	fi
	if grep -F -- "$m" "$RS_ALL" | grep -q '^local4\.warning audisp-dracut-e2e\[[0-9]*\]: @cee: {'; then
		e2e_ok "syslog: facility local4, priority warning, ident audisp-dracut-e2e, @cee: prefix"
	else
		e2e_fail "syslog: the raw message lacks local4.warning, the ident or @cee:"
		grep -F -- "$m" "$RS_ALL" | cut -c 1-200 | sed 's/^/       /'
	fi
}

# e2e_syslog_all: at the end, every alert in the file is strict JSON and
# also arrived parsed through rsyslogd (rate limit off: both outputs get
# every alert)
e2e_syslog_all()
{
	local nfile nparsed missing
	if ! nfile=$(jq -c '.auditd.sequence' "$ALERTS" | sort -n |
		tee "$B/seq.file" | grep -c .); then
		e2e_fail "alerts: the alert file is not one JSON document per line"
		return
	fi
	if [ "$nfile" != "$(grep -c '' "$ALERTS")" ]; then
		e2e_fail "alerts: some alert lines are not JSON documents"
		return
	fi
	e2e_ok "alerts: all $nfile lines of the alert file are strict JSON"
	jq -c '.auditd.sequence' "$RS_PARSED" 2>/dev/null | sort -n \
		>"$B/seq.parsed"
	nparsed=$(grep -c . "$B/seq.parsed")
	missing=$(comm -23 "$B/seq.file" "$B/seq.parsed" | head -n 5 | tr '\n' ' ')
	if [ -z "$missing" ]; then
		e2e_ok "syslog: all $nfile alerts arrived parsed through rsyslogd ($nparsed parsed)"
	else
		e2e_fail "syslog: alerts missing from rsyslogd's parsed output (serials $missing)"
	fi
}
