// SPDX-License-Identifier: GPL-2.0-or-later
/* Format detection: a property table, one row per format and edge case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kt-prefix.h"

#define NONE KT_TIME_NONE
#define U KT_LEVEL_UNKNOWN

struct row {
	const char *in;
	enum kt_format fmt;
	int64_t mono;		/* usec or NONE */
	int64_t wall;		/* UTC epoch seconds or NONE */
	int level;
	int facility;
	const char *caller;	/* "T123" or NULL */
	const char *host;
	const char *prog;
	bool kernel;
	const char *text;
};

static const struct row rows[] = {
	{ "[    0.261306] pci 0000:00:04.0: BAR 0", KT_FMT_DMESG, 261306, NONE, U, -1,
	  NULL, NULL, NULL, true, "pci 0000:00:04.0: BAR 0" },
	{ "[ 5940.365877] a\tb", KT_FMT_DMESG, 5940365877LL, NONE, U, -1, NULL, NULL, NULL,
	  true, "a\tb" },
	{ "[  584.319520][   T31] INFO: task", KT_FMT_DMESG, 584319520LL, NONE, U, -1, "T31",
	  NULL, NULL, true, "INFO: task" },
	{ "[T7] caller only", KT_FMT_DMESG, NONE, NONE, U, -1, "T7", NULL, NULL, true,
	  "caller only" },
	{ "[   12.5][    C1] cpu ctx", KT_FMT_DMESG, 12500000, NONE, U, -1, "C1", NULL, NULL,
	  true, "cpu ctx" },
	{ "<3>[    1.000000] raw", KT_FMT_RAW, 1000000, NONE, 3, 0, NULL, NULL, NULL, true,
	  "raw" },
	{ "<14>no time", KT_FMT_RAW, NONE, NONE, 6, 1, NULL, NULL, NULL, true, "no time" },
	{ "kern  :info  : [    0.261306] pci x", KT_FMT_DMESG_X, 261306, NONE, 6, 0, NULL,
	  NULL, NULL, true, "pci x" },
	{ "user  :crit  : [ 1.0] y", KT_FMT_DMESG_X, 1000000, NONE, 2, 1, NULL, NULL, NULL,
	  true, "y" },
	{ "[Sun Nov 22 14:10:19 2026] pci", KT_FMT_DMESG_T, NONE, 1795356619LL, U, -1, NULL,
	  NULL, NULL, true, "pci" },
	{ "6,211,257962,-;pci 0000:00:03.0", KT_FMT_KMSG, 257962, NONE, 6, 0, NULL, NULL,
	  NULL, true, "pci 0000:00:03.0" },
	{ "12,9,1,c;esc \\x1b here", KT_FMT_KMSG, 1, NONE, 4, 1, NULL, NULL, NULL, true,
	  "esc \x1b here" },
	{ "Nov 22 15:49:29 vm kernel: [    0.246014] pci", KT_FMT_SYSLOG, 246014, 1795362569LL,
	  U, 0, NULL, "vm", "kernel", true, "pci" },
	{ "Nov  2 01:02:03 vm kernel: no ts", KT_FMT_SYSLOG, NONE, 1793581323LL, U, 0, NULL,
	  "vm", "kernel", true, "no ts" },
	{ "Nov 22 08:26:40.257962 vm kernel: pci", KT_FMT_SYSLOG, NONE, 1795336000LL, U, 0,
	  NULL, "vm", "kernel", true, "pci" },
	{ "Sep 18 15:30:22 host sshd[42]: Accepted", KT_FMT_SYSLOG, NONE, 1789745422LL, U, -1,
	  NULL, "host", "sshd", false, "Accepted" },
	{ "2026-11-22T15:49:29.794944+00:00 vm kernel: [    0.246014] pci", KT_FMT_SYSLOG_ISO,
	  246014, 1795362569LL, U, 0, NULL, "vm", "kernel", true, "pci" },
	{ "2025-11-22T08:26:40+0000 vm kernel: iso", KT_FMT_SYSLOG_ISO, NONE, 1763800000LL, U,
	  0, NULL, "vm", "kernel", true, "iso" },
	{ "2026-11-22T16:49:29+01:00 vm kernel: offset", KT_FMT_SYSLOG_ISO, NONE, 1795362569LL,
	  U, 0, NULL, "vm", "kernel", true, "offset" },
	{ "<6>1 2026-11-22T15:49:29.794944+00:00 vm kernel - - - [    0.246014] pci",
	  KT_FMT_RFC5424, 246014, 1795362569LL, 6, 0, NULL, "vm", "kernel", true, "pci" },
	{ "<30>1 2026-11-22T15:49:29Z vm systemd 1 - [a b=\"]\\\"\"] started", KT_FMT_RFC5424,
	  NONE, 1795362569LL, 6, 3, NULL, "vm", "systemd", false, "started" },
	{ "[    0.257962] vm kernel: pci", KT_FMT_JOURNAL_MONO, 257962, NONE, U, 0, NULL, "vm",
	  "kernel", true, "pci" },
	/* dmesg text that merely looks like "host prog:" is not journal output */
	{ "[    1.0] usb 2-1: new device", KT_FMT_DMESG, 1000000, NONE, U, -1, NULL, NULL,
	  NULL, true, "usb 2-1: new device" },
	{ "{\"MESSAGE\":\"m\",\"PRIORITY\":\"3\",\"_TRANSPORT\":\"kernel\","
	  "\"__MONOTONIC_TIMESTAMP\":\"5\",\"__REALTIME_TIMESTAMP\":\"1763800000000000\"}",
	  KT_FMT_JOURNAL_JSON, 5, 1763800000LL, 3, -1, NULL, NULL, "kernel", true, "m" },
	{ "no prefix at all", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true,
	  "no prefix at all" },
	{ "[  OK  ] Started foo", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true,
	  "[  OK  ] Started foo" },
	{ "[    1.0", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true, "[    1.0" },
	{ "<999>x", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true, "<999>x" },
	{ "6,abc,1,-;bad", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true,
	  "6,abc,1,-;bad" },
	{ "Nov 99 15:49:29 vm kernel: x", KT_FMT_NONE, NONE, NONE, U, -1, NULL, NULL, NULL, true,
	  "Nov 99 15:49:29 vm kernel: x" },
	{ "\x1b[0;32m[    2.0] colour\x1b[0m", KT_FMT_DMESG, 2000000, NONE, U, -1, NULL, NULL,
	  NULL, true, "colour" },
};

