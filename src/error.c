// SPDX-License-Identifier: GPL-2.0-or-later
/* error.c - struct kt_error helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kt-error.h"

void kt_error_clear(struct kt_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static void copy_trunc(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int kt_error_set(struct kt_error *err, const char *file, unsigned line, unsigned column,
		 const char *rule, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return 0;
	copy_trunc(err->file, sizeof(err->file), file);
	copy_trunc(err->rule, sizeof(err->rule), rule);
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return 0;
}

int kt_error_format(const struct kt_error *err, char *buf, size_t size)
{
	char loc[300] = "";
	char rule[136] = "";

	if (err->file[0] && err->line)
		snprintf(loc, sizeof(loc), "%s:%u: ", err->file, err->line);
	else if (err->file[0])
		snprintf(loc, sizeof(loc), "%s: ", err->file);
	if (err->rule[0])
		snprintf(rule, sizeof(rule), "%s: ", err->rule);
	return snprintf(buf, size, "%s%s%s", loc, rule, err->msg);
}
