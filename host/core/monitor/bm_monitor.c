/* bm_monitor.c - the live pipeline; the idea is in bm_monitor.h. */
#include "bm_monitor.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_csv.h"
#include "bm_fileio.h"
#include "bm_report.h"

/* Raw readings kept for tare and calibration: over two seconds at up to
 * 200 Hz. */
#define RAW_KEEP 512
#define CUES 32
/* Live events remembered per leg, for the provisional rep count. */
#define LIVE_EVENTS 64
/* A leg loaded this long without a rep's valley is holding (the timer
 * shows): longer than most reps, well short of a typical hold. */
#define HOLD_SHOW_S 5.0
/* Seconds between "still holding" ticks. */
#define TICK_S 10.0
/* Calibration: the known mass rests still this long ... */
#define CAL_STEADY_S 2.0
/* ... and moves the reading by this many noise SDs at least ... */
#define CAL_MIN_NOISE_SDS 20.0
/* ... to a scale a load cell on an HX711 at gain 128 can have: from a 5 kg
 * cell of 3 mV/V to a 1000 kg one of 0.5 mV/V at 3-5 V excitation, N per
 * count (the usual heel plate's 200 kg, 2 mV/V cell gives about 5e-4) ... */
#define CAL_SCALE_MIN 5e-6
#define CAL_SCALE_MAX 2e-2
/* ... and within this factor of a valid earlier scale, unless overridden. */
#define CAL_MAX_CHANGE 3.0

/* A live (causal chain) event, for provisional counts. */
struct live_ev {
	double start_s, end_s;
	int rep;
};

struct capture {
	int active;
	struct bm_csv_writer *w;    /* NULL: events only, or stopped by an error */
	char csv_path[512];
	char events_path[512];      /* "" for none */
	char summary_path[512];     /* "" for none */
	char meta_path[512];        /* "" for none */
	int meta_dirty;             /* the sidecar changed since written */
	int failed;                 /* the CSV stopped: a write failed */
	int failure_said;           /* bm_monitor_flush() has said so */
	uint16_t last_seq;
	int have_seq;
};

/* What the counting chain (analyze's) has committed. */
struct counts {
	struct bm_session *ses;
	struct bm_event_list ev;    /* every event it found (capture's events) */
	unsigned holds[2], reps[2];
	double hold_time_s[2];      /* counted holds (>= min_hold_s) */
	double last_end_s[2];       /* end of the latest event per leg */
	struct bm_event last[2];    /* latest counted event per leg */
	int have_last[2];
	int finished;               /* the chain was flushed: no more rows */
};

struct bm_monitor {
	struct bm_monitor_params p;
	struct bm_calib cal;
	struct bm_calib_limits lim;
	struct bm_session *live;

	/* Raw ring for tare/calibration. */
	int32_t raw[BM_CALIB_NCHAN][RAW_KEEP];
	uint8_t raw_ok[RAW_KEEP];
	size_t raw_n, raw_pos;

	struct bm_monitor_state st;
	double last_t;
	int have_t;
	double dt_avg;              /* smoothed sample step, for the rate */

	struct counts cnt;
	struct live_ev lev[2][LIVE_EVENTS];
	size_t lev_n[2], lev_pos[2];
	struct bm_event live_last[2];  /* the live chain's latest event per leg */
	int have_live_last[2];

	/* The hold timer. */
	double timer_since_s;
	double live_hold_s;         /* the live chain's latest hold, NaN: none */
	double next_tick_s;
	int target_cued;
	unsigned reps_cued[2];
	double today_before_s;

	/* Staged calibration. */
	int cal_open;
	struct bm_calib staged;

	enum bm_live_cue cues[CUES];
	size_t cue_head, cue_n;
	struct bm_event efforts[CUES];  /* finished live efforts, for protocols */
	size_t eff_head, eff_n;

	struct capture cap;
	struct bm_meta meta;        /* the recording's sidecar (or, between
	                               recordings, the excluded stretches) */
	bm_monitor_trace_cb trace_cb;
	void *trace_ctx;
};

void bm_monitor_params_default(struct bm_monitor_params *p)
{
	bm_detect_params_default(&p->detect);
	p->asym_threshold_pct = 10.0;
	p->hold_target_s = 30.0;
	p->rate_hz = 0;
}

static void cue(struct bm_monitor *m, enum bm_live_cue c)
{
	if (m->cue_n == CUES) {
		m->cue_head = (m->cue_head + 1) % CUES; /* drop the oldest */
		m->cue_n--;
	}
	m->cues[(m->cue_head + m->cue_n++) % CUES] = c;
}

int bm_monitor_next_effort(struct bm_monitor *m, struct bm_event *ev)
{
	if (!m->eff_n)
		return 0;
	*ev = m->efforts[m->eff_head];
	m->eff_head = (m->eff_head + 1) % CUES;
	m->eff_n--;
	return 1;
}

int bm_monitor_next_cue(struct bm_monitor *m, enum bm_live_cue *c)
{
	if (!m->cue_n)
		return 0;
	*c = m->cues[m->cue_head];
	m->cue_head = (m->cue_head + 1) % CUES;
	m->cue_n--;
	return 1;
}

