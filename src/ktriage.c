// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktriage.c - main: options -> pipeline -> exit status.  The only place that
 * prints errors or chooses how the program ends.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sched_getaffinity */
#endif
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "kt-escape.h"
#include "kt-journal.h"
#include "kt-kmsg-cursor.h"
#include "kt-options.h"
#include "kt-output.h"
#include "kt-pipeline.h"
#include "kt-prefetch.h"
#include "kt-pstore.h"
#include "kt-reader.h"
#include "kt-render.h"
#include "kt-sink.h"
#include "kt-summary.h"
#include "kt-symbolize.h"
#include "kt-xalloc.h"

static volatile int stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

#define HOLD_MAX 32

struct run {
	const struct kt_options *opt;
	struct kt_output out;
	struct kt_text_style style;
	struct kt_pipeline *pipe;
	struct kt_pipeline_config pc;	/* kept for SIGHUP reloads */
	struct kt_summary *summary;
	struct kt_sinks *sinks;
	/* JSON from a file: up to HOLD_MAX finished reports are held and
	 * written in input order (interleaved contexts close out of order) */
	bool hold_reports;
	struct kt_report **held;
	size_t n_held;
	int status;
	bool found;		/* something --fail-on names was seen */
	bool progress;		/* stderr is a terminal and not --quiet */
	/* --kmsg --cursor-file: where the last run stopped, and how far we got */
	struct kt_kmsg_cursor kcur;
	bool kcur_dirty;
	uint64_t n_reports;
	struct kt_symbolizer *sym;	/* created on the first report with frames */
	struct utsname uts;
};

/* Where the shipped rules are: $KTRIAGE_RULES_DIR, the source tree when run
 * from a build tree (src/ktriage -> ../rules), or the installed copy. */
static const char *rules_dir(char *buf, size_t size)
{
	const char *env = getenv("KTRIAGE_RULES_DIR");
	char exe[4096];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, size, "%s/../rules", exe);
			if (access(buf, R_OK) == 0 &&
			    snprintf(exe + strlen(exe), sizeof(exe) - strlen(exe),
				     "/../rules/reports.yaml") > 0 && access(exe, R_OK) == 0)
				return buf;
		}
	}
	return KT_PKGDATADIR "/rules";
}

static bool category_wanted(const char *list, const char *cat)
{
	size_t cl;

	if (!list)
		return true;
	if (!cat)
		return false;
	cl = strlen(cat);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == cl && !memcmp(p, cat, cl))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/* Is word (case-insensitive) in the comma list? */
static bool in_list_nocase(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == wl && !strncasecmp(p, word, wl))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static void emit_report(struct run *run, struct kt_report *r)
{
	if (run->opt->format == KT_OUTPUT_JSON) {
		kt_report_to_json(r, &run->out.buf);
		kt_strbuf_addch(&run->out.buf, '\n');
	} else {
		kt_render_text_report(&run->out.buf, r, &run->style);
	}
	kt_output_commit(&run->out);
}

/* Symbolizer diagnostics: stderr in text mode; in JSON mode a
 * {"type":"symbolizer"} object (warnings and errors also on stderr). */
static void on_sym_message(enum kt_sym_severity sev, const char *msg, void *userdata)
{
	static const char *const sevname[] = { "info", "warning", "error" };
	struct run *run = userdata;

	if (run->opt->format != KT_OUTPUT_JSON || sev != KT_SYM_INFO)
		fprintf(stderr, "ktriage: %s\n", msg);
	if (run->opt->format != KT_OUTPUT_JSON)
		return;
	kt_strbuf_addf(&run->out.buf, "{\"type\":\"symbolizer\",\"severity\":\"%s\","
		       "\"message\":\"", sevname[sev]);
	kt_escape_json(&run->out.buf, msg, strlen(msg));
	kt_strbuf_addstr(&run->out.buf, "\",\"vmlinux\":");
	if (kt_symbolizer_vmlinux(run->sym)) {
		const char *v = kt_symbolizer_vmlinux(run->sym);

		kt_strbuf_addch(&run->out.buf, '"');
		kt_escape_json(&run->out.buf, v, strlen(v));
		kt_strbuf_addstr(&run->out.buf, "\"}\n");
	} else {
		kt_strbuf_addstr(&run->out.buf, "null}\n");
	}
}

