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
 * The thread feeds lines and publishes how many (fed), every PUBLISH
 * lines and before it waits for room in the ring; a report completed
 * while feeding line k goes into a ring (one producer, one consumer) with
 * at = k before fed can reach k.  So once the caller has read fed >= n,
 * every report of a line up to n is in the ring, and the caller needs to
 * look at the thread's counters only when it passes the count it read
 * last, which is rarely while the thread runs ahead.  When its input ends,
 * the thread sets fed to FED_ALL before it completes the open reports: no
 * line completes any report after that, and those it completes then (at =
 * FLUSHED) wait for kt_report_thread_finish().
 *
 * A caller that catches up with the thread waits until the thread is SLACK
 * lines further on, not just at its line: on dense logs the thread is the
 * slower one, and a caller waiting for each line in turn kept the cache
 * line of the count moving between the cores at every line (the thread
 * ran at a third of its speed).  Waiting spins first, then sleeps on a
 * mutex and condition variable; only a side that says it sleeps is woken.
 * Members are grouped by who writes them, a cache line per group.
 */
#define PUBLISH 64
#define SLACK 1024
#define SPIN 2000	/* rounds of spinning before sleeping */

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

struct entry {
	uint64_t at;		/* the line that completed it, or FLUSHED */
	struct kt_report *r;	/* NULL once the caller kept it; one it did not
				 * keep is freed when the slot is used again,
				 * by the thread that allocated it */
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
	/* the caller's: tail is read by the thread when the ring looks full */
	_Alignas(64) atomic_size_t tail;
	uint64_t fed_seen;		/* fed, as last read */
	size_t head_seen;
	uint64_t next_at;		/* q[tail].at if tail < head_seen */
	/* written by the caller, seldom; read by the thread at every line */
	_Alignas(64) atomic_uint_fast64_t limit;	/* feed no more lines */
	atomic_bool stop;		/* drop everything and end */
	atomic_bool caller_waits;	/* asleep, until fed >= want */
	atomic_uint_fast64_t want;
	/* written by the thread, read by a caller that catches up */
	_Alignas(64) atomic_uint_fast64_t fed;
	atomic_size_t head;
	atomic_bool ended;		/* flushed: nothing more comes */
	atomic_bool thread_waits;	/* asleep, until the ring has room */
	/* the thread's own */
	_Alignas(64) struct kt_assembler *a;
	size_t tail_seen;
	uint64_t n;			/* lines fed (read by the caller once joined) */
	uint64_t published;		/* fed, as last stored */
	int error;			/* the reader's (read once joined) */
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

/* the caller sleeps: wake it once there is a reason to go on (see ready()) */
static void wake_caller_if(struct kt_report_thread *t, size_t head)
{
	if (__builtin_expect(!atomic_load_explicit(&t->caller_waits, memory_order_relaxed), 1))
		return;
	t->tail_seen = atomic_load_explicit(&t->tail, memory_order_acquire);
	if (t->n >= atomic_load_explicit(&t->want, memory_order_relaxed) ||
	    head - t->tail_seen >= QUEUE / 2)
		wake(t, &t->caller_waits, &t->wake_caller);
}

static void publish(struct kt_report_thread *t, uint64_t fed);

/* thread: room in the ring for one more, or false when told to stop */
static bool wait_room(struct kt_report_thread *t, size_t head)
{
	/*
	 * Before waiting, say that every line before this one is fed (the
	 * count may be up to PUBLISH - 1 lines behind): a caller waiting for
	 * one of those lines, behind a ring full of later lines' reports,
	 * would otherwise wait for us as we wait for it.
	 */
	if (head - t->tail_seen >= QUEUE && t->n && t->published < t->n - 1)
		publish(t, t->n - 1);
	while (head - t->tail_seen >= QUEUE) {
		for (int i = 0; i < SPIN && head - t->tail_seen >= QUEUE; i++) {
			relax();
			t->tail_seen = atomic_load_explicit(&t->tail, memory_order_acquire);
		}
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
	struct entry *slot = &t->q[head % QUEUE];

	if (!wait_room(t, head)) {
		kt_report_free(r);
		return;
	}
	kt_report_free(slot->r);	/* one the caller did not keep */
	slot->at = at;
	slot->r = r;
	atomic_store_explicit(&t->head, head + 1, memory_order_release);
	wake_caller_if(t, head + 1);
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

static void publish(struct kt_report_thread *t, uint64_t fed)
{
	t->published = fed;
	atomic_store_explicit(&t->fed, fed, memory_order_release);
	wake_caller_if(t, atomic_load_explicit(&t->head, memory_order_relaxed));
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
	 * and two allocations made one after the other in one thread would
	 * (the caller then ran 35-60% slower).
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
		if (t->n % PUBLISH == 0)
			publish(t, t->n);
	}
	publish(t, FED_ALL);
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
	atomic_store(&t->caller_waits, false);
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
	t->next_at = UINT64_MAX;
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
		struct entry *slot = &t->q[tail % QUEUE];

		if (cb && cb(slot->r, userdata) == KT_REPORT_KEEP)
			slot->r = NULL;
		tail++;
	}
	t->next_at = tail != t->head_seen ? t->q[tail % QUEUE].at : UINT64_MAX;
	if (tail == from)
		return;
	atomic_store_explicit(&t->tail, tail, memory_order_release);
	if (atomic_load(&t->thread_waits))
		wake(t, &t->thread_waits, &t->wake_thread);
}

/* caller: a reason to look again after waiting for line n */
static bool ready(struct kt_report_thread *t, uint64_t want)
{
	return atomic_load_explicit(&t->fed, memory_order_relaxed) >= want ||
	       atomic_load_explicit(&t->head, memory_order_relaxed) -
	       atomic_load_explicit(&t->tail, memory_order_relaxed) >= QUEUE / 2 ||
	       atomic_load_explicit(&t->thread_waits, memory_order_relaxed) ||
	       atomic_load_explicit(&t->ended, memory_order_relaxed);
}

/* caller: deliver up to line n, waiting until the thread fed it (or ended) */
static void catch_up(struct kt_report_thread *t, uint64_t n, kt_report_cb cb, void *userdata)
{
	for (;;) {
		/* ended, then fed, then head: a later value covers the earlier */
		bool ended = atomic_load_explicit(&t->ended, memory_order_acquire);
		uint64_t want;

		t->fed_seen = atomic_load_explicit(&t->fed, memory_order_acquire);
		t->head_seen = atomic_load_explicit(&t->head, memory_order_acquire);
		deliver(t, n, cb, userdata);
		if (t->fed_seen >= n || ended)
			return;
		want = n < FED_ALL - SLACK ? n + SLACK : n;
		for (int i = 0; i < SPIN && !ready(t, want); i++)
			relax();
		if (ready(t, want))
			continue;
		pthread_mutex_lock(&t->lock);
		atomic_store(&t->want, want);
		atomic_store(&t->caller_waits, true);
		if (atomic_load(&t->thread_waits)) {
			atomic_store(&t->thread_waits, false);
			pthread_cond_signal(&t->wake_thread);
		}
		if (!ready(t, want))
			pthread_cond_wait(&t->wake_caller, &t->lock);
		atomic_store(&t->caller_waits, false);
		pthread_mutex_unlock(&t->lock);
	}
}

void kt_report_thread_sync(struct kt_report_thread *t, uint64_t n, kt_report_cb cb,
			   void *userdata)
{
	/* the usual case: the thread is ahead and no report ends here */
	if (n <= t->fed_seen && n < t->next_at)
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
	for (size_t i = 0; i < QUEUE; i++)	/* not handed out or not kept */
		kt_report_free(t->q[i].r);
	pthread_cond_destroy(&t->wake_thread);
	pthread_cond_destroy(&t->wake_caller);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
