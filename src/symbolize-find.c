// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symbolize-find.c - finding the debug vmlinux and module files (by path,
 * release, name or build id, and through debuginfod), and checking them
 * against the log: file type, kernel release, build id.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt-symbolize.h"
#include "kt-xalloc.h"
#include "symbolize-internal.h"

static const char NOTE_BUILD_ID[] = "module build id differs from the log";
static const char NOTE_MOD_RELEASE[] = "module is of another kernel release";

struct modindex {
	char **names;		/* canonical: '-' -> '_', no extension */
	char **paths;
	size_t n, cap;
	bool truncated;
};

/* ---- file checks --------------------------------------------------------- */

int sym_check_file(const char *path, char *why, size_t why_size)
{
	unsigned char h[64];
	struct stat st;
	ssize_t n;
	int fd, e = 0;

	if (stat(path, &st) < 0) {
		e = -errno;
		snprintf(why, why_size, "%s", strerror(errno));
		return e;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, why_size, "is a directory");
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_size, "not a regular file (%s)",
			 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ? "a character device"
			 : S_ISBLK(st.st_mode) ? "a block device" : S_ISSOCK(st.st_mode) ? "a socket"
			 : "special file");
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = -errno;
		snprintf(why, why_size, "%s", strerror(errno));
		return e;
	}
	n = pread(fd, h, sizeof(h), 0);
	if (n < 0)
		e = -errno;
	close(fd);
	if (n < 0) {
		snprintf(why, why_size, "%s", strerror(-e));
		return e;
	}
	if (n == 0) {
		snprintf(why, why_size, "empty file");
		return -ENOEXEC;
	}
	/* compressed modules: libdwfl decompresses what it was built for */
	if ((n >= 2 && h[0] == 0x1f && h[1] == 0x8b) ||
	    (n >= 6 && !memcmp(h, "\xfd" "7zXZ\0", 6)) ||
	    (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4)))
		return 0;
	if (n < 16 || memcmp(h, ELFMAG, SELFMAG)) {
		snprintf(why, why_size, "not an ELF file");
		return -ENOEXEC;
	}
	if (h[EI_CLASS] == ELFCLASS64 && n >= (ssize_t)sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr eh;
		uint64_t end;

		memcpy(&eh, h, sizeof(eh));
		if (h[EI_DATA] == ELFDATA2LSB) {	/* the host order on x86/arm64 */
			end = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
			if (eh.e_shoff > (uint64_t)st.st_size || end > (uint64_t)st.st_size) {
				snprintf(why, why_size, "truncated ELF file (%llu bytes, section "
					 "headers end at %llu)", (unsigned long long)st.st_size,
					 (unsigned long long)end);
				return -ENOEXEC;
			}
		}
	} else if (h[EI_CLASS] == ELFCLASS32 && n >= (ssize_t)sizeof(Elf32_Ehdr)) {
		Elf32_Ehdr eh;
		uint64_t end;

		memcpy(&eh, h, sizeof(eh));
		if (h[EI_DATA] == ELFDATA2LSB) {
			end = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
			if (eh.e_shoff > (uint64_t)st.st_size || end > (uint64_t)st.st_size) {
				snprintf(why, why_size, "truncated ELF file");
				return -ENOEXEC;
			}
		}
	} else {
		snprintf(why, why_size, "not an ELF file (bad ELF header)");
		return -ENOEXEC;
	}
	return 0;
}

/* ---- release and build id checks ------------------------------------------ */

static char *release_after(const char *p, size_t len, const char *key)
{
	size_t kl = strlen(key), i;

	for (i = 0; i + kl < len; i++) {
		if (p[i] == key[0] && !memcmp(p + i, key, kl)) {
			size_t j = i + kl, e = j;

			while (e < len && e - j < 128 && p[e] && p[e] != ' ' && p[e] != '\n')
				e++;
			if (e > j)
				return kt_xmemdup0(p + j, e - j);
		}
	}
	return NULL;
}

static Elf_Data *section_data(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh)
{
	if (!scn || !gelf_getshdr(scn, sh) || sh->sh_type == SHT_NOBITS)
		return NULL;
	return elf_rawdata(scn, NULL);
}

