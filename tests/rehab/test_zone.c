/*
 * test_zone.c - zone bands (own MVIC, anchored to the uninjured side), the
 * in/out tracker with its hysteresis, time in zone.
 */
#include <check.h>
#include <math.h>

#include "bm_zone.h"
#include "rehab_suites.h"

START_TEST(bands_and_anchoring)
{
	struct bm_zone_params p;
	struct bm_zone_band b;
	const double mvic[2] = {500, 400};
	bm_zone_params_default(&p);
	ck_assert_msg(p.low_pct == 60 && p.high_pct == 80 && p.injured == BM_SIDE_NONE &&
	              p.hysteresis_pct == 2, "defaults 60-80 %%, none, 2 %%");

	ck_assert_int_eq(bm_zone_band_make(&p, mvic, p.low_pct, p.high_pct, &b), 0);
	ck_assert_msg(b.valid[0] && b.valid[1] && b.low_n[0] == 300 && b.high_n[0] == 400 &&
	              b.low_n[1] == 240 && b.high_n[1] == 320 && b.hyst_n[0] == 10 && b.hyst_n[1] == 8,
	              "own MVIC: expected 300-400 / 240-320 N, margins 10 / 8; got %g-%g / %g-%g, %g / %g",
	              b.low_n[0], b.high_n[0], b.low_n[1], b.high_n[1], b.hyst_n[0], b.hyst_n[1]);

	p.injured = BM_SIDE_LEFT; /* both legs work toward the right leg's level */
	bm_zone_band_make(&p, mvic, 60, 80, &b);
	ck_assert_msg(b.low_n[0] == 240 && b.high_n[0] == 320 && b.low_n[1] == 240 && b.ref_mvic_n[0] == 400,
	              "injured left: anchored to the right's 400 N, got %g-%g", b.low_n[0], b.high_n[0]);
	p.injured = BM_SIDE_RIGHT;
	bm_zone_band_make(&p, mvic, 60, 80, &b);
	ck_assert_msg(b.low_n[1] == 300 && b.high_n[1] == 400 && b.low_n[0] == 300,
	              "injured right: anchored to the left's 500 N, got %g-%g", b.low_n[1], b.high_n[1]);
	p.injured = BM_SIDE_BOTH;
	bm_zone_band_make(&p, mvic, 60, 80, &b);
	ck_assert_msg(b.low_n[0] == 300 && b.low_n[1] == 240, "injured both: each its own");

	/* unknown MVIC */
	const double half[2] = {NAN, 400};
	p.injured = BM_SIDE_NONE;
	bm_zone_band_make(&p, half, 60, 80, &b);
	ck_assert_msg(!b.valid[0] && b.valid[1] && isnan(b.low_n[0]), "no left MVIC: no left band");
	p.injured = BM_SIDE_RIGHT; /* anchored to a left leg with no test: none at all */
	bm_zone_band_make(&p, half, 60, 80, &b);
	ck_assert_msg(!b.valid[0] && !b.valid[1], "anchor unknown: no bands");

	p.injured = BM_SIDE_NONE;
	ck_assert_int_eq(bm_zone_band_around(&p, mvic, 50, &b), 0);
	ck_assert_msg(b.low_n[0] == 200 && b.high_n[0] == 300, "around 50 %%: 40-60 %% = 200-300 N, got %g-%g",
	              b.low_n[0], b.high_n[0]);
	ck_assert_int_eq(bm_zone_band_make(&p, mvic, 80, 60, &b), -1);
	ck_assert_msg(!b.valid[0] && !b.valid[1], "bad band: invalid");
	ck_assert_int_eq(bm_zone_band_make(NULL, mvic, 60, 80, &b), -1);
}
END_TEST

