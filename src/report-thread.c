// SPDX-License-Identifier: GPL-2.0-or-later
/* report-thread.c - crash reports assembled in a thread reading the same file. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kt-report-thread.h"
#include "kt-xalloc.h"
#include "report-internal.h"

#define QUEUE KT_REPORT_THREAD_QUEUE
#define FLUSHED UINT64_MAX	/* a report completed at the end of input */
#define FED_ALL (UINT64_MAX - 1)	/* fed: every line it ever will */

/*
 * The thread feeds lines and publishes how many (fed); a report completed
 * while feeding line k goes into a ring (one producer, one consumer) with
 * at = k before fed becomes k.  So once the caller has read fed >= n, every
 * report of a line up to n is in the ring, and the caller needs to look at
 * the thread's counters only when it passes the count it read last, which
 * is rarely while the thread runs ahead.  When its input ends, the thread
 * sets fed to FED_ALL before it completes the open reports: no line
 * completes any report after that, and those it completes then (at =
 * FLUSHED) wait for kt_report_thread_finish().  Waiting is on a mutex and two
 * condition variables, and only a thread that says it sleeps is woken
 * (waking costs a system call).  Members each side writes often sit on
 * cache lines of their own.
 */
struct entry {
	uint64_t at;		/* the line that completed it, or FLUSHED */
	struct kt_report *r;
};

struct kt_report_thread {
	struct kt_source *src;		/* until the thread takes it */
	struct kt_reader_opts ro;
	const struct kt_report_defs *defs;
	kt_line_filter keep;
	const void *keep_data;
	pthread_t thread;
	bool joined;
	pthread_mutex_t lock;
	pthread_cond_t wake_caller, wake_thread;
	struct entry q[QUEUE];
	/* written by the caller */
	_Alignas(64) atomic_size_t tail;
	atomic_uint_fast64_t limit;	/* feed no more lines than this */
	atomic_bool stop;		/* drop everything and end */
	atomic_bool caller_waits;
	/* the caller's own */
	uint64_t fed_seen;		/* fed, as last read */
	size_t head_seen;
	/* written by the thread */
	_Alignas(64) atomic_uint_fast64_t fed;
	atomic_size_t head;
	atomic_bool ended;		/* flushed: nothing more comes */
	atomic_bool thread_waits;
	int error;			/* the reader's, read after ended */
	/* the thread's own */
	struct kt_assembler *a;
	size_t tail_seen;
	uint64_t n;			/* lines fed (read by the caller once joined) */
};

/* wake the other side if it sleeps (*waits): once, however often asked */
static void wake(struct kt_report_thread *t, atomic_bool *waits, pthread_cond_t *c)
{
	pthread_mutex_lock(&t->lock);
	if (atomic_load(waits)) {
		atomic_store(waits, false);
		pthread_cond_signal(c);
	}
	pthread_mutex_unlock(&t->lock);
}

/* thread: room in the ring for one more, or false when told to stop */
static bool wait_room(struct kt_report_thread *t, size_t head)
{
	while (head - t->tail_seen >= QUEUE) {
		t->tail_seen = atomic_load_explicit(&t->tail, memory_order_acquire);
		if (head - t->tail_seen < QUEUE)
			break;
		pthread_mutex_lock(&t->lock);
		atomic_store(&t->thread_waits, true);
		if (atomic_load(&t->caller_waits)) {
			atomic_store(&t->caller_waits, false);
			pthread_cond_signal(&t->wake_caller);
		}
		t->tail_seen = atomic_load(&t->tail);
		if (head - t->tail_seen >= QUEUE && !atomic_load(&t->stop))
			pthread_cond_wait(&t->wake_thread, &t->lock);
		atomic_store(&t->thread_waits, false);
		pthread_mutex_unlock(&t->lock);
		if (atomic_load_explicit(&t->stop, memory_order_relaxed))
			return false;
	}
	return true;
}

static void put(struct kt_report_thread *t, uint64_t at, struct kt_report *r)
{
	size_t head = atomic_load_explicit(&t->head, memory_order_relaxed);

	if (!wait_room(t, head)) {
		kt_report_free(r);
		return;
	}
	t->q[head % QUEUE].at = at;
	t->q[head % QUEUE].r = r;
	atomic_store_explicit(&t->head, head + 1, memory_order_release);
}

static int on_report(struct kt_report *r, void *userdata)
{
	struct kt_report_thread *t = userdata;

	put(t, t->n, r);
	return KT_REPORT_KEEP;
}

static int on_flushed(struct kt_report *r, void *userdata)
{
	put(userdata, FLUSHED, r);
	return KT_REPORT_KEEP;
}