char *sym_image_release(struct kfile *kf)
{
	GElf_Addr bias = 0;
	Elf *elf;
	const struct ksym *y;
	GElf_Shdr sh;
	Elf_Data *d;
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (!kf->mod || !(elf = dwfl_module_getelf(kf->mod, &bias)))
		return NULL;
	y = sym_find_name(kf, "linux_banner");
	if (y && (d = section_data(elf, elf_getscn(elf, y->shndx), &sh))) {
		uint64_t off = y->addr - bias - sh.sh_addr;

		if (off < d->d_size)
			return release_after((const char *)d->d_buf + off,
					     d->d_size - off < 512 ? d->d_size - off : 512,
					     "Linux version ");
	}
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".rodata") && (d = section_data(elf, scn, &sh)))
			return release_after(d->d_buf, d->d_size, "Linux version ");
	}
	return NULL;
}

char *sym_module_release(struct kfile *kf)
{
	GElf_Addr bias = 0;
	Elf *elf;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *d;

	if (!kf->mod || !(elf = dwfl_module_getelf(kf->mod, &bias)) ||
	    elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".modinfo") && (d = section_data(elf, scn, &sh)))
			return release_after(d->d_buf, d->d_size, "vermagic=");
	}
	return NULL;
}

/* ---- debuginfod (libdebuginfod, loaded on demand) ------------------------- */

typedef void *(*dbgd_begin_fn)(void);
typedef int (*dbgd_find_fn)(void *, const unsigned char *, int, char **);
typedef void (*dbgd_end_fn)(void *);

char *sym_debuginfod(struct kt_symbolizer *s, const char *build_id)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	unsigned char id[64];
	size_t len = strlen(build_id), n = 0;
	void *lib, *client;
	dbgd_begin_fn begin;
	dbgd_find_fn find;
	dbgd_end_fn end;
	char *path = NULL;
	int fd;

	if (s->o.no_debuginfod || !urls || !*urls || len < 2 || len % 2 || len > 128)
		return NULL;
	for (size_t i = 0; i < len; i += 2) {
		unsigned int b;

		if (sscanf(build_id + i, "%2x", &b) != 1)
			return NULL;
		id[n++] = (unsigned char)b;
	}
	lib = dlopen("libdebuginfod.so.1", RTLD_LAZY | RTLD_LOCAL);
	if (!lib) {
		sym_msg(s, KT_SYM_INFO, "DEBUGINFOD_URLS is set, but libdebuginfod.so.1 "
			"cannot be loaded");
		return NULL;
	}
	begin = (dbgd_begin_fn)dlsym(lib, "debuginfod_begin");
	find = (dbgd_find_fn)dlsym(lib, "debuginfod_find_debuginfo");
	end = (dbgd_end_fn)dlsym(lib, "debuginfod_end");
	if (begin && find && end && (client = begin())) {
		fd = find(client, id, (int)n, &path);
		if (fd >= 0)
			close(fd);
		else
			path = NULL;
		end(client);
	}
	/* keep lib loaded: libdwfl may use it too, and unloading is not worth it */
	if (path) {
		char *p = kt_xstrdup(path);

		free(path);
		sym_msg(s, KT_SYM_INFO, "debuginfod: build id %s -> '%s'", build_id, p);
		return p;
	}
	return NULL;
}

