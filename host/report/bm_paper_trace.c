/*
 * bm_paper_trace.c - the force trace of a session page: the layout of the
 * plot, the decimation that keeps long traces fast, and the drawing of
 * efforts, gaps, grid, both legs and axes.
 *
 * Decimation: the x range is cut into columns about a PNG pixel wide.  A
 * column that holds many samples is drawn through its first, lowest,
 * highest and last sample in time order; at that width the result is the
 * same picture as the full polyline, yet a 1-hour 1000 Hz trace becomes a
 * few thousand points, and a single-sample spike survives because it is
 * its column's extreme.  Columns with few samples keep them all.  It is one
 * pass with no allocation: the column being filled is the only state.
 */
#include "bm_paper_priv.h"

#include <math.h>
#include <stdio.h>

/* Session page geometry (mm from the page's top left). */
#define TRACE_X_MM 31.0
#define TRACE_Y_MM 64.0
#define TRACE_H_MM 84.0
#define LANE_H_MM 3.0
#define LANES_GAP_MM 1.5

/* Decimation state: the column being filled. */
struct column {
	int have;
	size_t col;
	size_t i_first, i_last, i_min, i_max;
};

struct decim {
	const double *t_s, *v;
	bm_paper_emit_fn emit;
	void *ctx;
	int pen_down;
	size_t emitted;
};

static void flush(struct decim *d, struct column *c)
{
	size_t idx[4] = { c->i_first, c->i_min, c->i_max, c->i_last };

	if (!c->have)
		return;
	c->have = 0;
	/* Time order, each sample once: sort four indices. */
	for (int i = 1; i < 4; i++)
		for (int j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
			size_t tmp = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = tmp;
		}
	for (int i = 0; i < 4; i++) {
		if (i > 0 && idx[i] == idx[i - 1])
			continue;
		d->emit(d->ctx, d->t_s[idx[i]], d->v[idx[i]], d->pen_down);
		d->pen_down = 1;
		d->emitted++;
	}
}

size_t bm_paper_decimate(const double *t_s, const double *v, size_t n, double t_min_s,
                         double t_max_s, size_t n_cols, const struct bm_paper_gap *gaps,
                         size_t n_gaps, bm_paper_emit_fn emit, void *ctx)
{
	struct decim d = { t_s, v, emit, ctx, 0, 0 };
	struct column c = { 0, 0, 0, 0, 0, 0 };
	size_t gi = 0;

	if (n_cols == 0)
		n_cols = 1;
	double span = t_max_s - t_min_s;
	double cols_per_s = span > 0 ? (double)n_cols / span : 0.0;
	for (size_t i = 0; i < n; i++) {
		double t = t_s[i], x = v[i];
		int broken = 0, skip = isnan(x) || !(t >= t_min_s && t <= t_max_s);
		/* Gaps that ended by t: one that ended after the previous sample
		 * lies between the two.  A sample inside a gap is not drawn. */
		while (gi < n_gaps && gaps[gi].end_s <= t) {
			if (i > 0 && gaps[gi].end_s > t_s[i - 1])
				broken = 1;
			gi++;
		}
		if (gi < n_gaps && gaps[gi].start_s < t)
			skip = 1;
		if (broken || skip) {
			flush(&d, &c);
			d.pen_down = 0;
			if (skip)
				continue;
		}
		size_t col = (size_t)((t - t_min_s) * cols_per_s);
		if (col >= n_cols)
			col = n_cols - 1;
		if (c.have && col != c.col)
			flush(&d, &c);
		if (!c.have) {
			c.have = 1;
			c.col = col;
			c.i_first = c.i_last = c.i_min = c.i_max = i;
			continue;
		}
		c.i_last = i;
		if (x < v[c.i_min])
			c.i_min = i;
		if (x > v[c.i_max])
			c.i_max = i;
	}
	flush(&d, &c);
	return d.emitted;
}

void bm_paper_session_layout(const struct bm_paper_session *s, size_t page,
                             struct bm_paper_layout *out)
{
	const struct bm_paper_trace *tr = &s->trace;
	double t0 = 0.0, t1 = 0.0;
	double lo = 0.0, hi = 0.0;

