// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-filter.c - a literal prefilter in front of the report patterns the
 * assembler tries on every line of an open report.
 *
 * pcre2_match() costs a few hundred instructions even when it fails on the
 * first byte, and most lines of a report (frames, registers, memory dumps)
 * match none of the stack headers, end markers or fields.  Each pattern of a
 * list gives one needle that any match must contain:
 *  - an anchored prefix: the literal run right after '^' (or after a
 *    leading '\s*' / ' *', then looked for after the line's leading blanks),
 *    tested with one table lookup and a compare;
 *  - else the longest run of literal bytes at the top level of the pattern
 *    (outside groups, classes and optional quantifiers), searched by its
 *    rarest byte with memchr.
 * A pattern with neither (or with inline options, or escapes taking
 * arguments) makes the filter pass everything.  The filter only says "may
 * match": pcre2 still decides, so a superset is always safe.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "kt-xalloc.h"

#define IS_BLANK(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\v' || \
		     (c) == '\f' || (c) == '\r')

/* p at '[': the byte after the closing ']' (or the end) */
static const char *skip_class(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']') {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '[' && p + 1 < end && p[1] == ':') {
			const char *e = memmem(p + 2, (size_t)(end - p - 2), ":]", 2);

			if (e)
				p = e + 1;
		}
		p++;
	}
	return p < end ? p + 1 : end;
}

/* p at '(': the byte after the matching ')' (or the end) */
static const char *skip_group(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '\\' && p + 1 < end) {
			p += 2;
			continue;
		}
		if (*p == '[') {
			p = skip_class(p, end);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

/* The next '|' or ')' at the top level of the group body at p, or end. */
static const char *next_alt(const char *p, const char *end)
{
	while (p < end && *p != ')' && *p != '|') {
		if (*p == '\\' && p + 1 < end)
			p += 2;
		else if (*p == '[')
			p = skip_class(p, end);
		else if (*p == '(')
			p = skip_group(p, end);
		else
			p++;
	}
	return p < end ? p : end;
}

/* Does the group body at p (up to its ')') hold a '|' at its top level? */
static bool has_alternation(const char *p, const char *end)
{
	p = next_alt(p, end);
	return p < end && *p == '|';
}

/* p at '(': the start of the body of a capturing, named or (?: group, or
 * NULL for other kinds (lookaround, options, conditionals, ...). */
static const char *group_body(const char *p, const char *end)
{
	if (end - p < 4)
		return NULL;
	if (p[1] == '*')
		return NULL;
	if (p[1] != '?')
		return p + 1;
	if (p[2] == ':')
		return p + 3;
	if ((p[2] == '<' && p[3] != '=' && p[3] != '!') || (p[2] == 'P' && p[3] == '<') ||
	    p[2] == '\'') {
		const char *e = memchr(p + 3, p[2] == '\'' ? '\'' : '>', (size_t)(end - p - 3));

		return e ? e + 1 : NULL;
	}
	return NULL;
}

/* At a quantifier?  Sets *optional if it allows zero repetitions; returns
 * its end, or NULL if there is none. */
static const char *quantifier(const char *p, const char *end, bool *optional)
{
	*optional = false;
	if (p >= end)
		return NULL;
	if (*p == '?' || *p == '*') {
		*optional = true;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		unsigned long lo = 0;
		bool digits = false;

		while (q < end && *q >= '0' && *q <= '9') {
			lo = lo * 10 + (unsigned long)(*q - '0');
			q++;
			digits = true;
		}
		if (q < end && *q == ',') {
			q++;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
		}
		if (!digits || q >= end || *q != '}')
			return NULL;	/* a literal '{' */
		*optional = lo == 0;
		p = q + 1;
	} else {
		return NULL;
	}
	if (p < end && (*p == '?' || *p == '+'))
		p++;	/* lazy / possessive */
	return p;
}

/* Inline options ((?i), (?x:...)) or verbs ((*UTF)) change what literals
 * mean: no needle then. */
static bool has_options(const char *p, const char *end)
{
	for (; p + 2 < end; p++) {
		const char *q;

		if (*p == '\\') {
			p++;
			continue;
		}
		if (p[0] == '(' && p[1] == '*')
			return true;
		if (p[0] != '(' || p[1] != '?')
			continue;
		q = p + 2;
		while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
				   *q == '^' || *q == '-'))
			q++;
		if (q > p + 2 && q < end && (*q == ':' || *q == ')'))
			return true;
	}
	return false;
}

