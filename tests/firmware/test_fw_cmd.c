/*
 * test_fw_cmd.c - the command receiver: every command and its replies'
 * inputs, every way a frame can be wrong (bad CRC, bad COBS, too long,
 * empty, short body, out-of-range value, unknown or device-side type), and
 * recovery: after any garbage the next good frame is understood.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cobs.h"
#include "bm_crc16.h"
#include "bm_msg.h"
#include "fw_cmd.h"
#include "fw_tests.h"

/* Feed a whole buffer; return the result at its last byte, and check that
 * every earlier byte gave FW_CMD_MORE. */
static int feed_all(struct fw_cmd_rx *rx, const uint8_t *p, size_t n, struct fw_cmd *cmd)
{
	int r = FW_CMD_MORE;
	for (size_t i = 0; i < n; i++) {
		r = fw_cmd_feed(rx, p[i], cmd);
		if (i + 1 < n)
			ck_assert_msg(r == FW_CMD_MORE, "byte %zu of %zu: expected MORE, got %d", i, n, r);
	}
	return r;
}

/* Build a frame of @p type with @p body and feed it. */
static int feed_cmd(struct fw_cmd_rx *rx, uint8_t type, const uint8_t *body, size_t blen,
                    struct fw_cmd *cmd)
{
	uint8_t frame[BM_FRAME_MAX];
	size_t n = bm_frame_build(type, body, blen, frame, sizeof frame);
	ck_assert_msg(n > 0, "test frame did not build");
	return feed_all(rx, frame, n, cmd);
}

START_TEST(cmd_simple_commands)
{
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	const uint8_t types[] = {BM_CMD_PING, BM_CMD_GET_INFO, BM_CMD_READ_CAL};
	fw_cmd_rx_init(&rx);
	for (size_t i = 0; i < sizeof types; i++) {
		uint8_t tag = (uint8_t)(0x10 + i);
		int r = feed_cmd(&rx, types[i], &tag, 1, &cmd);
		ck_assert_msg(r == FW_CMD_OK, "type 0x%02X: expected OK, got %d", types[i], r);
		ck_assert_msg(cmd.type == types[i] && cmd.tag == tag,
		              "type/tag expected 0x%02X/%u, got 0x%02X/%u", types[i], tag, cmd.type, cmd.tag);
	}
	/* A longer body than known is accepted (protocol rule: bodies grow). */
	uint8_t longer[] = {7, 1, 2, 3};
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, longer, sizeof longer, &cmd), FW_CMD_OK);
	ck_assert_int_eq(cmd.tag, 7);
}
END_TEST

START_TEST(cmd_rate_and_gain)
{
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	fw_cmd_rx_init(&rx);
	const uint8_t rates[] = {10, 80};
	for (size_t i = 0; i < 2; i++) {
		uint8_t b[] = {1, rates[i]};
		ck_assert_int_eq(feed_cmd(&rx, BM_CMD_SET_RATE, b, 2, &cmd), FW_CMD_OK);
		ck_assert_msg(cmd.rate_sps == rates[i], "rate expected %u, got %u", rates[i], cmd.rate_sps);
	}
	uint8_t bad_rate[] = {9, 20};
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_SET_RATE, bad_rate, 2, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_VALUE && cmd.tag == 9 && cmd.type == BM_CMD_SET_RATE,
	              "20 SPS: expected VALUE error with tag 9, got error %u tag %u", cmd.error, cmd.tag);
	uint8_t no_arg[] = {3};
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_SET_RATE, no_arg, 1, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_LENGTH, "missing rate: expected LENGTH, got %u", cmd.error);

	const uint8_t gains[] = {128, 64};
	for (size_t i = 0; i < 2; i++) {
		uint8_t b[] = {2, gains[i]};
		ck_assert_int_eq(feed_cmd(&rx, BM_CMD_SET_GAIN, b, 2, &cmd), FW_CMD_OK);
		ck_assert_msg(cmd.gain == gains[i], "gain expected %u, got %u", gains[i], cmd.gain);
	}
	uint8_t bad_gain[] = {4, 32};
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_SET_GAIN, bad_gain, 2, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_VALUE, "gain 32: expected VALUE, got %u", cmd.error);
}
END_TEST

START_TEST(cmd_store_cal)
{
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	struct bm_cal_record c = {.offset_counts = {-123456, 98765},
	                          .scale_n_per_count = {4.5e-4f, -5.25e-4f}};
	uint8_t body[1 + BM_CAL_BODY_LEN];
	fw_cmd_rx_init(&rx);
	body[0] = 0x33;
	bm_cal_pack(&c, body + 1);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_STORE_CAL, body, sizeof body, &cmd), FW_CMD_OK);
	ck_assert_msg(memcmp(&cmd.cal, &c, sizeof c) == 0, "record changed on its way in");
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_STORE_CAL, body, sizeof body - 1, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_LENGTH && cmd.tag == 0x33,
	              "15-byte record: expected LENGTH tag 0x33, got %u tag %u", cmd.error, cmd.tag);
	memset(body + 5, 0xFF, 4);  /* left scale NaN */
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_STORE_CAL, body, sizeof body, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_VALUE, "NaN scale: expected VALUE, got %u", cmd.error);
	memset(body + 5, 0x00, 4);  /* left scale zero */
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_STORE_CAL, body, sizeof body, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_VALUE, "zero scale: expected VALUE, got %u", cmd.error);
}
END_TEST

