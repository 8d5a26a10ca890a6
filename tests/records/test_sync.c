/* test_sync.c - the folder into the store (bm_sync): what is uploaded, what
 * a second sync leaves, a rebuild giving the same rows, the pain log put
 * back, bad recordings named and skipped. */
#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_painlog.h"
#include "bm_recording.h"
#include "bm_store.h"
#include "bm_sync.h"
#include "records_fixture.h"
#include "records_suites.h"

static char dir[256], db[512], log_path[512];

static void setup(void)
{
	ck_assert_int_eq(fx_tmpdir(dir, sizeof dir), 0);
	snprintf(db, sizeof db, "%s/store/bridgemon.db", dir);
	snprintf(log_path, sizeof log_path, "%s/pain-log.csv", dir);
	char rec[600];
	snprintf(rec, sizeof rec, "%s/rec", dir);
	ck_assert_int_eq(mkdir(rec, 0700), 0);
	snprintf(rec, sizeof rec, "%s/store", dir);
	ck_assert_int_eq(mkdir(rec, 0700), 0);
	setenv("XDG_DATA_HOME", dir, 1); /* the sync ledger goes here */
}

static void teardown(void)
{
	fx_rmtree(dir);
}

static void recordings(void)
{
	static const struct {
		const char *name, *athlete;
		int demo;
	} r[4] = {
		{"2026-11-02T09-00-00", "Ann Lee", 0},
		{"2026-11-09T09-00-00", "ann lee", 0},
		{"2026-11-10T09-00-00", "Bo", 0},
		{"2026-11-11T09-00-00-demo", NULL, 1},
	};
	char folder[600];
	snprintf(folder, sizeof folder, "%s/rec", dir);
	for (int i = 0; i < 4; i++) {
		struct fx_rec x;
		fx_rec_default(&x, r[i].name);
		x.seed = 10 + (uint64_t)i;
		x.athlete = r[i].athlete;
		x.demo = r[i].demo;
		x.exercise = i == 1 ? "single_leg_left" : NULL;
		x.start_epoch_s = 1793610000 + i * 7 * 86400.0;
		x.pain_before = i == 0 ? 2 : NAN;
		ck_assert_int_eq(fx_recording(folder, &x), 0);
	}
	/* A recording whose summary is damaged. */
	struct fx_rec bad;
	fx_rec_default(&bad, "2026-11-12T09-00-00");
	bad.summary = 0;
	ck_assert_int_eq(fx_recording(folder, &bad), 0);
	snprintf(folder, sizeof folder, "%s/rec/2026-11-12T09-00-00.summary.json", dir);
	FILE *f = fopen(folder, "w");
	fputs("{\"duration_s\": -5}", f);
	fclose(f);
}

/* Every column but the id of every session, and every effort: a text dump
 * compared before and after a rebuild. */
