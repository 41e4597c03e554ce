// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symbolize.c - one libdwfl offline session per run: symbol index per file,
 * func+off/size -> address, address -> file:line:column + inline chain,
 * cached per (file, address); reports are symbolized in place.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt-symbolize.h"
#include "kt-xalloc.h"
#include "symbolize-internal.h"

/* Notes set on frames (kt_frame.sym_note). */
static const char NOTE_SIZE[] =
	"symbol size differs from the debug file: wrong vmlinux or module?";
static const char NOTE_BEYOND[] = "offset is beyond the end of the symbol";
static const char NOTE_NOSYM[] = "function not found in the debug file";
static const char NOTE_RELEASE[] = "the debug file is of another kernel release";
static const char NOTE_KASLR[] = "KASLR offset unknown: address taken as link-time address";

/* One resolved address: the chain innermost first, chain[n-1] = outermost. */
struct loc {
	struct loc *next;
	const struct kfile *kf;
	uint64_t addr;
	size_t n;			/* entries in chain; 0: no line info */
	struct kt_inline_frame *chain;	/* owned by the cache */
};

/* ---- messages ---------------------------------------------------------- */

void sym_msg(struct kt_symbolizer *s, enum kt_sym_severity sev, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < s->n_msgs; i++)
		if (!strcmp(s->msgs[i], buf))
			return;
	if (s->n_msgs < 256) {
		s->msgs = kt_xrealloc(s->msgs, (s->n_msgs + 1) * sizeof(*s->msgs));
		s->msgs[s->n_msgs++] = kt_xstrdup(buf);
	}
	if (sev == KT_SYM_ERROR)
		s->failed = true;
	if (s->o.message)
		s->o.message(sev, buf, s->o.userdata);
}

/* ---- session ----------------------------------------------------------- */

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct kt_symbolizer *kt_symbolizer_new(const struct kt_symbolizer_opts *opts)
{
	struct kt_symbolizer *s = kt_xcalloc(1, sizeof(*s));

	if (opts)
		s->o = *opts;
	if (!s->o.root)
		s->o.root = "";
	return s;
}

static Dwfl *session(struct kt_symbolizer *s)
{
	if (!s->dwfl) {
		static Dwfl_Callbacks cb;
		static char *path;

		/* debuginfo_path: only the .build-id tree under root */
		free(s->debuginfo_path);
		s->debuginfo_path = NULL;
		cb = offline_callbacks;
		if (*s->o.root) {
			size_t n = strlen(s->o.root) + 32;

			s->debuginfo_path = kt_xmalloc(n);
			snprintf(s->debuginfo_path, n, "-:.debug:%s/usr/lib/debug", s->o.root);
			path = s->debuginfo_path;
			cb.debuginfo_path = &path;
		}
		s->dwfl = dwfl_begin(&cb);
		if (!s->dwfl)
			sym_msg(s, KT_SYM_ERROR, "cannot start libdwfl: %s", dwfl_errmsg(-1));
	}
	return s->dwfl;
}

static void loc_free(struct loc *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->chain[i].func);
		free(l->chain[i].file);
	}
	free(l->chain);
	free(l);
}

static void kfile_free(struct kfile *kf)
{
	if (!kf)
		return;
	free(kf->name);
	free(kf->path);
	free(kf->syms);
	free(kf->htab);
	free(kf->sec_end);
	free(kf->release);
	free(kf);
}

void kt_symbolizer_free(struct kt_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->cache && i <= s->cache_mask; i++) {
		struct loc *l = s->cache[i], *n;

		for (; l; l = n) {
			n = l->next;
			loc_free(l);
		}
	}
	free(s->cache);
	for (size_t i = 0; i < s->n_mods; i++)
		kfile_free(s->mods[i]);
	free(s->mods);
	kfile_free(s->vmlinux);
	free(s->vmlinux_release);
	for (size_t i = 0; i < KT_SYM_FAILED_MAX; i++)
		free(s->failed_release[i]);
	sym_modindex_free(s->index);
	free(s->index_release);
	for (size_t i = 0; i < s->n_msgs; i++)
		free(s->msgs[i]);
	free(s->msgs);
	if (s->dwfl)
		dwfl_end(s->dwfl);
	free(s->debuginfo_path);
	free(s);
}

