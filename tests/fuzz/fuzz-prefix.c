// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-prefix.c - line prefix and format detection (kt_prefix_parse): the
 * input is split at LF into lines fed to one parser state in order (formats
 * may change from line to line; util-linux JSON spans lines), and every
 * parsed line is rendered as text and JSON.
 */
#include "fuzz-util.h"
#include "kt-line.h"
#include "kt-prefix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_prefix_state st;
	struct kt_strbuf out;
	const uint8_t *piece;
	size_t len;

	kt_prefix_state_init(&st, 2024);
	kt_strbuf_init(&out, 256);
	while (fuzz_next_piece(&data, &size, '\n', &piece, &len)) {
		char *buf = fuzz_dup(piece, len);
		struct kt_line line;

		kt_line_init(&line);
		line.source = "fuzz";
		if (kt_prefix_parse(&st, buf, len, &line) == KT_PARSE_LINE)
			fuzz_render_line(&out, &line);
		free(buf);
	}
	kt_strbuf_release(&out);
	kt_prefix_state_release(&st);
	return 0;
}
