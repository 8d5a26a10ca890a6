/*
 * bm_view_layout.c - where everything goes, as a pure function of the
 * output size in pixels, and the model's defaults.
 *
 * The screen, left to right: the left leg's column (label, readout, tall
 * bar, reps), the middle (force-time trace on top; hold timer, daily
 * total and the asymmetry gauge below), the right leg's column; under
 * everything a message line and the status bar.  Rows are split by
 * weights (stack_rows()), spacing follows the smaller of the two scales
 * against 1280x720, and every font is sized to fit its row and width, so
 * resizing, full screen and HiDPI need no special cases and no element
 * spills into another.  Nothing here draws; the tests call
 * bm_view_layout_compute() directly.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <string.h>

/* ---- model ------------------------------------------------------------ */

void bm_view_model_init(struct bm_view_model *m)
{
	memset(m, 0, sizeof *m);
	m->trace_window_s = 30.0f;
	m->units = BM_VIEW_UNITS_N;
	m->hold_target_s = 30.0f;
	m->daily_aim_s = 180.0f;
	m->asym_weaker = BM_VIEW_NO_LEG;
	m->effort_weaker = BM_VIEW_NO_LEG;
	m->asym_flag_pct = 15.0f;
	m->conn = BM_VIEW_CONN_LIVE;
	m->protocol.countdown_s = -1;
}

float bm_view_full_scale_n(const struct bm_view_model *m)
{
	if (m->full_scale_n > 0)
		return m->full_scale_n;
	float top = m->zone_high_n > m->zone_low_n ? m->zone_high_n * 1.5f : 0;
	if (top < 100.0f)
		top = 100.0f;
	return ceilf(top / 50.0f) * 50.0f;
}

/* ---- layout ----------------------------------------------------------- */

/*
 * Split the span [y, y + h) into n rows with the given weights and the
 * given gap after each row (the last gap unused); when the gaps alone do
 * not fit they shrink.  Rows come out disjoint, in order, inside the span.
 */
static void stack_rows(int y, int h, const double *weight, const int *gap,
                       int n, int *row_y, int *row_h)
{
	int gaps = 0;
	double wsum = 0;
	for (int i = 0; i < n; i++) {
		wsum += weight[i];
		if (i < n - 1)
			gaps += gap[i];
	}
	double gap_scale = gaps > h ? (double)h / gaps : 1.0;
	int gaps_used = 0;
	for (int i = 0; i < n - 1; i++)
		gaps_used += (int)floor(gap[i] * gap_scale);
	int avail = imax(h - gaps_used, 0);
	double acc = 0;
	int prev_end = 0, at = y;
	for (int i = 0; i < n; i++) {
		acc += weight[i] / wsum * avail;
		int end = imin((int)floor(acc + 1e-9), avail);
		row_y[i] = at;
		row_h[i] = end - prev_end;
		prev_end = end;
		at += row_h[i];
		if (i < n - 1)
			at += (int)floor(gap[i] * gap_scale);
	}
}

