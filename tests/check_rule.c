/* check_rule.c - unit tests for rule.c: the versions, decisions, exceptions */
#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "config.h"
#include "field.h"
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

/* Every version this build knows. */
static const int versions[] = {1, 7, 8};

static enum rule_verdict eval_version(int version, const struct image *proc,
				      const struct image *parent)
{
	struct rule *rule = rule_create(version, NULL, 0);
	enum rule_verdict v;

	ck_assert_ptr_nonnull(rule);
	v = rule_eval(rule, proc, parent, NULL, NULL);
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
	/* version 8 has version 7's query */
	ck_assert_msg(eval_version(8, proc, parent) == c->v7,
		      "v8, %s: expected %s", c->why, verdict_name(c->v7));
	ck_assert_msg(v1 == c->v1, "v1, %s: got %s, expected %s", c->why,
		      verdict_name(v1), verdict_name(c->v1));
	ck_assert_msg(v7 == c->v7, "v7, %s: got %s, expected %s", c->why,
		      verdict_name(v7), verdict_name(c->v7));
	img_free(proc);
	img_free(parent);
}
END_TEST

/* Missing fields: not (...) is two-valued, a missing branch is false;
 * for each version. */
START_TEST(test_missing_fields)
{
	struct image *proc = mk_dracut();
	struct image *parent;
	int v = versions[_i];

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
	parent = mk("/bin/sh", "/bin/sh", "-c", "if command -v mkinitcpio",
		    NULL);
	ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
	free(parent->command_line);
	parent->command_line = NULL;
	ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
	img_free(parent);

	/* the command line matches, with no args at all */
	parent = mk("/bin/sh", NULL);
	parent->command_line = strdup("/bin/sh -c if command -v mkinitcpio -P");
	ck_assert_int_eq(eval_version(v, proc, parent), RULE_EXCLUDED);
	img_free(parent);

	/* a missing parent name, executable present */
	parent = mk("/usr/bin/bash", "bash", NULL);
	parent->name = NULL;
	ck_assert_int_eq(eval_version(v, proc, parent), RULE_ALERT);
	img_free(parent);
	img_free(proc);
}
END_TEST

/* process.parent.executable != null */
START_TEST(test_parent_presence)
{
	struct image *proc = mk_dracut();
	struct image *parent;
	int v = versions[_i];

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
		ck_assert_msg(rule_eval(r1, proc, parent, NULL, NULL) == want,
			      "v1 %s", cases[i].exe);
		ck_assert_msg(rule_eval(r7, proc, parent, NULL, NULL) == want,
			      "v7 %s", cases[i].exe);
		/* not a candidate, even with no parent */
		if (!cases[i].candidate)
			ck_assert_int_eq(rule_eval(r1, proc, NULL, NULL, NULL),
					 RULE_NOT_CANDIDATE);

		/* a failed exec is never a candidate */
		proc->success = false;
		ck_assert(!rule_candidate(r1, proc));
		ck_assert(!rule_candidate(r7, proc));
		ck_assert_int_eq(rule_eval(r1, proc, parent, NULL, NULL),
				 RULE_NOT_CANDIDATE);
		ck_assert_int_eq(rule_eval(r7, proc, parent, NULL, NULL),
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
		ck_assert_int_eq(rule_eval(r1, proc, parent, NULL, NULL),
				 RULE_NOT_CANDIDATE);
		img_free(proc);
	}

	ck_assert(!rule_candidate(NULL, parent));
	ck_assert(!rule_candidate(r1, NULL));
	ck_assert_int_eq(rule_eval(r1, NULL, parent, NULL, NULL),
			 RULE_NOT_CANDIDATE);
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
	struct rule *r;

	ck_assert(rule_version_known(1));
	ck_assert(rule_version_known(7));
	ck_assert(rule_version_known(8)); /* issue 15: stack 9.5 */
	ck_assert(!rule_version_known(0));
	ck_assert(!rule_version_known(2));
	ck_assert(!rule_version_known(6));
	ck_assert(!rule_version_known(9));
	ck_assert(!rule_version_known(-1));
	ck_assert_ptr_null(rule_create(0, NULL, 0));
	ck_assert_ptr_null(rule_create(6, NULL, 0));
	ck_assert_ptr_null(rule_create(9, NULL, 0));
	r = rule_create(8, NULL, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rule_meta(r)->version, 8);
	rule_free(r);
	rule_free(NULL);
	ck_assert_ptr_null(rule_meta(NULL));
	/* the list the usage text and the errors give, from the table */
	ck_assert_str_eq(rule_versions_text(), "1, 7 or 8");
	ck_assert_ptr_eq(rule_versions_text(), rule_versions_text());
	/* the default is the seed */
	ck_assert_int_eq(RULE_VERSION_DEFAULT, 1);
}
END_TEST

START_TEST(test_verdict_names)
{
	ck_assert_str_eq(rule_verdict_name(RULE_ALERT), "alert");
	ck_assert_str_eq(rule_verdict_name(RULE_EXCLUDED), "excluded");
	ck_assert_str_eq(rule_verdict_name(RULE_EXCEPTED), "excepted");
	ck_assert_str_eq(rule_verdict_name(RULE_NO_PARENT), "no_parent");
	ck_assert_str_eq(rule_verdict_name(RULE_NOT_CANDIDATE),
			 "not_candidate");
	ck_assert_str_eq(rule_verdict_name((enum rule_verdict)99), "?");
}
END_TEST

/* One ATT&CK entry, its references made from its ids as MITRE's site
 * has them (T1059.004 under /techniques/T1059/004/). */
static void check_threat(const struct rule_threat *t, const char *tactic,
			 const char *tactic_name, const char *technique,
			 const char *technique_name, const char *sub,
			 const char *sub_name)
{
	char ref[128];

	ck_assert_str_eq(t->tactic_id, tactic);
	ck_assert_str_eq(t->tactic_name, tactic_name);
	snprintf(ref, sizeof(ref), "https://attack.mitre.org/tactics/%s/",
		 tactic);
	ck_assert_str_eq(t->tactic_reference, ref);
	ck_assert_str_eq(t->technique_id, technique);
	ck_assert_str_eq(t->technique_name, technique_name);
	snprintf(ref, sizeof(ref), "https://attack.mitre.org/techniques/%s/",
		 technique);
	ck_assert_str_eq(t->technique_reference, ref);
	if (!sub) {
		ck_assert_ptr_null(t->subtechnique_id);
		ck_assert_ptr_null(t->subtechnique_name);
		ck_assert_ptr_null(t->subtechnique_reference);
		return;
	}
	ck_assert_str_eq(t->subtechnique_id, sub);
	ck_assert_str_eq(t->subtechnique_name, sub_name);
	snprintf(ref, sizeof(ref),
		 "https://attack.mitre.org/techniques/%.*s/%s/",
		 (int)strlen(technique), sub, sub + strlen(technique) + 1);
	ck_assert_str_eq(t->subtechnique_reference, ref);
}

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
	check_threat(&m->threats[0], "TA0003", "Persistence", "T1542",
		     "Pre-OS Boot", NULL, NULL);
	/* TA0002 Execution / T1059 / T1059.004 Unix Shell */
	check_threat(&m->threats[1], "TA0002", "Execution", "T1059",
		     "Command and Scripting Interpreter", "T1059.004",
		     "Unix Shell");
}

/*
 * Each version's metadata: the common part, its reference, and TA0005 for
 * versions 7 (Defense Evasion) and 8 (Stealth: version 7's rule under
 * ATT&CK v19, for stack 9.5, issue 15).
 */
