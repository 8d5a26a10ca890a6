/*
 * test_leg_detector.c - the detector alone: noiseless shapes pushed
 * straight into one leg's detector (no despiker, no filter, no session),
 * the rest estimator on its own, and the zigzag that finds valleys.  What
 * each shape must give is worked out from the shape: threshold crossings
 * at rest + 20 N, plateaus, kinds by shape.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm_detect.h"
#include "bm_zigzag.h"
#include "core_suites.h"

#define RATE 80.0
#define REST 50.0

/* A shape: force at time t (seconds). */
typedef double (*shape_fn)(double t);

struct run {
	struct bm_event ev[64];
	size_t n;
};

/* Push @p secs of @p f at 80 Hz into a fresh detector (rest set to @p rest
 * unless NaN), with data missing from @p gap_from to @p gap_to. */
static void push_shape(shape_fn f, double secs, double rest, double gap_from, double gap_to,
                       struct run *r)
{
	struct bm_detect_params p;
	bm_detect_params_default(&p);
	struct bm_leg_detector *d = bm_leg_detector_new(&p, 0, RATE);
	ck_assert_ptr_nonnull(d);
	if (isfinite(rest))
		bm_leg_detector_set_rest(d, rest);
	int gap = 0;
	for (long i = 0; i < lround(secs * RATE); i++) {
		double t = (double)i / RATE;
		if (t >= gap_from && t < gap_to) {
			gap = 1;
			continue;
		}
		struct bm_leg_sample s = {t, f(t), f(t), f(t), gap};
		bm_leg_detector_push(d, &s);
		gap = 0;
	}
	bm_leg_detector_finish(d);
	r->n = bm_leg_detector_pop(d, r->ev, 64);
	ck_assert_int_eq(bm_leg_detector_lost(d), 0);
	bm_leg_detector_free(d);
}

/* A trapezoid from @p a to @p b with ramps of @p ramp, @p top above rest. */
static double trap(double t, double a, double b, double ramp, double top)
{
	if (t <= a || t >= b)
		return REST;
	if (t < a + ramp)
		return REST + top * (t - a) / ramp;
	if (t > b - ramp)
		return REST + top * (b - t) / ramp;
	return REST + top;
}

static double hold_12s(double t) { return trap(t, 5, 17, 0.5, 250); }

START_TEST(a_hold)
{
	struct run r;
	push_shape(hold_12s, 25, REST, NAN, NAN, &r);
	ck_assert_int_eq(r.n, 1);
	const struct bm_event *e = &r.ev[0];
	ck_assert_int_eq(e->kind, BM_EVENT_HOLD);
	/* Crossings of rest + 20 N on the 0.5 s ramps: 0.04 s in and out. */
	ck_assert_msg(fabs(e->start_s - 5.04) < 0.02 && fabs(e->end_s - 16.96) < 0.02,
	              "hold %.3f-%.3f, expected 5.04-16.96", e->start_s, e->end_s);
	ck_assert_msg(fabs(e->peak_n - 300) < 0.01 && fabs(e->peak_above_rest_n - 250) < 0.01,
	              "peak %.2f (above rest %.2f), expected 300 (250)", e->peak_n, e->peak_above_rest_n);
	/* The plateau runs from 80 % of the level: a little of each ramp. */
	ck_assert_msg(fabs(e->mean_n - 300) < 1, "plateau mean %.2f", e->mean_n);
	ck_assert_msg(e->counted && !e->started_loaded && !e->cut_by_gap && e->dips == 0,
	              "flags counted %d started %d gap %d dips %d", e->counted, e->started_loaded,
	              e->cut_by_gap, e->dips);
	/* Impulse above rest: 250 N over 11 s of plateau + two ramps. */
	ck_assert_msg(fabs(e->impulse_ns - 250 * 11.5) < 5, "impulse %.1f", e->impulse_ns);
}
END_TEST

static double max_5s(double t) { return trap(t, 3, 8, 0.2, 400); }

