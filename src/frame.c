// SPDX-License-Identifier: GPL-2.0-or-later
/* frame.c - parse one stack-frame line into a struct kt_frame_view. */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kt-frame.h"
#include "kt-xalloc.h"

/*
 * The parser walks a (p, end) pair of pointers; each step returns where it
 * stopped, or NULL if the text is not what it wants.  Every line of a crash
 * report passes through here (half of them frames, half register dumps,
 * "Code:" lines, memory dumps ...), so the common cases are decided on the
 * first byte after the blanks and the view is only initialised once the
 * text looks like a frame.
 */

/* ' ' and '\t' (one test instead of two in the loops over blanks) */
static const bool blank[256] = { [' '] = true, ['\t'] = true };

static inline bool is_space(char c)
{
	return blank[(unsigned char)c];
}

static inline const char *skip_ws(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/* p + n if the n bytes at p are lit, else NULL */
static inline __attribute__((always_inline)) const char *eat_n(const char *p, const char *end,
							      const char *lit, size_t n)
{
	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

/* a string literal: its length is known at compile time, and so the compare
 * is inlined */
#define eat(p, end, lit) eat_n((p), (end), (lit), sizeof(lit) - 1)

/* value of a hex digit + 1, 0 for other bytes */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline bool is_hex(char ch)
{
	return hex1[(unsigned char)ch] != 0;
}

/*
 * The hex digits at p: their end, or NULL if there are none.  More than 16
 * digits saturate to UINT64_MAX instead of overflowing (the value wraps in
 * the loop, which does not count, and is replaced after it).
 */
static inline const char *hex_digits(const char *p, const char *end, uint64_t *ret)
{
	const char *digits = p;
	uint64_t v = 0;
	unsigned int d;

	while (p < end && (d = hex1[(unsigned char)*p]) != 0) {
		v = v << 4 | (d - 1);
		p++;
	}
	if (p == digits)
		return NULL;
	*ret = p - digits > 16 ? UINT64_MAX : v;
	return p;
}

/* hex digits with an optional 0x, or a required one with need_0x */
static inline const char *parse_hex(const char *p, const char *end, uint64_t *ret,
				    bool need_0x)
{
	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	else if (need_0x)
		return NULL;
	return hex_digits(p, end, ret);
}

/* [A-Za-z0-9_.$] */
static const unsigned char sym_char[256] = {
	['0' ... '9'] = 1, ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1,
	['_'] = 1, ['.'] = 1, ['$'] = 1,
};

static inline bool is_sym_char(char ch)
{
	return sym_char[(unsigned char)ch];
}

/* the number of trailing one bits of m, m != all ones */
static inline unsigned int trailing_ones(unsigned int m)
{
#if defined(__GNUC__)
	return (unsigned int)__builtin_ctz(~m);
#else
	unsigned int n = 0;

	while (m & 1) {
		m >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * The end of the symbol bytes at p.  Function names are long: eight bytes
 * a step, their classes gathered into one mask, so that one branch decides
 * eight bytes and the first other byte is found without a loop.
 */
static inline const char *scan_sym8(const char *p, const char *end)
{
	const unsigned char *u;
	unsigned int m;

	while (end - p >= 8) {
		u = (const unsigned char *)p;
		/* (0 or 1 each: the sums are ors, and fold into address arithmetic) */
		m = sym_char[u[0]] + 2u * sym_char[u[1]] + 4u * sym_char[u[2]] +
		    8u * sym_char[u[3]] + 16u * sym_char[u[4]] + 32u * sym_char[u[5]] +
		    64u * sym_char[u[6]] + 128u * sym_char[u[7]];
		if (m != 0xff)
			return p + trailing_ones(m);
		p += 8;
	}
	while (p < end && is_sym_char(*p))
		p++;
	return p;
}

#if defined(__SSE2__)
/* a bit for each of the 16 bytes at p that is a symbol byte (see sym_char;
 * signed compares: the bytes from 0x80 up are negative, and in no range) */
static inline unsigned int sym_mask16(const char *p)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i y = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i m;

	m = _mm_and_si128(_mm_cmpgt_epi8(y, _mm_set1_epi8('a' - 1)),
			  _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), y));
	m = _mm_or_si128(m, _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
					  _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), x)));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('$')));
	return (unsigned int)_mm_movemask_epi8(m);
}
#endif

