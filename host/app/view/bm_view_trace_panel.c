/*
 * bm_view_trace_panel.c - the force-time plot: both legs over the last 10
 * to 60 s, newest at the right edge, with a grid, the zone as a faint band
 * and a banner when no data is coming.
 *
 * Long windows stay cheap: samples are folded into one [min, max] span
 * per pen-wide column per leg.  A segment between two samples adds the y
 * range it covers over each column it crosses, so the line stays joined
 * when samples are sparser than pixels and keeps its extremes when they
 * are denser; samples further apart than BM_VIEW_TRACE_GAP_S, or NaN, are
 * a gap in the line.  Each leg is then one SDL_RenderFillRects call, runs
 * of columns at one height merged into one rect.  The scratch arrays grow
 * to the widest plot seen and are never shrunk, so a frame allocates
 * nothing.
 */
#include "bm_view_priv.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static bool cols_reserve(struct bm_view_plot_cols *cols, int n)
{
	if (n <= cols->cap)
		return true;
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		float *lo = realloc(cols->lo[leg], (size_t)n * sizeof *lo);
		if (!lo)
			return false;
		cols->lo[leg] = lo;
		float *hi = realloc(cols->hi[leg], (size_t)n * sizeof *hi);
		if (!hi)
			return false;
		cols->hi[leg] = hi;
	}
	SDL_Rect *rr = realloc(cols->rects, (size_t)n * sizeof *rr);
	if (!rr)
		return false;
	cols->rects = rr;
	cols->cap = n;
	return true;
}

void bm_view_plot_cols_free(struct bm_view_plot_cols *cols)
{
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		free(cols->lo[leg]);
		free(cols->hi[leg]);
	}
	free(cols->rects);
}

static void span_add(float *lo, float *hi, int c, double y)
{
	if (y < lo[c])
		lo[c] = (float)y;
	if (y > hi[c])
		hi[c] = (float)y;
}

static void span_point(float *lo, float *hi, int ncols, double x, double y)
{
	if (x >= 0 && x < ncols)
		span_add(lo, hi, (int)x, y);
}

/* Add the y range a straight segment covers in each column it crosses. */
static void span_segment(float *lo, float *hi, int ncols, double xa, double ya,
                         double xb, double yb)
{
	if (xb < xa || xb < 0 || xa >= ncols)
		return;
	double dx = xb - xa;
	if (dx <= 0) {
		span_point(lo, hi, ncols, xa, ya);
		span_point(lo, hi, ncols, xb, yb);
		return;
	}
	double slope = (yb - ya) / dx;
	if (xa < 0) {
		ya += slope * -xa;
		xa = 0;
	}
	if (xb > ncols) {
		yb -= slope * (xb - ncols);
		xb = ncols;
	}
	int c0 = (int)floor(xa), c1 = imin((int)floor(xb), ncols - 1);
	for (int c = c0; c <= c1; c++) {
		double xl = fmax(xa, c), xr = fmin(xb, c + 1.0);
		span_add(lo, hi, c, ya + slope * (xl - xa));
		span_add(lo, hi, c, ya + slope * (xr - xa));
	}
}

static double trace_window(const struct bm_view_model *m)
{
	double w = m->trace_window_s;
	if (!(w >= BM_VIEW_TRACE_MIN_S))
		return w > 0 ? BM_VIEW_TRACE_MIN_S : 30.0;
	return w > BM_VIEW_TRACE_MAX_S ? BM_VIEW_TRACE_MAX_S : w;
}

/*
 * Fold the samples from t0 on into one [lo, hi] span of y per column and
 * leg (lo > hi: nothing there); x in columns, y in pixels from the top.
 */
