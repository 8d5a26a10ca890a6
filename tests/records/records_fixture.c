/* records_fixture.c - recordings for the records tests; see
 * records_fixture.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "records_fixture.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_calib.h"
#include "bm_calib_file.h"
#include "bm_csv.h"
#include "bm_fileio.h"
#include "bm_meta.h"
#include "bm_sessions_dir.h"
#include "bm_sim.h"

void fx_rec_default(struct fx_rec *r, const char *name)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	r->seed = 1;
	r->seconds = 300;
	r->start_epoch_s = 1793610000; /* 2026-11-02 09:00 UTC */
	r->closed = 1;
	r->summary = 1;
	r->pain_before = r->pain_after = NAN;
}

static int write_text(const char *path, const struct bm_report *rep, int json)
{
	char *buf = NULL, msg[600];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	if (json)
		bm_report_write_json(rep, f);
	else
		bm_report_write_events_csv(rep, f);
	fclose(f);
	int r = bm_write_file_new(path, buf, len, msg, sizeof msg);
	if (r)
		fprintf(stderr, "fixture: %s\n", msg);
	free(buf);
	return r;
}

int fx_recording(const char *dir, const struct fx_rec *r)
{
	char csv[1100], meta_path[1200], ev[1200], sum[1200], msg[600];
	struct bm_sim_config cfg;
	struct bm_csv_writer *w;
	struct bm_csv_error err;
	struct bm_sim_sample smp;
	struct bm_meta m;
	struct bm_cal_record rec;
	struct bm_calib cal;

	snprintf(csv, sizeof csv, "%s/%s.csv", dir, r->name);
	bm_meta_path(csv, meta_path, sizeof meta_path);
	bm_sim_config_default(&cfg);
	cfg.seed = r->seed;
	cfg.seconds = r->seconds;
	struct bm_sim *sim = bm_sim_new(&cfg);
	if (!sim || bm_csv_writer_open(csv, &w, &err) != BM_CSV_OK) {
		fprintf(stderr, "fixture: cannot start %s\n", csv);
		bm_sim_free(sim);
		return -1;
	}
	while (bm_sim_next(sim, &smp)) {
		struct bm_csv_row row;
		memset(&row, 0, sizeof row);
		row.t_s = smp.t_s;
		row.has_raw = 1;
		row.seq = smp.seq;
		for (int i = 0; i < 2; i++) {
			row.force_n[i] = smp.force_n[i];
			row.raw_counts[i] = smp.raw_counts[i];
			row.flags[i] = smp.flags[i];
		}
		bm_csv_write_row(w, &row);
	}
	bm_csv_writer_close(w, &err);
	bm_meta_init(&m);
	snprintf(m.bridgemon, sizeof m.bridgemon, "test");
	snprintf(m.source, sizeof m.source, "%s", r->demo ? "demo" : "board");
	m.demo = r->demo;
	m.closed = r->closed;
	m.sample_rate_hz = 80;
	m.start_epoch_s = r->start_epoch_s;
	time_t t = (time_t)r->start_epoch_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(m.start_time, sizeof m.start_time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	bm_sim_calibration(sim, &rec);
	bm_calib_from_record(&cal, &rec);
	bm_meta_add_calib(&m, NAN, &cal);
	bm_sim_free(sim);
	snprintf(m.ctx.athlete, sizeof m.ctx.athlete, "%s", r->athlete ? r->athlete : "");
	snprintf(m.ctx.exercise, sizeof m.ctx.exercise, "%s", r->exercise ? r->exercise : "");
	m.ctx.pain_before = r->pain_before;
	m.ctx.pain_after = r->pain_after;
	int rc = bm_meta_write(meta_path, &m, msg, sizeof msg);
	bm_meta_free(&m);
	if (rc != BM_META_OK) {
		fprintf(stderr, "fixture: %s\n", msg);
		return -1;
	}
	if (!r->summary)
		return 0;
	struct bm_analysis_opts o;
	struct bm_analysis_notes notes;
	struct bm_report rep;
	bm_analysis_opts_default(&o);
	if (bm_analysis_run(csv, &o, &rep, &notes, msg, sizeof msg) != BM_ANALYSIS_OK) {
		fprintf(stderr, "fixture: %s\n", msg);
		return -1;
	}
	bm_sessions_companion_paths(csv, ev, sum, sizeof ev);
	rc = write_text(ev, &rep, 0) || write_text(sum, &rep, 1) ? -1 : 0;
	bm_report_free(&rep);
	return rc;
}

int fx_tmpdir(char *out, size_t len)
{
	snprintf(out, len, "/tmp/bm_records_XXXXXX");
	return mkdtemp(out) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_age(const char *path, double age_s)
{
	struct timeval tv[2];
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= (time_t)age_s;
	tv[1] = tv[0];
	utimes(path, tv);
}

char *fx_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}