static void *run(void *arg)
{
	struct kt_report_thread *t = arg;
	struct kt_reader *r;
	struct kt_event ev;
	int e;

	/*
	 * Made here, not by the caller: the two threads' readers and
	 * assemblers, which change at every line, must not share cache lines,
	 * and two allocations made one after the other in one thread would.
	 */
	e = kt_reader_new(t->src, &t->ro, &r);
	t->src = NULL;
	if (e < 0)
		goto out;
	t->a = kt_assembler_new(t->defs);
	while (!atomic_load_explicit(&t->stop, memory_order_relaxed) &&
	       t->n < atomic_load_explicit(&t->limit, memory_order_relaxed)) {
		e = kt_reader_next(r, &ev);
		if (e <= 0)
			break;
		if (ev.type != KT_EVENT_LINE || (t->keep && !t->keep(&ev.line, t->keep_data)))
			continue;
		t->n++;
		kt_assembler_feed(t->a, &ev.line, on_report, t);
		atomic_store_explicit(&t->fed, t->n, memory_order_release);
		if (__builtin_expect(atomic_load_explicit(&t->caller_waits,
							  memory_order_relaxed), 0))
			wake(t, &t->caller_waits, &t->wake_caller);
	}
	atomic_store_explicit(&t->fed, FED_ALL, memory_order_release);
	if (!atomic_load(&t->stop))
		kt_assembler_flush(t->a, on_flushed, t);
	kt_assembler_free(t->a);
	kt_reader_free(r);
out:
	t->error = e < 0 ? e : 0;
	/* the memo and match data this thread's titles used */
	kt_title_thread_release();
	kt_re_thread_release();
	pthread_mutex_lock(&t->lock);
	atomic_store(&t->ended, true);
	pthread_cond_signal(&t->wake_caller);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int kt_report_thread_new(struct kt_source *src, const struct kt_reader_opts *ro,
			 const struct kt_report_defs *defs, kt_line_filter keep,
			 const void *keep_data, struct kt_report_thread **ret)
{
	/* aligned, so the cache-line separation above holds */
	struct kt_report_thread *t = aligned_alloc(64, sizeof(*t));
	int e;

	if (!t) {
		kt_source_free(src);
		return -ENOMEM;
	}
	memset(t, 0, sizeof(*t));

	t->src = src;
	if (ro)
		t->ro = *ro;
	t->defs = defs;
	t->keep = keep;
	t->keep_data = keep_data;
	atomic_init(&t->limit, UINT64_MAX);
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake_caller, NULL);
	pthread_cond_init(&t->wake_thread, NULL);
	e = pthread_create(&t->thread, NULL, run, t);
	if (e) {
		pthread_cond_destroy(&t->wake_thread);
		pthread_cond_destroy(&t->wake_caller);
		pthread_mutex_destroy(&t->lock);
		kt_source_free(src);
		free(t);
		return -e;
	}
	*ret = t;
	return 0;
}

/* caller: hand out the ring's reports completed at lines up to n */
static void deliver(struct kt_report_thread *t, uint64_t n, kt_report_cb cb, void *userdata)
{
	size_t tail = atomic_load_explicit(&t->tail, memory_order_relaxed), from = tail;

	while (tail != t->head_seen && t->q[tail % QUEUE].at <= n) {
		struct kt_report *r = t->q[tail % QUEUE].r;

		if (!cb || cb(r, userdata) != KT_REPORT_KEEP)
			kt_report_free(r);
		tail++;
	}
	if (tail == from)
		return;
	atomic_store_explicit(&t->tail, tail, memory_order_release);
	if (atomic_load(&t->thread_waits))
		wake(t, &t->thread_waits, &t->wake_thread);
}

/* caller: deliver up to line n, waiting until the thread fed it (or ended) */
static void catch_up(struct kt_report_thread *t, uint64_t n, kt_report_cb cb, void *userdata)
{
	for (;;) {
		/* ended, then fed, then head: a later value covers the earlier */
		bool ended = atomic_load_explicit(&t->ended, memory_order_acquire);

		t->fed_seen = atomic_load_explicit(&t->fed, memory_order_acquire);
		t->head_seen = atomic_load_explicit(&t->head, memory_order_acquire);
		deliver(t, n, cb, userdata);
		if (t->fed_seen >= n || ended)
			return;
		pthread_mutex_lock(&t->lock);
		atomic_store(&t->caller_waits, true);
		if (atomic_load(&t->thread_waits)) {
			atomic_store(&t->thread_waits, false);
			pthread_cond_signal(&t->wake_thread);
		}
		/* asleep until the thread has fed more, or has a report for
		 * us, or has ended */
		if (atomic_load(&t->fed) < n && !atomic_load(&t->ended) &&
		    atomic_load(&t->head) == atomic_load(&t->tail))
			pthread_cond_wait(&t->wake_caller, &t->lock);
		atomic_store(&t->caller_waits, false);
		pthread_mutex_unlock(&t->lock);
	}
}

void kt_report_thread_sync(struct kt_report_thread *t, uint64_t n, kt_report_cb cb,
			   void *userdata)
{
	size_t tail = atomic_load_explicit(&t->tail, memory_order_relaxed);

	/* the usual case: the thread is ahead and no report ends here */
	if (n <= t->fed_seen && (tail == t->head_seen || t->q[tail % QUEUE].at > n))
		return;
	catch_up(t, n, cb, userdata);
}

int kt_report_thread_finish(struct kt_report_thread *t, uint64_t n, kt_report_cb cb,
			    void *userdata)
{
	atomic_store(&t->limit, n);
	if (atomic_load(&t->thread_waits))
		wake(t, &t->thread_waits, &t->wake_thread);
	catch_up(t, FLUSHED, cb, userdata);	/* waits for ended */
	pthread_join(t->thread, NULL);
	t->head_seen = atomic_load(&t->head);
	deliver(t, FLUSHED, cb, userdata);
	t->joined = true;
	if (t->error < 0)
		return t->error;
	return t->n < n ? -ESTALE : 0;
}

void kt_report_thread_free(struct kt_report_thread *t)
{
	if (!t)
		return;
	if (!t->joined) {
		pthread_mutex_lock(&t->lock);
		atomic_store(&t->stop, true);
		pthread_cond_signal(&t->wake_thread);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->thread, NULL);
	}
	t->head_seen = atomic_load(&t->head);
	deliver(t, FLUSHED, NULL, NULL);	/* frees what is left */
	pthread_cond_destroy(&t->wake_thread);
	pthread_cond_destroy(&t->wake_caller);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