/* ---------------------------------------------------- committed counts */

/* The asymmetry of a bilateral effort, the way the report pairs them:
 * overlapping by half of the shorter (half of the longer when one looks
 * like a hold and the other like a rep), on the force above rest. */
static void effort_asymmetry(struct bm_monitor *m, const struct bm_event *e, const struct bm_event *o)
{
	if (o->single_leg || e->single_leg)
		return;
	double ov = fmin(e->end_s, o->end_s) - fmax(e->start_s, o->start_s);
	double de = e->end_s - e->start_s, dof = o->end_s - o->start_s;
	double need = e->kind == o->kind ? fmin(de, dof) : fmax(de, dof);
	if (!(ov > 0 && ov >= 0.5 * need))
		return;
	const struct bm_event *l = e->leg == 0 ? e : o, *r = e->leg == 0 ? o : e;
	int hold = l->kind == BM_EVENT_HOLD && r->kind == BM_EVENT_HOLD;
	double lv = hold ? l->mean_above_rest_n : l->peak_above_rest_n;
	double rv = hold ? r->mean_above_rest_n : r->peak_above_rest_n;
	double hi = fmax(lv, rv);
	m->st.effort_valid = 1;
	m->st.effort_asym_pct = hi > 0 ? 100.0 * (hi - fmin(lv, rv)) / hi : 0;
	m->st.effort_weaker = lv <= rv ? 0 : 1;
	m->st.effort_flagged = m->st.effort_asym_pct > m->p.asym_threshold_pct;
}

/* An event of the counting chain: kept for the capture, and counted unless
 * it happened while a plate was being calibrated. */
static void on_count_event(void *ctx, const struct bm_event *e)
{
	struct bm_monitor *m = ctx;
	struct counts *c = &m->cnt;

	bm_event_list_add(&c->ev, e);
	if (e->end_s > c->last_end_s[e->leg])
		c->last_end_s[e->leg] = e->end_s;
	if (bm_meta_is_excluded(&m->meta, e->start_s, e->end_s))
		return;
	if (e->kind == BM_EVENT_HOLD) {
		c->holds[e->leg]++;
		if (e->counted)
			c->hold_time_s[e->leg] += e->end_s - e->start_s;
		if (!m->st.hold_active)
			m->st.hold_elapsed_s = e->end_s - e->start_s; /* as measured */
	} else {
		c->reps[e->leg]++;
		m->st.last_rep_peak_n[e->leg] = e->peak_n;
	}
	if (c->have_last[1 - e->leg])
		effort_asymmetry(m, e, &c->last[1 - e->leg]);
	c->last[e->leg] = *e;
	c->have_last[e->leg] = 1;
}

/* The counting chain: analyze's settings, at the recording's nominal rate
 * when it is known (analyze takes it from the sidecar). */
static struct bm_session *new_count_session(struct bm_monitor *m)
{
	struct bm_session_params sp;
	bm_session_params_default(&sp);
	sp.detect = m->p.detect;
	sp.rate_hz = m->p.rate_hz > 0 ? m->p.rate_hz : 0;
	/* A replayed recording's sidecar may know the legs' rest. */
	sp.known_rest_n[0] = m->meta.rest_n[0];
	sp.known_rest_n[1] = m->meta.rest_n[1];
	return bm_session_new(&sp, on_count_event, NULL, m);
}

/* Start counting again (a recording starts): everything committed so far
 * is forgotten.  0, or -1 when out of memory. */
static int counts_restart(struct bm_monitor *m)
{
	struct bm_session *s = new_count_session(m);
	if (!s)
		return -1;
	bm_session_free(m->cnt.ses);
	bm_event_list_free(&m->cnt.ev);
	memset(&m->cnt, 0, sizeof m->cnt);
	m->cnt.ses = s;
	m->cnt.last_end_s[0] = m->cnt.last_end_s[1] = -INFINITY;
	m->st.effort_valid = 0;
	m->st.hold_elapsed_s = 0;
	m->st.last_rep_peak_n[0] = m->st.last_rep_peak_n[1] = NAN;
	m->lev_n[0] = m->lev_n[1] = 0;
	m->reps_cued[0] = m->reps_cued[1] = 0;
	return 0;
}

/* ------------------------------------------------------- live chain */

