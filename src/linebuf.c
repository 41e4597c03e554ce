// SPDX-License-Identifier: GPL-2.0-or-later
/* linebuf.c - bytes to lines: LF/CRLF/CR endings, length cap, partial carry. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kt-linebuf.h"
#include "kt-xalloc.h"

void kt_linebuf_init(struct kt_linebuf *lb, size_t bufsize, size_t max_line)
{
	assert(bufsize > max_line);
	memset(lb, 0, sizeof(*lb));
	lb->buf = kt_xmalloc(bufsize);
	lb->size = bufsize;
	lb->max_line = max_line;
	lb->lineno = 1;
}

void kt_linebuf_release(struct kt_linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->size = 0;
}

void kt_linebuf_reset(struct kt_linebuf *lb)
{
	lb->start = lb->end = 0;
	lb->eof = false;
	lb->discarding = false;
}

char *kt_linebuf_space(struct kt_linebuf *lb, size_t *ret_avail)
{
	if (lb->start > 0 && (lb->start == lb->end || lb->end == lb->size ||
			      lb->size - lb->end < lb->size / 4)) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->start = 0;
	}
	/* kt_linebuf_next() never leaves more than max_line < size bytes */
	assert(lb->end < lb->size);
	*ret_avail = lb->size - lb->end;
	return lb->buf + lb->end;
}

void kt_linebuf_commit(struct kt_linebuf *lb, size_t n)
{
	assert(n <= lb->size - lb->end);
	lb->end += n;
}

void kt_linebuf_set_eof(struct kt_linebuf *lb)
{
	lb->eof = true;
}

/*
 * First '\n' or '\r' in p[0..len), or NULL.  *esc is set when an ESC byte
 * occurs before it (so later stages can skip searching for one).
 */
static const char *find_nl_or_cr(const char *p, size_t len, bool *esc)
{
	size_t i = 0;

	*esc = false;
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i es = _mm_set1_epi8(0x1b);

	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned int m = (unsigned int)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)));
		unsigned int e = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, es));

		if (m) {
			unsigned int at = (unsigned int)__builtin_ctz(m);

			if (e & ((1u << at) - 1))
				*esc = true;
			return p + i + at;
		}
		if (e)
			*esc = true;
	}
#endif
	for (; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\r')
			return p + i;
		if (p[i] == 0x1b)
			*esc = true;
	}
	return NULL;
}

/*
 * Find the end of the line starting at p (len bytes available).  Returns the
 * line length, sets *ret_term to the terminator length (0: none found yet)
 * and *ret_lf if the terminator contained LF.
 */
static size_t find_eol(const char *p, size_t len, bool eof, size_t *ret_term, bool *ret_lf,
		       bool *ret_esc)
{
	const char *q = find_nl_or_cr(p, len, ret_esc);
	size_t at;

	*ret_lf = false;
	*ret_term = 0;
	if (!q)
		return len;
	at = (size_t)(q - p);
	if (*q == '\n') {
		*ret_term = 1;
		*ret_lf = true;
		return at;
	}
	if (at + 1 < len) {
		if (q[1] == '\n') {	/* CRLF */
			*ret_term = 2;
			*ret_lf = true;
		} else {
			*ret_term = 1;	/* lone CR */
		}
		return at;
	}
	if (eof) {
		*ret_term = 1;
		return at;
	}
	return len;	/* CR at buffer end: LF may follow */
}

int kt_linebuf_next(struct kt_linebuf *lb, struct kt_rawline *ret)
{
	for (;;) {
		char *p = lb->buf + lb->start;
		size_t avail = lb->end - lb->start, term, n;
		bool lf, esc;

		if (!avail)
			return 0;
		n = find_eol(p, avail, lb->eof, &term, &lf, &esc);
		if (lb->discarding) {
			if (!term) {
				/* drop what we have, keep waiting for the end */
				if (lb->eof) {
					lb->start = lb->end;
					lb->discarding = false;
					return 0;
				}
				lb->start = lb->end;
				return 0;
			}
			lb->start += n + term;
			lb->discarding = false;
			if (lf)
				lb->seen_lf = true;
			if (lf || !lb->seen_lf)
				lb->lineno++;
			continue;
		}
		if (!term && n < lb->max_line && !lb->eof)
			return 0;	/* need more input */
		ret->ptr = p;
		ret->lineno = lb->lineno;
		ret->truncated = false;
		ret->has_esc = esc;
		if (n > lb->max_line || (!term && n == lb->max_line && !lb->eof)) {
			ret->len = lb->max_line;
			ret->truncated = true;
			if (term) {
				lb->start += n + term;
				if (lf)
					lb->seen_lf = true;
				if (lf || !lb->seen_lf)
					lb->lineno++;
			} else {
				lb->start += lb->max_line;
				lb->discarding = true;
			}
			return 1;
		}
		ret->len = n;
		lb->start += n + term;
		if (lf)
			lb->seen_lf = true;
		if (term && (lf || !lb->seen_lf))
			lb->lineno++;
		return 1;
	}
}
