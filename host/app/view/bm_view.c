/*
 * bm_view.c - drawing the live monitor from a view model.
 *
 * The screen, left to right: the left leg's column (label, readout, tall
 * bar), the middle (force-time trace on top; hold timer, daily total and the
 * asymmetry gauge below), the right leg's column; under everything a message
 * line and the status bar.  It is meant to be read from a mat two metres
 * away, so the numbers that matter during a hold (force, hold seconds) are
 * the biggest things on screen, colours are few and mean one thing each,
 * and nothing blinks.
 *
 * Three things keep a frame cheap (the whole program should stay under 5 %
 * of a core at 60 FPS):
 *  - Text: every string is rendered once by SDL_ttf, in white, into a
 *    texture kept in a small cache keyed by (font role, string), and tinted
 *    with a colour mod when drawn.  Entries unused for a few seconds are
 *    freed; a font size change (resize) drops that role's entries.  The leg
 *    readouts are refreshed at most every 0.1 s of model time: a readout
 *    changing 60 times a second cannot be read anyway, and it keeps misses
 *    to a handful per second.
 *  - Trace: samples are folded into one [min, max] span per pixel column
 *    per leg (a segment between two samples adds its y range over each
 *    column it crosses, so the line stays joined when samples are sparser
 *    than pixels and keeps its extremes when they are denser), then each
 *    leg is one SDL_RenderFillRects call.
 *  - Nothing is allocated per frame once the largest window size was seen.
 */
#include "bm_view.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

#include "bm_config.h"

/* ---- trace ring ------------------------------------------------------- */

struct bm_view_trace {
	double *t_s;
	float *force_n[BM_NCHAN];
	size_t cap;
	size_t len;
	size_t head; /* next write index */
};

int bm_view_trace_new(size_t capacity, struct bm_view_trace **out)
{
	if (!out)
		return BM_VIEW_ERR_ARG;
	*out = NULL;
	if (capacity == 0)
		return BM_VIEW_ERR_ARG;
	struct bm_view_trace *tr = calloc(1, sizeof *tr);
	if (!tr)
		return BM_VIEW_ERR_NOMEM;
	tr->cap = capacity;
	tr->t_s = malloc(capacity * sizeof *tr->t_s);
	for (int leg = 0; leg < BM_NCHAN; leg++)
		tr->force_n[leg] = malloc(capacity * sizeof *tr->force_n[leg]);
	if (!tr->t_s || !tr->force_n[BM_LEFT] || !tr->force_n[BM_RIGHT]) {
		bm_view_trace_free(tr);
		return BM_VIEW_ERR_NOMEM;
	}
	*out = tr;
	return BM_VIEW_OK;
}

void bm_view_trace_free(struct bm_view_trace *tr)
{
	if (!tr)
		return;
	free(tr->t_s);
	for (int leg = 0; leg < BM_NCHAN; leg++)
		free(tr->force_n[leg]);
	free(tr);
}

size_t bm_view_trace_capacity_for(double rate_hz, double window_s)
{
	if (!(rate_hz > 0) || !(window_s > 0))
		return 16;
	/* 10 % for a board whose crystal runs fast, plus a few. */
	return (size_t)ceil(rate_hz * window_s * 1.1) + 16;
}

void bm_view_trace_push(struct bm_view_trace *tr, double t_s, float left_n,
                        float right_n)
{
	tr->t_s[tr->head] = t_s;
	tr->force_n[BM_LEFT][tr->head] = left_n;
	tr->force_n[BM_RIGHT][tr->head] = right_n;
	tr->head = (tr->head + 1) % tr->cap;
	if (tr->len < tr->cap)
		tr->len++;
}

void bm_view_trace_clear(struct bm_view_trace *tr)
{
	tr->len = 0;
	tr->head = 0;
}

size_t bm_view_trace_len(const struct bm_view_trace *tr)
{
	return tr->len;
}

/* Physical index of logical sample i (0 = oldest). */
static size_t trace_index(const struct bm_view_trace *tr, size_t i)
{
	return (tr->head + tr->cap - tr->len + i) % tr->cap;
}

void bm_view_trace_get(const struct bm_view_trace *tr, size_t i, double *t_s,
                       float *left_n, float *right_n)
{
	size_t k = trace_index(tr, i);
	if (t_s)
		*t_s = tr->t_s[k];
	if (left_n)
		*left_n = tr->force_n[BM_LEFT][k];
	if (right_n)
		*right_n = tr->force_n[BM_RIGHT][k];
}

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

/* ---- colours ---------------------------------------------------------- */

static const SDL_Color palette[BM_VIEW_C_COUNT] = {
	[BM_VIEW_C_BG] = {16, 20, 24, 255},
	[BM_VIEW_C_TRACK] = {32, 39, 46, 255},
	[BM_VIEW_C_TEXT] = {236, 239, 241, 255},
	[BM_VIEW_C_DIM] = {138, 153, 166, 255},
	[BM_VIEW_C_BELOW] = {91, 141, 184, 255},
	[BM_VIEW_C_IN] = {61, 190, 106, 255},
	[BM_VIEW_C_ABOVE] = {242, 163, 58, 255},
	[BM_VIEW_C_FLAG] = {229, 57, 59, 255},
	[BM_VIEW_C_GAUGE] = {183, 196, 207, 255},
	[BM_VIEW_C_LEG_L] = {206, 147, 216, 255},
	[BM_VIEW_C_LEG_R] = {79, 195, 247, 255},
	[BM_VIEW_C_WARN] = {255, 202, 40, 255},
	[BM_VIEW_C_PROGRESS] = {120, 144, 156, 255},
};

SDL_Color bm_view_colour(enum bm_view_colour c)
{
	if ((unsigned)c >= BM_VIEW_C_COUNT)
		return (SDL_Color){0, 0, 0, 255};
	return palette[c];
}

