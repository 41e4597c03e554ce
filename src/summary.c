// SPDX-License-Identifier: GPL-2.0-or-later
/* summary.c - counts and report groups for the triage summary. */
#include <stdlib.h>
#include <string.h>

#include "kt-escape.h"
#include "kt-summary.h"
#include "kt-xalloc.h"

struct sig_entry {
	uint64_t key;		/* signature as a number; 0 = empty slot */
	char *title;
	char *kind;
	char *taint;
	char *source;
	uint64_t count;
	char *frame;		/* the guilty (or first) frame, symbolized */
	uint64_t first_line, last_line;
	int64_t first_usec, last_usec;
	bool corrupted;
};

struct boot_entry {
	char *source;
	unsigned int boot;
	uint64_t messages, reports;
	int worst;
	int64_t first_usec, last_usec;
};

#define MAX_BOOTS 1024

struct rule_entry {
	char *id;		/* own copies: the rule set may be reloaded */
	char *category;
	int severity;
	bool hardware;
	uint64_t count;
	char *explanation;	/* first rendered explanation */
	char *advice;
};

struct kt_summary {
	uint64_t messages;
	uint64_t by_level[9];	/* 0..7, 8 = unknown */
	uint64_t lost;
	uint64_t reports;
	uint64_t reports_untracked;	/* past the signature cap */
	int worst;
	size_t max_sigs;
	struct sig_entry *sigs;	/* open addressing, power-of-two size */
	size_t sig_cap, n_sigs;
	struct rule_entry *rules;
	size_t rule_cap, n_rules;
	struct boot_entry *boots;
	size_t n_boots;
	uint64_t boots_untracked;
	const char *last_src;	/* the current input's line->source: a pointer
				 * compared by value, so forgotten when the
				 * input ends (its memory may be reused) */
	unsigned int last_boot;
	size_t last_idx;
};

struct kt_summary *kt_summary_new(size_t max_signatures)
{
	struct kt_summary *s = kt_xcalloc(1, sizeof(*s));

	s->max_sigs = max_signatures ? max_signatures : KT_SUMMARY_MAX_SIGNATURES;
	s->worst = KT_LEVEL_UNKNOWN;
	s->sig_cap = 64;
	s->sigs = kt_xcalloc(s->sig_cap, sizeof(*s->sigs));
	s->rule_cap = 64;
	s->rules = kt_xcalloc(s->rule_cap, sizeof(*s->rules));
	return s;
}

void kt_summary_free(struct kt_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->sig_cap; i++) {
		free(s->sigs[i].title);
		free(s->sigs[i].kind);
		free(s->sigs[i].taint);
		free(s->sigs[i].source);
		free(s->sigs[i].frame);
	}
	for (size_t i = 0; i < s->n_boots; i++)
		free(s->boots[i].source);
	free(s->boots);
	for (size_t i = 0; i < s->rule_cap; i++) {
		free(s->rules[i].id);
		free(s->rules[i].category);
		free(s->rules[i].explanation);
		free(s->rules[i].advice);
	}
	free(s->sigs);
	free(s->rules);
	free(s);
}

