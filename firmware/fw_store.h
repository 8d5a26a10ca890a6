/*
 * fw_store.h - what the board keeps in EEPROM, and how it knows the bytes
 * are its own: the board id and the calibration record, each in a block with
 * a CRC-16 (the protocol's CRC-16/CCITT-FALSE).
 *
 * An erased EEPROM reads 0xFF everywhere; a block that is all 0xFF is
 * "blank", a block whose CRC does not match is "corrupt" (a write cut short
 * by a power loss, a worn cell).  Either way nothing in it is used: the
 * board reports BM_CAL_NONE, and a blank or corrupt id is replaced by a new
 * one.
 *
 * Layout (byte addresses; the gaps leave room to grow):
 *   0x000  id block:   u32 board_id LE, u16 crc LE                (6 bytes)
 *   0x010  cal block:  u8 version (1), bm_cal_record (16), u16 crc (19 bytes)
 * The CRCs cover the bytes before them in their block.
 *
 * The board id is derived once, on the first boot with a blank id block,
 * from an entropy pool fed with things that differ from board to board and
 * boot to boot: ADC noise in the first readings and the time at which the
 * chips' RC oscillators made them ready.  It keys the host's calibration
 * file, so it only has to differ between the few boards one person owns.
 *
 * Pure logic: compiles for the AVR and natively for the unit tests.
 */
#ifndef FW_STORE_H
#define FW_STORE_H

#include <stdint.h>

#include "bm_protocol.h"

#define FW_STORE_ID_ADDR 0x000u
#define FW_STORE_ID_LEN 6u
#define FW_STORE_CAL_ADDR 0x010u
#define FW_STORE_CAL_LEN (1u + BM_CAL_BODY_LEN + 2u)
#define FW_STORE_CAL_VERSION 1u

/** Results of the block checks. */
enum fw_store_result {
	FW_STORE_OK = 0,
	FW_STORE_BLANK = -1,    /**< all 0xFF: never written */
	FW_STORE_CORRUPT = -2,  /**< CRC, version or content wrong */
};

/** Make the id block for @p board_id into @p blk (FW_STORE_ID_LEN bytes). */
void fw_store_id_make(uint32_t board_id, uint8_t *blk);

/** Check an id block; on FW_STORE_OK @p board_id (not NULL) is set. */
int fw_store_id_check(const uint8_t *blk, uint32_t *board_id);

/** Make the calibration block (FW_STORE_CAL_LEN bytes) for @p cal. */
void fw_store_cal_make(const struct bm_cal_record *cal, uint8_t *blk);

/**
 * Check a calibration block; on FW_STORE_OK @p cal (not NULL) is set.  A
 * block with a good CRC whose scale is zero, infinite or NaN is corrupt.
 */
int fw_store_cal_check(const uint8_t *blk, struct bm_cal_record *cal);

/** Stir @p n bytes at @p data into the entropy pool @p pool (not NULL). */
void fw_store_entropy_mix(uint32_t *pool, const uint8_t *data, uint8_t n);

/** A board id from a pool: never 0 and never 0xFFFFFFFF (which would look
 *  like "no id" to a person reading a hex dump). */
uint32_t fw_store_id_derive(uint32_t pool);

#endif /* FW_STORE_H */