static void check_str(const char *want, const char *got, size_t len, size_t row)
{
	if (!want) {
		if (got) {
			print_error("row %zu: expected NULL, got '%.*s'\n", row, (int)len, got);
			fail();
		}
		return;
	}
	if (!got || len != strlen(want) || memcmp(want, got, len)) {
		print_error("row %zu: expected '%s', got '%.*s'\n", row, want, (int)len,
			    got ? got : "(null)");
		fail();
	}
}

static void test_table(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct kt_prefix_state st;
		struct kt_line l;
		char buf[512], caller[16] = "";

		kt_prefix_state_init(&st, 2026);
		snprintf(buf, sizeof(buf), "%s", r->in);
		kt_line_init(&l);
		assert_int_equal(kt_prefix_parse(&st, buf, strlen(buf), &l), KT_PARSE_LINE);
		if ((int)l.format != (int)r->fmt) {
			print_error("row %zu (%s): format %d, want %d\n", i, r->in, l.format, r->fmt);
			fail();
		}
		assert_true(l.mono_usec == r->mono);
		if (r->wall == NONE)
			assert_true(l.wall_usec == NONE);
		else if (l.wall_usec / 1000000 != r->wall) {
			print_error("row %zu: wall %lld, want %lld\n", i,
				    (long long)(l.wall_usec / 1000000), (long long)r->wall);
			fail();
		}
		assert_int_equal(l.level, r->level);
		assert_int_equal(l.facility, r->facility);
		if (l.caller_kind)
			snprintf(caller, sizeof(caller), "%c%u", l.caller_kind, l.caller_id);
		check_str(r->caller, l.caller_kind ? caller : NULL, strlen(caller), i);
		check_str(r->host, l.host, l.host_len, i);
		check_str(r->prog, l.prog, l.prog_len, i);
		assert_int_equal(l.is_kernel, r->kernel);
		check_str(r->text, l.text, l.text_len, i);
		kt_prefix_state_release(&st);
	}
}

static void test_dmesg_json_array(void **state)
{
	static const char *const lines[] = {
		"{", "   \"dmesg\": [", "      {", "         \"pri\": 14,",
		"         \"time\": 0.257962,", "         \"msg\": \"a \\\"quoted\\\"\\ttab\"",
		"      },", "      {", "         \"pri\": 3,", "         \"time\": 5.0,",
		"         \"msg\": \"second\"", "      }", "   ]", "}",
	};
	struct kt_prefix_state st;
	int got = 0;

	kt_prefix_state_init(&st, 2026);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char buf[128];
		struct kt_line l;

		snprintf(buf, sizeof(buf), "%s", lines[i]);
		kt_line_init(&l);
		if (kt_prefix_parse(&st, buf, strlen(buf), &l) != KT_PARSE_LINE)
			continue;
		got++;
		assert_int_equal(l.format, KT_FMT_DMESG_JSON);
		if (got == 1) {
			assert_int_equal(l.level, 6);
			assert_int_equal(l.facility, 1);
			assert_true(l.mono_usec == 257962);
			assert_int_equal(l.text_len, 14);
			assert_memory_equal(l.text, "a \"quoted\"\ttab", 14);
		} else {
			assert_int_equal(l.level, 3);
			assert_memory_equal(l.text, "second", 6);
		}
	}
	assert_int_equal(got, 2);
	kt_prefix_state_release(&st);
}

static void test_blank_and_strip(void **state)
{
	struct kt_prefix_state st;
	struct kt_line l;
	char buf[64] = "  \t ";
	char csi[] = "a\x1b[1;31mb\x1b]0;t\x07" "c\x1b" "cd\x1b";

	kt_prefix_state_init(&st, 2026);
	kt_line_init(&l);
	assert_int_equal(kt_prefix_parse(&st, buf, strlen(buf), &l), KT_PARSE_SKIP);
	assert_int_equal(kt_strip_ansi(csi, strlen(csi)), 5);
	assert_memory_equal(csi, "abcd\x1b", 5);
	kt_prefix_state_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_dmesg_json_array),
		cmocka_unit_test(test_blank_and_strip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
