/*
 * test_fw_ring.c - the UART ring: FIFO order, exact capacity, all-or-nothing
 * frames, the room kept free for samples, and index wrap-around (the 8-bit
 * indices wrap at 256 whatever the ring size).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fw_ring.h"
#include "fw_tests.h"

START_TEST(ring_rejects_bad_sizes)
{
	volatile uint8_t buf[256];
	struct fw_ring r;
	const uint8_t bad[] = {0, 1, 3, 6, 100, 129, 255};
	for (size_t i = 0; i < sizeof bad; i++) {
		int rc = fw_ring_init(&r, buf, bad[i]);
		ck_assert_msg(rc == FW_RING_FULL, "size %u: expected FW_RING_FULL, got %d", bad[i], rc);
		ck_assert_msg(fw_ring_put(&r, 1) == FW_RING_FULL,
		              "size %u: a refused ring must take no byte", bad[i]);
		ck_assert_msg(fw_ring_space(&r) == 0, "size %u: space expected 0", bad[i]);
	}
	const uint8_t good[] = {2, 4, 64, 128};
	for (size_t i = 0; i < sizeof good; i++) {
		int rc = fw_ring_init(&r, buf, good[i]);
		ck_assert_msg(rc == FW_RING_OK, "size %u: expected OK, got %d", good[i], rc);
		ck_assert_msg(fw_ring_space(&r) == good[i], "size %u: space expected %u, got %u",
		              good[i], good[i], fw_ring_space(&r));
	}
}
END_TEST

START_TEST(ring_fifo_and_capacity)
{
	volatile uint8_t buf[128];
	struct fw_ring r;
	uint8_t b;
	fw_ring_init(&r, buf, 128);
	ck_assert_msg(fw_ring_get(&r, &b) == FW_RING_EMPTY, "a new ring must be empty");
	for (unsigned i = 0; i < 128; i++)
		ck_assert_msg(fw_ring_put(&r, (uint8_t)(i * 7)) == FW_RING_OK,
		              "put %u of 128 failed", i);
	ck_assert_msg(fw_ring_count(&r) == 128, "count expected 128, got %u", fw_ring_count(&r));
	ck_assert_msg(fw_ring_put(&r, 0xAA) == FW_RING_FULL, "129th byte must be refused");
	for (unsigned i = 0; i < 128; i++) {
		ck_assert_msg(fw_ring_get(&r, &b) == FW_RING_OK, "get %u failed", i);
		ck_assert_msg(b == (uint8_t)(i * 7), "byte %u: expected %u, got %u", i,
		              (uint8_t)(i * 7), b);
	}
	ck_assert_msg(fw_ring_get(&r, &b) == FW_RING_EMPTY, "ring must be empty again");
}
END_TEST

START_TEST(ring_wraps_indices)
{
	/* 10000 bytes through a 64-byte ring at varying fill levels: the
	 * indices wrap at 256 many times; order and count must hold. */
	volatile uint8_t buf[64];
	struct fw_ring r;
	uint8_t next_in = 0, next_out = 0, b;
	unsigned moved = 0, step = 0;
	fw_ring_init(&r, buf, 64);
	while (moved < 10000) {
		unsigned burst = 1 + (step * 37u) % 64u;
		for (unsigned i = 0; i < burst && fw_ring_space(&r) > 0; i++)
			ck_assert_int_eq(fw_ring_put(&r, next_in++), FW_RING_OK);
		unsigned drain = 1 + (step * 53u) % 64u;
		for (unsigned i = 0; i < drain && fw_ring_count(&r) > 0; i++) {
			ck_assert_int_eq(fw_ring_get(&r, &b), FW_RING_OK);
			ck_assert_msg(b == next_out, "after %u bytes: expected %u, got %u",
			              moved, next_out, b);
			next_out++;
			moved++;
		}
		ck_assert_msg(fw_ring_count(&r) + fw_ring_space(&r) == 64,
		              "count + space expected 64, got %u + %u",
		              fw_ring_count(&r), fw_ring_space(&r));
		step++;
	}
}
END_TEST

START_TEST(ring_write_all_or_nothing)
{
	volatile uint8_t buf[16];
	struct fw_ring r;
	uint8_t frame[20], b;
	for (unsigned i = 0; i < sizeof frame; i++)
		frame[i] = (uint8_t)(100 + i);
	fw_ring_init(&r, buf, 16);
	ck_assert_msg(fw_ring_write(&r, frame, 17, 0) == FW_RING_FULL, "17 bytes into 16 must fail");
	ck_assert_msg(fw_ring_count(&r) == 0, "a refused frame must leave nothing, got %u",
	              fw_ring_count(&r));
	ck_assert_int_eq(fw_ring_write(&r, frame, 10, 0), FW_RING_OK);
	ck_assert_msg(fw_ring_write(&r, frame, 7, 0) == FW_RING_FULL, "7 more into 6 free must fail");
	ck_assert_msg(fw_ring_count(&r) == 10, "count expected 10, got %u", fw_ring_count(&r));
	ck_assert_int_eq(fw_ring_write(&r, frame, 6, 0), FW_RING_OK);
	ck_assert_int_eq(fw_ring_count(&r), 16);
	for (unsigned i = 0; i < 16; i++) {
		fw_ring_get(&r, &b);
		uint8_t exp = i < 10 ? (uint8_t)(100 + i) : (uint8_t)(100 + i - 10);
		ck_assert_msg(b == exp, "byte %u: expected %u, got %u", i, exp, b);
	}
	ck_assert_msg(fw_ring_write(&r, NULL, 0, 0) == FW_RING_OK, "an empty write is fine");
}
END_TEST

START_TEST(ring_keeps_room_free)
{
	volatile uint8_t buf[32];
	struct fw_ring r;
	uint8_t frame[32] = {0};
	fw_ring_init(&r, buf, 32);
	ck_assert_int_eq(fw_ring_write(&r, frame, 8, 19), FW_RING_OK);  /* 24 stay free */
	ck_assert_msg(fw_ring_write(&r, frame, 8, 19) == FW_RING_FULL,
	              "a reply that would leave < 19 free must be refused");
	ck_assert_msg(fw_ring_write(&r, frame, 19, 0) == FW_RING_OK,
	              "a sample must still fit in the kept room");
	ck_assert_msg(fw_ring_count(&r) == 27, "count expected 27, got %u", fw_ring_count(&r));
}
END_TEST

Suite *suite_fw_ring(void)
{
	Suite *s = suite_create("fw_ring");
	TCase *tc = tcase_create("ring");
	tcase_add_test(tc, ring_rejects_bad_sizes);
	tcase_add_test(tc, ring_fifo_and_capacity);
	tcase_add_test(tc, ring_wraps_indices);
	tcase_add_test(tc, ring_write_all_or_nothing);
	tcase_add_test(tc, ring_keeps_room_free);
	suite_add_tcase(s, tc);
	return s;
}
