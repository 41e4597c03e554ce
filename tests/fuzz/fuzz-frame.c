// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-frame.c - stack-frame parsing (kt_frame_parse, kt_frame_marker,
 * kt_frame_canonical): each LF-separated line of the input is parsed as a
 * message text, following arm "(f) from (g)" continuations, and every frame
 * found is copied into an owned frame and canonicalised.
 */
#include "fuzz-util.h"
#include "kt-frame.h"

static void one_text(const char *s, size_t len)
{
	enum kt_frame_context ctx = KT_CTX_TASK;
	char canon[256];
	size_t pos = 0;

	kt_frame_marker(s, len, &ctx);
	while (pos < len) {
		struct kt_frame_view v;
		struct kt_frame f;
		size_t next = len - pos;

		if (kt_frame_parse(s + pos, len - pos, &v, &next) == KT_FRAME_NONE)
			break;
		kt_frame_copy(&f, &v, v.context_change ? v.context : ctx);
		if (f.func)
			kt_frame_canonical(f.func, strlen(f.func), canon, sizeof(canon));
		if (v.func)
			kt_frame_canonical(v.func, v.func_len, canon, sizeof(canon));
		kt_frame_canonical(v.func ? v.func : "", v.func ? v.func_len : 0, canon, 1);
		kt_frame_context_name(f.context);
		kt_frame_release(&f);
		if (next == 0 || next > len - pos)
			break;
		pos += next;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *piece;
	size_t len;

	while (fuzz_next_piece(&data, &size, '\n', &piece, &len)) {
		char *buf = fuzz_dup(piece, len);

		one_text(buf, len);
		free(buf);
	}
	return 0;
}