/* ---- layout ----------------------------------------------------------- */

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }
static int clampi(int x, int lo, int hi) { return x > hi ? hi : x < lo ? lo : x; }

static SDL_Rect rect(int x, int y, int w, int h)
{
	return (SDL_Rect){x, y, imax(w, 0), imax(h, 0)};
}

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

/* ---- the view --------------------------------------------------------- */

/* Cache size: a frame shows about 25 strings; the help overlay adds 25. */
#define TEXT_CACHE_MAX 160
/* Entries unused for this many frames (10 s at 60 FPS) are freed. */
#define TEXT_IDLE_FRAMES 600
/* Readouts change at most this often, seconds of model time. */
#define READOUT_PERIOD_S 0.1
/* Smallest font worth rendering, pixels. */
#define FONT_MIN_PX 5

struct text_entry {
	SDL_Texture *tex; /* NULL: free slot */
	char *s;
	uint32_t hash;
	int role;
	int w, h;
	uint64_t used;    /* frame number of the last use */
};

struct bm_view {
	SDL_Renderer *r;
	TTF_Font *font[BM_VIEW_FONT_COUNT];
	int font_set_px[BM_VIEW_FONT_COUNT]; /* size the font has now */
	bool font_ok[BM_VIEW_FONT_COUNT];    /* big enough to draw */
	int ascent[BM_VIEW_FONT_COUNT];
	struct text_entry cache[TEXT_CACHE_MAX];
	size_t ncached;
	uint64_t frame;
	uint64_t renders;
	bool text_error_logged;
	struct bm_view_layout lay;

	/* Trace decimation scratch, one slot per pixel column. */
	float *col_lo[BM_NCHAN], *col_hi[BM_NCHAN];
	SDL_Rect *col_rects;
	int cols_cap;

	/* Readouts as last shown (paced by READOUT_PERIOD_S). */
	bool shown_valid;
	double shown_t_s;
	float shown_n[BM_NCHAN];
};

static const struct bm_view_key keys[] = {
	{"space", "start / stop recording"},
	{"t", "tare: zero both legs (refused while loaded)"},
	{"c", "calibrate with a known mass"},
	{"u", "units: newtons / kilograms"},
	{"z", "set the target zone"},
	{"+ / -", "longer / shorter trace (10 to 60 s)"},
	{"m", "sound cues off / on"},
	{"f", "full screen on / off"},
	{"h", "show / hide this help"},
	{"q / Esc", "quit (the recording is saved first)"},
};

const struct bm_view_key *bm_view_keys(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

static bool font_is_bold(int role)
{
	return role == BM_VIEW_FONT_VALUE || role == BM_VIEW_FONT_TIMER ||
	       role == BM_VIEW_FONT_LABEL;
}

int bm_view_new(SDL_Renderer *renderer, const char *font_dir,
                struct bm_view **out)
{
	if (!out)
		return BM_VIEW_ERR_ARG;
	*out = NULL;
	if (!renderer)
		return BM_VIEW_ERR_ARG;
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
	struct bm_view *v = calloc(1, sizeof *v);
	if (!v) {
		TTF_Quit();
		return BM_VIEW_ERR_NOMEM;
	}
	v->r = renderer;
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++) {
		const char *p = path[font_is_bold(role) ? 1 : 0];
		v->font[role] = TTF_OpenFont(p, 12);
		if (!v->font[role]) {
			fprintf(stderr, "bridgemon: cannot open font %s: %s\n", p, TTF_GetError());
			bm_view_free(v);
			return BM_VIEW_ERR_FONT;
		}
		v->font_set_px[role] = 12;
	}
	*out = v;
	return BM_VIEW_OK;
}

static void text_entry_clear(struct bm_view *v, struct text_entry *e)
{
	if (!e->tex)
		return;
	SDL_DestroyTexture(e->tex);
	free(e->s);
	memset(e, 0, sizeof *e);
	v->ncached--;
}

void bm_view_free(struct bm_view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++)
		text_entry_clear(v, &v->cache[i]);
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++)
		if (v->font[role])
			TTF_CloseFont(v->font[role]);
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		free(v->col_lo[leg]);
		free(v->col_hi[leg]);
	}
	free(v->col_rects);
	free(v);
	TTF_Quit();
}

const struct bm_view_layout *bm_view_layout(const struct bm_view *v)
{
	return &v->lay;
}

size_t bm_view_cached_texts(const struct bm_view *v)
{
	return v->ncached;
}

uint64_t bm_view_text_renders(const struct bm_view *v)
{
	return v->renders;
}

/* ---- text ------------------------------------------------------------- */

static uint32_t text_hash(int role, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)role; /* FNV-1a */
	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

/* Size the fonts for this frame's layout; a role whose size changes loses
 * its cached strings (they were rendered at the old size). */
static void fonts_apply(struct bm_view *v, const struct bm_view_layout *lay)
{
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++) {
		int px = lay->font_px[role];
		v->font_ok[role] = px >= FONT_MIN_PX;
		if (!v->font_ok[role] || px == v->font_set_px[role])
			continue;
		if (TTF_SetFontSize(v->font[role], px) != 0) {
			v->font_ok[role] = false;
			continue;
		}
		v->font_set_px[role] = px;
		v->ascent[role] = TTF_FontAscent(v->font[role]);
		for (size_t i = 0; i < TEXT_CACHE_MAX; i++)
			if (v->cache[i].tex && v->cache[i].role == role)
				text_entry_clear(v, &v->cache[i]);
	}
	for (int role = 0; role < BM_VIEW_FONT_COUNT; role++)
		if (v->font_ok[role] && v->ascent[role] == 0)
			v->ascent[role] = TTF_FontAscent(v->font[role]);
}

