/*
 * test_progress_glue.c - the progress view's data from the records
 * (bm_progress_glue.h), without a window.
 *
 * Four weekly single-leg bridge sessions of one athlete and a demo one are
 * written into a recordings folder (sl_sessions.h), with next-morning pain
 * entered by `bridgemon pain`; the store is SQLite in a scratch folder and
 * empty of sessions until the glue syncs the folder.  What the glue fills
 * is compared with what `bridgemon history --athlete NAME --json` prints
 * for the same store (read back with json-c): dates, times, best hold per
 * leg, LSI, pain; the checklist's states are derived again here from those
 * numbers, and its words must carry them.  Then: a recording added after
 * the first open is there at the next; no athlete and no store give one
 * line each; the thresholds move the mark and the verdicts; a history
 * longer than the view holds keeps its latest sessions.
 *
 *   test_progress_glue BRIDGEMON
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <json-c/json.h>

#include "bm_progress.h"
#include "bm_progress_glue.h"
#include "bm_store.h"
#include "sl_sessions.h"

#define ATHLETE "Ann Lee"
#define DAY 86400.0
#define E0 1793610000.0 /* 2026-11-02 09:00 UTC */
#define N0 4

static const char *bridgemon;
static char tmp[256], data[400], dir[600], db[600], env[1400];

/* Holds above rest (left, right), N, and pain after: LSI 75, 90.5, 90.9,
 * 92.2 %. */
static const double hold_l[N0 + 1] = {200, 210, 220, 230, 240};
static const double hold_r[N0 + 1] = {150, 190, 200, 212, 180};
static const double pain_after[N0 + 1] = {4, 3, 3, 2, NAN};

/* `bridgemon ARGS` in the test's environment; ARGS is quoted by the caller. */
static void bm(const char *args)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "%s '%s' %s >/dev/null", env, bridgemon, args);
	int rc = system(cmd);
	ck_assert_msg(rc == 0, "`%s` expected to succeed, exit status %d", cmd, rc);
}

static void add_session(int i)
{
	struct sl_session s = {ATHLETE, E0 + i * 7 * DAY, hold_l[i], hold_r[i], pain_after[i], 0};
	ck_assert_msg(sl_recording(bridgemon, env, dir, &s) == 0, "session %d not written", i);
}

/* The folder, the athlete, the pain: once, before the tests. */
static void setup(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/bm_glue_XXXXXX");
	ck_assert_msg(mkdtemp(tmp) != NULL, "no scratch folder");
	snprintf(data, sizeof data, "%s/data", tmp);
	snprintf(dir, sizeof dir, "%s/bridgemon/sessions", data);
	snprintf(db, sizeof db, "%s/bridgemon/bridgemon.db", data);
	snprintf(env, sizeof env, "TZ=UTC XDG_DATA_HOME='%s'", data);
	setenv("TZ", "UTC", 1);
	tzset();
	setenv("XDG_DATA_HOME", data, 1);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	for (int i = 0; i < N0; i++)
		add_session(i);
	struct sl_session demo = {ATHLETE, E0 + 6 * 7 * DAY, 100, 100, 8, 1};
	ck_assert_int_eq(sl_recording(bridgemon, env, dir, &demo), 0);
	bm("athlete '" ATHLETE "'");
	/* Next-morning pain after the last two sessions: 3, then 2. */
	bm("pain --athlete '" ATHLETE "' 3 --when next_morning --date 2026-11-17");
	bm("pain --athlete '" ATHLETE "' 2 --when next_morning --date 2026-11-24");
}

static void teardown(void)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
}

static struct bm_store *open_store(void)
{
	struct bm_store *st = NULL;
	char msg[600];
	ck_assert_msg(bm_store_open(db, &st, msg, sizeof msg) == BM_STORE_OK, "store: %s", msg);
	return st;
}

