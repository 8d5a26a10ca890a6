/*
 * bm_spectrum.h - power spectra of a force signal (Welch's method over a
 * real FFT from kissfft), and the tremor of a hold read from them.
 *
 * A hold is not perfectly still: physiological tremor puts a small
 * oscillation at 8-12 Hz on top of the plateau, and it grows with fatigue.
 * bridgemon reports its frequency and size per hold (analyze's JSON keys
 * tremor_hz and tremor_rms_n), computed on the despiked but unfiltered
 * signal of the plateau (the low-pass removes the tremor band).  A board
 * at 10 samples/s cannot see it (Nyquist 5 Hz): the values are then NaN.
 * The median-of-3 despiker trims the tips of a 10 Hz sine sampled at 80 SPS,
 * so the RMS reads about a tenth low there; the frequency is unaffected.
 *
 * Welch: segments of nfft samples with 50 % overlap, each with its mean
 * removed and a Hann window, |FFT|^2 averaged and scaled to a one-sided
 * density in N^2/Hz, the same as scipy.signal.welch(x, fs, window='hann',
 * nperseg=nfft, noverlap=nfft/2, detrend='constant', scaling='density').
 * The FFT plan and buffers are made once; computing allocates nothing.
 */
#ifndef BM_SPECTRUM_H
#define BM_SPECTRUM_H

#include <stddef.h>

/** Tremor band, Hz. */
#define BM_TREMOR_LOW_HZ 4.0
#define BM_TREMOR_HIGH_HZ 15.0

struct bm_spectrum;

/**
 * New Welch estimator with segments of @p nfft samples (even, >= 8).
 * @return NULL on a bad size or out of memory.
 */
struct bm_spectrum *bm_spectrum_new(size_t nfft);

void bm_spectrum_free(struct bm_spectrum *sp);

/** Segment length. */
size_t bm_spectrum_nfft(const struct bm_spectrum *sp);

/**
 * One-sided power spectral density of @p x.
 * @param x        n samples, finite, evenly spaced at @p rate_hz
 * @param psd      nfft / 2 + 1 values out, N^2/Hz; bin k is at
 *                 k * rate_hz / nfft
 * @return segments averaged (>= 1), or 0 when n < nfft (psd untouched).
 */
size_t bm_spectrum_welch(struct bm_spectrum *sp, const double *x, size_t n, double rate_hz,
                         double *psd);

/** Tremor of a stretch of force. */
struct bm_tremor {
	double peak_hz;   /**< strongest frequency in the tremor band; NaN if none */
	double rms_n;     /**< RMS of the signal within the band, N; NaN if none */
};

/**
 * Tremor of @p x (a hold's plateau, unfiltered): the band 4-15 Hz of its
 * Welch spectrum.  NaN values when the band is above Nyquist or @p n is
 * shorter than one segment.
 */
void bm_spectrum_tremor(struct bm_spectrum *sp, const double *x, size_t n, double rate_hz,
                        struct bm_tremor *out);

#endif