/*
 * The end of the symbol bytes at p; [lo, p) may be read too.  Sixteen
 * bytes a step (most names end in the first); near the end of the line,
 * the sixteen that end there, their mask shifted down (and so ending in
 * zeros, not symbol bytes).
 */
static inline const char *scan_sym_in(const char *lo, const char *p, const char *end)
{
#if defined(__SSE2__)
	unsigned int m;

	if (end - lo >= 16) {
		for (;;) {
			if (end - p >= 16)
				m = sym_mask16(p);
			else		/* (end - 16 >= lo: p moved by 16, or lo) */
				m = sym_mask16(end - 16) >> (16 - (end - p));
			if (m != 0xffff)
				return p + trailing_ones(m);
			p += 16;
		}
	}
#endif
	return scan_sym8(p, end);
}

static inline const char *scan_sym(const char *p, const char *end)
{
	return scan_sym_in(p, p, end);
}

/* An empty view.  Field by field: a compound literal or memset of the
 * whole struct becomes "rep stos", slow to start for its 12 words. */
static inline void view_init(struct kt_frame_view *v)
{
	v->type = KT_FRAME_NONE;
	v->func = v->module = v->build_id = NULL;
	v->func_len = v->module_len = v->build_id_len = 0;
	v->offset = v->size = v->address = 0;
	v->has_offset = v->has_size = v->has_address = false;
	v->reliable = true;
	v->context_change = false;
	v->context = KT_CTX_TASK;
}

#if defined(__SSE2__)
/* a bit for each of the 16 bytes at p that is a hex digit (unsigned
 * ranges: c - '0' <= 9, (c | 0x20) - 'a' <= 5) */
static inline unsigned int hex_mask16(const char *p)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	const __m128i a = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));

	return (unsigned int)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d),
			     _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(5)), a)));
}

/* the top n bytes of a 32-bit word */
static const uint32_t top_bytes[5] = { 0, 0xff000000, 0xffff0000, 0xffffff00, 0xffffffff };

/*
 * The values of two hex numbers of up to four digits, one in each half of
 * x, in the top bytes of the half (the last digit in the top byte), the
 * other bytes cleared (leading zero digits).  Each byte becomes its nibble
 * ('a' and 'A' have 0x40 set, digits not), byte pairs are joined
 * (x + (x << 12) puts each byte's nibble above the next one's, in the
 * odd bytes), then pairs (p + (p << 24) puts each pair above the next
 * one): the low half's value is bits 16 to 31, the high half's bits 48
 * to 63.
 */
static inline uint64_t hex_values4(uint64_t x)
{
	x = (x & 0x0f0f0f0f0f0f0f0full) + (x >> 6 & 0x0101010101010101ull) * 9;
	x = (x * 0x1001) >> 8 & 0x00ff00ff00ff00ffull;
	return x * 0x01000001;
}

/*
 * "+0xoff/0xsize" (or "+0xoff") at p, at the '+', in its common shape: one
 * to four digits each.  The hex digits of the sixteen bytes after the '+'
 * are found at once, and so the number of digits (which varies from line
 * to line) takes no branch per digit; near the end of the line, the
 * sixteen bytes that end there are read, their mask shifted down ([lo, p)
 * may be read).  Returns the end, or NULL to leave the text to the
 * general path (other shapes, and text that is no offset).
 */
static inline const char *offsets4(const char *lo, const char *p, const char *end,
				   struct kt_frame_view *v)
{
	const char *d = p + 1;
	unsigned int m, n, n2;
	uint16_t h;
	uint32_t x, y;
	uint64_t w;

	if (end - d >= 16)
		m = hex_mask16(d);
	else if (end - d >= 3 && end - lo >= 16)
		m = hex_mask16(end - 16) >> (16 - (end - d));	/* zeros from end */
	else
		return NULL;
	memcpy(&h, d, 2);
	if ((h | 0x2000) != ('x' << 8 | '0'))	/* "0x" or "0X" (little endian) */
		return NULL;
	/* (a run that reaches past the sixteen bytes is longer than four) */
	n = trailing_ones(m >> 2);
	if (n - 1 > 3)
		return NULL;
	d += 2 + n;
	memcpy(&x, d - 4, 4);		/* the digits at the top (from p at the lowest) */
	x &= top_bytes[n];
	v->has_offset = true;
	if (end - d < 4) {		/* no room for "/0x" and a digit */
		v->offset = hex_values4(x) >> 16 & 0xffff;
		return d == end || *d != '/' ? d : NULL;
	}
	memcpy(&y, d, 4);
	if ((y & 0xdfffff) != ('/' | '0' << 8 | 'X' << 16)) {
		v->offset = hex_values4(x) >> 16 & 0xffff;
		return (char)y != '/' ? d : NULL;
	}
	n2 = trailing_ones(m >> (d + 3 - (p + 1)));
	if (n2 - 1 > 3)
		return NULL;
	d += 3 + n2;
	memcpy(&y, d - 4, 4);
	w = hex_values4(x | (uint64_t)(y & top_bytes[n2]) << 32);
	v->offset = w >> 16 & 0xffff;
	v->size = w >> 48;
	v->has_size = true;
	return d;
}
#endif

