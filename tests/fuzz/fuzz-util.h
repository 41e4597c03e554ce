/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-util.h - shared by the fuzz harnesses (tests/fuzz/fuzz-*.c): the
 * libFuzzer entry points and a helper that hands out one piece of the input
 * at a time as an exact-size heap copy, so that a read one byte past a
 * piece is caught by AddressSanitizer.
 */
#ifndef KT_FUZZ_UTIL_H
#define KT_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kt-render.h"
#include "kt-strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A writable exact-size copy of data[0..len) (caller frees). */
static inline char *fuzz_dup(const uint8_t *data, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, data, len);
	return p;
}

/*
 * The next piece of *data up to (not including) sep, or the rest; advances
 * past the separator.  Returns 0 when nothing is left.
 */
static inline int fuzz_next_piece(const uint8_t **data, size_t *size, uint8_t sep,
				  const uint8_t **ret, size_t *ret_len)
{
	const uint8_t *e;

	if (*size == 0)
		return 0;
	e = memchr(*data, sep, *size);
	*ret = *data;
	if (e) {
		*ret_len = (size_t)(e - *data);
		*size -= *ret_len + 1;
		*data = e + 1;
	} else {
		*ret_len = *size;
		*data += *size;
		*size = 0;
	}
	return 1;
}

/* Read every byte of a rendered message so views into freed memory show. */
static inline void fuzz_render_line(struct kt_strbuf *out, const struct kt_line *line)
{
	static const struct kt_text_style plain = { .color = false, .explain = true };
	static const struct kt_text_style color = { .color = true, .explain = false };

	kt_strbuf_reset(out);
	kt_render_text_message(out, line, NULL, &plain);
	kt_render_text_message(out, line, NULL, &color);
	kt_render_json_message(out, line, NULL);
}

#endif