static const struct {
	int version;
	const char *reference;
	const char *ta0005; /* NULL: not mapped */
} meta_cases[] = {
	{1,
	 "https://www.elastic.co/guide/en/security/current/"
	 "prebuilt-rule-8-17-3-manual-dracut-execution.html",
	 NULL},
	{7,
	 "https://github.com/elastic/detection-rules/blob/main/"
	 "rules/linux/persistence_manual_dracut_execution.toml",
	 "Defense Evasion"},
	{8,
	 "https://github.com/elastic/detection-rules/blob/main/"
	 "rules/linux/persistence_manual_dracut_execution.toml",
	 "Stealth"},
};

START_TEST(test_meta)
{
	struct rule *r = rule_create(meta_cases[_i].version, NULL, 0);
	const struct rule_meta *m;

	ck_assert_ptr_nonnull(r);
	m = rule_meta(r);
	ck_assert_ptr_nonnull(m);
	check_common_meta(m);
	ck_assert_int_eq(m->version, meta_cases[_i].version);
	ck_assert_str_eq(m->references[0], meta_cases[_i].reference);
	if (!meta_cases[_i].ta0005) {
		ck_assert_uint_eq(m->nthreats, 2);
	} else {
		ck_assert_uint_eq(m->nthreats, 3);
		check_threat(&m->threats[2], "TA0005", meta_cases[_i].ta0005,
			     "T1542", "Pre-OS Boot", NULL, NULL);
	}
	rule_free(r);
}
END_TEST

/*
 * The rule's tags: version 1's as the seed lists them; version 7's as the
 * upstream rule file (elastic/detection-rules) lists them since version 6;
 * version 8's are version 7's with "Tactic: Stealth" (issue 15).
 */
static const char *const tags_v1[] = {
	"Domain: Endpoint",
	"OS: Linux",
	"Use Case: Threat Detection",
	"Tactic: Persistence",
	"Tactic: Execution",
	"Data Source: Elastic Endgame",
	"Data Source: Elastic Defend",
	"Data Source: Crowdstrike",
	"Data Source: SentinelOne",
	NULL,
};
static const char *const tags_v7[] = {
	"Domain: Endpoint",
	"OS: Linux",
	"Platform: Linux",
	"Data Source: Elastic Endgame",
	"Data Source: Elastic Defend",
	"Data Source: Crowdstrike",
	"Data Source: SentinelOne",
	"Rule Type: Event Correlation (EQL)",
	"Tactic: Persistence",
	"Tactic: Execution",
	"Resources: Investigation Guide",
	NULL,
};
static void check_tags(int version, const char *const *want)
{
	struct rule *r = rule_create(version, NULL, 0);
	const struct rule_meta *m;
	size_t i;

	ck_assert_ptr_nonnull(r);
	m = rule_meta(r);
	for (i = 0; want[i]; i++) {
		ck_assert_msg(i < m->ntags, "v%d: tag %zu missing", version, i);
		ck_assert_str_eq(m->tags[i], want[i]);
	}
	ck_assert_uint_eq(m->ntags, i);
	rule_free(r);
}

START_TEST(test_tags)
{
	const char *tags_v8[ARRAY_SIZE(tags_v7) + 1];
	size_t i, n = 0;

	check_tags(1, tags_v1);
	check_tags(7, tags_v7);
	/* version 8: version 7's, with the new tactic after the others */
	for (i = 0; i < ARRAY_SIZE(tags_v7); i++) {
		tags_v8[n++] = tags_v7[i];
		if (tags_v7[i] && strcmp(tags_v7[i], "Tactic: Execution") == 0)
			tags_v8[n++] = "Tactic: Stealth";
	}
	check_tags(8, tags_v8);
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

static const char *const seed_fields[] = {
	"process.parent.executable", "process.parent.name",
	"process.parent.args", "process.parent.command_line"};

/* The rule's exclusions are the seed's, clause by clause, value by value,
 * in the seed's order. */
static void seed_clauses_exact(int version, const struct seed_clause *c)
{
	struct rule *r = rule_create(version, NULL, 0);
	const struct rule_clause *rc;
	char path[FIELD_PATH_MAX];
	size_t n, f, i;

	ck_assert_ptr_nonnull(r);
	rc = rule_clauses(r, &n);
	ck_assert_uint_eq(n, ARRAY_SIZE(seed_fields));
	for (f = 0; f < n; f++) {
		ck_assert_str_eq(field_path(rc[f].field, path), seed_fields[f]);
		ck_assert_str_eq(match_op_name(rc[f].op), c[f].op);
		ck_assert_msg(rc[f].npatterns == c[f].n, "v%d %s: %zu values",
			      version, seed_fields[f], rc[f].npatterns);
		for (i = 0; i < c[f].n; i++)
			ck_assert_str_eq(rc[f].patterns[i], c[f].values[i]);
	}
	rule_free(r);
}

/* A parent on which seed field f holds v (and nothing else excludes). */
static struct image *seed_parent(size_t f, const char *v)
{
	const char *args[3] = {"x", NULL, NULL};
	struct image *parent;

	if (f == 0)
		return mk_argv(v, args);
	if (f == 1) {
		parent = mk_argv("/opt/bin/p", args);
		parent->name = v;
		return parent;
	}
	args[1] = v;
	parent = mk_argv("/opt/bin/p", args);
	if (f == 3) { /* the command line alone */
		free(parent->command_line);
		parent->command_line = strdup(v);
		free(parent->args[1]);
		parent->args[1] = NULL;
		parent->argc = 1;
	}
	return parent;
}

/* Each value of clause f made concrete, then case-flipped: the verdict,
 * and for an exclusion the decision naming exactly that clause, value
 * and the parent's value. Returns how many cases it tried. */
static size_t seed_values(int version, size_t f, const struct seed_clause *c)
{
	struct image *proc = mk_dracut();
	struct rule *r = rule_create(version, NULL, 0);
	char path[FIELD_PATH_MAX];
	size_t i, total = 0;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < c->n; i++) {
		char *v = concrete(c->values[i], "x/Y z");

		for (int flip = 0; flip < 2; flip++) {
			enum rule_verdict want = RULE_EXCLUDED, got;
			struct rule_decision d;
			struct image *parent;

			if (flip) {
				if (!flip_case(v))
					break;
				want = flipped_verdict(c->op);
			}
			parent = seed_parent(f, v);
			got = rule_eval(r, proc, parent, NULL, &d);
			ck_assert_msg(got == want,
				      "v%d %s %s \"%s\": got %s, expected %s",
				      version, seed_fields[f], c->op, v,
				      verdict_name(got), verdict_name(want));
			ck_assert_int_eq(d.verdict, got);
			ck_assert_int_eq(d.version, version);
			if (got == RULE_EXCLUDED) {
				ck_assert_uint_eq(d.index, f);
				ck_assert_str_eq(field_path(d.field, path),
						 seed_fields[f]);
				ck_assert_str_eq(match_op_name(d.op), c->op);
				ck_assert_str_eq(d.pattern, c->values[i]);
				ck_assert_str_eq(rule_decision_value(&d), v);
			}
			img_free(parent);
			total++;
		}
		free(v);
	}
	rule_free(r);
	img_free(proc);
	return total;
}

