/*
 * bm_report.h - from a session's events to what the user reads: holds and
 * reps per leg, left/right asymmetry of bilateral efforts, the limb symmetry
 * index of single-leg holds, as a table or as JSON (`analyze --json`).
 *
 * Bilateral pairs: a left and a right event, neither of them single-leg,
 * overlapping by at least half of the shorter one, matched one to one
 * (largest overlap first).  Asymmetry % = (stronger - weaker) / stronger x
 * 100 on the force above each leg's resting level (the work of the
 * hamstrings, not the weight of the leg resting on the heel): the plateau
 * mean when both legs held, else the peak; flagged above the threshold
 * (10 % by default).
 *
 * LSI (limb symmetry index) = weaker / stronger x 100 of the best single-leg
 * hold of each leg (highest plateau mean above rest); undefined (JSON null)
 * unless both legs have one.
 */
#ifndef BM_REPORT_H
#define BM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "bm_detect.h"
#include "bm_session.h"

/** A growing list of events, filled as a session hands them out. */
struct bm_event_list {
	struct bm_event *ev;
	size_t n, cap;
	int nomem;               /**< an event could not be kept */
};

/** Append a copy of @p e to the list @p ctx (a struct bm_event_list *);
 *  the signature of bm_session_event_cb, so it can be that callback. */
void bm_event_list_add(void *ctx, const struct bm_event *e);

/** Free the list's events and empty it. */
void bm_event_list_free(struct bm_event_list *l);

/** One bilateral effort. */
struct bm_bilateral {
	enum bm_event_kind kind;
	double start_s, end_s;   /**< earliest start, latest end of the pair */
	double left_n, right_n;  /**< plateau means (holds) or peaks (reps) */
	double left_above_rest_n, right_above_rest_n; /**< the same above each
	                              leg's rest: what asymmetry is judged on */
	double asymmetry_pct;
	int weaker;              /**< 0 left, 1 right */
	int flagged;             /**< asymmetry_pct > threshold */
};

/** A whole report.  Owns its arrays; free with bm_report_free(). */
struct bm_report {
	double duration_s;       /**< last - first row time */
	double sample_rate_hz;
	double asym_threshold_pct;
	struct bm_event *events; /**< holds and reps, by start time */
	size_t n_events;
	struct bm_bilateral *pairs;
	size_t n_pairs;
	double hold_time_s[2];   /**< summed durations of the counted holds
	                              (at least min_hold_s) per leg */
	unsigned holds[2];       /**< holds per leg, of any length */
	unsigned reps[2];        /**< rep count per leg */
	double best_single_hold_n[2]; /**< plateau mean of the best single-leg
	                              hold (most force above rest); NaN: none */
	double best_single_hold_above_rest_n[2]; /**< its force above rest */
	double lsi_pct;          /**< NaN when undefined */
	double max_force_n;      /**< readings beyond this were rejected */
	/* Data quality, reported as extra keys. */
	unsigned long long rows, samples_filled, gaps;
	double gap_s;
	double gap_s_leg[2];
	unsigned long long rejected[2];
	unsigned long long events_lost;
	size_t excluded_events;  /**< efforts left out: they happened while a
	                              plate was being calibrated */
	size_t calibration_changes; /**< the calibration changed this many
	                              times during the recording */
	int demo;                /**< the demo athlete's data, not a person's */
};

/**
 * Build a report.  Copies @p ev.
 * @return 0, or -1 when out of memory (@p out is then empty).
 */
int bm_report_build(const struct bm_event *ev, size_t n, double asym_threshold_pct,
                    struct bm_report *out);

void bm_report_free(struct bm_report *r);

/** Duration, rate and the data-quality counters, from the session that
 *  found the events. */
void bm_report_set_stats(struct bm_report *r, const struct bm_session_stats *st);

/** The JSON of `analyze --json` (shape in README.md), one object and a
 *  newline.  Returns 0, or -1 on a write error. */
int bm_report_write_json(const struct bm_report *r, FILE *f);

/** Events as CSV (NAME.events.csv of a recording): a header row, then one
 *  row per hold or rep in start order.  Returns 0, or -1 on a write error. */
int bm_report_write_events_csv(const struct bm_report *r, FILE *f);

/* Reading a summary back: bm_summary.h. */

/** The readable table of `analyze`.  Returns 0, or -1 on a write error. */
int bm_report_write_table(const struct bm_report *r, FILE *f);

#endif
