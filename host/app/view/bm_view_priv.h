/*
 * bm_view_priv.h - what the files of the view share; not for the rest of
 * the program, which sees only bm_view.h.
 *
 * The view is one object, struct bm_view, and a frame is a fixed order of
 * panels, each in its own file and each reading only the model and this
 * frame's layout (v->lay):
 *
 *   bm_view_legs.c         the legs' columns: label, readout, bar, reps
 *   bm_view_trace_panel.c  the force-time plot (decimated per column)
 *   bm_view_holds.c        hold timer and today's total, with progress
 *   bm_view_gauge.c        asymmetry in words and on the gauge
 *   bm_view_status.c       the message line and the status bar
 *   bm_view_protocol.c     a guided protocol: strip, countdown, summary
 *   bm_view_progress.c     the progress view (key p): charts over the
 *                          weeks and the return-to-run checklist
 *   bm_view_overlay.c      the help list and the calibration box
 *   bm_view_dose.c         the athlete's daily dose (instead of "today")
 *   bm_view_ask.c          a pain question and its answer; the athlete picker
 *
 * bm_view.c owns the object and calls them in that order.  Under the
 * panels: the text cache (bm_view_textcache.h), the trace ring
 * (bm_view_trace.c), the layout (bm_view_layout.c), the palette and the
 * widgets panels share (bm_view_paint.c) and how numbers are written
 * (bm_view_format.c).  The small helpers below are static inline so that
 * nothing tiny needs an exported name; a new screen is a new panel file.
 */
#ifndef BM_VIEW_PRIV_H
#define BM_VIEW_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "bm_view.h"
#include "bm_view_textcache.h"

/* ---- the trace ring's inside (bm_view_trace.c) ------------------------ */

/* The trace panel walks thousands of samples a frame, so it reads the
 * arrays directly instead of calling bm_view_trace_get() per sample. */
struct bm_view_trace {
	double *t_s;
	float *force_n[BM_NCHAN];
	size_t cap;
	size_t len;
	size_t head; /* next write index */
};

/** Physical index of logical sample @p i (0 = oldest). */
static inline size_t bm_view_trace_index(const struct bm_view_trace *tr, size_t i)
{
	return (tr->head + tr->cap - tr->len + i) % tr->cap;
}

/** Logical index of the first sample at or after @p t_s (len when there
 *  is none); relies on times not decreasing. */
size_t bm_view_trace_lower_bound(const struct bm_view_trace *tr, double t_s);

/* ---- the view --------------------------------------------------------- */

/** The trace panel's scratch, one slot per pixel column; grows only. */
struct bm_view_plot_cols {
	float *lo[BM_NCHAN], *hi[BM_NCHAN];
	SDL_Rect *rects;
	int cap;
};

struct bm_view {
	SDL_Renderer *r;
	struct bm_view_textcache *text;
	struct bm_view_layout lay; /* this frame's */
	struct bm_view_plot_cols cols;

	/* Readouts as last shown (paced in bm_view.c). */
	bool shown_valid;
	double shown_t_s;
	float shown_n[BM_NCHAN];
};

/* ---- geometry --------------------------------------------------------- */

static inline int imax(int a, int b) { return a > b ? a : b; }
static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int clampi(int x, int lo, int hi) { return x > hi ? hi : x < lo ? lo : x; }

/** A rect whose negative sizes become 0. */
static inline SDL_Rect rect(int x, int y, int w, int h)
{
	return (SDL_Rect){x, y, imax(w, 0), imax(h, 0)};
}

/** Fraction of full scale, clamped to 0..1 (NaN: 0). */
static inline double frac(double x, double full)
{
	if (!(full > 0) || !(x > 0))
		return 0;
	return x >= full ? 1.0 : x / full;
}

static inline bool has_zone(const struct bm_view_model *m)
{
	return m->zone_high_n > m->zone_low_n;
}

/* ---- painting --------------------------------------------------------- */

static inline void set_colour(struct bm_view *v, enum bm_view_colour c, Uint8 alpha)
{
	SDL_Color k = bm_view_colour(c);
	SDL_SetRenderDrawColor(v->r, k.r, k.g, k.b, alpha);
}

static inline void fill(struct bm_view *v, SDL_Rect r, enum bm_view_colour c)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	set_colour(v, c, 255);
	SDL_RenderFillRect(v->r, &r);
}

