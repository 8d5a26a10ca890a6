/*
 * test_report.c - pairing left and right efforts, asymmetry, the limb
 * symmetry index, and the table/JSON/events writers.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_report.h"
#include "bm_summary.h"
#include "core_suites.h"

static struct bm_event ev(enum bm_event_kind k, int leg, double a, double b, double level,
                          int single)
{
	struct bm_event e;
	memset(&e, 0, sizeof e);
	e.kind = k;
	e.leg = leg;
	e.start_s = a;
	e.end_s = b;
	e.mean_n = level;
	e.peak_n = k == BM_EVENT_REP ? level : level + 10;
	/* Resting level 0: the forces above rest are the forces. */
	e.baseline_n = 0;
	e.mean_above_rest_n = e.mean_n;
	e.peak_above_rest_n = e.peak_n;
	e.counted = k == BM_EVENT_HOLD && b - a >= 10;
	e.dip_min_n = NAN;
	e.tut_s = b - a;
	e.single_leg = single;
	e.tremor_hz = e.tremor_rms_n = NAN;
	return e;
}

START_TEST(pairs_and_lsi)
{
	struct bm_event in[] = {
		ev(BM_EVENT_HOLD, 1, 10.5, 40, 240, 0),
		ev(BM_EVENT_HOLD, 0, 10, 40, 300, 0),
		ev(BM_EVENT_REP, 0, 50, 52, 400, 0),
		ev(BM_EVENT_REP, 1, 50.1, 52, 390, 0),
		/* one left rep overlapping two right reps: the larger overlap wins */
		ev(BM_EVENT_REP, 0, 60, 62, 300, 0),
		ev(BM_EVENT_REP, 1, 60.5, 62.5, 330, 0),
		ev(BM_EVENT_REP, 1, 61.9, 63, 100, 0),
		/* single-leg holds: never paired, even when they overlap */
		ev(BM_EVENT_HOLD, 0, 100, 130, 500, 1),
		ev(BM_EVENT_HOLD, 1, 100, 130, 450, 1),
		ev(BM_EVENT_HOLD, 1, 200, 230, 470, 1),
		/* a hold and a rep never pair */
		ev(BM_EVENT_HOLD, 0, 300, 320, 200, 0),
		ev(BM_EVENT_REP, 1, 305, 307, 200, 0),
	};
	size_t n = sizeof in / sizeof in[0];
	struct bm_report r;
	ck_assert_int_eq(bm_report_build(in, n, 10.0, &r), 0);
	ck_assert_int_eq(r.n_events, n);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(r.events[i - 1].start_s <= r.events[i].start_s, "events sorted by start");
	ck_assert_int_eq(r.n_pairs, 3);
	const struct bm_bilateral *p = &r.pairs[0];
	ck_assert_int_eq(p->kind, BM_EVENT_HOLD);
	ck_assert_msg(fabs(p->asymmetry_pct - 20.0) < 1e-9, "hold asymmetry %.3f", p->asymmetry_pct);
	ck_assert_int_eq(p->weaker, 1);
	ck_assert_int_eq(p->flagged, 1);
	ck_assert_msg(p->start_s == 10 && p->end_s == 40, "pair spans %.1f-%.1f", p->start_s, p->end_s);
	p = &r.pairs[1];
	ck_assert_msg(fabs(p->asymmetry_pct - 2.5) < 1e-9 && !p->flagged && p->weaker == 1,
	              "rep pair: %.2f %% weaker %d", p->asymmetry_pct, p->weaker);
	p = &r.pairs[2];
	ck_assert_msg(p->right_n == 330 && p->weaker == 0, "matched the larger overlap: right %.0f",
	              p->right_n);
	ck_assert_msg(fabs(r.lsi_pct - 94.0) < 1e-9, "LSI %.3f, expected 94 (470 / 500)", r.lsi_pct);
	ck_assert_msg(r.best_single_hold_n[0] == 500 && r.best_single_hold_n[1] == 470, "best holds");
	ck_assert_uint_eq(r.reps[0], 2);
	ck_assert_uint_eq(r.reps[1], 4);
	ck_assert_msg(fabs(r.hold_time_s[0] - (30 + 30 + 20)) < 1e-9, "left hold time %.1f",
	              r.hold_time_s[0]);

	/* Writers: the table names the flag, JSON carries the keys, events CSV
	 * has one row per event. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(bm_report_write_table(&r, f), 0);
	fclose(f);
	ck_assert_msg(strstr(buf, "FLAGGED") && strstr(buf, "LSI 94.0"), "table:\n%s", buf);
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(bm_report_write_json(&r, f), 0);
	fclose(f);
	ck_assert_msg(strstr(buf, "\"single_leg_lsi_pct\": 94.0") && strstr(buf, "\"tremor_hz\": null"),
	              "json:\n%s", buf);
	free(buf);
	/* The hold time reads back from a summary file. */
	char path[] = "/tmp/bm_test_summary_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_int_eq(bm_report_write_json(&r, f), 0);
	fclose(f);
	struct bm_report back;
	char why[600];
	ck_assert_int_eq(bm_summary_read(path, &back, NULL, why, sizeof why), BM_SUMMARY_OK);
	ck_assert_msg(fabs(back.hold_time_s[0] - 80.0) < 0.05 &&
	              fabs(back.hold_time_s[1] - r.hold_time_s[1]) < 0.05,
	              "hold time read back %.1f / %.1f", back.hold_time_s[0], back.hold_time_s[1]);
	bm_report_free(&back);
	unlink(path);
	ck_assert_int_eq(bm_summary_read("/nonexistent/x.json", &back, NULL, why, sizeof why),
	                 BM_SUMMARY_NOT_FOUND);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(bm_report_write_events_csv(&r, f), 0);
	fclose(f);
	int lines = 0;
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	ck_assert_int_eq(lines, (int)n + 1);
	free(buf);
	bm_report_free(&r);
}
END_TEST

