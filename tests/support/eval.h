/*
 * eval.h - scoring detected events against a simulated session's truth,
 * shared by the detector tests and the tuning tool (tests/tools/eval_detect).
 *
 * A detected event matches a truth event of the same leg and kind when
 * their intersection over union is at least 0.5; matching is one to one,
 * best overlap first.  F1 = 2 TP / (2 TP + FP + FN).
 */
#ifndef BM_EVAL_H
#define BM_EVAL_H

#include <stddef.h>

#include "bm_detect.h"
#include "bm_report.h"
#include "bm_session.h"
#include "bm_sim.h"

struct eval_counts {
	unsigned tp, fp, fn;
	unsigned single_leg_wrong; /**< matched, single_leg flag differs */
};

/** Match events of @p kind; adds to @p c.  When @p log is not NULL, misses
 *  and false alarms are printed to it. */
void eval_match(const struct bm_event *det, size_t nd, const struct bm_sim_event *truth,
                size_t nt, enum bm_event_kind kind, struct eval_counts *c, FILE *log);

/** F1 of counts (1 when there was nothing to find and nothing found). */
double eval_f1(const struct eval_counts *c);

/**
 * Generate the session of @p cfg, write nothing, run every sample through a
 * bm_session with @p p (NULL: defaults, zero-phase), and keep the simulator
 * for its truth.  Returns 0, or -1 on failure.  Free with bm_event_list_free
 * and bm_sim_free.
 */
int eval_run_sim(const struct bm_sim_config *cfg, const struct bm_session_params *p,
                 struct bm_event_list *run, struct bm_sim **sim);

#endif
