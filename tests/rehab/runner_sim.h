/*
 * runner_sim.h - drives a bm_runner the way the live program does: ticks at
 * 60 Hz with the force above rest per leg, efforts begun and ended at
 * chosen times, every line and cue collected for the assertions.
 */
#ifndef RUNNER_SIM_H
#define RUNNER_SIM_H

#include "bm_runner.h"

#define SIM_RATE_HZ 60.0
#define SIM_MAX_LINES 1024
#define SIM_MAX_CUES 1024

struct sim {
	struct bm_runner *r;
	long frame;                /* ticks so far: time = frame / 60 */
	double force_n[2];         /* force above rest sent with each tick */
	char lines[SIM_MAX_LINES][160];
	int n_lines;
	enum bm_run_cue cues[SIM_MAX_CUES];
	int n_cues;
};

/* A runner for @p proto (params NULL: defaults), started at t = 0. */
void sim_start(struct sim *s, const struct bm_protocol *proto, const struct bm_runner_params *p);
void sim_free(struct sim *s);
double sim_now(const struct sim *s);
/* Collect waiting lines and cues. */
void sim_drain(struct sim *s);
/* Tick up to time @p t_s. */
void sim_advance(struct sim *s, double t_s);
/* Tick until the runner is in @p st; fails the test after @p limit_s. */
void sim_wait_state(struct sim *s, enum bm_runner_state st, double limit_s);
/* An effort on @p side of @p dur_s seconds begun @p delay_s after now, at
 * @p force_n above rest on each working leg; the ends come in leg order,
 * as the detector gives them. */
void sim_effort(struct sim *s, enum bm_side side, enum bm_effort_kind kind, double delay_s,
                double dur_s, double force_n);
/* Index of the first line equal to @p text at or after @p from, or -1. */
int sim_line(const struct sim *s, const char *text, int from);
/* Count of @p cue in the collected cues. */
int sim_cue_count(const struct sim *s, enum bm_run_cue cue);
/* A protocol from text (fails the test if it does not parse). */
void sim_protocol(const char *text, struct bm_protocol *out);

#endif
