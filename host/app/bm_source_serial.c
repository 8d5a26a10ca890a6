/*
 * bm_source_serial.c - a bridgemon board on a serial port (or a pty: the
 * simavr board, socat) as a live source.
 *
 * Bytes -> bm_decoder -> samples stamped with the board's own clock (the
 * frame's microsecond counter, unwrapped), never with the time USB happened
 * to deliver them.  When the device goes away the source says "disconnected
 * — waiting for device", keeps polling the same path, and when it comes back
 * restarts the decoder and continues the session clock from where it
 * stopped plus the wall time that passed, so times keep increasing and the
 * gap is marked on the first sample after it.
 *
 * The board's INFO is checked for the protocol version; a board speaking
 * another version ends the source with a message naming both versions.
 */
#include "bm_source_serial.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_clock.h"
#include "bm_decoder.h"
#include "bm_msg.h"
#include "bm_serial.h"

#define REOPEN_SLICE_MS 250u

struct serial_src {
	struct bm_source base;
	char path[256];
	struct bm_serial *port;
	struct bm_decoder *dec;
	enum bm_source_state state;
	char message[512];
	unsigned long changes;
	int has_info;
	struct bm_info_msg info;
	int has_cal;
	struct bm_cal_record cal;
	uint8_t tag;

	/* Session clock: t = device time + offset. */
	int have_offset;
	double offset_s;
	double last_t_s;
	double last_wall_s;
	int gap_next;               /* mark the next sample as after a gap */

	/* Calibration to send to the board (from another thread). */
	pthread_mutex_t lock;
	int cal_pending;
	struct bm_cal_record cal_to_store;
};

static void say(struct serial_src *s, enum bm_source_state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct serial_src *s, enum bm_source_state st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->message, sizeof s->message, fmt, ap);
	va_end(ap);
	s->state = st;
	s->changes++;
}

static void send_cmd(struct serial_src *s, uint8_t type, const uint8_t *args, size_t n)
{
	uint8_t body[32], frame[BM_FRAME_MAX];
	if (!s->port || n + 1 > sizeof body)
		return;
	body[0] = ++s->tag;
	if (n)
		memcpy(body + 1, args, n);
	size_t fl = bm_frame_build(type, body, n + 1, frame, sizeof frame);
	if (fl)
		bm_serial_write(s->port, frame, fl, 100);
}

/* After (re)opening: ask who is there and what calibration it keeps. */
static void hello(struct serial_src *s)
{
	bm_decoder_restart(s->dec);
	send_cmd(s, BM_CMD_GET_INFO, NULL, 0);
	send_cmd(s, BM_CMD_READ_CAL, NULL, 0);
}

static void handle(struct serial_src *s, const struct bm_decoded *m, struct bm_live_sample *out,
                   size_t *n)
{
	switch (m->type) {
	case BM_MSG_SAMPLE: {
		double t_dev = (double)m->u.sample.t_us * 1e-6;
		double wall = bm_clock_mono_s();
		if (!s->have_offset) {
			/* First sample, or first after a reconnect: carry on from
			 * the last time plus the wall time that passed. */
			double t = s->last_t_s > 0 || s->gap_next
			               ? s->last_t_s + fmax(wall - s->last_wall_s, 1e-3)
			               : 0.0;
			s->offset_s = t - t_dev;
			s->have_offset = 1;
		}
		struct bm_live_sample *x = &out[(*n)++];
		memset(x, 0, sizeof *x);
		x->t_s = t_dev + s->offset_s;
		if (x->t_s <= s->last_t_s && s->last_t_s > 0) {
			/* Cannot happen with an unwrapped clock; refuse to go back. */
			(*n)--;
			return;
		}
		x->has_raw = 1;
		x->needs_cal = 1;
		x->seq = m->u.sample.msg.seq;
		x->lost_before = m->u.sample.lost_before;
		x->gap_before = (uint8_t)s->gap_next;
		s->gap_next = 0;
		for (int i = 0; i < BM_NCHAN; i++) {
			x->raw_counts[i] = m->u.sample.msg.raw[i];
			x->flags[i] = m->u.sample.msg.flags[i];
			x->force_n[i] = NAN;
		}
		s->last_t_s = x->t_s;
		s->last_wall_s = wall;
		break;
	}
	case BM_MSG_INFO:
		if (m->u.info.proto_version != BM_PROTO_VERSION) {
			say(s, BM_SOURCE_FAILED,
			    "%s speaks bridgemon protocol %u, this program speaks %u: update %s",
			    s->path, m->u.info.proto_version, BM_PROTO_VERSION,
			    m->u.info.proto_version > BM_PROTO_VERSION ? "bridgemon" : "the firmware");
			break;
		}
		if (!s->has_info || s->info.rate_sps != m->u.info.rate_sps)
			s->changes++;
		s->has_info = 1;
		s->info = m->u.info;
		break;
	case BM_MSG_CAL:
		if (m->u.cal.valid) {
			s->has_cal = 1;
			s->cal = m->u.cal.rec;
			s->changes++;
		}
		break;
	default:
		break; /* ACK / ERROR of our commands: nothing to do */
	}
}