/* "+0xoff/0xsize" or "+0xoff" at p, at the '+': the end, or NULL */
static inline __attribute__((always_inline)) const char *
parse_offsets(const char *lo, const char *p, const char *end, struct kt_frame_view *v)
{
#if defined(__SSE2__)
	const char *q = offsets4(lo, p, end, v);

	if (q)
		return q;
#else
	(void)lo;
#endif
	p = parse_hex(p + 1, end, &v->offset, true);
	if (!p)
		return NULL;
	v->has_offset = true;
	if (p < end && *p == '/') {
		p = parse_hex(p + 1, end, &v->size, true);
		if (!p)
			return NULL;
		v->has_size = true;
	}
	return p;
}

/*
 * " [module]" or " [module buildid]" at p: its end, or p if there is none
 * ("[<" is the next frame's address).
 */
static inline __attribute__((always_inline)) const char *
parse_module(const char *p, const char *end, struct kt_frame_view *v)
{
	const char *t, *m, *e, *b = NULL;

	t = skip_ws(p, end);
	if (t == end || *t != '[' || (end - t > 1 && t[1] == '<'))
		return p;
	m = ++t;
	while (t < end && *t != ']' && *t != ' ')
		t++;
	e = t;
	if (t < end && *t == ' ') {
		b = ++t;
		while (t < end && *t != ']')
			t++;
	}
	if (t < end && e > m) {		/* at the ']' */
		v->module = m;
		v->module_len = (size_t)(e - m);
		if (b) {
			v->build_id = b;
			v->build_id_len = (size_t)(t - b);
		}
		p = t + 1;
	}
	return p;
}

/*
 * The rest of a symbol whose name is [start, p): "+0xoff/0xsize [module
 * buildid]".  With allow_bare, a plain "func" without offset is accepted
 * (arm "(func)"); without it, a name of the form 0x<hex> is a bare address
 * (v->func NULL).  Returns the end of what was used, NULL if nothing fits;
 * v may then be half filled.
 */
static inline __attribute__((always_inline)) const char *
sym_tail(const char *start, const char *p, const char *end, struct kt_frame_view *v,
	 bool allow_bare)
{
	v->func = start;
	v->func_len = (size_t)(p - start);
	if (p < end && *p == '+') {
		p = parse_offsets(start, p, end, v);
		if (!p)
			return NULL;
	} else if (!allow_bare) {
		/* a bare hex address "0xffffffff8100" */
		if (v->func_len > 2 && start[0] == '0' && start[1] == 'x' &&
		    parse_hex(start, end, &v->address, true) == p) {
			v->has_address = true;
			v->func = NULL;
			v->func_len = 0;
			return p;
		}
		return NULL;
	}
	return parse_module(p, end, v);
}

/* sym_tail(), not inlined: for the rarer forms */
static const char *parse_sym_tail(const char *start, const char *p, const char *end,
				  struct kt_frame_view *v, bool allow_bare)
{
	return sym_tail(start, p, end, v, allow_bare);
}

/* func+0xoff/0xsize [module buildid] at p (see sym_tail()) */
static inline const char *parse_sym(const char *p, const char *end, struct kt_frame_view *v,
				    bool allow_bare)
{
	const char *q = scan_sym(p, end);

	return q == p ? NULL : parse_sym_tail(p, q, end, v, allow_bare);
}

/* "[<ffffffff81000000>]" */
static inline const char *parse_bracket_addr(const char *p, const char *end, uint64_t *ret)
{
	if (end - p < 2 || p[0] != '[' || p[1] != '<')
		return NULL;
	p = parse_hex(p + 2, end, ret, false);
	if (!p || end - p < 2 || p[0] != '>' || p[1] != ']')
		return NULL;
	return p + 2;
}

