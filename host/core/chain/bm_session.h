/*
 * bm_session.h - the signal chain of a session, from calibrated rows to
 * events: per leg, despike -> fill short holes -> low-pass -> detector.
 *
 * Rows come in time order with both legs' force in newtons (NaN for a
 * missing cell).  Times are taken as they come, in seconds on any scale
 * (since start, or since 1970); the chain works on time relative to the
 * first row, in doubles, and hands events back on the caller's scale.
 *
 * Holes: a few missing samples (a dropped frame, an empty cell, a jump in
 * t_s shorter than gap_split_s) are filled by straight lines between the
 * samples either side, so the filter sees an even grid; the count is kept.
 * Anything longer is a gap: the filter and the detectors restart after it,
 * and an effort running into it ends there (and is flagged).
 *
 * Filter: zero-phase for `analyze` (bm_zerophase, output delayed by a block
 * plus the look-ahead), causal for the live view (bm_sosfilt, no delay
 * beyond the filter's own).  Both are bm_filter_default() at the session's
 * sample rate, which is estimated from the first rows (median step) unless
 * the caller knows it.
 *
 * The resting level of each leg is estimated from the first prefix_s
 * seconds before detection starts (those rows are held back and then run
 * through the chain), so a session that starts in the middle of an effort
 * does not take the effort for rest.
 *
 * Events are handed out through a callback once both legs have been
 * processed past their end, so that `single_leg` (the other foot in the air
 * for most of the event) can be decided.
 */
#ifndef BM_SESSION_H
#define BM_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "bm_detect.h"

/** Return codes: 0 ok, negatives are errors. */
enum bm_session_result {
	BM_SESSION_OK = 0,
	BM_SESSION_ERR_ARG = -1,    /**< bad parameters */
	BM_SESSION_ERR_NOMEM = -2,
	BM_SESSION_ERR_TIME = -3,   /**< a row's time is not after the last one */
	BM_SESSION_ERR_RATE = -4,   /**< the rows come faster than any plate
	                                 samples (times are not in seconds) */
};

enum bm_session_filter {
	BM_SESSION_ZEROPHASE = 0,   /**< analyze: forward-backward, delayed */
	BM_SESSION_CAUSAL = 1,      /**< live: forward only */
};

struct bm_session_params {
	struct bm_detect_params detect;
	enum bm_session_filter filter;
	double gap_split_s;   /**< missing data longer than this is a gap (0.5 s) */
	double rate_hz;       /**< sample rate if known; 0 estimates it */
	double prefix_s;      /**< seconds used to estimate the resting level
	                           before detection (60 s; 0 for live use) */
	double known_rest_n[2]; /**< each leg's resting level when the source
	                           knows it (a device that tares itself), else
	                           NaN: estimated from the first prefix_s */
	double max_force_n;   /**< a reading beyond +-this is not a force but a
	                           glitch (an all-ones word that the flags did not
	                           mark: about 4000 N on a typical 200 kg cell),
	                           and is dropped as a missing sample (3000 N: a
	                           heel in a bridge carries well under 2000 N) */
};

void bm_session_params_default(struct bm_session_params *p);

/** Counters, for reports and the status bar. */
struct bm_session_stats {
	uint64_t rows;            /**< rows pushed */
	uint64_t samples_filled;  /**< per leg, summed: holes filled by lines */
	uint64_t gaps;            /**< stretches of missing data (a gap in both
	                               legs at once is one) */
	double gap_s;             /**< time missing in them, s (the time between
	                               the samples either side, less one sample
	                               step; not summed over legs) */
	uint64_t gaps_leg[2];     /**< the same per leg */
	double gap_s_leg[2];
	uint64_t rejected[2];     /**< readings beyond +-max_force_n, per leg:
	                               implausible, treated as missing */
	double max_force_n;       /**< the limit in use */
	double first_t_s, last_t_s; /**< times of the first and last row */
	double rate_hz;           /**< the rate in use (NaN before it is known) */
	uint64_t events_lost;     /**< sticky: events (or the marks they need)
	                               lost for lack of memory; non-zero makes
	                               bm_session_finish() fail */
};

/** Called for each finished event (times on the caller's scale). */
typedef void (*bm_session_event_cb)(void *ctx, const struct bm_event *ev);
/** Called for each filtered sample of a leg (times on the caller's scale). */
typedef void (*bm_session_sample_cb)(void *ctx, int leg, double t_s, double force_n);

struct bm_session;

/**
 * New chain.  @p on_event and @p on_sample may be NULL.
 * @return NULL on bad parameters or out of memory.
 */
struct bm_session *bm_session_new(const struct bm_session_params *p,
                                  bm_session_event_cb on_event,
                                  bm_session_sample_cb on_sample, void *ctx);

void bm_session_free(struct bm_session *s);

/**
 * One row.
 * @param t_s      seconds, strictly increasing
 * @param force_n  left and right in newtons; NaN = missing
 * @return BM_SESSION_OK, BM_SESSION_ERR_TIME, BM_SESSION_ERR_NOMEM (the row
 *         could not be kept, or an event was lost during it: counted in
 *         events_lost; the chain goes on).
 */
int bm_session_push(struct bm_session *s, double t_s, const double force_n[2]);

/** Tell the chain that data is missing up to here (a disconnect): both legs
 *  get a gap before the next row. */
void bm_session_mark_gap(struct bm_session *s);

/** End of input: flush the chain and hand out the remaining events.
 *  @return BM_SESSION_OK, or BM_SESSION_ERR_NOMEM when any event was lost
 *  during the session (events_lost says how many), or an error from
 *  starting the chain. */
int bm_session_finish(struct bm_session *s);

/** Copy the counters. */
void bm_session_get_stats(const struct bm_session *s, struct bm_session_stats *out);

/** Time (caller's scale) up to which both legs have been through the
 *  detectors: every event ending before it has been handed out, or never
 *  will be.  -INFINITY before the chain has started (rows held back). */
double bm_session_horizon_s(const struct bm_session *s);

/** Live state of a leg (mode, resting level, loaded since, on the caller's
 *  time scale). */
void bm_session_leg_live(const struct bm_session *s, int leg, struct bm_leg_live *out);

#endif
