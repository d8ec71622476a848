/* check_rule.c - unit tests for rule.c: both rule versions and exceptions */
#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "rule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif
#define SEED_DIR TOP_SRCDIR "/../shared/seed/"

/*
 * Images are built by hand here, so that this suite links only rule.c and
 * match.c. name is the basename of executable, args are copied and
 * command_line is the args joined by single spaces, as image.h describes.
 * Every expected verdict below was worked out from the rule text in the
 * seed (version 1) and the upstream query (version 7).
 */
static struct image *mk_argv(const char *exe, const char *const *argv)
{
	struct image *img = calloc(1, sizeof(*img));
	size_t i, n = 0, len = 0;

	ck_assert_ptr_nonnull(img);
	img->success = true;
	if (exe) {
		const char *slash;

		img->executable = strdup(exe);
		ck_assert_ptr_nonnull(img->executable);
		slash = strrchr(img->executable, '/');
		img->name = slash ? slash + 1 : img->executable;
	}
	while (argv && argv[n])
		n++;
	img->args = calloc(n + 1, sizeof(*img->args));
	ck_assert_ptr_nonnull(img->args);
	img->argc = n;
	for (i = 0; i < n; i++) {
		img->args[i] = strdup(argv[i]);
		ck_assert_ptr_nonnull(img->args[i]);
		len += strlen(argv[i]) + 1;
	}
	if (n) {
		img->command_line = calloc(len, 1);
		ck_assert_ptr_nonnull(img->command_line);
		for (i = 0; i < n; i++) {
			if (i)
				strcat(img->command_line, " ");
			strcat(img->command_line, argv[i]);
		}
	}
	return img;
}

/* mk(exe, arg0, arg1, ..., NULL) */
static struct image *mk(const char *exe, ...)
{
	const char *argv[16];
	size_t n = 0;
	va_list ap;

	va_start(ap, exe);
	while ((argv[n] = va_arg(ap, const char *)) != NULL) {
		n++;
		ck_assert_uint_lt(n, ARRAY_SIZE(argv));
	}
	va_end(ap);
	return mk_argv(exe, argv);
}

static void img_free(struct image *img)
{
	size_t i;

	if (!img)
		return;
	free(img->executable);
	for (i = 0; img->args && img->args[i]; i++)
		free(img->args[i]);
	free(img->args);
	free(img->command_line);
	free(img->user_name);
	free(img);
}

/* The usual manual run: root starts dracut -f. */
static struct image *mk_dracut(void)
{
	struct image *img = mk("/usr/bin/dracut", "dracut", "-f", NULL);

	img->uid = 0;
	img->user_name = strdup("root");
	return img;
}

static const char *verdict_name(enum rule_verdict v)
{
	switch (v) {
	case RULE_NOT_CANDIDATE:
		return "NOT_CANDIDATE";
	case RULE_NO_PARENT:
		return "NO_PARENT";
	case RULE_EXCLUDED:
		return "EXCLUDED";
	case RULE_EXCEPTED:
		return "EXCEPTED";
	case RULE_ALERT:
		return "ALERT";
	}
	return "?";
}

static enum rule_verdict eval_version(int version, const struct image *proc,
				      const struct image *parent)
{
	struct rule *rule = rule_create(version, NULL, 0);
	enum rule_verdict v;

	ck_assert_ptr_nonnull(rule);
	v = rule_eval(rule, proc, parent);
	rule_free(rule);
	return v;
}

#define A RULE_ALERT
#define E RULE_EXCLUDED

/*
 * A parent and the verdict each version gives for "dracut -f" under it.
 * Unless a case sets name, the parent's name is the basename of its
 * executable; args default to the executable alone.
 */
struct parent_case {
	const char *why;
	const char *exe;
	const char *name;
	const char *args[8];
	enum rule_verdict v1, v7;
};

