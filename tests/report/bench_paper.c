/*
 * bench_paper.c - how long one session page takes to draw when the
 * session is an hour at 1000 samples/s (3.6 million samples per leg).
 *
 * Prints, per format, the best and the median of RUNS wall-clock times
 * (CLOCK_MONOTONIC) of bm_paper_write() for that one page, and the file
 * size; and the decimation pass alone.  A measurement, not a test: it
 * fails only when a write fails.
 *
 *   bench_paper [FOLDER] [SECONDS] [RATE_HZ]   (defaults: $TMPDIR or /tmp, 3600, 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_paper.h"
#include "bm_paper_priv.h"
#include "paper_fixture.h"

#define RUNS 5

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void count_point(void *ctx, double t_s, double v, int pen_down)
{
	(void)t_s;
	(void)v;
	(void)pen_down;
	++*(size_t *)ctx;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	double seconds = argc > 2 ? atof(argv[2]) : 3600.0;
	double rate_hz = argc > 3 ? atof(argv[3]) : 1000.0;
	static const char *const ext[3] = { "pdf", "png", "svg" };
	struct paper_fixture f;
	char path[512], msg[256];
	double t[RUNS];
	int rc = EXIT_SUCCESS;

	setenv("TZ", "UTC", 1);
	tzset();
	if (paper_fixture_init(&f, 0) != 0 || paper_fixture_long(&f, seconds, rate_hz) != 0) {
		fprintf(stderr, "bench_paper: out of memory\n");
		return EXIT_FAILURE;
	}
	f.doc.n_sessions = 1;
	f.doc.progress = NULL;
	const struct bm_paper_trace *tr = &f.sessions[0].trace;
	printf("session page of %.0f s at %.0f samples/s: %zu samples per leg, %d runs\n",
	       seconds, rate_hz, tr->n, RUNS);

	struct bm_paper_layout l;
	bm_paper_layout(&f.doc, 0, &l);
	size_t cols = (size_t)(l.plot.w_mm * BM_PAPER_COLS_PER_MM + 0.999);
	for (int r = 0; r < RUNS; r++) {
		size_t pts = 0;
		double t0 = now_s();
		bm_paper_decimate(tr->t_s, tr->left_n, tr->n, l.t_min_s, l.t_max_s, cols,
		                  f.sessions[0].gaps, f.sessions[0].n_gaps, count_point, &pts);
		bm_paper_decimate(tr->t_s, tr->right_n, tr->n, l.t_min_s, l.t_max_s, cols,
		                  f.sessions[0].gaps, f.sessions[0].n_gaps, count_point, &pts);
		t[r] = now_s() - t0;
		if (r == 0)
			printf("  decimation: %zu columns, %zu points for both legs\n", cols, pts);
	}
	qsort(t, RUNS, sizeof t[0], cmp);
	printf("  decimation alone (both legs): best %.1f ms, median %.1f ms\n", t[0] * 1e3,
	       t[RUNS / 2] * 1e3);

	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "%s/bench-paper-%ld.%s", dir, (long)getpid(), ext[k]);
		for (int r = 0; r < RUNS; r++) {
			double t0 = now_s();
			if (bm_paper_write(path, &f.doc, msg, sizeof msg) != BM_PAPER_OK) {
				fprintf(stderr, "bench_paper: %s\n", msg);
				rc = EXIT_FAILURE;
				break;
			}
			t[r] = now_s() - t0;
		}
		if (rc != EXIT_SUCCESS)
			break;
		struct stat st;
		long size = stat(path, &st) == 0 ? (long)st.st_size : -1;
		qsort(t, RUNS, sizeof t[0], cmp);
		printf("  %s: best %.1f ms, median %.1f ms, %ld bytes\n", ext[k], t[0] * 1e3,
		       t[RUNS / 2] * 1e3, size);
		unlink(path);
	}
	paper_fixture_free(&f);
	paper_fixture_drop_caches();
	return rc;
}
