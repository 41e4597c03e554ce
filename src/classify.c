// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * classify.c - line -> rule: literal prefilter, then pcre2 on candidates.
 *
 * Every rule has a literal that any match must contain (declared, or derived
 * from the pattern: the longest run of literal characters at the top level
 * of the pattern, outside groups, classes and optional quantifiers).  Each
 * literal is indexed by one 4-byte window in a hashed bitmap (see "q-gram
 * filter" below).  One pass over the text marks the candidate rules; pcre2
 * (JIT, match data reused, matched by length) runs only on those, in rule
 * order.  Folding makes the filter match a superset, which is safe: pcre2
 * decides.  (An Aho-Corasick DFA over the same literals measured 2.2x slower
 * on real dmesg: its per-byte state dependency chain cannot pipeline.)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kt-line.h"
#include "kt-xalloc.h"
#include "qgram.h"
#include "rules-internal.h"

/* --- literal derivation -------------------------------------------------------- */
static const char *skip_class(const char *p)
{
	/* p at '[': return the char after the closing ']' */
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");

			if (e)
				p = e + 1;
		}
		p++;
	}
	return *p ? p + 1 : p;
}

static const char *skip_group(const char *p)
{
	/* p at '(': return the char after the matching ')' */
	int depth = 0;

	while (*p) {
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (*p == '[') {
			p = skip_class(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return p;
}

/* At a quantifier?  Set *optional if it allows zero repetitions; return its end. */
static const char *quantifier(const char *p, bool *optional)
{
	*optional = false;
	if (*p == '?' || *p == '*') {
		*optional = true;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		unsigned long lo = 0;
		bool digits = false;

		while (*q >= '0' && *q <= '9') {
			lo = lo * 10 + (unsigned long)(*q - '0');
			q++;
			digits = true;
		}
		if (*q == ',') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (!digits || *q != '}')
			return NULL;	/* a literal '{' */
		*optional = lo == 0;
		p = q + 1;
	} else {
		return NULL;
	}
	if (*p == '?' || *p == '+')
		p++;	/* lazy / possessive */
	return p;
}

/* Does the pattern (or a group body, up to its ')') hold a '|' at its top level? */
static bool has_alternation(const char *p)
{
	while (*p && *p != ')') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '[')
			p = skip_class(p);
		else if (*p == '(')
			p = skip_group(p);
		else if (*p++ == '|')
			return true;
	}
	return false;
}

/* Does an inline option setting such as (?i) or (?mx: turn on option o? */
static bool has_option(const char *pat, char o)
{
	for (const char *p = strstr(pat, "(?"); p; p = strstr(p + 2, "(?"))
		for (const char *q = p + 2; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		     *q == '^'; q++)
			if (*q == o)
				return true;
	return false;
}

/*
 * One atom at p: *c is its byte if it is a plain literal character, else -1.
 * Returns the end of the atom, or NULL for an escape taking arguments.
 */
static const char *atom(const char *p, int *c)
{
	*c = -1;
	if (*p == '\\') {
		unsigned char e = (unsigned char)p[1];

		if (!e || strchr("QxpPgkNoc", e))
			return NULL;	/* rare escapes with arguments: be safe */
		if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')))
			*c = e;	/* escaped punctuation is itself */
		return p + 2;
	}
	if (*p == '[')
		return skip_class(p);
	if (*p == '(')
		return skip_group(p);	/* a leading (?i) changes nothing: we fold */
	if (!strchr(".^$*+?|)", *p))
		*c = (unsigned char)*p;
	return p + 1;
}

char *kt_rules_derive_literal(const char *pat)
{
	size_t n = strlen(pat);
	char *best = kt_xcalloc(1, n + 1), *run = kt_xcalloc(1, n + 1);
	size_t best_len = 0, run_len = 0;
	const char *p = pat;

	/* extended mode or a top-level alternation: no safe literal */
	if (has_option(pat, 'x') || has_alternation(pat))
		goto none;
	while (*p) {
		int c;	/* a literal byte, or -1 for a non-literal atom */
		const char *next = atom(p, &c);
		bool opt;

		if (!next)
			goto none;
		p = next;
		next = quantifier(p, &opt);
		if (next)
			p = next;
		if (c >= 0 && !opt)
			run[run_len++] = (char)kt_fold((unsigned char)c);
		if (c < 0 || next) {
			/* the run ends here (a quantified char still counts once) */
			if (run_len > best_len) {
				memcpy(best, run, run_len);
				best_len = run_len;
			}
			run_len = 0;
		}
	}
	if (run_len > best_len) {
		memcpy(best, run, run_len);
		best_len = run_len;
	}
	best[best_len] = '\0';
	free(run);
	return best;
none:
	free(run);
	best[0] = '\0';
	return best;
}

/* p at '(': the start of the body of a capturing or (?: group, or NULL for other kinds. */
static const char *group_body(const char *p)
{
	if (p[1] == '*')
		return NULL;	/* a verb such as (*UTF) */
	if (p[1] != '?')
		return p + 1;
	if (p[2] == ':')
		return p + 3;
	if ((p[2] == '<' && p[3] != '=' && p[3] != '!') || (p[2] == 'P' && p[3] == '<') ||
	    p[2] == '\'') {
		const char *e = strchr(p + 3, p[2] == '\'' ? '\'' : '>');

		return e ? e + 1 : NULL;
	}
	return NULL;	/* lookaround, options, conditionals... */
}

char *kt_rules_derive_anchor(const char *pat)
{
	char *out = kt_xcalloc(1, strlen(pat) + 1);
	size_t n = 0;
	const char *p = pat + 1;

	if (pat[0] != '^' || has_alternation(pat) || has_option(pat, 'x') ||
	    has_option(pat, 'm'))
		return out;
	while (*p) {
		const char *next;
		bool opt;
		int c;

		if (*p == '(') {
			/* enter a group that every match goes through: no '|', not optional */
			const char *body = group_body(p);

			if (!body || has_alternation(body) ||
			    (quantifier(skip_group(p), &opt) && opt))
				break;
			p = body;
			continue;
		}
		next = atom(p, &c);
		if (!next || c < 0)
			break;
		p = next;
		next = quantifier(p, &opt);
		if (!next || !opt)
			out[n++] = (char)kt_fold((unsigned char)c);
		if (next)
			break;	/* a repeated char counts once, then the prefix ends */
	}
	out[n] = '\0';
	return out;
}

bool kt_rules_literal_in(const char *lit, const char *text, size_t len)
{
	size_t n = strlen(lit);

	if (!n)
		return true;
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;

		while (k < n && kt_fold((unsigned char)text[i + k]) == (unsigned char)lit[k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* --- the prefilter -------------------------------------------------------------------
 * Two parts, each a superset of the rules that can match (pcre2 decides):
 *
 * Anchored rules ("^usb ...") whose literal is short are found by their
 * prefix at the start of the text: a hash of its first four bytes (of the
 * first two for prefixes shorter than that), then a compare.
 *
 * Every other literal of 4+ bytes is found by a sampled q-gram filter: the
 * text is probed only at every S-th position (S = the shortest such literal
 * minus 3, at most QG_MAX_STRIDE), each probe one 4-byte load, one multiply
 * and one bit test in a hashed bitmap.  A literal of length L >= S + 3 covers
 * a probe whatever its alignment, so it contributes one 4-byte window per
 * residue modulo S (the rarest of that residue by a letter-frequency guess),
 * folded with |0x20 (coarser than lower-casing, so still a superset).  Only
 * on a bitmap hit is the bucket consulted and the full literal compared.
 * Literals under 4 bytes (none in the shipped set) are searched plainly.
 *
 * Measured on real dmesg against Hyperscan (hs_scan per line; Debian 5.4):
 * Hyperscan's fixed cost per call alone is ~50 ns, 3x this whole filter; an
 * Aho-Corasick DFA was 2.2x slower than the unsampled q-gram filter. */
#define QG_BITS 16
#define QG_SIZE (1u << QG_BITS)
#define QG_MAX_STRIDE 8u
#define AN_BITS 10
#define AN_SIZE (1u << AN_BITS)

struct qentry {
	uint32_t gram;		/* folded 4 bytes (anchors: the first 4, or 0) */
	uint32_t off;		/* offset of the window in the literal */
	uint32_t rule;
	uint32_t len;		/* literal length */
	const unsigned char *lit;
};

struct prefilter {
	uint32_t *always;	/* rules without a literal, ascending */
	uint32_t nalways;
	/* anchored rules with a short literal, by a hash of their first four
	 * bytes (a4), or of two for anchors of 2 or 3 bytes (a2) */
	uint32_t a4start[AN_SIZE + 1], a2start[AN_SIZE + 1];
	struct qentry *a4ent, *a2ent;	/* .lit = the anchor, .off unused */
	/* sampled q-gram filter */
	uint32_t stride;
	uint64_t qbits[QG_SIZE / 64];	/* one bit per hashed 4-gram */
	uint32_t *qstart;		/* [QG_SIZE + 1]: entries of each hash bucket */
	struct qentry *qent;
	uint32_t *qshort;		/* rules whose literal is under 4 bytes */
	uint32_t nqshort;
	/* entries whose .rule is nrules or more are watched literals */
	uint32_t nrules;
	/* the anchor-table buckets holding watched literals (a4, a2) */
	uint64_t watch4[AN_SIZE / 64], watch2[AN_SIZE / 64];
	bool watch_anchored;		/* any such bucket */
	bool watch_always;		/* a watched literal too short to look for */
};

static inline uint32_t qg_hash(uint32_t x)
{
	return (x * 0x9e3779b1u) >> (32 - QG_BITS);
}

static inline uint32_t qg_load(const unsigned char *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return x | 0x20202020u;
}

static inline uint32_t an2_hash(const unsigned char *p)
{
	return ((uint32_t)((p[0] | 0x20) << 8 | (p[1] | 0x20)) * 0x9e3779b1u) >> (32 - AN_BITS);
}

static inline uint32_t an4_hash(uint32_t gram)
{
	return (gram * 0x85ebca6bu) >> (32 - AN_BITS);
}

void kt_prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	free(pf->always);
	free(pf->a4ent);
	free(pf->a2ent);
	free(pf->qstart);
	free(pf->qent);
	free(pf->qshort);
	free(pf);
}

/* Bucket entries e[0..n) by hash (counting sort; rule order inside a bucket is kept). */
static struct qentry *bucket(struct qentry *e, uint32_t n, uint32_t *start, uint32_t nb,
			     uint32_t (*hash)(const struct qentry *))
{
	struct qentry *sorted = kt_xmalloc((n + 1) * sizeof(*sorted));
	uint32_t *at = kt_xmalloc((nb + 1) * sizeof(*at));

	memset(start, 0, (nb + 1) * sizeof(*start));
	for (uint32_t k = 0; k < n; k++)
		start[hash(&e[k]) + 1]++;
	for (uint32_t h = 0; h < nb; h++)
		start[h + 1] += start[h];
	memcpy(at, start, (nb + 1) * sizeof(*at));
	for (uint32_t k = 0; k < n; k++)
		sorted[at[hash(&e[k])]++] = e[k];
	free(at);
	free(e);
	return sorted;
}

static uint32_t qentry_qhash(const struct qentry *e)
{
	return qg_hash(e->gram);
}

static uint32_t qentry_a2hash(const struct qentry *e)
{
	return an2_hash(e->lit);
}

static uint32_t qentry_a4hash(const struct qentry *e)
{
	return an4_hash(e->gram);
}

/* A watched literal is only asked "is any there?": one that another
 * contains (an anchored one: as its prefix) is implied by it. */
static bool watch_implied(const struct watch_lit *watch, size_t nwatch, size_t i)
{
	const struct watch_lit *w = &watch[i];

	for (size_t j = 0; j < nwatch; j++) {
		const struct watch_lit *o = &watch[j];

		if (j == i || o->len > w->len || (o->len == w->len && j > i) ||
		    o->anchored != w->anchored || o->len < (o->anchored ? 2 : 4))
			continue;
		if (o->anchored ? !memcmp(o->lit, w->lit, o->len) :
		    memmem(w->lit, w->len, o->lit, o->len) != NULL)
			return true;
	}
	return false;
}

static bool use_anchor(const struct kt_rule *r)
{
	return strlen(r->anchor) >= 2 && strlen(r->literal) < QG_MAX_STRIDE + 3;
}

struct prefilter *kt_prefilter_build(struct kt_rule *const *rules, size_t n,
				     const struct watch_lit *watch, size_t nwatch)
{
	struct prefilter *pf = kt_xcalloc(1, sizeof(*pf));
	struct qentry *a = kt_xmalloc((n + nwatch + 1) * sizeof(*a)), *q, *a2;
	uint32_t na = 0, na2 = 0, nq = 0;
	bool *implied = kt_xcalloc(nwatch + 1, sizeof(*implied));

	pf->always = kt_xmalloc((n + 1) * sizeof(uint32_t));
	pf->qshort = kt_xmalloc((n + 1) * sizeof(uint32_t));
	pf->stride = QG_MAX_STRIDE;
	pf->nrules = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(rules[i]->literal);

		if (!rules[i]->code)
			continue;
		if (use_anchor(rules[i])) {
			a[na].rule = (uint32_t)i;
			a[na].lit = (const unsigned char *)rules[i]->anchor;
			a[na].len = (uint32_t)strlen(rules[i]->anchor);
			a[na].gram = a[na].len >= 4 ? qg_load(a[na].lit) : 0;
			na++;
		} else if (!len) {
			pf->always[pf->nalways++] = (uint32_t)i;
		} else if (len < 4) {
			pf->qshort[pf->nqshort++] = (uint32_t)i;
		} else if (len - 3 < pf->stride) {
			pf->stride = (uint32_t)(len - 3);
		}
	}
	/* watched literals: anchored ones in the anchor table, others sampled
	 * like rule literals (and lowering the stride if they are short) */
	for (size_t i = 0; i < nwatch; i++) {
		const struct watch_lit *w = &watch[i];

		implied[i] = watch_implied(watch, nwatch, i);
		if (implied[i])
			continue;
		if (w->anchored && w->len >= 2) {
			a[na].rule = (uint32_t)(n + i);
			a[na].lit = (const unsigned char *)w->lit;
			a[na].len = (uint32_t)w->len;
			a[na].gram = a[na].len >= 4 ? qg_load(a[na].lit) : 0;
			pf->watch_anchored = true;
			if (w->len >= 4) {
				uint32_t h = an4_hash(a[na].gram);

				pf->watch4[h / 64] |= 1ull << (h % 64);
			} else {
				uint32_t h = an2_hash(a[na].lit);

				pf->watch2[h / 64] |= 1ull << (h % 64);
			}
			na++;
		} else if (w->anchored || w->len < 4) {
			pf->watch_always = true;
		} else if (w->len - 3 < pf->stride) {
			pf->stride = (uint32_t)(w->len - 3);
		}
	}
	/* the anchors of 2 or 3 bytes to a table of their own */
	a2 = kt_xmalloc((na + 1) * sizeof(*a2));
	for (uint32_t i = 0, j = 0; i < na; i++) {
		if (a[i].len < 4)
			a2[na2++] = a[i];
		else
			a[j++] = a[i];
	}
	pf->a4ent = bucket(a, na - na2, pf->a4start, AN_SIZE, qentry_a4hash);
	pf->a2ent = bucket(a2, na2, pf->a2start, AN_SIZE, qentry_a2hash);

	q = kt_xmalloc(((n + nwatch) * pf->stride + 1) * sizeof(*q));
	for (size_t i = 0; i < n + nwatch; i++) {
		const char *lit;
		size_t len;

		if (i < n) {
			lit = rules[i]->literal;
			len = strlen(lit);
			if (!rules[i]->code || use_anchor(rules[i]) || len < 4)
				continue;
		} else {
			lit = watch[i - n].lit;
			len = watch[i - n].len;
			if (watch[i - n].anchored || len < 4 || implied[i - n])
				continue;
		}
		for (uint32_t r = 0; r < pf->stride; r++) {
			uint32_t w = kt_qgram_pick_window(lit, len, r, pf->stride);

			q[nq].gram = qg_load((const unsigned char *)lit + w);
			q[nq].off = w;
			q[nq].rule = (uint32_t)i;
			q[nq].len = (uint32_t)len;
			q[nq].lit = (const unsigned char *)lit;
			pf->qbits[qg_hash(q[nq].gram) >> 6] |= 1ull << (qg_hash(q[nq].gram) & 63);
			nq++;
		}
	}
	pf->qstart = kt_xmalloc((QG_SIZE + 1) * sizeof(uint32_t));
	pf->qent = bucket(q, nq, pf->qstart, QG_SIZE, qentry_qhash);
	free(implied);
	return pf;
}

/* --- classifier ------------------------------------------------------------------------ */
struct kt_classifier {
	const struct kt_ruleset *rs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	uint32_t *mark;		/* per rule: generation it was marked in */
	uint32_t gen;
	uint32_t *cand;
	uint32_t ncand;
	uint64_t limit_hits;
	const struct kt_rule *limit_rule;
	bool watched;		/* a watched literal in the last text */
	bool not_watching;	/* kt_classifier_set_watching(false) */
};

int kt_classifier_new(const struct kt_ruleset *rs, struct kt_classifier **ret)
{
	struct kt_classifier *c;

	if (!rs->compiled)
		return -EINVAL;
	c = kt_xcalloc(1, sizeof(*c));
	c->rs = rs;
	c->md = pcre2_match_data_create(rs->max_capture + 1, NULL);
	c->mctx = pcre2_match_context_create(NULL);
	c->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!c->md || !c->mctx) {
		kt_classifier_free(c);
		return -ENOMEM;
	}
	if (c->jit)
		pcre2_jit_stack_assign(c->mctx, NULL, c->jit);
	pcre2_set_match_limit(c->mctx, KT_RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(c->mctx, KT_RULES_DEPTH_LIMIT);
	pcre2_set_heap_limit(c->mctx, 20 * 1024);	/* KiB */
	c->mark = kt_xcalloc(rs->nrules + 1, sizeof(uint32_t));
	c->cand = kt_xmalloc((rs->nrules + 1) * sizeof(uint32_t));
	*ret = c;
	return 0;
}

void kt_classifier_free(struct kt_classifier *c)
{
	if (!c)
		return;
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->jit);
	free(c->mark);
	free(c->cand);
	free(c);
}

void kt_classifier_set_limits(struct kt_classifier *c, uint32_t match_limit, uint32_t depth_limit)
{
	if (match_limit)
		pcre2_set_match_limit(c->mctx, match_limit);
	if (depth_limit)
		pcre2_set_depth_limit(c->mctx, depth_limit);
}

bool kt_classifier_watched(const struct kt_classifier *c)
{
	return c->watched;
}

const bool *kt_classifier_watched_flag(const struct kt_classifier *c)
{
	return &c->watched;
}

void kt_classifier_set_watching(struct kt_classifier *c, bool on)
{
	c->not_watching = !on;
}

uint64_t kt_classifier_limit_hits(const struct kt_classifier *c)
{
	return c->limit_hits;
}

const struct kt_rule *kt_classifier_limit_rule(const struct kt_classifier *c)
{
	return c->limit_rule;
}

static inline void mark(struct kt_classifier *c, uint32_t r)
{
	if (r >= c->rs->pf->nrules) {
		c->watched = true;
		return;
	}
	if (c->mark[r] != c->gen) {
		c->mark[r] = c->gen;
		c->cand[c->ncand++] = r;
	}
}

static bool fold_eq(const unsigned char *t, const unsigned char *lit, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if ((t[k] | 0x20) != (lit[k] | 0x20))
			return false;
	return true;
}

/* Mark the rules whose anchor begins p (only the watched literals if
 * watched_only, and then only in buckets that hold one).  Inlined: each
 * of its two callers gets a copy with the branches its own flag leaves. */
static inline __attribute__((always_inline)) void
scan_anchors(struct kt_classifier *c, const struct prefilter *pf, const unsigned char *p,
	     size_t len, bool watched_only)
{
	if (len >= 4) {
		uint32_t x = qg_load(p), h = an4_hash(x);

		if (!watched_only || (pf->watch4[h / 64] & (1ull << (h % 64))))
			for (uint32_t k = pf->a4start[h]; k < pf->a4start[h + 1]; k++) {
				const struct qentry *e = &pf->a4ent[k];

				if (e->gram == x && e->len <= len &&
				    (!watched_only || e->rule >= pf->nrules) &&
				    fold_eq(p + 4, e->lit + 4, e->len - 4))
					mark(c, e->rule);
			}
	}
	if (len >= 2) {
		uint32_t h = an2_hash(p);

		if (!watched_only || (pf->watch2[h / 64] & (1ull << (h % 64))))
			for (uint32_t k = pf->a2start[h]; k < pf->a2start[h + 1]; k++) {
				const struct qentry *e = &pf->a2ent[k];

				if (e->len <= len && (!watched_only || e->rule >= pf->nrules) &&
				    fold_eq(p, e->lit, e->len))
					mark(c, e->rule);
			}
	}
}

/* Mark the rules whose literal (or anchor) occurs; fill c->cand (unsorted). */
static void scan(struct kt_classifier *c, const char *text, size_t len)
{
	const struct prefilter *pf = c->rs->pf;
	const unsigned char *p = (const unsigned char *)text;
	const size_t stride = pf->stride;

	if (++c->gen == 0) {
		memset(c->mark, 0, c->rs->nrules * sizeof(uint32_t));
		c->gen = 1;
	}
	c->ncand = 0;
	c->watched = pf->watch_always;
	scan_anchors(c, pf, p, len, false);
	/* watched anchored literals may follow up to 8 leading blanks */
	if (pf->watch_anchored && len && (p[0] == ' ' || p[0] == '\t') && !c->watched &&
	    !c->not_watching) {
		size_t b = kt_text_indent(text, len);

		scan_anchors(c, pf, p + b, len - b, true);
	}
	for (size_t i = 0; i + 4 <= len; i += stride) {
		uint32_t x = qg_load(p + i), h = qg_hash(x);

		if (!(pf->qbits[h >> 6] & (1ull << (h & 63))))
			continue;
		for (uint32_t k = pf->qstart[h]; k < pf->qstart[h + 1]; k++) {
			const struct qentry *e = &pf->qent[k];

			if (e->gram != x || i < e->off || i - e->off + e->len > len)
				continue;
			if (fold_eq(p + i - e->off, e->lit, e->len))
				mark(c, e->rule);
		}
	}
	/* short literals: plain search */
	for (uint32_t k = 0; k < pf->nqshort; k++) {
		uint32_t r = pf->qshort[k];

		if (kt_rules_literal_in(c->rs->rules[r]->literal, text, len))
			mark(c, r);
	}
}

static void sort_cand(struct kt_classifier *c)
{
	const struct prefilter *pf = c->rs->pf;

	for (uint32_t k = 0; k < pf->nalways; k++)
		c->cand[c->ncand++] = pf->always[k];
	/* insertion sort: candidate lists are short */
	for (uint32_t i = 1; i < c->ncand; i++) {
		uint32_t v = c->cand[i], j = i;

		while (j && c->cand[j - 1] > v) {
			c->cand[j] = c->cand[j - 1];
			j--;
		}
		c->cand[j] = v;
	}
}

static bool subsystem_ok(const struct kt_rule *r, const char *subsys, size_t slen)
{
	size_t n;

	if (!r->subsystem || !subsys || !slen)
		return true;
	n = strlen(r->subsystem);
	return slen >= n && memcmp(subsys, r->subsystem, n) == 0;
}

static bool is_limit(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

static int run(struct kt_classifier *c, const struct kt_rule *r, const char *text, size_t len)
{
	int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, c->md, c->mctx);

	if (is_limit(rc)) {
		c->limit_hits++;
		c->limit_rule = r;
	}
	return rc;
}

static void fill_match(struct kt_classifier *c, const struct kt_rule *r, const char *text,
		       struct kt_match *m)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	uint32_t nov = pcre2_get_ovector_count(c->md);

	m->rule = r;
	m->nfields = 0;
	for (unsigned g = 0; g < r->ngroups; g++) {
		unsigned n = r->groups[g].number;

		if (n >= nov || ov[2 * n] == PCRE2_UNSET)
			continue;
		m->fields[m->nfields].name = r->groups[g].name;
		m->fields[m->nfields].value = text + ov[2 * n];
		m->fields[m->nfields].value_len = ov[2 * n + 1] - ov[2 * n];
		m->nfields++;
	}
}

