// SPDX-License-Identifier: GPL-2.0-or-later
/* pstore.c - find and order the dmesg records pstore saved. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt-pstore.h"
#include "kt-xalloc.h"

struct part {
	char *path;
	char kind[16];		/* Oops, Panic, Emergency, ... */
	unsigned long rec;
	unsigned long part;
};

/* "Oops#1 Part2" on the first line; false if the file has no such header. */
static bool read_header(const char *path, struct part *p)
{
	FILE *f = fopen(path, "re");
	char line[128];
	bool ok = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#'), *end;

		if (hash && (size_t)(hash - line) < sizeof(p->kind) && hash > line) {
			memcpy(p->kind, line, (size_t)(hash - line));
			p->kind[hash - line] = '\0';
			p->rec = strtoul(hash + 1, &end, 10);
			if (end != hash + 1 && !strncmp(end, " Part", 5)) {
				p->part = strtoul(end + 5, &end, 10);
				ok = true;
			}
		}
	}
	fclose(f);
	return ok;
}

static int cmp_part(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	if (x->rec != y->rec)
		return x->rec < y->rec ? -1 : 1;
	if (x->part != y->part)
		return x->part > y->part ? -1 : 1;	/* highest part: oldest text */
	return strcmp(x->path, y->path);
}

int kt_pstore_scan(const char *dir, struct kt_pstore *ret)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct part *v = NULL;
	size_t n = 0, cap = 0;

	memset(ret, 0, sizeof(*ret));
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct part p = { 0 };
		size_t len = strlen(dir) + strlen(de->d_name) + 2;

		if (strncmp(de->d_name, "dmesg-", 6))
			continue;
		p.path = kt_xmalloc(len);
		snprintf(p.path, len, "%s/%s", dir, de->d_name);
		if (!read_header(p.path, &p)) {
			/* no header: a record of its own */
			snprintf(p.kind, sizeof(p.kind), "dmesg");
			p.rec = 100000 + n;
			p.part = 1;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = kt_xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = p;
	}
	closedir(d);
	if (n)	/* v is NULL when the directory holds no part */
		qsort(v, n, sizeof(*v), cmp_part);
	for (size_t i = 0; i < n; i++) {
		struct kt_pstore_record *r;

		if (i == 0 || v[i].rec != v[i - 1].rec || strcmp(v[i].kind, v[i - 1].kind)) {
			char name[64];

			ret->records = kt_xrealloc(ret->records,
						   (ret->n_records + 1) * sizeof(*ret->records));
			r = &ret->records[ret->n_records++];
			memset(r, 0, sizeof(*r));
			snprintf(name, sizeof(name), "pstore:%s#%lu", v[i].kind, v[i].rec);
			r->name = kt_xstrdup(name);
		}
		r = &ret->records[ret->n_records - 1];
		r->parts = kt_xrealloc(r->parts, (r->n_parts + 1) * sizeof(*r->parts));
		r->parts[r->n_parts++] = v[i].path;
	}
	free(v);
	return 0;
}

void kt_pstore_release(struct kt_pstore *ps)
{
	for (size_t i = 0; i < ps->n_records; i++) {
		for (size_t k = 0; k < ps->records[i].n_parts; k++)
			free(ps->records[i].parts[k]);
		free(ps->records[i].parts);
		free(ps->records[i].name);
	}
	free(ps->records);
	memset(ps, 0, sizeof(*ps));
}
