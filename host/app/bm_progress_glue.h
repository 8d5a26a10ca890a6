/*
 * bm_progress_glue.h - the window's progress view (key p) filled from the
 * records.  The view draws plain data (struct bm_view_progress, bm_view.h)
 * and never sees the store; here the athlete's history (bm_history.h) and
 * the return-to-run checklist (bm_progress.h: the same path as the report's
 * progress page) become that data.  Nothing is computed here.
 *
 * Loading syncs this machine's recordings folder into the store first
 * (bm_sync.h), as `history --athlete` does, so every open shows the
 * sessions saved so far, those of this run included.  No crash recovery
 * runs: a recording still being written has no summary yet and is simply
 * not there until it is stopped.  Demo recordings are left out, as history
 * leaves them out by default.
 *
 * Ownership: everything is copied into the caller's struct; nothing is
 * kept.  Units as in bm_view.h: N above rest, %, pain 0-10, Unix seconds.
 */
#ifndef BM_PROGRESS_GLUE_H
#define BM_PROGRESS_GLUE_H

#include "bm_history.h"
#include "bm_readiness.h"
#include "bm_store.h"
#include "bm_view.h"

/** The one line shown without an athlete. */
#define BM_PROGRESS_NO_ATHLETE "no athlete: start with --athlete NAME to see progress"

/**
 * Fill @p out from history @p h: the latest BM_VIEW_PROGRESS_MAX sessions
 * (dates, best hold per leg, LSI on peak force, pain after, else before),
 * the LSI mark at the checklist's threshold, and the checklist's four
 * items and verdict with their numbers.  @p out is cleared first.
 * @param rp  thresholds; NULL: bm_readiness_params_default()
 * @return 0, or -1 (out of memory, or thresholds bm_readiness refuses);
 *         then @p out holds a one-line message instead.
 */
int bm_progress_glue_fill(const struct bm_history *h, const struct bm_readiness_params *rp,
                          struct bm_view_progress *out);

/**
 * Sync @p dir into @p st (NULL @p dir: no sync), build the history of
 * @p name and fill @p out.  When that cannot be done, @p out holds a title
 * and a one-line message saying what is needed: no athlete (@p name NULL:
 * BM_PROGRESS_NO_ATHLETE), no store (@p st NULL), or the store's error.
 * A sync that stopped or left recordings out is said in out->remark, and
 * the store's sessions are still shown.
 * @param db  the store's address as given (NULL: the default), for the
 *            sync's ledger
 * @param rp  thresholds; NULL: the defaults
 */
void bm_progress_glue_load(struct bm_store *st, const char *db, const char *dir,
                           const char *name, const struct bm_readiness_params *rp,
                           struct bm_view_progress *out);

#endif