/* clang-format off */
static const struct parent_case parent_cases[] = {
	/* an ordinary interactive parent */
	{"shell", "/usr/bin/bash", NULL, {"-bash"}, A, A},
	{"sudo -i shell", "/bin/bash", NULL, {"bash", "-i"}, A, A},

	/* process.parent.executable like~ (v1) / like (v7) */
	{"kernel-install plugin", "/usr/lib/kernel/install.d/50-dracut.install",
	 NULL, {"/usr/lib/kernel/install.d/50-dracut.install", "add"}, E, E},
	{"/usr/lib/kernel/ itself: * matches nothing", "/usr/lib/kernel/",
	 "kernel", {"x"}, E, E},
	{"/usr/lib/kernel without the slash", "/usr/lib/kernel", NULL, {"x"},
	 A, A},
	{"/usr/lib/kernelx/", "/usr/lib/kernelx/hook", NULL, {"x"}, A, A},
	{"/usr/lib64/kernel/", "/usr/lib64/kernel/hook", NULL, {"x"}, A, A},
	{"/usr/lib/kernel/ upper case", "/USR/LIB/KERNEL/x", NULL, {"x"}, E,
	 A},
	{"/usr/lib/kernel/ mixed case", "/usr/lib/Kernel/install.d/x", NULL,
	 {"x"}, E, A},
	{"/etc/kernel/install.d/", "/etc/kernel/install.d/50-dracut.install",
	 NULL, {"/etc/kernel/install.d/50-dracut.install", "add"}, E, E},
	{"/etc/kernel/install.d without the slash", "/etc/kernel/install.d",
	 NULL, {"x"}, A, A},
	{"/etc/kernel/installXd/: the dot is literal",
	 "/etc/kernel/installXd/50-dracut.install", NULL, {"x"}, A, A},
	{"/etc/kernel/postinst.d/", "/etc/kernel/postinst.d/zz-dracut", NULL,
	 {"x"}, A, A},
	{"postinst.d hook named dracut: excluded by its name",
	 "/etc/kernel/postinst.d/dracut", NULL, {"x"}, E, E},
	{"/etc/kernel/install.d/ upper case", "/ETC/Kernel/install.d/x", NULL,
	 {"x"}, E, A},
	{"dpkg postinst", "/var/lib/dpkg/info/dracut.postinst", NULL,
	 {"/var/lib/dpkg/info/dracut.postinst", "configure"}, E, E},
	{"dpkg postinst, dot as X", "/var/lib/dpkg/info/dracutXpostinst", NULL,
	 {"x"}, A, A},
	{"dpkg postinst, suffix", "/var/lib/dpkg/info/dracut.postinst.old",
	 NULL, {"x"}, A, A},
	{"dpkg postinst, prefix", "/x/var/lib/dpkg/info/dracut.postinst", NULL,
	 {"x"}, A, A},
	{"dracut-core postinst", "/var/lib/dpkg/info/dracut-core.postinst",
	 NULL, {"x"}, A, A},
	{"dpkg postinst upper case", "/var/lib/dpkg/info/DRACUT.POSTINST", NULL,
	 {"x"}, E, A},
	{"/tmp/newroot/", "/tmp/newroot/usr/bin/bash", NULL, {"bash"}, E, E},
	{"/tmp/newroot without the slash", "/tmp/newroot", NULL, {"x"}, A, A},
	{"/tmp/newrootx/", "/tmp/newrootx/bash", NULL, {"x"}, A, A},
	{"/tmp/newroot/ upper case", "/TMP/NEWROOT/bash", NULL, {"x"}, E, A},
	{"/usr/lib/module-init-tools/",
	 "/usr/lib/module-init-tools/lsinitrd-quick", NULL, {"x"}, E, E},
	{"/usr/lib/module-init-tools without the slash",
	 "/usr/lib/module-init-tools", NULL, {"x"}, A, A},
	{"/usr/lib/module-init-tools2/", "/usr/lib/module-init-tools2/x", NULL,
	 {"x"}, A, A},
	{"/usr/lib/module-init-tools/ mixed case",
	 "/usr/lib/Module-Init-Tools/x", NULL, {"x"}, E, A},

	/* the six parents version 6 added: like, case-sensitive, exact */
	{"xargs", "/usr/bin/xargs", NULL, {"xargs", "dracut"}, A, E},
	{"xargs2", "/usr/bin/xargs2", NULL, {"x"}, A, A},
	{"/bin/xargs", "/bin/xargs", NULL, {"x"}, A, A},
	{"XARGS", "/usr/bin/XARGS", NULL, {"x"}, A, A},
	{"/sbin/dkms", "/sbin/dkms", NULL, {"dkms", "autoinstall"}, A, E},
	{"/sbin/dkms.real", "/sbin/dkms.real", NULL, {"x"}, A, A},
	{"/SBIN/DKMS", "/SBIN/DKMS", NULL, {"x"}, A, A},
	{"/sbin/mkinitrd", "/sbin/mkinitrd", NULL, {"mkinitrd"}, A, E},
	{"/sbin/mkinitrd-suse", "/sbin/mkinitrd-suse", NULL, {"x"}, A, A},
	{"/usr/sbin/mkinitrd", "/usr/sbin/mkinitrd", NULL, {"x"}, A, A},
	{"/usr/bin/timeout", "/usr/bin/timeout", NULL, {"timeout", "60"}, A,
	 E},
	{"/usr/bin/timeou", "/usr/bin/timeou", NULL, {"x"}, A, A},
	{"/usr/bin/Timeout", "/usr/bin/Timeout", NULL, {"x"}, A, A},
	{"/usr/sbin/dkms", "/usr/sbin/dkms", NULL, {"dkms", "install"}, A, E},
	{"/usr/local/sbin/dkms", "/usr/local/sbin/dkms", NULL, {"x"}, A, A},
	{"/usr/sbin/dkms/", "/usr/sbin/dkms/", "", {"x"}, A, A},
	{"/usr/bin/systemd-inhibit", "/usr/bin/systemd-inhibit", NULL,
	 {"systemd-inhibit", "dracut"}, A, E},
	{"/usr/bin/systemd-inhibitor", "/usr/bin/systemd-inhibitor", NULL,
	 {"x"}, A, A},
	{"/bin/systemd-inhibit", "/bin/systemd-inhibit", NULL, {"x"}, A, A},

	/* process.parent.name in (...): exact and case-sensitive */
	{"dracut-install", "/usr/local/bin/dracut-install", NULL, {"x"}, E, E},
	{"dracut", "/opt/dracut/dracut", NULL, {"x"}, E, E},
	{"run-parts", "/usr/bin/run-parts", NULL,
	 {"run-parts", "/etc/kernel/postinst.d"}, E, E},
	{"weak-modules", "/usr/sbin/weak-modules", NULL, {"x"}, E, E},
	{"mkdumprd", "/usr/bin/mkdumprd", NULL, {"x"}, E, E},
	{"new-kernel-pkg", "/sbin/new-kernel-pkg", NULL, {"x"}, E, E},
	{"sudo", "/usr/bin/sudo", NULL, {"sudo", "dracut", "-f"}, E, E},
	{"Sudo", "/usr/bin/Sudo", NULL, {"x"}, A, A},
	{"SUDO", "/usr/bin/SUDO", NULL, {"x"}, A, A},
	{"sudoedit", "/usr/bin/sudoedit", NULL, {"x"}, A, A},
	{"sudo with a trailing blank", "/usr/bin/sudo ", NULL, {"x"}, A, A},
	{"Dracut-install", "/usr/bin/Dracut-install", NULL, {"x"}, A, A},
	{"dracut-installer", "/usr/bin/dracut-installer", NULL, {"x"}, A, A},
	{"Dracut", "/usr/bin/Dracut", NULL, {"x"}, A, A},
	{"dracut.sh", "/usr/bin/dracut.sh", NULL, {"x"}, A, A},
	{"run_parts", "/usr/bin/run_parts", NULL, {"x"}, A, A},
	{"run-part", "/usr/bin/run-part", NULL, {"x"}, A, A},
	{"weak-module", "/usr/sbin/weak-module", NULL, {"x"}, A, A},
	{"Weak-Modules", "/usr/sbin/Weak-Modules", NULL, {"x"}, A, A},
	{"mkdumprd.sh", "/usr/bin/mkdumprd.sh", NULL, {"x"}, A, A},
	{"MKDUMPRD", "/usr/bin/MKDUMPRD", NULL, {"x"}, A, A},
	{"new-kernel-pkgs", "/sbin/new-kernel-pkgs", NULL, {"x"}, A, A},
	{"new-kernel-pk?", "/sbin/new-kernel-pk?", NULL, {"x"}, A, A},
	{"name set apart from the executable", "/usr/bin/env", "run-parts",
	 {"x"}, E, E},

	/* process.parent.args like~ (...): any element */
	{"rpm scriptlet", "/bin/sh", NULL, {"/bin/sh", "/var/tmp/rpm-tmp.XXXX",
	 "1"}, E, E},
	{"rpm scriptlet, first arg", "/bin/sh", NULL,
	 {"/var/tmp/rpm-tmp.ab12"}, E, E},
	{"rpm scriptlet, last of several", "/bin/sh", NULL,
	 {"sh", "-e", "-x", "/var/tmp/rpm-tmp.1"}, E, E},
	{"rpm-tmp. with nothing after it", "/bin/sh", NULL,
	 {"/bin/sh", "/var/tmp/rpm-tmp."}, E, E},
	{"rpm-tmp upper case", "/bin/sh", NULL,
	 {"/bin/sh", "/VAR/TMP/RPM-TMP.abc"}, E, E},
	{"rpm-tmpX: the dot is literal", "/bin/sh", NULL,
	 {"/bin/sh", "/var/tmp/rpm-tmpX1234", "1"}, A, A},
	{"rpm-tmp without the dot", "/bin/sh", NULL,
	 {"/bin/sh", "/var/tmp/rpm-tmp"}, A, A},
	{"rpm-tmp. with a prefix", "/bin/sh", NULL,
	 {"/bin/sh", "x/var/tmp/rpm-tmp.1"}, A, A},
	{"rpm-tmp. under /tmp", "/bin/sh", NULL,
	 {"/bin/sh", "/tmp/rpm-tmp.1"}, A, A},
	{"rpm-tmp. inside a longer arg", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "/var/tmp/rpm-tmp.1 1"}, E, E},
	{"rpm-tmp. after text in one arg", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "sh /var/tmp/rpm-tmp.1"}, A, A},
	{"dracut-rebuild as an argument", "/bin/bash", NULL,
	 {"/bin/bash", "/usr/bin/dracut-rebuild"}, E, E},
	{"dracut-rebuild as argv[0]", "/usr/bin/dracut-rebuild", NULL,
	 {"/usr/bin/dracut-rebuild"}, E, E},
	{"dracut-rebuild upper case", "/bin/bash", NULL,
	 {"bash", "/USR/BIN/DRACUT-REBUILD"}, E, E},
	{"dracut-rebuild.sh", "/bin/bash", NULL,
	 {"bash", "/usr/bin/dracut-rebuild.sh"}, A, A},
	{"dracut-rebuil", "/bin/bash", NULL,
	 {"bash", "/usr/bin/dracut-rebuil"}, A, A},
	{"dracut-rebuild in /usr/local", "/bin/bash", NULL,
	 {"bash", "/usr/local/bin/dracut-rebuild"}, A, A},
	{"dracut-rebuild without its path", "/usr/local/bin/dracut-rebuild",
	 NULL, {"dracut-rebuild"}, A, A},

	/* process.parent.command_line like~ "/bin/sh -c if command -v
	 * mkinitcpio*" (args joined by single spaces) */
	{"mkinitcpio hook", "/bin/sh", NULL,
	 {"/bin/sh", "-c",
	  "if command -v mkinitcpio >/dev/null; then mkinitcpio -P; fi"},
	 E, E},
	{"mkinitcpio, nothing after it", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "if command -v mkinitcpio"}, E, E},
	{"mkinitcpio, split across args", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "if", "command", "-v", "mkinitcpio"}, E, E},
	{"mkinitcpio upper case", "/bin/sh", NULL,
	 {"/BIN/SH", "-C", "IF COMMAND -V MKINITCPIO -P"}, E, E},
	{"mkinitcpio from sh, not /bin/sh", "/bin/sh", NULL,
	 {"sh", "-c", "if command -v mkinitcpio"}, A, A},
	{"mkinitcpio from /bin/bash", "/bin/bash", NULL,
	 {"/bin/bash", "-c", "if command -v mkinitcpio"}, A, A},
	{"mkinitcpio, two blanks", "/bin/sh", NULL,
	 {"/bin/sh", "-c", " if command -v mkinitcpio"}, A, A},
	{"mkinitcp", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "if command -v mkinitcp"}, A, A},
	{"mkinitcpio behind env: anchored at the start", "/usr/bin/env", NULL,
	 {"env", "/bin/sh", "-c", "if command -v mkinitcpio"}, A, A},
	{"mkinitcpio not at the start", "/bin/sh", NULL,
	 {"/bin/sh", "-c", "true; if command -v mkinitcpio"}, A, A},
};
/* clang-format on */