/** Fill blended with alpha @p a; leaves the blend mode at NONE. */
static inline void fill_alpha(struct bm_view *v, SDL_Rect r, enum bm_view_colour c, Uint8 a)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_BLEND);
	set_colour(v, c, a);
	SDL_RenderFillRect(v->r, &r);
	SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
}

/** A horizontal progress bar: track, fill toward @p total (green once
 *  reached), a notch every @p tick_every (0: none; at most 30 notches). */
void bm_view_progress(struct bm_view *v, SDL_Rect r, double done, double total,
                      double tick_every);

/** Dim the whole frame and draw a bordered box for an overlay. */
void bm_view_overlay_box(struct bm_view *v, SDL_Rect box);

/* ---- text (bm_view_textcache.h, through the view) --------------------- */

static inline const struct bm_view_textcache_entry *text_get(struct bm_view *v, int role,
                                                             const char *s)
{
	return bm_view_textcache_get(v->text, role, s);
}

static inline void text_blit(struct bm_view *v, const struct bm_view_textcache_entry *e,
                             SDL_Color c, int x, int y, const SDL_Rect *clip)
{
	bm_view_textcache_blit(v->text, e, c, x, y, clip);
}

static inline int text_draw(struct bm_view *v, int role, enum bm_view_colour colour,
                            const char *s, SDL_Rect box, enum bm_view_align align)
{
	return bm_view_textcache_draw(v->text, role, colour, s, box, align);
}

/**
 * Draw @p text word-wrapped: line k in @p first moved down k x first.h,
 * at most @p max_lines lines (the last takes the rest, cropped).  A
 * sentence is never cut off mid-word at any window size.  Returns the
 * lines drawn.
 */
int bm_view_text_wrapped(struct bm_view *v, int role, enum bm_view_colour colour,
                         const char *text, SDL_Rect first, int max_lines,
                         enum bm_view_align align);

/* ---- words and numbers (bm_view_format.c) ----------------------------- */

/** "N" or "kg". */
const char *bm_view_unit_name(enum bm_view_units u);

/** A force as a number in the display unit: "312" (N) or "31.8" (kg);
 *  "--" when not finite; never "-0". */
void bm_view_fmt_force(char *buf, size_t n, float force_n, enum bm_view_units u);

/** A duration: "23 s" under a minute, else "2:05" (negative, NaN: 0). */
void bm_view_fmt_dur(char *buf, size_t n, float s);

/** Minutes and seconds always: "0:45", "3:00" (negative, NaN: 0). */
void bm_view_fmt_min_sec(char *buf, size_t n, float s);

/** "Left" / "left", "Right" / "right", or "" for any other @p leg. */
const char *bm_view_leg_name(int leg, bool capital);

/** The smallest of 1, 2, 2.5, 5 x 10^k that is >= @p x (x <= 0: 1): grid
 *  steps of the trace and the progress view. */
double bm_view_nice_step(double x);

/* ---- panels, in drawing order ----------------------------------------- */

/** @p fs: full scale of bars and trace, N (bm_view_full_scale_n()). */
void bm_view_panel_legs(struct bm_view *v, const struct bm_view_model *m, float fs);
void bm_view_panel_trace(struct bm_view *v, const struct bm_view_model *m, float fs);
void bm_view_panel_holds(struct bm_view *v, const struct bm_view_model *m);
void bm_view_panel_gauge(struct bm_view *v, const struct bm_view_model *m);
void bm_view_panel_message(struct bm_view *v, const struct bm_view_model *m);
void bm_view_panel_status(struct bm_view *v, const struct bm_view_model *m);
void bm_view_overlay_cal(struct bm_view *v, const struct bm_view_model *m);
void bm_view_panel_protocol(struct bm_view *v, const struct bm_view_model *m);
/** The progress view (key p), over everything but the key list. */
void bm_view_overlay_progress(struct bm_view *v, const struct bm_view_progress *p);
void bm_view_overlay_help(struct bm_view *v);
void bm_view_panel_dose(struct bm_view *v, const struct bm_view_model *m);
void bm_view_panel_ask(struct bm_view *v, const struct bm_view_model *m);
void bm_view_overlay_picker(struct bm_view *v, const struct bm_view_model *m);

/** Free the trace panel's scratch (bm_view_trace_panel.c). */
void bm_view_plot_cols_free(struct bm_view_plot_cols *cols);

#endif /* BM_VIEW_PRIV_H */
