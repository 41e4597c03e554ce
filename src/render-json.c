// SPDX-License-Identifier: GPL-2.0-or-later
/* render-json.c - NDJSON objects per ../shared/docs/OUTPUT.md. */
#include "kt-escape.h"
#include "kt-prefix.h"
#include "kt-render.h"

/* append a string literal: its length is known at compile time */
#define LIT(out, s) kt_strbuf_add((out), (s), sizeof(s) - 1)

void kt_json_key(struct kt_strbuf *out, const char *key, bool first)
{
	if (!first)
		kt_strbuf_addch(out, ',');
	kt_strbuf_addch(out, '"');
	kt_strbuf_addstr(out, key);
	kt_strbuf_add(out, "\":", 2);
}

void kt_json_str(struct kt_strbuf *out, const char *s, size_t len)
{
	if (!s) {
		LIT(out, "null");
		return;
	}
	kt_strbuf_addch(out, '"');
	kt_escape_json(out, s, len);
	kt_strbuf_addch(out, '"');
}

void kt_json_cstr(struct kt_strbuf *out, const char *s)
{
	kt_json_str(out, s, s ? strlen(s) : 0);
}

static void two(struct kt_strbuf *out, int v)
{
	kt_strbuf_addch(out, (char)('0' + v / 10 % 10));
	kt_strbuf_addch(out, (char)('0' + v % 10));
}

void kt_format_wallclock(struct kt_strbuf *out, int64_t wall_usec, int tzoff_min, bool utc_z)
{
	int64_t local = wall_usec + (int64_t)tzoff_min * 60 * 1000000;
	int64_t secs = local >= 0 ? local / 1000000 : (local - 999999) / 1000000;
	int64_t usec = local - secs * 1000000;
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t sod = secs - days * 86400;
	/* civil from days (Howard Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	char frac[7];
	int off = tzoff_min < 0 ? -tzoff_min : tzoff_min;

	y += m <= 2;
	kt_strbuf_add_i64(out, y);
	kt_strbuf_addch(out, '-');
	two(out, m);
	kt_strbuf_addch(out, '-');
	two(out, d);
	kt_strbuf_addch(out, 'T');
	two(out, (int)(sod / 3600));
	kt_strbuf_addch(out, ':');
	two(out, (int)(sod / 60 % 60));
	kt_strbuf_addch(out, ':');
	two(out, (int)(sod % 60));
	kt_strbuf_addch(out, '.');
	for (int i = 5; i >= 0; i--) {
		frac[i] = (char)('0' + usec % 10);
		usec /= 10;
	}
	kt_strbuf_add(out, frac, 6);
	if (utc_z && tzoff_min == 0) {
		kt_strbuf_addch(out, 'Z');
		return;
	}
	kt_strbuf_addch(out, tzoff_min < 0 ? '-' : '+');
	two(out, off / 60);
	kt_strbuf_addch(out, ':');
	two(out, off % 60);
}

/* "level" and "facility" values, quoted, with their lengths */
static void add_name(struct kt_strbuf *out, const char *name)
{
	if (!name) {
		LIT(out, "null");
		return;
	}
	kt_strbuf_addch(out, '"');
	kt_strbuf_addstr(out, name);
	kt_strbuf_addch(out, '"');
}

void kt_render_json_message(struct kt_strbuf *out, const struct kt_line *l,
			    const struct kt_annotation *ann)
{
	/* one allocation check for the whole object in the common case */
	kt_strbuf_grow(out, 512 + l->text_len * 2);
	LIT(out, "{\"type\":\"message\",\"source\":");
	kt_json_cstr(out, l->source);
	if (l->lineno) {
		LIT(out, ",\"line\":");
		kt_strbuf_add_u64(out, l->lineno);
	}
	if (l->has_seq) {
		LIT(out, ",\"seq\":");
		kt_strbuf_add_u64(out, l->seq);
	}
	LIT(out, ",\"boot\":");
	kt_strbuf_add_u64(out, l->boot);
	if (l->mono_usec != KT_TIME_NONE) {
		LIT(out, ",\"time\":");
		kt_strbuf_add_usec(out, l->mono_usec);
	} else {
		LIT(out, ",\"time\":null");
	}
	if (l->wall_usec != KT_TIME_NONE) {
		LIT(out, ",\"wallclock\":\"");
		kt_format_wallclock(out, l->wall_usec, l->wall_tzoff_min, false);
		LIT(out, "\",\"level\":");
	} else {
		LIT(out, ",\"wallclock\":null,\"level\":");
	}
	add_name(out, kt_level_name(l->level));
	LIT(out, ",\"facility\":");
	add_name(out, kt_facility_name(l->facility));
	if (l->caller_kind) {
		LIT(out, ",\"caller\":\"");
		kt_strbuf_addch(out, l->caller_kind);
		kt_strbuf_add_u64(out, l->caller_id);
		kt_strbuf_addch(out, '"');
	} else {
		LIT(out, ",\"caller\":null");
	}
	if (!l->host && !l->prog) {
		if (l->is_kernel)
			LIT(out, ",\"host\":null,\"program\":null,\"kernel\":true");
		else
			LIT(out, ",\"host\":null,\"program\":null,\"kernel\":false");
	} else {
		LIT(out, ",\"host\":");
		kt_json_str(out, l->host, l->host_len);
		LIT(out, ",\"program\":");
		kt_json_str(out, l->prog, l->prog_len);
		if (l->is_kernel)
			LIT(out, ",\"kernel\":true");
		else
			LIT(out, ",\"kernel\":false");
	}
	if (l->subsystem) {
		LIT(out, ",\"subsystem\":");
		kt_json_str(out, l->subsystem, l->subsystem_len);
	}
	if (l->device) {
		LIT(out, ",\"device\":");
		kt_json_str(out, l->device, l->device_len);
	}
	if (l->truncated)
		LIT(out, ",\"truncated\":true");
	LIT(out, ",\"text\":\"");
	kt_escape_json(out, l->text, l->text_len);
	if (!ann) {
		LIT(out, "\",\"category\":null,\"rule\":null,\"fields\":{},\"explanation\":null}\n");
		return;
	}
	LIT(out, "\",\"category\":");
	kt_json_cstr(out, ann->category);
	LIT(out, ",\"rule\":");
	kt_json_cstr(out, ann->rule);
	LIT(out, ",\"fields\":{");
	for (size_t i = 0; i < ann->nfields; i++) {
		if (i)
			kt_strbuf_addch(out, ',');
		kt_json_cstr(out, ann->fields[i].name);
		kt_strbuf_addch(out, ':');
		kt_json_str(out, ann->fields[i].value, ann->fields[i].value_len);
	}
	LIT(out, "},\"explanation\":");
	kt_json_str(out, ann->explanation, ann->explanation_len);
	if (ann->severity != KT_LEVEL_UNKNOWN) {
		LIT(out, ",\"severity\":");
		kt_json_cstr(out, kt_level_name(ann->severity));
	}
	LIT(out, "}\n");
}

void kt_render_json_lost(struct kt_strbuf *out, const char *source, uint64_t count,
			 uint64_t after_seq)
{
	LIT(out, "{\"type\":\"lost\"");
	LIT(out, ",\"source\":");
	kt_json_cstr(out, source);
	LIT(out, ",\"count\":");
	kt_strbuf_add_u64(out, count);
	LIT(out, ",\"after_seq\":");
	kt_strbuf_add_u64(out, after_seq);
	kt_strbuf_add(out, "}\n", 2);
}
