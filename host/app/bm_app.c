/*
 * bm_app.c - the live program; see bm_app.h.
 *
 * Threads: the source is read on its own thread (waiting for bytes must
 * never stall drawing) and its samples cross to the drawing thread through
 * a bounded SPSC queue (bm_live_queue).  Everything else (calibration,
 * filtering, detection, recording, drawing, sound) runs on the drawing
 * thread, one batch per frame, so no other state is shared.  The source's
 * status (connected, waiting, counters) is copied under a mutex.
 */
#include "bm_app_priv.h"

#include <malloc.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <SDL.h>

#include "bm_app_rehab.h"
#include "bm_athlete_ctx.h"
#include "bm_audio.h"
#include "bm_calib.h"
#include "bm_calib_file.h"
#include "bm_cli.h"
#include "bm_clock.h"
#include "bm_config.h"
#include "bm_meta.h"
#include "bm_monitor.h"
#include "bm_sessions_dir.h"
#include "bm_settings.h"
#include "bm_guided.h"
#include "bm_png.h"
#include "bm_progress_glue.h"
#include "bm_recover.h"
#include "bm_report.h"
#include "bm_ports.h"
#include "bm_source.h"
#include "bm_source_serial.h"
#include "bm_view.h"

#define QUEUE_SAMPLES 8192
#define MESSAGE_S 4.0

void bm_app_opts_default(struct bm_app_opts *o)
{
	memset(o, 0, sizeof *o);
	o->cmd = "monitor";
	o->source = BM_APP_AUTO;
	o->speed = 1.0;
	o->seed = (uint64_t)time(NULL);
	o->rate_hz = 80;
	o->window = 1;
	o->asym_threshold_pct = 10.0;
	o->hold_target_s = 30.0;
	o->fps = 60;
	o->knee_angle_deg = o->hip_angle_deg = NAN;
	o->pain_before = o->pain_after = NAN;
	o->dose_aim_min_s = 120;
	o->dose_aim_max_s = 300;
}

/* ------------------------------------------------------ reader thread */

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct bm_live_sample *buf = r->buf;
	struct bm_source_status st;

	while (!atomic_load(&r->stop)) {
		size_t n = bm_source_read(r->src, buf, BATCH, 50);
		double now = bm_clock_mono_s();
		for (size_t i = 0; i < n; i++) {
			buf[i].read_mono_s = now;
			/* A device cannot wait (the serial driver would drop bytes
			 * instead, silently): a full queue drops and counts.  A file
			 * or a simulation just waits for the drawing thread. */
			while (r->may_block && !bm_live_queue_space(&r->q) && !atomic_load(&r->stop))
				bm_clock_sleep_s(0.001);
			bm_live_queue_push(&r->q, &buf[i]);
		}
		bm_source_status(r->src, &st);
		pthread_mutex_lock(&r->lock);
		r->status = st;
		pthread_mutex_unlock(&r->lock);
		if (st.state == BM_SOURCE_ENDED || st.state == BM_SOURCE_FAILED) {
			/* Nothing more will come; keep the status for the UI. */
			while (!atomic_load(&r->stop))
				bm_clock_sleep_s(0.05);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ signals */

/* SIGINT (Ctrl-C), SIGTERM and SIGHUP end a run the way q does: the
 * recording is finished (CSV flushed and closed, events, summary and
 * sidecar written, the "saved" line) before the program exits. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Copy @p src into @p dst of @p n bytes, cut to fit (view fields are short
 * by design: the status bar has room for that much). */
static void copy_cut(char *dst, size_t n, const char *src)
{
	size_t k = strlen(src);
	if (k >= n)
		k = n - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
}

void bm_app_message(struct app *a, const char *text)
{
	copy_cut(a->vm.message, sizeof a->vm.message, text);
	a->msg_until = bm_clock_mono_s() + MESSAGE_S;
	if (!a->win)
		fprintf(stderr, "\nbridgemon %s: %s\n", a->o->cmd, text);
}

/* The rehab session's messages. */
static void rehab_say(void *ctx, const char *text)
{
	bm_app_message(ctx, text);
}

/* Recordings a crash or kill -9 left without a summary get it now, from
 * their CSV, and the user is told: "today" and history then count them. */
static void recover_recordings(const char *cmd)
{
	char dir[512], msg[600], line[900];
	struct bm_recover_list list = {0};
	if (bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) != 0)
		return;
	if (bm_recover_dir(dir, NULL, &list, msg, sizeof msg) != BM_RECOVER_OK)
		fprintf(stderr, "bridgemon %s: %s\n", cmd, msg);
	for (size_t i = 0; i < list.n; i++) {
		bm_recover_describe(&list.items[i], line, sizeof line);
		fprintf(stderr, "bridgemon %s: %s\n", cmd, line);
	}
	bm_recover_list_free(&list);
}

/* Hold time in today's earlier recordings (bm_sessions_hold_today_s). */
static double earlier_today_s(void)
{
	char dir[512], msg[600];
	if (bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) != 0)
		return 0;
	return bm_sessions_hold_today_s(dir, (double)time(NULL));
}

static void on_trace(void *ctx, double t, double l, double r)
{
	struct app *a = ctx;
	if (a->trace)
		bm_view_trace_push(a->trace, t, (float)l, (float)r);
}

/* Calibration for the board now connected: the host's file for its id,
 * else what its EEPROM holds, else what the source brings (the demo). */
