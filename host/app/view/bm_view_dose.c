/*
 * bm_view_dose.c - the athlete's daily dose, in the place of "today": hold
 * time today per leg against the aim and over the last days, and under it
 * the every-second-day rhythm and the load-weighted time, with the day's
 * bar filling toward the aim's low end.
 *
 * The dose is read between holds, not during one, so it takes the small
 * font and two lines in the row that held one; today's words turn green
 * when both legs are within the aim and amber when a leg is past its high
 * end (more is not better for a healing tendon).  In a window too narrow
 * for both halves of a line the right half (the week, the load) goes.  The bar follows the leg
 * with less: the aim is met when both legs have met it.
 */
#include "bm_view_priv.h"

/* The right-hand text of a line whose left part is @p left_w pixels wide:
 * left out in a window too narrow for both, never drawn over the left. */
static void right(struct bm_view *v, enum bm_view_colour c, const char *s, SDL_Rect line,
                  int left_w)
{
	int gap = 2 * v->lay.pad;
	if (left_w + gap + bm_view_textcache_width(v->text, BM_VIEW_FONT_SMALL, s) <= line.w)
		text_draw(v, BM_VIEW_FONT_SMALL, c, s, line, BM_VIEW_ALIGN_RIGHT);
}

void bm_view_panel_dose(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	if (!m->dose.active)
		return;
	/* Two lines: the row, and the gap above it that the hold bar leaves. */
	SDL_Rect r = L->daily_text;
	int gap = L->pad / 2;
	SDL_Rect area = rect(r.x, r.y - gap, r.w, r.h + gap);
	SDL_Rect top = rect(area.x, area.y, area.w, area.h / 2);
	SDL_Rect bottom = rect(area.x, area.y + area.h / 2, area.w, area.h - area.h / 2);
	enum bm_view_colour today = m->dose.above_aim ? BM_VIEW_C_ABOVE
	                            : m->dose.in_aim  ? BM_VIEW_C_IN
	                                              : BM_VIEW_C_TEXT;
	int w = text_draw(v, BM_VIEW_FONT_SMALL, today, m->dose.today, top, BM_VIEW_ALIGN_LEFT);
	right(v, BM_VIEW_C_TEXT, m->dose.week, top, w);
	w = text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, m->dose.rhythm, bottom, BM_VIEW_ALIGN_LEFT);
	right(v, BM_VIEW_C_DIM, m->dose.load, bottom, w);
	bm_view_progress(v, L->daily_bar, m->dose.today_low_s, m->dose.aim_min_s, 60.0);
}
