/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-xalloc.h - allocation that never returns NULL.  Out of memory is not a
 * recoverable condition for a log filter: these print one line and abort.
 * The caller owns what they return and frees it with free().
 */
#ifndef KT_XALLOC_H
#define KT_XALLOC_H

#include <stddef.h>

void *kt_xmalloc(size_t n);
void *kt_xcalloc(size_t nmemb, size_t size);
void *kt_xrealloc(void *p, size_t n);
char *kt_xstrdup(const char *s);
char *kt_xmemdup0(const void *p, size_t n);	/* copy + terminating NUL */

#endif