const struct kt_rule *kt_classify(struct kt_classifier *c, const char *text, size_t len,
				  const char *subsystem, size_t subsys_len, struct kt_match *ret)
{
	struct kt_rule *const *rules = c->rs->rules;

	if (!text)
		text = "";
	scan(c, text, len);
	if (!c->ncand && !c->rs->pf->nalways)
		return NULL;
	sort_cand(c);
	for (uint32_t k = 0; k < c->ncand; k++) {
		const struct kt_rule *r = rules[c->cand[k]];

		if (!subsystem_ok(r, subsystem, subsys_len))
			continue;
		if (run(c, r, text, len) >= 0) {
			fill_match(c, r, text, ret);
			return r;
		}
	}
	return NULL;
}

const char *kt_why_result_name(enum kt_why_result r)
{
	switch (r) {
	case KT_WHY_PREFILTER:
		return "prefilter";
	case KT_WHY_SUBSYSTEM:
		return "subsystem";
	case KT_WHY_NOMATCH:
		return "no-match";
	case KT_WHY_LIMIT:
		return "match-limit";
	case KT_WHY_MATCH:
		return "match";
	case KT_WHY_ERROR:
		return "error";
	}
	return "?";
}

int kt_classify_why(struct kt_classifier *c, const char *text, size_t len,
		    const char *subsystem, size_t subsys_len, kt_why_cb cb, void *userdata)
{
	const struct kt_ruleset *rs = c->rs;
	bool won = false;

	if (!text)
		text = "";
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct kt_rule *r = rs->rules[i];
		struct kt_why w = { .rule = r, .index = i };
		int rc;

		if (!r->code) {
			w.result = KT_WHY_ERROR;
		} else if (!kt_rules_literal_in(r->literal, text, len)) {
			w.result = KT_WHY_PREFILTER;
			w.literal = r->literal;
		} else if (!subsystem_ok(r, subsystem, subsys_len)) {
			w.result = KT_WHY_SUBSYSTEM;
		} else {
			rc = run(c, r, text, len);
			w.pcre2_rc = rc;
			if (rc >= 0) {
				w.result = KT_WHY_MATCH;
				w.winner = !won;
				won = true;
			} else if (rc == PCRE2_ERROR_NOMATCH) {
				w.result = KT_WHY_NOMATCH;
			} else if (is_limit(rc)) {
				w.result = KT_WHY_LIMIT;
			} else {
				w.result = KT_WHY_ERROR;
			}
		}
		rc = cb(&w, userdata);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- templates ------------------------------------------------------------------------------ */
const char *kt_match_field(const struct kt_match *m, const char *name, size_t *ret_len)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0) {
			*ret_len = m->fields[i].value_len;
			return m->fields[i].value;
		}
	return NULL;
}

