/* bm_monitor.c - the live pipeline; the idea is in bm_monitor.h. */
#include "bm_monitor.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bm_csv.h"
#include "bm_fileio.h"
#include "bm_report.h"
#include "bm_sessions_dir.h"

/* Raw readings kept for tare and calibration: one second at up to 128 Hz. */
#define RAW_KEEP 128
#define CUES 32
/* A leg loaded this long without a valley is holding (the timer shows):
 * longer than most reps, well short of the shortest hold. */
#define HOLD_SHOW_S 5.0
/* Seconds between "still holding" ticks. */
#define TICK_S 10.0

struct capture {
	int active;
	struct bm_csv_writer *w;    /* NULL: events only */
	char csv_path[512];
	char events_path[512];      /* "" for none */
	char summary_path[512];     /* "" for none */
	struct bm_session *ses;     /* zero-phase, as analyze */
	struct bm_event_list events;
	uint16_t last_seq;
	int have_seq;
};

struct bm_monitor {
	struct bm_monitor_params p;
	struct bm_calib cal;
	struct bm_calib_limits lim;
	struct bm_session *live;
	struct bm_session_params live_params;

	/* Raw ring for tare/calibration. */
	int32_t raw[BM_NCHAN][RAW_KEEP];
	uint8_t raw_ok[RAW_KEEP];
	size_t raw_n, raw_pos;

	struct bm_monitor_state st;
	double last_t;
	int have_t;
	double dt_avg;              /* smoothed sample step, for the rate */

	/* Holds: counted time (union over legs) and the one under way. */
	double counted_until_s;
	double hold_since_s;
	double next_tick_s;
	int target_cued;
	/* Reps finished per leg (events), on top of which valleys count. */
	unsigned reps_done[2];
	unsigned reps_shown[2];
	/* Last event of each leg, for the per-effort asymmetry. */
	struct bm_event last_ev[2];
	int have_last_ev[2];

	enum bm_live_cue cues[CUES];
	size_t cue_head, cue_n;

