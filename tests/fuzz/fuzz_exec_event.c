/* fuzz_exec_event.c - libFuzzer harness: audit text through auparse into
 * exec_event_parse, and raw name=value pairs into the argv assembler */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <auparse.h>

#include "argv_asm.h"
#include "exec_event.h"
#include "image.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void);

/* libauparse 3.0.9 itself leaks on some malformed records, in blocks it
 * allocates itself. Our blocks are allocated under libauparse too (the
 * event callback), so stacks are kept one frame deep and only libauparse's
 * own blocks are suppressed (see fuzz_plugin.c). */
const char *__lsan_default_options(void)
{
	return "malloc_context_size=2";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libauparse.so\n";
}

static struct exec_event_stats stats;

/* Touch every string of an image so that the sanitizers see bad ones. */
static size_t walk_image(const struct image *img)
{
	size_t n = 0, i;

	if (!img)
		return 0;
	n += img->executable ? strlen(img->executable) : 0;
	n += img->name ? strlen(img->name) : 0;
	n += img->interpreter ? strlen(img->interpreter) : 0;
	n += img->exe ? strlen(img->exe) : 0;
	n += img->comm ? strlen(img->comm) : 0;
	n += img->cwd ? strlen(img->cwd) : 0;
	n += img->tty ? strlen(img->tty) : 0;
	n += img->key ? strlen(img->key) : 0;
	n += img->user_name ? strlen(img->user_name) : 0;
	n += img->command_line ? strlen(img->command_line) : 0;
	for (i = 0; i < img->argc; i++)
		n += strlen(img->args[i]);
	if (img->argc && img->args[img->argc])
		abort(); /* args must be NULL-terminated */
	return n;
}

static void event_cb(auparse_state_t *au, auparse_cb_event_t t, void *data)
{
	struct exec_event ev;
	size_t *sum = data;

	if (t != AUPARSE_CB_EVENT_READY)
		return;
	if (exec_event_parse(au, &ev, &stats, NULL) < 0) {
		if (ev.image || ev.kind != EXEC_EVENT_OTHER)
			abort(); /* -1 must leave nothing to free */
		return;
	}
	if (ev.kind == EXEC_EVENT_EXEC && !ev.image)
		abort();
	*sum += walk_image(ev.image);
	image_free(ev.image);
}

/*
 * Mode 0: the bytes are an audit stream. They are fed as the plugin's input
 * loop feeds them: whole lines, '#' lines skipped, in runs cut at a place
 * the input picks (the second byte), so events end up split across feeds.
 */
static void fuzz_stream(const uint8_t *data, size_t size)
{
	auparse_state_t *au = auparse_init(AUSOURCE_FEED, NULL);
	const char *p = (const char *)data, *end = p + size;
	size_t sum = 0, lines = 0, every = size > 1 ? data[1] % 8 + 1 : 1;
	const char *run = p;

	if (!au)
		return;
	auparse_add_callback(au, event_cb, &sum, NULL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		if (*p == '#') {
			if (p > run)
				auparse_feed(au, run, (size_t)(p - run));
			run = next;
		} else if (++lines % every == 0) {
			auparse_feed(au, run, (size_t)(next - run));
			run = next;
		}
		p = next;
	}
	if (end > run)
		auparse_feed(au, run, (size_t)(end - run));
	auparse_flush_feed(au);
	auparse_destroy(au);
}

/* Mode 1: the bytes are lines of NAME=VALUE for argv_asm_field. */
static void fuzz_argv(const uint8_t *data, size_t size)
{
	struct argv_asm *a = argv_asm_new();
	char *buf = malloc(size + 1), *line, *save = NULL;
	char **args;
	size_t argc, i;
	bool trunc;

	if (!a || !buf) {
		argv_asm_free(a);
		free(buf);
		return;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq = '\0';
		(void)argv_asm_field(a, line, eq + 1);
	}
	if (argv_asm_take(a, &args, &argc, &trunc) == 0) {
		for (i = 0; i < argc; i++) {
			(void)strlen(args[i]);
			free(args[i]);
		}
		if (argc && args[argc])
			abort();
		free(args);
	}
	argv_asm_free(a);
	free(buf);
}

/* libFuzzer start-up: the syscall tables once, and no syslog. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_open("fuzz_exec_event");
	if (exec_event_init() < 0)
		abort();
	return 0;
}

/* libFuzzer entry: the first byte picks the mode. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] == 0x01)
		fuzz_argv(data + 1, size - 1);
	else
		fuzz_stream(data, size);
	return 0;
}