static void on_live_event(void *ctx, const struct bm_event *e)
{
	struct bm_monitor *m = ctx;
	int leg = e->leg;
	struct live_ev *le = &m->lev[leg][m->lev_pos[leg]];
	le->start_s = e->start_s;
	le->end_s = e->end_s;
	le->rep = e->kind == BM_EVENT_REP;
	m->lev_pos[leg] = (m->lev_pos[leg] + 1) % LIVE_EVENTS;
	if (m->lev_n[leg] < LIVE_EVENTS)
		m->lev_n[leg]++;
	if (bm_meta_is_excluded(&m->meta, e->start_s, e->end_s))
		return;
	if (m->eff_n == CUES) { /* nobody reads them: keep the newest */
		m->eff_head = (m->eff_head + 1) % CUES;
		m->eff_n--;
	}
	m->efforts[(m->eff_head + m->eff_n++) % CUES] = *e;
	/* Until the counting chain commits it, the timer shows the hold as
	 * the live chain measured it (threshold to threshold). */
	if (e->kind == BM_EVENT_HOLD) {
		m->live_hold_s = e->end_s - e->start_s;
		if (!m->st.hold_active)
			m->st.hold_elapsed_s = m->live_hold_s;
	}
	if (e->kind == BM_EVENT_REP)
		m->st.last_rep_peak_n[leg] = e->peak_n;
	/* The last bilateral effort, shown at once; the counting chain's
	 * verdict replaces it when it comes. */
	if (m->have_live_last[1 - leg])
		effort_asymmetry(m, e, &m->live_last[1 - leg]);
	m->live_last[leg] = *e;
	m->have_live_last[leg] = 1;
}

static void on_live_sample(void *ctx, int leg, double t_s, double force_n)
{
	struct bm_monitor *m = ctx;
	m->st.force_n[leg] = force_n;
	(void)t_s;
}

/* Hold time (at least min_hold_s) the live chain saw on leg @p leg that the
 * counting chain has not judged yet. */
static double provisional_hold_s(const struct bm_monitor *m, int leg)
{
	double horizon = bm_session_horizon_s(m->cnt.ses), sum = 0;
	for (size_t i = 0; i < m->lev_n[leg]; i++) {
		const struct live_ev *e = &m->lev[leg][i];
		double d = e->end_s - e->start_s;
		if (!e->rep && d >= m->p.detect.min_hold_s && e->end_s > horizon &&
		    e->start_s > m->cnt.last_end_s[leg] &&
		    !bm_meta_is_excluded(&m->meta, e->start_s, e->end_s))
			sum += d;
	}
	return sum;
}

/* Reps the live chain saw that the counting chain has not judged yet:
 * finished ones past both its horizon and its latest event of that leg,
 * and the valleys of a rep set under way. */
static unsigned provisional_reps(const struct bm_monitor *m, int leg, const struct bm_leg_live *lv)
{
	double horizon = bm_session_horizon_s(m->cnt.ses);
	unsigned n = 0;
	for (size_t i = 0; i < m->lev_n[leg]; i++) {
		const struct live_ev *e = &m->lev[leg][i];
		if (e->rep && e->end_s > horizon && e->start_s > m->cnt.last_end_s[leg] &&
		    !bm_meta_is_excluded(&m->meta, e->start_s, e->end_s))
			n++;
	}
	if (lv->mode == BM_LEG_LOADED && !m->st.hold_active && !m->st.excluded)
		n += (unsigned)lv->valleys;
	return n;
}

/* The hold timer and its cues, from the live chain. */
static void update_timer(struct bm_monitor *m, const struct bm_leg_live lv[2])
{
	double since = INFINITY, now = m->st.now_s;
	int any_loaded = 0;
	for (int i = 0; i < 2; i++) {
		if (lv[i].mode != BM_LEG_LOADED)
			continue;
		any_loaded = 1;
		if (isfinite(lv[i].hold_since_s) && lv[i].hold_since_s < since)
			since = lv[i].hold_since_s;
	}
	int holding = !m->st.excluded && isfinite(since) && now - since >= HOLD_SHOW_S;
	/* Once holding, dips and sags do not stop the timer; the hold ends
	 * when no leg is loaded any more. */
	if (m->st.hold_active && any_loaded)
		holding = 1;
	if (holding && !m->st.hold_active) {
		m->st.hold_active = 1;
		m->timer_since_s = since;
		m->next_tick_s = since + TICK_S;
		m->target_cued = 0;
		cue(m, BM_LIVE_CUE_HOLD_START);
	}
	if (!m->st.hold_active)
		return;
	if (!holding) {
		m->st.hold_active = 0;
		if (isfinite(m->live_hold_s))
			m->st.hold_elapsed_s = m->live_hold_s;
		cue(m, BM_LIVE_CUE_HOLD_END);
		return;
	}
	m->st.hold_elapsed_s = now - m->timer_since_s;
	if (now >= m->next_tick_s) {
		m->next_tick_s += TICK_S;
		cue(m, BM_LIVE_CUE_TICK);
	}
	if (!m->target_cued && m->p.hold_target_s > 0 && m->st.hold_elapsed_s >= m->p.hold_target_s) {
		m->target_cued = 1;
		cue(m, BM_LIVE_CUE_TARGET);
	}
}

