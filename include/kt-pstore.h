/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-pstore.h - the kernel logs that pstore saved across a crash
 * (/sys/fs/pstore/dmesg-*).
 *
 * Each file starts with a header line such as "Oops#1 Part1" or
 * "Panic#2 Part3".  A record (#N) may be split into parts, Part1 holding the
 * most recent text, so a record is read with its highest part first and the
 * header lines left out.
 *
 * Ownership: kt_pstore_scan() fills a caller-owned struct freed with
 * kt_pstore_release().
 */
#ifndef KT_PSTORE_H
#define KT_PSTORE_H

#include <stddef.h>

struct kt_pstore_record {
	char *name;		/* "pstore:Oops#1", for messages */
	char **parts;		/* file paths, in reading order */
	size_t n_parts;
};

struct kt_pstore {
	struct kt_pstore_record *records;	/* oldest record number first */
	size_t n_records;
};

/* 0 (possibly with no records), or -errno if dir cannot be read. */
int kt_pstore_scan(const char *dir, struct kt_pstore *ret);
void kt_pstore_release(struct kt_pstore *ps);

#endif
