// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-render.h"

static void test_json_message(void **state)
{
	struct kt_strbuf sb;
	struct kt_line l;
	struct kt_field_view f[] = { { "vendor", "0781", 4 } };
	struct kt_annotation ann = { .category = "usb", .rule = "usb.new-device",
				     .explanation = "USB \"x\"", .explanation_len = 7,
				     .severity = KT_LEVEL_UNKNOWN, .fields = f, .nfields = 1 };

	kt_strbuf_init(&sb, 64);
	kt_line_init(&l);
	l.source = "k.log";
	l.lineno = 7;
	l.mono_usec = 1234567;
	l.level = KT_LEVEL_ERR;
	l.facility = 0;
	l.caller_kind = 'T';
	l.caller_id = 12;
	l.text = "bad\x1b\xff";
	l.text_len = 5;
	kt_render_json_message(&sb, &l, &ann);
	assert_string_equal(sb.buf,
		"{\"type\":\"message\",\"source\":\"k.log\",\"line\":7,\"boot\":0,"
		"\"time\":1.234567,\"wallclock\":null,\"level\":\"err\",\"facility\":\"kern\","
		"\"caller\":\"T12\",\"host\":null,\"program\":null,\"kernel\":true,"
		"\"text\":\"bad\\u001b\\\\xff\",\"category\":\"usb\",\"rule\":\"usb.new-device\","
		"\"fields\":{\"vendor\":\"0781\"},\"explanation\":\"USB \\\"x\\\"\"}\n");
	kt_strbuf_reset(&sb);
	kt_render_json_lost(&sb, "kmsg", 3, 11);
	assert_string_equal(sb.buf, "{\"type\":\"lost\",\"source\":\"kmsg\",\"count\":3,\"after_seq\":11}\n");
	kt_strbuf_release(&sb);
}

static void test_text_message(void **state)
{
	struct kt_strbuf sb;
	struct kt_line l;
	struct kt_text_style plain = { 0 }, color = { .color = true };

	kt_strbuf_init(&sb, 64);
	kt_line_init(&l);
	l.mono_usec = 1500000;
	l.level = KT_LEVEL_WARN;
	l.text = "hello\a";
	l.text_len = 6;
	kt_render_text_message(&sb, &l, NULL, &plain);
	assert_string_equal(sb.buf, "[    1.500000] warn   hello\\x07\n");
	kt_strbuf_reset(&sb);
	kt_render_text_message(&sb, &l, NULL, &color);
	assert_string_equal(sb.buf, "[    1.500000] \033[33mwarn\033[0m   \033[33mhello\\x07\033[0m\n");
	kt_strbuf_reset(&sb);
	l.is_kernel = false;
	l.prog = "sshd";
	l.prog_len = 4;
	l.mono_usec = KT_TIME_NONE;
	l.level = KT_LEVEL_UNKNOWN;
	l.truncated = true;
	kt_render_text_message(&sb, &l, NULL, &plain);
	assert_string_equal(sb.buf, "-      sshd: hello\\x07 [truncated]\n");
	kt_strbuf_release(&sb);
}

static void test_wallclock(void **state)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb, 64);
	kt_format_wallclock(&sb, 1795362569794944LL, 0, false);
	assert_string_equal(sb.buf, "2026-11-22T15:49:29.794944+00:00");
	kt_strbuf_reset(&sb);
	kt_format_wallclock(&sb, 1795362569000000LL, 60, false);
	assert_string_equal(sb.buf, "2026-11-22T16:49:29.000000+01:00");
	kt_strbuf_reset(&sb);
	kt_format_wallclock(&sb, 951782400000000LL, -330, true);	/* 2000-02-29 */
	assert_string_equal(sb.buf, "2000-02-28T18:30:00.000000-05:30");
	kt_strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_message),
		cmocka_unit_test(test_text_message),
		cmocka_unit_test(test_wallclock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
