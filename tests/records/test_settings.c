/* test_settings.c - the settings file (records/bm_settings): every key read
 * and range-checked, each wrong line named by file and line, no file meaning
 * the defaults, a FIFO or a directory refused without a hang. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_settings.h"
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

START_TEST(every_key)
{
	struct bm_settings s;
	char msg[600];
	ck_assert_int_eq(bm_settings_parse("a.conf",
	                                   "# the clinic's server\n"
	                                   "db = postgresql://physio@clinic/bridgemon\n"
	                                   "\n"
	                                   "  readiness.lsi_peak_min_pct=85  \n"
	                                   "readiness.lsi_impulse_min_pct = 80.5\n"
	                                   "readiness.sessions = 3\n"
	                                   "readiness.pain_max = 2\n"
	                                   "readiness.fatigue_reps_min = 25",
	                                   &s, msg, sizeof msg),
	                 BM_SETTINGS_OK);
	ck_assert_str_eq(s.db, "postgresql://physio@clinic/bridgemon");
	ck_assert(s.readiness.lsi_peak_min_pct == 85);
	ck_assert(s.readiness.lsi_impulse_min_pct == 80.5);
	ck_assert_int_eq(s.readiness.sessions_needed, 3);
	ck_assert(s.readiness.pain_max == 2);
	ck_assert_int_eq(s.readiness.fatigue_reps_min, 25);

	/* A UTF-8 byte-order mark at the start is not part of the first key. */
	ck_assert_int_eq(bm_settings_parse("c.conf", "\xef\xbb\xbf" "db = /x.db\r\n", &s, msg,
	                                   sizeof msg),
	                 BM_SETTINGS_OK);
	ck_assert_str_eq(s.db, "/x.db");

	/* What is not given keeps its default. */
	struct bm_readiness_params def;
	bm_readiness_params_default(&def);
	ck_assert_int_eq(bm_settings_parse("b.conf", "readiness.pain_max = 4\n", &s, msg, sizeof msg),
	                 BM_SETTINGS_OK);
	ck_assert_str_eq(s.db, "");
	ck_assert(s.readiness.pain_max == 4);
	ck_assert(s.readiness.lsi_peak_min_pct == def.lsi_peak_min_pct);
	ck_assert_int_eq(s.readiness.sessions_needed, def.sessions_needed);
	ck_assert_int_eq(s.readiness.fatigue_reps_min, def.fatigue_reps_min);
}
END_TEST

static void expect_bad(const char *text, const char *where, const char *what)
{
	struct bm_settings s;
	char msg[600];
	ck_assert_int_eq(bm_settings_parse("x.conf", text, &s, msg, sizeof msg),
	                 BM_SETTINGS_ERR_FORMAT);
	ck_assert_msg(strstr(msg, where) && strstr(msg, what) && !strchr(msg, '\n'),
	              "for '%s' expected '%s' and '%s' in one line, got '%s'", text, where, what, msg);
}

START_TEST(wrong_lines)
{
	expect_bad("db = /a.db\ndb = /b.db\n", "x.conf:2:", "given twice (line 1 too)");
	expect_bad("\n\nreadiness.lsi = 90\n", "x.conf:3:", "unknown key 'readiness.lsi'");
	expect_bad("readiness.pain_max 3\n", "x.conf:1:", "is not 'key = value'");
	expect_bad("db =\n", "x.conf:1:", "db needs a value");
	expect_bad("db = clinic.db\n", "x.conf:1:", "a SQLite file's full path (/...) or "
	                                              "postgresql://..., not 'clinic.db'");
	expect_bad("readiness.pain_max = 11\n", "x.conf:1:", "from 0 to 10, not '11'");
	expect_bad("readiness.pain_max = nan\n", "x.conf:1:", "not 'nan'");
	expect_bad("readiness.sessions = 2.5\n", "x.conf:1:", "a whole number");
	expect_bad("readiness.sessions = 0\n", "x.conf:1:", "from 1 to 8");
	expect_bad("readiness.lsi_peak_min_pct = 90 %\n", "x.conf:1:", "not '90 %'");
	expect_bad("readiness.fatigue_reps_min = 1e9\n", "x.conf:1:", "from 1 to 1000");
	expect_bad("# ok\nreadiness.pain_max = \x01\n", "x.conf:2:", "not '?'");
}
END_TEST

START_TEST(files)
{
	struct bm_settings s;
	char path[512], msg[600];

	/* No file: the defaults, and no error. */
	snprintf(path, sizeof path, "%s/none.conf", dir);
	ck_assert_int_eq(bm_settings_load(path, &s, msg, sizeof msg), BM_SETTINGS_OK);
	ck_assert_int_eq(s.found, 0);
	ck_assert_str_eq(s.db, "");

	snprintf(path, sizeof path, "%s/ok.conf", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("db = /srv/bridgemon/clinic.db\n", f);
	fclose(f);
	ck_assert_int_eq(bm_settings_load(path, &s, msg, sizeof msg), BM_SETTINGS_OK);
	ck_assert_int_eq(s.found, 1);
	ck_assert_str_eq(s.db, "/srv/bridgemon/clinic.db");

	/* A line's error names the real file. */
	f = fopen(path, "w");
	fputs("db = /a.db\nwhat\n", f);
	fclose(f);
	ck_assert_int_eq(bm_settings_load(path, &s, msg, sizeof msg), BM_SETTINGS_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "ok.conf:2:"), "%s", msg);

	/* A FIFO (no writer: a blocking open would hang) and a folder. */
	snprintf(path, sizeof path, "%s/fifo.conf", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(bm_settings_load(path, &s, msg, sizeof msg), BM_SETTINGS_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "not a regular file"), "%s", msg);
	ck_assert_int_eq(bm_settings_load(dir, &s, msg, sizeof msg), BM_SETTINGS_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "not a regular file"), "%s", msg);

	/* The default path follows XDG_CONFIG_HOME. */
	setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
	ck_assert_int_eq(bm_settings_path(path, sizeof path), 0);
	ck_assert_str_eq(path, "/etc/xdg-test/bridgemon/bridgemon.conf");
}
END_TEST

Suite *suite_settings(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("settings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_key);
	tcase_add_test(tc, wrong_lines);
	tcase_add_test(tc, files);
	suite_add_tcase(s, tc);
	return s;
}
