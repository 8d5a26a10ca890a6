/*
 * test_monitor.c - the live pipeline: calibration of raw counts, tare and
 * calibration refusals, the hold timer and its audio cues, rep counting,
 * recording with gap lines.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_meta.h"
#include "bm_monitor.h"
#include "bm_sessions_dir.h"
#include "bm_summary.h"
#include "core_suites.h"

/* Raw counts for @p f newtons under offset 10000, 5e-4 N/count. */
static int32_t counts(double f)
{
	return (int32_t)lround(10000 + f / 5e-4);
}

static struct bm_calib cal_ok(void)
{
	struct bm_calib c;
	bm_calib_init(&c);
	for (int i = 0; i < 2; i++) {
		c.offset_counts[i] = 10000;
		c.scale_n_per_count[i] = 5e-4;
		c.valid[i] = 1;
	}
	return c;
}

/* Push @p secs of force f(t) (both legs) at 80 Hz from t0. */
static double feed(struct bm_monitor *m, double t0, double secs, double (*f)(double, int),
                   uint16_t *seq)
{
	struct bm_live_sample s[80];
	long n = lround(secs * 80);
	double t = t0;
	for (long i = 0; i < n;) {
		int k = 0;
		for (; k < 80 && i < n; k++, i++) {
			t = t0 + (double)i / 80.0;
			memset(&s[k], 0, sizeof s[k]);
			s[k].t_s = t;
			s[k].has_raw = 1;
			s[k].needs_cal = 1;
			s[k].seq = (*seq)++;
			for (int leg = 0; leg < 2; leg++) {
				/* a little deterministic noise so nothing is exactly flat */
				double noise = 0.3 * sin(12.9898 * (double)i + leg);
				s[k].raw_counts[leg] = counts(f(t, leg) + noise);
				s[k].force_n[leg] = NAN;
			}
		}
		bm_monitor_push(m, s, (size_t)k);
	}
	return t0 + (double)n / 80.0;
}

/* A pipeline at 80 Hz with the defaults (target 30 s, 10 %), calibrated
 * with @p c. */
static struct bm_monitor *monitor_80hz(const struct bm_calib *c)
{
	struct bm_monitor_params p;
	bm_monitor_params_default(&p);
	p.rate_hz = 80;
	struct bm_monitor *m = bm_monitor_new(&p, c);
	ck_assert_ptr_nonnull(m);
	return m;
}

static double rest(double t, int leg)
{
	(void)t;
	return leg ? 45 : 55;
}

static double hold_45s(double t, int leg)
{
	/* rest 50, a hold from 5 to 50 s at 300/250 N (ramps of 1 s) */
	double top = leg ? 250 : 300, x = 50;
	if (t > 5 && t < 6)
		x = 50 + (top - 50) * (t - 5);
	else if (t >= 6 && t < 49)
		x = top;
	else if (t >= 49 && t < 50)
		x = top - (top - 50) * (t - 49);
	return x;
}

static double loaded(double t, int leg)
{
	(void)t;
	return leg ? 250 : 300;
}

static double reps(double t, int leg)
{
	(void)leg;
	/* 6 reps of 2 s, 2 s apart, from t = 5 */
	double u = t - 5;
	if (u < 0 || u >= 24)
		return 50;
	double ph = fmod(u, 4.0);
	return ph < 2 ? 50 + 200 * sin(M_PI * ph / 2) : 50;
}

START_TEST(calibrates_counts)
{
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = monitor_80hz(&c);
	uint16_t seq = 0;
	feed(m, 0, 10, rest, &seq);
	struct bm_monitor_state st;
	bm_monitor_get_state(m, &st);
	ck_assert_msg(fabs(st.force_n[0] - 55) < 1 && fabs(st.force_n[1] - 45) < 1,
	              "forces %.2f %.2f, expected 55 and 45", st.force_n[0], st.force_n[1]);
	ck_assert_msg(fabs(st.rate_hz - 80) < 0.5, "rate %.2f", st.rate_hz);
	ck_assert_int_eq(st.samples, 800);
	bm_monitor_free(m);
}
END_TEST

