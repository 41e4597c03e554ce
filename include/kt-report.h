/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-report.h - crash-report definitions, the streaming report assembler,
 * titles, guilty frames and signatures.
 *
 * Report kinds (start patterns, title templates, frames to skip) and the
 * global generic-frame list are data: rules/reports.yaml, loaded by
 * kt_report_defs_load() (libcyaml) and compiled once with pcre2 (JIT).
 *
 * Ownership:
 *  - struct kt_report_defs is immutable after loading, owned by the caller,
 *    freed with kt_report_defs_free(); it must outlive every assembler.
 *  - struct kt_assembler is owned by the caller (kt_assembler_free()).
 *  - Lines fed in are borrowed for the duration of the call only.
 *  - A struct kt_report passed to the callback owns copies of all its data.
 *    The callback may keep it by returning KT_REPORT_KEEP, and then frees it
 *    later with kt_report_free(); otherwise (return 0) the assembler frees
 *    it as soon as the callback returns.  Its strings (and its frames')
 *    may sit in a pool of the report's (r->pool): a member may be set to a
 *    new malloc()ed string where it is NULL, but never freed by hand.
 *
 * Bounds: a report is closed after KT_REPORT_MAX_LINES lines of its own
 * context, or earlier by an end marker ("---[ end trace"), the next report
 * in the same context, or KT_REPORT_IDLE_LINES lines without a frame once
 * its stack has been seen.  At most KT_REPORT_MAX_FRAMES frames (the first
 * and the last ones: frames in the middle of a deeper stack are counted and
 * dropped) and KT_REPORT_MAX_MODULES modules (the rest are counted and
 * dropped) are kept per report, and at most KT_ASSEMBLER_MAX_OPEN reports (one per printk
 * caller context) are open at once, so memory stays flat whatever the input.
 */
#ifndef KT_REPORT_H
#define KT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-frame.h"
#include "kt-line.h"

#define KT_REPORT_MAX_LINES	1000
#define KT_REPORT_IDLE_LINES	40
#define KT_REPORT_MAX_FRAMES	256
#define KT_REPORT_MAX_MODULES	512
#define KT_ASSEMBLER_MAX_OPEN	16
#define KT_REPORT_KEEP		1

struct kt_report_defs;
struct kt_assembler;
struct kt_report_pool;
struct kt_strbuf;
struct kt_error;

/* A named value captured by a definition's patterns (e.g. "access"). */
struct kt_report_field {
	char *name;
	char *value;
};

struct kt_report {
	char *id;		/* definition id, e.g. "kasan" */
	char *kind;		/* "KASAN", "WARNING", "BUG", "LOCKDEP", ... */
	char *title;		/* syzkaller-style one-line title */
	bool corrupted;
	char *corrupted_reason;	/* NULL unless corrupted */

	/* where */
	char *source;		/* copy of kt_line.source, or NULL */
	uint64_t first_line, last_line;
	int64_t first_usec, last_usec;	/* KT_TIME_NONE if no timestamps */
	unsigned int boot;
	char caller_kind;	/* 'T', 'C' or 0 */
	uint32_t caller_id;
	size_t n_lines;		/* lines assembled into this report */

	/* header; -1 / NULL when absent */
	int cpu;
	int pid;
	char *comm;
	char *kernel;		/* release, e.g. "6.1.0-13-amd64" */
	char *build;		/* text after the release, e.g. "#1 Debian 6.1.55-1" */
	char *taint;		/* letters as printed, e.g. "G    B D W" -> "GBDW" */
	char *hardware;

	/* frames */
	bool has_ip;
	struct kt_frame ip;	/* RIP / pc / NIP / PC is at */
	bool has_guilty;
	struct kt_frame guilty;	/* copy of the frame chosen for the title */
	struct kt_frame *frames;	/* in input order; ->stack tells which */
	size_t n_frames;
	size_t frames_dropped;
	char **modules;
	size_t n_modules;

	struct kt_report_field *fields;
	size_t n_fields;

	char signature[17];	/* 16 lower-case hex digits + NUL */

	/* the frames' strings (internal to the assembler; kt_report_free()) */
	struct kt_report_pool *pool;
};

/* Called for each completed report; return KT_REPORT_KEEP to keep it. */
typedef int (*kt_report_cb)(struct kt_report *report, void *userdata);

/*
 * Load and compile report definitions.  Returns 0, or -errno (-EINVAL for
 * a bad file) with *err filled in (err may be NULL).  *ret is written only
 * on success.
 */
int kt_report_defs_load(const char *path, struct kt_report_defs **ret,
			struct kt_error *err);
void kt_report_defs_free(struct kt_report_defs *defs);
size_t kt_report_defs_count(const struct kt_report_defs *defs);

/* Is this (canonical) function name generic for every kind? */
bool kt_report_defs_is_generic(const struct kt_report_defs *defs,
			       const char *func, size_t len);

/*
 * Each literal a report start holds: 'anchored' ones begin the message
 * text or follow up to 8 leading blanks (spaces, tabs), the others lie
 * within it.  For a caller that scans every line anyway and can
 * then tell the assembler a line holds none (kt_assembler_feed_hinted()).
 */
void kt_report_defs_start_literals(const struct kt_report_defs *defs,
				   void (*cb)(const char *lit, size_t len, bool anchored,
					      void *userdata),
				   void *userdata);

struct kt_assembler *kt_assembler_new(const struct kt_report_defs *defs);
void kt_assembler_free(struct kt_assembler *a);	/* drops open reports */

/* What kt_assembler_feed() did with a line (bit flags). */
#define KT_FEED_REPORT	0x1	/* the line belongs to a report */
#define KT_FEED_START	0x2	/* the line started a report */

/*
 * Feed one line.  Calls cb for every report the line completes (a new start
 * in the same context closes the previous report first); a report is held
 * back while a report that began before it is still open, so reports come
 * out in the order they began.  Returns the KT_FEED_* flags for the line
 * (>= 0).  line->prep, when not NULL, must come from a scanner of the same
 * definitions.
 */
int kt_assembler_feed(struct kt_assembler *a, const struct kt_line *line,
		      kt_report_cb cb, void *userdata);
/*
 * The same, with may_start false when the caller's own scan of the line's
 * text found none of kt_report_defs_start_literals() (matched case-folded
 * or not: a superset is fine): the line then starts no report, and the
 * assembler does not look for a start itself.
 */
int kt_assembler_feed_hinted(struct kt_assembler *a, const struct kt_line *line,
			     bool may_start, kt_report_cb cb, void *userdata);

/*
 * Most lines of a log start no report and belong to none: a caller that
 * feeds every line may skip the call for a line that starts no report
 * (may_start false; with line->prep, line->prep->start < 0) and whose
 * context's bit is clear in the assembler's word of open contexts.  The
 * word lives as long as the assembler.
 */
const uint64_t *kt_assembler_open_contexts(const struct kt_assembler *a);

/* the line's context (its caller id, if any) and its bit in that word:
 * kind plus id, modulo 64 (CPUs C0..C63 get a bit each, task ids their
 * low bits; a line without a caller id has kind and id 0, so bit 0) */
static inline uint64_t kt_report_context(const struct kt_line *line)
{
	return line->caller_kind ? ((uint64_t)(unsigned char)line->caller_kind << 32 |
				    line->caller_id) : 0;
}

static inline uint64_t kt_report_context_bit(uint64_t context)
{
	return 1ull << (((context >> 32) + (uint32_t)context) & 63);
}

/* kt_report_context_bit(kt_report_context(line)), without the branch
 * (a line's caller_id is 0 when it has no caller_kind) */
static inline uint64_t kt_report_line_bit(const struct kt_line *line)
{
	return 1ull << (((unsigned char)line->caller_kind + line->caller_id) & 63);
}

/*
 * What the assembler finds in a line whatever reports are open: the report
 * kind it starts, and whether it is a context marker or a stack frame.  A
 * scanner fills it in any thread (the definitions are immutable; the
 * scanner, owned by the caller and freed with kt_scanner_free(), is used by
 * one thread at a time), e.g. the thread that reads ahead, and
 * kt_assembler_feed() then takes it from line->prep instead of doing that
 * work itself.  The frame view borrows from the line's text.
 */
struct kt_line_prep {
	int start;		/* index of the kind a report starts with, or -1 */
	bool marker;		/* a context marker line (ctx follows it) */
	enum kt_frame_context ctx;
	enum kt_frame_type frame;	/* else: a frame line? (view v, next) */
	struct kt_frame_view v;
	size_t next;
};

struct kt_scanner;

struct kt_scanner *kt_scanner_new(const struct kt_report_defs *defs);
void kt_scanner_free(struct kt_scanner *sc);	/* sc may be NULL */
void kt_scanner_scan(struct kt_scanner *sc, const struct kt_line *line,
		     struct kt_line_prep *ret);

/* End of input: complete every open report (cut ones marked corrupted). */
void kt_assembler_flush(struct kt_assembler *a, kt_report_cb cb, void *userdata);

void kt_report_free(struct kt_report *r);	/* r may be NULL */

/* Value of a captured field, or NULL. */
const char *kt_report_field(const struct kt_report *r, const char *name);

/*
 * Meaning of one taint letter at its position (0-based, as printed by the
 * kernel's print_tainted()); NULL for a letter not known at that position.
 * E.g. ('W', 9) -> "warning issued".  Tolerates unknown letters.
 */
const char *kt_taint_meaning(char letter);

/* Internal to the report modules, exposed for tests: (re)compute title,
 * guilty frame and signature of a finished report. */
void kt_report_finish(const struct kt_report_defs *defs, struct kt_report *r,
		      size_t def_index, bool cut);

/* Append the report as one JSON object (no newline), OUTPUT.md members. */
void kt_report_to_json(const struct kt_report *r, struct kt_strbuf *sb);

#endif
