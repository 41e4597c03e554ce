/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-journal.h - kernel messages from the systemd journal (libsystemd).
 *
 * Ownership: kt_journal_open() returns an object freed with
 * kt_journal_free(); the kt_line filled by kt_journal_next() borrows from it
 * and is valid until the next call.  Errors are -errno with a message in the
 * caller's buffer (library code never prints).
 */
#ifndef KT_JOURNAL_H
#define KT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-line.h"

struct kt_journal_opts {
	const char *file;	/* --journal-file: one journal file */
	const char *dir;	/* --journal-dir: a directory of journal files */
	const char *boot;	/* --boot: NULL = all, "" or "0" = current, "-1", ID */
	bool follow;
	const char *cursor_file;	/* resume after the entry saved there */
	volatile int *interrupt;	/* give up waiting when it turns non-zero */
};

struct kt_journal;

int kt_journal_open(const struct kt_journal_opts *opts, struct kt_journal **ret,
		    char *errbuf, size_t errlen);
void kt_journal_free(struct kt_journal *j);

/* 1: an entry in *ret; 0: no more (or interrupted); -errno on failure. */
int kt_journal_next(struct kt_journal *j, struct kt_line *ret);

/* The 0-based boot index of the last entry (changes with _BOOT_ID). */
unsigned int kt_journal_boot(const struct kt_journal *j);

/* Write the cursor of the last entry returned to opts->cursor_file. */
int kt_journal_save_cursor(struct kt_journal *j);

#endif
