/*
 * bm_view_progress.c - the progress view (key p): an athlete's sessions
 * over the weeks and the return-to-run checklist, over the whole window.
 *
 * Left, two plots on one time axis.  On top, the best hold force of each
 * leg (in the legs' colours, left axis from 0 N) with pain 0-10 as a third
 * line on its own right-hand axis; under it, the limb symmetry index with
 * its dashed mark at 90 % (green: the goal).  A session is a square
 * marker, consecutive sessions are joined, and a missing value breaks the
 * line.  Right, the checklist: a square per line (green met, yellow not
 * met, grey not enough data) and the words with their numbers as the
 * program wrote them, wrapped; under it the line that says it is guidance.
 *
 * Everything comes from struct bm_view_progress, filled by the program
 * from the records: the view reads no store and computes no statistic.
 * Where things go is bm_view_progress_layout_compute(), pure, so the tests
 * find each line where it is drawn.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0
/* The pain axis: 0 to 10. */
#define PAIN_MAX 10.0
/* With no LSI at all, the LSI axis starts here, %. */
#define LSI_DEFAULT_LOW_PCT 80.0

static size_t held(const struct bm_view_progress *p)
{
	return p->n < BM_VIEW_PROGRESS_MAX ? p->n : BM_VIEW_PROGRESS_MAX;
}

/* The axes: time from half a day before the first session to half a day
 * after the last; force from 0 to a round number above the best; LSI from
 * a round ten below the lowest value (or the mark) to 100. */
static void axes(const struct bm_view_progress *p, struct bm_view_progress_layout *pl)
{
	double first = NAN, last = NAN, hi = 0, lsi_hi = 100;
	double lsi_lo = p->lsi_mark_pct > 0 ? p->lsi_mark_pct : NAN;
	for (size_t i = 0; i < held(p); i++) {
		double t = p->epoch_s[i];
		if (isfinite(t)) {
			first = isnan(first) || t < first ? t : first;
			last = isnan(last) || t > last ? t : last;
		}
		for (int leg = 0; leg < BM_NCHAN; leg++)
			if (p->best_hold_n[leg][i] > hi)
				hi = p->best_hold_n[leg][i];
		double l = p->lsi_pct[i];
		if (isfinite(l)) {
			lsi_lo = isnan(lsi_lo) || l < lsi_lo ? l : lsi_lo;
			lsi_hi = l > lsi_hi ? l : lsi_hi;
		}
	}
	pl->t_min_s = isfinite(first) ? first - DAY_S / 2 : 0;
	pl->t_max_s = isfinite(last) ? last + DAY_S / 2 : DAY_S;
	if (!(hi > 0))
		hi = 100;
	pl->force_step_n = bm_view_nice_step(hi * 1.05 / 4);
	pl->force_max_n = ceil(hi * 1.05 / pl->force_step_n) * pl->force_step_n;
	if (isnan(lsi_lo))
		lsi_lo = LSI_DEFAULT_LOW_PCT;
	pl->lsi_min_pct = fmax(0, floor((lsi_lo - 2) / 10) * 10);
	pl->lsi_max_pct = ceil(lsi_hi / 10) * 10;
	pl->pain_max = PAIN_MAX;
}

void bm_view_progress_layout_compute(int out_w, int out_h, const struct bm_view_progress *p,
                                     struct bm_view_progress_layout *pl)
{
	struct bm_view_layout L;
	memset(pl, 0, sizeof *pl);
	bm_view_layout_compute(out_w, out_h, &L);
	axes(p, pl);
	int pad = L.pad;
	pl->box = rect(pad, pad, L.out_w - 2 * pad, L.out_h - 2 * pad);
	int x = pl->box.x + 2 * pad, y = pl->box.y + pad;
	int w = imax(pl->box.w - 4 * pad, 0), h = imax(pl->box.h - 2 * pad, 0);
	int title_h = h * 8 / 100, foot_h = h * 6 / 100;
	pl->title = rect(x, y, w, title_h);
	pl->footer = rect(x, y + h - foot_h, w, foot_h);
	int by = y + title_h + pad, bh = imax(h - title_h - foot_h - 2 * pad, 0);
	pl->message = rect(x, by + bh / 3, w, bh / 6);

