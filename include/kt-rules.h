/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-rules.h - the YAML rule set and the line classifier.
 *
 * A rule set is loaded from YAML files (schema: rules/README.md and
 * ktriage-rules(5)), validated, and compiled once: every pattern with pcre2 +
 * JIT, and one case-folded prefilter over the literal each rule requires
 * (derived from the pattern, or declared with `literal:`): a table of line-
 * start anchors and a sampled 4-gram filter (src/classify.c).  A line is
 * scanned once by the prefilter; pcre2 runs only on the rules whose literal
 * occurs (and on rules that have no literal).
 *
 * Order: rules are tried by descending `priority` (default 0), then in load
 * order: files in the order they were added (a directory adds its *.yaml files
 * sorted by name with strcmp), rules in file order.  The first rule that
 * matches wins; a line gets at most one rule.
 *
 * Ownership: the caller owns a struct kt_ruleset and frees it with
 * kt_ruleset_free(); every rule, string and name returned from it is owned by
 * the rule set and valid until it is freed.  After kt_ruleset_compile() the
 * set is immutable and may be shared by threads; each thread uses its own
 * struct kt_classifier (owned by the caller, freed with kt_classifier_free(),
 * which must happen before the rule set is freed).  A struct kt_match holds
 * borrowed views into the classified text and into the rule set.
 *
 * Errors: functions return 0 or a negative errno; a struct kt_error (may be
 * NULL) receives a located message for problems a user must fix.
 */
#ifndef KT_RULES_H
#define KT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-error.h"

struct kt_ruleset;
struct kt_rule;
struct kt_classifier;

/* --- limits ---------------------------------------------------------------- */
#define KT_RULES_MAX_FILE_SIZE	(4u << 20)	/* bytes per rule file */
#define KT_RULES_MAX_RULES	200000u		/* per rule set */
#define KT_RULES_MAX_PATTERN	4096u		/* bytes per pattern */
#define KT_MATCH_MAX_FIELDS	16u		/* named groups per rule */
#define KT_RULES_MATCH_LIMIT	200000u		/* default pcre2 match limit */
#define KT_RULES_DEPTH_LIMIT	10000u		/* default pcre2 depth limit */

/* --- loading ----------------------------------------------------------------- */
int kt_ruleset_new(struct kt_ruleset **ret);
void kt_ruleset_free(struct kt_ruleset *rs);	/* NULL is fine */

/*
 * Add a rule file, or every *.yaml file of a directory in strcmp order.  A
 * file whose top level has no `rules:` key is skipped without error (the
 * crash-report kinds live in the same directory).  Returns -ENOENT, -EACCES,
 * -EISDIR..., -EFBIG (file over KT_RULES_MAX_FILE_SIZE), -EILSEQ (not UTF-8),
 * -EINVAL (YAML or schema or rule error), -E2BIG (too many rules).
 * Rule-level problems (bad pattern, template naming a missing group, duplicate
 * id, bad severity) do not stop loading: every one is recorded, the first is
 * returned in *err, and kt_ruleset_check() reports them all.  Must be called
 * before kt_ruleset_compile().
 */
int kt_ruleset_add_path(struct kt_ruleset *rs, const char *path, struct kt_error *err);

/*
 * The same for the contents of one rule file held in memory (len bytes, need
 * not be NUL-terminated; copied).  name is the file name errors and rules
 * show.  Used by tests and the fuzzer.
 */
int kt_ruleset_add_buffer(struct kt_ruleset *rs, const char *name, const char *data, size_t len,
			  struct kt_error *err);
/*
 * The default rule files: every *.yaml of shipped_dir, except that a file of
 * the same base name in etc_dir replaces it; names only in etc_dir are added.
 * All files are loaded in strcmp order of their base names.  etc_dir may be
 * NULL or missing; shipped_dir missing is -ENOENT.
 */
int kt_ruleset_load_defaults(struct kt_ruleset *rs, const char *shipped_dir,
			     const char *etc_dir, struct kt_error *err);

