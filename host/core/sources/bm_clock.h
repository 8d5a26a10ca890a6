/*
 * bm_clock.h - monotonic time and pacing for sources that play samples at
 * their recorded rate (the demo athlete, a replay).
 */
#ifndef BM_CLOCK_H
#define BM_CLOCK_H

/** Seconds on the monotonic clock (arbitrary origin). */
double bm_clock_mono_s(void);

/** Sleep @p s seconds (nothing when s <= 0). */
void bm_clock_sleep_s(double s);

/** Plays sample times against the monotonic clock at a speed. */
struct bm_pace {
	double speed;   /**< 1 real time, 2 twice as fast, 0 no pacing */
	int started;
	double wall0_s, t0_s;
};

/**
 * Wait until sample time @p t_s is due, but not past @p deadline_s (a
 * monotonic time).  The first sample sets the origin.
 * @param may_wait  0: do not sleep at all, just say whether it is due.
 * @return 1 when the sample is due now, 0 when it is not yet (the caller
 *         returns what it has and comes back later).
 */
int bm_pace_due(struct bm_pace *p, double t_s, double deadline_s, int may_wait);

#endif
