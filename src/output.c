// SPDX-License-Identifier: GPL-2.0-or-later
/* output.c - buffered, error-checked writes. */
#include <errno.h>
#include <unistd.h>

#include "kt-output.h"

#define OUTPUT_CHUNK (64 * 1024)

void kt_output_init(struct kt_output *out, int fd)
{
	out->fd = fd;
	kt_strbuf_init(&out->buf, OUTPUT_CHUNK + 4096);
	out->line_buffered = false;
	out->error = 0;
}

void kt_output_release(struct kt_output *out)
{
	kt_strbuf_release(&out->buf);
}

int kt_output_flush(struct kt_output *out)
{
	size_t off = 0;

	while (off < out->buf.len && !out->error) {
		ssize_t n = write(out->fd, out->buf.buf + off, out->buf.len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			out->error = -errno;
			break;
		}
		off += (size_t)n;
	}
	kt_strbuf_reset(&out->buf);
	return out->error;
}

int kt_output_commit(struct kt_output *out)
{
	if (out->line_buffered || out->buf.len >= OUTPUT_CHUNK)
		return kt_output_flush(out);
	return out->error;
}
