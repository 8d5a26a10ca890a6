/*
 * bm_runner.h - runs a protocol live: a state machine driven only by calls,
 * so the window, the headless recorder and the tests drive it the same way.
 *
 *   start(t) -> GET_READY (3-2-1) -> WORKING -> REST -> GET_READY -> ...
 *                                            -> FINISHED after the last set
 *   abandon() from anywhere -> ABANDONED
 *
 * Times are seconds on one clock (the session's sample clock).  The caller
 * feeds:
 *   - tick(t, force above rest per leg) about 60 times a second: it moves
 *     the countdowns and timers and tracks the target zone;
 *   - effort_begin(leg or both, t) and effort_end(leg, kind, start, end,
 *     peak, mean) from the hold/rep detector (forces above the leg's
 *     resting level);
 *   - source_lost(t) / source_back(t) when the board is unplugged and back;
 *   - the user's keys: skip(), repeat(), abandon().
 *
 * The protocol advances on detected efforts, never on the clock alone:
 *   hold   the timer runs from the detected onset toward the set's target;
 *          the set ends when the effort ends.  Let go at 20 s of 45 and the
 *          set is done for 20 s, marked short (failed), and the protocol
 *          moves on - it is not silently repeated; repeat() does it again
 *          when the athlete wants.  Efforts shorter than min_hold_s (a
 *          twitch while settling; half the target for targets under twice
 *          that) do not end a hold set.  In a double-leg
 *          hold the set ends when every leg that began has let go; the
 *          time achieved is the longest leg's.
 *   reps   each finished effort of a working leg counts; with both legs the
 *          count is the larger of the two legs' counts (the detector sees
 *          one bridge twice, once per heel).  The set ends at the target.
 *   fatigue  reps of one leg until none comes for fatigue_idle_s.
 *   mvic   like a hold of a few seconds ("push as hard as you can"); the
 *          result is the peak above rest per leg.
 * A set with no effort waits as long as it takes (no automatic failure);
 * after wait_prompt_s the prompt asks again.  An effort that ends just after
 * its set did (the other heel's last rep, a leg letting go a moment later)
 * still counts for that set.
 *
 * Board unplugged: the runner pauses.  A set under way is marked
 * interrupted; an effort cut by the gap counts what was measured up to the
 * gap (the detector's cut end, or, if none comes, the loss time), the set
 * does not end on it, and when the board is back the set continues: a hold
 * adds the next effort's time to what was measured before the gap.  Rest
 * runs on through a gap; the get-ready countdown starts again when the
 * board is back.
 *
 * For the screen: bm_runner_view() (prompt "set 2 of 5 · hold 45 s @ 70 %",
 * countdown, timer, target, zone band in N per leg).  For sound: a queue of
 * cues like the monitor's (bm_runner_next_cue).  For a terminal: a queue of
 * lines, one per change worth printing (bm_runner_next_line), which
 * `bridgemon record --protocol NAME` prints.  At the end: a summary per set
 * and in total (bm_runner_summary), and the MVIC result of a test
 * (bm_runner_mvic).
 *
 * Memory: one allocation in bm_runner_new; nothing after.  Cues and lines
 * that overflow their queues (the caller did not drain them) are counted,
 * never dropped silently.
 */
#ifndef BM_RUNNER_H
#define BM_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "bm_mvic.h"
#include "bm_rehab.h"
#include "bm_rehab_protocol.h"
#include "bm_zone.h"

/** Return codes: 0 ok, negatives are errors. */
enum bm_runner_result {
	BM_RUNNER_OK = 0,
	BM_RUNNER_ERR_ARG = -1,    /**< NULL, a leg out of range, NaN time, a
	                                protocol with no sets */
	BM_RUNNER_ERR_STATE = -2,  /**< not possible now (tick before start, skip
	                                after the end, repeat with nothing to repeat) */
	BM_RUNNER_ERR_FULL = -3,   /**< repeat(): the run has BM_RUNNER_MAX_SETS sets */
	BM_RUNNER_ERR_TIME = -4,   /**< a tick earlier than the last: ignored */
	BM_RUNNER_ERR_NOMEM = -5,
};

/** Sets a run can hold: the protocol's (at most BM_PROTOCOL_MAX_SETS) and repeats. */
#define BM_RUNNER_MAX_SETS (BM_PROTOCOL_MAX_SETS + 64)

enum bm_runner_state {
	BM_RUN_IDLE = 0,       /**< before start() */
	BM_RUN_GET_READY = 1,  /**< the 3-2-1 countdown */
	BM_RUN_WORKING = 2,    /**< a set under way (or waiting for its first effort) */
	BM_RUN_REST = 3,
	BM_RUN_FINISHED = 4,
	BM_RUN_ABANDONED = 5,
};