START_TEST(tracker_hysteresis_and_time)
{
	struct bm_zone_params p;
	struct bm_zone_band b;
	struct bm_zone_tracker z;
	const double mvic[2] = {500, 500};
	bm_zone_params_default(&p);
	bm_zone_band_make(&p, mvic, 60, 80, &b); /* 300-400 N, margin 10 N */
	bm_zone_tracker_reset(&z, &p);
	const int both[2] = {1, 1};
	static const struct {
		double t, left_n, right_n;
		unsigned changed;
		enum bm_zone_pos left, right;
	} steps[] = {
		{0.0, 250, 250, 0, BM_ZONE_BELOW, BM_ZONE_BELOW},
		{0.1, 300, 299, 1, BM_ZONE_IN, BM_ZONE_BELOW},
		{0.2, 295, 305, 2, BM_ZONE_IN, BM_ZONE_IN},     /* 295: inside the margin */
		{0.3, 291, 405, 0, BM_ZONE_IN, BM_ZONE_IN},     /* 405: inside the margin */
		{0.4, 289, 411, 3, BM_ZONE_BELOW, BM_ZONE_ABOVE},
		{0.5, 295, 402, 0, BM_ZONE_BELOW, BM_ZONE_ABOVE}, /* back within the band's own edge? no */
		{0.6, 300, 400, 3, BM_ZONE_IN, BM_ZONE_IN},
		{1.6, 350, 350, 0, BM_ZONE_IN, BM_ZONE_IN},     /* a 1 s stall: no time added */
		{1.7, NAN, 350, 1, BM_ZONE_UNKNOWN, BM_ZONE_IN},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		double f[2] = {steps[i].left_n, steps[i].right_n};
		unsigned c = bm_zone_tracker_step(&z, &b, steps[i].t, f, both);
		ck_assert_msg(c == steps[i].changed && z.pos[0] == steps[i].left && z.pos[1] == steps[i].right,
		              "step %zu: expected change %u, %s/%s; got %u, %s/%s", i, steps[i].changed,
		              bm_zone_pos_name(steps[i].left), bm_zone_pos_name(steps[i].right), c,
		              bm_zone_pos_name(z.pos[0]), bm_zone_pos_name(z.pos[1]));
	}
	/* left in zone for the steps ending at 0.1, 0.2, 0.3, 0.6 (0.1 s each;
	 * the 1 s stall adds nothing); right at 0.2, 0.3, 0.6, 1.7 */
	ck_assert_msg(fabs(z.in_zone_s[0] - 0.4) < 1e-9 && fabs(z.in_zone_s[1] - 0.4) < 1e-9,
	              "in zone %.3f / %.3f s, expected 0.4 / 0.4", z.in_zone_s[0], z.in_zone_s[1]);
	ck_assert_msg(fabs(z.active_s[0] - 0.7) < 1e-9, "active %.3f s, expected 0.7", z.active_s[0]);

	/* a leg whose effort ends leaves the zone: a change, then unknown */
	const int left_only[2] = {1, 0};
	double f[2] = {350, 350};
	unsigned c = bm_zone_tracker_step(&z, &b, 1.8, f, left_only);
	ck_assert_msg(c == 3 && z.pos[0] == BM_ZONE_IN && z.pos[1] == BM_ZONE_UNKNOWN,
	              "left back in (change), right inactive (change): got %u", c);
	/* no band: unknown */
	struct bm_zone_band none;
	bm_zone_band_make(&p, (const double[2]){NAN, NAN}, 60, 80, &none);
	c = bm_zone_tracker_step(&z, &none, 1.9, f, both);
	ck_assert_msg(z.pos[0] == BM_ZONE_UNKNOWN && c == 1, "no band: unknown");
	ck_assert_uint_eq(bm_zone_tracker_step(NULL, &b, 2, f, both), 0);
}
END_TEST

Suite *suite_zone(void)
{
	Suite *s = suite_create("zone");
	TCase *tc = tcase_create("zone");
	tcase_add_test(tc, bands_and_anchoring);
	tcase_add_test(tc, tracker_hysteresis_and_time);
	suite_add_tcase(s, tc);
	return s;
}