const char *kt_symbolizer_vmlinux(const struct kt_symbolizer *s)
{
	return s && s->vmlinux && s->vmlinux->mod ? s->vmlinux->path : NULL;
}

bool kt_symbolizer_tried(const struct kt_symbolizer *s)
{
	return s && s->tried;
}

bool kt_symbolizer_failed(const struct kt_symbolizer *s)
{
	return s && s->failed;
}

bool kt_module_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return true;
}

/* ---- symbol index ------------------------------------------------------ */

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int ksym_cmp(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->shndx != b->shndx)
		return a->shndx < b->shndx ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Read the symbol table through libdwfl (addresses already relocated for
 * ET_REL), sort it per section and hash it by name. */
static int build_index(struct kfile *kf)
{
	int n = dwfl_module_getsymtab(kf->mod);
	size_t cap, k = 0;
	GElf_Addr bias = 0;
	Elf *elf;

	if (n <= 1)
		return -ENOENT;
	kf->syms = kt_xmalloc((size_t)n * sizeof(*kf->syms));
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(kf->mod, i, &sym, &addr, &shndx,
							   NULL, NULL);
		int type;

		if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS ||
		    shndx >= SHN_LORESERVE)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE || type == STT_TLS)
			continue;
		kf->syms[k].addr = addr;
		kf->syms[k].elf_size = sym.st_size;
		kf->syms[k].name = name;
		kf->syms[k].shndx = shndx;
		kf->syms[k].hnext = SYM_NONE;
		k++;
	}
	kf->nsyms = k;
	if (!k)
		return -ENOENT;
	qsort(kf->syms, k, sizeof(*kf->syms), ksym_cmp);
	for (cap = 1024; cap < 2 * k; cap *= 2)
		;
	kf->hmask = cap - 1;
	kf->htab = kt_xmalloc(cap * sizeof(*kf->htab));
	memset(kf->htab, 0xff, cap * sizeof(*kf->htab));
	for (size_t i = k; i-- > 0;) {
		uint32_t h = name_hash(kf->syms[i].name) & kf->hmask;

		kf->syms[i].hnext = kf->htab[h];
		kf->htab[h] = (uint32_t)i;
	}
	/* section ends, for the last symbol of each section */
	elf = dwfl_module_getelf(kf->mod, &bias);
	if (elf) {
		size_t nsec = 0;
		Elf_Scn *scn = NULL;

		if (elf_getshdrnum(elf, &nsec) == 0 && nsec > 0 && nsec < 1000000) {
			kf->nsec = nsec;
			kf->sec_end = kt_xcalloc(nsec, sizeof(*kf->sec_end));
			while ((scn = elf_nextscn(elf, scn))) {
				GElf_Shdr sh;
				size_t idx = elf_ndxscn(scn);

				if (idx < nsec && gelf_getshdr(scn, &sh))
					kf->sec_end[idx] = sh.sh_addr + bias + sh.sh_size;
			}
		}
	}
	return 0;
}

const struct ksym *sym_find_name(const struct kfile *kf, const char *name)
{
	uint32_t i;

	if (!kf->htab)
		return NULL;
	for (i = kf->htab[name_hash(name) & kf->hmask]; i != SYM_NONE; i = kf->syms[i].hnext)
		if (!strcmp(kf->syms[i].name, name))
			return &kf->syms[i];
	return NULL;
}

/*
 * Sizes a kernel may print for a symbol: kallsyms' (distance to the next
 * higher symbol address, any section), the same within the symbol's section
 * (or to the section end, as faddr2line computes it), faddr2line's first
 * symbol at or beyond the ELF size, and the ELF size.  ret[0] is kallsyms'.
 */
