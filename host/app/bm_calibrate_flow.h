/*
 * bm_calibrate_flow.h - calibrating a board in a terminal, for people who
 * record headless: the window's guided steps (tare, a known mass on each
 * plate, a check), as prompts and typed answers.
 *
 * Samples keep streaming from the board while the program waits for the
 * user, so every step judges the last seconds of real readings; the steps
 * are the live pipeline's staged calibration (bm_monitor.h): nothing is
 * applied until the check is confirmed, and anything but "yes" there (or
 * the end of the input) leaves the board as it was.
 */
#ifndef BM_CALIBRATE_FLOW_H
#define BM_CALIBRATE_FLOW_H

#include <stdio.h>

#include "bm_calib.h"
#include "bm_source.h"

/** The steps, as a test's simulated board needs to know them. */
enum bm_cal_step {
	BM_CAL_STEP_TARE = 0,    /**< plates empty */
	BM_CAL_STEP_LEFT = 1,    /**< the known mass on the left plate */
	BM_CAL_STEP_RIGHT = 2,   /**< ... on the right plate */
	BM_CAL_STEP_CHECK = 3,   /**< the check: masses where they are */
	BM_CAL_STEP_DONE = 4,
};

/** Called when a step begins (may be NULL). */
typedef void (*bm_cal_step_cb)(void *ctx, enum bm_cal_step step);

/** Return codes: 0 the new calibration is in @p out, else why not. */
enum bm_cal_flow_result {
	BM_CAL_FLOW_OK = 0,
	BM_CAL_FLOW_DISCARDED = -1,  /**< the user said no, or the input ended */
	BM_CAL_FLOW_NO_DATA = -2,    /**< the board sent no raw readings */
};

/**
 * Run the steps on @p src (a board: raw counts), reading answers from
 * @p in and writing prompts to @p out.  @p start is the calibration in use
 * (the board's), against which a new scale is judged.
 * @return BM_CAL_FLOW_OK with @p result set, or an error (said on @p out).
 */
int bm_calibrate_flow(struct bm_source *src, const struct bm_calib *start, FILE *in, FILE *out,
                      bm_cal_step_cb on_step, void *ctx, struct bm_calib *result);

#endif