static void fold_samples(struct bm_view_plot_cols *cols, const struct bm_view_trace *tr,
                         int nc, double t0, double cols_per_s, float fs, double ypx)
{
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		for (int c = 0; c < nc; c++) {
			cols->lo[leg][c] = FLT_MAX;
			cols->hi[leg][c] = -FLT_MAX;
		}
	}
	/* First sample inside the window (times do not decrease); start one
	 * earlier so the line enters from the left edge. */
	size_t a = bm_view_trace_lower_bound(tr, t0);
	double px[BM_NCHAN] = {0}, py[BM_NCHAN] = {0}, pt[BM_NCHAN] = {0};
	bool joined[BM_NCHAN] = {false, false};
	for (size_t i = a ? a - 1 : 0; i < tr->len; i++) {
		size_t k = bm_view_trace_index(tr, i);
		double t = tr->t_s[k];
		double x = (t - t0) * cols_per_s;
		for (int leg = 0; leg < BM_NCHAN; leg++) {
			float f = tr->force_n[leg][k];
			if (isnan(f)) {
				joined[leg] = false;
				continue;
			}
			double y = (1.0 - frac(f, fs)) * ypx;
			if (joined[leg] && t - pt[leg] <= BM_VIEW_TRACE_GAP_S)
				span_segment(cols->lo[leg], cols->hi[leg], nc, px[leg], py[leg], x, y);
			else
				span_point(cols->lo[leg], cols->hi[leg], nc, x, y);
			px[leg] = x;
			py[leg] = y;
			pt[leg] = t;
			joined[leg] = true;
		}
	}
}

/*
 * One rect per column, as wide as the pen (@p th), so steep edges are as
 * thick as flat stretches; a run of columns at the same height (a steady
 * hold, rest) becomes one rect.  One SDL_RenderFillRects call per leg.
 */
static void draw_columns(struct bm_view *v, int nc, int step, int th)
{
	struct bm_view_plot_cols *cols = &v->cols;
	SDL_Rect r = v->lay.trace;
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		int count = 0;
		for (int c = 0; c < nc; c++) {
			float lo = cols->lo[leg][c], hi = cols->hi[leg][c];
			if (lo > hi)
				continue;
			int y0 = (int)floor(lo - th / 2.0), y1 = (int)ceil(hi + th / 2.0);
			SDL_Rect q = {r.x + c * step + step / 2 - th / 2, r.y + y0, th, y1 - y0}, vis;
			if (!SDL_IntersectRect(&q, &r, &vis))
				continue;
			SDL_Rect *last = count ? &cols->rects[count - 1] : NULL;
			if (last && last->y == vis.y && last->h == vis.h && last->x + last->w >= vis.x)
				last->w = vis.x + vis.w - last->x;
			else
				cols->rects[count++] = vis;
		}
		set_colour(v, leg == BM_LEFT ? BM_VIEW_C_LEG_L : BM_VIEW_C_LEG_R, 255);
		if (count)
			SDL_RenderFillRects(v->r, cols->rects, count);
	}
}

static void draw_trace_data(struct bm_view *v, const struct bm_view_model *m,
                            float fs, double t0, double px_per_s)
{
	const struct bm_view_trace *tr = m->trace;
	SDL_Rect r = v->lay.trace;
	if (!tr || !tr->len || !cols_reserve(&v->cols, r.w))
		return;
	/*
	 * Columns are `step` pixels wide, a pixel less than the pen, so the
	 * pen's rects still touch: at 1440p that is a fifth of the rects of
	 * one per pixel.  Rects are what a software rasteriser (llvmpipe
	 * under Xvfb) pays for, one by one.
	 */
	int th = imax(2, (int)lround(v->lay.pad * 0.25));
	int step = imax(1, th - 1);
	int nc = (r.w + step - 1) / step;
	fold_samples(&v->cols, tr, nc, t0, px_per_s / step, fs, r.h - 1);
	draw_columns(v, nc, step, th);
}

/* No data coming: say so over the trace, where the eye already is. */
static void draw_banner(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect r = L->trace, box, vis;
	const char *banner = m->conn == BM_VIEW_CONN_WAITING ? "disconnected \u2014 waiting for device"
	                   : m->conn == BM_VIEW_CONN_ENDED ? "end of data" : NULL;
	if (!banner)
		return;
	const struct bm_view_textcache_entry *e = text_get(v, BM_VIEW_FONT_TEXT, banner);
	if (!e)
		return;
	box = rect(r.x + (r.w - e->w) / 2 - L->pad, r.y + (r.h - e->h) / 2 - L->pad / 2,
	           e->w + 2 * L->pad, e->h + L->pad);
	if (SDL_IntersectRect(&box, &r, &vis)) {
		fill(v, vis, BM_VIEW_C_BG);
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_WARN, banner, vis, BM_VIEW_ALIGN_CENTRE);
	}
}