START_TEST(test_parents)
{
	const struct parent_case *c = &parent_cases[_i];
	struct image *proc = mk_dracut();
	struct image *parent = mk_argv(c->exe, c->args);
	enum rule_verdict v1, v7;

	if (c->name)
		parent->name = c->name;
	v1 = eval_version(1, proc, parent);
	v7 = eval_version(7, proc, parent);
	ck_assert_msg(v1 == c->v1, "v1, %s: got %s, expected %s", c->why,
		      verdict_name(v1), verdict_name(c->v1));
	ck_assert_msg(v7 == c->v7, "v7, %s: got %s, expected %s", c->why,
		      verdict_name(v7), verdict_name(c->v7));
	img_free(proc);
	img_free(parent);
}
END_TEST

/* Missing fields: not (...) is two-valued, a missing branch is false. */
START_TEST(test_missing_fields)
{
	struct image *proc = mk_dracut();
	struct image *parent;
	int v;

	for (v = 1; v <= 7; v += 6) {
		/* no args and no command line: nothing excludes */
		parent = mk("/usr/bin/bash", NULL);
		ck_assert_uint_eq(parent->argc, 0);
		ck_assert_ptr_null(parent->command_line);
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		/* ... unless another branch does */
		parent->name = "sudo";
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
		img_free(parent);

		/* args that would match, but the array is empty */
		parent = mk("/bin/sh", "/var/tmp/rpm-tmp.1", NULL);
		parent->argc = 0;
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		img_free(parent);
		parent = mk("/bin/sh", "/var/tmp/rpm-tmp.1", NULL);
		free(parent->args[0]);
		free(parent->args);
		parent->args = NULL;
		parent->argc = 0;
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		img_free(parent);

		/* a missing command line, args that do not match */
		parent = mk("/bin/sh", "/bin/sh", "-c",
			    "if command -v mkinitcpio", NULL);
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
		free(parent->command_line);
		parent->command_line = NULL;
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		img_free(parent);

		/* the command line matches, with no args at all */
		parent = mk("/bin/sh", NULL);
		parent->command_line =
			strdup("/bin/sh -c if command -v mkinitcpio -P");
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
		img_free(parent);

		/* a missing parent name, executable present */
		parent = mk("/usr/bin/bash", "bash", NULL);
		parent->name = NULL;
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		img_free(parent);
	}
	img_free(proc);
}
END_TEST

/* process.parent.executable != null */
START_TEST(test_parent_presence)
{
	struct image *proc = mk_dracut();
	struct image *parent;
	int v;

	for (v = 1; v <= 7; v += 6) {
		ck_assert_int_eq(eval_version(v, proc, NULL), RULE_NO_PARENT);

		/* no executable: null, even if other fields would exclude */
		parent = mk(NULL, "sudo", NULL);
		parent->name = "sudo";
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_NO_PARENT);
		img_free(parent);

		/* an empty string is a value: the field exists */
		parent = mk("", "x", NULL);
		ck_assert_str_eq(parent->name, "");
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
		img_free(parent);

		/* and the exclusions still apply to it */
		parent = mk("", "sh", "/var/tmp/rpm-tmp.1", NULL);
		ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
		img_free(parent);
	}
	img_free(proc);
}
END_TEST

/* process.name == "dracut" on a successful exec */
START_TEST(test_candidate)
{
	static const struct {
		const char *exe;
		bool candidate;
	} cases[] = {
		{"/usr/bin/dracut", true},
		{"/usr/sbin/dracut", true},
		{"/home/eve/x/dracut", true}, /* a copy elsewhere */
		{"/usr/bin/dracut.sh", false},
		{"/usr/bin/Dracut", false},
		{"/usr/bin/DRACUT", false},
		{"/usr/bin/xdracut", false},
		{"/usr/bin/dracutx", false},
		{"/usr/bin/dracut ", false},
		{"/usr/bin/dracu", false},
		{"/usr/lib/dracut/dracut-install", false},
		{"/usr/bin/dracut/", false}, /* name "" */
	};
	struct image *parent = mk("/usr/bin/bash", "bash", NULL);
	struct rule *r1 = rule_create(1, NULL, 0);
	struct rule *r7 = rule_create(7, NULL, 0);
	size_t i;

	ck_assert_ptr_nonnull(r1);
	ck_assert_ptr_nonnull(r7);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct image *proc = mk(cases[i].exe, "dracut", "-f", NULL);
		enum rule_verdict want =
			cases[i].candidate ? RULE_ALERT : RULE_NOT_CANDIDATE;

		ck_assert_msg(rule_candidate(r1, proc) == cases[i].candidate,
			      "candidate %s", cases[i].exe);
		ck_assert_msg(rule_candidate(r7, proc) == cases[i].candidate,
			      "candidate %s", cases[i].exe);
		ck_assert_msg(rule_eval(r1, proc, parent) == want, "v1 %s",
			      cases[i].exe);
		ck_assert_msg(rule_eval(r7, proc, parent) == want, "v7 %s",
			      cases[i].exe);
		/* not a candidate, even with no parent */
		if (!cases[i].candidate)
			ck_assert_int_eq(rule_eval(r1, proc, NULL),
					 RULE_NOT_CANDIDATE);

		/* a failed exec is never a candidate */
		proc->success = false;
		ck_assert(!rule_candidate(r1, proc));
		ck_assert(!rule_candidate(r7, proc));
		ck_assert_int_eq(rule_eval(r1, proc, parent),
				 RULE_NOT_CANDIDATE);
		ck_assert_int_eq(rule_eval(r7, proc, parent),
				 RULE_NOT_CANDIDATE);
		img_free(proc);
	}

	/* the name is what counts, not argv[0] or the command line */
	{
		struct image *proc = mk("/usr/bin/true", "dracut", NULL);

		ck_assert(!rule_candidate(r1, proc));
		img_free(proc);
		proc = mk("/usr/bin/dracut", "true", NULL);
		ck_assert(rule_candidate(r1, proc));
		img_free(proc);
		proc = mk(NULL, "dracut", NULL); /* no executable, no name */
		ck_assert(!rule_candidate(r1, proc));
		ck_assert_int_eq(rule_eval(r1, proc, parent),
				 RULE_NOT_CANDIDATE);
		img_free(proc);
	}

	ck_assert(!rule_candidate(NULL, parent));
	ck_assert(!rule_candidate(r1, NULL));
	ck_assert_int_eq(rule_eval(r1, NULL, parent), RULE_NOT_CANDIDATE);
	rule_free(r1);
	rule_free(r7);
	img_free(parent);
}
END_TEST

