/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kt-source-impl.h - private to src/source-*.c: the source struct. */
#ifndef KT_SOURCE_IMPL_H
#define KT_SOURCE_IMPL_H

#include <stdbool.h>
#include <sys/types.h>

#include <zlib.h>

struct kt_source {
	char *name;
	int fd;
	bool is_stdin;
	bool follow;
	bool regular;
	bool live;
	bool kmsg;
	bool first;
	dev_t dev;
	ino_t ino;
	unsigned long long offset;
	unsigned long long size;	/* st_size at open (regular files) */
	bool bounded;			/* read no further than size (reopened) */
	volatile int *interrupt;
	/* a list of files read one after the other (pstore parts) */
	char **parts;
	size_t n_parts, cur_part;
	bool skip_header;	/* drop each part's first line */
	bool in_header;
	/* an in-memory buffer (borrowed), read instead of fd */
	const char *mem;
	size_t mem_len, mem_pos;
	/* gzip */
	bool gz;
	bool zeof;
	bool zend;
	z_stream z;
	unsigned char *zin;
};

ssize_t kt_source_file_read(struct kt_source *s, char *buf, size_t len);
ssize_t kt_source_kmsg_read(struct kt_source *s, char *buf, size_t len);

#endif
