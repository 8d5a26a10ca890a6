/*
 * bm_view_holds.c - the hold panel: the seconds of this hold, large, with
 * a bar filling toward the target, and today's total hold time against
 * the daily aim.
 *
 * The timer is the second thing read from the mat after the force, so it
 * gets the timer font: white while holding, green once the target is
 * reached, dimmed between holds (then it shows the last hold).  The hold
 * bar has a notch every 10 s and the daily bar one every minute, so the
 * athlete can count without reading.
 */
#include "bm_view_priv.h"

#include <stdio.h>

void bm_view_panel_holds(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	char a[48], b[48], line[96];

	bool reached = m->hold_target_s > 0 && m->hold_elapsed_s >= m->hold_target_s;
	bm_view_fmt_dur(a, sizeof a, m->hold_elapsed_s);
	text_draw(v, BM_VIEW_FONT_TIMER,
	          !m->hold_active ? BM_VIEW_C_DIM : reached ? BM_VIEW_C_IN : BM_VIEW_C_TEXT,
	          a, L->hold_text, BM_VIEW_ALIGN_LEFT);
	if (m->hold_target_s > 0) {
		bm_view_fmt_dur(b, sizeof b, m->hold_target_s);
		snprintf(line, sizeof line, "%s  target %s", m->hold_active ? "hold" : "last hold", b);
	} else {
		snprintf(line, sizeof line, "%s", m->hold_active ? "hold" : "last hold");
	}
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, L->hold_text, BM_VIEW_ALIGN_RIGHT);
	bm_view_progress(v, L->hold_bar, m->hold_elapsed_s, m->hold_target_s, 10.0);

	/* An athlete's dose takes the daily row (bm_view_dose.c). */
	if (m->dose.active)
		return;
	bm_view_fmt_min_sec(a, sizeof a, m->today_hold_s);
	snprintf(line, sizeof line, "today %s", a);
	bool aim_done = m->daily_aim_s > 0 && m->today_hold_s >= m->daily_aim_s;
	text_draw(v, BM_VIEW_FONT_TEXT, aim_done ? BM_VIEW_C_IN : BM_VIEW_C_TEXT, line,
	          L->daily_text, BM_VIEW_ALIGN_LEFT);
	if (m->daily_aim_s > 0) {
		bm_view_fmt_min_sec(b, sizeof b, m->daily_aim_s);
		snprintf(line, sizeof line, "daily aim %s", b);
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, L->daily_text,
		          BM_VIEW_ALIGN_RIGHT);
	}
	bm_view_progress(v, L->daily_bar, m->today_hold_s, m->daily_aim_s, 60.0);
}
