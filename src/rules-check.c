// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules-check.c - kt_ruleset_check(): run every rule's examples and report
 * each problem as a located struct kt_error ("file:line: rule-id: ...").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules-internal.h"

static void report(kt_check_cb cb, void *ud, const struct kt_rule *r, unsigned line,
		   int *count, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(kt_check_cb cb, void *ud, const struct kt_rule *r, unsigned line,
		   int *count, const char *fmt, ...)
{
	struct kt_error e;
	va_list ap;

	kt_error_set(&e, r->file, line, 0, r->id, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	(*count)++;
	if (cb)
		cb(&e, ud);
}

/* Brute force: first rule in order that matches, with no prefilter. */
static const struct kt_rule *first_match(const struct kt_ruleset *rs, pcre2_match_data *md,
					 pcre2_match_context *mctx, const char *s, size_t n)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct kt_rule *r = rs->rules[i];

		if (r->code && pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, 0, md, mctx) >= 0)
			return r;
	}
	return NULL;
}

static void check_fields(const struct kt_rule *r, const struct rule_example *ex,
			 const struct kt_match *m, kt_check_cb cb, void *ud, int *count)
{
	for (unsigned f = 0; f < ex->nfields; f++) {
		size_t len;
		const char *v = kt_match_field(m, ex->names[f], &len);

		if (!v)
			report(cb, ud, r, ex->line, count,
			       "example field '%s' expected '%s', but the group did not match",
			       ex->names[f], ex->values[f]);
		else if (strlen(ex->values[f]) != len || memcmp(v, ex->values[f], len) != 0)
			report(cb, ud, r, ex->line, count,
			       "example field '%s' expected '%s', got '%.*s'", ex->names[f],
			       ex->values[f], (int)len, v);
	}
}

int kt_ruleset_check(struct kt_ruleset *rs, kt_check_cb cb, void *userdata)
{
	struct kt_classifier *c;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	int count = 0, r;

	(void)kt_ruleset_compile(rs, NULL);
	for (size_t i = 0; i < rs->nproblems; i++) {
		count++;
		if (cb)
			cb(&rs->problems[i], userdata);
	}
	r = kt_classifier_new(rs, &c);
	if (r < 0)
		return r;
	md = pcre2_match_data_create(rs->max_capture + 1, NULL);
	mctx = pcre2_match_context_create(NULL);
	if (!md || !mctx) {
		pcre2_match_data_free(md);
		pcre2_match_context_free(mctx);
		kt_classifier_free(c);
		return -ENOMEM;
	}
	pcre2_set_match_limit(mctx, KT_RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, KT_RULES_DEPTH_LIMIT);
	rs->examples_checked = 0;

	for (size_t i = 0; i < rs->nrules; i++) {
		const struct kt_rule *rule = rs->rules[i];

		if (!rule->code)
			continue;
		for (size_t e = 0; e < rule->nexamples; e++) {
			const struct rule_example *ex = &rule->examples[e];
			size_t n = strlen(ex->text);
			const struct kt_rule *got, *brute;
			struct kt_match m;
			int rc;

			rs->examples_checked++;
			rc = pcre2_match(rule->code, (PCRE2_SPTR)ex->text, n, 0, 0, md, mctx);
			if (!ex->expect_match) {
				if (rc >= 0)
					report(cb, userdata, rule, ex->line, &count,
					       "nomatch example matches: '%s'", ex->text);
				continue;
			}
			if (rc < 0) {
				report(cb, userdata, rule, ex->line, &count,
				       rc == PCRE2_ERROR_NOMATCH ?
				       "match example does not match: '%s'" :
				       "match example hits the match limit: '%s'", ex->text);
				continue;
			}
			if (!kt_rules_literal_in(rule->literal, ex->text, n)) {
				report(cb, userdata, rule, ex->line, &count,
				       "literal '%s' does not occur in match example '%s' "
				       "(the prefilter would skip it)", rule->literal, ex->text);
				continue;
			}
			brute = first_match(rs, md, mctx, ex->text, n);
			got = kt_classify(c, ex->text, n, NULL, 0, &m);
			if (brute != rule) {
				report(cb, userdata, rule, ex->line, &count,
				       "match example is taken by earlier rule '%s' (%s:%u): '%s'",
				       brute ? brute->id : "?", brute ? brute->file : "?",
				       brute ? brute->line : 0, ex->text);
				continue;
			}
			if (got != rule) {
				report(cb, userdata, rule, ex->line, &count,
				       "classifier picks '%s', brute force picks this rule: '%s'",
				       got ? got->id : "(none)", ex->text);
				continue;
			}
			check_fields(rule, ex, &m, cb, userdata, &count);
		}
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	kt_classifier_free(c);
	return count;
}