	/* Left 58 %: the plots, their axes' numbers beside them. */
	int cw = w * 58 / 100;
	int ax_w = cw * 8 / 100, pain_w = cw * 6 / 100;
	int px = x + ax_w, pw = cw - ax_w - pain_w;
	int legend_h = bh * 7 / 100, force_h = bh * 50 / 100, dates_h = bh * 7 / 100;
	int lsi_h = bh - 2 * legend_h - force_h - dates_h - pad;
	int at = by;
	pl->legend = rect(x, at, cw, legend_h);
	at += legend_h;
	pl->force = rect(px, at, pw, force_h);
	pl->force_axis = rect(x, at, ax_w - pad / 2, force_h);
	pl->pain_axis = rect(px + pw + pad / 2, at, pain_w - pad / 2, force_h);
	at += force_h + pad;
	pl->lsi_legend = rect(x, at, cw, legend_h);
	at += legend_h;
	pl->lsi = rect(px, at, pw, lsi_h);
	pl->lsi_axis = rect(x, at, ax_w - pad / 2, lsi_h);
	at += imax(lsi_h, 0);
	pl->dates = rect(x, at, cw, dates_h);

	/* Right: the checklist, one row per line, the guidance note under it. */
	int lx = x + cw + 3 * pad, lw = w - cw - 3 * pad;
	int lt_h = bh * 8 / 100, note_h = bh * 7 / 100;
	pl->list_title = rect(lx, by, lw, lt_h);
	pl->note = rect(lx, by + bh - note_h, lw, note_h);
	size_t ni = p->n_items < 1 ? 1 : p->n_items > BM_VIEW_PROGRESS_ITEMS ? BM_VIEW_PROGRESS_ITEMS
	                                                                     : p->n_items;
	int iy = by + lt_h + pad / 2, ih = imax(bh - lt_h - note_h - pad, 0) / (int)ni;
	int lh = L.font_px[BM_VIEW_FONT_SMALL] * 13 / 10;
	int side = imax(L.font_px[BM_VIEW_FONT_SMALL] * 3 / 4, 3);
	for (size_t i = 0; i < ni; i++) {
		int ry = iy + (int)i * ih;
		pl->item[i] = rect(lx + side + pad, ry, lw - side - pad, ih - pad / 2);
		/* The square sits by the first line; a row too small has none. */
		if (side <= ih && side <= lw)
			pl->mark[i] = rect(lx, ry + imax((lh - side) / 2, 0), side, side);
	}
	pl->line_px = imax(2, pad / 5);
	pl->marker_px = imax(4, pad * 2 / 3);
}

int bm_view_progress_x(const struct bm_view_progress_layout *pl, SDL_Rect plot, double epoch_s)
{
	double span = pl->t_max_s - pl->t_min_s;
	double f = span > 0 && isfinite(epoch_s) ? (epoch_s - pl->t_min_s) / span : 0.5;
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return plot.x + (int)lround(f * (plot.w - 1));
}

int bm_view_progress_y(SDL_Rect plot, double v, double lo, double hi)
{
	double f = hi > lo && isfinite(v) ? (v - lo) / (hi - lo) : 0;
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return plot.y + plot.h - 1 - (int)lround(f * (plot.h - 1));
}

/* ---- drawing ---------------------------------------------------------- */

static enum bm_view_colour state_colour(enum bm_view_ready s)
{
	return s == BM_VIEW_READY_MET ? BM_VIEW_C_IN
	     : s == BM_VIEW_READY_NOT_MET ? BM_VIEW_C_WARN : BM_VIEW_C_DIM;
}

/* A line @p t pixels thick (t parallel one-pixel lines). */
static void thick_line(struct bm_view *v, int x0, int y0, int x1, int y1, int t)
{
	bool flat = abs(x1 - x0) >= abs(y1 - y0);
	for (int k = -(t - 1) / 2; k <= t / 2; k++) {
		if (flat)
			SDL_RenderDrawLine(v->r, x0, y0 + k, x1, y1 + k);
		else
			SDL_RenderDrawLine(v->r, x0 + k, y0, x1 + k, y1);
	}
}

/* One series: joined where consecutive values exist, a square on each. */
static void series(struct bm_view *v, const struct bm_view_progress_layout *pl, SDL_Rect plot,
                   const struct bm_view_progress *p, const double *val, double lo, double hi,
                   enum bm_view_colour c)
{
	int px = 0, py = 0, m = pl->marker_px;
	bool down = false;
	set_colour(v, c, 255);
	for (size_t i = 0; i < held(p); i++) {
		if (!isfinite(val[i]) || !isfinite(p->epoch_s[i])) {
			down = false;
			continue;
		}
		int x = bm_view_progress_x(pl, plot, p->epoch_s[i]);
		int y = bm_view_progress_y(plot, val[i], lo, hi);
		if (down)
			thick_line(v, px, py, x, y, pl->line_px);
		px = x;
		py = y;
		down = true;
	}
	for (size_t i = 0; i < held(p); i++) {
		if (!isfinite(val[i]) || !isfinite(p->epoch_s[i]))
			continue;
		int x = bm_view_progress_x(pl, plot, p->epoch_s[i]);
		int y = bm_view_progress_y(plot, val[i], lo, hi);
		fill(v, rect(x - m / 2, y - m / 2, m, m), c);
	}
}

