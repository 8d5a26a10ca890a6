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
 *
 * The model, in the order the signal is built (left heel = channel 0, right
 * heel = channel 1, everything in newtons):
 *
 *  - Resting load per leg: 4.5-8.5 % of body weight, within 30-80 N
 *    (different between legs: at least 3 N apart), drifting
 *    a few N over minutes (two slow sinusoids), and stepping 10-20 N up or
 *    down when the heel is repositioned during a long rest (0.3-1 s
 *    transition, sometimes with a transient of a few N), or 5-15 N when a
 *    lifted foot is put back down.
 *  - Efforts ride on top of the resting load: force = rest + E(t).  Both
 *    legs of a double-leg effort share one activation curve A(t) (0..1) and
 *    map it through E = P * A^gamma, with gamma chosen per leg so that both
 *    legs cross rest + 20 N at the same instant; single-leg efforts use
 *    gamma = 1.  Ramps are raised cosines (rise 0.3-1.5 s, release 0.3-1 s).
 *    Hold plateaus carry fatigue (5-10 % decline toward the end, 8-15 %
 *    single-leg), low-frequency wander (OU process, 1.5-3.5 % SD), 8-12 Hz
 *    tremor (1-3 %, growing with fatigue; attenuated by the HX711's own
 *    averaging at 10 SPS) and 0-2 brief dips (0.2-0.6 s, 15-40 % deep) -
 *    all faded in and out at the plateau's edges so that the +20 N crossing
 *    is on a monotonic ramp and unambiguous.
 *  - Levels: the stronger leg's double-leg plateau is 26-44 % of body
 *    weight (body mass 55-100 kg, so about 150-450 N); the weaker leg's
 *    absolute level is lower by asym_pct (+-3 points effort to effort);
 *    single-leg holds load the working leg about 1.35x its double-leg
 *    level; rep peaks are 0-15 % above the hold level.  Every working leg
 *    gets at least 60 N above rest: when a large asymmetry would push the
 *    weaker leg lower, both legs are raised together, keeping the
 *    asymmetry.  Light (early-rehab) efforts sit
 *    38-60 N above rest (the weaker leg no less than 35 N), with the
 *    asymmetry applied to the force above rest.
 *  - Single-leg work: the other foot leaves the plate 1-2 s before the
 *    effort and comes back 1-2 s after it; while lifted its heel force is a
 *    constant 0-5 N (plus sensor noise), landing with a small heel strike.
 *  - Reps: 0.8-4 s each (rise, short top, lower), peaks declining a little
 *    over the set; either back to rest for 0.5-3 s between reps, or
 *    touch-and-go where the valley stays 32-78 N above rest and at least
 *    30 % below both neighbouring peaks (absolute force).
 *  - Programme: an initial rest of 8-20 s (40 % of sessions then warm up
 *    with a light exercise), then exercises, never the same twice in a row,
 *    of a few sets each: double holds 30-60 s (1-3 sets), single holds
 *    20-45 s (1-2 per leg, alternating), double rep sets of 10-20 reps
 *    (1-2 sets), single rep sets of 8-15 (one per leg), light holds 15-30 s
 *    or light rep sets of 8-15; rests 5-90 s, mostly short (15-90 s between
 *    sets averaging 40 s, 5-12 s now and then, 20-90 s between exercises,
 *    8-30 s between legs, at least 8 s next to single-leg work).
 *  - Sensor: HX711 white noise 0.3-1.5 N SD (x0.56 at 10 SPS, as the
 *    datasheet's input noise), raw = offset + force / scale rounded to whole
 *    counts, per-channel offset 10 000-90 000 counts of either sign, scale
 *    4e-4..6e-4 N/count (one channel reversed, negative, in 30 % of
 *    sessions); force_n = (raw - offset) * scale from the quantised counts.
 *  - Messy mode (default): glitches (1 in 2000 samples per channel, never on
 *    neighbouring samples: raw 0x7FFFFF flagged BM_CH_SAT_HIGH, or raw 0),
 *    dropped runs of 1-5 samples (1 in 1500 samples), long gaps of 0.5-3 s
 *    in about a third of the rests (inside efforts too with gaps_in_efforts),
 *    drift, repositioning and dips.  A clean session has none of these but
 *    keeps the noise, tremor, wander and fatigue.
 *  - Device clock: t_s steps by (1 / rate_hz) * (1 + e), e drawn within
 *    +-0.5 % per session, counted in whole microseconds like the firmware's
 *    timer; the athlete lives on that same clock, so the truth times and the
 *    sample times agree exactly.
 *
 * Truth.  Each effort per leg is one event.  start_s / end_s are where the
 * noise-free force crosses the leg's resting level + BM_SIM_ONSET_N on the
 * way up and down.  Touch-and-go reps never fall back to that level between
 * reps; their boundaries are the valley minima between them (the first rep
 * of such a set starts at the up-crossing, the last ends at the
 * down-crossing).  target_n is above zero (absolute): the mean noise-free
 * force over the plateau (ramps excluded) for holds, the largest noise-free
 * sample for reps.  Holds last >= 12 s and reps 0.5-4 s between their
 * boundaries: nothing falls between 6 and 10 s.  The truth is what the
 * athlete did, including what a gap hid.
 *
 * Truth JSON (bm_sim_write_truth_json), one object:
 *
 *   {"seed": 7, "rate_hz": 80, "t0_s": 0.0, "seconds": 300.0,
 *    "weaker_leg": "right", "asym_pct": 12.3,
 *    "rest_n": {"left": 52.1, "right": 61.7},
 *    "body_mass_kg": 74.2, "messy": true, "events_dropped": 0,
 *    "events": [{"kind": "hold", "leg": "left", "single_leg": false,
 *                "light": false, "start_s": 14.2, "end_s": 52.9,
 *                "target_n": 301.4}, ...]}
 *
 * Times are on the t_s scale (t0_s included).  "seconds" is the configured
 * length, or the time played so far in endless mode.  "rest_n" is each
 * leg's resting load at the start of the session (it drifts and jumps
 * later; bm_sim_sample.rest_n has it sample by sample).  "events_dropped"
 * counts events discarded from the front of the truth in endless mode.
 *
 * Endless mode (seconds <= 0, the demo): the plan is made one rest+effort
 * block at a time, so memory stays bounded; the truth keeps at most the
 * last BM_SIM_TRUTH_CAP events (when full, the oldest half is discarded and
 * counted by bm_sim_truth_dropped()).
 *
 * Cost: a few hundred nanoseconds per sample; see the test/bench notes.
 */