static void seed_check(int version, const char *file)
{
	struct seed_clause c[ARRAY_SIZE(seed_fields)];
	char *doc = slurp(file), *query;
	size_t f, total = 0;

	if (!doc) {
		fprintf(stderr, "SKIP: %s is not at hand\n", file);
		return;
	}
	query = strstr(doc, "process where");
	ck_assert_ptr_nonnull(query);
	for (f = 0; f < ARRAY_SIZE(seed_fields); f++)
		seed_clause(query, seed_fields[f], &c[f]);
	/* the lists as the documents state them */
	ck_assert_uint_eq(c[0].n, version == 1 ? 5 : 11);
	ck_assert_str_eq(c[0].op, version == 1 ? "like~" : "like");
	ck_assert_uint_eq(c[1].n, 7);
	ck_assert_str_eq(c[1].op, "in");
	ck_assert_uint_eq(c[2].n, 2);
	ck_assert_str_eq(c[2].op, "like~");
	ck_assert_uint_eq(c[3].n, 1);
	ck_assert_str_eq(c[3].op, "like~");
	seed_clauses_exact(version, c);
	for (f = 0; f < ARRAY_SIZE(seed_fields); f++) {
		total += seed_values(version, f, &c[f]);
		seed_clause_free(&c[f]);
	}
	ck_assert_uint_gt(total, 0);
	free(doc);
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

/* Version 8's query is version 7's (issue 15). */
START_TEST(test_seed_v8)
{
	seed_check(8, SEED_DIR "upstream-rule-v7.md");
}
END_TEST

/* Version 1's tags are the seed's "**Tags**:" list, in its order. */
START_TEST(test_seed_tags_v1)
{
	char *doc = slurp(SEED_DIR "manual-dracut-execution-v1.md");
	const char *s, *end;
	size_t n = 0;

	if (!doc) {
		fprintf(stderr, "SKIP: the seed is not at hand\n");
		return;
	}
	s = strstr(doc, "**Tags**:");
	ck_assert_ptr_nonnull(s);
	end = strstr(s, "**Version**");
	ck_assert_ptr_nonnull(end);
	while ((s = strstr(s, "\n* ")) && s < end) {
		size_t len = strcspn(s + 3, "\n");

		ck_assert_ptr_nonnull(tags_v1[n]);
		ck_assert_uint_eq(strlen(tags_v1[n]), len);
		ck_assert(strncmp(tags_v1[n], s + 3, len) == 0);
		n++;
		s += 3;
	}
	ck_assert_ptr_null(tags_v1[n]);
	free(doc);
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
	verdict = rule_eval(rule, proc, parent, NULL, NULL);
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
	ck_assert_msg(eval_exc(8, c->text, proc, parent) == want,
		      "v8 '%s': expected %s", c->text, verdict_name(want));
	ck_assert_msg(v1 == want, "v1 '%s': got %s, expected %s", c->text,
		      verdict_name(v1), verdict_name(want));
	ck_assert_msg(v7 == want, "v7 '%s': got %s, expected %s", c->text,
		      verdict_name(v7), verdict_name(want));
	img_free(proc);
	img_free(parent);
}
END_TEST

/* The field an exception parsed to. */
static void check_field(const struct rule_exception *e, enum field_id id,
			bool parent)
{
	ck_assert_int_eq(e->field.id, id);
	ck_assert_int_eq(e->field.parent, parent);
}

/* What the parser keeps: fields, operators and the exact value bytes. */
START_TEST(test_exception_parse_values)
{
	/* every field and operator, as the parser reads them */
	static const struct {
		const char *text;
		enum field_id id;
		bool parent;
		enum match_op op;
	} parsed[] = {
		{"process.name == \"x\"", FIELD_NAME, false, MATCH_EQ},
		{"process.name in \"x\"", FIELD_NAME, false, MATCH_IN},
		{"process.name like \"x\"", FIELD_NAME, false, MATCH_LIKE},
		{"process.executable == \"x\"", FIELD_EXECUTABLE, false,
		 MATCH_EQ},
		{"process.args == \"x\"", FIELD_ARGS, false, MATCH_EQ},
		{"process.command_line == \"x\"", FIELD_COMMAND_LINE, false,
		 MATCH_EQ},
		{"process.parent.name == \"x\"", FIELD_NAME, true, MATCH_EQ},
		{"process.parent.args == \"x\"", FIELD_ARGS, true, MATCH_EQ},
		{"process.parent.command_line == \"x\"", FIELD_COMMAND_LINE,
		 true, MATCH_EQ},
		{"process.user.name == \"x\"", FIELD_USER_NAME, false,
		 MATCH_EQ},
		{"user.name == \"x\"", FIELD_USER_NAME, false, MATCH_EQ},
		{"process.user.id == \"0\"", FIELD_USER_ID, false, MATCH_EQ},
		{"user.id like \"1*\"", FIELD_USER_ID, false, MATCH_LIKE},
	};
	struct rule_exception e;
	size_t i;

	parse_ok("process.parent.executable like~ \"/opt/kernel/*\" "
		 "\"/usr/local/sbin/mk\"",
		 &e);
	check_field(&e, FIELD_EXECUTABLE, true);
	ck_assert_int_eq(e.op, MATCH_ILIKE);
	ck_assert_uint_eq(e.nvalues, 2);
	ck_assert_str_eq(e.values[0], "/opt/kernel/*");
	ck_assert_str_eq(e.values[1], "/usr/local/sbin/mk");
	rule_exception_clear(&e);
	ck_assert_ptr_null(e.values);
	ck_assert_uint_eq(e.nvalues, 0);
	rule_exception_clear(&e); /* twice is fine */
	rule_exception_clear(NULL);

	for (i = 0; i < ARRAY_SIZE(parsed); i++) {
		parse_ok(parsed[i].text, &e);
		check_field(&e, parsed[i].id, parsed[i].parent);
		ck_assert_int_eq(e.op, parsed[i].op);
		rule_exception_clear(&e);
	}

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

	ck_assert_int_eq(rule_eval(r, proc, p1, NULL, NULL), RULE_EXCEPTED);
	ck_assert_int_eq(rule_eval(r, proc, p2, NULL, NULL), RULE_EXCEPTED);
	ck_assert_int_eq(rule_eval(r, proc, p3, NULL, NULL), RULE_ALERT);
	/* the rule's own exclusions come first */
	ck_assert_int_eq(rule_eval(r, proc, p4, NULL, NULL), RULE_EXCLUDED);
	/* and a missing parent before either */
	ck_assert_int_eq(rule_eval(r, proc, NULL, NULL, NULL), RULE_NO_PARENT);
	proc->uid = 1000;
	ck_assert_int_eq(rule_eval(r, proc, p3, NULL, NULL), RULE_EXCEPTED);
	/* exceptions never make a non-candidate alert */
	proc->success = false;
	ck_assert_int_eq(rule_eval(r, proc, p3, NULL, NULL),
			 RULE_NOT_CANDIDATE);
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

/* ------------------------------------------------------------ decisions */

/* Which versions a case holds for. */
#define V1 0x1u
#define V7 0x2u
#define V8 0x4u
#define V78 (V7 | V8)
#define VALL (V1 | V7 | V8)

/*
 * A parent of "dracut -f" and, for the versions in mask, the decision: the
 * verdict and, for an exclusion, the clause (its place in the rule's
 * not (...): 0 executable, 1 name, 2 args, 3 command line), the operator,
 * the pattern and the parent's value that matched (for args, the element).
 * Each was worked out by hand from the seed's and upstream's query text.
 */
struct decision_case {
	const char *why;
	unsigned mask;
	const char *exe;
	const char *name; /* NULL: the basename of exe */
	const char *args[6];
	enum rule_verdict v;
	size_t clause;
	const char *op, *pattern, *value;
};

#define PX "process.parent.executable"
#define KI "/usr/lib/kernel/install.d/50-dracut.install"
#define RPM "/var/tmp/rpm-tmp.*"
#define REBUILD "/usr/bin/dracut-rebuild"
#define MKINIT "/bin/sh -c if command -v mkinitcpio*"

/* clang-format off */
static const struct decision_case decision_cases[] = {
	{"a shell", VALL, "/usr/bin/bash", NULL, {"-bash"}, A, 0, 0, 0, 0},
	/* clause 0: process.parent.executable, like~ (v1) and like (v7, v8) */
	{"kernel-install plugin", V1, KI, NULL, {KI, "add"}, E, 0, "like~",
	 "/usr/lib/kernel/*", KI},
	{"kernel-install plugin", V78, KI, NULL, {KI, "add"}, E, 0, "like",
	 "/usr/lib/kernel/*", KI},
	{"upper case", V1, "/USR/LIB/KERNEL/x", NULL, {"x"}, E, 0, "like~",
	 "/usr/lib/kernel/*", "/USR/LIB/KERNEL/x"},
	{"upper case", V78, "/USR/LIB/KERNEL/x", NULL, {"x"}, A, 0, 0, 0, 0},
	{"install.d", V1, "/etc/kernel/install.d/50-dracut.install", NULL,
	 {"x"}, E, 0, "like~", "/etc/kernel/install.d/*",
	 "/etc/kernel/install.d/50-dracut.install"},
	{"dpkg postinst", V78, "/var/lib/dpkg/info/dracut.postinst", NULL,
	 {"x"}, E, 0, "like", "/var/lib/dpkg/info/dracut.postinst",
	 "/var/lib/dpkg/info/dracut.postinst"},
	{"newroot", V1, "/tmp/newroot/usr/bin/bash", NULL, {"bash"}, E, 0,
	 "like~", "/tmp/newroot/*", "/tmp/newroot/usr/bin/bash"},
	{"module-init-tools", V78, "/usr/lib/module-init-tools/x", NULL, {"x"},
	 E, 0, "like", "/usr/lib/module-init-tools/*",
	 "/usr/lib/module-init-tools/x"},
	{"xargs", V78, "/usr/bin/xargs", NULL, {"xargs", "dracut"}, E, 0,
	 "like", "/usr/bin/xargs", "/usr/bin/xargs"},
	{"xargs", V1, "/usr/bin/xargs", NULL, {"xargs", "dracut"}, A, 0, 0, 0,
	 0},
	{"/sbin/dkms", V78, "/sbin/dkms", NULL, {"dkms"}, E, 0, "like",
	 "/sbin/dkms", "/sbin/dkms"},
	{"/sbin/mkinitrd", V78, "/sbin/mkinitrd", NULL, {"mkinitrd"}, E, 0,
	 "like", "/sbin/mkinitrd", "/sbin/mkinitrd"},
	{"timeout", V78, "/usr/bin/timeout", NULL, {"timeout", "60"}, E, 0,
	 "like", "/usr/bin/timeout", "/usr/bin/timeout"},
	{"/usr/sbin/dkms", V78, "/usr/sbin/dkms", NULL, {"dkms"}, E, 0, "like",
	 "/usr/sbin/dkms", "/usr/sbin/dkms"},
	{"systemd-inhibit", V78, "/usr/bin/systemd-inhibit", NULL, {"x"}, E, 0,
	 "like", "/usr/bin/systemd-inhibit", "/usr/bin/systemd-inhibit"},
	/* clause 1: process.parent.name in (...) */
	{"dracut-install", VALL, "/usr/lib/dracut/dracut-install", NULL, {"x"},
	 E, 1, "in", "dracut-install", "dracut-install"},
	{"dracut", VALL, "/opt/dracut/dracut", NULL, {"x"}, E, 1, "in",
	 "dracut", "dracut"},
	{"run-parts", VALL, "/usr/bin/run-parts", NULL,
	 {"run-parts", "/etc/kernel/postinst.d"}, E, 1, "in", "run-parts",
	 "run-parts"},
	{"weak-modules", VALL, "/usr/sbin/weak-modules", NULL, {"x"}, E, 1, "in",
	 "weak-modules", "weak-modules"},
	{"mkdumprd", VALL, "/usr/bin/mkdumprd", NULL, {"x"}, E, 1, "in",
	 "mkdumprd", "mkdumprd"},
	{"new-kernel-pkg", VALL, "/sbin/new-kernel-pkg", NULL, {"x"}, E, 1,
	 "in", "new-kernel-pkg", "new-kernel-pkg"},
	{"sudo", VALL, "/usr/bin/sudo", NULL, {"sudo", "dracut", "-f"}, E, 1,
	 "in", "sudo", "sudo"},
	{"Sudo", VALL, "/usr/bin/Sudo", NULL, {"x"}, A, 0, 0, 0, 0},
	{"a name apart from the executable", VALL, "/usr/bin/env", "run-parts",
	 {"x"}, E, 1, "in", "run-parts", "run-parts"},
	/* clause 2: process.parent.args like~ (...), the first element */
	{"rpm scriptlet", VALL, "/bin/sh", NULL,
	 {"/bin/sh", "/var/tmp/rpm-tmp.XXXX", "1"}, E, 2, "like~", RPM,
	 "/var/tmp/rpm-tmp.XXXX"},
	{"dracut-rebuild, upper case", VALL, "/bin/bash", NULL,
	 {"bash", "/USR/BIN/DRACUT-REBUILD"}, E, 2, "like~", REBUILD,
	 "/USR/BIN/DRACUT-REBUILD"},
	{"dracut-rebuild as argv[0]", VALL, REBUILD, NULL, {REBUILD}, E, 2,
	 "like~", REBUILD, REBUILD},
	{"the first element decides, not the first pattern", VALL, "/bin/sh",
	 NULL, {"/bin/sh", "/var/tmp/rpm-tmp.1", REBUILD}, E, 2, "like~", RPM,
	 "/var/tmp/rpm-tmp.1"},
	{"rpm-tmpX", VALL, "/bin/sh", NULL,
	 {"/bin/sh", "/var/tmp/rpm-tmpX1", "1"}, A, 0, 0, 0, 0},
	/* clause 3: process.parent.command_line like~ "..." */
	{"mkinitcpio hook", VALL, "/bin/sh", NULL,
	 {"/bin/sh", "-c", "if command -v mkinitcpio >/dev/null; then x; fi"},
	 E, 3, "like~", MKINIT,
	 "/bin/sh -c if command -v mkinitcpio >/dev/null; then x; fi"},
	{"mkinitcpio, upper case", VALL, "/bin/sh", NULL,
	 {"/BIN/SH", "-C", "IF COMMAND -V MKINITCPIO -P"}, E, 3, "like~",
	 MKINIT, "/BIN/SH -C IF COMMAND -V MKINITCPIO -P"},
	{"mkinitcpio from sh", VALL, "/bin/sh", NULL,
	 {"sh", "-c", "if command -v mkinitcpio"}, A, 0, 0, 0, 0},
	/* the first clause that matches decides */
	{"0 before 1", V1, "/usr/lib/kernel/sudo", NULL, {"x"}, E, 0, "like~",
	 "/usr/lib/kernel/*", "/usr/lib/kernel/sudo"},
	{"0 before 1", V78, "/usr/lib/kernel/sudo", NULL, {"x"}, E, 0, "like",
	 "/usr/lib/kernel/*", "/usr/lib/kernel/sudo"},
	{"1 where 0 is case-sensitive", V78, "/USR/LIB/KERNEL/sudo", NULL,
	 {"x"}, E, 1, "in", "sudo", "sudo"},
	{"1 before 2", VALL, "/usr/bin/sudo", NULL,
	 {"sudo", "/var/tmp/rpm-tmp.1"}, E, 1, "in", "sudo", "sudo"},
	{"2 before 3", VALL, "/bin/sh", NULL,
	 {"/bin/sh", "-c", "if command -v mkinitcpio", REBUILD}, E, 2, "like~",
	 REBUILD, REBUILD},
};
/* clang-format on */

START_TEST(test_decisions)
{
	const struct decision_case *c = &decision_cases[_i];
	struct image *proc = mk_dracut();
	struct image *parent = mk_argv(c->exe, c->args);
	char path[FIELD_PATH_MAX];
	size_t k;

	if (c->name)
		parent->name = c->name;
	for (k = 0; k < ARRAY_SIZE(versions); k++) {
		struct rule *r;
		struct rule_decision d;

		if (!(c->mask & (1u << k)))
			continue;
		r = rule_create(versions[k], NULL, 0);
		ck_assert_ptr_nonnull(r);
		memset(&d, 0x5a, sizeof(d));
		ck_assert_msg(rule_eval(r, proc, parent, NULL, &d) == c->v,
			      "v%d, %s: expected %s", versions[k], c->why,
			      verdict_name(c->v));
		ck_assert_int_eq(d.verdict, c->v);
		ck_assert_int_eq(d.version, versions[k]);
		ck_assert(!d.inexact && !d.stale && !d.value_cut);
		if (c->v == RULE_EXCLUDED) {
			ck_assert_uint_eq(d.index, c->clause);
			ck_assert_str_eq(field_path(d.field, path),
					 seed_fields[c->clause]);
			ck_assert_str_eq(match_op_name(d.op), c->op);
			ck_assert_str_eq(d.pattern, c->pattern);
			ck_assert_str_eq(rule_decision_value(&d), c->value);
			ck_assert_uint_eq(d.line, 0);
		} else {
			ck_assert_ptr_null(d.pattern);
			ck_assert_ptr_null(rule_decision_value(&d));
		}
		rule_free(r);
	}
	img_free(proc);
	img_free(parent);
}
END_TEST

/* The other verdicts carry no match, and the version all the same. */
START_TEST(test_decision_no_match)
{
	struct image *proc = mk_dracut();
	struct image *parent = mk(NULL, "sudo", NULL);
	struct rule *r = rule_create(8, NULL, 0);
	struct rule_decision d;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rule_eval(r, proc, NULL, NULL, &d), RULE_NO_PARENT);
	ck_assert_int_eq(d.verdict, RULE_NO_PARENT);
	ck_assert_int_eq(d.version, 8);
	ck_assert_ptr_null(d.pattern);
	ck_assert_int_eq(rule_eval(r, proc, parent, NULL, &d), RULE_NO_PARENT);
	proc->success = false;
	ck_assert_int_eq(rule_eval(r, proc, parent, NULL, &d),
			 RULE_NOT_CANDIDATE);
	ck_assert_int_eq(d.verdict, RULE_NOT_CANDIDATE);
	ck_assert_int_eq(d.version, 8);
	ck_assert_ptr_null(rule_decision_value(&d));
	ck_assert_int_eq(rule_eval(NULL, proc, parent, NULL, &d),
			 RULE_NOT_CANDIDATE);
	ck_assert_int_eq(d.version, 0);
	rule_free(r);
	img_free(proc);
	img_free(parent);
}
END_TEST

/*
 * Local exceptions, each given the configuration line 10 + its place, on
 * "dracut" (child) and parent: the decision names the exception (place
 * and line), its field as ECS writes it, the operator as written, the
 * value that matched and the process's value (an array's element; a uid
 * in decimal). Worked out by hand.
 */
struct exc_decision_case {
	const char *why;
	const char *exc[3];
	const char *args[4]; /* the child's ("dracut" first) */
	uid_t uid;
	const char *user;
	const char *pexe;
	const char *pargs[4];
	enum rule_verdict v;
	size_t index;
	const char *field, *op, *pattern, *value;
};

#define DFA                                                                    \
	{                                                                      \
		"dracut", "-f"                                                 \
	}
#define BASH                                                                   \
	"/usr/bin/bash",                                                       \
	{                                                                      \
		"bash"                                                         \
	}

/* clang-format off */
static const struct exc_decision_case exc_decision_cases[] = {
	{"parent name in a list", {"process.parent.name in (\"make\", "
	 "\"ninja\")"}, DFA, 0, "root", "/usr/bin/ninja", {"ninja"}, RULE_EXCEPTED,
	 0, "process.parent.name", "in", "ninja", "ninja"},
	{"user.id is process.user.id", {"user.id == \"1000\""}, DFA, 1000,
	 "builder", BASH, RULE_EXCEPTED, 0, "process.user.id", "==", "1000",
	 "1000"},
	{"user.name", {"user.name like~ \"BUILD*\""}, DFA, 1000, "builder",
	 BASH, RULE_EXCEPTED, 0, "process.user.name", "like~", "BUILD*",
	 "builder"},
	{"the child's args: the element", {"process.args like~ \"--KVER=*\""},
	 {"dracut", "-f", "--kver=6.1"}, 0, "root", BASH, RULE_EXCEPTED, 0,
	 "process.args", "like~", "--KVER=*", "--kver=6.1"},
	{"the child's command line",
	 {"process.command_line like \"dracut -f *\""},
	 {"dracut", "-f", "/boot/x"}, 0, "root", BASH, RULE_EXCEPTED, 0,
	 "process.command_line", "like", "dracut -f *", "dracut -f /boot/x"},
	{"the child's executable", {"process.executable == \"/usr/bin/dracut\""},
	 DFA, 0, "root", BASH, RULE_EXCEPTED, 0, "process.executable", "==",
	 "/usr/bin/dracut", "/usr/bin/dracut"},
	{"the second value", {"process.parent.executable in \"/opt/a\" "
	 "\"/opt/b\""}, DFA, 0, "root", "/opt/b", {"b"}, RULE_EXCEPTED, 0, PX,
	 "in", "/opt/b", "/opt/b"},
	{"the parent's command line",
	 {"process.parent.command_line like~ \"/usr/bin/python3 /opt/*\""},
	 DFA, 0, "root", "/usr/bin/python3", {"/usr/bin/python3",
	 "/OPT/Ansible/run.py"}, RULE_EXCEPTED, 0,
	 "process.parent.command_line", "like~", "/usr/bin/python3 /opt/*",
	 "/usr/bin/python3 /OPT/Ansible/run.py"},
	{"the first exception that matches", {"process.name == \"x\"",
	 "process.parent.args == \"--rebuild\"", "process.user.name == "
	 "\"root\""}, DFA, 0, "root", "/usr/bin/bash", {"bash", "--rebuild"},
	 RULE_EXCEPTED, 1, "process.parent.args", "==", "--rebuild",
	 "--rebuild"},
	{"a child-side one before a parent-side one", {"user.name == \"root\"",
	 "process.parent.executable like \"/usr/bin/*\""}, DFA, 0, "root",
	 BASH, RULE_EXCEPTED, 0, "process.user.name", "==", "root", "root"},
	{"the rule's exclusions first", {"process.parent.name == \"sudo\""},
	 DFA, 0, "root", "/usr/bin/sudo", {"sudo"}, RULE_EXCLUDED, 1,
	 "process.parent.name", "in", "sudo", "sudo"},
	{"none matches", {"process.parent.name == \"make\"",
	 "user.id in \"0\" \"1\""}, DFA, 1000, "builder", BASH, RULE_ALERT, 0,
	 NULL, NULL, NULL, NULL},
};
/* clang-format on */

/* The rule of version with the exception texts, on lines 10, 11, ... */
static struct rule *rule_with(int version, const char *const *texts, size_t n)
{
	struct rule_exception exc[4];
	struct rule *r;
	size_t i;

	ck_assert_uint_le(n, ARRAY_SIZE(exc));
	for (i = 0; i < n; i++) {
		parse_ok(texts[i], &exc[i]);
		ck_assert_uint_eq(exc[i].line, 0); /* the caller sets it */
		exc[i].line = 10 + (unsigned)i;
	}
	r = rule_create(version, exc, n);
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < n; i++)
		rule_exception_clear(&exc[i]);
	return r;
}

