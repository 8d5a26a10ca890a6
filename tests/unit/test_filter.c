/*
 * test_filter.c - despike, Butterworth design, causal and zero-phase
 * filtering against reference vectors made by scipy.signal
 * (tests/ref/gen_filter_ref.py writes the text files in tests/ref/filter), and the
 * streaming zero-phase filter against the whole-segment one.
 *
 * The reference folder comes as the first argument (meson passes it), so the
 * test runs from any working directory.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_filter.h"

static const char *ref_dir = "tests/ref/filter";

/* ---- helpers ---- */

/* Deterministic generator (xorshift64*), uniform in [0, 1). */
static uint64_t rng_state = 88172645463325252ull;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 1;
}

static double rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}

struct ref_file {
	FILE *f;
	char name[256];
	char *line;
	size_t cap;
	unsigned long lineno;
};

static void ref_open(struct ref_file *r, const char *name)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", ref_dir, name);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->f = fopen(path, "r");
	r->line = NULL;
	r->cap = 0;
	r->lineno = 0;
	ck_assert_msg(r->f != NULL, "cannot open reference file %s (pass the folder as argv[1])", path);
}

static void ref_close(struct ref_file *r)
{
	fclose(r->f);
	free(r->line);
}

/* Next non-comment line as up to max numbers; returns how many were read,
 * -1 at end of file. */
static int ref_numbers(struct ref_file *r, double *v, int max)
{
	for (;;) {
		if (getline(&r->line, &r->cap, r->f) < 0)
			return -1;
		r->lineno++;
		if (r->line[0] == '#' || r->line[0] == '\n')
			continue;
		int n = 0;
		char *p = r->line, *end;
		while (n < max) {
			double d = strtod(p, &end);
			if (end == p)
				break;
			v[n++] = d;
			p = end;
		}
		return n;
	}
}

static void ref_expect(struct ref_file *r, double *v, int n)
{
	int got = ref_numbers(r, v, n);
	ck_assert_msg(got == n, "%s:%lu: expected %d numbers, got %d", r->name, r->lineno, n, got);
}

/* Range (max - min) of the finite values of x. */
static double range_of(const double *x, size_t n)
{
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < n; i++) {
		if (x[i] < lo)
			lo = x[i];
		if (x[i] > hi)
			hi = x[i];
	}
	return n ? hi - lo : 0.0;
}

static double max_abs(const double *x, size_t n)
{
	double m = 0.0;

	for (size_t i = 0; i < n; i++)
		m = fmax(m, fabs(x[i]));
	return m;
}

/* A bridge-like trace: baseline, efforts, tremor, noise, in newtons. */
static void force_like(double *x, size_t n, double rate_hz)
{
	double effort = 0.0, target = 0.0;

	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate_hz;
		if (rng_uniform() < 1.0 / rate_hz)
			target = rng_uniform() < 0.5 ? 0.0 : 100.0 + 300.0 * rng_uniform();
		effort += (target - effort) * (2.0 / rate_hz);
		x[i] = 50.0 + effort + 3.0 * sin(2.0 * M_PI * 9.0 * t) + 3.0 * (rng_uniform() - 0.5);
	}
}

/* ---- despike ---- */

START_TEST(despike_removes_single_spikes)
{
	double x[30], y[30];

	/* On a plateau a spike of either sign and any size goes, and nothing
	 * else moves. */
	for (int i = 0; i < 30; i++)
		x[i] = 120.0;
	x[5] = 8388607.0;               /* all-ones HX711 word */
	x[12] = 0.0;                    /* zero reading */
	x[20] = -4000.0;
	bm_despike3(x, y, 30);
	for (int i = 0; i < 30; i++)
		ck_assert_msg(y[i] == 120.0, "plateau sample %d: expected 120, got %g", i, y[i]);

	/* On a ramp a spike becomes a value of the ramp; its neighbours may
	 * move by one ramp step (the median of a, spike, b is a or b), never
	 * more. */
	for (int i = 0; i < 30; i++)
		x[i] = 50.0 + 2.0 * i;
	x[5] = 8388607.0;
	x[12] = 0.0;
	x[20] = -4000.0;
	bm_despike3(x, y, 30);
	for (int i = 0; i < 30; i++) {
		double want = 50.0 + 2.0 * i;
		int near = i == 4 || i == 6 || i == 11 || i == 13 || i == 19 || i == 21;
		if (i == 5 || i == 12 || i == 20 || near)
			ck_assert_msg(fabs(y[i] - want) <= 2.0,
			              "ramp sample %d: expected within one step of %g, got %g", i, want, y[i]);
		else
			ck_assert_msg(y[i] == want, "ramp sample %d: expected %g unchanged, got %g", i, want, y[i]);
	}
}
END_TEST

