// SPDX-License-Identifier: GPL-2.0-or-later
/* source-journal.c - kernel entries of the systemd journal, via sd-journal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "kt-journal.h"
#include "kt-strbuf.h"
#include "kt-xalloc.h"

#define WAIT_USEC 500000

struct kt_journal {
	sd_journal *j;
	struct kt_journal_opts opts;
	struct kt_strbuf text, host, prog, subsys, device;
	char *cursor;		/* of the last entry returned */
	char last_boot[33];
	unsigned int boot;
	bool started;
};

static int set_err(char *buf, size_t len, int e, const char *what, const char *arg)
{
	snprintf(buf, len, "%s%s%s%s: %s", what, arg ? " '" : "", arg ? arg : "",
		 arg ? "'" : "", strerror(-e));
	return e;
}

/* Fill out with the value of FIELD, or reset it; true if present. */
static bool field(sd_journal *j, const char *name, struct kt_strbuf *out)
{
	const void *data;
	size_t len, nl = strlen(name);

	kt_strbuf_reset(out);
	if (sd_journal_get_data(j, name, &data, &len) < 0 || len <= nl + 1)
		return false;
	kt_strbuf_add(out, (const char *)data + nl + 1, len - nl - 1);
	return true;
}

static bool field_int(sd_journal *j, const char *name, struct kt_strbuf *tmp, long long *ret)
{
	char *end;

	if (!field(j, name, tmp) || !tmp->len)
		return false;
	*ret = strtoll(tmp->buf, &end, 10);
	return *end == '\0';
}

struct boot_ent {
	char id[33];
	uint64_t first;
};

static int cmp_boot(const void *a, const void *b)
{
	const struct boot_ent *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* "-1" -> the boot id before the last, by first entry time. */
static int resolve_boot(sd_journal *j, long off, char *ret_id)
{
	struct boot_ent *v = NULL;
	size_t n = 0, cap = 0;
	const void *data;
	size_t len;
	int r;

	r = sd_journal_query_unique(j, "_BOOT_ID");
	if (r < 0)
		return r;
	SD_JOURNAL_FOREACH_UNIQUE(j, data, len) {
		if (len != 9 + 32)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = kt_xrealloc(v, cap * sizeof(*v));
		}
		memcpy(v[n].id, (const char *)data + 9, 32);
		v[n].id[32] = '\0';
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		char m[64];

		snprintf(m, sizeof(m), "_BOOT_ID=%s", v[i].id);
		sd_journal_flush_matches(j);
		sd_journal_add_match(j, m, 0);
		v[i].first = UINT64_MAX;
		if (sd_journal_seek_head(j) >= 0 && sd_journal_next(j) > 0)
			sd_journal_get_realtime_usec(j, &v[i].first);
	}
	sd_journal_flush_matches(j);
	qsort(v, n, sizeof(*v), cmp_boot);
	if (off > 0 || (size_t)(-off) >= n) {
		free(v);
		return -ENOENT;
	}
	memcpy(ret_id, v[n - 1 + (size_t)off].id, 33);
	free(v);
	return 0;
}

static int read_cursor_file(const char *path, char **ret)
{
	FILE *f = fopen(path, "re");
	char buf[1024];
	size_t n;

	*ret = NULL;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	if (n)
		*ret = kt_xstrdup(buf);
	return 0;
}

int kt_journal_open(const struct kt_journal_opts *opts, struct kt_journal **ret, char *err,
		    size_t errlen)
{
	struct kt_journal *kj;
	sd_journal *j = NULL;
	char *cursor = NULL;
	int r;

	if (opts->file) {
		const char *files[] = { opts->file, NULL };

		if (access(opts->file, R_OK) < 0)
			return set_err(err, errlen, -errno, "cannot open journal file", opts->file);
		r = sd_journal_open_files(&j, files, 0);
		if (r < 0)
			return set_err(err, errlen, r, "cannot open journal file", opts->file);
	} else if (opts->dir) {
		r = sd_journal_open_directory(&j, opts->dir, 0);
		if (r < 0)
			return set_err(err, errlen, r, "cannot open journal directory", opts->dir);
	} else {
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
		if (r < 0)
			return set_err(err, errlen, r, "cannot open the system journal", NULL);
	}
	kj = kt_xcalloc(1, sizeof(*kj));
	kj->j = j;
	kj->opts = *opts;
	kt_strbuf_init(&kj->text, 256);
	kt_strbuf_init(&kj->host, 32);
	kt_strbuf_init(&kj->prog, 32);
	kt_strbuf_init(&kj->subsys, 32);
	kt_strbuf_init(&kj->device, 32);

	if (opts->boot) {
		char id[33], m[64];
		const char *b = opts->boot;

		if (!*b || !strcmp(b, "0") || b[0] == '-' || b[0] == '+') {
			long off = *b ? strtol(b, NULL, 10) : 0;

			r = resolve_boot(j, off, id);
			if (r < 0) {
				set_err(err, errlen, r, "no such boot in the journal", b);
				goto fail;
			}
		} else if (strlen(b) == 32 && strspn(b, "0123456789abcdef") == 32) {
			memcpy(id, b, 33);
		} else {
			set_err(err, errlen, -EINVAL, "invalid boot id", b);
			r = -EINVAL;
			goto fail;
		}
		snprintf(m, sizeof(m), "_BOOT_ID=%s", id);
		sd_journal_add_match(j, m, 0);
	}
	r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
	if (r < 0) {
		set_err(err, errlen, r, "cannot filter the journal", NULL);
		goto fail;
	}
	if (opts->cursor_file) {
		r = read_cursor_file(opts->cursor_file, &cursor);
		if (r < 0) {
			set_err(err, errlen, r, "cannot read cursor file", opts->cursor_file);
			goto fail;
		}
	}
	if (cursor) {
		r = sd_journal_seek_cursor(j, cursor);
		if (r >= 0 && sd_journal_next(j) > 0 && sd_journal_test_cursor(j, cursor) <= 0)
			sd_journal_previous(j);	/* saved entry is gone: start at the next */
		kj->started = true;
		free(cursor);
	} else {
		sd_journal_seek_head(j);
	}
	*ret = kj;
	return 0;
fail:
	kt_journal_free(kj);
	return r;
}