static void sizes(const struct kfile *kf, const struct ksym *y, uint64_t ret[4])
{
	size_t i = (size_t)(y - kf->syms);
	uint64_t end = y->shndx < kf->nsec ? kf->sec_end[y->shndx] : 0;

	ret[0] = ret[1] = ret[2] = 0;
	ret[3] = y->elf_size;
	for (size_t j = i + 1; j < kf->nsyms && j - i < 4096; j++) {
		uint64_t d = kf->syms[j].addr - y->addr;

		if (!d)
			continue;
		if (!ret[0])
			ret[0] = d;
		if (kf->syms[j].shndx != y->shndx)
			continue;
		if (!ret[1])
			ret[1] = d;
		if (d >= y->elf_size) {
			ret[2] = d;
			break;
		}
	}
	if (!ret[1] && end > y->addr)
		ret[1] = end - y->addr;
	if (!ret[2])
		ret[2] = ret[1];
	if (!ret[0])
		ret[0] = ret[1];
}

static uint64_t ksize(const struct kfile *kf, const struct ksym *y)
{
	uint64_t sz[4];

	sizes(kf, y, sz);
	return sz[0] ? sz[0] : sz[3];
}

static bool size_matches(const struct kfile *kf, const struct ksym *y, uint64_t size)
{
	uint64_t sz[4];

	sizes(kf, y, sz);
	return size == sz[0] || size == sz[1] || size == sz[2] || (sz[3] && size == sz[3]);
}

/*
 * The symbol a frame names: among several of that name, the one whose size
 * matches the printed size.  *ret_note: NULL, or why it may be wrong.
 */
static const struct ksym *pick_symbol(const struct kfile *kf, const char *name, bool has_size,
				      uint64_t size, uint64_t off, const char **ret_note)
{
	const struct ksym *first = NULL, *fit = NULL;
	uint32_t i;

	*ret_note = NULL;
	if (!kf->htab)
		return NULL;
	for (i = kf->htab[name_hash(name) & kf->hmask]; i != SYM_NONE; i = kf->syms[i].hnext) {
		const struct ksym *y = &kf->syms[i];

		if (strcmp(y->name, name))
			continue;
		if (!first)
			first = y;
		if (!has_size || size_matches(kf, y, size)) {
			fit = y;
			break;
		}
		if (!fit && y->elf_size > off)
			fit = y;	/* plausible, size still differs */
	}
	if (!first)
		return NULL;
	if (!fit)
		fit = first;
	if (has_size && !size_matches(kf, fit, size))
		*ret_note = NOTE_SIZE;
	else if (has_size && off > size)
		*ret_note = NOTE_BEYOND;
	return fit;
}

/* The symbol containing a link-time address, or NULL. */
static const struct ksym *sym_by_addr(const struct kfile *kf, uint64_t addr)
{
	size_t a = 0, b = kf->nsyms;
	const struct ksym *y;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (kf->syms[m].addr <= addr)
			a = m + 1;
		else
			b = m;
	}
	if (!a)
		return NULL;
	y = &kf->syms[a - 1];
	while (y > kf->syms && y[-1].addr == y->addr && y->elf_size == 0)
		y--;	/* prefer a sized alias */
	return addr - y->addr < ksize(kf, y) ? y : NULL;
}

/* ---- opening files ----------------------------------------------------- */

