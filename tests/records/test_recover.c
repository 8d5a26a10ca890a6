/* test_recover.c - crash recovery (bm_recover): a recording left without
 * its summary gets one, exactly analyze's, created exclusively and said
 * so; one still being written, or being finished, is left alone. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_csv.h"
#include "bm_recording.h"
#include "bm_recover.h"
#include "records_fixture.h"
#include "records_suites.h"

static char dir[256];

static void setup(void)
{
	ck_assert_int_eq(fx_tmpdir(dir, sizeof dir), 0);
}

static void teardown(void)
{
	fx_rmtree(dir);
}

static void path_of(char *out, size_t len, const char *name, const char *ext)
{
	snprintf(out, len, "%s/%s%s", dir, name, ext);
}

/* What analyze writes for @p csv, as text. */
static char *analyze_json(const char *csv)
{
	struct bm_analysis_opts o;
	struct bm_analysis_notes n;
	struct bm_report rep;
	char msg[600], *buf = NULL;
	size_t len = 0;
	bm_analysis_opts_default(&o);
	ck_assert_msg(bm_analysis_run(csv, &o, &rep, &n, msg, sizeof msg) == BM_ANALYSIS_OK,
	              "expected analyze to read %s, got \"%s\"", csv, msg);
	FILE *f = open_memstream(&buf, &len);
	bm_report_write_json(&rep, f);
	fclose(f);
	bm_report_free(&rep);
	return buf;
}

/* An unfinished recording: CSV and sidecar ("closed": false), aged. */
static void unfinished(const char *name, int closed, double age_s)
{
	struct fx_rec r;
	char p[600];
	fx_rec_default(&r, name);
	r.summary = 0;
	r.closed = closed;
	ck_assert_int_eq(fx_recording(dir, &r), 0);
	path_of(p, sizeof p, name, ".csv");
	fx_age(p, age_s);
	path_of(p, sizeof p, name, ".meta.json");
	fx_age(p, age_s);
}

START_TEST(rebuilds_what_analyze_finds)
{
	struct bm_recover_list l;
	char msg[2000], csv[600], sum[600], ev[600];
	unfinished("2026-11-02T09-00-00", 0, 3600);
	struct fx_rec done;
	fx_rec_default(&done, "2026-11-01T09-00-00");
	ck_assert_int_eq(fx_recording(dir, &done), 0);
	path_of(sum, sizeof sum, done.name, ".summary.json");
	char *before = fx_slurp(sum);

	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 1, "expected one recording rebuilt, got %zu", l.n);
	path_of(csv, sizeof csv, "2026-11-02T09-00-00", ".csv");
	ck_assert_msg(l.items[0].status == BM_RECOVER_REBUILT &&
	              l.items[0].cause == BM_RECOVER_NOT_CLOSED && !strcmp(l.items[0].csv, csv),
	              "expected %s rebuilt as not closed, got status %d cause %d (%s)", csv,
	              l.items[0].status, l.items[0].cause, l.items[0].why);
	bm_recover_describe(&l.items[0], msg, sizeof msg);
	char want[800];
	snprintf(want, sizeof want, "rebuilt the summary of %s (the recording was not closed)", csv);
	ck_assert_msg(!strcmp(msg, want), "expected \"%s\", got \"%s\"", want, msg);
	bm_recover_list_free(&l);

	path_of(sum, sizeof sum, "2026-11-02T09-00-00", ".summary.json");
	path_of(ev, sizeof ev, "2026-11-02T09-00-00", ".events.csv");
	char *got = fx_slurp(sum), *expect = analyze_json(csv);
	ck_assert_msg(got && !strcmp(got, expect), "expected the summary to be analyze's JSON");
	struct stat sb;
	ck_assert_msg(stat(ev, &sb) == 0 && sb.st_size > 50, "expected the events file written");
	free(got);
	free(expect);
	/* The finished recording was not touched. */
	path_of(sum, sizeof sum, done.name, ".summary.json");
	char *after = fx_slurp(sum);
	ck_assert_msg(before && after && !strcmp(before, after), "expected %s unchanged", sum);
	free(before);
	free(after);
	/* Nothing left to do the second time. */
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 0, "expected nothing to rebuild the second time, got %zu", l.n);
	bm_recover_list_free(&l);
}
END_TEST

