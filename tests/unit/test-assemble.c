// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kt-error.h"
#include "kt-line.h"
#include "kt-report.h"
#include "kt-rules.h"

#ifndef KT_TOP_SRCDIR
#define KT_TOP_SRCDIR "."
#endif

static struct kt_report_defs *defs;

struct got {
	struct kt_report *r[2048];
	size_t n;
};

static int keep(struct kt_report *r, void *ud)
{
	struct got *g = ud;

	if (g->n < 2048) {
		g->r[g->n++] = r;
		return KT_REPORT_KEEP;
	}
	return 0;
}

static void release(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		kt_report_free(g->r[i]);
	g->n = 0;
}

static int feed(struct kt_assembler *a, const char *text, uint64_t lineno, struct got *g)
{
	struct kt_line l;

	kt_line_init(&l);
	l.source = "test";
	l.lineno = lineno;
	l.text = text;
	l.text_len = strlen(text);
	return kt_assembler_feed(a, &l, keep, g);
}

static void feed_all(const char *const *lines, struct got *g)
{
	struct kt_assembler *a = kt_assembler_new(defs);

	for (size_t i = 0; lines[i]; i++)
		feed(a, lines[i], i + 1, g);
	kt_assembler_flush(a, keep, g);
	kt_assembler_free(a);
}

static const char *const warning[] = {
	"------------[ cut here ]------------",
	"WARNING: CPU: 1 PID: 4085 at fs/kernfs/dir.c:494 kernfs_get+0x23/0x30",
	"Modules linked in: lkdtm(OE) nf_tables",
	" ext4 [last unloaded: foo]",
	"CPU: 1 PID: 4085 Comm: syz-executor Tainted: G    B   W  6.1.0-13-amd64 #1 Debian 6.1.55-1",
	"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2 04/01/2014",
	"RIP: 0010:kernfs_get+0x23/0x30",
	"Call Trace:",
	" <TASK>",
	" ? __warn+0x7d/0xc0",
	" kernfs_new_node+0x5a/0x70",
	" __kernfs_create_file+0x35/0x110",
	" sysfs_add_file_mode_ns+0x8d/0x120",
	" </TASK>",
	"---[ end trace 0000000000000000 ]---",
	"usb 1-1: new high-speed USB device",
	NULL
};

static void test_warning(void **state)
{
	struct got g = { .n = 0 };
	struct kt_report *r;

	feed_all(warning, &g);
	assert_int_equal(g.n, 1);
	r = g.r[0];
	assert_string_equal(r->kind, "WARNING");
	assert_string_equal(r->title, "WARNING in kernfs_get");
	assert_false(r->corrupted);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 4085);
	assert_string_equal(r->comm, "syz-executor");
	assert_string_equal(r->kernel, "6.1.0-13-amd64");
	assert_string_equal(r->taint, "GBW");
	assert_non_null(r->hardware);
	assert_int_equal(r->n_modules, 3);
	assert_string_equal(r->modules[0], "lkdtm");
	assert_string_equal(r->modules[2], "ext4");
	assert_true(r->has_ip);
	assert_int_equal(r->first_line, 2);
	assert_int_equal(r->last_line, 15);
	assert_true(r->has_guilty);
	assert_string_equal(r->guilty.func, "kernfs_get");
	assert_int_equal(strlen(r->signature), 16);
	release(&g);
}

static void test_signature_stable(void **state)
{
	static const char *const other[] = {
		"WARNING: CPU: 3 PID: 99 at fs/kernfs/dir.c:494 kernfs_get+0x27/0x40",
		"CPU: 3 PID: 99 Comm: other Not tainted 6.2.0 #7",
		"RIP: 0010:kernfs_get+0x27/0x40",
		"Call Trace:",
		" kernfs_new_node+0x1a/0x80",
		" __kernfs_create_file+0x99/0x210",
		" sysfs_add_file_mode_ns+0x1d/0x20",
		"---[ end trace 1234 ]---",
		NULL
	};
	struct got a = { .n = 0 }, b = { .n = 0 };

	feed_all(warning, &a);
	feed_all(other, &b);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	assert_string_equal(a.r[0]->signature, b.r[0]->signature);
	release(&a);
	release(&b);
}