/* The cached texture of @p s in font @p role, rendering it on a miss. */
static const struct text_entry *text_get(struct bm_view *v, int role, const char *s)
{
	if (!s[0] || !v->font_ok[role])
		return NULL;
	uint32_t h = text_hash(role, s);
	struct text_entry *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++) {
		struct text_entry *e = &v->cache[i];
		if (!e->tex) {
			if (!free_slot)
				free_slot = e;
			continue;
		}
		if (e->hash == h && e->role == role && strcmp(e->s, s) == 0) {
			e->used = v->frame;
			return e;
		}
		if (!oldest || e->used < oldest->used)
			oldest = e;
	}
	struct text_entry *slot = free_slot ? free_slot : oldest;
	if (!slot)
		return NULL;
	text_entry_clear(v, slot);

	/* White, so one texture serves every colour through a colour mod. */
	SDL_Surface *surf = TTF_RenderUTF8_Blended(v->font[role], s,
	                                           (SDL_Color){255, 255, 255, 255});
	SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(v->r, surf) : NULL;
	char *copy = tex ? strdup(s) : NULL;
	if (!copy) {
		if (!v->text_error_logged) {
			fprintf(stderr, "bridgemon: cannot draw text \"%s\": %s\n", s,
			        surf ? SDL_GetError() : TTF_GetError());
			v->text_error_logged = true;
		}
		if (tex)
			SDL_DestroyTexture(tex);
		SDL_FreeSurface(surf);
		return NULL;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	v->renders++;
	slot->tex = tex;
	slot->s = copy;
	slot->hash = h;
	slot->role = role;
	slot->w = surf->w;
	slot->h = surf->h;
	slot->used = v->frame;
	v->ncached++;
	SDL_FreeSurface(surf);
	return slot;
}

/* Free strings nobody asked for lately. */
static void text_age(struct bm_view *v)
{
	for (size_t i = 0; i < TEXT_CACHE_MAX; i++) {
		struct text_entry *e = &v->cache[i];
		if (e->tex && v->frame - e->used > TEXT_IDLE_FRAMES)
			text_entry_clear(v, e);
	}
}

/* Copy a text texture with its top-left at (x, y), cropped to @p clip. */
static void text_blit(struct bm_view *v, const struct text_entry *e, SDL_Color c,
                      int x, int y, const SDL_Rect *clip)
{
	SDL_Rect dst = {x, y, e->w, e->h}, vis;
	if (!SDL_IntersectRect(&dst, clip, &vis))
		return;
	SDL_Rect src = {vis.x - x, vis.y - y, vis.w, vis.h};
	SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
	SDL_RenderCopy(v->r, e->tex, &src, &vis);
}

enum { ALIGN_LEFT = -1, ALIGN_CENTRE = 0, ALIGN_RIGHT = 1 };

/*
 * Draw @p s in @p box, vertically centred, aligned as asked, never outside
 * the box.  Returns the text's full width in pixels (0 when nothing drawn).
 */
static int text_draw(struct bm_view *v, int role, enum bm_view_colour colour,
                     const char *s, SDL_Rect box, int align)
{
	const struct text_entry *e = text_get(v, role, s);
	if (!e || box.w <= 0 || box.h <= 0)
		return 0;
	int x = box.x;
	if (align == ALIGN_CENTRE)
		x = box.x + (box.w - e->w) / 2;
	else if (align == ALIGN_RIGHT)
		x = box.x + box.w - e->w;
	if (x < box.x)
		x = box.x; /* too wide: keep the start readable */
	int y = box.y + (box.h - e->h) / 2;
	text_blit(v, e, bm_view_colour(colour), x, y, &box);
	return e->w;
}

/* ---- formatting ------------------------------------------------------- */

static const char *unit_name(enum bm_view_units u)
{
	return u == BM_VIEW_UNITS_KG ? "kg" : "N";
}

/* A force as a number in the display unit: 312 (N) or 31.8 (kg). */
static void fmt_force(char *buf, size_t n, float force_n, enum bm_view_units u)
{
	if (!isfinite(force_n)) {
		snprintf(buf, n, "--");
		return;
	}
	double x = u == BM_VIEW_UNITS_KG ? force_n / BM_VIEW_G_N_PER_KG : force_n;
	if (u == BM_VIEW_UNITS_KG) {
		x = round(x * 10.0) / 10.0;
		snprintf(buf, n, "%.1f", x == 0 ? 0.0 : x); /* no "-0.0" */
	} else {
		x = round(x);
		snprintf(buf, n, "%.0f", x == 0 ? 0.0 : x);
	}
}

/* A duration: "23 s" under a minute, else "2:05". */
static void fmt_dur(char *buf, size_t n, float s)
{
	if (!isfinite(s) || s < 0)
		s = 0;
	long whole = (long)floorf(s);
	if (whole < 60)
		snprintf(buf, n, "%ld s", whole);
	else
		snprintf(buf, n, "%ld:%02ld", whole / 60, whole % 60);
}

/* Minutes and seconds always: "0:45", "3:00". */
static void fmt_min_sec(char *buf, size_t n, float s)
{
	if (!isfinite(s) || s < 0)
		s = 0;
	long whole = (long)floorf(s);
	snprintf(buf, n, "%ld:%02ld", whole / 60, whole % 60);
}

static const char *leg_name(int leg, bool capital)
{
	if (leg == BM_LEFT)
		return capital ? "Left" : "left";
	if (leg == BM_RIGHT)
		return capital ? "Right" : "right";
	return "";
}

/* ---- primitives ------------------------------------------------------- */

