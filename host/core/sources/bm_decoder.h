/*
 * bm_decoder.h - bytes from the board to protocol messages.
 *
 * The decoder is pure: it never touches a port.  Feed it whatever chunks the
 * source delivered (one byte, half a frame, ten frames and a half); it keeps
 * the partial frame between calls and hands back one decoded message per
 * call.  Frames end at 0x00 (see bm_protocol.h); on anything wrong (bad COBS,
 * bad CRC, too long, a body too short for its type) the frame is dropped,
 * counted, and decoding resumes at the next 0x00.  Bytes before the first
 * 0x00 of a stream are a frame cut in half by the moment we started
 * listening; they are skipped without being counted as errors.
 *
 * Sample bookkeeping: the sequence number (u16, wraps) gives the count of
 * samples lost in between, across wraps; the device's microsecond clock (u32,
 * wraps every 71.6 min) is unwrapped to 64 bits, so sample times come from
 * the device, not from when USB delivered the bytes.
 */
#ifndef BM_DECODER_H
#define BM_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "bm_protocol.h"

/** Counters since bm_decoder_new().  All exact. */
struct bm_decoder_stats {
	uint64_t bytes;            /**< bytes fed */
	uint64_t bytes_skipped;    /**< bytes before the first delimiter */
	uint64_t frames_ok;        /**< frames with good COBS, CRC and length */
	uint64_t crc_errors;       /**< frames whose CRC did not match */
	uint64_t framing_errors;   /**< bad COBS, too long, too short for type */
	uint64_t unknown_types;    /**< good frames of a type we do not know */
	uint64_t samples;          /**< SAMPLE messages delivered */
	uint64_t dropped_samples;  /**< samples missing, from sequence gaps */
	uint64_t seq_restarts;     /**< sequence jumped backwards: device reset */
};

/** One decoded message.  @c type says which union member is valid. */
struct bm_decoded {
	uint8_t type; /**< enum bm_msg_type; unknown types are not returned */
	union {
		struct {
			struct bm_sample_msg msg;
			uint64_t t_us;     /**< device time, unwrapped */
			uint32_t lost_before; /**< samples missing just before this one */
		} sample;
		struct bm_info_msg info;
		struct {
			uint8_t tag;       /**< tag of the command answered */
			uint8_t cmd;       /**< type of the command answered */
			uint8_t code;      /**< bm_cmd_error (ERROR only) */
		} reply;
		struct {
			uint8_t tag;
			uint8_t valid;     /**< 1 when the board's EEPROM record is good */
			struct bm_cal_record rec;
		} cal;
	} u;
};

struct bm_decoder;

/** New decoder; NULL when out of memory.  Free with bm_decoder_free(). */
struct bm_decoder *bm_decoder_new(void);

/** Free a decoder (NULL is fine). */
void bm_decoder_free(struct bm_decoder *dec);

/**
 * Decode the next message from a byte buffer.
 * @param data  in: next unread byte; out: advanced past what was consumed.
 *              Must not be NULL; *data may be NULL when *len is 0.
 * @param len   in/out: bytes left at *data.
 * @param out   filled when the call returns 1.
 * @return      1 when @p out holds a message (call again: more may follow),
 *              0 when the input is used up (the partial frame is kept).
 */
int bm_decoder_next(struct bm_decoder *dec, const uint8_t **data, size_t *len,
                    struct bm_decoded *out);

/**
 * Forget the partial frame and the last sequence number and time, but keep
 * the counters: call after the port was closed and reopened (unplug/replug),
 * so that the first frame after it is not miscounted.
 */
void bm_decoder_restart(struct bm_decoder *dec);

/** Copy the counters. */
void bm_decoder_get_stats(const struct bm_decoder *dec, struct bm_decoder_stats *out);

#endif
