/*
 * bm_readiness.h - the return-to-run checklist after a proximal hamstring
 * tendinopathy: four items, each met, not met or unknown, with its numbers.
 *
 *   1. single-leg bridge limb symmetry index (weaker / stronger x 100) on
 *      peak force >= 90 % on the last two consecutive sessions;
 *   2. the same on impulse (force x time: a leg can peak like the other but
 *      not sustain it);
 *   3. pain <= 3/10 the next morning after both of those sessions;
 *   4. single-leg bridge reps to fatigue at or above the norm on both sides
 *      (Freckleton et al. 2014: under 20 is poor; bm_rehab_protocol.h).
 *
 * An item is "unknown" when a number it needs is missing (fewer than two
 * sessions, a pain score not entered, no fatigue test), "not met" as soon as
 * one known number fails it (a missing one cannot rescue it), else "met".
 * The overall answer is met only when every item is.  Thresholds are
 * parameters: a clinic sets its own.  All of it is labelled guidance, not
 * medical advice: the decision to run belongs to the athlete and their
 * clinician.
 */
#ifndef BM_READINESS_H
#define BM_READINESS_H

#include <stddef.h>

#include "bm_rehab.h"

/** Return codes. */
enum bm_readiness_result {
	BM_READINESS_OK = 0,
	BM_READINESS_ERR_ARG = -1,  /**< NULL out, sessions NULL with n > 0, sessions_needed < 1 */
};

/** Most sessions an item looks back over. */
#define BM_READINESS_MAX_SESSIONS 8

struct bm_readiness_params {
	double lsi_peak_min_pct;     /**< 90 */
	double lsi_impulse_min_pct;  /**< 90 */
	int sessions_needed;         /**< consecutive sessions (2, at most BM_READINESS_MAX_SESSIONS) */
	double pain_max;             /**< next-morning pain allowed (3) */
	int fatigue_reps_min;        /**< per side (BM_FATIGUE_REPS_POOR_BELOW, 20) */
};

void bm_readiness_params_default(struct bm_readiness_params *p);

/** One single-leg bridge session. */
struct bm_readiness_session {
	double epoch_s;              /**< when; sessions may come in any order */
	double lsi_peak_pct;         /**< NaN: unknown */
	double lsi_impulse_pct;      /**< NaN: unknown */
	double pain_next_morning;    /**< 0-10, NaN: not entered */
};

enum bm_ready_status {
	BM_READY_UNKNOWN = 0,
	BM_READY_MET = 1,
	BM_READY_NOT_MET = 2,
};

enum bm_readiness_item_id {
	BM_READY_LSI_PEAK = 0,
	BM_READY_LSI_IMPULSE = 1,
	BM_READY_PAIN = 2,
	BM_READY_FATIGUE = 3,
	BM_READY_N_ITEMS = 4,
};

struct bm_readiness_item {
	enum bm_ready_status status;
	char text[200];              /**< the item with its numbers */
};

struct bm_readiness {
	struct bm_readiness_item items[BM_READY_N_ITEMS];
	enum bm_ready_status overall;
	char text[160];              /**< the verdict, ending "(guidance, not medical advice)" */
};

/**
 * Check the list.
 * @param sessions      single-leg bridge sessions (the last sessions_needed
 *                      by date are used)
 * @param fatigue_reps  reps to fatigue, left and right (negative: not
 *                      tested; NULL: neither)
 * @param p             NULL: the defaults
 * @return BM_READINESS_OK or BM_READINESS_ERR_ARG.
 */
int bm_readiness_check(const struct bm_readiness_session *sessions, size_t n,
                       const int fatigue_reps[2], const struct bm_readiness_params *p,
                       struct bm_readiness *out);

/** "met", "not met", "unknown". */
const char *bm_ready_status_name(enum bm_ready_status s);

#endif
