/*
 * bm_detect.h - holds and reps on one leg's heel force.
 *
 * The input is one leg's force in newtons, already despiked and low-pass
 * filtered, one sample at a time (analyze feeds the zero-phase filtered
 * signal, the live view the causal one), with the despiked and the as-read
 * values beside it for the tremor and the peak.  Detection works in two
 * stages.
 *
 * Stage A, a per-sample state machine, follows the leg's *resting level*
 * and marks *loaded periods*: from the moment the force rises above rest +
 * onset threshold (20 N, the convention of commercial force-plate software,
 * or k x noise SD when that is larger) until it has stayed below it for a
 * release time.  The resting level may be anything the tare left: 30-80 N
 * under a heel on a plate tared empty, about 0 on a plate tared with the
 * heel on it, 0-10 N under a light heel.  It is set from the first minute
 * (bm_estimate_rest_n: the first stable second, unless that is an effort
 * under way when the data began) or, live, the first stable second; it
 * follows stable stretches while unloaded: downwards at once, upwards at a
 * limited rate, so that a slow start of a light effort is not mistaken for
 * drift.  A force far below rest is a *lifted* foot (the other leg is doing
 * single-leg work): on a plate tared empty it reads near 0, on one tared
 * with the heel resting it reads negative; it neither counts as rest nor
 * moves the resting level.  A loaded period that settles for several
 * seconds only a little above the old rest is a heel put down higher: the
 * rest level moves there.  Missing data of up to bridge_gap_s inside an
 * effort (a chip that stopped answering) does not end the period when the
 * force is still up after it.
 *
 * Stage B splits each loaded period into efforts.  Valleys are found by a
 * zigzag (bm_zigzag.h, the same rule the live rep count uses); every
 * valley, and every brief touch below threshold, is a candidate boundary.
 * A candidate is dropped (the two sides merge) when it is a dip or a sag
 * inside a hold: a sag that stayed above the threshold, down by at most
 * sag_max_frac of the force above rest and at most sag_max_s wide, between
 * two plateau-shaped sides; a brief dip (dip_max_s) between plateau-shaped
 * sides or next to a stretch already long enough to count as a hold; any
 * valley between two stretches both too long to be reps.  Touch-and-go
 * reps, whose force never returns to rest, rise, top and lower, are never
 * plateau-shaped, and stay apart.  Every resulting stretch of at least
 * min_rep_s that rises clearly past the threshold is an event: a *hold*
 * when it is longer than any rep (max_rep_s) or near its top (within 20 %
 * of its height) for most of its time and for at least min_plateau_s (a 5 s
 * maximal effort, a 7 s repeater), else a *rep*.  min_hold_s only decides
 * which holds count toward the hold time.  A stretch with a bridged gap
 * inside is handed out as one event per part, of the whole effort's kind,
 * flagged cut_by_gap: no number is made up across missing data.
 *
 * Peaks are the highest force of the despiked, unfiltered signal, averaged
 * over peak_smooth_s (a low-pass filter overshoots a fast edge), taking the
 * sample as read where the median of three cut the top of a short rep,
 * never a glitch the despiker removed.
 *
 * Times are seconds on the caller's scale (use seconds since the start of
 * the session, not since 1970: interpolation is done in doubles, but small
 * numbers keep every printed digit meaningful).
 */
#ifndef BM_DETECT_H
#define BM_DETECT_H

#include <stddef.h>

/** The fastest sample rate the detector takes (a force plate at 1-2 kHz is
 * the fastest real source). */
#define BM_DETECT_MAX_RATE_HZ 100000.0

/** Detection settings; start from bm_detect_params_default(). */
struct bm_detect_params {
	double onset_n;      /**< onset threshold above rest (20 N) */
	double noise_k;      /**< or this many noise SDs, if larger (5) */
	double min_hold_s;   /**< shortest hold that counts toward the hold
	                          time (10 s; --min-hold); shorter holds are
	                          reported all the same */
	double min_rep_s;    /**< shortest effort of any kind (0.3 s) */
	double max_rep_s;    /**< longest rep (6 s; --max-rep): longer efforts
	                          are holds whatever their shape */
	double min_plateau_s;/**< plateau-shaped efforts this long are holds
	                          (2 s: a 5 s maximal effort is a short hold) */
	double release_s;    /**< below threshold this long ends a period (1.0 s) */
	double dip_max_s;    /**< widest brief dip inside a hold (0.8 s) */
	double sag_max_s;    /**< widest sag a hold survives (3 s) ... */
	double sag_max_frac; /**< ... down by at most this share of its force
	                          above rest (0.6) */
	double bridge_gap_s; /**< a loaded period survives missing data this
	                          long when the force is still up after it
	                          (a chip that stopped answering, 5 s) */
	double peak_smooth_s;/**< peak from the despiked force averaged over
	                          this span (0.04 s; at most a sample or two at
	                          80 SPS): no filter overshoot, little noise */
	double rest_up_rate_n_per_s; /**< fastest upward drift of rest (3 N/s) */
	double reposition_s; /**< stable this long near rest while "loaded" means
	                          the heel was put down higher (8 s) */
	double max_period_s; /**< a loaded period is cut after this (600 s) */
};

void bm_detect_params_default(struct bm_detect_params *p);

/** Kinds of event. */
enum bm_event_kind { BM_EVENT_HOLD = 0, BM_EVENT_REP = 1 };