struct kfile *sym_open_file(struct kt_symbolizer *s, const char *name, const char *path,
			    bool user_given)
{
	struct kfile *kf;
	char why[256];
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	const unsigned char *bits;
	GElf_Addr vaddr;
	int e, n;

	e = sym_check_file(path, why, sizeof(why));
	if (e < 0) {
		sym_msg(s, user_given ? KT_SYM_ERROR : KT_SYM_WARNING, "cannot use '%s': %s",
			path, why);
		return NULL;
	}
	if (!session(s))
		return NULL;
	dwfl_report_begin_add(s->dwfl);
	mod = dwfl_report_offline(s->dwfl, name, path, -1);
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!mod) {
		size_t pl = strlen(path);
		bool zst = pl > 4 && !strcmp(path + pl - 4, ".zst");

		sym_msg(s, user_given ? KT_SYM_ERROR : KT_SYM_WARNING, "cannot use '%s': %s%s",
			path, dwfl_errmsg(-1), zst ? " (this libdwfl cannot read zstd-compressed "
			"files: unpack it with unzstd)" : "");
		return NULL;
	}
	kf = kt_xcalloc(1, sizeof(*kf));
	kf->name = kt_xstrdup(name);
	kf->path = kt_xstrdup(path);
	kf->mod = mod;
	{
		GElf_Addr b2;
		Elf *elf = dwfl_module_getelf(mod, &b2);
		GElf_Ehdr eh;

		if (!elf || !gelf_getehdr(elf, &eh)) {
			sym_msg(s, user_given ? KT_SYM_ERROR : KT_SYM_WARNING,
				"cannot use '%s': %s", path, "unreadable ELF headers");
			kfile_free(kf);
			return NULL;
		}
		kf->is_rel = eh.e_type == ET_REL;
	}
	n = dwfl_module_build_id(mod, &bits, &vaddr);
	for (int i = 0; i < n && i < 20; i++)
		snprintf(kf->build_id + 2 * i, 3, "%02x", bits[i]);
	if (build_index(kf) < 0) {
		sym_msg(s, user_given ? KT_SYM_ERROR : KT_SYM_WARNING,
			"'%s' has no symbol table (stripped?) and no debug file was found: "
			"its frames stay unsymbolized", path);
		kf->mod = NULL;
		return kf;
	}
	kf->dwarf = dwfl_module_getdwarf(mod, &bias) != NULL;
	if (!kf->dwarf)
		sym_msg(s, KT_SYM_INFO, "'%s' has no debug info: functions resolve, "
			"but there are no file:line locations", path);
	return kf;
}

/* ---- locations ---------------------------------------------------------- */

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));

	return n ? n : "??";
}

static unsigned int die_udata(Dwarf_Die *die, int at)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (!dwarf_attr(die, at, &a) || dwarf_formudata(&a, &w) != 0)
		return 0;
	return (unsigned int)w;
}

static char *clean_path(struct kt_symbolizer *s, const char *file, const char *comp_dir)
{
	char buf[4096];

	if (!file)
		return NULL;
	if (s->o.strip_prefix && file[0] != '/' && comp_dir && comp_dir[0] == '/' &&
	    (size_t)snprintf(buf, sizeof(buf), "%s/%s", comp_dir, file) < sizeof(buf))
		return kt_xstrdup(kt_symbolize_strip(buf, comp_dir, s->o.strip_prefix));
	return kt_xstrdup(kt_symbolize_strip(file, comp_dir, s->o.strip_prefix));
}

static void chain_add(struct loc *l, size_t *cap, char *func, char *file, unsigned int line,
		      unsigned int col)
{
	if (l->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		l->chain = kt_xrealloc(l->chain, *cap * sizeof(*l->chain));
	}
	l->chain[l->n].func = func;
	l->chain[l->n].file = file;
	l->chain[l->n].line = line;
	l->chain[l->n].column = col;
	l->n++;
}

/* The concrete scopes containing pc, outermost first (path[0] is a child of
 * the CU): subprograms, inlined subroutines and blocks whose ranges hold pc. */
static int scope_path(Dwarf_Die *parent, Dwarf_Addr pc, Dwarf_Die *path, int depth, int max)
{
	Dwarf_Die child;

	if (depth >= max || dwarf_child(parent, &child) != 0)
		return depth;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
		case DW_TAG_inlined_subroutine:
		case DW_TAG_lexical_block:
		case DW_TAG_try_block:
		case DW_TAG_catch_block:
		case DW_TAG_entry_point:
			if (dwarf_haspc(&child, pc) > 0) {
				path[depth] = child;
				return scope_path(&path[depth], pc, path, depth + 1, max);
			}
			break;
		case DW_TAG_namespace:
		case DW_TAG_module:
		case DW_TAG_class_type:
		case DW_TAG_structure_type: {
			/* C++ member functions may be defined inside */
			int d = scope_path(&child, pc, path, depth, max);

			if (d > depth)
				return d;
			break;
		}
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return depth;
}

