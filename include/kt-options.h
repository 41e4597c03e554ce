/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-options.h - the command line, parsed once into struct kt_options,
 * read-only after that.  No option lives in a global.
 *
 * Ownership: kt_options_parse() fills a caller-owned struct; strings point
 * into argv; arrays are freed by kt_options_release().
 */
#ifndef KT_OPTIONS_H
#define KT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-strbuf.h"

enum kt_output_format { KT_OUTPUT_TEXT, KT_OUTPUT_JSON };
enum kt_color_mode { KT_COLOR_AUTO, KT_COLOR_ALWAYS, KT_COLOR_NEVER };

/* exit statuses */
#define KT_EXIT_OK 0
#define KT_EXIT_FOUND 1
#define KT_EXIT_ERROR 2
#define KT_EXIT_USAGE 64

#define KT_LEVEL_MASK_UNKNOWN (1u << 8)

struct kt_options {
	const char **files;
	size_t nfiles;
	bool kmsg;
	const char *kmsg_path;
	bool journal;			/* --journal / --journal-file / --journal-dir */
	const char *journal_file;
	const char *journal_dir;
	const char *boot;		/* --boot[=ID|-N]: NULL = every boot */
	const char *cursor_file;
	const char *pstore;		/* --pstore[=DIR]: saved crash logs */
	bool follow;
	enum kt_output_format format;
	enum kt_color_mode color;
	unsigned int level_mask;	/* bit n: level n; 0 = no filter */
	uint32_t facility_mask;		/* bit n: facility n; 0 = no filter */
	int64_t since_usec;		/* KT_TIME_NONE = unset */
	int64_t until_usec;
	int year;
	size_t max_line;
	/* rules and reports */
	const char **rule_paths;	/* --rules, repeatable */
	size_t n_rule_paths;
	bool no_default_rules;
	bool no_rules;			/* --no-rules: no classification */
	bool no_reports;		/* --no-reports: no crash-report assembly */
	bool check_rules;		/* --check-rules[=PATH] */
	const char *check_path;
	bool explain;
	const char *categories;		/* --category LIST, comma separated */
	const char *why;		/* --why TEXT */
	bool summary;
	/* --fail-on: exit 1 when any of these is seen */
	int fail_level;			/* worst acceptable+1: KT_LEVEL_UNKNOWN = off */
	bool fail_report;		/* any crash report */
	const char *fail_kinds;		/* comma list of report kinds, or NULL */
	/* sinks */
	bool to_journal;
	bool to_syslog;
	int syslog_facility;
	int sink_level;			/* findings at this level or worse */
	/* symbolization (kt-symbolize.h) */
	const char *vmlinux;		/* --vmlinux PATH, or NULL: search */
	const char *modules_dir;	/* --modules DIR */
	const char *strip_prefix;	/* --strip-prefix PREFIX */
	bool no_symbolize;		/* --no-symbolize */
	bool quiet;			/* no progress indicator */
	int threads;			/* --threads: 1, 2, or 0 (auto) */
	bool help;
	bool version;
};

/*
 * Returns 0, or -EINVAL with a one-line reason in *err (a usage error).
 * stdin_is_tty decides the default source (kmsg when no file is given and
 * stdin is a terminal, as dmesg does).
 */
int kt_options_parse(int argc, char **argv, bool stdin_is_tty, struct kt_options *ret,
		     struct kt_strbuf *err);
void kt_options_release(struct kt_options *o);

/* Level list as dmesg takes it: "err,warn", "err+" (err and more severe),
 * "+warn" (warn and less severe).  0 on success, -EINVAL otherwise. */
int kt_parse_level_list(const char *s, unsigned int *ret_mask);
int kt_parse_facility_list(const char *s, uint32_t *ret_mask);
/* --fail-on value: "report", a level ("err" = err or worse), or report
 * kinds ("KASAN,WARNING"), comma separated and mixed. */
int kt_parse_fail_on(const char *s, struct kt_options *o);

const char *kt_usage_text(void);

#endif
