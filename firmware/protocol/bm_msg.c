/* bm_msg.c - frame building and message (un)packing; see bm_msg.h. */
#include "bm_msg.h"

#include <string.h>

#include "bm_cobs.h"
#include "bm_crc16.h"

size_t bm_frame_build(uint8_t type, const uint8_t *body, size_t body_len,
                      uint8_t *out, size_t out_cap)
{
	uint8_t payload[BM_PAYLOAD_MAX];
	size_t n;
	uint16_t crc;

	if (body_len + 3 > BM_PAYLOAD_MAX)
		return 0;
	payload[0] = type;
	if (body_len)
		memcpy(payload + 1, body, body_len);
	crc = bm_crc16(payload, body_len + 1);
	bm_put_u16(payload + 1 + body_len, crc);
	n = bm_cobs_encode(payload, body_len + 3, out, out_cap);
	if (n == 0 || n + 1 > out_cap)
		return 0;
	out[n] = BM_FRAME_DELIM;
	return n + 1;
}

int bm_payload_check(const uint8_t *payload, size_t len)
{
	if (len < 3)
		return BM_MSG_ERR_SHORT;
	if (bm_crc16(payload, len - 2) != bm_get_u16(payload + len - 2))
		return BM_MSG_ERR_CRC;
	return BM_MSG_OK;
}

void bm_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void bm_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

uint16_t bm_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}

uint32_t bm_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void bm_put_s24(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;
	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	p[2] = (uint8_t)(u >> 16);
}

int32_t bm_get_s24(const uint8_t *p)
{
	uint32_t u = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
	/* Sign-extend bit 23 without relying on implementation-defined shifts. */
	if (u & 0x800000UL)
		u |= 0xFF000000UL;
	return (int32_t)u;
}

void bm_put_f32(uint8_t *p, float v)
{
	uint32_t u;
	memcpy(&u, &v, sizeof u);
	bm_put_u32(p, u);
}

float bm_get_f32(const uint8_t *p)
{
	uint32_t u = bm_get_u32(p);
	float v;
	memcpy(&v, &u, sizeof v);
	return v;
}

void bm_sample_pack(const struct bm_sample_msg *m, uint8_t *body)
{
	bm_put_u16(body + 0, m->seq);
	bm_put_u32(body + 2, m->t_us);
	bm_put_s24(body + 6, m->raw[BM_LEFT]);
	bm_put_s24(body + 9, m->raw[BM_RIGHT]);
	body[12] = m->flags[BM_LEFT];
	body[13] = m->flags[BM_RIGHT];
}

int bm_sample_unpack(const uint8_t *body, size_t len, struct bm_sample_msg *m)
{
	memset(m, 0, sizeof *m);
	if (len < BM_SAMPLE_BODY_LEN)
		return BM_MSG_ERR_SHORT;
	m->seq = bm_get_u16(body + 0);
	m->t_us = bm_get_u32(body + 2);
	m->raw[BM_LEFT] = bm_get_s24(body + 6);
	m->raw[BM_RIGHT] = bm_get_s24(body + 9);
	m->flags[BM_LEFT] = body[12];
	m->flags[BM_RIGHT] = body[13];
	return BM_MSG_OK;
}

void bm_info_pack(const struct bm_info_msg *m, uint8_t *body)
{
	body[0] = m->proto_version;
	body[1] = m->fw_major;
	body[2] = m->fw_minor;
	body[3] = m->fw_patch;
	body[4] = m->rate_sps;
	body[5] = m->gain;
	bm_put_u32(body + 6, m->board_id);
	body[10] = m->reset_cause;
	body[11] = m->cal_state;
	bm_put_u16(body + 12, m->cmd_errors);
	bm_put_u16(body + 14, m->tx_overflows);
}

int bm_info_unpack(const uint8_t *body, size_t len, struct bm_info_msg *m)
{
	memset(m, 0, sizeof *m);
	if (len < 1)
		return BM_MSG_ERR_SHORT;
	m->proto_version = body[0];
	if (len < BM_INFO_BODY_LEN)
		return BM_MSG_ERR_SHORT;
	m->fw_major = body[1];
	m->fw_minor = body[2];
	m->fw_patch = body[3];
	m->rate_sps = body[4];
	m->gain = body[5];
	m->board_id = bm_get_u32(body + 6);
	m->reset_cause = body[10];
	m->cal_state = body[11];
	m->cmd_errors = bm_get_u16(body + 12);
	m->tx_overflows = bm_get_u16(body + 14);
	return BM_MSG_OK;
}

void bm_cal_pack(const struct bm_cal_record *c, uint8_t *body)
{
	bm_put_u32(body + 0, (uint32_t)c->offset_counts[BM_LEFT]);
	bm_put_f32(body + 4, c->scale_n_per_count[BM_LEFT]);
	bm_put_u32(body + 8, (uint32_t)c->offset_counts[BM_RIGHT]);
	bm_put_f32(body + 12, c->scale_n_per_count[BM_RIGHT]);
}

int bm_cal_unpack(const uint8_t *body, size_t len, struct bm_cal_record *c)
{
	memset(c, 0, sizeof *c);
	if (len < BM_CAL_BODY_LEN)
		return BM_MSG_ERR_SHORT;
	c->offset_counts[BM_LEFT] = (int32_t)bm_get_u32(body + 0);
	c->scale_n_per_count[BM_LEFT] = bm_get_f32(body + 4);
	c->offset_counts[BM_RIGHT] = (int32_t)bm_get_u32(body + 8);
	c->scale_n_per_count[BM_RIGHT] = bm_get_f32(body + 12);
	/* A scale of zero, infinity or NaN (exponent bits all ones) cannot turn
	 * counts into newtons; it is what a blank EEPROM (0xFF...) decodes to. */
	for (uint8_t ch = 0; ch < BM_NCHAN; ch++) {
		uint32_t bits = bm_get_u32(body + 4 + 8 * ch);
		if ((bits & 0x7F800000UL) == 0x7F800000UL || (bits & 0x7FFFFFFFUL) == 0)
			return BM_MSG_ERR_RANGE;
	}
	return BM_MSG_OK;
}
