/*
 * bm_view.h - the live monitor's picture: what the athlete sees from the mat.
 *
 * The view is a sink that knows nothing of the pipeline.  Each frame the
 * program fills a plain-data view model (struct bm_view_model: numbers and
 * short strings, all copied in, plus one borrowed trace ring) and calls
 * bm_view_draw(), which paints the whole frame into any SDL_Renderer: a
 * window's, or a software renderer on a surface in the tests.  Nothing here
 * reads a clock, a port or a file after bm_view_new().
 *
 * Layout is a pure function of the renderer's output size in pixels
 * (bm_view_layout_compute()), recomputed every frame, so resizing, full
 * screen and HiDPI (where the output has more pixels than the window has
 * points) need no special cases: everything, fonts included, is sized from
 * the output pixels.  Fonts are sized to fit their rectangles, and text is
 * cropped to its rectangle, so no element ever spills into another.
 *
 * Cost: text is rendered once per distinct string into a cached texture
 * (white, tinted at draw time), and the force readouts change at most ten
 * times a second of model time, so a steady frame renders no text at all.
 * The trace is decimated to one min/max span per pixel column per leg, so a
 * 60 s window costs one pass over its samples and two SDL_RenderFillRects.
 *
 * Units: forces in newtons everywhere in the model; the view converts to kg
 * (N / 9.80665) for display when asked.  Times in seconds.
 */
#ifndef BM_VIEW_H
#define BM_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "bm_protocol.h" /* BM_LEFT, BM_RIGHT, BM_NCHAN */

/** Standard gravity: kg shown = N / BM_VIEW_G_N_PER_KG. */
#define BM_VIEW_G_N_PER_KG 9.80665

/** The trace window is clamped to this range, seconds. */
#define BM_VIEW_TRACE_MIN_S 10.0f
#define BM_VIEW_TRACE_MAX_S 60.0f

/** Samples further apart than this are not joined in the trace (a gap). */
#define BM_VIEW_TRACE_GAP_S 0.25

/** Return codes.  0 is success, negatives are errors. */
enum bm_view_err {
	BM_VIEW_OK = 0,
	BM_VIEW_ERR_ARG = -1,   /**< a required pointer was NULL, a size was 0 */
	BM_VIEW_ERR_NOMEM = -2, /**< out of memory */
	BM_VIEW_ERR_FONT = -3,  /**< font file missing or unreadable (logged once,
	                             naming the package fonts-dejavu-core) */
	BM_VIEW_ERR_SDL = -4,   /**< SDL or SDL_ttf failed (logged once with
	                             SDL's message) */
};

/* ---- trace ring ------------------------------------------------------- */

/**
 * A ring of the latest samples of both legs, oldest overwritten first.  The
 * program owns it and pushes every sample it shows; the view only reads it.
 * Times must not decrease between pushes (clear the ring when the clock
 * restarts, e.g. a replay looping).  Not thread-safe: push from the thread
 * that draws.
 */
struct bm_view_trace;

/**
 * New ring holding @p capacity samples (pairs of legs).  For a 60 s window
 * at rate R Hz, 60 * R + a few is enough (bm_view_trace_capacity_for()).
 * @param out  set to the ring, or NULL on error; must not be NULL.
 * @return BM_VIEW_OK, BM_VIEW_ERR_ARG (capacity 0, @p out NULL),
 *         BM_VIEW_ERR_NOMEM.  Free with bm_view_trace_free().
 */
int bm_view_trace_new(size_t capacity, struct bm_view_trace **out);

/** Free a ring (NULL is fine). */
void bm_view_trace_free(struct bm_view_trace *tr);

/** Samples needed to hold @p window_s seconds at @p rate_hz, with margin. */
size_t bm_view_trace_capacity_for(double rate_hz, double window_s);

/**
 * Append one sample; when full, the oldest is dropped.  No allocation.
 * @param t_s      sample time, seconds on the session clock (device time).
 * @param left_n   left force, N; NaN marks a gap (the line breaks there).
 * @param right_n  right force, N; NaN marks a gap.
 */
void bm_view_trace_push(struct bm_view_trace *tr, double t_s, float left_n,
                        float right_n);

/** Forget every sample. */
void bm_view_trace_clear(struct bm_view_trace *tr);

/** Samples held now (0..capacity). */
size_t bm_view_trace_len(const struct bm_view_trace *tr);