/* The CU holding addr (libdw address space), strictly within its ranges. */
static Dwarf_Die *addr_cu(const struct kfile *kf, Dwarf_Addr addr, Dwarf_Die *mem,
			  Dwarf_Addr *ret_bias)
{
	Dwarf_Addr bias = 0;
	Dwarf *dw = dwfl_module_getdwarf(kf->mod, &bias);
	Dwarf_Die *cu;

	if (!dw)
		return NULL;
	*ret_bias = bias;
	if (dwarf_addrdie(dw, addr - bias, mem))
		return mem;
	cu = dwfl_module_addrdie(kf->mod, addr, &bias);	/* no .debug_aranges */
	if (cu && dwarf_haspc(cu, addr - bias) > 0) {
		*mem = *cu;
		*ret_bias = bias;
		return mem;
	}
	return NULL;
}

#define MAX_SCOPES 64

/* Address (libdwfl address space of kf) -> chain, like eu-addr2line -i. */
static void resolve_addr(struct kt_symbolizer *s, const struct kfile *kf, struct loc *l)
{
	Dwarf_Addr bias = 0, pc;
	Dwarf_Die cumem, *cu, path[MAX_SCOPES];
	Dwarf_Line *line;
	Dwarf_Files *files = NULL;
	const char *file, *comp_dir;
	int lineno = 0, col = 0, depth;
	Dwarf_Attribute a;
	size_t cap = 0;
	char *cur_file;
	unsigned int cur_line, cur_col;
	bool top = false;

	if (!kf->dwarf || !(cu = addr_cu(kf, l->addr, &cumem, &bias)))
		return;
	pc = l->addr - bias;
	line = dwarf_getsrc_die(cu, pc);
	if (!line || !(file = dwarf_linesrc(line, NULL, NULL)))
		return;
	dwarf_lineno(line, &lineno);
	dwarf_linecol(line, &col);
	comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	cur_file = clean_path(s, file, comp_dir);
	cur_line = lineno > 0 ? (unsigned int)lineno : 0;
	cur_col = col > 0 ? (unsigned int)col : 0;
	depth = scope_path(cu, pc, path, 0, MAX_SCOPES);
	for (int i = depth - 1; i >= 0; i--) {
		Dwarf_Die *sc = &path[i];
		int tag = dwarf_tag(sc);

		if (tag == DW_TAG_inlined_subroutine) {
			unsigned int cf = die_udata(sc, DW_AT_call_file);
			const char *cfn = NULL;

			chain_add(l, &cap, kt_xstrdup(die_name(sc)), cur_file, cur_line, cur_col);
			if (!files)
				dwarf_getsrcfiles(cu, &files, NULL);
			if (files)
				cfn = dwarf_filesrc(files, cf, NULL, NULL);
			cur_file = clean_path(s, cfn ? cfn : "??", comp_dir);
			cur_line = die_udata(sc, DW_AT_call_line);
			cur_col = die_udata(sc, DW_AT_call_column);
		} else if (tag == DW_TAG_subprogram) {
			chain_add(l, &cap, kt_xstrdup(die_name(sc)), cur_file, cur_line, cur_col);
			top = true;
			break;
		}
	}
	if (!top)	/* no subprogram scope (assembler code, padding) */
		chain_add(l, &cap, NULL, cur_file, cur_line, cur_col);
}

static struct loc *lookup(struct kt_symbolizer *s, const struct kfile *kf, uint64_t addr)
{
	size_t h;
	struct loc *l;

