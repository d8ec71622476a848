# lib.sh - shell helpers shared by the benchmark scripts (sourced, bash)
# shellcheck shell=bash

# laurel_config DIR USER OUT: write laurel's configuration to OUT, with its
# log in DIR (created) run as USER, and a log size that never rotates within
# a benchmark. It is the packaged /etc/laurel/config.toml with those values
# changed, or, without it, laurel's documented defaults. Prints which.
laurel_config() {
	local dir=$1 user=$2 out=$3
	mkdir -p "$dir"
	if [ -r /etc/laurel/config.toml ]; then
		sed -e "s|^directory = .*|directory = \"$dir\"|" \
		    -e "s|^user = .*|user = \"$user\"|" \
		    -e 's|^size = .*|size = 100000000000|' \
		    -e 's|^generations = .*|generations = 2|' \
		    /etc/laurel/config.toml >"$out"
		echo "/etc/laurel/config.toml, private paths"
		return
	fi
	cat >"$out" <<EOF2
directory = "$dir"
user = "$user"
statusreport-period = 0
[auditlog]
file = "audit.log"
size = 100000000000
generations = 2
[transform]
execve-argv = [ "array" ]
[enrich]
pid = true
execve-env = [ "LD_PRELOAD", "LD_LIBRARY_PATH" ]
container = true
script = true
EOF2
	echo "laurel's documented defaults"
}