START_TEST(lsi_needs_both_legs)
{
	struct bm_event in[] = {ev(BM_EVENT_HOLD, 0, 0, 20, 300, 1)};
	struct bm_report r;
	ck_assert_int_eq(bm_report_build(in, 1, 10.0, &r), 0);
	ck_assert_msg(isnan(r.lsi_pct), "LSI with one leg only must be undefined");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bm_report_write_json(&r, f);
	fclose(f);
	ck_assert_msg(strstr(buf, "\"single_leg_lsi_pct\": null") != NULL, "json:\n%s", buf);
	free(buf);
	bm_report_free(&r);
	ck_assert_int_eq(bm_report_build(NULL, 0, 10.0, &r), 0);
	ck_assert_int_eq(r.n_events, 0);
	bm_report_free(&r);
}
END_TEST

START_TEST(short_holds_not_in_hold_time)
{
	/* A 5 s maximal effort is reported as a hold, but only holds of at
	 * least min_hold_s (counted) add to the hold time. */
	struct bm_event in[] = {
		ev(BM_EVENT_HOLD, 0, 10, 40, 300, 0),
		ev(BM_EVENT_HOLD, 0, 60, 65, 450, 0),
		ev(BM_EVENT_HOLD, 1, 60, 69.5, 420, 0),
	};
	struct bm_report r;
	ck_assert_int_eq(bm_report_build(in, 3, 10.0, &r), 0);
	ck_assert_msg(r.holds[0] == 2 && r.holds[1] == 1, "holds %u / %u, expected 2 / 1",
	              r.holds[0], r.holds[1]);
	ck_assert_msg(r.hold_time_s[0] == 30 && r.hold_time_s[1] == 0,
	              "hold time %.1f / %.1f s, expected 30 / 0 (short holds do not count)",
	              r.hold_time_s[0], r.hold_time_s[1]);
	bm_report_free(&r);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_test(tc, pairs_and_lsi);
	tcase_add_test(tc, lsi_needs_both_legs);
	tcase_add_test(tc, short_holds_not_in_hold_time);
	suite_add_tcase(s, tc);
	return s;
}
