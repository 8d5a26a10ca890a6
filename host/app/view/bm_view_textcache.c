/*
 * bm_view_textcache.c - fonts and the cache of rendered strings.
 *
 * A steady frame should render no text at all: SDL_ttf rasterises glyphs
 * on the CPU, a texture copy is nearly free.  Strings are looked up by a
 * FNV-1a hash of (role, string) over a fixed array of TEXT_CACHE_MAX
 * slots; a linear scan of 160 slots costs less than one render.  Each
 * string is rendered in white so that one texture serves every colour
 * (SDL_SetTextureColorMod at draw time).  Fonts are opened once, one per
 * role, and resized in place (TTF_SetFontSize) when the layout asks for a
 * new size; the strings of that role are dropped then, because they were
 * rendered at the old size.
 */
#include "bm_view_textcache.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

#include "bm_config.h"

/* Cache size: a frame shows about 25 strings; the help overlay adds 25. */
#define TEXT_CACHE_MAX 160
/* Entries unused for this many frames (10 s at 60 FPS) are freed. */
#define TEXT_IDLE_FRAMES 600
/* Smallest font worth rendering, pixels. */
#define FONT_MIN_PX 5

struct bm_view_textcache {
	SDL_Renderer *r;
	TTF_Font *font[BM_VIEW_FONT_COUNT];
	int font_set_px[BM_VIEW_FONT_COUNT]; /* size the font has now */
	bool font_ok[BM_VIEW_FONT_COUNT];    /* big enough to draw */
	int ascent[BM_VIEW_FONT_COUNT];
	struct bm_view_textcache_entry cache[TEXT_CACHE_MAX];
	size_t ncached;
	uint64_t frame;
	uint64_t renders;
	bool error_logged;
};

static bool font_is_bold(int role)
{
	return role == BM_VIEW_FONT_VALUE || role == BM_VIEW_FONT_TIMER ||
	       role == BM_VIEW_FONT_LABEL;
}

int bm_view_textcache_new(SDL_Renderer *renderer, const char *font_dir,
                          struct bm_view_textcache **out)
{
	*out = NULL;
	if (!font_dir)
		font_dir = BM_FONT_DIR;

	char path[2][512];
	snprintf(path[0], sizeof path[0], "%s/DejaVuSans.ttf", font_dir);
	snprintf(path[1], sizeof path[1], "%s/DejaVuSans-Bold.ttf", font_dir);
	for (int i = 0; i < 2; i++) {
		if (access(path[i], R_OK) != 0) {
			fprintf(stderr, "bridgemon: cannot read font %s (%s); "
			        "install the Debian package fonts-dejavu-core\n",
			        path[i], strerror(errno));
			return BM_VIEW_ERR_FONT;
		}
	}
	if (TTF_Init() != 0) {
		fprintf(stderr, "bridgemon: SDL_ttf failed to start: %s\n", TTF_GetError());
		return BM_VIEW_ERR_SDL;
	}
	struct bm_view_textcache *tc = calloc(1, sizeof *tc);
	if (!tc) {
		TTF_Quit();
		return BM_VIEW_ERR_NOMEM;
	}
	tc->r = renderer;
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++) {
		const char *p = path[font_is_bold(role) ? 1 : 0];
		tc->font[role] = TTF_OpenFont(p, 12);
		if (!tc->font[role]) {
			fprintf(stderr, "bridgemon: cannot open font %s: %s\n", p, TTF_GetError());
			bm_view_textcache_free(tc);
			return BM_VIEW_ERR_FONT;
		}
		tc->font_set_px[role] = 12;
	}
	*out = tc;
	return BM_VIEW_OK;
}

static void entry_clear(struct bm_view_textcache *tc, struct bm_view_textcache_entry *e)
{
	if (!e->tex)
		return;
	SDL_DestroyTexture(e->tex);
	free(e->s);
	memset(e, 0, sizeof *e);
	tc->ncached--;
}

void bm_view_textcache_free(struct bm_view_textcache *tc)
{
	if (!tc)
		return;
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++)
		entry_clear(tc, &tc->cache[i]);
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++)
		if (tc->font[role])
			TTF_CloseFont(tc->font[role]);
	free(tc);
	TTF_Quit();
}

static uint32_t text_hash(int role, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)role; /* FNV-1a */
	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

