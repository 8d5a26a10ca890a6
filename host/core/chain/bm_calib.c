/* bm_calib.c - tare, known-mass scale and apply; the idea is in
 * bm_calib.h. */
#include "bm_calib.h"

#include "bm_say.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const chan_name[BM_CALIB_NCHAN] = {"left", "right"};

void bm_calib_limits_default(struct bm_calib_limits *lim)
{
	lim->still_sd_n = 2.0;
	lim->still_drift_n = 2.0;
	lim->tare_max_load_n = 30.0;
	lim->min_counts = 500.0;
}

void bm_calib_init(struct bm_calib *cal)
{
	for (int ch = 0; ch < BM_CALIB_NCHAN; ch++) {
		cal->offset_counts[ch] = 0;
		cal->scale_n_per_count[ch] = BM_CALIB_DEFAULT_SCALE_N_PER_COUNT;
		cal->valid[ch] = 0;
	}
}

double bm_calib_apply(const struct bm_calib *cal, int ch, int32_t raw_counts)
{
	return ((double)raw_counts - cal->offset_counts[ch]) * cal->scale_n_per_count[ch];
}

/* Mean, standard deviation and half-to-half drift of a window, in counts. */
static void window_stats(const int32_t *raw, size_t n, double *mean, double *sd, double *drift)
{
	double sum = 0, sum_a = 0, sum_b = 0, ss = 0;
	size_t half = n / 2;
	for (size_t i = 0; i < n; i++) {
		sum += raw[i];
		if (i < half)
			sum_a += raw[i];
		else
			sum_b += raw[i];
	}
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += ((double)raw[i] - *mean) * ((double)raw[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	*drift = half ? fabs(sum_b / (double)(n - half) - sum_a / (double)half) : 0;
}

/* Stillness in newtons, judged with the current scale. */
static int check_still(const struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                       double sd_counts, double drift_counts, const char *what,
                       char *msg, size_t len)
{
	double k = fabs(cal->scale_n_per_count[ch]);
	if (sd_counts * k > lim->still_sd_n || drift_counts * k > lim->still_drift_n) {
		bm_say(msg, len, "%s refused on the %s plate: the force is changing "
		    "(%.1f N spread, %.1f N drift); keep still and try again",
		    what, chan_name[ch], sd_counts * k, drift_counts * k);
		return BM_CALIB_ERR_MOVING;
	}
	return BM_CALIB_OK;
}

int bm_calib_tare(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                  const int32_t *raw, size_t n, char *msg, size_t len)
{
	double mean, sd, drift;
	int r;

	if (ch < 0 || ch >= BM_CALIB_NCHAN || n < 2) {
		bm_say(msg, len, "tare needs at least two readings");
		return BM_CALIB_ERR_ARG;
	}
	window_stats(raw, n, &mean, &sd, &drift);
	r = check_still(cal, lim, ch, sd, drift, "tare", msg, len);
	if (r != BM_CALIB_OK)
		return r;
	if (cal->valid[ch]) {
		double load = (mean - cal->offset_counts[ch]) * cal->scale_n_per_count[ch];
		if (fabs(load) > lim->tare_max_load_n) {
			bm_say(msg, len, "tare refused on the %s plate: it carries %.0f N; "
			    "lift your heel off the plate first", chan_name[ch], load);
			return BM_CALIB_ERR_LOADED;
		}
	}
	cal->offset_counts[ch] = mean;
	bm_say(msg, len, "%s plate tared", chan_name[ch]);
	return BM_CALIB_OK;
}

int bm_calib_scale(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                   const int32_t *raw, size_t n, double mass_kg, char *msg, size_t len)
{
	double mean, sd, drift, delta;
	int r;

	if (ch < 0 || ch >= BM_CALIB_NCHAN || n < 2 || !(mass_kg > 0) || !isfinite(mass_kg)) {
		bm_say(msg, len, "calibration needs a mass above 0 kg and at least two readings");
		return BM_CALIB_ERR_ARG;
	}
	window_stats(raw, n, &mean, &sd, &drift);
	r = check_still(cal, lim, ch, sd, drift, "calibration", msg, len);
	if (r != BM_CALIB_OK)
		return r;
	delta = mean - cal->offset_counts[ch];
	if (fabs(delta) < lim->min_counts) {
		bm_say(msg, len, "calibration refused on the %s plate: %.1f kg changed the reading "
		    "by only %.0f counts; check the load cell wiring", chan_name[ch], mass_kg, delta);
		return BM_CALIB_ERR_NO_RESPONSE;
	}
	/* A negative delta is a cell wired in reverse: the scale turns negative
	 * and forces come out positive all the same. */
	cal->scale_n_per_count[ch] = mass_kg * BM_STANDARD_GRAVITY / delta;
	cal->valid[ch] = 1;
	bm_say(msg, len, "%s plate calibrated: %.4g N per count%s", chan_name[ch],
	    cal->scale_n_per_count[ch], delta < 0 ? " (cell wired in reverse)" : "");
	return BM_CALIB_OK;
}
