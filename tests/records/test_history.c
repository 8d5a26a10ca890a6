/* test_history.c - an athlete's history (bm_history) on a store filled by
 * hand, where every number can be worked out: typical error from the
 * within-session repeats, MDC95, the change labels, the trend in N per
 * week, the asymmetry interval, pain from the entries, demo sessions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bm_change.h"
#include "bm_history.h"
#include "bm_store.h"
#include "records_fixture.h"
#include "records_suites.h"

#define WEEK (7 * 86400)
#define E0 1793610000LL /* 2026-11-02 09:00 UTC */

static char dir[256];
static struct bm_store *st;
static int64_t ann;

/* Left hold plateaus (above rest) of the three sessions; right = left - 20
 * (so every bilateral pair has the right leg about 20 % weaker). */
static const double left_holds[3][3] = {
	{98, 100, 102}, {110, 112, 114}, {113, 115, 117},
};

static void add_session(int i, const double *left, int n, int demo)
{
	struct bm_store_session s;
	struct bm_store_effort ef[6];
	char rec[64];
	int64_t id;
	bm_store_session_init(&s);
	snprintf(rec, sizeof rec, "s%d.csv", i);
	s.station = "st";
	s.recording = rec;
	s.athlete_id = ann;
	s.started_epoch_s = E0 + (int64_t)i * WEEK;
	s.duration_s = 600;
	s.demo = demo;
	s.sample_rate_hz = 80;
	s.pain_before = i == 0 ? 2 : NAN;
	double best[2] = {-1, -1}, sum[2] = {0, 0};
	for (int k = 0; k < n; k++)
		for (int l = 0; l < 2; l++) {
			struct bm_store_effort *e = &ef[2 * k + l];
			memset(e, 0, sizeof *e);
			e->leg = l;
			e->kind = BM_STORE_EFFORT_HOLD;
			e->start_s = 10 + 40 * k;
			e->end_s = 40 + 40 * k;
			e->mean_above_rest_n = left[k] - 20 * l;
			e->peak_above_rest_n = e->mean_above_rest_n + 5;
			e->mean_n = e->mean_above_rest_n + 50;
			e->peak_n = e->mean_n + 5;
			e->impulse_ns = 30 * e->mean_above_rest_n;
			best[l] = fmax(best[l], e->mean_above_rest_n);
			sum[l] += e->mean_above_rest_n;
		}
	for (int l = 0; l < 2; l++) {
		s.leg[l].best_hold_n = best[l];
		s.leg[l].mean_hold_n = sum[l] / n;
		s.leg[l].impulse_ns = 30 * sum[l];
		s.leg[l].hold_time_s = 30.0 * n;
		s.leg[l].reps = 0;
	}
	ck_assert_int_eq(bm_store_session_upsert(st, &s, &id), BM_STORE_OK);
	ck_assert_int_eq(bm_store_effort_replace(st, id, ef, (size_t)(2 * n)), BM_STORE_OK);
}

static void setup(void)
{
	char db[512], msg[600];
	struct bm_store_athlete a;
	setenv("TZ", "UTC", 1); /* dates as the numbers above assume */
	tzset();
	ck_assert_int_eq(fx_tmpdir(dir, sizeof dir), 0);
	snprintf(db, sizeof db, "%s/h.db", dir);
	ck_assert_int_eq(bm_store_open(db, &st, msg, sizeof msg), BM_STORE_OK);
	ck_assert_int_eq(bm_store_athlete_get_or_create(st, "Ann", &a, NULL), BM_STORE_OK);
	ann = a.id;
	for (int i = 0; i < 3; i++)
		add_session(i, left_holds[i], 3, 0);
	const double demo[1] = {300};
	add_session(3, demo, 1, 1);
	/* Pain typed in: after the first session, and the next morning. */
	struct bm_store_pain p = {0, ann, E0 + 3600, BM_STORE_PAIN_AFTER, 4, NULL, NULL};
	ck_assert_int_eq(bm_store_pain_add(st, &p, NULL), BM_STORE_OK);
	p.epoch_s = E0 + 86400 - 3 * 3600;
	p.when = BM_STORE_PAIN_NEXT_MORNING;
	p.score = 3;
	ck_assert_int_eq(bm_store_pain_add(st, &p, NULL), BM_STORE_OK);
}

static void teardown(void)
{
	bm_store_close(st);
	fx_rmtree(dir);
}

static const struct bm_history_metric *metric(const struct bm_history *h,
                                              enum bm_history_metric_id id, int leg)
{
	for (size_t i = 0; i < h->n_metrics; i++)
		if (h->metrics[i].id == id && h->metrics[i].leg == leg)
			return &h->metrics[i];
	ck_abort_msg("expected metric %d leg %d", (int)id, leg);
	return NULL;
}

