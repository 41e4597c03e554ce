// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-frame.h"

static enum kt_frame_type parse(const char *s, struct kt_frame_view *v)
{
	return kt_frame_parse(s, strlen(s), v, NULL);
}

static void assert_func(const struct kt_frame_view *v, const char *f)
{
	assert_non_null(v->func);
	assert_int_equal(v->func_len, strlen(f));
	assert_memory_equal(v->func, f, strlen(f));
}

static void test_x86(void **state)
{
	struct kt_frame_view v;

	assert_int_equal(parse(" tcp_v4_rcv+0x1a/0x30 [nf_conntrack]", &v), KT_FRAME_CALL);
	assert_func(&v, "tcp_v4_rcv");
	assert_true(v.has_offset && v.offset == 0x1a && v.size == 0x30);
	assert_int_equal(v.module_len, 12);
	assert_true(v.reliable);

	assert_int_equal(parse(" ? __schedule+0x11d7/0x6730", &v), KT_FRAME_CALL);
	assert_func(&v, "__schedule");
	assert_false(v.reliable);

	assert_int_equal(parse(" [<ffffffff81d03a1d>] dump_stack+0xc1/0x124", &v), KT_FRAME_CALL);
	assert_true(v.has_address && v.address == 0xffffffff81d03a1dull);
	assert_func(&v, "dump_stack");

	assert_int_equal(parse(" [<ffffffff81416c20>] ? percpu_up_read.constprop.46+0xe1/0xe1", &v),
			 KT_FRAME_CALL);
	assert_false(v.reliable);

	assert_int_equal(parse(" lkdtm_WARNING+0x1a/0x30 [lkdtm 1234abcd]", &v), KT_FRAME_CALL);
	assert_int_equal(v.build_id_len, 8);

	assert_int_equal(parse("RIP: 0010:check_memory_region+0x38/0x190", &v), KT_FRAME_IP);
	assert_func(&v, "check_memory_region");
	assert_int_equal(parse("RIP: 0010:[<ffffffff83408ca0>]  [<ffffffff83408ca0>] drm_x+0x1/0x2",
			       &v), KT_FRAME_IP);
	assert_func(&v, "drm_x");
	assert_int_equal(parse("RIP: 0033:0x452ac9", &v), KT_FRAME_NONE);
	assert_int_equal(parse("    [<ffffffff848a2f5f>] sock_kmalloc+0x7f/0xc0 net/core/sock.c:1774 ",
			       &v), KT_FRAME_CALL);
	assert_int_equal(parse(" <IRQ>  [<ffffffff813a0886>] _sched_show_task+0x2a6/0x4f0", &v),
			 KT_FRAME_CALL);
	assert_true(v.context_change);
	assert_int_equal(v.context, KT_CTX_IRQ);
	/* not frames */
	assert_int_equal(parse("Modules linked in: foo bar", &v), KT_FRAME_NONE);
	assert_int_equal(parse("CPU: 1 PID: 1 Comm: x Not tainted 6.1.0 #1", &v), KT_FRAME_NONE);
	assert_int_equal(parse("", &v), KT_FRAME_NONE);
	assert_int_equal(parse("audit: type=1400 audit(1.2:3): avc: denied", &v), KT_FRAME_NONE);
	/* absurd offsets saturate, do not overflow */
	assert_int_equal(parse(" f+0xffffffffffffffffffffffff/0x1", &v), KT_FRAME_CALL);
	assert_true(v.offset == UINT64_MAX);
}

/* a call frame with offset and size (has_size false if size is 0 here) */
static void assert_call(const char *line, const char *func, uint64_t off, uint64_t size)
{
	struct kt_frame_view v;

	assert_int_equal(parse(line, &v), KT_FRAME_CALL);
	assert_func(&v, func);
	assert_true(v.has_offset);
	assert_true(v.offset == off);
	assert_int_equal(v.has_size, size != 0);
	if (size)
		assert_true(v.size == size);
}

/*
 * "func+0xoff/0xsize" is read up to four digits each at once, from the
 * sixteen bytes after the '+' or, at the end of the line, the sixteen that
 * end there; the other shapes take the general path.  Both must agree.
 */
