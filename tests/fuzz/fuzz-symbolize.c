// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-symbolize.c - the symbolizer's frame resolution against a small test
 * ELF with DWARF (tests/symbolize/kern-*.c, built as tests/fuzz/sym-vmlinux,
 * and the module tests/fuzz/sym-mods/test-mod.ko).  The first input line is
 * the kernel release the "report" names; every other line is parsed as a
 * frame.  The frames are resolved one by one (kt_symbolize_frame), then
 * again as one report (kt_symbolize_report, which also works out a KASLR
 * offset for address-only frames), and the report is rendered as JSON.
 *
 * The symbolizer (one Dwfl session, the ELF opened once) lives for the whole
 * run, as in ktriage, so its caches are exercised across inputs.  Paths come
 * from $KT_FUZZ_VMLINUX / $KT_FUZZ_MODULES or the build tree.
 */
#include <stdio.h>

#include "fuzz-util.h"
#include "kt-frame.h"
#include "kt-report.h"
#include "kt-symbolize.h"

#ifndef KT_FUZZ_DIR
#define KT_FUZZ_DIR "."
#endif
#define MAX_FRAMES 64

static struct kt_symbolizer *sym;
static struct kt_strbuf out;

static void on_msg(enum kt_sym_severity sev, const char *msg, void *userdata)
{
	(void)sev;
	(void)userdata;
	kt_strbuf_addstr(&out, msg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char vmlinux[4096], mods[4096], root[4096];
	static struct kt_symbolizer_opts o;
	const char *v = getenv("KT_FUZZ_VMLINUX"), *m = getenv("KT_FUZZ_MODULES");
	struct kt_frame f = { .type = KT_FRAME_CALL, .reliable = true };

	(void)argc;
	(void)argv;
	snprintf(vmlinux, sizeof(vmlinux), "%s", v && *v ? v : KT_FUZZ_DIR "/sym-vmlinux");
	snprintf(mods, sizeof(mods), "%s", m && *m ? m : KT_FUZZ_DIR "/sym-mods");
	/* search paths for other releases stay inside a directory of our own */
	snprintf(root, sizeof(root), "%s/sym-root", KT_FUZZ_DIR);
	o.vmlinux = vmlinux;
	o.modules_dir = mods;
	o.root = root;
	o.no_debuginfod = true;
	o.message = on_msg;
	kt_strbuf_init(&out, 4096);
	sym = kt_symbolizer_new(&o);
	/* open the ELF now, once: a frame that must resolve */
	f.func = strdup("kern_a_entry");
	f.offset = 4;
	f.has_offset = true;
	kt_symbolize_frame(sym, &f, true, NULL, 0);
	if (!kt_symbolizer_vmlinux(sym) || kt_symbolizer_failed(sym)) {
		fprintf(stderr, "fuzz-symbolize: cannot use '%s' (build it with make)\n", vmlinux);
		abort();
	}
	kt_frame_release(&f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_report *r;
	const uint8_t *piece;
	size_t len;
	bool first = true;

	if (!sym)
		LLVMFuzzerInitialize(NULL, NULL);
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->frames = calloc(MAX_FRAMES, sizeof(*r->frames));
	if (!r->frames)
		abort();
	while (fuzz_next_piece(&data, &size, '\n', &piece, &len)) {
		char *buf = fuzz_dup(piece, len);
		struct kt_frame_view v;
		struct kt_frame f;

		if (first) {
			first = false;
			/* The release: the first piece, at most 64 bytes, as a
			 * C string (buf itself has no terminator). */
			if (len > 64)
				len = 64;
			r->kernel = malloc(len + 1);
			if (!r->kernel)
				abort();
			memcpy(r->kernel, buf, len);
			r->kernel[len] = '\0';
			free(buf);
			continue;
		}
		if (kt_frame_parse(buf, len, &v, NULL) != KT_FRAME_NONE) {
			kt_frame_copy(&f, &v, KT_CTX_TASK);
			kt_symbolize_frame(sym, &f, v.type != KT_FRAME_CALL, r->kernel,
					   len & 1 ? 0 : 0x1000000);
			if (v.type == KT_FRAME_IP && !r->has_ip) {
				r->has_ip = true;
				kt_frame_copy(&r->ip, &v, KT_CTX_TASK);
			} else if (!r->has_guilty && v.type == KT_FRAME_CALL && v.func) {
				r->has_guilty = true;
				kt_frame_copy(&r->guilty, &v, KT_CTX_TASK);
			}
			if (r->n_frames < MAX_FRAMES)
				kt_frame_copy(&r->frames[r->n_frames++], &v, KT_CTX_TASK);
			kt_frame_release(&f);
		}
		free(buf);
	}
	kt_symbolize_report(sym, r);
	kt_strbuf_reset(&out);
	kt_report_to_json(r, &out);
	kt_report_free(r);
	return 0;
}
