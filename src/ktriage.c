// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktriage.c - main: options -> pipeline -> exit status.  The only place that
 * prints errors or chooses how the program ends.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kt-options.h"
#include "kt-output.h"
#include "kt-reader.h"
#include "kt-render.h"

static volatile int stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run {
	const struct kt_options *opt;
	struct kt_output out;
	struct kt_text_style style;
	int status;
};

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

/* 0, or -errno from the reader (reported by the caller), or an output error. */
static int run_reader(struct run *run, struct kt_reader *r)
{
	const struct kt_options *o = run->opt;
	struct kt_event ev;
	unsigned int boot = 0;
	int e = 0;

	while (!stop_requested && (e = kt_reader_next(r, &ev)) > 0) {
		if (ev.type == KT_EVENT_LOST) {
			if (o->format == KT_OUTPUT_JSON)
				kt_render_json_lost(&run->out.buf, ev.line.source ? ev.line.source
							: "kmsg", ev.lost_count, ev.lost_after_seq);
			else
				kt_render_text_lost(&run->out.buf, "kmsg", ev.lost_count,
						    ev.lost_after_seq, &run->style);
		} else {
			if (ev.line.boot != boot && o->format == KT_OUTPUT_TEXT) {
				boot = ev.line.boot;
				kt_render_text_boot(&run->out.buf, ev.line.source, boot,
						    &run->style);
			}
			if (!keep_line(o, &ev.line))
				continue;
			if (o->format == KT_OUTPUT_JSON)
				kt_render_json_message(&run->out.buf, &ev.line, NULL);
			else
				kt_render_text_message(&run->out.buf, &ev.line, NULL,
						       &run->style);
		}
		if (kt_output_commit(&run->out) < 0)
			return run->out.error;
	}
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

static int run_one(struct run *run, const char *path)
{
	const struct kt_options *o = run->opt;
	struct kt_reader_opts ro = { .year = o->year, .max_line = o->max_line };
	struct kt_source *src;
	struct kt_reader *r;
	int e;

	e = open_source(o, path, &src);
	if (e < 0) {
		report_open_error(o, path, e);
		run->status = KT_EXIT_ERROR;
		return 0;
	}
	kt_source_set_interrupt(src, &stop_requested);
	if (kt_source_is_live(src))
		run->out.line_buffered = true;
	kt_reader_new(src, &ro, &r);
	e = run_reader(run, r);
	if (e < 0 && e == run->out.error) {
		kt_reader_free(r);
		return e;
	}
	if (e < 0) {
		if (e == -EBADMSG)
			errmsg("cannot read", path ? path : o->kmsg_path,
			       "corrupt or truncated gzip data");
		else
			errmsg("cannot read", path ? path : o->kmsg_path, strerror(-e));
		if (!path && (e == -EPERM || e == -EACCES))
			report_open_error(o, path, e);
		run->status = KT_EXIT_ERROR;
	}
	kt_reader_free(r);
	return 0;
}

int main(int argc, char **argv)
{
	struct kt_options opt;
	struct kt_strbuf err = KT_STRBUF_INIT;
	struct run run = { 0 };
	struct sigaction sa = { 0 };
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
		kt_options_release(&opt);
		return fflush(stdout) == 0 ? KT_EXIT_OK : KT_EXIT_ERROR;
	}

	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	run.opt = &opt;
	kt_output_init(&run.out, STDOUT_FILENO);
	run.style.color = opt.format == KT_OUTPUT_TEXT &&
			  (opt.color == KT_COLOR_ALWAYS ||
			   (opt.color == KT_COLOR_AUTO && isatty(STDOUT_FILENO)));

	if (opt.kmsg)
		e = run_one(&run, NULL);
	for (size_t i = 0; e == 0 && i < opt.nfiles; i++)
		e = run_one(&run, opt.files[i]);
	if (e == 0)
		e = kt_output_flush(&run.out);
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
