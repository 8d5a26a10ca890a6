/*
 * test_dose_live.c - a live session's dose from the store: every stored
 * session of the athlete (demo ones left out) becomes a dose session whose
 * hold time per leg is the store's, which is the summary's (analyze's);
 * the load from the counted holds against the MVIC; the week, today and
 * the rhythm on top; and the words the window and the terminal show.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "app_suites.h"
#include "bm_dose_live.h"
#include "bm_recording.h"

static const struct app_rec recs[] = {
	{"a-today", "Ann", 0, 0, NAN},
	{"a-yesterday", "Ann", 1, 0, NAN},
	{"a-3days", "Ann", 3, 0, NAN},
	{"a-9days", "Ann", 9, 0, NAN},
	{"a-demo", "Ann", 0, 1, NAN},
	{"b-today", "Bo", 0, 0, NAN},
};
#define NREC (sizeof recs / sizeof recs[0])

/* The summary's hold time and load of recording @p name, worked out from
 * its events here (not with the code under test). */
static void from_summary(const struct app_fixture *f, const char *name, const struct bm_mvic *mv,
                         double hold_s[2], double load_s[2])
{
	struct bm_recording r;
	char msg[600];
	ck_assert_int_eq(bm_recording_load(f->rec, name, &r, msg, sizeof msg), BM_RECORDING_OK);
	double d[2] = {0, 0}, dl[2] = {0, 0};
	for (size_t i = 0; i < r.rep.n_events; i++) {
		const struct bm_event *e = &r.rep.events[i];
		if (e->kind != BM_EVENT_HOLD || !e->counted)
			continue;
		double ref = e->single_leg ? mv->single_n[e->leg] : mv->both_n[e->leg];
		d[e->leg] += e->end_s - e->start_s;
		dl[e->leg] += (e->end_s - e->start_s) * e->mean_above_rest_n / ref;
	}
	/* The hold time (0.1 s in the summary) times the holds' weighted mean. */
	for (int leg = 0; leg < 2; leg++) {
		hold_s[leg] = r.rep.hold_time_s[leg];
		load_s[leg] = hold_s[leg] > 0 ? hold_s[leg] * dl[leg] / d[leg] : 0;
		ck_assert_msg(fabs(hold_s[leg] - d[leg]) < 0.1, "%s leg %d: hold time %.2f s, holds %.2f s",
		              name, leg, hold_s[leg], d[leg]);
	}
	bm_recording_free(&r);
}

