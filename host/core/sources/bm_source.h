/*
 * bm_source.h - where live samples come from: a board on a serial port, the
 * demo athlete, or a replayed recording, all behind one small table of
 * functions so that the live pipeline (and its tests) cannot tell them
 * apart.
 *
 * A source is driven from one thread (the reader thread): read() waits up
 * to a timeout and returns samples; status() describes the source for the
 * status bar.  store_cal() may be called from another thread: it queues
 * the record and the reader thread sends it.
 *
 * The demo and replay sources live here (they need no device); the serial
 * source lives in host/app (it needs libserialport).
 */
#ifndef BM_SOURCE_H
#define BM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "bm_live.h"
#include "bm_protocol.h"

enum bm_source_state {
	BM_SOURCE_LIVE = 0,     /**< samples flowing (or about to) */
	BM_SOURCE_WAITING = 1,  /**< device gone: "disconnected — waiting for device" */
	BM_SOURCE_ENDED = 2,    /**< no more samples (end of a replay, --seconds) */
	BM_SOURCE_FAILED = 3,   /**< cannot go on; message says why */
};

/** What the status bar and the pipeline need to know about a source. */
struct bm_source_status {
	enum bm_source_state state;
	char name[256];         /**< "demo", "/dev/ttyUSB0", "replay s.csv" */
	char message[512];      /**< one line about the last change, or "" */
	double rate_hz;         /**< nominal rate when known, else 0 */
	uint64_t crc_errors;    /**< frames with a bad CRC (serial) */
	uint64_t framing_errors;/**< malformed frames (serial) */
	uint64_t dropped;       /**< samples lost in sequence gaps */
	int has_info;           /**< info holds the board's INFO */
	struct bm_info_msg info;
	int has_cal;            /**< cal holds the calibration the source brings
	                             (the board's EEPROM, the simulator's) */
	struct bm_cal_record cal;
	int raw;                /**< samples carry raw counts (tare possible) */
	unsigned long changes;  /**< counts every change of state or message */
};

struct bm_source;

struct bm_source_ops {
	/** Up to @p max samples, waiting at most @p timeout_ms. */
	size_t (*read)(struct bm_source *src, struct bm_live_sample *out, size_t max,
	               int timeout_ms);
	void (*status)(struct bm_source *src, struct bm_source_status *out);
	/** Ask the board to keep this calibration (no-op without a board).
	 *  Thread-safe. */
	void (*store_cal)(struct bm_source *src, const struct bm_cal_record *cal);
	void (*free)(struct bm_source *src);
};

/** Every source starts with this. */
struct bm_source {
	const struct bm_source_ops *ops;
};

static inline size_t bm_source_read(struct bm_source *s, struct bm_live_sample *out, size_t max,
                                    int timeout_ms)
{
	return s->ops->read(s, out, max, timeout_ms);
}

static inline void bm_source_status(struct bm_source *s, struct bm_source_status *out)
{
	s->ops->status(s, out);
}

static inline void bm_source_free(struct bm_source *s)
{
	if (s)
		s->ops->free(s);
}

/**
 * The demo athlete (bm_sim, endless unless @p seconds > 0) as a source.
 * @param speed  1 plays in real time, 2 twice as fast; 0 as fast as the
 *               reader takes samples (tests, headless recording).
 * @return NULL when out of memory.
 */
struct bm_source *bm_source_demo_new(uint64_t seed, double seconds, double rate_hz,
                                     double speed);

/**
 * A recorded session CSV as a source, paced by its t_s column.
 * @param speed  as for the demo.
 * @param msg    receives one line on failure.
 * @return NULL when the file cannot be opened or has no header (msg says).
 */
struct bm_source *bm_source_replay_new(const char *path, double speed, char *msg,
                                       size_t msg_len);

#endif