/* Everything the screen shows, once per batch. */
static void update_state(struct bm_monitor *m)
{
	struct bm_leg_live lv[2];
	struct counts *c = &m->cnt;

	for (int i = 0; i < 2; i++) {
		bm_session_leg_live(m->live, i, &lv[i]);
		m->st.rest_n[i] = lv[i].baseline_n;
		m->st.loaded_since_s[i] = lv[i].mode == BM_LEG_LOADED && !m->st.excluded
		                              ? lv[i].loaded_since_s : NAN;
	}
	update_timer(m, lv);
	for (int i = 0; i < 2; i++) {
		m->st.holds[i] = c->holds[i];
		m->st.reps_provisional[i] = provisional_reps(m, i, &lv[i]);
		m->st.reps[i] = c->reps[i] + m->st.reps_provisional[i];
		/* One blip per rep, however the count got there. */
		if (m->st.reps[i] > m->reps_cued[i]) {
			cue(m, BM_LIVE_CUE_REP);
			m->reps_cued[i] = m->st.reps[i];
		}
	}
	/* Today: committed holds, and the live chain's not yet judged (at the
	 * end of a recording these are none, and today is what its summary
	 * says). */
	m->st.session_hold_s = fmax(c->hold_time_s[0], c->hold_time_s[1]);
	m->st.session_hold_leg_s[0] = c->hold_time_s[0];
	m->st.session_hold_leg_s[1] = c->hold_time_s[1];
	double with_live = fmax(c->hold_time_s[0] + provisional_hold_s(m, 0),
	                        c->hold_time_s[1] + provisional_hold_s(m, 1));
	m->st.today_hold_s = m->today_before_s + (m->st.recording && !m->meta.demo ? with_live : 0);
	struct bm_session_stats ss;
	bm_session_get_stats(c->ses, &ss);
	m->st.events_lost = ss.events_lost;

	/* Live asymmetry while both legs push, on the force above rest. */
	double fl = m->st.force_n[0] - lv[0].baseline_n, fr = m->st.force_n[1] - lv[1].baseline_n;
	if (lv[0].mode == BM_LEG_LOADED && lv[1].mode == BM_LEG_LOADED && fl > 0 && fr > 0) {
		double hi = fmax(fl, fr);
		m->st.asym_pct = 100.0 * (hi - fmin(fl, fr)) / hi;
		m->st.asym_weaker = fl <= fr ? 0 : 1;
		m->st.asym_flagged = m->st.asym_pct > m->p.asym_threshold_pct;
	} else {
		m->st.asym_pct = 0;
		m->st.asym_weaker = -1;
		m->st.asym_flagged = 0;
	}
}

/* --------------------------------------------------------- public */

struct bm_monitor *bm_monitor_new(const struct bm_monitor_params *p, const struct bm_calib *cal)
{
	struct bm_session_params sp;
	struct bm_monitor *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->p = *p;
	if (cal)
		m->cal = *cal;
	else
		bm_calib_init(&m->cal);
	bm_calib_limits_default(&m->lim);
	bm_meta_init(&m->meta);
	m->st.force_n[0] = m->st.force_n[1] = NAN;
	m->st.rest_n[0] = m->st.rest_n[1] = NAN;
	m->st.loaded_since_s[0] = m->st.loaded_since_s[1] = NAN;
	m->st.asym_weaker = m->st.effort_weaker = -1;
	m->live_hold_s = NAN;
	/* Live: detect from the first samples (the rest level comes from the
	 * first stable second). */
	bm_session_params_default(&sp);
	sp.detect = p->detect;
	sp.filter = BM_SESSION_CAUSAL;
	sp.rate_hz = p->rate_hz;
	sp.prefix_s = 0;
	m->live = bm_session_new(&sp, on_live_event, on_live_sample, m);
	if (!m->live || counts_restart(m) != 0) {
		bm_monitor_free(m);
		return NULL;
	}
	return m;
}

void bm_monitor_free(struct bm_monitor *m)
{
	if (!m)
		return;
	if (m->cap.active)
		bm_monitor_capture_stop(m, NULL, 0);
	bm_session_free(m->cnt.ses);
	bm_event_list_free(&m->cnt.ev);
	bm_session_free(m->live);
	bm_meta_free(&m->meta);
	free(m);
}

void bm_monitor_get_calib(const struct bm_monitor *m, struct bm_calib *out)
{
	*out = m->cal;
}

/* The sidecar now, when a recording has one; say so once if it fails (the
 * CSV is what matters; the next change tries again). */
static void write_meta(struct bm_monitor *m)
{
	char msg[600];
	if (!m->cap.active || !m->cap.meta_path[0])
		return;
	m->cap.meta_dirty = bm_meta_write(m->cap.meta_path, &m->meta, msg, sizeof msg) != BM_META_OK;
}

void bm_monitor_set_calib(struct bm_monitor *m, const struct bm_calib *cal)
{
	if (!memcmp(&m->cal, cal, sizeof *cal))
		return;
	m->cal = *cal;
	if (m->cap.active && m->cap.w) {
		/* From the next sample on. */
		bm_meta_add_calib(&m->meta, m->have_t ? m->last_t : NAN, cal);
		write_meta(m);
	}
}

void bm_monitor_set_context(struct bm_monitor *m, const struct bm_meta_context *ctx)
{
	m->meta.ctx = *ctx;
	write_meta(m);
}

void bm_monitor_set_today_before(struct bm_monitor *m, double seconds)
{
	m->today_before_s = seconds > 0 ? seconds : 0;
}

/* ------------------------------------------------------------ capture */