/**
 * Read sample @p i, 0 being the oldest held.  @p i must be < len.  Any of
 * the output pointers may be NULL.
 */
void bm_view_trace_get(const struct bm_view_trace *tr, size_t i, double *t_s,
                       float *left_n, float *right_n);

/* ---- view model ------------------------------------------------------- */

/** Display units; the model itself is always in newtons. */
enum bm_view_units { BM_VIEW_UNITS_N = 0, BM_VIEW_UNITS_KG = 1 };

/** Where the data comes from, as far as the athlete needs to know. */
enum bm_view_conn {
	BM_VIEW_CONN_LIVE = 0,    /**< data flowing */
	BM_VIEW_CONN_WAITING = 1, /**< "disconnected — waiting for device" */
	BM_VIEW_CONN_ENDED = 2,   /**< source finished (end of a replay) */
};

/** "No leg" for the weaker-leg fields (the others are BM_LEFT, BM_RIGHT). */
#define BM_VIEW_NO_LEG (-1)

/** Fixed string sizes in the model (bytes, including the NUL). */
#define BM_VIEW_SOURCE_MAX 48
#define BM_VIEW_PATH_MAX 256
#define BM_VIEW_MESSAGE_MAX 256
#define BM_VIEW_INPUT_MAX 16
#define BM_VIEW_NAME_MAX 128     /**< an athlete's name */
#define BM_VIEW_PICKER_ROWS 8    /**< names the athlete picker shows at once */

/* ---- progress view (key p) ------------------------------------------- */

/** Sessions the progress view holds: the latest ones. */
#define BM_VIEW_PROGRESS_MAX 60
/** Checklist lines the progress view holds (the items, then the verdict). */
#define BM_VIEW_PROGRESS_ITEMS 6
/** Bytes of one checklist line, including the NUL. */
#define BM_VIEW_PROGRESS_TEXT_MAX 240

/** Where a checklist line stands. */
enum bm_view_ready {
	BM_VIEW_READY_UNKNOWN = 0, /**< not enough data (grey) */
	BM_VIEW_READY_MET = 1,     /**< met (green) */
	BM_VIEW_READY_NOT_MET = 2, /**< not met (yellow) */
};

/** One checklist line: its state and its words with their numbers. */
struct bm_view_progress_item {
	enum bm_view_ready state;
	char text[BM_VIEW_PROGRESS_TEXT_MAX];
};

/**
 * What the progress view shows: an athlete's sessions over the weeks and
 * the return-to-run checklist.  Plain data, copied in by the program (the
 * view never reads the store); start from memset 0.  Arrays hold @c n
 * sessions, oldest first; a value that is NaN is missing (the line breaks
 * there).
 */
struct bm_view_progress {
	char title[BM_VIEW_MESSAGE_MAX];   /**< "Progress: Ann Lee, 12 sessions" */
	/** When there is nothing to chart: one line saying what is needed
	 *  ("no athlete: start with --athlete NAME to see progress"); then
	 *  only the title and this are drawn.  "" otherwise. */
	char message[BM_VIEW_MESSAGE_MAX];
	/** A problem beside the data ("the store refused 1 recording"); "". */
	char remark[BM_VIEW_MESSAGE_MAX];
	size_t n;                          /**< sessions held, <= BM_VIEW_PROGRESS_MAX */
	double epoch_s[BM_VIEW_PROGRESS_MAX];   /**< session start, Unix s (the x axis) */
	char date[BM_VIEW_PROGRESS_MAX][16];    /**< its local date, "2026-11-02" */
	double best_hold_n[BM_NCHAN][BM_VIEW_PROGRESS_MAX]; /**< best hold per leg, N above rest */
	double lsi_pct[BM_VIEW_PROGRESS_MAX];   /**< limb symmetry index, % */
	double pain[BM_VIEW_PROGRESS_MAX];      /**< pain 0-10 */
	double lsi_mark_pct;               /**< the dashed mark on the LSI axis (90); <= 0: none */
	char force_label[64];              /**< "best hold, N above rest" */
	char lsi_label[64];                /**< "LSI on peak force, %" */
	char pain_label[64];               /**< "pain 0-10 (right axis)" */
	char list_title[64];               /**< "Return to run" */
	size_t n_items;                    /**< checklist lines, <= BM_VIEW_PROGRESS_ITEMS */
	struct bm_view_progress_item items[BM_VIEW_PROGRESS_ITEMS];
	char note[BM_VIEW_MESSAGE_MAX];    /**< "guidance, not medical advice" */
};