static size_t count_texts(const char *const *texts, size_t max)
{
	size_t n = 0;

	while (n < max && texts[n])
		n++;
	return n;
}

START_TEST(test_exception_decisions)
{
	const struct exc_decision_case *c = &exc_decision_cases[_i];
	struct image *proc = mk_argv("/usr/bin/dracut", c->args);
	struct image *parent = mk_argv(c->pexe, c->pargs);
	size_t n = count_texts(c->exc, ARRAY_SIZE(c->exc)), k;
	char path[FIELD_PATH_MAX];

	proc->uid = c->uid;
	proc->user_name = strdup(c->user);
	for (k = 0; k < ARRAY_SIZE(versions); k++) {
		struct rule *r = rule_with(versions[k], c->exc, n);
		struct rule_decision d;

		ck_assert_msg(rule_eval(r, proc, parent, NULL, &d) == c->v,
			      "v%d, %s: expected %s", versions[k], c->why,
			      verdict_name(c->v));
		if (c->v == RULE_ALERT) {
			ck_assert_ptr_null(d.pattern);
			rule_free(r);
			continue;
		}
		ck_assert_uint_eq(d.index, c->index);
		ck_assert_uint_eq(d.line,
				  c->v == RULE_EXCEPTED ? 10 + c->index : 0);
		ck_assert_str_eq(field_path(d.field, path), c->field);
		ck_assert_str_eq(match_op_name(d.op), c->op);
		ck_assert_str_eq(d.pattern, c->pattern);
		ck_assert_str_eq(rule_decision_value(&d), c->value);
		rule_free(r);
	}
	img_free(proc);
	img_free(parent);
}
END_TEST

