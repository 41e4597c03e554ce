// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report thread gives the same reports, at the same lines and in the
 * same order, as an assembler fed in the caller's thread: on generated
 * logs built to fill its queue (a thousand reports in a row, a hundred
 * completed by one line), with a caller slower than the thread, with a
 * line filter, and on the shared syzkaller corpus when present.  Also:
 * abandoning a running thread, a second reading that comes short, and
 * kt_source_reopen().
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "kt-reader.h"
#include "kt-report.h"
#include "kt-report-thread.h"
#include "kt-source.h"
#include "kt-strbuf.h"

#ifndef KT_TOP_SRCDIR
#define KT_TOP_SRCDIR "."
#endif

static struct kt_report_defs *defs;

/* what a run saw: one text line per report, "at line N: first-last title" */
struct seen {
	struct kt_strbuf log;
	uint64_t at;		/* the caller's current line */
	unsigned int slow;	/* sleep this many us per report (a slow caller) */
	size_t n;
	uint64_t last_at;
	size_t same, max_same;	/* reports completed by one line */
};

static int record(struct kt_report *r, void *userdata)
{
	struct seen *s = userdata;

	kt_strbuf_addf(&s->log, "at %llu: %llu-%llu %s %s %s\n", (unsigned long long)s->at,
		       (unsigned long long)r->first_line, (unsigned long long)r->last_line,
		       r->title ? r->title : "-", r->signature, r->corrupted ? "corrupted" : "");
	s->n++;
	s->same = s->n > 1 && s->at == s->last_at ? s->same + 1 : 1;
	s->last_at = s->at;
	if (s->same > s->max_same)
		s->max_same = s->same;
	if (s->slow)
		usleep(s->slow);
	return 0;	/* freed by the caller of the callback */
}

static bool every_third_dropped(const struct kt_line *line, const void *userdata)
{
	(void)userdata;
	return line->lineno % 3 != 0;
}

/* the next line the caller passes on (keep), as the thread chooses them */
static bool next_line(struct kt_reader *r, struct kt_event *ev, kt_line_filter keep)
{
	while (kt_reader_next(r, ev) > 0)
		if (ev->type == KT_EVENT_LINE && (!keep || keep(&ev->line, NULL)))
			return true;
	return false;
}

static void run_direct(const char *buf, size_t len, kt_line_filter keep, struct seen *s)
{
	struct kt_reader_opts ro = { .year = 2024 };
	struct kt_assembler *a = kt_assembler_new(defs);
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_event ev;

	assert_int_equal(kt_source_open_mem("log", buf, len, &src), 0);
	assert_int_equal(kt_reader_new(src, &ro, &r), 0);
	s->at = 0;
	while (next_line(r, &ev, keep)) {
		s->at++;
		kt_assembler_feed(a, &ev.line, record, s);
	}
	s->at = UINT64_MAX;
	kt_assembler_flush(a, record, s);
	kt_assembler_free(a);
	kt_reader_free(r);
}

/* the caller reads buf, the thread reads its first thread_len bytes */
static int run_threaded(const char *buf, size_t len, size_t thread_len, kt_line_filter keep,
			struct seen *s)
{
	struct kt_reader_opts ro = { .year = 2024 };
	struct kt_report_thread *t;
	struct kt_source *src, *tsrc;
	struct kt_reader *r;
	struct kt_event ev;
	int e;

	assert_int_equal(kt_source_open_mem("log", buf, len, &src), 0);
	if (thread_len == len)
		assert_int_equal(kt_source_reopen(src, &tsrc), 0);
	else
		assert_int_equal(kt_source_open_mem("log", buf, thread_len, &tsrc), 0);
	assert_int_equal(kt_report_thread_new(tsrc, &ro, defs, keep, NULL, &t), 0);
	assert_int_equal(kt_reader_new(src, &ro, &r), 0);
	s->at = 0;
	while (next_line(r, &ev, keep)) {
		s->at++;
		kt_report_thread_sync(t, s->at, record, s);
	}
	/* every report of a line up to the last came with sync(): what is
	 * left is what the end of input completes, as in run_direct() */
	{
		uint64_t n = s->at;

		s->at = UINT64_MAX;
		e = kt_report_thread_finish(t, n, record, s);
	}
	kt_report_thread_free(t);
	kt_reader_free(r);
	return e;
}

