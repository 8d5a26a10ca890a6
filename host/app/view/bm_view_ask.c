/*
 * bm_view_ask.c - what the window asks: a pain question with the digits
 * typed so far, then for a few seconds its answer (the pain zone in its
 * colour and the pain model's advice, labelled guidance); and the athlete
 * picker.
 *
 * A pain question must not stop the session, so its box covers only the
 * lower part of the trace: the bars, the timer and the dose stay in view
 * and keep moving.  The picker chooses who the session is for, so it is an
 * overlay like the key list (the data still flows behind it).
 */
#include "bm_view_priv.h"

#include <stdio.h>

/* The pain box: the lower part of the trace. */
static SDL_Rect ask_box(const struct bm_view_layout *L)
{
	SDL_Rect t = L->trace;
	return rect(t.x + t.w / 10, t.y + t.h * 42 / 100, t.w * 8 / 10, t.h * 55 / 100);
}

void bm_view_panel_ask(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	if (!m->ask.active)
		return;
	SDL_Rect box = ask_box(L);
	if (box.w <= 0 || box.h <= 0)
		return;
	int bw = imax(2, L->pad / 4);
	fill(v, box, BM_VIEW_C_DIM);
	fill_alpha(v, rect(box.x + bw, box.y + bw, box.w - 2 * bw, box.h - 2 * bw), BM_VIEW_C_BG, 235);
	SDL_Rect in = rect(box.x + L->pad, box.y + bw, box.w - 2 * L->pad, box.h - 2 * bw);
	int lh = in.h / 4;
	char line[BM_VIEW_INPUT_MAX + 8];
	if (m->ask.answered) {
		static const enum bm_view_colour zone_colour[] = {BM_VIEW_C_TEXT, BM_VIEW_C_IN,
		                                                 BM_VIEW_C_TEXT, BM_VIEW_C_ABOVE};
		int z = m->ask.zone_level >= 0 && m->ask.zone_level <= 3 ? m->ask.zone_level : 0;
		text_draw(v, BM_VIEW_FONT_TEXT, zone_colour[z], m->ask.zone, rect(in.x, in.y, in.w, lh),
		          BM_VIEW_ALIGN_CENTRE);
		/* Three lines under the zone, centred. */
		bm_view_text_wrapped(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, m->ask.advice,
		                     rect(in.x, in.y + lh, in.w, (in.h - lh) / 3), 3,
		                     BM_VIEW_ALIGN_CENTRE);
		return;
	}
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_TEXT, m->ask.prompt, rect(in.x, in.y, in.w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	snprintf(line, sizeof line, "%.*s_", BM_VIEW_INPUT_MAX - 1, m->ask.input);
	text_draw(v, BM_VIEW_FONT_LABEL, BM_VIEW_C_WARN, line, rect(in.x, in.y + lh, in.w, 2 * lh),
	          BM_VIEW_ALIGN_CENTRE);
	text_draw(v, BM_VIEW_FONT_SMALL, m->ask.refused ? BM_VIEW_C_WARN : BM_VIEW_C_DIM, m->ask.hint,
	          rect(in.x, in.y + 3 * lh, in.w, lh), BM_VIEW_ALIGN_CENTRE);
}

void bm_view_overlay_picker(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->help;
	if (!m->picker.active || box.w <= 0 || box.h <= 0)
		return;
	bm_view_overlay_box(v, box);
	/* title, current, the rows with a line above and below for "more",
	 * the new name, the hint */
	int lines = BM_VIEW_PICKER_ROWS + 6;
	int x = box.x + 2 * L->pad, w = box.w - 4 * L->pad;
	int lh = (box.h - 2 * L->pad) / lines, y = box.y + L->pad;
	char line[BM_VIEW_NAME_MAX + 32];
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Athlete", rect(x, y, w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += lh;
	if (m->picker.current[0])
		snprintf(line, sizeof line, "now: %.*s", BM_VIEW_NAME_MAX - 1, m->picker.current);
	else
		snprintf(line, sizeof line, "now: no athlete");
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, rect(x, y, w, lh), BM_VIEW_ALIGN_CENTRE);
	y += lh;
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, m->picker.more_above ? "\u2191 more" : "",
	          rect(x, y, w, lh), BM_VIEW_ALIGN_LEFT);
	y += lh;
	for (int i = 0; i < m->picker.n_rows && i < BM_VIEW_PICKER_ROWS; i++, y += lh) {
		bool sel = i == m->picker.sel_row;
		if (sel)
			fill(v, rect(x, y, w, lh), BM_VIEW_C_BG);
		snprintf(line, sizeof line, "%s%.*s", sel ? "\u25b8 " : "  ", BM_VIEW_NAME_MAX - 1,
		         m->picker.rows[i]);
		text_draw(v, BM_VIEW_FONT_OVERLAY, sel ? BM_VIEW_C_WARN : BM_VIEW_C_TEXT, line,
		          rect(x, y, w, lh), BM_VIEW_ALIGN_LEFT);
	}
	if (!m->picker.n_rows)
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, "no athletes in the store yet",
		          rect(x, y, w, lh), BM_VIEW_ALIGN_LEFT);
	y = box.y + L->pad + (3 + BM_VIEW_PICKER_ROWS) * lh;
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, m->picker.more_below ? "\u2193 more" : "",
	          rect(x, y, w, lh), BM_VIEW_ALIGN_LEFT);
	y += lh;
	snprintf(line, sizeof line, "new athlete: %.*s_", BM_VIEW_NAME_MAX - 1, m->picker.input);
	text_draw(v, BM_VIEW_FONT_OVERLAY, m->picker.input[0] ? BM_VIEW_C_WARN : BM_VIEW_C_DIM, line,
	          rect(x, y, w, lh), BM_VIEW_ALIGN_LEFT);
	y += lh;
	text_draw(v, BM_VIEW_FONT_TEXT, m->picker.refused ? BM_VIEW_C_WARN : BM_VIEW_C_DIM,
	          m->picker.hint, rect(x, y, w, lh), BM_VIEW_ALIGN_CENTRE);
}