START_TEST(cut_short_last_line)
{
	struct bm_recover_list l;
	char msg[2000], csv[600];
	unfinished("2026-11-03T09-00-00", 0, 3600);
	path_of(csv, sizeof csv, "2026-11-03T09-00-00", ".csv");
	FILE *f = fopen(csv, "a");
	fputs("299.9875,12.3", f); /* a power cut mid-row */
	fclose(f);
	fx_age(csv, 3600);
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 1 && l.items[0].status == BM_RECOVER_REBUILT && l.items[0].truncated,
	              "expected the recording rebuilt with its cut-short line left out");
	bm_recover_describe(&l.items[0], msg, sizeof msg);
	ck_assert_msg(strstr(msg, "cut short"), "expected the message to say so, got \"%s\"", msg);
	bm_recover_list_free(&l);
}
END_TEST

START_TEST(leaves_recordings_in_progress_alone)
{
	struct bm_recover_list l;
	struct bm_csv_writer *w;
	struct bm_csv_error err;
	char msg[2000], csv[600], sum[600];
	/* Being written: the writer holds its lock. */
	path_of(csv, sizeof csv, "2026-11-04T09-00-00", ".csv");
	ck_assert_int_eq(bm_csv_writer_open(csv, &w, &err), BM_CSV_OK);
	struct bm_csv_row row = {0};
	for (int i = 0; i < 100; i++) {
		row.t_s = i / 80.0;
		row.force_n[0] = row.force_n[1] = 50;
		bm_csv_write_row(w, &row);
	}
	bm_csv_writer_flush(w, 0);
	fx_age(csv, 3600);
	/* Closed cleanly a moment ago: its recorder is writing the summary. */
	unfinished("2026-11-05T09-00-00", 1, 0);
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 0, "expected both left alone, got %zu (%s)", l.n,
	              l.n ? l.items[0].csv : "");
	bm_recover_list_free(&l);
	path_of(sum, sizeof sum, "2026-11-04T09-00-00", ".summary.json");
	ck_assert_msg(access(sum, F_OK) != 0, "expected no summary for the open recording");
	bm_csv_writer_close(w, &err);
	/* Once closed (its process gone) and old enough: both are rebuilt; the
	 * one with a clean stop says its summary was missing. */
	fx_age(csv, 3600);
	char meta[600];
	path_of(meta, sizeof meta, "2026-11-05T09-00-00", ".meta.json");
	fx_age(meta, 3600);
	path_of(meta, sizeof meta, "2026-11-05T09-00-00", ".csv");
	fx_age(meta, 3600);
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 2 && l.items[0].cause == BM_RECOVER_NO_SIDECAR &&
	              l.items[1].cause == BM_RECOVER_CLOSED &&
	              l.items[0].status == BM_RECOVER_REBUILT &&
	              l.items[1].status == BM_RECOVER_REBUILT,
	              "expected two rebuilt (no sidecar; closed), got %zu", l.n);
	bm_recover_describe(&l.items[1], msg, sizeof msg);
	ck_assert_msg(strstr(msg, "closed but its summary was missing"), "got \"%s\"", msg);
	bm_recover_list_free(&l);
}
END_TEST