static void pick_calibration(struct app *a)
{
	struct bm_calib cal;
	char msg[600];
	if (a->have_board_cal)
		return;
	if (a->st.has_info) {
		if (bm_calib_load(&cal, a->st.info.board_id, NULL, msg, sizeof msg) == BM_CALIB_OK) {
			bm_monitor_set_calib(a->mon, &cal);
			a->have_board_cal = 1;
			bm_app_message(a, msg);
			return;
		}
	}
	if (a->st.has_cal) {
		bm_calib_from_record(&cal, &a->st.cal);
		bm_monitor_set_calib(a->mon, &cal);
		a->have_board_cal = 1;
		if (a->st.has_info)
			bm_app_message(a, "using the calibration stored on the board");
	} else if (a->st.has_info && !a->warned_uncal) {
		/* Until calibrated the numbers are counts times a guess. */
		a->warned_uncal = 1;
		bm_app_message(a, a->win ? "this board is not calibrated: with nothing on the plates press t, "
		                        "then c with a known mass"
		                      : "this board is not calibrated: forces are estimates; calibrate "
		                        "it with `bridgemon calibrate --port PATH`");
	}
}

/* Keep the calibration: on this computer (per board) and on the board. */
void bm_app_save_calibration(struct app *a)
{
	struct bm_calib cal;
	struct bm_cal_record rec;
	char msg[600];
	bm_monitor_get_calib(a->mon, &cal);
	if (a->st.has_info) {
		bm_calib_save(&cal, a->st.info.board_id, NULL, msg, sizeof msg);
		bm_app_message(a, msg);
	}
	bm_calib_to_record(&cal, &rec);
	a->rd.src->ops->store_cal(a->rd.src, &rec);
}

/* What the sidecar says of the source: a board (its INFO), the demo
 * athlete (marked as demo), a replayed file. */
void bm_app_source_meta(const struct app *a, struct bm_meta *m)
{
	bm_meta_init(m);
	snprintf(m->bridgemon, sizeof m->bridgemon, "%s", BM_VERSION);
	snprintf(m->source, sizeof m->source, "%s",
	         a->o->source == BM_APP_DEMO ? "demo" : a->o->source == BM_APP_REPLAY ? "replay" : "board");
	m->demo = a->is_demo;
	if (a->st.has_info) {
		snprintf(m->device, sizeof m->device, "%.160s, firmware %u.%u.%u, protocol %u, %u SPS, gain %u",
		         a->st.name, a->st.info.fw_major, a->st.info.fw_minor, a->st.info.fw_patch,
		         a->st.info.proto_version, a->st.info.rate_sps, a->st.info.gain);
		snprintf(m->board_id, sizeof m->board_id, "%08lx", (unsigned long)a->st.info.board_id);
	} else {
		snprintf(m->device, sizeof m->device, "%s", a->is_demo ? "demo athlete (simulated, no board)"
		                                                    : a->st.name);
	}
	if (a->st.rate_hz > 0)
		m->sample_rate_hz = a->st.rate_hz;
	/* The session's context. */
	const struct bm_app_opts *o = a->o;
	struct bm_meta_context *c = &m->ctx;
	struct bm_athlete_ctx *ath = bm_app_rehab_athlete(a->rehab);
	if (ath)
		bm_athlete_ctx_fill_meta(ath, c);
	snprintf(c->exercise, sizeof c->exercise, "%s", o->exercise ? o->exercise : "");
	c->knee_angle_deg = o->knee_angle_deg;
	c->hip_angle_deg = o->hip_angle_deg;
	snprintf(c->protocol, sizeof c->protocol, "%s", a->guided ? bm_guided_id(a->guided) : "");
	snprintf(c->notes, sizeof c->notes, "%s", o->notes ? o->notes : "");
	c->pain_before = bm_app_rehab_pain_before(a->rehab);
	c->pain_after = bm_app_rehab_pain_after(a->rehab);
}

int bm_app_start_recording(struct app *a, const char *path_or_null)
{
	char dir[512], path[600], events[640], summary[640], meta_path[640], msg[700];
	struct bm_meta meta;

	if (path_or_null) {
		snprintf(path, sizeof path, "%s", path_or_null);
	} else {
		/* Simulated data is marked in its name as well as its sidecar. */
		if (bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) != 0 ||
		    bm_sessions_new_path(dir, (double)time(NULL), a->is_demo ? "-demo" : "", path,
		                         sizeof path) != 0) {
			bm_app_message(a, msg);
			return -1;
		}
	}
	bm_sessions_companion_paths(path, events, summary, sizeof events);
	bm_meta_path(path, meta_path, sizeof meta_path);
	bm_app_source_meta(a, &meta);
	struct bm_capture_files f = {path, events, summary, meta_path};
	int r = bm_monitor_capture_start(a->mon, &f, &meta, msg, sizeof msg);
	if (r == 0) {
		snprintf(a->last_rec_path, sizeof a->last_rec_path, "%s", path);
		bm_app_rehab_recording_started(a->rehab, path, (double)time(NULL));
	}
	bm_meta_free(&meta);
	bm_app_message(a, msg);
	if (r != 0 && !a->win)
		fprintf(stderr, "bridgemon %s: %s\n", a->o->cmd, msg);
	return r;
}

/* The monitor's state and events after a stop: the file's counts, for
 * the dose; @p ask: ask pain after. */
static void recording_stopped(struct app *a, int ask)
{
	const struct bm_event *ev;
	size_t n = bm_monitor_capture_events(a->mon, &ev);
	bm_monitor_get_state(a->mon, &a->ms);
	bm_app_rehab_recording_stopped(a->rehab, &a->ms, ev, n, ask);
}

void bm_app_stop_recording(struct app *a)
{
	char msg[700];
	if (bm_monitor_capture_stop(a->mon, msg, sizeof msg) != 0)
		a->exit_code = BM_EXIT_OUTPUT;
	bm_app_message(a, msg);
	recording_stopped(a, 1);
}

/* ---------------------------------------------------------- sources */

