/*
 * paper_fixture.c - the synthetic report documents of paper_fixture.h.
 *
 * The trace comes from closed-form shapes (linear 1-s ramps into flat
 * plateaus, half-sine reps, a small 1.3 Hz ripple) so a test knows the
 * force at any time without reading the arrays back.
 */
#include "paper_fixture.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const protocol_lines[] = {
	"Set 1: double-leg bridge hold 45 s @ 70 % MVIC — done 45 s, time in zone 41 s",
	"Set 2: single-leg bridge hold (left) 40 s @ 70 % MVIC — done 40 s, time in zone 36 s",
	"Set 3: bridge reps 10 per leg — done 10 left, 10 right",
	"Set 4: hold 45 s — skipped",
};

static const char *const confidence_lines[] = {
	"Peak force, mean force, CV, impulse, time under tension, hold duration, LSI: valid at 80 samples/s.",
	"Time to peak: ± 0.0125 s (one sample).",
	"Force-time measures under 200 ms (RFD 0–100 ms, 0–200 ms): not reported at this rate.",
};

static const char *const confidence_lines2[] = {
	"At 10 samples/s anything shorter than about 1 s is not reported (RFD, time to peak).",
};

/* 0 outside [a, b], rising linearly over ramp_s to 1 and back down. */
static double plateau(double t, double a, double b, double ramp_s)
{
	if (t <= a || t >= b)
		return 0.0;
	double u = fmin(t - a, b - t) / ramp_s;
	return u >= 1.0 ? 1.0 : u;
}

static double reps(double t, double peak_above_n)
{
	for (int k = 0; k < FIX_REPS_N; k++) {
		double s = FIX_REPS_START_S + k * FIX_REP_PERIOD_S;
		if (t > s && t < s + FIX_REP_LEN_S)
			return peak_above_n * sin(M_PI * (t - s) / FIX_REP_LEN_S);
	}
	return 0.0;
}

static int in_gap(double t)
{
	return t > FIX_GAP_START_S && t < FIX_GAP_END_S;
}

double paper_fixture_left_n(double t)
{
	if (in_gap(t))
		return NAN;
	if (fabs(t - FIX_SPIKE_S) < 1e-9)
		return FIX_SPIKE_N;
	double f = FIX_REST_L_N;
	f += (FIX_BI_L_N - FIX_REST_L_N) * plateau(t, FIX_BI_START_S, FIX_BI_END_S, 1.0);
	f += (FIX_SL_L_N - FIX_REST_L_N) * plateau(t, FIX_SL_START_S, FIX_SL_END_S, 1.0);
	f += reps(t, FIX_REP_L_N - FIX_REST_L_N);
	return f + 1.0 * sin(2 * M_PI * 1.3 * t);
}

double paper_fixture_right_n(double t)
{
	if (in_gap(t))
		return NAN;
	double f = FIX_REST_R_N;
	f += (FIX_BI_R_N - FIX_REST_R_N) * plateau(t, FIX_BI_START_S, FIX_BI_END_S, 1.0);
	/* The right foot is lifted during the left single-leg hold. */
	f -= (FIX_REST_R_N - 1.0) * plateau(t, FIX_SL_START_S, FIX_SL_END_S, 1.0);
	f += reps(t, FIX_REP_R_N - FIX_REST_R_N);
	return f + 0.5 * sin(2 * M_PI * 1.3 * t + 1.0);
}

static int make_trace(double seconds, double rate_hz, double (*left)(double),
                      double (*right)(double), double **t_s, double **l_n, double **r_n,
                      size_t *n)
{
	size_t m = (size_t)(seconds * rate_hz);
	double *t = malloc(m * sizeof *t), *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b);

	if (!t || !a || !b) {
		free(t);
		free(a);
		free(b);
		return -1;
	}
	for (size_t i = 0; i < m; i++) {
		t[i] = (double)i / rate_hz;
		a[i] = left(t[i]);
		b[i] = right(t[i]);
	}
	*t_s = t;
	*l_n = a;
	*r_n = b;
	*n = m;
	return 0;
}

static double left2(double t)
{
	return 40.0 + 240.0 * plateau(t, 20.0, 60.0, 1.5) + 0.8 * sin(2 * M_PI * 0.9 * t);
}

