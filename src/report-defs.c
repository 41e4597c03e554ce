// SPDX-License-Identifier: GPL-2.0-or-later
/* report-defs.c - rules/reports.yaml (libcyaml) -> compiled report kinds. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cyaml/cyaml.h>

#include "report-internal.h"
#include "kt-error.h"
#include "kt-jit.h"
#include "kt-xalloc.h"
#include "qgram.h"

/* ---- the YAML schema ---------------------------------------------------- */

struct y_kind {
	char *id;
	char *kind;
	char *start;
	char *title;
	char *title_nofunc;
	char *title_missing;
	char **prefix;
	unsigned int prefix_count;
	char **contains;
	unsigned int contains_count;
	char **fields;
	unsigned int fields_count;
	char **guilty;
	unsigned int guilty_count;
	char **skip;
	unsigned int skip_count;
	char **end;
	unsigned int end_count;
	char **body;
	unsigned int body_count;
	bool stall;
	bool stall_when_deep;
	bool mid_log;
	bool task_only;
	bool need_trace;
	bool attach;
	bool corrupted;
	bool nofunc_ok;
	bool generic_header;
	bool trace_optional;
	bool numbers;
	unsigned int max_lines;
	unsigned int idle_lines;
};

struct y_alias {
	char *match;
	char *name;
};

struct y_doc {
	char **generic_frames;
	unsigned int generic_frames_count;
	char **stall_anchors;
	unsigned int stall_anchors_count;
	char **stall_self_anchors;
	unsigned int stall_self_anchors_count;
	char **stall_restart;
	unsigned int stall_restart_count;
	char **aside_headers;
	unsigned int aside_headers_count;
	char **corrupting_frames;
	unsigned int corrupting_frames_count;
	struct y_alias *func_aliases;
	unsigned int func_aliases_count;
	char **trace_headers;
	unsigned int trace_headers_count;
	char **alloc_headers;
	unsigned int alloc_headers_count;
	char **free_headers;
	unsigned int free_headers_count;
	char **other_headers;
	unsigned int other_headers_count;
	struct y_kind *kinds;
	unsigned int kinds_count;
};

static const cyaml_schema_value_t str_schema = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define STRSEQ(key, st, m) \
	CYAML_FIELD_SEQUENCE(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, \
			     st, m, &str_schema, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t kind_fields[] = {
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_POINTER, struct y_kind, id, 1, 64),
	CYAML_FIELD_STRING_PTR("kind", CYAML_FLAG_POINTER, struct y_kind, kind, 1, 64),
	CYAML_FIELD_STRING_PTR("start", CYAML_FLAG_POINTER, struct y_kind, start, 1,
			       CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("title", CYAML_FLAG_POINTER, struct y_kind, title, 1, 256),
	CYAML_FIELD_STRING_PTR("title_nofunc", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			       struct y_kind, title_nofunc, 1, 256),
	CYAML_FIELD_STRING_PTR("title_missing", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			       struct y_kind, title_missing, 1, 256),
	STRSEQ("prefix", struct y_kind, prefix),
	STRSEQ("contains", struct y_kind, contains),
	STRSEQ("fields", struct y_kind, fields),
	STRSEQ("guilty", struct y_kind, guilty),
	STRSEQ("skip", struct y_kind, skip),
	STRSEQ("end", struct y_kind, end),
	STRSEQ("body", struct y_kind, body),
	CYAML_FIELD_BOOL("stall", CYAML_FLAG_OPTIONAL, struct y_kind, stall),
	CYAML_FIELD_BOOL("stall_when_deep", CYAML_FLAG_OPTIONAL, struct y_kind, stall_when_deep),
	CYAML_FIELD_BOOL("mid_log", CYAML_FLAG_OPTIONAL, struct y_kind, mid_log),
	CYAML_FIELD_BOOL("task_only", CYAML_FLAG_OPTIONAL, struct y_kind, task_only),
	CYAML_FIELD_BOOL("need_trace", CYAML_FLAG_OPTIONAL, struct y_kind, need_trace),
	CYAML_FIELD_BOOL("attach", CYAML_FLAG_OPTIONAL, struct y_kind, attach),
	CYAML_FIELD_BOOL("corrupted", CYAML_FLAG_OPTIONAL, struct y_kind, corrupted),
	CYAML_FIELD_BOOL("nofunc_ok", CYAML_FLAG_OPTIONAL, struct y_kind, nofunc_ok),
	CYAML_FIELD_BOOL("generic_header", CYAML_FLAG_OPTIONAL, struct y_kind, generic_header),
	CYAML_FIELD_BOOL("trace_optional", CYAML_FLAG_OPTIONAL, struct y_kind, trace_optional),
	CYAML_FIELD_BOOL("numbers", CYAML_FLAG_OPTIONAL, struct y_kind, numbers),
	CYAML_FIELD_UINT("max_lines", CYAML_FLAG_OPTIONAL, struct y_kind, max_lines),
	CYAML_FIELD_UINT("idle_lines", CYAML_FLAG_OPTIONAL, struct y_kind, idle_lines),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t kind_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_kind, kind_fields),
};

