// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules.c - YAML rule files (libcyaml) -> validated, compiled rule set.
 *
 * libcyaml parses against the schema below and reports unknown keys and
 * missing fields; its messages arrive through the log callback with a
 * backtrace of (line, column) that we turn into a struct kt_error.  To name
 * the exact line of a rule, an example or a key we also scan the file text
 * ourselves (rule starts are "- id: ..." lines).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cyaml/cyaml.h>

#include "kt-xalloc.h"
#include "kt-jit.h"
#include "rules-internal.h"

/* --- schema -------------------------------------------------------------------- */
struct y_example {
	char *match;
	char *nomatch;
	char **fields;
	unsigned fields_count;
};

struct y_rule {
	char *id, *category, *severity, *match, *subsystem, *literal, *explain, *advice;
	char **tags;
	unsigned tags_count;
	struct y_example *examples;
	unsigned examples_count;
	int priority;
};

struct y_file {
	struct y_rule *rules;
	unsigned rules_count;
};

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_value_t y_string = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t y_example_fields[] = {
	CYAML_FIELD_STRING_PTR("match", OPT, struct y_example, match, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("nomatch", OPT, struct y_example, nomatch, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("fields", OPT, struct y_example, fields, &y_string,
			     0, KT_MATCH_MAX_FIELDS),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t y_example_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_example, y_example_fields),
};

static const cyaml_schema_field_t y_rule_fields[] = {
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_POINTER, struct y_rule, id, 1, 127),
	CYAML_FIELD_STRING_PTR("category", CYAML_FLAG_POINTER, struct y_rule, category,
			       1, 63),
	CYAML_FIELD_STRING_PTR("severity", CYAML_FLAG_POINTER, struct y_rule, severity,
			       1, 15),
	CYAML_FIELD_STRING_PTR("match", CYAML_FLAG_POINTER, struct y_rule, match, 1,
			       KT_RULES_MAX_PATTERN),
	CYAML_FIELD_STRING_PTR("subsystem", OPT, struct y_rule, subsystem, 1, 63),
	CYAML_FIELD_STRING_PTR("literal", OPT, struct y_rule, literal, 1, 255),
	CYAML_FIELD_STRING_PTR("explain", CYAML_FLAG_POINTER, struct y_rule, explain,
			       1, 4096),
	CYAML_FIELD_STRING_PTR("advice", OPT, struct y_rule, advice, 0, 4096),
	CYAML_FIELD_SEQUENCE("tags", OPT, struct y_rule, tags, &y_string, 0, 32),
	CYAML_FIELD_INT("priority", CYAML_FLAG_OPTIONAL, struct y_rule, priority),
	CYAML_FIELD_SEQUENCE("examples", CYAML_FLAG_POINTER, struct y_rule, examples,
			     &y_example_schema, 1, 256),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t y_rule_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_rule, y_rule_fields),
};

static const cyaml_schema_field_t y_file_fields[] = {
	CYAML_FIELD_SEQUENCE("rules", CYAML_FLAG_POINTER, struct y_file, rules,
			     &y_rule_schema, 0, KT_RULES_MAX_RULES),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t y_file_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct y_file, y_file_fields),
};

/* --- libcyaml log capture --------------------------------------------------------- */
struct ylog {
	char msg[400];
	unsigned line, column;	/* innermost backtrace location */
	unsigned entry_line;	/* innermost "sequence entry" */
};