static struct bm_source *open_source(const struct bm_app_opts *o, int *demo, char *msg, size_t len)
{
	*demo = o->source == BM_APP_DEMO;
	switch (o->source) {
	case BM_APP_PORT:
		return bm_source_serial_new(o->port, msg, len);
	case BM_APP_REPLAY:
		return bm_source_replay_new(o->replay, o->speed, msg, len);
	case BM_APP_DEMO:
		return bm_source_demo_new(o->seed, 0, o->rate_hz, o->speed);
	case BM_APP_AUTO:
		break;
	}
	/* Auto: the first likely board that answers with INFO. */
	char path[512];
	if (bm_ports_find_board(path, sizeof path, stderr) == 0)
		return bm_source_serial_new(path, msg, len);
	fprintf(stderr, "bridgemon: no board found; showing the demo athlete, simulated data "
	                "(use --port PATH for a board, `bridgemon ports` to list ports)\n");
	*demo = 1;
	return bm_source_demo_new(o->seed, 0, o->rate_hz, o->speed);
}

/* ------------------------------------------------------------- window */

static int open_window(struct app *a)
{
	/* Without a display SDL falls back to its offscreen driver and "runs"
	 * a window nobody sees.  No X11 or Wayland display and no driver asked
	 * for (SDL_VIDEODRIVER=kmsdrm on a console, say): no window. */
	const char *drv = getenv("SDL_VIDEODRIVER");
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !(drv && *drv)) {
		fprintf(stderr, "bridgemon %s: no display (DISPLAY and WAYLAND_DISPLAY are not set); "
		                "showing a terminal status instead (xvfb-run gives a virtual display)\n",
		        a->o->cmd);
		return -1;
	}
	/* Our own handlers finish the recording on SIGINT, SIGTERM, SIGHUP. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "bridgemon %s: no display (%s); showing a terminal status instead "
		                "(run under xvfb-run for a virtual display)\n",
		        a->o->cmd, SDL_GetError());
		return -1;
	}
	a->win = SDL_CreateWindow("bridgemon", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
	                          1280, 720, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	if (a->win)
		/* No vsync: the loop paces itself (see bm_app_run), so that samples
		 * are taken just before drawing instead of a whole frame before a
		 * present that waits for the vertical blank. */
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED);
	if (a->win && !a->ren)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->win || !a->ren || bm_view_new(a->ren, NULL, &a->view) != BM_VIEW_OK) {
		fprintf(stderr, "bridgemon %s: cannot open a window (%s); showing a terminal status "
		                "instead\n", a->o->cmd, SDL_GetError());
		if (!a->win)
			SDL_Quit(); /* close_window() quits SDL with the window */
		return -1;
	}
	SDL_SetWindowMinimumSize(a->win, 480, 320);
	if (bm_view_trace_new(bm_view_trace_capacity_for(128, BM_VIEW_TRACE_MAX_S), &a->trace) !=
	    BM_VIEW_OK)
		return -1;
	if (bm_audio_new(&a->audio) != 0)
		a->audio = NULL;
	return 0;
}

/* Close what open_window() opened; safe to call again. */
static void close_window(struct app *a)
{
	bm_audio_free(a->audio);
	bm_view_trace_free(a->trace);
	bm_view_free(a->view);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win) {
		SDL_DestroyWindow(a->win);
		SDL_Quit();
	}
	a->audio = NULL;
	a->trace = NULL;
	a->view = NULL;
	a->ren = NULL;
	a->win = NULL;
}

static void play_cues(struct app *a)
{
	enum bm_live_cue c;
	static const enum bm_cue map[] = {
		[BM_LIVE_CUE_HOLD_START] = BM_CUE_HOLD_START,
		[BM_LIVE_CUE_TICK] = BM_CUE_TICK_10S,
		[BM_LIVE_CUE_TARGET] = BM_CUE_TARGET,
		[BM_LIVE_CUE_HOLD_END] = BM_CUE_HOLD_END,
		[BM_LIVE_CUE_REP] = BM_CUE_REP,
	};
	while (bm_monitor_next_cue(a->mon, &c))
		if (a->audio)
			bm_audio_play(a->audio, map[c]);
}

/* --anchor-uninjured: the athlete's injured side (LEFT or RIGHT), whose
 * zone is then a % of the other leg's MVIC; NONE without the option, or
 * when the side is not one leg, with @p why saying so in one line. */
enum bm_side bm_app_zone_anchor(const struct bm_app_opts *o, const struct bm_athlete_ctx *ath,
                                char *why, size_t why_len)
{
	const struct bm_store_athlete *row = ath ? bm_athlete_ctx_row(ath) : NULL;
	why[0] = '\0';
	if (!o->anchor_uninjured)
		return BM_SIDE_NONE;
	if (row && row->injured_side == BM_STORE_SIDE_LEFT)
		return BM_SIDE_LEFT;
	if (row && row->injured_side == BM_STORE_SIDE_RIGHT)
		return BM_SIDE_RIGHT;
	if (!row)
		snprintf(why, why_len, "--anchor-uninjured: no stored athlete, so no injured side; "
		         "each leg's zone is a %% of its own MVIC");
	else
		snprintf(why, why_len, "--anchor-uninjured: %s's injured side is %s (bridgemon athlete "
		         "NAME --injured left|right); each leg's zone is a %% of its own MVIC",
		         row->name, bm_store_side_name(row->injured_side));
	return BM_SIDE_NONE;
}

/* Lasting notices: simulated data, an uncalibrated board (window and
 * terminal alike). */
static void update_notice(struct app *a)
{
	struct bm_view_model *m = &a->vm;
	struct bm_calib cal;
	bm_monitor_get_calib(a->mon, &cal);
	a->uncalibrated = a->st.raw && !a->is_demo && !(cal.valid[0] && cal.valid[1]);
	if (a->uncalibrated)
		copy_cut(m->notice, sizeof m->notice,
		         "NOT CALIBRATED: forces are estimates (t to tare, c to calibrate)");
	else if (a->is_demo)
		copy_cut(m->notice, sizeof m->notice,
		         a->o->source == BM_APP_AUTO
		             ? "DEMO: no board found, showing the simulated athlete"
		             : "DEMO: the simulated athlete, not a person's data");
	else
		m->notice[0] = '\0';
}