	if (!s->cache) {
		s->cache_mask = 1023;
		s->cache = kt_xcalloc(s->cache_mask + 1, sizeof(*s->cache));
	}
	h = (size_t)((addr * 0x9e3779b97f4a7c15ull) >> 20) ^ (size_t)(uintptr_t)kf;
	h &= s->cache_mask;
	for (l = s->cache[h]; l; l = l->next)
		if (l->kf == kf && l->addr == addr)
			return l;
	l = kt_xcalloc(1, sizeof(*l));
	l->kf = kf;
	l->addr = addr;
	resolve_addr(s, kf, l);
	l->next = s->cache[h];
	s->cache[h] = l;
	s->cache_n++;
	return l;
}

static void frame_clear_loc(struct kt_frame *f)
{
	free(f->file);
	f->file = NULL;
	f->line = f->column = 0;
	for (size_t i = 0; i < f->n_inlined; i++) {
		free(f->inlined[i].func);
		free(f->inlined[i].file);
	}
	free(f->inlined);
	f->inlined = NULL;
	f->n_inlined = 0;
}

static void frame_set_loc(struct kt_frame *f, const struct loc *l)
{
	const struct kt_inline_frame *out = &l->chain[l->n - 1];

	frame_clear_loc(f);
	f->file = out->file ? kt_xstrdup(out->file) : NULL;
	f->line = out->line;
	f->column = out->column;
	if (l->n > 1) {
		f->n_inlined = l->n - 1;
		f->inlined = kt_xcalloc(f->n_inlined, sizeof(*f->inlined));
		for (size_t i = 0; i < f->n_inlined; i++) {
			f->inlined[i].func = l->chain[i].func ? kt_xstrdup(l->chain[i].func) : NULL;
			f->inlined[i].file = l->chain[i].file ? kt_xstrdup(l->chain[i].file) : NULL;
			f->inlined[i].line = l->chain[i].line;
			f->inlined[i].column = l->chain[i].column;
		}
	}
}

/* ---- frames ------------------------------------------------------------- */

static bool plausible_release(const char *r)
{
	return r && r[0] >= '0' && r[0] <= '9' && strchr(r, '.') && strlen(r) < 128;
}

/* the release a frame is looked up for: the log's, else --release's */
static const char *frame_release(const struct kt_symbolizer *s, const char *release)
{
	if (plausible_release(release))
		return release;
	return plausible_release(s->o.release) ? s->o.release : NULL;
}

static struct kfile *vmlinux_for(struct kt_symbolizer *s, const char *release)
{
	if (s->vmlinux || (s->tried && (s->o.vmlinux || !release ||
					(s->vmlinux_release && !strcmp(s->vmlinux_release, release)))))
		return s->vmlinux && s->vmlinux->mod ? s->vmlinux : NULL;
	if (!s->o.vmlinux && !release) {
		if (!s->warned_norelease)
			sym_msg(s, KT_SYM_INFO, "no kernel release in the log and no --vmlinux: "
				"frames stay unsymbolized");
		s->warned_norelease = true;
		return NULL;
	}
	if (release && !s->o.vmlinux) {
		if (s->failed_next == KT_SYM_FAILED_MAX)
			return NULL;	/* so many kernels, none found: stop looking */
		if (s->failed_last < s->failed_next &&
		    !strcmp(s->failed_release[s->failed_last], release))
			return NULL;	/* searched before, in vain */
		for (unsigned int i = 0; i < s->failed_next; i++)
			if (!strcmp(s->failed_release[i], release)) {
				s->failed_last = i;
				return NULL;
			}
	}
	s->tried = true;
	free(s->vmlinux_release);
	s->vmlinux_release = release ? kt_xstrdup(release) : NULL;
	s->vmlinux = sym_find_vmlinux(s, release, NULL);
	if (!s->vmlinux && release && !s->o.vmlinux)
		s->failed_release[s->failed_next++] = kt_xstrdup(release);
	return s->vmlinux && s->vmlinux->mod ? s->vmlinux : NULL;
}

