/*
 * test_view.c - the monitor's picture, checked by its pixels.
 *
 * A known view model is drawn into a software renderer on a surface and
 * the pixels are read back: bar heights against force, the colour for
 * below / in / above the zone, the gauge's red, the trace where the data
 * is, text where text belongs.  The layout is checked on its own at sizes
 * from a postage stamp to 4K: inside the output, no overlaps, HiDPI twice
 * the pixels of its window.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_tests.h"

static SDL_Color C(enum bm_view_colour c)
{
	return bm_view_colour(c);
}

/* A quiet model with a 400 N full scale and no zone. */
static void model_base(struct bm_view_model *m)
{
	bm_view_model_init(m);
	m->full_scale_n = 400.0f;
	m->now_s = 100.0;
	snprintf(m->source, sizeof m->source, "demo");
	m->rate_hz = 80.0f;
}

/* ---- layout ----------------------------------------------------------- */

struct named_rect {
	const char *name;
	SDL_Rect r;
};

static int leaf_rects(const struct bm_view_layout *L, struct named_rect *out)
{
	int n = 0;
#define LEAF(field) out[n++] = (struct named_rect){#field, L->field}
	LEAF(bar_label[0]); LEAF(bar_label[1]);
	LEAF(bar_value[0]); LEAF(bar_value[1]);
	LEAF(bar_zone[0]); LEAF(bar_zone[1]);
	LEAF(reps[0]); LEAF(reps[1]);
	LEAF(trace); LEAF(hold_text); LEAF(hold_bar); LEAF(daily_text);
	LEAF(daily_bar); LEAF(gauge_text); LEAF(gauge); LEAF(message); LEAF(status);
#undef LEAF
	return n;
}

static bool inside(SDL_Rect in, SDL_Rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	       in.y + in.h <= out.y + out.h;
}

static const int sizes[][2] = {
	{1280, 720}, {1920, 1080}, {2560, 1440}, {3840, 2160}, {800, 600},
	{640, 480}, {1000, 1400}, {2000, 500}, {320, 240}, {160, 120},
	{40, 30}, {7, 5}, {1, 1}, {0, 0},
};

START_TEST(layout_fits_and_is_disjoint)
{
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		int W = sizes[s][0], H = sizes[s][1];
		struct bm_view_layout L;
		bm_view_layout_compute(W, H, &L);
		SDL_Rect all = {0, 0, W, H};
		struct named_rect nr[32];
		int n = leaf_rects(&L, nr);
		for (int i = 0; i < n; i++) {
			ck_assert_msg(nr[i].r.w >= 0 && nr[i].r.h >= 0, "%dx%d: %s has a negative size",
			              W, H, nr[i].name);
			if (nr[i].r.w > 0 && nr[i].r.h > 0)
				ck_assert_msg(inside(nr[i].r, all),
				              "%dx%d: %s {%d,%d,%d,%d} expected inside the output", W, H,
				              nr[i].name, nr[i].r.x, nr[i].r.y, nr[i].r.w, nr[i].r.h);
			for (int j = 0; j < i; j++)
				ck_assert_msg(!SDL_HasIntersection(&nr[i].r, &nr[j].r),
				              "%dx%d: %s {%d,%d,%d,%d} overlaps %s {%d,%d,%d,%d}", W, H,
				              nr[i].name, nr[i].r.x, nr[i].r.y, nr[i].r.w, nr[i].r.h,
				              nr[j].name, nr[j].r.x, nr[j].r.y, nr[j].r.w, nr[j].r.h);
		}
		for (int leg = 0; leg < 2; leg++) {
			if (L.bar[leg].w > 0 && L.bar[leg].h > 0)
				ck_assert_msg(inside(L.bar[leg], L.bar_zone[leg]),
				              "%dx%d: bar %d expected inside its zone column", W, H, leg);
			ck_assert_msg(inside(L.bar_zone[leg], L.bar_col[leg]) &&
			              inside(L.bar_label[leg], L.bar_col[leg]) &&
			              inside(L.bar_value[leg], L.bar_col[leg]),
			              "%dx%d: leg %d parts expected inside its column", W, H, leg);
		}
		if (W >= 640 && H >= 400) {
			for (int i = 0; i < n; i++)
				ck_assert_msg(nr[i].r.w > 0 && nr[i].r.h > 0,
				              "%dx%d: %s expected non-empty", W, H, nr[i].name);
			for (int f = 0; f < BM_VIEW_FONT_COUNT; f++)
				ck_assert_msg(L.font_px[f] >= 9, "%dx%d: font %d is %d px, expected >= 9",
				              W, H, f, L.font_px[f]);
			/* From across the room: the force bars take most of the height. */
			ck_assert_msg(L.bar[0].h >= H / 2, "%dx%d: bar %d px tall, expected >= %d",
			              W, H, L.bar[0].h, H / 2);
		}
	}
}
END_TEST

