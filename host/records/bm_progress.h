/*
 * bm_progress.h - an athlete's progress as the report's progress page and
 * the live window's progress view (key p) both show it, from one history
 * (bm_history.h): one point per session, and the return-to-run checklist
 * (bm_readiness.h) over the single-leg bridge sessions.
 *
 * This gathers; it computes nothing new.  A point is a session's best hold
 * force of each leg above rest, its LSI on peak force, and its pain (after
 * the session, else before it).  The checklist looks at the sessions that
 * are single-leg bridges: those with an LSI (single-leg holds of both
 * legs), or whose exercise says single-leg.  Reps to fatigue are the reps
 * per leg of the latest session run with the fatigue protocol
 * (`--protocol fatigue`: a single-leg bridge to fatigue, left then right);
 * without one that item is "not tested" (unknown).
 */
#ifndef BM_PROGRESS_H
#define BM_PROGRESS_H

#include "bm_history.h"
#include "bm_readiness.h"

/** Return codes: 0 ok, negatives are errors. */
enum bm_progress_result {
	BM_PROGRESS_OK = 0,
	BM_PROGRESS_ERR_ARG = -1,    /**< NULL history or out; bad thresholds */
	BM_PROGRESS_ERR_NOMEM = -2,
};

/** One session as the progress charts draw it.  NaN: none. */
struct bm_progress_point {
	double epoch_s;              /**< session start, Unix seconds */
	double best_hold_n[2];       /**< best hold above rest, left and right, N */
	double lsi_pct;              /**< limb symmetry index on peak force, % */
	double pain;                 /**< 0-10: after the session, else before it */
};

/** The point of session @p s (both must not be NULL). */
void bm_progress_point(const struct bm_history_session *s, struct bm_progress_point *out);

/** The protocol (as --protocol takes it) whose sessions are fatigue tests. */
#define BM_PROGRESS_FATIGUE_PROTOCOL "fatigue"

/** Reps to fatigue, left and right, from the latest non-demo session of the
 *  fatigue protocol in @p h; -1 for a leg not tested (no such session, or
 *  no rep of that leg in it). */
void bm_progress_fatigue_reps(const struct bm_history *h, int reps[2]);

/** 1 when session @p s counts for the checklist (a single-leg bridge). */
int bm_progress_single_leg(const struct bm_history_session *s);

/**
 * The return-to-run checklist of history @p h.
 * @param p    thresholds; NULL: bm_readiness_params_default()
 * @param out  the checklist; must not be NULL
 * @return BM_PROGRESS_OK, BM_PROGRESS_ERR_ARG, BM_PROGRESS_ERR_NOMEM.
 */
int bm_progress_readiness(const struct bm_history *h, const struct bm_readiness_params *p,
                          struct bm_readiness *out);

#endif