START_TEST(a_short_maximal_effort_is_a_hold)
{
	struct run r;
	push_shape(max_5s, 12, REST, NAN, NAN, &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_msg(r.ev[0].kind == BM_EVENT_HOLD && !r.ev[0].counted,
	              "a 5 s plateau is a short hold (kind %d), not counted toward hold time",
	              r.ev[0].kind);
}
END_TEST

/* Six touch-and-go reps of 1.5 s: rise and fall to 30 % of the top. */
static double reps(double t)
{
	double u = t - 2;
	if (u < 0 || u >= 9)
		return REST;
	double ph = fmod(u, 1.5) / 1.5;
	double floor_frac = u < 0.75 || u > 8.25 ? 0 : 0.3;
	return REST + 200 * (floor_frac + (1 - floor_frac) * sin(M_PI * ph) * sin(M_PI * ph));
}

START_TEST(touch_and_go_reps)
{
	struct run r;
	push_shape(reps, 14, REST, NAN, NAN, &r);
	ck_assert_msg(r.n == 6, "%zu events, expected 6 reps", r.n);
	for (size_t i = 0; i < r.n; i++)
		ck_assert_msg(r.ev[i].kind == BM_EVENT_REP, "event %zu kind %d", i, r.ev[i].kind);
}
END_TEST

/* A 30 s hold with a 2 s sag of 40 % in the middle. */
static double sagging(double t)
{
	double x = trap(t, 5, 35, 0.5, 250);
	if (t > 19 && t < 21)
		x -= 100 * sin(M_PI * (t - 19) / 2);
	return x;
}

START_TEST(a_sag_stays_inside_the_hold)
{
	struct run r;
	push_shape(sagging, 40, REST, NAN, NAN, &r);
	ck_assert_msg(r.n == 1 && r.ev[0].kind == BM_EVENT_HOLD, "%zu events", r.n);
	ck_assert_msg(r.ev[0].dips == 1 && fabs(r.ev[0].dip_min_n - 200) < 1,
	              "dips %d, lowest %.1f (expected 1 and 200 N)", r.ev[0].dips, r.ev[0].dip_min_n);
}
END_TEST

START_TEST(a_silent_chip_splits_into_flagged_parts)
{
	struct run r;
	push_shape(hold_12s, 25, REST, 9, 11, &r);
	ck_assert_msg(r.n == 2, "%zu events, expected 2 parts", r.n);
	for (size_t i = 0; i < 2; i++)
		ck_assert_msg(r.ev[i].kind == BM_EVENT_HOLD && r.ev[i].cut_by_gap,
		              "part %zu: kind %d, cut %d", i, r.ev[i].kind, r.ev[i].cut_by_gap);
	ck_assert_msg(r.ev[0].end_s <= 9 && r.ev[1].start_s >= 11, "no part spans the gap");
}
END_TEST

static double starts_loaded(double t) { return t < 10 ? REST + 250 : REST; }

START_TEST(a_recording_that_starts_mid_effort)
{
	struct run r;
	push_shape(starts_loaded, 20, REST, NAN, NAN, &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_msg(r.ev[0].started_loaded && r.ev[0].start_s == 0 && r.ev[0].kind == BM_EVENT_HOLD,
	              "started_loaded %d from %.2f", r.ev[0].started_loaded, r.ev[0].start_s);
}
END_TEST

/* The rest estimator on its own. */
static double est(const double *x, const double *other, size_t n)
{
	return other ? bm_estimate_rest2_n(x, other, n, RATE) : bm_estimate_rest_n(x, n, RATE);
}

START_TEST(rest_estimator)
{
	size_t n = (size_t)(60 * RATE);
	double *x = malloc(n * sizeof *x), *none = malloc(n * sizeof *none);
	for (size_t i = 0; i < n; i++)
		none[i] = NAN;
	/* Tared with the heel resting: 0, a lifted foot at -50 later. */
	for (size_t i = 0; i < n; i++)
		x[i] = i < 20 * RATE ? 0 : i < 40 * RATE ? -50 : 0;
	ck_assert_msg(fabs(est(x, NULL, n)) < 0.5, "tared at rest: %.1f", est(x, NULL, n));
	/* Tared empty: rest 50, a lifted foot at 2 N later. */
	for (size_t i = 0; i < n; i++)
		x[i] = i < 20 * RATE ? 50 : i < 40 * RATE ? 2 : 50;
	ck_assert_msg(fabs(est(x, NULL, n) - 50) < 0.5, "tared empty: %.1f", est(x, NULL, n));
	/* Starts in a 250 N hold, then rests at 50. */
	for (size_t i = 0; i < n; i++)
		x[i] = i < 15 * RATE ? 300 : 50;
	ck_assert_msg(fabs(est(x, NULL, n) - 50) < 0.5, "mid-effort start: %.1f", est(x, NULL, n));
	/* A one-sensor export cut to a light effort (80 N) with rest 0: with
	 * two legs it could be a rest above a lifted foot; with no other leg
	 * it cannot. */
	for (size_t i = 0; i < n; i++)
		x[i] = i < 7 * RATE ? 80 : i < 10 * RATE ? 0 : i < 17 * RATE ? 80 : 0;
	ck_assert_msg(fabs(est(x, NULL, n) - 80) < 0.5, "two legs: the first level %.1f", est(x, NULL, n));
	ck_assert_msg(fabs(est(x, none, n)) < 0.5, "one sensor: rest %.1f", est(x, none, n));
	free(x);
	free(none);
}
END_TEST

START_TEST(zigzag)
{
	struct bm_zigzag z;
	const double xs[] = {0, 50, 100, 90, 60, 40, 45, 70, 95, 80};
	int confirmed = -1;
	bm_zigzag_reset(&z, 0);
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
		if (bm_zigzag_step(&z, xs[i], i, 20))
			confirmed = (int)i;
	ck_assert_msg(confirmed == 7 && z.valley_at == 5, "valley confirmed at %d (at sample %zu)",
	              confirmed, z.valley_at);
	ck_assert_msg(bm_zigzag_reversal_n(300, 0) == 60 && bm_zigzag_reversal_n(20, 0) == 10 &&
	                  bm_zigzag_reversal_n(20, 5) == 20,
	              "reversal: 20 %% of the amplitude, at least 10 N and 4 noise SDs");
}
END_TEST

Suite *suite_leg_detector(void)
{
	Suite *s = suite_create("leg_detector");
	TCase *tc = tcase_create("shapes");
	tcase_add_test(tc, a_hold);
	tcase_add_test(tc, a_short_maximal_effort_is_a_hold);
	tcase_add_test(tc, touch_and_go_reps);
	tcase_add_test(tc, a_sag_stays_inside_the_hold);
	tcase_add_test(tc, a_silent_chip_splits_into_flagged_parts);
	tcase_add_test(tc, a_recording_that_starts_mid_effort);
	tcase_add_test(tc, rest_estimator);
	tcase_add_test(tc, zigzag);
	suite_add_tcase(s, tc);
	return s;
}
