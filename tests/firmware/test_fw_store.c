/*
 * test_fw_store.c - the EEPROM blocks: a written block reads back, an
 * erased EEPROM (all 0xFF) is "blank", any flipped bit or a foreign version
 * is "corrupt", and a CRC-correct block with an unusable scale is not
 * trusted either.  Board ids from the entropy pool are never the values that
 * mean "no id" and do not collide for nearby pools.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_crc16.h"
#include "bm_msg.h"
#include "fw_store.h"
#include "fw_tests.h"

START_TEST(store_id_block)
{
	uint8_t blk[FW_STORE_ID_LEN];
	uint32_t id = 0;
	fw_store_id_make(0xCAFEF00Du, blk);
	ck_assert_int_eq(fw_store_id_check(blk, &id), FW_STORE_OK);
	ck_assert_msg(id == 0xCAFEF00Du, "id expected 0xCAFEF00D, got 0x%08X", id);
	memset(blk, 0xFF, sizeof blk);
	ck_assert_int_eq(fw_store_id_check(blk, &id), FW_STORE_BLANK);
	for (unsigned bit = 0; bit < 8 * FW_STORE_ID_LEN; bit++) {
		fw_store_id_make(0x01020304u, blk);
		blk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int r = fw_store_id_check(blk, &id);
		ck_assert_msg(r == FW_STORE_CORRUPT, "bit %u flipped: expected CORRUPT, got %d", bit, r);
	}
}
END_TEST

START_TEST(store_cal_block)
{
	uint8_t blk[FW_STORE_CAL_LEN];
	struct bm_cal_record c = {.offset_counts = {-8000000, 12345},
	                          .scale_n_per_count = {3.0e-4f, -3.5e-4f}}, d;
	fw_store_cal_make(&c, blk);
	ck_assert_int_eq(fw_store_cal_check(blk, &d), FW_STORE_OK);
	ck_assert_msg(memcmp(&c, &d, sizeof c) == 0, "record changed in the block");
	memset(blk, 0xFF, sizeof blk);
	ck_assert_int_eq(fw_store_cal_check(blk, &d), FW_STORE_BLANK);
	for (unsigned bit = 0; bit < 8 * FW_STORE_CAL_LEN; bit++) {
		fw_store_cal_make(&c, blk);
		blk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int r = fw_store_cal_check(blk, &d);
		ck_assert_msg(r == FW_STORE_CORRUPT, "bit %u flipped: expected CORRUPT, got %d", bit, r);
	}
	/* Another version with a correct CRC: not ours to read. */
	fw_store_cal_make(&c, blk);
	blk[0] = 2;
	bm_put_u16(blk + 1 + BM_CAL_BODY_LEN, bm_crc16(blk, 1 + BM_CAL_BODY_LEN));
	ck_assert_int_eq(fw_store_cal_check(blk, &d), FW_STORE_CORRUPT);
	/* A zero scale with a correct CRC cannot turn counts into newtons. */
	c.scale_n_per_count[1] = 0.0f;
	fw_store_cal_make(&c, blk);
	ck_assert_int_eq(fw_store_cal_check(blk, &d), FW_STORE_CORRUPT);
}
END_TEST

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

START_TEST(store_ids_from_entropy)
{
	enum { N = 20000 };
	uint32_t *ids = malloc(N * sizeof *ids);
	ck_assert_ptr_nonnull(ids);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t pool = 2166136261u;
		uint8_t b[4];
		bm_put_u32(b, i);
		fw_store_entropy_mix(&pool, b, 4);
		ids[i] = fw_store_id_derive(pool);
		ck_assert_msg(ids[i] != 0 && ids[i] != 0xFFFFFFFFu, "id %u is a no-id value", i);
	}
	qsort(ids, N, sizeof *ids, cmp_u32);
	for (uint32_t i = 1; i < N; i++)
		ck_assert_msg(ids[i] != ids[i - 1], "two nearby pools gave id 0x%08X", ids[i]);
	free(ids);
	ck_assert_msg(fw_store_id_derive(0) != 0 && fw_store_id_derive(0) != 0xFFFFFFFFu,
	              "pool 0 must still give a usable id");
	/* The pool depends on order: "ab" and "ba" differ. */
	uint32_t p1 = 1, p2 = 1;
	fw_store_entropy_mix(&p1, (const uint8_t *)"ab", 2);
	fw_store_entropy_mix(&p2, (const uint8_t *)"ba", 2);
	ck_assert_msg(p1 != p2, "entropy mix must depend on byte order");
}
END_TEST

Suite *suite_fw_store(void)
{
	Suite *s = suite_create("fw_store");
	TCase *tc = tcase_create("blocks");
	tcase_add_test(tc, store_id_block);
	tcase_add_test(tc, store_cal_block);
	tcase_add_test(tc, store_ids_from_entropy);
	suite_add_tcase(s, tc);
	return s;
}
