/*
 * test_protocol.c - the wire protocol shared by firmware and host: CRC check
 * value from the CRC catalogue, COBS vectors (including the block-boundary
 * cases where encoders usually go wrong), frame build/check and field packing.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cobs.h"
#include "bm_crc16.h"
#include "bm_msg.h"
#include "bm_protocol.h"

START_TEST(crc_check_value)
{
	/* CRC-16/CCITT-FALSE catalogue check value. */
	const uint8_t s[] = "123456789";
	uint16_t crc = bm_crc16(s, 9);
	ck_assert_msg(crc == 0x29B1, "crc(\"123456789\") expected 0x29B1, got 0x%04X", crc);
}
END_TEST

START_TEST(crc_chunked_equals_whole)
{
	const uint8_t s[] = "123456789";
	uint16_t a = bm_crc16_update(BM_CRC16_INIT, s, 4);
	a = bm_crc16_update(a, s + 4, 5);
	ck_assert_msg(a == 0x29B1, "chunked crc expected 0x29B1, got 0x%04X", a);
	ck_assert_msg(bm_crc16(NULL, 0) == 0xFFFF, "crc of nothing is the init value");
}
END_TEST

/* Encode, compare with the expected bytes, decode back. */
static void cobs_vector(const uint8_t *in, size_t n, const uint8_t *exp, size_t en)
{
	uint8_t out[1024], back[1024];
	size_t got = bm_cobs_encode(in, n, out, sizeof out);
	ck_assert_msg(got == en, "encoded length of %zu bytes: expected %zu, got %zu", n, en, got);
	ck_assert_msg(memcmp(out, exp, en) == 0, "encoded bytes differ for %zu-byte input", n);
	for (size_t i = 0; i < got; i++)
		ck_assert_msg(out[i] != 0, "encoded output holds 0x00 at %zu", i);
	long dn = bm_cobs_decode(out, got, back, sizeof back);
	ck_assert_msg(dn == (long)n, "decoded length expected %zu, got %ld", n, dn);
	ck_assert_msg(n == 0 || memcmp(back, in, n) == 0, "round trip changed the data");
}