/* Stop writing the CSV at once (a write failed): it ends at its last
 * complete row.  The capture goes on counting, and at stop describes the
 * file as written. */
static void capture_fail(struct bm_monitor *m, int err)
{
	struct bm_csv_error e;
	m->cap.failed = 1;
	m->st.write_errno = err ? err : EIO;
	bm_csv_writer_close(m->cap.w, &e);
	m->cap.w = NULL;
	m->st.recording = 0;
}

static void capture_row(struct bm_monitor *m, const struct bm_live_sample *s, const double f[2])
{
	struct capture *c = &m->cap;
	struct bm_csv_row row = {0};

	if (c->active && c->w && s->has_raw && c->have_seq && s->lost_before) {
		bm_meta_add_gap(&m->meta, s->t_s, (long)s->lost_before, "frames lost on the link");
		c->meta_dirty = 1;
	}
	c->have_seq = 1;
	row.t_s = s->t_s;
	row.force_n[0] = f[0];
	row.force_n[1] = f[1];
	row.has_raw = s->has_raw;
	row.seq = s->seq;
	for (int i = 0; i < 2; i++) {
		row.raw_counts[i] = s->raw_counts[i];
		row.flags[i] = s->flags[i];
	}
	if (c->active && c->w && bm_csv_write_row(c->w, &row) != BM_CSV_OK)
		capture_fail(m, bm_csv_writer_error(c->w));
	/* The counting chain sees the row as a reader of the CSV will. */
	bm_csv_row_as_written(&row);
	double g[2] = {row.force_n[0], row.force_n[1]};
	for (int i = 0; i < 2; i++)
		if (row.has_raw && (row.flags[i] & BM_CH_NOT_A_READING))
			g[i] = NAN; /* as analyze reads the CSV: flagged is not a reading */
	bm_session_push(m->cnt.ses, row.t_s, g);
}

void bm_monitor_push(struct bm_monitor *m, const struct bm_live_sample *s, size_t n)
{
	for (size_t k = 0; k < n; k++, s++) {
		double f[2];
		if (m->have_t && !(s->t_s > m->last_t))
			continue; /* never feed time backwards into the chains */
		for (int i = 0; i < 2; i++)
			f[i] = !s->needs_cal                        ? s->force_n[i]
			       : (s->flags[i] & BM_CH_NOT_A_READING) ? NAN
			                                             : bm_calib_apply(&m->cal, i, s->raw_counts[i]);
		if (s->has_raw) {
			m->raw[0][m->raw_pos] = s->raw_counts[0];
			m->raw[1][m->raw_pos] = s->raw_counts[1];
			m->raw_ok[m->raw_pos] = !((s->flags[0] | s->flags[1]) & BM_CH_NOT_A_READING);
			m->raw_pos = (m->raw_pos + 1) % RAW_KEEP;
			if (m->raw_n < RAW_KEEP)
				m->raw_n++;
		}
		if (s->gap_before)
			bm_monitor_mark_gap(m, "data missing (device disconnected)");
		if (m->have_t && !s->gap_before) {
			double dt = s->t_s - m->last_t;
			m->dt_avg = m->dt_avg > 0 ? m->dt_avg + 0.02 * (dt - m->dt_avg) : dt;
			m->st.rate_hz = 1.0 / m->dt_avg;
		}
		m->last_t = s->t_s;
		m->have_t = 1;
		m->st.now_s = s->t_s;
		m->st.samples++;
		m->st.lost += s->lost_before;
		bm_session_push(m->live, s->t_s, f);
		capture_row(m, s, f);
		if (m->trace_cb)
			m->trace_cb(m->trace_ctx, s->t_s, m->st.force_n[0], m->st.force_n[1]);
	}
	if (n)
		update_state(m);
}

void bm_monitor_mark_gap(struct bm_monitor *m, const char *why)
{
	bm_session_mark_gap(m->live);
	bm_session_mark_gap(m->cnt.ses);
	if (m->cap.active && m->cap.w) {
		bm_meta_add_gap(&m->meta, NAN, -1, why ? why : "data missing");
		m->cap.meta_dirty = 1;
	}
	m->cap.have_seq = 0;
}

void bm_monitor_get_state(const struct bm_monitor *m, struct bm_monitor_state *out)
{
	*out = m->st;
}

/* ------------------------------------------------------- calibration */

/* The last @p want raw readings of channel @p ch that are readings. */
static size_t last_raw(const struct bm_monitor *m, int ch, size_t want, int32_t *out)
{
	if (want > m->raw_n)
		want = m->raw_n;
	size_t k = 0;
	for (size_t i = 0; i < want; i++) {
		size_t at = (m->raw_pos + RAW_KEEP - want + i) % RAW_KEEP;
		if (m->raw_ok[at])
			out[k++] = m->raw[ch][at];
	}
	return k;
}

/* Samples in @p s seconds at the measured rate (10 before it is known). */
static size_t samples_in(const struct bm_monitor *m, double s)
{
	size_t n = m->st.rate_hz > 1 ? (size_t)lround(m->st.rate_hz * s) : (size_t)lround(10 * s);
	return n > RAW_KEEP ? RAW_KEEP : n;
}

