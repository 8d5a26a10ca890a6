/*
 * bm_dose_live.h - the daily dose (bm_dose.h) of a live session's athlete:
 * where its sessions come from, and the words the window and the terminal
 * show ("today L 2:10 R 1:55 of 2–5 min · 7 days L 9:40 R 8:50 · every
 * second day: kept").
 *
 * The sessions are the athlete's stored ones (demo recordings left out),
 * with the hold time per leg the store keeps (the summary's hold_time_s:
 * analyze's), then the recordings this run of the program finished, and
 * the recording under way with the holds the monitor's counting chain has
 * committed (bm_monitor_state.session_hold_leg_s: the counting behind
 * "today", which at the stop is analyze's of the file).  So every number
 * shown is one analyze would give.
 *
 * Load-weighted seconds (bm_dose.h) per leg: each counted hold (at least
 * min_hold_s) weighs its seconds by its mean force above rest as a % of
 * the leg's MVIC, the single-leg MVIC for a single-leg hold and the
 * both-legs one otherwise (bm_mvic.h: no fallback between the two); a
 * session's load is its hold time times that weighted mean.  Without the
 * MVIC it needs, a leg's load is unknown (NaN); without hold time it is 0.
 *
 * Plain C over the store's lists and the detector's events: no I/O.
 */
#ifndef BM_DOSE_LIVE_H
#define BM_DOSE_LIVE_H

#include <stddef.h>

#include "bm_detect.h"
#include "bm_dose.h"
#include "bm_mvic.h"
#include "bm_store.h"

/**
 * The athlete's stored sessions as dose sessions, demo ones left out.
 * @param ss          the athlete's sessions (bm_store_session_list_athlete);
 *                    must not be NULL
 * @param ef          their efforts (bm_store_effort_list_athlete), for the
 *                    load; NULL: every load unknown
 * @param mvic        the athlete's MVIC (NULL: unknown)
 * @param min_hold_s  shortest hold that counts, s (bm_detect_params: 10)
 * @param out         set to a malloc'd array (free() it; NULL when empty)
 * @param n           set to its length
 * @return 0, or -1 out of memory (*out NULL, *n 0).
 */
int bm_dose_live_from_store(const struct bm_store_sessions *ss, const struct bm_store_efforts *ef,
                            const struct bm_mvic *mvic, double min_hold_s,
                            struct bm_dose_session **out, size_t *n);

/**
 * A recording as a dose session: started at @p epoch_s (seconds since
 * 1970), @p hold_s per leg (s) as the monitor counted them, the load from
 * its counted holds among @p ev (n events; NULL with 0: load unknown when
 * there is hold time).  @p out must not be NULL.
 */
void bm_dose_live_from_events(double epoch_s, const double hold_s[2], const struct bm_event *ev,
                              size_t n, const struct bm_mvic *mvic, struct bm_dose_session *out);

/** The words of a dose report, each a piece the window places apart. */
struct bm_dose_text {
	char today[128];   /**< "today L 2:10 R 1:55 of 2–5 min" */
	char week[96];     /**< "7 days L 9:40 R 8:50" */
	char rhythm[112];  /**< "every second day: kept", "... not kept (2 days in a row)" */
	char rhythm_short[96]; /**< the same in fewer words (the window's):
	                            "every second day: 2 days in a row" */
	char load[176];    /**< "load-weighted today L 1:31 R 1:20 · 7 days L 6:05 R 5:30" */
	char load_week[112]; /**< "load-weighted 7 days L 6:05 R 5:30" (the window's) */
};

/** Words of @p r made with @p p (NULL: the defaults).  Must not be NULL. */
void bm_dose_live_text(const struct bm_dose_report *r, const struct bm_dose_params *p,
                       struct bm_dose_text *t);

/** One line: today · week · rhythm (the terminal's, and README's). */
void bm_dose_live_line(const struct bm_dose_text *t, char *out, size_t len);

/** A duration as minutes and seconds, "2:10" (negative or NaN: "0:00"). */
void bm_dose_live_min_sec(double s, char *out, size_t len);

#endif
