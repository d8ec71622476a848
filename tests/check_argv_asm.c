/* check_argv_asm.c - unit tests for argv_asm.c: EXECVE argument reassembly */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argv_asm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FIELDS 12
#define MAX_ARGS 8

/*
 * One assembly: the fields fed in order (name, value pairs, NULL after the
 * last), how many of them the assembler must refuse, and the arguments and
 * truncated flag it must give. Every expected list was worked out by hand
 * from the fields and the rules in argv_asm.h: quoted values lose their
 * quotes, hex is decoded, chunks are joined from chunk 0 while unbroken,
 * and the list ends at the first index with nothing usable.
 */
struct asm_case {
	const char *what;
	const char *fields[2 * MAX_FIELDS + 1];
	int refused;
	bool trunc;
	size_t argc;
	const char *args[MAX_ARGS];
};

/* clang-format off */
static const struct asm_case cases[] = {
	/* whole values */
	{"quoted",
	 {"argc", "3", "a0", "\"ls\"", "a1", "\"-l\"", "a2", "\"/tmp\"", NULL},
	 0, false, 3, {"ls", "-l", "/tmp"}},
	{"an empty argument is kept",
	 {"argc", "2", "a0", "\"true\"", "a1", "\"\"", NULL},
	 0, false, 2, {"true", ""}},
	{"hex: a space makes the kernel log hex",
	 {"argc", "2", "a0", "\"echo\"", "a1", "68656C6C6F20776F726C64", NULL},
	 0, false, 2, {"echo", "hello world"}},
	{"lower case hex, a quote, a tab and a high byte",
	 {"argc", "1", "a0", "22610962ff", NULL},
	 0, false, 1, {"\"a\tb\xff"}},
	{"a quoted argc, as some shippers write it",
	 {"argc", "\"1\"", "a0", "\"id\"", NULL},
	 0, false, 1, {"id"}},
	/* aN[i] chunks */
	{"hex chunks: aN_len counts hex digits (6 + 6)",
	 {"argc", "3", "a0", "\"x\"", "a1_len", "12", "a1[0]", "616263",
	  "a1[1]", "646566", "a2", "\"z\"", NULL},
	 0, false, 3, {"x", "abcdef", "z"}},
	{"quoted chunks: aN_len counts the characters between quotes",
	 {"argc", "2", "a0", "\"x\"", "a1_len", "7", "a1[0]", "\"abcd\"",
	  "a1[1]", "\"efg\"", NULL},
	 0, false, 2, {"x", "abcdefg"}},
	{"records reordered: a1[1] and a2 before a1[0] and a0",
	 {"a1[1]", "\"def\"", "a2", "\"c\"", "argc", "3", "a0", "\"a\"",
	  "a1_len", "6", "a1[0]", "\"abc\"", NULL},
	 0, false, 3, {"a", "abcdef", "c"}},
	/* a chunk lost: the unbroken run from chunk 0, in place */
	{"a1[1] lost: abc kept, a1[2] dropped",
	 {"argc", "2", "a0", "\"x\"", "a1_len", "18", "a1[0]", "616263",
	  "a1[2]", "676869", NULL},
	 0, true, 2, {"x", "abc"}},
	{"the last chunk lost: aN_len (12) says 6 digits are missing",
	 {"argc", "2", "a0", "\"x\"", "a1_len", "12", "a1[0]", "616263", NULL},
	 0, true, 2, {"x", "abc"}},
	{"chunks without aN_len cannot be checked",
	 {"argc", "1", "a0[0]", "\"ab\"", NULL},
	 0, true, 1, {"ab"}},
	{"a cut argument keeps the ones after it at their index",
	 {"argc", "3", "a0", "\"x\"", "a1_len", "12", "a1[0]", "616263", "a2",
	  "\"z\"", NULL},
	 0, true, 3, {"x", "abc", "z"}},
	/* values that do not decode */
	{"a non-hex digit: a1 is a gap, y is not moved to index 1",
	 {"argc", "3", "a0", "\"x\"", "a1", "6G", "a2", "\"y\"", NULL},
	 1, true, 1, {"x"}},
	{"an odd number of hex digits",
	 {"argc", "2", "a0", "\"x\"", "a1", "616", NULL},
	 1, true, 1, {"x"}},
	{"a NUL cannot be inside an argv string",
	 {"argc", "1", "a0", "610062", NULL},
	 1, true, 0, {NULL}},
	{"a bad chunk breaks the run there",
	 {"argc", "1", "a0_len", "8", "a0[0]", "6162", "a0[1]", "zz63", NULL},
	 1, true, 1, {"ab"}},
	{"malformed names and numbers",
	 {"argc", "x1", "a0", "\"x\"", "a1x", "\"y\"", "a2[", "\"z\"", "a3_len",
	  "-1", NULL},
	 4, true, 1, {"x"}},
	{"other fields of the record are not arguments",
	 {"node", "host", "type", "EXECVE", "argc", "1", "a0", "\"id\"", NULL},
	 0, false, 1, {"id"}},
	/* argc and aN_len against what arrived */
	{"fewer arguments than argc",
	 {"argc", "3", "a0", "\"a\"", "a1", "\"b\"", NULL},
	 0, true, 2, {"a", "b"}},
	{"more arguments than argc: kept, but flagged",
	 {"argc", "1", "a0", "\"a\"", "a1", "\"b\"", NULL},
	 0, true, 2, {"a", "b"}},
	{"a hole in the middle: the list ends at a1, c is not moved",
	 {"argc", "3", "a0", "\"a\"", "a2", "\"c\"", NULL},
	 0, true, 1, {"a"}},
	{"a huge argc with nothing behind it allocates nothing",
	 {"argc", "99999", NULL},
	 0, true, 0, {NULL}},
	{"no argc at all",
	 {"a0", "\"a\"", NULL},
	 0, true, 1, {"a"}},
	{"argc=0 is a valid, empty argv",
	 {"argc", "0", NULL},
	 0, false, 0, {NULL}},
	{"two different argc: the second is refused",
	 {"argc", "1", "argc", "2", "a0", "\"a\"", NULL},
	 1, true, 1, {"a"}},
	{"a duplicate argument keeps the first",
	 {"argc", "1", "a0", "\"a\"", "a0", "\"b\"", NULL},
	 0, true, 1, {"a"}},
	{"two lengths for one argument",
	 {"argc", "1", "a0_len", "4", "a0_len", "4", "a0[0]", "\"ab\"", "a0[1]",
	  "\"cd\"", NULL},
	 0, true, 1, {"abcd"}},
	{"a length for an argument that never came, after",
	 {"argc", "1", "a0", "\"x\"", "a1_len", "4", NULL},
	 0, true, 1, {"x"}},
	{"a length for a0, which never came: nothing before the gap",
	 {"argc", "2", "a0_len", "4", "a1", "\"y\"", NULL},
	 0, true, 0, {NULL}},
	{"aN_len disagreeing with a whole value",
	 {"argc", "1", "a0_len", "5", "a0", "\"abc\"", NULL},
	 0, true, 1, {"abc"}},
	{"only chunk 1 of a0 came: a0 is the empty run, a1 in place",
	 {"argc", "2", "a0_len", "4", "a0[1]", "\"cd\"", "a1", "\"y\"", NULL},
	 0, true, 2, {"", "y"}},
	/* issue 13, item 7: a part lost, the later arguments never moved */
	{"a0 lost: nothing is kept",
	 {"argc", "3", "a1", "\"-c\"", "a2", "\"true\"", NULL},
	 0, true, 0, {NULL}},
	{"the middle EXECVE record lost (a2, a3): a4 and a5 dropped",
	 {"argc", "6", "a0", "\"/bin/sh\"", "a1", "\"-c\"", "a4",
	  "\"if command -v mkinitcpio\"", "a5", "\"x\"", NULL},
	 0, true, 2, {"/bin/sh", "-c"}},
	{"a gap before a split argument drops it whole",
	 {"argc", "3", "a0", "\"a\"", "a2_len", "4", "a2[0]", "\"bc\"", "a2[1]",
	  "\"de\"", NULL},
	 0, true, 1, {"a"}},
	{"a gap after a split argument keeps it whole",
	 {"argc", "4", "a0", "\"a\"", "a1_len", "4", "a1[0]", "\"bc\"", "a1[1]",
	  "\"de\"", "a3", "\"z\"", NULL},
	 0, true, 2, {"a", "bcde"}},
};
/* clang-format on */