static double right2(double t)
{
	return 45.0 + 215.0 * plateau(t, 20.0, 60.0, 1.5) + 0.8 * cos(2 * M_PI * 0.9 * t);
}

static void session1(struct paper_fixture *f, int demo)
{
	struct bm_paper_session *s = &f->sessions[0];
	size_t k = 0;

	bm_paper_session_default(s);
	s->started_epoch_s = FIX_S1_EPOCH;
	s->exercise = "double_leg";
	s->knee_angle_deg = 90;
	s->hip_angle_deg = 0;
	s->protocol = "Isometric bridges 5x45";
	s->station = "clinic-2";
	s->sample_rate_hz = FIX_S1_RATE_HZ;
	s->duration_s = FIX_S1_SECONDS;
	s->demo = demo;
	f->efforts[k++] = (struct bm_paper_effort){ BM_PAPER_LEFT, BM_PAPER_HOLD,
		FIX_BI_START_S, FIX_BI_END_S };
	f->efforts[k++] = (struct bm_paper_effort){ BM_PAPER_RIGHT, BM_PAPER_HOLD,
		FIX_BI_START_S, FIX_BI_END_S };
	f->efforts[k++] = (struct bm_paper_effort){ BM_PAPER_LEFT, BM_PAPER_HOLD,
		FIX_SL_START_S, FIX_SL_END_S };
	for (int r = 0; r < FIX_REPS_N; r++) {
		double a = FIX_REPS_START_S + r * FIX_REP_PERIOD_S;
		for (int leg = 0; leg < 2; leg++)
			f->efforts[k++] = (struct bm_paper_effort){ leg, BM_PAPER_REP, a,
				a + FIX_REP_LEN_S };
	}
	s->efforts = f->efforts;
	s->n_efforts = k;
	f->gaps[0] = (struct bm_paper_gap){ FIX_GAP_START_S, FIX_GAP_END_S };
	s->gaps = f->gaps;
	s->n_gaps = 1;
	s->legs[0] = (struct bm_paper_leg_row){ 2, 85.0, 370.0, 310.0, 23456.7, 10, 330.0 };
	s->legs[1] = (struct bm_paper_leg_row){ 1, 45.0, 190.0, 190.0, 9876.5, 10, 280.0 };
	s->asym = (struct bm_paper_asymmetry){ 14.0, 9.0, 19.0, BM_PAPER_RIGHT, "certain", 1 };
	s->pain = (struct bm_paper_pain){ 2, 3, 1, "acceptable (3–5)",
		"Pain ≤ 3 during and settled next morning: progress the load "
		"(guidance, not medical advice)." };
	s->protocol_lines = protocol_lines;
	s->n_protocol_lines = sizeof protocol_lines / sizeof protocol_lines[0];
	s->confidence_lines = confidence_lines;
	s->n_confidence_lines = sizeof confidence_lines / sizeof confidence_lines[0];
	s->trace = (struct bm_paper_trace){ f->t_s, f->left_n, f->right_n, 0 };
}

static void session2(struct paper_fixture *f, int demo, size_t n2)
{
	struct bm_paper_session *s = &f->sessions[1];

	bm_paper_session_default(s);
	s->started_epoch_s = FIX_S2_EPOCH;
	s->exercise = "long_lever";
	s->sample_rate_hz = 10;
	s->duration_s = 120;
	s->demo = demo;
	s->trace = (struct bm_paper_trace){ f->t2_s, f->left2_n, f->right2_n, n2 };
	f->efforts2[0] = (struct bm_paper_effort){ BM_PAPER_LEFT, BM_PAPER_HOLD, 20, 60 };
	f->efforts2[1] = (struct bm_paper_effort){ BM_PAPER_RIGHT, BM_PAPER_HOLD, 20, 60 };
	s->efforts = f->efforts2;
	s->n_efforts = 2;
	s->legs[0] = (struct bm_paper_leg_row){ 1, 40, 240, 240, 9120, 0, NAN };
	s->legs[1] = (struct bm_paper_leg_row){ 1, 40, 215, 215, 8170, 0, NAN };
	s->confidence_lines = confidence_lines2;
	s->n_confidence_lines = 1;
}

