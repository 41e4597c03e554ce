// SPDX-License-Identifier: GPL-2.0-or-later
/* title.c - a finished report -> guilty frame, title, corrupted flag, signature. */
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "kt-strbuf.h"
#include "kt-xalloc.h"

#define FUNC_MAX 256

/*
 * is_skipped() is asked about the same few thousand functions report after
 * report, and an answer costs up to four full matches of alternations of a
 * few hundred patterns.  A memo per thread maps (definitions, kind, name) to
 * the answer.  It is looked up a dozen times per report, between which a
 * million lines may have gone through the classifier's tables: so it is
 * small (64 KiB, one 8-byte word per entry) to stay in cache.  A word is a
 * 64-bit hash of the key with the answer in its two low bits; with the few
 * thousand keys a log has, two keys share a hash with a probability under
 * 10^-12.  Open addressing, emptied when three quarters full, so bounded.
 * The definitions' serial is never reused, so a word of freed definitions
 * is never taken for a hit.
 */
#define MEMO_SLOTS 8192
#define MEMO_ANSWER 3u	/* the low bits of a word: the answer */

static __thread uint64_t *memo;
static __thread unsigned int memo_used;

static uint64_t memo_hash(const struct kt_report_defs *d, unsigned int kind,
			  const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull, w;
	size_t i;

	/* eight bytes a step (a byte a step was a chain of dependent
	 * multiplies as long as the name), then fmix64 (MurmurHash3) */
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, name + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	for (w = 0; i < len; i++)
		w = w << 8 | (unsigned char)name[i];
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	h ^= d->serial * 0xd6e8feb86659fd93ull ^ (uint64_t)kind << 32 ^ len;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	h &= ~(uint64_t)MEMO_ANSWER;
	return h ? h : MEMO_ANSWER + 1;	/* 0 marks an empty word */
}

void kt_title_thread_release(void)
{
	free(memo);
	memo = NULL;
	memo_used = 0;
}

/* the memoized answer for (defs, kind, name): 0 to 3, or -1 (not known;
 * *ret_word is where memo_put() stores it) */
static int memo_get(const struct kt_report_defs *d, unsigned int kind, const char *name,
		    size_t len, uint64_t **ret_word, uint64_t *ret_h)
{
	uint64_t h = memo_hash(d, kind, name, len);
	size_t i;

	if (!memo)
		memo = kt_xcalloc(MEMO_SLOTS, sizeof(*memo));
	for (i = (h >> 40) & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
		if (!memo[i])
			break;
		if ((memo[i] & ~(uint64_t)MEMO_ANSWER) == h)
			return (int)(memo[i] & MEMO_ANSWER);
	}
	if (memo_used >= MEMO_SLOTS / 4 * 3) {
		memset(memo, 0, MEMO_SLOTS * sizeof(*memo));
		memo_used = 0;
		i = (h >> 40) & (MEMO_SLOTS - 1);
	}
	*ret_word = &memo[i];
	*ret_h = h;
	return -1;
}

static unsigned int memo_put(uint64_t *word, uint64_t h, unsigned int answer)
{
	*word = h | answer;
	memo_used++;
	return answer;
}

static bool skipped_canon(const struct kt_report_defs *d, const struct kind_def *k,
			  const char *func, size_t len, const char *canon, size_t n)
{
	if (n == 0)
		return true;
	if (kt_re_full(d->generic, canon, n) || kt_re_full(k->skip, canon, n))
		return true;
	/* the raw name too, so skip lists may name ".isra" variants (the
	 * same answer when the raw name is the canonical one) */
	if (n == len && !memcmp(canon, func, len))
		return false;
	return kt_re_full(d->generic, func, len) || kt_re_full(k->skip, func, len);
}

#define FACT_SKIPPED	1u	/* generic for the kind: not a guilty frame */
#define FACT_CORRUPTING	2u	/* another stack runs into the trace here */

/* What func is to kind k (FACT_*), with one memo lookup for both
 * questions.  Its canonical name is left in canon unless it is skipped
 * (most frames a title looks at are, and their names are not needed). */
