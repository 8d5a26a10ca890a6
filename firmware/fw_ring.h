/*
 * fw_ring.h - a byte ring buffer shared by the main loop and one UART
 * interrupt: one side only writes, the other only reads.
 *
 * The indices are 8-bit and free-running (they wrap at 256, not at the
 * buffer size), so that each is written by exactly one side and read or
 * written in a single instruction on the AVR: no interrupt ever has to be
 * disabled to move a byte.  With free-running 8-bit indices the fill level
 * is (head - tail) mod 256, which is why the size is limited to 128: a
 * power of two that a byte can still count up to.
 *
 * The frame writer is all-or-nothing: a frame that does not fit is refused
 * whole, so the wire never carries half a frame (the receiver would lose the
 * next good frame too while resynchronising).  A caller can ask to keep some
 * room free, so that low-priority frames (replies) can never starve
 * high-priority ones (samples).
 *
 * Pure logic: compiles for the AVR and natively for the unit tests.
 */
#ifndef FW_RING_H
#define FW_RING_H

#include <stdint.h>

/** Largest ring: 8-bit free-running indices count up to 128 safely. */
#define FW_RING_SIZE_MAX 128u

/** Return codes: 0 is success, negatives say why not. */
enum fw_ring_result {
	FW_RING_OK = 0,
	FW_RING_EMPTY = -1,  /**< nothing to read */
	FW_RING_FULL = -2,   /**< not enough room (nothing was written) */
};

/** One ring.  Initialise with fw_ring_init(); the fields are private. */
struct fw_ring {
	volatile uint8_t *buf;  /* storage owned by the caller */
	uint8_t mask;           /* size - 1 */
	volatile uint8_t head;  /* written only by the producer */
	volatile uint8_t tail;  /* written only by the consumer */
};

/**
 * Set up @p r over @p storage.
 * @param storage  @p size bytes that live as long as the ring; not NULL.
 * @param size     a power of two from 2 to FW_RING_SIZE_MAX.
 * @return FW_RING_OK, or FW_RING_FULL when @p size is not allowed (the ring
 *         is then left unusable: every write fails).
 */
int fw_ring_init(struct fw_ring *r, volatile uint8_t *storage, uint8_t size);

/** Bytes waiting to be read. */
uint8_t fw_ring_count(const struct fw_ring *r);

/** Bytes that can still be written. */
uint8_t fw_ring_space(const struct fw_ring *r);

/** Producer: append one byte.  FW_RING_OK or FW_RING_FULL. */
int fw_ring_put(struct fw_ring *r, uint8_t b);

/** Consumer: take the oldest byte into @p b (not NULL).  FW_RING_OK or
 *  FW_RING_EMPTY. */
int fw_ring_get(struct fw_ring *r, uint8_t *b);

/**
 * Producer: append @p n bytes only if, afterwards, at least @p keep_free
 * bytes are still free; otherwise write nothing.
 * @param data  may be NULL when @p n is 0.
 * @return FW_RING_OK or FW_RING_FULL.
 */
int fw_ring_write(struct fw_ring *r, const uint8_t *data, uint8_t n, uint8_t keep_free);

#endif /* FW_RING_H */
