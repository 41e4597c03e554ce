// SPDX-License-Identifier: GPL-2.0-or-later
/* test-symbolize.c - kt-symbolize.h: paths, names, the test binary itself as
 * the "vmlinux" (it is built with -g), and unusable files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt-symbolize.h"

static void test_strip(void **state)
{
	const char *cd = "debian/build/build_amd64_none_cloud-amd64";

	(void)state;
	assert_string_equal(kt_symbolize_strip(
		"debian/build/build_amd64_none_cloud-amd64/kernel/sched/core.c", cd, NULL),
		"kernel/sched/core.c");
	/* a parent of comp_dir (the source tree of an O= build) */
	assert_string_equal(kt_symbolize_strip("/build/linux-6.1/arch/x86/kernel/head_64.S",
					       "/build/linux-6.1/debian/build/x", NULL),
			    "arch/x86/kernel/head_64.S");
	/* out-of-tree module: kept as recorded; "/" is never stripped */
	assert_string_equal(kt_symbolize_strip("/usr/src/lkdtm/core.c", "/usr/src/lkdtm", NULL),
			    "/usr/src/lkdtm/core.c");
	assert_string_equal(kt_symbolize_strip("/usr/include/stdio.h", "/", NULL),
			    "/usr/include/stdio.h");
	assert_string_equal(kt_symbolize_strip("./mm/slub.c", "/x", NULL), "mm/slub.c");
	/* an explicit prefix, with or without the trailing slash */
	assert_string_equal(kt_symbolize_strip("/b/src/fs/open.c", "/b", "/b/"), "src/fs/open.c");
	assert_string_equal(kt_symbolize_strip("/b/src/fs/open.c", "/b", "/b/src"), "fs/open.c");
	assert_string_equal(kt_symbolize_strip("/c/fs/open.c", "/b", "/b"), "/c/fs/open.c");
	assert_null(kt_symbolize_strip(NULL, NULL, NULL));
}

static void test_module_names(void **state)
{
	(void)state;
	assert_true(kt_module_name_eq("snd-hda-intel", 13, "snd_hda_intel", 13));
	assert_true(kt_module_name_eq("lkdtm", 5, "lkdtm", 5));
	assert_false(kt_module_name_eq("lkdtm", 5, "lkdtx", 5));
	assert_false(kt_module_name_eq("ab", 2, "abc", 3));
}

static __attribute__((noinline, noipa)) int probe_function(int x)
{
	return x * 7 + (int)getpid();
}

struct msgs {
	int count[3];
	char last[512];
};

static void on_msg(enum kt_sym_severity sev, const char *msg, void *userdata)
{
	struct msgs *m = userdata;

	m->count[sev]++;
	snprintf(m->last, sizeof(m->last), "%s", msg);
}

static void test_self(void **state)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct msgs m = { { 0 } };
	struct kt_symbolizer_opts o = { .message = on_msg, .userdata = &m };
	struct kt_symbolizer *s;
	struct kt_frame f = { 0 };

	(void)state;
	assert_true(n > 0);
	self[n] = '\0';
	o.vmlinux = self;
	s = kt_symbolizer_new(&o);
	assert_int_equal(probe_function(1) > 0, 1);
	f.type = KT_FRAME_IP;
	f.func = strdup("probe_function");
	f.has_offset = true;
	f.offset = 1;
	f.reliable = true;
	assert_int_equal(kt_symbolize_frame(s, &f, true, NULL, 0), 1);
	assert_non_null(f.file);
	assert_non_null(strstr(f.file, "test-symbolize.c"));
	assert_true(f.line > 0);
	assert_null(f.sym_note);
	assert_string_equal(kt_symbolizer_vmlinux(s), self);
	assert_true(m.count[KT_SYM_INFO] >= 1);		/* "symbolizing with ..." */
	assert_false(kt_symbolizer_failed(s));

	/* an unknown function: no location, a note */
	kt_frame_release(&f);
	f.func = strdup("no_such_function_here");
	f.has_offset = true;
	f.offset = 4;
	assert_int_equal(kt_symbolize_frame(s, &f, false, NULL, 0), 0);
	assert_null(f.file);
	assert_non_null(f.sym_note);
	kt_frame_release(&f);
	kt_symbolizer_free(s);
}

static void test_unusable(void **state)
{
	static const char *const paths[] = { "/dev/zero", "/", "/nonexistent/vmlinux",
					      "/proc/self/status" };

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct msgs m = { { 0 } };
		struct kt_symbolizer_opts o = { .vmlinux = paths[i], .message = on_msg,
						.userdata = &m };
		struct kt_symbolizer *s = kt_symbolizer_new(&o);
		struct kt_frame f = { 0 };

		f.func = strdup("vfs_write");
		f.has_offset = f.has_size = true;
		f.offset = 0xc7;
		f.size = 0x3f0;
		assert_int_equal(kt_symbolize_frame(s, &f, false, "6.1.0", 0), 0);
		assert_int_equal(kt_symbolize_frame(s, &f, false, "6.1.0", 0), 0);
		assert_int_equal(m.count[KT_SYM_ERROR], 1);	/* said once */
		assert_true(kt_symbolizer_failed(s));
		assert_null(kt_symbolizer_vmlinux(s));
		kt_frame_release(&f);
		kt_symbolizer_free(s);
	}
	kt_symbolizer_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_module_names),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_unusable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
