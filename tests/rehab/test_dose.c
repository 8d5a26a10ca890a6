/*
 * test_dose.c - daily dose and the every-second-day rhythm, with the time
 * zone pinned (central European, with its daylight saving rule written
 * out, so no tz database is needed): sessions either side of midnight fall
 * on two days; the 7- and 14-day windows; the switch to summer time.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "bm_dose.h"
#include "rehab_suites.h"

/* Epoch seconds of a local wall-clock time with a known UTC offset,
 * computed without the local-time code under test. */
static double at(int y, int mo, int d, int h, int mi, int utc_offset_h)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (double)timegm(&tm) - utc_offset_h * 3600.0;
}

static void pin_tz(void)
{
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
}

static struct bm_dose_session sess(double epoch, double l, double r)
{
	struct bm_dose_session s = {epoch, {l, r}, {l * 0.7, r * 0.7}};
	return s;
}

START_TEST(local_days_across_midnight)
{
	pin_tz();
	long a, b, c;
	ck_assert_int_eq(bm_dose_local_day(at(2026, 3, 10, 23, 50, 1), &a), BM_DOSE_OK);
	ck_assert_int_eq(bm_dose_local_day(at(2026, 3, 11, 0, 10, 1), &b), BM_DOSE_OK);
	ck_assert_msg(b == a + 1, "23:50 and 00:10 local are two days: %ld, %ld", a, b);
	/* 2026-03-10 is day 20522 since 1970-01-01 */
	ck_assert_msg(a == 20522, "expected day 20522, got %ld", a);
	/* 23:30 UTC on the 10th is already the 11th in Berlin */
	ck_assert_int_eq(bm_dose_local_day(at(2026, 3, 10, 23, 30, 0), &c), BM_DOSE_OK);
	ck_assert_msg(c == a + 1, "23:30 UTC is 00:30 local: day %ld, expected %ld", c, a + 1);
	ck_assert_int_eq(bm_dose_local_day(NAN, &c), BM_DOSE_ERR_TIME);
	ck_assert_msg(bm_dose_load_weighted_s(45, 70) == 31.5, "45 s @ 70 %% = 31.5 s");
}
END_TEST

START_TEST(week_and_fortnight)
{
	pin_tz();
	struct bm_dose_session s[] = {
		sess(at(2026, 3, 2, 18, 0, 1), 300, 300),  /* 14 days ago: outside both windows */
		sess(at(2026, 3, 4, 18, 0, 1), 150, 150),
		sess(at(2026, 3, 6, 18, 0, 1), 160, 150),
		sess(at(2026, 3, 8, 18, 0, 1), 170, 140),
		sess(at(2026, 3, 10, 23, 50, 1), 100, 100),
		sess(at(2026, 3, 11, 0, 10, 1), 80, 90),    /* 20 minutes later, the next day */
		sess(at(2026, 3, 13, 18, 0, 1), 200, 190),
		sess(at(2026, 3, 16, 19, 0, 1), 60, 50),     /* today, in any order */
		sess(at(2026, 3, 15, 9, 0, 1), 240, 320),
		sess(at(2026, 3, 16, 8, 0, 1), 90, 100),
		sess(at(2026, 3, 17, 10, 0, 1), 500, 500),   /* tomorrow: ignored */
	};
	struct bm_dose_report d;
	int rc = bm_dose_report(s, sizeof s / sizeof s[0], at(2026, 3, 16, 20, 0, 1), NULL, &d);
	ck_assert_int_eq(rc, BM_DOSE_OK);
	ck_assert_msg(d.today_hold_s[0] == 150 && d.today_hold_s[1] == 150 &&
	              d.today_level[0] == BM_DOSE_IN_AIM && fabs(d.today_load_s[0] - 105) < 1e-9,
	              "today 150/150 s within the aim, load 105; got %g/%g %s %g", d.today_hold_s[0],
	              d.today_hold_s[1], bm_dose_level_name(d.today_level[0]), d.today_load_s[0]);
	/* 7 days: the 10th to the 16th */
	ck_assert_msg(d.week_hold_s[0] == 770 && d.week_hold_s[1] == 850 && d.week_days_trained == 5,
	              "week: expected 770/850 s on 5 days, got %g/%g on %d", d.week_hold_s[0],
	              d.week_hold_s[1], d.week_days_trained);
	ck_assert_msg(d.week_days_in_aim[0] == 3 && d.week_days_above[1] == 1 && d.week_days_in_aim[1] == 2,
	              "days in aim left 3, right 2 and 1 above (320 s); got %d, %d, %d",
	              d.week_days_in_aim[0], d.week_days_in_aim[1], d.week_days_above[1]);
	ck_assert_msg(fabs(d.week_mean_s_per_trained_day[0] - 154) < 1e-9, "mean per trained day %g (154)",
	              d.week_mean_s_per_trained_day[0]);
	/* 14 days: the 3rd to the 16th */
	static const unsigned char want[14] = {0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1};
	ck_assert_int_eq(d.n_days, 14);
	for (int i = 0; i < 14; i++)
		ck_assert_msg(d.trained[i] == want[i], "day %d (March %d): trained %d, expected %d", i, i + 3,
		              d.trained[i], want[i]);
	ck_assert_msg(d.trained_days == 8 && d.longest_run_days == 2 && d.longest_rest_days == 1 &&
	              !d.rhythm_kept,
	              "8 days, longest run 2 (10th-11th), longest rest 1: rhythm broken; got %d %d %d %d",
	              d.trained_days, d.longest_run_days, d.longest_rest_days, d.rhythm_kept);
}
END_TEST

