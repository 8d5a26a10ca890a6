/*
 * test_calib.c - calibration maths (tare, known mass, reversed cell, flags)
 * and per-board persistence (atomic save, load, malformed files).
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_calib.h"
#include "bm_calib_file.h"
#include "core_suites.h"

/* n readings around @p mean with a +-amp zigzag and a linear drift. */
static void window(int32_t *raw, size_t n, double mean, double amp, double drift)
{
	for (size_t i = 0; i < n; i++)
		raw[i] = (int32_t)lround(mean + ((i % 2) ? amp : -amp) +
		                         drift * ((double)i / (double)(n - 1) - 0.5));
}

START_TEST(tare_then_known_mass)
{
	struct bm_calib cal;
	struct bm_calib_limits lim;
	int32_t raw[80];
	char msg[200];
	bm_calib_init(&cal);
	bm_calib_limits_default(&lim);

	window(raw, 80, 81234.0, 400, 0); /* 0.2 N of noise at the default scale */
	ck_assert_int_eq(bm_calib_tare(&cal, &lim, BM_LEFT, raw, 80, msg, sizeof msg), BM_CALIB_OK);
	ck_assert_msg(fabs(cal.offset_counts[BM_LEFT] - 81234.0) < 1e-9, "offset %f",
	              cal.offset_counts[BM_LEFT]);

	/* 20 kg = 196.133 N moves the reading by 392266 counts. */
	window(raw, 80, 81234.0 + 392266.0, 300, 0);
	ck_assert_int_eq(bm_calib_scale(&cal, &lim, BM_LEFT, raw, 80, 20.0, msg, sizeof msg),
	                 BM_CALIB_OK);
	double f = bm_calib_apply(&cal, BM_LEFT, 81234 + 392266);
	ck_assert_msg(fabs(f - 20.0 * 9.80665) < 1e-9, "20 kg reads %.6f N", f);
	ck_assert_int_eq(cal.valid[BM_LEFT], 1);
	ck_assert_int_eq(cal.valid[BM_RIGHT], 0);

	/* Reversed cell on the right: the mass lowers the counts. */
	window(raw, 80, -5000.0, 100, 0);
	ck_assert_int_eq(bm_calib_tare(&cal, &lim, BM_RIGHT, raw, 80, msg, sizeof msg), BM_CALIB_OK);
	window(raw, 80, -5000.0 - 200000.0, 100, 0);
	ck_assert_int_eq(bm_calib_scale(&cal, &lim, BM_RIGHT, raw, 80, 10.0, msg, sizeof msg),
	                 BM_CALIB_OK);
	ck_assert_msg(cal.scale_n_per_count[BM_RIGHT] < 0, "reversed cell gets a negative scale");
	ck_assert_msg(strstr(msg, "reverse") != NULL, "message says reversed: %s", msg);
	f = bm_calib_apply(&cal, BM_RIGHT, -5000 - 100000);
	ck_assert_msg(fabs(f - 5.0 * 9.80665) < 1e-9, "half the mass reads %.6f N", f);

	/* Which flags make a sample no reading at all (the live pipeline and
	 * analyze turn those into NaN before calibration). */
	ck_assert_msg(BM_CH_SAT_HIGH & BM_CH_NOT_A_READING, "saturated high is not a reading");
	ck_assert_msg(BM_CH_SAT_LOW & BM_CH_NOT_A_READING, "saturated low is not a reading");
	ck_assert_msg(BM_CH_NOT_READY & BM_CH_NOT_A_READING, "not ready is not a reading");
	ck_assert_msg(!(BM_CH_RESET & BM_CH_NOT_A_READING), "the first reading after a reset is one");
}
END_TEST

START_TEST(refusals)
{
	struct bm_calib cal;
	struct bm_calib_limits lim;
	int32_t raw[80];
	char msg[200];
	bm_calib_init(&cal);
	bm_calib_limits_default(&lim);

	/* 10 N of spread (20000 counts at 5e-4) is movement. */
	window(raw, 80, 0.0, 20000, 0);
	ck_assert_int_eq(bm_calib_tare(&cal, &lim, BM_LEFT, raw, 80, msg, sizeof msg),
	                 BM_CALIB_ERR_MOVING);
	ck_assert_msg(strstr(msg, "changing") && strstr(msg, "left"), "message: %s", msg);
	ck_assert_msg(cal.offset_counts[BM_LEFT] == 0, "a refused tare changes nothing");
	/* A slow ramp of 8 N over the window is movement too. */
	window(raw, 80, 0.0, 0, 16000);
	ck_assert_int_eq(bm_calib_tare(&cal, &lim, BM_LEFT, raw, 80, msg, sizeof msg),
	                 BM_CALIB_ERR_MOVING);

	/* Calibrated plate with a heel on it (50 N): loaded. */
	cal.valid[BM_LEFT] = 1;
	window(raw, 80, 100000.0, 10, 0);
	ck_assert_int_eq(bm_calib_tare(&cal, &lim, BM_LEFT, raw, 80, msg, sizeof msg),
	                 BM_CALIB_ERR_LOADED);
	ck_assert_msg(strstr(msg, "50 N") != NULL, "message names the load: %s", msg);

	/* A mass that does not move the reading: wiring. */
	window(raw, 80, 100.0, 10, 0);
	ck_assert_int_eq(bm_calib_scale(&cal, &lim, BM_LEFT, raw, 80, 5.0, msg, sizeof msg),
	                 BM_CALIB_ERR_NO_RESPONSE);
	ck_assert_int_eq(bm_calib_scale(&cal, &lim, BM_LEFT, raw, 80, 0.0, msg, sizeof msg),
	                 BM_CALIB_ERR_ARG);
	ck_assert_int_eq(bm_calib_scale(&cal, &lim, 2, raw, 80, 1.0, msg, sizeof msg),
	                 BM_CALIB_ERR_ARG);
}
END_TEST