static void set_colour(struct bm_view *v, enum bm_view_colour c, Uint8 alpha)
{
	SDL_Color k = bm_view_colour(c);
	SDL_SetRenderDrawColor(v->r, k.r, k.g, k.b, alpha);
}

static void fill(struct bm_view *v, SDL_Rect r, enum bm_view_colour c)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	set_colour(v, c, 255);
	SDL_RenderFillRect(v->r, &r);
}

static void fill_alpha(struct bm_view *v, SDL_Rect r, enum bm_view_colour c, Uint8 a)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_BLEND);
	set_colour(v, c, a);
	SDL_RenderFillRect(v->r, &r);
	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
}

/* Fraction of full scale, clamped to 0..1 (NaN: 0). */
static double frac(double x, double full)
{
	if (!(full > 0) || !(x > 0))
		return 0;
	return x >= full ? 1.0 : x / full;
}

/* y of force @p f in a bar track @p b (0 at the bottom edge). */
static int bar_y(SDL_Rect b, float f, float fs)
{
	return b.y + b.h - (int)lround(frac(f, fs) * b.h);
}

static bool has_zone(const struct bm_view_model *m)
{
	return m->zone_high_n > m->zone_low_n;
}

static enum bm_view_colour zone_colour(const struct bm_view_model *m, float f)
{
	if (!has_zone(m) || f < m->zone_low_n)
		return BM_VIEW_C_BELOW;
	if (f > m->zone_high_n)
		return BM_VIEW_C_ABOVE;
	return BM_VIEW_C_IN;
}

/* A horizontal progress bar: track, fill, optional ticks. */
static void progress(struct bm_view *v, SDL_Rect r, double done, double total,
                     double tick_every)
{
	fill(v, r, BM_VIEW_C_TRACK);
	double f = frac(done, total);
	SDL_Rect d = rect(r.x, r.y, (int)lround(f * r.w), r.h);
	fill(v, d, f >= 1.0 ? BM_VIEW_C_IN : BM_VIEW_C_PROGRESS);
	if (tick_every > 0 && total > tick_every && total / tick_every <= 30) {
		int tw = imax(1, v->lay.pad / 6);
		for (double t = tick_every; t < total - 1e-6; t += tick_every) {
			int x = r.x + (int)lround(t / total * r.w);
			fill(v, rect(x - tw / 2, r.y, tw, r.h), BM_VIEW_C_BG);
		}
	}
}

/* ---- parts of the frame ----------------------------------------------- */

static void draw_legs(struct bm_view *v, const struct bm_view_model *m, float fs)
{
	const struct bm_view_layout *L = &v->lay;
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		SDL_Rect b = L->bar[leg], z = L->bar_zone[leg];
		int edge = imin(imax(2, L->pad / 4), z.h);
		fill(v, b, BM_VIEW_C_TRACK);
		if (has_zone(m)) {
			int yh = bar_y(b, m->zone_high_n, fs), yl = bar_y(b, m->zone_low_n, fs);
			fill_alpha(v, rect(z.x, yh, z.w, yl - yh), BM_VIEW_C_IN, 56);
			/* Zone edges in the margins beside the bar, not across it,
			 * so the bar keeps one colour from bottom to top. */
			int gap = imax(1, L->pad / 3);
			SDL_Rect el = rect(z.x, 0, b.x - gap - z.x, edge);
			SDL_Rect er = rect(b.x + b.w + gap, 0, z.x + z.w - (b.x + b.w + gap), edge);
			int ys[2] = {yh, yl};
			for (int k = 0; k < 2; k++) {
				el.y = er.y = clampi(ys[k] - edge / 2, z.y, z.y + z.h - el.h);
				fill(v, el, BM_VIEW_C_IN);
				fill(v, er, BM_VIEW_C_IN);
			}
		}
		float f = m->force_n[leg];
		int top = bar_y(b, f, fs);
		fill(v, rect(b.x, top, b.w, b.y + b.h - top), zone_colour(m, f));

		text_draw(v, BM_VIEW_FONT_LABEL, leg == BM_LEFT ? BM_VIEW_C_LEG_L : BM_VIEW_C_LEG_R,
		          leg == BM_LEFT ? "LEFT" : "RIGHT", L->bar_label[leg], ALIGN_CENTRE);

		/* Readout: big number, small unit, sharing a baseline. */
		char num[32];
		fmt_force(num, sizeof num, v->shown_n[leg], m->units);
		const struct text_entry *en = text_get(v, BM_VIEW_FONT_VALUE, num);
		const struct text_entry *eu = text_get(v, BM_VIEW_FONT_LABEL, unit_name(m->units));
		SDL_Rect box = L->bar_value[leg];
		if (en) {
			int gap = eu ? en->h / 8 : 0;
			int total = en->w + (eu ? gap + eu->w : 0);
			if (total > box.w) { /* a huge number: the digits matter more */
				eu = NULL;
				total = en->w;
			}
			int x = box.x + imax((box.w - total) / 2, 0);
			int y = box.y + (box.h - en->h) / 2;
			text_blit(v, en, bm_view_colour(BM_VIEW_C_TEXT), x, y, &box);
			if (eu) {
				int base = y + v->ascent[BM_VIEW_FONT_VALUE];
				text_blit(v, eu, bm_view_colour(BM_VIEW_C_DIM), x + en->w + gap,
				          base - v->ascent[BM_VIEW_FONT_LABEL], &box);
			}
		}

		/* Reps under the bar: count, then the last peak. */
		SDL_Rect rr = L->reps[leg];
		SDL_Rect r1 = rect(rr.x, rr.y, rr.w, rr.h / 2);
		SDL_Rect r2 = rect(rr.x, rr.y + rr.h / 2, rr.w, rr.h - rr.h / 2);
		char line[64], fbuf[32];
		snprintf(line, sizeof line, "%u %s", m->reps[leg], m->reps[leg] == 1 ? "rep" : "reps");
		text_draw(v, BM_VIEW_FONT_LABEL, BM_VIEW_C_TEXT, line, r1, ALIGN_CENTRE);
		float pk = m->last_rep_peak_n[leg];
		if (pk > 0) {
			fmt_force(fbuf, sizeof fbuf, pk, m->units);
			snprintf(line, sizeof line, "peak %s %s", fbuf, unit_name(m->units));
			text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, r2, ALIGN_CENTRE);
		}
	}
}

