/*
 * test_detect.c - the detectors on hand-built sessions, one messy feature at
 * a time (touch-and-go reps, light efforts, a lifted foot, a repositioned
 * heel, fatigue and dips, glitches, gaps, epoch time, 10 SPS, a recording
 * that starts mid-hold), and on many simulated sessions scored against the
 * simulator's truth.
 *
 * The hand-built sessions come from a small piecewise description per leg:
 * a list of (time, level) knots joined by raised-cosine ramps, plus seeded
 * sensor noise and tremor, so that each case states in a few lines exactly
 * what the athlete did.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_session.h"
#include "bm_sim.h"
#include "core_suites.h"
#include "eval.h"

/* ---------------------------------------------------------- builder */

#define MAX_KNOTS 256

/* One leg: force at knot times, raised-cosine between knots. */
struct leg_shape {
	double t[MAX_KNOTS], f[MAX_KNOTS];
	int n;
};

static void knot(struct leg_shape *l, double t, double f)
{
	ck_assert_int_lt(l->n, MAX_KNOTS);
	l->t[l->n] = t;
	l->f[l->n] = f;
	l->n++;
}

/* Stay at the current level until t, then move to f within ramp_s. */
static void move(struct leg_shape *l, double t, double f, double ramp_s)
{
	knot(l, t, l->f[l->n - 1]);
	knot(l, t + ramp_s, f);
}

static double shape_at(const struct leg_shape *l, double t)
{
	if (t <= l->t[0])
		return l->f[0];
	for (int i = 1; i < l->n; i++) {
		if (t <= l->t[i]) {
			double u = (t - l->t[i - 1]) / (l->t[i] - l->t[i - 1]);
			double w = 0.5 - 0.5 * cos(M_PI * u);
			return l->f[i - 1] + w * (l->f[i] - l->f[i - 1]);
		}
	}
	return l->f[l->n - 1];
}

struct synth {
	struct leg_shape leg[2];
	double rate_hz, seconds, t0_s, noise_n;
	/* Rows to drop: [from, to) in seconds. */
	double drop_from[8], drop_to[8];
	int ndrop;
	/* Single-sample glitches: every glitch_every_s, alternating all-ones
	 * (4000 N) and zero readings (0 N). */
	double glitch_every_s;
	uint64_t rng;
};

static double rnd(struct synth *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (double)(s->rng >> 11) / 9007199254740992.0;
}

