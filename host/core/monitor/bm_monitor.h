/*
 * bm_monitor.h - the live pipeline behind the window and the headless
 * recorder: samples from any source -> calibration -> (recording) ->
 * causal signal chain -> what the athlete sees and hears.
 *
 * It runs on the drawing thread, one batch of samples per frame, and keeps
 * everything the view needs as plain numbers (struct bm_monitor_state).
 *
 * Two chains run side by side.  The live chain (causal filter) drives the
 * screen: forces, the hold timer, rep counters, the asymmetry gauge, the
 * audio cues.  The capture chain (zero-phase, exactly `analyze`'s) runs
 * while recording, fed with the rows exactly as they are written to the
 * CSV, so the events file and summary written at stop are what `bridgemon
 * analyze` will say about that CSV, to the last digit.  A replay captures
 * the same way, so its events are `analyze`'s events of the file.
 *
 * Recording: the CSV is written as samples arrive and flushed at least once
 * a second (bm_csv); a disconnect or lost samples become `# gap:` lines; at
 * stop the events go to NAME.events.csv and the analysis to
 * NAME.summary.json, both written whole (temporary file, then rename).
 * Closing the window or the program stops the capture first.
 */
#ifndef BM_MONITOR_H
#define BM_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "bm_calib.h"
#include "bm_detect.h"
#include "bm_live.h"
#include "bm_session.h"

/** Settings; start from bm_monitor_params_default(). */
struct bm_monitor_params {
	struct bm_detect_params detect;
	double asym_threshold_pct;  /**< flag above this (10 %) */
	double hold_target_s;       /**< target duration of one hold (30 s) */
	double rate_hz;             /**< nominal rate if known, else 0 */
};

void bm_monitor_params_default(struct bm_monitor_params *p);

/** Audio cues, in the order they happen. */
enum bm_live_cue {
	BM_LIVE_CUE_HOLD_START = 0,
	BM_LIVE_CUE_TICK = 1,      /**< every 10 s of a hold */
	BM_LIVE_CUE_TARGET = 2,    /**< the target duration is reached */
	BM_LIVE_CUE_HOLD_END = 3,
	BM_LIVE_CUE_REP = 4,
};

/** What the screen shows, all in newtons and seconds. */
struct bm_monitor_state {
	double now_s;               /**< time of the latest sample (session clock) */
	double force_n[2];          /**< filtered force per leg (NaN: none yet) */
	int hold_active;
	double hold_elapsed_s;      /**< current hold, or the last one when idle */
	double today_hold_s;        /**< holds of this session, both legs counted once */
	unsigned reps[2];           /**< reps so far (finished + under way) */
	double last_rep_peak_n[2];  /**< NaN: no rep yet */
	double asym_pct;            /**< live, while both legs push; else 0 */
	int asym_weaker;            /**< 0 left, 1 right, -1 none */
	int asym_flagged;
	int effort_valid;           /**< a bilateral effort has finished */
	double effort_asym_pct;
	int effort_weaker;
	int effort_flagged;
	double rate_hz;             /**< measured sample rate (0 until known) */
	uint64_t samples;           /**< samples received */
	uint64_t lost;              /**< samples lost in sequence gaps */
	int recording;              /**< a capture with a CSV is running */
	char rec_path[512];         /**< its CSV */
};

struct bm_monitor;

/** New pipeline with calibration @p cal (copied; NULL: uncalibrated). */
struct bm_monitor *bm_monitor_new(const struct bm_monitor_params *p, const struct bm_calib *cal);

void bm_monitor_free(struct bm_monitor *m);

/** Feed samples in time order. */
void bm_monitor_push(struct bm_monitor *m, const struct bm_live_sample *s, size_t n);

/** Data is missing from here on (a disconnect): the chains restart, and a
 *  recording gets a `# gap:` line with @p why. */
void bm_monitor_mark_gap(struct bm_monitor *m, const char *why);

/** Copy the state for the view. */
void bm_monitor_get_state(const struct bm_monitor *m, struct bm_monitor_state *out);

/** Next audio cue, if any: 1 with *cue set, 0 when none is waiting. */
int bm_monitor_next_cue(struct bm_monitor *m, enum bm_live_cue *cue);

/** Current calibration. */
void bm_monitor_get_calib(const struct bm_monitor *m, struct bm_calib *out);

/** Replace the calibration (a board's EEPROM record arrived, a file loaded). */
void bm_monitor_set_calib(struct bm_monitor *m, const struct bm_calib *cal);

/**
 * Tare both plates from the last second of raw readings.  Refused (with a
 * one-line @p msg) while a plate is loaded or the force is changing, or
 * when the source gives no raw counts.
 * @return BM_CALIB_OK or a bm_calib_result error.
 */
int bm_monitor_tare(struct bm_monitor *m, char *msg, size_t len);

/**
 * Calibrate plate @p leg from the last second of raw readings with
 * @p mass_kg resting on it (tare first).
 * @return BM_CALIB_OK or a bm_calib_result error (msg says why).
 */
int bm_monitor_calibrate(struct bm_monitor *m, int leg, double mass_kg, char *msg, size_t len);

/** Files of a capture; any may be NULL. */
struct bm_capture_files {
	const char *csv;      /**< session CSV, created now, never overwritten */
	const char *events;   /**< events CSV, written whole at stop */
	const char *summary;  /**< analysis JSON (as `analyze --json`), at stop */
};

/**
 * Start capturing.
 * @param meta  `# key: value` pairs for the CSV, NULL-terminated.
 * @return 0, or -1 with @p msg set (the CSV exists, cannot be created).
 */
int bm_monitor_capture_start(struct bm_monitor *m, const struct bm_capture_files *files,
                             const char *const *meta, char *msg, size_t len);

/** Called after each sample with the filtered forces (NaN until known). */
typedef void (*bm_monitor_trace_cb)(void *ctx, double t_s, double left_n, double right_n);

/** Set the per-sample callback (NULL: none). */
void bm_monitor_set_trace_cb(struct bm_monitor *m, bm_monitor_trace_cb cb, void *ctx);

/** Stop capturing: close the CSV, write the events and summary.  Returns 0,
 *  or -1 with @p msg set (the CSV is closed and complete in any case). */
int bm_monitor_capture_stop(struct bm_monitor *m, char *msg, size_t len);

/** Flush the recording to the kernel (call about once a second). */
void bm_monitor_flush(struct bm_monitor *m);

/** Events the capture found so far (finished ones); after a stop, the last
 *  capture's, until the next start. */
size_t bm_monitor_capture_events(const struct bm_monitor *m, const struct bm_event **ev);

#endif
