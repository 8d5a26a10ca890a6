/*
 * bm_store.h - athletes and a summary of every recorded session, kept in a
 * database so that `bridgemon history --athlete NAME` answers at once and a
 * clinic's stations and the physiotherapist's desk share one record.
 *
 * The session CSV files stay the source of truth: everything measured that
 * is kept here can be rebuilt from them (bm_store_session_delete_all(), then
 * upsert every recording again; an upsert of the same recording twice leaves
 * the same row).  The store is only the first copy of what a person types in
 * (pain scores), which the program also writes to a log.
 *
 * Two engines behind one interface, with the same schema and migrations:
 * SQLite (embedded, the default: one file per machine) and PostgreSQL (a
 * server shared by several stations).  bm_store_open() picks the engine from
 * the address it is given, and migrates the schema to the version this
 * program knows, in one transaction, safely when two stations open at once.
 * A database whose schema is newer than this program is refused, never
 * downgraded.
 *
 * Conventions: numbers that may be unknown are doubles where NaN means
 * "unknown" and is stored as SQL NULL (and NULL reads back as NaN); an
 * infinity is refused.  Epoch times are whole seconds since 1970 UTC.  Text
 * is UTF-8 and always bound as a parameter, never pasted into SQL.
 *
 * Errors: every function returns 0 (OK), a count (>= 0, where it says so)
 * or a negative enum bm_store_result; every failure leaves one line a person
 * understands, naming the database, in bm_store_errmsg() (for
 * bm_store_open(), in the caller's buffer).  The library never prints.
 *
 * A handle is for one thread at a time; two threads or processes use two
 * handles.
 */
#ifndef BM_STORE_H
#define BM_STORE_H

#include <stddef.h>
#include <stdint.h>

/** The schema version this program creates and understands. */
#define BM_STORE_SCHEMA_VERSION 2

/** Return codes: 0 ok, negatives are errors (closed list). */
enum bm_store_result {
	BM_STORE_OK = 0,
	/** A bad argument: NULL handle, empty or over-long name, a value out
	 *  of its range, text that is not UTF-8, a malformed PostgreSQL
	 *  address; or a call that needs a transaction state it does not
	 *  have.  Nothing was written. */
	BM_STORE_ERR_ARG = -1,
	/** Out of memory. */
	BM_STORE_ERR_NOMEM = -2,
	/** The database cannot be opened or created: no such folder, no
	 *  permission, a read-only file, an unknown PostgreSQL database or
	 *  user, a refused login. */
	BM_STORE_ERR_OPEN = -3,
	/** SQLite: another program held the database for longer than the lock
	 *  timeout (5 s by default).  Try again later. */
	BM_STORE_ERR_LOCKED = -4,
	/** Not a database, or a damaged one (malformed file, truncated file,
	 *  bridgemon tables without their schema_version). */
	BM_STORE_ERR_CORRUPT = -5,
	/** The database's schema is newer than this program knows (refused,
	 *  never downgraded), or a call needs a newer schema than the one the
	 *  database was opened at (tests open old versions on purpose). */
	BM_STORE_ERR_VERSION = -6,
	/** PostgreSQL: the server cannot be reached or the connection was lost.
	 *  The caller keeps the recording and uploads it later; the next call
	 *  on the same handle tries to reconnect once. */
	BM_STORE_ERR_UNAVAILABLE = -7,
	/** No such athlete, session or referenced row. */
	BM_STORE_ERR_NOT_FOUND = -8,
	/** A unique key is taken (for example renaming an athlete to a name
	 *  another athlete has, compared without case). */
	BM_STORE_ERR_CONFLICT = -9,
	/** Any other failure of the engine (disk full, I/O error, a query the
	 *  server refused).  The message gives the engine's own words. */
	BM_STORE_ERR_IO = -10,
};

/** The symbolic name of a result code, e.g. "BM_STORE_ERR_LOCKED". */
const char *bm_store_result_name(int result);

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

struct bm_store;

/** How to open; start from bm_store_options_default(). */
struct bm_store_options {
	/** SQLite: how long to wait for another program's lock before
	 *  BM_STORE_ERR_LOCKED, in ms (default 5000).  PostgreSQL: the connect
	 *  timeout, rounded up to whole seconds (unless the address sets
	 *  connect_timeout itself). */
	int lock_timeout_ms;
	/** Migrate up to this schema version, not further.  0 (the default)
	 *  means BM_STORE_SCHEMA_VERSION.  For tests of migration only: a
	 *  handle opened at an older version refuses the calls that need the
	 *  newer tables (BM_STORE_ERR_VERSION). */
	int schema_version;
};

