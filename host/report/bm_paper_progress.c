/*
 * bm_paper_progress.c - the progress page: force per leg over the weeks
 * with pain on its own right-hand axis, the limb symmetry index with its
 * dashed 90 % mark, the latest sessions as numbers, the changes as the
 * caller labelled them, and the readiness checklist (guidance, not medical
 * advice).
 *
 * Dates: the x range runs from local midnight of the first session's day
 * to the midnight after the last one, and each date label sits at noon of
 * its day, so a session is drawn above the label of the day it was done.
 * Steps are whole days (1, 2, 7, 14, 28, ... days), stepped with mktime()
 * so a daylight-saving change does not shift the labels by an hour.
 */
#include "bm_paper_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define X0 BM_PAPER_MARGIN_MM
#define X_END (BM_PAPER_PAGE_W_MM - BM_PAPER_MARGIN_MM)
#define PLOT_X_MM 31.0
#define PLOT_W_MM (X_END - 14.0 - PLOT_X_MM)
#define DAY_S 86400.0
/* Rows of the numbers table; older sessions are in the charts only. */
#define TABLE_ROWS 8
#define LINE_MM 3.9

/* Local midnight of the day of epoch_s, plus days (calendar days). */
static double local_day(double epoch_s, int days, int hour)
{
	struct tm tm;
	time_t t = (time_t)floor(epoch_s);

	if (!localtime_r(&t, &tm))
		return epoch_s;
	tm.tm_mday += days;
	tm.tm_hour = hour;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t r = mktime(&tm);
	return r == (time_t)-1 ? epoch_s + days * DAY_S : (double)r;
}

void bm_paper_progress_layout(const struct bm_paper_progress *p, size_t page,
                              struct bm_paper_layout *out)
{
	static const int step_days[] = { 1, 2, 7, 14, 28, 56, 91, 182, 364, 728 };
	double first = NAN, last = NAN;
	double hi = 0, lo = 0, lsi_lo = p->lsi_mark_pct, lsi_hi = 100;

	out->kind = BM_PAPER_PAGE_PROGRESS;
	out->page = page;
	out->page_rect = (struct bm_paper_rect){ 0, 0, BM_PAPER_PAGE_W_MM, BM_PAPER_PAGE_H_MM };
	out->plot = (struct bm_paper_rect){ PLOT_X_MM, 50.0, PLOT_W_MM, 58.0 };
	out->lsi_plot = (struct bm_paper_rect){ PLOT_X_MM, 127.0, PLOT_W_MM, 24.0 };

	for (size_t i = 0; i < p->n_points; i++) {
		const struct bm_paper_point *q = &p->points[i];
		if (isnan(first))
			first = q->epoch_s;
		last = q->epoch_s;
		double f[2] = { q->left_n, q->right_n };
		for (int k = 0; k < 2; k++) {
			if (f[k] > hi)
				hi = f[k];
			if (f[k] < lo)
				lo = f[k];
		}
		if (q->lsi_pct < lsi_lo)
			lsi_lo = q->lsi_pct;
		if (q->lsi_pct > lsi_hi)
			lsi_hi = q->lsi_pct;
	}
	if (isnan(first)) {
		out->t_min_s = 0;
		out->t_max_s = DAY_S;
	} else {
		out->t_min_s = local_day(first, 0, 0);
		out->t_max_s = local_day(last, 1, 0);
	}
	double span_days = (out->t_max_s - out->t_min_s) / DAY_S;
	size_t k = 0;
	while (k + 1 < sizeof step_days / sizeof step_days[0] && span_days / step_days[k] > 7.0)
		k++;
	out->t_step_s = step_days[k] * DAY_S;

	if (!(hi > lo))
		hi = lo + 100.0;
	double step = bm_paper_nice_step((hi - lo) * 1.05, 5.0);
	out->force_min_n = floor(lo / step) * step;
	out->force_max_n = ceil(hi * 1.05 / step) * step;
	out->force_step_n = step;
	out->pain_max = 10.0;

	if (!isfinite(lsi_lo))
		lsi_lo = 80;
	out->lsi_min_pct = floor((lsi_lo - 2.0) / 10.0) * 10.0;
	if (out->lsi_min_pct < 0)
		out->lsi_min_pct = 0;
	out->lsi_max_pct = ceil(lsi_hi / 10.0) * 10.0;
	out->lsi_step_pct = bm_paper_nice_step(out->lsi_max_pct - out->lsi_min_pct, 3.0);
}

