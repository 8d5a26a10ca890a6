/* bm_dose.c - daily dose and every-second-day rhythm; see bm_dose.h. */
#include "bm_dose.h"

#include <math.h>
#include <string.h>
#include <time.h>

void bm_dose_params_default(struct bm_dose_params *p)
{
	p->aim_min_s = 120;
	p->aim_max_s = 300;
	p->week_days = 7;
	p->adherence_days = 14;
	p->max_run_days = 1;
	p->max_rest_days = 2;
}

double bm_dose_load_weighted_s(double hold_s, double pct_mvic)
{
	return hold_s * pct_mvic / 100.0;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (the well-known
 * era-based count, done with whole 400-year cycles). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int bm_dose_local_day(double epoch_s, long *day)
{
	struct tm tm;
	if (!day || !isfinite(epoch_s) || fabs(epoch_s) > 1e15)
		return BM_DOSE_ERR_TIME;
	time_t t = (time_t)floor(epoch_s);
	if (!localtime_r(&t, &tm))
		return BM_DOSE_ERR_TIME;
	*day = days_from_civil((long)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
	return BM_DOSE_OK;
}

const char *bm_dose_level_name(enum bm_dose_level l)
{
	switch (l) {
	case BM_DOSE_BELOW: return "below the aim";
	case BM_DOSE_IN_AIM: return "within the aim";
	case BM_DOSE_ABOVE: return "above the aim";
	default: return "none";
	}
}

static enum bm_dose_level level_of(double s, const struct bm_dose_params *p)
{
	if (!(s > 0))
		return BM_DOSE_NONE;
	if (s < p->aim_min_s)
		return BM_DOSE_BELOW;
	if (s > p->aim_max_s)
		return BM_DOSE_ABOVE;
	return BM_DOSE_IN_AIM;
}

int bm_dose_report(const struct bm_dose_session *sessions, size_t n, double now_epoch_s,
                   const struct bm_dose_params *p, struct bm_dose_report *out)
{
	struct bm_dose_params def;
	if (!out)
		return BM_DOSE_ERR_ARG;
	memset(out, 0, sizeof *out);
	if (!p) {
		bm_dose_params_default(&def);
		p = &def;
	}
	if ((!sessions && n) || p->week_days < 1 || p->week_days > BM_DOSE_MAX_DAYS ||
	    p->adherence_days < 1 || p->adherence_days > BM_DOSE_MAX_DAYS)
		return BM_DOSE_ERR_ARG;
	long today;
	if (bm_dose_local_day(now_epoch_s, &today))
		return BM_DOSE_ERR_TIME;
	out->today = today;
	out->n_days = p->adherence_days;

	/* Per day of the longer window: hold time per leg. */
	int span = p->week_days > p->adherence_days ? p->week_days : p->adherence_days;
	double day_hold[BM_DOSE_MAX_DAYS][2];
	double day_load[BM_DOSE_MAX_DAYS][2];
	unsigned char day_any[BM_DOSE_MAX_DAYS];
	memset(day_hold, 0, sizeof day_hold);
	memset(day_load, 0, sizeof day_load);
	memset(day_any, 0, sizeof day_any);
	for (size_t i = 0; i < n; i++) {
		long d;
		if (bm_dose_local_day(sessions[i].epoch_s, &d))
			return BM_DOSE_ERR_TIME;
		long ago = today - d;
		if (ago < 0 || ago >= span)
			continue;
		day_any[ago] = 1;
		for (int leg = 0; leg < 2; leg++) {
			double h = sessions[i].hold_s[leg];
			day_hold[ago][leg] += isfinite(h) && h > 0 ? h : 0;
			day_load[ago][leg] += sessions[i].load_weighted_s[leg]; /* NaN spreads: unknown */
		}
	}

	for (int leg = 0; leg < 2; leg++) {
		out->today_hold_s[leg] = day_hold[0][leg];
		out->today_load_s[leg] = day_load[0][leg];
		out->today_level[leg] = level_of(day_hold[0][leg], p);
		double sum = 0, load = 0;
		for (int a = 0; a < p->week_days; a++) {
			sum += day_hold[a][leg];
			load += day_load[a][leg];
			enum bm_dose_level l = level_of(day_hold[a][leg], p);
			out->week_days_in_aim[leg] += l == BM_DOSE_IN_AIM;
			out->week_days_above[leg] += l == BM_DOSE_ABOVE;
		}
		out->week_hold_s[leg] = sum;
		out->week_load_s[leg] = load;
	}
	for (int a = 0; a < p->week_days; a++)
		out->week_days_trained += day_any[a];
	for (int leg = 0; leg < 2; leg++)
		out->week_mean_s_per_trained_day[leg] = out->week_days_trained
			? out->week_hold_s[leg] / out->week_days_trained : NAN;

	/* Rhythm over the adherence window, oldest day first. */
	int nd = p->adherence_days, run = 0, first = -1, last = -1;
	for (int i = 0; i < nd; i++) {
		int ago = nd - 1 - i;
		out->trained[i] = day_any[ago];
		if (day_any[ago]) {
			out->trained_days++;
			run++;
			if (run > out->longest_run_days)
				out->longest_run_days = run;
			if (last >= 0 && i - last - 1 > out->longest_rest_days)
				out->longest_rest_days = i - last - 1;
			if (first < 0)
				first = i;
			last = i;
		} else {
			run = 0;
		}
	}
	if (last >= 0) {
		/* Rest since the last session, counted up to yesterday. */
		int trailing = (nd - 1) - last - 1;
		if (trailing > out->longest_rest_days)
			out->longest_rest_days = trailing;
	}
	out->rhythm_kept = out->trained_days > 0 && out->longest_run_days <= p->max_run_days &&
	                   out->longest_rest_days <= p->max_rest_days;
	return BM_DOSE_OK;
}
