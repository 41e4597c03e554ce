/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-prefetch.h - run a reader in a thread of its own, one batch ahead.
 *
 * Reading and parsing the formats is about half the work of a run; on a
 * machine with two cores, doing it in a producer thread while the caller
 * classifies, assembles and renders makes the whole pass faster.  Events
 * come out in the same order as from kt_reader_next().  Meant for regular
 * files: live sources keep their latency by being read directly.
 *
 * A hook can do more of the per-line work there (the report assembler's
 * scan, see kt-report.h).
 *
 * Ownership: the prefetcher borrows the reader (the caller frees it after
 * kt_prefetch_free()).  An event's line points into the prefetcher's batch
 * and is valid until the next kt_prefetch_next() call.  Memory is bounded:
 * KT_PREFETCH_BATCHES batches of KT_PREFETCH_EVENTS events and
 * KT_PREFETCH_ARENA bytes of text each.
 */
#ifndef KT_PREFETCH_H
#define KT_PREFETCH_H

#include <stdbool.h>

#include "kt-reader.h"

#define KT_PREFETCH_BATCHES 3
#define KT_PREFETCH_EVENTS 1024
#define KT_PREFETCH_ARENA (256 * 1024)
#define KT_PREFETCH_WINDOW 65536

struct kt_prefetch;

/*
 * Optional work on each line in the producer thread, once the line is in
 * its batch: fn gets the line (it may set members such as line->prep) and
 * a slot of size bytes of its own, both valid while the event is.  fn runs
 * in the producer thread only, one line after the other.
 */
struct kt_prefetch_hook {
	void (*fn)(struct kt_line *line, void *slot, void *userdata);
	size_t size;
	void *userdata;
};

/*
 * hook may be NULL (it is copied).  window 0: always read in the producer
 * thread.  Otherwise adapt: time windows of that many events read each way
 * (two each, alternating, then 128 the faster way, then again) and read in
 * the caller's thread while that is faster: the producer is parked and the
 * hook is not run (lines come as kt_reader_next() gives them, prep NULL).
 * KT_PREFETCH_WINDOW is the window ktriage uses.
 */
int kt_prefetch_new(struct kt_reader *r, const struct kt_prefetch_hook *hook,
		    unsigned int window, struct kt_prefetch **ret);
/* Same results as kt_reader_next(): 1 with *ret pointing at the event
 * (valid until the next call), 0 at the end, or -errno. */
int kt_prefetch_next(struct kt_prefetch *p, const struct kt_event **ret);
/* Stops the producer (if still running) and joins it. */
void kt_prefetch_free(struct kt_prefetch *p);

#endif
