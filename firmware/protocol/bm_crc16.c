/* bm_crc16.c - CRC-16/CCITT-FALSE, bit by bit (see bm_crc16.h for why). */
#include "bm_crc16.h"

uint16_t bm_crc16_update(uint16_t crc, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)((uint16_t)data[i] << 8);
		for (uint8_t bit = 0; bit < 8; bit++) {
			if (crc & 0x8000u)
				crc = (uint16_t)((crc << 1) ^ 0x1021u);
			else
				crc = (uint16_t)(crc << 1);
		}
	}
	return crc;
}

uint16_t bm_crc16(const uint8_t *data, size_t len)
{
	return bm_crc16_update(BM_CRC16_INIT, data, len);
}
