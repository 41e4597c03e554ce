// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader.c - source -> lines -> struct kt_line events.  Adds what needs
 * context across lines: kmsg dictionary lines in files, sequence gaps, boot
 * boundaries (time going backwards), and console junk glued in front of a
 * kernel line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kt-journal.h"
#include "kt-linebuf.h"
#include "kt-prefix.h"
#include "kt-reader.h"
#include "kt-strbuf.h"
#include "kt-xalloc.h"

#define KMSG_RECORD_MAX 16384
/* time going back by more than this starts a new boot */
#define BOOT_BACKSTEP_USEC 1000000

struct kt_reader {
	struct kt_source *src;
	struct kt_journal *journal;	/* instead of src */
	const char *name;
	struct kt_linebuf lb;
	struct kt_prefix_state ps;
	struct kt_reader_stats stats;
	bool eof;

	/* a raw line handed back for the next round */
	bool have_unget;
	struct kt_rawline unget;

	/* kmsg-format line from a file, held to collect " KEY=value" lines */
	bool have_hold;
	struct kt_line hold;
	struct kt_strbuf hold_text, hold_sub, hold_dev;

	/* /dev/kmsg */
	char *rec;
	bool have_rec;		/* parsed record waiting behind a lost event */
	struct kt_line rec_line;
	bool have_seq;
	uint64_t last_seq;

	/* boots */
	int64_t last_mono;
	unsigned int boot;
};

int kt_reader_new(struct kt_source *src, const struct kt_reader_opts *opts,
		  struct kt_reader **ret)
{
	struct kt_reader *r = kt_xcalloc(1, sizeof(*r));
	size_t max = opts && opts->max_line ? opts->max_line : KT_LINE_MAX;
	size_t bufsize = KT_LINEBUF_SIZE;

	if (bufsize <= max)
		bufsize = max + 4096;
	r->src = src;
	r->name = kt_source_name(src);
	kt_linebuf_init(&r->lb, bufsize, max);
	kt_prefix_state_init(&r->ps, opts ? opts->year : 0);
	kt_strbuf_init(&r->hold_text, 256);
	kt_strbuf_init(&r->hold_sub, 32);
	kt_strbuf_init(&r->hold_dev, 32);
	r->last_mono = KT_TIME_NONE;
	if (kt_source_is_kmsg(src))
		r->rec = kt_xmalloc(KMSG_RECORD_MAX + 1);
	*ret = r;
	return 0;
}

int kt_reader_new_journal(struct kt_journal *j, struct kt_reader **ret)
{
	struct kt_reader *r = kt_xcalloc(1, sizeof(*r));

	r->journal = j;
	r->name = "journal";
	r->last_mono = KT_TIME_NONE;
	kt_linebuf_init(&r->lb, 4096, 1024);
	kt_prefix_state_init(&r->ps, 0);
	kt_strbuf_init(&r->hold_text, 16);
	kt_strbuf_init(&r->hold_sub, 16);
	kt_strbuf_init(&r->hold_dev, 16);
	*ret = r;
	return 0;
}

struct kt_journal *kt_reader_journal(struct kt_reader *r)
{
	return r->journal;
}

void kt_reader_free(struct kt_reader *r)
{
	if (!r)
		return;
	kt_journal_free(r->journal);
	kt_source_free(r->src);
	kt_linebuf_release(&r->lb);
	kt_prefix_state_release(&r->ps);
	kt_strbuf_release(&r->hold_text);
	kt_strbuf_release(&r->hold_sub);
	kt_strbuf_release(&r->hold_dev);
	free(r->rec);
	free(r);
}

const struct kt_reader_stats *kt_reader_stats(const struct kt_reader *r)
{
	return &r->stats;
}

struct kt_source *kt_reader_source(struct kt_reader *r)
{
	return r->src;	/* NULL for the journal */
}

static void note_boot(struct kt_reader *r, struct kt_line *line)
{
	if (line->mono_usec != KT_TIME_NONE && line->is_kernel) {
		if (r->last_mono != KT_TIME_NONE &&
		    line->mono_usec + BOOT_BACKSTEP_USEC < r->last_mono)
			r->boot++;
		r->last_mono = line->mono_usec;
	}
	line->boot = r->boot;
}

