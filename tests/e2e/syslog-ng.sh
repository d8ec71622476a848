#!/bin/bash
# syslog-ng.sh - e2e: auditd -> plugin -> /dev/log -> syslog-ng json-parser
#
# SUSE's default syslog daemon, run from its Debian package without
# installing it (syslog-ng-core conflicts with rsyslog): the .debs of
# syslog-ng-core, libivykis0, libnet1 and of the libraries it needs that
# are not installed are fetched with `apt-get download` into a cache
# (SYSLOG_NG_CACHE, default /var/tmp/audisp-dracut-syslog-ng) and unpacked
# there with dpkg -x. A private auditd runs the plugin with the file and
# syslog outputs; a private syslog-ng, with its default message size (64
# KiB), takes the plugin's messages from the private /dev/log, parses them
# with json-parser, and writes the message and the parsed fields. Checked,
# for real dracut runs:
#   - facility, priority and ident of the message;
#   - the message json-parser accepted is the alert file's line, byte for
#     byte;
#   - every field of the alert is among json-parser's name-value pairs with
#     its value: syslog-ng 3.38 keeps values as text, arrays of scalars as
#     its lists and arrays of objects as JSON text (a comma inside a list
#     element is lost by 3.38's lists and is not compared);
#   - the same with syslog_cee = yes and json-parser's marker("@cee:");
#   - with syslog_max_message set to syslog-ng's size, an alert of about
#     60 KiB (a long argument) arrives whole; one above 64 KiB arrives
#     with its argument lists cut to fit, parsed, while the file has it
#     whole.
# The plugins.d entry passes -c FILE --rule-version 7, four words, to an
# auditd 4.x (variable number of plugin args) and the one-word forms to
# 3.0.9 (at most two words); the alerts must say rule version 7.
#
# As run.sh: under flock /tmp/audisp-dracut-audit.lock, in a private mount
# namespace with a tmpfs for every file and a private /dev. Exits 77 when
# kernel audit cannot be used here, or syslog-ng cannot be fetched or run.
# Prints "syslog-ng: N passed, M failed".

set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
PLUGIN=${PLUGIN:-${top_builddir:-$top_srcdir}/audisp-dracut}
export top_srcdir PLUGIN
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

SNG_IDENT=audisp-dracut-sng
# syslog-ng's default log-msg-size, which the test keeps (bytes)
SNG_MSG_SIZE=65536

