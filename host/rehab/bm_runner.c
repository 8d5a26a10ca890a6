/*
 * bm_runner.c - the protocol state machine; see bm_runner.h for the rules.
 *
 * The protocol's set lines are expanded into one result slot per set at
 * bm_runner_new; every later change (a repeat) moves slots within that one
 * block.  Measured efforts are added into the slot of the set they belong
 * to: the current set, or - for an effort that began before the previous
 * set ended and ends shortly after - the previous one ("late").
 *
 * A hold's time is kept per leg (hold_s) plus, for the timer, the time
 * measured before the current effort period (acc_s): an effort cut by a gap
 * ends a period without ending the set, and the next effort after the gap
 * starts a new period whose time adds to it.
 */
#include "bm_runner.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUE_CAP 64
#define LINE_CAP 64
#define LINE_LEN 256 /* a long protocol name, the set and the zone in newtons */

/* An effort_end whose onset is within this of an effort already counted at
 * source_back is that same effort, now with the detector's own numbers. */
#define SAME_EFFORT_S 1.0

/* An effort that began this much before its set started (during the rest)
 * counts from the set's start. */
#define EARLY_START_S 0.5

/* The UTF-8 middle dot between the set number and the set. */
#define DOT "\xc2\xb7"

struct leg_state {
	int running;        /* an effort is under way */
	double begin_s;     /* its onset */
	int ignore;         /* it began before a restart: its end is not counted */
	long cut_set;       /* slot where an effort still running at a loss was
	                       counted at source_back (-1: none) */
	double cut_begin_s, cut_dur_s;
};

/* Sums behind a slot's time-weighted mean force. */
struct set_acc {
	double force_time[2]; /* sum of mean force x duration */
	double time[2];       /* sum of durations */
};

struct bm_runner {
	struct bm_runner_params p;
	struct bm_protocol proto;
	size_t n_sets;
	struct bm_set_result sets[BM_RUNNER_MAX_SETS];
	struct set_acc acc[BM_RUNNER_MAX_SETS];

	enum bm_runner_state state;
	int started;
	size_t cur;            /* current slot */
	long prev;             /* the last slot that ended, -1: none */
	double since_s;        /* the state began (countdowns run from here) */
	double now_s;          /* latest time seen (ticks, efforts, the board) */
	double tick_s;         /* latest tick: ticks must not go back */
	int paused;
	double lost_s;
	struct leg_state leg[2];

	/* the set under way */
	double onset_s;        /* onset of the current effort period; NaN: none */
	double acc_s;          /* hold time measured before this period */
	int any_effort;
	int target_cued;
	int waiting_long;
	double wait_from_s;
	double last_rep_end_s;
	int countdown_shown;   /* last "3", "2", "1" line */
	struct bm_zone_band band;
	struct bm_zone_tracker zt;
	int zone_all_in;

	enum bm_run_cue cues[CUE_CAP];
	size_t cue_head, cue_n;
	uint64_t cues_dropped;
	char lines[LINE_CAP][LINE_LEN];
	size_t line_head, line_n;
	uint64_t lines_dropped;
};

void bm_runner_params_default(struct bm_runner_params *p)
{
	p->get_ready_s = 3;
	p->wait_prompt_s = 20;
	p->fatigue_idle_s = 5;
	p->min_hold_s = 3;
	p->min_mvic_s = 1;
	p->short_margin_s = 0.5;
	p->late_s = 3;
	bm_zone_params_default(&p->zone);
	bm_mvic_init(&p->mvic);
}

/* ---- queues ------------------------------------------------------------ */

static void cue(struct bm_runner *r, enum bm_run_cue c)
{
	if (r->cue_n == CUE_CAP) {
		r->cues_dropped++;
		return;
	}
	r->cues[(r->cue_head + r->cue_n++) % CUE_CAP] = c;
}

