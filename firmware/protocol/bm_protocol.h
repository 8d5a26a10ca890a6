/*
 * bm_protocol.h - the bridgemon wire protocol: the one definition shared by
 * the firmware (avr-gcc) and the host (gcc/clang).  firmware/PROTOCOL.md is
 * the prose version of this file; when the two disagree, this file wins and
 * the document is a bug.
 *
 * A frame on the wire is
 *
 *     COBS( type | body ... | crc16_lo crc16_hi )  0x00
 *
 * COBS removes every 0x00 from the payload so that 0x00 can delimit frames:
 * a receiver that starts listening mid-stream, or loses a byte, resyncs at the
 * next 0x00.  The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no
 * reflection, no final xor; check value 0x29B1 over "123456789") computed over
 * type and body.  All multi-byte fields are little-endian.
 *
 * Compatibility rules, because other people's scripts and old boards depend
 * on them:
 *  - enum values are explicit and only ever appended; a value is never reused;
 *  - a message body may grow at its end in a new protocol version; a receiver
 *    accepts a body longer than it knows and ignores the tail, and refuses
 *    one that is shorter;
 *  - BM_PROTO_VERSION changes only when an old host could misread a new
 *    board (a field changes meaning or position).  The host refuses a board
 *    whose INFO names another version, with a message naming both.
 *
 * This header holds no code that needs a hosted C library: the firmware
 * includes it too.
 */
#ifndef BM_PROTOCOL_H
#define BM_PROTOCOL_H

#include <stdint.h>

/** Protocol version carried in INFO. */
#define BM_PROTO_VERSION 1

/** Frame delimiter on the wire. */
#define BM_FRAME_DELIM 0x00

/**
 * Largest payload (type + body + 2 CRC bytes) either side ever sends.  A
 * receiver drops longer frames as framing errors, which bounds its buffer.
 */
#define BM_PAYLOAD_MAX 64

/** Largest COBS-encoded frame, including its 0x00 delimiter. */
#define BM_FRAME_MAX (BM_PAYLOAD_MAX + BM_PAYLOAD_MAX / 254 + 1 + 1)

/** Serial line: 8N1 at this rate.  250000 is exact at 16 MHz (UBRR = 3,
 *  0.0 % error), where 115200 is 2.1 % off; CH340, FT232R and the 16U2 all
 *  generate it (it is the default of the Marlin printer firmware on the same
 *  boards). */
#define BM_BAUD 250000UL

/** Message types.  0x01-0x3F: device to host.  0x40-0x7F: host to device. */
enum bm_msg_type {
	BM_MSG_SAMPLE = 0x01,   /**< one conversion pair, see bm_sample_msg */
	BM_MSG_INFO = 0x02,     /**< board description, see bm_info_msg */
	BM_MSG_ACK = 0x03,      /**< command done: tag, command type */
	BM_MSG_ERROR = 0x04,    /**< command refused: tag, command type, bm_cmd_error */
	BM_MSG_CAL = 0x05,      /**< reply to READ_CAL: tag, valid, bm_cal_record */

	BM_CMD_PING = 0x40,     /**< tag; answered by ACK */
	BM_CMD_GET_INFO = 0x41, /**< tag; answered by INFO then ACK */
	BM_CMD_SET_RATE = 0x42, /**< tag, rate_sps (10 or 80); ACK or ERROR */
	BM_CMD_SET_GAIN = 0x43, /**< tag, gain (128 or 64); ACK or ERROR */
	BM_CMD_STORE_CAL = 0x44,/**< tag, bm_cal_record; ACK or ERROR */
	BM_CMD_READ_CAL = 0x45, /**< tag; answered by CAL */
};

/** Why a command was refused (body of BM_MSG_ERROR). */
enum bm_cmd_error {
	BM_CMDERR_UNKNOWN = 1,   /**< type not known to this firmware */
	BM_CMDERR_LENGTH = 2,    /**< body shorter than the command needs */
	BM_CMDERR_VALUE = 3,     /**< an argument out of range (rate 20 SPS, say) */
	BM_CMDERR_EEPROM = 4,    /**< EEPROM write did not read back */
};