int kt_symbolize_frame(struct kt_symbolizer *s, struct kt_frame *f, bool at_pc,
		       const char *release, uint64_t kaslr)
{
	struct kfile *kf;
	const struct ksym *y;
	const char *note = NULL;
	struct loc *l;
	uint64_t addr;

	release = frame_release(s, release);
	if (f->module) {
		struct kfile *vm = vmlinux_for(s, release);

		if (!vm && !s->o.modules_dir && !f->build_id)
			return 0;
		if (!release && vm)	/* the log names none: the vmlinux's */
			release = vm->release;
		kf = sym_find_module(s, f->module, f->build_id, release);
	} else {
		kf = vmlinux_for(s, release);
	}
	if (!kf || !kf->mod)
		return 0;
	if (f->func) {
		y = pick_symbol(kf, f->func, f->has_size, f->size, f->offset, &note);
		if (!y) {
			f->sym_note = NOTE_NOSYM;
			return 0;
		}
		addr = y->addr + (f->has_offset ? f->offset : 0);
		if (!at_pc && f->has_offset && f->offset > 0)
			addr--;
	} else if (f->has_address && !f->module) {
		uint64_t a = f->address - kaslr;

		y = sym_by_addr(kf, a);
		if (!y)
			return 0;
		if (!kaslr)
			note = NOTE_KASLR;
		f->func = kt_xstrdup(y->name);
		f->offset = a - y->addr;
		f->has_offset = true;
		f->size = ksize(kf, y);
		f->has_size = f->size != 0;
		addr = at_pc || !f->offset ? a : a - 1;
	} else {
		return 0;
	}
	f->sym_note = note ? note : kf->note;
	l = lookup(s, kf, addr);
	if (!l->n)
		return 0;
	frame_set_loc(f, l);
	return 1;
}

/* ---- reports ------------------------------------------------------------ */

static bool same_frame(const struct kt_frame *a, const struct kt_frame *b)
{
	return a->func && b->func && !strcmp(a->func, b->func) && a->offset == b->offset &&
	       a->has_offset == b->has_offset &&
	       ((!a->module && !b->module) ||
		(a->module && b->module && !strcmp(a->module, b->module)));
}

static bool frame_at_pc(const struct kt_report *r, size_t i)
{
	const struct kt_frame *f = &r->frames[i];

	if (f->type == KT_FRAME_IP)
		return true;
	if (f->type != KT_FRAME_CALL || !r->has_ip)
		return false;
	/* arm64 & co print the faulting pc again as the trace's first frame */
	return (i == 0 || r->frames[i - 1].section != f->section ||
		r->frames[i - 1].type == KT_FRAME_IP) && same_frame(f, &r->ip);
}

static uint64_t parse_hex(const char *s)
{
	char *end;
	unsigned long long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 16);
	return errno || end == s ? 0 : (uint64_t)v;
}

/* KASLR offset for address-only frames: "Kernel Offset:" (if captured),
 * a frame with both symbol and address, or the running kernel. */
static uint64_t report_kaslr(struct kt_symbolizer *s, const struct kt_report *r,
			     struct kfile *kf)
{
	uint64_t off = parse_hex(kt_report_field(r, "kernel_offset"));
	const char *note;

	if (off)
		return off;
	for (size_t i = 0; kf && i < r->n_frames; i++) {
		const struct kt_frame *f = &r->frames[i];
		const struct ksym *y;

		if (!f->func || f->module || !f->has_address || !f->has_offset)
			continue;
		y = pick_symbol(kf, f->func, f->has_size, f->size, f->offset, &note);
		if (y && !note)
			return f->address - (y->addr + f->offset);
	}
	if (s->o.live)
		return sym_live_kaslr(s);
	return 0;
}

