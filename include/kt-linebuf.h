/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-linebuf.h - split a byte stream into lines, with a length cap.
 *
 * Line ends are LF, CRLF and a lone CR (serial consoles, old Mac files).  Line
 * numbers count LF-terminated lines, as grep -n and editors do; pieces of one
 * LF line split at a lone CR share its number, except in a stream that has
 * had no LF at all (CR-only line endings), where every CR counts.
 *
 * A line longer than max_line is returned once, cut to max_line bytes and
 * marked truncated; the rest of it up to the next line end is discarded, so
 * memory stays bounded by the buffer size whatever the input.
 *
 * Ownership: the linebuf owns its buffer.  A returned line points into it and
 * is valid, and writable in place, until the next kt_linebuf_space() call.
 */
#ifndef KT_LINEBUF_H
#define KT_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kt_linebuf {
	char *buf;
	size_t size;		/* allocated */
	size_t start;		/* first unconsumed byte */
	size_t end;		/* one past the last valid byte */
	size_t max_line;
	uint64_t lineno;	/* number of the next line */
	bool eof;
	bool discarding;	/* inside the tail of an over-long line */
	bool seen_lf;
};

struct kt_rawline {
	char *ptr;
	size_t len;
	uint64_t lineno;
	bool truncated;
	bool has_esc;		/* the line contains an ESC byte */
};

#define KT_LINEBUF_SIZE (256 * 1024)
#define KT_LINE_MAX (64 * 1024)

/* bufsize must exceed max_line. */
void kt_linebuf_init(struct kt_linebuf *lb, size_t bufsize, size_t max_line);
void kt_linebuf_release(struct kt_linebuf *lb);

/* Where to put more input; compacts the buffer.  Never returns 0 bytes. */
char *kt_linebuf_space(struct kt_linebuf *lb, size_t *ret_avail);
void kt_linebuf_commit(struct kt_linebuf *lb, size_t n);
/* No more input will come: a trailing line without a line end is returned. */
void kt_linebuf_set_eof(struct kt_linebuf *lb);

/* 1 and a line in *ret; 0 when more input is needed (or at EOF, no more). */
int kt_linebuf_next(struct kt_linebuf *lb, struct kt_rawline *ret);

/* Forget everything buffered (file rotated or truncated). */
void kt_linebuf_reset(struct kt_linebuf *lb);

#endif
