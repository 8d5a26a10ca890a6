/*
 * bm_view_protocol.c - a guided protocol on screen: a strip over the trace
 * with the set ("set 2 of 5 \u00b7 hold 45 s @ 70 %") and how far it is
 * ("hold: 23 s of 45 s"), a large countdown while getting ready or
 * resting, and at the end the summary screen.
 *
 * The countdown takes the middle of the trace: between sets the trace has
 * nothing to say, and the athlete looks there.  The summary is an overlay
 * like the key list, closed with Enter; its last line says it is guidance.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The strip: prompt on the left, status on the right. */
static void strip(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect r = L->trace;
	int h = imin(imax(L->font_px[BM_VIEW_FONT_TEXT] * 3 / 2, 12), r.h / 3);
	SDL_Rect box = rect(r.x, r.y + r.h - h, r.w, h);
	fill_alpha(v, box, BM_VIEW_C_BG, 220);
	SDL_Rect in = rect(box.x + L->pad, box.y, box.w - 2 * L->pad, box.h);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_TEXT, m->protocol.prompt, in, BM_VIEW_ALIGN_LEFT);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_IN, m->protocol.status, in, BM_VIEW_ALIGN_RIGHT);
}

/* The countdown in the middle of the trace. */
static void countdown(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	char t[48];
	int s = (int)ceil(m->protocol.countdown_s);
	if (m->protocol.resting)
		snprintf(t, sizeof t, "rest %d:%02d", s / 60, s % 60);
	else
		snprintf(t, sizeof t, "get ready  %d", s);
	SDL_Rect r = L->trace;
	SDL_Rect box = rect(r.x + r.w / 6, r.y + r.h / 4, r.w * 2 / 3, r.h / 3);
	fill_alpha(v, box, BM_VIEW_C_BG, 230);
	text_draw(v, BM_VIEW_FONT_TIMER, m->protocol.resting ? BM_VIEW_C_TEXT : BM_VIEW_C_WARN, t, box,
	          BM_VIEW_ALIGN_CENTRE);
}

/* The summary screen: the runner's lines, then how to close it. */
static void summary(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->help;
	bm_view_overlay_box(v, box);
	int lines = 1;
	for (const char *p = m->protocol.summary_text; *p; p++)
		lines += *p == '\n';
	int lh = imax(imin((box.h - 2 * L->pad) / (lines + 3), L->font_px[BM_VIEW_FONT_TEXT] * 3 / 2), 8);
	int x = box.x + 2 * L->pad, w = box.w - 4 * L->pad, y = box.y + L->pad;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Session summary", rect(x, y, w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += lh;
	const char *p = m->protocol.summary_text;
	char line[256];
	while (*p && y + lh <= box.y + box.h - 2 * lh) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
		/* The table is wide: the smaller text font. */
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_TEXT, line, rect(x, y, w, lh),
		          BM_VIEW_ALIGN_LEFT);
		y += lh;
		p += n + (p[n] == '\n');
	}
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "Enter closes this summary",
	          rect(x, box.y + box.h - L->pad - lh, w, lh), BM_VIEW_ALIGN_CENTRE);
}

void bm_view_panel_protocol(struct bm_view *v, const struct bm_view_model *m)
{
	if (!m->protocol.active)
		return;
	if (m->protocol.summary) {
		summary(v, m);
		return;
	}
	strip(v, m);
	if (m->protocol.countdown_s > 0)
		countdown(v, m);
}
