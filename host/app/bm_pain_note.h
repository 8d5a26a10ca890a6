/*
 * bm_pain_note.h - where a pain score a person types goes, for `bridgemon
 * pain` and the window alike.
 *
 * A score typed in cannot be measured again, so it is written to the pain
 * log first (bm_painlog.h: a plain file a sync puts back into the store),
 * then to the store.  The pain model's advice (bm_pain.h) needs the three
 * scores of one session's day: before and after (the day's entries, else
 * what the day's recordings noted) and the next morning (an entry dated
 * the day after).  The window asks for the morning score at the next
 * start when the athlete's last session is on an earlier day, at most
 * BM_PAIN_NOTE_MORNING_DAYS ago, and has none.  A score typed after a
 * recording closed goes into its sidecar too, rewritten whole
 * (bm_meta_write: temporary file, fsync, rename), never half-written.
 */
#ifndef BM_PAIN_NOTE_H
#define BM_PAIN_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "bm_store.h"

/** The last session is asked about up to this many days later. */
#define BM_PAIN_NOTE_MORNING_DAYS 7

/**
 * Keep @p p (its athlete_id must be @p a's) of athlete @p a: the pain log
 * (under @p a's name as the store spells it), then the store.
 * @param log  the pain log's path (NULL: the default, bm_painlog_path())
 * @return 0 logged and stored; 1 logged, the store refused it (@p msg: the
 *         store's words); -1 not kept at all (@p msg says why).
 */
int bm_pain_note_keep(struct bm_store *st, const struct bm_store_athlete *a,
                      const struct bm_store_pain *p, const char *log, char *msg, size_t msg_len);

/**
 * The scores of the session day a score of @p when at @p epoch_s belongs
 * to (a next-morning score: the day before): s[BM_STORE_PAIN_BEFORE],
 * [AFTER], [NEXT_MORNING], NaN where there is none.
 * @param day  receives the day as "YYYY-MM-DD" (16 bytes; may be NULL)
 */
void bm_pain_note_day_scores(struct bm_store *st, int64_t athlete_id, int64_t epoch_s,
                             enum bm_store_pain_when when, double s[3], char *day);

/** The session a morning score is asked for. */
struct bm_pain_morning {
	int64_t session_epoch_s;  /**< its start */
	int days_ago;             /**< local calendar days before today (>= 1) */
	int64_t score_epoch_s;    /**< when to date the score: now when the
	                               session was yesterday, else noon of the
	                               day after the session */
	char station[BM_STORE_STATION_MAX + 1];     /**< the session's key */
	char recording[BM_STORE_RECORDING_MAX + 1];
	char label[48];           /**< "yesterday's session", "the session of 2026-12-01" */
};

/**
 * Is a morning score due at @p now_epoch_s for athlete @p athlete_id?  It
 * is when the athlete's latest session (demo ones left out) started on an
 * earlier local day, at most BM_PAIN_NOTE_MORNING_DAYS ago, and no
 * next-morning entry belongs to it (keyed to it, or dated the day after it).
 * @return 1 with @p out filled, 0 when not, or a negative store error.
 */
int bm_pain_note_morning_due(struct bm_store *st, int64_t athlete_id, double now_epoch_s,
                             struct bm_pain_morning *out);

/**
 * Set the pain scores of the recording @p csv_path in its sidecar
 * (FILE.meta.json; NaN leaves a score as it is), rewritten whole.
 * @return 0, or -1 with a one-line @p msg (no sidecar, unreadable, a write
 *         that failed: the old sidecar is then intact).
 */
int bm_pain_note_sidecar(const char *csv_path, double before, double after, char *msg,
                         size_t msg_len);

#endif