/* Feed c's fields to a and check what argv_asm_take gives. */
static void run_case(struct argv_asm *a, const struct asm_case *c)
{
	char **args;
	size_t argc, i;
	bool trunc;
	int refused = 0;

	for (i = 0; c->fields[i]; i += 2)
		if (argv_asm_field(a, c->fields[i], c->fields[i + 1]) < 0)
			refused++;
	ck_assert_msg(refused == c->refused, "%s: %d refused, want %d", c->what,
		      refused, c->refused);
	ck_assert_int_eq(argv_asm_take(a, &args, &argc, &trunc), 0);
	ck_assert_msg(argc == c->argc, "%s: argc %zu, want %zu", c->what, argc,
		      c->argc);
	ck_assert_msg(trunc == c->trunc, "%s: truncated %d, want %d", c->what,
		      trunc, c->trunc);
	if (!argc)
		ck_assert_ptr_null(args);
	for (i = 0; i < argc; i++) {
		ck_assert_msg(strcmp(args[i], c->args[i]) == 0,
			      "%s: args[%zu] \"%s\", want \"%s\"", c->what, i,
			      args[i], c->args[i]);
		free(args[i]);
	}
	if (argc)
		ck_assert_ptr_null(args[argc]);
	free(args);
}

START_TEST(test_cases)
{
	struct argv_asm *a = argv_asm_new();

	ck_assert_ptr_nonnull(a);
	run_case(a, &cases[_i]);
	/* take reset the assembler: the same case again gives the same */
	run_case(a, &cases[_i]);
	argv_asm_free(a);
}
END_TEST

