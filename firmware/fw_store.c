/* fw_store.c - EEPROM block formats; see fw_store.h. */
#include "fw_store.h"

#include "bm_crc16.h"
#include "bm_msg.h"

static int all_ff(const uint8_t *p, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (p[i] != 0xFF)
			return 0;
	return 1;
}

void fw_store_id_make(uint32_t board_id, uint8_t *blk)
{
	bm_put_u32(blk, board_id);
	bm_put_u16(blk + 4, bm_crc16(blk, 4));
}

int fw_store_id_check(const uint8_t *blk, uint32_t *board_id)
{
	if (all_ff(blk, FW_STORE_ID_LEN))
		return FW_STORE_BLANK;
	if (bm_crc16(blk, 4) != bm_get_u16(blk + 4))
		return FW_STORE_CORRUPT;
	*board_id = bm_get_u32(blk);
	return FW_STORE_OK;
}

void fw_store_cal_make(const struct bm_cal_record *cal, uint8_t *blk)
{
	blk[0] = FW_STORE_CAL_VERSION;
	bm_cal_pack(cal, blk + 1);
	bm_put_u16(blk + 1 + BM_CAL_BODY_LEN, bm_crc16(blk, 1 + BM_CAL_BODY_LEN));
}

int fw_store_cal_check(const uint8_t *blk, struct bm_cal_record *cal)
{
	if (all_ff(blk, FW_STORE_CAL_LEN))
		return FW_STORE_BLANK;
	if (bm_crc16(blk, 1 + BM_CAL_BODY_LEN) != bm_get_u16(blk + 1 + BM_CAL_BODY_LEN))
		return FW_STORE_CORRUPT;
	if (blk[0] != FW_STORE_CAL_VERSION)
		return FW_STORE_CORRUPT;
	if (bm_cal_unpack(blk + 1, BM_CAL_BODY_LEN, cal) != BM_MSG_OK)
		return FW_STORE_CORRUPT;
	return FW_STORE_OK;
}

void fw_store_entropy_mix(uint32_t *pool, const uint8_t *data, uint8_t n)
{
	/* FNV-1a: each byte changes every later state; cheap on an 8-bit CPU. */
	uint32_t h = *pool;
	for (uint8_t i = 0; i < n; i++) {
		h ^= data[i];
		h *= 16777619UL;
	}
	*pool = h;
}

uint32_t fw_store_id_derive(uint32_t pool)
{
	/* A last avalanche (murmur3's finaliser) so that pools that differ
	 * in one bit give unrelated ids. */
	pool ^= pool >> 16;
	pool *= 0x85EBCA6BUL;
	pool ^= pool >> 13;
	pool *= 0xC2B2AE35UL;
	pool ^= pool >> 16;
	if (pool == 0 || pool == 0xFFFFFFFFUL)
		pool = 0x5EED0001UL;
	return pool;
}
