/*
 * test_mvic.c - the MVIC test run start to finish by the runner (best per
 * leg, single-leg and during both-legs efforts, kept with its date), the
 * retest rule, the reference a set's zone is a % of, merging two results.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "bm_mvic.h"
#include "rehab_suites.h"
#include "runner_sim.h"

#define DAY_S 86400.0

/* One maximal effort of @p dur s: peak per leg as given (NaN: that leg does
 * not push). */
static void max_effort(struct sim *s, enum bm_side side, double dur, double peak_l, double peak_r)
{
	sim_wait_state(s, BM_RUN_WORKING, 70);
	double t0 = sim_now(s) + 0.8;
	sim_advance(s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s->r, side, t0), BM_RUNNER_OK);
	sim_advance(s, t0 + dur);
	for (int leg = 0; leg < 2; leg++) {
		double pk = leg ? peak_r : peak_l;
		if (side != BM_SIDE_BOTH && (int)side != leg)
			continue;
		ck_assert_int_eq(bm_runner_effort_end(s->r, leg, BM_EFFORT_HOLD, t0, t0 + dur, pk, pk * 0.9),
		                 BM_RUNNER_OK);
	}
	sim_drain(s);
}

START_TEST(mvic_test_start_to_finish)
{
	struct bm_protocol proto;
	struct sim s;
	ck_assert_int_eq(bm_protocol_builtin(3, &proto), BM_PROTOCOL_OK);
	ck_assert_str_eq(proto.id, "mvic");
	sim_start(&s, &proto, NULL);
	ck_assert_str_eq(s.lines[0], "set 1 of 9 \xc2\xb7 MVIC left leg, 5 s: get ready");
	static const double left[3] = {480, 512.5, 495}, right[3] = {455, 470.25, 468};
	static const double both_l[3] = {402, 398, 410.5}, both_r[3] = {380, 391.75, 385};
	for (int i = 0; i < 3; i++) {
		if (i == 1) {
			/* the right foot pushes during a left-leg effort: not counted */
			sim_wait_state(&s, BM_RUN_WORKING, 70);
			double t = sim_now(&s);
			ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_RIGHT, t), BM_RUNNER_OK);
			sim_advance(&s, t + 2);
			ck_assert_int_eq(bm_runner_effort_end(s.r, 1, BM_EFFORT_HOLD, t, t + 2, 900, 800),
			                 BM_RUNNER_OK);
		}
		max_effort(&s, BM_SIDE_LEFT, 5.4, left[i], NAN);
	}
	for (int i = 0; i < 3; i++)
		max_effort(&s, BM_SIDE_RIGHT, 5.4, NAN, right[i]);
	for (int i = 0; i < 3; i++)
		max_effort(&s, BM_SIDE_BOTH, 5.4, both_l[i], both_r[i]);
	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_FINISHED, "expected finished, got %s", bm_runner_state_name(v.state));
	ck_assert_msg(sim_cue_count(&s, BM_RUN_CUE_TARGET) == 9 && sim_cue_count(&s, BM_RUN_CUE_REST_OVER) == 8,
	              "9 'stop' cues and 8 rests, got %d and %d", sim_cue_count(&s, BM_RUN_CUE_TARGET),
	              sim_cue_count(&s, BM_RUN_CUE_REST_OVER));
	ck_assert_msg(sim_line(&s, "stop: 5 s", 0) >= 0 && sim_line(&s, "set 2 done: 5.4 s, peak left 512 N", 0) >= 0 &&
	              sim_line(&s, "set 9 done: 5.4 s, peak left 410 N right 385 N", 0) >= 0 &&
	              sim_line(&s, "rest 60 s", 0) >= 0,
	              "MVIC lines: stop, set results, rest 60 s");

	struct bm_mvic m;
	double date = 1764500000.0;
	ck_assert_int_eq(bm_runner_mvic(s.r, date, &m), BM_RUNNER_OK);
	ck_assert_msg(m.single_n[0] == 512.5 && m.single_n[1] == 470.25 && m.both_n[0] == 410.5 &&
	              m.both_n[1] == 391.75 && m.epoch_s == date,
	              "best per leg: expected single 512.5/470.25, both 410.5/391.75 on the date; got "
	              "%g/%g, %g/%g at %.0f", m.single_n[0], m.single_n[1], m.both_n[0], m.both_n[1], m.epoch_s);
	ck_assert_msg(!bm_mvic_retest_due(&m, date + 3 * DAY_S, 0), "3 days later: not due");
	ck_assert_msg(bm_mvic_retest_due(&m, date + 7.5 * DAY_S, 0), "7.5 days later: due");

	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.sets_done == 9 && isnan(sum.asym_pct),
	              "9 done; MVIC sets are not counted in the both-legs asymmetry");
	ck_assert_msg(sum.sets[1].efforts[1] == 0 && isnan(sum.sets[1].peak_above_rest_n[1]),
	              "the stray right-leg effort in set 2 is not counted");
	char text[4096];
	bm_runner_format_summary(&sum, text, sizeof text);
	ck_assert_msg(strstr(text, "MVIC above rest: single leg left 512 N, right 470 N; both legs left 410 N, right 392 N") != NULL,
	              "summary:\n%s", text);
	sim_free(&s);

	/* The result sets the next session's zones: a single-leg hold at 70 %
	 * on the left is 60-80 % of 512.5 N. */
	struct bm_runner_params p;
	bm_runner_params_default(&p);
	p.mvic = m;
	sim_protocol("name: l\nset: hold 30 s @ 70 % left\n", &proto);
	sim_start(&s, &proto, &p);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.zone_valid[0] && fabs(v.zone_low_n[0] - 307.5) < 1e-9 &&
	              fabs(v.zone_high_n[0] - 410) < 1e-9 && !v.zone_valid[1],
	              "zone from the test: expected 307.5-410 N left only, got %g-%g", v.zone_low_n[0],
	              v.zone_high_n[0]);
	sim_free(&s);
}
END_TEST