/* The line numbers come from the configuration file, through the rule. */
START_TEST(test_exception_lines_from_config)
{
	char path[] = "/tmp/check_rule.XXXXXX";
	struct image *proc = mk_dracut();
	struct image *parent = mk("/usr/bin/ninja", "ninja", NULL);
	struct rule_decision d;
	struct config cfg;
	struct rule *r;
	FILE *fp;
	int fd;

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: config_load takes root's files only\n");
		img_free(proc);
		img_free(parent);
		return;
	}
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("# two exceptions\n\nexception = user.id == \"4242\"\n"
	      "rule_version = 8\n"
	      "exception = process.parent.name in (\"make\", \"ninja\")\n",
	      fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(config_load(path, true, &cfg), 0);
	unlink(path);
	ck_assert_uint_eq(cfg.nexceptions, 2);
	ck_assert_uint_eq(cfg.exceptions[0].line, 3);
	ck_assert_uint_eq(cfg.exceptions[1].line, 5);
	r = rule_create(cfg.rule_version, cfg.exceptions, cfg.nexceptions);
	ck_assert_ptr_nonnull(r);
	config_clear(&cfg);
	ck_assert_int_eq(rule_eval(r, proc, parent, NULL, &d), RULE_EXCEPTED);
	ck_assert_uint_eq(d.index, 1);
	ck_assert_uint_eq(d.line, 5);
	ck_assert_int_eq(d.version, 8);
	ck_assert_str_eq(d.pattern, "ninja");
	rule_free(r);
	img_free(proc);
	img_free(parent);
}
END_TEST

