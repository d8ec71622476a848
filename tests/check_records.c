/* check_records.c - unit tests for records.c: record lines into whole events */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "util.h"

/*
 * Records cut to their headers and a field: P is the node prefix, S the
 * stamp. What an event is emitted as: its records (the ones read: SYSCALL,
 * EXECVE, CWD, PATH) in the order they came. Every expected text below is
 * written out by hand.
 */
#define SC(P, S) P "type=SYSCALL msg=audit(" S "): syscall=59\n"
#define BP(P, S) P "type=BPRM_FCAPS msg=audit(" S "): fver=0\n"
#define EX(P, S) P "type=EXECVE msg=audit(" S "): argc=1 a0=\"x\"\n"
#define CW(P, S) P "type=CWD msg=audit(" S "): cwd=\"/\"\n"
#define PA(P, S) P "type=PATH msg=audit(" S "): item=0 name=\"/x\"\n"
#define PT(P, S) P "type=PROCTITLE msg=audit(" S "): proctitle=78\n"
#define EOE(P, S) P "type=EOE msg=audit(" S "): \n"
#define T "1700000000.100:7"
#define U "1700000000.101:8"
#define V "1700000001.000:9"
/* node names of 255 bytes (NODE_NAME_MAX, taken) and 256 (dropped) */
#define A16 "aaaaaaaaaaaaaaaa"
#define A255 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 A16 \
	"aaaaaaaaaaaaaaa"
#define A256 A255 "a"
/* the emitted events are joined with this in the test's record */
#define SEP "|"

#define MAX_CHUNKS 4

/* One case: chunks given to records_take in turn (each whole, as a read
 * would leave them), then records_finish. */
struct take_case {
	const char *name;
	const char *chunks[MAX_CHUNKS];
	struct records_limits lim;
	const char *want; /* the emitted events, each followed by SEP */
	struct records_stats st;
};

#define LIM                                                                    \
	{                                                                      \
		100, true, 16, 4096                                            \
	}

static const struct take_case take_cases[] = {
	{"the kernel's order: BPRM_FCAPS dropped, the rest in one piece",
	 {SC("", T) BP("", T) EX("", T) CW("", T) PA("", T) PT("", T)
		  EOE("", T)},
	 LIM,
	 SC("", T) EX("", T) CW("", T) PA("", T) SEP,
	 {.skipped = 2, .ended = 1}},
	{"with a node: its EOE record has it too",
	 {SC("node=a ", T) PT("node=a ", T)},
	 LIM,
	 SC("node=a ", T) SEP,
	 {.skipped = 1, .ended = 1}},
	{"two nodes, records interleaved, the same stamp",
	 {SC("node=a ", T) SC("node=b ", T) EX("node=a ", T) EX("node=b ", T)
		  PT("node=b ", T) PT("node=a ", T)},
	 LIM,
	 SC("node=b ", T) EX("node=b ", T) SEP SC("node=a ", T) EX("node=a ", T)
		 SEP,
	 {.skipped = 2, .ended = 2}},
	{"an event over two reads",
	 {SC("", T) EX("", T), CW("", T) PA("", T) PT("", T)},
	 LIM,
	 SC("", T) EX("", T) CW("", T) PA("", T) SEP,
	 {.skipped = 1, .ended = 1}},
	{"events as they end, not by their stamps (time may step back)",
	 {SC("", V) PT("", V) SC("", U) PT("", U), SC("", T) PT("", T)},
	 LIM,
	 SC("", V) SEP SC("", U) SEP SC("", T) SEP,
	 {.skipped = 3, .ended = 3}},
	{"an event whose end never comes: at the finish",
	 {SC("", T) EX("", T)},
	 LIM,
	 SC("", T) EX("", T) SEP,
	 {.unended = 1}},
	{"by count: ended once lost_after more records came",
	 {SC("", T) SC("", U) PT("", U) SC("", V) PT("", V)},
	 {3, true, 16, 4096},
	 SC("", U) SEP SC("", T) SEP SC("", V) SEP,
	 {.skipped = 2, .ended = 2, .unended = 1}},
	{"at most max_open at once: the oldest ends first",
	 {SC("", T) SC("", U) SC("", V) PT("", V) PT("", U)},
	 {100, true, 2, 4096},
	 SC("", T) SEP SC("", V) SEP SC("", U) SEP,
	 {.skipped = 2, .ended = 2, .unended = 1}},
	{"a record longer than max_line, taken in pieces over two reads, whole",
	 {SC("", T) "type=EXECVE msg=audit(" T "): a0=\"0123",
	  "456789012345678901234567890123456789\"\n" PT("", T)},
	 {100, true, 16, 40},
	 SC("", T) "type=EXECVE msg=audit(" T "): a0=\"0123456789012345"
		   "678901234567890123456789\"\n" SEP,
	 {.skipped = 1, .ended = 1}},
	{"a second end, and an end first, are dropped",
	 {PT("", T) SC("", T) PT("", T) EOE("", T)},
	 LIM,
	 SC("", T) SEP,
	 {.skipped = 2, .ended = 1}},
	{"node names: empty and 256 bytes dropped (garbage), 255 taken",
	 {SC("node= ", T) PT("node= ", T) SC("node=" A256 " ", T)
		  PT("node=" A256 " ", T) SC("node=" A255 " ", T)
			  PT("node=" A255 " ", T)},
	 LIM,
	 SC("node=" A255 " ", T) SEP,
	 {.garbage = 4, .skipped = 1, .ended = 1}},
	{"lines not taken: comments, blank lines, garbage, a bad CWD",
	 {"# c\n\nnot a record\n" SC("", T)
		  CW("", T) "type=CWD msg=audit(" T
			    "): cwd=\"/\" cwd=\"/\"\n" PT("", T)},
	 LIM,
	 SC("", T) CW("", T) SEP,
	 {.garbage = 2, .skipped = 1, .ended = 1}},
};

