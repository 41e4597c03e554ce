// SPDX-License-Identifier: GPL-2.0-or-later
/* assemble.c - kernel log lines -> struct kt_report (streaming). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "kt-xalloc.h"

struct open_report {
	struct kt_report *r;
	unsigned int kind;
	uint64_t key;
	uint64_t tick;
	unsigned int section;
	enum kt_frame_stack stack;
	enum kt_frame_context ctx;
	unsigned int idle;
	bool seen_frame;
	bool in_modules;
	bool aside;		/* the next call trace is not the report's own */
	bool header_seen;	/* "CPU: n PID: n Comm:" line parsed */
	/* arm "(f) from [<a>] (caller+off)": the caller of the last frame line,
	 * a frame of its own only if no frame line follows */
	char from[160];
	size_t from_len;
	uint64_t fields_done;
};

struct kt_scanner {
	const struct kt_report_defs *d;
	pcre2_match_data *md;
	int md_kind;		/* the kind whose start md holds the match
				 * of (the last scan's answer), or -1 */
};

struct kt_assembler {
	const struct kt_report_defs *d;
	struct kt_scanner sc;	/* for lines that come without a scan */
	struct open_report open[KT_ASSEMBLER_MAX_OPEN];
	unsigned int n_open;
	unsigned int last;	/* index of the last report found: lines of one
				 * context come in runs */
	uint64_t keys;		/* kt_report_context_bit() of every open report's key */
	/* finished reports held back until the reports begun before them
	 * are finished too, so they come out in the order they began */
	struct kt_report *done[KT_ASSEMBLER_MAX_OPEN];
	unsigned int n_done;
	pcre2_match_data *md;
	uint64_t tick;
};

struct kt_assembler *kt_assembler_new(const struct kt_report_defs *defs)
{
	struct kt_assembler *a = kt_xcalloc(1, sizeof(*a));

	a->d = defs;
	a->md = pcre2_match_data_create(defs->max_ovec + 1, NULL);
	a->sc.d = defs;
	a->sc.md_kind = -1;
	a->sc.md = pcre2_match_data_create(defs->max_ovec + 1, NULL);
	if (!a->md || !a->sc.md)
		abort();
	return a;
}

struct kt_scanner *kt_scanner_new(const struct kt_report_defs *defs)
{
	struct kt_scanner *sc = kt_xcalloc(1, sizeof(*sc));

	sc->d = defs;
	sc->md_kind = -1;
	sc->md = pcre2_match_data_create(defs->max_ovec + 1, NULL);
	if (!sc->md)
		abort();
	return sc;
}

void kt_scanner_free(struct kt_scanner *sc)
{
	if (!sc)
		return;
	pcre2_match_data_free(sc->md);
	free(sc);
}

/*
 * A report's strings (its frames' func, module and build id, its fields,
 * modules, header words, title) live in blocks of the report's own
 * (r->pool), not in a malloc() each: a report has dozens of them, and the
 * allocator was a fifth of assembling one.  The first block comes in the
 * report's own allocation.  The blocks never move; kt_report_free() frees
 * them, and frees any string outside them (one a symbolizer filled in) as
 * kt_frame_release() would.  So a frame is copied in with
 * kt_report_frame_copy() and released with frame_release_pooled(), never
 * kt_frame_copy() / kt_frame_release().
 */
#define FRAMES_FIRST	32
#define POOL_BLOCK	2048

struct kt_report_pool {
	struct kt_report_pool *next;
	size_t used, cap;
	char data[];
};

static inline char *pool_dup(struct kt_report *r, const char *p, size_t n)
{
	struct kt_report_pool *b = r->pool;
	char *ret;

	if (!p)
		return NULL;
	if (b->cap - b->used < n + 1) {
		size_t cap = n + 1 > POOL_BLOCK ? n + 1 : POOL_BLOCK;

		b = kt_xmalloc(sizeof(*b) + cap);
		b->next = r->pool;
		b->used = 0;
		b->cap = cap;
		r->pool = b;
	}
	ret = b->data + b->used;
	kt_mem_copy(ret, p, n);
	ret[n] = '\0';
	b->used += n + 1;
	return ret;
}

char *kt_report_pool_dup(struct kt_report *r, const char *p, size_t n)
{
	return pool_dup(r, p, n);
}

static bool pooled(const struct kt_report *r, const char *p)
{
	const struct kt_report_pool *b;

	for (b = r->pool; b && p; b = b->next)
		if ((uintptr_t)p - (uintptr_t)b->data < b->cap)
			return true;
	return false;
}

/* kt_frame_release() for a frame of the report (copied by kt_report_frame_copy())
 * that is then dropped: the pool's strings (f->pooled says which) go with
 * the pool; a symbolizer may have set others where they were NULL */
static void frame_release_pooled(struct kt_frame *f)
{
	if (f->pooled & KT_FRAME_POOL_FUNC)
		f->func = NULL;
	if (f->pooled & KT_FRAME_POOL_MODULE)
		f->module = NULL;
	if (f->pooled & KT_FRAME_POOL_BUILD_ID)
		f->build_id = NULL;
	f->pooled = 0;
	/* most frames own nothing else (no symbolizer ran) */
	if (f->func || f->module || f->build_id || f->file || f->inlined)
		kt_frame_release(f);
}