static char *build_id_path(struct kt_symbolizer *s, const char *build_id)
{
	size_t n;
	char *p;

	if (!build_id || strlen(build_id) < 4)
		return NULL;
	n = strlen(s->o.root) + strlen(build_id) + 48;
	p = kt_xmalloc(n);
	snprintf(p, n, "%s/usr/lib/debug/.build-id/%.2s/%s.debug", s->o.root, build_id,
		 build_id + 2);
	if (access(p, F_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* ---- vmlinux ---------------------------------------------------------------- */

static void announce(struct kt_symbolizer *s, struct kfile *kf)
{
	sym_msg(s, KT_SYM_INFO, "symbolizing with '%s' (kernel %s%s%s)%s", kf->path,
		kf->release ? kf->release : "release unknown",
		kf->build_id[0] ? ", build id " : "", kf->build_id,
		kf->dwarf ? "" : ", no debug info: function names only");
}

struct kfile *sym_find_vmlinux(struct kt_symbolizer *s, const char *release,
			       const char *build_id)
{
	static const char *const where[][2] = {
		{ "/usr/lib/debug/boot/vmlinux-", "" },
		{ "/usr/lib/debug/lib/modules/", "/vmlinux" },
		{ "/lib/modules/", "/build/vmlinux" },
		{ "/boot/vmlinux-", "" },
	};
	struct kfile *kf = NULL;
	char path[4096], looked[1024] = "";
	char *p;

	if (s->o.vmlinux) {
		kf = sym_open_file(s, "vmlinux", s->o.vmlinux, true);
	} else {
		for (size_t i = 0; !kf && release && i < sizeof(where) / sizeof(where[0]); i++) {
			snprintf(path, sizeof(path), "%s%s%s%s", s->o.root, where[i][0], release,
				 where[i][1]);
			if (strlen(looked) + strlen(path) + 3 < sizeof(looked)) {
				if (*looked)
					strcat(looked, ", ");
				strcat(looked, path);
			}
			if (access(path, F_OK) == 0)
				kf = sym_open_file(s, "vmlinux", path, false);
		}
		if (!kf && (p = build_id_path(s, build_id))) {
			kf = sym_open_file(s, "vmlinux", p, false);
			free(p);
		}
		if (!kf && build_id && (p = sym_debuginfod(s, build_id))) {
			kf = sym_open_file(s, "vmlinux", p, false);
			free(p);
		}
		if (!kf) {
			if (++s->n_notfound <= KT_SYM_NOTFOUND_MSGS)
				sym_msg(s, KT_SYM_INFO, "no vmlinux with debug info found for "
					"kernel %s (looked at %s): frames stay unsymbolized; "
					"use --vmlinux=PATH", release ? release : "(unknown)",
					*looked ? looked : "nothing");
			else if (s->n_notfound == KT_SYM_NOTFOUND_MSGS + 1)
				sym_msg(s, KT_SYM_INFO, "no vmlinux for further kernels either "
					"(not named one by one)");
			return NULL;
		}
	}
	if (!kf)
		return NULL;
	s->vmlinux = kf;	/* named in the messages from here on */
	if (kf->mod) {
		kf->release = sym_image_release(kf);
		announce(s, kf);
		if (build_id && kf->build_id[0] && strcmp(build_id, kf->build_id)) {
			sym_msg(s, KT_SYM_WARNING, "warning: '%s' has build id %s, the log %s: "
				"locations are unreliable", kf->path, kf->build_id, build_id);
			kf->note = "build id differs from the log";
		}
	}
	return kf;
}

/* ---- modules ------------------------------------------------------------------ */

void sym_modindex_free(struct modindex *mi)
{
	if (!mi)
		return;
	for (size_t i = 0; i < mi->n; i++) {
		free(mi->names[i]);
		free(mi->paths[i]);
	}
	free(mi->names);
	free(mi->paths);
	free(mi);
}

static size_t ko_stem(const char *name)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz", ".ko.debug" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t el = strlen(ext[i]);

		if (len > el && !strcmp(name + len - el, ext[i]))
			return len - el;
	}
	return 0;
}

static void index_dir(struct modindex *mi, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;

	if (depth > SYM_MAX_DEPTH || mi->truncated || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		char path[4096];
		size_t stem;
		struct stat st;
		bool isdir, isreg;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (de->d_type == DT_UNKNOWN) {
			if (lstat(path, &st) < 0)
				continue;
			isdir = S_ISDIR(st.st_mode);
			isreg = S_ISREG(st.st_mode);
		} else {
			isdir = de->d_type == DT_DIR;	/* symlinked dirs (build, source): no */
			isreg = de->d_type == DT_REG || de->d_type == DT_LNK;
		}
		if (isdir) {
			index_dir(mi, path, depth + 1);
			continue;
		}
		if (!isreg || !(stem = ko_stem(de->d_name)))
			continue;
		if (mi->n >= SYM_MAX_INDEX) {
			mi->truncated = true;
			break;
		}
		if (mi->n == mi->cap) {
			mi->cap = mi->cap ? mi->cap * 2 : 256;
			mi->names = kt_xrealloc(mi->names, mi->cap * sizeof(*mi->names));
			mi->paths = kt_xrealloc(mi->paths, mi->cap * sizeof(*mi->paths));
		}
		mi->names[mi->n] = kt_xmemdup0(de->d_name, stem);
		for (char *c = mi->names[mi->n]; *c; c++)
			if (*c == '-')
				*c = '_';
		mi->paths[mi->n] = kt_xstrdup(path);
		mi->n++;
	}
	closedir(d);
}

static struct modindex *module_index(struct kt_symbolizer *s, const char *release,
				     char *looked, size_t looked_size)
{
	char dir[4096];

	if (s->index && (s->o.modules_dir || !release ||
			 (s->index_release && !strcmp(s->index_release, release))))
		goto out;
	sym_modindex_free(s->index);
	free(s->index_release);
	s->index = kt_xcalloc(1, sizeof(*s->index));
	s->index_release = release ? kt_xstrdup(release) : NULL;
	if (s->o.modules_dir) {
		struct stat st;

		if (stat(s->o.modules_dir, &st) < 0 || !S_ISDIR(st.st_mode))
			sym_msg(s, KT_SYM_ERROR, "cannot use modules directory '%s': %s",
				s->o.modules_dir, stat(s->o.modules_dir, &st) < 0 ?
				strerror(errno) : "not a directory");
		else
			index_dir(s->index, s->o.modules_dir, 0);
	} else if (release) {
		snprintf(dir, sizeof(dir), "%s/usr/lib/debug/lib/modules/%s", s->o.root, release);
		index_dir(s->index, dir, 0);
		snprintf(dir, sizeof(dir), "%s/lib/modules/%s", s->o.root, release);
		index_dir(s->index, dir, 0);
	}
	if (s->index->truncated)
		sym_msg(s, KT_SYM_WARNING, "warning: more than %d module files: the rest "
			"are not searched", SYM_MAX_INDEX);
out:
	if (s->o.modules_dir)
		snprintf(looked, looked_size, "%s", s->o.modules_dir);
	else if (release)
		snprintf(looked, looked_size, "%s/usr/lib/debug/lib/modules/%s and "
			 "%s/lib/modules/%s", s->o.root, release, s->o.root, release);
	else
		snprintf(looked, looked_size, "no modules directory (kernel release unknown)");
	return s->index;
}

static void check_module(struct kt_symbolizer *s, struct kfile *kf, const char *build_id,
			 const char *release)
{
	if (!kf->mod)
		return;
	kf->release = sym_module_release(kf);
	if (build_id && kf->build_id[0] && strcmp(build_id, kf->build_id)) {
		sym_msg(s, KT_SYM_WARNING, "warning: module '%s' ('%s') has build id %s, the "
			"log %s: its locations are unreliable", kf->name, kf->path,
			kf->build_id, build_id);
		kf->note = NOTE_BUILD_ID;
	} else if (release && kf->release && strcmp(release, kf->release)) {
		sym_msg(s, KT_SYM_WARNING, "warning: module '%s' ('%s') is for kernel %s, the "
			"log is of %s: its locations are unreliable", kf->name, kf->path,
			kf->release, release);
		kf->note = NOTE_MOD_RELEASE;
	}
}

struct kfile *sym_find_module(struct kt_symbolizer *s, const char *name,
			      const char *build_id, const char *release)
{
	size_t nl = strlen(name);
	struct kfile *kf = NULL;
	struct modindex *mi;
	char looked[8192], *p;

	for (size_t i = 0; i < s->n_mods; i++)
		if (kt_module_name_eq(s->mods[i]->name, strlen(s->mods[i]->name), name, nl))
			return s->mods[i];
	if (s->n_mods >= SYM_MAX_FILES)
		return NULL;

	mi = module_index(s, release, looked, sizeof(looked));
	for (size_t i = 0; !kf && mi && i < mi->n; i++)
		if (kt_module_name_eq(mi->names[i], strlen(mi->names[i]), name, nl))
			kf = sym_open_file(s, name, mi->paths[i], false);
	if (!kf && (p = build_id_path(s, build_id))) {
		kf = sym_open_file(s, name, p, false);
		free(p);
	}
	if (!kf && build_id && (p = sym_debuginfod(s, build_id))) {
		kf = sym_open_file(s, name, p, false);
		free(p);
	}
	if (!kf) {
		sym_msg(s, KT_SYM_INFO, "module '%s' not found (looked in %s%s): its frames "
			"stay unsymbolized", name, looked,
			build_id ? " and by build id" : "");
		kf = kt_xcalloc(1, sizeof(*kf));
		kf->name = kt_xstrdup(name);
	} else {
		check_module(s, kf, build_id, release);
		if (kf->mod)
			sym_msg(s, KT_SYM_INFO, "module '%s': '%s'%s", name, kf->path,
				kf->dwarf ? "" : " (no debug info: function names only)");
	}
	s->mods = kt_xrealloc(s->mods, (s->n_mods + 1) * sizeof(*s->mods));
	s->mods[s->n_mods++] = kf;
	return kf;
}

/* ---- the running kernel ----------------------------------------------------- */

uint64_t sym_live_kaslr(struct kt_symbolizer *s)
{
	const struct ksym *y;
	char line[512];
	FILE *f;

	if (s->live_kaslr_done)
		return s->live_kaslr;
	s->live_kaslr_done = true;
	if (!s->vmlinux || !s->vmlinux->mod || !(y = sym_find_name(s->vmlinux, "_text")))
		return 0;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &a, &type, name) == 3 && !strcmp(name, "_text")) {
			if (a)	/* 0: kptr_restrict hides addresses */
				s->live_kaslr = (uint64_t)a - y->addr;
			break;
		}
	}
	fclose(f);
	return s->live_kaslr;
}