/* The guided protocol's part of the view. */
static void fill_protocol(struct app *a)
{
	struct bm_view_model *m = &a->vm;
	struct bm_runner_view rv;
	m->protocol.active = a->guided != NULL && (!a->guided_ended || a->summary_open);
	if (!a->guided)
		return;
	bm_guided_view(a->guided, &rv);
	copy_cut(m->protocol.prompt, sizeof m->protocol.prompt, rv.prompt);
	copy_cut(m->protocol.status, sizeof m->protocol.status, rv.status);
	m->protocol.resting = rv.state == BM_RUN_REST;
	m->protocol.countdown_s = (rv.state == BM_RUN_REST || rv.state == BM_RUN_GET_READY) &&
	                                  isfinite(rv.countdown_s)
	                              ? (float)rv.countdown_s : -1.0f;
	m->protocol.summary = a->summary_open;
	if (a->summary_open && !m->protocol.summary_text[0]) {
		size_t n = bm_guided_summary_text(a->guided, m->protocol.summary_text,
		                                  sizeof m->protocol.summary_text);
		if (n < sizeof m->protocol.summary_text)
			snprintf(m->protocol.summary_text + n, sizeof m->protocol.summary_text - n,
			         "guidance, not medical advice");
	}
	for (int leg = 0; leg < 2; leg++) {
		/* The bars show absolute force: the zone sits on the leg's rest. */
		double rest = isfinite(a->ms.rest_n[leg]) ? a->ms.rest_n[leg] : 0;
		int ok = rv.zone_valid[leg] && !a->guided_ended;
		m->zone_leg_low_n[leg] = ok ? (float)(rest + rv.zone_low_n[leg]) : 0;
		m->zone_leg_high_n[leg] = ok ? (float)(rest + rv.zone_high_n[leg]) : 0;
	}
}

static void fill_model(struct app *a, const struct bm_monitor_state *ms)
{
	struct bm_view_model *m = &a->vm;
	m->now_s = ms->now_s;
	for (int i = 0; i < 2; i++) {
		m->force_n[i] = isfinite(ms->force_n[i]) ? (float)ms->force_n[i] : 0.0f;
		m->reps[i] = ms->reps[i];
		m->reps_provisional[i] = ms->reps_provisional[i];
		m->last_rep_peak_n[i] = (float)ms->last_rep_peak_n[i];
		/* Bars and trace keep their scale: it only ever grows, in 100 N
		 * steps, when a force goes past it. */
		if (m->force_n[i] > 0.9f * a->full_scale_n)
			a->full_scale_n = 100.0f * ceilf(m->force_n[i] / 0.9f / 100.0f);
	}
	m->full_scale_n = a->full_scale_n;
	m->trace = a->trace;
	m->hold_active = ms->hold_active;
	m->hold_elapsed_s = (float)ms->hold_elapsed_s;
	m->hold_target_s = (float)a->o->hold_target_s;
	m->today_hold_s = (float)ms->today_hold_s;
	m->asym_pct = (float)ms->asym_pct;
	m->asym_weaker = ms->asym_weaker;
	m->asym_flagged = ms->asym_flagged;
	m->asym_flag_pct = (float)a->o->asym_threshold_pct;
	m->effort_valid = ms->effort_valid;
	m->effort_asym_pct = (float)ms->effort_asym_pct;
	m->effort_weaker = ms->effort_weaker;
	m->effort_flagged = ms->effort_flagged;
	copy_cut(m->source, sizeof m->source, a->st.name);
	m->rate_hz = (float)ms->rate_hz;
	m->dropped_frames = a->st.dropped;
	m->crc_errors = a->st.crc_errors;
	m->conn = a->st.state == BM_SOURCE_WAITING ? BM_VIEW_CONN_WAITING
	          : a->st.state == BM_SOURCE_LIVE  ? BM_VIEW_CONN_LIVE
	                                           : BM_VIEW_CONN_ENDED;
	m->recording = ms->recording;
	const char *base = strrchr(ms->rec_path, '/');
	copy_cut(m->rec_file, sizeof m->rec_file, base ? base + 1 : ms->rec_path);
	if (m->message[0] && bm_clock_mono_s() > a->msg_until)
		m->message[0] = '\0';
	if (a->cal_step == 3)
		bm_app_calibration_check_prompt(a);
	update_notice(a);
	fill_protocol(a);
	bm_app_rehab_fill_view(a->rehab, m);
}

/* Columns of the terminal on stderr (79 when it cannot be known, so a
 * line never wraps an 80-column terminal). */
