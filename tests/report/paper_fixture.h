/*
 * paper_fixture.h - synthetic documents for the paper report's tests, its
 * benchmark and the sample pages: a session whose efforts, levels, gap and
 * spike are known, a second shorter session, and a progress series of 8
 * weekly sessions.  Tests pin TZ=UTC so the dates below print as written.
 */
#ifndef PAPER_FIXTURE_H
#define PAPER_FIXTURE_H

#include <stddef.h>

#include "bm_paper.h"

/* Session 1: 300 s at 80 samples/s, started 2026-11-25 18:04:05 UTC. */
#define FIX_S1_EPOCH 1795629845.0
#define FIX_S1_SECONDS 300.0
#define FIX_S1_RATE_HZ 80.0
#define FIX_REST_L_N 50.0
#define FIX_REST_R_N 60.0
/* A bilateral hold 30-75 s: left 300 N, right 250 N (plateaus). */
#define FIX_BI_START_S 30.0
#define FIX_BI_END_S 75.0
#define FIX_BI_L_N 300.0
#define FIX_BI_R_N 250.0
/* A single-leg left hold 100-140 s at 420 N, right foot lifted (0 N). */
#define FIX_SL_START_S 100.0
#define FIX_SL_END_S 140.0
#define FIX_SL_L_N 420.0
/* 10 reps per leg from 160 s, one every 4 s, 1.5 s long. */
#define FIX_REPS_START_S 160.0
#define FIX_REPS_N 10
#define FIX_REP_PERIOD_S 4.0
#define FIX_REP_LEN_S 1.5
#define FIX_REP_L_N 380.0
#define FIX_REP_R_N 340.0
/* No data 220-225 s (NaN samples, and listed as a gap). */
#define FIX_GAP_START_S 220.0
#define FIX_GAP_END_S 225.0
/* One left sample of 900 N at 250 s: the trace's maximum. */
#define FIX_SPIKE_S 250.0
#define FIX_SPIKE_N 900.0

/* Session 2: 120 s at 10 samples/s, 2026-11-27 08:30 UTC. */
#define FIX_S2_EPOCH 1795768200.0
/* Progress: 8 sessions, weekly from 2026-10-05 17:00 UTC. */
#define FIX_P0_EPOCH 1791219600.0
#define FIX_N_POINTS 8
/* The footer date: 2026-12-02 10:15 UTC. */
#define FIX_GENERATED_EPOCH 1796206500.0
#define FIX_ATHLETE "Zoë Ångström-Okafor"

struct paper_fixture {
	double *t_s, *left_n, *right_n;       /* session 1 trace (owned) */
	double *t2_s, *left2_n, *right2_n;    /* session 2 trace (owned) */
	struct bm_paper_effort efforts[3 + 2 * FIX_REPS_N];
	struct bm_paper_effort efforts2[2];
	struct bm_paper_gap gaps[1];
	struct bm_paper_session sessions[2];
	struct bm_paper_point points[FIX_N_POINTS];
	struct bm_paper_change changes[2];
	struct bm_paper_ready_item ready[4];
	struct bm_paper_progress progress;
	struct bm_paper_doc doc;
};

/* The document: 2 sessions and the progress page (3 pages); demo sets the
 * demo flag of both sessions.  Returns 0, or -1 when out of memory. */
int paper_fixture_init(struct paper_fixture *f, int demo);

/* Replace session 1's trace by a long one (seconds at rate_hz, efforts
 * kept where they fall), for the benchmark.  0, or -1 out of memory. */
int paper_fixture_long(struct paper_fixture *f, double seconds, double rate_hz);

void paper_fixture_free(struct paper_fixture *f);

/* Drop cairo's and fontconfig's caches before the process ends, so that
 * LeakSanitizer reports only our leaks (fontconfig 2.14 keeps part of its
 * parsed configuration until FcFini()).  No cairo call may follow. */
void paper_fixture_drop_caches(void);

/* Force of session 1 at t_s (the generator itself; NaN inside the gap). */
double paper_fixture_left_n(double t_s);
double paper_fixture_right_n(double t_s);

#endif
