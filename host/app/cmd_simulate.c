/*
 * cmd_simulate.c - `bridgemon simulate`: a session of the simulated athlete
 * as a session CSV (the same format a recording has), and optionally the
 * truth it was generated from as JSON.
 *
 * Both files are written under a temporary name in the target folder and
 * renamed into place when complete, so an interrupted run leaves no half
 * file behind and an existing file is replaced only by a whole one.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_config.h"
#include "bm_calib_file.h"
#include "bm_csv.h"
#include "bm_meta.h"
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

/* The sidecar of a simulated session: marked as demo data. */
static void sim_meta(struct bm_sim *sim, const struct bm_sim_config *cfg, struct bm_meta *m)
{
	struct bm_cal_record rec;
	struct bm_calib cal;
	double t0 = cfg->t0_s != 0 ? cfg->t0_s : (double)time(NULL);

	bm_meta_init(m);
	snprintf(m->bridgemon, sizeof m->bridgemon, "%s", BM_VERSION);
	snprintf(m->source, sizeof m->source, "simulate");
	m->demo = 1;
	snprintf(m->device, sizeof m->device, "simulated athlete (no board)");
	m->sample_rate_hz = cfg->rate_hz;
	iso_time(t0, m->start_time, sizeof m->start_time);
	m->start_epoch_s = floor(t0);
	snprintf(m->origin, sizeof m->origin, "bridgemon simulate --seed %llu",
	         (unsigned long long)cfg->seed);
	bm_sim_calibration(sim, &rec);
	bm_calib_from_record(&cal, &rec);
	bm_meta_add_calib(m, NAN, &cal);
}

/* Write the CSV of @p sim into @p tmp and its sidecar into @p tmp_meta.
 * Returns 0 or -1 (message printed). */
static int write_csv(struct bm_sim *sim, const struct bm_sim_config *cfg, const char *tmp,
                     const char *tmp_meta)
{
	struct bm_csv_writer *w;
	struct bm_csv_error err;
	struct bm_sim_sample smp;
	struct bm_meta meta;
	char msg[600];

	sim_meta(sim, cfg, &meta);
	if (bm_csv_writer_open(tmp, &w, &err) != BM_CSV_OK) {
		fprintf(stderr, "bridgemon simulate: %s\n", err.msg);
		bm_meta_free(&meta);
		return -1;
	}
	uint16_t last_seq = 0;
	int have_seq = 0;
	while (bm_sim_next(sim, &smp)) {
		struct bm_csv_row row = {0};
		if (have_seq && (uint16_t)(smp.seq - last_seq) > 1)
			bm_meta_add_gap(&meta, smp.t_s, (long)(uint16_t)(smp.seq - last_seq - 1),
			                "frames lost on the link");
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
			bm_meta_free(&meta);
			fprintf(stderr, "bridgemon simulate: cannot write %s: %s\n", tmp,
			        strerror(errno));
			return -1;
		}
	}
	meta.closed = 1;
	if (bm_csv_writer_close(w, &err) != BM_CSV_OK ||
	    bm_meta_write(tmp_meta, &meta, msg, sizeof msg) != BM_META_OK) {
		fprintf(stderr, "bridgemon simulate: %s\n", err.msg[0] ? err.msg : msg);
		bm_meta_free(&meta);
		return -1;
	}
	bm_meta_free(&meta);
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
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
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
	/* Each file is written under a temporary name and renamed into place
	 * when all are complete: a generated session replaces an earlier one
	 * whole, never half (it is not a recording). */
	size_t ol = strlen(out) + 48, tl = truth ? strlen(truth) + 32 : 1;
	char *tmp_out = malloc(ol), *tmp_meta = malloc(ol), *meta = malloc(ol),
	     *tmp_truth = malloc(tl);
	int rc = BM_EXIT_OK;
	if (!tmp_out || !tmp_meta || !meta || !tmp_truth) {
		fprintf(stderr, "bridgemon simulate: out of memory\n");
		rc = BM_EXIT_OUTPUT;
		goto out;
	}
	bm_meta_path(out, meta, ol);
	snprintf(tmp_out, ol, "%s.partial-%ld", out, (long)getpid());
	snprintf(tmp_meta, ol, "%s.partial-%ld", meta, (long)getpid());
	if (truth)
		snprintf(tmp_truth, tl, "%s.partial-%ld", truth, (long)getpid());
	if (write_csv(sim, &cfg, tmp_out, tmp_meta) != 0 ||
	    (truth && write_truth(sim, tmp_truth) != 0)) {
		rc = BM_EXIT_OUTPUT;
	} else if (rename(tmp_out, out) != 0 || rename(tmp_meta, meta) != 0 ||
	           (truth && rename(tmp_truth, truth) != 0)) {
		fprintf(stderr, "bridgemon simulate: cannot put the files in place: %s\n",
		        strerror(errno));
		rc = BM_EXIT_OUTPUT;
	}
	unlink(tmp_out);
	unlink(tmp_meta);
	if (truth)
		unlink(tmp_truth);
out:
	free(tmp_out);
	free(tmp_meta);
	free(meta);
	free(tmp_truth);
	bm_sim_free(sim);
	return rc;
}
