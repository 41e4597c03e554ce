/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-sink.h - send findings to the systemd journal (sd_journal_send) and to
 * syslog(3): each rule hit at or above a level, and each crash report.
 *
 * Journal entries carry MESSAGE, PRIORITY, a stable MESSAGE_ID per report
 * kind (or per finding category) and KTRIAGE_* fields, so that
 * `journalctl MESSAGE_ID=...` finds every crash of a kind.  Syslog messages
 * are one greppable line of key=value pairs.
 *
 * Ownership: kt_sinks_new() returns an object freed with kt_sinks_free().
 */
#ifndef KT_SINK_H
#define KT_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "kt-line.h"
#include "kt-render.h"
#include "kt-report.h"

struct kt_sink_opts {
	bool journal;
	bool syslog;
	int syslog_facility;	/* 0..23 */
	int level;		/* findings at this level or more severe */
	const char *journal_socket;	/* NULL: /run/systemd/journal/socket */
	const char *syslog_socket;	/* NULL: syslog(3), i.e. /dev/log */
};

struct kt_sinks;

/* -errno with a message in errbuf (e.g. the journal socket is missing). */
int kt_sinks_new(const struct kt_sink_opts *opts, struct kt_sinks **ret, char *errbuf,
		 size_t errlen);
void kt_sinks_free(struct kt_sinks *s);

void kt_sinks_finding(struct kt_sinks *s, const struct kt_line *line,
		      const struct kt_annotation *ann);
void kt_sinks_report(struct kt_sinks *s, const struct kt_report *r);

/* First send error (-errno) or 0, and how many entries were sent. */
int kt_sinks_error(const struct kt_sinks *s);
unsigned long kt_sinks_sent(const struct kt_sinks *s);

/* The stable MESSAGE_ID (32 hex digits + NUL) for a report kind. */
void kt_message_id_report(const char *kind, char ret[33]);
void kt_message_id_finding(const char *category, char ret[33]);

#endif