START_TEST(rhythm_kept_or_lost)
{
	pin_tz();
	struct bm_dose_session s[6];
	const int days[] = {4, 6, 8, 10, 12, 14};
	for (int i = 0; i < 6; i++)
		s[i] = sess(at(2026, 3, days[i], 18, 0, 1), 180, 180);
	struct bm_dose_report d;
	double now = at(2026, 3, 16, 20, 0, 1);
	ck_assert_int_eq(bm_dose_report(s, 6, now, NULL, &d), BM_DOSE_OK);
	ck_assert_msg(d.rhythm_kept && d.longest_run_days == 1 && d.longest_rest_days == 1 &&
	              d.today_level[0] == BM_DOSE_NONE,
	              "every second day, not yet today: kept; got %d run %d rest %d", d.rhythm_kept,
	              d.longest_run_days, d.longest_rest_days);
	/* {4, 6, 8, 10, 13}: two rest days twice (11-12, 14-15): one slip allowed */
	s[4] = sess(at(2026, 3, 13, 18, 0, 1), 180, 180);
	ck_assert_int_eq(bm_dose_report(s, 5, now, NULL, &d), BM_DOSE_OK);
	ck_assert_msg(d.rhythm_kept && d.longest_rest_days == 2, "one slipped day allowed: rest %d",
	              d.longest_rest_days);
	/* {4, 6, 8, 10}: five rest days up to yesterday, lost */
	ck_assert_int_eq(bm_dose_report(s, 4, now, NULL, &d), BM_DOSE_OK);
	ck_assert_msg(!d.rhythm_kept && d.longest_rest_days == 5,
	              "10th then nothing: 5 rest days to yesterday, lost; got %d, %d", d.rhythm_kept,
	              d.longest_rest_days);
	/* strict: at most one rest day */
	struct bm_dose_params p;
	bm_dose_params_default(&p);
	ck_assert_msg(p.aim_min_s == 120 && p.aim_max_s == 300 && p.week_days == 7 && p.adherence_days == 14,
	              "defaults 2-5 min, 7 and 14 days");
	p.max_rest_days = 1;
	ck_assert_int_eq(bm_dose_report(s, 5, now, &p, &d), BM_DOSE_OK);
	ck_assert_msg(!d.rhythm_kept, "strict every second day: two rest days break it");
	/* nothing at all */
	ck_assert_int_eq(bm_dose_report(NULL, 0, now, NULL, &d), BM_DOSE_OK);
	ck_assert_msg(!d.rhythm_kept && d.trained_days == 0 && isnan(d.week_mean_s_per_trained_day[0]),
	              "no sessions: not kept, mean NaN");
	ck_assert_int_eq(bm_dose_report(NULL, 1, now, NULL, &d), BM_DOSE_ERR_ARG);
	p.adherence_days = 100;
	ck_assert_int_eq(bm_dose_report(s, 1, now, &p, &d), BM_DOSE_ERR_ARG);
	ck_assert_int_eq(bm_dose_report(s, 1, NAN, NULL, &d), BM_DOSE_ERR_TIME);
}
END_TEST

START_TEST(summer_time_and_unknown_load)
{
	pin_tz();
	/* 2026-03-29: clocks go from 02:00 CET to 03:00 CEST */
	struct bm_dose_session s[] = {
		sess(at(2026, 3, 28, 23, 59, 1), 100, 100),
		sess(at(2026, 3, 29, 0, 30, 1), 130, 130),
		sess(at(2026, 3, 29, 23, 30, 2), 40, 40),
	};
	s[2].load_weighted_s[0] = NAN;
	struct bm_dose_report d;
	ck_assert_int_eq(bm_dose_report(s, 3, at(2026, 3, 29, 23, 45, 2), NULL, &d), BM_DOSE_OK);
	ck_assert_msg(d.today_hold_s[0] == 170 && d.trained[13] && d.trained[12] && !d.trained[11],
	              "the 29th (23 hours long) holds 170 s; the 28th trained; got %g", d.today_hold_s[0]);
	ck_assert_msg(isnan(d.today_load_s[0]) && fabs(d.today_load_s[1] - 119) < 1e-9,
	              "an unknown load makes the day's load unknown: %g / %g", d.today_load_s[0],
	              d.today_load_s[1]);
}
END_TEST

Suite *suite_dose(void)
{
	Suite *s = suite_create("dose");
	TCase *tc = tcase_create("dose");
	tcase_add_test(tc, local_days_across_midnight);
	tcase_add_test(tc, week_and_fortnight);
	tcase_add_test(tc, rhythm_kept_or_lost);
	tcase_add_test(tc, summer_time_and_unknown_load);
	suite_add_tcase(s, tc);
	return s;
}
