/*
 * bm_app_keys.c - what the live window's keys and events do: the live keys
 * (record, tare, calibrate, zone, units, trace width, sound, full screen,
 * help, progress, quit), the calibration's steps, the protocol's skip /
 * repeat / abandon, and the rehab session's questions and picker, which
 * come first when open.  The README's key table lists them.
 */
#include "bm_app_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_calib.h"
#include "bm_progress_glue.h"
#include "bm_sessions_dir.h"

/* The calibration prompt for the current step (cal_step 1: left mass,
 * 2: right mass, 3: check both and confirm). */
static void calibration_step(struct app *a)
{
	a->vm.cal.active = a->cal_step != 0;
	if (a->cal_step == 1 || a->cal_step == 2) {
		snprintf(a->vm.cal.prompt, sizeof a->vm.cal.prompt,
		         "Put a known mass on the %s plate alone, keep it still, type its mass in kg, "
		         "press Enter (Esc discards the whole calibration)",
		         a->cal_step == 1 ? "LEFT" : "RIGHT");
		SDL_StartTextInput();
	} else {
		SDL_StopTextInput();
	}
	if (a->cal_step != 3)
		a->vm.cal.input[0] = '\0';
}

/* The check step's prompt, updated every frame: what each plate reads
 * under the new calibration. */
void bm_app_calibration_check_prompt(struct app *a)
{
	char l[32] = "-", r[32] = "-";
	double kl = bm_monitor_cal_reading_kg(a->mon, 0), kr = bm_monitor_cal_reading_kg(a->mon, 1);
	if (isfinite(kl))
		snprintf(l, sizeof l, "%.2f kg", kl);
	if (isfinite(kr))
		snprintf(r, sizeof r, "%.2f kg", kr);
	snprintf(a->vm.cal.prompt, sizeof a->vm.cal.prompt,
	         "Check: with the new calibration the LEFT plate reads %s, the RIGHT %s (masses "
	         "%.2f and %.2f kg). Enter applies it, Esc discards it", l, r, a->cal_kg[0],
	         a->cal_kg[1]);
}

/* A key while calibrating: the mass being typed, Enter, Esc. */
static void on_calibration_key(struct app *a, SDL_Keycode k)
{
	char msg[600];
	if (k == SDLK_ESCAPE) {
		a->cal_step = 0;
		bm_monitor_cal_abort(a->mon);
		bm_app_message(a, "calibration discarded: the plates keep their earlier calibration");
		calibration_step(a);
		return;
	}
	if (k == SDLK_BACKSPACE && a->cal_step != 3) {
		size_t n = strlen(a->vm.cal.input);
		if (n)
			a->vm.cal.input[n - 1] = '\0';
		a->cal_override = 0;
		return;
	}
	if (k != SDLK_RETURN && k != SDLK_KP_ENTER)
		return;
	if (a->cal_step == 3) {
		bm_monitor_cal_commit(a->mon);
		bm_app_save_calibration(a);
		a->cal_step = 0;
		bm_app_message(a, "calibration applied to both plates and saved");
		calibration_step(a);
		return;
	}
	char *end;
	double kg = strtod(a->vm.cal.input, &end);
	int leg = a->cal_step - 1;
	if (end == a->vm.cal.input || *end) {
		bm_app_message(a, "type the mass in kg (digits and a point), then Enter");
		return;
	}
	int r = bm_monitor_cal_measure(a->mon, leg, kg, a->cal_override, msg, sizeof msg);
	if (r == BM_CALIB_OK) {
		a->cal_kg[leg] = kg;
		a->cal_override = 0;
		a->cal_step++;
		snprintf(msg, sizeof msg, "%s plate measured with %.2f kg%s", leg ? "right" : "left",
		         kg, a->cal_step == 3 ? "; check both, then Enter" : "");
		bm_app_message(a, msg);
		calibration_step(a);
		return;
	}
	/* A scale far from the board's earlier one: Enter again confirms. */
	a->cal_override = strstr(msg, "override") != NULL;
	if (a->cal_override)
		strncat(msg, " (Enter again)", sizeof msg - strlen(msg) - 1);
	bm_app_message(a, msg);
}

/* The progress view (p): the athlete's history built again from the store
 * at each open, after the recordings folder is synced into it, so the
 * sessions saved during this run are in it.  Takes some tens of ms on a
 * key press (bench: history of 1,000 sessions in about 50 ms). */
static void open_progress(struct app *a)
{
	char dir[512], msg[600];
	const char *d = bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) == 0 ? dir : NULL;
	struct bm_athlete_ctx *ath = bm_app_rehab_athlete(a->rehab);
	bm_progress_glue_load(ath ? bm_athlete_ctx_store(ath) : NULL, a->o->db, d,
	                      ath ? bm_athlete_ctx_name(ath) : NULL, &a->settings.readiness,
	                      &a->vm.progress);
	a->vm.progress_visible = 1;
}

