/* privs.h - give up what the plugin does not need once it has started */
#ifndef PRIVS_H
#define PRIVS_H

/* Drop every capability but CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (to
 * read other processes' /proc entries). Returns 0, or -1 with the reason
 * logged. Without libcap-ng it does nothing and returns 0. */
int privs_drop(void);

#endif /* PRIVS_H */