START_TEST(tare_refusals)
{
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = monitor_80hz(&c);
	uint16_t seq = 0;
	char msg[300];
	/* Loaded plates: refused, naming the load, calibration unchanged. */
	double t = feed(m, 0, 3, loaded, &seq);
	ck_assert_int_eq(bm_monitor_tare(m, msg, sizeof msg), BM_CALIB_ERR_LOADED);
	ck_assert_msg(strstr(msg, "300 N") && strstr(msg, "lift"), "message: %s", msg);
	struct bm_calib now;
	bm_monitor_get_calib(m, &now);
	ck_assert_msg(now.offset_counts[0] == 10000, "refused tare changed the offset");
	/* Moving: refused. */
	t = feed(m, t, 1, reps, &seq);
	/* Empty plates (a few newtons of drift): tare moves the zero. */
	feed(m, t, 3, rest, &seq);
	struct bm_calib drift = cal_ok();
	drift.offset_counts[0] = drift.offset_counts[1] = 10000 + 20 / 5e-4; /* reads 20 N low */
	bm_monitor_set_calib(m, &drift);
	ck_assert_int_eq(bm_monitor_tare(m, msg, sizeof msg), BM_CALIB_ERR_LOADED);
	bm_calib_init(&drift);
	bm_monitor_set_calib(m, &drift); /* uncalibrated: only stillness counts */
	ck_assert_msg(bm_monitor_tare(m, msg, sizeof msg) == BM_CALIB_OK, "tare at rest: %s", msg);
	bm_monitor_get_calib(m, &now);
	ck_assert_msg(fabs(now.offset_counts[0] - counts(55)) < 50, "offset %.1f, expected %d",
	              now.offset_counts[0], counts(55));
	/* Calibrate the left plate with 20 kg on it: 196.133 N above zero. */
	struct bm_calib zero = cal_ok();
	bm_monitor_set_calib(m, &zero);
	bm_monitor_cal_begin(m);
	/* 3.6 times the earlier scale: refused unless confirmed. */
	ck_assert_int_eq(bm_monitor_cal_measure(m, 0, 20.0, 0, msg, sizeof msg),
	                 BM_CALIB_ERR_NO_RESPONSE);
	ck_assert_msg(strstr(msg, "override"), "message offers the override: %s", msg);
	ck_assert_int_eq(bm_monitor_cal_measure(m, 0, 20.0, 1, msg, sizeof msg), BM_CALIB_OK);
	bm_monitor_get_calib(m, &now);
	ck_assert_msg(now.scale_n_per_count[0] == 5e-4, "nothing applied before the commit");
	bm_monitor_cal_commit(m);
	bm_monitor_get_calib(m, &now);
	/* The plates read 55 N of "mass" here: 20 kg = 196.133 N over 110000
	 * counts (55 N at 5e-4), so the new scale is 196.133 / 110000. */
	ck_assert_msg(fabs(now.scale_n_per_count[0] - 196.133 / 110000.0) < 1e-6, "scale %.6g",
	              now.scale_n_per_count[0]);
	bm_monitor_free(m);
}
END_TEST

START_TEST(hold_timer_and_cues)
{
	struct bm_monitor_params p;
	bm_monitor_params_default(&p);
	p.rate_hz = 80;
	p.hold_target_s = 30;
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = bm_monitor_new(&p, &c);
	uint16_t seq = 0;
	/* "Today" counts recordings: record this one. */
	char dir[] = "/tmp/bm_test_today_XXXXXX", csv[128], msg[600];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(csv, sizeof csv, "%s/t.csv", dir);
	struct bm_capture_files files = {csv, NULL, NULL, NULL};
	ck_assert_int_eq(bm_monitor_capture_start(m, &files, NULL, msg, sizeof msg), 0);
	enum bm_live_cue cues[32], q;
	int nc = 0;
	struct bm_monitor_state st;
	int was_active = 0;
	double longest = 0;
	for (double t = 0; t < 60; t += 0.5) {
		feed(m, t, 0.5, hold_45s, &seq);
		bm_monitor_get_state(m, &st);
		while (bm_monitor_next_cue(m, &q) && nc < 32)
			cues[nc++] = q;
		was_active |= st.hold_active;
		if (st.hold_active)
			longest = st.hold_elapsed_s;
	}
	ck_assert_msg(was_active, "the hold timer never ran");
	ck_assert_msg(!st.hold_active, "the hold timer still runs after the hold");
	/* Live, the timer runs until the release is certain (1 s below the
	 * threshold); once the hold's event is in, it shows the hold itself:
	 * threshold to threshold, about 44.8 s here. */
	ck_assert_msg(longest > 44 && longest < 46.5, "hold timer reached %.1f s", longest);
	ck_assert_msg(fabs(st.hold_elapsed_s - 44.8) < 0.5, "last hold shown as %.1f s, expected ~44.8",
	              st.hold_elapsed_s);
	ck_assert_msg(fabs(st.today_hold_s - 44) < 1.0, "today %.1f s", st.today_hold_s);
	/* HOLD_START, ticks at 10/20/30/40 s, TARGET at 30 s, HOLD_END. */
	ck_assert_msg(nc >= 7, "%d cues", nc);
	ck_assert_int_eq(cues[0], BM_LIVE_CUE_HOLD_START);
	ck_assert_int_eq(cues[nc - 1], BM_LIVE_CUE_HOLD_END);
	int ticks = 0, target = 0;
	for (int i = 0; i < nc; i++) {
		ticks += cues[i] == BM_LIVE_CUE_TICK;
		target += cues[i] == BM_LIVE_CUE_TARGET;
	}
	ck_assert_msg(ticks == 4 && target == 1, "%d ticks and %d target cues", ticks, target);
	/* On the force above rest (50 N): 250 against 200 N. */
	ck_assert_msg(st.effort_valid && fabs(st.effort_asym_pct - 100.0 * 50 / 250) < 1.5,
	              "effort asymmetry %.1f %%", st.effort_asym_pct);
	ck_assert_int_eq(st.effort_weaker, 1);
	ck_assert_int_eq(st.effort_flagged, 1);
	bm_monitor_free(m);
	snprintf(msg, sizeof msg, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(msg), 0);
}
END_TEST