/**
 * Everything one frame shows.  Plain data: strings are NUL-terminated
 * arrays copied in by the program, numbers are values; only @c trace is
 * borrowed (it must stay valid during bm_view_draw()).  Start from
 * bm_view_model_init() so fields added later get sane defaults.
 */
struct bm_view_model {
	/** Session-clock time now, s: the right edge of the trace, and the
	 *  clock that paces readout updates (at most 10 per second). */
	double now_s;

	/* forces */
	float force_n[BM_NCHAN];       /**< current (filtered) force per leg, N */
	const struct bm_view_trace *trace; /**< borrowed; NULL: empty trace */
	float trace_window_s;          /**< trace width, s; clamped to 10..60 */
	float full_scale_n;            /**< top of bars and trace, N;
	                                    <= 0: bm_view_full_scale_n() picks */
	float zone_low_n, zone_high_n; /**< target zone, N; low >= high: none */
	enum bm_view_units units;      /**< how forces are written */

	/* holds */
	bool hold_active;      /**< a hold is in progress */
	float hold_elapsed_s;  /**< this hold so far; when !hold_active it is
	                            shown dimmed (e.g. the last hold's length) */
	float hold_target_s;   /**< target duration of one hold, s; <= 0: none */
	float today_hold_s;    /**< total hold time today, s */
	float daily_aim_s;     /**< daily aim, s (2-5 min: 120..300) */

	/* reps */
	unsigned reps[BM_NCHAN];          /**< reps so far per leg */
	unsigned reps_provisional[BM_NCHAN]; /**< of them, not yet committed (the
	                                       counting chain has not judged them) */
	float last_rep_peak_n[BM_NCHAN];  /**< peak of the last rep, N;
	                                       <= 0 or NaN: no rep yet */

	/* asymmetry */
	float asym_pct;        /**< live asymmetry, percent, >= 0 */
	int asym_weaker;       /**< BM_LEFT, BM_RIGHT or BM_VIEW_NO_LEG */
	bool asym_flagged;     /**< live asymmetry over the threshold: red */
	float asym_flag_pct;   /**< threshold, percent, marked on the gauge;
	                            <= 0: not drawn */
	bool effort_valid;     /**< a finished effort exists */
	float effort_asym_pct; /**< last effort's asymmetry, percent, >= 0 */
	int effort_weaker;     /**< BM_LEFT, BM_RIGHT or BM_VIEW_NO_LEG */
	bool effort_flagged;   /**< last effort over the threshold */

	/* status */
	char source[BM_VIEW_SOURCE_MAX]; /**< "demo", "/dev/ttyUSB0", "replay x.csv" */
	float rate_hz;           /**< measured sample rate; <= 0: not known yet */
	uint64_t dropped_frames; /**< samples lost (sequence gaps) */
	uint64_t crc_errors;     /**< frames with a bad CRC */
	enum bm_view_conn conn;
	bool recording;
	char rec_file[BM_VIEW_PATH_MAX]; /**< file being recorded (base name is
	                                      enough); shown when recording */
	bool muted;              /**< audio cues off */

	/** Transient message ("tare refused: leg loaded"); "" shows nothing.
	 *  The program clears it after a few seconds. */
	char message[BM_VIEW_MESSAGE_MAX];

	/** A lasting notice over the trace, never hidden by messages: "DEMO -
	 *  no board found: simulated athlete", "NOT CALIBRATED - forces are
	 *  estimates"; "" for none. */
	char notice[BM_VIEW_MESSAGE_MAX];

	/** Per-leg target zones (a protocol's % of each leg's MVIC), N; a leg
	 *  whose high <= low uses zone_low_n/zone_high_n. */
	float zone_leg_low_n[BM_NCHAN], zone_leg_high_n[BM_NCHAN];

	/** A guided protocol under way: its prompt, status and countdowns. */
	struct {
		bool active;
		char prompt[BM_VIEW_MESSAGE_MAX];  /**< "set 2 of 5 · hold 45 s @ 70 %" */
		char status[BM_VIEW_MESSAGE_MAX];  /**< "hold: 23 s of 45 s", "rest: 87 s" */
		float countdown_s;   /**< get-ready or rest seconds left; < 0: none */
		bool resting;        /**< the countdown is a rest (else: get ready) */
		bool summary;        /**< the run is over: the summary screen */
		char summary_text[2048]; /**< its lines, '\n' between them */
	} protocol;

