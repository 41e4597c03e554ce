/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-output.h - buffered writes to a file descriptor that notice errors.
 *
 * Ownership: the caller owns struct kt_output; kt_output_release() frees the
 * buffer (it does not flush or close the fd).
 */
#ifndef KT_OUTPUT_H
#define KT_OUTPUT_H

#include <stdbool.h>

#include "kt-strbuf.h"

struct kt_output {
	int fd;
	struct kt_strbuf buf;
	bool line_buffered;	/* flush after every message (live input) */
	int error;		/* first write error as -errno, sticky */
};

void kt_output_init(struct kt_output *out, int fd);
void kt_output_release(struct kt_output *out);
/* Call after appending one message to out->buf. */
int kt_output_commit(struct kt_output *out);
int kt_output_flush(struct kt_output *out);

#endif
