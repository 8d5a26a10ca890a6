/*
 * bm_pain.h - the pain-monitoring model for tendon loading.
 *
 * Tendons take load better than rest, and some pain while loading is
 * allowed.  The athlete scores pain 0-10: 0-2 is safe, 3-5 acceptable,
 * above 5 too much.  The load is judged from three scores: before the
 * session, during/just after it, and the next morning (pain from tendon
 * overload shows the day after):
 *
 *   progress the load  pain <= 3 during, and settled by the next morning
 *                      (no higher than before the session; without a
 *                      before score, back in the safe zone)
 *   reduce the load    pain above 5 during or the next morning, or the
 *                      next morning worse than before the session
 *   hold the load      anything in between, and while the next morning's
 *                      score is still to come
 *
 * Every advice text ends with "(guidance, not medical advice)": the model
 * is a rule of thumb from the rehab literature, not a diagnosis.
 */
#ifndef BM_PAIN_H
#define BM_PAIN_H

#include <stddef.h>

#include "bm_rehab.h"

enum bm_pain_zone {
	BM_PAIN_UNKNOWN = 0,     /**< no score (NaN) or not within 0-10 */
	BM_PAIN_SAFE = 1,        /**< 0-2 */
	BM_PAIN_ACCEPTABLE = 2,  /**< above 2, up to 5 */
	BM_PAIN_TOO_MUCH = 3,    /**< above 5 */
};

enum bm_pain_advice {
	BM_PAIN_ADVICE_UNKNOWN = 0,  /**< no during/after score */
	BM_PAIN_ADVICE_PROGRESS = 1,
	BM_PAIN_ADVICE_HOLD = 2,
	BM_PAIN_ADVICE_REDUCE = 3,
};

/** Return codes. */
enum bm_pain_result {
	BM_PAIN_OK = 0,
	BM_PAIN_ERR_ARG = -1,    /**< a score outside 0-10 (NaN means "not given"), NULL advice */
};

struct bm_pain_params {
	double safe_max;         /**< top of the safe zone (2) */
	double acceptable_max;   /**< top of the acceptable zone (5) */
	double progress_max;     /**< during/after score that allows progressing (3) */
};

void bm_pain_params_default(struct bm_pain_params *p);

/** Zone of a score with the default limits. */
enum bm_pain_zone bm_pain_zone_of(double score);

/** Zone of a score with @p p's limits (NULL: the defaults). */
enum bm_pain_zone bm_pain_zone_with(double score, const struct bm_pain_params *p);

/** "safe", "acceptable", "too much", "unknown". */
const char *bm_pain_zone_name(enum bm_pain_zone z);

/** "progress the load", "hold the load", "reduce the load", "no advice yet". */
const char *bm_pain_advice_name(enum bm_pain_advice a);

/**
 * Advice from the three scores (each 0-10, or NaN when not given).
 * @param p       NULL: the defaults
 * @param advice  receives the advice; must not be NULL
 * @param text    receives one line with the reason and the numbers, ending
 *                "(guidance, not medical advice)" (may be NULL)
 * @return BM_PAIN_OK, or BM_PAIN_ERR_ARG (advice UNKNOWN, text says why).
 */
int bm_pain_advise(double before, double after, double next_morning,
                   const struct bm_pain_params *p, enum bm_pain_advice *advice,
                   char *text, size_t text_len);

#endif