/* free p unless it is the pool's */
static void free_str(const struct kt_report *r, char *p)
{
	if (p && !pooled(r, p))
		free(p);
}

/* The report and its first pool block come in one allocation: the block
 * right after the report (at FIRST_BLOCK bytes). */
#define FIRST_BLOCK \
	((sizeof(struct kt_report) + _Alignof(max_align_t) - 1) / _Alignof(max_align_t) * \
	 _Alignof(max_align_t))

static struct kt_report_pool *first_block(struct kt_report *r)
{
	return (struct kt_report_pool *)((char *)r + FIRST_BLOCK);
}

static struct kt_report *report_new(void)
{
	struct kt_report *r = kt_xmalloc(FIRST_BLOCK + sizeof(struct kt_report_pool) +
					 POOL_BLOCK);
	struct kt_report_pool *b = first_block(r);

	memset(r, 0, sizeof(*r));
	b->next = NULL;
	b->used = 0;
	b->cap = POOL_BLOCK;
	r->pool = b;
	return r;
}

void kt_report_free(struct kt_report *r)
{
	size_t i;

	if (!r)
		return;
	free_str(r, r->id);
	free_str(r, r->kind);
	free_str(r, r->title);
	free_str(r, r->corrupted_reason);
	free_str(r, r->source);
	free_str(r, r->comm);
	free_str(r, r->kernel);
	free_str(r, r->build);
	free_str(r, r->taint);
	free_str(r, r->hardware);
	frame_release_pooled(&r->ip);
	frame_release_pooled(&r->guilty);
	for (i = 0; i < r->n_frames; i++)
		frame_release_pooled(&r->frames[i]);
	free(r->frames);
	for (i = 0; i < r->n_modules; i++)
		free_str(r, r->modules[i]);
	free(r->modules);
	for (i = 0; i < r->n_fields; i++) {
		free_str(r, r->fields[i].name);
		free_str(r, r->fields[i].value);
	}
	free(r->fields);
	while (r->pool) {
		struct kt_report_pool *b = r->pool;

		r->pool = b->next;
		if (b != first_block(r))
			free(b);
	}
	free(r);
}

void kt_assembler_free(struct kt_assembler *a)
{
	unsigned int i;

	if (!a)
		return;
	for (i = 0; i < a->n_open; i++)
		kt_report_free(a->open[i].r);
	for (i = 0; i < a->n_done; i++)
		kt_report_free(a->done[i]);
	pcre2_match_data_free(a->md);
	pcre2_match_data_free(a->sc.md);
	free(a);
}

const char *kt_report_field(const struct kt_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_fields; i++)
		if (!strcmp(r->fields[i].name, name))
			return r->fields[i].value;
	return NULL;
}

static void add_field(struct kt_report *r, const char *name, size_t nlen,
		      const char *v, size_t vlen)
{
	if (r->n_fields >= 64)
		return;
	/* room for 4, then doubled when full */
	if (r->n_fields == 0 || (r->n_fields >= 4 && (r->n_fields & (r->n_fields - 1)) == 0))
		r->fields = kt_xrealloc(r->fields, (r->n_fields ? r->n_fields * 2 : 4) *
					sizeof(*r->fields));
	r->fields[r->n_fields].name = kt_report_pool_dup(r, name, nlen);
	r->fields[r->n_fields].value = kt_report_pool_dup(r, v, vlen);
	r->n_fields++;
}

/* ---- start detection ---------------------------------------------------- */

