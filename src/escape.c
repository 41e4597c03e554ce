// SPDX-License-Identifier: GPL-2.0-or-later
/* escape.c - terminal- and JSON-safe rendering of untrusted bytes. */
#include <stdint.h>
#include <string.h>

#include "kt-escape.h"

static const char hexdig[] = "0123456789abcdef";

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bytes of w that are < n (n <= 128), as high bits (exact for ASCII bytes). */
static inline uint64_t has_less(uint64_t w, unsigned int n)
{
	return (w - ONES * n) & ~w & HIGHS;
}

static inline uint64_t has_byte(uint64_t w, unsigned int b)
{
	return has_less(w ^ (ONES * b), 1);
}

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* Skip a run of bytes that need no escaping in JSON: ASCII >= 0x20, not '"' or '\\'. */
static size_t json_safe_run(const unsigned char *s, size_t i, size_t len)
{
	while (i + 8 <= len) {
		uint64_t w = load8(s + i);

		if ((w & HIGHS) | has_less(w, 0x20) | has_byte(w, '"') | has_byte(w, '\\'))
			break;
		i += 8;
	}
	return i;
}

/* Printable ASCII run for a terminal: 0x20..0x7e. */
static size_t term_safe_run(const unsigned char *s, size_t i, size_t len)
{
	while (i + 8 <= len) {
		uint64_t w = load8(s + i);

		if ((w & HIGHS) | has_less(w, 0x20) | has_byte(w, 0x7f))
			break;
		i += 8;
	}
	return i;
}

size_t kt_utf8_seqlen(const unsigned char *s, size_t avail, unsigned int *ret_cp)
{
	unsigned int c = s[0], cp;
	size_t n;

	if (c < 0x80) {
		*ret_cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return n;
}

static bool is_unsafe_cp(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static void add_hex(struct kt_strbuf *sb, const char *pre, size_t prelen, unsigned char c)
{
	kt_strbuf_add(sb, pre, prelen);
	kt_strbuf_addch(sb, hexdig[c >> 4]);
	kt_strbuf_addch(sb, hexdig[c & 15]);
}

void kt_escape_term(struct kt_strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	kt_strbuf_grow(sb, len);
	while (i < len) {
		unsigned char c;
		unsigned int cp;
		size_t n;

		i = term_safe_run(s, i, len);
		if (i >= len)
			break;
		c = s[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			n = kt_utf8_seqlen(s + i, len - i, &cp);
			if (n && !is_unsafe_cp(cp)) {
				i += n;
				continue;
			}
		} else {
			n = 1;
		}
		if (!n)
			n = 1;
		kt_strbuf_add(sb, s + run, i - run);
		for (size_t k = 0; k < n; k++)
			add_hex(sb, "\\x", 2, s[i + k]);
		i += n;
		run = i;
	}
	kt_strbuf_add(sb, s + run, i - run);
}

void kt_escape_json(struct kt_strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	kt_strbuf_grow(sb, len + 2);
	while (i < len) {
		unsigned char c;
		unsigned int cp;
		size_t n;

		i = json_safe_run(s, i, len);
		if (i >= len)
			break;
		c = s[i];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			n = kt_utf8_seqlen(s + i, len - i, &cp);
			if (n) {
				i += n;
				continue;
			}
		}
		kt_strbuf_add(sb, s + run, i - run);
		switch (c) {
		case '"': kt_strbuf_add(sb, "\\\"", 2); break;
		case '\\': kt_strbuf_add(sb, "\\\\", 2); break;
		case '\n': kt_strbuf_add(sb, "\\n", 2); break;
		case '\t': kt_strbuf_add(sb, "\\t", 2); break;
		case '\r': kt_strbuf_add(sb, "\\r", 2); break;
		default:
			if (c < 0x20)
				add_hex(sb, "\\u00", 4, c);
			else	/* invalid UTF-8: keep the byte visible */
				add_hex(sb, "\\\\x", 3, c);
			break;
		}
		i++;
		run = i;
	}
	kt_strbuf_add(sb, s + run, i - run);
}
