// SPDX-License-Identifier: GPL-2.0-or-later
#include "kern.h"

volatile int kern_sink;
__attribute__((used)) const char linux_banner[] =
	"Linux version 9.9.9-test (ktriage@test) (gcc) #1 SMP PREEMPT\n";

/* a static function whose name kern-b.c uses too, with another size */
static __attribute__((noinline)) int helper(int x)
{
	kern_fault(x);
	return kern_sink + x;
}

__attribute__((noinline)) void kern_fault(int x)
{
	if (x == 12345)
		*(volatile int *)0 = x;
	kern_sink += 2;
}

__attribute__((noinline)) int kern_a_entry(int x)
{
	int r = outer_inline(x);

	r += helper(r);
	return r + kern_b_entry(r);
}

int main(int argc, char **argv)
{
	(void)argv;
	return kern_a_entry(argc) & 1;
}
