/*
 * bm_analysis.h - a recording in, its report out: the session CSV (and its
 * sidecar, when there is one) through the signal chain, the way `bridgemon
 * analyze` reads it.  The live pipeline uses the same function when it must
 * describe a file as written (a recording cut short by a full disk), and
 * start-up uses it to rebuild the summary of a recording that was never
 * finished (a crash, kill -9), so every number about a recording comes
 * from one place.
 *
 * Reading and analysing run on two threads: one parses the CSV into blocks
 * of rows, the other runs the signal chain on them.  Parsing is about half
 * of the work, so on two cores a long file takes about half the time; the
 * chain stays single-threaded and the result is the same, row for row.
 *
 * The sidecar (FILE.meta.json, bm_meta.h) adds what the rows cannot say:
 * stretches that do not count (a plate being calibrated: events overlapping
 * them are left out and counted), the calibration and its changes, and
 * whether the data is the demo athlete's.
 */
#ifndef BM_ANALYSIS_H
#define BM_ANALYSIS_H

#include <stddef.h>

#include "bm_report.h"
#include "bm_session.h"

/** Return codes: 0 ok, negatives are errors (msg says why, one line). */
enum bm_analysis_result {
	BM_ANALYSIS_OK = 0,
	BM_ANALYSIS_ERR_INPUT = -1,  /**< unreadable or malformed file or sidecar */
	BM_ANALYSIS_ERR_NOMEM = -2,
};

struct bm_analysis_opts {
	struct bm_session_params sp;
	double asym_threshold_pct;   /**< flag above this (10 %) */
	int skip_backwards;          /**< leave out rows whose time does not increase */
	int use_meta;                /**< read FILE.meta.json when present (1) */
};

void bm_analysis_opts_default(struct bm_analysis_opts *o);

/** What a caller may want to tell the user about the reading. */
struct bm_analysis_notes {
	unsigned long skipped_rows;  /**< rows out of time order, left out */
	unsigned long first_skipped_line;
	int truncated;               /**< the last line was cut short, left out */
	int meta_found;              /**< a sidecar was read */
	char meta_note[600];         /**< a warning about the sidecar, or "" */
};

/**
 * Analyse @p path ("-": standard input, no sidecar).  @p rep is filled (free
 * with bm_report_free()) and @p notes says what was left out.
 * @return BM_ANALYSIS_OK, or an error with a one-line @p msg naming the file
 *         (and line, for a malformed row).
 */
int bm_analysis_run(const char *path, const struct bm_analysis_opts *o, struct bm_report *rep,
                    struct bm_analysis_notes *notes, char *msg, size_t msg_len);

#endif