#define M(name, ctx) { name, sizeof(name) - 1, ctx }
static const struct {
	const char *name;
	size_t len;
	enum kt_frame_context ctx;
} markers[] = {
	M("<IRQ>", KT_CTX_IRQ),		M("</IRQ>", KT_CTX_TASK),
	M("<EOI>", KT_CTX_TASK),	M("<TASK>", KT_CTX_TASK),
	M("</TASK>", KT_CTX_TASK),	M("<NMI>", KT_CTX_NMI),
	M("</NMI>", KT_CTX_TASK),	M("<<EOE>>", KT_CTX_TASK),
	M("<EOE>", KT_CTX_TASK),	M("<SOFTIRQ>", KT_CTX_SOFTIRQ),
	M("</SOFTIRQ>", KT_CTX_IRQ),	M("<#DF>", KT_CTX_EXCEPTION),
	M("</#DF>", KT_CTX_TASK),	M("<#MC>", KT_CTX_EXCEPTION),
	M("</#MC>", KT_CTX_TASK),	M("<#DB>", KT_CTX_EXCEPTION),
	M("</#DB>", KT_CTX_TASK),	M("<DB>", KT_CTX_EXCEPTION),
	M("<#VC>", KT_CTX_EXCEPTION),	M("</#VC>", KT_CTX_TASK),
	M("<#BP>", KT_CTX_EXCEPTION),	M("</#BP>", KT_CTX_TASK),
};
#undef M

/*
 * Eat markers (and the blanks after each) at p, which is at a '<'; returns
 * where they end, NULL if there is none.  *ret is the context after the last.
 */
static const char *eat_markers(const char *p, const char *end, enum kt_frame_context *ret)
{
	const char *q;
	bool any = false;
	size_t i;

	while (p < end && *p == '<') {
		q = NULL;
		for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
			if ((q = eat_n(p, end, markers[i].name, markers[i].len)))
				break;
		if (!q)
			break;
		*ret = markers[i].ctx;
		any = true;
		p = skip_ws(q, end);
	}
	return any ? p : NULL;
}

/* kt_frame_marker() once it has seen a '<' at p */
static __attribute__((noinline)) bool marker_line(const char *p, const char *end,
						  enum kt_frame_context *ret_ctx)
{
	enum kt_frame_context ctx = KT_CTX_TASK;

	p = eat_markers(p, end, &ctx);
	if (p != end)		/* none, or other text after them */
		return false;
	*ret_ctx = ctx;
	return true;
}

bool kt_frame_marker(const char *s, size_t len, enum kt_frame_context *ret_ctx)
{
	const char *end = s + len, *p = skip_ws(s, end);

	/* most lines: not a '<' after the blanks (and no stack frame for them) */
	if (p == end || *p != '<')
		return false;
	return marker_line(p, end, ret_ctx);
}

/*
 * Trailing annotations: "(unreliable)", arm64 "(T)"/"(P)", s390 ")".  (The
 * caller sets v->type once it knows the line is a frame: the view is the
 * caller's own, and must say KT_FRAME_NONE if it is not.)
 */
static inline const char *finish(const char *p, const char *end, struct kt_frame_view *v)
{
	const char *q;

	p = skip_ws(p, end);
	if (p < end && *p == '(' && (q = eat(p, end, "(unreliable)"))) {
		v->reliable = false;
		p = q;
	}
	return p;
}

/* the symbol of an IP line at p, then the end of the line */
static enum kt_frame_type ip_sym(const char *p, const char *end, struct kt_frame_view *v,
				 enum kt_frame_type type)
{
	p = parse_sym(p, end, v, false);
	if (!p || !v->func)
		return KT_FRAME_NONE;
	finish(p, end, v);
	v->type = type;
	return type;
}

/*
 * The instruction pointer lines, told apart by their first byte, at p.
 * KT_FRAME_NONE if p is not one (v may then be half filled).
 */
static enum kt_frame_type parse_ip_line(const char *p, const char *end, struct kt_frame_view *v)
{
	enum kt_frame_type type = KT_FRAME_IP;
	const char *q;
	uint64_t dummy;

