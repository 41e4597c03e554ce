// SPDX-License-Identifier: GPL-2.0-or-later
/* linebuf.c - bytes to lines: LF/CRLF/CR endings, length cap, partial carry. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

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
 * Find the end of the line starting at p (len bytes available).  Returns the
 * line length, sets *ret_term to the terminator length (0: none found yet)
 * and *ret_lf if the terminator contained LF.
 */
static size_t find_eol(const char *p, size_t len, bool eof, size_t *ret_term, bool *ret_lf)
{
	const char *nl = memchr(p, '\n', len);
	size_t scan = nl ? (size_t)(nl - p) : len;
	const char *cr = memchr(p, '\r', scan);

	*ret_lf = false;
	if (cr) {
		size_t at = (size_t)(cr - p);

		if (nl && at + 1 == scan) {	/* CRLF */
			*ret_term = 2;
			*ret_lf = true;
			return at;
		}
		if (at + 1 < len || eof) {	/* lone CR */
			*ret_term = 1;
			return at;
		}
		*ret_term = 0;	/* CR at buffer end: LF may follow */
		return len;
	}
	if (nl) {
		*ret_term = 1;
		*ret_lf = true;
		return scan;
	}
	*ret_term = 0;
	return len;
}

int kt_linebuf_next(struct kt_linebuf *lb, struct kt_rawline *ret)
{
	for (;;) {
		char *p = lb->buf + lb->start;
		size_t avail = lb->end - lb->start, term, n;
		bool lf;

		if (!avail)
			return 0;
		n = find_eol(p, avail, lb->eof, &term, &lf);
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
