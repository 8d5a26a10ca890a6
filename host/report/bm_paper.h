/*
 * bm_paper.h - the report on paper: what a physiotherapist hands to a
 * doctor or to the athlete, as a PDF (one A4 page each) or as the same
 * pages stacked in one PNG or SVG image, drawn with cairo.
 *
 * This module analyses nothing.  The caller hands over numbers already
 * computed (by the detector, the report, the rehab logic) and this module
 * lays them out: one page per session (header, the force trace of both legs
 * with the detected efforts shaded and data gaps hatched, a per-leg table,
 * asymmetry with its 95 % interval, pain, the protocol done, a note on
 * metric confidence), then, when given, one progress page (force per leg
 * over the weeks with pain on its own right-hand axis, the limb symmetry
 * index with its 90 % mark, changes labelled "real" or "within noise", the
 * readiness checklist).  Every page has a footer: page number, "bridgemon
 * VERSION", the generation date.
 *
 * Geometry is in millimetres on A4 portrait (210 x 297 mm), so one layout
 * serves every format: PDF in points, PNG at BM_PAPER_PNG_DPI, SVG in mm.
 * bm_paper_layout() gives the rectangles and axis ranges of a page without
 * drawing anything, so a test can compute where a sample must appear.
 *
 * A trace of a 1-hour session at 1000 Hz has 3.6 million samples per leg;
 * drawing each would be slow and would make a PDF of tens of megabytes.
 * The trace is cut into columns of 1/6 mm (about one PNG pixel) and each
 * column keeps its first, lowest, highest and last sample: the drawn line
 * is the same as the full one at that resolution, and a one-sample spike
 * still shows.
 *
 * Text uses cairo's font selection with "DejaVu Sans" (Debian's
 * fonts-dejavu-core).  PDF text is real text (pdftotext reads it back);
 * cairo's SVG draws glyphs as shapes, so the SVG also carries the page
 * text in its <title> and <desc> elements, for search and screen readers.
 *
 * cairo and fontconfig keep their font caches for the life of the
 * process; a program calls bm_paper_release_caches() before it exits (the
 * report command and the tests do), or a leak checker reports them.
 *
 * Ownership: every pointer in the input structs is borrowed for the
 * duration of the call and nothing is kept.  Strings are UTF-8; a NULL
 * string is drawn as absent.  Forces are newtons, times seconds, dates
 * epoch seconds drawn in local time (localtime_r, so TZ applies).  NaN
 * means "not measured" wherever a double can be missing.
 */
#ifndef BM_PAPER_H
#define BM_PAPER_H

#include <stddef.h>

/** Return codes: 0 is success, negatives are errors. */
enum bm_paper_err {
	BM_PAPER_OK = 0,
	/** NULL pointer, unknown file extension, nothing to draw, input that
	 *  breaks the rules below (times that go back, a leg that is not 0
	 *  or 1, text that is not UTF-8), a PNG taller than cairo allows. */
	BM_PAPER_ERR_ARG = -1,
	/** The temporary file could not be created, written, synced or
	 *  renamed; the message names the path and the system's reason. */
	BM_PAPER_ERR_IO = -2,
	/** cairo failed; the message carries cairo_status_to_string(). */
	BM_PAPER_ERR_CAIRO = -3,
	/** Out of memory. */
	BM_PAPER_ERR_NOMEM = -4,
};

#define BM_PAPER_PAGE_W_MM 210.0
#define BM_PAPER_PAGE_H_MM 297.0
/** PNG resolution, and the size of one page in it (A4 at 150 dpi). */
#define BM_PAPER_PNG_DPI 150.0
#define BM_PAPER_PNG_PAGE_W_PX 1241
#define BM_PAPER_PNG_PAGE_H_PX 1754
/** cairo's image surfaces stop at 32767 pixels: 18 stacked pages. */
#define BM_PAPER_PNG_MAX_PAGES 18

enum bm_paper_leg { BM_PAPER_LEFT = 0, BM_PAPER_RIGHT = 1 };
enum bm_paper_effort_kind { BM_PAPER_HOLD = 0, BM_PAPER_REP = 1 };

/** The force of both legs over a session.  t_s: seconds since the start
 *  of the session, never decreasing; left_n, right_n: N, NaN = missing
 *  sample.  All three have n entries (may be NULL when n is 0). */
struct bm_paper_trace {
	const double *t_s;
	const double *left_n;
	const double *right_n;
	size_t n;
};

