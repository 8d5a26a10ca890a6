/*
 * bm_import.h - other devices' recordings in bridgemon's format: a Tindeq
 * Progressor export, or any CSV of time and force with a column mapping,
 * becomes a session CSV (bm_csv.h) and its sidecar (bm_meta.h) that
 * `analyze` and `replay` read like a recording of our own.
 *
 * Tindeq Progressor exports (the app's CSV): a `time,weight` header (time in
 * s from the start of the test, weight in kg from a tared single load cell),
 * sometimes below a block the app writes about the test: a `date,tag,
 * comment,unit,...` line and its values (date as YYYY-DD-MM hh:mm:ss), or
 * per-set ",Avg,Rep 1" / "Avg,..." / "Peak,..." / "," lines.  A folder of
 * sets has an `info.csv` beside the data_set_N.csv files with the protocol
 * (reps, work, pauses, sets) and the unit.  One sensor is one leg; the
 * other leg's cells stay empty (missing), never made up.
 *
 * Any other CSV needs the mapping: which column is time (seconds) and which
 * the left and right force, by header name or 1-based index, and the unit
 * of force (kg and lbf are converted to newtons with 9.80665 N/kg and
 * 4.4482216 N/lbf).  Lines starting with '#' are comments; a file whose
 * header is separated by ';' or tabs may write decimals with a comma.
 *
 * What is repaired, and said: rows at the start whose time goes backwards
 * (some exports begin with a few stale rows) are left out and counted: of
 * the first BM_IMPORT_START_ROWS rows, the fewest are dropped so that the
 * rest increase (the longest increasing run of rows ending at the last of
 * them).  After that, time must increase.  Rows missing from the export
 * (about one in 16 for a Tindeq) are not invented: the steps stay uneven
 * and `analyze` fills short holes; stretches longer than
 * BM_IMPORT_GAP_S are listed in the sidecar as gaps.  A last line cut short
 * is left out and said.  Everything else wrong (a cell that is not a
 * number, a missing column, an unknown unit, time not increasing, no rows)
 * stops the import with one line naming the file, the line and the reason.
 *
 * The sample rate in the sidecar is 1 / the median time step, which the
 * missing rows do not move.
 */
#ifndef BM_IMPORT_H
#define BM_IMPORT_H

#include <stddef.h>

#include "bm_meta.h"

/** Return codes: 0 ok, positives are outcomes, negatives are errors (msg
 *  says why, one line). */
enum bm_import_result {
	BM_IMPORT_OK = 0,
	BM_IMPORT_EOF = 1,          /**< reader: no more rows (not an error) */
	BM_IMPORT_SUMMARY = 2,      /**< the file is a Tindeq info.csv (the app's
	                                 test summary, no rows): nothing to import */
	BM_IMPORT_ERR_INPUT = -1,   /**< the input cannot be opened or read */
	BM_IMPORT_ERR_FORMAT = -2,  /**< malformed input: "FILE:LINE: reason" */
	BM_IMPORT_ERR_OUTPUT = -3,  /**< an output file exists, or cannot be written */
	BM_IMPORT_ERR_NOMEM = -4,
	BM_IMPORT_ERR_ARG = -5,     /**< options that cannot go together */
};

/** Rows at the start among which backward times are repaired. */
#define BM_IMPORT_START_ROWS 64
/** Missing data longer than this is listed in the sidecar as a gap (the
 *  chain's own gap_split_s default: shorter holes are filled). */
#define BM_IMPORT_GAP_S 0.5

#define BM_IMPORT_N_PER_KG 9.80665
#define BM_IMPORT_N_PER_LBF 4.4482216

enum bm_import_unit {
	BM_IMPORT_UNIT_UNKNOWN = 0,  /**< not given: a Tindeq export says it */
	BM_IMPORT_UNIT_KG,
	BM_IMPORT_UNIT_N,
	BM_IMPORT_UNIT_LBF,
};

struct bm_import_opts {
	const char *time_col;        /**< name or 1-based index; NULL: Tindeq's "time" */
	const char *leg_col[2];      /**< left, right; NULL: none (a Tindeq's weight
	                                  goes to sensor_leg) */
	enum bm_import_unit unit;    /**< UNKNOWN: from the export (Tindeq: its
	                                  header or info.csv; kg when it says nothing) */
	int sensor_leg;              /**< 0 left, 1 right: the leg of a single-sensor export */
	double rest_n;               /**< added to every force read, N (0): the
	                                  resting load a plate tared empty would
	                                  have shown */
	const char *athlete;         /**< context.athlete, or NULL */
	const char *version;         /**< the program's version for the sidecar's
	                                  "bridgemon" key, or NULL */
};

