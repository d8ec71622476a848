#!/bin/bash
# run-lean.sh - e2e under the lean rules: they load, dracut alerts by hand
#
# Runs tests/e2e/run.sh with E2E_RULES=lean and only the lean group
# (lean.sh): a private auditd loads rules.d/41-audisp-dracut-lean.rules
# with its rules turned on, and nothing else; dracut run by hand (bash -c,
# a #! script, /bin/dracut, a dracut upgraded to a new inode) must alert
# with the parent read from /proc, the stream holding dracut's exec alone.
# Rule version 1 only (E2E_VERSIONS to change it). Skips (77) as run.sh
# does: not root, no kernel audit, another audit daemon.

here=$(cd "$(dirname "$0")" && pwd)
E2E_RULES=lean E2E_GROUPS=${E2E_GROUPS:-lean} \
	E2E_VERSIONS=${E2E_VERSIONS:-1} exec bash "$here/run.sh" "$@"