/* A key while the progress view is open: p or Esc closes it; quit, help,
 * full screen and sound work; the live keys wait until it is closed.
 * Returns 1 when the key was taken here. */
static int on_progress_key(struct app *a, SDL_Keycode k)
{
	if (k == SDLK_p || k == SDLK_ESCAPE) {
		a->vm.progress_visible = 0;
		return 1;
	}
	return !(k == SDLK_q || k == SDLK_h || k == SDLK_f || k == SDLK_m);
}

/* A key as the rehab session takes it (bm_app_rehab.h). */
static enum bm_app_rehab_key rehab_key(SDL_Keycode k, int *digit)
{
	*digit = -1;
	if (k >= SDLK_0 && k <= SDLK_9)
		*digit = (int)(k - SDLK_0);
	else if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
		*digit = 1 + (int)(k - SDLK_KP_1);
	else if (k == SDLK_KP_0)
		*digit = 0;
	if (*digit >= 0)
		return BM_RK_DIGIT;
	switch (k) {
	case SDLK_BACKSPACE: return BM_RK_BACKSPACE;
	case SDLK_RETURN:
	case SDLK_KP_ENTER: return BM_RK_ENTER;
	case SDLK_ESCAPE: return BM_RK_ESCAPE;
	case SDLK_UP: return BM_RK_UP;
	case SDLK_DOWN: return BM_RK_DOWN;
	case SDLK_a: return BM_RK_PICKER;
	default: return BM_RK_OTHER;
	}
}

/* A pain score typed during a recording goes into its sidecar now. */
static void update_context(struct app *a)
{
	struct bm_meta m;
	bm_app_source_meta(a, &m);
	bm_monitor_set_context(a->mon, &m.ctx);
	bm_meta_free(&m);
}

/* Another athlete: a protocol not yet over starts again with their MVIC's
 * zones. */
static void athlete_changed(struct app *a)
{
	struct bm_mvic mv;
	struct bm_guided *g;
	char msg[600], why[300];
	if (!a->guided || a->guided_ended)
		return;
	bm_app_rehab_mvic(a->rehab, &mv);
	enum bm_side anchor = bm_app_zone_anchor(a->o, bm_app_rehab_athlete(a->rehab), why, sizeof why);
	if (bm_guided_new(a->o->protocol, &mv, anchor, &g, msg, sizeof msg) != 0) {
		bm_app_message(a, msg);
		return;
	}
	bm_guided_free(a->guided);
	a->guided = g;
	bm_app_message(a, why[0] ? why : anchor != BM_SIDE_NONE
	                                  ? "the protocol starts again, with this athlete's zones "
	                                    "(both legs on the uninjured leg's MVIC)"
	                                  : "the protocol starts again, with this athlete's zones");
}

/* The athlete picker takes typed text; otherwise text input stays off, so
 * that the key opening it is not typed into it. */
void bm_app_sync_text_input(struct app *a)
{
	int want = a->cal_step == 1 || a->cal_step == 2 || bm_app_rehab_picker_active(a->rehab);
	if (want && !SDL_IsTextInputActive())
		SDL_StartTextInput();
	else if (!want && SDL_IsTextInputActive())
		SDL_StopTextInput();
}

