/*
 * test_view_rehab.c - the rehab parts of the picture, by their pixels: the
 * athlete's dose in the daily row (instead of "today", green within the
 * aim, its bar following the leg with less), a pain question over the
 * lower trace and then its answer in the zone's colour, and the athlete
 * picker with its highlighted row.
 */
#include <stdio.h>
#include <string.h>

#include "view_tests.h"

static SDL_Color C(enum bm_view_colour c)
{
	return bm_view_colour(c);
}

static void model(struct bm_view_model *m)
{
	bm_view_model_init(m);
	m->full_scale_n = 400.0f;
	m->now_s = 100.0;
	snprintf(m->source, sizeof m->source, "demo");
	m->today_hold_s = 95.0f;
}

static void dose(struct bm_view_model *m, bool in_aim)
{
	m->dose.active = true;
	snprintf(m->dose.today, sizeof m->dose.today, "today L 2:10 R 1:55 of 2\u20135 min");
	snprintf(m->dose.week, sizeof m->dose.week, "7 days L 9:40 R 8:50");
	snprintf(m->dose.rhythm, sizeof m->dose.rhythm, "Ann \u00b7 every second day: kept");
	snprintf(m->dose.load, sizeof m->dose.load, "load-weighted 7 days L 6:05 R 5:30");
	m->dose.today_low_s = 115;
	m->dose.aim_min_s = 120;
	m->dose.in_aim = in_aim;
}

START_TEST(dose_takes_the_daily_row)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model(&m);
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect row = L->daily_text, bar = L->daily_bar;
	SDL_Rect top = {row.x, row.y - L->pad / 2, row.w, (row.h + L->pad / 2) / 2};
	int plain = canvas_count_other(&c, row, C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK));
	int bar_plain = canvas_count(&c, bar, C(BM_VIEW_C_PROGRESS));

	dose(&m, false);
	canvas_draw(&c, &m);
	int ink = canvas_count_other(&c, row, C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK));
	ck_assert_msg(ink > plain, "the dose's two lines expected more ink than \"today\": %d vs %d",
	              ink, plain);
	ck_assert_msg(canvas_count(&c, top, C(BM_VIEW_C_IN)) == 0, "below the aim: no green words");
	/* The bar: 115 of 120 s, so nearly full, not yet green. */
	int fill = canvas_count(&c, bar, C(BM_VIEW_C_PROGRESS));
	ck_assert_msg(fill > bar_plain && fill > bar.w * bar.h * 8 / 10,
	              "dose bar expected 115/120 full: %d px (today's was %d)", fill, bar_plain);

	m.dose.in_aim = true;
	m.dose.today_low_s = 130;
	canvas_draw(&c, &m);
	ck_assert_msg(canvas_count(&c, top, C(BM_VIEW_C_IN)) > 30, "within the aim: green words");
	ck_assert_msg(canvas_count(&c, bar, C(BM_VIEW_C_IN)) > bar.w * bar.h * 9 / 10,
	              "within the aim: the bar is green");
	canvas_close(&c);
}
END_TEST

START_TEST(pain_question_then_answer)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model(&m);
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect t = L->trace;
	SDL_Rect lower = {t.x, t.y + t.h / 2, t.w, t.h / 2}, upper = {t.x, t.y, t.w, t.h / 3};
	int before = canvas_count(&c, lower, C(BM_VIEW_C_WARN));
	int upper_before = canvas_count_other(&c, upper, C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK));

	m.ask.active = true;
	snprintf(m.ask.prompt, sizeof m.ask.prompt, "pain now, 0-10?");
	snprintf(m.ask.input, sizeof m.ask.input, "4");
	snprintf(m.ask.hint, sizeof m.ask.hint, "type a number, Enter; Esc to skip");
	canvas_draw(&c, &m);
	int typed = canvas_count(&c, lower, C(BM_VIEW_C_WARN));
	ck_assert_msg(typed > before + 100, "the typed digit in yellow: %d px (was %d)", typed, before);
	ck_assert_msg(canvas_count_other(&c, upper, C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK)) == upper_before,
	              "the question covers only the lower trace");
	ck_assert_msg(canvas_count(&c, L->bar[0], C(BM_VIEW_C_TRACK)) > 0, "the bars stay in view");

	m.ask.answered = true;
	m.ask.zone_level = 1;
	snprintf(m.ask.zone, sizeof m.ask.zone, "pain 2/10: safe (0-2)");
	snprintf(m.ask.advice, sizeof m.ask.advice,
	         "no advice yet: give the pain score during the session first (guidance, not "
	         "medical advice)");
	canvas_draw(&c, &m);
	int green = canvas_count(&c, lower, C(BM_VIEW_C_IN));
	ck_assert_msg(green > 50, "a safe score's zone in green: %d px", green);
	m.ask.zone_level = 3;
	canvas_draw(&c, &m);
	ck_assert_msg(canvas_count(&c, lower, C(BM_VIEW_C_ABOVE)) > 50 &&
	                  canvas_count(&c, lower, C(BM_VIEW_C_IN)) == 0,
	              "too much pain: amber, not green");
	ck_assert_msg(canvas_count(&c, t, C(BM_VIEW_C_FLAG)) == 0, "red stays for asymmetry");
	canvas_close(&c);
}
END_TEST

START_TEST(picker_overlay)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model(&m);
	m.picker.active = true;
	snprintf(m.picker.current, sizeof m.picker.current, "Ann");
	const char *names[] = {"Ann", "Bo", "Cy"};
	for (int i = 0; i < 3; i++)
		snprintf(m.picker.rows[i], sizeof m.picker.rows[i], "%s", names[i]);
	m.picker.n_rows = 3;
	m.picker.sel_row = -1;
	snprintf(m.picker.hint, sizeof m.picker.hint, "up/down and Enter pick; type a new name");
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect h = L->help;
	int none = canvas_count(&c, h, C(BM_VIEW_C_WARN));
	int text = canvas_count_other(&c, h, C(BM_VIEW_C_TRACK), C(BM_VIEW_C_DIM));
	ck_assert_msg(text > 1000, "the picker's names: %d px of text", text);
	m.picker.sel_row = 1;
	canvas_draw(&c, &m);
	int sel = canvas_count(&c, h, C(BM_VIEW_C_WARN));
	ck_assert_msg(sel > none + 100, "the highlighted name in yellow: %d px (none: %d)", sel, none);
	canvas_close(&c);
}
END_TEST

Suite *suite_view_rehab(void)
{
	Suite *s = suite_create("view_rehab");
	TCase *tc = tcase_create("view_rehab");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, dose_takes_the_daily_row);
	tcase_add_test(tc, pain_question_then_answer);
	tcase_add_test(tc, picker_overlay);
	suite_add_tcase(s, tc);
	return s;
}
