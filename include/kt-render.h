/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-render.h - turn messages and events into text or JSON.
 *
 * Each function appends to a caller-owned strbuf; nothing here writes to a
 * file descriptor.  Log text always goes through kt-escape.h.
 */
#ifndef KT_RENDER_H
#define KT_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "kt-line.h"
#include "kt-strbuf.h"

/* What later stages add to a message (classification); all may be NULL. */
struct kt_field_view {
	const char *name;
	const char *value;
	size_t value_len;
};

struct kt_annotation {
	const char *category;
	const char *rule;
	const char *explanation;
	size_t explanation_len;
	const char *advice;
	int severity;			/* rule severity or KT_LEVEL_UNKNOWN */
	bool hardware;			/* rule tagged hardware or firmware */
	const struct kt_field_view *fields;
	size_t nfields;
};

struct kt_text_style {
	bool color;
	bool explain;		/* print explanation and advice under a message */
};

void kt_render_text_message(struct kt_strbuf *out, const struct kt_line *line,
			    const struct kt_annotation *ann, const struct kt_text_style *style);
void kt_render_text_lost(struct kt_strbuf *out, const char *source, uint64_t count,
			 uint64_t after_seq, const struct kt_text_style *style);
void kt_render_text_boot(struct kt_strbuf *out, const char *source, unsigned int boot,
			 const struct kt_text_style *style);

struct kt_report;
/* A crash report as a block: title, where, context, frames. */
void kt_render_text_report(struct kt_strbuf *out, const struct kt_report *r,
			   const struct kt_text_style *style);

void kt_render_json_message(struct kt_strbuf *out, const struct kt_line *line,
			    const struct kt_annotation *ann);
void kt_render_json_lost(struct kt_strbuf *out, const char *source, uint64_t count,
			 uint64_t after_seq);

/* JSON helpers for other renderers: "key": and values. */
void kt_json_key(struct kt_strbuf *out, const char *key, bool first);
void kt_json_str(struct kt_strbuf *out, const char *s, size_t len);	/* NULL -> null */
void kt_json_cstr(struct kt_strbuf *out, const char *s);		/* NULL -> null */
/* RFC 3339 with microseconds and the original offset */
void kt_format_wallclock(struct kt_strbuf *out, int64_t wall_usec, int tzoff_min, bool utc_z);

#endif
