/* bm_zigzag.c - valleys by reversal; the idea is in bm_zigzag.h. */
#include "bm_zigzag.h"

#include <math.h>

double bm_zigzag_reversal_n(double amplitude_n, double noise_sd_n)
{
	double r = BM_ZIGZAG_REVERSAL_FRAC * amplitude_n;
	if (r < BM_ZIGZAG_REVERSAL_MIN_N)
		r = BM_ZIGZAG_REVERSAL_MIN_N;
	if (BM_ZIGZAG_REVERSAL_NOISE_SD * noise_sd_n > r)
		r = BM_ZIGZAG_REVERSAL_NOISE_SD * noise_sd_n;
	return r;
}

void bm_zigzag_reset(struct bm_zigzag *z, double x_n)
{
	z->peak_n = x_n;
	z->valley_n = INFINITY;
	z->valley_at = 0;
	z->falling = 0;
}

int bm_zigzag_step(struct bm_zigzag *z, double x, size_t at, double rev)
{
	if (!z->falling) {
		if (x > z->peak_n) {
			z->peak_n = x;
		} else if (z->peak_n - x >= rev) {
			z->falling = 1;
			z->valley_n = x;
			z->valley_at = at;
		}
		return 0;
	}
	if (x < z->valley_n) {
		z->valley_n = x;
		z->valley_at = at;
	} else if (x - z->valley_n >= rev) {
		z->falling = 0;
		z->peak_n = x;
		return 1;
	}
	return 0;
}