static bool try_kind(const struct kt_report_defs *d, pcre2_match_data *md, unsigned int k,
		     const char *s, size_t len)
{
	return pcre2_match(d->kinds[k].start, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

/* "contains" literals are looked for in the first bytes of a message only
 * (e.g. "<comm> invoked oom-killer:", comm <= 15 bytes). */

/* memmem() costs more than the rest of the prefilter on short lines: look
 * for the literal's rare byte with memchr and compare around it. */
static bool contains(const char *s, size_t len, const struct lit *l)
{
	const char *p = s + l->rare, *end;
	char c = l->s[l->rare];

	if (len > KT_CONTAINS_WINDOW)
		len = KT_CONTAINS_WINDOW;
	if (l->len > len)
		return false;
	end = s + len - (l->len - l->rare - 1);

	while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
		if (kt_mem_eq(p - l->rare, l->s, l->len))
			return true;
		p++;
	}
	return false;
}

/* what start_gate() lets through: a line that may begin with a prefix,
 * and one that may hold a 'contains' literal */
#define GATE_PREFIX	0x1
#define GATE_CONTAINS	0x2

/* Many kinds share a prefix ("WARNING: ", "BUG: "): the literal further
 * in their patterns tells most of them apart before pcre2 is asked. */
static bool inner_found(const struct kind_def *k, const char *s, size_t len)
{
	return !k->has_inner || kt_needle_found(s, len, &k->inner);
}

/* Try kind k's start pattern with the scanner's match data; sc->md_kind
 * says whose match that data holds (a failed match leaves it undefined). */
static bool try_start(struct kt_scanner *sc, unsigned int k, const char *s, size_t len)
{
	bool ok = try_kind(sc->d, sc->md, k, s, len);

	sc->md_kind = ok ? (int)k : -1;
	return ok;
}

/* Returns the kind index of a report start, or -1.  gate: start_gate()'s
 * answer for the line. */
static __attribute__((noinline)) int detect_start(struct kt_scanner *sc, const char *s,
						 size_t len, unsigned int gate)
{
	const struct kt_report_defs *d = sc->d;
	unsigned int i, n, best = UINT32_MAX;

	sc->md_kind = -1;
	if (len == 0)
		return -1;
	n = gate & GATE_PREFIX ? d->nfirst[(unsigned char)s[0]] : 0;
	for (i = d->first[(unsigned char)s[0]]; n--; i++) {
		const struct lit *l = &d->prefix[i];

		/* the bucket is by first byte: the second one tells most apart;
		 * a short prefix ("20" of a dated line) leaves it to the length */
		if (l->kind >= best || l->len > len || (l->len > 1 && l->s[1] != s[1]) ||
		    d->kinds[l->kind].start_min > len || !kt_mem_eq(l->s, s, l->len) ||
		    !inner_found(&d->kinds[l->kind], s, len))
			continue;
		if (try_start(sc, l->kind, s, len))
			best = l->kind;
	}
	for (i = 0; gate & GATE_CONTAINS && i < d->n_contains; i++) {
		const struct lit *l = &d->contains[i];

		if (l->kind >= best || l->len > len || d->kinds[l->kind].start_min > len ||
		    !contains(s, len, l) || !inner_found(&d->kinds[l->kind], s, len))
			continue;
		if (try_start(sc, l->kind, s, len))
			best = l->kind;
	}
	if (best == UINT32_MAX)
		return -1;
	return (int)best;
}

/* copy named groups of the last match (in md) into report fields */
static void capture_groups(pcre2_match_data *md, const pcre2_code *re,
			   struct kt_report *r, const char *s)
{
	uint32_t count, esize, i;
	PCRE2_SPTR table;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t npairs = pcre2_get_ovector_count(md);

	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	if (!count)
		return;
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * esize;
		unsigned int g = (unsigned int)(e[0] << 8 | e[1]);
		const char *name = (const char *)e + 2;

		if (g >= npairs || ov[2 * g] == PCRE2_UNSET)
			continue;
		add_field(r, name, strlen(name), s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
}

/* ---- header lines -------------------------------------------------------- */

static bool starts(const char *s, size_t len, const char *lit, size_t *ret_n)
{
	size_t n = strlen(lit);

	if (len < n || memcmp(s, lit, n) != 0)
		return false;
	*ret_n = n;
	return true;
}

static const char *find(const char *s, size_t len, const char *lit)
{
	return memmem(s, len, lit, strlen(lit));
}

static int parse_int(const char *p, const char *end, const char **ret_end)
{
	long v = 0;
	const char *q = p;

	while (q < end && *q >= '0' && *q <= '9' && q - p < 9)
		v = v * 10 + (*q++ - '0');
	*ret_end = q;
	return q == p ? -1 : (int)v;
}

static char *dup_word(struct kt_report *r, const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	return kt_report_pool_dup(r, p, (size_t)(q - p));
}

/* "CPU: 1 PID: 4085 Comm: syz Not tainted 4.4.107-g79f138a #2" and the
 * "Tainted: G    B   W  6.1.0 #1 Debian" variant. */
static void parse_cpu_line(struct kt_report *r, const char *s, size_t len)
{
	const char *end = s + len, *p, *q;

	p = s + 5;
	while (p < end && *p == ' ')
		p++;
	if (r->cpu < 0)
		r->cpu = parse_int(p, end, &q);
	p = find(s, len, "PID: ");
	if (p && r->pid < 0) {
		p += 5;
		while (p < end && *p == ' ')
			p++;
		r->pid = parse_int(p, end, &q);
	}
	p = find(s, len, "Comm: ");
	if (!p)
		return;
	p += 6;
	/* comm is up to 15 chars and may contain spaces: stop at " Not tainted"
	 * or " Tainted:" */
	q = find(p, (size_t)(end - p), " Not tainted");
	if (!q)
		q = find(p, (size_t)(end - p), " Tainted: ");
	if (!q)
		q = end;
	if (!r->comm)
		r->comm = kt_report_pool_dup(r, p, (size_t)(q - p));
	if (q == end)
		return;
	if (q[1] == 'N') {
		p = q + 12;
		if (!r->taint)
			r->taint = kt_report_pool_dup(r, "", 0);
	} else {
		char buf[64];
		size_t n = 0;

		p = q + 10;
		/* taint: words of upper-case letters ("G    B   W", "G  OE"),
		 * then the release */
		while (p < end && n < sizeof(buf) - 1) {
			const char *w = p;

			while (w < end && *w >= 'A' && *w <= 'Z')
				w++;
			if (w == p) {
				if (*p != ' ')
					break;
				p++;
				continue;
			}
			if (w < end && *w != ' ')
				break;	/* not a word of letters: the release */
			while (p < w && n < sizeof(buf) - 1)
				buf[n++] = *p++;
			p = w;
		}
		buf[n] = '\0';
		if (!r->taint)
			r->taint = kt_report_pool_dup(r, buf, n);
	}
	while (p < end && *p == ' ')
		p++;
	if (p < end && !r->kernel) {
		r->kernel = dup_word(r, p, end);
		p += strlen(r->kernel);
		while (p < end && *p == ' ')
			p++;
		if (p < end)
			r->build = kt_report_pool_dup(r, p, (size_t)(end - p));
	}
}

static bool is_module_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Add module names from a "Modules linked in:" list or a continuation;
 * returns false if the text does not look like a module list. */
static bool add_modules(struct kt_report *r, const char *p, const char *end,
			bool strict)
{
	const char *q = find(p, (size_t)(end - p), "[last unloaded:");

	if (q)
		end = q;
	if (strict) {
		for (q = p; q < end; q++)
			if (!is_module_char(*q) && *q != ' ' && *q != '(' && *q != ')' &&
			    *q != '[' && *q != ']')
				return false;
	}
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		q = p;
		while (q < end && is_module_char(*q))
			q++;
		if (q > p && r->n_modules < KT_REPORT_MAX_MODULES) {
			/* room for 16, then doubled when full */
			if (r->n_modules == 0 ||
			    (r->n_modules >= 16 && (r->n_modules & (r->n_modules - 1)) == 0))
				r->modules = kt_xrealloc(r->modules,
							 (r->n_modules ? r->n_modules * 2 : 16) *
							 sizeof(*r->modules));
			r->modules[r->n_modules++] = kt_report_pool_dup(r, p, (size_t)(q - p));
		}
		/* skip "(OE)" flags and "[last unloaded: x]" */
		while (q < end && *q != ' ')
			q++;
		if (q == p)
			q++;
		p = q;
		if (end - p > 16 && !memcmp(p, " [last unloaded:", 16))
			break;
	}
	return true;
}

/* ---- lifecycle ----------------------------------------------------------- */

static void flush_from(struct open_report *o);
static void drop_middle(struct kt_report *r);

/* a->keys: one bit per open report's key (kt_report_context_bit()), so a
 * line of no open report's context (most lines) is told so without
 * looking at each */
static void rebuild_keys(struct kt_assembler *a)
{
	unsigned int i;

	a->keys = 0;
	for (i = 0; i < a->n_open; i++)
		a->keys |= kt_report_context_bit(a->open[i].key);
}

static void emit(struct kt_report *r, kt_report_cb cb, void *userdata)
{
	if (!cb || cb(r, userdata) != KT_REPORT_KEEP)
		kt_report_free(r);
}

/* first line of the oldest open report, or UINT64_MAX */
static uint64_t oldest_open(const struct kt_assembler *a)
{
	uint64_t min = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < a->n_open; i++)
		if (a->open[i].r->first_line < min)
			min = a->open[i].r->first_line;
	return min;
}