void bm_import_opts_default(struct bm_import_opts *o);

/** "kg", "N", "lbf" (any case) to a unit; UNKNOWN for anything else. */
enum bm_import_unit bm_import_unit_parse(const char *text);

/** Newtons per unit (1 for N, 0 for UNKNOWN). */
double bm_import_unit_n(enum bm_import_unit u);

/** The unit's name: "kg", "N", "lbf", or "?". */
const char *bm_import_unit_name(enum bm_import_unit u);

/** What an import found.  Filled by bm_import_reader_info(); the counts
 *  are final after the reader returned BM_IMPORT_EOF. */
struct bm_import_info {
	int tindeq;                  /**< a Tindeq Progressor export */
	char device[48];             /**< "Tindeq Progressor export" or "imported CSV" */
	char mapping[400];           /**< columns and unit, e.g. "time='time' (column 1) s,
	                                  left='weight' (column 2) kg, right=none" */
	enum bm_import_unit unit;
	double start_epoch_s;        /**< NaN: not known */
	char start_time[40];         /**< ISO 8601 with offset, "" unknown */
	char app_summary[400];       /**< the app's own account of the test
	                                  (info.csv, Avg/Peak or max/avg), "" none */
	int app_reps, app_sets;      /**< from info.csv; 0 unknown */
	unsigned long rows;          /**< rows handed out */
	unsigned long skipped_rows;  /**< rows at the start left out (time went back) */
	unsigned long first_skipped_line;
	int truncated;               /**< the last line was cut short and left out */
	double sample_rate_hz;       /**< 1 / median step; NaN with fewer than 2 rows */
	unsigned long holes;         /**< steps longer than 1.5 median steps */
	unsigned long rows_missing;  /**< rows those holes lack (estimated) */
	size_t gaps;                 /**< holes longer than BM_IMPORT_GAP_S */
	double first_t_s, last_t_s;
};

struct bm_import_reader;

/**
 * Open @p path, recognise it (a Tindeq export, its info.csv, or a CSV the
 * mapping in @p o describes) and read up to the first row.
 * @param out  set to the reader, or NULL.
 * @return BM_IMPORT_OK, BM_IMPORT_SUMMARY (a Tindeq info.csv: *out NULL),
 *         or an error with a one-line @p msg.
 */
int bm_import_reader_open(const char *path, const struct bm_import_opts *o,
                          struct bm_import_reader **out, char *msg, size_t msg_len);

/**
 * The next row: @p t_s in seconds on the file's scale, @p force_n left and
 * right in newtons (NaN: missing).
 * @return BM_IMPORT_OK, BM_IMPORT_EOF, or an error ("FILE:LINE: reason").
 */
int bm_import_reader_next(struct bm_import_reader *r, double *t_s, double force_n[2], char *msg,
                          size_t msg_len);

/** What the reader has found so far (final after BM_IMPORT_EOF). */
void bm_import_reader_info(const struct bm_import_reader *r, struct bm_import_info *info);

/**
 * The sidecar of the import (after BM_IMPORT_EOF): source "import", demo
 * false, closed, the device, rate, start time, origin (the input path and
 * the mapping), the gaps, the athlete and the app's summary as a note.
 * @p m is initialised here; free with bm_meta_free().  0, or -1 out of memory.
 */
int bm_import_reader_meta(const struct bm_import_reader *r, struct bm_meta *m);

/** Close and free (NULL is fine). */
void bm_import_reader_close(struct bm_import_reader *r);

/**
 * The output name for @p in_path, without folder and extension: the file's
 * name less ".csv", with the folder's name in front for a Tindeq set
 * ("repeaters_2023-04-30/data_set_1.csv" -> "repeaters_2023-04-30-data_set_1").
 * @return 0, or -1 when @p out is too small.
 */
int bm_import_output_name(const char *in_path, char *out, size_t len);

/**
 * Import @p in_path into @p out_csv and its sidecar (bm_meta_path()).
 * Neither is ever overwritten: either exists -> BM_IMPORT_ERR_OUTPUT and
 * nothing is written.  Written under a temporary name and put in place
 * whole, so a bad row on line 10000 leaves nothing behind.
 * @param info  filled with what was found (may be NULL).
 * @return BM_IMPORT_OK, BM_IMPORT_SUMMARY (nothing written), or an error
 *         with a one-line @p msg.
 */
int bm_import_file(const char *in_path, const char *out_csv, const struct bm_import_opts *o,
                   struct bm_import_info *info, char *msg, size_t msg_len);

#endif
