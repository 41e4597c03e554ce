// SPDX-License-Identifier: GPL-2.0-or-later
/* prefetch.c - a producer thread that reads and parses ahead. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kt-prefetch.h"
#include "kt-xalloc.h"

/*
 * Each batch, and the consumer's own fields, start on a cache line of
 * their own: the producer bumps b->n for every event while the consumer
 * bumps pos, and sharing a line made two threads slower than one.
 */
struct batch {
	_Alignas(64) struct kt_event ev[KT_PREFETCH_EVENTS];
	size_t n;
	char *arena;
	size_t used;
	char *slots;		/* the hook's, hook.size bytes per event */
	int end;		/* 0: more follow; 1: end of input; <0: -errno */
};

/*
 * Adaptive mode.  Handing every line to another core is cheap when the two
 * cores share a cache and costly when they do not: on a virtual machine
 * the same binary measured 0.9 s with the reading thread and 1.4 s without
 * it on one day, 2.2 s with it and 1.4 s without it on another.  So the
 * consumer times windows of a number of events in each mode (PROBE
 * windows, alternating), keeps the faster mode for RUN windows, then
 * probes again.  The first quarter of a window after a switch is not
 * timed: a producer just woken runs well below its pace for a while (a
 * first probe measured 5.5 ns a byte where it averages 3).
 * In direct mode the producer is parked and the consumer calls the reader
 * itself (without the hook: its work was only worth doing on the other
 * core); the mutex hands the reader over between the two threads.
 */
#define PROBE 4
#define RUN 128

struct kt_prefetch {
	struct kt_reader *r;
	struct kt_prefetch_hook hook;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch b[KT_PREFETCH_BATCHES];
	size_t head, tail, filled;	/* ring of filled batches */
	bool stop;			/* consumer is gone */
	/* who sleeps on cond: waking a thread costs a system call (and in a
	 * virtual machine an exit), so only a sleeper is woken */
	bool producer_waits, consumer_waits;
	atomic_bool pause;		/* consumer: producer, park */
	bool parked;			/* producer: parked, reader is free */
	/* consumer side */
	_Alignas(64) struct batch *cur;
	size_t pos;
	int done;			/* end code once seen */
	unsigned int window_events;	/* 0: not adaptive */
	bool direct;			/* the consumer reads itself */
	bool resume;			/* wake the producer on the next call */
	struct kt_event dev;		/* direct mode's event */
	uint64_t win_events, win_bytes, win_start;
	uint64_t warm;			/* events not to time yet */
	unsigned int window;		/* windows since the last probe began */
	uint64_t ns[2], bytes[2];	/* probe totals: [0] threaded, [1] direct */
	bool best_direct;
};

/* Copy (p, len) into the arena; false when it does not fit. */
static bool keep(struct batch *b, const char **p, size_t len)
{
	if (!*p)
		return true;
	if (KT_PREFETCH_ARENA - b->used < len)
		return false;
	memcpy(b->arena + b->used, *p, len);
	*p = b->arena + b->used;
	b->used += len;
	return true;
}

/* Move the strings of b->ev[b->n] (already in place) into the arena. */
static bool store(struct batch *b)
{
	struct kt_event *e = &b->ev[b->n];
	size_t mark = b->used;

	if (e->type == KT_EVENT_LINE) {
		struct kt_line *l = &e->line;

		if (!keep(b, &l->text, l->text_len) || !keep(b, &l->host, l->host_len) ||
		    !keep(b, &l->prog, l->prog_len) ||
		    !keep(b, &l->subsystem, l->subsystem_len) ||
		    !keep(b, &l->device, l->device_len)) {
			b->used = mark;
			return false;
		}
	}
	b->n++;
	return true;
}

