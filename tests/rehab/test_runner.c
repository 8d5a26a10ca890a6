/*
 * test_runner.c - the protocol state machine driven by time-stamped calls,
 * as the live program drives it: a protocol completed; a failed set (let go
 * at 20 s of 45); a skipped set and a skipped rest; abandoned mid-way; the
 * board unplugged during a set (with and without the detector's cut end);
 * double-leg reps counted once; reps to fatigue per leg; waiting without
 * failing; repeats; the terminal lines; queues that overflow; bad calls.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rehab_suites.h"
#include "runner_sim.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

/* One double-leg hold with different forces per leg; the right leg lets go
 * @p r_later_s after the left. */
static void hold_both(struct sim *s, double delay, double dur, double fl, double fr, double r_later_s)
{
	double t0 = sim_now(s) + delay;
	sim_advance(s, t0);
	t0 = sim_now(s);
	ck_assert_int_eq(bm_runner_effort_begin(s->r, BM_SIDE_BOTH, t0), BM_RUNNER_OK);
	s->force_n[0] = fl;
	s->force_n[1] = fr;
	sim_advance(s, t0 + dur);
	double t1 = sim_now(s);
	s->force_n[0] = 0;
	ck_assert_int_eq(bm_runner_effort_end(s->r, 0, BM_EFFORT_HOLD, t0, t1, fl + 20, fl), BM_RUNNER_OK);
	sim_drain(s);
	sim_advance(s, t1 + r_later_s);
	s->force_n[1] = 0;
	ck_assert_int_eq(bm_runner_effort_end(s->r, 1, BM_EFFORT_HOLD, t0, t1 + r_later_s, fr + 20, fr),
	                 BM_RUNNER_OK);
	sim_drain(s);
}

static void params_with_mvic(struct bm_runner_params *p, double left_n, double right_n)
{
	bm_runner_params_default(p);
	p->mvic.epoch_s = 0;
	p->mvic.both_n[0] = left_n;
	p->mvic.both_n[1] = right_n;
	p->mvic.single_n[0] = left_n * 1.6;
	p->mvic.single_n[1] = right_n * 1.6;
}