# sng_fetch: set SNG_ROOT to an unpacked syslog-ng that runs here, fetching
# it when the cache lacks it; exit 77 when that cannot be done
sng_fetch()
{
	local cache=${SYSLOG_NG_CACHE:-/var/tmp/audisp-dracut-syslog-ng}
	local t p pkgs missing
	SNG_ROOT=$cache/root
	SNG_LIBS=$SNG_ROOT/usr/lib/x86_64-linux-gnu:$SNG_ROOT/usr/lib/syslog-ng
	for t in apt-get apt-cache dpkg dpkg-query flock ldd; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: syslog-ng: $t is not installed"
			exit 77
		fi
	done
	mkdir -p "$cache" || exit 1
	exec {lockfd}>"$cache/lock"
	flock "$lockfd"
	if [ ! -x "$SNG_ROOT/usr/sbin/syslog-ng" ]; then
		rm -rf "$cache/debs" "$SNG_ROOT"
		mkdir -p "$cache/debs" "$SNG_ROOT"
		pkgs="syslog-ng-core libivykis0 libnet1"
		for p in $(apt-cache depends syslog-ng-core 2>/dev/null |
			sed -n 's/^ *|\{0,1\}Depends: \(lib[^ <>]*\)$/\1/p'); do
			[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" \
				2>/dev/null)" = installed ] || pkgs="$pkgs $p"
		done
		# shellcheck disable=SC2086 # a list of package names
		if ! (cd "$cache/debs" && apt-get download $pkgs \
			>"$cache/download.log" 2>&1); then
			tail -n 5 "$cache/download.log"
			rm -rf "$cache/debs" "$SNG_ROOT"
			echo "SKIP: syslog-ng: apt-get download $pkgs failed"
			exit 77
		fi
		for p in "$cache"/debs/*.deb; do
			dpkg -x "$p" "$SNG_ROOT" || exit 1
		done
	fi
	flock -u "$lockfd"
	export SNG_ROOT SNG_LIBS
	missing=$(sng_env ldd "$SNG_ROOT/usr/sbin/syslog-ng" |
		awk '/not found/ { print $1 }' | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "SKIP: syslog-ng: libraries not found: $missing"
		exit 77
	fi
}

# sng_env COMMAND...: run COMMAND with the unpacked syslog-ng's libraries
sng_env()
{
	LD_LIBRARY_PATH=$SNG_LIBS "$@"
}

# ---------------------------------------------------------------- outside
if [ -z "${E2E_INNER:-}" ]; then
	if reason=$(audit_skip_reason nodaemon); then
		echo "SKIP: syslog-ng: $reason"
		exit 77
	fi
	sng_fetch
	e2e_outer syslog-ng "jq perl python3" "$0" "$@"
fi

# ---------------------------------------------------------------- inside
if reason=$(audit_skip_reason); then
	echo "SKIP: syslog-ng: $reason"
	exit 77
fi
audit_path
export LC_ALL=C
B=$E2E_BASE
SNG_PID=
E2E_WATCH_PID=
PLUGIN_PID=

sng_cleanup()
{
	audit_stop
	[ -n "$E2E_WATCH_PID" ] && kill "$E2E_WATCH_PID" 2>/dev/null
	[ -n "$SNG_PID" ] && kill "$SNG_PID" 2>/dev/null
	[ -n "$SNG_PID" ] && wait "$SNG_PID" 2>/dev/null
	e2e_keep syslog-ng
}

e2e_workdir sng_cleanup audisp-dracut-sng 64m || exit 1
private_dev "$B/dev" 1m "$B/log.sock" "null zero full random urandom tty" ||
	[ $? -eq 2 ] || exit 1
ALERTS=$B/alerts/alerts.json
ARRIVALS=$B/arrivals
mkdir -p "$B/alerts"
: >"$ARRIVALS"

# ---------------------------------------------------------------- syslog-ng
# Everything to all.log; our ident's messages through json-parser (plain,
# or after the marker "@cee:"), whose accepted messages go to msg.log and
# their parsed fields, rebuilt by format-json, to parsed.json.
cat >"$B/syslog-ng.conf" <<EOF
@version: 3.38
options { chain-hostnames(no); stats-freq(0); };
source s_dev { unix-dgram("$B/log.sock"); };
parser p_json { json-parser(prefix(".json.")); };
parser p_cee { json-parser(prefix(".json.") marker("@cee:")); };
destination d_all { file("$B/all.log"
	template("\${FACILITY}.\${LEVEL} \${PROGRAM}[\${PID}]: \${MSG}\n")); };
destination d_msg { file("$B/msg.log" template("\${MSG}\n")); };
destination d_parsed { file("$B/parsed.json"
	template("\$(format-json --scope none --key .json.* --shift 1)\n")); };
log { source(s_dev); destination(d_all); };
log { source(s_dev);
	filter { program("$SNG_IDENT") and not message("^@cee:"); };
	parser(p_json); destination(d_msg); destination(d_parsed); };
log { source(s_dev);
	filter { program("$SNG_IDENT") and message("^@cee:"); };
	parser(p_cee); destination(d_msg); destination(d_parsed); };
EOF
SNG_VERSION=$(sng_env "$SNG_ROOT/usr/sbin/syslog-ng" --version 2>&1 |
	sed -n 's/^Installer-Version: //p')
MODDIR=$(find "$SNG_ROOT/usr/lib/syslog-ng" -mindepth 1 -maxdepth 1 -type d \
	-name '[0-9]*' | head -n 1)
if ! sng_env "$SNG_ROOT/usr/sbin/syslog-ng" --syntax-only \
	--module-path="$MODDIR" -f "$B/syslog-ng.conf" >"$B/syslog-ng.out" 2>&1; then
	cat "$B/syslog-ng.out"
	e2e_fail "syslog-ng $SNG_VERSION rejects the test's configuration"
	exit 1
fi
# started directly (not through sng_env), so that $! is syslog-ng's pid
LD_LIBRARY_PATH=$SNG_LIBS "$SNG_ROOT/usr/sbin/syslog-ng" -F --module-path="$MODDIR" \
	-f "$B/syslog-ng.conf" -R "$B/syslog-ng.persist" -p "$B/syslog-ng.pid" \
	-c "$B/syslog-ng.ctl" >"$B/syslog-ng.out" 2>&1 &
SNG_PID=$!
echo "syslog-ng $SNG_PID" >>"$E2E_PIDFILE"
for ((i = 0; i < 100; i++)); do
	[ -S "$B/log.sock" ] && break
	e2e_sleep 0.05
done
if [ ! -S "$B/log.sock" ]; then
	cat "$B/syslog-ng.out"
	echo "SKIP: syslog-ng: syslog-ng $SNG_VERSION did not start"
	exit 77
fi
e2e_ok "syslog-ng $SNG_VERSION (pid $SNG_PID) listens on the private /dev/log (log-msg-size: default, $SNG_MSG_SIZE)"

# ---------------------------------------------------------------- auditd
# plugin_conf [LINE...]: the plugin's settings, and LINEs
plugin_conf()
{
	{
		printf '%s\n' "output = file,syslog" "output_file = $ALERTS" \
			"syslog_ident = $SNG_IDENT" "syslog_facility = local4" \
			"syslog_priority = warning" "rate_limit_alerts = 0" \
			"state_file = $B/state" \
			"syslog_max_message = $SNG_MSG_SIZE"
		[ $# -gt 0 ] && printf '%s\n' "$@"
	} >"$B/plugin.conf"
	chmod 0600 "$B/plugin.conf"
}
plugin_conf
dir=$B/audit
write_auditd_conf "$dir" RAW
auditctl_version=$(auditctl -v 2>&1 | sed -n 's/^auditctl version //p')
# auditd 4.0.1 and later pass any number of args; 3.0.9 at most two
case $auditctl_version in
[0-3].* | 4.0.0) args="--config=$B/plugin.conf --rule-version=7" ;;
*) args="-c $B/plugin.conf --rule-version 7" ;;
esac
sed -e "s|^path = .*|path = $PLUGIN|" -e '/^args *=/d' \
	"$top_srcdir/plugin/audisp-dracut.conf" >"$dir/plugins/audisp-dracut.conf"
echo "args = $args" >>"$dir/plugins/audisp-dracut.conf"
chmod 0640 "$dir/plugins/audisp-dracut.conf"
if ! audit_start "$dir"; then
	e2e_fail "auditd did not start"
	exit 1
fi
echo "auditd $AUDITD_PID" >>"$E2E_PIDFILE"
if ! audit_load_rules "$top_srcdir"/rules.d/*.rules; then
	e2e_fail "auditctl -R rules.d/*.rules failed"
	exit 1
fi
for ((i = 0; i < 100; i++)); do
	PLUGIN_PID=$(pgrep -P "$AUDITD_PID" -f "$PLUGIN" | head -n 1)
	[ -n "$PLUGIN_PID" ] && break
	e2e_sleep 0.05
done
if [ -z "$PLUGIN_PID" ]; then
	e2e_fail "auditd did not start the plugin"
	cat "$dir/auditd.out"
	exit 1
fi
e2e_ok "auditd $auditctl_version (pid $AUDITD_PID) started the plugin with args = $args"
e2e_watch
echo "watcher $E2E_WATCH_PID" >>"$E2E_PIDFILE"

# ---------------------------------------------------------------- checks
# sng_compare FILE_LINE MSG_LINE PARSED_LINE: print what differs between
# the alert file's line and what syslog-ng made of it (nothing: the same)
sng_compare()
{
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys

file_line, msg_line, parsed_line = (
    open(p, encoding="utf-8").read().rstrip("\n") for p in sys.argv[1:4])
errs = []
msg = msg_line[len("@cee:"):].lstrip(" ") if msg_line.startswith("@cee:") \
    else msg_line
if msg != file_line:
    errs.append("the message is not the file's line (%d and %d bytes)"
                % (len(msg.encode()), len(file_line.encode())))


def leaves(v, path, out):
    if isinstance(v, dict):
        for k, x in v.items():
            leaves(x, path + [k], out)
    else:
        out[".".join(path)] = v
    return out


def text(v):
    if v is None:
        return ""
    return json.dumps(v) if not isinstance(v, str) else v


def decode_list(s):
    """syslog-ng 3.38's list: elements joined by commas, each bare,
    'single-quoted' or "double-quoted" with backslash escapes"""
    out, i, esc = [], 0, {"t": "\t", "n": "\n", "r": "\r"}
    while i <= len(s):
        cur = ""
        if i < len(s) and s[i] in "'\"":
            q, i = s[i], i + 1
            while i < len(s) and s[i] != q:
                if q == '"' and s[i] == "\\" and i + 1 < len(s):
                    i += 1
                    cur += esc.get(s[i], s[i])
                else:
                    cur += s[i]
                i += 1
            i += 1
        else:
            while i < len(s) and s[i] != ",":
                cur += s[i]
                i += 1
        out.append(cur)
        i += 1
    return out


want = leaves(json.loads(file_line), [], {})
got = leaves(json.loads(parsed_line).get("json", {}), [], {})
for key, v in want.items():
    if v == {}:
        continue
    g = got.pop(key, None)
    if g is None:
        errs.append("%s: missing" % key)
    elif isinstance(v, list) and v and all(
            isinstance(x, (dict, list)) for x in v):
        if json.loads(g) != v:
            errs.append("%s: %s, want %s" % (key, g[:80], json.dumps(v)[:80]))
    elif isinstance(v, list) and v:
        if any("," in text(x) for x in v):
            continue
        if decode_list(g) != [text(x) for x in v]:
            errs.append("%s: %s, want %s" % (key, g[:80], v))
    elif isinstance(v, list):
        if g != "":
            errs.append("%s: %r, want empty" % (key, g[:80]))
    elif g != text(v):
        errs.append("%s: %r, want %r" % (key, g[:80], text(v)[:80]))
for key in got:
    errs.append("%s: not in the alert" % key)
print("\n".join(errs[:20]))
PY
}

# sng_expect NAME MARKER: the alert holding MARKER reached the file, and
# syslog-ng parsed it into the same document
sng_expect()
{
	local name=$1 m=$2 i diffs size
	if ! e2e_wait_seen "$m" 10; then
		e2e_fail "$name: no alert in the file"
		return 1
	fi
	for ((i = 0; i < 250; i++)); do
		grep -qF -- "$m" "$B/parsed.json" 2>/dev/null && break
		e2e_sleep 0.02
	done
	grep -F -- "$m" "$ALERTS" | head -n 1 >"$B/one.file"
	grep -F -- "$m" "$B/msg.log" 2>/dev/null | head -n 1 >"$B/one.msg"
	grep -F -- "$m" "$B/parsed.json" 2>/dev/null | head -n 1 \
		>"$B/one.parsed"
	size=$(wc -c <"$B/one.file")
	if [ ! -s "$B/one.parsed" ]; then
		e2e_fail "$name: the alert ($size bytes) did not arrive parsed through syslog-ng"
		grep -F -- "$m" "$B/all.log" | cut -c 1-300 | sed 's/^/       /'
		return 1
	fi
	diffs=$(sng_compare "$B/one.file" "$B/one.msg" "$B/one.parsed" 2>&1)
	if [ -n "$diffs" ]; then
		e2e_fail "$name: syslog-ng's document differs from the file's:"
		printf '%s\n' "$diffs" | sed 's/^/       /'
		return 1
	fi
	e2e_ok "$name: the alert ($size bytes) arrived through syslog-ng's json-parser as the file's document"
}

# dracut_run MARKER [ENV...]: run dracut --help MARKER "$LONG" from bash -c
# (LONG from the environment, so that it is not in the parent's args too)
dracut_run()
{
	local m=$1
	shift
	env "$@" /usr/bin/bash -c "dracut --help $m \"\${LONG:-}\" >/dev/null; true"
}

# 1. a plain JSON message
m=$(e2e_mark sng-plain)
dracut_run "$m"
if sng_expect "plain JSON" "$m"; then
	if grep -F -- "$m" "$B/all.log" |
		grep -q "^local4\.warning $SNG_IDENT\[$PLUGIN_PID\]: {"; then
		e2e_ok "facility local4, priority warning, ident $SNG_IDENT, the plugin's pid"
	else
		e2e_fail "the raw message lacks local4.warning, the ident or the pid"
		grep -F -- "$m" "$B/all.log" | cut -c 1-200 | sed 's/^/       /'
	fi
	if [ "$(jq -r .rule.version "$B/one.file")" = 7 ]; then
		e2e_ok "rule version 7, from args"
	else
		e2e_fail "the alert says rule version $(jq -r .rule.version "$B/one.file"), want 7 (args = $args)"
	fi
fi
small=$(wc -c <"$B/one.file")

# 2. a long argument: an alert of about 60 KiB, below syslog-ng's default
# message size. The argument is in process.args and process.command_line,
# so each byte of it adds two to the alert.
target=$((60 * 1024))
long=$(head -c $(((target - small) / 2)) /dev/zero | tr '\0' x)
m=$(e2e_mark sng-long)
dracut_run "$m" LONG="$long"
sng_expect "long argument" "$m"

# 3. "@cee: " and json-parser's marker, after SIGHUP
plugin_conf "syslog_cee = yes"
kill -HUP "$PLUGIN_PID"
for ((i = 0; i < 250; i++)); do
	grep -q "reloading configuration" "$B/all.log" 2>/dev/null && break
	e2e_sleep 0.02
done
e2e_sleep 0.2
m=$(e2e_mark sng-cee)
dracut_run "$m"
if sng_expect "@cee:" "$m" &&
	! grep -qF -- "@cee: " "$B/one.msg"; then
	e2e_fail "@cee: the message lacks its @cee: prefix"
fi

# 4. above syslog-ng's message size, which the plugin is told
# (syslog_max_message): the file gets the alert whole, syslog-ng the same
# alert with its argument lists cut to fit, which it parses
long=$(head -c $(((SNG_MSG_SIZE + 4096 - small) / 2)) /dev/zero | tr '\0' x)
m=$(e2e_mark sng-over)
dracut_run "$m" LONG="$long"
if e2e_wait_seen "$m" 10; then
	for ((i = 0; i < 250; i++)); do
		grep -qF -- "$m" "$B/parsed.json" 2>/dev/null && break
		e2e_sleep 0.02
	done
	size=$(grep -F -- "$m" "$ALERTS" | head -n 1 | wc -c)
	msg=$(grep -F -- "$m" "$B/msg.log" | head -n 1 | wc -c)
	file_cut=$(grep -F -- "$m" "$ALERTS" | head -n 1 |
		jq -r .audisp_dracut.process.args_truncated)
	sng_cut=$(grep -F -- "$m" "$B/parsed.json" | head -n 1 |
		jq -r '.json.audisp_dracut.process.args_truncated')
	if [ "$size" -gt "$SNG_MSG_SIZE" ] && [ "$file_cut" = false ] &&
		[ "$sng_cut" = true ] && [ "$msg" -le "$SNG_MSG_SIZE" ]; then
		e2e_ok "above the limit: the file's alert ($size bytes) whole, syslog-ng's ($msg bytes) parsed with its args cut"
	else
		e2e_fail "above the limit: file $size bytes (args_truncated $file_cut), syslog-ng's message $msg bytes (args_truncated '$sng_cut'), want > $SNG_MSG_SIZE/false and <= $SNG_MSG_SIZE/true"
	fi
else
	e2e_fail "above the limit: no alert in the file"
fi

now=$(pgrep -P "$AUDITD_PID" -f "$PLUGIN" | head -n 1)
if [ "$now" = "$PLUGIN_PID" ]; then
	e2e_ok "the plugin ran throughout (no restart)"
else
	e2e_fail "plugin pid $PLUGIN_PID is now '$now': it was restarted"
fi
echo "syslog-ng: $E2E_PASS passed, $E2E_FAIL failed"
[ "$E2E_FAIL" -eq 0 ]