static void test_offsets(void **state)
{
	struct kt_frame_view v;

	(void)state;
	/* one to four digits, the line shorter or longer than sixteen bytes */
	assert_call("f+0x1/0x2", "f", 0x1, 0x2);
	assert_call(" do_syscall_64+0x1f4/0x7d0", "do_syscall_64", 0x1f4, 0x7d0);
	assert_call(" ? do_syscall_64+0x1f4/0x7d0", "do_syscall_64", 0x1f4, 0x7d0);
	assert_call(" entry_SYSCALL_64_after_hwframe+0x44/0xa9", "entry_SYSCALL_64_after_hwframe",
		    0x44, 0xa9);
	assert_call(" __schedule+0x11d7/0x6730", "__schedule", 0x11d7, 0x6730);
	assert_call("x+0xabcd/0xEF01 [m]", "x", 0xabcd, 0xef01);
	assert_call(" some_function_name+0X1A/0XfF", "some_function_name", 0x1a, 0xff);
	assert_int_equal(parse(" some_function_name+0x0/0x0", &v), KT_FRAME_CALL);
	assert_true(v.has_size && v.size == 0);
	/* more than four digits, up to sixteen exact, more saturate */
	assert_call(" big_function+0x1a2b3/0x2c3d4", "big_function", 0x1a2b3, 0x2c3d4);
	assert_call(" f+0x123456789abcdef0/0x10", "f", 0x123456789abcdef0ull, 0x10);
	assert_call(" f+0xffffffffffffffff/0x1", "f", UINT64_MAX, 0x1);
	assert_call(" f+0x10000000000000000/0x1", "f", UINT64_MAX, 0x1);
	assert_call(" f+0x1/0x10000000000000000", "f", 0x1, UINT64_MAX);
	/* no size */
	assert_call(" some_function_name+0x10", "some_function_name", 0x10, 0);
	assert_call(" some_function_name+0x10 [mod]", "some_function_name", 0x10, 0);
	/* missing digits, '+' or '/' without "0x", other bytes after them */
	assert_int_equal(parse(" some_function_name+0x/0x10", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x10/0x", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x10/", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x10/0xzz", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+10/0x20", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x10/20", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+", &v), KT_FRAME_NONE);
	assert_int_equal(parse("f+0x", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x1g/0x2", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x1f4/0x7d0g", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" .+0x1/0x2", &v), KT_FRAME_NONE);
	/* what may follow */
	assert_int_equal(parse(" tcp_v4_rcv+0x1a/0x30 [nf_conntrack 0123456789abcdef]", &v),
			 KT_FRAME_CALL);
	assert_int_equal(v.module_len, 12);
	assert_memory_equal(v.module, "nf_conntrack", 12);
	assert_int_equal(v.build_id_len, 16);
	assert_memory_equal(v.build_id, "0123456789abcdef", 16);
	assert_int_equal(parse(" some_function_name+0x1/0x2 [<ffffffff81000000>]", &v),
			 KT_FRAME_CALL);
	assert_null(v.module);
	assert_true(v.size == 2);
	assert_int_equal(parse(" some_function_name+0x1c/0x30 (unreliable)", &v), KT_FRAME_CALL);
	assert_false(v.reliable);
	assert_int_equal(parse(" sock_kmalloc+0x7f/0xc0 net/core/sock.c:1774", &v), KT_FRAME_CALL);
	assert_true(v.offset == 0x7f && v.size == 0xc0);
	assert_int_equal(parse(" sock_kmalloc+0x7f/0xc0 garbage", &v), KT_FRAME_NONE);
	assert_int_equal(parse(" some_function_name+0x1f4/0x7d0)", &v), KT_FRAME_CALL);
	assert_true(v.size == 0x7d0);
	/* the '?' and the blanks after it */
	assert_int_equal(parse("?\tsome_function_name+0x1/0x2", &v), KT_FRAME_CALL);
	assert_false(v.reliable);
	assert_int_equal(parse(" ?  some_function_name+0x1/0x2", &v), KT_FRAME_CALL);
	assert_false(v.reliable);
	assert_int_equal(parse(" ?", &v), KT_FRAME_NONE);
	assert_int_equal(parse("?some_function_name+0x1/0x2", &v), KT_FRAME_CALL);
	assert_false(v.reliable);
}

