// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prefix.c - per-line format detection: dmesg, dmesg -r/-T/-x, kmsg records,
 * syslog RFC 3164 / RFC 3339 / RFC 5424, journalctl short formats.  The JSON
 * formats are in prefix-json.c.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kt-prefix.h"

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

void kt_prefix_state_init(struct kt_prefix_state *st, int year)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(st, 0, sizeof(*st));
	st->year = year;
	if (localtime_r(&now, &tm)) {
		if (!year)
			st->year = tm.tm_year + 1900;
		st->cur_month = year ? 12 : tm.tm_mon + 1;
	}
	kt_strbuf_init(&st->json_msg, 256);
	kt_strbuf_init(&st->json_caller, 16);
	kt_strbuf_init(&st->scratch, 256);
	kt_strbuf_init(&st->scratch2, 64);
}

void kt_prefix_state_release(struct kt_prefix_state *st)
{
	kt_strbuf_release(&st->json_msg);
	kt_strbuf_release(&st->json_caller);
	kt_strbuf_release(&st->scratch);
	kt_strbuf_release(&st->scratch2);
}

/* Parse up to maxd decimal digits; returns digits used (0 = none). */
static size_t parse_uint(const char *p, size_t len, size_t maxd, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < len && i < maxd && is_digit(p[i])) {
		v = v * 10 + (uint64_t)(p[i] - '0');
		i++;
	}
	*ret = v;
	return i;
}

/* Exactly n digits. */
static bool parse_fixed(const char *p, size_t len, size_t n, int *ret)
{
	uint64_t v;

	if (len < n || parse_uint(p, len, n, &v) != n)
		return false;
	*ret = (int)v;
	return true;
}