	out->kind = BM_PAPER_PAGE_SESSION;
	out->page = page;
	out->page_rect = (struct bm_paper_rect){ 0, 0, BM_PAPER_PAGE_W_MM, BM_PAPER_PAGE_H_MM };
	out->plot = (struct bm_paper_rect){ TRACE_X_MM, TRACE_Y_MM,
		BM_PAPER_PAGE_W_MM - BM_PAPER_MARGIN_MM - TRACE_X_MM, TRACE_H_MM };
	out->lanes = (struct bm_paper_rect){ out->plot.x_mm,
		TRACE_Y_MM - LANES_GAP_MM - 2 * LANE_H_MM, out->plot.w_mm, 2 * LANE_H_MM };

	/* x: the trace's own span (a session that starts at 0 keeps 0 in
	 * view); the ticks fall inside it, the ends are not rounded out so
	 * that no width is wasted on an hour-long trace. */
	if (tr->n > 0) {
		t0 = tr->t_s[0];
		t1 = tr->t_s[tr->n - 1];
	} else if (isfinite(s->duration_s) && s->duration_s > 0) {
		t1 = s->duration_s;
	}
	if (t0 > 0 && t0 < 0.05 * (t1 - t0))
		t0 = 0.0;
	if (!(t1 > t0))
		t1 = t0 + 1.0;
	out->t_min_s = t0;
	out->t_max_s = t1;
	out->t_step_s = bm_paper_nice_step(t1 - t0, 7.0);

	/* y: from 0 (or below, if a plate reads negative) to the highest
	 * sample, rounded out to whole steps. */
	for (size_t i = 0; i < tr->n; i++) {
		double a = tr->left_n[i], b = tr->right_n[i];
		if (a < lo)
			lo = a;
		if (a > hi)
			hi = a;
		if (b < lo)
			lo = b;
		if (b > hi)
			hi = b;
	}
	if (!(hi > lo))
		hi = lo + 100.0;
	double step = bm_paper_nice_step((hi - lo) * 1.03, 6.0);
	out->force_min_n = floor(lo / step) * step;
	out->force_max_n = ceil(hi * 1.03 / step) * step;
	out->force_step_n = step;
}

struct pen {
	cairo_t *cr;
	const struct bm_paper_layout *l;
};

static void pen_emit(void *ctx, double t_s, double v, int pen_down)
{
	struct pen *p = ctx;
	double x, y;

	bm_paper_layout_xy(p->l, t_s, v, &x, &y);
	if (pen_down)
		cairo_line_to(p->cr, x, y);
	else
		cairo_move_to(p->cr, x, y);
}

/* x extent of [a, b] on the plot, widened to at least min_mm so that a
 * 1-s rep or a lost frame stays visible on an hour-long trace. */
static int span_x(const struct bm_paper_layout *l, double a, double b, double min_mm,
                  double *x, double *w)
{
	double xa, xb, y;

	bm_paper_layout_xy(l, a, 0, &xa, &y);
	bm_paper_layout_xy(l, b, 0, &xb, &y);
	if (xb < l->plot.x_mm || xa > l->plot.x_mm + l->plot.w_mm)
		return 0;
	if (xb - xa < min_mm) {
		double mid = (xa + xb) / 2;
		xa = mid - min_mm / 2;
		xb = mid + min_mm / 2;
	}
	*x = xa;
	*w = xb - xa;
	return 1;
}