/* The child's own fields never trigger the parent exclusions. */
START_TEST(test_child_fields_ignored)
{
	struct image *proc =
		mk("/usr/lib/kernel/dracut", "/bin/sh", "/var/tmp/rpm-tmp.1",
		   "/usr/bin/dracut-rebuild", NULL);
	struct image *parent = mk("/usr/bin/bash", "bash", NULL);

	ck_assert_int_eq(eval_version(1, proc, parent), RULE_ALERT);
	ck_assert_int_eq(eval_version(7, proc, parent), RULE_ALERT);
	img_free(proc);
	img_free(parent);
}
END_TEST

START_TEST(test_versions)
{
	ck_assert(rule_version_known(1));
	ck_assert(rule_version_known(7));
	ck_assert(!rule_version_known(0));
	ck_assert(!rule_version_known(2));
	ck_assert(!rule_version_known(6));
	ck_assert(!rule_version_known(8));
	ck_assert(!rule_version_known(-1));
	ck_assert_ptr_null(rule_create(0, NULL, 0));
	ck_assert_ptr_null(rule_create(6, NULL, 0));
	ck_assert_ptr_null(rule_create(8, NULL, 0));
	rule_free(NULL);
	ck_assert_ptr_null(rule_meta(NULL));
}
END_TEST

static void check_common_meta(const struct rule_meta *m)
{
	ck_assert_str_eq(m->id, "834ee026-f9f9-4ec7-b5e0-7fbfe84765f4");
	ck_assert_str_eq(m->name, "Manual Dracut Execution");
	ck_assert_str_eq(m->author, "Elastic");
	ck_assert_str_eq(m->license, "Elastic License v2");
	ck_assert_str_eq(m->severity, "low");
	ck_assert_int_eq(m->risk_score, 21);
	ck_assert_ptr_nonnull(m->description);
	ck_assert(strncmp(m->description,
			  "This rule detects manual execution of the `dracut` "
			  "command on Linux systems.",
			  strlen("This rule detects manual execution of the "
				 "`dracut` command on Linux systems.")) == 0);
	ck_assert_ptr_nonnull(strstr(m->description,
				     "allowing them to maintain persistence "
				     "on the system."));
	ck_assert_uint_eq(m->nreferences, 1);

	/* TA0003 Persistence / T1542 Pre-OS Boot */
	ck_assert_str_eq(m->threats[0].tactic_id, "TA0003");
	ck_assert_str_eq(m->threats[0].tactic_name, "Persistence");
	ck_assert_str_eq(m->threats[0].tactic_reference,
			 "https://attack.mitre.org/tactics/TA0003/");
	ck_assert_str_eq(m->threats[0].technique_id, "T1542");
	ck_assert_str_eq(m->threats[0].technique_name, "Pre-OS Boot");
	ck_assert_str_eq(m->threats[0].technique_reference,
			 "https://attack.mitre.org/techniques/T1542/");
	ck_assert_ptr_null(m->threats[0].subtechnique_id);
	ck_assert_ptr_null(m->threats[0].subtechnique_name);
	ck_assert_ptr_null(m->threats[0].subtechnique_reference);

	/* TA0002 Execution / T1059 / T1059.004 Unix Shell */
	ck_assert_str_eq(m->threats[1].tactic_id, "TA0002");
	ck_assert_str_eq(m->threats[1].tactic_name, "Execution");
	ck_assert_str_eq(m->threats[1].tactic_reference,
			 "https://attack.mitre.org/tactics/TA0002/");
	ck_assert_str_eq(m->threats[1].technique_id, "T1059");
	ck_assert_str_eq(m->threats[1].technique_name,
			 "Command and Scripting Interpreter");
	ck_assert_str_eq(m->threats[1].technique_reference,
			 "https://attack.mitre.org/techniques/T1059/");
	ck_assert_str_eq(m->threats[1].subtechnique_id, "T1059.004");
	ck_assert_str_eq(m->threats[1].subtechnique_name, "Unix Shell");
	ck_assert_str_eq(m->threats[1].subtechnique_reference,
			 "https://attack.mitre.org/techniques/T1059/004/");
}

START_TEST(test_meta_v1)
{
	struct rule *r = rule_create(1, NULL, 0);
	const struct rule_meta *m;

	ck_assert_ptr_nonnull(r);
	m = rule_meta(r);
	ck_assert_ptr_nonnull(m);
	check_common_meta(m);
	ck_assert_int_eq(m->version, 1);
	ck_assert_str_eq(m->references[0],
			 "https://www.elastic.co/guide/en/security/current/"
			 "prebuilt-rule-8-17-3-manual-dracut-execution.html");
	ck_assert_uint_eq(m->nthreats, 2);
	rule_free(r);
}
END_TEST

START_TEST(test_meta_v7)
{
	struct rule *r = rule_create(7, NULL, 0);
	const struct rule_meta *m;

	ck_assert_ptr_nonnull(r);
	m = rule_meta(r);
	ck_assert_ptr_nonnull(m);
	check_common_meta(m);
	ck_assert_int_eq(m->version, 7);
	ck_assert_str_eq(
		m->references[0],
		"https://github.com/elastic/detection-rules/blob/main/"
		"rules/linux/persistence_manual_dracut_execution.toml");
	ck_assert_uint_eq(m->nthreats, 3);
	/* TA0005 Defense Evasion / T1542 Pre-OS Boot */
	ck_assert_str_eq(m->threats[2].tactic_id, "TA0005");
	ck_assert_str_eq(m->threats[2].tactic_name, "Defense Evasion");
	ck_assert_str_eq(m->threats[2].tactic_reference,
			 "https://attack.mitre.org/tactics/TA0005/");
	ck_assert_str_eq(m->threats[2].technique_id, "T1542");
	ck_assert_str_eq(m->threats[2].technique_name, "Pre-OS Boot");
	ck_assert_str_eq(m->threats[2].technique_reference,
			 "https://attack.mitre.org/techniques/T1542/");
	ck_assert_ptr_null(m->threats[2].subtechnique_id);
	rule_free(r);
}
END_TEST

/* ------------------------------------------------------------ the seed */

/*
 * A cross-check against transcription errors: when the rule documents are
 * at hand (../shared/seed, beside the source tree; absent from a tarball),
 * read the query of each version, take every value of every exclusion and
 * its operator from the text, and check that the rule excludes each value
 * made concrete, and treats a case-flipped copy as the operator says.
 */
#define SEED_MAX 32

struct seed_clause {
	char op[8];
	char *values[SEED_MAX];
	size_t n;
};

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long len;

	if (!fp)
		return NULL;
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	ck_assert_int_ge(len, 0);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, fp), (size_t)len);
	buf[len] = '\0';
	fclose(fp);
	return buf;
}

