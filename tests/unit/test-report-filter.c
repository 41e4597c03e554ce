// SPDX-License-Identifier: GPL-2.0-or-later
/* The literal prefilter in front of the report patterns: it may only ever
 * drop lines pcre2 would not match, and it should drop most others. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "report-internal.h"
#include "kt-error.h"

#ifndef KT_TOP_SRCDIR
#define KT_TOP_SRCDIR "."
#endif

static pcre2_match_data *md;

static pcre2_code *compile_list(char *const *pats, unsigned int n)
{
	char buf[4096];
	size_t o = 0;
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re;

	for (unsigned int i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s(?:%s)", i ? "|" : "", pats[i]);
	re = pcre2_compile((PCRE2_SPTR)buf, o, 0, &ec, &off, NULL);
	assert_non_null(re);
	return re;
}

static bool re_matches(const pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
}

struct filter_case {
	const char *pat;
	const char *line;
	bool pass;		/* what the filter must say */
};

static void test_needles(void **state)
{
	static const struct filter_case cases[] = {
		/* anchored literal prefix */
		{ "^Allocated by task", "Allocated by task 12:", true },
		{ "^Allocated by task", " Allocated by task 12:", false },
		{ "^Allocated by task", "RAX: 0000000000000000", false },
		/* after leading blanks */
		{ "^\\s*Call [Tt]race:", "  Call Trace:", true },
		{ "^\\s*Call [Tt]race:", "\tCall trace:", true },
		{ "^\\s*Call [Tt]race:", " Code: 48 89", false },
		{ "^ *INITIAL USE at:", "   INITIAL USE at:", true },
		/* a quantified byte counts once */
		{ "^={20,}", "==================================", true },
		{ "^={20,}", "-=", false },
		/* floating: the longest top-level literal */
		{ "^(?<access>Read|Write) of size", "Write of size 8 at addr", true },
		{ "^(?<access>Read|Write) of size", "Freed by task 1:", false },
		{ "^\\S+ kthread starved for", "rcu_preempt kthread starved for 10 jiffies", true },
		/* a group every match goes through is transparent */
		{ "^(?<m>\\d+ pages RAM)", "262014 pages RAM", true },
		{ "^(?<m>\\d+ pages RAM)", "0 pages reserved", false },
		/* a top-level alternation: one needle per branch */
		{ "^foo:|bar baz", "xx bar baz", true },
		{ "^foo:|bar baz", "foo: 1", true },
		{ "^foo:|bar baz", "qux", false },
		/* found across 16-byte blocks and in the tail */
		{ "^foo:|bar baz", "0123456789abcdefghijklm bar baz", true },
		{ "^foo:|bar baz", "0123456789abcdbar bazefghijklmnopqrstuvwxyz", true },
		{ "^foo:|bar baz", "0123456789abcdefghijklm bar bax", false },
		/* more distinct rare bytes than one pass takes */
		{ "\\d UU|\\d OO|\\d WW|\\d XX|\\d ZZ|\\d JJ", "0123456789abcdefghij 1 JJ", true },
		{ "\\d UU|\\d OO|\\d WW|\\d XX|\\d ZZ|\\d JJ", "0123456789abcdefghij 1 QQ", false },
		/* an alternation right after the anchor: one anchored needle
		 * per alternative */
		{ "^(?:pte|pmd):", "pmd: 0", true },
		{ "^(?:pte|pmd):", "anything", false },
		{ "^(?:Use-after-free|Invalid) (?:read|write) at 0x", "Invalid write at 0x1", true },
		{ "^(?:Use-after-free|Invalid) (?:read|write) at 0x", "x at 0x1", false },
		{ "^ *(?:HARDIRQ|SOFTIRQ)-ON-[RW] at:", "  SOFTIRQ-ON-W at:", true },
		{ "^ *(?:HARDIRQ|SOFTIRQ)-ON-[RW] at:", "  IRQ-ON-W at:", false },
		{ "^(?<access>Read|Write) of size", "Read of size 4", true },
		{ "^(?:read|write)(?: \\(marked\\))? to 0x", "write (marked) to 0x1", true },
		{ "^(?:read|write)(?: \\(marked\\))? to 0x", "wrote to 0x1", false },
		/* nested, and an alternative holding a group */
		{ "^(?:a(?:b|c)|d(e|f))x", "acx", true },
		{ "^(?:a(?:b|c)|d(e|f))x", "dfx", true },
		{ "^(?:a(?:b|c)|d(e|f))x", "x", false },
		/* an empty alternative: the rest is the needle */
		{ "^(?:foo|)bar", "bar", true },
		{ "^(?:foo|)bar", "foobar", true },
		/* a quantified group is not expanded (its needle is the rest) */
		{ "^(?:ab|cd)+ zz", "cdab zz", true },
		{ "^(?:ab|cd)? zz", " zz", true },
		/* floating needles sharing a run: it is looked for first */
		{ "^\\S+ kthread starved for|RCU grace-period kthread stack dump",
		  "rcu_preempt kthread starved for 10502 jiffies", true },
		{ "^\\S+ kthread starved for|RCU grace-period kthread stack dump",
		  "rcu: RCU grace-period kthread stack dump:", true },
		{ "^\\S+ kthread starved for|RCU grace-period kthread stack dump",
		  "rcu_preempt kthread stalled", false },
		{ "^\\S+ kthread starved for|RCU grace-period kthread stack dump",
		  "x kthread stack dump", false },
		/* no needle: everything passes */
		{ "^(?:pte|pmd|\\d)+:", "anything", true },
		{ "(?i)^call trace", "CALL TRACE", true },
		{ "^\\x41BC", "ABC", true },
		{ "^\\101BC", "ABC", true },
		/* a blank right after '\s*' cannot be found after the blanks */
		{ "^\\s* x", "   x", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *pats[] = { (char *)cases[i].pat };
		struct kt_filter f;
		pcre2_code *re = compile_list(pats, 1);
		bool pass;

		kt_filter_build(&f, pats, 1);
		pass = kt_filter_pass(&f, cases[i].line, strlen(cases[i].line));
		if (pass != cases[i].pass)
			fail_msg("'%s' on '%s': filter says %d", cases[i].pat, cases[i].line, pass);
		if (re_matches(re, cases[i].line))
			assert_true(pass);
		kt_filter_release(&f);
		pcre2_code_free(re);
	}
}

/* A start pattern's literal besides its prefix: only one every match holds. */
static void test_inner_needles(void **state)
{
	static const struct {
		const char *pat;
		const char *needle;	/* NULL: none */
	} cases[] = {
		{ "^WARNING: (?:CPU: \\d+ PID: -?\\d+ at |at )?kernel/locking/\\S+:\\d+",
		  "kernel/locking/" },
		{ "^\\S+ invoked oom-killer: gfp_mask=", " invoked oom-killer: gfp_mask=" },
		{ "^foo (?:bar)? bazz", " bazz" },
		{ "^(?:x|y)z (?<f>abcd)", "z abcd" },
		/* the anchored prefix itself is no inner literal */
		{ "^BUG: memory leak", NULL },
		/* too short, alternated, optional or under options: none */
		{ "^BUG: \\d+ abc", NULL },
		{ "^foo|bar baz qux", NULL },
		{ "^x(?: optional words)? y", NULL },
		{ "(?i)^bug: some words", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_filter_needle n;
		bool has = kt_filter_inner_needle(cases[i].pat, &n);

		if (has != (cases[i].needle != NULL))
			fail_msg("'%s': %s inner literal", cases[i].pat, has ? "an unexpected" : "no");
		if (has && (n.len != strlen(cases[i].needle) || memcmp(n.s, cases[i].needle, n.len)))
			fail_msg("'%s': inner literal '%.*s'", cases[i].pat, (int)n.len, n.s);
	}
}

/* ---- soundness over real logs with the shipped definitions ------------------ */

struct counts {
	unsigned long lines, matched, dropped;
};

static void check(const pcre2_code *re, const struct kt_filter *f, const char *s, size_t len,
		  struct counts *c)
{
	bool pass;

	if (!re)
		return;
	pass = kt_filter_pass(f, s, len);
	if (pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0) {
		c->matched++;
		if (!pass)
			fail_msg("the prefilter drops a matching line: '%.*s'", (int)len, s);
	} else if (!pass) {
		c->dropped++;
	}
}

static void check_text(const struct kt_report_defs *d, const char *s, size_t len,
		       struct counts *c)
{
	c->lines++;
	check(d->aside_hdr, &d->aside_f, s, len, c);
	check(d->trace_hdr, &d->trace_f, s, len, c);
	check(d->alloc_hdr, &d->alloc_f, s, len, c);
	check(d->free_hdr, &d->free_f, s, len, c);
	check(d->other_hdr, &d->other_f, s, len, c);
	for (unsigned int k = 0; k < d->n_kinds; k++) {
		const struct kind_def *kd = &d->kinds[k];

		/* the start pattern's inner literal */
		if (kd->has_inner && pcre2_match(kd->start, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0) {
			c->matched++;
			if (!kt_needle_found(s, len, &kd->inner))
				fail_msg("kind %s: its inner literal '%s' drops a start: '%.*s'",
					 kd->id, kd->inner.s, (int)len, s);
		}
		check(kd->end, &kd->end_f, s, len, c);
		check(kd->body, &kd->body_f, s, len, c);
		for (unsigned int i = 0; i < kd->n_fields; i++)
			check(kd->fields[i], &kd->fields_f[i], s, len, c);
	}
}

static void check_file(const struct kt_report_defs *d, const char *path, struct counts *c)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!fp)
		return;
	while ((n = getline(&line, &cap, fp)) > 0) {
		const char *msg;

		if (line[n - 1] == '\n')
			n--;
		check_text(d, line, (size_t)n, c);
		/* and the message after a "[   12.345678] " stamp */
		msg = memmem(line, (size_t)n, "] ", 2);
		if (msg)
			check_text(d, msg + 2, (size_t)(n - (msg + 2 - line)), c);
	}
	free(line);
	fclose(fp);
}

static void check_dir(const struct kt_report_defs *d, const char *dir, struct counts *c)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	if (!dp)
		return;
	while ((e = readdir(dp))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			check_dir(d, path, c);
		else if (S_ISREG(st.st_mode))
			check_file(d, path, c);
	}
	closedir(dp);
}