static void line_start(struct kt_reader *r, struct kt_line *line)
{
	kt_line_init(line);
	line->source = r->name;
}

/* ---- /dev/kmsg ---------------------------------------------------------- */

static int next_kmsg(struct kt_reader *r, struct kt_event *ret)
{
	ssize_t n;

	if (r->have_rec) {
		r->have_rec = false;
		ret->type = KT_EVENT_LINE;
		ret->line = r->rec_line;
		r->stats.messages++;
		return 1;
	}
	for (;;) {
		n = kt_source_read(r->src, r->rec, KMSG_RECORD_MAX);
		if (n == -EPIPE)
			continue;	/* overrun: the seq gap below counts it */
		if (n < 0)
			return (int)n;
		if (n == 0)
			return 0;
		break;
	}
	r->stats.bytes += (uint64_t)n;
	r->stats.lines++;
	line_start(r, &r->rec_line);
	if (kt_prefix_parse_kmsg(r->rec, (size_t)n, &r->rec_line) < 0)
		r->stats.bad_records++;
	note_boot(r, &r->rec_line);
	if (r->rec_line.has_seq) {
		uint64_t seq = r->rec_line.seq;

		if (r->have_seq && seq > r->last_seq + 1) {
			ret->type = KT_EVENT_LOST;
			ret->lost_count = seq - r->last_seq - 1;
			ret->lost_after_seq = r->last_seq;
			r->stats.lost += ret->lost_count;
			r->last_seq = seq;
			r->have_rec = true;
			return 1;
		}
		r->have_seq = true;
		r->last_seq = seq;
	}
	ret->type = KT_EVENT_LINE;
	ret->line = r->rec_line;
	r->stats.messages++;
	return 1;
}

/* ---- files and streams -------------------------------------------------- */

static int fill(struct kt_reader *r)
{
	size_t avail;
	char *p = kt_linebuf_space(&r->lb, &avail);
	ssize_t n = kt_source_read(r->src, p, avail);

	if (n < 0)
		return (int)n;
	if (n == 0) {
		r->eof = true;
		kt_linebuf_set_eof(&r->lb);
		return 0;
	}
	r->stats.bytes += (uint64_t)n;
	kt_linebuf_commit(&r->lb, (size_t)n);
	return 1;
}

/*
 * Next raw line: 1, or 0 at EOF, or -errno.  With can_block false, returns
 * -EAGAIN instead of waiting for a live source.
 */
static int next_raw(struct kt_reader *r, struct kt_rawline *raw, bool can_block)
{
	if (r->have_unget) {
		r->have_unget = false;
		*raw = r->unget;
		return 1;
	}
	for (;;) {
		int e;

		if (kt_linebuf_next(&r->lb, raw)) {
			r->stats.lines++;
			if (raw->truncated)
				r->stats.truncated++;
			return 1;
		}
		if (r->eof)
			return 0;
		if (!can_block && (r->have_hold || kt_source_would_block(r->src)))
			return -EAGAIN;
		e = fill(r);
		if (e < 0)
			return e;
	}
}

static void hold_line(struct kt_reader *r, const struct kt_line *line)
{
	r->have_hold = true;
	r->hold = *line;
	kt_strbuf_reset(&r->hold_text);
	kt_strbuf_add(&r->hold_text, line->text, line->text_len);
	kt_strbuf_reset(&r->hold_sub);
	kt_strbuf_reset(&r->hold_dev);
}

static void release_hold(struct kt_reader *r, struct kt_event *ret)
{
	r->have_hold = false;
	ret->type = KT_EVENT_LINE;
	ret->line = r->hold;
	ret->line.text = r->hold_text.buf;
	ret->line.text_len = r->hold_text.len;
	if (r->hold_sub.len) {
		ret->line.subsystem = r->hold_sub.buf;
		ret->line.subsystem_len = r->hold_sub.len;
	}
	if (r->hold_dev.len) {
		ret->line.device = r->hold_dev.buf;
		ret->line.device_len = r->hold_dev.len;
	}
	r->stats.messages++;
}

/*
 * Serial consoles glue other output (escape codes, a login prompt) in front
 * of a kernel line: split at the first kernel time stamp after the start,
 * and hand the rest back as the next line.  True if it split.
 */