/* Hand a filled batch to the consumer; wait for a free one.  False: stop. */
static bool publish(struct kt_prefetch *p, struct batch **b)
{
	bool go;

	pthread_mutex_lock(&p->lock);
	p->filled++;
	p->tail = (p->tail + 1) % KT_PREFETCH_BATCHES;
	if (p->consumer_waits)
		pthread_cond_broadcast(&p->cond);
	while (p->filled == KT_PREFETCH_BATCHES && !p->stop) {
		p->producer_waits = true;
		pthread_cond_wait(&p->cond, &p->lock);
		p->producer_waits = false;
	}
	go = !p->stop;
	*b = &p->b[p->tail];
	pthread_mutex_unlock(&p->lock);
	(*b)->n = 0;
	(*b)->used = 0;
	(*b)->end = 0;
	return go;
}

static void run_hook(struct kt_prefetch *p, struct batch *b)
{
	size_t i = b->n - 1;

	if (p->hook.fn && b->ev[i].type == KT_EVENT_LINE)
		p->hook.fn(&b->ev[i].line, b->slots + i * p->hook.size, p->hook.userdata);
}

static void *producer(void *arg)
{
	struct kt_prefetch *p = arg;
	struct batch *b = &p->b[p->tail];
	int e;

	b->n = 0;
	b->used = 0;
	b->end = 0;
	for (;;) {
		if (atomic_load_explicit(&p->pause, memory_order_relaxed)) {
			/* hand over what was read, then the reader itself */
			if (b->n && !publish(p, &b))
				return NULL;
			pthread_mutex_lock(&p->lock);
			p->parked = true;
			if (p->consumer_waits)
				pthread_cond_broadcast(&p->cond);
			while (atomic_load(&p->pause) && !p->stop) {
				p->producer_waits = true;
				pthread_cond_wait(&p->cond, &p->lock);
				p->producer_waits = false;
			}
			p->parked = false;
			if (p->stop) {
				pthread_mutex_unlock(&p->lock);
				return NULL;
			}
			pthread_mutex_unlock(&p->lock);
			continue;
		}
		/* parse straight into the batch: no copy of the event */
		e = kt_reader_next(p->r, &b->ev[b->n]);
		if (e <= 0) {
			b->end = e < 0 ? e : 1;
			publish(p, &b);
			return NULL;
		}
		if (!store(b)) {
			struct kt_event ev = b->ev[b->n];

			if (!publish(p, &b))
				return NULL;
			b->ev[0] = ev;
			store(b);	/* an empty batch holds any line */
		}
		run_hook(p, b);
		if (b->n == KT_PREFETCH_EVENTS && !publish(p, &b))
			return NULL;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Park the producer (direct) or wake it (threaded). */
static void set_pause(struct kt_prefetch *p, bool on)
{
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->pause, on);
	if (!on && p->producer_waits)
		pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (!on)
		p->direct = false;
}

/* A new window begins; after a switch its first quarter is not timed. */
static void start_window(struct kt_prefetch *p, bool switched)
{
	p->win_events = 0;
	p->win_bytes = 0;
	p->warm = switched ? p->window_events / 4 : 0;
	p->win_start = now_ns();
}

/* Count an event handed out; at the end of a window pick the next mode. */
static void account(struct kt_prefetch *p, const struct kt_event *ev)
{
	uint64_t t;
	bool mode, next;

	if (!p->window_events)
		return;
	if (p->warm) {
		if (--p->warm == 0)
			p->win_start = now_ns();
		return;
	}
	p->win_bytes += ev->type == KT_EVENT_LINE ? ev->line.text_len + 1 : 1;
	if (++p->win_events < p->window_events)
		return;
	t = now_ns();
	mode = p->direct;
	if (p->window < PROBE) {
		p->ns[mode] += t - p->win_start;
		p->bytes[mode] += p->win_bytes;
	}
	p->window++;
	if (p->window < PROBE) {
		next = !mode;	/* alternate while probing */
	} else if (p->window == PROBE) {
		/* compare time per byte: ns[0]/bytes[0] vs ns[1]/bytes[1] */
		p->best_direct = (double)p->ns[1] * (double)p->bytes[0] <
				 (double)p->ns[0] * (double)p->bytes[1];
		next = p->best_direct;
	} else if (p->window == PROBE + RUN) {
		p->window = 0;
		p->ns[0] = p->ns[1] = p->bytes[0] = p->bytes[1] = 0;
		next = false;
	} else {
		next = p->best_direct;
	}
	if (next && !mode)
		set_pause(p, true);	/* direct mode starts once parked */
	else if (!next && mode)
		p->resume = true;	/* once the caller is done with this event */
	start_window(p, false);	/* begun again where the switch happens */
}

/* Direct mode: the consumer reads. */
static int next_direct(struct kt_prefetch *p, const struct kt_event **ret)
{
	int e = kt_reader_next(p->r, &p->dev);

	if (e <= 0) {
		p->done = e < 0 ? e : 1;
		return e;
	}
	*ret = &p->dev;
	account(p, &p->dev);
	return 1;
}

int kt_prefetch_new(struct kt_reader *r, const struct kt_prefetch_hook *hook,
		    unsigned int window, struct kt_prefetch **ret)
{
	/* aligned, so the cache-line separation above holds */
	struct kt_prefetch *p = aligned_alloc(64, sizeof(*p));
	int e;

	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));

	p->r = r;
	if (hook && hook->fn)
		p->hook = *hook;
	atomic_init(&p->pause, false);
	p->window_events = window;
	for (size_t i = 0; i < KT_PREFETCH_BATCHES; i++) {
		/* zeroed: pcre2's JIT may load a few bytes past a subject's
		 * end, and with the hook it runs before the rest is written */
		p->b[i].arena = kt_xcalloc(1, KT_PREFETCH_ARENA);
		if (p->hook.fn)
			p->b[i].slots = kt_xmalloc(KT_PREFETCH_EVENTS * p->hook.size);
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	e = pthread_create(&p->thread, NULL, producer, p);
	if (e) {
		for (size_t i = 0; i < KT_PREFETCH_BATCHES; i++) {
			free(p->b[i].arena);
			free(p->b[i].slots);
		}
		free(p);
		return -e;
	}
	start_window(p, false);
	*ret = p;
	return 0;
}

