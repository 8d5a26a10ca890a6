/*
 * bm_recover.h - recordings that were never finished: a CSV without its
 * summary, left by a crash, kill -9 or a power cut while recording.
 *
 * The CSV is the truth and is written as samples arrive, so everything up
 * to the last second is there; only the companions written at stop
 * (NAME.events.csv, NAME.summary.json) are missing.  bm_recover_dir() finds
 * such recordings in a folder and rebuilds both with bm_analysis_run(),
 * exactly as `analyze` would (a last line cut short by the crash is left
 * out and said so).  The files are created exclusively (bm_write_file_new):
 * nothing is ever replaced, and the recording itself is never touched.
 *
 * Nothing is fixed silently: the caller gets the list and tells the user
 * ("rebuilt the summary of X (the recording was not closed)").
 *
 * A recording still being written is left alone: the CSV writer holds an
 * advisory lock (flock) on the file while it is open (bm_csv.h), so a
 * locked CSV is a recording in progress, and a lock that vanished with its
 * process is a crash.  A recording whose sidecar says it closed cleanly but
 * whose summary is not there yet is being finished right now when it
 * changed less than settle_s ago; it is left for the recorder to complete.
 * A recording of another device (sidecar "source": "import") has no summary
 * by design and is passed over.
 */
#ifndef BM_RECOVER_H
#define BM_RECOVER_H

#include <stddef.h>

#include "bm_recording.h"

/** Return codes of bm_recover_dir(): 0 ok, negatives are errors. */
enum bm_recover_result {
	BM_RECOVER_OK = 0,
	BM_RECOVER_ERR_DIR = -1,     /**< the folder cannot be read */
	BM_RECOVER_ERR_NOMEM = -2,
};

/** What happened to one recording. */
enum bm_recover_status {
	BM_RECOVER_REBUILT = 0,      /**< summary (and events) written */
	BM_RECOVER_FAILED = 1,       /**< could not be analysed or written: why */
};

/** Why the summary was missing, as far as the sidecar tells. */
enum bm_recover_cause {
	BM_RECOVER_NOT_CLOSED = 0,   /**< sidecar: "closed": false (a crash) */
	BM_RECOVER_NO_SIDECAR = 1,   /**< an earlier version's recording */
	BM_RECOVER_CLOSED = 2,       /**< closed cleanly, summary lost since */
};

struct bm_recover_item {
	char csv[BM_RECORDING_PATH_MAX];
	enum bm_recover_status status;
	enum bm_recover_cause cause;
	int truncated;               /**< a cut-short last line was left out */
	int events_kept;             /**< NAME.events.csv was there and kept */
	char why[600];               /**< FAILED: the reason, one line */
};

struct bm_recover_list {
	size_t n;
	struct bm_recover_item *items;
};

struct bm_recover_opts {
	/** A cleanly closed recording without a summary that changed less
	 *  than this long ago is being finished: left alone (30 s). */
	double settle_s;
};

void bm_recover_opts_default(struct bm_recover_opts *o);

/**
 * Rebuild the missing summaries in @p dir (see the top).
 * @param o    NULL: the defaults
 * @param out  the recordings acted on, in name order (free with
 *             bm_recover_list_free(), whatever the result)
 * @return BM_RECOVER_OK (even when some items FAILED), or an error with a
 *         one-line @p msg.
 */
int bm_recover_dir(const char *dir, const struct bm_recover_opts *o, struct bm_recover_list *out,
                   char *msg, size_t msg_len);

/** Rebuild the summary of one recording @p csv (no checks for locks or
 *  age: the caller knows it is finished).  @p it says what happened.
 *  @return 0 rebuilt, -1 failed (it->why). */
int bm_recover_one(const char *csv, struct bm_recover_item *it);

void bm_recover_list_free(struct bm_recover_list *l);

/** One line for the user: "rebuilt the summary of X (the recording was
 *  not closed)", or "cannot rebuild the summary of X: why". */
void bm_recover_describe(const struct bm_recover_item *it, char *out, size_t len);

#endif