/* Read "FIELD OP ( "a", "b" )" or "FIELD OP "a"" from the not (...) part. */
static void seed_clause(const char *query, const char *field,
			struct seed_clause *c)
{
	const char *s = strstr(query, "not (");
	size_t k;

	memset(c, 0, sizeof(*c));
	ck_assert_ptr_nonnull(s);
	s = strstr(s, field);
	ck_assert_msg(s != NULL, "seed: no %s in the exclusions", field);
	s += strlen(field);
	while (isspace((unsigned char)*s))
		s++;
	for (k = 0; *s && !isspace((unsigned char)*s) && k < 7; k++)
		c->op[k] = *s++;
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '(') {
		const char *e = strchr(s + 1, '"');

		ck_assert(*s == '"' && e);
		c->values[c->n++] = strndup(s + 1, (size_t)(e - s - 1));
		return;
	}
	while (*s && *s != ')') {
		const char *b = strchr(s, '"'), *e;

		if (!b || b > strchr(s, ')'))
			break;
		e = strchr(b + 1, '"');
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_lt(c->n, SEED_MAX);
		c->values[c->n++] = strndup(b + 1, (size_t)(e - b - 1));
		s = e + 1;
	}
}

static void seed_clause_free(struct seed_clause *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->values[i]);
}

/* pattern with each '*' replaced by fill */
static char *concrete(const char *pattern, const char *fill)
{
	char *out = calloc(strlen(pattern) * (strlen(fill) + 1) + 1, 1);
	char *o = out;

	ck_assert_ptr_nonnull(out);
	for (; *pattern; pattern++) {
		if (*pattern == '*') {
			strcpy(o, fill);
			o += strlen(fill);
		} else {
			*o++ = *pattern;
		}
	}
	return out;
}

/* Swap the case of every ASCII letter; true if anything changed. */
static bool flip_case(char *s)
{
	bool changed = false;

	for (; *s; s++) {
		if (isupper((unsigned char)*s)) {
			*s = (char)tolower((unsigned char)*s);
			changed = true;
		} else if (islower((unsigned char)*s)) {
			*s = (char)toupper((unsigned char)*s);
			changed = true;
		}
	}
	return changed;
}

/* What a case-flipped copy of a listed value gives under op. */
static enum rule_verdict flipped_verdict(const char *op)
{
	if (strcmp(op, "like~") == 0 || strcmp(op, "in~") == 0)
		return RULE_EXCLUDED;
	return RULE_ALERT;
}

static void seed_check(int version, const char *file)
{
	static const char *const fields[] = {
		"process.parent.executable", "process.parent.name",
		"process.parent.args", "process.parent.command_line"};
	struct seed_clause c[ARRAY_SIZE(fields)];
	struct image *proc = mk_dracut();
	char *doc = slurp(file), *query;
	size_t f, i, total = 0;

	if (!doc) {
		fprintf(stderr, "SKIP: %s is not at hand\n", file);
		img_free(proc);
		return;
	}
	query = strstr(doc, "process where");
	ck_assert_ptr_nonnull(query);
	for (f = 0; f < ARRAY_SIZE(fields); f++)
		seed_clause(query, fields[f], &c[f]);
	/* the lists as the documents state them */
	ck_assert_uint_eq(c[0].n, version == 1 ? 5 : 11);
	ck_assert_str_eq(c[0].op, version == 1 ? "like~" : "like");
	ck_assert_uint_eq(c[1].n, 7);
	ck_assert_str_eq(c[1].op, "in");
	ck_assert_uint_eq(c[2].n, 2);
	ck_assert_str_eq(c[2].op, "like~");
	ck_assert_uint_eq(c[3].n, 1);
	ck_assert_str_eq(c[3].op, "like~");

	for (f = 0; f < ARRAY_SIZE(fields); f++) {
		for (i = 0; i < c[f].n; i++) {
			char *v = concrete(c[f].values[i], "x/Y z");
			const char *args[3] = {"x", NULL, NULL};
			struct image *parent;
			enum rule_verdict got;

			for (int flip = 0; flip < 2; flip++) {
				enum rule_verdict want = RULE_EXCLUDED;

				if (flip) {
					if (!flip_case(v))
						break;
					want = flipped_verdict(c[f].op);
				}
				if (f == 0) {
					parent = mk_argv(v, args);
				} else if (f == 1) {
					parent = mk_argv("/opt/bin/p", args);
					parent->name = v;
				} else {
					args[1] = v;
					parent = mk_argv("/opt/bin/p", args);
				}
				if (f == 3) { /* the command line alone */
					free(parent->command_line);
					parent->command_line = strdup(v);
					free(parent->args[1]);
					parent->args[1] = NULL;
					parent->argc = 1;
				}
				got = eval_version(version, proc, parent);
				ck_assert_msg(got == want,
					      "v%d %s %s \"%s\": got %s, "
					      "expected %s",
					      version, fields[f], c[f].op, v,
					      verdict_name(got),
					      verdict_name(want));
				img_free(parent);
				total++;
			}
			free(v);
		}
		seed_clause_free(&c[f]);
	}
	ck_assert_uint_gt(total, 0);
	free(doc);
	img_free(proc);
}

START_TEST(test_seed_v1)
{
	seed_check(1, SEED_DIR "manual-dracut-execution-v1.md");
}
END_TEST

START_TEST(test_seed_v7)
{
	seed_check(7, SEED_DIR "upstream-rule-v7.md");
}
END_TEST

/* ------------------------------------------------------------ exceptions */

/* Parse text, which must be valid, or fail the test with the reason. */
static void parse_ok(const char *text, struct rule_exception *out)
{
	char err[256] = "";

	ck_assert_msg(rule_exception_parse(text, out, err, sizeof(err)) == 0,
		      "parse '%s': %s", text, err);
}

/* The verdict of rule version v with the one exception text. */
static enum rule_verdict eval_exc(int v, const char *text,
				  const struct image *proc,
				  const struct image *parent)
{
	struct rule_exception exc;
	struct rule *rule;
	enum rule_verdict verdict;

	parse_ok(text, &exc);
	rule = rule_create(v, &exc, 1);
	ck_assert_ptr_nonnull(rule);
	/* the rule holds its own copy */
	rule_exception_clear(&exc);
	verdict = rule_eval(rule, proc, parent);
	rule_free(rule);
	return verdict;
}

/*
 * An exception, the child (name always dracut) and parent it is tried on,
 * and whether it suppresses the alert. The child's executable, args and
 * user, and the parent's executable and args, vary per case.
 */
struct exc_case {
	const char *text;
	const char *exe;      /* child executable */
	const char *args[4];  /* child args */
	const char *user;     /* child user name, or NULL */
	unsigned uid;	      /* child uid */
	const char *pexe;     /* parent executable */
	const char *pargs[4]; /* parent args */
	bool excepted;
};

#define DR "/usr/bin/dracut"
#define DRA                                                                    \
	{                                                                      \
		"dracut", "-f"                                                 \
	}
#define SH "/usr/bin/bash"
#define SHA                                                                    \
	{                                                                      \
		"bash"                                                         \
	}

