/*
 * test_pain_note.c - where a typed pain score goes: the pain log, then the
 * store (a store that refuses leaves it in the log); the session day's
 * three scores for the advice; when a morning score is due at the next
 * start (yesterday's session, an older one, one already scored, one too
 * old, a session today); a score written into a closed recording's
 * sidecar whole, the rest of the sidecar intact.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "app_suites.h"
#include "bm_meta.h"
#include "bm_pain_note.h"
#include "bm_painlog.h"
#include "bm_recording.h"

static const struct app_rec recs[] = {
	{"ann-today", "Ann", 0, 0, NAN},
	{"ann-yesterday", "Ann", 1, 0, NAN},
	{"cy-yesterday", "Cy", 1, 0, 2},
	{"di-3days", "Di", 3, 0, NAN},
	{"ed-10days", "Ed", 10, 0, NAN},
	{"fay-demo-yesterday", "Fay", 1, 1, NAN},
};
#define NREC (sizeof recs / sizeof recs[0])

START_TEST(keep_logs_then_stores)
{
	struct app_fixture f;
	char msg[600];
	app_fixture_open(&f, recs, NREC);
	struct bm_store_athlete cy = app_fixture_athlete(&f, "cy");
	struct bm_store_pain p = {0, cy.id, (int64_t)f.now_s, BM_STORE_PAIN_NEXT_MORNING, 3, "test",
	                          "cy-yesterday.csv"};
	ck_assert_int_eq(bm_pain_note_keep(f.st, &cy, &p, f.log, msg, sizeof msg), 0);
	/* A store that refuses (no such athlete id): kept in the log only. */
	struct bm_store_athlete ghost = cy;
	ghost.id = 999;
	struct bm_store_pain q = {0, 999, (int64_t)f.now_s, BM_STORE_PAIN_AFTER, 4, NULL, NULL};
	ck_assert_int_eq(bm_pain_note_keep(f.st, &ghost, &q, f.log, msg, sizeof msg), 1);
	ck_assert_msg(msg[0] != '\0', "the store's refusal has no words");
	/* Not even the log: a score out of range. */
	q.score = 11;
	ck_assert_int_eq(bm_pain_note_keep(f.st, &cy, &q, f.log, msg, sizeof msg), -1);

	struct bm_painlog l;
	ck_assert_int_eq(bm_painlog_read(f.log, &l, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_msg(l.n == 2, "%zu lines in the pain log, expected 2", l.n);
	ck_assert_msg(l.items[0].when == BM_STORE_PAIN_NEXT_MORNING && l.items[0].score == 3 &&
	                  !strcmp(l.items[0].athlete, "Cy"),
	              "first log line: %d %g %s", l.items[0].when, l.items[0].score,
	              l.items[0].athlete);
	bm_painlog_free(&l);
	struct bm_store_pains *pl = NULL;
	ck_assert_int_eq(bm_store_pain_list(f.st, cy.id, &pl), BM_STORE_OK);
	ck_assert_msg(pl->count == 1 && pl->items[0].score == 3 &&
	                  !strcmp(pl->items[0].recording, "cy-yesterday.csv"),
	              "Cy's store entries: %zu", pl->count);
	bm_store_pains_free(pl);

	/* The day's three scores: before from the recording, after typed that
	 * day, next morning typed today. */
	struct bm_store_pain a = {0, cy.id, (int64_t)app_fixture_day(&f, 1) + 3600,
	                          BM_STORE_PAIN_AFTER, 4, NULL, NULL};
	ck_assert_int_eq(bm_store_pain_add(f.st, &a, NULL), BM_STORE_OK);
	double s[3];
	char day[16], want[16];
	bm_pain_note_day_scores(f.st, cy.id, (int64_t)f.now_s, BM_STORE_PAIN_NEXT_MORNING, s, day);
	bm_records_date(app_fixture_day(&f, 1), want, sizeof want);
	ck_assert_str_eq(day, want);
	ck_assert_msg(s[0] == 2 && s[1] == 4 && s[2] == 3, "scores %g/%g/%g, expected 2/4/3", s[0],
	              s[1], s[2]);
	app_fixture_close(&f);
}
END_TEST

START_TEST(morning_due)
{
	struct app_fixture f;
	struct bm_pain_morning m;
	char date[16], label[64];
	app_fixture_open(&f, recs, NREC);
	/* Ann trained today as well: nothing to ask. */
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, app_fixture_athlete(&f, "Ann").id, f.now_s, &m),
	                 0);
	/* Cy: yesterday, no morning score yet. */
	struct bm_store_athlete cy = app_fixture_athlete(&f, "Cy");
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, cy.id, f.now_s, &m), 1);
	ck_assert_msg(m.days_ago == 1 && !strcmp(m.label, "yesterday's session") &&
	                  m.score_epoch_s == (int64_t)f.now_s && !strcmp(m.station, "test") &&
	                  !strcmp(m.recording, "cy-yesterday.csv"),
	              "Cy: %d days ago, '%s', dated %lld, key %s/%s", m.days_ago, m.label,
	              (long long)m.score_epoch_s, m.station, m.recording);
	struct bm_store_pain p = {0, cy.id, m.score_epoch_s, BM_STORE_PAIN_NEXT_MORNING, 1, m.station,
	                          m.recording};
	ck_assert_int_eq(bm_store_pain_add(f.st, &p, NULL), BM_STORE_OK);
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, cy.id, f.now_s, &m), 0);
	/* Di: three days ago; the score is dated the morning after it. */
	struct bm_store_athlete di = app_fixture_athlete(&f, "Di");
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, di.id, f.now_s, &m), 1);
	bm_records_date(app_fixture_day(&f, 3), date, sizeof date);
	snprintf(label, sizeof label, "the session of %s", date);
	ck_assert_msg(m.days_ago == 3 && !strcmp(m.label, label) &&
	                  m.score_epoch_s == (int64_t)app_fixture_day(&f, 2) + 2 * 3600,
	              "Di: %d days ago, '%s', dated %lld", m.days_ago, m.label,
	              (long long)m.score_epoch_s);
	/* A morning entry typed with `bridgemon pain --date` (no key) counts. */
	struct bm_store_pain q = {0, di.id, m.score_epoch_s, BM_STORE_PAIN_NEXT_MORNING, 2, NULL, NULL};
	ck_assert_int_eq(bm_store_pain_add(f.st, &q, NULL), BM_STORE_OK);
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, di.id, f.now_s, &m), 0);
	/* Ed: too long ago; Fay: only the demo athlete's data. */
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, app_fixture_athlete(&f, "Ed").id, f.now_s, &m),
	                 0);
	ck_assert_int_eq(bm_pain_note_morning_due(f.st, app_fixture_athlete(&f, "Fay").id, f.now_s, &m),
	                 0);
	app_fixture_close(&f);
}
END_TEST