/* `bridgemon history --athlete NAME --json` for the same store. */
static json_object *history_json(void)
{
	char cmd[4096], *buf = NULL;
	size_t cap = 0, n = 0;
	snprintf(cmd, sizeof cmd, "%s '%s' history '%s' --athlete '%s' --json --db '%s'", env,
	         bridgemon, dir, ATHLETE, db);
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			ck_assert(buf != NULL);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, p);
		if (!got)
			break;
		n += got;
	}
	buf[n] = '\0';
	ck_assert_msg(pclose(p) == 0, "`%s` expected to succeed", cmd);
	json_object *j = json_tokener_parse(buf);
	ck_assert_msg(j != NULL, "history --json expected JSON, got: %.200s", buf);
	free(buf);
	return j;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	ck_assert_msg(json_object_object_get_ex(o, key, &v), "history JSON: no \"%s\"", key);
	return v;
}

/* A number of the JSON (null: NaN). */
static double num(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return json_object_is_type(v, json_type_null) ? NAN : json_object_get_double(v);
}

/* Equal as history prints them: to its one decimal, NaN with NaN. */
static int same(double glue, double printed)
{
	if (isnan(printed) || isnan(glue))
		return isnan(printed) && isnan(glue);
	return fabs(glue - printed) <= 0.05 + 1e-9;
}

/* The checklist's state of an LSI item from the printed values of the last
 * two single-leg sessions, as bm_readiness.h says it: not met as soon as a
 * known value is below, unknown when one is missing, else met. */
static enum bm_view_ready lsi_state(const double *v, int k, double min)
{
	int unknown = k < 2;
	for (int i = 0; i < k; i++) {
		if (isnan(v[i]))
			unknown = 1;
		else if (v[i] < min)
			return BM_VIEW_READY_NOT_MET;
	}
	return unknown ? BM_VIEW_READY_UNKNOWN : BM_VIEW_READY_MET;
}

/* Reps to fatigue: the latest fatigue-protocol session's reps per leg, a
 * demo one not counted, a leg without a rep not tested. */
START_TEST(fatigue_reps_from_the_latest_fatigue_session)
{
	struct bm_history_session ss[4];
	struct bm_history h;
	struct bm_readiness r;
	int reps[2];
	memset(&h, 0, sizeof h);
	memset(ss, 0, sizeof ss);
	const char *proto[4] = {"fatigue", "isometric", "fatigue", "fatigue"};
	const int rl[4] = {14, 0, 26, 40}, rr[4] = {12, 0, 22, 40};
	for (int i = 0; i < 4; i++) {
		bm_store_session_init(&ss[i].s);
		ss[i].s.started_epoch_s = (int64_t)(E0 + i * DAY);
		ss[i].s.protocol = proto[i];
		ss[i].s.leg[0].reps = rl[i];
		ss[i].s.leg[1].reps = rr[i];
		ss[i].s.demo = i == 3;
		ss[i].pain_next_morning = NAN;
	}
	h.sessions = ss;
	h.n_sessions = 4;
	bm_progress_fatigue_reps(&h, reps);
	ck_assert_msg(reps[0] == 26 && reps[1] == 22,
	              "expected the latest non-demo fatigue test (26, 22), got (%d, %d)", reps[0],
	              reps[1]);
	ck_assert_int_eq(bm_progress_readiness(&h, NULL, &r), BM_PROGRESS_OK);
	ck_assert_msg(r.items[BM_READY_FATIGUE].status == BM_READY_MET &&
	              strstr(r.items[BM_READY_FATIGUE].text, "26") &&
	              strstr(r.items[BM_READY_FATIGUE].text, "22"),
	              "expected the fatigue item met with 26 and 22, got %d \"%s\"",
	              r.items[BM_READY_FATIGUE].status, r.items[BM_READY_FATIGUE].text);
	/* The right side below the norm: not met. */
	ss[2].s.leg[1].reps = 15;
	ck_assert_int_eq(bm_progress_readiness(&h, NULL, &r), BM_PROGRESS_OK);
	ck_assert_msg(r.items[BM_READY_FATIGUE].status == BM_READY_NOT_MET,
	              "expected 15 reps on the right not to meet the norm, got %d \"%s\"",
	              r.items[BM_READY_FATIGUE].status, r.items[BM_READY_FATIGUE].text);
	/* The right leg never done (the run abandoned after the left). */
	ss[2].s.leg[1].reps = 0;
	bm_progress_fatigue_reps(&h, reps);
	ck_assert_msg(reps[0] == 26 && reps[1] == -1, "expected (26, -1), got (%d, %d)", reps[0],
	              reps[1]);
	/* No fatigue session at all. */
	h.n_sessions = 2;
	ss[0].s.protocol = "reps";
	bm_progress_fatigue_reps(&h, reps);
	ck_assert_msg(reps[0] == -1 && reps[1] == -1, "expected not tested, got (%d, %d)", reps[0],
	              reps[1]);
}
END_TEST

