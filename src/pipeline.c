// SPDX-License-Identifier: GPL-2.0-or-later
/* pipeline.c - classify, assemble reports: the stages after the reader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt-pipeline.h"
#include "kt-prefetch.h"
#include "kt-xalloc.h"

#define EXPLAIN_MAX 1024

struct kt_pipeline {
	struct kt_ruleset *rules;
	struct kt_classifier *classifier;
	const bool *watched;		/* the classifier's answer for the line */
	struct kt_report_defs *defs;
	struct kt_assembler *assembler;
	const uint64_t *open_contexts;	/* the assembler's */
	struct kt_scanner *scanner;	/* the reading thread's (prefetch hook) */
	struct kt_report_thread *thread;	/* kt_pipeline_split()'s */
	uint64_t n_lines;		/* lines passed on while split */
	struct kt_match match;
	struct kt_field_view fields[KT_MATCH_MAX_FIELDS];
	char explain[EXPLAIN_MAX];
	char advice[EXPLAIN_MAX];
	bool lazy_explain;
};

static void watch_start(const char *lit, size_t len, bool anchored, void *userdata)
{
	kt_ruleset_watch(userdata, lit, len, anchored);
}

/* defs: the report definitions whose start literals the classifier is to
 * look for too, or NULL */
static int load_rules(struct kt_pipeline *p, const struct kt_pipeline_config *cfg,
		      const struct kt_report_defs *defs, struct kt_error *err)
{
	int e = kt_ruleset_new(&p->rules);

	if (e < 0)
		return e;
	if (cfg->default_rules) {
		e = kt_ruleset_load_defaults(p->rules, cfg->rules_dir, cfg->etc_rules_dir, err);
		if (e < 0)
			return e;
	}
	for (size_t i = 0; i < cfg->n_rule_paths; i++) {
		e = kt_ruleset_add_path(p->rules, cfg->rule_paths[i], err);
		if (e < 0)
			return e;
	}
	if (defs)
		kt_report_defs_start_literals(defs, watch_start, p->rules);
	e = kt_ruleset_compile(p->rules, err);
	if (e < 0)
		return e;
	e = kt_classifier_new(p->rules, &p->classifier);
	if (e < 0)
		return e;
	p->watched = kt_classifier_watched_flag(p->classifier);
	return 0;
}

int kt_pipeline_new(const struct kt_pipeline_config *cfg, struct kt_pipeline **ret,
		    struct kt_error *err)
{
	struct kt_pipeline *p = kt_xcalloc(1, sizeof(*p));
	int e = 0;

	if (cfg->reports) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/reports.yaml", cfg->rules_dir);
		e = kt_report_defs_load(path, &p->defs, err);
		if (e < 0)
			goto fail;
		p->assembler = kt_assembler_new(p->defs);
		p->open_contexts = kt_assembler_open_contexts(p->assembler);
		p->scanner = kt_scanner_new(p->defs);
	}
	if (cfg->classify) {
		e = load_rules(p, cfg, p->defs, err);
		if (e < 0)
			goto fail;
	}
	*ret = p;
	return 0;
fail:
	kt_pipeline_free(p);
	return e;
}

int kt_pipeline_reload_rules(struct kt_pipeline *p, const struct kt_pipeline_config *cfg,
			     struct kt_error *err)
{
	struct kt_pipeline fresh = { 0 };
	int e;

	if (!cfg->classify)
		return 0;
	e = load_rules(&fresh, cfg, p->defs, err);
	if (e < 0) {
		kt_classifier_free(fresh.classifier);
		kt_ruleset_free(fresh.rules);
		return e;	/* the old rules stay in force */
	}
	kt_classifier_free(p->classifier);
	kt_ruleset_free(p->rules);
	p->rules = fresh.rules;
	p->classifier = fresh.classifier;
	p->watched = fresh.watched;
	/* the report thread, if one runs, finds the report starts itself */
	kt_classifier_set_watching(p->classifier, !p->thread);
	return 0;
}

void kt_pipeline_free(struct kt_pipeline *p)
{
	if (!p)
		return;
	kt_report_thread_free(p->thread);
	kt_assembler_free(p->assembler);
	kt_scanner_free(p->scanner);
	kt_report_defs_free(p->defs);
	kt_classifier_free(p->classifier);
	kt_ruleset_free(p->rules);
	free(p);
}

bool kt_pipeline_line(struct kt_pipeline *p, const struct kt_line *line,
		      struct kt_annotation *ann, int *ret_feed, kt_report_cb cb, void *userdata)
{
	bool hit = false, classified = p->classifier && line->is_kernel;