int bm_monitor_tare(struct bm_monitor *m, char *msg, size_t len)
{
	int32_t w[2][RAW_KEEP];
	size_t n[2];
	struct bm_calib trial = m->cal;
	char part[2][200];

	if (m->raw_n < 5) {
		snprintf(msg, len, "tare needs raw readings from a board (this source has none yet)");
		return BM_CALIB_ERR_ARG;
	}
	for (int ch = 0; ch < 2; ch++) {
		n[ch] = last_raw(m, ch, samples_in(m, 1.0), w[ch]);
		int r = bm_calib_tare(&trial, &m->lim, ch, w[ch], n[ch], part[ch], sizeof part[ch]);
		if (r != BM_CALIB_OK) {
			/* Both plates or neither: a half tare is confusing. */
			snprintf(msg, len, "%s", part[ch]);
			return r;
		}
	}
	bm_monitor_set_calib(m, &trial);
	snprintf(msg, len, "both plates tared");
	return BM_CALIB_OK;
}

void bm_monitor_cal_begin(struct bm_monitor *m)
{
	m->cal_open = 1;
	m->staged = m->cal;
	m->st.excluded = 1;
	bm_meta_exclude_begin(&m->meta, m->have_t ? m->last_t : -INFINITY, "calibrating");
	write_meta(m);
}

/* Close the excluded stretch of a calibration. */
static void cal_close(struct bm_monitor *m)
{
	m->cal_open = 0;
	m->st.excluded = 0;
	bm_meta_exclude_end(&m->meta, m->have_t ? m->last_t : INFINITY);
	write_meta(m);
}

int bm_monitor_cal_open(const struct bm_monitor *m)
{
	return m->cal_open;
}

int bm_monitor_cal_measure(struct bm_monitor *m, int leg, double mass_kg, int override, char *msg,
                           size_t len)
{
	static const char *const name[2] = {"left", "right"};
	int32_t w[RAW_KEEP];
	struct bm_calib trial;

	if (!m->cal_open || leg < 0 || leg > 1 || m->raw_n < 5) {
		snprintf(msg, len, "calibration needs raw readings from a board");
		return BM_CALIB_ERR_ARG;
	}
	if (!(mass_kg >= 0.5 && mass_kg <= 500)) {
		snprintf(msg, len, "type the known mass in kg, 0.5 to 500");
		return BM_CALIB_ERR_ARG;
	}
	size_t want = samples_in(m, CAL_STEADY_S), n = last_raw(m, leg, want, w);
	if (m->raw_n < want || n < want * 9 / 10) {
		snprintf(msg, len, "keep the mass still on the %s plate for %.0f s first", name[leg],
		         CAL_STEADY_S);
		return BM_CALIB_ERR_MOVING;
	}
	/* The mass must move the reading clearly: 20 noise SDs of the last
	 * two seconds (at least the HX711's own few counts).  An empty plate
	 * or a feather fails here. */
	trial = m->staged;
	double sum = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[i];
	double mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += ((double)w[i] - mean) * ((double)w[i] - mean);
	double sd = sqrt(ss / (double)n), delta = fabs(mean - trial.offset_counts[leg]);
	if (delta < CAL_MIN_NOISE_SDS * fmax(sd, 2.0) && sd * fabs(m->cal.scale_n_per_count[leg]) < 2.0) {
		snprintf(msg, len, "calibration refused on the %s plate: %.1f kg moved the reading by "
		         "only %.0f counts, within the plate's noise; is the mass on the plate?",
		         name[leg], mass_kg, delta);
		return BM_CALIB_ERR_NO_RESPONSE;
	}
	int r = bm_calib_scale(&trial, &m->lim, leg, w, n, mass_kg, msg, len);
	if (r != BM_CALIB_OK)
		return r;
	double k = fabs(trial.scale_n_per_count[leg]);
	if (k < CAL_SCALE_MIN || k > CAL_SCALE_MAX) {
		snprintf(msg, len, "calibration refused on the %s plate: %.3g N per count is not a "
		         "load cell on an HX711 (%.0e to %.0e); check the mass and that it rests on "
		         "the plate alone", name[leg], k, CAL_SCALE_MIN, CAL_SCALE_MAX);
		return BM_CALIB_ERR_NO_RESPONSE;
	}
	double before = fabs(m->cal.scale_n_per_count[leg]);
	if (m->cal.valid[leg] && !override &&
	    (k > CAL_MAX_CHANGE * before || k < before / CAL_MAX_CHANGE)) {
		snprintf(msg, len, "calibration refused on the %s plate: %.3g N per count is %.1fx the "
		         "board's earlier %.3g; check the mass, or confirm with the override",
		         name[leg], k, k > before ? k / before : before / k, before);
		return BM_CALIB_ERR_NO_RESPONSE;
	}
	m->staged = trial;
	return BM_CALIB_OK;
}

