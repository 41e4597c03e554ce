// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-driver.c - test driver for the report assembler, independent of the
 * main pipeline: reads a dmesg-style log ("[  1.2][ T12] text", "[ 1.2] text"
 * or bare text), feeds the assembler, prints one JSON "report" object per
 * line in input order.  Usage: report-driver [--defs FILE] [--format=json] [-|FILE]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt-error.h"
#include "kt-line.h"
#include "kt-report.h"
#include "kt-strbuf.h"

#ifndef KT_TOP_SRCDIR
#define KT_TOP_SRCDIR "."
#endif

struct keep {
	struct kt_report **r;
	size_t n;
};

static int keep_cb(struct kt_report *r, void *ud)
{
	struct keep *k = ud;

	k->r = realloc(k->r, (k->n + 1) * sizeof(*k->r));
	if (!k->r)
		abort();
	k->r[k->n++] = r;
	return KT_REPORT_KEEP;
}

static int cmp_first(const void *a, const void *b)
{
	const struct kt_report *x = *(struct kt_report *const *)a;
	const struct kt_report *y = *(struct kt_report *const *)b;

	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

/* "[  123.456789]" at s; returns length or 0 */
static size_t ts_len(const char *s, size_t len, int64_t *usec)
{
	size_t i = 1;
	int64_t sec = 0, frac = 0;
	int nd = 0, nf = 0;

	if (len < 4 || s[0] != '[')
		return 0;
	while (i < len && s[i] == ' ')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		sec = sec * 10 + (s[i++] - '0'), nd++;
	if (!nd || i >= len || s[i] != '.')
		return 0;
	i++;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (nf < 6)
			frac = frac * 10 + (s[i] - '0');
		i++, nf++;
	}
	if (!nf || i >= len || s[i] != ']')
		return 0;
	while (nf++ < 6)
		frac *= 10;
	*usec = sec * 1000000 + frac;
	return i + 1;
}

static void parse(struct kt_line *l, const char *s, size_t len)
{
	size_t i, n = 0;
	int64_t usec;

	for (i = 0; i < len && i < 64; i++) {
		if (s[i] == '[' && (n = ts_len(s + i, len - i, &usec)))
			break;
	}
	if (!n) {
		l->text = s;
		l->text_len = len;
		return;
	}
	l->mono_usec = usec;
	s += i + n;
	len -= i + n;
	/* "[ T123]" / "[    C1]" */
	if (len > 3 && s[0] == '[') {
		size_t j = 1;
		uint32_t id = 0;
		char kind;

		while (j < len && s[j] == ' ')
			j++;
		if (j < len && (s[j] == 'T' || s[j] == 'C')) {
			kind = s[j++];
			while (j < len && s[j] >= '0' && s[j] <= '9')
				id = id * 10 + (uint32_t)(s[j++] - '0');
			if (j < len && s[j] == ']') {
				l->caller_kind = kind;
				l->caller_id = id;
				s += j + 1;
				len -= j + 1;
			}
		}
	}
	if (len && s[0] == ' ')
		s++, len--;
	l->text = s;
	l->text_len = len;
}

int main(int argc, char **argv)
{
	const char *defs_path = getenv("KT_REPORT_DEFS");
	const char *in = "-";
	struct kt_report_defs *defs;
	struct kt_assembler *a;
	struct kt_error err;
	struct keep k = { NULL, 0 };
	struct kt_strbuf sb;
	char *buf = NULL;
	size_t cap = 0, i;
	ssize_t n;
	uint64_t lineno = 0;
	FILE *f = stdin;
	int r;

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--defs") && i + 1 < (size_t)argc)
			defs_path = argv[++i];
		else if (strncmp(argv[i], "--", 2) != 0)
			in = argv[i];
	}
	if (!defs_path)
		defs_path = KT_TOP_SRCDIR "/rules/reports.yaml";
	kt_error_clear(&err);
	r = kt_report_defs_load(defs_path, &defs, &err);
	if (r < 0) {
		char msg[1024];

		kt_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "report-driver: %s\n", msg);
		return 2;
	}
	if (strcmp(in, "-") && !(f = fopen(in, "r"))) {
		fprintf(stderr, "report-driver: cannot open '%s': %s\n", in, strerror(errno));
		return 2;
	}
	a = kt_assembler_new(defs);
	while ((n = getline(&buf, &cap, f)) >= 0) {
		struct kt_line l;

		/* pcre2's JIT reads the subject in SIMD blocks past its end and
		 * discards those bytes; keep them defined for valgrind's memcheck */
		memset(buf + n, 0, cap - (size_t)n);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		kt_line_init(&l);
		l.source = in;
		l.lineno = ++lineno;
		parse(&l, buf, (size_t)n);
		kt_assembler_feed(a, &l, keep_cb, &k);
	}
	kt_assembler_flush(a, keep_cb, &k);
	if (k.n)	/* k.r is NULL when no report was kept */
		qsort(k.r, k.n, sizeof(*k.r), cmp_first);
	kt_strbuf_init(&sb, 4096);
	for (i = 0; i < k.n; i++) {
		kt_strbuf_reset(&sb);
		kt_report_to_json(k.r[i], &sb);
		kt_strbuf_addch(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, stdout);
		kt_report_free(k.r[i]);
	}
	kt_strbuf_release(&sb);
	free(k.r);
	free(buf);
	if (f != stdin)
		fclose(f);
	kt_assembler_free(a);
	kt_report_defs_free(defs);
	return k.n ? 1 : 0;
}
