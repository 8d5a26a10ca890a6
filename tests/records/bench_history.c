/*
 * bench_history.c - `bridgemon history --athlete NAME` on a store of 1,000
 * sessions (20 efforts each) whose recordings are all in the folder: what
 * the command does each time (open the store, look for unfinished
 * recordings, sync the folder - nothing new -, build the history with its
 * trend and changes, write the JSON), timed in-process 30 times, and the
 * whole command as a process 10 times when its path is given.  Prints
 * median and max in ms per step; the goal is an in-process median under
 * 50 ms of CPU time (exit 1 if missed): wall time on a machine shared with
 * other builds includes waiting for a core.  The process adds the program's start-up
 * (loading its shared libraries, SDL and cairo among them), which
 * `bridgemon --version` alone shows.
 *
 *   bench_history [PATH/TO/bridgemon]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bm_history.h"
#include "bm_recording.h"
#include "bm_recover.h"
#include "bm_store.h"
#include "bm_sync.h"
#include "records_fixture.h"

enum { SESSIONS = 1000, EFFORTS = 20, REPEATS = 30, PROCESS_REPEATS = 10 };
#define GOAL_MS 50.0
#define ATHLETE "Bench Athlete"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: what the work costs, without the time spent
 * waiting while other jobs had the cores (a shared 2-core machine). */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void touch(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The store and the folder: 1,000 sessions of one athlete, a year and a
 * half of three sessions a week, each with its CSV and summary beside. */
static int fill(const char *db, const char *folder)
{
	struct bm_store *st;
	struct bm_store_athlete a;
	char msg[600], station[BM_STORE_STATION_MAX + 1];
	bm_recording_station(station, sizeof station);
	if (bm_store_open(db, &st, msg, sizeof msg) != BM_STORE_OK ||
	    bm_store_athlete_get_or_create(st, ATHLETE, &a, NULL) != BM_STORE_OK ||
	    bm_store_begin(st) != BM_STORE_OK) {
		fprintf(stderr, "bench_history: %s\n", st ? bm_store_errmsg(st) : msg);
		return -1;
	}
	for (int i = 0; i < SESSIONS; i++) {
		struct bm_store_session s;
		struct bm_store_effort e[EFFORTS];
		char name[64], key[80], path[1200];
		int64_t id;
		time_t t = 1780000000 + (time_t)i * 2 * 86400 + (i % 3) * 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(name, sizeof name, "%Y-%m-%dT%H-%M-%S", &tm);
		snprintf(key, sizeof key, "%s.csv", name);
		snprintf(path, sizeof path, "%s/%s.csv", folder, name);
		touch(path, "t_s,left_n,right_n\n");
		snprintf(path, sizeof path, "%s/%s.summary.json", folder, name);
		touch(path, "{}");
		bm_store_session_init(&s);
		s.station = station;
		s.recording = key;
		s.athlete_id = a.id;
		s.started_epoch_s = (int64_t)t;
		s.duration_s = 900;
		s.exercise = (enum bm_store_exercise)(i % 3);
		s.sample_rate_hz = 80;
		s.pain_after = i % 6;
		for (int k = 0; k < EFFORTS; k++) {
			struct bm_store_effort *f = &e[k];
			memset(f, 0, sizeof *f);
			f->leg = k % 2;
			f->kind = k < 12 ? BM_STORE_EFFORT_HOLD : BM_STORE_EFFORT_REP;
			f->start_s = 10 + 40.0 * (k / 2);
			f->end_s = f->start_s + (k < 12 ? 30 : 3);
			f->mean_above_rest_n = 150 + 0.05 * i + 5 * sin(k + i) - 15 * f->leg;
			f->peak_above_rest_n = f->mean_above_rest_n + 12;
			f->mean_n = f->mean_above_rest_n + 60;
			f->peak_n = f->peak_above_rest_n + 60;
			f->impulse_ns = 30 * f->mean_above_rest_n;
			f->single_leg = k >= 8 && k < 12;
		}
		for (int l = 0; l < 2; l++) {
			s.leg[l].best_hold_n = 160 + 0.05 * i - 15 * l;
			s.leg[l].mean_hold_n = 150 + 0.05 * i - 15 * l;
			s.leg[l].impulse_ns = 40000;
			s.leg[l].hold_time_s = 180;
			s.leg[l].reps = 4;
		}
		s.lsi_peak_pct = 90;
		s.lsi_impulse_pct = 88;
		if (bm_store_session_upsert(st, &s, &id) != BM_STORE_OK ||
		    bm_store_effort_replace(st, id, e, EFFORTS) != BM_STORE_OK) {
			fprintf(stderr, "bench_history: %s\n", bm_store_errmsg(st));
			return -1;
		}
	}
	int rc = bm_store_commit(st);
	bm_store_close(st);
	return rc == BM_STORE_OK ? 0 : -1;
}

static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	printf("  %-34s median %7.2f ms   max %7.2f ms\n", what, ms[n / 2], ms[n - 1]);
}