/** Fill @p opt (must not be NULL) with the defaults. */
void bm_store_options_default(struct bm_store_options *opt);

/**
 * Open (creating if needed) a database and migrate it to the current schema.
 * @param where  NULL or "": the default SQLite file,
 *               $XDG_DATA_HOME/bridgemon/bridgemon.db, else
 *               ~/.local/share/bridgemon/bridgemon.db (folders created);
 *               "sqlite:PATH" or a plain PATH: that SQLite file;
 *               "postgresql://..." or "postgres://...": a libpq connection
 *               URI; "postgresql:KEY=VALUE ..." a libpq key=value string.
 * @param out    set to the handle, or NULL on error (must not be NULL).
 * @param msg    on error, one line naming the database (no password), e.g.
 *               "/home/a/.local/share/bridgemon/bridgemon.db is locked by
 *               another program (waited 5 s)"; may be NULL.
 * @return BM_STORE_OK or an error (any of the list but NOT_FOUND/CONFLICT;
 *         PostgreSQL: UNAVAILABLE when no server answers, OPEN when one
 *         refuses: unknown database or user, failed login).
 */
int bm_store_open(const char *where, struct bm_store **out, char *msg,
                  size_t msg_len);

/** bm_store_open() with options (NULL = defaults). */
int bm_store_open_with(const char *where, const struct bm_store_options *opt,
                       struct bm_store **out, char *msg, size_t msg_len);

/** Close the handle (rolling back a transaction left open).  NULL is a
 *  no-op. */
void bm_store_close(struct bm_store *st);

/** "sqlite" or "postgresql". */
const char *bm_store_backend_name(const struct bm_store *st);

/** The database as messages name it: the SQLite file path, or
 *  "PostgreSQL database DB on HOST[:PORT]" (never a password). */
const char *bm_store_where(const struct bm_store *st);

/** The schema version the open database is at (BM_STORE_SCHEMA_VERSION
 *  unless opened at an older one). */
int bm_store_schema_version(const struct bm_store *st);

/** The one-line message of the last failure on this handle ("" if none). */
const char *bm_store_errmsg(const struct bm_store *st);

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

/**
 * Group several calls into one transaction (a rebuild inserts a thousand
 * sessions in one, which for SQLite is a hundred times faster than one
 * commit each).  Without one, every call is its own transaction.
 * Transactions do not nest (BM_STORE_ERR_ARG).
 *
 * If a call fails inside a transaction, the library rolls the whole
 * transaction back at once (both engines behave alike) and later calls
 * fail with BM_STORE_ERR_ARG until bm_store_rollback() acknowledges it;
 * bm_store_commit() then also fails.  The exception: arguments refused by
 * the library's own checks (BM_STORE_ERR_ARG before anything reaches the
 * database) leave the transaction as it was, so a rebuild can skip one bad
 * recording and carry on.
 */
int bm_store_begin(struct bm_store *st);
/** Commit the transaction bm_store_begin() opened. */
int bm_store_commit(struct bm_store *st);
/** Roll back (or acknowledge an automatic rollback).  OK when none is open. */
int bm_store_rollback(struct bm_store *st);

/* ------------------------------------------------------------------ */
/* Athletes                                                            */
/* ------------------------------------------------------------------ */

/** Longest athlete name, in bytes of UTF-8, without the terminating NUL. */
#define BM_STORE_NAME_MAX 127

/** A side of the body (the injured one, or the leg of an MVIC test). */
enum bm_store_side {
	BM_STORE_SIDE_NONE = 0,
	BM_STORE_SIDE_LEFT = 1,
	BM_STORE_SIDE_RIGHT = 2,
	BM_STORE_SIDE_BOTH = 3,
};

/** "none", "left", "right", "both"; NULL for a value out of range. */
const char *bm_store_side_name(enum bm_store_side side);
/** Parse a name from bm_store_side_name(); BM_STORE_ERR_ARG if unknown. */
int bm_store_side_parse(const char *text, enum bm_store_side *out);