static double gauss(struct synth *s)
{
	double u = rnd(s) + 1e-12, v = rnd(s);
	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static void synth_init(struct synth *s, double seconds, double rest_l, double rest_r)
{
	memset(s, 0, sizeof *s);
	s->rate_hz = 80;
	s->seconds = seconds;
	s->noise_n = 0.8;
	s->rng = 0x9E3779B97F4A7C15ull;
	knot(&s->leg[0], 0, rest_l);
	knot(&s->leg[1], 0, rest_r);
}

/* A hold on one leg: up at t (0.8 s ramp), plateau level, down at t+dur. */
static void hold(struct leg_shape *l, double t, double dur, double level)
{
	double rest = l->f[l->n - 1];
	move(l, t, level, 0.8);
	move(l, t + dur - 0.8, rest, 0.8);
}

/* Reps: n reps starting at t, each up 0.6 s, top 0.3 s, down 0.6 s, then
 * back to @p valley (the rest level, or above it for touch-and-go) for
 * pause_s. */
static void reps(struct leg_shape *l, double t, int n, double peak, double valley, double pause_s)
{
	double rest = l->f[l->n - 1];
	for (int i = 0; i < n; i++) {
		move(l, t, peak, 0.6);
		t += 0.9;
		move(l, t, i == n - 1 ? rest : valley, 0.6);
		t += 0.6 + pause_s;
	}
}

struct result {
	struct bm_event ev[512];
	int n;
};

static void on_event(void *ctx, const struct bm_event *ev)
{
	struct result *r = ctx;
	ck_assert_int_lt(r->n, 512);
	r->ev[r->n++] = *ev;
}

static void run(struct synth *s, struct result *r)
{
	struct bm_session_params p;
	bm_session_params_default(&p);
	memset(r, 0, sizeof *r);
	struct bm_session *ses = bm_session_new(&p, on_event, NULL, r);
	ck_assert_ptr_nonnull(ses);
	long n = lround(s->seconds * s->rate_hz);
	int g = 0;
	for (long i = 0; i < n; i++) {
		double t = (double)i / s->rate_hz;
		int dropped = 0;
		for (int k = 0; k < s->ndrop; k++)
			dropped |= t >= s->drop_from[k] && t < s->drop_to[k];
		double f[2];
		for (int leg = 0; leg < 2; leg++) {
			double clean = shape_at(&s->leg[leg], t);
			f[leg] = clean + s->noise_n * gauss(s) + 0.01 * clean * sin(2 * M_PI * 9.5 * t);
		}
		if (s->glitch_every_s > 0 && fmod(t, s->glitch_every_s) < 0.5 / s->rate_hz) {
			f[g % 2] = (g / 2) % 2 ? 0.0 : 4000.0;
			g++;
		}
		if (!dropped)
			ck_assert_int_eq(bm_session_push(ses, s->t0_s + t, f), BM_SESSION_OK);
	}
	ck_assert_int_eq(bm_session_finish(ses), BM_SESSION_OK);
	bm_session_free(ses);
}

static int count(const struct result *r, int leg, enum bm_event_kind kind)
{
	int c = 0;
	for (int i = 0; i < r->n; i++)
		c += r->ev[i].leg == leg && r->ev[i].kind == kind;
	return c;
}

static const struct bm_event *nth(const struct result *r, int leg, enum bm_event_kind kind, int k)
{
	for (int i = 0; i < r->n; i++)
		if (r->ev[i].leg == leg && r->ev[i].kind == kind && k-- == 0)
			return &r->ev[i];
	return NULL;
}

static void dump(const struct result *r)
{
	for (int i = 0; i < r->n; i++)
		fprintf(stderr, "  %s %s %.2f-%.2f peak %.1f mean %.1f base %.1f%s\n",
		        r->ev[i].kind == BM_EVENT_HOLD ? "hold" : "rep ", r->ev[i].leg ? "right" : "left",
		        r->ev[i].start_s, r->ev[i].end_s, r->ev[i].peak_n, r->ev[i].mean_n,
		        r->ev[i].baseline_n, r->ev[i].single_leg ? " single" : "");
}

#define EXPECT_COUNT(r, leg, kind, want)                                                 \
	do {                                                                             \
		int got_ = count(r, leg, kind);                                          \
		if (got_ != (want))                                                      \
			dump(r);                                                         \
		ck_assert_msg(got_ == (want), "%s %s: expected %d, found %d",           \
		              (leg) ? "right" : "left", (kind) == BM_EVENT_HOLD ? "holds" : "reps", \
		              (want), got_);                                             \
	} while (0)

/* ------------------------------------------------------------ cases */

START_TEST(touch_and_go_reps)
{
	/* 12 reps between 350 and 170 N, never back to the 50 N rest. */
	struct synth s;
	struct result r;
	synth_init(&s, 60, 50, 60);
	reps(&s.leg[0], 15, 12, 350, 170, 0.1);
	reps(&s.leg[1], 15, 12, 330, 160, 0.1);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 12);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 12);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 0);
	const struct bm_event *e = nth(&r, 0, BM_EVENT_REP, 3);
	ck_assert_msg(fabs(e->peak_n - 350) < 8, "rep peak %.1f, expected about 350", e->peak_n);
}
END_TEST