static int term_columns(void)
{
	struct winsize ws;
	if (isatty(STDERR_FILENO) && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col - 1;
	const char *c = getenv("COLUMNS");
	int n = c ? atoi(c) : 0;
	return n > 20 ? n - 1 : 79;
}

/* One line on the terminal for machines without a display, rewritten in
 * place on a terminal, fitted to its width; at the end a summary line of
 * its own. */
static void status_line(struct app *a, const struct bm_monitor_state *ms, int final)
{
	double now = bm_clock_mono_s();
	int tty = isatty(STDERR_FILENO);
	char line[512], fl[16], fr[16];

	if (!final && now - a->status_last < (tty ? 0.25 : 5.0))
		return;
	a->status_last = now;
	/* Before the first sample there is no force to show. */
	snprintf(fl, sizeof fl, isfinite(ms->force_n[0]) ? "%6.1f" : "    --", ms->force_n[0]);
	snprintf(fr, sizeof fr, isfinite(ms->force_n[1]) ? "%6.1f" : "    --", ms->force_n[1]);
	if (final) {
		if (tty && a->status_shown)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "bridgemon %s: %s%.1f s of data at %.1f Hz; holds %u/%u (%.0f s counted), "
		        "reps %u/%u (left/right); %llu frames dropped, %llu CRC errors\n",
		        a->o->cmd, a->is_demo ? "demo athlete, " : "", a->have_first ? ms->now_s - a->first_t : 0.0,
		        ms->rate_hz, ms->holds[0], ms->holds[1], ms->session_hold_s, ms->reps[0], ms->reps[1],
		        (unsigned long long)a->st.dropped, (unsigned long long)a->st.crc_errors);
		return;
	}
	int n = snprintf(line, sizeof line, "%sL %s R %s N %4.1f Hz drop %llu crc %llu holds %u/%u reps %u/%u%s%s%s%s",
	                 a->is_demo ? "DEMO " : "", fl, fr, ms->rate_hz,
	                 (unsigned long long)a->st.dropped, (unsigned long long)a->st.crc_errors,
	                 ms->holds[0], ms->holds[1], ms->reps[0], ms->reps[1],
	                 a->uncalibrated ? " NOT CALIBRATED" : "",
	                 a->st.state == BM_SOURCE_WAITING ? " disconnected, waiting" : "",
	                 ms->recording ? " rec " : "", ms->recording ? ms->rec_path : "");
	int cols = term_columns();
	if (n > cols && cols > 0)
		line[cols] = '\0';
	fprintf(stderr, "%s%s%s", tty ? "\r" : "", line, tty ? "\033[K" : "\n");
	a->status_shown = 1;
}

/* --------------------------------------------------------------- run */

/* Samples of @p n in a->buf before --seconds of data are over. */
static size_t within_seconds(const struct app *a, size_t n)
{
	size_t keep = 0;
	if (!(a->o->seconds > 0))
		return n;
	while (keep < n && a->buf[keep].t_s - a->first_t < a->o->seconds)
		keep++;
	return keep;
}

/*
 * Everything a run needs before the loop: source, pipeline, calibration,
 * window, reader thread.  @return -1 when all is set, else the exit code
 * (what was opened is closed by app_close()).
 */
