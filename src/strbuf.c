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

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes v right-aligned ending at end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

void kt_strbuf_add_u64(struct kt_strbuf *sb, uint64_t v)
{
	char tmp[24], *p = u64_digits(tmp + sizeof(tmp), v);

	kt_strbuf_add(sb, p, (size_t)(tmp + sizeof(tmp) - p));
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
	char tmp[32], *end = tmp + sizeof(tmp), *p;
	uint64_t u, frac;

	u = usec < 0 ? (uint64_t)0 - (uint64_t)usec : (uint64_t)usec;
	frac = u % 1000000;
	/* six fraction digits, zero-padded */
	p = end;
	for (int i = 0; i < 3; i++) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (frac % 100), 2);
		frac /= 100;
	}
	*--p = '.';
	p = u64_digits(p, u / 1000000);
	if (usec < 0)
		*--p = '-';
	kt_strbuf_add(sb, p, (size_t)(end - p));
}
