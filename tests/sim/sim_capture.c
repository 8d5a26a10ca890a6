/* sim_capture.c - decoded board output and bit-exact comparison; see sim_capture.h. */
#include "sim_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		size_t nc_ = (cap) ? 2 * (cap) : 256; \
		void *p_ = realloc((arr), nc_ * sizeof *(arr)); \
		if (!p_) { fprintf(stderr, "sim_capture: out of memory\n"); abort(); } \
		(arr) = p_; \
		(cap) = nc_; \
	} } while (0)

struct sim_capture *sim_capture_new(void)
{
	struct sim_capture *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->dec = bm_decoder_new();
	if (!c->dec) {
		free(c);
		return NULL;
	}
	return c;
}

void sim_capture_free(struct sim_capture *c)
{
	if (!c)
		return;
	bm_decoder_free(c->dec);
	free(c->samples);
	free(c->infos);
	free(c->replies);
	free(c);
}

void sim_capture_byte(void *capture, uint8_t byte, uint64_t cycle)
{
	struct sim_capture *c = capture;
	const uint8_t *p = &byte;
	size_t len = 1;
	struct bm_decoded d;

	c->bytes++;
	c->last_cycle = cycle;
	while (bm_decoder_next(c->dec, &p, &len, &d)) {
		switch (d.type) {
		case BM_MSG_SAMPLE:
			GROW(c->samples, c->nsamples, c->cap_samples);
			c->samples[c->nsamples].msg = d.u.sample.msg;
			c->samples[c->nsamples].t_us = d.u.sample.t_us;
			c->samples[c->nsamples].cycle = cycle;
			c->nsamples++;
			break;
		case BM_MSG_INFO:
			GROW(c->infos, c->ninfos, c->cap_infos);
			c->infos[c->ninfos].info = d.u.info;
			c->infos[c->ninfos].cycle = cycle;
			c->ninfos++;
			break;
		case BM_MSG_ACK:
		case BM_MSG_ERROR:
		case BM_MSG_CAL: {
			struct cap_reply *r;
			GROW(c->replies, c->nreplies, c->cap_replies);
			r = &c->replies[c->nreplies++];
			memset(r, 0, sizeof *r);
			r->type = d.type;
			r->cycle = cycle;
			if (d.type == BM_MSG_CAL) {
				r->tag = d.u.cal.tag;
				r->valid = d.u.cal.valid;
				r->cal = d.u.cal.rec;
				r->cmd = BM_CMD_READ_CAL;
			} else {
				r->tag = d.u.reply.tag;
				r->cmd = d.u.reply.cmd;
				r->code = d.u.reply.code;
			}
			break;
		}
		default:
			break;
		}
	}
}

void sim_capture_stats(const struct sim_capture *c, struct bm_decoder_stats *out)
{
	bm_decoder_get_stats(c->dec, out);
}

const struct cap_reply *sim_capture_reply(const struct sim_capture *c, uint8_t type,
                                          uint8_t tag, uint64_t from_cycle)
{
	for (size_t i = 0; i < c->nreplies; i++)
		if (c->replies[i].type == type && c->replies[i].tag == tag &&
		    c->replies[i].cycle >= from_cycle)
			return &c->replies[i];
	return NULL;
}

/* The gain a read's pulse count selects: the gain the firmware is set to
 * when it sends that many pulses. */
static unsigned pulses_gain(unsigned pulses)
{
	return pulses == 27 ? 64 : pulses == 26 ? 32 : 128;
}

int sim_match_channel(const struct sim_capture *c, const struct hx711_model *chip, int ch,
                      double cpu_hz, uint64_t from_cycle, uint64_t now_cycle,
                      struct sim_match *out)
{
	const struct hx711_read *reads;
	size_t nreads = hx711_model_reads(chip, &reads);
	uint64_t settle = (uint64_t)(0.005 * cpu_hz);
	size_t fi = 0;
	int have_offset = 0;
	double offset = 0;

	memset(out, 0, sizeof *out);
	out->first_bad = -1;
	/* Frames with data for this channel, from from_cycle on. */
	for (size_t i = 0; i < c->nsamples; i++)
		if (c->samples[i].cycle >= from_cycle &&
		    !(c->samples[i].msg.flags[ch] & BM_CH_NOT_READY))
			out->frames++;
	while (fi < c->nsamples && (c->samples[fi].cycle < from_cycle ||
	                            (c->samples[fi].msg.flags[ch] & BM_CH_NOT_READY)))
		fi++;

	for (size_t r = 0; r < nreads; r++) {
		const struct hx711_read *rd = &reads[r];
		if (rd->start_cycle < from_cycle)
			continue;
		if (rd->end_cycle + settle > now_cycle)
			break;
		if (rd->conv_gain != pulses_gain(rd->pulses)) {
			out->skipped++;
			continue;
		}
		out->reads++;
		if (fi >= c->nsamples) {
			/* A read with no frame: lost. */
			if (out->first_bad < 0) {
				out->first_bad = (long)(out->reads - 1);
				out->bad_read_value = rd->conv_value;
			}
			out->mismatched++;
			continue;
		}
		const struct cap_sample *s = &c->samples[fi];
		/* Against the conversion itself: a torn read (the wire carried
		 * a mix of two words) is a mismatch even when the frame repeats
		 * what was on the wire. */
		if (s->msg.raw[ch] == rd->conv_value) {
			out->matched++;
		} else {
			out->mismatched++;
			if (out->first_bad < 0) {
				out->first_bad = (long)(out->reads - 1);
				out->bad_frame_value = s->msg.raw[ch];
				out->bad_read_value = rd->conv_value;
			}
		}
		double lag = (double)rd->start_cycle / cpu_hz * 1e6 - (double)s->t_us;
		if (!have_offset) {
			offset = lag;
			have_offset = 1;
		}
		lag -= offset;
		if (lag < out->lag_min_us)
			out->lag_min_us = lag;
		if (lag > out->lag_max_us)
			out->lag_max_us = lag;
		fi++;
		while (fi < c->nsamples && (c->samples[fi].msg.flags[ch] & BM_CH_NOT_READY))
			fi++;
	}
	return out->mismatched == 0 && out->reads > 0 ? 0 : -1;
}

double sim_capture_rate_hz(const struct sim_capture *c, int ch, uint64_t from_cycle,
                           uint64_t to_cycle, size_t *count)
{
	size_t n = 0;
	uint64_t t0 = 0, t1 = 0;
	for (size_t i = 0; i < c->nsamples; i++) {
		const struct cap_sample *s = &c->samples[i];
		if (s->cycle < from_cycle || s->cycle > to_cycle || (s->msg.flags[ch] & BM_CH_NOT_READY))
			continue;
		if (n == 0)
			t0 = s->t_us;
		t1 = s->t_us;
		n++;
	}
	if (count)
		*count = n;
	if (n < 2 || t1 <= t0)
		return 0.0;
	return (double)(n - 1) / ((double)(t1 - t0) * 1e-6);
}
