/*
 * bm_view_overlay.c - what is drawn over everything: the key list (h) and
 * the calibration box (c).
 *
 * An overlay dims the whole frame and draws a bordered box
 * (bm_view_overlay_box()), so the live picture stays visible behind it.
 * The key list is also the program's one list of keys (bm_view_keys());
 * README-view.md keeps the same table for people.
 */
#include <string.h>

#include "bm_view_priv.h"

#include <stdio.h>

static const struct bm_view_key keys[] = {
	{"space", "start / stop recording"},
	{"t", "tare: zero both legs (refused while loaded)"},
	{"c", "calibrate with a known mass"},
	{"u", "units: newtons / kilograms"},
	{"z", "set the target zone"},
	{"+ / -", "longer / shorter trace (10 to 60 s)"},
	{"m", "sound cues off / on"},
	{"f", "full screen on / off"},
	{"p", "progress and return to run (p closes)"},
	{"a", "athlete: pick one or type a new name"},
	{"0-9 Enter", "answer a pain question (Esc skips)"},
	{"h", "show / hide this help"},
	{"q / Esc", "quit (the recording is saved first)"},
};

const struct bm_view_key *bm_view_keys(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

void bm_view_overlay_help(struct bm_view *v)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->help;
	if (box.w <= 0 || box.h <= 0)
		return;
	bm_view_overlay_box(v, box);
	size_t n;
	const struct bm_view_key *k = bm_view_keys(&n);
	int lines = (int)n + 3; /* title, blank, keys..., footer */
	int inner_x = box.x + 2 * L->pad, inner_w = box.w - 4 * L->pad;
	int lh = (box.h - 2 * L->pad) / lines;
	int y = box.y + L->pad;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Keys", rect(inner_x, y, inner_w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += 2 * lh;
	int kw = inner_w * 20 / 100;
	for (size_t i = 0; i < n; i++, y += lh) {
		text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, k[i].key, rect(inner_x, y, kw, lh),
		          BM_VIEW_ALIGN_LEFT);
		text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, k[i].what,
		          rect(inner_x + kw, y, inner_w - kw, lh), BM_VIEW_ALIGN_LEFT);
	}
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "h closes this list",
	          rect(inner_x, y, inner_w, lh), BM_VIEW_ALIGN_CENTRE);
}

void bm_view_overlay_cal(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->cal;
	if (box.w <= 0 || box.h <= 0)
		return;
	bm_view_overlay_box(v, box);
	int inner_x = box.x + 2 * L->pad, inner_w = box.w - 4 * L->pad;
	int lh = (box.h - 2 * L->pad) / 7;
	int y = box.y + L->pad;
	char line[BM_VIEW_MESSAGE_MAX + 32];
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Calibrate", rect(inner_x, y, inner_w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += lh;
	bm_view_text_wrapped(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, m->cal.prompt,
	                     rect(inner_x, y, inner_w, lh), 3, BM_VIEW_ALIGN_CENTRE);
	y += 3 * lh;
	snprintf(line, sizeof line, "mass: %.*s_ kg", BM_VIEW_INPUT_MAX - 1, m->cal.input);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, line, rect(inner_x, y, inner_w, lh * 2),
	          BM_VIEW_ALIGN_CENTRE);
	y += 2 * lh;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "Enter confirms \u00b7 Esc cancels",
	          rect(inner_x, y, inner_w, lh), BM_VIEW_ALIGN_CENTRE);
}
