// SPDX-License-Identifier: GPL-2.0-or-later
/* xalloc.c - allocation wrappers that die on out-of-memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt-xalloc.h"

static void oom(void)
{
	static const char msg[] = "ktriage: out of memory\n";

	/* write(2) directly: stdio may need memory itself */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		abort();
	abort();
}

void *kt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *kt_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *kt_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom();
	return q;
}

char *kt_xstrdup(const char *s)
{
	return kt_xmemdup0(s, strlen(s));
}

char *kt_xmemdup0(const void *p, size_t n)
{
	char *q = kt_xmalloc(n + 1);

	if (n)
		memcpy(q, p, n);
	q[n] = '\0';
	return q;
}
