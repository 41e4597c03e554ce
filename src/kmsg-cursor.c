// SPDX-License-Identifier: GPL-2.0-or-later
/* kmsg-cursor.c - the saved /dev/kmsg position. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kt-kmsg-cursor.h"

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int kt_kmsg_cursor_load(const char *path, const char *boot_id_path, struct kt_kmsg_cursor *c)
{
	char buf[128], id[40];
	unsigned long long seq;
	int e;

	memset(c, 0, sizeof(*c));
	e = read_small(boot_id_path ? boot_id_path : "/proc/sys/kernel/random/boot_id",
		       c->boot_id, sizeof(c->boot_id));
	if (e < 0)
		return e;
	e = read_small(path, buf, sizeof(buf));
	if (e == -ENOENT)
		return 0;
	if (e < 0)
		return e;
	if (sscanf(buf, "kmsg %39s %llu", id, &seq) == 2 && !strcmp(id, c->boot_id)) {
		c->valid = true;
		c->seq = seq;
	}
	return 0;
}

int kt_kmsg_cursor_save(const char *path, const struct kt_kmsg_cursor *c)
{
	char tmp[4096], line[128];
	int fd, n;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	n = snprintf(line, sizeof(line), "kmsg %s %" PRIu64 "\n", c->boot_id, c->seq);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t)n) != n) {
		int e = errno ? -errno : -EIO;

		close(fd);
		unlink(tmp);
		return e;
	}
	close(fd);
	if (rename(tmp, path) < 0)
		return -errno;
	return 0;
}
