/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-escape.h - make untrusted log bytes safe for a terminal or for JSON.
 *
 * Log text is attacker-influenced.  Both functions append to a caller-owned
 * strbuf and read exactly len bytes (no NUL terminator needed).
 *
 * kt_escape_term(): printable ASCII, TAB and valid UTF-8 pass through; every
 *   other byte (C0 controls, DEL, invalid UTF-8) becomes "\xNN", as does each
 *   byte of a C1 control or a Unicode bidi/format control (U+061C, U+200E/F,
 *   U+202A-U+202E, U+2066-U+2069), so nothing can move the cursor, change
 *   colours or reorder what the reader sees.
 * kt_escape_json(): the body of a JSON string (no quotes).  Valid UTF-8 passes,
 *   '"' and '\\' and control bytes are escaped per RFC 8259, and each byte of
 *   invalid UTF-8 becomes the six characters "\\xNN", so output is always valid
 *   JSON and the original bytes can still be told apart.
 */
#ifndef KT_ESCAPE_H
#define KT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "kt-strbuf.h"

void kt_escape_term(struct kt_strbuf *sb, const char *s, size_t len);
void kt_escape_json(struct kt_strbuf *sb, const char *s, size_t len);

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t kt_utf8_seqlen(const unsigned char *s, size_t avail, unsigned int *ret_cp);

#endif
