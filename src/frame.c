// SPDX-License-Identifier: GPL-2.0-or-later
/* frame.c - parse one stack-frame line into a struct kt_frame_view. */
#include <stdlib.h>
#include <string.h>

#include "kt-frame.h"
#include "kt-xalloc.h"

struct cur {
	const char *p, *end;
};

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && is_space(*c->p))
		c->p++;
}

static inline __attribute__((always_inline)) bool eat_n(struct cur *c, const char *lit,
							    size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* a string literal: its length is known at compile time, and so the compare
 * is inlined (most lines of a report are tried against several) */
#define eat(c, lit) eat_n((c), (lit), sizeof(lit) - 1)

/* value of a hex digit + 1, 0 for other bytes */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hexval(char ch)
{
	return (int)hex1[(unsigned char)ch] - 1;
}

/* hex digits (optional 0x); saturates instead of overflowing */
static bool parse_hex(struct cur *c, uint64_t *ret, bool need_0x)
{
	const char *p = c->p;
	uint64_t v = 0;
	int n = 0, d;

	if (c->end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	else if (need_0x)
		return false;
	while (p < c->end && (d = hexval(*p)) >= 0) {
		if (n < 16)
			v = v << 4 | (uint64_t)d;
		else
			v = UINT64_MAX;
		p++;
		n++;
	}
	if (n == 0)
		return false;
	c->p = p;
	*ret = v;
	return true;
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

/*
 * func+0xoff/0xsize [module buildid]  -- at c->p.  With allow_bare, a plain
 * "func" without offset is accepted (arm "(func)").
 */
static bool parse_sym(struct cur *c, struct kt_frame_view *v, bool allow_bare)
{
	const char *start = c->p, *p = c->p;
	struct cur t;

	while (p < c->end && is_sym_char(*p))
		p++;
	if (p == start)
		return false;
	v->func = start;
	v->func_len = (size_t)(p - start);
	c->p = p;
	if (c->p < c->end && *c->p == '+') {
		t = *c;
		t.p++;
		if (!parse_hex(&t, &v->offset, true))
			return false;
		v->has_offset = true;
		if (t.p < t.end && *t.p == '/') {
			t.p++;
			if (!parse_hex(&t, &v->size, true))
				return false;
			v->has_size = true;
		}
		*c = t;
	} else if (!allow_bare) {
		/* a bare hex address "0xffffffff8100" */
		if (v->func_len > 2 && start[0] == '0' && start[1] == 'x') {
			t.p = start;
			t.end = c->end;
			if (parse_hex(&t, &v->address, true) && t.p == p) {
				v->has_address = true;
				v->func = NULL;
				v->func_len = 0;
				return true;
			}
		}
		return false;
	}
	/* " [module]" or " [module buildid]" */
	t = *c;
	skip_ws(&t);
	if (t.p < t.end && *t.p == '[' && !(t.end - t.p > 1 && t.p[1] == '<')) {
		const char *m = ++t.p, *e;

		while (t.p < t.end && *t.p != ']' && *t.p != ' ')
			t.p++;
		e = t.p;
		if (t.p < t.end && *t.p == ' ') {
			const char *b = ++t.p;

			while (t.p < t.end && *t.p != ']')
				t.p++;
			v->build_id = b;
			v->build_id_len = (size_t)(t.p - b);
		}
		if (t.p < t.end && *t.p == ']' && e > m) {
			v->module = m;
			v->module_len = (size_t)(e - m);
			c->p = t.p + 1;
		} else {
			v->build_id = NULL;
			v->build_id_len = 0;
		}
	}
	return true;
}

/* "[<ffffffff81000000>]" */
static bool parse_bracket_addr(struct cur *c, uint64_t *ret)
{
	struct cur t = *c;

	if (!eat(&t, "[<"))
		return false;
	if (!parse_hex(&t, ret, false))
		return false;
	if (!eat(&t, ">]"))
		return false;
	*c = t;
	return true;
}

static const struct {
	const char *name;
	enum kt_frame_context ctx;
} markers[] = {
	{ "<IRQ>", KT_CTX_IRQ },	{ "</IRQ>", KT_CTX_TASK },
	{ "<EOI>", KT_CTX_TASK },	{ "<TASK>", KT_CTX_TASK },
	{ "</TASK>", KT_CTX_TASK },	{ "<NMI>", KT_CTX_NMI },
	{ "</NMI>", KT_CTX_TASK },	{ "<<EOE>>", KT_CTX_TASK },
	{ "<EOE>", KT_CTX_TASK },	{ "<SOFTIRQ>", KT_CTX_SOFTIRQ },
	{ "</SOFTIRQ>", KT_CTX_IRQ },	{ "<#DF>", KT_CTX_EXCEPTION },
	{ "</#DF>", KT_CTX_TASK },	{ "<#MC>", KT_CTX_EXCEPTION },
	{ "</#MC>", KT_CTX_TASK },	{ "<#DB>", KT_CTX_EXCEPTION },
	{ "</#DB>", KT_CTX_TASK },	{ "<DB>", KT_CTX_EXCEPTION },
	{ "<#VC>", KT_CTX_EXCEPTION },	{ "</#VC>", KT_CTX_TASK },
	{ "<#BP>", KT_CTX_EXCEPTION },	{ "</#BP>", KT_CTX_TASK },
};

/* Eat markers at c->p; returns true if at least one was seen. */
static bool eat_markers(struct cur *c, enum kt_frame_context *ret)
{
	bool any = false;
	size_t i;

	for (;;) {
		skip_ws(c);
		if (c->p >= c->end || *c->p != '<')
			return any;
		for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
			if (eat_n(c, markers[i].name, strlen(markers[i].name)))
				break;
		if (i == sizeof(markers) / sizeof(markers[0]))
			return any;
		*ret = markers[i].ctx;
		any = true;
	}
}

bool kt_frame_marker(const char *s, size_t len, enum kt_frame_context *ret_ctx)
{
	struct cur c = { s, s + len };
	enum kt_frame_context ctx = KT_CTX_TASK;

	/* most lines: not a '<' after the blanks */
	skip_ws(&c);
	if (c.p == c.end || *c.p != '<' || !eat_markers(&c, &ctx))
		return false;
	skip_ws(&c);
	if (c.p != c.end)
		return false;
	*ret_ctx = ctx;
	return true;
}

static enum kt_frame_type finish(struct cur *c, struct kt_frame_view *v,
				 enum kt_frame_type type)
{
	skip_ws(c);
	/* trailing annotations: "(unreliable)", arm64 "(T)"/"(P)", s390 ")" */
	if (c->p < c->end && eat(c, "(unreliable)"))
		v->reliable = false;
	v->type = type;
	return type;
}

static enum kt_frame_type parse_ip_line(struct cur *c, struct kt_frame_view *v)
{
	uint64_t dummy;

	/* RIP: 0010:func+0x1a/0x30, EIP: 0060:[<c10>] func+.., EIP: func+.. */
	if (eat(c, "RIP: ") || eat(c, "EIP: ") || eat(c, "IP: ")) {
		skip_ws(c);
		if (c->end - c->p > 5 && c->p[4] == ':' && hexval(c->p[0]) >= 0) {
			c->p += 5;
		}
		if (parse_bracket_addr(c, &v->address))
			v->has_address = true;
		skip_ws(c);
		if (parse_bracket_addr(c, &v->address))	/* "[<a>]  [<a>] func" */
			skip_ws(c);
		if (!parse_sym(c, v, false) || !v->func)
			return KT_FRAME_NONE;
		return finish(c, v, KT_FRAME_IP);
	}
	/* arm64: "pc : func+0x1c/0x30", "lr : func+.." */
	if (eat(c, "pc : ") || eat(c, "lr : ")) {
		bool lr = c->p[-4] == 'r';

		if (parse_bracket_addr(c, &v->address))
			v->has_address = true;
		skip_ws(c);
		if (!parse_sym(c, v, false) || !v->func)
			return KT_FRAME_NONE;
		return finish(c, v, lr ? KT_FRAME_LR : KT_FRAME_IP);
	}
	/* arm: "PC is at func+0x..", "LR is at func+.." */
	if (eat(c, "PC is at ") || eat(c, "LR is at ")) {
		bool lr = c->p[-9] == 'L';

		if (!parse_sym(c, v, false) || !v->func)
			return KT_FRAME_NONE;
		return finish(c, v, lr ? KT_FRAME_LR : KT_FRAME_IP);
	}
	/* ppc: "NIP [c000000000012345] func+0x../0x..", "LR [..] func" */
	if (eat(c, "NIP [") || eat(c, "LR [")) {
		bool lr = c->p[-4] == 'L' && c->p[-3] == 'R';

		if (!parse_hex(c, &v->address, false) || !eat(c, "]"))
			return KT_FRAME_NONE;
		v->has_address = true;
		skip_ws(c);
		if (!parse_sym(c, v, false) || !v->func)
			return KT_FRAME_NONE;
		return finish(c, v, lr ? KT_FRAME_LR : KT_FRAME_IP);
	}
	/* s390: "Krnl PSW : 0704f00180000000 000003ff8086d03a (func+0x3a/0x1000 [mod])" */
	if (eat(c, "Krnl PSW : ")) {
		if (!parse_hex(c, &dummy, false))
			return KT_FRAME_NONE;
		skip_ws(c);
		if (!parse_hex(c, &v->address, false))
			return KT_FRAME_NONE;
		v->has_address = true;
		skip_ws(c);
		if (!eat(c, "(") || !parse_sym(c, v, false) || !v->func)
			return KT_FRAME_NONE;
		return finish(c, v, KT_FRAME_IP);
	}
	return KT_FRAME_NONE;
}

enum kt_frame_type kt_frame_parse(const char *s, size_t len,
				  struct kt_frame_view *ret, size_t *ret_next)
{
	struct cur c = { s, s + len };
	struct kt_frame_view v;
	enum kt_frame_type t;
	uint64_t addr2;

	memset(&v, 0, sizeof(v));
	v.reliable = true;
	if (ret_next)
		*ret_next = len;
	ret->type = KT_FRAME_NONE;
	skip_ws(&c);
	if (c.p >= c.end)
		return KT_FRAME_NONE;

	/* ppc: "--- interrupt: 700 at func+0x2c/0x70": where the exception hit */
	if (eat(&c, "--- interrupt: ")) {
		while (c.p < c.end && hexval(*c.p) >= 0)
			c.p++;
		if (!eat(&c, " at ") || !parse_sym(&c, &v, false) || !v.func || !v.has_offset)
			return KT_FRAME_NONE;
		t = finish(&c, &v, KT_FRAME_CALL);
		*ret = v;
		return t;
	}
	if ((*c.p >= 'A' && *c.p <= 'Z') || *c.p == 'p' || *c.p == 'l') {
		struct cur t2 = c;

		t = parse_ip_line(&t2, &v);
		if (t != KT_FRAME_NONE) {
			*ret = v;
			return t;
		}
		/* not an IP line: maybe a plain frame "SyS_write+0x1/0x2" */
		memset(&v, 0, sizeof(v));
		v.reliable = true;
	}
	if (*c.p == '<' && eat_markers(&c, &v.context))
		v.context_change = true;
	skip_ws(&c);
	/* s390 "([<0000>] func+..)" first frame */
	if (c.p < c.end && *c.p == '(' && c.end - c.p > 2 && c.p[1] == '[')
		c.p++;
	/* ppc "[c000000010f930b0] [c000000008068df8] func+.." */
	if (c.p < c.end && *c.p == '[' && c.end - c.p > 1 && c.p[1] != '<') {
		struct cur t2 = c;

		t2.p++;
		if (parse_hex(&t2, &addr2, false) && eat(&t2, "] [") &&
		    parse_hex(&t2, &v.address, false) && eat(&t2, "]")) {
			v.has_address = true;
			c = t2;
			skip_ws(&c);
		} else {
			return KT_FRAME_NONE;
		}
	}
	if (parse_bracket_addr(&c, &v.address)) {
		v.has_address = true;
		skip_ws(&c);
		/* arm: "[<c0123456>] (func+0x1/0x2) from [<..>] (caller+..)" */
		if (c.p < c.end && *c.p == '(') {
			c.p++;
			if (!parse_sym(&c, &v, true) || !eat(&c, ")"))
				return KT_FRAME_NONE;
			skip_ws(&c);
			if (ret_next && eat(&c, "from "))
				*ret_next = (size_t)(c.p - s);
			v.type = KT_FRAME_CALL;
			*ret = v;
			return KT_FRAME_CALL;
		}
		/* 32-bit x86 "[<c1>] ? func" and old "[<ffff>] func" */
	}
	skip_ws(&c);
	if (c.p < c.end && *c.p == '?') {
		v.reliable = false;
		c.p++;
		skip_ws(&c);
	}
	if (!parse_sym(&c, &v, false))
		return KT_FRAME_NONE;
	/* a frame needs an offset (func+0x..) or is a bare address */
	if (v.func && !v.has_offset)
		return KT_FRAME_NONE;
	if (v.func && v.func_len && v.func[0] == '.' && v.func_len == 1)
		return KT_FRAME_NONE;
	t = finish(&c, &v, KT_FRAME_CALL);
	/* trailing s390 ")", arm64 "(T)" and a "file.c:123" location are fine;
	 * other text is not */
	if (c.p < c.end && *c.p != '(' && *c.p != ')' && *c.p != '[') {
		const char *q = c.p;

		while (q < c.end && *q != ' ' && *q != ':')
			q++;
		if (q + 1 >= c.end || *q != ':' || q[1] < '0' || q[1] > '9')
			return KT_FRAME_NONE;
	}
	*ret = v;
	return t;
}

static char *dup_view(const char *p, size_t n)
{
	return p ? kt_xmemdup0(p, n) : NULL;
}

void kt_frame_copy_scalars(struct kt_frame *ret, const struct kt_frame_view *v,
			   enum kt_frame_context ctx)
{
	memset(ret, 0, sizeof(*ret));
	ret->type = v->type;
	ret->offset = v->offset;
	ret->size = v->size;
	ret->has_offset = v->has_offset;
	ret->has_size = v->has_size;
	ret->address = v->address;
	ret->has_address = v->has_address;
	ret->reliable = v->reliable;
	ret->context = ctx;
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
