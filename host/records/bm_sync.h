/*
 * bm_sync.h - the recordings folder into the store: the store is the index
 * of the recordings (history --athlete asks it, the clinic's desk reads it),
 * the folder is the truth.
 *
 * A sync uploads every recording of the folder that the store does not have
 * yet under this station's name (key: station = host name, recording = the
 * CSV's file name): its session row (bm_recording.h says what the numbers
 * are), its efforts (holds and reps from the summary) and its athlete (the
 * sidecar's name, created in the store when new).  A recording needs its
 * CSV and its summary; the caller runs crash recovery first
 * (bm_recover.h) so that an unfinished one has a summary.  Demo recordings
 * are uploaded too, marked demo: readers leave them out unless asked.
 *
 * A rebuild deletes every session of the store (bm_store_session_delete_all)
 * and uploads every recording again, in one transaction: the same files give
 * the same rows.  Athletes and pain entries stay; the pain log
 * (bm_painlog.h) puts back any entry the store lacks, on a sync as on a
 * rebuild.
 *
 * Nothing is lost when the database goes away: the files stay, and
 * bm_sync_waiting() says how many recordings this machine has not yet
 * uploaded to that address (a small ledger in the data folder lists what
 * the last sync confirmed, under a hash of the address: no password is
 * written to disk).
 */
#ifndef BM_SYNC_H
#define BM_SYNC_H

#include <stddef.h>

#include "bm_store.h"

struct bm_sync_opts {
	const char *dir;           /**< the recordings folder (must not be NULL) */
	const char *station;       /**< NULL: this machine's host name */
	const char *address;       /**< the store address as given (NULL: the
	                                default); names the ledger */
	const char *pain_log;      /**< NULL: the default log; "": none */
	int rebuild;               /**< delete every session first */
};

/** What a sync did.  Free with bm_sync_result_free(). */
struct bm_sync_result {
	size_t recordings;         /**< recordings of the folder (CSV + summary) */
	size_t uploaded;           /**< inserted now */
	size_t already;            /**< in the store before */
	size_t failed;             /**< left out: a bad summary or sidecar, a
	                                value the store refused */
	size_t waiting;            /**< not uploaded: the store went away */
	size_t deleted;            /**< rebuild: sessions deleted first */
	size_t athletes_created;
	size_t pain_restored;      /**< entries put back from the pain log */
	char **problems;           /**< one line each, naming the file */
	size_t n_problems;
	int stopped;               /**< a store error ended the sync early */
	char stop_msg[600];        /**< its one-line message */
};

/**
 * Sync (or rebuild) @p o->dir into @p st.
 * @return BM_STORE_OK, or the store error that stopped it (res->stop_msg;
 *         BM_STORE_ERR_UNAVAILABLE: res->waiting recordings wait).
 *         Recordings that could not be read are counted in res->failed
 *         and named in res->problems; they do not stop the sync.
 */
int bm_sync_run(struct bm_store *st, const struct bm_sync_opts *o, struct bm_sync_result *res);

void bm_sync_result_free(struct bm_sync_result *res);

/**
 * How many recordings of @p dir were not uploaded to @p address (NULL: the
 * default store) by the last sync this machine ran: for the message when
 * the database cannot be reached.
 */
size_t bm_sync_waiting(const char *dir, const char *address);

#endif
