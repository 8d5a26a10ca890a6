/* test_summary.c - the summary reader (formats/bm_summary): what the
 * writer wrote comes back, and a damaged, hostile or odd file gives one
 * line naming the file and the key, never a hang or a wrapped number. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_report.h"
#include "bm_sessions_dir.h"
#include "bm_summary.h"
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

static const char *put(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* A minimal valid summary with @p summary_part as the "summary" object. */
static char *doc(const char *holds, const char *summary_part)
{
	static char buf[4096];
	snprintf(buf, sizeof buf,
	         "{\"duration_s\": 60.0, \"sample_rate_hz\": 80.0, \"holds\": [%s], \"reps\": [],"
	         " \"bilateral\": [], \"summary\": %s}\n", holds, summary_part);
	return buf;
}

static const char good_sum[] =
	"{\"hold_time_s\": {\"left\": 30.0, \"right\": 0.0}, \"reps\": {\"left\": 2, \"right\": 3},"
	" \"single_leg_lsi_pct\": null}";

START_TEST(round_trip_of_a_recording)
{
	struct fx_rec r;
	char csv[512], ev[600], sum[600], msg[600];
	struct bm_report back;
	char *text;
	fx_rec_default(&r, "2026-11-02T09-00-00");
	r.seconds = 600;
	ck_assert_int_eq(fx_recording(dir, &r), 0);
	snprintf(csv, sizeof csv, "%s/%s.csv", dir, r.name);
	bm_sessions_companion_paths(csv, ev, sum, sizeof ev);
	ck_assert_int_eq(bm_summary_read(sum, &back, &text, msg, sizeof msg), BM_SUMMARY_OK);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "\"holds\""), "expected the file's text back, got %.80s", text);
	/* Written again, the report reads back into the same numbers. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bm_report_write_json(&back, f);
	fclose(f);
	struct bm_report again;
	ck_assert_int_eq(bm_summary_parse(buf, len, "again", &again, msg, sizeof msg),
	                 BM_SUMMARY_OK);
	ck_assert_msg(back.n_events > 2 && again.n_events == back.n_events &&
	              again.n_pairs == back.n_pairs,
	              "expected the same events and pairs, got %zu/%zu events, %zu/%zu pairs",
	              back.n_events, again.n_events, back.n_pairs, again.n_pairs);
	for (size_t i = 0; i < back.n_events; i++) {
		const struct bm_event *a = &back.events[i], *b = &again.events[i];
		ck_assert_msg(a->kind == b->kind && a->leg == b->leg && a->start_s == b->start_s &&
		              a->mean_n == b->mean_n && a->peak_n == b->peak_n &&
		              a->counted == b->counted && a->single_leg == b->single_leg,
		              "event %zu: expected it unchanged by a write and a read", i);
		if (i)
			ck_assert_msg(a->start_s >= back.events[i - 1].start_s,
			              "expected events in start order, event %zu at %.3f after %.3f", i,
			              a->start_s, back.events[i - 1].start_s);
	}
	ck_assert_msg(back.reps[0] == again.reps[0] && back.hold_time_s[1] == again.hold_time_s[1] &&
	              back.rows > 0 && back.rows == again.rows && !back.demo,
	              "expected summary numbers and data counters back (rows %llu)", back.rows);
	free(buf);
	free(text);
	bm_report_free(&back);
	bm_report_free(&again);
}
END_TEST

/* One bad summary: the result, and the message naming file and key. */
static void expect_bad(const char *name, const char *text, const char *key)
{
	struct bm_report rep;
	char msg[600];
	const char *path = put(name, text);
	int rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_SUMMARY_ERR_FORMAT, "%s: expected ERR_FORMAT, got %d (%s)", name,
	              rc, msg);
	ck_assert_msg(strstr(msg, path) && strstr(msg, key) && !strchr(msg, '\n'),
	              "%s: expected one line naming %s and \"%s\", got \"%s\"", name, path, key, msg);
	bm_report_free(&rep);
}