START_TEST(light_efforts)
{
	/* Early rehab: reps and a hold only 35-45 N above a 40 N rest. */
	struct synth s;
	struct result r;
	synth_init(&s, 90, 40, 40);
	reps(&s.leg[0], 10, 6, 80, 40, 1.5);
	reps(&s.leg[1], 10, 6, 75, 40, 1.5);
	hold(&s.leg[0], 40, 25, 85);
	hold(&s.leg[1], 40, 25, 78);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 6);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 6);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	const struct bm_event *h = nth(&r, 1, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->mean_n - 78) < 2, "light hold mean %.1f, expected 78", h->mean_n);
	ck_assert_msg(fabs(h->baseline_n - 40) < 2, "rest %.1f, expected 40", h->baseline_n);
}
END_TEST

START_TEST(single_leg_with_lifted_foot)
{
	/* The left foot goes up (2 N) while the right leg holds alone; then
	 * both legs do a double-leg hold. */
	struct synth s;
	struct result r;
	synth_init(&s, 120, 55, 45);
	move(&s.leg[0], 10, 2, 0.4);
	hold(&s.leg[1], 12, 30, 380);
	move(&s.leg[0], 44, 55, 0.4);
	hold(&s.leg[0], 70, 30, 260);
	hold(&s.leg[1], 70, 30, 230);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 2);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 0);
	const struct bm_event *a = nth(&r, 1, BM_EVENT_HOLD, 0), *b = nth(&r, 1, BM_EVENT_HOLD, 1);
	ck_assert_msg(a->single_leg && !b->single_leg, "single-leg flags: %d %d", a->single_leg,
	              b->single_leg);
	const struct bm_event *l = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(l->baseline_n - 55) < 3, "left rest after the lift: %.1f, expected 55",
	              l->baseline_n);
}
END_TEST

START_TEST(repositioned_heel)
{
	/* Rest 50 N steps to 68 N (+18) and later 30 N lower; efforts are
	 * counted from the rest that applies, and the steps are not efforts. */
	struct synth s;
	struct result r;
	synth_init(&s, 150, 50, 50);
	move(&s.leg[0], 20, 68, 0.5);
	hold(&s.leg[0], 40, 20, 200);
	hold(&s.leg[1], 40, 20, 190);
	move(&s.leg[0], 80, 48, 0.5);
	move(&s.leg[1], 85, 70, 0.6);
	reps(&s.leg[0], 100, 5, 110, 48, 1.0);
	reps(&s.leg[1], 100, 5, 120, 70, 1.0);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 5);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 5);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->baseline_n - 68) < 4, "rest under the hold %.1f, expected 68",
	              h->baseline_n);
}
END_TEST

START_TEST(reposition_at_threshold)
{
	/* The heel goes down exactly 20 N higher and stays: the rest moves,
	 * nothing is an effort, and a later rep is still found. */
	struct synth s;
	struct result r;
	synth_init(&s, 120, 45, 45);
	move(&s.leg[0], 20, 65, 0.5);
	reps(&s.leg[0], 100, 1, 180, 65, 0);
	reps(&s.leg[1], 100, 1, 180, 45, 0);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 0);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 1);
}
END_TEST

START_TEST(fatigue_and_dips)
{
	/* A 45 s hold fading from 320 to 260 N with brief dips of 35 % and
	 * 45 %: one hold, not several. */
	struct synth s;
	struct result r;
	synth_init(&s, 80, 50, 50);
	for (int leg = 0; leg < 2; leg++) {
		struct leg_shape *l = &s.leg[leg];
		move(l, 10, 320, 0.8);
		move(l, 20, 300, 5);
		move(l, 25, 195, 0.15);   /* dip */
		move(l, 25.35, 300, 0.2);
		move(l, 38, 175, 0.15);   /* deeper dip */
		move(l, 38.3, 280, 0.25);
		move(l, 50, 260, 4);
		move(l, 55, 50, 0.8);
	}
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->start_s - 10.3) < 0.4 && fabs(h->end_s - 55.5) < 0.4,
	              "hold %.2f-%.2f, expected about 10.3-55.5", h->start_s, h->end_s);
	ck_assert_msg(h->cv_pct > 1 && h->cv_pct < 15, "cv %.1f %%", h->cv_pct);
}
END_TEST