/* clang-format off */
static const struct exc_case exc_cases[] = {
	/* process.parent.executable, like~, two values */
	{"process.parent.executable like~ \"/opt/kernel/*\" "
	 "\"/usr/local/sbin/mk\"",
	 DR, DRA, "root", 0, "/OPT/KERNEL/hook", SHA, true},
	{"process.parent.executable like~ \"/opt/kernel/*\" "
	 "\"/usr/local/sbin/mk\"",
	 DR, DRA, "root", 0, "/usr/local/sbin/mk", SHA, true},
	{"process.parent.executable like~ \"/opt/kernel/*\" "
	 "\"/usr/local/sbin/mk\"",
	 DR, DRA, "root", 0, "/usr/local/sbin/mkx", SHA, false},
	{"process.parent.executable like \"/opt/kernel/*\"", DR, DRA, "root",
	 0, "/OPT/KERNEL/hook", SHA, false},
	{"process.parent.executable == \"/opt/kernel/*\"", DR, DRA, "root", 0,
	 "/opt/kernel/hook", SHA, false},
	{"process.parent.executable == \"/opt/kernel/*\"", DR, DRA, "root", 0,
	 "/opt/kernel/*", SHA, true},
	{"process.parent.executable in \"/opt/a\" \"/opt/b\"", DR, DRA, "root",
	 0, "/opt/b", SHA, true},
	{"process.parent.executable in \"/opt/a\" \"/opt/b\"", DR, DRA, "root",
	 0, "/opt/B", SHA, false},
	/* '?' is one character: U+00E9 is two bytes but one character */
	{"process.parent.executable like \"/opt/k?/x\"", DR, DRA, "root", 0,
	 "/opt/k1/x", SHA, true},
	{"process.parent.executable like \"/opt/k?/x\"", DR, DRA, "root", 0,
	 "/opt/k\xc3\xa9/x", SHA, true},
	{"process.parent.executable like \"/opt/k?/x\"", DR, DRA, "root", 0,
	 "/opt/k12/x", SHA, false},
	{"process.parent.executable like \"/opt/k?/x\"", DR, DRA, "root", 0,
	 "/opt/k/x", SHA, false},
	/* process.executable */
	{"process.executable == \"/usr/bin/dracut\"", DR, DRA, "root", 0, SH,
	 SHA, true},
	{"process.executable == \"/usr/bin/dracut\"", "/opt/dracut", DRA,
	 "root", 0, SH, SHA, false},
	{"process.executable like~ \"/USR/*\"", DR, DRA, "root", 0, SH, SHA,
	 true},
	/* process.name */
	{"process.name == \"dracut\"", DR, DRA, "root", 0, SH, SHA, true},
	{"process.name in (\"mkinitrd\", \"dracut\")", DR, DRA, "root", 0, SH,
	 SHA, true},
	{"process.name == \"Dracut\"", DR, DRA, "root", 0, SH, SHA, false},
	{"process.name like~ \"DRACUT\"", DR, DRA, "root", 0, SH, SHA, true},
	/* process.args: any element */
	{"process.args like \"--kver=*\"", DR, {"dracut", "--kver=6.1"},
	 "root", 0, SH, SHA, true},
	{"process.args like \"--kver=*\"", DR, {"dracut", "--KVER=6.1"},
	 "root", 0, SH, SHA, false},
	{"process.args like~ \"--kver=*\"", DR, {"dracut", "--KVER=6.1"},
	 "root", 0, SH, SHA, true},
	{"process.args == \"-f\"", DR, {"dracut", "-f", "x"}, "root", 0, SH,
	 SHA, true},
	{"process.args == \"-f\"", DR, {"dracut", "--force"}, "root", 0, SH,
	 SHA, false},
	{"process.args like \"*\"", DR, {NULL}, "root", 0, SH, SHA, false},
	/* process.command_line */
	{"process.command_line like \"dracut -f *\"", DR,
	 {"dracut", "-f", "/boot/x"}, "root", 0, SH, SHA, true},
	{"process.command_line like \"dracut -f *\"", DR,
	 {"dracut", "--force"}, "root", 0, SH, SHA, false},
	{"process.command_line == \"dracut -f\"", DR, DRA, "root", 0, SH, SHA,
	 true},
	{"process.command_line like \"*\"", DR, {NULL}, "root", 0, SH, SHA,
	 false},
	/* process.parent.name */
	{"process.parent.name in \"ansible\" \"salt-minion\"", DR, DRA, "root",
	 0, "/usr/bin/salt-minion", SHA, true},
	{"process.parent.name in \"ansible\" \"salt-minion\"", DR, DRA, "root",
	 0, "/usr/bin/Ansible", SHA, false},
	{"process.parent.name like~ \"ansible*\"", DR, DRA, "root", 0,
	 "/usr/bin/Ansible-playbook", SHA, true},
	/* process.parent.args */
	{"process.parent.args == \"--rebuild\"", DR, DRA, "root", 0,
	 "/opt/tool", {"/opt/tool", "--rebuild"}, true},
	{"process.parent.args == \"--rebuild\"", DR, DRA, "root", 0,
	 "/opt/tool", {"/opt/tool", "--rebuild=1"}, false},
	{"process.parent.args like \"*\"", DR, DRA, "root", 0, "/opt/tool",
	 {NULL}, false},
	/* process.parent.command_line */
	{"process.parent.command_line like~ "
	 "\"/usr/bin/python3 /opt/ansible/*\"",
	 DR, DRA, "root", 0, "/usr/bin/python3",
	 {"/usr/bin/python3", "/OPT/Ansible/run.py"}, true},
	{"process.parent.command_line like~ "
	 "\"/usr/bin/python3 /opt/ansible/*\"",
	 DR, DRA, "root", 0, "/usr/bin/python3",
	 {"/usr/bin/python3", "/opt/other/run.py"}, false},
	{"process.parent.command_line like \"*\"", DR, DRA, "root", 0,
	 "/opt/tool", {NULL}, false},
	/* process.user.name and user.name */
	{"process.user.name == \"builder\"", DR, DRA, "builder", 1000, SH, SHA,
	 true},
	{"process.user.name == \"builder\"", DR, DRA, "Builder", 1000, SH, SHA,
	 false},
	{"process.user.name like \"*\"", DR, DRA, NULL, 1000, SH, SHA, false},
	{"user.name in \"builder\" \"ci\"", DR, DRA, "ci", 1001, SH, SHA, true},
	{"user.name like~ \"CI\"", DR, DRA, "ci", 1001, SH, SHA, true},
	/* process.user.id and user.id: the decimal uid */
	{"process.user.id == \"1000\"", DR, DRA, "builder", 1000, SH, SHA,
	 true},
	{"process.user.id == \"1000\"", DR, DRA, "root", 0, SH, SHA, false},
	{"user.id in \"0\" \"1000\"", DR, DRA, "root", 0, SH, SHA, true},
	{"user.id in \"0\" \"1000\"", DR, DRA, "x", 100, SH, SHA, false},
	{"user.id like \"10?\"", DR, DRA, "x", 100, SH, SHA, true},
	{"user.id like \"10?\"", DR, DRA, "x", 1000, SH, SHA, false},
	{"user.id like \"10?\"", DR, DRA, "x", 10, SH, SHA, false},
	{"user.id == \"4294967294\"", DR, DRA, "x", 4294967294u, SH, SHA,
	 true},
	/* the uid is always there, as the alert writes it */
	{"user.id like \"*\"", DR, DRA, "x", 4294967295u, SH, SHA, true},
	{"user.id == \"4294967295\"", DR, DRA, "x", 4294967295u, SH, SHA, true},
	{"user.id == \"0\"", DR, DRA, "x", 4294967295u, SH, SHA, false},
	/* escapes: \* and \? are literal, \\ one backslash */
	{"process.parent.name like \"a\\*b\"", DR, DRA, "root", 0, "/x/a*b",
	 SHA, true},
	{"process.parent.name like \"a\\*b\"", DR, DRA, "root", 0, "/x/axb",
	 SHA, false},
	{"process.parent.name like \"a\\*b\"", DR, DRA, "root", 0, "/x/a*xb",
	 SHA, false},
	{"process.parent.name like \"\\?\"", DR, DRA, "root", 0, "/x/?", SHA,
	 true},
	{"process.parent.name like \"\\?\"", DR, DRA, "root", 0, "/x/x", SHA,
	 false},
	{"process.parent.name like \"\\\\\"", DR, DRA, "root", 0, "/x/\\", SHA,
	 true},
	{"process.parent.name like \"\\\\\"", DR, DRA, "root", 0, "/x/\\\\",
	 SHA, false},
	{"process.parent.name like~ \"*\\\\*\"", DR, DRA, "root", 0,
	 "/x/A\\B", SHA, true},
	/* == takes the value as it is: the backslash stays */
	{"process.parent.name == \"a\\*\"", DR, DRA, "root", 0, "/x/a\\*", SHA,
	 true},
	{"process.parent.name == \"a\\*\"", DR, DRA, "root", 0, "/x/a*", SHA,
	 false},
	/* \" is a quote */
	{"process.parent.name == \"say \\\"hi\\\"\"", DR, DRA, "root", 0,
	 "/x/say \"hi\"", SHA, true},
	{"process.parent.name like \"*\\\"*\"", DR, DRA, "root", 0, "/x/a\"b",
	 SHA, true},
	/* the EQL list form and blanks */
	{"  process.parent.name\tin ( \"a\" ,\"b\",\t\"c\" )  ", DR, DRA,
	 "root", 0, "/x/c", SHA, true},
	{"process.parent.name in(\"a\")", DR, DRA, "root", 0, "/x/a", SHA,
	 true},
	{"process.parent.name like~\"A\"", DR, DRA, "root", 0, "/x/a", SHA,
	 true},
	/* an empty value is a value */
	{"process.parent.name == \"\"", DR, DRA, "root", 0, "/x/", SHA, true},
	{"process.parent.name == \"\"", DR, DRA, "root", 0, "/x/y", SHA,
	 false},
};
/* clang-format on */

