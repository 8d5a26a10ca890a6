/*
 * bm_app_rehab_priv.h - what the two files of the rehab session share:
 * bm_app_rehab.c (the athlete, the dose, the recordings) and
 * bm_app_rehab_keys.c (the pain questions and answers, the picker, the
 * keys).  Not for the rest of the program, which sees bm_app_rehab.h.
 */
#ifndef BM_APP_REHAB_PRIV_H
#define BM_APP_REHAB_PRIV_H

#include "bm_app_rehab.h"
#include "bm_dose_live.h"
#include "bm_pain_ask.h"
#include "bm_pain_note.h"
#include "bm_picker.h"

/** An answer stays shown this long when no question follows it, s. */
#define BM_APP_REHAB_ANSWER_S 8.0

struct bm_app_rehab {
	struct bm_app_rehab_opts o;
	struct bm_athlete_ctx *ath;        /* owned; NULL: none */
	struct bm_mvic mvic;

	/* The dose: stored sessions, this run's recordings, the one under way. */
	struct bm_dose_params dp;
	int dose_on;                       /* an athlete in a store */
	struct bm_dose_session *base;      /* stored (malloc'd) */
	size_t n_base;
	struct bm_dose_session *run;       /* this run's finished recordings */
	size_t n_run, cap_run;
	struct bm_dose_session *all;       /* scratch for the report */
	size_t cap_all;
	struct bm_dose_session live;
	int live_on;
	int dose_dirty;                    /* recompute at the next chance */
	double dose_at;                    /* when last computed (monotonic s) */
	struct bm_dose_report rep;
	int rep_ok;
	struct bm_dose_text text;

	/* Recordings. */
	int recording;
	int no_upload;                     /* bm_app_rehab_no_upload() */
	char rec_path[600];
	double rec_epoch_s;

	/* Pain. */
	struct bm_pain_ask ask;
	double pain_before;                /* this session's; NaN: none */
	int after_pending;                 /* a pain-after answer is still owed */
	int quit_waiting;                  /* quit once the questions are done */
	char after_target[600];            /* the recording a pain-after is about */
	char before_target[600];           /* a recording that closed while "pain
	                                      before" was still asked: the answer
	                                      is about it too */
	struct bm_pain_morning morning;    /* the session a morning score is for */
	int answer_on;                     /* an answer is shown */
	double answer_until;
	char zone[160], advice[BM_VIEW_MESSAGE_MAX];
	int zone_level;
	double now_mono_s;

	/* The athlete picker. */
	int picker_on;
	struct bm_picker picker;
};

/** Say @p text in the window's message line (and on the terminal). */
void bm_app_rehab_say(struct bm_app_rehab *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The questions of an athlete's start (bm_app_rehab_keys.c). */
void bm_app_rehab_ask_start(struct bm_app_rehab *r);

/** The recording @p csv_path has closed: if "pain before" is still asked,
 *  the answer goes into its sidecar too (bm_app_rehab_keys.c). */
void bm_app_rehab_before_owed(struct bm_app_rehab *r, const char *csv_path);

/** Pain after is owed for the recording @p csv_path (bm_app_rehab_keys.c). */
void bm_app_rehab_ask_after(struct bm_app_rehab *r, const char *csv_path);

/** The question, answer and picker parts of the view (bm_app_rehab_keys.c). */
void bm_app_rehab_fill_asks(const struct bm_app_rehab *r, struct bm_view_model *m);

#endif
