// SPDX-License-Identifier: GPL-2.0-or-later
#include "kern.h"

static __attribute__((noinline)) int helper(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++) {
		s += kern_sink * i;
		kern_fault(s);
	}
	kern_fault(s + 1);
	return s;
}

__attribute__((noinline)) int kern_b_entry(int x)
{
	return helper(x) + middle(x);
}
