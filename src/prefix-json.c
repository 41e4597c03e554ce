// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prefix-json.c - the JSON log formats: journalctl -o json (one object per
 * line) and util-linux dmesg --json (a pretty-printed array, one member per
 * line).  Decoding uses jansson; decoded text lives in the state's scratch
 * buffers until the next call.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kt-prefix.h"

static bool key_is(const char *p, size_t len, const char *key, size_t *ret_vpos)
{
	size_t kl = strlen(key), i;

	if (len < kl + 3 || p[0] != '"' || memcmp(p + 1, key, kl) != 0 || p[kl + 1] != '"')
		return false;
	i = kl + 2;
	while (i < len && p[i] == ' ')
		i++;
	if (i >= len || p[i] != ':')
		return false;
	i++;
	while (i < len && p[i] == ' ')
		i++;
	*ret_vpos = i;
	return true;
}

/* value text without a trailing ',' and spaces */
static size_t value_len(const char *p, size_t len)
{
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len && p[len - 1] == ',')
		len--;
	return len;
}

static bool decode_string(const char *p, size_t len, struct kt_strbuf *out)
{
	json_error_t err;
	json_t *v = json_loadb(p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	bool ok = v && json_is_string(v);

	if (ok) {
		kt_strbuf_reset(out);
		kt_strbuf_add(out, json_string_value(v), json_string_length(v));
	}
	json_decref(v);
	return ok;
}

static bool parse_number_usec(const char *p, size_t len, int64_t *ret)
{
	int64_t sec = 0, usec = 0;
	size_t i = 0;
	int scale = 100000;

	if (!len || p[0] < '0' || p[0] > '9')
		return false;
	while (i < len && p[i] >= '0' && p[i] <= '9' && sec < INT64_MAX / 10000000)
		sec = sec * 10 + (p[i++] - '0');
	if (i < len && p[i] == '.') {
		i++;
		while (i < len && p[i] >= '0' && p[i] <= '9') {
			usec += (p[i] - '0') * scale;
			scale /= 10;
			i++;
		}
	}
	if (i != len)
		return false;
	*ret = sec * 1000000 + usec;
	return true;
}

static void record_reset(struct kt_prefix_state *st)
{
	st->json_pri = -1;
	st->json_fac = -1;
	st->json_time = KT_TIME_NONE;
	st->json_have_msg = false;
	kt_strbuf_reset(&st->json_msg);
	kt_strbuf_reset(&st->json_caller);
}

static void record_emit(struct kt_prefix_state *st, struct kt_line *ret)
{
	kt_strbuf_reset(&st->scratch);
	kt_strbuf_add(&st->scratch, st->json_msg.buf, st->json_msg.len);
	ret->text = st->scratch.buf;
	ret->text_len = st->scratch.len;
	ret->mono_usec = st->json_time;
	if (st->json_pri >= 0) {
		ret->level = st->json_pri & 7;
		ret->facility = st->json_fac >= 0 ? st->json_fac : st->json_pri >> 3;
	}
	if (st->json_caller.len > 1 &&
	    (st->json_caller.buf[0] == 'T' || st->json_caller.buf[0] == 'C')) {
		ret->caller_kind = st->json_caller.buf[0];
		ret->caller_id = (uint32_t)strtoul(st->json_caller.buf + 1, NULL, 10);
	}
	ret->format = KT_FMT_DMESG_JSON;
}

/* One member line of a record: "pri": 6, */
static bool record_member(struct kt_prefix_state *st, const char *p, size_t len)
{
	size_t v, vl;

	if (key_is(p, len, "msg", &v)) {
		vl = value_len(p + v, len - v);
		if (!decode_string(p + v, vl, &st->json_msg))
			return false;
		st->json_have_msg = true;
		return true;
	}
	if (key_is(p, len, "time", &v))
		return parse_number_usec(p + v, value_len(p + v, len - v), &st->json_time);
	if (key_is(p, len, "pri", &v)) {
		vl = value_len(p + v, len - v);
		if (vl && p[v] == '"') {	/* dmesg -x --json: "pri": "info" */
			if (!decode_string(p + v, vl, &st->scratch2))
				return false;
			st->json_pri = kt_level_from_name(st->scratch2.buf, st->scratch2.len);
			return true;
		}
		int64_t x;

		if (!parse_number_usec(p + v, vl, &x))
			return false;
		st->json_pri = (int)(x / 1000000 > 191 ? 191 : x / 1000000);
		return true;
	}
	if (key_is(p, len, "fac", &v)) {
		if (!decode_string(p + v, value_len(p + v, len - v), &st->scratch2))
			return false;
		st->json_fac = kt_facility_from_name(st->scratch2.buf, st->scratch2.len);
		return true;
	}
	if (key_is(p, len, "caller", &v))
		return decode_string(p + v, value_len(p + v, len - v), &st->json_caller);
	return false;
}

enum kt_parse_result kt_prefix_parse_dmesg_json(struct kt_prefix_state *st, char *buf,
						size_t len, struct kt_line *ret, bool *ret_ok)
{
	size_t v;

	*ret_ok = true;
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len == 1 && buf[0] == '{') {
		/* the opening brace of the document or of a record */
		if (st->json_array) {
			record_reset(st);
			st->json_record = true;
		}
		return KT_PARSE_SKIP;
	}
	if (key_is(buf, len, "dmesg", &v) && len - v == 1 && buf[v] == '[') {
		st->json_array = true;
		st->json_record = false;
		return KT_PARSE_SKIP;
	}
	if (!st->json_array) {
		if ((len == 1 && (buf[0] == '}' || buf[0] == ']')))
			return KT_PARSE_SKIP;
		*ret_ok = false;
		return KT_PARSE_SKIP;
	}
	if (st->json_record) {
		if ((len == 1 && buf[0] == '}') || (len == 2 && buf[0] == '}' && buf[1] == ',')) {
			st->json_record = false;
			if (!st->json_have_msg)
				return KT_PARSE_SKIP;
			record_emit(st, ret);
			return KT_PARSE_LINE;
		}
		if (record_member(st, buf, len))
			return KT_PARSE_SKIP;
		*ret_ok = false;
		return KT_PARSE_SKIP;
	}
	if (len == 1 && buf[0] == ']') {
		st->json_array = false;
		return KT_PARSE_SKIP;
	}
	if (len >= 2 && buf[0] == '{') {
		/* a whole record on one line: {"pri":6,"time":1.0,"msg":"x"}, */
		json_error_t err;
		size_t l = value_len(buf, len);
		json_t *o = json_loadb(buf, l, JSON_ALLOW_NUL, &err), *m;

		if (o && json_is_object(o) && (m = json_object_get(o, "msg")) && json_is_string(m)) {
			json_t *t = json_object_get(o, "time"), *pr = json_object_get(o, "pri");

			record_reset(st);
			kt_strbuf_add(&st->json_msg, json_string_value(m), json_string_length(m));
			st->json_have_msg = true;
			if (json_is_number(t))
				st->json_time = (int64_t)(json_number_value(t) * 1e6 + 0.5);
			if (json_is_integer(pr) && json_integer_value(pr) >= 0 &&
			    json_integer_value(pr) <= 191)
				st->json_pri = (int)json_integer_value(pr);
			json_decref(o);
			record_emit(st, ret);
			return KT_PARSE_LINE;
		}
		json_decref(o);
	}
	*ret_ok = false;
	return KT_PARSE_SKIP;
}

