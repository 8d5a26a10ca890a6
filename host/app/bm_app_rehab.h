/*
 * bm_app_rehab.h - the live program's rehab session around the monitor:
 * whose session it is (--athlete, or picked in the window with key a),
 * their daily dose, and the pain questions.
 *
 * The athlete.  Picking one (or creating one by typing a new name) is
 * allowed only while not recording; it loads their MVIC (zones, load) and
 * their dose.  The store is synced with the recordings folder first, as
 * `history --athlete` does, so that the dose counts every recording.
 *
 * The dose (bm_dose_live.h): the athlete's stored sessions, this run's
 * finished recordings and the recording under way as the monitor commits
 * its holds, against the aim (--dose-aim, minutes); recomputed when a
 * number changes, at most once a second, and once a minute for the
 * date.  Demo data never counts.  Without an athlete in a store there is
 * no dose: the window keeps its "today".
 *
 * Pain (window only; bm_pain_ask.h): at the athlete's start, the morning
 * after their last session when it is due, and pain now unless
 * --pain-before was given; after a recording stops, and at quit, pain
 * after unless --pain-after was given (quit waits for the answer or Esc; q
 * again quits).  An answer goes to the store (a morning score through the
 * pain log first, as `bridgemon pain` does) and into the recording's
 * sidecar: the one under way through the monitor, a closed one rewritten
 * whole.  The answer shows its pain zone and the pain model's advice,
 * labelled guidance, for a few seconds.
 */
#ifndef BM_APP_REHAB_H
#define BM_APP_REHAB_H

#include <stddef.h>

#include "bm_athlete_ctx.h"
#include "bm_detect.h"
#include "bm_monitor.h"
#include "bm_view.h"

struct bm_app_rehab;

struct bm_app_rehab_opts {
	const char *cmd;                /**< for messages ("monitor", "record" ...) */
	const char *db;                 /**< the store (NULL: the default) */
	int window;                     /**< questions and the picker are the window's */
	int is_demo;                    /**< the demo athlete: recordings do not count */
	double pain_before, pain_after; /**< from the command line, 0-10; NaN: ask */
	double aim_min_s, aim_max_s;    /**< the daily aim per leg, s */
	/** A message for the window's message line (and the terminal). */
	void (*say)(void *ctx, const char *text);
	void *say_ctx;
};

/** New session without an athlete.  @return 0, or -1 out of memory. */
int bm_app_rehab_new(const struct bm_app_rehab_opts *o, struct bm_app_rehab **out);

/** Whether the window is up after all (questions and the picker need it). */
void bm_app_rehab_set_window(struct bm_app_rehab *r, int window);

/** Stop uploading stopped recordings to the store (a signal ends the run:
 *  a server that does not answer must not hold the exit up; the next sync
 *  uploads them: a live command with an athlete, sync, history --athlete,
 *  report). */
void bm_app_rehab_no_upload(struct bm_app_rehab *r);

/** Free it and its athlete (NULL is fine). */
void bm_app_rehab_free(struct bm_app_rehab *r);

/** The session's athlete from now on (owned from here on; NULL: none):
 *  sync, MVIC, dose, and in the window the questions of a start. */
void bm_app_rehab_set_athlete(struct bm_app_rehab *r, struct bm_athlete_ctx *ath);

/** The athlete (borrowed), or NULL. */
struct bm_athlete_ctx *bm_app_rehab_athlete(const struct bm_app_rehab *r);

/** The athlete's MVIC (all NaN without one). */
void bm_app_rehab_mvic(const struct bm_app_rehab *r, struct bm_mvic *out);

/** This session's pain scores for a new recording's sidecar (NaN: none
 *  yet): before as given or typed; after only as given (a typed one goes
 *  into the recording it is about). */
double bm_app_rehab_pain_before(const struct bm_app_rehab *r);
double bm_app_rehab_pain_after(const struct bm_app_rehab *r);

/** A recording started into @p csv_path at @p epoch_s (seconds since 1970). */
void bm_app_rehab_recording_started(struct bm_app_rehab *r, const char *csv_path, double epoch_s);

/**
 * The recording stopped.  @p ms: the monitor's state after the stop (its
 * hold times are the file's); @p ev, @p n: its events.  @p ask: ask pain
 * after (a stop in the window; not at the program's end).
 */
void bm_app_rehab_recording_stopped(struct bm_app_rehab *r, const struct bm_monitor_state *ms,
                                    const struct bm_event *ev, size_t n, int ask);

/** Once a frame: the dose with the recording under way (@p mon, @p ms),
 *  and how long an answer stays shown (@p now_mono_s, monotonic). */
void bm_app_rehab_frame(struct bm_app_rehab *r, const struct bm_monitor *mon,
                        const struct bm_monitor_state *ms, double now_mono_s);

/** The dose, question, answer and picker parts of the view model. */
void bm_app_rehab_fill_view(const struct bm_app_rehab *r, struct bm_view_model *m);

/** The dose as one line for the terminal ("Ann's dose: today L ..."):
 *  0 with @p out set, -1 when there is none (no athlete in a store). */
int bm_app_rehab_dose_line(const struct bm_app_rehab *r, char *out, size_t len);

/** Keys, as the window hands them over. */
enum bm_app_rehab_key {
	BM_RK_OTHER = 0,
	BM_RK_DIGIT,       /**< 0-9 (the digit goes with it) */
	BM_RK_BACKSPACE,
	BM_RK_ENTER,
	BM_RK_ESCAPE,
	BM_RK_UP,
	BM_RK_DOWN,
	BM_RK_PICKER,      /**< a: the athlete picker */
};

/** What a key did (bits). */
enum bm_app_rehab_did {
	BM_APP_REHAB_TAKEN = 1,    /**< the key was for us: nothing else sees it */
	BM_APP_REHAB_QUIT = 2,     /**< the question asked at quit is done: quit now */
	BM_APP_REHAB_CONTEXT = 4,  /**< the session's context changed (pain before):
	                                rewrite the running recording's sidecar */
	BM_APP_REHAB_ATHLETE = 8,  /**< a new athlete (MVIC and zones changed) */
};

/** A key in the window; @p recording: a recording is under way.
 *  @return bm_app_rehab_did bits. */
int bm_app_rehab_key(struct bm_app_rehab *r, enum bm_app_rehab_key k, int digit, int recording);

/** Text typed (UTF-8) while the picker is open: 1 taken, 0 not. */
int bm_app_rehab_text(struct bm_app_rehab *r, const char *utf8);

/** Open the athlete picker (--pick-athlete, key a): 0, or -1 when refused
 *  (@p recording, no window; the message says why). */
int bm_app_rehab_picker_open(struct bm_app_rehab *r, int recording);

/** 1 while the picker is open (the window then wants text input). */
int bm_app_rehab_picker_active(const struct bm_app_rehab *r);

/** q or Esc: 1 when quitting waits for the pain-after answer (the question
 *  is now up: a running recording should be stopped so that it is asked
 *  about it), 0 to quit now (nothing to ask, or asked already: q again). */
int bm_app_rehab_quit_waits(struct bm_app_rehab *r);

#endif