static void symbolize(struct run *run, struct kt_report *r)
{
	const struct kt_options *o = run->opt;

	if (o->no_symbolize || (!r->n_frames && !r->has_ip))
		return;
	if (!run->sym) {
		/* the running kernel: kmsg, or the local journal */
		bool live = o->kmsg || (o->journal && !o->journal_file && !o->journal_dir);
		struct kt_symbolizer_opts so = {
			.vmlinux = o->vmlinux, .modules_dir = o->modules_dir,
			.strip_prefix = o->strip_prefix, .live = live,
			.release = live && uname(&run->uts) == 0 ? run->uts.release : NULL,
			.message = on_sym_message, .userdata = run,
		};

		run->sym = kt_symbolizer_new(&so);
	}
	kt_symbolize_report(run->sym, r);
}

static void emit_held_reports(struct run *run);

static int on_report(struct kt_report *r, void *userdata)
{
	struct run *run = userdata;

	run->n_reports++;
	if (run->opt->fail_report || (run->opt->fail_kinds && r->kind &&
				      in_list_nocase(run->opt->fail_kinds, r->kind)))
		run->found = true;

	/* symbolized first: the journal entry and the summary show file:line */
	symbolize(run, r);
	if (run->sinks)
		kt_sinks_report(run->sinks, r);
	if (run->summary)
		kt_summary_add_report(run->summary, r);
	if (run->opt->summary || !category_wanted(run->opt->categories, "crash"))
		return 0;
	if (run->hold_reports) {
		/*
		 * Reports of interleaved contexts close out of order; a small
		 * window puts them back in input order (memory stays bounded).
		 */
		if (run->n_held == HOLD_MAX)
			emit_held_reports(run);
		if (!run->held)
			run->held = kt_xcalloc(HOLD_MAX, sizeof(*run->held));
		run->held[run->n_held++] = r;
		return KT_REPORT_KEEP;
	}
	emit_report(run, r);
	return 0;
}

static int cmp_report_pos(const void *a, const void *b)
{
	const struct kt_report *x = *(struct kt_report *const *)a;
	const struct kt_report *y = *(struct kt_report *const *)b;

	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static void emit_held_reports(struct run *run)
{
	if (run->n_held == 0)	/* run->held may still be NULL: not for qsort */
		return;
	qsort(run->held, run->n_held, sizeof(*run->held), cmp_report_pos);
	for (size_t i = 0; i < run->n_held; i++) {
		emit_report(run, run->held[i]);
		kt_report_free(run->held[i]);
	}
	run->n_held = 0;
}

static void errmsg(const char *what, const char *name, const char *why)
{
	fprintf(stderr, "ktriage: %s '%s': %s\n", what, name, why);
}

static bool keep_line(const struct kt_options *o, const struct kt_line *l)
{
	if (o->level_mask) {
		if (l->level == KT_LEVEL_UNKNOWN ? !(o->level_mask & KT_LEVEL_MASK_UNKNOWN)
						 : !(o->level_mask & (1u << l->level)))
			return false;
	}
	if (o->facility_mask &&
	    (l->facility < 0 || !(o->facility_mask & (1u << l->facility))))
		return false;
	if (o->since_usec != KT_TIME_NONE &&
	    (l->mono_usec == KT_TIME_NONE || l->mono_usec < o->since_usec))
		return false;
	if (o->until_usec != KT_TIME_NONE &&
	    (l->mono_usec == KT_TIME_NONE || l->mono_usec > o->until_usec))
		return false;
	return true;
}

/* keep_line() as the report thread asks it (the options are read only) */
static bool keep_line_cb(const struct kt_line *l, const void *userdata)
{
	return keep_line(userdata, l);
}

static unsigned int usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return (unsigned int)CPU_COUNT(&set);
}

/*
 * Reports of a file are assembled in a thread of their own, which reads the
 * file a second time: with --threads=2, or by default on two or more CPUs.
 * True when that thread runs.
 */