START_TEST(single_sample_glitches)
{
	/* All-ones (4000 N) and zero readings every 0.7 s, at rest and during
	 * efforts: the despiker removes them; nothing extra is detected. */
	struct synth s;
	struct result r;
	synth_init(&s, 80, 50, 50);
	s.glitch_every_s = 0.7;
	hold(&s.leg[0], 10, 30, 300);
	hold(&s.leg[1], 10, 30, 280);
	reps(&s.leg[0], 50, 6, 250, 50, 1.0);
	reps(&s.leg[1], 50, 6, 240, 50, 1.0);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 6);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 6);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->mean_n - 300) < 3 && h->peak_n < 320,
	              "hold mean %.1f peak %.1f: glitches leaked in", h->mean_n, h->peak_n);
}
END_TEST

START_TEST(double_glitches)
{
	/* Two all-ones readings in a row (4000 N, then 4200 N: no despiker of
	 * three can take both) at rest and in a hold: dropped as implausible,
	 * nothing false is found and the hold's numbers stay right. */
	struct synth s;
	struct result r;
	synth_init(&s, 60, 50, 50);
	hold(&s.leg[0], 10, 30, 300);
	hold(&s.leg[1], 10, 30, 300);
	run(&s, &r);
	struct result clean = r;
	struct bm_session_params p;
	bm_session_params_default(&p);
	memset(&r, 0, sizeof r);
	struct bm_session *ses = bm_session_new(&p, on_event, NULL, &r);
	s.rng = 0x9E3779B97F4A7C15ull;
	for (long i = 0; i < 60 * 80; i++) {
		double t = i / 80.0, f[2];
		for (int leg = 0; leg < 2; leg++)
			f[leg] = shape_at(&s.leg[leg], t) + s.noise_n * gauss(&s);
		if (i % 400 == 7 || i % 400 == 8)
			f[0] = f[1] = i % 400 == 7 ? 4000.0 : 4200.0;
		ck_assert_int_eq(bm_session_push(ses, t, f), BM_SESSION_OK);
	}
	bm_session_finish(ses);
	bm_session_free(ses);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 0);
	const struct bm_event *a = nth(&r, 0, BM_EVENT_HOLD, 0), *b = nth(&clean, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(a->mean_n - b->mean_n) < 1 && a->peak_n < 320,
	              "hold mean %.1f (clean %.1f), peak %.1f", a->mean_n, b->mean_n, a->peak_n);
}
END_TEST

START_TEST(gaps)
{
	/* A 3 s gap in the middle of a 40 s hold splits it honestly into two
	 * holds flagged as cut by the gap; 0.2 s of dropped rows in another
	 * hold are filled and change nothing. */
	struct synth s;
	struct result r;
	synth_init(&s, 130, 50, 50);
	hold(&s.leg[0], 10, 40, 300);
	hold(&s.leg[1], 10, 40, 290);
	hold(&s.leg[0], 70, 30, 300);
	hold(&s.leg[1], 70, 30, 290);
	s.drop_from[0] = 28.5;
	s.drop_to[0] = 31.5;
	s.drop_from[1] = 85.0;
	s.drop_to[1] = 85.2;
	s.ndrop = 2;
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 3);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 3);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	const struct bm_event *a = nth(&r, 0, BM_EVENT_HOLD, 0), *b = nth(&r, 0, BM_EVENT_HOLD, 1);
	const struct bm_event *c = nth(&r, 0, BM_EVENT_HOLD, 2);
	ck_assert_msg(a->cut_by_gap && b->cut_by_gap && !c->cut_by_gap, "gap flags %d %d %d",
	              a->cut_by_gap, b->cut_by_gap, c->cut_by_gap);
	ck_assert_msg(a->end_s <= 28.5 && b->start_s >= 31.5, "no event spans the gap: %.2f, %.2f",
	              a->end_s, b->start_s);
	/* Crossings of rest + 20 N on the 0.8 s raised-cosine ramps: 0.146 s
	 * into the rise and before the end of the fall. */
	ck_assert_msg(fabs(c->end_s - c->start_s - 29.708) < 0.05, "the short hole changed the hold: %.3f s",
	              c->end_s - c->start_s);
}
END_TEST

