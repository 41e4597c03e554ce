// SPDX-License-Identifier: GPL-2.0-or-later
/* strbuf.c - growable byte buffer. */
#include <stdio.h>
#include <stdlib.h>

#include "kt-strbuf.h"
#include "kt-xalloc.h"

void kt_strbuf_init(struct kt_strbuf *sb, size_t hint)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->alloc = 0;
	kt_strbuf_grow(sb, hint ? hint : 64);
	sb->buf[0] = '\0';
}

void kt_strbuf_release(struct kt_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = 0;
	sb->alloc = 0;
}

void kt_strbuf_grow(struct kt_strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;

	if (want <= sb->alloc)
		return;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	sb->buf = kt_xrealloc(sb->buf, want);
	sb->alloc = want;
}

void kt_strbuf_addf(struct kt_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!sb->alloc)
		kt_strbuf_grow(sb, 64);
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		kt_strbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

void kt_strbuf_add_u64(struct kt_strbuf *sb, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	kt_strbuf_add(sb, tmp + i, sizeof(tmp) - (size_t)i);
}

void kt_strbuf_add_i64(struct kt_strbuf *sb, int64_t v)
{
	if (v < 0) {
		kt_strbuf_addch(sb, '-');
		kt_strbuf_add_u64(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		kt_strbuf_add_u64(sb, (uint64_t)v);
	}
}

void kt_strbuf_add_usec(struct kt_strbuf *sb, int64_t usec)
{
	uint64_t u;
	char frac[7];

	if (usec < 0) {
		kt_strbuf_addch(sb, '-');
		u = (uint64_t)0 - (uint64_t)usec;
	} else {
		u = (uint64_t)usec;
	}
	kt_strbuf_add_u64(sb, u / 1000000);
	kt_strbuf_addch(sb, '.');
	u %= 1000000;
	for (int i = 5; i >= 0; i--) {
		frac[i] = (char)('0' + u % 10);
		u /= 10;
	}
	kt_strbuf_add(sb, frac, 6);
}