static int app_open(struct app *a, const struct bm_app_opts *o)
{
	struct bm_monitor_params mp;
	char msg[600];

	/* The settings file names the store a station uses and the checklist's
	 * thresholds; a broken one is said, and the session goes on without it
	 * (the recording is the truth; sync uploads it later). */
	a->opts = *o;
	if (bm_settings_load(NULL, &a->settings, msg, sizeof msg) != BM_SETTINGS_OK) {
		fprintf(stderr, "bridgemon %s: %s; going on without the settings file (the "
		        "default store and thresholds)\n", o->cmd, msg);
		a->settings.db[0] = '\0';
		bm_readiness_params_default(&a->settings.readiness);
	} else if (!a->opts.db && a->settings.db[0]) {
		a->opts.db = a->settings.db;
	}
	o = &a->opts;
	a->o = o;
	a->full_scale_n = 400;
	bm_view_model_init(&a->vm);
	if (o->zone_low_n < o->zone_high_n) {
		a->vm.zone_low_n = (float)o->zone_low_n;
		a->vm.zone_high_n = (float)o->zone_high_n;
	}
	catch_stop_signals();
	a->rd.src = open_source(o, &a->is_demo, msg, sizeof msg);
	if (!a->rd.src) {
		fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
		return BM_EXIT_INPUT;
	}
	bm_source_status(a->rd.src, &a->st);
	bm_monitor_params_default(&mp);
	mp.asym_threshold_pct = o->asym_threshold_pct;
	mp.hold_target_s = o->hold_target_s;
	mp.rate_hz = a->st.rate_hz > 0 ? a->st.rate_hz : (o->source == BM_APP_DEMO ? o->rate_hz : 0);
	a->mon = bm_monitor_new(&mp, NULL);
	if (!a->mon || bm_live_queue_init(&a->rd.q, QUEUE_SAMPLES) != 0) {
		fprintf(stderr, "bridgemon %s: out of memory\n", o->cmd);
		return BM_EXIT_INPUT;
	}
	bm_monitor_set_trace_cb(a->mon, on_trace, a);
	struct bm_app_rehab_opts ro = {o->cmd, o->db, o->window, a->is_demo, o->pain_before,
	                               o->pain_after, o->dose_aim_min_s, o->dose_aim_max_s,
	                               rehab_say, a};
	if (bm_app_rehab_new(&ro, &a->rehab) != 0) {
		fprintf(stderr, "bridgemon %s: out of memory\n", o->cmd);
		return BM_EXIT_INPUT;
	}
	/* The athlete is handed to the rehab session once the window is up and
	 * the recordings are recovered (its dose syncs them into the store). */
	struct bm_athlete_ctx *ath = NULL;
	if (o->athlete) {
		if (bm_athlete_ctx_open(o->db, o->athlete, &ath, msg, sizeof msg) < 0) {
			fprintf(stderr, "bridgemon %s: out of memory\n", o->cmd);
			return BM_EXIT_INPUT;
		}
		if (msg[0]) /* no store: the name goes into the recording alone */
			fprintf(stderr, "bridgemon %s: %s; the athlete's name is kept in the recording\n",
			        o->cmd, msg);
	}
	if (o->protocol) {
		struct bm_mvic mvic;
		bm_mvic_init(&mvic);
		if (ath)
			bm_athlete_ctx_mvic(ath, &mvic);
		char why[300];
		enum bm_side anchor = bm_app_zone_anchor(o, ath, why, sizeof why);
		if (why[0] && ath) /* with the picker, the athlete comes later */
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, why);
		if (bm_guided_new(o->protocol, &mvic, anchor, &a->guided, msg, sizeof msg) != 0) {
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
			bm_athlete_ctx_free(ath);
			return BM_EXIT_USAGE;
		}
		if (anchor != BM_SIDE_NONE)
			fprintf(stderr, "bridgemon %s: zones on both legs as a %% of the %s leg's MVIC "
			                "(%s is the injured side)\n", o->cmd,
			        anchor == BM_SIDE_LEFT ? "right" : "left", bm_side_name(anchor));
		if (bm_mvic_retest_due(&mvic, (double)time(NULL), 0) && strcmp(o->protocol, "mvic") != 0)
			fprintf(stderr, "bridgemon %s: %s; zones need a maximal test (--protocol mvic), "
			                "last one older than 7 days or none\n", o->cmd,
			        ath ? "no recent MVIC for this athlete" : "no athlete given");
	}
	const char *lat = getenv("BRIDGEMON_LATENCY_LOG");
	if (lat && !(a->lat_log = fopen(lat, "w")))
		fprintf(stderr, "bridgemon %s: cannot write %s\n", o->cmd, lat);
	pick_calibration(a);

	if (o->window && open_window(a) != 0)
		close_window(a);
	if (a->win)
		SDL_StopTextInput(); /* on while typing only (sync_text_input) */
	if (o->dose_aim_given)
		a->vm.daily_aim_s = (float)o->dose_aim_min_s;
	recover_recordings(o->cmd);
	bm_app_rehab_set_window(a->rehab, a->win != NULL);
	bm_app_rehab_set_athlete(a->rehab, ath);
	if (o->pick_athlete && a->win)
		bm_app_rehab_picker_open(a->rehab, 0);
	bm_monitor_set_today_before(a->mon, earlier_today_s());
	/* --out: refuse an existing file now, before anything runs; the
	 * recording itself starts with the first samples, when the board has
	 * said who it is (its INFO goes into the file's header). */
	if (o->record_to && access(o->record_to, F_OK) == 0) {
		fprintf(stderr, "bridgemon %s: %s: exists; a recording never replaces another\n",
		        o->cmd, o->record_to);
		return BM_EXIT_OUTPUT;
	}
	a->record_pending = o->record_to != NULL || o->record;
	/* --seconds counts seconds of data; if the data stops coming (a board
	 * that never answers), give up some time after the wall clock says the
	 * run should be over. */
	a->wall_end = o->seconds > 0 && o->speed > 0 ? bm_clock_mono_s() + o->seconds / o->speed + 10.0
	                                             : INFINITY;
	if (o->events_out || o->summary_out) {
		/* A replay's events are analyze's of the file: with what its
		 * sidecar says (stretches that do not count, demo data). */
		struct bm_capture_files f = {NULL, o->events_out, o->summary_out, NULL};
		struct bm_meta side;
		char side_path[700];
		bm_meta_init(&side);
		if (o->source == BM_APP_REPLAY) {
			bm_meta_path(o->replay, side_path, sizeof side_path);
			int r = bm_meta_read(side_path, &side, msg, sizeof msg);
			if (r != BM_META_OK && r != BM_META_NOT_FOUND) {
				fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
				return BM_EXIT_INPUT;
			}
		}
		int r = bm_monitor_capture_start(a->mon, &f, &side, msg, sizeof msg);
		bm_meta_free(&side);
		if (r != 0) {
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
			return BM_EXIT_OUTPUT;
		}
	}

	a->rd.may_block = o->source == BM_APP_DEMO || o->source == BM_APP_REPLAY;
	a->rd.status = a->st; /* until the reader thread has its own look */
	atomic_init(&a->rd.stop, 0);
	if (pthread_create(&a->rd.thread, NULL, reader_main, &a->rd) != 0) {
		fprintf(stderr, "bridgemon %s: cannot start the reader thread\n", o->cmd);
		return BM_EXIT_INPUT;
	}
	a->rd.running = 1;
	a->last_flush = a->last_trim = bm_clock_mono_s();
	a->frame_s = 1.0 / (o->fps > 0 ? o->fps : 60.0);
	a->next_frame = bm_clock_mono_s();
	return -1;
}

static void app_guided(struct app *a);

/* Take what the source delivered into the pipeline (and start a pending
 * recording with the first samples). */
static void app_take_samples(struct app *a)
{
	size_t n;
	while ((n = bm_live_queue_pop(&a->rd.q, a->buf, sizeof a->buf / sizeof a->buf[0])) > 0) {
		if (!a->have_first) {
			a->first_t = a->buf[0].t_s;
			a->have_first = 1;
		}
		if (a->record_pending) {
			a->record_pending = 0;
			pthread_mutex_lock(&a->rd.lock);
			a->st = a->rd.status;
			pthread_mutex_unlock(&a->rd.lock);
			pick_calibration(a);
			if (bm_app_start_recording(a, a->o->record_to) != 0) {
				a->exit_code = BM_EXIT_OUTPUT;
				a->quit = 1;
				return;
			}
		}
		/* Stop exactly at --seconds of data. */
		size_t keep = within_seconds(a, n);
		if (keep < n)
			a->quit = 1;
		if (a->guided) {
			/* A protocol follows every effort: a tenth of a second at a
			 * time, however large the batch (an unpaced replay). */
			for (size_t i = 0; i < keep; i += 8) {
				bm_monitor_push(a->mon, a->buf + i, keep - i < 8 ? keep - i : 8);
				app_guided(a);
			}
		} else {
			bm_monitor_push(a->mon, a->buf, keep);
		}
		for (size_t i = 0; a->lat_log && i < keep && a->lat_n < 4096; i++)
			a->lat_pending[a->lat_n++] = a->buf[i].read_mono_s;
		if (a->quit)
			return;
	}
}

