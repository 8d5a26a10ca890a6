/*
 * test_regressions.c - what fuzzing and the sanitizer build found, pinned
 * down as plain assertions (RELIABILITY.md lists each finding).  The inputs
 * that found them stay in tests/fuzz/corpus/ as well, where the fuzz tests
 * run them under the sanitizers; these tests say what the behaviour must
 * be, in any build.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_report.h"
#include "bm_source.h"
#include "bm_summary.h"
#include "fuzz_files.h"

/* A summary as bm_report_write_json writes it (an empty report's), with
 * the left reps and the flagged count replaced by the given text. */
static char *summary_text(const char *reps_left, const char *flagged)
{
	struct bm_report rep;
	char *buf = NULL, *out;
	size_t len = 0;
	memset(&rep, 0, sizeof rep);
	rep.duration_s = 90;
	rep.sample_rate_hz = 10;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	bm_report_write_json(&rep, f);
	fclose(f);
	const char *r = strstr(buf, "\"reps\": {\"left\": 0"), *b = strstr(buf, "\"bilateral_flagged\": 0");
	ck_assert_msg(r && b && r < b, "the writer's summary keys moved: %s", buf);
	out = malloc(len + 200);
	ck_assert_ptr_nonnull(out);
	size_t rl = strlen("\"reps\": {\"left\": "), bl = strlen("\"bilateral_flagged\": ");
	snprintf(out, len + 200, "%.*s%s%.*s%s%s", (int)(r - buf + rl), buf, reps_left,
	         (int)(b + bl - (r + rl + 1)), r + rl + 1, flagged, b + bl + 1);
	free(buf);
	return out;
}

/* A count no summary can hold used to be converted to unsigned anyway
 * (undefined behaviour: UBSan's float-cast-overflow); such a file is not a
 * summary, said in one line naming the key. */
START_TEST(summary_counts_out_of_range_are_refused)
{
	static const char *const bad[][2] = {
		{"1e300", "0"}, {"-1", "0"}, {"2.5", "0"}, {"4294967296", "0"}, {"null", "0"},
		{"\"4\"", "0"},
	};
	struct bm_report rep;
	char msg[600];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *js = summary_text(bad[i][0], bad[i][1]);
		msg[0] = '\0';
		int rc = bm_summary_parse(js, strlen(js), "x.summary.json", &rep, msg, sizeof msg);
		bm_report_free(&rep);
		ck_assert_msg(rc == BM_SUMMARY_ERR_FORMAT && strstr(msg, "x.summary.json") &&
		              !strchr(msg, '\n'),
		              "reps.left %s, bilateral_flagged %s: expected 'not a summary' in one line, "
		              "got %d '%s'", bad[i][0], bad[i][1], rc, msg);
		free(js);
	}
	char *js = summary_text("7", "0");
	int rc = bm_summary_parse(js, strlen(js), "x.summary.json", &rep, msg, sizeof msg);
	ck_assert_msg(rc == BM_SUMMARY_OK && rep.reps[0] == 7 && rep.reps[1] == 0,
	              "a whole count: expected it read (7 reps), got %d, %u ('%s')", rc, rep.reps[0],
	              msg);
	bm_report_free(&rep);
	free(js);
}
END_TEST

/* A `# sample_rate_hz: 1e308` line of an earlier version's recording once
 * hung replay; it must be refused at once, with one line naming the file. */
START_TEST(replay_rate_1e308_is_refused)
{
	static const char csv[] = "# sample_rate_hz: 1e308\nt_s,left_n,right_n\n0,1,2\n0.1,1,2\n";
	char path[600], msg[512] = "";
	fuzz_write("rate.csv", csv, sizeof csv - 1, path, sizeof path);
	struct bm_source *src = bm_source_replay_new(path, 1, msg, sizeof msg);
	ck_assert_msg(src == NULL, "rate 1e308: expected the replay to be refused, it opened");
	ck_assert_msg(!strncmp(msg, path, strlen(path)) && strstr(msg, "not a rate") &&
	              !strchr(msg, '\n'),
	              "rate 1e308: expected one line naming %s and saying 'not a rate', got '%s'",
	              path, msg);

	struct bm_analysis_opts o;
	struct bm_analysis_notes notes;
	struct bm_report rep;
	bm_analysis_opts_default(&o);
	msg[0] = '\0';
	int rc = bm_analysis_run(path, &o, &rep, &notes, msg, sizeof msg);
	ck_assert_msg(rc == BM_ANALYSIS_ERR_INPUT && strstr(msg, "not a rate"),
	              "analyze, rate 1e308: expected a refusal saying 'not a rate', got %d '%s'", rc,
	              msg);
}
END_TEST

int main(void)
{
	/* The scratch folder made here, before Check forks a child per test,
	 * is the one every test writes into, removed when this process exits. */
	fuzz_dir();
	Suite *s = suite_create("fuzz-regressions");
	TCase *tc = tcase_create("found");
	tcase_add_test(tc, summary_counts_out_of_range_are_refused);
	tcase_add_test(tc, replay_rate_1e308_is_refused);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