static void on_key(struct app *a, SDL_Keycode k)
{
	char msg[600];
	if (a->cal_step) {
		on_calibration_key(a, k);
		return;
	}
	/* Esc closes the key list before it would quit. */
	if (k == SDLK_ESCAPE && a->vm.help_visible) {
		a->vm.help_visible = 0;
		return;
	}
	if (a->vm.progress_visible && on_progress_key(a, k))
		return;
	/* The picker and a pain question come first; keys they do not take
	 * work as ever (the session goes on behind a question). */
	int digit;
	enum bm_app_rehab_key rk = rehab_key(k, &digit);
	int did = bm_app_rehab_key(a->rehab, rk, digit, a->vm.recording);
	if (did & BM_APP_REHAB_CONTEXT)
		update_context(a);
	if (did & BM_APP_REHAB_ATHLETE)
		athlete_changed(a);
	if (did & BM_APP_REHAB_QUIT)
		a->quit = 1;
	if (did)
		return;
	if (a->summary_open && (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_ESCAPE)) {
		a->summary_open = 0;
		return;
	}
	if (a->guided && !a->guided_ended && (k == SDLK_n || k == SDLK_r || k == SDLK_x)) {
		if (k == SDLK_n)
			bm_guided_skip(a->guided, msg, sizeof msg);
		else if (k == SDLK_r)
			bm_guided_repeat(a->guided, msg, sizeof msg);
		else if (bm_guided_abandon(a->guided) == 0)
			snprintf(msg, sizeof msg, "protocol abandoned: the summary says what was done");
		else
			snprintf(msg, sizeof msg, "nothing to abandon");
		bm_app_message(a, msg);
		return;
	}
	switch (k) {
	case SDLK_SPACE:
		if (a->vm.recording)
			bm_app_stop_recording(a);
		else
			bm_app_start_recording(a, NULL);
		break;
	case SDLK_t:
		if (!a->st.raw) {
			bm_app_message(a, "tare is for live plates; a replay shows forces as recorded");
			break;
		}
		if (bm_monitor_tare(a->mon, msg, sizeof msg) == BM_CALIB_OK)
			bm_app_save_calibration(a);
		bm_app_message(a, msg);
		break;
	case SDLK_c:
		if (!a->st.raw) {
			bm_app_message(a, "calibration is for live plates; a replay shows forces as recorded");
			break;
		}
		bm_monitor_cal_begin(a->mon);
		a->cal_step = 1;
		a->cal_override = 0;
		calibration_step(a);
		break;
	case SDLK_u:
		a->vm.units = a->vm.units == BM_VIEW_UNITS_N ? BM_VIEW_UNITS_KG : BM_VIEW_UNITS_N;
		break;
	case SDLK_z: {
		/* Pushing (a hold or any effort under way): the zone becomes the
		 * current force +-10 %, whatever its size.  At rest: the zone
		 * goes. */
		struct bm_monitor_state ms;
		bm_monitor_get_state(a->mon, &ms);
		double f = fmax(isfinite(ms.force_n[0]) ? ms.force_n[0] : 0,
		                isfinite(ms.force_n[1]) ? ms.force_n[1] : 0);
		int pushing = ms.hold_active || ms.asym_weaker >= 0 ||
		              (isfinite(ms.rest_n[0]) && ms.force_n[0] > ms.rest_n[0] + 20) ||
		              (isfinite(ms.rest_n[1]) && ms.force_n[1] > ms.rest_n[1] + 20);
		if (pushing && f > 0) {
			a->vm.zone_low_n = (float)(0.9 * f);
			a->vm.zone_high_n = (float)(1.1 * f);
			snprintf(msg, sizeof msg, "target zone %.0f-%.0f N", 0.9 * f, 1.1 * f);
		} else if (a->vm.zone_low_n < a->vm.zone_high_n) {
			a->vm.zone_low_n = a->vm.zone_high_n = 0;
			snprintf(msg, sizeof msg, "target zone off");
		} else {
			snprintf(msg, sizeof msg, "press z while holding to set the target zone");
		}
		bm_app_message(a, msg);
		break;
	}
	case SDLK_PLUS:
	case SDLK_EQUALS:
	case SDLK_KP_PLUS:
		a->vm.trace_window_s = fminf(a->vm.trace_window_s + 10, BM_VIEW_TRACE_MAX_S);
		break;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
		a->vm.trace_window_s = fmaxf(a->vm.trace_window_s - 10, BM_VIEW_TRACE_MIN_S);
		break;
	case SDLK_m:
		a->vm.muted = !a->vm.muted;
		if (a->audio)
			bm_audio_set_muted(a->audio, a->vm.muted);
		break;
	case SDLK_f: {
		Uint32 fl = SDL_GetWindowFlags(a->win);
		SDL_SetWindowFullscreen(a->win, fl & SDL_WINDOW_FULLSCREEN_DESKTOP ? 0
		                                                                 : SDL_WINDOW_FULLSCREEN_DESKTOP);
		break;
	}
	case SDLK_h:
		a->vm.help_visible = !a->vm.help_visible;
		break;
	case SDLK_p:
		open_progress(a);
		break;
	case SDLK_q:
	case SDLK_ESCAPE:
		/* With an athlete, quitting asks pain after first (about the
		 * recording, which stops); q again quits. */
		if (bm_app_rehab_quit_waits(a->rehab)) {
			if (a->vm.recording)
				bm_app_stop_recording(a);
			break;
		}
		a->quit = 1;
		break;
	default:
		break;
	}
}

void bm_app_handle_events(struct app *a)
{
	SDL_Event e;
	while (SDL_PollEvent(&e)) {
		if (e.type == SDL_QUIT) {
			/* The window's close button is q: with an athlete, pain
			 * after is asked first, and closing again quits.  (Signals
			 * are not SDL_QUIT here: SDL_HINT_NO_SIGNAL_HANDLERS.) */
			if (bm_app_rehab_quit_waits(a->rehab)) {
				if (a->vm.recording)
					bm_app_stop_recording(a);
			} else {
				a->quit = 1;
			}
		} else if (e.type == SDL_KEYDOWN) {
			on_key(a, e.key.keysym.sym);
			bm_app_sync_text_input(a);
		} else if (e.type == SDL_TEXTINPUT && bm_app_rehab_text(a->rehab, e.text.text)) {
			/* the athlete picker took it */
		} else if (e.type == SDL_TEXTINPUT && a->cal_step) {
			size_t n = strlen(a->vm.cal.input);
			for (const char *c = e.text.text; *c && n + 1 < sizeof a->vm.cal.input; c++)
				if ((*c >= '0' && *c <= '9') || *c == '.' || *c == ',')
					a->vm.cal.input[n++] = *c == ',' ? '.' : *c;
			a->vm.cal.input[n] = '\0';
		}
	}
}