static void collect(const char *text, size_t len, void *arg)
{
	struct buf *b = arg;

	ck_assert_int_eq(buf_append(b, text, len), 0);
	ck_assert_int_eq(buf_append(b, SEP, strlen(SEP)), 0);
}

START_TEST(test_take)
{
	const struct take_case *c = &take_cases[_i];
	struct buf got = {0};
	struct records *rs = records_create(&c->lim, collect, &got);
	const struct records_stats *st;
	size_t i;

	ck_assert_ptr_nonnull(rs);
	for (i = 0; i < MAX_CHUNKS && c->chunks[i]; i++) {
		size_t len = strlen(c->chunks[i]);
		char *chunk = strdup(c->chunks[i]); /* records write to it */

		ck_assert_uint_eq(records_take(rs, chunk, len, 0), len);
		free(chunk);
	}
	records_finish(rs, 0);
	ck_assert_int_eq(buf_append(&got, "", 1), 0);
	ck_assert_msg(strcmp(got.p, c->want) == 0, "%s:\ngot  %s\nwant %s",
		      c->name, got.p, c->want);
	st = records_stats(rs);
	ck_assert_uint_eq(st->garbage, c->st.garbage);
	ck_assert_uint_eq(st->skipped, c->st.skipped);
	ck_assert_uint_eq(st->ended, c->st.ended);
	ck_assert_uint_eq(st->unended, c->st.unended);
	records_free(rs);
	buf_free(&got);
}
END_TEST

/* By the caller's clock: an event ends lost_after after its first record
 * came, not before; a partial line left at the finish is counted. */
START_TEST(test_clock)
{
	const struct records_limits lim = {2000, false, 16, 4096};
	struct buf got = {0};
	struct records *rs = records_create(&lim, collect, &got);
	char a[] = SC("", T) EX("", T);
	char b[] = SC("", U);

	ck_assert_uint_eq(records_take(rs, a, strlen(a), 1000), strlen(a));
	ck_assert_uint_eq(records_take(rs, b, strlen(b), 2500), strlen(b));
	records_age(rs, 2999);
	ck_assert_uint_eq(got.len, 0);
	records_age(rs, 3000);
	ck_assert_int_eq(buf_append(&got, "", 1), 0);
	ck_assert_str_eq(got.p, SC("", T) EX("", T) SEP);
	records_finish(rs, 5);
	ck_assert_uint_eq(records_stats(rs)->unended, 2);
	ck_assert_uint_eq(records_stats(rs)->garbage, 1);
	records_free(rs);
	buf_free(&got);
	records_free(NULL);
}
END_TEST

/* A partial line is left for the next call. */
START_TEST(test_partial)
{
	const struct records_limits lim = LIM;
	struct buf got = {0};
	struct records *rs = records_create(&lim, collect, &got);
	char a[] = SC("", T) "type=PROC";

	ck_assert_uint_eq(records_take(rs, a, strlen(a), 0), strlen(SC("", T)));
	ck_assert_uint_eq(records_at_end(rs), false);
	records_free(rs);
	buf_free(&got);
}
END_TEST

static Suite *records_suite(void)
{
	Suite *s = suite_create("records");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_take, 0, ARRAY_SIZE(take_cases));
	tcase_add_test(tc, test_clock);
	tcase_add_test(tc, test_partial);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(records_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