static void test_clean_boot(void **state)
{
	static const char *const boot[] = {
		"Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)",
		"Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet oops=panic",
		"BIOS-provided physical RAM map:",
		"ACPI: RSDP 0x00000000000F5A30 000014 (v00 BOCHS )",
		"Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on",
		"WARNING: the mand mount option is being deprecated",
		"WARNING: kernel not compiled with CPU_SRSO.",
		"WARNING: workqueue cpumask: online intersect > possible intersect",
		"WARNING: `syz.1.2' uses wireless extensions which will stop working for Wi-Fi 7 hardware; use nl80211",
		"WARNING: fbcon: Driver 'vkmsdrmfb' missed to adjust virtual screen size (0x0 vs. 64x48)",
		"INFO: NMI handler (perf_event_nmi_handler) took too long to run: 2.277 msecs",
		"EXT4-fs (sda1): INFO: recovery required on readonly filesystem",
		"softdog: initialized. soft_noboot=0 soft_margin=60 sec soft_panic=0",
		"random: crng init done",
		NULL
	};
	struct got g = { .n = 0 };

	feed_all(boot, &g);
	assert_int_equal(g.n, 0);
}

/* any other "WARNING: <text>" line is a report titled as written */
static void test_warning_text(void **state)
{
	static const char *const lines[] = { "WARNING: foo", "random: crng init done", NULL };
	struct got g = { .n = 0 };

	feed_all(lines, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0]->title, "WARNING: foo");
	assert_false(g.r[0]->corrupted);
	release(&g);
}

static void test_header_at_eof(void **state)
{
	static const char *const cut[] = { "BUG: kernel NULL pointer dereference, address: 0", NULL };
	struct got g = { .n = 0 };

	feed_all(cut, &g);
	assert_int_equal(g.n, 1);
	assert_true(g.r[0]->corrupted);
	assert_non_null(g.r[0]->corrupted_reason);
	release(&g);
}

static void test_never_ending(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	uint64_t i;

	feed(a, "BUG: soft lockup - CPU#0 stuck for 22s! [swapper:1]", 1, &g);
	for (i = 2; i < 100000; i++)
		feed(a, " ? loop_forever+0x1/0x2", i, &g);
	/* closed by the line bound, with the frame count bounded */
	assert_true(g.n >= 1);
	assert_true(g.r[0]->n_lines <= KT_REPORT_MAX_LINES);
	assert_true(g.r[0]->n_frames <= KT_REPORT_MAX_FRAMES);
	kt_assembler_flush(a, keep, &g);
	kt_assembler_free(a);
	release(&g);
}

static void test_thousand_reports(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	uint64_t i;

	for (i = 0; i < 1000; i++) {
		int f = feed(a, "general protection fault: 0000 [#1] SMP", i * 3 + 1, &g);

		assert_true(f & KT_FEED_START);
		feed(a, "RIP: 0010:foo_bar+0x1/0x2", i * 3 + 2, &g);
		assert_true(feed(a, " foo_caller+0x3/0x4", i * 3 + 3, &g) & KT_FEED_REPORT);
	}
	kt_assembler_flush(a, keep, &g);
	assert_int_equal(g.n, 1000);
	assert_string_equal(g.r[999]->title, "general protection fault in foo_bar");
	kt_assembler_free(a);
	release(&g);
}

/* the pipeline's one-step bit of a line's context is the assembler's bit
 * of its key; CPUs 0 to 63 each get a bit of their own */
static void test_context_bits(void **state)
{
	static const char kinds[] = { 'T', 'C' };
	uint64_t cpus = 0;
	struct kt_line l;

	(void)state;
	kt_line_init(&l);
	assert_true(kt_report_line_bit(&l) == kt_report_context_bit(kt_report_context(&l)));
	for (size_t k = 0; k < sizeof(kinds); k++) {
		for (uint64_t id = 0; id <= UINT32_MAX; id = id * 3 + 1) {
			l.caller_kind = kinds[k];
			l.caller_id = (uint32_t)id;
			assert_true(kt_report_line_bit(&l) ==
				    kt_report_context_bit(kt_report_context(&l)));
		}
	}
	l.caller_kind = 'C';
	for (uint32_t id = 0; id < 64; id++) {
		l.caller_id = id;
		cpus |= kt_report_line_bit(&l);
	}
	assert_true(cpus == UINT64_MAX);
}