START_TEST(cmd_refusals)
{
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	uint8_t tag = 0x5A;
	fw_cmd_rx_init(&rx);
	ck_assert_int_eq(feed_cmd(&rx, 0x7E, &tag, 1, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_UNKNOWN && cmd.tag == 0x5A && cmd.type == 0x7E,
	              "unknown type: expected UNKNOWN/0x5A/0x7E, got %u/0x%02X/0x%02X",
	              cmd.error, cmd.tag, cmd.type);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, NULL, 0, &cmd), FW_CMD_REFUSED);
	ck_assert_msg(cmd.error == BM_CMDERR_LENGTH && cmd.tag == 0,
	              "no tag: expected LENGTH with tag 0, got %u tag %u", cmd.error, cmd.tag);
	/* A frame of a type the board itself sends: an echo, dropped. */
	ck_assert_int_eq(feed_cmd(&rx, BM_MSG_SAMPLE, &tag, 1, &cmd), FW_CMD_ERR_TYPE);
}
END_TEST

START_TEST(cmd_bad_frames_then_recovery)
{
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	uint8_t frame[BM_FRAME_MAX], payload[8];
	uint8_t tag = 9;
	size_t n;
	fw_cmd_rx_init(&rx);

	/* Bad CRC: corrupt one payload byte, re-encode. */
	payload[0] = BM_CMD_PING;
	payload[1] = tag;
	bm_put_u16(payload + 2, (uint16_t)(bm_crc16(payload, 2) ^ 0x0100));
	n = bm_cobs_encode(payload, 4, frame, sizeof frame);
	frame[n++] = 0;
	ck_assert_int_eq(feed_all(&rx, frame, n, &cmd), FW_CMD_ERR_CRC);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, &tag, 1, &cmd), FW_CMD_OK);

	/* Too long: 200 non-zero bytes, then a delimiter. */
	int r = FW_CMD_MORE;
	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(fw_cmd_feed(&rx, 0x41, &cmd), FW_CMD_MORE);
	r = fw_cmd_feed(&rx, 0, &cmd);
	ck_assert_msg(r == FW_CMD_ERR_FRAME, "overlong frame: expected ERR_FRAME, got %d", r);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, &tag, 1, &cmd), FW_CMD_OK);

	/* Bad COBS: a code byte that runs past the end. */
	const uint8_t bad_cobs[] = {0x09, 0x40, 0x01, 0x00};
	ck_assert_int_eq(feed_all(&rx, bad_cobs, sizeof bad_cobs, &cmd), FW_CMD_ERR_FRAME);
	/* Too short to hold type and CRC. */
	const uint8_t tiny[] = {0x03, 0x40, 0x01, 0x00};
	ck_assert_int_eq(feed_all(&rx, tiny, sizeof tiny, &cmd), FW_CMD_ERR_FRAME);
	/* Runs of delimiters are not frames. */
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(fw_cmd_feed(&rx, 0, &cmd), FW_CMD_MORE);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, &tag, 1, &cmd), FW_CMD_OK);
	ck_assert_int_eq(cmd.tag, 9);
}
END_TEST

START_TEST(cmd_random_garbage)
{
	/* 200000 random bytes: only the documented results come out, and a
	 * good frame after a delimiter is always understood. */
	struct fw_cmd_rx rx;
	struct fw_cmd cmd;
	uint8_t tag = 77;
	unsigned seed = 12345, oks = 0, delims = 0;
	fw_cmd_rx_init(&rx);
	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		uint8_t b = (uint8_t)(seed >> 16);
		int r = fw_cmd_feed(&rx, b, &cmd);
		ck_assert_msg(r >= FW_CMD_ERR_TYPE && r <= FW_CMD_REFUSED, "result %d out of range", r);
		if (r == FW_CMD_OK)
			oks++;
		delims += b == 0;
	}
	ck_assert_msg(oks * 1000 < delims + 1000, "garbage gave %u commands from %u frames", oks, delims);
	fw_cmd_feed(&rx, 0, &cmd);
	ck_assert_int_eq(feed_cmd(&rx, BM_CMD_PING, &tag, 1, &cmd), FW_CMD_OK);
	ck_assert_int_eq(cmd.tag, 77);
}
END_TEST

Suite *suite_fw_cmd(void)
{
	Suite *s = suite_create("fw_cmd");
	TCase *tc = tcase_create("commands");
	tcase_add_test(tc, cmd_simple_commands);
	tcase_add_test(tc, cmd_rate_and_gain);
	tcase_add_test(tc, cmd_store_cal);
	tcase_add_test(tc, cmd_refusals);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, cmd_bad_frames_then_recovery);
	tcase_add_test(tc, cmd_random_garbage);
	suite_add_tcase(s, tc);
	return s;
}