/** Per-channel status bits in a SAMPLE. */
enum bm_chan_flag {
	/** The chip has not signalled ready for 3 conversion periods; raw is 0
	 *  and is not a reading.  The other channel keeps streaming. */
	BM_CH_NOT_READY = 1u << 0,
	/** Reading was 0x7FFFFF: input above the ADC's range. */
	BM_CH_SAT_HIGH = 1u << 1,
	/** Reading was 0x800000 (sign-extended -8388608): below the range. */
	BM_CH_SAT_LOW = 1u << 2,
	/** First reading after the firmware power-cycled the chip to recover. */
	BM_CH_RESET = 1u << 3,
};

/** The flags that make a channel's value not a reading at all (a chip that
 *  is not answering, or a saturated ADC): the host treats such a sample as
 *  missing.  BM_CH_RESET alone is a good reading. */
#define BM_CH_NOT_A_READING (BM_CH_NOT_READY | BM_CH_SAT_HIGH | BM_CH_SAT_LOW)

/** Reset cause bits in INFO: the ATmega328P's MCUSR as read at boot. */
enum bm_reset_cause {
	BM_RESET_POWER_ON = 1u << 0,
	BM_RESET_EXTERNAL = 1u << 1,
	BM_RESET_BROWN_OUT = 1u << 2,
	BM_RESET_WATCHDOG = 1u << 3,
};

/** Calibration state in INFO. */
enum bm_cal_state {
	BM_CAL_NONE = 0,     /**< EEPROM blank or corrupt (CRC mismatch) */
	BM_CAL_VALID = 1,    /**< EEPROM holds a record with a good CRC */
};

/** Channel index: the left heel is channel 0, the right heel channel 1. */
enum bm_channel { BM_LEFT = 0, BM_RIGHT = 1, BM_NCHAN = 2 };

/** Raw HX711 counts are 24-bit two's complement. */
#define BM_RAW_MAX 8388607L
#define BM_RAW_MIN (-8388608L)

/** SAMPLE body: one conversion pair, both chips clocked together. */
struct bm_sample_msg {
	uint16_t seq;           /**< +1 per SAMPLE, wraps at 65535 */
	uint32_t t_us;          /**< device time at the read, microseconds, wraps */
	int32_t raw[BM_NCHAN];  /**< 24-bit counts, sign-extended */
	uint8_t flags[BM_NCHAN];/**< bm_chan_flag bits */
};
/** SAMPLE body bytes: seq 2, t_us 4, raw 3+3, flags 1+1. */
#define BM_SAMPLE_BODY_LEN 14

/** INFO body. */
struct bm_info_msg {
	uint8_t proto_version;  /**< BM_PROTO_VERSION of the firmware */
	uint8_t fw_major, fw_minor, fw_patch;
	uint8_t rate_sps;       /**< 10 or 80 */
	uint8_t gain;           /**< 128 or 64 (channel A) */
	uint32_t board_id;      /**< from EEPROM; keys the host's calibration file */
	uint8_t reset_cause;    /**< bm_reset_cause bits */
	uint8_t cal_state;      /**< bm_cal_state */
	uint16_t cmd_errors;    /**< malformed or refused commands since boot */
	uint16_t tx_overflows;  /**< frames dropped because the TX ring was full */
};
/** INFO body bytes. */
#define BM_INFO_BODY_LEN 16

/** Calibration as the board stores it: force_n = (raw - offset) * scale. */
struct bm_cal_record {
	int32_t offset_counts[BM_NCHAN];   /**< raw counts at zero force (tare) */
	float scale_n_per_count[BM_NCHAN]; /**< newtons per count; negative for a
	                                        load cell wired in reverse */
};
/** Calibration record bytes: 2 x (int32 + IEEE-754 float32). */
#define BM_CAL_BODY_LEN 16

#endif /* BM_PROTOCOL_H */