START_TEST(numbers_are_range_checked)
{
	char a[4096], b[4096];
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": 1, \"right\": 2}, "
	                                    "\"reps\": {\"left\": -3, \"right\": 0}}"));
	expect_bad("neg.summary.json", a, "reps.left");
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": 1, \"right\": 2}, "
	                                    "\"reps\": {\"left\": 1e30, \"right\": 0}}"));
	expect_bad("huge.summary.json", a, "reps.left");
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": 1, \"right\": 2}, "
	                                    "\"reps\": {\"left\": 2.5, \"right\": 0}}"));
	expect_bad("half.summary.json", a, "reps.left");
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": -1, \"right\": 2}, "
	                                    "\"reps\": {\"left\": 1, \"right\": 0}}"));
	expect_bad("negtime.summary.json", a, "hold_time_s.left");
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": 1e999, \"right\": 2}, "
	                                    "\"reps\": {\"left\": 1, \"right\": 0}}"));
	expect_bad("inf.summary.json", a, "hold_time_s.left");
	snprintf(a, sizeof a, "%s", doc("", "{\"hold_time_s\": {\"left\": \"30\", \"right\": 2}, "
	                                    "\"reps\": {\"left\": 1, \"right\": 0}}"));
	expect_bad("str.summary.json", a, "hold_time_s.left");
	snprintf(b, sizeof b, "%s", doc("{\"leg\": \"left\", \"start_s\": 20, \"end_s\": 10}",
	                                good_sum));
	expect_bad("back.summary.json", b, "holds[0]");
	snprintf(b, sizeof b, "%s", doc("{\"leg\": \"middle\", \"start_s\": 1, \"end_s\": 10}",
	                                good_sum));
	expect_bad("leg.summary.json", b, "holds[0].leg");
	snprintf(b, sizeof b, "%s", doc("{\"leg\": \"left\", \"start_s\": 1, \"end_s\": 10, "
	                                "\"dips\": -1}", good_sum));
	expect_bad("dips.summary.json", b, "holds[0].dips");
	snprintf(b, sizeof b, "%s", doc("{\"leg\": \"left\", \"start_s\": 1, \"end_s\": 10, "
	                                "\"mean_n\": 1e300}", good_sum));
	expect_bad("force.summary.json", b, "holds[0].mean_n");
	snprintf(b, sizeof b, "%s", doc("", good_sum));
	b[strlen(b) - 1] = '\0';
	strcat(b, "{}\n");
	expect_bad("twice.summary.json", b, "text after");
	expect_bad("nosum.summary.json", "{\"duration_s\": 1, \"holds\": [], \"reps\": [], "
	           "\"bilateral\": []}", "\"summary\"");
	expect_bad("noholds.summary.json", "{\"duration_s\": 1, \"summary\": {}}", "\"holds\"");
	expect_bad("notjson.summary.json", "{not json", "not valid JSON");
	expect_bad("empty.summary.json", "", "not valid JSON");
	expect_bad("array.summary.json", "[1, 2]", "not a JSON object");
}
END_TEST

START_TEST(older_summaries_read_with_defaults)
{
	struct bm_report rep;
	char msg[600];
	/* No "counted", no summary.holds, no data, no demo: a 30 s hold counts,
	 * an 8 s one does not; the holds are counted from the list. */
	const char *p = put("old.summary.json",
	                    doc("{\"leg\": \"left\", \"start_s\": 1, \"end_s\": 31, \"mean_n\": 200.5},"
	                        "{\"leg\": \"left\", \"start_s\": 40, \"end_s\": 48, \"mean_n\": null}",
	                        good_sum));
	ck_assert_int_eq(bm_summary_read(p, &rep, NULL, msg, sizeof msg), BM_SUMMARY_OK);
	ck_assert_msg(rep.n_events == 2 && rep.events[0].counted && !rep.events[1].counted &&
	              rep.holds[0] == 2 && isnan(rep.events[1].mean_n) && !rep.demo &&
	              rep.reps[1] == 3 && isnan(rep.lsi_pct),
	              "expected 2 holds (the first counted, the second's mean unknown), 3 right reps, "
	              "LSI null; got %zu events, holds %u", rep.n_events, rep.holds[0]);
	bm_report_free(&rep);
}
END_TEST