static void test_interleaved_callers(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	struct kt_line l;
	static const struct { char k; uint32_t id; const char *t; } in[] = {
		{ 'T', 1, "INFO: task a:1 blocked for more than 143 seconds." },
		{ 'T', 2, "BUG: kernel NULL pointer dereference, address: 0000000000000000" },
		{ 'T', 1, "Call Trace:" },
		{ 'T', 2, "RIP: 0010:null_deref+0x1/0x2" },
		{ 'T', 1, " __schedule+0x1/0x2" },
		{ 'T', 2, "Call Trace:" },
		{ 'T', 1, " hung_here+0x1/0x2" },
		{ 'T', 2, " caller_of_null+0x1/0x2" },
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		kt_line_init(&l);
		l.lineno = i + 1;
		l.caller_kind = in[i].k;
		l.caller_id = in[i].id;
		l.text = in[i].t;
		l.text_len = strlen(in[i].t);
		kt_assembler_feed(a, &l, keep, &g);
	}
	kt_assembler_flush(a, keep, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0]->title, "INFO: task hung in hung_here");
	assert_string_equal(g.r[1]->title,
			    "BUG: unable to handle kernel NULL pointer dereference in null_deref");
	kt_assembler_free(a);
	release(&g);
}

/* a stack deeper than a report keeps: its top and bottom survive, and a
 * stack overflow is titled by the frame before the syscall entry */
static void test_deep_stack(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	char buf[64];
	uint64_t n = 1;
	size_t i;

	feed(a, "BUG: stack guard page was hit at ffffc900190cfff8", n++, &g);
	feed(a, "Call Trace:", n++, &g);
	for (i = 0; i < KT_REPORT_MAX_FRAMES + 50; i++) {
		snprintf(buf, sizeof(buf), " %s+0x1/0x2", i % 2 ? "recurse_a" : "recurse_b");
		feed(a, buf, n++, &g);
	}
	feed(a, " enter_recursion+0x1/0x2", n++, &g);
	feed(a, " do_syscall_64+0x1/0x2", n++, &g);
	kt_assembler_flush(a, keep, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.r[0]->n_frames, KT_REPORT_MAX_FRAMES);
	assert_int_equal(g.r[0]->frames_dropped, 52);
	assert_string_equal(g.r[0]->frames[0].func, "recurse_b");
	assert_string_equal(g.r[0]->frames[KT_REPORT_MAX_FRAMES - 1].func, "do_syscall_64");
	assert_string_equal(g.r[0]->title, "BUG: stack guard page was hit in enter_recursion");
	kt_assembler_free(a);
	release(&g);
}

/* deeper than twice the limit: the middle is dropped while the stack
 * gathers, and the frames kept are still the first and the last ones */
static void test_deeper_stack(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	const size_t depth = 950, half = KT_REPORT_MAX_FRAMES / 2;
	char buf[64];
	uint64_t n = 1;
	size_t i;

	feed(a, "BUG: stack guard page was hit at ffffc900190cfff8", n++, &g);
	feed(a, "Call Trace:", n++, &g);
	for (i = 0; i < depth; i++) {
		snprintf(buf, sizeof(buf), " fn_%zu+0x1/0x2", i);
		feed(a, buf, n++, &g);
	}
	kt_assembler_flush(a, keep, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.r[0]->n_frames, KT_REPORT_MAX_FRAMES);
	assert_int_equal(g.r[0]->frames_dropped, depth - KT_REPORT_MAX_FRAMES);
	for (i = 0; i < KT_REPORT_MAX_FRAMES; i++) {
		snprintf(buf, sizeof(buf), "fn_%zu", i < half ? i : depth - KT_REPORT_MAX_FRAMES + i);
		assert_string_equal(g.r[0]->frames[i].func, buf);
	}
	kt_assembler_free(a);
	release(&g);
}

/* a report that ends first but began second comes out second */
static void test_begin_order(void **state)
{
	struct kt_assembler *a = kt_assembler_new(defs);
	struct got g = { .n = 0 };
	struct kt_line l;
	static const struct { uint32_t id; const char *t; } in[] = {
		{ 2, "general protection fault: 0000 [#1] SMP KASAN" },
		{ 1, "BUG: KASAN: null-ptr-deref in deref_here+0x1/0x2" },
		{ 2, "RIP: 0010:gpf_here+0x1/0x2" },
		{ 1, "Read of size 4 at addr 00000000000000c8 by task x/1" },
		{ 1, "Call Trace:" },
		{ 1, " deref_here+0x1/0x2" },
		{ 1, "==================================================================" },
		{ 2, "Call Trace:" },
		{ 2, " gpf_caller+0x1/0x2" },
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		kt_line_init(&l);
		l.lineno = i + 1;
		l.caller_kind = 'T';
		l.caller_id = in[i].id;
		l.text = in[i].t;
		l.text_len = strlen(in[i].t);
		kt_assembler_feed(a, &l, keep, &g);
		if (i == 6)	/* the KASAN report is complete, but held back */
			assert_int_equal(g.n, 0);
	}
	kt_assembler_flush(a, keep, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0]->title, "general protection fault in gpf_here");
	assert_string_equal(g.r[1]->title, "KASAN: null-ptr-deref Read in deref_here");
	kt_assembler_free(a);
	release(&g);
}

