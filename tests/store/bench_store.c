/*
 * bench_store.c - the history query at the size of a long rehab: one
 * athlete with 1,000 sessions (20 efforts each, a 2 kB analysis JSON),
 * then that athlete's session list fetched 50 times, as
 * `bridgemon history --athlete NAME` does.  Prints median and max in ms
 * per engine; the goal is a median under 50 ms (exit 1 if missed).
 *
 *   bench_store                SQLite in a temporary folder, and PostgreSQL
 *                              too when BM_TEST_PG_URI is set (with_pg.sh)
 *   bench_store ADDRESS...     these databases (their sessions are replaced)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_store.h"

enum { SESSIONS = 1000, EFFORTS = 20, REPEATS = 50 };
#define GOAL_MS 50.0

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int fail(struct bm_store *st, const char *what)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, bm_store_errmsg(st));
	return -1;
}

/* 1,000 sessions of one athlete, in one transaction (as a rebuild does). */
static int fill(struct bm_store *st, int64_t *athlete_id, double *ms)
{
	static char json[2200];
	struct bm_store_athlete a;
	if (bm_store_athlete_get_or_create(st, "Bench Athlete", &a, NULL) < 0)
		return fail(st, "athlete");
	*athlete_id = a.id;
	double t0 = now_ms();
	if (bm_store_begin(st) < 0 || bm_store_session_delete_all(st) < 0)
		return fail(st, "clearing");
	for (int i = 0; i < SESSIONS; i++) {
		char recording[64];
		struct bm_store_session s;
		struct bm_store_effort e[EFFORTS];
		int64_t id;
		snprintf(recording, sizeof recording, "2026-%02d-%02d_%04d.csv",
		         1 + i / 28 % 12, 1 + i % 28, i);
		snprintf(json, sizeof json, "{\"recording\": \"%s\", \"pad\": \"%0*d\"}",
		         recording, 2000, i);
		bm_store_session_init(&s);
		s.station = "bench";
		s.recording = recording;
		s.athlete_id = a.id;
		s.started_epoch_s = 1780000000 + (int64_t)i * 86400;
		s.duration_s = 600 + i % 60;
		s.exercise = (enum bm_store_exercise)(i % 5);
		s.knee_angle_deg = 90;
		s.notes = "bench";
		s.sample_rate_hz = 80;
		s.pain_before = i % 11;
		for (int leg = 0; leg < 2; leg++) {
			s.leg[leg].best_hold_n = 200 + i * 0.1 + leg;
			s.leg[leg].mean_hold_n = 150 + i * 0.1 + leg;
			s.leg[leg].impulse_ns = 9000 + i;
			s.leg[leg].hold_time_s = 120;
			s.leg[leg].reps = 10 + leg;
		}
		s.lsi_peak_pct = 97.5;
		s.lsi_impulse_pct = 96.25;
		s.summary_json = json;
		for (int k = 0; k < EFFORTS; k++) {
			e[k] = (struct bm_store_effort){
				k % 2, k < 10 ? BM_STORE_EFFORT_HOLD : BM_STORE_EFFORT_REP,
				k * 20.0, k * 20.0 + 15.0, 300.0 + k, 250.0 + k, 280.0 + k,
				230.0 + k, 3500.0 + k, k % 3 == 0,
			};
		}
		if (bm_store_session_upsert(st, &s, &id) < 0 ||
		    bm_store_effort_replace(st, id, e, EFFORTS) < 0)
			return fail(st, "saving a session");
	}
	if (bm_store_commit(st) < 0)
		return fail(st, "commit");
	*ms = now_ms() - t0;
	return 0;
}

/* List the athlete's sessions REPEATS times; median and max in ms. */
static int time_history(struct bm_store *st, int64_t athlete_id, unsigned flags,
                        double *median, double *max)
{
	double t[REPEATS];
	for (int r = 0; r < REPEATS; r++) {
		struct bm_store_sessions *list;
		double t0 = now_ms();
		if (bm_store_session_list_athlete(st, athlete_id, flags, &list) < 0)
			return fail(st, "history");
		t[r] = now_ms() - t0;
		size_t n = list->count;
		bm_store_sessions_free(list);
		if (n != SESSIONS) {
			fprintf(stderr, "bench_store: expected %d sessions, got %zu\n",
			        SESSIONS, n);
			return -1;
		}
	}
	qsort(t, REPEATS, sizeof t[0], cmp_double);
	*median = (t[REPEATS / 2 - 1] + t[REPEATS / 2]) / 2;
	*max = t[REPEATS - 1];
	return 0;
}

/* One engine; returns 0 if the goal was met, 1 if not, -1 on error. */
static int bench(const char *where)
{
	struct bm_store *st;
	char msg[512];
	if (bm_store_open(where, &st, msg, sizeof msg) < 0) {
		fprintf(stderr, "bench_store: %s\n", msg);
		return -1;
	}
	int64_t athlete;
	double fill_ms, med, max, med_json, max_json;
	int rc = fill(st, &athlete, &fill_ms);
	if (rc == 0)
		rc = time_history(st, athlete, 0, &med, &max);
	if (rc == 0)
		rc = time_history(st, athlete, BM_STORE_WITH_JSON, &med_json, &max_json);
	if (rc == 0) {
		printf("%-10s fill %d sessions x %d efforts: %.0f ms\n",
		       bm_store_backend_name(st), SESSIONS, EFFORTS, fill_ms);
		printf("%-10s history of %d sessions, %d runs: median %.2f ms, "
		       "max %.2f ms (goal < %.0f ms: %s)\n", bm_store_backend_name(st),
		       SESSIONS, REPEATS, med, max, GOAL_MS,
		       med < GOAL_MS ? "met" : "NOT met");
		printf("%-10s same with the 2 kB JSON:      median %.2f ms, max %.2f ms\n",
		       bm_store_backend_name(st), med_json, max_json);
		rc = med < GOAL_MS ? 0 : 1;
	}
	bm_store_close(st);
	return rc;
}

int main(int argc, char **argv)
{
	int worst = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			int rc = bench(argv[i]);
			worst = rc < 0 || worst < 0 ? -1 : (rc > worst ? rc : worst);
		}
		return worst == 0 ? 0 : 1;
	}
	char dir[] = "/tmp/bm_bench_store_XXXXXX", path[64];
	if (!mkdtemp(dir)) {
		perror("bench_store: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/bench.db", dir);
	worst = bench(path);
	unlink(path);
	rmdir(dir);
	const char *pg = getenv("BM_TEST_PG_URI");
	if (pg && worst >= 0) {
		int rc = bench(pg);
		worst = rc < 0 ? -1 : (rc > worst ? rc : worst);
	}
	return worst == 0 ? 0 : 1;
}
