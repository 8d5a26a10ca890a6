/*
 * test_spectrum.c - Welch spectra against scipy.signal.welch's numbers
 * (tests/ref/spectrum, made by tests/ref/gen_spectrum_ref.py), and the
 * tremor of a hold.  kissfft is float-only in Debian, so spectra agree to
 * float precision (relative 1e-4 of the largest bin), not to the last bit.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bm_spectrum.h"
#include "core_suites.h"

static const char *ref_dir;

void core_set_ref_dir(const char *dir)
{
	ref_dir = dir;
}

static void check_case(const char *name)
{
	char path[512];
	double fs;
	size_t nperseg, n;
	snprintf(path, sizeof path, "%s/spectrum/%s.txt", ref_dir, name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fscanf(f, "%lf %zu %zu", &fs, &nperseg, &n), 3);
	double *x = malloc(n * sizeof *x), *want = malloc((nperseg / 2 + 1) * sizeof *want);
	double *got = malloc((nperseg / 2 + 1) * sizeof *got);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(fscanf(f, "%lf", &x[i]), 1);
	for (size_t i = 0; i <= nperseg / 2; i++)
		ck_assert_int_eq(fscanf(f, "%lf", &want[i]), 1);
	fclose(f);

	struct bm_spectrum *sp = bm_spectrum_new(nperseg);
	ck_assert_ptr_nonnull(sp);
	size_t segs = bm_spectrum_welch(sp, x, n, fs, got);
	ck_assert_msg(segs == (n - nperseg) / (nperseg / 2) + 1, "%s: %zu segments", name, segs);
	double top = 0, worst = 0;
	for (size_t k = 0; k <= nperseg / 2; k++)
		top = fmax(top, want[k]);
	for (size_t k = 0; k <= nperseg / 2; k++)
		worst = fmax(worst, fabs(got[k] - want[k]) / top);
	ck_assert_msg(worst < 1e-4, "%s: PSD differs from scipy by %.3g of the largest bin", name, worst);
	bm_spectrum_free(sp);
	free(x);
	free(want);
	free(got);
}

START_TEST(welch_matches_scipy)
{
	check_case("hold_80hz");
	check_case("walk_100hz");
	check_case("one_segment");
}
END_TEST

START_TEST(tremor_of_a_hold)
{
	/* 300 N with 2 N of 9.7 Hz tremor: peak near 9.7 Hz, RMS 2 / sqrt 2. */
	size_t n = 2400;
	double *x = malloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = 300 + 2.0 * sin(2 * M_PI * 9.7 * (double)i / 80.0) + 0.05 * (double)(i % 7);
	struct bm_spectrum *sp = bm_spectrum_new(256);
	struct bm_tremor tr;
	bm_spectrum_tremor(sp, x, n, 80.0, &tr);
	ck_assert_msg(fabs(tr.peak_hz - 9.7) < 0.1, "tremor at %.2f Hz, expected 9.7", tr.peak_hz);
	ck_assert_msg(fabs(tr.rms_n - 2.0 / sqrt(2.0)) < 0.1, "tremor RMS %.3f N, expected 1.414",
	              tr.rms_n);
	/* 10 samples per second cannot see 4-15 Hz. */
	bm_spectrum_tremor(sp, x, n, 10.0, &tr);
	ck_assert_msg(isnan(tr.peak_hz) && isnan(tr.rms_n), "no tremor at 10 SPS");
	/* Too short for one segment. */
	bm_spectrum_tremor(sp, x, 100, 80.0, &tr);
	ck_assert_msg(isnan(tr.peak_hz), "no tremor from 100 samples");
	ck_assert_ptr_null(bm_spectrum_new(7));
	bm_spectrum_free(sp);
	free(x);
}
END_TEST

Suite *suite_spectrum(void)
{
	Suite *s = suite_create("spectrum");
	TCase *tc = tcase_create("spectrum");
	tcase_add_test(tc, welch_matches_scipy);
	tcase_add_test(tc, tremor_of_a_hold);
	suite_add_tcase(s, tc);
	return s;
}
