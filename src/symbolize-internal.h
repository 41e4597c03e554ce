/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symbolize-internal.h - shared between symbolize.c (session, symbols,
 * locations, reports) and symbolize-find.c (finding and checking files).
 * Not an API: see kt-symbolize.h.
 */
#ifndef KT_SYMBOLIZE_INTERNAL_H
#define KT_SYMBOLIZE_INTERNAL_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kt-symbolize.h"

#define SYM_NONE UINT32_MAX
#define SYM_MAX_FILES 4096	/* modules opened per run, at most */
#define SYM_MAX_INDEX 200000	/* .ko files indexed per modules tree */
#define SYM_MAX_DEPTH 10	/* directory depth walked in a modules tree */

struct ksym {
	uint64_t addr;
	uint64_t elf_size;
	const char *name;	/* borrowed from the ELF string table */
	uint32_t shndx;
	uint32_t hnext;		/* next index with the same name hash */
};

/* One opened ELF file: the vmlinux or one module. */
struct kfile {
	char *name;		/* "vmlinux" or the module name as printed */
	char *path;		/* NULL: looked for, not found / unusable */
	Dwfl_Module *mod;
	bool is_rel;		/* ET_REL: a module */
	bool dwarf;		/* has DWARF (else names only) */
	struct ksym *syms;	/* sorted by (shndx, addr) */
	size_t nsyms;
	uint32_t *htab;		/* name hash -> first index, SYM_NONE */
	size_t hmask;
	uint64_t *sec_end;	/* per section index: end address */
	size_t nsec;
	const char *note;	/* set on every frame of this file, or NULL */
	char build_id[41];	/* hex, or "" */
	char *release;		/* from linux_banner / vermagic, or NULL */
};

struct loc;
struct modindex;

#define KT_SYM_FAILED_MAX 64
#define KT_SYM_NOTFOUND_MSGS 5

struct kt_symbolizer {
	struct kt_symbolizer_opts o;
	Dwfl *dwfl;
	char *debuginfo_path;
	struct kfile *vmlinux;		/* NULL until looked for */
	char *vmlinux_release;		/* release the search was made for */
	/* releases whose vmlinux was not found, so a log of many kernels does
	 * not search the disk again for each report; after
	 * KT_SYM_FAILED_MAX of them no further release is searched */
	char *failed_release[KT_SYM_FAILED_MAX];
	unsigned int failed_next;	/* entries used */
	unsigned int failed_last;	/* the entry a lookup last found: the
					 * reports of a log share a release */
	unsigned int n_notfound;	/* "no vmlinux" messages given */
	bool tried, failed, warned_norelease;
	struct kfile **mods;
	size_t n_mods;
	struct modindex *index;		/* lazily built *.ko name index */
	char *index_release;
	struct loc **cache;		/* hash (file, address) -> location */
	size_t cache_mask, cache_n;
	char **msgs;			/* messages already given (dedup) */
	size_t n_msgs;
	uint64_t live_kaslr;
	bool live_kaslr_done;
};

/* symbolize.c */
void sym_msg(struct kt_symbolizer *s, enum kt_sym_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct kfile *sym_open_file(struct kt_symbolizer *s, const char *name, const char *path,
			    bool user_given);
const struct ksym *sym_find_name(const struct kfile *kf, const char *name);

/* symbolize-find.c */
/* 0 if path is a regular, readable file that starts like an ELF file, else
 * -errno with a reason in why ("not an ELF file", "is a FIFO", ...). */
int sym_check_file(const char *path, char *why, size_t why_size);
struct kfile *sym_find_vmlinux(struct kt_symbolizer *s, const char *release,
			       const char *build_id);
struct kfile *sym_find_module(struct kt_symbolizer *s, const char *name,
			      const char *build_id, const char *release);
void sym_modindex_free(struct modindex *mi);
/* "Linux version R ..." in the image -> R (malloc'ed), or NULL. */
char *sym_image_release(struct kfile *kf);
/* vermagic=R ... in a module's .modinfo -> R (malloc'ed), or NULL. */
char *sym_module_release(struct kfile *kf);
/* Ask debuginfod for the debug file of a build id: path (malloc'ed) or NULL. */
char *sym_debuginfod(struct kt_symbolizer *s, const char *build_id);
/* KASLR offset of the running kernel from /proc/kallsyms, or 0. */
uint64_t sym_live_kaslr(struct kt_symbolizer *s);

#endif
