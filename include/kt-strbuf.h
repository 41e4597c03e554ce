/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-strbuf.h - growable byte buffer (after git's strbuf).
 *
 * Ownership: the strbuf owns buf; kt_strbuf_release() frees it and leaves an
 * empty, reusable buffer.  buf is always NUL-terminated after any call.
 */
#ifndef KT_STRBUF_H
#define KT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct kt_strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define KT_STRBUF_INIT { NULL, 0, 0 }

void kt_strbuf_init(struct kt_strbuf *sb, size_t hint);
void kt_strbuf_release(struct kt_strbuf *sb);
void kt_strbuf_grow(struct kt_strbuf *sb, size_t extra);
void kt_strbuf_addf(struct kt_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kt_strbuf_add_u64(struct kt_strbuf *sb, uint64_t v);
void kt_strbuf_add_i64(struct kt_strbuf *sb, int64_t v);
/* "1.234567": seconds.microseconds, no padding */
void kt_strbuf_add_usec(struct kt_strbuf *sb, int64_t usec);

static inline void kt_strbuf_reset(struct kt_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static inline void kt_strbuf_add(struct kt_strbuf *sb, const void *p, size_t n)
{
	if (sb->alloc - sb->len <= n)
		kt_strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void kt_strbuf_addstr(struct kt_strbuf *sb, const char *s)
{
	kt_strbuf_add(sb, s, strlen(s));
}

static inline void kt_strbuf_addch(struct kt_strbuf *sb, char c)
{
	if (sb->alloc - sb->len <= 1)
		kt_strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

#endif