START_TEST(retest_rule)
{
	struct bm_mvic m;
	bm_mvic_init(&m);
	ck_assert_msg(isnan(m.epoch_s) && isnan(m.single_n[0]) && isnan(m.both_n[1]), "init: all NaN");
	ck_assert_msg(bm_mvic_retest_due(&m, 1e9, 0), "never tested: due");
	ck_assert_msg(bm_mvic_retest_due(NULL, 1e9, 0), "NULL: due");
	m.epoch_s = 1e9;
	ck_assert_msg(bm_mvic_retest_due(&m, 1e9, 0), "a date but no value: due");
	m.both_n[1] = 400;
	ck_assert_msg(!bm_mvic_retest_due(&m, 1e9 + 7 * DAY_S, 0), "exactly 7 days: not older, not due");
	ck_assert_msg(bm_mvic_retest_due(&m, 1e9 + 7 * DAY_S + 1, 0), "7 days and a second: due");
	ck_assert_msg(!bm_mvic_retest_due(&m, 1e9 - 30 * DAY_S, 0), "a clock in the past: not due");
	ck_assert_msg(bm_mvic_retest_due(&m, 1e9 + 4 * DAY_S, 3), "custom 3 days: due at 4");
	ck_assert_msg(!bm_mvic_retest_due(&m, 1e9 + 4 * DAY_S, NAN), "NaN age: the 7-day default");
}
END_TEST

START_TEST(reference_and_merge)
{
	struct bm_mvic m, o;
	double ref[2];
	bm_mvic_init(&m);
	m.single_n[0] = 500;
	m.single_n[1] = 450;
	m.both_n[0] = 400;
	m.both_n[1] = NAN;
	bm_mvic_reference(&m, BM_SIDE_BOTH, ref);
	ck_assert_msg(ref[0] == 400 && isnan(ref[1]), "both: both-legs values, no fallback (%g, %g)",
	              ref[0], ref[1]);
	bm_mvic_reference(&m, BM_SIDE_RIGHT, ref);
	ck_assert_msg(isnan(ref[0]) && ref[1] == 450, "right: the right single-leg value only (%g, %g)",
	              ref[0], ref[1]);
	bm_mvic_reference(&m, BM_SIDE_NONE, ref);
	ck_assert_msg(isnan(ref[0]) && isnan(ref[1]), "none: nothing");

	m.epoch_s = 100;
	bm_mvic_init(&o);
	o.epoch_s = 200;
	o.single_n[0] = 480; /* lower: not taken */
	o.both_n[1] = 390;   /* new */
	bm_mvic_merge(&m, &o);
	ck_assert_msg(m.single_n[0] == 500 && m.both_n[1] == 390 && m.epoch_s == 200,
	              "merge keeps the best and the later contributing date: %g %g %g", m.single_n[0],
	              m.both_n[1], m.epoch_s);
	bm_mvic_init(&o);
	o.epoch_s = 300;
	o.single_n[1] = 10; /* contributes nothing */
	bm_mvic_merge(&m, &o);
	ck_assert_msg(m.epoch_s == 200 && m.single_n[1] == 450, "a result that adds nothing keeps the date");
}
END_TEST

Suite *suite_mvic(void)
{
	Suite *s = suite_create("mvic");
	TCase *tc = tcase_create("test");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mvic_test_start_to_finish);
	tcase_add_test(tc, retest_rule);
	tcase_add_test(tc, reference_and_merge);
	suite_add_tcase(s, tc);
	return s;
}
