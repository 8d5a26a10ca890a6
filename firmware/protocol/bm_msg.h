/*
 * bm_msg.h - frames and message bodies of the bridgemon protocol, packed and
 * unpacked byte by byte (little-endian) so that the same code gives the same
 * bytes on the AVR and on the host, whatever either compiler does with
 * struct layout.  Shared by firmware and host; see bm_protocol.h.
 */
#ifndef BM_MSG_H
#define BM_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "bm_protocol.h"

/** Results of the checks below: 0 is fine, negatives say what is wrong. */
enum bm_msg_result {
	BM_MSG_OK = 0,
	BM_MSG_ERR_SHORT = -1,  /**< fewer bytes than the message needs */
	BM_MSG_ERR_CRC = -2,    /**< CRC over type and body does not match */
	BM_MSG_ERR_RANGE = -3,  /**< a field holds a value the protocol forbids */
};

/**
 * Build a whole wire frame: COBS(type | body | crc16 LE) followed by 0x00.
 * @param body      may be NULL when @p body_len is 0.
 * @param body_len  at most BM_PAYLOAD_MAX - 3.
 * @param out       at least BM_FRAME_MAX bytes.
 * @return          frame length in bytes, or 0 when the body is too long or
 *                  @p out_cap too small.
 */
size_t bm_frame_build(uint8_t type, const uint8_t *body, size_t body_len,
                      uint8_t *out, size_t out_cap);

/**
 * Check a COBS-decoded payload (type | body | crc): at least 3 bytes, CRC
 * correct.  On success the body is payload[1 .. len-3] and its length is
 * len - 3.
 * @return BM_MSG_OK, BM_MSG_ERR_SHORT or BM_MSG_ERR_CRC.
 */
int bm_payload_check(const uint8_t *payload, size_t len);

/** Little-endian field helpers, exposed because commands and tests use them. */
void bm_put_u16(uint8_t *p, uint16_t v);
void bm_put_u32(uint8_t *p, uint32_t v);
uint16_t bm_get_u16(const uint8_t *p);
uint32_t bm_get_u32(const uint8_t *p);
/** Store the low 24 bits of @p v (two's complement). */
void bm_put_s24(uint8_t *p, int32_t v);
/** Read 24-bit two's complement and sign-extend it to 32 bits. */
int32_t bm_get_s24(const uint8_t *p);
/** IEEE-754 binary32, little-endian. */
void bm_put_f32(uint8_t *p, float v);
float bm_get_f32(const uint8_t *p);

/** SAMPLE: pack into BM_SAMPLE_BODY_LEN bytes. */
void bm_sample_pack(const struct bm_sample_msg *m, uint8_t *body);
/** SAMPLE: unpack; a longer body is accepted (newer firmware), a shorter one
 *  gives BM_MSG_ERR_SHORT. */
int bm_sample_unpack(const uint8_t *body, size_t len, struct bm_sample_msg *m);

/** INFO: pack into BM_INFO_BODY_LEN bytes. */
void bm_info_pack(const struct bm_info_msg *m, uint8_t *body);
/** INFO: unpack; only proto_version is required to be present (1 byte), so
 *  the host can name the version of a board it cannot otherwise read.  The
 *  other fields are zero when the body is shorter than BM_INFO_BODY_LEN, and
 *  the call then returns BM_MSG_ERR_SHORT. */
int bm_info_unpack(const uint8_t *body, size_t len, struct bm_info_msg *m);

/** Calibration record: pack into BM_CAL_BODY_LEN bytes. */
void bm_cal_pack(const struct bm_cal_record *c, uint8_t *body);
/** Calibration record: unpack.  BM_MSG_ERR_RANGE when a scale is zero,
 *  infinite or NaN (a blank EEPROM reads as all 0xFF, which is NaN). */
int bm_cal_unpack(const uint8_t *body, size_t len, struct bm_cal_record *c);

#endif