/** Audio cues, in the order they happen. */
enum bm_run_cue {
	BM_RUN_CUE_GET_READY = 0,
	BM_RUN_CUE_GO = 1,
	BM_RUN_CUE_TARGET = 2,       /**< target time or reps reached */
	BM_RUN_CUE_REST_OVER = 3,
	BM_RUN_CUE_IN_ZONE = 4,      /**< every working leg is now in its zone */
	BM_RUN_CUE_OUT_OF_ZONE = 5,  /**< a working leg left its zone */
	BM_RUN_CUE_FINISHED = 6,
};

/** What the detector says an effort was. */
enum bm_effort_kind {
	BM_EFFORT_HOLD = 0,
	BM_EFFORT_REP = 1,
};

struct bm_runner_params {
	double get_ready_s;       /**< countdown before each set (3) */
	double wait_prompt_s;     /**< no effort this long: ask again (20) */
	double fatigue_idle_s;    /**< fatigue set over after this long without a rep (5) */
	double min_hold_s;        /**< shorter efforts do not end a hold set (3) */
	double min_mvic_s;        /**< likewise for an MVIC effort (1) */
	double short_margin_s;    /**< a hold this much under target still counts
	                               as reaching it: onset and end are threshold
	                               crossings (0.5) */
	double late_s;            /**< an effort ending up to this long after its set
	                               ended, and begun before, counts for it (3) */
	struct bm_zone_params zone;
	struct bm_mvic mvic;      /**< the athlete's MVIC (NaN: no zones) */
};

void bm_runner_params_default(struct bm_runner_params *p);

/** Flags of a set's result. */
enum bm_set_flag {
	BM_SET_F_DONE = 1,         /**< completed (maybe short) */
	BM_SET_F_SHORT = 2,        /**< failed: achieved less than the target */
	BM_SET_F_SKIPPED = 4,
	BM_SET_F_INTERRUPTED = 8,  /**< the board was lost during it */
	BM_SET_F_ABANDONED = 16,   /**< under way when the run was abandoned */
	BM_SET_F_NOT_REACHED = 32, /**< the run ended before it */
	BM_SET_F_REPEAT = 64,      /**< added by repeat() */
};

struct bm_set_result {
	struct bm_protocol_set set;  /**< kind, side, targets (count 1) */
	size_t number;               /**< 1-based in the run */
	unsigned flags;              /**< bm_set_flag bits */
	double target;               /**< seconds (hold, mvic) or reps; NaN for fatigue */
	double achieved;             /**< seconds held or reps counted */
	double start_s, end_s;       /**< working began / the set ended; NaN if never */
	int efforts[2];              /**< efforts counted per leg */
	int reps[2];                 /**< reps per leg (reps, fatigue) */
	double hold_s[2];            /**< measured effort time per leg */
	double mean_above_rest_n[2]; /**< time-weighted mean of the efforts' means; NaN: none */
	double peak_above_rest_n[2]; /**< NaN: none */
	double time_in_zone_s[2];    /**< NaN: no zone for the leg */
	double zone_low_n[2], zone_high_n[2]; /**< the band used; NaN: none */
};

struct bm_run_summary {
	size_t n_sets;
	const struct bm_set_result *sets;  /**< borrowed from the runner: valid
	                                        until its next call or free */
	int finished;                /**< ran to the end */
	int abandoned;
	size_t sets_done, sets_short, sets_skipped, sets_interrupted, sets_not_reached;
	double hold_s[2];            /**< hold and MVIC time per leg */
	double load_weighted_s[2];   /**< hold seconds x % MVIC / 100 (sets with a %) */
	int reps[2];                 /**< reps and fatigue sets */
	double mean_above_rest_n[2]; /**< time-weighted over all efforts; NaN: none */
	double peak_above_rest_n[2];
	double asym_pct;             /**< (stronger - weaker) / stronger x 100 of the
	                                  per-leg means over both-legs sets; NaN: none */
	int weaker;                  /**< 0 left, 1 right, -1 none */
	int fatigue_reps[2];         /**< reps to fatigue per leg; -1: not tested */
	struct bm_mvic mvic;         /**< best per leg and mode (epoch NaN: see bm_runner_mvic) */
};

/** What the screen shows. */
struct bm_runner_view {
	enum bm_runner_state state;
	int paused;                  /**< the board is gone */
	size_t set_number, n_sets;   /**< 1-based; 0 before start */
	enum bm_set_kind kind;
	enum bm_side side;
	char prompt[128];            /**< "set 2 of 5 · hold 45 s @ 70 %" (UTF-8) */
	char status[128];            /**< "get ready: 3", "hold: 23 s of 45 s", "rest: 87 s" */
	double countdown_s;          /**< get-ready or rest left; NaN otherwise */
	double timer_s;              /**< hold, mvic: time held in this set; NaN otherwise */
	double target;               /**< seconds or reps; NaN: none (fatigue) */
	int count;                   /**< reps so far (reps, fatigue) */
	int effort_running;
	int target_reached;
	int waiting_long;            /**< no effort for wait_prompt_s */
	int zone_valid[2];
	double zone_low_n[2], zone_high_n[2];
	enum bm_zone_pos zone_pos[2];
	uint64_t cues_dropped, lines_dropped;
};