START_TEST(fills_what_history_prints)
{
	struct bm_store *st = open_store();
	static struct bm_view_progress vp;
	bm_progress_glue_load(st, db, dir, ATHLETE, NULL, &vp);
	bm_store_close(st);
	ck_assert_msg(vp.message[0] == '\0' && vp.remark[0] == '\0',
	              "expected data, got message \"%s\", remark \"%s\"", vp.message, vp.remark);

	json_object *j = history_json();
	json_object *ss = get(j, "sessions");
	size_t n = json_object_array_length(ss);
	ck_assert_msg(n == N0 && vp.n == n, "expected %d sessions (the demo left out): history "
	              "printed %zu, the glue holds %zu", N0, n, vp.n);
	ck_assert_msg(strstr(vp.title, ATHLETE) && strstr(vp.title, "4 sessions"),
	              "title \"%s\" expected to name the athlete and 4 sessions", vp.title);
	double peak[2] = {NAN, NAN}, imp[2] = {NAN, NAN};
	int k = 0;
	for (size_t i = n; i-- > 0;) {
		json_object *s = json_object_array_get_idx(ss, i);
		const char *date = json_object_get_string(get(s, "date"));
		ck_assert_msg(!strcmp(vp.date[i], date), "session %zu: date \"%s\", history \"%s\"", i,
		              vp.date[i], date);
		ck_assert_msg(vp.epoch_s[i] == num(s, "started_epoch_s"), "session %zu: start %.0f, "
		              "history %.0f", i, vp.epoch_s[i], num(s, "started_epoch_s"));
		static const char *const legs[2] = {"left", "right"};
		for (int l = 0; l < 2; l++) {
			double want = num(get(s, legs[l]), "best_hold_n");
			ck_assert_msg(same(vp.best_hold_n[l][i], want), "session %zu: %s best hold %.3f, "
			              "history %.1f", i, legs[l], vp.best_hold_n[l][i], want);
			double asked = l ? hold_r[i] : hold_l[i];
			ck_assert_msg(fabs(want - asked) < 1.0, "session %zu: %s best hold %.1f, the "
			              "recording holds %.0f N above rest", i, legs[l], want, asked);
		}
		ck_assert_msg(same(vp.lsi_pct[i], num(s, "lsi_pct")), "session %zu: LSI %.3f, history "
		              "%.1f", i, vp.lsi_pct[i], num(s, "lsi_pct"));
		json_object *pain = get(s, "pain");
		double pa = num(pain, "after"), pb = num(pain, "before");
		ck_assert_msg(same(vp.pain[i], isnan(pa) ? pb : pa), "session %zu: pain %.1f, history "
		              "after %.1f before %.1f", i, vp.pain[i], pa, pb);
		if (k < 2) { /* every session is a single-leg bridge here */
			peak[k] = num(s, "lsi_pct");
			imp[k] = num(s, "lsi_impulse_pct");
			k++;
		}
	}
	/* The checklist: the last two sessions' LSIs, both >= 90 %: met. */
	ck_assert_msg(vp.n_items == 5, "expected four items and the verdict, got %zu", vp.n_items);
	enum bm_view_ready want_peak = lsi_state(peak, k, 90), want_imp = lsi_state(imp, k, 90);
	ck_assert_msg(want_peak == BM_VIEW_READY_MET, "the data was made to meet the LSI item");
	ck_assert_msg(vp.items[0].state == want_peak && vp.items[1].state == want_imp,
	              "LSI items: states %d and %d, expected %d and %d from history's numbers",
	              vp.items[0].state, vp.items[1].state, want_peak, want_imp);
	char vals[64];
	snprintf(vals, sizeof vals, "%.1f %%, %.1f %%", peak[1], peak[0]);
	ck_assert_msg(strstr(vp.items[0].text, vals) != NULL, "LSI item \"%s\" expected to carry "
	              "\"%s\"", vp.items[0].text, vals);
	/* Next-morning pain 3 then 2: met; reps to fatigue: not tested. */
	ck_assert_msg(vp.items[2].state == BM_VIEW_READY_MET &&
	              strstr(vp.items[2].text, "3.0/10, 2.0/10"), "pain item: %d \"%s\"",
	              vp.items[2].state, vp.items[2].text);
	ck_assert_msg(vp.items[3].state == BM_VIEW_READY_UNKNOWN &&
	              strstr(vp.items[3].text, "not tested"), "fatigue item: %d \"%s\"",
	              vp.items[3].state, vp.items[3].text);
	ck_assert_msg(vp.items[4].state == BM_VIEW_READY_UNKNOWN, "verdict expected unknown "
	              "(fatigue not tested), got %d", vp.items[4].state);
	ck_assert_msg(vp.lsi_mark_pct == 90 && !strcmp(vp.note, "guidance, not medical advice"),
	              "mark %g and note \"%s\"", vp.lsi_mark_pct, vp.note);
	json_object_put(j);
}
END_TEST

