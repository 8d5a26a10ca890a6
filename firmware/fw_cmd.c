/* fw_cmd.c - command receiver and checker; see fw_cmd.h. */
#include "fw_cmd.h"

#include <string.h>

#include "bm_cobs.h"
#include "bm_msg.h"

void fw_cmd_rx_init(struct fw_cmd_rx *rx)
{
	rx->n = 0;
	rx->overflow = 0;
}

int fw_cmd_feed(struct fw_cmd_rx *rx, uint8_t byte, struct fw_cmd *cmd)
{
	long len;

	if (byte != BM_FRAME_DELIM) {
		if (rx->n < sizeof rx->buf)
			rx->buf[rx->n++] = byte;
		else
			rx->overflow = 1;
		return FW_CMD_MORE;
	}
	if (rx->overflow) {
		fw_cmd_rx_init(rx);
		return FW_CMD_ERR_FRAME;
	}
	if (rx->n == 0)
		return FW_CMD_MORE;
	/* Decoding in place never writes ahead of what it has read, and saves
	 * a second frame-sized buffer on the AVR's small stack. */
	len = bm_cobs_decode(rx->buf, rx->n, rx->buf, sizeof rx->buf);
	fw_cmd_rx_init(rx);
	if (len < 0 || len > BM_PAYLOAD_MAX)
		return FW_CMD_ERR_FRAME;
	return fw_cmd_parse(rx->buf, (size_t)len, cmd);
}

/* Refuse with @p code; the tag is already in cmd. */
static int refuse(struct fw_cmd *cmd, uint8_t code)
{
	cmd->error = code;
	return FW_CMD_REFUSED;
}

int fw_cmd_parse(const uint8_t *payload, size_t len, struct fw_cmd *cmd)
{
	const uint8_t *body;
	size_t blen;
	int r;

	memset(cmd, 0, sizeof *cmd);
	r = bm_payload_check(payload, len);
	if (r == BM_MSG_ERR_SHORT)
		return FW_CMD_ERR_FRAME;
	if (r != BM_MSG_OK)
		return FW_CMD_ERR_CRC;
	cmd->type = payload[0];
	body = payload + 1;
	blen = len - 3;
	/* Types below 0x40 are what the board sends: hearing one means the
	 * line echoes (a loopback, a misconfigured terminal), not a request. */
	if (cmd->type < BM_CMD_PING)
		return FW_CMD_ERR_TYPE;
	/* Every command starts with its tag. */
	if (blen < 1)
		return refuse(cmd, BM_CMDERR_LENGTH);
	cmd->tag = body[0];

	switch (cmd->type) {
	case BM_CMD_PING:
	case BM_CMD_GET_INFO:
	case BM_CMD_READ_CAL:
		return FW_CMD_OK;
	case BM_CMD_SET_RATE:
		if (blen < 2)
			return refuse(cmd, BM_CMDERR_LENGTH);
		if (body[1] != 10 && body[1] != 80)
			return refuse(cmd, BM_CMDERR_VALUE);
		cmd->rate_sps = body[1];
		return FW_CMD_OK;
	case BM_CMD_SET_GAIN:
		if (blen < 2)
			return refuse(cmd, BM_CMDERR_LENGTH);
		if (body[1] != 128 && body[1] != 64)
			return refuse(cmd, BM_CMDERR_VALUE);
		cmd->gain = body[1];
		return FW_CMD_OK;
	case BM_CMD_STORE_CAL:
		r = bm_cal_unpack(body + 1, blen - 1, &cmd->cal);
		if (r == BM_MSG_ERR_SHORT)
			return refuse(cmd, BM_CMDERR_LENGTH);
		if (r != BM_MSG_OK)
			return refuse(cmd, BM_CMDERR_VALUE);
		return FW_CMD_OK;
	default:
		return refuse(cmd, BM_CMDERR_UNKNOWN);
	}
}