struct bm_runner;

/**
 * A runner for @p proto (copied).
 * @param p    NULL: the defaults
 * @param out  receives the runner, NULL on failure; free with bm_runner_free
 * @return BM_RUNNER_OK, BM_RUNNER_ERR_ARG (no sets), BM_RUNNER_ERR_NOMEM.
 */
int bm_runner_new(const struct bm_protocol *proto, const struct bm_runner_params *p,
                  struct bm_runner **out);

void bm_runner_free(struct bm_runner *r);

/** Begin the first set's countdown at @p t_s.  ERR_STATE when started. */
int bm_runner_start(struct bm_runner *r, double t_s);

/**
 * Move time to @p t_s (about 60 times a second).
 * @param force_above_rest_n  per leg, NaN unknown; NULL: none this tick
 * @return BM_RUNNER_OK, BM_RUNNER_ERR_TIME (earlier than the last call:
 *         ignored), BM_RUNNER_ERR_STATE (before start), BM_RUNNER_ERR_ARG.
 */
int bm_runner_tick(struct bm_runner *r, double t_s, const double force_above_rest_n[2]);

/** An effort began on @p leg (LEFT, RIGHT or BOTH) at @p t_s (its onset). */
int bm_runner_effort_begin(struct bm_runner *r, enum bm_side leg, double t_s);

/**
 * A finished effort on @p leg (0 or 1) from the detector, with its onset,
 * end, and peak and mean force above the leg's resting level.  @p kind is
 * for the record only: a set takes an effort as what the set asks for (a
 * long "hold" in a reps set is one rep; a "rep" in a hold set is a short
 * hold).  Efforts of legs the set does not work, or outside a set (during
 * a rest, after the end), are not counted.
 */
int bm_runner_effort_end(struct bm_runner *r, int leg, enum bm_effort_kind kind,
                         double start_s, double end_s, double peak_above_rest_n,
                         double mean_above_rest_n);

/** The board is gone at @p t_s / back at @p t_s. */
int bm_runner_source_lost(struct bm_runner *r, double t_s);
int bm_runner_source_back(struct bm_runner *r, double t_s);

/**
 * Keys.  skip: end the current set as skipped (what was measured is kept)
 * and go to the next set's countdown, or end a rest early.  repeat: during
 * a rest or after the end, do the set just finished once more (next);
 * during a countdown or a set, start the current set afresh.  abandon: stop
 * here; the summary says so.
 * @return BM_RUNNER_OK, BM_RUNNER_ERR_STATE, BM_RUNNER_ERR_FULL (repeat).
 */
int bm_runner_skip(struct bm_runner *r);
int bm_runner_repeat(struct bm_runner *r);
int bm_runner_abandon(struct bm_runner *r);

/** The state for the screen. */
void bm_runner_view(const struct bm_runner *r, struct bm_runner_view *out);

/** Next audio cue: 1 with *cue set, 0 when none is waiting. */
int bm_runner_next_cue(struct bm_runner *r, enum bm_run_cue *cue);

/**
 * Next line for a terminal (no newline): 1 with @p buf filled, 0 when none
 * is waiting.  Lines: "set 2 of 5 · hold 45 s @ 70 %: get ready", "3", "2",
 * "1", "go", "target reached: 45 s", "rep 4 of 15", "set 2 done: 45.2 s",
 * "rest 120 s", "rest over", "paused: board unplugged", "finished: ...".
 */
int bm_runner_next_line(struct bm_runner *r, char *buf, size_t len);

/** The summary so far (final after FINISHED or ABANDONED). */
void bm_runner_summary(const struct bm_runner *r, struct bm_run_summary *out);

/**
 * The MVIC result of the run's mvic sets, dated @p epoch_s.
 * @return BM_RUNNER_OK, or BM_RUNNER_ERR_STATE when no MVIC effort was
 *         measured (out is then all NaN).
 */
int bm_runner_mvic(const struct bm_runner *r, double epoch_s, struct bm_mvic *out);

/**
 * The summary as text for a terminal or a report: one line per set, then
 * the totals.  @return the length of the whole text (like snprintf).
 */
size_t bm_runner_format_summary(const struct bm_run_summary *s, char *out, size_t cap);

/** "idle", "get ready", "working", "rest", "finished", "abandoned". */
const char *bm_runner_state_name(enum bm_runner_state s);

/** "get ready", "go", "target", "rest over", "in zone", "out of zone", "finished". */
const char *bm_run_cue_name(enum bm_run_cue c);

#endif
