/*
 * bm_view.c - the view object and the order of a frame.
 *
 * A frame is: lay out the output (bm_view_layout_compute()), size the
 * fonts to it, pace the readouts, clear, then the panels back to front:
 * legs, trace, holds, gauge, message, status, and the overlays last so
 * they cover everything (the progress view, calibration, the key list; the
 * dose sits in the holds panel's daily row, a pain question over the lower
 * trace).  Each panel is its own file (bm_view_priv.h has
 * the map); this file only owns what lives across frames.
 *
 * Three things keep a frame cheap (the whole program should stay under 5 %
 * of a core at 60 FPS): text is rendered once per string and kept
 * (bm_view_textcache.c); the trace is one span per pixel column per leg
 * (bm_view_trace_panel.c); and nothing is allocated per frame once the
 * largest window size was seen.  The leg readouts are refreshed at most
 * every READOUT_PERIOD_S of model time: a number changing 60 times a
 * second cannot be read anyway, and it keeps text renders to a handful
 * per second.
 */
#include "bm_view_priv.h"

#include <stdlib.h>

/* Readouts change at most this often, seconds of model time. */
#define READOUT_PERIOD_S 0.1

int bm_view_new(SDL_Renderer *renderer, const char *font_dir,
                struct bm_view **out)
{
	if (!out)
		return BM_VIEW_ERR_ARG;
	*out = NULL;
	if (!renderer)
		return BM_VIEW_ERR_ARG;
	struct bm_view_textcache *text;
	int rc = bm_view_textcache_new(renderer, font_dir, &text);
	if (rc != BM_VIEW_OK)
		return rc;
	struct bm_view *v = calloc(1, sizeof *v);
	if (!v) {
		bm_view_textcache_free(text);
		return BM_VIEW_ERR_NOMEM;
	}
	v->r = renderer;
	v->text = text;
	*out = v;
	return BM_VIEW_OK;
}

void bm_view_free(struct bm_view *v)
{
	if (!v)
		return;
	bm_view_textcache_free(v->text);
	bm_view_plot_cols_free(&v->cols);
	free(v);
}

const struct bm_view_layout *bm_view_layout(const struct bm_view *v)
{
	return &v->lay;
}

size_t bm_view_cached_texts(const struct bm_view *v)
{
	return bm_view_textcache_count(v->text);
}

uint64_t bm_view_text_renders(const struct bm_view *v)
{
	return bm_view_textcache_renders(v->text);
}

/* Readouts follow the model at most every READOUT_PERIOD_S. */
static void readouts_update(struct bm_view *v, const struct bm_view_model *m)
{
	double dt = m->now_s - v->shown_t_s;
	if (v->shown_valid && dt >= 0 && dt < READOUT_PERIOD_S)
		return;
	for (int leg = 0; leg < BM_NCHAN; leg++)
		v->shown_n[leg] = m->force_n[leg];
	v->shown_t_s = m->now_s;
	v->shown_valid = true;
}

int bm_view_draw(struct bm_view *v, const struct bm_view_model *m)
{
	if (!v || !m)
		return BM_VIEW_ERR_ARG;
	int w, h;
	if (SDL_GetRendererOutputSize(v->r, &w, &h) != 0)
		return BM_VIEW_ERR_SDL;
	bm_view_layout_compute(w, h, &v->lay);
	bm_view_textcache_frame(v->text, v->lay.font_px);
	readouts_update(v, m);

	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
	set_colour(v, BM_VIEW_C_BG, 255);
	SDL_RenderClear(v->r);

	float fs = bm_view_full_scale_n(m);
	bm_view_panel_legs(v, m, fs);
	bm_view_panel_trace(v, m, fs);
	bm_view_panel_holds(v, m);
	bm_view_panel_dose(v, m);
	bm_view_panel_gauge(v, m);
	bm_view_panel_message(v, m);
	bm_view_panel_status(v, m);
	bm_view_panel_protocol(v, m);
	bm_view_panel_ask(v, m);
	if (m->picker.active)
		bm_view_overlay_picker(v, m);
	if (m->progress_visible)
		bm_view_overlay_progress(v, &m->progress);
	if (m->cal.active)
		bm_view_overlay_cal(v, m);
	if (m->help_visible)
		bm_view_overlay_help(v);
	bm_view_textcache_age(v->text);
	return BM_VIEW_OK;
}
