/*
 * bm_view.c - the view object and the order of a frame.
 *
 * A frame is: lay out the output (bm_view_layout_compute()), size the
 * fonts to it, pace the readouts, clear, then the panels back to front:
 * legs, trace, holds, gauge, message, status, and the overlays last so
 * they cover everything.  For now the panels are below, one section
 * each, on the mechanisms in the other view files (bm_view_priv.h).
 *
 * Three things keep a frame cheap (the whole program should stay under 5 %
 * of a core at 60 FPS): text is rendered once per string and kept
 * (bm_view_textcache.c); the trace is one span per pixel column per leg
 * (bm_view_trace_panel.c); and nothing is allocated per frame once the
 * largest window size was seen.  The leg readouts are refreshed at most
 * every READOUT_PERIOD_S of model time: a number changing 60 times a
 * second cannot be read anyway, and it keeps text renders to a handful
 * per second.
 */
#include "bm_view_priv.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- panel: legs ---------------------------------------------------------- */

/* y of force @p f in a bar track @p b (0 at the bottom edge). */
static int bar_y(SDL_Rect b, float f, float fs)
{
	return b.y + b.h - (int)lround(frac(f, fs) * b.h);
}

static enum bm_view_colour zone_colour(const struct bm_view_model *m, float f)
{
	if (!has_zone(m) || f < m->zone_low_n)
		return BM_VIEW_C_BELOW;
	if (f > m->zone_high_n)
		return BM_VIEW_C_ABOVE;
	return BM_VIEW_C_IN;
}

/* The bar's track, the zone band and its edge marks, and the bar. */
static void draw_bar(struct bm_view *v, const struct bm_view_model *m, int leg, float fs)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect b = L->bar[leg], z = L->bar_zone[leg];
	int edge = imin(imax(2, L->pad / 4), z.h);
	fill(v, b, BM_VIEW_C_TRACK);
	if (has_zone(m)) {
		int yh = bar_y(b, m->zone_high_n, fs), yl = bar_y(b, m->zone_low_n, fs);
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
	fill(v, rect(b.x, top, b.w, b.y + b.h - top), zone_colour(m, f));
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

/* ---- panel: trace --------------------------------------------------------- */

/* The smallest of 1, 2, 2.5, 5 x 10^k that is >= x (x > 0). */
static double nice_step(double x)
{
	if (!(x > 0))
		return 1;
	double p = pow(10.0, floor(log10(x)));
	static const double m[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (m[i] * p >= x * (1 - 1e-9))
			return m[i] * p;
	return 10 * p;
}

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
	double step = nice_step(fs_disp / 4.0);
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
}

/* ---- panel: holds --------------------------------------------------------- */

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

/* ---- panel: gauge --------------------------------------------------------- */

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

/* ---- panel: status and message -------------------------------------------- */

void bm_view_panel_message(struct bm_view *v, const struct bm_view_model *m)
{
	if (!m->message[0])
		return;
	char line[BM_VIEW_MESSAGE_MAX + 1];
	snprintf(line, sizeof line, "%.*s", BM_VIEW_MESSAGE_MAX - 1, m->message);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_WARN, line, v->lay.message, BM_VIEW_ALIGN_CENTRE);
}

void bm_view_panel_status(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect s = L->status;
	fill(v, s, BM_VIEW_C_TRACK);
	int p = L->pad;
	SDL_Rect left = rect(s.x + p, s.y, s.w * 45 / 100 - p, s.h);
	SDL_Rect mid = rect(s.x + s.w * 45 / 100, s.y, s.w * 37 / 100, s.h);
	SDL_Rect right = rect(s.x + s.w * 82 / 100, s.y, s.w - s.w * 82 / 100 - p, s.h);
	char line[BM_VIEW_PATH_MAX + 64], rate[24];

	if (m->rate_hz > 0)
		snprintf(rate, sizeof rate, "%.1f Hz", (double)m->rate_hz);
	else
		snprintf(rate, sizeof rate, "-- Hz");
	const char *src = m->source[0] ? m->source : "no source";
	if (m->conn == BM_VIEW_CONN_WAITING) {
		snprintf(line, sizeof line, "%.*s \u00b7 disconnected \u2014 waiting for device",
		         BM_VIEW_SOURCE_MAX, src);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_WARN, line, left, BM_VIEW_ALIGN_LEFT);
	} else {
		snprintf(line, sizeof line, "%.*s \u00b7 %s \u00b7 dropped %llu \u00b7 CRC errors %llu",
		         BM_VIEW_SOURCE_MAX, src, rate, (unsigned long long)m->dropped_frames,
		         (unsigned long long)m->crc_errors);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, left, BM_VIEW_ALIGN_LEFT);
	}

	if (m->recording) {
		int w = text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_FLAG, "\u25cf REC", mid,
		                  BM_VIEW_ALIGN_LEFT);
		if (w > 0) {
			SDL_Rect rest = rect(mid.x + w + p, mid.y, mid.w - w - p, mid.h);
			snprintf(line, sizeof line, "%.*s", BM_VIEW_PATH_MAX, m->rec_file);
			text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, rest, BM_VIEW_ALIGN_LEFT);
		}
	} else {
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, "not recording (space)", mid,
		          BM_VIEW_ALIGN_LEFT);
	}

	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM,
	          m->muted ? "sound off \u00b7 h help" : "h help", right, BM_VIEW_ALIGN_RIGHT);
}