static bool get_str(json_t *o, const char *key, const char **ret, size_t *ret_len)
{
	json_t *v = json_object_get(o, key);

	if (!v || !json_is_string(v))
		return false;
	*ret = json_string_value(v);
	*ret_len = json_string_length(v);
	return true;
}

static bool get_int(json_t *o, const char *key, int64_t *ret)
{
	const char *s;
	size_t l;
	char *end;
	long long v;
	char tmp[32];

	if (!get_str(o, key, &s, &l) || !l || l >= sizeof(tmp))
		return false;
	memcpy(tmp, s, l);
	tmp[l] = '\0';
	v = strtoll(tmp, &end, 10);
	if (*end)
		return false;
	*ret = v;
	return true;
}

/* journalctl -o json: one object per line. */
enum kt_parse_result kt_prefix_parse_json_line(struct kt_prefix_state *st, char *buf,
					       size_t len, struct kt_line *ret, bool *ret_ok)
{
	json_error_t err;
	json_t *o, *msg;
	const char *s;
	size_t l, off_text = 0, off_host = 0, off_prog = 0, off_sub = 0, off_dev = 0;
	size_t len_host = 0, len_prog = 0, len_sub = 0, len_dev = 0, len_text = 0;
	int64_t v;

	*ret_ok = false;
	o = json_loadb(buf, len, JSON_ALLOW_NUL, &err);
	if (!o || !json_is_object(o) || !(msg = json_object_get(o, "MESSAGE"))) {
		json_decref(o);
		return KT_PARSE_SKIP;
	}
	*ret_ok = true;
	kt_strbuf_reset(&st->scratch);
	if (json_is_string(msg)) {
		kt_strbuf_add(&st->scratch, json_string_value(msg), json_string_length(msg));
	} else if (json_is_array(msg)) {
		/* non-UTF-8 messages are arrays of byte values */
		size_t idx;
		json_t *b;

		json_array_foreach(msg, idx, b) {
			if (json_is_integer(b))
				kt_strbuf_addch(&st->scratch, (char)(json_integer_value(b) & 0xff));
		}
	}
	len_text = st->scratch.len;
#define COPY(key, off, ln) \
	if (get_str(o, key, &s, &l)) { \
		off = st->scratch.len; \
		kt_strbuf_add(&st->scratch, s, l); \
		ln = l; \
	}
	COPY("_HOSTNAME", off_host, len_host);
	COPY("SYSLOG_IDENTIFIER", off_prog, len_prog);
	COPY("_KERNEL_SUBSYSTEM", off_sub, len_sub);
	COPY("_KERNEL_DEVICE", off_dev, len_dev);
#undef COPY
	ret->text = st->scratch.buf + off_text;
	ret->text_len = len_text;
	if (len_host) {
		ret->host = st->scratch.buf + off_host;
		ret->host_len = len_host;
	}
	if (len_sub) {
		ret->subsystem = st->scratch.buf + off_sub;
		ret->subsystem_len = len_sub;
	}
	if (len_dev) {
		ret->device = st->scratch.buf + off_dev;
		ret->device_len = len_dev;
	}
	if (get_str(o, "_TRANSPORT", &s, &l))
		ret->is_kernel = (l == 6 && memcmp(s, "kernel", 6) == 0);
	if (len_prog) {
		ret->prog = st->scratch.buf + off_prog;
		ret->prog_len = len_prog;
	} else if (ret->is_kernel) {
		ret->prog = "kernel";
		ret->prog_len = 6;
	}
	if (get_int(o, "PRIORITY", &v) && v >= 0 && v <= 7)
		ret->level = (int)v;
	if (get_int(o, "SYSLOG_FACILITY", &v) && v >= 0 && v <= 23)
		ret->facility = (int)v;
	if ((get_int(o, "_SOURCE_MONOTONIC_TIMESTAMP", &v) ||
	     get_int(o, "__MONOTONIC_TIMESTAMP", &v)) && v >= 0)
		ret->mono_usec = v;
	if (get_int(o, "__REALTIME_TIMESTAMP", &v) && v >= 0) {
		ret->wall_usec = v;
		ret->wall_has_tz = true;
		ret->wall_tzoff_min = 0;
	}
	ret->format = KT_FMT_JOURNAL_JSON;
	json_decref(o);
	return KT_PARSE_LINE;
}
