/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-symbolize.h - stack frames -> file:line:column and inline chains, from
 * the kernel's debug vmlinux and module .ko files (elfutils libdwfl).
 *
 * One struct kt_symbolizer per run holds one offline Dwfl session: the
 * vmlinux (given, or found from the kernel release a report names) and the
 * modules the frames name, each opened once, with a symbol index per file
 * and a cache per (file, address).  Nothing is opened until the first report
 * with frames arrives, so logs without frames cost nothing.
 *
 * What a frame gets (struct kt_frame, see kt-frame.h):
 *  - file, line, column: where the frame's own function is, i.e. the
 *    outermost entry of the inline chain (the source line in `func` itself);
 *  - inlined[0..n_inlined): the functions inlined at that point, innermost
 *    first, each with its own name and location.  addr2line -i prints the
 *    same chain as "inlined[0] (inlined by) inlined[1] ... (inlined by) frame";
 *  - sym_note: set (static text) when the location may be wrong: the vmlinux
 *    does not match the log, the printed symbol size differs, the offset is
 *    beyond the symbol, and the like.
 * Faulting frames (RIP/pc/NIP lines, and a trace's first frame when it is
 * that same pc) are looked up at start+offset; every other frame is a return
 * address and looked up at start+offset-1, the call instruction.
 *
 * Ownership: the symbolizer owns its Dwfl session, files and cache; free it
 * with kt_symbolizer_free().  Strings written into frames are owned by the
 * frames (kt_frame_release() frees them).  Library code never prints:
 * diagnostics go to opts.message, each distinct one once.
 */
#ifndef KT_SYMBOLIZE_H
#define KT_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-frame.h"
#include "kt-report.h"

struct kt_symbolizer;

enum kt_sym_severity {
	KT_SYM_INFO,		/* which vmlinux is used, "no debug info" ... */
	KT_SYM_WARNING,		/* mismatch: frames are marked unreliable */
	KT_SYM_ERROR,		/* a file given by the user cannot be used */
};

typedef void (*kt_sym_message_cb)(enum kt_sym_severity sev, const char *msg, void *userdata);

struct kt_symbolizer_opts {
	const char *vmlinux;	/* --vmlinux PATH, or NULL: search for one */
	const char *modules_dir; /* --modules DIR, or NULL: the release's trees */
	const char *strip_prefix; /* --strip-prefix, or NULL: automatic */
	const char *release;	/* release to use when a report names none
				 * (uname -r for live kmsg), or NULL */
	const char *root;	/* prefix for every search path ("" or NULL: /) */
	bool live;		/* the input is this machine's running kernel:
				 * /proc/kallsyms may give the KASLR offset */
	bool no_debuginfod;	/* do not ask debuginfod even if DEBUGINFOD_URLS */
	kt_sym_message_cb message; /* may be NULL */
	void *userdata;
};

/* Never fails (allocation failure aborts); opens nothing yet.  The opts
 * strings must outlive the symbolizer. */
struct kt_symbolizer *kt_symbolizer_new(const struct kt_symbolizer_opts *opts);
void kt_symbolizer_free(struct kt_symbolizer *s);	/* s may be NULL */

/*
 * Symbolize every frame of r (ip, guilty and frames) in place.  On the first
 * call with frames, finds and opens the vmlinux.  Returns the number of
 * frames that got a location (>= 0); problems are reported through
 * opts.message and per frame (sym_note), never as a failure.
 */
int kt_symbolize_report(struct kt_symbolizer *s, struct kt_report *r);

/*
 * Symbolize one frame against the session's vmlinux or module (opened on
 * demand for `release`, which may be NULL).  at_pc: look up start+offset
 * (a faulting pc) rather than start+offset-1.  kaslr: added to link-time
 * addresses for frames that print only an address (0: unknown/none).
 * Returns 1 if the frame got a location, 0 otherwise.
 */
int kt_symbolize_frame(struct kt_symbolizer *s, struct kt_frame *f, bool at_pc,
		       const char *release, uint64_t kaslr);

/* Path of the vmlinux in use, or NULL (none found yet / none wanted). */
const char *kt_symbolizer_vmlinux(const struct kt_symbolizer *s);
/* Has a vmlinux been looked for (opened or not)? */
bool kt_symbolizer_tried(const struct kt_symbolizer *s);
/* Did a file the user named (--vmlinux, --modules) turn out unusable? */
bool kt_symbolizer_failed(const struct kt_symbolizer *s);

/*
 * Strip a build-tree prefix from a DWARF path: `prefix` if given (and
 * then nothing else); otherwise comp_dir or one of its parent directories
 * (never "/") when what follows is a kernel top-level directory (arch/,
 * drivers/, fs/, include/, kernel/, ...).  Returns a pointer into path.
 */
const char *kt_symbolize_strip(const char *path, const char *comp_dir, const char *prefix);

/* Module names compare with '-' and '_' alike. */
bool kt_module_name_eq(const char *a, size_t alen, const char *b, size_t blen);

#endif