	*ret_feed = 0;
	if (classified &&
	    kt_classify(p->classifier, line->text, line->text_len, line->subsystem,
			line->subsystem_len, &p->match)) {
		const struct kt_rule *r = p->match.rule;

		memset(ann, 0, sizeof(*ann));
		ann->category = kt_rule_category(r);
		ann->rule = kt_rule_id(r);
		ann->severity = kt_rule_severity(r);
		for (size_t t = 0; t < kt_rule_tag_count(r); t++) {
			const char *tag = kt_rule_tag(r, t);

			if (!strcmp(tag, "hardware") || !strcmp(tag, "firmware"))
				ann->hardware = true;
		}
		for (unsigned i = 0; i < p->match.nfields; i++) {
			p->fields[i].name = p->match.fields[i].name;
			p->fields[i].value = p->match.fields[i].value;
			p->fields[i].value_len = p->match.fields[i].value_len;
		}
		ann->fields = p->fields;
		ann->nfields = p->match.nfields;
		if (!p->lazy_explain)
			kt_pipeline_explain(p, ann);
		hit = true;
	}
	if (p->thread) {
		kt_report_thread_sync(p->thread, ++p->n_lines, cb, userdata);
	} else if (p->assembler) {
		/* the classifier looked for the report starts' literals too;
		 * most lines hold none and are of no open report's context */
		bool may_start = !classified || *p->watched;

		if (may_start || (*p->open_contexts & kt_report_line_bit(line))) {
			/* a scan done ahead (line->prep) knows the line's
			 * start; it finds none the watched literals rule out */
			if (__builtin_expect(line->prep != NULL, 0))
				may_start = line->prep->start >= 0;
			*ret_feed = kt_assembler_feed_hinted(p->assembler, line, may_start,
							     cb, userdata);
		}
	}
	return hit;
}

void kt_pipeline_set_lazy_explain(struct kt_pipeline *p, bool lazy)
{
	p->lazy_explain = lazy;
}

void kt_pipeline_explain(struct kt_pipeline *p, struct kt_annotation *ann)
{
	size_t n = kt_match_explain(&p->match, p->explain, sizeof(p->explain));

	ann->explanation = p->explain;
	ann->explanation_len = n < sizeof(p->explain) ? n : sizeof(p->explain) - 1;
	n = kt_match_advice(&p->match, p->advice, sizeof(p->advice));
	ann->advice = n ? p->advice : NULL;
}

int kt_pipeline_flush(struct kt_pipeline *p, kt_report_cb cb, void *userdata)
{
	int e = 0;

	if (p->thread) {
		e = kt_report_thread_finish(p->thread, p->n_lines, cb, userdata);
		kt_report_thread_free(p->thread);
		p->thread = NULL;
		p->n_lines = 0;
		if (p->classifier)
			kt_classifier_set_watching(p->classifier, true);
	} else if (p->assembler) {
		kt_assembler_flush(p->assembler, cb, userdata);
	}
	return e;
}

int kt_pipeline_split(struct kt_pipeline *p, struct kt_source *src,
		      const struct kt_reader_opts *ro, kt_line_filter keep,
		      const void *keep_data)
{
	int e;

	if (!p->assembler) {
		kt_source_free(src);
		return -ENOTSUP;
	}
	/* one left by an input not flushed (its output failed) */
	kt_report_thread_free(p->thread);
	p->thread = NULL;
	p->n_lines = 0;
	e = kt_report_thread_new(src, ro, p->defs, keep, keep_data, &p->thread);
	/* the thread finds the report starts itself */
	if (e == 0 && p->classifier)
		kt_classifier_set_watching(p->classifier, false);
	return e;
}

static void scan_ahead(struct kt_line *line, void *slot, void *userdata)
{
	struct kt_pipeline *p = userdata;

	kt_scanner_scan(p->scanner, line, slot);
	line->prep = slot;
}

bool kt_pipeline_prefetch_hook(struct kt_pipeline *p, struct kt_prefetch_hook *ret)
{
	if (!p->scanner)
		return false;
	ret->fn = scan_ahead;
	ret->size = sizeof(struct kt_line_prep);
	ret->userdata = p;
	return true;
}

struct kt_ruleset *kt_pipeline_ruleset(struct kt_pipeline *p)
{
	return p->rules;
}

struct kt_classifier *kt_pipeline_classifier(struct kt_pipeline *p)
{
	return p->classifier;
}

uint64_t kt_pipeline_limit_hits(const struct kt_pipeline *p)
{
	return p->classifier ? kt_classifier_limit_hits(p->classifier) : 0;
}