START_TEST(rep_counter)
{
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = monitor_80hz(&c);
	uint16_t seq = 0;
	enum bm_live_cue q;
	int rep_cues = 0;
	struct bm_monitor_state st;
	for (double t = 0; t < 35; t += 0.25) {
		feed(m, t, 0.25, reps, &seq);
		while (bm_monitor_next_cue(m, &q))
			rep_cues += q == BM_LIVE_CUE_REP;
	}
	bm_monitor_get_state(m, &st);
	ck_assert_msg(st.reps[0] == 6 && st.reps[1] == 6, "reps %u/%u, expected 6/6", st.reps[0],
	              st.reps[1]);
	ck_assert_msg(rep_cues == 12, "%d rep cues, expected 12 (6 per leg)", rep_cues);
	ck_assert_msg(fabs(st.last_rep_peak_n[0] - 250) < 5, "peak %.1f", st.last_rep_peak_n[0]);
	ck_assert_int_eq(st.hold_active, 0);
	bm_monitor_free(m);
}
END_TEST

START_TEST(recording_marks_gaps)
{
	char dir[] = "/tmp/bm_test_monitor_XXXXXX", csv[128], ev[128], sum[128], msg[600];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(csv, sizeof csv, "%s/s.csv", dir);
	bm_sessions_companion_paths(csv, ev, sum, sizeof ev);
	ck_assert_str_eq(strrchr(ev, '/'), "/s.events.csv");
	ck_assert_str_eq(strrchr(sum, '/'), "/s.summary.json");
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = monitor_80hz(&c);
	char mp[160];
	bm_meta_path(csv, mp, sizeof mp);
	struct bm_capture_files files = {csv, ev, sum, mp};
	ck_assert_int_eq(bm_monitor_capture_start(m, &files, NULL, msg, sizeof msg), 0);
	ck_assert_int_eq(bm_monitor_capture_start(m, &files, NULL, msg, sizeof msg), -1);
	uint16_t seq = 0;
	double t = feed(m, 0, 20, hold_45s, &seq);
	seq += 3; /* three frames lost on the way */
	t = feed(m, t + 3 / 80.0, 5, hold_45s, &seq);
	bm_monitor_mark_gap(m, "device disconnected");
	feed(m, t + 2, 50, hold_45s, &seq);
	struct bm_monitor_state st;
	bm_monitor_get_state(m, &st);
	ck_assert_int_eq(st.recording, 1);
	ck_assert_int_eq(st.lost, 0); /* lost_before comes from the source */
	ck_assert_int_eq(bm_monitor_capture_stop(m, msg, sizeof msg), 0);
	bm_monitor_get_state(m, &st);
	bm_monitor_free(m);
	/* Per leg, what analyze says of the file (the summary, 0.1 s). */
	struct bm_report rep;
	ck_assert_int_eq(bm_summary_read(sum, &rep, NULL, msg, sizeof msg), BM_SUMMARY_OK);
	for (int leg = 0; leg < 2; leg++)
		ck_assert_msg(rep.hold_time_s[leg] > 10 &&
		                  fabs(st.session_hold_leg_s[leg] - rep.hold_time_s[leg]) < 0.06,
		              "leg %d: hold time %.2f s counted, the summary says %.1f s", leg,
		              st.session_hold_leg_s[leg], rep.hold_time_s[leg]);
	ck_assert_msg(st.session_hold_s == fmax(st.session_hold_leg_s[0], st.session_hold_leg_s[1]),
	              "session hold %.2f s is not the larger leg's", st.session_hold_s);
	bm_report_free(&rep);

	FILE *f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	char line[256];
	int comments = 0, rows = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			comments++;
		else
			rows++;
	}
	fclose(f);
	/* Header and rows only; the gap is in the sidecar. */
	ck_assert_int_eq(comments, 0);
	ck_assert_int_eq(rows, 1 + 80 * 75);
	struct bm_meta meta;
	ck_assert_int_eq(bm_meta_read(mp, &meta, msg, sizeof msg), BM_META_OK);
	ck_assert_msg(meta.n_gaps == 1 && !strcmp(meta.gaps[0].why, "device disconnected"),
	              "%zu gaps in the sidecar, expected the disconnect", meta.n_gaps);
	ck_assert_msg(meta.closed && meta.n_cal == 1 && meta.cal[0].cal.scale_n_per_count[0] == 5e-4,
	              "sidecar closed with the calibration in force");
	bm_meta_free(&meta);
	f = fopen(sum, "r");
	ck_assert_msg(f != NULL, "no summary");
	fclose(f);
	snprintf(line, sizeof line, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(line), 0);
}
END_TEST

