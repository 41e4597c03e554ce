/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-reader.h - a source turned into a stream of messages and "lost" events.
 *
 * The reader owns its source (freed with the reader), its line buffer and
 * the format-detection state.  The kt_line in an event borrows from them and
 * is valid until the next kt_reader_next() call.
 */
#ifndef KT_READER_H
#define KT_READER_H

#include <stdint.h>

#include "kt-line.h"
#include "kt-source.h"

enum kt_event_type {
	KT_EVENT_LINE = 1,
	KT_EVENT_LOST,		/* records known to be missing (kmsg overrun, seq gap) */
};

struct kt_event {
	enum kt_event_type type;
	struct kt_line line;	/* KT_EVENT_LINE */
	uint64_t lost_count;	/* KT_EVENT_LOST */
	uint64_t lost_after_seq;
};

struct kt_reader_opts {
	int year;		/* year for yearless syslog stamps; 0: this year */
	size_t max_line;	/* cap on one line; 0: KT_LINE_MAX */
};

struct kt_reader_stats {
	uint64_t bytes;
	uint64_t lines;		/* raw lines or records read */
	uint64_t messages;
	uint64_t truncated;
	uint64_t bad_records;	/* kmsg records with a header we could not parse */
	uint64_t lost;
};

struct kt_reader;

/* Takes ownership of src, also on failure. */
int kt_reader_new(struct kt_source *src, const struct kt_reader_opts *opts,
		  struct kt_reader **ret);
/* Read kernel entries of the systemd journal instead (takes ownership). */
struct kt_journal;
int kt_reader_new_journal(struct kt_journal *j, struct kt_reader **ret);
struct kt_journal *kt_reader_journal(struct kt_reader *r);	/* or NULL */

void kt_reader_free(struct kt_reader *r);

/* 1: an event in *ret; 0: end of input; -errno: the source failed. */
int kt_reader_next(struct kt_reader *r, struct kt_event *ret);

const struct kt_reader_stats *kt_reader_stats(const struct kt_reader *r);
struct kt_source *kt_reader_source(struct kt_reader *r);

#endif
