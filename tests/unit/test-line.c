// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-line.h"

static void test_level_names(void **state)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	};

	for (int i = 0; i < 8; i++) {
		assert_string_equal(kt_level_name(i), names[i]);
		assert_int_equal(kt_level_from_name(names[i], strlen(names[i])), i);
	}
	assert_null(kt_level_name(-1));
	assert_null(kt_level_name(8));
	assert_int_equal(kt_level_from_name("warning", 7), KT_LEVEL_WARN);
	assert_int_equal(kt_level_from_name("ERR", 3), KT_LEVEL_ERR);
	assert_int_equal(kt_level_from_name("errx", 4), -1);
	assert_int_equal(kt_level_from_name("er", 2), -1);
}

static void test_facility_names(void **state)
{
	assert_string_equal(kt_facility_name(0), "kern");
	assert_string_equal(kt_facility_name(23), "local7");
	assert_null(kt_facility_name(24));
	assert_int_equal(kt_facility_from_name("daemon", 6), 3);
	assert_int_equal(kt_facility_from_name("local0", 6), 16);
	assert_int_equal(kt_facility_from_name("nope", 4), -1);
}

static void test_init(void **state)
{
	struct kt_line l;

	memset(&l, 0x5a, sizeof(l));
	kt_line_init(&l);
	assert_int_equal(l.level, KT_LEVEL_UNKNOWN);
	assert_int_equal(l.facility, KT_FACILITY_UNKNOWN);
	assert_true(l.mono_usec == KT_TIME_NONE);
	assert_true(l.wall_usec == KT_TIME_NONE);
	assert_true(l.is_kernel);
	assert_int_equal(l.text_len, 0);
	assert_non_null(l.text);
	/* every other member: kt_line_init() sets them one by one */
	assert_null(l.source);
	assert_true(l.lineno == 0 && l.seq == 0 && !l.has_seq && l.boot == 0);
	assert_true(l.wall_tzoff_min == 0 && !l.wall_has_tz);
	assert_true(l.caller_kind == 0 && l.caller_id == 0);
	assert_true(!l.host && !l.host_len && !l.prog && !l.prog_len);
	assert_true(!l.subsystem && !l.subsystem_len && !l.device && !l.device_len);
	assert_true(!l.truncated && !l.continuation && l.format == KT_FMT_NONE);
	assert_null(l.prep);
}

/* the eight-at-once path of kt_text_indent() against a byte loop: every
 * string over an alphabet of blanks, bytes one bit away from them (')' is
 * '\t' | 0x20, NUL is ' ' & ~0x20) and high bytes, at every length */
static size_t indent_ref(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && n < 8 && (s[n] == ' ' || s[n] == '\t'))
		n++;
	return n;
}

static void test_text_indent(void **state)
{
	static const char alpha[] = { ' ', '\t', ')', '\0', (char)0xa0, 'x' };
	const size_t na = sizeof(alpha);
	char buf[16];
	size_t len, k, i, total;

	(void)state;
	for (len = 0; len <= 10; len++) {
		total = 1;
		for (i = 0; i < len && i < 8; i++)
			total *= na;
		for (k = 0; k < total; k++) {
			size_t v = k;

			memset(buf, ' ', sizeof(buf));	/* past len: blanks */
			for (i = 0; i < len; i++) {
				buf[i] = i < 8 ? alpha[v % na] : 'x';
				v = i < 8 ? v / na : v;
			}
			assert_int_equal(kt_text_indent(buf, len), indent_ref(buf, len));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_facility_names),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_text_indent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