double bm_monitor_cal_reading_kg(const struct bm_monitor *m, int leg)
{
	int32_t w[RAW_KEEP];
	if (leg < 0 || leg > 1)
		return NAN;
	size_t n = last_raw(m, leg, samples_in(m, 1.0), w);
	if (!n)
		return NAN;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[i];
	const struct bm_calib *c = m->cal_open ? &m->staged : &m->cal;
	return bm_calib_apply(c, leg, (int32_t)lround(sum / (double)n)) / BM_STANDARD_GRAVITY;
}

void bm_monitor_cal_commit(struct bm_monitor *m)
{
	if (!m->cal_open)
		return;
	bm_monitor_set_calib(m, &m->staged);
	cal_close(m);
}

void bm_monitor_cal_abort(struct bm_monitor *m)
{
	if (m->cal_open)
		cal_close(m);
}

void bm_monitor_set_trace_cb(struct bm_monitor *m, bm_monitor_trace_cb cb, void *ctx)
{
	m->trace_cb = cb;
	m->trace_ctx = ctx;
}

/* -------------------------------------------------------- capture */

/* The sidecar a capture starts with: the template, and what the monitor
 * knows (rate, start, calibration, a stretch being calibrated). */
static int capture_meta(struct bm_monitor *m, const struct bm_meta *tmpl)
{
	struct bm_meta *x = &m->meta;
	bm_meta_free(x);
	if (tmpl) {
		*x = *tmpl;
		x->cal = NULL;
		x->excluded = NULL;
		x->gaps = NULL;
		x->n_cal = x->n_excluded = x->n_gaps = 0;
		/* Stretches that do not count (a replayed recording's). */
		for (size_t i = 0; i < tmpl->n_excluded; i++) {
			if (bm_meta_exclude_begin(x, tmpl->excluded[i].from_t_s, tmpl->excluded[i].why) != 0)
				return -1;
			bm_meta_exclude_end(x, tmpl->excluded[i].to_t_s);
		}
	}
	x->closed = 0;
	if (!isfinite(x->sample_rate_hz) && m->p.rate_hz > 0)
		x->sample_rate_hz = m->p.rate_hz;
	if (!isfinite(x->start_epoch_s)) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(x->start_time, sizeof x->start_time, "%Y-%m-%dT%H:%M:%S%z", &tm);
		x->start_epoch_s = (double)now;
	}
	if (bm_meta_add_calib(x, NAN, &m->cal) != 0)
		return -1;
	if (m->cal_open && bm_meta_exclude_begin(x, -INFINITY, "calibrating") != 0)
		return -1;
	return 0;
}

int bm_monitor_capture_start(struct bm_monitor *m, const struct bm_capture_files *files,
                             const struct bm_meta *meta, char *msg, size_t len)
{
	struct capture *c = &m->cap;
	struct bm_csv_error err;
	const char *csv_path = files->csv;

	if (c->active) {
		snprintf(msg, len, "already recording to %s", c->csv_path);
		return -1;
	}
	/* Companions are created whole at stop; one that exists now would be
	 * replaced then, and a recording never replaces a file. */
	const char *const others[] = {files->events, files->summary, files->meta};
	for (int i = 0; i < 3; i++) {
		if (csv_path && others[i] && access(others[i], F_OK) == 0) {
			snprintf(msg, len, "%s exists; a recording never replaces a file", others[i]);
			return -1;
		}
	}
	if (capture_meta(m, meta) != 0 || counts_restart(m) != 0) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	memset(c, 0, sizeof *c);
	if (csv_path) {
		if (bm_csv_writer_open(csv_path, &c->w, &err) != BM_CSV_OK) {
			snprintf(msg, len, "%s", err.msg);
			return -1;
		}
		snprintf(c->csv_path, sizeof c->csv_path, "%s", csv_path);
		snprintf(m->st.rec_path, sizeof m->st.rec_path, "%s", csv_path);
		m->st.recording = 1;
		m->st.write_errno = 0;
	}
	if (files->events)
		snprintf(c->events_path, sizeof c->events_path, "%s", files->events);
	if (files->summary)
		snprintf(c->summary_path, sizeof c->summary_path, "%s", files->summary);
	if (files->meta && csv_path)
		snprintf(c->meta_path, sizeof c->meta_path, "%s", files->meta);
	c->active = 1;
	m->st.capturing = 1;
	write_meta(m);
	if (c->meta_dirty) {
		snprintf(msg, len, "%s: cannot write the sidecar", c->meta_path);
		capture_fail(m, errno);
		c->active = 0;
		m->st.capturing = 0;
		return -1;
	}
	snprintf(msg, len, csv_path ? "recording to %s" : "capturing events", csv_path);
	return 0;
}

/* Write one of the stop files whole, never over an existing one. */
static int write_report_file(const char *path, const struct bm_report *rep, int json, char *msg,
                             size_t len)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	if (json)
		bm_report_write_json(rep, f);
	else
		bm_report_write_events_csv(rep, f);
	fclose(f);
	int r = bm_write_file_new(path, buf, blen, msg, len);
	free(buf);
	return r;
}

/* The report of the capture: the counting chain's events, or, when the
 * CSV stopped early (a write failed), what analyze says of the file as
 * written. */