/* How often a byte shows up in kernel log text (lower is rarer): its rank
 * among the most common bytes of the shared corpus, most common first. */
static unsigned int byte_cost(unsigned char c)
{
	static const char common[] = " 01ef2843a_65[]c97xrt.dos:inlb/p+mukTR=Cg-hSvIyP";
	const char *q = c ? strchr(common, c) : NULL;

	return q ? (unsigned int)(sizeof(common) - (size_t)(q - common)) : 0;
}

struct needle_scan {
	char run[KT_FILTER_NEEDLE];
	size_t run_len;
	bool run_at_start;
	char best[KT_FILTER_NEEDLE];
	size_t best_len;
	bool best_at_start;	/* best is the anchored run */
	char anchor[KT_FILTER_NEEDLE];
	size_t anchor_len;
};

static void end_run(struct needle_scan *ns)
{
	bool at_start = ns->run_at_start;

	if (ns->run_at_start) {
		memcpy(ns->anchor, ns->run, ns->run_len);
		ns->anchor_len = ns->run_len;
		ns->run_at_start = false;
	}
	if (ns->run_len > ns->best_len) {
		memcpy(ns->best, ns->run, ns->run_len);
		ns->best_len = ns->run_len;
		ns->best_at_start = at_start;
	}
	ns->run_len = 0;
}

/* (s, len) as a floating needle, searched by its rarest byte */
static void floating_needle(const char *s, size_t len, struct kt_filter_needle *ret)
{
	unsigned int best = ~0u;
	size_t i;

	memset(ret, 0, sizeof(*ret));
	memcpy(ret->s, s, len);
	ret->len = len;
	for (i = 0; i < len; i++) {
		unsigned int cost = byte_cost((unsigned char)s[i]);

		if (cost < best) {
			best = cost;
			ret->rare = i;
		}
	}
}

/*
 * The needle of one branch [p, end) (no '|' at its top level); false: none.
 * With 'inner', the longest literal run that is not the anchored prefix,
 * if it has INNER_MIN bytes (false otherwise).
 */
#define INNER_MIN 4

static bool branch_needle_of(const char *p, const char *end, struct kt_filter_needle *ret,
			     bool inner)
{
	struct needle_scan ns;
	bool anchored = false, ws = false;
	unsigned int depth = 0;	/* groups entered (see below) */

	memset(&ns, 0, sizeof(ns));
	if (p < end && *p == '^') {
		anchored = true;
		p++;
		if (end - p >= 3 && (!memcmp(p, "\\s*", 3) || !memcmp(p, "\\s+", 3))) {
			ws = true;
			p += 3;
		} else if (end - p >= 2 && (!memcmp(p, " *", 2) || !memcmp(p, " +", 2))) {
			ws = true;
			p += 2;
		}
	}
	ns.run_at_start = anchored;
	while (p < end) {
		const char *next;
		int c = -1;
		bool opt;

		if (*p == '\\') {
			unsigned char e = p + 1 < end ? (unsigned char)p[1] : 0;

			/* escapes with arguments, octal codes and back
			 * references: be safe */
			if (!e || strchr("QExpPgkNocu", e) || (e >= '0' && e <= '9'))
				return false;
			if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
			      (e >= '0' && e <= '9')))
				c = e;	/* escaped punctuation is itself */
			next = p + 2;
		} else if (*p == '[') {
			next = skip_class(p, end);
		} else if (*p == '(') {
			const char *body = group_body(p, end);
			bool o2;

			next = skip_group(p, end);
			/* a group every match goes through once (no '|', no
			 * quantifier): its literals are the pattern's own */
			if (body && !quantifier(next, end, &o2) && !has_alternation(body, end)) {
				depth++;
				p = body;
				continue;
			}
		} else if (*p == ')' && depth) {
			depth--;
			p++;
			continue;
		} else if (*p == ')' || *p == '|') {
			return false;	/* unbalanced: be safe */
		} else {
			if (!strchr(".^$*+?{", *p))
				c = (unsigned char)*p;
			next = p + 1;
		}
		p = next;
		next = quantifier(p, end, &opt);
		if (next)
			p = next;
		if (c >= 0 && !opt && ns.run_len < KT_FILTER_NEEDLE)
			ns.run[ns.run_len++] = (char)c;
		if (c < 0 || next || ns.run_len == KT_FILTER_NEEDLE)
			end_run(&ns);	/* a quantified byte still counts once */
	}
	end_run(&ns);

	if (inner) {
		if (ns.best_len < INNER_MIN || ns.best_at_start)
			return false;
		floating_needle(ns.best, ns.best_len, ret);
		return true;
	}
	memset(ret, 0, sizeof(*ret));
	/* after leading blanks, a needle starting with a blank cannot be
	 * compared at the first non-blank byte */
	if (ns.anchor_len && !(ws && IS_BLANK(ns.anchor[0]))) {
		memcpy(ret->s, ns.anchor, ns.anchor_len);
		ret->len = ns.anchor_len;
		ret->anchored = true;
		ret->after_blanks = ws;
		return true;
	}
	if (ns.best_len >= 2) {
		floating_needle(ns.best, ns.best_len, ret);
		return true;
	}
	return false;
}

