/*
 * bm_view_legs.c - the two leg columns: name, force readout, bar, reps.
 *
 * The bar is what the athlete watches during a hold, so it is the tallest
 * thing on screen and has one colour from bottom to top: blue below the
 * target zone (or with no zone), green inside it, amber above.  The zone
 * is a faint green band across the column with its edges marked in the
 * margins beside the bar, not across it.  The number above the bar is the
 * readout paced to ten updates a second (v->shown_n, set in bm_view.c) so
 * it can be read; the bar itself follows every frame.  Number and unit
 * share a baseline; when both do not fit, the unit goes.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>

/* y of force @p f in a bar track @p b (0 at the bottom edge). */
static int bar_y(SDL_Rect b, float f, float fs)
{
	return b.y + b.h - (int)lround(frac(f, fs) * b.h);
}

/* The zone of leg @p leg: its own (a protocol's % of that leg's MVIC), else
 * the one zone of both legs.  0 when there is none. */
static int leg_zone(const struct bm_view_model *m, int leg, float *lo, float *hi)
{
	if (m->zone_leg_high_n[leg] > m->zone_leg_low_n[leg]) {
		*lo = m->zone_leg_low_n[leg];
		*hi = m->zone_leg_high_n[leg];
		return 1;
	}
	*lo = m->zone_low_n;
	*hi = m->zone_high_n;
	return has_zone(m);
}

static enum bm_view_colour zone_colour(const struct bm_view_model *m, int leg, float f)
{
	float lo, hi;
	if (!leg_zone(m, leg, &lo, &hi) || f < lo)
		return BM_VIEW_C_BELOW;
	if (f > hi)
		return BM_VIEW_C_ABOVE;
	return BM_VIEW_C_IN;
}

/* The bar's track, the zone band and its edge marks, and the bar. */
static void draw_bar(struct bm_view *v, const struct bm_view_model *m, int leg, float fs)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect b = L->bar[leg], z = L->bar_zone[leg];
	int edge = imin(imax(2, L->pad / 4), z.h);
	float zlo, zhi;
	fill(v, b, BM_VIEW_C_TRACK);
	if (leg_zone(m, leg, &zlo, &zhi)) {
		int yh = bar_y(b, zhi, fs), yl = bar_y(b, zlo, fs);
		fill_alpha(v, rect(z.x, yh, z.w, yl - yh), BM_VIEW_C_IN, 56);
		/* Zone edges in the margins beside the bar, not across it,
		 * so the bar keeps one colour from bottom to top. */
		int gap = imax(1, L->pad / 3);
		SDL_Rect el = rect(z.x, 0, b.x - gap - z.x, edge);
		SDL_Rect er = rect(b.x + b.w + gap, 0, z.x + z.w - (b.x + b.w + gap), edge);
		int ys[2] = {yh, yl};
		for (int k = 0; k < 2; k++) {
			el.y = er.y = clampi(ys[k] - edge / 2, z.y, z.y + z.h - el.h);
			fill(v, el, BM_VIEW_C_IN);
			fill(v, er, BM_VIEW_C_IN);
		}
	}
	float f = m->force_n[leg];
	int top = bar_y(b, f, fs);
	fill(v, rect(b.x, top, b.w, b.y + b.h - top), zone_colour(m, leg, f));
}

/* Readout: big number, small unit, sharing a baseline. */
static void draw_readout(struct bm_view *v, const struct bm_view_model *m, int leg)
{
	char num[32];
	bm_view_fmt_force(num, sizeof num, v->shown_n[leg], m->units);
	const struct bm_view_textcache_entry *en = text_get(v, BM_VIEW_FONT_VALUE, num);
	const struct bm_view_textcache_entry *eu =
		text_get(v, BM_VIEW_FONT_LABEL, bm_view_unit_name(m->units));
	SDL_Rect box = v->lay.bar_value[leg];
	if (!en)
		return;
	int gap = eu ? en->h / 8 : 0;
	int total = en->w + (eu ? gap + eu->w : 0);
	if (total > box.w) { /* a huge number: the digits matter more */
		eu = NULL;
		total = en->w;
	}
	int x = box.x + imax((box.w - total) / 2, 0);
	int y = box.y + (box.h - en->h) / 2;
	text_blit(v, en, bm_view_colour(BM_VIEW_C_TEXT), x, y, &box);
	if (eu) {
		int base = y + bm_view_textcache_ascent(v->text, BM_VIEW_FONT_VALUE);
		text_blit(v, eu, bm_view_colour(BM_VIEW_C_DIM), x + en->w + gap,
		          base - bm_view_textcache_ascent(v->text, BM_VIEW_FONT_LABEL), &box);
	}
}

/* Reps under the bar: count, then the last peak. */
static void draw_reps(struct bm_view *v, const struct bm_view_model *m, int leg)
{
	SDL_Rect rr = v->lay.reps[leg];
	SDL_Rect r1 = rect(rr.x, rr.y, rr.w, rr.h / 2);
	SDL_Rect r2 = rect(rr.x, rr.y + rr.h / 2, rr.w, rr.h - rr.h / 2);
	char line[64], fbuf[32];
	/* Reps the counting chain has not judged yet are shown as such. */
	unsigned prov = m->reps_provisional[leg] < m->reps[leg] ? m->reps_provisional[leg] : m->reps[leg];
	if (prov)
		snprintf(line, sizeof line, "%u (+%u) %s", m->reps[leg] - prov, prov,
		         m->reps[leg] == 1 ? "rep" : "reps");
	else
		snprintf(line, sizeof line, "%u %s", m->reps[leg], m->reps[leg] == 1 ? "rep" : "reps");
	text_draw(v, BM_VIEW_FONT_LABEL, BM_VIEW_C_TEXT, line, r1, BM_VIEW_ALIGN_CENTRE);
	float pk = m->last_rep_peak_n[leg];
	if (pk > 0) {
		bm_view_fmt_force(fbuf, sizeof fbuf, pk, m->units);
		snprintf(line, sizeof line, "peak %s %s", fbuf, bm_view_unit_name(m->units));
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, r2, BM_VIEW_ALIGN_CENTRE);
	}
}

void bm_view_panel_legs(struct bm_view *v, const struct bm_view_model *m, float fs)
{
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		draw_bar(v, m, leg, fs);
		text_draw(v, BM_VIEW_FONT_LABEL, leg == BM_LEFT ? BM_VIEW_C_LEG_L : BM_VIEW_C_LEG_R,
		          leg == BM_LEFT ? "LEFT" : "RIGHT", v->lay.bar_label[leg],
		          BM_VIEW_ALIGN_CENTRE);
		draw_readout(v, m, leg);
		draw_reps(v, m, leg);
	}
}