/* ---- panel: overlays ------------------------------------------------------ */

static const struct bm_view_key keys[] = {
	{"space", "start / stop recording"},
	{"t", "tare: zero both legs (refused while loaded)"},
	{"c", "calibrate with a known mass"},
	{"u", "units: newtons / kilograms"},
	{"z", "set the target zone"},
	{"+ / -", "longer / shorter trace (10 to 60 s)"},
	{"m", "sound cues off / on"},
	{"f", "full screen on / off"},
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
	int lh = (box.h - 2 * L->pad) / 5;
	int y = box.y + L->pad;
	char line[BM_VIEW_MESSAGE_MAX + 32];
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Calibrate", rect(inner_x, y, inner_w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += lh;
	snprintf(line, sizeof line, "%.*s", BM_VIEW_MESSAGE_MAX - 1, m->cal.prompt);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, line, rect(inner_x, y, inner_w, lh),
	          BM_VIEW_ALIGN_CENTRE);
	y += lh;
	snprintf(line, sizeof line, "mass: %.*s_ kg", BM_VIEW_INPUT_MAX - 1, m->cal.input);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, line, rect(inner_x, y, inner_w, lh * 2),
	          BM_VIEW_ALIGN_CENTRE);
	y += 2 * lh;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "Enter confirms \u00b7 Esc cancels",
	          rect(inner_x, y, inner_w, lh), BM_VIEW_ALIGN_CENTRE);
}

/* ---- the frame ---------------------------------------------------------- */

/* Readouts change at most this often, seconds of model time. */
#define READOUT_PERIOD_S 0.1

int bm_view_new(SDL_Renderer *renderer, const char *font_dir,
                struct bm_view **out)
{
	if (!out)
		return BM_VIEW_ERR_ARG;
	*out = NULL;
	if (!renderer)
		return BM_VIEW_ERR_ARG;
	struct bm_view_textcache *text;
	int rc = bm_view_textcache_new(renderer, font_dir, &text);
	if (rc != BM_VIEW_OK)
		return rc;
	struct bm_view *v = calloc(1, sizeof *v);
	if (!v) {
		bm_view_textcache_free(text);
		return BM_VIEW_ERR_NOMEM;
	}
	v->r = renderer;
	v->text = text;
	*out = v;
	return BM_VIEW_OK;
}

void bm_view_free(struct bm_view *v)
{
	if (!v)
		return;
	bm_view_textcache_free(v->text);
	bm_view_plot_cols_free(&v->cols);
	free(v);
}

const struct bm_view_layout *bm_view_layout(const struct bm_view *v)
{
	return &v->lay;
}

size_t bm_view_cached_texts(const struct bm_view *v)
{
	return bm_view_textcache_count(v->text);
}

uint64_t bm_view_text_renders(const struct bm_view *v)
{
	return bm_view_textcache_renders(v->text);
}

/* Readouts follow the model at most every READOUT_PERIOD_S. */
static void readouts_update(struct bm_view *v, const struct bm_view_model *m)
{
	double dt = m->now_s - v->shown_t_s;
	if (v->shown_valid && dt >= 0 && dt < READOUT_PERIOD_S)
		return;
	for (int leg = 0; leg < BM_NCHAN; leg++)
		v->shown_n[leg] = m->force_n[leg];
	v->shown_t_s = m->now_s;
	v->shown_valid = true;
}

int bm_view_draw(struct bm_view *v, const struct bm_view_model *m)
{
	if (!v || !m)
		return BM_VIEW_ERR_ARG;
	int w, h;
	if (SDL_GetRendererOutputSize(v->r, &w, &h) != 0)
		return BM_VIEW_ERR_SDL;
	bm_view_layout_compute(w, h, &v->lay);
	bm_view_textcache_frame(v->text, v->lay.font_px);
	readouts_update(v, m);

	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
	set_colour(v, BM_VIEW_C_BG, 255);
	SDL_RenderClear(v->r);

	float fs = bm_view_full_scale_n(m);
	bm_view_panel_legs(v, m, fs);
	bm_view_panel_trace(v, m, fs);
	bm_view_panel_holds(v, m);
	bm_view_panel_gauge(v, m);
	bm_view_panel_message(v, m);
	bm_view_panel_status(v, m);
	if (m->cal.active)
		bm_view_overlay_cal(v, m);
	if (m->help_visible)
		bm_view_overlay_help(v);
	bm_view_textcache_age(v->text);
	return BM_VIEW_OK;
}
