/* bm_spectrum.c - Welch spectra and tremor; the idea is in bm_spectrum.h. */
#include "bm_spectrum.h"

#include <math.h>
#include <stdlib.h>

#include <kiss_fftr.h>

struct bm_spectrum {
	size_t nfft;
	kiss_fftr_cfg cfg;
	kiss_fft_scalar *in;
	kiss_fft_cpx *out;
	double *win;
	double win_ss;      /* sum of the window's squares */
	double *psd;        /* scratch for tremor */
};

struct bm_spectrum *bm_spectrum_new(size_t nfft)
{
	struct bm_spectrum *sp;
	if (nfft < 8 || nfft % 2 || nfft > (1u << 20))
		return NULL;
	sp = calloc(1, sizeof *sp);
	if (!sp)
		return NULL;
	sp->nfft = nfft;
	sp->cfg = kiss_fftr_alloc((int)nfft, 0, NULL, NULL);
	sp->in = malloc(nfft * sizeof *sp->in);
	sp->out = malloc((nfft / 2 + 1) * sizeof *sp->out);
	sp->win = malloc(nfft * sizeof *sp->win);
	sp->psd = malloc((nfft / 2 + 1) * sizeof *sp->psd);
	if (!sp->cfg || !sp->in || !sp->out || !sp->win || !sp->psd) {
		bm_spectrum_free(sp);
		return NULL;
	}
	/* Periodic Hann, as scipy's get_window('hann', n) (fftbins=True). */
	for (size_t i = 0; i < nfft; i++) {
		sp->win[i] = 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)nfft);
		sp->win_ss += sp->win[i] * sp->win[i];
	}
	return sp;
}

void bm_spectrum_free(struct bm_spectrum *sp)
{
	if (!sp)
		return;
	kiss_fftr_free(sp->cfg);
	free(sp->in);
	free(sp->out);
	free(sp->win);
	free(sp->psd);
	free(sp);
}

size_t bm_spectrum_nfft(const struct bm_spectrum *sp)
{
	return sp->nfft;
}

size_t bm_spectrum_welch(struct bm_spectrum *sp, const double *x, size_t n, double rate_hz,
                         double *psd)
{
	size_t nfft = sp->nfft, half = nfft / 2, segs = 0;

	if (n < nfft)
		return 0;
	for (size_t k = 0; k <= half; k++)
		psd[k] = 0;
	for (size_t s = 0; s + nfft <= n; s += half) {
		double mean = 0;
		for (size_t i = 0; i < nfft; i++)
			mean += x[s + i];
		mean /= (double)nfft;
		/* kissfft is packaged in float only: the mean is removed in
		 * double first, so float keeps the small tremor on a large
		 * plateau (7 digits of the deviation, not of 300 N). */
		for (size_t i = 0; i < nfft; i++)
			sp->in[i] = (kiss_fft_scalar)((x[s + i] - mean) * sp->win[i]);
		kiss_fftr(sp->cfg, sp->in, sp->out);
		for (size_t k = 0; k <= half; k++)
			psd[k] += (double)sp->out[k].r * sp->out[k].r + (double)sp->out[k].i * sp->out[k].i;
		segs++;
	}
	/* Density scaling, one-sided: double all bins but DC and Nyquist. */
	double scale = 1.0 / (rate_hz * sp->win_ss * (double)segs);
	for (size_t k = 0; k <= half; k++)
		psd[k] *= scale * (k == 0 || k == half ? 1.0 : 2.0);
	return segs;
}

void bm_spectrum_tremor(struct bm_spectrum *sp, const double *x, size_t n, double rate_hz,
                        struct bm_tremor *out)
{
	size_t half = sp->nfft / 2;
	double df = rate_hz / (double)sp->nfft;

	out->peak_hz = NAN;
	out->rms_n = NAN;
	if (!(rate_hz / 2 > BM_TREMOR_HIGH_HZ) || !bm_spectrum_welch(sp, x, n, rate_hz, sp->psd))
		return;
	size_t lo = (size_t)ceil(BM_TREMOR_LOW_HZ / df), hi = (size_t)floor(BM_TREMOR_HIGH_HZ / df);
	if (hi > half)
		hi = half;
	double power = 0, best = -1;
	size_t best_k = lo;
	for (size_t k = lo; k <= hi; k++) {
		power += sp->psd[k] * df;
		if (sp->psd[k] > best) {
			best = sp->psd[k];
			best_k = k;
		}
	}
	/* Refine the peak between bins with a parabola through its
	 * neighbours (the bins are rate/nfft = 0.3 Hz apart at 80 SPS). */
	double f = (double)best_k;
	if (best_k > lo && best_k < hi) {
		double a = sp->psd[best_k - 1], b = sp->psd[best_k], c = sp->psd[best_k + 1];
		double d = a - 2 * b + c;
		if (d < 0)
			f += 0.5 * (a - c) / d;
	}
	out->peak_hz = f * df;
	out->rms_n = sqrt(power);
}