#ifndef BM_SIM_H
#define BM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bm_protocol.h"

/** The onset threshold the truth is defined with: resting level + 20 N. */
#define BM_SIM_ONSET_N 20.0

/** Most truth events kept in endless mode. */
#define BM_SIM_TRUTH_CAP 4096

/** Return codes: 0 ok, negatives are errors. */
enum bm_sim_result {
	BM_SIM_OK = 0,
	BM_SIM_ERR_IO = -1,    /**< writing failed (ferror on the stream) */
	BM_SIM_ERR_ARG = -2,   /**< a NULL argument */
};

/** Session settings.  Start from bm_sim_config_default(). */
struct bm_sim_config {
	uint64_t seed;
	double seconds;        /**< session length; <= 0 plays forever (demo) */
	double rate_hz;        /**< 80 or 10 (HX711 RATE pin); 5..1000 accepted */
	double t0_s;           /**< time of the first sample: 0, or an epoch time */
	double asym_pct;       /**< how much weaker the weaker leg is, 0..50;
	                            NaN: drawn from the seed (0..25) */
	int weaker_leg;        /**< BM_LEFT or BM_RIGHT; -1: drawn from the seed */
	int messy;             /**< 1: spikes, gaps, drift, repositioning, dips
	                            (default); 0: a clean session */
	int gaps_in_efforts;   /**< 1: long gaps may fall inside efforts too
	                            (default 0: only while resting) */
};

/** Fill @p cfg with the defaults: seed 1, 300 s, 80 Hz, t0 0, messy,
 *  asymmetry and weaker leg drawn from the seed.  @p cfg must not be NULL. */
void bm_sim_config_default(struct bm_sim_config *cfg);

/** One sample as the board would report it, already calibrated, plus what
 *  the simulator knows about it (for tests; a real board has no such
 *  fields). */