	switch (*p) {
	case 'R':	/* RIP: 0010:func+0x1a/0x30 */
		q = eat(p, end, "RIP: ");
		goto x86;
	case 'E':	/* EIP: 0060:[<c10>] func+.., EIP: func+.. */
		q = eat(p, end, "EIP: ");
		goto x86;
	case 'I':
		q = eat(p, end, "IP: ");
x86:
		if (!q)
			return KT_FRAME_NONE;
		view_init(v);
		p = skip_ws(q, end);
		if (end - p > 5 && p[4] == ':' && is_hex(p[0]))
			p += 5;
		if ((q = parse_bracket_addr(p, end, &v->address))) {
			v->has_address = true;
			p = q;
		}
		p = skip_ws(p, end);
		/* "[<a>]  [<a>] func" */
		if ((q = parse_bracket_addr(p, end, &v->address)))
			p = skip_ws(q, end);
		return ip_sym(p, end, v, KT_FRAME_IP);
	case 'l':	/* arm64: "pc : func+0x1c/0x30", "lr : func+.." */
		type = KT_FRAME_LR;
		/* fall through */
	case 'p':
		q = type == KT_FRAME_LR ? eat(p, end, "lr : ") : eat(p, end, "pc : ");
		if (!q)
			return KT_FRAME_NONE;
		view_init(v);
		if ((p = parse_bracket_addr(q, end, &v->address)))
			v->has_address = true;
		else
			p = q;
		return ip_sym(skip_ws(p, end), end, v, type);
	case 'L':	/* arm "LR is at func+..", ppc "LR [c0000000] func+.." */
		type = KT_FRAME_LR;
		if ((q = eat(p, end, "LR [")))
			goto ppc;
		q = eat(p, end, "LR is at ");
		goto arm;
	case 'P':	/* arm: "PC is at func+0x.." */
		q = eat(p, end, "PC is at ");
arm:
		if (!q)
			return KT_FRAME_NONE;
		view_init(v);
		return ip_sym(q, end, v, type);
	case 'N':	/* ppc: "NIP [c000000000012345] func+0x../0x.." */
		q = eat(p, end, "NIP [");
		if (!q)
			return KT_FRAME_NONE;
ppc:
		view_init(v);
		p = parse_hex(q, end, &v->address, false);
		if (!p || p == end || *p != ']')
			return KT_FRAME_NONE;
		v->has_address = true;
		return ip_sym(skip_ws(p + 1, end), end, v, type);
	case 'K':	/* s390: "Krnl PSW : 0704f00180000000 000003ff8086d03a (func+0x3a/0x1000 [mod])" */
		q = eat(p, end, "Krnl PSW : ");
		if (!q || !(p = parse_hex(q, end, &dummy, false)))
			return KT_FRAME_NONE;
		view_init(v);
		p = parse_hex(skip_ws(p, end), end, &v->address, false);
		if (!p)
			return KT_FRAME_NONE;
		v->has_address = true;
		p = skip_ws(p, end);
		if (p == end || *p != '(')
			return KT_FRAME_NONE;
		return ip_sym(p + 1, end, v, KT_FRAME_IP);
	}
	return KT_FRAME_NONE;
}

/* ppc: "--- interrupt: 700 at func+0x2c/0x70", where the exception hit; p
 * is after "--- interrupt: " */
static enum kt_frame_type parse_interrupt(const char *p, const char *end,
					  struct kt_frame_view *v)
{
	while (p < end && is_hex(*p))
		p++;
	if (!(p = eat(p, end, " at ")))
		return KT_FRAME_NONE;
	view_init(v);
	p = parse_sym(p, end, v, false);
	if (!p || !v->func || !v->has_offset)
		return KT_FRAME_NONE;
	finish(p, end, v);
	v->type = KT_FRAME_CALL;
	return KT_FRAME_CALL;
}

/*
 * The end of a call frame's line, at p after its symbol: a trailing s390
 * ")", arm64 "(T)", "(unreliable)" and a "file.c:123" location are fine;
 * other text is not.
 */
static inline __attribute__((always_inline)) enum kt_frame_type
call_end(const char *p, const char *end, struct kt_frame_view *v)
{
	const char *q;

	p = finish(p, end, v);
	if (p < end && *p != '(' && *p != ')' && *p != '[') {
		for (q = p; q < end && *q != ' ' && *q != ':'; q++)
			;
		if (q + 1 >= end || *q != ':' || q[1] < '0' || q[1] > '9')
			return KT_FRAME_NONE;
	}
	v->type = KT_FRAME_CALL;
	return KT_FRAME_CALL;
}

/* A call frame whose symbol is [start, p) (see sym_tail()), then the end
 * of the line (see call_end()). */
