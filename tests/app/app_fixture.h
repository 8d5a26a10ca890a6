/* app_fixture.h - a scratch data folder for the app glue's tests: the
 * simulated athlete's recordings (tests/records' fixture) synced into a
 * scratch SQLite store, dated relative to now, with TZ pinned to UTC. */
#ifndef APP_FIXTURE_H
#define APP_FIXTURE_H

#include <stddef.h>

#include "bm_store.h"

/** One recording: its name, athlete, whole days before today (10:00 UTC),
 *  demo or not, pain before (NaN: none). */
struct app_rec {
	const char *name;
	const char *athlete;
	int days_ago;
	int demo;
	double pain_before;
};

struct app_fixture {
	char dir[256];       /**< the scratch folder (XDG_DATA_HOME too) */
	char rec[300];       /**< its recordings */
	char db[300];        /**< the store */
	char log[300];       /**< a pain log */
	struct bm_store *st;
	double now_s;        /**< "now" of the test, seconds since 1970 */
};

/** Make the folder, write @p n recordings, sync them under station
 *  "test".  Fails the test on any error. */
void app_fixture_open(struct app_fixture *f, const struct app_rec *r, size_t n);

void app_fixture_close(struct app_fixture *f);

/** 10:00 UTC @p days_ago days before today. */
double app_fixture_day(const struct app_fixture *f, int days_ago);

/** The store's athlete @p name (fails the test when missing). */
struct bm_store_athlete app_fixture_athlete(struct app_fixture *f, const char *name);

#endif