START_TEST(only_regular_files)
{
	struct bm_report rep;
	char msg[600], path[512];
	/* A FIFO under a summary's name: refused at once, not read (which would
	 * wait for a writer forever).  The alarm turns a hang into a failure. */
	snprintf(path, sizeof path, "%s/fifo.summary.json", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(10);
	int rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
	alarm(0);
	ck_assert_msg(rc == BM_SUMMARY_ERR_FORMAT && strstr(msg, path) &&
	              strstr(msg, "not a regular file"),
	              "expected a FIFO refused as not a regular file, got %d \"%s\"", rc, msg);
	snprintf(path, sizeof path, "%s/dir.summary.json", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_SUMMARY_ERR_FORMAT && strstr(msg, path),
	              "expected a folder refused, got %d \"%s\"", rc, msg);
	/* Over the size limit (a sparse file: nothing is allocated for it). */
	snprintf(path, sizeof path, "%s/big.summary.json", dir);
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)BM_SUMMARY_MAX_BYTES + 1), 0);
	close(fd);
	rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_SUMMARY_ERR_FORMAT && strstr(msg, path) && strstr(msg, "larger"),
	              "expected a file over the limit refused, got %d \"%s\"", rc, msg);
	snprintf(path, sizeof path, "%s/none.summary.json", dir);
	rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_SUMMARY_NOT_FOUND && strstr(msg, path),
	              "expected NOT_FOUND naming the file, got %d \"%s\"", rc, msg);
	bm_report_free(&rep);
}
END_TEST

/* Today's recordings: one real, one demo by name, one demo by its summary. */
START_TEST(hold_today_leaves_demo_out)
{
	char prefix[32], name[64], msg[600], sum[600];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(prefix, sizeof prefix, "%Y-%m-%dT%H-%M-%S", &tm);
	const char *names[3] = {"", "-demo", "-x"};
	double expect[3];
	for (int i = 0; i < 3; i++) {
		struct fx_rec r;
		snprintf(name, sizeof name, "%s%s", prefix, names[i]);
		fx_rec_default(&r, name);
		r.seed = 3 + (uint64_t)i;
		r.demo = i > 0; /* the third: demo by its sidecar and summary only */
		ck_assert_int_eq(fx_recording(dir, &r), 0);
		struct bm_report rep;
		snprintf(sum, sizeof sum, "%s/%s.summary.json", dir, name);
		ck_assert_int_eq(bm_summary_read(sum, &rep, NULL, msg, sizeof msg), BM_SUMMARY_OK);
		expect[i] = fmax(rep.hold_time_s[0], rep.hold_time_s[1]);
		bm_report_free(&rep);
	}
	/* Unreadable companions add nothing and do not hang. */
	snprintf(sum, sizeof sum, "%s/%s-fifo.summary.json", dir, prefix);
	ck_assert_int_eq(mkfifo(sum, 0600), 0);
	put("broken.summary.json", "{");
	alarm(10);
	double real = bm_sessions_hold_today_s(dir, (double)now);
	double all = bm_sessions_hold_today_with(dir, (double)now, BM_SESSIONS_WITH_DEMO);
	alarm(0);
	ck_assert_msg(expect[0] > 0 && fabs(real - expect[0]) < 1e-9,
	              "expected today's hold time %.1f s without the demo recordings, got %.1f",
	              expect[0], real);
	ck_assert_msg(fabs(all - (expect[0] + expect[1] + expect[2])) < 1e-9,
	              "expected %.1f s with them, got %.1f", expect[0] + expect[1] + expect[2], all);
	ck_assert_msg(bm_sessions_is_demo_name("a/2026-11-25T18-04-05-demo.summary.json") &&
	              bm_sessions_is_demo_name("x-demo.csv") && !bm_sessions_is_demo_name("demo.csv") &&
	              !bm_sessions_is_demo_name("2026-11-25T18-04-05.csv"),
	              "expected names ending in -demo (before the extension) to be demo");
}
END_TEST

Suite *suite_summary(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip_of_a_recording);
	tcase_add_test(tc, numbers_are_range_checked);
	tcase_add_test(tc, older_summaries_read_with_defaults);
	tcase_add_test(tc, only_regular_files);
	tcase_add_test(tc, hold_today_leaves_demo_out);
	suite_add_tcase(s, tc);
	return s;
}
