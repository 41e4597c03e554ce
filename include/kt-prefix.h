/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-prefix.h - recognise every kernel log format, one line at a time.
 *
 * kt_prefix_parse() takes one raw line (no line terminator) and fills a
 * struct kt_line: time since boot, wall-clock time, level, facility, caller
 * id, host, program and text.  Formats may change from one line to the next.
 * The buffer is writable: the parser may rewrite it in place (dropping ANSI
 * sequences, unescaping kmsg "\xNN"), and the kt_line points into it (or into
 * the state's scratch buffer for JSON input) until the next call.
 *
 * Ownership: struct kt_prefix_state is owned by the caller (one per source);
 * release it with kt_prefix_state_release().
 */
#ifndef KT_PREFIX_H
#define KT_PREFIX_H

#include <stdbool.h>
#include <stddef.h>

#include "kt-line.h"
#include "kt-strbuf.h"

enum kt_parse_result {
	KT_PARSE_LINE = 0,	/* *ret is a message */
	KT_PARSE_SKIP,		/* blank line or format syntax (JSON brackets) */
};

struct kt_prefix_state {
	int year;		/* for yearless syslog stamps; 0 = current */
	int cur_month;		/* with year==0: month of "now", for rollover */
	bool json_array;	/* inside util-linux's {"dmesg":[ ... ]} */
	bool json_record;	/* inside one { ... } record of it */
	int json_pri;
	int json_fac;
	int64_t json_time;
	bool json_have_msg;
	struct kt_strbuf json_msg;
	struct kt_strbuf json_caller;
	struct kt_strbuf scratch;	/* decoded text of JSON input */
	struct kt_strbuf scratch2;
};

void kt_prefix_state_init(struct kt_prefix_state *st, int year);
void kt_prefix_state_release(struct kt_prefix_state *st);

enum kt_parse_result kt_prefix_parse(struct kt_prefix_state *st, char *buf, size_t len,
				     struct kt_line *ret);

/* The same for a line the caller already passed through kt_strip_ansi()
 * (or knows holds no ESC byte). */
enum kt_parse_result kt_prefix_parse_stripped(struct kt_prefix_state *st, char *buf, size_t len,
					      struct kt_line *ret);

/*
 * One /dev/kmsg record: "pri,seq,ts_usec,flags[,...];text\n KEY=value\n...".
 * Unescapes "\xNN" in place.  Returns 0, or -EINVAL for a bad header (then
 * *ret holds the whole record as text, level unknown).
 */
int kt_prefix_parse_kmsg(char *buf, size_t len, struct kt_line *ret);

/* "\xNN" unescape in place, as /dev/kmsg escapes; returns the new length. */
size_t kt_kmsg_unescape(char *buf, size_t len);

/* Remove ANSI escape sequences (CSI, OSC, two-byte ESC x) in place. */
size_t kt_strip_ansi(char *buf, size_t len);

/* JSON formats (prefix-json.c). */
enum kt_parse_result kt_prefix_parse_json_line(struct kt_prefix_state *st, char *buf,
					       size_t len, struct kt_line *ret, bool *ret_ok);
enum kt_parse_result kt_prefix_parse_dmesg_json(struct kt_prefix_state *st, char *buf,
						size_t len, struct kt_line *ret, bool *ret_ok);

/* Helpers shared by the format parsers. */
bool kt_parse_mono_bracket(const char *p, size_t len, size_t *ret_used, int64_t *ret_usec);
int64_t kt_civil_to_epoch(int year, int mon, int mday, int hour, int min, int sec);

#endif