START_TEST(layout_hidpi_is_twice_the_pixels)
{
	/* A 1280x720 window on a 2x screen has 2560x1440 output pixels: the
	 * picture must be the same, twice as fine, not half the size. */
	struct bm_view_layout a, b;
	bm_view_layout_compute(1280, 720, &a);
	bm_view_layout_compute(2560, 1440, &b);
	struct named_rect na[32], nb[32];
	int n = leaf_rects(&a, na);
	leaf_rects(&b, nb);
	for (int i = 0; i < n; i++) {
		SDL_Rect p = na[i].r, q = nb[i].r;
		ck_assert_msg(abs(2 * p.x - q.x) <= 3 && abs(2 * p.y - q.y) <= 3 &&
		              abs(2 * p.w - q.w) <= 4 && abs(2 * p.h - q.h) <= 4,
		              "%s at 1280x720 {%d,%d,%d,%d}, expected half of 2560x1440 {%d,%d,%d,%d}",
		              na[i].name, p.x, p.y, p.w, p.h, q.x, q.y, q.w, q.h);
	}
	for (int f = 0; f < BM_VIEW_FONT_COUNT; f++)
		ck_assert_msg(abs(2 * a.font_px[f] - b.font_px[f]) <= 2,
		              "font %d: %d px at 720p, %d at 1440p, expected twice", f,
		              a.font_px[f], b.font_px[f]);
}
END_TEST

/* ---- bars ------------------------------------------------------------- */

/* Height of the run of colour @p k up from the bottom of bar @p b. */
static int bar_height(const struct canvas *c, SDL_Rect b, SDL_Color k)
{
	int x = b.x + b.w / 2, h = 0;
	for (int y = b.y + b.h - 1; y >= b.y && colour_eq(canvas_px(c, x, y), k); y--)
		h++;
	return h;
}

START_TEST(bars_are_proportional_to_force)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_base(&m);
	m.force_n[BM_LEFT] = 100.0f;
	m.force_n[BM_RIGHT] = 300.0f;
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect bl = L->bar[BM_LEFT], br = L->bar[BM_RIGHT];
	int hl = bar_height(&c, bl, C(BM_VIEW_C_BELOW));
	int hr = bar_height(&c, br, C(BM_VIEW_C_BELOW));
	int el = (int)lround(100.0 / 400.0 * bl.h), er = (int)lround(300.0 / 400.0 * br.h);
	ck_assert_msg(abs(hl - el) <= 1, "left bar %d px tall, expected %d (100 of 400 N)", hl, el);
	ck_assert_msg(abs(hr - er) <= 1, "right bar %d px tall, expected %d (300 of 400 N)", hr, er);
	ck_assert_msg(abs(hr - 3 * hl) <= 2, "right/left bar heights %d/%d, expected a 3:1 ratio",
	              hr, hl);
	/* Above the bar is the empty track, not more bar. */
	SDL_Color above = canvas_px(&c, bl.x + bl.w / 2, bl.y + bl.h - hl - 2);
	ck_assert_msg(colour_eq(above, C(BM_VIEW_C_TRACK)),
	              "above the left bar expected track colour, got %d,%d,%d", above.r, above.g, above.b);

	/* Over full scale the bar stops at the top. */
	m.force_n[BM_LEFT] = 900.0f;
	m.now_s += 1.0;
	canvas_draw(&c, &m);
	hl = bar_height(&c, bl, C(BM_VIEW_C_BELOW));
	ck_assert_msg(hl == bl.h, "900 N on a 400 N scale: bar %d px, expected the full %d", hl, bl.h);
	canvas_close(&c);
}
END_TEST

