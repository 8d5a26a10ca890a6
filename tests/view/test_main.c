/*
 * test_main.c - the view test runner: drawing (pixels from a known model),
 * sound cues (synthesis without a device) and PNG screenshots.  Runs with
 * SDL's dummy video and audio drivers: no display, no sound card needed.
 */
#include <stdlib.h>

#include "view_tests.h"

void canvas_open(struct canvas *c, int w, int h)
{
	ck_assert_msg(SDL_Init(SDL_INIT_VIDEO) == 0, "SDL_Init(video) with the dummy driver: %s",
	              SDL_GetError());
	c->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	ck_assert_msg(c->surf != NULL, "surface %dx%d: %s", w, h, SDL_GetError());
	c->r = SDL_CreateSoftwareRenderer(c->surf);
	ck_assert_msg(c->r != NULL, "software renderer: %s", SDL_GetError());
	c->v = NULL;
	int rc = bm_view_new(c->r, NULL, &c->v);
	ck_assert_msg(rc == BM_VIEW_OK && c->v, "bm_view_new expected OK, got %d", rc);
}

void canvas_close(struct canvas *c)
{
	bm_view_free(c->v);
	SDL_DestroyRenderer(c->r);
	SDL_FreeSurface(c->surf);
	SDL_Quit();
}

void canvas_draw(struct canvas *c, const struct bm_view_model *m)
{
	int rc = bm_view_draw(c->v, m);
	ck_assert_msg(rc == BM_VIEW_OK, "bm_view_draw expected OK, got %d", rc);
	SDL_RenderPresent(c->r);
}

SDL_Color canvas_px(const struct canvas *c, int x, int y)
{
	SDL_Color k = {0, 0, 0, 255};
	ck_assert_msg(x >= 0 && y >= 0 && x < c->surf->w && y < c->surf->h,
	              "pixel (%d,%d) outside the %dx%d canvas", x, y, c->surf->w, c->surf->h);
	const Uint8 *row = (const Uint8 *)c->surf->pixels + (size_t)y * (size_t)c->surf->pitch;
	Uint32 p = ((const Uint32 *)(const void *)row)[x];
	SDL_GetRGB(p, c->surf->format, &k.r, &k.g, &k.b);
	return k;
}

bool colour_eq(SDL_Color a, SDL_Color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

int canvas_count_other(const struct canvas *c, SDL_Rect r, SDL_Color a, SDL_Color b)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++) {
			SDL_Color k = canvas_px(c, x, y);
			if (!colour_eq(k, a) && !colour_eq(k, b))
				n++;
		}
	return n;
}

int canvas_count(const struct canvas *c, SDL_Rect r, SDL_Color k)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			if (colour_eq(canvas_px(c, x, y), k))
				n++;
	return n;
}

int main(void)
{
	/* No display and no sound card needed, whatever the machine has. */
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	SRunner *sr = srunner_create(suite_view());
	srunner_add_suite(sr, suite_audio());
	srunner_add_suite(sr, suite_png());
	srunner_add_suite(sr, suite_view_progress());
	srunner_add_suite(sr, suite_view_rehab());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
