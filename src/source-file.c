// SPDX-License-Identifier: GPL-2.0-or-later
/* source-file.c - files, stdin and gzip, with tail -F style follow. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "kt-source.h"
#include "kt-source-impl.h"
#include "kt-xalloc.h"

#define FOLLOW_POLL_MS 250
#define ZBUF_SIZE (64 * 1024)

static int open_path(const char *path, int *ret_fd, struct stat *ret_st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	if (fstat(fd, ret_st) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (S_ISDIR(ret_st->st_mode)) {
		close(fd);
		return -EISDIR;
	}
	*ret_fd = fd;
	return 0;
}

int kt_source_open_file(const char *path, bool follow, struct kt_source **ret)
{
	struct kt_source *s;
	struct stat st;
	int fd = -1, r;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		if (fstat(fd, &st) < 0)
			return -errno;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
	} else {
		r = open_path(path, &fd, &st);
		if (r < 0)
			return r;
	}
	s = kt_xcalloc(1, sizeof(*s));
	s->name = kt_xstrdup(path);
	s->fd = fd;
	s->is_stdin = fd == STDIN_FILENO;
	s->follow = follow;
	s->regular = S_ISREG(st.st_mode);
	s->size = s->regular ? (unsigned long long)st.st_size : 0;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->live = follow || !s->regular;
	s->first = true;
	*ret = s;
	return 0;
}

static ssize_t parts_read(struct kt_source *s, char *buf, size_t len)
{
	for (;;) {
		ssize_t n;

		if (s->fd < 0) {
			if (s->cur_part >= s->n_parts)
				return 0;
			s->fd = open(s->parts[s->cur_part], O_RDONLY | O_CLOEXEC | O_NOCTTY);
			if (s->fd < 0)
				return -errno;
			s->in_header = s->skip_header;
		}
		n = read(s->fd, buf, len);
		if (n < 0)
			return -errno;
		if (n == 0) {
			close(s->fd);
			s->fd = -1;
			s->cur_part++;
			continue;
		}
		if (s->in_header) {
			char *nl = memchr(buf, '\n', (size_t)n);
			size_t skip;

			if (!nl)
				continue;	/* still in the header line */
			s->in_header = false;
			skip = (size_t)(nl - buf) + 1;
			memmove(buf, buf + skip, (size_t)n - skip);
			n -= (ssize_t)skip;
			if (n == 0)
				continue;
		}
		__atomic_fetch_add(&s->offset, (unsigned long long)n, __ATOMIC_RELAXED);
		return n;
	}
}

static ssize_t raw_read(struct kt_source *s, char *buf, size_t len)
{
	ssize_t n;

	if (s->parts)
		return parts_read(s, buf, len);
	if (s->mem) {
		n = (ssize_t)(s->mem_len - s->mem_pos < len ? s->mem_len - s->mem_pos : len);
		memcpy(buf, s->mem + s->mem_pos, (size_t)n);
		s->mem_pos += (size_t)n;
		s->offset += (unsigned long long)n;
		return n;
	}
	if (s->bounded) {
		/* offset is only written by this thread */
		unsigned long long left = s->size - s->offset;

		if (len > left)
			len = (size_t)left;
		if (!len)
			return 0;
	}
	n = read(s->fd, buf, len);
	if (n < 0)
		return -errno;
	/* read by the progress display from another thread */
	__atomic_fetch_add(&s->offset, (unsigned long long)n, __ATOMIC_RELAXED);
	return n;
}

int kt_source_open_parts(const char *name, char *const *paths, size_t n, bool skip_header,
			 struct kt_source **ret)
{
	struct kt_source *s = kt_xcalloc(1, sizeof(*s));

	s->name = kt_xstrdup(name);
	s->fd = -1;
	s->parts = kt_xcalloc(n ? n : 1, sizeof(*s->parts));
	for (size_t i = 0; i < n; i++)
		s->parts[i] = kt_xstrdup(paths[i]);
	s->n_parts = n;
	s->skip_header = skip_header;
	s->regular = true;
	s->first = true;
	*ret = s;
	return 0;
}

int kt_source_open_mem(const char *name, const char *buf, size_t len, struct kt_source **ret)
{
	struct kt_source *s = kt_xcalloc(1, sizeof(*s));

	s->name = kt_xstrdup(name);
	s->fd = -1;
	s->mem = buf ? buf : "";
	s->mem_len = buf ? len : 0;
	s->regular = true;
	s->size = s->mem_len;
	s->first = true;
	*ret = s;
	return 0;
}

int kt_source_reopen(struct kt_source *src, struct kt_source **ret)
{
	struct kt_source *s;
	struct stat st;
	int fd = -1, r;

	/* not yet read; followed files are live */
	if (!src->first || src->live || src->kmsg || src->is_stdin || src->parts ||
	    !src->regular)
		return -ENOTSUP;
	if (src->mem) {
		r = kt_source_open_mem(src->name, src->mem, src->mem_len, &s);
		if (r < 0)
			return r;
		*ret = s;
		return 0;
	}
	r = open_path(src->name, &fd, &st);
	if (r < 0)
		return r;
	if (st.st_dev != src->dev || st.st_ino != src->ino) {
		close(fd);
		return -ESTALE;	/* the name is another file's now */
	}
	s = kt_xcalloc(1, sizeof(*s));
	s->name = kt_xstrdup(src->name);
	s->fd = fd;
	s->regular = true;
	s->size = src->size;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->first = true;
	s->bounded = src->bounded = true;
	*ret = s;
	return 0;
}