START_TEST(each_open_has_the_recordings_saved_since)
{
	struct bm_store *st = open_store();
	static struct bm_view_progress a, b;
	bm_progress_glue_load(st, db, dir, ATHLETE, NULL, &a);
	add_session(N0); /* as if saved during this run */
	bm_progress_glue_load(st, db, dir, ATHLETE, NULL, &b);
	bm_store_close(st);
	ck_assert_msg(a.n == N0 && b.n == N0 + 1, "expected %d then %d sessions, got %zu then %zu",
	              N0, N0 + 1, a.n, b.n);
	ck_assert_msg(b.epoch_s[N0] == E0 + N0 * 7 * DAY && fabs(b.best_hold_n[0][N0] - 240) < 1,
	              "the new session expected last: start %.0f, left %.1f N", b.epoch_s[N0],
	              b.best_hold_n[0][N0]);
	/* Its LSI is 75 %: the LSI item is now not met. */
	ck_assert_msg(b.items[0].state == BM_VIEW_READY_NOT_MET, "LSI item after a 75 %% session "
	              "expected not met, got %d (\"%s\")", b.items[0].state, b.items[0].text);
}
END_TEST

START_TEST(one_line_without_athlete_or_store)
{
	static struct bm_view_progress p;
	bm_progress_glue_load(NULL, NULL, dir, NULL, NULL, &p);
	ck_assert_msg(!strcmp(p.message, BM_PROGRESS_NO_ATHLETE) && p.n == 0 && p.n_items == 0,
	              "no athlete: expected \"%s\" alone, got \"%s\" (%zu sessions)",
	              BM_PROGRESS_NO_ATHLETE, p.message, p.n);
	bm_progress_glue_load(NULL, NULL, dir, ATHLETE, NULL, &p);
	ck_assert_msg(strstr(p.message, "no store") && p.n == 0 && strstr(p.title, ATHLETE),
	              "no store: expected one line saying so, got \"%s\"", p.message);
	struct bm_store *st = open_store();
	bm_progress_glue_load(st, db, dir, "Nobody Here", NULL, &p);
	bm_store_close(st);
	ck_assert_msg(strstr(p.message, "no athlete called") && p.n == 0,
	              "unknown athlete: expected the store's line, got \"%s\"", p.message);
}
END_TEST