/* Vertical grid and date labels under rect r, on the x scale of l. */
static void date_axis(struct bm_paper_ctx *c, const struct bm_paper_layout *l,
                      const struct bm_paper_rect *r)
{
	cairo_t *cr = c->cr;
	int step = (int)lround(l->t_step_s / DAY_S);
	char lab[32];

	if (l->t_max_s <= l->t_min_s)
		return;
	for (int k = 0;; k += step) {
		double noon = local_day(l->t_min_s + DAY_S / 2, k, 12);
		if (noon > l->t_max_s || k > 4000)
			break;
		double x = r->x_mm + (noon - l->t_min_s) / (l->t_max_s - l->t_min_s) * r->w_mm;
		bm_paper_set_grey(cr, 0.88);
		cairo_set_line_width(cr, 0.15);
		cairo_move_to(cr, x, r->y_mm);
		cairo_line_to(cr, x, r->y_mm + r->h_mm);
		cairo_stroke(cr);
		bm_paper_fmt_date(noon, 0, lab, sizeof lab);
		bm_paper_set_grey(cr, 0.25);
		bm_paper_text(c, x, r->y_mm + r->h_mm + 4.0, 6.5, 0, BM_PAPER_ALIGN_CENTER, lab);
	}
}

static void frame(cairo_t *cr, const struct bm_paper_rect *r)
{
	bm_paper_set_grey(cr, 0.25);
	cairo_set_line_width(cr, 0.25);
	cairo_rectangle(cr, r->x_mm, r->y_mm, r->w_mm, r->h_mm);
	cairo_stroke(cr);
}

enum marker { MARK_CIRCLE, MARK_SQUARE };

static void mark(cairo_t *cr, double x, double y, enum marker m)
{
	if (m == MARK_CIRCLE) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, 0.75, 0, 2 * M_PI);
	} else {
		cairo_rectangle(cr, x - 0.65, y - 0.65, 1.3, 1.3);
	}
}

/* A series: lines between consecutive points that both have a value
 * (a missing value breaks the line), then a marker on each point. */
static void series(cairo_t *cr, const struct bm_paper_layout *l, const struct bm_paper_rect *r,
                   double lo, double hi, const struct bm_paper_point *pts, size_t n,
                   size_t offset, struct bm_paper_rgb col, double width, const double *dash,
                   enum marker m)
{
	int down = 0;

	cairo_save(cr);
	cairo_rectangle(cr, r->x_mm - 1, r->y_mm - 1, r->w_mm + 2, r->h_mm + 2);
	cairo_clip(cr);
	bm_paper_set_rgb(cr, col);
	for (int pass = 0; pass < 2; pass++) {
		down = 0;
		for (size_t i = 0; i < n; i++) {
			double v = *(const double *)((const char *)&pts[i] + offset);
			if (!isfinite(v)) {
				down = 0;
				continue;
			}
			double x = r->x_mm + (pts[i].epoch_s - l->t_min_s) /
				(l->t_max_s - l->t_min_s) * r->w_mm;
			double y = r->y_mm + r->h_mm - (v - lo) / (hi - lo) * r->h_mm;
			if (pass == 1)
				mark(cr, x, y, m);
			else if (down)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
			down = 1;
		}
		if (pass == 0) {
			cairo_set_line_width(cr, width);
			cairo_set_dash(cr, dash, dash ? 2 : 0, 0);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		} else {
			cairo_fill(cr);
		}
	}
	cairo_restore(cr);
}

static double legend_item(struct bm_paper_ctx *c, double x, double y, struct bm_paper_rgb col,
                          enum marker m, const char *name)
{
	cairo_t *cr = c->cr;

	bm_paper_set_rgb(cr, col);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x, y - 0.9);
	cairo_line_to(cr, x + 5, y - 0.9);
	cairo_stroke(cr);
	mark(cr, x + 2.5, y - 0.9, m);
	cairo_fill(cr);
	bm_paper_set_grey(cr, 0.2);
	return x + 6.5 + bm_paper_text(c, x + 6.5, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, name) + 5.0;
}