START_TEST(bar_colour_follows_the_zone)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_base(&m);
	m.zone_low_n = 150.0f;
	m.zone_high_n = 250.0f;
	const struct {
		float left_n, right_n;
		enum bm_view_colour left, right;
	} cases[] = {
		{100.0f, 200.0f, BM_VIEW_C_BELOW, BM_VIEW_C_IN},
		{300.0f, 240.0f, BM_VIEW_C_ABOVE, BM_VIEW_C_IN},
		{150.0f, 251.0f, BM_VIEW_C_IN, BM_VIEW_C_ABOVE},
		{250.0f, 149.0f, BM_VIEW_C_IN, BM_VIEW_C_BELOW}, /* edges are in */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		m.force_n[BM_LEFT] = cases[i].left_n;
		m.force_n[BM_RIGHT] = cases[i].right_n;
		m.now_s += 1.0;
		canvas_draw(&c, &m);
		const struct bm_view_layout *L = bm_view_layout(c.v);
		for (int leg = 0; leg < 2; leg++) {
			SDL_Rect b = L->bar[leg];
			SDL_Color got = canvas_px(&c, b.x + b.w / 2, b.y + b.h - 3);
			SDL_Color want = C(leg == BM_LEFT ? cases[i].left : cases[i].right);
			ck_assert_msg(colour_eq(got, want),
			              "case %zu leg %d (%.0f N, zone 150-250): bar colour %d,%d,%d, expected %d,%d,%d",
			              i, leg, (double)m.force_n[leg], got.r, got.g, got.b, want.r, want.g, want.b);
			/* The zone band shows in the margin beside the bar, between its
			 * edges, and not outside them. */
			SDL_Rect z = L->bar_zone[leg];
			int x = z.x + (b.x - z.x) / 2;
			int y_mid = b.y + b.h - (int)lround(200.0 / 400.0 * b.h);
			int y_out = b.y + b.h - (int)lround(100.0 / 400.0 * b.h);
			ck_assert_msg(!colour_eq(canvas_px(&c, x, y_mid), C(BM_VIEW_C_BG)),
			              "zone band expected beside bar %d at 200 N", leg);
			ck_assert_msg(colour_eq(canvas_px(&c, x, y_out), C(BM_VIEW_C_BG)),
			              "no band expected beside bar %d at 100 N (below the zone)", leg);
		}
	}
	canvas_close(&c);
}
END_TEST

/* ---- asymmetry gauge -------------------------------------------------- */

START_TEST(gauge_is_red_only_when_flagged)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_base(&m);
	m.asym_pct = 20.0f;
	m.asym_weaker = BM_LEFT;
	m.asym_flag_pct = 15.0f;
	m.asym_flagged = true;
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect g = L->gauge;
	int cx = g.x + g.w / 2, cy = g.y + g.h / 2;
	/* 20 % on a 30 % scale: the fill reaches 2/3 of the way left. */
	int half = g.w / 2 - (g.h < g.w / 8 ? g.h : g.w / 8);
	int probe_l = cx - half / 3, probe_r = cx + half / 3;
	SDL_Color k = canvas_px(&c, probe_l, cy);
	ck_assert_msg(colour_eq(k, C(BM_VIEW_C_FLAG)),
	              "flagged, left weaker: gauge left of centre expected red, got %d,%d,%d", k.r, k.g, k.b);
	k = canvas_px(&c, probe_r, cy);
	ck_assert_msg(colour_eq(k, C(BM_VIEW_C_TRACK)),
	              "left weaker: right of centre expected empty track, got %d,%d,%d", k.r, k.g, k.b);
	int red_text = canvas_count(&c, L->gauge_text, C(BM_VIEW_C_FLAG));
	ck_assert_msg(red_text > 20, "flagged: the words expected in red, %d red pixels", red_text);

	m.asym_flagged = false;
	m.asym_weaker = BM_RIGHT;
	canvas_draw(&c, &m);
	k = canvas_px(&c, probe_r, cy);
	ck_assert_msg(colour_eq(k, C(BM_VIEW_C_GAUGE)),
	              "not flagged, right weaker: fill expected gauge colour, got %d,%d,%d", k.r, k.g, k.b);
	int red = canvas_count(&c, g, C(BM_VIEW_C_FLAG)) + canvas_count(&c, L->gauge_text, C(BM_VIEW_C_FLAG));
	ck_assert_msg(red == 0, "not flagged: expected no red in the gauge, found %d pixels", red);
	canvas_close(&c);
}
END_TEST