START_TEST(epoch_time_gives_the_same_events)
{
	struct synth s;
	struct result a, b;
	synth_init(&s, 90, 50, 50);
	hold(&s.leg[0], 10, 30, 300);
	reps(&s.leg[1], 50, 8, 250, 150, 0.2);
	run(&s, &a);
	s.rng = 0x9E3779B97F4A7C15ull;
	s.t0_s = 1764091234.0;
	run(&s, &b);
	ck_assert_int_eq(a.n, b.n);
	ck_assert_int_eq(a.n, 1 + 8);
	for (int i = 0; i < a.n; i++) {
		ck_assert_msg(fabs(b.ev[i].start_s - s.t0_s - a.ev[i].start_s) < 1e-5,
		              "event %d starts %.6f vs %.6f", i, b.ev[i].start_s - s.t0_s, a.ev[i].start_s);
		/* The sample rate is estimated from differences of epoch times,
		 * which carry 2e-7 s of rounding: the filter designed from it
		 * differs in the last digits, no more. */
		ck_assert_msg(fabs(b.ev[i].peak_n - a.ev[i].peak_n) < 1e-3, "event %d peak %.9f vs %.9f",
		              i, b.ev[i].peak_n, a.ev[i].peak_n);
	}
}
END_TEST

START_TEST(ten_sps_board)
{
	/* Most breakouts tie RATE low: 10 samples per second. */
	struct synth s;
	struct result r;
	synth_init(&s, 90, 50, 60);
	s.rate_hz = 10;
	reps(&s.leg[0], 10, 8, 260, 50, 1.2);
	reps(&s.leg[1], 10, 8, 240, 60, 1.2);
	hold(&s.leg[0], 45, 30, 300);
	hold(&s.leg[1], 45, 30, 290);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 8);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 8);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
}
END_TEST

START_TEST(recording_starts_mid_hold)
{
	/* The first 20 s are the end of a hold: the rest level is not taken
	 * from it, and what follows is found. */
	struct synth s;
	struct result r;
	synth_init(&s, 90, 300, 280);
	move(&s.leg[0], 20, 50, 0.8);
	move(&s.leg[1], 20, 45, 0.8);
	reps(&s.leg[0], 40, 5, 220, 50, 1.0);
	reps(&s.leg[1], 40, 5, 210, 45, 1.0);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 5);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 5);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(h->start_s < 0.1 && fabs(h->baseline_n - 50) < 3,
	              "hold from %.2f over rest %.1f", h->start_s, h->baseline_n);
}
END_TEST


/* Reps with a free shape: rise, top, fall times and the valley between. */
static void reps_shaped(struct leg_shape *l, double t, int n, double peak, double valley,
                        double up_s, double top_s, double down_s, double pause_s)
{
	double rest = l->f[l->n - 1];
	for (int i = 0; i < n; i++) {
		move(l, t, peak, up_s);
		t += up_s + top_s;
		move(l, t, i == n - 1 ? rest : valley, down_s);
		t += down_s + pause_s;
	}
}

START_TEST(slow_touch_and_go_reps)
{
	/* 4 s reps (1.8 s up, 0.4 s top, 1.8 s down) whose valleys stay 100 N
	 * above rest: long enough to look like a hold with dips, but they are
	 * rise-top-lower shapes and must stay reps. */
	struct synth s;
	struct result r;
	synth_init(&s, 80, 50, 50);
	reps_shaped(&s.leg[0], 10, 10, 330, 150, 1.8, 0.4, 1.8, 0.05);
	reps_shaped(&s.leg[1], 10, 10, 310, 150, 1.8, 0.4, 1.8, 0.05);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 10);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 10);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 0);
}
END_TEST

