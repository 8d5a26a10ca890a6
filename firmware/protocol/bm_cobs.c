/* bm_cobs.c - COBS encoder and decoder; the idea is in bm_cobs.h. */
#include "bm_cobs.h"

size_t bm_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
	size_t code_at = 0;  /* where the current block's code byte goes */
	size_t o = 1;        /* next output position */
	uint8_t code = 1;    /* 1 + data bytes in the current block */

	if (out_cap < 1)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == 0) {
			out[code_at] = code;
			code_at = o++;
			code = 1;
		} else {
			if (o >= out_cap)
				return 0;
			out[o++] = in[i];
			code++;
		}
		/* A full block (254 data bytes) closes without an implied zero;
		 * open the next one only if input remains, so a 254-byte run at
		 * the end costs no extra code byte. */
		if (code == 0xFF && i + 1 < len) {
			out[code_at] = code;
			code_at = o++;
			code = 1;
		}
		if (code_at >= out_cap)
			return 0;
	}
	out[code_at] = code;
	return o;
}

long bm_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
	size_t i = 0, o = 0;

	if (len == 0)
		return -1;
	while (i < len) {
		uint8_t code = in[i++];
		if (code == 0 || i + (size_t)(code - 1) > len)
			return -1;
		for (uint8_t k = 1; k < code; k++) {
			if (in[i] == 0 || o >= out_cap)
				return -1;
			out[o++] = in[i++];
		}
		/* The implied zero: not after a full block, not at the end. */
		if (code != 0xFF && i < len) {
			if (o >= out_cap)
				return -1;
			out[o++] = 0;
		}
	}
	return (long)o;
}
