/*
 * bm_monitor.h - the live pipeline behind the window and the headless
 * recorder: samples from any source -> calibration -> (recording) ->
 * signal chains -> what the athlete sees and hears.
 *
 * It runs on the drawing thread, one batch of samples per frame, and keeps
 * everything the view needs as plain numbers (struct bm_monitor_state).
 *
 * One truth.  Two chains run side by side on the same rows.  The counting
 * chain is exactly `analyze`'s (zero-phase filter, the same settings), fed
 * with the rows as a reader of the recording will see them: its events are
 * the committed counters (holds, hold time, reps, the last bilateral
 * effort), so when a recording ends its numbers are what `bridgemon
 * analyze` says about the file, to the last digit, and a replay ends on
 * them too.  It lags the data by its filter's look-ahead (and by its first
 * minute, which it uses to find each leg's resting level).  The live chain
 * (causal filter) drives what must be immediate: the forces, the hold timer,
 * the cues, and provisional reps not yet committed, shown apart.
 * Committed counters never go down.
 *
 * Counters count the current recording; when none runs, what was done
 * since the program started or the last recording stopped.  "Today" counts
 * recordings only: today's earlier ones (their summaries) and the one
 * running, each as the larger leg's time in holds of at least min_hold_s.
 * Efforts made while a plate is being calibrated are not counted anywhere
 * (the recording's sidecar marks the stretch, and analyze leaves it out).
 *
 * Recording: the CSV is written as samples arrive and handed to the kernel
 * at least once a second (bm_csv); its sidecar FILE.meta.json is written at
 * the start and at every change (calibration, a stretch being calibrated,
 * gaps, at most once a second); at stop the events go to NAME.events.csv
 * and the analysis to NAME.summary.json.  A write that fails (the disk is
 * full) stops the recording at once at its last complete row, says so, and
 * keeps the live view running; the summary then describes the file as it
 * was written.
 */
#ifndef BM_MONITOR_H
#define BM_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "bm_calib.h"
#include "bm_detect.h"
#include "bm_live.h"
#include "bm_meta.h"
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
	double rest_n[2];           /**< each leg's resting level (NaN: not yet) */
	double loaded_since_s[2];   /**< live: since when the leg is loaded (NaN:
	                                 not loaded) */
	int hold_active;
	double hold_elapsed_s;      /**< current hold, or the last one when idle */
	double today_hold_s;        /**< today's recordings, this one included */
	double session_hold_s;      /**< this recording's (or run's) counted hold
	                                 time: the larger leg's */
	double session_hold_leg_s[2]; /**< the same per leg, s: holds the counting
	                                 chain has committed (at a stop, analyze's
	                                 hold_time_s of the file) */
	unsigned holds[2];          /**< committed holds per leg */
	unsigned reps[2];           /**< reps shown: committed + provisional */
	unsigned reps_provisional[2]; /**< of them, not yet committed */
	double last_rep_peak_n[2];  /**< NaN: no rep yet */
	double asym_pct;            /**< live, while both legs push; else 0 */
	int asym_weaker;            /**< 0 left, 1 right, -1 none */
	int asym_flagged;
	int effort_valid;           /**< a bilateral effort has finished */
	double effort_asym_pct;     /**< on the force above each leg's rest */
	int effort_weaker;
	int effort_flagged;
	double rate_hz;             /**< measured sample rate (0 until known) */
	uint64_t samples;           /**< samples received */
	uint64_t lost;              /**< samples lost in sequence gaps */
	int recording;              /**< a capture with a CSV is running */
	int capturing;              /**< a capture runs (a recording, one that a
	                                 failed write stopped, or events only) */
	char rec_path[512];         /**< its CSV */
	int excluded;               /**< a plate is being calibrated: nothing counts */
	int write_errno;            /**< the last recording stopped: a write failed */
	unsigned long long events_lost; /**< events lost for lack of memory */
};

struct bm_monitor;

/** New pipeline with calibration @p cal (copied; NULL: uncalibrated). */
struct bm_monitor *bm_monitor_new(const struct bm_monitor_params *p, const struct bm_calib *cal);

void bm_monitor_free(struct bm_monitor *m);

/** Feed samples in time order. */
void bm_monitor_push(struct bm_monitor *m, const struct bm_live_sample *s, size_t n);

/** Data is missing from here on (a disconnect): the chains restart, and a
 *  recording's sidecar gets a gap with @p why. */
void bm_monitor_mark_gap(struct bm_monitor *m, const char *why);

/** Copy the state for the view. */
void bm_monitor_get_state(const struct bm_monitor *m, struct bm_monitor_state *out);

/** Next audio cue, if any: 1 with *cue set, 0 when none is waiting. */
int bm_monitor_next_cue(struct bm_monitor *m, enum bm_live_cue *cue);

/** The live chain's next finished effort (in the order they end), for a
 *  guided protocol that advances on efforts: 1 with *ev set, 0 when none
 *  is waiting.  Efforts while calibrating are not handed out. */
