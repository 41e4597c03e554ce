/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-kmsg-cursor.h - remember how far /dev/kmsg was read, across restarts.
 *
 * The file holds "kmsg BOOT-ID SEQ": the kernel's boot id
 * (/proc/sys/kernel/random/boot_id) and the last sequence number
 * processed.  After a reboot the saved number means nothing and is ignored.
 * Writes are atomic (temporary file + rename).  Plain value type; no
 * allocation.
 */
#ifndef KT_KMSG_CURSOR_H
#define KT_KMSG_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

struct kt_kmsg_cursor {
	char boot_id[40];	/* of the running kernel */
	bool valid;		/* a saved position of this boot was found */
	uint64_t seq;		/* last record processed */
};

/* 0 (missing file: not valid), or -errno. */
int kt_kmsg_cursor_load(const char *path, const char *boot_id_path,
			struct kt_kmsg_cursor *ret);
int kt_kmsg_cursor_save(const char *path, const struct kt_kmsg_cursor *c);

#endif