static char *dump(void)
{
	sqlite3 *h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	static const char *const q[2] = {
		"SELECT * FROM sessions ORDER BY station, recording",
		"SELECT s.station, s.recording, e.* FROM efforts e JOIN sessions s ON s.id = "
		"e.session_id ORDER BY s.station, s.recording, e.seq",
	};
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st;
		ck_assert_int_eq(sqlite3_prepare_v2(h, q[k], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const char *name = sqlite3_column_name(st, c);
				if (!strcmp(name, "id") || !strcmp(name, "session_id"))
					continue; /* ids are new after a rebuild */
				const unsigned char *v = sqlite3_column_text(st, c);
				fprintf(f, "%s=%s|", name, v ? (const char *)v : "NULL");
			}
			fputc('\n', f);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	fclose(f);
	return buf;
}

static struct bm_store *open_store(void)
{
	struct bm_store *st;
	char msg[600];
	ck_assert_msg(bm_store_open(db, &st, msg, sizeof msg) == BM_STORE_OK, "open: %s", msg);
	return st;
}

START_TEST(sync_then_rebuild_gives_the_same_rows)
{
	char folder[600];
	snprintf(folder, sizeof folder, "%s/rec", dir);
	recordings();
	struct bm_store *st = open_store();
	struct bm_sync_opts o = {folder, "station-a", db, "", 0};
	struct bm_sync_result r;
	ck_assert_int_eq(bm_sync_run(st, &o, &r), BM_STORE_OK);
	ck_assert_msg(r.recordings == 5 && r.uploaded == 4 && r.already == 0 && r.failed == 1 &&
	              r.athletes_created == 2,
	              "expected 4 of 5 uploaded, 1 left out, 2 athletes created; got %zu of %zu, "
	              "%zu left out, %zu created", r.uploaded, r.recordings, r.failed,
	              r.athletes_created);
	ck_assert_msg(r.n_problems == 1 && strstr(r.problems[0], "2026-11-12T09-00-00.summary.json") &&
	              strstr(r.problems[0], "duration_s"),
	              "expected the damaged summary named with its key, got \"%s\"",
	              r.n_problems ? r.problems[0] : "");
	bm_sync_result_free(&r);
	/* What this machine has not uploaded: the damaged one. */
	ck_assert_uint_eq(bm_sync_waiting(folder, db), 1);

	ck_assert_int_eq(bm_sync_run(st, &o, &r), BM_STORE_OK);
	ck_assert_msg(r.uploaded == 0 && r.already == 4 && r.failed == 1,
	              "expected nothing new the second time, got %zu uploaded, %zu already",
	              r.uploaded, r.already);
	bm_sync_result_free(&r);

	/* The numbers are the recording's. */
	struct bm_store_sessions *one;
	ck_assert_int_eq(bm_store_session_get(st, "station-a", "2026-11-09T09-00-00.csv", &one),
	                 BM_STORE_OK);
	struct bm_recording rec;
	char msg[600];
	ck_assert_int_eq(bm_recording_load(folder, "2026-11-09T09-00-00", &rec, msg, sizeof msg),
	                 BM_RECORDING_OK);
	struct bm_leg_numbers legs[2];
	bm_recording_legs(&rec.rep, legs);
	const struct bm_store_session *s = &one->items[0];
	for (int l = 0; l < 2; l++)
		ck_assert_msg((s->leg[l].best_hold_n == legs[l].best_hold_n ||
		               (isnan(s->leg[l].best_hold_n) && isnan(legs[l].best_hold_n))) &&
		              s->leg[l].reps == (int)legs[l].reps &&
		              s->leg[l].impulse_ns == legs[l].impulse_ns,
		              "leg %d: expected the recording's numbers in the store", l);
	ck_assert_msg(s->exercise == BM_STORE_EX_SINGLE_LEG_LEFT && !s->demo &&
	              s->started_epoch_s == 1793610000 + 7 * 86400 && s->summary_json &&
	              !strcmp(s->summary_json, rec.summary_text),
	              "expected exercise, start and the summary's text stored");
	bm_recording_free(&rec);
	bm_store_sessions_free(one);
	ck_assert_int_eq(bm_store_session_get(st, "station-a", "2026-11-11T09-00-00-demo.csv", &one),
	                 BM_STORE_OK);
	ck_assert_msg(one->items[0].demo == 1 && one->items[0].athlete_id == 0,
	              "expected the demo recording stored as demo, without an athlete");
	bm_store_sessions_free(one);
	/* Both spellings are one athlete. */
	struct bm_store_athletes *all;
	ck_assert_int_eq(bm_store_athlete_list(st, &all), BM_STORE_OK);
	ck_assert_msg(all->count == 2, "expected 2 athletes, got %zu", all->count);
	bm_store_athletes_free(all);

	char *before = dump();
	o.rebuild = 1;
	ck_assert_int_eq(bm_sync_run(st, &o, &r), BM_STORE_OK);
	ck_assert_msg(r.deleted == 4 && r.uploaded == 4, "expected 4 deleted and 4 inserted, got %zu, %zu",
	              r.deleted, r.uploaded);
	bm_sync_result_free(&r);
	char *after = dump();
	ck_assert_msg(strlen(before) > 1000 && !strcmp(before, after),
	              "expected identical rows after the rebuild:\n%s\n---\n%s", before, after);
	free(before);
	free(after);
	bm_store_close(st);
}
END_TEST

START_TEST(pain_log_restores_the_store)
{
	char folder[600], msg[600];
	snprintf(folder, sizeof folder, "%s/rec", dir);
	struct bm_painlog_entry e[3] = {
		{1793610000, BM_STORE_PAIN_BEFORE, 2, "Ann Lee"},
		{1793613600, BM_STORE_PAIN_AFTER, 4, "Ann Lee"},
		{1793696400, BM_STORE_PAIN_NEXT_MORNING, 3, "Cy"},
	};
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(bm_painlog_append(log_path, &e[i], msg, sizeof msg), BM_PAINLOG_OK);
	struct bm_store *st = open_store();
	struct bm_sync_opts o = {folder, "station-a", db, log_path, 0};
	struct bm_sync_result r;
	ck_assert_int_eq(bm_sync_run(st, &o, &r), BM_STORE_OK);
	ck_assert_msg(r.pain_restored == 3 && r.athletes_created == 2,
	              "expected 3 entries and 2 athletes put back, got %zu, %zu", r.pain_restored,
	              r.athletes_created);
	bm_sync_result_free(&r);
	o.rebuild = 1;
	ck_assert_int_eq(bm_sync_run(st, &o, &r), BM_STORE_OK);
	ck_assert_msg(r.pain_restored == 0, "expected nothing new from the log, got %zu",
	              r.pain_restored);
	bm_sync_result_free(&r);
	struct bm_store_athlete a;
	struct bm_store_pains *p;
	ck_assert_int_eq(bm_store_athlete_find_name(st, "ann lee", &a), BM_STORE_OK);
	ck_assert_int_eq(bm_store_pain_list(st, a.id, &p), BM_STORE_OK);
	ck_assert_msg(p->count == 2 && p->items[1].score == 4 && p->items[1].when == BM_STORE_PAIN_AFTER,
	              "expected Ann's two entries, got %zu", p->count);
	bm_store_pains_free(p);
	bm_store_close(st);
}
END_TEST

Suite *suite_sync(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("sync");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sync_then_rebuild_gives_the_same_rows);
	tcase_add_test(tc, pain_log_restores_the_store);
	suite_add_tcase(s, tc);
	return s;
}
