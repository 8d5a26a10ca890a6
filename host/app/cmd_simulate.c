/*
 * cmd_simulate.c - `bridgemon simulate`: a session of the simulated athlete
 * as a session CSV (the same format a recording has), and optionally the
 * truth it was generated from as JSON.
 *
 * Both files are written under a temporary name in the target folder and
 * renamed into place when complete, so an interrupted run leaves no half
 * file behind and an existing file is replaced only by a whole one.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_config.h"
#include "bm_csv.h"
#include "bm_sim.h"

const struct bm_command bm_cmd_simulate = {
	"simulate",
	"write a simulated bridge session as CSV (and its truth as JSON)",
	"usage: bridgemon simulate --seconds N --seed S --out FILE.csv [--truth FILE.json]\n"
	"                          [--rate 80|10] [--t0 EPOCH_S] [--asym PCT] [--weaker left|right]\n"
	"                          [--clean] [--gaps-in-efforts]\n"
	"  --seconds N        session length (default 300)\n"
	"  --seed S           random seed; same seed, same session (default 1)\n"
	"  --out FILE.csv     the session CSV to write (replaced if it exists)\n"
	"  --truth FILE.json  also write the events the athlete made\n"
	"  --rate HZ          sample rate, 80 or 10 (default 80)\n"
	"  --t0 EPOCH_S       time of the first sample, e.g. seconds since 1970 (default 0)\n"
	"  --asym PCT         how much weaker the weaker leg is (default: from the seed)\n"
	"  --weaker LEG       which leg is weaker, left or right (default: from the seed)\n"
	"  --clean            no glitches, gaps, drift or repositioning\n"
	"  --gaps-in-efforts  let long data gaps fall inside efforts too\n",
	bm_cmd_simulate_run,
};

static void iso_time(double epoch_s, char *buf, size_t len)
{
	time_t t = (time_t)floor(epoch_s);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Write the CSV of @p sim into @p tmp.  Returns 0 or -1 (message printed). */