static unsigned int frame_facts(const struct kt_report_defs *d, const struct kind_def *k,
				const char *func, char *canon)
{
	size_t len = strlen(func), n;
	uint64_t *word, h;
	int known = memo_get(d, (unsigned int)(k - d->kinds), func, len, &word, &h);
	unsigned int facts;

	if (known >= 0) {
		if (!(known & FACT_SKIPPED))
			kt_frame_canonical(func, len, canon, FUNC_MAX);
		return (unsigned int)known;
	}
	n = kt_frame_canonical(func, len, canon, FUNC_MAX);
	facts = skipped_canon(d, k, func, len, canon, n) ? FACT_SKIPPED : 0;
	/* e.g. should_fail: a fault-injection dump printed into the trace */
	if (n && d->corrupting && kt_re_full(d->corrupting, canon, n))
		facts |= FACT_CORRUPTING;
	return memo_put(word, h, facts);
}

/* Is func generic for kind k?  If not, its canonical name is left in canon. */
static bool is_skipped(const struct kt_report_defs *d, const struct kind_def *k,
		       const char *func, char *canon)
{
	return frame_facts(d, k, func, canon) & FACT_SKIPPED;
}

/* Memoized full matches of the name lists other than the skip lists (in
 * the same memo, under "kinds" no report kind has). */
enum memo_list {
	MEMO_RESTART = 1u << 30,
	MEMO_ANCHORS,
	MEMO_SELF_ANCHORS,	/* a self anchor matches (its group: pcre2's) */
	MEMO_ALIASED,		/* some alias matches */
};

static bool memo_full(const struct kt_report_defs *d, enum memo_list which,
		      const pcre2_code *re, const char *name, size_t len)
{
	uint64_t *word, h;
	int known;

	if (!re)
		return false;
	known = memo_get(d, which, name, len, &word, &h);
	if (known >= 0)
		return known;
	return memo_put(word, h, kt_re_full(re, name, len));
}

static bool usable(const struct kt_frame *f, const struct kind_def *k)
{
	if (!f->func || !f->reliable)
		return false;
	if (k->task_only && f->context != KT_CTX_TASK)
		return false;
	return true;
}

/* the first section >= 1 holding main-stack call frames, else 0 */
static unsigned int trace_section(const struct kt_report *r)
{
	size_t i;
	unsigned int best = 0;

	for (i = 0; i < r->n_frames; i++) {
		const struct kt_frame *f = &r->frames[i];

		if (f->type == KT_FRAME_CALL && f->stack == KT_STACK_MAIN && f->section >= 1)
			return f->section;
	}
	return best;
}

static const struct kt_frame *pick(const struct kt_report_defs *d, const struct kind_def *k,
				   const struct kt_report *r, char *canon)
{
	unsigned int s, sect = trace_section(r), facts;
	size_t i;

	for (s = 0; s < k->n_gsrc; s++) {
		switch (k->gsrc[s]) {
		case GSRC_HEADER:
			break;	/* handled by the caller (fields named "func") */
		case GSRC_IP:
			for (i = 0; i < r->n_frames; i++) {
				const struct kt_frame *f = &r->frames[i];

				if (f->type != KT_FRAME_IP || !usable(f, k))
					continue;
				if (!is_skipped(d, k, f->func, canon))
					return f;
				break;	/* only the first IP line counts */
			}
			break;
		case GSRC_TRACE:
		case GSRC_ANY:
			for (i = 0; i < r->n_frames; i++) {
				const struct kt_frame *f = &r->frames[i];

				if (f->type != KT_FRAME_CALL || f->stack != KT_STACK_MAIN)
					continue;
				if (k->gsrc[s] == GSRC_TRACE && f->section != sect)
					continue;
				if (!f->func)
					continue;
				facts = frame_facts(d, k, f->func, canon);
				if (facts & FACT_CORRUPTING)
					return NULL;	/* another stack runs into this one */
				if (usable(f, k) && !(facts & FACT_SKIPPED))
					return f;
			}
			break;
		}
	}
	return NULL;
}

/*
 * stall kinds: the looping code is random, so take the frame just before the
 * first anchor (a dispatcher, a syscall entry, or a highly multiplexed
 * syscall such as ioctl); a "self" anchor names itself (its group 1).
 * A restart frame (the interrupt entry that ran the stall detector) drops
 * the frames seen so far.  Anchors are looked for among all frames, generic
 * or not.  The canonical name of the choice is left in canon.
 */
