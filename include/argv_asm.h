/* argv_asm.h - EXECVE argument reassembly: quoted, hex and split aN[i] forms */
#ifndef ARGV_ASM_H
#define ARGV_ASM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * An assembler takes the fields of one exec's EXECVE records (argc=N,
 * aN="text", aN=HEX, aN_len=L, aN[i]=chunk), in any order and across any
 * number of records, and lays out the arguments. It checks argc and every
 * aN_len against what arrived.
 *
 * What it gives back when something is missing (the arguments are then
 * marked truncated):
 *  - every argument is at its own index: none is ever moved to another;
 *  - at the first index with nothing usable (an aN, or a whole EXECVE
 *    record, lost; a value that did not decode), the list ends: the
 *    arguments after that gap are dropped, not shifted left;
 *  - an argument whose chunks or aN_len do not check out is the unbroken
 *    run of bytes from its chunk 0 (a prefix of the real one), in place,
 *    and the arguments after it are kept.
 *
 * Why a gap ends the list: the list kept is then a prefix of the real one,
 * and its command line a prefix of the real command line. The rule tests
 * arguments in two ways: whether any argument matches (parent.args like~),
 * which a shorter list can only fail more often, and the command line
 * against patterns that end in '*' (parent.command_line like~), which a
 * prefix matches only if the whole does. A gap can therefore only turn an
 * exclusion into an alert. Arguments shifted left would make a command
 * line the process never had, which such a pattern can match (a missed
 * alert), and would put arguments at indexes they never had. A cut
 * argument, by contrast, can equal an excluded value that the whole one is
 * not, as can a cut command line tested for equality: whoever decides on
 * arguments must not exclude on a truncated list (issue 13, item 4).
 */
struct argv_asm;

/* An empty assembler, or NULL on ENOMEM. Free it with argv_asm_free. */
struct argv_asm *argv_asm_new(void);

/* Free an assembler and all it holds. argv_asm_free(NULL) is safe. */
void argv_asm_free(struct argv_asm *a);

/*
 * Feed one EXECVE field: its name and its value as auparse returns it
 * (quotes or hex included; a numeric value may be quoted). Names that are
 * not argument fields (node, type, ...) are ignored. Returns 0, or -1 for
 * a malformed field or ENOMEM: the field is then ignored and the result
 * marked truncated.
 */
int argv_asm_field(struct argv_asm *a, const char *name, const char *value);

/*
 * Lay out the arguments fed since the last reset, in index order: *args
 * is NULL-terminated (NULL when *argc is 0) and, with its strings, belongs
 * to the assembler until it is next fed, reset or freed. *truncated is set
 * when argc, an aN_len, a chunk or a value did not check out (see above
 * for what is kept). Returns 0, or -1 on ENOMEM (nothing laid out).
 */
int argv_asm_collect(struct argv_asm *a, char ***args, size_t *argc,
		     bool *truncated);

/*
 * As argv_asm_collect, but the caller owns *args and each string (free
 * each, then the array). Resets the assembler, also on failure. Returns 0,
 * or -1 on ENOMEM (then *args is NULL and *argc 0).
 */
int argv_asm_take(struct argv_asm *a, char ***args, size_t *argc,
		  bool *truncated);

/*
 * Forget every field fed, and give back the memory one large exec made
 * the assembler grow past ARGV_ASM_KEEP_BYTES per buffer. What
 * argv_asm_collect laid out is gone. argv_asm_reset(NULL) is safe.
 */
void argv_asm_reset(struct argv_asm *a);

/* Above this many bytes, a buffer is given back on reset. */
#define ARGV_ASM_KEEP_BYTES 65536

/*
 * The two value forms of audit text that the event reader shares with the
 * assembler:
 *
 * argv_asm_unhex decodes len hex digits (either case) of src into len / 2
 * bytes at dst (no NUL added). Returns 0, or -1 for an odd len or a byte
 * that is no hex digit (dst then holds garbage).
 *
 * argv_asm_scalar gives the text of a scalar value (a number, yes/no, a
 * tty): v itself, or, when v is in quotes (some log shippers quote every
 * value), its inside copied to buf (n bytes). NULL when v is NULL, a lone
 * quote, or does not fit in buf.
 */
int argv_asm_unhex(char *dst, const char *src, size_t len);
const char *argv_asm_scalar(const char *v, char *buf, size_t n);

#endif /* ARGV_ASM_H */