/*
 * Freeze the set: sort by priority, build the prefilter.  Returns -EINVAL
 * (with the first recorded problem in *err) if any rule failed to load;
 * the rules that did load are still usable then.  Idempotent.
 */
int kt_ruleset_compile(struct kt_ruleset *rs, struct kt_error *err);

/*
 * Watched literals: text that another stage wants found in each line (the
 * report assembler's start literals), looked for in the classifier's one
 * pass over the text so that stage need not scan every line again.  Each is
 * matched case-folded (a superset): 'anchored' ones at the start of the text
 * or after up to 8 leading blanks (spaces, tabs), the others anywhere in
 * it.  Copied.  Must be called before
 * kt_ruleset_compile().  Returns -EINVAL for an empty literal.
 */
int kt_ruleset_watch(struct kt_ruleset *rs, const char *lit, size_t len, bool anchored);

size_t kt_ruleset_count(const struct kt_ruleset *rs);
const struct kt_rule *kt_ruleset_rule(const struct kt_ruleset *rs, size_t i);	/* in order */
const struct kt_rule *kt_ruleset_find(const struct kt_ruleset *rs, const char *id);
size_t kt_ruleset_file_count(const struct kt_ruleset *rs);	/* files that held rules */

/* --- rule accessors (all strings NUL-terminated, owned by the set) ---------- */
const char *kt_rule_id(const struct kt_rule *r);
const char *kt_rule_category(const struct kt_rule *r);
int kt_rule_severity(const struct kt_rule *r);		/* enum kt_level, 0..7 */
const char *kt_rule_explain(const struct kt_rule *r);	/* template */
const char *kt_rule_advice(const struct kt_rule *r);	/* template, "" if none */
const char *kt_rule_pattern(const struct kt_rule *r);
const char *kt_rule_literal(const struct kt_rule *r);	/* "" if the rule has none */
const char *kt_rule_subsystem(const struct kt_rule *r);	/* NULL if no filter */
size_t kt_rule_tag_count(const struct kt_rule *r);
const char *kt_rule_tag(const struct kt_rule *r, size_t i);
const char *kt_rule_file(const struct kt_rule *r);
unsigned kt_rule_line(const struct kt_rule *r);
int kt_rule_priority(const struct kt_rule *r);

/* --- classification ------------------------------------------------------------ */
struct kt_field {
	const char *name;	/* group name, owned by the rule set */
	const char *value;	/* view into the classified text, not NUL-terminated */
	size_t value_len;
};

struct kt_match {
	const struct kt_rule *rule;
	unsigned nfields;	/* named groups that took part in the match, pattern order */
	struct kt_field fields[KT_MATCH_MAX_FIELDS];
};

/* Per-thread scratch (pcre2 match data, JIT stack, prefilter marks). */
int kt_classifier_new(const struct kt_ruleset *rs, struct kt_classifier **ret);
void kt_classifier_free(struct kt_classifier *c);	/* NULL is fine */
/* pcre2 limits for this classifier (0 keeps the current value). */
void kt_classifier_set_limits(struct kt_classifier *c, uint32_t match_limit,
			      uint32_t depth_limit);
/* Matches abandoned because they hit the match/depth limit (counted, never fatal). */
uint64_t kt_classifier_limit_hits(const struct kt_classifier *c);
/* The rule that last hit the limit, or NULL. */
const struct kt_rule *kt_classifier_limit_rule(const struct kt_classifier *c);

/*
 * Did the text of the last kt_classify() call hold a watched literal (see
 * kt_ruleset_watch())?  True also when one is too short (anchored under 2
 * bytes, else under 4) for the pass to look for: the answer "no" is sure,
 * "yes" only possible.
 */
bool kt_classifier_watched(const struct kt_classifier *c);
/* The same answer where a caller of kt_classify() on every line can read
 * it without a call: valid as long as the classifier. */
