/*
 * bm_rehab_protocol.h - a rehab protocol (what to do, set by set) and the
 * small text format users write protocols in.
 *
 * (Named bm_rehab_protocol, not bm_protocol: firmware/protocol/bm_protocol.h
 * is the wire protocol and is on the host's include path.)
 *
 * A protocol is a name, an exercise and a list of set lines.  Four kinds of
 * set, from the loading programmes for proximal hamstring tendinopathy:
 *
 *   hold     isometric bridge hold: seconds at a % of the leg's maximal
 *            voluntary isometric contraction (MVIC); 5 x 45 s @ 70 %, 2 min
 *            rest is the usual start
 *   reps     bridge repetitions (sets of 10-20)
 *   fatigue  single-leg bridge repetitions to failure, one leg; judged
 *            against published norms (see bm_fatigue_norm_of)
 *   mvic     one maximal effort of a few seconds (the MVIC test), per leg
 *            or with both legs
 *
 * The file format, one protocol per file, `NAME.protocol` in
 * $XDG_CONFIG_HOME/bridgemon/protocols/ (else ~/.config/bridgemon/protocols/);
 * NAME is what `--protocol` takes.  Lines are `key: value`; `#` starts a
 * comment anywhere; blank lines are ignored; keys are lower case:
 *
 *   # comment
 *   name: Isometric bridges 5x45          (required, once, 1-63 characters)
 *   exercise: double_leg                  (optional, once; default double_leg)
 *             double_leg | single_leg_left | single_leg_right | long_lever | custom
 *   set: hold 45 s @ 70 %  rest 120 s  x5
 *   set: reps 15 @ 60-80 %  rest 90 s  x3
 *   set: fatigue left  rest 120 s
 *   set: mvic both 5 s  rest 60 s  x3
 *
 * A set line starts with its kind and its target:
 *
 *   hold SECONDS s       reps COUNT       fatigue left|right     mvic left|right|both SECONDS s
 *
 * then any of these options, in any order, each at most once:
 *
 *   @ PCT %        target % MVIC; the zone is PCT +- half the default zone
 *                  width (bm_zone: 60-80 % around 70 %)          (hold, reps)
 *   @ LOW-HIGH %   the zone itself; the target is its middle      (hold, reps)
 *   left|right|both  the legs that work (default: from the exercise:
 *                  single_leg_left -> left, single_leg_right -> right,
 *                  else both)                                     (hold, reps)
 *   rest N s       rest after each set (`min` also works: rest 2 min);
 *                  default 0                                      (all)
 *   xN             how many such sets (default 1)       (hold, reps, mvic)
 *
 * Numbers and units may touch ("45s", "70%", "x5").  Ranges: seconds 1-600,
 * % 10-100, reps 1-100, sets (xN) 1-20, rest 0-900 s; at most 32 set lines
 * and 256 sets in all; a line is at most 255 bytes; a file at most 64 KiB.
 * A protocol needs a name and at least one set line.
 *
 * The parser checks everything and fails with ONE line naming the file, the
 * line and the reason ("knees.protocol:4: hold seconds must be 1-600, got
 * 900").  host/rehab/README-protocols.md says the same for users.
 */
#ifndef BM_REHAB_PROTOCOL_H
#define BM_REHAB_PROTOCOL_H

#include <stddef.h>

#include "bm_rehab.h"

/** Return codes: 0 ok, negatives are errors. */
enum bm_protocol_result {
	BM_PROTOCOL_OK = 0,
	BM_PROTOCOL_ERR_ARG = -1,       /**< NULL where a pointer is needed, bad index */
	BM_PROTOCOL_ERR_IO = -2,        /**< a file or folder could not be read (msg says why) */
	BM_PROTOCOL_ERR_FORMAT = -3,    /**< the text is not a valid protocol (msg: FILE:LINE: reason) */
	BM_PROTOCOL_ERR_NOT_FOUND = -4, /**< no protocol by that id or name */
	BM_PROTOCOL_ERR_NOMEM = -5,     /**< out of memory */
};