START_TEST(thresholds_move_the_mark_and_the_verdicts)
{
	struct bm_readiness_params rp;
	bm_readiness_params_default(&rp);
	rp.lsi_peak_min_pct = 95;
	rp.pain_max = 1;
	static struct bm_view_progress p;
	struct bm_store *st = open_store();
	bm_progress_glue_load(st, db, dir, ATHLETE, &rp, &p);
	bm_store_close(st);
	ck_assert_msg(p.lsi_mark_pct == 95, "mark expected at the threshold, 95, got %g",
	              p.lsi_mark_pct);
	ck_assert_msg(p.items[0].state == BM_VIEW_READY_NOT_MET && strstr(p.items[0].text, ">= 95 %"),
	              "LSI item at 95 %%: %d \"%s\"", p.items[0].state, p.items[0].text);
	ck_assert_msg(p.items[2].state == BM_VIEW_READY_NOT_MET && strstr(p.items[2].text, "<= 1/10"),
	              "pain item at 1/10: %d \"%s\"", p.items[2].state, p.items[2].text);
	rp.sessions_needed = 0;
	bm_progress_glue_load(st = open_store(), db, dir, ATHLETE, &rp, &p);
	bm_store_close(st);
	ck_assert_msg(p.message[0] && p.n == 0, "thresholds bm_readiness refuses: expected a "
	              "message, got \"%s\"", p.message);
}
END_TEST

START_TEST(a_long_history_keeps_its_latest)
{
	enum { N = BM_VIEW_PROGRESS_MAX + 10 };
	static struct bm_history_session ss[N];
	struct bm_history h;
	memset(&h, 0, sizeof h);
	memset(ss, 0, sizeof ss);
	snprintf(h.athlete.name, sizeof h.athlete.name, "Long Runner");
	h.sessions = ss;
	h.n_sessions = N;
	for (int i = 0; i < N; i++) {
		ss[i].s.started_epoch_s = (int64_t)(E0 + i * DAY);
		snprintf(ss[i].date, sizeof ss[i].date, "d%d", i);
		ss[i].s.leg[0].best_hold_n = 100 + i;
		ss[i].s.leg[1].best_hold_n = NAN;
		ss[i].s.lsi_peak_pct = ss[i].s.lsi_impulse_pct = NAN;
		ss[i].s.pain_before = 2;
		ss[i].s.pain_after = NAN;
		ss[i].pain_next_morning = NAN;
	}
	static struct bm_view_progress p;
	ck_assert_int_eq(bm_progress_glue_fill(&h, NULL, &p), 0);
	ck_assert_msg(p.n == BM_VIEW_PROGRESS_MAX, "expected %d sessions held, got %zu",
	              BM_VIEW_PROGRESS_MAX, p.n);
	ck_assert_msg(!strcmp(p.date[0], "d10") && p.best_hold_n[0][0] == 110 &&
	              !strcmp(p.date[p.n - 1], "d69"), "expected the latest, oldest first: %s .. %s",
	              p.date[0], p.date[p.n - 1]);
	ck_assert_msg(isnan(p.best_hold_n[1][0]) && p.pain[0] == 2 && isnan(p.lsi_pct[0]),
	              "missing values expected NaN, pain before when no after");
	ck_assert_msg(strstr(p.title, "70 sessions") && strstr(p.title, "latest"),
	              "title expected to say 70 sessions, the latest shown: \"%s\"", p.title);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_progress_glue BRIDGEMON\n");
		return 2;
	}
	bridgemon = argv[1];
	Suite *s = suite_create("progress-glue");
	TCase *tc = tcase_create("store");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fills_what_history_prints);
	tcase_add_test(tc, fatigue_reps_from_the_latest_fatigue_session);
	tcase_add_test(tc, one_line_without_athlete_or_store);
	tcase_add_test(tc, thresholds_move_the_mark_and_the_verdicts);
	tcase_add_test(tc, each_open_has_the_recordings_saved_since);
	suite_add_tcase(s, tc);
	tc = tcase_create("fill");
	tcase_add_test(tc, a_long_history_keeps_its_latest);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