static void header(struct bm_paper_ctx *c, const struct bm_paper_progress *p)
{
	cairo_t *cr = c->cr;
	const char *who = c->doc->athlete;
	char fit[512];
	char line[160], a[32], b[32];

	bm_paper_set_grey(cr, 0.4);
	bm_paper_text(c, X0, 18, 8, 0, BM_PAPER_ALIGN_LEFT, "bridgemon · progress report");
	bm_paper_set_grey(cr, 0.05);
	bm_paper_text(c, X0, 26, 16, 1, BM_PAPER_ALIGN_LEFT,
	              who && *who ? bm_paper_fit(c, 16, 1, who, X_END - X0, fit, sizeof fit)
	                          : "(athlete not named)");
	if (p->n_points > 0) {
		bm_paper_fmt_date(p->points[0].epoch_s, 0, a, sizeof a);
		bm_paper_fmt_date(p->points[p->n_points - 1].epoch_s, 0, b, sizeof b);
		snprintf(line, sizeof line, "%zu session%s from %s to %s", p->n_points,
		         p->n_points == 1 ? "" : "s", a, b);
	} else {
		snprintf(line, sizeof line, "no sessions yet");
	}
	bm_paper_set_grey(cr, 0.15);
	bm_paper_text(c, X0, 32.5, 9.5, 0, BM_PAPER_ALIGN_LEFT, line);
	if (p->force_label && *p->force_label) {
		char lab[200];
		char given[160];
		bm_paper_copy_utf8(given, sizeof given, p->force_label);
		snprintf(lab, sizeof lab, "force: %s", given);
		bm_paper_set_grey(cr, 0.3);
		bm_paper_text(c, X0, 37.5, 8.5, 0, BM_PAPER_ALIGN_LEFT, lab);
	}
}

static void charts(struct bm_paper_ctx *c, const struct bm_paper_progress *p,
                   const struct bm_paper_layout *l)
{
	cairo_t *cr = c->cr;
	const struct bm_paper_rect *r = &l->plot, *q = &l->lsi_plot;
	static const double dash[2] = { 1.2, 0.8 };
	char lab[48];

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, 46, 9, 1, BM_PAPER_ALIGN_LEFT, "Force per leg, and pain");
	bm_paper_set_rgb(cr, bm_paper_pain_rgb);
	bm_paper_text(c, r->x_mm + r->w_mm + 9, 46, 7.5, 0, BM_PAPER_ALIGN_RIGHT, "pain (0–10)");
	bm_paper_set_grey(cr, 0.2);
	cairo_save(cr);
	cairo_translate(cr, X0 + 1.5, r->y_mm + r->h_mm / 2);
	cairo_rotate(cr, -M_PI / 2);
	bm_paper_text(c, 0, 0, 7.5, 0, BM_PAPER_ALIGN_CENTER, "force (N)");
	cairo_restore(cr);

	date_axis(c, l, r);
	bm_paper_y_axis(c, r, l->force_min_n, l->force_max_n, l->force_step_n, 0, 1, NULL);
	bm_paper_y_axis(c, r, 0, l->pain_max, 2, 1, 0, &bm_paper_pain_rgb);
	frame(cr, r);
	if (p->n_points == 0) {
		bm_paper_set_grey(cr, 0.4);
		bm_paper_text(c, r->x_mm + r->w_mm / 2, r->y_mm + r->h_mm / 2, 9, 0,
		              BM_PAPER_ALIGN_CENTER, "no sessions yet");
	}
	series(cr, l, r, 0, l->pain_max, p->points, p->n_points,
	       offsetof(struct bm_paper_point, pain), bm_paper_pain_rgb, 0.3, dash, MARK_SQUARE);
	for (int leg = 0; leg < 2; leg++)
		series(cr, l, r, l->force_min_n, l->force_max_n, p->points, p->n_points,
		       leg == 0 ? offsetof(struct bm_paper_point, left_n)
		                : offsetof(struct bm_paper_point, right_n),
		       bm_paper_leg_rgb[leg], 0.45, NULL, MARK_CIRCLE);
	double x = r->x_mm, y = r->y_mm + r->h_mm + 9.0;
	x = legend_item(c, x, y, bm_paper_leg_rgb[0], MARK_CIRCLE, "left");
	x = legend_item(c, x, y, bm_paper_leg_rgb[1], MARK_CIRCLE, "right");
	legend_item(c, x, y, bm_paper_pain_rgb, MARK_SQUARE, "pain (right-hand axis)");

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, q->y_mm - 3.0, 9, 1, BM_PAPER_ALIGN_LEFT,
	              "Limb symmetry index (weaker / stronger, %)");
	date_axis(c, l, q);
	bm_paper_y_axis(c, q, l->lsi_min_pct, l->lsi_max_pct, l->lsi_step_pct, 0, 1, NULL);
	if (isfinite(p->lsi_mark_pct) && p->lsi_mark_pct >= l->lsi_min_pct &&
	    p->lsi_mark_pct <= l->lsi_max_pct) {
		double xm, ym;
		bm_paper_layout_lsi_xy(l, l->t_min_s, p->lsi_mark_pct, &xm, &ym);
		cairo_set_source_rgb(cr, 0.80, 0.10, 0.10);
		cairo_set_line_width(cr, 0.35);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, q->x_mm, ym);
		cairo_line_to(cr, q->x_mm + q->w_mm, ym);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		bm_paper_fmt_num(p->lsi_mark_pct, "%", lab, sizeof lab);
		bm_paper_text(c, q->x_mm + q->w_mm + 1.5, ym + 0.9, 7, 0, BM_PAPER_ALIGN_LEFT, lab);
	}
	frame(cr, q);
	series(cr, l, q, l->lsi_min_pct, l->lsi_max_pct, p->points, p->n_points,
	       offsetof(struct bm_paper_point, lsi_pct), bm_paper_lsi_rgb, 0.45, NULL,
	       MARK_CIRCLE);
}