static const cyaml_schema_field_t alias_fields[] = {
	CYAML_FIELD_STRING_PTR("match", CYAML_FLAG_POINTER, struct y_alias, match, 1,
			       CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct y_alias, name, 1, 255),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t alias_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_alias, alias_fields),
};

static const cyaml_schema_field_t doc_fields[] = {
	STRSEQ("generic_frames", struct y_doc, generic_frames),
	STRSEQ("stall_anchors", struct y_doc, stall_anchors),
	STRSEQ("stall_self_anchors", struct y_doc, stall_self_anchors),
	STRSEQ("stall_restart", struct y_doc, stall_restart),
	STRSEQ("aside_headers", struct y_doc, aside_headers),
	STRSEQ("corrupting_frames", struct y_doc, corrupting_frames),
	CYAML_FIELD_SEQUENCE("func_aliases", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct y_doc, func_aliases, &alias_schema, 0, CYAML_UNLIMITED),
	STRSEQ("trace_headers", struct y_doc, trace_headers),
	STRSEQ("alloc_headers", struct y_doc, alloc_headers),
	STRSEQ("free_headers", struct y_doc, free_headers),
	STRSEQ("other_headers", struct y_doc, other_headers),
	CYAML_FIELD_SEQUENCE("kinds", CYAML_FLAG_POINTER, struct y_doc, kinds,
			     &kind_schema, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t doc_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct y_doc, doc_fields),
};

static void cyaml_quiet(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
}

static const cyaml_config_t cyaml_cfg = {
	.log_fn = cyaml_quiet,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_DEFAULT,
};

/* ---- compiling ---------------------------------------------------------- */

static __thread pcre2_match_data *full_md;

bool kt_re_full(const pcre2_code *re, const char *s, size_t len)
{
	if (!re)
		return false;
	if (!full_md)
		full_md = pcre2_match_data_create(32, NULL);
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, full_md, NULL) >= 0;
}

void kt_re_thread_release(void)
{
	pcre2_match_data_free(full_md);	/* NULL is fine */
	full_md = NULL;
}

bool kt_re_group1(const pcre2_code *re, const char *s, size_t len, char *buf, size_t cap)
{
	PCRE2_SIZE *ov;
	size_t b, e;
	int rc;

	if (!re)
		return false;
	if (!full_md)
		full_md = pcre2_match_data_create(32, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, full_md, NULL);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(full_md);
	b = ov[0];
	e = ov[1];
	if (rc > 1 && ov[2] != PCRE2_UNSET) {
		b = ov[2];
		e = ov[3];
	}
	if (e - b >= cap)
		e = b + cap - 1;
	memcpy(buf, s + b, e - b);
	buf[e - b] = '\0';
	return true;
}

static int compile(const char *pat, size_t len, pcre2_code **ret, const char *path,
		   const char *what, struct kt_error *err)
{
	int ecode;
	PCRE2_SIZE off;
	pcre2_code *re;
	char msg[256];

	/*
	 * Bytes, not UTF-8: a log line may hold any byte (a comm name, a
	 * device string), and a UTF pattern rejects such a subject outright
	 * after scanning all of it on every match.
	 */
	re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_DUPNAMES | PCRE2_NEVER_BACKSLASH_C,
			   &ecode, &off, NULL);
	if (!re) {
		pcre2_get_error_message(ecode, (PCRE2_UCHAR *)msg, sizeof(msg));
		kt_error_set(err, path, 0, 0, NULL, "%s: bad pattern at offset %zu: %s",
			  what, (size_t)off, msg);
		return -EINVAL;
	}
	if (kt_jit_wanted())
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* best effort */
	*ret = re;
	return 0;
}