	bool help_visible;       /**< key list over everything */

	/** The progress view (key p): a full-window overlay of @c progress. */
	bool progress_visible;
	struct bm_view_progress progress;

	/** Guided calibration: an overlay with the program's instruction and
	 *  what has been typed so far. */
	struct {
		bool active;
		char prompt[BM_VIEW_MESSAGE_MAX]; /**< "Put a known mass on the left side" */
		char input[BM_VIEW_INPUT_MAX];    /**< typed mass in kg, as typed */
	} cal;

	/** The athlete's daily dose (a session with an athlete in the store),
	 *  drawn instead of "today" and the daily aim: hold time per leg today
	 *  and over the last days against the aim, the every-second-day
	 *  rhythm, load-weighted time. */
	struct {
		bool active;
		char today[BM_VIEW_MESSAGE_MAX];  /**< "today L 2:10 R 1:55 of 2–5 min" */
		char week[BM_VIEW_MESSAGE_MAX];   /**< "7 days L 9:40 R 8:50" */
		char rhythm[BM_VIEW_MESSAGE_MAX]; /**< "Ann · every second day: kept" */
		char load[BM_VIEW_MESSAGE_MAX];   /**< "load-weighted 7 days L 6:05 R 5:30" */
		float today_low_s;   /**< today's hold time of the leg with less, s: the bar */
		float aim_min_s;     /**< the aim's low end, s: where the bar is full */
		bool in_aim;         /**< both legs within the aim today: green */
		bool above_aim;      /**< a leg above the aim's high end today: amber */
	} dose;

	/** A pain question being answered in the window (non-blocking: it
	 *  sits over the lower trace), or for a few seconds its answer. */
	struct {
		bool active;
		char prompt[BM_VIEW_MESSAGE_MAX];  /**< "pain now, 0-10?" */
		char input[BM_VIEW_INPUT_MAX];     /**< digits typed so far */
		char hint[BM_VIEW_MESSAGE_MAX];    /**< how to answer, or why refused */
		bool refused;                      /**< the hint is a refusal: yellow */
		bool answered;                     /**< show the answer instead */
		char zone[BM_VIEW_MESSAGE_MAX];    /**< "pain 4/10: acceptable (above 2, up to 5)" */
		char advice[BM_VIEW_MESSAGE_MAX];  /**< the pain model's advice, ending
		                                        "(guidance, not medical advice)" */
		int zone_level;                    /**< 1 safe, 2 acceptable, 3 too much */
	} ask;

	/** The athlete picker (a): the store's athletes and a new name. */
	struct {
		bool active;
		char current[BM_VIEW_NAME_MAX];    /**< the session's athlete, "" none */
		char rows[BM_VIEW_PICKER_ROWS][BM_VIEW_NAME_MAX]; /**< names shown */
		int n_rows;
		int sel_row;                       /**< highlighted row; -1 none */
		bool more_above, more_below;       /**< the list goes on */
		char input[BM_VIEW_NAME_MAX];      /**< a new name as typed */
		char hint[BM_VIEW_MESSAGE_MAX];    /**< how to choose, or why refused */
		bool refused;
	} picker;
};

/** Defaults: zeros, no zone, 30 s trace, 30 s target, 180 s daily aim,
 *  newtons, no weaker leg, source "", live. @p m must not be NULL. */
void bm_view_model_init(struct bm_view_model *m);

/**
 * Full scale the view uses for @p m, N: m->full_scale_n when > 0, else
 * 1.5 x the zone's top (at least 100 N) rounded up to a multiple of 50 N.
 * Force does not move it, so bars never jump in scale mid-hold.
 */
float bm_view_full_scale_n(const struct bm_view_model *m);

/* ---- layout ----------------------------------------------------------- */

/** Font roles; sizes come from the layout. */
enum bm_view_font {
	BM_VIEW_FONT_VALUE = 0, /**< bar readouts, bold */
	BM_VIEW_FONT_TIMER,     /**< hold timer, bold */
	BM_VIEW_FONT_LABEL,     /**< LEFT / RIGHT, bold */
	BM_VIEW_FONT_TEXT,      /**< panel lines */
	BM_VIEW_FONT_SMALL,     /**< status bar, trace labels */
	BM_VIEW_FONT_OVERLAY,   /**< help and calibration overlays */
	BM_VIEW_FONT_COUNT
};

