// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.c - option table, parsing and usage text. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kt-line.h"
#include "kt-options.h"
#include "kt-xalloc.h"

enum {
	OPT_KMSG = 256,
	OPT_KMSG_DEVICE,
	OPT_FORMAT,
	OPT_COLOR,
	OPT_FACILITY,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_YEAR,
	OPT_MAX_LINE,
	OPT_RULES,
	OPT_NO_DEFAULT_RULES,
	OPT_NO_RULES,
	OPT_NO_REPORTS,
	OPT_CHECK_RULES,
	OPT_EXPLAIN,
	OPT_CATEGORY,
	OPT_WHY,
	OPT_SUMMARY,
	OPT_FAIL_ON,
	OPT_JOURNAL,
	OPT_JOURNAL_FILE,
	OPT_JOURNAL_DIR,
	OPT_BOOT,
	OPT_CURSOR_FILE,
	OPT_TO_JOURNAL,
	OPT_TO_SYSLOG,
	OPT_SINK_LEVEL,
	OPT_VMLINUX,
	OPT_MODULES,
	OPT_STRIP_PREFIX,
	OPT_NO_SYMBOLIZE,
	OPT_PSTORE,
	OPT_QUIET,
	OPT_THREADS,
};

static const struct option longopts[] = {
	{ "kmsg", no_argument, NULL, OPT_KMSG },
	{ "kmsg-device", required_argument, NULL, OPT_KMSG_DEVICE },
	{ "follow", no_argument, NULL, 'f' },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "journal-file", required_argument, NULL, OPT_JOURNAL_FILE },
	{ "journal-dir", required_argument, NULL, OPT_JOURNAL_DIR },
	{ "boot", optional_argument, NULL, 'b' },
	{ "cursor-file", required_argument, NULL, OPT_CURSOR_FILE },
	{ "pstore", optional_argument, NULL, OPT_PSTORE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "json", no_argument, NULL, 'J' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "level", required_argument, NULL, 'l' },
	{ "facility", required_argument, NULL, OPT_FACILITY },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES },
	{ "no-rules", no_argument, NULL, OPT_NO_RULES },
	{ "no-reports", no_argument, NULL, OPT_NO_REPORTS },
	{ "check-rules", optional_argument, NULL, OPT_CHECK_RULES },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "why", required_argument, NULL, OPT_WHY },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "to-journal", no_argument, NULL, OPT_TO_JOURNAL },
	{ "to-syslog", optional_argument, NULL, OPT_TO_SYSLOG },
	{ "sink-level", required_argument, NULL, OPT_SINK_LEVEL },
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "modules", required_argument, NULL, OPT_MODULES },
	{ "strip-prefix", required_argument, NULL, OPT_STRIP_PREFIX },
	{ "no-symbolize", no_argument, NULL, OPT_NO_SYMBOLIZE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage[] =
"Usage: ktriage [OPTION]... [FILE]...\n"
"Read kernel logs and say what happened: level, category and crash reports.\n"
"\n"
"With no FILE, read standard input, or /dev/kmsg when standard input is a\n"
"terminal. FILE may be '-' for standard input; gzip input is decompressed.\n"
"\n"
"Input:\n"
"      --kmsg               read /dev/kmsg (the kernel ring buffer)\n"
"      --kmsg-device=PATH   read kmsg records from PATH instead (for tests)\n"
"  -f, --follow             keep reading: new kmsg records or journal entries,\n"
"                           or data appended to a file (a rotated or\n"
"                           truncated file is reopened)\n"
"      --journal            read kernel messages from the systemd journal\n"
"      --journal-file=FILE  ... from one journal file\n"
"      --journal-dir=DIR    ... from a directory of journal files\n"
"  -b, --boot[=ID|-N]       only this boot (0 or no value: the current one,\n"
"                           -1: the previous one, or a 32-digit boot id)\n"
"      --cursor-file=FILE   resume after the journal entry or kmsg record saved\n"
"                           in FILE, and save the last one processed there\n"
"      --pstore[=DIR]       read the logs pstore saved from the previous crash\n"
"                           (DIR: /sys/fs/pstore)\n"
"      --year=YYYY          year for syslog time stamps that lack one\n"
"                           (default: this year)\n"
"      --max-line=BYTES     longer lines are cut and marked truncated\n"
"                           (default 65536)\n"
"\n"
"Output:\n"
"      --format=FMT         text (default) or json (one object per line)\n"
"  -J, --json               same as --format=json\n"
"      --color[=WHEN]       colour by level: auto (default), always, never;\n"
"                           NO_COLOR in the environment means never\n"
"\n"
"Filters:\n"
"  -l, --level=LIST         only these levels: emerg,alert,crit,err,warn,\n"
"                           notice,info,debug; 'err+' means err and more\n"
"                           severe, '+warn' warn and less severe\n"
"      --facility=LIST      only these facilities (kern,user,daemon,...)\n"
"      --since=SECONDS      only messages at or after this time since boot\n"
"      --until=SECONDS      only messages at or before this time since boot\n"
"\n"
"Rules and crash reports:\n"
"      --rules=PATH         also load rules from a file or directory\n"
"                           (repeatable)\n"
"      --no-default-rules   skip the shipped rules and /etc/ktriage/rules.d\n"
"      --no-rules           do not classify messages\n"
"      --no-reports         do not assemble crash reports\n"
"      --check-rules[=PATH] load, validate and run the examples of every rule\n"
"                           (the default rule set, or PATH), then exit\n"
"      --explain            print each finding's explanation and advice\n"
"      --category=LIST      only messages of these rule categories; crash\n"
"                           reports belong to the category 'crash'\n"
"      --why=TEXT           show which rules were tried on TEXT and why each\n"
"                           did or did not match, then exit\n"
"      --summary            only print a triage summary at the end\n"
"      --to-journal         send findings and crash reports to the systemd\n"
"                           journal (MESSAGE_ID per kind, KTRIAGE_* fields)\n"
"      --to-syslog[=FAC]    send them to syslog(3), facility FAC (daemon)\n"
"      --sink-level=LEVEL   findings at LEVEL or worse are sent (warn)\n"
"      --fail-on=WHAT       exit 1 if WHAT was seen: a level (err: any message\n"
"                           at err or worse, after rules), 'report' (any\n"
"                           crash report), or report kinds (KASAN,WARNING,...)\n"
"\n"
"Symbolization (crash-report frames to file:line and inline chains):\n"
"      --vmlinux=PATH       the debug vmlinux (default: found from the kernel\n"
"                           release in the report, or uname -r for /dev/kmsg,\n"
"                           under /usr/lib/debug, /lib/modules/R/build, /boot;\n"
"                           debuginfod when DEBUGINFOD_URLS is set)\n"
"      --modules=DIR        module .ko files (default: the release's debug\n"
"                           modules tree and /lib/modules/R)\n"
"      --strip-prefix=PREFIX  strip PREFIX from source paths (default: the\n"
"                           build directory the debug info records)\n"
"      --no-symbolize       do not symbolize frames\n"
"\n"
"      --threads=N          2: a second thread reads each file again and\n"
"                           assembles its crash reports (without reports,\n"
"                           or where a file cannot be opened twice: reads\n"
"                           and parses ahead); 1: all in one thread; auto\n"
"                           (default): the report thread on two or more\n"
"                           CPUs, else reading ahead while timing shows it\n"
"                           is faster\n"
"  -q, --quiet              no progress indicator (shown on a terminal while\n"
"                           reading files larger than 64 MB)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status:\n"
"  0   all input read and nothing --fail-on names was found\n"
"      (--check-rules: every rule is valid)\n"
"  1   --fail-on: found (--check-rules: a rule is invalid)\n"
"  2   an input could not be read (the others were still processed), or\n"
"      output could not be written\n"
"  64  usage error\n"
"\n"
"Writing into a closed pipe (ktriage big.log | head) ends quietly.\n"
"See ktriage(1).\n";

const char *kt_usage_text(void)
{
	return usage;
}

static int parse_seconds(const char *s, int64_t *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 1e12)
		return -EINVAL;
	*ret = (int64_t)(v * 1e6 + 0.5);
	return 0;
}

