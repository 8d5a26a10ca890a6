/* sl_sessions.c - single-leg bridge recordings for the progress view's
 * tests; see sl_sessions.h. */
#include "sl_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bm_meta.h"

int sl_write_csv(const char *path, double left_n, double right_n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("t_s,left_n,right_n\n", f);
	for (int i = 0; i < 80 * 100; i++) {
		double t = i / 80.0, l = 60, r = 55, noise = 0.3 * ((i * 7) % 5 - 2);
		if (t >= 10 && t < 30) {
			l += left_n;
			r = 2;
		} else if (t >= 50 && t < 70) {
			r += right_n;
			l = 2;
		}
		fprintf(f, "%.6f,%.3f,%.3f\n", t, l + noise, r + noise);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int sl_recording(const char *bridgemon, const char *env, const char *dir,
                 const struct sl_session *s)
{
	char name[64], csv[1100], side[1200], cmd[4096], msg[300];
	time_t t = (time_t)s->epoch_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(name, sizeof name, "%Y-%m-%dT%H-%M-%S", &tm);
	snprintf(csv, sizeof csv, "%s/%s%s.csv", dir, name, s->demo ? "-demo" : "");
	if (sl_write_csv(csv, s->left_n, s->right_n) != 0) {
		fprintf(stderr, "sl_sessions: cannot write %s\n", csv);
		return -1;
	}
	struct bm_meta m;
	bm_meta_init(&m);
	snprintf(m.source, sizeof m.source, "%s", s->demo ? "demo" : "board");
	m.demo = s->demo;
	m.sample_rate_hz = 80;
	m.start_epoch_s = s->epoch_s;
	strftime(m.start_time, sizeof m.start_time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	m.closed = 1;
	snprintf(m.ctx.athlete, sizeof m.ctx.athlete, "%s", s->athlete);
	snprintf(m.ctx.exercise, sizeof m.ctx.exercise, "single_leg_left");
	m.ctx.pain_after = s->pain_after;
	bm_meta_path(csv, side, sizeof side);
	int rc = bm_meta_write(side, &m, msg, sizeof msg);
	bm_meta_free(&m);
	if (rc != 0) {
		fprintf(stderr, "sl_sessions: %s\n", msg);
		return -1;
	}
	snprintf(cmd, sizeof cmd, "%s '%s' analyze '%s' --json > '%s/%s%s.summary.json'", env,
	         bridgemon, csv, dir, name, s->demo ? "-demo" : "");
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "sl_sessions: `%s` exited with status %d\n", cmd, rc);
	return rc == 0 ? 0 : -1;
}