START_TEST(numbers_worked_out_by_hand)
{
	struct bm_history *h;
	char msg[600];
	ck_assert_int_eq(bm_history_build(st, "ANN", 0, &h, msg, sizeof msg), BM_HISTORY_OK);
	ck_assert_msg(h->n_sessions == 3, "expected the 3 measured sessions (demo left out), got %zu",
	              h->n_sessions);
	/* Each session's holds lie -2, 0, +2 N around its mean: SS 8 per
	 * session, N 9, k 3, df 6: TE = sqrt(24 / 6) = 2 N. */
	const struct bm_history_metric *m = metric(h, BM_HM_BEST_HOLD, 0);
	double mdc = 1.96 * sqrt(2.0) * 2.0;
	ck_assert_msg(m->te.valid && m->te.df == 6 && fabs(m->te.te - 2.0) < 1e-12 &&
	              fabs(m->te.mdc95 - mdc) < 1e-12,
	              "expected TE 2 N (df 6) and MDC95 %.4f, got %g (df %zu), %g", mdc, m->te.te,
	              m->te.df, m->te.mdc95);
	/* Best hold: 102 -> 114 (+12: real), 114 -> 117 (+3: within noise). */
	ck_assert_msg(m->n_changes == 2 && fabs(m->changes[0].c.change - 12) < 1e-12 &&
	              m->changes[0].c.label == BM_CHANGE_REAL &&
	              fabs(m->changes[1].c.change - 3) < 1e-12 &&
	              m->changes[1].c.label == BM_CHANGE_NOISE,
	              "expected +12 real and +3 within noise, got %zu changes", m->n_changes);
	/* Hold time has no repeats: its changes cannot be judged. */
	m = metric(h, BM_HM_HOLD_TIME, 1);
	ck_assert_msg(!m->te.valid && m->n_changes == 2 &&
	              m->changes[0].c.label == BM_CHANGE_NOT_ENOUGH,
	              "expected hold time changes labelled not enough repeats");
	/* Trend: 102, 114, 117 N at weeks 0, 1, 2: slope 7.5 N/week. */
	ck_assert_msg(fabs(h->trend[0].n_per_week - 7.5) < 1e-9 && h->trend[0].sessions == 3,
	              "expected +7.5 N/week over 3 sessions, got %g over %zu", h->trend[0].n_per_week,
	              h->trend[0].sessions);
	/* Asymmetry of the first session: its three pairs, as bm_change has it. */
	double a[3];
	for (int k = 0; k < 3; k++)
		a[k] = (left_holds[0][k] - (left_holds[0][k] - 20)) / left_holds[0][k] * 100;
	struct bm_asym_ci ci;
	bm_change_asym_ci_pct(a, 3, 10, &ci);
	const struct bm_asym_ci *got = &h->sessions[0].asym;
	ck_assert_msg(got->n == 3 && fabs(got->mean_pct - ci.mean_pct) < 1e-12 &&
	              fabs(got->low_pct - ci.low_pct) < 1e-12 && got->flag == BM_ASYM_CERTAIN &&
	              got->weaker == 1,
	              "expected the right leg certainly weaker, %.2f %% (%.2f to %.2f), got n %zu "
	              "%.2f (%.2f to %.2f) flag %d", ci.mean_pct, ci.low_pct, ci.high_pct, got->n,
	              got->mean_pct, got->low_pct, got->high_pct, (int)got->flag);
	/* Pain: before from the recording, after and the next morning typed. */
	const struct bm_history_session *s0 = &h->sessions[0];
	ck_assert_msg(s0->s.pain_before == 2 && s0->s.pain_after == 4 && s0->pain_next_morning == 3 &&
	              isnan(h->sessions[1].s.pain_after) && isnan(h->sessions[1].pain_next_morning),
	              "expected pain 2/4/3 on the first session only, got %g/%g/%g",
	              s0->s.pain_before, s0->s.pain_after, s0->pain_next_morning);
	/* The writers carry it. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(bm_history_write_json(h, f), 0);
	fclose(f);
	ck_assert_msg(strstr(buf, "\"label\": \"real\"") && strstr(buf, "\"n_per_week\": 7.50") &&
	              strstr(buf, "\"flag\": \"certain\"") && strstr(buf, "\"next_morning\": 3.0"),
	              "expected labels, trend, flag and pain in the JSON:\n%s", buf);
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(bm_history_write_table(h, f), 0);
	fclose(f);
	ck_assert_msg(strstr(buf, "+7.5 N/week over 3 sessions") && strstr(buf, "+12.0 N  real") &&
	              strstr(buf, "within noise"), "expected the table to say so:\n%s", buf);
	free(buf);
	bm_history_free(h);

	ck_assert_int_eq(bm_history_build(st, "ann", BM_HISTORY_WITH_DEMO, &h, msg, sizeof msg),
	                 BM_HISTORY_OK);
	ck_assert_msg(h->n_sessions == 4 && h->sessions[3].s.demo,
	              "expected the demo session kept on request");
	bm_history_free(h);
	ck_assert_int_eq(bm_history_build(st, "Nobody", 0, &h, msg, sizeof msg),
	                 BM_HISTORY_NOT_FOUND);
	ck_assert_msg(!h && strstr(msg, "Nobody"), "expected no history and the name in \"%s\"", msg);
}
END_TEST

Suite *suite_history(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, numbers_worked_out_by_hand);
	suite_add_tcase(s, tc);
	return s;
}