/* The lasting notice (demo data, an uncalibrated board) along the top of
 * the trace: never mistaken for a real, calibrated session. */
static void draw_notice(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect r = L->trace, box, vis;
	if (!m->notice[0])
		return;
	const struct bm_view_textcache_entry *e = text_get(v, BM_VIEW_FONT_TEXT, m->notice);
	if (!e)
		return;
	box = rect(r.x + (r.w - e->w) / 2 - L->pad, r.y + L->pad / 2, e->w + 2 * L->pad, e->h + L->pad / 2);
	if (SDL_IntersectRect(&box, &r, &vis)) {
		fill(v, vis, BM_VIEW_C_WARN);
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_BG, m->notice, vis, BM_VIEW_ALIGN_CENTRE);
	}
}

void bm_view_panel_trace(struct bm_view *v, const struct bm_view_model *m, float fs)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect r = L->trace;
	if (r.w < 2 || r.h < 2)
		return;
	fill(v, r, BM_VIEW_C_TRACK);
	double win = trace_window(m);
	double t1 = m->now_s, t0 = t1 - win;
	double px_per_s = r.w / win;
	double ypx = r.h - 1;
	int gw = imax(1, L->pad / 8);

	/* Grid: force steps in the display unit, and every 10 s of time. */
	double to_disp = m->units == BM_VIEW_UNITS_KG ? 1.0 / BM_VIEW_G_N_PER_KG : 1.0;
	double fs_disp = fs * to_disp;
	double step = bm_view_nice_step(fs_disp / 4.0);
	double top_line = 0;
	for (double g = step; g <= fs_disp * (1 + 1e-9); g += step) {
		int y = r.y + (int)lround((1.0 - g / fs_disp) * ypx);
		fill(v, rect(r.x, y, r.w, gw), BM_VIEW_C_BG);
		top_line = g;
	}
	if (isfinite(t0) && isfinite(t1)) {
		for (double tg = ceil(t0 / 10.0) * 10.0; tg <= t1; tg += 10.0) {
			int x = r.x + (int)lround((tg - t0) * px_per_s);
			if (x < r.x + r.w)
				fill(v, rect(x, r.y, gw, r.h), BM_VIEW_C_BG);
		}
	}
	if (has_zone(m)) {
		int yh = r.y + (int)lround((1.0 - frac(m->zone_high_n, fs)) * ypx);
		int yl = r.y + (int)lround((1.0 - frac(m->zone_low_n, fs)) * ypx);
		fill_alpha(v, rect(r.x, yh, r.w, yl - yh + 1), BM_VIEW_C_IN, 40);
	}

	if (isfinite(t0))
		draw_trace_data(v, m, fs, t0, px_per_s);

	/* Labels: the top grid line's value, the window length. */
	char buf[48];
	int lh = (int)lround(L->font_px[BM_VIEW_FONT_SMALL] * 1.3);
	SDL_Rect box, vis;
	if (top_line > 0) {
		int y = r.y + (int)lround((1.0 - top_line / fs_disp) * ypx) + gw;
		snprintf(buf, sizeof buf, step < 1 ? "%.1f %s" : "%.0f %s", top_line,
		         bm_view_unit_name(m->units));
		box = rect(r.x + L->pad / 2, y, r.w / 3, lh);
		if (SDL_IntersectRect(&box, &r, &vis))
			text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, buf, vis, BM_VIEW_ALIGN_LEFT);
	}
	snprintf(buf, sizeof buf, "last %.0f s", win);
	box = rect(r.x + r.w * 2 / 3, r.y + r.h - lh, r.w / 3 - L->pad / 2, lh);
	if (SDL_IntersectRect(&box, &r, &vis))
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, buf, vis, BM_VIEW_ALIGN_RIGHT);

	draw_banner(v, m);
	draw_notice(v, m);
}