static void ylog_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct ylog *yl = ctx;
	char buf[512];
	const char *s = buf, *p;
	size_t n;

	vsnprintf(buf, sizeof(buf), fmt, args);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (strncmp(s, "Load: ", 6) == 0)
		s += 6;
	while (*s == ' ')
		s++;
	if (strncmp(s, "Backtrace", 9) == 0)
		return;
	p = strstr(s, "(line: ");
	if (strncmp(s, "in ", 3) == 0 && p) {
		unsigned l = 0, c = 0;

		if (sscanf(p, "(line: %u, column: %u)", &l, &c) == 2) {
			if (!yl->line) {
				yl->line = l;
				yl->column = c;
			}
			if (!yl->entry_line && strncmp(s, "in sequence entry", 17) == 0)
				yl->entry_line = l;
		}
		return;
	}
	if (yl->msg[0])
		return;
	if (strncmp(s, "Unexpected key: ", 16) == 0)
		snprintf(yl->msg, sizeof(yl->msg), "unknown key '%s'", s + 16);
	else if (strncmp(s, "Missing required mapping field: ", 32) == 0)
		snprintf(yl->msg, sizeof(yl->msg), "missing required key '%s'", s + 32);
	else if (strncmp(s, "libyaml: ", 9) == 0)
		snprintf(yl->msg, sizeof(yl->msg), "yaml: %s", s + 9);
	else {
		snprintf(yl->msg, sizeof(yl->msg), "%.399s", s);
		if (yl->msg[0] >= 'A' && yl->msg[0] <= 'Z' && !(yl->msg[1] >= 'A' &&
							       yl->msg[1] <= 'Z'))
			yl->msg[0] = (char)(yl->msg[0] + 32);
	}
}

/* --- file text: lines, rule starts, keys ------------------------------------------- */
struct text {
	const char *buf;
	size_t len;
	size_t *line_off;	/* start of line i+1 */
	unsigned nlines;
	unsigned *start_line;	/* "- id: X" lines */
	char **start_id;
	unsigned nstarts;
};

static void text_release(struct text *t)
{
	for (unsigned i = 0; i < t->nstarts; i++)
		free(t->start_id[i]);
	free(t->start_id);
	free(t->start_line);
	free(t->line_off);
}

static const char *line_ptr(const struct text *t, unsigned line, size_t *ret_len)
{
	size_t a = t->line_off[line - 1];
	size_t b = line < t->nlines ? t->line_off[line] : t->len;

	while (b > a && (t->buf[b - 1] == '\n' || t->buf[b - 1] == '\r'))
		b--;
	*ret_len = b - a;
	return t->buf + a;
}

/* If the line is "<ws>[- ]key:<ws>rest", return rest (trimmed) and its length. */
static const char *line_key(const struct text *t, unsigned line, const char *key,
			    bool need_dash, size_t *ret_len)
{
	size_t n, k = strlen(key), i = 0;
	const char *s = line_ptr(t, line, &n);
	bool dash = false;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ') {
		dash = true;
		i += 2;
		while (i < n && s[i] == ' ')
			i++;
	}
	if (need_dash && !dash)
		return NULL;
	if (n - i < k + 1 || memcmp(s + i, key, k) != 0 || s[i + k] != ':')
		return NULL;
	i += k + 1;
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*ret_len = n - i;
	return s + i;
}

static void text_index(struct text *t, const char *buf, size_t len)
{
	unsigned cap = 64, scap = 16;

	memset(t, 0, sizeof(*t));
	t->buf = buf;
	t->len = len;
	t->line_off = kt_xmalloc(cap * sizeof(*t->line_off));
	t->line_off[t->nlines++] = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n' || i + 1 >= len)
			continue;
		if (t->nlines == cap) {
			cap *= 2;
			t->line_off = kt_xrealloc(t->line_off, cap * sizeof(*t->line_off));
		}
		t->line_off[t->nlines++] = i + 1;
	}
	t->start_line = kt_xmalloc(scap * sizeof(*t->start_line));
	t->start_id = kt_xmalloc(scap * sizeof(*t->start_id));
	for (unsigned l = 1; l <= t->nlines; l++) {
		size_t n;
		const char *v = line_key(t, l, "id", true, &n);

		if (!v)
			continue;
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		if (t->nstarts == scap) {
			scap *= 2;
			t->start_line = kt_xrealloc(t->start_line, scap * sizeof(unsigned));
			t->start_id = kt_xrealloc(t->start_id, scap * sizeof(char *));
		}
		t->start_line[t->nstarts] = l;
		t->start_id[t->nstarts++] = kt_xmemdup0(v, n);
	}
}

/* Index of the rule start at or before line, or -1. */
static int start_before(const struct text *t, unsigned line)
{
	int r = -1;

	for (unsigned i = 0; i < t->nstarts && t->start_line[i] <= line; i++)
		r = (int)i;
	return r;
}

