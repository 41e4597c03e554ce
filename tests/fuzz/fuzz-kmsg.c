// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-kmsg.c - /dev/kmsg record parsing (kt_prefix_parse_kmsg): the input
 * is split at NUL bytes into records, as read(2) of /dev/kmsg returns them
 * one at a time ("pri,seq,usec,flags;text\n KEY=value\n"), and each parsed
 * record is rendered as text and JSON.
 */
#include "fuzz-util.h"
#include "kt-line.h"
#include "kt-prefix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_strbuf out;
	const uint8_t *piece;
	size_t len;

	kt_strbuf_init(&out, 256);
	while (fuzz_next_piece(&data, &size, '\0', &piece, &len)) {
		char *buf = fuzz_dup(piece, len);
		struct kt_line line;

		kt_line_init(&line);
		line.source = "kmsg";
		kt_prefix_parse_kmsg(buf, len, &line);
		fuzz_render_line(&out, &line);
		free(buf);
	}
	kt_strbuf_release(&out);
	return 0;
}
