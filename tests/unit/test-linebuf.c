// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kt-linebuf.h"

struct got {
	char text[64][128];
	uint64_t lineno[64];
	bool trunc[64];
	size_t len[64];
	int n;
};

/* Feed data in chunks of `chunk` bytes; collect every line. */
static void feed(const char *data, size_t len, size_t chunk, size_t bufsize, size_t max,
		 struct got *g)
{
	struct kt_linebuf lb;
	struct kt_rawline raw;
	size_t off = 0;

	memset(g, 0, sizeof(*g));
	kt_linebuf_init(&lb, bufsize, max);
	for (;;) {
		while (kt_linebuf_next(&lb, &raw)) {
			assert_true(g->n < 64);
			g->len[g->n] = raw.len;
			memcpy(g->text[g->n], raw.ptr, raw.len < 127 ? raw.len : 127);
			g->lineno[g->n] = raw.lineno;
			g->trunc[g->n] = raw.truncated;
			g->n++;
		}
		if (off == len) {
			if (lb.eof)
				break;
			kt_linebuf_set_eof(&lb);
			continue;
		}
		size_t avail, n;
		char *p = kt_linebuf_space(&lb, &avail);

		n = len - off < chunk ? len - off : chunk;
		if (n > avail)
			n = avail;
		memcpy(p, data + off, n);
		kt_linebuf_commit(&lb, n);
		off += n;
	}
	kt_linebuf_release(&lb);
}

static void test_endings(void **state)
{
	static const char in[] = "a\nbb\r\nccc\rdddd\n\neeeee";
	/* every chunk size must give the same lines */
	for (size_t chunk = 1; chunk <= sizeof(in); chunk++) {
		struct got g;

		feed(in, sizeof(in) - 1, chunk, 64, 32, &g);
		assert_int_equal(g.n, 6);
		assert_string_equal(g.text[0], "a");
		assert_string_equal(g.text[1], "bb");
		assert_string_equal(g.text[2], "ccc");
		assert_string_equal(g.text[3], "dddd");
		assert_string_equal(g.text[4], "");
		assert_string_equal(g.text[5], "eeeee");
		/* LF lines count; the lone CR piece shares line 3 */
		assert_int_equal(g.lineno[0], 1);
		assert_int_equal(g.lineno[1], 2);
		assert_int_equal(g.lineno[2], 3);
		assert_int_equal(g.lineno[3], 3);
		assert_int_equal(g.lineno[4], 4);
		assert_int_equal(g.lineno[5], 5);
	}
}

static void test_cr_only(void **state)
{
	struct got g;

	feed("one\rtwo\rthree\r", 14, 5, 64, 32, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[2], "three");
	assert_int_equal(g.lineno[0], 1);
	assert_int_equal(g.lineno[1], 2);
	assert_int_equal(g.lineno[2], 3);
}

static void test_truncation(void **state)
{
	char in[1000];
	struct got g;

	memset(in, 'x', sizeof(in));
	memcpy(in + 900, "\nshort\n", 7);
	for (size_t chunk = 1; chunk < 300; chunk += 37) {
		feed(in, 907, chunk, 128, 100, &g);
		assert_int_equal(g.n, 2);
		assert_true(g.trunc[0]);
		assert_int_equal(g.len[0], 100);
		assert_false(g.trunc[1]);
		assert_string_equal(g.text[1], "short");
		assert_int_equal(g.lineno[1], 2);
	}
	/* over-long line at EOF without a newline */
	feed(in, 500, 64, 128, 100, &g);
	assert_int_equal(g.n, 1);
	assert_true(g.trunc[0]);
}

static void test_nul_bytes(void **state)
{
	struct got g;

	feed("a\0b\nc", 5, 2, 64, 32, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.len[0], 3);
	assert_memory_equal(g.text[0], "a\0b", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endings),
		cmocka_unit_test(test_cr_only),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_nul_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