static unsigned find_key(const struct text *t, unsigned from, unsigned to, const char *key,
			 bool need_dash)
{
	size_t n;

	for (unsigned l = from; l && l <= to && l <= t->nlines; l++)
		if (line_key(t, l, key, need_dash, &n))
			return l;
	return 0;
}

/* --- helpers ------------------------------------------------------------------------- */
static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static int severity_from_name(const char *s)
{
	for (int i = 0; i < 8; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	if (strcmp(s, "warning") == 0)
		return 4;
	if (strcmp(s, "error") == 0)
		return 3;
	return -1;
}

static bool valid_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (const char *p = s; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			  *p == '-' || *p == '_' || *p == '.';

		if (!ok || (*p == '.' && (p[1] == '.' || p[1] == '\0')))
			return false;
	}
	return true;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}

void kt_rules_problem(struct kt_ruleset *rs, const struct kt_error *e)
{
	if (rs->nproblems == rs->problems_cap) {
		rs->problems_cap = rs->problems_cap ? 2 * rs->problems_cap : 16;
		rs->problems = kt_xrealloc(rs->problems,
					   rs->problems_cap * sizeof(*rs->problems));
	}
	rs->problems[rs->nproblems++] = *e;
}

__attribute__((format(printf, 5, 6)))
static void problem(struct kt_ruleset *rs, const char *file, unsigned line, const char *rule,
		    const char *fmt, ...)
{
	struct kt_error e;
	va_list ap;

	kt_error_set(&e, file, line, 0, rule, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	kt_rules_problem(rs, &e);
}

static const char *intern_file(struct kt_ruleset *rs, const char *path)
{
	for (size_t i = 0; i < rs->nfiles; i++)
		if (strcmp(rs->files[i], path) == 0)
			return rs->files[i];
	if (rs->nfiles == rs->files_cap) {
		rs->files_cap = rs->files_cap ? 2 * rs->files_cap : 16;
		rs->files = kt_xrealloc(rs->files, rs->files_cap * sizeof(char *));
	}
	rs->files[rs->nfiles] = kt_xstrdup(path);
	return rs->files[rs->nfiles++];
}

/* Check the {group} names of a template; report the first unknown one. */
static bool template_ok(const struct kt_rule *r, const char *tmpl, char *bad, size_t badsz)
{
	for (const char *p = tmpl; *p; p++) {
		const char *q;

		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		q = strchr(p + 1, '}');
		if (!q)
			return true;	/* an unclosed brace is literal text */
		for (unsigned i = 0; i < r->ngroups; i++)
			if (strlen(r->groups[i].name) == (size_t)(q - p - 1) &&
			    memcmp(r->groups[i].name, p + 1, (size_t)(q - p - 1)) == 0)
				goto next;
		snprintf(bad, badsz, "%.*s", (int)(q - p - 1), p + 1);
		return false;
next:
		p = q;
	}
	return true;
}

static int cmp_group(const void *a, const void *b)
{
	const struct rule_group *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

/* Compile the pattern and read its named groups. */
static void compile_pattern(struct kt_ruleset *rs, struct kt_rule *r, unsigned line)
{
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t count = 0, entry = 0;
	PCRE2_SPTR table;

	r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
				PCRE2_NEVER_BACKSLASH_C, &errcode, &erroff, NULL);
	if (!r->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		problem(rs, r->file, line, r->id, "pattern does not compile at offset %zu: %s",
			(size_t)erroff, (const char *)msg);
		return;
	}
	/* JIT is an optimisation: without it (no JIT on this arch) pcre2 interprets. */
	if (kt_jit_wanted())
		(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->capture_count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
	if (count > KT_MATCH_MAX_FIELDS) {
		problem(rs, r->file, line, r->id, "pattern has %u named groups, at most %u allowed",
			count, KT_MATCH_MAX_FIELDS);
		count = KT_MATCH_MAX_FIELDS;
	}
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + i * entry;

		r->groups[i].number = ((unsigned)e[0] << 8) | e[1];
		r->groups[i].name = kt_xstrdup((const char *)e + 2);
	}
	r->ngroups = count;
	qsort(r->groups, r->ngroups, sizeof(r->groups[0]), cmp_group);
}

static bool has_group(const struct kt_rule *r, const char *name, size_t len)
{
	for (unsigned i = 0; i < r->ngroups; i++)
		if (strlen(r->groups[i].name) == len && memcmp(r->groups[i].name, name, len) == 0)
			return true;
	return false;
}

static void convert_examples(struct kt_ruleset *rs, struct kt_rule *r, const struct y_rule *y,
			     const struct text *t, unsigned end)
{
	unsigned l = r->line;
	bool any_match = false;

	r->nexamples = y->examples_count;
	r->examples = kt_xcalloc(r->nexamples ? r->nexamples : 1, sizeof(*r->examples));
	for (size_t i = 0; i < r->nexamples; i++) {
		const struct y_example *ye = &y->examples[i];
		struct rule_example *ex = &r->examples[i];
		unsigned lm = find_key(t, l + 1, end, "match", true);
		unsigned ln = find_key(t, l + 1, end, "nomatch", true);
		unsigned el = (lm && ln) ? (lm < ln ? lm : ln) : (lm ? lm : ln);

		ex->line = el ? el : r->line;
		if (el)
			l = el;
		if ((ye->match != NULL) == (ye->nomatch != NULL)) {
			problem(rs, r->file, ex->line, r->id,
				"example needs exactly one of 'match' or 'nomatch'");
			ex->text = kt_xstrdup(ye->match ? ye->match : "");
			ex->expect_match = true;
			continue;
		}
		ex->expect_match = ye->match != NULL;
		ex->text = kt_xstrdup(ye->match ? ye->match : ye->nomatch);
		any_match |= ex->expect_match;
		if (ye->fields_count && !ex->expect_match)
			problem(rs, r->file, ex->line, r->id, "'fields' on a 'nomatch' example");
		ex->names = kt_xcalloc(ye->fields_count + 1, sizeof(char *));
		ex->values = kt_xcalloc(ye->fields_count + 1, sizeof(char *));
		for (unsigned f = 0; f < ye->fields_count; f++) {
			const char *eq = strchr(ye->fields[f], '=');

			if (!eq) {
				problem(rs, r->file, ex->line, r->id,
					"example field '%s' is not name=value", ye->fields[f]);
				continue;
			}
			if (r->code && !has_group(r, ye->fields[f], (size_t)(eq - ye->fields[f])))
				problem(rs, r->file, ex->line, r->id,
					"example field '%.*s' is not a named group of the pattern",
					(int)(eq - ye->fields[f]), ye->fields[f]);
			ex->names[ex->nfields] = kt_xmemdup0(ye->fields[f],
							     (size_t)(eq - ye->fields[f]));
			ex->values[ex->nfields++] = kt_xstrdup(eq + 1);
		}
	}
	if (!any_match)
		problem(rs, r->file, r->line, r->id, "no 'match' example");
}

static void add_rule(struct kt_ruleset *rs, struct kt_rule *r)
{
	if (rs->nrules == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 64;
		rs->rules = kt_xrealloc(rs->rules, rs->cap * sizeof(*rs->rules));
	}
	r->load_index = rs->nrules;
	rs->rules[rs->nrules++] = r;
}

static void convert_rules(struct kt_ruleset *rs, const char *file, const struct y_file *yf,
			  const struct text *t)
{
	unsigned prev = 0;
	char bad[128];

	for (unsigned i = 0; i < yf->rules_count; i++) {
		const struct y_rule *y = &yf->rules[i];
		struct kt_rule *r = kt_xcalloc(1, sizeof(*r));
		unsigned end = t->nlines, kl;

		r->file = file;
		r->line = prev;
		for (unsigned s = 0; s < t->nstarts; s++) {
			if (t->start_line[s] > prev && strcmp(t->start_id[s], y->id) == 0) {
				r->line = t->start_line[s];
				if (s + 1 < t->nstarts)
					end = t->start_line[s + 1] - 1;
				break;
			}
		}
		if (!r->line)
			r->line = 1;
		prev = r->line;
		r->id = kt_xstrdup(y->id);
		r->category = kt_xstrdup(y->category);
		r->explain = kt_xstrdup(y->explain);
		r->advice = kt_xstrdup(y->advice ? y->advice : "");
		r->pattern = kt_xstrdup(y->match);
		r->subsystem = y->subsystem ? kt_xstrdup(y->subsystem) : NULL;
		r->priority = y->priority;
		r->ntags = y->tags_count;
		r->tags = kt_xcalloc(r->ntags + 1, sizeof(char *));
		for (size_t k = 0; k < r->ntags; k++)
			r->tags[k] = kt_xstrdup(y->tags[k]);
		add_rule(rs, r);

		if (!valid_id(r->id))
			problem(rs, file, r->line, r->id,
				"id must be lower-case letters, digits, '-', '_' and single dots");
		if (!valid_name(r->category))
			problem(rs, file, find_key(t, r->line, end, "category", false) ?: r->line,
				r->id, "category must be lower-case letters, digits, '-', '_'");
		r->severity = severity_from_name(y->severity);
		if (r->severity < 0) {
			problem(rs, file, find_key(t, r->line, end, "severity", false) ?: r->line,
				r->id, "unknown severity '%s' (emerg alert crit err warn notice "
				"info debug)", y->severity);
			r->severity = 6;
		}
		kl = find_key(t, r->line, end, "match", false);
		compile_pattern(rs, r, kl ? kl : r->line);
		if (y->literal) {
			r->literal = kt_xstrdup(y->literal);
			for (char *p = r->literal; *p; p++)
				*p = (char)kt_fold((unsigned char)*p);
			r->literal_declared = true;
		} else {
			r->literal = kt_rules_derive_literal(r->pattern);
		}
		r->anchor = kt_rules_derive_anchor(r->pattern);
		if (r->code && !template_ok(r, r->explain, bad, sizeof(bad)))
			problem(rs, file, find_key(t, r->line, end, "explain", false) ?: r->line,
				r->id, "explain names group '%s' that the pattern lacks", bad);
		if (r->code && !template_ok(r, r->advice, bad, sizeof(bad)))
			problem(rs, file, find_key(t, r->line, end, "advice", false) ?: r->line,
				r->id, "advice names group '%s' that the pattern lacks", bad);
		convert_examples(rs, r, y, t, end);
	}
}

/* --- one file -------------------------------------------------------------------------- */
static int read_file(const char *path, char **ret_buf, size_t *ret_len, struct kt_error *err)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		kt_error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		kt_error_set(err, path, 0, 0, NULL, "not a regular file");
		goto out_close;
	}
	if ((uint64_t)st.st_size > KT_RULES_MAX_FILE_SIZE) {
		r = -EFBIG;
		kt_error_set(err, path, 0, 0, NULL, "rule file larger than %u bytes",
			     KT_RULES_MAX_FILE_SIZE);
		goto out_close;
	}
	buf = kt_xmalloc((size_t)st.st_size + 1);
	while (len <= (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			kt_error_set(err, path, 0, 0, NULL, "cannot read: %s", strerror(-r));
			free(buf);
			goto out_close;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > (size_t)st.st_size) {
		r = -EFBIG;	/* grew while reading */
		kt_error_set(err, path, 0, 0, NULL, "rule file changed while reading");
		free(buf);
		goto out_close;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	r = 0;
out_close:
	close(fd);
	return r;
}

/* Offset of the first invalid UTF-8 sequence (or a NUL byte), or len. */
static size_t utf8_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static bool has_rules_key(const char *buf, size_t len)
{
	for (size_t i = 0; i + 6 <= len; i++) {
		if ((i == 0 || buf[i - 1] == '\n') && memcmp(buf + i, "rules", 5) == 0) {
			size_t k = i + 5;

			while (k < len && buf[k] == ' ')
				k++;
			if (k < len && buf[k] == ':')
				return true;
		}
	}
	return false;
}

/* Parse one rule file's contents; buf (NUL-terminated at len) is freed here. */
static int add_data(struct kt_ruleset *rs, const char *path, char *buf, size_t len,
		    struct kt_error *err)
{
	cyaml_config_t cfg = {
		.log_fn = ylog_fn,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_WARNING,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	struct ylog yl = { 0 };
	struct y_file *yf = NULL;
	struct text t;
	size_t bad, before = rs->nproblems;
	const char *file;
	cyaml_err_t ce;

	file = intern_file(rs, path);
	bad = utf8_invalid((const unsigned char *)buf, len);
	if (bad < len) {
		unsigned line = 1, col = 1;

		for (size_t i = 0; i < bad; i++, col++)
			if (buf[i] == '\n') {
				line++;
				col = 0;
			}
		kt_error_set(err, file, line, col, NULL,
			     "not valid UTF-8 (byte 0x%02x at column %u)",
			     (unsigned char)buf[bad], col);
		if (err)
			kt_rules_problem(rs, err);
		free(buf);
		return -EILSEQ;
	}
	if (!has_rules_key(buf, len)) {
		free(buf);
		return 0;	/* not a rule file: crash-report kinds etc. */
	}
	text_index(&t, buf, len);
	cfg.log_ctx = &yl;
	ce = cyaml_load_data((const uint8_t *)buf, len, &cfg, &y_file_schema, (void **)&yf, NULL);
	if (ce != CYAML_OK) {
		unsigned line = yl.line, kl;
		int s;

		if (strncmp(yl.msg, "missing required key", 20) == 0 && yl.entry_line)
			line = yl.entry_line;
		if (strncmp(yl.msg, "unknown key '", 13) == 0) {
			char key[128];

			snprintf(key, sizeof(key), "%.127s", yl.msg + 13);
			key[strcspn(key, "'")] = '\0';
			kl = find_key(&t, line, line + 100, key, false);
			if (kl)
				line = kl;
		}
		s = start_before(&t, line);
		kt_error_set(err, file, line, yl.column, s >= 0 ? t.start_id[s] : NULL, "%s",
			     yl.msg[0] ? yl.msg : cyaml_strerror(ce));
		if (err)
			kt_rules_problem(rs, err);
		else
			problem(rs, file, line, s >= 0 ? t.start_id[s] : NULL, "%s",
				yl.msg[0] ? yl.msg : cyaml_strerror(ce));
		text_release(&t);
		free(buf);
		return -EINVAL;
	}
	if (rs->nrules + yf->rules_count > KT_RULES_MAX_RULES) {
		kt_error_set(err, file, 0, 0, NULL, "more than %u rules", KT_RULES_MAX_RULES);
		cyaml_free(&cfg, &y_file_schema, yf, 0);
		text_release(&t);
		free(buf);
		return -E2BIG;
	}
	convert_rules(rs, file, yf, &t);
	rs->nrule_files++;
	cyaml_free(&cfg, &y_file_schema, yf, 0);
	text_release(&t);
	free(buf);
	if (rs->nproblems > before) {
		if (err)
			*err = rs->problems[before];
		return -EINVAL;
	}
	return 0;
}

static int add_file(struct kt_ruleset *rs, const char *path, struct kt_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = read_file(path, &buf, &len, err);
	if (r < 0) {
		if (err)
			kt_rules_problem(rs, err);
		return r;
	}
	return add_data(rs, path, buf, len, err);
}

int kt_ruleset_add_buffer(struct kt_ruleset *rs, const char *name, const char *data, size_t len,
			  struct kt_error *err)
{
	char *buf;

	if (rs->compiled)
		return -EBUSY;
	if (len > KT_RULES_MAX_FILE_SIZE) {
		kt_error_set(err, name, 0, 0, NULL, "rule file larger than %u bytes",
			     KT_RULES_MAX_FILE_SIZE);
		if (err)
			kt_rules_problem(rs, err);
		return -EFBIG;
	}
	buf = kt_xmalloc(len + 1);
	if (len)
		memcpy(buf, data, len);
	buf[len] = '\0';
	return add_data(rs, name, buf, len, err);
}

/* --- directories -------------------------------------------------------------------------- */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_rule_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.')
		return false;
	return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) ||
	       (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

/* Sorted *.yaml base names of dir; *ret_n = 0 and -errno on failure. */
static int list_dir(const char *dir, char ***ret, size_t *ret_n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!is_rule_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = kt_xrealloc(v, cap * sizeof(char *));
		}
		v[n++] = kt_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(char *), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = kt_xmalloc(a + b + 2);

	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

int kt_ruleset_add_path(struct kt_ruleset *rs, const char *path, struct kt_error *err)
{
	struct stat st;
	char **names;
	size_t n;
	int r, first = 0;

	if (rs->compiled)
		return -EBUSY;
	if (stat(path, &st) < 0) {
		r = -errno;
		kt_error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(-r));
		if (err)
			kt_rules_problem(rs, err);
		return r;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(rs, path, err);
	r = list_dir(path, &names, &n);
	if (r < 0) {
		kt_error_set(err, path, 0, 0, NULL, "cannot read directory: %s", strerror(-r));
		if (err)
			kt_rules_problem(rs, err);
		return r;
	}
	for (size_t i = 0; i < n; i++) {
		struct kt_error e;
		char *p = join(path, names[i]);

		r = add_file(rs, p, &e);
		free(p);
		if (r < 0 && !first) {
			first = r;
			if (err)
				*err = e;
		}
	}
	free_list(names, n);
	return first;
}

int kt_ruleset_load_defaults(struct kt_ruleset *rs, const char *shipped_dir, const char *etc_dir,
			     struct kt_error *err)
{
	char **a, **b = NULL;
	size_t na, nb = 0, i = 0, j = 0;
	int r, first = 0;

	if (rs->compiled)
		return -EBUSY;
	r = list_dir(shipped_dir, &a, &na);
	if (r < 0) {
		kt_error_set(err, shipped_dir, 0, 0, NULL, "cannot read rules directory: %s",
			     strerror(-r));
		if (err)
			kt_rules_problem(rs, err);
		return r;
	}
	if (etc_dir) {
		r = list_dir(etc_dir, &b, &nb);
		if (r < 0 && r != -ENOENT && r != -ENOTDIR) {
			kt_error_set(err, etc_dir, 0, 0, NULL, "cannot read rules directory: %s",
				     strerror(-r));
			if (err)
				kt_rules_problem(rs, err);
			free_list(a, na);
			return r;
		}
	}
	/* merge two sorted name lists; the etc file wins on equal names */
	while (i < na || j < nb) {
		struct kt_error e;
		const char *dir;
		const char *name;
		char *p;
		int c;

		if (i >= na)
			c = 1;
		else if (j >= nb)
			c = -1;
		else
			c = strcmp(a[i], b[j]);
		if (c < 0) {
			dir = shipped_dir;
			name = a[i++];
		} else {
			dir = etc_dir;
			name = b[j++];
			if (c == 0)
				i++;
		}
		p = join(dir, name);
		r = add_file(rs, p, &e);
		free(p);
		if (r < 0 && !first) {
			first = r;
			if (err)
				*err = e;
		}
	}
	free_list(a, na);
	free_list(b, nb);
	return first;
}

/* --- lifecycle ------------------------------------------------------------------------------ */
int kt_ruleset_new(struct kt_ruleset **ret)
{
	*ret = kt_xcalloc(1, sizeof(**ret));
	return 0;
}

static void rule_free(struct kt_rule *r)
{
	free(r->id);
	free(r->category);
	free(r->explain);
	free(r->advice);
	free(r->pattern);
	free(r->subsystem);
	free(r->literal);
	free(r->anchor);
	for (size_t i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	pcre2_code_free(r->code);
	for (unsigned i = 0; i < r->ngroups; i++)
		free(r->groups[i].name);
	for (size_t i = 0; i < r->nexamples; i++) {
		struct rule_example *ex = &r->examples[i];

		free(ex->text);
		for (unsigned f = 0; f < ex->nfields; f++) {
			free(ex->names[f]);
			free(ex->values[f]);
		}
		free(ex->names);
		free(ex->values);
	}
	free(r->examples);
	free(r);
}

void kt_ruleset_free(struct kt_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	free(rs->problems);
	kt_prefilter_free(rs->pf);
	for (size_t i = 0; i < rs->nwatch; i++)
		free(rs->watch[i].lit);
	free(rs->watch);
	free(rs);
}

int kt_ruleset_watch(struct kt_ruleset *rs, const char *lit, size_t len, bool anchored)
{
	struct watch_lit *w;

	if (!len)
		return -EINVAL;
	rs->watch = kt_xrealloc(rs->watch, (rs->nwatch + 1) * sizeof(*rs->watch));
	w = &rs->watch[rs->nwatch++];
	w->lit = kt_xmemdup0(lit, len);
	for (size_t i = 0; i < len; i++)
		w->lit[i] = (char)kt_fold((unsigned char)w->lit[i]);
	w->len = len;
	w->anchored = anchored;
	return 0;
}

static int cmp_order(const void *a, const void *b)
{
	const struct kt_rule *x = *(const struct kt_rule *const *)a;
	const struct kt_rule *y = *(const struct kt_rule *const *)b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return (x->load_index > y->load_index) - (x->load_index < y->load_index);
}

static int cmp_id(const void *a, const void *b)
{
	const struct kt_rule *x = *(const struct kt_rule *const *)a;
	const struct kt_rule *y = *(const struct kt_rule *const *)b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return (x->load_index > y->load_index) - (x->load_index < y->load_index);
}

/* Report duplicate ids, then put the rules in matching order. */
static void sort_rules(struct kt_ruleset *rs)
{
	struct kt_rule **by_id;

	/* an empty set has rs->rules == NULL, which memcpy and qsort must not see */
	if (rs->nrules == 0)
		return;
	by_id = kt_xmalloc(rs->nrules * sizeof(*by_id));
	memcpy(by_id, rs->rules, rs->nrules * sizeof(*by_id));
	qsort(by_id, rs->nrules, sizeof(*by_id), cmp_id);
	for (size_t i = 1; i < rs->nrules; i++)
		if (strcmp(by_id[i]->id, by_id[i - 1]->id) == 0)
			problem(rs, by_id[i]->file, by_id[i]->line, by_id[i]->id,
				"duplicate id (first defined at %s:%u)",
				by_id[i - 1]->file, by_id[i - 1]->line);
	free(by_id);
	qsort(rs->rules, rs->nrules, sizeof(*rs->rules), cmp_order);
}

int kt_ruleset_compile(struct kt_ruleset *rs, struct kt_error *err)
{
	if (!rs->compiled) {
		sort_rules(rs);
		rs->max_capture = 0;
		for (size_t i = 0; i < rs->nrules; i++) {
			rs->rules[i]->index = i;
			if (rs->rules[i]->capture_count > rs->max_capture)
				rs->max_capture = rs->rules[i]->capture_count;
		}
		rs->pf = kt_prefilter_build(rs->rules, rs->nrules, rs->watch, rs->nwatch);
		rs->compiled = true;
	}
	if (rs->nproblems) {
		if (err)
			*err = rs->problems[0];
		return -EINVAL;
	}
	return 0;
}

/* --- accessors -------------------------------------------------------------------------------- */
size_t kt_ruleset_count(const struct kt_ruleset *rs)
{
	return rs->nrules;
}

const struct kt_rule *kt_ruleset_rule(const struct kt_ruleset *rs, size_t i)
{
	return i < rs->nrules ? rs->rules[i] : NULL;
}

const struct kt_rule *kt_ruleset_find(const struct kt_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i];
	return NULL;
}

size_t kt_ruleset_file_count(const struct kt_ruleset *rs)
{
	return rs->nrule_files;
}

const char *kt_rule_id(const struct kt_rule *r)
{
	return r->id;
}

const char *kt_rule_category(const struct kt_rule *r)
{
	return r->category;
}

int kt_rule_severity(const struct kt_rule *r)
{
	return r->severity;
}

const char *kt_rule_explain(const struct kt_rule *r)
{
	return r->explain;
}

const char *kt_rule_advice(const struct kt_rule *r)
{
	return r->advice;
}

const char *kt_rule_pattern(const struct kt_rule *r)
{
	return r->pattern;
}

const char *kt_rule_literal(const struct kt_rule *r)
{
	return r->literal;
}

const char *kt_rule_subsystem(const struct kt_rule *r)
{
	return r->subsystem;
}

size_t kt_rule_tag_count(const struct kt_rule *r)
{
	return r->ntags;
}

const char *kt_rule_file(const struct kt_rule *r)
{
	return r->file;
}

unsigned kt_rule_line(const struct kt_rule *r)
{
	return r->line;
}

int kt_rule_priority(const struct kt_rule *r)
{
	return r->priority;
}


const char *kt_rule_tag(const struct kt_rule *r, size_t i)
{
	return i < r->ntags ? r->tags[i] : NULL;
}

size_t kt_ruleset_examples_checked(const struct kt_ruleset *rs)
{
	return rs->examples_checked;
}