void bm_view_layout_compute(int out_w, int out_h, struct bm_view_layout *lay)
{
	memset(lay, 0, sizeof *lay);
	int W = imax(out_w, 0), H = imax(out_h, 0);
	lay->out_w = W;
	lay->out_h = H;
	/* Spacing follows the smaller of the two scales against 1280x720. */
	double u = fmin(W / 1280.0, H / 720.0);
	int pad = (int)lround(12.0 * u);
	if (pad < 1 && W >= 8 && H >= 8)
		pad = 1;
	lay->pad = pad;

	int status_h = imin(imax((int)lround(H * 0.045), imin(16, H / 8)), H);
	lay->status = rect(0, H - status_h, W, status_h);
	int msg_h = imin((int)lround(H * 0.05), imax(lay->status.y - pad, 0));
	lay->message = rect(pad, lay->status.y - msg_h, W - 2 * pad, msg_h);

	int top = pad;
	int bottom = imax(lay->message.y - pad, top);
	int M = bottom - top;

	/* Leg columns at the sides, the middle between them. */
	int colw = (int)lround(W * 0.19);
	int xcol[BM_NCHAN] = {pad, W - pad - colw};
	int x0 = pad + colw + 2 * pad;
	int x1 = W - pad - colw - 2 * pad;
	int cw = imax(x1 - x0, 0);

	static const double col_w8[5] = {7, 13, 60, 5.5, 5};
	int col_gap[5] = {0, pad, pad, 0, 0};
	int cy[5], chh[5];
	stack_rows(top, M, col_w8, col_gap, 5, cy, chh);
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		int x = xcol[leg];
		lay->bar_col[leg] = rect(x, top, colw, M);
		lay->bar_label[leg] = rect(x, cy[0], colw, chh[0]);
		lay->bar_value[leg] = rect(x, cy[1], colw, chh[1]);
		lay->bar_zone[leg] = rect(x, cy[2], colw, chh[2]);
		int bw = (int)lround(colw * 0.64);
		lay->bar[leg] = rect(x + (colw - bw) / 2, cy[2], bw, chh[2]);
		lay->reps[leg] = rect(x, cy[3], colw, chh[3] + chh[4]);
	}

	/* Middle: trace, then the hold panel and the gauge. */
	static const double mid_w8[7] = {50, 16, 4, 7, 2.5, 7, 7};
	int mid_gap[7] = {2 * pad, pad / 2, pad, pad / 2, pad, pad / 2, 0};
	int my[7], mh[7];
	stack_rows(top, M, mid_w8, mid_gap, 7, my, mh);
	lay->trace = rect(x0, my[0], cw, mh[0]);
	lay->hold_text = rect(x0, my[1], cw, mh[1]);
	lay->hold_bar = rect(x0, my[2], cw, mh[2]);
	lay->daily_text = rect(x0, my[3], cw, mh[3]);
	lay->daily_bar = rect(x0, my[4], cw, mh[4]);
	lay->gauge_text = rect(x0, my[5], cw, mh[5]);
	lay->gauge = rect(x0, my[6], cw, mh[6]);

	/* Overlays, centred. */
	lay->help = rect(W * 15 / 100, H * 8 / 100, W * 70 / 100, H * 84 / 100);
	lay->cal = rect(W * 18 / 100, H * 28 / 100, W * 64 / 100, H * 44 / 100);

	/*
	 * Fonts fit their rows: DejaVu Sans is about 1.17 em from ascent to
	 * descent, so a row of h pixels holds a font of about 0.82 h.  The
	 * widths bound them too: the readout is at most four digits and a
	 * point next to a small unit; a panel row holds two texts of about 40
	 * characters of 0.55 em together (the timer's row: "1:05" beside
	 * "last hold  target 1:00"); the help box a key and 44 characters.
	 */
	int *fp = lay->font_px;
	int reps_row = imin(chh[3], chh[4]);
	fp[BM_VIEW_FONT_VALUE] = imin((int)(chh[1] * 0.82), (int)(colw / 3.6));
	fp[BM_VIEW_FONT_TIMER] = imin((int)(mh[1] * 0.82), (int)(cw / 6.0));
	fp[BM_VIEW_FONT_LABEL] = imin((int)(imin(chh[0], reps_row) * 0.82), (int)(colw / 4.5));
	fp[BM_VIEW_FONT_TEXT] = imin(imin((int)(mh[3] * 0.78), (int)(mh[5] * 0.78)),
	                             imin((int)(msg_h * 0.7), (int)(cw / 24.0)));
	fp[BM_VIEW_FONT_TEXT] = imin(fp[BM_VIEW_FONT_TEXT], (int)(reps_row * 0.82));
	fp[BM_VIEW_FONT_SMALL] = imin((int)(status_h * 0.62), (int)(W / 60.0));
	fp[BM_VIEW_FONT_OVERLAY] = imin((int)(lay->help.h / (13 * 1.5)),
	                                (int)(lay->help.w / 32.0));
	for (int i = 0; i < BM_VIEW_FONT_COUNT; i++)
		fp[i] = imax(fp[i], 0);
}