/* emit held-back reports that began before every open one (all if 'all') */
static void emit_done(struct kt_assembler *a, bool all, kt_report_cb cb, void *userdata)
{
	uint64_t min = all ? UINT64_MAX : oldest_open(a);

	while (a->n_done && (all || a->done[0]->first_line < min)) {
		struct kt_report *r = a->done[0];

		memmove(&a->done[0], &a->done[1], --a->n_done * sizeof(a->done[0]));
		emit(r, cb, userdata);
	}
}

static void close_report(struct kt_assembler *a, unsigned int i, bool cut,
			 kt_report_cb cb, void *userdata)
{
	struct open_report o = a->open[i];
	unsigned int j;

	a->open[i] = a->open[--a->n_open];
	rebuild_keys(a);
	flush_from(&o);
	drop_middle(o.r);
	kt_report_finish(a->d, o.r, o.kind, cut);
	if (a->n_done == KT_ASSEMBLER_MAX_OPEN)
		emit_done(a, true, cb, userdata);
	/* keep the held-back reports sorted by first line */
	for (j = a->n_done; j > 0 && a->done[j - 1]->first_line > o.r->first_line; j--)
		a->done[j] = a->done[j - 1];
	a->done[j] = o.r;
	a->n_done++;
	emit_done(a, false, cb, userdata);
}

static struct open_report *find_open(struct kt_assembler *a, uint64_t key)
{
	unsigned int i;

	if (!(a->keys & kt_report_context_bit(key)))
		return NULL;
	if (a->last < a->n_open && a->open[a->last].key == key)
		return &a->open[a->last];
	for (i = 0; i < a->n_open; i++)
		if (a->open[i].key == key) {
			a->last = i;
			return &a->open[i];
		}
	return NULL;
}

