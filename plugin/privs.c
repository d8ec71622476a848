/* privs.c - drop capabilities after start-up with libcap-ng */
#ifdef HAVE_LIBCAP_NG
#include <cap-ng.h>
#include <linux/capability.h>
#endif

#include "log.h"
#include "privs.h"

/* Keep only what reading /proc/PID of other users' processes needs. */
int privs_drop(void)
{
#ifdef HAVE_LIBCAP_NG
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE)
		return 0; /* nothing to drop: not running privileged */
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			  CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, -1) ||
	    capng_apply(CAPNG_SELECT_BOTH)) {
		log_err("cannot drop capabilities");
		return -1;
	}
	log_debug("capabilities reduced to sys_ptrace, dac_read_search");
#endif
	return 0;
}