START_TEST(isometric_completed)
{
	struct bm_protocol proto;
	struct bm_runner_params p;
	struct sim s;
	struct bm_runner_view v;
	ck_assert_int_eq(bm_protocol_builtin(0, &proto), BM_PROTOCOL_OK);
	params_with_mvic(&p, 500, 500);
	sim_start(&s, &proto, &p);
	ck_assert_str_eq(s.lines[0], "set 1 of 5 \xc2\xb7 hold 45 s @ 70 %: get ready" " \xc2\xb7 zone above rest L 300-400 N, R 300-400 N");

	/* Anchored to the uninjured leg: the injured left leg (MVIC 200 N) is
	 * asked for 60-80 % of the right leg's 500 N; not anchored, of its own. */
	struct sim s2;
	params_with_mvic(&p, 200, 500);
	p.zone.injured = BM_SIDE_LEFT;
	sim_start(&s2, &proto, &p);
	ck_assert_str_eq(s2.lines[0], "set 1 of 5 \xc2\xb7 hold 45 s @ 70 %: get ready"
	                              " \xc2\xb7 zone above rest L 300-400 N, R 300-400 N");
	sim_free(&s2);
	params_with_mvic(&p, 200, 500);
	sim_start(&s2, &proto, &p);
	ck_assert_str_eq(s2.lines[0], "set 1 of 5 \xc2\xb7 hold 45 s @ 70 %: get ready"
	                              " \xc2\xb7 zone above rest L 120-160 N, R 300-400 N");
	sim_free(&s2);
	params_with_mvic(&p, 500, 500);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_GET_READY && NEAR(v.countdown_s, 3, 1e-9) &&
	              strcmp(v.status, "get ready: 3") == 0,
	              "expected get ready 3 s, got state %d countdown %g '%s'", v.state, v.countdown_s,
	              v.status);

	sim_wait_state(&s, BM_RUN_WORKING, 5);
	ck_assert_msg(NEAR(sim_now(&s), 3.0, 1e-9), "go after 3 s, got %.3f", sim_now(&s));
	bm_runner_view(s.r, &v);
	ck_assert_str_eq(v.prompt, "set 1 of 5 \xc2\xb7 hold 45 s @ 70 %");
	ck_assert_msg(v.zone_valid[0] && v.zone_valid[1] && NEAR(v.zone_low_n[0], 300, 1e-9) &&
	              NEAR(v.zone_high_n[1], 400, 1e-9),
	              "zone 60-80 %% of 500 N: expected 300-400 N, got %g-%g", v.zone_low_n[0],
	              v.zone_high_n[1]);
	ck_assert_str_eq(v.status, "go: push up and hold");

	/* nothing happens before an effort: the set waits */
	sim_advance(&s, sim_now(&s) + 5);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING && NEAR(v.timer_s, 0, 1e-9), "waiting, timer 0");
	/* set 1: 45.5 s, the right leg lets go 0.1 s later */
	hold_both(&s, 1, 45.5, 350, 330, 0.1);
	bm_runner_view(s.r, &v);
	/* the set ended when the last leg let go: the whole rest is ahead */
	ck_assert_msg(v.state == BM_RUN_REST && NEAR(v.countdown_s, 120, 1e-9) &&
	              strcmp(v.status, "rest: 120 s") == 0,
	              "expected rest, 120 s left; got state %d, %g '%s'", v.state, v.countdown_s, v.status);

	for (int set = 2; set <= 5; set++) {
		sim_wait_state(&s, BM_RUN_WORKING, 130);
		bm_runner_view(s.r, &v);
		char want[64];
		snprintf(want, sizeof want, "set %d of 5 \xc2\xb7 hold 45 s @ 70 %%", set);
		ck_assert_str_eq(v.prompt, want);
		hold_both(&s, 1, 45.5, 350, 330, 0.1);
	}
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_FINISHED, "expected finished, got %s", bm_runner_state_name(v.state));

	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && !sum.abandoned && sum.sets_done == 5 && sum.sets_short == 0 &&
	              sum.n_sets == 5, "expected 5 of 5 done, got %zu (%zu short)", sum.sets_done,
	              sum.sets_short);
	for (size_t i = 0; i < 5; i++) {
		const struct bm_set_result *r = &sum.sets[i];
		ck_assert_msg(r->flags == BM_SET_F_DONE && NEAR(r->achieved, 45.6, 1e-6) &&
		              NEAR(r->hold_s[0], 45.5, 1e-6) && NEAR(r->hold_s[1], 45.6, 1e-6),
		              "set %zu: expected done 45.6 s (left 45.5, right 45.6), got flags %u %.3f (%.3f, %.3f)",
		              i + 1, r->flags, r->achieved, r->hold_s[0], r->hold_s[1]);
		ck_assert_msg(NEAR(r->time_in_zone_s[0], 45.5, 0.02) && NEAR(r->time_in_zone_s[1], 45.5, 0.12),
		              "set %zu: time in zone %.3f / %.3f, expected about 45.5", i + 1,
		              r->time_in_zone_s[0], r->time_in_zone_s[1]);
		ck_assert_msg(NEAR(r->mean_above_rest_n[0], 350, 1e-9) && NEAR(r->peak_above_rest_n[1], 350, 1e-9),
		              "set %zu: mean left %.1f (350), peak right %.1f (350)", i + 1,
		              r->mean_above_rest_n[0], r->peak_above_rest_n[1]);
	}
	ck_assert_msg(NEAR(sum.hold_s[0], 5 * 45.5, 1e-6) && NEAR(sum.load_weighted_s[0], 5 * 45.5 * 0.7, 1e-6),
	              "hold time left %.2f (227.5), load-weighted %.3f (159.25)", sum.hold_s[0],
	              sum.load_weighted_s[0]);
	ck_assert_msg(NEAR(sum.asym_pct, 20.0 / 350 * 100, 1e-9) && sum.weaker == 1,
	              "asymmetry %.4f %% weaker %d, expected 5.7143 %% right", sum.asym_pct, sum.weaker);

	ck_assert_msg(sim_cue_count(&s, BM_RUN_CUE_GET_READY) == 5 && sim_cue_count(&s, BM_RUN_CUE_GO) == 5 &&
	              sim_cue_count(&s, BM_RUN_CUE_TARGET) == 5 && sim_cue_count(&s, BM_RUN_CUE_REST_OVER) == 4 &&
	              sim_cue_count(&s, BM_RUN_CUE_FINISHED) == 1 && sim_cue_count(&s, BM_RUN_CUE_IN_ZONE) == 5 &&
	              sim_cue_count(&s, BM_RUN_CUE_OUT_OF_ZONE) == 0,
	              "cues: get ready %d go %d target %d rest over %d finished %d in %d out %d",
	              sim_cue_count(&s, BM_RUN_CUE_GET_READY), sim_cue_count(&s, BM_RUN_CUE_GO),
	              sim_cue_count(&s, BM_RUN_CUE_TARGET), sim_cue_count(&s, BM_RUN_CUE_REST_OVER),
	              sim_cue_count(&s, BM_RUN_CUE_FINISHED), sim_cue_count(&s, BM_RUN_CUE_IN_ZONE),
	              sim_cue_count(&s, BM_RUN_CUE_OUT_OF_ZONE));
	/* first cues in order */
	static const enum bm_run_cue first[] = {BM_RUN_CUE_GET_READY, BM_RUN_CUE_GO, BM_RUN_CUE_IN_ZONE,
	                                         BM_RUN_CUE_TARGET, BM_RUN_CUE_REST_OVER,
	                                         BM_RUN_CUE_GET_READY, BM_RUN_CUE_GO};
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
		ck_assert_msg(s.cues[i] == first[i], "cue %zu: expected '%s', got '%s'", i,
		              bm_run_cue_name(first[i]), bm_run_cue_name(s.cues[i]));

	/* The terminal lines, in order. */
	static const char *const want[] = {
		"set 1 of 5 \xc2\xb7 hold 45 s @ 70 %: get ready" " \xc2\xb7 zone above rest L 300-400 N, R 300-400 N", "3", "2", "1", "go",
		"target reached: 45 s", "set 1 done: 45.6 s", "rest 120 s", "rest over",
		"set 2 of 5 \xc2\xb7 hold 45 s @ 70 %: get ready" " \xc2\xb7 zone above rest L 300-400 N, R 300-400 N", "3", "2", "1", "go",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(i < (size_t)s.n_lines && strcmp(s.lines[i], want[i]) == 0,
		              "line %zu: expected '%s', got '%s'", i, want[i],
		              i < (size_t)s.n_lines ? s.lines[i] : "(none)");
	ck_assert_str_eq(s.lines[s.n_lines - 1], "finished: 5 of 5 sets done (0 short, 0 skipped)");

	char text[4096];
	size_t n = bm_runner_format_summary(&sum, text, sizeof text);
	ck_assert_msg(n > 0 && n < sizeof text && strstr(text, "finished: 5 of 5 sets done") &&
	              strstr(text, "asymmetry (both-legs sets): 5.7 %, weaker: right"),
	              "summary text:\n%s", text);
	sim_free(&s);
}
END_TEST