const bool *kt_classifier_watched_flag(const struct kt_classifier *c);
/*
 * Stop (or resume) looking for the watched literals after a line's leading
 * blanks, the one part of that search that costs time of its own, for a
 * caller that does not need the answer for a while (the answer is then
 * unreliable).  On when a classifier is made.
 */
void kt_classifier_set_watching(struct kt_classifier *c, bool on);

/*
 * Classify one message text (len bytes, need not be NUL-terminated, may hold
 * any bytes).  subsystem is the kmsg/journal SUBSYSTEM= value or NULL/0 when
 * the line carries none (then `subsystem:` filters do not exclude a rule).
 * Returns the winning rule and fills *ret, or returns NULL (and leaves *ret
 * untouched) if no rule matches.  The rule set must be compiled.
 */
const struct kt_rule *kt_classify(struct kt_classifier *c, const char *text, size_t len,
				  const char *subsystem, size_t subsys_len,
				  struct kt_match *ret);

/* The value of a named field, or NULL (*ret_len untouched) if absent. */
const char *kt_match_field(const struct kt_match *m, const char *name, size_t *ret_len);

/*
 * Render a template: "{name}" is replaced by the field's value ("?" if the
 * group did not take part), "{{" and "}}" by a brace.  Writes at most size
 * bytes including the NUL; returns the length the full output would have
 * (like snprintf).  kt_match_explain/advice render the rule's templates.
 */
size_t kt_match_render(const struct kt_match *m, const char *tmpl, char *buf, size_t size);
size_t kt_match_explain(const struct kt_match *m, char *buf, size_t size);
size_t kt_match_advice(const struct kt_match *m, char *buf, size_t size);

/* --- --why: what happened to every rule on one text ------------------------------ */
enum kt_why_result {
	KT_WHY_PREFILTER,	/* its literal does not occur in the text */
	KT_WHY_SUBSYSTEM,	/* the line's subsystem is not the rule's */
	KT_WHY_NOMATCH,		/* the pattern ran and did not match */
	KT_WHY_LIMIT,		/* the pattern hit the match/depth limit */
	KT_WHY_MATCH,		/* matched (see .winner) */
	KT_WHY_ERROR,		/* pcre2 failed otherwise (see .pcre2_rc) */
};

struct kt_why {
	const struct kt_rule *rule;
	size_t index;		/* position in rule order */
	enum kt_why_result result;
	const char *literal;	/* for KT_WHY_PREFILTER: the missing literal */
	bool winner;		/* the first matching rule: the one kt_classify picks */
	int pcre2_rc;
};

const char *kt_why_result_name(enum kt_why_result r);	/* "prefilter", "match", ... */

/*
 * Call cb for every rule in order (running every pattern whose literal
 * occurs, even after the winner, so shadowed matches show).  A non-zero
 * return from cb stops the walk and is returned.  Otherwise returns 0.
 */
typedef int (*kt_why_cb)(const struct kt_why *why, void *userdata);
int kt_classify_why(struct kt_classifier *c, const char *text, size_t len,
		    const char *subsystem, size_t subsys_len, kt_why_cb cb, void *userdata);

/* --- --check-rules ------------------------------------------------------------------ */
/*
 * Report every problem: those recorded while loading and compiling, then
 * every example that does not behave as stated (a `match:` that does not
 * match, matches with other fields, is not found by the prefilter, or is taken
 * by an earlier rule; a `nomatch:` that matches).  cb gets one located error
 * per problem (kt_error_format gives "file:line: rule-id: what is wrong").
 * Returns the number of problems (0: all good) or a negative errno.
 * Works on an uncompiled set too (it compiles what it can).
 */
typedef void (*kt_check_cb)(const struct kt_error *problem, void *userdata);
int kt_ruleset_check(struct kt_ruleset *rs, kt_check_cb cb, void *userdata);

/* Number of examples run by the last kt_ruleset_check(). */
size_t kt_ruleset_examples_checked(const struct kt_ruleset *rs);

#endif
