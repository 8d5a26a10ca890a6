/* eval.c - see eval.h. */
#include <stdio.h>

#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double iou(double a0, double a1, double b0, double b1)
{
	double i = fmin(a1, b1) - fmax(a0, b0);
	double u = fmax(a1, b1) - fmin(a0, b0);
	return i > 0 && u > 0 ? i / u : 0;
}

void eval_match(const struct bm_event *det, size_t nd, const struct bm_sim_event *truth,
                size_t nt, enum bm_event_kind kind, struct eval_counts *c, FILE *log)
{
	unsigned char *dused = calloc(nd + 1, 1), *tused = calloc(nt + 1, 1);
	enum bm_sim_kind tk = kind == BM_EVENT_HOLD ? BM_SIM_HOLD : BM_SIM_REP;

	if (!dused || !tused)
		abort();
	/* Greedy by best IoU: repeat picking the best remaining pair. */
	for (;;) {
		double best = 0.5;
		size_t bi = 0, bj = 0;
		int found = 0;
		for (size_t i = 0; i < nd; i++) {
			if (dused[i] || det[i].kind != kind)
				continue;
			for (size_t j = 0; j < nt; j++) {
				if (tused[j] || truth[j].kind != tk || truth[j].leg != det[i].leg)
					continue;
				double v = iou(det[i].start_s, det[i].end_s, truth[j].start_s, truth[j].end_s);
				if (v >= best) {
					best = v;
					bi = i;
					bj = j;
					found = 1;
				}
			}
		}
		if (!found)
			break;
		dused[bi] = tused[bj] = 1;
		c->tp++;
		if (!!det[bi].single_leg != !!truth[bj].single_leg)
			c->single_leg_wrong++;
	}
	for (size_t i = 0; i < nd; i++) {
		if (det[i].kind != kind || dused[i])
			continue;
		c->fp++;
		if (log)
			fprintf(log, "  false %s %s %.2f-%.2f peak %.0f base %.0f\n",
			        kind == BM_EVENT_HOLD ? "hold" : "rep", det[i].leg ? "right" : "left",
			        det[i].start_s, det[i].end_s, det[i].peak_n, det[i].baseline_n);
	}
	for (size_t j = 0; j < nt; j++) {
		if (truth[j].kind != tk || tused[j])
			continue;
		c->fn++;
		if (log)
			fprintf(log, "  missed %s %s %.2f-%.2f target %.0f%s\n",
			        kind == BM_EVENT_HOLD ? "hold" : "rep", truth[j].leg ? "right" : "left",
			        truth[j].start_s, truth[j].end_s, truth[j].target_n,
			        truth[j].single_leg ? " single" : "");
	}
	free(dused);
	free(tused);
}

double eval_f1(const struct eval_counts *c)
{
	unsigned d = 2 * c->tp + c->fp + c->fn;
	return d ? 2.0 * c->tp / d : 1.0;
}

int eval_run_sim(const struct bm_sim_config *cfg, const struct bm_session_params *p,
                 struct bm_event_list *run, struct bm_sim **simp)
{
	struct bm_session_params def;
	struct bm_sim_sample smp;
	struct bm_sim *sim;
	struct bm_session *s;

	memset(run, 0, sizeof *run);
	*simp = NULL;
	if (!p) {
		bm_session_params_default(&def);
		p = &def;
	}
	sim = bm_sim_new(cfg);
	if (!sim)
		return -1;
	s = bm_session_new(p, bm_event_list_add, NULL, run);
	if (!s) {
		bm_sim_free(sim);
		return -1;
	}
	while (bm_sim_next(sim, &smp)) {
		double f[2] = {smp.force_n[0], smp.force_n[1]};
		/* What the CSV reader does with flagged samples. */
		for (int i = 0; i < 2; i++)
			if (smp.flags[i] & BM_CH_NOT_A_READING)
				f[i] = NAN;
		if (bm_session_push(s, smp.t_s, f) != BM_SESSION_OK) {
			bm_session_free(s);
			bm_sim_free(sim);
			return -1;
		}
	}
	bm_session_finish(s);
	bm_session_free(s);
	*simp = sim;
	return 0;
}