static int capture_report(struct bm_monitor *m, struct bm_report *rep, char *msg, size_t len)
{
	struct counts *c = &m->cnt;
	struct bm_session_stats st;

	if (m->cap.failed) {
		struct bm_analysis_opts o;
		struct bm_analysis_notes notes;
		bm_analysis_opts_default(&o);
		o.sp.detect = m->p.detect;
		o.asym_threshold_pct = m->p.asym_threshold_pct;
		return bm_analysis_run(m->cap.csv_path, &o, rep, &notes, msg, len) == BM_ANALYSIS_OK ? 0
		                                                                                   : -1;
	}
	if (!c->finished)
		bm_session_finish(c->ses);
	c->finished = 1;
	bm_session_get_stats(c->ses, &st);
	size_t kept = 0, excluded = 0;
	struct bm_event *ev = malloc((c->ev.n ? c->ev.n : 1) * sizeof *ev);
	if (!ev || c->ev.nomem) {
		free(ev);
		snprintf(msg, len, "out of memory writing the events");
		return -1;
	}
	for (size_t i = 0; i < c->ev.n; i++) {
		if (bm_meta_is_excluded(&m->meta, c->ev.ev[i].start_s, c->ev.ev[i].end_s))
			excluded++;
		else
			ev[kept++] = c->ev.ev[i];
	}
	int r = bm_report_build(ev, kept, m->p.asym_threshold_pct, rep);
	free(ev);
	if (r != 0) {
		snprintf(msg, len, "out of memory writing the events");
		return -1;
	}
	bm_report_set_stats(rep, &st);
	rep->excluded_events = excluded;
	rep->demo = m->meta.demo;
	rep->calibration_changes = m->meta.n_cal > 1 ? m->meta.n_cal - 1 : 0;
	return 0;
}

int bm_monitor_capture_stop(struct bm_monitor *m, char *msg, size_t len)
{
	struct capture *c = &m->cap;
	struct bm_csv_error err;
	char dummy[8], why[600] = "";
	int rc = 0;

	if (!msg) {
		msg = dummy;
		len = sizeof dummy;
	}
	if (!c->active) {
		snprintf(msg, len, "not recording");
		return -1;
	}
	if (c->w && bm_csv_writer_close(c->w, &err) != BM_CSV_OK) {
		snprintf(why, sizeof why, "%s", err.msg);
		c->failed = 1;
		rc = -1;
	}
	c->w = NULL;
	if (m->cal_open)
		bm_meta_exclude_end(&m->meta, m->have_t ? m->last_t : INFINITY);
	m->meta.closed = 1;
	write_meta(m);
	if (c->events_path[0] || c->summary_path[0]) {
		struct bm_report rep;
		if (capture_report(m, &rep, msg, len) != 0) {
			rc = -1;
		} else {
			if ((c->events_path[0] && write_report_file(c->events_path, &rep, 0, msg, len) != 0) ||
			    (c->summary_path[0] && write_report_file(c->summary_path, &rep, 1, msg, len) != 0))
				rc = -1;
			bm_report_free(&rep);
		}
	}
	if (rc == 0 && c->failed)
		rc = -1;
	if (rc == 0)
		snprintf(msg, len, "%s saved%s", c->csv_path[0] ? c->csv_path : "events",
		         c->events_path[0] || c->summary_path[0] ? " (with events and summary)" : "");
	else if (why[0])
		snprintf(msg, len, "%s", why);
	else if (c->failed && m->st.write_errno)
		snprintf(msg, len, "%s stopped at its last complete row: %s", c->csv_path,
		         strerror(m->st.write_errno));
	update_state(m);
	/* A finished recording counts toward today from now on. */
	if (c->csv_path[0] && !m->meta.demo)
		m->today_before_s += m->st.session_hold_s;
	c->active = 0;
	m->st.capturing = 0;
	m->st.recording = 0;
	m->st.rec_path[0] = '\0';
	return rc;
}

void bm_monitor_finish(struct bm_monitor *m)
{
	if (m->cap.active)
		return; /* bm_monitor_capture_stop() finishes it */
	if (!m->cnt.finished) {
		bm_session_finish(m->cnt.ses);
		m->cnt.finished = 1;
	}
	update_state(m);
}

size_t bm_monitor_capture_events(const struct bm_monitor *m, const struct bm_event **ev)
{
	*ev = m->cnt.ev.ev;
	return m->cnt.ev.n;
}

int bm_monitor_flush(struct bm_monitor *m, char *msg, size_t len)
{
	struct capture *c = &m->cap;
	if (c->active && c->w && bm_csv_writer_flush(c->w, 0) != BM_CSV_OK)
		capture_fail(m, bm_csv_writer_error(c->w));
	if (c->active && c->meta_dirty)
		write_meta(m);
	if (c->active && c->failed && !c->failure_said) {
		c->failure_said = 1;
		if (msg)
			snprintf(msg, len, "recording stopped: cannot write %s (%s); it ends at its last "
			         "complete row, the view goes on", c->csv_path, strerror(m->st.write_errno));
		return -1;
	}
	return 0;
}