static void test_other_arches(void **state)
{
	struct kt_frame_view v;
	size_t next;
	const char *arm = "[<c0014318>] (dump_backtrace_log_lvl) from [<c001457c>] (show_stack+0x24/0x2c)";

	assert_int_equal(parse(" __switch_to+0x2b0/0x6e0 (T)", &v), KT_FRAME_CALL);
	assert_int_equal(parse("pc : lkdtm_BUG+0x8/0x10", &v), KT_FRAME_IP);
	assert_int_equal(parse("lr : lkdtm_do_action+0x24/0x40", &v), KT_FRAME_LR);
	assert_int_equal(kt_frame_parse(arm, strlen(arm), &v, &next), KT_FRAME_CALL);
	assert_func(&v, "dump_backtrace_log_lvl");
	assert_true(next < strlen(arm));
	assert_int_equal(parse("[c000000010f930b0] [c000000008068df8] .eeh_dev_check_failure+0x278/0x390 (unreliable)",
			       &v), KT_FRAME_CALL);
	assert_false(v.reliable);
	assert_func(&v, ".eeh_dev_check_failure");
	assert_int_equal(parse("NIP [c000000008068dfc] .eeh_dev_check_failure+0x27c/0x390", &v),
			 KT_FRAME_IP);
	assert_int_equal(parse("PC is at shmem_getpage_gfp+0x584/0x72c", &v), KT_FRAME_IP);
	assert_int_equal(parse("Krnl PSW : 0704f00180000000 000003ff8086d03a (will_oops_init+0x3a/0x1000 [will_oops])",
			       &v), KT_FRAME_IP);
	assert_func(&v, "will_oops_init");
	assert_int_equal(parse("([<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops])", &v),
			 KT_FRAME_CALL);
	assert_int_equal(parse(" [<00000000001ab224>] load_module+0x1414/0x19f4", &v), KT_FRAME_CALL);
}

/* The IP lines are told apart by their first byte: each form, and lines
 * that start with the same letters but are something else. */
static void test_ip_lines(void **state)
{
	struct kt_frame_view v;

	assert_int_equal(parse("IP: [<ffffffff81234567>] foo+0x1/0x2", &v), KT_FRAME_IP);
	assert_func(&v, "foo");
	assert_true(v.has_address && v.address == 0xffffffff81234567ull);
	assert_int_equal(parse("EIP: [<c1234567>] bar+0x5/0x10 SS:ESP 0068:f5c2de3c", &v),
			 KT_FRAME_IP);
	assert_func(&v, "bar");
	assert_int_equal(parse("EIP: 0060:[<c1234567>] EFLAGS: 00010246 CPU: 0", &v),
			 KT_FRAME_NONE);
	assert_int_equal(parse("RIP: 0010:", &v), KT_FRAME_NONE);
	assert_int_equal(parse("lr : [<ffff000008123456>] lkdtm_do_action+0x24/0x40", &v),
			 KT_FRAME_LR);
	assert_true(v.has_address);
	assert_int_equal(parse("lr : 0xffff000008123456", &v), KT_FRAME_NONE);
	assert_int_equal(parse("pc : 0xffff000008123456", &v), KT_FRAME_NONE);
	assert_int_equal(parse("LR is at do_one_initcall+0x40/0x1d0", &v), KT_FRAME_LR);
	assert_func(&v, "do_one_initcall");
	assert_int_equal(parse("PC is at 0xc0123456", &v), KT_FRAME_NONE);
	assert_int_equal(parse("LR [c000000000123456] .foo+0x10/0x20", &v), KT_FRAME_LR);
	assert_func(&v, ".foo");
	assert_true(v.has_address && v.address == 0xc000000000123456ull);
	assert_int_equal(parse("LR = 0xc000000000123456", &v), KT_FRAME_NONE);
	assert_int_equal(parse("NIP:  c000000000123456 LR: c000000000123450 CTR: 0", &v),
			 KT_FRAME_NONE);
	assert_int_equal(parse("Krnl PSW : 0704f00180000000 000003ff8086d03a (f+0x3a/0x100 [m])",
			       &v), KT_FRAME_IP);
	assert_true(v.has_address && v.address == 0x3ff8086d03aull);
	assert_int_equal(v.module_len, 1);
	assert_int_equal(parse("Krnl GPRS: 0000000000000000 0000000000000001", &v), KT_FRAME_NONE);
	assert_int_equal(parse("Kernel panic - not syncing: Fatal exception", &v), KT_FRAME_NONE);
	/* frames whose names begin with those letters */
	assert_int_equal(parse(" lock_acquire+0x29d/0x740", &v), KT_FRAME_CALL);
	assert_func(&v, "lock_acquire");
	assert_int_equal(parse(" pci_device_probe+0x1/0x2 [pci]", &v), KT_FRAME_CALL);
	assert_int_equal(v.module_len, 3);
	assert_int_equal(parse("RIP_x+0x1/0x2", &v), KT_FRAME_CALL);
	assert_func(&v, "RIP_x");
	assert_int_equal(parse("IPv6_addr+0x1/0x2", &v), KT_FRAME_CALL);
	assert_int_equal(parse("LRU_add+0x1/0x2", &v), KT_FRAME_CALL);
	assert_int_equal(parse("NIP_x+0x1/0x2", &v), KT_FRAME_CALL);
	assert_int_equal(parse("Kthread_x+0x1/0x2", &v), KT_FRAME_CALL);
	assert_int_equal(parse("SyS_write+0x1/0x2", &v), KT_FRAME_CALL);
	assert_func(&v, "SyS_write");
	/* ppc interrupt frames */
	assert_int_equal(parse("--- interrupt: 700 at .foo+0x2c/0x70", &v), KT_FRAME_CALL);
	assert_func(&v, ".foo");
	assert_true(v.has_offset && v.offset == 0x2c);
	assert_int_equal(parse("--- interrupt: 700", &v), KT_FRAME_NONE);
	assert_int_equal(parse("---[ end trace 0000000000000000 ]---", &v), KT_FRAME_NONE);
}