static void test_sound_on_corpora(void **state)
{
	struct kt_report_defs *d;
	struct kt_error err;
	struct counts c = { 0 };

	kt_error_clear(&err);
	assert_int_equal(kt_report_defs_load(KT_TOP_SRCDIR "/rules/reports.yaml", &d, &err), 0);
	check_dir(d, KT_TOP_SRCDIR "/corpus", &c);
	/* the shared corpus, when present beside the checkout */
	check_dir(d, KT_TOP_SRCDIR "/../shared/corpus", &c);
	assert_true(c.lines > 1000);
	assert_true(c.matched > 0);
	/* and it earns its keep: most non-matching tries never reach pcre2 */
	assert_true(c.dropped > c.lines);
	kt_report_defs_free(d);
}

/* kt_mem_eq() and kt_mem_copy() against memcmp() and memcpy() at every
 * length up to past their fast paths: equal buffers, a difference at each
 * position, and no byte written outside the destination.  The buffers sit
 * at the end of their allocations, so that ASan catches a read past them. */
static __attribute__((noinline)) void fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 37 + n);
}

static void test_small_mem(void **state)
{
	unsigned char z[16];

	(void)state;
	memset(z, 0xee, sizeof(z));
	assert_true(kt_mem_eq(z, z + 1, 0));
	kt_mem_copy(z + 8, z, 0);
	assert_int_equal(z[8], 0xee);
	for (size_t n = 1; n <= 48; n++) {
		/* n bytes each, up to the end of the allocation */
		unsigned char *x = malloc(n), *y = malloc(n), *d = malloc(n + 16);

		fill(x, n);
		memcpy(y, x, n);
		assert_true(kt_mem_eq(x, y, n));
		for (size_t i = 0; i < n; i++) {
			y[i] ^= 0x01;
			assert_false(kt_mem_eq(x, y, n));
			y[i] ^= 0x81;
			assert_false(kt_mem_eq(x, y, n));
			y[i] ^= 0x80;
			assert_true(kt_mem_eq(x, y, n));
		}
		memset(d, 0xee, n + 16);
		kt_mem_copy(d + 8, x, n);
		assert_memory_equal(d + 8, x, n);
		for (size_t i = 0; i < 8; i++) {
			assert_int_equal(d[i], 0xee);
			assert_int_equal(d[n + 8 + i], 0xee);
		}
		free(x);
		free(y);
		free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needles),
		cmocka_unit_test(test_inner_needles),
		cmocka_unit_test(test_sound_on_corpora),
		cmocka_unit_test(test_small_mem),
	};
	int r;

	md = pcre2_match_data_create(64, NULL);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	pcre2_match_data_free(md);
	return r;
}