START_TEST(failed_set_moves_on)
{
	struct bm_protocol proto;
	struct sim s;
	sim_protocol("name: f\nset: hold 45 s rest 60 s x3\n", &proto);
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 45.5, 300);
	sim_wait_state(&s, BM_RUN_WORKING, 70);
	/* let go at 20 s of 45 */
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 20, 300);
	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_REST && v.set_number == 2,
	              "after letting go the protocol moves on to the rest; got %s at set %zu",
	              bm_runner_state_name(v.state), v.set_number);
	ck_assert_msg(sim_line(&s, "set 2 done: 20.0 s of 45 s (short)", 0) >= 0,
	              "expected the line 'set 2 done: 20.0 s of 45 s (short)', last was '%s'",
	              s.lines[s.n_lines - 2]);
	sim_wait_state(&s, BM_RUN_WORKING, 70);
	ck_assert_msg(v.n_sets == 3, "not repeated silently: still 3 sets");
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 45.5, 300);

	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && sum.n_sets == 3 && sum.sets_done == 3 && sum.sets_short == 1,
	              "expected 3 done, 1 short; got %zu done %zu short of %zu", sum.sets_done,
	              sum.sets_short, sum.n_sets);
	ck_assert_msg(sum.sets[1].flags == (BM_SET_F_DONE | BM_SET_F_SHORT) &&
	              NEAR(sum.sets[1].achieved, 20, 1e-6) && sum.sets[1].target == 45,
	              "set 2: expected done+short 20 of 45 s, got flags %u %.3f of %g",
	              sum.sets[1].flags, sum.sets[1].achieved, sum.sets[1].target);
	ck_assert_msg(sim_cue_count(&s, BM_RUN_CUE_TARGET) == 2, "target reached twice, got %d",
	              sim_cue_count(&s, BM_RUN_CUE_TARGET));
	ck_assert_msg(isnan(sum.sets[0].time_in_zone_s[0]), "no %% MVIC: no zone, time in zone NaN");
	ck_assert_str_eq(s.lines[s.n_lines - 1], "finished: 3 of 3 sets done (1 short, 0 skipped)");
	sim_free(&s);
}
END_TEST

START_TEST(skipped_set_and_rest)
{
	struct bm_protocol proto;
	struct sim s;
	struct bm_runner_view v;
	sim_protocol("name: s\nset: hold 30 s rest 30 s x3\n", &proto);
	sim_start(&s, &proto, NULL);
	ck_assert_int_eq(bm_runner_skip(NULL), BM_RUNNER_ERR_ARG);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 0.5, 30.5, 250);
	bm_runner_view(s.r, &v);
	ck_assert_int_eq(v.state, BM_RUN_REST);
	sim_advance(&s, sim_now(&s) + 5);
	ck_assert_int_eq(bm_runner_skip(s.r), BM_RUNNER_OK); /* the rest */
	sim_drain(&s);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_GET_READY && v.set_number == 2,
	              "skipping the rest: set 2's countdown; got %s set %zu", bm_runner_state_name(v.state),
	              v.set_number);
	ck_assert_msg(sim_line(&s, "rest skipped", 0) >= 0, "line 'rest skipped'");
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_advance(&s, sim_now(&s) + 2);
	ck_assert_int_eq(bm_runner_skip(s.r), BM_RUNNER_OK); /* set 2 */
	sim_drain(&s);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_GET_READY && v.set_number == 3,
	              "skipping a set goes to the next countdown, no rest; got %s set %zu",
	              bm_runner_state_name(v.state), v.set_number);
	ck_assert_msg(sim_line(&s, "set 2 skipped", 0) >= 0, "line 'set 2 skipped'");
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 0.5, 30.5, 250);

	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && sum.sets_done == 2 && sum.sets_skipped == 1 &&
	              sum.sets[1].flags == BM_SET_F_SKIPPED && sum.sets[1].achieved == 0,
	              "expected 2 done, set 2 skipped with 0 s; got %zu done, %zu skipped, flags %u",
	              sum.sets_done, sum.sets_skipped, sum.sets[1].flags);
	ck_assert_int_eq(bm_runner_skip(s.r), BM_RUNNER_ERR_STATE);
	ck_assert_str_eq(s.lines[s.n_lines - 1], "finished: 2 of 3 sets done (0 short, 1 skipped)");
	sim_free(&s);
}
END_TEST