static bool start_report_thread(struct run *run, struct kt_source *src,
				const struct kt_reader_opts *ro)
{
	const struct kt_options *o = run->opt;
	struct kt_source *again;

	if (!run->pipe || !run->pc.reports || o->threads == 1 ||
	    (o->threads == 0 && usable_cpus() < 2))
		return false;
	if (kt_source_reopen(src, &again) < 0)
		return false;
	return kt_pipeline_split(run->pipe, again, ro, keep_line_cb, o) == 0;
}

static void reload_rules(struct run *run)
{
	struct kt_error kerr;
	char msg[1024];

	if (!run->pipe)
		return;
	kt_error_clear(&kerr);
	if (kt_pipeline_reload_rules(run->pipe, &run->pc, &kerr) < 0) {
		kt_error_format(&kerr, msg, sizeof(msg));
		fprintf(stderr, "ktriage: rules not reloaded, the old ones stay: %s\n", msg);
		return;
	}
	fprintf(stderr, "ktriage: rules reloaded (%zu rules)\n",
		kt_ruleset_count(kt_pipeline_ruleset(run->pipe)));
}

#define PROGRESS_MIN_SIZE (64ull << 20)

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "\rkern.log: 312 MB of 1024 MB (30%), 420 MB/s, 12 reports" on stderr */
static void show_progress(struct run *run, struct kt_reader *r, double start, bool done)
{
	struct kt_source *src = kt_reader_source(r);
	unsigned long long size = src ? kt_source_size(src) : 0, off;
	double el = now_sec() - start;

	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	off = kt_source_offset(src);
	fprintf(stderr, "\r\033[Kktriage: %llu MB of %llu MB (%llu%%), %.0f MB/s, %llu reports",
		off >> 20, size >> 20, size ? off * 100 / size : 0,
		el > 0 ? (double)off / 1048576.0 / el : 0.0, (unsigned long long)run->n_reports);
}

/* 0, or -errno from the reader (reported by the caller), or an output error. */
static int run_reader(struct run *run, struct kt_reader *r, struct kt_prefetch *pf)
{
	const struct kt_options *o = run->opt;
	struct kt_event own;
	const struct kt_event *evp = &own;
	unsigned int boot = 0;
	int e = 0;
	struct kt_source *src = kt_reader_source(r);
	bool progress = run->progress && src && kt_source_size(src) >= PROGRESS_MIN_SIZE;
	double start = progress ? now_sec() : 0, last = start - 1;
	uint64_t tick = 0;
	bool shown = false;

	while (!stop_requested &&
	       (e = pf ? kt_prefetch_next(pf, &evp) : kt_reader_next(r, &own)) > 0) {
		const struct kt_event *ev = evp;
		struct kt_annotation ann;
		bool hit = false;
		int feed = 0;

		if (reload_requested) {
			reload_requested = 0;
			reload_rules(run);
		}
		if (progress && (++tick & 0xffff) == 0 && now_sec() - last >= 0.5) {
			last = now_sec();
			show_progress(run, r, start, false);
			shown = true;
		}
		if (ev->type == KT_EVENT_LINE && o->kmsg && o->cursor_file && ev->line.has_seq) {
			if (run->kcur.valid && ev->line.seq <= run->kcur.seq)
				continue;	/* processed before a restart */
			run->kcur.seq = ev->line.seq;
			run->kcur.valid = true;
			run->kcur_dirty = true;
		}
		if (ev->type == KT_EVENT_LOST) {
			if (run->summary)
				kt_summary_add_lost(run->summary, ev->lost_count);
			if (o->summary)
				continue;
			if (o->format == KT_OUTPUT_JSON)
				kt_render_json_lost(&run->out.buf, ev->line.source ? ev->line.source
							: "kmsg", ev->lost_count, ev->lost_after_seq);
			else
				kt_render_text_lost(&run->out.buf, "kmsg", ev->lost_count,
						    ev->lost_after_seq, &run->style);
		} else {
			if (ev->line.boot != boot && o->format == KT_OUTPUT_TEXT) {
				boot = ev->line.boot;
				kt_render_text_boot(&run->out.buf, ev->line.source, boot,
						    &run->style);
			}
			if (!keep_line(o, &ev->line))
				continue;
			if (run->pipe)
				hit = kt_pipeline_line(run->pipe, &ev->line, &ann, &feed, on_report,
						       run);
			if (o->categories && !category_wanted(o->categories,
							      hit ? ann.category : NULL))
				continue;
			if (o->fail_level != KT_LEVEL_UNKNOWN) {
				int eff = ev->line.level;

				if (hit && ann.severity >= 0 && (eff < 0 || ann.severity < eff))
					eff = ann.severity;
				if (eff >= 0 && eff <= o->fail_level)
					run->found = true;
			}
			/* summary-only runs render a rule's explanation once */
			if (hit && o->summary && (run->sinks ||
						  !kt_summary_knows_rule(run->summary, ann.rule)))
				kt_pipeline_explain(run->pipe, &ann);
			if (hit && run->sinks)
				kt_sinks_finding(run->sinks, &ev->line, &ann);
			if (run->summary)
				kt_summary_add_line(run->summary, &ev->line, hit ? &ann : NULL);
			if (o->summary)
				continue;
			if (o->format == KT_OUTPUT_JSON)
				kt_render_json_message(&run->out.buf, &ev->line, hit ? &ann : NULL);
			else
				kt_render_text_message(&run->out.buf, &ev->line, hit ? &ann : NULL,
						       &run->style);
		}
		if (kt_output_commit(&run->out) < 0)
			return run->out.error;
	}
	if (shown)
		show_progress(run, r, start, true);
	if (run->pipe) {
		/* the report thread's second reading of the file failed or
		 * came short where this one did not */
		int fe = kt_pipeline_flush(run->pipe, on_report, run);

		if (fe < 0 && e >= 0 && !stop_requested) {
			fprintf(stderr, "ktriage: '%s': %s; crash reports may be missing\n",
				src ? kt_source_name(src) : "input",
				fe == -ESTALE ? "the file changed while it was read"
					      : strerror(-fe));
			run->status = KT_EXIT_ERROR;
		}
	}
	emit_held_reports(run);
	if (run->summary)
		kt_summary_end_input(run->summary);
	if (e == -EINTR && stop_requested)
		return 0;
	return e;
}

