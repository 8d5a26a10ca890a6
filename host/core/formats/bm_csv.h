/*
 * bm_csv.h - the session CSV: what users export, and what `analyze` reads.
 *
 * Writer: a header row, then one row per sample, and nothing else, so that
 * pandas, R's read.csv and a spreadsheet open it with no options; what a
 * reader needs beyond the rows (device, rate, calibration and its changes,
 * gaps, context) is in the sidecar FILE.meta.json (bm_meta.h).  Rows are
 * written as samples arrive and handed to the kernel at least once a
 * second, so a crash or a pulled plug loses at most the last second; a full
 * disk stops the file at the last complete row (bm_csv_writer_error()).
 *
 * Reader contract (documented in README.md): lines starting with `#` are
 * skipped (recordings of earlier versions carry their metadata and gaps in
 * such lines; bm_csv_reader_meta() gives them); the first other line is a
 * header naming the columns; `t_s` (seconds), `left_n` and `right_n`
 * (newtons) are required, in any order; other columns are ignored, except
 * that the raw/seq/flags columns this writer produces are read back when
 * present; an empty cell is a missing sample.  A last line cut short (no
 * line ending, not a whole row) is left out and reported.  Any other
 * problem (a cell that is not a number, time going backwards, a missing
 * column) stops reading with one message naming file, line and reason.
 */
#ifndef BM_CSV_H
#define BM_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bm_protocol.h"

/** Largest |t_s| a row may have: 1e12 s (31,700 years).  Epoch times are
 *  about 1.8e9 s; anything beyond is not a time, and would make durations
 *  no summary can carry (bm_summary.h reads up to 2 x this). */
#define BM_CSV_MAX_T_S 1e12

/** Return codes of this module: 0 ok, negatives are errors. */
enum bm_csv_result {
	BM_CSV_OK = 0,
	BM_CSV_EOF = 1,            /**< reader: no more rows (not an error) */
	BM_CSV_ERR_IO = -1,        /**< open/read/write failed; message says why */
	BM_CSV_ERR_FORMAT = -2,    /**< malformed file; message names line and reason */
	BM_CSV_ERR_NOMEM = -3,
	BM_CSV_SKIP = 2,           /**< internal: a row left out (never returned) */
};

/** One row.  Missing force values are NaN. */
struct bm_csv_row {
	double t_s;                   /**< seconds, on the file's own scale */
	double force_n[BM_NCHAN];     /**< newtons; NaN = missing sample */
	int32_t raw_counts[BM_NCHAN]; /**< valid when has_raw */
	uint8_t flags[BM_NCHAN];      /**< bm_chan_flag bits, valid when has_raw */
	uint16_t seq;                 /**< valid when has_raw */
	int has_raw;                  /**< the file carries raw/seq/flags columns */
	int has_flags;                /**< flags is valid (has_raw, or the flags
	                                   columns in a forces-only read) */
};

/** A message about a file: "FILE:LINE: reason", one line, no newline. */
struct bm_csv_error {
	char msg[512];
};

/* ---- writer ---- */

struct bm_csv_writer;

/**
 * Create @p path (refusing to overwrite an existing file, or to follow a
 * link in its place) and write the header.  The writer holds an advisory
 * flock(LOCK_EX) on the file until it is closed, so that others can tell a
 * recording in progress from one a crash left unfinished.
 * @param out    set to the writer, or NULL on error.
 * @param err    filled on error (may be NULL).
 * @return BM_CSV_OK, BM_CSV_ERR_IO, BM_CSV_ERR_NOMEM.
 */
int bm_csv_writer_open(const char *path, struct bm_csv_writer **out, struct bm_csv_error *err);

/** A writer to an already open stream (tests; stdout).  The stream is not
 *  closed by bm_csv_writer_close(). */
int bm_csv_writer_from_stream(FILE *f, struct bm_csv_writer **out);

/** Append one sample row.  Hands the rows to the kernel when a second of
 *  t_s has passed since the last time.  BM_CSV_ERR_IO once a write has
 *  failed (sticky; the file ends at the last complete row). */
int bm_csv_write_row(struct bm_csv_writer *w, const struct bm_csv_row *row);

/**
 * Round @p row's time and forces exactly as bm_csv_write_row() writes them
 * (and the reader reads them back), so a pipeline fed with the result sees
 * what a later reader of the file will see, bit for bit.
 */
void bm_csv_row_as_written(struct bm_csv_row *row);


/** Flush to the kernel now (and fsync when @p durable). */
int bm_csv_writer_flush(struct bm_csv_writer *w, int durable);

/** 0, or the errno of the first write that failed (ENOSPC: the disk is
 *  full); the file then ends at the last complete row. */
int bm_csv_writer_error(const struct bm_csv_writer *w);

/** Flush, fsync and close; frees @p w (NULL is fine). */
int bm_csv_writer_close(struct bm_csv_writer *w, struct bm_csv_error *err);

/* ---- reader ---- */

struct bm_csv_reader;

/**
 * Open @p path ("-" reads standard input) and read up to the header row.
 * @return BM_CSV_OK, BM_CSV_ERR_IO, BM_CSV_ERR_FORMAT (no header, missing
 *         required column), BM_CSV_ERR_NOMEM; @p err says which.
 */
int bm_csv_reader_open(const char *path, struct bm_csv_reader **out,
                       struct bm_csv_error *err);

/**
 * The same on an open stream (not closed by bm_csv_reader_close()); @p name
 * is what messages call it.
 */
int bm_csv_reader_from_stream(FILE *f, const char *name, struct bm_csv_reader **out,
                              struct bm_csv_error *err);

/**
 * Next data row.
 * @return BM_CSV_OK with @p row filled, BM_CSV_EOF at the end, or an error
 *         with @p err filled ("FILE:LINE: reason").
 */
int bm_csv_reader_next(struct bm_csv_reader *r, struct bm_csv_row *row,
                       struct bm_csv_error *err);

/**
 * Read only what analysis needs from now on: time, forces and the channel
 * flags (a saturated or not-ready sample is not a reading); the raw counts
 * and sequence numbers are skipped unparsed, as any other column.  Faster
 * on long files.
 */
void bm_csv_reader_forces_only(struct bm_csv_reader *r);

/** Value of a `# key: value` metadata line seen before the header, or NULL. */
const char *bm_csv_reader_meta(const struct bm_csv_reader *r, const char *key);

/** Line number of the row last returned (1-based, counting every line). */
unsigned long bm_csv_reader_line(const struct bm_csv_reader *r);

/** From now on, leave out rows whose time is not after the previous row's
 *  (some devices' exports begin with such rows) instead of failing. */
void bm_csv_reader_skip_backwards(struct bm_csv_reader *r);

/** Rows left out by bm_csv_reader_skip_backwards(), and the line of the
 *  first of them (@p first_line may be NULL). */
unsigned long bm_csv_reader_skipped(const struct bm_csv_reader *r, unsigned long *first_line);

/** 1 when the last line of the file was cut short (no line ending, and
 *  not a whole row: a power cut or a kill mid-write) and was left out;
 *  bm_csv_reader_next() then returned BM_CSV_EOF instead of an error. */
int bm_csv_reader_truncated(const struct bm_csv_reader *r);

/** Close and free (NULL is fine). */
void bm_csv_reader_close(struct bm_csv_reader *r);

#endif