START_TEST(abandoned_midway)
{
	struct bm_protocol proto;
	struct sim s;
	ck_assert_int_eq(bm_protocol_builtin(0, &proto), BM_PROTOCOL_OK);
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 45.5, 300);
	sim_wait_state(&s, BM_RUN_WORKING, 130);
	double t0 = sim_now(&s) + 1;
	sim_advance(&s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_BOTH, t0), BM_RUNNER_OK);
	sim_advance(&s, t0 + 10);
	ck_assert_int_eq(bm_runner_abandon(s.r), BM_RUNNER_OK);
	sim_drain(&s);
	/* the detector's end of the effort under way comes after: no effect */
	ck_assert_int_eq(bm_runner_effort_end(s.r, 0, BM_EFFORT_HOLD, t0, t0 + 10.2, 320, 300), BM_RUNNER_OK);
	sim_advance(&s, sim_now(&s) + 2);

	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_ABANDONED && strcmp(v.status, "abandoned at set 2 of 5") == 0,
	              "expected abandoned at set 2 of 5, got %s '%s'", bm_runner_state_name(v.state), v.status);
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.abandoned && !sum.finished && sum.sets_done == 1 && sum.sets_not_reached == 3,
	              "expected abandoned, 1 done, 3 not reached; got %d %zu %zu", sum.abandoned,
	              sum.sets_done, sum.sets_not_reached);
	ck_assert_msg(sum.sets[1].flags == BM_SET_F_ABANDONED && sum.sets[4].flags == BM_SET_F_NOT_REACHED,
	              "set 2 abandoned (flags %u), set 5 not reached (flags %u)", sum.sets[1].flags,
	              sum.sets[4].flags);
	ck_assert_str_eq(s.lines[s.n_lines - 1], "abandoned at set 2 of 5");
	char text[4096];
	bm_runner_format_summary(&sum, text, sizeof text);
	ck_assert_msg(strstr(text, "abandoned: 1 of 5 sets done") && strstr(text, "not reached"),
	              "the summary says so:\n%s", text);
	ck_assert_int_eq(bm_runner_abandon(s.r), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_skip(s.r), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_repeat(s.r), BM_RUNNER_ERR_STATE);
	sim_free(&s);
}
END_TEST

START_TEST(unplugged_during_a_set)
{
	struct bm_protocol proto;
	struct sim s;
	struct bm_runner_view v;
	sim_protocol("name: u\nset: hold 45 s rest 30 s x2\n", &proto);
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	double t0 = 4.0;
	sim_advance(&s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_BOTH, t0), BM_RUNNER_OK);
	sim_advance(&s, 24.0);
	ck_assert_int_eq(bm_runner_source_lost(s.r, 24.0), BM_RUNNER_OK);
	/* the detector ends the efforts at the edge of the gap */
	ck_assert_int_eq(bm_runner_effort_end(s.r, 0, BM_EFFORT_HOLD, t0, 24.0, 330, 300), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_effort_end(s.r, 1, BM_EFFORT_HOLD, t0, 24.0, 310, 290), BM_RUNNER_OK);
	sim_advance(&s, 30.0);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING && v.paused && NEAR(v.timer_s, 20, 1e-9) &&
	              strcmp(v.status, "paused: board unplugged") == 0,
	              "during the gap: working, paused, timer 20 s; got %s paused %d timer %.3f '%s'",
	              bm_runner_state_name(v.state), v.paused, v.timer_s, v.status);
	ck_assert_int_eq(bm_runner_source_back(s.r, 30.0), BM_RUNNER_OK);
	sim_drain(&s);
	ck_assert_msg(sim_line(&s, "paused: board unplugged", 0) >= 0 &&
	              sim_line(&s, "board back: the set continues", 0) >= 0, "pause and back lines");
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING && !v.paused && NEAR(v.timer_s, 20, 1e-9),
	              "back: the set continues from 20 s, got %s %.3f", bm_runner_state_name(v.state), v.timer_s);
	/* 25 s more completes the 45 s */
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 25, 300);
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.sets[0].flags == (BM_SET_F_DONE | BM_SET_F_INTERRUPTED) &&
	              NEAR(sum.sets[0].achieved, 45, 1e-6) && sum.sets[0].efforts[0] == 2,
	              "set 1: expected done+interrupted, 45 s from 2 efforts; got flags %u %.3f s %d efforts",
	              sum.sets[0].flags, sum.sets[0].achieved, sum.sets[0].efforts[0]);
	ck_assert_msg(sim_cue_count(&s, BM_RUN_CUE_TARGET) == 1, "target reached once");
	ck_assert_msg(NEAR(sum.sets[0].peak_above_rest_n[0], 330, 1e-9),
	              "peak from the cut effort kept: %.1f", sum.sets[0].peak_above_rest_n[0]);

	/* Set 2: the detector gives no end for the cut effort before the
	 * board is back; the runner counts it up to the loss, and the late
	 * end replaces that count rather than adding to it. */
	sim_wait_state(&s, BM_RUN_WORKING, 40);
	t0 = sim_now(&s) + 1;
	sim_advance(&s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_BOTH, t0), BM_RUNNER_OK);
	sim_advance(&s, t0 + 15);
	ck_assert_int_eq(bm_runner_source_lost(s.r, t0 + 15), BM_RUNNER_OK);
	sim_advance(&s, t0 + 18);
	ck_assert_int_eq(bm_runner_source_back(s.r, t0 + 18), BM_RUNNER_OK);
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(NEAR(sum.sets[1].hold_s[0], 15, 1e-6) && sum.sets[1].flags == BM_SET_F_INTERRUPTED,
	              "counted to the loss: expected 15 s interrupted, got %.3f flags %u",
	              sum.sets[1].hold_s[0], sum.sets[1].flags);
	ck_assert_int_eq(bm_runner_effort_end(s.r, 0, BM_EFFORT_HOLD, t0, t0 + 15.05, 340, 310), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_effort_end(s.r, 1, BM_EFFORT_HOLD, t0, t0 + 15.05, 320, 300), BM_RUNNER_OK);
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(NEAR(sum.sets[1].hold_s[0], 15.05, 1e-6) && NEAR(sum.sets[1].mean_above_rest_n[0], 310, 1e-9),
	              "replaced by the measured effort: expected 15.05 s at 310 N, got %.3f s %.1f N",
	              sum.sets[1].hold_s[0], sum.sets[1].mean_above_rest_n[0]);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING, "the set did not end on the cut effort");
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 30, 300);
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && NEAR(sum.sets[1].achieved, 45.05, 1e-6) &&
	              !(sum.sets[1].flags & BM_SET_F_SHORT),
	              "set 2: expected 45.05 s, not short; got %.3f flags %u", sum.sets[1].achieved,
	              sum.sets[1].flags);
	ck_assert_msg(sum.sets_interrupted == 2, "2 sets interrupted, got %zu", sum.sets_interrupted);
	sim_free(&s);
}
END_TEST

