/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-line.h - one kernel log message, the unit passed between pipeline stages.
 *
 * Ownership: every pointer in struct kt_line is a borrowed view into a buffer
 * owned by the reader that produced it (or by the caller of the parser); it is
 * valid only until the next call that reads a line.  Text is (ptr, len) and is
 * NOT NUL-terminated.
 */
#ifndef KT_LINE_H
#define KT_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct kt_line_prep;

enum kt_level {
	KT_LEVEL_UNKNOWN = -1,
	KT_LEVEL_EMERG = 0,
	KT_LEVEL_ALERT,
	KT_LEVEL_CRIT,
	KT_LEVEL_ERR,
	KT_LEVEL_WARN,
	KT_LEVEL_NOTICE,
	KT_LEVEL_INFO,
	KT_LEVEL_DEBUG,
};

#define KT_FACILITY_UNKNOWN (-1)
#define KT_FACILITY_KERN 0
#define KT_TIME_NONE INT64_MIN

/* Which prefix format a line was recognised in (for --debug / tests). */
enum kt_format {
	KT_FMT_NONE = 0,	/* no recognisable prefix: whole line is text */
	KT_FMT_DMESG,		/* [    1.234567] text, and/or [T123] caller */
	KT_FMT_RAW,		/* <6>[    1.2] text (dmesg -r, syslog(2)) */
	KT_FMT_DMESG_T,		/* [Sun Nov 22 14:10:19 2026] text */
	KT_FMT_DMESG_X,		/* kern  :info  : [ 1.2] text */
	KT_FMT_DMESG_JSON,	/* util-linux dmesg --json record */
	KT_FMT_KMSG,		/* 6,211,257962,-;text (/dev/kmsg record) */
	KT_FMT_SYSLOG,		/* RFC 3164 / journalctl short, short-precise */
	KT_FMT_SYSLOG_ISO,	/* rsyslog RFC 3339 / journalctl short-iso */
	KT_FMT_RFC5424,		/* <6>1 2026-...Z host app - - - text */
	KT_FMT_JOURNAL_MONO,	/* journalctl -o short-monotonic */
	KT_FMT_JOURNAL_JSON,	/* journalctl -o json */
	KT_FMT_COUNT
};

struct kt_line {
	/* where it came from */
	const char *source;	/* "-", a file name, "kmsg", "journal" */
	uint64_t lineno;	/* 1-based input line (0 for kmsg records) */
	uint64_t seq;		/* kmsg/journal sequence number */
	bool has_seq;
	unsigned int boot;	/* 0-based boot index within this source */

	/* time */
	int64_t mono_usec;	/* time since boot, or KT_TIME_NONE */
	int64_t wall_usec;	/* UTC epoch microseconds, or KT_TIME_NONE */
	int wall_tzoff_min;	/* offset of the original stamp from UTC */
	bool wall_has_tz;	/* the stamp carried an explicit offset */

	/* classification by the producer */
	int level;		/* enum kt_level */
	int facility;		/* 0..23 or KT_FACILITY_UNKNOWN */
	char caller_kind;	/* 'T', 'C' or 0 */
	uint32_t caller_id;

	/* syslog-ish envelope */
	const char *host;
	size_t host_len;
	const char *prog;	/* "kernel" or another program */
	size_t prog_len;
	bool is_kernel;		/* false for syslog lines of other programs */

	/* kmsg dictionary / journal fields */
	const char *subsystem;
	size_t subsystem_len;
	const char *device;
	size_t device_len;

	/* the message */
	const char *text;
	size_t text_len;
	bool truncated;		/* the input line was longer than the cap */
	bool continuation;	/* kmsg 'c' flag / KERN_CONT fragment */
	enum kt_format format;

	/* the report assembler's scan of this line, done ahead in the reading
	 * thread (kt-report.h), or NULL; borrowed like the text */
	const struct kt_line_prep *prep;
};

/* Reset every member to "unknown"/empty. */
void kt_line_init(struct kt_line *line);

/*
 * The leading blanks (spaces, tabs) of a message text, at most 8: an
 * indented report start may begin after them (e.g. " BUG: KCSAN:" after a
 * caller id).  The one definition for the classifier's watched literals
 * (kt_ruleset_watch()) and the report assembler.
 */
static inline size_t kt_text_indent(const char *s, size_t len)
{
	size_t n = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len >= 8) {
		/* eight bytes at once, without a branch per byte: the high
		 * bit of each byte that is a blank (an exact per-byte test,
		 * no borrow between bytes), then the first that is not */
		const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full, hi = 0x8080808080808080ull;
		uint64_t w, sp, tab, blank;

		memcpy(&w, s, 8);
		sp = w ^ 0x2020202020202020ull;
		tab = w ^ 0x0909090909090909ull;
		sp = ~(((sp & lo7) + lo7) | sp);
		tab = ~(((tab & lo7) + lo7) | tab);
		blank = (sp | tab) & hi;
		return blank == hi ? 8 : (size_t)__builtin_ctzll(~blank & hi) / 8;
	}
#endif
	while (n < len && n < 8 && (s[n] == ' ' || s[n] == '\t'))
		n++;
	return n;
}

const char *kt_level_name(int level);		/* "err", or NULL if unknown */
int kt_level_from_name(const char *s, size_t len);	/* -1 if unknown */
const char *kt_facility_name(int facility);	/* "kern", or NULL */
int kt_facility_from_name(const char *s, size_t len);

#endif