/* "^(?:a|b|c)$" from a list; NULL list -> NULL code */
static int compile_alt(char **pats, unsigned int n, bool full, pcre2_code **ret,
		       const char *path, const char *what, struct kt_error *err)
{
	size_t len = 16, i, o = 0;
	char *buf;
	int r;

	*ret = NULL;
	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		len += strlen(pats[i]) + 8;
	buf = kt_xmalloc(len);
	if (full) {
		memcpy(buf, "^(?:", 4);
		o = 4;
	} else {
		memcpy(buf, "(?:", 3);
		o = 3;
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(pats[i]);

		if (i)
			buf[o++] = '|';
		buf[o++] = '(';
		buf[o++] = '?';
		buf[o++] = ':';
		memcpy(buf + o, pats[i], l);
		o += l;
		buf[o++] = ')';
	}
	buf[o++] = ')';
	if (full)
		buf[o++] = '$';
	buf[o] = '\0';
	r = compile(buf, o, ret, path, what, err);
	free(buf);
	return r;
}

static enum guilty_src gsrc_from(const char *s)
{
	if (!strcmp(s, "header"))
		return GSRC_HEADER;
	if (!strcmp(s, "ip"))
		return GSRC_IP;
	if (!strcmp(s, "trace"))
		return GSRC_TRACE;
	if (!strcmp(s, "any"))
		return GSRC_ANY;
	return 0;
}