int kt_parse_level_list(const char *s, unsigned int *ret_mask)
{
	unsigned int mask = 0;
	const char *p = s;

	if (!*s)
		return -EINVAL;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		bool up = false, down = false;
		int lvl;

		if (len && p[len - 1] == '+') {
			up = true;
			len--;
		} else if (len && p[0] == '+') {
			down = true;
			p++;
			len--;
		}
		lvl = kt_level_from_name(p, len);
		if (lvl < 0)
			return -EINVAL;
		for (int i = 0; i <= KT_LEVEL_DEBUG; i++)
			if (i == lvl || (up && i < lvl) || (down && i > lvl))
				mask |= 1u << i;
		if (!e)
			break;
		p = e + 1;
	}
	*ret_mask = mask;
	return 0;
}

int kt_parse_facility_list(const char *s, uint32_t *ret_mask)
{
	uint32_t mask = 0;
	const char *p = s;

	if (!*s)
		return -EINVAL;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int f = kt_facility_from_name(p, len);

		if (f < 0)
			return -EINVAL;
		mask |= 1u << f;
		if (!e)
			break;
		p = e + 1;
	}
	*ret_mask = mask;
	return 0;
}

int kt_parse_fail_on(const char *s, struct kt_options *o)
{
	const char *p = s;
	bool kinds = false;

	if (!*s)
		return -EINVAL;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int lvl = kt_level_from_name(p, len);

		if (!len)
			return -EINVAL;
		if (len == 6 && !strncmp(p, "report", 6))
			o->fail_report = true;
		else if (lvl >= 0)
			o->fail_level = lvl > o->fail_level ? lvl : o->fail_level;
		else
			kinds = true;
		if (!e)
			break;
		p = e + 1;
	}
	o->fail_kinds = kinds ? s : NULL;
	return 0;
}