static uint64_t str_hash(const char *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* The boot a message or report belongs to (the last one, usually). */
static struct boot_entry *boot_slot(struct kt_summary *s, const char *source, unsigned int boot)
{
	const char *src = source ? source : "-";

	for (size_t i = s->n_boots; i-- > 0;) {
		if (s->boots[i].boot == boot && !strcmp(s->boots[i].source, src))
			return &s->boots[i];
		if (s->n_boots - i > 8)
			break;	/* recent ones only: inputs come one after another */
	}
	if (s->n_boots >= MAX_BOOTS)
		return NULL;
	s->boots = kt_xrealloc(s->boots, (s->n_boots + 1) * sizeof(*s->boots));
	memset(&s->boots[s->n_boots], 0, sizeof(*s->boots));
	s->boots[s->n_boots].source = kt_xstrdup(src);
	s->boots[s->n_boots].boot = boot;
	s->boots[s->n_boots].worst = KT_LEVEL_UNKNOWN;
	s->boots[s->n_boots].first_usec = KT_TIME_NONE;
	s->boots[s->n_boots].last_usec = KT_TIME_NONE;
	return &s->boots[s->n_boots++];
}

/*
 * The same for a line, whose source stays valid (at the same address) until
 * kt_summary_end_input(): the same input and boot as the previous line is
 * told by the address, without comparing names.  (A report's copy of the
 * name may be freed, and its address reused, at any time.)
 */
static struct boot_entry *line_boot_slot(struct kt_summary *s, const char *source,
					 unsigned int boot)
{
	struct boot_entry *b;

	if (source && source == s->last_src && boot == s->last_boot)
		return &s->boots[s->last_idx];
	b = boot_slot(s, source, boot);
	s->last_src = b ? source : NULL;
	s->last_boot = boot;
	if (b)
		s->last_idx = (size_t)(b - s->boots);
	return b;
}

void kt_summary_end_input(struct kt_summary *s)
{
	s->last_src = NULL;
}

static void note_level(struct kt_summary *s, int level)
{
	s->by_level[level >= 0 && level <= 7 ? level : 8]++;
	if (level >= 0 && (s->worst == KT_LEVEL_UNKNOWN || level < s->worst))
		s->worst = level;
}

static struct rule_entry *rule_slot(struct kt_summary *s, const char *id)
{
	size_t mask, i;

	if (s->n_rules * 2 >= s->rule_cap) {
		struct rule_entry *old = s->rules;
		size_t oldcap = s->rule_cap;

		if (s->rule_cap >= KT_SUMMARY_MAX_RULES * 2)
			goto lookup;
		s->rule_cap *= 2;
		s->rules = kt_xcalloc(s->rule_cap, sizeof(*s->rules));
		for (size_t k = 0; k < oldcap; k++) {
			if (!old[k].id)
				continue;
			i = str_hash(old[k].id) & (s->rule_cap - 1);
			while (s->rules[i].id)
				i = (i + 1) & (s->rule_cap - 1);
			s->rules[i] = old[k];
		}
		free(old);
	}
lookup:
	mask = s->rule_cap - 1;
	i = str_hash(id) & mask;
	for (size_t probes = 0; probes < s->rule_cap; probes++) {
		if (s->rules[i].id && !strcmp(s->rules[i].id, id))
			return &s->rules[i];
		if (!s->rules[i].id) {
			if (s->n_rules * 2 >= s->rule_cap)
				return NULL;	/* cap reached */
			s->rules[i].id = kt_xstrdup(id);
			s->n_rules++;
			return &s->rules[i];
		}
		i = (i + 1) & mask;
	}
	return NULL;
}

void kt_summary_add_line(struct kt_summary *s, const struct kt_line *line,
			 const struct kt_annotation *ann)
{
	int eff = line->level;

	struct boot_entry *b;

	s->messages++;
	if (ann && ann->severity >= 0 && (eff < 0 || ann->severity < eff))
		eff = ann->severity;
	note_level(s, eff);
	b = line_boot_slot(s, line->source, line->boot);
	if (b) {
		b->messages++;
		if (eff >= 0 && (b->worst < 0 || eff < b->worst))
			b->worst = eff;
		if (line->mono_usec != KT_TIME_NONE) {
			if (b->first_usec == KT_TIME_NONE)
				b->first_usec = line->mono_usec;
			b->last_usec = line->mono_usec;
		}
	} else {
		s->boots_untracked++;
	}
	if (ann && ann->rule) {
		struct rule_entry *e = rule_slot(s, ann->rule);

		if (e) {
			if (!e->count) {
				e->category = kt_xstrdup(ann->category ? ann->category : "");
				e->severity = ann->severity;
				e->hardware = ann->hardware;
				if (ann->explanation)
					e->explanation = kt_xmemdup0(ann->explanation,
								     ann->explanation_len);
				if (ann->advice)
					e->advice = kt_xstrdup(ann->advice);
			}
			e->count++;
		}
	}
}

/* A lookup only: an entry made here would have no category until counted. */
static const struct rule_entry *rule_find(const struct kt_summary *s, const char *id)
{
	size_t mask = s->rule_cap - 1, i = str_hash(id) & mask;

	for (size_t probes = 0; probes < s->rule_cap && s->rules[i].id; probes++) {
		if (!strcmp(s->rules[i].id, id))
			return &s->rules[i];
		i = (i + 1) & mask;
	}
	return NULL;
}

bool kt_summary_knows_rule(struct kt_summary *s, const char *id)
{
	const struct rule_entry *e = rule_find(s, id);

	return e && e->count > 0;
}

void kt_summary_add_lost(struct kt_summary *s, uint64_t count)
{
	s->lost += count;
}

static void grow_sigs(struct kt_summary *s)
{
	struct sig_entry *old = s->sigs;
	size_t oldcap = s->sig_cap;

	s->sig_cap *= 2;
	s->sigs = kt_xcalloc(s->sig_cap, sizeof(*s->sigs));
	for (size_t k = 0; k < oldcap; k++) {
		size_t i;

		if (!old[k].key)
			continue;
		i = mix(old[k].key) & (s->sig_cap - 1);
		while (s->sigs[i].key)
			i = (i + 1) & (s->sig_cap - 1);
		s->sigs[i] = old[k];
	}
	free(old);
}

/* "func+0x1a/0x30 [mod] fs/foo.c:12" of the guilty or first frame */
static char *frame_text(const struct kt_report *r)
{
	const struct kt_frame *f = r->has_guilty ? &r->guilty : r->n_frames ? &r->frames[0] : NULL;
	struct kt_strbuf sb = KT_STRBUF_INIT;

	if (!f || !f->func)
		return NULL;
	kt_strbuf_init(&sb, 64);
	kt_strbuf_addstr(&sb, f->func);
	if (f->has_offset && f->has_size)
		kt_strbuf_addf(&sb, "+0x%llx/0x%llx", (unsigned long long)f->offset,
			       (unsigned long long)f->size);
	if (f->module)
		kt_strbuf_addf(&sb, " [%s]", f->module);
	if (f->file)
		kt_strbuf_addf(&sb, " %s:%u", f->file, f->line);
	return sb.buf;
}

static char *dup_or_null(const char *p)
{
	return p ? kt_xstrdup(p) : NULL;
}

void kt_summary_add_report(struct kt_summary *s, const struct kt_report *r)
{
	uint64_t key = strtoull(r->signature, NULL, 16);
	size_t i;

	struct boot_entry *b = boot_slot(s, r->source, r->boot);

	if (b)
		b->reports++;
	if (!key)
		key = 1;	/* 0 marks an empty slot */
	s->reports++;
	if (s->n_sigs * 2 >= s->sig_cap && s->n_sigs < s->max_sigs)
		grow_sigs(s);
	i = mix(key) & (s->sig_cap - 1);
	while (s->sigs[i].key && s->sigs[i].key != key)
		i = (i + 1) & (s->sig_cap - 1);
	if (!s->sigs[i].key) {
		if (s->n_sigs >= s->max_sigs) {
			s->reports_untracked++;
			return;
		}
		s->n_sigs++;
		s->sigs[i].key = key;
		s->sigs[i].title = dup_or_null(r->title);
		s->sigs[i].kind = dup_or_null(r->kind);
		s->sigs[i].taint = dup_or_null(r->taint);
		s->sigs[i].source = dup_or_null(r->source);
		s->sigs[i].first_line = r->first_line;
		s->sigs[i].first_usec = r->first_usec;
		s->sigs[i].corrupted = r->corrupted;
		s->sigs[i].frame = frame_text(r);
	}
	s->sigs[i].count++;
	s->sigs[i].last_line = r->first_line;
	s->sigs[i].last_usec = r->first_usec;
}

uint64_t kt_summary_reports(const struct kt_summary *s)
{
	return s->reports;
}

int kt_summary_worst_level(const struct kt_summary *s)
{
	return s->worst;
}

/* ---- rendering ----------------------------------------------------------- */

static int cmp_sig(const void *a, const void *b)
{
	const struct sig_entry *x = *(const struct sig_entry *const *)a;
	const struct sig_entry *y = *(const struct sig_entry *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct rule_entry *x = *(const struct rule_entry *const *)a;
	const struct rule_entry *y = *(const struct rule_entry *const *)b;

	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->id, y->id);
}

static const struct sig_entry **sorted_sigs(const struct kt_summary *s)
{
	const struct sig_entry **v = kt_xcalloc(s->n_sigs + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < s->sig_cap; i++)
		if (s->sigs[i].key)
			v[n++] = &s->sigs[i];
	qsort(v, n, sizeof(*v), cmp_sig);
	return v;
}

static const struct rule_entry **sorted_rules(const struct kt_summary *s)
{
	const struct rule_entry **v = kt_xcalloc(s->n_rules + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < s->rule_cap; i++)
		if (s->rules[i].id)
			v[n++] = &s->rules[i];
	qsort(v, n, sizeof(*v), cmp_rule);
	return v;
}

static void add_time(struct kt_strbuf *out, int64_t usec)
{
	if (usec == KT_TIME_NONE)
		return;
	kt_strbuf_addstr(out, " (");
	kt_strbuf_add_usec(out, usec);
	kt_strbuf_addstr(out, " s)");
}

static void json_time(struct kt_strbuf *out, int64_t usec)
{
	if (usec == KT_TIME_NONE)
		kt_strbuf_addstr(out, "null");
	else
		kt_strbuf_add_usec(out, usec);
}

static void text_str(struct kt_strbuf *out, const char *s)
{
	if (s)
		kt_escape_term(out, s, strlen(s));
	else
		kt_strbuf_addch(out, '-');
}

void kt_summary_render_text(const struct kt_summary *s, struct kt_strbuf *out,
			    const struct kt_text_style *style)
{
	const struct sig_entry **sigs = sorted_sigs(s);
	const struct rule_entry **rules = sorted_rules(s);
	const char *b = style->color ? "\033[1m" : "", *r = style->color ? "\033[0m" : "";

	kt_strbuf_addf(out, "\n%s== Summary ==%s\n", b, r);
	kt_strbuf_addf(out, "%llu messages, %llu crash reports (%zu distinct)",
		       (unsigned long long)s->messages, (unsigned long long)s->reports, s->n_sigs);
	if (s->lost)
		kt_strbuf_addf(out, ", %llu messages lost", (unsigned long long)s->lost);
	kt_strbuf_addch(out, '\n');
	if (s->n_sigs) {
		kt_strbuf_addf(out, "\n%sCrash reports%s (by signature, most frequent first)\n", b, r);
		for (size_t i = 0; i < s->n_sigs; i++) {
			const struct sig_entry *e = sigs[i];

			kt_strbuf_addf(out, "  %5llux  ", (unsigned long long)e->count);
			text_str(out, e->title);
			kt_strbuf_addstr(out, "  [");
			text_str(out, e->kind);
			kt_strbuf_addf(out, ", %016llx", (unsigned long long)(e->key));
			if (e->corrupted)
				kt_strbuf_addstr(out, ", corrupted");
			if (e->taint && *e->taint) {
				kt_strbuf_addstr(out, ", taint ");
				text_str(out, e->taint);
			}
			kt_strbuf_addf(out, "]\n         first: line %llu", (unsigned long long)e->first_line);
			add_time(out, e->first_usec);
			kt_strbuf_addf(out, ", last: line %llu", (unsigned long long)e->last_line);
			add_time(out, e->last_usec);
			kt_strbuf_addch(out, '\n');
			if (e->frame) {
				kt_strbuf_addstr(out, "         at: ");
				text_str(out, e->frame);
				kt_strbuf_addch(out, '\n');
			}
		}
		if (s->reports_untracked)
			kt_strbuf_addf(out, "  (signature cap of %zu reached: %llu more reports not "
				       "grouped)\n", s->max_sigs,
				       (unsigned long long)s->reports_untracked);
	}
	if (s->n_rules) {
		bool any = false;

		for (size_t i = 0; i < s->n_rules; i++) {
			const struct rule_entry *e = rules[i];

			if (!e->hardware)
				continue;
			if (!any)
				kt_strbuf_addf(out, "\n%sHardware and firmware hints%s (check the "
					       "machine, not only the kernel)\n", b, r);
			any = true;
			kt_strbuf_addf(out, "  %-6s %7llux  %s\n",
				       kt_level_name(e->severity) ? kt_level_name(e->severity) : "-",
				       (unsigned long long)e->count, e->id);
			if (e->advice) {
				kt_strbuf_addstr(out, "                   ");
				text_str(out, e->advice);
				kt_strbuf_addch(out, '\n');
			}
		}
		kt_strbuf_addf(out, "\n%sFindings%s (by severity, then count)\n", b, r);
		for (size_t i = 0; i < s->n_rules; i++) {
			const struct rule_entry *e = rules[i];

			kt_strbuf_addf(out, "  %-6s %7llux  %s  [%s%s]\n",
				       kt_level_name(e->severity) ? kt_level_name(e->severity) : "-",
				       (unsigned long long)e->count, e->id, e->category,
				       e->hardware ? ", hardware" : "");
			if (e->explanation) {
				kt_strbuf_addstr(out, "                   ");
				text_str(out, e->explanation);
				kt_strbuf_addch(out, '\n');
			}
		}
	}
	if (s->n_boots > 1) {
		kt_strbuf_addf(out, "\n%sBoots%s\n", b, r);
		for (size_t i = 0; i < s->n_boots; i++) {
			const struct boot_entry *e = &s->boots[i];

			kt_strbuf_addstr(out, "  ");
			text_str(out, e->source);
			kt_strbuf_addf(out, " boot %u: %llu messages, %llu reports, worst %s",
				       e->boot, (unsigned long long)e->messages,
				       (unsigned long long)e->reports,
				       kt_level_name(e->worst) ? kt_level_name(e->worst) : "-");
			if (e->first_usec != KT_TIME_NONE) {
				kt_strbuf_addstr(out, ", ");
				kt_strbuf_add_usec(out, e->first_usec);
				kt_strbuf_addstr(out, "-");
				kt_strbuf_add_usec(out, e->last_usec);
				kt_strbuf_addstr(out, " s");
			}
			kt_strbuf_addch(out, '\n');
		}
	}
	kt_strbuf_addf(out, "\n%sLevels%s:", b, r);
	for (int i = 0; i <= 8; i++)
		if (s->by_level[i])
			kt_strbuf_addf(out, " %s %llu", i < 8 ? kt_level_name(i) : "unknown",
				       (unsigned long long)s->by_level[i]);
	kt_strbuf_addch(out, '\n');
	free(sigs);
	free(rules);
}

void kt_summary_render_json(const struct kt_summary *s, struct kt_strbuf *out, int exit_status)
{
	const struct sig_entry **sigs = sorted_sigs(s);
	const struct rule_entry **rules = sorted_rules(s);

	kt_strbuf_addf(out, "{\"type\":\"summary\",\"messages\":%llu,\"lost\":%llu,\"levels\":{",
		       (unsigned long long)s->messages, (unsigned long long)s->lost);
	for (int i = 0, first = 1; i <= 8; i++) {
		if (!s->by_level[i])
			continue;
		kt_strbuf_addf(out, "%s\"%s\":%llu", first ? "" : ",",
			       i < 8 ? kt_level_name(i) : "unknown",
			       (unsigned long long)s->by_level[i]);
		first = 0;
	}
	kt_strbuf_addstr(out, "},\"categories\":{");
	/* categories: sum of their rules */
	for (size_t i = 0, first = 1; i < s->n_rules; i++) {
		uint64_t n = 0;
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			if (!strcmp(rules[k]->category, rules[i]->category))
				seen = true;
		if (seen)
			continue;
		for (size_t k = i; k < s->n_rules; k++)
			if (!strcmp(rules[k]->category, rules[i]->category))
				n += rules[k]->count;
		if (!first)
			kt_strbuf_addch(out, ',');
		kt_json_cstr(out, rules[i]->category);
		kt_strbuf_addf(out, ":%llu", (unsigned long long)n);
		first = 0;
	}
	kt_strbuf_addstr(out, "},\"rules\":[");
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct rule_entry *e = rules[i];

		kt_strbuf_addstr(out, i ? ",{\"rule\":" : "{\"rule\":");
		kt_json_cstr(out, e->id);
		kt_strbuf_addstr(out, ",\"category\":");
		kt_json_cstr(out, e->category);
		kt_strbuf_addstr(out, ",\"severity\":");
		kt_json_cstr(out, kt_level_name(e->severity));
		kt_strbuf_addf(out, ",\"hardware\":%s,\"count\":%llu,\"explanation\":",
			       e->hardware ? "true" : "false", (unsigned long long)e->count);
		kt_json_cstr(out, e->explanation);
		kt_strbuf_addstr(out, ",\"advice\":");
		kt_json_cstr(out, e->advice);
		kt_strbuf_addch(out, '}');
	}
	kt_strbuf_addf(out, "],\"reports\":%llu,\"report_groups\":[", (unsigned long long)s->reports);
	for (size_t i = 0; i < s->n_sigs; i++) {
		const struct sig_entry *e = sigs[i];

		kt_strbuf_addf(out, "%s{\"signature\":\"%016llx\",\"title\":", i ? "," : "",
			       (unsigned long long)e->key);
		kt_json_cstr(out, e->title);
		kt_strbuf_addstr(out, ",\"kind\":");
		kt_json_cstr(out, e->kind);
		kt_strbuf_addf(out, ",\"count\":%llu,\"first\":{\"source\":",
			       (unsigned long long)e->count);
		kt_json_cstr(out, e->source);
		kt_strbuf_addf(out, ",\"line\":%llu,\"time\":", (unsigned long long)e->first_line);
		json_time(out, e->first_usec);
		kt_strbuf_addf(out, "},\"last\":{\"line\":%llu,\"time\":",
			       (unsigned long long)e->last_line);
		json_time(out, e->last_usec);
		kt_strbuf_addstr(out, "},\"frame\":");
		kt_json_cstr(out, e->frame);
		kt_strbuf_addstr(out, ",\"taint\":");
		kt_json_cstr(out, e->taint);
		kt_strbuf_addf(out, ",\"corrupted\":%s}", e->corrupted ? "true" : "false");
	}
	kt_strbuf_addstr(out, "],\"boots\":[");
	for (size_t i = 0; i < s->n_boots; i++) {
		const struct boot_entry *e = &s->boots[i];

		kt_strbuf_addstr(out, i ? ",{\"source\":" : "{\"source\":");
		kt_json_cstr(out, e->source);
		kt_strbuf_addf(out, ",\"boot\":%u,\"messages\":%llu,\"reports\":%llu,\"worst\":",
			       e->boot, (unsigned long long)e->messages,
			       (unsigned long long)e->reports);
		kt_json_cstr(out, kt_level_name(e->worst));
		kt_strbuf_addstr(out, ",\"first_time\":");
		json_time(out, e->first_usec);
		kt_strbuf_addstr(out, ",\"last_time\":");
		json_time(out, e->last_usec);
		kt_strbuf_addch(out, '}');
	}
	kt_strbuf_addf(out, "],\"signatures_capped\":%s,\"exit_status\":%d}\n",
		       s->reports_untracked ? "true" : "false", exit_status);
	free(sigs);
	free(rules);
}