static void add_lits(struct lit **arr, unsigned int *n, char **s, unsigned int cnt,
		     unsigned int kind)
{
	unsigned int i;

	if (!cnt)
		return;
	*arr = kt_xrealloc(*arr, (*n + cnt) * sizeof(**arr));
	for (i = 0; i < cnt; i++) {
		(*arr)[*n].s = kt_xstrdup(s[i]);
		(*arr)[*n].len = strlen(s[i]);
		(*arr)[*n].kind = kind;
		(*arr)[*n].rare = strcspn(s[i], "-:=()[]#/_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if ((*arr)[*n].rare == (*arr)[*n].len)
			(*arr)[*n].rare = 0;
		(*n)++;
	}
}

static int cmp_window(const void *a, const void *b)
{
	const struct contains_window *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->lit < y->lit ? -1 : x->lit > y->lit;
}

static void build_contains_filter(struct kt_report_defs *d)
{
	unsigned int i, r, stride = 16;

	for (i = 0; i < d->n_contains; i++) {
		if (d->contains[i].len < 4)
			return;		/* c_stride 0: plain search */
		if (d->contains[i].len - 3 < stride)
			stride = (unsigned int)d->contains[i].len - 3;
	}
	if (!d->n_contains)
		return;
	d->c_win = kt_xmalloc((size_t)d->n_contains * stride * sizeof(*d->c_win));
	for (i = 0; i < d->n_contains; i++) {
		const struct lit *l = &d->contains[i];

		for (r = 0; r < stride; r++) {
			uint32_t off = kt_qgram_pick_window(l->s, l->len, r, stride);
			uint32_t h = kt_gram_hash(l->s + off);

			d->c_bits[h >> 6] |= 1ull << (h & 63);
			d->c_win[d->n_c_win++] = (struct contains_window){ h, off, i };
		}
	}
	qsort(d->c_win, d->n_c_win, sizeof(*d->c_win), cmp_window);
	d->c_stride = stride;
}

static int cmp_lit(const void *a, const void *b)
{
	const struct lit *x = a, *y = b;
	int c = (unsigned char)x->s[0] - (unsigned char)y->s[0];

	if (c)
		return c;
	return (int)x->kind - (int)y->kind;
}

static int build_kind(struct kind_def *k, struct y_kind *y, unsigned int idx,
		      struct kt_report_defs *d, const char *path, struct kt_error *err)
{
	char what[128];
	unsigned int i;
	uint32_t cap;
	int r;

	k->id = kt_xstrdup(y->id);
	k->kind = kt_xstrdup(y->kind);
	k->title = kt_xstrdup(y->title);
	k->title_nofunc = y->title_nofunc ? kt_xstrdup(y->title_nofunc) : NULL;
	k->title_missing = y->title_missing ? kt_xstrdup(y->title_missing) : NULL;
	snprintf(what, sizeof(what), "kind '%s' start", y->id);
	r = compile(y->start, strlen(y->start), &k->start, path, what, err);
	if (r < 0)
		return r;
	pcre2_pattern_info(k->start, PCRE2_INFO_CAPTURECOUNT, &cap);
	pcre2_pattern_info(k->start, PCRE2_INFO_MINLENGTH, &k->start_min);
	k->has_inner = kt_filter_inner_needle(y->start, &k->inner);
	if (cap + 1 > d->max_ovec)
		d->max_ovec = cap + 1;
	k->fields = kt_xcalloc(y->fields_count + 1, sizeof(*k->fields));
	k->fields_f = kt_xcalloc(y->fields_count + 1, sizeof(*k->fields_f));
	for (i = 0; i < y->fields_count; i++) {
		snprintf(what, sizeof(what), "kind '%s' fields[%u]", y->id, i);
		r = compile(y->fields[i], strlen(y->fields[i]), &k->fields[i], path, what,
			    err);
		if (r < 0)
			return r;
		kt_filter_build(&k->fields_f[i], &y->fields[i], 1);
		k->n_fields++;
		pcre2_pattern_info(k->fields[i], PCRE2_INFO_CAPTURECOUNT, &cap);
		if (cap + 1 > d->max_ovec)
			d->max_ovec = cap + 1;
	}
	snprintf(what, sizeof(what), "kind '%s' skip", y->id);
	r = compile_alt(y->skip, y->skip_count, true, &k->skip, path, what, err);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "kind '%s' end", y->id);
	r = compile_alt(y->end, y->end_count, false, &k->end, path, what, err);
	if (r < 0)
		return r;
	kt_filter_build(&k->end_f, y->end, y->end_count);
	snprintf(what, sizeof(what), "kind '%s' body", y->id);
	r = compile_alt(y->body, y->body_count, false, &k->body, path, what, err);
	if (r < 0)
		return r;
	kt_filter_build(&k->body_f, y->body, y->body_count);
	if (!y->guilty_count) {
		k->gsrc[0] = GSRC_HEADER;
		k->gsrc[1] = GSRC_IP;
		k->gsrc[2] = GSRC_TRACE;
		k->n_gsrc = 3;
	}
	for (i = 0; i < y->guilty_count && i < MAX_GSRC; i++) {
		k->gsrc[i] = gsrc_from(y->guilty[i]);
		if (!k->gsrc[i]) {
			kt_error_set(err, path, 0, 0, NULL, "kind '%s': unknown guilty source '%s'",
				  y->id, y->guilty[i]);
			return -EINVAL;
		}
		k->n_gsrc++;
	}
	if (!y->prefix_count && !y->contains_count) {
		kt_error_set(err, path, 0, 0, NULL, "kind '%s': needs 'prefix' or 'contains'",
			  y->id);
		return -EINVAL;
	}
	for (i = 0; i < y->prefix_count; i++)
		if (!y->prefix[i][0]) {
			kt_error_set(err, path, 0, 0, NULL, "kind '%s': empty prefix", y->id);
			return -EINVAL;
		}
	add_lits(&d->prefix, &d->n_prefix, y->prefix, y->prefix_count, idx);
	add_lits(&d->contains, &d->n_contains, y->contains, y->contains_count, idx);
	k->stall = y->stall;
	k->stall_when_deep = y->stall_when_deep;
	k->mid_log = y->mid_log;
	k->task_only = y->task_only;
	k->need_trace = y->need_trace;
	k->attach = y->attach;
	k->corrupted = y->corrupted;
	k->nofunc_ok = y->nofunc_ok;
	k->generic_header = y->generic_header;
	k->trace_optional = y->trace_optional;
	k->numbers = y->numbers;
	k->max_lines = y->max_lines ? y->max_lines : KT_REPORT_MAX_LINES;
	if (k->max_lines > KT_REPORT_MAX_LINES)
		k->max_lines = KT_REPORT_MAX_LINES;
	k->idle_lines = y->idle_lines ? y->idle_lines : KT_REPORT_IDLE_LINES;
	return 0;
}