/* The source's state: messages, calibration of a new board, the end. */
static void app_watch_source(struct app *a)
{
	const struct bm_app_opts *o = a->o;

	pthread_mutex_lock(&a->rd.lock);
	a->st = a->rd.status;
	pthread_mutex_unlock(&a->rd.lock);
	if (a->st.changes != a->seen_changes) {
		a->seen_changes = a->st.changes;
		pick_calibration(a);
		update_notice(a);
		if (a->st.message[0])
			bm_app_message(a, a->st.message);
	}
	if (a->st.state == BM_SOURCE_FAILED) {
		if (!a->win) {
			a->exit_code = BM_EXIT_INPUT;
			a->quit = 1;
		}
	} else if (a->st.state == BM_SOURCE_ENDED && bm_live_queue_pop(&a->rd.q, a->buf, 0) == 0) {
		/* Everything the source had has been shown. */
		if (!a->win || o->seconds > 0 || o->events_out || o->summary_out)
			a->quit = 1;
	}
}

/* Draw the frame (or print the terminal status line). */
static void app_show(struct app *a)
{
	const struct bm_app_opts *o = a->o;

	if (!a->win) {
		while (bm_monitor_next_cue(a->mon, &(enum bm_live_cue){0}))
			;
		status_line(a, &a->ms, 0);
		/* Unpaced sources: keep going; paced: a calm 20 Hz. */
		if (!(o->speed == 0 && o->source != BM_APP_PORT && o->source != BM_APP_AUTO))
			bm_clock_sleep_s(0.05);
		return;
	}
	bm_app_handle_events(a);
	bm_app_sync_text_input(a);
	play_cues(a);
	fill_model(a, &a->ms);
	bm_view_draw(a->view, &a->vm);
	if (a->quit && o->screenshot && bm_png_save_renderer(a->ren, o->screenshot) != 0) {
		fprintf(stderr, "bridgemon %s: cannot write %s\n", o->cmd, o->screenshot);
		a->exit_code = BM_EXIT_OUTPUT;
	}
	SDL_RenderPresent(a->ren);
	if (a->lat_log) {
		double shown = bm_clock_mono_s();
		for (size_t i = 0; i < a->lat_n; i++)
			fprintf(a->lat_log, "%.6f\n", shown - a->lat_pending[i]);
		a->lat_n = 0;
	}
}

/* The guided protocol, once per frame: fed from the live state; its lines
 * printed without a window; its end handled once. */
static void app_guided(struct app *a)
{
	char line[256];
	struct bm_monitor_state ms;
	enum bm_run_cue c;
	static const enum bm_cue map[] = {
		[BM_RUN_CUE_GET_READY] = BM_CUE_TICK_10S, [BM_RUN_CUE_GO] = BM_CUE_HOLD_START,
		[BM_RUN_CUE_TARGET] = BM_CUE_TARGET,      [BM_RUN_CUE_REST_OVER] = BM_CUE_HOLD_START,
		[BM_RUN_CUE_IN_ZONE] = BM_CUE_REP,        [BM_RUN_CUE_OUT_OF_ZONE] = BM_CUE_TICK_10S,
		[BM_RUN_CUE_FINISHED] = BM_CUE_HOLD_END,
	};
	if (!a->guided)
		return;
	bm_monitor_get_state(a->mon, &ms);
	bm_guided_frame(a->guided, a->mon, &ms, a->st.state == BM_SOURCE_LIVE);
	while (bm_guided_next_cue(a->guided, &c))
		if (a->audio && (size_t)c < sizeof map / sizeof map[0])
			bm_audio_play(a->audio, map[c]);
	while (bm_guided_next_line(a->guided, line, sizeof line)) {
		if (a->win)
			continue;
		if (a->status_shown && isatty(STDERR_FILENO))
			fputs("\r\033[K", stderr);
		fprintf(stderr, "%s\n", line);
	}
	if (!a->guided_ended && bm_guided_over(a->guided)) {
		a->guided_ended = 1;
		a->summary_open = a->win != NULL;
		char text[2048];
		bm_guided_summary_text(a->guided, text, sizeof text);
		if (!a->win)
			fprintf(stderr, "%s(guidance, not medical advice)\n", text);
		/* Headless with no --seconds: the protocol is the session. */
		if (!a->win && !(a->o->seconds > 0))
			a->quit = 1;
	}
}

/* One turn of the loop: wait for the frame time, take samples, watch the
 * source, keep the recording flushed, show. */
static void app_frame(struct app *a)
{
	/* Frame pacing: sleep to the next frame time, then take what the
	 * source delivered and draw it at once. */
	if (a->win) {
		double now = bm_clock_mono_s();
		a->next_frame += a->frame_s;
		if (a->next_frame < now)
			a->next_frame = now; /* late: no catching up in a burst */
		else
			bm_clock_sleep_s(a->next_frame - now);
	}
	app_take_samples(a);
	app_watch_source(a);
	app_guided(a);
	if (stop_signal && !a->quit) {
		a->quit = 1;
		if (!a->win && a->status_shown && isatty(STDERR_FILENO))
			fputs("\r\033[K", stderr);
		fprintf(stderr, "bridgemon %s: %s: finishing%s\n", a->o->cmd, strsignal(stop_signal),
		        a->ms.recording ? " the recording" : "");
	}
	double now = bm_clock_mono_s();
	if (now > a->wall_end) {
		bm_app_message(a, "stopping: the source stopped sending data");
		a->exit_code = BM_EXIT_INPUT;
		a->quit = 1;
	}
	if (now - a->last_flush >= 0.5) {
		char msg[700];
		if (bm_monitor_flush(a->mon, msg, sizeof msg) != 0) {
			/* The disk is full (or the file went away): said once, in
			 * the window and on the terminal; the view goes on. */
			bm_app_message(a, msg);
			if (a->win)
				fprintf(stderr, "bridgemon %s: %s\n", a->o->cmd, msg);
			a->exit_code = BM_EXIT_OUTPUT;
		}
		a->last_flush = now;
	}
	/* Text textures come and go (readouts, timers); the GL driver's
	 * allocations of their varying sizes leave free memory in the heap
	 * that glibc keeps.  Hand it back now and then so a long session
	 * stays flat (bench/bench_live.py measures it). */
	if (now - a->last_trim >= 10.0) {
		malloc_trim(0);
		a->last_trim = now;
	}
	bm_monitor_get_state(a->mon, &a->ms);
	bm_app_rehab_frame(a->rehab, a->mon, &a->ms, now);
	app_show(a);
}