static const struct kt_frame *pick_stall(const struct kt_report_defs *d,
					 const struct kind_def *k,
					 const struct kt_report *r, char *canon)
{
	const struct kt_frame *prev = NULL;
	char tmp[FUNC_MAX], prev_name[FUNC_MAX];
	unsigned int sect = UINT32_MAX;
	size_t i, from = 0;

	/* skip the detector's own frames, up to the first interrupt entry of
	 * the first stack */
	for (i = 0; i < r->n_frames; i++) {
		const struct kt_frame *f = &r->frames[i];
		size_t n;

		if (f->type == KT_FRAME_LR || f->stack != KT_STACK_MAIN || !usable(f, k))
			continue;
		if (sect == UINT32_MAX)
			sect = f->section;
		else if (f->section != sect)
			break;
		n = kt_frame_canonical(f->func, strlen(f->func), tmp, sizeof(tmp));
		if (memo_full(d, MEMO_RESTART, d->stall_restart, tmp, n)) {
			from = i + 1;
			break;
		}
	}
	for (i = from; i < r->n_frames; i++) {
		const struct kt_frame *f = &r->frames[i];
		size_t n;

		if (f->type == KT_FRAME_LR || f->stack != KT_STACK_MAIN || !usable(f, k))
			continue;
		n = kt_frame_canonical(f->func, strlen(f->func), tmp, sizeof(tmp));
		if (memo_full(d, MEMO_RESTART, d->stall_restart, tmp, n)) {
			prev = NULL;
			continue;
		}
		if (memo_full(d, MEMO_SELF_ANCHORS, d->self_anchors, tmp, n) &&
		    kt_re_group1(d->self_anchors, tmp, n, canon, FUNC_MAX))
			return f;
		if (memo_full(d, MEMO_ANCHORS, d->anchors, tmp, n)) {
			/* nothing before the anchor: a non-generic anchor
			 * (a driver's compat_ioctl) names the stall itself */
			if (!prev && !is_skipped(d, k, f->func, canon))
				return f;
			if (!prev)
				continue;
			memcpy(canon, prev_name, strlen(prev_name) + 1);
			return prev;
		}
		if (is_skipped(d, k, f->func, tmp))
			continue;
		prev = f;
		memcpy(prev_name, tmp, strlen(tmp) + 1);
	}
	return NULL;
}

/* Replace a guilty function name by its alias (e.g. the synchronize_*
 * family -> synchronize_rcu), in place. */
static void apply_alias(const struct kt_report_defs *d, char *canon)
{
	unsigned int i;
	size_t n = strlen(canon);
	uint64_t *word, h;
	int known;

	if (!d->n_aliases)
		return;
	/* most names have no alias: that answer is memoized */
	known = memo_get(d, MEMO_ALIASED, canon, n, &word, &h);
	if (known == 0)
		return;
	for (i = 0; i < d->n_aliases; i++) {
		if (kt_re_full(d->aliases[i].re, canon, n)) {
			size_t m = strlen(d->aliases[i].name);

			if (known < 0)
				memo_put(word, h, 1);
			if (m >= FUNC_MAX)
				m = FUNC_MAX - 1;
			memcpy(canon, d->aliases[i].name, m);
			canon[m] = '\0';
			return;
		}
	}
	if (known < 0)
		memo_put(word, h, 0);
}

static void expand(struct kt_strbuf *sb, const char *tmpl, const struct kt_report *r,
		   const char *func)
{
	const char *p = tmpl, *q;

	while (*p) {
		if (*p == '{' && (q = strchr(p, '}'))) {
			char name[64];
			size_t n = (size_t)(q - p - 1);
			const char *v;

			if (n < sizeof(name)) {
				memcpy(name, p + 1, n);
				name[n] = '\0';
				v = !strcmp(name, "func") ? func : kt_report_field(r, name);
				if (v)
					kt_strbuf_addstr(sb, v);
				p = q + 1;
				continue;
			}
		}
		kt_strbuf_addch(sb, *p++);
	}
	/* squeeze blanks left by empty fields */
	{
		size_t i, o = 0;

		for (i = 0; i < sb->len; i++) {
			if (sb->buf[i] == ' ' && (o == 0 || sb->buf[o - 1] == ' '))
				continue;
			sb->buf[o++] = sb->buf[i];
		}
		while (o && sb->buf[o - 1] == ' ')
			o--;
		sb->len = o;
		sb->buf[o] = '\0';
	}
}

/* "age=624 cpu=0", "foo.part.45" -> "age=NUM cpu=NUM", "foo.part.NUM": a
 * digit run not inside an identifier is a number, and so is a long one
 * within a word ("testdir264563108": a random or generated name) */
static bool long_run(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	return n >= 6;
}

