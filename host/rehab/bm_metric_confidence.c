/* bm_metric_confidence.c - measures valid at a sample rate; see the header. */
#include "bm_metric_confidence.h"

#include <math.h>
#include <stdio.h>

double bm_metric_min_window_s(double rate_hz)
{
	if (!(rate_hz > 0) || !isfinite(rate_hz))
		return NAN;
	double by_samples = BM_METRIC_MIN_WINDOW_SAMPLES / rate_hz;
	return by_samples > BM_METRIC_MIN_WINDOW_S ? by_samples : BM_METRIC_MIN_WINDOW_S;
}

const char *bm_metric_status_name(enum bm_metric_status s)
{
	switch (s) {
	case BM_METRIC_VALID: return "valid";
	case BM_METRIC_RESOLUTION: return "+-1 sample";
	case BM_METRIC_APPROXIMATE: return "approximate";
	case BM_METRIC_NOT_REPORTED: return "not reported";
	default: return "?";
	}
}

static size_t add(struct bm_metric_note *out, size_t n, size_t max, const char *metric,
                  enum bm_metric_status st, const char *text)
{
	if (n >= max)
		return n;
	out[n].metric = metric;
	out[n].status = st;
	snprintf(out[n].text, sizeof out[n].text, "%s", text);
	return n + 1;
}

size_t bm_metric_confidence(double rate_hz, struct bm_metric_note *out, size_t max)
{
	if (!out || !(rate_hz > 0) || !isfinite(rate_hz))
		return 0;
	double dt = 1 / rate_hz;
	char t[160];
	size_t n = 0;

	if (rate_hz >= BM_METRIC_PEAK_MIN_RATE_HZ) {
		snprintf(t, sizeof t, "valid at %g Hz (a sample every %.4g s)", rate_hz, dt);
		n = add(out, n, max, "peak force", BM_METRIC_VALID, t);
	} else {
		snprintf(t, sizeof t, "approximate at %g Hz: a sample every %.4g s can miss a quick "
		         "rep's peak (holds are fine)", rate_hz, dt);
		n = add(out, n, max, "peak force", BM_METRIC_APPROXIMATE, t);
	}

	static const char *const whole[] = {"mean force", "CV", "impulse"};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		int ok = rate_hz >= BM_METRIC_MEAN_MIN_RATE_HZ;
		snprintf(t, sizeof t, ok ? "valid at %g Hz (over the whole effort)"
		         : "approximate at %g Hz: few samples per effort", rate_hz);
		n = add(out, n, max, whole[i], ok ? BM_METRIC_VALID : BM_METRIC_APPROXIMATE, t);
	}

	static const char *const spans[] = {"time under tension", "hold duration"};
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		snprintf(t, sizeof t, "valid at %g Hz, to +-%.4g s (one sample)", rate_hz, dt);
		n = add(out, n, max, spans[i], BM_METRIC_VALID, t);
	}

	snprintf(t, sizeof t, "valid at %g Hz (from whole-effort forces)", rate_hz);
	n = add(out, n, max, "LSI", rate_hz >= BM_METRIC_MEAN_MIN_RATE_HZ ? BM_METRIC_VALID
	        : BM_METRIC_APPROXIMATE, t);

	snprintf(t, sizeof t, "+-%.4g s (one sample at %g Hz)", dt, rate_hz);
	n = add(out, n, max, "time to peak", BM_METRIC_RESOLUTION, t);

	double win = bm_metric_min_window_s(rate_hz);
	static const struct {
		const char *name;
		double window_s;
	} rfd[] = {{"RFD 0-100 ms", 0.1}, {"RFD 0-200 ms", 0.2}};
	for (size_t i = 0; i < sizeof rfd / sizeof rfd[0]; i++) {
		/* A window equal to the shortest one is reported (compare with a
		 * margin far below one sample: 0.1 + 0.1 is not exactly 0.2). */
		if (rfd[i].window_s >= win - 1e-9) {
			snprintf(t, sizeof t, "%.0f samples in the window at %g Hz: +-%.4g s on its "
			         "edges", rfd[i].window_s * rate_hz, rate_hz, dt);
			n = add(out, n, max, rfd[i].name, BM_METRIC_RESOLUTION, t);
		} else {
			snprintf(t, sizeof t, "not reported at %g Hz: force-time measures under %.3g s "
			         "are not (a window needs %d samples and %g s)", rate_hz, win,
			         BM_METRIC_MIN_WINDOW_SAMPLES, BM_METRIC_MIN_WINDOW_S);
			n = add(out, n, max, rfd[i].name, BM_METRIC_NOT_REPORTED, t);
		}
	}
	return n;
}