START_TEST(despike_keeps_steps_ramps_and_pairs)
{
	double x[50], y[50];

	/* flat, step up, flat, ramp down, flat with a two-sample feature */
	for (int i = 0; i < 50; i++)
		x[i] = i < 10 ? 40.0 : (i < 20 ? 300.0 : (i < 30 ? 300.0 - 10.0 * (i - 19) : 200.0));
	x[35] = 900.0;   /* a two-sample feature: kept */
	x[36] = 900.0;
	x[42] = 10.0;    /* a two-sample dip: kept */
	x[43] = 10.0;
	x[0] = 5000.0;   /* end samples have one neighbour: kept */
	x[49] = -5000.0;
	bm_despike3(x, y, 50);
	for (int i = 0; i < 50; i++)
		ck_assert_msg(y[i] == x[i], "sample %d: expected %g unchanged, got %g", i, x[i], y[i]);
	/* In place gives the same. */
	bm_despike3(x, x, 50);
	ck_assert_msg(memcmp(x, y, sizeof x) == 0, "in-place despike differs from out-of-place");
	bm_despike3(NULL, NULL, 0);
}
END_TEST

START_TEST(despike_nan_rules)
{
	const double x[] = {1, 2, NAN, 100, 5, 6, NAN, NAN, 7, 500, 8, 9};
	const double want[] = {1, 2, NAN, 100, 6, 6, NAN, NAN, 7, 8, 9, 9};
	double y[12];

	bm_despike3(x, y, 12);
	for (int i = 0; i < 12; i++) {
		if (isnan(want[i]))
			ck_assert_msg(isnan(y[i]), "sample %d: expected NaN, got %g", i, y[i]);
		else
			ck_assert_msg(y[i] == want[i], "sample %d: expected %g, got %g", i, want[i], y[i]);
	}
}
END_TEST

START_TEST(despike_stream_equals_array)
{
	enum { N = 2000 };
	static double x[N], y[N], s[N];
	struct bm_despike *d = bm_despike_new();
	size_t k = 0;

	ck_assert_msg(d != NULL, "bm_despike_new returned NULL");
	rng_seed(7);
	force_like(x, N, 80.0);
	for (int i = 0; i < N; i++) {
		double u = rng_uniform();
		if (u < 0.02)
			x[i] = 8388607.0;
		else if (u < 0.04)
			x[i] = 0.0;
		else if (u < 0.05)
			x[i] = NAN;
	}
	bm_despike3(x, y, N);
	for (int i = 0; i < N; i++) {
		double o;
		if (bm_despike_push(d, x[i], &o))
			s[k++] = o;
	}
	ck_assert_msg(k == N - 1, "one sample of delay: expected %d outputs, got %zu", N - 1, k);
	ck_assert_msg(bm_despike_flush(d, &s[k]) == 1, "flush should hand back the last sample");
	k++;
	for (int i = 0; i < N; i++)
		ck_assert_msg(memcmp(&y[i], &s[i], sizeof y[i]) == 0 || (isnan(y[i]) && isnan(s[i])),
		              "sample %d: array gave %.17g, stream %.17g", i, y[i], s[i]);
	double o;
	ck_assert_msg(bm_despike_flush(d, &o) == 0, "second flush should have nothing");
	/* After a flush the next sample starts a new stream (kept as an end). */
	ck_assert_int_eq(bm_despike_push(d, 1.0, &o), 0);
	ck_assert_int_eq(bm_despike_push(d, 1000.0, &o), 1);
	ck_assert_msg(o == 1.0, "first sample of a new stream: expected 1, got %g", o);
	bm_despike_free(d);
	bm_despike_free(NULL);
}
END_TEST

START_TEST(despike_vs_scipy_medfilt)
{
	struct ref_file r;
	double v[2];
	int records = 0;

	ref_open(&r, "filter_medfilt.txt");
	while (ref_numbers(&r, v, 1) == 1) {
		size_t n = (size_t)v[0];
		double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);
		for (size_t i = 0; i < n; i++) {
			ref_expect(&r, v, 2);
			x[i] = v[0];
			ref[i] = v[1];
		}
		bm_despike3(x, y, n);
		/* scipy pads with zeros: compare the interior; the ends stay. */
		for (size_t i = 1; i + 1 < n; i++)
			ck_assert_msg(y[i] == ref[i], "medfilt record %d sample %zu: expected %.17g, got %.17g",
			              records, i, ref[i], y[i]);
		ck_assert_msg(y[0] == x[0] && y[n - 1] == x[n - 1], "end samples must be kept");
		free(x);
		free(ref);
		free(y);
		records++;
	}
	ref_close(&r);
	ck_assert_msg(records == 3, "expected 3 medfilt records, read %d", records);
}
END_TEST

