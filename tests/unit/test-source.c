// SPDX-License-Identifier: GPL-2.0-or-later
/* Sources and the reader: files, gzip, kmsg records with gaps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "kt-reader.h"

static char tmpdir[] = "/tmp/kt-unit-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int read_all(struct kt_source *src, char texts[][64], int max)
{
	struct kt_reader *r;
	struct kt_event ev;
	int n = 0;

	assert_int_equal(kt_reader_new(src, NULL, &r), 0);
	while (kt_reader_next(r, &ev) > 0) {
		assert_true(n < max);
		if (ev.type == KT_EVENT_LOST)
			snprintf(texts[n++], 64, "LOST %llu after %llu",
				 (unsigned long long)ev.lost_count,
				 (unsigned long long)ev.lost_after_seq);
		else
			snprintf(texts[n++], 64, "%.*s", (int)ev.line.text_len, ev.line.text);
	}
	kt_reader_free(r);
	return n;
}

static void test_file_and_gzip(void **state)
{
	static const char data[] = "[    1.000000] one\n[    2.000000] two\n";
	char path[256], gzpath[256], texts[8][64];
	struct kt_source *src;
	gzFile gz;

	snprintf(path, sizeof(path), "%s/plain.log", tmpdir);
	snprintf(gzpath, sizeof(gzpath), "%s/any-name.log", tmpdir);
	write_file(path, data, sizeof(data) - 1);
	gz = gzopen(gzpath, "wb");
	assert_non_null(gz);
	gzwrite(gz, data, sizeof(data) - 1);
	gzclose(gz);

	assert_int_equal(kt_source_open_file(path, false, &src), 0);
	assert_false(kt_source_is_live(src));
	assert_int_equal(read_all(src, texts, 8), 2);
	assert_string_equal(texts[1], "two");

	/* detected by magic bytes, not by name */
	assert_int_equal(kt_source_open_file(gzpath, false, &src), 0);
	assert_int_equal(read_all(src, texts, 8), 2);
	assert_string_equal(texts[0], "one");
}

static void test_open_errors(void **state)
{
	struct kt_source *src = NULL;
	char path[256];

	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	assert_int_equal(kt_source_open_file(path, false, &src), -ENOENT);
	assert_int_equal(kt_source_open_file(tmpdir, false, &src), -EISDIR);
	assert_null(src);
	kt_source_free(NULL);
}

static void send_rec(int fd, const char *rec)
{
	assert_int_equal(send(fd, rec, strlen(rec), 0), (ssize_t)strlen(rec));
}

static void test_kmsg_records(void **state)
{
	int sv[2];
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_event ev;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	send_rec(sv[1], "6,10,1000,-;first\n SUBSYSTEM=usb\n DEVICE=c189:1\n");
	send_rec(sv[1], "3,11,2000,-;tab\\x09and \\x1b esc\n");
	send_rec(sv[1], "4,15,3000,-;after a gap\n");
	send_rec(sv[1], "garbage without header");
	close(sv[1]);
	assert_int_equal(kt_source_open_kmsg_fd(sv[0], "kmsg", false, &src), 0);
	assert_int_equal(kt_reader_new(src, NULL, &r), 0);

	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.type, KT_EVENT_LINE);
	assert_int_equal(ev.line.seq, 10);
	assert_int_equal(ev.line.level, KT_LEVEL_INFO);
	assert_true(ev.line.mono_usec == 1000);
	assert_int_equal(ev.line.text_len, 5);
	assert_memory_equal(ev.line.subsystem, "usb", 3);
	assert_memory_equal(ev.line.device, "c189:1", 6);

	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.line.level, KT_LEVEL_ERR);
	assert_int_equal(ev.line.text_len, 13);
	assert_memory_equal(ev.line.text, "tab\tand \x1b esc", 13);

	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.type, KT_EVENT_LOST);
	assert_int_equal(ev.lost_count, 3);
	assert_int_equal(ev.lost_after_seq, 11);

	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.type, KT_EVENT_LINE);
	assert_int_equal(ev.line.seq, 15);

	/* a bad header is still a message, level unknown */
	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.line.level, KT_LEVEL_UNKNOWN);
	assert_int_equal(ev.line.text_len, 22);
	assert_int_equal(kt_reader_stats(r)->bad_records, 1);
	assert_int_equal(kt_reader_stats(r)->lost, 3);

	assert_int_equal(kt_reader_next(r, &ev), 0);
	kt_reader_free(r);
}

static void test_kmsg_dict_in_file(void **state)
{
	static const char data[] =
		"6,1,100,-;rec one\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:03.0\n"
		"6,2,200,-;rec two\n[    1.0] plain\n";
	char path[256];
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_event ev;

	snprintf(path, sizeof(path), "%s/kmsg.txt", tmpdir);
	write_file(path, data, sizeof(data) - 1);
	assert_int_equal(kt_source_open_file(path, false, &src), 0);
	assert_int_equal(kt_reader_new(src, NULL, &r), 0);
	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.line.lineno, 1);
	assert_int_equal(ev.line.subsystem_len, 3);
	assert_memory_equal(ev.line.device, "+pci:0000:00:03.0", 17);
	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.line.seq, 2);
	assert_null(ev.line.subsystem);
	assert_int_equal(kt_reader_next(r, &ev), 1);
	assert_int_equal(ev.line.lineno, 5);
	assert_memory_equal(ev.line.text, "plain", 5);
	assert_int_equal(kt_reader_next(r, &ev), 0);
	kt_reader_free(r);
}

static void test_boot_boundary(void **state)
{
	static const char data[] = "[  10.0] a\n[  10.5] b\n[   0.0] c\n[   0.1] d\n";
	char path[256];
	struct kt_source *src;
	struct kt_reader *r;
	struct kt_event ev;
	unsigned int boots[4];

	snprintf(path, sizeof(path), "%s/boots.txt", tmpdir);
	write_file(path, data, sizeof(data) - 1);
	assert_int_equal(kt_source_open_file(path, false, &src), 0);
	assert_int_equal(kt_reader_new(src, NULL, &r), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(kt_reader_next(r, &ev), 1);
		boots[i] = ev.line.boot;
	}
	assert_int_equal(boots[0], 0);
	assert_int_equal(boots[1], 0);
	assert_int_equal(boots[2], 1);
	assert_int_equal(boots[3], 1);
	kt_reader_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_and_gzip),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_kmsg_records),
		cmocka_unit_test(test_kmsg_dict_in_file),
		cmocka_unit_test(test_boot_boundary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
