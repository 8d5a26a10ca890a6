/* fw_ring.c - single-producer single-consumer byte ring; see fw_ring.h. */
#include "fw_ring.h"

#include <stddef.h>

int fw_ring_init(struct fw_ring *r, volatile uint8_t *storage, uint8_t size)
{
	r->buf = storage;
	r->head = 0;
	r->tail = 0;
	if (size < 2 || size > FW_RING_SIZE_MAX || (size & (size - 1u)) != 0) {
		/* mask 0 with head == tail: count 0, space 0, so nothing fits. */
		r->mask = 0;
		r->buf = NULL;
		return FW_RING_FULL;
	}
	r->mask = (uint8_t)(size - 1u);
	return FW_RING_OK;
}

uint8_t fw_ring_count(const struct fw_ring *r)
{
	return (uint8_t)(r->head - r->tail);
}

uint8_t fw_ring_space(const struct fw_ring *r)
{
	if (r->buf == NULL)
		return 0;
	return (uint8_t)(r->mask + 1u - fw_ring_count(r));
}

int fw_ring_put(struct fw_ring *r, uint8_t b)
{
	uint8_t h = r->head;

	if (fw_ring_space(r) == 0)
		return FW_RING_FULL;
	r->buf[h & r->mask] = b;
	/* The byte is stored (buf is volatile) before the consumer can see
	 * the new head. */
	r->head = (uint8_t)(h + 1u);
	return FW_RING_OK;
}

int fw_ring_get(struct fw_ring *r, uint8_t *b)
{
	uint8_t t = r->tail;

	if ((uint8_t)(r->head - t) == 0)
		return FW_RING_EMPTY;
	*b = r->buf[t & r->mask];
	r->tail = (uint8_t)(t + 1u);
	return FW_RING_OK;
}

int fw_ring_write(struct fw_ring *r, const uint8_t *data, uint8_t n, uint8_t keep_free)
{
	uint8_t space = fw_ring_space(r);
	uint8_t h = r->head;

	if (n > space || (uint8_t)(space - n) < keep_free)
		return FW_RING_FULL;
	for (uint8_t i = 0; i < n; i++)
		r->buf[(uint8_t)(h + i) & r->mask] = data[i];
	/* Publish the whole frame at once: the consumer never sees a part. */
	r->head = (uint8_t)(h + n);
	return FW_RING_OK;
}
