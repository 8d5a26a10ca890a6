/*
 * bm_zone.h - the target zone: a band of force per leg, as a % of the leg's
 * MVIC, and whether the leg is in it.
 *
 * Isometric loading for tendinopathy asks for a given intensity (about
 * 70 % MVIC); the athlete cannot feel 70 %, so the screen shows a band
 * (60-80 % by default) in newtons on each leg's bar, and tones say when the
 * effort enters or leaves it.
 *
 * Anchoring: after an injury the injured leg's MVIC is low, and 70 % of a
 * weak leg is a light load.  With the injured side set, both legs' bands are
 * a % of the uninjured side's MVIC instead, so the injured leg is asked to
 * work toward the healthy leg's level (and the screen shows how far off it
 * is).  Injured "both" or "none": each leg's own MVIC.
 *
 * The tracker decides in/out per leg from the force above rest at each
 * tick, with hysteresis: once in, a leg is out only when it leaves the band
 * by more than the hysteresis margin, so the noise of a steady hold at the
 * edge of the band (a few newtons) does not make the tones chatter.  It
 * adds up time in zone per leg while the leg's effort is running (the
 * runner resets it per set).
 */
#ifndef BM_ZONE_H
#define BM_ZONE_H

#include "bm_rehab.h"

struct bm_zone_params {
	double low_pct;          /**< band low end, % of MVIC (60) */
	double high_pct;         /**< band high end (80) */
	enum bm_side injured;    /**< LEFT, RIGHT: anchor both legs to the other
	                              leg's MVIC; BOTH, NONE: each its own (NONE) */
	double hysteresis_pct;   /**< margin to leave the band, % of MVIC (2) */
	double max_step_s;       /**< longer steps between ticks (a stall, a
	                              gap) add no time in zone (0.5 s) */
};

void bm_zone_params_default(struct bm_zone_params *p);

/** A band in newtons above rest, per leg. */
struct bm_zone_band {
	int valid[2];            /**< the leg has a band (its reference MVIC is known) */
	double ref_mvic_n[2];    /**< the MVIC the band is a % of (after anchoring) */
	double low_n[2], high_n[2];
	double hyst_n[2];        /**< hysteresis margin in newtons */
};

/**
 * Band from @p low_pct - @p high_pct of the reference MVIC per leg
 * (@p mvic_n, NaN or <= 0: unknown), anchored as @p p says.
 * @return 0, or -1 for bad arguments (NULL, low >= high, NaN %); the band
 *         is then all invalid.
 */
int bm_zone_band_make(const struct bm_zone_params *p, const double mvic_n[2],
                      double low_pct, double high_pct, struct bm_zone_band *out);

/**
 * Band around a target %: target +- half the width of @p p's default band
 * (70 % -> 60-80 % with the defaults).
 */
int bm_zone_band_around(const struct bm_zone_params *p, const double mvic_n[2],
                        double target_pct, struct bm_zone_band *out);

/** Where a leg is. */
enum bm_zone_pos {
	BM_ZONE_UNKNOWN = 0,  /**< no band, no force, or the leg is not working */
	BM_ZONE_BELOW = 1,
	BM_ZONE_IN = 2,
	BM_ZONE_ABOVE = 3,
};

struct bm_zone_tracker {
	enum bm_zone_pos pos[2];
	double in_zone_s[2];     /**< time in zone while active, since the last reset */
	double active_s[2];      /**< time active, likewise */
	double last_t_s;         /**< previous tick; NaN before the first */
	double max_step_s;
};

/** Start afresh: positions unknown, times zero. */
void bm_zone_tracker_reset(struct bm_zone_tracker *z, const struct bm_zone_params *p);

/**
 * One tick: update each active leg's position from @p force_above_rest_n
 * (NaN: no reading, position unknown) and add the time since the previous
 * tick to its active and in-zone time (the step counts with the position
 * decided now).  Inactive legs become UNKNOWN.
 * @param active  1 for legs whose effort is running
 * @return bit 0 / bit 1 set when the left / right leg went into or out of
 *         the band (UNKNOWN to BELOW is not a change worth a tone; any
 *         change to or from IN is).
 */
unsigned bm_zone_tracker_step(struct bm_zone_tracker *z, const struct bm_zone_band *band,
                              double t_s, const double force_above_rest_n[2], const int active[2]);

/** "unknown", "below", "in", "above". */
const char *bm_zone_pos_name(enum bm_zone_pos pos);

#endif
