/* bm_sessions_dir.c - the sessions folder; the idea is in bm_sessions_dir.h. */
#include "bm_sessions_dir.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bm_fileio.h"
#include "bm_summary.h"

int bm_sessions_dir(char *out, size_t len, char *msg, size_t msg_len)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;
	if (x && x[0] == '/')
		n = snprintf(out, len, "%s/bridgemon/sessions", x);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.local/share/bridgemon/sessions", home);
	else {
		snprintf(msg, msg_len, "cannot find a folder for recordings: set HOME or XDG_DATA_HOME");
		return -1;
	}
	if (n < 0 || (size_t)n >= len || bm_make_dirs(out) != 0) {
		snprintf(msg, msg_len, "cannot create %s: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

int bm_sessions_new_path(const char *dir, double epoch_s, const char *suffix, char *out, size_t len)
{
	time_t t = (time_t)floor(epoch_s);
	struct tm tm;
	char stamp[32];
	struct stat sb;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
	for (int k = 1; k < 1000; k++) {
		int n = k == 1 ? snprintf(out, len, "%s/%s%s.csv", dir, stamp, suffix)
		               : snprintf(out, len, "%s/%s-%d%s.csv", dir, stamp, k, suffix);
		if (n < 0 || (size_t)n >= len)
			return -1;
		if (stat(out, &sb) != 0 && errno == ENOENT)
			return 0;
	}
	return -1;
}

void bm_sessions_companion_paths(const char *csv, char *events, char *summary, size_t len)
{
	size_t n = strlen(csv);
	int strip = n > 4 && !strcmp(csv + n - 4, ".csv");
	int k = (int)(strip ? n - 4 : n);
	snprintf(events, len, "%.*s.events.csv", k, csv);
	snprintf(summary, len, "%.*s.summary.json", k, csv);
}

int bm_sessions_is_demo_name(const char *name)
{
	static const char *const exts[] = {".summary.json", ".events.csv", ".meta.json", ".csv"};
	static const char demo[] = "-demo";
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);
		if (n >= k && !strcmp(name + n - k, exts[i])) {
			n -= k;
			break;
		}
	}
	return n >= sizeof demo - 1 && !strncmp(name + n - (sizeof demo - 1), demo, sizeof demo - 1);
}

double bm_sessions_hold_today_s(const char *dir, double now_epoch_s)
{
	return bm_sessions_hold_today_with(dir, now_epoch_s, 0);
}

double bm_sessions_hold_today_with(const char *dir, double now_epoch_s, unsigned flags)
{
	static const char ext[] = ".summary.json";
	const size_t ext_len = sizeof ext - 1;
	char prefix[16], path[1100];
	time_t now = (time_t)floor(now_epoch_s);
	struct tm tm;
	double total = 0;
	int with_demo = (flags & BM_SESSIONS_WITH_DEMO) != 0;

	localtime_r(&now, &tm);
	strftime(prefix, sizeof prefix, "%Y-%m-%dT", &tm);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || n < ext_len ||
		    strcmp(e->d_name + n - ext_len, ext) != 0)
			continue;
		if (!with_demo && bm_sessions_is_demo_name(e->d_name))
			continue;
		struct bm_report rep;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (bm_summary_read(path, &rep, NULL, NULL, 0) == BM_SUMMARY_OK &&
		    (with_demo || !rep.demo)) {
			double l = rep.hold_time_s[0], r = rep.hold_time_s[1];
			double most = fmax(l, r); /* one leg's NaN does not hide the other */
			if (isfinite(most))
				total += most;
		}
		bm_report_free(&rep);
	}
	closedir(d);
	return total;
}
