/* bm_decoder.c - streaming frame decoder; the idea is in bm_decoder.h. */
#include "bm_decoder.h"

#include <stdlib.h>
#include <string.h>

#include "bm_cobs.h"
#include "bm_msg.h"

struct bm_decoder {
	uint8_t buf[BM_FRAME_MAX];  /* encoded bytes of the frame being read */
	size_t n;
	int synced;                 /* a delimiter has been seen */
	int overflow;               /* this frame grew past BM_FRAME_MAX */
	int have_last;              /* last_seq / last_t_us are valid */
	uint16_t last_seq;
	uint32_t last_t_raw;
	uint64_t t_high;            /* wraps of the device clock, << 32 */
	struct bm_decoder_stats st;
};

struct bm_decoder *bm_decoder_new(void)
{
	return calloc(1, sizeof(struct bm_decoder));
}

void bm_decoder_free(struct bm_decoder *dec)
{
	free(dec);
}

void bm_decoder_restart(struct bm_decoder *dec)
{
	dec->n = 0;
	dec->synced = 0;
	dec->overflow = 0;
	dec->have_last = 0;
	dec->t_high = 0;
}

void bm_decoder_get_stats(const struct bm_decoder *dec, struct bm_decoder_stats *out)
{
	*out = dec->st;
}

static void track_sample(struct bm_decoder *dec, struct bm_decoded *out)
{
	const struct bm_sample_msg *m = &out->u.sample.msg;
	uint32_t lost = 0;

	if (dec->have_last) {
		uint16_t step = (uint16_t)(m->seq - dec->last_seq);
		if (step == 0 || step > 0x8000u) {
			/* Backwards (or repeated): the board restarted.  Its clock
			 * restarted too, so time carries on from where it was. */
			dec->st.seq_restarts++;
			dec->t_high += (uint64_t)dec->last_t_raw + 1;
		} else {
			lost = step - 1u;
			if (m->t_us < dec->last_t_raw)
				dec->t_high += UINT64_C(1) << 32;
		}
	}
	dec->have_last = 1;
	dec->last_seq = m->seq;
	dec->last_t_raw = m->t_us;
	out->u.sample.t_us = dec->t_high + m->t_us;
	out->u.sample.lost_before = lost;
	dec->st.dropped_samples += lost;
	dec->st.samples++;
}

/* Decode the frame in dec->buf; 1 when it gave a message for the caller. */
static int finish_frame(struct bm_decoder *dec, struct bm_decoded *out)
{
	uint8_t p[BM_FRAME_MAX];
	long pl = bm_cobs_decode(dec->buf, dec->n, p, sizeof p);
	const uint8_t *body;
	size_t blen;
	int r;

	if (pl < 0 || pl > BM_PAYLOAD_MAX) {
		dec->st.framing_errors++;
		return 0;
	}
	r = bm_payload_check(p, (size_t)pl);
	if (r == BM_MSG_ERR_SHORT) {
		dec->st.framing_errors++;
		return 0;
	}
	if (r == BM_MSG_ERR_CRC) {
		dec->st.crc_errors++;
		return 0;
	}
	body = p + 1;
	blen = (size_t)pl - 3;
	memset(out, 0, sizeof *out);
	out->type = p[0];
	switch (p[0]) {
	case BM_MSG_SAMPLE:
		r = bm_sample_unpack(body, blen, &out->u.sample.msg);
		break;
	case BM_MSG_INFO:
		/* A version mismatch must still reach the caller, who names both
		 * versions; so an INFO with only its version byte is delivered. */
		r = bm_info_unpack(body, blen, &out->u.info);
		if (r != BM_MSG_OK && blen >= 1 && out->u.info.proto_version != BM_PROTO_VERSION)
			r = BM_MSG_OK;
		break;
	case BM_MSG_ACK:
	case BM_MSG_ERROR:
		r = blen >= (p[0] == BM_MSG_ACK ? 2u : 3u) ? BM_MSG_OK : BM_MSG_ERR_SHORT;
		if (r == BM_MSG_OK) {
			out->u.reply.tag = body[0];
			out->u.reply.cmd = body[1];
			out->u.reply.code = p[0] == BM_MSG_ERROR ? body[2] : 0;
		}
		break;
	case BM_MSG_CAL:
		r = blen >= 2u + BM_CAL_BODY_LEN ? BM_MSG_OK : BM_MSG_ERR_SHORT;
		if (r == BM_MSG_OK) {
			out->u.cal.tag = body[0];
			out->u.cal.valid = body[1];
			if (bm_cal_unpack(body + 2, blen - 2, &out->u.cal.rec) != BM_MSG_OK)
				out->u.cal.valid = 0;
		}
		break;
	default:
		dec->st.frames_ok++;
		dec->st.unknown_types++;
		return 0;
	}
	if (r != BM_MSG_OK) {
		dec->st.framing_errors++;
		return 0;
	}
	dec->st.frames_ok++;
	if (p[0] == BM_MSG_SAMPLE)
		track_sample(dec, out);
	return 1;
}

int bm_decoder_next(struct bm_decoder *dec, const uint8_t **data, size_t *len,
                    struct bm_decoded *out)
{
	while (*len > 0) {
		uint8_t b = **data;
		(*data)++;
		(*len)--;
		dec->st.bytes++;
		if (!dec->synced) {
			if (b == BM_FRAME_DELIM)
				dec->synced = 1;
			else
				dec->st.bytes_skipped++;
			continue;
		}
		if (b != BM_FRAME_DELIM) {
			if (dec->n < sizeof dec->buf)
				dec->buf[dec->n++] = b;
			else
				dec->overflow = 1;
			continue;
		}
		/* End of a frame.  Back-to-back delimiters are allowed (a
		 * sender may use them to flush) and are not errors. */
		if (dec->overflow) {
			dec->st.framing_errors++;
		} else if (dec->n > 0 && finish_frame(dec, out)) {
			dec->n = 0;
			return 1;
		}
		dec->n = 0;
		dec->overflow = 0;
	}
	return 0;
}
