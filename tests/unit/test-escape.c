// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-escape.h"

static char *term(const char *s, size_t len, struct kt_strbuf *sb)
{
	kt_strbuf_reset(sb);
	kt_escape_term(sb, s, len);
	return sb->buf;
}

static char *json(const char *s, size_t len, struct kt_strbuf *sb)
{
	kt_strbuf_reset(sb);
	kt_escape_json(sb, s, len);
	return sb->buf;
}

static void test_term(void **state)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb, 16);
	assert_string_equal(term("plain text", 10, &sb), "plain text");
	assert_string_equal(term("a\tb", 3, &sb), "a\tb");
	assert_string_equal(term("\x1b[31mred", 8, &sb), "\\x1b[31mred");
	assert_string_equal(term("bell\a\b\r\n", 8, &sb), "bell\\x07\\x08\\x0d\\x0a");
	assert_string_equal(term("a\0b", 3, &sb), "a\\x00b");
	assert_string_equal(term("del\x7f", 4, &sb), "del\\x7f");
	assert_string_equal(term("caf\xc3\xa9", 5, &sb), "caf\xc3\xa9");
	assert_string_equal(term("caf\xe9", 4, &sb), "caf\\xe9");
	/* C1 CSI and bidi override are escaped even though valid UTF-8 */
	assert_string_equal(term("\xc2\x9b", 2, &sb), "\\xc2\\x9b");
	assert_string_equal(term("\xe2\x80\xae", 3, &sb), "\\xe2\\x80\\xae");
	assert_string_equal(term("\xe2\x81\xa6", 3, &sb), "\\xe2\\x81\\xa6");
	/* overlong, surrogate, truncated */
	assert_string_equal(term("\xc0\xaf", 2, &sb), "\\xc0\\xaf");
	assert_string_equal(term("\xed\xa0\x80", 3, &sb), "\\xed\\xa0\\x80");
	assert_string_equal(term("\xe2\x82", 2, &sb), "\\xe2\\x82");
	assert_string_equal(term("\xf0\x9f\x90\xa7", 4, &sb), "\xf0\x9f\x90\xa7");
	kt_strbuf_release(&sb);
}

static void test_term_all_bytes(void **state)
{
	struct kt_strbuf sb;
	char c;

	kt_strbuf_init(&sb, 16);
	for (int i = 0; i < 256; i++) {
		c = (char)i;
		term(&c, 1, &sb);
		for (size_t k = 0; k < sb.len; k++) {
			unsigned char o = (unsigned char)sb.buf[k];

			assert_true((o >= 0x20 && o < 0x7f) || o == '\t');
		}
	}
	kt_strbuf_release(&sb);
}

static void test_json(void **state)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb, 16);
	assert_string_equal(json("say \"hi\"\\", 9, &sb), "say \\\"hi\\\"\\\\");
	assert_string_equal(json("a\nb\tc\r", 6, &sb), "a\\nb\\tc\\r");
	assert_string_equal(json("\x1b\x01", 2, &sb), "\\u001b\\u0001");
	assert_string_equal(json("a\0b", 3, &sb), "a\\u0000b");
	assert_string_equal(json("caf\xe9", 4, &sb), "caf\\\\xe9");
	assert_string_equal(json("\xe2\x82\xac", 3, &sb), "\xe2\x82\xac");
	kt_strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_term_all_bytes),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