/** One effort of one leg. */
struct bm_event {
	enum bm_event_kind kind;
	int leg;               /**< 0 left, 1 right */
	double start_s, end_s; /**< threshold crossings (or valleys, for
	                            touch-and-go reps, or the edge of a gap) */
	double plateau_start_s, plateau_end_s; /**< holds: ramps excluded */
	double peak_n;         /**< highest force: the despiked, unfiltered
	                            force averaged over peak_smooth_s */
	double mean_n;         /**< mean force over the plateau (holds), or
	                            over the event (reps) */
	double mean_above_rest_n; /**< mean_n - baseline_n */
	double peak_above_rest_n; /**< peak_n - baseline_n */
	double cv_pct;         /**< SD / mean x 100 over the same span */
	double impulse_ns;     /**< integral of force above rest, N s */
	double tut_s;          /**< time under tension (end - start) */
	double baseline_n;     /**< resting level at the start */
	double threshold_n;    /**< onset threshold used (above rest) */
	double tremor_hz;      /**< holds: strongest 4-15 Hz frequency of the
	                            unfiltered plateau (NaN at 10 SPS) */
	double tremor_rms_n;   /**< holds: RMS within that band, N (NaN likewise) */
	int cut_by_gap;        /**< start or end is the edge of a data gap, or
	                            data is missing inside it (gap_inside_s) */
	double gap_inside_s;   /**< missing data bridged inside the event, s */
	int started_loaded;    /**< the data began inside this effort: its
	                            true start is not known */
	int dips;              /**< holds: dips and sags inside the hold */
	double dip_min_n;      /**< holds: lowest force between the plateau's
	                            start and end (NaN without dips) */
	int counted;           /**< holds: at least min_hold_s long, so the
	                            hold counts toward the hold time */
	int single_leg;        /**< set by the session analysis: the other foot
	                            was lifted for most of the event */
};

/** What the live view shows for a leg. */
enum bm_leg_mode {
	BM_LEG_UNKNOWN = 0,   /**< no resting level yet */
	BM_LEG_REST = 1,
	BM_LEG_LOADED = 2,
	BM_LEG_LIFTED = 3,
};

struct bm_leg_live {
	enum bm_leg_mode mode;
	double baseline_n;     /**< current resting level (NaN when unknown) */
	double threshold_n;    /**< current onset threshold above rest */
	double loaded_since_s; /**< start of the current loaded period, or NaN */
	int valleys;           /**< valleys so far in the current period: the
	                            provisional count of touch-and-go reps - 1 */
	double hold_since_s;   /**< since when the force has stayed up without a
	                            rep's valley (sags and brief dips do not
	                            count): the start of a hold under way, or NaN */
};

struct bm_leg_detector;

/**
 * New detector for leg @p leg at @p rate_hz samples per second.
 * @return NULL on bad arguments or out of memory.  Free with
 *         bm_leg_detector_free().
 */
struct bm_leg_detector *bm_leg_detector_new(const struct bm_detect_params *p, int leg,
                                            double rate_hz);

void bm_leg_detector_free(struct bm_leg_detector *d);

/** Set the resting level before the first sample (from a look at the start
 *  of the session; see bm_estimate_rest_n).  Without it, the detector takes
 *  the first stable second above 8 N. */
void bm_leg_detector_set_rest(struct bm_leg_detector *d, double rest_n);

/** One sample of one leg, as the signal chain hands it to the detector. */
struct bm_leg_sample {
	double t_s;        /**< time, seconds, increasing */
	double force_n;    /**< filtered force, newtons (must be finite) */
	double raw_n;      /**< the same sample before the low-pass (despiked),
	                        for the tremor of holds; NaN if not known */
	double read_n;     /**< the sample as read, before the despiker (for
	                        the peak: a median of three cuts the top of a
	                        short rep at 10 SPS); NaN if not known */
	int gap_before;    /**< data is missing between the previous sample
	                        and this one (a gap) */
};

/**
 * One sample.
 * @return number of events now waiting for bm_leg_detector_pop().
 */
size_t bm_leg_detector_push(struct bm_leg_detector *d, const struct bm_leg_sample *s);

/** End of data: finish the current period.  Returns events waiting. */
size_t bm_leg_detector_finish(struct bm_leg_detector *d);

/** Take up to @p max finished events, oldest first.  Returns how many. */
size_t bm_leg_detector_pop(struct bm_leg_detector *d, struct bm_event *out, size_t max);

/** Events lost for lack of memory since the detector was made (sticky). */
size_t bm_leg_detector_lost(const struct bm_leg_detector *d);

/** Current mode only (cheap: called for every sample by the session). */
enum bm_leg_mode bm_leg_detector_mode(const struct bm_leg_detector *d);

/** Current state, for the live view. */
void bm_leg_detector_live(const struct bm_leg_detector *d, struct bm_leg_live *out);

/**
 * Estimate a leg's resting level from the first seconds of a session: the
 * mean of the first stable one-second window above 8 N (below that the foot
 * is in the air), unless that is more than 50 N above the low end (20th
 * percentile) of all stable windows, in which case the recording started
 * during an effort and the low end is taken.  NaN when there is none.
 * @param force_n  filtered force, NaN for missing samples
 */
double bm_estimate_rest_n(const double *force_n, size_t n, double rate_hz);

/**
 * The same, knowing the other leg's force over the same samples
 * (@p other_n, NaN where it has none; NULL: unknown): with no other leg at
 * all, a lower level cannot be a foot lifted for the other leg's
 * single-leg work, so a start above it was an effort (a one-sensor
 * device's export cut to its efforts).
 */
double bm_estimate_rest2_n(const double *force_n, const double *other_n, size_t n, double rate_hz);

#endif