/* Limits of the format (see the top of this file). */
#define BM_PROTOCOL_NAME_MAX 64       /**< bytes with the NUL: names up to 63 */
#define BM_PROTOCOL_MAX_LINES 32      /**< set lines per protocol */
#define BM_PROTOCOL_MAX_SETS 256      /**< sets in all, after xN */
#define BM_PROTOCOL_LINE_MAX 255      /**< bytes per line, without the newline */
#define BM_PROTOCOL_FILE_MAX 65536    /**< bytes per file */
#define BM_PROTOCOL_SECONDS_MIN 1.0
#define BM_PROTOCOL_SECONDS_MAX 600.0
#define BM_PROTOCOL_PCT_MIN 10.0
#define BM_PROTOCOL_PCT_MAX 100.0
#define BM_PROTOCOL_REPS_MIN 1
#define BM_PROTOCOL_REPS_MAX 100
#define BM_PROTOCOL_COUNT_MIN 1
#define BM_PROTOCOL_COUNT_MAX 20
#define BM_PROTOCOL_REST_MIN 0.0
#define BM_PROTOCOL_REST_MAX 900.0

/** The file name ending of user protocols. */
#define BM_PROTOCOL_SUFFIX ".protocol"

/** What the athlete does; stored with the session as its name. */
enum bm_exercise {
	BM_EXERCISE_DOUBLE_LEG = 0,
	BM_EXERCISE_SINGLE_LEG_LEFT = 1,
	BM_EXERCISE_SINGLE_LEG_RIGHT = 2,
	BM_EXERCISE_LONG_LEVER = 3,
	BM_EXERCISE_CUSTOM = 4,
};

enum bm_set_kind {
	BM_SET_HOLD = 0,
	BM_SET_REPS = 1,
	BM_SET_FATIGUE = 2,
	BM_SET_MVIC = 3,
};

/** One set line: `count` sets alike. */
struct bm_protocol_set {
	enum bm_set_kind kind;
	enum bm_side side;        /**< legs that work: LEFT, RIGHT or BOTH (after the
	                               exercise's default is applied) */
	int side_given;           /**< the line named the side (kept for writing back) */
	double seconds;           /**< hold and mvic: target seconds; else 0 */
	int reps;                 /**< reps: target count; else 0 */
	double pct_mvic;          /**< hold, reps: target % MVIC; NaN when none */
	double zone_low_pct;      /**< explicit zone (`@ 60-80 %`); NaN: around pct_mvic */
	double zone_high_pct;
	double rest_s;            /**< rest after each of these sets */
	int count;                /**< how many such sets (xN) */
};

struct bm_protocol {
	char id[BM_PROTOCOL_NAME_MAX];    /**< what --protocol takes: the file name
	                                       without .protocol, or the built-in's key */
	char name[BM_PROTOCOL_NAME_MAX];  /**< the `name:` line */
	enum bm_exercise exercise;
	int builtin;                      /**< 1 for the built-in protocols */
	int name_line;                    /**< line of `name:` in its text (for messages) */
	size_t n_sets;                    /**< set lines */
	struct bm_protocol_set sets[BM_PROTOCOL_MAX_LINES];
};

/** "double_leg", "single_leg_left", ...; "?" outside the enum. */
const char *bm_exercise_name(enum bm_exercise e);

/** "hold", "reps", "fatigue", "mvic"; "?" outside the enum. */
const char *bm_set_kind_name(enum bm_set_kind k);

/**
 * Parse a protocol from memory (the entry point of the fuzz target).
 * @param text  the file's bytes, need not be NUL-terminated; may contain
 *              anything (a NUL byte is an error)
 * @param file  the name used in messages, and, without its folder and
 *              `.protocol`, the protocol's id; NULL: "(memory)", id ""
 * @param out   receives the protocol (zeroed first); must not be NULL
 * @param msg   receives one line "FILE:LINE: reason" on failure (may be NULL)
 * @return BM_PROTOCOL_OK, BM_PROTOCOL_ERR_FORMAT, BM_PROTOCOL_ERR_ARG.
 */
int bm_protocol_parse(const char *text, size_t len, const char *file,
                      struct bm_protocol *out, char *msg, size_t msg_len);

/**
 * Read and parse one protocol file (at most BM_PROTOCOL_FILE_MAX bytes).
 * @return BM_PROTOCOL_OK, BM_PROTOCOL_ERR_IO ("FILE: reason"),
 *         BM_PROTOCOL_ERR_FORMAT ("FILE:LINE: reason"), BM_PROTOCOL_ERR_ARG,
 *         BM_PROTOCOL_ERR_NOMEM.
 */
int bm_protocol_load_file(const char *path, struct bm_protocol *out, char *msg, size_t msg_len);

/**
 * Write @p p in the file format, parseable back to the same protocol
 * (built-ins included, with their id taken from the file name).
 * @return the length of the whole text (like snprintf: the text is cut
 *         when that is >= @p cap; @p out may be NULL when cap is 0).
 */
