/*
 * bm_dose.h - the daily dose of isometric loading, and how regularly it
 * comes.
 *
 * Tendon loading programmes aim at 2-5 minutes of hold time a day, every
 * second day (a day between sessions lets the tendon recover).  From the
 * list of sessions (date, hold seconds per leg, load-weighted seconds) this
 * works out, per leg: the hold time today and over the last 7 days against
 * that aim; and over the last 14 days: how many days were trained, the
 * longest run of consecutive days, the longest rest, and whether the
 * every-second-day rhythm is kept.
 *
 * Load-weighted seconds (seconds x % MVIC / 100) let a light hold count for
 * less than a heavy one: 45 s at 70 % is 31.5 load-weighted seconds.
 *
 * Days are local calendar days (localtime_r, so TZ and daylight saving
 * apply: a session at 23:50 and one at 00:10 fall on two days).
 *
 * The rhythm is kept over the window when no two training days are
 * consecutive (max_run_days, 1), no rest between two sessions is longer
 * than max_rest_days (2: strictly every second day is 1, one slipped day is
 * allowed), and the rest since the last session up to yesterday is not
 * longer either (today is not over yet).  The days before the first session
 * in the window are not counted: the window may start mid-programme.
 */
#ifndef BM_DOSE_H
#define BM_DOSE_H

#include <stddef.h>

/** Return codes. */
enum bm_dose_result {
	BM_DOSE_OK = 0,
	BM_DOSE_ERR_ARG = -1,     /**< NULL out, sessions NULL with n > 0, bad window */
	BM_DOSE_ERR_TIME = -2,    /**< a date could not be turned into a local day */
};

/** Longest adherence window. */
#define BM_DOSE_MAX_DAYS 62

/** One session. */
struct bm_dose_session {
	double epoch_s;            /**< start, seconds since 1970 */
	double hold_s[2];          /**< hold time per leg, s */
	double load_weighted_s[2]; /**< hold s x % MVIC / 100 per leg; NaN: unknown */
};

struct bm_dose_params {
	double aim_min_s;          /**< daily aim per leg, low end (120 s) */
	double aim_max_s;          /**< high end (300 s) */
	int week_days;             /**< the "last days" window for totals (7) */
	int adherence_days;        /**< the window for the rhythm (14, at most BM_DOSE_MAX_DAYS) */
	int max_run_days;          /**< consecutive training days allowed (1) */
	int max_rest_days;         /**< rest days allowed between sessions (2) */
};

void bm_dose_params_default(struct bm_dose_params *p);

/** A day's hold time against the aim. */
enum bm_dose_level {
	BM_DOSE_NONE = 0,          /**< no hold time */
	BM_DOSE_BELOW = 1,
	BM_DOSE_IN_AIM = 2,
	BM_DOSE_ABOVE = 3,
};

struct bm_dose_report {
	long today;                       /**< local day number (days since 1970-01-01) */
	double today_hold_s[2];
	double today_load_s[2];           /**< NaN when a session's load is unknown */
	enum bm_dose_level today_level[2];
	double week_hold_s[2];            /**< the last week_days days, today included */
	double week_load_s[2];
	int week_days_trained;
	int week_days_in_aim[2];
	int week_days_above[2];
	double week_mean_s_per_trained_day[2]; /**< NaN with no trained day */
	int n_days;                       /**< adherence window length */
	unsigned char trained[BM_DOSE_MAX_DAYS]; /**< 1 per trained day, oldest first, today last */
	int trained_days;
	int longest_run_days;             /**< consecutive trained days */
	int longest_rest_days;            /**< between sessions, or since the last one (to yesterday) */
	int rhythm_kept;                  /**< see the top of this file */
};

/** Hold seconds at @p pct_mvic % as load-weighted seconds (NaN if pct unknown). */
double bm_dose_load_weighted_s(double hold_s, double pct_mvic);

/** Local calendar day of @p epoch_s as days since 1970-01-01.
 *  @return BM_DOSE_OK or BM_DOSE_ERR_TIME. */
int bm_dose_local_day(double epoch_s, long *day);

/** "none", "below the aim", "within the aim", "above the aim". */
const char *bm_dose_level_name(enum bm_dose_level l);

/**
 * Dose and rhythm at @p now_epoch_s from @p n sessions (any order; later
 * than today's date: ignored).
 * @param p  NULL: the defaults
 * @return BM_DOSE_OK, BM_DOSE_ERR_ARG, BM_DOSE_ERR_TIME.
 */
int bm_dose_report(const struct bm_dose_session *sessions, size_t n, double now_epoch_s,
                   const struct bm_dose_params *p, struct bm_dose_report *out);

#endif
