/*
 * bm_metric_confidence.h - which measures a recording can honestly report
 * at its sample rate.
 *
 * The board samples at 80 Hz (10 Hz when the HX711's RATE pin is left
 * low).  Measures over a whole effort - peak and mean force, steadiness
 * (CV), impulse, time under tension, hold duration, the limb symmetry index
 * - are sound at 80 Hz, and at 10 Hz except the peak of a quick rep, which
 * a sample every 100 ms can miss.  Times of events are known to one sample
 * (+-1/rate s): time to peak is reported with that margin.  Force-time
 * measures over short windows (rate of force development over 0-100 ms or
 * 0-200 ms) need enough samples inside the window and a converter that
 * settles within it: a window shorter than max(0.2 s, 10 samples) is not
 * reported - under 200 ms at 80 Hz, under about 1 s at 10 Hz.
 *
 * bm_metric_confidence() lists (metric, status, text) for the report and the
 * README.
 */
#ifndef BM_METRIC_CONFIDENCE_H
#define BM_METRIC_CONFIDENCE_H

#include <stddef.h>

enum bm_metric_status {
	BM_METRIC_VALID = 0,          /**< report as measured */
	BM_METRIC_RESOLUTION = 1,     /**< report with its +- one-sample margin */
	BM_METRIC_APPROXIMATE = 2,    /**< report, marked approximate */
	BM_METRIC_NOT_REPORTED = 3,   /**< leave out at this rate */
};

/** Below this rate a quick rep's peak may be missed between samples. */
#define BM_METRIC_PEAK_MIN_RATE_HZ 40.0
/** Below this rate even whole-effort means are approximate. */
#define BM_METRIC_MEAN_MIN_RATE_HZ 5.0
/** Force-time windows need at least this long ... */
#define BM_METRIC_MIN_WINDOW_S 0.2
/** ... and at least this many samples. */
#define BM_METRIC_MIN_WINDOW_SAMPLES 10

/** How many notes bm_metric_confidence writes. */
#define BM_METRIC_N_NOTES 10

struct bm_metric_note {
	const char *metric;           /**< "peak force", "RFD 0-100 ms", ... (static) */
	enum bm_metric_status status;
	char text[160];               /**< one line with the numbers */
};

/** The shortest force-time window reported at @p rate_hz, s (NaN: bad rate). */
double bm_metric_min_window_s(double rate_hz);

/**
 * Notes for every measure at @p rate_hz, in a fixed order: peak force, mean
 * force, CV, impulse, time under tension, hold duration, LSI, time to peak,
 * RFD 0-100 ms, RFD 0-200 ms.
 * @return how many notes were written (BM_METRIC_N_NOTES, fewer when
 *         @p max is smaller), 0 for a rate that is not > 0.
 */
size_t bm_metric_confidence(double rate_hz, struct bm_metric_note *out, size_t max);

/** "valid", "+-1 sample", "approximate", "not reported". */
const char *bm_metric_status_name(enum bm_metric_status s);

#endif
