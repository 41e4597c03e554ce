// SPDX-License-Identifier: GPL-2.0-or-later
/* line.c - struct kt_line helpers: reset, level and facility names. */
#include <string.h>
#include <strings.h>

#include "kt-line.h"

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

/* syslog facility codes; 12-15 are reserved and unnamed in util-linux too. */
static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "res0", "res1", "res2", "res3",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7",
};

/*
 * Member by member: a struct assignment or memset here becomes "rep stos",
 * whose start-up cost made this 10% of a rules-only run.  Keep this list
 * in step with struct kt_line (a unit test checks every member).
 */
void kt_line_init(struct kt_line *line)
{
	line->source = NULL;
	line->lineno = 0;
	line->seq = 0;
	line->has_seq = false;
	line->boot = 0;
	line->mono_usec = KT_TIME_NONE;
	line->wall_usec = KT_TIME_NONE;
	line->wall_tzoff_min = 0;
	line->wall_has_tz = false;
	line->level = KT_LEVEL_UNKNOWN;
	line->facility = KT_FACILITY_UNKNOWN;
	line->caller_kind = 0;
	line->caller_id = 0;
	line->host = NULL;
	line->host_len = 0;
	line->prog = NULL;
	line->prog_len = 0;
	line->is_kernel = true;
	line->subsystem = NULL;
	line->subsystem_len = 0;
	line->device = NULL;
	line->device_len = 0;
	line->text = "";
	line->text_len = 0;
	line->truncated = false;
	line->continuation = false;
	line->format = KT_FMT_NONE;
	line->prep = NULL;
}

const char *kt_level_name(int level)
{
	if (level < 0 || level > KT_LEVEL_DEBUG)
		return NULL;
	return level_names[level];
}

static int name_lookup(const char *const *tab, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(tab[i]) == len && strncasecmp(tab[i], s, len) == 0)
			return i;
	return -1;
}

int kt_level_from_name(const char *s, size_t len)
{
	int r = name_lookup(level_names, 8, s, len);

	/* aliases used by syslog and journald */
	if (r < 0 && len == 7 && strncasecmp(s, "warning", 7) == 0)
		r = KT_LEVEL_WARN;
	if (r < 0 && len == 5 && strncasecmp(s, "error", 5) == 0)
		r = KT_LEVEL_ERR;
	if (r < 0 && len == 5 && strncasecmp(s, "panic", 5) == 0)
		r = KT_LEVEL_EMERG;
	return r;
}

const char *kt_facility_name(int facility)
{
	if (facility < 0 || facility >= (int)(sizeof(facility_names) / sizeof(facility_names[0])))
		return NULL;
	return facility_names[facility];
}

int kt_facility_from_name(const char *s, size_t len)
{
	int r = name_lookup(facility_names, 24, s, len);

	if (r < 0 && len == 8 && strncasecmp(s, "security", 8) == 0)
		r = 4;
	return r;
}
