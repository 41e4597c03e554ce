// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The summary's per-boot table: lines are matched to their input by the
 * address of line->source until kt_summary_end_input(), so a name freed
 * and another allocated at the same address (as happens from one input to
 * the next) starts a new entry; reports, whose copy of the name may be
 * freed at any time, are matched by the name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-line.h"
#include "kt-strbuf.h"
#include "kt-summary.h"

static void add(struct kt_summary *s, const char *source, unsigned int boot)
{
	struct kt_line l;

	kt_line_init(&l);
	l.source = source;
	l.boot = boot;
	l.text = "hello";
	l.text_len = 5;
	kt_summary_add_line(s, &l, NULL);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_name_at_a_reused_address(void **state)
{
	struct kt_summary *s = kt_summary_new(16);
	struct kt_strbuf out;
	char name[32];

	(void)state;
	kt_strbuf_init(&out, 1024);
	strcpy(name, "first.log");
	add(s, name, 0);
	add(s, name, 0);
	kt_summary_end_input(s);
	strcpy(name, "second.log");	/* the next input's name, same address */
	add(s, name, 0);
	kt_summary_end_input(s);
	kt_summary_render_json(s, &out, 0);
	assert_int_equal(count(out.buf, "{\"source\":\"first.log\",\"boot\":0,\"messages\":2"), 1);
	assert_int_equal(count(out.buf, "{\"source\":\"second.log\",\"boot\":0,\"messages\":1"), 1);
	kt_strbuf_release(&out);
	kt_summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_at_a_reused_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
