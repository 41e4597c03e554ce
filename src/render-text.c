// SPDX-License-Identifier: GPL-2.0-or-later
/* render-text.c - the dmesg-like text view. */
#include "kt-escape.h"
#include "kt-render.h"
#include "kt-report.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"

static const char *level_color(int level)
{
	switch (level) {
	case KT_LEVEL_EMERG:
	case KT_LEVEL_ALERT:
	case KT_LEVEL_CRIT:
		return "\033[1;31m";
	case KT_LEVEL_ERR:
		return "\033[31m";
	case KT_LEVEL_WARN:
		return "\033[33m";
	case KT_LEVEL_NOTICE:
		return C_BOLD;
	default:
		return NULL;
	}
}

static void pad(struct kt_strbuf *out, size_t have, size_t width)
{
	while (have++ < width)
		kt_strbuf_addch(out, ' ');
}

void kt_render_text_message(struct kt_strbuf *out, const struct kt_line *l,
			    const struct kt_annotation *ann, const struct kt_text_style *style)
{
	int eff = l->level;
	const char *lv, *col;
	size_t before;

	if (ann && ann->severity != KT_LEVEL_UNKNOWN &&
	    (eff == KT_LEVEL_UNKNOWN || ann->severity < eff))
		eff = ann->severity;
	col = style->color ? level_color(eff) : NULL;

	if (l->mono_usec != KT_TIME_NONE) {
		int64_t u = l->mono_usec;

		kt_strbuf_addch(out, '[');
		before = out->len;
		kt_strbuf_add_usec(out, u);
		/* right-align like dmesg: "[    1.234567]" */
		if (out->len - before < 12) {
			size_t n = 12 - (out->len - before);

			kt_strbuf_grow(out, n);
			memmove(out->buf + before + n, out->buf + before, out->len - before);
			memset(out->buf + before, ' ', n);
			out->len += n;
			out->buf[out->len] = '\0';
		}
		kt_strbuf_add(out, "] ", 2);
	} else if (l->wall_usec != KT_TIME_NONE) {
		kt_strbuf_addch(out, '[');
		kt_format_wallclock(out, l->wall_usec, l->wall_tzoff_min, true);
		kt_strbuf_add(out, "] ", 2);
	}
	lv = kt_level_name(l->level);
	before = out->len;
	if (col)
		kt_strbuf_addstr(out, col);
	kt_strbuf_addstr(out, lv ? lv : "-");
	if (col)
		kt_strbuf_addstr(out, C_RESET);
	pad(out, out->len - before - (col ? strlen(col) + strlen(C_RESET) : 0), 7);
	if (l->caller_kind) {
		kt_strbuf_addch(out, '[');
		kt_strbuf_addch(out, l->caller_kind);
		kt_strbuf_add_u64(out, l->caller_id);
		kt_strbuf_add(out, "] ", 2);
	}
	if (ann && ann->category) {
		kt_strbuf_addch(out, '[');
		kt_strbuf_addstr(out, ann->category);
		kt_strbuf_add(out, "] ", 2);
	}
	if (!l->is_kernel && l->prog) {
		kt_escape_term(out, l->prog, l->prog_len);
		kt_strbuf_add(out, ": ", 2);
	}
	if (col)
		kt_strbuf_addstr(out, col);
	kt_escape_term(out, l->text, l->text_len);
	if (col)
		kt_strbuf_addstr(out, C_RESET);
	if (l->truncated)
		kt_strbuf_addstr(out, " [truncated]");
	kt_strbuf_addch(out, '\n');
	if (style->explain && ann && ann->explanation) {
		kt_strbuf_addstr(out, "    \u2192 ");
		kt_escape_term(out, ann->explanation, ann->explanation_len);
		kt_strbuf_addch(out, '\n');
		if (ann->advice) {
			kt_strbuf_addstr(out, "      advice: ");
			kt_escape_term(out, ann->advice, strlen(ann->advice));
			kt_strbuf_addch(out, '\n');
		}
	}
}

void kt_render_text_lost(struct kt_strbuf *out, const char *source, uint64_t count,
			 uint64_t after_seq, const struct kt_text_style *style)
{
	if (style->color)
		kt_strbuf_addstr(out, "\033[1;35m");
	kt_strbuf_addstr(out, "-- ");
	kt_strbuf_add_u64(out, count);
	kt_strbuf_addstr(out, count == 1 ? " message" : " messages");
	kt_strbuf_addstr(out, " lost from ");
	kt_escape_term(out, source, strlen(source));
	kt_strbuf_addstr(out, " after seq ");
	kt_strbuf_add_u64(out, after_seq);
	kt_strbuf_addstr(out, " --");
	if (style->color)
		kt_strbuf_addstr(out, C_RESET);
	kt_strbuf_addch(out, '\n');
}

void kt_render_text_boot(struct kt_strbuf *out, const char *source, unsigned int boot,
			 const struct kt_text_style *style)
{
	if (style->color)
		kt_strbuf_addstr(out, C_BOLD);
	kt_strbuf_addstr(out, "-- boot ");
	kt_strbuf_add_u64(out, boot);
	kt_strbuf_addstr(out, " of ");
	kt_escape_term(out, source, strlen(source));
	kt_strbuf_addstr(out, " (time went backwards) --");
	if (style->color)
		kt_strbuf_addstr(out, C_RESET);
	kt_strbuf_addch(out, '\n');
}

