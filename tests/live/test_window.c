/*
 * test_window.c - the real program's window, under a virtual X display:
 * `bridgemon demo --seconds N --screenshot FILE.png` runs the window (x11
 * driver, Xvfb) and saves its last frame; the picture must not be blank and
 * must show bars, trace and text where the layout puts them.
 *
 *   test_window BRIDGEMON XVFB_RUN OUT.png
 *
 * The PNG is left at OUT.png (the build folder): docs/screenshot.png is a
 * copy of one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "bm_view.h"

static int failures;

#define EXPECT(cond, ...)                                          \
	do {                                                           \
		if (!(cond)) {                                             \
			fprintf(stderr, "FAIL: " __VA_ARGS__);                 \
			fputc('\n', stderr);                                   \
			failures++;                                            \
		}                                                          \
	} while (0)

static unsigned char *img;
static int W, H;

static SDL_Color px(int x, int y)
{
	const unsigned char *p = img + 3 * ((size_t)y * (size_t)W + (size_t)x);
	SDL_Color c = {p[0], p[1], p[2], 255};
	return c;
}

static int near(SDL_Color a, SDL_Color b, int tol)
{
	return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

/* Pixels of rectangle @p r close to colour @p k. */
static int count(SDL_Rect r, SDL_Color k, int tol)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h && y < H; y++)
		for (int x = r.x; x < r.x + r.w && x < W; x++)
			n += near(px(x, y), k, tol);
	return n;
}

/* Bright pixels (text is near white) in @p r. */
static int bright(SDL_Rect r)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h && y < H; y++)
		for (int x = r.x; x < r.x + r.w && x < W; x++) {
			SDL_Color c = px(x, y);
			n += c.r > 150 && c.g > 150 && c.b > 150;
		}
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_window BRIDGEMON XVFB_RUN OUT.png\n");
		return 2;
	}
	char cmd[2048];
	remove(argv[3]);
	/* 20 s of the athlete at 4x (5 s of wall time); seed 12 is in a double-leg hold
	 * with both legs at the end, so the bars are well up. */
	snprintf(cmd, sizeof cmd,
	         "SDL_AUDIODRIVER=dummy '%s' -a -s '-screen 0 1280x720x24' '%s' demo --seconds 20 "
	         "--speed 4 --seed 12 --zone 150-250 --screenshot '%s'",
	         argv[2], argv[1], argv[3]);
	int rc = system(cmd);
	EXPECT(rc == 0, "the demo exited with status %d", rc);

	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, argv[3])) {
		fprintf(stderr, "FAIL: no screenshot at %s: %s\n", argv[3], pi.message);
		return 1;
	}
	pi.format = PNG_FORMAT_RGB;
	W = (int)pi.width;
	H = (int)pi.height;
	img = malloc(PNG_IMAGE_SIZE(pi));
	if (!img || !png_image_finish_read(&pi, NULL, img, 0, NULL)) {
		fprintf(stderr, "FAIL: cannot read %s\n", argv[3]);
		return 1;
	}
	EXPECT(W == 1280 && H == 720, "screenshot is %dx%d, expected the 1280x720 window", W, H);

	/* Not blank: many colours, not all background. */
	SDL_Color bg = bm_view_colour(BM_VIEW_C_BG);
	SDL_Rect all = {0, 0, W, H};
	int not_bg = W * H - count(all, bg, 0);
	EXPECT(not_bg > W * H / 10, "only %d pixels differ from the background", not_bg);

	struct bm_view_layout L;
	bm_view_layout_compute(W, H, &L);
	/* Bars: coloured (below, in or above the zone) from their bottom up. */
	for (int leg = 0; leg < 2; leg++) {
		int filled = count(L.bar[leg], bm_view_colour(BM_VIEW_C_BELOW), 8) +
		             count(L.bar[leg], bm_view_colour(BM_VIEW_C_IN), 8) +
		             count(L.bar[leg], bm_view_colour(BM_VIEW_C_ABOVE), 8);
		EXPECT(filled > L.bar[leg].w * 10, "%s bar: %d coloured pixels",
		       leg ? "right" : "left", filled);
		EXPECT(bright(L.bar_value[leg]) > 50, "%s readout: no text", leg ? "right" : "left");
		EXPECT(bright(L.bar_label[leg]) + count(L.bar_label[leg],
		       bm_view_colour(leg ? BM_VIEW_C_LEG_R : BM_VIEW_C_LEG_L), 40) > 20,
		       "%s label: no text", leg ? "right" : "left");
	}
	/* Trace: both legs' lines. */
	int tl = count(L.trace, bm_view_colour(BM_VIEW_C_LEG_L), 30);
	int tr = count(L.trace, bm_view_colour(BM_VIEW_C_LEG_R), 30);
	EXPECT(tl > 200 && tr > 200, "trace: %d left and %d right pixels", tl, tr);
	/* Text: status bar and the hold timer. */
	EXPECT(bright(L.status) + count(L.status, bm_view_colour(BM_VIEW_C_DIM), 30) > 100,
	       "status bar: no text");
	EXPECT(bright(L.hold_text) + count(L.hold_text, bm_view_colour(BM_VIEW_C_DIM), 30) > 100,
	       "hold timer: no text");
	free(img);
	if (failures)
		return 1;
	printf("ok: %s shows bars, trace and text (%d non-background pixels)\n", argv[3], not_bg);
	return 0;
}