static int open_source(const struct kt_options *o, const char *path, struct kt_source **ret)
{
	if (!path)
		return kt_source_open_kmsg(o->kmsg_path, o->follow, ret);
	return kt_source_open_file(path, o->follow, ret);
}

static void report_open_error(const struct kt_options *o, const char *path, int e)
{
	if (!path && (e == -EPERM || e == -EACCES)) {
		fprintf(stderr,
			"ktriage: cannot read '%s': %s\n"
			"ktriage: the kernel log is restricted (kernel.dmesg_restrict = 1):\n"
			"ktriage: run as root or with CAP_SYSLOG, e.g. 'sudo ktriage --kmsg',\n"
			"ktriage: or read a saved log file instead\n",
			o->kmsg_path, strerror(-e));
		return;
	}
	errmsg("cannot open", path ? path : o->kmsg_path, strerror(-e));
}

static int run_journal(struct run *run)
{
	const struct kt_options *o = run->opt;
	struct kt_journal_opts jo = {
		.file = o->journal_file, .dir = o->journal_dir, .boot = o->boot,
		.follow = o->follow, .cursor_file = o->cursor_file,
		.interrupt = &stop_requested,
	};
	struct kt_journal *j;
	struct kt_reader *r;
	char err[512];
	int e;

	e = kt_journal_open(&jo, &j, err, sizeof(err));
	if (e < 0) {
		fprintf(stderr, "ktriage: %s\n", err);
		if (e == -EPERM || e == -EACCES)
			fprintf(stderr, "ktriage: reading the journal needs root or membership "
				"of the systemd-journal or adm group\n");
		run->status = KT_EXIT_ERROR;
		return 0;
	}
	if (o->follow)
		run->out.line_buffered = true;
	kt_reader_new_journal(j, &r);
	e = run_reader(run, r, NULL);
	if (e < 0 && e == run->out.error) {
		kt_reader_free(r);
		return e;
	}
	if (e < 0) {
		fprintf(stderr, "ktriage: cannot read the journal: %s\n", strerror(-e));
		run->status = KT_EXIT_ERROR;
	}
	e = kt_journal_save_cursor(j);
	if (e < 0) {
		fprintf(stderr, "ktriage: cannot write cursor file '%s': %s\n", o->cursor_file,
			strerror(-e));
		run->status = KT_EXIT_ERROR;
	}
	kt_reader_free(r);
	return 0;
}

