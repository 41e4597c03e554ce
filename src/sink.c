// SPDX-License-Identifier: GPL-2.0-or-later
/* sink.c - findings to the journal and to syslog. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "kt-escape.h"
#include "kt-sink.h"
#include "kt-strbuf.h"
#include "kt-xalloc.h"

struct kt_sinks {
	struct kt_sink_opts opts;
	int sock;		/* syslog_socket: our own datagram socket, or -1 */
	struct kt_strbuf a, b, c, d;
	int error;
	unsigned long sent;
};

/* two FNV-1a 64-bit hashes with different offsets: a stable 128-bit id */
static void id128(const char *ns, const char *name, char ret[33])
{
	uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
	const char *parts[2] = { ns, name ? name : "" };

	for (int k = 0; k < 2; k++)
		for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
			h1 = (h1 ^ *p) * 0x100000001b3ULL;
			h2 = (h2 ^ *p) * 0x100000001b3ULL;
			h2 ^= h2 >> 29;
		}
	snprintf(ret, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

void kt_message_id_report(const char *kind, char ret[33])
{
	id128("ktriage:report:", kind, ret);
}

void kt_message_id_finding(const char *category, char ret[33])
{
	id128("ktriage:finding:", category, ret);
}

int kt_sinks_new(const struct kt_sink_opts *opts, struct kt_sinks **ret, char *err, size_t errlen)
{
	struct kt_sinks *s;

	if (opts->journal) {
		const char *sock = opts->journal_socket ? opts->journal_socket
							: "/run/systemd/journal/socket";
		struct stat st;

		if (stat(sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "cannot send to the journal: no socket at '%s' "
				 "(is systemd-journald running?)", sock);
			return -ENOENT;
		}
	}
	s = kt_xcalloc(1, sizeof(*s));
	s->opts = *opts;
	kt_strbuf_init(&s->a, 256);
	kt_strbuf_init(&s->b, 256);
	kt_strbuf_init(&s->c, 64);
	kt_strbuf_init(&s->d, 64);
	s->sock = -1;
	if (opts->syslog && opts->syslog_socket) {
		s->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s->sock < 0) {
			int e = errno;

			snprintf(err, errlen, "cannot create a syslog socket: %s", strerror(e));
			kt_sinks_free(s);
			return -e;
		}
	} else if (opts->syslog) {
		openlog("ktriage", LOG_PID | LOG_NDELAY, opts->syslog_facility << 3);
	}
	*ret = s;
	return 0;
}

void kt_sinks_free(struct kt_sinks *s)
{
	if (!s)
		return;
	if (s->sock >= 0)
		close(s->sock);
	else if (s->opts.syslog)
		closelog();
	kt_strbuf_release(&s->a);
	kt_strbuf_release(&s->b);
	kt_strbuf_release(&s->c);
	kt_strbuf_release(&s->d);
	free(s);
}

int kt_sinks_error(const struct kt_sinks *s)
{
	return s->error;
}

unsigned long kt_sinks_sent(const struct kt_sinks *s)
{
	return s->sent;
}

static void set(struct kt_strbuf *sb, const char *p, size_t len)
{
	kt_strbuf_reset(sb);
	if (p)
		kt_strbuf_add(sb, p, len);
}

/* key="value" for syslog, value escaped for a terminal and quotes doubled */
static void kv(struct kt_strbuf *out, const char *key, const char *v, size_t len)
{
	struct kt_strbuf tmp = KT_STRBUF_INIT;

	if (!v)
		return;
	kt_strbuf_init(&tmp, len + 16);
	kt_escape_term(&tmp, v, len);
	kt_strbuf_addf(out, " %s=\"", key);
	for (size_t i = 0; i < tmp.len; i++) {
		if (tmp.buf[i] == '"')
			kt_strbuf_addch(out, '\\');
		kt_strbuf_addch(out, tmp.buf[i]);
	}
	kt_strbuf_addch(out, '"');
	kt_strbuf_release(&tmp);
}

/*
 * syslog(3) always writes to /dev/log; with syslog_socket (tests, chroots)
 * the same RFC 3164 datagram goes to that socket instead.
 */
