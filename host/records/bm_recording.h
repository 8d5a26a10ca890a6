/*
 * bm_recording.h - one recording as the records commands see it: the CSV,
 * its summary (NAME.summary.json, what analyze says of it), its sidecar
 * (NAME.meta.json; recordings of earlier versions carry `# key: value`
 * lines in the CSV instead), and what they say together: when it started,
 * whether it is the demo athlete's, whose it is, and the numbers per leg
 * that the store keeps and the paper report prints.
 *
 * The numbers per leg come from the summary's events, one rule for every
 * caller (the store's row, history, the report):
 *   best_hold_n   the highest plateau mean above rest of the leg's holds
 *   mean_hold_n   the mean of those plateau means
 *   impulse_ns    the summed impulse (force above rest x time) of the leg's
 *                 holds and reps
 *   hold_time_s   the summary's hold time (holds of at least --min-hold)
 *   reps, holds   the summary's counts
 *   best_rep_n    the highest rep peak above rest
 * Forces are above each leg's resting level: the work of the hamstrings,
 * not the weight of the leg on the heel.  LSI on peak is the summary's
 * single-leg LSI (best single-leg hold of each leg); LSI on impulse is
 * weaker / stronger x 100 of the summed impulse of each leg's single-leg
 * efforts.
 */
#ifndef BM_RECORDING_H
#define BM_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "bm_meta.h"
#include "bm_report.h"
#include "bm_store.h"

/** Return codes: 0 ok, negatives are errors (msg says why, one line). */
enum bm_recording_result {
	BM_RECORDING_OK = 0,
	BM_RECORDING_ERR_INPUT = -1,   /**< the summary or sidecar is missing,
	                                    unreadable or malformed */
	BM_RECORDING_ERR_NOMEM = -2,
};

/** Longest path the records code builds. */
#define BM_RECORDING_PATH_MAX 1100

/** One recording, loaded.  Owns its report, text and sidecar. */
struct bm_recording {
	char name[256];            /**< file name without ".csv" */
	char csv[BM_RECORDING_PATH_MAX];     /**< DIR/NAME.csv */
	char summary_path[BM_RECORDING_PATH_MAX];
	int has_csv;               /**< the CSV is there */
	struct bm_report rep;      /**< the summary */
	char *summary_text;        /**< the summary file as read */
	struct bm_meta meta;       /**< the sidecar (empty when none) */
	int has_meta;
	double start_epoch_s;      /**< sidecar, old header, the name, the
	                                file's time; NaN only if all fail */
	int demo;                  /**< summary, sidecar or name says so */
};

/**
 * Load recording @p name (without ".csv") of folder @p dir: its summary
 * (required), sidecar or old header lines, start time.
 * @return BM_RECORDING_OK, or an error with a one-line @p msg naming the
 *         file; @p r is then empty (bm_recording_free() is still fine).
 */
int bm_recording_load(const char *dir, const char *name, struct bm_recording *r, char *msg,
                      size_t msg_len);

void bm_recording_free(struct bm_recording *r);

/** What a folder holds of one recording. */
enum bm_recording_has {
	BM_RECORDING_HAS_CSV = 1,
	BM_RECORDING_HAS_SUMMARY = 2,
};

/** The recordings of a folder, by name. */
struct bm_recording_names {
	size_t n;
	char **name;               /**< without extension, sorted (byte order) */
	unsigned *has;             /**< bm_recording_has bits */
};

/**
 * The recordings in @p dir: every NAME.csv (not NAME.events.csv) and every
 * NAME.summary.json, once each, sorted by name (names are start times, so
 * oldest first).  Hidden files are left out.
 * @return 0, or -1 with @p msg (the folder cannot be read, out of memory).
 */
int bm_recording_list(const char *dir, struct bm_recording_names *out, char *msg,
                      size_t msg_len);
void bm_recording_names_free(struct bm_recording_names *l);

/** The numbers of one leg (rules at the top).  NaN: none. */
struct bm_leg_numbers {
	unsigned holds;
	double hold_time_s;
	double best_hold_n;
	double mean_hold_n;
	double impulse_ns;
	unsigned reps;
	double best_rep_n;
};

/** The numbers of both legs of @p rep. */
void bm_recording_legs(const struct bm_report *rep, struct bm_leg_numbers out[2]);

/** LSI on the summed impulse of single-leg efforts; NaN unless both legs
 *  have some. */
double bm_recording_lsi_impulse_pct(const struct bm_report *rep);

/**
 * The store's session row and efforts for recording @p r.
 * @param station     this machine's name (borrowed)
 * @param athlete_id  the athlete's id in the store, 0 for none
 * @param s           filled; its strings point into @p r and @p station
 * @param efforts     set to a malloc'd array (free() it), *n_efforts long
 * @return 0, or -1 when out of memory.
 */
int bm_recording_session(const struct bm_recording *r, const char *station, int64_t athlete_id,
                         struct bm_store_session *s, struct bm_store_effort **efforts,
                         size_t *n_efforts);

/** The store's key of a recording: its CSV's file name, "NAME.csv". */
void bm_recording_key(const char *name, char *out, size_t len);

/**
 * This machine's name for the store (the host name, at most
 * BM_STORE_STATION_MAX bytes; "station" when it has none).
 */
void bm_recording_station(char *out, size_t len);

/**
 * Where bridgemon keeps its data: $XDG_DATA_HOME/bridgemon, else
 * ~/.local/share/bridgemon (created if missing).
 * @return 0, or -1 with a one-line @p msg.
 */
int bm_records_data_dir(char *out, size_t len, char *msg, size_t msg_len);

/** The local calendar date of @p epoch_s as "YYYY-MM-DD" ("" for NaN). */
void bm_records_date(double epoch_s, char *out, size_t len);

#endif