struct bm_store_athlete {
	int64_t id;                          /**< >= 1, chosen by the store */
	/** As typed (UTF-8).  Unique without regard to case: names are
	 *  compared after trimming spaces at both ends and folding case
	 *  (ASCII, Latin, Greek, Cyrillic, Armenian; no Unicode
	 *  normalisation), the same way on every machine. */
	char name[BM_STORE_NAME_MAX + 1];
	enum bm_store_side injured_side;
	double body_mass_kg;                 /**< NaN = unknown */
	int64_t created_epoch_s;
};

/**
 * Find the athlete called @p name (case-insensitively) or create one
 * (injured side none, mass unknown, created now).  Safe when two stations
 * create the same athlete at once: both get the same row.
 * @param out      filled with the athlete (must not be NULL).
 * @param created  set to 1 if this call created it, else 0 (may be NULL).
 */
int bm_store_athlete_get_or_create(struct bm_store *st, const char *name,
                                   struct bm_store_athlete *out, int *created);

/** Find by name (case-insensitive); BM_STORE_ERR_NOT_FOUND if none. */
int bm_store_athlete_find_name(struct bm_store *st, const char *name,
                               struct bm_store_athlete *out);

/** Find by id; BM_STORE_ERR_NOT_FOUND if none. */
int bm_store_athlete_find_id(struct bm_store *st, int64_t id,
                             struct bm_store_athlete *out);

/**
 * Change name, injured side and body mass of athlete @p a->id (the creation
 * time is kept).  BM_STORE_ERR_CONFLICT if the new name is another
 * athlete's; BM_STORE_ERR_NOT_FOUND if there is no such id.
 */
int bm_store_athlete_update(struct bm_store *st,
                            const struct bm_store_athlete *a);

/** A list of athletes, owned by the caller. */
struct bm_store_athletes {
	size_t count;
	struct bm_store_athlete *items;
};

/** All athletes, ordered by name without case.  Free with
 *  bm_store_athletes_free(); @p out is set NULL on entry. */
int bm_store_athlete_list(struct bm_store *st, struct bm_store_athletes **out);
void bm_store_athletes_free(struct bm_store_athletes *list);

/* ------------------------------------------------------------------ */
/* Sessions (one per recording)                                        */
/* ------------------------------------------------------------------ */

/** Longest station name and recording file name, in bytes. */
#define BM_STORE_STATION_MAX 63
#define BM_STORE_RECORDING_MAX 255

enum bm_store_exercise {
	BM_STORE_EX_DOUBLE_LEG = 0,
	BM_STORE_EX_SINGLE_LEG_LEFT = 1,
	BM_STORE_EX_SINGLE_LEG_RIGHT = 2,
	BM_STORE_EX_LONG_LEVER = 3,
	BM_STORE_EX_CUSTOM = 4,
};

/** "double_leg", "single_leg_left", "single_leg_right", "long_lever",
 *  "custom"; NULL when out of range. */
const char *bm_store_exercise_name(enum bm_store_exercise ex);
int bm_store_exercise_parse(const char *text, enum bm_store_exercise *out);

/** Legs are indexed 0 = left, 1 = right everywhere in this header. */
#define BM_STORE_LEFT 0
#define BM_STORE_RIGHT 1

/** What one leg did during a session.  Forces are above rest. */
struct bm_store_leg {
	double best_hold_n;   /**< NaN = no hold */
	double mean_hold_n;   /**< NaN = no hold */
	double impulse_ns;    /**< newton-seconds; NaN = unknown */
	double hold_time_s;   /**< NaN = unknown */
	int reps;             /**< >= 0 */
};

/**
 * One recording's summary.  On input all strings are borrowed for the call;
 * in a list the strings belong to the list.
 */