/* ---- trace ------------------------------------------------------------ */

static int trace_y(SDL_Rect r, double f_n, double fs_n)
{
	double fr = f_n / fs_n;
	fr = fr < 0 ? 0 : fr > 1 ? 1 : fr;
	return r.y + (int)lround((1.0 - fr) * (r.h - 1));
}

/* Is there a pixel of colour k in column x within +-tol of y? */
static bool near_colour(const struct canvas *c, int x, int y, int tol, SDL_Rect clip, SDL_Color k)
{
	for (int yy = y - tol; yy <= y + tol; yy++)
		if (yy >= clip.y && yy < clip.y + clip.h && colour_eq(canvas_px(c, x, yy), k))
			return true;
	return false;
}

START_TEST(trace_draws_where_the_data_is)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_trace *tr;
	ck_assert_int_eq(bm_view_trace_new(bm_view_trace_capacity_for(80, 60), &tr), BM_VIEW_OK);
	/* 40 s at 80 Hz: left steady 100 N; right a 0.2 Hz sine around 250 N;
	 * both NaN (a marked gap) from t = 80 to 85 s, and no samples at all
	 * (a gap in time) from 90 to 92 s. */
	for (int i = 0; i <= 40 * 80; i++) {
		double t = 60.0 + i / 80.0;
		if (t >= 90.0 && t < 92.0)
			continue;
		float l = 100.0f, r = (float)(250.0 + 100.0 * sin(2 * M_PI * 0.2 * t));
		if (t >= 80.0 && t < 85.0)
			l = r = NAN;
		bm_view_trace_push(tr, t, l, r);
	}
	struct bm_view_model m;
	model_base(&m);
	m.trace = tr;
	m.trace_window_s = 30.0f;
	m.now_s = 100.0;
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect r = L->trace;
	int tol = 2 + L->pad / 8;
	int checked = 0;
	for (int x = r.x + 2; x < r.x + r.w - 2; x += 3) {
		double t = 70.0 + (x - r.x + 0.5) / r.w * 30.0;
		bool in_gap = (t > 80.0 && t < 85.0) || (t > 90.0 && t < 92.0);
		if (fabs(t - 80.0) < 0.3 || fabs(t - 85.0) < 0.3 || fabs(t - 90.0) < 0.3 ||
		    fabs(t - 92.0) < 0.3)
			continue; /* the pen's width at the gaps' edges */
		bool l = near_colour(&c, x, trace_y(r, 100.0, 400.0), tol, r, C(BM_VIEW_C_LEG_L));
		double fr = 250.0 + 100.0 * sin(2 * M_PI * 0.2 * t);
		/* A column holds the sine's span over its width: +- slope*dt. */
		bool rr = near_colour(&c, x, trace_y(r, fr, 400.0), tol + 2, r, C(BM_VIEW_C_LEG_R));
		if (in_gap) {
			int any = canvas_count(&c, (SDL_Rect){x, r.y, 1, r.h}, C(BM_VIEW_C_LEG_L)) +
			          canvas_count(&c, (SDL_Rect){x, r.y, 1, r.h}, C(BM_VIEW_C_LEG_R));
			ck_assert_msg(any == 0, "t=%.1f s lies in the gap: expected no trace, %d pixels", t, any);
			continue;
		}
		checked++;
		ck_assert_msg(l, "t=%.1f s: left trace expected at y=%d (100 N)", t, trace_y(r, 100.0, 400.0));
		ck_assert_msg(rr, "t=%.1f s: right trace expected at y=%d (%.0f N)", t, trace_y(r, fr, 400.0), fr);
	}
	ck_assert_msg(checked > 140, "expected >140 columns checked, got %d", checked);
	/* Nowhere near the data: 350 N is above everything the left leg did. */
	int y350 = trace_y(r, 390.0, 400.0);
	int stray = canvas_count(&c, (SDL_Rect){r.x, y350, r.w, 1}, C(BM_VIEW_C_LEG_L));
	ck_assert_msg(stray == 0, "left trace expected nowhere near 390 N, found %d pixels", stray);

	/* A longer window squeezes the same data: the sine's peaks move. */
	m.trace_window_s = 60.0f;
	canvas_draw(&c, &m);
	int left_px = canvas_count(&c, r, C(BM_VIEW_C_LEG_L));
	ck_assert_msg(left_px > 0, "60 s window: left trace expected");
	bm_view_trace_free(tr);
	canvas_close(&c);
}
END_TEST

