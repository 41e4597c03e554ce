/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules-internal.h - private layout of the rule set, shared by rules.c
 * (loading), classify.c (prefilter, matching) and rules-check.c.
 * Not installed; nothing outside those files includes it.
 */
#ifndef KT_RULES_INTERNAL_H
#define KT_RULES_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kt-rules.h"

struct rule_example {
	char *text;
	bool expect_match;
	unsigned line;
	unsigned nfields;
	char **names;		/* expected fields: names[i] = values[i] */
	char **values;
};

struct rule_group {
	char *name;
	unsigned number;
};

struct kt_rule {
	char *id, *category, *explain, *advice, *pattern, *subsystem;
	char *literal;		/* required literal, case-folded; "" if none */
	char *anchor;		/* folded literal prefix of every match ("^usb "); "" if none */
	bool literal_declared;
	char **tags;
	size_t ntags;
	int severity;
	int priority;
	const char *file;	/* interned in the rule set */
	unsigned line;
	size_t load_index;	/* order of loading, for a stable sort */
	size_t index;		/* position after compile */
	pcre2_code *code;	/* NULL if the pattern did not compile */
	uint32_t capture_count;
	unsigned ngroups;
	struct rule_group groups[KT_MATCH_MAX_FIELDS];
	struct rule_example *examples;
	size_t nexamples;
};

struct prefilter;

struct watch_lit {
	char *lit;		/* folded, NUL-terminated */
	size_t len;
	bool anchored;
};

struct kt_ruleset {
	struct kt_rule **rules;
	size_t nrules, cap;
	char **files;		/* interned file names */
	size_t nfiles, files_cap;
	size_t nrule_files;
	struct kt_error *problems;	/* recorded while loading/compiling */
	size_t nproblems, problems_cap;
	bool compiled;
	uint32_t max_capture;
	struct prefilter *pf;
	struct watch_lit *watch;
	size_t nwatch;
	size_t examples_checked;
};

/* rules.c */
void kt_rules_problem(struct kt_ruleset *rs, const struct kt_error *e);

/* classify.c */
struct prefilter *kt_prefilter_build(struct kt_rule *const *rules, size_t n,
				     const struct watch_lit *watch, size_t nwatch);
void kt_prefilter_free(struct prefilter *pf);
/* Fold a byte for the prefilter (ASCII lower-case). */
static inline unsigned char kt_fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}
/* Literal derivation: the longest literal run every match must contain. */
char *kt_rules_derive_literal(const char *pattern);
/* The literal prefix every match starts with, for a pattern anchored by '^'. */
char *kt_rules_derive_anchor(const char *pattern);
/* Does folded literal occur in text (folded)? */
bool kt_rules_literal_in(const char *literal, const char *text, size_t len);

#endif