int kt_options_parse(int argc, char **argv, bool stdin_is_tty, struct kt_options *o,
		     struct kt_strbuf *err)
{
	int c;
	const char *nc = getenv("NO_COLOR");

	memset(o, 0, sizeof(*o));
	o->fail_level = KT_LEVEL_UNKNOWN;
	o->sink_level = KT_LEVEL_WARN;
	o->kmsg_path = "/dev/kmsg";
	o->since_usec = KT_TIME_NONE;
	o->until_usec = KT_TIME_NONE;
	o->color = nc && *nc ? KT_COLOR_NEVER : KT_COLOR_AUTO;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":fJl:hVqb::", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KMSG:
			o->kmsg = true;
			break;
		case OPT_KMSG_DEVICE:
			o->kmsg = true;
			o->kmsg_path = optarg;
			break;
		case 'f':
			o->follow = true;
			break;
		case OPT_JOURNAL:
			o->journal = true;
			break;
		case OPT_JOURNAL_FILE:
			o->journal = true;
			o->journal_file = optarg;
			break;
		case OPT_JOURNAL_DIR:
			o->journal = true;
			o->journal_dir = optarg;
			break;
		case 'b':
			o->boot = optarg ? optarg : "0";
			break;
		case OPT_CURSOR_FILE:
			o->cursor_file = optarg;
			break;
		case OPT_PSTORE:
			o->pstore = optarg ? optarg : "/sys/fs/pstore";
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = KT_OUTPUT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = KT_OUTPUT_JSON;
			else
				goto bad_arg;
			break;
		case 'J':
			o->format = KT_OUTPUT_JSON;
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "auto"))
				o->color = nc && *nc ? KT_COLOR_NEVER : KT_COLOR_AUTO;
			else if (!strcmp(optarg, "always"))
				o->color = KT_COLOR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->color = KT_COLOR_NEVER;
			else
				goto bad_arg;
			break;
		case 'l':
			if (kt_parse_level_list(optarg, &o->level_mask) < 0)
				goto bad_arg;
			break;
		case OPT_FACILITY:
			if (kt_parse_facility_list(optarg, &o->facility_mask) < 0)
				goto bad_arg;
			break;
		case OPT_SINCE:
			if (parse_seconds(optarg, &o->since_usec) < 0)
				goto bad_arg;
			break;
		case OPT_UNTIL:
			if (parse_seconds(optarg, &o->until_usec) < 0)
				goto bad_arg;
			break;
		case OPT_YEAR: {
			char *end;
			long y = strtol(optarg, &end, 10);

			if (*end || y < 1970 || y > 9999)
				goto bad_arg;
			o->year = (int)y;
			break;
		}
		case OPT_MAX_LINE: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);

			if (*end || v < 80 || v > 64ull * 1024 * 1024)
				goto bad_arg;
			o->max_line = (size_t)v;
			break;
		}
		case OPT_RULES:
			o->rule_paths = kt_xrealloc(o->rule_paths,
						    (o->n_rule_paths + 1) * sizeof(*o->rule_paths));
			o->rule_paths[o->n_rule_paths++] = optarg;
			break;
		case OPT_NO_DEFAULT_RULES:
			o->no_default_rules = true;
			break;
		case OPT_NO_RULES:
			o->no_rules = true;
			break;
		case OPT_NO_REPORTS:
			o->no_reports = true;
			break;
		case OPT_CHECK_RULES:
			o->check_rules = true;
			o->check_path = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = true;
			break;
		case OPT_CATEGORY:
			if (!*optarg)
				goto bad_arg;
			o->categories = optarg;
			break;
		case OPT_WHY:
			o->why = optarg;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case OPT_TO_JOURNAL:
			o->to_journal = true;
			break;
		case OPT_TO_SYSLOG: {
			int f = optarg ? kt_facility_from_name(optarg, strlen(optarg)) : 3;

			if (f < 0)
				goto bad_arg;
			o->to_syslog = true;
			o->syslog_facility = f;
			break;
		}
		case OPT_SINK_LEVEL:
			o->sink_level = kt_level_from_name(optarg, strlen(optarg));
			if (o->sink_level < 0)
				goto bad_arg;
			break;
		case OPT_VMLINUX:
			if (!*optarg)
				goto bad_arg;
			o->vmlinux = optarg;
			break;
		case OPT_MODULES:
			if (!*optarg)
				goto bad_arg;
			o->modules_dir = optarg;
			break;
		case OPT_STRIP_PREFIX:
			o->strip_prefix = optarg;
			break;
		case OPT_NO_SYMBOLIZE:
			o->no_symbolize = true;
			break;
		case OPT_FAIL_ON:
			if (kt_parse_fail_on(optarg, o) < 0)
				goto bad_arg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_THREADS:
			if (!strcmp(optarg, "1"))
				o->threads = 1;
			else if (!strcmp(optarg, "2"))
				o->threads = 2;
			else if (!strcmp(optarg, "auto"))
				o->threads = 0;
			else
				goto bad_arg;
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case ':':
			kt_strbuf_addf(err, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			kt_strbuf_addf(err, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (o->since_usec != KT_TIME_NONE && o->until_usec != KT_TIME_NONE &&
	    o->since_usec > o->until_usec) {
		kt_strbuf_addstr(err, "--since is later than --until");
		return -EINVAL;
	}
	if (o->check_rules && !o->check_path && optind < argc)
		o->check_path = argv[optind];	/* --check-rules PATH */
	if (o->check_rules || o->why || o->help || o->version)
		return 0;	/* no input needed */
	if (o->boot && !o->journal) {
		kt_strbuf_addstr(err, "--boot needs a journal source (--journal)");
		return -EINVAL;
	}
	if (o->cursor_file && !o->journal && !o->kmsg) {
		kt_strbuf_addstr(err, "--cursor-file needs --journal or --kmsg");
		return -EINVAL;
	}
	if (o->journal && (o->kmsg || optind < argc)) {
		kt_strbuf_addstr(err, "a journal source cannot be combined with --kmsg or FILE");
		return -EINVAL;
	}
	if (o->journal)
		return 0;
	if (o->pstore) {
		if (o->kmsg || optind < argc) {
			kt_strbuf_addstr(err, "--pstore cannot be combined with --kmsg or FILE");
			return -EINVAL;
		}
		return 0;
	}
	if (optind < argc) {
		if (o->kmsg) {
			kt_strbuf_addstr(err, "--kmsg and FILE arguments cannot be combined");
			return -EINVAL;
		}
		o->nfiles = (size_t)(argc - optind);
		o->files = kt_xcalloc(o->nfiles, sizeof(*o->files));
		for (size_t i = 0; i < o->nfiles; i++)
			o->files[i] = argv[optind + (int)i];
	} else if (!o->kmsg) {
		if (stdin_is_tty) {
			o->kmsg = true;
		} else {
			o->nfiles = 1;
			o->files = kt_xcalloc(1, sizeof(*o->files));
			o->files[0] = "-";
		}
	}
	return 0;

bad_arg:
	kt_strbuf_addf(err, "invalid value '%s' for %s", optarg ? optarg : "",
		       argv[optind - 1]);
	return -EINVAL;
}

void kt_options_release(struct kt_options *o)
{
	free(o->files);
	free(o->rule_paths);
	o->rule_paths = NULL;
	o->files = NULL;
	o->nfiles = 0;
}