START_TEST(stored_sessions_are_the_summaries)
{
	struct app_fixture f;
	app_fixture_open(&f, recs, NREC);
	struct bm_store_athlete ann = app_fixture_athlete(&f, "Ann");
	struct bm_store_sessions *ss = NULL;
	struct bm_store_efforts *ef = NULL;
	ck_assert_int_eq(bm_store_session_list_athlete(f.st, ann.id, 0, &ss), BM_STORE_OK);
	ck_assert_int_eq(bm_store_effort_list_athlete(f.st, ann.id, &ef), BM_STORE_OK);
	ck_assert_int_eq((int)ss->count, 5);
	struct bm_mvic mv;
	bm_mvic_init(&mv);
	mv.both_n[0] = 400;
	mv.both_n[1] = 380;
	mv.single_n[0] = 500;
	mv.single_n[1] = 480;
	struct bm_dose_session *d = NULL;
	size_t n = 0;
	struct bm_detect_params dp;
	bm_detect_params_default(&dp);
	ck_assert_int_eq(bm_dose_live_from_store(ss, ef, &mv, dp.min_hold_s, &d, &n), 0);
	ck_assert_msg(n == 4, "%zu dose sessions, expected Ann's 4 (the demo left out)", n);

	double today[2] = {0, 0}, week[2] = {0, 0}, week_load[2] = {0, 0};
	for (size_t k = 0; k < 4; k++) {
		double hold[2], load[2];
		from_summary(&f, recs[k].name, &mv, hold, load);
		const struct bm_dose_session *x = NULL;
		for (size_t i = 0; i < n; i++)
			if (d[i].epoch_s == app_fixture_day(&f, recs[k].days_ago))
				x = &d[i];
		ck_assert_msg(x != NULL, "%s is not among the dose sessions", recs[k].name);
		for (int leg = 0; leg < 2; leg++) {
			ck_assert_msg(x->hold_s[leg] == hold[leg],
			              "%s leg %d: dose %.3f s, the summary %.3f s", recs[k].name, leg,
			              x->hold_s[leg], hold[leg]);
			ck_assert_msg(fabs(x->load_weighted_s[leg] - load[leg]) < 1e-6 * (1 + load[leg]),
			              "%s leg %d: load %.4f s, from the events %.4f s", recs[k].name, leg,
			              x->load_weighted_s[leg], load[leg]);
			if (recs[k].days_ago == 0)
				today[leg] += hold[leg];
			if (recs[k].days_ago < 7) {
				week[leg] += hold[leg];
				week_load[leg] += load[leg];
			}
		}
	}
	ck_assert_msg(week[0] > 60 && week[1] > 60, "the simulated sessions hold too little: %.0f/%.0f s",
	              week[0], week[1]);

	struct bm_dose_report r;
	ck_assert_int_eq(bm_dose_report(d, n, f.now_s, NULL, &r), BM_DOSE_OK);
	for (int leg = 0; leg < 2; leg++) {
		ck_assert_msg(fabs(r.today_hold_s[leg] - today[leg]) < 1e-9, "today leg %d %.2f, %.2f",
		              leg, r.today_hold_s[leg], today[leg]);
		ck_assert_msg(fabs(r.week_hold_s[leg] - week[leg]) < 1e-9, "week leg %d %.2f, %.2f", leg,
		              r.week_hold_s[leg], week[leg]);
		ck_assert_msg(fabs(r.week_load_s[leg] - week_load[leg]) < 1e-6 * (1 + week_load[leg]),
		              "week load leg %d %.3f, %.3f", leg, r.week_load_s[leg], week_load[leg]);
	}
	ck_assert_int_eq(r.trained_days, 4);
	struct bm_dose_text t;
	bm_dose_live_text(&r, NULL, &t);
	ck_assert_msg(!r.rhythm_kept && !strcmp(t.rhythm, "every second day: not kept (2 days in a row)"),
	              "rhythm '%s'", t.rhythm);
	free(d);

	/* Without an MVIC the load is unknown, and says so. */
	ck_assert_int_eq(bm_dose_live_from_store(ss, ef, NULL, dp.min_hold_s, &d, &n), 0);
	ck_assert_int_eq(bm_dose_report(d, n, f.now_s, NULL, &r), BM_DOSE_OK);
	ck_assert_msg(isnan(r.week_load_s[0]) && isnan(r.week_load_s[1]), "load without MVIC %g/%g",
	              r.week_load_s[0], r.week_load_s[1]);
	bm_dose_live_text(&r, NULL, &t);
	ck_assert_str_eq(t.load, "load-weighted: unknown without an MVIC test");
	free(d);
	bm_store_sessions_free(ss);
	bm_store_efforts_free(ef);
	app_fixture_close(&f);
}
END_TEST