int kt_prefetch_next(struct kt_prefetch *p, const struct kt_event **ret)
{
	for (;;) {
		if (p->cur && p->pos < p->cur->n) {
			*ret = &p->cur->ev[p->pos++];
			account(p, *ret);
			return 1;
		}
		if (p->done)
			return p->done < 0 ? p->done : 0;
		if (p->resume) {
			/* the last direct event is no longer used: the reader's
			 * buffer may change under it from now on */
			p->resume = false;
			set_pause(p, false);
			start_window(p, true);
		}
		if (p->direct)
			return next_direct(p, ret);
		pthread_mutex_lock(&p->lock);
		if (p->cur) {
			/* give back the batch we finished */
			if (p->cur->end)
				p->done = p->cur->end;
			p->filled--;
			p->head = (p->head + 1) % KT_PREFETCH_BATCHES;
			if (p->producer_waits)
				pthread_cond_broadcast(&p->cond);
			p->cur = NULL;
			if (p->done) {
				pthread_mutex_unlock(&p->lock);
				continue;
			}
		}
		while (!p->filled && !(atomic_load(&p->pause) && p->parked)) {
			p->consumer_waits = true;
			pthread_cond_wait(&p->cond, &p->lock);
			p->consumer_waits = false;
		}
		if (!p->filled) {
			/* parked, everything it read is consumed: read here */
			p->direct = true;
			pthread_mutex_unlock(&p->lock);
			start_window(p, true);
			continue;
		}
		p->cur = &p->b[p->head];
		p->pos = 0;
		pthread_mutex_unlock(&p->lock);
	}
}

void kt_prefetch_free(struct kt_prefetch *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	for (size_t i = 0; i < KT_PREFETCH_BATCHES; i++) {
		free(p->b[i].arena);
		free(p->b[i].slots);
	}
	free(p);
}