START_TEST(never_replaces_a_file)
{
	struct bm_recover_item it;
	char csv[600], sum[600], ev[600], msg[2000];
	unfinished("2026-11-06T09-00-00", 0, 3600);
	path_of(csv, sizeof csv, "2026-11-06T09-00-00", ".csv");
	path_of(ev, sizeof ev, "2026-11-06T09-00-00", ".events.csv");
	path_of(sum, sizeof sum, "2026-11-06T09-00-00", ".summary.json");
	/* Events already there (a crash between the two writes): kept. */
	FILE *f = fopen(ev, "w");
	fputs("kept\n", f);
	fclose(f);
	memset(&it, 0, sizeof it);
	ck_assert_int_eq(bm_recover_one(csv, &it), 0);
	char *e = fx_slurp(ev);
	ck_assert_msg(it.events_kept && e && !strcmp(e, "kept\n"), "expected the events kept");
	free(e);
	/* A summary there: refused, the file unchanged, the reason named. */
	ck_assert_int_eq(unlink(ev), 0);
	f = fopen(sum, "w");
	fputs("mine\n", f);
	fclose(f);
	memset(&it, 0, sizeof it);
	ck_assert_int_eq(bm_recover_one(csv, &it), -1);
	char *s = fx_slurp(sum);
	ck_assert_msg(s && !strcmp(s, "mine\n") && strstr(it.why, "summary.json"),
	              "expected %s kept and named in the reason, got \"%s\"", sum, it.why);
	free(s);
	bm_recover_describe(&it, msg, sizeof msg);
	ck_assert_msg(!strncmp(msg, "cannot rebuild the summary of ", 30), "got \"%s\"", msg);
	/* A CSV that is not a recording: a failure naming file and line. */
	char bad[600];
	path_of(bad, sizeof bad, "notes", ".csv");
	f = fopen(bad, "w");
	fputs("t_s,left_n,right_n\n0,1,2\n0.1,x,2\n", f);
	fclose(f);
	fx_age(bad, 3600);
	struct bm_recover_list l;
	ck_assert_int_eq(unlink(sum), 0);
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	int found = 0;
	for (size_t i = 0; i < l.n; i++)
		if (strstr(l.items[i].csv, "notes.csv")) {
			found = 1;
			ck_assert_msg(l.items[i].status == BM_RECOVER_FAILED &&
			              strstr(l.items[i].why, "notes.csv:3"),
			              "expected notes.csv refused at line 3, got \"%s\"", l.items[i].why);
		}
	ck_assert_msg(found, "expected notes.csv in the list");
	bm_recover_list_free(&l);
	ck_assert_int_eq(bm_recover_dir("/nonexistent/folder", NULL, &l, msg, sizeof msg),
	                 BM_RECOVER_ERR_DIR);
	ck_assert_msg(strstr(msg, "/nonexistent/folder"), "expected the folder named, got %s", msg);
	bm_recover_list_free(&l);
}
END_TEST

/* A recording of an earlier version: `# key: value` lines, no sidecar. */
START_TEST(old_recordings_keep_their_header)
{
	struct bm_recover_list l;
	struct bm_recording r;
	char msg[2000], csv[600];
	path_of(csv, sizeof csv, "session-1", ".csv");
	FILE *f = fopen(csv, "w");
	fputs("# bridgemon: 0.0.9\n# sample_rate_hz: 80\n"
	      "# start_time: 2026-11-25T18:04:05+0100\nt_s,left_n,right_n\n", f);
	for (int i = 0; i < 2400; i++)
		fprintf(f, "%.4f,%.3f,%.3f\n", i / 80.0, i >= 800 && i < 2000 ? 250.0 : 50.0, 55.0);
	fclose(f);
	fx_age(csv, 3600);
	ck_assert_int_eq(bm_recover_dir(dir, NULL, &l, msg, sizeof msg), BM_RECOVER_OK);
	ck_assert_msg(l.n == 1 && l.items[0].status == BM_RECOVER_REBUILT &&
	              l.items[0].cause == BM_RECOVER_NO_SIDECAR,
	              "expected the old recording's summary rebuilt, got %zu (%s)", l.n,
	              l.n ? l.items[0].why : "");
	bm_recover_list_free(&l);
	ck_assert_int_eq(bm_recording_load(dir, "session-1", &r, msg, sizeof msg), BM_RECORDING_OK);
	/* 18:04:05 at +01:00 is 17:04:05 UTC. */
	ck_assert_msg(r.start_epoch_s == 1795626245.0 && r.meta.sample_rate_hz == 80 && !r.has_meta &&
	              !r.demo && r.rep.holds[0] == 1,
	              "expected the start and rate from the header lines and one left hold, got %.0f, "
	              "%g Hz, %u holds", r.start_epoch_s, r.meta.sample_rate_hz, r.rep.holds[0]);
	bm_recording_free(&r);
}
END_TEST

Suite *suite_recover(void)
{
	Suite *s = suite_create("recover");
	TCase *tc = tcase_create("recover");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rebuilds_what_analyze_finds);
	tcase_add_test(tc, cut_short_last_line);
	tcase_add_test(tc, leaves_recordings_in_progress_alone);
	tcase_add_test(tc, never_replaces_a_file);
	tcase_add_test(tc, old_recordings_keep_their_header);
	suite_add_tcase(s, tc);
	return s;
}