static inline __attribute__((always_inline)) enum kt_frame_type
call_frame(const char *start, const char *p, const char *end, struct kt_frame_view *v)
{
	p = sym_tail(start, p, end, v, false);
	if (!p)
		return KT_FRAME_NONE;
	/* (the name is followed by an offset or is a bare address) */
	if (v->func && v->func_len == 1 && v->func[0] == '.')
		return KT_FRAME_NONE;
	return call_end(p, end, v);
}

/* call_frame() of the rarer forms (a bare address, a '?' after a bracket) */
static enum kt_frame_type call_sym(const char *start, const char *p, const char *end,
				   struct kt_frame_view *v)
{
	return call_frame(start, p, end, v);
}

/*
 * Most frames: "func+0x..", the name [start, p) and p at the '+', in one
 * function (no calls, one prologue).
 */
static __attribute__((noinline)) enum kt_frame_type
plus_frame(const char *start, const char *p, const char *end, struct kt_frame_view *v,
	   bool reliable)
{
	view_init(v);
	v->reliable = reliable;
	v->func = start;
	v->func_len = (size_t)(p - start);
	p = parse_offsets(start, p, end, v);
	if (!p)
		return KT_FRAME_NONE;
	/* (a name of one '.' is no frame) */
	if (v->func_len == 1 && *start == '.')
		return KT_FRAME_NONE;
	return call_end(parse_module(p, end, v), end, v);
}

/*
 * The frames that start with a marker, a bracket or a '?', at p:
 * "<IRQ> [<ffff>] func+..", s390 "([<0000>] func+..)", ppc
 * "[c000000010f930b0] [c000000008068df8] func+..", "[<ffff>] ? func+..",
 * arm "[<c0123456>] (func+0x1/0x2) from [<..>] (caller+..)", "? func+..".
 */
static enum kt_frame_type parse_prefixed(const char *s, const char *p, const char *end,
					 struct kt_frame_view *v, size_t *ret_next)
{
	const char *q;
	uint64_t addr2;

	view_init(v);
	if (*p == '<') {
		if ((q = eat_markers(p, end, &v->context))) {
			v->context_change = true;
			p = q;
		}
		if (p == end)
			return KT_FRAME_NONE;
	}
	/* s390 "([<0000>] func+..)" first frame */
	if (*p == '(' && end - p > 2 && p[1] == '[')
		p++;
	/* ppc "[c000000010f930b0] [c000000008068df8] func+.." */
	if (*p == '[' && end - p > 1 && p[1] != '<') {
		q = parse_hex(p + 1, end, &addr2, false);
		if (!q || !(q = eat(q, end, "] [")) ||
		    !(q = parse_hex(q, end, &v->address, false)) || q == end || *q != ']')
			return KT_FRAME_NONE;
		v->has_address = true;
		p = skip_ws(q + 1, end);
	}
	if ((q = parse_bracket_addr(p, end, &v->address))) {
		v->has_address = true;
		p = skip_ws(q, end);
		/* arm: "[<c0123456>] (func+0x1/0x2) from [<..>] (caller+..)" */
		if (p < end && *p == '(') {
			p = parse_sym(p + 1, end, v, true);
			if (!p || p == end || *p != ')')
				return KT_FRAME_NONE;
			p = skip_ws(p + 1, end);
			if (ret_next && (q = eat(p, end, "from ")))
				*ret_next = (size_t)(q - s);
			v->type = KT_FRAME_CALL;
			return KT_FRAME_CALL;
		}
		/* 32-bit x86 "[<c1>] ? func" and old "[<ffff>] func" */
	}
	if (p < end && *p == '?') {
		v->reliable = false;
		p = skip_ws(p + 1, end);
	}
	q = scan_sym(p, end);
	if (q == p)
		return KT_FRAME_NONE;
	return call_sym(p, q, end, v);
}

/*
 * The lines other_line() may take for a frame, by their first byte: 1 for
 * the forms told apart by it and the bare "0x.." address; for the letters
 * of the IP lines, their first word: its second byte, length and the byte
 * after it ("RIP:", "pc ", "Krnl " ...), so that the lines that begin with
 * the same letters ("RAX:", "PCI:", "pci ", "Kernel ") stop before it.
 */