static bool branch_needle(const char *p, const char *end, struct kt_filter_needle *ret)
{
	return branch_needle_of(p, end, ret, false);
}

bool kt_filter_inner_needle(const char *pat, struct kt_filter_needle *ret)
{
	const char *end = pat + strlen(pat);

	if (has_options(pat, end) || has_alternation(pat, end))
		return false;
	return branch_needle_of(pat, end, ret, true);
}

/* anchored needles first, then the floating ones */
static void add_needle(struct kt_filter *f, const struct kt_filter_needle *n)
{
	unsigned int at = f->n_needles;

	f->needles = kt_xrealloc(f->needles, (f->n_needles + 1) * sizeof(*f->needles));
	if (n->anchored) {
		at = f->n_needles - f->n_floating;
		memmove(&f->needles[at + 1], &f->needles[at], f->n_floating * sizeof(*n));
		f->first[(unsigned char)n->s[0]] |= n->after_blanks ? 2 : 1;
	} else {
		f->n_floating++;
	}
	f->needles[at] = *n;
	f->n_needles++;
	if (n->after_blanks)
		f->blanks = true;
}

static bool add_branch(struct kt_filter *f, const char *b, const char *e, unsigned int depth);

/*
 * A branch "^(?:A|B)rest" (also after "^\s*" / "^ *", and with a capturing
 * or named group) has no anchored needle of its own, but each alternative
 * gives one: "^Arest" and "^Brest" together match what it does.  Returns 1
 * if the branch had that form and every alternative gave a needle, 0 if it
 * does not have that form, -1 if an alternative gave none.
 */
#define EXPAND_DEPTH	2
#define EXPAND_MAX	16
#define EXPAND_BUF	512

static int expand_group(struct kt_filter *f, const char *b, const char *e, unsigned int depth)
{
	const char *p = b, *body, *gend, *a;
	size_t lead;
	bool opt;
	unsigned int alts = 0;

	if (depth >= EXPAND_DEPTH || p == e || *p++ != '^')
		return 0;
	if (e - p >= 3 && (!memcmp(p, "\\s*", 3) || !memcmp(p, "\\s+", 3)))
		p += 3;
	else if (e - p >= 2 && (!memcmp(p, " *", 2) || !memcmp(p, " +", 2)))
		p += 2;
	if (p == e || *p != '(' || !(body = group_body(p, e)) || !has_alternation(body, e))
		return 0;
	gend = skip_group(p, e);
	if (gend > e || gend[-1] != ')' || quantifier(gend, e, &opt))
		return 0;
	lead = (size_t)(p - b);
	for (a = body; a < gend; ) {
		/* the alternative [a, q): up to the next top-level '|' or ')' */
		const char *q = next_alt(a, gend);
		char buf[EXPAND_BUF];
		size_t alen, rest = (size_t)(e - gend);

		if (q > gend - 1)
			return -1;
		alen = (size_t)(q - a);
		if (++alts > EXPAND_MAX || lead + alen + rest > sizeof(buf))
			return -1;
		memcpy(buf, b, lead);
		memcpy(buf + lead, a, alen);
		memcpy(buf + lead + alen, gend, rest);
		if (!add_branch(f, buf, buf + lead + alen + rest, depth + 1))
			return -1;
		a = q + 1;
	}
	return 1;
}

/* The needles of one branch [b, e) (no '|' at its top level) into f. */
static bool add_branch(struct kt_filter *f, const char *b, const char *e, unsigned int depth)
{
	struct kt_filter_needle n;
	int x = expand_group(f, b, e, depth);

	if (x)
		return x > 0;
	if (!branch_needle(b, e, &n))
		return false;
	add_needle(f, &n);
	return true;
}

