/*
 * test_fw_frames.c - the board's frames, read back by the host's own
 * decoder (host/core/bm_decoder): what the firmware builds is what the host
 * understands, field by field, for every message type.  Also pins the
 * SAMPLE frame length the TX ring's reserve is sized by.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bm_cobs.h"
#include "bm_decoder.h"
#include "fw_frames.h"
#include "fw_tests.h"

/* Decode exactly one message from a frame (after a leading delimiter,
 * which the decoder needs to be in sync). */
static void decode_one(const uint8_t *frame, size_t n, struct bm_decoded *out)
{
	struct bm_decoder *dec = bm_decoder_new();
	const uint8_t zero = 0, *p = &zero;
	size_t len = 1;
	ck_assert_ptr_nonnull(dec);
	ck_assert_int_eq(bm_decoder_next(dec, &p, &len, out), 0);
	p = frame;
	len = n;
	int got = bm_decoder_next(dec, &p, &len, out);
	ck_assert_msg(got == 1, "decoder gave no message for a %zu-byte frame", n);
	ck_assert_msg(len == 0, "decoder left %zu bytes unread", len);
	bm_decoder_free(dec);
}

START_TEST(frames_sample_round_trip)
{
	uint8_t f[FW_FRAME_BUF];
	struct bm_decoded d;
	const int32_t raws[][2] = {{0, 0}, {BM_RAW_MAX, BM_RAW_MIN}, {-1, 1},
	                           {-123456, 654321}, {0x10000, -0x10000}};
	for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
		struct bm_sample_msg m = {.seq = (uint16_t)(65530 + i), .t_us = 0xFFFFFF00u + (uint32_t)i,
		                          .raw = {raws[i][0], raws[i][1]},
		                          .flags = {(uint8_t)i, BM_CH_NOT_READY | BM_CH_RESET}};
		uint8_t n = fw_frame_sample(f, &m);
		ck_assert_msg(n == FW_SAMPLE_FRAME_LEN, "SAMPLE frame length expected %u, got %u",
		              (unsigned)FW_SAMPLE_FRAME_LEN, n);
		decode_one(f, n, &d);
		ck_assert_int_eq(d.type, BM_MSG_SAMPLE);
		ck_assert_msg(d.u.sample.msg.seq == m.seq && d.u.sample.msg.t_us == m.t_us,
		              "seq/t_us expected %u/%u, got %u/%u", m.seq, m.t_us,
		              d.u.sample.msg.seq, d.u.sample.msg.t_us);
		for (int ch = 0; ch < 2; ch++) {
			ck_assert_msg(d.u.sample.msg.raw[ch] == m.raw[ch], "raw[%d] expected %d, got %d",
			              ch, m.raw[ch], d.u.sample.msg.raw[ch]);
			ck_assert_msg(d.u.sample.msg.flags[ch] == m.flags[ch], "flags[%d] expected %u, got %u",
			              ch, m.flags[ch], d.u.sample.msg.flags[ch]);
		}
	}
}
END_TEST

START_TEST(frames_info_round_trip)
{
	uint8_t f[FW_FRAME_BUF];
	struct bm_decoded d;
	struct bm_info_msg m;
	/* memset first: memcmp below must not see padding bytes. */
	memset(&m, 0, sizeof m);
	m.proto_version = BM_PROTO_VERSION;
	m.fw_minor = 1;
	m.rate_sps = 80;
	m.gain = 64;
	m.board_id = 0x12345678;
	m.reset_cause = BM_RESET_WATCHDOG | BM_RESET_EXTERNAL;
	m.cal_state = BM_CAL_VALID;
	m.cmd_errors = 300;
	m.tx_overflows = 2;
	uint8_t n = fw_frame_info(f, &m);
	ck_assert_msg(n == FW_FRAME_LEN(BM_INFO_BODY_LEN), "INFO length expected %u, got %u",
	              (unsigned)FW_FRAME_LEN(BM_INFO_BODY_LEN), n);
	decode_one(f, n, &d);
	ck_assert_int_eq(d.type, BM_MSG_INFO);
	ck_assert_msg(memcmp(&d.u.info, &m, sizeof m) == 0, "INFO fields changed on the way");
}
END_TEST