int bm_monitor_next_effort(struct bm_monitor *m, struct bm_event *ev);

/** Hold time in today's earlier recordings (from their summaries), added
 *  to the current one's for "today". */
void bm_monitor_set_today_before(struct bm_monitor *m, double seconds);

/** Replace the context (athlete, exercise, pain ...) of the recording under
 *  way; its sidecar is written now (a pain score typed in mid-recording).
 *  A later capture takes the context bm_monitor_capture_start() is given.
 *  @p ctx must not be NULL. */
void bm_monitor_set_context(struct bm_monitor *m, const struct bm_meta_context *ctx);

/** Current calibration. */
void bm_monitor_get_calib(const struct bm_monitor *m, struct bm_calib *out);

/** Replace the calibration (a board's EEPROM record arrived, a file loaded).
 *  A recording notes the change and from which sample it applies. */
void bm_monitor_set_calib(struct bm_monitor *m, const struct bm_calib *cal);

/**
 * Tare both plates from the last second of raw readings.  Refused (with a
 * one-line @p msg) while a plate is loaded or the force is changing, or
 * when the source gives no raw counts.
 * @return BM_CALIB_OK or a bm_calib_result error.
 */
int bm_monitor_tare(struct bm_monitor *m, char *msg, size_t len);

/* ---- calibration with a known mass, staged ----
 * begin -> measure the left plate -> measure the right plate -> check ->
 * commit.  Nothing is applied before commit; abort (Esc) at any step drops
 * everything.  From begin to commit or abort nothing is counted.
 */

/** Start calibrating: the current calibration is copied to a staging one. */
void bm_monitor_cal_begin(struct bm_monitor *m);

/**
 * Measure plate @p leg with @p mass_kg resting on it, into the staged
 * calibration.  The last two seconds must be steady, the mass must move the
 * reading clearly above the plate's noise, and the scale must be one a load
 * cell on an HX711 can have (and, unless @p override, within a factor of 3
 * of a valid earlier scale).
 * @return BM_CALIB_OK, or an error with a one-line @p msg saying what to do.
 */
int bm_monitor_cal_measure(struct bm_monitor *m, int leg, double mass_kg, int override,
                           char *msg, size_t len);

/** The last second's reading of plate @p leg in kg under the staged
 *  calibration (the check step: "reads 19.98 kg"); NaN without readings. */
double bm_monitor_cal_reading_kg(const struct bm_monitor *m, int leg);

/** Apply the staged calibration (a recording notes it); counting resumes. */
void bm_monitor_cal_commit(struct bm_monitor *m);

/** Drop the staged calibration; counting resumes. */
void bm_monitor_cal_abort(struct bm_monitor *m);

/** 1 while a staged calibration is open. */
int bm_monitor_cal_open(const struct bm_monitor *m);

/** Files of a capture; any may be NULL. */
struct bm_capture_files {
	const char *csv;      /**< session CSV, created now, never overwritten */
	const char *events;   /**< events CSV, written whole at stop */
	const char *summary;  /**< analysis JSON (as `analyze --json`), at stop */
	const char *meta;     /**< the sidecar (bm_meta.h), at start and on change */
};

/**
 * Start capturing: the counters start again from zero.
 * @param meta  what the sidecar says of the source and the session (device,
 *              source, demo, context); the monitor adds the rate, start
 *              time, calibration, gaps and excluded stretches.  May be NULL.
 * @return 0, or -1 with @p msg set (a file exists or cannot be created).
 */
int bm_monitor_capture_start(struct bm_monitor *m, const struct bm_capture_files *files,
                             const struct bm_meta *meta, char *msg, size_t len);

/** Called after each sample with the filtered forces (NaN until known). */
typedef void (*bm_monitor_trace_cb)(void *ctx, double t_s, double left_n, double right_n);

/** Set the per-sample callback (NULL: none). */
void bm_monitor_set_trace_cb(struct bm_monitor *m, bm_monitor_trace_cb cb, void *ctx);

/** Stop capturing: close the CSV, write the sidecar, events and summary.
 *  Returns 0, or -1 with @p msg set (the CSV is closed and readable in any
 *  case).  The counters keep what the recording counted. */
int bm_monitor_capture_stop(struct bm_monitor *m, char *msg, size_t len);

/**
 * About once a second: hand the recording to the kernel and rewrite a
 * changed sidecar.  @return 0, or -1 when the recording has just stopped
 * because a write failed (@p msg says so, in one line).
 */
int bm_monitor_flush(struct bm_monitor *m, char *msg, size_t len);

/** End of the data (the program stops): the counting chain hands out its
 *  last events, so the counters end on what analyze says of the same rows.
 *  No samples may follow.  (A running capture is finished by
 *  bm_monitor_capture_stop() instead.) */
void bm_monitor_finish(struct bm_monitor *m);

/** Events the counting chain found so far (finished ones); after a stop,
 *  the last capture's, until the next start. */
size_t bm_monitor_capture_events(const struct bm_monitor *m, const struct bm_event **ev);

#endif
