// SPDX-License-Identifier: GPL-2.0-or-later
/* A relocatable object standing in for a module (test-mod.ko). */
extern void kern_fault(int x);
extern volatile int kern_sink;

static inline __attribute__((always_inline)) int mod_inline(int x)
{
	kern_fault(x);
	return kern_sink - x;
}

__attribute__((noinline)) int mod_work(int x)
{
	int r = mod_inline(x) * 5;

	kern_fault(r);
	return r;
}

__attribute__((noinline)) int mod_entry(int x)
{
	return mod_work(x + 3) + mod_inline(x);
}

__attribute__((section(".modinfo"), used)) static const char vermagic[] =
	"vermagic=9.9.9-test SMP preempt mod_unload";
