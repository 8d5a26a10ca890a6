/*
 * test_metric_confidence.c - which measures are reported at 80 Hz and at
 * 10 Hz, and the shortest force-time window.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "bm_metric_confidence.h"
#include "rehab_suites.h"

static const struct bm_metric_note *find(const struct bm_metric_note *n, size_t k, const char *m)
{
	for (size_t i = 0; i < k; i++)
		if (strcmp(n[i].metric, m) == 0)
			return &n[i];
	ck_abort_msg("metric '%s' missing", m);
	return NULL;
}

static void expect(const struct bm_metric_note *n, size_t k, const char *metric,
                   enum bm_metric_status st, const char *text_part)
{
	const struct bm_metric_note *x = find(n, k, metric);
	ck_assert_msg(x->status == st && strstr(x->text, text_part),
	              "%s: expected %s with '%s', got %s '%s'", metric, bm_metric_status_name(st), text_part,
	              bm_metric_status_name(x->status), x->text);
}

START_TEST(at_80_hz)
{
	struct bm_metric_note n[BM_METRIC_N_NOTES];
	size_t k = bm_metric_confidence(80, n, BM_METRIC_N_NOTES);
	ck_assert_int_eq(k, BM_METRIC_N_NOTES);
	expect(n, k, "peak force", BM_METRIC_VALID, "valid at 80 Hz");
	expect(n, k, "mean force", BM_METRIC_VALID, "valid at 80 Hz");
	expect(n, k, "CV", BM_METRIC_VALID, "valid");
	expect(n, k, "impulse", BM_METRIC_VALID, "valid");
	expect(n, k, "time under tension", BM_METRIC_VALID, "+-0.0125 s");
	expect(n, k, "hold duration", BM_METRIC_VALID, "+-0.0125 s");
	expect(n, k, "LSI", BM_METRIC_VALID, "valid");
	expect(n, k, "time to peak", BM_METRIC_RESOLUTION, "+-0.0125 s (one sample at 80 Hz)");
	expect(n, k, "RFD 0-100 ms", BM_METRIC_NOT_REPORTED, "under 0.2 s are not");
	expect(n, k, "RFD 0-200 ms", BM_METRIC_RESOLUTION, "16 samples in the window");
	ck_assert_msg(fabs(bm_metric_min_window_s(80) - 0.2) < 1e-12, "80 Hz: 0.2 s");
}
END_TEST

START_TEST(at_10_hz)
{
	struct bm_metric_note n[BM_METRIC_N_NOTES];
	size_t k = bm_metric_confidence(10, n, BM_METRIC_N_NOTES);
	ck_assert_int_eq(k, BM_METRIC_N_NOTES);
	expect(n, k, "peak force", BM_METRIC_APPROXIMATE, "can miss a quick rep's peak");
	expect(n, k, "mean force", BM_METRIC_VALID, "valid at 10 Hz");
	expect(n, k, "hold duration", BM_METRIC_VALID, "+-0.1 s");
	expect(n, k, "time to peak", BM_METRIC_RESOLUTION, "+-0.1 s");
	expect(n, k, "RFD 0-100 ms", BM_METRIC_NOT_REPORTED, "under 1 s are not");
	expect(n, k, "RFD 0-200 ms", BM_METRIC_NOT_REPORTED, "under 1 s are not");
	ck_assert_msg(fabs(bm_metric_min_window_s(10) - 1.0) < 1e-12, "10 Hz: about 1 s");
	ck_assert_msg(fabs(bm_metric_min_window_s(40) - 0.25) < 1e-12, "40 Hz: 10 samples = 0.25 s");
	/* 2 Hz: even means are approximate */
	k = bm_metric_confidence(2, n, BM_METRIC_N_NOTES);
	expect(n, k, "impulse", BM_METRIC_APPROXIMATE, "few samples");
}
END_TEST

START_TEST(bounds)
{
	struct bm_metric_note n[3];
	ck_assert_int_eq(bm_metric_confidence(80, n, 3), 3);
	ck_assert_str_eq(n[2].metric, "CV");
	ck_assert_int_eq(bm_metric_confidence(0, n, 3), 0);
	ck_assert_int_eq(bm_metric_confidence(NAN, n, 3), 0);
	ck_assert_int_eq(bm_metric_confidence(80, NULL, 3), 0);
	ck_assert_msg(isnan(bm_metric_min_window_s(-1)), "bad rate: NaN");
	ck_assert_str_eq(bm_metric_status_name(BM_METRIC_NOT_REPORTED), "not reported");
}
END_TEST

Suite *suite_metric_confidence(void)
{
	Suite *s = suite_create("metric_confidence");
	TCase *tc = tcase_create("rates");
	tcase_add_test(tc, at_80_hz);
	tcase_add_test(tc, at_10_hz);
	tcase_add_test(tc, bounds);
	suite_add_tcase(s, tc);
	return s;
}
