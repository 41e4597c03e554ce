/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test "kernel" for the symbolizer tests: inline chains three deep. */
#ifndef KERN_H
#define KERN_H

extern volatile int kern_sink;
void kern_fault(int x);
int kern_a_entry(int x);
int kern_b_entry(int x);

static inline __attribute__((always_inline)) int inner_most(int x)
{
	kern_sink += x;
	kern_fault(x);
	return kern_sink * 3;
}

static inline __attribute__((always_inline)) int middle(int x)
{
	int r = inner_most(x + 1);

	kern_sink ^= r;
	return r + 7;
}

static inline __attribute__((always_inline)) int outer_inline(int x)
{
	return middle(x * 2) - 1;
}

#endif