	struct capture cap;
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

int bm_monitor_next_cue(struct bm_monitor *m, enum bm_live_cue *c)
{
	if (!m->cue_n)
		return 0;
	*c = m->cues[m->cue_head];
	m->cue_head = (m->cue_head + 1) % CUES;
	m->cue_n--;
	return 1;
}

/* ------------------------------------------------------- live events */

static void effort_asymmetry(struct bm_monitor *m, const struct bm_event *e)
{
	const struct bm_event *o = &m->last_ev[1 - e->leg];
	if (!m->have_last_ev[1 - e->leg] || o->kind != e->kind || o->single_leg || e->single_leg)
		return;
	double ov = fmin(e->end_s, o->end_s) - fmax(e->start_s, o->start_s);
	double shorter = fmin(e->end_s - e->start_s, o->end_s - o->start_s);
	if (!(ov > 0 && ov >= 0.5 * shorter))
		return;
	const struct bm_event *l = e->leg == 0 ? e : o, *r = e->leg == 0 ? o : e;
	double lv = e->kind == BM_EVENT_HOLD ? l->mean_n : l->peak_n;
	double rv = e->kind == BM_EVENT_HOLD ? r->mean_n : r->peak_n;
	double hi = fmax(lv, rv);
	m->st.effort_valid = 1;
	m->st.effort_asym_pct = hi > 0 ? 100.0 * (hi - fmin(lv, rv)) / hi : 0;
	m->st.effort_weaker = lv <= rv ? 0 : 1;
	m->st.effort_flagged = m->st.effort_asym_pct > m->p.asym_threshold_pct;
}

static void on_live_event(void *ctx, const struct bm_event *e)
{
	struct bm_monitor *m = ctx;
	if (e->kind == BM_EVENT_REP) {
		m->reps_done[e->leg]++;
		m->st.last_rep_peak_n[e->leg] = e->peak_n;
	} else {
		/* The timer then shows the hold as measured (while a hold runs,
		 * update_live counts it up again). */
		m->st.hold_elapsed_s = e->end_s - e->start_s;
		/* Hold time today: both legs of a double-leg hold count once. */
		double from = fmax(e->start_s, m->counted_until_s);
		if (e->end_s > from)
			m->st.today_hold_s += e->end_s - from;
		if (e->end_s > m->counted_until_s)
			m->counted_until_s = e->end_s;
	}
	effort_asymmetry(m, e);
	m->last_ev[e->leg] = *e;
	m->have_last_ev[e->leg] = 1;
}

static void on_live_sample(void *ctx, int leg, double t_s, double force_n)
{
	struct bm_monitor *m = ctx;
	m->st.force_n[leg] = force_n;
	(void)t_s;
}

/* -------------------------------------------------------- capture */

static struct bm_session *new_session(const struct bm_monitor *m, enum bm_session_filter f,
                                      bm_session_event_cb ev, bm_session_sample_cb smp, void *ctx)
{
	struct bm_session_params sp;
	bm_session_params_default(&sp);
	sp.detect = m->p.detect;
	sp.filter = f;
	sp.rate_hz = m->p.rate_hz;
	/* Live: detect from the first samples (the rest level comes from the
	 * first stable second).  Capture: exactly analyze's settings. */
	if (f == BM_SESSION_CAUSAL)
		sp.prefix_s = 0;
	else
		sp.rate_hz = 0;
	return bm_session_new(&sp, ev, smp, ctx);
}

/* --------------------------------------------------------- public */

struct bm_monitor *bm_monitor_new(const struct bm_monitor_params *p, const struct bm_calib *cal)
{
	struct bm_monitor *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->p = *p;
	if (cal)
		m->cal = *cal;
	else
		bm_calib_init(&m->cal);
	bm_calib_limits_default(&m->lim);
	m->st.force_n[0] = m->st.force_n[1] = NAN;
	m->st.last_rep_peak_n[0] = m->st.last_rep_peak_n[1] = NAN;
	m->st.asym_weaker = m->st.effort_weaker = -1;
	m->counted_until_s = -INFINITY;
	m->live = new_session(m, BM_SESSION_CAUSAL, on_live_event, on_live_sample, m);
	if (!m->live) {
		free(m);
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
	bm_event_list_free(&m->cap.events);
	bm_session_free(m->live);
	free(m);
}

void bm_monitor_get_calib(const struct bm_monitor *m, struct bm_calib *out)
{
	*out = m->cal;
}

void bm_monitor_set_calib(struct bm_monitor *m, const struct bm_calib *cal)
{
	m->cal = *cal;
}

/* Live hold timer, rep counters and gauge, once per batch. */
static void update_live(struct bm_monitor *m)
{
	struct bm_leg_live lv[2];
	double since = INFINITY;
	int loaded[2];

	for (int i = 0; i < 2; i++) {
		bm_session_leg_live(m->live, i, &lv[i]);
		loaded[i] = lv[i].mode == BM_LEG_LOADED;
		if (loaded[i] && lv[i].valleys == 0 && lv[i].loaded_since_s < since)
			since = lv[i].loaded_since_s;
	}
	double now = m->st.now_s;
	int holding = isfinite(since) && now - since >= HOLD_SHOW_S;
	/* Once holding, a brief dip (a valley) does not stop the timer; the
	 * hold ends when no leg is loaded any more. */
	if (m->st.hold_active && (loaded[0] || loaded[1]))
		holding = 1;
	if (holding && !m->st.hold_active) {
		m->st.hold_active = 1;
		m->hold_since_s = since;
		m->next_tick_s = since + TICK_S;
		m->target_cued = 0;
		cue(m, BM_LIVE_CUE_HOLD_START);
	}
	if (m->st.hold_active) {
		if (!holding) {
			m->st.hold_active = 0;
			cue(m, BM_LIVE_CUE_HOLD_END);
		} else {
			m->st.hold_elapsed_s = now - m->hold_since_s;
			if (now >= m->next_tick_s) {
				m->next_tick_s += TICK_S;
				cue(m, BM_LIVE_CUE_TICK);
			}
			if (!m->target_cued && m->p.hold_target_s > 0 &&
			    m->st.hold_elapsed_s >= m->p.hold_target_s) {
				m->target_cued = 1;
				cue(m, BM_LIVE_CUE_TARGET);
			}
		}
	}

	/* Reps: finished ones plus the valleys of a rep set under way. */
	for (int i = 0; i < 2; i++) {
		unsigned shown = m->reps_done[i] + (loaded[i] && !m->st.hold_active ? (unsigned)lv[i].valleys : 0);
		if (shown > m->reps_shown[i])
			cue(m, BM_LIVE_CUE_REP);
		if (shown > m->reps_shown[i] || !loaded[i])
			m->reps_shown[i] = shown > m->reps_done[i] ? shown : m->reps_done[i];
		m->st.reps[i] = m->reps_shown[i];
	}

	/* Live asymmetry while both legs push. */
	double fl = m->st.force_n[0], fr = m->st.force_n[1];
	if (loaded[0] && loaded[1] && fl > 0 && fr > 0) {
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

static void capture_row(struct bm_monitor *m, const struct bm_live_sample *s, const double f[2])
{
	struct capture *c = &m->cap;
	struct bm_csv_row row = {0};

	if (s->has_raw && c->have_seq && s->lost_before && c->w) {
		char note[96];
		snprintf(note, sizeof note, "%u samples lost before t_s %.6f", (unsigned)s->lost_before,
		         s->t_s);
		bm_csv_write_comment(c->w, "gap", note);
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
	if (c->w)
		bm_csv_write_row(c->w, &row);
	/* The capture chain sees the row as a reader of the CSV will. */
	bm_csv_row_as_written(&row);
	double g[2] = {row.force_n[0], row.force_n[1]};
	for (int i = 0; i < 2; i++)
		if (row.has_raw && (row.flags[i] & BM_CH_NOT_A_READING))
			g[i] = NAN; /* as analyze reads the CSV: flagged is not a reading */
	bm_session_push(c->ses, row.t_s, g);
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
			m->raw_ok[m->raw_pos] = !((s->flags[0] | s->flags[1]) &
			                          BM_CH_NOT_A_READING);
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
		if (m->cap.active)
			capture_row(m, s, f);
		if (m->trace_cb)
			m->trace_cb(m->trace_ctx, s->t_s, m->st.force_n[0], m->st.force_n[1]);
	}
	if (n)
		update_live(m);
}

void bm_monitor_mark_gap(struct bm_monitor *m, const char *why)
{
	bm_session_mark_gap(m->live);
	if (m->cap.active) {
		bm_session_mark_gap(m->cap.ses);
		if (m->cap.w)
			bm_csv_write_comment(m->cap.w, "gap", why ? why : "data missing");
		m->cap.have_seq = 0;
	}
}

void bm_monitor_get_state(const struct bm_monitor *m, struct bm_monitor_state *out)
{
	*out = m->st;
}

/* The last second of raw readings of channel @p ch that are readings. */
static size_t last_second(const struct bm_monitor *m, int ch, int32_t *out)
{
	size_t want = m->st.rate_hz > 1 ? (size_t)lround(m->st.rate_hz) : 10;
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
		n[ch] = last_second(m, ch, w[ch]);
		int r = bm_calib_tare(&trial, &m->lim, ch, w[ch], n[ch], part[ch], sizeof part[ch]);
		if (r != BM_CALIB_OK) {
			/* Both plates or neither: a half tare is confusing. */
			snprintf(msg, len, "%s", part[ch]);
			return r;
		}
	}
	m->cal = trial;
	snprintf(msg, len, "both plates tared");
	return BM_CALIB_OK;
}

int bm_monitor_calibrate(struct bm_monitor *m, int leg, double mass_kg, char *msg, size_t len)
{
	int32_t w[RAW_KEEP];
	if (leg < 0 || leg > 1 || m->raw_n < 5) {
		snprintf(msg, len, "calibration needs raw readings from a board");
		return BM_CALIB_ERR_ARG;
	}
	size_t n = last_second(m, leg, w);
	return bm_calib_scale(&m->cal, &m->lim, leg, w, n, mass_kg, msg, len);
}

void bm_monitor_set_trace_cb(struct bm_monitor *m, bm_monitor_trace_cb cb, void *ctx)
{
	m->trace_cb = cb;
	m->trace_ctx = ctx;
}

int bm_monitor_capture_start(struct bm_monitor *m, const struct bm_capture_files *files,
                             const char *const *meta, char *msg, size_t len)
{
	struct capture *c = &m->cap;
	struct bm_csv_error err;
	const char *csv_path = files->csv;

	if (c->active) {
		snprintf(msg, len, "already recording to %s", c->csv_path);
		return -1;
	}
	bm_event_list_free(&c->events); /* the previous capture's */
	memset(c, 0, sizeof *c);
	c->ses = new_session(m, BM_SESSION_ZEROPHASE, bm_event_list_add, NULL, &c->events);
	if (!c->ses) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	if (csv_path) {
		if (bm_csv_writer_open(csv_path, meta, &c->w, &err) != BM_CSV_OK) {
			snprintf(msg, len, "%s", err.msg);
			bm_session_free(c->ses);
			c->ses = NULL;
			return -1;
		}
		snprintf(c->csv_path, sizeof c->csv_path, "%s", csv_path);
		snprintf(m->st.rec_path, sizeof m->st.rec_path, "%s", csv_path);
		m->st.recording = 1;
	}
	if (files->events)
		snprintf(c->events_path, sizeof c->events_path, "%s", files->events);
	if (files->summary)
		snprintf(c->summary_path, sizeof c->summary_path, "%s", files->summary);
	c->active = 1;
	snprintf(msg, len, csv_path ? "recording to %s" : "capturing events", csv_path);
	return 0;
}

/* Write one of the stop files whole. */
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
	int r = bm_write_file_atomic(path, buf, blen, msg, len);
	free(buf);
	return r;
}

int bm_monitor_capture_stop(struct bm_monitor *m, char *msg, size_t len)
{
	struct capture *c = &m->cap;
	struct bm_csv_error err;
	struct bm_session_stats st;
	char dummy[8];
	int rc = 0;

	if (!msg) {
		msg = dummy;
		len = sizeof dummy;
	}
	if (!c->active) {
		snprintf(msg, len, "not recording");
		return -1;
	}
	bm_session_finish(c->ses);
	bm_session_get_stats(c->ses, &st);
	if (c->w && bm_csv_writer_close(c->w, &err) != BM_CSV_OK) {
		snprintf(msg, len, "%s", err.msg);
		rc = -1;
	}
	c->w = NULL;
	if (rc == 0 && (c->events_path[0] || c->summary_path[0])) {
		struct bm_report rep;
		if (c->events.nomem ||
		    bm_report_build(c->events.ev, c->events.n, m->p.asym_threshold_pct, &rep) != 0) {
			snprintf(msg, len, "out of memory writing the events");
			rc = -1;
		} else {
			bm_report_set_stats(&rep, &st);
			if ((c->events_path[0] &&
			     write_report_file(c->events_path, &rep, 0, msg, len) != 0) ||
			    (c->summary_path[0] &&
			     write_report_file(c->summary_path, &rep, 1, msg, len) != 0))
				rc = -1;
			bm_report_free(&rep);
		}
	}
	if (rc == 0)
		snprintf(msg, len, "%s saved%s", c->csv_path[0] ? c->csv_path : "events",
		         c->events_path[0] || c->summary_path[0] ? " (with events and summary)" : "");
	bm_session_free(c->ses);
	c->ses = NULL;
	c->active = 0;
	m->st.recording = 0;
	m->st.rec_path[0] = '\0';
	return rc;
}

size_t bm_monitor_capture_events(const struct bm_monitor *m, const struct bm_event **ev)
{
	*ev = m->cap.events.ev;
	return m->cap.events.n;
}

void bm_monitor_flush(struct bm_monitor *m)
{
	if (m->cap.active && m->cap.w)
		bm_csv_writer_flush(m->cap.w, 0);
}