/* returns the most reports one line completed */
static size_t compare(const char *buf, size_t len, kt_line_filter keep, unsigned int slow,
		      size_t min_reports)
{
	struct seen d = { .n = 0 }, t = { .n = 0, .slow = slow };

	kt_strbuf_init(&d.log, 4096);
	kt_strbuf_init(&t.log, 4096);
	run_direct(buf, len, keep, &d);
	assert_int_equal(run_threaded(buf, len, len, keep, &t), 0);
	assert_true(d.n >= min_reports);
	assert_int_equal(t.n, d.n);
	assert_string_equal(t.log.buf, d.log.buf);
	kt_strbuf_release(&d.log);
	kt_strbuf_release(&t.log);
	return d.max_same;
}

static const char *const warning =
	"------------[ cut here ]------------\n"
	"WARNING: CPU: 1 PID: 4085 at fs/kernfs/dir.c:494 kernfs_get+0x23/0x30\n"
	"Modules linked in: ext4\n"
	"CPU: 1 PID: 4085 Comm: syz-executor Tainted: G        W  6.1.0-13-amd64 #1\n"
	"RIP: 0010:kernfs_get+0x23/0x30\n"
	"Call Trace:\n"
	" <TASK>\n"
	" kernfs_new_node+0x5a/0x70\n"
	" __kernfs_create_file+0x35/0x110\n"
	" </TASK>\n"
	"---[ end trace 0000000000000000 ]---\n";

/* a thousand reports in a row, with ordinary lines between some */
static void test_thousand_in_a_row(void **state)
{
	struct kt_strbuf sb;

	(void)state;
	kt_strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		kt_strbuf_addf(&sb, "%s", warning);
		if (i % 7 == 0)
			kt_strbuf_addf(&sb, "usb 1-1: new high-speed USB device number %d\n", i);
	}
	compare(sb.buf, sb.len, NULL, 0, 1000);
	/* a caller slower than the thread: the queue fills, the thread waits */
	compare(sb.buf, sb.len, NULL, 200, 1000);
	/* the thread skips the lines the caller skips */
	compare(sb.buf, sb.len, every_third_dropped, 0, 100);
	kt_strbuf_release(&sb);
}

/*
 * One report of task 1 stays open while a hundred of task 2 complete: they
 * are held back (reports come out in the order they began), and when the
 * assembler holds KT_ASSEMBLER_MAX_OPEN of them, one line completes that
 * many at once.  One is left open at the end.
 */
static void test_many_at_one_line(void **state)
{
	struct kt_strbuf sb;

	(void)state;
	kt_strbuf_init(&sb, 1 << 20);
	kt_strbuf_addf(&sb, "[    1.000000][    T1] ------------[ cut here ]------------\n"
		       "[    1.000000][    T1] WARNING: CPU: 0 PID: 1 at mm/slab.c:1 kfree+0x1/0x2\n"
		       "[    1.000000][    T1] Call Trace:\n"
		       "[    1.000000][    T1]  do_one+0x1/0x2\n");
	for (int i = 0; i < 100; i++) {
		kt_strbuf_addf(&sb, "[    2.%06d][    T2] WARNING: CPU: 1 PID: 2 at fs/x.c:%d "
			       "f%d+0x1/0x2\n", i, i, i);
		kt_strbuf_addf(&sb, "[    2.%06d][    T2] Call Trace:\n", i);
		kt_strbuf_addf(&sb, "[    2.%06d][    T2]  caller%d+0x1/0x2\n", i, i);
		kt_strbuf_addf(&sb, "[    2.%06d][    T2] ---[ end trace 0 ]---\n", i);
	}
	kt_strbuf_addf(&sb, "[    3.000000][    T1]  do_two+0x1/0x2\n"
		       "[    3.000000][    T1] ---[ end trace 0 ]---\n"
		       "[    3.000000][    T3] ------------[ cut here ]------------\n"
		       "[    3.000000][    T3] WARNING: CPU: 0 PID: 3 at a.c:1 left_open+0x1/0x2\n");
	assert_true(compare(sb.buf, sb.len, NULL, 0, 102) >= KT_ASSEMBLER_MAX_OPEN);
	compare(sb.buf, sb.len, NULL, 300, 102);
	kt_strbuf_release(&sb);
}

static bool read_file(const char *path, struct kt_strbuf *sb)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		kt_strbuf_add(sb, buf, n);
	fclose(f);
	return true;
}

/* every file of ../shared/corpus/syzkaller, one after the other */
static void test_syzkaller_corpus(void **state)
{
	const char *dir = KT_TOP_SRCDIR "/../shared/corpus/syzkaller";
	struct kt_strbuf sb;
	struct dirent *de;
	DIR *d = opendir(dir);
	char path[4096];

	(void)state;
	if (!d) {
		skip();
		return;
	}
	kt_strbuf_init(&sb, 1 << 22);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		read_file(path, &sb);
	}
	closedir(d);
	compare(sb.buf, sb.len, NULL, 0, 100);
	kt_strbuf_release(&sb);
}