/* The last TABLE_ROWS sessions as numbers, from x0 to x1. */
static double numbers(struct bm_paper_ctx *c, const struct bm_paper_progress *p, double y)
{
	cairo_t *cr = c->cr;
	static const double cx[5] = { X0, 58, 76, 91, 105 };
	static const char *const title[5] = { "Date", "Left", "Right", "LSI", "Pain" };
	char cell[5][40];
	size_t first = p->n_points > TABLE_ROWS ? p->n_points - TABLE_ROWS : 0;

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 9, 1, BM_PAPER_ALIGN_LEFT, "Sessions");
	if (first > 0) {
		snprintf(cell[0], sizeof cell[0], "(the last %d of %zu)", TABLE_ROWS, p->n_points);
		bm_paper_set_grey(cr, 0.4);
		bm_paper_text(c, X0 + 19, y, 7, 0, BM_PAPER_ALIGN_LEFT, cell[0]);
	}
	y += LINE_MM + 0.6;
	bm_paper_set_grey(cr, 0.1);
	for (int k = 0; k < 5; k++)
		bm_paper_text(c, cx[k], y, 7.5, 1,
		              k ? BM_PAPER_ALIGN_RIGHT : BM_PAPER_ALIGN_LEFT, title[k]);
	bm_paper_set_grey(cr, 0.6);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, X0, y + 1.2);
	cairo_line_to(cr, cx[4], y + 1.2);
	cairo_stroke(cr);
	for (size_t i = first; i < p->n_points; i++) {
		const struct bm_paper_point *q = &p->points[i];
		y += LINE_MM;
		bm_paper_fmt_date(q->epoch_s, 0, cell[0], sizeof cell[0]);
		bm_paper_fmt_num(q->left_n, "N", cell[1], sizeof cell[1]);
		bm_paper_fmt_num(q->right_n, "N", cell[2], sizeof cell[2]);
		bm_paper_fmt_num(q->lsi_pct, "%", cell[3], sizeof cell[3]);
		bm_paper_fmt_num(q->pain, NULL, cell[4], sizeof cell[4]);
		bm_paper_set_grey(cr, 0.15);
		for (int k = 0; k < 5; k++)
			bm_paper_text(c, cx[k], y, 7.5, 0,
			              k ? BM_PAPER_ALIGN_RIGHT : BM_PAPER_ALIGN_LEFT, cell[k]);
	}
	if (p->n_points == 0) {
		y += LINE_MM;
		bm_paper_set_grey(cr, 0.45);
		bm_paper_text(c, X0, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, "none");
	}
	return y + LINE_MM;
}