static size_t serial_read(struct bm_source *src, struct bm_live_sample *out, size_t max,
                          int timeout_ms)
{
	struct serial_src *s = (struct serial_src *)src;
	uint8_t buf[256];
	size_t n = 0;

	if (s->state == BM_SOURCE_FAILED || s->state == BM_SOURCE_ENDED) {
		bm_clock_sleep_s(timeout_ms / 1000.0);
		return 0;
	}
	if (!s->port) {
		unsigned slice = timeout_ms < (int)REOPEN_SLICE_MS ? (unsigned)timeout_ms : REOPEN_SLICE_MS;
		if (bm_serial_reopen_wait(s->path, BM_BAUD, BM_SERIAL_AUTO, slice, &s->port) != BM_SERIAL_OK)
			return 0;
		s->have_offset = 0;
		s->gap_next = 1;
		hello(s);
		say(s, BM_SOURCE_LIVE, "%s reconnected", s->path);
	}

	pthread_mutex_lock(&s->lock);
	if (s->cal_pending) {
		uint8_t body[BM_CAL_BODY_LEN];
		bm_cal_pack(&s->cal_to_store, body);
		send_cmd(s, BM_CMD_STORE_CAL, body, sizeof body);
		s->cal_pending = 0;
	}
	pthread_mutex_unlock(&s->lock);

	/* Each frame is at most BM_FRAME_MAX bytes and gives at most one
	 * sample, so reading max / 2 frames' worth cannot overflow @p out. */
	size_t want = max * (BM_SAMPLE_BODY_LEN + 5) / 2;
	if (want > sizeof buf)
		want = sizeof buf;
	long got = bm_serial_read(s->port, buf, want, (unsigned)timeout_ms);
	if (got < 0) {
		if (got == BM_SERIAL_ERR_GONE || got == BM_SERIAL_ERR_IO) {
			bm_serial_close(s->port);
			s->port = NULL;
			say(s, BM_SOURCE_WAITING, "%s disconnected — waiting for device", s->path);
		}
		return 0;
	}
	const uint8_t *p = buf;
	size_t left = (size_t)got;
	struct bm_decoded m;
	while (n < max && bm_decoder_next(s->dec, &p, &left, &m))
		handle(s, &m, out, &n);
	/* Frames beyond @p max (cannot happen with the bound above) would
	 * stay in the decoder's buffer, not be lost. */
	return n;
}

static void serial_status(struct bm_source *src, struct bm_source_status *st)
{
	struct serial_src *s = (struct serial_src *)src;
	struct bm_decoder_stats ds;
	memset(st, 0, sizeof *st);
	bm_decoder_get_stats(s->dec, &ds);
	st->state = s->state;
	snprintf(st->name, sizeof st->name, "%s", s->path);
	snprintf(st->message, sizeof st->message, "%s", s->message);
	st->rate_hz = s->has_info ? s->info.rate_sps : 0;
	st->crc_errors = ds.crc_errors;
	st->framing_errors = ds.framing_errors;
	st->dropped = ds.dropped_samples;
	st->has_info = s->has_info;
	st->info = s->info;
	st->has_cal = s->has_cal;
	st->cal = s->cal;
	st->raw = 1;
	st->changes = s->changes;
}

static void serial_store_cal(struct bm_source *src, const struct bm_cal_record *cal)
{
	struct serial_src *s = (struct serial_src *)src;
	pthread_mutex_lock(&s->lock);
	s->cal_to_store = *cal;
	s->cal_pending = 1;
	pthread_mutex_unlock(&s->lock);
}

static void serial_free(struct bm_source *src)
{
	struct serial_src *s = (struct serial_src *)src;
	bm_serial_close(s->port);
	bm_decoder_free(s->dec);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static const struct bm_source_ops serial_ops = {serial_read, serial_status, serial_store_cal,
                                                serial_free};

struct bm_source *bm_source_serial_new(const char *path, char *msg, size_t len)
{
	struct serial_src *s = calloc(1, sizeof *s);
	int r;

	if (!s) {
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	snprintf(s->path, sizeof s->path, "%s", path);
	s->dec = bm_decoder_new();
	if (!s->dec) {
		free(s);
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	r = bm_serial_open(path, BM_BAUD, &s->port);
	if (r != BM_SERIAL_OK) {
		bm_serial_describe(r, errno, path, msg, len);
		bm_decoder_free(s->dec);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->base.ops = &serial_ops;
	s->state = BM_SOURCE_LIVE;
	hello(s);
	return &s->base;
}