static struct open_report *open_report(struct kt_assembler *a, unsigned int kind,
				       const struct kt_line *l, uint64_t key,
				       kt_report_cb cb, void *userdata)
{
	const struct kind_def *k = &a->d->kinds[kind];
	struct open_report *o;
	struct kt_report *r;
	unsigned int i, oldest = 0;

	if (a->n_open == KT_ASSEMBLER_MAX_OPEN) {
		for (i = 1; i < a->n_open; i++)
			if (a->open[i].tick < a->open[oldest].tick)
				oldest = i;
		close_report(a, oldest, true, cb, userdata);
	}
	o = &a->open[a->n_open++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->key = key;
	a->keys |= kt_report_context_bit(key);
	o->tick = ++a->tick;
	r = report_new();
	r->id = kt_report_pool_dup(r, k->id, strlen(k->id));
	r->kind = kt_report_pool_dup(r, k->kind, strlen(k->kind));
	r->source = l->source ? kt_report_pool_dup(r, l->source, strlen(l->source)) : NULL;
	r->first_line = r->last_line = l->lineno;
	r->first_usec = r->last_usec = l->mono_usec;
	r->boot = l->boot;
	r->caller_kind = l->caller_kind;
	r->caller_id = l->caller_id;
	r->cpu = -1;
	r->pid = -1;
	r->n_lines = 1;
	o->r = r;
	return o;
}

void kt_report_frame_copy(struct kt_report *r, struct kt_frame *ret,
			  const struct kt_frame_view *v, enum kt_frame_context ctx)
{
	kt_frame_copy_scalars(ret, v, ctx);
	ret->func = pool_dup(r, v->func, v->func_len);
	ret->module = pool_dup(r, v->module, v->module_len);
	ret->build_id = pool_dup(r, v->build_id, v->build_id_len);
	ret->pooled = (ret->func ? KT_FRAME_POOL_FUNC : 0) |
		      (ret->module ? KT_FRAME_POOL_MODULE : 0) |
		      (ret->build_id ? KT_FRAME_POOL_BUILD_ID : 0);
}

/*
 * Keep the top and the bottom of a very deep stack (a runaway recursion's
 * entry point is at the bottom): the first KT_REPORT_MAX_FRAMES / 2 frames
 * and the last ones, dropping the middle.  Done when twice the limit have
 * gathered and when the report closes, so a deep stack costs a constant
 * amount of moving per frame instead of half the limit.
 * (Dropped frames' strings stay in the pool until the report is freed: at
 * most k->max_lines frames' worth.)
 */
static void drop_middle(struct kt_report *r)
{
	size_t mid = KT_REPORT_MAX_FRAMES / 2, keep = KT_REPORT_MAX_FRAMES - mid, from, i;

	if (r->n_frames <= KT_REPORT_MAX_FRAMES)
		return;
	from = r->n_frames - keep;
	for (i = mid; i < from; i++)
		frame_release_pooled(&r->frames[i]);
	memmove(&r->frames[mid], &r->frames[from], keep * sizeof(*r->frames));
	r->frames_dropped += from - mid;
	r->n_frames = KT_REPORT_MAX_FRAMES;
}

static void add_frame(struct open_report *o, const struct kt_frame_view *v)
{
	struct kt_report *r = o->r;
	struct kt_frame *f;

	if (v->type == KT_FRAME_IP && !r->has_ip) {
		kt_report_frame_copy(r, &r->ip, v, o->ctx);
		r->has_ip = true;
	}
	if (r->n_frames >= 2 * KT_REPORT_MAX_FRAMES)
		drop_middle(r);
	/* room for FRAMES_FIRST, then doubled when full */
	if (r->n_frames == 0 ||
	    (r->n_frames >= FRAMES_FIRST && (r->n_frames & (r->n_frames - 1)) == 0))
		r->frames = kt_xrealloc(r->frames, (r->n_frames ? r->n_frames * 2 : FRAMES_FIRST) *
					sizeof(*r->frames));
	f = &r->frames[r->n_frames++];
	kt_report_frame_copy(r, f, v, o->ctx);
	f->stack = o->stack;
	f->section = o->section;
}

/* pcre2 only on the lines the pattern list's literal prefilter lets by */
static bool re_match(pcre2_match_data *md, const pcre2_code *re, const struct kt_filter *f,
		     const char *s, size_t len)
{
	return re && kt_filter_pass(f, s, len) &&
	       pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

/* the trace ended after an arm "from" caller: that caller is the last frame */
static void flush_from(struct open_report *o)
{
	struct kt_frame_view v;

	if (!o->from_len)
		return;
	if (kt_frame_parse(o->from, o->from_len, &v, NULL) == KT_FRAME_CALL && v.func)
		add_frame(o, &v);
	o->from_len = 0;
}

/* does the pending "from" caller name the function of frame line v? */
static bool same_func(const struct open_report *o, const struct kt_frame_view *v)
{
	const char *p = memchr(o->from, '(', o->from_len);
	size_t n;

	if (!p || !v->func)
		return true;
	p++;
	n = (size_t)(o->from + o->from_len - p);
	return n > v->func_len && !memcmp(p, v->func, v->func_len) &&
	       (p[v->func_len] == '+' || p[v->func_len] == ')');
}

/* arm register dump between frame lines: " r7:00000000 r6:82622e04" */
static bool is_arm_regs(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i + 3 > len || s[i] != 'r' || s[i + 1] < '0' || s[i + 1] > '9')
		return false;
	i += 2;
	if (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i < len && s[i] == ':';
}

static void count_line(struct kt_assembler *a, struct open_report *o,
		       const struct kt_line *l)
{
	struct kt_report *r = o->r;

	r->n_lines++;
	r->last_line = l->lineno;
	if (l->mono_usec != KT_TIME_NONE)
		r->last_usec = l->mono_usec;
	o->tick = ++a->tick;
}

/* The header lines known by their first words, one compare at most. */
enum header_literal {
	HDR_NONE,
	HDR_END,	/* "---[ end trace ..." */
	HDR_CPU,	/* "CPU: 0 PID: 1 Comm: ..." */
	HDR_HARDWARE,
	HDR_MODULES,
	HDR_TASK_DUMP,
};

static enum header_literal header_literal(const char *s, size_t len, size_t *ret_n)
{
	if (!len)
		return HDR_NONE;
	switch (s[0]) {
	case '-':
		return starts(s, len, "---[ end ", ret_n) ? HDR_END : HDR_NONE;
	case 'C':
		return starts(s, len, "CPU: ", ret_n) ? HDR_CPU : HDR_NONE;
	case 'H':
		return starts(s, len, "Hardware name: ", ret_n) ? HDR_HARDWARE : HDR_NONE;
	case 'M':
		return starts(s, len, "Modules linked in:", ret_n) ? HDR_MODULES : HDR_NONE;
	case 'T':
		return starts(s, len, "Task dump for CPU ", ret_n) ? HDR_TASK_DUMP : HDR_NONE;
	}
	return HDR_NONE;
}

/* Is a line of a report with a body list, before its stack, one of its own?
 * Structure lines (frames, CPU/Hardware/Modules lines, stack headers) are. */
static bool belongs(struct kt_assembler *a, const struct kind_def *k, const char *s,
		    size_t len, bool is_frame)
{
	const struct kt_report_defs *d = a->d;
	enum header_literal hdr;
	size_t n;

	if (is_frame)
		return true;
	hdr = header_literal(s, len, &n);
	return (hdr != HDR_NONE && hdr != HDR_TASK_DUMP) ||
	       (kt_filter_pass(&d->header_f, s, len) &&
		(re_match(a->md, d->trace_hdr, &d->trace_f, s, len) ||
		 re_match(a->md, d->alloc_hdr, &d->alloc_f, s, len) ||
		 re_match(a->md, d->free_hdr, &d->free_f, s, len) ||
		 re_match(a->md, d->other_hdr, &d->other_f, s, len))) ||
	       re_match(a->md, k->body, &k->body_f, s, len);
}

/* ---- scanning: what a line is, whatever reports are open ------------------ */

/* Does a 'contains' literal lie around the probe at q (hash h) of the
 * first lim bytes of s?  (Only the window each literal has at this
 * residue is checked: the probe that meets it does the confirming.) */
static bool contains_at(const struct kt_report_defs *d, const char *s, size_t lim,
			size_t q, uint32_t h)
{
	unsigned int lo = 0, hi = d->n_c_win;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (d->c_win[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->n_c_win && d->c_win[lo].hash == h; lo++) {
		const struct contains_window *w = &d->c_win[lo];
		const struct lit *l = &d->contains[w->lit];

		if (q >= w->off && q - w->off + l->len <= lim &&
		    kt_mem_eq(s + q - w->off, l->s, l->len))
			return true;
	}
	return false;
}

/* Could the line hold a start at all, and of which sort (GATE_*)?  Its
 * first 4 bytes (prefixes of 4+ bytes) or its first 2 (shorter ones); the
 * sampled probe for the contains literals, each hit confirmed by the
 * literal.  Most lines fail both, and only the rest pay for detect_start(). */
static inline unsigned int start_gate(const struct kt_report_defs *d, const char *s,
				      size_t len)
{
	unsigned int gate = 0;
	size_t lim, q;

	if (len >= 4) {
		uint32_t h = kt_gram_hash(s);

		if (d->head[h >> 6] & (1ull << (h & 63)))
			gate = GATE_PREFIX;
	}
	if (len >= 2) {
		unsigned int pair = (unsigned char)s[0] << 8 | (unsigned char)s[1];

		if (d->pair[pair >> 6] & (1ull << (pair & 63)))
			gate = GATE_PREFIX;
	} else if (len == 1 && d->nfirst[(unsigned char)s[0]]) {
		gate = GATE_PREFIX;
	}
	if (!d->c_stride)
		return d->n_contains ? gate | GATE_CONTAINS : gate;
	lim = len < KT_CONTAINS_WINDOW ? len : KT_CONTAINS_WINDOW;
	for (q = 0; q + 4 <= lim; q += d->c_stride) {
		uint32_t h = kt_gram_hash(s + q);

		if (__builtin_expect(!!(d->c_bits[h >> 6] & (1ull << (h & 63))), 0) &&
		    contains_at(d, s, lim, q, h))
			return gate | GATE_CONTAINS;
	}
	return gate;
}

static __attribute__((noinline)) int scan_start(struct kt_scanner *sc, const struct kt_line *l)
{
	size_t b = kt_text_indent(l->text, l->text_len);
	const char *s = l->text + b;
	size_t len = l->text_len - b;
	unsigned int gate = start_gate(sc->d, s, len);

	return gate ? detect_start(sc, s, len, gate) : -1;
}

/* Frames and markers.  (The stack-header lists are left to the assembler,
 * for the lines of its reports only: most lines are in none, and those few
 * lists cost as much as the rest of the scan.) */
static void scan_body(struct kt_scanner *sc, const struct kt_line *l, struct kt_line_prep *p)
{
	const char *s = l->text;
	size_t len = l->text_len;

	p->ctx = KT_CTX_TASK;
	p->marker = kt_frame_marker(s, len, &p->ctx);
	p->frame = p->marker ? KT_FRAME_NONE : kt_frame_parse(s, len, &p->v, &p->next);
}

void kt_scanner_scan(struct kt_scanner *sc, const struct kt_line *line,
		     struct kt_line_prep *ret)
{
	ret->start = scan_start(sc, line);
	scan_body(sc, line, ret);
}

enum line_verdict {
	LINE_IN,	/* part of the report */
	LINE_LAST,	/* part of it, and the report ends with it */
	LINE_OUT,	/* not part of it: the report ended before */
};

/* A line of an open report. */
static enum line_verdict report_line(struct kt_assembler *a, struct open_report *o,
				     const struct kt_line *l, const struct kt_line_prep *p)
{
	const struct kind_def *k = &a->d->kinds[o->kind];
	const char *s = l->text;
	size_t len = l->text_len, n, next = p->next;
	const struct kt_frame_view *v = &p->v;
	enum kt_frame_context ctx = p->ctx;
	struct kt_report *r = o->r;
	unsigned int i;
	bool frame = false, marker = p->marker;
	enum kt_frame_type ft = p->frame;
	enum header_literal hdr;

	if (o->in_modules) {
		o->in_modules = false;
		if (len && s[0] == ' ' && add_modules(r, s, s + len, true)) {
			o->in_modules = true;
			count_line(a, o, l);
			return LINE_IN;
		}
	}
	/* a report that lists its own lines ends at the first other one
	 * until its stack begins (e.g. a lone "BUG: Bad page map") */
	if (k->body && !o->seen_frame &&
	    !belongs(a, k, s, len, marker || ft != KT_FRAME_NONE))
		return LINE_OUT;
	count_line(a, o, l);
	if (!marker && ft == KT_FRAME_NONE && !is_arm_regs(s, len))
		flush_from(o);
	if (marker) {
		o->ctx = ctx;
		frame = true;
	} else if (ft != KT_FRAME_NONE) {
		if (v->context_change)
			o->ctx = v->context;
		if (o->from_len && !same_func(o, v))
			flush_from(o);
		o->from_len = 0;
		add_frame(o, v);
		frame = true;
		o->seen_frame = true;
		if (next < len && len - next < sizeof(o->from)) {
			memcpy(o->from, s + next, len - next);
			o->from_len = len - next;
		}
	} else if ((hdr = header_literal(s, len, &n)) == HDR_END) {
		return LINE_LAST;
	} else if (hdr == HDR_CPU && find(s, len, "PID: ")) {
		parse_cpu_line(r, s, len);
	} else if (hdr == HDR_HARDWARE) {
		if (!r->hardware)
			r->hardware = kt_report_pool_dup(r, s + n, len - n);
	} else if (hdr == HDR_MODULES) {
		add_modules(r, s + n, s + len, false);
		o->in_modules = true;
	} else if (hdr == HDR_TASK_DUMP) {
		o->aside = false;	/* the stalled CPU's own task follows */
	} else if (!kt_filter_pass(&a->d->header_f, s, len)) {
		/* no stack header (most lines that are not frames) */
	} else if (re_match(a->md, a->d->aside_hdr, &a->d->aside_f, s, len)) {
		o->stack = KT_STACK_OTHER;
		o->aside = true;
	} else if (re_match(a->md, a->d->trace_hdr, &a->d->trace_f, s, len)) {
		o->idle = 0;	/* long register and memory dumps come before it */
		o->section++;
		o->stack = o->aside ? KT_STACK_OTHER : KT_STACK_MAIN;
		o->aside = false;
		o->ctx = KT_CTX_TASK;
	} else if (re_match(a->md, a->d->alloc_hdr, &a->d->alloc_f, s, len)) {
		o->stack = KT_STACK_ALLOC;
		o->aside = false;
		o->ctx = KT_CTX_TASK;
	} else if (re_match(a->md, a->d->free_hdr, &a->d->free_f, s, len)) {
		o->stack = KT_STACK_FREE;
		o->aside = false;
		o->ctx = KT_CTX_TASK;
	} else if (re_match(a->md, a->d->other_hdr, &a->d->other_f, s, len)) {
		o->stack = KT_STACK_OTHER;
		o->aside = false;
	}
	for (i = 0; i < k->n_fields && i < 64; i++) {
		if (o->fields_done & (1ull << i))
			continue;
		if (kt_filter_pass(&k->fields_f[i], s, len) &&
		    pcre2_match(k->fields[i], (PCRE2_SPTR)s, len, 0, 0, a->md, NULL) >= 0) {
			o->fields_done |= 1ull << i;
			capture_groups(a->md, k->fields[i], r, s);
			break;	/* one pattern per line: a repeated one takes the next */
		}
	}
	if (k->end && re_match(a->md, k->end, &k->end_f, s, len))
		return LINE_LAST;
	if (r->n_lines >= k->max_lines)
		return LINE_LAST;
	if (frame) {
		o->idle = 0;
	} else if (o->seen_frame && ++o->idle >= k->idle_lines) {
		return LINE_LAST;
	}
	return LINE_IN;
}

/* a line that starts a report or belongs to an open one */
static inline int feed_line(struct kt_assembler *a, const struct kt_line *l,
			    struct open_report *o, uint64_t key, int kind, kt_report_cb cb,
			    void *userdata)
{
	struct kt_line_prep own_prep, *own = l->prep ? NULL : &own_prep;
	const struct kt_line_prep *p = l->prep ? l->prep : own;
	const char *s = l->text;
	size_t len = l->text_len;
	int flags = 0;
	pcre2_match_data *md = a->md;

	if (kind >= 0 && a->d->kinds[kind].mid_log && l->lineno <= 1)
		kind = -1;	/* e.g. a firmware banner that begins the log */
	if (kind >= 0) {
		/* the start's named groups: the match of our own scan of this
		 * line if it was the last, else match it again here (a scan
		 * in another thread has match data of its own) */
		size_t b = kt_text_indent(s, len);

		s += b;
		len -= b;
		if (!l->prep && a->sc.md_kind == kind) {
			md = a->sc.md;
		} else {
			bool again = try_kind(a->d, a->md, (unsigned int)kind, s, len);

			assert(again);	/* the same pattern on the same text */
			(void)again;
		}
	}
	if (kind >= 0 && !(o && a->d->kinds[kind].attach)) {
		if (o)
			close_report(a, (unsigned int)(o - a->open), false, cb, userdata);
		o = open_report(a, (unsigned int)kind, l, key, cb, userdata);
		capture_groups(md, a->d->kinds[kind].start, o->r, s);
		return KT_FEED_START | KT_FEED_REPORT;
	}
	if (!o)
		return 0;
	/* a line without a timestamp amid a timestamped report is other
	 * console output (e.g. a fuzzer's program log): not the report's */
	if (kind < 0 && l->mono_usec == KT_TIME_NONE && o->r->first_usec != KT_TIME_NONE)
		return 0;
	flags = KT_FEED_REPORT;
	if (kind >= 0)
		capture_groups(md, a->d->kinds[kind].start, o->r, s);
	if (p == own)
		scan_body(&a->sc, l, own);
	switch (report_line(a, o, l, p)) {
	case LINE_IN:
		break;
	case LINE_LAST:
		close_report(a, (unsigned int)(o - a->open), false, cb, userdata);
		break;
	case LINE_OUT:
		close_report(a, (unsigned int)(o - a->open), false, cb, userdata);
		flags = 0;
		break;
	}
	return flags;
}

int kt_assembler_feed_hinted(struct kt_assembler *a, const struct kt_line *l,
			     bool may_start, kt_report_cb cb, void *userdata)
{
	uint64_t key = kt_report_context(l);
	struct open_report *o;
	int kind = -1;

	/* most lines: no start, and no open report of their context */
	if (!(a->keys & kt_report_context_bit(key)) && (l->prep ? l->prep->start < 0 : !may_start))
		return 0;
	o = find_open(a, key);
	/* without a scan done ahead, scan here: the start on every line
	 * that may hold one, the rest only for lines of an open report */
	if (l->prep)
		kind = l->prep->start;
	else if (may_start)
		kind = scan_start(&a->sc, l);
	if (!o && kind < 0)
		return 0;
	return feed_line(a, l, o, key, kind, cb, userdata);
}

int kt_assembler_feed(struct kt_assembler *a, const struct kt_line *l,
		      kt_report_cb cb, void *userdata)
{
	return kt_assembler_feed_hinted(a, l, true, cb, userdata);
}

const uint64_t *kt_assembler_open_contexts(const struct kt_assembler *a)
{
	return &a->keys;
}

void kt_assembler_flush(struct kt_assembler *a, kt_report_cb cb, void *userdata)
{
	/* oldest first, so reports come out in input order */
	while (a->n_open) {
		unsigned int i, oldest = 0;

		for (i = 1; i < a->n_open; i++)
			if (a->open[i].r->first_line < a->open[oldest].r->first_line)
				oldest = i;
		close_report(a, oldest, true, cb, userdata);
	}
	emit_done(a, true, cb, userdata);
}
