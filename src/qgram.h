/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qgram.h - which 4-byte window of a literal a sampled q-gram filter keeps.
 *
 * A filter that probes a line every `stride` bytes needs, of each literal,
 * one window per residue modulo stride (the probe lands on some window of
 * that residue wherever the literal occurs); the rarer that window's bytes
 * are in kernel text, the fewer lines reach the full compare.  Used by the
 * rule prefilter (classify.c) and the report-start filter (report-defs.c).
 */
#ifndef KT_QGRAM_H
#define KT_QGRAM_H

#include <stddef.h>
#include <stdint.h>

/* A guess at how common a byte is in kernel messages (higher: commoner). */
static inline unsigned int kt_qgram_byte_cost(unsigned char c)
{
	static const char common[] = " etaoinsrhldcu:";

	c |= 0x20;
	for (const char *q = common; *q; q++)
		if (*q == c)
			return 8 + (unsigned int)(sizeof(common) - (size_t)(q - common));
	if (c >= 'a' && c <= 'z')
		return 4;
	if (c >= '0' && c <= '9')
		return 3;
	return 1;
}

/* The cheapest window of lit (n bytes, n >= r + 4) at an offset = r (mod
 * stride). */
static inline uint32_t kt_qgram_pick_window(const char *lit, size_t n, uint32_t r,
					    uint32_t stride)
{
	unsigned int best = ~0u;
	uint32_t at = r;

	for (size_t i = r; i + 4 <= n; i += stride) {
		unsigned int cost = 0;

		for (size_t k = 0; k < 4; k++)
			cost += kt_qgram_byte_cost((unsigned char)lit[i + k]);
		if (cost <= best) {
			best = cost;
			at = (uint32_t)i;
		}
	}
	return at;
}

#endif
