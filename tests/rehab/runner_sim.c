/* runner_sim.c - the test driver of bm_runner; see runner_sim.h. */
#include "runner_sim.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

void sim_protocol(const char *text, struct bm_protocol *out)
{
	char msg[256];
	int rc = bm_protocol_parse(text, strlen(text), "test.protocol", out, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_OK, "test protocol should parse: %s", msg);
}

void sim_start(struct sim *s, const struct bm_protocol *proto, const struct bm_runner_params *p)
{
	memset(s, 0, sizeof *s);
	int rc = bm_runner_new(proto, p, &s->r);
	ck_assert_msg(rc == BM_RUNNER_OK && s->r, "expected a runner, got %d", rc);
	ck_assert_int_eq(bm_runner_start(s->r, 0.0), BM_RUNNER_OK);
	sim_drain(s);
}

void sim_free(struct sim *s)
{
	bm_runner_free(s->r);
	s->r = NULL;
}

double sim_now(const struct sim *s)
{
	return (double)s->frame / SIM_RATE_HZ;
}

void sim_drain(struct sim *s)
{
	char buf[160];
	enum bm_run_cue c;
	while (bm_runner_next_line(s->r, buf, sizeof buf)) {
		ck_assert_msg(s->n_lines < SIM_MAX_LINES, "too many lines");
		snprintf(s->lines[s->n_lines++], sizeof s->lines[0], "%s", buf);
	}
	while (bm_runner_next_cue(s->r, &c)) {
		ck_assert_msg(s->n_cues < SIM_MAX_CUES, "too many cues");
		s->cues[s->n_cues++] = c;
	}
}

void sim_advance(struct sim *s, double t_s)
{
	while (sim_now(s) < t_s - 1e-9) {
		s->frame++;
		int rc = bm_runner_tick(s->r, sim_now(s), s->force_n);
		ck_assert_msg(rc == BM_RUNNER_OK, "tick at %.3f: expected OK, got %d", sim_now(s), rc);
		sim_drain(s);
	}
}

void sim_wait_state(struct sim *s, enum bm_runner_state st, double limit_s)
{
	struct bm_runner_view v;
	double until = sim_now(s) + limit_s;
	for (;;) {
		bm_runner_view(s->r, &v);
		if (v.state == st)
			return;
		ck_assert_msg(sim_now(s) < until, "expected state '%s' within %.0f s, still '%s' at %.2f",
		              bm_runner_state_name(st), limit_s, bm_runner_state_name(v.state), sim_now(s));
		sim_advance(s, sim_now(s) + 1 / SIM_RATE_HZ);
	}
}

void sim_effort(struct sim *s, enum bm_side side, enum bm_effort_kind kind, double delay_s,
                double dur_s, double force_n)
{
	double t0 = sim_now(s) + delay_s;
	sim_advance(s, t0);
	t0 = sim_now(s);
	ck_assert_int_eq(bm_runner_effort_begin(s->r, side, t0), BM_RUNNER_OK);
	for (int leg = 0; leg < 2; leg++)
		if (side == BM_SIDE_BOTH || (int)side == leg)
			s->force_n[leg] = force_n;
	sim_drain(s);
	sim_advance(s, t0 + dur_s);
	double t1 = sim_now(s);
	s->force_n[0] = s->force_n[1] = 0;
	for (int leg = 0; leg < 2; leg++)
		if (side == BM_SIDE_BOTH || (int)side == leg)
			ck_assert_int_eq(bm_runner_effort_end(s->r, leg, kind, t0, t1, force_n * 1.05, force_n),
			                 BM_RUNNER_OK);
	sim_drain(s);
}

int sim_line(const struct sim *s, const char *text, int from)
{
	for (int i = from < 0 ? 0 : from; i < s->n_lines; i++)
		if (strcmp(s->lines[i], text) == 0)
			return i;
	return -1;
}

int sim_cue_count(const struct sim *s, enum bm_run_cue cue)
{
	int n = 0;
	for (int i = 0; i < s->n_cues; i++)
		n += s->cues[i] == cue;
	return n;
}
