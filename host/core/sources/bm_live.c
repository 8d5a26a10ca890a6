/* bm_live.c - the SPSC sample queue; see bm_live.h. */
#include "bm_live.h"

#include <stdlib.h>

int bm_live_queue_init(struct bm_live_queue *q, size_t min_capacity)
{
	size_t cap = 2;
	while (cap < min_capacity)
		cap <<= 1;
	q->buf = malloc(cap * sizeof *q->buf);
	if (!q->buf)
		return -1;
	q->mask = cap - 1;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	atomic_init(&q->overflows, 0);
	return 0;
}

void bm_live_queue_destroy(struct bm_live_queue *q)
{
	free(q->buf);
	q->buf = NULL;
}

int bm_live_queue_push(struct bm_live_queue *q, const struct bm_live_sample *s)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	if (head - tail > q->mask) {
		atomic_fetch_add_explicit(&q->overflows, 1, memory_order_relaxed);
		return 0;
	}
	q->buf[head & q->mask] = *s;
	/* Release: the sample is written before the consumer can see it. */
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	return 1;
}

size_t bm_live_queue_space(struct bm_live_queue *q)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	return q->mask + 1 - (head - tail);
}

size_t bm_live_queue_pop(struct bm_live_queue *q, struct bm_live_sample *out, size_t max)
{
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	size_t n = head - tail;
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = q->buf[(tail + i) & q->mask];
	/* Release: the slots are read before the producer may reuse them. */
	atomic_store_explicit(&q->tail, tail + n, memory_order_release);
	return n;
}

uint64_t bm_live_queue_overflows(struct bm_live_queue *q)
{
	return atomic_load_explicit(&q->overflows, memory_order_relaxed);
}
