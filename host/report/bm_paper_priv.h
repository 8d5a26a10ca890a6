/*
 * bm_paper_priv.h - what the files of the paper report share, not for
 * callers: the drawing context, colours, text helpers, axis steps, the
 * trace decimator and the page drawers.
 *
 * Every page is drawn in mm on a cairo context whose user space is the
 * page (the writer scales and offsets it per format).  Drawing never
 * fails part-way in a way we must unwind: cairo makes errors sticky on the
 * context, and the writer checks the status once at the end.
 */
#ifndef BM_PAPER_PRIV_H
#define BM_PAPER_PRIV_H

#include <cairo.h>
#include <stddef.h>

#include "bm_paper.h"

#define BM_PAPER_MM_PER_PT (25.4 / 72.0)
#define BM_PAPER_MARGIN_MM 15.0
/** Trace columns per mm: 6 is 152 per inch, about the PNG's pixels. */
#define BM_PAPER_COLS_PER_MM 6.0
/** Lowest text baseline of the flowing sections (the footer is below). */
#define BM_PAPER_FLOW_END_MM 279.0

struct bm_paper_rgb {
	double r, g, b;
};

/** Colours of the legs (left blue, right orange: told apart by people
 *  with red-green colour blindness too), of pain and of the LSI. */
extern const struct bm_paper_rgb bm_paper_leg_rgb[2];
extern const struct bm_paper_rgb bm_paper_pain_rgb;
extern const struct bm_paper_rgb bm_paper_lsi_rgb;
/** Opacity of effort shading in the plot: holds darker than reps. */
#define BM_PAPER_HOLD_ALPHA 0.16
#define BM_PAPER_REP_ALPHA 0.07

/** One document being drawn. */
struct bm_paper_ctx {
	cairo_t *cr;
	const struct bm_paper_doc *doc;
	size_t n_pages;
	double generated_epoch_s;
	/* The text drawn, one item a line, kept for the SVG's <desc> when
	 * collect is set; nomem records a failed growth (the writer reports it). */
	int collect;
	char *text;
	size_t text_len, text_cap;
	int nomem;
};

enum bm_paper_align { BM_PAPER_ALIGN_LEFT, BM_PAPER_ALIGN_CENTER, BM_PAPER_ALIGN_RIGHT };

/** Length of the longest valid UTF-8 prefix of @p s (the whole string
 *  when it is valid). */
size_t bm_paper_utf8_valid_len(const char *s);

/** Copy the valid UTF-8 prefix of @p s into @p dst, at most cap - 1 bytes,
 *  cut on a character boundary. */
void bm_paper_copy_utf8(char *dst, size_t cap, const char *s);

void bm_paper_set_rgb(cairo_t *cr, struct bm_paper_rgb c);
void bm_paper_set_grey(cairo_t *cr, double v);

/** Draw @p s with its baseline at @p y, aligned on @p x; returns its
 *  width in mm.  NULL or "" draws nothing. */
double bm_paper_text(struct bm_paper_ctx *c, double x, double y, double size_pt, int bold,
                     enum bm_paper_align align, const char *s);

/** @p s, or its longest start that fits in @p w_mm with "…" added (in
 *  @p buf); for names and headings that must stay on one line. */
const char *bm_paper_fit(struct bm_paper_ctx *c, double size_pt, int bold, const char *s,
                         double w_mm, char *buf, size_t len);

/** Width of @p s in mm at this size. */
double bm_paper_text_width(struct bm_paper_ctx *c, double size_pt, int bold, const char *s);

/**
 * Draw @p s wrapped at spaces into lines of at most @p w_mm, first
 * baseline at *y_mm, @p line_mm apart; *y_mm becomes the next free
 * baseline.  Stops before a baseline below @p y_max_mm.
 * @return 0, or 1 when text was left out for lack of room.
 */
int bm_paper_wrap(struct bm_paper_ctx *c, double x_mm, double *y_mm, double w_mm,
                  double size_pt, int bold, double line_mm, double y_max_mm, const char *s);

/** "2026-11-25 18:04" (with_time) or "2026-11-25", local time; "unknown"
 *  when not finite. */
void bm_paper_fmt_date(double epoch_s, int with_time, char *buf, size_t len);

/** A number as the page shows it: no decimals from 10 up, one below
 *  (whole numbers never get ".0"); "–" for NaN.  @p unit appended after
 *  a space when not NULL. */
void bm_paper_fmt_num(double v, const char *unit, char *buf, size_t len);

/** 1, 2 or 5 x 10^k, so that @p span holds about @p target steps. */
double bm_paper_nice_step(double span, double target);

/** Tick labels: as many decimals as @p step needs. */
void bm_paper_fmt_tick(double v, double step, char *buf, size_t len);

/** Light grid, ticks and tick labels of a numeric y axis on @p r; labels
 *  on the left (right = 0) or right (right = 1) of the rect, in @p ink
 *  (NULL: dark grey). */
void bm_paper_y_axis(struct bm_paper_ctx *c, const struct bm_paper_rect *r, double lo,
                     double hi, double step, int right, int grid,
                     const struct bm_paper_rgb *ink);

/** The footer of page @p page (0-based). */
void bm_paper_footer(struct bm_paper_ctx *c, size_t page);

/** Called per emitted point; pen_down = 0 starts a new line there. */
typedef void (*bm_paper_emit_fn)(void *ctx, double t_s, double v, int pen_down);

/**
 * Reduce a trace to what @p n_cols columns over [t_min_s, t_max_s] can
 * show: per column, the first, lowest, highest and last sample, in time
 * order.  NaN values, samples outside the range and the listed gaps break
 * the line (the next point comes with pen_down = 0); samples strictly
 * inside a gap are left out.  Gaps in time order.  Allocates nothing.
 * @return the number of points emitted.
 */
size_t bm_paper_decimate(const double *t_s, const double *v, size_t n, double t_min_s,
                         double t_max_s, size_t n_cols, const struct bm_paper_gap *gaps,
                         size_t n_gaps, bm_paper_emit_fn emit, void *ctx);

/**
 * The outcome of drawing as our error: a write that failed (write_errno,
 * kept by the output callback) is BM_PAPER_ERR_IO with the system's
 * reason, cairo's NO_MEMORY is BM_PAPER_ERR_NOMEM, any other cairo status
 * BM_PAPER_ERR_CAIRO with cairo_status_to_string(); one line in @p msg
 * naming @p path.  BM_PAPER_OK when all went well.
 */
int bm_paper_status_err(cairo_status_t st, int write_errno, const char *path, char *msg,
                        size_t msg_len);

/** The layouts; the doc has passed validation. */
void bm_paper_session_layout(const struct bm_paper_session *s, size_t page,
                             struct bm_paper_layout *out);
void bm_paper_progress_layout(const struct bm_paper_progress *p, size_t page,
                              struct bm_paper_layout *out);

/** Draw the trace plot of a session: efforts, gaps, grid, both legs, axes. */
void bm_paper_draw_trace(struct bm_paper_ctx *c, const struct bm_paper_session *s,
                         const struct bm_paper_layout *l);

/** Draw a whole page (footer included). */
void bm_paper_draw_session(struct bm_paper_ctx *c, const struct bm_paper_session *s,
                           const struct bm_paper_layout *l);
void bm_paper_draw_progress(struct bm_paper_ctx *c, const struct bm_paper_progress *p,
                            const struct bm_paper_layout *l);

#endif