static void line(struct bm_runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line(struct bm_runner *r, const char *fmt, ...)
{
	if (r->line_n == LINE_CAP) {
		r->lines_dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->lines[(r->line_head + r->line_n++) % LINE_CAP], LINE_LEN, fmt, ap);
	va_end(ap);
}

int bm_runner_next_cue(struct bm_runner *r, enum bm_run_cue *c)
{
	if (!r || !c || r->cue_n == 0)
		return 0;
	*c = r->cues[r->cue_head];
	r->cue_head = (r->cue_head + 1) % CUE_CAP;
	r->cue_n--;
	return 1;
}

int bm_runner_next_line(struct bm_runner *r, char *buf, size_t len)
{
	if (!r || !buf || !len || r->line_n == 0)
		return 0;
	snprintf(buf, len, "%s", r->lines[r->line_head]);
	r->line_head = (r->line_head + 1) % LINE_CAP;
	r->line_n--;
	return 1;
}

/* ---- small helpers ----------------------------------------------------- */

static int works(const struct bm_set_result *s, int leg)
{
	return s->set.side == BM_SIDE_BOTH || (int)s->set.side == leg;
}

static int is_timed(const struct bm_set_result *s)
{
	return s->set.kind == BM_SET_HOLD || s->set.kind == BM_SET_MVIC;
}

static struct bm_set_result *cur_set(struct bm_runner *r)
{
	return &r->sets[r->cur];
}

static void slot_clear(struct bm_runner *r, size_t i)
{
	struct bm_set_result *s = &r->sets[i];
	s->flags &= BM_SET_F_REPEAT;
	s->achieved = 0;
	s->start_s = s->end_s = NAN;
	for (int leg = 0; leg < 2; leg++) {
		s->efforts[leg] = s->reps[leg] = 0;
		s->hold_s[leg] = 0;
		s->mean_above_rest_n[leg] = s->peak_above_rest_n[leg] = NAN;
		s->time_in_zone_s[leg] = NAN;
		s->zone_low_n[leg] = s->zone_high_n[leg] = NAN;
		r->acc[i].force_time[leg] = r->acc[i].time[leg] = 0;
	}
}

static void slot_init(struct bm_runner *r, size_t i, const struct bm_protocol_set *ps)
{
	struct bm_set_result *s = &r->sets[i];
	memset(s, 0, sizeof *s);
	s->set = *ps;
	s->set.count = 1;
	s->target = ps->kind == BM_SET_REPS ? (double)ps->reps
	          : ps->kind == BM_SET_FATIGUE ? NAN : ps->seconds;
	slot_clear(r, i);
}

static void renumber(struct bm_runner *r)
{
	for (size_t i = 0; i < r->n_sets; i++)
		r->sets[i].number = i + 1;
}

static int any_running(const struct bm_runner *r, const struct bm_set_result *s)
{
	for (int leg = 0; leg < 2; leg++)
		if (works(s, leg) && r->leg[leg].running && !r->leg[leg].ignore)
			return 1;
	return 0;
}

/* Achieved from what the slot measured: the longest leg's time, or the
 * larger leg's count. */
static void recompute(struct bm_runner *r, size_t i)
{
	struct bm_set_result *s = &r->sets[i];
	double best = 0;
	for (int leg = 0; leg < 2; leg++) {
		if (!works(s, leg))
			continue;
		double v = is_timed(s) ? s->hold_s[leg] : (double)s->reps[leg];
		if (v > best)
			best = v;
		const struct set_acc *a = &r->acc[i];
		s->mean_above_rest_n[leg] = a->time[leg] > 0 ? a->force_time[leg] / a->time[leg] : NAN;
	}
	s->achieved = best;
	s->flags &= ~(unsigned)BM_SET_F_SHORT;
	if ((s->flags & BM_SET_F_DONE) && s->set.kind != BM_SET_FATIGUE) {
		double need = is_timed(s) ? s->target - r->p.short_margin_s : s->target;
		if (s->achieved < need)
			s->flags |= BM_SET_F_SHORT;
	}
}

/* Add one measured effort to slot @i. */
static void add_effort(struct bm_runner *r, size_t i, int leg, double dur, double peak,
                       double mean)
{
	struct bm_set_result *s = &r->sets[i];
	s->efforts[leg]++;
	if (is_timed(s))
		s->hold_s[leg] += dur;
	else
		s->reps[leg]++;
	if (isfinite(mean) && dur > 0) {
		r->acc[i].force_time[leg] += mean * dur;
		r->acc[i].time[leg] += dur;
	}
	if (isfinite(peak) && (isnan(s->peak_above_rest_n[leg]) || peak > s->peak_above_rest_n[leg]))
		s->peak_above_rest_n[leg] = peak;
	recompute(r, i);
}

static void prompt_of(const struct bm_runner *r, size_t i, char *out, size_t len)
{
	char what[96];
	bm_protocol_describe_set(&r->sets[i].set, what, sizeof what);
	snprintf(out, len, "set %zu of %zu " DOT " %s", i + 1, r->n_sets, what);
}

/* ---- transitions ------------------------------------------------------- */

static void enter_working(struct bm_runner *r, double t);
static void finish(struct bm_runner *r);

static void set_band(struct bm_runner *r)
{
	struct bm_set_result *s = cur_set(r);
	double ref[2];
	bm_mvic_reference(&r->p.mvic, s->set.side, ref);
	memset(&r->band, 0, sizeof r->band);
	if (s->set.kind == BM_SET_HOLD || s->set.kind == BM_SET_REPS) {
		if (!isnan(s->set.zone_low_pct))
			bm_zone_band_make(&r->p.zone, ref, s->set.zone_low_pct, s->set.zone_high_pct, &r->band);
		else if (!isnan(s->set.pct_mvic))
			bm_zone_band_around(&r->p.zone, ref, s->set.pct_mvic, &r->band);
	}
	for (int leg = 0; leg < 2; leg++) {
		if (!works(s, leg))
			r->band.valid[leg] = 0;
		s->zone_low_n[leg] = r->band.valid[leg] ? r->band.low_n[leg] : NAN;
		s->zone_high_n[leg] = r->band.valid[leg] ? r->band.high_n[leg] : NAN;
	}
}

static void enter_get_ready(struct bm_runner *r, double t)
{
	char prompt[128];
	r->state = BM_RUN_GET_READY;
	r->since_s = t;
	r->countdown_shown = 0;
	set_band(r);
	prompt_of(r, r->cur, prompt, sizeof prompt);
	cue(r, BM_RUN_CUE_GET_READY);
	if (r->band.valid[0] || r->band.valid[1]) {
		/* The band in newtons, so that a terminal user knows it too. */
		char zone[2][48];
		for (int leg = 0; leg < 2; leg++) {
			if (r->band.valid[leg])
				snprintf(zone[leg], sizeof zone[leg], "%s %.0f-%.0f N", leg ? "R" : "L",
				         r->band.low_n[leg], r->band.high_n[leg]);
			else
				zone[leg][0] = '\0';
		}
		line(r, "%s: get ready " DOT " zone above rest %s%s%s", prompt, zone[0],
		     zone[0][0] && zone[1][0] ? ", " : "", zone[1]);
	} else {
		line(r, "%s: get ready", prompt);
	}
	if (!(r->p.get_ready_s > 0) && !r->paused)
		enter_working(r, t);
}

static void enter_working(struct bm_runner *r, double t)
{
	struct bm_set_result *s = cur_set(r);
	r->state = BM_RUN_WORKING;
	r->since_s = t;
	s->start_s = t;
	r->onset_s = NAN;
	r->acc_s = 0;
	r->any_effort = 0;
	r->target_cued = 0;
	r->waiting_long = 0;
	r->wait_from_s = t;
	r->last_rep_end_s = t;
	r->zone_all_in = 0;
	bm_zone_tracker_reset(&r->zt, &r->p.zone);
	/* An effort already under way (begun in the countdown or the rest)
	 * counts from now. */
	if (any_running(r, s)) {
		r->any_effort = 1;
		r->onset_s = t;
	}
	cue(r, BM_RUN_CUE_GO);
	line(r, "go");
}

static void next_or_finish(struct bm_runner *r, double t)
{
	if (r->cur + 1 < r->n_sets) {
		r->cur++;
		enter_get_ready(r, t);
	} else {
		finish(r);
	}
}

/* The current set ends with @flags (DONE or SKIPPED). */
static void end_set(struct bm_runner *r, double t, unsigned flags)
{
	struct bm_set_result *s = cur_set(r);
	s->flags |= flags;
	s->end_s = t;
	for (int leg = 0; leg < 2; leg++)
		s->time_in_zone_s[leg] = r->band.valid[leg] && r->state == BM_RUN_WORKING
		                       ? r->zt.in_zone_s[leg] : NAN;
	recompute(r, r->cur);
	r->prev = (long)r->cur;
	r->onset_s = NAN;

	size_t n = s->number;
	if (flags & BM_SET_F_SKIPPED) {
		line(r, "set %zu skipped", n);
	} else if (is_timed(s)) {
		if (s->set.kind == BM_SET_MVIC) {
			char peaks[64] = "";
			for (int leg = 0, o = 0; leg < 2; leg++)
				if (works(s, leg) && isfinite(s->peak_above_rest_n[leg]))
					o += snprintf(peaks + o, sizeof peaks - (size_t)o, " %s %.0f N",
					              leg ? "right" : "left", s->peak_above_rest_n[leg]);
			line(r, "set %zu done: %.1f s, peak%s", n, s->achieved, peaks[0] ? peaks : " unknown");
		} else if (s->flags & BM_SET_F_SHORT) {
			line(r, "set %zu done: %.1f s of %g s (short)", n, s->achieved, s->target);
		} else {
			line(r, "set %zu done: %.1f s", n, s->achieved);
		}
	} else if (s->set.kind == BM_SET_FATIGUE) {
		int reps = (int)s->achieved;
		line(r, "set %zu done: %d reps to fatigue, %s leg (%s)", n, reps,
		     bm_side_name(s->set.side), bm_fatigue_norm_name(bm_fatigue_norm_of(reps)));
	} else {
		line(r, "set %zu done: %d reps", n, (int)s->achieved);
	}

	if (r->cur + 1 < r->n_sets && !(flags & BM_SET_F_SKIPPED) && s->set.rest_s > 0) {
		r->state = BM_RUN_REST;
		r->since_s = t;
		line(r, "rest %g s", s->set.rest_s);
	} else {
		next_or_finish(r, t);
	}
}

static void count_sets(const struct bm_runner *r, size_t *done, size_t *shrt, size_t *skipped)
{
	*done = *shrt = *skipped = 0;
	for (size_t i = 0; i < r->n_sets; i++) {
		unsigned f = r->sets[i].flags;
		*done += (f & BM_SET_F_DONE) != 0;
		*shrt += (f & BM_SET_F_DONE) && (f & BM_SET_F_SHORT);
		*skipped += (f & BM_SET_F_SKIPPED) != 0;
	}
}

static void finish(struct bm_runner *r)
{
	size_t done, shrt, skipped;
	r->state = BM_RUN_FINISHED;
	count_sets(r, &done, &shrt, &skipped);
	cue(r, BM_RUN_CUE_FINISHED);
	line(r, "finished: %zu of %zu sets done (%zu short, %zu skipped)", done, r->n_sets, shrt,
	     skipped);
}

/* ---- life cycle -------------------------------------------------------- */

int bm_runner_new(const struct bm_protocol *proto, const struct bm_runner_params *p,
                  struct bm_runner **out)
{
	if (!out)
		return BM_RUNNER_ERR_ARG;
	*out = NULL;
	if (!proto || bm_protocol_total_sets(proto) == 0 ||
	    bm_protocol_total_sets(proto) > BM_PROTOCOL_MAX_SETS)
		return BM_RUNNER_ERR_ARG;
	struct bm_runner *r = calloc(1, sizeof *r);
	if (!r)
		return BM_RUNNER_ERR_NOMEM;
	if (p)
		r->p = *p;
	else
		bm_runner_params_default(&r->p);
	r->proto = *proto;
	for (size_t i = 0; i < proto->n_sets && i < BM_PROTOCOL_MAX_LINES; i++)
		for (int c = 0; c < proto->sets[i].count; c++)
			slot_init(r, r->n_sets++, &proto->sets[i]);
	renumber(r);
	r->prev = -1;
	r->onset_s = NAN;
	r->lost_s = NAN;
	r->now_s = -INFINITY;
	r->tick_s = -INFINITY;
	for (int leg = 0; leg < 2; leg++)
		r->leg[leg].cut_set = -1;
	bm_zone_tracker_reset(&r->zt, &r->p.zone);
	*out = r;
	return BM_RUNNER_OK;
}

void bm_runner_free(struct bm_runner *r)
{
	free(r);
}

static void advance_time(struct bm_runner *r, double t)
{
	if (t > r->now_s)
		r->now_s = t;
}

int bm_runner_start(struct bm_runner *r, double t_s)
{
	if (!r || !isfinite(t_s))
		return BM_RUNNER_ERR_ARG;
	if (r->started)
		return BM_RUNNER_ERR_STATE;
	r->started = 1;
	r->now_s = t_s;
	r->cur = 0;
	enter_get_ready(r, t_s);
	return BM_RUNNER_OK;
}

/* ---- time -------------------------------------------------------------- */

static double hold_timer(const struct bm_runner *r)
{
	double t = r->acc_s;
	if (isfinite(r->onset_s)) {
		double upto = r->paused ? r->lost_s : r->now_s;
		if (upto > r->onset_s)
			t += upto - r->onset_s;
	}
	return t;
}

static void track_zone(struct bm_runner *r, double t, const double force[2])
{
	struct bm_set_result *s = cur_set(r);
	int active[2];
	for (int leg = 0; leg < 2; leg++)
		active[leg] = works(s, leg) && r->leg[leg].running && !r->leg[leg].ignore;
	bm_zone_tracker_step(&r->zt, &r->band, t, force, active);
	int any = 0, all_in = 1;
	for (int leg = 0; leg < 2; leg++) {
		if (!active[leg] || !r->band.valid[leg])
			continue;
		any = 1;
		all_in &= r->zt.pos[leg] == BM_ZONE_IN;
	}
	if (!any) {
		r->zone_all_in = 0; /* the effort ended: no tone for that */
		return;
	}
	if (all_in && !r->zone_all_in)
		cue(r, BM_RUN_CUE_IN_ZONE);
	else if (!all_in && r->zone_all_in)
		cue(r, BM_RUN_CUE_OUT_OF_ZONE);
	r->zone_all_in = all_in;
}

static void tick_working(struct bm_runner *r, double t, const double force[2])
{
	struct bm_set_result *s = cur_set(r);
	if (!r->paused)
		track_zone(r, t, force);
	if (is_timed(s) && !r->target_cued && hold_timer(r) >= s->target) {
		r->target_cued = 1;
		cue(r, BM_RUN_CUE_TARGET);
		if (s->set.kind == BM_SET_MVIC)
			line(r, "stop: %g s", s->target);
		else
			line(r, "target reached: %g s", s->target);
	}
	if (r->paused)
		return;
	if (!r->any_effort && !r->waiting_long && t - r->wait_from_s >= r->p.wait_prompt_s) {
		r->waiting_long = 1;
		line(r, "still waiting: push when you are ready");
	}
	if (s->set.kind == BM_SET_FATIGUE && s->achieved >= 1 && !any_running(r, s) &&
	    t - r->last_rep_end_s >= r->p.fatigue_idle_s)
		end_set(r, t, BM_SET_F_DONE);
}

int bm_runner_tick(struct bm_runner *r, double t_s, const double force_above_rest_n[2])
{
	if (!r || !isfinite(t_s))
		return BM_RUNNER_ERR_ARG;
	if (!r->started)
		return BM_RUNNER_ERR_STATE;
	/* Only ticks must be in order: an effort's end may carry a time a
	 * little ahead of the tick that follows it. */
	if (t_s < r->tick_s)
		return BM_RUNNER_ERR_TIME;
	r->tick_s = t_s;
	advance_time(r, t_s);
	t_s = r->now_s;
	switch (r->state) {
	case BM_RUN_GET_READY: {
		if (r->paused)
			break;
		double left = r->p.get_ready_s - (t_s - r->since_s);
		int shown = (int)ceil(left);
		if (left > 0 && shown != r->countdown_shown) {
			r->countdown_shown = shown;
			line(r, "%d", shown);
		}
		if (left <= 0)
			enter_working(r, t_s);
		break;
	}
	case BM_RUN_WORKING:
		tick_working(r, t_s, force_above_rest_n);
		break;
	case BM_RUN_REST:
		if (t_s - r->since_s >= cur_set(r)->set.rest_s) {
			cue(r, BM_RUN_CUE_REST_OVER);
			line(r, "rest over");
			next_or_finish(r, t_s);
		}
		break;
	default:
		break;
	}
	return BM_RUNNER_OK;
}

/* ---- efforts ----------------------------------------------------------- */

int bm_runner_effort_begin(struct bm_runner *r, enum bm_side side, double t_s)
{
	if (!r || !isfinite(t_s) || (side != BM_SIDE_LEFT && side != BM_SIDE_RIGHT &&
	                             side != BM_SIDE_BOTH))
		return BM_RUNNER_ERR_ARG;
	if (!r->started)
		return BM_RUNNER_ERR_STATE;
	advance_time(r, t_s);
	struct bm_set_result *s = cur_set(r);
	int for_set = 0;
	for (int leg = 0; leg < 2; leg++) {
		if (side != BM_SIDE_BOTH && (int)side != leg)
			continue;
		struct leg_state *L = &r->leg[leg];
		L->running = 1;
		L->begin_s = t_s;
		L->ignore = 0;
		L->cut_set = -1;
		for_set |= works(s, leg);
	}
	if (!for_set || r->paused)
		return BM_RUNNER_OK;
	if (r->state == BM_RUN_GET_READY) {
		/* Started before "go": the set starts now. */
		enter_working(r, t_s);
	} else if (r->state == BM_RUN_WORKING) {
		if (isnan(r->onset_s))
			r->onset_s = t_s;
		r->any_effort = 1;
		r->waiting_long = 0;
	}
	return BM_RUNNER_OK;
}

/* An effort counted at source_back when the detector gave no end for it:
 * now its end arrived; put the detector's numbers in its place. */
static void replace_cut(struct bm_runner *r, int leg, double dur, double peak, double mean)
{
	struct leg_state *L = &r->leg[leg];
	size_t i = (size_t)L->cut_set;
	struct bm_set_result *s = &r->sets[i];
	if (is_timed(s))
		s->hold_s[leg] += dur - L->cut_dur_s;
	if (isfinite(mean) && dur > 0) {
		r->acc[i].force_time[leg] += mean * dur;
		r->acc[i].time[leg] += dur;
	}
	if (isfinite(peak) && (isnan(s->peak_above_rest_n[leg]) || peak > s->peak_above_rest_n[leg]))
		s->peak_above_rest_n[leg] = peak;
	recompute(r, i);
	if (i == r->cur && r->state == BM_RUN_WORKING && is_timed(s))
		r->acc_s = s->achieved;
	L->cut_set = -1;
}

static void end_in_current(struct bm_runner *r, int leg, double start, double end, double peak,
                           double mean)
{
	struct bm_set_result *s = cur_set(r);
	int cut = r->paused;
	if (start < s->start_s - EARLY_START_S)
		start = s->start_s;
	double dur = end > start ? end - start : 0;
	r->any_effort = 1;

	if (is_timed(s)) {
		/* A short target (a 1 s hold) must stay reachable: half the
		 * target is then the bar. */
		double min = s->set.kind == BM_SET_MVIC ? r->p.min_mvic_s : r->p.min_hold_s;
		if (min > s->target / 2)
			min = s->target / 2;
		if (dur < min && !cut) {
			/* A twitch: not an attempt at the set. */
			if (!any_running(r, s))
				r->onset_s = NAN;
			return;
		}
		add_effort(r, r->cur, leg, dur, peak, mean);
		if (cut) {
			/* Counted, but the set goes on after the gap. */
			if (!any_running(r, s)) {
				r->acc_s = s->achieved;
				r->onset_s = NAN;
			}
			return;
		}
		if (!any_running(r, s))
			end_set(r, r->now_s, BM_SET_F_DONE);
		return;
	}

	/* reps and fatigue: every finished effort is a rep */
	int before = (int)s->achieved;
	add_effort(r, r->cur, leg, dur, peak, mean);
	if (end > r->last_rep_end_s)
		r->last_rep_end_s = end;
	int count = (int)s->achieved;
	if (count > before) {
		if (s->set.kind == BM_SET_REPS)
			line(r, "rep %d of %d", count, s->set.reps);
		else
			line(r, "rep %d", count);
	}
	if (s->set.kind == BM_SET_REPS && count >= s->set.reps) {
		cue(r, BM_RUN_CUE_TARGET);
		end_set(r, r->now_s, BM_SET_F_DONE);
	}
}

int bm_runner_effort_end(struct bm_runner *r, int leg, enum bm_effort_kind kind,
                         double start_s, double end_s, double peak_above_rest_n,
                         double mean_above_rest_n)
{
	(void)kind; /* a set takes the effort for what the set asks: see bm_runner.h */
	if (!r || leg < 0 || leg > 1 || !isfinite(start_s) || !isfinite(end_s))
		return BM_RUNNER_ERR_ARG;
	if (!r->started)
		return BM_RUNNER_ERR_STATE;
	advance_time(r, end_s);
	struct leg_state *L = &r->leg[leg];
	double dur = end_s > start_s ? end_s - start_s : 0;
	if (L->cut_set >= 0 && fabs(start_s - L->cut_begin_s) < SAME_EFFORT_S) {
		replace_cut(r, leg, dur, peak_above_rest_n, mean_above_rest_n);
		return BM_RUNNER_OK;
	}
	L->running = 0;
	if (L->ignore) {
		L->ignore = 0;
		return BM_RUNNER_OK;
	}
	if (r->prev >= 0) {
		struct bm_set_result *p = &r->sets[r->prev];
		if (works(p, leg) && start_s < p->end_s && end_s <= p->end_s + r->p.late_s) {
			add_effort(r, (size_t)r->prev, leg, dur, peak_above_rest_n, mean_above_rest_n);
			return BM_RUNNER_OK;
		}
	}
	if (r->state == BM_RUN_WORKING && works(cur_set(r), leg))
		end_in_current(r, leg, start_s, end_s, peak_above_rest_n, mean_above_rest_n);
	return BM_RUNNER_OK;
}

/* ---- the board --------------------------------------------------------- */

int bm_runner_source_lost(struct bm_runner *r, double t_s)
{
	if (!r || !isfinite(t_s))
		return BM_RUNNER_ERR_ARG;
	if (!r->started)
		return BM_RUNNER_ERR_STATE;
	if (r->paused || r->state == BM_RUN_FINISHED || r->state == BM_RUN_ABANDONED)
		return BM_RUNNER_OK;
	advance_time(r, t_s);
	r->paused = 1;
	r->lost_s = t_s;
	if (r->state == BM_RUN_WORKING)
		cur_set(r)->flags |= BM_SET_F_INTERRUPTED;
	line(r, "paused: board unplugged");
	return BM_RUNNER_OK;
}

int bm_runner_source_back(struct bm_runner *r, double t_s)
{
	if (!r || !isfinite(t_s))
		return BM_RUNNER_ERR_ARG;
	if (!r->started)
		return BM_RUNNER_ERR_STATE;
	if (!r->paused)
		return BM_RUNNER_OK;
	advance_time(r, t_s);
	r->paused = 0;
	struct bm_set_result *s = cur_set(r);
	/* Efforts still open at the loss: the detector restarts after a gap
	 * and may never end them.  Count them up to the loss now; if their
	 * end does come, replace_cut puts the measured numbers in. */
	for (int leg = 0; leg < 2; leg++) {
		struct leg_state *L = &r->leg[leg];
		if (!L->running)
			continue;
		L->running = 0;
		if (L->ignore || r->state != BM_RUN_WORKING || !works(s, leg)) {
			L->ignore = 0;
			continue;
		}
		double begin = L->begin_s < s->start_s - EARLY_START_S ? s->start_s : L->begin_s;
		double dur = r->lost_s > begin ? r->lost_s - begin : 0;
		add_effort(r, r->cur, leg, dur, NAN, NAN);
		L->cut_set = (long)r->cur;
		L->cut_begin_s = L->begin_s;
		L->cut_dur_s = is_timed(s) ? dur : 0;
	}
	switch (r->state) {
	case BM_RUN_GET_READY:
		r->since_s = t_s;
		r->countdown_shown = 0;
		line(r, "board back: get ready again");
		break;
	case BM_RUN_WORKING:
		if (is_timed(s))
			r->acc_s = s->achieved;
		r->onset_s = NAN;
		r->wait_from_s = t_s;
		r->last_rep_end_s = t_s;
		r->zone_all_in = 0;
		line(r, "board back: the set continues");
		break;
	default:
		line(r, "board back");
		break;
	}
	return BM_RUNNER_OK;
}

/* ---- keys -------------------------------------------------------------- */

int bm_runner_skip(struct bm_runner *r)
{
	if (!r)
		return BM_RUNNER_ERR_ARG;
	switch (r->state) {
	case BM_RUN_GET_READY:
	case BM_RUN_WORKING:
		end_set(r, r->now_s, BM_SET_F_SKIPPED);
		return BM_RUNNER_OK;
	case BM_RUN_REST:
		line(r, "rest skipped");
		next_or_finish(r, r->now_s);
		return BM_RUNNER_OK;
	default:
		return BM_RUNNER_ERR_STATE;
	}
}

int bm_runner_repeat(struct bm_runner *r)
{
	if (!r)
		return BM_RUNNER_ERR_ARG;
	switch (r->state) {
	case BM_RUN_GET_READY:
	case BM_RUN_WORKING:
		/* Start the current set afresh; efforts under way belong to the
		 * attempt given up. */
		for (int leg = 0; leg < 2; leg++)
			if (r->leg[leg].running)
				r->leg[leg].ignore = 1;
		slot_clear(r, r->cur);
		line(r, "set %zu again", r->cur + 1);
		enter_get_ready(r, r->now_s);
		return BM_RUNNER_OK;
	case BM_RUN_REST:
	case BM_RUN_FINISHED: {
		if (r->prev < 0)
			return BM_RUNNER_ERR_STATE;
		if (r->n_sets == BM_RUNNER_MAX_SETS)
			return BM_RUNNER_ERR_FULL;
		size_t from = (size_t)r->prev, at = from + 1;
		memmove(&r->sets[at + 1], &r->sets[at], (r->n_sets - at) * sizeof r->sets[0]);
		memmove(&r->acc[at + 1], &r->acc[at], (r->n_sets - at) * sizeof r->acc[0]);
		r->n_sets++;
		slot_init(r, at, &r->sets[from].set);
		r->sets[at].flags = BM_SET_F_REPEAT;
		renumber(r);
		line(r, "set %zu will be done again as set %zu", from + 1, at + 1);
		if (r->state == BM_RUN_FINISHED) {
			r->cur = from;
			next_or_finish(r, r->now_s);
		}
		return BM_RUNNER_OK;
	}
	default:
		return BM_RUNNER_ERR_STATE;
	}
}

int bm_runner_abandon(struct bm_runner *r)
{
	if (!r)
		return BM_RUNNER_ERR_ARG;
	if (r->state == BM_RUN_IDLE || r->state == BM_RUN_FINISHED || r->state == BM_RUN_ABANDONED)
		return BM_RUNNER_ERR_STATE;
	size_t first_not_reached = r->cur + 1;
	if (r->state == BM_RUN_GET_READY || r->state == BM_RUN_WORKING) {
		struct bm_set_result *s = cur_set(r);
		s->flags |= BM_SET_F_ABANDONED;
		s->end_s = r->now_s;
		for (int leg = 0; leg < 2; leg++)
			s->time_in_zone_s[leg] = r->band.valid[leg] && r->state == BM_RUN_WORKING
			                       ? r->zt.in_zone_s[leg] : NAN;
		recompute(r, r->cur);
	}
	for (size_t i = first_not_reached; i < r->n_sets; i++)
		r->sets[i].flags |= BM_SET_F_NOT_REACHED;
	r->state = BM_RUN_ABANDONED;
	line(r, "abandoned at set %zu of %zu", r->cur + 1, r->n_sets);
	return BM_RUNNER_OK;
}

/* ---- views ------------------------------------------------------------- */

void bm_runner_view(const struct bm_runner *r, struct bm_runner_view *v)
{
	if (!v)
		return;
	memset(v, 0, sizeof *v);
	v->countdown_s = v->timer_s = v->target = NAN;
	for (int leg = 0; leg < 2; leg++)
		v->zone_low_n[leg] = v->zone_high_n[leg] = NAN;
	if (!r)
		return;
	v->state = r->state;
	v->paused = r->paused;
	v->n_sets = r->n_sets;
	v->cues_dropped = r->cues_dropped;
	v->lines_dropped = r->lines_dropped;
	if (r->state == BM_RUN_IDLE) {
		snprintf(v->status, sizeof v->status, "not started");
		return;
	}
	const struct bm_set_result *s = &r->sets[r->cur];
	v->set_number = r->cur + 1;
	v->kind = s->set.kind;
	v->side = s->set.side;
	v->target = s->target;
	prompt_of(r, r->cur, v->prompt, sizeof v->prompt);
	for (int leg = 0; leg < 2; leg++) {
		v->zone_valid[leg] = r->band.valid[leg];
		v->zone_low_n[leg] = r->band.valid[leg] ? r->band.low_n[leg] : NAN;
		v->zone_high_n[leg] = r->band.valid[leg] ? r->band.high_n[leg] : NAN;
		v->zone_pos[leg] = r->state == BM_RUN_WORKING ? r->zt.pos[leg] : BM_ZONE_UNKNOWN;
	}
	v->effort_running = r->state == BM_RUN_WORKING && any_running(r, s);
	v->count = is_timed(s) ? 0 : (int)s->achieved;
	v->target_reached = r->target_cued;
	v->waiting_long = r->waiting_long;
	size_t done, shrt, skipped;
	switch (r->state) {
	case BM_RUN_GET_READY:
		v->countdown_s = r->paused ? r->p.get_ready_s
		               : fmax(0, r->p.get_ready_s - (r->now_s - r->since_s));
		snprintf(v->status, sizeof v->status, "get ready: %d", (int)ceil(v->countdown_s));
		break;
	case BM_RUN_WORKING:
		if (is_timed(s)) {
			v->timer_s = hold_timer(r);
			if (s->set.kind == BM_SET_MVIC)
				snprintf(v->status, sizeof v->status, r->target_cued ? "stop: let go"
				         : "push as hard as you can: %.0f s of %g s", v->timer_s, s->target);
			else if (r->target_cued)
				snprintf(v->status, sizeof v->status, "target reached: let go (%.0f s)",
				         v->timer_s);
			else if (v->effort_running || v->timer_s > 0)
				snprintf(v->status, sizeof v->status, "hold: %.0f s of %g s", v->timer_s,
				         s->target);
			else
				snprintf(v->status, sizeof v->status, "go: push up and hold");
		} else if (s->set.kind == BM_SET_REPS) {
			snprintf(v->status, sizeof v->status, "reps: %d of %d", v->count, s->set.reps);
		} else {
			snprintf(v->status, sizeof v->status, "reps to fatigue: %d", v->count);
		}
		if (r->waiting_long)
			snprintf(v->status, sizeof v->status, "waiting: push when you are ready, or skip");
		break;
	case BM_RUN_REST:
		v->countdown_s = fmax(0, s->set.rest_s - (r->now_s - r->since_s));
		snprintf(v->status, sizeof v->status, "rest: %d s", (int)ceil(v->countdown_s));
		break;
	case BM_RUN_FINISHED:
		count_sets(r, &done, &shrt, &skipped);
		snprintf(v->status, sizeof v->status, "finished: %zu of %zu sets done", done, r->n_sets);
		break;
	case BM_RUN_ABANDONED:
		snprintf(v->status, sizeof v->status, "abandoned at set %zu of %zu", r->cur + 1,
		         r->n_sets);
		break;
	default:
		break;
	}
	if (r->paused)
		snprintf(v->status, sizeof v->status, "paused: board unplugged");
}

void bm_runner_summary(const struct bm_runner *r, struct bm_run_summary *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	bm_mvic_init(&out->mvic);
	out->asym_pct = NAN;
	out->weaker = -1;
	for (int leg = 0; leg < 2; leg++) {
		out->mean_above_rest_n[leg] = out->peak_above_rest_n[leg] = NAN;
		out->fatigue_reps[leg] = -1;
	}
	if (!r)
		return;
	out->n_sets = r->n_sets;
	out->sets = r->sets;
	out->finished = r->state == BM_RUN_FINISHED;
	out->abandoned = r->state == BM_RUN_ABANDONED;
	double ft[2] = {0, 0}, tt[2] = {0, 0}, bft[2] = {0, 0}, btt[2] = {0, 0};
	for (size_t i = 0; i < r->n_sets; i++) {
		const struct bm_set_result *s = &r->sets[i];
		unsigned f = s->flags;
		out->sets_done += (f & BM_SET_F_DONE) != 0;
		out->sets_short += (f & BM_SET_F_DONE) && (f & BM_SET_F_SHORT);
		out->sets_skipped += (f & BM_SET_F_SKIPPED) != 0;
		out->sets_interrupted += (f & BM_SET_F_INTERRUPTED) != 0;
		out->sets_not_reached += (f & BM_SET_F_NOT_REACHED) != 0;
		for (int leg = 0; leg < 2; leg++) {
			if (!works(s, leg))
				continue;
			out->hold_s[leg] += s->hold_s[leg];
			if (s->set.kind == BM_SET_HOLD && !isnan(s->set.pct_mvic))
				out->load_weighted_s[leg] += s->hold_s[leg] * s->set.pct_mvic / 100;
			out->reps[leg] += s->reps[leg];
			ft[leg] += r->acc[i].force_time[leg];
			tt[leg] += r->acc[i].time[leg];
			if (s->set.side == BM_SIDE_BOTH && s->set.kind != BM_SET_MVIC) {
				bft[leg] += r->acc[i].force_time[leg];
				btt[leg] += r->acc[i].time[leg];
			}
			double pk = s->peak_above_rest_n[leg];
			if (isfinite(pk) && (isnan(out->peak_above_rest_n[leg]) ||
			                     pk > out->peak_above_rest_n[leg]))
				out->peak_above_rest_n[leg] = pk;
			if (s->set.kind == BM_SET_FATIGUE && (f & BM_SET_F_DONE) &&
			    s->reps[leg] > out->fatigue_reps[leg])
				out->fatigue_reps[leg] = s->reps[leg];
			if (s->set.kind == BM_SET_MVIC && isfinite(pk)) {
				double *best = s->set.side == BM_SIDE_BOTH ? &out->mvic.both_n[leg]
				             : &out->mvic.single_n[leg];
				if (isnan(*best) || pk > *best)
					*best = pk;
			}
		}
	}
	for (int leg = 0; leg < 2; leg++)
		out->mean_above_rest_n[leg] = tt[leg] > 0 ? ft[leg] / tt[leg] : NAN;
	if (btt[0] > 0 && btt[1] > 0) {
		double m0 = bft[0] / btt[0], m1 = bft[1] / btt[1];
		double strong = m0 > m1 ? m0 : m1;
		if (strong > 0) {
			out->asym_pct = fabs(m0 - m1) / strong * 100;
			out->weaker = m0 < m1 ? 0 : m1 < m0 ? 1 : -1;
		}
	}
}

int bm_runner_mvic(const struct bm_runner *r, double epoch_s, struct bm_mvic *out)
{
	if (!out)
		return BM_RUNNER_ERR_ARG;
	bm_mvic_init(out);
	if (!r)
		return BM_RUNNER_ERR_ARG;
	struct bm_run_summary s;
	bm_runner_summary(r, &s);
	*out = s.mvic;
	for (int leg = 0; leg < 2; leg++) {
		if (isfinite(out->single_n[leg]) || isfinite(out->both_n[leg])) {
			out->epoch_s = epoch_s;
			return BM_RUNNER_OK;
		}
	}
	return BM_RUNNER_ERR_STATE;
}

/* ---- text -------------------------------------------------------------- */


static void put_force(struct bm_outbuf *o, double mean, double peak)
{
	if (isfinite(mean) || isfinite(peak))
		bm_outbuf_put(o, " %5.0f/%-5.0f", mean, peak);
	else
		bm_outbuf_put(o, " %11s", "-");
}

static void put_flags(struct bm_outbuf *o, unsigned f)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{BM_SET_F_DONE, "done"}, {BM_SET_F_SHORT, "short"}, {BM_SET_F_SKIPPED, "skipped"},
		{BM_SET_F_INTERRUPTED, "interrupted"}, {BM_SET_F_ABANDONED, "abandoned"},
		{BM_SET_F_NOT_REACHED, "not reached"}, {BM_SET_F_REPEAT, "repeat"},
	};
	int first = 1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(f & names[i].bit))
			continue;
		if (names[i].bit == BM_SET_F_SHORT && !(f & BM_SET_F_DONE))
			continue;
		bm_outbuf_put(o, "%s%s", first ? " " : ",", names[i].name);
		first = 0;
	}
	if (first)
		bm_outbuf_put(o, " -");
}