/* How many candidates each clause and each exception decided. */
START_TEST(test_counts)
{
	static const char *const texts[] = {"process.parent.name == \"ninja\"",
					    "user.id == \"0\""};
	struct rule *r = rule_with(1, texts, 2);
	struct image *proc = mk_dracut();
	struct image *sudo = mk("/usr/bin/sudo", "sudo", NULL);
	struct image *rpm = mk("/bin/sh", "sh", "/var/tmp/rpm-tmp.1", NULL);
	struct image *ninja = mk("/usr/bin/ninja", "ninja", NULL);
	struct image *bash = mk("/usr/bin/bash", "bash", NULL);
	struct rule_counts n;

	rule_counts(r, &n);
	ck_assert_uint_eq(n.nexcluded, 4);
	ck_assert_uint_eq(n.nexcepted, 2);
	ck_assert_uint_eq(n.excluded[1], 0);
	rule_eval(r, proc, sudo, NULL, NULL);
	rule_eval(r, proc, sudo, NULL, NULL);
	rule_eval(r, proc, rpm, NULL, NULL);
	rule_eval(r, proc, ninja, NULL, NULL);
	rule_eval(r, proc, bash, NULL, NULL); /* uid 0: exception 1 */
	proc->uid = 1000;
	rule_eval(r, proc, bash, NULL, NULL); /* an alert */
	rule_eval(r, proc, NULL, NULL, NULL); /* no parent */
	rule_counts(r, &n);
	ck_assert_uint_eq(n.excluded[0], 0);
	ck_assert_uint_eq(n.excluded[1], 2);
	ck_assert_uint_eq(n.excluded[2], 1);
	ck_assert_uint_eq(n.excluded[3], 0);
	ck_assert_uint_eq(n.excepted[0], 1);
	ck_assert_uint_eq(n.excepted[1], 1);
	ck_assert_uint_eq(n.inexact, 0);
	ck_assert_uint_eq(n.stale, 0);
	rule_free(r);
	img_free(proc);
	img_free(sudo);
	img_free(rpm);
	img_free(ninja);
	img_free(bash);
}
END_TEST

/* ------------------------------------------------- the table's cut copies */

/*
 * The table keeps a parent cut at its byte cap (image_pack), and hands out
 * image_copy of that. Find a cap at which the copy's arguments end with
 * last (when last is not NULL) or number argc, as the image module cuts;
 * the copy carries IMAGE_COPY_TRUNCATED. Fails the test if none does.
 */
static struct image *cut_copy(const struct image *full, const char *last,
			      size_t argc)
{
	size_t cap;

	for (cap = 1; cap < 64 * 1024; cap++) {
		struct image *packed = image_pack(full, cap), *copy;

		ck_assert_ptr_nonnull(packed);
		copy = image_copy(packed, 0);
		image_free(packed);
		ck_assert_ptr_nonnull(copy);
		if ((copy->flags & IMAGE_COPY_TRUNCATED) && copy->argc &&
		    (last ? strcmp(copy->args[copy->argc - 1], last) == 0
			  : copy->argc == argc))
			return copy;
		image_free(copy);
	}
	ck_abort_msg("no cap cuts the image as wanted");
	return NULL;
}

/* Bytes of a long argument, past any cap the cases below look for. */
#define PAD_LEN 5000

/* A long argument, to be cut. Static text. */
static const char *pad(void)
{
	static char s[PAD_LEN + 1];

	if (!s[0])
		memset(s, 'a', PAD_LEN);
	return s;
}

/* One case of the table's cut: the candidate, a parent's whole image and
 * its cut copy, and the rule that judges them. */
struct cut {
	struct image *proc, *full, *cut;
	struct rule *r;
};

/* Fill k: the whole parent full, cut as cut_copy says (last, argc). */
static void cut_begin(struct cut *k, struct rule *r, struct image *full,
		      const char *last, size_t argc)
{
	ck_assert_ptr_nonnull(r);
	k->proc = mk_dracut();
	k->full = full;
	k->cut = cut_copy(full, last, argc);
	k->r = r;
}

static void cut_end(struct cut *k)
{
	rule_free(k->r);
	img_free(k->proc);
	img_free(k->full);
	image_free(k->cut);
}

/* Cut to /usr/bin/dracut-rebuild, an argument would exclude: a missed
 * alert, unless the rule judges the whole image. */
START_TEST(test_cut_makes_an_exclusion)
{
	struct rule_parent_result kept;
	struct rule_decision d;
	struct rule_counts n;
	struct cut k;

	cut_begin(&k, rule_create(1, NULL, 0),
		  mk("/bin/bash", "bash", REBUILD "-helper", NULL), REBUILD, 0);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.full, NULL, &d), RULE_ALERT);
	ck_assert(!d.inexact);
	/* the cut copy alone: the wrong verdict, but flagged and counted */
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, NULL, &d),
			 RULE_EXCLUDED);
	ck_assert(d.inexact);
	ck_assert(!d.stale);
	rule_counts(k.r, &n);
	ck_assert_uint_eq(n.inexact, 1);
	/* the whole image judged when it was kept */
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_uint_eq(kept.stamp, rule_parent_stamp(k.r));
	ck_assert_uint_eq(kept.exclusion.test, 0);
	ck_assert_uint_eq(kept.exception.test, 0);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d), RULE_ALERT);
	ck_assert(!d.inexact);
	rule_counts(k.r, &n);
	ck_assert_uint_eq(n.inexact, 1);
	cut_end(&k);
}
END_TEST