/* The changes, right of the numbers: the label in its own column. */
static double changes(struct bm_paper_ctx *c, const struct bm_paper_progress *p, double y,
                      double y_max)
{
	cairo_t *cr = c->cr;
	const double x = 114.0, xt = 136.0;

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, x, y, 9, 1, BM_PAPER_ALIGN_LEFT, "Changes");
	y += LINE_MM + 0.6;
	if (p->n_changes == 0) {
		bm_paper_set_grey(cr, 0.45);
		bm_paper_text(c, x, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, "none given");
		return y + LINE_MM;
	}
	for (size_t i = 0; i < p->n_changes; i++) {
		const struct bm_paper_change *ch = &p->changes[i];
		if (y > y_max) {
			bm_paper_set_grey(cr, 0.45);
			bm_paper_text(c, x, y, 7, 0, BM_PAPER_ALIGN_LEFT, "… more not shown");
			return y + LINE_MM;
		}
		if (ch->real)
			cairo_set_source_rgb(cr, 0.05, 0.45, 0.15);
		else
			bm_paper_set_grey(cr, 0.4);
		bm_paper_text(c, x, y, 7.5, ch->real, BM_PAPER_ALIGN_LEFT, ch->label);
		bm_paper_set_grey(cr, 0.15);
		double before = y;
		bm_paper_wrap(c, xt, &y, X_END - xt, 7.5, 0, LINE_MM - 0.3, y_max,
		              ch->text ? ch->text : "");
		if (y == before)
			y += LINE_MM;
	}
	return y;
}

static void readiness(struct bm_paper_ctx *c, const struct bm_paper_progress *p, double y)
{
	cairo_t *cr = c->cr;
	const double xt = X0 + 22.0, xn = 150.0;

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 9, 1, BM_PAPER_ALIGN_LEFT, "Readiness to run");
	bm_paper_set_grey(cr, 0.35);
	bm_paper_text(c, X_END, y, 7.5, 0, BM_PAPER_ALIGN_RIGHT, "guidance, not medical advice");
	bm_paper_set_grey(cr, 0.6);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, X0, y + 1.4);
	cairo_line_to(cr, X_END, y + 1.4);
	cairo_stroke(cr);
	y += LINE_MM + 1.0;
	if (p->n_ready == 0) {
		bm_paper_set_grey(cr, 0.45);
		bm_paper_text(c, X0, y, 8, 0, BM_PAPER_ALIGN_LEFT, "no checklist given");
		return;
	}
	for (size_t i = 0; i < p->n_ready; i++) {
		const struct bm_paper_ready_item *it = &p->ready[i];
		if (y > BM_PAPER_FLOW_END_MM) {
			bm_paper_set_grey(cr, 0.45);
			bm_paper_text(c, X0, y, 7, 0, BM_PAPER_ALIGN_LEFT, "… more not shown");
			return;
		}
		const char *word;
		if (it->status == BM_PAPER_MET) {
			cairo_set_source_rgb(cr, 0.05, 0.45, 0.15);
			word = "✓ met";
		} else if (it->status == BM_PAPER_NOT_MET) {
			cairo_set_source_rgb(cr, 0.75, 0.08, 0.08);
			word = "✗ not met";
		} else {
			bm_paper_set_grey(cr, 0.4);
			word = "? unknown";
		}
		bm_paper_text(c, X0, y, 8, 1, BM_PAPER_ALIGN_LEFT, word);
		double yt = y, yn = y;
		bm_paper_set_grey(cr, 0.1);
		bm_paper_wrap(c, xt, &yt, xn - 3.0 - xt, 8, 0, LINE_MM, BM_PAPER_FLOW_END_MM,
		              it->text ? it->text : "");
		bm_paper_set_grey(cr, 0.35);
		bm_paper_wrap(c, xn, &yn, X_END - xn, 8, 0, LINE_MM, BM_PAPER_FLOW_END_MM,
		              it->numbers);
		y = fmax(fmax(yt, yn), y + LINE_MM) + 0.8;
	}
}

void bm_paper_draw_progress(struct bm_paper_ctx *c, const struct bm_paper_progress *p,
                            const struct bm_paper_layout *l)
{
	header(c, p);
	charts(c, p, l);
	double y0 = l->lsi_plot.y_mm + l->lsi_plot.h_mm + 12.0;
	double y1 = numbers(c, p, y0);
	double y2 = changes(c, p, y0, y0 + 40.0);
	readiness(c, p, fmax(y1, y2) + 5.0);
	bm_paper_footer(c, l->page);
}