static void put(char *buf, size_t size, size_t *pos, const char *s, size_t n)
{
	if (*pos < size) {
		size_t room = size - 1 - *pos;

		memcpy(buf + *pos, s, n < room ? n : room);
	}
	*pos += n;
}

size_t kt_match_render(const struct kt_match *m, const char *tmpl, char *buf, size_t size)
{
	size_t pos = 0;

	for (const char *p = tmpl; *p; p++) {
		const char *q;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			put(buf, size, &pos, p, 1);
			p++;
			continue;
		}
		if (*p != '{' || !(q = strchr(p + 1, '}'))) {
			put(buf, size, &pos, p, 1);
			continue;
		}
		{
			size_t n = (size_t)(q - p - 1);
			bool found = false;

			for (unsigned i = 0; i < m->nfields; i++) {
				if (strlen(m->fields[i].name) == n &&
				    memcmp(m->fields[i].name, p + 1, n) == 0) {
					put(buf, size, &pos, m->fields[i].value,
					    m->fields[i].value_len);
					found = true;
					break;
				}
			}
			if (!found)
				put(buf, size, &pos, "?", 1);
		}
		p = q;
	}
	if (size)
		buf[pos < size ? pos : size - 1] = '\0';
	return pos;
}

size_t kt_match_explain(const struct kt_match *m, char *buf, size_t size)
{
	return kt_match_render(m, m->rule->explain, buf, size);
}

size_t kt_match_advice(const struct kt_match *m, char *buf, size_t size)
{
	return kt_match_render(m, m->rule->advice, buf, size);
}
