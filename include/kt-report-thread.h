/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-report-thread.h - assemble crash reports in a thread of its own that
 * reads the same file as the caller.
 *
 * The caller reads, classifies and renders a file's messages; the thread
 * reads a second opening of it (kt_source_reopen()), parses it again and
 * feeds its assembler.  Nothing is handed over per line: each thread
 * parses its own copy of the text, so two cores that share no cache work
 * side by side at full speed, and only the finished reports (and, now and
 * then, a count of lines) cross between them.  The caller counts the lines
 * it would have fed to an assembler (kt_report_thread_sync() with 1, 2,
 * ...) and gets each report at the same line, in the same order, as from
 * kt_assembler_feed() on its own lines.
 *
 * Ownership: the thread owns the source it is given, and the reader and
 * assembler it makes; the definitions are borrowed and must outlive it.  Reports
 * handed to cb belong to cb when it returns KT_REPORT_KEEP, and are freed
 * otherwise.  Memory is bounded: KT_REPORT_THREAD_QUEUE finished reports
 * wait at most; the thread blocks when the caller is that far behind.
 */
#ifndef KT_REPORT_THREAD_H
#define KT_REPORT_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "kt-line.h"
#include "kt-reader.h"
#include "kt-report.h"

#define KT_REPORT_THREAD_QUEUE 256

/* Which lines the caller feeds (the others it skips), asked in the thread
 * about each line; NULL: all. */
typedef bool (*kt_line_filter)(const struct kt_line *line, const void *userdata);

struct kt_report_thread;

/*
 * Start the thread: it reads src (taken over, also on failure) as
 * kt_reader_new(src, ro) does.  keep and its userdata are used in the
 * thread and must be safe there.  0, or -errno when no thread could be
 * started.
 */
int kt_report_thread_new(struct kt_source *src, const struct kt_reader_opts *ro,
			 const struct kt_report_defs *defs, kt_line_filter keep,
			 const void *keep_data, struct kt_report_thread **ret);

/*
 * The caller is at its n-th line (n counts from 1 and grows by one per
 * call): cb gets every report that line completes.  Waits for the thread to
 * have fed that line, unless the thread has ended (its reader met the end
 * of input or an error before).
 */
void kt_report_thread_sync(struct kt_report_thread *t, uint64_t n, kt_report_cb cb,
			  void *userdata);

/*
 * The caller's input ended after n lines: the thread feeds no further
 * (reports it completed beyond n still come), completes the open reports
 * (kt_assembler_flush()) and ends; cb gets all that is left.  Returns 0,
 * -errno when the thread's reader failed, or -ESTALE when it found fewer
 * than n lines (the file changed under the two readers): then reports of
 * the lines after its last may be missing.
 */
int kt_report_thread_finish(struct kt_report_thread *t, uint64_t n, kt_report_cb cb,
			    void *userdata);

/* Stops the thread (if still running), joins it, and frees the reports
 * not yet handed out.  t may be NULL. */
void kt_report_thread_free(struct kt_report_thread *t);

#endif