START_TEST(quick_reps_short_rest)
{
	/* 0.5 s reps with only 0.3 s on the plate between them. */
	struct synth s;
	struct result r;
	synth_init(&s, 40, 50, 50);
	reps_shaped(&s.leg[0], 10, 15, 250, 50, 0.2, 0.1, 0.2, 0.3);
	reps_shaped(&s.leg[1], 10, 15, 240, 50, 0.2, 0.1, 0.2, 0.3);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 15);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 15);
}
END_TEST

START_TEST(hold_with_many_deep_dips)
{
	/* A tiring 50 s hold with a 50 % dip every 7 s: still one hold. */
	struct synth s;
	struct result r;
	synth_init(&s, 80, 50, 50);
	for (int leg = 0; leg < 2; leg++) {
		struct leg_shape *l = &s.leg[leg];
		move(l, 10, 300, 0.8);
		for (double t = 17; t < 55; t += 7) {
			move(l, t, 175, 0.2);
			move(l, t + 0.2, 300, 0.3);
		}
		move(l, 60, 50, 0.8);
	}
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 0);
}
END_TEST

START_TEST(noisy_plate)
{
	/* 4 N of sensor noise (a long, unshielded cable) and a 30 N rest. */
	struct synth s;
	struct result r;
	synth_init(&s, 100, 30, 35);
	s.noise_n = 4.0;
	reps(&s.leg[0], 10, 8, 200, 30, 1.0);
	reps(&s.leg[1], 10, 8, 190, 35, 1.0);
	hold(&s.leg[0], 50, 30, 250);
	hold(&s.leg[1], 50, 30, 240);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 8);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 8);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
}
END_TEST

START_TEST(hold_tremor)
{
	/* The builder adds 1 % of 9.5 Hz tremor: 300 N gives 3 N peak, 2.1 N
	 * RMS, plus a little of the 0.8 N white noise in the 4-15 Hz band; the
	 * median-of-3 despiker takes about a tenth off a sine of 8.4 samples
	 * per period (its tips are single-sample extremes). */
	struct synth s;
	struct result r;
	synth_init(&s, 60, 50, 50);
	hold(&s.leg[0], 10, 40, 300);
	hold(&s.leg[1], 10, 40, 150);
	run(&s, &r);
	const struct bm_event *a = nth(&r, 0, BM_EVENT_HOLD, 0), *b = nth(&r, 1, BM_EVENT_HOLD, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(fabs(a->tremor_hz - 9.5) < 0.3, "tremor at %.2f Hz, expected 9.5", a->tremor_hz);
	ck_assert_msg(a->tremor_rms_n > 1.7 && a->tremor_rms_n < 2.5, "tremor RMS %.2f N, expected ~2",
	              a->tremor_rms_n);
	ck_assert_msg(b->tremor_rms_n < 0.7 * a->tremor_rms_n, "half the force, less tremor: %.2f vs %.2f",
	              b->tremor_rms_n, a->tremor_rms_n);
	/* At 10 SPS the tremor band is out of reach. */
	synth_init(&s, 60, 50, 50);
	s.rate_hz = 10;
	hold(&s.leg[0], 10, 40, 300);
	run(&s, &r);
	a = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_msg(isnan(a->tremor_hz), "no tremor at 10 SPS, got %.2f", a->tremor_hz);
}
END_TEST

START_TEST(quiet_plate_onset_threshold)
{
	/* A plate tared with the heel resting reads about 0 N, and its noise
	 * (0.5 N) is far below the 20 N onset threshold: the threshold used is
	 * the 20 N convention itself, not k x noise.  Light reps 24 N above
	 * rest, with 0.3 s edges, clear it by more than the few noise SDs an
	 * effort must rise past it: 6 reps.  A threshold of 25 N would find
	 * none of them. */
	struct synth s;
	struct result r;
	synth_init(&s, 60, 0, 0);
	s.noise_n = 0.5;
	reps_shaped(&s.leg[0], 12, 6, 24, 0, 0.3, 0.8, 0.3, 2.0);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 6);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 0);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 0);
	const struct bm_event *e = nth(&r, 0, BM_EVENT_REP, 0);
	ck_assert_msg(fabs(e->baseline_n) < 1, "rest %.2f N, expected about 0", e->baseline_n);
	/* threshold = max(onset_n, noise_k x noise SD): exactly onset_n here. */
	ck_assert_msg(fabs(e->threshold_n - 20.0) < 1e-9, "threshold %.3f N, expected 20",
	              e->threshold_n);
}
END_TEST