START_TEST(test_exceptions)
{
	const struct exc_case *c = &exc_cases[_i];
	struct image *proc = mk_argv(c->exe, c->args);
	struct image *parent = mk_argv(c->pexe, c->pargs);
	enum rule_verdict want = c->excepted ? RULE_EXCEPTED : RULE_ALERT;
	enum rule_verdict v1, v7;

	proc->uid = (uid_t)c->uid;
	proc->user_name = c->user ? strdup(c->user) : NULL;
	v1 = eval_exc(1, c->text, proc, parent);
	v7 = eval_exc(7, c->text, proc, parent);
	ck_assert_msg(v1 == want, "v1 '%s': got %s, expected %s", c->text,
		      verdict_name(v1), verdict_name(want));
	ck_assert_msg(v7 == want, "v7 '%s': got %s, expected %s", c->text,
		      verdict_name(v7), verdict_name(want));
	img_free(proc);
	img_free(parent);
}
END_TEST

/* What the parser keeps: fields, operators and the exact value bytes. */
START_TEST(test_exception_parse_values)
{
	struct rule_exception e;

	parse_ok("process.parent.executable like~ \"/opt/kernel/*\" "
		 "\"/usr/local/sbin/mk\"",
		 &e);
	ck_assert_int_eq(e.field, RULE_F_PARENT_EXECUTABLE);
	ck_assert_int_eq(e.op, MATCH_ILIKE);
	ck_assert_uint_eq(e.nvalues, 2);
	ck_assert_str_eq(e.values[0], "/opt/kernel/*");
	ck_assert_str_eq(e.values[1], "/usr/local/sbin/mk");
	rule_exception_clear(&e);
	ck_assert_ptr_null(e.values);
	ck_assert_uint_eq(e.nvalues, 0);
	rule_exception_clear(&e); /* twice is fine */
	rule_exception_clear(NULL);

	parse_ok("process.name == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_NAME);
	ck_assert_int_eq(e.op, MATCH_EQ);
	rule_exception_clear(&e);
	parse_ok("process.name in \"x\"", &e);
	ck_assert_int_eq(e.op, MATCH_EQ);
	rule_exception_clear(&e);
	parse_ok("process.name like \"x\"", &e);
	ck_assert_int_eq(e.op, MATCH_LIKE);
	rule_exception_clear(&e);

	parse_ok("process.executable == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_EXECUTABLE);
	rule_exception_clear(&e);
	parse_ok("process.args == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_ARGS);
	rule_exception_clear(&e);
	parse_ok("process.command_line == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_COMMAND_LINE);
	rule_exception_clear(&e);
	parse_ok("process.parent.name == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_PARENT_NAME);
	rule_exception_clear(&e);
	parse_ok("process.parent.args == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_PARENT_ARGS);
	rule_exception_clear(&e);
	parse_ok("process.parent.command_line == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_PARENT_COMMAND_LINE);
	rule_exception_clear(&e);
	parse_ok("process.user.name == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_USER_NAME);
	rule_exception_clear(&e);
	parse_ok("user.name == \"x\"", &e);
	ck_assert_int_eq(e.field, RULE_F_USER_NAME);
	rule_exception_clear(&e);
	parse_ok("process.user.id == \"0\"", &e);
	ck_assert_int_eq(e.field, RULE_F_USER_ID);
	rule_exception_clear(&e);
	parse_ok("user.id like \"1*\"", &e);
	ck_assert_int_eq(e.field, RULE_F_USER_ID);
	rule_exception_clear(&e);

	/* backslashes: \" becomes a quote, every other pair stays */
	parse_ok("process.name like \"\\*\" \"\\?\" \"\\\\\" \"a\\\"b\" "
		 "\"\\n\"",
		 &e);
	ck_assert_uint_eq(e.nvalues, 5);
	ck_assert_str_eq(e.values[0], "\\*");
	ck_assert_str_eq(e.values[1], "\\?");
	ck_assert_str_eq(e.values[2], "\\\\");
	ck_assert_str_eq(e.values[3], "a\"b");
	ck_assert_str_eq(e.values[4], "\\n");
	rule_exception_clear(&e);

	/* "\\" followed by a quote: the pair is \\, the quote closes */
	parse_ok("process.name like \"a\\\\\" \"b\"", &e);
	ck_assert_uint_eq(e.nvalues, 2);
	ck_assert_str_eq(e.values[0], "a\\\\");
	ck_assert_str_eq(e.values[1], "b");
	rule_exception_clear(&e);

	/* blanks inside quotes are kept, adjacent values are two */
	parse_ok("process.command_line in \" a  b \"\"c\"", &e);
	ck_assert_uint_eq(e.nvalues, 2);
	ck_assert_str_eq(e.values[0], " a  b ");
	ck_assert_str_eq(e.values[1], "c");
	rule_exception_clear(&e);

	parse_ok("process.name == \"\"", &e);
	ck_assert_uint_eq(e.nvalues, 1);
	ck_assert_str_eq(e.values[0], "");
	rule_exception_clear(&e);
}
END_TEST

/* Each mistake is refused with a one-line reason naming it. */
static const struct {
	const char *text;
	const char *reason; /* a substring the message must hold */
			    /* clang-format off */
} bad_exceptions[] = {
	{"", "empty"},
	{"   \t ", "empty"},
	{"process.nam == \"x\"", "unknown field 'process.nam'"},
	{"process.parent == \"x\"", "unknown field 'process.parent'"},
	{"Process.name == \"x\"", "unknown field 'Process.name'"},
	{"host.name == \"x\"", "unknown field 'host.name'"},
	{"== \"x\"", "expected a field name"},
	{"\"x\"", "expected a field name"},
	{"process.name", "missing operator"},
	{"process.name   ", "missing operator"},
	{"process.name \"x\"", "missing operator"},
	{"process.name = \"x\"", "unknown operator '='"},
	{"process.name != \"x\"", "unknown operator '!='"},
	{"process.name ~= \"x\"", "unknown operator '~='"},
	{"process.name LIKE \"x\"", "unknown operator 'LIKE'"},
	{"process.name in~ \"x\"", "unknown operator 'in~'"},
	{"process.name like~~ \"x\"", "unknown operator 'like~~'"},
	{"process.name : \"x\"", "unknown operator ':'"},
	{"process.name ==", "missing value"},
	{"process.name == ", "missing value"},
	{"process.name in", "missing value"},
	{"process.name like", "missing value"},
	{"process.name like~", "missing value"},
	{"process.name in ()", "missing value"},
	{"process.name == x", "expected a double-quoted value at 'x'"},
	{"process.name == 'x'", "expected a double-quoted value"},
	{"process.name == \"abc", "unterminated quote"},
	{"process.name == \"abc\\\"", "unterminated quote"},
	{"process.name in \"a\" \"b", "unterminated quote"},
	{"process.name == \"a\" \"b\"", "exactly one value"},
	{"process.name == (\"a\", \"b\")", "exactly one value"},
	{"process.name == \"a\" junk", "unexpected text after the values"},
	{"process.name in \"a\" \"b\" junk",
	 "unexpected text after the values: 'junk'"},
	{"process.name == \"a\"x", "unexpected text after the values"},
	{"process.name in (\"a\") x", "unexpected text after the values"},
	{"process.name in \"a\", \"b\"", "unexpected text after the values"},
	{"process.name in (\"a\" \"b\")", "expected ',' or ')'"},
	{"process.name in (\"a\",)", "missing value after ','"},
	{"process.name in (\"a\"", "missing ')'"},
	{"process.name in (\"a\",", "missing value after ','"},
	{"process.name in (x)", "expected a double-quoted value at 'x)'"},
	{"user.id == \"root\"", "not a decimal number"},
	{"process.user.id in \"0\" \"007\"", "not a decimal number"},
	{"user.id == \"\"", "not a decimal number"},
	{"user.id == \"-1\"", "not a decimal number"},
	/* a uid is 32 bits: these could never match */
	{"user.id == \"4294967296\"", "out of range"},
	{"user.id in \"0\" \"99999999999999999999999\"", "out of range"},
};
/* clang-format on */

START_TEST(test_exception_errors)
{
	struct rule_exception e;
	char err[512];

	memset(err, 0, sizeof(err));
	memset(&e, 0x5a, sizeof(e));
	ck_assert_msg(rule_exception_parse(bad_exceptions[_i].text, &e, err,
					   sizeof(err)) == -1,
		      "'%s' was accepted", bad_exceptions[_i].text);
	ck_assert_msg(strstr(err, bad_exceptions[_i].reason) != NULL,
		      "'%s': message '%s' lacks '%s'", bad_exceptions[_i].text,
		      err, bad_exceptions[_i].reason);
	ck_assert_msg(strchr(err, '\n') == NULL, "message has a newline");
	/* out is left cleared */
	ck_assert_ptr_null(e.values);
	ck_assert_uint_eq(e.nvalues, 0);
}
END_TEST

START_TEST(test_exception_error_buffers)
{
	struct rule_exception e;
	char small[8];

	/* a short buffer is cut, still terminated */
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(rule_exception_parse("bogus == \"x\"", &e, small,
					      sizeof(small)),
			 -1);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	/* no buffer at all */
	ck_assert_int_eq(rule_exception_parse("bogus == \"x\"", &e, NULL, 0),
			 -1);
	ck_assert_int_eq(rule_exception_parse(NULL, &e, NULL, 0), -1);
	ck_assert_int_eq(
		rule_exception_parse("process.name == \"x\"", NULL, NULL, 0),
		-1);
	/* a long bad token is quoted only in part */
	{
		char text[600], err[1024];

		memset(text, 'a', 500);
		strcpy(text + 500, " == \"x\"");
		ck_assert_int_eq(
			rule_exception_parse(text, &e, err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "unknown field"));
		ck_assert_uint_lt(strlen(err), 400);
	}
}
END_TEST

/* Several exceptions: any one suppresses; the rule copies them. */
START_TEST(test_exceptions_several)
{
	struct rule_exception exc[3];
	struct image *proc = mk_dracut();
	struct image *p1 = mk("/opt/a/hook", "hook", NULL);
	struct image *p2 = mk("/usr/bin/bash", "bash", "--rebuild", NULL);
	struct image *p3 = mk("/usr/bin/bash", "bash", NULL);
	struct image *p4 = mk("/usr/bin/sudo", "sudo", NULL);
	struct rule *r;
	size_t i;

	parse_ok("process.parent.executable like \"/opt/a/*\"", &exc[0]);
	parse_ok("process.parent.args == \"--rebuild\"", &exc[1]);
	parse_ok("user.id == \"1000\"", &exc[2]);
	r = rule_create(1, exc, 3);
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < 3; i++)
		rule_exception_clear(&exc[i]);

	ck_assert_int_eq(rule_eval(r, proc, p1), RULE_EXCEPTED);
	ck_assert_int_eq(rule_eval(r, proc, p2), RULE_EXCEPTED);
	ck_assert_int_eq(rule_eval(r, proc, p3), RULE_ALERT);
	/* the rule's own exclusions come first */
	ck_assert_int_eq(rule_eval(r, proc, p4), RULE_EXCLUDED);
	/* and a missing parent before either */
	ck_assert_int_eq(rule_eval(r, proc, NULL), RULE_NO_PARENT);
	proc->uid = 1000;
	ck_assert_int_eq(rule_eval(r, proc, p3), RULE_EXCEPTED);
	/* exceptions never make a non-candidate alert */
	proc->success = false;
	ck_assert_int_eq(rule_eval(r, proc, p3), RULE_NOT_CANDIDATE);
	rule_free(r);

	/* nexc without an array is refused */
	ck_assert_ptr_null(rule_create(1, NULL, 2));
	img_free(proc);
	img_free(p1);
	img_free(p2);
	img_free(p3);
	img_free(p4);
}
END_TEST

static Suite *rule_suite(void)
{
	Suite *s = suite_create("rule");
	TCase *tc = tcase_create("rule");
	TCase *te = tcase_create("exceptions");

	tcase_add_loop_test(tc, test_parents, 0, ARRAY_SIZE(parent_cases));
	tcase_add_test(tc, test_missing_fields);
	tcase_add_test(tc, test_parent_presence);
	tcase_add_test(tc, test_candidate);
	tcase_add_test(tc, test_child_fields_ignored);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_meta_v1);
	tcase_add_test(tc, test_meta_v7);
	tcase_add_test(tc, test_seed_v1);
	tcase_add_test(tc, test_seed_v7);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(te, test_exceptions, 0, ARRAY_SIZE(exc_cases));
	tcase_add_test(te, test_exception_parse_values);
	tcase_add_loop_test(te, test_exception_errors, 0,
			    ARRAY_SIZE(bad_exceptions));
	tcase_add_test(te, test_exception_error_buffers);
	tcase_add_test(te, test_exceptions_several);
	suite_add_tcase(s, te);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rule_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