/* What the session adds to the athlete's record: pain scores given, a
 * new MVIC from the test.  The recording's sidecar keeps them as well. */
static void app_keep_results(struct app *a)
{
	char msg[600], rec[600] = "";
	struct bm_mvic mv;
	struct bm_athlete_ctx *ath = bm_app_rehab_athlete(a->rehab);
	if (!ath)
		return;
	const char *base = strrchr(a->last_rec_path, '/');
	snprintf(rec, sizeof rec, "%s", base ? base + 1 : a->last_rec_path);
	const char *r = rec[0] ? rec : NULL;
	if (isfinite(a->o->pain_before) &&
	    bm_athlete_ctx_add_pain(ath, a->o->pain_before, "before", r, msg, sizeof msg) != 0)
		fprintf(stderr, "bridgemon %s: %s\n", a->o->cmd, msg);
	if (isfinite(a->o->pain_after) &&
	    bm_athlete_ctx_add_pain(ath, a->o->pain_after, "after", r, msg, sizeof msg) != 0)
		fprintf(stderr, "bridgemon %s: %s\n", a->o->cmd, msg);
	if (a->guided && !a->is_demo && bm_guided_mvic(a->guided, (double)time(NULL), &mv) == 0) {
		if (bm_athlete_ctx_add_mvic(ath, &mv, r, msg, sizeof msg) != 0)
			fprintf(stderr, "bridgemon %s: %s\n", a->o->cmd, msg);
		else
			fprintf(stderr, "bridgemon %s: MVIC kept: single leg %.0f / %.0f N, both legs "
			                "%.0f / %.0f N (left / right, above rest)\n", a->o->cmd,
			        mv.single_n[0], mv.single_n[1], mv.both_n[0], mv.both_n[1]);
	}
}

/* After the loop: stop the reader, keep what it had queued (within
 * --seconds), finish the recording, say how it ended. */
static void app_drain(struct app *a)
{
	const struct bm_app_opts *o = a->o;
	char msg[600];
	size_t n;

	atomic_store(&a->rd.stop, 1);
	pthread_join(a->rd.thread, NULL);
	a->rd.running = 0;
	while ((n = bm_live_queue_pop(&a->rd.q, a->buf, sizeof a->buf / sizeof a->buf[0])) > 0)
		bm_monitor_push(a->mon, a->buf, within_seconds(a, n));
	bm_monitor_get_state(a->mon, &a->ms);
	if (a->ms.capturing) {
		int was = a->ms.recording || a->ms.write_errno;
		if (bm_monitor_capture_stop(a->mon, msg, sizeof msg) != 0) {
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
			a->exit_code = BM_EXIT_OUTPUT;
		} else if (was) {
			if (!a->win && a->status_shown && isatty(STDERR_FILENO))
				fputs("\r\033[K", stderr);
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, msg);
		}
		if (stop_signal)
			bm_app_rehab_no_upload(a->rehab);
		recording_stopped(a, 0);
	}
	/* The counters end on what analyze says of the same rows. */
	bm_monitor_finish(a->mon);
	bm_monitor_get_state(a->mon, &a->ms);
	app_keep_results(a);
	if (!a->win)
		status_line(a, &a->ms, 1);
	/* The athlete's dose, this session's recordings counted. */
	char dose[900];
	bm_app_rehab_frame(a->rehab, a->mon, &a->ms, bm_clock_mono_s());
	if (bm_app_rehab_dose_line(a->rehab, dose, sizeof dose) == 0)
		fprintf(stderr, "bridgemon %s: %s\n", o->cmd, dose);
	if (a->st.state == BM_SOURCE_FAILED) {
		/* Without a window, bm_app_message() has printed it already. */
		if (a->win)
			fprintf(stderr, "bridgemon %s: %s\n", o->cmd, a->st.message);
		a->exit_code = BM_EXIT_INPUT;
	}
}

/* The one cleanup path, whatever was opened. */
static void app_close(struct app *a)
{
	if (a->rd.running) {
		atomic_store(&a->rd.stop, 1);
		pthread_join(a->rd.thread, NULL);
	}
	close_window(a);
	bm_guided_free(a->guided);
	bm_app_rehab_free(a->rehab);
	if (a->lat_log)
		fclose(a->lat_log);
	bm_monitor_free(a->mon);
	bm_live_queue_destroy(&a->rd.q);
	pthread_mutex_destroy(&a->rd.lock);
	bm_source_free(a->rd.src);
	free(a);
}

int bm_app_run(const struct bm_app_opts *o)
{
	struct app *a = calloc(1, sizeof *a);
	int rc;

	if (!a) {
		fprintf(stderr, "bridgemon %s: out of memory\n", o->cmd);
		return BM_EXIT_INPUT;
	}
	pthread_mutex_init(&a->rd.lock, NULL);
	rc = app_open(a, o);
	if (rc < 0) {
		while (!a->quit)
			app_frame(a);
		app_drain(a);
		rc = a->exit_code;
	}
	app_close(a);
	return rc;
}
