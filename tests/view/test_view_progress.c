/*
 * test_view_progress.c - the progress view (key p) checked by its pixels
 * on the offscreen canvas: each leg's line and the pain line at the
 * sessions' positions, the LSI line, the dashed 90 % mark, the checklist's
 * state squares; the one-line message when there is nothing to chart; the
 * layout inside the output at any size.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "view_tests.h"

static SDL_Color C(enum bm_view_colour c)
{
	return bm_view_colour(c);
}

#define DAY 86400.0
#define E0 1793610000.0 /* 2026-11-02 09:00 UTC */

/* Five weekly sessions: left 200..240 N, right 140..222 N, pain 3..1,
 * LSI 70..92.5 %; a checklist of met, met, not met, unknown, not met. */
static void model_progress(struct bm_view_model *m)
{
	static const double l[] = {200, 210, 220, 230, 240}, r[] = {140, 160, 180, 212, 222};
	static const double pain[] = {3, 3, 2, 2, 1};
	bm_view_model_init(m);
	m->progress_visible = true;
	struct bm_view_progress *p = &m->progress;
	snprintf(p->title, sizeof p->title, "Progress: Pat Example, 5 sessions");
	p->n = 5;
	for (size_t i = 0; i < p->n; i++) {
		p->epoch_s[i] = E0 + (double)i * 7 * DAY;
		snprintf(p->date[i], sizeof p->date[i], "2026-11-%02zu", 2 + 7 * i);
		p->best_hold_n[BM_LEFT][i] = l[i];
		p->best_hold_n[BM_RIGHT][i] = r[i];
		p->pain[i] = pain[i];
		p->lsi_pct[i] = 100 * r[i] / l[i];
	}
	p->lsi_mark_pct = 90;
	snprintf(p->force_label, sizeof p->force_label, "best hold, N above rest");
	snprintf(p->lsi_label, sizeof p->lsi_label, "LSI on peak force, %%");
	snprintf(p->pain_label, sizeof p->pain_label, "pain 0-10 (right axis)");
	snprintf(p->list_title, sizeof p->list_title, "Return to run");
	static const enum bm_view_ready st[] = {BM_VIEW_READY_MET, BM_VIEW_READY_MET,
	                                        BM_VIEW_READY_NOT_MET, BM_VIEW_READY_UNKNOWN,
	                                        BM_VIEW_READY_NOT_MET};
	p->n_items = 5;
	for (size_t i = 0; i < p->n_items; i++) {
		p->items[i].state = st[i];
		snprintf(p->items[i].text, sizeof p->items[i].text,
		         "criterion %zu with its numbers: 92.2 %%, 92.5 %% (words enough to wrap "
		         "over two lines of the column)", i);
	}
	snprintf(p->note, sizeof p->note, "guidance, not medical advice");
}

/* Pixels of colour @p k in the marker square around (x, y). */
static int at(const struct canvas *c, int x, int y, int side, SDL_Color k)
{
	SDL_Rect r = {x - side / 2, y - side / 2, side, side};
	return canvas_count(c, r, k);
}