START_TEST(trace_ring_keeps_the_newest)
{
	struct bm_view_trace *tr;
	ck_assert_int_eq(bm_view_trace_new(0, &tr), BM_VIEW_ERR_ARG);
	ck_assert_msg(tr == NULL, "failed new expected to set NULL");
	ck_assert_int_eq(bm_view_trace_new(5, &tr), BM_VIEW_OK);
	for (int i = 0; i < 12; i++)
		bm_view_trace_push(tr, i, (float)i, (float)-i);
	ck_assert_msg(bm_view_trace_len(tr) == 5, "len expected 5, got %zu", bm_view_trace_len(tr));
	for (size_t i = 0; i < 5; i++) {
		double t;
		float l, r;
		bm_view_trace_get(tr, i, &t, &l, &r);
		ck_assert_msg(t == 7.0 + (double)i && l == (float)(7 + i) && r == -(float)(7 + i),
		              "sample %zu expected t=%zu, got t=%g l=%g r=%g", i, 7 + i, t, (double)l,
		              (double)r);
	}
	bm_view_trace_clear(tr);
	ck_assert_msg(bm_view_trace_len(tr) == 0, "cleared ring expected empty");
	ck_assert_msg(bm_view_trace_capacity_for(80, 60) >= 4800,
	              "60 s at 80 Hz needs >= 4800 samples, got %zu", bm_view_trace_capacity_for(80, 60));
	bm_view_trace_free(tr);
}
END_TEST

/* ---- text ------------------------------------------------------------- */

static void model_busy(struct bm_view_model *m)
{
	model_base(m);
	m->force_n[BM_LEFT] = 180.0f;
	m->force_n[BM_RIGHT] = 210.0f;
	m->zone_low_n = 150.0f;
	m->zone_high_n = 250.0f;
	m->hold_active = true;
	m->hold_elapsed_s = 23.0f;
	m->hold_target_s = 30.0f;
	m->today_hold_s = 95.0f;
	m->daily_aim_s = 180.0f;
	m->reps[BM_LEFT] = 5;
	m->reps[BM_RIGHT] = 4;
	m->last_rep_peak_n[BM_LEFT] = 312.0f;
	m->last_rep_peak_n[BM_RIGHT] = 298.0f;
	m->asym_pct = 12.0f;
	m->asym_weaker = BM_LEFT;
	m->effort_valid = true;
	m->effort_asym_pct = 8.0f;
	m->effort_weaker = BM_RIGHT;
	m->dropped_frames = 3;
	m->crc_errors = 1;
	m->recording = true;
	snprintf(m->rec_file, sizeof m->rec_file, "2024-05-01T10-00-00.csv");
	snprintf(m->message, sizeof m->message, "tare refused: leg loaded");
}