static int write_csv(struct bm_sim *sim, const struct bm_sim_config *cfg, const char *tmp)
{
	struct bm_cal_record cal;
	struct bm_csv_writer *w;
	struct bm_csv_error err;
	struct bm_sim_sample smp;
	char seed[32], rate[32], start[40], lo[32], ls[32], ro[32], rs[32];

	bm_sim_calibration(sim, &cal);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
	snprintf(rate, sizeof rate, "%g", cfg->rate_hz);
	iso_time(cfg->t0_s != 0 ? cfg->t0_s : (double)time(NULL), start, sizeof start);
	snprintf(lo, sizeof lo, "%ld", (long)cal.offset_counts[0]);
	snprintf(ls, sizeof ls, "%.9g", (double)cal.scale_n_per_count[0]);
	snprintf(ro, sizeof ro, "%ld", (long)cal.offset_counts[1]);
	snprintf(rs, sizeof rs, "%.9g", (double)cal.scale_n_per_count[1]);
	const char *meta[] = {
		"bridgemon", BM_VERSION,
		"source", "simulate",
		"seed", seed,
		"device", "simulated athlete (no board)",
		"sample_rate_hz", rate,
		"start_time", start,
		"left_offset_counts", lo,
		"left_scale_n_per_count", ls,
		"right_offset_counts", ro,
		"right_scale_n_per_count", rs,
		NULL,
	};
	if (bm_csv_writer_open(tmp, meta, &w, &err) != BM_CSV_OK) {
		fprintf(stderr, "bridgemon simulate: %s\n", err.msg);
		return -1;
	}
	uint16_t last_seq = 0;
	int have_seq = 0;
	while (bm_sim_next(sim, &smp)) {
		struct bm_csv_row row = {0};
		if (have_seq && (uint16_t)(smp.seq - last_seq) > 1) {
			char note[64];
			snprintf(note, sizeof note, "%u samples lost before t_s %.6f",
			         (unsigned)(uint16_t)(smp.seq - last_seq - 1), smp.t_s);
			bm_csv_write_comment(w, "gap", note);
		}
		last_seq = smp.seq;
		have_seq = 1;
		row.t_s = smp.t_s;
		row.has_raw = 1;
		row.seq = smp.seq;
		for (int i = 0; i < 2; i++) {
			row.force_n[i] = smp.force_n[i];
			row.raw_counts[i] = smp.raw_counts[i];
			row.flags[i] = smp.flags[i];
		}
		if (bm_csv_write_row(w, &row) != BM_CSV_OK) {
			bm_csv_writer_close(w, &err);
			fprintf(stderr, "bridgemon simulate: cannot write %s\n", tmp);
			return -1;
		}
	}
	if (bm_csv_writer_close(w, &err) != BM_CSV_OK) {
		fprintf(stderr, "bridgemon simulate: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int write_truth(const struct bm_sim *sim, const char *tmp)
{
	FILE *f = fopen(tmp, "wx");
	if (!f) {
		perror(tmp);
		return -1;
	}
	int r = bm_sim_write_truth_json(sim, f);
	if (fclose(f) != 0)
		r = -1;
	if (r != 0)
		fprintf(stderr, "bridgemon simulate: cannot write %s\n", tmp);
	return r;
}

int bm_cmd_simulate_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"seconds", required_argument, NULL, 's'},
		{"seed", required_argument, NULL, 'S'},
		{"out", required_argument, NULL, 'o'},
		{"truth", required_argument, NULL, 't'},
		{"rate", required_argument, NULL, 'r'},
		{"t0", required_argument, NULL, '0'},
		{"asym", required_argument, NULL, 'a'},
		{"weaker", required_argument, NULL, 'w'},
		{"clean", no_argument, NULL, 'c'},
		{"gaps-in-efforts", no_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_simulate;
	struct bm_sim_config cfg;
	const char *out = NULL, *truth = NULL;
	double v;
	int c;

	bm_sim_config_default(&cfg);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (bm_cli_number(me->name, "--seconds", optarg, 1, 7 * 86400.0, &cfg.seconds))
				return BM_EXIT_USAGE;
			break;
		case 'S':
			if (bm_cli_number(me->name, "--seed", optarg, 0, 9007199254740992.0, &v))
				return BM_EXIT_USAGE;
			if (v != floor(v))
				return bm_cli_usage_error(me, "--seed must be a whole number, not '%s'", optarg);
			cfg.seed = (uint64_t)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			truth = optarg;
			break;
		case 'r':
			if (bm_cli_number(me->name, "--rate", optarg, 10, 80, &cfg.rate_hz))
				return BM_EXIT_USAGE;
			if (cfg.rate_hz != 10 && cfg.rate_hz != 80)
				return bm_cli_usage_error(me, "--rate is 80 or 10 (the HX711's two rates)");
			break;
		case '0':
			if (bm_cli_number(me->name, "--t0", optarg, 0, 1e10, &cfg.t0_s))
				return BM_EXIT_USAGE;
			break;
		case 'a':
			if (bm_cli_number(me->name, "--asym", optarg, 0, 50, &cfg.asym_pct))
				return BM_EXIT_USAGE;
			break;
		case 'w':
			if (!strcmp(optarg, "left"))
				cfg.weaker_leg = BM_LEFT;
			else if (!strcmp(optarg, "right"))
				cfg.weaker_leg = BM_RIGHT;
			else
				return bm_cli_usage_error(me, "--weaker is left or right, not '%s'", optarg);
			break;
		case 'c':
			cfg.messy = 0;
			break;
		case 'g':
			cfg.gaps_in_efforts = 1;
			break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		case ':':
			return bm_cli_usage_error(me, "option '%s' needs a value", argv[optind - 1]);
		default:
			return bm_cli_usage_error(me, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bm_cli_usage_error(me, "unexpected argument '%s'", argv[optind]);
	if (!out)
		return bm_cli_usage_error(me, "--out FILE.csv is required");

	struct bm_sim *sim = bm_sim_new(&cfg);
	if (!sim) {
		fprintf(stderr, "bridgemon simulate: cannot set up the simulation\n");
		return BM_EXIT_USAGE;
	}
	size_t ol = strlen(out) + 32, tl = truth ? strlen(truth) + 32 : 1;
	char *tmp_out = malloc(ol), *tmp_truth = malloc(tl);
	int rc = BM_EXIT_OK;
	snprintf(tmp_out, ol, "%s.partial-%ld", out, (long)getpid());
	if (truth)
		snprintf(tmp_truth, tl, "%s.partial-%ld", truth, (long)getpid());
	if (write_csv(sim, &cfg, tmp_out) != 0 || (truth && write_truth(sim, tmp_truth) != 0)) {
		rc = BM_EXIT_OUTPUT;
	} else if (rename(tmp_out, out) != 0 || (truth && rename(tmp_truth, truth) != 0)) {
		perror("bridgemon simulate: rename");
		rc = BM_EXIT_OUTPUT;
	}
	if (rc != BM_EXIT_OK) {
		unlink(tmp_out);
		if (truth)
			unlink(tmp_truth);
	}
	free(tmp_out);
	free(tmp_truth);
	bm_sim_free(sim);
	return rc;
}