static int run_source(struct run *run, struct kt_source *src, const char *name);

/* --pstore: each saved record is one input, its parts in order. */
static int run_pstore(struct run *run)
{
	struct kt_pstore ps;
	int e = kt_pstore_scan(run->opt->pstore, &ps);

	if (e < 0) {
		errmsg("cannot read pstore directory", run->opt->pstore, strerror(-e));
		run->status = KT_EXIT_ERROR;
		return 0;
	}
	if (!ps.n_records)
		fprintf(stderr, "ktriage: no saved kernel log in '%s'\n", run->opt->pstore);
	for (size_t i = 0; e == 0 && i < ps.n_records; i++) {
		struct kt_source *src;

		kt_source_open_parts(ps.records[i].name, ps.records[i].parts,
				     ps.records[i].n_parts, true, &src);
		e = run_source(run, src, ps.records[i].name);
	}
	kt_pstore_release(&ps);
	return e;
}

static int run_one(struct run *run, const char *path)
{
	const struct kt_options *o = run->opt;
	struct kt_source *src;
	int e;

	e = open_source(o, path, &src);
	if (e < 0) {
		report_open_error(o, path, e);
		run->status = KT_EXIT_ERROR;
		return 0;
	}
	return run_source(run, src, path ? path : o->kmsg_path);
}

/* Read one opened source to its end (takes it over).  0, or an output error. */
static int run_source(struct run *run, struct kt_source *src, const char *name)
{
	const struct kt_options *o = run->opt;
	struct kt_reader_opts ro = { .year = o->year, .max_line = o->max_line };
	struct kt_prefetch *pf = NULL;
	struct kt_prefetch_hook hook;
	bool hooked = run->pipe && kt_pipeline_prefetch_hook(run->pipe, &hook);
	struct kt_reader *r;
	int e;

	kt_source_set_interrupt(src, &stop_requested);
	if (kt_source_is_live(src))
		run->out.line_buffered = true;
	run->hold_reports = o->format == KT_OUTPUT_JSON && !kt_source_is_live(src);
	kt_reader_new(src, &ro, &r);
	/* files: reports assembled in a second thread, or else read and parsed
	 * in a second thread, one batch ahead */
	if (!kt_source_is_live(src) && !start_report_thread(run, src, &ro) &&
	    (!o->max_line || o->max_line <= KT_PREFETCH_ARENA / 2) &&
	    o->threads != 1 && kt_prefetch_new(r, hooked ? &hook : NULL,
							o->threads == 0 ? KT_PREFETCH_WINDOW : 0, &pf) < 0)
		pf = NULL;
	e = run_reader(run, r, pf);
	kt_prefetch_free(pf);
	if (e < 0 && e == run->out.error) {
		kt_reader_free(r);
		return e;
	}
	if (e < 0) {
		if (e == -EBADMSG)
			errmsg("cannot read", name, "corrupt or truncated gzip data");
		else
			errmsg("cannot read", name, strerror(-e));
		if (kt_source_is_kmsg(src) && (e == -EPERM || e == -EACCES))
			report_open_error(o, NULL, e);
		run->status = KT_EXIT_ERROR;
	}
	kt_reader_free(r);
	return 0;
}

static void print_problem(const struct kt_error *problem, void *userdata)
{
	char msg[1024];
	unsigned *count = userdata;

	kt_error_format(problem, msg, sizeof(msg));
	fprintf(stderr, "%s\n", msg);
	(*count)++;
}

