// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The prefetcher: events come out in the reader's order, whether the
 * producer thread reads (the hook run on each of its lines) or (adaptive
 * mode) the consumer reads while the producer is parked (no hook), and
 * across the switches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kt-prefetch.h"

#define NLINES 20000

struct slot {
	uint64_t lineno;
	pthread_t thread;
};

static char *input;
static size_t input_len;

/* Line i: "[  i.000000] line i " padded with a letter to a length that
 * varies from 10 to ~1200 bytes, so batches also fill by their arena. */
static size_t line_text(uint64_t i, char *buf, size_t size)
{
	int n = snprintf(buf, size, "line %llu ", (unsigned long long)i);
	size_t pad = (i * 7919) % (i % 50 ? 80 : 1200);

	for (size_t k = 0; k < pad && (size_t)n + k + 1 < size; k++)
		buf[n + k] = (char)('a' + (i + k) % 26);
	buf[n + pad] = '\0';
	return (size_t)n + pad;
}

static int setup(void **state)
{
	size_t cap = NLINES * 1300, len = 0;
	char text[1300];

	input = malloc(cap);
	if (!input)
		return -1;
	for (uint64_t i = 1; i <= NLINES; i++) {
		line_text(i, text, sizeof(text));
		len += (size_t)snprintf(input + len, cap - len, "[%5llu.000000] %s\n",
					(unsigned long long)i, text);
	}
	input_len = len;
	return 0;
}

static int teardown(void **state)
{
	free(input);
	return 0;
}

static void hook(struct kt_line *line, void *slot, void *userdata)
{
	struct slot *s = slot;

	(void)userdata;
	s->lineno = line->lineno;
	s->thread = pthread_self();
	line->prep = slot;
}

/* Read the whole input through a prefetcher; count lines read where. */
static void run(unsigned int window, uint64_t *here, uint64_t *there)
{
	struct kt_prefetch_hook h = { .fn = hook, .size = sizeof(struct slot) };
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_prefetch *pf;
	const struct kt_event *ev;
	char want[1300];
	uint64_t n = 0;
	int e;

	*here = *there = 0;
	assert_int_equal(kt_source_open_mem("mem", input, input_len, &src), 0);
	assert_int_equal(kt_reader_new(src, NULL, &r), 0);
	assert_int_equal(kt_prefetch_new(r, &h, window, &pf), 0);
	while ((e = kt_prefetch_next(pf, &ev)) > 0) {
		const struct slot *s;
		size_t len;

		if (ev->type != KT_EVENT_LINE)
			continue;
		n++;
		assert_int_equal(ev->line.lineno, n);
		len = line_text(n, want, sizeof(want));
		assert_int_equal(ev->line.text_len, len);
		assert_memory_equal(ev->line.text, want, len);
		/* the hook ran in the producer thread, or (read here) not at all */
		s = (const struct slot *)ev->line.prep;
		if (s) {
			assert_int_equal(s->lineno, n);
			assert_false(pthread_equal(s->thread, pthread_self()));
			(*there)++;
		} else {
			(*here)++;
		}
	}
	assert_int_equal(e, 0);
	assert_int_equal(n, NLINES);
	/* the end is sticky */
	assert_int_equal(kt_prefetch_next(pf, &ev), 0);
	kt_prefetch_free(pf);
	kt_reader_free(r);
}

static void test_threaded(void **state)
{
	uint64_t here, there;

	run(0, &here, &there);
	assert_int_equal(here, 0);
	assert_int_equal(there, NLINES);
}

/* Windows of 3 events: the first four of every 132 alternate between the
 * two ways, so a run switches over a hundred times, including right after
 * an arena-full batch and at the end of the input.  (Larger windows, below,
 * also leave a quarter of a window untimed after each switch.) */
static void test_adaptive_switches(void **state)
{
	uint64_t here, there;

	run(3, &here, &there);
	assert_true(here > 0);
	assert_true(there > 0);
	assert_int_equal(here + there, NLINES);
}

static void test_adaptive_windows(void **state)
{
	static const unsigned int windows[] = { 1, 2, 5, 64, 1000, 1024, 5000, 65536 };

	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		uint64_t here, there;

		run(windows[i], &here, &there);
		assert_int_equal(here + there, NLINES);
	}
}

/* Freed in the middle, in either mode: the producer is stopped and joined. */
static void test_free_midway(void **state)
{
	for (uint64_t stop_at = 1; stop_at < 2000; stop_at += 97) {
		struct kt_prefetch_hook h = { .fn = hook, .size = sizeof(struct slot) };
		struct kt_source *src;
		struct kt_reader *r;
		struct kt_prefetch *pf;
		const struct kt_event *ev;
		uint64_t n = 0;

		assert_int_equal(kt_source_open_mem("mem", input, input_len, &src), 0);
		assert_int_equal(kt_reader_new(src, NULL, &r), 0);
		assert_int_equal(kt_prefetch_new(r, &h, 7, &pf), 0);
		while (n < stop_at && kt_prefetch_next(pf, &ev) > 0)
			n++;
		kt_prefetch_free(pf);
		kt_reader_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threaded),
		cmocka_unit_test(test_adaptive_switches),
		cmocka_unit_test(test_adaptive_windows),
		cmocka_unit_test(test_free_midway),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
