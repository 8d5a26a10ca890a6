/*
 * bm_live.h - samples on their way from a source to the live pipeline, and
 * the queue that carries them between threads.
 *
 * A source (a board on a serial port, the demo athlete, a replayed CSV)
 * runs on its own thread so that waiting for bytes never stalls drawing; it
 * hands samples to the drawing thread through a bounded single-producer,
 * single-consumer ring.  The ring is lock-free (C11 atomics, one writer and
 * one reader index); when it is full the producer drops the newest sample
 * and counts it, because blocking the reader thread would lose bytes in the
 * serial driver instead, silently.
 */
#ifndef BM_LIVE_H
#define BM_LIVE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_protocol.h"

/** One sample from any source. */
struct bm_live_sample {
	double t_s;                   /**< session clock, seconds (device time
	                                   for a board, never arrival time) */
	double force_n[BM_NCHAN];     /**< newtons when the source knows them
	                                   (replay; NaN = missing); ignored when
	                                   needs_cal */
	int32_t raw_counts[BM_NCHAN]; /**< valid when has_raw */
	uint8_t flags[BM_NCHAN];      /**< bm_chan_flag bits */
	uint16_t seq;                 /**< device sequence number (has_raw) */
	uint8_t has_raw;
	uint8_t needs_cal;            /**< force_n is to be computed from
	                                   raw_counts with the pipeline's
	                                   calibration (a board, the demo) */
	uint8_t gap_before;           /**< data is missing before this sample */
	uint32_t lost_before;         /**< samples lost just before (seq gap) */
	double read_mono_s;           /**< monotonic time the reader thread got
	                                   it (for the latency benchmark) */
};

/** Bounded SPSC queue of samples. */
struct bm_live_queue {
	struct bm_live_sample *buf;
	size_t mask;                  /* capacity - 1, capacity a power of 2 */
	_Atomic size_t head;          /* next slot to write (producer) */
	_Atomic size_t tail;          /* next slot to read (consumer) */
	_Atomic uint64_t overflows;   /* samples dropped because it was full */
};

/**
 * Set up a queue for at least @p min_capacity samples (rounded up to a
 * power of two).  @return 0, or -1 when out of memory.
 */
int bm_live_queue_init(struct bm_live_queue *q, size_t min_capacity);

void bm_live_queue_destroy(struct bm_live_queue *q);

/** Producer side: append one sample.  @return 1, or 0 when full (counted). */
int bm_live_queue_push(struct bm_live_queue *q, const struct bm_live_sample *s);

/** Producer side: free slots now (at least this many pushes will fit). */
size_t bm_live_queue_space(struct bm_live_queue *q);

/** Consumer side: take up to @p max samples.  @return how many. */
size_t bm_live_queue_pop(struct bm_live_queue *q, struct bm_live_sample *out, size_t max);

/** Samples dropped because the queue was full. */
uint64_t bm_live_queue_overflows(struct bm_live_queue *q);

#endif
