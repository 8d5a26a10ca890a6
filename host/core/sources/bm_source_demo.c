/*
 * bm_source_demo.c - the simulated athlete as a live source.
 *
 * Samples carry raw counts and the simulator's calibration travels in the
 * status, so the live pipeline calibrates, tares and records them exactly
 * as it would a board's.  Pacing follows the sample times against a
 * monotonic clock.
 */
#include "bm_source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_clock.h"
#include "bm_sim.h"

struct demo {
	struct bm_source base;
	struct bm_sim *sim;
	double rate_hz;
	struct bm_pace pace;
	int ended;
	struct bm_sim_sample next;
	int have_next;
	uint16_t last_seq;
	int have_seq;
	uint64_t dropped;
	struct bm_cal_record cal;
};

static size_t demo_read(struct bm_source *src, struct bm_live_sample *out, size_t max,
                        int timeout_ms)
{
	struct demo *d = (struct demo *)src;
	double deadline = bm_clock_mono_s() + timeout_ms / 1000.0;
	size_t n = 0;

	while (n < max && !d->ended) {
		if (!d->have_next) {
			if (!bm_sim_next(d->sim, &d->next)) {
				d->ended = 1;
				break;
			}
			d->have_next = 1;
		}
		/* Hand over what is due; wait only when there is nothing yet. */
		if (!bm_pace_due(&d->pace, d->next.t_s, deadline, n == 0))
			break;
		struct bm_live_sample *s = &out[n++];
		memset(s, 0, sizeof *s);
		s->t_s = d->next.t_s;
		s->has_raw = 1;
		s->needs_cal = 1;
		s->seq = d->next.seq;
		for (int i = 0; i < BM_NCHAN; i++) {
			s->force_n[i] = NAN;
			s->raw_counts[i] = d->next.raw_counts[i];
			s->flags[i] = d->next.flags[i];
		}
		if (d->have_seq) {
			uint16_t step = (uint16_t)(d->next.seq - d->last_seq);
			s->lost_before = step ? step - 1u : 0;
			d->dropped += s->lost_before;
		}
		d->last_seq = d->next.seq;
		d->have_seq = 1;
		d->have_next = 0;
	}
	return n;
}

static void demo_status(struct bm_source *src, struct bm_source_status *st)
{
	struct demo *d = (struct demo *)src;
	memset(st, 0, sizeof *st);
	st->state = d->ended ? BM_SOURCE_ENDED : BM_SOURCE_LIVE;
	snprintf(st->name, sizeof st->name, "demo");
	if (d->ended)
		snprintf(st->message, sizeof st->message, "demo session ended");
	st->rate_hz = d->rate_hz;
	st->dropped = d->dropped;
	st->has_cal = 1;
	st->cal = d->cal;
	st->raw = 1;
	st->changes = (unsigned long)d->ended;
}

static void demo_store_cal(struct bm_source *src, const struct bm_cal_record *cal)
{
	(void)src;
	(void)cal; /* the simulated athlete has no EEPROM */
}

static void demo_free(struct bm_source *src)
{
	struct demo *d = (struct demo *)src;
	bm_sim_free(d->sim);
	free(d);
}

static const struct bm_source_ops demo_ops = {demo_read, demo_status, demo_store_cal, demo_free};

struct bm_source *bm_source_demo_new(uint64_t seed, double seconds, double rate_hz, double speed)
{
	struct bm_sim_config cfg;
	struct demo *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	bm_sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.seconds = seconds;
	cfg.rate_hz = rate_hz;
	d->sim = bm_sim_new(&cfg);
	if (!d->sim) {
		free(d);
		return NULL;
	}
	bm_sim_calibration(d->sim, &d->cal);
	d->base.ops = &demo_ops;
	d->pace.speed = speed;
	d->rate_hz = rate_hz;
	return &d->base;
}
