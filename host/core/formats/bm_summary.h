/*
 * bm_summary.h - reading a recording's summary back: NAME.summary.json (the
 * `analyze --json` of the recording, written at stop by bm_report_write_json)
 * into the struct bm_report it was written from.
 *
 * Summaries are read by "hold time today", `bridgemon history`, the store's
 * sync and the paper report, from a folder anyone can drop files into.  So
 * the reader trusts nothing: it opens only regular files (with O_NONBLOCK,
 * so a FIFO under a summary's name cannot hang it), refuses files over
 * BM_SUMMARY_MAX_BYTES, parses with json-c, and range-checks every number
 * before it lands in a double or an integer (a negative or huge count is an
 * error, never a wrapped unsigned).  Every error is one line naming the file
 * and the key.
 *
 * What comes back is what the writer wrote, rounded as it was written: the
 * events (holds and reps, in start order), the bilateral pairs, the summary
 * numbers and the data-quality counters.  Keys written by later versions are
 * ignored; keys of earlier versions that are absent read as unknown (NaN, 0).
 * The onset threshold of each event is not in the file (NaN).
 */
#ifndef BM_SUMMARY_H
#define BM_SUMMARY_H

#include <stddef.h>

#include "bm_report.h"

/** Return codes: 0 ok, negatives are errors (msg says why, one line). */
enum bm_summary_result {
	BM_SUMMARY_OK = 0,
	BM_SUMMARY_ERR_IO = -1,      /**< cannot read the file */
	BM_SUMMARY_ERR_FORMAT = -2,  /**< not a summary: not JSON, not a regular
	                                  file, too large, a key missing or out
	                                  of range */
	BM_SUMMARY_ERR_NOMEM = -3,
	BM_SUMMARY_NOT_FOUND = -4,   /**< no such file */
};

/** Largest summary read (a day-long recording's is a few MB). */
#define BM_SUMMARY_MAX_BYTES (64u << 20)
/** Most holds, reps or bilateral pairs one summary may list. */
#define BM_SUMMARY_MAX_ITEMS 1000000u

/**
 * Read the summary at @p path into @p rep (emptied first; free with
 * bm_report_free() whatever the result).
 * @param text  when not NULL, receives the file's text (malloc'd,
 *              NUL-terminated; free() it), NULL on error.
 * @param msg   one line naming @p path on error (may be NULL).
 * @return BM_SUMMARY_OK, BM_SUMMARY_NOT_FOUND, BM_SUMMARY_ERR_IO,
 *         BM_SUMMARY_ERR_FORMAT or BM_SUMMARY_ERR_NOMEM.
 */
int bm_summary_read(const char *path, struct bm_report *rep, char **text, char *msg,
                    size_t msg_len);

/** The same from @p len bytes of text; @p name is what messages call it. */
int bm_summary_parse(const char *text, size_t len, const char *name, struct bm_report *rep,
                     char *msg, size_t msg_len);

/**
 * The whole of a small regular file (a summary, a sidecar, a log), opened
 * with O_NONBLOCK and refused unless it is a regular file of at most
 * @p max_bytes.  *@p out is malloc'd and NUL-terminated (free() it).
 * @return BM_SUMMARY_OK, BM_SUMMARY_NOT_FOUND, BM_SUMMARY_ERR_IO,
 *         BM_SUMMARY_ERR_FORMAT (not a regular file, too large),
 *         BM_SUMMARY_ERR_NOMEM; @p msg names the file.
 */
int bm_summary_slurp(const char *path, size_t max_bytes, char **out, size_t *len, char *msg,
                     size_t msg_len);

#endif