static void loc_text(struct kt_strbuf *out, const char *file, unsigned int line)
{
	kt_escape_term(out, file, strlen(file));
	if (line)
		kt_strbuf_addf(out, ":%u", line);
}

/*
 * After symbolization, like decode_stacktrace.sh / addr2line -i: the
 * innermost location on the frame's line, then (chain) one indented
 * "(inlined by) func file:line" line per caller up to the frame's function.
 */
static void frame_text(struct kt_strbuf *out, const struct kt_frame *f, bool chain)
{
	if (!f->reliable)
		kt_strbuf_addstr(out, "? ");
	if (f->func)
		kt_escape_term(out, f->func, strlen(f->func));
	else if (f->has_address)
		kt_strbuf_addf(out, "0x%llx", (unsigned long long)f->address);
	if (f->has_offset)
		kt_strbuf_addf(out, "+0x%llx", (unsigned long long)f->offset);
	if (f->has_size)
		kt_strbuf_addf(out, "/0x%llx", (unsigned long long)f->size);
	if (f->module) {
		kt_strbuf_addstr(out, " [");
		kt_escape_term(out, f->module, strlen(f->module));
		kt_strbuf_addch(out, ']');
	}
	if (f->file) {
		const struct kt_inline_frame *in = f->n_inlined ? &f->inlined[0] : NULL;

		kt_strbuf_addch(out, ' ');
		loc_text(out, in ? in->file : f->file, in ? in->line : f->line);
		if (in && in->func) {
			kt_strbuf_addstr(out, " in ");
			kt_escape_term(out, in->func, strlen(in->func));
		}
	}
	if (f->sym_note) {
		kt_strbuf_addstr(out, " (unreliable: ");
		kt_strbuf_addstr(out, f->sym_note);
		kt_strbuf_addch(out, ')');
	}
	for (size_t i = 1; chain && f->file && i <= f->n_inlined; i++) {
		const char *func = i < f->n_inlined ? f->inlined[i].func : f->func;
		const char *file = i < f->n_inlined ? f->inlined[i].file : f->file;

		kt_strbuf_addstr(out, "\n        (inlined by) ");
		if (func)
			kt_escape_term(out, func, strlen(func));
		kt_strbuf_addch(out, ' ');
		loc_text(out, file ? file : "??", i < f->n_inlined ? f->inlined[i].line : f->line);
	}
}

static void opt_field(struct kt_strbuf *out, const char *label, const char *v)
{
	if (!v)
		return;
	kt_strbuf_addstr(out, label);
	kt_escape_term(out, v, strlen(v));
}

void kt_render_text_report(struct kt_strbuf *out, const struct kt_report *r,
			   const struct kt_text_style *style)
{
	const char *hi = style->color ? "\033[1;31m" : "", *rs = style->color ? C_RESET : "";

	kt_strbuf_addf(out, "%s=== ", hi);
	opt_field(out, "", r->title ? r->title : "(untitled report)");
	kt_strbuf_addstr(out, " ===");
	kt_strbuf_addstr(out, rs);
	kt_strbuf_addch(out, '\n');
	kt_strbuf_addstr(out, "    kind: ");
	opt_field(out, "", r->kind);
	kt_strbuf_addf(out, "  signature: %s", r->signature);
	if (r->corrupted) {
		kt_strbuf_addstr(out, "  CORRUPTED");
		opt_field(out, ": ", r->corrupted_reason);
	}
	kt_strbuf_addch(out, '\n');
	kt_strbuf_addstr(out, "    where: ");
	opt_field(out, "", r->source ? r->source : "-");
	kt_strbuf_addf(out, " lines %llu-%llu", (unsigned long long)r->first_line,
		       (unsigned long long)r->last_line);
	if (r->first_usec != KT_TIME_NONE) {
		kt_strbuf_addstr(out, " at ");
		kt_strbuf_add_usec(out, r->first_usec);
		kt_strbuf_addstr(out, " s");
	}
	kt_strbuf_addch(out, '\n');
	if (r->cpu >= 0 || r->pid >= 0 || r->comm || r->kernel || r->taint) {
		kt_strbuf_addstr(out, "    context:");
		if (r->cpu >= 0)
			kt_strbuf_addf(out, " CPU %d", r->cpu);
		if (r->pid >= 0)
			kt_strbuf_addf(out, " PID %d", r->pid);
		opt_field(out, " comm ", r->comm);
		opt_field(out, " kernel ", r->kernel);
		if (r->taint && *r->taint)
			opt_field(out, " taint ", r->taint);
		kt_strbuf_addch(out, '\n');
	}
	opt_field(out, "    hardware: ", r->hardware);
	if (r->hardware)
		kt_strbuf_addch(out, '\n');
	if (r->has_guilty) {
		kt_strbuf_addstr(out, "    guilty: ");
		frame_text(out, &r->guilty, false);
		kt_strbuf_addch(out, '\n');
	}
	if (r->has_ip) {
		kt_strbuf_addstr(out, "    ip: ");
		frame_text(out, &r->ip, false);
		kt_strbuf_addch(out, '\n');
	}
	if (r->n_frames)
		kt_strbuf_addstr(out, "    frames:\n");
	for (size_t i = 0; i < r->n_frames; i++) {
		kt_strbuf_addstr(out, "      ");
		frame_text(out, &r->frames[i], true);
		kt_strbuf_addch(out, '\n');
	}
	if (r->frames_dropped)
		kt_strbuf_addf(out, "      (%zu more frames not kept)\n", r->frames_dropped);
}
