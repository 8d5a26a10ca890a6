/* bm_clock.c - monotonic clock and pacing; see bm_clock.h. */
#include "bm_clock.h"

#include <math.h>
#include <time.h>

double bm_clock_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bm_clock_sleep_s(double s)
{
	if (!(s > 0))
		return;
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	nanosleep(&ts, NULL);
}

int bm_pace_due(struct bm_pace *p, double t_s, double deadline_s, int may_wait)
{
	double now = bm_clock_mono_s();
	if (!p->started) {
		p->started = 1;
		p->wall0_s = now;
		p->t0_s = t_s;
	}
	if (!(p->speed > 0))
		return 1;
	double due = p->wall0_s + (t_s - p->t0_s) / p->speed;
	if (due <= now)
		return 1;
	if (!may_wait)
		return 0;
	if (due > deadline_s) {
		bm_clock_sleep_s(deadline_s - now);
		return 0;
	}
	bm_clock_sleep_s(due - now);
	return 1;
}
