/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report-internal.h - compiled report definitions, shared by report-defs.c,
 * assemble.c and title.c only (not installed, not part of the API).
 */
#ifndef KT_REPORT_INTERNAL_H
#define KT_REPORT_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kt-report.h"

/*
 * Short compares and copies without a libc call: needles, start literals
 * and function names are mostly 4 to 32 bytes of varying length, where
 * memcmp()'s and memcpy()'s size dispatch costs more than the work and
 * mispredicts.  Two overlapping loads cover any length in [k, 2k], and
 * never touch a byte outside [p, p + n).
 */
static inline uint64_t kt_load8(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t kt_load4(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* are the n bytes at a and at b the same? */
static inline bool kt_mem_eq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if (n >= 8) {
		if (n > 16)
			return memcmp(a, b, n) == 0;
		return ((kt_load8(x) ^ kt_load8(y)) |
			(kt_load8(x + n - 8) ^ kt_load8(y + n - 8))) == 0;
	}
	if (n >= 4)
		return ((kt_load4(x) ^ kt_load4(y)) |
			(kt_load4(x + n - 4) ^ kt_load4(y + n - 4))) == 0;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* memcpy(dst, src, n), the buffers apart */
static inline void kt_mem_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t a, b, c, e;
	uint32_t x, y;

	if (n >= 8 && n <= 32) {
		a = kt_load8(s);
		b = kt_load8(s + n - 8);
		if (n > 16) {
			c = kt_load8(s + 8);
			e = kt_load8(s + n - 16);
			memcpy(d + 8, &c, 8);
			memcpy(d + n - 16, &e, 8);
		}
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		x = kt_load4(s);
		y = kt_load4(s + n - 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 32) {
		memcpy(dst, src, n);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/* where the guilty frame may come from, tried in order */
enum guilty_src {
	GSRC_HEADER = 1,	/* a "func" group captured by start / fields */
	GSRC_IP,		/* RIP / pc / NIP line */
	GSRC_TRACE,		/* the first call trace */
	GSRC_ANY,		/* any frame of the main stack */
};

#define MAX_GSRC 4

/*
 * A literal prefilter for a list of patterns (report-filter.c): false means
 * no pattern of the list can match the line; true means pcre2 must decide.
 */
#define KT_FILTER_NEEDLE 48

struct kt_filter_needle {
	char s[KT_FILTER_NEEDLE];
	size_t len;
	size_t rare;		/* offset of its rarest byte (floating needles) */
	bool anchored;		/* at the start of the line ... */
	bool after_blanks;	/* ... or after its leading blanks */
};

struct kt_filter {
	bool always;		/* a pattern without a needle: pass every line */
	bool blanks;		/* some needle is anchored after leading blanks */
	unsigned char first[256];	/* 1: an anchored needle starts with the
					 * byte, 2: one does after blanks */
	uint16_t at[256];	/* index of the first anchored needle that
				 * starts with the byte (they are sorted by it) */
	unsigned int n_floating;
	/* a run every floating needle holds (when they are several): none of
	 * them is there unless it is, so one search can say no for all */
	bool has_common;
	struct kt_filter_needle common;
	struct kt_filter_needle *needles;	/* owned; anchored ones first */
	unsigned int n_needles;
};

/* A copy of (p, n) plus a NUL in the report's pool (assemble.c), or NULL
 * for a NULL p: freed with the report, never by hand. */
char *kt_report_pool_dup(struct kt_report *r, const char *p, size_t n);
/* kt_frame_copy() with the strings in the report's pool */
void kt_report_frame_copy(struct kt_report *r, struct kt_frame *ret,
			  const struct kt_frame_view *v, enum kt_frame_context ctx);

void kt_filter_build(struct kt_filter *f, char *const *pats, unsigned int n);
void kt_filter_release(struct kt_filter *f);
bool kt_filter_anchored(const struct kt_filter *f, const char *s, size_t len);
/* an anchored needle at 'at' (those after leading blanks, or the others) */
bool kt_filter_bucket(const struct kt_filter *f, const char *at, const char *end,
		      bool after_blanks);
bool kt_filter_floating(const struct kt_filter *f, const char *s, size_t len);
/*
 * A literal every match of pattern pat holds besides its anchored prefix
 * (its longest top-level run of 4+ literal bytes), as a floating needle:
 * false when it has none.  kt_needle_found() looks for one in (s, len).
 */
bool kt_filter_inner_needle(const char *pat, struct kt_filter_needle *ret);
bool kt_needle_found(const char *s, size_t len, const struct kt_filter_needle *n);

static inline bool kt_filter_pass(const struct kt_filter *f, const char *s, size_t len)
{
	if (f->always)
		return true;
	if (len) {
		const char *t = s, *end = s + len;

		if ((f->first[(unsigned char)*s] & 1) && kt_filter_bucket(f, s, end, false))
			return true;
		if (f->blanks) {
			/* ' ' and \t \n \v \f \r, as pcre2's \s */
			while (t < end && (*t == ' ' || (*t >= '\t' && *t <= '\r')))
				t++;
			if (t < end && (f->first[(unsigned char)*t] & 2) &&
			    kt_filter_bucket(f, t, end, true))
				return true;
		}
	}
	return f->n_floating && kt_filter_floating(f, s, len);
}

struct lit {
	const char *s;
	size_t len;
	unsigned int kind;
	size_t rare;	/* offset of a rarely used byte, searched with memchr */
};

struct contains_window {
	uint32_t hash;		/* kt_gram_hash() of the window */
	uint32_t off;		/* its offset in the literal */
	unsigned int lit;	/* index in contains[] */
};

struct kind_def {
	char *id;
	char *kind;
	char *title;
	char *title_nofunc;	/* when the guilty frame is not needed */
	char *title_missing;	/* when a field the title names was not seen */
	pcre2_code *start;
	uint32_t start_min;	/* the shortest text start can match */
	bool has_inner;
	struct kt_filter_needle inner;	/* a literal start's matches hold */
	pcre2_code **fields;
	struct kt_filter *fields_f;	/* a prefilter per field pattern */
	unsigned int n_fields;
	pcre2_code *skip;	/* full-match alternation, or NULL */
	pcre2_code *end;	/* end-of-report patterns, or NULL */
	pcre2_code *body;	/* lines of a report before its stack, or NULL */
	struct kt_filter end_f, body_f;
	enum guilty_src gsrc[MAX_GSRC];
	unsigned int n_gsrc;
	bool stall;		/* pick the frame before a stall anchor */
	bool stall_when_deep;	/* so if frames were dropped (runaway recursion) */
	bool mid_log;		/* a start only after the input's first line */
	bool task_only;		/* ignore IRQ/NMI-context frames */
	bool need_trace;	/* corrupted without a stack */
	bool attach;		/* joins a report already open in its context */
	bool corrupted;		/* always corrupted (e.g. truncated formats) */
	bool nofunc_ok;		/* title_nofunc is not corrupted */
	bool generic_header;	/* no stack: a generic header func still titles */
	bool trace_optional;	/* a title with {func} is sound without a stack */
	bool numbers;		/* numbers in the title become "NUM" */
	unsigned int max_lines;
	unsigned int idle_lines;
};

struct func_alias {
	pcre2_code *re;		/* full match on a canonical function name */
	char *name;
};

struct kt_report_defs {
	struct kind_def *kinds;
	unsigned int n_kinds;
	pcre2_code *generic;
	pcre2_code *anchors;
	pcre2_code *self_anchors;
	pcre2_code *stall_restart;	/* interrupt entry: drop the frames so far */
	pcre2_code *aside_hdr;	/* the next call trace belongs to another stack */
	pcre2_code *corrupting;	/* a frame of another stack mixed into the trace */
	struct func_alias *aliases;
	unsigned int n_aliases;
	pcre2_code *trace_hdr;	/* "Call Trace:" etc. */
	pcre2_code *alloc_hdr;
	pcre2_code *free_hdr;
	pcre2_code *other_hdr;
	struct kt_filter aside_f, trace_f, alloc_f, free_f, other_f;
	struct kt_filter header_f;	/* the five lists' needles together */
	/* prefilter: literal prefixes bucketed by first byte, then "contains" */
	struct lit *prefix;
	unsigned int n_prefix;
	unsigned short first[256];	/* index of first prefix with that byte */
	unsigned short nfirst[256];
	/* the gate every line passes through: bit kt_gram_hash(first 4 bytes)
	 * is set for each prefix of 4+ bytes; bit s[0] << 8 | s[1] of 'pair'
	 * for each shorter one (a one-byte prefix sets every second byte) */
	uint64_t head[65536 / 64];
	uint64_t pair[65536 / 64];
	struct lit *contains;
	unsigned int n_contains;
	/* the contains literals, sampled (as the rule prefilter does): the
	 * first KT_CONTAINS_WINDOW bytes are probed every c_stride bytes, each
	 * 4-byte probe looked up in c_bits; a literal of length L >= stride + 3
	 * covers a probe wherever it is, so it adds one 4-gram per residue.
	 * 0: no literals, or one too short: search them all plainly */
	unsigned int c_stride;
	uint64_t c_bits[65536 / 64];
	/* the windows behind those bits, sorted by hash: a probe that hits a
	 * bit is confirmed (or not) by the literal around it */
	struct contains_window *c_win;
	unsigned int n_c_win;
	unsigned int max_ovec;
	/* unique per loaded set (never reused), so per-thread memos of
	 * answers about these definitions cannot outlive them (title.c) */
	uint64_t serial;
};

/* lines are searched for 'contains' literals in their first bytes only */
#define KT_CONTAINS_WINDOW 64

/* 16 bits of 4 bytes, for the start gate's and the contains filter's bitmaps */
static inline uint32_t kt_gram_hash(const char *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return (x * 0x9e3779b1u) >> 16;	/* 16 bits */
}

/* full match of a compiled alternation against (s, len) */
bool kt_re_full(const pcre2_code *re, const char *s, size_t len);
/* full match; copies the first matched group (or the whole match) to buf */
bool kt_re_group1(const pcre2_code *re, const char *s, size_t len, char *buf, size_t cap);
/* what the two above and the title memo keep per thread: a thread other
 * than main that assembled reports frees it before it ends */
void kt_re_thread_release(void);
void kt_title_thread_release(void);

#endif