/* A number beside an axis at height @p y. */
static void axis_label(struct bm_view *v, SDL_Rect axis, int y, const char *t,
                       enum bm_view_colour c, enum bm_view_align align)
{
	int fh = v->lay.font_px[BM_VIEW_FONT_SMALL] * 6 / 5;
	text_draw(v, BM_VIEW_FONT_SMALL, c, t, rect(axis.x, y - fh / 2, axis.w, fh), align);
}

/* Date labels under the plots, the latest always, older ones where they
 * fit (a label near an edge slides inside the row); a faint vertical line
 * through both plots at each. */
static void dates(struct bm_view *v, const struct bm_view_progress_layout *pl,
                  const struct bm_view_progress *p)
{
	int limit = pl->dates.x + pl->dates.w, gap = v->lay.pad;
	for (size_t k = held(p); k-- > 0;) {
		if (!isfinite(p->epoch_s[k]) || !p->date[k][0])
			continue;
		int x = bm_view_progress_x(pl, pl->lsi, p->epoch_s[k]);
		int w = bm_view_textcache_width(v->text, BM_VIEW_FONT_SMALL, p->date[k]);
		int left = imax(imin(x - w / 2, pl->dates.x + pl->dates.w - w), pl->dates.x);
		if (left + w > limit)
			continue;
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, p->date[k],
		          rect(left, pl->dates.y, w, pl->dates.h), BM_VIEW_ALIGN_CENTRE);
		fill(v, rect(x, pl->force.y, 1, pl->force.h), BM_VIEW_C_TRACK);
		fill(v, rect(x, pl->lsi.y, 1, pl->lsi.h), BM_VIEW_C_TRACK);
		limit = left - gap;
	}
}

/* A legend entry: a square of colour @p c and its name; returns the x
 * after it. */
static int legend_entry(struct bm_view *v, SDL_Rect row, int x, enum bm_view_colour c,
                        const char *name)
{
	int s = imax(v->lay.font_px[BM_VIEW_FONT_SMALL] / 2, 3), pad = v->lay.pad;
	fill(v, rect(x, row.y + (row.h - s) / 2, s, s), c);
	x += s + pad / 2;
	x += text_draw(v, BM_VIEW_FONT_SMALL, c, name, rect(x, row.y, row.x + row.w - x, row.h),
	               BM_VIEW_ALIGN_LEFT);
	return x + 2 * pad;
}

static void force_plot(struct bm_view *v, const struct bm_view_progress_layout *pl,
                       const struct bm_view_progress *p)
{
	char t[32];
	SDL_Rect r = pl->force;
	fill(v, r, BM_VIEW_C_BG);
	for (double f = 0; f <= pl->force_max_n + 1e-9; f += pl->force_step_n) {
		int y = bm_view_progress_y(r, f, 0, pl->force_max_n);
		fill(v, rect(r.x, y, r.w, 1), BM_VIEW_C_TRACK);
		snprintf(t, sizeof t, "%.0f", f);
		axis_label(v, pl->force_axis, y, t, BM_VIEW_C_DIM, BM_VIEW_ALIGN_RIGHT);
	}
	for (int k = 0; k <= 2; k++) {
		double pn = pl->pain_max * k / 2;
		snprintf(t, sizeof t, "%.0f", pn);
		axis_label(v, pl->pain_axis, bm_view_progress_y(r, pn, 0, pl->pain_max), t,
		           BM_VIEW_C_PAIN, BM_VIEW_ALIGN_LEFT);
	}
	SDL_Rect lg = pl->legend;
	int x = lg.x + text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, p->force_label, lg,
	                         BM_VIEW_ALIGN_LEFT) + 2 * v->lay.pad;
	x = legend_entry(v, lg, x, BM_VIEW_C_LEG_L, "left");
	x = legend_entry(v, lg, x, BM_VIEW_C_LEG_R, "right");
	legend_entry(v, lg, x, BM_VIEW_C_PAIN, p->pain_label);
}