static void numbers_to_num(struct kt_strbuf *sb)
{
	struct kt_strbuf out;
	size_t i = 0;

	kt_strbuf_init(&out, sb->len + 16);
	while (i < sb->len) {
		char c = sb->buf[i];
		char p = i ? sb->buf[i - 1] : ' ';
		bool ident = (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z') ||
			     (p >= '0' && p <= '9') || p == '_';

		if (c >= '0' && c <= '9' && (!ident || long_run(sb->buf + i, sb->len - i))) {
			while (i < sb->len && sb->buf[i] >= '0' && sb->buf[i] <= '9')
				i++;
			kt_strbuf_addstr(&out, "NUM");
			continue;
		}
		kt_strbuf_addch(&out, c);
		i++;
	}
	kt_strbuf_reset(sb);
	kt_strbuf_add(sb, out.buf, out.len);
	kt_strbuf_release(&out);
}

/* does the report have every field a template names (but {func})? */
static bool has_fields(const char *tmpl, const struct kt_report *r)
{
	const char *p = tmpl, *q;

	while ((p = strchr(p, '{')) && (q = strchr(p, '}'))) {
		char name[64];
		size_t n = (size_t)(q - p - 1);

		if (n < sizeof(name)) {
			memcpy(name, p + 1, n);
			name[n] = '\0';
			if (strcmp(name, "func") && !kt_report_field(r, name))
				return false;
		}
		p = q + 1;
	}
	return true;
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	h ^= 0xff;	/* separator */
	h *= 0x100000001b3ull;
	return h;
}

static void set_corrupted(struct kt_report *r, const char *why)
{
	if (r->corrupted)
		return;
	r->corrupted = true;
	r->corrupted_reason = kt_report_pool_dup(r, why, strlen(why));
}

/*
 * Header candidates: the report's fields named "func", in order; the first
 * that is not generic becomes the guilty frame (canonical name in canon).
 * The first generic one is left in fallback.  Returns true if one was taken.
 */
static bool header_guilty(const struct kt_report_defs *d, const struct kind_def *k,
			  struct kt_report *r, char *canon, char *fallback)
{
	char tmp[FUNC_MAX];
	size_t i;

	for (i = 0; i < r->n_fields; i++) {
		const char *fn = r->fields[i].value;
		struct kt_frame_view v;

		if (strcmp(r->fields[i].name, "func"))
			continue;
		if (kt_frame_parse(fn, strlen(fn), &v, NULL) == KT_FRAME_NONE) {
			memset(&v, 0, sizeof(v));
			v.func = fn;
			v.func_len = strcspn(fn, "+ ");
			v.reliable = true;
		}
		if (!v.func)
			continue;
		memcpy(tmp, v.func, v.func_len < FUNC_MAX ? v.func_len : FUNC_MAX - 1);
		tmp[v.func_len < FUNC_MAX ? v.func_len : FUNC_MAX - 1] = '\0';
		if (is_skipped(d, k, tmp, canon)) {
			if (!fallback[0])
				memcpy(fallback, canon, strlen(canon) + 1);
			canon[0] = '\0';
			continue;
		}
		kt_report_frame_copy(r, &r->guilty, &v, KT_CTX_TASK);
		r->has_guilty = true;
		return true;
	}
	return false;
}

/* is the header a guilty source after a stack source? */
static bool header_later(const struct kind_def *k)
{
	unsigned int s;

	for (s = 1; s < k->n_gsrc; s++)
		if (k->gsrc[s] == GSRC_HEADER)
			return true;
	return false;
}

void kt_report_finish(const struct kt_report_defs *d, struct kt_report *r,
		      size_t def_index, bool cut)
{
	const struct kind_def *k = &d->kinds[def_index];
	const struct kt_frame *g = NULL;
	char canon[FUNC_MAX], tmp[FUNC_MAX], fallback[FUNC_MAX];
	struct kt_strbuf sb;
	bool needs_func = strstr(k->title, "{func}") != NULL;
	bool have_main = false, from_header = false, titled_by_func, stall;
	uint64_t h;
	size_t i, nsig;

	for (i = 0; i < r->n_frames; i++)
		if (r->frames[i].type == KT_FRAME_CALL && r->frames[i].stack == KT_STACK_MAIN)
			have_main = true;
	canon[0] = '\0';
	fallback[0] = '\0';
	/* header candidates first, unless a stack source comes before them */
	if (k->n_gsrc && k->gsrc[0] == GSRC_HEADER)
		from_header = header_guilty(d, k, r, canon, fallback);
	if (!r->has_guilty) {
		stall = k->stall || (k->stall_when_deep && r->frames_dropped);
		g = stall ? pick_stall(d, k, r, canon) : pick(d, k, r, canon);
		if (g) {
			struct kt_frame_view v;

			memset(&v, 0, sizeof(v));
			v.type = g->type;
			v.func = g->func;
			v.func_len = strlen(g->func);
			v.module = g->module;
			v.module_len = g->module ? strlen(g->module) : 0;
			v.offset = g->offset;
			v.size = g->size;
			v.has_offset = g->has_offset;
			v.has_size = g->has_size;
			v.address = g->address;
			v.has_address = g->has_address;
			v.reliable = g->reliable;
			kt_report_frame_copy(r, &r->guilty, &v, g->context);
			r->has_guilty = true;
			if (!stall)
				kt_frame_canonical(g->func, strlen(g->func), canon, FUNC_MAX);
		} else {
			canon[0] = '\0';
			if (header_later(k))
				from_header = header_guilty(d, k, r, canon, fallback);
		}
	}


	/* no stack to choose from: the header's (generic) function is the best
	 * guess there is, and the report is corrupted */
	if (k->generic_header && !have_main) {
		if (!canon[0] && fallback[0])
			memcpy(canon, fallback, strlen(fallback) + 1);
		set_corrupted(r, "missing stack trace");
	}
	if (canon[0])
		apply_alias(d, canon);
	/* a header's function without the stack to confirm it is a guess; an
	 * instruction-pointer line is not */
	if (k->need_trace && !have_main && from_header)
		canon[0] = '\0';
	kt_strbuf_init(&sb, 128);
	if (k->title_missing && !has_fields(k->title, r)) {
		expand(&sb, k->title_missing, r, canon[0] ? canon : "corrupted");
		set_corrupted(r, "a line of the report's format is missing");
	} else if (needs_func && !canon[0]) {
		if (k->title_nofunc) {
			expand(&sb, k->title_nofunc, r, NULL);
			if (!k->nofunc_ok)
				set_corrupted(r, "no usable stack frame");
		} else {
			expand(&sb, k->title, r, "corrupted");
			set_corrupted(r, "no usable stack frame");
		}
	} else {
		expand(&sb, k->title, r, canon);
	}
	titled_by_func = needs_func && canon[0];
	if (k->numbers)
		numbers_to_num(&sb);
	r->title = kt_report_pool_dup(r, sb.buf, sb.len);
	kt_strbuf_release(&sb);

	if (k->corrupted)
		set_corrupted(r, "truncated report format");
	/* a report titled by a function needs the stack that confirms it */
	if ((k->need_trace || (titled_by_func && !k->trace_optional)) && !have_main)
		set_corrupted(r, cut ? "cut short before its stack trace" :
			      "missing stack trace");

	/* signature: kind, title, first three usable non-generic main frames */
	h = 0xcbf29ce484222325ull;
	h = fnv(h, r->kind, strlen(r->kind));
	h = fnv(h, r->title, strlen(r->title));
	for (i = 0, nsig = 0; i < r->n_frames && nsig < 3; i++) {
		const struct kt_frame *f = &r->frames[i];

		if (f->type != KT_FRAME_CALL || f->stack != KT_STACK_MAIN || !f->func ||
		    !f->reliable || is_skipped(d, k, f->func, tmp))
			continue;
		h = fnv(h, tmp, strlen(tmp));
		nsig++;
	}
	for (i = 0; i < 16; i++)
		r->signature[i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xf];
	r->signature[16] = '\0';
}

const char *kt_taint_meaning(char letter)
{
	switch (letter) {
	case 'P': return "proprietary module was loaded";
	case 'G': return "only GPL modules loaded";
	case 'F': return "module was force loaded";
	case 'S': return "kernel running on an out of specification system";
	case 'R': return "module was force unloaded";
	case 'M': return "processor reported a machine check exception";
	case 'B': return "bad page referenced or unexpected page flags";
	case 'U': return "taint requested by userspace";
	case 'D': return "kernel died recently (OOPS or BUG)";
	case 'A': return "ACPI table overridden by user";
	case 'W': return "kernel issued a warning";
	case 'C': return "staging driver was loaded";
	case 'I': return "workaround for bug in platform firmware applied";
	case 'O': return "externally-built (out-of-tree) module was loaded";
	case 'E': return "unsigned module was loaded";
	case 'L': return "soft lockup occurred";
	case 'K': return "kernel has been live patched";
	case 'X': return "auxiliary taint (distribution defined)";
	case 'T': return "kernel built with the struct randomization plugin";
	case 'N': return "in-kernel test has been run";
	case 'J': return "userspace used a mutating debug operation in fwctl";
	default: return NULL;
	}
}