/** A detected effort, on the trace's time scale. */
struct bm_paper_effort {
	int leg;                        /**< BM_PAPER_LEFT or BM_PAPER_RIGHT */
	enum bm_paper_effort_kind kind;
	double start_s, end_s;          /**< start_s <= end_s */
};

/** A stretch without data (board unplugged, frames lost).  Gaps come in
 *  time order and do not overlap; the trace is not drawn across one. */
struct bm_paper_gap {
	double start_s, end_s;
};

/** One leg's row of the session table.  Forces are above the leg's
 *  resting level; NaN = none (drawn as a dash). */
struct bm_paper_leg_row {
	unsigned holds;
	double hold_time_s;
	double best_hold_n;     /**< highest plateau mean of a hold */
	double mean_hold_n;     /**< mean of the holds' plateau means */
	double impulse_ns;      /**< summed impulse of the efforts, N s */
	unsigned reps;
	double best_rep_n;      /**< highest rep peak */
};

/** Left/right asymmetry of the session's bilateral efforts, drawn as
 *  "right weaker 14 % (95 % CI 9–19 %), certain". */
struct bm_paper_asymmetry {
	double weaker_pct;      /**< NaN: not measured */
	double ci_low_pct, ci_high_pct; /**< NaN: no interval */
	int weaker_leg;         /**< BM_PAPER_LEFT or BM_PAPER_RIGHT */
	const char *verdict;    /**< e.g. "certain", "possible"; NULL: none */
	int flagged;            /**< draw the verdict as a warning (red) */
};

/** Pain scores 0-10 (NaN = not recorded) with the pain-model zone. */
struct bm_paper_pain {
	double before, after, next_morning;
	const char *zone;       /**< e.g. "acceptable (3–5)"; NULL: none */
	const char *advice;     /**< a line of guidance; NULL: none */
};

/** One session page.  Start from bm_paper_session_default(). */
struct bm_paper_session {
	double started_epoch_s;          /**< NaN: unknown */
	const char *exercise;            /**< e.g. "double_leg" */
	double knee_angle_deg, hip_angle_deg; /**< NaN: not given */
	const char *protocol;
	const char *station;
	double sample_rate_hz;           /**< NaN: unknown */
	double duration_s;               /**< NaN: unknown */
	int demo;                        /**< simulated athlete: banner */
	struct bm_paper_trace trace;
	const struct bm_paper_effort *efforts;
	size_t n_efforts;
	const struct bm_paper_gap *gaps;
	size_t n_gaps;
	struct bm_paper_leg_row legs[2]; /**< [BM_PAPER_LEFT], [BM_PAPER_RIGHT] */
	struct bm_paper_asymmetry asym;
	struct bm_paper_pain pain;
	const char *const *protocol_lines;   /**< what was done, one per line */
	size_t n_protocol_lines;
	const char *const *confidence_lines; /**< metric confidence at this rate */
	size_t n_confidence_lines;
};

/** One session on the progress page.  NaN = none. */
struct bm_paper_point {
	double epoch_s;
	double left_n, right_n; /**< the progress force of each leg */
	double lsi_pct;         /**< limb symmetry index */
	double pain;            /**< 0-10 */
};

/** A change between sessions with its label ("real", "within noise",
 *  "not enough repeats"), both given by the caller. */
struct bm_paper_change {
	const char *text;       /**< e.g. "right best hold +60 N since 2026-10-05" */
	const char *label;
	int real;               /**< the change is beyond the noise: bold */
};

enum bm_paper_status { BM_PAPER_UNKNOWN = 0, BM_PAPER_MET = 1, BM_PAPER_NOT_MET = 2 };

/** One item of the readiness checklist. */
struct bm_paper_ready_item {
	const char *text;       /**< e.g. "single-leg bridge LSI on peak >= 90 %" */
	enum bm_paper_status status;
	const char *numbers;    /**< e.g. "92 %, 94 %"; NULL: none */
};

/** The progress page.  Start from bm_paper_progress_default(). */
struct bm_paper_progress {
	const char *force_label;        /**< what the force is, e.g. "best
	                                     single-leg hold, N above rest" */
	const struct bm_paper_point *points; /**< in time order */
	size_t n_points;
	double lsi_mark_pct;            /**< the dashed mark (90) */
	const struct bm_paper_change *changes;
	size_t n_changes;
	const struct bm_paper_ready_item *ready;
	size_t n_ready;
};