static bool split_at_stamp(struct kt_reader *r, struct kt_rawline *raw)
{
	size_t used;
	int64_t usec;

	for (size_t k = 1; k + 4 < raw->len; k++) {
		char *b = memchr(raw->ptr + k, '[', raw->len - k);

		if (!b)
			return false;
		k = (size_t)(b - raw->ptr);
		if (kt_parse_mono_bracket(b, raw->len - k, &used, &usec)) {
			r->have_unget = true;
			r->unget = *raw;
			r->unget.ptr = b;
			r->unget.len = raw->len - k;
			r->unget.has_esc = false;
			raw->len = k;
			return true;
		}
	}
	return false;
}

static void split_glued(struct kt_reader *r, struct kt_rawline *raw)
{
	raw->len = kt_strip_ansi(raw->ptr, raw->len);
	raw->has_esc = false;
	split_at_stamp(r, raw);
}

/* " KEY=value" after a kmsg record line */
static bool dict_line(const struct kt_rawline *raw, size_t *ret_klen)
{
	size_t k = 1;

	if (raw->len < 3 || raw->ptr[0] != ' ')
		return false;
	while (k < raw->len && raw->ptr[k] >= 'A' && raw->ptr[k] <= 'Z')
		k++;
	if (k == 1 || k >= raw->len || raw->ptr[k] != '=')
		return false;
	*ret_klen = k - 1;
	return true;
}

static void attach_dict(struct kt_reader *r, struct kt_rawline *raw, size_t klen)
{
	const char *key = raw->ptr + 1;
	char *val = raw->ptr + 2 + klen;
	size_t vlen = kt_kmsg_unescape(val, raw->len - 2 - klen);

	if (klen == 9 && !memcmp(key, "SUBSYSTEM", 9)) {
		kt_strbuf_reset(&r->hold_sub);
		kt_strbuf_add(&r->hold_sub, val, vlen);
	} else if (klen == 6 && !memcmp(key, "DEVICE", 6)) {
		kt_strbuf_reset(&r->hold_dev);
		kt_strbuf_add(&r->hold_dev, val, vlen);
	}
}

static int next_file(struct kt_reader *r, struct kt_event *ret)
{
	struct kt_rawline raw;

	for (;;) {
		struct kt_line *line = &ret->line;
		size_t klen;
		int e = next_raw(r, &raw, !r->have_hold);

		if (e == -EAGAIN || (e == 0 && r->have_hold)) {
			release_hold(r, ret);
			return 1;
		}
		if (e <= 0)
			return e;
		if (r->have_hold) {
			if (dict_line(&raw, &klen)) {
				attach_dict(r, &raw, klen);
				continue;
			}
			/* not part of the held record: parse it next round */
			r->have_unget = true;
			r->unget = raw;
			r->stats.lines--;
			release_hold(r, ret);
			return 1;
		}
		if (raw.has_esc)
			split_glued(r, &raw);	/* strips ANSI, clears has_esc */
		line_start(r, line);
		line->lineno = raw.lineno;
		line->truncated = raw.truncated;
		if (kt_prefix_parse_stripped(&r->ps, raw.ptr, raw.len, line) == KT_PARSE_SKIP)
			continue;
		if (line->format == KT_FMT_NONE && !r->have_unget && raw.len > 16 &&
		    memchr(raw.ptr + 1, '[', raw.len - 1) && split_at_stamp(r, &raw)) {
			/* "login: [   35.1] BUG: ..." -> two messages */
			line->text_len = raw.len;
		}
		note_boot(r, line);
		if (line->format == KT_FMT_KMSG) {
			hold_line(r, line);
			continue;
		}
		ret->type = KT_EVENT_LINE;
		r->stats.messages++;
		return 1;
	}
}

static int next_journal(struct kt_reader *r, struct kt_event *ret)
{
	int e = kt_journal_next(r->journal, &ret->line);

	if (e <= 0)
		return e;
	ret->type = KT_EVENT_LINE;
	r->stats.lines++;
	r->stats.messages++;
	r->stats.bytes += ret->line.text_len;
	return 1;
}

int kt_reader_next(struct kt_reader *r, struct kt_event *ret)
{
	if (r->journal)
		return next_journal(r, ret);
	if (r->rec)
		return next_kmsg(r, ret);
	return next_file(r, ret);
}