START_TEST(live_recording_from_events)
{
	struct bm_event ev[4];
	memset(ev, 0, sizeof ev);
	ev[0] = (struct bm_event){.kind = BM_EVENT_HOLD, .leg = 0, .start_s = 0, .end_s = 30,
	                          .mean_above_rest_n = 200, .counted = 1};
	ev[1] = (struct bm_event){.kind = BM_EVENT_HOLD, .leg = 0, .start_s = 40, .end_s = 45,
	                          .mean_above_rest_n = 390, .counted = 0};
	ev[2] = (struct bm_event){.kind = BM_EVENT_HOLD, .leg = 1, .start_s = 0, .end_s = 20,
	                          .mean_above_rest_n = 240, .counted = 1, .single_leg = 1};
	ev[3] = (struct bm_event){.kind = BM_EVENT_REP, .leg = 1, .start_s = 50, .end_s = 52,
	                          .mean_above_rest_n = 300};
	struct bm_mvic mv;
	bm_mvic_init(&mv);
	mv.both_n[0] = 400;
	mv.single_n[1] = 480;
	double hold[2] = {30, 20};
	struct bm_dose_session s;
	bm_dose_live_from_events(1e9, hold, ev, 4, &mv, &s);
	ck_assert_msg(s.epoch_s == 1e9 && s.hold_s[0] == 30 && s.hold_s[1] == 20, "hold %g/%g",
	              s.hold_s[0], s.hold_s[1]);
	/* 30 s at 50 % of 400 N; 20 s at 50 % of the right leg's single-leg 480 N */
	ck_assert_msg(fabs(s.load_weighted_s[0] - 15) < 1e-9 && fabs(s.load_weighted_s[1] - 10) < 1e-9,
	              "load %g/%g, expected 15/10", s.load_weighted_s[0], s.load_weighted_s[1]);
	/* No hold time: no load; no MVIC: unknown. */
	double none[2] = {0, 20};
	bm_dose_live_from_events(1e9, none, ev, 4, NULL, &s);
	ck_assert_msg(s.load_weighted_s[0] == 0 && isnan(s.load_weighted_s[1]), "load %g/%g",
	              s.load_weighted_s[0], s.load_weighted_s[1]);
}
END_TEST

START_TEST(words)
{
	struct bm_dose_report r;
	memset(&r, 0, sizeof r);
	r.today_hold_s[0] = 130;
	r.today_hold_s[1] = 115;
	r.week_hold_s[0] = 580;
	r.week_hold_s[1] = 530;
	r.today_load_s[0] = 91;
	r.today_load_s[1] = 80.4;
	r.week_load_s[0] = 365;
	r.week_load_s[1] = 330;
	r.trained_days = 4;
	r.n_days = 14;
	r.rhythm_kept = 1;
	struct bm_dose_text t;
	char line[400];
	bm_dose_live_text(&r, NULL, &t);
	bm_dose_live_line(&t, line, sizeof line);
	ck_assert_str_eq(line, "today L 2:10 R 1:55 of 2\u20135 min \u00b7 7 days L 9:40 R 8:50 \u00b7 "
	                       "every second day: kept");
	ck_assert_str_eq(t.load, "load-weighted today L 1:31 R 1:20 \u00b7 7 days L 6:05 R 5:30");
	struct bm_dose_params p;
	bm_dose_params_default(&p);
	p.aim_min_s = 90;
	p.aim_max_s = 240;
	r.rhythm_kept = 0;
	r.longest_run_days = 1;
	r.longest_rest_days = 4;
	bm_dose_live_text(&r, &p, &t);
	ck_assert_str_eq(t.today, "today L 2:10 R 1:55 of 1.5\u20134 min");
	ck_assert_str_eq(t.rhythm, "every second day: not kept (4 days' rest)");
	r.trained_days = 0;
	bm_dose_live_text(&r, &p, &t);
	ck_assert_str_eq(t.rhythm, "every second day: no session in 14 days");
	char ms[16];
	bm_dose_live_min_sec(NAN, ms, sizeof ms);
	ck_assert_str_eq(ms, "0:00");
	bm_dose_live_min_sec(3599.6, ms, sizeof ms);
	ck_assert_str_eq(ms, "60:00");
}
END_TEST

Suite *suite_dose_live(void)
{
	Suite *s = suite_create("dose_live");
	TCase *tc = tcase_create("dose_live");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, stored_sessions_are_the_summaries);
	tcase_add_test(tc, live_recording_from_events);
	tcase_add_test(tc, words);
	suite_add_tcase(s, tc);
	return s;
}