static void send_syslog(struct kt_sinks *s, int prio, const char *msg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char head[96], stamp[32];
	struct kt_strbuf d = KT_STRBUF_INIT;
	time_t now = time(NULL);
	struct tm tm;

	if (s->sock < 0) {
		syslog(prio, "%s", msg);
		s->sent++;
		return;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	snprintf(head, sizeof(head), "<%d>%s ktriage[%d]: ", (s->opts.syslog_facility << 3) | prio,
		 stamp, (int)getpid());
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->opts.syslog_socket);
	kt_strbuf_init(&d, 256);
	kt_strbuf_addstr(&d, head);
	kt_strbuf_addstr(&d, msg);
	if (sendto(s->sock, d.buf, d.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (!s->error)
			s->error = -errno;
	} else {
		s->sent++;
	}
	kt_strbuf_release(&d);
}

static void note(struct kt_sinks *s, int r)
{
	if (r < 0 && !s->error)
		s->error = r;
	else if (r >= 0)
		s->sent++;
}

void kt_sinks_finding(struct kt_sinks *s, const struct kt_line *l, const struct kt_annotation *ann)
{
	int sev = ann->severity;
	char mid[33];

	if (l->level >= 0 && (sev < 0 || l->level < sev))
		sev = l->level;
	if (sev < 0 || sev > s->opts.level)
		return;
	kt_message_id_finding(ann->category, mid);
	/* MESSAGE: the explanation; the original text goes in its own field */
	if (ann->explanation)
		set(&s->a, ann->explanation, ann->explanation_len);
	else
		set(&s->a, l->text, l->text_len);
	set(&s->b, l->text, l->text_len);
	if (s->opts.journal)
		note(s, sd_journal_send("MESSAGE=%s", s->a.buf, "PRIORITY=%d", sev,
					"MESSAGE_ID=%s", mid, "KTRIAGE_TYPE=finding",
					"KTRIAGE_RULE=%s", ann->rule ? ann->rule : "",
					"KTRIAGE_CATEGORY=%s", ann->category ? ann->category : "",
					"KTRIAGE_TEXT=%s", s->b.buf,
					"KTRIAGE_SOURCE=%s", l->source ? l->source : "",
					"KTRIAGE_ADVICE=%s", ann->advice ? ann->advice : "",
					NULL));
	if (s->opts.syslog) {
		kt_strbuf_reset(&s->c);
		kt_strbuf_addstr(&s->c, "finding");
		kv(&s->c, "rule", ann->rule, ann->rule ? strlen(ann->rule) : 0);
		kv(&s->c, "category", ann->category, ann->category ? strlen(ann->category) : 0);
		kv(&s->c, "severity", kt_level_name(sev), strlen(kt_level_name(sev)));
		kv(&s->c, "explanation", s->a.buf, s->a.len);
		kv(&s->c, "text", l->text, l->text_len);
		send_syslog(s, sev, s->c.buf);
	}
}

static void frame_str(struct kt_strbuf *out, const struct kt_frame *f)
{
	kt_strbuf_reset(out);
	if (!f->func)
		return;
	kt_strbuf_addstr(out, f->func);
	if (f->has_offset && f->has_size)
		kt_strbuf_addf(out, "+0x%llx/0x%llx", (unsigned long long)f->offset,
			       (unsigned long long)f->size);
	if (f->module)
		kt_strbuf_addf(out, " [%s]", f->module);
	if (f->file)
		kt_strbuf_addf(out, " %s:%u", f->file, f->line);
}

void kt_sinks_report(struct kt_sinks *s, const struct kt_report *r)
{
	const char *title = r->title ? r->title : "kernel crash report";
	const struct kt_frame *top = r->has_guilty ? &r->guilty : r->n_frames ? &r->frames[0] : NULL;
	char mid[33];
	int prio = LOG_CRIT;

	kt_message_id_report(r->kind, mid);
	if (top)
		frame_str(&s->d, top);
	else
		kt_strbuf_reset(&s->d);
	if (s->opts.journal)
		note(s, sd_journal_send("MESSAGE=%s", title, "PRIORITY=%d", prio,
					"MESSAGE_ID=%s", mid, "KTRIAGE_TYPE=report",
					"KTRIAGE_KIND=%s", r->kind ? r->kind : "",
					"KTRIAGE_TITLE=%s", title,
					"KTRIAGE_SIGNATURE=%s", r->signature,
					"KTRIAGE_GUILTY=%s", r->has_guilty && r->guilty.func ?
						r->guilty.func : "",
					"KTRIAGE_FRAME=%s", s->d.buf,
					"KTRIAGE_CORRUPTED=%d", r->corrupted ? 1 : 0,
					"KTRIAGE_TAINT=%s", r->taint ? r->taint : "",
					"KTRIAGE_KERNEL=%s", r->kernel ? r->kernel : "",
					"KTRIAGE_SOURCE=%s", r->source ? r->source : "",
					NULL));
	if (s->opts.syslog) {
		kt_strbuf_reset(&s->c);
		kt_strbuf_addstr(&s->c, "report");
		kv(&s->c, "kind", r->kind, r->kind ? strlen(r->kind) : 0);
		kv(&s->c, "signature", r->signature, strlen(r->signature));
		kv(&s->c, "title", title, strlen(title));
		kv(&s->c, "frame", s->d.buf, s->d.len);
		send_syslog(s, prio, s->c.buf);
	}
}