START_TEST(cobs_small_vectors)
{
	/* Vectors from the COBS paper / common test sets. */
	cobs_vector((const uint8_t *)"", 0, (const uint8_t[]){0x01}, 1);
	cobs_vector((const uint8_t[]){0x00}, 1, (const uint8_t[]){0x01, 0x01}, 2);
	cobs_vector((const uint8_t[]){0x00, 0x00}, 2, (const uint8_t[]){0x01, 0x01, 0x01}, 3);
	cobs_vector((const uint8_t[]){0x00, 0x11, 0x00}, 3,
	            (const uint8_t[]){0x01, 0x02, 0x11, 0x01}, 4);
	cobs_vector((const uint8_t[]){0x11, 0x22, 0x00, 0x33}, 4,
	            (const uint8_t[]){0x03, 0x11, 0x22, 0x02, 0x33}, 5);
	cobs_vector((const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 4,
	            (const uint8_t[]){0x05, 0x11, 0x22, 0x33, 0x44}, 5);
	cobs_vector((const uint8_t[]){0x11, 0x00, 0x00, 0x00}, 4,
	            (const uint8_t[]){0x02, 0x11, 0x01, 0x01, 0x01}, 5);
}
END_TEST

START_TEST(cobs_254_and_255_runs)
{
	uint8_t in[300], exp[310];

	/* 254 non-zero bytes: one full block, no trailing code byte. */
	for (int i = 0; i < 254; i++)
		in[i] = (uint8_t)(i + 1);
	exp[0] = 0xFF;
	memcpy(exp + 1, in, 254);
	cobs_vector(in, 254, exp, 255);

	/* 0x00 then 254 non-zero bytes. */
	in[0] = 0;
	for (int i = 1; i < 255; i++)
		in[i] = (uint8_t)i;
	exp[0] = 0x01;
	exp[1] = 0xFF;
	memcpy(exp + 2, in + 1, 254);
	cobs_vector(in, 255, exp, 256);

	/* 255 non-zero bytes: a full block then a block of one. */
	for (int i = 0; i < 255; i++)
		in[i] = (uint8_t)(i + 1);
	exp[0] = 0xFF;
	memcpy(exp + 1, in, 254);
	exp[255] = 0x02;
	exp[256] = 0xFF;
	cobs_vector(in, 255, exp, 257);

	/* 254 non-zero bytes then 0x00. */
	for (int i = 0; i < 254; i++)
		in[i] = (uint8_t)(i + 1);
	in[254] = 0;
	exp[0] = 0xFF;
	memcpy(exp + 1, in, 254);
	exp[255] = 0x01;
	exp[256] = 0x01;
	cobs_vector(in, 255, exp, 257);
}
END_TEST

START_TEST(cobs_zero_runs_and_random)
{
	uint8_t in[600], out[700], back[700];
	memset(in, 0, sizeof in);
	size_t n = bm_cobs_encode(in, 600, out, sizeof out);
	ck_assert_msg(n == 601, "600 zeros encode to 601 bytes, got %zu", n);
	srand(7);
	for (int trial = 0; trial < 2000; trial++) {
		size_t len = (size_t)(rand() % 600);
		for (size_t i = 0; i < len; i++)
			in[i] = (rand() % 4 == 0) ? 0 : (uint8_t)rand();
		n = bm_cobs_encode(in, len, out, sizeof out);
		ck_assert_msg(n >= 1 && n <= BM_COBS_MAX_ENCODED(len),
		              "encoded length %zu outside [1, %zu]", n, (size_t)BM_COBS_MAX_ENCODED(len));
		ck_assert_msg(memchr(out, 0, n) == NULL, "encoded output holds 0x00");
		long d = bm_cobs_decode(out, n, back, sizeof back);
		ck_assert_msg(d == (long)len && memcmp(back, in, len) == 0,
		              "round trip of %zu bytes failed (decoded %ld)", len, d);
	}
}
END_TEST

START_TEST(cobs_rejects_bad_input)
{
	uint8_t out[16];
	ck_assert_msg(bm_cobs_decode((const uint8_t[]){0x05, 0x11}, 2, out, sizeof out) == -1,
	              "a code running past the end is invalid");
	ck_assert_msg(bm_cobs_decode((const uint8_t[]){0x03, 0x00, 0x11}, 3, out, sizeof out) == -1,
	              "an embedded zero is invalid");
	ck_assert_msg(bm_cobs_decode((const uint8_t[]){0x00}, 1, out, sizeof out) == -1,
	              "a zero code is invalid");
	ck_assert_msg(bm_cobs_decode(out, 0, out, sizeof out) == -1, "empty input is invalid");
	ck_assert_msg(bm_cobs_encode((const uint8_t[]){1, 2, 3}, 3, out, 3) == 0,
	              "encoding into too small a buffer fails");
}
END_TEST

START_TEST(frame_round_trip)
{
	struct bm_sample_msg s = {.seq = 65535, .t_us = 0xFFFFFFF0u,
	                          .raw = {-8388608L, 8388607L},
	                          .flags = {BM_CH_SAT_LOW, BM_CH_SAT_HIGH}};
	struct bm_sample_msg r;
	uint8_t body[BM_SAMPLE_BODY_LEN], frame[BM_FRAME_MAX], payload[BM_FRAME_MAX];

	bm_sample_pack(&s, body);
	size_t n = bm_frame_build(BM_MSG_SAMPLE, body, sizeof body, frame, sizeof frame);
	ck_assert_msg(n > 0 && frame[n - 1] == 0, "frame ends in the delimiter");
	ck_assert_msg(memchr(frame, 0, n - 1) == NULL, "no zero inside a frame");
	long pl = bm_cobs_decode(frame, n - 1, payload, sizeof payload);
	ck_assert_msg(pl == BM_SAMPLE_BODY_LEN + 3, "payload length %ld", pl);
	ck_assert_int_eq(bm_payload_check(payload, (size_t)pl), BM_MSG_OK);
	ck_assert_int_eq(payload[0], BM_MSG_SAMPLE);
	ck_assert_int_eq(bm_sample_unpack(payload + 1, (size_t)pl - 3, &r), BM_MSG_OK);
	ck_assert_int_eq(r.seq, 65535);
	ck_assert_msg(r.t_us == 0xFFFFFFF0u, "t_us 0x%08lX", (unsigned long)r.t_us);
	ck_assert_int_eq(r.raw[0], -8388608L);
	ck_assert_int_eq(r.raw[1], 8388607L);
	ck_assert_int_eq(r.flags[0], BM_CH_SAT_LOW);
	ck_assert_int_eq(r.flags[1], BM_CH_SAT_HIGH);

	payload[3] ^= 0x01;
	ck_assert_int_eq(bm_payload_check(payload, (size_t)pl), BM_MSG_ERR_CRC);
	ck_assert_int_eq(bm_payload_check(payload, 2), BM_MSG_ERR_SHORT);
	ck_assert_int_eq(bm_sample_unpack(payload + 1, 13, &r), BM_MSG_ERR_SHORT);
}
END_TEST

START_TEST(s24_sign_extension)
{
	uint8_t b[3];
	const int32_t vals[] = {0, 1, -1, 8388607L, -8388608L, 123456, -123456};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		bm_put_s24(b, vals[i]);
		ck_assert_msg(bm_get_s24(b) == vals[i], "s24 %ld came back as %ld",
		              (long)vals[i], (long)bm_get_s24(b));
	}
	b[0] = 0xFF; b[1] = 0xFF; b[2] = 0xFF;
	ck_assert_int_eq(bm_get_s24(b), -1);
}
END_TEST