START_TEST(lines_marks_and_checklist_where_the_layout_puts_them)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_progress(&m);
	canvas_draw(&c, &m);
	const struct bm_view_progress *p = &m.progress;
	struct bm_view_progress_layout pl;
	bm_view_progress_layout_compute(1280, 720, p, &pl);
	ck_assert_msg(pl.force_max_n >= 240 && pl.force_max_n <= 300,
	              "force axis expected to top out just above 240 N, got %g", pl.force_max_n);
	ck_assert_msg(pl.lsi_min_pct <= 70 && pl.lsi_max_pct == 100,
	              "LSI axis expected to hold 70..100 %%, got %g..%g", pl.lsi_min_pct,
	              pl.lsi_max_pct);
	int s = pl.marker_px - 2;
	for (size_t i = 0; i < p->n; i++) {
		int x = bm_view_progress_x(&pl, pl.force, p->epoch_s[i]);
		int yl = bm_view_progress_y(pl.force, p->best_hold_n[BM_LEFT][i], 0, pl.force_max_n);
		int yr = bm_view_progress_y(pl.force, p->best_hold_n[BM_RIGHT][i], 0, pl.force_max_n);
		int yp = bm_view_progress_y(pl.force, p->pain[i], 0, pl.pain_max);
		int yi = bm_view_progress_y(pl.lsi, p->lsi_pct[i], pl.lsi_min_pct, pl.lsi_max_pct);
		ck_assert_msg(at(&c, x, yl, s, C(BM_VIEW_C_LEG_L)) == s * s,
		              "session %zu: left marker expected at (%d,%d)", i, x, yl);
		ck_assert_msg(at(&c, x, yr, s, C(BM_VIEW_C_LEG_R)) == s * s,
		              "session %zu: right marker expected at (%d,%d)", i, x, yr);
		ck_assert_msg(at(&c, x, yp, s, C(BM_VIEW_C_PAIN)) == s * s,
		              "session %zu: pain marker expected at (%d,%d)", i, x, yp);
		ck_assert_msg(at(&c, x, yi, s, C(BM_VIEW_C_TEXT)) == s * s,
		              "session %zu: LSI marker expected at (%d,%d)", i, x, yi);
		/* Nothing of the left leg where only the right one is. */
		ck_assert_msg(at(&c, x, yr, s, C(BM_VIEW_C_LEG_L)) == 0,
		              "session %zu: left colour found on the right marker", i);
	}
	/* The 90 % mark: dashes (some but not all of the row) across the LSI
	 * plot, none a few pixels above it. */
	int y90 = bm_view_progress_y(pl.lsi, 90, pl.lsi_min_pct, pl.lsi_max_pct);
	int x0 = bm_view_progress_x(&pl, pl.lsi, p->epoch_s[0]) + pl.marker_px;
	int x1 = bm_view_progress_x(&pl, pl.lsi, p->epoch_s[1]) - pl.marker_px;
	SDL_Rect row = {x0, y90, x1 - x0, 1};
	int dash = canvas_count(&c, row, C(BM_VIEW_C_IN));
	ck_assert_msg(dash > row.w / 4 && dash < row.w * 9 / 10,
	              "90 %% mark expected dashed along y=%d: %d of %d pixels", y90, dash, row.w);
	row.y = y90 - 6;
	ck_assert_msg(canvas_count(&c, row, C(BM_VIEW_C_IN)) == 0, "mark colour 6 px above the mark");
	/* The checklist: a square per line in its state's colour, words beside. */
	static const enum bm_view_colour want[] = {BM_VIEW_C_IN, BM_VIEW_C_IN, BM_VIEW_C_WARN,
	                                           BM_VIEW_C_DIM, BM_VIEW_C_WARN};
	for (size_t i = 0; i < p->n_items; i++) {
		SDL_Rect mk = pl.mark[i];
		ck_assert_msg(canvas_count(&c, mk, C(want[i])) == mk.w * mk.h,
		              "checklist line %zu: square expected all in colour %d", i, (int)want[i]);
		int ink = canvas_count(&c, pl.item[i], C(BM_VIEW_C_TEXT));
		ck_assert_msg(ink > 200, "checklist line %zu: words expected, %d text pixels", i, ink);
		/* Wrapped: ink on the second line of the row too. */
		int lh = pl.item[i].h / 3;
		SDL_Rect second = {pl.item[i].x, pl.item[i].y + lh, pl.item[i].w, lh};
		ck_assert_msg(canvas_count_other(&c, second, C(BM_VIEW_C_TRACK), C(BM_VIEW_C_TRACK)) > 50,
		              "checklist line %zu: expected wrapped onto a second line", i);
	}
	ck_assert_msg(canvas_count_other(&c, pl.note, C(BM_VIEW_C_TRACK), C(BM_VIEW_C_TRACK)) > 50,
	              "the guidance note expected under the checklist");
	canvas_close(&c);
}
END_TEST