static void hatch(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	bm_paper_set_grey(cr, 0.93);
	cairo_paint(cr);
	bm_paper_set_grey(cr, 0.45);
	cairo_set_line_width(cr, 0.25);
	/* Diagonals every 1.2 mm, anchored to the page so neighbours match. */
	for (double k = floor((x - h) / 1.2) * 1.2; k < x + w; k += 1.2) {
		cairo_move_to(cr, k, y + h);
		cairo_line_to(cr, k + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void draw_efforts(struct bm_paper_ctx *c, const struct bm_paper_session *s,
                         const struct bm_paper_layout *l)
{
	cairo_t *cr = c->cr;
	const struct bm_paper_rect *p = &l->plot, *ln = &l->lanes;
	double x, w;

	/* Lanes: a light strip per leg, efforts solid (holds) or pale (reps). */
	bm_paper_set_grey(cr, 0.95);
	cairo_rectangle(cr, ln->x_mm, ln->y_mm, ln->w_mm, ln->h_mm);
	cairo_fill(cr);
	for (size_t i = 0; i < s->n_efforts; i++) {
		const struct bm_paper_effort *e = &s->efforts[i];
		struct bm_paper_rgb col = bm_paper_leg_rgb[e->leg];
		int hold = e->kind == BM_PAPER_HOLD;
		if (!span_x(l, e->start_s, e->end_s, 0.3, &x, &w))
			continue;
		cairo_save(cr);
		cairo_rectangle(cr, p->x_mm, 0, p->w_mm, BM_PAPER_PAGE_H_MM);
		cairo_clip(cr);
		cairo_set_source_rgba(cr, col.r, col.g, col.b,
		                      hold ? BM_PAPER_HOLD_ALPHA : BM_PAPER_REP_ALPHA);
		cairo_rectangle(cr, x, p->y_mm, w, p->h_mm);
		cairo_fill(cr);
		cairo_set_source_rgba(cr, col.r, col.g, col.b, hold ? 0.9 : 0.45);
		cairo_rectangle(cr, x, ln->y_mm + e->leg * LANE_H_MM + 0.3, w, LANE_H_MM - 0.6);
		cairo_fill(cr);
		cairo_restore(cr);
	}
	bm_paper_set_grey(cr, 0.3);
	bm_paper_text(c, ln->x_mm - 1.5, ln->y_mm + LANE_H_MM - 0.7, 6.5, 1,
	              BM_PAPER_ALIGN_RIGHT, "L");
	bm_paper_text(c, ln->x_mm - 1.5, ln->y_mm + 2 * LANE_H_MM - 0.7, 6.5, 1,
	              BM_PAPER_ALIGN_RIGHT, "R");

	for (size_t i = 0; i < s->n_gaps; i++) {
		if (!span_x(l, s->gaps[i].start_s, s->gaps[i].end_s, 0.6, &x, &w))
			continue;
		cairo_save(cr);
		cairo_rectangle(cr, p->x_mm, 0, p->w_mm, BM_PAPER_PAGE_H_MM);
		cairo_clip(cr);
		hatch(cr, x, p->y_mm, w, p->h_mm);
		hatch(cr, x, ln->y_mm, w, ln->h_mm);
		cairo_restore(cr);
	}
}

static void x_axis(struct bm_paper_ctx *c, const struct bm_paper_layout *l)
{
	cairo_t *cr = c->cr;
	const struct bm_paper_rect *p = &l->plot;
	char lab[32];
	double step = l->t_step_s;
	double k0 = ceil(l->t_min_s / step - 1e-9), k1 = floor(l->t_max_s / step + 1e-9);

	for (double k = k0; k <= k1; k++) {
		double x, y;
		bm_paper_layout_xy(l, k * step, l->force_min_n, &x, &y);
		bm_paper_set_grey(cr, 0.86);
		cairo_set_line_width(cr, 0.15);
		cairo_move_to(cr, x, p->y_mm);
		cairo_line_to(cr, x, p->y_mm + p->h_mm);
		cairo_stroke(cr);
		bm_paper_set_grey(cr, 0.25);
		cairo_set_line_width(cr, 0.2);
		cairo_move_to(cr, x, p->y_mm + p->h_mm);
		cairo_line_to(cr, x, p->y_mm + p->h_mm + 1.0);
		cairo_stroke(cr);
		bm_paper_fmt_tick(k * step, step, lab, sizeof lab);
		bm_paper_text(c, x, p->y_mm + p->h_mm + 4.0, 7, 0, BM_PAPER_ALIGN_CENTER, lab);
	}
}

static void legend(struct bm_paper_ctx *c, double x, double y)
{
	cairo_t *cr = c->cr;
	static const char *const leg_name[2] = { "left", "right" };

	for (int leg = 0; leg < 2; leg++) {
		struct bm_paper_rgb col = bm_paper_leg_rgb[leg];
		bm_paper_set_rgb(cr, col);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, x, y - 0.9);
		cairo_line_to(cr, x + 5, y - 0.9);
		cairo_stroke(cr);
		bm_paper_set_grey(cr, 0.2);
		x += 6.5 + bm_paper_text(c, x + 6.5, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, leg_name[leg]);
		x += 5;
	}
	/* Shading swatches: left and right halves show both legs' tints. */
	static const char *const kind_name[2] = { "hold", "rep" };
	for (int k = 0; k < 2; k++) {
		for (int leg = 0; leg < 2; leg++) {
			struct bm_paper_rgb col = bm_paper_leg_rgb[leg];
			cairo_set_source_rgba(cr, col.r, col.g, col.b,
			                      k == 0 ? BM_PAPER_HOLD_ALPHA * 2 : BM_PAPER_REP_ALPHA * 2);
			cairo_rectangle(cr, x + leg * 2.5, y - 2.6, 2.5, 3.0);
			cairo_fill(cr);
		}
		bm_paper_set_grey(cr, 0.2);
		x += 6.5 + bm_paper_text(c, x + 6.5, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, kind_name[k]);
		x += 5;
	}
	hatch(cr, x, y - 2.6, 5, 3.0);
	bm_paper_set_grey(cr, 0.2);
	bm_paper_text(c, x + 6.5, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, "gap (no data)");
}

void bm_paper_draw_trace(struct bm_paper_ctx *c, const struct bm_paper_session *s,
                         const struct bm_paper_layout *l)
{
	cairo_t *cr = c->cr;
	const struct bm_paper_rect *p = &l->plot;
	const struct bm_paper_trace *tr = &s->trace;
	size_t n_cols = (size_t)ceil(p->w_mm * BM_PAPER_COLS_PER_MM);

	draw_efforts(c, s, l);
	bm_paper_y_axis(c, p, l->force_min_n, l->force_max_n, l->force_step_n, 0, 1, NULL);
	x_axis(c, l);

	cairo_save(cr);
	cairo_rectangle(cr, p->x_mm, p->y_mm, p->w_mm, p->h_mm);
	cairo_clip(cr);
	cairo_set_line_width(cr, 0.4);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (int leg = 0; leg < 2; leg++) {
		struct pen pen = { cr, l };
		const double *v = leg == BM_PAPER_LEFT ? tr->left_n : tr->right_n;
		if (tr->n == 0)
			break;
		bm_paper_decimate(tr->t_s, v, tr->n, l->t_min_s, l->t_max_s, n_cols, s->gaps,
		                  s->n_gaps, pen_emit, &pen);
		bm_paper_set_rgb(cr, bm_paper_leg_rgb[leg]);
		cairo_stroke(cr);
	}
	cairo_restore(cr);

	bm_paper_set_grey(cr, 0.25);
	cairo_set_line_width(cr, 0.25);
	cairo_rectangle(cr, p->x_mm, p->y_mm, p->w_mm, p->h_mm);
	cairo_stroke(cr);

	/* Axis titles. */
	bm_paper_set_grey(cr, 0.2);
	bm_paper_text(c, p->x_mm + p->w_mm, p->y_mm + p->h_mm + 8.0, 7.5, 0,
	              BM_PAPER_ALIGN_RIGHT, "time (s)");
	cairo_save(cr);
	cairo_translate(cr, BM_PAPER_MARGIN_MM + 1.5, p->y_mm + p->h_mm / 2);
	cairo_rotate(cr, -M_PI / 2);
	bm_paper_text(c, 0, 0, 7.5, 0, BM_PAPER_ALIGN_CENTER, "force (N)");
	cairo_restore(cr);
	if (tr->n == 0) {
		bm_paper_set_grey(cr, 0.4);
		bm_paper_text(c, p->x_mm + p->w_mm / 2, p->y_mm + p->h_mm / 2, 9, 0,
		              BM_PAPER_ALIGN_CENTER, "no samples");
	}
	legend(c, p->x_mm, p->y_mm + p->h_mm + 8.0);
}
