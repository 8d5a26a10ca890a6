/*
 * bm_crc16.h - CRC-16/CCITT-FALSE, the checksum at the end of every frame.
 *
 * Parameters (CRC catalogue): width 16, poly 0x1021, init 0xFFFF, refin
 * false, refout false, xorout 0; check 0x29B1 over ASCII "123456789".  It is
 * computed bitwise: a frame is at most 64 bytes, so a 512-byte table would
 * cost the firmware more flash than the time it saves.
 */
#ifndef BM_CRC16_H
#define BM_CRC16_H

#include <stddef.h>
#include <stdint.h>

/** Initial value; pass it as @p crc for the first chunk. */
#define BM_CRC16_INIT 0xFFFFu

/**
 * Continue a CRC over @p len bytes at @p data (may be NULL when len is 0).
 * Chunks may be fed one after another; the result equals one call over all.
 */
uint16_t bm_crc16_update(uint16_t crc, const uint8_t *data, size_t len);

/** CRC of one buffer from BM_CRC16_INIT. */
uint16_t bm_crc16(const uint8_t *data, size_t len);

#endif