size_t bm_runner_format_summary(const struct bm_run_summary *s, char *out, size_t cap)
{
	struct bm_outbuf o = {out, cap, 0};
	if (out && cap)
		out[0] = '\0';
	if (!s)
		return 0;
	bm_outbuf_put(&o, "set kind    side  target    achieved   left mean/peak N  right mean/peak N  in zone L/R s  result\n");
	for (size_t i = 0; i < s->n_sets; i++) {
		const struct bm_set_result *r = &s->sets[i];
		int timed = r->set.kind == BM_SET_HOLD || r->set.kind == BM_SET_MVIC;
		char target[24], achieved[24], zone[32];
		if (isnan(r->target))
			snprintf(target, sizeof target, "to fatigue");
		else
			snprintf(target, sizeof target, timed ? "%g s" : "%g reps", r->target);
		snprintf(achieved, sizeof achieved, timed ? "%.1f s" : "%.0f reps", r->achieved);
		if (isfinite(r->time_in_zone_s[0]) || isfinite(r->time_in_zone_s[1]))
			snprintf(zone, sizeof zone, "%.1f/%.1f", r->time_in_zone_s[0], r->time_in_zone_s[1]);
		else
			snprintf(zone, sizeof zone, "-");
		bm_outbuf_put(&o, "%3zu %-7s %-5s %-9s %-10s", r->number, bm_set_kind_name(r->set.kind),
		    bm_side_name(r->set.side), target, achieved);
		bm_outbuf_put(&o, "   ");
		put_force(&o, r->mean_above_rest_n[0], r->peak_above_rest_n[0]);
		bm_outbuf_put(&o, "       ");
		put_force(&o, r->mean_above_rest_n[1], r->peak_above_rest_n[1]);
		bm_outbuf_put(&o, "  %-13s", zone);
		put_flags(&o, r->flags);
		bm_outbuf_put(&o, "\n");
	}
	bm_outbuf_put(&o, "%s: %zu of %zu sets done, %zu short, %zu skipped, %zu interrupted, %zu not reached\n",
	    s->finished ? "finished" : s->abandoned ? "abandoned" : "under way", s->sets_done,
	    s->n_sets, s->sets_short, s->sets_skipped, s->sets_interrupted, s->sets_not_reached);
	bm_outbuf_put(&o, "hold time: left %.1f s, right %.1f s (load-weighted %.1f s, %.1f s); reps: left %d, right %d\n",
	    s->hold_s[0], s->hold_s[1], s->load_weighted_s[0], s->load_weighted_s[1], s->reps[0],
	    s->reps[1]);
	bm_outbuf_put(&o, "force above rest: left mean %.0f N, peak %.0f N; right mean %.0f N, peak %.0f N\n",
	    s->mean_above_rest_n[0], s->peak_above_rest_n[0], s->mean_above_rest_n[1],
	    s->peak_above_rest_n[1]);
	if (isfinite(s->asym_pct))
		bm_outbuf_put(&o, "asymmetry (both-legs sets): %.1f %%%s%s\n", s->asym_pct,
		    s->weaker >= 0 ? ", weaker: " : "", s->weaker == 0 ? "left" : s->weaker == 1 ? "right" : "");
	if (s->fatigue_reps[0] >= 0 || s->fatigue_reps[1] >= 0) {
		bm_outbuf_put(&o, "reps to fatigue:");
		for (int leg = 0; leg < 2; leg++)
			if (s->fatigue_reps[leg] >= 0)
				bm_outbuf_put(&o, " %s %d (%s)", leg ? "right" : "left", s->fatigue_reps[leg],
				    bm_fatigue_norm_name(bm_fatigue_norm_of(s->fatigue_reps[leg])));
		bm_outbuf_put(&o, "; norms: under %d poor, about %d average, over %d good (Freckleton et al. 2014)\n",
		    BM_FATIGUE_REPS_POOR_BELOW, BM_FATIGUE_REPS_AVERAGE, BM_FATIGUE_REPS_GOOD_ABOVE);
	}
	const struct bm_mvic *m = &s->mvic;
	if (isfinite(m->single_n[0]) || isfinite(m->single_n[1]) || isfinite(m->both_n[0]) ||
	    isfinite(m->both_n[1]))
		bm_outbuf_put(&o, "MVIC above rest: single leg left %.0f N, right %.0f N; both legs left %.0f N, right %.0f N\n",
		    m->single_n[0], m->single_n[1], m->both_n[0], m->both_n[1]);
	return o.len;
}

const char *bm_runner_state_name(enum bm_runner_state s)
{
	switch (s) {
	case BM_RUN_IDLE: return "idle";
	case BM_RUN_GET_READY: return "get ready";
	case BM_RUN_WORKING: return "working";
	case BM_RUN_REST: return "rest";
	case BM_RUN_FINISHED: return "finished";
	case BM_RUN_ABANDONED: return "abandoned";
	default: return "?";
	}
}

const char *bm_run_cue_name(enum bm_run_cue c)
{
	switch (c) {
	case BM_RUN_CUE_GET_READY: return "get ready";
	case BM_RUN_CUE_GO: return "go";
	case BM_RUN_CUE_TARGET: return "target";
	case BM_RUN_CUE_REST_OVER: return "rest over";
	case BM_RUN_CUE_IN_ZONE: return "in zone";
	case BM_RUN_CUE_OUT_OF_ZONE: return "out of zone";
	case BM_RUN_CUE_FINISHED: return "finished";
	default: return "?";
	}
}
