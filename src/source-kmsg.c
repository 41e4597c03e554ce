// SPDX-License-Identifier: GPL-2.0-or-later
/* source-kmsg.c - /dev/kmsg: one record per read(2). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "kt-source.h"
#include "kt-source-impl.h"
#include "kt-xalloc.h"

int kt_source_open_kmsg(const char *path, bool follow, struct kt_source **ret)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	return kt_source_open_kmsg_fd(fd, path, follow, ret);
}

int kt_source_open_kmsg_fd(int fd, const char *name, bool follow, struct kt_source **ret)
{
	struct kt_source *s;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	s = kt_xcalloc(1, sizeof(*s));
	s->name = kt_xstrdup(name);
	s->fd = fd;
	s->kmsg = true;
	s->follow = follow;
	s->live = true;
	*ret = s;
	return 0;
}

ssize_t kt_source_kmsg_read(struct kt_source *s, char *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(s->fd, buf, len);

		if (n >= 0) {
			s->offset += (unsigned long long)n;
			return n;
		}
		if (errno == EINTR && !(s->interrupt && *s->interrupt))
			continue;
		if (errno == EAGAIN && s->follow) {
			struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

			if (s->interrupt && *s->interrupt)
				return -EINTR;
			/* wake up now and then to notice a pending signal flag */
			poll(&pfd, 1, 500);
			continue;
		}
		if (errno == EAGAIN)
			return 0;
		return -errno;
	}
}