/* ---- design ---- */

START_TEST(butter_vs_scipy)
{
	struct ref_file r;
	double v[6], worst = 0.0;
	int records = 0;

	ref_open(&r, "filter_butter.txt");
	while (ref_numbers(&r, v, 5) == 5) {
		int order = (int)v[0], ns = (int)v[3];
		double fc = v[1], fs = v[2];
		size_t padlen = (size_t)v[4];
		struct bm_sos sos;
		int rc = bm_butter_lowpass(order, fc, fs, &sos);

		ck_assert_msg(rc == BM_FILTER_OK, "butter(%d, %g, fs=%g): expected OK, got %d", order, fc, fs, rc);
		ck_assert_msg(sos.n_sections == ns, "butter(%d, %g, fs=%g): expected %d sections, got %d",
		              order, fc, fs, ns, sos.n_sections);
		ck_assert_msg(bm_sos_padlen(&sos) == padlen, "butter(%d, %g, fs=%g): padlen expected %zu, got %zu",
		              order, fc, fs, padlen, bm_sos_padlen(&sos));
		for (int s = 0; s < ns; s++) {
			ref_expect(&r, v, 6);
			/* Relative to the largest coefficient of the same polynomial:
			 * the numerator of section 0 carries the gain (1e-10 and less
			 * at high orders and low cutoffs). */
			for (int half = 0; half < 2; half++) {
				const double *want = v + 3 * half, *got = sos.c[s] + 3 * half;
				double scale = fmax(fabs(want[0]), fmax(fabs(want[1]), fabs(want[2])));
				for (int j = 0; j < 3; j++) {
					double e = fabs(got[j] - want[j]) / scale;
					worst = fmax(worst, e);
					ck_assert_msg(e < 1e-12,
					              "butter(%d, %g, fs=%g) section %d coef %d: expected %.17g, got %.17g (rel %.3g)",
					              order, fc, fs, s, 3 * half + j, want[j], got[j], e);
				}
			}
		}
		records++;
	}
	ref_close(&r);
	ck_assert_msg(records == 8 * 15, "expected %d butter records, read %d", 8 * 15, records);
	printf("butter: %d designs, worst relative coefficient error %.3g\n", records, worst);
}
END_TEST