/* One rep per leg, the right heel 0.05 s behind the left. */
static void rep_both(struct sim *s, double at, double dur)
{
	sim_advance(s, at);
	double t0 = sim_now(s);
	ck_assert_int_eq(bm_runner_effort_begin(s->r, BM_SIDE_LEFT, t0), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_effort_begin(s->r, BM_SIDE_RIGHT, t0 + 0.05), BM_RUNNER_OK);
	s->force_n[0] = s->force_n[1] = 400;
	sim_advance(s, t0 + dur);
	double t1 = sim_now(s);
	s->force_n[0] = s->force_n[1] = 0;
	ck_assert_int_eq(bm_runner_effort_end(s->r, 0, BM_EFFORT_REP, t0, t1, 420, 380), BM_RUNNER_OK);
	sim_drain(s);
	sim_advance(s, t1 + 0.05);
	ck_assert_int_eq(bm_runner_effort_end(s->r, 1, BM_EFFORT_REP, t0 + 0.05, t1 + 0.05, 400, 360),
	                 BM_RUNNER_OK);
	sim_drain(s);
}

START_TEST(double_leg_reps_counted_once)
{
	struct bm_protocol proto;
	struct sim s;
	ck_assert_int_eq(bm_protocol_builtin(1, &proto), BM_PROTOCOL_OK); /* 3 x 15, rest 90 */
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	double t = sim_now(&s) + 0.5;
	for (int i = 0; i < 15; i++, t += 2.0)
		rep_both(&s, t, 1.5);
	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_REST, "15 reps end the set, got %s", bm_runner_state_name(v.state));
	ck_assert_msg(sim_line(&s, "rep 1 of 15", 0) >= 0 && sim_line(&s, "rep 15 of 15", 0) >= 0 &&
	              sim_line(&s, "rep 16 of 15", 0) < 0 && sim_line(&s, "set 1 done: 15 reps", 0) >= 0,
	              "rep lines 1..15 once each and the set line");
	/* a 16th rep during the rest is not counted anywhere */
	rep_both(&s, sim_now(&s) + 5, 1.5);
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.sets[0].reps[0] == 15 && sum.sets[0].reps[1] == 15 && sum.sets[0].achieved == 15 &&
	              sum.sets[0].flags == BM_SET_F_DONE,
	              "set 1: expected 15 reps per leg (the right heel's last one after the set ended), got %d/%d, %g",
	              sum.sets[0].reps[0], sum.sets[0].reps[1], sum.sets[0].achieved);
	ck_assert_msg(sum.sets[1].reps[0] == 0, "set 2 untouched by the rest's rep");
	ck_assert_msg(NEAR(sum.sets[0].mean_above_rest_n[1], 360, 1e-9) &&
	              NEAR(sum.sets[0].peak_above_rest_n[0], 420, 1e-9), "rep forces per leg");
	for (int set = 2; set <= 3; set++) {
		sim_wait_state(&s, BM_RUN_WORKING, 100);
		t = sim_now(&s) + 0.5;
		for (int i = 0; i < 15; i++, t += 2.0)
			rep_both(&s, t, 1.5);
	}
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && sum.reps[0] == 45 && sum.reps[1] == 45,
	              "45 reps per leg in all, got %d/%d", sum.reps[0], sum.reps[1]);
	ck_assert_msg(NEAR(sum.asym_pct, 20.0 / 380 * 100, 1e-9) && sum.weaker == 1,
	              "rep asymmetry %.3f, weaker %d", sum.asym_pct, sum.weaker);
	sim_free(&s);
}
END_TEST

