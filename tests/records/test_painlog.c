/* test_painlog.c - the pain log: what is appended reads back exactly,
 * names with quotes and commas included; a damaged line is named and left
 * out, the rest read. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_painlog.h"
#include "records_fixture.h"
#include "records_suites.h"

static char dir[256], path[512];

static void setup(void)
{
	ck_assert_int_eq(fx_tmpdir(dir, sizeof dir), 0);
	snprintf(path, sizeof path, "%s/pain-log.csv", dir);
}

static void teardown(void)
{
	fx_rmtree(dir);
}

static struct bm_painlog_entry entry(int64_t t, enum bm_store_pain_when w, double score,
                                     const char *name)
{
	struct bm_painlog_entry e;
	memset(&e, 0, sizeof e);
	e.epoch_s = t;
	e.when = w;
	e.score = score;
	snprintf(e.athlete, sizeof e.athlete, "%s", name);
	return e;
}

START_TEST(appended_entries_read_back)
{
	const struct bm_painlog_entry in[3] = {
		entry(1793610000, BM_STORE_PAIN_BEFORE, 2, "Ann \"Annie\" Lee"),
		entry(1793613600, BM_STORE_PAIN_AFTER, 4.5, "Lee, Ann"),
		entry(1793696400, BM_STORE_PAIN_NEXT_MORNING, 0, "Zoë Ørsted"),
	};
	char msg[600];
	for (int i = 0; i < 3; i++)
		ck_assert_msg(bm_painlog_append(path, &in[i], msg, sizeof msg) == BM_PAINLOG_OK,
		              "expected entry %d appended, got \"%s\"", i, msg);
	struct bm_painlog l;
	ck_assert_int_eq(bm_painlog_read(path, &l, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_msg(l.n == 3 && l.bad_lines == 0, "expected 3 entries and no bad line, got %zu, %zu",
	              l.n, l.bad_lines);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(l.items[i].epoch_s == in[i].epoch_s && l.items[i].when == in[i].when &&
		              l.items[i].score == in[i].score && !strcmp(l.items[i].athlete, in[i].athlete),
		              "entry %d: expected \"%s\" %g back, got \"%s\" %g", i, in[i].athlete,
		              in[i].score, l.items[i].athlete, l.items[i].score);
	bm_painlog_free(&l);
	char *text = fx_slurp(path);
	ck_assert_msg(!strncmp(text, "epoch_s,local_time,when,score,athlete\n", 38) &&
	              strstr(text, ",after,4.5,\"Lee, Ann\"\n") &&
	              strstr(text, "\"Ann \"\"Annie\"\" Lee\""),
	              "expected a header and quoted names, got:\n%s", text);
	free(text);
}
END_TEST

START_TEST(damaged_lines_are_named_and_skipped)
{
	char msg[600];
	struct bm_painlog l;
	/* No log yet: empty, not an error. */
	ck_assert_int_eq(bm_painlog_read(path, &l, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_uint_eq(l.n, 0);
	FILE *f = fopen(path, "w");
	fputs("epoch_s,local_time,when,score,athlete\n"
	      "1793610000,x,before,2,\"Ann\"\n"
	      "1793610000,x,during,2,\"Ann\"\n"
	      "1793610000,x,after,11,\"Ann\"\n"
	      "1793610000,x,after,3,Ann\n"
	      "1793610000,x,after,3,\"Ann\n"
	      "1793613600,x,after,3,\"Ann\"", f); /* cut short */
	fclose(f);
	ck_assert_int_eq(bm_painlog_read(path, &l, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_msg(l.n == 1 && l.bad_lines == 5, "expected 1 entry and 5 bad lines, got %zu, %zu",
	              l.n, l.bad_lines);
	char want[600];
	snprintf(want, sizeof want, "%s:3: when is not", path);
	ck_assert_msg(!strncmp(l.first_bad, want, strlen(want)), "expected \"%s...\", got \"%s\"",
	              want, l.first_bad);
	bm_painlog_free(&l);
	/* The next entry stands on a line of its own after the cut-short one. */
	struct bm_painlog_entry e = entry(1793700000, BM_STORE_PAIN_AFTER, 1, "Ann");
	ck_assert_int_eq(bm_painlog_append(path, &e, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_int_eq(bm_painlog_read(path, &l, msg, sizeof msg), BM_PAINLOG_OK);
	ck_assert_msg(l.n == 3 && l.bad_lines == 4 && l.items[2].epoch_s == 1793700000,
	              "expected the cut-short line ended and the new entry read, got %zu entries, "
	              "%zu bad", l.n, l.bad_lines);
	bm_painlog_free(&l);
	/* What cannot go in the log is refused, naming it. */
	e = entry(1, BM_STORE_PAIN_AFTER, 1, "two\nlines");
	ck_assert_int_eq(bm_painlog_append(path, &e, msg, sizeof msg), BM_PAINLOG_ERR_ARG);
	e = entry(1, BM_STORE_PAIN_AFTER, NAN, "Ann");
	ck_assert_int_eq(bm_painlog_append(path, &e, msg, sizeof msg), BM_PAINLOG_ERR_ARG);
	ck_assert_msg(strstr(msg, path), "expected the log named, got \"%s\"", msg);
	ck_assert_int_eq(bm_painlog_append("/nonexistent/log.csv",
	                                   &(struct bm_painlog_entry){0, BM_STORE_PAIN_AFTER, 1, "A"},
	                                   msg, sizeof msg), BM_PAINLOG_ERR_IO);
	ck_assert_msg(strstr(msg, "/nonexistent/log.csv"), "got \"%s\"", msg);
}
END_TEST

Suite *suite_painlog(void)
{
	Suite *s = suite_create("painlog");
	TCase *tc = tcase_create("painlog");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, appended_entries_read_back);
	tcase_add_test(tc, damaged_lines_are_named_and_skipped);
	suite_add_tcase(s, tc);
	return s;
}