/**
 * Rectangles of one frame, in output pixels.  All but the overlays (help,
 * cal) are disjoint and inside the output; some may be empty (w or h 0) in
 * a very small window.
 */
struct bm_view_layout {
	int out_w, out_h;              /**< output size, pixels */
	int pad;                       /**< spacing unit, pixels */
	SDL_Rect bar_col[BM_NCHAN];    /**< column holding label, value, bar
	                                    (contains the three below) */
	SDL_Rect bar_label[BM_NCHAN];  /**< "LEFT" / "RIGHT" */
	SDL_Rect bar_value[BM_NCHAN];  /**< readout in N or kg */
	SDL_Rect bar_zone[BM_NCHAN];   /**< bar height range, full column width:
	                                    the zone band spans it */
	SDL_Rect bar[BM_NCHAN];        /**< the bar's track: 0 N at the bottom,
	                                    full scale at the top */
	SDL_Rect trace;                /**< force-time plot */
	SDL_Rect hold_text;            /**< hold timer and target */
	SDL_Rect hold_bar;             /**< progress toward the target */
	SDL_Rect daily_text;           /**< hold time today vs aim */
	SDL_Rect daily_bar;            /**< progress toward the daily aim */
	SDL_Rect reps[BM_NCHAN];       /**< rep count and last peak per leg */
	SDL_Rect gauge_text;           /**< asymmetry in words */
	SDL_Rect gauge;                /**< asymmetry gauge */
	SDL_Rect message;              /**< transient message line */
	SDL_Rect status;               /**< status bar, full width at the bottom */
	SDL_Rect help;                 /**< overlay box (over everything) */
	SDL_Rect cal;                  /**< overlay box (over everything) */
	int font_px[BM_VIEW_FONT_COUNT]; /**< font size per role, pixels */
};

/**
 * Compute the layout for an output of @p out_w x @p out_h pixels (negative
 * sizes are taken as 0).  Pure; bm_view_draw() uses exactly this.
 * @p lay must not be NULL.
 */
void bm_view_layout_compute(int out_w, int out_h, struct bm_view_layout *lay);

/**
 * Rectangles and axes of the progress view for an output of @p out_w x
 * @p out_h pixels showing @p p, in output pixels.  The plots share the x
 * axis: session time from half a day before the first session to half a
 * day after the last.
 */
struct bm_view_progress_layout {
	SDL_Rect box;            /**< the overlay: the whole output but a margin */
	SDL_Rect title;          /**< title line */
	SDL_Rect legend;         /**< line names over the force plot */
	SDL_Rect force;          /**< plot: force per leg on the left axis
	                              (0..force_max_n), pain on the right (0..10) */
	SDL_Rect force_axis;     /**< numbers left of the force plot */
	SDL_Rect pain_axis;      /**< numbers right of the force plot */
	SDL_Rect lsi_legend;     /**< the LSI plot's name and its mark's */
	SDL_Rect lsi;            /**< plot: LSI, lsi_min_pct..lsi_max_pct, dashed mark */
	SDL_Rect lsi_axis;       /**< numbers left of the LSI plot */
	SDL_Rect dates;          /**< date labels under the LSI plot */
	SDL_Rect list_title;     /**< "Return to run" */
	SDL_Rect item[BM_VIEW_PROGRESS_ITEMS]; /**< checklist lines (p->n_items used) */
	SDL_Rect mark[BM_VIEW_PROGRESS_ITEMS]; /**< each line's state square */
	SDL_Rect note;           /**< "guidance, not medical advice" */
	SDL_Rect footer;         /**< how to close, and the remark */
	SDL_Rect message;        /**< the one line when there is nothing to chart */
	double t_min_s, t_max_s; /**< x range of both plots, Unix s */
	double force_max_n;      /**< top of the force axis, N (bottom: 0) */
	double force_step_n;     /**< force grid step, N */
	double lsi_min_pct, lsi_max_pct; /**< LSI axis range, % */
	double pain_max;         /**< top of the pain axis (10) */
	int line_px;             /**< thickness of the lines, pixels */
	int marker_px;           /**< side of a session's square marker, pixels */
};