static void reps_one_leg(struct sim *s, enum bm_side side, int n)
{
	double t = sim_now(s) + 0.5;
	for (int i = 0; i < n; i++, t += 2.0)
		sim_effort(s, side, BM_EFFORT_REP, t - sim_now(s), 1.5, 300);
}

START_TEST(fatigue_per_leg)
{
	struct bm_protocol proto;
	struct sim s;
	ck_assert_int_eq(bm_protocol_builtin(2, &proto), BM_PROTOCOL_OK);
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	reps_one_leg(&s, BM_SIDE_LEFT, 10);
	sim_effort(&s, BM_SIDE_RIGHT, BM_EFFORT_REP, 0.1, 1.0, 50); /* the other foot: ignored */
	reps_one_leg(&s, BM_SIDE_LEFT, 14);
	double last = sim_now(&s);
	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING && v.count == 24 && strcmp(v.status, "reps to fatigue: 24") == 0,
	              "24 reps so far, got %d '%s'", v.count, v.status);
	sim_wait_state(&s, BM_RUN_REST, 10);
	ck_assert_msg(NEAR(sim_now(&s) - last, 5, 0.02), "over 5 s after the last rep, got %.3f",
	              sim_now(&s) - last);
	ck_assert_msg(sim_line(&s, "set 1 done: 24 reps to fatigue, left leg (average)", 0) >= 0,
	              "left result line");
	sim_wait_state(&s, BM_RUN_WORKING, 130);
	reps_one_leg(&s, BM_SIDE_RIGHT, 18);
	sim_wait_state(&s, BM_RUN_FINISHED, 10);
	ck_assert_msg(sim_line(&s, "set 2 done: 18 reps to fatigue, right leg (poor)", 0) >= 0,
	              "right result line");
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.fatigue_reps[0] == 24 && sum.fatigue_reps[1] == 18,
	              "fatigue reps expected 24/18, got %d/%d", sum.fatigue_reps[0], sum.fatigue_reps[1]);
	ck_assert_msg(isnan(sum.sets[0].target) && sum.sets[0].reps[1] == 0, "no target; right ignored");
	char text[4096];
	bm_runner_format_summary(&sum, text, sizeof text);
	ck_assert_msg(strstr(text, "reps to fatigue: left 24 (average) right 18 (poor)"), "summary:\n%s", text);
	sim_free(&s);
}
END_TEST

START_TEST(waits_without_failing)
{
	struct bm_protocol proto;
	struct sim s;
	struct bm_runner_view v;
	sim_protocol("name: w\nset: hold 30 s\n", &proto);
	sim_start(&s, &proto, NULL);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_advance(&s, sim_now(&s) + 19.9);
	bm_runner_view(s.r, &v);
	ck_assert_msg(!v.waiting_long, "not yet at 19.9 s");
	sim_advance(&s, sim_now(&s) + 100);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING && v.waiting_long &&
	              strcmp(v.status, "waiting: push when you are ready, or skip") == 0,
	              "after 2 minutes still working and asking; got %s '%s'", bm_runner_state_name(v.state),
	              v.status);
	ck_assert_msg(sim_line(&s, "still waiting: push when you are ready", 0) >= 0, "asked once");
	int asked = 0;
	for (int i = 0; i < s.n_lines; i++)
		asked += strcmp(s.lines[i], "still waiting: push when you are ready") == 0;
	ck_assert_int_eq(asked, 1);
	/* a twitch does not end a hold set */
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_REP, 1, 1.0, 200);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_WORKING, "a 1 s twitch leaves the set waiting");
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 31, 200);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_FINISHED, "then the hold ends it");
	sim_free(&s);
}
END_TEST