START_TEST(test_split_across_records)
{
	struct argv_asm *a = argv_asm_new();
	char **args;
	size_t argc;
	bool trunc;

	/* record 1 */
	ck_assert_int_eq(argv_asm_field(a, "argc", "2"), 0);
	ck_assert_int_eq(argv_asm_field(a, "a0", "\"cat\""), 0);
	ck_assert_int_eq(argv_asm_field(a, "a1_len", "8"), 0);
	ck_assert_int_eq(argv_asm_field(a, "a1[0]", "4142"), 0);
	/* record 2: the node= and type= fields are not arguments */
	ck_assert_int_eq(argv_asm_field(a, "node", "host"), 0);
	ck_assert_int_eq(argv_asm_field(a, "type", "EXECVE"), 0);
	ck_assert_int_eq(argv_asm_field(a, "a1[1]", "4344"), 0);
	/* collect lends the arguments; take hands them over */
	ck_assert_int_eq(argv_asm_collect(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(args[0], "cat");
	ck_assert_str_eq(args[1], "ABCD");
	ck_assert_ptr_null(args[2]);
	ck_assert(!trunc);
	ck_assert_int_eq(argv_asm_take(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(args[1], "ABCD");
	ck_assert(!trunc);
	free(args[0]);
	free(args[1]);
	free(args);

	/* take reset the assembler: a second command starts clean */
	ck_assert_int_eq(argv_asm_field(a, "argc", "1"), 0);
	ck_assert_int_eq(argv_asm_field(a, "a0", "\"id\""), 0);
	ck_assert_int_eq(argv_asm_take(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 1);
	ck_assert_str_eq(args[0], "id");
	ck_assert(!trunc);
	free(args[0]);
	free(args);

	/* so does reset, and a truncated flag does not outlive it */
	ck_assert_int_eq(argv_asm_field(a, "argc", "x"), -1);
	argv_asm_reset(a);
	ck_assert_int_eq(argv_asm_field(a, "argc", "0"), 0);
	ck_assert_int_eq(argv_asm_collect(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 0);
	ck_assert_ptr_null(args);
	ck_assert(!trunc);
	argv_asm_free(a);
	argv_asm_free(NULL);
	argv_asm_reset(NULL);
}
END_TEST

/* A deterministic test argument of n bytes: a..z repeated. */
static char *pattern(size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	s[n] = '\0';
	return s;
}

START_TEST(test_20000_bytes)
{
	struct argv_asm *a = argv_asm_new();
	char *want = pattern(20000), *hx = malloc(40001), name[32], len[32];
	char **args;
	size_t off, i = 0, argc;
	bool trunc;

	ck_assert_ptr_nonnull(hx);
	for (off = 0; off < 20000; off++)
		snprintf(hx + 2 * off, 3, "%02X", (unsigned char)want[off]);
	ck_assert_int_eq(argv_asm_field(a, "argc", "2"), 0);
	ck_assert_int_eq(argv_asm_field(a, "a0", "\"printf\""), 0);
	snprintf(len, sizeof(len), "%zu", strlen(hx));
	ck_assert_int_eq(argv_asm_field(a, "a1_len", len), 0);
	/* chunks of 7500 hex digits, as the kernel cuts them */
	for (off = 0; off < 40000; off += 7500, i++) {
		size_t n = 40000 - off < 7500 ? 40000 - off : 7500;
		char *chunk = strndup(hx + off, n);

		snprintf(name, sizeof(name), "a1[%zu]", i);
		ck_assert_int_eq(argv_asm_field(a, name, chunk), 0);
		free(chunk);
	}
	ck_assert_uint_eq(i, 6);
	ck_assert_int_eq(argv_asm_take(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(args[0], "printf");
	ck_assert_uint_eq(strlen(args[1]), 20000);
	ck_assert(memcmp(args[1], want, 20000) == 0);
	ck_assert(!trunc);
	free(args[0]);
	free(args[1]);
	free(args);
	argv_asm_free(a);
	free(hx);
	free(want);
}
END_TEST

START_TEST(test_10000_args)
{
	struct argv_asm *a = argv_asm_new();
	char name[32], val[32], **args;
	clock_t t0 = clock();
	size_t i, argc;
	bool trunc;

	ck_assert_int_eq(argv_asm_field(a, "argc", "10000"), 0);
	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "a%zu", i);
		snprintf(val, sizeof(val), "\"arg%zu\"", i);
		ck_assert_int_eq(argv_asm_field(a, name, val), 0);
	}
	ck_assert_int_eq(argv_asm_take(a, &args, &argc, &trunc), 0);
	ck_assert_uint_eq(argc, 10000);
	ck_assert_str_eq(args[0], "arg0");
	ck_assert_str_eq(args[4567], "arg4567");
	ck_assert_str_eq(args[9999], "arg9999");
	ck_assert_ptr_null(args[10000]);
	ck_assert(!trunc);
	/* linear work: far below a second even under valgrind */
	ck_assert_msg(clock() - t0 < 5 * CLOCKS_PER_SEC, "too slow");
	for (i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	argv_asm_free(a);
}
END_TEST

START_TEST(test_value_forms)
{
	char out[8], buf[4];

	ck_assert_int_eq(argv_asm_unhex(out, "41a0Ff", 6), 0);
	ck_assert(memcmp(out, "A\xa0\xff", 3) == 0);
	ck_assert_int_eq(argv_asm_unhex(out, "", 0), 0);
	ck_assert_int_eq(argv_asm_unhex(out, "414", 3), -1);
	ck_assert_int_eq(argv_asm_unhex(out, "4g", 2), -1);
	ck_assert_int_eq(argv_asm_unhex(out, "0x", 2), -1);

	ck_assert_str_eq(argv_asm_scalar("yes", buf, sizeof(buf)), "yes");
	ck_assert_str_eq(argv_asm_scalar("\"123\"", buf, sizeof(buf)), "123");
	ck_assert_str_eq(argv_asm_scalar("\"\"", buf, sizeof(buf)), "");
	/* too long for buf (3 bytes and a NUL), a lone quote, NULL */
	ck_assert_ptr_null(argv_asm_scalar("\"1234\"", buf, sizeof(buf)));
	ck_assert_ptr_null(argv_asm_scalar("\"", buf, sizeof(buf)));
	ck_assert_ptr_null(argv_asm_scalar("\"12", buf, sizeof(buf)));
	ck_assert_ptr_null(argv_asm_scalar(NULL, buf, sizeof(buf)));
}
END_TEST

static Suite *argv_asm_suite(void)
{
	Suite *s = suite_create("argv_asm");
	TCase *tc = tcase_create("argv");

	tcase_add_loop_test(tc, test_cases, 0, (int)ARRAY_SIZE(cases));
	tcase_add_test(tc, test_split_across_records);
	tcase_add_test(tc, test_20000_bytes);
	tcase_add_test(tc, test_10000_args);
	tcase_add_test(tc, test_value_forms);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(argv_asm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
