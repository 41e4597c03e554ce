/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-frame.h - one stack-frame line of a kernel report.
 *
 * kt_frame_parse() recognises the frame forms printed by x86(-64), arm64,
 * arm, ppc64 and s390 kernels and the instruction-pointer lines (RIP:, pc :,
 * lr :, NIP [..], LR [..], PC is at, LR is at, Krnl PSW, IP:) and the ppc
 * "--- interrupt: N at func+off" line (a call frame), and fills a
 * struct kt_frame_view of BORROWED (ptr, len) views into the input, which
 * must stay valid while the view is used.  kt_frame_copy() turns a view into
 * a struct kt_frame that owns its strings; kt_frame_release() frees them.
 *
 * Context markers (<IRQ>, </IRQ>, <TASK>, <NMI>, <SOFTIRQ>, <EOI>, <#DF> ...)
 * are reported through kt_frame_marker(); old x86 kernels print a marker and
 * a frame on one line, which kt_frame_parse() accepts (ret->context_change).
 */
#ifndef KT_FRAME_H
#define KT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kt_frame_context {
	KT_CTX_TASK = 0,	/* process context (also: unknown, no marker) */
	KT_CTX_IRQ,
	KT_CTX_SOFTIRQ,
	KT_CTX_NMI,
	KT_CTX_EXCEPTION,	/* #DF, #MC, debug and other exception stacks */
	KT_CTX_COUNT
};

/* Which stack of a report a frame belongs to. */
enum kt_frame_stack {
	KT_STACK_MAIN = 0,	/* the crash's own call trace */
	KT_STACK_ALLOC,		/* KASAN/KFENCE "Allocated by task" */
	KT_STACK_FREE,		/* KASAN/KFENCE "Freed by task" */
	KT_STACK_OTHER,		/* lockdep chains, other tasks, aux stacks */
};

enum kt_frame_type {
	KT_FRAME_NONE = 0,	/* not a frame line */
	KT_FRAME_CALL,		/* a frame of a call trace */
	KT_FRAME_IP,		/* RIP:, pc :, NIP, PC is at, Krnl PSW, IP: */
	KT_FRAME_LR,		/* lr :, LR [..], LR is at */
};

struct kt_frame_view {
	enum kt_frame_type type;
	const char *func;	/* NULL when only an address is printed */
	size_t func_len;
	const char *module;	/* "[mod]" without brackets, or NULL */
	size_t module_len;
	const char *build_id;	/* "[mod 0123abcd]" build id, or NULL */
	size_t build_id_len;
	uint64_t offset, size;
	bool has_offset, has_size;
	uint64_t address;
	bool has_address;
	bool reliable;		/* false for "? func" and ppc "(unreliable)" */
	bool context_change;	/* a marker preceded the frame on this line */
	enum kt_frame_context context;	/* valid when context_change */
};

struct kt_inline_frame {
	char *func;
	char *file;
	unsigned int line, column;
};

#define KT_FRAME_POOL_FUNC	0x1
#define KT_FRAME_POOL_MODULE	0x2
#define KT_FRAME_POOL_BUILD_ID	0x4

struct kt_frame {
	enum kt_frame_type type;
	char *func;		/* owned; NULL if only an address was printed */
	char *module;		/* owned or NULL */
	char *build_id;		/* owned or NULL */
	uint64_t offset, size;
	bool has_offset, has_size;
	uint64_t address;
	bool has_address;
	bool reliable;
	/* which of func, module and build_id live in a report's pool
	 * (KT_FRAME_POOL_*) and go with it instead of being freed one by
	 * one; 0 for frames outside a report */
	unsigned char pooled;
	enum kt_frame_context context;
	enum kt_frame_stack stack;
	unsigned int section;	/* 0: before any "Call Trace:"; then 1, 2, ... */

	/* filled by a symbolizer; NULL / 0 until then (all owned) */
	char *file;
	unsigned int line, column;
	struct kt_inline_frame *inlined;	/* innermost first */
	size_t n_inlined;
	const char *sym_note;	/* static text, not owned: why the location may
				 * be wrong (see kt-symbolize.h), or NULL */
};

/*
 * Parse one message text (no log prefixes).  Returns the frame type, or
 * KT_FRAME_NONE if the text is not a frame: ret->type is then KT_FRAME_NONE
 * and ret's other members are unspecified (the view is filled as the line
 * is read, not copied in at the end).
 * For arm "(f) from (g)" lines the first (callee) frame is returned and
 * *ret_next (if not NULL) is set to the offset where the caller frame
 * text starts, else to len.
 */
enum kt_frame_type kt_frame_parse(const char *s, size_t len,
				  struct kt_frame_view *ret, size_t *ret_next);

/*
 * If the text is a context marker line (only markers, e.g. " <IRQ>",
 * "</TASK>"), return true and store the context that follows it.
 */
bool kt_frame_marker(const char *s, size_t len, enum kt_frame_context *ret_ctx);

/* Copy a view into an owned frame (ret is overwritten, not released). */
void kt_frame_copy(struct kt_frame *ret, const struct kt_frame_view *v,
		   enum kt_frame_context ctx);
/* The same without the strings (func, module, build_id left NULL), for a
 * caller that stores them elsewhere (a report's string pool). */
void kt_frame_copy_scalars(struct kt_frame *ret, const struct kt_frame_view *v,
			   enum kt_frame_context ctx);
void kt_frame_release(struct kt_frame *f);	/* frees members; f may be NULL */

/*
 * The canonical function name for titles and signatures: strips a ppc "."
 * prefix, ".isra.N", ".constprop.N", ".part.N", ".cold(.N)", ".llvm.N"
 * suffixes and rewrites syscall wrapper prefixes: arch entry wrappers
 * (__x64_sys_xxx, __arm64_sys_xxx, ...) -> "sys_xxx"; SYSCALL_DEFINE helpers
 * and old wrappers (__se_sys_xxx, __do_sys_xxx, SyS_xxx) -> "xxx".  Writes at most
 * cap-1 bytes plus NUL into buf; returns the length.
 */
size_t kt_frame_canonical(const char *func, size_t len, char *buf, size_t cap);

const char *kt_frame_context_name(enum kt_frame_context c);	/* "task" ... */

#endif