START_TEST(frames_replies_round_trip)
{
	uint8_t f[FW_FRAME_BUF];
	struct bm_decoded d;
	decode_one(f, fw_frame_ack(f, 0xA5, BM_CMD_SET_RATE), &d);
	ck_assert_msg(d.type == BM_MSG_ACK && d.u.reply.tag == 0xA5 && d.u.reply.cmd == BM_CMD_SET_RATE,
	              "ACK expected tag 0xA5 cmd 0x42, got type %u tag 0x%02X cmd 0x%02X",
	              d.type, d.u.reply.tag, d.u.reply.cmd);
	decode_one(f, fw_frame_error(f, 0, 0x7E, BM_CMDERR_UNKNOWN), &d);
	ck_assert_msg(d.type == BM_MSG_ERROR && d.u.reply.tag == 0 && d.u.reply.cmd == 0x7E &&
	              d.u.reply.code == BM_CMDERR_UNKNOWN, "ERROR fields wrong");

	struct bm_cal_record c = {.offset_counts = {-5, 70000}, .scale_n_per_count = {1e-3f, -2e-4f}};
	decode_one(f, fw_frame_cal(f, 3, 1, &c), &d);
	ck_assert_msg(d.type == BM_MSG_CAL && d.u.cal.tag == 3 && d.u.cal.valid == 1,
	              "CAL expected tag 3 valid 1, got tag %u valid %u", d.u.cal.tag, d.u.cal.valid);
	ck_assert_msg(memcmp(&d.u.cal.rec, &c, sizeof c) == 0, "CAL record changed on the way");
	/* Not valid: the record goes out as zeros, whatever was passed. */
	uint8_t n = fw_frame_cal(f, 4, 0, &c);
	decode_one(f, n, &d);
	ck_assert_msg(d.type == BM_MSG_CAL && d.u.cal.valid == 0, "invalid CAL must say valid 0");
	ck_assert_msg(d.u.cal.rec.offset_counts[0] == 0 && d.u.cal.rec.offset_counts[1] == 0,
	              "invalid CAL must carry zeros");
	/* On the wire itself (PROTOCOL.md, CAL): valid byte 0, record all
	 * zeros.  The host's decoder alone would not tell, since it also
	 * refuses a record whose scale is zero. */
	uint8_t p[BM_FRAME_MAX];
	ck_assert_msg(n >= 2 && f[n - 1] == BM_FRAME_DELIM, "CAL frame ends with its delimiter");
	long pl = bm_cobs_decode(f, (size_t)n - 1, p, sizeof p);
	ck_assert_msg(pl == 3 + 2 + BM_CAL_BODY_LEN, "CAL payload %ld bytes, expected %d", pl,
	              3 + 2 + BM_CAL_BODY_LEN);
	ck_assert_msg(p[0] == BM_MSG_CAL && p[1] == 4 && p[2] == 0,
	              "CAL payload type 0x%02X tag %u valid %u, expected 0x%02X 4 0", p[0], p[1], p[2],
	              BM_MSG_CAL);
	for (int i = 0; i < BM_CAL_BODY_LEN; i++)
		ck_assert_msg(p[3 + i] == 0, "invalid CAL record byte %d is 0x%02X, expected 0", i,
		              p[3 + i]);
}
END_TEST

Suite *suite_fw_frames(void)
{
	Suite *s = suite_create("fw_frames");
	TCase *tc = tcase_create("frames");
	tcase_add_test(tc, frames_sample_round_trip);
	tcase_add_test(tc, frames_info_round_trip);
	tcase_add_test(tc, frames_replies_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
