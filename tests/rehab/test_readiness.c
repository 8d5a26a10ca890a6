/*
 * test_readiness.c - the return-to-run checklist: met, not met and unknown
 * items with their numbers, the latest sessions chosen by date.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "bm_readiness.h"
#include "rehab_suites.h"

#define DAY 86400.0

static struct bm_readiness_session rs(double day, double peak, double imp, double pain)
{
	struct bm_readiness_session s = {day * DAY, peak, imp, pain};
	return s;
}

static void check_item(const struct bm_readiness *r, int item, enum bm_ready_status want,
                       const char *text_part)
{
	ck_assert_msg(r->items[item].status == want, "item %d: expected %s, got %s: '%s'", item,
	              bm_ready_status_name(want), bm_ready_status_name(r->items[item].status),
	              r->items[item].text);
	ck_assert_msg(strstr(r->items[item].text, text_part) != NULL, "item %d: expected '%s' in '%s'",
	              item, text_part, r->items[item].text);
}

START_TEST(all_met)
{
	/* out of order; an older bad session is not among the last two */
	struct bm_readiness_session s[] = {rs(12, 95, 93, 1), rs(3, 70, 65, 8), rs(10, 92, 91, 2)};
	const int reps[2] = {24, 22};
	struct bm_readiness r;
	ck_assert_int_eq(bm_readiness_check(s, 3, reps, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_MET, "peak force >= 90 % on 2 consecutive sessions: 92.0 %, 95.0 % (met)");
	check_item(&r, BM_READY_LSI_IMPULSE, BM_READY_MET, "impulse >= 90 % on 2 consecutive sessions: 91.0 %, 93.0 %");
	check_item(&r, BM_READY_PAIN, BM_READY_MET, "pain <= 3/10 the next morning after them: 2.0/10, 1.0/10 (met)");
	check_item(&r, BM_READY_FATIGUE, BM_READY_MET, "left 24 (average), right 22 (average) (met)");
	ck_assert_msg(r.overall == BM_READY_MET &&
	              strcmp(r.text, "ready to start running: every item is met (guidance, not medical advice)") == 0,
	              "overall: '%s'", r.text);
}
END_TEST

START_TEST(not_met)
{
	struct bm_readiness_session s[] = {rs(10, 93, 91, 2), rs(12, 88, 92, 4)};
	const int reps[2] = {19, -1};
	struct bm_readiness r;
	ck_assert_int_eq(bm_readiness_check(s, 2, reps, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_NOT_MET, "93.0 %, 88.0 % (not met)");
	check_item(&r, BM_READY_LSI_IMPULSE, BM_READY_MET, "91.0 %, 92.0 %");
	check_item(&r, BM_READY_PAIN, BM_READY_NOT_MET, "2.0/10, 4.0/10");
	/* one side poor is enough to fail, even with the other untested */
	check_item(&r, BM_READY_FATIGUE, BM_READY_NOT_MET, "left 19 (poor), right not tested");
	ck_assert_msg(r.overall == BM_READY_NOT_MET && strstr(r.text, "not ready to run yet") &&
	              strstr(r.text, "(guidance, not medical advice)"), "overall: '%s'", r.text);
	/* a missing number cannot rescue a failing one */
	struct bm_readiness_session t[] = {rs(10, NAN, 85, NAN), rs(12, 95, NAN, 5)};
	ck_assert_int_eq(bm_readiness_check(t, 2, reps, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_UNKNOWN, "unknown, 95.0 %");
	check_item(&r, BM_READY_LSI_IMPULSE, BM_READY_NOT_MET, "85.0 %, unknown");
	check_item(&r, BM_READY_PAIN, BM_READY_NOT_MET, "unknown, 5.0/10");
}
END_TEST

START_TEST(unknown)
{
	struct bm_readiness_session s[] = {rs(10, 95, 95, 1)};
	const int reps[2] = {-1, 25};
	struct bm_readiness r;
	ck_assert_int_eq(bm_readiness_check(s, 1, reps, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_UNKNOWN, "on 2 consecutive sessions: 95.0 % (unknown)");
	check_item(&r, BM_READY_PAIN, BM_READY_UNKNOWN, "1.0/10 (unknown)");
	check_item(&r, BM_READY_FATIGUE, BM_READY_UNKNOWN, "left not tested, right 25 (average)");
	ck_assert_msg(r.overall == BM_READY_UNKNOWN && strstr(r.text, "unknown"), "overall '%s'", r.text);

	struct bm_readiness_session t[] = {rs(10, 95, 95, NAN), rs(11, 96, 96, 0)};
	const int good[2] = {31, 33};
	ck_assert_int_eq(bm_readiness_check(t, 2, good, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_PAIN, BM_READY_UNKNOWN, "unknown, 0.0/10");
	check_item(&r, BM_READY_FATIGUE, BM_READY_MET, "left 31 (good), right 33 (good)");
	ck_assert_int_eq(r.overall, BM_READY_UNKNOWN);

	ck_assert_int_eq(bm_readiness_check(NULL, 0, NULL, NULL, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_UNKNOWN, ": none (unknown)");
	check_item(&r, BM_READY_FATIGUE, BM_READY_UNKNOWN, "left not tested, right not tested");
}
END_TEST

START_TEST(thresholds_are_parameters)
{
	struct bm_readiness_params p;
	bm_readiness_params_default(&p);
	ck_assert_msg(p.lsi_peak_min_pct == 90 && p.lsi_impulse_min_pct == 90 && p.sessions_needed == 2 &&
	              p.pain_max == 3 && p.fatigue_reps_min == 20, "defaults 90/90/2/3/20");
	p.sessions_needed = 3;
	p.fatigue_reps_min = 25;
	struct bm_readiness_session s[] = {rs(1, 91, 91, 0), rs(2, 92, 92, 1), rs(3, 93, 93, 2)};
	const int reps[2] = {26, 24};
	struct bm_readiness r;
	ck_assert_int_eq(bm_readiness_check(s, 3, reps, &p, &r), BM_READINESS_OK);
	check_item(&r, BM_READY_LSI_PEAK, BM_READY_MET, "on 3 consecutive sessions: 91.0 %, 92.0 %, 93.0 %");
	check_item(&r, BM_READY_FATIGUE, BM_READY_NOT_MET, ">= 25 on both sides: left 26 (average), right 24");
	p.sessions_needed = 0;
	ck_assert_int_eq(bm_readiness_check(s, 3, reps, &p, &r), BM_READINESS_ERR_ARG);
	ck_assert_int_eq(bm_readiness_check(NULL, 2, reps, NULL, &r), BM_READINESS_ERR_ARG);
	ck_assert_int_eq(bm_readiness_check(s, 3, reps, NULL, NULL), BM_READINESS_ERR_ARG);
}
END_TEST

Suite *suite_readiness(void)
{
	Suite *s = suite_create("readiness");
	TCase *tc = tcase_create("readiness");
	tcase_add_test(tc, all_met);
	tcase_add_test(tc, not_met);
	tcase_add_test(tc, unknown);
	tcase_add_test(tc, thresholds_are_parameters);
	suite_add_tcase(s, tc);
	return s;
}