static void test_taint(void **state)
{
	assert_non_null(kt_taint_meaning('W'));
	assert_non_null(kt_taint_meaning('G'));
	assert_null(kt_taint_meaning('?'));
}

/* known bug: "Tainted: G  OE" gave the release "OE" */
static void test_taint_words(void **state)
{
	static const char *const lines[] = {
		"WARNING: CPU: 0 PID: 1 at drivers/foo/foo.c:12 foo_probe+0x10/0x20 [foo]",
		"CPU: 0 PID: 1 Comm: modprobe Tainted: G           OE      6.1.0-13-amd64 #1 Debian 6.1.55-1",
		"RIP: 0010:foo_probe+0x10/0x20 [foo]",
		"Call Trace:",
		" foo_probe+0x10/0x20 [foo]",
		" do_one_initcall+0x50/0x210",
		"---[ end trace 0000000000000000 ]---",
		NULL
	};
	struct got g = { .n = 0 };

	feed_all(lines, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0]->kernel, "6.1.0-13-amd64");
	assert_string_equal(g.r[0]->taint, "GOE");
	assert_string_equal(g.r[0]->build, "#1 Debian 6.1.55-1");
	release(&g);
}

/* known bug: a report without a stack swallowed the lines after it */
static void test_stackless_ends(void **state)
{
	static const char *const lines[] = {
		"BUG: Bad page map in process syz  pte:8000000012345067 pmd:12345067",
		"addr:00007f0000000000 vm_flags:08100073 anon_vma:ffff888012345678 mapping:0000000000000000 index:7f0000000",
		"file:(null) fault:0x0 mmap:0x0 read_folio:0x0",
		"usb 1-1: new high-speed USB device number 2 using xhci_hcd",
		"e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex",
		NULL
	};
	struct got g = { .n = 0 };

	feed_all(lines, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0]->title, "BUG: Bad page map");
	assert_int_equal(g.r[0]->first_line, 1);
	assert_int_equal(g.r[0]->last_line, 3);
	release(&g);
}

/* known bug: list_del corruption and the BUG that follows were two reports */
static void test_list_corruption_pair(void **state)
{
	static const char *const lines[] = {
		"list_del corruption, ffff888012345678->next is LIST_POISON1 (dead000000000100)",
		"------------[ cut here ]------------",
		"kernel BUG at lib/list_debug.c:56!",
		"invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
		"CPU: 0 PID: 1 Comm: x Not tainted 6.1.0 #1",
		"RIP: 0010:__list_del_entry_valid+0xd1/0x100",
		"Call Trace:",
		" <TASK>",
		" foo_remove+0x10/0x20",
		" bar_release+0x20/0x40",
		" </TASK>",
		"---[ end trace 0000000000000000 ]---",
		NULL
	};
	struct got g = { .n = 0 };

	feed_all(lines, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0]->title, "BUG: corrupted list in foo_remove");
	assert_false(g.r[0]->corrupted);
	release(&g);
}

/* arm: the caller after the last "from" is a frame of its own */
static void test_arm_from_caller(void **state)
{
	static const char *const lines[] = {
		"Unhandled fault: page domain fault (0x01b) at 0x00000e30",
		"Internal error: : 1b [#1] PREEMPT SMP ARM",
		"PC is at __sanitizer_cov_trace_pc+0x4c/0x78",
		"Backtrace: ",
		"[<802b3ffc>] (__sanitizer_cov_trace_pc) from [<802e1324>] (trace_hardirqs_off+0x6c/0x120)",
		" r5:60000193 r4:8bdfc000",
		"[<802e12b8>] (trace_hardirqs_off) from [<80100a74>] (foo_ioctl+0x54/0xa0)",
		"Exception stack(0x8bdfc048 to 0x8bdfc090)",
		"---[ end trace 1e8bf21d99144682 ]---",
		NULL
	};
	struct got g = { .n = 0 };

	feed_all(lines, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.r[0]->title, "Unhandled fault in foo_ioctl");
	assert_int_equal(g.r[0]->n_frames, 4);	/* PC line and three calls */
	release(&g);
}

/* ---- the hinted feed: the classifier's "none of the start literals"
 * must change nothing ---- */

