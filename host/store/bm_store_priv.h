/*
 * bm_store_priv.h - what the store's files share and callers do not see:
 * the handle, and the small table of functions an engine fills in.
 *
 * The records code (athletes, sessions, efforts, pain, MVIC) writes its SQL
 * once, in the subset both SQLite and PostgreSQL accept, with `?` for each
 * parameter; an engine only knows how to run a statement with tagged
 * values and walk its rows.  The PostgreSQL engine turns `?` into `$n`.
 * Values go in as bm_val (NULL, integer, real, text) and come out through
 * typed getters where SQL NULL reads as NaN (reals) or NULL (text), so the
 * NaN <-> NULL rule lives in one place per engine.
 *
 * Errors: an engine translates its own codes into enum bm_store_result at
 * the boundary and writes the one-line message into st->msg (naming the
 * database: st->where); the records code may then replace the message with
 * a more precise one (bm_store_fail()).
 */
#ifndef BM_STORE_PRIV_H
#define BM_STORE_PRIV_H

#include <math.h>
#include <stdarg.h>

#include "bm_store.h"

/** A parameter value. */
enum bm_val_type { BM_VAL_NULL, BM_VAL_INT, BM_VAL_REAL, BM_VAL_TEXT };

struct bm_val {
	enum bm_val_type type;
	int64_t i;
	double d;
	const char *s;
};

static inline struct bm_val bm_val_int(int64_t i)
{
	struct bm_val v = {BM_VAL_INT, i, 0.0, NULL};
	return v;
}

/* NaN (unknown) becomes SQL NULL. */
static inline struct bm_val bm_val_real(double d)
{
	struct bm_val v = {isnan(d) ? BM_VAL_NULL : BM_VAL_REAL, 0, d, NULL};
	return v;
}

/* A NULL pointer becomes SQL NULL. */
static inline struct bm_val bm_val_text(const char *s)
{
	struct bm_val v = {s ? BM_VAL_TEXT : BM_VAL_NULL, 0, 0.0, s};
	return v;
}

static inline struct bm_val bm_val_null(void)
{
	struct bm_val v = {BM_VAL_NULL, 0, 0.0, NULL};
	return v;
}

/** The result of one statement, walked row by row. */
struct bm_rows;

enum bm_dialect { BM_DIALECT_SQLITE = 0, BM_DIALECT_PG = 1 };

struct bm_store_engine {
	const char *name;           /* "sqlite", "postgresql" */
	enum bm_dialect dialect;
	/* Counts the tables named ? in the database's own namespace. */
	const char *sql_count_table;
	/* Connect to @target (engine-specific, prefix removed; NULL = the
	 * default).  Fills st->where first, then st->conn. */
	int (*open)(struct bm_store *st, const char *target);
	void (*close)(struct bm_store *st);
	/* Make sure the connection is usable before a call (PostgreSQL
	 * reconnects once after a lost connection, outside transactions). */
	int (*ready)(struct bm_store *st);
	/* Statements without parameters or rows (may be several, ';'). */
	int (*exec)(struct bm_store *st, const char *sql);
	/* One statement with n parameters; *rows is the cursor to step. */
	int (*query)(struct bm_store *st, const char *sql,
	             const struct bm_val *params, int n, struct bm_rows **rows);
	/* 1 = a row is there, 0 = no more rows, < 0 = an error. */
	int (*step)(struct bm_rows *r);
	int (*is_null)(struct bm_rows *r, int col);
	int64_t (*get_int)(struct bm_rows *r, int col);
	double (*get_real)(struct bm_rows *r, int col); /* NULL -> NaN */
	const char *(*get_text)(struct bm_rows *r, int col); /* NULL -> NULL */
	void (*finish)(struct bm_rows *r);
	/* Start a write transaction (SQLite takes the write lock now). */
	int (*begin_write)(struct bm_store *st);
	/* Inside the migration transaction: keep other openers out until
	 * commit (SQLite: BEGIN IMMEDIATE already did). */
	int (*lock_schema)(struct bm_store *st);
};

extern const struct bm_store_engine bm_store_sqlite_engine;
extern const struct bm_store_engine bm_store_pg_engine;