static void test_markers(void **state)
{
	enum kt_frame_context c;

	assert_true(kt_frame_marker(" <IRQ>", 6, &c));
	assert_int_equal(c, KT_CTX_IRQ);
	assert_true(kt_frame_marker(" </IRQ>", 7, &c));
	assert_int_equal(c, KT_CTX_TASK);
	assert_true(kt_frame_marker(" <NMI>", 6, &c));
	assert_int_equal(c, KT_CTX_NMI);
	assert_true(kt_frame_marker(" <SOFTIRQ>", 10, &c));
	assert_int_equal(c, KT_CTX_SOFTIRQ);
	assert_true(kt_frame_marker(" <#DF>", 6, &c));
	assert_int_equal(c, KT_CTX_EXCEPTION);
	assert_false(kt_frame_marker(" <IRQ> foo", 10, &c));
	assert_true(kt_frame_marker("<IRQ> </IRQ>  <NMI>\t", 20, &c));
	assert_int_equal(c, KT_CTX_NMI);
	assert_false(kt_frame_marker(" <IRQ> <FOO>", 12, &c));
	assert_false(kt_frame_marker("   ", 3, &c));
}

static void canon(const char *in, const char *want)
{
	char buf[128];

	kt_frame_canonical(in, strlen(in), buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_canonical(void **state)
{
	canon("do_ipv6_setsockopt.isra.8", "do_ipv6_setsockopt");
	canon("check_cpu_stall.constprop.0.cold", "check_cpu_stall");
	canon("d_walk.part.10", "d_walk");
	canon("__x64_sys_mount", "sys_mount");
	canon("__se_sys_rmdir", "rmdir");
	canon("SyS_write", "write");
	canon(".eeh_dev_check_failure", "eeh_dev_check_failure");
	canon("plain", "plain");
	canon("_Z8fakeNameiii", "fakeName");
	canon("_Z99short", "_Z99short");
	canon("_Zfoo", "_Zfoo");
}

/* kt_frame_copy_scalars() sets the members one by one (no memset): each
 * must be set, whatever the frame held before.  Keep in step with struct
 * kt_frame. */
static void test_copy_scalars(void **state)
{
	static const char line[] = " ? foo+0x1a/0x30 [mod]";
	struct kt_frame_view v;
	struct kt_frame f;

	(void)state;
	assert_int_equal(kt_frame_parse(line, strlen(line), &v, NULL), KT_FRAME_CALL);
	memset(&f, 0x5a, sizeof(f));
	kt_frame_copy_scalars(&f, &v, KT_CTX_IRQ);
	assert_int_equal(f.type, KT_FRAME_CALL);
	assert_true(!f.func && !f.module && !f.build_id);
	assert_true(f.offset == 0x1a && f.size == 0x30 && f.has_offset && f.has_size);
	assert_true(f.address == 0 && !f.has_address && !f.reliable);
	assert_int_equal(f.pooled, 0);
	assert_int_equal(f.context, KT_CTX_IRQ);
	assert_int_equal(f.stack, KT_STACK_MAIN);
	assert_int_equal(f.section, 0);
	assert_true(!f.file && f.line == 0 && f.column == 0);
	assert_true(!f.inlined && f.n_inlined == 0 && !f.sym_note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_other_arches),
		cmocka_unit_test(test_ip_lines),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_copy_scalars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