/* One pattern, split at its top-level '|'. */
static void add_pattern(struct kt_filter *f, const char *pat)
{
	const char *p, *b = pat, *end = pat + strlen(pat);

	if (has_options(pat, end)) {
		f->always = true;
		return;
	}
	for (;;) {
		p = next_alt(b, end);
		/* a ')' that closes nothing: no needle, be safe */
		if ((p < end && *p == ')') || !add_branch(f, b, p, 0)) {
			f->always = true;
			return;
		}
		if (p == end)
			return;
		b = p + 1;
	}
}

/* Is (s, n) within each floating needle from the one at 'from'? */
static bool in_all(const struct kt_filter *f, unsigned int from, const char *s, size_t n)
{
	for (unsigned int i = from; i < f->n_needles; i++)
		if (!memmem(f->needles[i].s, f->needles[i].len, s, n))
			return false;
	return true;
}

/* The longest run (4 bytes or more) of the first floating needle that the
 * others hold too: f->common. */
#define COMMON_MIN 4

static void common_run(struct kt_filter *f, unsigned int from)
{
	const struct kt_filter_needle *n0;
	size_t best = 0, at = 0;

	if (f->n_needles - from < 2)
		return;	/* (and needles may be NULL) */
	n0 = &f->needles[from];
	for (size_t i = 0; i < n0->len; i++)
		for (size_t n = n0->len - i; n > best && n >= COMMON_MIN; n--)
			if (in_all(f, from + 1, n0->s + i, n)) {
				best = n;
				at = i;
				break;
			}
	if (best) {
		floating_needle(n0->s + at, best, &f->common);
		f->has_common = true;
	}
}

static int cmp_first(const void *a, const void *b)
{
	const struct kt_filter_needle *x = a, *y = b;

	return (unsigned char)x->s[0] - (unsigned char)y->s[0];
}

void kt_filter_build(struct kt_filter *f, char *const *pats, unsigned int n)
{
	unsigned int i, n_anchored;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n && !f->always; i++)
		add_pattern(f, pats[i]);
	if (f->always || f->n_needles > UINT16_MAX) {
		kt_filter_release(f);
		f->always = true;
		return;
	}
	/* the anchored needles by first byte: a line is compared with the
	 * few that begin with its own */
	n_anchored = f->n_needles - f->n_floating;
	if (n_anchored)
		qsort(f->needles, n_anchored, sizeof(*f->needles), cmp_first);
	common_run(f, n_anchored);
	for (i = n_anchored; i-- > 0;)
		f->at[(unsigned char)f->needles[i].s[0]] = (uint16_t)i;
}

void kt_filter_release(struct kt_filter *f)
{
	free(f->needles);
	memset(f, 0, sizeof(*f));
}

static inline bool found(const char *s, size_t len, const struct kt_filter_needle *n)
{
	const char *p, *end;
	char c = n->s[n->rare];

	if (n->len > len)
		return false;
	p = s + n->rare;
	end = s + len - (n->len - n->rare - 1);
	while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
		if (kt_mem_eq(p - n->rare, n->s, n->len))
			return true;
		p++;
	}
	return false;
}

/* an anchored needle of the bucket of at[0] (after_blanks ones or the
 * others) at 'at' */
bool kt_filter_bucket(const struct kt_filter *f, const char *at, const char *end,
		      bool after_blanks)
{
	unsigned int i, n = f->n_needles - f->n_floating;
	char c = *at;

	for (i = f->at[(unsigned char)c]; i < n && f->needles[i].s[0] == c; i++) {
		const struct kt_filter_needle *nd = &f->needles[i];

		if (nd->after_blanks == after_blanks && (size_t)(end - at) >= nd->len &&
		    kt_mem_eq(at, nd->s, nd->len))
			return true;
	}
	return false;
}

bool kt_filter_anchored(const struct kt_filter *f, const char *s, size_t len)
{
	const char *t = s, *end = s + len;

	if (!len)
		return false;
	if ((f->first[(unsigned char)*s] & 1) && kt_filter_bucket(f, s, end, false))
		return true;
	if (!f->blanks)
		return false;
	while (t < end && IS_BLANK(*t))
		t++;
	return t < end && (f->first[(unsigned char)*t] & 2) && kt_filter_bucket(f, t, end, true);
}

bool kt_needle_found(const char *s, size_t len, const struct kt_filter_needle *n)
{
	return found(s, len, n);
}

bool kt_filter_floating(const struct kt_filter *f, const char *s, size_t len)
{
	unsigned int i;

	if (f->has_common && !found(s, len, &f->common))
		return false;

	for (i = f->n_needles - f->n_floating; i < f->n_needles; i++)
		if (found(s, len, &f->needles[i]))
			return true;
	return false;
}
