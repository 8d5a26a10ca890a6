/*
 * bm_view_gauge.c - asymmetry: in words (live, and for the last finished
 * effort) and on a horizontal gauge.
 *
 * The gauge's centre line means even; the fill grows from it toward the
 * weaker leg's side (L at the left end, R at the right), on a scale of
 * twice the flag threshold (at least 30 %, at most 100 %) so the two thin
 * threshold marks sit halfway out.  Small marks at the gauge's edges show
 * the last effort.  Over the threshold the fill and the words turn red;
 * red means only this on the screen.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>

/* Words: live on the left, the last effort on the right. */
static void draw_words(struct bm_view *v, const struct bm_view_model *m)
{
	char line[96];
	SDL_Rect t = v->lay.gauge_text;
	SDL_Rect tl = rect(t.x, t.y, t.w * 11 / 20, t.h);
	SDL_Rect tr = rect(t.x + tl.w, t.y, t.w - tl.w, t.h);
	if (m->asym_weaker == BM_LEFT || m->asym_weaker == BM_RIGHT)
		snprintf(line, sizeof line, "%s weaker %.0f %%",
		         bm_view_leg_name(m->asym_weaker, true), (double)m->asym_pct);
	else
		snprintf(line, sizeof line, "legs even");
	text_draw(v, BM_VIEW_FONT_TEXT, m->asym_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_TEXT,
	          line, tl, BM_VIEW_ALIGN_LEFT);
	if (m->effort_valid) {
		if (m->effort_weaker == BM_LEFT || m->effort_weaker == BM_RIGHT)
			snprintf(line, sizeof line, "last effort: %s %.0f %%",
			         bm_view_leg_name(m->effort_weaker, false),
			         (double)m->effort_asym_pct);
		else
			snprintf(line, sizeof line, "last effort: even");
		text_draw(v, BM_VIEW_FONT_TEXT, m->effort_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_DIM,
		          line, tr, BM_VIEW_ALIGN_RIGHT);
	}
}

/* Gauge: centre is even; the fill grows toward the weaker leg's side. */
static void draw_gauge(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect g = L->gauge;
	if (g.w < 4 || g.h < 2)
		return;
	fill(v, g, BM_VIEW_C_TRACK);
	int end = imin(g.h, g.w / 8); /* room for the L / R letters */
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_LEG_L, "L", rect(g.x, g.y, end, g.h),
	          BM_VIEW_ALIGN_CENTRE);
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_LEG_R, "R", rect(g.x + g.w - end, g.y, end, g.h),
	          BM_VIEW_ALIGN_CENTRE);
	int cx = g.x + g.w / 2;
	int half = g.w / 2 - end;
	double scale = fmax(30.0, m->asym_flag_pct > 0 ? 2.0 * m->asym_flag_pct : 0.0);
	if (scale > 100)
		scale = 100;
	int inset = g.h / 5;
	int lw = imax(2, L->pad / 5);
	if (m->asym_weaker == BM_LEFT || m->asym_weaker == BM_RIGHT) {
		int len = (int)lround(frac(m->asym_pct, scale) * half);
		int x = m->asym_weaker == BM_LEFT ? cx - len : cx;
		fill(v, rect(x, g.y + inset, len, g.h - 2 * inset),
		     m->asym_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_GAUGE);
	}
	if (m->asym_flag_pct > 0 && m->asym_flag_pct < scale) {
		int d = (int)lround(m->asym_flag_pct / scale * half);
		fill(v, rect(cx - d - lw / 2, g.y, lw, g.h), BM_VIEW_C_DIM);
		fill(v, rect(cx + d - lw / 2, g.y, lw, g.h), BM_VIEW_C_DIM);
	}
	fill(v, rect(cx - lw / 2, g.y, lw, g.h), BM_VIEW_C_TEXT);
	if (m->effort_valid && (m->effort_weaker == BM_LEFT || m->effort_weaker == BM_RIGHT)) {
		int d = (int)lround(frac(m->effort_asym_pct, scale) * half);
		int x = m->effort_weaker == BM_LEFT ? cx - d : cx + d;
		int mw = imax(3, L->pad / 2);
		enum bm_view_colour c = m->effort_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_TEXT;
		fill(v, rect(x - mw / 2, g.y, mw, inset), c);
		fill(v, rect(x - mw / 2, g.y + g.h - inset, mw, inset), c);
	}
}

void bm_view_panel_gauge(struct bm_view *v, const struct bm_view_model *m)
{
	draw_words(v, m);
	draw_gauge(v, m);
}
