// SPDX-License-Identifier: GPL-2.0-or-later
/* prefetch.c - a producer thread that reads and parses ahead. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
	/* consumer side */
	_Alignas(64) struct batch *cur;
	size_t pos;
	int done;			/* end code once seen */
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
	*b = &p->b[p->tail];
	pthread_mutex_unlock(&p->lock);
	(*b)->n = 0;
	(*b)->used = 0;
	(*b)->end = 0;
	return !p->stop;
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

int kt_prefetch_new(struct kt_reader *r, const struct kt_prefetch_hook *hook,
		    struct kt_prefetch **ret)
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
	*ret = p;
	return 0;
}

int kt_prefetch_next(struct kt_prefetch *p, const struct kt_event **ret)
{
	for (;;) {
		if (p->cur && p->pos < p->cur->n) {
			*ret = &p->cur->ev[p->pos++];
			return 1;
		}
		if (p->done)
			return p->done < 0 ? p->done : 0;
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
		while (!p->filled) {
			p->consumer_waits = true;
			pthread_cond_wait(&p->cond, &p->lock);
			p->consumer_waits = false;
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
