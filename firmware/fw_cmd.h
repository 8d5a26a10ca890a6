/*
 * fw_cmd.h - host-to-board commands: bytes from the UART in, checked
 * commands out.
 *
 * The receiver collects bytes up to the 0x00 frame delimiter, undoes COBS,
 * checks the CRC and then the command itself: its type, the length of its
 * body and the range of its arguments.  Every problem ends in one of two
 * ways, and neither ever waits or blocks:
 *  - the frame cannot be trusted (bad COBS, too long, bad CRC, a type the
 *    board itself sends): it is dropped without a reply, since its tag may
 *    be garbage, and the caller counts it;
 *  - the frame is sound but the command is not (unknown type, body too
 *    short, value out of range): the caller replies ERROR with the tag and
 *    counts it.
 * A frame longer than any command is cut off at BM_FRAME_MAX bytes and the
 * rest of it, up to the next 0x00, is skipped: the receiver's memory is
 * bounded whatever arrives.
 *
 * Bytes before the first 0x00 are treated as a frame too (the host may
 * start talking without a leading delimiter); if they are line noise they
 * fail the CRC like any other garbage.
 *
 * Pure logic: compiles for the AVR and natively for the unit tests.
 */
#ifndef FW_CMD_H
#define FW_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "bm_protocol.h"

/** What fw_cmd_feed() / fw_cmd_parse() found. */
enum fw_cmd_result {
	FW_CMD_MORE = 0,        /**< no complete frame yet (feed only) */
	FW_CMD_OK = 1,          /**< a valid command is in the fw_cmd */
	FW_CMD_REFUSED = 2,     /**< reply ERROR: tag, type, error are set */
	FW_CMD_ERR_FRAME = -1,  /**< bad COBS, empty or too long: dropped */
	FW_CMD_ERR_CRC = -2,    /**< CRC mismatch: dropped */
	FW_CMD_ERR_TYPE = -3,   /**< a device-to-host type (an echo?): dropped */
};

/** A checked command. */
struct fw_cmd {
	uint8_t type;               /**< enum bm_msg_type, a BM_CMD_* value */
	uint8_t tag;                /**< echoed in the reply; 0 if the body was empty */
	uint8_t error;              /**< enum bm_cmd_error when FW_CMD_REFUSED */
	uint8_t rate_sps;           /**< SET_RATE: 10 or 80 */
	uint8_t gain;               /**< SET_GAIN: 128 or 64 */
	struct bm_cal_record cal;   /**< STORE_CAL: the record to store */
};

/** Receiver state; zero it or call fw_cmd_rx_init(). */
struct fw_cmd_rx {
	uint8_t buf[BM_FRAME_MAX];  /* encoded bytes of the frame being received */
	uint8_t n;                  /* bytes in buf */
	uint8_t overflow;           /* frame too long: skip to the next 0x00 */
};

/** Start with an empty frame. */
void fw_cmd_rx_init(struct fw_cmd_rx *rx);

/**
 * Feed one received byte.
 * @param cmd  filled when the result is FW_CMD_OK or FW_CMD_REFUSED; not NULL.
 * @return FW_CMD_MORE while a frame is incomplete; at a 0x00 that ends a
 *         non-empty frame, the result of fw_cmd_parse() or a FW_CMD_ERR_*.
 *         A 0x00 that ends an empty frame (two in a row) gives FW_CMD_MORE.
 */
int fw_cmd_feed(struct fw_cmd_rx *rx, uint8_t byte, struct fw_cmd *cmd);

/**
 * Check a COBS-decoded payload (type | body | crc16).
 * @param payload  @p len bytes, not NULL.
 * @param cmd      filled as described for fw_cmd_feed(); not NULL.
 * @return FW_CMD_OK, FW_CMD_REFUSED, FW_CMD_ERR_FRAME (shorter than type and
 *         CRC), FW_CMD_ERR_CRC or FW_CMD_ERR_TYPE.
 */
int fw_cmd_parse(const uint8_t *payload, size_t len, struct fw_cmd *cmd);

#endif /* FW_CMD_H */