START_TEST(text_appears_in_its_regions)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_busy(&m);
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	const struct named_rect regions[] = {
		{"bar_label[0]", L->bar_label[0]}, {"bar_label[1]", L->bar_label[1]},
		{"bar_value[0]", L->bar_value[0]}, {"bar_value[1]", L->bar_value[1]},
		{"reps[0]", L->reps[0]}, {"reps[1]", L->reps[1]},
		{"hold_text", L->hold_text}, {"daily_text", L->daily_text},
		{"gauge_text", L->gauge_text}, {"message", L->message}, {"status", L->status},
	};
	for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
		int n = canvas_count_other(&c, regions[i].r, C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK));
		ck_assert_msg(n > 30, "%s: expected text, found %d text pixels", regions[i].name, n);
	}
	/* The readout is the biggest text: more ink than a status line word. */
	int big = canvas_count_other(&c, L->bar_value[0], C(BM_VIEW_C_BG), C(BM_VIEW_C_TRACK));
	ck_assert_msg(big > 800, "left readout expected large digits, %d pixels of ink", big);

	/* Nothing to say: the message line stays empty. */
	m.message[0] = '\0';
	canvas_draw(&c, &m);
	int n = canvas_count_other(&c, L->message, C(BM_VIEW_C_BG), C(BM_VIEW_C_BG));
	ck_assert_msg(n == 0, "empty message: expected a blank line, found %d pixels", n);
	canvas_close(&c);
}
END_TEST

START_TEST(unchanged_text_is_not_rendered_again)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_busy(&m);
	canvas_draw(&c, &m);
	uint64_t first = bm_view_text_renders(c.v);
	ck_assert_msg(first > 10, "first frame expected to render its strings, rendered %llu",
	              (unsigned long long)first);
	m.now_s += 1.0 / 60;
	canvas_draw(&c, &m);
	ck_assert_msg(bm_view_text_renders(c.v) == first,
	              "same strings: expected no new renders, got %llu more",
	              (unsigned long long)(bm_view_text_renders(c.v) - first));
	/* The readout follows force at most every 0.1 s of model time. */
	m.force_n[BM_LEFT] = 181.0f;
	m.now_s += 1.0 / 60;
	canvas_draw(&c, &m);
	ck_assert_msg(bm_view_text_renders(c.v) == first,
	              "force changed 17 ms after the last readout: expected no render yet");
	m.now_s += 0.1;
	canvas_draw(&c, &m);
	ck_assert_msg(bm_view_text_renders(c.v) == first + 1,
	              "0.1 s later: expected exactly one new render (the readout), got %llu",
	              (unsigned long long)(bm_view_text_renders(c.v) - first));
	ck_assert_msg(bm_view_cached_texts(c.v) <= 160, "cache expected bounded, holds %zu",
	              bm_view_cached_texts(c.v));
	canvas_close(&c);
}
END_TEST

START_TEST(overlays_and_banner)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_busy(&m);
	m.conn = BM_VIEW_CONN_WAITING;
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect r = L->trace;
	SDL_Rect mid = {r.x + r.w / 4, r.y + r.h / 3, r.w / 2, r.h / 3};
	int warn = canvas_count(&c, mid, C(BM_VIEW_C_WARN));
	ck_assert_msg(warn > 50, "waiting for device: expected the banner over the trace, %d pixels", warn);

	m.conn = BM_VIEW_CONN_LIVE;
	m.help_visible = true;
	canvas_draw(&c, &m);
	SDL_Rect h = L->help;
	int ink = canvas_count_other(&c, h, C(BM_VIEW_C_TRACK), C(BM_VIEW_C_DIM));
	ck_assert_msg(ink > 2000, "help overlay expected a key list, %d pixels of text", ink);
	int keys_px = canvas_count(&c, h, C(BM_VIEW_C_WARN));
	ck_assert_msg(keys_px > 100, "help overlay expected key names in the key colour, %d px", keys_px);
	size_t nk;
	const struct bm_view_key *k = bm_view_keys(&nk);
	ck_assert_msg(nk == 13 && strcmp(k[0].key, "space") == 0,
	              "key list expected 13 keys starting with space, got %zu", nk);

	m.help_visible = false;
	m.cal.active = true;
	snprintf(m.cal.prompt, sizeof m.cal.prompt, "Put a known mass on the left side");
	snprintf(m.cal.input, sizeof m.cal.input, "12.5");
	canvas_draw(&c, &m);
	int typed = canvas_count(&c, L->cal, C(BM_VIEW_C_WARN));
	ck_assert_msg(typed > 100, "calibration overlay expected the typed mass, %d pixels", typed);
	canvas_close(&c);
}
END_TEST