#define IP_WORD(c1, len, sep) ((uint32_t)(c1) | (len) << 8 | (uint32_t)(sep) << 16)
static const uint32_t other_first[256] = {
	['-'] = 1, ['<'] = 1, ['('] = 1, ['['] = 1, ['?'] = 1, ['0'] = 1,
	['R'] = IP_WORD('I', 3, ':'),	/* RIP: */
	['E'] = IP_WORD('I', 3, ':'),	/* EIP: */
	['I'] = IP_WORD('P', 2, ':'),	/* IP: */
	['p'] = IP_WORD('c', 2, ' '),	/* pc : */
	['l'] = IP_WORD('r', 2, ' '),	/* lr : */
	['P'] = IP_WORD('C', 2, ' '),	/* PC is at */
	['L'] = IP_WORD('R', 2, ' '),	/* LR [, LR is at */
	['N'] = IP_WORD('I', 3, ' '),	/* NIP [ */
	['K'] = IP_WORD('r', 4, ' '),	/* Krnl PSW : */
};
#undef IP_WORD

/*
 * The lines that are not "func+.." nor "? func+..", at p, after the blanks
 * (other_first[*p] set): q is scan_sym(p, end) if p is not at a '?'.
 */
static __attribute__((noinline)) enum kt_frame_type
other_line(const char *s, const char *p, const char *q, const char *end,
	   struct kt_frame_view *ret, size_t *ret_next)
{
	switch (*p) {
	case '-':
		q = eat(p, end, "--- interrupt: ");
		return q ? parse_interrupt(q, end, ret) : KT_FRAME_NONE;
	case '<': case '(': case '[': case '?':
		return parse_prefixed(s, p, end, ret, ret_next);
	case 'R': case 'E': case 'I': case 'p': case 'l': case 'P': case 'L': case 'N': case 'K':
		/* (if it is no IP line, it is nothing: p is not at a '0') */
		return parse_ip_line(p, end, ret);
	default:
		/* a name not followed by '+' is a frame only if it is a bare
		 * "0x..." address */
		if (!(q - p > 2 && p[0] == '0' && p[1] == 'x'))
			return KT_FRAME_NONE;
		view_init(ret);
		return call_sym(p, q, end, ret);
	}
}

enum kt_frame_type kt_frame_parse(const char *s, size_t len,
				  struct kt_frame_view *ret, size_t *ret_next)
{
	const char *end = s + len, *p, *r, *q;
	bool unreliable;
	uint32_t w;

	if (ret_next)
		*ret_next = len;
	ret->type = KT_FRAME_NONE;
	p = skip_ws(s, end);
	if (p == end)
		return KT_FRAME_NONE;
	/*
	 * Most frames are "func+0x.." or "? func+0x..", in no order: the "? "
	 * is stepped over without a branch (r is p when p is not at a '?',
	 * as p is not at a blank), and the name is scanned once, for this
	 * test and, if it fails, for the other forms.  Those told apart by
	 * their first byte do not come here: none begins with a name and a
	 * '+' (the IP lines have a ':' or a blank after their first word).
	 * Other text after the '?' is left to parse_prefixed().
	 */
	unreliable = *p == '?';
	r = p + unreliable;
	if (r < end)
		r += *r == ' ';
	q = scan_sym_in(s, r, end);
	if (q != r && q < end && *q == '+')
		return plus_frame(r, q, end, ret, !unreliable);
	/* most other lines: "RAX: ..", "Code: ..", "ffff8880..: fc .." */
	w = other_first[(unsigned char)*p];
	if (!w)
		return KT_FRAME_NONE;
	/* (p to q is the first word, p[1] in it if its length matches) */
	if (w > 1 && ((size_t)(q - p) != (w >> 8 & 0xff) || q == end ||
		      *q != (char)(w >> 16) || p[1] != (char)w))
		return KT_FRAME_NONE;
	return other_line(s, p, q, end, ret, ret_next);
}

static char *dup_view(const char *p, size_t n)
{
	return p ? kt_xmemdup0(p, n) : NULL;
}

void kt_frame_copy_scalars(struct kt_frame *ret, const struct kt_frame_view *v,
			   enum kt_frame_context ctx)
{
	/* field by field: a memset of the whole frame (a report has dozens)
	 * was a "rep stos" of its own */
	ret->type = v->type;
	ret->func = NULL;
	ret->module = NULL;
	ret->build_id = NULL;
	ret->offset = v->offset;
	ret->size = v->size;
	ret->has_offset = v->has_offset;
	ret->has_size = v->has_size;
	ret->address = v->address;
	ret->has_address = v->has_address;
	ret->reliable = v->reliable;
	ret->pooled = 0;
	ret->context = ctx;
	ret->stack = KT_STACK_MAIN;
	ret->section = 0;
	ret->file = NULL;
	ret->line = 0;
	ret->column = 0;
	ret->inlined = NULL;
	ret->n_inlined = 0;
	ret->sym_note = NULL;
}

