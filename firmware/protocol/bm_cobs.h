/*
 * bm_cobs.h - Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999).
 *
 * COBS rewrites a buffer so that it holds no 0x00 byte, at a cost of one byte
 * plus one per 254 bytes of input.  Each block starts with a code byte n
 * (1..255): n-1 data bytes follow, and a 0x00 is implied after them unless
 * n is 255 (a full block) or the block ends the buffer.  The trailing 0x00
 * delimiter on the wire is not part of the encoding and is added by the
 * caller (bm_frame_build does).
 */
#ifndef BM_COBS_H
#define BM_COBS_H

#include <stddef.h>
#include <stdint.h>

/** Worst-case encoded size of @p n input bytes (no delimiter). */
#define BM_COBS_MAX_ENCODED(n) ((n) + (n) / 254 + 1)

/**
 * Encode @p len bytes at @p in into @p out.
 * @param out     room for at least BM_COBS_MAX_ENCODED(len) bytes; must not
 *                overlap @p in.
 * @return        encoded length (>= 1), or 0 when @p out_cap is too small.
 */
size_t bm_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);

/**
 * Decode @p len bytes of COBS at @p in (without the 0x00 delimiter).
 * @param out     may be the same buffer as @p in (decoding never writes
 *                ahead of what it has read).
 * @return        decoded length, or -1 when the input is not valid COBS (an
 *                embedded 0x00, a code that runs past the end, an empty
 *                input) or @p out_cap is too small.
 */
long bm_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);

#endif