START_TEST(butter_rejects_bad_args)
{
	struct bm_sos sos;

	ck_assert_int_eq(bm_butter_lowpass(0, 5.0, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(BM_FILTER_MAX_ORDER + 1, 5.0, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, 40.0, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, 0.0, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, -1.0, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, NAN, 80.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, 5.0, 0.0, &sos), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_butter_lowpass(4, 5.0, INFINITY, &sos), BM_FILTER_ERR_ARG);
	ck_assert_msg(sos.n_sections == 0, "a failed design leaves a zeroed sos");
	ck_assert_int_eq(bm_butter_lowpass(BM_FILTER_MAX_ORDER, 5.0, 80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(sos.n_sections, BM_SOS_MAX_SECTIONS);
}
END_TEST

START_TEST(default_design_follows_rate)
{
	struct bm_sos a, b;

	ck_assert_int_eq(bm_filter_default(80.0, &a), BM_FILTER_OK);
	ck_assert_msg(a.order == 4 && a.cutoff_hz == 5.0 && a.rate_hz == 80.0,
	              "default at 80 SPS: expected order 4 at 5 Hz, got order %d at %g Hz", a.order, a.cutoff_hz);
	ck_assert_int_eq(bm_butter_lowpass(4, 5.0, 80.0, &b), BM_FILTER_OK);
	ck_assert_msg(memcmp(a.c, b.c, sizeof a.c) == 0, "default at 80 SPS must be butter(4, 5 Hz)");
	ck_assert_int_eq(bm_filter_default(10.0, &a), BM_FILTER_OK);
	ck_assert_msg(fabs(a.cutoff_hz - 3.0) < 1e-12, "default at 10 SPS: expected 3 Hz, got %g", a.cutoff_hz);
	ck_assert_msg(bm_filter_default_cutoff_hz(20.0) == 5.0, "20 SPS: expected 5 Hz");
	ck_assert_msg(fabs(bm_filter_default_cutoff_hz(4.0) - 1.2) < 1e-12, "4 SPS: expected 1.2 Hz");
	ck_assert_msg(isnan(bm_filter_default_cutoff_hz(0.0)), "0 SPS has no default cutoff");
	ck_assert_int_eq(bm_filter_default(-1.0, &a), BM_FILTER_ERR_ARG);
	ck_assert_int_eq(bm_filter_default(NAN, &a), BM_FILTER_ERR_ARG);
}
END_TEST

/* ---- causal ---- */

START_TEST(sosfilt_vs_scipy)
{
	struct ref_file r;
	double v[5], worst = 0.0;
	int records = 0;

	ref_open(&r, "filter_sosfilt.txt");
	while (ref_numbers(&r, v, 5) == 5) {
		int order = (int)v[0], mode = (int)v[3];
		size_t n = (size_t)v[4];
		struct bm_sos sos;
		struct bm_sosfilt *f = NULL;
		double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);

		ck_assert_int_eq(bm_butter_lowpass(order, v[1], v[2], &sos), BM_FILTER_OK);
		for (size_t i = 0; i < n; i++) {
			ref_expect(&r, v, 2);
			x[i] = v[0];
			ref[i] = v[1];
		}
		/* mode 1 two ways: explicit prime, and the START_STEADY option. */
		for (int way = 0; way < (mode ? 2 : 1); way++) {
			enum bm_sosfilt_start st = way ? BM_SOSFILT_START_STEADY : BM_SOSFILT_START_ZERO;
			ck_assert_int_eq(bm_sosfilt_new(&sos, st, &f), BM_FILTER_OK);
			if (mode && !way)
				bm_sosfilt_prime(f, x[0]);
			bm_sosfilt_run(f, x, y, n);
			double scale = max_abs(x, n);
			for (size_t i = 0; i < n; i++) {
				double e = fabs(y[i] - ref[i]) / scale;
				worst = fmax(worst, e);
				ck_assert_msg(e < 1e-12, "sosfilt order %d mode %d way %d sample %zu: expected %.17g, got %.17g",
				              order, mode, way, i, ref[i], y[i]);
			}
			bm_sosfilt_free(f);
		}
		free(x);
		free(ref);
		free(y);
		records++;
	}
	ref_close(&r);
	ck_assert_msg(records == 10, "expected 10 sosfilt records, read %d", records);
	printf("sosfilt: worst error %.3g of max|x|\n", worst);
}
END_TEST

START_TEST(sosfilt_steady_start_and_gaps)
{
	struct bm_sos sos;
	struct bm_sosfilt *f, *z;

	ck_assert_int_eq(bm_filter_default(80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_sosfilt_new(&sos, BM_SOSFILT_START_STEADY, &f), BM_FILTER_OK);
	ck_assert_int_eq(bm_sosfilt_new(&sos, BM_SOSFILT_START_ZERO, &z), BM_FILTER_OK);
	/* A held 300 N comes out flat from the first sample: no ring-up. */
	for (int i = 0; i < 200; i++) {
		double y = bm_sosfilt_step(f, 300.0);
		ck_assert_msg(fabs(y - 300.0) < 1e-9, "steady start, sample %d: expected 300, got %.17g", i, y);
	}
	/* From zero it starts near zero. */
	double y0 = bm_sosfilt_step(z, 300.0);
	ck_assert_msg(y0 < 1.0, "zero start: expected a first output near 0, got %g", y0);
	/* A NaN gives NaN, and the filter starts again at the next level. */
	ck_assert_msg(isnan(bm_sosfilt_step(f, NAN)), "NaN in, NaN out");
	for (int i = 0; i < 50; i++) {
		double y = bm_sosfilt_step(f, 120.0);
		ck_assert_msg(fabs(y - 120.0) < 1e-9, "after a gap, sample %d: expected 120, got %.17g", i, y);
	}
	/* Zero-start filter after NaN restarts from zero, not from NaN. */
	ck_assert_msg(isnan(bm_sosfilt_step(z, NAN)), "NaN in, NaN out");
	y0 = bm_sosfilt_step(z, 300.0);
	ck_assert_msg(isfinite(y0) && y0 < 1.0, "zero start after a gap: expected near 0, got %g", y0);
	/* Reset goes back to the start mode. */
	bm_sosfilt_reset(f);
	ck_assert_msg(fabs(bm_sosfilt_step(f, -20.0) + 20.0) < 1e-9, "reset then -20: expected -20");
	bm_sosfilt_free(f);
	bm_sosfilt_free(z);
	bm_sosfilt_free(NULL);

	struct bm_sos bad = sos;
	bad.c[0][5] = 1.5;   /* pole outside the unit circle */
	ck_assert_int_eq(bm_sosfilt_new(&bad, BM_SOSFILT_START_ZERO, &f), BM_FILTER_ERR_ARG);
	ck_assert_msg(f == NULL, "failed new sets the output to NULL");
	ck_assert_int_eq(bm_sosfilt_new(&sos, (enum bm_sosfilt_start)7, &f), BM_FILTER_ERR_ARG);
}
END_TEST

/* ---- zero-phase, whole array ---- */

START_TEST(sosfiltfilt_vs_scipy)
{
	struct ref_file r;
	double v[5], worst = 0.0;
	int records = 0;

	ref_open(&r, "filter_sosfiltfilt.txt");
	while (ref_numbers(&r, v, 5) == 5) {
		int order = (int)v[0];
		long padlen = (long)v[3];
		size_t n = (size_t)v[4];
		struct bm_sos sos;
		double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);

		ck_assert_int_eq(bm_butter_lowpass(order, v[1], v[2], &sos), BM_FILTER_OK);
		/* Our short-input rule is scipy with padlen = n - 1. */
		if (padlen >= 0)
			ck_assert_msg(n <= bm_sos_padlen(&sos) && padlen == (long)n - 1,
			              "record %d: explicit padlen %ld for n %zu", records, padlen, n);
		else
			ck_assert_msg(n > bm_sos_padlen(&sos), "record %d: default padlen with n %zu", records, n);
		for (size_t i = 0; i < n; i++) {
			ref_expect(&r, v, 2);
			x[i] = v[0];
			ref[i] = v[1];
		}
		ck_assert_int_eq(bm_sosfiltfilt(&sos, x, y, n), BM_FILTER_OK);
		double scale = fmax(range_of(x, n), 1.0);
		for (size_t i = 0; i < n; i++) {
			double e = fabs(y[i] - ref[i]) / scale;
			worst = fmax(worst, e);
			ck_assert_msg(e < 1e-9, "sosfiltfilt order %d n %zu sample %zu: expected %.17g, got %.17g",
			              order, n, i, ref[i], y[i]);
		}
		/* In place: bit for bit the same. */
		ck_assert_int_eq(bm_sosfiltfilt(&sos, x, x, n), BM_FILTER_OK);
		ck_assert_msg(memcmp(x, y, n * sizeof *x) == 0, "in-place sosfiltfilt differs (n %zu)", n);
		free(x);
		free(ref);
		free(y);
		records++;
	}
	ref_close(&r);
	ck_assert_msg(records == 42, "expected 42 sosfiltfilt records, read %d", records);
	printf("sosfiltfilt: worst error %.3g of the range\n", worst);
}
END_TEST

START_TEST(sosfiltfilt_edges)
{
	struct bm_sos sos, bad;
	double x[1] = {42.5}, y[1] = {0};

	ck_assert_int_eq(bm_filter_default(80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_sosfiltfilt(&sos, NULL, NULL, 0), BM_FILTER_OK);
	ck_assert_int_eq(bm_sosfiltfilt(&sos, x, y, 1), BM_FILTER_OK);
	ck_assert_msg(y[0] == 42.5, "one sample comes back as it is: expected 42.5, got %.17g", y[0]);
	memset(&bad, 0, sizeof bad);
	ck_assert_int_eq(bm_sosfiltfilt(&bad, x, y, 1), BM_FILTER_ERR_ARG);
	bad = sos;
	bad.c[1][3] = 2.0;   /* a0 must be 1 */
	ck_assert_int_eq(bm_sosfiltfilt(&bad, x, y, 1), BM_FILTER_ERR_ARG);
	/* scipy's padlen rule for the shapes butter makes. */
	ck_assert_int_eq(bm_butter_lowpass(1, 5.0, 80.0, &sos), BM_FILTER_OK);
	ck_assert_uint_eq(bm_sos_padlen(&sos), 6);
	ck_assert_int_eq(bm_butter_lowpass(3, 5.0, 80.0, &sos), BM_FILTER_OK);
	ck_assert_uint_eq(bm_sos_padlen(&sos), 12);
	ck_assert_int_eq(bm_butter_lowpass(4, 5.0, 80.0, &sos), BM_FILTER_OK);
	ck_assert_uint_eq(bm_sos_padlen(&sos), 15);
	/* A constant stays exactly-ish constant (DC gain 1, steady starts). */
	double c[100];
	for (int i = 0; i < 100; i++)
		c[i] = 250.0;
	ck_assert_int_eq(bm_sosfiltfilt(&sos, c, c, 100), BM_FILTER_OK);
	for (int i = 0; i < 100; i++)
		ck_assert_msg(fabs(c[i] - 250.0) < 1e-9, "constant in, constant out: sample %d is %.17g", i, c[i]);
}
END_TEST

/* ---- zero-phase, streaming ---- */

struct stream_stats {
	double worst_rel;     /* max |stream - array| / segment range */
	size_t segments, blocked_segments, samples;
};

/*
 * Feed x (NaN = missing) to a streaming filter, with explicit ends at the
 * positions in brk (a break before sample brk[i]); check that outputs come
 * in input order with bounded latency and that each segment matches
 * bm_sosfiltfilt of that segment alone.
 */
static void check_stream(const struct bm_sos *sos, size_t block_len, const double *x, size_t n,
                         const int *brk, struct stream_stats *st)
{
	struct bm_zerophase *zp = NULL;
	double *got = malloc((n + 1) * sizeof *got), *want = malloc((n + 1) * sizeof *want);
	size_t nout = 0;
	const double *o;

	ck_assert_int_eq(bm_zerophase_new(sos, block_len, &zp), BM_FILTER_OK);
	size_t maxo = bm_zerophase_max_out(zp);
	size_t lat = bm_zerophase_block_len(zp) + bm_zerophase_lookahead(zp);
	for (size_t i = 0; i < n; i++) {
		size_t k;
		if (brk[i]) {
			k = bm_zerophase_end(zp, &o);
			ck_assert_msg(k <= maxo, "end gave %zu samples, more than max_out %zu", k, maxo);
			if (k)
				memcpy(got + nout, o, k * sizeof *o);
			nout += k;
			ck_assert_msg(nout == i, "after an end every sample before it is out: %zu of %zu", nout, i);
		}
		k = bm_zerophase_push(zp, x[i], &o);
		ck_assert_msg(k <= maxo, "push gave %zu samples, more than max_out %zu", k, maxo);
		ck_assert_msg(k == 0 || o != NULL, "samples out but no pointer");
		if (k)
			memcpy(got + nout, o, k * sizeof *o);
		nout += k;
		ck_assert_msg(nout + lat >= i + 1, "latency: %zu in, %zu out, bound %zu", i + 1, nout, lat);
		if (isnan(x[i]))
			ck_assert_msg(nout == i + 1, "a NaN flushes its segment and itself: %zu of %zu", nout, i + 1);
	}
	size_t k = bm_zerophase_end(zp, &o);
	if (k)
		memcpy(got + nout, o, k * sizeof *o);
	nout += k;
	ck_assert_msg(nout == n, "every sample comes out once: expected %zu, got %zu", n, nout);
	k = bm_zerophase_end(zp, &o);
	ck_assert_msg(k == 0 && o == NULL, "a second end gives nothing");

	/* Reference: each segment alone through bm_sosfiltfilt. */
	size_t s0 = 0;
	for (size_t i = 0; i <= n; i++) {
		int cut = i == n || isnan(x[i]) || (brk[i] && i > s0);
		if (!cut)
			continue;
		size_t len = i - s0;
		if (len) {
			ck_assert_int_eq(bm_sosfiltfilt(sos, x + s0, want + s0, len), BM_FILTER_OK);
			double scale = range_of(x + s0, len);
			int exact = len < lat;
			for (size_t j = s0; j < i; j++) {
				double e = fabs(got[j] - want[j]);
				if (exact)
					ck_assert_msg(memcmp(&got[j], &want[j], sizeof got[j]) == 0,
					              "segment [%zu, %zu) shorter than block + look-ahead: sample %zu expected %.17g, got %.17g",
					              s0, i, j, want[j], got[j]);
				ck_assert_msg(e <= 1e-9 * scale, "segment [%zu, %zu) sample %zu: expected %.17g, got %.17g (range %g)",
				              s0, i, j, want[j], got[j], scale);
				if (scale > 0)
					st->worst_rel = fmax(st->worst_rel, e / scale);
			}
			st->segments++;
			st->blocked_segments += !exact;
		}
		if (i < n && isnan(x[i])) {
			ck_assert_msg(isnan(got[i]), "NaN at %zu must come out as NaN, got %g", i, got[i]);
			s0 = i + 1;
		} else {
			s0 = i;
		}
	}
	st->samples += n;
	bm_zerophase_free(zp);
	free(got);
	free(want);
}

START_TEST(zerophase_stream_equals_segments)
{
	static const struct {
		int order;
		double fc, fs;
	} designs[] = {{4, 5.0, 80.0}, {4, 3.0, 10.0}, {2, 0.5, 80.0}, {8, 20.0, 80.0}, {1, 2.0, 80.0}};
	const size_t blocks[] = {0, 1, 37, 256};
	struct stream_stats st = {0};
	enum { N = 30000 };
	double *x = malloc(N * sizeof *x);
	int *brk = calloc(N, sizeof *brk);

	rng_seed(12345);
	for (size_t d = 0; d < sizeof designs / sizeof designs[0]; d++) {
		struct bm_sos sos;
		size_t look;
		ck_assert_int_eq(bm_butter_lowpass(designs[d].order, designs[d].fc, designs[d].fs, &sos), BM_FILTER_OK);
		ck_assert_int_eq(bm_sos_lookahead(&sos, BM_ZEROPHASE_REL_ERROR, &look), BM_FILTER_OK);
		for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
			force_like(x, N, designs[d].fs);
			/* Segments from 0 to several blocks long: NaN runs and breaks. */
			size_t seg_scale = 3 * (blocks[b] ? blocks[b] : 4096) + 3 * look;
			memset(brk, 0, N * sizeof *brk);
			for (size_t i = 0; i < N;) {
				double u = rng_uniform();
				size_t len = u < 0.3 ? (size_t)(rng_uniform() * 40) : (size_t)(rng_uniform() * seg_scale);
				i += len;
				if (i >= N)
					break;
				if (rng_uniform() < 0.5) {
					size_t run = 1 + (size_t)(rng_uniform() * 3);
					for (size_t j = i; j < i + run && j < N; j++)
						x[j] = NAN;
					i += run;
				} else {
					brk[i] = 1;
					if (rng_uniform() < 0.2 && i + 1 < N)
						brk[i + 1] = 1;   /* an empty segment */
				}
			}
			check_stream(&sos, blocks[b], x, N, brk, &st);
		}
	}
	ck_assert_msg(st.blocked_segments > 20, "expected many segments cut in blocks, got %zu", st.blocked_segments);
	printf("zerophase stream: %zu samples, %zu segments (%zu blocked), worst error %.3g of the range\n",
	       st.samples, st.segments, st.blocked_segments, st.worst_rel);
	free(x);
	free(brk);
}
END_TEST

START_TEST(zerophase_stream_vs_scipy_long)
{
	struct ref_file r;
	double v[5], worst = 0.0;
	int long_records = 0;

	ref_open(&r, "filter_sosfiltfilt.txt");
	while (ref_numbers(&r, v, 5) == 5) {
		size_t n = (size_t)v[4];
		struct bm_sos sos;
		double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);

		ck_assert_int_eq(bm_butter_lowpass((int)v[0], v[1], v[2], &sos), BM_FILTER_OK);
		for (size_t i = 0; i < n; i++) {
			ref_expect(&r, v, 2);
			x[i] = v[0];
			ref[i] = v[1];
		}
		if (n >= 1000) {
			const size_t blocks[] = {0, 100, 256};
			for (size_t b = 0; b < 3; b++) {
				struct bm_zerophase *zp;
				const double *o;
				size_t k = 0;
				ck_assert_int_eq(bm_zerophase_new(&sos, blocks[b], &zp), BM_FILTER_OK);
				for (size_t i = 0; i < n; i++) {
					size_t m = bm_zerophase_push(zp, x[i], &o);
					if (m)
						memcpy(y + k, o, m * sizeof *o);
					k += m;
				}
				size_t m = bm_zerophase_end(zp, &o);
				if (m)
					memcpy(y + k, o, m * sizeof *o);
				k += m;
				ck_assert_msg(k == n, "long case: expected %zu samples out, got %zu", n, k);
				double scale = range_of(x, n);
				for (size_t i = 0; i < n; i++) {
					double e = fabs(y[i] - ref[i]) / scale;
					worst = fmax(worst, e);
					ck_assert_msg(e < 1e-9, "long case n %zu block %zu sample %zu: scipy %.17g, stream %.17g",
					              n, bm_zerophase_block_len(zp), i, ref[i], y[i]);
				}
				bm_zerophase_free(zp);
			}
			long_records++;
		}
		free(x);
		free(ref);
		free(y);
	}
	ref_close(&r);
	ck_assert_msg(long_records == 2, "expected 2 long records, read %d", long_records);
	printf("zerophase stream vs scipy (long): worst error %.3g of the range\n", worst);
}
END_TEST

START_TEST(zerophase_lookahead_and_limits)
{
	struct bm_sos sos;
	struct bm_zerophase *zp = NULL;
	size_t look80, look_slow;

	ck_assert_int_eq(bm_filter_default(80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_sos_lookahead(&sos, BM_ZEROPHASE_REL_ERROR, &look80), BM_FILTER_OK);
	/* The bound falls like rho^L; rho = 0.863 for this design, so L is a
	 * couple of hundred samples, not thousands. */
	ck_assert_msg(look80 > 50 && look80 < 400, "look-ahead at 80 SPS default: got %zu", look80);
	ck_assert_int_eq(bm_butter_lowpass(2, 0.5, 80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_sos_lookahead(&sos, BM_ZEROPHASE_REL_ERROR, &look_slow), BM_FILTER_OK);
	ck_assert_msg(look_slow > look80, "a lower cutoff decays slower: %zu vs %zu", look_slow, look80);
	/* A tighter bound needs a longer look-ahead. */
	size_t tight;
	ck_assert_int_eq(bm_sos_lookahead(&sos, 1e-14, &tight), BM_FILTER_OK);
	ck_assert_msg(tight > look_slow, "1e-14 needs more than 1e-10: %zu vs %zu", tight, look_slow);
	ck_assert_int_eq(bm_sos_lookahead(&sos, 0.0, &tight), BM_FILTER_ERR_ARG);
	/* Absurdly slow filters are refused, not given a huge buffer. */
	ck_assert_int_eq(bm_butter_lowpass(8, 0.0005, 80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_zerophase_new(&sos, 0, &zp), BM_FILTER_ERR_SLOW);
	ck_assert_msg(zp == NULL, "failed new sets the output to NULL");
	/* Block sizes. */
	ck_assert_int_eq(bm_filter_default(80.0, &sos), BM_FILTER_OK);
	ck_assert_int_eq(bm_zerophase_new(&sos, 0, &zp), BM_FILTER_OK);
	ck_assert_uint_eq(bm_zerophase_lookahead(zp), look80);
	ck_assert_msg(bm_zerophase_block_len(zp) >= 4096, "automatic block: got %zu", bm_zerophase_block_len(zp));
	ck_assert_uint_eq(bm_zerophase_max_out(zp), bm_zerophase_block_len(zp) + look80);
	bm_zerophase_free(zp);
	ck_assert_int_eq(bm_zerophase_new(&sos, 1, &zp), BM_FILTER_OK);
	ck_assert_uint_eq(bm_zerophase_block_len(zp), bm_sos_padlen(&sos) + 1);
	/* Only NaNs: each comes straight back. */
	const double *o;
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(bm_zerophase_push(zp, NAN, &o), 1);
		ck_assert_msg(isnan(o[0]), "NaN in, NaN out");
	}
	/* One sample then a NaN: the sample as it is, then the NaN. */
	ck_assert_uint_eq(bm_zerophase_push(zp, 77.25, &o), 0);
	ck_assert_uint_eq(bm_zerophase_push(zp, NAN, &o), 2);
	ck_assert_msg(o[0] == 77.25 && isnan(o[1]), "got %g %g", o[0], o[1]);
	bm_zerophase_free(zp);
	bm_zerophase_free(NULL);
	ck_assert_int_eq(bm_zerophase_new(&sos, BM_ZEROPHASE_MAX_BLOCK + 1, &zp), BM_FILTER_ERR_ARG);
	memset(&sos, 0, sizeof sos);
	ck_assert_int_eq(bm_zerophase_new(&sos, 0, &zp), BM_FILTER_ERR_ARG);
}
END_TEST

static Suite *suite_filter(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("despike");
	tcase_add_test(tc, despike_removes_single_spikes);
	tcase_add_test(tc, despike_keeps_steps_ramps_and_pairs);
	tcase_add_test(tc, despike_nan_rules);
	tcase_add_test(tc, despike_stream_equals_array);
	tcase_add_test(tc, despike_vs_scipy_medfilt);
	suite_add_tcase(s, tc);
	tc = tcase_create("design");
	tcase_add_test(tc, butter_vs_scipy);
	tcase_add_test(tc, butter_rejects_bad_args);
	tcase_add_test(tc, default_design_follows_rate);
	suite_add_tcase(s, tc);
	tc = tcase_create("causal");
	tcase_add_test(tc, sosfilt_vs_scipy);
	tcase_add_test(tc, sosfilt_steady_start_and_gaps);
	suite_add_tcase(s, tc);
	tc = tcase_create("zerophase");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sosfiltfilt_vs_scipy);
	tcase_add_test(tc, sosfiltfilt_edges);
	tcase_add_test(tc, zerophase_stream_equals_segments);
	tcase_add_test(tc, zerophase_stream_vs_scipy_long);
	tcase_add_test(tc, zerophase_lookahead_and_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		ref_dir = argv[1];
	SRunner *sr = srunner_create(suite_filter());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
