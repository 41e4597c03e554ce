// SPDX-License-Identifier: GPL-2.0-or-later
/* report-json.c - one struct kt_report as a JSON object (OUTPUT.md). */
#include <string.h>

#include "kt-escape.h"
#include "kt-report.h"
#include "kt-strbuf.h"

static void str(struct kt_strbuf *sb, const char *key, const char *v)
{
	kt_strbuf_addf(sb, ",\"%s\":", key);
	if (!v) {
		kt_strbuf_addstr(sb, "null");
		return;
	}
	kt_strbuf_addch(sb, '"');
	kt_escape_json(sb, v, strlen(v));
	kt_strbuf_addch(sb, '"');
}

static void num(struct kt_strbuf *sb, const char *key, long long v, bool present)
{
	if (present)
		kt_strbuf_addf(sb, ",\"%s\":%lld", key, v);
	else
		kt_strbuf_addf(sb, ",\"%s\":null", key);
}

static void frame(struct kt_strbuf *sb, const struct kt_frame *f)
{
	size_t i;

	kt_strbuf_addch(sb, '{');
	kt_strbuf_addstr(sb, "\"func\":");
	if (f->func) {
		kt_strbuf_addch(sb, '"');
		kt_escape_json(sb, f->func, strlen(f->func));
		kt_strbuf_addch(sb, '"');
	} else {
		kt_strbuf_addstr(sb, "null");
	}
	if (f->has_offset)
		kt_strbuf_addf(sb, ",\"offset\":\"0x%llx\"", (unsigned long long)f->offset);
	else
		kt_strbuf_addstr(sb, ",\"offset\":null");
	if (f->has_size)
		kt_strbuf_addf(sb, ",\"size\":\"0x%llx\"", (unsigned long long)f->size);
	else
		kt_strbuf_addstr(sb, ",\"size\":null");
	str(sb, "module", f->module);
	if (f->has_address)
		kt_strbuf_addf(sb, ",\"address\":\"0x%llx\"", (unsigned long long)f->address);
	else
		kt_strbuf_addstr(sb, ",\"address\":null");
	kt_strbuf_addf(sb, ",\"reliable\":%s", f->reliable ? "true" : "false");
	str(sb, "context", kt_frame_context_name(f->context));
	str(sb, "file", f->file);
	num(sb, "line", f->line, f->file != NULL);
	num(sb, "column", f->column, f->file != NULL && f->column);
	str(sb, "symbolize_warning", f->sym_note);
	kt_strbuf_addstr(sb, ",\"inlined\":[");
	for (i = 0; i < f->n_inlined; i++) {
		if (i)
			kt_strbuf_addch(sb, ',');
		kt_strbuf_addstr(sb, "{\"func\":\"");
		kt_escape_json(sb, f->inlined[i].func ? f->inlined[i].func : "",
			       f->inlined[i].func ? strlen(f->inlined[i].func) : 0);
		kt_strbuf_addch(sb, '"');
		str(sb, "file", f->inlined[i].file);
		kt_strbuf_addf(sb, ",\"line\":%u", f->inlined[i].line);
		num(sb, "column", f->inlined[i].column, f->inlined[i].column != 0);
		kt_strbuf_addch(sb, '}');
	}
	kt_strbuf_addstr(sb, "]}");
}

void kt_report_to_json(const struct kt_report *r, struct kt_strbuf *sb)
{
	size_t i;

	kt_strbuf_addstr(sb, "{\"type\":\"report\"");
	str(sb, "kind", r->kind);
	str(sb, "title", r->title);
	kt_strbuf_addf(sb, ",\"corrupted\":%s", r->corrupted ? "true" : "false");
	str(sb, "corrupted_reason", r->corrupted_reason);
	str(sb, "source", r->source);
	kt_strbuf_addf(sb, ",\"first_line\":%llu,\"last_line\":%llu",
		       (unsigned long long)r->first_line, (unsigned long long)r->last_line);
	num(sb, "cpu", r->cpu, r->cpu >= 0);
	num(sb, "pid", r->pid, r->pid >= 0);
	str(sb, "comm", r->comm);
	str(sb, "kernel", r->kernel);
	str(sb, "taint", r->taint);
	str(sb, "hardware", r->hardware);
	kt_strbuf_addstr(sb, ",\"guilty\":");
	if (r->has_guilty)
		frame(sb, &r->guilty);
	else
		kt_strbuf_addstr(sb, "null");
	kt_strbuf_addstr(sb, ",\"frames\":[");
	for (i = 0; i < r->n_frames; i++) {
		if (i)
			kt_strbuf_addch(sb, ',');
		frame(sb, &r->frames[i]);
	}
	kt_strbuf_addstr(sb, "],\"modules\":[");
	for (i = 0; i < r->n_modules; i++) {
		if (i)
			kt_strbuf_addch(sb, ',');
		kt_strbuf_addch(sb, '"');
		kt_escape_json(sb, r->modules[i], strlen(r->modules[i]));
		kt_strbuf_addch(sb, '"');
	}
	kt_strbuf_addch(sb, ']');
	str(sb, "signature", r->signature);
	kt_strbuf_addch(sb, '}');
}
