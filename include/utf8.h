/* utf8.h - one UTF-8 sequence decoder, for the matcher and the alert */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/*
 * Length (1 to 4) of the valid UTF-8 sequence that starts at s, or 0 if
 * none does. Valid is RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF. s is NUL-terminated, so a cut sequence stops at the NUL.
 * No I/O, no allocation.
 */
size_t utf8_seq(const unsigned char *s);

#endif /* UTF8_H */