static char dir[64];

static void mk(void)
{
	strcpy(dir, "/tmp/bm_test_calib_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(save_and_load)
{
	struct bm_calib a, b;
	char msg[300], sub[128];
	bm_calib_init(&a);
	a.offset_counts[0] = -81234.5;
	a.scale_n_per_count[0] = 4.903325e-4;
	a.valid[0] = 1;
	a.offset_counts[1] = 12.0;
	a.scale_n_per_count[1] = -5.1e-4;
	a.valid[1] = 1;
	snprintf(sub, sizeof sub, "%s/cfg/bridgemon", dir);
	ck_assert_int_eq(bm_calib_save(&a, 0xDEADBEEF, sub, msg, sizeof msg), BM_CALIB_OK);
	a.offset_counts[1] = 13.0; /* saving again replaces the file */
	ck_assert_int_eq(bm_calib_save(&a, 0xDEADBEEF, sub, msg, sizeof msg), BM_CALIB_OK);
	ck_assert_int_eq(bm_calib_load(&b, 0xDEADBEEF, sub, msg, sizeof msg), BM_CALIB_OK);
	for (int ch = 0; ch < 2; ch++) {
		ck_assert_msg(a.offset_counts[ch] == b.offset_counts[ch], "offset %d", ch);
		ck_assert_msg(a.scale_n_per_count[ch] == b.scale_n_per_count[ch], "scale %d", ch);
		ck_assert_int_eq(a.valid[ch], b.valid[ch]);
	}
	/* Only the one file is left: no temporary files behind. */
	DIR *dp = opendir(sub);
	int files = 0;
	for (struct dirent *e; (e = readdir(dp));)
		files += e->d_name[0] != '.';
	closedir(dp);
	ck_assert_int_eq(files, 1);

	ck_assert_int_eq(bm_calib_load(&b, 0x1234, sub, msg, sizeof msg), BM_CALIB_ERR_NOT_FOUND);

	/* XDG_CONFIG_HOME decides the default folder. */
	char xdg[128], got[256];
	snprintf(xdg, sizeof xdg, "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	ck_assert_int_eq(bm_calib_dir(got, sizeof got), BM_CALIB_OK);
	ck_assert_msg(strcmp(got, strcat(xdg, "/bridgemon")) == 0, "dir %s", got);
	ck_assert_int_eq(bm_calib_save(&a, 7, NULL, msg, sizeof msg), BM_CALIB_OK);
	ck_assert_int_eq(bm_calib_load(&b, 7, NULL, msg, sizeof msg), BM_CALIB_OK);
	unsetenv("XDG_CONFIG_HOME");
}
END_TEST

START_TEST(malformed_file)
{
	char path[160], msg[300];
	struct bm_calib c;
	const char *bad[] = {
		"left_offset_counts = abc\n",
		"left_offset_counts = 1\nsomething_else = 2\n",
		"left_offset_counts = 1\n",
		"left_offset_counts = 1\nleft_scale_n_per_count = 0\n",
	};
	const char *why[] = {"expected 'name = number'", "unknown setting", "incomplete",
	                     "scale of 0"};
	snprintf(path, sizeof path, "%s/calibration-00000001.conf", dir);
	for (int i = 0; i < 4; i++) {
		FILE *f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		bm_calib_init(&c);
		c.offset_counts[0] = 99;
		ck_assert_int_eq(bm_calib_load(&c, 1, dir, msg, sizeof msg), BM_CALIB_ERR_FORMAT);
		ck_assert_msg(strstr(msg, why[i]) != NULL, "case %d: message '%s'", i, msg);
		ck_assert_msg(c.offset_counts[0] == 99, "a failed load leaves the calibration alone");
	}
}
END_TEST

Suite *suite_calib(void)
{
	Suite *s = suite_create("calib");
	TCase *tc = tcase_create("maths");
	tcase_add_test(tc, tare_then_known_mass);
	tcase_add_test(tc, refusals);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, mk, rm);
	tcase_add_test(tc, save_and_load);
	tcase_add_test(tc, malformed_file);
	suite_add_tcase(s, tc);
	return s;
}