/* Was the followed file replaced or truncated?  Reopen it if so. */
static int check_rotation(struct kt_source *s)
{
	struct stat st, cur;
	int fd = -1, r;

	if (s->is_stdin)
		return 0;
	if (stat(s->name, &st) < 0)
		return 0;	/* gone for now: keep waiting, like tail -F */
	if (fstat(s->fd, &cur) < 0)
		return -errno;
	if (st.st_dev == s->dev && st.st_ino == s->ino) {
		if (s->regular && (unsigned long long)cur.st_size < s->offset) {
			/* truncated in place: start over */
			if (lseek(s->fd, 0, SEEK_SET) < 0)
				return -errno;
			s->offset = 0;
		}
		return 0;
	}
	r = open_path(s->name, &fd, &st);
	if (r < 0)
		return 0;
	close(s->fd);
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->offset = 0;
	s->regular = S_ISREG(st.st_mode);
	return 1;
}

/* Read raw bytes, waiting at EOF when following. */
static ssize_t follow_read(struct kt_source *s, char *buf, size_t len)
{
	for (;;) {
		ssize_t n = raw_read(s, buf, len);
		int r;

		if (n != 0 || !s->follow)
			return n;
		if (!s->regular && s->is_stdin)
			return 0;	/* a closed pipe does not come back */
		r = check_rotation(s);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		poll(NULL, 0, FOLLOW_POLL_MS);
		/* a signal handler may want us back */
		if (s->interrupt && *s->interrupt)
			return -EINTR;
	}
}

static ssize_t gz_read(struct kt_source *s, char *buf, size_t len)
{
	for (;;) {
		int zr;

		if (s->z.avail_in == 0 && !s->zeof) {
			ssize_t n = follow_read(s, (char *)s->zin, ZBUF_SIZE);

			if (n < 0)
				return n;
			if (n == 0)
				s->zeof = true;
			s->z.next_in = s->zin;
			s->z.avail_in = (uInt)n;
		}
		if (s->zend) {
			/* concatenated members: a new one starts if more data follows */
			if (s->z.avail_in == 0)
				return 0;
			if (inflateReset(&s->z) != Z_OK)
				return -EBADMSG;
			s->zend = false;
		}
		s->z.next_out = (Bytef *)buf;
		s->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
		zr = inflate(&s->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			s->zend = true;
		else if (zr == Z_BUF_ERROR && s->zeof)
			return -EBADMSG;	/* truncated gzip stream */
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return -EBADMSG;
		if (s->z.avail_out < len)
			return (ssize_t)(len - s->z.avail_out);
		if (s->zeof && s->z.avail_in == 0 && !s->zend)
			return -EBADMSG;
	}
}

ssize_t kt_source_file_read(struct kt_source *s, char *buf, size_t len)
{
	if (s->first) {
		ssize_t n;

		s->first = false;
		n = follow_read(s, buf, len);
		if (n >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
			s->gz = true;
			s->zin = kt_xmalloc(ZBUF_SIZE);
			memset(&s->z, 0, sizeof(s->z));
			if (inflateInit2(&s->z, 15 + 32) != Z_OK)
				return -ENOMEM;
			/* feed what we already read */
			if ((size_t)n > ZBUF_SIZE) {
				s->zin = kt_xrealloc(s->zin, (size_t)n);
			}
			memcpy(s->zin, buf, (size_t)n);
			s->z.next_in = s->zin;
			s->z.avail_in = (uInt)n;
			return gz_read(s, buf, len);
		}
		return n;
	}
	if (s->gz)
		return gz_read(s, buf, len);
	return follow_read(s, buf, len);
}

void kt_source_free(struct kt_source *s)
{
	if (!s)
		return;
	if (s->gz)
		inflateEnd(&s->z);
	free(s->zin);
	for (size_t i = 0; i < s->n_parts; i++)
		free(s->parts[i]);
	free(s->parts);
	if (s->fd >= 0 && !s->is_stdin)
		close(s->fd);
	free(s->name);
	free(s);
}

ssize_t kt_source_read(struct kt_source *s, char *buf, size_t len)
{
	if (s->kmsg)
		return kt_source_kmsg_read(s, buf, len);
	return kt_source_file_read(s, buf, len);
}

const char *kt_source_name(const struct kt_source *s)
{
	return s->kmsg ? "kmsg" : s->name;
}

bool kt_source_is_kmsg(const struct kt_source *s)
{
	return s->kmsg;
}

bool kt_source_is_live(const struct kt_source *s)
{
	return s->live;
}

bool kt_source_would_block(const struct kt_source *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	if (!s->live || s->regular)
		return false;
	if (s->gz && s->z.avail_in)
		return false;
	return poll(&pfd, 1, 0) == 0;
}

unsigned long long kt_source_offset(const struct kt_source *s)
{
	return __atomic_load_n(&s->offset, __ATOMIC_RELAXED);
}

unsigned long long kt_source_size(const struct kt_source *s)
{
	return s->size;
}

void kt_source_set_interrupt(struct kt_source *s, volatile int *flag)
{
	s->interrupt = flag;
}