START_TEST(hold_with_brief_touch_to_rest)
{
	/* A 40 s hold whose force drops to rest for a moment in the middle (the
	 * heel shifted), below the threshold for about 0.75 s: shorter than
	 * the 1 s release time, so the loaded period goes on and the hold is
	 * one hold, on both legs. */
	struct synth s;
	struct result r;
	const double rest[2] = {50, 45}, level[2] = {250, 230};
	synth_init(&s, 70, rest[0], rest[1]);
	s.noise_n = 0.5;
	for (int leg = 0; leg < 2; leg++) {
		struct leg_shape *l = &s.leg[leg];
		move(l, 10, level[leg], 0.4);
		move(l, 30, rest[leg], 0.3);
		move(l, 30.9, level[leg], 0.3);
		move(l, 50, rest[leg], 0.4);
	}
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	EXPECT_COUNT(&r, 1, BM_EVENT_REP, 0);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->start_s - 10.1) < 0.3 && fabs(h->end_s - 50.3) < 0.3,
	              "hold %.2f-%.2f, expected about 10.1-50.3", h->start_s, h->end_s);
}
END_TEST

START_TEST(light_heel_put_down_lower)
{
	/* A light heel (30 N) is put down 15 N lower and stays there: that is
	 * the new rest, not a lifted foot (70 % below rest is a lift, 9 N
	 * here), and the hold that follows counts from 15 N. */
	struct synth s;
	struct result r;
	synth_init(&s, 80, 30, 30);
	s.noise_n = 0.5;
	move(&s.leg[0], 15, 15, 0.5);
	hold(&s.leg[0], 40, 25, 165);
	hold(&s.leg[1], 40, 25, 180);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 1, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->baseline_n - 15) < 3 && fabs(h->mean_above_rest_n - 150) < 5,
	              "left hold over rest %.1f N, %.1f N above it; expected 15 and 150",
	              h->baseline_n, h->mean_above_rest_n);
	ck_assert_msg(!nth(&r, 1, BM_EVENT_HOLD, 0)->single_leg, "the right hold is not single-leg");
}
END_TEST

/* From the current level to @p f at a steady rate from @p t over @p dur_s
 * (knots every 0.25 s: no raised-cosine bulge in the slope). */
static void ramp_linear(struct leg_shape *l, double t, double f, double dur_s)
{
	double f0 = l->f[l->n - 1];
	knot(l, t, f0);
	for (double u = 0.25; u < dur_s + 1e-9; u += 0.25)
		knot(l, t + u, f0 + (f - f0) * u / dur_s);
}

START_TEST(slow_start_is_not_drift)
{
	/* A light effort built up slowly, 4.5 N/s for 20 s (every second
	 * "stable"), then held: the resting level follows upwards at 3 N/s at
	 * most, so the force pulls away from it and the effort is found.  A
	 * rest that followed at once would rise with the effort and never let
	 * it cross the threshold. */
	struct synth s;
	struct result r;
	synth_init(&s, 70, 40, 40);
	s.noise_n = 0.5;
	ramp_linear(&s.leg[0], 10, 130, 20);
	move(&s.leg[0], 45, 40, 0.8);
	run(&s, &r);
	EXPECT_COUNT(&r, 0, BM_EVENT_HOLD, 1);
	EXPECT_COUNT(&r, 0, BM_EVENT_REP, 0);
	const struct bm_event *h = nth(&r, 0, BM_EVENT_HOLD, 0);
	ck_assert_msg(fabs(h->end_s - 45.6) < 0.5, "hold ends at %.2f, expected about 45.6", h->end_s);
}
END_TEST