int64_t kt_civil_to_epoch(int y, int m, int d, int hh, int mm, int ss)
{
	/* days from civil, Howard Hinnant's algorithm */
	int64_t era, yoe, doy, doe, days;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* Local wall-clock fields (no zone in the log) to UTC usec, using TZ. */
static void set_local_wall(struct kt_line *ret, int y, int mo, int d, int hh, int mm, int ss,
			   int64_t usec)
{
	/*
	 * mktime() reads the zone and stat()s /etc/localtime on every call;
	 * local time's offset is the same within an hour (zone changes fall
	 * on the hour), so it is looked up once per hour of log.  A memo of
	 * mktime's own global state, one per thread, with a few hours in it:
	 * logs concatenated from several machines or files switch between
	 * hours line by line.
	 */
	static _Thread_local struct {
		int y, mo, d, hh;
		long off_sec;		/* local - UTC */
		bool ok;
	} memo[16];
	int64_t civil = kt_civil_to_epoch(y, mo, d, hh, mm, ss);
	unsigned int h = (unsigned int)(((y * 13 + mo) * 32 + d) * 24 + hh) % 16;
	struct tm tm = { 0 };
	time_t t;

	if (memo[h].ok && memo[h].y == y && memo[h].mo == mo && memo[h].d == d &&
	    memo[h].hh == hh) {
		ret->wall_usec = (civil - memo[h].off_sec) * 1000000 + usec;
		ret->wall_tzoff_min = (int)(memo[h].off_sec / 60);
		ret->wall_has_tz = false;
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		t = (time_t)civil;
	else if (tm.tm_hour == hh && tm.tm_mday == d && tm.tm_mon == mo - 1) {
		/* not normalised (e.g. a time in a spring-forward gap) */
		memo[h].y = y;
		memo[h].mo = mo;
		memo[h].d = d;
		memo[h].hh = hh;
		memo[h].off_sec = (long)(civil - (int64_t)t);
		memo[h].ok = true;
	}
	ret->wall_usec = (int64_t)t * 1000000 + usec;
	ret->wall_tzoff_min = (int)(tm.tm_gmtoff / 60);
	ret->wall_has_tz = false;
}

static int month_index(const char *p, size_t len)
{
	if (len < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(p, months[i], 3) == 0)
			return i + 1;
	return -1;
}

/* Fraction ".123456" (1-9 digits) to usec; returns chars used (0: none). */
static size_t parse_frac(const char *p, size_t len, int64_t *ret_usec)
{
	uint64_t v;
	size_t n;

	*ret_usec = 0;
	if (!len || p[0] != '.')
		return 0;
	n = parse_uint(p + 1, len - 1, 9, &v);
	if (!n)
		return 0;
	for (size_t i = n; i < 6; i++)
		v *= 10;
	for (size_t i = 6; i < n; i++)
		v /= 10;
	*ret_usec = (int64_t)v;
	return n + 1;
}

/* "hh:mm:ss" */
static bool parse_hms(const char *p, size_t len, int *h, int *m, int *s)
{
	return len >= 8 && parse_fixed(p, len, 2, h) && p[2] == ':' &&
	       parse_fixed(p + 3, len - 3, 2, m) && p[5] == ':' &&
	       parse_fixed(p + 6, len - 6, 2, s) && *h < 24 && *m < 60 && *s <= 60;
}

/*
 * "[  123.456789]" -> usec.  Leading spaces inside the bracket, 1+ digits,
 * '.', 1-9 digits, ']'.  Also accepts a following "[T123]"/"[ C1]" in the
 * caller's parser, not here.
 */
bool kt_parse_mono_bracket(const char *p, size_t len, size_t *ret_used, int64_t *ret_usec)
{
	const char *q = p + 1, *end = p + len, *dot;
	uint64_t sec = 0;
	int64_t usec;
	size_t f;

	if (len < 4 || p[0] != '[')
		return false;
	while (q < end && *q == ' ')
		q++;
	dot = q;
	while (dot < end && (unsigned)(*dot - '0') < 10 && dot - q < 12)
		sec = sec * 10 + (uint64_t)(*dot++ - '0');
	if (dot == q || dot >= end || *dot != '.')
		return false;
	/* fast path: the kernel's own "%5lu.%06lu]" */
	if (end - dot > 7 && dot[7] == ']') {
		unsigned d0 = (unsigned)(dot[1] - '0'), d1 = (unsigned)(dot[2] - '0');
		unsigned d2 = (unsigned)(dot[3] - '0'), d3 = (unsigned)(dot[4] - '0');
		unsigned d4 = (unsigned)(dot[5] - '0'), d5 = (unsigned)(dot[6] - '0');

		if (!((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (d4 > 9) | (d5 > 9))) {
			usec = ((((d0 * 10 + d1) * 10 + d2) * 10 + d3) * 10 + d4) * 10 + d5;
			*ret_used = (size_t)(dot - p) + 8;
			*ret_usec = (int64_t)sec * 1000000 + usec;
			return true;
		}
	}
	f = parse_frac(dot, (size_t)(end - dot), &usec);
	if (!f || dot + f >= end || dot[f] != ']')
		return false;
	*ret_used = (size_t)(dot - p) + f + 1;
	*ret_usec = (int64_t)sec * 1000000 + usec;
	return true;
}

/* "[T123]", "[ C1]", "[   T31]" */
static bool parse_caller(const char *p, size_t len, size_t *ret_used, char *ret_kind,
			 uint32_t *ret_id)
{
	size_t i = 1, n;
	uint64_t id;

	if (len < 4 || p[0] != '[')
		return false;
	while (i < len && p[i] == ' ')
		i++;
	if (i >= len || (p[i] != 'T' && p[i] != 'C'))
		return false;
	*ret_kind = p[i++];
	n = parse_uint(p + i, len - i, 10, &id);
	if (!n || i + n >= len || p[i + n] != ']' || id > UINT32_MAX)
		return false;
	*ret_id = (uint32_t)id;
	*ret_used = i + n + 1;
	return true;
}

/* "<6>" or "<14>": returns chars used, 0 if not a priority. */
static size_t parse_pri(const char *p, size_t len, int *ret_pri)
{
	uint64_t v;
	size_t n;

	if (len < 3 || p[0] != '<')
		return 0;
	n = parse_uint(p + 1, len - 1, 4, &v);
	if (!n || n + 1 >= len || p[n + 1] != '>' || v > 191)
		return 0;
	*ret_pri = (int)v;
	return n + 2;
}

static void set_pri(struct kt_line *ret, int pri)
{
	ret->level = pri & 7;
	ret->facility = pri >> 3;
}

static void set_text(struct kt_line *ret, const char *p, size_t len)
{
	ret->text = p;
	ret->text_len = len;
}

/*
 * The kernel's own prefixes, as they appear after any envelope:
 * optional "<N>", optional "[ ts]", optional "[T123]" caller, one space.
 */
static void parse_kernel_prefix(const char *p, size_t len, struct kt_line *ret, bool allow_pri)
{
	size_t used;
	int pri;
	int64_t usec;

	if (allow_pri && (used = parse_pri(p, len, &pri))) {
		set_pri(ret, pri);
		p += used;
		len -= used;
		if (ret->format == KT_FMT_NONE)
			ret->format = KT_FMT_RAW;
	}
	if (kt_parse_mono_bracket(p, len, &used, &usec)) {
		ret->mono_usec = usec;
		p += used;
		len -= used;
		if (ret->format == KT_FMT_NONE)
			ret->format = KT_FMT_DMESG;
	}
	if (parse_caller(p, len, &used, &ret->caller_kind, &ret->caller_id)) {
		p += used;
		len -= used;
		if (ret->format == KT_FMT_NONE)
			ret->format = KT_FMT_DMESG;
	}
	if (len && p[0] == ' ' && ret->format != KT_FMT_NONE) {
		p++;
		len--;
	}
	set_text(ret, p, len);
}

/*
 * " host prog[pid]: " after a syslog time stamp.  Returns chars used or 0.
 * Sets host, prog and is_kernel.
 */
static size_t parse_host_prog(const char *p, size_t len, struct kt_line *ret, bool need_host)
{
	size_t i = 0, hs, he, ps, pe;

	if (i >= len || p[i] != ' ')
		return 0;
	i++;
	hs = i;
	while (i < len && p[i] != ' ' && p[i] != ':' && p[i] != '[')
		i++;
	he = i;
	if (he == hs || i >= len)
		return 0;
	if (p[i] != ' ') {
		if (need_host)
			return 0;
		/* no host: "Nov 22 10:00:00 kernel: " */
		i = hs;
		he = hs;
	} else {
		i++;
	}
	ps = i;
	while (i < len && p[i] != ' ' && p[i] != ':' && p[i] != '[')
		i++;
	pe = i;
	if (pe == ps || i >= len)
		return 0;
	if (p[i] == '[') {
		while (i < len && p[i] != ']' && p[i] != ' ')
			i++;
		if (i >= len || p[i] != ']')
			return 0;
		i++;
	}
	if (i >= len || p[i] != ':')
		return 0;
	i++;
	if (i < len && p[i] == ' ')
		i++;
	if (he > hs) {
		ret->host = p + hs;
		ret->host_len = he - hs;
	}
	ret->prog = p + ps;
	ret->prog_len = pe - ps;
	ret->is_kernel = (pe - ps == 6 && memcmp(p + ps, "kernel", 6) == 0);
	return i;
}

static void finish_syslog(const char *p, size_t len, struct kt_line *ret)
{
	if (ret->is_kernel) {
		parse_kernel_prefix(p, len, ret, false);
	} else {
		set_text(ret, p, len);
	}
	if (ret->facility == KT_FACILITY_UNKNOWN && ret->is_kernel)
		ret->facility = KT_FACILITY_KERN;
}

/* "Nov 22 15:49:29[.123456] host prog: text" (RFC 3164, journalctl short*) */
static bool parse_rfc3164(struct kt_prefix_state *st, const char *p, size_t len,
			  struct kt_line *ret)
{
	int mon = month_index(p, len), day, h, m, s, year;
	size_t i, used, f;
	int64_t usec = 0;

	if (mon < 0 || len < 16 || p[3] != ' ')
		return false;
	if (p[4] == ' ' && is_digit(p[5]))
		day = p[5] - '0';
	else if (!parse_fixed(p + 4, len - 4, 2, &day))
		return false;
	if (p[6] != ' ' || !parse_hms(p + 7, len - 7, &h, &m, &s) || day < 1 || day > 31)
		return false;
	i = 15;
	f = parse_frac(p + i, len - i, &usec);
	i += f;
	used = parse_host_prog(p + i, len - i, ret, false);
	if (!used)
		return false;
	i += used;
	year = st->year;
	if (mon > st->cur_month)
		year--;	/* a December line read in January */
	set_local_wall(ret, year, mon, day, h, m, s, usec);
	ret->format = KT_FMT_SYSLOG;
	finish_syslog(p + i, len - i, ret);
	return true;
}

/*
 * "2026-11-22T15:49:29.794944+00:00" / "...+0000" / "...Z".  Returns chars
 * used or 0; fills wall time.
 */
static size_t parse_iso(const char *p, size_t len, struct kt_line *ret)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 1;
	size_t i = 19, f;
	int64_t usec = 0;
	bool tz = false;

	if (len < 20 || !parse_fixed(p, len, 4, &y) || p[4] != '-' ||
	    !parse_fixed(p + 5, len - 5, 2, &mo) || p[7] != '-' ||
	    !parse_fixed(p + 8, len - 8, 2, &d) || (p[10] != 'T' && p[10] != ' ') ||
	    !parse_hms(p + 11, len - 11, &h, &mi, &s) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	f = parse_frac(p + i, len - i, &usec);
	i += f;
	if (i < len && p[i] == 'Z') {
		tz = true;
		i++;
	} else if (i < len && (p[i] == '+' || p[i] == '-')) {
		sign = p[i] == '-' ? -1 : 1;
		if (!parse_fixed(p + i + 1, len - i - 1, 2, &oh))
			return 0;
		i += 3;
		if (i < len && p[i] == ':')
			i++;
		if (!parse_fixed(p + i, len - i, 2, &om))
			return 0;
		i += 2;
		tz = true;
	}
	if (tz) {
		int off = sign * (oh * 60 + om);

		ret->wall_usec = (kt_civil_to_epoch(y, mo, d, h, mi, s) - off * 60) * 1000000 + usec;
		ret->wall_tzoff_min = off;
		ret->wall_has_tz = true;
	} else {
		set_local_wall(ret, y, mo, d, h, mi, s, usec);
	}
	return i;
}

static bool parse_syslog_iso(const char *p, size_t len, struct kt_line *ret)
{
	size_t i = parse_iso(p, len, ret), used;

	if (!i)
		return false;
	used = parse_host_prog(p + i, len - i, ret, true);
	if (!used) {
		ret->wall_usec = KT_TIME_NONE;
		return false;
	}
	ret->format = KT_FMT_SYSLOG_ISO;
	finish_syslog(p + i + used, len - i - used, ret);
	return true;
}

/* "<6>1 2026-11-22T15:49:29.794944+00:00 host app procid msgid SD msg" */
static bool parse_rfc5424(const char *p, size_t len, struct kt_line *ret)
{
	int pri;
	size_t i = parse_pri(p, len, &pri), n, fld[4][2];

	if (!i || i + 2 >= len || p[i] != '1' || p[i + 1] != ' ')
		return false;
	i += 2;
	if (p[i] == '-') {
		i++;
	} else {
		n = parse_iso(p + i, len - i, ret);
		if (!n)
			return false;
		i += n;
	}
	/* HOSTNAME APP-NAME PROCID MSGID */
	for (int k = 0; k < 4; k++) {
		if (i >= len || p[i] != ' ')
			goto fail;
		i++;
		fld[k][0] = i;
		while (i < len && p[i] != ' ')
			i++;
		fld[k][1] = i;
		if (fld[k][1] == fld[k][0])
			goto fail;
	}
	/* STRUCTURED-DATA: "-" or one or more [..] */
	if (i >= len || p[i] != ' ')
		goto fail;
	i++;
	if (i < len && p[i] == '-') {
		i++;
	} else if (i < len && p[i] == '[') {
		while (i < len && p[i] == '[') {
			bool esc = false, quoted = false;

			i++;
			while (i < len && (esc || quoted || p[i] != ']')) {
				if (!esc && p[i] == '"')
					quoted = !quoted;
				esc = !esc && p[i] == '\\';
				i++;
			}
			if (i >= len)
				goto fail;
			i++;
		}
	} else {
		goto fail;
	}
	if (i < len && p[i] == ' ')
		i++;
	/* BOM */
	if (len - i >= 3 && memcmp(p + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	set_pri(ret, pri);
	if (!(fld[0][1] - fld[0][0] == 1 && p[fld[0][0]] == '-')) {
		ret->host = p + fld[0][0];
		ret->host_len = fld[0][1] - fld[0][0];
	}
	ret->prog = p + fld[1][0];
	ret->prog_len = fld[1][1] - fld[1][0];
	ret->is_kernel = ret->prog_len == 6 && memcmp(ret->prog, "kernel", 6) == 0;
	ret->format = KT_FMT_RFC5424;
	finish_syslog(p + i, len - i, ret);
	return true;
fail:
	ret->wall_usec = KT_TIME_NONE;
	return false;
}

/* dmesg -x: "kern  :info  : [ ts] text" */
static bool parse_dmesg_x(const char *p, size_t len, struct kt_line *ret)
{
	size_t i = 0, fs, fe, ls, le;
	int fac, lvl;

	fs = i;
	while (i < len && p[i] >= 'a' && p[i] <= 'z')
		i++;
	while (i < len && (p[i] >= '0' && p[i] <= '9'))
		i++;	/* local0..7 */
	fe = i;
	while (i < len && p[i] == ' ')
		i++;
	if (fe == fs || i >= len || p[i] != ':')
		return false;
	i++;
	ls = i;
	while (i < len && p[i] >= 'a' && p[i] <= 'z')
		i++;
	le = i;
	while (i < len && p[i] == ' ')
		i++;
	if (le == ls || i >= len || p[i] != ':')
		return false;
	fac = kt_facility_from_name(p + fs, fe - fs);
	lvl = kt_level_from_name(p + ls, le - ls);
	if (fac < 0 || lvl < 0)
		return false;
	i++;
	if (i < len && p[i] == ' ')
		i++;
	ret->facility = fac;
	ret->level = lvl;
	ret->format = KT_FMT_DMESG_X;
	parse_kernel_prefix(p + i, len - i, ret, false);
	return true;
}

/* dmesg -T: "[Sun Nov 22 14:10:19 2026] text" */
static bool parse_dmesg_t(const char *p, size_t len, struct kt_line *ret)
{
	int mon, day, h, m, s, y;
	size_t i;
	bool wd = false;

	if (len < 26 || p[0] != '[' || p[4] != ' ')
		return false;
	for (int k = 0; k < 7; k++)
		if (memcmp(p + 1, wdays[k], 3) == 0)
			wd = true;
	mon = month_index(p + 5, len - 5);
	if (!wd || mon < 0 || p[8] != ' ')
		return false;
	if (p[9] == ' ' && is_digit(p[10]))
		day = p[10] - '0';
	else if (!parse_fixed(p + 9, len - 9, 2, &day))
		return false;
	if (p[11] != ' ' || !parse_hms(p + 12, len - 12, &h, &m, &s) || p[20] != ' ' ||
	    !parse_fixed(p + 21, len - 21, 4, &y) || p[25] != ']')
		return false;
	i = 26;
	set_local_wall(ret, y, mon, day, h, m, s, 0);
	ret->format = KT_FMT_DMESG_T;
	parse_kernel_prefix(p + i, len - i, ret, false);
	return true;
}

/*
 * journalctl -o short-monotonic: "[    0.257962] host kernel: text".  Only
 * taken when the program is "kernel" or carries a "[pid]", so that dmesg
 * text such as "usb 2-1: ..." is not mistaken for host and program.
 */
static bool parse_journal_mono(const char *p, size_t len, size_t used, int64_t usec,
			       struct kt_line *ret)
{
	size_t hp;
	struct kt_line tmp;

	/* cheap reject: "[ ts] host prog: " has two words before a colon */
	if (used + 1 >= len || p[used] != ' ' || !memchr(p + used, ':', len - used))
		return false;
	tmp = *ret;
	hp = parse_host_prog(p + used, len - used, &tmp, true);
	if (!hp)
		return false;
	if (!tmp.is_kernel && (tmp.prog + tmp.prog_len >= p + len || tmp.prog[tmp.prog_len] != '['))
		return false;
	*ret = tmp;
	ret->mono_usec = usec;
	ret->format = KT_FMT_JOURNAL_MONO;
	finish_syslog(p + used + hp, len - used - hp, ret);
	return true;
}

/* kmsg "\xNN" unescape in place; returns new length. */
size_t kt_kmsg_unescape(char *p, size_t len)
{
	size_t r = 0, w = 0;

	if (!memchr(p, '\\', len))
		return len;
	while (r < len) {
		if (p[r] == '\\' && r + 3 < len && p[r + 1] == 'x') {
			int hi = -1, lo = -1;
			char a = p[r + 2], b = p[r + 3];

			hi = is_digit(a) ? a - '0' : (a >= 'a' && a <= 'f') ? a - 'a' + 10 :
			     (a >= 'A' && a <= 'F') ? a - 'A' + 10 : -1;
			lo = is_digit(b) ? b - '0' : (b >= 'a' && b <= 'f') ? b - 'a' + 10 :
			     (b >= 'A' && b <= 'F') ? b - 'A' + 10 : -1;
			if (hi >= 0 && lo >= 0) {
				p[w++] = (char)(hi << 4 | lo);
				r += 4;
				continue;
			}
		}
		p[w++] = p[r++];
	}
	return w;
}

/* "pri,seq,ts,flags[,...];" header; returns chars used through ';' or 0. */
static size_t parse_kmsg_header(const char *p, size_t len, struct kt_line *ret)
{
	uint64_t pri, seq, ts;
	size_t i = 0, n;
	const char *semi = memchr(p, ';', len < 128 ? len : 128);

	if (!semi)
		return 0;
	n = parse_uint(p, len, 4, &pri);
	if (!n || pri > 191 || n >= len || p[n] != ',')
		return 0;
	i = n + 1;
	n = parse_uint(p + i, len - i, 20, &seq);
	if (!n || i + n >= len || p[i + n] != ',')
		return 0;
	i += n + 1;
	n = parse_uint(p + i, len - i, 20, &ts);
	if (!n || i + n >= len || p[i + n] != ',' || ts > (uint64_t)INT64_MAX)
		return 0;
	i += n + 1;
	if (p + i > semi)
		return 0;
	ret->continuation = memchr(p + i, 'c', (size_t)(semi - (p + i))) != NULL;
	set_pri(ret, (int)pri);
	ret->seq = seq;
	ret->has_seq = true;
	ret->mono_usec = (int64_t)ts;
	ret->format = KT_FMT_KMSG;
	return (size_t)(semi - p) + 1;
}

int kt_prefix_parse_kmsg(char *buf, size_t len, struct kt_line *ret)
{
	size_t used = parse_kmsg_header(buf, len, ret), tl;
	char *text, *nl, *end = buf + len;

	if (!used) {
		while (len && buf[len - 1] == '\n')
			len--;
		set_text(ret, buf, len);
		return -EINVAL;
	}
	text = buf + used;
	nl = memchr(text, '\n', (size_t)(end - text));
	tl = nl ? (size_t)(nl - text) : (size_t)(end - text);
	/* dictionary: "\n KEY=value" lines */
	while (nl) {
		char *k = nl + 1, *eq, *vend;

		nl = memchr(k, '\n', (size_t)(end - k));
		vend = nl ? nl : end;
		if (k < vend && *k == ' ') {
			k++;
			eq = memchr(k, '=', (size_t)(vend - k));
			if (eq) {
				size_t vl = kt_kmsg_unescape(eq + 1, (size_t)(vend - eq - 1));

				if (eq - k == 9 && memcmp(k, "SUBSYSTEM", 9) == 0) {
					ret->subsystem = eq + 1;
					ret->subsystem_len = vl;
				} else if (eq - k == 6 && memcmp(k, "DEVICE", 6) == 0) {
					ret->device = eq + 1;
					ret->device_len = vl;
				}
			}
		}
	}
	tl = kt_kmsg_unescape(text, tl);
	set_text(ret, text, tl);
	return 0;
}

size_t kt_strip_ansi(char *buf, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		unsigned char c = (unsigned char)buf[r];

		if (c != 0x1b || r + 1 >= len) {
			buf[w++] = buf[r++];
			continue;
		}
		c = (unsigned char)buf[r + 1];
		if (c == '[') {
			/* CSI: params 0x30-0x3f, intermediates 0x20-0x2f, final 0x40-0x7e */
			size_t k = r + 2;

			while (k < len && (unsigned char)buf[k] >= 0x20 && (unsigned char)buf[k] <= 0x3f)
				k++;
			if (k < len && (unsigned char)buf[k] >= 0x40 && (unsigned char)buf[k] <= 0x7e) {
				r = k + 1;
				continue;
			}
		} else if (c == ']') {
			/* OSC: up to BEL or ESC \ */
			size_t k = r + 2;

			while (k < len && buf[k] != '\a' && !(buf[k] == 0x1b && k + 1 < len &&
							      buf[k + 1] == '\\'))
				k++;
			if (k < len) {
				r = k + (buf[k] == '\a' ? 1 : 2);
				continue;
			}
		} else if (c >= 0x40 && c <= 0x5f) {
			r += 2;	/* two-byte sequence: ESC c, ESC M, ... */
			continue;
		} else if (c >= 0x60 && c <= 0x7e) {
			r += 2;
			continue;
		}
		buf[w++] = buf[r++];	/* lone ESC: kept, escaped on output */
	}
	return w;
}

enum kt_parse_result kt_prefix_parse(struct kt_prefix_state *st, char *buf, size_t len,
				     struct kt_line *ret)
{
	if (memchr(buf, 0x1b, len))
		len = kt_strip_ansi(buf, len);
	return kt_prefix_parse_stripped(st, buf, len, ret);
}

enum kt_parse_result kt_prefix_parse_stripped(struct kt_prefix_state *st, char *buf, size_t len,
					      struct kt_line *ret)
{
	const char *p;
	size_t i = 0;
	bool ok;
	enum kt_parse_result r;

	while (i < len && is_space(buf[i]))
		i++;
	if (i == len)
		return KT_PARSE_SKIP;

	/* util-linux dmesg --json (pretty-printed, several lines a record) */
	if (st->json_array || buf[i] == '{' || buf[i] == '"' ||
	    ((buf[i] == ']' || buf[i] == '}') && len - i <= 2)) {
		r = kt_prefix_parse_dmesg_json(st, buf + i, len - i, ret, &ok);
		if (ok)
			return r;
		if (buf[i] == '{') {
			r = kt_prefix_parse_json_line(st, buf + i, len - i, ret, &ok);
			if (ok)
				return r;
		}
	}

	p = buf;
	switch (p[0]) {
	case '<':
		if (parse_rfc5424(p, len, ret))
			return KT_PARSE_LINE;
		parse_kernel_prefix(p, len, ret, true);
		return KT_PARSE_LINE;
	case '[': {
		size_t used;
		int64_t usec;

		if (len > 1 && p[1] >= 'A' && p[1] <= 'Z' && parse_dmesg_t(p, len, ret))
			return KT_PARSE_LINE;
		if (kt_parse_mono_bracket(p, len, &used, &usec)) {
			if (parse_journal_mono(p, len, used, usec, ret))
				return KT_PARSE_LINE;
			ret->mono_usec = usec;
			ret->format = KT_FMT_DMESG;
			parse_kernel_prefix(p + used, len - used, ret, false);
			return KT_PARSE_LINE;
		}
		parse_kernel_prefix(p, len, ret, false);
		return KT_PARSE_LINE;
	}
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9': {
		size_t used = parse_kmsg_header(p, len, ret);

		if (used) {
			size_t tl = kt_kmsg_unescape(buf + used, len - used);

			set_text(ret, buf + used, tl);
			return KT_PARSE_LINE;
		}
		if (parse_syslog_iso(p, len, ret))
			return KT_PARSE_LINE;
		break;
	}
	default:
		if (p[0] >= 'A' && p[0] <= 'Z' && parse_rfc3164(st, p, len, ret))
			return KT_PARSE_LINE;
		if (p[0] >= 'a' && p[0] <= 'z' && parse_dmesg_x(p, len, ret))
			return KT_PARSE_LINE;
		break;
	}
	set_text(ret, buf, len);
	return KT_PARSE_LINE;
}