START_TEST(nothing_to_chart_is_one_line)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_progress(&m);
	snprintf(m.progress.message, sizeof m.progress.message,
	         "no athlete: start with --athlete NAME to see progress");
	canvas_draw(&c, &m);
	struct bm_view_progress_layout pl;
	bm_view_progress_layout_compute(1280, 720, &m.progress, &pl);
	ck_assert_msg(canvas_count(&c, pl.message, C(BM_VIEW_C_WARN)) > 300,
	              "the message line expected in the middle");
	ck_assert_msg(canvas_count(&c, pl.force, C(BM_VIEW_C_LEG_L)) == 0 &&
	              canvas_count(&c, pl.mark[0], C(BM_VIEW_C_IN)) == 0,
	              "with a message, no plot and no checklist expected");
	/* Closed: the live screen again, no overlay box. */
	m.progress_visible = false;
	canvas_draw(&c, &m);
	ck_assert_msg(canvas_count(&c, pl.message, C(BM_VIEW_C_WARN)) == 0,
	              "closed: the message expected gone");
	canvas_close(&c);
}
END_TEST

START_TEST(progress_layout_fits_any_size)
{
	static const int wh[][2] = {{1280, 720}, {3840, 2160}, {480, 320}, {2000, 300},
	                            {300, 1200}, {40, 30}, {1, 1}, {0, 0}};
	struct bm_view_model m;
	model_progress(&m);
	for (size_t k = 0; k < sizeof wh / sizeof wh[0]; k++) {
		int W = wh[k][0], H = wh[k][1];
		struct bm_view_progress_layout pl;
		bm_view_progress_layout_compute(W, H, &m.progress, &pl);
		SDL_Rect all = {0, 0, W, H};
		SDL_Rect parts[] = {pl.title, pl.legend, pl.force, pl.lsi_legend, pl.lsi, pl.dates,
		                    pl.list_title, pl.item[0], pl.item[4], pl.mark[4], pl.note,
		                    pl.footer, pl.message};
		for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
			SDL_Rect r = parts[i];
			ck_assert_msg(r.w >= 0 && r.h >= 0, "%dx%d: part %zu has a negative size", W, H, i);
			if (r.w > 0 && r.h > 0)
				ck_assert_msg(r.x >= 0 && r.y >= 0 && r.x + r.w <= all.w && r.y + r.h <= all.h,
				              "%dx%d: part %zu {%d,%d,%d,%d} outside the output", W, H, i, r.x,
				              r.y, r.w, r.h);
		}
		SDL_Rect a = pl.force, b = pl.lsi;
		ck_assert_msg(a.h == 0 || b.h == 0 || a.y + a.h <= b.y,
		              "%dx%d: the force plot expected above the LSI plot", W, H);
		if (W >= 1 && H >= 1 && W <= 2000) {
			struct canvas c;
			canvas_open(&c, W, H);
			canvas_draw(&c, &m);
			canvas_close(&c);
		}
	}
}
END_TEST

START_TEST(p_is_in_the_key_list)
{
	size_t n, found = 0;
	const struct bm_view_key *k = bm_view_keys(&n);
	for (size_t i = 0; i < n; i++)
		found += strcmp(k[i].key, "p") == 0 && strstr(k[i].what, "progress") != NULL;
	ck_assert_msg(found == 1, "the key list expected one entry for p (progress), found %zu",
	              found);
}
END_TEST

Suite *suite_view_progress(void)
{
	Suite *s = suite_create("view-progress");
	TCase *tc = tcase_create("progress");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lines_marks_and_checklist_where_the_layout_puts_them);
	tcase_add_test(tc, nothing_to_chart_is_one_line);
	tcase_add_test(tc, progress_layout_fits_any_size);
	tcase_add_test(tc, p_is_in_the_key_list);
	suite_add_tcase(s, tc);
	return s;
}
