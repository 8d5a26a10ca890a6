/*
 * bm_guided.h - a guided protocol in the live program: the rehab layer's
 * runner (host/rehab/bm_runner.h) fed from the live pipeline.
 *
 * Each frame the live pipeline's state goes in: the force above each leg's
 * resting level (ticks: the timer, the zone), a leg becoming loaded (an
 * effort begins), the live chain's finished efforts (an effort ends, with
 * its kind, times and forces above rest), and the board going away and
 * coming back.  Out come what the window and the terminal show: the
 * prompt, the countdowns, the timer toward the set's target, the zone band
 * per leg, cues, the lines a headless run prints, and at the end a summary
 * (and, for the MVIC test, the athlete's new best per leg).
 *
 * The protocol advances on detected efforts only: a hold let go at 20 s of
 * 45 is a set done for 20 s, never silently repeated.
 */
#ifndef BM_GUIDED_H
#define BM_GUIDED_H

#include <stddef.h>

#include "bm_monitor.h"
#include "bm_mvic.h"
#include "bm_runner.h"

struct bm_guided;

/**
 * A guided run of protocol @p key (an id or a name: built-ins "isometric",
 * "reps", "fatigue", "mvic", or a user file in the protocols folder) with
 * the athlete's @p mvic (NULL or all NaN: no zones; the MVIC test itself
 * needs none).  @p anchor_injured LEFT or RIGHT: both legs' zones are a %
 * of the other leg's MVIC (bm_zone.h, "Anchoring"); BOTH or NONE: each leg
 * its own.
 * @return 0, or -1 with a one-line @p msg (no such protocol: the message
 *         lists the ones there are; a bad user file is named).
 */
int bm_guided_new(const char *key, const struct bm_mvic *mvic, enum bm_side anchor_injured,
                  struct bm_guided **out, char *msg, size_t msg_len);

void bm_guided_free(struct bm_guided *g);

/** The protocol's name ("Isometric holds 5x45 s @ 70 %"). */
const char *bm_guided_name(const struct bm_guided *g);

/** Its id, as --protocol takes it ("isometric", "fatigue", a file's name):
 *  what the recording's sidecar keeps. */
const char *bm_guided_id(const struct bm_guided *g);

/** One frame: the live state and the efforts the monitor has finished
 *  (bm_monitor_next_effort is drained here).  @p source_live is 0 while
 *  the board is away.  Starts the run at the first frame with data. */
void bm_guided_frame(struct bm_guided *g, struct bm_monitor *m, const struct bm_monitor_state *ms,
                     int source_live);

/** What the screen shows. */
void bm_guided_view(const struct bm_guided *g, struct bm_runner_view *out);

/** Next line for a terminal (prompts and results), 1 with @p buf set. */
int bm_guided_next_line(struct bm_guided *g, char *buf, size_t len);

/** Next cue for the sound, 1 with @p cue set. */
int bm_guided_next_cue(struct bm_guided *g, enum bm_run_cue *cue);

/** Keys: skip the set, repeat the last one, abandon the run.  0 or -1 (not
 *  possible now; @p msg says why). */
int bm_guided_skip(struct bm_guided *g, char *msg, size_t len);
int bm_guided_repeat(struct bm_guided *g, char *msg, size_t len);
int bm_guided_abandon(struct bm_guided *g);

/** 1 when the run has ended (finished or abandoned). */
int bm_guided_over(const struct bm_guided *g);

/** The summary, as text (sets done, time in zone, per-leg force,
 *  asymmetry), labelled guidance; writes at most @p cap bytes. */
size_t bm_guided_summary_text(const struct bm_guided *g, char *out, size_t cap);

/** After an MVIC test: the new best per leg dated @p epoch_s.  0, or -1 when
 *  the run was no MVIC test or measured nothing. */
int bm_guided_mvic(const struct bm_guided *g, double epoch_s, struct bm_mvic *out);

#endif