size_t bm_protocol_format(const struct bm_protocol *p, char *out, size_t cap);

/** Sets in all (the sum of the lines' counts). */
size_t bm_protocol_total_sets(const struct bm_protocol *p);

/**
 * One set in words for prompts: "hold 45 s @ 70 %", "15 reps @ 70 %, left
 * leg", "reps to fatigue, left leg", "MVIC both legs, 5 s".
 */
void bm_protocol_describe_set(const struct bm_protocol_set *s, char *out, size_t len);

/* Built-in protocols, always listed first:
 *   isometric  Isometric holds 5x45 s @ 70 %: hold 45 s @ 70 % rest 120 s x5
 *   reps       Bridge reps 3x15: reps 15 rest 90 s x3
 *   fatigue    Single-leg bridge to fatigue: fatigue left rest 120 s, fatigue right
 *   mvic       MVIC test: mvic left 5 s rest 60 s x3, mvic right ... x3,
 *              mvic both ... x3 (no rest after the last effort) */

/** How many built-in protocols there are. */
size_t bm_protocol_builtin_count(void);

/** Built-in number @p i into @p out.  @return OK or ERR_ARG (i too large). */
int bm_protocol_builtin(size_t i, struct bm_protocol *out);

/**
 * Folder of user protocols: $XDG_CONFIG_HOME/bridgemon/protocols, else
 * $HOME/.config/bridgemon/protocols (not created).
 * @return BM_PROTOCOL_OK, or BM_PROTOCOL_ERR_IO (no HOME, or too long).
 */
int bm_protocol_dir(char *out, size_t len);

/** Built-ins and the protocols of one folder (opaque). */
struct bm_protocol_list;

/**
 * List the built-ins, then the folder's `*.protocol` files by file name.
 * A bad file (unreadable, malformed, a name or id another protocol already
 * has) gives one line in the list's errors and is left out; the others
 * still load.  A missing folder gives the built-ins alone.
 * @param dir  NULL: bm_protocol_dir()
 * @param out  receives the list (NULL on failure); free with bm_protocol_list_free
 * @return BM_PROTOCOL_OK, BM_PROTOCOL_ERR_IO (the folder exists but cannot be
 *         read; msg says why), BM_PROTOCOL_ERR_NOMEM, BM_PROTOCOL_ERR_ARG.
 */
int bm_protocol_list_load(const char *dir, struct bm_protocol_list **out, char *msg, size_t msg_len);

void bm_protocol_list_free(struct bm_protocol_list *l);

size_t bm_protocol_list_count(const struct bm_protocol_list *l);

/** Protocol @p i (built-ins first); NULL when out of range. */
const struct bm_protocol *bm_protocol_list_get(const struct bm_protocol_list *l, size_t i);

/** The protocol whose id is @p key, else whose name is @p key ignoring
 *  case; NULL when none. */
const struct bm_protocol *bm_protocol_list_find(const struct bm_protocol_list *l, const char *key);

size_t bm_protocol_list_error_count(const struct bm_protocol_list *l);

/** Error line @p i ("FILE:LINE: reason"); NULL when out of range. */
const char *bm_protocol_list_error(const struct bm_protocol_list *l, size_t i);

/*
 * Single-leg hamstring bridge to fatigue: the norms of Freckleton et al.
 * (2014, Br J Sports Med 48:713-717), Australian rules footballers,
 * repetitions to failure per leg: fewer than 20 is poor, about 25 average,
 * more than 30 good.  The thresholds are exposed so that a report can show
 * them and a clinic can judge with its own.
 */
#define BM_FATIGUE_REPS_POOR_BELOW 20
#define BM_FATIGUE_REPS_AVERAGE 25
#define BM_FATIGUE_REPS_GOOD_ABOVE 30

enum bm_fatigue_norm {
	BM_FATIGUE_UNKNOWN = 0,  /**< no test (reps < 0) */
	BM_FATIGUE_POOR = 1,     /**< reps < 20 */
	BM_FATIGUE_AVERAGE = 2,  /**< 20 to 30 */
	BM_FATIGUE_GOOD = 3,     /**< reps > 30 */
};

/** Where @p reps (negative: not tested) falls among the norms. */
enum bm_fatigue_norm bm_fatigue_norm_of(int reps);

/** "poor", "average", "good", "unknown". */
const char *bm_fatigue_norm_name(enum bm_fatigue_norm n);

#endif
