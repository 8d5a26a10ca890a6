/*
 * bm_view_textcache.h - the view's text: fonts, and every string rendered
 * once into a cached texture.  Private to the view's files (host/app/view);
 * the rest of the program sees only bm_view.h.
 *
 * SDL_ttf is slow next to a texture copy, and a frame shows some 25
 * strings that rarely change.  So each (font role, string) is rendered
 * once, in white, into a texture; drawing it in a colour is a colour mod.
 * Entries unused for 600 frames (10 s at 60 FPS) are freed, a full cache
 * reuses its least recently used slot, and a role whose font size changes
 * (the window was resized) drops its entries, which were rendered at the
 * old size.  The cache counts frames itself: bm_view_textcache_frame()
 * starts one, bm_view_textcache_age() ends it.
 */
#ifndef BM_VIEW_TEXTCACHE_H
#define BM_VIEW_TEXTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "bm_view.h"

/** One cached string: a white texture of w x h pixels. */
struct bm_view_textcache_entry {
	SDL_Texture *tex; /* NULL: free slot */
	char *s;
	uint32_t hash;
	int role;         /* enum bm_view_font */
	int w, h;
	uint64_t used;    /* frame number of the last use */
};

struct bm_view_textcache;

/** Where text sits across its box. */
enum bm_view_align {
	BM_VIEW_ALIGN_LEFT = -1,
	BM_VIEW_ALIGN_CENTRE = 0,
	BM_VIEW_ALIGN_RIGHT = 1,
};

/**
 * Open DejaVuSans.ttf and DejaVuSans-Bold.ttf from @p font_dir (NULL:
 * BM_FONT_DIR) for every font role, and start SDL_ttf (TTF_Init, counted).
 * @param renderer  the textures' renderer, borrowed; must not be NULL.
 * @param out       set to the cache, or NULL on error; must not be NULL.
 * @return BM_VIEW_OK; BM_VIEW_ERR_FONT (one line on stderr naming the file
 *         and the package fonts-dejavu-core); BM_VIEW_ERR_SDL (one line
 *         with SDL_ttf's message); BM_VIEW_ERR_NOMEM.
 *         Free with bm_view_textcache_free().
 */
int bm_view_textcache_new(SDL_Renderer *renderer, const char *font_dir,
                          struct bm_view_textcache **out);

/** Free every texture and font, then TTF_Quit() (NULL is fine). */
void bm_view_textcache_free(struct bm_view_textcache *tc);

/**
 * Start a frame: count it, and size each role's font to @p font_px
 * (BM_VIEW_FONT_COUNT sizes, pixels, from the layout).  A role below the
 * smallest readable size draws nothing this frame.
 */
void bm_view_textcache_frame(struct bm_view_textcache *tc, const int *font_px);

/** End a frame: free strings nobody asked for lately. */
void bm_view_textcache_age(struct bm_view_textcache *tc);

/**
 * The cached texture of @p s in font @p role, rendering it on a miss.
 * NULL for "", for a role too small this frame, or when rendering failed
 * (logged once).  Valid until the next call into the cache.
 */
const struct bm_view_textcache_entry *bm_view_textcache_get(struct bm_view_textcache *tc,
                                                            int role, const char *s);

/** Copy @p e with its top-left at (x, y) in colour @p c, cropped to @p clip. */
void bm_view_textcache_blit(struct bm_view_textcache *tc,
                            const struct bm_view_textcache_entry *e, SDL_Color c, int x,
                            int y, const SDL_Rect *clip);

/**
 * Draw @p s in @p box, vertically centred, aligned as asked, never outside
 * the box (a string too wide keeps its start).  Returns the text's full
 * width in pixels (0 when nothing drawn).
 */
int bm_view_textcache_draw(struct bm_view_textcache *tc, int role,
                           enum bm_view_colour colour, const char *s, SDL_Rect box,
                           enum bm_view_align align);

/** Ascent of role @p role's font at its present size, pixels. */
/* Width in pixels of @p s in @p role's font now (nothing is cached). */
int bm_view_textcache_width(const struct bm_view_textcache *tc, int role, const char *s);

int bm_view_textcache_ascent(const struct bm_view_textcache *tc, int role);

/** Strings cached now. */
size_t bm_view_textcache_count(const struct bm_view_textcache *tc);

/** Strings rendered by SDL_ttf since bm_view_textcache_new() (misses). */
uint64_t bm_view_textcache_renders(const struct bm_view_textcache *tc);

#endif /* BM_VIEW_TEXTCACHE_H */
