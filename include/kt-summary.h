/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-summary.h - the triage summary: counts per level, per category and
 * rule, and crash reports grouped by signature.
 *
 * Memory is bounded: at most max_signatures distinct report signatures and
 * KT_SUMMARY_MAX_RULES distinct rules are tracked; past that, reports are
 * still counted in the totals and the summary says the cap was hit.
 * Ownership: kt_summary_new() returns an object freed with kt_summary_free();
 * it keeps its own copies of titles and names.
 */
#ifndef KT_SUMMARY_H
#define KT_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "kt-line.h"
#include "kt-render.h"
#include "kt-report.h"
#include "kt-strbuf.h"

#define KT_SUMMARY_MAX_SIGNATURES 100000
#define KT_SUMMARY_MAX_RULES 65536

struct kt_summary;

struct kt_summary *kt_summary_new(size_t max_signatures);
void kt_summary_free(struct kt_summary *s);

/* line->source must stay valid (at the same address, with the same name)
 * until the input ends: kt_summary_end_input() */
void kt_summary_add_line(struct kt_summary *s, const struct kt_line *line,
			 const struct kt_annotation *ann);
/* One input ended: the name its lines pointed to may be freed, and another
 * allocated at its address. */
void kt_summary_end_input(struct kt_summary *s);
void kt_summary_add_report(struct kt_summary *s, const struct kt_report *r);
void kt_summary_add_lost(struct kt_summary *s, uint64_t count);
/* Has this rule been counted already?  (Its explanation is kept from the
 * first hit, so later ones need not be rendered.) */
bool kt_summary_knows_rule(struct kt_summary *s, const char *id);

uint64_t kt_summary_reports(const struct kt_summary *s);
/* most severe effective level seen, or KT_LEVEL_UNKNOWN */
int kt_summary_worst_level(const struct kt_summary *s);

void kt_summary_render_text(const struct kt_summary *s, struct kt_strbuf *out,
			    const struct kt_text_style *style);
void kt_summary_render_json(const struct kt_summary *s, struct kt_strbuf *out, int exit_status);

#endif