/* sb: a new buffer of n copies of warning (and s->log: a small one) */
static void warnings(struct kt_strbuf *sb, int n, struct seen *s)
{
	kt_strbuf_init(sb, (size_t)n * strlen(warning) + 1);
	kt_strbuf_init(&s->log, 256);
	for (int i = 0; i < n; i++)
		kt_strbuf_addstr(sb, warning);
}

/* freed while running and with reports waiting: no hang, nothing leaks */
static void test_abandon(void **state)
{
	struct kt_reader_opts ro = { .year = 2024 };
	struct kt_report_thread *t;
	struct kt_source *src;
	struct seen s = { .n = 0 };
	struct kt_strbuf sb;

	(void)state;
	warnings(&sb, 2000, &s);
	assert_int_equal(kt_source_open_mem("log", sb.buf, sb.len, &src), 0);
	assert_int_equal(kt_report_thread_new(src, &ro, defs, NULL, NULL, &t), 0);
	s.at = 30;
	kt_report_thread_sync(t, 30, record, &s);	/* waits for 30 lines */
	kt_report_thread_free(t);
	/* and one that never got a line */
	assert_int_equal(kt_source_open_mem("log", sb.buf, sb.len, &src), 0);
	assert_int_equal(kt_report_thread_new(src, &ro, defs, NULL, NULL, &t), 0);
	kt_report_thread_free(t);
	kt_report_thread_free(NULL);
	kt_strbuf_release(&s.log);
	kt_strbuf_release(&sb);
}

/* the thread's reading ends early: finish() says so, and the reports it
 * could assemble still come */
static void test_short_second_reading(void **state)
{
	struct seen s = { .n = 0 };
	struct kt_strbuf sb;

	(void)state;
	warnings(&sb, 10, &s);
	assert_int_equal(run_threaded(sb.buf, sb.len, sb.len / 2, NULL, &s), -ESTALE);
	assert_int_equal(s.n, 5);
	kt_strbuf_release(&s.log);
	kt_strbuf_release(&sb);
}

static size_t read_all(struct kt_source *src, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;

	while (n < cap && (k = kt_source_read(src, buf + n, cap - n)) > 0)
		n += (size_t)k;
	return n;
}

static void test_reopen(void **state)
{
	char path[] = "/tmp/kt-reopen-XXXXXX", other[64], buf[256];
	struct kt_source *a, *b, *c;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "one\ntwo\n", 8), 8);
	assert_int_equal(kt_source_open_file(path, false, &a), 0);
	assert_int_equal(kt_source_reopen(a, &b), 0);
	/* the file grows: both readings stop where it ended at the first open */
	assert_int_equal(write(fd, "three\n", 6), 6);
	assert_int_equal(read_all(a, buf, sizeof(buf)), 8);
	assert_int_equal(read_all(b, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "one\ntwo\n", 8);
	/* not after reading */
	assert_int_equal(kt_source_reopen(a, &c), -ENOTSUP);
	kt_source_free(a);
	kt_source_free(b);
	/* the name now belongs to another file */
	assert_int_equal(kt_source_open_file(path, false, &a), 0);
	snprintf(other, sizeof(other), "%s.new", path);
	f = fopen(other, "w");
	assert_non_null(f);
	fputs("new\n", f);
	fclose(f);
	assert_int_equal(rename(other, path), 0);
	assert_int_equal(kt_source_reopen(a, &c), -ESTALE);
	kt_source_free(a);
	/* followed files and stdin are read once */
	assert_int_equal(kt_source_open_file(path, true, &a), 0);
	assert_int_equal(kt_source_reopen(a, &c), -ENOTSUP);
	kt_source_free(a);
	assert_int_equal(kt_source_open_file("-", false, &a), 0);
	assert_int_equal(kt_source_reopen(a, &c), -ENOTSUP);
	kt_source_free(a);
	close(fd);
	unlink(path);
}

static int setup(void **state)
{
	(void)state;
	return kt_report_defs_load(KT_TOP_SRCDIR "/rules/reports.yaml", &defs, NULL);
}

static int teardown(void **state)
{
	(void)state;
	kt_report_defs_free(defs);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thousand_in_a_row),
		cmocka_unit_test(test_many_at_one_line),
		cmocka_unit_test(test_syzkaller_corpus),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_short_second_reading),
		cmocka_unit_test(test_reopen),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
