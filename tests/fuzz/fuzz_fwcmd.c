/*
 * fuzz_fwcmd.c - libFuzzer target: the firmware's command receiver
 * (firmware/fw_cmd.c, the file the AVR build compiles, built natively as
 * tests/firmware does) on any bytes from the host.
 *
 * The first byte picks how the rest arrives:
 *  - even: as raw line bytes, one at a time through fw_cmd_feed() (framing,
 *    COBS, the frame-too-long skip, recovery after garbage);
 *  - odd: as a payload (type and body) that gets its correct CRC, so that
 *    the command checks behind the CRC are reached; it goes through
 *    fw_cmd_parse() and, COBS-encoded with its delimiter, through
 *    fw_cmd_feed(), and both must say the same.
 *
 * Checked: no crash or sanitizer report; every result is one the header
 * names; the receiver never holds more than BM_FRAME_MAX bytes; an accepted
 * command carries only values the board can act on (rate 10 or 80, gain 128
 * or 64, a calibration with finite non-zero scales); a refusal says why
 * with a known error code.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cobs.h"
#include "bm_crc16.h"
#include "bm_msg.h"
#include "fw_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_result(int r, const struct fw_cmd *c)
{
	switch (r) {
	case FW_CMD_MORE:
	case FW_CMD_ERR_FRAME:
	case FW_CMD_ERR_CRC:
	case FW_CMD_ERR_TYPE:
		return;
	case FW_CMD_REFUSED:
		if (c->error < BM_CMDERR_UNKNOWN || c->error > BM_CMDERR_VALUE || c->type < BM_CMD_PING)
			abort();
		return;
	case FW_CMD_OK:
		break;
	default:
		abort();
	}
	switch (c->type) {
	case BM_CMD_PING:
	case BM_CMD_GET_INFO:
	case BM_CMD_READ_CAL:
		return;
	case BM_CMD_SET_RATE:
		if (c->rate_sps != 10 && c->rate_sps != 80)
			abort();
		return;
	case BM_CMD_SET_GAIN:
		if (c->gain != 128 && c->gain != 64)
			abort();
		return;
	case BM_CMD_STORE_CAL:
		for (int ch = 0; ch < BM_NCHAN; ch++)
			if (!isfinite(c->cal.scale_n_per_count[ch]) || c->cal.scale_n_per_count[ch] == 0)
				abort();
		return;
	default:
		abort(); /* accepted a type the board does not know */
	}
}

static int same_cmd(const struct fw_cmd *a, const struct fw_cmd *b)
{
	return a->type == b->type && a->tag == b->tag && a->error == b->error &&
	       a->rate_sps == b->rate_sps && a->gain == b->gain &&
	       !memcmp(a->cal.offset_counts, b->cal.offset_counts, sizeof a->cal.offset_counts) &&
	       !memcmp(a->cal.scale_n_per_count, b->cal.scale_n_per_count,
	               sizeof a->cal.scale_n_per_count);
}

/* Every byte through the receiver; returns the result at the last one. */
static int feed(struct fw_cmd_rx *rx, const uint8_t *p, size_t n, struct fw_cmd *c)
{
	int r = FW_CMD_MORE;
	for (size_t i = 0; i < n; i++) {
		r = fw_cmd_feed(rx, p[i], c);
		if (rx->n > sizeof rx->buf)
			abort();
		check_result(r, c);
	}
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_cmd_rx rx;
	struct fw_cmd c, d;

	if (size == 0)
		return 0;
	fw_cmd_rx_init(&rx);
	if (!(data[0] & 1)) {
		feed(&rx, data + 1, size - 1, &c);
		return 0;
	}
	/* A payload with its CRC, as a well-behaved host would send it. */
	uint8_t payload[BM_PAYLOAD_MAX], frame[BM_FRAME_MAX];
	size_t n = size - 1;
	if (n > BM_PAYLOAD_MAX - 2)
		n = BM_PAYLOAD_MAX - 2;
	memcpy(payload, data + 1, n);
	bm_put_u16(payload + n, bm_crc16(payload, n));
	n += 2;
	int r = fw_cmd_parse(payload, n, &c);
	check_result(r, &c);
	size_t fl = bm_cobs_encode(payload, n, frame, sizeof frame - 1);
	if (fl == 0)
		abort(); /* BM_FRAME_MAX holds any payload */
	frame[fl++] = BM_FRAME_DELIM;
	int rf = feed(&rx, frame, fl, &d);
	/* A payload too short for type and CRC is dropped either way. */
	if (rf != r || (r == FW_CMD_OK || r == FW_CMD_REFUSED ? !same_cmd(&c, &d) : 0))
		abort();
	if (rx.n != 0)
		abort(); /* the delimiter empties the receiver */
	return 0;
}