static void lsi_plot(struct bm_view *v, const struct bm_view_progress_layout *pl,
                     const struct bm_view_progress *p)
{
	char t[48];
	SDL_Rect r = pl->lsi;
	fill(v, r, BM_VIEW_C_BG);
	double step = bm_view_nice_step((pl->lsi_max_pct - pl->lsi_min_pct) / 3);
	for (double l = pl->lsi_min_pct; l <= pl->lsi_max_pct + 1e-9; l += step) {
		int y = bm_view_progress_y(r, l, pl->lsi_min_pct, pl->lsi_max_pct);
		fill(v, rect(r.x, y, r.w, 1), BM_VIEW_C_TRACK);
		snprintf(t, sizeof t, "%.0f", l);
		axis_label(v, pl->lsi_axis, y, t, BM_VIEW_C_DIM, BM_VIEW_ALIGN_RIGHT);
	}
	int x = legend_entry(v, pl->lsi_legend, pl->lsi_legend.x, BM_VIEW_C_TEXT, p->lsi_label);
	if (!(p->lsi_mark_pct > 0))
		return;
	/* The mark: dashes across the plot, its number on the axis. */
	int y = bm_view_progress_y(r, p->lsi_mark_pct, pl->lsi_min_pct, pl->lsi_max_pct);
	int dash = imax(6, v->lay.pad), gap = dash * 2 / 3, th = pl->line_px;
	for (int dx = r.x; dx < r.x + r.w; dx += dash + gap)
		fill(v, rect(dx, y - (th - 1) / 2, imin(dash, r.x + r.w - dx), th), BM_VIEW_C_IN);
	snprintf(t, sizeof t, "%g", p->lsi_mark_pct);
	axis_label(v, pl->lsi_axis, y, t, BM_VIEW_C_IN, BM_VIEW_ALIGN_RIGHT);
	snprintf(t, sizeof t, "dashed: %g %% mark", p->lsi_mark_pct);
	legend_entry(v, pl->lsi_legend, x, BM_VIEW_C_IN, t);
}

static void checklist(struct bm_view *v, const struct bm_view_progress_layout *pl,
                      const struct bm_view_progress *p)
{
	int lh = imax(v->lay.font_px[BM_VIEW_FONT_SMALL] * 13 / 10, 1);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_TEXT, p->list_title, pl->list_title,
	          BM_VIEW_ALIGN_LEFT);
	size_t n = p->n_items < BM_VIEW_PROGRESS_ITEMS ? p->n_items : BM_VIEW_PROGRESS_ITEMS;
	for (size_t i = 0; i < n; i++) {
		const struct bm_view_progress_item *it = &p->items[i];
		SDL_Rect r = pl->item[i];
		fill(v, pl->mark[i], state_colour(it->state));
		bm_view_text_wrapped(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, it->text,
		                     rect(r.x, r.y, r.w, lh), imax(r.h / lh, 1), BM_VIEW_ALIGN_LEFT);
	}
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, p->note, pl->note, BM_VIEW_ALIGN_LEFT);
}

void bm_view_overlay_progress(struct bm_view *v, const struct bm_view_progress *p)
{
	struct bm_view_progress_layout pl;
	bm_view_progress_layout_compute(v->lay.out_w, v->lay.out_h, p, &pl);
	if (pl.box.w <= 0 || pl.box.h <= 0)
		return;
	bm_view_overlay_box(v, pl.box);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, p->title, pl.title, BM_VIEW_ALIGN_LEFT);
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, "p or Esc closes", pl.footer,
	          BM_VIEW_ALIGN_RIGHT);
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_WARN, p->remark, pl.footer, BM_VIEW_ALIGN_LEFT);
	if (p->message[0]) {
		text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, p->message, pl.message,
		          BM_VIEW_ALIGN_CENTRE);
		return;
	}
	force_plot(v, &pl, p);
	lsi_plot(v, &pl, p);
	dates(v, &pl, p);
	series(v, &pl, pl.force, p, p->pain, 0, pl.pain_max, BM_VIEW_C_PAIN);
	series(v, &pl, pl.force, p, p->best_hold_n[BM_RIGHT], 0, pl.force_max_n, BM_VIEW_C_LEG_R);
	series(v, &pl, pl.force, p, p->best_hold_n[BM_LEFT], 0, pl.force_max_n, BM_VIEW_C_LEG_L);
	series(v, &pl, pl.lsi, p, p->lsi_pct, pl.lsi_min_pct, pl.lsi_max_pct, BM_VIEW_C_TEXT);
	checklist(v, &pl, p);
}