static void progress(struct paper_fixture *f)
{
	static const double pain[FIX_N_POINTS] = { 4, 3, 3, NAN, 2, 2, 1, 1 };
	struct bm_paper_progress *p = &f->progress;

	bm_paper_progress_default(p);
	for (int k = 0; k < FIX_N_POINTS; k++) {
		struct bm_paper_point *q = &f->points[k];
		q->epoch_s = FIX_P0_EPOCH + k * 7 * 86400.0;
		q->left_n = 300.0 + 10.0 * k;
		q->right_n = 220.0 + 20.0 * k;
		q->lsi_pct = fmin(q->left_n, q->right_n) / fmax(q->left_n, q->right_n) * 100.0;
		q->pain = pain[k];
	}
	p->force_label = "best single-leg hold, N above rest";
	p->points = f->points;
	p->n_points = FIX_N_POINTS;
	f->changes[0] = (struct bm_paper_change){ "right best hold +140 N since 2026-10-05",
		"real", 1 };
	f->changes[1] = (struct bm_paper_change){ "left best hold +10 N since last week",
		"within noise", 0 };
	p->changes = f->changes;
	p->n_changes = 2;
	f->ready[0] = (struct bm_paper_ready_item){
		"single-leg bridge LSI on peak force ≥ 90 % on two consecutive sessions",
		BM_PAPER_MET, "94 %, 97 %" };
	f->ready[1] = (struct bm_paper_ready_item){
		"pain ≤ 3/10 the next morning after them", BM_PAPER_MET, "1, 1" };
	f->ready[2] = (struct bm_paper_ready_item){
		"single-leg bridge reps to fatigue ≥ 25 on both sides", BM_PAPER_NOT_MET,
		"left 28, right 21" };
	f->ready[3] = (struct bm_paper_ready_item){
		"LSI on impulse ≥ 90 % on two consecutive sessions", BM_PAPER_UNKNOWN,
		"not measured" };
	p->ready = f->ready;
	p->n_ready = 4;
}

int paper_fixture_init(struct paper_fixture *f, int demo)
{
	size_t n1, n2;

	memset(f, 0, sizeof *f);
	if (make_trace(FIX_S1_SECONDS, FIX_S1_RATE_HZ, paper_fixture_left_n,
	               paper_fixture_right_n, &f->t_s, &f->left_n, &f->right_n, &n1) != 0)
		return -1;
	if (make_trace(120.0, 10.0, left2, right2, &f->t2_s, &f->left2_n, &f->right2_n,
	               &n2) != 0) {
		paper_fixture_free(f);
		return -1;
	}
	session1(f, demo);
	f->sessions[0].trace.n = n1;
	session2(f, demo, n2);
	progress(f);
	bm_paper_doc_default(&f->doc);
	f->doc.athlete = FIX_ATHLETE;
	f->doc.generated_epoch_s = FIX_GENERATED_EPOCH;
	f->doc.sessions = f->sessions;
	f->doc.n_sessions = 2;
	f->doc.progress = &f->progress;
	return 0;
}

/* The 300-s programme over and over. */
static double left_loop(double t)
{
	return paper_fixture_left_n(fmod(t, FIX_S1_SECONDS));
}

static double right_loop(double t)
{
	return paper_fixture_right_n(fmod(t, FIX_S1_SECONDS));
}

int paper_fixture_long(struct paper_fixture *f, double seconds, double rate_hz)
{
	double *t, *a, *b;
	size_t n;

	if (make_trace(seconds, rate_hz, left_loop, right_loop, &t, &a, &b, &n) != 0)
		return -1;
	free(f->t_s);
	free(f->left_n);
	free(f->right_n);
	f->t_s = t;
	f->left_n = a;
	f->right_n = b;
	f->sessions[0].trace = (struct bm_paper_trace){ t, a, b, n };
	f->sessions[0].sample_rate_hz = rate_hz;
	f->sessions[0].duration_s = seconds;
	return 0;
}

void paper_fixture_free(struct paper_fixture *f)
{
	free(f->t_s);
	free(f->left_n);
	free(f->right_n);
	free(f->t2_s);
	free(f->left2_n);
	free(f->right2_n);
	memset(f, 0, sizeof *f);
}

void paper_fixture_drop_caches(void)
{
	bm_paper_release_caches();
}