/* The smallest of 1, 2, 2.5, 5 x 10^k that is >= x (x > 0). */
static double nice_step(double x)
{
	if (!(x > 0))
		return 1;
	double p = pow(10.0, floor(log10(x)));
	static const double m[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (m[i] * p >= x * (1 - 1e-9))
			return m[i] * p;
	return 10 * p;
}

static bool cols_reserve(struct bm_view *v, int n)
{
	if (n <= v->cols_cap)
		return true;
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		float *lo = realloc(v->col_lo[leg], (size_t)n * sizeof *lo);
		if (!lo)
			return false;
		v->col_lo[leg] = lo;
		float *hi = realloc(v->col_hi[leg], (size_t)n * sizeof *hi);
		if (!hi)
			return false;
		v->col_hi[leg] = hi;
	}
	SDL_Rect *rr = realloc(v->col_rects, (size_t)n * sizeof *rr);
	if (!rr)
		return false;
	v->col_rects = rr;
	v->cols_cap = n;
	return true;
}

static void span_add(float *lo, float *hi, int c, double y)
{
	if (y < lo[c])
		lo[c] = (float)y;
	if (y > hi[c])
		hi[c] = (float)y;
}

static void span_point(float *lo, float *hi, int ncols, double x, double y)
{
	if (x >= 0 && x < ncols)
		span_add(lo, hi, (int)x, y);
}

/* Add the y range a straight segment covers in each column it crosses. */
static void span_segment(float *lo, float *hi, int ncols, double xa, double ya,
                         double xb, double yb)
{
	if (xb < xa || xb < 0 || xa >= ncols)
		return;
	double dx = xb - xa;
	if (dx <= 0) {
		span_point(lo, hi, ncols, xa, ya);
		span_point(lo, hi, ncols, xb, yb);
		return;
	}
	double slope = (yb - ya) / dx;
	if (xa < 0) {
		ya += slope * -xa;
		xa = 0;
	}
	if (xb > ncols) {
		yb -= slope * (xb - ncols);
		xb = ncols;
	}
	int c0 = (int)floor(xa), c1 = imin((int)floor(xb), ncols - 1);
	for (int c = c0; c <= c1; c++) {
		double xl = fmax(xa, c), xr = fmin(xb, c + 1.0);
		span_add(lo, hi, c, ya + slope * (xl - xa));
		span_add(lo, hi, c, ya + slope * (xr - xa));
	}
}

static double trace_window(const struct bm_view_model *m)
{
	double w = m->trace_window_s;
	if (!(w >= BM_VIEW_TRACE_MIN_S))
		return w > 0 ? BM_VIEW_TRACE_MIN_S : 30.0;
	return w > BM_VIEW_TRACE_MAX_S ? BM_VIEW_TRACE_MAX_S : w;
}

static void draw_trace_data(struct bm_view *v, const struct bm_view_model *m,
                            float fs, double t0, double px_per_s)
{
	const struct bm_view_trace *tr = m->trace;
	SDL_Rect r = v->lay.trace;
	size_t n = tr ? tr->len : 0;
	if (!n || !cols_reserve(v, r.w))
		return;
	/*
	 * Columns are `step` pixels wide, a pixel less than the pen, so the
	 * pen's rects still touch: at 1440p that is a fifth of the rects of
	 * one per pixel.  Rects are what a software rasteriser (llvmpipe
	 * under Xvfb) pays for, one by one.
	 */
	int th = imax(2, (int)lround(v->lay.pad * 0.25));
	int step = imax(1, th - 1);
	int nc = (r.w + step - 1) / step;
	px_per_s /= step;
	double ypx = r.h - 1;
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		for (int c = 0; c < nc; c++) {
			v->col_lo[leg][c] = FLT_MAX;
			v->col_hi[leg][c] = -FLT_MAX;
		}
	}
	/* First sample inside the window (times do not decrease); start one
	 * earlier so the line enters from the left edge. */
	size_t a = 0, b = n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (tr->t_s[trace_index(tr, mid)] < t0)
			a = mid + 1;
		else
			b = mid;
	}
	double px[BM_NCHAN] = {0}, py[BM_NCHAN] = {0}, pt[BM_NCHAN] = {0};
	bool joined[BM_NCHAN] = {false, false};
	for (size_t i = a ? a - 1 : 0; i < n; i++) {
		size_t k = trace_index(tr, i);
		double t = tr->t_s[k];
		double x = (t - t0) * px_per_s;
		for (int leg = 0; leg < BM_NCHAN; leg++) {
			float f = tr->force_n[leg][k];
			if (isnan(f)) {
				joined[leg] = false;
				continue;
			}
			double y = (1.0 - frac(f, fs)) * ypx;
			if (joined[leg] && t - pt[leg] <= BM_VIEW_TRACE_GAP_S)
				span_segment(v->col_lo[leg], v->col_hi[leg], nc, px[leg], py[leg], x, y);
			else
				span_point(v->col_lo[leg], v->col_hi[leg], nc, x, y);
			px[leg] = x;
			py[leg] = y;
			pt[leg] = t;
			joined[leg] = true;
		}
	}
	/* One rect per column, as wide as the pen, so steep edges are as
	 * thick as flat stretches; a run of columns at the same height (a
	 * steady hold, rest) becomes one rect. */
	for (int leg = 0; leg < BM_NCHAN; leg++) {
		int count = 0;
		for (int c = 0; c < nc; c++) {
			float lo = v->col_lo[leg][c], hi = v->col_hi[leg][c];
			if (lo > hi)
				continue;
			int y0 = (int)floor(lo - th / 2.0), y1 = (int)ceil(hi + th / 2.0);
			SDL_Rect q = {r.x + c * step + step / 2 - th / 2, r.y + y0, th, y1 - y0}, vis;
			if (!SDL_IntersectRect(&q, &r, &vis))
				continue;
			SDL_Rect *last = count ? &v->col_rects[count - 1] : NULL;
			if (last && last->y == vis.y && last->h == vis.h && last->x + last->w >= vis.x)
				last->w = vis.x + vis.w - last->x;
			else
				v->col_rects[count++] = vis;
		}
		set_colour(v, leg == BM_LEFT ? BM_VIEW_C_LEG_L : BM_VIEW_C_LEG_R, 255);
		if (count)
			SDL_RenderFillRects(v->r, v->col_rects, count);
	}
}

