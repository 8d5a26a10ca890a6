/*
 * eval_detect.c - detection quality over many simulated sessions, for tuning
 * and for the README's figures.
 *
 *   eval_detect [--seeds N] [--first S] [--seconds T] [--rate HZ]
 *               [--gaps-in-efforts] [--clean] [--epoch] [--verbose]
 *
 * Prints hold and rep F1 per seed (with --verbose, every miss and false
 * alarm) and the totals.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

int main(int argc, char **argv)
{
	int seeds = 50, verbose = 0, dump = 0;
	unsigned long first = 1;
	struct bm_sim_config cfg;
	bm_sim_config_default(&cfg);
	cfg.seconds = 600;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
			seeds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--first") && i + 1 < argc)
			first = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			cfg.seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
			cfg.rate_hz = atof(argv[++i]);
		else if (!strcmp(argv[i], "--gaps-in-efforts"))
			cfg.gaps_in_efforts = 1;
		else if (!strcmp(argv[i], "--clean"))
			cfg.messy = 0;
		else if (!strcmp(argv[i], "--epoch"))
			cfg.t0_s = 1764091234.25;
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else if (!strcmp(argv[i], "--dump"))
			dump = 1;
		else {
			fprintf(stderr, "eval_detect: unknown argument '%s'\n", argv[i]);
			return 1;
		}
	}
	struct eval_counts th = {0}, tr = {0};
	for (int k = 0; k < seeds; k++) {
		struct bm_event_list run;
		struct bm_sim *sim;
		const struct bm_sim_event *truth;
		cfg.seed = first + (unsigned long)k;
		if (eval_run_sim(&cfg, NULL, &run, &sim) != 0) {
			fprintf(stderr, "eval_detect: seed %llu failed\n", (unsigned long long)cfg.seed);
			return 2;
		}
		size_t nt = bm_sim_truth(sim, &truth);
		struct eval_counts h = {0}, r = {0};
		FILE *log = verbose ? stdout : NULL;
		if (verbose)
			printf("seed %llu\n", (unsigned long long)cfg.seed);
		if (dump) {
			for (size_t j = 0; j < nt; j++)
				printf("  truth %s %-5s %9.2f-%9.2f target %.0f%s\n",
				       truth[j].kind == BM_SIM_HOLD ? "hold" : "rep ", truth[j].leg ? "right" : "left",
				       truth[j].start_s, truth[j].end_s, truth[j].target_n,
				       truth[j].single_leg ? " single" : "");
			for (size_t j = 0; j < run.n; j++)
				printf("  found %s %-5s %9.2f-%9.2f peak %.0f mean %.0f base %.0f%s\n",
				       run.ev[j].kind == BM_EVENT_HOLD ? "hold" : "rep ", run.ev[j].leg ? "right" : "left",
				       run.ev[j].start_s, run.ev[j].end_s, run.ev[j].peak_n, run.ev[j].mean_n,
				       run.ev[j].baseline_n, run.ev[j].single_leg ? " single" : "");
		}
		eval_match(run.ev, run.n, truth, nt, BM_EVENT_HOLD, &h, log);
		eval_match(run.ev, run.n, truth, nt, BM_EVENT_REP, &r, log);
		printf("seed %4llu  holds tp %3u fp %2u fn %2u  F1 %.3f   reps tp %4u fp %3u fn %3u  F1 %.3f  single-leg wrong %u\n",
		       (unsigned long long)cfg.seed, h.tp, h.fp, h.fn, eval_f1(&h), r.tp, r.fp, r.fn,
		       eval_f1(&r), h.single_leg_wrong + r.single_leg_wrong);
		th.tp += h.tp; th.fp += h.fp; th.fn += h.fn; th.single_leg_wrong += h.single_leg_wrong;
		tr.tp += r.tp; tr.fp += r.fp; tr.fn += r.fn; tr.single_leg_wrong += r.single_leg_wrong;
		bm_event_list_free(&run);
		bm_sim_free(sim);
	}
	printf("TOTAL holds tp %u fp %u fn %u F1 %.4f | reps tp %u fp %u fn %u F1 %.4f | single-leg wrong %u\n",
	       th.tp, th.fp, th.fn, eval_f1(&th), tr.tp, tr.fp, tr.fn, eval_f1(&tr),
	       th.single_leg_wrong + tr.single_leg_wrong);
	return 0;
}
