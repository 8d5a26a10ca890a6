/*
 * bm_meta.h - the sidecar of a recording: FILE.meta.json beside FILE.csv.
 *
 * The session CSV holds a header row and data rows only, so that pandas,
 * R's read.csv and a spreadsheet open it with no options.  Everything else
 * a reader needs to trust the numbers lives here: where the data came from
 * (a board, the demo athlete: a demo recording is marked as such), the
 * sample rate, the start time, the calibration in force and every change
 * of it (from which sample on), the stretches that do not count (a plate
 * being calibrated), the stretches of missing data and why, and the
 * session's context (athlete, exercise, angles, protocol, notes, pain).
 *
 * The file is written whole (temporary file, then rename) when the
 * recording starts and again at every change, so that a crash or a pulled
 * plug leaves a sidecar that describes everything up to the last change;
 * "closed" turns true at a clean stop.
 *
 * Reading range-checks every number: a hostile or damaged file gives one
 * line naming the file and the key, never a hang or a wild value.
 */
#ifndef BM_META_H
#define BM_META_H

#include <stddef.h>

#include "bm_calib.h"

/** Return codes: 0 ok, negatives are errors (msg says why). */
enum bm_meta_result {
	BM_META_OK = 0,
	BM_META_ERR_IO = -1,       /**< cannot read or write the file */
	BM_META_ERR_FORMAT = -2,   /**< not a sidecar, or a value out of range */
	BM_META_ERR_NOMEM = -3,
	BM_META_NOT_FOUND = -4,    /**< no sidecar beside the CSV */
};

/** A calibration in force from @p from_t_s on (NaN: from the start). */
struct bm_meta_calib {
	double from_t_s;
	struct bm_calib cal;
};

/** A stretch whose efforts do not count (a plate being calibrated). */
struct bm_meta_interval {
	double from_t_s, to_t_s;   /**< to_t_s NaN while still open */
	char why[48];
};

/** Data missing before @p before_t_s. */
struct bm_meta_gap {
	double before_t_s;
	long samples_lost;         /**< -1 when not known (a disconnect) */
	char why[80];
};

/** The session's context, as the user gave it. */
struct bm_meta_context {
	char athlete[128];         /**< display name, "" for none */
	char athlete_id[40];       /**< the store's id as text, "" for none */
	char injured_side[8];      /**< left, right, both, none; "" unknown */
	double body_mass_kg;       /**< NaN: not given */
	char exercise[32];         /**< double_leg, single_leg_left, single_leg_right,
	                                long_lever, custom; "" unknown */
	double knee_angle_deg, hip_angle_deg; /**< NaN: not given */
	char protocol[64];
	char notes[512];
	double pain_before, pain_after; /**< 0-10, NaN: not asked */
};

/** The whole sidecar.  Owns its arrays: free with bm_meta_free(). */
struct bm_meta {
	char bridgemon[16];        /**< version that wrote it */
	char source[16];           /**< board, demo, replay, simulate, import */
	int demo;                  /**< simulated data: never counted as work */
	char device[256];          /**< port and firmware, or "demo athlete" */
	char board_id[16];         /**< hex, "" when none */
	double sample_rate_hz;     /**< nominal, NaN unknown */
	double rest_n[2];          /**< each leg's resting level as the source
	                                knows it (a device that tares itself
	                                before a test reads 0 at rest); NaN:
	                                unknown, the analysis finds it */
	char start_time[40];       /**< ISO 8601 with offset */
	double start_epoch_s;      /**< NaN unknown */
	int closed;                /**< the recording ended cleanly */
	struct bm_meta_calib *cal; /**< [0] the initial one, then changes */
	size_t n_cal;
	struct bm_meta_interval *excluded;
	size_t n_excluded;
	struct bm_meta_gap *gaps;
	size_t n_gaps;
	struct bm_meta_context ctx;
	char origin[512];          /**< imports: the file it came from */
};

/** Empty sidecar: nothing known (NaN numbers, empty strings). */
void bm_meta_init(struct bm_meta *m);

/** Free the arrays (the struct is then empty, as after init). */
void bm_meta_free(struct bm_meta *m);

/** Append a calibration change (copied).  0, or -1 out of memory. */
int bm_meta_add_calib(struct bm_meta *m, double from_t_s, const struct bm_calib *cal);

/** Open an excluded stretch (to_t_s NaN) or close the open one.  0 or -1. */
int bm_meta_exclude_begin(struct bm_meta *m, double from_t_s, const char *why);
void bm_meta_exclude_end(struct bm_meta *m, double to_t_s);

/** Append a gap.  0, or -1 out of memory. */
int bm_meta_add_gap(struct bm_meta *m, double before_t_s, long samples_lost, const char *why);

/** 1 when [a, b] overlaps an excluded stretch (an open one runs on). */
int bm_meta_is_excluded(const struct bm_meta *m, double a_s, double b_s);

/** The sidecar's name for @p csv: FILE.csv -> FILE.meta.json. */
void bm_meta_path(const char *csv, char *out, size_t len);

/**
 * Write @p m to @p path whole (temporary file, fsync, rename).
 * @return BM_META_OK or BM_META_ERR_IO / _NOMEM with a one-line @p msg.
 */
int bm_meta_write(const char *path, const struct bm_meta *m, char *msg, size_t msg_len);

/** The JSON text of @p m (malloc'd, NUL-terminated; free() it), or NULL. */
char *bm_meta_to_json(const struct bm_meta *m);

/**
 * Read @p path into @p m (initialised here; free with bm_meta_free()).
 * @return BM_META_OK, BM_META_NOT_FOUND, BM_META_ERR_IO, BM_META_ERR_FORMAT
 *         (msg names the file and the key), BM_META_ERR_NOMEM.
 */
int bm_meta_read(const char *path, struct bm_meta *m, char *msg, size_t msg_len);

/** The same from text (for the fuzz target); @p name is what messages call it. */
int bm_meta_parse(const char *text, size_t len, const char *name, struct bm_meta *m, char *msg,
                  size_t msg_len);

struct bm_csv_reader;

/**
 * The nominal sample rate of the recording @p csv_path read by @p rd: the
 * sidecar's, else the `# sample_rate_hz:` line of a recording of an earlier
 * version, else 0 (unknown: the chain estimates it from the rows).
 * @return 0 with *rate_hz set, or BM_META_ERR_FORMAT with a one-line @p msg
 *         (a rate that is not a number from 0.1 to 100000 Hz, a damaged
 *         sidecar).
 */
int bm_meta_recording_rate(const char *csv_path, const struct bm_csv_reader *rd, double *rate_hz,
                           char *msg, size_t msg_len);

#endif