static atomic_uint_fast64_t next_serial;

int kt_report_defs_load(const char *path, struct kt_report_defs **ret,
			struct kt_error *err)
{
	struct kt_report_defs *d;
	struct y_doc *y = NULL;
	cyaml_err_t ce;
	unsigned int i;
	int r;

	ce = cyaml_load_file(path, &cyaml_cfg, &doc_schema, (cyaml_data_t **)&y, NULL);
	if (ce != CYAML_OK) {
		if (ce == CYAML_ERR_FILE_OPEN) {
			r = errno ? -errno : -ENOENT;
			kt_error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(-r));
			return r;
		}
		kt_error_set(err, path, 0, 0, NULL, "%s", cyaml_strerror(ce));
		return -EINVAL;
	}
	d = kt_xcalloc(1, sizeof(*d));
	d->max_ovec = 1;
	d->serial = atomic_fetch_add(&next_serial, 1) + 1;
	d->kinds = kt_xcalloc(y->kinds_count, sizeof(*d->kinds));
	for (i = 0; i < y->kinds_count; i++) {
		r = build_kind(&d->kinds[i], &y->kinds[i], i, d, path, err);
		d->n_kinds = i + 1;
		if (r < 0)
			goto fail;
	}
	r = compile_alt(y->generic_frames, y->generic_frames_count, true, &d->generic,
			path, "generic_frames", err);
	if (r >= 0)
		r = compile_alt(y->stall_anchors, y->stall_anchors_count, true, &d->anchors,
				path, "stall_anchors", err);
	if (r >= 0)
		r = compile_alt(y->stall_self_anchors, y->stall_self_anchors_count, true,
				&d->self_anchors, path, "stall_self_anchors", err);
	if (r >= 0)
		r = compile_alt(y->stall_restart, y->stall_restart_count, true,
				&d->stall_restart, path, "stall_restart", err);
	if (r >= 0)
		r = compile_alt(y->aside_headers, y->aside_headers_count, false,
				&d->aside_hdr, path, "aside_headers", err);
	if (r >= 0)
		r = compile_alt(y->corrupting_frames, y->corrupting_frames_count, true,
				&d->corrupting, path, "corrupting_frames", err);
	if (r >= 0 && y->func_aliases_count) {
		d->aliases = kt_xcalloc(y->func_aliases_count, sizeof(*d->aliases));
		for (i = 0; i < y->func_aliases_count && r >= 0; i++) {
			r = compile_alt(&y->func_aliases[i].match, 1, true,
					&d->aliases[i].re, path, "func_aliases", err);
			if (r < 0)
				break;
			d->aliases[i].name = kt_xstrdup(y->func_aliases[i].name);
			d->n_aliases = i + 1;
		}
	}
	if (r >= 0)
		r = compile_alt(y->trace_headers, y->trace_headers_count, false,
				&d->trace_hdr, path, "trace_headers", err);
	if (r >= 0)
		r = compile_alt(y->alloc_headers, y->alloc_headers_count, false,
				&d->alloc_hdr, path, "alloc_headers", err);
	if (r >= 0)
		r = compile_alt(y->free_headers, y->free_headers_count, false,
				&d->free_hdr, path, "free_headers", err);
	if (r >= 0)
		r = compile_alt(y->other_headers, y->other_headers_count, false,
				&d->other_hdr, path, "other_headers", err);
	if (r < 0)
		goto fail;
	kt_filter_build(&d->aside_f, y->aside_headers, y->aside_headers_count);
	kt_filter_build(&d->trace_f, y->trace_headers, y->trace_headers_count);
	kt_filter_build(&d->alloc_f, y->alloc_headers, y->alloc_headers_count);
	kt_filter_build(&d->free_f, y->free_headers, y->free_headers_count);
	kt_filter_build(&d->other_f, y->other_headers, y->other_headers_count);
	{
		/* all five lists in one: most lines of a report are none of them */
		char *const *lists[] = { y->aside_headers, y->trace_headers, y->alloc_headers,
					 y->free_headers, y->other_headers };
		const unsigned int counts[] = { y->aside_headers_count, y->trace_headers_count,
						y->alloc_headers_count, y->free_headers_count,
						y->other_headers_count };
		unsigned int n = 0, j;
		char **all;

		for (j = 0; j < 5; j++)
			n += counts[j];
		all = kt_xcalloc(n ? n : 1, sizeof(*all));
		for (n = 0, j = 0; j < 5; j++)
			for (i = 0; i < counts[j]; i++)
				all[n++] = lists[j][i];
		kt_filter_build(&d->header_f, all, n);
		free(all);
	}
	/* bucket prefixes by first byte; stable by kind order */
	if (d->n_prefix)
		qsort(d->prefix, d->n_prefix, sizeof(*d->prefix), cmp_lit);
	for (i = d->n_prefix; i-- > 0;) {
		const struct lit *l = &d->prefix[i];
		unsigned char c = (unsigned char)l->s[0];

		d->first[c] = (unsigned short)i;
		d->nfirst[c]++;
		if (l->len >= 4) {
			uint32_t h = kt_gram_hash(l->s);

			d->head[h >> 6] |= 1ull << (h & 63);
			continue;
		}
		for (unsigned int c1 = 0; c1 < 256; c1++)
			if (l->len == 1 || c1 == (unsigned char)l->s[1])
				d->pair[(c << 8 | c1) >> 6] |= 1ull << ((c << 8 | c1) & 63);
	}
	build_contains_filter(d);
	cyaml_free(&cyaml_cfg, &doc_schema, y, 0);
	*ret = d;
	return 0;