START_TEST(early_start_and_repeats)
{
	struct bm_protocol proto;
	struct sim s;
	struct bm_runner_view v;
	sim_protocol("name: r\nset: hold 30 s rest 20 s x2\n", &proto);
	sim_start(&s, &proto, NULL);
	sim_advance(&s, 1.5);
	/* pushing during the countdown starts the set */
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 0, 30.5, 280);
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(NEAR(sum.sets[0].start_s, 1.5, 1e-9) && sum.sets[0].flags == BM_SET_F_DONE,
	              "early start: the set began at 1.5 s, got %.3f", sum.sets[0].start_s);
	/* repeat during the rest: the set just done comes again next */
	ck_assert_int_eq(bm_runner_repeat(s.r), BM_RUNNER_OK);
	sim_drain(&s);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.n_sets == 3 && v.state == BM_RUN_REST, "3 sets now, still resting");
	ck_assert_msg(sim_line(&s, "set 1 will be done again as set 2", 0) >= 0, "repeat line");
	sim_wait_state(&s, BM_RUN_WORKING, 30);
	bm_runner_view(s.r, &v);
	ck_assert_str_eq(v.prompt, "set 2 of 3 \xc2\xb7 hold 30 s");
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 30.5, 280);
	/* set 3: start, then restart it with an effort under way */
	sim_wait_state(&s, BM_RUN_WORKING, 30);
	double t0 = sim_now(&s) + 1;
	sim_advance(&s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_BOTH, t0), BM_RUNNER_OK);
	sim_advance(&s, t0 + 8);
	ck_assert_int_eq(bm_runner_repeat(s.r), BM_RUNNER_OK);
	sim_drain(&s);
	ck_assert_msg(sim_line(&s, "set 3 again", 0) >= 0, "restart line");
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_GET_READY, "restart: the countdown again");
	/* the abandoned attempt's end is not counted; the countdown goes on */
	ck_assert_int_eq(bm_runner_effort_end(s.r, 0, BM_EFFORT_HOLD, t0, t0 + 8.2, 300, 280), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_effort_end(s.r, 1, BM_EFFORT_HOLD, t0, t0 + 8.2, 300, 280), BM_RUNNER_OK);
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.sets[2].hold_s[0] == 0 && sum.sets[2].efforts[0] == 0, "restart cleared set 3");
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 30.5, 280);
	bm_runner_summary(s.r, &sum);
	ck_assert_msg(sum.finished && sum.n_sets == 3 && sum.sets_done == 3 &&
	              sum.sets[1].flags == (BM_SET_F_DONE | BM_SET_F_REPEAT),
	              "3 sets done, the second a repeat; got %zu done, flags %u", sum.sets_done,
	              sum.sets[1].flags);
	/* repeat after the end: one more set */
	ck_assert_int_eq(bm_runner_repeat(s.r), BM_RUNNER_OK);
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.state == BM_RUN_GET_READY && v.set_number == 4 && v.n_sets == 4,
	              "after the end, repeat opens set 4 of 4; got %s %zu of %zu",
	              bm_runner_state_name(v.state), v.set_number, v.n_sets);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	sim_effort(&s, BM_SIDE_BOTH, BM_EFFORT_HOLD, 1, 30.5, 280);
	bm_runner_view(s.r, &v);
	ck_assert_int_eq(v.state, BM_RUN_FINISHED);
	sim_free(&s);
}
END_TEST

START_TEST(zone_cues_follow_the_force)
{
	struct bm_protocol proto;
	struct bm_runner_params p;
	struct sim s;
	sim_protocol("name: z\nexercise: single_leg_left\nset: hold 20 s @ 70 %\n", &proto);
	params_with_mvic(&p, 300, 300); /* single-leg MVIC 480 N: zone 288-384 N */
	sim_start(&s, &proto, &p);
	sim_wait_state(&s, BM_RUN_WORKING, 5);
	struct bm_runner_view v;
	bm_runner_view(s.r, &v);
	ck_assert_msg(v.zone_valid[0] && !v.zone_valid[1] && NEAR(v.zone_low_n[0], 288, 1e-9) &&
	              NEAR(v.zone_high_n[0], 384, 1e-9),
	              "left-leg zone 288-384 N, none on the right; got %d/%d %g-%g", v.zone_valid[0],
	              v.zone_valid[1], v.zone_low_n[0], v.zone_high_n[0]);
	double t0 = sim_now(&s) + 1;
	sim_advance(&s, t0);
	ck_assert_int_eq(bm_runner_effort_begin(s.r, BM_SIDE_LEFT, t0), BM_RUNNER_OK);
	s.force_n[0] = 250; /* below */
	sim_advance(&s, t0 + 3);
	s.force_n[0] = 300; /* in */
	sim_advance(&s, t0 + 8);
	s.force_n[0] = 286; /* just below the band, within the 2 % (9.6 N) margin: still in */
	sim_advance(&s, t0 + 10);
	s.force_n[0] = 400; /* above, past the margin */
	sim_advance(&s, t0 + 13);
	s.force_n[0] = 350; /* in */
	sim_advance(&s, t0 + 21);
	s.force_n[0] = 0;
	ck_assert_int_eq(bm_runner_effort_end(s.r, 0, BM_EFFORT_HOLD, t0, t0 + 21, 400, 320), BM_RUNNER_OK);
	sim_drain(&s);
	ck_assert_msg(sim_cue_count(&s, BM_RUN_CUE_IN_ZONE) == 2 && sim_cue_count(&s, BM_RUN_CUE_OUT_OF_ZONE) == 1,
	              "expected in, out, in: got %d in, %d out", sim_cue_count(&s, BM_RUN_CUE_IN_ZONE),
	              sim_cue_count(&s, BM_RUN_CUE_OUT_OF_ZONE));
	struct bm_run_summary sum;
	bm_runner_summary(s.r, &sum);
	/* in zone from t0+3 to t0+10 and from t0+13 to t0+21: 15 s */
	ck_assert_msg(NEAR(sum.sets[0].time_in_zone_s[0], 15, 0.05) && isnan(sum.sets[0].time_in_zone_s[1]),
	              "time in zone %.3f (15) / %g (NaN)", sum.sets[0].time_in_zone_s[0],
	              sum.sets[0].time_in_zone_s[1]);
	sim_free(&s);
}
END_TEST