struct bm_store_session {
	int64_t id;                 /**< chosen by the store; ignored on input */
	const char *station;        /**< short name of the machine (host name);
	                                 1..BM_STORE_STATION_MAX bytes */
	const char *recording;      /**< the CSV's file name;
	                                 1..BM_STORE_RECORDING_MAX bytes */
	int64_t athlete_id;         /**< 0 = no athlete */
	int64_t started_epoch_s;
	double duration_s;          /**< >= 0 */
	enum bm_store_exercise exercise;
	double knee_angle_deg;      /**< NaN = not given */
	double hip_angle_deg;       /**< NaN = not given */
	const char *protocol;       /**< NULL is stored as "" */
	const char *notes;          /**< NULL is stored as "" */
	int demo;                   /**< 1: simulated data, 0: measured */
	double pain_before;         /**< 0..10, NaN = not asked */
	double pain_after;          /**< 0..10, NaN = not asked */
	double sample_rate_hz;      /**< > 0, NaN = unknown */
	struct bm_store_leg leg[2]; /**< [BM_STORE_LEFT], [BM_STORE_RIGHT] */
	double lsi_peak_pct;        /**< limb symmetry index; NaN = undefined */
	double lsi_impulse_pct;     /**< NaN = undefined */
	/** The analysis JSON (may be large); NULL = none.  Lists leave it NULL
	 *  unless asked for with BM_STORE_WITH_JSON. */
	const char *summary_json;
};

/** Fill @p s with an empty session: no athlete, every optional number
 *  NaN, counts 0, strings NULL, exercise double_leg. */
void bm_store_session_init(struct bm_store_session *s);

/**
 * Insert the session, or replace every column of the row with the same
 * (station, recording) key, keeping its id (so its efforts stay attached).
 * Upserting the same session twice leaves the same row.
 * @param id_out  set to the row's id (may be NULL).
 * @return OK; ERR_ARG for a value out of range; ERR_NOT_FOUND if athlete_id
 *         names no athlete; engine errors.
 */
int bm_store_session_upsert(struct bm_store *st,
                            const struct bm_store_session *s, int64_t *id_out);

/** 1 if a session (station, recording) is stored, 0 if not, or an error. */
int bm_store_session_exists(struct bm_store *st, const char *station,
                            const char *recording);

/** A list of sessions with the strings they point to; owned by the caller. */
struct bm_store_sessions {
	size_t count;
	struct bm_store_session *items;
};

/** Flags of the listing calls. */
enum bm_store_list_flags {
	BM_STORE_WITH_JSON = 1, /**< also fetch summary_json (slower) */
};

/** The session (station, recording), with its JSON, as a list of one.
 *  BM_STORE_ERR_NOT_FOUND if there is none.  @p out is set NULL on entry. */
int bm_store_session_get(struct bm_store *st, const char *station,
                         const char *recording,
                         struct bm_store_sessions **out);

/** The sessions of athlete @p athlete_id, oldest first (ties by station,
 *  then recording): the history query.  An unknown athlete gives an empty
 *  list.  @p flags: bm_store_list_flags. */
int bm_store_session_list_athlete(struct bm_store *st, int64_t athlete_id,
                                  unsigned flags,
                                  struct bm_store_sessions **out);

/** Every session, in the same order. */
int bm_store_session_list_all(struct bm_store *st, unsigned flags,
                              struct bm_store_sessions **out);

void bm_store_sessions_free(struct bm_store_sessions *list);

/**
 * Delete what a rebuild from the CSV files will put back: every session,
 * their efforts, and the MVIC results that came from a session (those with
 * a session key).  Athletes and pain entries (typed in by a person) stay.
 * @return the number of sessions deleted (>= 0), or an error.
 */
int bm_store_session_delete_all(struct bm_store *st);

/* ------------------------------------------------------------------ */
/* Efforts of a session (schema 2)                                     */
/* ------------------------------------------------------------------ */

enum bm_store_effort_kind {
	BM_STORE_EFFORT_HOLD = 0,
	BM_STORE_EFFORT_REP = 1,
};

/** One hold or rep, for within-session typical error.  Forces in N. */
struct bm_store_effort {
	int leg;                         /**< BM_STORE_LEFT or BM_STORE_RIGHT */
	enum bm_store_effort_kind kind;
	double start_s, end_s;           /**< from the recording's start */
	double peak_n, mean_n;           /**< NaN = unknown */
	double peak_above_rest_n;        /**< NaN = unknown */
	double mean_above_rest_n;        /**< NaN = unknown */
	double impulse_ns;               /**< NaN = unknown */
	int single_leg;                  /**< 1 if the other leg was unloaded */
};

/** Replace every effort of session @p session_id with @p efforts (n of
 *  them, in that order; n = 0 deletes them), all or nothing.
 *  BM_STORE_ERR_NOT_FOUND if there is no such session. */
