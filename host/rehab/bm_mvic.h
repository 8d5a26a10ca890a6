/*
 * bm_mvic.h - the athlete's maximal voluntary isometric contraction (MVIC):
 * the reference that turns "70 %" into newtons per leg.
 *
 * The MVIC test is a protocol like any other (the built-in `mvic`: three
 * maximal efforts of 5 s with the left leg alone, three with the right,
 * three with both, a minute's rest between them) run by bm_runner.  Its
 * result is the best effort per leg - the highest force above the leg's
 * resting level over an effort - in each mode: single-leg (what a
 * single-leg set's zone is a % of) and both legs together, where each leg's
 * best is taken during the both-legs efforts (what a double-leg set's zone
 * is a % of: each leg carries less in a double-leg bridge than alone, so
 * the single-leg value would set a zone nobody can reach).
 *
 * A result keeps its date; strength changes over weeks of loading, so a
 * test older than a week is due again (bm_mvic_retest_due).
 */
#ifndef BM_MVIC_H
#define BM_MVIC_H

#include "bm_rehab.h"

/** A test older than this many days is due again. */
#define BM_MVIC_RETEST_DAYS 7.0

struct bm_mvic {
	double epoch_s;      /**< when the test was done (seconds since 1970); NaN: never */
	double single_n[2];  /**< best single-leg effort, left and right, N above rest; NaN: not tested */
	double both_n[2];    /**< best of each leg during the both-legs efforts; NaN: not tested */
};

/** No test: every field NaN. */
void bm_mvic_init(struct bm_mvic *m);

/**
 * Is a new test due at @p now_epoch_s?  1 when there is no test (no date,
 * or no value at all) or the last one is more than @p max_age_days old,
 * else 0 (a date in the future - a wrong clock - is not "due").
 * @param max_age_days  <= 0 or NaN: BM_MVIC_RETEST_DAYS
 */
int bm_mvic_retest_due(const struct bm_mvic *m, double now_epoch_s, double max_age_days);

/**
 * The MVIC a set working on @p side is a % of, per leg: both-legs values
 * for BM_SIDE_BOTH, single-leg values for LEFT or RIGHT (the other leg NaN).
 * NaN where the test has no value: there is no fallback from one mode to
 * the other (see the top of this file).
 */
void bm_mvic_reference(const struct bm_mvic *m, enum bm_side side, double out_n[2]);

/**
 * Keep the better of two results per leg and mode (a test spread over
 * two sessions): @p into gets the larger value of each field and the later
 * date of the two that contributed.
 */
void bm_mvic_merge(struct bm_mvic *into, const struct bm_mvic *other);

#endif
