/*
 * bm_sim.h - the simulated athlete: a bridge-rehab session as a pair of heel
 * force-plate signals, plus the truth it was generated from.
 *
 * It is the demo source (what users see without a board), the input of
 * `bridgemon simulate`, and the reference for the detector tests.  It plays
 * a session plan (rest, double- and single-leg holds, rep sets, light
 * efforts) through a model of a person and of the sensor: resting heel load
 * that drifts and jumps when the heel is repositioned, a lifted foot during
 * single-leg work, fatigue, tremor, brief dips, HX711 noise and single-sample
 * glitches, dropped frames and gaps.  Same config and seed, same session,
 * bit for bit.
 */
#ifndef BM_SIM_H
#define BM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bm_protocol.h"

/** Session settings.  Start from bm_sim_config_default(). */
struct bm_sim_config {
	uint64_t seed;
	double seconds;        /**< session length; <= 0 plays forever (demo) */
	double rate_hz;        /**< 80 or 10 (HX711 RATE pin) */
	double t0_s;           /**< time of the first sample: 0, or an epoch time */
	double asym_pct;       /**< how much weaker the weaker leg is, 0..50;
	                            NaN: drawn from the seed */
	int weaker_leg;        /**< BM_LEFT or BM_RIGHT; -1: drawn from the seed */
	int messy;             /**< 1: spikes, gaps, drift, repositioning, dips
	                            (default); 0: a clean session */
	int gaps_in_efforts;   /**< 1: long gaps may fall inside efforts too
	                            (default 0: only while resting) */
};

/** Fill @p cfg with the defaults: seed 1, 300 s, 80 Hz, t0 0, messy. */
void bm_sim_config_default(struct bm_sim_config *cfg);

/** One sample as the board would report it, already calibrated. */
struct bm_sim_sample {
	double t_s;                   /**< cfg.t0_s + elapsed seconds */
	double force_n[BM_NCHAN];     /**< newtons, what the CSV holds */
	int32_t raw_counts[BM_NCHAN]; /**< counts under the sim's calibration */
	uint8_t flags[BM_NCHAN];      /**< bm_chan_flag (saturated glitches) */
	uint16_t seq;                 /**< skips where samples were dropped */
};

/** Kinds of truth event. */
enum bm_sim_kind { BM_SIM_HOLD = 0, BM_SIM_REP = 1 };

/** One effort the athlete made, per leg (a double-leg hold is two events,
 *  one per leg, with the same times). */
struct bm_sim_event {
	enum bm_sim_kind kind;
	int leg;               /**< BM_LEFT or BM_RIGHT */
	int single_leg;        /**< the other foot was in the air */
	double start_s, end_s; /**< force crossing resting level + 20 N, up and down */
	double target_n;       /**< plateau mean above zero (holds) or peak (reps) */
};

struct bm_sim;

/** New simulator; NULL on bad config or out of memory. */
struct bm_sim *bm_sim_new(const struct bm_sim_config *cfg);

/** Free (NULL is fine). */
void bm_sim_free(struct bm_sim *sim);

/** Next sample; 1 when @p out was filled, 0 at the end of the session.
 *  Dropped samples are not returned (their seq numbers are skipped). */
int bm_sim_next(struct bm_sim *sim, struct bm_sim_sample *out);

/** Truth so far: events whose end has been played (all of them once
 *  bm_sim_next returned 0).  The array belongs to @p sim. */
size_t bm_sim_truth(const struct bm_sim *sim, const struct bm_sim_event **events);

/** The calibration the raw counts were made with (offset, scale). */
void bm_sim_calibration(const struct bm_sim *sim, struct bm_cal_record *out);

/** Write the truth as JSON (format in README.md, "simulate"). */
int bm_sim_write_truth_json(const struct bm_sim *sim, FILE *f);

#endif