void kt_journal_free(struct kt_journal *kj)
{
	if (!kj)
		return;
	sd_journal_close(kj->j);
	kt_strbuf_release(&kj->text);
	kt_strbuf_release(&kj->host);
	kt_strbuf_release(&kj->prog);
	kt_strbuf_release(&kj->subsys);
	kt_strbuf_release(&kj->device);
	free(kj->cursor);
	free(kj);
}

unsigned int kt_journal_boot(const struct kt_journal *kj)
{
	return kj->boot;
}

/* journal cursors carry the sequence number as "i=<hex>" */
static bool cursor_seq(const char *c, uint64_t *ret)
{
	const char *p = strstr(c, ";i=");

	if (!p)
		return false;
	*ret = strtoull(p + 3, NULL, 16);
	return true;
}

int kt_journal_next(struct kt_journal *kj, struct kt_line *l)
{
	sd_journal *j = kj->j;
	long long v;
	uint64_t u;
	sd_id128_t boot;
	int r;

	for (;;) {
		r = sd_journal_next(j);
		if (r < 0)
			return r;
		if (r > 0)
			break;
		if (!kj->opts.follow || (kj->opts.interrupt && *kj->opts.interrupt))
			return 0;
		r = sd_journal_wait(j, WAIT_USEC);
		if (r < 0)
			return r;
	}
	kt_line_init(l);
	l->source = "journal";
	field(j, "MESSAGE", &kj->text);
	l->text = kj->text.buf;
	l->text_len = kj->text.len;
	if (field_int(j, "PRIORITY", &kj->prog, &v) && v >= 0 && v <= 7)
		l->level = (int)v;
	if (field_int(j, "SYSLOG_FACILITY", &kj->prog, &v) && v >= 0 && v <= 23)
		l->facility = (int)v;
	if (field_int(j, "_SOURCE_MONOTONIC_TIMESTAMP", &kj->prog, &v) && v >= 0)
		l->mono_usec = v;
	else if (sd_journal_get_monotonic_usec(j, &u, &boot) >= 0)
		l->mono_usec = (int64_t)u;
	if (sd_journal_get_realtime_usec(j, &u) >= 0) {
		l->wall_usec = (int64_t)u;
		l->wall_has_tz = true;
	}
	if (field(j, "_HOSTNAME", &kj->host)) {
		l->host = kj->host.buf;
		l->host_len = kj->host.len;
	}
	if (field(j, "_KERNEL_SUBSYSTEM", &kj->subsys)) {
		l->subsystem = kj->subsys.buf;
		l->subsystem_len = kj->subsys.len;
	}
	if (field(j, "_KERNEL_DEVICE", &kj->device)) {
		l->device = kj->device.buf;
		l->device_len = kj->device.len;
	}
	if (!field(j, "SYSLOG_IDENTIFIER", &kj->prog))
		kt_strbuf_addstr(&kj->prog, "kernel");
	l->prog = kj->prog.buf;
	l->prog_len = kj->prog.len;
	l->is_kernel = true;
	l->format = KT_FMT_JOURNAL_JSON;
	{
		const void *data;
		size_t len;

		if (sd_journal_get_data(j, "_BOOT_ID", &data, &len) >= 0 && len == 41) {
			if (kj->last_boot[0] && memcmp(kj->last_boot, (const char *)data + 9, 32))
				kj->boot++;
			memcpy(kj->last_boot, (const char *)data + 9, 32);
		}
	}
	l->boot = kj->boot;
	free(kj->cursor);
	kj->cursor = NULL;
	if (sd_journal_get_cursor(j, &kj->cursor) >= 0 && cursor_seq(kj->cursor, &u)) {
		l->seq = u;
		l->has_seq = true;
	}
	return 1;
}

int kt_journal_save_cursor(struct kt_journal *kj)
{
	char tmp[4096];
	int fd;
	size_t n;

	if (!kj->opts.cursor_file || !kj->cursor)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", kj->opts.cursor_file) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = strlen(kj->cursor);
	if (write(fd, kj->cursor, n) != (ssize_t)n || write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		int e = -errno;

		close(fd);
		unlink(tmp);
		return e ? e : -EIO;
	}
	close(fd);
	if (rename(tmp, kj->opts.cursor_file) < 0)
		return -errno;
	return 0;
}