static void draw_trace(struct bm_view *v, const struct bm_view_model *m, float fs)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect r = L->trace;
	if (r.w < 2 || r.h < 2)
		return;
	fill(v, r, BM_VIEW_C_TRACK);
	double win = trace_window(m);
	double t1 = m->now_s, t0 = t1 - win;
	double px_per_s = r.w / win;
	double ypx = r.h - 1;
	int gw = imax(1, L->pad / 8);

	/* Grid: force steps in the display unit, and every 10 s of time. */
	double to_disp = m->units == BM_VIEW_UNITS_KG ? 1.0 / BM_VIEW_G_N_PER_KG : 1.0;
	double fs_disp = fs * to_disp;
	double step = nice_step(fs_disp / 4.0);
	double top_line = 0;
	for (double g = step; g <= fs_disp * (1 + 1e-9); g += step) {
		int y = r.y + (int)lround((1.0 - g / fs_disp) * ypx);
		fill(v, rect(r.x, y, r.w, gw), BM_VIEW_C_BG);
		top_line = g;
	}
	if (isfinite(t0) && isfinite(t1)) {
		for (double tg = ceil(t0 / 10.0) * 10.0; tg <= t1; tg += 10.0) {
			int x = r.x + (int)lround((tg - t0) * px_per_s);
			if (x < r.x + r.w)
				fill(v, rect(x, r.y, gw, r.h), BM_VIEW_C_BG);
		}
	}
	if (has_zone(m)) {
		int yh = r.y + (int)lround((1.0 - frac(m->zone_high_n, fs)) * ypx);
		int yl = r.y + (int)lround((1.0 - frac(m->zone_low_n, fs)) * ypx);
		fill_alpha(v, rect(r.x, yh, r.w, yl - yh + 1), BM_VIEW_C_IN, 40);
	}

	if (isfinite(t0))
		draw_trace_data(v, m, fs, t0, px_per_s);

	/* Labels: the top grid line's value, the window length. */
	char buf[48];
	int lh = (int)lround(L->font_px[BM_VIEW_FONT_SMALL] * 1.3);
	SDL_Rect box, vis;
	if (top_line > 0) {
		int y = r.y + (int)lround((1.0 - top_line / fs_disp) * ypx) + gw;
		snprintf(buf, sizeof buf, step < 1 ? "%.1f %s" : "%.0f %s", top_line,
		         unit_name(m->units));
		box = rect(r.x + L->pad / 2, y, r.w / 3, lh);
		if (SDL_IntersectRect(&box, &r, &vis))
			text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, buf, vis, ALIGN_LEFT);
	}
	snprintf(buf, sizeof buf, "last %.0f s", win);
	box = rect(r.x + r.w * 2 / 3, r.y + r.h - lh, r.w / 3 - L->pad / 2, lh);
	if (SDL_IntersectRect(&box, &r, &vis))
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, buf, vis, ALIGN_RIGHT);

	/* No data coming: say so over the trace, where the eye already is. */
	const char *banner = m->conn == BM_VIEW_CONN_WAITING ? "disconnected \u2014 waiting for device"
	                   : m->conn == BM_VIEW_CONN_ENDED ? "end of data" : NULL;
	if (banner) {
		const struct text_entry *e = text_get(v, BM_VIEW_FONT_TEXT, banner);
		if (e) {
			box = rect(r.x + (r.w - e->w) / 2 - L->pad, r.y + (r.h - e->h) / 2 - L->pad / 2,
			           e->w + 2 * L->pad, e->h + L->pad);
			if (SDL_IntersectRect(&box, &r, &vis)) {
				fill(v, vis, BM_VIEW_C_BG);
				text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_WARN, banner, vis, ALIGN_CENTRE);
			}
		}
	}
}

