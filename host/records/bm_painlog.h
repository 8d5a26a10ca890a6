/*
 * bm_painlog.h - the pain log: every pain score typed in with `bridgemon
 * pain`, appended to a plain CSV file, $XDG_DATA_HOME/bridgemon/pain-log.csv.
 *
 * The store keeps pain entries too, but a database can be lost or rebuilt;
 * what a person typed cannot be measured again.  So the log is written
 * first, one line per score, and a rebuild or a sync puts back into the
 * store the entries it does not have.  One line:
 *
 *     epoch_s,local_time,when,score,athlete
 *     1780300800,2026-06-01T12:00:00+0200,after,4,"Ann ""Annie"" Lee"
 *
 * (when: before, after or next_morning; score 0-10; the athlete's name in
 * double quotes, a quote in it doubled).  Lines are appended with one
 * write() each, so two programs appending at once do not mix their lines;
 * a line cut short by a crash is reported when read and skipped.
 */
#ifndef BM_PAINLOG_H
#define BM_PAINLOG_H

#include <stddef.h>
#include <stdint.h>

#include "bm_store.h"

/** Return codes: 0 ok, negatives are errors (msg says why, one line). */
enum bm_painlog_result {
	BM_PAINLOG_OK = 0,
	BM_PAINLOG_ERR_IO = -1,      /**< cannot read, create or write the log */
	BM_PAINLOG_ERR_ARG = -2,     /**< a score outside 0-10, a name with a
	                                  control character or too long */
	BM_PAINLOG_ERR_NOMEM = -3,
};

struct bm_painlog_entry {
	int64_t epoch_s;
	enum bm_store_pain_when when;
	double score;                 /**< 0..10 */
	char athlete[BM_STORE_NAME_MAX + 1];
};

/** The log's path (its folder created if missing).  0, or -1 with @p msg. */
int bm_painlog_path(char *out, size_t len, char *msg, size_t msg_len);

/** Append @p e to the log at @p path (created with its header line). */
int bm_painlog_append(const char *path, const struct bm_painlog_entry *e, char *msg,
                      size_t msg_len);

/** The entries of a log, and what could not be read. */
struct bm_painlog {
	size_t n;
	struct bm_painlog_entry *items;
	size_t bad_lines;             /**< lines left out */
	char first_bad[600];          /**< "FILE:LINE: reason" of the first one */
};

/**
 * Read the log at @p path.  A log that does not exist is empty (OK); a bad
 * line is left out and counted, the rest is read.
 * @return BM_PAINLOG_OK, BM_PAINLOG_ERR_IO (not a regular file, cannot be
 *         read), BM_PAINLOG_ERR_NOMEM.
 */
int bm_painlog_read(const char *path, struct bm_painlog *out, char *msg, size_t msg_len);
void bm_painlog_free(struct bm_painlog *l);

/** The pain model's zone of @p score with its range, e.g. "acceptable
 *  (above 2, up to 5)" (bm_pain.h); "unknown" for NaN. */
const char *bm_painlog_zone_text(double score);

#endif
