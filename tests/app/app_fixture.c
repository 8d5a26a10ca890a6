/* app_fixture.c - a scratch data folder for the app glue's tests; see
 * app_fixture.h. */
#include "app_fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bm_sync.h"
#include "records_fixture.h"

double app_fixture_day(const struct app_fixture *f, int days_ago)
{
	double midnight = floor(f->now_s / 86400.0) * 86400.0;
	return midnight + 10 * 3600.0 - days_ago * 86400.0;
}

void app_fixture_open(struct app_fixture *f, const struct app_rec *r, size_t n)
{
	char msg[600];
	memset(f, 0, sizeof *f);
	setenv("TZ", "UTC", 1);
	tzset();
	f->now_s = (double)time(NULL);
	ck_assert_int_eq(fx_tmpdir(f->dir, sizeof f->dir), 0);
	setenv("XDG_DATA_HOME", f->dir, 1);
	snprintf(f->rec, sizeof f->rec, "%s/rec", f->dir);
	snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
	snprintf(f->log, sizeof f->log, "%s/pain-log.csv", f->dir);
	ck_assert_int_eq(mkdir(f->rec, 0700), 0);
	for (size_t i = 0; i < n; i++) {
		struct fx_rec x;
		fx_rec_default(&x, r[i].name);
		x.seed = 30 + i;
		x.athlete = r[i].athlete;
		x.demo = r[i].demo;
		x.start_epoch_s = app_fixture_day(f, r[i].days_ago);
		x.pain_before = r[i].pain_before;
		ck_assert_int_eq(fx_recording(f->rec, &x), 0);
	}
	ck_assert_int_eq(bm_store_open(f->db, &f->st, msg, sizeof msg), BM_STORE_OK);
	struct bm_sync_opts o = {f->rec, "test", f->db, "", 0};
	struct bm_sync_result res;
	ck_assert_int_eq(bm_sync_run(f->st, &o, &res), BM_STORE_OK);
	ck_assert_msg(res.uploaded == n, "%zu of %zu recordings uploaded", res.uploaded, n);
	bm_sync_result_free(&res);
}

void app_fixture_close(struct app_fixture *f)
{
	bm_store_close(f->st);
	f->st = NULL;
	fx_rmtree(f->dir);
}

struct bm_store_athlete app_fixture_athlete(struct app_fixture *f, const char *name)
{
	struct bm_store_athlete a;
	ck_assert_msg(bm_store_athlete_find_name(f->st, name, &a) == BM_STORE_OK, "no athlete %s",
	              name);
	return a;
}
