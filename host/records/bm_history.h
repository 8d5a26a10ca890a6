/*
 * bm_history.h - an athlete's progress from the store: per session the
 * numbers of each leg, a trend per leg, and honest change.
 *
 * Per session (one recording): date, exercise, per leg the best and mean
 * hold force above rest, the summed impulse, hold time and reps
 * (bm_recording.h has the rules), the LSI on peak and on impulse, pain
 * (before and after: the recording's sidecar, else `bridgemon pain` entries
 * of that day; next morning: an entry of the following day), and the
 * left/right asymmetry of its bilateral efforts with a 95 % interval and
 * its flag (bm_change_asym_ci: "certain", "possible", "none").  Bilateral
 * pairs are found from the stored efforts by the same rule `analyze` uses
 * (bm_report_build).
 *
 * Trend per leg: the least-squares slope of each session's best hold force
 * against its start time, in N per week (needs two sessions with a hold,
 * started at different times).
 *
 * Honest change, per metric: the typical error (TE) from the athlete's
 * within-session repeats (bm_change_te, sessions as groups), MDC95, and
 * each change between consecutive sessions that have the metric, labelled
 * "real" (beyond MDC95), "within noise", or "not enough repeats".  The
 * repeats of each metric:
 *   best_hold_n, mean_hold_n   each hold's plateau mean above rest
 *   hold_impulse_ns            each hold's impulse (session value: the
 *                              mean impulse per hold)
 *   lsi_pct                    the k-th single-leg hold of each leg paired
 *                              in time order, weaker / stronger x 100
 *   asymmetry_pct              each bilateral effort's signed asymmetry
 *   hold_time_s, reps          none: a session has one total, so their
 *                              changes are "not enough repeats"
 */
#ifndef BM_HISTORY_H
#define BM_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bm_change.h"
#include "bm_store.h"

/** Return codes: 0 ok, negatives are errors. */
enum bm_history_result {
	BM_HISTORY_OK = 0,
	BM_HISTORY_ERR_STORE = -1,     /**< a store call failed (msg) */
	BM_HISTORY_ERR_NOMEM = -2,
	BM_HISTORY_NOT_FOUND = -3,     /**< no athlete of that name */
};

/** The asymmetry threshold of the flags (%), as analyze's default. */
#define BM_HISTORY_ASYM_THRESHOLD_PCT 10.0

/** One session of the history. */
struct bm_history_session {
	struct bm_store_session s;         /**< the store's row (strings owned
	                                        by the history) */
	char date[16];                     /**< local date, YYYY-MM-DD */
	double pain_next_morning;          /**< NaN: none */
	struct bm_asym_ci asym;            /**< bilateral efforts' asymmetry */
	double hold_impulse_ns[2];         /**< mean impulse per hold; NaN none */
	double asym_mean_pct;              /**< = asym.mean_pct when n >= 1 */
	size_t n_holds[2];                 /**< holds with a force, per leg */
};

enum bm_history_metric_id {
	BM_HM_BEST_HOLD = 0,
	BM_HM_MEAN_HOLD,
	BM_HM_HOLD_IMPULSE,
	BM_HM_HOLD_TIME,
	BM_HM_REPS,
	BM_HM_LSI,
	BM_HM_ASYMMETRY,
	BM_HM_N_KINDS,
};

/** A change between two consecutive sessions that have the metric. */
struct bm_history_change {
	size_t from, to;                   /**< session indexes */
	struct bm_change c;
};

/** One metric (of one leg, or of both: leg -1). */
struct bm_history_metric {
	enum bm_history_metric_id id;
	const char *key;                   /**< "best_hold_n", ... (static) */
	const char *label;                 /**< "best hold", ... (static) */
	const char *unit;                  /**< "N", "N s", "s", "", "%" */
	int leg;                           /**< 0 left, 1 right, -1 none */
	int decimals;                      /**< how it is printed */
	struct bm_te te;
	struct bm_history_change *changes;
	size_t n_changes;
};

/** The trend of one leg. */
struct bm_history_trend {
	double n_per_week;                 /**< NaN: fewer than two sessions */
	size_t sessions;                   /**< sessions with a best hold */
};

struct bm_history {
	struct bm_store_athlete athlete;
	struct bm_history_session *sessions; /**< oldest first */
	size_t n_sessions;
	struct bm_history_metric *metrics;
	size_t n_metrics;
	struct bm_history_trend trend[2];
	struct bm_store_sessions *rows_;   /**< internal: owns the strings */
};

/** Flags of bm_history_build(). */
enum bm_history_flags {
	BM_HISTORY_WITH_DEMO = 1,          /**< keep demo sessions */
};

/**
 * The history of the athlete called @p name (case-insensitive) from @p st.
 * @param out  set to a new history (free with bm_history_free()), or NULL
 * @return BM_HISTORY_OK, BM_HISTORY_NOT_FOUND, BM_HISTORY_ERR_STORE or
 *         BM_HISTORY_ERR_NOMEM with a one-line @p msg.
 */
int bm_history_build(struct bm_store *st, const char *name, unsigned flags,
                     struct bm_history **out, char *msg, size_t msg_len);

void bm_history_free(struct bm_history *h);

/** The value of metric @p m in session @p s (NaN: none). */
double bm_history_value(const struct bm_history *h, const struct bm_history_metric *m, size_t s);

/** How the trend and the change are computed, one sentence each (static). */
extern const char bm_history_trend_method[];
extern const char bm_history_change_method[];

/** `history --athlete NAME --json`: one JSON object and a newline. */
int bm_history_write_json(const struct bm_history *h, FILE *f);

/** `history --athlete NAME`: the readable tables. */
int bm_history_write_table(const struct bm_history *h, FILE *f);

#endif