/* A pain score typed in mid-recording reaches the sidecar at once, and
 * stays there at the stop. */
START_TEST(context_mid_recording)
{
	char dir[] = "/tmp/bm_test_context_XXXXXX", csv[128], mp[160], msg[600];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(csv, sizeof csv, "%s/c.csv", dir);
	bm_meta_path(csv, mp, sizeof mp);
	struct bm_calib c = cal_ok();
	struct bm_monitor *m = monitor_80hz(&c);
	struct bm_meta meta, back;
	bm_meta_init(&meta);
	snprintf(meta.ctx.athlete, sizeof meta.ctx.athlete, "Ann");
	struct bm_capture_files files = {csv, NULL, NULL, mp};
	ck_assert_int_eq(bm_monitor_capture_start(m, &files, &meta, msg, sizeof msg), 0);
	uint16_t seq = 0;
	feed(m, 0, 2, rest, &seq);
	meta.ctx.pain_before = 3;
	bm_monitor_set_context(m, &meta.ctx);
	ck_assert_int_eq(bm_meta_read(mp, &back, msg, sizeof msg), BM_META_OK);
	ck_assert_msg(back.ctx.pain_before == 3 && !strcmp(back.ctx.athlete, "Ann") && !back.closed,
	              "sidecar during the recording: pain before %g, athlete '%s', closed %d",
	              back.ctx.pain_before, back.ctx.athlete, back.closed);
	bm_meta_free(&back);
	feed(m, 2, 2, rest, &seq);
	ck_assert_int_eq(bm_monitor_capture_stop(m, msg, sizeof msg), 0);
	ck_assert_int_eq(bm_meta_read(mp, &back, msg, sizeof msg), BM_META_OK);
	ck_assert_msg(back.ctx.pain_before == 3 && back.closed && isnan(back.ctx.pain_after),
	              "sidecar at the stop: pain before %g (3), closed %d, pain after %g (none)",
	              back.ctx.pain_before, back.closed, back.ctx.pain_after);
	bm_meta_free(&back);
	bm_meta_free(&meta);
	bm_monitor_free(m);
	snprintf(msg, sizeof msg, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(msg), 0);
}
END_TEST

START_TEST(session_file_names)
{
	char dir[] = "/tmp/bm_test_names_XXXXXX", a[256], b[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(bm_sessions_new_path(dir, 1764091234.0, "", a, sizeof a), 0);
	ck_assert_msg(strstr(a, ".csv") && !strchr(strrchr(a, '/'), ':'), "name %s", a);
	FILE *f = fopen(a, "w");
	fclose(f);
	ck_assert_int_eq(bm_sessions_new_path(dir, 1764091234.0, "", b, sizeof b), 0);
	ck_assert_msg(strcmp(a, b) != 0 && strstr(b, "-2.csv"), "second name %s", b);
	snprintf(a, sizeof a, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(a), 0);
}
END_TEST

Suite *suite_monitor(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tcase_create("monitor");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, calibrates_counts);
	tcase_add_test(tc, tare_refusals);
	tcase_add_test(tc, hold_timer_and_cues);
	tcase_add_test(tc, rep_counter);
	tcase_add_test(tc, recording_marks_gaps);
	tcase_add_test(tc, context_mid_recording);
	tcase_add_test(tc, session_file_names);
	suite_add_tcase(s, tc);
	return s;
}