/** A whole report: pages for sessions[0..n_sessions), then the progress
 *  page when progress is not NULL.  Start from bm_paper_doc_default(). */
struct bm_paper_doc {
	const char *athlete;
	double generated_epoch_s;       /**< footer date; NaN: now */
	const struct bm_paper_session *sessions;
	size_t n_sessions;
	const struct bm_paper_progress *progress;
};

/** Fill with zeros and NULLs, and NaN where a double can be missing. */
void bm_paper_session_default(struct bm_paper_session *s);
void bm_paper_progress_default(struct bm_paper_progress *p);
void bm_paper_doc_default(struct bm_paper_doc *d);

/** Number of pages of @p doc (must not be NULL). */
size_t bm_paper_page_count(const struct bm_paper_doc *doc);

/**
 * Write the report to @p path, in the format its extension names (case
 * ignored): ".pdf" one page each, ".png" (BM_PAPER_PNG_DPI) and ".svg" all
 * pages stacked top to bottom in one image.  The file is written beside
 * @p path under a temporary name and renamed into place, so a failure never
 * leaves a half report (nor the temporary file).
 * @param path  must not be NULL; its folder must exist.
 * @param doc   must not be NULL and must pass the rules of the structs.
 * @param msg   one line, without newline, on failure (may be NULL).
 * @return BM_PAPER_OK, BM_PAPER_ERR_ARG, BM_PAPER_ERR_IO,
 *         BM_PAPER_ERR_CAIRO or BM_PAPER_ERR_NOMEM.
 */
int bm_paper_write(const char *path, const struct bm_paper_doc *doc, char *msg,
                   size_t msg_len);

/** A rectangle on a page, from its top-left corner, in mm. */
struct bm_paper_rect {
	double x_mm, y_mm, w_mm, h_mm;
};

enum bm_paper_page_kind { BM_PAPER_PAGE_SESSION = 0, BM_PAPER_PAGE_PROGRESS = 1 };

/**
 * Where one page puts its plots.  On a session page, @c plot is the force
 * trace (x: trace t_s, y: N) and @c lanes the two strips above it where
 * efforts are marked (left on top); on the progress page, @c plot is the
 * force per leg (x: epoch s, y: N; pain 0..pain_max on the right-hand
 * axis) and @c lsi_plot the LSI (same x, y: %).  Unused rects are zero.
 */
struct bm_paper_layout {
	enum bm_paper_page_kind kind;
	size_t page;                 /**< 0-based */
	struct bm_paper_rect page_rect;
	struct bm_paper_rect plot;
	struct bm_paper_rect lanes;
	struct bm_paper_rect lsi_plot;
	double t_min_s, t_max_s;     /**< x range (progress: local midnights) */
	double t_step_s;             /**< x tick step (progress: whole days) */
	double force_min_n, force_max_n, force_step_n;
	double pain_max;
	double lsi_min_pct, lsi_max_pct, lsi_step_pct;
};

/**
 * The layout of page @p page (0-based) of @p doc.
 * @return BM_PAPER_OK, or BM_PAPER_ERR_ARG (NULL, page out of range, input
 *         that bm_paper_write() would refuse).  @p out is zeroed on error.
 */
int bm_paper_layout(const struct bm_paper_doc *doc, size_t page, struct bm_paper_layout *out);

/** Where (t_s, force_n) falls on the page of @p l, in mm from its top left
 *  (the main plot's axes; for the LSI plot use bm_paper_layout_lsi_xy). */
void bm_paper_layout_xy(const struct bm_paper_layout *l, double t_s, double force_n,
                        double *x_mm, double *y_mm);

/** Where (t_s, lsi_pct) falls in the LSI plot of a progress page, in mm. */
void bm_paper_layout_lsi_xy(const struct bm_paper_layout *l, double t_s, double lsi_pct,
                            double *x_mm, double *y_mm);

/** The pixel of the stacked PNG under (x_mm, y_mm) of the page of @p l
 *  (the page's offset included); pixel (i, j) covers [i, i+1) x [j, j+1). */
void bm_paper_layout_png_px(const struct bm_paper_layout *l, double x_mm, double y_mm,
                            double *x_px, double *y_px);

/** Free cairo's and fontconfig's caches: once, just before the program
 *  exits (for a leak checker); no cairo call may follow. */
void bm_paper_release_caches(void);

#endif