struct bm_store {
	const struct bm_store_engine *eng;
	void *conn;
	char where[384];   /* the database as messages name it */
	char msg[640];     /* the last failure, one line */
	int version;       /* schema version of the open database */
	int lock_timeout_ms;
	int in_tx;         /* the caller's bm_store_begin() is open */
	int tx_failed;     /* ...and was rolled back after an error */
};

/** Set st->msg from a format (made one line) and return @p code. */
int bm_store_fail(struct bm_store *st, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/** Squeeze @p s to one line in place: control characters become spaces,
 *  runs of spaces one, no trailing space. */
void bm_store_one_line(char *s);

/* ---- running statements (bm_store.c) ---- */

/** Run a statement that returns no rows we want. */
int bm_store_run(struct bm_store *st, const char *sql,
                 const struct bm_val *params, int n);

/** Run a statement returning one integer in its first row; *found says
 *  whether there was a row (may be NULL: then no row is ERR_NOT_FOUND). */
int bm_store_query_int(struct bm_store *st, const char *sql,
                       const struct bm_val *params, int n, int64_t *value,
                       int *found);

/* ---- units of work (bm_store.c) ---- */

/** Begin the part of a public call that talks to the database: checks the
 *  handle, a failed transaction, and the connection. */
int bm_store_call_begin(struct bm_store *st);
/** End it: a failure inside the caller's transaction rolls it back. */
int bm_store_call_end(struct bm_store *st, int rc);
/** Several statements as one: a transaction unless the caller has one. */
int bm_store_work_begin(struct bm_store *st, int *own);
int bm_store_work_end(struct bm_store *st, int own, int rc);
/** BM_STORE_ERR_VERSION unless the schema is at least @p version. */
int bm_store_need_version(struct bm_store *st, int version, const char *what);

/* ---- checking arguments (bm_store.c) ---- */

/** A number in [lo, hi]; NaN allowed when @p nan_ok.  @p what names it. */
int bm_store_check_real(struct bm_store *st, const char *what, double v,
                        double lo, double hi, int nan_ok);

enum bm_text_rule {
	BM_TEXT_REQUIRED = 1, /* not NULL, not empty */
	BM_TEXT_ONE_LINE = 2, /* no control characters */
};
/** UTF-8 text of at most @p max bytes (0 = no limit); NULL is allowed
 *  unless BM_TEXT_REQUIRED. */
int bm_store_check_text(struct bm_store *st, const char *what, const char *s,
                        size_t max, unsigned rules);

/** A session key (station, recording): both given and valid, or (when
 *  @p optional) both NULL. */
int bm_store_check_key(struct bm_store *st, const char *station,
                       const char *recording, int optional);

/* ---- schema (bm_store_schema.c) ---- */

/** Read the schema version (0 = empty database). */
int bm_store_read_version(struct bm_store *st, int *version);
/** Migrate to @p target under the engine's lock, in one transaction. */
int bm_store_migrate(struct bm_store *st, int target);

/* ---- text (bm_store_text.c) ---- */

/** 1 if @p s is valid UTF-8 (no overlongs, no surrogates). */
int bm_store_utf8_valid(const char *s);
/** 1 if @p s has a C0 control character or DEL. */
int bm_store_has_control(const char *s);
/**
 * The comparison key of a name: spaces trimmed at both ends and case
 * folded with our own table, so every station computes the same key.
 * @return length written, or -1 if it does not fit in @p cap.
 */
int bm_store_name_key(const char *name, char *key, size_t cap);
/** Copy @p name trimmed of spaces at both ends; -1 if it does not fit. */
int bm_store_name_trim(const char *name, char *out, size_t cap);

/** Make room for one more item of @p size in a growing array (*items,
 *  *cap); BM_STORE_ERR_NOMEM (with the message set) if memory ran out. */
int bm_store_grow(struct bm_store *st, void **items, size_t *cap,
                  size_t count, size_t size);

/** strdup that keeps NULL as NULL; *ok cleared when memory ran out. */
char *bm_store_strdup(const char *s, int *ok);

#endif
