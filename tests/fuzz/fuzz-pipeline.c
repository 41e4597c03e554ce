// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-pipeline.c - the whole pipeline without symbolization: the input is a
 * log file (plain or gzip) read through the reader (line splitting, format
 * detection, kmsg dictionaries, boots), classified with the shipped rules,
 * assembled into crash reports, and every event is rendered as text (plain,
 * colour with --explain) and JSON, plus the summary in both forms.
 *
 * The rule set and report definitions are loaded once, from
 * $KTRIAGE_RULES_DIR or the source tree's rules/.  The pipeline is flushed
 * at the end of each input, so no report carries over to the next one.
 *
 * Then the input goes through again with the report thread
 * (kt_pipeline_split()): every report must come at the same line, in the
 * same order and with the same JSON as in the first pass, or the harness
 * aborts.
 */
#include <stdio.h>

#include "fuzz-util.h"
#include "kt-pipeline.h"
#include "kt-reader.h"
#include "kt-report.h"
#include "kt-source.h"
#include "kt-summary.h"

#ifndef KT_TOP_SRCDIR
#define KT_TOP_SRCDIR "."
#endif

static struct kt_pipeline *pipe_;
static struct kt_strbuf out;

struct ctx {
	struct kt_summary *summary;
	struct kt_strbuf log;	/* "line: report JSON" for each report */
	uint64_t at;		/* the line being passed on */
};

static const struct kt_text_style plain = { .color = false, .explain = true };
static const struct kt_text_style color = { .color = true, .explain = false };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[4096];
	const char *env = getenv("KTRIAGE_RULES_DIR");
	struct kt_pipeline_config cfg = {
		.default_rules = true, .classify = true, .reports = true,
	};
	struct kt_error err;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s", env && *env ? env : KT_TOP_SRCDIR "/rules");
	cfg.rules_dir = dir;
	kt_error_clear(&err);
	if (kt_pipeline_new(&cfg, &pipe_, &err) < 0) {
		char msg[512];

		kt_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "fuzz-pipeline: cannot load rules from '%s': %s\n", dir, msg);
		abort();
	}
	kt_strbuf_init(&out, 4096);
	return 0;
}

static int on_report(struct kt_report *r, void *userdata)
{
	struct ctx *c = userdata;

	kt_summary_add_report(c->summary, r);
	kt_strbuf_reset(&out);
	kt_render_text_report(&out, r, &plain);
	kt_render_text_report(&out, r, &color);
	kt_report_to_json(r, &out);
	kt_strbuf_addf(&c->log, "%llu: ", (unsigned long long)c->at);
	kt_report_to_json(r, &c->log);
	kt_strbuf_addch(&c->log, '\n');
	return 0;
}

/* the second pass: the same input with the report thread; c->log gets the
 * reports as in the first */
static void split_pass(const uint8_t *data, size_t size, struct ctx *c)
{
	struct kt_reader_opts ro = { .year = 2024, .max_line = 4096 };
	struct kt_source *src, *again;
	struct kt_reader *rd;
	struct kt_event ev;

	if (kt_source_open_mem("fuzz.log", (const char *)data, size, &src) < 0)
		abort();
	if (kt_source_reopen(src, &again) < 0 ||
	    kt_pipeline_split(pipe_, again, &ro, NULL, NULL) < 0 ||
	    kt_reader_new(src, &ro, &rd) < 0)
		abort();
	c->at = 0;
	while (kt_reader_next(rd, &ev) > 0) {
		struct kt_annotation ann;
		int feed;

		if (ev.type != KT_EVENT_LINE)
			continue;
		c->at++;
		kt_pipeline_line(pipe_, &ev.line, &ann, &feed, on_report, c);
	}
	c->at = UINT64_MAX;
	if (kt_pipeline_flush(pipe_, on_report, c) < 0)
		abort();	/* the same bytes: it cannot come short */
	kt_reader_free(rd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_reader_opts ro = { .year = 2024, .max_line = 4096 };
	struct kt_source *src;
	struct kt_reader *rd;
	struct kt_event ev;
	struct ctx c;
	unsigned int boot = 0;

	if (!pipe_)
		LLVMFuzzerInitialize(NULL, NULL);
	if (kt_source_open_mem("fuzz.log", (const char *)data, size, &src) < 0)
		return 0;
	if (kt_reader_new(src, &ro, &rd) < 0)
		return 0;
	c.summary = kt_summary_new(64);
	kt_strbuf_init(&c.log, 1024);
	c.at = 0;
	while (kt_reader_next(rd, &ev) > 0) {
		struct kt_annotation ann;
		int feed;
		bool hit;

		kt_strbuf_reset(&out);
		if (ev.type == KT_EVENT_LOST) {
			kt_summary_add_lost(c.summary, ev.lost_count);
			kt_render_json_lost(&out, "kmsg", ev.lost_count, ev.lost_after_seq);
			kt_render_text_lost(&out, "kmsg", ev.lost_count, ev.lost_after_seq, &plain);
			continue;
		}
		if (ev.line.boot != boot) {
			boot = ev.line.boot;
			kt_render_text_boot(&out, ev.line.source, boot, &color);
		}
		c.at++;
		hit = kt_pipeline_line(pipe_, &ev.line, &ann, &feed, on_report, &c);
		kt_summary_knows_rule(c.summary, hit ? ann.rule : "none");
		kt_summary_add_line(c.summary, &ev.line, hit ? &ann : NULL);
		kt_strbuf_reset(&out);
		kt_render_text_message(&out, &ev.line, hit ? &ann : NULL, &plain);
		kt_render_text_message(&out, &ev.line, hit ? &ann : NULL, &color);
		kt_render_json_message(&out, &ev.line, hit ? &ann : NULL);
	}
	c.at = UINT64_MAX;
	kt_pipeline_flush(pipe_, on_report, &c);
	kt_strbuf_reset(&out);
	kt_summary_render_text(c.summary, &out, &plain);
	kt_summary_render_text(c.summary, &out, &color);
	kt_summary_render_json(c.summary, &out, 0);
	kt_summary_worst_level(c.summary);
	kt_summary_free(c.summary);
	kt_reader_free(rd);

	{
		struct ctx t = { .summary = kt_summary_new(64) };

		kt_strbuf_init(&t.log, 1024);
		split_pass(data, size, &t);
		if (t.log.len != c.log.len || memcmp(t.log.buf, c.log.buf, c.log.len)) {
			fprintf(stderr, "fuzz-pipeline: the report thread differs:\n"
				"--- one thread:\n%.*s--- report thread:\n%.*s",
				(int)c.log.len, c.log.buf, (int)t.log.len, t.log.buf);
			abort();
		}
		kt_summary_free(t.summary);
		kt_strbuf_release(&t.log);
	}
	kt_strbuf_release(&c.log);
	return 0;
}