int bm_store_effort_replace(struct bm_store *st, int64_t session_id,
                            const struct bm_store_effort *efforts, size_t n);

struct bm_store_efforts {
	size_t count;
	struct bm_store_effort *items;
	int64_t *session_ids;  /**< bm_store_effort_list_athlete(): the session
	                            of each item; NULL from the other calls */
};

/** The efforts of a session in the order they were given (an empty list
 *  for a session without any, or no such session). */
int bm_store_effort_list(struct bm_store *st, int64_t session_id,
                         struct bm_store_efforts **out);
/** The efforts of every session of athlete @p athlete_id in one query (the
 *  history's within-session repeats), by session id, each session's in the
 *  order they were given; session_ids says whose each is. */
int bm_store_effort_list_athlete(struct bm_store *st, int64_t athlete_id,
                                 struct bm_store_efforts **out);
void bm_store_efforts_free(struct bm_store_efforts *list);

/* ------------------------------------------------------------------ */
/* Pain entries (schema 2)                                             */
/* ------------------------------------------------------------------ */

enum bm_store_pain_when {
	BM_STORE_PAIN_BEFORE = 0,
	BM_STORE_PAIN_AFTER = 1,
	BM_STORE_PAIN_NEXT_MORNING = 2,
};

/** "before", "after", "next_morning"; NULL when out of range. */
const char *bm_store_pain_when_name(enum bm_store_pain_when when);
int bm_store_pain_when_parse(const char *text, enum bm_store_pain_when *out);

struct bm_store_pain {
	int64_t id;                  /**< chosen by the store */
	int64_t athlete_id;          /**< must exist */
	int64_t epoch_s;
	enum bm_store_pain_when when;
	double score;                /**< 0..10 (not NaN) */
	const char *station;         /**< session key, or both NULL */
	const char *recording;
};

/** Add a pain entry; @p id_out (may be NULL) gets its id. */
int bm_store_pain_add(struct bm_store *st, const struct bm_store_pain *p,
                      int64_t *id_out);

struct bm_store_pains {
	size_t count;
	struct bm_store_pain *items;
};

/** The pain entries of an athlete, oldest first (ties by id). */
int bm_store_pain_list(struct bm_store *st, int64_t athlete_id,
                       struct bm_store_pains **out);
void bm_store_pains_free(struct bm_store_pains *list);

/* ------------------------------------------------------------------ */
/* MVIC results (schema 2)                                             */
/* ------------------------------------------------------------------ */

enum bm_store_mvic_mode {
	BM_STORE_MVIC_SINGLE_LEG = 0,
	BM_STORE_MVIC_BOTH_LEGS = 1,
};

/** "single_leg", "both_legs"; NULL when out of range. */
const char *bm_store_mvic_mode_name(enum bm_store_mvic_mode mode);
int bm_store_mvic_mode_parse(const char *text, enum bm_store_mvic_mode *out);

/** A maximal voluntary isometric contraction test result. */
struct bm_store_mvic {
	int64_t id;                   /**< chosen by the store */
	int64_t athlete_id;           /**< must exist */
	int64_t epoch_s;
	enum bm_store_side leg;       /**< left, right or both (not none) */
	enum bm_store_mvic_mode mode;
	double force_n;               /**< above rest, finite */
	const char *station;          /**< session key, or both NULL */
	const char *recording;
};

/** Add a result; @p id_out (may be NULL) gets its id. */
int bm_store_mvic_add(struct bm_store *st, const struct bm_store_mvic *m,
                      int64_t *id_out);

struct bm_store_mvics {
	size_t count;
	struct bm_store_mvic *items;
};

/** Every result of an athlete, oldest first (ties by id). */
int bm_store_mvic_list(struct bm_store *st, int64_t athlete_id,
                       struct bm_store_mvics **out);

/**
 * For each (leg, mode) the athlete was tested in: the best force of the
 * latest test date, the date being the local calendar day (TZ) of the
 * latest result for that leg and mode.  One item per (leg, mode), ordered
 * by mode then leg; the item is the row that reached the best (the earliest
 * such row on a tie).
 */
int bm_store_mvic_best_latest(struct bm_store *st, int64_t athlete_id,
                              struct bm_store_mvics **out);
void bm_store_mvics_free(struct bm_store_mvics *list);

#endif
