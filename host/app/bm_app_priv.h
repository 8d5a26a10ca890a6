/*
 * bm_app_priv.h - the live program's state, shared by its files: bm_app.c
 * (open, frame, drain: the run) and bm_app_keys.c (what the window's keys
 * and events do).  Not a public interface: bm_app.h is.
 */
#ifndef BM_APP_PRIV_H
#define BM_APP_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <SDL.h>

#include "bm_app.h"
#include "bm_app_rehab.h"
#include "bm_athlete_ctx.h"
#include "bm_audio.h"
#include "bm_guided.h"
#include "bm_meta.h"
#include "bm_monitor.h"
#include "bm_settings.h"
#include "bm_source.h"
#include "bm_view.h"

#define BATCH 512

/* The source's reader thread and what crosses from it. */
struct reader {
	struct bm_source *src;
	int may_block;             /* unpaced file or simulation: wait, never drop */
	struct bm_live_queue q;
	atomic_int stop;
	pthread_mutex_t lock;
	struct bm_source_status status; /* under lock */
	pthread_t thread;
	int running;               /* the thread was started */
	struct bm_live_sample buf[BATCH]; /* the thread's own batch */
};

/* The program's state: owned by the drawing thread, but for rd's queue and
 * status (see bm_app.c). */
struct app {
	const struct bm_app_opts *o; /* = &opts */
	struct bm_app_opts opts;     /* as given, with the settings file's store */
	struct bm_settings settings;
	struct reader rd;
	struct bm_monitor *mon;
	struct bm_source_status st;
	unsigned long seen_changes;
	int have_board_cal;        /* a calibration for this board is in use */
	int warned_uncal;          /* said that the board is not calibrated */
	double first_t;
	int have_first;
	int quit;
	int exit_code;

	/* window */
	SDL_Window *win;
	SDL_Renderer *ren;
	struct bm_view *view;
	struct bm_view_trace *trace;
	struct bm_audio *audio;
	struct bm_view_model vm;
	double msg_until;          /* monotonic time the message goes */
	float full_scale_n;
	int cal_step;              /* 0 none, 1 left, 2 right, 3 check */
	int cal_override;          /* Enter again accepts a scale far from the
	                              earlier one */
	double cal_kg[2];          /* the masses measured */

	/* The session's athlete, dose and pain questions (bm_app_rehab.h),
	 * and the guided protocol (NULL: none). */
	struct bm_app_rehab *rehab;
	struct bm_guided *guided;
	int guided_ended;          /* its end has been handled */
	int summary_open;          /* the summary screen is shown */
	char last_rec_path[600];   /* the latest recording (for the store) */

	double status_last;        /* when the terminal status was last written */
	int status_shown;
	int is_demo;               /* the source is the demo athlete */
	int uncalibrated;          /* a board with no calibration: forces are
	                              counts times a guessed scale */

	/* Latency benchmark (BRIDGEMON_LATENCY_LOG=FILE): for each sample, the
	 * time from the reader thread getting it to the frame showing it. */
	FILE *lat_log;
	double lat_pending[4096];
	size_t lat_n;

	/* The run loop's state. */
	int record_pending;        /* --out: start with the first samples */
	double wall_end;           /* give up when the source went quiet */
	double last_flush, last_trim, frame_s, next_frame;
	struct bm_monitor_state ms;
	struct bm_live_sample buf[4096]; /* one frame's samples */
};

/* bm_app.c */
void bm_app_message(struct app *a, const char *text);
int bm_app_start_recording(struct app *a, const char *path_or_null);
void bm_app_stop_recording(struct app *a);
void bm_app_save_calibration(struct app *a);
void bm_app_source_meta(const struct app *a, struct bm_meta *m);
enum bm_side bm_app_zone_anchor(const struct bm_app_opts *o, const struct bm_athlete_ctx *ath,
                                char *why, size_t why_len);

/* bm_app_keys.c */
void bm_app_handle_events(struct app *a);
void bm_app_sync_text_input(struct app *a);
void bm_app_calibration_check_prompt(struct app *a);

#endif
