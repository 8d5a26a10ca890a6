/*
 * bm_zigzag.h - valleys in a loaded period: the one rule that both the live
 * rep counter and the final split of a period into efforts use.
 *
 * A zigzag follows the force up to a peak; once it has fallen from the peak
 * by the reversal it is falling, and it follows it down to a valley; once
 * it has risen from the valley by the reversal again, the valley is
 * confirmed.  Touch-and-go reps drop far (the hips go down toward the floor)
 * and make valleys; tremor and slow wander inside a hold do not.
 *
 * The reversal is max(20 % of the amplitude above rest, 10 N, 4 noise SDs):
 * a share of the effort's size, so light and heavy efforts are treated
 * alike, never below what a bridge's own wobble or a noisy plate makes.
 * The final split knows the whole period's amplitude; the live counter
 * knows the amplitude so far.
 */
#ifndef BM_ZIGZAG_H
#define BM_ZIGZAG_H

#include <stddef.h>

/** Share of the amplitude above rest that a valley must fall and rise. */
#define BM_ZIGZAG_REVERSAL_FRAC 0.2
/** ... and at least this, newtons. */
#define BM_ZIGZAG_REVERSAL_MIN_N 10.0
/** ... and at least this many noise SDs of the filtered force. */
#define BM_ZIGZAG_REVERSAL_NOISE_SD 4.0

struct bm_zigzag {
	double peak_n;     /**< highest force since the last valley (or start) */
	double valley_n;   /**< lowest force since falling began */
	size_t valley_at;  /**< caller's index of that sample */
	int falling;
};

/** The reversal for an effort of @p amplitude_n above rest on a plate
 *  with @p noise_sd_n of noise (0 when unknown). */
double bm_zigzag_reversal_n(double amplitude_n, double noise_sd_n);

/** Start again from force @p x_n (the start of a period, or after a touch
 *  below the threshold). */
void bm_zigzag_reset(struct bm_zigzag *z, double x_n);

/**
 * One sample.
 * @param at          the caller's index of the sample (kept for a valley)
 * @param reversal_n  from bm_zigzag_reversal_n()
 * @return 1 when this sample confirms a valley (z->valley_n, z->valley_at
 *         say where), else 0.
 */
int bm_zigzag_step(struct bm_zigzag *z, double x_n, size_t at, double reversal_n);

#endif
