/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kt-jit.h - whether to JIT-compile pcre2 patterns.
 *
 * Always, except under valgrind: pcre2's JIT code reads the subject with
 * SIMD loads past its end and keeps no symbols, so memcheck reports
 * "conditional jump depends on uninitialised value" in anonymous code on
 * every match.  Under valgrind the interpreter runs instead, and memcheck
 * checks it exactly.  JIT is only an optimisation: results are the same.
 * A build with -DKT_JIT_UNDER_VALGRIND JIT-compiles under valgrind too, for
 * instruction counts with callgrind that match a normal run's.
 */
#ifndef KT_JIT_H
#define KT_JIT_H

#include <stdbool.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>) && !defined(KT_JIT_UNDER_VALGRIND)
#include <valgrind/valgrind.h>
#define KT_HAVE_VALGRIND_H 1
#endif
#endif

static inline bool kt_jit_wanted(void)
{
#ifdef KT_HAVE_VALGRIND_H
	return !RUNNING_ON_VALGRIND;
#else
	return true;
#endif
}

#endif /* KT_JIT_H */