START_TEST(queues_overflow_is_counted)
{
	struct bm_protocol proto;
	struct bm_runner_params p;
	struct bm_runner *r = NULL;
	sim_protocol("name: q\nset: reps 1 x20\nset: reps 1 x20\n", &proto);
	bm_runner_params_default(&p);
	p.get_ready_s = 0;
	ck_assert_int_eq(bm_runner_new(&proto, &p, &r), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_start(r, 0), BM_RUNNER_OK);
	for (int i = 0; i < 40; i++) {
		double t = 1 + 2.0 * i;
		ck_assert_int_eq(bm_runner_effort_begin(r, BM_SIDE_LEFT, t), BM_RUNNER_OK);
		ck_assert_int_eq(bm_runner_effort_end(r, 0, BM_EFFORT_REP, t, t + 1, 100, 90), BM_RUNNER_OK);
	}
	struct bm_runner_view v;
	bm_runner_view(r, &v);
	ck_assert_msg(v.state == BM_RUN_FINISHED, "40 one-rep sets done");
	ck_assert_msg(v.cues_dropped > 0 && v.lines_dropped > 0,
	              "undrained queues count what they drop: cues %llu, lines %llu",
	              (unsigned long long)v.cues_dropped, (unsigned long long)v.lines_dropped);
	/* the oldest are kept */
	char buf[160];
	ck_assert_int_eq(bm_runner_next_line(r, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "set 1 of 40 \xc2\xb7 1 reps: get ready");
	bm_runner_free(r);
}
END_TEST

START_TEST(bad_calls)
{
	struct bm_protocol proto, empty;
	struct bm_runner *r = NULL;
	memset(&empty, 0, sizeof empty);
	ck_assert_int_eq(bm_runner_new(&empty, NULL, &r), BM_RUNNER_ERR_ARG);
	ck_assert_msg(r == NULL, "no runner on failure");
	ck_assert_int_eq(bm_runner_new(NULL, NULL, &r), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_protocol_builtin(0, &proto), BM_PROTOCOL_OK);
	ck_assert_int_eq(bm_runner_new(&proto, NULL, NULL), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_new(&proto, NULL, &r), BM_RUNNER_OK);
	double f[2] = {0, 0};
	ck_assert_int_eq(bm_runner_tick(r, 1, f), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_effort_begin(r, BM_SIDE_LEFT, 1), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_skip(r), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_repeat(r), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_abandon(r), BM_RUNNER_ERR_STATE);
	struct bm_runner_view v;
	bm_runner_view(r, &v);
	ck_assert_msg(v.state == BM_RUN_IDLE && v.set_number == 0 && strcmp(v.status, "not started") == 0,
	              "idle view");
	ck_assert_int_eq(bm_runner_start(r, NAN), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_start(r, 10), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_start(r, 10), BM_RUNNER_ERR_STATE);
	ck_assert_int_eq(bm_runner_tick(r, 11, f), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_tick(r, 10.5, f), BM_RUNNER_ERR_TIME);
	ck_assert_int_eq(bm_runner_tick(r, 11, NULL), BM_RUNNER_OK);
	ck_assert_int_eq(bm_runner_tick(r, NAN, f), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_effort_begin(r, BM_SIDE_NONE, 12), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_effort_end(r, 2, BM_EFFORT_HOLD, 1, 2, 0, 0), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_effort_end(r, 0, BM_EFFORT_HOLD, NAN, 2, 0, 0), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_source_lost(r, INFINITY), BM_RUNNER_ERR_ARG);
	ck_assert_int_eq(bm_runner_source_back(r, 12), BM_RUNNER_OK); /* not lost: nothing to do */
	ck_assert_int_eq(bm_runner_repeat(r), BM_RUNNER_OK);          /* restart the countdown */
	struct bm_mvic m;
	ck_assert_int_eq(bm_runner_mvic(r, 0, &m), BM_RUNNER_ERR_STATE);
	ck_assert_msg(isnan(m.single_n[0]) && isnan(m.epoch_s), "no MVIC measured: all NaN");
	bm_runner_view(NULL, &v);
	ck_assert_int_eq(v.state, BM_RUN_IDLE);
	ck_assert_int_eq(bm_runner_next_cue(NULL, NULL), 0);
	bm_runner_free(r);
	bm_runner_free(NULL);
}
END_TEST

Suite *suite_runner(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("protocols");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, isometric_completed);
	tcase_add_test(tc, failed_set_moves_on);
	tcase_add_test(tc, skipped_set_and_rest);
	tcase_add_test(tc, abandoned_midway);
	tcase_add_test(tc, unplugged_during_a_set);
	tcase_add_test(tc, double_leg_reps_counted_once);
	tcase_add_test(tc, fatigue_per_leg);
	tcase_add_test(tc, waits_without_failing);
	tcase_add_test(tc, early_start_and_repeats);
	tcase_add_test(tc, zone_cues_follow_the_force);
	tcase_add_test(tc, queues_overflow_is_counted);
	tcase_add_test(tc, bad_calls);
	suite_add_tcase(s, tc);
	return s;
}