START_TEST(any_size_draws)
{
	/* Resizing through silly sizes must not crash or draw outside. */
	static const int wh[][2] = {{1, 1}, {7, 5}, {40, 30}, {160, 120}, {2000, 300}, {300, 1200}};
	for (size_t i = 0; i < sizeof wh / sizeof wh[0]; i++) {
		struct canvas c;
		canvas_open(&c, wh[i][0], wh[i][1]);
		struct bm_view_model m;
		model_busy(&m);
		m.help_visible = (i % 2) == 0;
		canvas_draw(&c, &m);
		const struct bm_view_layout *L = bm_view_layout(c.v);
		ck_assert_msg(L->out_w == wh[i][0] && L->out_h == wh[i][1],
		              "layout size %dx%d, expected the surface's %dx%d", L->out_w, L->out_h,
		              wh[i][0], wh[i][1]);
		canvas_close(&c);
	}
}
END_TEST

START_TEST(units_change_text_not_bars)
{
	struct canvas c;
	canvas_open(&c, 1280, 720);
	struct bm_view_model m;
	model_base(&m);
	m.force_n[BM_LEFT] = 196.133f; /* 20.0 kg */
	canvas_draw(&c, &m);
	const struct bm_view_layout *L = bm_view_layout(c.v);
	SDL_Rect b = L->bar[BM_LEFT], val = L->bar_value[BM_LEFT];
	int h_n = bar_height(&c, b, C(BM_VIEW_C_BELOW));
	int ink_n = canvas_count_other(&c, val, C(BM_VIEW_C_BG), C(BM_VIEW_C_BG));
	m.units = BM_VIEW_UNITS_KG;
	canvas_draw(&c, &m);
	int h_kg = bar_height(&c, b, C(BM_VIEW_C_BELOW));
	int ink_kg = canvas_count_other(&c, val, C(BM_VIEW_C_BG), C(BM_VIEW_C_BG));
	ck_assert_msg(h_n == h_kg, "units must not move the bar: %d px in N, %d in kg", h_n, h_kg);
	ck_assert_msg(ink_n != ink_kg, "readout expected to change with the units (%d vs %d px)",
	              ink_n, ink_kg);
	ck_assert_msg(fabsf(bm_view_full_scale_n(&m) - 400.0f) < 1e-3f, "full scale stays 400 N");
	m.full_scale_n = 0;
	m.zone_low_n = 150;
	m.zone_high_n = 250;
	ck_assert_msg(fabsf(bm_view_full_scale_n(&m) - 400.0f) < 1e-3f,
	              "auto full scale for a 250 N zone top expected 400 N, got %g",
	              (double)bm_view_full_scale_n(&m));
	canvas_close(&c);
}
END_TEST

START_TEST(missing_font_is_one_clear_error)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	struct bm_view *v = (struct bm_view *)1;
	int rc = bm_view_new(r, "/nonexistent/fonts", &v);
	ck_assert_msg(rc == BM_VIEW_ERR_FONT, "missing font dir: expected BM_VIEW_ERR_FONT, got %d", rc);
	ck_assert_msg(v == NULL, "failed new expected to set the view to NULL");
	ck_assert_int_eq(bm_view_new(NULL, NULL, &v), BM_VIEW_ERR_ARG);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
}
END_TEST

Suite *suite_view(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, layout_fits_and_is_disjoint);
	tcase_add_test(tc, layout_hidpi_is_twice_the_pixels);
	suite_add_tcase(s, tc);
	tc = tcase_create("pixels");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bars_are_proportional_to_force);
	tcase_add_test(tc, bar_colour_follows_the_zone);
	tcase_add_test(tc, gauge_is_red_only_when_flagged);
	tcase_add_test(tc, trace_draws_where_the_data_is);
	tcase_add_test(tc, text_appears_in_its_regions);
	tcase_add_test(tc, overlays_and_banner);
	tcase_add_test(tc, any_size_draws);
	tcase_add_test(tc, units_change_text_not_bars);
	suite_add_tcase(s, tc);
	tc = tcase_create("plumbing");
	tcase_add_test(tc, trace_ring_keeps_the_newest);
	tcase_add_test(tc, unchanged_text_is_not_rendered_again);
	tcase_add_test(tc, missing_font_is_one_clear_error);
	suite_add_tcase(s, tc);
	return s;
}
