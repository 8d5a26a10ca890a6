/*
 * bm_app.h - the live program: a source on its own thread, the live
 * pipeline (bm_monitor) on the drawing thread, and either the SDL window or
 * a one-line terminal status.  Used by `bridgemon` (monitor), `demo`,
 * `replay` and `record`.
 */
#ifndef BM_APP_H
#define BM_APP_H

#include <stdint.h>

enum bm_app_source {
	BM_APP_AUTO = 0,    /**< a board if one answers, else the demo athlete */
	BM_APP_PORT = 1,    /**< the board on opts.port */
	BM_APP_DEMO = 2,    /**< the simulated athlete */
	BM_APP_REPLAY = 3,  /**< opts.replay, paced by its t_s */
};

struct bm_app_opts {
	const char *cmd;          /**< subcommand name, for messages */
	enum bm_app_source source;
	const char *port;
	const char *replay;
	double speed;             /**< demo/replay pace: 1 real time, 0 unpaced */
	uint64_t seed;            /**< demo athlete */
	double rate_hz;           /**< demo rate: 80 or 10 */
	double seconds;           /**< stop after this much data (0: run on) */
	int window;               /**< 1: SDL window; 0: terminal status */
	const char *screenshot;   /**< save the last frame as PNG */
	const char *record_to;    /**< record from the start into this CSV */
	int record;               /**< record from the start, into a new file in
	                               the sessions folder when record_to is NULL
	                               ("-demo" in its name for simulated data) */
	const char *events_out;   /**< (replay) events CSV of the capture */
	const char *summary_out;  /**< (replay) analysis JSON of the capture */
	double asym_threshold_pct;
	double hold_target_s;
	double zone_low_n, zone_high_n; /**< target zone; low >= high: none */
	double fps;               /**< window frames per second (60) */
	/* The session's context (the sidecar and the store keep it). */
	const char *protocol;     /**< a guided protocol to run, or NULL */
	const char *athlete;      /**< the athlete's name, or NULL */
	const char *exercise;     /**< double_leg, ..., or NULL */
	double knee_angle_deg, hip_angle_deg; /**< NaN: not given */
	const char *notes;
	double pain_before, pain_after; /**< 0-10, NaN: not given */
	const char *db;           /**< the store (NULL: the default SQLite file) */
	double dose_aim_min_s, dose_aim_max_s; /**< the daily hold-time aim per leg,
	                               seconds (--dose-aim MIN-MAX in minutes;
	                               default 120-300) */
	int dose_aim_given;       /**< --dose-aim was given (the window's "daily
	                               aim" without an athlete is then its low end) */
	int pick_athlete;         /**< open the athlete picker at start (window) */
	int anchor_uninjured;     /**< a protocol's zones on both legs as a % of
	                               the uninjured leg's MVIC (the athlete's
	                               injured side, left or right) */
};

/** Defaults: auto source, real time, window, 10 % asymmetry, 30 s target. */
void bm_app_opts_default(struct bm_app_opts *o);

/**
 * Run until the user quits, the source ends (replay, demo --seconds) or
 * opts.seconds of data have passed.  Recording is stopped (and its events
 * written) before returning.
 * @return an exit status (bm_cli.h): 0, 2 when the source cannot be opened
 *         or fails, 3 when a file cannot be written.
 */
int bm_app_run(const struct bm_app_opts *o);

#endif