static void watch_cb(const char *lit, size_t len, bool anchored, void *ud)
{
	assert_int_equal(kt_ruleset_watch(ud, lit, len, anchored), 0);
}

/* feed text (n bytes, lines split at '\n') plainly and hinted; compare */
static void same_hinted(struct kt_classifier *c, const char *text, size_t n)
{
	struct kt_assembler *a = kt_assembler_new(defs), *b = kt_assembler_new(defs);
	struct got *ga = calloc(1, sizeof(*ga)), *gb = calloc(1, sizeof(*gb));
	struct kt_match m;
	uint64_t lineno = 1;

	for (const char *p = text, *end = text + n; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kt_line l;

		kt_line_init(&l);
		l.lineno = lineno;
		l.text = p;
		l.text_len = len;
		kt_classify(c, p, len, NULL, 0, &m);
		assert_int_equal(kt_assembler_feed(a, &l, keep, ga),
				 kt_assembler_feed_hinted(b, &l, kt_classifier_watched(c), keep, gb));
		p += len + 1;
	}
	kt_assembler_flush(a, keep, ga);
	kt_assembler_flush(b, keep, gb);
	assert_int_equal(ga->n, gb->n);
	for (size_t i = 0; i < ga->n; i++) {
		assert_string_equal(ga->r[i]->title, gb->r[i]->title);
		assert_string_equal(ga->r[i]->signature, gb->r[i]->signature);
		assert_int_equal(ga->r[i]->first_line, gb->r[i]->first_line);
		assert_int_equal(ga->r[i]->n_lines, gb->r[i]->n_lines);
		assert_int_equal(ga->r[i]->n_frames, gb->r[i]->n_frames);
	}
	release(ga);
	release(gb);
	free(ga);
	free(gb);
	kt_assembler_free(a);
	kt_assembler_free(b);
}

static void test_hinted_feed(void **state)
{
	static const char log[] =
		"usb 1-1: new high-speed USB device\n"
		"BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
		"RIP: 0010:null_deref+0x1/0x2\n"
		"Call Trace:\n"
		" caller_of_null+0x1/0x2\n"
		" ? unreliable+0x1/0x2\n"
		"---[ end trace 0000000000000000 ]---\n"
		" BUG: KCSAN: data-race in foo / bar\n"
		"\tWARNING: CPU: 0 PID: 1 at lib/x.c:1 indented+0x1/0x2\n"
		"syz-executor.0 invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n"
		"Call Trace:\n"
		" dump_stack+0x1/0x2\n"
		" out_of_memory+0x1/0x2\n"
		"syzkaller login: Unable to handle kernel paging request at virtual address 0\n"
		"pc : paged+0x1/0x2\n"
		"bug: kernel null pointer dereference, folded: no report\n"
		"Kernel panic - not syncing: Fatal exception\n";
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	char path[600];
	FILE *f;

	/* no rules: the classifier only looks for the start literals */
	kt_ruleset_new(&rs);
	kt_report_defs_start_literals(defs, watch_cb, rs);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	same_hinted(c, log, sizeof(log) - 1);
	/* and the first hundred syzkaller logs, when the shared corpus is there */
	for (int i = 0; i < 100; i++) {
		static char buf[1 << 20];
		size_t n;

		snprintf(path, sizeof(path), KT_TOP_SRCDIR "/../shared/corpus/syzkaller/%d", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		same_hinted(c, buf, n);
	}
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static int setup(void **state)
{
	struct kt_error err;

	kt_error_clear(&err);
	return kt_report_defs_load(KT_TOP_SRCDIR "/rules/reports.yaml", &defs, &err);
}

static int teardown(void **state)
{
	kt_report_defs_free(defs);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warning),
		cmocka_unit_test(test_signature_stable),
		cmocka_unit_test(test_clean_boot),
		cmocka_unit_test(test_warning_text),
		cmocka_unit_test(test_header_at_eof),
		cmocka_unit_test(test_never_ending),
		cmocka_unit_test(test_thousand_reports),
		cmocka_unit_test(test_interleaved_callers),
		cmocka_unit_test(test_context_bits),
		cmocka_unit_test(test_begin_order),
		cmocka_unit_test(test_deep_stack),
		cmocka_unit_test(test_deeper_stack),
		cmocka_unit_test(test_taint),
		cmocka_unit_test(test_taint_words),
		cmocka_unit_test(test_stackless_ends),
		cmocka_unit_test(test_list_corruption_pair),
		cmocka_unit_test(test_arm_from_caller),
		cmocka_unit_test(test_hinted_feed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