static void draw_holds(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	char a[48], b[48], line[96];

	bool reached = m->hold_target_s > 0 && m->hold_elapsed_s >= m->hold_target_s;
	fmt_dur(a, sizeof a, m->hold_elapsed_s);
	text_draw(v, BM_VIEW_FONT_TIMER,
	          !m->hold_active ? BM_VIEW_C_DIM : reached ? BM_VIEW_C_IN : BM_VIEW_C_TEXT,
	          a, L->hold_text, ALIGN_LEFT);
	if (m->hold_target_s > 0) {
		fmt_dur(b, sizeof b, m->hold_target_s);
		snprintf(line, sizeof line, "%s  target %s", m->hold_active ? "hold" : "last hold", b);
	} else {
		snprintf(line, sizeof line, "%s", m->hold_active ? "hold" : "last hold");
	}
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, L->hold_text, ALIGN_RIGHT);
	progress(v, L->hold_bar, m->hold_elapsed_s, m->hold_target_s, 10.0);

	fmt_min_sec(a, sizeof a, m->today_hold_s);
	snprintf(line, sizeof line, "today %s", a);
	bool aim_done = m->daily_aim_s > 0 && m->today_hold_s >= m->daily_aim_s;
	text_draw(v, BM_VIEW_FONT_TEXT, aim_done ? BM_VIEW_C_IN : BM_VIEW_C_TEXT, line,
	          L->daily_text, ALIGN_LEFT);
	if (m->daily_aim_s > 0) {
		fmt_min_sec(b, sizeof b, m->daily_aim_s);
		snprintf(line, sizeof line, "daily aim %s", b);
		text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_DIM, line, L->daily_text, ALIGN_RIGHT);
	}
	progress(v, L->daily_bar, m->today_hold_s, m->daily_aim_s, 60.0);
}

static void draw_gauge(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	char line[96];

	/* Words: live on the left, the last effort on the right. */
	SDL_Rect t = L->gauge_text;
	SDL_Rect tl = rect(t.x, t.y, t.w * 11 / 20, t.h);
	SDL_Rect tr = rect(t.x + tl.w, t.y, t.w - tl.w, t.h);
	if (m->asym_weaker == BM_LEFT || m->asym_weaker == BM_RIGHT)
		snprintf(line, sizeof line, "%s weaker %.0f %%", leg_name(m->asym_weaker, true),
		         (double)m->asym_pct);
	else
		snprintf(line, sizeof line, "legs even");
	text_draw(v, BM_VIEW_FONT_TEXT, m->asym_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_TEXT,
	          line, tl, ALIGN_LEFT);
	if (m->effort_valid) {
		if (m->effort_weaker == BM_LEFT || m->effort_weaker == BM_RIGHT)
			snprintf(line, sizeof line, "last effort: %s %.0f %%",
			         leg_name(m->effort_weaker, false), (double)m->effort_asym_pct);
		else
			snprintf(line, sizeof line, "last effort: even");
		text_draw(v, BM_VIEW_FONT_TEXT, m->effort_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_DIM,
		          line, tr, ALIGN_RIGHT);
	}

	/* Gauge: centre is even; the fill grows toward the weaker leg's side. */
	SDL_Rect g = L->gauge;
	if (g.w < 4 || g.h < 2)
		return;
	fill(v, g, BM_VIEW_C_TRACK);
	int end = imin(g.h, g.w / 8); /* room for the L / R letters */
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_LEG_L, "L", rect(g.x, g.y, end, g.h), ALIGN_CENTRE);
	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_LEG_R, "R", rect(g.x + g.w - end, g.y, end, g.h),
	          ALIGN_CENTRE);
	int cx = g.x + g.w / 2;
	int half = g.w / 2 - end;
	double scale = fmax(30.0, m->asym_flag_pct > 0 ? 2.0 * m->asym_flag_pct : 0.0);
	if (scale > 100)
		scale = 100;
	int inset = g.h / 5;
	int lw = imax(2, L->pad / 5);
	if (m->asym_weaker == BM_LEFT || m->asym_weaker == BM_RIGHT) {
		int len = (int)lround(frac(m->asym_pct, scale) * half);
		int x = m->asym_weaker == BM_LEFT ? cx - len : cx;
		fill(v, rect(x, g.y + inset, len, g.h - 2 * inset),
		     m->asym_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_GAUGE);
	}
	if (m->asym_flag_pct > 0 && m->asym_flag_pct < scale) {
		int d = (int)lround(m->asym_flag_pct / scale * half);
		fill(v, rect(cx - d - lw / 2, g.y, lw, g.h), BM_VIEW_C_DIM);
		fill(v, rect(cx + d - lw / 2, g.y, lw, g.h), BM_VIEW_C_DIM);
	}
	fill(v, rect(cx - lw / 2, g.y, lw, g.h), BM_VIEW_C_TEXT);
	if (m->effort_valid && (m->effort_weaker == BM_LEFT || m->effort_weaker == BM_RIGHT)) {
		int d = (int)lround(frac(m->effort_asym_pct, scale) * half);
		int x = m->effort_weaker == BM_LEFT ? cx - d : cx + d;
		int mw = imax(3, L->pad / 2);
		fill(v, rect(x - mw / 2, g.y, mw, inset), m->effort_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_TEXT);
		fill(v, rect(x - mw / 2, g.y + g.h - inset, mw, inset),
		     m->effort_flagged ? BM_VIEW_C_FLAG : BM_VIEW_C_TEXT);
	}
}

static void draw_status(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect s = L->status;
	fill(v, s, BM_VIEW_C_TRACK);
	int p = L->pad;
	SDL_Rect left = rect(s.x + p, s.y, s.w * 45 / 100 - p, s.h);
	SDL_Rect mid = rect(s.x + s.w * 45 / 100, s.y, s.w * 37 / 100, s.h);
	SDL_Rect right = rect(s.x + s.w * 82 / 100, s.y, s.w - s.w * 82 / 100 - p, s.h);
	char line[BM_VIEW_PATH_MAX + 64], rate[24];

	if (m->rate_hz > 0)
		snprintf(rate, sizeof rate, "%.1f Hz", (double)m->rate_hz);
	else
		snprintf(rate, sizeof rate, "-- Hz");
	const char *src = m->source[0] ? m->source : "no source";
	if (m->conn == BM_VIEW_CONN_WAITING) {
		snprintf(line, sizeof line, "%.*s \u00b7 disconnected \u2014 waiting for device",
		         BM_VIEW_SOURCE_MAX, src);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_WARN, line, left, ALIGN_LEFT);
	} else {
		snprintf(line, sizeof line, "%.*s \u00b7 %s \u00b7 dropped %llu \u00b7 CRC errors %llu",
		         BM_VIEW_SOURCE_MAX, src, rate, (unsigned long long)m->dropped_frames,
		         (unsigned long long)m->crc_errors);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, left, ALIGN_LEFT);
	}

	if (m->recording) {
		int w = text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_FLAG, "\u25cf REC", mid, ALIGN_LEFT);
		if (w > 0) {
			SDL_Rect rest = rect(mid.x + w + p, mid.y, mid.w - w - p, mid.h);
			snprintf(line, sizeof line, "%.*s", BM_VIEW_PATH_MAX, m->rec_file);
			text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, rest, ALIGN_LEFT);
		}
	} else {
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, "not recording (space)", mid, ALIGN_LEFT);
	}

	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM,
	          m->muted ? "sound off \u00b7 h help" : "h help", right, ALIGN_RIGHT);
}