fail:
	cyaml_free(&cyaml_cfg, &doc_schema, y, 0);
	kt_report_defs_free(d);
	return r;
}

void kt_report_defs_free(struct kt_report_defs *d)
{
	unsigned int i, j;

	if (!d)
		return;
	for (i = 0; i < d->n_kinds; i++) {
		struct kind_def *k = &d->kinds[i];

		free(k->id);
		free(k->kind);
		free(k->title);
		free(k->title_nofunc);
		free(k->title_missing);
		pcre2_code_free(k->start);
		for (j = 0; j < k->n_fields; j++) {
			pcre2_code_free(k->fields[j]);
			kt_filter_release(&k->fields_f[j]);
		}
		free(k->fields);
		free(k->fields_f);
		pcre2_code_free(k->skip);
		pcre2_code_free(k->end);
		pcre2_code_free(k->body);
		kt_filter_release(&k->end_f);
		kt_filter_release(&k->body_f);
	}
	free(d->kinds);
	for (i = 0; i < d->n_prefix; i++)
		free((char *)d->prefix[i].s);
	free(d->prefix);
	for (i = 0; i < d->n_contains; i++)
		free((char *)d->contains[i].s);
	free(d->contains);
	free(d->c_win);
	pcre2_code_free(d->generic);
	pcre2_code_free(d->anchors);
	pcre2_code_free(d->self_anchors);
	pcre2_code_free(d->stall_restart);
	pcre2_code_free(d->aside_hdr);
	pcre2_code_free(d->corrupting);
	for (i = 0; i < d->n_aliases; i++) {
		pcre2_code_free(d->aliases[i].re);
		free(d->aliases[i].name);
	}
	free(d->aliases);
	pcre2_code_free(d->trace_hdr);
	pcre2_code_free(d->alloc_hdr);
	pcre2_code_free(d->free_hdr);
	pcre2_code_free(d->other_hdr);
	kt_filter_release(&d->aside_f);
	kt_filter_release(&d->trace_f);
	kt_filter_release(&d->alloc_f);
	kt_filter_release(&d->free_f);
	kt_filter_release(&d->other_f);
	kt_filter_release(&d->header_f);
	free(d);
}

size_t kt_report_defs_count(const struct kt_report_defs *d)
{
	return d->n_kinds;
}

void kt_report_defs_start_literals(const struct kt_report_defs *d,
				   void (*cb)(const char *lit, size_t len, bool anchored,
					      void *userdata),
				   void *userdata)
{
	unsigned int i;

	for (i = 0; i < d->n_prefix; i++)
		cb(d->prefix[i].s, d->prefix[i].len, true, userdata);
	for (i = 0; i < d->n_contains; i++)
		cb(d->contains[i].s, d->contains[i].len, false, userdata);
}

bool kt_report_defs_is_generic(const struct kt_report_defs *d, const char *func,
			       size_t len)
{
	return kt_re_full(d->generic, func, len);
}
