/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-pipeline.h - the stages after the reader: classify each message with
 * the rule set, feed it to the crash-report assembler, and count what was
 * seen for the summary.
 *
 * Ownership: the pipeline owns its rule set, classifier, report definitions
 * and assembler.  The annotation it fills for a line borrows from the line
 * and from the pipeline, valid until the next kt_pipeline_line() call.
 */
#ifndef KT_PIPELINE_H
#define KT_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "kt-error.h"
#include "kt-line.h"
#include "kt-render.h"
#include "kt-reader.h"
#include "kt-report.h"
#include "kt-report-thread.h"
#include "kt-rules.h"

struct kt_pipeline_config {
	const char *const *rule_paths;	/* --rules, in order */
	size_t n_rule_paths;
	bool default_rules;		/* shipped + /etc rules */
	const char *rules_dir;		/* shipped rule directory */
	const char *etc_rules_dir;	/* overrides (same name replaces) */
	bool classify;
	bool reports;
};

struct kt_pipeline;

int kt_pipeline_new(const struct kt_pipeline_config *cfg, struct kt_pipeline **ret,
		    struct kt_error *err);
void kt_pipeline_free(struct kt_pipeline *p);

/*
 * Load the rules again (after SIGHUP).  On failure the rules in force stay,
 * *err says why.  Annotations handed out before are invalid afterwards.
 */
int kt_pipeline_reload_rules(struct kt_pipeline *p, const struct kt_pipeline_config *cfg,
			     struct kt_error *err);

/*
 * One message.  *ret_ann is filled when a rule matched (returns true).
 * Completed crash reports go to cb.  *ret_feed gets the assembler's
 * KT_FEED_* flags for the line.
 */
bool kt_pipeline_line(struct kt_pipeline *p, const struct kt_line *line,
		      struct kt_annotation *ret_ann, int *ret_feed, kt_report_cb cb,
		      void *userdata);
/*
 * With lazy explanations set, kt_pipeline_line() leaves explanation and
 * advice NULL; kt_pipeline_explain() renders them for the last hit.
 */
void kt_pipeline_set_lazy_explain(struct kt_pipeline *p, bool lazy);
void kt_pipeline_explain(struct kt_pipeline *p, struct kt_annotation *ann);
/*
 * End of one input: close open reports.  0, or what
 * kt_report_thread_finish() returned for an input read with
 * kt_pipeline_split() (reports may be missing).
 */
int kt_pipeline_flush(struct kt_pipeline *p, kt_report_cb cb, void *userdata);

/*
 * For the input that kt_pipeline_line() gets next, until kt_pipeline_flush():
 * assemble its reports in a thread of its own (kt-report-thread.h) that
 * reads src, a second opening of the same input (kt_source_reopen(), taken
 * over, also on failure), with the caller's reader options ro.  keep says
 * which of its lines the caller passes to kt_pipeline_line(); cb gets the
 * same reports at the same lines as without the thread, and *ret_feed is
 * 0.  0, or -ENOTSUP when reports are off, or -errno.
 */
int kt_pipeline_split(struct kt_pipeline *p, struct kt_source *src,
		      const struct kt_reader_opts *ro, kt_line_filter keep,
		      const void *keep_data);

/*
 * Work on each line that may be done ahead, in the thread that reads (see
 * kt-prefetch.h): the report assembler's scan.  Fills *ret and returns true
 * when there is such work; one reading thread at a time may run it.
 */
struct kt_prefetch_hook;
bool kt_pipeline_prefetch_hook(struct kt_pipeline *p, struct kt_prefetch_hook *ret);

struct kt_ruleset *kt_pipeline_ruleset(struct kt_pipeline *p);
struct kt_classifier *kt_pipeline_classifier(struct kt_pipeline *p);
uint64_t kt_pipeline_limit_hits(const struct kt_pipeline *p);

#endif