/* An excluded argument past the cut: a false alert, unless the rule judges
 * the whole image. The kept result names the match; its value is gone. */
START_TEST(test_cut_loses_an_exclusion)
{
	struct rule_parent_result kept;
	struct rule_decision d;
	char path[FIELD_PATH_MAX];
	struct cut k;

	cut_begin(
		&k, rule_create(7, NULL, 0),
		mk("/bin/sh", "/bin/sh", pad(), "/var/tmp/rpm-tmp.ab12", NULL),
		NULL, 2);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, NULL, &d), RULE_ALERT);
	ck_assert(d.inexact);
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_uint_eq(kept.exclusion.test, 3); /* clause 2, args */
	ck_assert_uint_eq(kept.exclusion.pattern, 1);
	ck_assert_uint_eq(kept.exclusion.element, 2);
	ck_assert_uint_eq(kept.exclusion.len, strlen("/var/tmp/rpm-tmp.ab12"));
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCLUDED);
	ck_assert(!d.inexact);
	ck_assert_uint_eq(d.index, 2);
	ck_assert_str_eq(field_path(d.field, path), "process.parent.args");
	ck_assert_str_eq(match_op_name(d.op), "like~");
	ck_assert_str_eq(d.pattern, RPM);
	ck_assert(d.value_cut);
	ck_assert_ptr_null(rule_decision_value(&d));
	cut_end(&k);
}
END_TEST

/* A kept match before the cut still names its value, whole. */
START_TEST(test_cut_keeps_the_value)
{
	struct rule_parent_result kept;
	struct rule_decision d;
	struct cut k;

	cut_begin(&k, rule_create(8, NULL, 0),
		  mk("/bin/sh", "/bin/sh", "/var/tmp/rpm-tmp.ab12", pad(),
		     REBUILD, NULL),
		  NULL, 3);
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCLUDED);
	ck_assert_uint_eq(d.index, 2);
	ck_assert_str_eq(d.pattern, RPM);
	ck_assert(!d.value_cut);
	ck_assert_str_eq(rule_decision_value(&d), "/var/tmp/rpm-tmp.ab12");
	/* the copy's value, not the full image's */
	ck_assert_ptr_eq(d.value, k.cut->args[1]);
	cut_end(&k);
}
END_TEST

/* A command line the cut shortens: the kept match names no value. */
START_TEST(test_cut_command_line)
{
	struct rule_parent_result kept;
	struct rule_decision d;
	struct cut k;

	cut_begin(&k, rule_create(1, NULL, 0),
		  mk("/bin/sh", "/bin/sh", "-c", "if command -v mkinitcpio",
		     pad(), NULL),
		  NULL, 3);
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_uint_eq(kept.exclusion.test, 4);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCLUDED);
	ck_assert_uint_eq(d.index, 3);
	ck_assert_str_eq(d.pattern, MKINIT);
	ck_assert(d.value_cut);
	/* the whole image names it */
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.full, &kept, &d),
			 RULE_EXCLUDED);
	ck_assert_ptr_eq(d.value, k.full->command_line);
	cut_end(&k);
}
END_TEST

/* Parent-side exceptions are kept too; child-side ones are judged at
 * once, in configuration order with the kept one. */
START_TEST(test_cut_exceptions)
{
	static const char *const texts[] = {
		"user.id == \"0\"", "process.parent.args == \"--rebuild\"",
		"process.parent.name == \"bash\""};
	struct rule_parent_result kept;
	struct rule_decision d;
	struct cut k;

	cut_begin(&k, rule_with(7, texts, 3),
		  mk("/usr/bin/bash", "bash", pad(), "--rebuild", NULL), NULL,
		  1);
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_uint_eq(kept.exclusion.test, 0);
	ck_assert_uint_eq(kept.exception.test, 2); /* the first parent-side */
	ck_assert_uint_eq(kept.exception.element, 2);
	/* uid 0: the child-side exception comes first */
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCEPTED);
	ck_assert_uint_eq(d.index, 0);
	ck_assert_uint_eq(d.line, 10);
	ck_assert_str_eq(rule_decision_value(&d), "0");
	/* uid 1000: the kept one, past the cut */
	k.proc->uid = 1000;
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCEPTED);
	ck_assert_uint_eq(d.index, 1);
	ck_assert_uint_eq(d.line, 11);
	ck_assert_str_eq(d.pattern, "--rebuild");
	ck_assert(d.value_cut);
	ck_assert(!d.inexact);
	/* without it, the cut copy: the name exception, flagged */
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, NULL, &d),
			 RULE_EXCEPTED);
	ck_assert_uint_eq(d.index, 2);
	ck_assert_uint_eq(d.line, 12);
	ck_assert_str_eq(rule_decision_value(&d), "bash");
	ck_assert(d.inexact);
	/* no parent: nothing matched, the stamp set */
	rule_parent_eval(k.r, NULL, &kept);
	ck_assert_uint_eq(kept.stamp, rule_parent_stamp(k.r));
	ck_assert_uint_eq(kept.exclusion.test, 0);
	ck_assert_uint_eq(kept.exception.test, 0);
	cut_end(&k);
}
END_TEST

/*
 * A reload: results kept by a rule whose parent-side tests differ are
 * stale, never used, counted; the cut copy is judged instead and the
 * decision says it is inexact. Equal tests keep results valid.
 */
START_TEST(test_cut_reload)
{
	static const char *const a[] = {"process.parent.args == \"--rebuild\""};
	static const char *const b[] = {"process.parent.args == \"--other\""};
	struct rule *rb = rule_with(1, b, 1), *ra2 = rule_with(1, a, 1);
	struct rule_parent_result kept;
	struct rule_decision d;
	struct rule_counts n;
	struct cut k;

	cut_begin(&k, rule_with(1, a, 1),
		  mk("/usr/bin/bash", "bash", pad(), "--rebuild", NULL), NULL,
		  1);
	rule_parent_eval(k.r, k.full, &kept);
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d),
			 RULE_EXCEPTED);
	ck_assert(!d.stale && !d.inexact);
	/* the configuration changed the exception */
	ck_assert_uint_ne(rule_parent_stamp(k.r), rule_parent_stamp(rb));
	ck_assert_int_eq(rule_eval(rb, k.proc, k.cut, &kept, &d), RULE_ALERT);
	ck_assert(d.stale);
	ck_assert(d.inexact);
	rule_counts(rb, &n);
	ck_assert_uint_eq(n.stale, 1);
	ck_assert_uint_eq(n.inexact, 1);
	/* the same exceptions again, in a new rule: the result holds */
	ck_assert_uint_eq(rule_parent_stamp(k.r), rule_parent_stamp(ra2));
	ck_assert_int_eq(rule_eval(ra2, k.proc, k.cut, &kept, &d),
			 RULE_EXCEPTED);
	ck_assert(!d.stale && !d.inexact);
	ck_assert_uint_eq(d.line, 10);
	/* a zeroed result is no result */
	memset(&kept, 0, sizeof(kept));
	ck_assert_int_eq(rule_eval(k.r, k.proc, k.cut, &kept, &d), RULE_ALERT);
	ck_assert(d.stale && d.inexact);
	rule_free(rb);
	rule_free(ra2);
	cut_end(&k);
}
END_TEST

/* Which changes make kept results stale: only the parent-side tests and
 * their places count. */