START_TEST(sidecar_rewritten_whole)
{
	struct app_fixture f;
	char csv[600], mp[700], msg[600];
	struct bm_meta before, after;
	app_fixture_open(&f, recs, 3);
	snprintf(csv, sizeof csv, "%s/cy-yesterday.csv", f.rec);
	bm_meta_path(csv, mp, sizeof mp);
	ck_assert_int_eq(bm_meta_read(mp, &before, msg, sizeof msg), BM_META_OK);
	ck_assert_int_eq(bm_pain_note_sidecar(csv, NAN, 5, msg, sizeof msg), 0);
	ck_assert_int_eq(bm_meta_read(mp, &after, msg, sizeof msg), BM_META_OK);
	ck_assert_msg(after.ctx.pain_after == 5 && after.ctx.pain_before == 2, "pain %g/%g, expected 2/5",
	              after.ctx.pain_before, after.ctx.pain_after);
	ck_assert_msg(after.closed == before.closed && after.n_cal == before.n_cal &&
	                  after.start_epoch_s == before.start_epoch_s &&
	                  !strcmp(after.ctx.athlete, before.ctx.athlete) &&
	                  after.cal[0].cal.scale_n_per_count[0] == before.cal[0].cal.scale_n_per_count[0],
	              "the rest of the sidecar changed");
	bm_meta_free(&after);
	bm_meta_free(&before);
	/* No temporary file left beside it. */
	char cmd[800];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | grep -c 'cy-yesterday') -eq 4", f.rec);
	ck_assert_msg(system(cmd) == 0, "files other than the CSV, events, summary and sidecar");
	snprintf(csv, sizeof csv, "%s/none.csv", f.rec);
	ck_assert_int_eq(bm_pain_note_sidecar(csv, 1, NAN, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, "no sidecar"), "says '%s'", msg);
	app_fixture_close(&f);
}
END_TEST

Suite *suite_pain_note(void)
{
	Suite *s = suite_create("pain_note");
	TCase *tc = tcase_create("pain_note");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, keep_logs_then_stores);
	tcase_add_test(tc, morning_due);
	tcase_add_test(tc, sidecar_rewritten_whole);
	suite_add_tcase(s, tc);
	return s;
}
