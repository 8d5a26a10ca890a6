/*
 * bm_view_paint.c - the palette, and the widgets more than one panel or
 * screen is built from: the progress bar and the overlay box.
 *
 * Colours are few and each means one thing (bm_view.h lists them): blue,
 * green and amber say where a force is against the zone, red says only
 * "asymmetry over the threshold" (and the REC dot), yellow is for words
 * that need reading now.  Panels name a role, never an RGB, so the tests
 * can compare pixels against bm_view_colour() and a change of shade is
 * one line here.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const SDL_Color palette[BM_VIEW_C_COUNT] = {
	[BM_VIEW_C_BG] = {16, 20, 24, 255},
	[BM_VIEW_C_TRACK] = {32, 39, 46, 255},
	[BM_VIEW_C_TEXT] = {236, 239, 241, 255},
	[BM_VIEW_C_DIM] = {138, 153, 166, 255},
	[BM_VIEW_C_BELOW] = {91, 141, 184, 255},
	[BM_VIEW_C_IN] = {61, 190, 106, 255},
	[BM_VIEW_C_ABOVE] = {242, 163, 58, 255},
	[BM_VIEW_C_FLAG] = {229, 57, 59, 255},
	[BM_VIEW_C_GAUGE] = {183, 196, 207, 255},
	[BM_VIEW_C_LEG_L] = {206, 147, 216, 255},
	[BM_VIEW_C_LEG_R] = {79, 195, 247, 255},
	[BM_VIEW_C_WARN] = {255, 202, 40, 255},
	[BM_VIEW_C_PROGRESS] = {120, 144, 156, 255},
	[BM_VIEW_C_PAIN] = {255, 138, 101, 255},
};

SDL_Color bm_view_colour(enum bm_view_colour c)
{
	if ((unsigned)c >= BM_VIEW_C_COUNT)
		return (SDL_Color){0, 0, 0, 255};
	return palette[c];
}

/* A horizontal progress bar: track, fill, optional ticks. */
void bm_view_progress(struct bm_view *v, SDL_Rect r, double done, double total,
                      double tick_every)
{
	fill(v, r, BM_VIEW_C_TRACK);
	double f = frac(done, total);
	SDL_Rect d = rect(r.x, r.y, (int)lround(f * r.w), r.h);
	fill(v, d, f >= 1.0 ? BM_VIEW_C_IN : BM_VIEW_C_PROGRESS);
	if (tick_every > 0 && total > tick_every && total / tick_every <= 30) {
		int tw = imax(1, v->lay.pad / 6);
		for (double t = tick_every; t < total - 1e-6; t += tick_every) {
			int x = r.x + (int)lround(t / total * r.w);
			fill(v, rect(x - tw / 2, r.y, tw, r.h), BM_VIEW_C_BG);
		}
	}
}

/* Dim the frame and draw a bordered box for an overlay. */
void bm_view_overlay_box(struct bm_view *v, SDL_Rect box)
{
	fill_alpha(v, rect(0, 0, v->lay.out_w, v->lay.out_h), BM_VIEW_C_BG, 200);
	int bw = imax(2, v->lay.pad / 4);
	fill(v, box, BM_VIEW_C_DIM);
	fill(v, rect(box.x + bw, box.y + bw, box.w - 2 * bw, box.h - 2 * bw), BM_VIEW_C_TRACK);
}

/* Lines of a wrapped paragraph are built in this much room. */
#define WRAP_LINE_MAX 512

int bm_view_text_wrapped(struct bm_view *v, int role, enum bm_view_colour colour,
                         const char *text, SDL_Rect first, int max_lines,
                         enum bm_view_align align)
{
	char line[WRAP_LINE_MAX], cand[WRAP_LINE_MAX];
	const char *p = text;
	int n = 0, y = first.y;
	while (*p && n < max_lines) {
		size_t len = 0;
		line[0] = '\0';
		for (;;) {
			while (*p == ' ')
				p++;
			size_t word = strcspn(p, " ");
			if (!word)
				break;
			snprintf(cand, sizeof cand, "%s%s%.*s", line, len ? " " : "", (int)word, p);
			/* The last line takes the rest (cropped to the box). */
			if (len && (n + 1 < max_lines) &&
			    bm_view_textcache_width(v->text, role, cand) > first.w)
				break;
			snprintf(line, sizeof line, "%s", cand);
			len = strlen(line);
			p += word;
		}
		text_draw(v, role, colour, line, rect(first.x, y, first.w, first.h), align);
		y += first.h;
		n++;
	}
	return n;
}