int kt_symbolize_report(struct kt_symbolizer *s, struct kt_report *r)
{
	const char *release = plausible_release(r->kernel) ? r->kernel : NULL;
	bool need_kaslr = false, other = false;
	uint64_t kaslr = 0;
	size_t named = 0, bad = 0;
	struct kfile *vm;
	bool none;
	int done = 0;

	if (!r->n_frames && !r->has_ip && !r->has_guilty)
		return 0;
	for (size_t i = 0; i < r->n_frames; i++)
		if (!r->frames[i].func && r->frames[i].has_address)
			need_kaslr = true;
	vm = vmlinux_for(s, release ? release : s->o.release);
	if (vm && release && vm->release && strcmp(release, vm->release)) {
		other = true;
		sym_msg(s, KT_SYM_WARNING, "warning: the log is of kernel %s, but '%s' is %s: "
			"its locations are unreliable", release, vm->path, vm->release);
	}
	if (need_kaslr)
		kaslr = report_kaslr(s, r, vm);
	/* no vmlinux and no modules directory: only a module frame with a
	 * build id can be found (kt_symbolize_frame() would say no to the
	 * rest, but only after a search of the kernels tried before) */
	none = !s->o.modules_dir && !vmlinux_for(s, frame_release(s, release));
	for (size_t i = 0; i < r->n_frames; i++) {
		struct kt_frame *f = &r->frames[i];

		if (!none || (f->module && f->build_id))
			done += kt_symbolize_frame(s, f, frame_at_pc(r, i), release, kaslr);
		/* (the counts are only for a vmlinux's fit) */
		if (vm && f->func && !f->module) {
			named++;
			if (f->sym_note == NOTE_NOSYM || f->sym_note == NOTE_SIZE)
				bad++;
			if (other && !f->sym_note)
				f->sym_note = NOTE_RELEASE;
		}
	}
	if (r->has_ip) {
		kt_symbolize_frame(s, &r->ip, true, release, kaslr);
		if (other && !r->ip.module && !r->ip.sym_note)
			r->ip.sym_note = NOTE_RELEASE;
	}
	if (r->has_guilty) {
		bool pc = r->has_ip && same_frame(&r->guilty, &r->ip);

		kt_symbolize_frame(s, &r->guilty, pc, release, kaslr);
		if (other && !r->guilty.module && !r->guilty.sym_note)
			r->guilty.sym_note = NOTE_RELEASE;
	}
	if (vm && named >= 2 && bad * 2 >= named)
		sym_msg(s, KT_SYM_WARNING, "warning: '%s' does not fit this log: %zu of %zu "
			"functions are missing or have another size (wrong kernel or "
			"architecture?): locations are unreliable", vm->path, bad, named);
	return done;
}

/* ---- paths -------------------------------------------------------------- */

static bool kernel_top_dir(const char *p)
{
	static const char *const dirs[] = {
		"arch/", "block/", "certs/", "crypto/", "drivers/", "fs/", "include/", "init/",
		"io_uring/", "ipc/", "kernel/", "lib/", "mm/", "net/", "rust/", "samples/",
		"scripts/", "security/", "sound/", "tools/", "usr/", "virt/",
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(p, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

static const char *skip_dot(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/' && p[1] == '/')
		p++;
	return p;
}

const char *kt_symbolize_strip(const char *path, const char *comp_dir, const char *prefix)
{
	size_t n;

	if (!path)
		return NULL;
	if (prefix) {
		n = strlen(prefix);
		while (n > 1 && prefix[n - 1] == '/')
			n--;
		if (n && !strncmp(path, prefix, n) && (path[n] == '/' || prefix[n] == '/'))
			return skip_dot(path + n + (path[n] == '/'));
		return path;
	}
	path = skip_dot(path);
	if (kernel_top_dir(path) || !comp_dir || !*comp_dir)
		return path;
	/* comp_dir, then its parents (never "/" or "") */
	n = strlen(comp_dir);
	while (n > 0 && comp_dir[n - 1] == '/')
		n--;
	while (n > 0) {
		if (!(n == 1 && comp_dir[0] == '/') && !strncmp(path, comp_dir, n) &&
		    path[n] == '/' && kernel_top_dir(skip_dot(path + n + 1)))
			return skip_dot(path + n + 1);
		while (n > 0 && comp_dir[n - 1] != '/')
			n--;
		while (n > 0 && comp_dir[n - 1] == '/')
			n--;
	}
	return path;
}