int main(int argc, char **argv)
{
	char dir[256], db[512], folder[512];
	double t_open[REPEATS], t_recover[REPEATS], t_sync[REPEATS], t_hist[REPEATS],
	       t_json[REPEATS], t_all[REPEATS], t_cpu[REPEATS], t_proc[PROCESS_REPEATS];
	if (fx_tmpdir(dir, sizeof dir) != 0)
		return 1;
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(db, sizeof db, "%s/bench.db", dir);
	snprintf(folder, sizeof folder, "%s/rec", dir);
	mkdir(folder, 0700);
	double t0 = now_ms();
	if (fill(db, folder) != 0) {
		fx_rmtree(dir);
		return 1;
	}
	printf("history --athlete: %d sessions of %d efforts, SQLite (filled in %.0f ms)\n",
	       SESSIONS, EFFORTS, now_ms() - t0);
	FILE *null = fopen("/dev/null", "w");
	size_t sessions = 0;
	for (int r = 0; r < REPEATS; r++) {
		struct bm_store *st;
		struct bm_recover_list rl;
		struct bm_sync_result sr;
		struct bm_history *h;
		char msg[600];
		double cpu0 = cpu_ms();
		double a = now_ms();
		bm_store_open(db, &st, msg, sizeof msg);
		double b = now_ms();
		bm_recover_dir(folder, NULL, &rl, msg, sizeof msg);
		bm_recover_list_free(&rl);
		double c = now_ms();
		struct bm_sync_opts o = {folder, NULL, db, "", 0};
		bm_sync_run(st, &o, &sr);
		bm_sync_result_free(&sr);
		double d = now_ms();
		if (bm_history_build(st, ATHLETE, 0, &h, msg, sizeof msg) != BM_HISTORY_OK) {
			fprintf(stderr, "bench_history: %s\n", msg);
			return 1;
		}
		double e = now_ms();
		bm_history_write_json(h, null);
		fflush(null);
		sessions = h->n_sessions;
		bm_history_free(h);
		bm_store_close(st);
		double f = now_ms();
		t_open[r] = b - a;
		t_recover[r] = c - b;
		t_sync[r] = d - c;
		t_hist[r] = e - d;
		t_json[r] = f - e;
		t_all[r] = f - a;
		t_cpu[r] = cpu_ms() - cpu0;
	}
	fclose(null);
	report("open the store", t_open, REPEATS);
	report("look for unfinished recordings", t_recover, REPEATS);
	report("sync the folder (nothing new)", t_sync, REPEATS);
	report("build the history (trend, change)", t_hist, REPEATS);
	report("write the JSON", t_json, REPEATS);
	report("all of it, in-process (wall)", t_all, REPEATS);
	report("all of it, in-process (CPU time)", t_cpu, REPEATS);
	double median = t_cpu[REPEATS / 2];
	if (argc > 1) {
		fflush(stdout); /* not twice, through the child */
		for (int r = 0; r < PROCESS_REPEATS; r++) {
			double a = now_ms();
			pid_t pid = fork();
			if (pid == 0) {
				freopen("/dev/null", "w", stdout);
				execl(argv[1], argv[1], "history", folder, "--athlete", ATHLETE, "--json", "--db",
				      db, (char *)NULL);
				_exit(127);
			}
			int status;
			waitpid(pid, &status, 0);
			t_proc[r] = now_ms() - a;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "bench_history: %s history failed\n", argv[1]);
				return 1;
			}
		}
		report("bridgemon history --athlete --json", t_proc, PROCESS_REPEATS);
	}
	printf("  %zu sessions listed; goal: in-process median under %.0f ms of CPU time: %s\n",
	       sessions, GOAL_MS, median < GOAL_MS ? "met" : "MISSED");
	fx_rmtree(dir);
	return median < GOAL_MS ? 0 : 1;
}