/* --check-rules[=PATH]: load, validate, run every example.  0 or 1. */
static int check_rules(const struct kt_options *o)
{
	struct kt_ruleset *rs = NULL;
	struct kt_error kerr;
	char dirbuf[4096], msg[1024];
	unsigned problems = 0;
	int e;

	kt_error_clear(&kerr);
	e = kt_ruleset_new(&rs);
	if (e >= 0) {
		if (o->check_path)
			e = kt_ruleset_add_path(rs, o->check_path, &kerr);
		else
			e = kt_ruleset_load_defaults(rs, rules_dir(dirbuf, sizeof(dirbuf)),
						     KT_SYSCONFDIR "/ktriage/rules.d", &kerr);
	}
	for (size_t i = 0; e >= 0 && i < o->n_rule_paths; i++)
		e = kt_ruleset_add_path(rs, o->rule_paths[i], &kerr);
	if (e >= 0)
		e = kt_ruleset_compile(rs, &kerr);
	if (e < 0) {
		kt_error_format(&kerr, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		kt_ruleset_free(rs);
		return KT_EXIT_FOUND;
	}
	kt_ruleset_check(rs, print_problem, &problems);
	printf("%zu rules in %zu files, %zu examples checked, %u problems\n",
	       kt_ruleset_count(rs), kt_ruleset_file_count(rs), kt_ruleset_examples_checked(rs),
	       problems);
	kt_ruleset_free(rs);
	return problems ? KT_EXIT_FOUND : KT_EXIT_OK;
}

static int print_why(const struct kt_why *w, void *userdata)
{
	const char *lit = w->literal;

	(void)userdata;
	printf("%-40s %-10s", kt_rule_id(w->rule), kt_why_result_name(w->result));
	if (w->result == KT_WHY_PREFILTER && lit)
		printf(" (needs \"%s\")", lit);
	if (w->winner)
		printf(" <- chosen (first match in rule order)");
	putchar('\n');
	return 0;
}

static int explain_why(struct kt_pipeline *p, const char *text)
{
	struct kt_classifier *c = kt_pipeline_classifier(p);

	if (!c)
		return KT_EXIT_ERROR;
	kt_classify_why(c, text, strlen(text), NULL, 0, print_why, NULL);
	return fflush(stdout) == 0 ? KT_EXIT_OK : KT_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	struct kt_options opt;
	struct kt_strbuf err = KT_STRBUF_INIT;
	struct run run = { 0 };
	struct sigaction sa = { 0 };
	char dirbuf[4096];
	int e = 0;

	kt_strbuf_init(&err, 128);
	if (kt_options_parse(argc, argv, isatty(STDIN_FILENO), &opt, &err) < 0) {
		fprintf(stderr, "ktriage: %s\nTry 'ktriage --help' for more information.\n",
			err.buf);
		kt_strbuf_release(&err);
		kt_options_release(&opt);
		return KT_EXIT_USAGE;
	}
	kt_strbuf_release(&err);
	if (opt.help || opt.version) {
		fputs(opt.help ? kt_usage_text() : PACKAGE_NAME " " PACKAGE_VERSION "\n", stdout);
#ifdef KT_SANITIZERS
		/* tests skip their RSS limits in a sanitized build */
		if (opt.version)
			fputs("sanitizers: " KT_SANITIZERS "\n", stdout);
#endif
		kt_options_release(&opt);
		return fflush(stdout) == 0 ? KT_EXIT_OK : KT_EXIT_ERROR;
	}

	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* SIGHUP: reload the rules; reads restart, the position is kept */
	sa.sa_handler = on_hup;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);

	run.opt = &opt;
	if (opt.check_rules)
		return check_rules(&opt);
	if (!opt.no_rules || !opt.no_reports || opt.why) {
		struct kt_pipeline_config pc = {
			.rule_paths = (const char *const *)opt.rule_paths,
			.n_rule_paths = opt.n_rule_paths,
			.default_rules = !opt.no_default_rules,
			.rules_dir = rules_dir(dirbuf, sizeof(dirbuf)),
			.etc_rules_dir = KT_SYSCONFDIR "/ktriage/rules.d",
			.classify = !opt.no_rules || opt.why,
			.reports = !opt.no_reports && !opt.why,
		};
		struct kt_error kerr;

		kt_error_clear(&kerr);
		run.pc = pc;
		if (kt_pipeline_new(&pc, &run.pipe, &kerr) < 0) {
			char msg[1024];

			kt_error_format(&kerr, msg, sizeof(msg));
			fprintf(stderr, "ktriage: %s\n", msg);
			kt_options_release(&opt);
			return KT_EXIT_ERROR;
		}
	}
	if (opt.why) {
		e = explain_why(run.pipe, opt.why);
		kt_pipeline_free(run.pipe);
		kt_options_release(&opt);
		return e;
	}
	if (opt.summary) {
		run.summary = kt_summary_new(0);
		if (run.pipe)
			kt_pipeline_set_lazy_explain(run.pipe, true);
	}
	if (opt.to_journal || opt.to_syslog) {
		struct kt_sink_opts so = {
			.journal = opt.to_journal, .syslog = opt.to_syslog,
			.syslog_facility = opt.syslog_facility, .level = opt.sink_level,
			.journal_socket = getenv("KTRIAGE_JOURNAL_SOCKET"),
			.syslog_socket = getenv("KTRIAGE_SYSLOG_SOCKET"),
		};
		char serr[512];

		if (kt_sinks_new(&so, &run.sinks, serr, sizeof(serr)) < 0) {
			fprintf(stderr, "ktriage: %s\n", serr);
			kt_pipeline_free(run.pipe);
			kt_summary_free(run.summary);
			kt_options_release(&opt);
			return KT_EXIT_ERROR;
		}
	}
	kt_output_init(&run.out, STDOUT_FILENO);
	run.style.explain = opt.explain;
	run.progress = !opt.quiet && isatty(STDERR_FILENO);
	run.style.color = opt.format == KT_OUTPUT_TEXT &&
			  (opt.color == KT_COLOR_ALWAYS ||
			   (opt.color == KT_COLOR_AUTO && isatty(STDOUT_FILENO)));

	if (opt.kmsg && opt.cursor_file) {
		int ce = kt_kmsg_cursor_load(opt.cursor_file, getenv("KTRIAGE_BOOT_ID_FILE"),
					     &run.kcur);

		if (ce < 0) {
			errmsg("cannot read cursor file", opt.cursor_file, strerror(-ce));
			run.status = KT_EXIT_ERROR;
		}
	}
	if (opt.journal)
		e = run_journal(&run);
	else if (opt.pstore)
		e = run_pstore(&run);
	else if (opt.kmsg)
		e = run_one(&run, NULL);
	for (size_t i = 0; e == 0 && i < opt.nfiles; i++)
		e = run_one(&run, opt.files[i]);
	if (run.kcur_dirty) {
		int ce = kt_kmsg_cursor_save(opt.cursor_file, &run.kcur);

		if (ce < 0) {
			errmsg("cannot write cursor file", opt.cursor_file, strerror(-ce));
			run.status = KT_EXIT_ERROR;
		}
	}
	if (run.status == KT_EXIT_OK && run.found)
		run.status = KT_EXIT_FOUND;
	if (e == 0 && run.summary) {
		if (opt.format == KT_OUTPUT_JSON)
			kt_summary_render_json(run.summary, &run.out.buf, run.status);
		else
			kt_summary_render_text(run.summary, &run.out.buf, &run.style);
	}
	if (e == 0)
		e = kt_output_flush(&run.out);
	if (run.pipe && kt_pipeline_limit_hits(run.pipe))
		fprintf(stderr, "ktriage: %llu rule matches stopped at the pcre2 match limit "
			"(a pattern backtracks too much on some lines)\n",
			(unsigned long long)kt_pipeline_limit_hits(run.pipe));
	if (run.sinks && kt_sinks_error(run.sinks) < 0) {
		fprintf(stderr, "ktriage: cannot send to the journal: %s\n",
			strerror(-kt_sinks_error(run.sinks)));
		if (run.status != KT_EXIT_ERROR)
			run.status = KT_EXIT_ERROR;
	}
	if (kt_symbolizer_failed(run.sym) && run.status != KT_EXIT_ERROR)
		run.status = KT_EXIT_ERROR;	/* --vmlinux/--modules unusable */
	kt_symbolizer_free(run.sym);
	kt_sinks_free(run.sinks);
	free(run.held);
	kt_summary_free(run.summary);
	kt_pipeline_free(run.pipe);
	kt_output_release(&run.out);
	kt_options_release(&opt);
	if (e == -EPIPE)
		return run.status;	/* reader went away: end quietly */
	if (e < 0) {
		fprintf(stderr, "ktriage: cannot write output: %s\n", strerror(-e));
		return KT_EXIT_ERROR;
	}
	return run.status;
}