static void draw_message(struct bm_view *v, const struct bm_view_model *m)
{
	if (!m->message[0])
		return;
	char line[BM_VIEW_MESSAGE_MAX + 1];
	snprintf(line, sizeof line, "%.*s", BM_VIEW_MESSAGE_MAX - 1, m->message);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_WARN, line, v->lay.message, ALIGN_CENTRE);
}

/* Dim the frame and draw a bordered box for an overlay. */
static void overlay_box(struct bm_view *v, SDL_Rect box)
{
	fill_alpha(v, rect(0, 0, v->lay.out_w, v->lay.out_h), BM_VIEW_C_BG, 200);
	int bw = imax(2, v->lay.pad / 4);
	fill(v, box, BM_VIEW_C_DIM);
	fill(v, rect(box.x + bw, box.y + bw, box.w - 2 * bw, box.h - 2 * bw), BM_VIEW_C_TRACK);
}

static void draw_help(struct bm_view *v)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->help;
	if (box.w <= 0 || box.h <= 0)
		return;
	overlay_box(v, box);
	size_t n;
	const struct bm_view_key *k = bm_view_keys(&n);
	int lines = (int)n + 3; /* title, blank, keys..., footer */
	int inner_x = box.x + 2 * L->pad, inner_w = box.w - 4 * L->pad;
	int lh = (box.h - 2 * L->pad) / lines;
	int y = box.y + L->pad;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Keys", rect(inner_x, y, inner_w, lh),
	          ALIGN_CENTRE);
	y += 2 * lh;
	int kw = inner_w * 20 / 100;
	for (size_t i = 0; i < n; i++, y += lh) {
		text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, k[i].key, rect(inner_x, y, kw, lh),
		          ALIGN_LEFT);
		text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, k[i].what,
		          rect(inner_x + kw, y, inner_w - kw, lh), ALIGN_LEFT);
	}
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "h closes this list",
	          rect(inner_x, y, inner_w, lh), ALIGN_CENTRE);
}

static void draw_cal(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect box = L->cal;
	if (box.w <= 0 || box.h <= 0)
		return;
	overlay_box(v, box);
	int inner_x = box.x + 2 * L->pad, inner_w = box.w - 4 * L->pad;
	int lh = (box.h - 2 * L->pad) / 5;
	int y = box.y + L->pad;
	char line[BM_VIEW_MESSAGE_MAX + 32];
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, "Calibrate", rect(inner_x, y, inner_w, lh),
	          ALIGN_CENTRE);
	y += lh;
	snprintf(line, sizeof line, "%.*s", BM_VIEW_MESSAGE_MAX - 1, m->cal.prompt);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_TEXT, line, rect(inner_x, y, inner_w, lh),
	          ALIGN_CENTRE);
	y += lh;
	snprintf(line, sizeof line, "mass: %.*s_ kg", BM_VIEW_INPUT_MAX - 1, m->cal.input);
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_WARN, line, rect(inner_x, y, inner_w, lh * 2),
	          ALIGN_CENTRE);
	y += 2 * lh;
	text_draw(v, BM_VIEW_FONT_OVERLAY, BM_VIEW_C_DIM, "Enter confirms \u00b7 Esc cancels",
	          rect(inner_x, y, inner_w, lh), ALIGN_CENTRE);
}

/* Readouts follow the model at most every READOUT_PERIOD_S. */
static void readouts_update(struct bm_view *v, const struct bm_view_model *m)
{
	double dt = m->now_s - v->shown_t_s;
	if (v->shown_valid && dt >= 0 && dt < READOUT_PERIOD_S)
		return;
	for (int leg = 0; leg < BM_NCHAN; leg++)
		v->shown_n[leg] = m->force_n[leg];
	v->shown_t_s = m->now_s;
	v->shown_valid = true;
}

int bm_view_draw(struct bm_view *v, const struct bm_view_model *m)
{
	if (!v || !m)
		return BM_VIEW_ERR_ARG;
	int w, h;
	if (SDL_GetRendererOutputSize(v->r, &w, &h) != 0)
		return BM_VIEW_ERR_SDL;
	v->frame++;
	bm_view_layout_compute(w, h, &v->lay);
	fonts_apply(v, &v->lay);
	readouts_update(v, m);

	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
	set_colour(v, BM_VIEW_C_BG, 255);
	SDL_RenderClear(v->r);

	float fs = bm_view_full_scale_n(m);
	draw_legs(v, m, fs);
	draw_trace(v, m, fs);
	draw_holds(v, m);
	draw_gauge(v, m);
	draw_message(v, m);
	draw_status(v, m);
	if (m->cal.active)
		draw_cal(v, m);
	if (m->help_visible)
		draw_help(v);
	text_age(v);
	return BM_VIEW_OK;
}