void kt_frame_copy(struct kt_frame *ret, const struct kt_frame_view *v,
		   enum kt_frame_context ctx)
{
	kt_frame_copy_scalars(ret, v, ctx);
	ret->func = dup_view(v->func, v->func_len);
	ret->module = dup_view(v->module, v->module_len);
	ret->build_id = dup_view(v->build_id, v->build_id_len);
}

void kt_frame_release(struct kt_frame *f)
{
	size_t i;

	if (!f)
		return;
	free(f->func);
	free(f->module);
	free(f->build_id);
	free(f->file);
	for (i = 0; i < f->n_inlined; i++) {
		free(f->inlined[i].func);
		free(f->inlined[i].file);
	}
	free(f->inlined);
	memset(f, 0, sizeof(*f));
}

static bool has_prefix(const char *s, size_t len, const char *p, size_t *plen)
{
	size_t n = strlen(p);

	if (len < n || memcmp(s, p, n) != 0)
		return false;
	*plen = n;
	return true;
}

size_t kt_frame_canonical(const char *func, size_t len, char *buf, size_t cap)
{
	/* arch entry wrappers keep "sys_" (or "compat_sys_"); the generic
	 * SYSCALL_DEFINE helpers and old SyS_ wrappers give the bare name */
#define W(prefix, repl) { prefix, repl, sizeof(prefix) - 1, sizeof(repl) - 1 }
	static const struct {
		const char *prefix, *repl;
		size_t plen, rlen;
	} wrappers[] = {
		W("__x64_sys_", "sys_"), W("__ia32_sys_", "sys_"),
		W("__arm64_sys_", "sys_"), W("__riscv_sys_", "sys_"),
		W("__s390x_sys_", "sys_"), W("__s390_sys_", "sys_"),
		W("__x32_compat_sys_", "compat_sys_"), W("__ia32_compat_sys_", "compat_sys_"),
		W("__x64_compat_sys_", "compat_sys_"), W("__arm64_compat_sys_", "compat_sys_"),
		W("__se_compat_sys_", ""), W("__do_compat_sys_", ""),
		W("__se_sys_", ""), W("__do_sys_", ""),
		W("compat_SyS_", ""), W("SyS_", ""), W("C_SYSC_", ""), W("SYSC_", ""),
	};
#undef W
	size_t i, n, plen, out;
	const char *p;

	if (len && func[0] == '.' && len > 1)
		func++, len--;
	/* a C++ (Itanium-mangled) free function "_Z8fakeNameiii": its name */
	if (len > 3 && func[0] == '_' && func[1] == 'Z' && func[2] >= '1' && func[2] <= '9') {
		for (p = func + 2, n = 0; p < func + len && *p >= '0' && *p <= '9' && n < 4096; p++)
			n = n * 10 + (size_t)(*p - '0');
		if (n <= (size_t)(func + len - p)) {
			func = p;
			len = n;
		}
	}
	/* every wrapper begins with one of these: most names skip the list */
	for (i = 0; len && strchr("_cCS", func[0]) &&
		    i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
		plen = wrappers[i].plen;
		if (len > plen && !memcmp(func, wrappers[i].prefix, plen)) {
			n = wrappers[i].rlen;
			if (n >= cap)
				n = cap - 1;
			memcpy(buf, wrappers[i].repl, n);
			out = n;
			func += plen;
			len -= plen;
			goto rest;
		}
	}
	out = 0;
rest:
	/* cut at the first ".isra", ".constprop", ".part", ".cold", ".llvm" */
	for (p = func; (p = memchr(p, '.', (size_t)(func + len - p))); p++) {
		if (has_prefix(p, (size_t)(func + len - p), ".isra", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".constprop", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".part", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".cold", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".llvm", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".lto_priv", &plen) ||
		    has_prefix(p, (size_t)(func + len - p), ".localalias", &plen)) {
			len = (size_t)(p - func);
			break;
		}
	}
	n = len;
	if (out + n >= cap)
		n = cap - 1 - out;
	memcpy(buf + out, func, n);
	out += n;
	buf[out] = '\0';
	return out;
}

const char *kt_frame_context_name(enum kt_frame_context c)
{
	static const char *const names[] = { "task", "irq", "softirq", "nmi",
					     "exception" };

	return (unsigned int)c < KT_CTX_COUNT ? names[c] : "task";
}