START_TEST(test_stamps)
{
	static const char *const child[] = {"user.id == \"0\""};
	static const char *const parent[] = {"process.parent.name == \"x\""};
	static const char *const child_then_parent[] = {
		"user.id == \"0\"", "process.parent.name == \"x\""};
	static const char *const parent_then_child[] = {
		"process.parent.name == \"x\"", "user.id == \"0\""};
	static const char *const parent_like[] = {
		"process.parent.name like \"x\""};
	struct rule *r1 = rule_create(1, NULL, 0);
	struct rule *r7 = rule_create(7, NULL, 0);
	struct rule *r8 = rule_create(8, NULL, 0);
	struct rule *c = rule_with(7, child, 1);
	struct rule *p = rule_with(7, parent, 1);
	struct rule *cp = rule_with(7, child_then_parent, 2);
	struct rule *pc = rule_with(7, parent_then_child, 2);
	struct rule *pl = rule_with(7, parent_like, 1);
	struct rule *p8 = rule_with(8, parent, 1);

	ck_assert_uint_ne(rule_parent_stamp(r1), 0);
	/* versions 7 and 8 share their query */
	ck_assert_uint_eq(rule_parent_stamp(r7), rule_parent_stamp(r8));
	ck_assert_uint_eq(rule_parent_stamp(p), rule_parent_stamp(p8));
	/* version 1's query is another */
	ck_assert_uint_ne(rule_parent_stamp(r1), rule_parent_stamp(r7));
	/* a child-side exception after the others changes nothing */
	ck_assert_uint_eq(rule_parent_stamp(r7), rule_parent_stamp(c));
	ck_assert_uint_eq(rule_parent_stamp(p), rule_parent_stamp(pc));
	/* a parent-side one does, and so does its place or operator */
	ck_assert_uint_ne(rule_parent_stamp(r7), rule_parent_stamp(p));
	ck_assert_uint_ne(rule_parent_stamp(p), rule_parent_stamp(cp));
	ck_assert_uint_ne(rule_parent_stamp(p), rule_parent_stamp(pl));
	rule_free(r1);
	rule_free(r7);
	rule_free(r8);
	rule_free(c);
	rule_free(p);
	rule_free(cp);
	rule_free(pc);
	rule_free(pl);
	rule_free(p8);
}
END_TEST

/* The messages list what the tables hold. */
START_TEST(test_exception_error_lists)
{
	struct rule_exception e;
	char err[1024], want[1024];

	ck_assert_int_eq(rule_exception_parse("host.name == \"x\"", &e, err,
					      sizeof(err)),
			 -1);
	snprintf(want, sizeof(want), "unknown field 'host.name' (expected %s)",
		 field_rule_names());
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(
		rule_exception_parse("user.name = \"x\"", &e, err, sizeof(err)),
		-1);
	ck_assert_str_eq(err, "unknown operator '=' (expected ==, in, like or "
			      "like~)");
	ck_assert_int_eq(
		rule_exception_parse("user.name", &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "missing operator after 'user.name' (expected "
			      "==, in, like or like~)");
	ck_assert_int_eq(rule_exception_parse("user.name == \"a\" \"b\"", &e,
					      err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "'==' takes exactly one value, got 2 (use 'in' "
			      "for several)");
}
END_TEST

/* ------------------------------------------------------------ the pages */

/* Is there a line in [from, to) that starts with a bold macro (.B or .BR)
 * and then word, followed by a blank, a comma or the line's end? */
static bool bold_word(const char *from, const char *to, const char *word)
{
	const char *s;
	size_t n = strlen(word);

	for (s = from; s && s < to; s = strchr(s + 1, '\n')) {
		const char *w = s + 1;

		if (strncmp(w, ".BR ", 4) == 0)
			w += 4;
		else if (strncmp(w, ".B ", 3) == 0)
			w += 3;
		else
			continue;
		if (strncmp(w, word, n) == 0 && strchr(" ,\n", w[n]))
			return true;
	}
	return false;
}

/* A section of page, from the line that starts with from to the next
 * line that starts with to. */
static const char *section(const char *page, const char *from, const char *to,
			   const char **end)
{
	const char *s = strstr(page, from);

	ck_assert_msg(s != NULL, "no '%s' in the page", from);
	*end = strstr(s + 1, to);
	ck_assert_msg(*end != NULL, "no '%s' after '%s'", to, from);
	return s;
}

/* The pages list what the tables hold: every field an exception may
 * test, every version, and the default. */
START_TEST(test_man_lists)
{
	char *conf = slurp(TOP_SRCDIR "/man/audisp-dracut.conf.5");
	char *page = slurp(TOP_SRCDIR "/man/audisp-dracut.8");
	char *names = strdup(field_rule_names()), *name, *save = NULL;
	const char *s, *end;
	char want[128];
	size_t i;

	ck_assert_ptr_nonnull(conf);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(names);
	s = section(conf, ".BI exception", ".I operator", &end);
	for (name = strtok_r(names, ", ", &save); name;
	     name = strtok_r(NULL, ", ", &save))
		if (strcmp(name, "or") != 0)
			ck_assert_msg(bold_word(s, end, name),
				      "conf(5) does not list %s", name);
	s = section(conf, ".BI rule_version", ".BI exception", &end);
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		snprintf(want, sizeof(want), "%d", versions[i]);
		ck_assert_msg(bold_word(s, end, want),
			      "conf(5) does not list version %s", want);
	}
	/* the option: "1 (the default), 7 or 8" */
	ck_assert_int_eq(versions[0], RULE_VERSION_DEFAULT);
	snprintf(want, sizeof(want), "of the rule: %d (the default)%s.\n",
		 RULE_VERSION_DEFAULT, strchr(rule_versions_text(), ','));
	ck_assert_msg(strstr(page, want) != NULL, "audisp-dracut(8) lacks '%s'",
		      want);
	free(names);
	free(conf);
	free(page);
}
END_TEST

/* Add each of the n tests to tc. */
static void add_tests(TCase *tc, const TTest *const *tests, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
}

static Suite *rule_suite(void)
{
	const TTest *const rule_tests[] = {
		test_missing_fields, test_parent_presence,
		test_candidate,	     test_child_fields_ignored,
		test_versions,	     test_seed_v1,
		test_seed_v7,	     test_seed_v8,
		test_seed_tags_v1,   test_tags,
		test_verdict_names,  test_man_lists};
	const TTest *const exception_tests[] = {
		test_exception_parse_values, test_exception_error_buffers,
		test_exceptions_several, test_exception_error_lists};
	const TTest *const decision_tests[] = {test_decision_no_match,
					       test_exception_lines_from_config,
					       test_counts};
	const TTest *const kept_tests[] = {test_cut_makes_an_exclusion,
					   test_cut_loses_an_exclusion,
					   test_cut_keeps_the_value,
					   test_cut_command_line,
					   test_cut_exceptions,
					   test_cut_reload,
					   test_stamps};
	Suite *s = suite_create("rule");
	TCase *tc = tcase_create("rule");
	TCase *te = tcase_create("exceptions");
	TCase *td = tcase_create("decisions");
	TCase *tk = tcase_create("kept");

	tcase_add_loop_test(tc, test_parents, 0, ARRAY_SIZE(parent_cases));
	tcase_add_loop_test(tc, test_meta, 0, ARRAY_SIZE(meta_cases));
	tcase_add_loop_test(tc, test_missing_fields, 0, ARRAY_SIZE(versions));
	tcase_add_loop_test(tc, test_parent_presence, 0, ARRAY_SIZE(versions));
	add_tests(tc, rule_tests, ARRAY_SIZE(rule_tests));
	suite_add_tcase(s, tc);

	tcase_add_loop_test(te, test_exceptions, 0, ARRAY_SIZE(exc_cases));
	tcase_add_loop_test(te, test_exception_errors, 0,
			    ARRAY_SIZE(bad_exceptions));
	add_tests(te, exception_tests, ARRAY_SIZE(exception_tests));
	suite_add_tcase(s, te);

	tcase_add_loop_test(td, test_decisions, 0, ARRAY_SIZE(decision_cases));
	tcase_add_loop_test(td, test_exception_decisions, 0,
			    ARRAY_SIZE(exc_decision_cases));
	add_tests(td, decision_tests, ARRAY_SIZE(decision_tests));
	suite_add_tcase(s, td);

	add_tests(tk, kept_tests, ARRAY_SIZE(kept_tests));
	suite_add_tcase(s, tk);
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