/* ------------------------------------------------- simulated sessions */

static void score_sessions(double rate_hz, int first, int n, double min_f1)
{
	struct eval_counts h = {0}, rp = {0};
	struct bm_sim_config cfg;
	bm_sim_config_default(&cfg);
	cfg.seconds = 420;
	cfg.rate_hz = rate_hz;
	for (int k = 0; k < n; k++) {
		struct bm_event_list run_;
		struct bm_sim *sim;
		const struct bm_sim_event *truth;
		cfg.seed = (uint64_t)(first + k);
		/* A third of the sessions on an epoch clock. */
		cfg.t0_s = k % 3 == 2 ? 1764091234.5 : 0;
		ck_assert_int_eq(eval_run_sim(&cfg, NULL, &run_, &sim), 0);
		size_t nt = bm_sim_truth(sim, &truth);
		eval_match(run_.ev, run_.n, truth, nt, BM_EVENT_HOLD, &h, NULL);
		eval_match(run_.ev, run_.n, truth, nt, BM_EVENT_REP, &rp, NULL);
		bm_event_list_free(&run_);
		bm_sim_free(sim);
	}
	ck_assert_msg(h.tp > (unsigned)n, "too few holds to judge (%u)", h.tp);
	ck_assert_msg(eval_f1(&h) >= min_f1, "hold F1 %.4f < %.2f (tp %u fp %u fn %u)",
	              eval_f1(&h), min_f1, h.tp, h.fp, h.fn);
	ck_assert_msg(eval_f1(&rp) >= min_f1, "rep F1 %.4f < %.2f (tp %u fp %u fn %u)",
	              eval_f1(&rp), min_f1, rp.tp, rp.fp, rp.fn);
	ck_assert_msg(h.single_leg_wrong + rp.single_leg_wrong <= (h.tp + rp.tp) / 100,
	              "single-leg flag wrong on %u of %u events", h.single_leg_wrong + rp.single_leg_wrong,
	              h.tp + rp.tp);
}

START_TEST(simulated_80sps_sessions)
{
	score_sessions(80, 1000, 50, 0.98);
}
END_TEST

START_TEST(simulated_10sps_sessions)
{
	score_sessions(10, 2000, 30, 0.98);
}
END_TEST

Suite *suite_detect(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, touch_and_go_reps);
	tcase_add_test(tc, light_efforts);
	tcase_add_test(tc, single_leg_with_lifted_foot);
	tcase_add_test(tc, repositioned_heel);
	tcase_add_test(tc, reposition_at_threshold);
	tcase_add_test(tc, fatigue_and_dips);
	tcase_add_test(tc, single_sample_glitches);
	tcase_add_test(tc, double_glitches);
	tcase_add_test(tc, gaps);
	tcase_add_test(tc, epoch_time_gives_the_same_events);
	tcase_add_test(tc, ten_sps_board);
	tcase_add_test(tc, recording_starts_mid_hold);
	tcase_add_test(tc, slow_touch_and_go_reps);
	tcase_add_test(tc, quick_reps_short_rest);
	tcase_add_test(tc, hold_with_many_deep_dips);
	tcase_add_test(tc, noisy_plate);
	tcase_add_test(tc, hold_tremor);
	tcase_add_test(tc, quiet_plate_onset_threshold);
	tcase_add_test(tc, hold_with_brief_touch_to_rest);
	tcase_add_test(tc, light_heel_put_down_lower);
	tcase_add_test(tc, slow_start_is_not_drift);
	suite_add_tcase(s, tc);
	tc = tcase_create("simulated");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, simulated_80sps_sessions);
	tcase_add_test(tc, simulated_10sps_sessions);
	suite_add_tcase(s, tc);
	return s;
}
