/*
 * fw_frames.h - every frame the board sends, built whole into a buffer so
 * that it can be queued for the UART all at once (see fw_ring_write).
 *
 * Each builder packs a body with the shared bm_msg code and wraps it with
 * bm_frame_build (type, body, CRC, COBS, delimiter), so the board and the
 * host agree byte for byte by construction.  Reply bodies:
 *   ACK   [tag, command type]
 *   ERROR [tag, command type, bm_cmd_error]
 *   CAL   [tag, valid 0/1, 16-byte bm_cal_record]  (zeros when not valid)
 *
 * Pure logic: compiles for the AVR and natively for the unit tests.
 */
#ifndef FW_FRAMES_H
#define FW_FRAMES_H

#include <stdint.h>

#include "bm_protocol.h"

/** Room every builder needs at @p out. */
#define FW_FRAME_BUF BM_FRAME_MAX

/** Encoded length of a frame with a @p body-byte body: type, body, CRC,
 *  one COBS code byte (bodies here are far below 254 bytes), delimiter. */
#define FW_FRAME_LEN(body) ((body) + 3u + 1u + 1u)

/** Bytes of a SAMPLE frame on the wire (all fields are fixed-size). */
#define FW_SAMPLE_FRAME_LEN FW_FRAME_LEN(BM_SAMPLE_BODY_LEN)

/** Each builder returns the frame length in bytes, or 0 if it could not be
 *  built (which for these fixed bodies means a bug). @p out must hold
 *  FW_FRAME_BUF bytes. */
uint8_t fw_frame_sample(uint8_t *out, const struct bm_sample_msg *m);
uint8_t fw_frame_info(uint8_t *out, const struct bm_info_msg *m);
uint8_t fw_frame_ack(uint8_t *out, uint8_t tag, uint8_t cmd_type);
uint8_t fw_frame_error(uint8_t *out, uint8_t tag, uint8_t cmd_type, uint8_t code);
/** @param cal  NULL or ignored when @p valid is 0 (the record is sent as
 *              zeros, so stale or blank EEPROM bytes never look usable). */
uint8_t fw_frame_cal(uint8_t *out, uint8_t tag, uint8_t valid,
                     const struct bm_cal_record *cal);

#endif /* FW_FRAMES_H */
