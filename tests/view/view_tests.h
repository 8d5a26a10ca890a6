/*
 * view_tests.h - what the files of the view test runner share: the suites
 * and an offscreen canvas (a software renderer on an ARGB surface, the
 * same drawing path a window uses, with exact pixels to read back).
 */
#ifndef VIEW_TESTS_H
#define VIEW_TESTS_H

#include <stdbool.h>

#include <check.h>
#include <SDL.h>

#include "bm_view.h"

Suite *suite_view(void);
Suite *suite_audio(void);
Suite *suite_png(void);
Suite *suite_view_progress(void);
Suite *suite_view_rehab(void);

struct canvas {
	SDL_Surface *surf;
	SDL_Renderer *r;
	struct bm_view *v;
};

/** Surface, software renderer and view of w x h pixels (asserts on failure). */
void canvas_open(struct canvas *c, int w, int h);
void canvas_close(struct canvas *c);
/** Draw @p m, asserting success. */
void canvas_draw(struct canvas *c, const struct bm_view_model *m);
SDL_Color canvas_px(const struct canvas *c, int x, int y);
bool colour_eq(SDL_Color a, SDL_Color b);
/** Pixels of @p r that are neither of the two given colours. */
int canvas_count_other(const struct canvas *c, SDL_Rect r, SDL_Color a, SDL_Color b);
/** Pixels of @p r that are exactly @p k. */
int canvas_count(const struct canvas *c, SDL_Rect r, SDL_Color k);

#endif