struct bm_sim_sample {
	double t_s;                   /**< cfg.t0_s + elapsed seconds */
	double force_n[BM_NCHAN];     /**< newtons, what the CSV holds */
	int32_t raw_counts[BM_NCHAN]; /**< counts under the sim's calibration */
	uint8_t flags[BM_NCHAN];      /**< bm_chan_flag (saturated glitches) */
	uint16_t seq;                 /**< skips where samples were dropped */
	/* Simulator truth, sample by sample. */
	double clean_n[BM_NCHAN];     /**< force without sensor noise or glitches */
	double rest_n[BM_NCHAN];      /**< the leg's resting level now (what the
	                                   heel would weigh on the plate, also
	                                   while the foot is lifted) */
	uint64_t tick;                /**< sample index since the start,
	                                   dropped samples included */
	uint8_t glitch;               /**< bit (1 << ch): a glitch was injected */
	uint8_t lifted;               /**< bit (1 << ch): that foot is (mostly)
	                                   off the plate */
};

/** Kinds of truth event. */
enum bm_sim_kind { BM_SIM_HOLD = 0, BM_SIM_REP = 1 };

/** One effort the athlete made, per leg (a double-leg hold is two events,
 *  one per leg, with the same times). */
struct bm_sim_event {
	enum bm_sim_kind kind;
	int leg;               /**< BM_LEFT or BM_RIGHT */
	int single_leg;        /**< the other foot was in the air */
	double start_s, end_s; /**< force crossing resting level + 20 N, up and
	                            down (touch-and-go reps: valley minima) */
	double target_n;       /**< plateau mean above zero (holds) or peak (reps) */
	int light;             /**< a light early-rehab effort (35-60 N above rest) */
};

/** Session-level values the simulator drew (or took from the config). */
struct bm_sim_info {
	int weaker_leg;               /**< BM_LEFT or BM_RIGHT */
	double asym_pct;              /**< requested asymmetry actually used */
	double rest_n[BM_NCHAN];      /**< resting load at the start */
	double body_mass_kg;
	double noise_sd_n[BM_NCHAN];  /**< HX711 noise SD at this rate */
	double sample_period_s;       /**< t_s step: (1 / rate_hz) * (1 + e) */
	double elapsed_s;             /**< device time of the last tick made */
};

struct bm_sim;

/** New simulator; NULL on bad config (NULL, rate outside 5..1000 Hz,
 *  asym_pct outside 0..50, weaker_leg not -1/0/1, seconds or t0_s not
 *  finite) or out of memory.  Free with bm_sim_free(). */
struct bm_sim *bm_sim_new(const struct bm_sim_config *cfg);

/** Free (NULL is fine). */
void bm_sim_free(struct bm_sim *sim);

/** Next sample; 1 when @p out was filled, 0 at the end of the session.
 *  Dropped samples are not returned (their seq numbers are skipped).
 *  Both pointers must not be NULL. */
int bm_sim_next(struct bm_sim *sim, struct bm_sim_sample *out);

/** Truth so far: events whose end has been played (all of them once
 *  bm_sim_next returned 0), ordered by start time; a double-leg effort is
 *  the left event then the right one.  The array belongs to @p sim and is
 *  valid until the next bm_sim_next() or bm_sim_free().  In endless mode
 *  the oldest events are discarded (see bm_sim_truth_dropped()). */
size_t bm_sim_truth(const struct bm_sim *sim, const struct bm_sim_event **events);

/** Events discarded from the front of the truth (endless mode only). */
uint64_t bm_sim_truth_dropped(const struct bm_sim *sim);

/** The calibration the raw counts were made with (offset, scale). */
void bm_sim_calibration(const struct bm_sim *sim, struct bm_cal_record *out);

/** Session-level values; see struct bm_sim_info. */
void bm_sim_get_info(const struct bm_sim *sim, struct bm_sim_info *out);

/** Write the truth as JSON (format above; README.md, "simulate").
 *  @return BM_SIM_OK, BM_SIM_ERR_ARG (NULL), BM_SIM_ERR_IO. */
int bm_sim_write_truth_json(const struct bm_sim *sim, FILE *f);

#endif
