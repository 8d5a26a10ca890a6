/*
 * bm_source_replay.c - a recorded session CSV as a live source, paced by its
 * t_s column (or as fast as it is read, for tests).
 *
 * Forces come from the file as recorded: a replay shows and analyses what
 * was recorded, with the calibration of the time.  A malformed row ends the
 * replay with the reader's one-line message.
 */
#include "bm_source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_clock.h"
#include "bm_csv.h"
#include "bm_meta.h"

struct replay {
	struct bm_source base;
	struct bm_csv_reader *rd;
	char name[64];
	struct bm_pace pace;
	int ended, failed;
	struct bm_csv_row next;
	int have_next;
	char message[512];
	double rate_hz;
	unsigned long changes;
};

static size_t replay_read(struct bm_source *src, struct bm_live_sample *out, size_t max,
                          int timeout_ms)
{
	struct replay *r = (struct replay *)src;
	double deadline = bm_clock_mono_s() + timeout_ms / 1000.0;
	struct bm_csv_error err;
	size_t n = 0;

	while (n < max && !r->ended) {
		if (!r->have_next) {
			int rc = bm_csv_reader_next(r->rd, &r->next, &err);
			if (rc != BM_CSV_OK) {
				r->ended = 1;
				r->changes++;
				if (rc == BM_CSV_EOF) {
					snprintf(r->message, sizeof r->message, "end of the recording");
				} else {
					r->failed = 1;
					snprintf(r->message, sizeof r->message, "%s", err.msg);
				}
				break;
			}
			r->have_next = 1;
		}
		/* Hand over what is due; wait only when there is nothing yet. */
		if (!bm_pace_due(&r->pace, r->next.t_s, deadline, n == 0))
			break;
		struct bm_live_sample *s = &out[n++];
		memset(s, 0, sizeof *s);
		s->t_s = r->next.t_s;
		for (int i = 0; i < BM_NCHAN; i++) {
			s->force_n[i] = r->next.force_n[i];
			if (r->next.has_flags && (r->next.flags[i] & BM_CH_NOT_A_READING))
				s->force_n[i] = NAN;
			s->raw_counts[i] = r->next.raw_counts[i];
			s->flags[i] = r->next.flags[i];
		}
		s->seq = r->next.seq;
		s->has_raw = (uint8_t)r->next.has_raw;
		r->have_next = 0;
	}
	return n;
}

static void replay_status(struct bm_source *src, struct bm_source_status *st)
{
	struct replay *r = (struct replay *)src;
	memset(st, 0, sizeof *st);
	st->state = r->failed ? BM_SOURCE_FAILED : r->ended ? BM_SOURCE_ENDED : BM_SOURCE_LIVE;
	snprintf(st->name, sizeof st->name, "%s", r->name);
	snprintf(st->message, sizeof st->message, "%s", r->message);
	st->rate_hz = r->rate_hz;
	st->raw = 0; /* forces are replayed as recorded: no tare */
	st->changes = r->changes;
}

static void replay_store_cal(struct bm_source *src, const struct bm_cal_record *cal)
{
	(void)src;
	(void)cal;
}

static void replay_free(struct bm_source *src)
{
	struct replay *r = (struct replay *)src;
	bm_csv_reader_close(r->rd);
	free(r);
}

static const struct bm_source_ops replay_ops = {replay_read, replay_status, replay_store_cal,
                                                replay_free};

struct bm_source *bm_source_replay_new(const char *path, double speed, char *msg, size_t msg_len)
{
	struct bm_csv_error err;
	struct replay *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(msg, msg_len, "out of memory");
		return NULL;
	}
	if (bm_csv_reader_open(path, &r->rd, &err) != BM_CSV_OK) {
		snprintf(msg, msg_len, "%s", err.msg);
		free(r);
		return NULL;
	}
	const char *base = strrchr(path, '/');
	snprintf(r->name, sizeof r->name, "replay %s", base ? base + 1 : path);
	if (bm_meta_recording_rate(path, r->rd, &r->rate_hz, msg, msg_len) != 0) {
		bm_csv_reader_close(r->rd);
		free(r);
		return NULL;
	}
	r->pace.speed = speed;
	r->base.ops = &replay_ops;
	return &r->base;
}
