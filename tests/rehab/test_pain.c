/*
 * test_pain.c - pain zones and the progress / hold / reduce advice, always
 * labelled as guidance.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "bm_pain.h"
#include "rehab_suites.h"

START_TEST(zones)
{
	static const struct {
		double score;
		enum bm_pain_zone want;
	} c[] = {{0, BM_PAIN_SAFE}, {2, BM_PAIN_SAFE}, {2.5, BM_PAIN_ACCEPTABLE}, {3, BM_PAIN_ACCEPTABLE},
	         {5, BM_PAIN_ACCEPTABLE}, {5.5, BM_PAIN_TOO_MUCH}, {10, BM_PAIN_TOO_MUCH},
	         {-1, BM_PAIN_UNKNOWN}, {10.5, BM_PAIN_UNKNOWN}, {NAN, BM_PAIN_UNKNOWN}};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		ck_assert_msg(bm_pain_zone_of(c[i].score) == c[i].want, "score %g: expected %s, got %s",
		              c[i].score, bm_pain_zone_name(c[i].want),
		              bm_pain_zone_name(bm_pain_zone_of(c[i].score)));
}
END_TEST

START_TEST(advice)
{
	static const struct {
		double before, after, morning;
		enum bm_pain_advice want;
		const char *text;
	} c[] = {
		{1, 2, 1, BM_PAIN_ADVICE_PROGRESS, "progress the load: pain 2/10 during (at most 3) and settled by the next morning (1/10)"},
		{1, 3, 1, BM_PAIN_ADVICE_PROGRESS, "progress the load: pain 3/10 during"},
		{NAN, 3, 2, BM_PAIN_ADVICE_PROGRESS, "progress the load"},
		{NAN, 3, 3, BM_PAIN_ADVICE_HOLD, "hold the load: pain 3/10 the next morning is not back in the safe zone (0-2)"},
		{1, 4, 1, BM_PAIN_ADVICE_HOLD, "hold the load: pain 4/10 during the session is acceptable but above 3"},
		{1, 5, 0, BM_PAIN_ADVICE_HOLD, "hold the load"},
		{1, 6, NAN, BM_PAIN_ADVICE_REDUCE, "reduce the load: pain 6/10 during the session is above 5"},
		{1, 2, 6, BM_PAIN_ADVICE_REDUCE, "reduce the load: pain 6/10 the next morning is above 5"},
		{1, 2, 3, BM_PAIN_ADVICE_REDUCE, "reduce the load: pain had not settled by the next morning (3/10, 1 before the session)"},
		{NAN, 2, NAN, BM_PAIN_ADVICE_HOLD, "hold the load: pain 2/10 during the session; wait for the next morning's score"},
		{NAN, NAN, NAN, BM_PAIN_ADVICE_UNKNOWN, "no advice yet: give the pain score during the session first"},
		{2, NAN, 1, BM_PAIN_ADVICE_UNKNOWN, "no advice yet"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		enum bm_pain_advice a = (enum bm_pain_advice)99;
		char text[256];
		int rc = bm_pain_advise(c[i].before, c[i].after, c[i].morning, NULL, &a, text, sizeof text);
		ck_assert_msg(rc == BM_PAIN_OK && a == c[i].want, "case %zu (%g, %g, %g): expected %s, got %s (%d)",
		              i, c[i].before, c[i].after, c[i].morning, bm_pain_advice_name(c[i].want),
		              bm_pain_advice_name(a), rc);
		ck_assert_msg(strncmp(text, c[i].text, strlen(c[i].text)) == 0,
		              "case %zu: expected text starting '%s', got '%s'", i, c[i].text, text);
		const char *label = "(guidance, not medical advice)";
		ck_assert_msg(strlen(text) > strlen(label) &&
		              strcmp(text + strlen(text) - strlen(label), label) == 0,
		              "case %zu: the text ends with the label: '%s'", i, text);
	}
}
END_TEST

START_TEST(params_and_errors)
{
	struct bm_pain_params p;
	enum bm_pain_advice a;
	char text[256];
	bm_pain_params_default(&p);
	ck_assert_msg(p.safe_max == 2 && p.acceptable_max == 5 && p.progress_max == 3, "defaults 2/5/3");
	p.progress_max = 2;
	ck_assert_int_eq(bm_pain_advise(1, 3, 1, &p, &a, text, sizeof text), BM_PAIN_OK);
	ck_assert_msg(a == BM_PAIN_ADVICE_HOLD, "stricter clinic (progress at <= 2): 3 during holds, got %s",
	              bm_pain_advice_name(a));
	ck_assert_int_eq(bm_pain_advise(1, 11, 0, NULL, &a, text, sizeof text), BM_PAIN_ERR_ARG);
	ck_assert_msg(a == BM_PAIN_ADVICE_UNKNOWN && strstr(text, "pain scores must be 0-10") &&
	              strstr(text, "(guidance, not medical advice)"), "out of range: '%s'", text);
	ck_assert_int_eq(bm_pain_advise(-1, 2, 0, NULL, &a, NULL, 0), BM_PAIN_ERR_ARG);
	ck_assert_int_eq(bm_pain_advise(1, 2, 0, NULL, NULL, text, sizeof text), BM_PAIN_ERR_ARG);
	ck_assert_msg(bm_pain_zone_with(3, &p) == BM_PAIN_ACCEPTABLE, "zone with params");
}
END_TEST

Suite *suite_pain(void)
{
	Suite *s = suite_create("pain");
	TCase *tc = tcase_create("pain");
	tcase_add_test(tc, zones);
	tcase_add_test(tc, advice);
	tcase_add_test(tc, params_and_errors);
	suite_add_tcase(s, tc);
	return s;
}
