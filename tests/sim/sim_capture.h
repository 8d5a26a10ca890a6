/*
 * sim_capture.h - what came out of the simulated board's UART, decoded by
 * the host's own decoder (host/core/bm_decoder), and the bit-exact
 * comparison of its samples with what the HX711 models actually sent.
 *
 * Going through bm_decoder on purpose: the proof then covers the real host
 * path (COBS, CRC, sequence and clock unwrapping), not a second decoder
 * written for the test.
 */
#ifndef SIM_CAPTURE_H
#define SIM_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "bm_decoder.h"
#include "hx711_model.h"

/** A decoded SAMPLE with the CPU cycle its last byte left the UART. */
struct cap_sample {
	struct bm_sample_msg msg;
	uint64_t t_us;      /**< device time, unwrapped by the decoder */
	uint64_t cycle;
};
/** A decoded INFO. */
struct cap_info {
	struct bm_info_msg info;
	uint64_t cycle;
};
/** A decoded ACK / ERROR / CAL. */
struct cap_reply {
	uint8_t type;       /**< BM_MSG_ACK, BM_MSG_ERROR or BM_MSG_CAL */
	uint8_t tag, cmd, code;
	uint8_t valid;      /**< CAL only */
	struct bm_cal_record cal;
	uint64_t cycle;
};

struct sim_capture {
	struct bm_decoder *dec;
	struct cap_sample *samples;
	size_t nsamples, cap_samples;
	struct cap_info *infos;
	size_t ninfos, cap_infos;
	struct cap_reply *replies;
	size_t nreplies, cap_replies;
	uint64_t bytes;
	uint64_t last_cycle;
};

/** New, empty capture; NULL when out of memory. */
struct sim_capture *sim_capture_new(void);

/** Free (NULL is fine). */
void sim_capture_free(struct sim_capture *c);

/** Feed one UART byte; usable as a simboard_uart_fn with the capture as
 *  context.  Aborts on out of memory (a test harness). */
void sim_capture_byte(void *capture, uint8_t byte, uint64_t cycle);

/** The decoder's counters. */
void sim_capture_stats(const struct sim_capture *c, struct bm_decoder_stats *out);

/** Reply with @p tag of @p type received at or after @p from_cycle, or NULL. */
const struct cap_reply *sim_capture_reply(const struct sim_capture *c, uint8_t type,
                                          uint8_t tag, uint64_t from_cycle);

/** Bit-exact comparison of one channel. */
struct sim_match {
	size_t reads;          /**< model reads compared */
	size_t skipped;        /**< reads the firmware drops by design (first
	                            reading after a gain change or reset at gain 64) */
	size_t frames;         /**< frames carrying data for the channel */
	size_t matched;        /**< frames equal to their read */
	size_t mismatched;
	long first_bad;        /**< index of the first mismatch, -1 if none */
	int32_t bad_frame_value, bad_read_value;
	double lag_min_us, lag_max_us; /**< read start minus frame t_us, less the
	                                    first pair's (clock offset): should
	                                    stay within a few tens of us */
};

/**
 * Compare the channel @p ch samples received at or after @p from_cycle with
 * the reads of @p chip that started at or after it.  Reads that ended less
 * than 5 ms before @p now_cycle are left out (their frame may still be on
 * the wire).  Call simboard_flush() first.
 * @return 0 when every compared frame matches and no read is missing.
 */
int sim_match_channel(const struct sim_capture *c, const struct hx711_model *chip, int ch,
                      double cpu_hz, uint64_t from_cycle, uint64_t now_cycle,
                      struct sim_match *out);

/**
 * Rate of samples carrying data for channel @p ch, in device time, over
 * those received between the two cycles; also the count.  0 if fewer than
 * two.
 */
double sim_capture_rate_hz(const struct sim_capture *c, int ch, uint64_t from_cycle,
                           uint64_t to_cycle, size_t *count);

#endif /* SIM_CAPTURE_H */
