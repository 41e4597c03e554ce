// SPDX-License-Identifier: GPL-2.0-or-later
/* render-text.c - the dmesg-like text view. */
#include "kt-escape.h"
#include "kt-render.h"

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
