/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-error.h - a located error for things a user must fix (a rule file, an
 * option value).  Library code fills one in and returns -errno; only main
 * prints it.
 *
 * Ownership: plain value type with fixed buffers; the caller owns the struct
 * (usually on its stack).  Strings are always NUL-terminated, truncated to fit.
 */
#ifndef KT_ERROR_H
#define KT_ERROR_H

#include <stddef.h>

struct kt_error {
	char file[256];		/* "" if not about a file */
	unsigned line;		/* 1-based, 0 if unknown */
	unsigned column;	/* 1-based, 0 if unknown */
	char rule[128];		/* rule id, "" if none */
	char msg[512];		/* lower-case, no trailing newline */
};

/* Reset to the empty error. NULL is accepted and ignored. */
void kt_error_clear(struct kt_error *err);

/*
 * Fill *err (which may be NULL: then nothing happens).  file and rule may be
 * NULL.  Always returns 0 so callers can write "kt_error_set(...); return -EINVAL;".
 */
int kt_error_set(struct kt_error *err, const char *file, unsigned line, unsigned column,
		 const char *rule, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Render as "file:line: rule-id: msg" (parts that are empty are left out) into
 * buf; returns the length snprintf would, buf always NUL-terminated if size > 0.
 */
int kt_error_format(const struct kt_error *err, char *buf, size_t size);

#endif