void bm_view_textcache_frame(struct bm_view_textcache *tc, const int *font_px)
{
	tc->frame++;
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++) {
		int px = font_px[role];
		tc->font_ok[role] = px >= FONT_MIN_PX;
		if (!tc->font_ok[role] || px == tc->font_set_px[role])
			continue;
		if (TTF_SetFontSize(tc->font[role], px) != 0) {
			tc->font_ok[role] = false;
			continue;
		}
		tc->font_set_px[role] = px;
		tc->ascent[role] = TTF_FontAscent(tc->font[role]);
		for (size_t i = 0; i < TEXT_CACHE_MAX; i++)
			if (tc->cache[i].tex && tc->cache[i].role == role)
				entry_clear(tc, &tc->cache[i]);
	}
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++)
		if (tc->font_ok[role] && tc->ascent[role] == 0)
			tc->ascent[role] = TTF_FontAscent(tc->font[role]);
}

const struct bm_view_textcache_entry *bm_view_textcache_get(struct bm_view_textcache *tc,
                                                            int role, const char *s)
{
	if (!s[0] || !tc->font_ok[role])
		return NULL;
	uint32_t h = text_hash(role, s);
	struct bm_view_textcache_entry *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++) {
		struct bm_view_textcache_entry *e = &tc->cache[i];
		if (!e->tex) {
			if (!free_slot)
				free_slot = e;
			continue;
		}
		if (e->hash == h && e->role == role && strcmp(e->s, s) == 0) {
			e->used = tc->frame;
			return e;
		}
		if (!oldest || e->used < oldest->used)
			oldest = e;
	}
	struct bm_view_textcache_entry *slot = free_slot ? free_slot : oldest;
	if (!slot)
		return NULL;
	entry_clear(tc, slot);

	/* White, so one texture serves every colour through a colour mod. */
	SDL_Surface *surf = TTF_RenderUTF8_Blended(tc->font[role], s,
	                                           (SDL_Color){255, 255, 255, 255});
	SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(tc->r, surf) : NULL;
	char *copy = tex ? strdup(s) : NULL;
	if (!copy) {
		if (!tc->error_logged) {
			fprintf(stderr, "bridgemon: cannot draw text \"%s\": %s\n", s,
			        surf ? SDL_GetError() : TTF_GetError());
			tc->error_logged = true;
		}
		if (tex)
			SDL_DestroyTexture(tex);
		SDL_FreeSurface(surf);
		return NULL;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	tc->renders++;
	slot->tex = tex;
	slot->s = copy;
	slot->hash = h;
	slot->role = role;
	slot->w = surf->w;
	slot->h = surf->h;
	slot->used = tc->frame;
	tc->ncached++;
	SDL_FreeSurface(surf);
	return slot;
}

void bm_view_textcache_age(struct bm_view_textcache *tc)
{
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++) {
		struct bm_view_textcache_entry *e = &tc->cache[i];
		if (e->tex && tc->frame - e->used > TEXT_IDLE_FRAMES)
			entry_clear(tc, e);
	}
}

void bm_view_textcache_blit(struct bm_view_textcache *tc,
                            const struct bm_view_textcache_entry *e, SDL_Color c, int x,
                            int y, const SDL_Rect *clip)
{
	SDL_Rect dst = {x, y, e->w, e->h}, vis;
	if (!SDL_IntersectRect(&dst, clip, &vis))
		return;
	SDL_Rect src = {vis.x - x, vis.y - y, vis.w, vis.h};
	SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
	SDL_RenderCopy(tc->r, e->tex, &src, &vis);
}

int bm_view_textcache_draw(struct bm_view_textcache *tc, int role,
                           enum bm_view_colour colour, const char *s, SDL_Rect box,
                           enum bm_view_align align)
{
	const struct bm_view_textcache_entry *e = bm_view_textcache_get(tc, role, s);
	if (!e || box.w <= 0 || box.h <= 0)
		return 0;
	int x = box.x;
	if (align == BM_VIEW_ALIGN_CENTRE)
		x = box.x + (box.w - e->w) / 2;
	else if (align == BM_VIEW_ALIGN_RIGHT)
		x = box.x + box.w - e->w;
	if (x < box.x)
		x = box.x; /* too wide: keep the start readable */
	int y = box.y + (box.h - e->h) / 2;
	bm_view_textcache_blit(tc, e, bm_view_colour(colour), x, y, &box);
	return e->w;
}

int bm_view_textcache_width(const struct bm_view_textcache *tc, int role, const char *s)
{
	int w = 0, h = 0;
	if (!tc->font[role] || TTF_SizeUTF8(tc->font[role], s, &w, &h) != 0)
		return 0;
	return w;
}

int bm_view_textcache_ascent(const struct bm_view_textcache *tc, int role)
{
	return tc->ascent[role];
}

size_t bm_view_textcache_count(const struct bm_view_textcache *tc)
{
	return tc->ncached;
}

uint64_t bm_view_textcache_renders(const struct bm_view_textcache *tc)
{
	return tc->renders;
}
