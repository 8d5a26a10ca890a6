/* fw_frames.c - frames the board sends; see fw_frames.h. */
#include "fw_frames.h"

#include <string.h>

#include "bm_msg.h"

/* bm_frame_build returns a size_t no larger than out_cap. */
static uint8_t build(uint8_t type, const uint8_t *body, uint8_t len, uint8_t *out)
{
	return (uint8_t)bm_frame_build(type, body, len, out, FW_FRAME_BUF);
}

uint8_t fw_frame_sample(uint8_t *out, const struct bm_sample_msg *m)
{
	uint8_t body[BM_SAMPLE_BODY_LEN];
	bm_sample_pack(m, body);
	return build(BM_MSG_SAMPLE, body, sizeof body, out);
}

uint8_t fw_frame_info(uint8_t *out, const struct bm_info_msg *m)
{
	uint8_t body[BM_INFO_BODY_LEN];
	bm_info_pack(m, body);
	return build(BM_MSG_INFO, body, sizeof body, out);
}

uint8_t fw_frame_ack(uint8_t *out, uint8_t tag, uint8_t cmd_type)
{
	uint8_t body[2] = {tag, cmd_type};
	return build(BM_MSG_ACK, body, sizeof body, out);
}

uint8_t fw_frame_error(uint8_t *out, uint8_t tag, uint8_t cmd_type, uint8_t code)
{
	uint8_t body[3] = {tag, cmd_type, code};
	return build(BM_MSG_ERROR, body, sizeof body, out);
}

uint8_t fw_frame_cal(uint8_t *out, uint8_t tag, uint8_t valid,
                     const struct bm_cal_record *cal)
{
	uint8_t body[2 + BM_CAL_BODY_LEN];
	body[0] = tag;
	body[1] = valid ? 1u : 0u;
	if (valid && cal)
		bm_cal_pack(cal, body + 2);
	else
		memset(body + 2, 0, BM_CAL_BODY_LEN);
	return build(BM_MSG_CAL, body, sizeof body, out);
}