START_TEST(info_and_cal_round_trip)
{
	struct bm_info_msg i = {.proto_version = BM_PROTO_VERSION, .fw_major = 1,
	                        .fw_minor = 2, .fw_patch = 3, .rate_sps = 80, .gain = 128,
	                        .board_id = 0xDEADBEEF, .reset_cause = BM_RESET_WATCHDOG,
	                        .cal_state = BM_CAL_VALID, .cmd_errors = 513,
	                        .tx_overflows = 7}, j;
	uint8_t b[BM_INFO_BODY_LEN];
	bm_info_pack(&i, b);
	ck_assert_int_eq(bm_info_unpack(b, sizeof b, &j), BM_MSG_OK);
	/* Field by field: the struct has padding, whose bytes are whatever the
	 * stack held (a memcmp over it failed in the sanitizer build). */
	ck_assert_msg(i.proto_version == j.proto_version && i.fw_major == j.fw_major &&
	              i.fw_minor == j.fw_minor && i.fw_patch == j.fw_patch &&
	              i.rate_sps == j.rate_sps && i.gain == j.gain && i.board_id == j.board_id &&
	              i.reset_cause == j.reset_cause && i.cal_state == j.cal_state &&
	              i.cmd_errors == j.cmd_errors && i.tx_overflows == j.tx_overflows,
	              "INFO changed in the round trip: board_id 0x%08lX came back as 0x%08lX, "
	              "cmd_errors %u as %u, tx_overflows %u as %u", (unsigned long)i.board_id,
	              (unsigned long)j.board_id, i.cmd_errors, j.cmd_errors, i.tx_overflows,
	              j.tx_overflows);
	ck_assert_int_eq(bm_info_unpack(b, 1, &j), BM_MSG_ERR_SHORT);
	ck_assert_int_eq(j.proto_version, BM_PROTO_VERSION);

	struct bm_cal_record c = {.offset_counts = {-81234, 4567},
	                          .scale_n_per_count = {5.25e-4f, -4.75e-4f}}, d;
	uint8_t cb[BM_CAL_BODY_LEN];
	bm_cal_pack(&c, cb);
	ck_assert_int_eq(bm_cal_unpack(cb, sizeof cb, &d), BM_MSG_OK);
	ck_assert_msg(memcmp(&c, &d, sizeof c) == 0, "calibration changed in the round trip");
	memset(cb, 0xFF, sizeof cb);  /* blank EEPROM */
	ck_assert_int_eq(bm_cal_unpack(cb, sizeof cb, &d), BM_MSG_ERR_RANGE);
}
END_TEST

static Suite *suite_protocol(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc = tcase_create("crc");
	tcase_add_test(tc, crc_check_value);
	tcase_add_test(tc, crc_chunked_equals_whole);
	suite_add_tcase(s, tc);
	tc = tcase_create("cobs");
	tcase_add_test(tc, cobs_small_vectors);
	tcase_add_test(tc, cobs_254_and_255_runs);
	tcase_add_test(tc, cobs_zero_runs_and_random);
	tcase_add_test(tc, cobs_rejects_bad_input);
	suite_add_tcase(s, tc);
	tc = tcase_create("messages");
	tcase_add_test(tc, frame_round_trip);
	tcase_add_test(tc, s24_sign_extension);
	tcase_add_test(tc, info_and_cal_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_protocol());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