/** Compute the progress layout (pure; the view draws exactly this).
 *  @p p and @p pl must not be NULL. */
void bm_view_progress_layout_compute(int out_w, int out_h, const struct bm_view_progress *p,
                                     struct bm_view_progress_layout *pl);

/** The x pixel of time @p epoch_s in plot @p plot of layout @p pl. */
int bm_view_progress_x(const struct bm_view_progress_layout *pl, SDL_Rect plot, double epoch_s);

/** The y pixel of value @p v on an axis from @p lo (bottom) to @p hi (top)
 *  of @p plot (clamped to the plot). */
int bm_view_progress_y(SDL_Rect plot, double v, double lo, double hi);

/* ---- colours ---------------------------------------------------------- */

/** The few colours the view uses (tests compare pixels against them). */
enum bm_view_colour {
	BM_VIEW_C_BG = 0,     /**< window background */
	BM_VIEW_C_TRACK,      /**< empty bar, trace and gauge background */
	BM_VIEW_C_TEXT,       /**< main text */
	BM_VIEW_C_DIM,        /**< secondary text, grid */
	BM_VIEW_C_BELOW,      /**< bar below the zone (or no zone) */
	BM_VIEW_C_IN,         /**< bar in the zone, progress done, a criterion
	                           met, the LSI goal mark */
	BM_VIEW_C_ABOVE,      /**< bar above the zone */
	BM_VIEW_C_FLAG,       /**< asymmetry flagged, recording dot */
	BM_VIEW_C_GAUGE,      /**< asymmetry fill when not flagged */
	BM_VIEW_C_LEG_L,      /**< left leg: trace line, label */
	BM_VIEW_C_LEG_R,      /**< right leg: trace line, label */
	BM_VIEW_C_WARN,       /**< messages, "waiting for device", a criterion
	                           not met */
	BM_VIEW_C_PROGRESS,   /**< progress bars before they are done */
	BM_VIEW_C_PAIN,       /**< the pain line of the progress view */
	BM_VIEW_C_COUNT
};

/** The RGB (alpha 255) of colour @p c; black for unknown values. */
SDL_Color bm_view_colour(enum bm_view_colour c);

/* ---- the view --------------------------------------------------------- */

struct bm_view;

/**
 * New view drawing into @p renderer (borrowed: free the view before the
 * renderer).  Opens DejaVuSans.ttf and DejaVuSans-Bold.ttf from @p font_dir
 * (NULL: BM_FONT_DIR from bm_config.h).  Calls TTF_Init() (counted).
 * @param out  set to the view, or NULL on error; must not be NULL.
 * @return BM_VIEW_OK; BM_VIEW_ERR_ARG; BM_VIEW_ERR_FONT (one line on stderr
 *         naming the file and the package fonts-dejavu-core);
 *         BM_VIEW_ERR_SDL (one line with SDL's message); BM_VIEW_ERR_NOMEM.
 */
int bm_view_new(SDL_Renderer *renderer, const char *font_dir,
                struct bm_view **out);

/** Free the view, its textures and fonts; TTF_Quit() (NULL is fine). */
void bm_view_free(struct bm_view *v);

/**
 * Draw one whole frame of @p m (clears first; does not present).  Reads the
 * output size from the renderer each call.  The renderer's draw colour and
 * blend mode are changed.
 * @return BM_VIEW_OK, BM_VIEW_ERR_ARG (NULL), BM_VIEW_ERR_SDL (output size
 *         unknown).  A string that fails to render is skipped (logged once).
 */
int bm_view_draw(struct bm_view *v, const struct bm_view_model *m);

/** Layout used by the last bm_view_draw() (zeros before the first). */
const struct bm_view_layout *bm_view_layout(const struct bm_view *v);

/** Text textures currently cached (for tests and benchmarks). */
size_t bm_view_cached_texts(const struct bm_view *v);

/** Strings rendered by SDL_ttf since bm_view_new() (cache misses). */
uint64_t bm_view_text_renders(const struct bm_view *v);

/** One entry of the key list the help overlay shows. */
struct bm_view_key {
	const char *key;  /**< as written on the keyboard: "space", "+ / -" */
	const char *what; /**< what it does */
};

/**
 * The keys the help overlay lists (static, never NULL).
 * @param n  set to the number of entries; must not be NULL.
 */
const struct bm_view_key *bm_view_keys(size_t *n);

#endif /* BM_VIEW_H */
